// SPDX-License-Identifier: GPL-2.0
/*
 * ops_tlb.c - op family "tlb": global, ranged and local TLB invalidation,
 * cross-CPU cost, TLB refill after a flush, and vmap()/vunmap().
 *
 * Every op works on a real vmap() range built from separately allocated
 * pages (count pages, or for ops without a count aux pages, 0 = 16), read
 * before each sample so the TLB entries being invalidated exist; and the
 * mapping can be checked: with CACHETLB_OPF_VERIFY, pre_sample writes a per-sample
 * signature into each page through the linear map and post_sample reads it
 * back through the vmap alias after the flush; every page whose alias does
 * not show its signature counts as one error.
 *
 * The global and ranged flushes call the kernel's own functions (inline on
 * arm64, resolved through RESOLVE on x86 and riscv: ctb_arch_kflush_*()),
 * never a copy of them.  The local_* ops issue the raw instruction of the
 * row's .raw on the measuring CPU (ctb_arch_tlb_raw(), arch/<arch>.c).
 * ipi_* ops run a local flush on a userspace-chosen CPU mask; they are the
 * unsealed stand-ins where x86 6.12 seals flush_tlb_all/_kernel_range.
 */
#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/vmalloc.h>
#include "cachetlb.h"

#define CTB_TLB_MAX_PAGES		2048	/* count/aux limit of every tlb op */
#define CTB_TLB_FIXED_PAGES		16	/* default range of ops without a count */
#define CTB_TLB_MAGIC		0x7e5a11b0c0ffee00ULL

struct ctb_tlb_buf {
	struct page **pages;
	unsigned int nr;
	void *va;			/* vmap() alias of pages, or NULL */
};

struct ctb_tlb_priv {
	struct ctb_tlb_buf buf;		/* range flushed, touched, verified */
	struct ctb_tlb_buf alt;		/* vmap_vunmap: second page set */
	cpumask_var_t mask;		/* USES_TARGETS ops */
	bool have_mask;
	bool verify;
	unsigned int nr;		/* pages one iteration covers */
	void *fn;			/* resolved kernel function */
	u32 seq;			/* VERIFY signature generation */
	u32 run_errors;			/* mismatches seen inside run() */
	unsigned long iter;		/* vmap ops: page set selector */
	unsigned long context;		/* ctb_arch_tlb_context() (x86 PCID) */
	u64 sum;			/* refill ops: checksum of last run */
};

/* --- buffers ------------------------------------------------------------ */

static inline u64 ctb_tlb_sig(u32 gen, unsigned int page)
{
	return CTB_TLB_MAGIC ^ ((u64)gen << 32) ^ page;
}

static void ctb_tlb_buf_free(struct ctb_tlb_buf *b)
{
	unsigned int i;

	if (b->va)
		vunmap(b->va);
	if (b->pages) {
		for (i = 0; i < b->nr; i++)
			if (b->pages[i])
				__free_page(b->pages[i]);
		kvfree(b->pages);
	}
	b->pages = NULL;
	b->va = NULL;
	b->nr = 0;
}

/* Write generation @gen's signature into word 0 of every page (linear map). */
static void ctb_tlb_buf_sign(struct ctb_tlb_buf *b, u32 gen)
{
	unsigned int i;

	for (i = 0; i < b->nr; i++)
		WRITE_ONCE(*(u64 *)page_address(b->pages[i]), ctb_tlb_sig(gen, i));
}

/* Allocate @nr pages signed with @gen and, if @map, vmap() them. */
static int ctb_tlb_buf_alloc(struct ctb_tlb_buf *b, unsigned int nr, u32 gen, bool map)
{
	unsigned int i;

	b->pages = kvcalloc(nr, sizeof(*b->pages), GFP_KERNEL);
	if (!b->pages)
		return -ENOMEM;
	b->nr = nr;
	for (i = 0; i < nr; i++) {
		if (fatal_signal_pending(current)) {
			ctb_tlb_buf_free(b);
			return -EINTR;
		}
		b->pages[i] = alloc_page(GFP_KERNEL);
		if (!b->pages[i]) {
			ctb_tlb_buf_free(b);
			return -ENOMEM;
		}
	}
	ctb_tlb_buf_sign(b, gen);
	if (map) {
		b->va = vmap(b->pages, nr, VM_MAP, PAGE_KERNEL);
		if (!b->va) {
			ctb_tlb_buf_free(b);
			return -ENOMEM;
		}
	}
	return 0;
}

/* Read word 0 of the first @nr pages through the alias; returns their sum. */
static u64 ctb_tlb_touch(const void *va, unsigned int nr)
{
	unsigned int i;
	u64 sum = 0;

	for (i = 0; i < nr; i++)
		sum += READ_ONCE(*(const u64 *)(va + i * PAGE_SIZE));
	return sum;
}

/* Pages among the first @nr whose alias does not show generation @gen. */
static u32 ctb_tlb_check(const void *va, unsigned int nr, u32 gen)
{
	unsigned int i;
	u32 bad = 0;

	for (i = 0; i < nr; i++)
		if (READ_ONCE(*(const u64 *)(va + i * PAGE_SIZE)) !=
		    ctb_tlb_sig(gen, i))
			bad++;
	return bad;
}

