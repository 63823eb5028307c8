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

int ctb_parse_u32_list(const char *s, const char *opt, uint32_t min,
		       uint32_t max, uint32_t *out, size_t max_n, size_t *n,
		       char *err, size_t len)
{
	char *copy, *save = NULL, *tok;
	int ret = 0;

	*n = 0;
	if (!s || !*s) {
		snprintf(err, len, "%s: empty list (valid values %u..%u)", opt,
			 min, max);
		return CTB_EXIT_USAGE;
	}
	copy = strdup(s);
	if (!copy) {
		snprintf(err, len, "out of memory");
		return CTB_EXIT_FAIL;
	}
	for (tok = strtok_r(copy, ",", &save); tok && !ret;
	     tok = strtok_r(NULL, ",", &save)) {
		char *dots = strstr(tok, "..");
		char *dash = strchr(tok, '-');
		uint32_t a, b;

		if (dots || dash) {
			char *sep = dots ? dots : dash;

			*sep = '\0';
			ret = ctb_parse_u32(tok, opt, min, max, &a, err, len);
			if (!ret)
				ret = ctb_parse_u32(sep + (dots ? 2 : 1), opt,
						    min, max, &b, err, len);
			if (ret)
				break;
			if (a > b) {
				snprintf(err, len,
					 "%s: range %u%s%u is descending (valid values %u..%u)",
					 opt, a, dots ? ".." : "-", b, min,
					 max);
				ret = CTB_EXIT_USAGE;
				break;
			}
			if (dots) {
				/* powers of two from a (a == 0 adds 0 then 1) */
				uint64_t v = a;

				if (!v) {
					ret = list_push(0, out, max_n, n, opt,
							err, len);
					v = 1;
				}
				for (; !ret && v <= b; v *= 2)
					ret = list_push((uint32_t)v, out,
							max_n, n, opt, err,
							len);
			} else {
				if ((uint64_t)b - a >= max_n) {
					snprintf(err, len,
						 "%s: range %u-%u has more than %zu values",
						 opt, a, b, max_n);
					ret = CTB_EXIT_USAGE;
					break;
				}
				for (uint64_t v = a; !ret && v <= b; v++)
					ret = list_push((uint32_t)v, out,
							max_n, n, opt, err,
							len);
			}
		} else {
			ret = ctb_parse_u32(tok, opt, min, max, &a, err, len);
			if (!ret)
				ret = list_push(a, out, max_n, n, opt, err,
						len);
		}
	}
	free(copy);
	if (!ret && !*n) {
		snprintf(err, len, "%s '%s': no values (valid %u..%u)", opt, s,
			 min, max);
		ret = CTB_EXIT_USAGE;
	}
	return ret;
}

int ctb_parse_states(const char *s, uint32_t *out, size_t *n, char *err,
		     size_t len)
{
	char *copy = strdup(s), *save = NULL, *tok;
	int ret = 0;

	*n = 0;
	if (!copy) {
		snprintf(err, len, "out of memory");
		return CTB_EXIT_FAIL;
	}
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		uint32_t st;

		for (st = 0; st < CACHETLB_STATE_MAX; st++)
			if (!strcmp(tok, ctb_state_name(st)))
				break;
		if (st == CACHETLB_STATE_MAX) {
			snprintf(err, len,
				 "--state '%s': unknown (valid: any, clean, dirty, uncached)",
				 tok);
			ret = CTB_EXIT_USAGE;
			break;
		}
		ret = list_push(st, out, CACHETLB_STATE_MAX, n, "--state",
				err, len);
		if (ret)
			break;
	}
	free(copy);
	if (!ret && !*n) {
		snprintf(err, len,
			 "--state: empty (valid: any, clean, dirty, uncached)");
		ret = CTB_EXIT_USAGE;
	}
	return ret;
}

