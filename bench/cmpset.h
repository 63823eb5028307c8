/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What cmpset.c (compare A B: pairing, test, text table) shares with
 * cmpfmt.c (the csv, json and markdown formats). Internal to ctbench.
 */
#ifndef CTB_CMPSET_H
#define CTB_CMPSET_H

#include <stdio.h>

#include "compare.h"
#include "report.h"

struct ctb_cmp_pair {
	const struct ctb_row *ra, *rb;
	struct ctb_rcmp c;
	int shown;		/* selected by --family / --op */
};

struct ctb_cmp_ctx {
	const struct ctb_set *a, *b;
	const struct ctb_cmp_opts *o;
	unsigned char *used_a, *used_b;
	struct ctb_cmp_pair *pairs;
	size_t npairs, nshown;
	double drift;
	const char *drift_from;	/* what the drift was measured on */
	double scale;		/* g: B divided by it (1 unless cross-arch) */
	size_t nscale;		/* rows g is the median of */
	int emulated;		/* either side emulated */
	int cross;		/* arches differ (cross_arch given) */
};

/* The formatted cells of one row (text and markdown). */
struct ctb_cmp_cells {
	char n[16], va[64], vb[64], d[64], ci[128], pa[16], v[16];
};

int ctb_cmp_selected(const struct ctb_row *r, const struct ctb_cmp_opts *o);
/* slower, faster, same, drift, floor, n/a */
const char *ctb_cmp_verdict_word(const struct ctb_cmp_pair *p);
/* The cells of row p; w: width of the A and B cells. */
void ctb_cmp_cells(struct ctb_cmp_cells *c, const struct ctb_cmp_ctx *m,
		   const struct ctb_cmp_pair *p, int w);
/* fn(arg, key, value in A or NULL, value in B or NULL) per differing key. */
void ctb_cmp_each_difference(const struct ctb_set *a,
			     const struct ctb_set *b,
			     void (*fn)(void *, const char *, const char *,
					const char *), void *arg);
/* emulated, bare-metal, virtualized or native */
const char *ctb_cmp_env_word(const struct ctb_set *s);

void ctb_cmp_csv(FILE *f, const struct ctb_cmp_ctx *m);
int ctb_cmp_json(FILE *f, const struct ctb_cmp_ctx *m);
void ctb_cmp_markdown(FILE *f, const struct ctb_cmp_ctx *m);

#endif /* CTB_CMPSET_H */
