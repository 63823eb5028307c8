/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctbench rows over rounds: append one round's samples to a row and
 * recompute the row's replicated statistics from its raw data (the same
 * code for a fresh run and for a result set read back from disk).
 */
#ifndef CTB_REPLICATE_H
#define CTB_REPLICATE_H

#include <stddef.h>
#include <stdint.h>

#include "results.h"

/*
 * Append n sample pairs of round `round` (totals of `iterations`
 * iterations) to r's raw arrays. op_cyc, ctrl_ns and ctrl_cyc may be NULL
 * (ctrl_ns NULL: no control, stored as 0). Returns 0, -EINVAL, -ENOMEM
 * (r unchanged on error).
 */
int ctb_row_add_round(struct ctb_row *r, uint32_t round, uint32_t iterations,
		      const double *op_ns, const double *op_cyc,
		      const double *ctrl_ns, const double *ctrl_cyc, size_t n);

/*
 * Recompute from r's raw arrays: st (per-iteration statistics of all op
 * samples, the gross value), baseline_median, cycles_median, rep (rounds,
 * estimate, CI, spread, floor; clock_step_ns from GET_INFO
 * clock_resolution_ns), net (= rep), iterations (the smallest of the
 * rounds). per_unit, per_unit_name and noop are left to the caller; use
 * ctb_row_per_unit(). Returns 0 or a negative errno.
 */
int ctb_row_replicate(struct ctb_row *r, double clock_step_ns);

/*
 * per_unit = net / divisor when the net is above the floor and divisor is
 * non-zero, else NAN (never a value per page below the floor).
 */
void ctb_row_per_unit(struct ctb_row *r, double divisor);

#endif /* CTB_REPLICATE_H */
