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

#include "dev.h"
#include "env.h"
#include "import_lava.h"
#include "info.h"
#include "pmu.h"
#include "report.h"
#include "results.h"
#include "suite.h"
#include "topo.h"

static const char usage_text[] =
"usage: ctbench COMMAND [OPTIONS]\n"
"\n"
"Commands:\n"
"  info [--json]             module, kernel, CPU, timer, topology, PMU and\n"
"                            whether results are native or emulated\n"
"  list [--json]             the op table: supported or not, and why\n"
"  run OP|--family F [opts]  run one op or every op of a family\n"
"      --pages LIST | --count LIST   N values: 1,16,64 or 1-8 or 1..2048\n"
"                            (powers of two); pages 1..4096, count 1..1048576\n"
"      --aux N               second size (uaccess: ring entries, default 256)\n"
"      --state S[,S]         any, clean, dirty, uncached\n"
"      --opflags F[+F]       vmap, double, cold, verify; span (uaccess ring\n"
"                            placed across a page boundary, also --span)\n"
"      --cpu N               measuring CPU (default: first allowed)\n"
"      --targets P           sibling|core|package|all|CPU list (remote ops)\n"
"      --busy-targets        pin a spinning thread on every target CPU\n"
"      --events LIST         PMU events (libpfm4 names), e.g. cycles,instructions\n"
"      --rounds R            independent rounds, interleaved across ops\n"
"                            (1..64, default 6); CI and spread over rounds\n"
"      --samples S (1..65536, default 15)  --warmup W (0..1024, default 3)\n"
"                            per round\n"
"      --iterations I        per sample (1..1048576; default: calibrated,\n"
"                            1 with a line state, double, cold or refill)\n"
"      --time-limit MS       per RUN cap (default: the module's)\n"
"      --irqs-off            interrupts off around each sample\n"
"      --json | --csv        rows to stdout in that format (text to stderr)\n"
"      -o DIR                also write a result set below DIR\n"
"  suite quick|full [-o DIR] [--rounds R]\n"
"                            predefined sweeps in rounds; writes a result set below\n"
"                            DIR (default results/)\n"
"  compare A B [--force]     per matching row: medians, ratio, 95% CI,\n"
"                            verdict; refuses different arch/kernel/emulation\n"
"  report A [B]              72-column text for changelogs\n"
"  plot [--term dumb] SET    run scripts/plot --gnuplot on a result set\n"
"  import-lava JOB... -o DIR [--board NAME] [--device NAME] [--job-id ID]\n"
"              [--job-url URL] [--partial]\n"
"                            LAVA job results (lava-run output dir, job log,\n"
"                            `lavacli results --yaml` export) -> result sets\n"
"                            below DIR with device/board/job metadata\n"
"  help, --help, --version\n"
"\n"
"Exit codes:\n"
"  0  success\n"
"  1  a run, a file or a system call failed\n"
"  2  bad command line (the message names the value and the valid range)\n"
"  3  /dev/cachetlb unavailable or speaks another ABI version\n"
"  4  the named op is not supported on this kernel/arch (reason printed)\n"
"  5  compare: the sets differ in arch, kernel or emulation (use --force)\n"
"  6  data verification failed (VERIFY mismatches, used ring wrong)\n"
"SIGINT/SIGTERM stop a run or suite: rows measured so far are still\n"
"written (meta \"interrupted\": true) and the exit code is 1.\n";

static void usage(FILE *f)
{
	fputs(usage_text, f);
}

static int usage_error(const char *msg)
{
	fprintf(stderr, "ctbench: %s\n", msg);
	fprintf(stderr, "Try 'ctbench --help'.\n");
	return CTB_EXIT_USAGE;
}

static int only_json_flag(int argc, char **argv, int *json)
{
	char err[CTB_ERRLEN];

	*json = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			*json = 1;
		} else {
			snprintf(err, sizeof(err),
				 "%s: unexpected argument '%s' (valid: --json)",
				 argv[0], argv[i]);
			return usage_error(err);
		}
	}
	return 0;
}

