// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for bench/results_*.c: write a result set, read it back field
 * by field, validate the JSON with Python's json module, EEXIST refusal,
 * atomicity (no temp dirs left), errors naming the missing file/column.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "results.h"
#include "tap.h"

#define PY "/usr/bin/python3"

static char tmproot[] = "/tmp/ctb-test-results.XXXXXX";

/* Run fn with stderr redirected to a buffer. */
static int capture_stderr(int (*fn)(void *), void *arg, char *buf, size_t len)
{
	char path[64];
	int fd, saved, ret;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/stderr.txt", tmproot);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return -9999;
	fflush(stderr);
	saved = dup(2);
	dup2(fd, 2);
	ret = fn(arg);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, len - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
	return ret;
}

static double raw0_ns[] = { 1000, 1100, 990, 5000, 1010 };
static double raw0_cy[] = { 3000, 3300, 2970, 15000, 3030 };
static double raw0_bns[] = { 100, 110, 99, 101, NAN };

static void mkrows(struct ctb_row *r)
{
	memset(r, 0, 3 * sizeof(*r));
	strcpy(r[0].op, "flush_dcache_page");
	strcpy(r[0].family, "cache");
	r[0].count = 64;
	r[0].aux = 0;
	strcpy(r[0].state, "dirty");
	strcpy(r[0].opflags, "vmap+double");
	r[0].cpu = 1;
	strcpy(r[0].targets, "-");
	r[0].iterations = 10;
	r[0].st = (struct ctb_stats){ 5, 99, 500, 101, 182.1, 160.9, 2, 11,
				      99, 500, 1 };
	r[0].baseline_median = 10.1;
	r[0].net = (struct ctb_net){ 90.9, 88.5, 93.25 };
	r[0].per_unit = 90.9 / 64;
	strcpy(r[0].per_unit_name, "ns/page");
	r[0].cycles_median = 303.0;
	strcpy(r[0].noop, "no");
	r[0].emulated = 1;
	strcpy(r[0].events, "cycles=n/a: no PMU, \"ENOENT\";instructions=n/a");
	r[0].raw_ns = raw0_ns;
	r[0].raw_cycles = raw0_cy;
	r[0].base_ns = raw0_bns;
	r[0].nraw = 5;

	strcpy(r[1].op, "flush_tlb_kernel_range");
	strcpy(r[1].family, "tlb");
	r[1].count = 33;
	r[1].aux = 7;
	strcpy(r[1].state, "any");
	strcpy(r[1].opflags, "-");
	r[1].cpu = 0;
	strcpy(r[1].targets, "0-3,6");
	r[1].iterations = 1;
	r[1].st = (struct ctb_stats){ 1000, 0.1, 1e9, 1.0 / 3.0, 2.5e-7, 0.125,
				      0, 1e-300, 123456789.123, 0, 0 };
	r[1].baseline_median = NAN;
	r[1].net = (struct ctb_net){ NAN, NAN, NAN };
	r[1].per_unit = 0;
	strcpy(r[1].per_unit_name, "-");
	r[1].cycles_median = NAN;
	strcpy(r[1].noop, "n/a");
	r[1].emulated = 0;
	strcpy(r[1].events, "");

	strcpy(r[2].op, "nop");
	strcpy(r[2].family, "core");
	strcpy(r[2].state, "any");
	strcpy(r[2].opflags, "-");
	r[2].cpu = -1;
	strcpy(r[2].targets, "-");
	r[2].iterations = 4294967295u;
	r[2].st = (struct ctb_stats){ 1, -2.5, -2.5, -2.5, 0, 0, 0, -2.5, -2.5,
				      0, 0 };
	r[2].baseline_median = 0;
	r[2].net = (struct ctb_net){ 0, -0.0, 1e-3 };
	strcpy(r[2].per_unit_name, "ns/line");
	r[2].cycles_median = 0;
	strcpy(r[2].noop, "yes");
	strcpy(r[2].events, "a=1;b=2");
}

