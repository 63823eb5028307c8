// SPDX-License-Identifier: GPL-2.0
/*
 * ctbench two-sample comparison of timing samples (a = before, b = after).
 *
 * Timing data is skewed (long right tail from interrupts, cache misses,
 * emulation), so nothing here assumes normality:
 *
 * - p-value: two-sided Mann-Whitney U (Wilcoxon rank-sum). Pooled samples
 *   get average ranks for ties; U_a = R_a - n_a (n_a + 1) / 2. Normal
 *   approximation with tie correction:
 *     mu = n_a n_b / 2,
 *     sigma^2 = n_a n_b / 12 * ((N + 1) - sum(t^3 - t) / (N (N - 1)))
 *   (t = size of each tie group, N = n_a + n_b) and a 0.5 continuity
 *   correction: z = max(0, |U_a - mu| - 0.5) / sigma, p = erfc(z / sqrt 2).
 *   All values tied (sigma = 0) gives p = 1. The approximation is poor
 *   below ~8 samples per side; the verdict then also needs the CI.
 * - effect size: ratio of medians b / a with a percentile bootstrap 95% CI:
 *   B = 2000 replicates, each resampling a and b independently with
 *   replacement (same sizes) and taking median(b*) / median(a*); the CI is
 *   the 2.5% and 97.5% order statistics (ranks 51 and 1950 of 2000). The
 *   PRNG is xoshiro256** seeded through splitmix64 from the caller's seed,
 *   with unbiased bounded draws (rejection), so a seed reproduces the
 *   result bit for bit on every arch.
 * - verdict: significant only when p < 0.05 AND the ratio CI excludes 1;
 *   then "slower" when the CI is above 1 (b takes longer), "faster" when
 *   below; otherwise "no significant difference".
 * - diff_pct = (ratio - 1) * 100, with its CI from the ratio CI.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "stats.h"

#define CTB_BOOT_B	2000
#define CTB_P_SIG	0.05

struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t res = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

/* Uniform in [0, n), n > 0, without modulo bias. */
static size_t rng_below(struct rng *r, size_t n)
{
	uint64_t bound = (uint64_t)n;
	uint64_t thresh = (0 - bound) % bound;	/* 2^64 mod n */
	uint64_t x;

	do {
		x = rng_next(r);
	} while (x < thresh);
	return (size_t)(x % bound);
}

