// SPDX-License-Identifier: GPL-2.0
/*
 * arch/x86.c - x86_64 counter, features, cache geometry, hypervisor hint,
 * TLB flush ceiling, the IBT entry check for resolved addresses, and the
 * raw ops of arch/arch.h: CLFLUSH/CLFLUSHOPT/CLWB, INVLPG, INVPCID, and
 * set_pages_uc()/set_pages_wb() with their direct-map checks.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/pfn.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <asm/cacheflush.h>
#include <asm/cpufeature.h>
#include <asm/hypervisor.h>
#include <asm/invpcid.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/set_memory.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>
#include <asm/tsc.h>

#include "../cachetlb.h"

#define CTB_X86_CEILING_DEFAULT	33

u64 ctb_arch_counter(void)
{
	return rdtsc_ordered();
}

u32 ctb_arch_counter_kind(void)
{
	return CACHETLB_CTR_TSC;
}

u64 ctb_arch_counter_hz(void)
{
	return (u64)tsc_khz * 1000;
}

u64 ctb_arch_features(void)
{
	u64 f = 0;

	if (cpu_feature_enabled(X86_FEATURE_SMAP))
		f |= CACHETLB_FEAT_SMAP;
	if (boot_cpu_has(X86_FEATURE_PCID))
		f |= CACHETLB_FEAT_PCID;
	if (boot_cpu_has(X86_FEATURE_INVPCID))
		f |= CACHETLB_FEAT_INVPCID;
	if (boot_cpu_has(X86_FEATURE_CLFLUSH))
		f |= CACHETLB_FEAT_CLFLUSH;
	if (boot_cpu_has(X86_FEATURE_CLFLUSHOPT))
		f |= CACHETLB_FEAT_CLFLUSHOPT;
	if (boot_cpu_has(X86_FEATURE_CLWB))
		f |= CACHETLB_FEAT_CLWB;
#ifdef X86_FEATURE_IBT
	if (cpu_feature_enabled(X86_FEATURE_IBT))
		f |= CACHETLB_FEAT_IBT;
#endif
	if (IS_ENABLED(CONFIG_X86_KERNEL_IBT))
		f |= CACHETLB_FEAT_KERNEL_IBT;
	if (boot_cpu_has(X86_FEATURE_PTI))
		f |= CACHETLB_FEAT_PTI;
	return f;
}

u32 ctb_arch_dcache_line(void)
{
	return boot_cpu_data.x86_clflush_size;
}

/* L1 instruction cache line size from CPUID, 0 when not reported. */
u32 ctb_arch_icache_line(void)
{
	unsigned int eax, ebx, ecx, edx, i;

	if (boot_cpu_data.x86_vendor == X86_VENDOR_INTEL &&
	    boot_cpu_data.cpuid_level >= 4) {
		/* Deterministic cache parameters; bounded subleaf walk. */
		for (i = 0; i < 16; i++) {
			cpuid_count(4, i, &eax, &ebx, &ecx, &edx);
			if (!(eax & 0x1f))
				break;
			if ((eax & 0x1f) == 2 && ((eax >> 5) & 0x7) == 1)
				return (ebx & 0xfff) + 1;
		}
		return 0;
	}
	if ((boot_cpu_data.x86_vendor == X86_VENDOR_AMD ||
	     boot_cpu_data.x86_vendor == X86_VENDOR_HYGON) &&
	    boot_cpu_data.extended_cpuid_level >= 0x80000005) {
		cpuid(0x80000005, &eax, &ebx, &ecx, &edx);
		return edx & 0xff;
	}
	return 0;
}

/* x86_hyper_type exists only in kernels built with CONFIG_HYPERVISOR_GUEST. */
static const char *ctb_hyper_name(void)
{
#ifndef CONFIG_HYPERVISOR_GUEST
	return "n/a (no CONFIG_HYPERVISOR_GUEST)";
#else
	switch (x86_hyper_type) {
	case X86_HYPER_NATIVE:
		return "none detected";
	case X86_HYPER_VMWARE:
		return "VMware";
	case X86_HYPER_MS_HYPERV:
		return "Hyper-V";
	case X86_HYPER_XEN_PV:
		return "Xen PV";
	case X86_HYPER_XEN_HVM:
		return "Xen HVM";
	case X86_HYPER_KVM:
		return "KVM";
	default:
		return "other";
	}
#endif
}

