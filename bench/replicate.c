// SPDX-License-Identifier: GPL-2.0
/*
 * ctbench rows over rounds (method: the top of stats.c).
 *
 * A row's raw arrays hold the samples of every round back to back, each
 * sample tagged with its round and its iteration count. Everything the
 * row reports is recomputed from them, so a result set read back from
 * disk yields exactly the statistics the run printed.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "replicate.h"

/* Grow *p (n doubles/u32s) to n + add; 0 or -ENOMEM (*p kept). */
static int grow(void **p, size_t n, size_t add, size_t size)
{
	void *q = realloc(*p, (n + add) * size);

	if (!q)
		return -ENOMEM;
	*p = q;
	return 0;
}

int ctb_row_add_round(struct ctb_row *r, uint32_t round, uint32_t iterations,
		      const double *op_ns, const double *op_cyc,
		      const double *ctrl_ns, const double *ctrl_cyc, size_t n)
{
	size_t old = r ? r->nraw : 0, i;
	int had_cyc = r && r->nraw ? r->raw_cycles != NULL : op_cyc != NULL;

	if (!r || !op_ns || !n || !iterations)
		return -EINVAL;
	/* cycles only when every round has them */
	if (!op_cyc || !ctrl_cyc)
		had_cyc = 0;
	if (grow((void **)&r->raw_ns, old, n, sizeof(double)) ||
	    grow((void **)&r->base_ns, old, n, sizeof(double)) ||
	    grow((void **)&r->raw_round, old, n, sizeof(uint32_t)) ||
	    grow((void **)&r->raw_iters, old, n, sizeof(uint32_t)) ||
	    (had_cyc &&
	     (grow((void **)&r->raw_cycles, old, n, sizeof(double)) ||
	      grow((void **)&r->base_cycles, old, n, sizeof(double)))))
		return -ENOMEM;
	if (!had_cyc) {
		free(r->raw_cycles);
		free(r->base_cycles);
		r->raw_cycles = r->base_cycles = NULL;
	}
	for (i = 0; i < n; i++) {
		r->raw_ns[old + i] = op_ns[i];
		r->base_ns[old + i] = ctrl_ns ? ctrl_ns[i] : 0.0;
		r->raw_round[old + i] = round;
		r->raw_iters[old + i] = iterations;
		if (had_cyc) {
			r->raw_cycles[old + i] = op_cyc[i];
			r->base_cycles[old + i] = ctrl_cyc[i];
		}
	}
	r->nraw = old + n;
	r->last_round = (int)round;
	return 0;
}

int ctb_row_replicate(struct ctb_row *r, double clock_step_ns)
{
	struct ctb_round rounds[CTB_MAX_ROUNDS];
	uint32_t *rd = NULL, *it = NULL;
	double *ctrl = NULL, *per = NULL;
	size_t i, n;
	int nr, ret = -ENOMEM;

	if (!r || !r->nraw || !r->raw_ns)
		return -EINVAL;
	n = r->nraw;
	rd = r->raw_round;
	it = r->raw_iters;
	ctrl = r->base_ns;
	if (!rd || !it) {
		if (!r->iterations)
			return -EINVAL;
		rd = calloc(n, sizeof(*rd));
		it = malloc(n * sizeof(*it));
		if (!rd || !it)
			goto out;
		for (i = 0; i < n; i++)
			it[i] = r->iterations;
	}
	if (!ctrl) {
		ctrl = calloc(n, sizeof(*ctrl));
		if (!ctrl)
			goto out;
	}
	per = malloc(n * sizeof(*per));
	if (!per)
		goto out;
	nr = ctb_rounds_from_samples(r->raw_ns, ctrl, rd, it, n, rounds,
				     CTB_MAX_ROUNDS);
	if (nr <= 0) {
		ret = nr ? nr : -EINVAL;
		goto out;
	}
	ret = ctb_rep_compute(rounds, (size_t)nr, clock_step_ns, &r->rep);
	if (ret)
		goto out;
	/* gross: every op sample per iteration, all rounds pooled */
	for (i = 0; i < n; i++)
		per[i] = r->raw_ns[i] / (double)it[i];
	ret = ctb_stats_compute(per, n, &r->st);
	if (ret)
		goto out;
	r->cycles_median = NAN;
	if (r->raw_cycles) {
		struct ctb_stats cs;

		for (i = 0; i < n; i++)
			per[i] = r->raw_cycles[i] / (double)it[i];
		if (!ctb_stats_compute(per, n, &cs))
			r->cycles_median = cs.median;
	}
	r->baseline_median = r->base_ns ? r->rep.ctrl : NAN;
	r->net.median = r->rep.net;
	r->net.ci_lo = r->rep.ci_lo;
	r->net.ci_hi = r->rep.ci_hi;
	r->iterations = UINT32_MAX;
	for (i = 0; i < (size_t)nr; i++)
		if (rounds[i].iterations < r->iterations)
			r->iterations = rounds[i].iterations;
	ret = 0;
out:
	if (rd != r->raw_round)
		free(rd);
	if (it != r->raw_iters)
		free(it);
	if (ctrl != r->base_ns)
		free(ctrl);
	free(per);
	return ret;
}

void ctb_row_per_unit(struct ctb_row *r, double divisor)
{
	if (r->rep.below_floor || !(divisor > 0.0))
		r->per_unit = NAN;
	else
		r->per_unit = r->net.median / divisor;
}
