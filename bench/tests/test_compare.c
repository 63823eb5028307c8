// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for bench/compare.c: Mann-Whitney p-values against values
 * computed by hand from the formula, verdicts on synthetic data,
 * reproducibility of the seeded bootstrap, false-positive rate.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "stats.h"
#include "lcg.h"
#include "tap.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Skewed, timing-like: 100 + exponential(10) + rare large spikes. */
static double timing(struct lcg *g)
{
	double v = 100.0 - 10.0 * log(unif(g));

	if (unif(g) < 0.02)
		v += 500.0 * unif(g);
	return v;
}

static void fill(double *x, size_t n, uint64_t seed)
{
	struct lcg g = { seed };
	size_t i;

	for (i = 0; i < n; i++)
		x[i] = timing(&g);
}

static void test_mw_hand(void)
{
	const double a1[] = { 1, 2, 3 }, b1[] = { 4, 5, 6 };
	const double a2[] = { 1, 2, 2 }, b2[] = { 2, 3, 4 };
	const double a3[] = { 1, 3, 5, 7, 9 }, b3[] = { 2, 4, 6, 8, 10, 12 };
	struct ctb_cmp c;

	/* U = 0, mu 4.5, var 5.25, z = 4 / sqrt(5.25), p = 0.0808556 */
	ok(!ctb_compare_samples(a1, 3, b1, 3, 1, &c),
	   "compare {1,2,3} vs {4,5,6}");
	ok_near(c.p_value, 0.0808555983700523, 1e-9,
		"p = 0.08086 (normal approx., continuity corrected)");
	ok(c.verdict == CTB_SAME,
	   "not significant at p = 0.08 despite complete separation");
	/* ties: pooled ranks 1, (2,3,4)->3, 5, 6; U = 1; var 4.65 */
	ok(!ctb_compare_samples(a2, 3, b2, 3, 1, &c) &&
	   fabs(c.p_value - 0.16415972847851523) < 1e-9,
	   "tie-corrected p for {1,2,2} vs {2,3,4} = 0.16416 (got %.6f)",
	   c.p_value);
	ok(!ctb_compare_samples(a3, 5, b3, 6, 1, &c) &&
	   fabs(c.p_value - 0.41131379177625904) < 1e-9,
	   "unequal sizes 5 vs 6: p = 0.41131 (got %.6f)", c.p_value);
	ok(c.median_a == 5.0 && c.median_b == 7.0 &&
	   fabs(c.ratio - 1.4) < 1e-12, "medians 5 and 7 (even n), ratio 1.4");
}

static void test_identical(void)
{
	double a[200];
	struct ctb_cmp c;

	fill(a, N_OF(a), 42);
	ok(!ctb_compare_samples(a, 200, a, 200, 7, &c),
	   "compare a set with itself");
	ok(c.p_value == 1.0 && c.ratio == 1.0, "identical: p = 1, ratio 1");
	ok(c.ratio_lo <= 1.0 && c.ratio_hi >= 1.0 && c.verdict == CTB_SAME,
	   "identical: CI [%.3f, %.3f] contains 1, no significant difference",
	   c.ratio_lo, c.ratio_hi);
	ok(!strcmp(ctb_verdict_name(c.verdict), "no significant difference"),
	   "verdict name");
}

