/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctbench runs: option parsing for `run`, the execution of one run
 * specification (an op or a whole family swept over parameter lists),
 * the quick/full suites, the per-family analysis and the virtqueue
 * buffer the uaccess ops work on.
 */
#ifndef CTB_SUITE_H
#define CTB_SUITE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dev.h"
#include "results.h"
#include "topo.h"
#include "uapi/cachetlb.h"

/* Exit codes of ctbench (documented in --help and docs/ctbench.md). */
enum {
	CTB_EXIT_OK = 0,
	CTB_EXIT_FAIL = 1,		/* a run or an I/O operation failed */
	CTB_EXIT_USAGE = 2,		/* bad command line */
	CTB_EXIT_NODEV = 3,		/* /dev/cachetlb missing / ABI mismatch */
	CTB_EXIT_UNSUPPORTED = 4,	/* the named op is unsupported here */
	CTB_EXIT_MISMATCH = 5,		/* compare: sets not comparable */
	CTB_EXIT_VERIFY = 6,		/* data verification failed */
	CTB_EXIT_NOTRACE = 7,		/* verify: no usable tracefs */
};

#define CTB_MAX_LIST 64
#define CTB_TOOL_VERSION "0.2.0"
#define CTB_DEFAULT_RING 256
#define CTB_DEFAULT_AUX 16
#define CTB_DEFAULT_ROUNDS 6	/* [min, max] of 6 round nets: 96.9% CI */
#define CTB_QUICK_SAMPLES 9	/* per round of the quick suite */

struct ctb_runspec {
	char op[CACHETLB_NAME_LEN];	/* "" when family is used */
	int family;			/* -1 when op is used */
	uint32_t counts[CTB_MAX_LIST];	/* empty: op default */
	size_t ncounts;
	int counts_are_pages;		/* given as --pages */
	uint32_t aux;			/* 0: op default */
	uint32_t states[CACHETLB_STATE_MAX];
	size_t nstates;			/* 0: "any" (or the op default) */
	uint32_t opflags;
	int span;			/* uaccess ring crosses a page boundary */
	int cpu;			/* -1: pick */
	char targets[64];		/* policy or list, "" = none */
	int busy_targets;
	char events[256];
	uint32_t samples, warmup;	/* per round */
	uint32_t rounds;		/* independent rounds (stats.c) */
	uint32_t iterations;		/* 0: calibrate */
	int irqs_off;
	uint32_t time_limit_ms;
	const char *knob;		/* --knob NAME=V1,V2 (knob.c) or NULL */
};

enum ctb_outfmt { CTB_OUT_TABLE, CTB_OUT_JSON, CTB_OUT_CSV };

struct ctb_runout {
	enum ctb_outfmt fmt;
	const char *dir;		/* -o DIR or NULL */
};

/* Defaults for `run`. */
void ctb_runspec_init(struct ctb_runspec *rs);

/*
 * Parse the arguments of `ctbench run` (argv[0] is "run"). Returns 0, or
 * CTB_EXIT_USAGE with err naming the bad value and the valid range.
 */
int ctb_parse_run_args(int argc, char **argv, struct ctb_runspec *rs,
		       struct ctb_runout *out, char *err, size_t len);

/*
 * "1,16,64" or "1-8" (every value) or "1..2048" (powers of two) into
 * out[]; every value must lie in [min, max]. opt is the option name used
 * in messages.
 */
int ctb_parse_u32_list(const char *s, const char *opt, uint32_t min,
		       uint32_t max, uint32_t *out, size_t max_n, size_t *n,
		       char *err, size_t len);
int ctb_parse_u32(const char *s, const char *opt, uint32_t min, uint32_t max,
		  uint32_t *out, char *err, size_t len);
int ctb_parse_states(const char *s, uint32_t *out, size_t *n, char *err,
		     size_t len);
int ctb_parse_opflags(const char *s, uint32_t *opflags, int *span, char *err,
		      size_t len);

/* --- split virtqueue buffer for the uaccess ops ------------------------ */

struct ctb_vq_layout {
	uint32_t ring;
	size_t desc_off, avail_off, used_off, total;
};

/*
 * Layout of a split virtqueue of ring entries: descriptor table (16-byte
 * entries) at 0, avail ring (u16 flags, u16 idx, u16 ring[]) after it,
 * used ring (u16 flags, u16 idx, {u32 id, u32 len}[]) aligned to 4.
 * Returns 0 or -EINVAL (ring 0, not a power of two, or above 32768).
 */
int ctb_vq_layout(uint32_t ring, struct ctb_vq_layout *l);

struct ctb_vq {
	struct ctb_vq_layout l;
	void *map;		/* mmap'ed area */
	size_t map_len;
	unsigned char *base;	/* ring start inside map */
	size_t page_size;
	int span;
	int locked;
};

