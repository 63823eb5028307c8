/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * cachetlb.h - ioctl ABI of the cachetlb-bench helper module.
 *
 * This header is shared verbatim by the kernel module (kmod/) and the
 * userspace driver (bench/).  Only fixed-width types, explicit padding.
 *
 * Versioning: every argument struct starts with struct cachetlb_hdr.  The
 * caller sets hdr.size = sizeof(the struct it was built with) and
 * hdr.abi_version = CACHETLB_ABI_VERSION.  The module dispatches on the ioctl
 * type and number only (not on the size encoded in the command), so a caller
 * built against another ABI gets EINVAL with hdr.error = CACHETLB_ERR_SIZE or
 * CACHETLB_ERR_VERSION instead of ENOTTY.  GET_INFO is the exception: it
 * accepts any size >= sizeof(struct cachetlb_hdr), writes min(size,
 * sizeof(struct cachetlb_info)) bytes and reports the module's ABI version,
 * so any binary can tell which ABI the loaded module speaks.
 *
 * Errno contract (all ioctls):
 *   EPERM       caller lacks CAP_SYS_ADMIN
 *   ENOTTY      unknown ioctl type or number
 *   EFAULT      a user pointer (the argument, a sample buffer, a ring) is bad
 *   EINVAL      a bad parameter; hdr.error names it (enum cachetlb_err)
 *   E2BIG       a count above its limit (samples, iterations, pages ...);
 *               hdr.error names it
 *   EOPNOTSUPP  the op is not supported here; LIST_OPS gives the reason.
 *               RUN with CACHETLB_RUN_PMU_CYCLES also: no PMU cycle
 *               counter (hdr.error = CACHETLB_ERR_PMU, see RUN.flags)
 *   EINTR       RUN interrupted by a signal; the struct is still copied
 *               back, samples_done says how many samples are valid
 *   ENOMEM      the op could not allocate its buffers
 *   EBUSY       never returned by this ABI version
 */
#ifndef _UAPI_CACHETLB_H
#define _UAPI_CACHETLB_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define CACHETLB_ABI_VERSION	1
#define CACHETLB_DEVICE		"/dev/cachetlb"
#define CACHETLB_IOC_MAGIC	0xC7

/* String field sizes (always NUL terminated by the module). */
#define CACHETLB_NAME_LEN	32
#define CACHETLB_SYM_LEN	64
#define CACHETLB_TEXT_LEN	128

/* Limits checked by RUN (E2BIG above them, EINVAL for zero). */
#define CACHETLB_MAX_SAMPLES	65536
#define CACHETLB_MAX_WARMUP	1024
#define CACHETLB_MAX_ITERATIONS	(1U << 20)
#define CACHETLB_MAX_COUNT	(1U << 20)	/* spin chain length */
#define CACHETLB_MAX_PAGES	4096		/* page-sized counts */
#define CACHETLB_MAX_CPUS	1024		/* bits in target mask */
#define CACHETLB_MASK_WORDS	(CACHETLB_MAX_CPUS / 64)
#define CACHETLB_CPU_ANY	0xffffffffU	/* run where the caller is */

struct cachetlb_hdr {
	__u32 size;		/* in: sizeof the caller's struct */
	__u32 abi_version;	/* in: CACHETLB_ABI_VERSION */
	__u32 error;		/* out: enum cachetlb_err when EINVAL/E2BIG */
	__u32 reserved;		/* must be 0 */
};

