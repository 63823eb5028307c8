// SPDX-License-Identifier: GPL-2.0
/*
 * ctbench report and compare: plain text for patch changelogs and mail.
 * Every line is at most CTB_REPORT_COLS (72) columns, ASCII only ("+-").
 *
 * Rows of two sets match on op, count, aux, state, opflags and targets.
 * When both rows carry raw samples, the comparison uses them (per
 * iteration: raw_ns / iterations) through ctb_compare_samples()
 * (Mann-Whitney U p-value + seeded bootstrap CI of the median ratio; see
 * compare.c). Otherwise it falls back to the stored medians and their
 * order-statistic CIs: ratio = median_b / median_a, relative half-widths
 * combined in quadrature, verdict from the ratio CI alone, p-value "n/a";
 * such lines are marked "*" (approximate).
 *
 * Samples within one run are not independent of run-level effects (boot,
 * memory placement, emulation), so two runs of the same kernel can differ
 * "significantly" by a few percent. When both sets contain the empty op
 * "nop", its change is printed as a control, and significant changes no
 * larger than it are flagged "~drift" (compare) / "~" (report). The flag
 * is a heuristic yardstick; the verdict itself is exactly the test above.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "report.h"

#define LABEL_W		40	/* + 1 + 22 + 1 + 5 + 2 = 71 columns */
#define CTB_CMP_SEED	0x6374622d636d70ULL	/* "ctb-cmp" */

/* Print one line, cut to CTB_REPORT_COLS ('~' marks a cut). */
static void line(FILE *f, const char *fmt, ...)
{
	char buf[CTB_REPORT_COLS + 1];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > CTB_REPORT_COLS)
		buf[CTB_REPORT_COLS - 1] = '~';
	fprintf(f, "%s\n", buf);
}

static const char *meta_or(const struct ctb_set *s, const char *k,
			   const char *dflt)
{
	const char *v = ctb_meta_get(s, k);

	return v && v[0] ? v : dflt;
}

static int set_emulated(const struct ctb_set *s)
{
	const char *v = ctb_meta_get(s, "emulated");
	size_t i;

	if (v)
		return !strcmp(v, "true") || !strcmp(v, "1");
	for (i = 0; i < s->nrows; i++)
		if (s->rows[i].emulated)
			return 1;
	return 0;
}

/* Last path component of s->dir, ignoring trailing slashes. */
static void set_name(const struct ctb_set *s, char *buf, size_t len)
{
	size_t n = strnlen(s->dir, sizeof(s->dir));
	const char *p;

	while (n > 1 && s->dir[n - 1] == '/')
		n--;
	p = s->dir + n;
	while (p > s->dir && p[-1] != '/')
		p--;
	snprintf(buf, len, "%.*s", (int)(s->dir + n - p), p);
}

static void machine_lines(FILE *f, const char *tag, const struct ctb_set *s)
{
	const char *emu = meta_or(s, "emulation", "qemu-tcg");
	char name[256];

	set_name(s, name, sizeof(name));
	line(f, "%s%s", tag, name);
	line(f, "  Machine: %s, kernel %s, %s%s%s", meta_or(s, "arch", "?"),
	     meta_or(s, "kernel_release", "?"),
	     set_emulated(s) ? "EMULATED (" : "native",
	     set_emulated(s) ? emu : "", set_emulated(s) ? ")" : "");
	line(f, "  CPU: %s", meta_or(s, "cpu_model", "unknown"));
	line(f, "  Date: %s, ctbench %s", meta_or(s, "date", "?"),
	     meta_or(s, "tool_version", "?"));
}

