// SPDX-License-Identifier: GPL-2.0
/*
 * The analysis of a set of rows, computed once into a JSON object
 * (docs/results.md, "analysis.json"): per-op verdicts (compiled empty /
 * below the noise floor / costs), per-row values, ratios, break-evens,
 * TLB crossovers (analysis_tlb.c) and named warnings.
 *
 * Rule: a row enters a ratio, break-even or crossover only when its status
 * is CTB_RS_COSTS with a positive net: not compiled empty, above the noise
 * floor, and its CI does not reach down to the floor. Otherwise the entry
 * is written with a null value and says what cannot be resolved.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "dev.h"
#include "suite.h"
#include "run.h"

static json_t *num(double x)
{
	return isfinite(x) ? json_real(x) : json_null();
}

/* ns in a width that suits the value */
static const char *ns(char *b, size_t len, double x)
{
	if (!isfinite(x))
		snprintf(b, len, "?");
	else if (fabs(x) >= 100)
		snprintf(b, len, "%.0f", x);
	else if (fabs(x) >= 10)
		snprintf(b, len, "%.1f", x);
	else
		snprintf(b, len, "%.2f", x);
	return b;
}

int ctb_an_op_empty(const struct ctb_an_input *in, const char *op)
{
	for (size_t i = 0; i < in->nops; i++)
		if (!strcmp(in->ops[i].name, op))
			return !!(in->ops[i].props &
				  CACHETLB_PROP_COMPILED_EMPTY);
	return 0;
}

enum ctb_row_status ctb_an_status(const struct ctb_an_input *in,
				  const struct ctb_row *r)
{
	double fl = r->rep.floor > 0 ? r->rep.floor : 0;

	if (ctb_an_op_empty(in, r->op))
		return CTB_RS_EMPTY;
	if (r->rep.below_floor)
		return CTB_RS_BELOW;
	if (!isfinite(r->net.median) || !isfinite(r->net.ci_lo) ||
	    !isfinite(r->net.ci_hi) || r->net.median <= fl ||
	    r->net.ci_lo <= fl)
		return CTB_RS_UNRESOLVED;
	return CTB_RS_COSTS;
}

int ctb_an_usable(const struct ctb_an_input *in, const struct ctb_row *r)
{
	return r && ctb_an_status(in, r) == CTB_RS_COSTS;
}

const struct ctb_row *ctb_an_find(const struct ctb_an_input *in,
				  const char *op, uint32_t count, uint32_t aux,
				  const char *state, const char *opflags,
				  const char *targets)
{
	struct ctb_row_key k = {
		.op = op, .count = count, .aux = aux, .state = state,
		.opflags = opflags, .targets = targets,
	};

	return ctb_rows_find_last(in->rows, in->nrows, &k);
}

int ctb_an_add(json_t *an, const char *list, json_t *entry)
{
	json_t *l = json_object_get(an, list);

	if (!entry)
		return -ENOMEM;
	if (!l) {
		l = json_array();
		if (!l || json_object_set_new(an, list, l)) {
			json_decref(entry);
			return -ENOMEM;
		}
	}
	return json_array_append_new(l, entry) ? -ENOMEM : 0;
}

int ctb_an_warn(json_t *an, const char *name, const char *family,
		const char *op, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return ctb_an_add(an, "warnings",
			  json_pack("{s:s, s:s, s:s?, s:s}", "name", name,
				    "family", family, "op", op, "text", text));
}

static const char *const status_names[] = {
	[CTB_RS_EMPTY] = "compiled_empty", [CTB_RS_BELOW] = "below_floor",
	[CTB_RS_UNRESOLVED] = "not_resolvable", [CTB_RS_COSTS] = "costs",
};

static void row_text(const struct ctb_row *r, enum ctb_row_status st,
		     char *t, size_t len)
{
	char a[32], b[32], c[32], d[32];

	ns(a, sizeof(a), r->net.median);
	ns(b, sizeof(b), r->net.ci_lo);
	ns(c, sizeof(c), r->net.ci_hi);
	ns(d, sizeof(d), r->rep.floor);
	switch (st) {
	case CTB_RS_EMPTY:
		snprintf(t, len, "compiled empty");
		break;
	case CTB_RS_BELOW:
		snprintf(t, len, "< floor (%s ns)", d);
		break;
	case CTB_RS_UNRESOLVED:
		snprintf(t, len,
			 "not resolvable at this noise: %s ns [%s, %s] reaches the floor (%s ns)",
			 a, b, c, d);
		break;
	default:
		snprintf(t, len, "%s ns [%s, %s]", a, b, c);
		break;
	}
}