/* --- common callbacks --------------------------------------------------- */

static struct ctb_tlb_priv *ctb_tlb_priv_new(struct ctb_ctx *ctx)
{
	struct ctb_tlb_priv *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return NULL;
	p->verify = ctx->run->opflags & CACHETLB_OPF_VERIFY;
	ctx->priv = p;
	return p;
}

static void ctb_tlb_teardown(struct ctb_ctx *ctx)
{
	struct ctb_tlb_priv *p = ctx->priv;

	if (!p)
		return;
	ctb_tlb_buf_free(&p->buf);
	ctb_tlb_buf_free(&p->alt);
	if (p->have_mask)
		free_cpumask_var(p->mask);
	kfree(p);
	ctx->priv = NULL;
}

/* Flushes that may send IPIs cannot run with IRQs off (smp_call_function). */
static int ctb_tlb_no_irqs_off(struct ctb_ctx *ctx)
{
	if (ctx->run->flags & CACHETLB_RUN_IRQS_OFF) {
		ctx->err_field = CACHETLB_ERR_FLAGS;
		return -EINVAL;
	}
	return 0;
}

/*
 * Common prepare: private state plus a vmap() range of @nr pages.  Returns
 * the private state or an ERR_PTR; on error nothing stays allocated.
 */
static struct ctb_tlb_priv *ctb_tlb_prepare_buf(struct ctb_ctx *ctx, unsigned int nr)
{
	struct ctb_tlb_priv *p = ctb_tlb_priv_new(ctx);
	int ret;

	if (!p)
		return ERR_PTR(-ENOMEM);
	p->nr = nr;
	ret = ctb_tlb_buf_alloc(&p->buf, nr, 0, true);
	if (ret) {
		ctb_tlb_teardown(ctx);
		return ERR_PTR(ret);
	}
	return p;
}

/*
 * Range size of an op: count when it uses count; else aux, the pages
 * touched before each sample (0 = CTB_TLB_FIXED_PAGES), so that a whole-TLB
 * flush can be compared with a ranged one over the same TLB contents.
 */
static unsigned int ctb_tlb_op_pages(const struct ctb_ctx *ctx, u32 uses)
{
	if (uses & CACHETLB_USES_COUNT)
		return ctx->run->count;
	return ctx->run->aux ? ctx->run->aux : CTB_TLB_FIXED_PAGES;
}

/*
 * pre_sample of every flush op: new signature through the linear map (with
 * VERIFY), then read every page through the alias so the TLB holds the
 * entries the flush is about to invalidate.
 */
static void ctb_tlb_pre_flush(struct ctb_ctx *ctx)
{
	struct ctb_tlb_priv *p = ctx->priv;

	if (p->verify)
		ctb_tlb_buf_sign(&p->buf, ++p->seq);
	ctb_tlb_touch(p->buf.va, p->buf.nr);
}

static void ctb_tlb_post_verify(struct ctb_ctx *ctx)
{
	struct ctb_tlb_priv *p = ctx->priv;

	if (p->verify)
		ctx->errors += ctb_tlb_check(p->buf.va, p->buf.nr, p->seq);
}

/* prepare for ops whose range is count pages or CTB_TLB_FIXED_PAGES. */
static int ctb_tlb_prepare_simple(struct ctb_ctx *ctx, u32 uses, bool ipi)
{
	struct ctb_tlb_priv *p;
	int ret;

	if (ipi) {
		ret = ctb_tlb_no_irqs_off(ctx);
		if (ret)
			return ret;
	}
	/* aux is 0 unless the op uses it (engine); its range is ours. */
	if (ctx->run->aux > CTB_TLB_MAX_PAGES) {
		ctx->err_field = CACHETLB_ERR_AUX;
		return -E2BIG;
	}
	p = ctb_tlb_prepare_buf(ctx, ctb_tlb_op_pages(ctx, uses));
	if (IS_ERR(p))
		return PTR_ERR(p);
	ctx->result = p->nr;
	return 0;
}

/* Build the target mask; the engine validated it, re-check defensively. */
static int ctb_tlb_prepare_targets(struct ctb_ctx *ctx, struct ctb_tlb_priv *p)
{
	const u64 *words = ctx->run->targets;
	unsigned int cpu;

	if (!zalloc_cpumask_var(&p->mask, GFP_KERNEL))
		return -ENOMEM;
	p->have_mask = true;
	for (cpu = 0; cpu < CACHETLB_MAX_CPUS; cpu++) {
		if (!(words[cpu / 64] & BIT_ULL(cpu % 64)))
			continue;
		if (cpu >= nr_cpu_ids || !cpu_online(cpu)) {
			ctx->err_field = CACHETLB_ERR_TARGETS;
			return -EINVAL;
		}
		cpumask_set_cpu(cpu, p->mask);
	}
	if (cpumask_empty(p->mask)) {
		ctx->err_field = CACHETLB_ERR_TARGETS;
		return -EINVAL;
	}
	return 0;
}

