// SPDX-License-Identifier: GPL-2.0
/*
 * ops_kpath.c - "kernel path" TLB ops: the kernel's own ranged/global flush
 * decision reached through exported functions called directly, for kernels
 * where flush_tlb_all()/flush_tlb_kernel_range() cannot be called (x86
 * kernels with IBT seal them; the header hides them from modules anyway).
 * docs/ibt.md explains the paths and what the analysis computes from them.
 *
 * kpath_purge: pre_sample (untimed) drains pending lazy vmap areas, vmap()s
 * count - 1 pages, reads them through the alias and vunmap()s them, so
 * exactly one lazily freed area of count pages (count - 1 mapped plus the
 * guard page vmap always adds) is pending.  The timed call is
 * vm_unmap_aliases(): _vm_unmap_aliases -> __purge_vmap_area_lazy ->
 * flush_tlb_kernel_range(start, start + count pages), ceiling included,
 * plus freeing the one vmap area.  kpath_purge_ctl is its matched control:
 * the same preparation followed by an untimed purge, so the timed
 * vm_unmap_aliases() finds nothing pending and flushes nothing.
 *
 * kpath_set_pages_wb (x86): count physically contiguous pages are made
 * UC- with set_pages_uc() (untimed), the timed call is set_pages_wb():
 * change_page_attr walk over count PTEs, PTE writes, cpa_flush() (per page
 * flush_tlb_one_kernel on every CPU up to tlb_single_page_flush_ceiling
 * pages, else flush_tlb_all(); no cache flush: WB sets no cache bits), and
 * memtype_free().  kpath_set_pages_wb_ctl calls set_pages_wb() on the same
 * pages while they are already WB: same walk and memtype_free(), nothing
 * changes, so no PTE write and no flush.  Prepare splits the direct-map
 * large pages that hold the buffer once (set_pages_uc + set_pages_wb) for
 * both ops, so op and control walk the same 4K PTEs; that split stays until
 * reboot.  Blocks inside the kernel image's high mapping are refused
 * (ctb_arch_pages_image_alias): CPA would flush everything for them.
 * Finding none outside it is ENOMEM.
 *
 * With CACHETLB_OPF_VERIFY: kpath_purge* check before the unmap that the
 * alias shows every page's signature, and after the timed call that no
 * page is still readable through the old address (copy_from_kernel_nofault
 * returning the page's signature would be a stale translation);
 * kpath_set_pages_wb* check the cache bits of every page's direct-map PTE
 * (set after set_pages_uc, clear after set_pages_wb).
 */
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include "cachetlb.h"

#define CTB_KP_MAX_RANGE	2048		/* pages in the flushed vmap range */
#define CTB_KP_MAX_CPA	1024		/* pages of the set_pages buffer */
#define CTB_KP_MAGIC	0x6b70617468c0ffeeULL

struct ctb_kp_priv {
	struct page **pages;		/* kpath_purge: separate pages */
	struct page *block;		/* kpath_set_pages: contiguous block */
	unsigned int order;
	unsigned int nr;		/* pages mapped / changed */
	bool verify;
	bool control;
	bool uc;			/* block is UC- now */
	int pending;			/* error from pre_sample, run returns it */
	u32 gen;			/* VERIFY signature generation */
	void *old_va;			/* kpath_purge: last (unmapped) alias */
};

static inline u64 ctb_kp_sig(u32 gen, unsigned int i)
{
	return CTB_KP_MAGIC ^ ((u64)gen << 32) ^ i;
}

static void ctb_kp_teardown(struct ctb_ctx *ctx)
{
	struct ctb_kp_priv *p = ctx->priv;
	unsigned int i;

	if (!p)
		return;
	/* Never hand UC- pages back to the allocator. */
	if (p->block && p->uc && ctb_arch_pages_set_wb(p->block, p->nr))
		p->block = NULL;	/* leak rather than free a UC- page */
	if (p->block)
		__free_pages(p->block, p->order);
	if (p->pages) {
		for (i = 0; i < p->nr; i++)
			if (p->pages[i])
				__free_page(p->pages[i]);
		kvfree(p->pages);
	}
	kfree(p);
	ctx->priv = NULL;
}

/*
 * Common checks: one iteration per sample (the state prepared before a
 * sample is consumed by the first call) and no IRQs-off (the engine already
 * rejects that for sleeping ops; re-checked because these ops send IPIs).
 */
static struct ctb_kp_priv *ctb_kp_new(struct ctb_ctx *ctx, bool control)
{
	const struct cachetlb_run *run = ctx->run;
	struct ctb_kp_priv *p;

	if (run->iterations != 1) {
		ctx->err_field = CACHETLB_ERR_ITERATIONS;
		return ERR_PTR(-EINVAL);
	}
	if (run->flags & CACHETLB_RUN_IRQS_OFF) {
		ctx->err_field = CACHETLB_ERR_FLAGS;
		return ERR_PTR(-EINVAL);
	}
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return ERR_PTR(-ENOMEM);
	p->verify = run->opflags & CACHETLB_OPF_VERIFY;
	p->control = control;
	ctx->priv = p;
	return p;
}

