// SPDX-License-Identifier: GPL-2.0
/*
 * ctbench result sets (format: docs/results.md).
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
 * Reader: a small JSON scanner for meta.json (top-level object; string
 * values unescaped, anything else kept as raw JSON text) and an RFC 4180
 * CSV parser (quoted fields, "" escapes, CRLF tolerated).
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

#include "replicate.h"
#include "results.h"

#define CTB_MAX_FILE	(256u << 20)	/* refuse to slurp larger files */
#define CTB_MAX_RAW_IDX	16		/* digits in raw/<i>.csv */

static const char *const csv_cols[] = {
	"op", "family", "count", "aux", "state", "opflags", "cpu", "targets",
	"iterations", "samples", "unit", "min", "median", "mean", "stddev",
	"mad", "ci95_lo", "ci95_hi", "outliers", "baseline_median",
	"net_median", "net_ci95_lo", "net_ci95_hi", "per_unit",
	"per_unit_name", "cycles_median", "noop", "emulated", "events",
	"rounds", "ci_level", "net_spread_lo", "net_spread_hi", "floor_ns",
	"below_floor",
};

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

_Static_assert(sizeof(csv_cols) / sizeof(csv_cols[0]) == C_NCOLS,
	       "csv_cols and the column enum disagree");

static const char *const raw_cols[] = {
	"ns", "cycles", "baseline_ns", "baseline_cycles", "round",
	"iterations",
};

#define RAW_REQUIRED 4	/* round, iterations: schema 3 */
#define RAW_NCOLS 6

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
		fprintf(f, "%s%s", c ? "," : "", csv_cols[c]);
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

const char *const *ctb_col_names = csv_cols;
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
		if (json_object_set_new(o, csv_cols[c], v)) {
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

	return names[k];
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
		fprintf(f, "%s%s", c ? "," : "", raw_cols[c]);
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
static int pjoin(char *buf, size_t len, const char *dir, const char *name)
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
		    !pjoin(p, sizeof(p), tmp, name))
			unlink(p);
	}
	if (!pjoin(p, sizeof(p), tmp, "raw"))
		rmdir(p);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (!pjoin(p, sizeof(p), tmp, files[i]))
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

int ctb_set_write_an(const char *parent_dir, const char *name,
		     const json_t *meta, const json_t *analysis,
		     const struct ctb_row *rows, size_t nrows, char *out_dir,
		     size_t out_len)
{
	struct set_args a = { NULL, rows, nrows, 0 };
	char final[PATH_MAX], tmp[PATH_MAX], rawdir[PATH_MAX];
	struct stat st;
	size_t i;
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
	if (pjoin(final, sizeof(final), parent_dir, name) ||
	    strlen(final) + 12 + 64 >= sizeof(tmp) ||
	    snprintf(tmp, sizeof(tmp), "%s/.%s.tmpXXXXXX", parent_dir,
		     name) < 0) {
		fprintf(stderr, "ctbench: result set path too long: %s/%s\n",
			parent_dir, name);
		return -ENAMETOOLONG;
	}
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
	for (i = 0; !err && i < nrows; i++) {
		char fname[8 + CTB_MAX_RAW_IDX];

		if (!has_raw(&rows[i]))
			continue;
		err = pjoin(rawdir, sizeof(rawdir), tmp, "raw");
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
		a.raw_idx = i;
		err = write_file(tmp, fname, w_raw, &a);
	}
	if (err)
		goto fail;

	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, final, RENAME_NOREPLACE)) {
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
		if (err) {
			if (err == -EEXIST || err == -ENOTEMPTY) {
				err = -EEXIST;
				fprintf(stderr,
					"ctbench: result set %s already exists, not overwriting\n",
					final);
			} else {
				fprintf(stderr, "ctbench: rename %s -> %s: %s\n",
					tmp, final, strerror(-err));
			}
			goto fail;
		}
	}
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
/* reader */

