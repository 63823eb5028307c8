// SPDX-License-Identifier: GPL-2.0
/*
 * ctbench verify - our per-call numbers against a second clock inside the
 * kernel (docs/verify.md).
 *
 * For each selected op and count:
 *  ours    one RUN without tracing: the median over samples of (op sample
 *          - its matched control) / iterations, the number `run` reports;
 *  traced  the same RUN again with tracefs function_graph filtered to one
 *          function and to our pid: the kernel function the op is named
 *          after when it is out of line, traceable and called once per
 *          iteration (the op's own symbol), else the module's run
 *          callback (OP_FUNC).  The median duration of those calls minus
 *          the tracer's own overhead, measured the same way on the empty
 *          callback of the "nop" op, or, for an op with a pre_sample, on
 *          the engine's matched control traced in the same RUN.
 * Both, their ratio and a verdict with a tolerance (wider under
 * emulation).  Ops that are not a kernel path (raw instructions, module
 * stand-ins) have no single kernel function to trace: "no independent
 * clock".  On x86 the tlb:tlb_flush tracepoint is enabled during the
 * traced RUN as an extra check: flush events per traced call.  Where the
 * kernel has a PMU cycle counter, a fourth RUN per round counts the op's
 * core cycles and checks their rate against a `spin` calibration
 * (verify_pmu.c).
 */
#include <errno.h>
#include <fnmatch.h>
#include <sched.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dev.h"
#include "opts.h"
#include "stats.h"
#include "suite.h"
#include "tracefs.h"
#include "verify.h"

#define VFY_DEF_TRACEFS	"/sys/kernel/tracing"
#define VFY_TRACE_MAX	(8u << 20)	/* bytes of trace text read */
#define VFY_MAX_COUNTS	8
#define VFY_MAX_ROUNDS	15
/* The engine's matched-control callback (kmod/engine.c), traced too. */
#define VFY_CTL_FN	"ctb_empty_run"
/* Relative tolerances (docs/verify.md "Tolerance"). */
#define VFY_TOL_NATIVE	0.25
#define VFY_TOL_EMULATED 1.0

struct vfy_ctx {
	const char *family, *op, *pages, *tracefs, *overhead;
	uint32_t samples, rounds, cpu;
	uint32_t counts[VFY_MAX_COUNTS];
	unsigned int ncounts;
	double tol;
	int emulated;
	char fn[CACHETLB_SYM_LEN];	/* the function being traced */
	char nopfn[CACHETLB_SYM_LEN];	/* the empty one, for the overhead */
	uint32_t nop;			/* its op index */
	double ovh_fixed;		/* --overhead-ns, else NAN */
	double pmu_cal;			/* PMU cycles per ns on spin, else NAN */
};

#define VC struct vfy_ctx
static const struct ctb_opt verify_opts[] = {
	CTB_OPT_STR_E("family", 'f', "F", VC, family,
		      "core,uaccess,cache,tlb", "only ops of family F"),
	CTB_OPT_STR_E("op", 0, "GLOB", VC, op, NULL,
		      "only ops whose name matches the shell glob GLOB"),
	CTB_OPT_STR_E("pages", 'n', "N[,N...]", VC, pages, NULL,
		      "counts for ops that take one (default 1,512; values outside an op's range are noted and skipped)"),
	CTB_OPT_U32_E("samples", 's', "N", VC, samples, 5, 1000,
		      "samples per RUN, traced and untraced (default 31)"),
	CTB_OPT_U32_E("rounds", 'r', "N", VC, rounds, 1, VFY_MAX_ROUNDS,
		      "rounds of an untraced, a traced and an overhead RUN; medians and ranges over them (default 5)"),
	CTB_OPT_U32_E("cpu", 'c', "N", VC, cpu, 0, CACHETLB_MAX_CPUS - 1,
		      "run every RUN on CPU N (default: the CPU ctbench starts on); ctbench stays there too"),
	CTB_OPT_STR_E("tracefs", 0, "DIR", VC, tracefs, NULL,
		      "tracefs mount point (default /sys/kernel/tracing, mounted there if missing)"),
	CTB_OPT_STR_E("overhead-ns", 0, "NS", VC, overhead, NULL,
		      "use NS as the tracer overhead instead of measuring it (to test the verdict: a wrong value must disagree)"),
	{ NULL }
};
#undef VC

