// SPDX-License-Identifier: GPL-2.0
/*
 * ctbench - command line driver of cachetlb-bench.
 *
 * Subcommands: info, list, run, suite, compare, report, plot. See
 * docs/ctbench.md and `ctbench --help`.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "analysis.h"
#include "dev.h"
#include "env.h"
#include "import_lava.h"
#include "info.h"
#include "knob.h"
#include "opts.h"
#include "pmu.h"
#include "report.h"
#include "results.h"
#include "suite.h"
#include "topo.h"
#include "verify.h"

static const char exit_text[] =
"Exit codes:\n"
"  0  success\n"
"  1  a run, a file or a system call failed\n"
"  2  bad command line (the message names the value and the valid range)\n"
"  3  /dev/cachetlb unavailable or speaks another ABI version\n"
"  4  the named op is not supported on this kernel/arch (reason printed)\n"
"  5  compare: the sets are of two arches (use --cross-arch)\n"
"  6  data verification failed (VERIFY mismatches, used ring wrong)\n"
"  7  verify: tracefs missing, locked down or without function_graph\n"
"SIGINT/SIGTERM stop a run or suite: rows measured so far are still\n"
"written (meta \"interrupted\": true) and the exit code is 1.\n";

static void usage(FILE *f);

/* A usage error: the message once, and where the help is. */
static int usage_error(const char *sub, const char *msg)
{
	fprintf(stderr, "ctbench: %s\n", msg);
	if (!strstr(msg, "--help'"))
		fprintf(stderr, "Try 'ctbench %s%s--help'.\n",
			sub ? sub : "", sub ? " " : "");
	return CTB_EXIT_USAGE;
}

/*
 * What the option tables of the small subcommands store into; the
 * positional arguments are collected up to maxpos.
 */
struct cmd_ctx {
	const char *name, *what;	/* what: the positional rule */
	const char *pos[3];
	int npos, maxpos;
	int json, cross_arch;
	uint32_t rounds;
	const char *dir, *term;
	const char *family, *op, *format, *knob;
};

static int collect_pos(void *ctx, const char *a, char *err, size_t len)
{
	struct cmd_ctx *c = ctx;

	if (c->npos >= c->maxpos) {
		snprintf(err, len, "%s: unexpected argument '%s' (%s)",
			 c->name, a, c->what);
		return CTB_EXIT_USAGE;
	}
	c->pos[c->npos++] = a;
	return 0;
}

/*
 * Parse a subcommand's arguments with its table. Returns 1 when the
 * command is done (help printed: *rc 0; usage error: *rc 2), else 0.
 */
static int parse_cmd(const struct ctb_cmdspec *spec, int argc, char **argv,
		     struct cmd_ctx *c, int *rc)
{
	char err[CTB_ERRLEN];
	int ret;

	c->name = spec->name;
	ret = ctb_opts_parse(spec, argc, argv, c, c->maxpos ? collect_pos :
			     NULL, err, sizeof(err));
	if (ret == CTB_OPTS_HELP) {
		ctb_opts_help(stdout, spec);
		*rc = 0;
		return 1;
	}
	if (ret == CTB_EXIT_USAGE) {
		*rc = usage_error(spec->name, err);
		return 1;
	}
	if (ret) {
		fprintf(stderr, "ctbench: %s\n", err);
		*rc = ret;
		return 1;
	}
	return 0;
}

#define CC struct cmd_ctx
static const struct ctb_opt json_opts[] = {
	CTB_OPT_FLAG_E("json", 0, CC, json, 1, "print JSON instead of text"),
	{ NULL }
};

static const struct ctb_opt suite_opts[] = {
	CTB_OPT_STR_E("output", 'o', "DIR", CC, dir, NULL,
		      "write the result set below DIR (default results/)"),
	CTB_OPT_U32_E("rounds", 0, "R", CC, rounds, 1, CTB_MAX_ROUNDS,
		      "independent rounds, interleaved across ops, default 6"),
	CTB_OPT_STR_E("knob", 0, "NAME=V1,V2", CC, knob,
		      "tlb_single_page_flush_ceiling=",
		      "R rounds under each of two knob settings, alternating"),
	{ NULL }
};

