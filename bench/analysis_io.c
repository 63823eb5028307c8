// SPDX-License-Identifier: GPL-2.0
/*
 * analysis.json: printing an analysis object, reading and writing it, and
 * `ctbench analyze DIR` (recompute it for an existing result set).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis.h"
#include "results.h"

static const char *text_of(const json_t *e)
{
	return json_string_value(json_object_get(e, "text"));
}

static int family_is(const json_t *e, const char *family)
{
	const char *f = json_string_value(json_object_get(e, "family"));

	return !family || (f && !strcmp(f, family));
}

/* Lists printed, in this order; verdicts only when not plain "costs". */
static const char *const lists[] = {
	"verdicts", "ratios", "break_evens", "crossovers", "notes", "warnings",
};

static int printable(const char *list, const json_t *e)
{
	const char *v;

	if (strcmp(list, "verdicts"))
		return 1;
	v = json_string_value(json_object_get(e, "verdict"));
	return !v || strcmp(v, "costs");
}

/* "  " + text, wrapped at width columns (0 = never) with "    " after. */
static void put_wrapped(FILE *f, const char *t, size_t width)
{
	size_t col = 2, ind = 2;

	fputs("  ", f);
	while (*t) {
		size_t w = strcspn(t, " ");

		if (width && col > ind && col + 1 + w > width) {
			fputs("\n    ", f);
			col = ind = 4;
		} else if (col > ind) {
			fputc(' ', f);
			col++;
		}
		fwrite(t, 1, w, f);
		col += w;
		t += w;
		while (*t == ' ')
			t++;
	}
	fputc('\n', f);
}

void ctb_analysis_print(FILE *f, const json_t *an, const char *family)
{
	ctb_analysis_print_width(f, an, family, 0);
}

void ctb_analysis_print_width(FILE *f, const json_t *an, const char *family,
			      size_t width)
{
	int emu = json_is_true(json_object_get(an, "emulated"));
	int any = 0;
	char line[1200];

	for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
		const json_t *arr = json_object_get(an, lists[l]), *e;
		size_t i;

		json_array_foreach(arr, i, e) {
			const char *t = text_of(e);

			if (!t || !family_is(e, family) ||
			    !printable(lists[l], e))
				continue;
			if (!strcmp(lists[l], "warnings")) {
				const char *n = json_string_value(
					json_object_get(e, "name"));

				snprintf(line, sizeof(line), "warning %s: %s",
					 n ? n : "?", t);
			} else if (!strcmp(lists[l], "crossovers") &&
				   json_is_true(json_object_get(e,
							       "primary"))) {
				snprintf(line, sizeof(line),
					 "%s [TLB crossover statement]", t);
			} else {
				snprintf(line, sizeof(line), "%s", t);
			}
			put_wrapped(f, line, width);
			any = 1;
		}
	}
	if (any && emu)
		put_wrapped(f, "(every number above is QEMU TCG emulation, not hardware)",
			    width);
}

char *ctb_analysis_joined(const json_t *an)
{
	size_t cap = 256, len = 0;
	char *s = malloc(cap);

	if (!s)
		return NULL;
	s[0] = '\0';
	for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
		const json_t *arr = json_object_get(an, lists[l]), *e;
		size_t i;

		json_array_foreach(arr, i, e) {
			const char *t = text_of(e);
			size_t tl;

			if (!t || !printable(lists[l], e))
				continue;
			tl = strlen(t);
			if (len + tl + 3 > cap) {
				char *n;

				while (len + tl + 3 > cap)
					cap *= 2;
				n = realloc(s, cap);
				if (!n) {
					free(s);
					return NULL;
				}
				s = n;
			}
			len += (size_t)sprintf(s + len, "%s%s", len ? "; " : "",
					       t);
		}
	}
	return s;
}