static void test_shifted(void)
{
	double a[150], b[150];
	struct ctb_cmp c;
	size_t i;

	fill(a, N_OF(a), 1);
	fill(b, N_OF(b), 2);
	for (i = 0; i < N_OF(b); i++)
		b[i] *= 2.0;
	ok(!ctb_compare_samples(a, 150, b, 150, 99, &c), "compare a with 2x");
	ok(c.verdict == CTB_SLOWER && c.p_value < 1e-6,
	   "2x: slower, p = %.3g", c.p_value);
	ok(c.ratio_lo <= 2.0 && c.ratio_hi >= 2.0 && c.ratio_lo > 1.0,
	   "2x: ratio CI [%.3f, %.3f] contains 2, excludes 1", c.ratio_lo,
	   c.ratio_hi);
	ok(fabs(c.diff_pct - (c.ratio - 1) * 100) < 1e-9 &&
	   fabs(c.diff_lo_pct - (c.ratio_lo - 1) * 100) < 1e-9,
	   "diff %% = (ratio - 1) * 100");

	ok(!ctb_compare_samples(b, 150, a, 150, 99, &c) &&
	   c.verdict == CTB_FASTER && c.ratio_lo <= 0.5 &&
	   c.ratio_hi >= 0.5 && c.ratio_hi < 1.0,
	   "reversed: faster, ratio CI [%.3f, %.3f] contains 0.5",
	   c.ratio_lo, c.ratio_hi);
}

static void test_seeded(void)
{
	double a[120], b[130];
	struct ctb_cmp c1, c2, c3;

	fill(a, N_OF(a), 5);
	fill(b, N_OF(b), 6);
	ok(!ctb_compare_samples(a, 120, b, 130, 1234, &c1) &&
	   !ctb_compare_samples(a, 120, b, 130, 1234, &c2),
	   "two runs with seed 1234");
	ok(c1.ratio_lo == c2.ratio_lo && c1.ratio_hi == c2.ratio_hi &&
	   c1.p_value == c2.p_value && c1.verdict == c2.verdict,
	   "same seed: identical bootstrap CI [%.6f, %.6f]", c1.ratio_lo,
	   c1.ratio_hi);
	ok(!ctb_compare_samples(a, 120, b, 130, 4321, &c3) &&
	   (c3.ratio_lo != c1.ratio_lo || c3.ratio_hi != c1.ratio_hi),
	   "another seed resamples differently");
	ok(c3.ratio == c1.ratio && c3.p_value == c1.p_value,
	   "the seed affects only the bootstrap, not ratio or p");
}

/*
 * The bootstrap is integer PRNG + order statistics of the input values,
 * so a seed must give bit-identical bounds on every arch (x86_64, arm64,
 * riscv64). Golden values from x86_64; ratio bounds are ratios of two
 * input values, compared exactly; p goes through libm erfc (tolerance).
 */
static void test_golden(void)
{
	double a[50], b[45];
	struct ctb_cmp c;
	int i;

	for (i = 0; i < 50; i++)
		a[i] = 100.0 + i * 1.25 + (i % 7) * 3.0;
	for (i = 0; i < 45; i++)
		b[i] = 110.0 + i * 1.5 + (i % 5) * 2.5;
	ok(!ctb_compare_samples(a, 50, b, 45, 2026, &c), "golden data set");
	ok(c.ratio_lo == 0x1.f286bca1af287p-1 &&
	   c.ratio_hi == 0x1.28ec03ce8354bp+0,
	   "seed 2026: CI [%a, %a] bit-identical to the reference", c.ratio_lo,
	   c.ratio_hi);
	ok(fabs(c.p_value - 0.055890093439188229) < 1e-12 &&
	   c.verdict == CTB_SAME,
	   "p = 0.05589 (not significant), CI includes 1");
}

/*
 * Type I error: 200 pairs drawn from the same distribution. The verdict
 * needs p < 0.05 and a CI excluding 1, so at most ~5% should be called
 * significant; allow 10% (binomial sd at 5% is ~1.5%).
 */
static void test_false_positive_rate(void)
{
	double a[60], b[60];
	struct ctb_cmp c;
	int sig = 0, psig = 0, pairs = 200, i, err = 0;

	for (i = 0; i < pairs; i++) {
		fill(a, N_OF(a), 1000 + 2 * (uint64_t)i);
		fill(b, N_OF(b), 1001 + 2 * (uint64_t)i);
		err |= ctb_compare_samples(a, 60, b, 60, (uint64_t)i, &c);
		sig += c.verdict != CTB_SAME;
		psig += c.p_value < 0.05;
	}
	diag("same distribution: %d/%d significant, %d/%d with p < 0.05",
	     sig, pairs, psig, pairs);
	ok(!err && sig <= pairs / 10,
	   "false positives %d/%d <= 10%%", sig, pairs);
	ok(psig <= pairs / 10, "Mann-Whitney p < 0.05 in %d/%d <= 10%%", psig,
	   pairs);
}