const struct ctb_cmdspec ctb_verify_spec = {
	.name = "verify",
	.synopsis = "[--family F] [--op GLOB] [OPTIONS]",
	.summary = "Time each selected op twice: in our loop, and with the kernel's\n"
		   "function_graph tracer on the function it calls (minus the tracer's\n"
		   "own overhead, measured on an empty module function). Prints both,\n"
		   "the ratio and agree/disagree (docs/verify.md). Needs root.",
	.opts = verify_opts,
	.notes = "Exit: 0 all compared ops agree, 1 one disagrees or a run failed,\n"
		 "7 tracefs missing, locked down or without function_graph, or\n"
		 "  function_graph cannot time the empty function (32-bit ARM).\n",
	.args = NULL,
};

/* --- parsing (unit tested) -------------------------------------------------- */

size_t ctb_verify_parse_graph(const char *trace, const char *fn, double *out,
			      size_t max)
{
	size_t n = 0, fl = strlen(fn);
	const char *line = trace;

	while (line && *line && n < max) {
		const char *eol = strchr(line, '\n');
		const char *bar = memchr(line, '|', eol ? (size_t)(eol - line) :
					  strlen(line));
		const char *p, *us;
		int hit = 0;

		if (bar && line[0] != '#') {
			p = bar + 1;
			while (*p == ' ')
				p++;
			/* "fn();", "fn [mod]();" or the closing "} /\* fn *\/" */
			if (!strncmp(p, fn, fl) && (p[fl] == '(' || p[fl] == ' '))
				hit = 1;
			else if (*p == '}')
				hit = 1;
			us = NULL;
			for (p = line; p + 1 < bar; p++)
				if (p[0] == 'u' && p[1] == 's')
					us = p;
			if (hit && us) {
				/* the number right before "us" */
				p = us;
				while (p > line && p[-1] == ' ')
					p--;
				while (p > line && (p[-1] == '.' ||
						    (p[-1] >= '0' && p[-1] <= '9')))
					p--;
				if (p < us && *p >= '0' && *p <= '9')
					out[n++] = strtod(p, NULL) * 1000.0;
			}
		}
		line = eol ? eol + 1 : NULL;
	}
	return n;
}

const char *ctb_verify_verdict(const struct ctb_verify_fig *ours,
			       const struct ctb_verify_fig *traced,
			       double floor, double tol, double slack)
{
	if (!(ours->med > floor))
		return "below-floor";
	/* the ranges come within the tolerance of each other ... */
	if (traced->hi + slack < ours->lo / (1.0 + tol) ||
	    traced->lo - slack > ours->hi * (1.0 + tol))
		return "disagree";
	/* ... and so do their low ends (the fast regime under TCG) */
	if (traced->lo + slack < ours->lo / (1.0 + tol) ||
	    traced->lo - slack > ours->lo * (1.0 + tol))
		return "disagree";
	return "agree";
}

/* Median, min and max of x[0..n-1] (n > 0). */
static struct ctb_verify_fig vfy_fig(const double *x, size_t n)
{
	struct ctb_verify_fig f = { ctb_median_of_copy(x, n), x[0], x[0] };
	size_t i;

	for (i = 1; i < n; i++) {
		if (x[i] < f.lo)
			f.lo = x[i];
		if (x[i] > f.hi)
			f.hi = x[i];
	}
	return f;
}

/* --- runs --------------------------------------------------------------------- */

struct vfy_meas {
	double net;		/* median per-call net, ns */
	double floor;		/* noise floor of that net, ns */
	size_t n;
};

