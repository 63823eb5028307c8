// SPDX-License-Identifier: GPL-2.0
/*
 * TLB crossovers, one statement per curve (docs/results.md, "analysis.json"):
 *
 * - "direct": flush_tlb_kernel_range(N) against flush_tlb_all. The
 *   crossover is the smallest N from which the range flush is no longer
 *   significantly cheaper than the global one (its CI reaches the global
 *   flush's CI) at every larger resolved N. A first crossing below that N
 *   is the named warning crossover_unstable.
 * - "stand-in": the same for ipi_flush_range / ipi_flush_all per target set
 *   (our IPI + INVLPG loop, not the kernel's functions).
 * - "kernel-path": kpath_* op minus its matched control per N, d(N); fit
 *   d = a + b N over N <= the kernel's ceiling (per-page branch), F = median
 *   d over ceiling < N <= 4 ceiling (full-flush branch); crossover
 *   N* = (F - a) / b, stated next to the ceiling with the path's name.
 *
 * Only rows with status CTB_RS_COSTS enter; the rest are counted and
 * named. Warning range_above_global: the direct range flush above the
 * kernel's ceiling costing more than the global flush beyond both CIs.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "suite.h"

#define MAXN 128

static json_t *num(double x)
{
	return isfinite(x) ? json_real(x) : json_null();
}

static json_t *uint_or_null(int have, uint32_t v)
{
	return have ? json_integer(v) : json_null();
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Distinct counts of op (opflags "-", targets) in ascending order. */
static size_t counts_of(const struct ctb_an_input *in, const char *op,
			const char *targets, uint32_t *c)
{
	size_t n = 0;

	for (size_t i = 0; i < in->nrows && n < MAXN; i++) {
		const struct ctb_row *r = &in->rows[i];
		int dup = 0;

		if (strcmp(r->op, op) || strcmp(r->opflags, "-") ||
		    (targets && strcmp(r->targets, targets)))
			continue;
		for (size_t j = 0; j < n; j++)
			dup |= c[j] == r->count;
		if (!dup)
			c[n++] = r->count;
	}
	qsort(c, n, sizeof(*c), cmp_u32);
	return n;
}

static void ceil_text(const struct ctb_an_input *in, char *b, size_t len)
{
	if (in->ceiling)
		snprintf(b, len, "kernel threshold %u pages (%s)", in->ceiling,
			 in->ceiling_source && in->ceiling_source[0] ?
			 in->ceiling_source : "source not reported");
	else
		snprintf(b, len, "kernel threshold unknown (%s)",
			 in->ceiling_source && in->ceiling_source[0] ?
			 in->ceiling_source : "not reported");
}

static void add_crossover(json_t *an, const char *curve, const char *op,
			  const char *gop, const char *ctl,
			  const char *targets, const char *path,
			  int resolvable, json_t *n, json_t *first,
			  json_t *stable, const struct ctb_an_input *in,
			  const char *text, json_t *extra)
{
	json_t *e = json_pack(
		"{s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s, s:b, s:b, s:o, s:o, s:o, s:o, s:s, s:s}",
		"family", "tlb", "curve", curve, "op", op, "global_op", gop,
		"control_op", ctl, "targets", targets, "path", path,
		"resolvable", resolvable, "primary", 0, "n", n,
		"first_n", first, "stable_from", stable,
		"threshold", in->ceiling ? json_integer(in->ceiling) :
		json_null(),
		"threshold_source", in->ceiling_source ?
		in->ceiling_source : "", "text", text);

	if (e && extra)
		json_object_update(e, extra);
	json_decref(extra);
	ctb_an_add(an, "crossovers", e);
}

/* The global row of a pair: the default-aux row, else the last one. */
static const struct ctb_row *global_row(const struct ctb_an_input *in,
					const char *gop, const char *targets)
{
	const struct ctb_row *g = ctb_an_find(in, gop, 0, CTB_DEFAULT_AUX,
					      NULL, "-", targets);

	for (size_t i = in->nrows; !g && i-- > 0;)
		if (!strcmp(in->rows[i].op, gop) &&
		    !strcmp(in->rows[i].targets, targets) &&
		    !strcmp(in->rows[i].opflags, "-"))
			g = &in->rows[i];
	return g;
}