/* The keys every analysis object has, with their JSON kinds. */
static int check(const json_t *an, char *err, size_t len)
{
	static const char *const arrays[] = {
		"ops", "verdicts", "rows", "ratios", "break_evens",
		"crossovers", "notes", "warnings",
	};
	const json_t *v = json_object_get(an, "schema");

	if (!json_is_object(an)) {
		snprintf(err, len, "expected a JSON object");
		return -EINVAL;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > CTB_ANALYSIS_SCHEMA) {
		snprintf(err, len, "key 'schema': expected an integer 1..%d",
			 CTB_ANALYSIS_SCHEMA);
		return -EINVAL;
	}
	for (size_t i = 0; i < sizeof(arrays) / sizeof(arrays[0]); i++) {
		const json_t *a = json_object_get(an, arrays[i]), *e;
		size_t k;

		if (!json_is_array(a)) {
			snprintf(err, len, "key '%s': expected an array",
				 arrays[i]);
			return -EINVAL;
		}
		json_array_foreach(a, k, e) {
			if (!json_is_object(e) ||
			    (strcmp(arrays[i], "ops") && strcmp(arrays[i], "rows") &&
			     !json_is_string(json_object_get(e, "text")))) {
				snprintf(err, len,
					 "%s[%zu]: expected an object with a string 'text'",
					 arrays[i], k);
				return -EINVAL;
			}
		}
	}
	return 0;
}

json_t *ctb_analysis_read(const char *dir, int *code, char *err, size_t len)
{
	char p[PATH_MAX], e[256];
	json_error_t je;
	json_t *an;

	if (snprintf(p, sizeof(p), "%s/%s", dir, CTB_ANALYSIS_FILE) >=
	    (int)sizeof(p)) {
		*code = -ENAMETOOLONG;
		snprintf(err, len, "%s: path too long", dir);
		return NULL;
	}
	if (access(p, F_OK)) {
		*code = -ENOENT;
		snprintf(err, len, "%s: no %s (run `ctbench analyze %s`)", dir,
			 CTB_ANALYSIS_FILE, dir);
		return NULL;
	}
	an = json_load_file(p, 0, &je);
	if (!an) {
		*code = -EINVAL;
		snprintf(err, len, "%s: line %d: %s", CTB_ANALYSIS_FILE,
			 je.line, je.text);
		return NULL;
	}
	if (check(an, e, sizeof(e))) {
		*code = -EINVAL;
		snprintf(err, len, "%s: %s", CTB_ANALYSIS_FILE, e);
		json_decref(an);
		return NULL;
	}
	*code = 0;
	return an;
}

int ctb_analysis_write(const char *dir, const json_t *an)
{
	char tmp[PATH_MAX], fin[PATH_MAX];
	FILE *f;
	int fd, err = 0;

	if (snprintf(fin, sizeof(fin), "%s/%s", dir, CTB_ANALYSIS_FILE) >=
	    (int)sizeof(fin) ||
	    snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dir,
		     CTB_ANALYSIS_FILE) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkstemp(tmp);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		err = -errno;
		close(fd);
		unlink(tmp);
		return err;
	}
	if (fchmod(fd, 0644) || ctb_json_print(f, an) || fflush(f) ||
	    fsync(fd))
		err = errno ? -errno : -EIO;
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, fin))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

struct ctb_an_op *ctb_analysis_ops(const json_t *an, size_t *n)
{
	const json_t *ops = json_object_get(an, "ops"), *e;
	struct ctb_an_op *o;
	size_t i, k = 0;

	*n = 0;
	if (!json_array_size(ops))
		return NULL;
	o = calloc(json_array_size(ops), sizeof(*o));
	if (!o)
		return NULL;
	json_array_foreach(ops, i, e) {
		const char *name = json_string_value(json_object_get(e, "op"));
		const json_t *p = json_object_get(e, "props");

		if (!name || !json_is_integer(p))
			continue;
		snprintf(o[k].name, sizeof(o[k].name), "%s", name);
		o[k++].props = (uint32_t)json_integer_value(p);
	}
	*n = k;
	return o;
}

/* Compute the analysis of a set read from disk (ops from old analysis). */
json_t *ctb_analysis_of_set(const struct ctb_set *s, const json_t *old)
{
	const char *emu = ctb_meta_get(s, "emulated");
	const char *ceil = ctb_meta_get(s, "tlb_flush_ceiling");
	size_t nops = 0;
	struct ctb_an_op *ops = old ? ctb_analysis_ops(old, &nops) : NULL;
	struct ctb_an_input in = {
		.rows = s->rows, .nrows = s->nrows, .ops = ops, .nops = nops,
		.emulated = emu && !strcmp(emu, "true"),
		.ceiling = ceil ? (uint32_t)strtoul(ceil, NULL, 10) : 0,
		.ceiling_source = ctb_meta_get(s, "ceiling_source"),
	};
	json_t *an = ctb_analysis_compute(&in);

	free(ops);
	return an;
}
