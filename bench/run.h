/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal to the ctbench driver: what session.c, runner.c, analysis.c
 * and suite.c share beyond the public suite.h.
 */
#ifndef CTB_RUN_H
#define CTB_RUN_H

#include "suite.h"

/* Table output of rows on s->out (session.c). */
void ctb_print_header(struct ctb_session *s);
void ctb_print_row(struct ctb_session *s, const struct ctb_row *r);

/*
 * Expand rs's parameter lists for op opi and run each combination
 * (runner.c). explicit_op: the user named the op, so a parameter it does
 * not take is a usage error rather than a skip. pmu may be NULL.
 */
struct ctb_pmu;
int ctb_run_op_spec(struct ctb_session *s, uint32_t opi,
		    const struct ctb_runspec *rs, int explicit_op,
		    struct ctb_pmu *pmu);

#endif /* CTB_RUN_H */
