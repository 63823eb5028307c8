// SPDX-License-Identifier: GPL-2.0
/*
 * ctbench runner: the execution of one run specification (an op, or a
 * family swept over parameter lists).
 *
 * One row = one RUN ioctl of one op with one parameter combination. The
 * module interleaves an empty-op baseline sample with every op sample in
 * the same RUN; statistics are per iteration (sample / iterations), the
 * net cost is op median minus baseline median with both CIs combined.
 *
 * PMU events are counted in two extra RUNs with CACHETLB_RUN_NO_BASELINE:
 * the op itself and the core "nop" op with identical samples/iterations;
 * the reported value is (op count - nop count) / (samples * iterations).
 * Both counts include the op's untimed pre_sample/post_sample work and
 * the engine loop, so for ops with heavy line-state preparation (cache
 * family, cold uaccess) the event count is an upper bound of the op's own
 * count. This is stated in docs/ctbench.md.
 *
 * Per row: plan -> execute -> build row -> checks.
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
#include "replicate.h"
#include "run.h"

static struct ctb_row *row_new(struct ctb_session *s)
{
	if (s->nrows == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 64;
		void *p = realloc(s->rows, nc * sizeof(*s->rows));

		if (!p)
			return NULL;
		s->rows = p;
		s->cap = nc;
	}
	memset(&s->rows[s->nrows], 0, sizeof(s->rows[0]));
	return &s->rows[s->nrows];
}

static void unit_singular(const char *unit, char *buf, size_t len)
{
	size_t n;

	snprintf(buf, len, "%s", unit[0] ? unit : "iter");
	n = strlen(buf);
	if (n > 1 && buf[n - 1] == 's')
		buf[n - 1] = '\0';
}

/* Print a per-row message on the human stream. */
void ctb_run_note(struct ctb_session *s, const char *op,
		  const struct run_params *p, const char *fmt, const char *msg)
{
	int w = ctb_op_width(s);
	char f[64];

	ctb_progress_clear();
	if (!p) {	/* nothing planned (an unsupported op): the reason */
		fprintf(s->out, "  %-*s %s%s\n", w, op, fmt, msg);
		return;
	}
	ctb_opflags_str(p->opflags, f, sizeof(f));
	fprintf(s->out, "  %-*s N=%-5u aux=%-5u %-8s %-12s %s%s\n", w, op,
		p->count, p->aux, ctb_state_name(p->state), f, fmt, msg);
}

/* Fill a RUN struct from params. */
static void run_fill(struct cachetlb_run *r, uint32_t opi,
		     const struct run_params *p, const struct cachetlb_op_desc *d,
		     const struct ctb_vq *vq, const struct ctb_runspec *rs)
{
	memset(r, 0, sizeof(*r));
	r->op = opi;
	r->cpu = p->cpu >= 0 ? (uint32_t)p->cpu : CACHETLB_CPU_ANY;
	r->flags = rs->irqs_off ? CACHETLB_RUN_IRQS_OFF : 0;
	r->count = (d->uses & CACHETLB_USES_COUNT) ? p->count : 0;
	r->aux = (d->uses & CACHETLB_USES_AUX) ? p->aux : 0;
	r->state = (d->uses & CACHETLB_USES_STATE) ? p->state : 0;
	r->opflags = (d->uses & CACHETLB_USES_OPFLAGS) ? p->opflags : 0;
	r->time_limit_ms = rs->time_limit_ms;
	if (vq && vq->map) {
		r->user_addr = (uint64_t)(uintptr_t)vq->base;
		r->user_len = vq->l.total;
	}
	if (p->has_targets)
		memcpy(r->targets, p->targets.w, sizeof(r->targets));
}

