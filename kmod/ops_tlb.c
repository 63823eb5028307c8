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

#define TLB_MAX_PAGES		2048	/* count/aux limit of every tlb op */
#define TLB_FIXED_PAGES		16	/* default range of ops without a count */
#define TLB_MAGIC		0x7e5a11b0c0ffee00ULL

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
	unsigned long context;		/* ctb_arch_tlb_context() (x86 PCID) */
	u64 sum;			/* refill ops: checksum of last run */
};

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

/* --- the kernel's flush_tlb_all() and flush_tlb_kernel_range() --------- */

static const char *tlb_all_supported(void)
{
	return ctb_syms_reason(ctb_arch_kflush_all_syms);
}

/* Resolved ones (x86, riscv) reach other CPUs through IPIs or SBI. */
static int tlb_all_prepare(struct ctb_ctx *ctx)
{
	bool resolved = ctb_arch_kflush_all_syms[0];
	struct tlb_priv *p;
	int ret;

	ret = tlb_prepare_simple(ctx, 0, resolved);
	if (ret)
		return ret;
	p = ctx->priv;
	p->fn = ctb_arch_kflush_all();
	if (!p->fn) {
		tlb_teardown(ctx);
		return -EOPNOTSUPP;
	}
	ctx->result = num_online_cpus();
	return 0;
}

static int tlb_all_run(struct ctb_ctx *ctx)
{
	struct tlb_priv *p = ctx->priv;

	((ctb_kflush_all_fn)p->fn)();
	return 0;
}

static const char *tlb_range_supported(void)
{
	const char *why = ctb_arch_kflush_range_reason();

	return why ? why : ctb_syms_reason(ctb_arch_kflush_range_syms);
}

static int tlb_range_prepare(struct ctb_ctx *ctx)
{
	bool resolved = ctb_arch_kflush_range_syms[0];
	struct tlb_priv *p;
	int ret;

	ret = tlb_prepare_simple(ctx, CACHETLB_USES_COUNT, resolved);
	if (ret)
		return ret;
	p = ctx->priv;
	p->fn = ctb_arch_kflush_range();
	if (!p->fn) {
		tlb_teardown(ctx);
		return -EOPNOTSUPP;
	}
	return 0;
}

