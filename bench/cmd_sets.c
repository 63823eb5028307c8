// SPDX-License-Identifier: GPL-2.0
/*
 * The commands on result sets: compare, report, analyze, plot.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "analysis.h"
#include "cmd.h"
#include "report.h"
#include "suite.h"

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

int cmd_compare(int argc, char **argv)
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

int cmd_report(int argc, char **argv)
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

int cmd_analyze(int argc, char **argv)
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

int cmd_plot(int argc, char **argv)
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
