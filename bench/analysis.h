/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The analysis of a result set, computed once (analysis.c, analysis_tlb.c)
 * into the JSON object stored as <set>/analysis.json (docs/results.md,
 * "analysis.json"), and printed from that object (analysis_io.c) by run,
 * suite, report, compare and analyze.
 */
#ifndef CTB_ANALYSIS_H
#define CTB_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "row.h"

#define CTB_ANALYSIS_FILE "analysis.json"
#define CTB_ANALYSIS_SCHEMA 1

/* One op's properties from LIST_OPS (CACHETLB_PROP_*). */
struct ctb_an_op {
	char name[32];
	uint32_t props;
};

/* What the analysis is computed from. */
struct ctb_an_input {
	const struct ctb_row *rows;
	size_t nrows;
	/* op properties; NULL/0 = not recorded (old set): nothing is then
	 * "compiled empty", and the analysis says the facts are missing */
	const struct ctb_an_op *ops;
	size_t nops;
	int emulated;
	uint32_t ceiling;		/* kernel range->full threshold, 0 = ? */
	const char *ceiling_source;	/* may be NULL */
};

/*
 * Row status used by every computation: only CTB_RS_COSTS rows with a
 * positive net enter a ratio, break-even or crossover.
 */
enum ctb_row_status {
	CTB_RS_EMPTY,		/* the op is compiled empty (build fact) */
	CTB_RS_BELOW,		/* |net| <= noise floor */
	CTB_RS_UNRESOLVED,	/* CI reaches the floor / below the control */
	CTB_RS_COSTS,		/* resolved positive cost */
};

/* The analysis object (new reference), NULL when out of memory. */
json_t *ctb_analysis_compute(const struct ctb_an_input *in);

/*
 * Print the statements of family ("uaccess", "cache", "tlb"; NULL = all)
 * from an analysis object, one per line, indented by two spaces.
 */
void ctb_analysis_print(FILE *f, const json_t *an, const char *family);
/* The same, wrapped at width columns (report: 72). */
void ctb_analysis_print_width(FILE *f, const json_t *an, const char *family,
			      size_t width);

/* All statement texts joined by "; " (malloc'ed; NULL on no memory). */
char *ctb_analysis_joined(const json_t *an);

/*
 * Read <dir>/analysis.json: the object (new reference), NULL with err
 * filled when missing (-ENOENT in *code) or malformed (-EINVAL).
 */
json_t *ctb_analysis_read(const char *dir, int *code, char *err,
			  size_t len);

/* Write <dir>/analysis.json atomically (temp file + rename): 0/-errno. */
int ctb_analysis_write(const char *dir, const json_t *an);

/* Op properties recorded in an analysis object ("ops"); malloc'ed. */
struct ctb_an_op *ctb_analysis_ops(const json_t *an, size_t *n);

struct ctb_set;
/*
 * The analysis of a set read from disk; op properties from old (the set's
 * previous analysis.json, may be NULL). New reference or NULL.
 */
json_t *ctb_analysis_of_set(const struct ctb_set *s, const json_t *old);

struct ctb_session;
/* The analysis of a live session's rows (op properties from LIST_OPS). */
json_t *ctb_session_analysis(struct ctb_session *s);

/* Internal to analysis*.c. */
enum ctb_row_status ctb_an_status(const struct ctb_an_input *in,
				  const struct ctb_row *r);
int ctb_an_usable(const struct ctb_an_input *in, const struct ctb_row *r);
int ctb_an_op_empty(const struct ctb_an_input *in, const char *op);
const struct ctb_row *ctb_an_find(const struct ctb_an_input *in,
				  const char *op, uint32_t count, uint32_t aux,
				  const char *state, const char *opflags,
				  const char *targets);
int ctb_an_add(json_t *an, const char *list, json_t *entry);
int ctb_an_warn(json_t *an, const char *name, const char *family,
		const char *op, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void ctb_an_tlb(const struct ctb_an_input *in, json_t *an);

#endif /* CTB_ANALYSIS_H */
