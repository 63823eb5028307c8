// SPDX-License-Identifier: GPL-2.0
/*
 * The analysis (bench/analysis*.c) on synthetic rows: every verdict, every
 * named warning, no ratio from a compiled-empty or below-floor row, one
 * crossover statement per curve, the kernel-path crossover, analysis.json
 * written, read back and refused when malformed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "uapi/cachetlb.h"
#include "tap.h"

#define MAXR 64
static struct ctb_row rows[MAXR];
static size_t nrows;

/* A row with net +- half, noise floor fl; below_floor as the writer sets */
static struct ctb_row *row(const char *op, const char *fam, uint32_t count,
			   uint32_t aux, const char *state, const char *flags,
			   double net, double half, double fl)
{
	struct ctb_row *r = &rows[nrows++];

	memset(r, 0, sizeof(*r));
	snprintf(r->op, sizeof(r->op), "%s", op);
	snprintf(r->family, sizeof(r->family), "%s", fam);
	r->count = count;
	r->aux = aux;
	snprintf(r->state, sizeof(r->state), "%s", state);
	snprintf(r->opflags, sizeof(r->opflags), "%s", flags);
	snprintf(r->targets, sizeof(r->targets), "-");
	r->net.median = net;
	r->net.ci_lo = net - half;
	r->net.ci_hi = net + half;
	r->rep.rounds = 6;
	r->rep.floor = fl;
	r->rep.below_floor = fabs(net) <= fl;
	return r;
}

static json_t *run(const struct ctb_an_op *ops, size_t nops,
		   uint32_t ceiling)
{
	struct ctb_an_input in = {
		.rows = rows, .nrows = nrows, .ops = ops, .nops = nops,
		.emulated = 1, .ceiling = ceiling, .ceiling_source = "test",
	};

	return ctb_analysis_compute(&in);
}

/* The entry of list whose key k equals v (and "name" == name if given). */
static json_t *find(json_t *an, const char *list, const char *k,
		    const char *v, const char *name)
{
	json_t *e;
	size_t i;

	json_array_foreach(json_object_get(an, list), i, e) {
		const char *x = json_string_value(json_object_get(e, k));
		const char *n = json_string_value(json_object_get(e, "name"));

		if (x && !strcmp(x, v) && (!name || (n && !strcmp(n, name))))
			return e;
	}
	return NULL;
}

static size_t count_where(json_t *an, const char *list, const char *k,
			  const char *v)
{
	json_t *e;
	size_t i, n = 0;

	json_array_foreach(json_object_get(an, list), i, e) {
		const char *x = json_string_value(json_object_get(e, k));

		n += x && !strcmp(x, v);
	}
	return n;
}

static const char *str(json_t *e, const char *k)
{
	const char *s = json_string_value(json_object_get(e, k));

	return s ? s : "";
}

