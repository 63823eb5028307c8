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

struct run_params {
	uint32_t count, aux, state, opflags;
	int span;
	int cpu;
	struct ctb_cpumask targets;
	char targets_str[64];
	int has_targets;
};

/* Print a per-row message on the human stream. */
static void note(struct ctb_session *s, const char *op,
		 const struct run_params *p, const char *fmt, const char *msg)
{
	char f[64];

	ctb_opflags_str(p->opflags, f, sizeof(f));
	fprintf(s->out, "  %-26s N=%-5u aux=%-5u %-8s %-12s %s%s\n", op,
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

static int stats_of(const struct cachetlb_sample *smp, size_t n,
		    double iterations, int cycles, double **raw_tot,
		    struct ctb_stats *st)
{
	double *per = malloc((n ? n : 1) * sizeof(double));
	double *tot = malloc((n ? n : 1) * sizeof(double));
	int ret;

	if (!per || !tot) {
		free(per);
		free(tot);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		double v = cycles ? (double)smp[i].cycles : (double)smp[i].ns;

		tot[i] = v;
		per[i] = v / iterations;
	}
	ret = ctb_stats_compute(per, n, st);
	free(per);
	if (raw_tot && !ret)
		*raw_tot = tot;
	else
		free(tot);
	return ret;
}

static void count_events(struct ctb_session *s, uint32_t opi,
			 const struct run_params *p, struct ctb_vq *vq,
			 const struct ctb_runspec *rs, struct ctb_pmu *pmu,
			 uint32_t iterations, uint32_t samples,
			 char *out, size_t outlen)
{
	uint64_t opc[CTB_PMU_MAX_EVENTS], basec[CTB_PMU_MAX_EVENTS];
	struct cachetlb_sample *smp;
	struct cachetlb_run r;
	char err[CTB_ERRLEN];
	int nop = ctb_dev_find_op(&s->dev, "nop");
	int ok = 1;

	if (!ctb_pmu_usable(pmu) || nop < 0) {
		if (nop < 0)
			for (size_t i = 0; i < pmu->n; i++)
				if (pmu->ev[i].ok) {
					pmu->ev[i].ok = 0;
					snprintf(pmu->ev[i].reason,
						 sizeof(pmu->ev[i].reason),
						 "no nop op for the overhead subtraction");
				}
		ctb_pmu_format(pmu, NULL, NULL, 0, out, outlen);
		return;
	}
	smp = calloc(samples, sizeof(*smp));
	if (!smp) {
		ctb_pmu_format(pmu, NULL, NULL, 0, out, outlen);
		return;
	}
	for (int pass = 0; pass < 2 && ok; pass++) {
		uint32_t idx = pass ? (uint32_t)nop : opi;
		const struct cachetlb_op_desc *dd = &s->dev.ops[idx];
		struct run_params np = *p;

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
			fprintf(s->out, "  ! event counting RUN failed: %s\n",
				err);
			ok = 0;
			break;
		}
		ctb_pmu_stop(pmu);
		for (size_t i = 0; i < pmu->n; i++)
			(pass ? basec : opc)[i] = pmu->ev[i].counted ?
						  pmu->ev[i].value : 0;
		if (r.samples_done != samples)
			ok = 0;
	}
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
		for (size_t i = 0; i < pmu->n; i++)
			if (pmu->ev[i].ok) {
				pmu->ev[i].ok = 0;
				snprintf(pmu->ev[i].reason,
					 sizeof(pmu->ev[i].reason),
					 "counting RUN incomplete");
			}
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

/* A row with the same compare key was already measured in this session. */
static int row_exists(const struct ctb_session *s, const char *op,
		      uint32_t count, uint32_t aux, uint32_t state,
		      const char *opflags, const char *targets)
{
	for (size_t i = 0; i < s->nrows; i++) {
		const struct ctb_row *r = &s->rows[i];

		if (!strcmp(r->op, op) && r->count == count && r->aux == aux &&
		    !strcmp(r->state, ctb_state_name(state)) &&
		    !strcmp(r->opflags, opflags) &&
		    !strcmp(r->targets, targets))
			return 1;
	}
	return 0;
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
 * One RUN of op opi with parameters p, appending one row. Returns 0,
 * CTB_EXIT_UNSUPPORTED, CTB_EXIT_VERIFY, or CTB_EXIT_FAIL.
 */
static int run_one(struct ctb_session *s, uint32_t opi,
		   const struct run_params *p, const struct ctb_runspec *rs,
		   struct ctb_pmu *pmu)
{
	const struct cachetlb_op_desc *d = &s->dev.ops[opi];
	struct cachetlb_sample *smp = NULL, *base = NULL;
	struct run_params pp = *p;
	struct ctb_spinners spin = { 0 };
	struct ctb_vq vq = { 0 };
	struct cachetlb_run r;
	struct ctb_row *row;
	struct ctb_stats bst;
	char err[CTB_ERRLEN], f[64];
	uint32_t iterations = rs->iterations, samples = rs->samples;
	int ret = 0, spinning = 0, have_base = 0;

	if (!d->supported) {
		note(s, d->name, p, "unsupported: ", d->reason[0] ? d->reason :
		     "(no reason given)");
		s->unsupported++;
		return CTB_EXIT_UNSUPPORTED;
	}
	/* Defaults: ring of 256 entries for user-buffer ops, else 16. */
	if ((d->uses & CACHETLB_USES_AUX) && !pp.aux)
		pp.aux = (d->uses & CACHETLB_USES_USER_BUF) ? CTB_DEFAULT_RING :
			 CTB_DEFAULT_AUX;
	/*
	 * State set up untimed before each sample (line state clean/dirty/
	 * uncached, the first flush of DOUBLE, COLD uaccess, refill after a
	 * flush; params saying "iterations=1") holds for the first iteration
	 * of a sample only: time exactly one iteration per sample.
	 */
	if (!iterations &&
	    (((pp.opflags & (CACHETLB_OPF_COLD | CACHETLB_OPF_DOUBLE)) &&
	      (d->uses & CACHETLB_USES_OPFLAGS)) ||
	     ((d->uses & CACHETLB_USES_STATE) &&
	      pp.state != CACHETLB_STATE_ANY) ||
	     params_want_one_iteration(d->params)))
		iterations = 1;
	p = &pp;
	{
		char ofl[64];
		uint32_t aux = (d->uses & CACHETLB_USES_AUX) ? p->aux : 0;
		uint32_t st = (d->uses & CACHETLB_USES_STATE) ? p->state : 0;

		row_opflags(ofl, sizeof(ofl), d, p, rs);
		if (row_exists(s, d->name, (d->uses & CACHETLB_USES_COUNT) ?
			       p->count : 0, aux, st, ofl,
			       p->has_targets ? p->targets_str : "-")) {
			note(s, d->name, p, "skipped: ",
			     "same parameters and CPUs as an earlier row");
			s->skipped++;
			return 0;
		}
	}
	if (d->uses & CACHETLB_USES_USER_BUF) {
		uint32_t ring = p->aux ? p->aux : CTB_DEFAULT_RING;

		if (ctb_vq_alloc(&vq, ring, p->span, s->dev.info.page_size,
				 err, sizeof(err))) {
			note(s, d->name, p, "error: ", err);
			s->failures++;
			return CTB_EXIT_FAIL;
		}
		if (!vq.locked)
			fprintf(s->out, "  ! ring not mlock()ed: %s\n",
				strerror(errno));
	}
	if (p->has_targets && rs->busy_targets) {
		if (!s->topo_ok) {
			note(s, d->name, p, "error: ",
			     "--busy-targets needs hwloc");
			ret = CTB_EXIT_FAIL;
			goto out;
		}
		if (ctb_spinners_start(&s->topo, &p->targets, &spin, err,
				       sizeof(err))) {
			note(s, d->name, p, "error: ", err);
			ret = CTB_EXIT_FAIL;
			goto out;
		}
		spinning = 1;
	}
	if (!iterations) {
		ret = calibrate(s, opi, p, &vq, rs, &iterations, &samples, err,
				sizeof(err));
		if (ret)
			goto run_err;
	}
	smp = calloc(samples, sizeof(*smp));
	base = calloc(samples, sizeof(*base));
	if (!smp || !base) {
		note(s, d->name, p, "error: ", "out of memory for samples");
		ret = CTB_EXIT_FAIL;
		goto out;
	}
	run_fill(&r, opi, p, d, &vq, rs);
	r.iterations = iterations;
	r.samples = samples;
	r.warmup = rs->warmup;
	r.samples_ptr = (uint64_t)(uintptr_t)smp;
	r.baseline_ptr = (uint64_t)(uintptr_t)base;
	if (vq.map)
		ctb_vq_init(&vq);
	ret = ctb_dev_run(s->dev.fd, &r, d, err, sizeof(err));
	if (ret == -EINTR && r.samples_done) {
		fprintf(s->out, "  ! interrupted: %u of %u samples kept\n",
			r.samples_done, samples);
		s->failures++;
		ret = 0;
	}
run_err:
	if (ret) {
		if (ret == -EOPNOTSUPP) {
			note(s, d->name, p, "unsupported: ", err);
			s->unsupported++;
			ret = CTB_EXIT_UNSUPPORTED;
		} else {
			note(s, d->name, p, "error: ", err);
			s->failures++;
			ret = CTB_EXIT_FAIL;
		}
		goto out;
	}
	if (spinning) {
		ctb_spinners_stop(&spin);
		spinning = 0;
	}
	if (!r.samples_done) {
		note(s, d->name, p, "error: ", "RUN returned no samples");
		s->failures++;
		ret = CTB_EXIT_FAIL;
		goto out;
	}
	row = row_new(s);
	if (!row) {
		ret = CTB_EXIT_FAIL;
		goto out;
	}
	snprintf(row->op, sizeof(row->op), "%s", d->name);
	snprintf(row->family, sizeof(row->family), "%s",
		 ctb_family_name(d->family) ? ctb_family_name(d->family) : "?");
	row->count = r.count;
	row->aux = (d->uses & CACHETLB_USES_USER_BUF) ? vq.l.ring : r.aux;
	snprintf(row->state, sizeof(row->state), "%s",
		 ctb_state_name(r.state));
	ctb_opflags_str(r.opflags, f, sizeof(f));
	row_opflags(row->opflags, sizeof(row->opflags), d, p, rs);
	row->cpu = (int)r.cpu_used;
	snprintf(row->targets, sizeof(row->targets), "%.63s",
		 p->has_targets ? p->targets_str : "-");
	row->iterations = iterations;
	row->emulated = s->emulated;
	if (stats_of(smp, r.samples_done, iterations, 0, &row->raw_ns,
		     &row->st)) {
		ret = CTB_EXIT_FAIL;
		goto out;
	}
	row->nraw = r.samples_done;
	if (r.counter != CACHETLB_CTR_NONE) {
		struct ctb_stats cst;

		if (!stats_of(smp, r.samples_done, iterations, 1,
			      &row->raw_cycles, &cst))
			row->cycles_median = cst.median;
		else
			row->cycles_median = NAN;
	} else {
		row->cycles_median = NAN;
	}
	if (r.baseline_done >= r.samples_done &&
	    !stats_of(base, r.samples_done, iterations, 0, &row->base_ns,
		      &bst)) {
		struct ctb_stats cst;

		have_base = 1;
		if (r.counter != CACHETLB_CTR_NONE)
			stats_of(base, r.samples_done, iterations, 1,
				 &row->base_cycles, &cst);
	}
	if (have_base) {
		double res = (double)s->dev.info.clock_resolution_ns /
			     iterations;

		row->baseline_median = bst.median;
		ctb_stats_subtract(&row->st, &bst, &row->net);
		if (d->props & CACHETLB_PROP_NOOP_API ||
		    d->family == CACHETLB_FAM_CACHE)
			snprintf(row->noop, sizeof(row->noop), "%s",
				 ctb_stats_is_noop(&row->st, &bst, res) ?
				 "yes" : "no");
		else
			snprintf(row->noop, sizeof(row->noop), "n/a");
	} else {
		row->baseline_median = NAN;
		row->net.median = row->st.median;
		row->net.ci_lo = row->st.ci_lo;
		row->net.ci_hi = row->st.ci_hi;
		snprintf(row->noop, sizeof(row->noop), "n/a");
	}
	{
		char u[32];

		unit_singular(d->unit, u, sizeof(u));
		if ((d->uses & CACHETLB_USES_COUNT) && r.count) {
			row->per_unit = row->net.median / r.count;
			snprintf(row->per_unit_name, sizeof(row->per_unit_name),
				 "ns/%.12s", u);
		} else if (d->family == CACHETLB_FAM_UACCESS) {
			row->per_unit = row->net.median;
			snprintf(row->per_unit_name, sizeof(row->per_unit_name),
				 "ns/%.12s", u);
		} else {
			row->per_unit = 0;
			snprintf(row->per_unit_name, sizeof(row->per_unit_name),
				 "-");
		}
	}
	s->nrows++;
	s->cpu = row->cpu;
	if (r.out_flags & CACHETLB_OUT_TRUNCATED)
		fprintf(s->out, "  ! %s: time limit hit, %u of %u samples\n",
			d->name, r.samples_done, samples);
	if (r.out_flags & CACHETLB_OUT_MIGRATED)
		fprintf(s->out, "  ! %s: a sample was retried after migration\n",
			d->name);
	if (r.op_errors) {
		fprintf(s->out, "  ! %s: VERIFY found %u mismatches\n", d->name,
			r.op_errors);
		s->verify_failures++;
		ret = CTB_EXIT_VERIFY;
	}
	if (vq.map && strcmp(d->unit, "setups")) {
		/*
		 * The module counts every request since prepare (its probe
		 * calls included) and returns the last used idx. Each slot k
		 * always receives {avail[k], desc[avail[k]].len}, so: idx must
		 * equal op_result, at least (warmup + samples) * iterations
		 * requests ran, and min(ring, requests) slots are written.
		 */
		uint64_t min_req = ((uint64_t)rs->warmup + r.samples_done) *
				   iterations;
		uint16_t idx = (uint16_t)r.op_result;
		uint32_t written;
		unsigned int bad;

		if (min_req >= vq.l.ring) {
			written = vq.l.ring;
		} else {
			written = idx;
			if (idx < min_req) {
				fprintf(s->out, "  ! %s: op_result %u < %" PRIu64 " requests run\n",
					d->name, idx, min_req);
				s->verify_failures++;
				ret = CTB_EXIT_VERIFY;
			}
		}
		bad = ctb_vq_verify(&vq, idx, written, err, sizeof(err));
		if (bad) {
			fprintf(s->out, "  ! %s: used ring check failed (%u mismatches): %s\n",
				d->name, bad, err);
			s->verify_failures++;
			ret = CTB_EXIT_VERIFY;
		}
	}
	if (pmu && pmu->n) {
		struct ctb_row *rr = &s->rows[s->nrows - 1];

		count_events(s, opi, p, &vq, rs, pmu, iterations,
			     r.samples_done, rr->events, sizeof(rr->events));
	}
	if (s->fmt == CTB_OUT_TABLE) {
		if (s->header_pending)
			ctb_print_header(s);
		ctb_print_row(s, &s->rows[s->nrows - 1]);
	}
	if (ctb_stats_ci_wide(&s->rows[s->nrows - 1].st))
		fprintf(s->out, "  ! %s: 95%% CI wider than 10%% of the median\n",
			d->name);
out:
	if (spinning)
		ctb_spinners_stop(&spin);
	free(smp);
	free(base);
	ctb_vq_free(&vq);
	return ret;
}

int ctb_run_op_spec(struct ctb_session *s, uint32_t opi,
		    const struct ctb_runspec *rs, int explicit_op,
		    struct ctb_pmu *pmu)
{
	const struct cachetlb_op_desc *d = &s->dev.ops[opi];
	uint32_t counts[CTB_MAX_LIST], states[CACHETLB_STATE_MAX];
	size_t nc = 0, ns = 0;
	struct run_params p;
	char err[CTB_ERRLEN];
	int worst = 0, cpu = -1;

	memset(&p, 0, sizeof(p));
	if (!d->supported) {
		note(s, d->name, &p, "unsupported: ", d->reason[0] ?
		     d->reason : "(no reason given)");
		s->unsupported++;
		return CTB_EXIT_UNSUPPORTED;
	}
	if (d->uses & CACHETLB_USES_COUNT) {
		if (rs->ncounts) {
			for (size_t i = 0; i < rs->ncounts; i++) {
				if (rs->counts[i] < d->count_min ||
				    rs->counts[i] > d->count_max) {
					snprintf(err, sizeof(err),
						 "%s %u: %s takes %u..%u %s",
						 rs->counts_are_pages ?
						 "--pages" : "--count",
						 rs->counts[i], d->name,
						 d->count_min, d->count_max,
						 d->unit);
					if (explicit_op) {
						fprintf(stderr, "ctbench: %s\n",
							err);
						return CTB_EXIT_USAGE;
					}
					fprintf(s->out, "  %s: skipped %s\n",
						d->name, err);
					s->skipped++;
					continue;
				}
				counts[nc++] = rs->counts[i];
			}
			if (!nc)
				return 0;
		} else {
			counts[nc++] = d->count_min ? d->count_min : 1;
		}
	} else {
		if (rs->ncounts && explicit_op) {
			fprintf(stderr,
				"ctbench: %s does not take --count/--pages (it uses no count)\n",
				d->name);
			return CTB_EXIT_USAGE;
		}
		counts[nc++] = 0;
	}
	if ((d->uses & CACHETLB_USES_STATE) && rs->nstates) {
		memcpy(states, rs->states, rs->nstates * sizeof(states[0]));
		ns = rs->nstates;
	} else {
		if (rs->nstates && explicit_op && !(d->uses &
						     CACHETLB_USES_STATE)) {
			fprintf(stderr, "ctbench: %s does not take --state\n",
				d->name);
			return CTB_EXIT_USAGE;
		}
		states[ns++] = CACHETLB_STATE_ANY;
	}
	if (explicit_op && rs->opflags &&
	    !(d->uses & CACHETLB_USES_OPFLAGS)) {
		fprintf(stderr, "ctbench: %s does not take --opflags\n",
			d->name);
		return CTB_EXIT_USAGE;
	}
	if (explicit_op && rs->aux && !(d->uses & CACHETLB_USES_AUX)) {
		fprintf(stderr, "ctbench: %s does not take --aux\n", d->name);
		return CTB_EXIT_USAGE;
	}
	if (s->topo_ok) {
		if (ctb_topo_pick_cpu(&s->topo, rs->cpu, &cpu, err,
				      sizeof(err))) {
			fprintf(stderr, "ctbench: %s\n", err);
			return CTB_EXIT_USAGE;
		}
		if (ctb_topo_bind_self(&s->topo, cpu, err, sizeof(err)))
			fprintf(s->out, "  ! %s (the module still pins the RUN)\n",
				err);
	} else {
		cpu = rs->cpu;
	}
	p.cpu = cpu;
	p.aux = rs->aux;
	p.opflags = rs->opflags;
	p.span = rs->span;
	if (d->uses & CACHETLB_USES_TARGETS) {
		const char *pol = rs->targets[0] ? rs->targets : "all";

		if (!s->topo_ok) {
			struct ctb_cpumask m;

			if (ctb_cpulist_parse(pol, &m, err, sizeof(err))) {
				fprintf(s->out, "  %s: skipped: targets '%s' need hwloc: %s\n",
					d->name, pol, err);
				s->skipped++;
				return explicit_op ? CTB_EXIT_USAGE : 0;
			}
			p.targets = m;
			ctb_cpulist_format(&m, p.targets_str,
					   sizeof(p.targets_str));
		} else if (ctb_topo_targets(&s->topo, cpu, pol, &p.targets,
					    p.targets_str,
					    sizeof(p.targets_str), err,
					    sizeof(err))) {
			if (explicit_op) {
				fprintf(stderr, "ctbench: %s\n", err);
				return CTB_EXIT_USAGE;
			}
			fprintf(s->out, "  %s: skipped: %s\n", d->name, err);
			s->skipped++;
			return 0;
		}
		p.has_targets = 1;
		snprintf(s->targets_policy, sizeof(s->targets_policy), "%s",
			 pol);
		s->busy_targets = rs->busy_targets;
	} else if (explicit_op && rs->targets[0]) {
		fprintf(stderr, "ctbench: %s does not take --targets\n",
			d->name);
		return CTB_EXIT_USAGE;
	}
	for (size_t ci = 0; ci < nc && !ctb_interrupted(); ci++) {
		for (size_t si = 0; si < ns && !ctb_interrupted(); si++) {
			int ret;

			p.count = counts[ci];
			p.state = states[si];
			ret = run_one(s, opi, &p, rs, pmu);
			if (ret > worst)
				worst = ret;
			if (ret == CTB_EXIT_UNSUPPORTED)
				return ret;	/* the op, not a parameter */
		}
	}
	return worst;
}

int ctb_session_run(struct ctb_session *s, const struct ctb_runspec *rs)
{
	struct ctb_pmu pmu;
	char err[CTB_ERRLEN];
	int worst = 0, found = 0;

	memset(&pmu, 0, sizeof(pmu));
	if (rs->events[0] && ctb_pmu_setup(&pmu, rs->events, err,
					   sizeof(err))) {
		fprintf(stderr, "ctbench: %s\n", err);
		return CTB_EXIT_USAGE;
	}
	s->header_pending = 1;
	if (rs->op[0]) {
		int opi = ctb_dev_find_op(&s->dev, rs->op);

		if (opi < 0) {
			fprintf(stderr, "ctbench: unknown op '%s' (see `ctbench list` for the %u ops)\n",
				rs->op, s->dev.nops);
			ctb_pmu_close(&pmu);
			return CTB_EXIT_USAGE;
		}
		worst = ctb_run_op_spec(s, (uint32_t)opi, rs, 1, &pmu);
	} else {
		for (uint32_t i = 0; i < s->dev.nops && !ctb_interrupted(); i++) {
			int ret;

			if ((int)s->dev.ops[i].family != rs->family)
				continue;
			found++;
			ret = ctb_run_op_spec(s, i, rs, 0, &pmu);
			/* unsupported ops in a family are listed, not fatal */
			if (ret == CTB_EXIT_UNSUPPORTED)
				ret = 0;
			if (ret > worst)
				worst = ret;
		}
		if (!found)
			fprintf(s->out, "  family %s: the module has no ops\n",
				ctb_family_name((uint32_t)rs->family));
	}
	ctb_pmu_close(&pmu);
	return worst;
}

