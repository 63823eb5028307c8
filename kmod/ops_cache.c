// SPDX-License-Identifier: GPL-2.0
/*
 * Op family "cache": data cache maintenance over a buffer.
 *
 * Every op works on a buffer of N = count pages: by default one vmalloc()
 * area, with CACHETLB_OPF_VMAP a vmap() alias of N separately allocated
 * pages.  Three kinds of op:
 *
 *  - kernel APIs (flush_dcache_page per page, flush_kernel_vmap_range and
 *    invalidate_kernel_vmap_range once over the range, flush_cache_*),
 *    most of which are no-ops or only flip a page flag on x86, arm64 and
 *    riscv; they are marked CACHETLB_PROP_NOOP_API and userspace measures
 *    whether they are;
 *  - the exported real range operations (arch_wb_cache_pmem,
 *    arch_invalidate_pmem, x86 clflush_cache_range);
 *  - raw per-line loops of one cache maintenance instruction, one per
 *    stride bytes (default: the line or CBO block size), followed by one
 *    barrier for the whole range: ctb_arch_cache_raw() (arch/<arch>.c),
 *    named by the row's .raw.
 *
 * Line state before each sample (pre_sample, untimed):
 *  DIRTY     every word of the buffer is written.
 *  CLEAN     every word is written, the buffer is cleaned and invalidated
 *            with the strongest flush the CPU has, then every line is read,
 *            so the lines are present and clean.  Without a raw flush
 *            (riscv without Zicbom) the lines are only written and read.
 *  UNCACHED  every word is written, then flushed (clean + invalidate) with
 *            the strongest flush; rejected where there is none.
 *  ANY       nothing: whatever the previous sample left.
 *
 * Data pattern: word i of the buffer holds pattern(seq, i).  States that
 * write advance seq, except DIRTY (and CLEAN without a raw flush) for ops
 * that may discard dirty lines (invalidations): those rewrite the value
 * memory already holds, so the lines are dirty but an architecturally
 * allowed discard loses nothing.
 * CACHETLB_OPF_VERIFY then checks in post_sample that every word still
 * holds its pattern, so "a raw flush of a dirty line followed by a read
 * returns the written data" is checked for every op and state.
 *
 * op_result: ctb_cache_checksum() of the buffer read at teardown, after the
 * last sample: FNV-1a over the 64-bit words in order (h = CTB_CACHE_FNV_OFF;
 * per word h = (h ^ word) * CTB_CACHE_FNV_PRIME).  With state ANY the
 * pattern stays seq 0, word i = CTB_CACHE_SEED ^ (i * CTB_CACHE_MUL), so
 * userspace can recompute the expected value.
 */
#include <linux/highmem.h>
#include <linux/kernel.h>
#include <linux/libnvdimm.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <asm/cacheflush.h>
#include "cachetlb.h"

#define CTB_CACHE_MAX_PAGES	1024
#define CTB_CACHE_SEED		0x6b8b4567c7c7a5a5ULL
#define CTB_CACHE_MUL		0x9e3779b97f4a7c15ULL
#define CTB_CACHE_SEQ_MUL	0xd1342543de82ef95ULL
#define CTB_CACHE_FNV_OFF	0xcbf29ce484222325ULL
#define CTB_CACHE_FNV_PRIME	0x100000001b3ULL

#define CTB_CACHE_OPFLAGS	(CACHETLB_OPF_VMAP | CACHETLB_OPF_DOUBLE | \
				 CACHETLB_OPF_VERIFY)
#define CTB_CACHE_USES		(CACHETLB_USES_COUNT | CACHETLB_USES_STATE | \
				 CACHETLB_USES_OPFLAGS)
#define CTB_CACHE_LINE_USES	(CTB_CACHE_USES | CACHETLB_USES_STRIDE)

struct ctb_cache_buf {
	void *va;			/* vmalloc area or vmap alias */
	unsigned long len;		/* nr_pages * PAGE_SIZE */
	unsigned int nr_pages;
	struct page **pages;		/* every page of va */
	bool vmapped;			/* pages allocated here, va = vmap */
	bool discards;			/* op may drop dirty lines */
	enum ctb_raw raw;		/* raw ops: which one */
	unsigned int stride;		/* raw line ops: bytes per step */
	struct vm_area_struct *vma;	/* flush_cache_range/page stand-in */
	u64 seq;			/* current data pattern */
	int (*flush)(struct ctb_cache_buf *b);	/* the op, for DOUBLE */
};

/* --- arch: line size, strongest flush (arch/arch.h) ---------------------- */

static bool ctb_cache_have_strongest(void)
{
	return !ctb_arch_dcache_flush_reason();
}

/* Line size the state setup walks with (reads one word per line). */
static unsigned int ctb_cache_walk_step(void)
{
	unsigned int l = ctb_arch_raw_line(CTB_RAW_NONE);

	return l >= sizeof(u64) && l <= PAGE_SIZE ? l : sizeof(u64);
}