/* Pick iterations so one sample lasts about target_ns. */
static int calibrate(struct ctb_session *s, uint32_t opi,
		     const struct run_params *p, struct ctb_vq *vq,
		     const struct ctb_runspec *rs, uint32_t *iterations,
		     uint32_t *samples, char *err, size_t len)
{
	const struct cachetlb_op_desc *d = &s->dev.ops[opi];
	struct cachetlb_sample smp[5];
	struct cachetlb_run r;
	double per_iter, target, best = INFINITY, budget_ms, est_ms;
	uint64_t it;
	int ret;

	run_fill(&r, opi, p, d, vq, rs);
	r.iterations = 1;
	r.samples = 5;
	r.warmup = 1;
	r.flags |= CACHETLB_RUN_NO_BASELINE;
	r.samples_ptr = (uint64_t)(uintptr_t)smp;
	if (vq && vq->map)
		ctb_vq_init(vq);
	ret = ctb_dev_run(s->dev.fd, &r, d, err, len);
	if (ret)
		return ret;
	for (uint32_t i = 0; i < r.samples_done && i < 5; i++)
		if ((double)smp[i].ns < best)
			best = (double)smp[i].ns;
	per_iter = isfinite(best) && best > 0 ? best : 1;
	target = 20000.0;
	if ((double)s->dev.info.clock_resolution_ns * 200.0 > target)
		target = (double)s->dev.info.clock_resolution_ns * 200.0;
	it = (uint64_t)ceil(target / per_iter);
	if (it < 1)
		it = 1;
	if (it > 65536)
		it = 65536;
	/* Keep the whole RUN (op + baseline samples) within half the cap. */
	budget_ms = rs->time_limit_ms ? rs->time_limit_ms :
		    (s->dev.info.time_limit_ms ? s->dev.info.time_limit_ms :
		     10000);
	budget_ms /= 2;
	est_ms = (double)(*samples + rs->warmup) * (double)it * per_iter *
		 2.0 / 1e6;
	if (est_ms > budget_ms) {
		double scale = budget_ms / est_ms;

		it = (uint64_t)((double)it * scale);
		if (it < 1) {
			uint64_t smax = (uint64_t)(budget_ms * 1e6 /
						   (per_iter * 2.0));

			it = 1;
			if (smax < 5)
				smax = 5;
			if (smax < *samples)
				*samples = (uint32_t)smax;
		}
	}
	*iterations = (uint32_t)it;
	return 0;
}

/* Every event still usable is dropped, for @reason. */
static void pmu_drop(struct ctb_pmu *pmu, const char *reason)
{
	for (size_t i = 0; i < pmu->n; i++)
		if (pmu->ev[i].ok) {
			pmu->ev[i].ok = 0;
			snprintf(pmu->ev[i].reason, sizeof(pmu->ev[i].reason),
				 "%s", reason);
		}
}

/*
 * One counting RUN without warmup or baseline: the op (pass 0) or the nop
 * (pass 1, no targets, no ring).  Stores the counts; 0 when every sample
 * ran, else -1.
 */
static int count_pass(struct ctb_session *s, uint32_t idx, int pass,
		      const struct run_params *p, struct ctb_vq *vq,
		      const struct ctb_runspec *rs, struct ctb_pmu *pmu,
		      uint32_t iterations, uint32_t samples,
		      struct cachetlb_sample *smp, uint64_t *counts)
{
	const struct cachetlb_op_desc *dd = &s->dev.ops[idx];
	struct run_params np = *p;
	struct cachetlb_run r;
	char err[CTB_ERRLEN];

	if (pass)
		np.has_targets = 0;
	run_fill(&r, idx, &np, dd, pass ? NULL : vq, rs);
	r.iterations = iterations;
	r.samples = samples;
	r.warmup = 0;
	r.flags |= CACHETLB_RUN_NO_BASELINE;
	r.samples_ptr = (uint64_t)(uintptr_t)smp;
	if (!pass && vq && vq->map)
		ctb_vq_init(vq);
	ctb_pmu_start(pmu);
	if (ctb_dev_run(s->dev.fd, &r, dd, err, sizeof(err))) {
		ctb_pmu_stop(pmu);
		fprintf(s->out, "  ! event counting RUN failed: %s\n", err);
		return -1;
	}
	ctb_pmu_stop(pmu);
	for (size_t i = 0; i < pmu->n; i++)
		counts[i] = pmu->ev[i].counted ? pmu->ev[i].value : 0;
	return r.samples_done == samples ? 0 : -1;
}

