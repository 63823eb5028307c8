// SPDX-License-Identifier: GPL-2.0
/*
 * ctbench compare A B: the before/after table of a patch review
 * (docs/patch-review.md).
 *
 * - Rows of A and B are paired on op, count, aux, state, opflags and
 *   targets; rows on one side only are listed, the intersection compared.
 * - The rows selected by --family/--op (all by default) go through
 *   ctb_compare_batch_drift() (compare.c) as one batch: the selection
 *   states the question, so the Benjamini-Hochberg family is those rows.
 *   The drift between the sets comes from reference rows whose cost does
 *   not depend on the kernel (spin, the nop control) over all matched
 *   rows: what the machine or emulator moved, not what a patch did.
 * - Different kernels, configs, boot arguments, knob settings and
 *   emulation are the expected case: the header lists every meta key
 *   whose value differs. Different arches are refused (-EXDEV) unless
 *   cross_arch: then B's round nets, controls and floors are divided by g,
 *   the median of net B / net A over the rows above their floors on both
 *   sides, so the test asks "did this op move relative to the machine as
 *   a whole" (a ratio), never compares nanoseconds of two machines.
 * - Text output: every line <= CTB_REPORT_COLS, plain ASCII, one line per
 *   row; an op label too wide for its column gets a line of its own
 *   above its rows. csv, json and markdown are in cmpfmt.c.
 */
#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmpset.h"
#include "compare.h"
#include "report.h"
#include "results.h"

#define CTB_CMP_SEED	0x6374622d636d70ULL	/* "ctb-cmp" */
#define LABEL_COL	23	/* text: 23+1+4+1+5+1+5+1+5+1+11+1+5+1+7 = 72 */

int ctb_cmp_format_parse(const char *s)
{
	if (!s || !strcmp(s, "text"))
		return CTB_FMT_TEXT;
	if (!strcmp(s, "csv"))
		return CTB_FMT_CSV;
	if (!strcmp(s, "json"))
		return CTB_FMT_JSON;
	if (!strcmp(s, "markdown") || !strcmp(s, "md"))
		return CTB_FMT_MARKDOWN;
	return -1;
}

int ctb_cmp_selected(const struct ctb_row *r, const struct ctb_cmp_opts *o)
{
	if (o->family && strcmp(o->family, r->family))
		return 0;
	if (o->op_glob && fnmatch(o->op_glob, r->op, 0))
		return 0;
	return 1;
}

/* The rounds of a row as one side of a comparison (none without raw/). */
static void row_side(const struct ctb_row *r, double *nets, double scale,
		     struct ctb_rside *side)
{
	struct ctb_round rd[CTB_MAX_ROUNDS];
	int n = -1;

	memset(side, 0, sizeof(*side));
	if (r->nraw && r->raw_ns && r->base_ns && r->raw_round &&
	    r->raw_iters)
		n = ctb_rounds_from_samples(r->raw_ns, r->base_ns,
					    r->raw_round, r->raw_iters,
					    r->nraw, rd, CTB_MAX_ROUNDS);
	for (int i = 0; i < n; i++)
		nets[i] = rd[i].net / scale;
	side->nets = nets;
	side->n = n > 0 ? (size_t)n : 0;
	side->net = r->rep.net / scale;
	side->floor = (isfinite(r->rep.floor) ? r->rep.floor : 0.0) / scale;
	side->ctrl = r->rep.ctrl / scale;
	side->below = r->rep.below_floor;
}

