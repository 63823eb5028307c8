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
 * arm64, resolved through RESOLVE on x86 and riscv), never a copy of them.
 * The local_* ops issue the raw instruction on the measuring CPU.  ipi_*
 * ops run a local flush on a userspace-chosen CPU mask; they are the
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
#include <asm/tlbflush.h>
#if defined(CONFIG_X86_64)
#include <asm/cpufeature.h>
#include <asm/invpcid.h>
#include <asm/special_insns.h>
#elif defined(CONFIG_ARM64)
#include <asm/barrier.h>
#include <asm/cpufeature.h>
#elif defined(CONFIG_RISCV)
#include <asm/sbi.h>
#endif
#include "cachetlb.h"

#define TLB_MAX_PAGES		2048	/* count/aux limit of every tlb op */
#define TLB_FIXED_PAGES		16	/* default range of ops without a count */
#define TLB_MAGIC		0x7e5a11b0c0ffee00ULL

/*
 * riscv made flush_tlb_kernel_range() a real out-of-line ranged flush in
 * 6.8, in the series that added FLUSH_TLB_NO_ASID; before, it was an inline
 * flush_tlb_all() that modpost rejects.
 */
#if defined(CONFIG_X86_64) || (defined(CONFIG_RISCV) && defined(FLUSH_TLB_NO_ASID))
#define TLB_RANGE_RESOLVED	1
#endif

typedef void (*tlb_flush_all_fn)(void);
typedef void (*tlb_flush_range_fn)(unsigned long start, unsigned long end);

struct tlb_buf {
	struct page **pages;
	unsigned int nr;
	void *va;			/* vmap() alias of pages, or NULL */
};

struct tlb_priv {
	struct tlb_buf buf;		/* range flushed, touched, verified */
	struct tlb_buf alt;		/* vmap_vunmap: second page set */
	cpumask_var_t mask;		/* USES_TARGETS ops */
	bool have_mask;
	bool verify;
	unsigned int nr;		/* pages one iteration covers */
	void *fn;			/* resolved kernel function */
	u32 seq;			/* VERIFY signature generation */
	u32 run_errors;			/* mismatches seen inside run() */
	unsigned long iter;		/* vmap ops: page set selector */
	unsigned long pcid;		/* x86 local_invpcid_single */
	u64 sum;			/* refill ops: checksum of last run */
};

static const char *const tlb_syms_none[] = { NULL };

/* --- arch primitives (local CPU only) ----------------------------------- */

#if defined(CONFIG_X86_64)
static inline void tlb_invlpg(unsigned long addr)
{
	asm volatile("invlpg (%0)" : : "r" (addr) : "memory");
}
#endif

/* Full flush of the local TLB; caller has preemption disabled. */
static void tlb_local_flush_all(void)
{
#if defined(CONFIG_X86_64)
	__flush_tlb_all();
#elif defined(CONFIG_ARM64) || defined(CONFIG_RISCV)
	local_flush_tlb_all();
#endif
}

/* Per-page flush of [addr, addr + nr pages) on the local TLB only. */
static void tlb_local_flush_pages(unsigned long addr, unsigned int nr)
{
	unsigned int i;

#if defined(CONFIG_X86_64)
	for (i = 0; i < nr; i++)
		tlb_invlpg(addr + i * PAGE_SIZE);
#elif defined(CONFIG_ARM64)
	dsb(nshst);
	for (i = 0; i < nr; i++)
		__tlbi(vaae1, __TLBI_VADDR(addr + i * PAGE_SIZE, 0));
	dsb(nsh);
	isb();
#elif defined(CONFIG_RISCV)
	for (i = 0; i < nr; i++)
		local_flush_tlb_page(addr + i * PAGE_SIZE);
#endif
}

/* --- buffers ------------------------------------------------------------ */

static inline u64 tlb_sig(u32 gen, unsigned int page)
{
	return TLB_MAGIC ^ ((u64)gen << 32) ^ page;
}

static void tlb_buf_free(struct tlb_buf *b)
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
static void tlb_buf_sign(struct tlb_buf *b, u32 gen)
{
	unsigned int i;

	for (i = 0; i < b->nr; i++)
		WRITE_ONCE(*(u64 *)page_address(b->pages[i]), tlb_sig(gen, i));
}

/* Allocate @nr pages signed with @gen and, if @map, vmap() them. */
static int tlb_buf_alloc(struct tlb_buf *b, unsigned int nr, u32 gen, bool map)
{
	unsigned int i;

	b->pages = kvcalloc(nr, sizeof(*b->pages), GFP_KERNEL);
	if (!b->pages)
		return -ENOMEM;
	b->nr = nr;
	for (i = 0; i < nr; i++) {
		if (fatal_signal_pending(current)) {
			tlb_buf_free(b);
			return -EINTR;
		}
		b->pages[i] = alloc_page(GFP_KERNEL);
		if (!b->pages[i]) {
			tlb_buf_free(b);
			return -ENOMEM;
		}
	}
	tlb_buf_sign(b, gen);
	if (map) {
		b->va = vmap(b->pages, nr, VM_MAP, PAGE_KERNEL);
		if (!b->va) {
			tlb_buf_free(b);
			return -ENOMEM;
		}
	}
	return 0;
}

