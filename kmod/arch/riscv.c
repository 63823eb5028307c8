// SPDX-License-Identifier: GPL-2.0
/*
 * arch/riscv.c - riscv64 counter, features, cache geometry, hypervisor
 * hint, TLB flush ceiling, and the raw ops of arch/arch.h: Zicbom CBO.*,
 * SFENCE.VMA, SBI remote SFENCE.VMA.
 */
#include <linux/kernel.h>
#include <linux/of.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <asm/cacheflush.h>
#include <asm/cpufeature.h>
#include <asm/csr.h>
#include <asm/delay.h>
#include <asm/hwcap.h>
#include <asm/sbi.h>
#include <asm/tlbflush.h>

#include "../cachetlb.h"

/*
 * arch/arch.h ties flush_tlb_kernel_range() to 6.8 (CTB_ARCH_KFLUSH_RANGE_NONE
 * before): the series that made it out of line added FLUSH_TLB_NO_ASID.
 */
#if defined(FLUSH_TLB_NO_ASID) != CTB_KERNEL_GE(6, 8)
#error "riscv: FLUSH_TLB_NO_ASID and the 6.8 kernel range flush disagree"
#endif

/* Upstream default of tlb_flush_all_threshold (arch/riscv/mm/tlbflush.c). */
#define CTB_RISCV_CEILING_DEFAULT	64

u64 ctb_arch_counter(void)
{
	return csr_read(CSR_TIME);
}

u32 ctb_arch_counter_kind(void)
{
	return CACHETLB_CTR_RDTIME;
}

u64 ctb_arch_counter_hz(void)
{
	return riscv_timebase;
}

u64 ctb_arch_features(void)
{
	/* The kernel sets and clears SSTATUS.SUM around every user access. */
	u64 f = CACHETLB_FEAT_SUM_TOGGLE;

	if (riscv_isa_extension_available(NULL, ZICBOM))
		f |= CACHETLB_FEAT_ZICBOM;
#ifdef RISCV_ISA_EXT_SVINVAL
	if (riscv_isa_extension_available(NULL, SVINVAL))
		f |= CACHETLB_FEAT_SVINVAL;
#endif
	return f;
}

static u32 ctb_cpu0_u32(const char *prop)
{
	struct device_node *np = of_get_cpu_node(0, NULL);
	u32 v = 0;

	if (!np)
		return 0;
	if (of_property_read_u32(np, prop, &v))
		v = 0;
	of_node_put(np);
	return v;
}

/* Only what the device tree says; QEMU virt does not describe L1 caches. */
u32 ctb_arch_dcache_line(void)
{
	return ctb_cpu0_u32("d-cache-block-size");
}

u32 ctb_arch_icache_line(void)
{
	return ctb_cpu0_u32("i-cache-block-size");
}

u32 ctb_arch_cbom_block(void)
{
	if (!riscv_isa_extension_available(NULL, ZICBOM))
		return 0;
	return riscv_cbom_block_size;
}

void ctb_arch_cpu_model(char *buf, size_t len)
{
	struct device_node *np = of_get_cpu_node(0, NULL);
	const char *compat = NULL, *isa = NULL;

	buf[0] = '\0';
	if (!np)
		return;
	of_property_read_string(np, "compatible", &compat);
	of_property_read_string(np, "riscv,isa", &isa);
	snprintf(buf, len, "%s%s%s", compat ? compat : "",
		 compat && isa ? " " : "", isa ? isa : "");
	of_node_put(np);
}

u32 ctb_arch_tlb_ceiling(char *src, size_t len)
{
#if CTB_KERNEL_GE(6, 8)
	unsigned long *p = ctb_sym("tlb_flush_all_threshold");
	unsigned long v;

	if (p && !get_kernel_nofault(v, p) && v <= U32_MAX) {
		strscpy(src, "tlb_flush_all_threshold", len);
		return v;
	}
	strscpy(src, "tlb_flush_all_threshold dflt", len);
	return CTB_RISCV_CEILING_DEFAULT;
#else
	strscpy(src, "none: always a full flush", len);
	return 0;
#endif
}

/* --- raw ops ---------------------------------------------------------------- */