enum cachetlb_err {
	CACHETLB_ERR_NONE = 0,
	CACHETLB_ERR_SIZE,		/* hdr.size does not match */
	CACHETLB_ERR_VERSION,		/* hdr.abi_version does not match */
	CACHETLB_ERR_RESERVED,		/* a reserved/padding field is not 0 */
	CACHETLB_ERR_INDEX,		/* LIST_OPS index >= nr_ops */
	CACHETLB_ERR_OP,		/* RUN op index >= nr_ops */
	CACHETLB_ERR_CPU,		/* cpu offline or >= nr_cpu_ids */
	CACHETLB_ERR_TARGETS,		/* a target CPU offline / out of range */
	CACHETLB_ERR_ITERATIONS,	/* 0 or > CACHETLB_MAX_ITERATIONS */
	CACHETLB_ERR_SAMPLES,		/* 0 or > CACHETLB_MAX_SAMPLES */
	CACHETLB_ERR_WARMUP,		/* > CACHETLB_MAX_WARMUP */
	CACHETLB_ERR_COUNT,		/* count out of the op's range */
	CACHETLB_ERR_AUX,		/* aux out of the op's range */
	CACHETLB_ERR_STATE,		/* unknown or unsupported line state */
	CACHETLB_ERR_STRIDE,		/* stride out of range */
	CACHETLB_ERR_OPFLAGS,		/* unknown or unsupported op flag */
	CACHETLB_ERR_FLAGS,		/* unknown RUN flag */
	CACHETLB_ERR_BUFFER,		/* user_addr/user_len bad for the op */
	CACHETLB_ERR_SAMPLE_BUF,	/* sample buffer pointer missing */
	CACHETLB_ERR_NAME,		/* RESOLVE: name not wanted by any op */
	CACHETLB_ERR_ADDR,		/* RESOLVE: address does not verify */
	CACHETLB_ERR_TIME_LIMIT,	/* time_limit_ms above the module cap */
	/* RUN_PMU_CYCLES: no cycle counter; op_result = errno (RUN.flags) */
	CACHETLB_ERR_PMU,
	CACHETLB_ERR_MAX
};

/* --- GET_INFO ---------------------------------------------------------- */

enum cachetlb_hyp {
	CACHETLB_HYP_UNKNOWN = 0,	/* no reliable hint either way */
	CACHETLB_HYP_NONE = 1,		/* positive evidence of bare metal */
	CACHETLB_HYP_PRESENT = 2,	/* running under a hypervisor/emulator */
};

enum cachetlb_counter {
	CACHETLB_CTR_NONE = 0,		/* cycles[] in samples is 0 */
	CACHETLB_CTR_TSC = 1,		/* x86 TSC: constant rate, not core cycles */
	CACHETLB_CTR_CNTVCT = 2,	/* arm64 generic timer virtual count */
	CACHETLB_CTR_RDTIME = 3,	/* riscv time CSR (timebase) */
	/* RUN.counter only, with CACHETLB_RUN_PMU_CYCLES: core cycles */
	CACHETLB_CTR_PMU_CYCLES = 4,
	CACHETLB_CTR_TIMEBASE = 5,	/* powerpc time base (mftb) */
};

/* Feature bits in cachetlb_info.features (state as the kernel uses it). */
#define CACHETLB_FEAT_SMAP		(1ULL << 0)  /* x86: STAC/CLAC in uaccess */
#define CACHETLB_FEAT_PAN		(1ULL << 1)  /* arm64: hw PAN in use */
#define CACHETLB_FEAT_SUM_TOGGLE	(1ULL << 2)  /* riscv: SUM set per access */
#define CACHETLB_FEAT_PCID		(1ULL << 3)
#define CACHETLB_FEAT_INVPCID		(1ULL << 4)
#define CACHETLB_FEAT_CLFLUSH		(1ULL << 5)
#define CACHETLB_FEAT_CLFLUSHOPT	(1ULL << 6)
#define CACHETLB_FEAT_CLWB		(1ULL << 7)
#define CACHETLB_FEAT_TLB_RANGE		(1ULL << 8)  /* arm64 FEAT_TLBIRANGE */
#define CACHETLB_FEAT_ZICBOM		(1ULL << 9)
#define CACHETLB_FEAT_SVINVAL		(1ULL << 10)
#define CACHETLB_FEAT_IBT		(1ULL << 11) /* x86 IBT enforced */
#define CACHETLB_FEAT_KERNEL_IBT	(1ULL << 12) /* CONFIG_X86_KERNEL_IBT */
#define CACHETLB_FEAT_PTI		(1ULL << 13) /* x86 page table isolation */
#define CACHETLB_FEAT_DCPOP		(1ULL << 14) /* arm64 DC CVAP */
#define CACHETLB_FEAT_IDC		(1ULL << 15) /* arm64 CTR_EL0.IDC */
#define CACHETLB_FEAT_DIC		(1ULL << 16) /* arm64 CTR_EL0.DIC */
#define CACHETLB_FEAT_DC_ALIASES	(1ULL << 17) /* mips cpu_has_dc_aliases */