static const struct ctb_kv meta[] = {
	{ "tool", "ctbench", 0 },
	{ "cpu_model", "Weird \"CPU\" \\ model\twith\ncontrol \x01 chars", 0 },
	{ "unicode", "caf\xc3\xa9 \xe2\x82\xac", 0 },
	{ "page_size", "4096", 1 },
	{ "emulated", "true", 1 },
	{ "features", "[\"smap\", \"pcid\"]", 1 },
	{ "placement", "{\"cpu\": 1, \"targets\": [0, 2], \"x\": {}}", 1 },
	{ "hypervisor", "", 0 },
	{ "counter_hz", "-1.5", 1 },
	{ "none", "null", 1 },
	/* required by the reader (with cpu_model and emulated above) */
	{ "arch", "x86_64", 0 },
	{ "kernel_release", "6.1.0-test", 0 },
	{ "date", "2026-01-01T00:00:00Z", 0 },
};

#define NMETA (sizeof(meta) / sizeof(meta[0]))

/* meta[] as the JSON object ctb_set_write takes (raw values parsed). */
static json_t *meta_obj(void)
{
	static json_t *o;

	if (o)
		return o;
	o = json_object();
	for (size_t i = 0; i < NMETA; i++)
		json_object_set_new(o, meta[i].key, meta[i].is_raw_json ?
				    json_loads(meta[i].value, JSON_DECODE_ANY,
					       NULL) :
				    json_string(meta[i].value));
	return o;
}

