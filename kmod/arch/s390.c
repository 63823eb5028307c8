// SPDX-License-Identifier: GPL-2.0
/*
 * arch/s390.c - s390x facts and the raw TLB ops of arch/arch.h: IPTE (local
 * and broadcast), PTLB, IDTE of the kernel ASCE and the kernel's CSP-based
 * global purge.
 *
 * s390 has no cache maintenance instructions the kernel uses: its caches
 * are coherent with memory and I/O, the kernel's flush_dcache_page() and
 * friends are asm-generic's empty fallbacks, and there is no strongest
 * flush.  TLB entries are invalidated by the instruction that changes the
 * page table (IPTE, IDTE, CSP/CSPG with the purge bit), and the hardware
 * does so on every CPU of the configuration: no IPI is sent.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/string.h>

#include <asm/cpu.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/setup.h>
#include <asm/tlbflush.h>

#include "../cachetlb.h"

/* The architecture's line size (asm/cache.h), the same on every model. */
u32 ctb_arch_dcache_line(void)
{
	return L1_CACHE_BYTES;
}

u32 ctb_arch_icache_line(void)
{
	return L1_CACHE_BYTES;
}

/*
 * The kernel's reading of STSI 3.2.2 at boot: z/VM, KVM (QEMU's TCG
 * reports a KVM control program too) or an LPAR, itself under PR/SM.
 */
u32 ctb_arch_hypervisor(char *hint, size_t len)
{
	if (MACHINE_IS_KVM) {
		strscpy(hint, "KVM/QEMU (STSI 3.2.2)", len);
		return CACHETLB_HYP_PRESENT;
	}
	if (MACHINE_IS_VM) {
		strscpy(hint, "z/VM (STSI 3.2.2)", len);
		return CACHETLB_HYP_PRESENT;
	}
	if (MACHINE_IS_LPAR) {
		strscpy(hint, "LPAR (PR/SM)", len);
		return CACHETLB_HYP_PRESENT;
	}
	strscpy(hint, "unknown machine type", len);
	return CACHETLB_HYP_UNKNOWN;
}

void ctb_arch_cpu_model(char *buf, size_t len)
{
	struct cpuid id;

	get_cpu_id(&id);
	snprintf(buf, len, "IBM machine type %04x", id.machine);
}

u32 ctb_arch_tlb_ceiling(char *src, size_t len)
{
	strscpy(src, "none: one IDTE, any range", len);
	return 0;
}

/* --- raw ops ---------------------------------------------------------------- */

const char *ctb_arch_raw_reason(enum ctb_raw id)
{
	switch (id) {
	case CTB_RAW_IPTE_LOCAL:
		if (!MACHINE_HAS_TLB_LC)
			return "CPU lacks the local-TLB-clearing facility (51)";
		return NULL;
	case CTB_RAW_IDTE_KERNEL:
		if (!MACHINE_HAS_IDTE)
			return "CPU lacks IDTE (the kernel would use CSP)";
		return NULL;
	case CTB_RAW_IPTE:
	case CTB_RAW_PTLB:
	case CTB_RAW_CSP:
		return NULL;
	default:
		return "not an s390 op";
	}
}

int ctb_arch_cache_raw(enum ctb_raw id, unsigned long start,
		       unsigned long len, unsigned long stride)
{
	return -EOPNOTSUPP;
}

/*
 * The pte of kernel address @addr (4K mapped, as vmap() maps), or NULL.
 * pgd_offset_k() reads init_mm, which s390 does not export: the walk
 * starts from the kernel ASCE, the lowcore's copy of init_mm's.
 */
static pte_t *ctb_s390_kpte(unsigned long addr)
{
	pgd_t *top = __va(S390_lowcore.kernel_asce & _ASCE_ORIGIN);
	pgd_t *pgd = pgd_offset_raw(top, addr);
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;

	if (pgd_none(*pgd) || pgd_bad(*pgd))
		return NULL;
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(*p4d) || p4d_bad(*p4d))
		return NULL;
	pud = pud_offset(p4d, addr);
	if (pud_none(*pud) || pud_large(*pud) || pud_bad(*pud))
		return NULL;
	pmd = pmd_offset(pud, addr);
	if (pmd_none(*pmd) || pmd_large(*pmd) || pmd_bad(*pmd))
		return NULL;
	return pte_offset_kernel(pmd, addr);
}

/*
 * IPTE of @nr pages of this module's own vmap() range from @addr: as the
 * kernel's ptep_xchg_direct() does, the instruction marks the pte invalid
 * and purges its TLB entries (this CPU with @local, else every CPU); the
 * old pte is then written back.  Nothing else uses the range meanwhile.
 * The page table is walked once per 1 MiB segment (one pte table), not
 * per page.
 */
static int ctb_s390_ipte(unsigned long addr, unsigned int nr, bool local)
{
	pte_t *ptep = NULL;
	unsigned int i;
	pte_t old;

	for (i = 0; i < nr; i++, addr += PAGE_SIZE, ptep++) {
		if (!ptep || !(addr & ~PMD_MASK)) {
			ptep = ctb_s390_kpte(addr);
			if (!ptep)
				return -EFAULT;
		}
		old = READ_ONCE(*ptep);
		if (!pte_present(old))
			return -EFAULT;
		if (local)
			__ptep_ipte(addr, ptep, 0, 0, IPTE_LOCAL);
		else
			__ptep_ipte(addr, ptep, 0, 0, IPTE_GLOBAL);
		set_pte(ptep, old);
	}
	return 0;
}

/*
 * s390 has no non-destructive per-page local invalidation (IPTE changes
 * the pte, which the IPI stand-ins would race on across CPUs): the local
 * per-page building block purges this CPU's whole TLB.
 */
void ctb_arch_tlb_local_all(void)
{
	__tlb_flush_local();
}

void ctb_arch_tlb_local_pages(unsigned long addr, unsigned int nr)
{
	__tlb_flush_local();
}

int ctb_arch_tlb_raw(enum ctb_raw id, unsigned long addr, unsigned int nr,
		     unsigned long context, u64 *result)
{
	switch (id) {
	case CTB_RAW_IPTE_LOCAL:
		if (!MACHINE_HAS_TLB_LC)
			return -EOPNOTSUPP;
		return ctb_s390_ipte(addr, nr, true);
	case CTB_RAW_IPTE:
		return ctb_s390_ipte(addr, nr, false);
	case CTB_RAW_PTLB:
		__tlb_flush_local();
		return 0;
	case CTB_RAW_CSP:
		__tlb_flush_global();
		return 0;
	case CTB_RAW_IDTE_KERNEL:
		if (!MACHINE_HAS_IDTE)
			return -EOPNOTSUPP;
		__tlb_flush_idte(S390_lowcore.kernel_asce);
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/* --- strongest flush (the kernel's TLB flushes: arch/common.c) ------------ */

const char *ctb_arch_dcache_flush_reason(void)
{
	return "s390 caches are coherent: no data cache flush instruction";
}

void ctb_arch_dcache_flush(void *addr, unsigned long len)
{
}