/* Choose a unit for |ns| and the number of decimals for ~4 digits. */
static double pick_unit(double ns, const char **unit, int *dec)
{
	double a = fabs(ns), div = 1.0;

	*unit = "ns";
	if (a >= 1e9) {
		div = 1e9;
		*unit = "s";
	} else if (a >= 1e6) {
		div = 1e6;
		*unit = "ms";
	} else if (a >= 1e3) {
		div = 1e3;
		*unit = "us";
	}
	a /= div;
	*dec = a >= 100.0 ? 1 : a >= 10.0 ? 2 : 3;
	return div;
}

static void fmt_time_pm(char *buf, size_t len, double ns, double hw)
{
	const char *u;
	int dec;
	double div;

	if (!isfinite(ns)) {
		snprintf(buf, len, "n/a");
		return;
	}
	div = pick_unit(ns, &u, &dec);
	/* show at least one significant digit of the half-width */
	while (isfinite(hw) && hw > 0 && dec < 6 &&
	       hw / div < 0.95 * pow(10.0, -dec))
		dec++;
	if (isfinite(hw))
		snprintf(buf, len, "%.*f +- %.*f %s", dec, ns / div, dec,
			 hw / div, u);
	else
		snprintf(buf, len, "%.*f %s", dec, ns / div, u);
}

/* A time without an interval: fmt_time_pm() with no half-width. */
static void fmt_time(char *buf, size_t len, double ns)
{
	fmt_time_pm(buf, len, ns, NAN);
}

static int unused(const char *s)
{
	return !s[0] || !strcmp(s, "-");
}

static void row_label(char *buf, size_t len, const struct ctb_row *r)
{
	size_t n;

	n = (size_t)snprintf(buf, len, "%s", r->op);
	if (n < len && r->count)
		n += (size_t)snprintf(buf + n, len - n, " N=%u",
				      (unsigned int)r->count);
	if (n < len && r->aux)
		n += (size_t)snprintf(buf + n, len - n, " M=%u",
				      (unsigned int)r->aux);
	if (n < len && !unused(r->state) && strcmp(r->state, "any"))
		n += (size_t)snprintf(buf + n, len - n, " %s", r->state);
	if (n < len && !unused(r->opflags))
		n += (size_t)snprintf(buf + n, len - n, " %s", r->opflags);
	if (n < len && !unused(r->targets))
		snprintf(buf + n, len - n, " ->%s", r->targets);
}

static double half_width(const struct ctb_stats *s)
{
	return fmax(s->median - s->ci_lo, s->ci_hi - s->median);
}

/* Per-iteration copy of a row's raw ns samples, or NULL. */
static double *per_iter(const struct ctb_row *r)
{
	double *v;
	size_t i;

	if (!r->nraw || !r->raw_ns || !r->iterations)
		return NULL;
	v = malloc(r->nraw * sizeof(*v));
	if (!v)
		return NULL;
	for (i = 0; i < r->nraw; i++)
		v[i] = r->raw_ns[i] / (double)r->iterations;
	return v;
}

/*
 * Compare row a with row b. *exact = 1 when raw samples were used.
 * Returns 0 or a negative errno (no usable medians).
 */