static int cmp_dbl(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

/* g = median of net B / net A over rows above their floors on both sides. */
static void cross_scale(struct ctb_cmp_ctx *m)
{
	double *v = malloc((m->npairs + 1) * sizeof(*v));
	size_t n = 0, i;

	m->scale = 1.0;
	m->nscale = 0;
	if (!v)
		return;
	for (i = 0; i < m->npairs; i++) {
		const struct ctb_row *ra = m->pairs[i].ra, *rb = m->pairs[i].rb;

		if (!ra->rep.below_floor && !rb->rep.below_floor &&
		    ra->rep.net > 0 && rb->rep.net > 0)
			v[n++] = rb->rep.net / ra->rep.net;
	}
	if (n) {
		qsort(v, n, sizeof(*v), cmp_dbl);
		m->scale = n & 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
		m->nscale = n;
	}
	free(v);
}

static int pair_rows(struct ctb_cmp_ctx *m)
{
	const struct ctb_set *a = m->a, *b = m->b;
	size_t i, j;

	m->used_a = calloc(a->nrows + 1, 1);
	m->used_b = calloc(b->nrows + 1, 1);
	m->pairs = calloc(a->nrows + 1, sizeof(*m->pairs));
	if (!m->used_a || !m->used_b || !m->pairs)
		return -ENOMEM;
	for (i = 0; i < a->nrows; i++) {
		struct ctb_row_key key = ctb_row_key_of(&a->rows[i]);
		struct ctb_cmp_pair *p;

		for (j = 0; j < b->nrows; j++)
			if (!m->used_b[j] && ctb_row_match(&b->rows[j], &key))
				break;
		if (j == b->nrows)
			continue;
		m->used_a[i] = m->used_b[j] = 1;
		p = &m->pairs[m->npairs++];
		p->ra = &a->rows[i];
		p->rb = &b->rows[j];
		p->shown = ctb_cmp_selected(p->ra, m->o);
		m->nshown += p->shown;
	}
	return 0;
}

/*
 * Drift between the sets from reference rows whose cost does not depend
 * on the kernel: the spin rows (a CPU loop; net B / net A, both above
 * their floors) and the nop row's control (an empty call). The largest
 * |ratio - 1| of these; NAN when the sets have none (then compare.c uses
 * the controls of all rows, which is also right within one kernel).
 * With knob sets measured in alternating rounds this is small; across
 * boots it is what the emulator or machine moved.
 */
static double reference_drift(const struct ctb_cmp_ctx *m)
{
	double d = NAN;
	size_t i;

	for (i = 0; i < m->npairs; i++) {
		const struct ctb_row *ra = m->pairs[i].ra, *rb = m->pairs[i].rb;
		double r = NAN;

		if (!strcmp(ra->op, "spin") && !ra->rep.below_floor &&
		    !rb->rep.below_floor && ra->rep.net > 0)
			r = rb->rep.net / m->scale / ra->rep.net;
		else if (!strcmp(ra->op, "nop") && ra->rep.ctrl > 0)
			r = rb->rep.ctrl / m->scale / ra->rep.ctrl;
		if (isfinite(r) && !(fabs(r - 1.0) <= d))
			d = fabs(r - 1.0);
	}
	return d;
}

/*
 * The batch: the rows shown (--family/--op state the question, so the
 * Benjamini-Hochberg family is those rows), the drift from the reference
 * rows of all matched rows.
 */
static int run_batch(struct ctb_cmp_ctx *m)
{
	struct ctb_rside *sa, *sb;
	double (*na)[CTB_MAX_ROUNDS], (*nb)[CTB_MAX_ROUNDS];
	struct ctb_rcmp *c;
	size_t i, k;
	int ret = -ENOMEM;

	sa = calloc(m->nshown, sizeof(*sa));
	sb = calloc(m->nshown, sizeof(*sb));
	na = calloc(m->nshown, sizeof(*na));
	nb = calloc(m->nshown, sizeof(*nb));
	c = calloc(m->nshown, sizeof(*c));
	if (sa && sb && na && nb && c) {
		double ref = reference_drift(m);

		for (i = k = 0; i < m->npairs; i++) {
			if (!m->pairs[i].shown)
				continue;
			row_side(m->pairs[i].ra, na[k], 1.0, &sa[k]);
			row_side(m->pairs[i].rb, nb[k], m->scale, &sb[k]);
			k++;
		}
		m->drift_from = isfinite(ref) ? "spin and nop rows" :
			       "controls of the rows, 90th percentile";
		ret = ctb_compare_batch_drift(sa, sb, m->nshown, CTB_CMP_SEED,
					      isfinite(ref) ? ref : -1.0, c,
					      &m->drift);
		for (i = k = 0; !ret && i < m->npairs; i++)
			if (m->pairs[i].shown)
				m->pairs[i].c = c[k++];
	}
	free(sa);
	free(sb);
	free(na);
	free(nb);
	free(c);
	return ret;
}

/* ---- formatting ------------------------------------------------------ */

/*
 * v in at most w characters: with unit, ns scaled to n/u/m by magnitude
 * ("1.23u", "12.3n", "999n", "-1.2m"); without, a plain number with at
 * most one decimal ("+5.7", "+844", "+2e4"); sign forced when plus.
 */
static void fmt_fit(char *buf, size_t len, double v, int w, int unit,
		    int plus)
{
	static const char units[] = "num";
	double x = v;
	int u = 0, d;

	if (!isfinite(v)) {
		snprintf(buf, len, "-");
		return;
	}
	while (unit && u < 2 && fabs(x) >= 999.5) {
		x /= 1000.0;
		u++;
	}
	for (d = unit ? 2 : 1; d >= 0; d--) {
		char tmp[40];
		int n;

		if (unit)
			n = snprintf(tmp, sizeof(tmp), plus ? "%+.*f%c" :
				     "%.*f%c", d, x, units[u]);
		else
			n = snprintf(tmp, sizeof(tmp), plus ? "%+.*f" : "%.*f",
				     d, x);
		if (n <= w) {
			snprintf(buf, len, "%s", tmp);
			return;
		}
	}
	/* too large for w: a power of ten ("+2e4", "3e6m") */
	{
		int e = (int)floor(log10(fabs(x)));
		double mant = x / pow(10.0, e);

		snprintf(buf, len, plus ? "%+.0fe%d%s" : "%.0fe%d%s", mant, e,
			 unit ? (u == 2 ? "m" : u ? "u" : "n") : "");
	}
}

/* A net: "1.23u", or "<12n" when inside its noise floor. */
static void fmt_side(char *buf, size_t len, const struct ctb_row *r, int w)
{
	char t[40];

	if (r->rep.below_floor) {
		fmt_fit(t, sizeof(t), r->rep.floor, w - 1, 1, 0);
		snprintf(buf, len, "<%s", t);
	} else {
		fmt_fit(buf, len, r->rep.net, w, 1, 0);
	}
}

static void fmt_count(char *buf, size_t len, uint32_t n)
{
	if (!n)
		snprintf(buf, len, "-");
	else if (n < 10000)
		snprintf(buf, len, "%u", (unsigned int)n);
	else if (!(n % 1024) && n / 1024 < 1000)
		snprintf(buf, len, "%uk", (unsigned int)(n / 1024));
	else
		snprintf(buf, len, "%.0fk", n / 1000.0);
}

static void fmt_padj(char *buf, size_t len, double p)
{
	if (isnan(p))
		snprintf(buf, len, "-");
	else if (p < 0.001)
		snprintf(buf, len, "<.001");
	else
		snprintf(buf, len, "%.3f", p);
}

/*
 * The change and its CI: in % of A; when A is inside its floor, B - A in
 * time, the bounds in the unit of the change ("+25n" "[-60,+300]").
 * Rows inside both floors and untested rows: "-".
 */
static void fmt_delta(char *d, size_t dl, char *ci, size_t cl,
		      const struct ctb_cmp_pair *p)
{
	static const char units[] = "num";
	char lo[48], hi[48];
	double div = 1.0, big;
	int u = 0;

	if (p->c.why == CTB_WHY_ROUNDS || p->c.why == CTB_WHY_FLOOR) {
		snprintf(d, dl, "-");
		snprintf(ci, cl, "-");
		return;
	}
	if (isfinite(p->c.pct)) {
		fmt_fit(d, dl, p->c.pct, 5, 0, 1);
		fmt_fit(lo, sizeof(lo), p->c.pct_lo, 4, 0, 1);
		fmt_fit(hi, sizeof(hi), p->c.pct_hi, 4, 0, 1);
		snprintf(ci, cl, "[%s,%s]", lo, hi);
		return;
	}
	big = fmax(fabs(p->c.diff), fmax(fabs(p->c.diff_lo),
					 fabs(p->c.diff_hi)));
	while (u < 2 && big / div >= 999.5) {
		div *= 1000.0;
		u++;
	}
	fmt_fit(d, dl, p->c.diff / div, 4, 0, 1);
	snprintf(d + strlen(d), dl - strlen(d), "%c", units[u]);
	fmt_fit(lo, sizeof(lo), p->c.diff_lo / div, 4, 0, 1);
	fmt_fit(hi, sizeof(hi), p->c.diff_hi / div, 4, 0, 1);
	snprintf(ci, cl, "[%s,%s]", lo, hi);
}

/* Short verdict of the table: slower, faster, same, drift, floor, n/a. */
const char *ctb_cmp_verdict_word(const struct ctb_cmp_pair *p)
{
	switch (p->c.why) {
	case CTB_WHY_CHANGED:
		return p->c.verdict == CTB_SLOWER ? "slower" : "faster";
	case CTB_WHY_ROUNDS:
		return "n/a";
	case CTB_WHY_FLOOR:
		return "floor";
	case CTB_WHY_EFFECT:
		return "drift";
	case CTB_WHY_TEST:
		break;
	}
	return "same";
}

static void fmt_verdict(char *buf, size_t len, const struct ctb_cmp_ctx *m,
			const struct ctb_cmp_pair *p)
{
	snprintf(buf, len, "%s%s", ctb_cmp_verdict_word(p),
		 m->emulated && p->c.why == CTB_WHY_CHANGED ? "*" : "");
}

void ctb_cmp_cells(struct ctb_cmp_cells *c, const struct ctb_cmp_ctx *m,
		   const struct ctb_cmp_pair *p, int w)
{
	fmt_count(c->n, sizeof(c->n), p->ra->count);
	fmt_side(c->va, sizeof(c->va), p->ra, w);
	fmt_side(c->vb, sizeof(c->vb), p->rb, w);
	fmt_delta(c->d, sizeof(c->d), c->ci, sizeof(c->ci), p);
	fmt_padj(c->pa, sizeof(c->pa), p->c.p_adj);
	fmt_verdict(c->v, sizeof(c->v), m, p);
}

/* ---- header ---------------------------------------------------------- */

/* Meta keys that differ between any two runs and say nothing about them. */
static int boring_key(const char *k)
{
	static const char *const skip[] = {
		"date", "hostname", "command", "analysis", "interrupted",
		"emulation_reason", "environment_reason", "hypervisor_hint",
		"ceiling_source", "pmu", "counter_hz", "clock_resolution_ns",
		"counter_resolution", "wall_s", "wall_time_s", "placement",
		"schema_version", "rounds", "git_commit",
	};

	for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (!strcmp(k, skip[i]))
			return 1;
	return 0;
}

/* Meta keys whose values differ, callback per key (a missing side: NULL). */
void ctb_cmp_each_difference(const struct ctb_set *a,
			     const struct ctb_set *b,
			     void (*fn)(void *, const char *, const char *,
					const char *), void *arg)
{
	size_t i;

	for (i = 0; i < a->nmeta; i++) {
		const char *k = a->meta[i].key, *vb = ctb_meta_get(b, k);

		if (boring_key(k))
			continue;
		if (!vb || strcmp(a->meta[i].value, vb))
			fn(arg, k, a->meta[i].value, vb);
	}
	for (i = 0; i < b->nmeta; i++) {
		const char *k = b->meta[i].key;

		if (!boring_key(k) && !ctb_meta_get(a, k))
			fn(arg, k, NULL, b->meta[i].value);
	}
}

static void print_difference(void *arg, const char *k, const char *va,
			     const char *vb)
{
	FILE *f = arg;
	char buf[1024];

	snprintf(buf, sizeof(buf), "%s: A %s; B %s", k, va ? va : "(none)",
		 vb ? vb : "(none)");
	ctb_wrap_line(f, "  ", buf, 4);
}

static void count_difference(void *arg, const char *k, const char *va,
			     const char *vb)
{
	(void)k;
	(void)va;
	(void)vb;
	(*(size_t *)arg)++;
}

const char *ctb_cmp_env_word(const struct ctb_set *s)
{
	const char *e = ctb_meta_get(s, "environment");

	if (ctb_set_is_emulated(s))
		return "emulated";
	return e && e[0] ? e : "native";
}

/* "6 rounds, 120 samples" or ranges over the shown rows of one side. */
static void samples_of(char *buf, size_t len, const struct ctb_cmp_ctx *m,
		       int side_b)
{
	size_t rlo = SIZE_MAX, rhi = 0, slo = SIZE_MAX, shi = 0, i;

	for (i = 0; i < m->npairs; i++) {
		const struct ctb_row *r = side_b ? m->pairs[i].rb :
					  m->pairs[i].ra;

		if (!m->pairs[i].shown)
			continue;
		rlo = r->rep.rounds < rlo ? r->rep.rounds : rlo;
		rhi = r->rep.rounds > rhi ? r->rep.rounds : rhi;
		slo = r->nraw < slo ? r->nraw : slo;
		shi = r->nraw > shi ? r->nraw : shi;
	}
	if (rhi == 0 && shi == 0) {
		snprintf(buf, len, "none");
		return;
	}
	if (rlo == rhi && slo == shi)
		snprintf(buf, len, "%zu rounds, %zu samples", rlo, slo);
	else
		snprintf(buf, len, "%zu-%zu rounds, %zu-%zu samples", rlo, rhi,
			 slo, shi);
}

static void text_header(FILE *f, const struct ctb_cmp_ctx *m)
{
	const struct ctb_set *a = m->a, *b = m->b;
	char na[256], nb[256], buf[1200], sa[64], sb[64];
	const char *ca = ctb_meta_or(a, "cpu_model", "unknown");
	const char *cb = ctb_meta_or(b, "cpu_model", "unknown");
	size_t ndiff = 0;

	ctb_set_basename(a, na, sizeof(na));
	ctb_set_basename(b, nb, sizeof(nb));
	ctb_wrap_line(f, "A (before):", na, 4);
	ctb_wrap_line(f, "B (after): ", nb, 4);
	if (m->cross)
		snprintf(buf, sizeof(buf), "A %s, B %s (--cross-arch)",
			 ctb_meta_or(a, "arch", "?"), ctb_meta_or(b, "arch", "?"));
	else
		snprintf(buf, sizeof(buf), "%s", ctb_meta_or(a, "arch", "?"));
	ctb_wrap_line(f, "Arch:", buf, 4);
	ctb_wrap_line(f, "Kernel A:", ctb_meta_or(a, "kernel_release", "?"), 4);
	ctb_wrap_line(f, "Kernel B:", ctb_meta_or(b, "kernel_release", "?"), 4);
	if (!strcmp(ca, cb)) {
		ctb_wrap_line(f, "CPU:", ca, 4);
	} else {
		ctb_wrap_line(f, "CPU A:", ca, 4);
		ctb_wrap_line(f, "CPU B:", cb, 4);
	}
	snprintf(buf, sizeof(buf), "A %s, B %s", ctb_cmp_env_word(a),
		 ctb_cmp_env_word(b));
	if (!strcmp(ctb_cmp_env_word(a), ctb_cmp_env_word(b)))
		snprintf(buf, sizeof(buf), "%s (both)", ctb_cmp_env_word(a));
	if (m->emulated)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
			 "; emulated times are QEMU TCG, not a CPU");
	ctb_wrap_line(f, "Machine:", buf, 4);
	samples_of(sa, sizeof(sa), m, 0);
	samples_of(sb, sizeof(sb), m, 1);
	snprintf(buf, sizeof(buf), "A %s; B %s", sa, sb);
	ctb_wrap_line(f, "Per row:", buf, 4);
	ctb_cmp_each_difference(a, b, count_difference, &ndiff);
	if (ndiff) {
		fprintf(f, "Differs (%zu):\n", ndiff);
		ctb_cmp_each_difference(a, b, print_difference, f);
	} else {
		fprintf(f, "Differs: nothing in the metadata\n");
	}
	if (m->cross) {
		snprintf(buf, sizeof(buf),
			 "B's times are divided by g = %.3g, the median B/A "
			 "over %zu rows above their floors: d%% is a change "
			 "relative to the machine as a whole, not in ns.",
			 m->scale, m->nscale);
		ctb_wrap_line(f, "Cross-arch:", buf, 4);
	}
}