static int ctb_tlb_targets_prepare(struct ctb_ctx *ctx, u32 uses, bool ipi)
{
	struct ctb_tlb_priv *p;
	int ret;

	ret = ctb_tlb_prepare_simple(ctx, uses, ipi);
	if (ret)
		return ret;
	p = ctx->priv;
	ret = ctb_tlb_prepare_targets(ctx, p);
	if (ret) {
		ctb_tlb_teardown(ctx);
		return ret;
	}
	ctx->result = cpumask_weight(p->mask);
	return 0;
}

/* prepare of the local_* ops: count pages, or aux pages (0 = 16). */
static int ctb_tlb_local_count_prepare(struct ctb_ctx *ctx)
{
	return ctb_tlb_prepare_simple(ctx, CACHETLB_USES_COUNT, false);
}

static int ctb_tlb_local_fixed_prepare(struct ctb_ctx *ctx)
{
	return ctb_tlb_prepare_simple(ctx, 0, false);
}

/* --- the kernel's flush_tlb_all() and flush_tlb_kernel_range() --------- */

static const char *ctb_tlb_all_supported(void)
{
#ifdef CTB_ARCH_KFLUSH_ALL_NONE
	return CTB_ARCH_KFLUSH_ALL_NONE;
#else
	return ctb_syms_reason(ctb_arch_kflush_all_syms);
#endif
}

/* Resolved ones (x86, riscv) reach other CPUs through IPIs or SBI. */
static int ctb_tlb_all_prepare(struct ctb_ctx *ctx)
{
	bool resolved = ctb_arch_kflush_all_syms[0];
	struct ctb_tlb_priv *p;
	int ret;

	ret = ctb_tlb_prepare_simple(ctx, 0, resolved);
	if (ret)
		return ret;
	p = ctx->priv;
	p->fn = ctb_arch_kflush_all();
	if (!p->fn) {
		ctb_tlb_teardown(ctx);
		return -EOPNOTSUPP;
	}
	ctx->result = num_online_cpus();
	return 0;
}

static int ctb_tlb_all_run(struct ctb_ctx *ctx)
{
	struct ctb_tlb_priv *p = ctx->priv;

	((ctb_kflush_all_fn)p->fn)();
	return 0;
}

static const char *ctb_tlb_range_supported(void)
{
	const char *why = ctb_arch_kflush_range_reason();

	return why ? why : ctb_syms_reason(ctb_arch_kflush_range_syms);
}

static int ctb_tlb_range_prepare(struct ctb_ctx *ctx)
{
	bool resolved = ctb_arch_kflush_range_syms[0];
	struct ctb_tlb_priv *p;
	int ret;

	ret = ctb_tlb_prepare_simple(ctx, CACHETLB_USES_COUNT, resolved);
	if (ret)
		return ret;
	p = ctx->priv;
	p->fn = ctb_arch_kflush_range();
	if (!p->fn) {
		ctb_tlb_teardown(ctx);
		return -EOPNOTSUPP;
	}
	return 0;
}

static int ctb_tlb_range_run(struct ctb_ctx *ctx)
{
	struct ctb_tlb_priv *p = ctx->priv;
	unsigned long start = (unsigned long)p->buf.va;
	unsigned long end = start + (unsigned long)p->nr * PAGE_SIZE;

	((ctb_kflush_range_fn)p->fn)(start, end);
	return 0;
}

/*
 * x86 6.12 seals flush_tlb_all() (ENDBR poisoned) but not the callback it
 * sends, do_flush_tlb_all(): on_each_cpu() of it is flush_tlb_all() minus
 * one vm event count, built from the kernel's own code.  x86 only (.arch).
 */
static const char *const ctb_tlb_syms_do_all[] = { "do_flush_tlb_all", NULL };

static const char *ctb_tlb_do_all_supported(void)
{
	return ctb_syms_reason(ctb_tlb_syms_do_all);
}

static int ctb_tlb_do_all_prepare(struct ctb_ctx *ctx)
{
	struct ctb_tlb_priv *p;
	int ret;

	ret = ctb_tlb_prepare_simple(ctx, 0, true);
	if (ret)
		return ret;
	p = ctx->priv;
	p->fn = ctb_sym("do_flush_tlb_all");
	if (!p->fn) {
		ctb_tlb_teardown(ctx);
		return -EOPNOTSUPP;
	}
	ctx->result = num_online_cpus();
	return 0;
}

static int ctb_tlb_do_all_run(struct ctb_ctx *ctx)
{
	struct ctb_tlb_priv *p = ctx->priv;

	on_each_cpu((smp_call_func_t)p->fn, NULL, true);
	return 0;
}

/* --- raw ops of arch/<arch>.c: local (or hardware-broadcast) flushes ----- */

/* The row's raw op over the range; rvaae1is stores its TLBI count. */
static int ctb_tlb_raw_run(struct ctb_ctx *ctx)
{
	struct ctb_tlb_priv *p = ctx->priv;

	return ctb_arch_tlb_raw(ctx->op->raw, (unsigned long)p->buf.va, p->nr,
				p->context, &ctx->result);
}

