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
 * Replicated statistics (what run, report and compare print):
 *
 * - A round is one full calibrate + sample pass of a row; the runner
 *   interleaves rounds across the rows (round 1 of every row, then round
 *   2 ...), so slow drift of the machine or emulator spreads over the
 *   rounds instead of landing on one row. Every op sample has a matched
 *   control sample taken in the same RUN after the same preparation.
 * - Per round: op and control medians per iteration, the round net
 *   op - control, and the control against itself ("split"): the median
 *   of its even-indexed samples minus the median of its odd-indexed ones.
 * - Estimate: the median of the round nets. CI: the distribution-free
 *   order-statistic CI of the median (above), now over rounds, so it
 *   describes the run-to-run variation of the row and not the samples of
 *   one pass. Its exact coverage depends on R: 5 -> [min, max], 93.75%;
 *   6 -> [min, max], 96.9%; 9 -> ranks 2 and 8, 96.1%; 10 -> 2 and 9,
 *   97.9%. The level is stored with the row (ci_level).
 * - Between-round spread: the smallest and largest round net.
 * - Noise floor (ns/iter): the larger of the clock step per iteration
 *   (clock_resolution_ns from GET_INFO / the smallest iterations of the
 *   row) and the largest |split| over the rounds, i.e. how far the
 *   control moves against itself at this preparation and iteration
 *   count. Each half has half the samples, so a split varies about
 *   sqrt(2) times as much as a round net of a zero-cost op would.
 * - Below the floor: |net| <= floor. Such a net is printed as
 *   "< floor (X ns)": never divided, never per page, never faster or
 *   slower (negative nets inside the floor included).
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

int ctb_all_finite(const double *x, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return 0;
	return 1;
}

int ctb_stats_compute(const double *x, size_t n, struct ctb_stats *out)
{
	double *s, *dev, sum = 0.0, ss = 0.0, lim;
	size_t i, lo, hi;

	if (!x || !out || !n || !ctb_all_finite(x, n))
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

double ctb_stats_ci_level(size_t n, size_t lo)
{
	double logn1, log2n, cdf = 0.0;
	size_t k;

	if (!n || !lo || lo > (n + 1) / 2)
		return 0.0;
	logn1 = lgamma((double)n + 1.0);
	log2n = (double)n * log(2.0);
	/* P(B <= lo - 1): the true median lies outside on either side */
	for (k = 0; k < lo; k++)
		cdf += exp(logn1 - lgamma((double)k + 1.0) -
			   lgamma((double)(n - k) + 1.0) - log2n);
	return 1.0 - 2.0 * cdf;
}

/* Median of v[0..n-1] (n > 0), sorting v. */
static double median_of(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return ctb_median_sorted(v, n);
}

double ctb_median_of_copy(const double *x, size_t n)
{
	double *v, m;

	if (!x || !n)
		return NAN;
	v = malloc(n * sizeof(*v));
	if (!v)
		return NAN;
	memcpy(v, x, n * sizeof(*v));
	m = median_of(v, n);
	free(v);
	return m;
}

int ctb_rounds_from_samples(const double *op_tot, const double *ctrl_tot,
			    const uint32_t *round, const uint32_t *iters,
			    size_t n, struct ctb_round *out, size_t max)
{
	uint32_t ids[CTB_MAX_ROUNDS];
	size_t nid = 0, i, k;
	double *op = NULL, *ce = NULL, *co = NULL, *ct = NULL;
	int ret = -ENOMEM;

	if (!op_tot || !ctrl_tot || !round || !iters || !out || !n ||
	    !max)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (!iters[i] || !isfinite(op_tot[i]) ||
		    !isfinite(ctrl_tot[i]))
			return -EINVAL;
		for (k = 0; k < nid && ids[k] != round[i]; k++)
			;
		if (k == nid) {
			if (nid == max || nid == CTB_MAX_ROUNDS)
				return -EINVAL;
			/* keep ids sorted: insertion */
			while (k > 0 && ids[k - 1] > round[i]) {
				ids[k] = ids[k - 1];
				k--;
			}
			ids[k] = round[i];
			nid++;
		}
	}
	op = malloc(n * sizeof(*op));
	ct = malloc(n * sizeof(*ct));
	ce = malloc(n * sizeof(*ce));
	co = malloc(n * sizeof(*co));
	if (!op || !ct || !ce || !co)
		goto out;
	for (k = 0; k < nid; k++) {
		struct ctb_round *r = &out[k];
		size_t m = 0, ne = 0, no = 0;

		memset(r, 0, sizeof(*r));
		for (i = 0; i < n; i++) {
			double it;

			if (round[i] != ids[k])
				continue;
			if (!m)
				r->iterations = iters[i];
			if (iters[i] != r->iterations) {
				ret = -EINVAL;
				goto out;
			}
			it = (double)iters[i];
			op[m] = op_tot[i] / it;
			ct[m] = ctrl_tot[i] / it;
			if (m & 1)
				co[no++] = ct[m];
			else
				ce[ne++] = ct[m];
			m++;
		}
		r->n = m;
		r->op = median_of(op, m);
		r->ctrl = median_of(ct, m);
		r->net = r->op - r->ctrl;
		/* one sample: nothing to split, the floor is the clock */
		r->split = no ? median_of(ce, ne) - median_of(co, no) : 0.0;
	}
	ret = (int)nid;
out:
	free(op);
	free(ct);
	free(ce);
	free(co);
	return ret;
}

int ctb_rep_compute(const struct ctb_round *r, size_t nr,
		    double clock_step_ns, struct ctb_rep *out)
{
	double nets[CTB_MAX_ROUNDS], ctrls[CTB_MAX_ROUNDS];
	double split = 0.0, step;
	uint32_t min_it = UINT32_MAX;
	size_t i, lo, hi;

	if (!r || !out || !nr || nr > CTB_MAX_ROUNDS ||
	    !(clock_step_ns >= 0.0))
		return -EINVAL;
	for (i = 0; i < nr; i++) {
		if (!isfinite(r[i].net) || !isfinite(r[i].ctrl) ||
		    !isfinite(r[i].split) || !r[i].iterations)
			return -EINVAL;
		nets[i] = r[i].net;
		ctrls[i] = r[i].ctrl;
		if (fabs(r[i].split) > split)
			split = fabs(r[i].split);
		if (r[i].iterations < min_it)
			min_it = r[i].iterations;
	}
	memset(out, 0, sizeof(*out));
	out->rounds = nr;
	qsort(nets, nr, sizeof(nets[0]), cmp_double);
	out->net = ctb_median_sorted(nets, nr);
	ctb_stats_ci_ranks(nr, &lo, &hi);
	out->ci_lo = nets[lo - 1];
	out->ci_hi = nets[hi - 1];
	out->ci_level = ctb_stats_ci_level(nr, lo);
	out->spread_lo = nets[0];
	out->spread_hi = nets[nr - 1];
	out->ctrl = median_of(ctrls, nr);
	step = clock_step_ns / (double)min_it;
	out->floor = fmax(step, split);
	out->below_floor = fabs(out->net) <= out->floor;
	return 0;
}
