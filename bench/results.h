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

#include <jansson.h>

#include "row.h"
#include "stats.h"

/*
 * One meta key as read: value is the string for a JSON string, else the
 * value's JSON text (numbers, true/false, arrays, objects) with
 * is_raw_json set.
 */
struct ctb_kv {
	const char *key;
	const char *value;
	int is_raw_json;
};

struct ctb_set {
	struct ctb_kv *meta;	/* owned: key/value strings malloc'ed */
	size_t nmeta;
	json_t *meta_json;	/* owned: meta.json as read */
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
		  const json_t *meta, const struct ctb_row *rows,
		  size_t nrows, char *out_dir, size_t out_len);
/* The same with analysis.json (analysis may be NULL: none written). */
int ctb_set_write_an(const char *parent_dir, const char *name,
		     const json_t *meta, const json_t *analysis,
		     const struct ctb_row *rows, size_t nrows, char *out_dir,
		     size_t out_len);

/*
 * Read a set: meta.json top-level keys (values as strings; non-string
 * values are kept as their raw JSON text with is_raw_json = 1), results.csv
 * rows and raw/<i>.csv when present. Fields not in results.csv (st.max,
 * st.iqr) are recomputed from raw samples when present, else NAN.
 * meta.json must hold arch, cpu_model, kernel_release and date.
 * Returns 0 or a negative errno; every failure prints exactly one line
 * "ctbench: bad result set DIR: FILE: what" on stderr, naming the file,
 * line, key or column. On failure *out is left empty (safe to ctb_set_free).
 */
int ctb_set_read(const char *dir, struct ctb_set *out);
void ctb_set_free(struct ctb_set *s);

/* Value of a meta key (string form) or NULL. */
const char *ctb_meta_get(const struct ctb_set *s, const char *key);

/*
 * The schema (docs/results.md). Version 2: every JSON file is written by
 * jansson (layout CTB_JSON_FLAGS) and meta.json starts with
 * "schema_version"; sets without it are version 1 (same keys and rows,
 * hand-written layout).
 */
#define CTB_SCHEMA_VERSION 3	/* 3: rounds (docs/results.md) */
#define CTB_JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | \
			JSON_ENCODE_ANY)

/* JSON kinds of meta keys and results.json columns. */
enum ctb_col_kind {
	CTB_COL_STR, CTB_COL_UINT, CTB_COL_INT, CTB_COL_NUM, CTB_COL_BOOL,
	CTB_COL_ARRAY, CTB_COL_OBJECT,
};

/* Row columns, in the order of results.csv and the keys of a row. */
extern const char *const *ctb_col_names;
extern const enum ctb_col_kind ctb_col_kinds[];
extern const size_t ctb_ncols;

int ctb_kind_ok(enum ctb_col_kind k, const json_t *v);
const char *ctb_kind_name(enum ctb_col_kind k);
const char *ctb_json_type_name(const json_t *v);

/*
 * Check the known meta keys present in meta have their kinds; an error
 * names where, the key and the expected kind on stderr (-EINVAL).
 */
int ctb_meta_check(const char *where, const json_t *meta);

/*
 * Write the rows as CSV (header + rows, the results.csv format) or as a
 * JSON array of row objects, e.g. for `ctbench run --csv/--json` to stdout.
 */
int ctb_rows_write_csv(FILE *f, const struct ctb_row *rows, size_t nrows);
int ctb_rows_write_json(FILE *f, const struct ctb_row *rows, size_t nrows);

/* Any JSON document ctbench prints, in the one layout; 0 or -errno. */
int ctb_json_print(FILE *f, const json_t *j);

#endif /* CTB_RESULTS_H */