/* pre_sample of raw ops that act on the current context (INVPCID type 1). */
static void ctb_tlb_context_pre(struct ctb_ctx *ctx)
{
	struct ctb_tlb_priv *p = ctx->priv;

	p->context = ctb_arch_tlb_context();
	ctb_tlb_pre_flush(ctx);
}

/* Remote raw op (riscv SBI): an SBI ecall needs no IPI, IRQs off is fine. */
static int ctb_tlb_remote_prepare(struct ctb_ctx *ctx)
{
	return ctb_tlb_targets_prepare(ctx, CACHETLB_USES_COUNT, false);
}

static int ctb_tlb_remote_run(struct ctb_ctx *ctx)
{
	struct ctb_tlb_priv *p = ctx->priv;

	return ctb_arch_tlb_remote(ctx->op->raw, p->mask,
				   (unsigned long)p->buf.va, p->nr);
}

/* --- cross-CPU: on_each_cpu_mask() -------------------------------------- */

static void ctb_tlb_ipi_nothing(void *info)
{
}

static void ctb_tlb_ipi_flush_all(void *info)
{
	ctb_arch_tlb_local_all();
}

static void ctb_tlb_ipi_flush_range(void *info)
{
	const struct ctb_tlb_priv *p = info;

	ctb_arch_tlb_local_pages((unsigned long)p->buf.va, p->nr);
}

static int ctb_tlb_ipi_fixed_prepare(struct ctb_ctx *ctx)
{
	return ctb_tlb_targets_prepare(ctx, 0, true);
}

static int ctb_tlb_ipi_count_prepare(struct ctb_ctx *ctx)
{
	return ctb_tlb_targets_prepare(ctx, CACHETLB_USES_COUNT, true);
}

static int ctb_tlb_ipi_empty_run(struct ctb_ctx *ctx)
{
	struct ctb_tlb_priv *p = ctx->priv;

	on_each_cpu_mask(p->mask, ctb_tlb_ipi_nothing, NULL, true);
	return 0;
}

static int ctb_tlb_ipi_flush_all_run(struct ctb_ctx *ctx)
{
	struct ctb_tlb_priv *p = ctx->priv;

	on_each_cpu_mask(p->mask, ctb_tlb_ipi_flush_all, NULL, true);
	return 0;
}

static int ctb_tlb_ipi_flush_range_run(struct ctb_ctx *ctx)
{
	struct ctb_tlb_priv *p = ctx->priv;

	on_each_cpu_mask(p->mask, ctb_tlb_ipi_flush_range, p, true);
	return 0;
}

/* --- refill: touch aux pages after a flush done in pre_sample ------------ */

enum ctb_tlb_refill_kind { CTB_TLB_REFILL_GLOBAL, CTB_TLB_REFILL_RANGE, CTB_TLB_REFILL_NONE };

static int ctb_tlb_refill_prepare(struct ctb_ctx *ctx)
{
	const struct cachetlb_run *run = ctx->run;
	struct ctb_tlb_priv *p;

	if (run->aux < 1 || run->aux > CTB_TLB_MAX_PAGES) {
		ctx->err_field = CACHETLB_ERR_AUX;
		return run->aux ? -E2BIG : -EINVAL;
	}
	/* The engine flushes (pre_sample) before every call: ONE_CALL. */
	p = ctb_tlb_prepare_buf(ctx, run->aux);
	if (IS_ERR(p))
		return PTR_ERR(p);
	return 0;
}

static void ctb_tlb_refill_pre(struct ctb_ctx *ctx, enum ctb_tlb_refill_kind kind)
{
	struct ctb_tlb_priv *p = ctx->priv;

	ctb_tlb_pre_flush(ctx);
	/* Same CPU, no switch between the touch and the flush. */
	preempt_disable();
	if (kind == CTB_TLB_REFILL_GLOBAL)
		ctb_arch_tlb_local_all();
	else if (kind == CTB_TLB_REFILL_RANGE)
		ctb_arch_tlb_local_pages((unsigned long)p->buf.va, p->nr);
	preempt_enable();
}

static void ctb_tlb_refill_global_pre(struct ctb_ctx *ctx)
{
	ctb_tlb_refill_pre(ctx, CTB_TLB_REFILL_GLOBAL);
}

static void ctb_tlb_refill_range_pre(struct ctb_ctx *ctx)
{
	ctb_tlb_refill_pre(ctx, CTB_TLB_REFILL_RANGE);
}

static void ctb_tlb_refill_none_pre(struct ctb_ctx *ctx)
{
	ctb_tlb_refill_pre(ctx, CTB_TLB_REFILL_NONE);
}

static int ctb_tlb_refill_run(struct ctb_ctx *ctx)
{
	struct ctb_tlb_priv *p = ctx->priv;

	p->sum = ctb_tlb_touch(p->buf.va, p->nr);
	return 0;
}

static void ctb_tlb_refill_post(struct ctb_ctx *ctx)
{
	struct ctb_tlb_priv *p = ctx->priv;

	ctx->result = p->sum;
	ctb_tlb_post_verify(ctx);
}

/* --- vmap + vunmap ------------------------------------------------------ */