/*
 * Allocate (mmap + mlock) a ring, 16-byte aligned. span: place it so a
 * page boundary falls in the middle of the used ring.
 */
int ctb_vq_alloc(struct ctb_vq *vq, uint32_t ring, int span,
		 size_t page_size, char *err, size_t len);
void ctb_vq_free(struct ctb_vq *vq);
/* Fill descriptors and the avail ring with known values, zero used. */
void ctb_vq_init(struct ctb_vq *vq);
/*
 * Check the used ring: used idx == used_idx, slots 0..written-1 hold
 * {id = avail[k], len = desc[id].len}, the other slots are still zero.
 * Returns the number of mismatches (0 = good), the first described in err.
 */
unsigned int ctb_vq_verify(const struct ctb_vq *vq, uint16_t used_idx,
			   uint32_t written, char *err, size_t len);
/* Expected descriptor length for descriptor d (what init writes). */
uint32_t ctb_vq_desc_len(uint32_t d);

/* --- sessions ---------------------------------------------------------- */

struct ctb_session {
	struct ctb_dev dev;
	struct ctb_topo topo;
	int topo_ok;
	int emulated;
	char emulation_reason[192];
	struct ctb_row *rows;
	size_t nrows, cap;
	FILE *out;		/* human output (stdout, or stderr for json/csv) */
	int fmt;		/* enum ctb_outfmt */
	int header_pending;	/* table header not printed yet */
	int failures, verify_failures, unsupported, skipped;
	int cpu;		/* last measuring CPU */
	char targets_policy[64];
	int busy_targets;
	char pmu[256];
	int argc;
	char **argv;
	const char *kallsyms;	/* override for tests, NULL = /proc */
	int verbose;
	uint32_t rounds;	/* rounds of this session (>= 1) */
	uint32_t round;		/* the round being measured, 0-based */
	/* called before every round of a suite (knob.c); NULL: none */
	void (*round_hook)(struct ctb_session *s, void *arg);
	void *round_hook_arg;
	void *extra_meta;	/* json_t object merged into the set's meta */
};

/* Open device, resolve symbols, load topology, decide emulation. */
int ctb_session_open(struct ctb_session *s, FILE *out, char *err,
		     size_t len);
void ctb_session_close(struct ctb_session *s);

/* Signal number that interrupted the session (SIGINT/SIGTERM), or 0. */
int ctb_interrupted(void);

/* Emulation decision from env + GET_INFO (pure; exposed for tests). */
int ctb_detect_emulation(const char *env, uint32_t hypervisor,
			 const char *hint, char *reason, size_t len);

/* Run one specification (op or family), appending rows. */
int ctb_session_run(struct ctb_session *s, const struct ctb_runspec *rs);

/* Print the analysis for a family over the collected rows. */
void ctb_session_analyse(struct ctb_session *s, FILE *f, int family);

/* Print the table of rows [from, nrows). */
void ctb_session_print_rows(struct ctb_session *s, FILE *f, size_t from);

/* Write the collected rows as a result set below parent. */
int ctb_session_write(struct ctb_session *s, const char *parent,
		      char *out_dir, size_t out_len);

/* Set name "<yyyymmddThhmmssZ>-<host>-<arch>-<release>[-emulated]". */
void ctb_set_name(char *buf, size_t len, long long utc_seconds,
		  const char *host, const char *arch, const char *release,
		  int emulated);

/* HEAD commit of the git checkout around the cwd (no git needed). */
int ctb_git_head(char *buf, size_t len);

/* `ctbench suite quick|full`. */
int ctb_suite_run(struct ctb_session *s, const char *which);


/*
 * -o DIR can take a result set: DIR is a writable directory, or does not
 * exist and its parent is one. Returns 0, or -errno with err naming the
 * path, the rule and the fix.
 */
int ctb_check_out_dir(const char *dir, char *err, size_t len);

/*
 * Start round s->round: output of every round but the last goes to null
 * (when non-NULL), progress "[round k of R" on real.
 */
void ctb_round_begin(struct ctb_session *s, FILE *real, FILE *null);

/*
 * The rounds of a command (`run` in plan.c, `suite` in suite.c): s->rounds
 * times round(s, arg), until interrupted or stop(status, arg) (NULL: never)
 * is nonzero, each begun by ctb_round_begin() with every round but the
 * last printing to /dev/null; then the progress line ends and s->out is
 * restored.  Returns the worst status of a round.
 */
int ctb_session_rounds(struct ctb_session *s,
		       int (*round)(struct ctb_session *s, void *arg),
		       int (*stop)(int status, void *arg), void *arg);

#endif /* CTB_SUITE_H */