static int bad_set(const char *dir, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* dir/file into *buf (NUL-terminated); errors: bad_set() unless quiet */
static int slurp(const char *dir, const char *file, char **buf, size_t *len,
		 int quiet)
{
	char path[PATH_MAX];
	FILE *f;
	size_t cap = 4096, n = 0, got;
	char *b;
	int err = pjoin(path, sizeof(path), dir, file);

	if (err)
		return quiet ? err : bad_set(dir, file, "path too long");
	f = fopen(path, "rb");
	if (!f) {
		err = errno ? -errno : -EIO;	/* never report success */
		if (!quiet)
			bad_set(dir, file, "cannot open it: %s%s",
				strerror(-err), (err == -ENOENT || err == -ENOTDIR) &&
				!strcmp(file, "meta.json") ?
				" (not a result set? give a directory ctbench run -o or suite wrote)" :
				"");
		return err;
	}
	b = malloc(cap + 1);
	while (b) {
		got = fread(b + n, 1, cap - n, f);
		n += got;
		if (n < cap)
			break;
		if (cap >= CTB_MAX_FILE) {
			free(b);
			fclose(f);
			bad_set(dir, file, "larger than %u bytes",
				CTB_MAX_FILE);
			return -EFBIG;
		}
		cap *= 2;
		char *nb = realloc(b, cap + 1);

		if (!nb) {
			free(b);
			b = NULL;
			break;
		}
		b = nb;
	}
	if (!b) {
		fclose(f);
		return -ENOMEM;
	}
	if (ferror(f)) {
		err = -EIO;
		bad_set(dir, file, "read error");
		free(b);
		fclose(f);
		return err;
	}
	fclose(f);
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

/* --- meta.json and results.json, through jansson --- */

/*
 * Messages printed by the reader since ctb_set_read() started: it
 * prints one itself only when a failure said nothing (out of memory).
 */
static unsigned int rd_said;

/* Print "bad result set DIR: FILE: <what>" on stderr; -EINVAL. */
static int bad_set(const char *dir, const char *file, const char *fmt, ...)
{
	va_list ap;

	rd_said++;
	fprintf(stderr, "ctbench: bad result set %s: ", dir);
	if (file)
		fprintf(stderr, "%s: ", file);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -EINVAL;
}

/* The one JSON reader: dir/file parsed into *out (an object). */
static int load_json(const char *dir, const char *file, json_t **out)
{
	char *buf = NULL;
	json_error_t e;
	size_t len = 0;
	int err;

	*out = NULL;
	err = slurp(dir, file, &buf, &len, 0);
	if (err)
		return err;
	*out = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &e);
	free(buf);
	if (!*out)
		return bad_set(dir, file, "line %d column %d: %s", e.line,
			       e.column, e.text);
	if (!json_is_object(*out)) {
		err = bad_set(dir, file, "expected an object, got %s",
			      ctb_json_type_name(*out));
		json_decref(*out);
		*out = NULL;
	}
	return err;
}

/* meta as the key/value list of struct ctb_set */
static int meta_to_kv(const json_t *m, struct ctb_set *s)
{
	const char *k;
	json_t *v;

	s->meta = calloc(json_object_size(m) + 1, sizeof(*s->meta));
	if (!s->meta)
		return -ENOMEM;
	json_object_foreach((json_t *)m, k, v) {
		struct ctb_kv *kv = &s->meta[s->nmeta];

		kv->is_raw_json = !json_is_string(v);
		kv->key = strdup(k);
		kv->value = kv->is_raw_json ?
			    json_dumps(v, JSON_ENCODE_ANY) :
			    strdup(json_string_value(v));
		s->nmeta++;
		if (!kv->key || !kv->value)
			return -ENOMEM;
	}
	return 0;
}

/*
 * Keys every set must have: what compare refuses on and report prints
 * (scripts/ctbplot REQUIRED_META also wants "emulated", which the rows'
 * column gives here: import-lava's reduced sets have no meta key for it).
 */
static const char *const meta_required[] = {
	"arch", "cpu_model", "kernel_release", "date",
};

static int read_meta(const char *dir, struct ctb_set *s, json_t **meta)
{
	const json_t *v;
	char where[PATH_MAX + 32];
	int err = load_json(dir, "meta.json", meta);

	if (err)
		return err;
	v = json_object_get(*meta, "schema_version");
	if (v && (!json_is_integer(v) || json_integer_value(v) < 1 ||
		  json_integer_value(v) > CTB_SCHEMA_VERSION))
		return bad_set(dir, "meta.json",
			       "key 'schema_version': expected an integer 1..%d, got %s",
			       CTB_SCHEMA_VERSION, ctb_json_type_name(v));
	snprintf(where, sizeof(where), "bad result set %s: meta.json", dir);
	err = ctb_meta_check(where, *meta);
	if (err) {
		rd_said++;	/* ctb_meta_check said it */
		return err;
	}
	/* what compare, report and scripts/plot rely on */
	for (size_t i = 0; i < sizeof(meta_required) / sizeof(meta_required[0]);
	     i++)
		if (!json_object_get(*meta, meta_required[i]))
			return bad_set(dir, "meta.json",
				       "missing key '%s' (every set ctbench writes has it; re-measure, or add it from the run's log)",
				       meta_required[i]);
	return meta_to_kv(*meta, s);
}

/* One row object of results.json against the column table. */
static int check_row(const char *dir, size_t i, const json_t *row)
{
	if (!json_is_object(row))
		return bad_set(dir, "results.json",
			       "rows[%zu]: expected an object, got %s", i,
			       ctb_json_type_name(row));
	for (size_t c = 0; c < C_NCOLS; c++) {
		const json_t *v = json_object_get(row, csv_cols[c]);

		if (!v && c >= C_FIRST_OPTIONAL)
			continue;	/* sets before schema 3 */
		if (!v)
			return bad_set(dir, "results.json",
				       "rows[%zu]: missing key '%s'", i,
				       csv_cols[c]);
		if (!ctb_kind_ok(ctb_col_kinds[c], v))
			return bad_set(dir, "results.json",
				       "rows[%zu]: key '%s': expected %s, got %s",
				       i, csv_cols[c],
				       ctb_kind_name(ctb_col_kinds[c]),
				       ctb_json_type_name(v));
	}
	return 0;
}

/*
 * results.json holds what meta.json and results.csv hold: the same meta
 * object and one row object per CSV row, every column with its kind.
 */
static int check_results_json(const char *dir, const json_t *meta,
			      size_t nrows)
{
	const json_t *m, *rows;
	json_t *doc;
	int err = load_json(dir, "results.json", &doc);

	if (err)
		return err;
	m = json_object_get(doc, "meta");
	rows = json_object_get(doc, "rows");
	if (!json_is_object(m))
		err = bad_set(dir, "results.json",
			      "key 'meta': expected an object, got %s",
			      m ? ctb_json_type_name(m) : "nothing");
	else if (!json_equal((json_t *)m, (json_t *)meta))
		err = bad_set(dir, "results.json",
			      "key 'meta': differs from meta.json");
	else if (!json_is_array(rows))
		err = bad_set(dir, "results.json",
			      "key 'rows': expected an array, got %s",
			      rows ? ctb_json_type_name(rows) : "nothing");
	else if (json_array_size(rows) != nrows)
		err = bad_set(dir, "results.json",
			      "key 'rows': %zu rows, results.csv has %zu",
			      json_array_size(rows), nrows);
	for (size_t i = 0; !err && i < nrows; i++)
		err = check_row(dir, i, json_array_get(rows, i));
	json_decref(doc);
	return err;
}

/* --- CSV --- */

struct csv_rec {
	char **f;
	size_t n, cap;
};

static void rec_clear(struct csv_rec *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->f[i]);
	r->n = 0;
}