struct cachetlb_info {
	struct cachetlb_hdr hdr;	/* out: hdr.abi_version = module's */
	char module_version[CACHETLB_NAME_LEN];
	char release[CACHETLB_SYM_LEN + 16];	/* utsname()->release */
	char machine[CACHETLB_NAME_LEN];	/* utsname()->machine */
	char timer_source[CACHETLB_NAME_LEN];	/* "ktime_get_ns+tsc" ... */
	char hypervisor_hint[CACHETLB_TEXT_LEN]; /* why hypervisor is what it is */
	char cpu_model[CACHETLB_TEXT_LEN];	/* best effort, may be "" */
	__u32 page_size;
	__u32 cache_line_size;		/* L1 D line, bytes (0 if unknown) */
	__u32 icache_line_size;		/* bytes (0 if unknown) */
	__u32 cbom_block_size;		/* riscv Zicbom block, else 0 */
	__u32 online_cpus;
	__u32 possible_cpus;
	__u32 nr_cpu_ids;
	__u32 hypervisor;		/* enum cachetlb_hyp */
	__u32 counter;			/* enum cachetlb_counter */
	__u32 nr_ops;
	__u64 counter_hz;		/* rate of the sample cycles[] counter */
	__u64 clock_resolution_ns;	/* measured min step of ktime_get_ns */
	__u64 counter_resolution;	/* measured min step of the counter */
	__u64 features;			/* CACHETLB_FEAT_* */
	__u32 time_limit_ms;		/* module cap per RUN */
	__u32 max_samples;
	__u32 max_iterations;
	__u32 max_pages;
	/* Kernel's range->full TLB flush threshold, pages; 0 = unknown. */
	__u32 tlb_flush_ceiling;
	__u32 reserved0;
	char ceiling_source[CACHETLB_NAME_LEN];	/* "MAX_DVM_OPS" ... */
};

/* --- LIST_OPS ---------------------------------------------------------- */

enum cachetlb_family {
	CACHETLB_FAM_CORE = 0,		/* nop, spin */
	CACHETLB_FAM_UACCESS = 1,
	CACHETLB_FAM_CACHE = 2,
	CACHETLB_FAM_TLB = 3,
	CACHETLB_FAM_MAX
};