/* --- data pattern ----------------------------------------------------- */

static inline u64 ctb_cache_word(u64 seq, unsigned long i)
{
	return (CTB_CACHE_SEED + seq * CTB_CACHE_SEQ_MUL) ^ (i * CTB_CACHE_MUL);
}

static void ctb_cache_fill(struct ctb_cache_buf *b)
{
	unsigned long i, nwords = b->len / sizeof(u64);
	u64 *w = b->va;

	for (i = 0; i < nwords; i++)
		WRITE_ONCE(w[i], ctb_cache_word(b->seq, i));
}

static void ctb_cache_touch(struct ctb_cache_buf *b)
{
	unsigned long step = ctb_cache_walk_step();
	unsigned long off;
	u64 sink = 0;

	for (off = 0; off < b->len; off += step)
		sink += READ_ONCE(*(u64 *)(b->va + off));
	OPTIMIZER_HIDE_VAR(sink);
}

/* Checksum of the buffer; counts words that differ from the pattern. */
static u64 ctb_cache_checksum(struct ctb_cache_buf *b, u32 *bad)
{
	unsigned long i, nwords = b->len / sizeof(u64);
	const u64 *w = b->va;
	u64 sum = CTB_CACHE_FNV_OFF, v;

	for (i = 0; i < nwords; i++) {
		v = READ_ONCE(w[i]);
		sum = (sum ^ v) * CTB_CACHE_FNV_PRIME;
		if (v != ctb_cache_word(b->seq, i) && *bad < U32_MAX)
			(*bad)++;
	}
	return sum;
}

/* --- buffer ----------------------------------------------------------- */

static void ctb_cache_free(struct ctb_cache_buf *b)
{
	unsigned int i;

	kfree(b->vma);
	if (b->vmapped) {
		if (b->va)
			vunmap(b->va);
		for (i = 0; b->pages && i < b->nr_pages; i++)
			if (b->pages[i])
				__free_page(b->pages[i]);
	} else {
		vfree(b->va);
	}
	kvfree(b->pages);
	kfree(b);
}

static struct ctb_cache_buf *ctb_cache_alloc(unsigned int nr_pages, bool vmapped)
{
	struct ctb_cache_buf *b;
	unsigned int i;

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return NULL;
	b->nr_pages = nr_pages;
	b->len = (unsigned long)nr_pages * PAGE_SIZE;
	b->vmapped = vmapped;
	b->pages = kvcalloc(nr_pages, sizeof(*b->pages), GFP_KERNEL);
	if (!b->pages)
		goto fail;
	if (vmapped) {
		for (i = 0; i < nr_pages; i++) {
			b->pages[i] = alloc_page(GFP_KERNEL);
			if (!b->pages[i])
				goto fail;
		}
		b->va = vmap(b->pages, nr_pages, VM_MAP, PAGE_KERNEL);
	} else {
		b->va = vmalloc(b->len);
		if (b->va)
			for (i = 0; i < nr_pages; i++)
				b->pages[i] = vmalloc_to_page(b->va + i * PAGE_SIZE);
	}
	if (!b->va)
		goto fail;
	return b;
fail:
	ctb_cache_free(b);
	return NULL;
}

/*
 * Common prepare: check the state is possible here, allocate, write
 * pattern 0 and push it to memory so an invalidation cannot expose stale
 * data.
 */
static int ctb_cache_prepare(struct ctb_ctx *ctx,
			     int (*flush)(struct ctb_cache_buf *b),
			     bool discards, bool line_op)
{
	const struct cachetlb_run *run = ctx->run;
	enum ctb_raw raw = ctx->op->raw;
	unsigned int line = raw ? ctb_arch_raw_line(raw) : 0;
	unsigned int stride = line;
	struct ctb_cache_buf *b;

	/* An op that IPIs every CPU (flush_icache_range): not with IRQs off. */
	if ((ctx->op->props & CACHETLB_PROP_IPI) &&
	    (run->flags & CACHETLB_RUN_IRQS_OFF)) {
		ctx->err_field = CACHETLB_ERR_FLAGS;
		return -EINVAL;
	}

	if (run->count < 1 || run->count > CTB_CACHE_MAX_PAGES) {
		ctx->err_field = CACHETLB_ERR_COUNT;
		return run->count ? -E2BIG : -EINVAL;
	}
	if (run->state >= CACHETLB_STATE_MAX) {
		ctx->err_field = CACHETLB_ERR_STATE;
		return -EINVAL;
	}
	/* UNCACHED needs a raw flush. */
	if (run->state == CACHETLB_STATE_UNCACHED &&
	    !ctb_cache_have_strongest()) {
		ctx->err_field = CACHETLB_ERR_STATE;
		return -EINVAL;
	}
	if (line_op) {
		/* supported() excludes this; never loop with a 0 step */
		if (line < sizeof(u64) || line > PAGE_SIZE)
			return -EOPNOTSUPP;
		if (run->stride) {
			if (run->stride % line || run->stride > PAGE_SIZE) {
				ctx->err_field = CACHETLB_ERR_STRIDE;
				return -EINVAL;
			}
			stride = run->stride;
		}
	} else if (run->stride) {
		ctx->err_field = CACHETLB_ERR_STRIDE;
		return -EINVAL;
	}

	b = ctb_cache_alloc(run->count, run->opflags & CACHETLB_OPF_VMAP);
	if (!b)
		return -ENOMEM;
	b->flush = flush;
	b->discards = discards;
	b->raw = raw;
	b->stride = stride;
	ctb_cache_fill(b);
	ctb_arch_dcache_flush(b->va, b->len);
	ctx->priv = b;
	return 0;
}