static int first_of_op(const struct ctb_an_input *in, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (!strcmp(in->rows[j].op, in->rows[i].op))
			return 0;
	return 1;
}

/* The rows of one op while its verdict is formed. */
struct op_tally {
	const struct ctb_row *best;	/* resolved row of largest N, cost */
	size_t n, cnt[4];		/* rows, rows per status */
	double fl;			/* highest floor */
};

/* One value entry per row of op r0 (from row i on), tallied. */
static void op_rows(const struct ctb_an_input *in, json_t *an, size_t i,
		    struct op_tally *t)
{
	const struct ctb_row *r0 = &in->rows[i];

	for (size_t j = i; j < in->nrows; j++) {
		const struct ctb_row *r = &in->rows[j], *best = t->best;
		enum ctb_row_status st;
		char tx[256];

		if (strcmp(r->op, r0->op))
			continue;
		st = ctb_an_status(in, r);
		t->n++;
		t->cnt[st]++;
		if (r->rep.floor > t->fl)
			t->fl = r->rep.floor;
		if (st == CTB_RS_COSTS &&
		    (!best || r->count > best->count ||
		     (r->count == best->count &&
		      r->net.median > best->net.median)))
			t->best = r;
		row_text(r, st, tx, sizeof(tx));
		ctb_an_add(an, "rows", json_pack(
			"{s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:s}",
			"op", r->op, "family", r->family,
			"count", (json_int_t)r->count,
			"aux", (json_int_t)r->aux, "state", r->state,
			"opflags", r->opflags, "targets", r->targets,
			"status", status_names[st],
			"net_ns", num(r->net.median),
			"ci_lo", num(r->net.ci_lo),
			"ci_hi", num(r->net.ci_hi),
			"floor_ns", num(r->rep.floor), "text", tx));
	}
}

/* The verdict name of an op, and its sentence in @text. */
static const char *op_verdict(const char *op, const struct op_tally *t,
			      char *text, size_t len)
{
	const struct ctb_row *best = t->best;
	const size_t *cnt = t->cnt;
	char a[32], b[32], c[32], d[32];

	ns(d, sizeof(d), t->fl);
	if (cnt[CTB_RS_EMPTY] == t->n) {
		snprintf(text, len,
			 "%s: compiled empty (a build fact from LIST_OPS; all %zu rows)",
			 op, t->n);
		return "compiled_empty";
	}
	if (cnt[CTB_RS_BELOW] == t->n) {
		snprintf(text, len,
			 "%s: below the noise floor (< %s ns) in all %zu rows",
			 op, d, t->n);
		return "below_floor";
	}
	if (best) {
		ns(a, sizeof(a), best->net.median);
		ns(b, sizeof(b), best->net.ci_lo);
		ns(c, sizeof(c), best->net.ci_hi);
		snprintf(text, len,
			 "%s: costs %s ns [%s, %s] at N=%u (%zu of %zu rows resolved, %zu below the floor, %zu not resolvable)",
			 op, a, b, c, best->count, cnt[CTB_RS_COSTS], t->n,
			 cnt[CTB_RS_BELOW], cnt[CTB_RS_UNRESOLVED]);
		return "costs";
	}
	snprintf(text, len,
		 "%s: not resolvable at this noise (%zu rows: %zu below the floor, %zu with a CI reaching the floor)",
		 op, t->n, cnt[CTB_RS_BELOW], cnt[CTB_RS_UNRESOLVED]);
	return "not_resolvable";
}

/* One verdict per op, one value entry per row, ci_too_wide warnings. */
static void verdicts(const struct ctb_an_input *in, json_t *an)
{
	for (size_t i = 0; i < in->nrows; i++) {
		const struct ctb_row *r0 = &in->rows[i];
		struct op_tally t = { 0 };
		const size_t *cnt = t.cnt;
		char text[512];
		const char *v;

		if (!first_of_op(in, i))
			continue;
		op_rows(in, an, i, &t);
		v = op_verdict(r0->op, &t, text, sizeof(text));
		ctb_an_add(an, "verdicts", json_pack(
			"{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:o, s:s}",
			"op", r0->op, "family", r0->family, "verdict", v,
			"rows", (json_int_t)t.n,
			"resolved", (json_int_t)cnt[CTB_RS_COSTS],
			"below_floor", (json_int_t)cnt[CTB_RS_BELOW],
			"not_resolvable", (json_int_t)cnt[CTB_RS_UNRESOLVED],
			"floor_ns", num(t.fl), "text", text));
		if (cnt[CTB_RS_UNRESOLVED])
			ctb_an_warn(an, "ci_too_wide", r0->family, r0->op,
				    "%s: %zu of %zu rows not resolvable at this noise (CI reaches the floor): no verdict or ratio from them",
				    r0->op, cnt[CTB_RS_UNRESOLVED], t.n);
	}
}

