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
#include <asm/ppc-opcode.h>
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
#define CTB_RIC_TLB		0	/* TLB entries only */
#define CTB_RIC_ALL		2	/* TLB, page walk cache, table caches */

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

/* Nothing of CACHETLB_FEAT_* applies; the MMU is in ctb_arch_cpu_model(). */
u64 ctb_arch_features(void)
{
	return 0;
}

u32 ctb_arch_dcache_line(void)
{
	return ppc64_caches.l1d.block_size;
}

u32 ctb_arch_icache_line(void)
{
	return ppc64_caches.l1i.block_size;
}

u32 ctb_arch_cbom_block(void)
{
	return 0;
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

/* ELFv2: a resolved address is the global entry, callable through r12. */
u32 ctb_arch_check_entry(void *addr, char *detail, size_t len)
{
	return CACHETLB_SYM_OK;
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

unsigned int ctb_arch_raw_line(enum ctb_raw id)
{
	if (id == CTB_RAW_ICBI)
		return ppc64_caches.l1i.block_size;
	return ppc64_caches.l1d.block_size;
}

/* One instruction per stride bytes, then the op's barrier. */
#define CTB_PPC_LINES(insn, p, end, stride)				\
	do {								\
		for (; (p) < (end); (p) += (stride))			\
			asm volatile(insn " 0, %0" : : "r" (p) : "memory"); \
	} while (0)

int ctb_arch_cache_raw(enum ctb_raw id, unsigned long start,
		       unsigned long len, unsigned long stride)
{
	unsigned long end = start + len;

	switch (id) {
	case CTB_RAW_DCBF:
		CTB_PPC_LINES("dcbf", start, end, stride);
		mb();
		return 0;
	case CTB_RAW_DCBST:
		CTB_PPC_LINES("dcbst", start, end, stride);
		mb();
		return 0;
	case CTB_RAW_ICBI:
		CTB_PPC_LINES("icbi", start, end, stride);
		mb();
		isync();
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/* Radix tlbiel of a kernel (PID 0) page: the kernel's __tlbiel_va(). */
static void ctb_tlbiel_va(unsigned long va, unsigned long ap)
{
	unsigned long rb = (va & ~PPC_BITMASK(52, 63)) |
			   (ap << PPC_BITLSHIFT(58)) |
			   (CTB_TLBIEL_IS_VA << PPC_BITLSHIFT(53));
	unsigned long rs = 0;	/* PID 0 */

	asm volatile(PPC_TLBIEL(%0, %4, %3, %2, %1)
		     : : "r" (rb), "i" (1), "i" (1), "i" (CTB_RIC_TLB), "r" (rs)
		     : "memory");
}

/* Radix tlbiel of all process-scoped entries of one TLB congruence class. */
static void ctb_tlbiel_set(unsigned long set, int ric_all)
{
	unsigned long rb = (set << PPC_BITLSHIFT(51)) |
			   (CTB_TLBIEL_IS_ALL << PPC_BITLSHIFT(53));
	unsigned long rs = 0;

	if (ric_all)
		asm volatile(PPC_TLBIEL(%0, %4, %3, %2, %1)
			     : : "r" (rb), "i" (1), "i" (1), "i" (CTB_RIC_ALL),
			       "r" (rs) : "memory");
	else
		asm volatile(PPC_TLBIEL(%0, %4, %3, %2, %1)
			     : : "r" (rb), "i" (1), "i" (1), "i" (CTB_RIC_TLB),
			       "r" (rs) : "memory");
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

unsigned long ctb_arch_tlb_context(void)
{
	return 0;
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

int ctb_arch_tlb_remote(enum ctb_raw id, const struct cpumask *mask,
			unsigned long addr, unsigned int nr)
{
	return -EOPNOTSUPP;
}

/* --- strongest flush, the kernel's TLB flushes ------------------------------ */

const char *const ctb_arch_dcache_flush_syms[] = { NULL };

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

/*
 * Book3S-64 has no flush_tlb_all() (CTB_ARCH_KFLUSH_ALL_NONE).
 * flush_tlb_kernel_range() is inline: radix__flush_tlb_kernel_range()
 * (exported) under radix, an empty hash__ variant under hash.
 */
const char *const ctb_arch_kflush_all_syms[] = { NULL };
const char *const ctb_arch_kflush_range_syms[] = { NULL };

const char *ctb_arch_kflush_range_reason(void)
{
	return NULL;
}

static void ctb_ppc_flush_tlb_kernel_range(unsigned long start,
					   unsigned long end)
{
	flush_tlb_kernel_range(start, end);
}

ctb_kflush_all_fn ctb_arch_kflush_all(void)
{
	return NULL;
}

ctb_kflush_range_fn ctb_arch_kflush_range(void)
{
	return ctb_ppc_flush_tlb_kernel_range;
}
