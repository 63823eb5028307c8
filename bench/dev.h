/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctbench device access: /dev/cachetlb ioctl wrappers and the kallsyms
 * based symbol resolution.
 *
 * Every wrapper fills hdr.size and hdr.abi_version and, on failure, writes
 * a message into err naming the ioctl and, for EINVAL/E2BIG, the field the
 * module rejected (hdr.error) with the value that was passed.
 */
#ifndef CTB_DEV_H
#define CTB_DEV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "uapi/cachetlb.h"

#define CTB_ERRLEN 512

struct ctb_dev {
	int fd;
	struct cachetlb_info info;
	struct cachetlb_op_desc *ops;	/* info.nr_ops entries */
	unsigned int nops;
};

/* Name of enum cachetlb_err (e.g. "count"), "?" when out of range. */
const char *ctb_err_field_name(uint32_t err);
/* Family name ("core", "uaccess", "cache", "tlb") or NULL. */
const char *ctb_family_name(uint32_t fam);
/* -1 when unknown. */
int ctb_family_from_name(const char *name);
/* "any", "clean", "dirty", "uncached" or "?". */
const char *ctb_state_name(uint32_t state);
/* "+"-joined opflag names or "-" into buf. */
void ctb_opflags_str(uint32_t opflags, char *buf, size_t len);
/* Name of one CACHETLB_PROP_* bit ("one_call" ...), NULL if unknown. */
const char *ctb_prop_name(uint32_t bit);
/* ","-joined property names ("-" for none, "bitN" for unknown bits). */
void ctb_props_str(uint32_t props, char *buf, size_t len);
/*
 * 1 when the op (a LIST_OPS descriptor) has every CACHETLB_PROP_* bit of
 * prop, e.g. ctb_op_has(d, CACHETLB_PROP_COMPILED_EMPTY); 0 otherwise
 * (also for prop 0).  Modules before 0.2.0 report only bits 0..2.
 */
int ctb_op_has(const struct cachetlb_op_desc *op, uint32_t prop);
/* Hypervisor / counter enum names. */
const char *ctb_hyp_name(uint32_t hyp);
const char *ctb_counter_name(uint32_t counter);
/* Writes a JSON array of feature names (CACHETLB_FEAT_*) into buf. */
void ctb_features_json(uint64_t features, char *buf, size_t len);
/* Same, space separated. */
void ctb_features_str(uint64_t features, char *buf, size_t len);

/*
 * Open the device (path NULL = CACHETLB_DEVICE), GET_INFO and LIST_OPS.
 * Returns 0 or a negative errno with err filled.
 */
int ctb_dev_open(struct ctb_dev *d, const char *path, char *err, size_t len);
void ctb_dev_close(struct ctb_dev *d);
/* Re-read the op table (supported/reason change after RESOLVE). */
int ctb_dev_list_ops(struct ctb_dev *d, char *err, size_t len);

int ctb_dev_get_info(int fd, struct cachetlb_info *info, char *err,
		     size_t len);
int ctb_dev_op_desc(int fd, uint32_t index, struct cachetlb_op_desc *desc,
		    char *err, size_t len);
int ctb_dev_resolve(int fd, const char *name, uint64_t addr,
		    struct cachetlb_resolve *out, char *err, size_t len);
/*
 * RUN; hdr is filled here. On -EINTR the struct is valid (samples_done).
 * count_min/count_max (from the op's descriptor) are only used to word the
 * message for CACHETLB_ERR_COUNT.
 */
int ctb_dev_run(int fd, struct cachetlb_run *run,
		const struct cachetlb_op_desc *desc, char *err, size_t len);

/* Describe a failed ioctl: "RUN: count=5000 rejected (...)". */
void ctb_dev_describe_error(const char *ioctl_name, int errnum,
			    uint32_t field, const struct cachetlb_run *run,
			    const struct cachetlb_op_desc *desc,
			    char *err, size_t len);

/* Index of op by name or -1. */
int ctb_dev_find_op(const struct ctb_dev *d, const char *name);

/*
 * Find the first text symbol (type t/T/w/W) named exactly name in a
 * /proc/kallsyms formatted stream, skipping module symbols ("[mod]").
 * Returns 0 and *addr, -ENOENT when absent, -EPERM when the addresses are
 * all zero (kptr_restrict, not root).
 */
int ctb_kallsyms_lookup(FILE *f, const char *name, uint64_t *addr);

/*
 * For every symbol named in the LIST_OPS symbols field of an op that is
 * not supported yet (all ops with CTB_RESOLVE_ALL), look it up in
 * /proc/kallsyms (kallsyms_path NULL = the real one) and RESOLVE it.
 * Prints one line per rejected/missing symbol to report (may be NULL;
 * CTB_RESOLVE_VERBOSE also prints accepted ones). Re-reads the op table
 * afterwards. Returns the number of symbols that were not accepted (0 =
 * all fine) or a negative errno for a hard error.
 */
#define CTB_RESOLVE_VERBOSE	1
#define CTB_RESOLVE_ALL		2
int ctb_dev_resolve_all(struct ctb_dev *d, const char *kallsyms_path,
			FILE *report, int flags);

#endif /* CTB_DEV_H */
