/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctbench result sets: writer and reader for the format in docs/results.md
 * (meta.json, results.csv, results.json, raw/<i>.csv).
 */
#ifndef CTB_RESULTS_H
#define CTB_RESULTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "row.h"
#include "stats.h"

/*
 * One meta key. value is a plain string (escaped on output) unless
 * is_raw_json is set, in which case it is emitted verbatim and must already
 * be valid JSON (numbers, true/false, arrays, objects).
 */
struct ctb_kv {
	const char *key;
	const char *value;
	int is_raw_json;
};

struct ctb_set {
	struct ctb_kv *meta;	/* owned: key/value strings malloc'ed */
	size_t nmeta;
	struct ctb_row *rows;	/* owned, including raw arrays */
	size_t nrows;
	char dir[4096];
};

/*
 * Create parent_dir/name (parent_dir is created if missing, one level) by
 * writing into a temporary sibling directory and renaming it. Refuses with
 * -EEXIST if parent_dir/name exists. On success the final path is copied to
 * out_dir (if non-NULL). Returns 0 or a negative errno; on failure nothing
 * is left behind and a message naming the path is printed to stderr.
 * raw/<i>.csv is written only for rows with nraw > 0 and raw_ns != NULL.
 */
int ctb_set_write(const char *parent_dir, const char *name,
		  const struct ctb_kv *meta, size_t nmeta,
		  const struct ctb_row *rows, size_t nrows,
		  char *out_dir, size_t out_len);

/*
 * Read a set: meta.json top-level keys (values as strings; non-string
 * values are kept as their raw JSON text with is_raw_json = 1), results.csv
 * rows and raw/<i>.csv when present. Fields not in results.csv (st.max,
 * st.iqr) are recomputed from raw samples when present, else NAN.
 * Returns 0 or a negative errno; errors name the missing file or column on
 * stderr. On failure *out is left empty (safe to ctb_set_free).
 */
int ctb_set_read(const char *dir, struct ctb_set *out);
void ctb_set_free(struct ctb_set *s);

/* Value of a meta key (string form) or NULL. */
const char *ctb_meta_get(const struct ctb_set *s, const char *key);

/* Write s as the body of a JSON string (without the quotes). */
void ctb_json_escape(FILE *f, const char *s);

/*
 * Write the rows as CSV (header + rows, the results.csv format) or as a
 * JSON array of row objects, e.g. for `ctbench run --csv/--json` to stdout.
 */
int ctb_rows_write_csv(FILE *f, const struct ctb_row *rows, size_t nrows);
int ctb_rows_write_json(FILE *f, const struct ctb_row *rows, size_t nrows);

#endif /* CTB_RESULTS_H */