static void ctb_cache_pre_sample(struct ctb_ctx *ctx)
{
	struct ctb_cache_buf *b = ctx->priv;

	switch (ctx->run->state) {
	case CACHETLB_STATE_DIRTY:
		if (!b->discards)
			b->seq++;
		ctb_cache_fill(b);
		break;
	case CACHETLB_STATE_CLEAN:
		/* a new pattern only if it reaches memory before a discard */
		if (!b->discards || ctb_cache_have_strongest())
			b->seq++;
		ctb_cache_fill(b);
		ctb_arch_dcache_flush(b->va, b->len);
		ctb_cache_touch(b);
		break;
	case CACHETLB_STATE_UNCACHED:
		b->seq++;
		ctb_cache_fill(b);
		ctb_arch_dcache_flush(b->va, b->len);
		break;
	default:
		break;
	}
	if (ctx->run->opflags & CACHETLB_OPF_DOUBLE)
		b->flush(b);
}

static void ctb_cache_post_sample(struct ctb_ctx *ctx)
{
	struct ctb_cache_buf *b = ctx->priv;
	u32 bad = 0;

	if (!(ctx->run->opflags & CACHETLB_OPF_VERIFY))
		return;
	ctb_cache_checksum(b, &bad);
	if (ctx->errors > U32_MAX - bad)
		ctx->errors = U32_MAX;
	else
		ctx->errors += bad;
}

/* op_result = checksum of the buffer as it is after the last sample. */
static void ctb_cache_teardown(struct ctb_ctx *ctx)
{
	struct ctb_cache_buf *b = ctx->priv;
	u32 bad = 0;

	if (!b)
		return;
	ctx->result = ctb_cache_checksum(b, &bad);
	ctb_cache_free(b);
	ctx->priv = NULL;
}

/* --- the flushes, one per op ------------------------------------------ */

/*
 * The flush of an op this kernel cannot run (another arch, a missing
 * config).  Never called: that op's supported() returns a reason there and
 * the engine refuses the RUN before prepare.
 */
static inline int ctb_cache_unsupported(struct ctb_cache_buf *b)
{
	return -EOPNOTSUPP;
}

static inline int ctb_cache_flush_dcache_page(struct ctb_cache_buf *b)
{
	unsigned int i;

	for (i = 0; i < b->nr_pages; i++)
		flush_dcache_page(b->pages[i]);
	return 0;
}

static inline int ctb_cache_flush_kernel_vmap_range(struct ctb_cache_buf *b)
{
	flush_kernel_vmap_range(b->va, b->len);
	return 0;
}

static inline int ctb_cache_invalidate_kernel_vmap_range(struct ctb_cache_buf *b)
{
	invalidate_kernel_vmap_range(b->va, b->len);
	return 0;
}

/* mips cannot link these four: CTB_ARCH_CACHE_FNPTR (arch/arch.h). */
#ifndef CTB_ARCH_CACHE_FNPTR
/*
 * Where they are unexported functions (CTB_ARCH_CACHE_VMA_SYMS) the ops
 * call the resolved addresses; supported() is NULL only once resolved.
 */
#ifdef CTB_ARCH_CACHE_VMA_SYMS
typedef void (*ctb_cache_vma_fn)(struct vm_area_struct *vma,
				 unsigned long a, unsigned long b);
static const char *const ctb_cache_syms_range[] = { "flush_cache_range", NULL };
static const char *const ctb_cache_syms_page[] = { "flush_cache_page", NULL };
static inline void ctb_call_flush_cache_range(struct vm_area_struct *vma,
					      unsigned long start,
					      unsigned long end)
{
	((ctb_cache_vma_fn)ctb_sym("flush_cache_range"))(vma, start, end);
}

static inline void ctb_call_flush_cache_page(struct vm_area_struct *vma,
					     unsigned long addr,
					     unsigned long pfn)
{
	((ctb_cache_vma_fn)ctb_sym("flush_cache_page"))(vma, addr, pfn);
}
#else
#define ctb_cache_syms_range	NULL
#define ctb_cache_syms_page	NULL
#define ctb_call_flush_cache_range	flush_cache_range
#define ctb_call_flush_cache_page	flush_cache_page
#endif

