/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctbench verify: each selected op timed twice, by our loop and by the
 * kernel's function_graph tracer on the function the op calls, with the
 * tracer's own overhead measured on an empty module function and
 * subtracted (docs/verify.md).
 */
#ifndef CTB_VERIFY_H
#define CTB_VERIFY_H

#include <stddef.h>

/*
 * `ctbench verify [--family F] [--op GLOB] [options]`; argv[0] is
 * "verify".  Returns 0 (every compared op agrees), CTB_EXIT_FAIL (one
 * disagrees or a run failed), CTB_EXIT_USAGE, CTB_EXIT_NODEV,
 * CTB_EXIT_UNSUPPORTED (a named op is unsupported) or CTB_EXIT_NOTRACE.
 */
int ctb_cmd_verify(int argc, char **argv);

/* Its option table and help (opts.h). */
struct ctb_cmdspec;
extern const struct ctb_cmdspec ctb_verify_spec;

/*
 * Exposed for the unit tests.  The durations (ns) of the calls of fn in a
 * function_graph trace (the text of tracefs "trace"), stored into out
 * (at most max).  Returns how many were found.
 */
size_t ctb_verify_parse_graph(const char *trace, const char *fn,
			      double *out, size_t max);

/* One side of the comparison: the median and range over rounds, ns. */
struct ctb_verify_fig {
	double med, lo, hi;
};

/*
 * The verdict on our per-call net `ours` and the tracer's corrected
 * `traced`: "agree", "disagree" or "below-floor" (our median at or below
 * floor: no ratio is formed).  tol is the relative tolerance, slack (ns)
 * what the overhead correction itself is uncertain by.  They agree when
 * the ranges over rounds come within a factor 1 + tol (+- slack) of each
 * other, and so do their low ends:
 *   traced.hi + slack >= ours.lo / (1 + tol)
 *   traced.lo - slack <= ours.hi * (1 + tol)
 *   ours.lo / (1 + tol) - slack <= traced.lo <= ours.lo * (1 + tol) + slack
 */
const char *ctb_verify_verdict(const struct ctb_verify_fig *ours,
			       const struct ctb_verify_fig *traced,
			       double floor, double tol, double slack);

#endif /* CTB_VERIFY_H */
