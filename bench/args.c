// SPDX-License-Identifier: GPL-2.0
/*
 * ctbench option values: numbers, lists, states, opflags, and the
 * arguments of `ctbench run`.
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

#include "opts.h"
#include "pmu.h"
#include "stats.h"
#include "suite.h"
#include "run.h"


int ctb_parse_u32(const char *s, const char *opt, uint32_t min, uint32_t max,
		  uint32_t *out, char *err, size_t len)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || !isdigit((unsigned char)*s)) {
		snprintf(err, len, "%s '%s': not a number (valid %u..%u)", opt,
			 s ? s : "", min, max);
		return CTB_EXIT_USAGE;
	}
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end || errno) {
		snprintf(err, len, "%s '%s': not a number (valid %u..%u)", opt,
			 s, min, max);
		return CTB_EXIT_USAGE;
	}
	if (v < min || v > max) {
		snprintf(err, len, "%s %llu: out of range (valid %u..%u)", opt,
			 v, min, max);
		return CTB_EXIT_USAGE;
	}
	*out = (uint32_t)v;
	return 0;
}

static int list_push(uint32_t v, uint32_t *out, size_t max_n, size_t *n,
		     const char *opt, char *err, size_t len)
{
	for (size_t i = 0; i < *n; i++)
		if (out[i] == v)
			return 0;
	if (*n >= max_n) {
		snprintf(err, len, "%s: more than %zu values", opt, max_n);
		return CTB_EXIT_USAGE;
	}
	out[(*n)++] = v;
	return 0;
}

/*
 * fn(arg, tok, err, len) for every token of s between any of delims, on a
 * copy (fn may modify tok), until one returns nonzero: that status;
 * CTB_EXIT_FAIL with err set when out of memory.
 */
static int each_token(const char *s, const char *delims,
		      int (*fn)(void *arg, char *tok, char *err, size_t len),
		      void *arg, char *err, size_t len)
{
	char *copy = strdup(s), *save = NULL, *tok;
	int ret = 0;

	if (!copy) {
		snprintf(err, len, "out of memory");
		return CTB_EXIT_FAIL;
	}
	for (tok = strtok_r(copy, delims, &save); tok && !ret;
	     tok = strtok_r(NULL, delims, &save))
		ret = fn(arg, tok, err, len);
	free(copy);
	return ret;
}

/* ctb_parse_u32_list's arguments, for its per-item helpers. */
struct u32_list {
	const char *opt;
	uint32_t min, max;
	uint32_t *out;
	size_t max_n, *n;
	char *err;
	size_t len;
};

static int u32_push(struct u32_list *l, uint32_t v)
{
	return list_push(v, l->out, l->max_n, l->n, l->opt, l->err, l->len);
}

/* A..B: powers of two from A (A == 0 adds 0 then 1); A-B: every value. */
static int u32_range(struct u32_list *l, uint32_t a, uint32_t b, int dots)
{
	int ret = 0;

	if (a > b) {
		snprintf(l->err, l->len,
			 "%s: range %u%s%u is descending (valid values %u..%u)",
			 l->opt, a, dots ? ".." : "-", b, l->min, l->max);
		return CTB_EXIT_USAGE;
	}
	if (dots) {
		uint64_t v = a;

		if (!v) {
			ret = u32_push(l, 0);
			v = 1;
		}
		for (; !ret && v <= b; v *= 2)
			ret = u32_push(l, (uint32_t)v);
		return ret;
	}
	if ((uint64_t)b - a >= l->max_n) {
		snprintf(l->err, l->len,
			 "%s: range %u-%u has more than %zu values",
			 l->opt, a, b, l->max_n);
		return CTB_EXIT_USAGE;
	}
	for (uint64_t v = a; !ret && v <= b; v++)
		ret = u32_push(l, (uint32_t)v);
	return ret;
}

/* One comma-separated item: a number, A-B or A..B (tok is modified). */
static int u32_item(void *arg, char *tok, char *err, size_t len)
{
	struct u32_list *l = arg;
	char *dots = strstr(tok, "..");
	char *dash = strchr(tok, '-');
	char *sep = dots ? dots : dash;
	uint32_t a, b;
	int ret;

	if (sep && (!isdigit((unsigned char)tok[0]) ||
		    !isdigit((unsigned char)(dots ? dots[2] : dash[1])))) {
		/* "-5", "5-", "..8": name the whole value */
		snprintf(err, len,
			 "%s '%s': not a number (valid %u..%u; ranges A-B or A..B)",
			 l->opt, tok, l->min, l->max);
		return CTB_EXIT_USAGE;
	}
	if (!sep) {
		ret = ctb_parse_u32(tok, l->opt, l->min, l->max, &a, err,
				    len);
		return ret ? ret : u32_push(l, a);
	}
	*sep = '\0';
	ret = ctb_parse_u32(tok, l->opt, l->min, l->max, &a, err, len);
	if (!ret)
		ret = ctb_parse_u32(sep + (dots ? 2 : 1), l->opt, l->min,
				    l->max, &b, err, len);
	return ret ? ret : u32_range(l, a, b, !!dots);
}