u32 ctb_arch_hypervisor(char *hint, size_t len)
{
	unsigned int eax, sig[3];
	char vendor[13];

	if (!boot_cpu_has(X86_FEATURE_HYPERVISOR)) {
		strscpy(hint, "CPUID.1:ECX hypervisor bit clear (a hypervisor may hide it)",
			len);
		return CACHETLB_HYP_NONE;
	}
	cpuid(0x40000000, &eax, &sig[0], &sig[1], &sig[2]);
	memcpy(vendor, sig, 12);
	vendor[12] = '\0';
	/* QEMU TCG says "TCGTCGTCGTCG", KVM "KVMKVMKVM". */
	snprintf(hint, len,
		 "CPUID hypervisor bit set; CPUID 0x40000000 vendor \"%s\"; kernel x86_hyper_type %s",
		 vendor, ctb_hyper_name());
	return CACHETLB_HYP_PRESENT;
}

void ctb_arch_cpu_model(char *buf, size_t len)
{
	if (boot_cpu_data.x86_model_id[0]) {
		strscpy(buf, skip_spaces(boot_cpu_data.x86_model_id), len);
		strim(buf);
	} else {
		snprintf(buf, len, "%s family %u model %u",
			 boot_cpu_data.x86_vendor_id, boot_cpu_data.x86,
			 boot_cpu_data.x86_model);
	}
}

u32 ctb_arch_tlb_ceiling(char *src, size_t len)
{
	unsigned long *p = ctb_sym("tlb_single_page_flush_ceiling");
	unsigned long v;

	if (p && !get_kernel_nofault(v, p) && v <= U32_MAX) {
		strscpy(src, "tlb_single_page_flush_ceiling", len);
		return v;
	}
	/* Userspace may read debugfs x86/tlb_single_page_flush_ceiling. */
	strscpy(src, "x86 default; debugfs may differ", len);
	return CTB_X86_CEILING_DEFAULT;
}

/*
 * With CONFIG_X86_KERNEL_IBT every indirect call target must start with a
 * live ENDBR64; the kernel seals unused ones at boot by overwriting them
 * with a 4-byte NOP.  is_endbr() accepts the poison on 6.12, so compare the
 * bytes here.
 */
u32 ctb_arch_check_entry(void *addr, char *detail, size_t len)
{
#ifdef CONFIG_X86_KERNEL_IBT
	u32 insn;

	if (get_kernel_nofault(insn, (u32 *)addr)) {
		snprintf(detail, len, "entry at 0x%lx is not readable",
			 (unsigned long)addr);
		return CACHETLB_SYM_NO_ENDBR;
	}
	if (insn == 0xfa1e0ff3)	/* f3 0f 1e fa: endbr64 */
		return CACHETLB_SYM_OK;
	if (insn == 0x001f0f66) {	/* 66 0f 1f 00: sealed */
		snprintf(detail, len,
			 "ENDBR sealed (66 0f 1f 00): IBT kernel forbids indirect calls to it");
		return CACHETLB_SYM_SEALED;
	}
	snprintf(detail, len, "no ENDBR64 at entry (bytes %*ph)", 4, &insn);
	return CACHETLB_SYM_NO_ENDBR;
#else
	return CACHETLB_SYM_OK;
#endif
}

/* --- raw ops ---------------------------------------------------------------- */

static __always_inline void ctb_invlpg(unsigned long addr)
{
	asm volatile("invlpg (%0)" : : "r" (addr) : "memory");
}

const char *ctb_arch_raw_reason(enum ctb_raw id)
{
	switch (id) {
	case CTB_RAW_CLFLUSH:
		return boot_cpu_has(X86_FEATURE_CLFLUSH) ? NULL :
			"CPU lacks CLFLUSH (cpuid 1 edx bit 19)";
	case CTB_RAW_CLFLUSHOPT:
		return boot_cpu_has(X86_FEATURE_CLFLUSHOPT) ? NULL :
			"CPU lacks CLFLUSHOPT (cpuid 7 ebx bit 23)";
	case CTB_RAW_CLWB:
		return boot_cpu_has(X86_FEATURE_CLWB) ? NULL :
			"CPU lacks CLWB (cpuid 7 ebx bit 24)";
	case CTB_RAW_INVPCID_SINGLE:
	case CTB_RAW_INVPCID_ALL:
		return boot_cpu_has(X86_FEATURE_INVPCID) ? NULL :
			"CPU lacks INVPCID (or booted with noinvpcid)";
	case CTB_RAW_CLFLUSH_RANGE:
	case CTB_RAW_INVLPG:
	case CTB_RAW_FLUSH_TLB_LOCAL:
		return NULL;
	default:
		return "not an x86 op";
	}
}