/* Partially order v so that v[k] is the k-th smallest (0-based). */
static void select_kth(double *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;

	while (lo < hi) {
		double pivot = v[lo + (hi - lo) / 2];
		size_t i = lo, j = hi;

		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				double t = v[i];

				v[i] = v[j];
				v[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return;
	}
}

/* Median of v[0..n-1] (n > 0), reordering v. */
static double median_inplace(double *v, size_t n)
{
	size_t k = n / 2, i;
	double m, lower;

	select_kth(v, n, k);
	m = v[k];
	if (n & 1)
		return m;
	/* even n: the lower middle is the largest element left of k */
	lower = v[0];
	for (i = 1; i < k; i++)
		if (v[i] > lower)
			lower = v[i];
	return (lower + m) / 2.0;
}

struct tagged {
	double v;
	int grp;
};

static int cmp_tagged(const void *a, const void *b)
{
	double x = ((const struct tagged *)a)->v;
	double y = ((const struct tagged *)b)->v;

	return (x > y) - (x < y);
}

static int mann_whitney_p(const double *a, size_t na, const double *b,
			  size_t nb, double *p)
{
	size_t n = na + nb, i, j;
	struct tagged *t = malloc(n * sizeof(*t));
	double ra = 0.0, ties = 0.0, u, mu, var, z;

	if (!t)
		return -ENOMEM;
	for (i = 0; i < na; i++)
		t[i] = (struct tagged){ a[i], 0 };
	for (i = 0; i < nb; i++)
		t[na + i] = (struct tagged){ b[i], 1 };
	qsort(t, n, sizeof(*t), cmp_tagged);
	for (i = 0; i < n; i = j) {
		double rank, cnt;

		for (j = i + 1; j < n && t[j].v == t[i].v; j++)
			;
		/* 1-based ranks i+1 .. j share their average */
		rank = ((double)(i + 1) + (double)j) / 2.0;
		cnt = (double)(j - i);
		ties += cnt * cnt * cnt - cnt;
		for (size_t k = i; k < j; k++)
			if (!t[k].grp)
				ra += rank;
	}
	free(t);

	u = ra - (double)na * ((double)na + 1.0) / 2.0;
	mu = (double)na * (double)nb / 2.0;
	var = (double)na * (double)nb / 12.0 *
	      (((double)n + 1.0) - ties / ((double)n * ((double)n - 1.0)));
	if (n < 2 || !(var > 0.0)) {
		*p = 1.0;
		return 0;
	}
	z = fmax(0.0, fabs(u - mu) - 0.5) / sqrt(var);
	*p = erfc(z / sqrt(2.0));
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double safe_ratio(double mb, double ma)
{
	if (ma > 0.0)
		return mb / ma;
	if (mb > 0.0)
		return INFINITY;
	if (mb < 0.0)
		return -INFINITY;
	return 1.0;
}

int ctb_compare_samples(const double *a, size_t na, const double *b, size_t nb,
			uint64_t seed, struct ctb_cmp *out)
{
	double *wa = NULL, *wb = NULL, *ratios = NULL;
	size_t i, r, klo, khi;
	struct rng rng;
	int ret = -ENOMEM;

	if (!a || !b || !out || !na || !nb)
		return -EINVAL;
	for (i = 0; i < na; i++)
		if (!isfinite(a[i]))
			return -EINVAL;
	for (i = 0; i < nb; i++)
		if (!isfinite(b[i]))
			return -EINVAL;

	wa = malloc(na * sizeof(*wa));
	wb = malloc(nb * sizeof(*wb));
	ratios = malloc(CTB_BOOT_B * sizeof(*ratios));
	if (!wa || !wb || !ratios)
		goto out;

	memset(out, 0, sizeof(*out));
	memcpy(wa, a, na * sizeof(*wa));
	memcpy(wb, b, nb * sizeof(*wb));
	out->median_a = median_inplace(wa, na);
	out->median_b = median_inplace(wb, nb);
	if (!(out->median_a > 0.0)) {
		ret = -EINVAL;
		goto out;
	}
	out->ratio = out->median_b / out->median_a;

	ret = mann_whitney_p(a, na, b, nb, &out->p_value);
	if (ret)
		goto out;

	rng_seed(&rng, seed);
	for (r = 0; r < CTB_BOOT_B; r++) {
		double ma, mb;

		for (i = 0; i < na; i++)
			wa[i] = a[rng_below(&rng, na)];
		for (i = 0; i < nb; i++)
			wb[i] = b[rng_below(&rng, nb)];
		ma = median_inplace(wa, na);
		mb = median_inplace(wb, nb);
		ratios[r] = safe_ratio(mb, ma);
	}
	qsort(ratios, CTB_BOOT_B, sizeof(*ratios), cmp_double);
	klo = (size_t)(0.025 * CTB_BOOT_B);		/* 50: rank 51 */
	khi = CTB_BOOT_B - 1 - klo;			/* 1949: rank 1950 */
	out->ratio_lo = ratios[klo];
	out->ratio_hi = ratios[khi];

	out->diff_pct = (out->ratio - 1.0) * 100.0;
	out->diff_lo_pct = (out->ratio_lo - 1.0) * 100.0;
	out->diff_hi_pct = (out->ratio_hi - 1.0) * 100.0;

	out->verdict = CTB_SAME;
	if (out->p_value < CTB_P_SIG) {
		if (out->ratio_lo > 1.0)
			out->verdict = CTB_SLOWER;
		else if (out->ratio_hi < 1.0)
			out->verdict = CTB_FASTER;
	}
	ret = 0;
out:
	free(ratios);
	free(wb);
	free(wa);
	return ret;
}

const char *ctb_verdict_name(enum ctb_verdict v)
{
	switch (v) {
	case CTB_FASTER:
		return "faster";
	case CTB_SLOWER:
		return "slower";
	default:
		return "no significant difference";
	}
}
