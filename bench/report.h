/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctbench report/compare: plain text, at most 72 columns, for patch
 * changelogs and mail.
 */
#ifndef CTB_REPORT_H
#define CTB_REPORT_H

#include <stdio.h>

#include "results.h"

#define CTB_REPORT_COLS 72

/*
 * Print one result set: machine lines, then one line per row (op and
 * parameters, net median with its CI over rounds, rounds). With b
 * non-NULL this is `compare A B` with the default options (report A B is
 * an alias of compare). Returns 0 or a negative errno.
 */
int ctb_report_print(FILE *f, const struct ctb_set *a,
		     const struct ctb_set *b);

/* Output formats of compare. */
enum ctb_cmp_format {
	CTB_FMT_TEXT = 0, CTB_FMT_CSV, CTB_FMT_JSON, CTB_FMT_MARKDOWN,
};

struct ctb_cmp_opts {
	int cross_arch;		/* compare sets of two arches (ratios) */
	const char *family;	/* only rows of this family; NULL: all */
	const char *op_glob;	/* only ops matching (fnmatch); NULL: all */
	enum ctb_cmp_format format;
	FILE *err;		/* refusals and problems; NULL: stderr */
};

/* "text", "csv", "json", "markdown" (or "md") -> format; -1 if unknown. */
int ctb_cmp_format_parse(const char *s);

/*
 * Compare set a (before) with b (after) (cmpset.c, docs/patch-review.md):
 * rows matched on op+count+aux+state+opflags+targets, the batch tested
 * with ctb_compare_batch() over every matched row, the rows selected by
 * o->family / o->op_glob printed as a table with a header saying what
 * differs between the sets and a footer explaining the symbols.
 * Different kernels, configs, boot arguments, knob settings and
 * emulation are expected and shown. Returns 0; -EXDEV when the arches
 * differ and !o->cross_arch (the reason printed to o->err); -ENOENT when
 * no rows match (or none is selected); -ENOMEM / -EIO.
 */
int ctb_compare_sets(FILE *f, const struct ctb_set *a, const struct ctb_set *b,
		     const struct ctb_cmp_opts *o);

/* Shared by report.c and cmpset.c. */
const char *ctb_meta_or(const struct ctb_set *s, const char *k,
			const char *dflt);
int ctb_set_is_emulated(const struct ctb_set *s);
void ctb_set_basename(const struct ctb_set *s, char *buf, size_t len);
/* "op M=aux state opflags ->targets" (no count), the row's variant. */
void ctb_row_variant(char *buf, size_t len, const struct ctb_row *r);
/* Print s wrapped at spaces to CTB_REPORT_COLS, continuation indented. */
void ctb_wrap_line(FILE *f, const char *first, const char *s, int indent);

#endif /* CTB_REPORT_H */