static inline int ctb_cache_flush_cache_range(struct ctb_cache_buf *b)
{
	ctb_call_flush_cache_range(b->vma, (unsigned long)b->va,
				   (unsigned long)b->va + b->len);
	return 0;
}

static inline int ctb_cache_flush_cache_page(struct ctb_cache_buf *b)
{
	unsigned int i;

	for (i = 0; i < b->nr_pages; i++)
		ctb_call_flush_cache_page(b->vma,
					  (unsigned long)b->va + i * PAGE_SIZE,
					  page_to_pfn(b->pages[i]));
	return 0;
}
#else
#define ctb_cache_syms_range		NULL
#define ctb_cache_syms_page		NULL
#define ctb_cache_flush_cache_range	ctb_cache_unsupported
#define ctb_cache_flush_cache_page	ctb_cache_unsupported
#endif

/* riscv 6.10+ cannot link it: CTB_ARCH_VMAP_LINKFAIL (arch/arch.h). */
#if !defined(CTB_ARCH_VMAP_LINKFAIL) && !defined(CTB_ARCH_CACHE_FNPTR)
static inline int ctb_cache_flush_cache_vmap(struct ctb_cache_buf *b)
{
	flush_cache_vmap((unsigned long)b->va, (unsigned long)b->va + b->len);
	return 0;
}

static inline int ctb_cache_flush_cache_vunmap(struct ctb_cache_buf *b)
{
	flush_cache_vunmap((unsigned long)b->va, (unsigned long)b->va + b->len);
	return 0;
}
#elif !defined(CTB_ARCH_CACHE_FNPTR)
#define ctb_cache_flush_cache_vmap	ctb_cache_unsupported

static inline int ctb_cache_flush_cache_vunmap(struct ctb_cache_buf *b)
{
	flush_cache_vunmap((unsigned long)b->va, (unsigned long)b->va + b->len);
	return 0;
}
#else
#define ctb_cache_flush_cache_vmap	ctb_cache_unsupported
#define ctb_cache_flush_cache_vunmap	ctb_cache_unsupported
#endif

/*
 * flush_icache_range() over the buffer: empty on x86 (coherent I-cache,
 * asm-generic fallback); arm64 cleans to PoU, invalidates the I-cache and
 * IPIs every CPU (kick_all_cpus_sync); riscv runs FENCE.I on every hart.
 */
static inline int ctb_cache_flush_icache_range(struct ctb_cache_buf *b)
{
	flush_icache_range((unsigned long)b->va, (unsigned long)b->va + b->len);
	return 0;
}

#ifdef CONFIG_ARCH_HAS_PMEM_API
static inline int ctb_cache_arch_wb_cache_pmem(struct ctb_cache_buf *b)
{
	arch_wb_cache_pmem(b->va, b->len);
	return 0;
}

static inline int ctb_cache_arch_invalidate_pmem(struct ctb_cache_buf *b)
{
	arch_invalidate_pmem(b->va, b->len);
	return 0;
}
#else
#define ctb_cache_arch_wb_cache_pmem	ctb_cache_unsupported
#define ctb_cache_arch_invalidate_pmem	ctb_cache_unsupported
#endif

/*
 * A raw op of arch/<arch>.c: one instruction per stride bytes, then one
 * barrier, the loop expanded there per instruction (no call per line).
 */
static int ctb_cache_raw(struct ctb_cache_buf *b)
{
	return ctb_arch_cache_raw(b->raw, (unsigned long)b->va, b->len,
				  b->stride);
}

/* --- supported() ------------------------------------------------------ */

static const char *ctb_cache_vmap_supported(void)
{
#if defined(CTB_ARCH_VMAP_LINKFAIL)
	return "link-fail on this kernel: riscv flush_cache_vmap writes unexported new_vmalloc[]";
#elif defined(CTB_ARCH_CACHE_FNPTR)
	return "link-fail on this kernel: mips flush_cache_vmap calls unexported __flush_cache_vmap";
#else
	return NULL;
#endif
}

/* flush_cache_{range,page,vunmap}: NULL except where they cannot link. */
static const char *ctb_cache_fnptr_supported(void)
{
#ifdef CTB_ARCH_CACHE_FNPTR
	return "link-fail on this kernel: mips flush_cache_range/page/vunmap call unexported function pointers";
#else
	return NULL;
#endif
}

/*
 * flush_cache_{range,page}: linkable, and where they are out of line and
 * unexported (CTB_ARCH_CACHE_VMA_SYMS) resolved; @syms is NULL elsewhere.
 */
static const char *ctb_cache_vma_reason(const char *const *syms)
{
	const char *why = ctb_cache_fnptr_supported();

	return why ? why : ctb_syms_reason(syms);
}

static const char *ctb_cache_vma_range_supported(void)
{
	return ctb_cache_vma_reason(ctb_cache_syms_range);
}

static const char *ctb_cache_vma_page_supported(void)
{
	return ctb_cache_vma_reason(ctb_cache_syms_page);
}