static void count_events(struct ctb_session *s, uint32_t opi,
			 const struct run_params *p, struct ctb_vq *vq,
			 const struct ctb_runspec *rs, struct ctb_pmu *pmu,
			 uint32_t iterations, uint32_t samples,
			 char *out, size_t outlen)
{
	uint64_t opc[CTB_PMU_MAX_EVENTS], basec[CTB_PMU_MAX_EVENTS];
	struct cachetlb_sample *smp;
	int nop = ctb_dev_find_op(&s->dev, "nop");
	int ok;

	if (nop < 0)
		pmu_drop(pmu, "no nop op for the overhead subtraction");
	smp = ctb_pmu_usable(pmu) ? calloc(samples, sizeof(*smp)) : NULL;
	if (!smp) {
		ctb_pmu_format(pmu, NULL, NULL, 0, out, outlen);
		return;
	}
	ok = !count_pass(s, opi, 0, p, vq, rs, pmu, iterations, samples, smp,
			 opc) &&
	     !count_pass(s, (uint32_t)nop, 1, p, vq, rs, pmu, iterations,
			 samples, smp, basec);
	free(smp);
	for (size_t i = 0; i < pmu->n; i++)
		if (pmu->ev[i].ok && !pmu->ev[i].counted) {
			pmu->ev[i].ok = 0;
			if (!pmu->ev[i].reason[0])
				snprintf(pmu->ev[i].reason,
					 sizeof(pmu->ev[i].reason),
					 "not counted");
		}
	if (!ok) {
		pmu_drop(pmu, "counting RUN incomplete");
		ctb_pmu_format(pmu, NULL, NULL, 0, out, outlen);
		return;
	}
	ctb_pmu_format(pmu, opc, basec, (double)samples * iterations, out,
		       outlen);
}


/*
 * The opflags column of a row: the module's flags plus the userspace-only
 * variants "span" (uaccess ring across a page boundary) and "busy"
 * (spinners on the target CPUs), so such rows never match plain ones.
 */
static void row_opflags(char *buf, size_t len,
			const struct cachetlb_op_desc *d,
			const struct run_params *p,
			const struct ctb_runspec *rs)
{
	const char *extra = NULL;
	char f[64];

	ctb_opflags_str((d->uses & CACHETLB_USES_OPFLAGS) ? p->opflags : 0,
			f, sizeof(f));
	if (p->span && (d->uses & CACHETLB_USES_USER_BUF))
		extra = "span";
	else if (p->has_targets && rs->busy_targets)
		extra = "busy";
	if (extra && strcmp(f, "-"))
		snprintf(buf, len, "%.40s+%s", f, extra);
	else
		snprintf(buf, len, "%s", extra ? extra : f);
}

/* The row with this compare key measured in this session, or NULL. */
static const struct ctb_row *row_find(const struct ctb_session *s,
				      const char *op, uint32_t count,
				      uint32_t aux, uint32_t state,
				      const char *opflags, const char *targets)
{
	struct ctb_row_key k = {
		.op = op, .count = count, .aux = aux,
		.state = ctb_state_name(state), .opflags = opflags,
		.targets = targets,
	};

	return ctb_rows_find_last(s->rows, s->nrows, &k);
}

/* "iterations=1" as a whole token in an op's params text. */
static int params_want_one_iteration(const char *params)
{
	const char *p = params;
	const char *key = "iterations=1";

	while ((p = strstr(p, key))) {
		char next = p[strlen(key)];

		if ((p == params || !isalnum((unsigned char)p[-1])) &&
		    !isdigit((unsigned char)next))
			return 1;
		p += strlen(key);
	}
	return 0;
}

/*
 * Everything one row's RUN needs and takes. run_one() goes plan ->
 * prepare -> execute -> build row -> checks -> report, and
 * run_release() gives back what prepare and execute took.
 */