static void test_verdicts(void)
{
	static const struct ctb_an_op ops[] = {
		{ "flush_dcache_page", CACHETLB_PROP_COMPILED_EMPTY },
		{ "flush_kernel_vmap_range", 0 },
		{ "flush_cache_vmap", 0 },
		{ "line_clflush", 0 },
		{ "wobbly", 0 },
	};
	json_t *an, *v, *e;
	size_t i;
	int same = 1, ratio_from_nothing = 0;

	nrows = 0;
	/* compiled empty, whatever the timing says */
	row("flush_dcache_page", "cache", 1, 0, "dirty", "-", 0.4, 0.1, 0.2);
	row("flush_dcache_page", "cache", 16, 0, "dirty", "-", 30, 2, 0.2);
	row("flush_dcache_page", "cache", 16, 0, "clean", "-", 25, 2, 0.2);
	row("flush_dcache_page", "cache", 16, 0, "dirty", "double", 31, 2, 0.2);
	/* a real per-range op, the denominator of per-page/per-range */
	row("flush_kernel_vmap_range", "cache", 1, 0, "dirty", "-", 20, 1, 0.2);
	row("flush_kernel_vmap_range", "cache", 16, 0, "dirty", "-", 240, 5, 0.2);
	row("flush_kernel_vmap_range", "cache", 16, 0, "clean", "-", 200, 5, 0.2);
	row("flush_kernel_vmap_range", "cache", 16, 0, "dirty", "double", 10,
	    0.5, 12);
	/* below the floor in every row */
	row("flush_cache_vmap", "cache", 1, 0, "dirty", "-", 0.19, 0.05, 0.5);
	row("flush_cache_vmap", "cache", 16, 0, "dirty", "-", -0.3, 0.2, 0.5);
	/* costs */
	row("line_clflush", "cache", 16, 0, "dirty", "-", 800, 10, 1);
	row("line_clflush", "cache", 16, 0, "clean", "-", 400, 10, 1);
	/* CI reaching the floor in every row: not resolvable */
	row("wobbly", "cache", 16, 0, "dirty", "-", 50, 60, 1);
	an = run(ops, sizeof(ops) / sizeof(ops[0]), 33);
	ok(an != NULL, "analysis computed");

	v = find(an, "verdicts", "op", "flush_dcache_page", NULL);
	ok(v && !strcmp(str(v, "verdict"), "compiled_empty") &&
	   strstr(str(v, "text"), "compiled empty"),
	   "compiled-empty op: verdict from the build, not from its 30 ns rows (%s)",
	   str(v, "text"));
	json_array_foreach(json_object_get(an, "rows"), i, e)
		if (!strcmp(str(e, "op"), "flush_dcache_page"))
			same &= !strcmp(str(e, "status"), "compiled_empty") &&
				!strcmp(str(e, "text"), "compiled empty");
	ok(same, "every row of the compiled-empty op reads \"compiled empty\"");

	v = find(an, "verdicts", "op", "flush_cache_vmap", NULL);
	ok(v && !strcmp(str(v, "verdict"), "below_floor") &&
	   strstr(str(v, "text"), "below the noise floor (< 0.50 ns)"),
	   "below-floor op: \"below the noise floor (< X ns)\" (%s)",
	   str(v, "text"));
	v = find(an, "verdicts", "op", "line_clflush", NULL);
	ok(v && !strcmp(str(v, "verdict"), "costs") &&
	   strstr(str(v, "text"), "costs 800 ns [790, 810]"),
	   "costing op: \"costs X ns [CI]\" (%s)", str(v, "text"));
	v = find(an, "verdicts", "op", "wobbly", NULL);
	ok(v && !strcmp(str(v, "verdict"), "not_resolvable"),
	   "CI reaching the floor everywhere: not resolvable (%s)",
	   str(v, "text"));
	ok(find(an, "warnings", "op", "wobbly", "ci_too_wide") != NULL,
	   "warning ci_too_wide names the op");
	ok(count_where(an, "verdicts", "op", "flush_kernel_vmap_range") == 1,
	   "one verdict per op, whatever its number of rows");

	/* no ratio from a compiled-empty or below-floor row */
	json_array_foreach(json_object_get(an, "ratios"), i, e) {
		const char *o = str(e, "op"), *w = str(e, "vs");

		if ((!strcmp(o, "flush_dcache_page") ||
		     !strcmp(w, "flush_dcache_page") ||
		     !strcmp(o, "flush_cache_vmap") ||
		     !strcmp(w, "flush_cache_vmap")) &&
		    !json_is_null(json_object_get(e, "value")))
			ratio_from_nothing = 1;
	}
	ok(!ratio_from_nothing,
	   "no ratio value involves the compiled-empty or the below-floor op");
	e = find(an, "ratios", "name", "per-page/per-range", NULL);
	ok(e && json_is_null(json_object_get(e, "value")) &&
	   strstr(str(e, "text"), "not resolvable") &&
	   strstr(str(e, "text"), "compiled empty") &&
	   count_where(an, "ratios", "name", "per-page/per-range") == 1,
	   "per-page/per-range: one \"not resolvable\" entry naming compiled empty (%s)",
	   str(e, "text"));
	e = find(an, "ratios", "op", "line_clflush", "dirty/clean");
	ok(e && fabs(json_real_value(json_object_get(e, "value")) - 2.0) < 1e-9,
	   "dirty/clean of two costing rows: 800/400 = 2 (%s)", str(e, "text"));
	e = find(an, "ratios", "name", "second/first flush", NULL);
	ok(e && json_is_null(json_object_get(e, "value")),
	   "second flush below its floor: no second/first ratio (%s)",
	   e ? str(e, "text") : "none");
	json_decref(an);

	/* without recorded op properties nothing is compiled empty */
	an = run(NULL, 0, 33);
	v = find(an, "verdicts", "op", "flush_dcache_page", NULL);
	ok(v && strcmp(str(v, "verdict"), "compiled_empty") &&
	   find(an, "warnings", "name", "op_properties_missing", NULL),
	   "no op properties: no compiled-empty verdict, warning op_properties_missing");
	json_decref(an);
}

