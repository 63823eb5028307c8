// SPDX-License-Identifier: GPL-2.0
/*
 * What the subcommands share: parsing a command line with its option
 * table, the usage error, reading a result set.
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

