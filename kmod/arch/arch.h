/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arch/arch.h - the per-arch interface.  arch/x86.c, arch/arm64.c,
 * arch/riscv.c, arch/s390.c, arch/mips.c, arch/arm.c (32-bit ARMv7,
 * Debian armhf) and arch/ppc.c each implement what differs on their arch;
 * arch/common.c holds the one default of the parts most arches share
 * (selected by the CTB_ARCH_HAS_* / CTB_ARCH_NO_* below), and the last part
 * has inline stubs here for arches without it.  The op files (ops_*.c)
 * call only this and stay free of arch conditionals.
 *
 * Four parts:
 *  - facts: counter, features, cache geometry, hypervisor, TLB ceiling;
 *  - raw ops: one cache maintenance instruction per line, or one local TLB
 *    invalidation, named by enum ctb_raw.  An op row names its raw op and
 *    the arch it belongs to (.arch, .raw in struct ctb_op); on other arches
 *    the op is reported "<arch> only" and never prepared, so no stub is
 *    needed.  On its own arch ctb_arch_raw_reason() says whether this CPU
 *    has it;
 *  - the strongest data cache flush and the kernel's own TLB flushes, as
 *    this arch reaches them (inline, or through a resolved symbol);
 *  - the cache attribute of kernel pages in the direct map (x86 only).
 */
#ifndef _CACHETLB_ARCH_H
#define _CACHETLB_ARCH_H

#include <linux/bits.h>
#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/types.h>

struct page;

/* struct ctb_op.arch: the one arch an op exists on (0: every arch). */
#define CTB_ARCH_X86		BIT(0)
#define CTB_ARCH_ARM64		BIT(1)
#define CTB_ARCH_RISCV		BIT(2)
#define CTB_ARCH_S390		BIT(6)
#define CTB_ARCH_MIPS		BIT(4)
#define CTB_ARCH_ARM		BIT(3)
#define CTB_ARCH_PPC		BIT(5)

#if defined(CONFIG_X86_64)
#define CTB_ARCH_THIS		CTB_ARCH_X86
#elif defined(CONFIG_ARM64)
#define CTB_ARCH_THIS		CTB_ARCH_ARM64
#elif defined(CONFIG_RISCV)
#define CTB_ARCH_THIS		CTB_ARCH_RISCV
#elif defined(CONFIG_S390)
#define CTB_ARCH_THIS		CTB_ARCH_S390
#elif defined(CONFIG_MIPS) && defined(CONFIG_64BIT)
#define CTB_ARCH_THIS		CTB_ARCH_MIPS
#elif defined(CONFIG_ARM) && defined(CONFIG_CPU_V7)
#define CTB_ARCH_THIS		CTB_ARCH_ARM
#elif defined(CONFIG_PPC_BOOK3S_64)
#define CTB_ARCH_THIS		CTB_ARCH_PPC
#else
#error "cachetlb: x86_64, arm64, riscv64, s390x, mips64, armv7 (armhf) and ppc64 (Book3S) only"
#endif

/*
 * Compile-time facts of this arch the op tables need.
 * CTB_ARCH_PMEM_PROPS: extra CACHETLB_PROP_* of arch_{wb_cache,invalidate}
 *   _pmem (riscv makes them NOPs without Zicbom, a runtime choice).
 * CTB_ARCH_VMAP_LINKFAIL: flush_cache_vmap() cannot be called from a module
 *   (riscv 6.10+ writes the unexported new_vmalloc[]).
 */
#if defined(CONFIG_RISCV)
#define CTB_ARCH_PMEM_PROPS	CACHETLB_PROP_NOOP_API
#ifdef flush_cache_vmap
#define CTB_ARCH_VMAP_LINKFAIL	1
#endif
#else
#define CTB_ARCH_PMEM_PROPS	0
#endif

/*
 * CTB_ARCH_CACHE_FNPTR: flush_cache_{range,page} are function pointers and
 * flush_cache_{vmap,vunmap} inlines calling function pointers the kernel
 * does not export (mips: set by the cache code at boot, r4k_cache_init);
 * flush_icache_range is an exported pointer, real code.
 */
#if defined(CONFIG_MIPS)
#define CTB_ARCH_CACHE_FNPTR	1
#endif

/*
 * CTB_ARCH_KFLUSH_ALL_PROPS: extra CACHETLB_PROP_* of the flush_tlb_all op.
 * s390's asm/tlbflush.h defines flush_tlb_all() as an empty macro (IPTE,
 * IDTE and CSP invalidate on every CPU when the page table changes).
 */