static const struct ctb_opt compare_opts[] = {
	CTB_OPT_FLAG_E("cross-arch", 0, CC, cross_arch, 1,
		       "compare sets of two arches as ratios, not ns"),
	CTB_OPT_FLAG_E("force", 0, CC, cross_arch, 1,
		       "old name of --cross-arch"),
	CTB_OPT_STR_E("family", 0, "F", CC, family,
		      "core,cache,tlb,uaccess",
		      "print only the rows of family F"),
	CTB_OPT_STR_E("op", 0, "GLOB", CC, op, NULL,
		      "print only ops matching GLOB (e.g. 'flush_tlb*')"),
	CTB_OPT_STR_E("format", 0, "FMT", CC, format,
		      "text,csv,json,markdown",
		      "text (72 columns, default), csv, json or markdown"),
	{ NULL }
};

static const struct ctb_opt plot_opts[] = {
	CTB_OPT_STR_E("term", 0, "T", CC, term, "dumb,png,svg",
		      "gnuplot terminal: dumb, png or svg"),
	{ NULL }
};
#undef CC

static const struct ctb_cmdspec info_spec = {
	.name = "info", .synopsis = "[--json]",
	.summary = "Show the module, kernel, CPU, timer, topology and PMU, and whether\n"
		   "results here are native or emulated.",
	.opts = json_opts, .args = "",
};

static const struct ctb_cmdspec list_spec = {
	.name = "list", .synopsis = "[--json]",
	.summary = "Show the op table: each op, its family, unit and count range, and\n"
		   "whether it is supported here, or why not.",
	.opts = json_opts, .args = "",
};

static const struct ctb_cmdspec suite_spec = {
	.name = "suite",
	.synopsis = "quick|full [-o DIR] [--rounds R] [--knob NAME=V1,V2]",
	.summary = "Run a predefined sweep in rounds and write it as a result set below DIR.",
	.opts = suite_opts, .args = "quick,full",
};

static const struct ctb_cmdspec compare_spec = {
	.name = "compare",
	.synopsis = "A B [--family F] [--op GLOB] [--format FMT] [--cross-arch]",
	.summary = "Before (A) against after (B): one line per matched row with both\n"
		   "medians, the change with its 95% CI, p (Benjamini-Hochberg) and a\n"
		   "verdict; the header says what differs (kernel, config, knobs).\n"
		   "Refuses sets of two arches unless --cross-arch.",
	.opts = compare_opts, .args = "sets",
};

static const struct ctb_cmdspec report_spec = {
	.name = "report", .synopsis = "A [B]",
	.summary = "Print one result set as 72-column text for changelogs;\n"
		   "`report A B` is the same as `compare A B`.",
	.opts = NULL, .args = "sets",
};

static const struct ctb_cmdspec analyze_spec = {
	.name = "analyze", .synopsis = "DIR",
	.summary = "Recompute DIR/analysis.json (verdicts, ratios, break-evens, TLB\n"
		   "crossovers, warnings) from the rows of result set DIR and print it.",
	.opts = NULL, .args = "sets",
};

static const struct ctb_cmdspec plot_spec = {
	.name = "plot", .synopsis = "[--term T] SET",
	.summary = "Run scripts/plot --gnuplot on a result set.",
	.opts = plot_opts, .args = "sets",
};

static const struct ctb_cmdspec help_spec = {
	.name = "help", .synopsis = "[COMMAND]",
	.summary = "List the commands, or show the options of COMMAND (as\n"
		   "`ctbench COMMAND --help`).",
	.opts = NULL, .args = "commands",
};

static int only_json_flag(const struct ctb_cmdspec *spec, int argc,
			  char **argv, int *json, int *rc)
{
	struct cmd_ctx c = { .maxpos = 0 };

	if (parse_cmd(spec, argc, argv, &c, rc))
		return 1;
	*json = c.json;
	return 0;
}