/* Read word 0 of the first @nr pages through the alias; returns their sum. */
static u64 tlb_touch(const void *va, unsigned int nr)
{
	unsigned int i;
	u64 sum = 0;

	for (i = 0; i < nr; i++)
		sum += READ_ONCE(*(const u64 *)(va + i * PAGE_SIZE));
	return sum;
}

/* Pages among the first @nr whose alias does not show generation @gen. */
static u32 tlb_check(const void *va, unsigned int nr, u32 gen)
{
	unsigned int i;
	u32 bad = 0;

	for (i = 0; i < nr; i++)
		if (READ_ONCE(*(const u64 *)(va + i * PAGE_SIZE)) !=
		    tlb_sig(gen, i))
			bad++;
	return bad;
}

/* --- common callbacks --------------------------------------------------- */

static struct tlb_priv *tlb_priv_new(struct ctb_ctx *ctx)
{
	struct tlb_priv *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return NULL;
	p->verify = ctx->run->opflags & CACHETLB_OPF_VERIFY;
	ctx->priv = p;
	return p;
}

static void tlb_teardown(struct ctb_ctx *ctx)
{
	struct tlb_priv *p = ctx->priv;

	if (!p)
		return;
	tlb_buf_free(&p->buf);
	tlb_buf_free(&p->alt);
	if (p->have_mask)
		free_cpumask_var(p->mask);
	kfree(p);
	ctx->priv = NULL;
}

/* Flushes that may send IPIs cannot run with IRQs off (smp_call_function). */
static int tlb_no_irqs_off(struct ctb_ctx *ctx)
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
static struct tlb_priv *tlb_prepare_buf(struct ctb_ctx *ctx, unsigned int nr)
{
	struct tlb_priv *p = tlb_priv_new(ctx);
	int ret;

	if (!p)
		return ERR_PTR(-ENOMEM);
	p->nr = nr;
	ret = tlb_buf_alloc(&p->buf, nr, 0, true);
	if (ret) {
		tlb_teardown(ctx);
		return ERR_PTR(ret);
	}
	return p;
}

/*
 * Range size of an op: count when it uses count; else aux, the pages
 * touched before each sample (0 = TLB_FIXED_PAGES), so that a whole-TLB
 * flush can be compared with a ranged one over the same TLB contents.
 */
static unsigned int tlb_op_pages(const struct ctb_ctx *ctx, u32 uses)
{
	if (uses & CACHETLB_USES_COUNT)
		return ctx->run->count;
	return ctx->run->aux ? ctx->run->aux : TLB_FIXED_PAGES;
}

/*
 * pre_sample of every flush op: new signature through the linear map (with
 * VERIFY), then read every page through the alias so the TLB holds the
 * entries the flush is about to invalidate.
 */
static void tlb_pre_flush(struct ctb_ctx *ctx)
{
	struct tlb_priv *p = ctx->priv;

	if (p->verify)
		tlb_buf_sign(&p->buf, ++p->seq);
	tlb_touch(p->buf.va, p->buf.nr);
}

static void tlb_post_verify(struct ctb_ctx *ctx)
{
	struct tlb_priv *p = ctx->priv;

	if (p->verify)
		ctx->errors += tlb_check(p->buf.va, p->buf.nr, p->seq);
}

/* prepare for ops whose range is count pages or TLB_FIXED_PAGES. */
static int tlb_prepare_simple(struct ctb_ctx *ctx, u32 uses, bool ipi)
{
	struct tlb_priv *p;
	int ret;

	if (ipi) {
		ret = tlb_no_irqs_off(ctx);
		if (ret)
			return ret;
	}
	/* aux is 0 unless the op uses it (engine); its range is ours. */
	if (ctx->run->aux > TLB_MAX_PAGES) {
		ctx->err_field = CACHETLB_ERR_AUX;
		return -E2BIG;
	}
	p = tlb_prepare_buf(ctx, tlb_op_pages(ctx, uses));
	if (IS_ERR(p))
		return PTR_ERR(p);
	ctx->result = p->nr;
	return 0;
}

/* Build the target mask; the engine validated it, re-check defensively. */
static int tlb_prepare_targets(struct ctb_ctx *ctx, struct tlb_priv *p)
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

static int tlb_targets_prepare(struct ctb_ctx *ctx, u32 uses, bool ipi)
{
	struct tlb_priv *p;
	int ret;

	ret = tlb_prepare_simple(ctx, uses, ipi);
	if (ret)
		return ret;
	p = ctx->priv;
	ret = tlb_prepare_targets(ctx, p);
	if (ret) {
		tlb_teardown(ctx);
		return ret;
	}
	ctx->result = cpumask_weight(p->mask);
	return 0;
}

/* prepare of the local_* ops: count pages, or aux pages (0 = 16). */
static int tlb_local_count_prepare(struct ctb_ctx *ctx)
{
	return tlb_prepare_simple(ctx, CACHETLB_USES_COUNT, false);
}

static int tlb_local_fixed_prepare(struct ctb_ctx *ctx)
{
	return tlb_prepare_simple(ctx, 0, false);
}