static int dbl_eq(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

static int stats_eq(const struct ctb_stats *a, const struct ctb_stats *b)
{
	/* max and iqr are not in results.csv */
	return a->n == b->n && dbl_eq(a->min, b->min) &&
	       dbl_eq(a->median, b->median) && dbl_eq(a->mean, b->mean) &&
	       dbl_eq(a->stddev, b->stddev) && dbl_eq(a->mad, b->mad) &&
	       dbl_eq(a->ci_lo, b->ci_lo) && dbl_eq(a->ci_hi, b->ci_hi) &&
	       a->outliers == b->outliers;
}

static int arr_eq(const double *a, const double *b, size_t n)
{
	size_t i;

	if (!a || !b)
		return a == b;
	for (i = 0; i < n; i++)
		if (!dbl_eq(a[i], b[i]))
			return 0;
	return 1;
}

static int row_eq(const struct ctb_row *a, const struct ctb_row *b, int idx)
{
	int e = !strcmp(a->op, b->op) && !strcmp(a->family, b->family) &&
		a->count == b->count && a->aux == b->aux &&
		!strcmp(a->state, b->state) &&
		!strcmp(a->opflags, b->opflags) && a->cpu == b->cpu &&
		!strcmp(a->targets, b->targets) &&
		a->iterations == b->iterations && stats_eq(&a->st, &b->st) &&
		dbl_eq(a->baseline_median, b->baseline_median) &&
		dbl_eq(a->net.median, b->net.median) &&
		dbl_eq(a->net.ci_lo, b->net.ci_lo) &&
		dbl_eq(a->net.ci_hi, b->net.ci_hi) &&
		dbl_eq(a->per_unit, b->per_unit) &&
		!strcmp(a->per_unit_name, b->per_unit_name) &&
		dbl_eq(a->cycles_median, b->cycles_median) &&
		!strcmp(a->noop, b->noop) && a->emulated == b->emulated &&
		!strcmp(a->events, b->events) && a->nraw == b->nraw &&
		arr_eq(a->raw_ns, b->raw_ns, a->nraw) &&
		arr_eq(a->raw_cycles, b->raw_cycles, a->nraw) &&
		arr_eq(a->base_ns, b->base_ns, a->nraw) &&
		arr_eq(a->base_cycles, b->base_cycles, a->nraw);
	if (!e)
		diag("row %d differs after the round trip", idx);
	return e;
}

static int count_hidden(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] == '.' && strcmp(e->d_name, ".") &&
		    strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static int run_py(const char *code, const char *arg)
{
	char cmd[4096];
	int st;

	snprintf(cmd, sizeof(cmd), PY " -c '%s' '%s'", code, arg);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

struct rd {
	const char *dir;
	struct ctb_set *s;
};

static int do_read(void *arg)
{
	struct rd *r = arg;

	return ctb_set_read(r->dir, r->s);
}

struct wr {
	const char *parent, *name;
	const struct ctb_row *rows;
};

static int do_write(void *arg)
{
	struct wr *w = arg;

	return ctb_set_write(w->parent, w->name, meta_obj(), w->rows, 3,
			     NULL, 0);
}

static int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static void test_roundtrip(const struct ctb_row *rows)
{
	char parent[256], dir[4096], path[4400], err[4096];
	struct ctb_set s;
	struct stat st;
	int ret, i;

	snprintf(parent, sizeof(parent), "%s/results", tmproot);
	ret = ctb_set_write(parent, "20260101T000000Z-h-x86_64-6.1-emulated",
			    meta_obj(), rows, 3, dir, sizeof(dir));
	ok(ret == 0, "write a set (parent dir created): %d", ret);
	ok(strstr(dir, "/results/20260101T") != NULL,
	   "out_dir is the final path: %s", dir);
	snprintf(path, sizeof(path), "%s/raw/0.csv", dir);
	ok(!stat(path, &st), "raw/0.csv written for the row with samples");
	snprintf(path, sizeof(path), "%s/raw/1.csv", dir);
	ok(stat(path, &st) && errno == ENOENT,
	   "no raw/1.csv for a row without samples");
	ok(count_hidden(parent) == 0, "no temporary directory left behind");

	ret = ctb_set_read(dir, &s);
	ok(ret == 0 && s.nrows == 3 && s.nmeta == NMETA + 1 &&
	   !strcmp(s.meta[0].key, "schema_version"),
	   "read back: %d, %zu rows, %zu meta keys (schema_version first)",
	   ret, s.nrows, s.nmeta);
	if (ret)
		return;
	for (i = 0; i < 3; i++)
		ok(row_eq(&rows[i], &s.rows[i], i),
		   "row %d: every field equal after write/read", i);
	int meta_ok = 1;

	for (i = 0; i < (int)NMETA; i++) {
		const char *v = ctb_meta_get(&s, meta[i].key);

		if (!v || strcmp(v, meta[i].value) ||
		    s.meta[i + 1].is_raw_json != meta[i].is_raw_json) {
			diag("meta %s: got '%s'", meta[i].key, v ? v : "NULL");
			meta_ok = 0;
		}
	}
	ok(meta_ok, "meta: strings unescaped, raw JSON kept verbatim");
	ok(ctb_meta_get(&s, "no_such_key") == NULL, "missing meta key: NULL");
	ok(s.rows[0].st.max == 500.0,
	   "st.max recomputed from raw/ (5000 ns / 10 iterations)");
	ok(isnan(s.rows[1].st.max) && isnan(s.rows[1].st.iqr),
	   "st.max/iqr NAN without raw samples");
	ok(!strcmp(s.dir, dir), "set dir recorded");
	ctb_set_free(&s);
	ok(s.rows == NULL && s.nrows == 0, "ctb_set_free empties the set");

	/* JSON validity and schema, checked by an independent parser */
	if (access(PY, X_OK)) {
		tap_skip("no " PY " (guest?)", "meta.json parses with python");
		tap_skip("no " PY " (guest?)", "results.json parses with python");
		goto skip_py;
	}
	snprintf(path, sizeof(path), "%s/meta.json", dir);
	ok(run_py("import json,sys; d=json.load(open(sys.argv[1])); "
		  "assert d[\"emulated\"] is True and d[\"page_size\"] == 4096; "
		  "assert d[\"cpu_model\"].startswith(\"Weird \\\"CPU\\\" \\\\\"); "
		  "assert d[\"placement\"][\"targets\"] == [0, 2]; "
		  "assert d[\"unicode\"] == \"caf\\u00e9 \\u20ac\"",
		  path) == 0, "meta.json parses with python json, values right");
	snprintf(path, sizeof(path), "%s", dir);
	ok(run_py("import json,sys,csv; p=sys.argv[1]; "
		  "d=json.load(open(p+\"/results.json\")); "
		  "h=next(csv.reader(open(p+\"/results.csv\"))); "
		  "assert all(list(r.keys()) == h for r in d[\"rows\"]), h; "
		  "r=d[\"rows\"]; assert len(r) == 3; "
		  "assert r[0][\"count\"] == 64 and r[0][\"median\"] == 101; "
		  "assert r[1][\"cycles_median\"] is None; "
		  "assert r[1][\"targets\"] == \"0-3,6\"; "
		  "assert r[0][\"events\"].endswith(\"ENOENT\\\";instructions=n/a\"); "
		  "assert d[\"meta\"][\"features\"] == [\"smap\", \"pcid\"]; "
		  "rows=list(csv.DictReader(open(p+\"/results.csv\"))); "
		  "assert rows[1][\"targets\"] == \"0-3,6\"; "
		  "assert float(rows[1][\"median\"]) == 1/3; "
		  "assert rows[1][\"cycles_median\"] == \"\"",
		  path) == 0,
	   "results.json parses, row keys = CSV header in order, CSV quoting");
skip_py:

	/* refuse to overwrite */
	ret = capture_stderr(do_write, &(struct wr){ parent,
		"20260101T000000Z-h-x86_64-6.1-emulated", rows }, err,
		sizeof(err));
	ok(ret == -EEXIST && strstr(err, "already exists"),
	   "writing an existing set: -EEXIST, message names it");
	ok(count_hidden(parent) == 0, "refusal leaves no temporary directory");

	/* an empty directory with the target name is not replaced either */
	snprintf(path, sizeof(path), "%s/emptyset", parent);
	mkdir(path, 0755);
	ret = capture_stderr(do_write, &(struct wr){ parent, "emptyset", rows },
			     err, sizeof(err));
	snprintf(path, sizeof(path), "%s/emptyset/meta.json", parent);
	ok(ret == -EEXIST && stat(path, &st) && count_hidden(parent) == 0,
	   "existing empty directory: -EEXIST, untouched, no temp left");

	ret = capture_stderr(do_write, &(struct wr){ parent, "a/b", rows },
			     err, sizeof(err));
	ok(ret == -EINVAL && strstr(err, "'a/b'"),
	   "bad set name 'a/b': -EINVAL naming it");
	ret = capture_stderr(do_write, &(struct wr){ parent, ".hidden", rows },
			     err, sizeof(err));
	ok(ret == -EINVAL, "set name starting with '.': -EINVAL");
}

/* dir/name into buf (NUL-terminated; empty when it cannot be read). */
static void read_text(const char *dir, const char *name, char *buf,
		      size_t len)
{
	char path[4400];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	n = f ? fread(buf, 1, len - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = '\0';
}

/* Copy a set of src into a new set dir, with edit applied to results.csv. */
static void make_variant(const char *src, const char *dst,
			 const char *from, const char *to)
{
	static const char *const copied[] = { "meta.json", "results.json" };
	char path[4400], buf[65536];
	char *p;

	mkdir(dst, 0755);
	for (size_t i = 0; i < sizeof(copied) / sizeof(copied[0]); i++) {
		read_text(src, copied[i], buf, sizeof(buf));
		snprintf(path, sizeof(path), "%s/%s", dst, copied[i]);
		write_text(path, buf);
	}
	read_text(src, "results.csv", buf, sizeof(buf));
	p = strstr(buf, from);
	if (p) {
		char tail[65536];

		snprintf(tail, sizeof(tail), "%s", p + strlen(from));
		snprintf(p, sizeof(buf) - (size_t)(p - buf), "%s%s", to, tail);
	}
	snprintf(path, sizeof(path), "%s/results.csv", dst);
	write_text(path, buf);
}

static void test_read_errors(const struct ctb_row *rows)
{
	char parent[256], dir[4096], v[4400], err[4096], mp[4500];
	struct ctb_set s;
	int ret;

	snprintf(parent, sizeof(parent), "%s/r3/", tmproot);
	ret = ctb_set_write(parent, "slash", meta_obj(), rows, 3, dir,
			    sizeof(dir));
	ok(ret == 0 && !strstr(dir, "//") && strstr(dir, "/r3/slash"),
	   "parent given with a trailing slash: no double slash (%s)", dir);
	snprintf(parent, sizeof(parent), "%s/r2", tmproot);
	ret = ctb_set_write(parent, "base", meta_obj(), rows, 3, dir,
			    sizeof(dir));
	ok(ret == 0, "write a base set for error tests");

	snprintf(v, sizeof(v), "%s/nomad", parent);
	make_variant(dir, v, ",mad,", ",");
	ret = capture_stderr(do_read, &(struct rd){ v, &s }, err, sizeof(err));
	ok(ret == -EINVAL && strstr(err, "missing column 'mad'"),
	   "results.csv without 'mad': fails naming the column");
	ok(s.nrows == 0 && s.rows == NULL, "failed read leaves an empty set");

	snprintf(v, sizeof(v), "%s/noevents", parent);
	make_variant(dir, v, ",emulated,events,", ",emulated,");
	ret = capture_stderr(do_read, &(struct rd){ v, &s }, err, sizeof(err));
	ok(ret == -EINVAL && strstr(err, "'events'"),
	   "without the column 'events': fails naming it");

	snprintf(v, sizeof(v), "%s/badcount", parent);
	make_variant(dir, v, "cache,64,", "cache,6x4,");
	ret = capture_stderr(do_read, &(struct rd){ v, &s }, err, sizeof(err));
	ok(ret == -EINVAL && strstr(err, "'count'") && strstr(err, "'6x4'") &&
	   strstr(err, "line 2"),
	   "bad count '6x4': error names line, column and value");

	snprintf(v, sizeof(v), "%s/bignum", parent);
	make_variant(dir, v, "cache,64,", "cache,4294967296,");
	ret = capture_stderr(do_read, &(struct rd){ v, &s }, err, sizeof(err));
	ok(ret == -EINVAL && strstr(err, "0..4294967295"),
	   "count 2^32: error gives the valid range");

	snprintf(v, sizeof(v), "%s/badquote", parent);
	make_variant(dir, v, "\"0-3,6\"", "\"0-3,6");
	ret = capture_stderr(do_read, &(struct rd){ v, &s }, err, sizeof(err));
	ok(ret == -EINVAL && strstr(err, "unterminated quoted field"),
	   "unterminated CSV quote: -EINVAL with the reason");

	snprintf(v, sizeof(v), "%s/nometa", parent);
	mkdir(v, 0755);
	ret = capture_stderr(do_read, &(struct rd){ v, &s }, err, sizeof(err));
	ok(ret == -ENOENT && strstr(err, "meta.json"),
	   "missing meta.json: -ENOENT naming the file");

	snprintf(v, sizeof(v), "%s/badjson", parent);
	mkdir(v, 0755);
	snprintf(mp, sizeof(mp), "%s/meta.json", v);
	write_text(mp, "{\"a\": \"b\", \"c\" 1}");
	ret = capture_stderr(do_read, &(struct rd){ v, &s }, err, sizeof(err));
	ok(ret == -EINVAL && strstr(err, "bad result set") &&
	   strstr(err, "meta.json: line 1") && strstr(err, "':' expected"),
	   "malformed meta.json: bad result set, file, line, reason");
}

static int read_file(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	return (int)n;
}

/*
 * Robustness: 400 corrupted copies (byte changes to characters that
 * matter to the parsers, truncation) of meta.json and results.csv. Every
 * read must return 0 or a negative errno, and a failed read must leave the
 * set empty; a crash fails the whole test program.
 */
static void test_corrupt(const struct ctb_row *rows)
{
	static const char special[] = "\",{}[]:\\\n\r0-9e.x \x01\xff";
	char parent[256], dir[4096], p[4400], orig_m[16384], orig_c[65536];
	char buf[65536], err[4096];
	uint64_t st = 99;
	int i, bad = 0, okc = 0, nm, nc;

	snprintf(parent, sizeof(parent), "%s/fz", tmproot);
	if (ctb_set_write(parent, "base", meta_obj(), rows, 3, dir,
			  sizeof(dir))) {
		ok(0, "write the set to corrupt");
		return;
	}
	snprintf(p, sizeof(p), "%s/meta.json", dir);
	nm = read_file(p, orig_m, sizeof(orig_m));
	snprintf(p, sizeof(p), "%s/results.csv", dir);
	nc = read_file(p, orig_c, sizeof(orig_c));
	for (i = 0; i < 400 && nm > 0 && nc > 0; i++) {
		int which = i & 1, len = which ? nc : nm, k, edits;
		struct ctb_set s;
		int ret;

		memcpy(buf, which ? orig_c : orig_m, (size_t)len + 1);
		st = st * 6364136223846793005ULL + 1442695040888963407ULL;
		edits = 1 + (int)((st >> 33) % 4);
		for (k = 0; k < edits; k++) {
			st = st * 6364136223846793005ULL + 1;
			buf[(st >> 20) % (uint64_t)len] =
				special[(st >> 40) % (sizeof(special) - 1)];
		}
		if ((st >> 50) % 5 == 0)	/* sometimes truncate */
			buf[(st >> 8) % (uint64_t)len] = '\0';
		snprintf(p, sizeof(p), "%s/%s", dir,
			 which ? "results.csv" : "meta.json");
		write_text(p, buf);
		ret = capture_stderr(do_read, &(struct rd){ dir, &s }, err,
				     sizeof(err));
		if (ret == 0) {
			okc++;
			ctb_set_free(&s);
		} else if (ret > 0 || s.nrows || s.nmeta || s.rows ||
			   s.meta || !err[0]) {
			bad++;
		}
		write_text(p, which ? orig_c : orig_m);	/* restore */
	}
	diag("corrupted sets: %d read fine, %d rejected, %d bad", okc,
	     400 - okc - bad, bad);
	ok(!bad && nm > 0 && nc > 0,
	   "400 corrupted files: 0 or -errno with a message, never a crash");
}

/*
 * Every committed example set read, written again by the writer (schema
 * version 2), read back: the same rows field by field, the same meta as
 * JSON values apart from schema_version, and results.json agreeing.
 */
static void test_examples(void)
{
	char src[4096], parent[256], out[4096], path[8300];
	const char *slash = strrchr(__FILE__, '/');
	struct dirent *e;
	struct stat st;
	int n = 0;
	DIR *d;

	snprintf(src, sizeof(src), "%.*s/../../results/examples",
		 (int)(slash ? slash - __FILE__ : 1), slash ? __FILE__ : ".");
	snprintf(parent, sizeof(parent), "%s/examples", tmproot);
	d = opendir(src);
	if (!d) {
		tap_skip("no results/examples next to the source",
			 "example sets round trip");
		return;
	}
	while ((e = readdir(d))) {
		struct ctb_set a, b;
		json_t *ma;
		int ok_rows = 1;

		if (e->d_name[0] == '.')
			continue;
		/* a set has meta.json (as plot.t, set-fuzz.t and ctbplot
		 * decide); verify/ and other files sit next to the sets */
		snprintf(path, sizeof(path), "%s/%s/meta.json", src, e->d_name);
		if (stat(path, &st))
			continue;
		snprintf(path, sizeof(path), "%s/%s", src, e->d_name);
		/* a directory of sets (e.g. a compare pair) is not a set */
		{
			char mp[8400];

			snprintf(mp, sizeof(mp), "%s/meta.json", path);
			if (access(mp, F_OK))
				continue;
		}
		if (ctb_set_read(path, &a)) {
			ok(0, "read example %s", e->d_name);
			continue;
		}
		n++;
		if (ctb_set_write(parent, e->d_name, a.meta_json, a.rows,
				  a.nrows, out, sizeof(out)) ||
		    ctb_set_read(out, &b)) {
			ok(0, "%s: write and read back", e->d_name);
			ctb_set_free(&a);
			continue;
		}
		for (size_t i = 0; i < a.nrows && i < b.nrows; i++)
			ok_rows &= row_eq(&a.rows[i], &b.rows[i], (int)i);
		ma = json_deep_copy(a.meta_json);
		json_object_set_new(ma, "schema_version",
				    json_integer(CTB_SCHEMA_VERSION));
		ok(a.nrows > 0 && a.nrows == b.nrows && ok_rows &&
		   json_equal(ma, b.meta_json) &&
		   json_integer_value(json_object_get(b.meta_json,
						      "schema_version")) ==
		   CTB_SCHEMA_VERSION,
		   "%s: %zu rows and meta survive writer -> reader",
		   e->d_name, a.nrows);
		json_decref(ma);
		ctb_set_free(&a);
		ctb_set_free(&b);
	}
	closedir(d);
	ok(n >= 3, "%d example sets found", n);
}

int main(void)
{
	struct ctb_row rows[3];
	char cmd[128];

	if (!mkdtemp(tmproot)) {
		printf("1..0 # SKIP cannot create a temp dir\n");
		return 0;
	}
	mkrows(rows);
	test_roundtrip(rows);
	test_read_errors(rows);
	test_corrupt(rows);
	test_examples();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmproot);
	if (system(cmd))
		diag("could not remove %s", tmproot);
	return tap_done();
}