/* One RUN of op at count; fills m (untraced use) when m is not NULL. */
static int vfy_run(struct ctb_dev *d, uint32_t opi, uint32_t count,
		   uint32_t cpu, uint32_t samples, struct vfy_meas *m, char *err,
		   size_t len)
{
	const struct cachetlb_op_desc *desc = &d->ops[opi];
	struct cachetlb_sample *op, *base;
	struct cachetlb_run run;
	double *net = NULL, *ctl = NULL;
	size_t i, n;
	int ret;

	op = calloc(samples, sizeof(*op));
	base = calloc(samples, sizeof(*base));
	if (!op || !base) {
		free(op);
		free(base);
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	ctb_verify_run_init(&run, desc, opi, count, cpu, samples, op, base);
	ret = ctb_dev_run(d->fd, &run, desc, err, len);
	if (!ret && run.samples_done < 5) {
		snprintf(err, len, "RUN %s: only %u samples done", desc->name,
			 run.samples_done);
		ret = -EIO;
	}
	if (!ret && m) {
		n = run.samples_done < run.baseline_done ? run.samples_done :
			run.baseline_done;
		net = calloc(n, sizeof(*net));
		ctl = calloc(n, sizeof(*ctl));
		if (!net || !ctl) {
			ret = -ENOMEM;
			snprintf(err, len, "out of memory");
		} else {
			for (i = 0; i < n; i++) {
				net[i] = (double)op[i].ns - (double)base[i].ns;
				ctl[i] = (double)base[i].ns;
			}
			m->net = ctb_median_of_copy(net, n);
			m->floor = ctb_verify_floor(ctl, n,
						    d->info.clock_resolution_ns);
			m->n = n;
		}
	}
	free(net);
	free(ctl);
	free(op);
	free(base);
	return ret;
}

/* The run callback's name (OP_FUNC), without " [cachetlb]". */
static int vfy_op_func(const struct ctb_dev *d, uint32_t opi, char *fn,
		       size_t len)
{
	struct cachetlb_op_func f;
	char *sp;

	memset(&f, 0, sizeof(f));
	f.hdr.size = sizeof(f);
	f.hdr.abi_version = CACHETLB_ABI_VERSION;
	f.index = opi;
	if (ioctl(d->fd, CACHETLB_IOC_OP_FUNC, &f) < 0)
		return -errno;
	f.run_fn[sizeof(f.run_fn) - 1] = '\0';
	sp = strchr(f.run_fn, ' ');
	if (sp)
		*sp = '\0';
	snprintf(fn, len, "%s", f.run_fn);
	return 0;
}

/*
 * The traced RUN: durations of fn's calls (median into *med, ns) and, on
 * x86, tlb_flush events per call into *ev (-1 when not available).
 */
static int vfy_traced(struct vfy_ctx *c, struct ctb_dev *d, uint32_t opi,
		      const char *fn, uint32_t count, double *med, double *ev,
		      size_t *ncalls, double *ctl, char *err, size_t len)
{
	const char *t = c->tracefs;
	size_t max = 4 * (size_t)c->samples + 64, n;
	char pid[32], filt[2 * CACHETLB_SYM_LEN + 2], *trace;
	double *dur;
	int ret, tlbev;

	*ev = -1;
	if (ctl)
		*ctl = NAN;
	ctb_tfs_reset(t);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	snprintf(filt, sizeof(filt), "%s%s%s", fn, ctl ? " " : "",
		 ctl ? VFY_CTL_FN : "");
	ret = ctb_tfs_write(t, "set_ftrace_filter", filt);
	/* a module without the control's name: the op alone */
	if (ret && ctl) {
		ctl = NULL;
		ret = ctb_tfs_write(t, "set_ftrace_filter", fn);
	}
	if (ret) {
		snprintf(err, len, "%s is not traceable here (set_ftrace_filter: %s)",
			 fn, strerror(-ret));
		return ret;
	}
	ret = ctb_tfs_write(t, "set_ftrace_pid", pid);
	if (!ret)
		ret = ctb_tfs_write(t, "current_tracer", "function_graph");
	if (ret) {
		snprintf(err, len, "function_graph on %s: %s", fn,
			 strerror(-ret));
		ctb_tfs_reset(t);
		return ret;
	}
	/* x86 only: elsewhere the event exists but nothing emits it */
	tlbev = !strcmp(d->info.machine, "x86_64") &&
		!ctb_tfs_write(t, "events/tlb/tlb_flush/enable", "1");
	ctb_tfs_write(t, "trace", "");
	ctb_tfs_write(t, "tracing_on", "1");
	ret = vfy_run(d, opi, count, c->cpu, c->samples, NULL, err, len);
	ctb_tfs_write(t, "tracing_on", "0");
	trace = ret ? NULL : ctb_tfs_read(t, "trace", VFY_TRACE_MAX);
	ctb_tfs_reset(t);
	if (ret)
		return ret;
	dur = calloc(max, sizeof(*dur));
	if (!trace || !dur) {
		free(trace);
		free(dur);
		snprintf(err, len, "cannot read %s/trace", t);
		return -EIO;
	}
	if (ctl) {
		n = ctb_verify_parse_graph(trace, VFY_CTL_FN, dur, max);
		*ctl = n ? ctb_median_of_copy(dur, n) : NAN;
	}
	n = ctb_verify_parse_graph(trace, fn, dur, max);
	*ncalls = n;
	*med = n ? ctb_median_of_copy(dur, n) : NAN;
	if (tlbev && n) {
		const char *p = trace;
		size_t k = 0;

		while ((p = strstr(p, " tlb_flush: ")) != NULL) {
			k++;
			p++;
		}
		*ev = (double)k / (double)n;
	}
	free(trace);
	free(dur);
	if (!n) {
		snprintf(err, len, "no call of %s in the trace", fn);
		return -ENOENT;
	}
	return 0;
}

/* The kernel function to trace for op: its own name when it is a symbol. */
static void vfy_pick_fn(struct vfy_ctx *c, const struct ctb_dev *d,
			uint32_t opi)
{
	const struct cachetlb_op_desc *o = &d->ops[opi];
	size_t l = strlen(o->name);

	c->fn[0] = '\0';
	if (!strncmp(o->symbols, o->name, l) &&
	    (o->symbols[l] == '\0' || o->symbols[l] == ',') &&
	    !ctb_tfs_write(c->tracefs, "set_ftrace_filter", o->name)) {
		snprintf(c->fn, sizeof(c->fn), "%s", o->name);
		ctb_tfs_write(c->tracefs, "set_ftrace_filter", "");
		return;
	}
	if (vfy_op_func(d, opi, c->fn, sizeof(c->fn)))
		c->fn[0] = '\0';
}

/* --- the command -------------------------------------------------------------- */

static int vfy_parse_pages(struct vfy_ctx *c, char *err, size_t len)
{
	char buf[256], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", c->pages ? c->pages : "1,512");
	c->ncounts = 0;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (c->ncounts == VFY_MAX_COUNTS) {
			snprintf(err, len, "--pages: at most %d values", VFY_MAX_COUNTS);
			return CTB_EXIT_USAGE;
		}
		if (ctb_parse_u32(tok, "--pages", 1, CACHETLB_MAX_PAGES,
				  &c->counts[c->ncounts], err, len))
			return CTB_EXIT_USAGE;
		c->ncounts++;
	}
	if (!c->ncounts) {
		snprintf(err, len, "--pages: empty list");
		return CTB_EXIT_USAGE;
	}
	return 0;
}