static const char *const status_why[] = {
	[CTB_RS_EMPTY] = "compiled empty",
	[CTB_RS_BELOW] = "below the noise floor",
	[CTB_RS_UNRESOLVED] = "not resolvable at this noise",
	[CTB_RS_COSTS] = "resolved",
};

/* One global/range pair while it is analysed. */
struct tlb_pair {
	const struct ctb_an_input *in;
	json_t *an;
	const char *curve, *gop, *rop, *targets, *label;
	const struct ctb_row *g, *rr[MAXN];
	uint32_t c[MAXN];
	size_t n, nu, skipped;
	int first, stable, cheaper_again;
	double worst;
	char ct[256], path[160], above[256];
};

/* The range op's row per N, NULL where it is not usable. */
static void pair_rows(struct tlb_pair *p)
{
	for (size_t i = 0; i < p->n; i++) {
		p->rr[i] = ctb_an_find(p->in, p->rop, p->c[i], 0, NULL, "-",
				       p->targets);
		if (!ctb_an_usable(p->in, p->rr[i])) {
			p->skipped++;
			p->rr[i] = NULL;
		} else {
			p->nu++;
		}
	}
}

static void pair_unresolvable(struct tlb_pair *p)
{
	const struct ctb_an_input *in = p->in;
	int g_ok = ctb_an_usable(in, p->g);
	char text[1024];

	snprintf(text, sizeof(text),
		 "tlb%s: crossover not resolvable: %s is %s (%s: %zu of N=%u..%u resolved); %s",
		 p->label, !g_ok ? p->gop : p->rop,
		 !g_ok ? status_why[ctb_an_status(in, p->g)] : "never resolved",
		 p->rop, p->nu, p->c[0], p->c[p->n - 1], p->ct);
	add_crossover(p->an, p->curve, p->rop, p->gop, NULL, p->targets,
		      p->path, 0, json_null(), json_null(), json_null(), in,
		      text, NULL);
}

/*
 * Where the range op stops being significantly cheaper (first), where it
 * stays so (stable), and the direct range flush above the ceiling that
 * costs more than the global one.
 */
static void pair_scan(struct tlb_pair *p)
{
	const struct ctb_row *g = p->g;

	p->first = p->stable = p->cheaper_again = -1;
	for (size_t i = 0; i < p->n; i++) {
		const struct ctb_row *r = p->rr[i];
		int cheaper;

		if (!r)
			continue;
		cheaper = r->net.ci_hi < g->net.ci_lo;
		if (!cheaper && p->first < 0)
			p->first = (int)i;
		if (!cheaper && p->stable < 0)
			p->stable = (int)i;
		if (cheaper && p->stable >= 0) {
			p->cheaper_again = (int)i;
			p->stable = -1;
		}
		/* the range flush above the ceiling is a full flush too */
		if (!strcmp(p->curve, "direct") && p->in->ceiling &&
		    p->c[i] > p->in->ceiling && r->net.ci_lo > g->net.ci_hi) {
			size_t o = strlen(p->above);

			snprintf(p->above + o, sizeof(p->above) - o, "%s%u",
				 o ? "," : "", p->c[i]);
			if (r->net.median - g->net.median > p->worst)
				p->worst = r->net.median - g->net.median;
		}
	}
}