static void test_uaccess(void)
{
	json_t *an, *b;

	nrows = 0;
	row("uaccess_copy", "uaccess", 0, 256, "any", "-", 300, 5, 1);
	row("uaccess_vmap", "uaccess", 0, 256, "any", "-", 50, 5, 1);
	row("uaccess_setup", "uaccess", 0, 256, "any", "-", 5010, 10, 1);
	an = run(NULL, 0, 33);
	b = find(an, "break_evens", "op", "uaccess_vmap", NULL);
	ok(b && fabs(json_real_value(json_object_get(b, "requests")) - 21) < 1e-9 &&
	   fabs(json_real_value(json_object_get(b, "lo")) - 20) < 1e-9 &&
	   fabs(json_real_value(json_object_get(b, "hi")) - 21) < 1e-9,
	   "break-even ceil(5010/250) = 21 requests, CI [ceil(5000/260), ceil(5020/240)] = [20, 21] (%s)",
	   str(b, "text"));
	json_decref(an);
	rows[1].rep.below_floor = 1;
	an = run(NULL, 0, 33);
	b = find(an, "break_evens", "op", "uaccess_vmap", NULL);
	ok(b && json_is_null(json_object_get(b, "requests")) &&
	   strstr(str(b, "text"), "not resolvable") &&
	   strstr(str(b, "text"), "below the noise floor"),
	   "vmap below the floor: no break-even, says why (%s)",
	   str(b, "text"));
	json_decref(an);
}

/* A direct TLB sweep: range[i] at counts[i], global g. */
static void tlb_rows(const uint32_t *c, const double *v, size_t n, double g)
{
	nrows = 0;
	row("flush_tlb_all", "tlb", 0, 16, "any", "-", g, 100, 10);
	for (size_t i = 0; i < n; i++)
		row("flush_tlb_kernel_range", "tlb", c[i], 0, "any", "-", v[i],
		    100, 10);
}