static int vfy_selected(const struct vfy_ctx *c, const struct cachetlb_op_desc *o)
{
	if (c->family && ctb_family_from_name(c->family) != (int)o->family)
		return 0;
	if (c->op && fnmatch(c->op, o->name, 0))
		return 0;
	return strcmp(o->name, "nop") != 0;
}

/* The rounds of one row so far. */
struct vfy_rounds {
	double ours[VFY_MAX_ROUNDS], floors[VFY_MAX_ROUNDS];
	double graph[VFY_MAX_ROUNDS], evr[VFY_MAX_ROUNDS];
	double ovh[VFY_MAX_ROUNDS];
	int matched;		/* ovh from the traced control (ONE_CALL op) */
	double pcyc[VFY_MAX_ROUNDS], prate[VFY_MAX_ROUNDS];	/* NAN: no PMU */
};

/* What the rounds say: figures, floor, slack and the verdict. */
struct vfy_summary {
	struct ctb_verify_fig of, tf, ovf;
	double fl, med, ev, slack;
	const char *v;
	const char *pv;		/* PMU verdict, NULL without a PMU */
	int matched;		/* the overhead is the traced control's */
	char pmu[96];		/* " pmu C cyc R cyc/ns V" or "" */
};

/*
 * Rounds [from, to) of a row: each an untraced RUN, a traced RUN of the
 * op, a traced RUN of the empty function (the round's own overhead) and,
 * with a PMU, a RUN that counts cycles (verify_pmu.c).
 */
