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

/* Returns 1 when the pair had rows. */
static int pair(const struct ctb_an_input *in, json_t *an, const char *curve,
		const char *gop, const char *rop, const char *targets,
		const char *label)
{
	const struct ctb_row *g = global_row(in, gop, targets), *rr[MAXN];
	uint32_t c[MAXN];
	size_t n = counts_of(in, rop, targets, c), nu = 0, skipped = 0;
	char ct[256], text[1024], path[160], above[256] = "";
	int first = -1, stable = -1, cheaper_again = -1;
	double worst = 0;

	if (!g || !n)
		return 0;
	ceil_text(in, ct, sizeof(ct));
	snprintf(path, sizeof(path), "%s %s vs %s%s%s",
		 strcmp(curve, "direct") ? "stand-in (ours, not the kernel's functions):" :
		 "direct call:", rop, gop, strcmp(targets, "-") ? " on CPUs " : "",
		 strcmp(targets, "-") ? targets : "");
	for (size_t i = 0; i < n; i++) {
		rr[i] = ctb_an_find(in, rop, c[i], 0, NULL, "-", targets);
		if (!ctb_an_usable(in, rr[i])) {
			skipped++;
			rr[i] = NULL;
		} else {
			nu++;
		}
	}
	if (!ctb_an_usable(in, g) || !nu) {
		snprintf(text, sizeof(text),
			 "tlb%s: crossover not resolvable: %s is %s (%s: %zu of N=%u..%u resolved); %s",
			 label,
			 !ctb_an_usable(in, g) ? gop : rop,
			 !ctb_an_usable(in, g) ?
			 status_why[ctb_an_status(in, g)] : "never resolved",
			 rop, nu, c[0], c[n - 1], ct);
		add_crossover(an, curve, rop, gop, NULL, targets, path, 0,
			      json_null(), json_null(), json_null(), in, text,
			      NULL);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		int cheaper;

		if (!rr[i])
			continue;
		cheaper = rr[i]->net.ci_hi < g->net.ci_lo;
		if (!cheaper && first < 0)
			first = (int)i;
		if (!cheaper && stable < 0)
			stable = (int)i;
		if (cheaper && stable >= 0) {
			cheaper_again = (int)i;
			stable = -1;
		}
		/* the range flush above the ceiling is a full flush too */
		if (!strcmp(curve, "direct") && in->ceiling &&
		    c[i] > in->ceiling && rr[i]->net.ci_lo > g->net.ci_hi) {
			size_t o = strlen(above);

			snprintf(above + o, sizeof(above) - o, "%s%u",
				 o ? "," : "", c[i]);
			if (rr[i]->net.median - g->net.median > worst)
				worst = rr[i]->net.median - g->net.median;
		}
	}
	if (above[0])
		ctb_an_warn(an, "range_above_global", "tlb", rop,
			    "%s above the kernel's threshold (%u pages) costs more than %s (%.0f ns [%.0f, %.0f]) beyond both CIs at N=%s (up to +%.0f ns), although both end in a full flush: unequal preparation or a path the threshold does not cover",
			    rop, in->ceiling, gop, g->net.median,
			    g->net.ci_lo, g->net.ci_hi, above, worst);
	if (first >= 0 && first != stable)
		ctb_an_warn(an, "crossover_unstable", "tlb", rop,
			    "tlb%s: %s first reaches %s at N=%u but is significantly cheaper again at N=%u; %s",
			    label, rop, gop, c[first],
			    c[cheaper_again >= 0 ? cheaper_again : first],
			    stable >= 0 ? "the crossover is stated from where it stays" :
			    "no crossover holds to the largest N");
	if (stable >= 0) {
		const struct ctb_row *r = rr[stable];

		snprintf(text, sizeof(text),
			 "tlb%s: crossover at N=%u pages: %s (%.0f ns [%.0f, %.0f]) no longer significantly cheaper than %s (%.0f ns [%.0f, %.0f]) from there to N=%u%s; %s",
			 label, c[stable], rop, r->net.median, r->net.ci_lo,
			 r->net.ci_hi, gop, g->net.median, g->net.ci_lo,
			 g->net.ci_hi, c[n - 1],
			 skipped ? " (unresolved N skipped)" : "", ct);
	} else {
		snprintf(text, sizeof(text),
			 "tlb%s: no crossover within N=%u..%u pages: %s stays significantly cheaper than %s (%.0f ns [%.0f, %.0f]) at N=%u; %s",
			 label, c[0], c[n - 1], rop, gop, g->net.median,
			 g->net.ci_lo, g->net.ci_hi, c[n - 1], ct);
	}
	add_crossover(an, curve, rop, gop, NULL, targets, path, 1,
		      uint_or_null(stable >= 0, stable >= 0 ? c[stable] : 0),
		      uint_or_null(first >= 0, first >= 0 ? c[first] : 0),
		      uint_or_null(stable >= 0, stable >= 0 ? c[stable] : 0),
		      in, text,
		      json_pack("{s:I, s:I, s:o, s:o, s:o}",
				"global_aux", (json_int_t)g->aux,
				"unresolved_n", (json_int_t)skipped,
				"global_ns", num(g->net.median),
				"global_ci_lo", num(g->net.ci_lo),
				"global_ci_hi", num(g->net.ci_hi)));
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

/* Kernel path op minus its control: returns 1 when it had rows. */
static int kpath(const struct ctb_an_input *in, json_t *an, const char *op,
		 const char *ctl, const char *path)
{
	uint32_t c[MAXN];
	size_t n = counts_of(in, op, NULL, c), np = 0, nf = 0, nu = 0;
	double d[MAXN], dl[MAXN], full[MAXN];
	int ok[MAXN];
	double sx = 0, sy = 0, sxx = 0, sxy = 0, a = NAN, b = NAN, F = NAN;
	double xstar = NAN, step = NAN;
	char ct[256], text[1024], lbl[256];
	uint32_t cl = in->ceiling, hi_lim = in->ceiling * 4;

	if (!n)
		return 0;
	ceil_text(in, ct, sizeof(ct));
	snprintf(lbl, sizeof(lbl), "kernel path via %s (%s - %s)", path, op,
		 ctl);
	for (size_t i = 0; i < n; i++) {
		const struct ctb_row *r = ctb_an_find(in, op, c[i], 0, NULL,
						      "-", NULL);
		const struct ctb_row *k = ctb_an_find(in, ctl, c[i], 0, NULL,
						      "-", NULL);
		double fl, el;

		ok[i] = 0;
		if (!ctb_an_usable(in, r) || !k || !isfinite(k->net.median))
			continue;
		fl = r->rep.floor > k->rep.floor ? r->rep.floor : k->rep.floor;
		el = hypot(r->net.median - r->net.ci_lo,
			   k->net.ci_hi - k->net.median);
		d[i] = r->net.median - k->net.median;
		dl[i] = d[i] - el;
		ok[i] = dl[i] > fl;
		nu += ok[i];
	}
	for (size_t i = 0; cl && i < n; i++) {
		if (!ok[i])
			continue;
		if (c[i] <= cl) {
			sx += c[i];
			sy += d[i];
			sxx += (double)c[i] * c[i];
			sxy += c[i] * d[i];
			np++;
		} else if (c[i] <= hi_lim) {
			full[nf++] = d[i];
		}
	}
	if (np >= 2 && np * sxx - sx * sx > 0) {
		b = (np * sxy - sx * sy) / (np * sxx - sx * sx);
		a = (sy - b * sx) / np;
	}
	if (nf)
		F = median_of(full, nf);
	for (size_t i = 0; i + 1 < n; i++)
		if (c[i] == cl && c[i + 1] == cl + 1 && ok[i] && ok[i + 1])
			step = d[i + 1] - d[i];
	if (!cl || np < 2 || !nf || !(b > 0)) {
		snprintf(text, sizeof(text),
			 "tlb %s: crossover not resolvable: %s (%zu of %zu N resolved after subtracting the control); %s",
			 lbl, !cl ? "the kernel's threshold is unknown" :
			 np < 2 ? "fewer than 2 resolved N at or below the threshold" :
			 !nf ? "no resolved N between the threshold and 4x it" :
			 "the per-page branch does not grow with N",
			 nu, n, ct);
		add_crossover(an, "kernel-path", op, NULL, ctl, NULL, path, 0,
			      json_null(), json_null(), json_null(), in, text,
			      NULL);
		return 1;
	}
	if (!(F > a)) {
		snprintf(text, sizeof(text),
			 "tlb %s: no crossover: the full flush (%.0f ns, %u < N <= %u) costs less than the per-page branch's fixed part (%.0f ns + %.1f ns/page, N <= %u): per-page flushing never pays off here; %s",
			 lbl, F, cl, hi_lim, a, b, cl, ct);
		add_crossover(an, "kernel-path", op, NULL, ctl, NULL, path, 1,
			      json_null(), json_null(), json_null(), in, text,
			      json_pack("{s:o, s:o, s:o}", "fixed_ns", num(a),
					"per_page_ns", num(b),
					"full_flush_ns", num(F)));
		return 1;
	}
	xstar = (F - a) / b;
	if (xstar < c[0] || xstar > hi_lim)
		ctb_an_warn(an, "crossover_extrapolated", "tlb", op,
			    "tlb %s: N*=%.0f lies outside the measured per-page and full-flush branches (N=%u..%u): the fit extrapolates",
			    lbl, xstar, c[0], hi_lim);
	snprintf(text, sizeof(text),
		 "tlb %s: per-page branch %.0f ns + %.1f ns/page (N <= %u, %zu points), full flush %.0f ns (%u < N <= %u, %zu points): crossover N*=%.0f pages against the %s%s%.0f%s",
		 lbl, a, b, cl, np, F, cl, hi_lim, nf, xstar, ct,
		 isfinite(step) ? "; step at the threshold " : "",
		 isfinite(step) ? step : 0.0, isfinite(step) ? " ns" : "");
	add_crossover(an, "kernel-path", op, NULL, ctl, NULL, path, 1,
		      json_integer((json_int_t)lround(xstar)), json_null(),
		      json_null(), in, text,
		      json_pack("{s:o, s:o, s:o, s:o, s:o, s:I, s:I}",
				"crossover_pages", num(xstar),
				"fixed_ns", num(a), "per_page_ns", num(b),
				"full_flush_ns", num(F), "step_ns", num(step),
				"fit_points", (json_int_t)np,
				"full_points", (json_int_t)nf));
	return 1;
}

void ctb_an_tlb(const struct ctb_an_input *in, json_t *an)
{
	json_t *cr = json_object_get(an, "crossovers");
	size_t before = json_array_size(cr), i;
	int any = 0;

	any |= pair(in, an, "direct", "flush_tlb_all",
		    "flush_tlb_kernel_range", "-", "");
	any |= kpath(in, an, "kpath_purge", "kpath_purge_ctl",
		     "vm_unmap_aliases (lazy vmap purge -> flush_tlb_kernel_range)");
	any |= kpath(in, an, "kpath_set_pages_wb", "kpath_set_pages_wb_ctl",
		     "set_pages_wb (cpa_flush)");
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
	cr = json_object_get(an, "crossovers");
	if (!any) {
		int tlb = 0;

		for (size_t k = 0; k < in->nrows; k++)
			tlb |= !strcmp(in->rows[k].family, "tlb");
		if (tlb)
			add_crossover(an, "none", "-", NULL, NULL, NULL, "none",
				      0, json_null(), json_null(), json_null(),
				      in,
				      "tlb: crossover not computed: no global/range pair and no kernel-path op was measured",
				      NULL);
		cr = json_object_get(an, "crossovers");
	}
	/*
	 * The set's TLB crossover statement ("primary"): the direct pair when
	 * measured, else the first resolvable kernel path, else the first
	 * curve.
	 */
	{
		size_t pick = (size_t)-1;

		for (i = before; i < json_array_size(cr); i++) {
			json_t *e = json_array_get(cr, i);
			const char *cv = json_string_value(
				json_object_get(e, "curve"));

			if (cv && !strcmp(cv, "direct")) {
				pick = i;
				break;
			}
		}
		for (i = before; pick == (size_t)-1 && i < json_array_size(cr);
		     i++) {
			json_t *e = json_array_get(cr, i);
			const char *cv = json_string_value(
				json_object_get(e, "curve"));

			if (cv && !strcmp(cv, "kernel-path") &&
			    json_is_true(json_object_get(e, "resolvable")))
				pick = i;
		}
		if (pick == (size_t)-1 && json_array_size(cr) > before)
			pick = before;
		if (pick != (size_t)-1)
			json_object_set_new(json_array_get(cr, pick), "primary",
					    json_true());
	}
	{
		const struct ctb_row *g = global_row(in, "flush_tlb_all", "-");
		const struct ctb_row *one = ctb_an_find(in,
			"flush_tlb_kernel_range", 1, 0, NULL, "-", "-");

		if (g && one) {
			json_t *r = json_pack("{s:s, s:s, s:s, s:s, s:s}",
					      "family", "tlb", "name",
					      "global/single-page", "op",
					      "flush_tlb_all", "vs",
					      "flush_tlb_kernel_range(1)",
					      "text", "");
			char t[256];

			if (ctb_an_usable(in, g) && ctb_an_usable(in, one))
				snprintf(t, sizeof(t),
					 "tlb: global/single-page %.2f [%.2f, %.2f] (flush_tlb_all %.0f ns, flush_tlb_kernel_range(1) %.0f ns)",
					 g->net.median / one->net.median,
					 g->net.ci_lo / one->net.ci_hi,
					 g->net.ci_hi / one->net.ci_lo,
					 g->net.median, one->net.median);
			else
				snprintf(t, sizeof(t),
					 "tlb: global/single-page not resolvable: %s is %s",
					 ctb_an_usable(in, g) ?
					 "flush_tlb_kernel_range(1)" :
					 "flush_tlb_all",
					 status_why[ctb_an_status(in,
						ctb_an_usable(in, g) ? one : g)]);
			if (r) {
				json_object_set_new(r, "text", json_string(t));
				json_object_set_new(r, "value",
					ctb_an_usable(in, g) &&
					ctb_an_usable(in, one) ?
					num(g->net.median / one->net.median) :
					json_null());
			}
			ctb_an_add(an, "ratios", r);
		}
	}
}