static int cmd_info(int argc, char **argv)
{
	struct ctb_dev dev;
	struct ctb_topo topo;
	char err[CTB_ERRLEN], topo_s[128], pmu[256], probe[128], reason[192];
	char feat[512], counting[200], env_hyp[128], env_why[384];
	int json, ret, have_dev, have_topo, emulated = 0, pmu_ok, env;

	ret = only_json_flag(argc, argv, &json);
	if (ret)
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

	ret = only_json_flag(argc, argv, &json);
	if (ret)
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

static int cmd_run(int argc, char **argv)
{
	struct ctb_session s;
	struct ctb_runspec rs;
	struct ctb_runout ro;
	char err[CTB_ERRLEN];
	int ret, wret;
	FILE *human;

	ret = ctb_parse_run_args(argc, argv, &rs, &ro, err, sizeof(err));
	if (ret)
		return usage_error(err);
	if (ro.dir && ctb_check_out_dir(ro.dir, err, sizeof(err)))
		return usage_error(err);
	human = ro.fmt == CTB_OUT_TABLE ? stdout : stderr;
	ret = open_session(&s, human, argc, argv);
	if (ret)
		return ret;
	s.fmt = ro.fmt;
	if (s.emulated)
		fprintf(human, "EMULATED (QEMU TCG): %s\n", s.emulation_reason);
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
	const char *which = NULL, *dir = "results";
	uint32_t rounds = CTB_DEFAULT_ROUNDS;
	struct ctb_session s;
	char err[CTB_ERRLEN];
	int ret, wret;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o")) {
			if (i + 1 >= argc)
				return usage_error("suite: -o needs a directory");
			dir = argv[++i];
		} else if (!strcmp(argv[i], "--rounds")) {
			if (i + 1 >= argc)
				return usage_error("suite: --rounds needs a value");
			if (ctb_parse_u32(argv[++i], "--rounds", 1,
					  CTB_MAX_ROUNDS, &rounds, err,
					  sizeof(err)))
				return usage_error(err);
		} else if (argv[i][0] == '-') {
			snprintf(err, sizeof(err),
				 "suite: unknown option '%s' (valid: -o DIR, --rounds R)",
				 argv[i]);
			return usage_error(err);
		} else if (!which) {
			which = argv[i];
		} else {
			snprintf(err, sizeof(err),
				 "suite: unexpected argument '%s'", argv[i]);
			return usage_error(err);
		}
	}
	if (!which)
		return usage_error("suite: give quick or full");
	if (strcmp(which, "quick") && strcmp(which, "full")) {
		snprintf(err, sizeof(err),
			 "suite '%s': unknown (valid: quick, full)", which);
		return usage_error(err);
	}
	/* a bad -o fails now, not after minutes of measuring */
	if (ctb_check_out_dir(dir, err, sizeof(err)))
		return usage_error(err);
	ret = open_session(&s, stdout, argc, argv);
	if (ret)
		return ret;
	s.rounds = rounds;
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

static int read_set(const char *dir, struct ctb_set *s)
{
	int ret = ctb_set_read(dir, s);

	if (ret) {
		fprintf(stderr, "ctbench: bad result set %s: %s\n",
			dir, strerror(-ret));
		return CTB_EXIT_FAIL;
	}
	return 0;
}

static int cmd_compare(int argc, char **argv)
{
	const char *a = NULL, *b = NULL;
	struct ctb_set sa, sb;
	char err[CTB_ERRLEN];
	int force = 0, ret;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--force")) {
			force = 1;
		} else if (argv[i][0] == '-') {
			snprintf(err, sizeof(err),
				 "compare: unknown option '%s' (valid: --force)",
				 argv[i]);
			return usage_error(err);
		} else if (!a) {
			a = argv[i];
		} else if (!b) {
			b = argv[i];
		} else {
			snprintf(err, sizeof(err),
				 "compare: unexpected argument '%s' (two sets: A B)",
				 argv[i]);
			return usage_error(err);
		}
	}
	if (!a || !b)
		return usage_error("compare: give two result sets A B");
	memset(&sa, 0, sizeof(sa));
	memset(&sb, 0, sizeof(sb));
	if (read_set(a, &sa))
		return CTB_EXIT_FAIL;
	if (read_set(b, &sb)) {
		ctb_set_free(&sa);
		return CTB_EXIT_FAIL;
	}
	ret = ctb_compare_sets(stdout, &sa, &sb, force);
	ctb_set_free(&sa);
	ctb_set_free(&sb);
	if (ret == -EINVAL && !force)
		return CTB_EXIT_MISMATCH;
	if (ret == -ENOENT) {
		fprintf(stderr, "ctbench: compare: no rows of %s match rows of %s\n",
			a, b);
		return CTB_EXIT_FAIL;
	}
	return ret ? CTB_EXIT_FAIL : 0;
}