/* --- flush_tlb_all ------------------------------------------------------ */

#if defined(CONFIG_X86_64) || defined(CONFIG_RISCV)
static const char *const tlb_syms_all[] = { "flush_tlb_all", NULL };
#define TLB_ALL_SYMS	tlb_syms_all
#else
#define TLB_ALL_SYMS	tlb_syms_none
#endif

static const char *tlb_all_supported(void)
{
#if defined(CONFIG_X86_64) || defined(CONFIG_RISCV)
	return ctb_syms_reason(tlb_syms_all);
#elif defined(CONFIG_ARM64)
	return NULL;
#else
	return "not implemented on this arch";
#endif
}

static int tlb_all_prepare(struct ctb_ctx *ctx)
{
	/* x86 and riscv reach flush_tlb_all() through IPIs (or SBI). */
	bool resolved = IS_ENABLED(CONFIG_X86_64) || IS_ENABLED(CONFIG_RISCV);
	struct tlb_priv *p;
	int ret;

	ret = tlb_prepare_simple(ctx, 0, resolved);
	if (ret)
		return ret;
	p = ctx->priv;
	if (resolved) {
		p->fn = ctb_sym("flush_tlb_all");
		if (!p->fn) {
			tlb_teardown(ctx);
			return -EOPNOTSUPP;
		}
	}
	ctx->result = num_online_cpus();
	return 0;
}

static int tlb_all_run(struct ctb_ctx *ctx)
{
#if defined(CONFIG_X86_64) || defined(CONFIG_RISCV)
	struct tlb_priv *p = ctx->priv;

	((tlb_flush_all_fn)p->fn)();
	return 0;
#elif defined(CONFIG_ARM64)
	flush_tlb_all();
	return 0;
#else
	return -EOPNOTSUPP;
#endif
}

/* --- flush_tlb_kernel_range --------------------------------------------- */

#if defined(TLB_RANGE_RESOLVED)
static const char *const tlb_syms_range[] = { "flush_tlb_kernel_range", NULL };
#define TLB_RANGE_SYMS	tlb_syms_range
#else
#define TLB_RANGE_SYMS	tlb_syms_none
#endif

static const char *tlb_range_supported(void)
{
#if defined(TLB_RANGE_RESOLVED)
	return ctb_syms_reason(tlb_syms_range);
#elif defined(CONFIG_ARM64)
	return NULL;
#elif defined(CONFIG_RISCV)
	return "link-fail on this kernel (inline, calls unexported flush_tlb_all)";
#else
	return "not implemented on this arch";
#endif
}

#if defined(TLB_RANGE_RESOLVED) || defined(CONFIG_ARM64)
static int tlb_range_prepare(struct ctb_ctx *ctx)
{
#if defined(TLB_RANGE_RESOLVED)
	struct tlb_priv *p;
	int ret;

	ret = tlb_prepare_simple(ctx, CACHETLB_USES_COUNT, true);
	if (ret)
		return ret;
	p = ctx->priv;
	p->fn = ctb_sym("flush_tlb_kernel_range");
	if (!p->fn) {
		tlb_teardown(ctx);
		return -EOPNOTSUPP;
	}
	return 0;
#else
	return tlb_prepare_simple(ctx, CACHETLB_USES_COUNT, false);
#endif
}

static int tlb_range_run(struct ctb_ctx *ctx)
{
	struct tlb_priv *p = ctx->priv;
	unsigned long start = (unsigned long)p->buf.va;
	unsigned long end = start + (unsigned long)p->nr * PAGE_SIZE;

#if defined(TLB_RANGE_RESOLVED)
	((tlb_flush_range_fn)p->fn)(start, end);
#else
	flush_tlb_kernel_range(start, end);
#endif
	return 0;
}
#else
#define tlb_range_prepare	ctb_op_unsupported
#define tlb_range_run		ctb_op_unsupported
#endif

/* --- x86: local fences, the kernel's flush_tlb_all() IPI callback ------- */

#if defined(CONFIG_X86_64)
static const char *tlb_invpcid_supported(void)
{
	if (!boot_cpu_has(X86_FEATURE_INVPCID))
		return "CPU lacks INVPCID (or booted with noinvpcid)";
	return NULL;
}

static int tlb_invlpg_run(struct ctb_ctx *ctx)
{
	struct tlb_priv *p = ctx->priv;

	tlb_local_flush_pages((unsigned long)p->buf.va, p->nr);
	return 0;
}

static int tlb_x86_flush_all_run(struct ctb_ctx *ctx)
{
	__flush_tlb_all();
	return 0;
}

static void tlb_invpcid_pre(struct ctb_ctx *ctx)
{
	struct tlb_priv *p = ctx->priv;

	/* CR3[11:0] is a PCID only with CR4.PCIDE; else use PCID 0. */
	p->pcid = (__read_cr4() & X86_CR4_PCIDE) ?
		  (__read_cr3() & CR3_PCID_MASK) : 0;
	tlb_pre_flush(ctx);
}

static int tlb_invpcid_single_run(struct ctb_ctx *ctx)
{
	struct tlb_priv *p = ctx->priv;

	invpcid_flush_single_context(p->pcid);
	return 0;
}

