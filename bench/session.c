// SPDX-License-Identifier: GPL-2.0
/*
 * A ctbench session: the device, topology, emulation decision, signal
 * handling, the rows collected and their table output.
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

#include "env.h"
#include "pmu.h"
#include "stats.h"
#include "suite.h"
#include "run.h"

/* ----------------------------------------------------------------------
 * Emulation, names
 */

int ctb_detect_emulation(const char *env, uint32_t hypervisor,
			 const char *hint, char *reason, size_t len)
{
	if (env && !strcmp(env, "qemu-tcg")) {
		snprintf(reason, len, "CTB_EMULATION=qemu-tcg (set by the QEMU harness)");
		return 1;
	}
	if (hypervisor == CACHETLB_HYP_PRESENT &&
	    (ctb_has_ci(hint, "qemu") || ctb_has_ci(hint, "tcg"))) {
		snprintf(reason, len, "hypervisor present with a QEMU/TCG hint: %s",
			 hint);
		return 1;
	}
	snprintf(reason, len, "native execution, not emulated: hypervisor %s%s%s",
		 ctb_hyp_name(hypervisor), hint && hint[0] ? ": " : "",
		 hint ? hint : "");
	return 0;
}

static void sanitize(char *dst, size_t len, const char *src)
{
	size_t i;

	for (i = 0; src[i] && i + 1 < len; i++) {
		unsigned char c = (unsigned char)src[i];

		dst[i] = (isalnum(c) || c == '.' || c == '_' || c == '+' ||
			  c == '-') ? (char)c : '_';
	}
	dst[i] = '\0';
}

void ctb_set_name(char *buf, size_t len, long long utc_seconds,
		  const char *host, const char *arch, const char *release,
		  int emulated)
{
	time_t t = (time_t)utc_seconds;
	struct tm tm;
	char ts[32], h[64], a[32], r[96];

	gmtime_r(&t, &tm);
	strftime(ts, sizeof(ts), "%Y%m%dT%H%M%SZ", &tm);
	sanitize(h, sizeof(h), host && *host ? host : "unknown");
	sanitize(a, sizeof(a), arch && *arch ? arch : "unknown");
	sanitize(r, sizeof(r), release && *release ? release : "unknown");
	snprintf(buf, len, "%s-%s-%s-%s%s", ts, h, a, r,
		 emulated ? "-emulated" : "");
}

/* ----------------------------------------------------------------------
 * Session
 */

/*
 * SIGINT/SIGTERM during a run: the module returns EINTR from RUN with the
 * samples taken so far; the driver stops starting new runs and still
 * writes what it measured (meta "interrupted": true). The signal number is
 * the only process-global state of ctbench.
 */
static volatile sig_atomic_t ctb_signalled;

static void on_signal(int sig)
{
	ctb_signalled = sig;
}

int ctb_interrupted(void)
{
	return ctb_signalled;
}

static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: RUN returns EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int ctb_session_open(struct ctb_session *s, FILE *out, char *err, size_t len)
{
	char terr[CTB_ERRLEN];
	int ret;

	memset(s, 0, sizeof(*s));
	s->dev.fd = -1;
	s->out = out;
	s->cpu = -1;
	ret = ctb_dev_open(&s->dev, NULL, err, len);
	if (ret)
		return ret;
	catch_signals();
	if (geteuid() == 0) {
		int bad = ctb_dev_resolve_all(&s->dev, s->kallsyms, out,
					      s->verbose);

		if (bad > 0)
			fprintf(out, "ctbench: %d kernel symbol(s) not resolved; ops needing them are listed as unsupported\n",
				bad);
	} else {
		fprintf(out, "ctbench: not root: kernel symbols are not resolved, ops needing them stay unsupported\n");
	}
	s->emulated = ctb_detect_emulation(getenv("CTB_EMULATION"),
					   s->dev.info.hypervisor,
					   s->dev.info.hypervisor_hint,
					   s->emulation_reason,
					   sizeof(s->emulation_reason));
	if (ctb_topo_init(&s->topo, terr, sizeof(terr)) == 0)
		s->topo_ok = 1;
	else
		fprintf(out, "ctbench: %s: CPU placement unavailable\n", terr);
	ctb_pmu_detect(s->pmu, sizeof(s->pmu));
	{
		char why[128];

		if (!ctb_pmu_probe(why, sizeof(why)) &&
		    strncmp(s->pmu, "n/a", 3)) {
			char tmp[256];

			snprintf(tmp, sizeof(tmp), "n/a: %.100s (libpfm4 knows %.120s)",
				 why, s->pmu);
			snprintf(s->pmu, sizeof(s->pmu), "%s", tmp);
		}
	}
	return 0;
}

void ctb_session_close(struct ctb_session *s)
{
	ctb_rows_free(s->rows, s->nrows);
	s->rows = NULL;
	s->nrows = s->cap = 0;
	if (s->topo_ok)
		ctb_topo_fini(&s->topo);
	s->topo_ok = 0;
	ctb_dev_close(&s->dev);
}

static void fmt_ns(char *buf, size_t len, double v)
{
	if (!isfinite(v))
		snprintf(buf, len, "-");
	else if (fabs(v) < 10)
		snprintf(buf, len, "%.2f", v);
	else if (fabs(v) < 1000)
		snprintf(buf, len, "%.1f", v);
	else
		snprintf(buf, len, "%.0f", v);
}