static void rec_free(struct csv_rec *r)
{
	rec_clear(r);
	free(r->f);
	r->f = NULL;
	r->cap = 0;
}

/* End of the raw text of the field at p (0 when a quote is unterminated). */
static const char *field_end(const char *p, const char *end)
{
	if (p < end && *p == '"') {
		for (p++;; p++) {
			if (p >= end)
				return NULL;
			if (*p != '"')
				continue;
			if (p + 1 < end && p[1] == '"') {
				p++;
				continue;
			}
			p++;
			break;
		}
	}
	while (p < end && *p != ',' && *p != '\n' && *p != '\r')
		p++;
	return p;
}

/*
 * Parse one record at *pp. Returns 1 with fields in r, 0 at end of input,
 * negative errno on error (unterminated quote).
 */
static int csv_next(const char **pp, const char *end, struct csv_rec *r)
{
	const char *p = *pp;

	rec_clear(r);
	if (p >= end)
		return 0;
	for (;;) {
		const char *fe = field_end(p, end);
		char *fld, *q;

		if (!fe)
			return -EINVAL;
		/* the unescaped field is never longer than its raw text */
		fld = malloc((size_t)(fe - p) + 1);
		if (!fld)
			return -ENOMEM;
		q = fld;
		if (p < end && *p == '"') {
			p++;
			for (;;) {
				if (p >= end) {
					free(fld);
					return -EINVAL;
				}
				if (*p == '"') {
					if (p + 1 < end && p[1] == '"') {
						*q++ = '"';
						p += 2;
						continue;
					}
					p++;
					break;
				}
				*q++ = *p++;
			}
		}
		while (p < end && *p != ',' && *p != '\n' && *p != '\r')
			*q++ = *p++;
		*q = '\0';
		if (r->n == r->cap) {
			size_t nc = r->cap ? r->cap * 2 : 32;
			char **nf = realloc(r->f, nc * sizeof(*nf));

			if (!nf) {
				free(fld);
				return -ENOMEM;
			}
			r->f = nf;
			r->cap = nc;
		}
		r->f[r->n++] = fld;
		if (p < end && *p == ',') {
			p++;
			continue;
		}
		if (p < end && *p == '\r')
			p++;
		if (p < end && *p == '\n')
			p++;
		break;
	}
	*pp = p;
	return 1;
}