static int compare_rows(const struct ctb_row *a, const struct ctb_row *b,
			uint64_t seed, struct ctb_cmp *c, int *exact)
{
	double *va = per_iter(a), *vb = per_iter(b);
	double ra_lo, ra_hi, rb_lo, rb_hi, lo, hi;
	int err;

	*exact = 0;
	if (va && vb) {
		err = ctb_compare_samples(va, a->nraw, vb, b->nraw, seed, c);
		free(va);
		free(vb);
		if (!err) {
			*exact = 1;
			return 0;
		}
	} else {
		free(va);
		free(vb);
	}

	memset(c, 0, sizeof(*c));
	c->median_a = a->st.median;
	c->median_b = b->st.median;
	c->p_value = NAN;
	if (!(c->median_a > 0.0) || !isfinite(c->median_b))
		return -EINVAL;
	c->ratio = c->median_b / c->median_a;
	/* relative half-widths: b low with a high gives the lowest ratio */
	ra_lo = (a->st.median - a->st.ci_lo) / a->st.median;
	ra_hi = (a->st.ci_hi - a->st.median) / a->st.median;
	rb_lo = b->st.median ? (b->st.median - b->st.ci_lo) / b->st.median : 0;
	rb_hi = b->st.median ? (b->st.ci_hi - b->st.median) / b->st.median : 0;
	lo = sqrt(rb_lo * rb_lo + ra_hi * ra_hi);
	hi = sqrt(rb_hi * rb_hi + ra_lo * ra_lo);
	if (!isfinite(lo) || !isfinite(hi))
		return -EINVAL;
	c->ratio_lo = c->ratio * (1.0 - lo);
	c->ratio_hi = c->ratio * (1.0 + hi);
	c->diff_pct = (c->ratio - 1.0) * 100.0;
	c->diff_lo_pct = (c->ratio_lo - 1.0) * 100.0;
	c->diff_hi_pct = (c->ratio_hi - 1.0) * 100.0;
	c->verdict = c->ratio_lo > 1.0 ? CTB_SLOWER :
		     c->ratio_hi < 1.0 ? CTB_FASTER : CTB_SAME;
	return 0;
}

/*
 * Both sets normally contain the empty op "nop". Its change between the
 * sets is pure run-to-run variation (boot, placement, emulation), which
 * the within-run samples cannot see; print it as a yardstick.
 */
static void control_line(FILE *f, int have, const struct ctb_cmp *c)
{
	if (!have)
		return;
	line(f, "control: nop (empty op) changed %+.1f%% [%+.1f%%, %+.1f%%]",
	     c->diff_pct, c->diff_lo_pct, c->diff_hi_pct);
	line(f, "%s", "between the sets: changes of that size are run-to-run");
	line(f, "%s", "variation, not the code under test.");
}

static const char *short_verdict(enum ctb_verdict v)
{
	return v == CTB_FASTER ? "faster" : v == CTB_SLOWER ? "slower" :
	       "same";
}

/* Which of arch, kernel_release, emulated differ; prints each. */
static int env_differs(FILE *f, const struct ctb_set *a,
		       const struct ctb_set *b, const char *prefix)
{
	static const char *const keys[] = { "arch", "kernel_release" };
	int diff = 0;
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *x = meta_or(a, keys[i], "(missing)");
		const char *y = meta_or(b, keys[i], "(missing)");

		if (strcmp(x, y)) {
			line(f, "%s%s differs: A %s, B %s", prefix, keys[i],
			     x, y);
			diff = 1;
		}
	}
	if (set_emulated(a) != set_emulated(b)) {
		line(f, "%semulated differs: A %s, B %s", prefix,
		     set_emulated(a) ? "emulated" : "native",
		     set_emulated(b) ? "emulated" : "native");
		diff = 1;
	}
	return diff;
}

/* Index of the first unused row of b matching ra, or -1. */
static long find_match(const struct ctb_row *ra, const struct ctb_set *b,
		       const unsigned char *used)
{
	struct ctb_row_key key = ctb_row_key_of(ra);
	size_t j;

	for (j = 0; j < b->nrows; j++)
		if (!used[j] && ctb_row_match(&b->rows[j], &key))
			return (long)j;
	return -1;
}

/* Compare the first "nop" row of a with its match in b, if any. */
static int find_nop(const struct ctb_set *a, const struct ctb_set *b,
		    const unsigned char *used, struct ctb_cmp *c)
{
	size_t i;
	int exact;

	for (i = 0; i < a->nrows; i++) {
		long j;

		if (strcmp(a->rows[i].op, "nop"))
			continue;
		j = find_match(&a->rows[i], b, used);
		return j >= 0 && !compare_rows(&a->rows[i], &b->rows[j],
					       CTB_CMP_SEED ^ i, c, &exact);
	}
	return 0;
}