int ctb_op_width(const struct ctb_session *s)
{
	size_t w = 26;

	for (uint32_t i = 0; i < s->dev.nops; i++)
		if (strnlen(s->dev.ops[i].name, sizeof(s->dev.ops[i].name)) > w)
			w = strnlen(s->dev.ops[i].name,
				    sizeof(s->dev.ops[i].name));
	for (size_t i = 0; i < s->nrows; i++)	/* rows of older modules */
		if (strlen(s->rows[i].op) > w)
			w = strlen(s->rows[i].op);
	return (int)w;
}

/* gross, net, CI and spread: ns per iteration of the op (the median) */
void ctb_print_header(struct ctb_session *s)
{
	s->header_pending = 0;
	ctb_progress_clear();
	fprintf(s->out, "%-*s %5s %5s %-8s %-11s %-7s %9s %16s %21s %21s %14s %-4s %6s\n",
		ctb_op_width(s), "op", "N", "aux", "state", "opflags",
		"targets", "gross ns", "net ns", "net CI ns", "spread ns",
		"ns per unit", "noop", "RxS");
}

static void fmt_range(char *buf, size_t len, double lo, double hi)
{
	char a[20], b[20];

	fmt_ns(a, sizeof(a), lo);
	fmt_ns(b, sizeof(b), hi);
	snprintf(buf, len, "[%s, %s]", a, b);
}

void ctb_print_row(struct ctb_session *s, const struct ctb_row *r)
{
	char med[24], net[48], ci[48], sp[48], pu[48], pv[24], rxs[24];

	fmt_ns(med, sizeof(med), r->st.median);
	ctb_row_net_text(net, sizeof(net), r, fmt_ns);
	if (r->rep.below_floor)
		snprintf(ci, sizeof(ci), "-");
	else
		fmt_range(ci, sizeof(ci), r->rep.ci_lo, r->rep.ci_hi);
	fmt_range(sp, sizeof(sp), r->rep.spread_lo, r->rep.spread_hi);
	if (strcmp(r->per_unit_name, "-") && isfinite(r->per_unit)) {
		fmt_ns(pv, sizeof(pv), r->per_unit);
		snprintf(pu, sizeof(pu), "%s %s", pv, r->per_unit_name + 3);
	} else {
		snprintf(pu, sizeof(pu), "-");
	}
	snprintf(rxs, sizeof(rxs), "%zux%zu", r->rep.rounds,
		 r->rep.rounds ? r->st.n / r->rep.rounds : r->st.n);
	ctb_progress_clear();
	fprintf(s->out, "%-*s %5u %5u %-8s %-11s %-7s %9s %16s %21s %21s %14s %-4s %6s\n",
		ctb_op_width(s), r->op, r->count, r->aux, r->state, r->opflags, r->targets, med,
		net, ci, sp, pu, r->noop, rxs);
	if (r->events[0])
		fprintf(s->out, "  events: %s\n", r->events);
}

int ctb_progress_plan(struct ctb_session *s,
		      int (*plan)(struct ctb_session *s, void *arg), void *arg)
{
	FILE *out = s->out, *null = fopen("/dev/null", "w");
	unsigned int n;
	int ret;

	if (!null)
		return 0;
	s->out = null;
	s->round = 0;
	ctb_progress_count_begin();
	ret = plan(s, arg);
	n = ctb_progress_count_end();
	s->out = out;
	fclose(null);
	/* the counters of the real rounds start from zero */
	s->unsupported = 0;
	s->skipped = 0;
	ctb_progress_start(n * s->rounds);
	return ret;
}

/*
 * Rounds before the last one print to /dev/null: the rows, notes and
 * skips of every round are the same, and the table shows the final
 * statistics. Failures still count in every round; the unsupported and
 * skipped counters are those of the last round.
 */
void ctb_round_begin(struct ctb_session *s, FILE *real, FILE *null)
{
	int last = s->round + 1 >= s->rounds;

	s->out = last || !null ? real : null;
	if (last) {
		s->unsupported = 0;
		s->skipped = 0;
	}
	/* the progress line shows the round on a shared terminal */
	if (s->rounds > 1 && !ctb_progress_shares(real))
		fprintf(real, "%sround %u of %u%s", s->round ? ", " : "  [",
			s->round + 1, s->rounds, last ? "]\n" : "");
	fflush(real);
}

int ctb_session_rounds(struct ctb_session *s,
		       int (*round)(struct ctb_session *s, void *arg),
		       int (*stop)(int status, void *arg), void *arg)
{
	FILE *real = s->out;
	FILE *null = s->rounds > 1 ? fopen("/dev/null", "w") : NULL;
	int worst = 0;

	for (s->round = 0; s->round < s->rounds && !ctb_interrupted();
	     s->round++) {
		int ret;

		if (s->round_hook)
			s->round_hook(s, s->round_hook_arg);
		ctb_round_begin(s, real, null);
		ret = round(s, arg);
		if (ret > worst)
			worst = ret;
		if (stop && stop(ret, arg))
			break;
	}
	ctb_progress_end();
	s->out = real;
	if (null)
		fclose(null);
	return worst;
}

void ctb_session_print_rows(struct ctb_session *s, FILE *f, size_t from)
{
	FILE *o = s->out;

	s->out = f;
	ctb_print_header(s);
	for (size_t i = from; i < s->nrows; i++)
		ctb_print_row(s, &s->rows[i]);
	s->out = o;
}

