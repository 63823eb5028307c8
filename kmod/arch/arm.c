// SPDX-License-Identifier: GPL-2.0
/*
 * arch/arm.c - 32-bit ARMv7 (Debian armhf, armmp-lpae) counter, features,
 * cache geometry, hypervisor hint, TLB flush ceiling, and the raw ops of
 * arch/arch.h as CP15 operations by MVA: DCCMVAC, DCCIMVAC, DCCMVAU,
 * DCIMVAC, ICIMVAU; TLBIMVA, TLBIMVAIS, TLBIALL, TLBIALLIS.
 *
 * The kernel's own cache and TLB paths on this arch: flush_dcache_page()
 * is out of line and exported (arch/arm/mm/flush.c); the D-cache flush
 * of a range is cpu_cache's flush_kern_dcache_area, with v7 only
 * (no MULTI_CACHE) the exported v7_flush_kern_dcache_area;
 * flush_tlb_all() and flush_tlb_kernel_range() are out of line in
 * arch/arm/kernel/smp_tlb.c and not exported, so they are resolved.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/of.h>
#include <linux/string.h>

#include <asm/arch_timer.h>
#include <asm/barrier.h>
#include <asm/cacheflush.h>
#include <asm/cachetype.h>
#include <asm/cputype.h>
#include <asm/outercache.h>
#include <asm/tlbflush.h>

#include "../cachetlb.h"

/* CTR (ARMv7 format, ARM ARM B4.1.42): log2 of the line in 4-byte words. */
#define CTB_CTR_IMINLINE(ctr)	((ctr) & 0xf)
#define CTB_CTR_DMINLINE(ctr)	(((ctr) >> 16) & 0xf)
#define CTB_CTR_FORMAT(ctr)	(((ctr) >> 29) & 0x7)
#define CTB_CTR_FORMAT_V7	4

/* CNTVCT through the 64-bit MRRC; the ISB orders it after prior insns. */
u64 ctb_arch_counter(void)
{
	return __arch_counter_get_cntvct();
}

u32 ctb_arch_counter_kind(void)
{
	return CACHETLB_CTR_CNTVCT;
}

u64 ctb_arch_counter_hz(void)
{
	return arch_timer_get_cntfrq();
}

static bool ctb_ctr_v7(void)
{
	return CTB_CTR_FORMAT(read_cpuid_cachetype()) == CTB_CTR_FORMAT_V7;
}

u32 ctb_arch_dcache_line(void)
{
	if (!ctb_ctr_v7())
		return 0;
	return 4U << CTB_CTR_DMINLINE(read_cpuid_cachetype());
}

u32 ctb_arch_icache_line(void)
{
	if (!ctb_ctr_v7())
		return 0;
	return 4U << CTB_CTR_IMINLINE(read_cpuid_cachetype());
}

void ctb_arch_cpu_model(char *buf, size_t len)
{
	u32 midr = read_cpuid_id();
	const char *cache = cache_is_vivt() ? "VIVT" :
			    cache_is_vipt_aliasing() ? "VIPT aliasing" :
			    cache_is_vipt_nonaliasing() ? "VIPT non-aliasing" :
			    "unknown";

	snprintf(buf, len,
		 "MIDR 0x%08x: implementer 0x%02x%s part 0x%03x variant %u revision %u; D-cache %s, I-cache %s",
		 midr, midr >> 24,
		 (midr >> 24) == ARM_CPU_IMP_ARM ? " (ARM)" : "",
		 (midr >> 4) & 0xfff, (midr >> 20) & 0xf, midr & 0xf, cache,
		 icache_is_pipt() ? "PIPT" :
		 icache_is_vipt_aliasing() ? "VIPT aliasing" : "VIPT");
}

/*
 * No range->full switch: v7wbi_flush_kern_tlb_range issues one TLBIMVAIS
 * per page of any range (arch/arm/mm/tlb-v7.S).
 */
u32 ctb_arch_tlb_ceiling(char *src, size_t len)
{
	strscpy(src, "none: per page, any range", len);
	return 0;
}

/* --- raw ops ---------------------------------------------------------------- */

const char *ctb_arch_raw_reason(enum ctb_raw id)
{
	switch (id) {
	case CTB_RAW_DCCMVAC:
	case CTB_RAW_DCCIMVAC:
	case CTB_RAW_DCCMVAU:
	case CTB_RAW_DCIMVAC:
	case CTB_RAW_ICIMVAU:
		if (!ctb_ctr_v7())
			return "CTR is not in the ARMv7 format: no line size";
		return NULL;
	case CTB_RAW_TLBIMVA:
	case CTB_RAW_TLBIMVAIS:
	case CTB_RAW_TLBIALL:
	case CTB_RAW_TLBIALLIS:
		return NULL;
	default:
		return "not an armhf op";
	}
}

