// SPDX-License-Identifier: GPL-2.0
/*
 * arch/riscv.c - riscv64 counter, features, cache geometry, hypervisor
 * hint and TLB flush ceiling.
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

#include "../cachetlb.h"

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

u32 ctb_arch_hypervisor(char *hint, size_t len)
{
	return ctb_dt_hypervisor(hint, len, "riscv-virtio");
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

/* No landing pads (Zicfilp) in these kernels. */
u32 ctb_arch_check_entry(void *addr, char *detail, size_t len)
{
	return CACHETLB_SYM_OK;
}