static int ctb_tlb_vmap_prepare(struct ctb_ctx *ctx)
{
	struct ctb_tlb_priv *p = ctb_tlb_priv_new(ctx);
	int ret;

	if (!p)
		return -ENOMEM;
	p->nr = ctx->run->count;
	ret = ctb_tlb_buf_alloc(&p->buf, p->nr, 1, false);
	/* VERIFY alternates two page sets so a stale alias would show. */
	if (!ret && p->verify)
		ret = ctb_tlb_buf_alloc(&p->alt, p->nr, 2, false);
	if (ret) {
		ctb_tlb_teardown(ctx);
		return ret;
	}
	ctx->result = p->nr;
	return 0;
}

static int ctb_tlb_vmap_common(struct ctb_ctx *ctx, bool purge)
{
	struct ctb_tlb_priv *p = ctx->priv;
	struct ctb_tlb_buf *b = &p->buf;
	u32 gen = 1;
	void *va;

	if (p->verify && (p->iter++ & 1)) {
		b = &p->alt;
		gen = 2;
	}
	va = vmap(b->pages, p->nr, VM_MAP, PAGE_KERNEL);
	if (!va)
		return -ENOMEM;
	if (p->verify)
		p->run_errors += ctb_tlb_check(va, p->nr, gen);
	vunmap(va);
	if (purge)
		vm_unmap_aliases();
	return 0;
}

static int ctb_tlb_vmap_run(struct ctb_ctx *ctx)
{
	return ctb_tlb_vmap_common(ctx, false);
}

static int ctb_tlb_vmap_purge_run(struct ctb_ctx *ctx)
{
	return ctb_tlb_vmap_common(ctx, true);
}

static void ctb_tlb_vmap_post(struct ctb_ctx *ctx)
{
	struct ctb_tlb_priv *p = ctx->priv;

	ctx->errors += p->run_errors;
	p->run_errors = 0;
}

/* --- the table ---------------------------------------------------------- */

#define CTB_TLB_U_FLAGS	(CACHETLB_USES_AUX | CACHETLB_USES_OPFLAGS)
#define CTB_TLB_U_COUNT	(CACHETLB_USES_COUNT | CACHETLB_USES_OPFLAGS)
#define CTB_TLB_U_AUX	(CACHETLB_USES_AUX | CACHETLB_USES_OPFLAGS)
#define CTB_TLB_U_TGT	(CACHETLB_USES_TARGETS | CACHETLB_USES_OPFLAGS)
#define CTB_TLB_U_TGT_AUX	(CTB_TLB_U_TGT | CACHETLB_USES_AUX)
#define CTB_TLB_U_TGT_COUNT	(CTB_TLB_U_TGT | CACHETLB_USES_COUNT)

/*
 * What every tlb op shares: it verifies with CACHETLB_OPF_VERIFY and frees
 * all in ctb_tlb_teardown.  Ops with a count take 1..CTB_TLB_MAX_PAGES pages.
 */
#define CTB_TLB_COMMON							\
	.family = CACHETLB_FAM_TLB,					\
	.opflags = CACHETLB_OPF_VERIFY,					\
	.teardown = ctb_tlb_teardown

#define CTB_TLB_PAGES							\
	.unit = "pages", .count_min = 1, .count_max = CTB_TLB_MAX_PAGES

/* A flush of this CPU (or broadcast by hardware) over count pages. */
#define CTB_TLB_RAW_COUNT						\
	CTB_TLB_COMMON, CTB_TLB_PAGES, .uses = CTB_TLB_U_COUNT,		\
	.prepare = ctb_tlb_local_count_prepare,				\
	.pre_sample = ctb_tlb_pre_flush, .run = ctb_tlb_raw_run,	\
	.post_sample = ctb_tlb_post_verify

/* A whole-TLB or whole-context flush; the row names its pre_sample. */
#define CTB_TLB_RAW_FIXED						\
	CTB_TLB_COMMON, .unit = "flushes", .uses = CTB_TLB_U_FLAGS,	\
	.prepare = ctb_tlb_local_fixed_prepare, .run = ctb_tlb_raw_run,	\
	.post_sample = ctb_tlb_post_verify

/* A cross-CPU call over the target mask. */
#define CTB_TLB_IPI							\
	CTB_TLB_COMMON, .pre_sample = ctb_tlb_pre_flush,		\
	.post_sample = ctb_tlb_post_verify

#define CTB_TLB_REFILL							\
	CTB_TLB_COMMON, .unit = "pages", .uses = CTB_TLB_U_AUX,		\
	.prepare = ctb_tlb_refill_prepare, .run = ctb_tlb_refill_run,	\
	.post_sample = ctb_tlb_refill_post

#define CTB_TLB_VMAP							\
	CTB_TLB_COMMON, CTB_TLB_PAGES, .uses = CTB_TLB_U_COUNT,		\
	.props = CACHETLB_PROP_SLEEPS | CACHETLB_PROP_KERNEL_PATH,	\
	.prepare = ctb_tlb_vmap_prepare, .post_sample = ctb_tlb_vmap_post

#define CTB_TLB_P_CALL	CACHETLB_PROP_UNIT_IS_CALL
#define CTB_TLB_P_KPATH	CACHETLB_PROP_KERNEL_PATH
#define CTB_TLB_P_IPI	CACHETLB_PROP_IPI

