/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the result-set code (docs/results.md), shared by its three files:
 *   results_write.c  the set writer, CSV/JSON rows, meta checks
 *   results_read.c   the reader: files, meta.json, results.json, rows
 *   results_csv.c    the CSV record parser, one row, raw/<i>.csv samples
 * Not for use outside them: results.h is the interface.
 */
#ifndef CTB_RESULTS_INT_H
#define CTB_RESULTS_INT_H

#include <stddef.h>

#include "results.h"

#define CTB_MAX_FILE	(256u << 20)	/* refuse to slurp larger files */
#define CTB_MAX_RAW_IDX	16		/* digits in raw/<i>.csv */

/* results.csv columns, in the order they are written */
enum {
	C_OP, C_FAMILY, C_COUNT, C_AUX, C_STATE, C_OPFLAGS, C_CPU, C_TARGETS,
	C_ITERATIONS, C_SAMPLES, C_UNIT, C_MIN, C_MEDIAN, C_MEAN, C_STDDEV,
	C_MAD, C_CI_LO, C_CI_HI, C_OUTLIERS, C_BASELINE, C_NET_MEDIAN,
	C_NET_LO, C_NET_HI, C_PER_UNIT, C_PER_UNIT_NAME, C_CYCLES, C_NOOP,
	C_EMULATED, C_EVENTS,
	/* schema 3 (replicated statistics); absent from older sets */
	C_ROUNDS, C_CI_LEVEL, C_SPREAD_LO, C_SPREAD_HI, C_FLOOR, C_BELOW,
	C_NCOLS
};

#define C_FIRST_OPTIONAL C_ROUNDS

#define RAW_REQUIRED 4	/* round, iterations: schema 3 */
#define RAW_NCOLS 6

extern const char *const ctb_csv_cols[];	/* C_NCOLS names */
extern const char *const ctb_raw_cols[];	/* RAW_NCOLS names */

/* dir + "/" + name into buf; -ENAMETOOLONG when it does not fit */
int ctb_rs_pjoin(char *buf, size_t len, const char *dir, const char *name);

/* Print "bad result set DIR: FILE: <what>" on stderr; -EINVAL. */
int ctb_rs_bad_set(const char *dir, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* dir/file into *buf (NUL-terminated); errors: ctb_rs_bad_set() unless quiet */
int ctb_rs_slurp(const char *dir, const char *file, char **buf, size_t *len,
		 int quiet);

/* One CSV record: n fields, each malloc'ed and unquoted. */
struct csv_rec {
	char **f;
	size_t n, cap;
};

void ctb_csv_rec_free(struct csv_rec *r);

/*
 * Parse one record at *pp. Returns 1 with fields in r, 0 at end of input,
 * negative errno on error (unterminated quote).
 */
int ctb_csv_next(const char **pp, const char *end, struct csv_rec *r);

/* Where a value is read from, for the messages. */
struct rctx {
	const char *dir, *file;
	size_t line;
	const char *col;
};

/* Row from the fields f of results.csv; idx[c]: field of column c or -1. */
int ctb_rs_parse_row(struct rctx *c, char **f, const int *idx,
		     struct ctb_row *r);

/* Row i's raw/<i>.csv, when there is one, into r's raw arrays. */
int ctb_rs_read_raw(const char *dir, size_t i, struct ctb_row *r);

#endif
