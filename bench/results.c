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

#include "results.h"

#define CTB_MAX_FILE	(256u << 20)	/* refuse to slurp larger files */
#define CTB_MAX_RAW_IDX	16		/* digits in raw/<i>.csv */

static const char *const csv_cols[] = {
	"op", "family", "count", "aux", "state", "opflags", "cpu", "targets",
	"iterations", "samples", "unit", "min", "median", "mean", "stddev",
	"mad", "ci95_lo", "ci95_hi", "outliers", "baseline_median",
	"net_median", "net_ci95_lo", "net_ci95_hi", "per_unit",
	"per_unit_name", "cycles_median", "noop", "emulated", "events",
};

enum {
	C_OP, C_FAMILY, C_COUNT, C_AUX, C_STATE, C_OPFLAGS, C_CPU, C_TARGETS,
	C_ITERATIONS, C_SAMPLES, C_UNIT, C_MIN, C_MEDIAN, C_MEAN, C_STDDEV,
	C_MAD, C_CI_LO, C_CI_HI, C_OUTLIERS, C_BASELINE, C_NET_MEDIAN,
	C_NET_LO, C_NET_HI, C_PER_UNIT, C_PER_UNIT_NAME, C_CYCLES, C_NOOP,
	C_EMULATED, C_EVENTS, C_NCOLS
};

_Static_assert(sizeof(csv_cols) / sizeof(csv_cols[0]) == C_NCOLS,
	       "csv_cols and the column enum disagree");

static const char *const raw_cols[] = {
	"ns", "cycles", "baseline_ns", "baseline_cycles",
};

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

static void put_num_json(FILE *f, double v)
{
	char buf[40];

	fmt_double(buf, sizeof(buf), v);
	fputs(buf[0] ? buf : "null", f);
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

void ctb_json_escape(FILE *f, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
}

static void put_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	ctb_json_escape(f, s);
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
		fputc('\n', f);
	}
	return ferror(f) ? -EIO : 0;
}

static void json_key(FILE *f, const char *k, int first)
{
	fprintf(f, "%s\"%s\": ", first ? "" : ", ", k);
}

static void json_row(FILE *f, const struct ctb_row *r)
{
	fputc('{', f);
	json_key(f, "op", 1);
	put_json_str(f, r->op);
	json_key(f, "family", 0);
	put_json_str(f, r->family);
	json_key(f, "count", 0);
	fprintf(f, "%" PRIu32, r->count);
	json_key(f, "aux", 0);
	fprintf(f, "%" PRIu32, r->aux);
	json_key(f, "state", 0);
	put_json_str(f, dash(r->state));
	json_key(f, "opflags", 0);
	put_json_str(f, dash(r->opflags));
	json_key(f, "cpu", 0);
	fprintf(f, "%d", r->cpu);
	json_key(f, "targets", 0);
	put_json_str(f, dash(r->targets));
	json_key(f, "iterations", 0);
	fprintf(f, "%" PRIu32, r->iterations);
	json_key(f, "samples", 0);
	fprintf(f, "%zu", r->st.n);
	json_key(f, "unit", 0);
	put_json_str(f, "ns/iter");
	json_key(f, "min", 0);
	put_num_json(f, r->st.min);
	json_key(f, "median", 0);
	put_num_json(f, r->st.median);
	json_key(f, "mean", 0);
	put_num_json(f, r->st.mean);
	json_key(f, "stddev", 0);
	put_num_json(f, r->st.stddev);
	json_key(f, "mad", 0);
	put_num_json(f, r->st.mad);
	json_key(f, "ci95_lo", 0);
	put_num_json(f, r->st.ci_lo);
	json_key(f, "ci95_hi", 0);
	put_num_json(f, r->st.ci_hi);
	json_key(f, "outliers", 0);
	fprintf(f, "%zu", r->st.outliers);
	json_key(f, "baseline_median", 0);
	put_num_json(f, r->baseline_median);
	json_key(f, "net_median", 0);
	put_num_json(f, r->net.median);
	json_key(f, "net_ci95_lo", 0);
	put_num_json(f, r->net.ci_lo);
	json_key(f, "net_ci95_hi", 0);
	put_num_json(f, r->net.ci_hi);
	json_key(f, "per_unit", 0);
	put_num_json(f, r->per_unit);
	json_key(f, "per_unit_name", 0);
	put_json_str(f, dash(r->per_unit_name));
	json_key(f, "cycles_median", 0);
	put_num_json(f, r->cycles_median);
	json_key(f, "noop", 0);
	put_json_str(f, noop_str(r));
	json_key(f, "emulated", 0);
	fprintf(f, "%d", r->emulated ? 1 : 0);
	json_key(f, "events", 0);
	put_json_str(f, r->events);
	fputc('}', f);
}