const struct ctb_op ctb_ops_tlb[] = {
	{ CTB_TLB_COMMON, .name = "flush_tlb_all",
	  .params = "kernel flush_tlb_all(), all CPUs; aux = vmap pages touched before (0 = 16); op_result = online CPUs",
	  .unit = "flushes", .uses = CTB_TLB_U_FLAGS,
	  .props = CTB_TLB_P_IPI | CTB_TLB_P_KPATH | CTB_TLB_P_CALL |
		   CTB_ARCH_KFLUSH_ALL_PROPS,
	  .symbols = ctb_arch_kflush_all_syms,
	  .supported = ctb_tlb_all_supported, .prepare = ctb_tlb_all_prepare,
	  .pre_sample = ctb_tlb_pre_flush, .run = ctb_tlb_all_run,
	  .post_sample = ctb_tlb_post_verify },
	{ CTB_TLB_COMMON, CTB_TLB_PAGES, .name = "flush_tlb_kernel_range",
	  .params = "kernel flush_tlb_kernel_range() over count pages of a vmap range, all CPUs; op_result = count",
	  .uses = CTB_TLB_U_COUNT, .props = CTB_TLB_P_IPI | CTB_TLB_P_KPATH,
	  .symbols = ctb_arch_kflush_range_syms,
	  .supported = ctb_tlb_range_supported, .prepare = ctb_tlb_range_prepare,
	  .pre_sample = ctb_tlb_pre_flush, .run = ctb_tlb_range_run,
	  .post_sample = ctb_tlb_post_verify },
	{ CTB_TLB_COMMON, .name = "ipi_do_flush_tlb_all",
	  .params = "STAND-IN (ours, not the kernel fn): on_each_cpu(kernel do_flush_tlb_all) ~ flush_tlb_all; aux = pages touched (0 = 16)",
	  .unit = "flushes", .uses = CTB_TLB_U_FLAGS,
	  .props = CTB_TLB_P_IPI | CTB_TLB_P_CALL, .arch = CTB_ARCH_X86,
	  .symbols = ctb_tlb_syms_do_all,
	  .supported = ctb_tlb_do_all_supported, .prepare = ctb_tlb_do_all_prepare,
	  .pre_sample = ctb_tlb_pre_flush, .run = ctb_tlb_do_all_run,
	  .post_sample = ctb_tlb_post_verify },
	{ CTB_TLB_RAW_COUNT, .name = "local_invlpg",
	  .params = "x86 INVLPG per page over count pages, this CPU only; op_result = count",
	  .arch = CTB_ARCH_X86, .raw = CTB_RAW_INVLPG },
	{ CTB_TLB_RAW_FIXED, .name = "local_flush_all",
	  .params = "x86 __flush_tlb_all(): this CPU, global entries too; aux = vmap pages touched before (0 = 16)",
	  .props = CTB_TLB_P_KPATH | CTB_TLB_P_CALL, .pre_sample = ctb_tlb_pre_flush,
	  .arch = CTB_ARCH_X86, .raw = CTB_RAW_FLUSH_TLB_LOCAL },
	{ CTB_TLB_RAW_FIXED, .name = "local_invpcid_single",
	  .params = "x86 INVPCID type 1, current CR3 PCID (non-global entries), this CPU; aux = pages touched before (0 = 16)",
	  .props = CTB_TLB_P_CALL, .pre_sample = ctb_tlb_context_pre,
	  .arch = CTB_ARCH_X86, .raw = CTB_RAW_INVPCID_SINGLE },
	{ CTB_TLB_RAW_FIXED, .name = "local_invpcid_all",
	  .params = "x86 INVPCID type 2: all PCIDs, global entries too, this CPU; aux = pages touched before (0 = 16)",
	  .props = CTB_TLB_P_CALL, .pre_sample = ctb_tlb_pre_flush,
	  .arch = CTB_ARCH_X86, .raw = CTB_RAW_INVPCID_ALL },
	{ CTB_TLB_RAW_COUNT, .name = "local_tlbi_vaae1is",
	  .params = "arm64 TLBI VAAE1IS per page over count pages + DSB ISH (hardware broadcast); op_result = count",
	  .props = CTB_TLB_P_IPI,
	  .arch = CTB_ARCH_ARM64, .raw = CTB_RAW_TLBI_VAAE1IS },
	{ CTB_TLB_RAW_FIXED, .name = "local_tlbi_vmalle1is",
	  .params = "arm64 TLBI VMALLE1IS + DSB ISH (hardware broadcast); aux = pages touched before (0 = 16)",
	  .props = CTB_TLB_P_IPI | CTB_TLB_P_CALL, .pre_sample = ctb_tlb_pre_flush,
	  .arch = CTB_ARCH_ARM64, .raw = CTB_RAW_TLBI_VMALLE1IS },
	{ CTB_TLB_RAW_COUNT, .name = "local_tlbi_rvaae1is",
	  .params = "arm64 range TLBI RVAAE1IS over count pages (broadcast); op_result = TLBI instructions issued",
	  .props = CTB_TLB_P_IPI,
	  .arch = CTB_ARCH_ARM64, .raw = CTB_RAW_TLBI_RVAAE1IS },
	{ CTB_TLB_RAW_FIXED, .name = "local_tlbi_vmalle1",
	  .params = "arm64 local_flush_tlb_all(): TLBI VMALLE1 + DSB NSH, this CPU; aux = pages touched before (0 = 16)",
	  .props = CTB_TLB_P_KPATH | CTB_TLB_P_CALL, .pre_sample = ctb_tlb_pre_flush,
	  .arch = CTB_ARCH_ARM64, .raw = CTB_RAW_TLBI_VMALLE1 },
	{ CTB_TLB_RAW_COUNT, .name = "local_tlbimva",
	  .params = "armhf TLBIMVA per page over count pages + DSB NSH, this CPU only; op_result = count",
	  .arch = CTB_ARCH_ARM, .raw = CTB_RAW_TLBIMVA },
	{ CTB_TLB_RAW_COUNT, .name = "local_tlbimvais",
	  .params = "armhf TLBIMVAIS per page over count pages + DSB ISH (hardware broadcast); op_result = count",
	  .props = CTB_TLB_P_IPI,
	  .arch = CTB_ARCH_ARM, .raw = CTB_RAW_TLBIMVAIS },
	{ CTB_TLB_RAW_FIXED, .name = "local_tlbiall",
	  .params = "armhf TLBIALL + DSB NSH, this CPU (local_flush_tlb_all); aux = pages touched before (0 = 16)",
	  .props = CTB_TLB_P_KPATH | CTB_TLB_P_CALL, .pre_sample = ctb_tlb_pre_flush,
	  .arch = CTB_ARCH_ARM, .raw = CTB_RAW_TLBIALL },
	{ CTB_TLB_RAW_FIXED, .name = "local_tlbiallis",
	  .params = "armhf TLBIALLIS + DSB ISH (hardware broadcast); aux = pages touched before (0 = 16)",
	  .props = CTB_TLB_P_IPI | CTB_TLB_P_CALL, .pre_sample = ctb_tlb_pre_flush,
	  .arch = CTB_ARCH_ARM, .raw = CTB_RAW_TLBIALLIS },
	{ CTB_TLB_RAW_COUNT, .name = "local_sfence_vma_addr",
	  .params = "riscv SFENCE.VMA addr per page over count pages, this hart only; op_result = count",
	  .arch = CTB_ARCH_RISCV, .raw = CTB_RAW_SFENCE_VMA_ADDR },
	{ CTB_TLB_RAW_FIXED, .name = "local_sfence_vma_all",
	  .params = "riscv SFENCE.VMA (all addresses), this hart only; aux = pages touched before (0 = 16)",
	  .props = CTB_TLB_P_KPATH | CTB_TLB_P_CALL, .pre_sample = ctb_tlb_pre_flush,
	  .arch = CTB_ARCH_RISCV, .raw = CTB_RAW_SFENCE_VMA_ALL },
	{ CTB_TLB_RAW_COUNT, .name = "local_tlbiel_va",
	  .params = "ppc radix tlbiel (RIC=0 PRS=1 R=1, PID 0) per page over count pages + ptesync, this CPU; op_result = count",
	  .arch = CTB_ARCH_PPC, .raw = CTB_RAW_TLBIEL_VA },
	{ CTB_TLB_RAW_FIXED, .name = "local_tlbiel_all",
	  .params = "ppc radix tlbiel IS=3 of every TLB set (set 0 RIC=2) + ptesync, this CPU; aux = pages touched before (0 = 16)",
	  .props = CTB_TLB_P_CALL, .pre_sample = ctb_tlb_pre_flush,
	  .arch = CTB_ARCH_PPC, .raw = CTB_RAW_TLBIEL_ALL },
	{ CTB_TLB_IPI, CTB_TLB_PAGES, .name = "sbi_remote_sfence_vma",
	  .params = "riscv SBI remote SFENCE.VMA of count pages on the target harts; op_result = targets",
	  .uses = CTB_TLB_U_TGT_COUNT, .props = CTB_TLB_P_IPI | CTB_TLB_P_KPATH,
	  .arch = CTB_ARCH_RISCV, .raw = CTB_RAW_SBI_SFENCE_VMA,
	  .prepare = ctb_tlb_remote_prepare, .run = ctb_tlb_remote_run },
	{ CTB_TLB_RAW_COUNT, .name = "local_ipte_local",
	  .params = "s390 IPTE with the local-clearing option per page (pte invalidated, then restored), this CPU; op_result = count",
	  .arch = CTB_ARCH_S390, .raw = CTB_RAW_IPTE_LOCAL },
	{ CTB_TLB_RAW_COUNT, .name = "local_ipte",
	  .params = "s390 IPTE per page (pte invalidated, then restored; hardware broadcast, no IPI); op_result = count",
	  .props = CTB_TLB_P_IPI,
	  .arch = CTB_ARCH_S390, .raw = CTB_RAW_IPTE },
	{ CTB_TLB_RAW_FIXED, .name = "local_ptlb",
	  .params = "s390 PTLB (__tlb_flush_local()): whole TLB, this CPU; aux = vmap pages touched before (0 = 16)",
	  .props = CTB_TLB_P_KPATH | CTB_TLB_P_CALL, .pre_sample = ctb_tlb_pre_flush,
	  .arch = CTB_ARCH_S390, .raw = CTB_RAW_PTLB },
	{ CTB_TLB_RAW_FIXED, .name = "local_csp",
	  .params = "s390 __tlb_flush_global(): CSP with the purge bit, every CPU's TLB (hardware broadcast, no IPI); aux = vmap pages touched before (0 = 16)",
	  .props = CTB_TLB_P_IPI | CTB_TLB_P_KPATH | CTB_TLB_P_CALL,
	  .pre_sample = ctb_tlb_pre_flush,
	  .arch = CTB_ARCH_S390, .raw = CTB_RAW_CSP },
	{ CTB_TLB_RAW_FIXED, .name = "local_idte_kernel",
	  .params = "s390 IDTE of the kernel ASCE (lowcore copy of init_mm's): what inline flush_tlb_kernel_range() issues for any range (hardware broadcast, no IPI); aux = vmap pages touched before (0 = 16)",
	  .props = CTB_TLB_P_IPI | CTB_TLB_P_CALL,
	  .pre_sample = ctb_tlb_pre_flush,
	  .arch = CTB_ARCH_S390, .raw = CTB_RAW_IDTE_KERNEL },
	{ CTB_TLB_IPI, .name = "ipi_empty",
	  .params = "on_each_cpu_mask(targets, empty fn, wait): cross-CPU baseline; aux = pages touched (0 = 16); op_result = targets",
	  .unit = "calls", .uses = CTB_TLB_U_TGT_AUX,
	  .props = CTB_TLB_P_IPI | CTB_TLB_P_CALL,
	  .prepare = ctb_tlb_ipi_fixed_prepare, .run = ctb_tlb_ipi_empty_run },
	{ CTB_TLB_IPI, .name = "ipi_flush_all",
	  .params = "STAND-IN (ours, not the kernel fn): on_each_cpu_mask(targets) + local full flush; aux = pages touched (0 = 16)",
	  .unit = "calls", .uses = CTB_TLB_U_TGT_AUX,
	  .props = CTB_TLB_P_IPI | CTB_TLB_P_CALL,
	  .prepare = ctb_tlb_ipi_fixed_prepare, .run = ctb_tlb_ipi_flush_all_run },
	{ CTB_TLB_IPI, CTB_TLB_PAGES, .name = "ipi_flush_range",
	  .params = "STAND-IN (ours, not the kernel fn, no ceiling): on_each_cpu_mask(targets) + local per-page flush of count pages",
	  .uses = CTB_TLB_U_TGT_COUNT, .props = CTB_TLB_P_IPI,
	  .prepare = ctb_tlb_ipi_count_prepare, .run = ctb_tlb_ipi_flush_range_run },
	{ CTB_TLB_REFILL, .name = "refill_after_global",
	  .params = "read aux pages of a vmap range after a local full flush (untimed); op_result = checksum",
	  .pre_sample = ctb_tlb_refill_global_pre },
	{ CTB_TLB_REFILL, .name = "refill_after_range",
	  .params = "read aux pages of a vmap range after a local flush of them (untimed); op_result = checksum",
	  .pre_sample = ctb_tlb_refill_range_pre },
	{ CTB_TLB_REFILL, .name = "refill_noflush",
	  .params = "read aux pages of a vmap range, TLB warm (no flush); op_result = checksum",
	  .pre_sample = ctb_tlb_refill_none_pre },
	{ CTB_TLB_VMAP, .name = "vmap_vunmap",
	  .params = "vmap() + vunmap() of count pages, lazy TLB purge when it happens; VERIFY reads the alias (timed)",
	  .run = ctb_tlb_vmap_run },
	{ CTB_TLB_VMAP, .name = "vmap_vunmap_purge",
	  .params = "vmap() + vunmap() of count pages + vm_unmap_aliases(); VERIFY reads the alias (timed)",
	  .run = ctb_tlb_vmap_purge_run },
	{ CTB_TLB_RAW_COUNT, .name = "local_mips_tlbp_tlbwi",
	  .params = "mips TLBP + TLBWI of a unique VPN2 per page over count pages, this CPU only; op_result = count",
	  .arch = CTB_ARCH_MIPS, .raw = CTB_RAW_MIPS_TLBP_TLBWI },
	{ CTB_TLB_RAW_FIXED, .name = "local_mips_flush_all",
	  .params = "mips local_flush_tlb_all(): every non-wired entry, this CPU; aux = pages touched before (0 = 16)",
	  .props = CTB_TLB_P_KPATH | CTB_TLB_P_CALL, .pre_sample = ctb_tlb_pre_flush,
	  .arch = CTB_ARCH_MIPS, .raw = CTB_RAW_MIPS_TLB_LOCAL_ALL },
};

const unsigned int ctb_nr_ops_tlb = ARRAY_SIZE(ctb_ops_tlb);
