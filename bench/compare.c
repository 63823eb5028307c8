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
 *
 * Replicated comparison (ctb_compare_batch; what `compare` and `report A B`
 * print). The unit is the round (stats.c), never the sample:
 *
 * - per row, the round nets of A and B (op minus matched control, ns per
 *   iteration). Difference = median net B - median net A, with a seeded
 *   percentile bootstrap 95% CI (2000 resamples of the rounds of each
 *   side). The change in % is the difference over |net A|, and only when
 *   net A is above its noise floor (nothing is divided by a value at or
 *   below the floor).
 * - test: Welch's two-sided t-test on the round nets (Welch-Satterthwaite
 *   degrees of freedom, Student t tail from the regularised incomplete
 *   beta function). Rows with fewer than 2 rounds on a side are not tested.
 *   p is the plain test (difference 0); the verdict uses p_band, the same
 *   test after moving B's rounds toward A by the row's minimum effect
 *   (below), i.e. "the change is larger than the drift band", and 1 when
 *   the medians then cross.
 * - multiple comparisons: Benjamini-Hochberg on p_band over the tested rows of the
 *   batch, false discovery rate 5% (when no row changed, as in A against
 *   A, this is also the chance of any false "changed" row): sort the m
 *   p-values ascending, adj_(k) = min over j >= k of min(1, m p_(j) / j).
 *   (Holm's family-wise method, ctb_holm(), is kept for reference: with
 *   ~150 rows and 6 rounds it could not detect even a doubling in rows
 *   with a 30% round-to-round spread; BH can when several rows change.)
 * - control drift D between the sets: the 90th percentile of
 *   |ctrl_B / ctrl_A - 1| over the matched controls of all rows (each row's
 *   control is an empty call after the row's own preparation; the nop row
 *   is one of them). It measures how much the machine or emulator itself
 *   moved between the two sets.
 * - minimum effect of a row: the largest of its two noise floors, the
 *   change of its own control |ctrl_B - ctrl_A|, and D times
 *   max(|net A|, |net B|).
 * - verdict: "faster"/"slower" only when the BH-adjusted p_band < 0.05
 *   AND at least one side is above its floor; otherwise "no significant
 *   difference", with the reason (too few rounds, both below floor, not
 *   significant, within drift = significant only without the band).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "names.h"
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

/*
 * One bootstrap draw: @na values resampled from @a into @wa, then @nb from
 * @b into @wb (that order of @rng), and the medians of both.
 */
static void boot_medians(struct rng *rng, const double *a, size_t na,
			 double *wa, const double *b, size_t nb, double *wb,
			 double *ma, double *mb)
{
	size_t i;

	for (i = 0; i < na; i++)
		wa[i] = a[rng_below(rng, na)];
	for (i = 0; i < nb; i++)
		wb[i] = b[rng_below(rng, nb)];
	*ma = median_inplace(wa, na);
	*mb = median_inplace(wb, nb);
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
	size_t r, klo, khi;
	struct rng rng;
	int ret = -ENOMEM;

	if (!a || !b || !out || !na || !nb || !ctb_all_finite(a, na) ||
	    !ctb_all_finite(b, nb))
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

		boot_medians(&rng, a, na, wa, b, nb, wb, &ma, &mb);
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

/* Indexed by the verdict + 1: CTB_FASTER is -1. */
const char *ctb_verdict_name(enum ctb_verdict v)
{
	static const char *const n[] = {
		[CTB_FASTER + 1] = "faster",
		[CTB_SLOWER + 1] = "slower",
	};

	return CTB_NAME(n, (long long)v + 1, "no significant difference");
}

/* ---------------------------------------------------------------------
 * Replicated comparison
 */

#define CTB_FDR_Q		0.05
#define CTB_MAX_ROUNDS_CMP	CTB_MAX_ROUNDS
#define CTB_DRIFT_Q		0.90
#define CTB_BETA_EPS		1e-15
#define CTB_BETA_ITER		300

#define CTB_BETA_TINY		1e-300

/* One modified-Lentz step with coefficient @num: new C and D, returns D*C. */
static double lentz_step(double num, double *c, double *d)
{
	*d = 1.0 + num * *d;
	if (fabs(*d) < CTB_BETA_TINY)
		*d = CTB_BETA_TINY;
	*c = 1.0 + num / *c;
	if (fabs(*c) < CTB_BETA_TINY)
		*c = CTB_BETA_TINY;
	*d = 1.0 / *d;
	return *d * *c;
}

/* Continued fraction of the incomplete beta function (modified Lentz). */
static double beta_cf(double a, double b, double x)
{
	double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0), h;
	int m;

	if (fabs(d) < CTB_BETA_TINY)
		d = CTB_BETA_TINY;
	d = 1.0 / d;
	h = d;
	for (m = 1; m <= CTB_BETA_ITER; m++) {
		double m2 = 2.0 * m, num, del;

		/* the even term, then the odd one */
		num = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
		h *= lentz_step(num, &c, &d);
		num = -(a + m) * (a + b + m) * x /
		      ((a + m2) * (a + m2 + 1.0));
		del = lentz_step(num, &c, &d);
		h *= del;
		if (fabs(del - 1.0) < CTB_BETA_EPS)
			break;
	}
	return h;
}