/* --- kernel path via vm_unmap_aliases() ---------------------------------- */

static int ctb_kp_purge_prepare_common(struct ctb_ctx *ctx, bool control)
{
	struct ctb_kp_priv *p = ctb_kp_new(ctx, control);
	unsigned int i;

	if (IS_ERR(p))
		return PTR_ERR(p);
	/* count = flushed range = mapped pages + vmap's guard page. */
	p->nr = ctx->run->count - 1;
	p->pages = kvcalloc(p->nr, sizeof(*p->pages), GFP_KERNEL);
	if (!p->pages) {
		ctb_kp_teardown(ctx);
		return -ENOMEM;
	}
	for (i = 0; i < p->nr; i++) {
		if (fatal_signal_pending(current)) {
			ctb_kp_teardown(ctx);
			return -EINTR;
		}
		p->pages[i] = alloc_page(GFP_KERNEL);
		if (!p->pages[i]) {
			ctb_kp_teardown(ctx);
			return -ENOMEM;
		}
	}
	ctx->result = p->nr;
	return 0;
}

static int ctb_kp_purge_prepare(struct ctb_ctx *ctx)
{
	return ctb_kp_purge_prepare_common(ctx, false);
}

static int ctb_kp_purge_ctl_prepare(struct ctb_ctx *ctx)
{
	return ctb_kp_purge_prepare_common(ctx, true);
}

static void ctb_kp_purge_pre(struct ctb_ctx *ctx)
{
	struct ctb_kp_priv *p = ctx->priv;
	unsigned int i;
	void *va;
	u64 v;

	p->pending = 0;
	p->old_va = NULL;
	/* Nothing else pending: the purge below flushes our area only. */
	vm_unmap_aliases();
	p->gen++;
	for (i = 0; i < p->nr; i++)
		WRITE_ONCE(*(u64 *)page_address(p->pages[i]),
			   ctb_kp_sig(p->gen, i));
	va = vmap(p->pages, p->nr, VM_MAP, PAGE_KERNEL);
	if (!va) {
		p->pending = -ENOMEM;
		return;
	}
	/* Load the translations the flush has to remove; check them. */
	for (i = 0; i < p->nr; i++) {
		v = READ_ONCE(*(const u64 *)(va + i * PAGE_SIZE));
		if (p->verify && v != ctb_kp_sig(p->gen, i))
			ctx->errors++;
	}
	vunmap(va);
	p->old_va = va;
	if (p->control)
		vm_unmap_aliases();
}

static int ctb_kp_purge_run(struct ctb_ctx *ctx)
{
	struct ctb_kp_priv *p = ctx->priv;

	if (p->pending)
		return p->pending;
	vm_unmap_aliases();
	return 0;
}

/*
 * After the purge the old alias must not translate any more.  A read that
 * succeeds and returns the page's own signature is a stale TLB entry; one
 * that succeeds with other data means the range was mapped again by
 * someone else in between, which says nothing about the flush.
 */
static void ctb_kp_purge_post(struct ctb_ctx *ctx)
{
	struct ctb_kp_priv *p = ctx->priv;
	unsigned int i;
	u64 v;

	if (!p->verify || !p->old_va)
		return;
	for (i = 0; i < p->nr; i++) {
		if (copy_from_kernel_nofault(&v, p->old_va + i * PAGE_SIZE,
					     sizeof(v)))
			continue;
		if (v == ctb_kp_sig(p->gen, i))
			ctx->errors++;
	}
	p->old_va = NULL;
}

/* --- kernel path via set_pages_wb() (x86 cpa_flush) --------------------- */

/*
 * Freed init memory is a few MiB of recently freed, hence first handed
 * out, pages: keep rejected blocks (at most CTB_KP_REJECT_MAX of them and
 * CTB_KP_REJECT_BYTES in all) so that the allocator moves past them.
 */
#define CTB_KP_REJECT_MAX	2048
#define CTB_KP_REJECT_BYTES	(64UL << 20)

/* A block of 2^order pages outside the image's high mapping, or NULL. */
static struct page *ctb_kp_alloc_block(unsigned int order, unsigned int nr)
{
	unsigned int i, n = 0, max;
	struct page **rejected;
	struct page *b = NULL;

	max = min_t(unsigned long, CTB_KP_REJECT_MAX,
		    CTB_KP_REJECT_BYTES >> (PAGE_SHIFT + order));
	rejected = kvcalloc(max, sizeof(*rejected), GFP_KERNEL);
	if (!rejected)
		return NULL;
	while (n < max && !fatal_signal_pending(current)) {
		b = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);
		if (!b || !ctb_arch_pages_image_alias(b, nr))
			break;
		rejected[n++] = b;	/* keep it so it is not returned again */
		b = NULL;
		cond_resched();
	}
	for (i = 0; i < n; i++)
		__free_pages(rejected[i], order);
	kvfree(rejected);
	return b;
}