static const char *why_not(const struct ctb_an_input *in,
			   const struct ctb_row *r, const char *op)
{
	static const char *const why[] = {
		[CTB_RS_EMPTY] = "is compiled empty",
		[CTB_RS_BELOW] = "is below the noise floor",
		[CTB_RS_UNRESOLVED] = "is not resolvable at this noise",
		[CTB_RS_COSTS] = "has no positive cost",
	};

	(void)op;
	if (!r)
		return "was not measured";
	return why[ctb_an_status(in, r)];
}

/*
 * A ratio num/den with its interval from the two CIs, or a null value
 * naming the row that cannot enter it.
 */
static void ratio(const struct ctb_an_input *in, json_t *an,
		  const char *family, const char *name,
		  const struct ctb_row *nu, const struct ctb_row *de,
		  const char *nuop, const char *deop, const char *where)
{
	char text[512];
	double v = NAN, lo = NAN, hi = NAN;

	if (ctb_an_usable(in, nu) && ctb_an_usable(in, de)) {
		v = nu->net.median / de->net.median;
		lo = nu->net.ci_lo / de->net.ci_hi;
		hi = nu->net.ci_hi / de->net.ci_lo;
		snprintf(text, sizeof(text), "%s %s: %s %.2f [%.2f, %.2f]",
			 family, where, name, v, lo, hi);
	} else {
		const struct ctb_row *bad = ctb_an_usable(in, nu) ? de : nu;

		snprintf(text, sizeof(text),
			 "%s %s: %s not resolvable: %s %s", family, where,
			 name, bad == nu ? nuop : deop,
			 why_not(in, bad, NULL));
	}
	ctb_an_add(an, "ratios", json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s?, s:s?, s:o, s:o, s:o, s:s}",
		"family", family, "name", name, "op", nuop, "vs", deop,
		"where", where,
		"count", nu ? (json_int_t)nu->count : 0,
		"aux", nu ? (json_int_t)nu->aux : 0,
		"state", nu ? nu->state : NULL,
		"opflags", nu ? nu->opflags : NULL,
		"value", num(v), "lo", num(lo), "hi", num(hi), "text", text));
}

static void uaccess(const struct ctb_an_input *in, json_t *an)
{
	static const char *const methods[] = {
		"uaccess_getput", "uaccess_unsafe", "uaccess_vmap",
		"uaccess_kmap",
	};

	for (size_t i = 0; i < in->nrows; i++) {
		const struct ctb_row *copy = &in->rows[i], *vmap, *setup;
		char where[128], text[512], name[48];
		double req = NAN, lo = NAN, hi = NAN;

		if (strcmp(copy->op, "uaccess_copy") ||
		    ctb_an_find(in, "uaccess_copy", 0, copy->aux, NULL,
				copy->opflags, NULL) != copy)
			continue;
		snprintf(where, sizeof(where), "ring %u %s", copy->aux,
			 copy->opflags);
		for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]);
		     m++) {
			const struct ctb_row *r = ctb_an_find(in, methods[m], 0,
							      copy->aux, NULL,
							      copy->opflags,
							      NULL);

			if (!r)
				continue;
			snprintf(name, sizeof(name), "%s/copy",
				 methods[m] + 8);
			ratio(in, an, "uaccess", name, r, copy, methods[m],
			      "uaccess_copy", where);
		}
		vmap = ctb_an_find(in, "uaccess_vmap", 0, copy->aux, NULL,
				   copy->opflags, NULL);
		setup = ctb_an_find(in, "uaccess_setup", 0, copy->aux, NULL,
				    strstr(copy->opflags, "span") ? "span" : "-",
				    NULL);
		if (!ctb_an_usable(in, copy) || !ctb_an_usable(in, vmap) ||
		    !ctb_an_usable(in, setup)) {
			const struct ctb_row *bad =
				!ctb_an_usable(in, copy) ? copy :
				!ctb_an_usable(in, vmap) ? vmap : setup;

			snprintf(text, sizeof(text),
				 "uaccess %s: break-even not resolvable: %s %s",
				 where, bad == copy ? "uaccess_copy" :
				 bad == vmap ? "uaccess_vmap" : "uaccess_setup",
				 why_not(in, bad, NULL));
		} else if (copy->net.ci_lo <= vmap->net.ci_hi) {
			snprintf(text, sizeof(text),
				 "uaccess %s: vmap never resolvably pays off: vmap %.1f ns [%.1f, %.1f] is not below copy %.1f ns [%.1f, %.1f] per request (setup %.0f ns)",
				 where, vmap->net.median, vmap->net.ci_lo,
				 vmap->net.ci_hi, copy->net.median,
				 copy->net.ci_lo, copy->net.ci_hi,
				 setup->net.median);
		} else {
			double dlo = copy->net.ci_lo - vmap->net.ci_hi;
			double dhi = copy->net.ci_hi - vmap->net.ci_lo;

			req = ceil(setup->net.median /
				   (copy->net.median - vmap->net.median));
			lo = ceil(setup->net.ci_lo / dhi);
			hi = ceil(setup->net.ci_hi / dlo);
			snprintf(text, sizeof(text),
				 "uaccess %s: vmap pays off after %.0f requests [%.0f, %.0f] (setup %.0f ns, copy %.1f, vmap %.1f ns/request)",
				 where, req, lo, hi, setup->net.median,
				 copy->net.median, vmap->net.median);
		}
		ctb_an_add(an, "break_evens", json_pack(
			"{s:s, s:s, s:s, s:I, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:s}",
			"family", "uaccess", "op", "uaccess_vmap",
			"vs", "uaccess_copy", "aux", (json_int_t)copy->aux,
			"opflags", copy->opflags,
			"setup_ns", num(setup ? setup->net.median : NAN),
			"op_ns", num(vmap ? vmap->net.median : NAN),
			"vs_ns", num(copy->net.median), "requests", num(req),
			"lo", num(lo), "hi", num(hi), "text", text));
	}
}