static int tlb_range_run(struct ctb_ctx *ctx)
{
	struct tlb_priv *p = ctx->priv;
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
static const char *const tlb_syms_do_all[] = { "do_flush_tlb_all", NULL };

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

/* --- raw ops of arch/<arch>.c: local (or hardware-broadcast) flushes ----- */

/* The row's raw op over the range; rvaae1is stores its TLBI count. */
static int tlb_raw_run(struct ctb_ctx *ctx)
{
	struct tlb_priv *p = ctx->priv;

	return ctb_arch_tlb_raw(ctx->op->raw, (unsigned long)p->buf.va, p->nr,
				p->context, &ctx->result);
}

/* pre_sample of raw ops that act on the current context (INVPCID type 1). */
static void tlb_context_pre(struct ctb_ctx *ctx)
{
	struct tlb_priv *p = ctx->priv;

	p->context = ctb_arch_tlb_context();
	tlb_pre_flush(ctx);
}

/* Remote raw op (riscv SBI): an SBI ecall needs no IPI, IRQs off is fine. */
static int tlb_remote_prepare(struct ctb_ctx *ctx)
{
	return tlb_targets_prepare(ctx, CACHETLB_USES_COUNT, false);
}

static int tlb_remote_run(struct ctb_ctx *ctx)
{
	struct tlb_priv *p = ctx->priv;

	return ctb_arch_tlb_remote(ctx->op->raw, p->mask,
				   (unsigned long)p->buf.va, p->nr);
}

/* --- cross-CPU: on_each_cpu_mask() -------------------------------------- */

static void tlb_ipi_nothing(void *info)
{
}

static void tlb_ipi_flush_all(void *info)
{
	ctb_arch_tlb_local_all();
}

static void tlb_ipi_flush_range(void *info)
{
	const struct tlb_priv *p = info;

	ctb_arch_tlb_local_pages((unsigned long)p->buf.va, p->nr);
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
		ctb_arch_tlb_local_all();
	else if (kind == TLB_REFILL_RANGE)
		ctb_arch_tlb_local_pages((unsigned long)p->buf.va, p->nr);
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
 * What every tlb op shares: it verifies with CACHETLB_OPF_VERIFY and frees
 * all in tlb_teardown.  Ops with a count take 1..TLB_MAX_PAGES pages.
 */
#define TLB_COMMON						\
	.family = CACHETLB_FAM_TLB,				\
	.opflags = CACHETLB_OPF_VERIFY,				\
	.teardown = tlb_teardown

#define TLB_PAGES						\
	.unit = "pages", .count_min = 1, .count_max = TLB_MAX_PAGES

/* A flush of this CPU (or broadcast by hardware) over count pages. */
#define TLB_RAW_COUNT						\
	TLB_COMMON, TLB_PAGES, .uses = TLB_U_COUNT,		\
	.prepare = tlb_local_count_prepare,			\
	.pre_sample = tlb_pre_flush, .run = tlb_raw_run,	\
	.post_sample = tlb_post_verify

/* A whole-TLB or whole-context flush; the row names its pre_sample. */
#define TLB_RAW_FIXED						\
	TLB_COMMON, .unit = "flushes", .uses = TLB_U_FLAGS,	\
	.prepare = tlb_local_fixed_prepare, .run = tlb_raw_run,	\
	.post_sample = tlb_post_verify

/* A cross-CPU call over the target mask. */
#define TLB_IPI							\
	TLB_COMMON, .pre_sample = tlb_pre_flush,		\
	.post_sample = tlb_post_verify

#define TLB_REFILL						\
	TLB_COMMON, .unit = "pages", .uses = TLB_U_AUX,		\
	.prepare = tlb_refill_prepare, .run = tlb_refill_run,	\
	.post_sample = tlb_refill_post

#define TLB_VMAP						\
	TLB_COMMON, TLB_PAGES, .uses = TLB_U_COUNT,		\
	.props = CACHETLB_PROP_SLEEPS | CACHETLB_PROP_KERNEL_PATH, \
	.prepare = tlb_vmap_prepare, .post_sample = tlb_vmap_post

#define TLB_P_CALL	CACHETLB_PROP_UNIT_IS_CALL
#define TLB_P_KPATH	CACHETLB_PROP_KERNEL_PATH
#define TLB_P_IPI	CACHETLB_PROP_IPI

const struct ctb_op ctb_ops_tlb[] = {
	{ TLB_COMMON, .name = "flush_tlb_all",
	  .params = "kernel flush_tlb_all(), all CPUs; aux = vmap pages touched before (0 = 16); op_result = online CPUs",
	  .unit = "flushes", .uses = TLB_U_FLAGS,
	  .props = TLB_P_IPI | TLB_P_KPATH | TLB_P_CALL,
	  .symbols = ctb_arch_kflush_all_syms,
	  .supported = tlb_all_supported, .prepare = tlb_all_prepare,
	  .pre_sample = tlb_pre_flush, .run = tlb_all_run,
	  .post_sample = tlb_post_verify },
	{ TLB_COMMON, TLB_PAGES, .name = "flush_tlb_kernel_range",
	  .params = "kernel flush_tlb_kernel_range() over count pages of a vmap range, all CPUs; op_result = count",
	  .uses = TLB_U_COUNT, .props = TLB_P_IPI | TLB_P_KPATH,
	  .symbols = ctb_arch_kflush_range_syms,
	  .supported = tlb_range_supported, .prepare = tlb_range_prepare,
	  .pre_sample = tlb_pre_flush, .run = tlb_range_run,
	  .post_sample = tlb_post_verify },
	{ TLB_COMMON, .name = "ipi_do_flush_tlb_all",
	  .params = "STAND-IN (ours, not the kernel fn): on_each_cpu(kernel do_flush_tlb_all) ~ flush_tlb_all; aux = pages touched (0 = 16)",
	  .unit = "flushes", .uses = TLB_U_FLAGS,
	  .props = TLB_P_IPI | TLB_P_CALL, .arch = CTB_ARCH_X86,
	  .symbols = tlb_syms_do_all,
	  .supported = tlb_do_all_supported, .prepare = tlb_do_all_prepare,
	  .pre_sample = tlb_pre_flush, .run = tlb_do_all_run,
	  .post_sample = tlb_post_verify },
	{ TLB_RAW_COUNT, .name = "local_invlpg",
	  .params = "x86 INVLPG per page over count pages, this CPU only; op_result = count",
	  .arch = CTB_ARCH_X86, .raw = CTB_RAW_INVLPG },
	{ TLB_RAW_FIXED, .name = "local_flush_all",
	  .params = "x86 __flush_tlb_all(): this CPU, global entries too; aux = vmap pages touched before (0 = 16)",
	  .props = TLB_P_KPATH | TLB_P_CALL, .pre_sample = tlb_pre_flush,
	  .arch = CTB_ARCH_X86, .raw = CTB_RAW_FLUSH_TLB_LOCAL },
	{ TLB_RAW_FIXED, .name = "local_invpcid_single",
	  .params = "x86 INVPCID type 1, current CR3 PCID (non-global entries), this CPU; aux = pages touched before (0 = 16)",
	  .props = TLB_P_CALL, .pre_sample = tlb_context_pre,
	  .arch = CTB_ARCH_X86, .raw = CTB_RAW_INVPCID_SINGLE },
	{ TLB_RAW_FIXED, .name = "local_invpcid_all",
	  .params = "x86 INVPCID type 2: all PCIDs, global entries too, this CPU; aux = pages touched before (0 = 16)",
	  .props = TLB_P_CALL, .pre_sample = tlb_pre_flush,
	  .arch = CTB_ARCH_X86, .raw = CTB_RAW_INVPCID_ALL },
	{ TLB_RAW_COUNT, .name = "local_tlbi_vaae1is",
	  .params = "arm64 TLBI VAAE1IS per page over count pages + DSB ISH (hardware broadcast); op_result = count",
	  .props = TLB_P_IPI,
	  .arch = CTB_ARCH_ARM64, .raw = CTB_RAW_TLBI_VAAE1IS },
	{ TLB_RAW_FIXED, .name = "local_tlbi_vmalle1is",
	  .params = "arm64 TLBI VMALLE1IS + DSB ISH (hardware broadcast); aux = pages touched before (0 = 16)",
	  .props = TLB_P_IPI | TLB_P_CALL, .pre_sample = tlb_pre_flush,
	  .arch = CTB_ARCH_ARM64, .raw = CTB_RAW_TLBI_VMALLE1IS },
	{ TLB_RAW_COUNT, .name = "local_tlbi_rvaae1is",
	  .params = "arm64 range TLBI RVAAE1IS over count pages (broadcast); op_result = TLBI instructions issued",
	  .props = TLB_P_IPI,
	  .arch = CTB_ARCH_ARM64, .raw = CTB_RAW_TLBI_RVAAE1IS },
	{ TLB_RAW_FIXED, .name = "local_tlbi_vmalle1",
	  .params = "arm64 local_flush_tlb_all(): TLBI VMALLE1 + DSB NSH, this CPU; aux = pages touched before (0 = 16)",
	  .props = TLB_P_KPATH | TLB_P_CALL, .pre_sample = tlb_pre_flush,
	  .arch = CTB_ARCH_ARM64, .raw = CTB_RAW_TLBI_VMALLE1 },
	{ TLB_RAW_COUNT, .name = "local_sfence_vma_addr",
	  .params = "riscv SFENCE.VMA addr per page over count pages, this hart only; op_result = count",
	  .arch = CTB_ARCH_RISCV, .raw = CTB_RAW_SFENCE_VMA_ADDR },
	{ TLB_RAW_FIXED, .name = "local_sfence_vma_all",
	  .params = "riscv SFENCE.VMA (all addresses), this hart only; aux = pages touched before (0 = 16)",
	  .props = TLB_P_KPATH | TLB_P_CALL, .pre_sample = tlb_pre_flush,
	  .arch = CTB_ARCH_RISCV, .raw = CTB_RAW_SFENCE_VMA_ALL },
	{ TLB_IPI, TLB_PAGES, .name = "sbi_remote_sfence_vma",
	  .params = "riscv SBI remote SFENCE.VMA of count pages on the target harts; op_result = targets",
	  .uses = TLB_U_TGT_COUNT, .props = TLB_P_IPI | TLB_P_KPATH,
	  .arch = CTB_ARCH_RISCV, .raw = CTB_RAW_SBI_SFENCE_VMA,
	  .prepare = tlb_remote_prepare, .run = tlb_remote_run },
	{ TLB_IPI, .name = "ipi_empty",
	  .params = "on_each_cpu_mask(targets, empty fn, wait): cross-CPU baseline; aux = pages touched (0 = 16); op_result = targets",
	  .unit = "calls", .uses = TLB_U_TGT_AUX,
	  .props = TLB_P_IPI | TLB_P_CALL,
	  .prepare = tlb_ipi_fixed_prepare, .run = tlb_ipi_empty_run },
	{ TLB_IPI, .name = "ipi_flush_all",
	  .params = "STAND-IN (ours, not the kernel fn): on_each_cpu_mask(targets) + local full flush; aux = pages touched (0 = 16)",
	  .unit = "calls", .uses = TLB_U_TGT_AUX,
	  .props = TLB_P_IPI | TLB_P_CALL,
	  .prepare = tlb_ipi_fixed_prepare, .run = tlb_ipi_flush_all_run },
	{ TLB_IPI, TLB_PAGES, .name = "ipi_flush_range",
	  .params = "STAND-IN (ours, not the kernel fn, no ceiling): on_each_cpu_mask(targets) + local per-page flush of count pages",
	  .uses = TLB_U_TGT_COUNT, .props = TLB_P_IPI,
	  .prepare = tlb_ipi_count_prepare, .run = tlb_ipi_flush_range_run },
	{ TLB_REFILL, .name = "refill_after_global",
	  .params = "read aux pages of a vmap range after a local full flush (untimed); op_result = checksum",
	  .pre_sample = tlb_refill_global_pre },
	{ TLB_REFILL, .name = "refill_after_range",
	  .params = "read aux pages of a vmap range after a local flush of them (untimed); op_result = checksum",
	  .pre_sample = tlb_refill_range_pre },
	{ TLB_REFILL, .name = "refill_noflush",
	  .params = "read aux pages of a vmap range, TLB warm (no flush); op_result = checksum",
	  .pre_sample = tlb_refill_none_pre },
	{ TLB_VMAP, .name = "vmap_vunmap",
	  .params = "vmap() + vunmap() of count pages, lazy TLB purge when it happens; VERIFY reads the alias (timed)",
	  .run = tlb_vmap_run },
	{ TLB_VMAP, .name = "vmap_vunmap_purge",
	  .params = "vmap() + vunmap() of count pages + vm_unmap_aliases(); VERIFY reads the alias (timed)",
	  .run = tlb_vmap_purge_run },
};

const unsigned int ctb_nr_ops_tlb = ARRAY_SIZE(ctb_ops_tlb);
