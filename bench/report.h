/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctbench report/compare: plain text, at most 72 columns, for patch
 * changelogs and mail.
 */
#ifndef CTB_REPORT_H
#define CTB_REPORT_H

#include <stdio.h>

#include "results.h"

#define CTB_REPORT_COLS 72

/*
 * Machine line, then one line per row of a (op, params, median +- CI
 * half-width with unit, n). With b non-NULL: rows matched as in
 * ctb_compare_sets, both medians, change % with 95% CI and verdict.
 * Returns 0 or a negative errno.
 */
int ctb_report_print(FILE *f, const struct ctb_set *a,
		     const struct ctb_set *b);

/*
 * Compare set a (before) with b (after). Rows match on
 * op+count+aux+state+opflags+targets. Unless force, refuses (returns
 * -EINVAL after printing to f which of arch, kernel_release, emulated
 * differ). Per matching row: both medians, ratio, 95% CI of the difference,
 * verdict. Uses raw samples when both rows have them, else falls back to
 * the stored medians/CIs (verdict then from CI overlap, marked "~").
 * Returns 0, or -EINVAL / -ENOENT (no matching rows).
 */
int ctb_compare_sets(FILE *f, const struct ctb_set *a, const struct ctb_set *b,
		     int force);

#endif /* CTB_REPORT_H */
