/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctbench two-sample comparison: Mann-Whitney U (p-value) plus a seeded
 * bootstrap 95% CI of the ratio of medians b/a.
 */
#ifndef CTB_COMPARE_H
#define CTB_COMPARE_H

#include <stddef.h>
#include <stdint.h>

enum ctb_verdict { CTB_FASTER = -1, CTB_SAME = 0, CTB_SLOWER = 1 };

struct ctb_cmp {
	double median_a, median_b;
	double ratio, ratio_lo, ratio_hi;	/* median_b / median_a, 95% CI */
	double diff_pct, diff_lo_pct, diff_hi_pct; /* (ratio - 1) * 100 */
	double p_value;				/* two-sided Mann-Whitney */
	enum ctb_verdict verdict;	/* b relative to a ("after" vs "before") */
};

/*
 * Compare samples a (before) with b (after). Significant when p < 0.05 AND
 * the bootstrap ratio CI excludes 1; then CTB_SLOWER if b's median is larger,
 * CTB_FASTER if smaller, else CTB_SAME. Deterministic for a given seed.
 * Returns 0, -EINVAL (na or nb == 0, NULL, non-finite sample, or a median
 * of a that is <= 0 so no ratio exists), -ENOMEM.
 */
int ctb_compare_samples(const double *a, size_t na, const double *b, size_t nb,
			uint64_t seed, struct ctb_cmp *out);

/* --- replicated comparison (what `compare` and `report A B` use) ------ */

/* Why a row got its verdict. */
enum ctb_why {
	CTB_WHY_CHANGED = 0,	/* passed every rule below */
	CTB_WHY_ROUNDS,		/* fewer than 2 rounds on a side: no test */
	CTB_WHY_FLOOR,		/* both nets below their noise floors */
	CTB_WHY_TEST,		/* Welch p >= 0.05 */
	CTB_WHY_EFFECT,		/* not beyond the minimum effect */
};

/* One side of a row: its round nets and replicated summary. */
struct ctb_rside {
	const double *nets;	/* round nets (ns/iter) */
	size_t n;		/* rounds */
	double net;		/* replicated estimate (median of nets) */
	double floor;		/* noise floor (ns/iter) */
	double ctrl;		/* matched control, median of round medians */
	int below;		/* net inside the floor */
};

struct ctb_rcmp {
	double net_a, net_b;
	double diff, diff_lo, diff_hi;	/* net_b - net_a, bootstrap 95% CI */
	double pct, pct_lo, pct_hi;	/* diff / |net_a| in %, NAN when A
					 * is below its floor */
	double p;			/* Welch two-sided, round nets */
	double p_band;			/* the same beyond +-min_effect */
	double p_adj;			/* p_band, Benjamini-Hochberg
					 * adjusted over the batch */
	double min_effect;		/* ns/iter |diff| had to exceed */
	enum ctb_verdict verdict;
	enum ctb_why why;
};

/*
 * Compare n rows: a[i] (before) against b[i] (after). Per row a Welch
 * t-test on the round nets and a seeded bootstrap CI of the difference of
 * median nets; p-values are Benjamini-Hochberg adjusted (FDR 5%) over
 * the rows that could be
 * tested; the control drift between the sets (see compare.c) is stored in
 * *drift (relative, e.g. 0.12) when drift is non-NULL; then each row's
 * verdict. Returns 0, -EINVAL (NULL, n == 0, non-finite net), -ENOMEM.
 */
int ctb_compare_batch(const struct ctb_rside *a, const struct ctb_rside *b,
		      size_t n, uint64_t seed, struct ctb_rcmp *out,
		      double *drift);

/*
 * As ctb_compare_batch, with the drift between the sets given (a relative
 * value >= 0, e.g. from reference rows that do not depend on the kernel)
 * instead of computed from the rows' controls; drift_in < 0 or NAN:
 * computed as ctb_compare_batch does.
 */
int ctb_compare_batch_drift(const struct ctb_rside *a,
			    const struct ctb_rside *b, size_t n,
			    uint64_t seed, double drift_in,
			    struct ctb_rcmp *out, double *drift);

/* Holm step-down adjustment of p[0..n-1] into adj (NAN entries kept). */
void ctb_holm(const double *p, size_t n, double *adj);
/* Benjamini-Hochberg adjustment of p[0..n-1] into adj (NAN kept). */
void ctb_bh(const double *p, size_t n, double *adj);

/* Two-sided p of Welch's t-test; NAN when a side has fewer than 2. */
double ctb_welch_p(const double *a, size_t na, const double *b, size_t nb);

/*
 * Control drift between two sets: the 90th percentile (type 7) of
 * |ctrl_b[i] / ctrl_a[i] - 1| over the rows with ctrl_a[i] > 0; 0 when
 * there is none.
 */
double ctb_control_drift(const double *ctrl_a, const double *ctrl_b,
			 size_t n);

/* "changed", "too few rounds", "below floor", "not significant", ... */
const char *ctb_why_name(enum ctb_why w);

/* "faster", "slower", "no significant difference" */
const char *ctb_verdict_name(enum ctb_verdict v);

#endif /* CTB_COMPARE_H */