int ctb_parse_opflags(const char *s, uint32_t *opflags, int *span, char *err,
		      size_t len)
{
	static const struct {
		const char *name;
		uint32_t bit;
	} f[] = {
		{ "vmap", CACHETLB_OPF_VMAP },
		{ "double", CACHETLB_OPF_DOUBLE },
		{ "cold", CACHETLB_OPF_COLD },
		{ "verify", CACHETLB_OPF_VERIFY },
	};
	char *copy = strdup(s), *save = NULL, *tok;
	int ret = 0;

	*opflags = 0;
	*span = 0;
	if (!copy) {
		snprintf(err, len, "out of memory");
		return CTB_EXIT_FAIL;
	}
	for (tok = strtok_r(copy, ",+", &save); tok;
	     tok = strtok_r(NULL, ",+", &save)) {
		size_t i;

		if (!strcmp(tok, "span")) {
			*span = 1;
			continue;
		}
		if (!strcmp(tok, "-"))
			continue;
		for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
			if (!strcmp(tok, f[i].name))
				break;
		if (i == sizeof(f) / sizeof(f[0])) {
			snprintf(err, len,
				 "--opflags '%s': unknown flag (valid: vmap, double, cold, verify, span)",
				 tok);
			ret = CTB_EXIT_USAGE;
			break;
		}
		*opflags |= f[i].bit;
	}
	free(copy);
	return ret;
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

static const char *optarg_of(int argc, char **argv, int *i, const char *opt,
			     char *err, size_t len)
{
	if (*i + 1 >= argc) {
		snprintf(err, len, "%s needs a value", opt);
		return NULL;
	}
	return argv[++*i];
}

int ctb_parse_run_args(int argc, char **argv, struct ctb_runspec *rs,
		       struct ctb_runout *out, char *err, size_t len)
{
	int have_counts = 0;

	ctb_runspec_init(rs);
	memset(out, 0, sizeof(*out));
	out->fmt = CTB_OUT_TABLE;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		int ret = 0;

#define VAL() do {							\
		v = optarg_of(argc, argv, &i, a, err, len);		\
		if (!v)							\
			return CTB_EXIT_USAGE;				\
	} while (0)
		if (!strcmp(a, "--family")) {
			VAL();
			rs->family = ctb_family_from_name(v);
			if (rs->family < 0) {
				snprintf(err, len,
					 "--family '%s': unknown (valid: core, uaccess, cache, tlb)",
					 v);
				return CTB_EXIT_USAGE;
			}
		} else if (!strcmp(a, "--pages") || !strcmp(a, "--count")) {
			int pages = !strcmp(a, "--pages");

			VAL();
			if (have_counts) {
				snprintf(err, len,
					 "%s: give either --pages or --count, once",
					 a);
				return CTB_EXIT_USAGE;
			}
			ret = ctb_parse_u32_list(v, a, 1, pages ?
						 CACHETLB_MAX_PAGES :
						 CACHETLB_MAX_COUNT,
						 rs->counts, CTB_MAX_LIST,
						 &rs->ncounts, err, len);
			rs->counts_are_pages = pages;
			have_counts = 1;
		} else if (!strcmp(a, "--aux")) {
			VAL();
			ret = ctb_parse_u32(v, a, 1, UINT32_MAX, &rs->aux, err,
					    len);
		} else if (!strcmp(a, "--state")) {
			VAL();
			ret = ctb_parse_states(v, rs->states, &rs->nstates,
					       err, len);
		} else if (!strcmp(a, "--opflags")) {
			VAL();
			ret = ctb_parse_opflags(v, &rs->opflags, &rs->span,
						err, len);
		} else if (!strcmp(a, "--span")) {
			rs->span = 1;
		} else if (!strcmp(a, "--cpu")) {
			uint32_t c;

			VAL();
			ret = ctb_parse_u32(v, a, 0, CACHETLB_MAX_CPUS - 1, &c,
					    err, len);
			rs->cpu = (int)c;
		} else if (!strcmp(a, "--targets")) {
			VAL();
			if (strlen(v) >= sizeof(rs->targets)) {
				snprintf(err, len,
					 "--targets '%s': longer than %zu characters",
					 v, sizeof(rs->targets) - 1);
				return CTB_EXIT_USAGE;
			}
			strcpy(rs->targets, v);
		} else if (!strcmp(a, "--busy-targets")) {
			rs->busy_targets = 1;
		} else if (!strcmp(a, "--events")) {
			VAL();
			if (strlen(v) >= sizeof(rs->events)) {
				snprintf(err, len,
					 "--events: list longer than %zu characters",
					 sizeof(rs->events) - 1);
				return CTB_EXIT_USAGE;
			}
			strcpy(rs->events, v);
		} else if (!strcmp(a, "--samples")) {
			VAL();
			ret = ctb_parse_u32(v, a, 1, CACHETLB_MAX_SAMPLES,
					    &rs->samples, err, len);
		} else if (!strcmp(a, "--rounds")) {
			VAL();
			ret = ctb_parse_u32(v, a, 1, CTB_MAX_ROUNDS,
					    &rs->rounds, err, len);
		} else if (!strcmp(a, "--warmup")) {
			VAL();
			ret = ctb_parse_u32(v, a, 0, CACHETLB_MAX_WARMUP,
					    &rs->warmup, err, len);
		} else if (!strcmp(a, "--iterations")) {
			VAL();
			ret = ctb_parse_u32(v, a, 1, CACHETLB_MAX_ITERATIONS,
					    &rs->iterations, err, len);
		} else if (!strcmp(a, "--time-limit")) {
			VAL();
			ret = ctb_parse_u32(v, a, 1, 3600000,
					    &rs->time_limit_ms, err, len);
		} else if (!strcmp(a, "--irqs-off")) {
			rs->irqs_off = 1;
		} else if (!strcmp(a, "--json")) {
			out->fmt = CTB_OUT_JSON;
		} else if (!strcmp(a, "--csv")) {
			out->fmt = CTB_OUT_CSV;
		} else if (!strcmp(a, "-o")) {
			VAL();
			out->dir = v;
		} else if (a[0] == '-') {
			snprintf(err, len,
				 "run: unknown option '%s' (see ctbench --help)",
				 a);
			return CTB_EXIT_USAGE;
		} else if (!rs->op[0]) {
			if (strlen(a) >= sizeof(rs->op)) {
				snprintf(err, len,
					 "op name '%s' longer than %zu characters",
					 a, sizeof(rs->op) - 1);
				return CTB_EXIT_USAGE;
			}
			strcpy(rs->op, a);
		} else {
			snprintf(err, len,
				 "run: unexpected argument '%s' (one OP or --family F)",
				 a);
			return CTB_EXIT_USAGE;
		}
#undef VAL
		if (ret)
			return ret;
	}
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

