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
 *    barrier for the whole range.
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
#if defined(CONFIG_X86_64)
#include <asm/cpufeature.h>
#include <asm/processor.h>
#elif defined(CONFIG_ARM64)
#include <asm/cpufeature.h>
#include <asm/cputype.h>
#elif defined(CONFIG_RISCV)
#include <asm/hwcap.h>	/* 6.1; 6.12 has it via linux/mm.h */
#endif
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
	unsigned int stride;		/* raw line ops: bytes per step */
	struct vm_area_struct *vma;	/* flush_cache_range/page stand-in */
	u64 seq;			/* current data pattern */
	int (*flush)(struct ctb_cache_buf *b);	/* the op, for DOUBLE */
};

/* --- arch: line sizes, strongest flush, raw instructions -------------- */

#if defined(CONFIG_X86_64)
static __always_inline void ctb_clflush(unsigned long p)
{
	asm volatile("clflush %0" : "+m" (*(volatile char *)p));
}

static __always_inline void ctb_clflushopt(unsigned long p)
{
	asm volatile("clflushopt %0" : "+m" (*(volatile char *)p));
}

static __always_inline void ctb_clwb(unsigned long p)
{
	asm volatile("clwb %0" : "+m" (*(volatile char *)p));
}

static __always_inline void ctb_sfence(void)
{
	asm volatile("sfence" : : : "memory");
}

static unsigned int ctb_cache_dline(void)
{
	return boot_cpu_data.x86_clflush_size;
}

static bool ctb_cache_have_strongest(void)
{
	return boot_cpu_has(X86_FEATURE_CLFLUSH);
}

static bool ctb_cache_flush_strongest(void *va, unsigned long len)
{
	/* mfence; clflushopt (or clflush) per line; mfence */
	clflush_cache_range(va, len);
	return true;
}
#elif defined(CONFIG_ARM64)
static __always_inline void ctb_dc_cvac(unsigned long p)
{
	asm volatile("dc cvac, %0" : : "r" (p) : "memory");
}

static __always_inline void ctb_dc_civac(unsigned long p)
{
	asm volatile("dc civac, %0" : : "r" (p) : "memory");
}

static __always_inline void ctb_dc_cvau(unsigned long p)
{
	asm volatile("dc cvau, %0" : : "r" (p) : "memory");
}

static __always_inline void ctb_ic_ivau(unsigned long p)
{
	asm volatile("ic ivau, %0" : : "r" (p) : "memory");
}

/* PoC maintenance completes with DSB SY, as the kernel's dcache_*_poc. */
static __always_inline void ctb_dsb_sy(void)
{
	asm volatile("dsb sy" : : : "memory");
}

/* PoU maintenance completes with DSB ISH, as caches_clean_inval_pou. */
static __always_inline void ctb_dsb_ish(void)
{
	asm volatile("dsb ish" : : : "memory");
}

static __always_inline void ctb_dsb_ish_isb(void)
{
	asm volatile("dsb ish\n\tisb" : : : "memory");
}

static unsigned int ctb_cache_dline(void)
{
	/* CTR_EL0.DminLine: log2 words of the smallest D/U line */
	return 4U << ((read_cpuid_cachetype() >> 16) & 0xf);
}

static unsigned int ctb_cache_iline(void)
{
	/* CTR_EL0.IminLine */
	return 4U << (read_cpuid_cachetype() & 0xf);
}

static bool ctb_cache_have_strongest(void)
{
	return true;
}

static bool ctb_cache_flush_strongest(void *va, unsigned long len)
{
	unsigned long step = ctb_cache_dline();
	unsigned long p = (unsigned long)va;
	unsigned long end = p + len;

	for (; p < end; p += step)
		ctb_dc_civac(p);
	ctb_dsb_sy();
	return true;
}
#elif defined(CONFIG_RISCV)
/*
 * Zicbom CBO instructions encoded with .insn (MISC-MEM opcode, funct3 2,
 * rd x0, imm 0 inval / 1 clean / 2 flush), so the assembler need not know
 * the extension.
 */
static __always_inline void ctb_cbo_inval(unsigned long p)
{
	asm volatile(".insn i 0x0f, 2, x0, %0, 0" : : "r" (p) : "memory");
}

