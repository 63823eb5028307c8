// SPDX-License-Identifier: GPL-2.0
/*
 * ctbench result sets: the RFC 4180 CSV parser (quoted fields, ""
 * escapes, CRLF tolerated), one results.csv row into a struct ctb_row,
 * and a row's raw/<i>.csv samples (format: docs/results.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
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

static void rec_clear(struct csv_rec *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->f[i]);
	r->n = 0;
}

void ctb_csv_rec_free(struct csv_rec *r)
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
int ctb_csv_next(const char **pp, const char *end, struct csv_rec *r)
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


static int bad(const struct rctx *c, const char *val, const char *want)
{
	return ctb_rs_bad_set(c->dir, c->file,
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

#define COL(i) (c->col = ctb_csv_cols[i], f[idx[i]])

/* How a required column is read into its member of struct ctb_row. */
enum fkind {
	F_STR,		/* char array, len bytes */
	F_DBL,		/* double; empty: NaN */
	F_U32,		/* uint32_t */
	F_SIZE,		/* size_t */
	F_INT,		/* int */
	F_UNIT,		/* must be "ns/iter", stored nowhere */
	F_NOOP,		/* F_STR that is yes, no or n/a */
	F_BOOL,		/* int from 0 or 1 */
};

struct field {
	int col;
	enum fkind kind;
	size_t off, len;
};

#define RM(m) offsetof(struct ctb_row, m)
#define FLD(c, k, m) { c, k, RM(m), sizeof(((struct ctb_row *)0)->m) }

/* Columns C_OP..C_EVENTS in file order: the first bad one is reported. */
static const struct field req_fields[] = {
	FLD(C_OP, F_STR, op), FLD(C_FAMILY, F_STR, family),
	FLD(C_COUNT, F_U32, count), FLD(C_AUX, F_U32, aux),
	FLD(C_STATE, F_STR, state), FLD(C_OPFLAGS, F_STR, opflags),
	FLD(C_CPU, F_INT, cpu), FLD(C_TARGETS, F_STR, targets),
	FLD(C_ITERATIONS, F_U32, iterations), FLD(C_SAMPLES, F_SIZE, st.n),
	{ C_UNIT, F_UNIT, 0, 0 },
	FLD(C_MIN, F_DBL, st.min), FLD(C_MEDIAN, F_DBL, st.median),
	FLD(C_MEAN, F_DBL, st.mean), FLD(C_STDDEV, F_DBL, st.stddev),
	FLD(C_MAD, F_DBL, st.mad), FLD(C_CI_LO, F_DBL, st.ci_lo),
	FLD(C_CI_HI, F_DBL, st.ci_hi), FLD(C_OUTLIERS, F_SIZE, st.outliers),
	FLD(C_BASELINE, F_DBL, baseline_median),
	FLD(C_NET_MEDIAN, F_DBL, net.median), FLD(C_NET_LO, F_DBL, net.ci_lo),
	FLD(C_NET_HI, F_DBL, net.ci_hi), FLD(C_PER_UNIT, F_DBL, per_unit),
	FLD(C_PER_UNIT_NAME, F_STR, per_unit_name),
	FLD(C_CYCLES, F_DBL, cycles_median), FLD(C_NOOP, F_NOOP, noop),
	FLD(C_EMULATED, F_BOOL, emulated), FLD(C_EVENTS, F_STR, events),
};

#undef FLD
#undef RM

_Static_assert(sizeof(req_fields) / sizeof(req_fields[0]) == C_FIRST_OPTIONAL,
	       "req_fields must list every required column");