const char *ctb_arch_raw_reason(enum ctb_raw id)
{
	switch (id) {
	case CTB_RAW_CBO_CLEAN:
	case CTB_RAW_CBO_FLUSH:
	case CTB_RAW_CBO_INVAL:
		if (!riscv_isa_extension_available(NULL, ZICBOM))
			return "CPU lacks Zicbom (not in the kernel's ISA string)";
		if (!riscv_cbom_block_size)
			return "Zicbom block size unknown (no riscv,cbom-block-size)";
		return NULL;
	case CTB_RAW_SBI_SFENCE_VMA:
		if (!IS_ENABLED(CONFIG_RISCV_SBI))
			return "kernel built without CONFIG_RISCV_SBI";
		return NULL;
	case CTB_RAW_SFENCE_VMA_ADDR:
	case CTB_RAW_SFENCE_VMA_ALL:
		return NULL;
	default:
		return "not a riscv op";
	}
}

/* Every cache raw op here steps by the Zicbom block, not the L1 line. */
unsigned int ctb_arch_raw_line(enum ctb_raw id)
{
	return riscv_cbom_block_size;
}

/*
 * Zicbom CBO instructions encoded with .insn (MISC-MEM opcode, funct3 2,
 * rd x0, imm 0 inval / 1 clean / 2 flush), so the assembler need not know
 * the extension; one per stride bytes (CTB_ARCH_LINES), then one
 * FENCE RW,RW.
 */
#define CTB_CBO_LINES(imm, p, end, stride)				\
	do {								\
		CTB_ARCH_LINES(".insn i 0x0f, 2, x0, %0, " #imm,	\
			       p, end, stride);				\
		asm volatile("fence rw, rw" : : : "memory");		\
	} while (0)

int ctb_arch_cache_raw(enum ctb_raw id, unsigned long start,
		       unsigned long len, unsigned long stride)
{
	unsigned long end = start + len;

	switch (id) {
	case CTB_RAW_CBO_CLEAN:
		CTB_CBO_LINES(1, start, end, stride);
		return 0;
	case CTB_RAW_CBO_FLUSH:
		CTB_CBO_LINES(2, start, end, stride);
		return 0;
	case CTB_RAW_CBO_INVAL:
		CTB_CBO_LINES(0, start, end, stride);
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

void ctb_arch_tlb_local_pages(unsigned long addr, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		local_flush_tlb_page(addr + i * PAGE_SIZE);
}

int ctb_arch_tlb_raw(enum ctb_raw id, unsigned long addr, unsigned int nr,
		     unsigned long context, u64 *result)
{
	switch (id) {
	case CTB_RAW_SFENCE_VMA_ADDR:
		ctb_arch_tlb_local_pages(addr, nr);
		return 0;
	case CTB_RAW_SFENCE_VMA_ALL:
		local_flush_tlb_all();
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

int ctb_arch_tlb_remote(enum ctb_raw id, const struct cpumask *mask,
			unsigned long addr, unsigned int nr)
{
#if defined(CONFIG_RISCV_SBI)
	unsigned long size = (unsigned long)nr * PAGE_SIZE;

	if (id != CTB_RAW_SBI_SFENCE_VMA)
		return -EOPNOTSUPP;
#ifdef FLUSH_TLB_NO_ASID
	return sbi_remote_sfence_vma_asid(mask, addr, size, FLUSH_TLB_NO_ASID);
#else
	return sbi_remote_sfence_vma(mask, addr, size);
#endif
#else
	return -EOPNOTSUPP;
#endif
}

/* --- strongest flush (the kernel's TLB flushes: arch/common.c) ------------ */

const char *ctb_arch_dcache_flush_reason(void)
{
	return ctb_arch_cbom_block() ? NULL :
		"no Zicbom (cbo.flush) on this CPU";
}

void ctb_arch_dcache_flush(void *addr, unsigned long len)
{
	unsigned long block = ctb_arch_cbom_block();
	unsigned long start = (unsigned long)addr;
	unsigned long p;

	if (!block)
		return;
	p = ALIGN_DOWN(start, block);
	CTB_CBO_LINES(2, p, start + len, block);
}