struct run_ctx {
	struct ctb_session *s;
	uint32_t opi;
	const struct cachetlb_op_desc *d;
	const struct ctb_runspec *rs;
	struct run_params p;
	uint32_t iterations, samples;
	struct ctb_vq vq;
	struct ctb_spinners spin;
	int spinning;
	struct cachetlb_sample *smp, *base;
	struct cachetlb_run r;
	char err[CTB_ERRLEN];
	size_t prev;		/* row of an earlier round, or SIZE_MAX */
	size_t cur;		/* the row this round went into */
};

/* Note a failed row on the human stream, count it, return exit code. */
static int run_fail(struct run_ctx *c, const char *msg)
{
	ctb_run_note(c->s, c->d->name, &c->p, "error: ", msg);
	c->s->failures++;
	return CTB_EXIT_FAIL;
}

static int run_unsupported(struct run_ctx *c, const char *msg)
{
	ctb_run_note(c->s, c->d->name, &c->p, "unsupported: ", msg);
	c->s->unsupported++;
	return CTB_EXIT_UNSUPPORTED;
}

/*
 * State set up untimed before each sample (line state clean/dirty/
 * uncached, the first flush of DOUBLE, COLD uaccess, refill after a
 * flush; params saying "iterations=1") holds for the first iteration of
 * a sample only: time exactly one iteration per sample.
 */
static int wants_one_iteration(const struct cachetlb_op_desc *d,
			       const struct run_params *p)
{
	return ((p->opflags & (CACHETLB_OPF_COLD | CACHETLB_OPF_DOUBLE)) &&
		(d->uses & CACHETLB_USES_OPFLAGS)) ||
	       ((d->uses & CACHETLB_USES_STATE) &&
		p->state != CACHETLB_STATE_ANY) ||
	       params_want_one_iteration(d->params);
}

/*
 * Plan: defaults (ring of 256 entries for user-buffer ops, else 16),
 * iterations, and whether an earlier row already has these parameters.
 * Returns 1 when the row is to be skipped.
 */
static int run_plan(struct run_ctx *c)
{
	const struct cachetlb_op_desc *d = c->d;
	struct run_params *p = &c->p;
	const struct ctb_row *prev;
	char ofl[64];

	if ((d->uses & CACHETLB_USES_AUX) && !p->aux)
		p->aux = (d->uses & CACHETLB_USES_USER_BUF) ?
			 CTB_DEFAULT_RING : CTB_DEFAULT_AUX;
	if (!c->iterations && wants_one_iteration(d, p))
		c->iterations = 1;
	row_opflags(ofl, sizeof(ofl), d, p, c->rs);
	prev = row_find(c->s, d->name,
			(d->uses & CACHETLB_USES_COUNT) ? p->count : 0,
			(d->uses & CACHETLB_USES_AUX) ? p->aux : 0,
			(d->uses & CACHETLB_USES_STATE) ? p->state : 0, ofl,
			p->has_targets ? p->targets_str : "-");
	/* a row of an earlier round gets this round's samples */
	c->prev = prev ? (size_t)(prev - c->s->rows) : SIZE_MAX;
	if (!prev || prev->last_round != (int)c->s->round)
		return 0;
	ctb_run_note(c->s, d->name, p, "skipped: ",
	     "same parameters and CPUs as an earlier row");
	c->s->skipped++;
	return 1;
}