/* One required column of the row's fields f into its member of r. */
static int parse_field(struct rctx *c, char **f, const int *idx,
		       const struct field *fl, struct ctb_row *r)
{
	const char *v = COL(fl->col);
	char *dst = (char *)r + fl->off;
	uint64_t u;
	int err;

	switch (fl->kind) {
	case F_STR:
		return get_str(c, v, dst, fl->len);
	case F_DBL:
		return get_dbl(c, v, (double *)dst);
	case F_U32:
		if (!(err = get_u64(c, v, UINT32_MAX, &u)))
			*(uint32_t *)dst = (uint32_t)u;
		return err;
	case F_SIZE:
		if (!(err = get_u64(c, v, SIZE_MAX, &u)))
			*(size_t *)dst = (size_t)u;
		return err;
	case F_INT:
		return get_int(c, v, (int *)dst);
	case F_UNIT:
		return strcmp(v, "ns/iter") ? bad(c, v, "'ns/iter'") : 0;
	case F_NOOP:
		err = get_str(c, v, dst, fl->len);
		if (!err && strcmp(dst, "yes") && strcmp(dst, "no") &&
		    strcmp(dst, "n/a"))
			err = bad(c, dst, "yes, no or n/a");
		return err;
	case F_BOOL:
		if (strcmp(v, "0") && strcmp(v, "1"))
			return bad(c, v, "0 or 1");
		*(int *)dst = v[0] == '1';
		return 0;
	}
	return -EINVAL;
}

/* Schema 3 columns; an older set gets them from raw/ or one round. */
static int parse_rounds(struct rctx *c, char **f, const int *idx,
			struct ctb_row *r)
{
	uint64_t u;
	int err = 0;

	if (idx[C_ROUNDS] >= 0 &&
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
	return err;
}

#undef COL

int ctb_rs_parse_row(struct rctx *c, char **f, const int *idx,
		     struct ctb_row *r)
{
	int err = 0;

	for (size_t i = 0; !err && i < sizeof(req_fields) /
	     sizeof(req_fields[0]); i++)
		err = parse_field(c, f, idx, &req_fields[i], r);
	if (!err)
		err = parse_rounds(c, f, idx, r);
	r->rep.net = r->net.median;
	r->rep.ci_lo = r->net.ci_lo;
	r->rep.ci_hi = r->net.ci_hi;
	r->rep.ctrl = r->baseline_median;
	return err;
}

/* raw/<i>.csv columns being read: one growing array per column */
struct raw_cols {
	double *v[RAW_NCOLS];
	int idx[RAW_NCOLS];	/* field of each column, -1: absent */
	int any[RAW_NCOLS];	/* some value is not NaN */
	size_t n, cap;
};

/* The header record: where each column is, and the required ones there. */
static int raw_header(const struct rctx *c, const struct csv_rec *rec,
		      struct raw_cols *rc)
{
	size_t k, i;

	for (k = 0; k < rec->n; k++)
		for (i = 0; i < RAW_NCOLS; i++)
			if (!strcmp(rec->f[k], ctb_raw_cols[i]))
				rc->idx[i] = (int)k;
	/* round and iterations come together or not at all */
	if ((rc->idx[4] < 0) != (rc->idx[5] < 0))
		return ctb_rs_bad_set(c->dir, c->file,
				      "'round' and 'iterations' need each other");
	for (i = 0; i < RAW_REQUIRED; i++)
		if (rc->idx[i] < 0)
			return ctb_rs_bad_set(c->dir, c->file,
					      "missing column '%s'",
					      ctb_raw_cols[i]);
	return 0;
}

/* Room for one more sample in every column. */
static int raw_grow(struct raw_cols *rc)
{
	size_t i, cap;

	if (rc->n < rc->cap)
		return 0;
	cap = rc->cap ? rc->cap * 2 : 256;
	for (i = 0; i < RAW_NCOLS; i++) {
		double *nc = realloc(rc->v[i], cap * sizeof(double));

		if (!nc)
			return -ENOMEM;
		rc->v[i] = nc;
	}
	rc->cap = cap;
	return 0;
}

/* Record rec into sample rc->n; round and iterations are whole numbers. */
static int raw_record(struct rctx *c, const struct csv_rec *rec,
		      struct raw_cols *rc)
{
	size_t i, n = rc->n;
	int err;

