// SPDX-License-Identifier: GPL-2.0
/*
 * ctbench - command line driver of cachetlb-bench.
 *
 * The subcommand table and help; the commands themselves are in
 * cmd_*.c and import_lava.c (cmd.h). See
 * docs/ctbench.md and `ctbench --help`.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "import_lava.h"
#include "suite.h"
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

static const struct ctb_cmdspec help_spec = {
	.name = "help", .synopsis = "[COMMAND]",
	.summary = "List the commands, or show the options of COMMAND (as\n"
		   "`ctbench COMMAND --help`).",
	.opts = NULL, .args = "commands",
};

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