/*
 * Walk the rows of a in order and pair each with the first unused
 * matching row of b (report A B and compare share this). Counts the
 * pairs, the approximate comparisons and the "~drift" rows as it goes.
 */
struct matcher {
	const struct ctb_set *a, *b;
	unsigned char *used;	/* rows of b already paired */
	unsigned char *used_a;	/* rows of a paired (same allocation) */
	size_t next;		/* next row of a to look at */
	size_t matched, in_drift;
	int approx, have_nop;
	struct ctb_cmp nop;	/* the nop control, when have_nop */
};

/* One pair: rb = b's partner of a's row ra; ok = 0 without medians. */
struct pair {
	const struct ctb_row *ra, *rb;
	char label[160], ma[24], mb[24];
	struct ctb_cmp c;
	int ok, exact, drift;
};

static int matcher_init(struct matcher *m, const struct ctb_set *a,
			const struct ctb_set *b)
{
	memset(m, 0, sizeof(*m));
	m->a = a;
	m->b = b;
	m->used = calloc(b->nrows + a->nrows + 1, 1);
	if (!m->used)
		return -ENOMEM;
	m->used_a = m->used + b->nrows;
	m->have_nop = find_nop(a, b, m->used, &m->nop);
	return 0;
}

/* Next pair of rows into *p; 0 when a's rows are exhausted. */
static int next_pair(struct matcher *m, struct pair *p)
{
	while (m->next < m->a->nrows) {
		size_t i = m->next++;
		const struct ctb_row *ra = &m->a->rows[i];
		long j = find_match(ra, m->b, m->used);

		if (j < 0)
			continue;
		m->used[j] = 1;
		m->used_a[i] = 1;
		m->matched++;
		p->ra = ra;
		p->rb = &m->b->rows[j];
		row_label(p->label, sizeof(p->label), ra);
		p->ok = !compare_rows(ra, p->rb, CTB_CMP_SEED ^ i, &p->c,
				      &p->exact);
		p->drift = 0;
		if (!p->ok)
			return 1;
		m->approx |= !p->exact;
		fmt_time(p->ma, sizeof(p->ma), p->c.median_a);
		fmt_time(p->mb, sizeof(p->mb), p->c.median_b);
		p->drift = m->have_nop && p->c.verdict != CTB_SAME &&
			   strcmp(ra->op, "nop") &&
			   fabs(p->c.diff_pct) <= fabs(m->nop.diff_pct);
		m->in_drift += p->drift;
		return 1;
	}
	return 0;
}

/* Name a set's rows without a partner, at most 10; returns the rest. */
static size_t list_only(FILE *f, const char *side, const struct ctb_set *s,
			const unsigned char *used)
{
	char label[160];
	size_t i, shown = 0, left = 0;

	for (i = 0; i < s->nrows; i++) {
		if (used[i])
			continue;
		if (shown++ < 10) {
			row_label(label, sizeof(label), &s->rows[i]);
			line(f, "  only in %s: %s", side, label);
		} else {
			left++;
		}
	}
	return left;
}

/* After the walk: the rows of either set without a partner. */
static void list_unmatched(FILE *f, const struct matcher *m)
{
	size_t left = list_only(f, "A", m->a, m->used_a);

	left += list_only(f, "B", m->b, m->used);
	if (left)
		line(f, "  ... and %zu more unmatched rows", left);
}

/* The footnotes both printers end with. */
static void matcher_notes(FILE *f, const struct matcher *m)
{
	if (m->approx)
		line(f, "%s",
		     "* no raw samples: CI from stored medians, approximate.");
	control_line(f, m->have_nop, &m->nop);
}

static void label_lines(FILE *f, const char *label, const char *rest)
{
	if (strlen(label) <= LABEL_W) {
		line(f, "%-*s %s", LABEL_W, label, rest);
	} else {
		line(f, "%s", label);
		line(f, "%-*s %s", LABEL_W, "", rest);
	}
}

