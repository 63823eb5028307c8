/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ctbench subcommands: what they share (cmd.c) and where each one
 * lives. The command table is in ctbench.c:
 *   cmd_info.c   info, list
 *   cmd_run.c    run, suite
 *   cmd_sets.c   compare, report, analyze, plot
 *   import_lava.c  import-lava
 */
#ifndef CTB_CMD_H
#define CTB_CMD_H

#include <stdint.h>

#include "opts.h"
#include "results.h"

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

/* A usage error: the message once, and where the help is; returns 2. */
int usage_error(const char *sub, const char *msg);

/*
 * Parse a subcommand's arguments with its table. Returns 1 when the
 * command is done (help printed: *rc 0; usage error: *rc 2), else 0.
 */
int parse_cmd(const struct ctb_cmdspec *spec, int argc, char **argv,
	      struct cmd_ctx *c, int *rc);

/* ctb_set_read() prints the one "bad result set DIR: ..." message. */
int read_set(const char *dir, struct ctb_set *s);

extern const struct ctb_cmdspec info_spec, list_spec, suite_spec,
	compare_spec, report_spec, analyze_spec, plot_spec;

int cmd_info(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_suite(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_plot(int argc, char **argv);

#endif /* CTB_CMD_H */
