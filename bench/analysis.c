// SPDX-License-Identifier: GPL-2.0
/*
 * Per-family analysis of the rows of a session (crossovers, per-unit
 * costs, matched TLB pairs), printed and stored in meta "analysis".
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "pmu.h"
#include "stats.h"
#include "suite.h"
#include "run.h"

/* ----------------------------------------------------------------------
 * Analysis
 */

static void analysis_add(struct ctb_session *s, FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void analysis_add(struct ctb_session *s, FILE *f, const char *fmt, ...)
{
	char line[512];
	size_t off = strlen(s->analysis);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(f, "  %s\n", line);
	if (off + strlen(line) + 3 < sizeof(s->analysis))
		snprintf(s->analysis + off, sizeof(s->analysis) - off, "%s%s",
			 off ? "; " : "", line);
}

static const struct ctb_row *find_row(const struct ctb_session *s,
				      const char *op, uint32_t count,
				      uint32_t aux, const char *state,
				      const char *opflags, const char *targets)
{
	struct ctb_row_key k = {
		.op = op, .count = count, .aux = aux, .state = state,
		.opflags = opflags, .targets = targets,
	};

	return ctb_rows_find_last(s->rows, s->nrows, &k);
}

int ctb_crossover(const uint32_t *counts, const double *range, size_t n,
		  double global)
{
	(void)counts;
	for (size_t i = 0; i < n; i++)
		if (isfinite(range[i]) && range[i] >= global)
			return (int)i;
	return -1;
}

static void analyse_uaccess(struct ctb_session *s, FILE *f, const char *emu)
{
	static const char *const methods[] = {
		"uaccess_getput", "uaccess_unsafe", "uaccess_vmap",
		"uaccess_kmap",
	};

	for (size_t i = 0; i < s->nrows; i++) {
		const struct ctb_row *copy = &s->rows[i], *vmap, *setup;
		const char *span;
		char line[400];
		size_t off;

		if (strcmp(copy->op, "uaccess_copy"))
			continue;
		/* only the last copy row of each (aux, opflags) */
		if (find_row(s, "uaccess_copy", 0, copy->aux, NULL,
			     copy->opflags, NULL) != copy)
			continue;
		off = (size_t)snprintf(line, sizeof(line),
				       "uaccess ring %u %s: copy %.1f ns/request",
				       copy->aux, copy->opflags,
				       copy->net.median);
		for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]);
		     m++) {
			const struct ctb_row *r = find_row(s, methods[m], 0,
							   copy->aux, NULL,
							   copy->opflags,
							   NULL);

			if (r && copy->net.median > 0 && off < sizeof(line))
				off += (size_t)snprintf(line + off,
					sizeof(line) - off, ", %s/copy %.2f",
					methods[m] + 8,
					r->net.median / copy->net.median);
		}
		analysis_add(s, f, "%s%s", line, emu);
		vmap = find_row(s, "uaccess_vmap", 0, copy->aux, NULL,
				copy->opflags, NULL);
		span = strstr(copy->opflags, "span") ? "span" : "-";
		setup = find_row(s, "uaccess_setup", 0, copy->aux, NULL, span,
				 NULL);
		if (!vmap || !setup) {
			analysis_add(s, f,
				     "uaccess ring %u %s: break-even not computed (%s missing)",
				     copy->aux, copy->opflags,
				     !vmap ? "uaccess_vmap" : "uaccess_setup");
			continue;
		}
		if (copy->net.median <= vmap->net.median) {
			analysis_add(s, f,
				     "uaccess ring %u %s: vmap never pays off here: vmap %.1f >= copy %.1f ns/request (setup %.0f ns)%s",
				     copy->aux, copy->opflags,
				     vmap->net.median, copy->net.median,
				     setup->net.median, emu);
			continue;
		}
		analysis_add(s, f,
			     "uaccess ring %u %s: vmap/copy %.2f, setup %.0f ns, break-even after %.0f requests%s",
			     copy->aux, copy->opflags,
			     vmap->net.median / copy->net.median,
			     setup->net.median,
			     ceil(setup->net.median /
				  (copy->net.median - vmap->net.median)), emu);
	}
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Crossover of one (global, range) pair of ops measured with the same
 * targets ("-" for the kernel's own global/range flush). Returns 1 when
 * the pair had data.
 */
static int tlb_pair(struct ctb_session *s, FILE *f, const char *emu,
		    const char *gop, const char *rop, const char *targets,
		    const char *ceil_txt, const char *label)
{
	const struct ctb_row *global = NULL;
	uint32_t counts[CTB_MAX_LIST];
	double range[CTB_MAX_LIST], range_hi[CTB_MAX_LIST];
	double range_lo[CTB_MAX_LIST];
	size_t n = 0;
	int x, stable = -1, overlap = -1;

	/* the default-aux global row, else the last one measured */
	global = find_row(s, gop, 0, CTB_DEFAULT_AUX, NULL, "-", targets);
	for (size_t i = s->nrows; !global && i-- > 0;)
		if (!strcmp(s->rows[i].op, gop) &&
		    !strcmp(s->rows[i].targets, targets) &&
		    !strcmp(s->rows[i].opflags, "-"))
			global = &s->rows[i];
	for (size_t i = 0; i < s->nrows && n < CTB_MAX_LIST; i++) {
		const struct ctb_row *r = &s->rows[i];
		int dup = 0;

		if (strcmp(r->op, rop) || strcmp(r->targets, targets) ||
		    strcmp(r->opflags, "-"))
			continue;
		for (size_t j = 0; j < n; j++)
			dup |= counts[j] == r->count;
		if (!dup)
			counts[n++] = r->count;
	}
	if (!global || !n)
		return 0;
	qsort(counts, n, sizeof(counts[0]), cmp_u32);
	for (size_t i = 0; i < n; i++) {
		const struct ctb_row *r = find_row(s, rop, counts[i], 0, NULL,
						   "-", targets);

		range[i] = r ? r->net.median : NAN;
		range_hi[i] = r ? r->net.ci_hi : NAN;
		range_lo[i] = r ? r->net.ci_lo : NAN;
	}
	/* matched: a global row measured with aux == N for every N */
	{
		double gm[CTB_MAX_LIST];
		size_t have = 0;
		int mx = -1;

		for (size_t i = 0; i < n; i++) {
			const struct ctb_row *g = find_row(s, gop, 0, counts[i],
							   NULL, "-", targets);

			gm[i] = g ? g->net.median : NAN;
			have += g != NULL;
		}
		if (have == n && n > 1) {
			for (size_t i = 0; i < n && mx < 0; i++)
				if (range[i] >= gm[i])
					mx = (int)i;
			if (mx < 0)
				analysis_add(s, f,
					     "tlb%s matched (global after touching N pages): no crossover within %u..%u pages%s",
					     label, counts[0], counts[n - 1],
					     emu);
			else
				analysis_add(s, f,
					     "tlb%s matched (global after touching N pages): crossover at N=%u: %s %.0f ns >= %s(aux=%u) %.0f ns%s",
					     label, counts[mx], rop, range[mx],
					     gop, counts[mx], gm[mx], emu);
		}
	}
	x = ctb_crossover(counts, range, n, global->net.median);
	/* "stable": first N from which every larger N is >= global */
	for (size_t i = n; i-- > 0;) {
		if (!(range[i] >= global->net.median))
			break;
		stable = (int)i;
	}
	/*
	 * Where the range flush stops being significantly cheaper: its 95%
	 * CI reaches the global flush's CI (robust to the noise that moves
	 * the plain first crossing when both cost the same, e.g. above the
	 * kernel's own ceiling where the range flush is a full flush).
	 */
	for (size_t i = 0; i < n && overlap < 0; i++)
		if (range_hi[i] >= global->net.ci_lo)
			overlap = (int)i;
	/*
	 * The kernel switches strategy at its ceiling: look for the largest
	 * cost step between adjacent sweep points (N and N+1 like 33/34,
	 * 512/513) — up or down.
	 */
	{
		int best = -1;
		double bl = 0;

		for (size_t i = 1; i < n; i++) {
			double l;

			/* fine probes only (31/32/33/34, 511/512/513 ...) */
			if (counts[i - 1] < 16 ||
			    counts[i] - counts[i - 1] > counts[i - 1] / 16 ||
			    !(range[i] > 0) || !(range[i - 1] > 0))
				continue;
			/* only steps the 95% CIs resolve */
			if (!(range_hi[i - 1] < range_lo[i]) &&
			    !(range_hi[i] < range_lo[i - 1]))
				continue;
			/* cost ratio beyond what the page ratio explains */
			l = fabs(log(range[i] / range[i - 1]) -
				 log((double)counts[i] / counts[i - 1]));
			if (l > bl) {
				bl = l;
				best = (int)i;
			}
		}
		if (best > 0)
			analysis_add(s, f,
				     "tlb%s: largest step between adjacent N: %u -> %u pages, %s x%.2f (%.0f -> %.0f ns); %s%s",
				     label, counts[best - 1], counts[best], rop,
				     range[best] / range[best - 1],
				     range[best - 1], range[best], ceil_txt,
				     emu);
	}
	if (overlap >= 0)
		analysis_add(s, f,
			     "tlb%s: %s no longer significantly cheaper than %s from N=%u pages (95%% CIs meet); %s%s",
			     label, rop, gop, counts[overlap], ceil_txt, emu);
	if (x < 0)
		analysis_add(s, f,
			     "tlb%s: no crossover within %u..%u pages (%s %.0f ns, %s(%u) %.0f ns); %s%s",
			     label, counts[0], counts[n - 1], gop,
			     global->net.median, rop, counts[n - 1],
			     range[n - 1], ceil_txt, emu);
	else {
		char st[64];

		if (stable >= 0)
			snprintf(st, sizeof(st), "stable from N=%u",
				 counts[stable]);
		else
			snprintf(st, sizeof(st),
				 "unstable: N=%u is below again",
				 counts[n - 1]);
		analysis_add(s, f,
			     "tlb%s: crossover at N=%u pages (%s): %s %.0f ns >= %s %.0f ns; %s%s",
			     label, counts[x], st, rop, range[x], gop,
			     global->net.median, ceil_txt, emu);
	}
	if (counts[0] == 1 && range[0] > 0)
		analysis_add(s, f,
			     "tlb%s: global/single-page ratio %.2f (%s %.0f ns, %s(1) %.0f ns)%s",
			     label, global->net.median / range[0], gop,
			     global->net.median, rop, range[0], emu);
	return 1;
}

static void analyse_tlb(struct ctb_session *s, FILE *f, const char *emu)
{
	char ceil_txt[192], label[96];
	int gi = ctb_dev_find_op(&s->dev, "flush_tlb_all");
	int ri = ctb_dev_find_op(&s->dev, "flush_tlb_kernel_range");
	FILE *dbg;

	if (s->dev.info.tlb_flush_ceiling)
		snprintf(ceil_txt, sizeof(ceil_txt),
			 "kernel threshold %u pages (%s)",
			 s->dev.info.tlb_flush_ceiling,
			 s->dev.info.ceiling_source);
	else
		snprintf(ceil_txt, sizeof(ceil_txt),
			 "kernel threshold unknown (%s)",
			 s->dev.info.ceiling_source[0] ?
			 s->dev.info.ceiling_source : "not reported");
	dbg = fopen("/sys/kernel/debug/x86/tlb_single_page_flush_ceiling",
		    "r");
	if (dbg) {
		unsigned int v;

		if (fscanf(dbg, "%u", &v) == 1) {
			size_t o = strlen(ceil_txt);

			snprintf(ceil_txt + o, sizeof(ceil_txt) - o,
				 ", debugfs tlb_single_page_flush_ceiling %u",
				 v);
		}
		fclose(dbg);
	}
	if (tlb_pair(s, f, emu, "flush_tlb_all", "flush_tlb_kernel_range",
		     "-", ceil_txt, ""))
		return;
	/* The kernel's pair is missing: say why, then try the stand-ins. */
	if (gi >= 0 && !s->dev.ops[gi].supported)
		analysis_add(s, f, "tlb: flush_tlb_all unsupported: %s",
			     s->dev.ops[gi].reason);
	if (ri >= 0 && !s->dev.ops[ri].supported)
		analysis_add(s, f, "tlb: flush_tlb_kernel_range unsupported: %s",
			     s->dev.ops[ri].reason);
	for (size_t i = 0; i < s->nrows; i++) {
		const struct ctb_row *r = &s->rows[i];

		if (strcmp(r->op, "ipi_flush_all") || strcmp(r->opflags, "-"))
			continue;
		if (find_row(s, "ipi_flush_all", r->count, UINT32_MAX, NULL,
			     "-", r->targets) != r)
			continue;	/* one line per target set */
		snprintf(label, sizeof(label),
			 " (stand-in: ipi_flush_all/ipi_flush_range on CPUs %.40s)",
			 r->targets);
		if (tlb_pair(s, f, emu, "ipi_flush_all", "ipi_flush_range",
			     r->targets, ceil_txt, label))
			return;
	}
	analysis_add(s, f,
		     "tlb: crossover not computed: no global/range pair was measured; %s",
		     ceil_txt);
}

/* Remote cost per target set (and busy targets) of the ipi_* ops. */
static void analyse_remote(struct ctb_session *s, FILE *f, const char *emu)
{
	static const char *const ops[] = { "ipi_empty", "ipi_flush_all" };

	for (size_t o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
		char line[400];
		size_t off = 0;
		int n = 0;

		off += (size_t)snprintf(line, sizeof(line), "tlb remote %s:",
					ops[o]);
		for (size_t i = 0; i < s->nrows && off < sizeof(line); i++) {
			const struct ctb_row *r = &s->rows[i];
			int w;

			if (strcmp(r->op, ops[o]) || !strcmp(r->targets, "-"))
				continue;
			{
				struct ctb_cpumask m;
				char e[64];

				w = ctb_cpulist_parse(r->targets, &m, e,
						      sizeof(e)) ? 0 :
				    ctb_cpumask_weight(&m);
			}
			off += (size_t)snprintf(line + off, sizeof(line) - off,
						"%s CPUs %s (%d)%s %.0f ns",
						n ? "," : "", r->targets, w,
						strstr(r->opflags, "busy") ?
						" busy" : "", r->net.median);
			n++;
		}
		if (n)
			analysis_add(s, f, "%s%s", line, emu);
	}
}

static uint32_t largest_count(const struct ctb_session *s, const char *op,
			      const char *opflags)
{
	uint32_t m = 0;

	for (size_t i = 0; i < s->nrows; i++)
		if (!strcmp(s->rows[i].op, op) &&
		    !strcmp(s->rows[i].opflags, opflags) &&
		    s->rows[i].count > m)
			m = s->rows[i].count;
	return m;
}

static void analyse_cache(struct ctb_session *s, FILE *f, const char *emu)
{
	for (size_t i = 0; i < s->nrows; i++) {
		const struct ctb_row *r = &s->rows[i];
		size_t nrows = 0, nno = 0;
		int first = 1;

		if (strcmp(r->family, "cache"))
			continue;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(s->rows[j].op, r->op))
				first = 0;
		if (!first)
			continue;
		for (size_t j = i; j < s->nrows; j++) {
			if (strcmp(s->rows[j].op, r->op))
				continue;
			nrows++;
			nno += !strcmp(s->rows[j].noop, "yes");
		}
		if (nno == nrows)
			analysis_add(s, f,
				     "cache: %s: no-op on this kernel/arch (all %zu rows indistinguishable from the empty op)%s",
				     r->op, nrows, emu);
		else if (nno)
			analysis_add(s, f,
				     "cache: %s: no-op in %zu of %zu rows%s",
				     r->op, nno, nrows, emu);
	}
	/* per-page vs per-range, dirty/clean, second flush */
	for (size_t i = 0; i < s->nrows; i++) {
		const struct ctb_row *pp = &s->rows[i], *pr, *cl, *db;
		char flags2[72];

		if (!strcmp(pp->op, "flush_dcache_page")) {
			pr = find_row(s, "flush_kernel_vmap_range", pp->count,
				      0, pp->state, pp->opflags, NULL);
			if (pr && pr->net.median > 0 &&
			    !strcmp(pp->noop, "no") && !strcmp(pr->noop, "no"))
				analysis_add(s, f,
					     "cache: N=%u %s %s: per-page/per-range %.2f (%.1f vs %.1f ns)%s",
					     pp->count, pp->state, pp->opflags,
					     pp->net.median / pr->net.median,
					     pp->net.median, pr->net.median,
					     emu);
		}
		/* dirty/clean at the largest N of the op, both real costs */
		if (!strcmp(pp->family, "cache") &&
		    !strcmp(pp->state, "dirty") && !strcmp(pp->noop, "no") &&
		    !strstr(pp->opflags, "double") &&
		    largest_count(s, pp->op, pp->opflags) == pp->count) {
			cl = find_row(s, pp->op, pp->count, 0, "clean",
				      pp->opflags, NULL);
			if (cl && !strcmp(cl->noop, "no") &&
			    cl->net.median > 0)
				analysis_add(s, f,
					     "cache: %s N=%u: dirty/clean %.2f%s",
					     pp->op, pp->count,
					     pp->net.median / cl->net.median,
					     emu);
		}
		if (!strcmp(pp->family, "cache") &&
		    strstr(pp->opflags, "double") &&
		    !strcmp(pp->noop, "no")) {
			/* the single-flush row: same flags without double */
			char *p;

			snprintf(flags2, sizeof(flags2), "%s", pp->opflags);
			p = strstr(flags2, "double");
			if (p) {
				size_t l = strlen("double");

				if (p[l] == '+')
					l++;
				else if (p > flags2 && p[-1] == '+')
					p--, l++;
				memmove(p, p + l, strlen(p + l) + 1);
			}
			if (!flags2[0])
				snprintf(flags2, sizeof(flags2), "-");
			db = find_row(s, pp->op, pp->count, 0, pp->state,
				      flags2, NULL);
			if (db)
				analysis_add(s, f,
					     "cache: %s N=%u %s: second flush %.1f ns vs first %.1f ns%s",
					     pp->op, pp->count, pp->state,
					     pp->net.median, db->net.median,
					     emu);
			else
				analysis_add(s, f,
					     "cache: %s N=%u %s: second flush %.1f ns%s",
					     pp->op, pp->count, pp->state,
					     pp->net.median, emu);
		}
	}
}

void ctb_session_analyse(struct ctb_session *s, FILE *f, int family)
{
	const char *emu = s->emulated ? " [emulated: QEMU TCG]" : "";

	switch (family) {
	case CACHETLB_FAM_UACCESS:
		analyse_uaccess(s, f, emu);
		break;
	case CACHETLB_FAM_TLB:
		analyse_tlb(s, f, emu);
		analyse_remote(s, f, emu);
		break;
	case CACHETLB_FAM_CACHE:
		analyse_cache(s, f, emu);
		break;
	default:
		break;
	}
}