#if defined(CONFIG_S390)
#define CTB_ARCH_KFLUSH_ALL_PROPS \
	(CACHETLB_PROP_NOOP_API | CACHETLB_PROP_COMPILED_EMPTY)
#else
#define CTB_ARCH_KFLUSH_ALL_PROPS	0
#endif

/*
 * CTB_ARCH_OWN_CACHEFLUSH: asm/cacheflush.h does not include
 *   asm-generic/cacheflush.h, so flush_cache_{range,page,vmap,vunmap} are
 *   the arch's own code even where it does not #define their names
 *   (32-bit ARM: static inlines and out-of-line functions).
 * CTB_ARCH_CACHE_VMA_SYMS: flush_cache_range() and flush_cache_page() are
 *   out of line and unexported (32-bit ARM, arch/arm/mm/flush.c): the ops
 *   call the resolved addresses.
 */
#if defined(CONFIG_ARM)
#define CTB_ARCH_OWN_CACHEFLUSH	1
#define CTB_ARCH_CACHE_VMA_SYMS	1
#endif

/*
 * CTB_ARCH_KFLUSH_ALL_NONE: why this arch has no flush_tlb_all() at all
 * (the op is then unsupported with this reason).
 */
#if defined(CONFIG_PPC_BOOK3S_64)
/*
 * CTB_ARCH_PMEM_REASON(): non-NULL when arch_{wb_cache,invalidate}_pmem
 * cannot be run here (arch/ppc.c: ISA 3.1 dcbstps/dcbfps on older CPUs).
 */
const char *ctb_ppc_pmem_reason(void);
#define CTB_ARCH_PMEM_REASON()	ctb_ppc_pmem_reason()
#define CTB_ARCH_KFLUSH_ALL_NONE \
	"powerpc book3s64 has no flush_tlb_all() (kernel range: tlbie of PID 0)"
#endif

/*
 * What this arch implements itself.  arch/common.c holds the one default
 * of every part of this interface an arch does not name here:
 *  CTB_ARCH_NO_COUNTER: no cycle counter; the default ctb_arch_counter*()
 *    say so (CACHETLB_CTR_NONE) and samples carry ktime only;
 *  CTB_ARCH_NO_FEATURES: no CACHETLB_FEAT_* bit applies (the default
 *    ctb_arch_features() is 0);
 *  CTB_ARCH_HAS_CBOM: ctb_arch_cbom_block() (default 0);
 *  CTB_ARCH_HAS_ENTRY_CHECK: ctb_arch_check_entry() (default: every entry
 *    is callable);
 *  CTB_ARCH_HAS_RAW_LINE: ctb_arch_raw_line() (default: the I-line for an
 *    I-cache op, else the D-line);
 *  CTB_ARCH_HAS_TLB_CONTEXT, CTB_ARCH_HAS_TLB_REMOTE: (defaults 0 and
 *    -EOPNOTSUPP);
 *  CTB_ARCH_HAS_TLB_LOCAL_ALL: ctb_arch_tlb_local_all() (default the
 *    kernel's local_flush_tlb_all());
 *  CTB_ARCH_HAS_DCACHE_FLUSH_SYMS: ctb_arch_dcache_flush_syms (default
 *    none);
 *  CTB_ARCH_DT_VIRT: the arch boots with a device tree and this root
 *    compatible names QEMU's virt machine (arch/dt.c is then the
 *    hypervisor hint);
 *  CTB_ARCH_KFLUSH_RESOLVED: flush_tlb_all() and flush_tlb_kernel_range()
 *    are out of line and unexported, called at their resolved addresses
 *    (default: called through a wrapper, inline or exported);
 *  CTB_ARCH_KFLUSH_ALL_NONE, CTB_ARCH_KFLUSH_RANGE_NONE: why the module
 *    cannot call that one at all (the op is then unsupported with it).
 */
#if defined(CONFIG_X86_64)
#define CTB_ARCH_HAS_ENTRY_CHECK	1
#define CTB_ARCH_HAS_TLB_CONTEXT	1
#define CTB_ARCH_HAS_TLB_LOCAL_ALL	1
#define CTB_ARCH_KFLUSH_RESOLVED	1
#elif defined(CONFIG_ARM64)
#define CTB_ARCH_HAS_DCACHE_FLUSH_SYMS	1
#define CTB_ARCH_DT_VIRT		"linux,dummy-virt"
/* Both TLB flushes inline: TLBI broadcast, no symbols, no IPIs. */
#elif defined(CONFIG_RISCV)
#define CTB_ARCH_HAS_CBOM		1
#define CTB_ARCH_HAS_RAW_LINE		1
#define CTB_ARCH_HAS_TLB_REMOTE		1
#define CTB_ARCH_DT_VIRT		"riscv-virtio"
#define CTB_ARCH_KFLUSH_RESOLVED	1
/*
 * flush_tlb_kernel_range() became a real out-of-line ranged flush in 6.8,
 * in the series that added FLUSH_TLB_NO_ASID; before, it was an inline
 * flush_tlb_all() that modpost rejects.
 */
