/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One ctbench result row: one RUN of one op with one parameter
 * combination, its statistics and raw samples. The one free function and
 * the one matcher of rows live here (row.c).
 */
#ifndef CTB_ROW_H
#define CTB_ROW_H

#include <stddef.h>
#include <stdint.h>

#include "stats.h"

struct ctb_row {
	char op[32], family[16];
	uint32_t count, aux;
	char state[16], opflags[64];
	int cpu;
	char targets[64];
	uint32_t iterations;
	struct ctb_stats st;
	double baseline_median;
	struct ctb_net net;
	double per_unit;
	char per_unit_name[16];
	double cycles_median;	/* NAN = none (empty CSV cell, JSON null) */
	char noop[8];		/* "yes", "no", "n/a" */
	int emulated;
	char events[512];
	/*
	 * Raw samples as the module returned them: per SAMPLE totals (the
	 * time/ticks of `iterations` iterations), nraw each; the statistics
	 * above are per iteration (raw / iterations). raw_cycles and base_*
	 * may be NULL. raw/<i>.csv holds these totals.
	 */
	double *raw_ns, *raw_cycles, *base_ns, *base_cycles;
	size_t nraw;
	/*
	 * Replicated statistics (stats.c): the round of every raw sample and
	 * its iterations (NULL: one round of `iterations`), and the estimate
	 * over rounds that net, per_unit and noop are taken from.
	 */
	uint32_t *raw_round, *raw_iters;
	struct ctb_rep rep;
	int last_round;		/* runtime only: last round appended */
};

/* Free the raw arrays one row owns and zero it (the row itself stays). */
void ctb_row_release(struct ctb_row *r);
/* ctb_row_release() of rows[0..n), then free the array itself. */
void ctb_rows_free(struct ctb_row *rows, size_t n);

/*
 * A row's net cost as text, fmt writing a time in ns, or "< floor (F)"
 * when the row is below its noise floor: the one way a net is printed
 * (the table in session.c, the report in report.c).
 */
void ctb_row_net_text(char *buf, size_t len, const struct ctb_row *r,
		      void (*fmt)(char *buf, size_t len, double ns));

/*
 * What identifies a row across runs and sets: op, count, aux, state,
 * opflags and targets. aux CTB_ROW_ANY_AUX and NULL strings match any.
 */
#define CTB_ROW_ANY_AUX UINT32_MAX
struct ctb_row_key {
	const char *op;
	uint32_t count, aux;
	const char *state, *opflags, *targets;
};

/* The full key of row r (every field given). */
struct ctb_row_key ctb_row_key_of(const struct ctb_row *r);
int ctb_row_match(const struct ctb_row *r, const struct ctb_row_key *k);
/* Last row of rows[0..n) matching k, or NULL. */
const struct ctb_row *ctb_rows_find_last(const struct ctb_row *rows, size_t n,
					 const struct ctb_row_key *k);

#endif /* CTB_ROW_H */
