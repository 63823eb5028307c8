// SPDX-License-Identifier: GPL-2.0
/*
 * ctbench result sets, the writer (format: docs/results.md).
 *
 * Writer: everything goes into a fresh temporary directory next to the
 * final one (mkdtemp), files are flushed and fsync'ed, then the directory
 * is renamed into place with RENAME_NOREPLACE so an existing set is never
 * replaced, not even an empty directory of the same name (plain rename(2)
 * would replace that). On any error the temporary directory is removed.
 *
 * Numbers are printed with the fewest digits (15..17 significant) that
 * read back to the identical double, so CSV/JSON round-trips are exact.
 * Non-finite values are an empty CSV cell and JSON null.
 *
 * The reader is in results_read.c and results_csv.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <jansson.h>

#include "names.h"
#include "replicate.h"
#include "results.h"
#include "results_int.h"

const char *const ctb_csv_cols[] = {
	"op", "family", "count", "aux", "state", "opflags", "cpu", "targets",
	"iterations", "samples", "unit", "min", "median", "mean", "stddev",
	"mad", "ci95_lo", "ci95_hi", "outliers", "baseline_median",
	"net_median", "net_ci95_lo", "net_ci95_hi", "per_unit",
	"per_unit_name", "cycles_median", "noop", "emulated", "events",
	"rounds", "ci_level", "net_spread_lo", "net_spread_hi", "floor_ns",
	"below_floor",
};

_Static_assert(sizeof(ctb_csv_cols) / sizeof(ctb_csv_cols[0]) == C_NCOLS,
	       "ctb_csv_cols and the column enum disagree");

const char *const ctb_raw_cols[] = {
	"ns", "cycles", "baseline_ns", "baseline_cycles", "round",
	"iterations",
};

_Static_assert(sizeof(ctb_raw_cols) / sizeof(ctb_raw_cols[0]) == RAW_NCOLS,
	       "ctb_raw_cols and RAW_NCOLS disagree");

/* ------------------------------------------------------------------ */
/* output helpers */