static int cmd_info(int argc, char **argv)
{
	struct ctb_dev dev;
	struct ctb_topo topo;
	char err[CTB_ERRLEN], topo_s[128], pmu[256], probe[128], reason[192];
	char feat[512], counting[200], env_hyp[128], env_why[384];
	int json, ret, have_dev, have_topo, emulated = 0, pmu_ok, env;

	if (only_json_flag(&info_spec, argc, argv, &json, &ret))
		return ret;
	ret = ctb_dev_open(&dev, NULL, err, sizeof(err));
	have_dev = !ret;
	/* as root: resolved symbols give the live TLB ceiling, op support */
	if (have_dev && geteuid() == 0)
		ctb_dev_resolve_all(&dev, NULL, stderr, 0);
	have_topo = !ctb_topo_init(&topo, topo_s, sizeof(topo_s));
	if (have_topo)
		ctb_topo_summary(&topo, topo_s, sizeof(topo_s));
	ctb_pmu_detect(pmu, sizeof(pmu));
	pmu_ok = ctb_pmu_probe(probe, sizeof(probe));
	if (have_dev)
		emulated = ctb_detect_emulation(getenv("CTB_EMULATION"),
						dev.info.hypervisor,
						dev.info.hypervisor_hint,
						reason, sizeof(reason));
	else
		emulated = ctb_detect_emulation(getenv("CTB_EMULATION"),
						CACHETLB_HYP_UNKNOWN, "",
						reason, sizeof(reason));
	env = ctb_detect_environment(NULL, emulated, env_hyp, sizeof(env_hyp),
				     env_why, sizeof(env_why));
	if (json) {
		json_t *o = json_object();

		if (have_dev)
			ctb_info_json(o, &dev.info, 1);
		else
			json_object_set_new(o, "device_error", json_string(err));
		json_object_update_new(o, json_pack(
			"{s:b, s:s, s:s, s:s, s:s, s:s}", "emulated", emulated,
			"emulation", emulated ? "qemu-tcg" : "native",
			"emulation_reason", reason, "topology", topo_s,
			"pmu_detected", pmu, "pmu_counting", counting));
		json_object_update_new(o, json_pack(
			"{s:s, s:s, s:s}", "environment", ctb_env_name(env),
			"environment_hypervisor", env_hyp,
			"environment_reason", env_why));
		ctb_json_print(stdout, o);
		json_decref(o);
	} else {
		if (have_dev) {
			const struct cachetlb_info *in = &dev.info;

			ctb_features_str(in->features, feat, sizeof(feat));
			printf("module:      cachetlb %s, ABI %u, %u ops\n",
			       in->module_version, in->hdr.abi_version,
			       in->nr_ops);
			printf("kernel:      %s %s\n", in->release, in->machine);
			printf("cpu:         %s\n",
			       in->cpu_model[0] ? in->cpu_model : "unknown");
			printf("cpus:        %u online, %u possible, nr_cpu_ids %u\n",
			       in->online_cpus, in->possible_cpus,
			       in->nr_cpu_ids);
			printf("sizes:       page %u, D line %u, I line %u, cbom block %u\n",
			       in->page_size, in->cache_line_size,
			       in->icache_line_size, in->cbom_block_size);
			printf("timer:       %s, resolution %" PRIu64 " ns\n",
			       in->timer_source,
			       (uint64_t)in->clock_resolution_ns);
			printf("counter:     %s at %" PRIu64 " Hz, resolution %" PRIu64 " ticks\n",
			       ctb_counter_name(in->counter),
			       (uint64_t)in->counter_hz,
			       (uint64_t)in->counter_resolution);
			printf("hypervisor:  %s (%s)\n",
			       ctb_hyp_name(in->hypervisor),
			       in->hypervisor_hint);
			printf("features:    %s\n", feat);
			printf("tlb ceiling: %u pages (%s)\n",
			       in->tlb_flush_ceiling, in->ceiling_source);
			printf("limits:      %u ms per RUN, %u samples, %u iterations, %u pages\n",
			       in->time_limit_ms, in->max_samples,
			       in->max_iterations, in->max_pages);
		} else {
			/* the error itself goes to stderr, once (below) */
			printf("device:      not available\n");
		}
		if (emulated)
			printf("results:     EMULATED (qemu-tcg): %s\n", reason);
		else
			printf("results:     %s\n", reason);
		if (env == CTB_ENV_VIRTUALIZED)
			printf("environment: virtualized, hypervisor %s (%s)\n",
			       env_hyp, env_why);
		else
			printf("environment: %s (%s)\n", ctb_env_name(env),
			       env_why);
		printf("topology:    %s\n", topo_s);
		printf("pmu:         %s; counting %s%s\n", pmu,
		       pmu_ok ? "works" : "n/a: ", pmu_ok ? "" : probe);
	}
	if (have_topo)
		ctb_topo_fini(&topo);
	if (!have_dev) {
		fprintf(stderr, "ctbench: %s\n", err);
		return CTB_EXIT_NODEV;
	}
	ctb_dev_close(&dev);
	return 0;
}

static void uses_str(uint32_t uses, char *buf, size_t len)
{
	static const char *const n[] = {
		"count", "aux", "state", "stride", "user_buf", "targets",
		"opflags",
	};
	size_t off = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < 7; i++)
		if (uses & (1U << i))
			off += (size_t)snprintf(buf + off, off < len ?
						len - off : 0, "%s%s",
						off ? "," : "", n[i]);
	if (!off)
		snprintf(buf, len, "-");
}