/* ---- the formats ----------------------------------------------------- */

static void text_rows(FILE *f, const struct ctb_cmp_ctx *m)
{
	const char *last_op = "";
	size_t i;

	fprintf(f, "%-*s %4s %5s %5s %5s %-11s %5s %s\n", LABEL_COL, "op", "N",
		"A", "B", "d%", "95% CI", "p", "verdict");
	for (i = 0; i < m->npairs; i++) {
		const struct ctb_cmp_pair *p = &m->pairs[i];
		struct ctb_cmp_cells c;
		char lab[160];

		if (!p->shown)
			continue;
		ctb_row_variant(lab, sizeof(lab), p->ra);
		if (strlen(lab) > LABEL_COL) {
			/* the op on a line of its own, the row indented */
			const char *rest = lab + strlen(p->ra->op);

			if (strcmp(last_op, p->ra->op))
				fprintf(f, "%s\n", p->ra->op);
			if (strlen(rest) + 1 <= LABEL_COL) {
				memmove(lab + 1, rest, strlen(rest) + 1);
				lab[0] = ' ';
			} else {
				/* variant too long too: on the op's line */
				ctb_wrap_line(f, "  ", rest, 4);
				snprintf(lab, sizeof(lab), "  \"");
			}
		}
		last_op = p->ra->op;
		ctb_cmp_cells(&c, m, p, 5);
		fprintf(f, "%-*s %4s %5s %5s %5s %-11s %5s %s\n", LABEL_COL,
			lab, c.n, c.va, c.vb, c.d, c.ci, c.pa, c.v);
	}
}

