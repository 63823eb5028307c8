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

/* Print one line; a longer one is wrapped at spaces, never cut. */
static void line(FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void line(FILE *f, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n <= CTB_REPORT_COLS)
		fprintf(f, "%s\n", buf);
	else
		ctb_wrap_line(f, "", buf, 4);
}

const char *ctb_meta_or(const struct ctb_set *s, const char *k,
			const char *dflt)
{
	const char *v = ctb_meta_get(s, k);

	return v && v[0] ? v : dflt;
}

int ctb_set_is_emulated(const struct ctb_set *s)
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
void ctb_set_basename(const struct ctb_set *s, char *buf, size_t len)
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

void ctb_wrap_line(FILE *f, const char *first, const char *s, int indent)
{
	int col = (int)strlen(first);
	int sep = col > 0 && first[col - 1] != ' ';
	const int width = CTB_REPORT_COLS;

	if (indent < 0 || indent > width / 2)
		indent = 0;
	fputs(first, f);
	while (*s == ' ')
		s++;
	while (*s) {
		int w = (int)strcspn(s, " ");

		if (col + sep + w > width && col > indent) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (sep) {
			fputc(' ', f);
			col++;
		}
		/* a word wider than a line is split, never cut */
		while (w > 0) {
			int k = w < width - col ? w : width - col;

			if (k <= 0) {
				fprintf(f, "\n%*s", indent, "");
				col = indent;
				continue;
			}
			fprintf(f, "%.*s", k, s);
			col += k;
			s += k;
			w -= k;
		}
		sep = 1;
		while (*s == ' ')
			s++;
	}
	fputc('\n', f);
}

static void machine_lines(FILE *f, const char *tag, const struct ctb_set *s)
{
	const char *emu = ctb_meta_or(s, "emulation", "qemu-tcg");
	char name[256];

	ctb_set_basename(s, name, sizeof(name));
	ctb_wrap_line(f, tag, name, 2);
	line(f, "  Machine: %s, kernel %s, %s%s%s", ctb_meta_or(s, "arch", "?"),
	     ctb_meta_or(s, "kernel_release", "?"),
	     ctb_set_is_emulated(s) ? "EMULATED (" : "native",
	     ctb_set_is_emulated(s) ? emu : "", ctb_set_is_emulated(s) ? ")" : "");
	ctb_wrap_line(f, "  CPU:", ctb_meta_or(s, "cpu_model", "unknown"), 7);
	line(f, "  Date: %s, ctbench %s", ctb_meta_or(s, "date", "?"),
	     ctb_meta_or(s, "tool_version", "?"));
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

void ctb_row_variant(char *buf, size_t len, const struct ctb_row *r)
{
	size_t n;

	n = (size_t)snprintf(buf, len, "%s", r->op);
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

static void row_label(char *buf, size_t len, const struct ctb_row *r)
{
	char v[160];
	const char *rest;

	/* "op N=64 M=2 dirty flags ->cpus": the count right after the op */
	ctb_row_variant(v, sizeof(v), r);
	rest = v + strnlen(r->op, sizeof(r->op));
	if (r->count)
		snprintf(buf, len, "%.*s N=%u%s", (int)(rest - v), v,
			 (unsigned int)r->count, rest);
	else
		snprintf(buf, len, "%s", v);
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
		ctb_row_net_text(val, sizeof(val), r, fmt_time);
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

int ctb_report_print(FILE *f, const struct ctb_set *a,
		     const struct ctb_set *b)
{
	struct ctb_cmp_opts o = { .format = CTB_FMT_TEXT, .err = f };

	if (!f || !a)
		return -EINVAL;
	if (b)
		return ctb_compare_sets(f, a, b, &o);
	report_one(f, a);
	return ferror(f) ? -EIO : 0;
}
