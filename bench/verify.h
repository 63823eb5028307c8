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
#include <stdint.h>

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

/*
 * PMU cycles (bench/verify_pmu.c, docs/verify.md "PMU cycles").  Per call,
 * op minus matched control, over the n samples of one RUN with
 * CACHETLB_RUN_PMU_CYCLES: the median core cycles, the median ns, the
 * control's noise floor (ns) and the counter's rate, cycles/ns: per
 * sample, its cycles over its own ns, for the nrate samples whose ns is
 * above the floor; rate is their median (NAN unless more than half the
 * samples are above the floor), rate_lo and rate_hi their quartiles.
 */
struct ctb_verify_pmu {
	double cyc, ns, floor, rate, rate_lo, rate_hi;
	size_t n, nrate;
};

/*
 * The per-sample rate (pure, unit tested): cyc[i] / ns[i] for the samples
 * with ns[i] > floor, stored sorted into r (room for n); q[0], q[1], q[2]
 * = their lower quartile, median and upper quartile (NAN when none).
 * Returns how many samples took part.
 */
size_t ctb_verify_pmu_rate(const double *cyc, const double *ns, size_t n,
			   double floor, double *r, double q[3]);

/* Why RUN_PMU_CYCLES failed, from the errno the module put in op_result. */
const char *ctb_verify_pmu_why(uint64_t err);

/*
 * "agree" when rate / cal is within [1/(1+tol), 1+tol], "disagree"
 * outside, "below-floor" when either rate is not a positive number.
 */
const char *ctb_verify_pmu_verdict(double rate, double cal, double tol);

/*
 * The noise floor of a net: the 90th minus the 10th percentile of the
 * control samples ctl[0..n-1] (n > 0; sorted in place), at least res.
 */
double ctb_verify_floor(double *ctl, size_t n, uint64_t res);

struct cachetlb_run;
struct cachetlb_op_desc;
struct cachetlb_sample;
/* A RUN of op at count for verify: 1 iteration, 2 warm-up, with control. */
void ctb_verify_run_init(struct cachetlb_run *run,
			 const struct cachetlb_op_desc *desc, uint32_t opi,
			 uint32_t count, uint32_t cpu, uint32_t samples,
			 struct cachetlb_sample *op, struct cachetlb_sample *base);

struct ctb_dev;
/*
 * One RUN of op with CACHETLB_RUN_PMU_CYCLES.  0, -ENODEV when there is no
 * PMU cycle counter (err says why, from the module), other -errno on
 * failure (err says what).
 */
int ctb_verify_pmu_run(struct ctb_dev *d, uint32_t opi, uint32_t count,
		       uint32_t cpu, uint32_t samples,
		       struct ctb_verify_pmu *out, char *err, size_t len);

/*
 * The counter's rate on the `spin` op, its chain grown (4096 steps, x4,
 * up to the op's maximum) until the net is 20 times the noise floor;
 * *count says how long.  Errors as ctb_verify_pmu_run().
 */
int ctb_verify_pmu_calibrate(struct ctb_dev *d, uint32_t cpu,
			     uint32_t samples, struct ctb_verify_pmu *out,
			     uint32_t *count, char *err, size_t len);

/*
 * Calibrates (above) and prints the "# PMU cycles:" header line: the
 * calibration, or why there is no PMU check.  Returns the calibration's
 * cycles per ns, NAN when there is no check.
 */
double ctb_verify_pmu_setup(struct ctb_dev *d, uint32_t cpu, uint32_t samples,
			    double tol);

#endif /* CTB_VERIFY_H */