static void test_tlb(void)
{
	static const uint32_t c[] = { 1, 4, 16, 32, 33, 34, 256, 2048 };
	static const double clean[] = { 500, 900, 2000, 3800, 3900, 5000, 5000,
					5050 };
	static const double bumpy[] = { 500, 900, 5000, 3000, 3900, 5000, 5000,
					 5050 };
	static const double above[] = { 500, 900, 2000, 3800, 3900, 5000, 9000,
					9000 };
	json_t *an, *x;

	tlb_rows(c, clean, 8, 5000);
	an = run(NULL, 0, 33);
	x = find(an, "crossovers", "curve", "direct", NULL);
	ok(x && json_integer_value(json_object_get(x, "n")) == 34 &&
	   json_is_true(json_object_get(x, "primary")) &&
	   strstr(str(x, "text"), "crossover at N=34 pages") &&
	   strstr(str(x, "text"), "kernel threshold 33 pages"),
	   "direct crossover where the range CI meets the global CI, next to the threshold (%s)",
	   str(x, "text"));
	ok(count_where(an, "crossovers", "curve", "direct") == 1,
	   "one crossover statement per curve");
	ok(!find(an, "warnings", "name", "crossover_unstable", NULL) &&
	   !find(an, "warnings", "name", "range_above_global", NULL),
	   "a clean curve has no warning");
	json_decref(an);

	tlb_rows(c, bumpy, 8, 5000);
	an = run(NULL, 0, 33);
	x = find(an, "crossovers", "curve", "direct", NULL);
	ok(x && json_integer_value(json_object_get(x, "n")) == 34 &&
	   json_integer_value(json_object_get(x, "first_n")) == 16 &&
	   find(an, "warnings", "name", "crossover_unstable", NULL),
	   "crossing at 16, cheaper again at 32: crossover from 34, warning crossover_unstable");
	ok(count_where(an, "crossovers", "curve", "direct") == 1 &&
	   !strstr(str(x, "text"), "N=16"),
	   "still one statement, which does not contradict itself");
	json_decref(an);

	tlb_rows(c, above, 8, 5000);
	an = run(NULL, 0, 33);
	x = find(an, "warnings", "name", "range_above_global", NULL);
	ok(x && strstr(str(x, "text"), "N=256,2048"),
	   "range flush above the threshold dearer than the global beyond both CIs: range_above_global (%s)",
	   str(x, "text"));
	json_decref(an);

	/* the global flush below the floor: nothing computed from it */
	tlb_rows(c, clean, 8, 5);
	an = run(NULL, 0, 33);
	x = find(an, "crossovers", "curve", "direct", NULL);
	ok(x && json_is_false(json_object_get(x, "resolvable")) &&
	   json_is_null(json_object_get(x, "n")) &&
	   strstr(str(x, "text"), "not resolvable"),
	   "global flush below the floor: crossover not resolvable (%s)",
	   str(x, "text"));
	x = find(an, "ratios", "name", "global/single-page", NULL);
	ok(x && json_is_null(json_object_get(x, "value")),
	   "and no global/single-page ratio");
	json_decref(an);
}

