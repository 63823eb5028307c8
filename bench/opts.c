// SPDX-License-Identifier: GPL-2.0
/*
 * Table-driven option parsing for the ctbench subcommands (opts.h):
 * getopt_long built from a subcommand's table, values validated by the
 * table's kind (ranges through ctb_parse_u32), help and completion
 * listings generated from the same table.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opts.h"
#include "suite.h"

#define CTB_OPTS_MAX 48
#define CTB_OPT_VAL_BASE 256	/* getopt val of table entry i: BASE + i */

static size_t nopts(const struct ctb_cmdspec *c)
{
	size_t n = 0;

	while (c->opts && c->opts[n].name)
		n++;
	return n;
}

static int opt_apply(const struct ctb_opt *o, void *ctx, const char *val,
		     char *err, size_t len)
{
	char name[64];
	char *base = ctx;

	snprintf(name, sizeof(name), "--%s", o->name);
	switch (o->kind) {
	case CTB_OPT_SET:
		*(int *)(base + o->off) = (int)o->min;
		return 0;
	case CTB_OPT_U32:
		return ctb_parse_u32(val, name, o->min, o->max,
				     (uint32_t *)(base + o->off), err, len);
	case CTB_OPT_STR:
		if (!val[0]) {
			snprintf(err, len, "%s '': needs a non-empty %s", name,
				 o->arg);
			return CTB_EXIT_USAGE;
		}
		*(const char **)(base + o->off) = val;
		return 0;
	case CTB_OPT_FN:
		return o->fn(ctx, name, val, err, len);
	}
	snprintf(err, len, "%s: bad option table entry", name);
	return CTB_EXIT_FAIL;
}

static const char *display(const struct ctb_opt *o, char *buf, size_t len)
{
	if (o->short_name)
		snprintf(buf, len, "-%c/--%s", o->short_name, o->name);
	else
		snprintf(buf, len, "--%s", o->name);
	return buf;
}

/* getopt_long's tables for c's n options, and "-:h" plus the shorts. */
static void build_getopt(const struct ctb_cmdspec *c, size_t n,
			 struct option *lo, char *shorts)
{
	size_t sl = strlen(shorts);

	for (size_t i = 0; i < n; i++) {
		const struct ctb_opt *o = &c->opts[i];

		lo[i].name = o->name;
		lo[i].has_arg = o->arg ? required_argument : no_argument;
		lo[i].flag = NULL;
		lo[i].val = o->short_name ? o->short_name :
			CTB_OPT_VAL_BASE + (int)i;
		if (o->short_name) {
			shorts[sl++] = o->short_name;
			if (o->arg)
				shorts[sl++] = ':';
		}
	}
	lo[n] = (struct option){ "help", no_argument, NULL, 'h' };
	lo[n + 1] = (struct option){ NULL, 0, NULL, 0 };
	shorts[sl] = '\0';
}

/* The option of c whose getopt value is val, or NULL. */
static const struct ctb_opt *find_opt(const struct ctb_cmdspec *c, size_t n,
				      const struct option *lo, int val)
{
	const struct ctb_opt *o = NULL;

	for (size_t i = 0; i < n; i++)
		if (lo[i].val == val)
			o = &c->opts[i];
	return o;
}

/*
 * Unique abbreviations are fine, but "--op" (for --opflags) is what a
 * user who means the op types: `run --op NAME` then failed as a bad
 * opflags value. arg: the word getopt_long matched as option li.
 */
static int op_mistake(const struct ctb_cmdspec *c, const char *arg,
		      const char *matched, char *err, size_t len)
{
	if (strncmp(arg, "--op", 4) || (arg[4] && arg[4] != '=') ||
	    !c->args || strcmp(c->args, "ops") || !strcmp(matched, "op"))
		return 0;
	snprintf(err, len,
		 "%s: unknown option '--op': the op is an argument, not an option: ctbench %s OP [OPTIONS] (--op abbreviates nothing here; --%s is another option)",
		 c->name, c->name, matched);
	return CTB_EXIT_USAGE;
}

/* getopt_long said '?' or ':': the usage message for bad. */
static int bad_option(const struct ctb_cmdspec *c, size_t n,
		      const struct option *lo, int ch, const char *bad,
		      char *err, size_t len)
{
	const struct ctb_opt *o = NULL;
	char dn[64];

	if (ch == ':' || (optopt && optopt != '?'))
		o = find_opt(c, n, lo, optopt);
	if (ch == ':' && o)
		snprintf(err, len,
			 "%s needs a value (%s; see 'ctbench %s --help')",
			 display(o, dn, sizeof(dn)), o->arg, c->name);
	else if (optopt && optopt < CTB_OPT_VAL_BASE && strncmp(bad, "--", 2))
		snprintf(err, len,
			 "%s: unknown option '-%c' (see 'ctbench %s --help')",
			 c->name, optopt, c->name);
	else
		snprintf(err, len,
			 "%s: unknown or ambiguous option '%s' (see 'ctbench %s --help')",
			 c->name, bad, c->name);
	return CTB_EXIT_USAGE;
}