static int open_resolved(struct ctb_dev *dev, FILE *report)
{
	char err[CTB_ERRLEN];
	int ret = ctb_dev_open(dev, NULL, err, sizeof(err));

	if (ret) {
		fprintf(stderr, "ctbench: %s\n", err);
		return CTB_EXIT_NODEV;
	}
	if (geteuid() == 0)
		ctb_dev_resolve_all(dev, NULL, report, 0);
	return 0;
}

static int cmd_list(int argc, char **argv)
{
	struct ctb_dev dev;
	json_t *ops = NULL;
	int json, ret;

	if (only_json_flag(&list_spec, argc, argv, &json, &ret))
		return ret;
	ret = open_resolved(&dev, stderr);
	if (ret)
		return ret;
	if (json)
		ops = json_array();
	else
		printf("%-3s %-28s %-7s %-4s %-9s %-13s %-26s %s\n", "#",
		       "op", "family", "ok", "unit", "count", "uses",
		       "props / reason");
	for (unsigned int i = 0; i < dev.nops; i++) {
		const struct cachetlb_op_desc *d = &dev.ops[i];
		const char *fam = ctb_family_name(d->family);
		char u[96], p[160], range[32];

		uses_str(d->uses, u, sizeof(u));
		ctb_props_str(d->props, p, sizeof(p));
		if (d->uses & CACHETLB_USES_COUNT)
			snprintf(range, sizeof(range), "%u..%u", d->count_min,
				 d->count_max);
		else
			snprintf(range, sizeof(range), "-");
		if (json) {
			json_array_append_new(ops, json_pack(
				"{s:i, s:s, s:s, s:b, s:s, s:i, s:i, s:s, s:s, s:s, s:s, s:s}",
				"index", (int)i, "name", d->name,
				"family", fam ? fam : "?",
				"supported", d->supported, "unit", d->unit,
				"count_min", (int)d->count_min,
				"count_max", (int)d->count_max, "uses", u,
				"props", p, "params", d->params,
				"reason", d->reason, "symbols", d->symbols));
		} else {
			printf("%-3u %-28s %-7s %-4s %-9s %-13s %-26s %s\n", i,
			       d->name, fam ? fam : "?",
			       d->supported ? "yes" : "no", d->unit, range, u,
			       d->supported ? p : d->reason);
		}
	}
	if (json) {
		ret = ctb_json_print(stdout, ops);
		json_decref(ops);
	}
	ctb_dev_close(&dev);
	return ret;
}

static int write_set(struct ctb_session *s, const char *dir)
{
	char out[4096];
	int ret = ctb_session_write(s, dir, out, sizeof(out));

	if (ret) {
		fprintf(stderr, "ctbench: writing the result set below %s failed: %s\n",
			dir, strerror(-ret));
		return CTB_EXIT_FAIL;
	}
	fprintf(s->out, "result set: %s\n", out);
	return 0;
}

/*
 * argv[0] is the subcommand; the meta "command" is the whole command
 * line, which main() hands over as argv[-1] = the program name.
 */
static int open_session(struct ctb_session *s, FILE *out, int argc,
			char **argv)
{
	char err[CTB_ERRLEN];

	if (ctb_session_open(s, out, err, sizeof(err))) {
		fprintf(stderr, "ctbench: %s\n", err);
		return CTB_EXIT_NODEV;
	}
	s->argc = argc + 1;
	s->argv = argv - 1;
	return 0;
}

static int knob_suite(struct ctb_session *s, void *which)
{
	return ctb_suite_run(s, which);
}

static int knob_run(struct ctb_session *s, void *rs)
{
	return ctb_session_run(s, rs);
}