static int vfy_rounds(struct vfy_ctx *c, struct ctb_dev *d, uint32_t opi,
		      uint32_t count, struct vfy_rounds *rs, uint32_t from,
		      uint32_t to, char *err, size_t len)
{
	int one = !!(d->ops[opi].props & CACHETLB_PROP_ONE_CALL);
	struct vfy_meas m;
	size_t ncalls = 0;
	double ev, mctl;

	for (uint32_t r = from; r < to; r++) {
		if (vfy_run(d, opi, count, c->cpu, c->samples, &m, err, len) ||
		    vfy_traced(c, d, opi, c->fn, count, &rs->graph[r],
			       &rs->evr[r], &ncalls, one ? &mctl : NULL, err,
			       len) ||
		    vfy_traced(c, d, c->nop, c->nopfn, 0, &rs->ovh[r], &ev,
			       &ncalls, NULL, err, len))
			return -1;
		/*
		 * An op with a pre_sample: its matched control runs after the
		 * same preparation in the same traced RUN, so the tracer's
		 * hooks on the empty callback pay that preparation's
		 * after-effects as the op's do (docs/verify.md "The overhead
		 * correction").
		 */
		if (one && !isnan(mctl)) {
			rs->ovh[r] = mctl;
			rs->matched = 1;
		}
		rs->pcyc[r] = rs->prate[r] = NAN;
		if (!isnan(c->pmu_cal)) {
			struct ctb_verify_pmu pm;
			char why[CTB_ERRLEN - 16];

			if (ctb_verify_pmu_run(d, opi, count, c->cpu,
					       c->samples, &pm, why,
					       sizeof(why))) {
				snprintf(err, len, "PMU cycles: %s", why);
				return -1;
			}
			rs->pcyc[r] = pm.cyc;
			rs->prate[r] = pm.rate;
		}
		if (!isnan(c->ovh_fixed))
			rs->ovh[r] = c->ovh_fixed;
		rs->ours[r] = m.net;
		rs->floors[r] = m.floor;
		rs->graph[r] -= rs->ovh[r];
	}
	return 0;
}

/* PMU: cycles per call and their rate against the spin calibration. */
static void vfy_summarise_pmu(const struct vfy_ctx *c,
			      const struct vfy_rounds *rs, uint32_t nr,
			      struct vfy_summary *s)
{
	double rate[VFY_MAX_ROUNDS], cyc[VFY_MAX_ROUNDS], mr;
	size_t np = 0;

	s->pv = NULL;
	s->pmu[0] = '\0';
	if (isnan(c->pmu_cal))
		return;
	for (uint32_t r = 0; r < nr; r++) {
		cyc[r] = rs->pcyc[r];
		if (!isnan(rs->prate[r]))
			rate[np++] = rs->prate[r];
	}
	mr = np ? ctb_median_of_copy(rate, np) : NAN;
	s->pv = ctb_verify_pmu_verdict(mr, c->pmu_cal, c->tol);
	snprintf(s->pmu, sizeof(s->pmu), " pmu %.0f cyc %.3f cyc/ns %s",
		 ctb_median_of_copy(cyc, nr), mr, s->pv);
}

static void vfy_summarise(const struct vfy_ctx *c, struct vfy_rounds *rs,
			  uint32_t nr, struct vfy_summary *s)
{
	s->of = vfy_fig(rs->ours, nr);
	s->tf = vfy_fig(rs->graph, nr);
	s->ovf = vfy_fig(rs->ovh, nr);
	s->fl = ctb_median_of_copy(rs->floors, nr);
	/* what the correction itself is uncertain by */
	s->slack = s->ovf.hi - s->ovf.lo + s->fl;
	s->med = s->tf.med + s->ovf.med;
	s->ev = ctb_median_of_copy(rs->evr, nr);
	s->v = ctb_verify_verdict(&s->of, &s->tf, s->fl, c->tol, s->slack);
	s->matched = rs->matched && isnan(c->ovh_fixed);
	vfy_summarise_pmu(c, rs, nr, s);
}

/*
 * Ranges that overlap with low ends apart: one side may not have landed in
 * the other's fast regime yet (TCG).  More rounds, up to three times as
 * many (docs/verify.md "Tolerance and verdict").  Returns the new number
 * of rounds, or nr when the verdict stands.
 */
static uint32_t vfy_more_rounds(const struct vfy_ctx *c,
				const struct vfy_summary *s, uint32_t nr)
{
	if (!strcmp(s->v, "disagree") && nr < 3 * c->rounds &&
	    nr < VFY_MAX_ROUNDS &&
	    s->tf.hi + s->slack >= s->of.lo / (1.0 + c->tol) &&
	    s->tf.lo - s->slack <= s->of.hi * (1.0 + c->tol))
		return nr + c->rounds < VFY_MAX_ROUNDS ? nr + c->rounds :
			VFY_MAX_ROUNDS;
	return nr;
}