static const char *ctb_cache_pmem_supported(void)
{
#if defined(CONFIG_ARCH_HAS_PMEM_API) && defined(CTB_ARCH_PMEM_REASON)
	return CTB_ARCH_PMEM_REASON();
#elif defined(CONFIG_ARCH_HAS_PMEM_API)
	return NULL;
#else
	return "kernel lacks ARCH_HAS_PMEM_API: arch_wb_cache_pmem/arch_invalidate_pmem absent";
#endif
}

/* --- prepare / run wrappers --------------------------------------------- */

static int ctb_cache_prepare_vma(struct ctb_ctx *ctx,
				 int (*flush)(struct ctb_cache_buf *b))
{
	struct ctb_cache_buf *b;
	int ret;

	ret = ctb_cache_prepare(ctx, flush, false, false);
	if (ret)
		return ret;
	/*
	 * Stand-in vma without an mm: no user mapping exists, it only
	 * describes the kernel buffer.  On x86, arm64 and riscv
	 * flush_cache_range/page are the asm-generic empty inlines and never
	 * look at it.
	 */
	b = ctx->priv;
	b->vma = kzalloc(sizeof(*b->vma), GFP_KERNEL);
	if (!b->vma) {
		ctb_cache_free(b);
		ctx->priv = NULL;
		return -ENOMEM;
	}
	b->vma->vm_start = (unsigned long)b->va;
	b->vma->vm_end = (unsigned long)b->va + b->len;
	return 0;
}

/*
 * Per kernel API op: prepare binds the flush (for OPF_DOUBLE), run calls it
 * directly so the timed path has no extra indirect call.
 */