/* Regularised incomplete beta I_x(a, b), 0 <= x <= 1. */
static double ibeta(double a, double b, double x)
{
	double lbt;

	if (x <= 0.0)
		return 0.0;
	if (x >= 1.0)
		return 1.0;
	lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) +
	      b * log1p(-x);
	if (x < (a + 1.0) / (a + b + 2.0))
		return exp(lbt) * beta_cf(a, b, x) / a;
	return 1.0 - exp(lbt) * beta_cf(b, a, 1.0 - x) / b;
}

static void mean_var(const double *x, size_t n, double *m, double *v)
{
	double s = 0.0, ss = 0.0;
	size_t i;

	for (i = 0; i < n; i++)
		s += x[i];
	*m = s / (double)n;
	for (i = 0; i < n; i++)
		ss += (x[i] - *m) * (x[i] - *m);
	*v = n > 1 ? ss / (double)(n - 1) : 0.0;
}

double ctb_welch_p(const double *a, size_t na, const double *b, size_t nb)
{
	double ma, va, mb, vb, sa, sb, se2, t, df;

	if (!a || !b || na < 2 || nb < 2)
		return NAN;
	mean_var(a, na, &ma, &va);
	mean_var(b, nb, &mb, &vb);
	sa = va / (double)na;
	sb = vb / (double)nb;
	se2 = sa + sb;
	if (!(se2 > 0.0))
		return ma == mb ? 1.0 : 0.0;
	t = (mb - ma) / sqrt(se2);
	df = se2 * se2 / (sa * sa / (double)(na - 1) +
			  sb * sb / (double)(nb - 1));
	/* two-sided: P(|T| > |t|) = I_{df / (df + t^2)}(df / 2, 1 / 2) */
	return ibeta(df / 2.0, 0.5, df / (df + t * t));
}

struct pidx {
	double p;
	size_t i;
};

static int cmp_pidx(const void *x, const void *y)
{
	const struct pidx *a = x, *b = y;

	if (a->p != b->p)
		return (a->p > b->p) - (a->p < b->p);
	return (a->i > b->i) - (a->i < b->i);
}

/*
 * adj[] all NaN, then the non-NaN p values with their index, sorted by
 * p, into a new array of *m. NULL when out of memory: adj is then
 * Bonferroni, which neither Holm nor BH ever exceeds.
 */
static struct pidx *sorted_p(const double *p, size_t n, double *adj,
			     size_t *m)
{
	struct pidx *v;
	size_t i;

	*m = 0;
	for (i = 0; i < n; i++)
		adj[i] = NAN;
	v = malloc((n ? n : 1) * sizeof(*v));
	if (!v) {
		for (i = 0; i < n; i++)
			if (!isnan(p[i]))
				adj[i] = fmin(1.0, p[i] * (double)n);
		return NULL;
	}
	for (i = 0; i < n; i++)
		if (!isnan(p[i]))
			v[(*m)++] = (struct pidx){ p[i], i };
	qsort(v, *m, sizeof(*v), cmp_pidx);
	return v;
}

void ctb_holm(const double *p, size_t n, double *adj)
{
	size_t m, i;
	double run = 0.0;
	struct pidx *v = sorted_p(p, n, adj, &m);

	if (!v)
		return;
	for (i = 0; i < m; i++) {
		double a = fmin(1.0, (double)(m - i) * v[i].p);

		if (a > run)
			run = a;
		adj[v[i].i] = run;
	}
	free(v);
}