static void pair_warnings(const struct tlb_pair *p)
{
	const struct ctb_row *g = p->g;

	if (p->above[0])
		ctb_an_warn(p->an, "range_above_global", "tlb", p->rop,
			    "%s above the kernel's threshold (%u pages) costs more than %s (%.0f ns [%.0f, %.0f]) beyond both CIs at N=%s (up to +%.0f ns), although both end in a full flush: unequal preparation or a path the threshold does not cover",
			    p->rop, p->in->ceiling, p->gop, g->net.median,
			    g->net.ci_lo, g->net.ci_hi, p->above, p->worst);
	if (p->first >= 0 && p->first != p->stable)
		ctb_an_warn(p->an, "crossover_unstable", "tlb", p->rop,
			    "tlb%s: %s first reaches %s at N=%u but is significantly cheaper again at N=%u; %s",
			    p->label, p->rop, p->gop, p->c[p->first],
			    p->c[p->cheaper_again >= 0 ? p->cheaper_again :
				 p->first],
			    p->stable >= 0 ? "the crossover is stated from where it stays" :
			    "no crossover holds to the largest N");
}

static void pair_statement(const struct tlb_pair *p)
{
	const struct ctb_row *g = p->g;
	uint32_t last = p->c[p->n - 1];
	int st = p->stable, fi = p->first;
	char text[1024];

	if (st >= 0) {
		const struct ctb_row *r = p->rr[st];

		snprintf(text, sizeof(text),
			 "tlb%s: crossover at N=%u pages: %s (%.0f ns [%.0f, %.0f]) no longer significantly cheaper than %s (%.0f ns [%.0f, %.0f]) from there to N=%u%s; %s",
			 p->label, p->c[st], p->rop, r->net.median,
			 r->net.ci_lo, r->net.ci_hi, p->gop, g->net.median,
			 g->net.ci_lo, g->net.ci_hi, last,
			 p->skipped ? " (unresolved N skipped)" : "", p->ct);
	} else {
		snprintf(text, sizeof(text),
			 "tlb%s: no crossover within N=%u..%u pages: %s stays significantly cheaper than %s (%.0f ns [%.0f, %.0f]) at N=%u; %s",
			 p->label, p->c[0], last, p->rop, p->gop,
			 g->net.median, g->net.ci_lo, g->net.ci_hi, last,
			 p->ct);
	}
	add_crossover(p->an, p->curve, p->rop, p->gop, NULL, p->targets,
		      p->path, 1,
		      uint_or_null(st >= 0, st >= 0 ? p->c[st] : 0),
		      uint_or_null(fi >= 0, fi >= 0 ? p->c[fi] : 0),
		      uint_or_null(st >= 0, st >= 0 ? p->c[st] : 0),
		      p->in, text,
		      json_pack("{s:I, s:I, s:o, s:o, s:o}",
				"global_aux", (json_int_t)g->aux,
				"unresolved_n", (json_int_t)p->skipped,
				"global_ns", num(g->net.median),
				"global_ci_lo", num(g->net.ci_lo),
				"global_ci_hi", num(g->net.ci_hi)));
}

/* Returns 1 when the pair had rows. */
static int pair(const struct ctb_an_input *in, json_t *an, const char *curve,
		const char *gop, const char *rop, const char *targets,
		const char *label)
{
	struct tlb_pair p = { .in = in, .an = an, .curve = curve, .gop = gop,
			      .rop = rop, .targets = targets, .label = label };

	p.g = global_row(in, gop, targets);
	p.n = counts_of(in, rop, targets, p.c);
	if (!p.g || !p.n)
		return 0;
	ceil_text(in, p.ct, sizeof(p.ct));
	snprintf(p.path, sizeof(p.path), "%s %s vs %s%s%s",
		 strcmp(curve, "direct") ? "stand-in (ours, not the kernel's functions):" :
		 "direct call:", rop, gop, strcmp(targets, "-") ? " on CPUs " : "",
		 strcmp(targets, "-") ? targets : "");
	pair_rows(&p);
	if (!ctb_an_usable(in, p.g) || !p.nu) {
		pair_unresolvable(&p);
		return 1;
	}
	pair_scan(&p);
	pair_warnings(&p);
	pair_statement(&p);
	return 1;
}

static double median_of(double *x, size_t n)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && x[j - 1] > x[j]; j--) {
			double t = x[j];

			x[j] = x[j - 1];
			x[j - 1] = t;
		}
	return n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