static int cmd_run(int argc, char **argv)
{
	struct ctb_session s;
	struct ctb_runspec rs;
	struct ctb_runout ro;
	struct ctb_knob knob;
	char err[CTB_ERRLEN];
	int ret, wret;
	FILE *human;

	ret = ctb_parse_run_args(argc, argv, &rs, &ro, err, sizeof(err));
	if (ret == CTB_OPTS_HELP) {
		ctb_opts_help(stdout, &ctb_run_spec);
		return 0;
	}
	if (ret == CTB_EXIT_USAGE)
		return usage_error("run", err);
	if (ret) {
		fprintf(stderr, "ctbench: %s\n", err);
		return ret;
	}
	if (ro.dir && ctb_check_out_dir(ro.dir, err, sizeof(err)))
		return usage_error("run", err);
	if (rs.knob && !ro.dir)
		return usage_error("run", "run: --knob writes two result sets: give -o DIR");
	if (rs.knob && ctb_knob_parse(rs.knob, &knob, err, sizeof(err)))
		return usage_error("run", err);
	human = ro.fmt == CTB_OUT_TABLE ? stdout : stderr;
	ret = open_session(&s, human, argc, argv);
	if (ret)
		return ret;
	s.fmt = ro.fmt;
	if (s.emulated)
		fprintf(human, "EMULATED (QEMU TCG): %s\n", s.emulation_reason);
	if (rs.knob) {
		if (ctb_knob_open(&knob, err, sizeof(err))) {
			fprintf(stderr, "ctbench: %s\n", err);
			ctb_session_close(&s);
			return CTB_EXIT_USAGE;
		}
		ret = ctb_knob_measure(&s, &knob, ro.dir, &rs.rounds, knob_run,
				       &rs);
		ctb_session_close(&s);
		return ret;
	}
	ret = ctb_session_run(&s, &rs);
	if (ctb_interrupted()) {
		fprintf(stderr, "ctbench: interrupted by signal %d after %zu rows\n",
			ctb_interrupted(), s.nrows);
		if (ret < CTB_EXIT_FAIL)
			ret = CTB_EXIT_FAIL;
	}
	if (rs.family > CACHETLB_FAM_CORE && s.nrows) {
		fprintf(human, "-- %s analysis --\n",
			ctb_family_name((uint32_t)rs.family));
		ctb_session_analyse(&s, human, rs.family);
	} else if (rs.op[0] && s.nrows) {
		const char *fam = s.rows[0].family;
		int f = ctb_family_from_name(fam);

		if (f == CACHETLB_FAM_CACHE)
			ctb_session_analyse(&s, human, f);
	}
	if (ro.fmt == CTB_OUT_CSV)
		ctb_rows_write_csv(stdout, s.rows, s.nrows);
	else if (ro.fmt == CTB_OUT_JSON)
		ctb_rows_write_json(stdout, s.rows, s.nrows);
	if (ro.dir && s.nrows) {
		wret = write_set(&s, ro.dir);
		if (wret && !ret)
			ret = wret;
	} else if (ro.dir) {
		fprintf(stderr, "ctbench: no rows, no result set written\n");
	}
	ctb_session_close(&s);
	return ret;
}

/* Milliseconds on CLOCK_MONOTONIC. */
static double mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Whole-command wall time: from before opening the device to now. */
static void wall_line(FILE *f, double t0, int emulated)
{
	fprintf(f, "net = op - matched control; CI = order statistics over the rounds of this command%s\n",
		emulated ? ";\n  under emulation separate commands differ by more (docs/measurement.md)" : "");
	fprintf(f, "wall time: %.1f s (everything: device, symbols, calibration, rounds, writing)\n",
		(mono_ms() - t0) / 1000.0);
}

static int cmd_suite(int argc, char **argv)
{
	double t0 = mono_ms();
	struct cmd_ctx c = { .maxpos = 1, .what = "one suite: quick or full",
			     .dir = "results", .rounds = CTB_DEFAULT_ROUNDS };
	const char *which, *dir;
	struct ctb_session s;
	struct ctb_knob knob;
	char err[CTB_ERRLEN];
	int ret, wret;

	if (parse_cmd(&suite_spec, argc, argv, &c, &ret))
		return ret;
	which = c.pos[0];
	dir = c.dir;
	if (!which)
		return usage_error("suite", "suite: give quick or full");
	if (strcmp(which, "quick") && strcmp(which, "full")) {
		snprintf(err, sizeof(err),
			 "suite '%s': unknown (valid: quick, full)", which);
		return usage_error("suite", err);
	}
	/* a bad -o fails now, not after minutes of measuring */
	if (ctb_check_out_dir(dir, err, sizeof(err)))
		return usage_error("suite", err);
	if (c.knob && ctb_knob_parse(c.knob, &knob, err, sizeof(err)))
		return usage_error("suite", err);
	ret = open_session(&s, stdout, argc, argv);
	if (ret)
		return ret;
	s.rounds = c.rounds;
	if (c.knob) {
		/* a knob that is missing or read-only: exit 2, nothing run */
		if (ctb_knob_open(&knob, err, sizeof(err))) {
			fprintf(stderr, "ctbench: %s\n", err);
			ctb_session_close(&s);
			return CTB_EXIT_USAGE;
		}
		ret = ctb_knob_measure(&s, &knob, dir, &s.rounds, knob_suite,
				       (void *)which);
		wall_line(stdout, t0, s.emulated);
		ctb_session_close(&s);
		return ret;
	}
	ret = ctb_suite_run(&s, which);
	if (s.nrows) {
		wret = write_set(&s, dir);
		if (wret && !ret)
			ret = wret;
	} else {
		fprintf(stderr, "ctbench: the suite produced no rows\n");
		if (!ret)
			ret = CTB_EXIT_FAIL;
	}
	wall_line(stdout, t0, s.emulated);
	ctb_session_close(&s);
	return ret;
}

