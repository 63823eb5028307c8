// SPDX-License-Identifier: GPL-2.0
/*
 * ctbench statistics.
 *
 * Method (so a reviewer can check it):
 *
 * - Samples are per-iteration times (ns). They are copied and sorted; the
 *   caller's array is never modified. Non-finite samples are rejected.
 * - median: middle order statistic, mean of the two middle ones for even n.
 * - mean, stddev: arithmetic mean and the sample standard deviation
 *   (divisor n - 1; 0 for n == 1), computed in two passes.
 * - mad: the raw median absolute deviation, median(|x_i - median|),
 *   NOT scaled. 1.4826 * mad estimates sigma for normal data.
 * - iqr: Q3 - Q1 with linear interpolation between order statistics
 *   (Hyndman-Fan type 7, the R/NumPy default): Q(p) = x[(n-1)p] with
 *   0-based fractional index.
 * - outliers: samples with |x - median| > 3 * 1.4826 * mad (a robust
 *   "3 sigma" rule). With mad == 0 every sample not equal to the median
 *   counts: the spread of the bulk is then zero.
 * - 95% CI of the median: distribution-free, from order statistics. The
 *   number of samples below the true median is Binomial(n, 1/2). Let j be
 *   the largest integer with P(B <= j - 1) <= 0.025; the interval is
 *   [x_(j), x_(n-j+1)] (1-based ranks), coverage 1 - 2 P(B <= j - 1),
 *   which is >= 95% and as tight as the binomial allows. The CDF is
 *   summed exactly in log space (lgamma), so large n do not underflow.
 *   Example: n = 10 -> ranks 2 and 9; n = 100 -> ranks 40 and 61.
 *   For n < 6 no interval reaches 95% (P(B = 0) = 2^-n > 0.025); the
 *   full range [min, max] is reported instead and ctb_stats_ci_ranks()
 *   returns -EINVAL so callers can warn.
 * - Net cost (ctb_stats_subtract): op median minus baseline median. The
 *   order-statistic CI is asymmetric, so the two sides are propagated
 *   separately, each in quadrature (treating the half-widths as
 *   independent standard-error-like terms):
 *     lower half-width = sqrt(op_lo_hw^2 + base_hi_hw^2)
 *     upper half-width = sqrt(op_hi_hw^2 + base_lo_hw^2)
 *   (the difference is lowest when op is low and the baseline is high).
 * - No-op verdict (ctb_stats_is_noop): indistinguishable from the empty op
 *   when both 95% CIs overlap AND |median difference| is below
 *   max(clock resolution, half the width of the wider CI) (a difference of
 *   exactly 0 also counts, so identical zero-spread data is a no-op).
 *   Caveat: under emulation the CIs can be far narrower than systematic
 *   differences (loop overhead), so the verdict can flip between runs for
 *   ops that cost about as much as the empty op.
 * - "CI wide" warning: CI width > 10% of |median|.
 *
 * The two-sample test used by `compare` is documented in compare.c.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

#define CTB_OUTLIER_K	3.0
#define CTB_MAD_SIGMA	1.4826
#define CTB_ALPHA_HALF	0.025
#define CTB_CI_MIN_N	6

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double ctb_median_sorted(const double *sorted, size_t n)
{
	if (!n)
		return NAN;
	if (n & 1)
		return sorted[n / 2];
	return (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
}

/* Type 7 quantile of a sorted array, 0 <= p <= 1. */
static double quantile_sorted(const double *sorted, size_t n, double p)
{
	double h = (double)(n - 1) * p;
	size_t lo = (size_t)floor(h);
	double frac = h - (double)lo;

	if (lo + 1 >= n)
		return sorted[n - 1];
	return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

int ctb_stats_ci_ranks(size_t n, size_t *lo, size_t *hi)
{
	double logn1, log2n, cdf = 0.0;
	size_t j = 0, k;

	*lo = 1;
	*hi = n;
	if (n < CTB_CI_MIN_N)
		return -EINVAL;
	logn1 = lgamma((double)n + 1.0);
	log2n = (double)n * log(2.0);
	/*
	 * cdf = P(B <= k). j = largest k + 1 with P(B <= k) <= alpha/2.
	 * k never needs to pass n/2: P(B <= n/2) >= 1/2.
	 */
	for (k = 0; k <= n / 2; k++) {
		double lp = logn1 - lgamma((double)k + 1.0) -
			    lgamma((double)(n - k) + 1.0) - log2n;

		cdf += exp(lp);
		if (cdf > CTB_ALPHA_HALF)
			break;
		j = k + 1;
	}
	if (!j)
		return -EINVAL;
	*lo = j;
	*hi = n - j + 1;
	return 0;
}

int ctb_stats_compute(const double *x, size_t n, struct ctb_stats *out)
{
	double *s, *dev, sum = 0.0, ss = 0.0, lim;
	size_t i, lo, hi;

	if (!x || !out || !n)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return -EINVAL;
	s = malloc(n * sizeof(*s));
	dev = malloc(n * sizeof(*dev));
	if (!s || !dev) {
		free(s);
		free(dev);
		return -ENOMEM;
	}
	memcpy(s, x, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);

	memset(out, 0, sizeof(*out));
	out->n = n;
	out->min = s[0];
	out->max = s[n - 1];
	out->median = ctb_median_sorted(s, n);
	for (i = 0; i < n; i++)
		sum += s[i];
	out->mean = sum / (double)n;
	for (i = 0; i < n; i++)
		ss += (s[i] - out->mean) * (s[i] - out->mean);
	out->stddev = n > 1 ? sqrt(ss / (double)(n - 1)) : 0.0;
	out->iqr = quantile_sorted(s, n, 0.75) - quantile_sorted(s, n, 0.25);

	for (i = 0; i < n; i++)
		dev[i] = fabs(s[i] - out->median);
	qsort(dev, n, sizeof(*dev), cmp_double);
	out->mad = ctb_median_sorted(dev, n);

	lim = CTB_OUTLIER_K * CTB_MAD_SIGMA * out->mad;
	for (i = 0; i < n; i++)
		if (fabs(s[i] - out->median) > lim)
			out->outliers++;

	ctb_stats_ci_ranks(n, &lo, &hi);
	out->ci_lo = s[lo - 1];
	out->ci_hi = s[hi - 1];

	free(dev);
	free(s);
	return 0;
}

void ctb_stats_subtract(const struct ctb_stats *op,
			const struct ctb_stats *base, struct ctb_net *out)
{
	double op_lo = op->median - op->ci_lo, op_hi = op->ci_hi - op->median;
	double b_lo = base->median - base->ci_lo;
	double b_hi = base->ci_hi - base->median;

	out->median = op->median - base->median;
	out->ci_lo = out->median - sqrt(op_lo * op_lo + b_hi * b_hi);
	out->ci_hi = out->median + sqrt(op_hi * op_hi + b_lo * b_lo);
}

int ctb_stats_is_noop(const struct ctb_stats *op, const struct ctb_stats *base,
		      double resolution_ns)
{
	double w_op = op->ci_hi - op->ci_lo, w_b = base->ci_hi - base->ci_lo;
	double thr = fmax(resolution_ns, fmax(w_op, w_b) / 2.0);
	int overlap = op->ci_lo <= base->ci_hi && base->ci_lo <= op->ci_hi;
	double d = fabs(op->median - base->median);

	/* d == 0 counts even when thr == 0 (identical, zero-spread data) */
	return overlap && (d < thr || d == 0.0);
}

int ctb_stats_ci_wide(const struct ctb_stats *s)
{
	return s->ci_hi - s->ci_lo > 0.1 * fabs(s->median);
}
