// SPDX-License-Identifier: GPL-2.0
/*
 * arch/ppc.c - powerpc64 (Book3S, little-endian ppc64el) counter, features,
 * cache geometry, hypervisor hint, and the raw ops of arch/arch.h: dcbf,
 * dcbst and icbi per line, tlbiel per page and for the whole local TLB.
 *
 * tlbiel is encoded for the radix MMU only (ISA 3.0 form with RIC, PRS and
 * R, as the kernel's radix code issues it for PID 0).  Under the hash MMU
 * a per-page tlbiel takes a VPN that only the hash table code knows; the
 * raw TLB ops say so and are never run.
 */
#include <linux/kernel.h>
#include <linux/of.h>
#include <linux/string.h>

#include <asm/cacheflush.h>
#include <asm/cputable.h>
#include <asm/firmware.h>
#include <asm/mmu.h>
#include <asm/reg.h>
#include <asm/synch.h>
#include <asm/time.h>
#include <asm/tlbflush.h>

#include "../cachetlb.h"

/* tlbiel operand fields (ISA 3.0 book III 6.10.1); kernel radix_tlb.c uses
 * the same: IS in RB 52:53, set number in RB 40:51, AP in RB 56:58.
 */
#define CTB_TLBIEL_IS_VA	0UL
#define CTB_TLBIEL_IS_ALL	3UL

u64 ctb_arch_counter(void)
{
	return get_tb();
}

u32 ctb_arch_counter_kind(void)
{
	return CACHETLB_CTR_TIMEBASE;
}

u64 ctb_arch_counter_hz(void)
{
	return ppc_tb_freq;
}

u32 ctb_arch_dcache_line(void)
{
	return ppc64_caches.l1d.block_size;
}

u32 ctb_arch_icache_line(void)
{
	return ppc64_caches.l1i.block_size;
}

/* A pSeries kernel always runs in a logical partition (PowerVM or KVM/QEMU). */
u32 ctb_arch_hypervisor(char *hint, size_t len)
{
	const char *model = NULL;

	if (of_root)
		of_property_read_string(of_root, "model", &model);
	if (firmware_has_feature(FW_FEATURE_LPAR)) {
		snprintf(hint, len, "pSeries LPAR (FW_FEATURE_LPAR), model \"%s\"",
			 model ? model : "");
		return CACHETLB_HYP_PRESENT;
	}
	snprintf(hint, len, "no LPAR firmware feature, model \"%s\"",
		 model ? model : "");
	return CACHETLB_HYP_UNKNOWN;
}

void ctb_arch_cpu_model(char *buf, size_t len)
{
	snprintf(buf, len, "%s pvr %08lx MMU %s",
		 cur_cpu_spec && cur_cpu_spec->cpu_name ?
		 cur_cpu_spec->cpu_name : "?", mfspr(SPRN_PVR),
		 radix_enabled() ? "radix" : "hash");
}

/*
 * 6.1's radix__flush_tlb_kernel_range() ignores the range: one tlbie of all
 * of PID 0 (RIC=2), whatever the size; the hash variant is empty.
 */
u32 ctb_arch_tlb_ceiling(char *src, size_t len)
{
	strscpy(src, radix_enabled() ? "none: always all of PID 0" :
		"none: hash kernel range is empty", len);
	return 0;
}

/* --- raw ops ---------------------------------------------------------------- */

const char *ctb_arch_raw_reason(enum ctb_raw id)
{
	switch (id) {
	case CTB_RAW_DCBF:
	case CTB_RAW_DCBST:
		return ppc64_caches.l1d.block_size ? NULL :
			"L1 D-cache block size unknown (ppc64_caches)";
	case CTB_RAW_ICBI:
		return ppc64_caches.l1i.block_size ? NULL :
			"L1 I-cache block size unknown (ppc64_caches)";
	case CTB_RAW_TLBIEL_VA:
	case CTB_RAW_TLBIEL_ALL:
		if (!radix_enabled())
			return "hash MMU: tlbiel takes a VPN the module does not know";
		if (!cpu_has_feature(CPU_FTR_ARCH_300))
			return "CPU before ISA 3.0: no radix tlbiel form";
		return NULL;
	default:
		return "not a ppc op";
	}
}