void ctb_bh(const double *p, size_t n, double *adj)
{
	size_t m, i;
	double run = 1.0;
	struct pidx *v = sorted_p(p, n, adj, &m);

	if (!v)
		return;
	for (i = m; i-- > 0;) {
		double a = fmin(1.0, (double)m * v[i].p / (double)(i + 1));

		if (a < run)
			run = a;
		adj[v[i].i] = run;
	}
	free(v);
}

double ctb_control_drift(const double *ctrl_a, const double *ctrl_b,
			 size_t n)
{
	double *d, h, r;
	size_t m = 0, i, lo;

	if (!ctrl_a || !ctrl_b || !n)
		return 0.0;
	d = malloc(n * sizeof(*d));
	if (!d)
		return 0.0;
	for (i = 0; i < n; i++)
		if (ctrl_a[i] > 0.0 && isfinite(ctrl_b[i]))
			d[m++] = fabs(ctrl_b[i] / ctrl_a[i] - 1.0);
	if (!m) {
		free(d);
		return 0.0;
	}
	qsort(d, m, sizeof(*d), cmp_double);
	h = (double)(m - 1) * CTB_DRIFT_Q;
	lo = (size_t)floor(h);
	r = lo + 1 < m ? d[lo] + (h - (double)lo) * (d[lo + 1] - d[lo]) :
			 d[m - 1];
	free(d);
	return r;
}

/* Bootstrap 95% CI of median(b*) - median(a*) over rounds. */
static int diff_ci(const double *a, size_t na, const double *b, size_t nb,
		   uint64_t seed, double *lo, double *hi)
{
	double *wa = malloc(na * sizeof(*wa)), *wb = malloc(nb * sizeof(*wb));
	double *d = malloc(CTB_BOOT_B * sizeof(*d));
	struct rng rng;
	size_t r, k;

	if (!wa || !wb || !d) {
		free(wa);
		free(wb);
		free(d);
		return -ENOMEM;
	}
	rng_seed(&rng, seed);
	for (r = 0; r < CTB_BOOT_B; r++) {
		double ma, mb;

		boot_medians(&rng, a, na, wa, b, nb, wb, &ma, &mb);
		d[r] = mb - ma;
	}
	qsort(d, CTB_BOOT_B, sizeof(*d), cmp_double);
	k = (size_t)(0.025 * CTB_BOOT_B);
	*lo = d[k];
	*hi = d[CTB_BOOT_B - 1 - k];
	free(wa);
	free(wb);
	free(d);
	return 0;
}

/* Minimum effect of a row (see the method above). */
static double min_effect(const struct ctb_rside *a, const struct ctb_rside *b,
			 double drift)
{
	double big = fmax(fabs(a->net), fabs(b->net));
	double m = fmax(fmax(a->floor, b->floor),
			fmax(fabs(b->ctrl - a->ctrl), drift * big));

	return isfinite(m) ? m : INFINITY;
}

/*
 * Welch p of "the difference exceeds the band +-m": B's rounds moved
 * toward A by m (in the direction of the observed change) and tested
 * against A. A difference inside the band gives p >= 0.5 or so.
 */
static double band_p(const struct ctb_rside *a, const struct ctb_rside *b,
		     double diff, double m)
{
	double sh[CTB_MAX_ROUNDS_CMP];
	size_t i;

	if (a->n < 2 || b->n < 2 || b->n > CTB_MAX_ROUNDS_CMP)
		return NAN;
	if (!isfinite(m))
		return 1.0;
	for (i = 0; i < b->n; i++)
		sh[i] = b->nets[i] - (diff > 0 ? m : -m);
	if ((diff > 0) != (ctb_median_of_copy(sh, b->n) >
			   ctb_median_of_copy(a->nets, a->n)))
		return 1.0;	/* shifting crossed over: inside the band */
	return ctb_welch_p(a->nets, a->n, sh, b->n);
}

