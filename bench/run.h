/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal to the ctbench driver: what session.c, runner.c, analysis.c
 * and suite.c share beyond the public suite.h.
 */
#ifndef CTB_RUN_H
#define CTB_RUN_H

#include "progress.h"
#include "suite.h"

/* The parameters of one row, as planned from a run spec (plan.c). */
struct run_params {
	uint32_t count, aux, state, opflags;
	int span;
	int cpu;
	struct ctb_cpumask targets;
	char targets_str[64];
	int has_targets;
};

/*
 * Width of the op column of the table and the notes: the longest op
 * name of the module and the rows, at least 26 (session.c).
 */
int ctb_op_width(const struct ctb_session *s);

/*
 * Print a per-row message on the human stream (runner.c); p NULL: no
 * parameters were planned (an unsupported op), only op and message.
 */
void ctb_run_note(struct ctb_session *s, const char *op,
		  const struct run_params *p, const char *fmt, const char *msg);

struct ctb_pmu;

/*
 * One RUN of op opi with parameters p, appending one row (runner.c).
 * Returns 0, CTB_EXIT_UNSUPPORTED, CTB_EXIT_VERIFY, or CTB_EXIT_FAIL.
 */
int ctb_run_one(struct ctb_session *s, uint32_t opi,
		const struct run_params *p, const struct ctb_runspec *rs,
		struct ctb_pmu *pmu);

/*
 * The progress total (progress.h): plan(s, arg) runs one round with
 * ctb_run_one() counting instead of running and its notes going to
 * /dev/null; the count times s->rounds starts the progress line.
 * Returns what plan returned (CTB_EXIT_USAGE: its message is out, stop).
 */
int ctb_progress_plan(struct ctb_session *s,
		      int (*plan)(struct ctb_session *s, void *arg), void *arg);

/* Table output of rows on s->out (session.c). */
void ctb_print_header(struct ctb_session *s);
void ctb_print_row(struct ctb_session *s, const struct ctb_row *r);

/*
 * Expand rs's parameter lists for op opi and run each combination
 * (plan.c). explicit_op: the user named the op, so a parameter it does
 * not take is a usage error rather than a skip. pmu may be NULL.
 */
int ctb_run_op_spec(struct ctb_session *s, uint32_t opi,
		    const struct ctb_runspec *rs, int explicit_op,
		    struct ctb_pmu *pmu);

#endif /* CTB_RUN_H */