static void vfy_print(const struct vfy_ctx *c, const char *name,
		      const char *cnt, const struct vfy_summary *s,
		      uint32_t nr)
{
	char rng[256], evs[16];

	if (s->ev >= 0)
		snprintf(evs, sizeof(evs), "%.2f", s->ev);
	else
		snprintf(evs, sizeof(evs), "-");
	snprintf(rng, sizeof(rng), "[%.0f..%.0f] [%.0f..%.0f] ovh %.0f%s slack %.0f rounds %u%s",
		 s->of.lo, s->of.hi, s->tf.lo, s->tf.hi, s->ovf.med,
		 s->matched ? " (traced control)" : "", s->slack, nr, s->pmu);
	if (strcmp(s->v, "below-floor"))
		printf("%-24s %6s  %-40s %10.0f %10.0f %10.0f %6.2f %6s  %-8s %s\n",
		       name, cnt, c->fn, s->of.med, s->med, s->tf.med,
		       s->tf.med / s->of.med, evs, s->v, rng);
	else
		printf("%-24s %6s  %-40s %10.0f %10.0f %10.0f %6s %6s  %-8s %s (floor %.0f ns)\n",
		       name, cnt, c->fn, s->of.med, s->med, s->tf.med, "-",
		       evs, s->v, rng, s->fl);
	fflush(stdout);
}

/*
 * function_graph recorded no call of the empty function.  Does the plain
 * function tracer see its calls?  Returns how many it recorded (0 when it
 * cannot tell).  When it does, the graph tracer's entry hook skips the
 * function: on 32-bit ARM with the ARM unwinder, prepare_ftrace_return()
 * unwinds one frame first and gives up on a function whose unwind entry
 * saves no register, an empty one among them (docs/verify.md).
 */
static size_t vfy_graph_blind(struct vfy_ctx *c, struct ctb_dev *d)
{
	const char *t = c->tracefs, *p;
	char pid[32], err[CTB_ERRLEN], *trace = NULL;
	size_t k = 0;

	ctb_tfs_reset(t);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	if (!ctb_tfs_write(t, "set_ftrace_filter", c->nopfn) &&
	    !ctb_tfs_write(t, "set_ftrace_pid", pid) &&
	    !ctb_tfs_write(t, "current_tracer", "function")) {
		ctb_tfs_write(t, "trace", "");
		ctb_tfs_write(t, "tracing_on", "1");
		if (!vfy_run(d, c->nop, 0, c->cpu, c->samples, NULL, err,
			     sizeof(err)))
			trace = ctb_tfs_read(t, "trace", VFY_TRACE_MAX);
		ctb_tfs_write(t, "tracing_on", "0");
	}
	ctb_tfs_reset(t);
	for (p = trace; p && (p = strstr(p, c->nopfn)) != NULL; p++)
		k++;
	free(trace);
	return k;
}

/* Why function_graph misses what the function tracer sees, per arch. */
static const char *vfy_graph_blind_why(const struct ctb_dev *d)
{
	if (!strncmp(d->info.machine, "arm", 3) &&
	    strcmp(d->info.machine, "arm64"))
		return "32-bit ARM: function_graph's entry hook unwinds one frame with the ARM unwinder and skips every function that saves no register (frameless), so an empty function and every frameless op callback are never timed";
	return "function_graph's entry hook does not hook it on this kernel";
}

/* One row: returns 0 agree/below floor/no clock, 1 disagree or failure. */
static int vfy_one(struct vfy_ctx *c, struct ctb_dev *d, uint32_t opi,
		   uint32_t count)
{
	const struct cachetlb_op_desc *o = &d->ops[opi];
	char err[CTB_ERRLEN], cnt[16];
	struct vfy_rounds rs;
	struct vfy_summary s;
	uint32_t done = 0, nr = c->rounds;

	rs.matched = 0;
	snprintf(cnt, sizeof(cnt), "%u", count);
	if (!(o->uses & CACHETLB_USES_COUNT))
		snprintf(cnt, sizeof(cnt), "-");
	do {
		if (vfy_rounds(c, d, opi, count, &rs, done, nr, err,
			       sizeof(err))) {
			printf("%-24s %6s  %-40s error: %s\n", o->name, cnt,
			       c->fn, err);
			return 1;
		}
		done = nr;
		vfy_summarise(c, &rs, nr, &s);
		nr = vfy_more_rounds(c, &s, nr);
	} while (nr > done);
	vfy_print(c, o->name, cnt, &s, nr);
	return !strcmp(s.v, "disagree") || (s.pv && !strcmp(s.pv, "disagree"));
}

