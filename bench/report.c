// SPDX-License-Identifier: GPL-2.0
/*
 * ctbench report and compare: plain text for patch changelogs and mail.
 * Every line is at most CTB_REPORT_COLS (72) columns, ASCII only ("+-").
 *
 * Rows of two sets match on op, count, aux, state, opflags and targets.
 * Every number is the NET cost per iteration (op minus its matched
 * control), the median of the round nets with its order-statistic CI
 * over rounds (stats.c); a net inside the row's noise floor prints as
 * "< floor (X)" and is never divided. Two sets are compared on their
 * rounds with ctb_compare_batch() (compare.c): Welch's test beyond a
 * minimum effect (floors, control change, control drift between the
 * sets), Benjamini-Hochberg at FDR 5% over the matched rows.
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

/*
 * One side of a comparison from a row: the round nets recomputed from raw/
 * (none without raw samples: such rows are not tested).
 */
static void row_side(const struct ctb_row *r, double *nets,
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
		nets[i] = rd[i].net;
	side->nets = nets;
	side->n = n > 0 ? (size_t)n : 0;
	side->net = r->rep.net;
	side->floor = isfinite(r->rep.floor) ? r->rep.floor : 0.0;
	side->ctrl = r->rep.ctrl;
	side->below = r->rep.below_floor;
}

/* One pair: rb = b's partner of a's row ra. */
struct pair {
	const struct ctb_row *ra, *rb;
	char label[160];
	struct ctb_rcmp c;
	int ok;
};

/*
 * Pair every row of a with the first unused matching row of b (report A B
 * and compare share this) and compare all pairs as one batch.
 */
struct matcher {
	const struct ctb_set *a, *b;
	unsigned char *used;	/* rows of b already paired */
	unsigned char *used_a;	/* rows of a paired (same allocation) */
	struct pair *pairs;
	size_t npairs, next;
	double drift;		/* control drift between the sets */
	int ok;			/* the batch comparison ran */
};

static int matcher_init(struct matcher *m, const struct ctb_set *a,
			const struct ctb_set *b)
{
	struct ctb_rside *sa = NULL, *sb = NULL;
	double (*na)[CTB_MAX_ROUNDS] = NULL, (*nb)[CTB_MAX_ROUNDS] = NULL;
	struct ctb_rcmp *c = NULL;
	size_t i;
	int ret = -ENOMEM;

	memset(m, 0, sizeof(*m));
	m->a = a;
	m->b = b;
	m->used = calloc(b->nrows + a->nrows + 1, 1);
	m->pairs = calloc(a->nrows + 1, sizeof(*m->pairs));
	if (!m->used || !m->pairs)
		goto out;
	m->used_a = m->used + b->nrows;
	for (i = 0; i < a->nrows; i++) {
		long j = find_match(&a->rows[i], b, m->used);
		struct pair *p;

		if (j < 0)
			continue;
		m->used[j] = 1;
		m->used_a[i] = 1;
		p = &m->pairs[m->npairs++];
		p->ra = &a->rows[i];
		p->rb = &b->rows[j];
		row_label(p->label, sizeof(p->label), p->ra);
	}
	ret = 0;
	if (!m->npairs)
		goto out;
	ret = -ENOMEM;
	sa = calloc(m->npairs, sizeof(*sa));
	sb = calloc(m->npairs, sizeof(*sb));
	na = calloc(m->npairs, sizeof(*na));
	nb = calloc(m->npairs, sizeof(*nb));
	c = calloc(m->npairs, sizeof(*c));
	if (!sa || !sb || !na || !nb || !c)
		goto out;
	for (i = 0; i < m->npairs; i++) {
		row_side(m->pairs[i].ra, na[i], &sa[i]);
		row_side(m->pairs[i].rb, nb[i], &sb[i]);
	}
	ret = ctb_compare_batch(sa, sb, m->npairs, CTB_CMP_SEED, c,
				&m->drift);
	if (!ret) {
		m->ok = 1;
		for (i = 0; i < m->npairs; i++) {
			m->pairs[i].c = c[i];
			m->pairs[i].ok = 1;
		}
	}
out:
	free(sa);
	free(sb);
	free(na);
	free(nb);
	free(c);
	if (ret) {
		free(m->used);
		free(m->pairs);
		m->used = NULL;
		m->pairs = NULL;
	}
	return ret;
}

