// SPDX-License-Identifier: GPL-2.0
/*
 * arch/arm64.c - arm64 counter, features, cache geometry, hypervisor hint,
 * TLB flush ceiling, and the raw ops of arch/arch.h: DC CVAC/CIVAC/CVAU,
 * IC IVAU, TLBI VAAE1IS/VMALLE1IS/RVAAE1IS/VMALLE1.
 */
#include <linux/kernel.h>
#include <linux/of.h>
#include <linux/string.h>

#include <asm/arch_timer.h>
#include <asm/barrier.h>
#include <asm/cache.h>
#include <asm/cacheflush.h>
#include <asm/cpufeature.h>
#include <asm/cputype.h>
#include <asm/sysreg.h>
#include <asm/tlbflush.h>

#include "../cachetlb.h"

/* CTR_EL0 fields (ARM ARM D19.2.34), spelled out: names differ by kernel. */
#define CTB_CTR_IMINLINE(ctr)	((ctr) & 0xf)
#define CTB_CTR_DMINLINE(ctr)	(((ctr) >> 16) & 0xf)
#define CTB_CTR_IDC		BIT(28)
#define CTB_CTR_DIC		BIT(29)

u64 ctb_arch_counter(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

u32 ctb_arch_counter_kind(void)
{
	return CACHETLB_CTR_CNTVCT;
}

u64 ctb_arch_counter_hz(void)
{
	return arch_timer_get_cntfrq();
}

u64 ctb_arch_features(void)
{
	u32 ctr = read_cpuid_effective_cachetype();
	u64 f = 0;

	if (system_uses_hw_pan())
		f |= CACHETLB_FEAT_PAN;
	if (system_supports_tlb_range())
		f |= CACHETLB_FEAT_TLB_RANGE;
	if (cpus_have_cap(ARM64_HAS_DCPOP))
		f |= CACHETLB_FEAT_DCPOP;
	if (ctr & CTB_CTR_IDC)
		f |= CACHETLB_FEAT_IDC;
	if (ctr & CTB_CTR_DIC)
		f |= CACHETLB_FEAT_DIC;
	return f;
}

/* CTR_EL0 line fields are log2 of the number of 4-byte words. */
u32 ctb_arch_dcache_line(void)
{
	return 4U << CTB_CTR_DMINLINE(read_cpuid_cachetype());
}

u32 ctb_arch_icache_line(void)
{
	return 4U << CTB_CTR_IMINLINE(read_cpuid_cachetype());
}

static const char *ctb_implementer_name(u32 impl)
{
	switch (impl) {
	case ARM_CPU_IMP_ARM:
		return "ARM";
	case ARM_CPU_IMP_APM:
		return "APM";
	case ARM_CPU_IMP_CAVIUM:
		return "Cavium";
	case ARM_CPU_IMP_QCOM:
		return "Qualcomm";
	case ARM_CPU_IMP_NVIDIA:
		return "NVIDIA";
	case ARM_CPU_IMP_FUJITSU:
		return "Fujitsu";
	case ARM_CPU_IMP_HISI:
		return "HiSilicon";
	case ARM_CPU_IMP_APPLE:
		return "Apple";
	case ARM_CPU_IMP_AMPERE:
		return "Ampere";
	case 0:
		return "none (emulated/software)";
	default:
		return "unknown";
	}
}

void ctb_arch_cpu_model(char *buf, size_t len)
{
	u32 midr = read_cpuid_id();

	snprintf(buf, len,
		 "MIDR 0x%08x: implementer 0x%02x (%s) part 0x%03x variant %u revision %u",
		 midr, MIDR_IMPLEMENTOR(midr),
		 ctb_implementer_name(MIDR_IMPLEMENTOR(midr)),
		 MIDR_PARTNUM(midr), MIDR_VARIANT(midr), MIDR_REVISION(midr));
}

u32 ctb_arch_tlb_ceiling(char *src, size_t len)
{
#ifdef MAX_DVM_OPS
	strscpy(src, "MAX_DVM_OPS (PTRS_PER_PTE)", len);
	return MAX_DVM_OPS;
#else
	strscpy(src, "MAX_TLBI_OPS (PTRS_PER_PTE)", len);
	return MAX_TLBI_OPS;
#endif
}

/* --- raw ops ---------------------------------------------------------------- */

/*
 * Cortex-A53 errata 819472/824069/826319/827319: a raw DC CVAC or DC CVAU
 * can lose data, the kernel issues DC CIVAC instead.  Do not time it raw.
 */
const char *ctb_arch_raw_reason(enum ctb_raw id)
{
	switch (id) {
	case CTB_RAW_DC_CVAC:
	case CTB_RAW_DC_CVAU:
		if (cpus_have_cap(ARM64_WORKAROUND_CLEAN_CACHE))
			return "CPU has the clean-cache errata: kernel uses DC CIVAC";
		return NULL;
	case CTB_RAW_TLBI_RVAAE1IS:
		if (!system_supports_tlb_range())
			return "CPU lacks FEAT_TLBIRANGE (or kernel without ARM64_TLB_RANGE)";
		return NULL;
	case CTB_RAW_DC_CIVAC:
	case CTB_RAW_IC_IVAU:
	case CTB_RAW_TLBI_VAAE1IS:
	case CTB_RAW_TLBI_VMALLE1IS:
	case CTB_RAW_TLBI_VMALLE1:
		return NULL;
	default:
		return "not an arm64 op";
	}
}

/*
 * One instruction per stride bytes (CTB_ARCH_LINES), then the barrier: PoC
 * maintenance completes with DSB SY (as dcache_*_poc), PoU with DSB ISH
 * (as caches_clean_inval_pou).
 */
int ctb_arch_cache_raw(enum ctb_raw id, unsigned long start,
		       unsigned long len, unsigned long stride)
{
	unsigned long end = start + len;

	switch (id) {
	case CTB_RAW_DC_CVAC:
		CTB_ARCH_LINES("dc cvac, %0", start, end, stride);
		dsb(sy);
		return 0;
	case CTB_RAW_DC_CIVAC:
		CTB_ARCH_LINES("dc civac, %0", start, end, stride);
		dsb(sy);
		return 0;
	case CTB_RAW_DC_CVAU:
		CTB_ARCH_LINES("dc cvau, %0", start, end, stride);
		dsb(ish);
		return 0;
	case CTB_RAW_IC_IVAU:
		CTB_ARCH_LINES("ic ivau, %0", start, end, stride);
		dsb(ish);
		isb();
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

void ctb_arch_tlb_local_pages(unsigned long addr, unsigned int nr)
{
	unsigned int i;

	dsb(nshst);
	for (i = 0; i < nr; i++)
		__tlbi(vaae1, __TLBI_VADDR(addr + i * PAGE_SIZE, 0));
	dsb(nsh);
	isb();
}

/* TG field of a range TLBI operand for this kernel's page size. */
static inline u64 ctb_range_tg(void)
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
static inline u64 ctb_range_operand(unsigned long addr, unsigned int shift,
				    unsigned int scale, unsigned int num)
{
	return (ctb_range_tg() << 46) | ((u64)scale << 44) |
	       ((u64)num << 39) | ((addr >> shift) & GENMASK_ULL(36, 0));
}

/* LPA2 (52-bit VA with 4K/16K pages) changes the range base unit to 64KiB. */
static inline bool ctb_lpa2(void)
{
#ifdef CONFIG_ARM64_LPA2
	return lpa2_is_enabled();
#else
	return false;
#endif
}

/* Encoded by hand (Xt = x9) so no ARMv8.4 assembler support is needed. */
static inline void ctb_tlbi_rvaae1is(u64 operand)
{
	asm volatile("mov x9, %0\n\t"
		     ".inst 0xd5088269\n"	/* tlbi rvaae1is, x9 */
		     : : "r" (operand) : "x9", "memory");
}

/*
 * Range TLBI over nr pages, largest chunks first: one RVAAE1IS per non-zero
 * 5-bit chunk of the page count (scale 3 down to 0), then a single TLBI
 * VAAE1IS for an odd last page.  With LPA2 (TCR_EL1.DS) the range base is
 * in 64KiB units, so single TLBIs first bring the start to a 64KiB
 * boundary; largest-first keeps every later range start aligned.  Counts
 * up to 2048 pages need at most 4 instructions (+ 15 alignment TLBIs).
 * Returns the instructions issued in *@ops, -EINVAL if pages were left.
 */
static int ctb_tlbi_range(unsigned long addr, unsigned long left, u64 *ops)
{
	bool lpa2 = ctb_lpa2();
	unsigned int shift = lpa2 ? 16 : PAGE_SHIFT;
	unsigned long chunk;
	unsigned int num, n = 0;
	int scale;

	dsb(ishst);
	while (left && lpa2 && !IS_ALIGNED(addr, SZ_64K)) {
		__tlbi(vaae1is, __TLBI_VADDR(addr, 0));
		addr += PAGE_SIZE;
		left--;
		n++;
	}
	for (scale = 3; scale >= 0 && left; scale--) {
		num = (left >> (5 * scale + 1)) & 0x1f;
		if (!num)
			continue;
		chunk = (unsigned long)num << (5 * scale + 1);
		ctb_tlbi_rvaae1is(ctb_range_operand(addr, shift, scale,
						    num - 1));
		addr += chunk * PAGE_SIZE;
		left -= chunk;
		n++;
	}
	if (left == 1) {
		__tlbi(vaae1is, __TLBI_VADDR(addr, 0));
		left--;
		n++;
	}
	dsb(ish);
	isb();
	*ops = n;
	return left ? -EINVAL : 0;
}

int ctb_arch_tlb_raw(enum ctb_raw id, unsigned long addr, unsigned int nr,
		     unsigned long context, u64 *result)
{
	unsigned int i;

	switch (id) {
	case CTB_RAW_TLBI_VAAE1IS:
		dsb(ishst);
		for (i = 0; i < nr; i++)
			__tlbi(vaae1is, __TLBI_VADDR(addr + i * PAGE_SIZE, 0));
		dsb(ish);
		isb();
		return 0;
	case CTB_RAW_TLBI_VMALLE1IS:
		dsb(ishst);
		__tlbi(vmalle1is);
		dsb(ish);
		isb();
		return 0;
	case CTB_RAW_TLBI_RVAAE1IS:
		return ctb_tlbi_range(addr, nr, result);
	case CTB_RAW_TLBI_VMALLE1:
		local_flush_tlb_all();
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/* --- strongest flush (the kernel's TLB flushes: arch/common.c) ------------ */

typedef void (*ctb_dcache_fn)(unsigned long start, unsigned long end);

const char *const ctb_arch_dcache_flush_syms[] = {
	"dcache_clean_inval_poc", NULL
};

const char *ctb_arch_dcache_flush_reason(void)
{
	return NULL;
}

/* The kernel's dcache_clean_inval_poc() when resolved, else DC CIVAC. */
void ctb_arch_dcache_flush(void *addr, unsigned long len)
{
	ctb_dcache_fn fn = ctb_sym("dcache_clean_inval_poc");
	unsigned long start = (unsigned long)addr;
	unsigned long line = ctb_arch_dcache_line();
	unsigned long p = ALIGN_DOWN(start, line);

	if (fn) {
		fn(start, start + len);
		return;
	}
	CTB_ARCH_LINES("dc civac, %0", p, start + len, line);
	dsb(sy);
}