static void fmt_double(char *buf, size_t len, double v)
{
	int prec;

	if (!isfinite(v)) {
		buf[0] = '\0';
		return;
	}
	for (prec = 15; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

static void put_num_csv(FILE *f, double v)
{
	char buf[40];

	fmt_double(buf, sizeof(buf), v);
	fputs(buf, f);
}

static void put_csv_str(FILE *f, const char *s)
{
	const char *p;

	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (p = s; *p; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	fputc('"', f);
}

/* "-" stands for "unused" in the text columns */
static const char *dash(const char *s)
{
	return s[0] ? s : "-";
}

static const char *noop_str(const struct ctb_row *r)
{
	return r->noop[0] ? r->noop : "n/a";
}

int ctb_rows_write_csv(FILE *f, const struct ctb_row *rows, size_t nrows)
{
	size_t i, c;

	for (c = 0; c < C_NCOLS; c++)
		fprintf(f, "%s%s", c ? "," : "", ctb_csv_cols[c]);
	fputc('\n', f);
	for (i = 0; i < nrows; i++) {
		const struct ctb_row *r = &rows[i];

		put_csv_str(f, r->op);
		fputc(',', f);
		put_csv_str(f, r->family);
		fprintf(f, ",%" PRIu32 ",%" PRIu32 ",", r->count, r->aux);
		put_csv_str(f, dash(r->state));
		fputc(',', f);
		put_csv_str(f, dash(r->opflags));
		fprintf(f, ",%d,", r->cpu);
		put_csv_str(f, dash(r->targets));
		fprintf(f, ",%" PRIu32 ",%zu,ns/iter", r->iterations, r->st.n);
		const double v1[] = { r->st.min, r->st.median, r->st.mean,
				      r->st.stddev, r->st.mad, r->st.ci_lo,
				      r->st.ci_hi };
		for (c = 0; c < sizeof(v1) / sizeof(v1[0]); c++) {
			fputc(',', f);
			put_num_csv(f, v1[c]);
		}
		fprintf(f, ",%zu", r->st.outliers);
		const double v2[] = { r->baseline_median, r->net.median,
				      r->net.ci_lo, r->net.ci_hi,
				      r->per_unit };
		for (c = 0; c < sizeof(v2) / sizeof(v2[0]); c++) {
			fputc(',', f);
			put_num_csv(f, v2[c]);
		}
		fputc(',', f);
		put_csv_str(f, dash(r->per_unit_name));
		fputc(',', f);
		put_num_csv(f, r->cycles_median);
		fputc(',', f);
		put_csv_str(f, noop_str(r));
		fprintf(f, ",%d,", r->emulated ? 1 : 0);
		put_csv_str(f, r->events);
		fprintf(f, ",%zu,", r->rep.rounds);
		const double v3[] = { r->rep.ci_level, r->rep.spread_lo,
				      r->rep.spread_hi, r->rep.floor };
		for (c = 0; c < sizeof(v3) / sizeof(v3[0]); c++) {
			put_num_csv(f, v3[c]);
			fputc(',', f);
		}
		fprintf(f, "%d\n", r->rep.below_floor ? 1 : 0);
	}
	return ferror(f) ? -EIO : 0;
}

/* JSON type of each column in results.json (the reader checks these). */
const enum ctb_col_kind ctb_col_kinds[C_NCOLS] = {
	[C_OP] = CTB_COL_STR, [C_FAMILY] = CTB_COL_STR,
	[C_COUNT] = CTB_COL_UINT, [C_AUX] = CTB_COL_UINT,
	[C_STATE] = CTB_COL_STR, [C_OPFLAGS] = CTB_COL_STR,
	[C_CPU] = CTB_COL_INT, [C_TARGETS] = CTB_COL_STR,
	[C_ITERATIONS] = CTB_COL_UINT, [C_SAMPLES] = CTB_COL_UINT,
	[C_UNIT] = CTB_COL_STR, [C_MIN] = CTB_COL_NUM,
	[C_MEDIAN] = CTB_COL_NUM, [C_MEAN] = CTB_COL_NUM,
	[C_STDDEV] = CTB_COL_NUM, [C_MAD] = CTB_COL_NUM,
	[C_CI_LO] = CTB_COL_NUM, [C_CI_HI] = CTB_COL_NUM,
	[C_OUTLIERS] = CTB_COL_UINT, [C_BASELINE] = CTB_COL_NUM,
	[C_NET_MEDIAN] = CTB_COL_NUM, [C_NET_LO] = CTB_COL_NUM,
	[C_NET_HI] = CTB_COL_NUM, [C_PER_UNIT] = CTB_COL_NUM,
	[C_PER_UNIT_NAME] = CTB_COL_STR, [C_CYCLES] = CTB_COL_NUM,
	[C_NOOP] = CTB_COL_STR, [C_EMULATED] = CTB_COL_UINT,
	[C_EVENTS] = CTB_COL_STR,
	[C_ROUNDS] = CTB_COL_UINT, [C_CI_LEVEL] = CTB_COL_NUM,
	[C_SPREAD_LO] = CTB_COL_NUM, [C_SPREAD_HI] = CTB_COL_NUM,
	[C_FLOOR] = CTB_COL_NUM, [C_BELOW] = CTB_COL_UINT,
};

const char *const *ctb_col_names = ctb_csv_cols;
const size_t ctb_ncols = C_NCOLS;

/* A number, or null for a non-finite one (JSON has no NaN). */
static json_t *num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *col_value(const struct ctb_row *r, int c)
{
	switch (c) {
	case C_OP: return json_string(r->op);
	case C_FAMILY: return json_string(r->family);
	case C_COUNT: return json_integer(r->count);
	case C_AUX: return json_integer(r->aux);
	case C_STATE: return json_string(dash(r->state));
	case C_OPFLAGS: return json_string(dash(r->opflags));
	case C_CPU: return json_integer(r->cpu);
	case C_TARGETS: return json_string(dash(r->targets));
	case C_ITERATIONS: return json_integer(r->iterations);
	case C_SAMPLES: return json_integer((json_int_t)r->st.n);
	case C_UNIT: return json_string("ns/iter");
	case C_MIN: return num(r->st.min);
	case C_MEDIAN: return num(r->st.median);
	case C_MEAN: return num(r->st.mean);
	case C_STDDEV: return num(r->st.stddev);
	case C_MAD: return num(r->st.mad);
	case C_CI_LO: return num(r->st.ci_lo);
	case C_CI_HI: return num(r->st.ci_hi);
	case C_OUTLIERS: return json_integer((json_int_t)r->st.outliers);
	case C_BASELINE: return num(r->baseline_median);
	case C_NET_MEDIAN: return num(r->net.median);
	case C_NET_LO: return num(r->net.ci_lo);
	case C_NET_HI: return num(r->net.ci_hi);
	case C_PER_UNIT: return num(r->per_unit);
	case C_PER_UNIT_NAME: return json_string(dash(r->per_unit_name));
	case C_CYCLES: return num(r->cycles_median);
	case C_NOOP: return json_string(noop_str(r));
	case C_EMULATED: return json_integer(r->emulated ? 1 : 0);
	case C_ROUNDS: return json_integer((json_int_t)r->rep.rounds);
	case C_CI_LEVEL: return num(r->rep.ci_level);
	case C_SPREAD_LO: return num(r->rep.spread_lo);
	case C_SPREAD_HI: return num(r->rep.spread_hi);
	case C_FLOOR: return num(r->rep.floor);
	case C_BELOW: return json_integer(r->rep.below_floor ? 1 : 0);
	default: return json_string(r->events);
	}
}

/* One row as a JSON object, keys in column order; NULL on ENOMEM. */
static json_t *row_json(const struct ctb_row *r)
{
	json_t *o = json_object();

	for (int c = 0; o && c < C_NCOLS; c++) {
		json_t *v = col_value(r, c);

		/* json_string() refuses invalid UTF-8: keep the row */
		if (!v)
			v = json_string("?");
		if (json_object_set_new(o, ctb_csv_cols[c], v)) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

static json_t *rows_json(const struct ctb_row *rows, size_t nrows)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < nrows; i++) {
		if (json_array_append_new(a, row_json(&rows[i]))) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* One layout for every JSON document ctbench writes. */
static int dump(FILE *f, const json_t *j)
{
	if (!j || json_dumpf(j, f, CTB_JSON_FLAGS))
		return -ENOMEM;
	fputc('\n', f);
	return ferror(f) ? -EIO : 0;
}

int ctb_json_print(FILE *f, const json_t *j)
{
	return dump(f, j);
}

int ctb_rows_write_json(FILE *f, const struct ctb_row *rows, size_t nrows)
{
	json_t *a = rows_json(rows, nrows);
	int err = dump(f, a);

	json_decref(a);
	return err;
}

/*
 * The meta object as written: schema_version first, then the caller's
 * keys in their order.
 */
static json_t *meta_doc(const json_t *meta)
{
	json_t *m = json_object();

	/* set twice: first in order, and over a version in meta */
	if (!m || json_object_set_new(m, "schema_version",
				      json_integer(CTB_SCHEMA_VERSION)) ||
	    json_object_update(m, (json_t *)meta) ||
	    json_object_set_new(m, "schema_version",
				json_integer(CTB_SCHEMA_VERSION))) {
		json_decref(m);
		return NULL;
	}
	return m;
}

/* ------------------------------------------------------------------ */
/* the schema: meta keys and their JSON kinds (writer and reader) */

static const struct {
	const char *key;
	enum ctb_col_kind kind;
} meta_keys[] = {
	{ "schema_version", CTB_COL_UINT }, { "tool", CTB_COL_STR },
	{ "tool_version", CTB_COL_STR }, { "abi_version", CTB_COL_UINT },
	{ "module_version", CTB_COL_STR }, { "git_commit", CTB_COL_STR },
	{ "date", CTB_COL_STR }, { "hostname", CTB_COL_STR },
	{ "arch", CTB_COL_STR }, { "cpu_model", CTB_COL_STR },
	{ "kernel_release", CTB_COL_STR }, { "kernel_package", CTB_COL_STR },
	{ "kernel_sha256", CTB_COL_STR }, { "page_size", CTB_COL_UINT },
	{ "cache_line_size", CTB_COL_UINT },
	{ "cbom_block_size", CTB_COL_UINT }, { "online_cpus", CTB_COL_UINT },
	{ "timer_source", CTB_COL_STR }, { "counter", CTB_COL_STR },
	{ "counter_hz", CTB_COL_NUM }, { "clock_resolution_ns", CTB_COL_NUM },
	{ "hypervisor", CTB_COL_STR }, { "hypervisor_hint", CTB_COL_STR },
	{ "features", CTB_COL_ARRAY }, { "emulated", CTB_COL_BOOL },
	{ "emulation", CTB_COL_STR }, { "emulation_reason", CTB_COL_STR },
	{ "environment", CTB_COL_STR }, { "environment_hypervisor", CTB_COL_STR },
	{ "environment_reason", CTB_COL_STR },
	{ "emulator", CTB_COL_STR }, { "placement", CTB_COL_OBJECT },
	{ "pmu", CTB_COL_STR }, { "tlb_flush_ceiling", CTB_COL_UINT },
	{ "ceiling_source", CTB_COL_STR }, { "command", CTB_COL_STR },
	{ "analysis", CTB_COL_STR }, { "interrupted", CTB_COL_BOOL },
};

int ctb_kind_ok(enum ctb_col_kind k, const json_t *v)
{
	switch (k) {
	case CTB_COL_STR: return json_is_string(v);
	case CTB_COL_UINT: return json_is_integer(v) &&
				  json_integer_value(v) >= 0;
	case CTB_COL_INT: return json_is_integer(v);
	case CTB_COL_NUM: return json_is_number(v) || json_is_null(v);
	case CTB_COL_BOOL: return json_is_boolean(v);
	case CTB_COL_ARRAY: return json_is_array(v);
	default: return json_is_object(v);
	}
}

const char *ctb_kind_name(enum ctb_col_kind k)
{
	static const char *const names[] = {
		[CTB_COL_STR] = "a string",
		[CTB_COL_UINT] = "an integer >= 0",
		[CTB_COL_INT] = "an integer",
		[CTB_COL_NUM] = "a number or null",
		[CTB_COL_BOOL] = "true or false",
		[CTB_COL_ARRAY] = "an array",
		[CTB_COL_OBJECT] = "an object",
	};

	return CTB_NAME(names, k, "?");
}

const char *ctb_json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a real";
	case JSON_TRUE: return "true";
	case JSON_FALSE: return "false";
	default: return "null";
	}
}

int ctb_meta_check(const char *where, const json_t *meta)
{
	for (size_t i = 0; i < sizeof(meta_keys) / sizeof(meta_keys[0]); i++) {
		const json_t *v = json_object_get(meta, meta_keys[i].key);

		if (v && !ctb_kind_ok(meta_keys[i].kind, v)) {
			fprintf(stderr, "ctbench: %s: key '%s': expected %s, got %s\n",
				where, meta_keys[i].key,
				ctb_kind_name(meta_keys[i].kind),
				ctb_json_type_name(v));
			return -EINVAL;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* set writer */

static FILE *open_in(const char *dir, const char *name, char *path,
		     size_t len)
{
	FILE *f;

	if ((size_t)snprintf(path, len, "%s/%s", dir, name) >= len) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	f = fopen(path, "wx");
	return f;
}

static int close_synced(FILE *f, const char *path)
{
	int err = 0;

	if (fflush(f) || ferror(f) || fsync(fileno(f)))
		err = errno ? -errno : -EIO;
	if (fclose(f) && !err)
		err = -errno;
	if (err)
		fprintf(stderr, "ctbench: writing %s: %s\n", path,
			strerror(-err));
	return err;
}

static int write_file(const char *dir, const char *name,
		      int (*fn)(FILE *f, const void *arg), const void *arg)
{
	char path[PATH_MAX];
	FILE *f = open_in(dir, name, path, sizeof(path));
	int err;

	if (!f) {
		err = -errno;
		fprintf(stderr, "ctbench: cannot create %s/%s: %s\n", dir,
			name, strerror(errno));
		return err;
	}
	err = fn(f, arg);
	if (err) {
		fclose(f);
		fprintf(stderr, "ctbench: writing %s: %s\n", path,
			strerror(-err));
		return err;
	}
	return close_synced(f, path);
}

struct set_args {
	const json_t *meta;	/* with schema_version */
	const struct ctb_row *rows;
	size_t nrows;
	size_t raw_idx;
};

static int w_meta(FILE *f, const void *arg)
{
	const struct set_args *a = arg;

	return dump(f, a->meta);
}

static int w_csv(FILE *f, const void *arg)
{
	const struct set_args *a = arg;

	return ctb_rows_write_csv(f, a->rows, a->nrows);
}

static int w_json(FILE *f, const void *arg)
{
	const struct set_args *a = arg;
	json_t *doc = json_pack("{s:O, s:o}", "meta", a->meta, "rows",
				rows_json(a->rows, a->nrows));
	int err = dump(f, doc);

	json_decref(doc);
	return err;
}

static int w_raw(FILE *f, const void *arg)
{
	const struct set_args *a = arg;
	const struct ctb_row *r = &a->rows[a->raw_idx];
	const double *cols[4] = { r->raw_ns, r->raw_cycles, r->base_ns,
				  r->base_cycles };
	size_t i, c;

	/* rows without rounds (read from an older set) stay as they were */
	int rounds = r->raw_round && r->raw_iters;

	for (c = 0; c < (rounds ? RAW_NCOLS : RAW_REQUIRED); c++)
		fprintf(f, "%s%s", c ? "," : "", ctb_raw_cols[c]);
	fputc('\n', f);
	for (i = 0; i < r->nraw; i++) {
		for (c = 0; c < 4; c++) {
			if (c)
				fputc(',', f);
			if (cols[c])
				put_num_csv(f, cols[c][i]);
		}
		if (rounds)
			fprintf(f, ",%" PRIu32 ",%" PRIu32, r->raw_round[i],
				r->raw_iters[i]);
		fputc('\n', f);
	}
	return ferror(f) ? -EIO : 0;
}

static int has_raw(const struct ctb_row *r)
{
	return r->nraw && r->raw_ns;
}

/* dir/name into buf; 0 or -ENAMETOOLONG */
int ctb_rs_pjoin(char *buf, size_t len, const char *dir, const char *name)
{
	size_t dl = strlen(dir);
	/* "results/" + name: no double slash in the printed path */
	int n = snprintf(buf, len, "%.*s/%s",
			 (int)(dl > 1 && dir[dl - 1] == '/' ? dl - 1 : dl),
			 dir, name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* Remove exactly what ctb_set_write may have created in tmp. */
static void remove_tmp(const char *tmp, size_t nrows)
{
	static const char *const files[] = {
		"meta.json", "results.csv", "results.json", "analysis.json",
	};
	char p[PATH_MAX], name[8 + CTB_MAX_RAW_IDX];
	size_t i;

	for (i = 0; i < nrows; i++) {
		if (snprintf(name, sizeof(name), "raw/%zu.csv", i) > 0 &&
		    !ctb_rs_pjoin(p, sizeof(p), tmp, name))
			unlink(p);
	}
	if (!ctb_rs_pjoin(p, sizeof(p), tmp, "raw"))
		rmdir(p);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (!ctb_rs_pjoin(p, sizeof(p), tmp, files[i]))
			unlink(p);
	rmdir(tmp);
}

static int name_ok(const char *name)
{
	return name && name[0] && name[0] != '.' && !strchr(name, '/') &&
	       strlen(name) < 256;
}

int ctb_set_write(const char *parent_dir, const char *name,
		  const json_t *meta, const struct ctb_row *rows,
		  size_t nrows, char *out_dir, size_t out_len)
{
	return ctb_set_write_an(parent_dir, name, meta, NULL, rows, nrows,
				out_dir, out_len);
}

static int w_analysis(FILE *f, const void *arg)
{
	return dump(f, arg);
}

/* Arguments checked, final and tmp paths (PATH_MAX each) built. */
static int set_paths(const char *parent_dir, const char *name,
		     const json_t *meta, const struct ctb_row *rows,
		     size_t nrows, char *final, char *tmp)
{
	int err;

	if (!parent_dir || !parent_dir[0] || !json_is_object(meta) ||
	    (nrows && !rows))
		return -EINVAL;
	if (!name_ok(name)) {
		fprintf(stderr,
			"ctbench: bad result set name '%s' (1..255 chars, no '/', not starting with '.')\n",
			name ? name : "(null)");
		return -EINVAL;
	}
	err = ctb_meta_check("meta", meta);
	if (err)
		return err;
	/* leave room below tmp for "/raw/<i>.csv" etc. */
	if (ctb_rs_pjoin(final, PATH_MAX, parent_dir, name) ||
	    strlen(final) + 12 + 64 >= PATH_MAX ||
	    snprintf(tmp, PATH_MAX, "%s/.%s.tmpXXXXXX", parent_dir,
		     name) < 0) {
		fprintf(stderr, "ctbench: result set path too long: %s/%s\n",
			parent_dir, name);
		return -ENAMETOOLONG;
	}
	return 0;
}

/* The parent directory, and tmp made in it unless final exists. */
static int set_mkdirs(const char *parent_dir, const char *final, char *tmp)
{
	struct stat st;
	int err;

	if (mkdir(parent_dir, 0755) && errno != EEXIST) {
		err = -errno;
		fprintf(stderr, "ctbench: cannot create %s: %s\n", parent_dir,
			strerror(errno));
		return err;
	}
	if (!lstat(final, &st)) {
		fprintf(stderr,
			"ctbench: result set %s already exists, not overwriting\n",
			final);
		return -EEXIST;
	}
	if (!mkdtemp(tmp)) {
		err = -errno;
		fprintf(stderr, "ctbench: cannot create a directory in %s: %s\n",
			parent_dir, strerror(errno));
		return err;
	}
	return 0;
}

/* raw/<i>.csv for every row that has samples. */
static int set_write_raw(const char *tmp, struct set_args *a)
{
	char rawdir[PATH_MAX];
	size_t i;
	int err = 0;

	for (i = 0; !err && i < a->nrows; i++) {
		char fname[8 + CTB_MAX_RAW_IDX];

		if (!has_raw(&a->rows[i]))
			continue;
		err = ctb_rs_pjoin(rawdir, sizeof(rawdir), tmp, "raw");
		if (err)
			break;
		if (mkdir(rawdir, 0755) && errno != EEXIST) {
			err = -errno;
			fprintf(stderr, "ctbench: cannot create %s: %s\n",
				rawdir, strerror(errno));
			break;
		}
		if (snprintf(fname, sizeof(fname), "raw/%zu.csv", i) < 0) {
			err = -EINVAL;
			break;
		}
		a->raw_idx = i;
		err = write_file(tmp, fname, w_raw, a);
	}
	return err;
}

/* Rename tmp to final, never over an existing set. */
static int set_publish(const char *tmp, const char *final)
{
	struct stat st;
	int err;

	if (!renameat2(AT_FDCWD, tmp, AT_FDCWD, final, RENAME_NOREPLACE))
		return 0;
	err = -errno;
	if (err == -EINVAL || err == -ENOSYS) {
		/* fs without RENAME_NOREPLACE: best effort */
		if (!lstat(final, &st)) {
			err = -EEXIST;
		} else if (rename(tmp, final)) {
			err = -errno;
		} else {
			err = 0;
		}
	}
	if (err == -EEXIST || err == -ENOTEMPTY) {
		err = -EEXIST;
		fprintf(stderr,
			"ctbench: result set %s already exists, not overwriting\n",
			final);
	} else if (err) {
		fprintf(stderr, "ctbench: rename %s -> %s: %s\n",
			tmp, final, strerror(-err));
	}
	return err;
}

int ctb_set_write_an(const char *parent_dir, const char *name,
		     const json_t *meta, const json_t *analysis,
		     const struct ctb_row *rows, size_t nrows, char *out_dir,
		     size_t out_len)
{
	struct set_args a = { NULL, rows, nrows, 0 };
	char final[PATH_MAX], tmp[PATH_MAX];
	int err;

	err = set_paths(parent_dir, name, meta, rows, nrows, final, tmp);
	if (!err)
		err = set_mkdirs(parent_dir, final, tmp);
	if (err)
		return err;
	if (chmod(tmp, 0755)) {
		err = -errno;
		goto fail;
	}

	a.meta = meta_doc(meta);
	err = a.meta ? write_file(tmp, "meta.json", w_meta, &a) : -ENOMEM;
	if (!err)
		err = write_file(tmp, "results.csv", w_csv, &a);
	if (!err)
		err = write_file(tmp, "results.json", w_json, &a);
	if (!err && analysis)
		err = write_file(tmp, "analysis.json", w_analysis, analysis);
	if (!err)
		err = set_write_raw(tmp, &a);
	if (!err)
		err = set_publish(tmp, final);
	if (err)
		goto fail;
	json_decref((json_t *)a.meta);
	if (out_dir && out_len)
		snprintf(out_dir, out_len, "%s", final);
	return 0;
fail:
	json_decref((json_t *)a.meta);
	remove_tmp(tmp, nrows);
	return err;
}

/* ------------------------------------------------------------------ */