static __always_inline void ctb_cbo_clean(unsigned long p)
{
	asm volatile(".insn i 0x0f, 2, x0, %0, 1" : : "r" (p) : "memory");
}

static __always_inline void ctb_cbo_flush(unsigned long p)
{
	asm volatile(".insn i 0x0f, 2, x0, %0, 2" : : "r" (p) : "memory");
}

static __always_inline void ctb_fence_rw(void)
{
	asm volatile("fence rw, rw" : : : "memory");
}

static bool ctb_cache_have_zicbom(void)
{
	return riscv_isa_extension_available(NULL, ZICBOM) &&
	       riscv_cbom_block_size;
}

static unsigned int ctb_cache_dline(void)
{
	return riscv_cbom_block_size;
}

static bool ctb_cache_have_strongest(void)
{
	return ctb_cache_have_zicbom();
}

static bool ctb_cache_flush_strongest(void *va, unsigned long len)
{
	unsigned long step = riscv_cbom_block_size;
	unsigned long p = (unsigned long)va;
	unsigned long end = p + len;

	if (!ctb_cache_have_zicbom())
		return false;
	for (; p < end; p += step)
		ctb_cbo_flush(p);
	ctb_fence_rw();
	return true;
}
#else
static unsigned int ctb_cache_dline(void)
{
	return 0;
}

static bool ctb_cache_have_strongest(void)
{
	return false;
}

static bool ctb_cache_flush_strongest(void *va, unsigned long len)
{
	return false;
}
#endif