	for (i = 0; i < RAW_NCOLS; i++) {
		if (rc->idx[i] < 0)
			continue;
		c->col = ctb_raw_cols[i];
		err = get_dbl(c, rec->f[rc->idx[i]], &rc->v[i][n]);
		if (err)
			return err;
		if (i >= 4 && !(rc->v[i][n] >= 0.0 &&
				rc->v[i][n] <= (double)UINT32_MAX &&
				rc->v[i][n] == floor(rc->v[i][n]) &&
				(i == 4 || rc->v[i][n] >= 1.0)))
			return bad(c, rec->f[rc->idx[i]], i == 4 ?
				   "a round number >= 0" :
				   "an iteration count >= 1");
		if (!isnan(rc->v[i][n]))
			rc->any[i] = 1;
	}
	rc->n++;
	return 0;
}

/* Every sample record after the header; 0 or a negative errno. */
static int raw_records(struct rctx *c, const char *p, const char *end,
		       struct csv_rec *rec, struct raw_cols *rc)
{
	size_t want = rc->idx[4] < 0 ? 4u : (size_t)RAW_NCOLS;
	int err;

	while ((err = ctb_csv_next(&p, end, rec)) > 0) {
		c->line++;
		if (rec->n == 1 && !rec->f[0][0])
			continue;	/* blank line */
		if (rec->n < want)
			return ctb_rs_bad_set(c->dir, c->file,
					      "line %zu: %zu fields, expected %zu",
					      c->line, rec->n, want);
		err = raw_grow(rc);
		if (!err)
			err = raw_record(c, rec, rc);
		if (err)
			return err;
	}
	if (err < 0)
		return ctb_rs_bad_set(c->dir, c->file,
				      "unterminated quoted field");
	return 0;
}

/* Hand the columns read to r (those taken become NULL in rc). */
static int raw_store(struct raw_cols *rc, struct ctb_row *r)
{
	size_t i, k, n = rc->n;

	if (!n || !rc->any[0])
		return 0;
	for (i = 0; i < RAW_NCOLS; i++) {
		if (!rc->any[i]) {
			free(rc->v[i]);
			rc->v[i] = NULL;
		}
	}
	if (rc->v[4] && rc->v[5]) {
		r->raw_round = malloc(n * sizeof(uint32_t));
		r->raw_iters = malloc(n * sizeof(uint32_t));
		if (!r->raw_round || !r->raw_iters) {
			free(r->raw_round);
			free(r->raw_iters);
			r->raw_round = r->raw_iters = NULL;
			return -ENOMEM;
		}
		for (k = 0; k < n; k++) {
			r->raw_round[k] = (uint32_t)rc->v[4][k];
			r->raw_iters[k] = (uint32_t)rc->v[5][k];
		}
	}
	r->raw_ns = rc->v[0];
	r->raw_cycles = rc->v[1];
	r->base_ns = rc->v[2];
	r->base_cycles = rc->v[3];
	r->nraw = n;
	rc->v[0] = rc->v[1] = rc->v[2] = rc->v[3] = NULL;
	return 0;
}

int ctb_rs_read_raw(const char *dir, size_t i, struct ctb_row *r)
{
	char name[8 + CTB_MAX_RAW_IDX];
	char *buf = NULL;
	const char *p, *end;
	struct csv_rec rec = { 0 };
	struct raw_cols rc = { .idx = { -1, -1, -1, -1, -1, -1 } };
	size_t len, c;
	struct rctx ctx = { dir, name, 1, NULL };
	int err;

	if (snprintf(name, sizeof(name), "raw/%zu.csv", i) < 0)
		return -ENAMETOOLONG;
	err = ctb_rs_slurp(dir, name, &buf, &len, 1);
	if (err == -ENOENT)
		return 0;	/* raw samples are optional */
	if (err)
		return ctb_rs_bad_set(dir, name, "cannot read it: %s",
			       strerror(-err));
	p = buf;
	end = buf + len;
	err = ctb_csv_next(&p, end, &rec);
	if (err <= 0)
		err = ctb_rs_bad_set(dir, name, "missing header line");
	else
		err = raw_header(&ctx, &rec, &rc);
	if (!err)
		err = raw_records(&ctx, p, end, &rec, &rc);
	if (!err)
		err = raw_store(&rc, r);
	for (c = 0; c < RAW_NCOLS; c++)
		free(rc.v[c]);
	ctb_csv_rec_free(&rec);
	free(buf);
	return err;
}

/*
 * Schema 3 rows carry their rounds in raw/: recompute every statistic
 * with the code the run used (clock step from meta), so what is read is
 * what was printed. Returns 1 when done.
 */