/* Prepare: the uaccess ring and the spinners on busy targets. */
static int run_prepare(struct run_ctx *c)
{
	struct run_params *p = &c->p;

	if (c->d->uses & CACHETLB_USES_USER_BUF) {
		uint32_t ring = p->aux ? p->aux : CTB_DEFAULT_RING;

		if (ctb_vq_alloc(&c->vq, ring, p->span,
				 c->s->dev.info.page_size, c->err,
				 sizeof(c->err)))
			return run_fail(c, c->err);
		if (!c->vq.locked)
			fprintf(c->s->out, "  ! ring not mlock()ed: %s\n",
				strerror(errno));
	}
	if (!p->has_targets || !c->rs->busy_targets)
		return 0;
	if (!c->s->topo_ok) {
		ctb_run_note(c->s, c->d->name, p, "error: ",
		     "--busy-targets needs hwloc");
		return CTB_EXIT_FAIL;
	}
	if (ctb_spinners_start(&c->s->topo, &p->targets, &c->spin, c->err,
			       sizeof(c->err))) {
		ctb_run_note(c->s, c->d->name, p, "error: ", c->err);
		return CTB_EXIT_FAIL;
	}
	c->spinning = 1;
	return 0;
}

/*
 * The timed RUN itself (after calibration when iterations is 0): 0, a
 * negative errno with c->err set, or CTB_EXIT_FAIL already noted.
 */
static int run_ioctl(struct run_ctx *c)
{
	struct cachetlb_run *r = &c->r;
	int ret;

	if (!c->iterations) {
		ret = calibrate(c->s, c->opi, &c->p, &c->vq, c->rs,
				&c->iterations, &c->samples, c->err,
				sizeof(c->err));
		if (ret)
			return ret;
	}
	c->smp = calloc(c->samples, sizeof(*c->smp));
	c->base = calloc(c->samples, sizeof(*c->base));
	if (!c->smp || !c->base) {
		ctb_run_note(c->s, c->d->name, &c->p, "error: ",
		     "out of memory for samples");
		return CTB_EXIT_FAIL;
	}
	run_fill(r, c->opi, &c->p, c->d, &c->vq, c->rs);
	r->iterations = c->iterations;
	r->samples = c->samples;
	r->warmup = c->rs->warmup;
	r->samples_ptr = (uint64_t)(uintptr_t)c->smp;
	r->baseline_ptr = (uint64_t)(uintptr_t)c->base;
	if (c->vq.map)
		ctb_vq_init(&c->vq);
	ret = ctb_dev_run(c->s->dev.fd, r, c->d, c->err, sizeof(c->err));
	if (ret == -EINTR && r->samples_done) {
		/* stderr: in a round before the last, s->out is /dev/null */
		ctb_progress_clear();
		fprintf(stderr, "ctbench: %s N=%u: interrupted: %u of %u samples kept\n",
			c->d->name, c->p.count, r->samples_done, c->samples);
		c->s->failures++;
		ret = 0;
	}
	return ret;
}

/* Execute: the RUN, its errors mapped to exit codes, spinners stopped. */
static int run_execute(struct run_ctx *c)
{
	int ret = run_ioctl(c);

	if (ret > 0)
		return ret;
	if (ret == -EOPNOTSUPP)
		return run_unsupported(c, c->err);
	if (ret)
		return run_fail(c, c->err);
	if (c->spinning) {
		ctb_spinners_stop(&c->spin);
		c->spinning = 0;
	}
	if (!c->r.samples_done)
		return run_fail(c, "RUN returned no samples");
	return 0;
}

/* Row identity: op, family, parameters, CPUs, as the module ran them. */
static void row_identity(struct run_ctx *c, struct ctb_row *row)
{
	const struct cachetlb_op_desc *d = c->d;
	const char *fam = ctb_family_name(d->family);

	snprintf(row->op, sizeof(row->op), "%s", d->name);
	snprintf(row->family, sizeof(row->family), "%s", fam ? fam : "?");
	row->count = c->r.count;
	row->aux = (d->uses & CACHETLB_USES_USER_BUF) ? c->vq.l.ring :
		   c->r.aux;
	snprintf(row->state, sizeof(row->state), "%s",
		 ctb_state_name(c->r.state));
	row_opflags(row->opflags, sizeof(row->opflags), d, &c->p, c->rs);
	row->cpu = (int)c->r.cpu_used;
	snprintf(row->targets, sizeof(row->targets), "%.63s",
		 c->p.has_targets ? c->p.targets_str : "-");
	row->iterations = c->iterations;
	row->emulated = c->s->emulated;
}