/* ctb_set_read() prints the one "bad result set DIR: ..." message. */
static int read_set(const char *dir, struct ctb_set *s)
{
	return ctb_set_read(dir, s) ? CTB_EXIT_FAIL : 0;
}

/*
 * Each set's analysis.json, 72 columns wide (family NULL: every family),
 * after report's and compare's tables.  A set without one says how to
 * make it; a malformed one is a bad result set.
 */
static int print_analyses(const char **dirs, int n, const char *family)
{
	for (int i = 0; i < n; i++) {
		char err[512];
		int code;
		json_t *an = ctb_analysis_read(dirs[i], &code, err,
					       sizeof(err));

		if (!an && code != -ENOENT) {
			fprintf(stderr, "ctbench: bad result set %s: %s\n",
				dirs[i], err);
			return CTB_EXIT_FAIL;
		}
		printf("\nAnalysis (%s):\n", i ? "B" : "A");
		if (an)
			ctb_analysis_print_width(stdout, an, family, 72);
		else
			printf("  none: no %s (ctbench analyze DIR)\n",
			       CTB_ANALYSIS_FILE);
		json_decref(an);
	}
	return 0;
}

static int cmd_compare(int argc, char **argv)
{
	struct cmd_ctx c = { .maxpos = 2, .what = "two sets: A B" };
	struct ctb_cmp_opts o = { .err = stderr };
	struct ctb_set sa, sb;
	int fmt, ret;

	if (parse_cmd(&compare_spec, argc, argv, &c, &ret))
		return ret;
	if (c.npos != 2)
		return usage_error("compare", "compare: give two result sets A B");
	fmt = ctb_cmp_format_parse(c.format);
	if (fmt < 0) {
		char msg[160];

		snprintf(msg, sizeof(msg), "compare: --format '%.64s' unknown; "
			 "use text, csv, json or markdown", c.format);
		return usage_error("compare", msg);
	}
	o.format = (enum ctb_cmp_format)fmt;
	o.cross_arch = c.cross_arch;
	o.family = c.family;
	o.op_glob = c.op;
	memset(&sa, 0, sizeof(sa));
	memset(&sb, 0, sizeof(sb));
	if (read_set(c.pos[0], &sa))
		return CTB_EXIT_FAIL;
	if (read_set(c.pos[1], &sb)) {
		ctb_set_free(&sa);
		return CTB_EXIT_FAIL;
	}
	ret = ctb_compare_sets(stdout, &sa, &sb, &o);
	ctb_set_free(&sa);
	ctb_set_free(&sb);
	if (ret == -EXDEV)
		return CTB_EXIT_MISMATCH;
	if (ret && ret != -ENOENT)
		fprintf(stderr, "ctbench: compare failed: %s\n",
			strerror(-ret));
	if (ret)
		return CTB_EXIT_FAIL;
	if (o.format == CTB_FMT_TEXT)
		return print_analyses(c.pos, 2, c.family);
	return 0;
}

static int cmd_report(int argc, char **argv)
{
	struct cmd_ctx c = { .maxpos = 2, .what = "one or two sets: A [B]" };
	struct ctb_set sa, sb;
	int ret;

	if (parse_cmd(&report_spec, argc, argv, &c, &ret))
		return ret;
	if (!c.npos)
		return usage_error("report", "report: give one or two result sets");
	memset(&sa, 0, sizeof(sa));
	memset(&sb, 0, sizeof(sb));
	if (read_set(c.pos[0], &sa))
		return CTB_EXIT_FAIL;
	if (c.npos == 2 && read_set(c.pos[1], &sb)) {
		ctb_set_free(&sa);
		return CTB_EXIT_FAIL;
	}
	ret = ctb_report_print(stdout, &sa, c.npos == 2 ? &sb : NULL);
	ctb_set_free(&sa);
	ctb_set_free(&sb);
	if (ret == -EXDEV)
		return CTB_EXIT_MISMATCH;
	if (ret == -ENOENT)
		return CTB_EXIT_FAIL;
	if (ret) {
		fprintf(stderr, "ctbench: report failed: %s\n",
			strerror(-ret));
		return CTB_EXIT_FAIL;
	}
	return print_analyses(c.pos, c.npos, NULL);
}

