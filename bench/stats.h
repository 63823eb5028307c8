/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctbench statistics: robust summaries of raw timing samples.
 * The method (which CI, which outlier rule) is documented at the top of
 * stats.c.
 */
#ifndef CTB_STATS_H
#define CTB_STATS_H

#include <stddef.h>
#include <stdint.h>

struct ctb_stats {
	size_t n;
	double min, max, median, mean, stddev, mad, iqr, ci_lo, ci_hi;
	size_t outliers;
};

/* 1 when every one of x[0..n-1] is finite (no NaN, no infinity). */
int ctb_all_finite(const double *x, size_t n);

/*
 * Summarise x[0..n-1] (copied and sorted internally, x is not modified).
 * Returns 0, -EINVAL for n == 0 or a NULL pointer or a non-finite sample,
 * -ENOMEM when the copy cannot be allocated.
 */
int ctb_stats_compute(const double *x, size_t n, struct ctb_stats *out);

/* Net cost: op minus empty-op baseline, with its propagated 95% CI. */
struct ctb_net {
	double median, ci_lo, ci_hi;
};

/*
 * out->median = op->median - base->median; the CI half-widths (upper and
 * lower separately) of op and base are combined in quadrature.
 */
void ctb_stats_subtract(const struct ctb_stats *op,
			const struct ctb_stats *base, struct ctb_net *out);

/*
 * 1 when op is indistinguishable from the baseline: the two 95% CIs of the
 * median overlap and |op->median - base->median| is below
 * max(resolution_ns, half the width of the wider CI). 0 otherwise.
 */
int ctb_stats_is_noop(const struct ctb_stats *op, const struct ctb_stats *base,
		      double resolution_ns);

/* 1 when the CI of the median is wider than 10% of |median|. */
int ctb_stats_ci_wide(const struct ctb_stats *s);

/*
 * Helpers (also used by compare.c), exposed for tests.
 * ctb_median_sorted: median of an already sorted array (n > 0).
 * ctb_stats_ci_ranks: 1-based order-statistic ranks (lo, hi) of the
 * distribution-free 95% CI of the median for n samples; returns 0, or
 * -EINVAL when n is too small for any 95% interval (n < 6), in which case
 * the ranks are 1 and n (the full range, coverage below 95%).
 */
double ctb_median_sorted(const double *sorted, size_t n);
int ctb_stats_ci_ranks(size_t n, size_t *lo, size_t *hi);

/*
 * Exact coverage of the order-statistic interval [x_(lo), x_(n-lo+1)] for
 * the median of n continuous iid values: 1 - 2 P(Binomial(n, 1/2) < lo).
 * n = 5, lo = 1 gives 0.9375; n = 6, lo = 1 gives 0.96875.
 */
double ctb_stats_ci_level(size_t n, size_t lo);

/* Median of x[0..n-1] without modifying x (NAN for n == 0 or no memory). */
double ctb_median_of_copy(const double *x, size_t n);

/* --- replicated statistics (method at the top of stats.c) ------------ */

/* Most rounds one row can hold. */
#define CTB_MAX_ROUNDS 64

/* One round of one row: a full calibrate + sample pass. */
struct ctb_round {
	uint32_t iterations;	/* op iterations per sample in this round */
	size_t n;		/* sample pairs (op, control) */
	double op, ctrl;	/* per-iteration medians (ns) */
	double net;		/* op - ctrl */
	double split;		/* control against itself: median of the
				 * even-indexed minus median of the
				 * odd-indexed control samples (ns/iter) */
};

/* A row's replicated estimate over its rounds. */
struct ctb_rep {
	size_t rounds;
	double net;		/* median of the round nets (ns/iter) */
	double ci_lo, ci_hi;	/* order-statistic CI of that median */
	double ci_level;	/* its exact coverage (0.96875 for 6) */
	double spread_lo, spread_hi;	/* min and max round net */
	double ctrl;		/* median of the round control medians */
	double floor;		/* noise floor (ns/iter), >= 0 */
	int below_floor;	/* |net| <= floor */
};

/*
 * Split paired raw samples into rounds. op_tot[i] and ctrl_tot[i] are the
 * totals (ns) of one op sample and of its matched control sample,
 * round[i] its round number and iters[i] its iteration count (the same
 * within a round). Samples of one round need not be adjacent; rounds are
 * returned in ascending round number. Returns the number of rounds
 * (<= max), or -EINVAL (NULL, n == 0, iterations 0, non-finite sample,
 * iterations differing within a round, more than max rounds), -ENOMEM.
 */
int ctb_rounds_from_samples(const double *op_tot, const double *ctrl_tot,
			    const uint32_t *round, const uint32_t *iters,
			    size_t n, struct ctb_round *out, size_t max);

/*
 * The replicated estimate of rounds r[0..nr-1]: the median of the round
 * nets, its order-statistic CI over rounds, the between-round spread and
 * the noise floor max(clock_step_ns / smallest iterations, largest
 * |split|). Returns 0 or -EINVAL (nr == 0, NULL, non-finite value).
 */
int ctb_rep_compute(const struct ctb_round *r, size_t nr,
		    double clock_step_ns, struct ctb_rep *out);

#endif /* CTB_STATS_H */