/* One round's module samples into the row's raw arrays. */
static int round_append(struct run_ctx *c, struct ctb_row *row,
			int have_base)
{
	size_t n = c->r.samples_done;
	int cyc = c->r.counter != CACHETLB_CTR_NONE;
	double *v = calloc(4 * (n ? n : 1), sizeof(*v));
	int ret;

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		v[i] = (double)c->smp[i].ns;
		v[n + i] = (double)c->smp[i].cycles;
		v[2 * n + i] = have_base ? (double)c->base[i].ns : 0.0;
		v[3 * n + i] = have_base ? (double)c->base[i].cycles : 0.0;
	}
	ret = ctb_row_add_round(row, c->s->round, c->iterations, v,
				cyc ? v + n : NULL,
				have_base ? v + 2 * n : NULL,
				cyc && have_base ? v + 3 * n : NULL, n);
	free(v);
	return ret;
}

/* Cost per unit of work (per page, per line, per request...). */
static void row_per_unit(struct run_ctx *c, struct ctb_row *row)
{
	char u[32];

	unit_singular(c->d->unit, u, sizeof(u));
	if ((c->d->uses & CACHETLB_USES_COUNT) && c->r.count)
		ctb_row_per_unit(row, (double)c->r.count);
	else if (c->d->family == CACHETLB_FAM_UACCESS)
		ctb_row_per_unit(row, 1.0);
	else
		u[0] = '\0';
	if (u[0]) {
		snprintf(row->per_unit_name, sizeof(row->per_unit_name),
			 "ns/%.12s", u);
	} else {
		row->per_unit = NAN;
		snprintf(row->per_unit_name, sizeof(row->per_unit_name), "-");
	}
}

/*
 * Build row: this round's samples into the row of the earlier rounds, or
 * a new row; every statistic recomputed over the rounds (replicate.c).
 */
static int run_build_row(struct run_ctx *c)
{
	const struct cachetlb_op_desc *d = c->d;
	int have_base = c->r.baseline_done >= c->r.samples_done;
	struct ctb_row *row;

	if (c->prev != SIZE_MAX) {
		row = &c->s->rows[c->prev];
	} else {
		row = row_new(c->s);
		if (!row)
			return CTB_EXIT_FAIL;
		row->last_round = -1;
	}
	row_identity(c, row);
	if (round_append(c, row, have_base) ||
	    ctb_row_replicate(row,
			      (double)c->s->dev.info.clock_resolution_ns)) {
		if (c->prev == SIZE_MAX)	/* never made it into the table */
			ctb_row_release(row);
		return run_fail(c, "out of memory or bad samples for the round statistics");
	}
	if (have_base && (d->props & CACHETLB_PROP_NOOP_API ||
			  d->family == CACHETLB_FAM_CACHE))
		snprintf(row->noop, sizeof(row->noop), "%s",
			 row->rep.below_floor ? "yes" : "no");
	else
		snprintf(row->noop, sizeof(row->noop), "n/a");
	row_per_unit(c, row);
	c->cur = c->prev == SIZE_MAX ? c->s->nrows++ : c->prev;
	c->s->cpu = row->cpu;
	return 0;
}

static int verify_failed(struct run_ctx *c)
{
	c->s->verify_failures++;
	return CTB_EXIT_VERIFY;
}

/*
 * The used ring after the RUN. The module counts every request since
 * prepare (its probe calls included) and returns the last used idx. Each
 * slot k always receives {avail[k], desc[avail[k]].len}, so: idx must
 * equal op_result, at least (warmup + samples) * iterations requests ran,
 * and min(ring, requests) slots are written.
 */