static int ctb_kp_cpa_prepare_common(struct ctb_ctx *ctx, bool control)
{
	struct ctb_kp_priv *p = ctb_kp_new(ctx, control);
	int ret;

	if (IS_ERR(p))
		return PTR_ERR(p);
	p->nr = ctx->run->count;
	p->order = get_order((size_t)p->nr * PAGE_SIZE);
	p->block = ctb_kp_alloc_block(p->order, p->nr);
	if (!p->block) {
		ctb_kp_teardown(ctx);
		return -ENOMEM;
	}
	/*
	 * Split the direct-map large pages holding the block now, for op and
	 * control alike, so that both walk 4K PTEs in every sample.
	 */
	ret = ctb_arch_pages_set_uc(p->block, p->nr);
	if (ret) {
		ctb_kp_teardown(ctx);
		return ret;
	}
	p->uc = true;
	ret = ctb_arch_pages_set_wb(p->block, p->nr);
	if (ret) {
		ctb_kp_teardown(ctx);
		return ret;
	}
	p->uc = false;
	ctx->result = p->nr;
	return 0;
}

static int ctb_kp_cpa_prepare(struct ctb_ctx *ctx)
{
	return ctb_kp_cpa_prepare_common(ctx, false);
}

static int ctb_kp_cpa_ctl_prepare(struct ctb_ctx *ctx)
{
	return ctb_kp_cpa_prepare_common(ctx, true);
}

static void ctb_kp_cpa_pre(struct ctb_ctx *ctx)
{
	struct ctb_kp_priv *p = ctx->priv;
	int ret;

	p->pending = 0;
	if (p->control || p->uc)
		return;
	/* Includes vm_unmap_aliases(): nothing is pending in the timed call. */
	ret = ctb_arch_pages_set_uc(p->block, p->nr);
	if (ret) {
		p->pending = ret;
		return;
	}
	p->uc = true;
	if (p->verify)
		ctx->errors += ctb_arch_pages_cache_mismatch(p->block,
							     p->nr, true);
}

static int ctb_kp_cpa_run(struct ctb_ctx *ctx)
{
	struct ctb_kp_priv *p = ctx->priv;
	int ret;

	if (p->pending)
		return p->pending;
	ret = ctb_arch_pages_set_wb(p->block, p->nr);
	if (!ret)
		p->uc = false;
	return ret;
}

static void ctb_kp_cpa_post(struct ctb_ctx *ctx)
{
	struct ctb_kp_priv *p = ctx->priv;

	if (p->verify && !p->uc)
		ctx->errors += ctb_arch_pages_cache_mismatch(p->block,
							     p->nr, false);
}

/* --- the table ---------------------------------------------------------- */

#define CTB_KP_USES		(CACHETLB_USES_COUNT | CACHETLB_USES_OPFLAGS)
#define CTB_KP_PROPS	(CACHETLB_PROP_SLEEPS | CACHETLB_PROP_IPI |	\
			 CACHETLB_PROP_KERNEL_PATH)

/* What every kpath op shares; a row adds name, params, count range, calls. */
#define CTB_KP_COMMON							\
	.family = CACHETLB_FAM_TLB, .unit = "pages",			\
	.uses = CTB_KP_USES, .props = CTB_KP_PROPS,			\
	.opflags = CACHETLB_OPF_VERIFY, .teardown = ctb_kp_teardown

#define CTB_KP_PURGE							\
	CTB_KP_COMMON, .count_min = 2, .count_max = CTB_KP_MAX_RANGE,	\
	.pre_sample = ctb_kp_purge_pre, .run = ctb_kp_purge_run,	\
	.post_sample = ctb_kp_purge_post

/* set_pages_wb() is x86's: the ops exist there only. */
#define CTB_KP_CPA							\
	CTB_KP_COMMON, .count_min = 1, .count_max = CTB_KP_MAX_CPA,	\
	.arch = CTB_ARCH_X86,						\
	.pre_sample = ctb_kp_cpa_pre, .run = ctb_kp_cpa_run,		\
	.post_sample = ctb_kp_cpa_post

const struct ctb_op ctb_ops_kpath[] = {
	{ CTB_KP_PURGE, .name = "kpath_purge",
	  .params = "kernel path via vm_unmap_aliases: flush_tlb_kernel_range of count pages (count-1 vunmapped + guard); iterations=1",
	  .prepare = ctb_kp_purge_prepare },
	{ CTB_KP_PURGE, .name = "kpath_purge_ctl",
	  .params = "control of kpath_purge: same vmap/vunmap, purged untimed; timed vm_unmap_aliases finds nothing; iterations=1",
	  .prepare = ctb_kp_purge_ctl_prepare },
	{ CTB_KP_CPA, .name = "kpath_set_pages_wb",
	  .params = "kernel path via set_pages_wb (x86 cpa_flush): UC- to WB of count pages, flush per page or all; iterations=1",
	  .prepare = ctb_kp_cpa_prepare },
	{ CTB_KP_CPA, .name = "kpath_set_pages_wb_ctl",
	  .params = "control of kpath_set_pages_wb: set_pages_wb on pages already WB (same walk, no PTE change, no flush); iterations=1",
	  .prepare = ctb_kp_cpa_ctl_prepare },
};

const unsigned int ctb_nr_ops_kpath = ARRAY_SIZE(ctb_ops_kpath);