int ctb_parse_u32_list(const char *s, const char *opt, uint32_t min,
		       uint32_t max, uint32_t *out, size_t max_n, size_t *n,
		       char *err, size_t len)
{
	struct u32_list l = { opt, min, max, out, max_n, n, err, len };
	int ret;

	*n = 0;
	if (!s || !*s) {
		snprintf(err, len, "%s: empty list (valid values %u..%u)", opt,
			 min, max);
		return CTB_EXIT_USAGE;
	}
	ret = each_token(s, ",", u32_item, &l, err, len);
	if (!ret && !*n) {
		snprintf(err, len, "%s '%s': no values (valid %u..%u)", opt, s,
			 min, max);
		ret = CTB_EXIT_USAGE;
	}
	return ret;
}

/* ctb_parse_states' output, for state_item. */
struct state_list {
	uint32_t *out;
	size_t *n;
};

static int state_item(void *arg, char *tok, char *err, size_t len)
{
	struct state_list *l = arg;
	uint32_t st;

	for (st = 0; st < CACHETLB_STATE_MAX; st++)
		if (!strcmp(tok, ctb_state_name(st)))
			break;
	if (st == CACHETLB_STATE_MAX) {
		snprintf(err, len,
			 "--state '%s': unknown (valid: any, clean, dirty, uncached)",
			 tok);
		return CTB_EXIT_USAGE;
	}
	return list_push(st, l->out, CACHETLB_STATE_MAX, l->n, "--state",
			 err, len);
}

int ctb_parse_states(const char *s, uint32_t *out, size_t *n, char *err,
		     size_t len)
{
	struct state_list l = { out, n };
	int ret;

	*n = 0;
	ret = each_token(s, ",", state_item, &l, err, len);
	if (!ret && !*n) {
		snprintf(err, len,
			 "--state: empty (valid: any, clean, dirty, uncached)");
		ret = CTB_EXIT_USAGE;
	}
	return ret;
}

static const struct {
	const char *name;
	uint32_t bit;
} opflag_names[] = {
	{ "vmap", CACHETLB_OPF_VMAP },
	{ "double", CACHETLB_OPF_DOUBLE },
	{ "cold", CACHETLB_OPF_COLD },
	{ "verify", CACHETLB_OPF_VERIFY },
};

/* ctb_parse_opflags' output, for opflag_item. */
struct opflag_set {
	uint32_t *opflags;
	int *span;
};

static int opflag_item(void *arg, char *tok, char *err, size_t len)
{
	struct opflag_set *o = arg;
	size_t i, nf = sizeof(opflag_names) / sizeof(opflag_names[0]);

	if (!strcmp(tok, "span")) {
		*o->span = 1;
		return 0;
	}
	if (!strcmp(tok, "-"))
		return 0;
	for (i = 0; i < nf; i++)
		if (!strcmp(tok, opflag_names[i].name))
			break;
	if (i == nf) {
		snprintf(err, len,
			 "--opflags '%s': unknown flag (valid: vmap, double, cold, verify, span)",
			 tok);
		return CTB_EXIT_USAGE;
	}
	*o->opflags |= opflag_names[i].bit;
	return 0;
}

int ctb_parse_opflags(const char *s, uint32_t *opflags, int *span, char *err,
		      size_t len)
{
	struct opflag_set o = { opflags, span };

	*opflags = 0;
	*span = 0;
	return each_token(s, ",+", opflag_item, &o, err, len);
}

void ctb_runspec_init(struct ctb_runspec *rs)
{
	memset(rs, 0, sizeof(*rs));
	rs->family = -1;
	rs->cpu = -1;
	rs->samples = 15;
	rs->warmup = 3;
	rs->rounds = CTB_DEFAULT_ROUNDS;
}

/* What the run option table stores into (offsets below). */
struct run_ctx {
	struct ctb_runspec rs;
	int fmt;			/* enum ctb_outfmt */
	const char *dir;
	int have_counts;
};