int ctb_rows_write_json(FILE *f, const struct ctb_row *rows, size_t nrows)
{
	size_t i;

	fputc('[', f);
	for (i = 0; i < nrows; i++) {
		fputs(i ? ",\n  " : "\n  ", f);
		json_row(f, &rows[i]);
	}
	fputs(nrows ? "\n]" : "]", f);
	return ferror(f) ? -EIO : 0;
}

static int key_ok(const char *k)
{
	const unsigned char *p;

	if (!k || !k[0])
		return 0;
	for (p = (const unsigned char *)k; *p; p++)
		if (*p < 0x20 || *p == '"' || *p == '\\')
			return 0;
	return 1;
}

static void json_meta(FILE *f, const struct ctb_kv *meta, size_t nmeta)
{
	size_t i;

	fputc('{', f);
	for (i = 0; i < nmeta; i++) {
		fprintf(f, "%s\n  ", i ? "," : "");
		put_json_str(f, meta[i].key);
		fputs(": ", f);
		if (meta[i].is_raw_json)
			fputs(meta[i].value, f);
		else
			put_json_str(f, meta[i].value ? meta[i].value : "");
	}
	fprintf(f, "%s}", nmeta ? "\n" : "");
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
	const struct ctb_kv *meta;
	size_t nmeta;
	const struct ctb_row *rows;
	size_t nrows;
	size_t raw_idx;
};

static int w_meta(FILE *f, const void *arg)
{
	const struct set_args *a = arg;

	json_meta(f, a->meta, a->nmeta);
	fputc('\n', f);
	return ferror(f) ? -EIO : 0;
}

static int w_csv(FILE *f, const void *arg)
{
	const struct set_args *a = arg;

	return ctb_rows_write_csv(f, a->rows, a->nrows);
}

static int w_json(FILE *f, const void *arg)
{
	const struct set_args *a = arg;
	size_t i;

	fputs("{\"meta\": ", f);
	json_meta(f, a->meta, a->nmeta);
	fputs(",\n\"rows\": [", f);
	for (i = 0; i < a->nrows; i++) {
		fputs(i ? ",\n  " : "\n  ", f);
		json_row(f, &a->rows[i]);
	}
	fputs(a->nrows ? "\n]}\n" : "]}\n", f);
	return ferror(f) ? -EIO : 0;
}

