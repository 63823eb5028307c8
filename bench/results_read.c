// SPDX-License-Identifier: GPL-2.0
/*
 * ctbench result sets, the reader (format: docs/results.md): meta.json
 * and results.json through jansson, results.csv row by row
 * (results_csv.c), then each row's statistics recomputed from its raw/
 * samples. Every failure prints one "bad result set" line.
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
#include "results_int.h"

/* dir/file into *buf (NUL-terminated); errors: ctb_rs_bad_set() unless quiet */
int ctb_rs_slurp(const char *dir, const char *file, char **buf, size_t *len,
		 int quiet)
{
	char path[PATH_MAX];
	FILE *f;
	size_t cap = 4096, n = 0, got;
	char *b;
	int err = ctb_rs_pjoin(path, sizeof(path), dir, file);

	if (err)
		return quiet ? err : ctb_rs_bad_set(dir, file, "path too long");
	f = fopen(path, "rb");
	if (!f) {
		err = errno ? -errno : -EIO;	/* never report success */
		if (!quiet)
			ctb_rs_bad_set(dir, file, "cannot open it: %s%s",
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
			ctb_rs_bad_set(dir, file, "larger than %u bytes",
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
		ctb_rs_bad_set(dir, file, "read error");
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
int ctb_rs_bad_set(const char *dir, const char *file, const char *fmt, ...)
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
	err = ctb_rs_slurp(dir, file, &buf, &len, 0);
	if (err)
		return err;
	*out = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &e);
	free(buf);
	if (!*out)
		return ctb_rs_bad_set(dir, file, "line %d column %d: %s", e.line,
			       e.column, e.text);
	if (!json_is_object(*out)) {
		err = ctb_rs_bad_set(dir, file, "expected an object, got %s",
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
		return ctb_rs_bad_set(dir, "meta.json",
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
			return ctb_rs_bad_set(dir, "meta.json",
				       "missing key '%s' (every set ctbench writes has it; re-measure, or add it from the run's log)",
				       meta_required[i]);
	return meta_to_kv(*meta, s);
}

/* One row object of results.json against the column table. */
static int check_row(const char *dir, size_t i, const json_t *row)
{
	if (!json_is_object(row))
		return ctb_rs_bad_set(dir, "results.json",
			       "rows[%zu]: expected an object, got %s", i,
			       ctb_json_type_name(row));
	for (size_t c = 0; c < C_NCOLS; c++) {
		const json_t *v = json_object_get(row, ctb_csv_cols[c]);

		if (!v && c >= C_FIRST_OPTIONAL)
			continue;	/* sets before schema 3 */
		if (!v)
			return ctb_rs_bad_set(dir, "results.json",
				       "rows[%zu]: missing key '%s'", i,
				       ctb_csv_cols[c]);
		if (!ctb_kind_ok(ctb_col_kinds[c], v))
			return ctb_rs_bad_set(dir, "results.json",
				       "rows[%zu]: key '%s': expected %s, got %s",
				       i, ctb_csv_cols[c],
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
		err = ctb_rs_bad_set(dir, "results.json",
			      "key 'meta': expected an object, got %s",
			      m ? ctb_json_type_name(m) : "nothing");
	else if (!json_equal((json_t *)m, (json_t *)meta))
		err = ctb_rs_bad_set(dir, "results.json",
			      "key 'meta': differs from meta.json");
	else if (!json_is_array(rows))
		err = ctb_rs_bad_set(dir, "results.json",
			      "key 'rows': expected an array, got %s",
			      rows ? ctb_json_type_name(rows) : "nothing");
	else if (json_array_size(rows) != nrows)
		err = ctb_rs_bad_set(dir, "results.json",
			      "key 'rows': %zu rows, results.csv has %zu",
			      json_array_size(rows), nrows);
	for (size_t i = 0; !err && i < nrows; i++)
		err = check_row(dir, i, json_array_get(rows, i));
	json_decref(doc);
	return err;
}

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

	err = ctb_csv_next(&p, end, &rec);
	if (err <= 0) {
		err = ctb_rs_bad_set(dir, ctx.file, "missing header line");
		goto out;
	}
	for (c = 0; c < C_NCOLS; c++) {
		idx[c] = -1;
		for (k = 0; k < rec.n; k++)
			if (!strcmp(rec.f[k], ctb_csv_cols[c]))
				idx[c] = (int)k;
		if (idx[c] < 0 && c < C_FIRST_OPTIONAL) {
			err = ctb_rs_bad_set(dir, ctx.file, "missing column '%s'",
				      ctb_csv_cols[c]);
			goto out;
		}
		if (idx[c] > maxidx)
			maxidx = idx[c];
	}
	while ((err = ctb_csv_next(&p, end, &rec)) > 0) {
		struct ctb_row *r;

		ctx.line++;
		if (rec.n == 1 && !rec.f[0][0])
			continue;
		if (rec.n <= (size_t)maxidx) {
			err = ctb_rs_bad_set(dir, ctx.file,
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
		err = ctb_rs_parse_row(&ctx, rec.f, idx, r);
		if (!err)
			err = ctb_rs_read_raw(dir, s->nrows - 1, r);
		if (err)
			goto out;
		if (!replicate_from_raw(s, r))
			fill_from_raw(r);
	}
	if (err < 0) {
		err = ctb_rs_bad_set(ctx.dir, ctx.file, "unterminated quoted field");
		goto out;
	}
	err = 0;
out:
	ctb_csv_rec_free(&rec);
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
		return ctb_rs_bad_set(dir, NULL, "path too long");
	err = read_meta(dir, out, &meta);
	if (!err)
		err = ctb_rs_slurp(dir, "results.csv", &buf, &len, 0);
	if (!err)
		err = parse_results(dir, buf, len, out);
	free(buf);
	if (!err)
		err = check_results_json(dir, meta, out->nrows);
	out->meta_json = meta;
	if (err && !rd_said)	/* e.g. out of memory: still one message */
		ctb_rs_bad_set(dir, NULL, "%s", strerror(-err));
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