/* Which RUN fields an op reads (cachetlb_op_desc.uses). */
#define CACHETLB_USES_COUNT	(1U << 0)
#define CACHETLB_USES_AUX	(1U << 1)
#define CACHETLB_USES_STATE	(1U << 2)
#define CACHETLB_USES_STRIDE	(1U << 3)
#define CACHETLB_USES_USER_BUF	(1U << 4)
#define CACHETLB_USES_TARGETS	(1U << 5)
#define CACHETLB_USES_OPFLAGS	(1U << 6)
/*
 * Properties of the op (cachetlb_op_desc.props): facts about the op in this
 * module build, so userspace never infers them from names or params text.
 *
 * ABI: bits 3..8 were added within ABI version 1 (an additive change: the
 * field and its size are unchanged, a module without them reports them 0,
 * and old userspace ignores bits it does not know).  A driver that needs
 * them can tell a module that predates them from GET_INFO.module_version
 * (>= 0.2.0).  Bits not listed here are 0.
 *
 * SLEEPS        runs preemptible; RUN rejects CACHETLB_RUN_IRQS_OFF.
 * NOOP_API      calls a kernel API that is empty on some arches or CPUs;
 *               whether it is here is COMPILED_EMPTY (build) or, for a
 *               runtime choice (riscv pmem without Zicbom), measured.
 * IPI           involves other CPUs.
 * ONE_CALL      the op prepares state before every call (it has a
 *               pre_sample: line state, a first flush, cold lines, TLB
 *               entries) that one call consumes.  The engine then runs
 *               every timed call on its own, right after its own
 *               preparation; a sample of `iterations` calls holds the sum
 *               of those single-call times, and the control sample does
 *               the same preparation before each empty call.  The cost
 *               per call therefore does not depend on `iterations`.
 * COMPILED_EMPTY the kernel API the op times is an empty static inline in
 *               this kernel build (asm-generic's fallbacks, chosen by
 *               ARCH_IMPLEMENTS_FLUSH_DCACHE_PAGE,
 *               ARCH_IMPLEMENTS_FLUSH_KERNEL_VMAP_RANGE or an undefined
 *               flush_cache_* / flush_icache_range macro).  A fact from
 *               the headers the module was compiled against, not a timing
 *               verdict: what remains measurable is only the op's loop.
 * NEEDS_SYMS    lists unexported kernel symbols (symbols field) to RESOLVE
 *               before it (or one of its opflags) can run.
 * KERNEL_PATH   times the kernel's own function or inline (flush_tlb_all,
 *               flush_dcache_page, copy_from_user ...); without it the op
 *               is this module's imitation of a kernel path (raw per-line
 *               loops, local TLB instructions, IPI stand-ins).
 * UNIT_IS_CALL  without CACHETLB_USES_COUNT: one call is one unit (one
 *               request, setup, flush), so net per call is the per-unit
 *               cost.  With USES_COUNT the unit is count (net / count).
 * RING_REQUESTS each call serves one request of the user ring (USES_USER_BUF);
 *               op_result is the last used index.
 */
#define CACHETLB_PROP_SLEEPS		(1U << 0)
#define CACHETLB_PROP_NOOP_API		(1U << 1)
#define CACHETLB_PROP_IPI		(1U << 2)
#define CACHETLB_PROP_ONE_CALL		(1U << 3)
#define CACHETLB_PROP_COMPILED_EMPTY	(1U << 4)
#define CACHETLB_PROP_NEEDS_SYMS	(1U << 5)
#define CACHETLB_PROP_KERNEL_PATH	(1U << 6)
#define CACHETLB_PROP_UNIT_IS_CALL	(1U << 7)
#define CACHETLB_PROP_RING_REQUESTS	(1U << 8)
#define CACHETLB_PROP_ALL		((1U << 9) - 1)

struct cachetlb_op_desc {
	struct cachetlb_hdr hdr;
	__u32 index;			/* in */
	__u32 family;			/* out: enum cachetlb_family */
	__u32 supported;		/* out: 1 or 0 */
	__u32 nr_ops;			/* out */
	__u32 uses;			/* out: CACHETLB_USES_* */
	__u32 props;			/* out: CACHETLB_PROP_* */
	__u32 count_min;		/* out: valid count range */
	__u32 count_max;
	char name[CACHETLB_NAME_LEN];	/* out */
	char unit[CACHETLB_NAME_LEN];	/* out: what count counts ("pages") */
	char params[CACHETLB_TEXT_LEN];	/* out: parameter meaning */
	char reason[CACHETLB_TEXT_LEN];	/* out: why unsupported, else "" */
	/* out: kernel symbols it needs, comma separated, for RESOLVE */
	char symbols[CACHETLB_TEXT_LEN];
};

/* --- RESOLVE ----------------------------------------------------------- */

/*
 * Userspace (root) reads /proc/kallsyms and passes one name/address pair.
 * The module accepts it only if sprint_symbol() maps the address back to
 * exactly "name+0x0/..." and, on x86 kernels built with IBT, the target
 * begins with a live endbr64.  Otherwise EINVAL, hdr.error =
 * CACHETLB_ERR_ADDR and detail says what the address really is.
 */
