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

/* "faster", "slower", "no significant difference" */
const char *ctb_verdict_name(enum ctb_verdict v);

#endif /* CTB_COMPARE_H */