/* A positional argument to pos, or a usage error when c takes none. */
static int positional(const struct ctb_cmdspec *c,
		      int (*pos)(void *ctx, const char *arg, char *err,
				 size_t len),
		      void *ctx, const char *arg, char *err, size_t len)
{
	if (!pos) {
		snprintf(err, len,
			 "%s: unexpected argument '%s' (see 'ctbench %s --help')",
			 c->name, arg, c->name);
		return CTB_EXIT_USAGE;
	}
	return pos(ctx, arg, err, len);
}

int ctb_opts_parse(const struct ctb_cmdspec *c, int argc, char **argv,
		   void *ctx,
		   int (*pos)(void *ctx, const char *arg, char *err,
			      size_t len),
		   char *err, size_t len)
{
	struct option lo[CTB_OPTS_MAX + 2];
	char shorts[2 * CTB_OPTS_MAX + 8] = "-:h";
	size_t n = nopts(c);
	int ret = 0, ch;

	if (n > CTB_OPTS_MAX) {
		snprintf(err, len, "%s: more than %d options in its table",
			 c->name, CTB_OPTS_MAX);
		return CTB_EXIT_FAIL;
	}
	build_getopt(c, n, lo, shorts);
	optind = 0;	/* full reset: the tests parse many command lines */
	opterr = 0;
	while (!ret) {
		const struct ctb_opt *o;
		int at = optind ? optind : 1, li = -1;

		ch = getopt_long(argc, argv, shorts, lo, &li);
		if (ch == -1)
			break;
		if (li >= 0 && at < argc &&
		    (ret = op_mistake(c, argv[at], lo[li].name, err, len)))
			return ret;
		if (ch == 1) {	/* positional, in order ("-" optstring) */
			ret = positional(c, pos, ctx, optarg, err, len);
			continue;
		}
		if (ch == 'h')
			return CTB_OPTS_HELP;
		if (ch == '?' || ch == ':')
			return bad_option(c, n, lo, ch, argv[optind - 1], err,
					  len);
		o = find_opt(c, n, lo, ch);
		if (!o) {
			snprintf(err, len, "%s: internal option error (%d)",
				 c->name, ch);
			return CTB_EXIT_FAIL;
		}
		ret = opt_apply(o, ctx, optarg, err, len);
	}
	/* after "--": the rest is positional */
	for (int i = optind; !ret && i < argc; i++)
		ret = positional(c, pos, ctx, argv[i], err, len);
	return ret;
}

void ctb_opts_help(FILE *f, const struct ctb_cmdspec *c)
{
	size_t n = nopts(c);

	fprintf(f, "usage: ctbench %s%s%s\n\n%s\n", c->name,
		c->synopsis[0] ? " " : "", c->synopsis, c->summary);
	fprintf(f, "\nOptions:\n");
	for (size_t i = 0; i < n; i++) {
		const struct ctb_opt *o = &c->opts[i];
		char head[64];
		int w;

		if (o->short_name)
			w = snprintf(head, sizeof(head), "-%c, --%s%s%s",
				     o->short_name, o->name, o->arg ? " " : "",
				     o->arg ? o->arg : "");
		else
			w = snprintf(head, sizeof(head), "    --%s%s%s",
				     o->name, o->arg ? " " : "",
				     o->arg ? o->arg : "");
		fprintf(f, "  %-24s%s", head,
			w >= 24 ? "\n                          " : "");
		if (o->kind == CTB_OPT_U32)
			fprintf(f, "%s (%u..%u)\n", o->help, o->min, o->max);
		else
			fprintf(f, "%s\n", o->help);
	}
	fprintf(f, "  %-24s%s\n", "-h, --help", "this help");
	if (c->notes)
		fprintf(f, "\n%s", c->notes);
}

void ctb_opts_complete(FILE *f, const struct ctb_cmdspec *c, const char *opt)
{
	size_t n = nopts(c);

	if (!opt) {
		for (size_t i = 0; i < n; i++) {
			fprintf(f, "--%s\n", c->opts[i].name);
			if (c->opts[i].short_name)
				fprintf(f, "-%c\n", c->opts[i].short_name);
		}
		fprintf(f, "--help\n");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct ctb_opt *o = &c->opts[i];
		char s[4] = { '-', o->short_name, 0, 0 };

		if (strcmp(opt + (opt[0] == '-' && opt[1] == '-' ? 2 : 0),
			   o->name) && (!o->short_name || strcmp(opt, s)))
			continue;
		/* fixed values; "@file" for a free value (a DIR, a number) */
		if (o->arg && !o->values)
			fprintf(f, "@file\n");
		for (const char *p = o->values; p && *p;) {
			size_t k = strcspn(p, ",");

			fprintf(f, "%.*s\n", (int)k, p);
			p += k + (p[k] == ',');
		}
	}
}