static void list_one_sided(FILE *f, const struct ctb_cmp_ctx *m)
{
	const struct ctb_set *s[2] = { m->a, m->b };
	const unsigned char *used[2] = { m->used_a, m->used_b };
	char lab[200], buf[240];

	for (int k = 0; k < 2; k++) {
		size_t i;

		for (i = 0; i < s[k]->nrows; i++) {
			const struct ctb_row *r = &s[k]->rows[i];

			if (used[k][i] || !ctb_cmp_selected(r, m->o))
				continue;
			ctb_row_variant(lab, sizeof(lab), r);
			snprintf(buf, sizeof(buf), "%s N=%u", lab,
				 (unsigned int)r->count);
			ctb_wrap_line(f, k ? "  only in B:" : "  only in A:",
				      buf, 4);
		}
	}
}

static size_t count_verdict(const struct ctb_cmp_ctx *m, const char *w)
{
	size_t i, n = 0;

	for (i = 0; i < m->npairs; i++)
		n += m->pairs[i].shown && !strcmp(ctb_cmp_verdict_word(&m->pairs[i]), w);
	return n;
}

static void text_footer(FILE *f, const struct ctb_cmp_ctx *m)
{
	char buf[1200];
	size_t oa = m->a->nrows - m->npairs, ob = m->b->nrows - m->npairs;

	fprintf(f, "\n");
	snprintf(buf, sizeof(buf), "%zu rows shown of %zu matched: %zu slower, "
		 "%zu faster, %zu same, %zu drift, %zu floor, %zu n/a. "
		 "Rows only in A: %zu, only in B: %zu.", m->nshown, m->npairs,
		 count_verdict(m, "slower"), count_verdict(m, "faster"),
		 count_verdict(m, "same"), count_verdict(m, "drift"),
		 count_verdict(m, "floor"), count_verdict(m, "n/a"), oa, ob);
	ctb_wrap_line(f, "", buf, 0);
	list_one_sided(f, m);
	fprintf(f, "\n");
	ctb_wrap_line(f, "", "N: count (pages, lines, requests; k = 1024). "
		      "A, B: net time per iteration (op minus its matched "
		      "control), median of the round medians; n = ns, u = us, "
		      "m = ms; <X: inside the noise floor X, never divided.", 0);
	ctb_wrap_line(f, "", "d%: (B - A) / A in percent; with a unit letter "
		      "it is B - A in time (A inside its floor). 95% CI: "
		      "bootstrap over rounds.", 0);
	snprintf(buf, sizeof(buf), "p: Welch's t-test on the round nets "
		 "beyond the minimum effect, adjusted by Benjamini-Hochberg "
		 "over the %zu rows shown (FDR 5%%). Minimum effect: the "
		 "noise floors, the row's control change and the drift "
		 "between the sets, %.1f%% of the row (from the %s).",
		 m->nshown, m->drift * 100.0, m->drift_from);
	ctb_wrap_line(f, "", buf, 0);
	ctb_wrap_line(f, "", "slower/faster: p < 0.05 and beyond the minimum "
		      "effect; same: not significant; drift: significant only "
		      "within the minimum effect; floor: both inside their "
		      "floors; n/a: fewer than 2 rounds on a side.", 0);
	if (m->emulated)
		ctb_wrap_line(f, "", "*: emulated (QEMU TCG): the emulator's "
			      "cost changed; real hardware may differ.", 0);
}