/*
 * One CP15 operation per stride bytes (CTB_ARCH_LINES), the MVA in a
 * register; then the barrier.  PoC maintenance completes with DSB SY, PoU
 * with DSB ISH, as the kernel's v7 cache routines (arch/arm/mm/cache-v7.S)
 * do.
 */
#define CTB_ARM_LINES(crn_crm_op2, p, end, stride)			\
	CTB_ARCH_LINES("mcr p15, 0, %0, " crn_crm_op2, p, end, stride)

int ctb_arch_cache_raw(enum ctb_raw id, unsigned long start,
		       unsigned long len, unsigned long stride)
{
	unsigned long end = start + len;

	switch (id) {
	case CTB_RAW_DCCMVAC:
		CTB_ARM_LINES("c7, c10, 1", start, end, stride);
		dsb(sy);
		return 0;
	case CTB_RAW_DCCIMVAC:
		CTB_ARM_LINES("c7, c14, 1", start, end, stride);
		dsb(sy);
		return 0;
	case CTB_RAW_DCCMVAU:
		CTB_ARM_LINES("c7, c11, 1", start, end, stride);
		dsb(ish);
		return 0;
	case CTB_RAW_DCIMVAC:
		CTB_ARM_LINES("c7, c6, 1", start, end, stride);
		dsb(sy);
		return 0;
	case CTB_RAW_ICIMVAU:
		CTB_ARM_LINES("c7, c5, 1", start, end, stride);
		/* BPIALL as v7_coherent_kern_range ends */
		asm volatile("mcr p15, 0, %0, c7, c5, 6" : : "r" (0) : "memory");
		dsb(ish);
		isb();
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/* TLBIMVA: the operand is the page address, ASID bits 0 (kernel: global). */
static inline void ctb_tlbimva(unsigned long addr)
{
	asm volatile("mcr p15, 0, %0, c8, c7, 1" : : "r" (addr & PAGE_MASK)
		     : "memory");
}

static inline void ctb_tlbimvais(unsigned long addr)
{
	asm volatile("mcr p15, 0, %0, c8, c3, 1" : : "r" (addr & PAGE_MASK)
		     : "memory");
}

void ctb_arch_tlb_local_all(void)
{
	dsb(nshst);
	asm volatile("mcr p15, 0, %0, c8, c7, 0" : : "r" (0) : "memory");
	dsb(nsh);
	isb();
}

void ctb_arch_tlb_local_pages(unsigned long addr, unsigned int nr)
{
	unsigned int i;

	dsb(nshst);
	for (i = 0; i < nr; i++)
		ctb_tlbimva(addr + i * PAGE_SIZE);
	dsb(nsh);
	isb();
}

int ctb_arch_tlb_raw(enum ctb_raw id, unsigned long addr, unsigned int nr,
		     unsigned long context, u64 *result)
{
	unsigned int i;

	switch (id) {
	case CTB_RAW_TLBIMVA:
		ctb_arch_tlb_local_pages(addr, nr);
		return 0;
	case CTB_RAW_TLBIMVAIS:
		dsb(ishst);
		for (i = 0; i < nr; i++)
			ctb_tlbimvais(addr + i * PAGE_SIZE);
		dsb(ish);
		isb();
		return 0;
	case CTB_RAW_TLBIALL:
		ctb_arch_tlb_local_all();
		return 0;
	case CTB_RAW_TLBIALLIS:
		dsb(ishst);
		asm volatile("mcr p15, 0, %0, c8, c3, 0" : : "r" (0) : "memory");
		dsb(ish);
		isb();
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/* --- strongest flush (the kernel's TLB flushes: arch/common.c) ------------ */

const char *ctb_arch_dcache_flush_reason(void)
{
	return NULL;
}

/*
 * The kernel's __cpuc_flush_dcache_area() (clean + invalidate to PoC by
 * MVA, inner caches); an outer cache (PL310, not on QEMU's virt machine)
 * is flushed page by page by physical address as the DMA code does.
 */
void ctb_arch_dcache_flush(void *addr, unsigned long len)
{
	unsigned long va = (unsigned long)addr, end = va + len;
	phys_addr_t pa;

	__cpuc_flush_dcache_area(addr, len);
	if (!outer_cache.flush_range)
		return;
	for (va &= PAGE_MASK; va < end; va += PAGE_SIZE) {
		pa = page_to_phys(is_vmalloc_addr((void *)va) ?
				  vmalloc_to_page((void *)va) :
				  virt_to_page((void *)va));
		outer_flush_range(pa, pa + PAGE_SIZE);
	}
}