static int cmp_dbl(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

/*
 * Reading step per iteration, measured from the raw samples: the smallest
 * positive difference between two distinct raw totals (e.g. 100 ns with a
 * 10 MHz timer), divided by the iterations. 0 when unknown (no raw
 * samples, fewer than two distinct values).
 */
static double step_per_iter(const struct ctb_row *r)
{
	double *v, step = INFINITY;
	size_t i;

	if (!r->raw_ns || r->nraw < 2 || !r->iterations)
		return 0.0;
	v = malloc(r->nraw * sizeof(*v));
	if (!v)
		return 0.0;
	memcpy(v, r->raw_ns, r->nraw * sizeof(*v));
	qsort(v, r->nraw, sizeof(*v), cmp_dbl);
	for (i = 1; i < r->nraw; i++)
		if (v[i] > v[i - 1] && v[i] - v[i - 1] < step)
			step = v[i] - v[i - 1];
	free(v);
	return isfinite(step) ? step / (double)r->iterations : 0.0;
}

static void report_one(FILE *f, const struct ctb_set *a)
{
	size_t i;
	int floored = 0;

	machine_lines(f, "Set: ", a);
	line(f, "%s", "");
	line(f, "%-*s %22s %5s", LABEL_W, "op and parameters",
	     "median/iter +- 95% CI", "n");
	for (i = 0; i < a->nrows; i++) {
		const struct ctb_row *r = &a->rows[i];
		char label[160], val[40], rest[80];
		double hw = half_width(&r->st), q = step_per_iter(r) / 2;
		int fl = 0;

		/*
		 * A median CI narrower than half the reading step only
		 * reflects quantisation (identical readings), not precision.
		 */
		if (isfinite(hw) && hw < q) {
			hw = q;
			fl = 1;
			floored = 1;
		}
		row_label(label, sizeof(label), r);
		fmt_time_pm(val, sizeof(val), r->st.median, hw);
		snprintf(rest, sizeof(rest), "%22s %5zu%s%s", val, r->st.n,
			 !strcmp(r->noop, "yes") ? " 0" :
			 ctb_stats_ci_wide(&r->st) ? " w" : fl ? " " : "",
			 fl ? "r" : "");
		label_lines(f, label, rest);
	}
	line(f, "%s", "");
	line(f, "%s", "N = count, M = aux, ->cpus = targets, n = samples;");
	line(f, "%s", "0 = indistinguishable from the empty op;");
	line(f, "%s", "w = CI wider than 10% of the median.");
	if (floored)
		line(f, "%s", "r = CI below the timer step: shown as +- half a step.");
}

static int report_two(FILE *f, const struct ctb_set *a,
		      const struct ctb_set *b)
{
	struct matcher m;
	struct pair p;

	if (matcher_init(&m, a, b))
		return -ENOMEM;
	machine_lines(f, "Before (A): ", a);
	machine_lines(f, "After (B): ", b);
	env_differs(f, a, b, "WARNING: ");
	line(f, "%s", "");
	line(f, "%s", "op and parameters");
	line(f, "%s", "    A -> B (median/iter)  change [95% CI]  verdict");
	while (next_pair(&m, &p)) {
		line(f, "%s  (n %zu/%zu)", p.label, p.ra->st.n, p.rb->st.n);
		if (!p.ok) {
			line(f, "%s", "    no usable medians");
			continue;
		}
		line(f, "    %s -> %s  %+.1f%% [%+.1f%%, %+.1f%%]  %s%s%s",
		     p.ma, p.mb, p.c.diff_pct, p.c.diff_lo_pct,
		     p.c.diff_hi_pct, short_verdict(p.c.verdict),
		     p.drift ? "~" : "", p.exact ? "" : "*");
	}
	line(f, "%s", "");
	line(f, "%zu matching rows (A %zu, B %zu); n = samples A/B;",
	     m.matched, a->nrows, b->nrows);
	line(f, "%s", "change = B/A - 1 of medians, bootstrap 95% CI;");
	line(f, "%s", "same = no significant difference (Mann-Whitney");
	line(f, "%s", "p >= 0.05 or the CI includes 0).");
	matcher_notes(f, &m);
	if (m.in_drift)
		line(f, "~ = no larger than the nop's change (%zu row%s)",
		     m.in_drift, m.in_drift == 1 ? "" : "s");
	free(m.used);
	return 0;
}

int ctb_report_print(FILE *f, const struct ctb_set *a,
		     const struct ctb_set *b)
{
	if (!f || !a)
		return -EINVAL;
	if (!b) {
		report_one(f, a);
		return ferror(f) ? -EIO : 0;
	}
	return report_two(f, a, b) ? -ENOMEM : ferror(f) ? -EIO : 0;
}

int ctb_compare_sets(FILE *f, const struct ctb_set *a, const struct ctb_set *b,
		     int force)
{
	size_t nv[3] = { 0, 0, 0 };
	struct matcher m;
	struct pair p;
	char pv[24];

	if (!f || !a || !b)
		return -EINVAL;
	if (env_differs(f, a, b, force ? "warning (--force): " :
					  "refusing to compare: ")) {
		if (!force) {
			line(f, "%s", "rows from different arch, kernel or "
				      "emulation are not comparable;");
			line(f, "%s", "use --force to compare anyway");
			return -EINVAL;
		}
	}
	if (matcher_init(&m, a, b))
		return -ENOMEM;
	line(f, "A: %s", a->dir);
	line(f, "B: %s", b->dir);
	line(f, "   %s, kernel %s, %s", meta_or(a, "arch", "?"),
	     meta_or(a, "kernel_release", "?"),
	     set_emulated(a) ? "EMULATED" : "native");
	line(f, "%s", "Medians per iteration; ratio B/A with bootstrap 95% CI;");
	line(f, "%s", "p from Mann-Whitney U; significant: p < 0.05 and the");
	line(f, "%s", "CI excludes no change.");
	while (next_pair(&m, &p)) {
		line(f, "%s", "");
		line(f, "%s  (n %zu/%zu)", p.label, p.ra->st.n, p.rb->st.n);
		if (!p.ok) {
			line(f, "%s", "  no usable medians (median <= 0 or missing)");
			continue;
		}
		line(f, "  A %s  B %s  ratio %.3f [%.3f, %.3f]", p.ma, p.mb,
		     p.c.ratio, p.c.ratio_lo, p.c.ratio_hi);
		if (isnan(p.c.p_value))
			snprintf(pv, sizeof(pv), "p n/a*");
		else if (p.c.p_value < 0.0001)
			snprintf(pv, sizeof(pv), "p<0.0001");
		else
			snprintf(pv, sizeof(pv), "p=%.4f", p.c.p_value);
		line(f, "  %s: %+.1f%% [%+.1f%%, %+.1f%%] %s%s",
		     ctb_verdict_name(p.c.verdict), p.c.diff_pct,
		     p.c.diff_lo_pct, p.c.diff_hi_pct, pv,
		     p.drift ? " ~drift" : "");
		nv[p.c.verdict + 1]++;
	}
	line(f, "%s", "");
	line(f, "%zu matching rows: %zu faster, %zu slower, %zu no", m.matched,
	     nv[0], nv[2], nv[1]);
	line(f, "significant difference; unmatched: A %zu, B %zu",
	     a->nrows - m.matched, b->nrows - m.matched);
	list_unmatched(f, &m);
	matcher_notes(f, &m);
	if (m.in_drift)
		line(f, "~drift: %zu significant change%s no larger than the nop's",
		     m.in_drift, m.in_drift == 1 ? " is" : "s are");
	free(m.used);
	return m.matched ? 0 : -ENOENT;
}