#if !CTB_KERNEL_GE(6, 8)
#define CTB_ARCH_KFLUSH_RANGE_NONE \
	"link-fail on this kernel (inline, calls unexported flush_tlb_all)"
#endif
#elif defined(CONFIG_S390)
#define CTB_ARCH_NO_COUNTER		1
#define CTB_ARCH_NO_FEATURES		1
#define CTB_ARCH_HAS_TLB_LOCAL_ALL	1
/*
 * Both TLB flushes are inline in asm/tlbflush.h.  flush_tlb_all() is an
 * empty macro (the op carries COMPILED_EMPTY, CTB_ARCH_KFLUSH_ALL_PROPS).
 * flush_tlb_kernel_range() is one IDTE of init_mm's ASCE (CSP without
 * IDTE) whatever the range, and reads the unexported init_mm, so modpost
 * rejects a module that calls it; local_idte_kernel issues the same IDTE
 * with the lowcore's copy of that ASCE.
 */
#define CTB_ARCH_KFLUSH_RANGE_NONE \
	"link-fail on this kernel (inline, reads unexported init_mm); see local_idte_kernel"
#elif defined(CONFIG_MIPS)
#define CTB_ARCH_NO_COUNTER		1
/*
 * SMP kernels (Debian's malta flavour is one) have both out of line in
 * arch/mips/kernel/smp.c; without CONFIG_SMP they are the exported
 * local_* functions.
 */
#ifdef CONFIG_SMP
#define CTB_ARCH_KFLUSH_RESOLVED	1
#endif
#elif defined(CONFIG_ARM)
#define CTB_ARCH_NO_FEATURES		1
#define CTB_ARCH_HAS_TLB_LOCAL_ALL	1
#define CTB_ARCH_DT_VIRT		"linux,dummy-virt"
/* Out of line in arch/arm/kernel/smp_tlb.c, not exported. */
#define CTB_ARCH_KFLUSH_RESOLVED	1
#elif defined(CONFIG_PPC_BOOK3S_64)
#define CTB_ARCH_NO_FEATURES		1
#define CTB_ARCH_HAS_TLB_LOCAL_ALL	1
/*
 * No flush_tlb_all() (CTB_ARCH_KFLUSH_ALL_NONE above);
 * flush_tlb_kernel_range() is inline: radix__flush_tlb_kernel_range()
 * (exported) under radix, an empty hash__ variant under hash.
 */
#endif

/* --- facts ---------------------------------------------------------------- */

u64 ctb_arch_counter(void);		/* cheap ordered counter read */
u32 ctb_arch_counter_kind(void);	/* enum cachetlb_counter */
u64 ctb_arch_counter_hz(void);
u64 ctb_arch_features(void);		/* CACHETLB_FEAT_* */
u32 ctb_arch_dcache_line(void);
u32 ctb_arch_icache_line(void);
u32 ctb_arch_cbom_block(void);
/* Fills hypervisor hint text, returns enum cachetlb_hyp. */
u32 ctb_arch_hypervisor(char *hint, size_t len);
void ctb_arch_cpu_model(char *buf, size_t len);
/* Kernel's TLB range->full threshold in pages (0 unknown) and its source. */
u32 ctb_arch_tlb_ceiling(char *src, size_t len);
/* Entry check before any indirect call to a resolved address (x86 IBT). */
u32 ctb_arch_check_entry(void *addr, char *detail, size_t len);

/* --- raw ops -------------------------------------------------------------- */