static int tlb_invpcid_all_run(struct ctb_ctx *ctx)
{
	invpcid_flush_all();
	return 0;
}

/*
 * x86 6.12 seals flush_tlb_all() (ENDBR poisoned) but not the callback it
 * sends, do_flush_tlb_all(): on_each_cpu() of it is flush_tlb_all() minus
 * one vm event count, built from the kernel's own code.
 */
static const char *const tlb_syms_do_all[] = { "do_flush_tlb_all", NULL };
#define TLB_DO_ALL_SYMS	tlb_syms_do_all

static const char *tlb_do_all_supported(void)
{
	return ctb_syms_reason(tlb_syms_do_all);
}

static int tlb_do_all_prepare(struct ctb_ctx *ctx)
{
	struct tlb_priv *p;
	int ret;

	ret = tlb_prepare_simple(ctx, 0, true);
	if (ret)
		return ret;
	p = ctx->priv;
	p->fn = ctb_sym("do_flush_tlb_all");
	if (!p->fn) {
		tlb_teardown(ctx);
		return -EOPNOTSUPP;
	}
	ctx->result = num_online_cpus();
	return 0;
}

static int tlb_do_all_run(struct ctb_ctx *ctx)
{
	struct tlb_priv *p = ctx->priv;

	on_each_cpu((smp_call_func_t)p->fn, NULL, true);
	return 0;
}
#else
#define tlb_invpcid_supported	ctb_x86_only
#define tlb_invlpg_run		ctb_op_unsupported
#define tlb_x86_flush_all_run	ctb_op_unsupported
#define tlb_invpcid_pre		tlb_pre_flush
#define tlb_invpcid_single_run	ctb_op_unsupported
#define tlb_invpcid_all_run	ctb_op_unsupported
#define TLB_DO_ALL_SYMS		tlb_syms_none
#define tlb_do_all_supported	ctb_x86_only
#define tlb_do_all_prepare	ctb_op_unsupported
#define tlb_do_all_run		ctb_op_unsupported
#endif

/* --- arm64 local and broadcast fences ----------------------------------- */

#if defined(CONFIG_ARM64)
/* TG field of a range TLBI operand for this kernel's page size. */
static inline u64 tlb_range_tg(void)
{
	if (PAGE_SIZE == SZ_4K)
		return 1;
	if (PAGE_SIZE == SZ_16K)
		return 2;
	return 3;
}

/*
 * TLBI RVAAE1IS, Xt operand: TG[47:46], SCALE[45:44], NUM[43:39],
 * TTL[38:37] = 0 (no level hint), BaseADDR[36:0] = VA >> @shift (the
 * page shift, or 16 with LPA2).  It covers
 * (NUM + 1) << (5 * SCALE + 1) pages starting at the base.
 */
static inline u64 tlb_range_operand(unsigned long addr, unsigned int shift,
				    unsigned int scale, unsigned int num)
{
	return (tlb_range_tg() << 46) | ((u64)scale << 44) |
	       ((u64)num << 39) | ((addr >> shift) & GENMASK_ULL(36, 0));
}

/* LPA2 (52-bit VA with 4K/16K pages) changes the range base unit to 64KiB. */
static inline bool tlb_lpa2(void)
{
#ifdef CONFIG_ARM64_LPA2
	return lpa2_is_enabled();
#else
	return false;
#endif
}

/* Encoded by hand (Xt = x9) so no ARMv8.4 assembler support is needed. */
static inline void tlb_tlbi_rvaae1is(u64 operand)
{
	asm volatile("mov x9, %0\n\t"
		     ".inst 0xd5088269\n"	/* tlbi rvaae1is, x9 */
		     : : "r" (operand) : "x9", "memory");
}

static const char *tlb_rvaae1is_supported(void)
{
	if (!system_supports_tlb_range())
		return "CPU lacks FEAT_TLBIRANGE (or kernel without ARM64_TLB_RANGE)";
	return NULL;
}

static int tlb_vaae1is_run(struct ctb_ctx *ctx)
{
	struct tlb_priv *p = ctx->priv;
	unsigned long addr = (unsigned long)p->buf.va;
	unsigned int i;

	dsb(ishst);
	for (i = 0; i < p->nr; i++)
		__tlbi(vaae1is, __TLBI_VADDR(addr + i * PAGE_SIZE, 0));
	dsb(ish);
	isb();
	return 0;
}

static int tlb_vmalle1is_run(struct ctb_ctx *ctx)
{
	dsb(ishst);
	__tlbi(vmalle1is);
	dsb(ish);
	isb();
	return 0;
}

/*
 * Range TLBI over nr pages, largest chunks first: one RVAAE1IS per non-zero
 * 5-bit chunk of the page count (scale 3 down to 0), then a single TLBI
 * VAAE1IS for an odd last page.  With LPA2 (TCR_EL1.DS) the range base is
 * in 64KiB units, so single TLBIs first bring the start to a 64KiB
 * boundary; largest-first keeps every later range start aligned.  Counts
 * up to 2048 pages need at most 4 instructions (+ 15 alignment TLBIs).
 */
