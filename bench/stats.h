/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctbench statistics: robust summaries of raw timing samples.
 * The method (which CI, which outlier rule) is documented at the top of
 * stats.c.
 */
#ifndef CTB_STATS_H
#define CTB_STATS_H

#include <stddef.h>

struct ctb_stats {
	size_t n;
	double min, max, median, mean, stddev, mad, iqr, ci_lo, ci_hi;
	size_t outliers;
};

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

#endif /* CTB_STATS_H */