static int vfy_op(struct vfy_ctx *c, struct ctb_dev *d, uint32_t opi)
{
	const struct cachetlb_op_desc *o = &d->ops[opi];
	unsigned int i;
	int bad = 0;

	if (!o->supported) {
		printf("%-24s %6s  unsupported here: %s\n", o->name, "-", o->reason);
		return 0;
	}
	if (!ctb_op_has(o, CACHETLB_PROP_KERNEL_PATH)) {
		printf("%-24s %6s  no independent clock (raw instructions or a module stand-in: no kernel function to trace)\n",
		       o->name, "-");
		return 0;
	}
	if (o->uses & (CACHETLB_USES_USER_BUF | CACHETLB_USES_TARGETS)) {
		printf("%-24s %6s  not verified: needs a user ring or a target mask (use `ctbench run`)\n",
		       o->name, "-");
		return 0;
	}
	vfy_pick_fn(c, d, opi);
	if (!c->fn[0]) {
		printf("%-24s %6s  no independent clock (OP_FUNC unavailable: module older than ctbench)\n",
		       o->name, "-");
		return 0;
	}
	if (!(o->uses & CACHETLB_USES_COUNT))
		return vfy_one(c, d, opi, 0);
	for (i = 0; i < c->ncounts; i++) {
		if (c->counts[i] < o->count_min || c->counts[i] > o->count_max) {
			printf("%-24s %6u  skipped: count outside %u..%u\n",
			       o->name, c->counts[i], o->count_min, o->count_max);
			continue;
		}
		bad |= vfy_one(c, d, opi, c->counts[i]);
	}
	return bad;
}

/* Options and their checks: 0, CTB_OPTS_HELP (help printed) or exit code. */
static int vfy_args(struct vfy_ctx *c, int argc, char **argv)
{
	char err[CTB_ERRLEN];
	int ret;

	c->ovh_fixed = NAN;
	ret = ctb_opts_parse(&ctb_verify_spec, argc, argv, c, NULL, err,
			     sizeof(err));
	if (ret == CTB_OPTS_HELP) {
		ctb_opts_help(stdout, &ctb_verify_spec);
		return ret;
	}
	if (!ret)
		ret = vfy_parse_pages(c, err, sizeof(err));
	if (!ret && c->family && ctb_family_from_name(c->family) < 0) {
		snprintf(err, sizeof(err), "--family: unknown family '%s' (core, uaccess, cache, tlb)",
			 c->family);
		ret = CTB_EXIT_USAGE;
	}
	if (!ret && c->overhead) {
		char *end;

		c->ovh_fixed = strtod(c->overhead, &end);
		if (*end || !(c->ovh_fixed >= 0) || c->ovh_fixed > 1e9) {
			snprintf(err, sizeof(err), "--overhead-ns: '%s' is not a number of ns in 0..1e9",
				 c->overhead);
			ret = CTB_EXIT_USAGE;
		}
	}
	if (ret) {
		fprintf(stderr, "ctbench: verify: %s\n", err);
		if (ret == CTB_EXIT_USAGE)
			fprintf(stderr, "Try 'ctbench verify --help'.\n");
	}
	return ret;
}

/*
 * One CPU for every RUN and for ctbench itself (under TCG the cost of a
 * cross-CPU flush differs with where it is issued from), tracefs, the
 * emulation verdict and the empty function.  0 or an exit code.
 */
static int vfy_setup(struct vfy_ctx *c, struct ctb_dev *dev)
{
	char why[CTB_ERRLEN];
	cpu_set_t set;
	int ret, nop;

	if (c->cpu == UINT32_MAX)
		c->cpu = sched_getcpu() > 0 ? (uint32_t)sched_getcpu() : 0;
	CPU_ZERO(&set);
	CPU_SET(c->cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		fprintf(stderr, "ctbench: verify: --cpu %u: cannot run there: %s\n",
			c->cpu, strerror(errno));
		return CTB_EXIT_USAGE;
	}
	if (geteuid() == 0)
		ctb_dev_resolve_all(dev, NULL, NULL, 0);
	if (!c->tracefs)
		c->tracefs = VFY_DEF_TRACEFS;
	ret = ctb_tfs_check(c->tracefs, !strcmp(c->tracefs, VFY_DEF_TRACEFS),
			    why, sizeof(why));
	if (ret) {
		fprintf(stderr, "ctbench: verify: no independent clock: %s\n", why);
		return ret;
	}
	c->emulated = ctb_detect_emulation(getenv("CTB_EMULATION"),
					   dev->info.hypervisor,
					   dev->info.hypervisor_hint, why,
					   sizeof(why));
	c->tol = c->emulated ? VFY_TOL_EMULATED : VFY_TOL_NATIVE;
	/* The tracer's own cost: the empty run callback of "nop". */
	nop = ctb_dev_find_op(dev, "nop");
	if (nop < 0 ||
	    vfy_op_func(dev, (uint32_t)nop, c->nopfn, sizeof(c->nopfn))) {
		fprintf(stderr, "ctbench: verify: the module has no nop op or no OP_FUNC ioctl (older module?)\n");
		return CTB_EXIT_NODEV;
	}
	c->nop = (uint32_t)nop;
	return 0;
}