static int opt_family(void *ctx, const char *opt, const char *v, char *err,
		      size_t len)
{
	struct run_ctx *c = ctx;

	c->rs.family = ctb_family_from_name(v);
	if (c->rs.family < 0) {
		snprintf(err, len,
			 "%s '%s': unknown (valid: core, uaccess, cache, tlb)",
			 opt, v);
		return CTB_EXIT_USAGE;
	}
	return 0;
}

static int set_counts(struct run_ctx *c, int pages, const char *opt,
		      const char *v, char *err, size_t len)
{

	if (c->have_counts) {
		snprintf(err, len, "%s: give either --pages or --count, once",
			 opt);
		return CTB_EXIT_USAGE;
	}
	c->have_counts = 1;
	c->rs.counts_are_pages = pages;
	return ctb_parse_u32_list(v, opt, 1, pages ? CACHETLB_MAX_PAGES :
				  CACHETLB_MAX_COUNT, c->rs.counts,
				  CTB_MAX_LIST, &c->rs.ncounts, err, len);
}

static int opt_pages(void *ctx, const char *opt, const char *v, char *err,
		     size_t len)
{
	return set_counts(ctx, 1, opt, v, err, len);
}

static int opt_count(void *ctx, const char *opt, const char *v, char *err,
		     size_t len)
{
	return set_counts(ctx, 0, opt, v, err, len);
}

static int opt_state(void *ctx, const char *opt, const char *v, char *err,
		     size_t len)
{
	struct run_ctx *c = ctx;

	(void)opt;
	return ctb_parse_states(v, c->rs.states, &c->rs.nstates, err, len);
}

static int opt_opflags(void *ctx, const char *opt, const char *v, char *err,
		       size_t len)
{
	struct run_ctx *c = ctx;

	(void)opt;
	return ctb_parse_opflags(v, &c->rs.opflags, &c->rs.span, err, len);
}

static int opt_cpu(void *ctx, const char *opt, const char *v, char *err,
		   size_t len)
{
	struct run_ctx *c = ctx;
	uint32_t cpu;
	int ret = ctb_parse_u32(v, opt, 0, CACHETLB_MAX_CPUS - 1, &cpu, err,
				len);

	if (!ret)
		c->rs.cpu = (int)cpu;
	return ret;
}

static int copy_str(char *dst, size_t size, const char *opt, const char *v,
		    char *err, size_t len)
{
	if (strlen(v) >= size) {
		/* the precision bounds it for GCC's 32-bit INT_MAX check */
		snprintf(err, len, "%s '%.*s': longer than %zu characters",
			 opt, CTB_ERRLEN, v, size - 1);
		return CTB_EXIT_USAGE;
	}
	strcpy(dst, v);
	return 0;
}

static int opt_targets(void *ctx, const char *opt, const char *v, char *err,
		       size_t len)
{
	struct run_ctx *c = ctx;

	return copy_str(c->rs.targets, sizeof(c->rs.targets), opt, v, err,
			len);
}

static int opt_events(void *ctx, const char *opt, const char *v, char *err,
		      size_t len)
{
	struct run_ctx *c = ctx;

	return copy_str(c->rs.events, sizeof(c->rs.events), opt, v, err, len);
}

