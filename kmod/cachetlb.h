/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cachetlb.h - internal interfaces of the cachetlb-bench module.
 *
 * An op is one entry in a family table.  The engine (engine.c) owns the
 * timing loop; an op only knows how to prepare its state, run one
 * iteration and tear down.  Family files (ops_*.c) export their tables,
 * ops.c concatenates them into the index space seen by LIST_OPS/RUN.
 */
#ifndef _CACHETLB_INTERNAL_H
#define _CACHETLB_INTERNAL_H

#include <linux/types.h>
#include <linux/version.h>

/*
 * Kernel series test for APIs that differ between 6.1 and 6.12, e.g.
 * #if CTB_KERNEL_GE(6, 8).  Spelled without LINUX_VERSION_CODE, which
 * checkpatch warns about.
 */
#define CTB_KERNEL_GE(major, minor)					\
	(LINUX_VERSION_MAJOR * 256 + LINUX_VERSION_PATCHLEVEL >=	\
	 (major) * 256 + (minor))

#include "../include/uapi/cachetlb.h"
#include "arch/arch.h"

#define CTB_MODULE_VERSION	"0.2.0"

/* Per-RUN state handed to every callback. */
struct ctb_ctx {
	const struct cachetlb_run *run;	/* validated kernel copy of RUN */
	const struct ctb_op *op;	/* the op being run */
	void *priv;			/* op-owned, set by prepare */
	u64 result;			/* copied to run->op_result */
	u32 errors;			/* copied to run->op_errors */
	u32 err_field;			/* enum cachetlb_err for -EINVAL/-E2BIG */
};

struct ctb_op {
	const char *name;
	u32 family;			/* enum cachetlb_family */
	const char *unit;		/* what count counts: "pages" ... */
	const char *params;		/* parameter meaning, one line */
	u32 uses;			/* CACHETLB_USES_* */
	u32 props;			/* CACHETLB_PROP_* */
	u32 count_min, count_max;	/* validated by the engine when USES_COUNT */
	u32 opflags;			/* CACHETLB_OPF_* bits this op accepts */
	const char *const *symbols;	/* NULL-terminated kernel symbols needed */
	u32 arch;			/* CTB_ARCH_*: only there (0: everywhere) */
	u32 raw;			/* enum ctb_raw the op times, or 0 */
	/*
	 * NULL when usable, else a reason string (static or from resolve.c).
	 * Optional; asked only on the op's arch and once its raw op is here.
	 */
	const char *(*supported)(void);
	/* Validate op-specific fields (set ctx->err_field) and allocate. May sleep. */
	int (*prepare)(struct ctb_ctx *ctx);
	/* Untimed, before every sample (line state, cold caches, first flush). */
	void (*pre_sample)(struct ctb_ctx *ctx);
	/* One timed iteration. Atomic context unless props has SLEEPS. */
	int (*run)(struct ctb_ctx *ctx);
	/* Untimed, after every sample (verification). */
	void (*post_sample)(struct ctb_ctx *ctx);
	/* Releases everything prepare took. Always called if prepare succeeded. */
	void (*teardown)(struct ctb_ctx *ctx);
};

/* Family tables (ops_*.c). */
extern const struct ctb_op ctb_ops_core[];
extern const unsigned int ctb_nr_ops_core;
extern const struct ctb_op ctb_ops_kmap[];
extern const unsigned int ctb_nr_ops_kmap;
extern const struct ctb_op ctb_ops_uaccess[];
extern const unsigned int ctb_nr_ops_uaccess;
extern const struct ctb_op ctb_ops_cache[];
extern const unsigned int ctb_nr_ops_cache;
extern const struct ctb_op ctb_ops_tlb[];
extern const unsigned int ctb_nr_ops_tlb;
/* ops_kpath.c: tlb ops reaching the kernel's flush through exported calls. */
extern const struct ctb_op ctb_ops_kpath[];
extern const unsigned int ctb_nr_ops_kpath;

/*
 * ops_kpath.c: prepare()/run() of an op this kernel cannot build (another
 * arch's kernel API).  Never called: ctb_op_reason() refuses it first.
 */
int ctb_op_unsupported(struct ctb_ctx *ctx);	/* -EOPNOTSUPP */

/* ops.c: the registry over all family tables, and its load-time check. */
unsigned int ctb_nr_ops(void);
const struct ctb_op *ctb_op_get(unsigned int index);
int ctb_ops_check(void);
/*
 * Why @op cannot run here (NULL: it can): "<arch> only" for an op of
 * another arch, the arch's reason for its raw op, then op->supported().
 */
const char *ctb_op_reason(const struct ctb_op *op);
/* @op->symbols, or none for an op of another arch. */
const char *const *ctb_op_symbols(const struct ctb_op *op);

/* op_func.c: OP_FUNC, the name of an op's run callback (ctbench verify). */
long ctb_ioctl_op_func(void __user *uarg);

/* main.c: current value of the time_limit_ms module parameter. */
u32 ctb_time_limit_ms(void);

/*
 * engine.c: one RUN of @op, at most @max_ms (the module's cap; RUN's own
 * time_limit_ms may only lower it).
 */
long ctb_engine_run(struct cachetlb_run *run, const struct ctb_op *op,
		    u32 max_ms);
/* op->props plus the bits derived from the table (ONE_CALL, NEEDS_SYMS). */
u32 ctb_op_props(const struct ctb_op *op);
/* The engine's control callback: an empty call (prep_empty's too). */
int ctb_empty_run(struct ctb_ctx *ctx);

/*
 * resolve.c: addresses of unexported kernel functions, supplied by root
 * through RESOLVE and verified with sprint_symbol() (and the ENDBR bytes on
 * IBT kernels).  ctb_sym() returns NULL unless the symbol verified.
 */
void *ctb_sym(const char *name);
/* Reason text when ctb_sym(name) is NULL ("symbol X not resolved ..."). */
const char *ctb_sym_reason(const char *name);
/* First unusable symbol's reason among a NULL-terminated list, or NULL. */
const char *ctb_syms_reason(const char *const *names);
long ctb_resolve(struct cachetlb_resolve *req);
int ctb_resolve_init(void);
void ctb_resolve_exit(void);

#endif /* _CACHETLB_INTERNAL_H */