struct rctx {
	const char *dir, *file;
	size_t line;
	const char *col;
};

static int bad(const struct rctx *c, const char *val, const char *want)
{
	return bad_set(c->dir, c->file,
		       "line %zu: column '%s': bad value '%s' (expected %s)",
		       c->line, c->col, val, want);
}

static int get_u64(const struct rctx *c, const char *v, uint64_t max,
		   uint64_t *out)
{
	char *e;
	unsigned long long x;
	char want[64];

	snprintf(want, sizeof(want), "an integer 0..%" PRIu64, max);
	if (!v[0] || v[0] == '-' || v[0] == '+' || v[0] == ' ')
		return bad(c, v, want);
	errno = 0;
	x = strtoull(v, &e, 10);
	if (errno || *e || x > max)
		return bad(c, v, want);
	*out = x;
	return 0;
}

static int get_int(const struct rctx *c, const char *v, int *out)
{
	char *e;
	long x;

	errno = 0;
	x = strtol(v, &e, 10);
	if (!v[0] || errno || *e || x < INT_MIN || x > INT_MAX)
		return bad(c, v, "an integer");
	*out = (int)x;
	return 0;
}

/* empty cell -> NAN */
static int get_dbl(const struct rctx *c, const char *v, double *out)
{
	char *e;

	if (!v[0]) {
		*out = NAN;
		return 0;
	}
	errno = 0;
	*out = strtod(v, &e);
	if (*e || errno == EINVAL)
		return bad(c, v, "a number or an empty cell");
	return 0;
}

