// SPDX-License-Identifier: GPL-2.0
/*
 * ctbench plan: a run specification (an op, or every op of a family) is
 * checked against what each op takes and expanded into the parameter
 * combinations ctb_run_one() measures, one row each.
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

/* Parameter lists of one op expanded from a run spec. */
struct spec_plan {
	uint32_t counts[CTB_MAX_LIST], states[CACHETLB_STATE_MAX];
	size_t nc, ns;
};

static int usage_err(const char *what, const char *name)
{
	fprintf(stderr, "ctbench: %s does not take %s\n", name, what);
	return CTB_EXIT_USAGE;
}

/*
 * The counts of the spec that op d takes; a count out of the op's range
 * is a usage error for a named op and a skip in a family sweep. Returns
 * 0, -1 when nothing is left to run, or CTB_EXIT_USAGE.
 */
static int spec_counts(struct ctb_session *s, const struct cachetlb_op_desc *d,
		       const struct ctb_runspec *rs, int explicit_op,
		       struct spec_plan *pl)
{
	char err[CTB_ERRLEN];

	if (!(d->uses & CACHETLB_USES_COUNT)) {
		if (rs->ncounts && explicit_op)
			return usage_err("--count/--pages (it uses no count)",
					 d->name);
		pl->counts[pl->nc++] = 0;
		return 0;
	}
	if (!rs->ncounts) {
		pl->counts[pl->nc++] = d->count_min ? d->count_min : 1;
		return 0;
	}
	for (size_t i = 0; i < rs->ncounts; i++) {
		if (rs->counts[i] >= d->count_min &&
		    rs->counts[i] <= d->count_max) {
			pl->counts[pl->nc++] = rs->counts[i];
			continue;
		}
		snprintf(err, sizeof(err), "%s %u: %s takes %u..%u %s",
			 rs->counts_are_pages ? "--pages" : "--count",
			 rs->counts[i], d->name, d->count_min, d->count_max,
			 d->unit);
		if (explicit_op) {
			fprintf(stderr, "ctbench: %s\n", err);
			return CTB_EXIT_USAGE;
		}
		fprintf(s->out, "  %s: skipped %s\n", d->name, err);
		s->skipped++;
	}
	return pl->nc ? 0 : -1;
}

/* States to sweep, and the parameters a named op must not be given. */
static int spec_states(const struct cachetlb_op_desc *d,
		       const struct ctb_runspec *rs, int explicit_op,
		       struct spec_plan *pl)
{
	if ((d->uses & CACHETLB_USES_STATE) && rs->nstates) {
		memcpy(pl->states, rs->states,
		       rs->nstates * sizeof(pl->states[0]));
		pl->ns = rs->nstates;
	} else {
		if (rs->nstates && explicit_op)
			return usage_err("--state", d->name);
		pl->states[pl->ns++] = CACHETLB_STATE_ANY;
	}
	if (explicit_op && rs->opflags && !(d->uses & CACHETLB_USES_OPFLAGS))
		return usage_err("--opflags", d->name);
	if (explicit_op && rs->aux && !(d->uses & CACHETLB_USES_AUX))
		return usage_err("--aux", d->name);
	return 0;
}

/* The measuring CPU, and this thread bound next to it. */
static int spec_cpu(struct ctb_session *s, const struct ctb_runspec *rs,
		    int *cpu)
{
	char err[CTB_ERRLEN];

	if (!s->topo_ok) {
		*cpu = rs->cpu;
		return 0;
	}
	if (ctb_topo_pick_cpu(&s->topo, rs->cpu, cpu, err, sizeof(err))) {
		fprintf(stderr, "ctbench: %s\n", err);
		return CTB_EXIT_USAGE;
	}
	if (ctb_topo_bind_self(&s->topo, *cpu, err, sizeof(err)))
		fprintf(s->out, "  ! %s (the module still pins the RUN)\n", err);
	return 0;
}

/*
 * Target CPUs of a cross-CPU op from the policy or list (hwloc, or a
 * plain CPU list without it). Returns 0, -1 (skipped in a sweep) or
 * CTB_EXIT_USAGE.
 */
static int spec_targets(struct ctb_session *s, const struct cachetlb_op_desc *d,
			const struct ctb_runspec *rs, int explicit_op,
			struct run_params *p)
{
	const char *pol = rs->targets[0] ? rs->targets : "all";
	char err[CTB_ERRLEN];

	if (!(d->uses & CACHETLB_USES_TARGETS))
		return explicit_op && rs->targets[0] ?
		       usage_err("--targets", d->name) : 0;
	if (!s->topo_ok) {
		if (ctb_cpulist_parse(pol, &p->targets, err, sizeof(err))) {
			fprintf(s->out, "  %s: skipped: targets '%s' need hwloc: %s\n",
				d->name, pol, err);
			s->skipped++;
			return explicit_op ? CTB_EXIT_USAGE : -1;
		}
		ctb_cpulist_format(&p->targets, p->targets_str,
				   sizeof(p->targets_str));
	} else if (ctb_topo_targets(&s->topo, p->cpu, pol, &p->targets,
				    p->targets_str, sizeof(p->targets_str),
				    err, sizeof(err))) {
		if (explicit_op) {
			fprintf(stderr, "ctbench: %s\n", err);
			return CTB_EXIT_USAGE;
		}
		fprintf(s->out, "  %s: skipped: %s\n", d->name, err);
		s->skipped++;
		return -1;
	}
	p->has_targets = 1;
	snprintf(s->targets_policy, sizeof(s->targets_policy), "%s", pol);
	s->busy_targets = rs->busy_targets;
	return 0;
}