#define CTB_CACHE_OP(id, discards)					\
static int ctb_cache_prep_##id(struct ctb_ctx *ctx)			\
{									\
	return ctb_cache_prepare(ctx, ctb_cache_##id, discards, false);	\
}									\
static int ctb_cache_run_##id(struct ctb_ctx *ctx)			\
{									\
	return ctb_cache_##id(ctx->priv);				\
}

#define CTB_CACHE_VMA_OP(id)						\
static int ctb_cache_prep_##id(struct ctb_ctx *ctx)			\
{									\
	return ctb_cache_prepare_vma(ctx, ctb_cache_##id);		\
}									\
static int ctb_cache_run_##id(struct ctb_ctx *ctx)			\
{									\
	return ctb_cache_##id(ctx->priv);				\
}

CTB_CACHE_OP(flush_dcache_page, false)
CTB_CACHE_OP(flush_kernel_vmap_range, false)
CTB_CACHE_OP(invalidate_kernel_vmap_range, true)
CTB_CACHE_VMA_OP(flush_cache_range)
CTB_CACHE_VMA_OP(flush_cache_page)
CTB_CACHE_OP(flush_cache_vmap, false)
CTB_CACHE_OP(flush_cache_vunmap, false)
CTB_CACHE_OP(flush_icache_range, false)
CTB_CACHE_OP(arch_wb_cache_pmem, false)
CTB_CACHE_OP(arch_invalidate_pmem, true)

/* Raw ops (the row's .raw): per line with a stride, or over the range. */
static int ctb_cache_prep_line(struct ctb_ctx *ctx)
{
	return ctb_cache_prepare(ctx, ctb_cache_raw, false, true);
}

/* An invalidation that may drop dirty lines (CBO.INVAL). */
static int ctb_cache_prep_line_discard(struct ctb_ctx *ctx)
{
	return ctb_cache_prepare(ctx, ctb_cache_raw, true, true);
}

static int ctb_cache_prep_range(struct ctb_ctx *ctx)
{
	return ctb_cache_prepare(ctx, ctb_cache_raw, false, false);
}

static int ctb_cache_run_raw(struct ctb_ctx *ctx)
{
	return ctb_cache_raw(ctx->priv);
}

/*
 * CACHETLB_PROP_COMPILED_EMPTY: which kernel APIs are asm-generic's empty
 * static inlines in the headers this module is compiled against.  Each test
 * is the one the kernel's own headers use to choose the fallback:
 *  flush_dcache_page        ARCH_IMPLEMENTS_FLUSH_DCACHE_PAGE is 0
 *                           (asm-generic/cacheflush.h defines it so);
 *  {flush,invalidate}_kernel_vmap_range
 *                           ARCH_IMPLEMENTS_FLUSH_KERNEL_VMAP_RANGE
 *                           undefined (linux/highmem.h);
 *  flush_cache_{range,page,vmap,vunmap}
 *                           the arch did not #define the name before
 *                           including asm-generic/cacheflush.h (32-bit
 *                           ARM never includes it: CTB_ARCH_OWN_CACHEFLUSH).
 * 6.1 and 6.12: empty on x86_64 for all of them; arm64 and riscv implement
 * flush_dcache_page; riscv 6.12 implements flush_cache_vmap; armhf 6.1
 * implements all of them.
 */
#define CTB_CACHE_API		(CACHETLB_PROP_NOOP_API | CACHETLB_PROP_KERNEL_PATH)
#define CTB_CACHE_EMPTY		(CTB_CACHE_API | CACHETLB_PROP_COMPILED_EMPTY)

#if ARCH_IMPLEMENTS_FLUSH_DCACHE_PAGE
#define CTB_PROPS_flush_dcache_page	CTB_CACHE_API
#else
#define CTB_PROPS_flush_dcache_page	CTB_CACHE_EMPTY
#endif
#ifdef ARCH_IMPLEMENTS_FLUSH_KERNEL_VMAP_RANGE
#define CTB_PROPS_kernel_vmap_range	CTB_CACHE_API
#else
#define CTB_PROPS_kernel_vmap_range	CTB_CACHE_EMPTY
#endif
#if defined(flush_cache_range) || defined(CTB_ARCH_CACHE_FNPTR) || \
	defined(CTB_ARCH_OWN_CACHEFLUSH)
#define CTB_PROPS_flush_cache_range	CTB_CACHE_API
#else
#define CTB_PROPS_flush_cache_range	CTB_CACHE_EMPTY
#endif
#if defined(flush_cache_page) || defined(CTB_ARCH_CACHE_FNPTR) || \
	defined(CTB_ARCH_OWN_CACHEFLUSH)
#define CTB_PROPS_flush_cache_page	CTB_CACHE_API
#else
#define CTB_PROPS_flush_cache_page	CTB_CACHE_EMPTY
#endif
#if defined(flush_cache_vmap) || defined(CTB_ARCH_CACHE_FNPTR) || \
	defined(CTB_ARCH_OWN_CACHEFLUSH)
#define CTB_PROPS_flush_cache_vmap	CTB_CACHE_API
#else
#define CTB_PROPS_flush_cache_vmap	CTB_CACHE_EMPTY
#endif
#if defined(flush_cache_vunmap) || defined(CTB_ARCH_CACHE_FNPTR) || \
	defined(CTB_ARCH_OWN_CACHEFLUSH)
#define CTB_PROPS_flush_cache_vunmap	CTB_CACHE_API
#else
#define CTB_PROPS_flush_cache_vunmap	CTB_CACHE_EMPTY
#endif
/*
 * Where it is not empty it reaches every CPU (IPI or SBI remote FENCE.I);
 * powerpc's icbi reaches them in hardware.  mips: an exported pointer;
 * r4k IPIs the CPUs with foreign caches.
 */
#if defined(flush_icache_range) && defined(CONFIG_PPC_BOOK3S_64)
#define CTB_PROPS_flush_icache_range	CTB_CACHE_API
#elif defined(flush_icache_range) || defined(CTB_ARCH_CACHE_FNPTR)
#define CTB_PROPS_flush_icache_range	(CTB_CACHE_API | CACHETLB_PROP_IPI)
#else
#define CTB_PROPS_flush_icache_range	CTB_CACHE_EMPTY
#endif

/* What every cache op shares; a row adds name, params, uses and callbacks. */
#define CTB_CACHE_COMMON						\
	.family = CACHETLB_FAM_CACHE,					\
	.unit = "pages",						\
	.count_min = 1,							\
	.count_max = CTB_CACHE_MAX_PAGES,				\
	.opflags = CTB_CACHE_OPFLAGS,					\
	.pre_sample = ctb_cache_pre_sample,				\
	.post_sample = ctb_cache_post_sample,				\
	.teardown = ctb_cache_teardown

/* A kernel API op: ctb_cache_prep_<name>, ctb_cache_run_<name>. */
#define CTB_CACHE_API_OP(id)						\
	CTB_CACHE_COMMON,						\
	.name = #id,							\
	.uses = CTB_CACHE_USES,						\
	.prepare = ctb_cache_prep_##id,					\
	.run = ctb_cache_run_##id

/* A raw per-line op of arch/<arch>.c; the row names its prepare. */
#define CTB_CACHE_LINE_OP						\
	CTB_CACHE_COMMON,						\
	.uses = CTB_CACHE_LINE_USES,					\
	.run = ctb_cache_run_raw

/* params: at most 127 characters (CACHETLB_TEXT_LEN), checked below. */
#define CTB_P_TAIL	"; state=line state; VMAP=vmap alias; DOUBLE=time 2nd flush; result=buf checksum"
#define CTB_P_PAGE	"N pages, 1 call/page" CTB_P_TAIL
#define CTB_P_RANGE	"N pages, 1 call/range" CTB_P_TAIL
#define CTB_P_VMA	"N pages, vma stand-in, no mm" CTB_P_TAIL
#define CTB_P_LINE(bar)	"N pages, 1 insn/stride B (0=line), " bar CTB_P_TAIL

const struct ctb_op ctb_ops_cache[] = {
	{ CTB_CACHE_API_OP(flush_dcache_page), .params = CTB_P_PAGE,
	  .props = CTB_PROPS_flush_dcache_page },
	{ CTB_CACHE_API_OP(flush_kernel_vmap_range), .params = CTB_P_RANGE,
	  .props = CTB_PROPS_kernel_vmap_range },
	{ CTB_CACHE_API_OP(invalidate_kernel_vmap_range), .params = CTB_P_RANGE,
	  .props = CTB_PROPS_kernel_vmap_range },
	{ CTB_CACHE_API_OP(flush_cache_range), .params = CTB_P_VMA,
	  .props = CTB_PROPS_flush_cache_range,
	  .symbols = ctb_cache_syms_range,
	  .supported = ctb_cache_vma_range_supported },
	{ CTB_CACHE_API_OP(flush_cache_page), .params = CTB_P_VMA,
	  .props = CTB_PROPS_flush_cache_page,
	  .symbols = ctb_cache_syms_page,
	  .supported = ctb_cache_vma_page_supported },
	{ CTB_CACHE_API_OP(flush_cache_vmap), .params = CTB_P_RANGE,
	  .props = CTB_PROPS_flush_cache_vmap,
	  .supported = ctb_cache_vmap_supported },
	{ CTB_CACHE_API_OP(flush_cache_vunmap), .params = CTB_P_RANGE,
	  .props = CTB_PROPS_flush_cache_vunmap,
	  .supported = ctb_cache_fnptr_supported },
	{ CTB_CACHE_API_OP(flush_icache_range), .params = CTB_P_RANGE,
	  .props = CTB_PROPS_flush_icache_range },
	{ CTB_CACHE_API_OP(arch_wb_cache_pmem), .params = CTB_P_RANGE,
	  .props = CACHETLB_PROP_KERNEL_PATH | CTB_ARCH_PMEM_PROPS,
	  .supported = ctb_cache_pmem_supported },
	{ CTB_CACHE_API_OP(arch_invalidate_pmem), .params = CTB_P_RANGE,
	  .props = CACHETLB_PROP_KERNEL_PATH | CTB_ARCH_PMEM_PROPS,
	  .supported = ctb_cache_pmem_supported },
	{ CTB_CACHE_COMMON, .name = "clflush_cache_range",
	  .uses = CTB_CACHE_USES, .params = CTB_P_RANGE,
	  .props = CACHETLB_PROP_KERNEL_PATH,
	  .arch = CTB_ARCH_X86, .raw = CTB_RAW_CLFLUSH_RANGE,
	  .prepare = ctb_cache_prep_range, .run = ctb_cache_run_raw },
	{ CTB_CACHE_LINE_OP, .name = "line_clflush",
	  .params = CTB_P_LINE("sfence"),
	  .arch = CTB_ARCH_X86, .raw = CTB_RAW_CLFLUSH,
	  .prepare = ctb_cache_prep_line },
	{ CTB_CACHE_LINE_OP, .name = "line_clflushopt",
	  .params = CTB_P_LINE("sfence"),
	  .arch = CTB_ARCH_X86, .raw = CTB_RAW_CLFLUSHOPT,
	  .prepare = ctb_cache_prep_line },
	{ CTB_CACHE_LINE_OP, .name = "line_clwb",
	  .params = CTB_P_LINE("sfence"),
	  .arch = CTB_ARCH_X86, .raw = CTB_RAW_CLWB,
	  .prepare = ctb_cache_prep_line },
	{ CTB_CACHE_LINE_OP, .name = "line_dc_cvac",
	  .params = CTB_P_LINE("dsb sy"),
	  .arch = CTB_ARCH_ARM64, .raw = CTB_RAW_DC_CVAC,
	  .prepare = ctb_cache_prep_line },
	{ CTB_CACHE_LINE_OP, .name = "line_dc_civac",
	  .params = CTB_P_LINE("dsb sy"),
	  .arch = CTB_ARCH_ARM64, .raw = CTB_RAW_DC_CIVAC,
	  .prepare = ctb_cache_prep_line },
	{ CTB_CACHE_LINE_OP, .name = "line_dc_cvau",
	  .params = CTB_P_LINE("dsb ish"),
	  .arch = CTB_ARCH_ARM64, .raw = CTB_RAW_DC_CVAU,
	  .prepare = ctb_cache_prep_line },
	{ CTB_CACHE_LINE_OP, .name = "line_ic_ivau",
	  .params = CTB_P_LINE("dsb ish+isb"),
	  .arch = CTB_ARCH_ARM64, .raw = CTB_RAW_IC_IVAU,
	  .prepare = ctb_cache_prep_line },
	{ CTB_CACHE_LINE_OP, .name = "line_cbo_clean",
	  .params = CTB_P_LINE("fence"),
	  .arch = CTB_ARCH_RISCV, .raw = CTB_RAW_CBO_CLEAN,
	  .prepare = ctb_cache_prep_line },
	{ CTB_CACHE_LINE_OP, .name = "line_cbo_flush",
	  .params = CTB_P_LINE("fence"),
	  .arch = CTB_ARCH_RISCV, .raw = CTB_RAW_CBO_FLUSH,
	  .prepare = ctb_cache_prep_line },
	{ CTB_CACHE_LINE_OP, .name = "line_cbo_inval",
	  .params = CTB_P_LINE("fence"),
	  .arch = CTB_ARCH_RISCV, .raw = CTB_RAW_CBO_INVAL,
	  .prepare = ctb_cache_prep_line_discard },
	{ CTB_CACHE_LINE_OP, .name = "line_mips_hit_wb_inv_d",
	  .params = CTB_P_LINE("sync"),
	  .arch = CTB_ARCH_MIPS, .raw = CTB_RAW_MIPS_HIT_WB_INV_D,
	  .prepare = ctb_cache_prep_line },
	{ CTB_CACHE_LINE_OP, .name = "line_mips_hit_wb_d",
	  .params = CTB_P_LINE("sync"),
	  .arch = CTB_ARCH_MIPS, .raw = CTB_RAW_MIPS_HIT_WB_D,
	  .prepare = ctb_cache_prep_line },
	{ CTB_CACHE_LINE_OP, .name = "line_mips_hit_inv_i",
	  .params = CTB_P_LINE("sync+ehb"),
	  .arch = CTB_ARCH_MIPS, .raw = CTB_RAW_MIPS_HIT_INV_I,
	  .prepare = ctb_cache_prep_line },
	{ CTB_CACHE_LINE_OP, .name = "line_dccmvac",
	  .params = CTB_P_LINE("dsb sy"),
	  .arch = CTB_ARCH_ARM, .raw = CTB_RAW_DCCMVAC,
	  .prepare = ctb_cache_prep_line },
	{ CTB_CACHE_LINE_OP, .name = "line_dccimvac",
	  .params = CTB_P_LINE("dsb sy"),
	  .arch = CTB_ARCH_ARM, .raw = CTB_RAW_DCCIMVAC,
	  .prepare = ctb_cache_prep_line },
	{ CTB_CACHE_LINE_OP, .name = "line_dccmvau",
	  .params = CTB_P_LINE("dsb ish"),
	  .arch = CTB_ARCH_ARM, .raw = CTB_RAW_DCCMVAU,
	  .prepare = ctb_cache_prep_line },
	{ CTB_CACHE_LINE_OP, .name = "line_dcimvac",
	  .params = CTB_P_LINE("dsb sy"),
	  .arch = CTB_ARCH_ARM, .raw = CTB_RAW_DCIMVAC,
	  .prepare = ctb_cache_prep_line_discard },
	{ CTB_CACHE_LINE_OP, .name = "line_icimvau",
	  .params = CTB_P_LINE("dsb ish+isb"),
	  .arch = CTB_ARCH_ARM, .raw = CTB_RAW_ICIMVAU,
	  .prepare = ctb_cache_prep_line },
	{ CTB_CACHE_LINE_OP, .name = "line_dcbf",
	  .params = CTB_P_LINE("sync"),
	  .arch = CTB_ARCH_PPC, .raw = CTB_RAW_DCBF,
	  .prepare = ctb_cache_prep_line },
	{ CTB_CACHE_LINE_OP, .name = "line_dcbst",
	  .params = CTB_P_LINE("sync"),
	  .arch = CTB_ARCH_PPC, .raw = CTB_RAW_DCBST,
	  .prepare = ctb_cache_prep_line },
	{ CTB_CACHE_LINE_OP, .name = "line_icbi",
	  .params = CTB_P_LINE("sync+isync"),
	  .arch = CTB_ARCH_PPC, .raw = CTB_RAW_ICBI,
	  .prepare = ctb_cache_prep_line },
};

const unsigned int ctb_nr_ops_cache = ARRAY_SIZE(ctb_ops_cache);

/* Every params string must fit LIST_OPS' field. */
static_assert(sizeof(CTB_P_PAGE) <= CACHETLB_TEXT_LEN);
static_assert(sizeof(CTB_P_RANGE) <= CACHETLB_TEXT_LEN);
static_assert(sizeof(CTB_P_VMA) <= CACHETLB_TEXT_LEN);
static_assert(sizeof(CTB_P_LINE("fence")) <= CACHETLB_TEXT_LEN);
static_assert(sizeof(CTB_P_LINE("sfence")) <= CACHETLB_TEXT_LEN);
static_assert(sizeof(CTB_P_LINE("dsb sy")) <= CACHETLB_TEXT_LEN);
static_assert(sizeof(CTB_P_LINE("dsb ish+isb")) <= CACHETLB_TEXT_LEN);
static_assert(sizeof(CTB_P_LINE("sync+ehb")) <= CACHETLB_TEXT_LEN);
static_assert(sizeof(CTB_P_LINE("sync+isync")) <= CACHETLB_TEXT_LEN);