/* One instruction per stride bytes (CTB_ARCH_LINES), then the barrier. */
int ctb_arch_cache_raw(enum ctb_raw id, unsigned long start,
		       unsigned long len, unsigned long stride)
{
	unsigned long end = start + len;

	switch (id) {
	case CTB_RAW_DCBF:
		CTB_ARCH_LINES("dcbf 0, %0", start, end, stride);
		mb();	/* sync: the flushes are done */
		return 0;
	case CTB_RAW_DCBST:
		CTB_ARCH_LINES("dcbst 0, %0", start, end, stride);
		mb();	/* sync: the stores reached memory */
		return 0;
	case CTB_RAW_ICBI:
		CTB_ARCH_LINES("icbi 0, %0", start, end, stride);
		mb();	/* sync: the invalidations are done */
		isync();
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/*
 * tlbiel RB, RS, RIC, PRS, R with PRS=1 R=1 (radix, process scoped), RS
 * PID 0; the ISA 3.0 operand form needs the assembler in POWER9 mode.
 */
#define CTB_TLBIEL_ASM(ric)						\
	".machine push\n.machine power9\n"				\
	"tlbiel %0, %1, " #ric ", 1, 1\n.machine pop"

static __always_inline void ctb_tlbiel_ric_tlb(unsigned long rb)
{
	asm volatile(CTB_TLBIEL_ASM(0) : : "r" (rb), "r" (0UL) : "memory");
}

static __always_inline void ctb_tlbiel_ric_all(unsigned long rb)
{
	asm volatile(CTB_TLBIEL_ASM(2) : : "r" (rb), "r" (0UL) : "memory");
}

/* Radix tlbiel of a kernel (PID 0) page: the kernel's __tlbiel_va(). */
static void ctb_tlbiel_va(unsigned long va, unsigned long ap)
{
	unsigned long rb = (va & ~PPC_BITMASK(52, 63)) |
			   (ap << PPC_BITLSHIFT(58)) |
			   (CTB_TLBIEL_IS_VA << PPC_BITLSHIFT(53));

	ctb_tlbiel_ric_tlb(rb);
}

/* Radix tlbiel of all process-scoped entries of one TLB congruence class. */
static void ctb_tlbiel_set(unsigned long set, int ric_all)
{
	unsigned long rb = (set << PPC_BITLSHIFT(51)) |
			   (CTB_TLBIEL_IS_ALL << PPC_BITLSHIFT(53));

	if (ric_all)
		ctb_tlbiel_ric_all(rb);	/* RIC=2: TLB, PWC, table caches */
	else
		ctb_tlbiel_ric_tlb(rb);	/* RIC=0: TLB only */
}

static unsigned long ctb_page_ap(void)
{
#ifdef CONFIG_PPC_64K_PAGES
	return mmu_psize_defs[MMU_PAGE_64K].ap;
#else
	return mmu_psize_defs[MMU_PAGE_4K].ap;
#endif
}

/*
 * The guest part of the kernel's radix__tlbiel_all(): set 0 with RIC=2
 * (TLB, page walk cache), the other sets TLB only; ISA 3.1 needs set 0
 * only.  A no-op under hash (ctb_arch_raw_reason() says why), where the
 * stand-ins built on it are then no flush at all.
 */
void ctb_arch_tlb_local_all(void)
{
	unsigned long set, sets;

	if (!radix_enabled())
		return;
	sets = cpu_has_feature(CPU_FTR_ARCH_31) ? 1 : POWER9_TLB_SETS_RADIX;
	asm volatile("ptesync" : : : "memory");
	ctb_tlbiel_set(0, 1);
	for (set = 1; set < sets; set++)
		ctb_tlbiel_set(set, 0);
	ppc_after_tlbiel_barrier();
}

void ctb_arch_tlb_local_pages(unsigned long addr, unsigned int nr)
{
	unsigned long ap = ctb_page_ap();
	unsigned int i;

	if (!radix_enabled())
		return;
	asm volatile("ptesync" : : : "memory");
	for (i = 0; i < nr; i++)
		ctb_tlbiel_va(addr + i * PAGE_SIZE, ap);
	ppc_after_tlbiel_barrier();
}

int ctb_arch_tlb_raw(enum ctb_raw id, unsigned long addr, unsigned int nr,
		     unsigned long context, u64 *result)
{
	if (!radix_enabled())
		return -EOPNOTSUPP;
	switch (id) {
	case CTB_RAW_TLBIEL_VA:
		ctb_arch_tlb_local_pages(addr, nr);
		return 0;
	case CTB_RAW_TLBIEL_ALL:
		ctb_arch_tlb_local_all();
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/*
 * The kernel's pmem.c issues the ISA 3.1 forms dcbstps / dcbfps (dcbst /
 * dcbf with L=6 / L=4) on every ISA 2.07+ CPU: real POWER8/9 run them as
 * dcbst / dcbf, QEMU 7.2 TCG's POWER9 raises a program check (seen:
 * "Oops: Exception in kernel mode, sig: 4" at 7cc048ac in a RUN of
 * arch_wb_cache_pmem).
 */
const char *ctb_ppc_pmem_reason(void)
{
	if (cpu_has_feature(CPU_FTR_ARCH_31))
		return NULL;
	return "pre-ISA 3.1 CPU: kernel's dcbstps/dcbfps trap under QEMU TCG";
}

/* --- strongest flush (the kernel's TLB flushes: arch/common.c) ------------ */

const char *ctb_arch_dcache_flush_reason(void)
{
	return ppc64_caches.l1d.block_size ? NULL :
		"L1 D-cache block size unknown (ppc64_caches)";
}

/* The kernel's inline flush_dcache_range(): sync, dcbf per line, sync. */
void ctb_arch_dcache_flush(void *addr, unsigned long len)
{
	unsigned long start = (unsigned long)addr;

	if (ppc64_caches.l1d.block_size)
		flush_dcache_range(start, start + len);
}