static uint32_t largest_count(const struct ctb_an_input *in, const char *op,
			      const char *opflags)
{
	uint32_t m = 0;

	for (size_t i = 0; i < in->nrows; i++)
		if (!strcmp(in->rows[i].op, op) &&
		    !strcmp(in->rows[i].opflags, opflags) &&
		    in->rows[i].count > m)
			m = in->rows[i].count;
	return m;
}

/* opflags without "double" ("-" when nothing is left) */
static void without_double(const char *flags, char *out, size_t len)
{
	size_t o = 0;
	const char *p = flags;

	out[0] = '\0';
	while (*p) {
		size_t l = strcspn(p, "+");

		if (!(l == 6 && !strncmp(p, "double", 6)) && o < len)
			o += (size_t)snprintf(out + o, len - o, "%s%.*s",
					      o ? "+" : "", (int)l, p);
		p += l + (p[l] == '+');
	}
	if (!out[0])
		snprintf(out, len, "-");
}

static void cache(const struct ctb_an_input *in, json_t *an)
{
	int pp_done = 0;

	for (size_t i = 0; i < in->nrows; i++) {
		const struct ctb_row *r = &in->rows[i], *o;
		char where[160], flags[72];

		if (strcmp(r->family, "cache"))
			continue;
		snprintf(where, sizeof(where), "N=%u %s %s", r->count,
			 r->state, r->opflags);
		/* per-page / per-range: one entry when either is empty */
		if (!strcmp(r->op, "flush_dcache_page")) {
			o = ctb_an_find(in, "flush_kernel_vmap_range", r->count,
					0, r->state, r->opflags, NULL);
			if (o && (ctb_an_op_empty(in, r->op) ||
				  ctb_an_op_empty(in, o->op))) {
				if (!pp_done)
					ratio(in, an, "cache",
					      "per-page/per-range", r, o,
					      r->op, o->op, "all N");
				pp_done = 1;
			} else if (o) {
				ratio(in, an, "cache", "per-page/per-range",
				      r, o, r->op, o->op, where);
			}
		}
		if (ctb_an_op_empty(in, r->op))
			continue;
		snprintf(where, sizeof(where), "%s N=%u %s %s", r->op,
			 r->count, r->state, r->opflags);
		if (!strcmp(r->state, "dirty") && !strstr(r->opflags, "double") &&
		    largest_count(in, r->op, r->opflags) == r->count) {
			o = ctb_an_find(in, r->op, r->count, 0, "clean",
					r->opflags, NULL);
			if (o)
				ratio(in, an, "cache", "dirty/clean", r, o,
				      r->op, r->op, where);
		}
		if (strstr(r->opflags, "double")) {
			without_double(r->opflags, flags, sizeof(flags));
			o = ctb_an_find(in, r->op, r->count, 0, r->state,
					flags, NULL);
			if (o)
				ratio(in, an, "cache", "second/first flush", r,
				      o, r->op, r->op, where);
		}
	}
}

