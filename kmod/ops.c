// SPDX-License-Identifier: GPL-2.0
/*
 * ops.c - the op registry: the family tables (ops_*.c) concatenated into
 * the one index space LIST_OPS and RUN use, and the load-time table check.
 * main.c (dispatch) and resolve.c (wanted symbols) look ops up here; the
 * engine gets its op and its time limit from the caller, so no file calls
 * back into the one that called it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "cachetlb.h"

static const struct {
	const struct ctb_op *ops;
	const unsigned int *nr;
} ctb_families[] = {
	{ ctb_ops_core, &ctb_nr_ops_core },
	{ ctb_ops_kmap, &ctb_nr_ops_kmap },
	{ ctb_ops_uaccess, &ctb_nr_ops_uaccess },
	{ ctb_ops_cache, &ctb_nr_ops_cache },
	{ ctb_ops_tlb, &ctb_nr_ops_tlb },
	{ ctb_ops_kpath, &ctb_nr_ops_kpath },
};

unsigned int ctb_nr_ops(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(ctb_families); i++)
		n += *ctb_families[i].nr;
	return n;
}

const struct ctb_op *ctb_op_get(unsigned int index)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ctb_families); i++) {
		if (index < *ctb_families[i].nr)
			return &ctb_families[i].ops[index];
		index -= *ctb_families[i].nr;
	}
	return NULL;
}

/*
 * Rejects a malformed op table at load time rather than at the first RUN:
 * every op needs a name that fits the ABI, a run() callback, a sane count
 * range when it uses count, opflags only when it declares them, and only
 * known CACHETLB_PROP_* bits, and a raw op only with the arch it is of.
 */
int __init ctb_ops_check(void)
{
	const struct ctb_op *op;
	unsigned int i, n = ctb_nr_ops();

	for (i = 0; i < n; i++) {
		op = ctb_op_get(i);
		if (!op->name || !op->name[0] ||
		    strlen(op->name) >= CACHETLB_NAME_LEN || !op->run ||
		    op->family >= CACHETLB_FAM_MAX ||
		    ((op->uses & CACHETLB_USES_COUNT) &&
		     (!op->count_min || op->count_min > op->count_max)) ||
		    (op->opflags & ~CACHETLB_OPF_ALL) ||
		    (op->opflags && !(op->uses & CACHETLB_USES_OPFLAGS)) ||
		    (op->props & ~CACHETLB_PROP_ALL) ||
		    op->raw >= CTB_RAW_MAX || (op->raw && !op->arch)) {
			pr_err("op %u (%s) is malformed\n", i,
			       op->name ? op->name : "(null)");
			return -EINVAL;
		}
	}
	return 0;
}

static const char *const ctb_no_symbols[] = { NULL };

const char *ctb_op_reason(const struct ctb_op *op)
{
	const char *why;

	if (op->arch && !(op->arch & CTB_ARCH_THIS)) {
		if (op->arch & CTB_ARCH_X86)
			return "x86 only";
		if (op->arch & CTB_ARCH_ARM64)
			return "arm64 only";
		if (op->arch & CTB_ARCH_S390)
			return "s390 only";
		if (op->arch & CTB_ARCH_MIPS)
			return "mips only";
		if (op->arch & CTB_ARCH_ARM)
			return "armhf only";
		if (op->arch & CTB_ARCH_PPC)
			return "ppc64 only";
		return "riscv only";
	}
	if (op->raw) {
		why = ctb_arch_raw_reason(op->raw);
		if (why)
			return why;
	}
	return op->supported ? op->supported() : NULL;
}

const char *const *ctb_op_symbols(const struct ctb_op *op)
{
	if (!op->symbols || (op->arch && !(op->arch & CTB_ARCH_THIS)))
		return ctb_no_symbols;
	return op->symbols;
}