/* One instruction per line (CTB_ARCH_LINES), then one SFENCE. */
int ctb_arch_cache_raw(enum ctb_raw id, unsigned long start,
		       unsigned long len, unsigned long stride)
{
	unsigned long end = start + len;

	switch (id) {
	case CTB_RAW_CLFLUSH:
		CTB_ARCH_LINES("clflush (%0)", start, end, stride);
		break;
	case CTB_RAW_CLFLUSHOPT:
		CTB_ARCH_LINES("clflushopt (%0)", start, end, stride);
		break;
	case CTB_RAW_CLWB:
		CTB_ARCH_LINES("clwb (%0)", start, end, stride);
		break;
	case CTB_RAW_CLFLUSH_RANGE:
		clflush_cache_range((void *)start, len);
		return 0;
	default:
		return -EOPNOTSUPP;
	}
	asm volatile("sfence" : : : "memory");
	return 0;
}

void ctb_arch_tlb_local_all(void)
{
	__flush_tlb_all();
}

void ctb_arch_tlb_local_pages(unsigned long addr, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		ctb_invlpg(addr + i * PAGE_SIZE);
}

/* CR3[11:0] is a PCID only with CR4.PCIDE; else PCID 0. */
unsigned long ctb_arch_tlb_context(void)
{
	return (__read_cr4() & X86_CR4_PCIDE) ?
	       (__read_cr3() & CR3_PCID_MASK) : 0;
}

int ctb_arch_tlb_raw(enum ctb_raw id, unsigned long addr, unsigned int nr,
		     unsigned long context, u64 *result)
{
	switch (id) {
	case CTB_RAW_INVLPG:
		ctb_arch_tlb_local_pages(addr, nr);
		return 0;
	case CTB_RAW_FLUSH_TLB_LOCAL:
		__flush_tlb_all();
		return 0;
	case CTB_RAW_INVPCID_SINGLE:
		invpcid_flush_single_context(context);
		return 0;
	case CTB_RAW_INVPCID_ALL:
		invpcid_flush_all();
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/* --- strongest flush (the kernel's TLB flushes: arch/common.c) ------------ */

const char *ctb_arch_dcache_flush_reason(void)
{
	return boot_cpu_has(X86_FEATURE_CLFLUSH) ? NULL :
		"CPU lacks CLFLUSH";
}

void ctb_arch_dcache_flush(void *addr, unsigned long len)
{
	/* mfence; clflushopt (or clflush) per line; mfence */
	if (boot_cpu_has(X86_FEATURE_CLFLUSH))
		clflush_cache_range(addr, len);
}

/* --- cache attribute of kernel pages in the direct map ------------------- */

int ctb_arch_pages_set_uc(struct page *block, unsigned int nr)
{
	return set_pages_uc(block, nr);
}

int ctb_arch_pages_set_wb(struct page *block, unsigned int nr)
{
	return set_pages_wb(block, nr);
}

/*
 * Pages of the block whose direct-map entry cache bits are not as wanted.
 * UC- is PCD in Linux's PAT layout, WB has neither PCD nor PWT; both bits
 * sit at the same place in 4K and large entries (the PAT bit does not).
 * A block that covers whole 2M pages stays mapped by them.
 */
u32 ctb_arch_pages_cache_mismatch(struct page *block, unsigned int nr,
				  bool want_uc)
{
	unsigned int i, level;
	u32 bad = 0;
	pte_t *pte;
	bool uc;

	for (i = 0; i < nr; i++) {
		pte = lookup_address((unsigned long)page_address(block + i),
				     &level);
		if (!pte) {
			bad++;
			continue;
		}
		uc = pte_flags(*pte) & (_PAGE_PCD | _PAGE_PWT);
		if (uc != want_uc)
			bad++;
	}
	return bad;
}

/*
 * True if a page of the block is also mapped by the kernel image's high
 * mapping (freed init memory and the 2M rounding around _text.._brk_end
 * are handed to the page allocator).  CPA then changes that alias too and
 * sets force_flush_all: a full flush at every N, no ceiling.  The high
 * mapping is cleared outside the image at boot, so a non-zero entry at
 * the alias address means the kernel would touch it.
 */
bool ctb_arch_pages_image_alias(struct page *block, unsigned int nr)
{
	unsigned long phys, va;
	unsigned int i, level;
	pte_t *pte;

	for (i = 0; i < nr; i++) {
		phys = PFN_PHYS(page_to_pfn(block + i));
		if (phys < phys_base || phys - phys_base >= KERNEL_IMAGE_SIZE)
			continue;
		va = __START_KERNEL_map + (phys - phys_base);
		pte = lookup_address(va, &level);
		if (pte && pte_val(*pte))
			return true;
	}
	return false;
}