/* A kernel path op against its control while it is analysed. */
struct tlb_kpath {
	const struct ctb_an_input *in;
	json_t *an;
	const char *op, *ctl, *path;
	uint32_t c[MAXN];
	size_t n, np, nf, nu;
	double d[MAXN], full[MAXN];
	int ok[MAXN];
	double a, b, F, step;
	uint32_t cl, hi_lim;
	char ct[256], lbl[256];
};

/* d(N) = op - control where it is above both rows' floor with its error. */
static void kpath_diffs(struct tlb_kpath *k)
{
	for (size_t i = 0; i < k->n; i++) {
		const struct ctb_row *r = ctb_an_find(k->in, k->op, k->c[i], 0,
						      NULL, "-", NULL);
		const struct ctb_row *ct = ctb_an_find(k->in, k->ctl, k->c[i],
						       0, NULL, "-", NULL);
		double fl, el;

		k->ok[i] = 0;
		if (!ctb_an_usable(k->in, r) || !ct ||
		    !isfinite(ct->net.median))
			continue;
		fl = r->rep.floor > ct->rep.floor ? r->rep.floor :
		     ct->rep.floor;
		el = hypot(r->net.median - r->net.ci_lo,
			   ct->net.ci_hi - ct->net.median);
		k->d[i] = r->net.median - ct->net.median;
		k->ok[i] = k->d[i] - el > fl;
		k->nu += k->ok[i];
	}
}

/*
 * d = a + b N over N <= ceiling, F = median d over ceiling < N <= 4
 * ceiling, and the step from N = ceiling to ceiling + 1 where both are.
 */
static void kpath_fit(struct tlb_kpath *k)
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0;
	uint32_t cl = k->cl;

	for (size_t i = 0; cl && i < k->n; i++) {
		if (!k->ok[i])
			continue;
		if (k->c[i] <= cl) {
			sx += k->c[i];
			sy += k->d[i];
			sxx += (double)k->c[i] * k->c[i];
			sxy += k->c[i] * k->d[i];
			k->np++;
		} else if (k->c[i] <= k->hi_lim) {
			k->full[k->nf++] = k->d[i];
		}
	}
	if (k->np >= 2 && k->np * sxx - sx * sx > 0) {
		k->b = (k->np * sxy - sx * sy) / (k->np * sxx - sx * sx);
		k->a = (sy - k->b * sx) / k->np;
	}
	if (k->nf)
		k->F = median_of(k->full, k->nf);
	for (size_t i = 0; i + 1 < k->n; i++)
		if (k->c[i] == cl && k->c[i + 1] == cl + 1 && k->ok[i] &&
		    k->ok[i + 1])
			k->step = k->d[i + 1] - k->d[i];
}

static void kpath_unresolvable(const struct tlb_kpath *k)
{
	char text[1024];

	snprintf(text, sizeof(text),
		 "tlb %s: crossover not resolvable: %s (%zu of %zu N resolved after subtracting the control); %s",
		 k->lbl, !k->cl ? "the kernel's threshold is unknown" :
		 k->np < 2 ? "fewer than 2 resolved N at or below the threshold" :
		 !k->nf ? "no resolved N between the threshold and 4x it" :
		 "the per-page branch does not grow with N",
		 k->nu, k->n, k->ct);
	add_crossover(k->an, "kernel-path", k->op, NULL, k->ctl, NULL,
		      k->path, 0, json_null(), json_null(), json_null(), k->in,
		      text, NULL);
}

static void kpath_no_crossover(const struct tlb_kpath *k)
{
	char text[1024];

	snprintf(text, sizeof(text),
		 "tlb %s: no crossover: the full flush (%.0f ns, %u < N <= %u) costs less than the per-page branch's fixed part (%.0f ns + %.1f ns/page, N <= %u): per-page flushing never pays off here; %s",
		 k->lbl, k->F, k->cl, k->hi_lim, k->a, k->b, k->cl, k->ct);
	add_crossover(k->an, "kernel-path", k->op, NULL, k->ctl, NULL,
		      k->path, 1, json_null(), json_null(), json_null(), k->in,
		      text,
		      json_pack("{s:o, s:o, s:o}", "fixed_ns", num(k->a),
				"per_page_ns", num(k->b),
				"full_flush_ns", num(k->F)));
}