enum cachetlb_sym_state {
	CACHETLB_SYM_UNRESOLVED = 0,
	CACHETLB_SYM_OK = 1,
	CACHETLB_SYM_MISMATCH = 2,	/* address is another symbol/offset */
	CACHETLB_SYM_SEALED = 3,	/* x86 IBT: ENDBR sealed (66 0f 1f 00) */
	CACHETLB_SYM_NO_ENDBR = 4,	/* x86 IBT: no ENDBR at entry */
};

struct cachetlb_resolve {
	struct cachetlb_hdr hdr;
	__u64 addr;			/* in */
	char name[CACHETLB_SYM_LEN];	/* in */
	__u32 state;			/* out: enum cachetlb_sym_state */
	__u32 reserved0;
	char detail[CACHETLB_TEXT_LEN];	/* out: sprint_symbol() text etc. */
};

/* --- RUN --------------------------------------------------------------- */

/* Line state before each timed sample (cache, uaccess cold). */
enum cachetlb_state {
	CACHETLB_STATE_ANY = 0,		/* whatever the previous sample left */
	CACHETLB_STATE_CLEAN = 1,	/* lines read just before */
	CACHETLB_STATE_DIRTY = 2,	/* lines written just before */
	CACHETLB_STATE_UNCACHED = 3,	/* lines flushed just before */
	CACHETLB_STATE_MAX
};

/*
 * RUN.flags
 *
 * PMU_CYCLES (added within ABI version 1: a new bit, a new counter kind and
 * a new error code; a module without it rejects the bit with EINVAL,
 * CACHETLB_ERR_FLAGS): the samples' cycles[] are core cycles counted by a
 * pinned CPU-wide perf counter of PERF_COUNT_HW_CPU_CYCLES on the run CPU,
 * read around each timed region (op and control alike) instead of the
 * timer counter; RUN.counter = CACHETLB_CTR_PMU_CYCLES, counter_hz = 0
 * (the rate is not known to the module).  When the kernel cannot create
 * that counter (no PMU driver, the PMU cannot count cycles, the counter is
 * taken) or it did not count for the whole RUN, RUN fails with EOPNOTSUPP,
 * hdr.error = CACHETLB_ERR_PMU and op_result = the positive errno of the
 * cause: perf_event_create_kernel_counter()'s (ENOENT: no PMU driver
 * offers the event; EOPNOTSUPP/EINVAL: the PMU cannot count it), or EBUSY
 * when the counter was not running for the whole RUN.
 */
#define CACHETLB_RUN_IRQS_OFF	(1U << 0)  /* IRQs off per sample */
#define CACHETLB_RUN_NO_BASELINE (1U << 1) /* skip the empty-op baseline */
#define CACHETLB_RUN_PMU_CYCLES	(1U << 2)  /* cycles[] = PMU core cycles */
#define CACHETLB_RUN_FLAGS_ALL	(CACHETLB_RUN_IRQS_OFF | \
				 CACHETLB_RUN_NO_BASELINE | \
				 CACHETLB_RUN_PMU_CYCLES)

/* RUN.opflags: op-specific modifiers; an op rejects bits it does not use. */
/*
 * VMAP:   cache: the buffer is a vmap() alias of separately allocated pages.
 * DOUBLE: cache: flush once untimed, time the redundant second flush.
 * COLD:   uaccess: evict the ring's lines before each sample.
 * VERIFY: check the data after each sample; mismatches in op_errors.
 */
#define CACHETLB_OPF_VMAP	(1U << 0)
#define CACHETLB_OPF_DOUBLE	(1U << 1)
#define CACHETLB_OPF_COLD	(1U << 2)
#define CACHETLB_OPF_VERIFY	(1U << 3)
#define CACHETLB_OPF_ALL	(CACHETLB_OPF_VMAP | CACHETLB_OPF_DOUBLE | \
				 CACHETLB_OPF_COLD | CACHETLB_OPF_VERIFY)