static int w_raw(FILE *f, const void *arg)
{
	const struct set_args *a = arg;
	const struct ctb_row *r = &a->rows[a->raw_idx];
	const double *cols[4] = { r->raw_ns, r->raw_cycles, r->base_ns,
				  r->base_cycles };
	size_t i, c;

	fprintf(f, "%s,%s,%s,%s\n", raw_cols[0], raw_cols[1], raw_cols[2],
		raw_cols[3]);
	for (i = 0; i < r->nraw; i++) {
		for (c = 0; c < 4; c++) {
			if (c)
				fputc(',', f);
			if (cols[c])
				put_num_csv(f, cols[c][i]);
		}
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
		"meta.json", "results.csv", "results.json",
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
		  const struct ctb_kv *meta, size_t nmeta,
		  const struct ctb_row *rows, size_t nrows,
		  char *out_dir, size_t out_len)
{
	struct set_args a = { meta, nmeta, rows, nrows, 0 };
	char final[PATH_MAX], tmp[PATH_MAX], rawdir[PATH_MAX];
	struct stat st;
	size_t i;
	int err;

	if (!parent_dir || !parent_dir[0] || (nmeta && !meta) ||
	    (nrows && !rows))
		return -EINVAL;
	if (!name_ok(name)) {
		fprintf(stderr,
			"ctbench: bad result set name '%s' (1..255 chars, no '/', not starting with '.')\n",
			name ? name : "(null)");
		return -EINVAL;
	}
	for (i = 0; i < nmeta; i++) {
		if (!key_ok(meta[i].key) ||
		    (meta[i].is_raw_json && !meta[i].value)) {
			fprintf(stderr, "ctbench: bad meta key #%zu '%s'\n",
				i, meta[i].key ? meta[i].key : "(null)");
			return -EINVAL;
		}
	}
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

	err = write_file(tmp, "meta.json", w_meta, &a);
	if (!err)
		err = write_file(tmp, "results.csv", w_csv, &a);
	if (!err)
		err = write_file(tmp, "results.json", w_json, &a);
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
	if (out_dir && out_len)
		snprintf(out_dir, out_len, "%s", final);
	return 0;
fail:
	remove_tmp(tmp, nrows);
	return err;
}

/* ------------------------------------------------------------------ */
/* reader */

static int slurp(const char *path, char **buf, size_t *len, int quiet)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, n = 0, got;
	char *b;
	int err;

	if (!f) {
		err = errno ? -errno : -EIO;	/* never report success */
		if (!quiet)
			fprintf(stderr, "ctbench: cannot open %s: %s\n", path,
				strerror(-err));
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
			fprintf(stderr, "ctbench: %s is larger than %u bytes\n",
				path, CTB_MAX_FILE);
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
		fprintf(stderr, "ctbench: reading %s failed\n", path);
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

/* --- meta.json --- */

struct jp {
	const char *s, *p, *end, *path;
};

static void jp_ws(struct jp *j)
{
	while (j->p < j->end &&
	       (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' ||
		*j->p == '\r'))
		j->p++;
}

static int jp_err(struct jp *j, const char *what)
{
	fprintf(stderr, "ctbench: %s: JSON parse error at byte %td: %s\n",
		j->path, j->p - j->s, what);
	return -EINVAL;
}

static void put_utf8(char **o, unsigned int cp)
{
	char *q = *o;

	if (cp < 0x80) {
		*q++ = (char)cp;
	} else if (cp < 0x800) {
		*q++ = (char)(0xc0 | (cp >> 6));
		*q++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*q++ = (char)(0xe0 | (cp >> 12));
		*q++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*q++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*q++ = (char)(0xf0 | (cp >> 18));
		*q++ = (char)(0x80 | ((cp >> 12) & 0x3f));
		*q++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*q++ = (char)(0x80 | (cp & 0x3f));
	}
	*o = q;
}

static int hex4(const char *p, unsigned int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < 4; i++) {
		char c = p[i];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (unsigned int)(c - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

/* Parse a string at j->p ('"'); *out malloc'ed and unescaped if non-NULL */
static int jp_string(struct jp *j, char **out)
{
	const char *start;
	char *o = NULL, *q;

	if (j->p >= j->end || *j->p != '"')
		return jp_err(j, "expected a string");
	start = ++j->p;
	while (j->p < j->end && *j->p != '"') {
		if (*j->p == '\\')
			j->p++;
		j->p++;
	}
	if (j->p >= j->end)
		return jp_err(j, "unterminated string");
	if (out) {
		const char *r;

		/* unescaped text is never longer than the escaped one */
		o = malloc((size_t)(j->p - start) + 1);
		if (!o)
			return -ENOMEM;
		q = o;
		for (r = start; r < j->p; r++) {
			unsigned int cp, lo;

			if (*r != '\\') {
				*q++ = *r;
				continue;
			}
			r++;
			switch (*r) {
			case 'n':
				*q++ = '\n';
				break;
			case 't':
				*q++ = '\t';
				break;
			case 'r':
				*q++ = '\r';
				break;
			case 'b':
				*q++ = '\b';
				break;
			case 'f':
				*q++ = '\f';
				break;
			case 'u':
				if (j->p - r < 5 || hex4(r + 1, &cp)) {
					free(o);
					return jp_err(j, "bad \\u escape");
				}
				r += 4;
				if (cp >= 0xd800 && cp < 0xdc00 &&
				    j->p - r >= 7 && r[1] == '\\' &&
				    r[2] == 'u' && !hex4(r + 3, &lo) &&
				    lo >= 0xdc00 && lo < 0xe000) {
					cp = 0x10000 + ((cp - 0xd800) << 10) +
					     (lo - 0xdc00);
					r += 6;
				}
				put_utf8(&q, cp);
				break;
			default:	/* " \ / */
				*q++ = *r;
			}
		}
		*q = '\0';
		*out = o;
	}
	j->p++;
	return 0;
}

static int jp_skip_value(struct jp *j, int depth)
{
	int err;

	if (depth > 64)
		return jp_err(j, "nested too deeply");
	jp_ws(j);
	if (j->p >= j->end)
		return jp_err(j, "expected a value");
	if (*j->p == '"')
		return jp_string(j, NULL);
	if (*j->p == '{' || *j->p == '[') {
		char close = *j->p == '{' ? '}' : ']';

		j->p++;
		jp_ws(j);
		if (j->p < j->end && *j->p == close) {
			j->p++;
			return 0;
		}
		for (;;) {
			if (close == '}') {
				jp_ws(j);
				err = jp_string(j, NULL);
				if (err)
					return err;
				jp_ws(j);
				if (j->p >= j->end || *j->p != ':')
					return jp_err(j, "expected ':'");
				j->p++;
			}
			err = jp_skip_value(j, depth + 1);
			if (err)
				return err;
			jp_ws(j);
			if (j->p < j->end && *j->p == ',') {
				j->p++;
				continue;
			}
			if (j->p < j->end && *j->p == close) {
				j->p++;
				return 0;
			}
			return jp_err(j, "expected ',' or a closing bracket");
		}
	}
	/* number, true, false, null */
	{
		const char *st = j->p;

		while (j->p < j->end &&
		       (strchr("+-.eE", *j->p) ||
			(*j->p >= '0' && *j->p <= '9') ||
			(*j->p >= 'a' && *j->p <= 'z')))
			j->p++;
		if (j->p == st)
			return jp_err(j, "unexpected character");
		if (!strncmp(st, "true", 4) || !strncmp(st, "false", 5) ||
		    !strncmp(st, "null", 4)) {
			return 0;
		}
		if (!(*st == '-' || (*st >= '0' && *st <= '9')))
			return jp_err(j, "unexpected literal");
		return 0;
	}
}

static int meta_push(struct ctb_set *s, size_t *cap, char *k, char *v,
		     int raw)
{
	if (s->nmeta == *cap) {
		size_t nc = *cap ? *cap * 2 : 32;
		struct ctb_kv *n = realloc(s->meta, nc * sizeof(*n));

		if (!n)
			return -ENOMEM;
		s->meta = n;
		*cap = nc;
	}
	s->meta[s->nmeta++] = (struct ctb_kv){ k, v, raw };
	return 0;
}

static int parse_meta(const char *path, const char *buf, size_t len,
		      struct ctb_set *s)
{
	struct jp j = { buf, buf, buf + len, path };
	size_t cap = 0;
	int err;

	jp_ws(&j);
	if (j.p >= j.end || *j.p != '{')
		return jp_err(&j, "expected '{'");
	j.p++;
	jp_ws(&j);
	if (j.p < j.end && *j.p == '}') {
		j.p++;
		goto tail;
	}
	for (;;) {
		char *k = NULL, *v = NULL;
		int raw = 0;

		jp_ws(&j);
		err = jp_string(&j, &k);
		if (err)
			return err;
		jp_ws(&j);
		if (j.p >= j.end || *j.p != ':') {
			free(k);
			return jp_err(&j, "expected ':'");
		}
		j.p++;
		jp_ws(&j);
		if (j.p < j.end && *j.p == '"') {
			err = jp_string(&j, &v);
		} else {
			const char *st = j.p;

			err = jp_skip_value(&j, 0);
			if (!err) {
				v = strndup(st, (size_t)(j.p - st));
				raw = 1;
				if (!v)
					err = -ENOMEM;
			}
		}
		if (!err)
			err = meta_push(s, &cap, k, v, raw);
		if (err) {
			free(k);
			free(v);
			return err;
		}
		jp_ws(&j);
		if (j.p < j.end && *j.p == ',') {
			j.p++;
			continue;
		}
		if (j.p < j.end && *j.p == '}') {
			j.p++;
			break;
		}
		return jp_err(&j, "expected ',' or '}'");
	}
tail:
	jp_ws(&j);
	if (j.p != j.end)
		return jp_err(&j, "trailing data after the object");
	return 0;
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
	const char *path;
	size_t line;
	const char *col;
};

static int bad(const struct rctx *c, const char *val, const char *want)
{
	fprintf(stderr,
		"ctbench: %s line %zu: column '%s': bad value '%s' (expected %s)\n",
		c->path, c->line, c->col, val, want);
	return -EINVAL;
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
#undef COL
	return err;
}

static int read_raw(const char *dir, size_t i, struct ctb_row *r)
{
	char path[PATH_MAX], name[8 + CTB_MAX_RAW_IDX];
	char *buf = NULL;
	const char *p, *end;
	struct csv_rec rec = { 0 };
	double *cols[4] = { NULL, NULL, NULL, NULL };
	int idx[4] = { -1, -1, -1, -1 }, any[4] = { 0, 0, 0, 0 };
	size_t len, n = 0, cap = 0, c, k;
	struct rctx ctx = { path, 1, NULL };
	int err;

	if (snprintf(name, sizeof(name), "raw/%zu.csv", i) < 0 ||
	    pjoin(path, sizeof(path), dir, name))
		return -ENAMETOOLONG;
	err = slurp(path, &buf, &len, 1);
	if (err == -ENOENT)
		return 0;	/* raw samples are optional */
	if (err) {
		fprintf(stderr, "ctbench: cannot read %s: %s\n", path,
			strerror(-err));
		return err;
	}
	p = buf;
	end = buf + len;
	err = csv_next(&p, end, &rec);
	if (err <= 0) {
		fprintf(stderr, "ctbench: %s: missing header line\n", path);
		err = -EINVAL;
		goto out;
	}
	for (k = 0; k < rec.n; k++)
		for (c = 0; c < 4; c++)
			if (!strcmp(rec.f[k], raw_cols[c]))
				idx[c] = (int)k;
	for (c = 0; c < 4; c++) {
		if (idx[c] < 0) {
			fprintf(stderr, "ctbench: %s: missing column '%s'\n",
				path, raw_cols[c]);
			err = -EINVAL;
			goto out;
		}
	}
	while ((err = csv_next(&p, end, &rec)) > 0) {
		ctx.line++;
		if (rec.n == 1 && !rec.f[0][0])
			continue;	/* blank line */
		if (rec.n < 4) {
			fprintf(stderr, "ctbench: %s line %zu: %zu fields, expected 4\n",
				path, ctx.line, rec.n);
			err = -EINVAL;
			goto out;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			for (c = 0; c < 4; c++) {
				double *nc = realloc(cols[c],
						     cap * sizeof(double));

				if (!nc) {
					err = -ENOMEM;
					goto out;
				}
				cols[c] = nc;
			}
		}
		for (c = 0; c < 4; c++) {
			ctx.col = raw_cols[c];
			err = get_dbl(&ctx, rec.f[idx[c]], &cols[c][n]);
			if (err)
				goto out;
			if (!isnan(cols[c][n]))
				any[c] = 1;
		}
		n++;
	}
	if (err < 0) {
		fprintf(stderr, "ctbench: %s: unterminated quoted field\n",
			path);
		goto out;
	}
	err = 0;
	if (!n || !any[0])
		goto out;
	for (c = 0; c < 4; c++) {
		if (!any[c]) {
			free(cols[c]);
			cols[c] = NULL;
		}
	}
	r->raw_ns = cols[0];
	r->raw_cycles = cols[1];
	r->base_ns = cols[2];
	r->base_cycles = cols[3];
	r->nraw = n;
	memset(cols, 0, sizeof(cols));
out:
	for (c = 0; c < 4; c++)
		free(cols[c]);
	rec_free(&rec);
	free(buf);
	return err;
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

static int parse_results(const char *dir, const char *path, const char *buf,
			 size_t len, struct ctb_set *s)
{
	const char *p = buf, *end = buf + len;
	struct csv_rec rec = { 0 };
	int idx[C_NCOLS];
	size_t cap = 0, k, c;
	struct rctx ctx = { path, 1, NULL };
	int err, maxidx = 0;

	err = csv_next(&p, end, &rec);
	if (err <= 0) {
		fprintf(stderr, "ctbench: %s: missing header line\n", path);
		err = -EINVAL;
		goto out;
	}
	for (c = 0; c < C_NCOLS; c++) {
		idx[c] = -1;
		for (k = 0; k < rec.n; k++)
			if (!strcmp(rec.f[k], csv_cols[c]))
				idx[c] = (int)k;
		if (idx[c] < 0) {
			fprintf(stderr, "ctbench: %s: missing column '%s'\n",
				path, csv_cols[c]);
			err = -EINVAL;
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
			fprintf(stderr,
				"ctbench: %s line %zu: %zu fields, expected %d\n",
				path, ctx.line, rec.n, maxidx + 1);
			err = -EINVAL;
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
		fill_from_raw(r);
	}
	if (err < 0) {
		fprintf(stderr, "ctbench: %s: unterminated quoted field\n",
			path);
		goto out;
	}
	err = 0;
out:
	rec_free(&rec);
	return err;
}

int ctb_set_read(const char *dir, struct ctb_set *out)
{
	char path[PATH_MAX];
	char *buf = NULL;
	size_t len = 0;
	int err;

	if (!dir || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if ((size_t)snprintf(out->dir, sizeof(out->dir), "%s", dir) >=
	    sizeof(out->dir)) {
		fprintf(stderr, "ctbench: path too long: %s\n", dir);
		return -ENAMETOOLONG;
	}
	err = pjoin(path, sizeof(path), dir, "meta.json");
	if (!err)
		err = slurp(path, &buf, &len, 0);
	if (err)
		goto fail;
	err = parse_meta(path, buf, len, out);
	free(buf);
	buf = NULL;
	if (err)
		goto fail;

	err = pjoin(path, sizeof(path), dir, "results.csv");
	if (!err)
		err = slurp(path, &buf, &len, 0);
	if (err)
		goto fail;
	err = parse_results(dir, path, buf, len, out);
	free(buf);
	if (err)
		goto fail;
	return 0;
fail:
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