static int tlb_rvaae1is_run(struct ctb_ctx *ctx)
{
	struct tlb_priv *p = ctx->priv;
	unsigned long addr = (unsigned long)p->buf.va;
	unsigned long left = p->nr, chunk;
	bool lpa2 = tlb_lpa2();
	unsigned int shift = lpa2 ? 16 : PAGE_SHIFT;
	unsigned int num, ops = 0;
	int scale;

	dsb(ishst);
	while (left && lpa2 && !IS_ALIGNED(addr, SZ_64K)) {
		__tlbi(vaae1is, __TLBI_VADDR(addr, 0));
		addr += PAGE_SIZE;
		left--;
		ops++;
	}
	for (scale = 3; scale >= 0 && left; scale--) {
		num = (left >> (5 * scale + 1)) & 0x1f;
		if (!num)
			continue;
		chunk = (unsigned long)num << (5 * scale + 1);
		tlb_tlbi_rvaae1is(tlb_range_operand(addr, shift, scale,
						    num - 1));
		addr += chunk * PAGE_SIZE;
		left -= chunk;
		ops++;
	}
	if (left == 1) {
		__tlbi(vaae1is, __TLBI_VADDR(addr, 0));
		left--;
		ops++;
	}
	dsb(ish);
	isb();
	ctx->result = ops;
	return left ? -EINVAL : 0;
}

static int tlb_vmalle1_run(struct ctb_ctx *ctx)
{
	local_flush_tlb_all();
	return 0;
}
#else
#define tlb_rvaae1is_supported	ctb_arm64_only
#define tlb_vaae1is_run		ctb_op_unsupported
#define tlb_vmalle1is_run	ctb_op_unsupported
#define tlb_rvaae1is_run	ctb_op_unsupported
#define tlb_vmalle1_run		ctb_op_unsupported
#endif

/* --- riscv local fences and SBI remote fence ---------------------------- */

#if defined(CONFIG_RISCV)
static const char *tlb_sbi_supported(void)
{
	if (!IS_ENABLED(CONFIG_RISCV_SBI))
		return "kernel built without CONFIG_RISCV_SBI";
	return NULL;
}

static int tlb_sfence_addr_run(struct ctb_ctx *ctx)
{
	struct tlb_priv *p = ctx->priv;

	tlb_local_flush_pages((unsigned long)p->buf.va, p->nr);
	return 0;
}

static int tlb_sfence_all_run(struct ctb_ctx *ctx)
{
	local_flush_tlb_all();
	return 0;
}

static int tlb_sbi_prepare(struct ctb_ctx *ctx)
{
	/* An SBI ecall needs no IPI from S-mode: IRQs off is fine. */
	return tlb_targets_prepare(ctx, CACHETLB_USES_COUNT, false);
}

#if defined(CONFIG_RISCV_SBI)
static int tlb_sbi_run(struct ctb_ctx *ctx)
{
	struct tlb_priv *p = ctx->priv;
	unsigned long size = (unsigned long)p->nr * PAGE_SIZE;

#ifdef FLUSH_TLB_NO_ASID
	return sbi_remote_sfence_vma_asid(p->mask, (unsigned long)p->buf.va,
					  size, FLUSH_TLB_NO_ASID);
#else
	return sbi_remote_sfence_vma(p->mask, (unsigned long)p->buf.va, size);
#endif
}
#else
#define tlb_sbi_run		ctb_op_unsupported
#endif
#else
#define tlb_sbi_supported	ctb_riscv_only
#define tlb_sfence_addr_run	ctb_op_unsupported
#define tlb_sfence_all_run	ctb_op_unsupported
#define tlb_sbi_prepare		ctb_op_unsupported
#define tlb_sbi_run		ctb_op_unsupported
#endif

/* --- cross-CPU: on_each_cpu_mask() -------------------------------------- */

static const char *tlb_any_supported(void)
{
#if defined(CONFIG_X86_64) || defined(CONFIG_ARM64) || defined(CONFIG_RISCV)
	return NULL;
#else
	return "not implemented on this arch";
#endif
}

static void tlb_ipi_nothing(void *info)
{
}

static void tlb_ipi_flush_all(void *info)
{
	tlb_local_flush_all();
}

static void tlb_ipi_flush_range(void *info)
{
	const struct tlb_priv *p = info;

	tlb_local_flush_pages((unsigned long)p->buf.va, p->nr);
}

static int tlb_ipi_fixed_prepare(struct ctb_ctx *ctx)
{
	return tlb_targets_prepare(ctx, 0, true);
}

static int tlb_ipi_count_prepare(struct ctb_ctx *ctx)
{
	return tlb_targets_prepare(ctx, CACHETLB_USES_COUNT, true);
}

static int tlb_ipi_empty_run(struct ctb_ctx *ctx)
{
	struct tlb_priv *p = ctx->priv;

	on_each_cpu_mask(p->mask, tlb_ipi_nothing, NULL, true);
	return 0;
}

static int tlb_ipi_flush_all_run(struct ctb_ctx *ctx)
{
	struct tlb_priv *p = ctx->priv;

	on_each_cpu_mask(p->mask, tlb_ipi_flush_all, NULL, true);
	return 0;
}