#define RC struct run_ctx
static const struct ctb_opt run_opts[] = {
	CTB_OPT_FN_E("family", 0, "F", opt_family, "core,uaccess,cache,tlb",
		     "every op of family F instead of one OP"),
	CTB_OPT_FN_E("pages", 0, "LIST", opt_pages, NULL,
		     "N in pages: 1,16,64 or 1-8 or 1..2048 (powers of two), values 1..4096"),
	CTB_OPT_FN_E("count", 0, "LIST", opt_count, NULL,
		     "N as the op counts it (lines, bytes, entries), values 1..1048576"),
	CTB_OPT_U32_E("aux", 0, "N", RC, rs.aux, 1, UINT32_MAX,
		      "second size; uaccess: ring entries, default 256"),
	CTB_OPT_FN_E("state", 0, "S[,S]", opt_state, "any,clean,dirty,uncached",
		     "cache line state before each sample: any, clean, dirty, uncached"),
	CTB_OPT_FN_E("opflags", 0, "F[+F]", opt_opflags,
		     "vmap,double,cold,verify,span",
		     "vmap, double, cold, verify; span (as --span)"),
	CTB_OPT_FLAG_E("span", 0, RC, rs.span, 1,
		       "uaccess ring placed across a page boundary"),
	CTB_OPT_FN_E("cpu", 0, "N", opt_cpu, NULL,
		     "measuring CPU (default: the first allowed)"),
	CTB_OPT_FN_E("targets", 0, "P", opt_targets,
		     "sibling,core,package,all",
		     "remote ops: sibling, core, package, all or a CPU list"),
	CTB_OPT_FLAG_E("busy-targets", 0, RC, rs.busy_targets, 1,
		       "pin a spinning thread on every target CPU (needs --targets)"),
	CTB_OPT_FN_E("events", 0, "LIST", opt_events, NULL,
		     "PMU events (libpfm4 names), e.g. cycles,instructions"),
	CTB_OPT_U32_E("rounds", 0, "R", RC, rs.rounds, 1, CTB_MAX_ROUNDS,
		      "independent rounds, interleaved across ops; CI and spread over rounds, default 6"),
	CTB_OPT_STR_E("knob", 0, "NAME=V1,V2", RC, rs.knob,
		      "tlb_single_page_flush_ceiling=",
		      "R rounds under each of two knob settings, alternating; two result sets (needs -o)"),
	CTB_OPT_U32_E("samples", 0, "S", RC, rs.samples, 1,
		      CACHETLB_MAX_SAMPLES, "samples per round, default 15"),
	CTB_OPT_U32_E("warmup", 0, "W", RC, rs.warmup, 0, CACHETLB_MAX_WARMUP,
		      "warm-up samples per round, default 3"),
	CTB_OPT_U32_E("iterations", 0, "I", RC, rs.iterations, 1,
		      CACHETLB_MAX_ITERATIONS,
		      "per sample; default calibrated (1 with a line state, double, cold, refill)"),
	CTB_OPT_U32_E("time-limit", 0, "MS", RC, rs.time_limit_ms, 1, 3600000,
		      "per RUN cap in ms, default the module's"),
	CTB_OPT_FLAG_E("irqs-off", 0, RC, rs.irqs_off, 1,
		       "interrupts off around each sample"),
	CTB_OPT_FLAG_E("json", 0, RC, fmt, CTB_OUT_JSON,
		       "rows to stdout as JSON (text to stderr)"),
	CTB_OPT_FLAG_E("csv", 0, RC, fmt, CTB_OUT_CSV,
		       "rows to stdout as CSV (text to stderr)"),
	CTB_OPT_STR_E("output", 'o', "DIR", RC, dir, NULL,
		      "also write a result set below DIR"),
	{ NULL }
};
#undef RC

const struct ctb_cmdspec ctb_run_spec = {
	.name = "run",
	.synopsis = "OP|--family F [OPTIONS]",
	.summary = "Run one op, or every op of a family, and print a row per parameter combination.",
	.opts = run_opts,
	.args = "ops",
	.notes = "Parameters an op does not take are skipped for --family and an\n"
		 "error for a named OP. See `ctbench list` for the ops.\n",
};

static int run_positional(void *ctx, const char *a, char *err, size_t len)
{
	struct run_ctx *c = ctx;

	if (c->rs.op[0]) {
		snprintf(err, len,
			 "run: unexpected argument '%s' (one OP or --family F)",
			 a);
		return CTB_EXIT_USAGE;
	}
	if (strlen(a) >= sizeof(c->rs.op)) {
		snprintf(err, len, "op name '%.*s' longer than %zu characters",
			 CTB_ERRLEN, a, sizeof(c->rs.op) - 1);
		return CTB_EXIT_USAGE;
	}
	strcpy(c->rs.op, a);
	return 0;
}

int ctb_parse_run_args(int argc, char **argv, struct ctb_runspec *rs,
		       struct ctb_runout *out, char *err, size_t len)
{
	struct run_ctx c = { .fmt = CTB_OUT_TABLE };
	int ret;

	ctb_runspec_init(&c.rs);
	ret = ctb_opts_parse(&ctb_run_spec, argc, argv, &c, run_positional,
			     err, len);
	*rs = c.rs;
	memset(out, 0, sizeof(*out));
	out->fmt = (enum ctb_outfmt)c.fmt;
	out->dir = c.dir;
	if (ret)
		return ret;
	if (!rs->op[0] && rs->family < 0) {
		snprintf(err, len, "run: give an OP name or --family F");
		return CTB_EXIT_USAGE;
	}
	if (rs->op[0] && rs->family >= 0) {
		snprintf(err, len,
			 "run: give either an OP name ('%s') or --family, not both",
			 rs->op);
		return CTB_EXIT_USAGE;
	}
	if (rs->busy_targets && !rs->targets[0]) {
		snprintf(err, len, "--busy-targets needs --targets");
		return CTB_EXIT_USAGE;
	}
	return 0;
}
