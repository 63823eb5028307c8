/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Progress of `ctbench run` and `ctbench suite` on a terminal:
 *   [12/170] flush_tlb_kernel_range N=512 round 2/6  00:41 elapsed, ~01:30 left
 * on stderr, redrawn in place, only when stderr is a terminal (CI logs
 * stay clean); CTB_PROGRESS=0/1 forces it off/on. The total comes from a
 * counting pass over the same plan before the first RUN: while
 * ctb_progress_counting() is true, ctb_run_one() counts instead of
 * running.
 */
#ifndef CTB_PROGRESS_H
#define CTB_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

/* stderr is a terminal, or CTB_PROGRESS=1 (and not CTB_PROGRESS=0) */
int ctb_progress_wanted(void);

/* The counting pass: begin, one ctb_progress_count() per RUN, end. */
void ctb_progress_count_begin(void);
int ctb_progress_counting(void);
void ctb_progress_count(void);
unsigned int ctb_progress_count_end(void);

/* Draw from now on: total RUNs (0: nothing is drawn). */
void ctb_progress_start(unsigned int total);

/* One RUN starts: counter, op, N, round, elapsed, estimate left. */
void ctb_progress_step(const char *op, uint32_t count, unsigned int round,
		       unsigned int rounds);

/* Drawing, and f is a terminal too: inline text there would be erased. */
int ctb_progress_shares(FILE *f);

/* Erase the line before other output (no-op when none is shown). */
void ctb_progress_clear(void);

/* Erase the line and stop drawing. */
void ctb_progress_end(void);

/* "mm:ss" or "h:mm:ss" (for tests) */
void ctb_progress_hms(char *buf, unsigned int len, double seconds);

#endif /* CTB_PROGRESS_H */
