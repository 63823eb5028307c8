// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for bench/stats.c against hand-computed values.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "tap.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static void test_medians(void)
{
	const double odd[] = { 5, 1, 3 };
	const double even[] = { 4, 1, 3, 2 };
	const double one[] = { 7.5 };
	struct ctb_stats s;

	ok(!ctb_stats_compute(odd, N_OF(odd), &s) && s.median == 3.0,
	   "median of {5,1,3} is 3");
	ok(!ctb_stats_compute(even, N_OF(even), &s) && s.median == 2.5,
	   "median of {4,1,3,2} is 2.5");
	ok(s.min == 1.0 && s.max == 4.0 && s.n == 4, "min 1, max 4, n 4");
	ok(!ctb_stats_compute(one, 1, &s) && s.median == 7.5 &&
	   s.stddev == 0.0 && s.mad == 0.0 && s.ci_lo == 7.5 &&
	   s.ci_hi == 7.5, "n=1: median = the sample, sd 0, CI degenerate");
}

static void test_moments(void)
{
	/* mean 5; sum of squared deviations 32; sample sd sqrt(32/7) */
	const double x[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	struct ctb_stats s;

	ok(!ctb_stats_compute(x, N_OF(x), &s), "compute {2,4,4,4,5,5,7,9}");
	ok_near(s.mean, 5.0, 1e-12, "mean is 5");
	ok_near(s.stddev, sqrt(32.0 / 7.0), 1e-12, "sample sd is sqrt(32/7)");
}

static void test_mad_iqr(void)
{
	/* median 2; |dev| = {1,1,0,0,2,4,7} -> sorted 0,0,1,1,2,4,7 -> 1 */
	const double x[] = { 1, 1, 2, 2, 4, 6, 9 };
	/* type 7: Q1 = x[1.75] = 2.75, Q3 = x[5.25] = 6.25 */
	const double y[] = { 8, 7, 6, 5, 4, 3, 2, 1 };
	struct ctb_stats s;

	ok(!ctb_stats_compute(x, N_OF(x), &s) && s.mad == 1.0,
	   "MAD of {1,1,2,2,4,6,9} is 1 (unscaled)");
	ok(!ctb_stats_compute(y, N_OF(y), &s), "compute 1..8");
	ok_near(s.iqr, 3.5, 1e-12, "IQR of 1..8 (type 7) is 3.5");
}

static void test_ci_ranks(void)
{
	size_t lo, hi;

	ok(!ctb_stats_ci_ranks(10, &lo, &hi) && lo == 2 && hi == 9,
	   "n=10: CI ranks 2 and 9");
	ok(!ctb_stats_ci_ranks(20, &lo, &hi) && lo == 6 && hi == 15,
	   "n=20: CI ranks 6 and 15");
	ok(!ctb_stats_ci_ranks(100, &lo, &hi) && lo == 40 && hi == 61,
	   "n=100: CI ranks 40 and 61");
	ok(!ctb_stats_ci_ranks(6, &lo, &hi) && lo == 1 && hi == 6,
	   "n=6: CI ranks 1 and 6 (coverage 96.9%%)");
	ok(ctb_stats_ci_ranks(5, &lo, &hi) == -EINVAL && lo == 1 && hi == 5,
	   "n=5: no 95%% interval exists, -EINVAL and full range");

	/*
	 * Independent check of the defining property for n = 6..300: the
	 * interval's exact binomial coverage is >= 95%, and the next
	 * tighter interval (j + 1) would fall below 95%.
	 */
	int all = 1;

	for (size_t n = 6; n <= 300 && all; n++) {
		double *pmf = calloc(n + 1, sizeof(double)), cov, cov2;
		size_t k;

		if (!pmf)
			break;
		pmf[0] = pow(0.5, (double)n);
		for (k = 1; k <= n; k++)
			pmf[k] = pmf[k - 1] * (double)(n - k + 1) / (double)k;
		ctb_stats_ci_ranks(n, &lo, &hi);
		/* P(x_(lo) <= med <= x_(hi)) = P(lo <= B <= hi - 1) */
		cov = 0.0;
		for (k = lo; k < hi; k++)
			cov += pmf[k];
		cov2 = 0.0;
		for (k = lo + 1; k < hi - 1; k++)
			cov2 += pmf[k];
		if (cov < 0.95 || (lo + 1 < hi - 1 && cov2 >= 0.95) ||
		    lo + hi != n + 1) {
			diag("n=%zu ranks %zu..%zu coverage %.4f tighter %.4f",
			     n, lo, hi, cov, cov2);
			all = 0;
		}
		free(pmf);
	}
	ok(all, "n=6..300: coverage >= 95%% and the interval is the tightest");

	ok(!ctb_stats_ci_ranks(100000, &lo, &hi) && lo >= 49685 &&
	   lo <= 49695 && hi == 100001 - lo,
	   "n=100000: ranks near n/2 -+ 0.98 sqrt(n), no underflow");
}

static void test_ci_values(void)
{
	const double x[] = { 7, 3, 10, 1, 5, 9, 2, 8, 4, 6 };
	double copy[N_OF(x)];
	struct ctb_stats s;

	memcpy(copy, x, sizeof(x));
	ok(!ctb_stats_compute(x, N_OF(x), &s) && s.ci_lo == 2.0 &&
	   s.ci_hi == 9.0 && s.median == 5.5,
	   "shuffled 1..10: median 5.5, CI [2, 9]");
	ok(!memcmp(copy, x, sizeof(x)), "input array is not modified");
}

static void test_outliers(void)
{
	/* median 11, MAD 1, limit 3 * 1.4826 = 4.45: 100 and 1000 */
	const double x[] = { 10, 11, 12, 10, 11, 12, 11, 100, 1000 };
	/*
	 * Boundary: sorted 10,10,11,11,11,11,12,12,15,16,100: median 11,
	 * |dev| sorted 0,0,0,0,1,1,1,1,4,5,89: MAD 1. 15 (dev 4 < 4.4478) is
	 * kept, 16 (dev 5) and 100 are outliers.
	 */
	const double y[] = { 10, 11, 12, 10, 11, 12, 11, 15, 16, 100, 11 };
	const double flat[] = { 5, 5, 5, 5 };
	struct ctb_stats s;

	ok(!ctb_stats_compute(x, N_OF(x), &s) && s.median == 11.0 &&
	   s.mad == 1.0 && s.outliers == 2,
	   "two outliers beyond median +- 3*1.4826*MAD");
	ok(s.mean > 100.0 && s.median == 11.0,
	   "outliers move the mean (%.1f), not the median", s.mean);
	ok(!ctb_stats_compute(y, N_OF(y), &s) && s.median == 11.0 &&
	   s.mad == 1.0 && s.outliers == 2,
	   "boundary: dev 4 kept, dev 5 and 89 are outliers (got %zu)",
	   s.outliers);
	ok(!ctb_stats_compute(flat, N_OF(flat), &s) && s.outliers == 0,
	   "constant data has no outliers");
}

static void test_errors(void)
{
	const double x[] = { 1, NAN, 3 };
	struct ctb_stats s;

	ok(ctb_stats_compute(x, 0, &s) == -EINVAL, "n == 0 is -EINVAL");
	ok(ctb_stats_compute(x, 3, &s) == -EINVAL, "a NaN sample is -EINVAL");
	ok(ctb_stats_compute(NULL, 3, &s) == -EINVAL, "NULL is -EINVAL");
}

static struct ctb_stats mk(double med, double lo, double hi)
{
	struct ctb_stats s;

	memset(&s, 0, sizeof(s));
	s.n = 100;
	s.median = med;
	s.ci_lo = lo;
	s.ci_hi = hi;
	return s;
}

static void test_subtract(void)
{
	struct ctb_stats op = mk(100, 90, 104), base = mk(10, 7, 14);
	struct ctb_net net;

	ctb_stats_subtract(&op, &base, &net);
	ok(net.median == 90.0, "net median 100 - 10 = 90");
	ok_near(net.ci_lo, 90.0 - sqrt(10.0 * 10 + 4 * 4), 1e-12,
		"net CI low = 90 - sqrt(10^2 + 4^2) (op low, base high)");
	ok_near(net.ci_hi, 95.0, 1e-12,
		"net CI high = 90 + sqrt(4^2 + 3^2) = 95");

	op = mk(50, 50, 50);
	base = mk(10, 10, 10);
	ctb_stats_subtract(&op, &base, &net);
	ok(net.median == 40 && net.ci_lo == 40 && net.ci_hi == 40,
	   "zero-width inputs give a zero-width net CI");
}

static void test_noop(void)
{
	/* op median, lo, hi; base median, lo, hi; resolution; no-op? */
	static const struct {
		double op[3], base[3], res;
		int noop;
		const char *what;
	} c[] = {
		{ { 10.2, 9, 11.5 }, { 10, 9.5, 10.8 }, 1.0, 1,
		  "overlapping CIs, diff 0.2 < resolution 1: no-op" },
		{ { 20, 19, 21 }, { 10, 9.5, 10.8 }, 1.0, 0,
		  "disjoint CIs (19..21 vs 9.5..10.8): not a no-op" },
		{ { 12, 10.5, 12.2 }, { 10, 9.5, 10.8 }, 1.0, 0,
		  "overlap but diff 2 > max(1, 0.85): not a no-op" },
		{ { 10.5, 10.4, 10.6 }, { 10, 9.9, 10.45 }, 1.0, 1,
		  "diff 0.5 below a 1 ns resolution: no-op" },
		{ { 10.5, 10.4, 10.6 }, { 10, 9.9, 10.45 }, 0.1, 0,
		  "same data, 0.1 ns resolution: diff 0.5 > 0.275, not a no-op" },
		{ { 10, 10, 10 }, { 10, 10, 10 }, 0.0, 1,
		  "identical zero-spread data is a no-op even at resolution 0" },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct ctb_stats op = mk(c[i].op[0], c[i].op[1], c[i].op[2]);
		struct ctb_stats base = mk(c[i].base[0], c[i].base[1],
					   c[i].base[2]);

		ok(ctb_stats_is_noop(&op, &base, c[i].res) == c[i].noop, "%s",
		   c[i].what);
	}
}

/*
 * Empirical coverage: 4000 data sets of n = 31 from an exponential
 * distribution (true median ln 2). The n = 31 interval (ranks 10, 22) has
 * exact coverage 97.06%; the observed rate must be >= 95.5% (3 binomial
 * sd below 97.06% is 96.2%, so this only fails on a real defect).
 */
static void test_ci_coverage(void)
{
	uint64_t st = 12345;
	int hit = 0, sets = 4000, i, j;
	double x[31];
	struct ctb_stats s;

	for (i = 0; i < sets; i++) {
		for (j = 0; j < 31; j++) {
			st = st * 6364136223846793005ULL + 1442695040888963407ULL;
			x[j] = -log(((double)(st >> 11) + 0.5) /
				    9007199254740992.0);
		}
		ctb_stats_compute(x, 31, &s);
		hit += s.ci_lo <= M_LN2 && M_LN2 <= s.ci_hi;
	}
	diag("median CI coverage %d/%d = %.2f%% (exact 97.06%%)", hit, sets,
	     100.0 * hit / sets);
	ok(hit >= sets * 955 / 1000 && hit <= sets * 985 / 1000,
	   "95%% CI of the median covers the true median in 95.5..98.5%%");
}

static void test_ci_wide(void)
{
	struct ctb_stats s = mk(100, 95, 106);

	ok(ctb_stats_ci_wide(&s) == 1, "CI width 11 on median 100 is wide");
	s = mk(100, 96, 104);
	ok(ctb_stats_ci_wide(&s) == 0, "CI width 8 on median 100 is not");
}

int main(void)
{
	test_medians();
	test_moments();
	test_mad_iqr();
	test_ci_ranks();
	test_ci_values();
	test_outliers();
	test_errors();
	test_subtract();
	test_noop();
	test_ci_wide();
	test_ci_coverage();
	return tap_done();
}