static int tlb_ipi_flush_range_run(struct ctb_ctx *ctx)
{
	struct tlb_priv *p = ctx->priv;

	on_each_cpu_mask(p->mask, tlb_ipi_flush_range, p, true);
	return 0;
}

/* --- refill: touch aux pages after a flush done in pre_sample ------------ */

enum tlb_refill_kind { TLB_REFILL_GLOBAL, TLB_REFILL_RANGE, TLB_REFILL_NONE };

static int tlb_refill_prepare(struct ctb_ctx *ctx)
{
	const struct cachetlb_run *run = ctx->run;
	struct tlb_priv *p;

	if (run->aux < 1 || run->aux > TLB_MAX_PAGES) {
		ctx->err_field = CACHETLB_ERR_AUX;
		return run->aux ? -E2BIG : -EINVAL;
	}
	/* The engine flushes (pre_sample) before every call: ONE_CALL. */
	p = tlb_prepare_buf(ctx, run->aux);
	if (IS_ERR(p))
		return PTR_ERR(p);
	return 0;
}

static void tlb_refill_pre(struct ctb_ctx *ctx, enum tlb_refill_kind kind)
{
	struct tlb_priv *p = ctx->priv;

	tlb_pre_flush(ctx);
	/* Same CPU, no switch between the touch and the flush. */
	preempt_disable();
	if (kind == TLB_REFILL_GLOBAL)
		tlb_local_flush_all();
	else if (kind == TLB_REFILL_RANGE)
		tlb_local_flush_pages((unsigned long)p->buf.va, p->nr);
	preempt_enable();
}

static void tlb_refill_global_pre(struct ctb_ctx *ctx)
{
	tlb_refill_pre(ctx, TLB_REFILL_GLOBAL);
}

static void tlb_refill_range_pre(struct ctb_ctx *ctx)
{
	tlb_refill_pre(ctx, TLB_REFILL_RANGE);
}

static void tlb_refill_none_pre(struct ctb_ctx *ctx)
{
	tlb_refill_pre(ctx, TLB_REFILL_NONE);
}

static int tlb_refill_run(struct ctb_ctx *ctx)
{
	struct tlb_priv *p = ctx->priv;

	p->sum = tlb_touch(p->buf.va, p->nr);
	return 0;
}

static void tlb_refill_post(struct ctb_ctx *ctx)
{
	struct tlb_priv *p = ctx->priv;

	ctx->result = p->sum;
	tlb_post_verify(ctx);
}

/* --- vmap + vunmap ------------------------------------------------------ */

static int tlb_vmap_prepare(struct ctb_ctx *ctx)
{
	struct tlb_priv *p = tlb_priv_new(ctx);
	int ret;

	if (!p)
		return -ENOMEM;
	p->nr = ctx->run->count;
	ret = tlb_buf_alloc(&p->buf, p->nr, 1, false);
	/* VERIFY alternates two page sets so a stale alias would show. */
	if (!ret && p->verify)
		ret = tlb_buf_alloc(&p->alt, p->nr, 2, false);
	if (ret) {
		tlb_teardown(ctx);
		return ret;
	}
	ctx->result = p->nr;
	return 0;
}

static int tlb_vmap_common(struct ctb_ctx *ctx, bool purge)
{
	struct tlb_priv *p = ctx->priv;
	struct tlb_buf *b = &p->buf;
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
		p->run_errors += tlb_check(va, p->nr, gen);
	vunmap(va);
	if (purge)
		vm_unmap_aliases();
	return 0;
}

static int tlb_vmap_run(struct ctb_ctx *ctx)
{
	return tlb_vmap_common(ctx, false);
}

static int tlb_vmap_purge_run(struct ctb_ctx *ctx)
{
	return tlb_vmap_common(ctx, true);
}

static void tlb_vmap_post(struct ctb_ctx *ctx)
{
	struct tlb_priv *p = ctx->priv;

	ctx->errors += p->run_errors;
	p->run_errors = 0;
}

/* --- the table ---------------------------------------------------------- */

#define TLB_U_FLAGS	(CACHETLB_USES_AUX | CACHETLB_USES_OPFLAGS)
#define TLB_U_COUNT	(CACHETLB_USES_COUNT | CACHETLB_USES_OPFLAGS)
#define TLB_U_AUX	(CACHETLB_USES_AUX | CACHETLB_USES_OPFLAGS)
#define TLB_U_TGT	(CACHETLB_USES_TARGETS | CACHETLB_USES_OPFLAGS)
#define TLB_U_TGT_AUX	(TLB_U_TGT | CACHETLB_USES_AUX)
#define TLB_U_TGT_COUNT	(TLB_U_TGT | CACHETLB_USES_COUNT)

/*
 * One op: every tlb op verifies with CACHETLB_OPF_VERIFY and frees all in
 * tlb_teardown.  Ops with a count take 1..TLB_MAX_PAGES pages.
 */