enum ctb_raw {
	CTB_RAW_NONE,
	/* x86_64 */
	CTB_RAW_CLFLUSH,		/* per line, then sfence */
	CTB_RAW_CLFLUSHOPT,
	CTB_RAW_CLWB,
	CTB_RAW_CLFLUSH_RANGE,		/* the kernel's clflush_cache_range() */
	CTB_RAW_INVLPG,			/* per page */
	CTB_RAW_FLUSH_TLB_LOCAL,	/* __flush_tlb_all(), this CPU */
	CTB_RAW_INVPCID_SINGLE,		/* type 1, PCID from tlb_context */
	CTB_RAW_INVPCID_ALL,		/* type 2 */
	/* arm64 */
	CTB_RAW_DC_CVAC,		/* per line, then dsb sy */
	CTB_RAW_DC_CIVAC,		/* per line, then dsb sy */
	CTB_RAW_DC_CVAU,		/* per line, then dsb ish */
	CTB_RAW_IC_IVAU,		/* per I-line, then dsb ish; isb */
	CTB_RAW_TLBI_VAAE1IS,		/* per page, broadcast */
	CTB_RAW_TLBI_VMALLE1IS,		/* whole TLB, broadcast */
	CTB_RAW_TLBI_RVAAE1IS,		/* range TLBI, broadcast */
	CTB_RAW_TLBI_VMALLE1,		/* local_flush_tlb_all() */
	/* riscv64 */
	CTB_RAW_CBO_CLEAN,		/* per block, then fence rw, rw */
	CTB_RAW_CBO_FLUSH,
	CTB_RAW_CBO_INVAL,
	CTB_RAW_SFENCE_VMA_ADDR,	/* per page, this hart */
	CTB_RAW_SFENCE_VMA_ALL,		/* this hart */
	CTB_RAW_SBI_SFENCE_VMA,		/* SBI remote fence, ctb_arch_tlb_remote */
	/* s390x */
	CTB_RAW_IPTE_LOCAL,		/* per page, local-clearing, pte restored */
	CTB_RAW_IPTE,			/* per page, broadcast, pte restored */
	CTB_RAW_PTLB,			/* whole TLB, this CPU */
	CTB_RAW_CSP,			/* __tlb_flush_global(): every CPU's TLB */
	CTB_RAW_IDTE_KERNEL,		/* IDTE of the kernel ASCE, broadcast */
	/* mips64 */
	CTB_RAW_MIPS_HIT_WB_INV_D,	/* CACHE Hit_Writeback_Inv_D, then sync */
	CTB_RAW_MIPS_HIT_WB_D,		/* CACHE Hit_Writeback_D, then sync */
	CTB_RAW_MIPS_HIT_INV_I,		/* CACHE Hit_Invalidate_I, sync, ehb */
	CTB_RAW_MIPS_TLBP_TLBWI,	/* per page: probe + unique rewrite */
	CTB_RAW_MIPS_TLB_LOCAL_ALL,	/* local_flush_tlb_all(), this CPU */
	/* armhf (ARMv7 CP15 by MVA) */
	CTB_RAW_DCCMVAC,		/* per line, then dsb sy */
	CTB_RAW_DCCIMVAC,		/* per line, then dsb sy */
	CTB_RAW_DCCMVAU,		/* per line, then dsb ish */
	CTB_RAW_DCIMVAC,		/* per line (discards), then dsb sy */
	CTB_RAW_ICIMVAU,		/* per I-line, BPIALL, dsb ish; isb */
	CTB_RAW_TLBIMVA,		/* per page, this CPU */
	CTB_RAW_TLBIMVAIS,		/* per page, broadcast */
	CTB_RAW_TLBIALL,		/* whole TLB, this CPU */
	CTB_RAW_TLBIALLIS,		/* whole TLB, broadcast */
	/* ppc64 (Book3S) */
	CTB_RAW_DCBF,			/* per line, then sync */
	CTB_RAW_DCBST,			/* per line, then sync */
	CTB_RAW_ICBI,			/* per I-line, then sync; isync */
	CTB_RAW_TLBIEL_VA,		/* radix, per page of PID 0, this CPU */
	CTB_RAW_TLBIEL_ALL,		/* radix, every set, this CPU */
	CTB_RAW_MAX
};

/*
 * NULL when this CPU and kernel can run raw op @id of this arch, else why
 * not.  Never asked about another arch's op: the table's .arch answers.
 */
const char *ctb_arch_raw_reason(enum ctb_raw id);

/* Bytes one step of cache raw op @id covers (D-line, I-line, CBO block). */
unsigned int ctb_arch_raw_line(enum ctb_raw id);

/*
 * The loop of every cache raw op: one instruction @insn per @stride bytes
 * of [@p, @end), inline with the address in a register (operand %0), no
 * call per line; each argument is evaluated once and @p is not changed.
 * The op's completion barrier follows it.
 */
#define CTB_ARCH_LINES(insn, p, end, stride)				\
	do {								\
		unsigned long __ctb_p = (p), __ctb_e = (end);		\
		unsigned long __ctb_s = (stride);			\
									\
		for (; __ctb_p < __ctb_e; __ctb_p += __ctb_s)		\
			asm volatile(insn : : "r" (__ctb_p) : "memory");	\
	} while (0)

