// SPDX-License-Identifier: GPL-2.0
/*
 * ctbench compare A B --format csv|json|markdown: every number unrounded
 * (csv, json) or the table as Markdown; the text table is in cmpset.c.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include <jansson.h>

#include "cmpset.h"
#include "results.h"

static void csv_field(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void csv_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, ",%.6g", v);
	else
		fputs(",", f);
}

void ctb_cmp_csv(FILE *f, const struct ctb_cmp_ctx *m)
{
	size_t i;

	fputs("op,family,count,aux,state,opflags,targets,rounds_a,rounds_b,"
	      "net_a_ns,net_b_ns,below_floor_a,below_floor_b,floor_a_ns,"
	      "floor_b_ns,diff_ns,diff_lo_ns,diff_hi_ns,pct,pct_lo,pct_hi,"
	      "p,p_adj_bh,min_effect_ns,drift,scale_b,verdict,why,"
	      "emulated\n", f);
	for (i = 0; i < m->npairs; i++) {
		const struct ctb_cmp_pair *p = &m->pairs[i];
		const struct ctb_row *a = p->ra, *b = p->rb;

		if (!p->shown)
			continue;
		csv_field(f, a->op);
		fputc(',', f);
		csv_field(f, a->family);
		fprintf(f, ",%u,%u,", (unsigned int)a->count,
			(unsigned int)a->aux);
		csv_field(f, a->state);
		fputc(',', f);
		csv_field(f, a->opflags);
		fputc(',', f);
		csv_field(f, a->targets);
		fprintf(f, ",%zu,%zu", a->rep.rounds, b->rep.rounds);
		csv_num(f, a->rep.net);
		csv_num(f, b->rep.net);
		fprintf(f, ",%d,%d", a->rep.below_floor, b->rep.below_floor);
		csv_num(f, a->rep.floor);
		csv_num(f, b->rep.floor);
		csv_num(f, p->c.diff);
		csv_num(f, p->c.diff_lo);
		csv_num(f, p->c.diff_hi);
		csv_num(f, p->c.pct);
		csv_num(f, p->c.pct_lo);
		csv_num(f, p->c.pct_hi);
		csv_num(f, p->c.p);
		csv_num(f, p->c.p_adj);
		csv_num(f, p->c.min_effect);
		csv_num(f, m->drift);
		csv_num(f, m->scale);
		fprintf(f, ",%s,", ctb_cmp_verdict_word(p));
		csv_field(f, ctb_why_name(p->c.why));
		fprintf(f, ",%d\n", m->emulated);
	}
}

static json_t *jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static void json_difference(void *arg, const char *k, const char *va,
			    const char *vb)
{
	json_array_append_new(arg, json_pack("{s:s, s:s?, s:s?}", "key", k,
					     "a", va, "b", vb));
}

static json_t *json_side(const struct ctb_set *s, const char *key)
{
	return json_string(ctb_meta_or(s, key, "unknown"));
}

static json_t *json_one_sided(const struct ctb_set *s,
			      const unsigned char *used,
			      const struct ctb_cmp_opts *o)
{
	json_t *arr = json_array();
	char lab[200];

	for (size_t i = 0; arr && i < s->nrows; i++) {
		if (used[i] || !ctb_cmp_selected(&s->rows[i], o))
			continue;
		ctb_row_variant(lab, sizeof(lab), &s->rows[i]);
		json_array_append_new(arr, json_pack("{s:s, s:I}", "row", lab,
						     "count",
						     (json_int_t)s->rows[i].count));
	}
	return arr;
}

int ctb_cmp_json(FILE *f, const struct ctb_cmp_ctx *m)
{
	json_t *root = json_object(), *rows = json_array();
	json_t *diff = json_array();
	int ret = -ENOMEM;
	size_t i;

	if (!root || !rows || !diff)
		goto out;
	ctb_cmp_each_difference(m->a, m->b, json_difference, diff);
	json_object_set_new(root, "a", json_string(m->a->dir));
	json_object_set_new(root, "b", json_string(m->b->dir));
	json_object_set_new(root, "arch_a", json_side(m->a, "arch"));
	json_object_set_new(root, "arch_b", json_side(m->b, "arch"));
	json_object_set_new(root, "kernel_a", json_side(m->a,
							"kernel_release"));
	json_object_set_new(root, "kernel_b", json_side(m->b,
							"kernel_release"));
	json_object_set_new(root, "environment_a",
			    json_string(ctb_cmp_env_word(m->a)));
	json_object_set_new(root, "environment_b",
			    json_string(ctb_cmp_env_word(m->b)));
	json_object_set_new(root, "differs", diff);
	diff = NULL;
	json_object_set_new(root, "method", json_string(
		"Welch t-test on round nets beyond the minimum effect, "
		"Benjamini-Hochberg over the rows shown, FDR 5%"));
	json_object_set_new(root, "drift", jnum(m->drift));
	json_object_set_new(root, "drift_from", json_string(m->drift_from));
	json_object_set_new(root, "cross_arch", json_boolean(m->cross));
	json_object_set_new(root, "scale_b", jnum(m->scale));
	json_object_set_new(root, "matched", json_integer((json_int_t)m->npairs));
	for (i = 0; i < m->npairs; i++) {
		const struct ctb_cmp_pair *p = &m->pairs[i];
		char lab[200];

		if (!p->shown)
			continue;
		ctb_row_variant(lab, sizeof(lab), p->ra);
		json_array_append_new(rows, json_pack(
			"{s:s, s:s, s:s, s:I, s:o, s:o, s:b, s:b, s:o, s:o, "
			"s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:s, s:b}",
			"row", lab, "op", p->ra->op, "family", p->ra->family,
			"count", (json_int_t)p->ra->count,
			"net_a_ns", jnum(p->ra->rep.net),
			"net_b_ns", jnum(p->rb->rep.net),
			"below_floor_a", p->ra->rep.below_floor,
			"below_floor_b", p->rb->rep.below_floor,
			"diff_ns", jnum(p->c.diff),
			"diff_lo_ns", jnum(p->c.diff_lo),
			"diff_hi_ns", jnum(p->c.diff_hi),
			"pct", jnum(p->c.pct), "pct_lo", jnum(p->c.pct_lo),
			"pct_hi", jnum(p->c.pct_hi),
			"p", jnum(p->c.p), "p_adj_bh", jnum(p->c.p_adj),
			"verdict", ctb_cmp_verdict_word(p),
			"why", ctb_why_name(p->c.why),
			"emulated", m->emulated));
	}
	json_object_set_new(root, "rows", rows);
	rows = NULL;
	json_object_set_new(root, "only_a",
			    json_one_sided(m->a, m->used_a, m->o));
	json_object_set_new(root, "only_b",
			    json_one_sided(m->b, m->used_b, m->o));
	ret = ctb_json_print(f, root);
out:
	json_decref(root);
	json_decref(rows);
	json_decref(diff);
	return ret;
}

static void md_difference(void *arg, const char *k, const char *va,
			  const char *vb)
{
	fprintf(arg, "- differs: `%s`: A `%s`, B `%s`\n", k, va ? va : "",
		vb ? vb : "");
}

void ctb_cmp_markdown(FILE *f, const struct ctb_cmp_ctx *m)
{
	size_t i;

	fprintf(f, "- A (before): `%s`, %s, kernel %s, %s\n", m->a->dir,
		ctb_meta_or(m->a, "arch", "?"),
		ctb_meta_or(m->a, "kernel_release", "?"), ctb_cmp_env_word(m->a));
	fprintf(f, "- B (after): `%s`, %s, kernel %s, %s\n", m->b->dir,
		ctb_meta_or(m->b, "arch", "?"),
		ctb_meta_or(m->b, "kernel_release", "?"), ctb_cmp_env_word(m->b));
	fprintf(f, "- CPU: A %s; B %s\n", ctb_meta_or(m->a, "cpu_model", "?"),
		ctb_meta_or(m->b, "cpu_model", "?"));
	ctb_cmp_each_difference(m->a, m->b, md_difference, f);
	fprintf(f, "\n| op | N | A | B | d%% | 95%% CI | p (BH) | verdict |\n");
	fprintf(f, "|---|---:|---:|---:|---:|---|---:|---|\n");
	for (i = 0; i < m->npairs; i++) {
		const struct ctb_cmp_pair *p = &m->pairs[i];
		struct ctb_cmp_cells c;
		char lab[200];

		if (!p->shown)
			continue;
		ctb_row_variant(lab, sizeof(lab), p->ra);
		ctb_cmp_cells(&c, m, p, 7);
		fprintf(f, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", lab,
			c.n, c.va, c.vb, c.d, c.ci, c.pa, c.v);
	}
	fprintf(f, "\np: Welch's t-test on round nets beyond the minimum "
		"effect (noise floors, control change, drift %.1f%% from the %s), "
		"Benjamini-Hochberg over the %zu rows shown, FDR 5%%.%s\n",
		m->drift * 100.0, m->drift_from, m->nshown, m->emulated ?
		" *: emulated (QEMU TCG)." : "");
}