/*
 * Coverage and power of the bootstrap ratio CI: 200 pairs, b drawn from
 * the same skewed distribution scaled by 1.5, n = 60 each. The true ratio
 * of medians is exactly 1.5. Percentile bootstrap CIs of a median
 * under-cover a little at this n, so require >= 88%; every pair must be
 * detected as slower (the 50% shift is many CI widths).
 */
static void test_ratio_coverage(void)
{
	double a[60], b[60];
	struct ctb_cmp c;
	int pairs = 200, cover = 0, slower = 0, i, err = 0;
	size_t k;

	for (i = 0; i < pairs; i++) {
		fill(a, 60, 5000 + 2 * (uint64_t)i);
		fill(b, 60, 5001 + 2 * (uint64_t)i);
		for (k = 0; k < 60; k++)
			b[k] *= 1.5;
		err |= ctb_compare_samples(a, 60, b, 60, (uint64_t)i, &c);
		cover += c.ratio_lo <= 1.5 && 1.5 <= c.ratio_hi;
		slower += c.verdict == CTB_SLOWER;
	}
	diag("ratio 1.5: CI covers in %d/%d, slower in %d/%d", cover, pairs,
	     slower, pairs);
	ok(!err && cover >= pairs * 88 / 100,
	   "bootstrap ratio CI covers the true ratio in >= 88%% (%d/%d)",
	   cover, pairs);
	ok(slower == pairs, "a 1.5x slowdown is detected in every pair");
}

/* Medians from the quickselect path agree with the sorting path. */
static void test_medians(void)
{
	struct lcg g = { 77 };
	int bad = 0;
	size_t n, i;

	for (n = 1; n <= 64; n++) {
		double x[64];
		struct ctb_stats s;
		struct ctb_cmp c;

		for (i = 0; i < n; i++)	/* many ties: values 0..7 + 1 */
			x[i] = 1.0 + floor(unif(&g) * 8.0);
		if (ctb_stats_compute(x, n, &s) ||
		    ctb_compare_samples(x, n, x, n, 3, &c) ||
		    c.median_a != s.median || c.median_b != s.median)
			bad++;
	}
	ok(!bad, "compare medians equal sorted medians for n = 1..64 (ties)");
}

static void test_errors(void)
{
	const double a[] = { 1, 2, 3 }, z[] = { -1, 0, 0 };
	const double nan_[] = { 1, NAN };
	struct ctb_cmp c;

	ok(ctb_compare_samples(a, 0, a, 3, 1, &c) == -EINVAL, "na = 0");
	ok(ctb_compare_samples(a, 3, a, 0, 1, &c) == -EINVAL, "nb = 0");
	ok(ctb_compare_samples(z, 3, a, 3, 1, &c) == -EINVAL,
	   "median of a <= 0: no ratio, -EINVAL");
	ok(ctb_compare_samples(nan_, 2, a, 3, 1, &c) == -EINVAL,
	   "NaN sample: -EINVAL");
}

static void test_all_tied(void)
{
	const double a[] = { 5, 5, 5, 5, 5, 5, 5, 5 };
	struct ctb_cmp c;

	ok(!ctb_compare_samples(a, 8, a, 8, 1, &c) && c.p_value == 1.0 &&
	   c.verdict == CTB_SAME && c.ratio_lo == 1.0 && c.ratio_hi == 1.0,
	   "all values tied: p = 1, CI [1, 1], same");
}

int main(void)
{
	test_mw_hand();
	test_identical();
	test_shifted();
	test_seeded();
	test_golden();
	test_false_positive_rate();
	test_ratio_coverage();
	test_medians();
	test_errors();
	test_all_tied();
	return tap_done();
}