static void matcher_free(struct matcher *m)
{
	free(m->used);
	free(m->pairs);
}

/* Next pair into *p; 0 when exhausted. */
static int next_pair(struct matcher *m, struct pair **p)
{
	if (m->next >= m->npairs)
		return 0;
	*p = &m->pairs[m->next++];
	return 1;
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

static void label_lines(FILE *f, const char *label, const char *rest)
{
	if (strlen(label) <= LABEL_W) {
		line(f, "%-*s %s", LABEL_W, label, rest);
	} else {
		line(f, "%s", label);
		line(f, "%-*s %s", LABEL_W, "", rest);
	}
}

/* "12.3 us" or "< floor (40 ns)": the one way a net is printed. */
static void fmt_net(char *buf, size_t len, const struct ctb_row *r)
{
	char fl[24];

	if (r->rep.below_floor) {
		fmt_time(fl, sizeof(fl), r->rep.floor);
		snprintf(buf, len, "< floor (%s)", fl);
	} else {
		fmt_time(buf, len, r->rep.net);
	}
}

/* "[lo, hi]" in the unit of mid. */
static void fmt_interval(char *buf, size_t len, double mid, double lo,
			 double hi)
{
	const char *u;
	int dec;
	double div = pick_unit(mid, &u, &dec);

	snprintf(buf, len, "[%.*f, %.*f]", dec, lo / div, dec, hi / div);
}

static void report_one(FILE *f, const struct ctb_set *a)
{
	size_t i;
	double lvl = NAN;

	machine_lines(f, "Set: ", a);
	line(f, "%s", "");
	line(f, "%-*s %-26s %4s", LABEL_W, "op and parameters",
	     "net/iter [CI]", "R");
	for (i = 0; i < a->nrows; i++) {
		const struct ctb_row *r = &a->rows[i];
		char label[160], val[40], ci[48], rest[128], vc[90];

		row_label(label, sizeof(label), r);
		fmt_net(val, sizeof(val), r);
		if (r->rep.below_floor) {
			snprintf(rest, sizeof(rest), "%-26s %4zu", val,
				 r->rep.rounds);
		} else {
			fmt_interval(ci, sizeof(ci), r->rep.net, r->rep.ci_lo,
				     r->rep.ci_hi);
			snprintf(vc, sizeof(vc), "%.39s %.47s", val, ci);
			snprintf(rest, sizeof(rest), "%-26s %4zu", vc,
				 r->rep.rounds);
		}
		label_lines(f, label, rest);
		if (r->rep.rounds > 1 && isfinite(r->rep.ci_level))
			lvl = r->rep.ci_level;
	}
	line(f, "%s", "");
	line(f, "%s", "N = count, M = aux, ->cpus = targets, R = rounds;");
	line(f, "%s", "net = op minus its matched control, median of the");
	if (isfinite(lvl))
		line(f, "round nets; CI over rounds (order statistics, %.1f%%);",
		     lvl * 100.0);
	else
		line(f, "%s", "round nets; CI over rounds (order statistics);");
	line(f, "%s", "< floor: inside the noise floor (control vs itself,");
	line(f, "%s", "clock step); not a cost, never divided.");
}

/* "+5.2% [+1.0%, +9.9%]" or, without a percentage, the ns difference. */
static void fmt_change(char *buf, size_t len, const struct pair *p)
{
	char d[32], lo[48];

	if (isfinite(p->c.pct)) {
		snprintf(buf, len, "%+.1f%% [%+.1f%%, %+.1f%%]", p->c.pct,
			 p->c.pct_lo, p->c.pct_hi);
		return;
	}
	fmt_time(d, sizeof(d), p->c.diff);
	fmt_interval(lo, sizeof(lo), p->c.diff, p->c.diff_lo, p->c.diff_hi);
	snprintf(buf, len, "%s%s %s", p->c.diff >= 0 ? "+" : "", d, lo);
}

static void fmt_p(char *buf, size_t len, double p)
{
	if (isnan(p))
		snprintf(buf, len, "n/a");
	else if (p < 0.0001)
		snprintf(buf, len, "<0.0001");
	else
		snprintf(buf, len, "%.4f", p);
}

static void method_lines(FILE *f, const struct matcher *m)
{
	line(f, "%s", "net = op - matched control per iteration, median of");
	line(f, "%s", "round nets; change = B - A with a bootstrap 95% CI over");
	line(f, "%s", "rounds, in % of A when A is above its noise floor.");
	line(f, "%s", "Changed only if Welch's test on the round nets, beyond");
	line(f, "%s", "the minimum effect (noise floors, the row's control");
	line(f, "change, control drift between the sets %.1f%%), passes",
	     m->drift * 100.0);
	line(f, "%s", "Benjamini-Hochberg at FDR 5%.");
}

static int report_two(FILE *f, const struct ctb_set *a,
		      const struct ctb_set *b)
{
	struct matcher m;
	struct pair *p;
	size_t nchanged = 0;

	if (matcher_init(&m, a, b))
		return -ENOMEM;
	machine_lines(f, "Before (A): ", a);
	machine_lines(f, "After (B): ", b);
	env_differs(f, a, b, "WARNING: ");
	line(f, "%s", "");
	line(f, "%s", "op and parameters");
	line(f, "%s", "    A -> B (net/iter)  change [95% CI]  verdict");
	while (next_pair(&m, &p)) {
		char na[40], nb[40], ch[96];

		fmt_net(na, sizeof(na), p->ra);
		fmt_net(nb, sizeof(nb), p->rb);
		line(f, "%s  (R %zu/%zu)", p->label, p->ra->rep.rounds,
		     p->rb->rep.rounds);
		if (p->c.why == CTB_WHY_FLOOR) {
			line(f, "    %s -> %s  same (below floor)", na, nb);
			continue;
		}
		fmt_change(ch, sizeof(ch), p);
		line(f, "    %s -> %s  %s  %s", na, nb, ch,
		     short_verdict(p->c.verdict));
		nchanged += p->c.verdict != CTB_SAME;
	}
	line(f, "%s", "");
	line(f, "%zu matching rows (A %zu, B %zu), %zu changed;", m.npairs,
	     a->nrows, b->nrows, nchanged);
	method_lines(f, &m);
	matcher_free(&m);
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
	size_t nv[3] = { 0, 0, 0 }, nwhy[CTB_WHY_EFFECT + 1] = { 0 };
	struct matcher m;
	struct pair *p;

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
	while (next_pair(&m, &p)) {
		char na[40], nb[40], ch[96], pv[16], pa[16];

		line(f, "%s", "");
		line(f, "%s  (R %zu/%zu)", p->label, p->ra->rep.rounds,
		     p->rb->rep.rounds);
		fmt_net(na, sizeof(na), p->ra);
		fmt_net(nb, sizeof(nb), p->rb);
		line(f, "  A %s  B %s", na, nb);
		fmt_change(ch, sizeof(ch), p);
		fmt_p(pv, sizeof(pv), p->c.p);
		fmt_p(pa, sizeof(pa), p->c.p_adj);
		if (p->c.why == CTB_WHY_FLOOR) {
			line(f, "  %s: both below the noise floor",
			     ctb_verdict_name(p->c.verdict));
		} else {
			char me[32];

			fmt_time(me, sizeof(me), p->c.min_effect);
			line(f, "  %s: %s", ctb_verdict_name(p->c.verdict),
			     ch);
			line(f, "    p=%s, beyond +-%s adj=%s%s%s%s", pv, me,
			     pa, p->c.why != CTB_WHY_CHANGED ? " (" : "",
			     p->c.why != CTB_WHY_CHANGED ?
			     ctb_why_name(p->c.why) : "",
			     p->c.why != CTB_WHY_CHANGED ? ")" : "");
		}
		nv[p->c.verdict + 1]++;
		nwhy[p->c.why]++;
	}
	line(f, "%s", "");
	line(f, "%zu matching rows: %zu faster, %zu slower, %zu no", m.npairs,
	     nv[0], nv[2], nv[1]);
	line(f, "significant difference (%zu below floor, %zu within drift,",
	     nwhy[CTB_WHY_FLOOR], nwhy[CTB_WHY_EFFECT]);
	line(f, "%zu not significant, %zu with too few rounds);",
	     nwhy[CTB_WHY_TEST], nwhy[CTB_WHY_ROUNDS]);
	line(f, "unmatched: A %zu, B %zu", a->nrows - m.npairs,
	     b->nrows - m.npairs);
	list_unmatched(f, &m);
	method_lines(f, &m);
	matcher_free(&m);
	return m.npairs ? 0 : -ENOENT;
}
