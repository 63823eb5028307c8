/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Option tables of the ctbench subcommands: one table per subcommand
 * drives getopt_long, the validation of each value, `ctbench SUB --help`,
 * `ctbench help` and the hidden `ctbench --complete` listing the bash
 * completion reads. Adding an option is one table entry.
 */
#ifndef CTB_OPTS_H
#define CTB_OPTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum ctb_opt_kind {
	CTB_OPT_SET,	/* no value: int at off = min */
	CTB_OPT_U32,	/* uint32_t at off, min..max (ctb_parse_u32) */
	CTB_OPT_STR,	/* const char * at off = the value (not empty) */
	CTB_OPT_FN,	/* fn(ctx, "--name", value or NULL, err, len) */
};

struct ctb_opt {
	const char *name;	/* long name without "--" */
	char short_name;	/* 0: none */
	enum ctb_opt_kind kind;
	const char *arg;	/* value placeholder for help; NULL: none */
	size_t off;		/* into the parse context */
	uint32_t min, max;
	int (*fn)(void *ctx, const char *opt, const char *val, char *err,
		  size_t len);
	const char *values;	/* fixed values, comma separated (completion) */
	const char *help;
};

/* Entry helpers: one line per option. */
#define CTB_OPT_FLAG_E(n, s, ctx_t, field, v, h) \
	{ n, s, CTB_OPT_SET, NULL, offsetof(ctx_t, field), v, v, NULL, NULL, h }
#define CTB_OPT_U32_E(n, s, A, ctx_t, field, lo, hi, h) \
	{ n, s, CTB_OPT_U32, A, offsetof(ctx_t, field), lo, hi, NULL, NULL, h }
#define CTB_OPT_STR_E(n, s, A, ctx_t, field, vals, h) \
	{ n, s, CTB_OPT_STR, A, offsetof(ctx_t, field), 0, 0, NULL, vals, h }
#define CTB_OPT_FN_E(n, s, A, f, vals, h) \
	{ n, s, CTB_OPT_FN, A, 0, 0, 0, f, vals, h }

struct ctb_cmdspec {
	const char *name;	/* "run" */
	const char *synopsis;	/* after "ctbench run ": "OP|--family F [OPTIONS]" */
	const char *summary;	/* one line for `ctbench help` */
	const struct ctb_opt *opts;	/* NULL or ends with { NULL } */
	const char *notes;	/* printed after the options; NULL: none */
	/* the positional completion: "ops", "sets", "files" or fixed values */
	const char *args;
};

/* ctb_opts_parse: --help or -h was given (print the help, exit 0). */
#define CTB_OPTS_HELP (-1)

/*
 * Parse argv[1..argc-1] (argv[0] is the subcommand name) against c's
 * table in order, without permuting argv. Options store into ctx;
 * positional arguments go to pos (NULL: none allowed). Returns 0,
 * CTB_OPTS_HELP, or a CTB_EXIT_* code with the message in err.
 */
int ctb_opts_parse(const struct ctb_cmdspec *c, int argc, char **argv,
		   void *ctx,
		   int (*pos)(void *ctx, const char *arg, char *err,
			      size_t len),
		   char *err, size_t len);

/* `ctbench SUB --help` / `ctbench help SUB`, generated from the table. */
void ctb_opts_help(FILE *f, const struct ctb_cmdspec *c);

/*
 * Lines for `ctbench --complete SUB [OPT]`: the options, or OPT's fixed
 * values ("@file" when its value is free, nothing for a flag).
 */
void ctb_opts_complete(FILE *f, const struct ctb_cmdspec *c, const char *opt);

/* The run options table (args.c), shared by `ctbench run`. */
extern const struct ctb_cmdspec ctb_run_spec;

#endif /* CTB_OPTS_H */