/* RUN.out_flags */
#define CACHETLB_OUT_TRUNCATED	(1U << 0)  /* time limit hit */
#define CACHETLB_OUT_PREEMPTIBLE (1U << 1) /* op slept: preemption stayed on */
#define CACHETLB_OUT_IRQS_OFF	(1U << 2)
/* A sample was retried after the task left the requested CPU. */
#define CACHETLB_OUT_MIGRATED	(1U << 3)

/* One sample: the time of `iterations` back-to-back op iterations. */
struct cachetlb_sample {
	__u64 ns;			/* ktime_get_ns() delta */
	__u64 cycles;			/* counter delta (see counter/counter_hz) */
};

struct cachetlb_run {
	struct cachetlb_hdr hdr;
	/* in */
	__u32 op;			/* index from LIST_OPS */
	__u32 cpu;			/* CPU to run on or CACHETLB_CPU_ANY */
	__u32 iterations;		/* per sample, 1..MAX_ITERATIONS */
	__u32 samples;			/* recorded, 1..MAX_SAMPLES */
	__u32 warmup;			/* discarded first, 0..MAX_WARMUP */
	__u32 flags;			/* CACHETLB_RUN_* */
	__u32 count;			/* N: pages, lines or chain length */
	__u32 aux;			/* M: op-specific second size */
	__u32 state;			/* enum cachetlb_state */
	__u32 stride;			/* bytes, 0 = op default */
	__u32 opflags;			/* CACHETLB_OPF_* */
	__u32 time_limit_ms;		/* 0 = module default cap */
	__u64 user_addr;		/* user buffer (uaccess ring) */
	__u64 user_len;
	__u64 samples_ptr;		/* struct cachetlb_sample[samples] */
	/* struct cachetlb_sample[samples], or 0 with CACHETLB_RUN_NO_BASELINE */
	__u64 baseline_ptr;
	__u64 targets[CACHETLB_MASK_WORDS]; /* CPU bitmap for remote ops */
	/* out */
	__u32 samples_done;
	__u32 baseline_done;
	__u32 cpu_used;
	__u32 out_flags;		/* CACHETLB_OUT_* */
	__u32 counter;			/* enum cachetlb_counter */
	__u32 op_errors;		/* VERIFY mismatches (must be 0) */
	__u64 counter_hz;
	__u64 elapsed_ns;		/* wall time of the whole RUN */
	/* op-specific value (documented in params), e.g. a checksum */
	__u64 op_result;
};

/* --- OP_FUNC ------------------------------------------------------------ */

/*
 * The module function RUN calls once per timed iteration of op `index`
 * (its run callback), as "%ps" prints it: "tlb_all_run [cachetlb]".
 * `ctbench verify` times that function with the kernel's function_graph
 * tracer (docs/verify.md).  Added within ABI version 1 (a new ioctl
 * number: older modules answer ENOTTY, the other ioctls are unchanged).
 * EINVAL with hdr.error = CACHETLB_ERR_INDEX for index >= nr_ops,
 * CACHETLB_ERR_RESERVED when reserved0 is not 0.
 */
struct cachetlb_op_func {
	struct cachetlb_hdr hdr;
	__u32 index;			/* in */
	__u32 reserved0;		/* must be 0 */
	char run_fn[CACHETLB_SYM_LEN];	/* out */
};

#define CACHETLB_IOC_GET_INFO	_IOWR(CACHETLB_IOC_MAGIC, 0x00, struct cachetlb_info)
#define CACHETLB_IOC_LIST_OPS	_IOWR(CACHETLB_IOC_MAGIC, 0x01, struct cachetlb_op_desc)
#define CACHETLB_IOC_RESOLVE	_IOWR(CACHETLB_IOC_MAGIC, 0x02, struct cachetlb_resolve)
#define CACHETLB_IOC_RUN	_IOWR(CACHETLB_IOC_MAGIC, 0x03, struct cachetlb_run)
#define CACHETLB_IOC_OP_FUNC	_IOWR(CACHETLB_IOC_MAGIC, 0x04, struct cachetlb_op_func)

#endif /* _UAPI_CACHETLB_H */