static void decide(struct ctb_rcmp *c, const struct ctb_rside *a,
		   const struct ctb_rside *b)
{
	c->verdict = CTB_SAME;
	if (a->n < 2 || b->n < 2) {
		c->why = CTB_WHY_ROUNDS;
	} else if (a->below && b->below) {
		c->why = CTB_WHY_FLOOR;
	} else if (!(c->p_adj < CTB_FDR_Q)) {
		/*
		 * "within drift" only when the plain test passes and the
		 * test beyond the band fails before any adjustment; failing
		 * only after the adjustment is "not significant".
		 */
		c->why = c->p < CTB_FDR_Q && !(c->p_band < CTB_FDR_Q) ?
			 CTB_WHY_EFFECT : CTB_WHY_TEST;
	} else {
		c->why = CTB_WHY_CHANGED;
		c->verdict = c->diff > 0 ? CTB_SLOWER : CTB_FASTER;
	}
}

int ctb_compare_batch(const struct ctb_rside *a, const struct ctb_rside *b,
		      size_t n, uint64_t seed, struct ctb_rcmp *out,
		      double *drift)
{
	return ctb_compare_batch_drift(a, b, n, seed, NAN, out, drift);
}

int ctb_compare_batch_drift(const struct ctb_rside *a,
			    const struct ctb_rside *b, size_t n,
			    uint64_t seed, double drift_in,
			    struct ctb_rcmp *out, double *drift)
{
	double *p = NULL, *adj = NULL, *ca = NULL, *cb = NULL, d;
	size_t i, k;
	int ret = -ENOMEM;

	if (!a || !b || !out || !n)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if ((a[i].n && !a[i].nets) || (b[i].n && !b[i].nets))
			return -EINVAL;
		for (k = 0; k < a[i].n; k++)
			if (!isfinite(a[i].nets[k]))
				return -EINVAL;
		for (k = 0; k < b[i].n; k++)
			if (!isfinite(b[i].nets[k]))
				return -EINVAL;
	}
	p = calloc(n, sizeof(*p));
	adj = calloc(n, sizeof(*adj));
	ca = calloc(n, sizeof(*ca));
	cb = calloc(n, sizeof(*cb));
	if (!p || !adj || !ca || !cb)
		goto out;
	for (i = 0; i < n; i++) {
		struct ctb_rcmp *c = &out[i];

		memset(c, 0, sizeof(*c));
		c->net_a = a[i].net;
		c->net_b = b[i].net;
		c->diff = b[i].net - a[i].net;
		c->diff_lo = c->diff_hi = c->diff;
		if (a[i].n && b[i].n &&
		    diff_ci(a[i].nets, a[i].n, b[i].nets, b[i].n,
			    seed ^ (uint64_t)i, &c->diff_lo, &c->diff_hi))
			goto out;
		c->pct = c->pct_lo = c->pct_hi = NAN;
		if (!a[i].below && fabs(a[i].net) > 0.0) {
			double base = fabs(a[i].net);

			c->pct = c->diff / base * 100.0;
			c->pct_lo = c->diff_lo / base * 100.0;
			c->pct_hi = c->diff_hi / base * 100.0;
		}
		c->p = ctb_welch_p(a[i].nets, a[i].n, b[i].nets, b[i].n);
		ca[i] = a[i].ctrl;
		cb[i] = b[i].ctrl;
	}
	d = drift_in >= 0.0 ? drift_in : ctb_control_drift(ca, cb, n);
	for (i = 0; i < n; i++) {
		out[i].min_effect = min_effect(&a[i], &b[i], d);
		p[i] = band_p(&a[i], &b[i], out[i].diff, out[i].min_effect);
		out[i].p_band = p[i];
	}
	ctb_bh(p, n, adj);
	for (i = 0; i < n; i++) {
		out[i].p_adj = adj[i];
		decide(&out[i], &a[i], &b[i]);
	}
	if (drift)
		*drift = d;
	ret = 0;
out:
	free(p);
	free(adj);
	free(ca);
	free(cb);
	return ret;
}

const char *ctb_why_name(enum ctb_why w)
{
	static const char *const n[] = {
		[CTB_WHY_CHANGED] = "changed",
		[CTB_WHY_ROUNDS] = "too few rounds",
		[CTB_WHY_FLOOR] = "below floor",
		[CTB_WHY_TEST] = "not significant",
		[CTB_WHY_EFFECT] = "within drift",
	};

	return CTB_NAME(n, w, "?");
}