/* Line size the state setup walks with (reads one word per line). */
static unsigned int ctb_cache_walk_step(void)
{
	unsigned int l = ctb_cache_dline();

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
static inline int ctb_cache_flush_icache_range(struct ctb_cache_buf *b);

static int ctb_cache_prepare(struct ctb_ctx *ctx,
			     int (*flush)(struct ctb_cache_buf *b),
			     bool discards, bool line_op, unsigned int line)
{
	const struct cachetlb_run *run = ctx->run;
	struct ctb_cache_buf *b;
	unsigned int stride = line;

#ifdef flush_icache_range
	/* It IPIs every CPU (arm64, riscv): not with IRQs off. */
	if (flush == ctb_cache_flush_icache_range &&
	    (run->flags & CACHETLB_RUN_IRQS_OFF)) {
		ctx->err_field = CACHETLB_ERR_FLAGS;
		return -EINVAL;
	}
#endif

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
	b->stride = stride;
	ctb_cache_fill(b);
	ctb_cache_flush_strongest(b->va, b->len);
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
		ctb_cache_flush_strongest(b->va, b->len);
		ctb_cache_touch(b);
		break;
	case CACHETLB_STATE_UNCACHED:
		b->seq++;
		ctb_cache_fill(b);
		ctb_cache_flush_strongest(b->va, b->len);
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

static inline int ctb_cache_flush_cache_range(struct ctb_cache_buf *b)
{
	flush_cache_range(b->vma, (unsigned long)b->va,
			  (unsigned long)b->va + b->len);
	return 0;
}

static inline int ctb_cache_flush_cache_page(struct ctb_cache_buf *b)
{
	unsigned int i;

	for (i = 0; i < b->nr_pages; i++)
		flush_cache_page(b->vma, (unsigned long)b->va + i * PAGE_SIZE,
				 page_to_pfn(b->pages[i]));
	return 0;
}

/*
 * riscv's own flush_cache_vmap() (6.10+, 64-bit) marks new_vmalloc[],
 * which is not exported: the module would not link.
 */
#if defined(CONFIG_RISCV) && defined(flush_cache_vmap)
#define CTB_CACHE_VMAP_LINKFAIL 1
#endif

#ifndef CTB_CACHE_VMAP_LINKFAIL
static inline int ctb_cache_flush_cache_vmap(struct ctb_cache_buf *b)
{
	flush_cache_vmap((unsigned long)b->va, (unsigned long)b->va + b->len);
	return 0;
}
#else
#define ctb_cache_flush_cache_vmap	ctb_cache_unsupported
#endif

static inline int ctb_cache_flush_cache_vunmap(struct ctb_cache_buf *b)
{
	flush_cache_vunmap((unsigned long)b->va, (unsigned long)b->va + b->len);
	return 0;
}

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
 * Raw per-line loop: one instruction per stride bytes, then one barrier.
 * Instruction and barrier are __always_inline helpers passed as constants,
 * so each op gets its own expanded loop with no call in the timed path.
 */
static __always_inline void ctb_cache_lines(const struct ctb_cache_buf *b,
					    void (*insn)(unsigned long p),
					    void (*fence)(void))
{
	unsigned long p = (unsigned long)b->va;
	unsigned long end = p + b->len;
	unsigned long stride = b->stride;

	for (; p < end; p += stride)
		insn(p);
	fence();
}

#if defined(CONFIG_X86_64)
static inline int ctb_cache_clflush_cache_range(struct ctb_cache_buf *b)
{
	clflush_cache_range(b->va, b->len);
	return 0;
}

static inline int ctb_cache_line_clflush(struct ctb_cache_buf *b)
{
	ctb_cache_lines(b, ctb_clflush, ctb_sfence);
	return 0;
}

static inline int ctb_cache_line_clflushopt(struct ctb_cache_buf *b)
{
	ctb_cache_lines(b, ctb_clflushopt, ctb_sfence);
	return 0;
}

static inline int ctb_cache_line_clwb(struct ctb_cache_buf *b)
{
	ctb_cache_lines(b, ctb_clwb, ctb_sfence);
	return 0;
}

static const char *ctb_cache_have_clflush(void)
{
	return boot_cpu_has(X86_FEATURE_CLFLUSH) ? NULL :
		"CPU lacks CLFLUSH (cpuid 1 edx bit 19)";
}

static const char *ctb_cache_have_clflushopt(void)
{
	return boot_cpu_has(X86_FEATURE_CLFLUSHOPT) ? NULL :
		"CPU lacks CLFLUSHOPT (cpuid 7 ebx bit 23)";
}

static const char *ctb_cache_have_clwb(void)
{
	return boot_cpu_has(X86_FEATURE_CLWB) ? NULL :
		"CPU lacks CLWB (cpuid 7 ebx bit 24)";
}
#else
#define ctb_cache_clflush_cache_range	ctb_cache_unsupported
#define ctb_cache_line_clflush		ctb_cache_unsupported
#define ctb_cache_line_clflushopt	ctb_cache_unsupported
#define ctb_cache_line_clwb		ctb_cache_unsupported
#define ctb_cache_have_clflush		ctb_x86_only
#define ctb_cache_have_clflushopt	ctb_x86_only
#define ctb_cache_have_clwb		ctb_x86_only
#endif

#if defined(CONFIG_ARM64)
static inline int ctb_cache_line_dc_cvac(struct ctb_cache_buf *b)
{
	ctb_cache_lines(b, ctb_dc_cvac, ctb_dsb_sy);
	return 0;
}

static inline int ctb_cache_line_dc_civac(struct ctb_cache_buf *b)
{
	ctb_cache_lines(b, ctb_dc_civac, ctb_dsb_sy);
	return 0;
}

static inline int ctb_cache_line_dc_cvau(struct ctb_cache_buf *b)
{
	ctb_cache_lines(b, ctb_dc_cvau, ctb_dsb_ish);
	return 0;
}

static inline int ctb_cache_line_ic_ivau(struct ctb_cache_buf *b)
{
	ctb_cache_lines(b, ctb_ic_ivau, ctb_dsb_ish_isb);
	return 0;
}

/*
 * Cortex-A53 errata 819472/824069/826319/827319: a raw DC CVAC or DC CVAU
 * can lose data, the kernel issues DC CIVAC instead.  Do not time it raw.
 */
static const char *ctb_cache_arm64_clean_ok(void)
{
	if (cpus_have_cap(ARM64_WORKAROUND_CLEAN_CACHE))
		return "CPU has the clean-cache errata: kernel uses DC CIVAC";
	return NULL;
}
#else
#define ctb_cache_line_dc_cvac		ctb_cache_unsupported
#define ctb_cache_line_dc_civac		ctb_cache_unsupported
#define ctb_cache_line_dc_cvau		ctb_cache_unsupported
#define ctb_cache_line_ic_ivau		ctb_cache_unsupported
#define ctb_cache_arm64_clean_ok	ctb_arm64_only
#endif

#if defined(CONFIG_RISCV)
static inline int ctb_cache_line_cbo_clean(struct ctb_cache_buf *b)
{
	ctb_cache_lines(b, ctb_cbo_clean, ctb_fence_rw);
	return 0;
}

static inline int ctb_cache_line_cbo_flush(struct ctb_cache_buf *b)
{
	ctb_cache_lines(b, ctb_cbo_flush, ctb_fence_rw);
	return 0;
}

static inline int ctb_cache_line_cbo_inval(struct ctb_cache_buf *b)
{
	ctb_cache_lines(b, ctb_cbo_inval, ctb_fence_rw);
	return 0;
}

static const char *ctb_cache_have_cbo(void)
{
	if (!riscv_isa_extension_available(NULL, ZICBOM))
		return "CPU lacks Zicbom (not in the kernel's ISA string)";
	if (!riscv_cbom_block_size)
		return "Zicbom block size unknown (no riscv,cbom-block-size)";
	return NULL;
}
#else
#define ctb_cache_line_cbo_clean	ctb_cache_unsupported
#define ctb_cache_line_cbo_flush	ctb_cache_unsupported
#define ctb_cache_line_cbo_inval	ctb_cache_unsupported
#define ctb_cache_have_cbo		ctb_riscv_only
#endif

/* --- supported() ------------------------------------------------------ */

static const char *ctb_cache_always(void)
{
	return NULL;
}

static const char *ctb_cache_vmap_supported(void)
{
#ifdef CTB_CACHE_VMAP_LINKFAIL
	return "link-fail on this kernel: riscv flush_cache_vmap writes unexported new_vmalloc[]";
#else
	return NULL;
#endif
}

static const char *ctb_cache_pmem_supported(void)
{
#ifdef CONFIG_ARCH_HAS_PMEM_API
	return NULL;
#else
	return "kernel lacks ARCH_HAS_PMEM_API: arch_wb_cache_pmem/arch_invalidate_pmem absent";
#endif
}

/* --- prepare / run wrappers --------------------------------------------- */

/*
 * Lines a raw op steps over: the D-cache line (x86 CLFLUSH size, arm64
 * CTR_EL0.DminLine), the I-cache line for IC IVAU, the Zicbom block.
 */
static unsigned int ctb_cache_iline_size(void)
{
#if defined(CONFIG_ARM64)
	return ctb_cache_iline();
#else
	return ctb_cache_dline();
#endif
}

static int ctb_cache_prepare_vma(struct ctb_ctx *ctx,
				 int (*flush)(struct ctb_cache_buf *b))
{
	struct ctb_cache_buf *b;
	int ret;

	ret = ctb_cache_prepare(ctx, flush, false, false, 0);
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
 * Per op: prepare binds the flush (for OPF_DOUBLE), run calls it directly
 * so the timed path has no extra indirect call.
 */
#define CTB_CACHE_OP(id, discards, line_op, line)			\
static int ctb_cache_prep_##id(struct ctb_ctx *ctx)			\
{									\
	return ctb_cache_prepare(ctx, ctb_cache_##id, discards,	\
				 line_op, line);			\
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

CTB_CACHE_OP(flush_dcache_page, false, false, 0)
CTB_CACHE_OP(flush_kernel_vmap_range, false, false, 0)
CTB_CACHE_OP(invalidate_kernel_vmap_range, true, false, 0)
CTB_CACHE_VMA_OP(flush_cache_range)
CTB_CACHE_VMA_OP(flush_cache_page)
CTB_CACHE_OP(flush_cache_vmap, false, false, 0)
CTB_CACHE_OP(flush_cache_vunmap, false, false, 0)
CTB_CACHE_OP(flush_icache_range, false, false, 0)
CTB_CACHE_OP(arch_wb_cache_pmem, false, false, 0)
CTB_CACHE_OP(arch_invalidate_pmem, true, false, 0)
CTB_CACHE_OP(clflush_cache_range, false, false, 0)
CTB_CACHE_OP(line_clflush, false, true, ctb_cache_dline())
CTB_CACHE_OP(line_clflushopt, false, true, ctb_cache_dline())
CTB_CACHE_OP(line_clwb, false, true, ctb_cache_dline())
CTB_CACHE_OP(line_dc_cvac, false, true, ctb_cache_dline())
CTB_CACHE_OP(line_dc_civac, false, true, ctb_cache_dline())
CTB_CACHE_OP(line_dc_cvau, false, true, ctb_cache_dline())
CTB_CACHE_OP(line_ic_ivau, false, true, ctb_cache_iline_size())
CTB_CACHE_OP(line_cbo_clean, false, true, ctb_cache_dline())
CTB_CACHE_OP(line_cbo_flush, false, true, ctb_cache_dline())
CTB_CACHE_OP(line_cbo_inval, true, true, ctb_cache_dline())

/* arch_*_pmem are NOPs on riscv without Zicbom (a runtime choice). */
#ifdef CONFIG_RISCV
#define CTB_CACHE_PMEM_PROPS	(CACHETLB_PROP_NOOP_API | CACHETLB_PROP_KERNEL_PATH)
#else
#define CTB_CACHE_PMEM_PROPS	CACHETLB_PROP_KERNEL_PATH
#endif

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
 *                           including asm-generic/cacheflush.h.
 * 6.1 and 6.12: empty on x86_64 for all of them; arm64 and riscv implement
 * flush_dcache_page; riscv 6.12 implements flush_cache_vmap.
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
#ifdef flush_cache_range
#define CTB_PROPS_flush_cache_range	CTB_CACHE_API
#else
#define CTB_PROPS_flush_cache_range	CTB_CACHE_EMPTY
#endif
#ifdef flush_cache_page
#define CTB_PROPS_flush_cache_page	CTB_CACHE_API
#else
#define CTB_PROPS_flush_cache_page	CTB_CACHE_EMPTY
#endif
#ifdef flush_cache_vmap
#define CTB_PROPS_flush_cache_vmap	CTB_CACHE_API
#else
#define CTB_PROPS_flush_cache_vmap	CTB_CACHE_EMPTY
#endif
#ifdef flush_cache_vunmap
#define CTB_PROPS_flush_cache_vunmap	CTB_CACHE_API
#else
#define CTB_PROPS_flush_cache_vunmap	CTB_CACHE_EMPTY
#endif
/* Where it is not empty it reaches every CPU (IPI or SBI remote FENCE.I). */
#ifdef flush_icache_range
#define CTB_PROPS_flush_icache_range	(CTB_CACHE_API | CACHETLB_PROP_IPI)
#else
#define CTB_PROPS_flush_icache_range	CTB_CACHE_EMPTY
#endif

#define CTB_CACHE_ENTRY(id, _uses, _props, _params, _supported)	\
	{								\
		.name = #id,						\
		.family = CACHETLB_FAM_CACHE,				\
		.unit = "pages",					\
		.params = _params,					\
		.uses = _uses,						\
		.props = _props,					\
		.count_min = 1,						\
		.count_max = CTB_CACHE_MAX_PAGES,			\
		.opflags = CTB_CACHE_OPFLAGS,				\
		.symbols = NULL,					\
		.supported = _supported,				\
		.prepare = ctb_cache_prep_##id,				\
		.pre_sample = ctb_cache_pre_sample,			\
		.run = ctb_cache_run_##id,				\
		.post_sample = ctb_cache_post_sample,			\
		.teardown = ctb_cache_teardown,				\
	}

/* params: at most 127 characters (CACHETLB_TEXT_LEN), checked below. */
#define CTB_P_TAIL	"; state=line state; VMAP=vmap alias; DOUBLE=time 2nd flush; result=buf checksum"
#define CTB_P_PAGE	"N pages, 1 call/page" CTB_P_TAIL
#define CTB_P_RANGE	"N pages, 1 call/range" CTB_P_TAIL
#define CTB_P_VMA	"N pages, vma stand-in, no mm" CTB_P_TAIL
#define CTB_P_LINE(bar)	"N pages, 1 insn/stride B (0=line), " bar CTB_P_TAIL

const struct ctb_op ctb_ops_cache[] = {
	CTB_CACHE_ENTRY(flush_dcache_page, CTB_CACHE_USES,
			CTB_PROPS_flush_dcache_page, CTB_P_PAGE, ctb_cache_always),
	CTB_CACHE_ENTRY(flush_kernel_vmap_range, CTB_CACHE_USES,
			CTB_PROPS_kernel_vmap_range, CTB_P_RANGE, ctb_cache_always),
	CTB_CACHE_ENTRY(invalidate_kernel_vmap_range, CTB_CACHE_USES,
			CTB_PROPS_kernel_vmap_range, CTB_P_RANGE, ctb_cache_always),
	CTB_CACHE_ENTRY(flush_cache_range, CTB_CACHE_USES,
			CTB_PROPS_flush_cache_range, CTB_P_VMA, ctb_cache_always),
	CTB_CACHE_ENTRY(flush_cache_page, CTB_CACHE_USES,
			CTB_PROPS_flush_cache_page, CTB_P_VMA, ctb_cache_always),
	CTB_CACHE_ENTRY(flush_cache_vmap, CTB_CACHE_USES,
			CTB_PROPS_flush_cache_vmap, CTB_P_RANGE,
			ctb_cache_vmap_supported),
	CTB_CACHE_ENTRY(flush_cache_vunmap, CTB_CACHE_USES,
			CTB_PROPS_flush_cache_vunmap, CTB_P_RANGE, ctb_cache_always),
	CTB_CACHE_ENTRY(flush_icache_range, CTB_CACHE_USES,
			CTB_PROPS_flush_icache_range, CTB_P_RANGE,
			ctb_cache_always),
	CTB_CACHE_ENTRY(arch_wb_cache_pmem, CTB_CACHE_USES,
			CTB_CACHE_PMEM_PROPS, CTB_P_RANGE,
			ctb_cache_pmem_supported),
	CTB_CACHE_ENTRY(arch_invalidate_pmem, CTB_CACHE_USES,
			CTB_CACHE_PMEM_PROPS, CTB_P_RANGE,
			ctb_cache_pmem_supported),
	CTB_CACHE_ENTRY(clflush_cache_range, CTB_CACHE_USES,
			CACHETLB_PROP_KERNEL_PATH,
			CTB_P_RANGE, ctb_x86_only),
	CTB_CACHE_ENTRY(line_clflush, CTB_CACHE_LINE_USES, 0,
			CTB_P_LINE("sfence"), ctb_cache_have_clflush),
	CTB_CACHE_ENTRY(line_clflushopt, CTB_CACHE_LINE_USES, 0,
			CTB_P_LINE("sfence"), ctb_cache_have_clflushopt),
	CTB_CACHE_ENTRY(line_clwb, CTB_CACHE_LINE_USES, 0,
			CTB_P_LINE("sfence"), ctb_cache_have_clwb),
	CTB_CACHE_ENTRY(line_dc_cvac, CTB_CACHE_LINE_USES, 0,
			CTB_P_LINE("dsb sy"), ctb_cache_arm64_clean_ok),
	CTB_CACHE_ENTRY(line_dc_civac, CTB_CACHE_LINE_USES, 0,
			CTB_P_LINE("dsb sy"), ctb_arm64_only),
	CTB_CACHE_ENTRY(line_dc_cvau, CTB_CACHE_LINE_USES, 0,
			CTB_P_LINE("dsb ish"), ctb_cache_arm64_clean_ok),
	CTB_CACHE_ENTRY(line_ic_ivau, CTB_CACHE_LINE_USES, 0,
			CTB_P_LINE("dsb ish+isb"),
			ctb_arm64_only),
	CTB_CACHE_ENTRY(line_cbo_clean, CTB_CACHE_LINE_USES, 0,
			CTB_P_LINE("fence"), ctb_cache_have_cbo),
	CTB_CACHE_ENTRY(line_cbo_flush, CTB_CACHE_LINE_USES, 0,
			CTB_P_LINE("fence"), ctb_cache_have_cbo),
	CTB_CACHE_ENTRY(line_cbo_inval, CTB_CACHE_LINE_USES, 0,
			CTB_P_LINE("fence"), ctb_cache_have_cbo),
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
