// SPDX-License-Identifier: GPL-2.0
/*
 * arch/mips.c - mips64 (Debian's 5kc-malta flavour on QEMU malta) cache
 * geometry, TLB flush ceiling, and the raw ops of arch/arch.h: the CACHE
 * instruction by hit address (Hit_Writeback_Inv_D, Hit_Writeback_D,
 * Hit_Invalidate_I) and the local TLB (one page by TLBP + TLBWI, the whole
 * TLB by the kernel's exported local_flush_tlb_all()).
 *
 * No cycle counter is offered: CP0 Count is 32 bits wide and wraps within
 * seconds, so samples carry ktime_get_ns() only (CTB_ARCH_NO_COUNTER).
 */
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include <asm/cacheflush.h>
#include <asm/cacheops.h>
#include <asm/cpu-features.h>
#include <asm/cpu-info.h>
#include <asm/mipsregs.h>
#include <asm/pgtable.h>
#include <asm/r4kcache.h>
#include <asm/tlb.h>
#include <asm/tlbflush.h>

#include "../cachetlb.h"

/*
 * cpu_has_dc_aliases: the L1 D-cache way is larger than a page, so one
 * physical line can sit at two indexes (VIPT aliasing).  The kernel's
 * flush_dcache_page(), flush_kernel_vmap_range() and flush_cache_vmap()
 * do their work only then.
 */
u64 ctb_arch_features(void)
{
	return cpu_has_dc_aliases ? CACHETLB_FEAT_DC_ALIASES : 0;
}

u32 ctb_arch_dcache_line(void)
{
	return cpu_dcache_line_size();
}

u32 ctb_arch_icache_line(void)
{
	return cpu_icache_line_size();
}

/* Malta has no firmware table that names an emulator. */
u32 ctb_arch_hypervisor(char *hint, size_t len)
{
	strscpy(hint, "mips: no hypervisor hint (malta has none)", len);
	return CACHETLB_HYP_UNKNOWN;
}

void ctb_arch_cpu_model(char *buf, size_t len)
{
	const struct cpuinfo_mips *c = &cpu_data[0];

	snprintf(buf, len, "PRId %08x D %ux%ux%u I %ux%ux%u%s",
		 c->processor_id, c->dcache.ways, c->dcache.sets,
		 c->dcache.linesz, c->icache.ways, c->icache.sets,
		 c->icache.linesz,
		 cpu_has_dc_aliases ? " dc-aliases" : "");
}

/*
 * local_flush_tlb_kernel_range() (arch/mips/mm/tlb-r4k.c) flushes page by
 * page up to tlbsize / 2 page pairs (tlbsize / 8 with an FTLB), else the
 * whole TLB: the ceiling in pages is twice that.
 */
u32 ctb_arch_tlb_ceiling(char *src, size_t len)
{
	const struct cpuinfo_mips *c = &cpu_data[0];
	u32 pairs = c->tlbsizeftlbsets ? c->tlbsize / 8 : c->tlbsize / 2;

	strscpy(src, "tlbsize rule (tlb-r4k.c)", len);
	return pairs * 2;
}

/* --- raw ops ---------------------------------------------------------------- */

const char *ctb_arch_raw_reason(enum ctb_raw id)
{
	switch (id) {
	case CTB_RAW_MIPS_HIT_WB_INV_D:
	case CTB_RAW_MIPS_HIT_WB_D:
		if (!cpu_dcache_line_size())
			return "no D-cache line size in cpu_data";
		return NULL;
	case CTB_RAW_MIPS_HIT_INV_I:
		if (!cpu_icache_line_size())
			return "no I-cache line size in cpu_data";
		return NULL;
	case CTB_RAW_MIPS_TLBP_TLBWI:
		if (cpu_has_htw)
			return "CPU walks page tables in hardware (HTW); the probe sequence would race it";
		if (cpu_has_mmid)
			return "CPU uses MMIDs; the probe sequence is EntryHi/ASID only";
		return NULL;
	case CTB_RAW_MIPS_TLB_LOCAL_ALL:
		return NULL;
	default:
		return "not a mips op";
	}
}

/* One CACHE @op per @stride bytes, then SYNC (completes the writebacks). */
#define CTB_MIPS_LINES(op, p, end, stride)				\
	do {								\
		for (; (p) < (end); (p) += (stride))			\
			cache_op(op, (p));				\
		__sync();						\
	} while (0)

int ctb_arch_cache_raw(enum ctb_raw id, unsigned long start,
		       unsigned long len, unsigned long stride)
{
	unsigned long end = start + len;

	switch (id) {
	case CTB_RAW_MIPS_HIT_WB_INV_D:
		CTB_MIPS_LINES(Hit_Writeback_Inv_D, start, end, stride);
		return 0;
	case CTB_RAW_MIPS_HIT_WB_D:
		CTB_MIPS_LINES(Hit_Writeback_D, start, end, stride);
		return 0;
	case CTB_RAW_MIPS_HIT_INV_I:
		CTB_MIPS_LINES(Hit_Invalidate_I, start, end, stride);
		instruction_hazard();
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/*
 * Drop the entry pair mapping @addr from this CPU's TLB: probe EntryHi,
 * and on a hit overwrite the slot with a unique unmapped VPN2 (the kernel's
 * local_flush_tlb_one(), which is not exported).  Kernel pages are global,
 * so the probe matches whatever ASID is current.  Interrupts off: a refill
 * between the probe and the write would move the slot.
 */
static void ctb_mips_tlb_one(unsigned long addr)
{
	unsigned long flags, oldhi;
	int idx;

	local_irq_save(flags);
	oldhi = read_c0_entryhi();
	write_c0_entryhi(addr & (PAGE_MASK << 1));
	mtc0_tlbw_hazard();
	tlb_probe();
	tlb_probe_hazard();
	idx = read_c0_index();
	write_c0_entrylo0(0);
	write_c0_entrylo1(0);
	if (idx >= 0) {
		write_c0_entryhi(UNIQUE_ENTRYHI(idx));
		mtc0_tlbw_hazard();
		tlb_write_indexed();
		tlbw_use_hazard();
	}
	write_c0_entryhi(oldhi);
	mtc0_tlbw_hazard();
	local_irq_restore(flags);
}

void ctb_arch_tlb_local_pages(unsigned long addr, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		ctb_mips_tlb_one(addr + i * PAGE_SIZE);
}

int ctb_arch_tlb_raw(enum ctb_raw id, unsigned long addr, unsigned int nr,
		     unsigned long context, u64 *result)
{
	switch (id) {
	case CTB_RAW_MIPS_TLBP_TLBWI:
		ctb_arch_tlb_local_pages(addr, nr);
		return 0;
	case CTB_RAW_MIPS_TLB_LOCAL_ALL:
		local_flush_tlb_all();
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/* --- strongest flush (the kernel's TLB flushes: arch/common.c) ------------ */

const char *ctb_arch_dcache_flush_reason(void)
{
	return cpu_dcache_line_size() ? NULL : "no D-cache line size in cpu_data";
}

void ctb_arch_dcache_flush(void *addr, unsigned long len)
{
	unsigned long line = cpu_dcache_line_size();
	unsigned long start = (unsigned long)addr;
	unsigned long p;

	if (!line)
		return;
	p = ALIGN_DOWN(start, line);
	CTB_MIPS_LINES(Hit_Writeback_Inv_D, p, start + len, line);
}