/* The tracer overhead measured once, and the header lines. */
static int vfy_header(struct vfy_ctx *c, struct ctb_dev *dev)
{
	char err[CTB_ERRLEN];
	double med, ev, ovh;
	size_t ncalls = 0;
	int ret;

	ret = vfy_traced(c, dev, c->nop, c->nopfn, 0, &med, &ev, &ncalls, NULL,
			 err, sizeof(err));
	if (ret == -ENOENT) {
		size_t k = vfy_graph_blind(c, dev);

		if (k) {
			fprintf(stderr, "ctbench: verify: no independent clock: function_graph records no call of %s while the function tracer records %zu: %s\n",
				c->nopfn, k, vfy_graph_blind_why(dev));
			return CTB_EXIT_NOTRACE;
		}
	}
	if (ret) {
		fprintf(stderr, "ctbench: verify: tracer overhead on %s: %s\n",
			c->nopfn, err);
		return ret == -EPERM || ret == -EACCES ? CTB_EXIT_NOTRACE :
			CTB_EXIT_FAIL;
	}
	printf("# ctbench verify: %s %s, %s; function_graph, %u rounds of %u samples, CPU %u\n",
	       dev->info.machine, dev->info.release,
	       c->emulated ? "EMULATED (TCG): numbers are emulation" : "not emulated",
	       c->rounds, c->samples, c->cpu);
	printf("# tracer overhead: %.0f ns measured (median of %zu calls of %s), measured again in every round%s\n",
	       med, ncalls, c->nopfn,
	       c->overhead ? "; OVERRIDDEN by --overhead-ns" : "");
	ovh = isnan(c->ovh_fixed) ? med : c->ovh_fixed;
	printf("# overhead subtracted: %.0f ns; agree: ranges and low ends over rounds within a factor %.2f..%.2f%s, +- slack (overhead range + floor)\n",
	       ovh, 1.0 / (1.0 + c->tol), 1.0 + c->tol,
	       c->emulated ? " (emulated)" : "");
	c->pmu_cal = ctb_verify_pmu_setup(dev, c->cpu, c->samples, c->tol);
	printf("%-24s %6s  %-40s %10s %10s %10s %6s %6s  %-8s %s%s\n", "op",
	       "count", "traced function", "ours_ns", "graph_ns", "traced_ns",
	       "ratio", "tlbev", "verdict", "ranges over rounds: ours traced",
	       isnan(c->pmu_cal) ? "" : "; pmu cycles/call, cycles/ns, verdict");
	return 0;
}

int ctb_cmd_verify(int argc, char **argv)
{
	struct vfy_ctx c = { .samples = 31, .rounds = 5, .cpu = UINT32_MAX };
	char err[CTB_ERRLEN];
	struct ctb_dev dev;
	int ret, bad = 0, any = 0;

	ret = vfy_args(&c, argc, argv);
	if (ret)
		return ret == CTB_OPTS_HELP ? 0 : ret;
	if (ctb_dev_open(&dev, NULL, err, sizeof(err))) {
		fprintf(stderr, "ctbench: verify: %s\n", err);
		return CTB_EXIT_NODEV;
	}
	ret = vfy_setup(&c, &dev);
	if (!ret)
		ret = vfy_header(&c, &dev);
	if (ret) {
		ctb_dev_close(&dev);
		return ret;
	}
	for (unsigned int i = 0; i < dev.nops; i++) {
		if (!vfy_selected(&c, &dev.ops[i]))
			continue;
		any = 1;
		bad |= vfy_op(&c, &dev, i);
	}
	ctb_dev_close(&dev);
	if (!any) {
		fprintf(stderr, "ctbench: verify: no op matches%s%s%s%s\n",
			c.family ? " --family " : "", c.family ? c.family : "",
			c.op ? " --op " : "", c.op ? c.op : "");
		return CTB_EXIT_USAGE;
	}
	return bad ? CTB_EXIT_FAIL : 0;
}