static int cmd_analyze(int argc, char **argv)
{
	struct cmd_ctx c = { .maxpos = 1, .what = "one set: DIR" };
	struct ctb_set s;
	json_t *old, *an;
	char err[512];
	int code, ret;

	if (parse_cmd(&analyze_spec, argc, argv, &c, &ret))
		return ret;
	if (!c.npos)
		return usage_error("analyze", "analyze: give one result set DIR");
	memset(&s, 0, sizeof(s));
	if (read_set(c.pos[0], &s))
		return CTB_EXIT_FAIL;
	old = ctb_analysis_read(c.pos[0], &code, err, sizeof(err));
	if (!old && code != -ENOENT)
		fprintf(stderr,
			"ctbench: analyze: replacing %s/%s (%s); op properties not taken from it\n",
			c.pos[0], CTB_ANALYSIS_FILE, err);
	an = ctb_analysis_of_set(&s, old);
	json_decref(old);
	ctb_set_free(&s);
	if (!an) {
		fprintf(stderr, "ctbench: analyze: out of memory\n");
		return CTB_EXIT_FAIL;
	}
	ret = ctb_analysis_write(c.pos[0], an);
	if (ret) {
		fprintf(stderr, "ctbench: analyze: writing %s/%s: %s\n",
			c.pos[0], CTB_ANALYSIS_FILE, strerror(-ret));
		json_decref(an);
		return CTB_EXIT_FAIL;
	}
	ctb_analysis_print(stdout, an, NULL);
	printf("analysis: %s/%s\n", c.pos[0], CTB_ANALYSIS_FILE);
	json_decref(an);
	return 0;
}

/* scripts/plot next to the binary's tree, or $CTB_PLOT, or ./scripts. */
static int find_plot(char *buf, size_t len)
{
	const char *env = getenv("CTB_PLOT");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env && access(env, X_OK) == 0) {
		snprintf(buf, len, "%s", env);
		return 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		static const char *const rel[] = {
			"/ctbench-plot", "/../scripts/plot",
			"/../../scripts/plot", "/../../../scripts/plot",
		};
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]);
			     i++) {
				snprintf(buf, len, "%s%s", exe, rel[i]);
				if (access(buf, X_OK) == 0)
					return 0;
			}
		}
	}
	snprintf(buf, len, "scripts/plot");
	return access(buf, X_OK) == 0 ? 0 : -ENOENT;
}

static int cmd_plot(int argc, char **argv)
{
	struct cmd_ctx c = { .maxpos = 1, .what = "one result set" };
	const char *term, *set;
	struct ctb_set st;
	char plot[PATH_MAX], err[CTB_ERRLEN];
	char *args[8];
	int n = 0, ret;

	if (parse_cmd(&plot_spec, argc, argv, &c, &ret))
		return ret;
	term = c.term;
	set = c.pos[0];
	if (term && strcmp(term, "dumb") && strcmp(term, "png") &&
	    strcmp(term, "svg")) {
		snprintf(err, sizeof(err),
			 "plot: --term '%s': unknown (valid: dumb, png, svg)",
			 term);
		return usage_error("plot", err);
	}
	if (!set)
		return usage_error("plot", "plot: give a result set directory");
	/* a bad set: the same one message and exit 1 as compare/report */
	memset(&st, 0, sizeof(st));
	if (read_set(set, &st))
		return CTB_EXIT_FAIL;
	ctb_set_free(&st);
	if (find_plot(plot, sizeof(plot))) {
		fprintf(stderr, "ctbench: plot: scripts/plot is missing (looked in $CTB_PLOT, for ctbench-plot next to the ctbench binary, in its source tree and ./scripts/plot; install it with make install or the ctbench package)\n");
		return CTB_EXIT_FAIL;
	}
	args[n++] = plot;
	args[n++] = "--gnuplot";
	if (term) {
		args[n++] = "--term";
		args[n++] = (char *)term;
	}
	args[n++] = (char *)set;
	args[n] = NULL;
	fflush(stdout);
	execv(plot, args);
	fprintf(stderr, "ctbench: plot: cannot run %s: %s\n", plot,
		strerror(errno));
	return CTB_EXIT_FAIL;
}

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);
static int cmd_complete(int argc, char **argv);

/*
 * The subcommands, in the manner of tools/perf's command table: name,
 * function (argv[0] is the name), option table and help; NULL spec:
 * not listed by `ctbench help`.
 */