static void kpath_crossover(const struct tlb_kpath *k)
{
	double xstar = (k->F - k->a) / k->b, step = k->step;
	char text[1024];

	if (xstar < k->c[0] || xstar > k->hi_lim)
		ctb_an_warn(k->an, "crossover_extrapolated", "tlb", k->op,
			    "tlb %s: N*=%.0f lies outside the measured per-page and full-flush branches (N=%u..%u): the fit extrapolates",
			    k->lbl, xstar, k->c[0], k->hi_lim);
	snprintf(text, sizeof(text),
		 "tlb %s: per-page branch %.0f ns + %.1f ns/page (N <= %u, %zu points), full flush %.0f ns (%u < N <= %u, %zu points): crossover N*=%.0f pages against the %s%s%.0f%s",
		 k->lbl, k->a, k->b, k->cl, k->np, k->F, k->cl, k->hi_lim,
		 k->nf, xstar, k->ct,
		 isfinite(step) ? "; step at the threshold " : "",
		 isfinite(step) ? step : 0.0, isfinite(step) ? " ns" : "");
	add_crossover(k->an, "kernel-path", k->op, NULL, k->ctl, NULL,
		      k->path, 1, json_integer((json_int_t)lround(xstar)),
		      json_null(), json_null(), k->in, text,
		      json_pack("{s:o, s:o, s:o, s:o, s:o, s:I, s:I}",
				"crossover_pages", num(xstar),
				"fixed_ns", num(k->a), "per_page_ns", num(k->b),
				"full_flush_ns", num(k->F),
				"step_ns", num(step),
				"fit_points", (json_int_t)k->np,
				"full_points", (json_int_t)k->nf));
}

/* Kernel path op minus its control: returns 1 when it had rows. */
static int kpath(const struct ctb_an_input *in, json_t *an, const char *op,
		 const char *ctl, const char *path)
{
	struct tlb_kpath k = { .in = in, .an = an, .op = op, .ctl = ctl,
			       .path = path, .a = NAN, .b = NAN, .F = NAN,
			       .step = NAN, .cl = in->ceiling,
			       .hi_lim = in->ceiling * 4 };

	k.n = counts_of(in, op, NULL, k.c);
	if (!k.n)
		return 0;
	ceil_text(in, k.ct, sizeof(k.ct));
	snprintf(k.lbl, sizeof(k.lbl), "kernel path via %s (%s - %s)", path,
		 op, ctl);
	kpath_diffs(&k);
	kpath_fit(&k);
	if (!k.cl || k.np < 2 || !k.nf || !(k.b > 0))
		kpath_unresolvable(&k);
	else if (!(k.F > k.a))
		kpath_no_crossover(&k);
	else
		kpath_crossover(&k);
	return 1;
}

/* One stand-in curve per target set of ipi_flush_all. */
static int standin_pairs(const struct ctb_an_input *in, json_t *an)
{
	int any = 0;

	for (size_t k = 0; k < in->nrows; k++) {
		const struct ctb_row *r = &in->rows[k];
		char label[128];

		if (strcmp(r->op, "ipi_flush_all") || strcmp(r->opflags, "-") ||
		    !strcmp(r->targets, "-"))
			continue;
		if (ctb_an_find(in, "ipi_flush_all", r->count, CTB_ROW_ANY_AUX,
				NULL, "-", r->targets) != r)
			continue;	/* one curve per target set */
		snprintf(label, sizeof(label),
			 " stand-in (ours, not the kernel's functions) on CPUs %.40s",
			 r->targets);
		any |= pair(in, an, "stand-in", "ipi_flush_all",
			    "ipi_flush_range", r->targets, label);
	}
	return any;
}

