// SPDX-License-Identifier: GPL-2.0
/*
 * arch/common.c - the one definition of each part of arch/arch.h that most
 * arches share.  An arch that differs says so in arch/arch.h
 * (CTB_ARCH_HAS_*, CTB_ARCH_NO_*, CTB_ARCH_KFLUSH_*) and defines that part
 * in arch/<arch>.c; this file then leaves it out.
 */
#include <linux/kernel.h>

#include <asm/tlbflush.h>

#include "../cachetlb.h"

/* --- facts ---------------------------------------------------------------- */

/*
 * No counter of our own (mips: CP0 Count is 32 bits wide and wraps within
 * seconds; s390: ktime_get_ns() reads the TOD clock anyway): the engine
 * times with ktime_get_ns() only and cycles[] stay 0.
 */
#ifdef CTB_ARCH_NO_COUNTER
u64 ctb_arch_counter(void)
{
	return 0;
}

u32 ctb_arch_counter_kind(void)
{
	return CACHETLB_CTR_NONE;
}

u64 ctb_arch_counter_hz(void)
{
	return 0;
}
#endif

/* No CACHETLB_FEAT_* bit applies (ppc: the MMU is in the CPU model). */
#ifdef CTB_ARCH_NO_FEATURES
u64 ctb_arch_features(void)
{
	return 0;
}
#endif

#ifndef CTB_ARCH_HAS_CBOM
u32 ctb_arch_cbom_block(void)
{
	return 0;
}
#endif

/*
 * Only x86 kernels check indirect call targets (IBT).  arm64: Debian builds
 * it with GCC, no BTI landing pads; riscv: no Zicfilp in these kernels;
 * 32-bit ARM has neither; ppc64 ELFv2: a resolved address is the global
 * entry, callable through r12; mips and s390 have none.
 */
#ifndef CTB_ARCH_HAS_ENTRY_CHECK
u32 ctb_arch_check_entry(void *addr, char *detail, size_t len)
{
	return CACHETLB_SYM_OK;
}
#endif

/* --- raw ops ---------------------------------------------------------------- */

/* An I-cache raw op steps by the I-line, every other by the D-line. */
#ifndef CTB_ARCH_HAS_RAW_LINE
unsigned int ctb_arch_raw_line(enum ctb_raw id)
{
	switch (id) {
	case CTB_RAW_IC_IVAU:
	case CTB_RAW_MIPS_HIT_INV_I:
	case CTB_RAW_ICIMVAU:
	case CTB_RAW_ICBI:
		return ctb_arch_icache_line();
	default:
		return ctb_arch_dcache_line();
	}
}
#endif

/* No address space tag: the raw TLB ops act on the kernel's mappings. */
#ifndef CTB_ARCH_HAS_TLB_CONTEXT
unsigned long ctb_arch_tlb_context(void)
{
	return 0;
}
#endif

#ifndef CTB_ARCH_HAS_TLB_REMOTE
int ctb_arch_tlb_remote(enum ctb_raw id, const struct cpumask *mask,
			unsigned long addr, unsigned int nr)
{
	return -EOPNOTSUPP;
}
#endif

/* The kernel's exported local_flush_tlb_all() (arm64, riscv, mips). */
#ifndef CTB_ARCH_HAS_TLB_LOCAL_ALL
void ctb_arch_tlb_local_all(void)
{
	local_flush_tlb_all();
}
#endif

/* --- strongest flush, the kernel's TLB flushes ------------------------------ */

#ifndef CTB_ARCH_HAS_DCACHE_FLUSH_SYMS
const char *const ctb_arch_dcache_flush_syms[] = { NULL };
#endif

/*
 * flush_tlb_all(): none at all (CTB_ARCH_KFLUSH_ALL_NONE), out of line and
 * unexported (CTB_ARCH_KFLUSH_RESOLVED: called at its resolved address), or
 * inline or exported (called through a wrapper here).
 */
#if defined(CTB_ARCH_KFLUSH_ALL_NONE)
const char *const ctb_arch_kflush_all_syms[] = { NULL };

ctb_kflush_all_fn ctb_arch_kflush_all(void)
{
	return NULL;
}
#elif defined(CTB_ARCH_KFLUSH_RESOLVED)
const char *const ctb_arch_kflush_all_syms[] = { "flush_tlb_all", NULL };

ctb_kflush_all_fn ctb_arch_kflush_all(void)
{
	return ctb_sym("flush_tlb_all");
}
#else
const char *const ctb_arch_kflush_all_syms[] = { NULL };

static void ctb_flush_tlb_all(void)
{
	flush_tlb_all();
}

ctb_kflush_all_fn ctb_arch_kflush_all(void)
{
	return ctb_flush_tlb_all;
}
#endif

/* flush_tlb_kernel_range(): the same three cases, the first with a reason. */
#if defined(CTB_ARCH_KFLUSH_RANGE_NONE)
const char *const ctb_arch_kflush_range_syms[] = { NULL };

ctb_kflush_range_fn ctb_arch_kflush_range(void)
{
	return NULL;
}
#elif defined(CTB_ARCH_KFLUSH_RESOLVED)
const char *const ctb_arch_kflush_range_syms[] = {
	"flush_tlb_kernel_range", NULL
};

ctb_kflush_range_fn ctb_arch_kflush_range(void)
{
	return ctb_sym("flush_tlb_kernel_range");
}
#else
const char *const ctb_arch_kflush_range_syms[] = { NULL };

static void ctb_flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	flush_tlb_kernel_range(start, end);
}

ctb_kflush_range_fn ctb_arch_kflush_range(void)
{
	return ctb_flush_tlb_kernel_range;
}
#endif

const char *ctb_arch_kflush_range_reason(void)
{
#ifdef CTB_ARCH_KFLUSH_RANGE_NONE
	return CTB_ARCH_KFLUSH_RANGE_NONE;
#else
	return NULL;
#endif
}
