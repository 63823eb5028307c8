// SPDX-License-Identifier: GPL-2.0
/*
 * ctbench run and ctbench suite: measure in a session, write a result set.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "knob.h"
#include "suite.h"

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

int cmd_run(int argc, char **argv)
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

int cmd_suite(int argc, char **argv)
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