int ctb_run_op_spec(struct ctb_session *s, uint32_t opi,
		    const struct ctb_runspec *rs, int explicit_op,
		    struct ctb_pmu *pmu)
{
	const struct cachetlb_op_desc *d = &s->dev.ops[opi];
	struct spec_plan pl = { .nc = 0 };
	struct run_params p = { .aux = rs->aux, .opflags = rs->opflags,
				.span = rs->span };
	int worst = 0, ret;

	if (!d->supported) {
		/* no parameters were planned: the reason alone */
		ctb_run_note(s, d->name, NULL, "unsupported: ", d->reason[0] ?
		     d->reason : "(no reason given)");
		s->unsupported++;
		return CTB_EXIT_UNSUPPORTED;
	}
	/* the module refuses it (uapi: SLEEPS); say so before any RUN */
	if (rs->irqs_off && (d->props & CACHETLB_PROP_SLEEPS)) {
		if (explicit_op) {
			fprintf(stderr, "ctbench: --irqs-off: op %s may sleep (prop 'sleeps'), and a sleeping op cannot run with interrupts off; drop --irqs-off for it (`ctbench list` shows each op's props)\n",
				d->name);
			return CTB_EXIT_USAGE;
		}
		ctb_run_note(s, d->name, NULL, "skipped: ",
			     "may sleep, cannot run with --irqs-off");
		s->skipped++;
		return 0;
	}
	ret = spec_counts(s, d, rs, explicit_op, &pl);
	if (!ret)
		ret = spec_states(d, rs, explicit_op, &pl);
	if (!ret)
		ret = spec_cpu(s, rs, &p.cpu);
	if (!ret)
		ret = spec_targets(s, d, rs, explicit_op, &p);
	if (ret)
		return ret < 0 ? 0 : ret;
	for (size_t ci = 0; ci < pl.nc && !ctb_interrupted(); ci++) {
		for (size_t si = 0; si < pl.ns && !ctb_interrupted(); si++) {
			p.count = pl.counts[ci];
			p.state = pl.states[si];
			ret = ctb_run_one(s, opi, &p, rs, pmu);
			if (ret > worst)
				worst = ret;
			if (ret == CTB_EXIT_UNSUPPORTED)
				return ret;	/* the op, not a parameter */
		}
	}
	return worst;
}

/* One round of a specification: every op of it once. */
static int session_round(struct ctb_session *s, const struct ctb_runspec *rs,
			 struct ctb_pmu *pmu)
{
	int worst = 0, found = 0;

	if (rs->op[0]) {
		int opi = ctb_dev_find_op(&s->dev, rs->op);

		if (opi < 0) {
			fprintf(stderr, "ctbench: unknown op '%s' (see `ctbench list` for the %u ops)\n",
				rs->op, s->dev.nops);
			return CTB_EXIT_USAGE;
		}
		return ctb_run_op_spec(s, (uint32_t)opi, rs, 1, pmu);
	}
	for (uint32_t i = 0; i < s->dev.nops && !ctb_interrupted(); i++) {
		int ret;

		if ((int)s->dev.ops[i].family != rs->family)
			continue;
		found++;
		ret = ctb_run_op_spec(s, i, rs, 0, pmu);
		/* unsupported ops in a family are listed, not fatal */
		if (ret == CTB_EXIT_UNSUPPORTED)
			ret = 0;
		if (ret > worst)
			worst = ret;
	}
	if (!found && s->round + 1 >= s->rounds)
		fprintf(s->out, "  family %s: the module has no ops\n",
			ctb_family_name((uint32_t)rs->family));
	return worst;
}

/* The plan of one round, for ctb_progress_plan() */
struct round_args {
	const struct ctb_runspec *rs;
	struct ctb_pmu *pmu;
};

static int plan_round(struct ctb_session *s, void *arg)
{
	struct round_args *a = arg;

	return session_round(s, a->rs, a->pmu);
}

/* usage errors and unsupported single ops end the run */
static int stop_round(int ret, void *arg)
{
	struct round_args *a = arg;

	return ret == CTB_EXIT_USAGE ||
	       (a->rs->op[0] && ret == CTB_EXIT_UNSUPPORTED);
}

/*
 * rs->rounds rounds, interleaved across the spec's ops: round 1 of every
 * row, then round 2 ... (stats.c). The table is printed after the last.
 */
int ctb_session_run(struct ctb_session *s, const struct ctb_runspec *rs)
{
	struct ctb_pmu pmu;
	struct round_args a = { rs, &pmu };
	char err[CTB_ERRLEN];
	int worst;

	memset(&pmu, 0, sizeof(pmu));
	if (rs->events[0] && ctb_pmu_setup(&pmu, rs->events, err,
					   sizeof(err))) {
		fprintf(stderr, "ctbench: %s\n", err);
		return CTB_EXIT_USAGE;
	}
	s->header_pending = 1;
	s->rounds = rs->rounds ? rs->rounds : 1;
	if (rs->op[0]) {
		int opi = ctb_dev_find_op(&s->dev, rs->op);

		/* one pass prints the reason (rounds would hide it) */
		if (opi < 0 || !s->dev.ops[opi].supported)
			s->rounds = 1;
	}
	if (ctb_progress_wanted() &&
	    ctb_progress_plan(s, plan_round, &a) == CTB_EXIT_USAGE) {
		ctb_pmu_close(&pmu);	/* said once, in the count */
		return CTB_EXIT_USAGE;
	}
	worst = ctb_session_rounds(s, plan_round, stop_round, &a);
	if (s->round < s->rounds && s->nrows) {
		fprintf(s->out, "\n  ! stopped after %u of %u rounds\n",
			s->round, s->rounds);
		ctb_session_print_rows(s, s->out, 0);
	}
	ctb_pmu_close(&pmu);
	return worst;
}