/* Remote cost per target set: values only from resolved rows. */
static void remote(const struct ctb_an_input *in, json_t *an)
{
	static const char *const ops[] = { "ipi_empty", "ipi_flush_all" };

	for (size_t o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
		char line[512];
		size_t off = 0;
		int n = 0;

		off += (size_t)snprintf(line, sizeof(line), "tlb remote %s:",
					ops[o]);
		for (size_t i = 0; i < in->nrows && off < sizeof(line); i++) {
			const struct ctb_row *r = &in->rows[i];
			char t[128];

			if (strcmp(r->op, ops[o]) || !strcmp(r->targets, "-"))
				continue;
			row_text(r, ctb_an_status(in, r), t, sizeof(t));
			off += (size_t)snprintf(line + off, sizeof(line) - off,
						"%s CPUs %s%s %s",
						n ? "," : "", r->targets,
						strstr(r->opflags, "busy") ?
						" busy" : "", t);
			n++;
		}
		if (n)
			ctb_an_add(an, "notes", json_pack(
				"{s:s, s:s, s:s}", "family", "tlb",
				"op", ops[o], "text", line));
	}
}

json_t *ctb_analysis_compute(const struct ctb_an_input *in)
{
	json_t *an = json_object(), *ops = json_array();
	char pbuf[256];

	if (!an || !ops) {
		json_decref(an);
		json_decref(ops);
		return NULL;
	}
	for (size_t i = 0; i < in->nops; i++) {
		ctb_props_str(in->ops[i].props, pbuf, sizeof(pbuf));
		json_array_append_new(ops, json_pack(
			"{s:s, s:I, s:s, s:b}", "op", in->ops[i].name,
			"props", (json_int_t)in->ops[i].props,
			"props_names", pbuf, "compiled_empty",
			!!(in->ops[i].props & CACHETLB_PROP_COMPILED_EMPTY)));
	}
	if (json_object_set_new(an, "schema", json_integer(CTB_ANALYSIS_SCHEMA)) ||
	    json_object_set_new(an, "emulated", json_boolean(in->emulated)) ||
	    json_object_set_new(an, "tlb_flush_ceiling",
				in->ceiling ? json_integer(in->ceiling) :
				json_null()) ||
	    json_object_set_new(an, "ceiling_source",
				json_string(in->ceiling_source ?
					    in->ceiling_source : "")) ||
	    json_object_set_new(an, "ops_recorded", json_boolean(in->nops)) ||
	    json_object_set_new(an, "ops", ops)) {
		json_decref(an);
		return NULL;
	}
	json_object_set_new(an, "verdicts", json_array());
	json_object_set_new(an, "rows", json_array());
	json_object_set_new(an, "ratios", json_array());
	json_object_set_new(an, "break_evens", json_array());
	json_object_set_new(an, "crossovers", json_array());
	json_object_set_new(an, "notes", json_array());
	json_object_set_new(an, "warnings", json_array());
	if (!in->nops && in->nrows)
		ctb_an_warn(an, "op_properties_missing", "all", NULL,
			    "this set does not record the ops' LIST_OPS properties: no op can be called compiled empty; re-run to get that fact");
	verdicts(in, an);
	uaccess(in, an);
	cache(in, an);
	ctb_an_tlb(in, an);
	remote(in, an);
	return an;
}

/* --- the live session ---------------------------------------------------- */

static json_t *session_analysis(struct ctb_session *s)
{
	struct ctb_an_op *ops = calloc(s->dev.nops ? s->dev.nops : 1,
				       sizeof(*ops));
	struct ctb_an_input in = {
		.rows = s->rows, .nrows = s->nrows, .ops = ops,
		.nops = s->dev.nops, .emulated = s->emulated,
		.ceiling = s->dev.info.tlb_flush_ceiling,
		.ceiling_source = s->dev.info.ceiling_source,
	};
	json_t *an;

	if (!ops)
		return NULL;
	for (size_t i = 0; i < s->dev.nops; i++) {
		snprintf(ops[i].name, sizeof(ops[i].name), "%s",
			 s->dev.ops[i].name);
		ops[i].props = s->dev.ops[i].props;
	}
	an = ctb_analysis_compute(&in);
	free(ops);
	return an;
}

void ctb_session_analyse(struct ctb_session *s, FILE *f, int family)
{
	json_t *an = session_analysis(s);

	if (!an) {
		fprintf(f, "  analysis: out of memory\n");
		return;
	}
	ctb_analysis_print(f, an, ctb_family_name((uint32_t)family));
	json_decref(an);
}

json_t *ctb_session_analysis(struct ctb_session *s)
{
	return session_analysis(s);
}