int ctb_compare_sets(FILE *f, const struct ctb_set *a, const struct ctb_set *b,
		     const struct ctb_cmp_opts *o)
{
	struct ctb_cmp_opts dflt = { .format = CTB_FMT_TEXT };
	struct ctb_cmp_ctx m;
	FILE *err;
	int ret;

	if (!f || !a || !b)
		return -EINVAL;
	if (!o)
		o = &dflt;
	err = o->err ? o->err : stderr;
	memset(&m, 0, sizeof(m));
	m.a = a;
	m.b = b;
	m.o = o;
	m.scale = 1.0;
	m.emulated = ctb_set_is_emulated(a) || ctb_set_is_emulated(b);
	m.cross = strcmp(ctb_meta_or(a, "arch", "?"),
			 ctb_meta_or(b, "arch", "?")) != 0;
	if (m.cross && !o->cross_arch) {
		fprintf(err, "ctbench: compare: refusing sets of two arches "
			"(A %s, B %s):\n", ctb_meta_or(a, "arch", "?"),
			ctb_meta_or(b, "arch", "?"));
		fprintf(err, "  their nanoseconds are not comparable; "
			"--cross-arch compares ratios instead\n");
		return -EXDEV;
	}
	ret = pair_rows(&m);
	if (!ret && m.cross)
		cross_scale(&m);
	if (!ret && m.nshown)
		ret = run_batch(&m);
	if (!ret && !m.nshown) {
		fprintf(err, "ctbench: compare: %s\n", m.npairs ?
			"no matched row is selected by --family/--op" :
			"no rows of A match rows of B");
		ret = -ENOENT;
	}
	if (!ret) {
		switch (o->format) {
		case CTB_FMT_CSV:
			ctb_cmp_csv(f, &m);
			break;
		case CTB_FMT_JSON:
			ret = ctb_cmp_json(f, &m);
			break;
		case CTB_FMT_MARKDOWN:
			ctb_cmp_markdown(f, &m);
			break;
		default:
			text_header(f, &m);
			fprintf(f, "\n");
			text_rows(f, &m);
			text_footer(f, &m);
			break;
		}
		if (!ret && ferror(f))
			ret = -EIO;
	}
	free(m.used_a);
	free(m.used_b);
	free(m.pairs);
	return ret;
}