static int cmd_report(int argc, char **argv)
{
	struct ctb_set sa, sb;
	char err[CTB_ERRLEN];
	int ret;

	if (argc < 2 || argc > 3) {
		snprintf(err, sizeof(err),
			 "report: give one or two result sets (got %d)",
			 argc - 1);
		return usage_error(err);
	}
	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '-') {
			snprintf(err, sizeof(err),
				 "report: unknown option '%s'", argv[i]);
			return usage_error(err);
		}
	memset(&sa, 0, sizeof(sa));
	memset(&sb, 0, sizeof(sb));
	if (read_set(argv[1], &sa))
		return CTB_EXIT_FAIL;
	if (argc == 3 && read_set(argv[2], &sb)) {
		ctb_set_free(&sa);
		return CTB_EXIT_FAIL;
	}
	ret = ctb_report_print(stdout, &sa, argc == 3 ? &sb : NULL);
	ctb_set_free(&sa);
	ctb_set_free(&sb);
	if (ret) {
		fprintf(stderr, "ctbench: report failed: %s\n",
			strerror(-ret));
		return CTB_EXIT_FAIL;
	}
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
	const char *term = NULL, *set = NULL;
	char plot[PATH_MAX], err[CTB_ERRLEN];
	char *args[8];
	int n = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--term")) {
			if (i + 1 >= argc)
				return usage_error("plot: --term needs a value (dumb, png, svg)");
			term = argv[++i];
			if (strcmp(term, "dumb") && strcmp(term, "png") &&
			    strcmp(term, "svg")) {
				snprintf(err, sizeof(err),
					 "plot: --term '%s': unknown (valid: dumb, png, svg)",
					 term);
				return usage_error(err);
			}
		} else if (argv[i][0] == '-') {
			snprintf(err, sizeof(err),
				 "plot: unknown option '%s' (valid: --term T)",
				 argv[i]);
			return usage_error(err);
		} else if (!set) {
			set = argv[i];
		} else {
			return usage_error("plot: give one result set");
		}
	}
	if (!set)
		return usage_error("plot: give a result set directory");
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

/*
 * The subcommands, in the manner of tools/perf's command table: name,
 * function (argv[0] is the name), one-line help for `ctbench --help`.
 */
static const struct ctb_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "info", cmd_info, "module, kernel, CPU, timer, topology, PMU, emulation" },
	{ "list", cmd_list, "the op table: supported or not, and why" },
	{ "run", cmd_run, "run one op or every op of a family" },
	{ "suite", cmd_suite, "predefined sweeps, written as a result set" },
	{ "compare", cmd_compare, "compare two result sets row by row" },
	{ "report", cmd_report, "72-column text for changelogs" },
	{ "import-lava", ctb_cmd_import_lava,
	  "LAVA job results -> result sets (docs/fleet.md)" },
	{ "plot", cmd_plot, "run scripts/plot --gnuplot on a result set" },
	{ "help", cmd_help, "this text" },
	{ "--help", cmd_help, NULL },
	{ "-h", cmd_help, NULL },
	{ "--version", cmd_version, "tool and ABI version" },
};

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	usage(stdout);
	return 0;
}

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("ctbench %s (ABI %d)\n", CTB_TOOL_VERSION, CACHETLB_ABI_VERSION);
	return 0;
}

int main(int argc, char **argv)
{
	char err[CTB_ERRLEN], valid[128] = "";
	size_t n = sizeof(commands) / sizeof(commands[0]);

	if (argc < 2) {
		usage(stderr);
		return CTB_EXIT_USAGE;
	}
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
		if (commands[i].help && commands[i].name[0] != '-' &&
		    strcmp(commands[i].name, "help"))
			snprintf(valid + strlen(valid),
				 sizeof(valid) - strlen(valid), "%s%s",
				 valid[0] ? ", " : "", commands[i].name);
	}
	snprintf(err, sizeof(err), "unknown command '%s' (valid: %s)",
		 argv[1], valid);
	return usage_error(err);
}