static const struct ctb_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const struct ctb_cmdspec *spec;
	const char *help;
} commands[] = {
	{ "info", cmd_info, &info_spec, "module, kernel, CPU, timer, topology, PMU, emulation" },
	{ "list", cmd_list, &list_spec, "the op table: supported or not, and why" },
	{ "run", cmd_run, &ctb_run_spec, "run one op or every op of a family" },
	{ "suite", cmd_suite, &suite_spec, "predefined sweeps, written as a result set" },
	{ "compare", cmd_compare, &compare_spec, "compare two result sets row by row" },
	{ "report", cmd_report, &report_spec, "72-column text for changelogs" },
	{ "analyze", cmd_analyze, &analyze_spec, "recompute a result set's analysis.json" },
	{ "import-lava", ctb_cmd_import_lava, &ctb_import_lava_spec,
	  "LAVA job results -> result sets (docs/fleet.md)" },
	{ "verify", ctb_cmd_verify, &ctb_verify_spec,
	  "check per-call times against the kernel's function tracer" },
	{ "plot", cmd_plot, &plot_spec, "run scripts/plot --gnuplot on a result set" },
	{ "help", cmd_help, &help_spec, "this text, or the options of a command" },
	{ "--help", cmd_help, NULL, NULL },
	{ "-h", cmd_help, NULL, NULL },
	{ "--version", cmd_version, NULL, "tool and ABI version" },
	{ "--complete", cmd_complete, NULL, NULL },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct ctb_cmd *find_cmd(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

static void valid_cmds(char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (commands[i].spec && strcmp(commands[i].name, "help"))
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
				 buf[0] ? ", " : "", commands[i].name);
}

static void usage(FILE *f)
{
	fputs("usage: ctbench COMMAND [OPTIONS]\n\nCommands:\n", f);
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (commands[i].help)
			fprintf(f, "  %-13s %s\n", commands[i].name,
				commands[i].help);
	fputs("\nRun 'ctbench COMMAND --help' or 'ctbench help COMMAND' for the\n"
	      "options of a command; man ctbench for the whole manual.\n\n", f);
	fputs(exit_text, f);
}

static int cmd_help(int argc, char **argv)
{
	struct cmd_ctx cc = { .maxpos = 1, .what = "one COMMAND" };
	const struct ctb_cmd *c;
	char err[CTB_ERRLEN], valid[160];
	int ret;

	if (strcmp(argv[0], "help")) {	/* --help, -h */
		usage(stdout);
		return 0;
	}
	if (parse_cmd(&help_spec, argc, argv, &cc, &ret))
		return ret;
	if (!cc.npos) {
		usage(stdout);
		return 0;
	}
	c = find_cmd(cc.pos[0]);
	if (!c || !c->spec) {
		valid_cmds(valid, sizeof(valid));
		snprintf(err, sizeof(err),
			 "help: '%s': no such command (valid: %s)", cc.pos[0],
			 valid);
		return usage_error(NULL, err);
	}
	ctb_opts_help(stdout, c->spec);
	return 0;
}

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("ctbench %s (ABI %d)\n", CTB_TOOL_VERSION, CACHETLB_ABI_VERSION);
	return 0;
}

/*
 * Hidden, for scripts/completion/ctbench.bash:
 *   ctbench --complete            the commands
 *   ctbench --complete SUB        SUB's options
 *   ctbench --complete SUB OPT    OPT's fixed values, "@file" for a free
 *                                 value, nothing for a flag
 *   ctbench --complete SUB ''     SUB's arguments: ops, sets, files,
 *                                 commands or fixed values
 */
static int cmd_complete(int argc, char **argv)
{
	const struct ctb_cmd *c;

	if (argc < 2) {
		for (size_t i = 0; i < NCOMMANDS; i++)
			if (commands[i].spec)
				printf("%s\n", commands[i].name);
		return 0;
	}
	c = find_cmd(argv[1]);
	if (!c || !c->spec)
		return CTB_EXIT_USAGE;
	if (argc < 3)
		ctb_opts_complete(stdout, c->spec, NULL);
	else if (!argv[2][0])
		printf("%s\n", c->spec->args ? c->spec->args : "");
	else
		ctb_opts_complete(stdout, c->spec, argv[2]);
	return 0;
}

int main(int argc, char **argv)
{
	const struct ctb_cmd *c;
	char err[CTB_ERRLEN], valid[160];

	if (argc < 2) {
		usage(stderr);
		return CTB_EXIT_USAGE;
	}
	c = find_cmd(argv[1]);
	if (c)
		return c->fn(argc - 1, argv + 1);
	valid_cmds(valid, sizeof(valid));
	snprintf(err, sizeof(err), "unknown command '%s' (valid: %s)",
		 argv[1], valid);
	return usage_error(NULL, err);
}
