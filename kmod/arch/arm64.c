// SPDX-License-Identifier: GPL-2.0
/*
 * arch/arm64.c - arm64 counter, features, cache geometry, hypervisor hint
 * and TLB flush ceiling.
 */
#include <linux/kernel.h>
#include <linux/of.h>
#include <linux/string.h>

#include <asm/arch_timer.h>
#include <asm/barrier.h>
#include <asm/cache.h>
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

u32 ctb_arch_cbom_block(void)
{
	return 0;
}

/*
 * Only the device tree says anything here: QEMU's virt machine is
 * "linux,dummy-virt".  ACPI-booted systems and real boards give UNKNOWN,
 * since neither proves the absence of a hypervisor.
 */
u32 ctb_arch_hypervisor(char *hint, size_t len)
{
	return ctb_dt_hypervisor(hint, len, "linux,dummy-virt");
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

/* Debian builds arm64 with GCC: no BTI landing pads to check. */
u32 ctb_arch_check_entry(void *addr, char *detail, size_t len)
{
	return CACHETLB_SYM_OK;
}