/* A set with TLB rows but no curve says so. */
static void no_curve(const struct ctb_an_input *in, json_t *an)
{
	int tlb = 0;

	for (size_t k = 0; k < in->nrows; k++)
		tlb |= !strcmp(in->rows[k].family, "tlb");
	if (tlb)
		add_crossover(an, "none", "-", NULL, NULL, NULL, "none",
			      0, json_null(), json_null(), json_null(),
			      in,
			      "tlb: crossover not computed: no global/range pair and no kernel-path op was measured",
			      NULL);
}

/* The index of the first crossover from @from on of @curve, or -1. */
static size_t find_curve(json_t *cr, size_t from, const char *curve,
			 int resolvable)
{
	for (size_t i = from; i < json_array_size(cr); i++) {
		json_t *e = json_array_get(cr, i);
		const char *cv = json_string_value(json_object_get(e, "curve"));

		if (cv && !strcmp(cv, curve) &&
		    (!resolvable ||
		     json_is_true(json_object_get(e, "resolvable"))))
			return i;
	}
	return (size_t)-1;
}

/*
 * The set's TLB crossover statement ("primary"): the direct pair when
 * measured, else the first resolvable kernel path, else the first curve.
 */
static void mark_primary(json_t *an, size_t before)
{
	json_t *cr = json_object_get(an, "crossovers");
	size_t pick = find_curve(cr, before, "direct", 0);

	if (pick == (size_t)-1)
		pick = find_curve(cr, before, "kernel-path", 1);
	if (pick == (size_t)-1 && json_array_size(cr) > before)
		pick = before;
	if (pick != (size_t)-1)
		json_object_set_new(json_array_get(cr, pick), "primary",
				    json_true());
}

/* The global/single-page ratio: flush_tlb_all / flush_tlb_kernel_range(1). */
static void global_single_ratio(const struct ctb_an_input *in, json_t *an)
{
	const struct ctb_row *g = global_row(in, "flush_tlb_all", "-");
	const struct ctb_row *one = ctb_an_find(in, "flush_tlb_kernel_range",
						1, 0, NULL, "-", "-");
	int both;
	json_t *r;
	char t[256];

	if (!g || !one)
		return;
	r = json_pack("{s:s, s:s, s:s, s:s, s:s}", "family", "tlb", "name",
		      "global/single-page", "op", "flush_tlb_all", "vs",
		      "flush_tlb_kernel_range(1)", "text", "");
	both = ctb_an_usable(in, g) && ctb_an_usable(in, one);
	if (both)
		snprintf(t, sizeof(t),
			 "tlb: global/single-page %.2f [%.2f, %.2f] (flush_tlb_all %.0f ns, flush_tlb_kernel_range(1) %.0f ns)",
			 g->net.median / one->net.median,
			 g->net.ci_lo / one->net.ci_hi,
			 g->net.ci_hi / one->net.ci_lo,
			 g->net.median, one->net.median);
	else
		snprintf(t, sizeof(t),
			 "tlb: global/single-page not resolvable: %s is %s",
			 ctb_an_usable(in, g) ? "flush_tlb_kernel_range(1)" :
			 "flush_tlb_all",
			 status_why[ctb_an_status(in,
					ctb_an_usable(in, g) ? one : g)]);
	if (r) {
		json_object_set_new(r, "text", json_string(t));
		json_object_set_new(r, "value", both ?
				    num(g->net.median / one->net.median) :
				    json_null());
	}
	ctb_an_add(an, "ratios", r);
}

void ctb_an_tlb(const struct ctb_an_input *in, json_t *an)
{
	size_t before = json_array_size(json_object_get(an, "crossovers"));
	int any = 0;

	any |= pair(in, an, "direct", "flush_tlb_all",
		    "flush_tlb_kernel_range", "-", "");
	any |= kpath(in, an, "kpath_purge", "kpath_purge_ctl",
		     "vm_unmap_aliases (lazy vmap purge -> flush_tlb_kernel_range)");
	any |= kpath(in, an, "kpath_set_pages_wb", "kpath_set_pages_wb_ctl",
		     "set_pages_wb (cpa_flush)");
	any |= standin_pairs(in, an);
	if (!any)
		no_curve(in, an);
	mark_primary(an, before);
	global_single_ratio(in, an);
}