#define TLB_OP(_name, _params, _unit, _uses, _cmin, _cmax, _props,	\
	       _syms, _sup, _prep, _pre, _run, _post)			\
	{								\
		.name = _name, .family = CACHETLB_FAM_TLB,		\
		.unit = _unit, .params = _params,			\
		.uses = _uses, .props = _props,				\
		.count_min = _cmin, .count_max = _cmax,			\
		.opflags = CACHETLB_OPF_VERIFY,				\
		.symbols = _syms, .supported = _sup,			\
		.prepare = _prep, .pre_sample = _pre, .run = _run,	\
		.post_sample = _post, .teardown = tlb_teardown,		\
	}

/* A flush issued from this CPU over count pages of the range. */
#define TLB_LOCAL_COUNT_OP(_name, _params, _props, _sup, _run)		\
	TLB_OP(_name, _params, "pages", TLB_U_COUNT, 1, TLB_MAX_PAGES, _props,		\
	       tlb_syms_none, _sup, tlb_local_count_prepare,		\
	       tlb_pre_flush, _run, tlb_post_verify)

/* A whole-TLB or whole-context flush issued from this CPU. */
#define TLB_LOCAL_FIXED_OP(_name, _params, _props, _sup, _pre, _run)	\
	TLB_OP(_name, _params, "flushes", TLB_U_FLAGS, 0, 0,		\
	       (_props) | CACHETLB_PROP_UNIT_IS_CALL,			\
	       tlb_syms_none, _sup, tlb_local_fixed_prepare,		\
	       _pre, _run, tlb_post_verify)

#define TLB_REFILL_OP(_name, _params, _pre)				\
	TLB_OP(_name, _params, "pages", TLB_U_AUX, 0, 0, 0, tlb_syms_none,	\
	       tlb_any_supported, tlb_refill_prepare, _pre,		\
	       tlb_refill_run, tlb_refill_post)

#define TLB_VMAP_OP(_name, _params, _run)				\
	TLB_OP(_name, _params, "pages", TLB_U_COUNT, 1, TLB_MAX_PAGES,	\
	       CACHETLB_PROP_SLEEPS | CACHETLB_PROP_KERNEL_PATH,	\
	       tlb_syms_none, tlb_any_supported,			\
	       tlb_vmap_prepare, NULL, _run, tlb_vmap_post)

/* flush_tlb_all: the kernel's function (x86, riscv) or inline (arm64). */
#define TLB_P_KCALL	(CACHETLB_PROP_KERNEL_PATH | CACHETLB_PROP_UNIT_IS_CALL)