static int get_str(const struct rctx *c, const char *v, char *dst,
		   size_t len)
{
	char want[64];

	if (strlen(v) >= len) {
		snprintf(want, sizeof(want), "at most %zu characters",
			 len - 1);
		return bad(c, v, want);
	}
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

static int parse_row(struct rctx *c, char **f, const int *idx,
		     struct ctb_row *r)
{
	uint64_t u;
	int err = 0;

#define COL(i) (c->col = csv_cols[i], f[idx[i]])
	err = get_str(c, COL(C_OP), r->op, sizeof(r->op));
	if (!err)
		err = get_str(c, COL(C_FAMILY), r->family, sizeof(r->family));
	if (!err && !(err = get_u64(c, COL(C_COUNT), UINT32_MAX, &u)))
		r->count = (uint32_t)u;
	if (!err && !(err = get_u64(c, COL(C_AUX), UINT32_MAX, &u)))
		r->aux = (uint32_t)u;
	if (!err)
		err = get_str(c, COL(C_STATE), r->state, sizeof(r->state));
	if (!err)
		err = get_str(c, COL(C_OPFLAGS), r->opflags,
			      sizeof(r->opflags));
	if (!err)
		err = get_int(c, COL(C_CPU), &r->cpu);
	if (!err)
		err = get_str(c, COL(C_TARGETS), r->targets,
			      sizeof(r->targets));
	if (!err && !(err = get_u64(c, COL(C_ITERATIONS), UINT32_MAX, &u)))
		r->iterations = (uint32_t)u;
	if (!err && !(err = get_u64(c, COL(C_SAMPLES), SIZE_MAX, &u)))
		r->st.n = (size_t)u;
	if (!err && strcmp(COL(C_UNIT), "ns/iter"))
		err = bad(c, f[idx[C_UNIT]], "'ns/iter'");
	if (!err)
		err = get_dbl(c, COL(C_MIN), &r->st.min);
	if (!err)
		err = get_dbl(c, COL(C_MEDIAN), &r->st.median);
	if (!err)
		err = get_dbl(c, COL(C_MEAN), &r->st.mean);
	if (!err)
		err = get_dbl(c, COL(C_STDDEV), &r->st.stddev);
	if (!err)
		err = get_dbl(c, COL(C_MAD), &r->st.mad);
	if (!err)
		err = get_dbl(c, COL(C_CI_LO), &r->st.ci_lo);
	if (!err)
		err = get_dbl(c, COL(C_CI_HI), &r->st.ci_hi);
	if (!err && !(err = get_u64(c, COL(C_OUTLIERS), SIZE_MAX, &u)))
		r->st.outliers = (size_t)u;
	if (!err)
		err = get_dbl(c, COL(C_BASELINE), &r->baseline_median);
	if (!err)
		err = get_dbl(c, COL(C_NET_MEDIAN), &r->net.median);
	if (!err)
		err = get_dbl(c, COL(C_NET_LO), &r->net.ci_lo);
	if (!err)
		err = get_dbl(c, COL(C_NET_HI), &r->net.ci_hi);
	if (!err)
		err = get_dbl(c, COL(C_PER_UNIT), &r->per_unit);
	if (!err)
		err = get_str(c, COL(C_PER_UNIT_NAME), r->per_unit_name,
			      sizeof(r->per_unit_name));
	if (!err)
		err = get_dbl(c, COL(C_CYCLES), &r->cycles_median);
	if (!err)
		err = get_str(c, COL(C_NOOP), r->noop, sizeof(r->noop));
	if (!err && strcmp(r->noop, "yes") && strcmp(r->noop, "no") &&
	    strcmp(r->noop, "n/a"))
		err = bad(c, r->noop, "yes, no or n/a");
	if (!err) {
		const char *v = COL(C_EMULATED);

		if (!strcmp(v, "0") || !strcmp(v, "1"))
			r->emulated = v[0] == '1';
		else
			err = bad(c, v, "0 or 1");
	}
	if (!err)
		err = get_str(c, COL(C_EVENTS), r->events, sizeof(r->events));
	/* schema 3; an older set gets them from raw/ or one round */
	if (!err && idx[C_ROUNDS] >= 0 &&
	    !(err = get_u64(c, COL(C_ROUNDS), CTB_MAX_ROUNDS, &u)))
		r->rep.rounds = (size_t)u;
	if (!err && idx[C_CI_LEVEL] >= 0)
		err = get_dbl(c, COL(C_CI_LEVEL), &r->rep.ci_level);
	if (!err && idx[C_SPREAD_LO] >= 0)
		err = get_dbl(c, COL(C_SPREAD_LO), &r->rep.spread_lo);
	if (!err && idx[C_SPREAD_HI] >= 0)
		err = get_dbl(c, COL(C_SPREAD_HI), &r->rep.spread_hi);
	if (!err && idx[C_FLOOR] >= 0)
		err = get_dbl(c, COL(C_FLOOR), &r->rep.floor);
	if (!err && idx[C_BELOW] >= 0 &&
	    !(err = get_u64(c, COL(C_BELOW), 1, &u)))
		r->rep.below_floor = (int)u;
	if (!err && idx[C_ROUNDS] < 0) {
		r->rep.rounds = 1;
		r->rep.spread_lo = r->rep.spread_hi = r->net.median;
		r->rep.floor = 0.0;
	}
	r->rep.net = r->net.median;
	r->rep.ci_lo = r->net.ci_lo;
	r->rep.ci_hi = r->net.ci_hi;
	r->rep.ctrl = r->baseline_median;
#undef COL
	return err;
}

static int read_raw(const char *dir, size_t i, struct ctb_row *r)
{
	char name[8 + CTB_MAX_RAW_IDX];
	char *buf = NULL;
	const char *p, *end;
	struct csv_rec rec = { 0 };
	double *cols[RAW_NCOLS] = { NULL };
	int idx[RAW_NCOLS] = { -1, -1, -1, -1, -1, -1 };
	int any[RAW_NCOLS] = { 0 };
	size_t len, n = 0, cap = 0, c, k;
	struct rctx ctx = { dir, name, 1, NULL };
	int err;

	if (snprintf(name, sizeof(name), "raw/%zu.csv", i) < 0)
		return -ENAMETOOLONG;
	err = slurp(dir, name, &buf, &len, 1);
	if (err == -ENOENT)
		return 0;	/* raw samples are optional */
	if (err)
		return bad_set(dir, name, "cannot read it: %s",
			       strerror(-err));
	p = buf;
	end = buf + len;
	err = csv_next(&p, end, &rec);
	if (err <= 0) {
		err = bad_set(dir, name, "missing header line");
		goto out;
	}
	for (k = 0; k < rec.n; k++)
		for (c = 0; c < RAW_NCOLS; c++)
			if (!strcmp(rec.f[k], raw_cols[c]))
				idx[c] = (int)k;
	/* round and iterations come together or not at all */
	if ((idx[4] < 0) != (idx[5] < 0)) {
		err = bad_set(dir, name,
			      "'round' and 'iterations' need each other");
		goto out;
	}
	for (c = 0; c < RAW_REQUIRED; c++) {
		if (idx[c] < 0) {
			err = bad_set(dir, name, "missing column '%s'",
				      raw_cols[c]);
			goto out;
		}
	}
	while ((err = csv_next(&p, end, &rec)) > 0) {
		ctx.line++;
		if (rec.n == 1 && !rec.f[0][0])
			continue;	/* blank line */
		if (rec.n < (idx[4] < 0 ? 4u : (size_t)RAW_NCOLS)) {
			err = bad_set(dir, name,
				      "line %zu: %zu fields, expected %d",
				      ctx.line, rec.n,
				      idx[4] < 0 ? 4 : RAW_NCOLS);
			goto out;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			for (c = 0; c < RAW_NCOLS; c++) {
				double *nc = realloc(cols[c],
						     cap * sizeof(double));

				if (!nc) {
					err = -ENOMEM;
					goto out;
				}
				cols[c] = nc;
			}
		}
		for (c = 0; c < RAW_NCOLS; c++) {
			if (idx[c] < 0)
				continue;
			ctx.col = raw_cols[c];
			err = get_dbl(&ctx, rec.f[idx[c]], &cols[c][n]);
			if (err)
				goto out;
			if (c >= 4 && !(cols[c][n] >= 0.0 &&
					cols[c][n] <= (double)UINT32_MAX &&
					cols[c][n] == floor(cols[c][n]) &&
					(c == 4 || cols[c][n] >= 1.0))) {
				err = bad(&ctx, rec.f[idx[c]], c == 4 ?
					  "a round number >= 0" :
					  "an iteration count >= 1");
				goto out;
			}
			if (!isnan(cols[c][n]))
				any[c] = 1;
		}
		n++;
	}
	if (err < 0) {
		err = bad_set(ctx.dir, ctx.file, "unterminated quoted field");
		goto out;
	}
	err = 0;
	if (!n || !any[0])
		goto out;
	for (c = 0; c < RAW_NCOLS; c++) {
		if (!any[c]) {
			free(cols[c]);
			cols[c] = NULL;
		}
	}
	if (cols[4] && cols[5]) {
		r->raw_round = malloc(n * sizeof(uint32_t));
		r->raw_iters = malloc(n * sizeof(uint32_t));
		if (!r->raw_round || !r->raw_iters) {
			free(r->raw_round);
			free(r->raw_iters);
			r->raw_round = r->raw_iters = NULL;
			err = -ENOMEM;
			goto out;
		}
		for (k = 0; k < n; k++) {
			r->raw_round[k] = (uint32_t)cols[4][k];
			r->raw_iters[k] = (uint32_t)cols[5][k];
		}
	}
	r->raw_ns = cols[0];
	r->raw_cycles = cols[1];
	r->base_ns = cols[2];
	r->base_cycles = cols[3];
	r->nraw = n;
	cols[0] = cols[1] = cols[2] = cols[3] = NULL;
out:
	for (c = 0; c < RAW_NCOLS; c++)
		free(cols[c]);
	rec_free(&rec);
	free(buf);
	return err;
}

/*
 * Schema 3 rows carry their rounds in raw/: recompute every statistic
 * with the code the run used (clock step from meta), so what is read is
 * what was printed. Returns 1 when done.
 */
static int replicate_from_raw(const struct ctb_set *s, struct ctb_row *r)
{
	const char *v = ctb_meta_get(s, "clock_resolution_ns");
	double step = v ? strtod(v, NULL) : 0.0;
	char noop[8], pun[16];
	double pu = r->per_unit;

	if (!r->raw_round || !r->raw_iters || !r->nraw)
		return 0;
	if (!(step >= 0.0) || !isfinite(step))
		step = 0.0;
	memcpy(noop, r->noop, sizeof(noop));
	memcpy(pun, r->per_unit_name, sizeof(pun));
	if (ctb_row_replicate(r, step))
		return 0;
	r->per_unit = r->rep.below_floor ? NAN : pu;
	memcpy(r->noop, noop, sizeof(noop));
	memcpy(r->per_unit_name, pun, sizeof(pun));
	return 1;
}

/* st.max and st.iqr are not in results.csv: recover them from raw/ */
static void fill_from_raw(struct ctb_row *r)
{
	struct ctb_stats s;
	double *v;
	size_t i;

	r->st.max = NAN;
	r->st.iqr = NAN;
	if (!r->nraw || !r->raw_ns || !r->iterations)
		return;
	v = malloc(r->nraw * sizeof(*v));
	if (!v)
		return;
	for (i = 0; i < r->nraw; i++)
		v[i] = r->raw_ns[i] / (double)r->iterations;
	if (!ctb_stats_compute(v, r->nraw, &s)) {
		r->st.max = s.max;
		r->st.iqr = s.iqr;
	}
	free(v);
}

static int parse_results(const char *dir, const char *buf, size_t len,
			 struct ctb_set *s)
{
	const char *p = buf, *end = buf + len;
	struct csv_rec rec = { 0 };
	int idx[C_NCOLS];
	size_t cap = 0, k, c;
	struct rctx ctx = { dir, "results.csv", 1, NULL };
	int err, maxidx = 0;

	err = csv_next(&p, end, &rec);
	if (err <= 0) {
		err = bad_set(dir, ctx.file, "missing header line");
		goto out;
	}
	for (c = 0; c < C_NCOLS; c++) {
		idx[c] = -1;
		for (k = 0; k < rec.n; k++)
			if (!strcmp(rec.f[k], csv_cols[c]))
				idx[c] = (int)k;
		if (idx[c] < 0 && c < C_FIRST_OPTIONAL) {
			err = bad_set(dir, ctx.file, "missing column '%s'",
				      csv_cols[c]);
			goto out;
		}
		if (idx[c] > maxidx)
			maxidx = idx[c];
	}
	while ((err = csv_next(&p, end, &rec)) > 0) {
		struct ctb_row *r;

		ctx.line++;
		if (rec.n == 1 && !rec.f[0][0])
			continue;
		if (rec.n <= (size_t)maxidx) {
			err = bad_set(dir, ctx.file,
				      "line %zu: %zu fields, expected %d",
				      ctx.line, rec.n, maxidx + 1);
			goto out;
		}
		if (s->nrows == cap) {
			size_t nc = cap ? cap * 2 : 64;
			struct ctb_row *nr = realloc(s->rows, nc * sizeof(*nr));

			if (!nr) {
				err = -ENOMEM;
				goto out;
			}
			s->rows = nr;
			cap = nc;
		}
		r = &s->rows[s->nrows];
		memset(r, 0, sizeof(*r));
		s->nrows++;	/* counted now so ctb_set_free sees it */
		err = parse_row(&ctx, rec.f, idx, r);
		if (!err)
			err = read_raw(dir, s->nrows - 1, r);
		if (err)
			goto out;
		if (!replicate_from_raw(s, r))
			fill_from_raw(r);
	}
	if (err < 0) {
		err = bad_set(ctx.dir, ctx.file, "unterminated quoted field");
		goto out;
	}
	err = 0;
out:
	rec_free(&rec);
	return err;
}

int ctb_set_read(const char *dir, struct ctb_set *out)
{
	json_t *meta = NULL;
	char *buf = NULL;
	size_t len = 0;
	int err;

	if (!dir || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	rd_said = 0;
	if ((size_t)snprintf(out->dir, sizeof(out->dir), "%s", dir) >=
	    sizeof(out->dir))
		return bad_set(dir, NULL, "path too long");
	err = read_meta(dir, out, &meta);
	if (!err)
		err = slurp(dir, "results.csv", &buf, &len, 0);
	if (!err)
		err = parse_results(dir, buf, len, out);
	free(buf);
	if (!err)
		err = check_results_json(dir, meta, out->nrows);
	out->meta_json = meta;
	if (err && !rd_said)	/* e.g. out of memory: still one message */
		bad_set(dir, NULL, "%s", strerror(-err));
	if (err)
		ctb_set_free(out);
	return err;
}

void ctb_set_free(struct ctb_set *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nmeta; i++) {
		free((char *)s->meta[i].key);
		free((char *)s->meta[i].value);
	}
	free(s->meta);
	ctb_rows_free(s->rows, s->nrows);
	json_decref(s->meta_json);
	s->meta_json = NULL;
	s->meta = NULL;
	s->rows = NULL;
	s->nmeta = 0;
	s->nrows = 0;
}

const char *ctb_meta_get(const struct ctb_set *s, const char *key)
{
	size_t i;

	for (i = 0; s && key && i < s->nmeta; i++)
		if (!strcmp(s->meta[i].key, key))
			return s->meta[i].value;
	return NULL;
}
