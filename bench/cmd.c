// SPDX-License-Identifier: GPL-2.0
/*
 * What the subcommands share: their option tables and help (the
 * ctb_cmdspec of each; import-lava and run keep theirs), parsing a
 * command line with them, the usage error, reading a result set.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "suite.h"

/* A usage error: the message once, and where the help is. */
int usage_error(const char *sub, const char *msg)
{
	fprintf(stderr, "ctbench: %s\n", msg);
	if (!strstr(msg, "--help'"))
		fprintf(stderr, "Try 'ctbench %s%s--help'.\n",
			sub ? sub : "", sub ? " " : "");
	return CTB_EXIT_USAGE;
}

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
int parse_cmd(const struct ctb_cmdspec *spec, int argc, char **argv,
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

/* ctb_set_read() prints the one "bad result set DIR: ..." message. */
int read_set(const char *dir, struct ctb_set *s)
{
	return ctb_set_read(dir, s) ? CTB_EXIT_FAIL : 0;
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

const struct ctb_cmdspec info_spec = {
	.name = "info", .synopsis = "[--json]",
	.summary = "Show the module, kernel, CPU, timer, topology and PMU, and whether\n"
		   "results here are native or emulated.",
	.opts = json_opts, .args = "",
};

const struct ctb_cmdspec list_spec = {
	.name = "list", .synopsis = "[--json]",
	.summary = "Show the op table: each op, its family, unit and count range, and\n"
		   "whether it is supported here, or why not.",
	.opts = json_opts, .args = "",
};

const struct ctb_cmdspec suite_spec = {
	.name = "suite",
	.synopsis = "quick|full [-o DIR] [--rounds R] [--knob NAME=V1,V2]",
	.summary = "Run a predefined sweep in rounds and write it as a result set below DIR.",
	.opts = suite_opts, .args = "quick,full",
};

const struct ctb_cmdspec compare_spec = {
	.name = "compare",
	.synopsis = "A B [--family F] [--op GLOB] [--format FMT] [--cross-arch]",
	.summary = "Before (A) against after (B): one line per matched row with both\n"
		   "medians, the change with its 95% CI, p (Benjamini-Hochberg) and a\n"
		   "verdict; the header says what differs (kernel, config, knobs).\n"
		   "Refuses sets of two arches unless --cross-arch.",
	.opts = compare_opts, .args = "sets",
};

const struct ctb_cmdspec report_spec = {
	.name = "report", .synopsis = "A [B]",
	.summary = "Print one result set as 72-column text for changelogs;\n"
		   "`report A B` is the same as `compare A B`.",
	.opts = NULL, .args = "sets",
};

const struct ctb_cmdspec analyze_spec = {
	.name = "analyze", .synopsis = "DIR",
	.summary = "Recompute DIR/analysis.json (verdicts, ratios, break-evens, TLB\n"
		   "crossovers, warnings) from the rows of result set DIR and print it.",
	.opts = NULL, .args = "sets",
};

const struct ctb_cmdspec plot_spec = {
	.name = "plot", .synopsis = "[--term T] SET",
	.summary = "Run scripts/plot --gnuplot on a result set.",
	.opts = plot_opts, .args = "sets",
};