/*
 * Cache raw op @id over [start, start + len): one instruction every @stride
 * bytes, then the op's barrier (CLFLUSH_RANGE ignores @stride).  Returns
 * -EOPNOTSUPP for an id this arch does not have.
 */
int ctb_arch_cache_raw(enum ctb_raw id, unsigned long start,
		       unsigned long len, unsigned long stride);

/*
 * TLB raw op @id on this CPU (broadcast where the instruction is): per-page
 * ops cover @nr pages from @addr, whole-TLB ops ignore both.  @context is
 * ctb_arch_tlb_context() read before the sample.  Ops that count what they
 * issued store it in *@result (TLBI RVAAE1IS: instructions).
 */
int ctb_arch_tlb_raw(enum ctb_raw id, unsigned long addr, unsigned int nr,
		     unsigned long context, u64 *result);
/*
 * Remote raw op @id (riscv SBI remote SFENCE.VMA) of @nr pages from @addr on
 * the CPUs in @mask; -EOPNOTSUPP where the arch has none.
 */
int ctb_arch_tlb_remote(enum ctb_raw id, const struct cpumask *mask,
			unsigned long addr, unsigned int nr);
/* Address space tag the TLB raw ops act on (x86 PCID, else 0). */
unsigned long ctb_arch_tlb_context(void);

/* Local TLB of this CPU, the stand-ins' building blocks (preemption off). */
void ctb_arch_tlb_local_all(void);
void ctb_arch_tlb_local_pages(unsigned long addr, unsigned int nr);

/* --- the strongest data cache flush ---------------------------------------- */

/*
 * Clean + invalidate [addr, addr + len) to memory with the strongest flush
 * this CPU has (x86 CLFLUSH(OPT), arm64 the kernel's dcache_clean_inval_poc
 * when resolved else DC CIVAC, riscv CBO.FLUSH).  ctb_arch_dcache_flush_reason()
 * is NULL when there is one; without it the flush does nothing.  Symbols in
 * ctb_arch_dcache_flush_syms are used when resolved.
 */
const char *ctb_arch_dcache_flush_reason(void);
void ctb_arch_dcache_flush(void *addr, unsigned long len);
extern const char *const ctb_arch_dcache_flush_syms[];

/* --- the kernel's flush_tlb_all() and flush_tlb_kernel_range() ------------ */

/*
 * Where the kernel function is out of line and unexported (x86; riscv, and
 * for the range only from 6.8) the symbols list names it and the op calls
 * the resolved address; where it is inline (arm64) the list is empty and
 * ctb_arch_kflush_*() returns a wrapper.  The range flush's reason is
 * non-NULL where the module cannot reach it at all.
 */
typedef void (*ctb_kflush_all_fn)(void);
typedef void (*ctb_kflush_range_fn)(unsigned long start, unsigned long end);

extern const char *const ctb_arch_kflush_all_syms[];
extern const char *const ctb_arch_kflush_range_syms[];
const char *ctb_arch_kflush_range_reason(void);
ctb_kflush_all_fn ctb_arch_kflush_all(void);
ctb_kflush_range_fn ctb_arch_kflush_range(void);

/* --- cache attribute of kernel pages in the direct map --------------------- */

/*
 * For the kpath_set_pages_wb ops, which exist on x86 only (their .arch):
 * make @nr pages from @block UC- or WB in the direct map (set_pages_uc(),
 * set_pages_wb(): 0 or -errno); count the pages whose direct-map entry is
 * not UC- (@want_uc) or not WB (!@want_uc); and say whether a page of the
 * block is also mapped by the kernel image's high mapping, for which CPA
 * flushes every TLB entry whatever the size.  Elsewhere these are the
 * stubs below: the ops are never prepared there.
 */
#if defined(CONFIG_X86_64)
int ctb_arch_pages_set_uc(struct page *block, unsigned int nr);
int ctb_arch_pages_set_wb(struct page *block, unsigned int nr);
u32 ctb_arch_pages_cache_mismatch(struct page *block, unsigned int nr,
				  bool want_uc);
bool ctb_arch_pages_image_alias(struct page *block, unsigned int nr);
#else
static inline int ctb_arch_pages_set_uc(struct page *block, unsigned int nr)
{
	return -EOPNOTSUPP;
}

static inline int ctb_arch_pages_set_wb(struct page *block, unsigned int nr)
{
	return -EOPNOTSUPP;
}

static inline u32 ctb_arch_pages_cache_mismatch(struct page *block,
						unsigned int nr, bool want_uc)
{
	return nr;
}

static inline bool ctb_arch_pages_image_alias(struct page *block,
					      unsigned int nr)
{
	return false;
}
#endif

#endif /* _CACHETLB_ARCH_H */