const struct ctb_op ctb_ops_tlb[] = {
	TLB_OP("flush_tlb_all",
	       "kernel flush_tlb_all(), all CPUs; aux = vmap pages touched before (0 = 16); op_result = online CPUs",
	       "flushes", TLB_U_FLAGS, 0, 0,
	       CACHETLB_PROP_IPI | TLB_P_KCALL, TLB_ALL_SYMS,
	       tlb_all_supported, tlb_all_prepare, tlb_pre_flush,
	       tlb_all_run, tlb_post_verify),
	TLB_OP("flush_tlb_kernel_range",
	       "kernel flush_tlb_kernel_range() over count pages of a vmap range, all CPUs; op_result = count",
	       "pages", TLB_U_COUNT, 1, TLB_MAX_PAGES,
	       CACHETLB_PROP_IPI | CACHETLB_PROP_KERNEL_PATH, TLB_RANGE_SYMS,
	       tlb_range_supported, tlb_range_prepare, tlb_pre_flush,
	       tlb_range_run, tlb_post_verify),
	TLB_OP("ipi_do_flush_tlb_all",
	       "STAND-IN (ours, not the kernel fn): on_each_cpu(kernel do_flush_tlb_all) ~ flush_tlb_all; aux = pages touched (0 = 16)",
	       "flushes", TLB_U_FLAGS, 0, 0,
	       CACHETLB_PROP_IPI | CACHETLB_PROP_UNIT_IS_CALL, TLB_DO_ALL_SYMS,
	       tlb_do_all_supported, tlb_do_all_prepare, tlb_pre_flush,
	       tlb_do_all_run, tlb_post_verify),
	TLB_LOCAL_COUNT_OP("local_invlpg",
			   "x86 INVLPG per page over count pages, this CPU only; op_result = count",
			   0, ctb_x86_only, tlb_invlpg_run),
	TLB_LOCAL_FIXED_OP("local_flush_all",
			   "x86 __flush_tlb_all(): this CPU, global entries too; aux = vmap pages touched before (0 = 16)",
			   CACHETLB_PROP_KERNEL_PATH, ctb_x86_only, tlb_pre_flush,
			   tlb_x86_flush_all_run),
	TLB_LOCAL_FIXED_OP("local_invpcid_single",
			   "x86 INVPCID type 1, current CR3 PCID (non-global entries), this CPU; aux = pages touched before (0 = 16)",
			   0, tlb_invpcid_supported, tlb_invpcid_pre,
			   tlb_invpcid_single_run),
	TLB_LOCAL_FIXED_OP("local_invpcid_all",
			   "x86 INVPCID type 2: all PCIDs, global entries too, this CPU; aux = pages touched before (0 = 16)",
			   0, tlb_invpcid_supported, tlb_pre_flush,
			   tlb_invpcid_all_run),
	TLB_LOCAL_COUNT_OP("local_tlbi_vaae1is",
			   "arm64 TLBI VAAE1IS per page over count pages + DSB ISH (hardware broadcast); op_result = count",
			   CACHETLB_PROP_IPI, ctb_arm64_only,
			   tlb_vaae1is_run),
	TLB_LOCAL_FIXED_OP("local_tlbi_vmalle1is",
			   "arm64 TLBI VMALLE1IS + DSB ISH (hardware broadcast); aux = pages touched before (0 = 16)",
			   CACHETLB_PROP_IPI, ctb_arm64_only,
			   tlb_pre_flush, tlb_vmalle1is_run),
	TLB_LOCAL_COUNT_OP("local_tlbi_rvaae1is",
			   "arm64 range TLBI RVAAE1IS over count pages (broadcast); op_result = TLBI instructions issued",
			   CACHETLB_PROP_IPI, tlb_rvaae1is_supported,
			   tlb_rvaae1is_run),
	TLB_LOCAL_FIXED_OP("local_tlbi_vmalle1",
			   "arm64 local_flush_tlb_all(): TLBI VMALLE1 + DSB NSH, this CPU; aux = pages touched before (0 = 16)",
			   CACHETLB_PROP_KERNEL_PATH, ctb_arm64_only, tlb_pre_flush,
			   tlb_vmalle1_run),
	TLB_LOCAL_COUNT_OP("local_sfence_vma_addr",
			   "riscv SFENCE.VMA addr per page over count pages, this hart only; op_result = count",
			   0, ctb_riscv_only, tlb_sfence_addr_run),
	TLB_LOCAL_FIXED_OP("local_sfence_vma_all",
			   "riscv SFENCE.VMA (all addresses), this hart only; aux = pages touched before (0 = 16)",
			   CACHETLB_PROP_KERNEL_PATH, ctb_riscv_only, tlb_pre_flush,
			   tlb_sfence_all_run),
	TLB_OP("sbi_remote_sfence_vma",
	       "riscv SBI remote SFENCE.VMA of count pages on the target harts; op_result = targets",
	       "pages", TLB_U_TGT_COUNT, 1, TLB_MAX_PAGES,
	       CACHETLB_PROP_IPI | CACHETLB_PROP_KERNEL_PATH, tlb_syms_none,
	       tlb_sbi_supported, tlb_sbi_prepare, tlb_pre_flush,
	       tlb_sbi_run, tlb_post_verify),
	TLB_OP("ipi_empty",
	       "on_each_cpu_mask(targets, empty fn, wait): cross-CPU baseline; aux = pages touched (0 = 16); op_result = targets",
	       "calls", TLB_U_TGT_AUX, 0, 0,
	       CACHETLB_PROP_IPI | CACHETLB_PROP_UNIT_IS_CALL, tlb_syms_none,
	       tlb_any_supported, tlb_ipi_fixed_prepare, tlb_pre_flush,
	       tlb_ipi_empty_run, tlb_post_verify),
	TLB_OP("ipi_flush_all",
	       "STAND-IN (ours, not the kernel fn): on_each_cpu_mask(targets) + local full flush; aux = pages touched (0 = 16)",
	       "calls", TLB_U_TGT_AUX, 0, 0,
	       CACHETLB_PROP_IPI | CACHETLB_PROP_UNIT_IS_CALL, tlb_syms_none,
	       tlb_any_supported, tlb_ipi_fixed_prepare, tlb_pre_flush,
	       tlb_ipi_flush_all_run, tlb_post_verify),
	TLB_OP("ipi_flush_range",
	       "STAND-IN (ours, not the kernel fn, no ceiling): on_each_cpu_mask(targets) + local per-page flush of count pages",
	       "pages", TLB_U_TGT_COUNT, 1, TLB_MAX_PAGES,
	       CACHETLB_PROP_IPI, tlb_syms_none,
	       tlb_any_supported, tlb_ipi_count_prepare, tlb_pre_flush,
	       tlb_ipi_flush_range_run, tlb_post_verify),
	TLB_REFILL_OP("refill_after_global",
		      "read aux pages of a vmap range after a local full flush (untimed); op_result = checksum",
		      tlb_refill_global_pre),
	TLB_REFILL_OP("refill_after_range",
		      "read aux pages of a vmap range after a local flush of them (untimed); op_result = checksum",
		      tlb_refill_range_pre),
	TLB_REFILL_OP("refill_noflush",
		      "read aux pages of a vmap range, TLB warm (no flush); op_result = checksum",
		      tlb_refill_none_pre),
	TLB_VMAP_OP("vmap_vunmap",
		    "vmap() + vunmap() of count pages, lazy TLB purge when it happens; VERIFY reads the alias (timed)",
		    tlb_vmap_run),
	TLB_VMAP_OP("vmap_vunmap_purge",
		    "vmap() + vunmap() of count pages + vm_unmap_aliases(); VERIFY reads the alias (timed)",
		    tlb_vmap_purge_run),
};

const unsigned int ctb_nr_ops_tlb = ARRAY_SIZE(ctb_ops_tlb);