static void test_kpath(void)
{
	/* d(N) = 10000 + 100 N up to 33, 14000 flat above: N* = 40 */
	static const uint32_t c[] = { 2, 16, 32, 33, 34, 64, 65, 128, 2048 };
	json_t *an, *x;

	nrows = 0;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		double d = c[i] <= 33 ? 10000 + 100.0 * c[i] : 14000;

		row("kpath_purge", "tlb", c[i], 0, "any", "-", d + 2000, 50, 10);
		row("kpath_purge_ctl", "tlb", c[i], 0, "any", "-", 2000, 50, 10);
	}
	an = run(NULL, 0, 33);
	x = find(an, "crossovers", "curve", "kernel-path", NULL);
	ok(x && fabs(json_real_value(json_object_get(x, "crossover_pages")) - 40) < 1e-6 &&
	   fabs(json_real_value(json_object_get(x, "per_page_ns")) - 100) < 1e-6 &&
	   json_is_true(json_object_get(x, "primary")),
	   "kernel path: fit below the threshold, flat above: N* = (14000-10000)/100 = 40, the set's statement");
	ok(x && strstr(str(x, "text"), "kernel path via vm_unmap_aliases") &&
	   strstr(str(x, "text"), "crossover N*=40 pages") &&
	   strstr(str(x, "text"), "kernel threshold 33 pages") &&
	   strstr(str(x, "path"), "vm_unmap_aliases"),
	   "the statement names the path and the threshold (%s)",
	   str(x, "text"));
	ok(!find(an, "warnings", "name", "crossover_extrapolated", NULL),
	   "N* inside the measured branches: no crossover_extrapolated");
	json_decref(an);
	/* a flat per-page branch: N* far beyond 4x the threshold */
	for (size_t i = 0; i < nrows; i++)
		if (!strcmp(rows[i].op, "kpath_purge") && rows[i].count <= 33) {
			rows[i].net.median = 12000 + 10.0 * rows[i].count;
			rows[i].net.ci_lo = rows[i].net.median - 50;
			rows[i].net.ci_hi = rows[i].net.median + 50;
		}
	an = run(NULL, 0, 33);
	x = find(an, "warnings", "name", "crossover_extrapolated", NULL);
	ok(x != NULL, "N* = (14000-10000)/10 = 400 beyond 4x the threshold: warning crossover_extrapolated (%s)",
	   x ? str(x, "text") : "none");
	json_decref(an);
	/* full flush below the per-page branch's fixed part: no N* < 0 */
	for (size_t i = 0; i < nrows; i++)
		if (!strcmp(rows[i].op, "kpath_purge") && rows[i].count > 33) {
			rows[i].net.median = 9000;
			rows[i].net.ci_lo = 8950;
			rows[i].net.ci_hi = 9050;
		}
	an = run(NULL, 0, 33);
	x = find(an, "crossovers", "curve", "kernel-path", NULL);
	ok(x && json_is_null(json_object_get(x, "n")) &&
	   strstr(str(x, "text"), "never pays off"),
	   "full flush cheaper than the fixed part: no crossover, never a negative N* (%s)",
	   x ? str(x, "text") : "none");
	json_decref(an);
	an = run(NULL, 0, 0);
	x = find(an, "crossovers", "curve", "kernel-path", NULL);
	ok(x && json_is_null(json_object_get(x, "n")) &&
	   strstr(str(x, "text"), "threshold is unknown"),
	   "unknown threshold: the kernel-path crossover is not resolvable");
	json_decref(an);
	for (size_t i = 0; i < nrows; i++)
		if (!strcmp(rows[i].op, "kpath_purge"))
			rows[i].rep.below_floor = 1;
	an = run(NULL, 0, 33);
	x = find(an, "crossovers", "curve", "kernel-path", NULL);
	ok(x && json_is_false(json_object_get(x, "resolvable")),
	   "kernel-path rows below the floor: not resolvable");
	json_decref(an);
}

static void test_file(void)
{
	char dir[] = "/tmp/ctb-an-XXXXXX", p[256], err[256];
	json_t *an, *back;
	size_t nops;
	struct ctb_an_op *ops;
	static const struct ctb_an_op in_ops[] = {
		{ "flush_dcache_page", CACHETLB_PROP_COMPILED_EMPTY },
	};
	FILE *f;
	int code;

	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp");
		return;
	}
	nrows = 0;
	row("flush_dcache_page", "cache", 1, 0, "dirty", "-", 3, 1, 0.2);
	an = run(in_ops, 1, 33);
	ok(ctb_analysis_write(dir, an) == 0, "analysis.json written");
	back = ctb_analysis_read(dir, &code, err, sizeof(err));
	ok(back && json_equal(an, back), "read back equal");
	ops = back ? ctb_analysis_ops(back, &nops) : NULL;
	ok(ops && nops == 1 && ops[0].props == CACHETLB_PROP_COMPILED_EMPTY,
	   "op properties kept for re-analysis");
	free(ops);
	json_decref(back);
	json_decref(an);
	snprintf(p, sizeof(p), "%s/analysis.json", dir);
	f = fopen(p, "w");
	if (f) {
		fputs("{\"schema\": 1, \"verdicts\": 3}\n", f);
		fclose(f);
	}
	back = ctb_analysis_read(dir, &code, err, sizeof(err));
	ok(!back && code == -EINVAL && strstr(err, "ops") != NULL,
	   "malformed analysis.json refused, naming the key (%s)", err);
	unlink(p);
	back = ctb_analysis_read(dir, &code, err, sizeof(err));
	ok(!back && code == -ENOENT, "missing analysis.json: -ENOENT");
	rmdir(dir);
}

int main(void)
{
	test_verdicts();
	test_uaccess();
	test_tlb();
	test_kpath();
	test_file();
	return tap_done();
}