static int run_check_ring(struct run_ctx *c)
{
	uint64_t min_req = ((uint64_t)c->rs->warmup + c->r.samples_done) *
			   c->iterations;
	uint16_t idx = (uint16_t)c->r.op_result;
	uint32_t written = c->vq.l.ring;
	unsigned int bad;
	int ret = 0;

	if (min_req < c->vq.l.ring) {
		written = idx;
		if (idx < min_req) {
			fprintf(c->s->out, "  ! %s: op_result %u < %" PRIu64 " requests run\n",
				c->d->name, idx, min_req);
			ret = verify_failed(c);
		}
	}
	bad = ctb_vq_verify(&c->vq, idx, written, c->err, sizeof(c->err));
	if (bad) {
		fprintf(c->s->out, "  ! %s: used ring check failed (%u mismatches): %s\n",
			c->d->name, bad, c->err);
		ret = verify_failed(c);
	}
	return ret;
}

/* Checks: what the module flagged, its VERIFY count, the used ring. */
static int run_checks(struct run_ctx *c)
{
	const char *name = c->d->name;
	int ret = 0;

	if (c->r.out_flags & CACHETLB_OUT_TRUNCATED)
		fprintf(c->s->out, "  ! %s: time limit hit, %u of %u samples\n",
			name, c->r.samples_done, c->samples);
	if (c->r.out_flags & CACHETLB_OUT_MIGRATED)
		fprintf(c->s->out, "  ! %s: a sample was retried after migration\n",
			name);
	if (c->r.op_errors) {
		fprintf(c->s->out, "  ! %s: VERIFY found %u mismatches\n",
			name, c->r.op_errors);
		ret = verify_failed(c);
	}
	if (c->vq.map && strcmp(c->d->unit, "setups") && run_check_ring(c))
		ret = CTB_EXIT_VERIFY;
	return ret;
}

/* Report: event counts, the table line, a wide-CI warning. */
static void run_report(struct run_ctx *c, struct ctb_pmu *pmu)
{
	struct ctb_session *s = c->s;
	struct ctb_row *row = &s->rows[c->cur];

	/* rows are printed once, with the statistics of every round */
	if (s->round + 1 < s->rounds)
		return;
	if (pmu && pmu->n)
		count_events(s, c->opi, &c->p, &c->vq, c->rs, pmu,
			     c->iterations, c->r.samples_done, row->events,
			     sizeof(row->events));
	if (s->fmt == CTB_OUT_TABLE) {
		if (s->header_pending)
			ctb_print_header(s);
		ctb_print_row(s, row);
	}
	if (!row->rep.below_floor && row->rep.net < 0)
		fprintf(s->out, "  ! %s: net below its control beyond the floor: the control is not matched to this op\n",
			c->d->name);
	else if (!row->rep.below_floor && row->rep.rounds > 1 &&
		 row->rep.ci_hi - row->rep.ci_lo > 0.5 * fabs(row->rep.net))
		fprintf(s->out, "  ! %s: CI over rounds wider than 50%% of the net\n",
			c->d->name);
}

static void run_release(struct run_ctx *c)
{
	if (c->spinning)
		ctb_spinners_stop(&c->spin);
	free(c->smp);
	free(c->base);
	ctb_vq_free(&c->vq);
}

int ctb_run_one(struct ctb_session *s, uint32_t opi,
		const struct run_params *p, const struct ctb_runspec *rs,
		struct ctb_pmu *pmu)
{
	struct run_ctx c = {
		.s = s, .opi = opi, .d = &s->dev.ops[opi], .rs = rs, .p = *p,
		.iterations = rs->iterations, .samples = rs->samples,
		.prev = SIZE_MAX,
	};
	int ret;

	if (ctb_progress_counting()) {	/* the pass that sizes the progress */
		ctb_progress_count();
		return 0;
	}
	ctb_progress_step(c.d->name, p->count, s->round, s->rounds);
	if (!c.d->supported)
		return run_unsupported(&c, c.d->reason[0] ? c.d->reason :
				       "(no reason given)");
	if (run_plan(&c))
		return 0;
	ret = run_prepare(&c);
	if (!ret)
		ret = run_execute(&c);
	if (!ret)
		ret = run_build_row(&c);
	if (!ret) {
		ret = run_checks(&c);
		run_report(&c, pmu);
	}
	run_release(&c);
	ctb_progress_clear();
	return ret;
}
