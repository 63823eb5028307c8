// SPDX-License-Identifier: GPL-2.0
/*
 * ctbench import-lava - LAVA job results -> ctbench result sets.
 *
 * A job is given as a file or as a directory holding any of:
 *   output.yaml   the job log: lava-run's standard output, or a lab's
 *                 `lavacli jobs logs --raw JOB` (one {dt, lvl, msg}
 *                 mapping a line, optionally as a YAML list item)
 *   results.yaml  the REST export `lavacli results --yaml JOB`
 *   result.yaml   lava-run's job verdict ({case: job, result: ...})
 *   device.yaml   the device dictionary (its hostname names the device)
 *   job.yaml      the job definition (device_type, job_name)
 *
 * What lava/run-suite.sh puts in a job (docs/fleet.md):
 *   - the whole result set, printed by lava/publish-set between CTB-SET
 *     records with a SHA-256 and size per file: this is the data;
 *   - one test case per row, "<family>.<op>.n<N>.a<aux>.<state>.<opflags>
 *     .<targets>", measurement = net median: cross-checked against the set
 *     row by row, and the only data a REST export has;
 *   - meta.<key>.<value> cases (arch, kernel release, ...), unsupported.<op>
 *     skips, and setup/run cases (kernel-match, module, ctbench-*).
 * A set comes out whole (verified files, every row matched by its test
 * case) or not at all; anything short of that is an error naming what is
 * missing, unless --partial, which writes what there is and marks the set
 * "lava_partial": true with the reasons. With only a REST export the rows
 * are rebuilt from the test cases (net medians only, "lava_reduced").
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import_lava.h"
#include "lava_job.h"
#include "opts.h"
#include "results.h"
#include "suite.h"

struct opts {
	const char *out, *board, *device, *job_id, *job_url;
	int partial;
};

/* What the import-lava option table stores into. */
struct lava_ctx {
	struct opts o;
	const char *inputs[256];
	size_t nin;
};

#define LC struct lava_ctx
static const struct ctb_opt lava_opts[] = {
	CTB_OPT_STR_E("output", 'o', "DIR", LC, o.out, NULL,
		      "write the result sets below DIR (required)"),
	CTB_OPT_STR_E("board", 0, "NAME", LC, o.board, NULL,
		      "board label recorded in each set's meta"),
	CTB_OPT_STR_E("device", 0, "NAME", LC, o.device, NULL,
		      "LAVA device name (one JOB only)"),
	CTB_OPT_STR_E("job-id", 0, "ID", LC, o.job_id, NULL,
		      "LAVA job id (one JOB only)"),
	CTB_OPT_STR_E("job-url", 0, "URL", LC, o.job_url, NULL,
		      "LAVA job URL (one JOB only)"),
	CTB_OPT_FLAG_E("partial", 0, LC, o.partial, 1,
		       "import the rows of a job that did not finish"),
	{ NULL }
};
#undef LC

const struct ctb_cmdspec ctb_import_lava_spec = {
	.name = "import-lava",
	.synopsis = "JOB... -o DIR [OPTIONS]",
	.summary = "Turn LAVA job results (a lava-run output directory, a job log or a\n"
		   "`lavacli results --yaml` export) into result sets below DIR, with\n"
		   "device, board and job metadata (docs/fleet.md).",
	.opts = lava_opts,
	.args = "files",
	.notes = NULL,
};

#ifndef CTB_NO_LIBYAML
#include <yaml.h>

/* ------------------------------------------------------------ rows */

/* The test-case name lava/run-suite.sh gives a row (keep in sync). */
static void row_case_name(const struct ctb_row *r, char *out, size_t len)
{
	char *p;

	snprintf(out, len, "%s.%s.n%u.a%u.%s.%s.%s", r->family, r->op,
		 r->count, r->aux, r->state[0] ? r->state : "-",
		 r->opflags[0] ? r->opflags : "-",
		 r->targets[0] ? r->targets : "-");
	for (p = out; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._+-", *p))
			*p = '_';
}

static struct lcase *find_case(struct job *j, const char *name)
{
	size_t i;

	for (i = 0; i < j->ncases; i++)
		if (!strcmp(j->cases[i].name, name))
			return &j->cases[i];
	return NULL;
}

/* Parse a row case name into a reduced row; 0 or -1 (not a row case). */
static int case_to_row(const struct lcase *c, struct ctb_row *r)
{
	char buf[256], *f[8], *save = NULL, *t, *end;
	int n = 0;
	unsigned long v;

	if (strlen(c->name) >= sizeof(buf))
		return -1;
	strcpy(buf, c->name);
	for (t = strtok_r(buf, ".", &save); t && n < 8;
	     t = strtok_r(NULL, ".", &save))
		f[n++] = t;
	if (n != 7 || f[2][0] != 'n' || f[3][0] != 'a' ||
	    !isdigit((unsigned char)f[2][1]) || !isdigit((unsigned char)f[3][1]))
		return -1;
	memset(r, 0, sizeof(*r));
	snprintf(r->family, sizeof(r->family), "%s", f[0]);
	snprintf(r->op, sizeof(r->op), "%s", f[1]);
	v = strtoul(f[2] + 1, &end, 10);
	if (*end || v > UINT32_MAX)
		return -1;
	r->count = (uint32_t)v;
	v = strtoul(f[3] + 1, &end, 10);
	if (*end || v > UINT32_MAX)
		return -1;
	r->aux = (uint32_t)v;
	snprintf(r->state, sizeof(r->state), "%s", strcmp(f[4], "-") ? f[4] : "");
	snprintf(r->opflags, sizeof(r->opflags), "%s", strcmp(f[5], "-") ? f[5] : "");
	snprintf(r->targets, sizeof(r->targets), "%s", strcmp(f[6], "-") ? f[6] : "");
	r->cpu = -1;
	r->st.min = r->st.max = r->st.mean = r->st.stddev = NAN;
	r->st.mad = r->st.iqr = r->st.ci_lo = r->st.ci_hi = NAN;
	r->st.median = c->meas;
	r->baseline_median = NAN;
	r->net.median = c->meas;
	r->net.ci_lo = r->net.ci_hi = NAN;
	r->per_unit = NAN;
	r->cycles_median = NAN;
	snprintf(r->noop, sizeof(r->noop), "%s",
		 !strcmp(c->result, "skip") ? "yes" : "n/a");
	return 0;
}

static int is_row_case(const struct lcase *c)
{
	struct ctb_row r;

	return case_to_row(c, &r) == 0;
}

/* ------------------------------------------------------------ output */

struct metab {
	json_t *o;	/* the meta object being built, in key order */
};

/* Set key k: a JSON string, or (raw) the JSON text v parsed as a value. */
static void meta_set(struct metab *m, const char *k, const char *v, int raw)
{
	json_t *val = raw ? json_loads(v, JSON_DECODE_ANY, NULL) :
		json_string(v);

	if (!m->o)
		m->o = json_object();
	if (!val)	/* not valid JSON (or not UTF-8): keep it as text */
		val = json_stringn_nocheck(v, strlen(v));
	json_object_set_new(m->o, k, val);
}

static void meta_free(struct metab *m)
{
	json_decref(m->o);
	m->o = NULL;
}

/* The LAVA keys every imported set gets. */
static void lava_meta(struct metab *m, struct job *j, const struct opts *o,
		      const char *source)
{
	json_t *uns = json_array();
	size_t i;
	const char *dev = o->device ? o->device : j->device;

	meta_set(m, "lava_source", source, 0);
	meta_set(m, "lava_input", j->input, 0);
	meta_set(m, "lava_job_id", o->job_id ? o->job_id :
		 j->job_id ? j->job_id : "unknown", 0);
	if (o->job_url) {
		meta_set(m, "lava_job_url", o->job_url, 0);
	} else if (j->job_url_path) {
		/* the export's URLs are relative to the lab */
		meta_set(m, "lava_job_url", j->job_url_path, 0);
	} else {
		meta_set(m, "lava_job_url", "unknown", 0);
	}
	meta_set(m, "lava_device", dev ? dev : "unknown", 0);
	meta_set(m, "lava_device_type", j->device_type ? j->device_type :
		 "unknown", 0);
	if (j->job_name)
		meta_set(m, "lava_job_name", j->job_name, 0);
	meta_set(m, "lava_job_result", j->job_result ? j->job_result :
		 "unknown", 0);
	meta_set(m, "board", o->board ? o->board : dev ? dev : "unknown", 0);
	for (i = 0; i < j->ncases; i++) {
		if (!strncmp(j->cases[i].name, "unsupported.", 12)) {
			json_array_append_new(uns,
					      json_string(j->cases[i].name + 12));
			j->cases[i].used = 1;
		}
	}
	json_object_set_new(m->o, "lava_unsupported_ops", uns);
}

static int write_out(const struct opts *o, const char *name,
		     struct metab *m, const struct ctb_row *rows, size_t n)
{
	char out[4096];
	int ret = ctb_set_write(o->out, name, m->o, rows, n, out,
				sizeof(out));

	if (ret)
		return -1;
	printf("%s\n", out);
	return 0;
}

/* Write one embedded set's verified files to a temporary directory. */
static int stage_set(const struct eset *s, char *dir, size_t len)
{
	size_t i;

	snprintf(dir, len, "%s/ctb-import-lava-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir)) {
		fprintf(stderr, "ctbench: import-lava: mkdtemp %s: %s\n", dir,
			strerror(errno));
		return -1;
	}
	for (i = 0; i < s->nfiles; i++) {
		const struct efile *f = &s->files[i];
		char p[PATH_MAX + 512];
		FILE *fp;

		if (strlen(f->path) > 256 || strstr(f->path, "..") || f->path[0] == '/' ||
		    (strncmp(f->path, "raw/", 4) && strchr(f->path, '/')))
			continue;
		if (!strncmp(f->path, "raw/", 4)) {
			snprintf(p, sizeof(p), "%s/raw", dir);
			mkdir(p, 0755);
		}
		snprintf(p, sizeof(p), "%s/%s", dir, f->path);
		fp = fopen(p, "wb");
		if (!fp || fwrite(f->data.s ? f->data.s : "", 1, f->data.len, fp)
			   != f->data.len || fclose(fp)) {
			fprintf(stderr, "ctbench: import-lava: cannot write %s\n", p);
			return -1;
		}
	}
	return 0;
}

static void unstage(const char *dir)
{
	char cmd[PATH_MAX + 32];

	if (strncmp(dir, "/", 1) || !strstr(dir, "ctb-import-lava-"))
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		fprintf(stderr, "ctbench: import-lava: could not remove %s\n", dir);
}

/* Check an embedded set's files; 0 complete, else a reason is recorded. */
static int verify_set(struct job *j, const struct eset *s)
{
	int bad = 0, have_csv = 0, have_meta = 0;
	size_t i;

	if (!s->ended) {
		lava_problem(j, "set %s: no CTB-SET-END (the job stopped while printing it)",
			s->name);
		bad = 1;
	} else if (s->declared != s->nfiles) {
		lava_problem(j, "set %s: %zu of %zu files in the log", s->name,
			s->nfiles, s->declared);
		bad = 1;
	}
	for (i = 0; i < s->nfiles; i++) {
		const struct efile *f = &s->files[i];
		char sum[65];

		have_csv |= !strcmp(f->path, "results.csv") && f->ended;
		have_meta |= !strcmp(f->path, "meta.json") && f->ended;
		if (!f->ended) {
			lava_problem(j, "set %s: %s cut off", s->name, f->path);
			bad = 1;
			continue;
		}
		lava_sha256_hex(f->data.s ? f->data.s : "", f->data.len, sum);
		if (f->data.len != f->size || strcmp(sum, f->sha)) {
			lava_problem(j, "set %s: %s is %zu bytes with SHA-256 %.12s..., the device sent %zu bytes with %.12s... (altered or lines lost in the log)",
				s->name, f->path, f->data.len, sum, f->size, f->sha);
			bad = 1;
		}
	}
	if (!have_csv || !have_meta) {
		lava_problem(j, "set %s: %s missing", s->name,
			!have_csv ? "results.csv" : "meta.json");
		bad = 1;
	}
	return bad ? -1 : 0;
}

/* Compare a set's rows with the job's test cases; mark matches used. */
static void cross_check(struct job *j, const struct ctb_set *set,
			const char *name)
{
	size_t i;

	for (i = 0; i < set->nrows; i++) {
		const struct ctb_row *r = &set->rows[i];
		char cn[256];
		struct lcase *c;
		int want_skip = !strcmp(r->noop, "yes");

		row_case_name(r, cn, sizeof(cn));
		c = find_case(j, cn);
		if (!c) {
			lava_problem(j, "set %s: row %zu (%s) has no test case %s in the job", name,
				i + 1, r->op, cn);
			continue;
		}
		c->used = 1;
		if (strcmp(c->result, want_skip ? "skip" : "pass"))
			lava_problem(j, "set %s: test case %s is %s, the row says %s", name, cn,
				c->result, want_skip ? "skip (no-op)" : "pass");
		if (isfinite(r->net.median) != isfinite(c->meas) ||
		    (isfinite(c->meas) &&
		     fabs(c->meas - r->net.median) >
		     1e-6 * fmax(1.0, fabs(r->net.median))))
			lava_problem(j, "set %s: test case %s measured %g, the row's net median is %g",
				name, cn, c->meas, r->net.median);
	}
}

/* Setup/run failures on the device, and the job's own verdict. */
static void check_job_cases(struct job *j)
{
	size_t i;

	for (i = 0; i < j->ncases; i++) {
		struct lcase *c = &j->cases[i];

		if (is_row_case(c) || !strncmp(c->name, "unsupported.", 12) ||
		    !strncmp(c->name, "meta.", 5))
			continue;
		c->used = 1;
		if (!strcmp(c->result, "fail"))
			lava_problem(j, "test case %s failed on the device", c->name);
	}
	if (j->job_result && strcmp(j->job_result, "pass"))
		lava_problem(j, "the LAVA job result is %s%s%s", j->job_result,
			     j->job_error && *j->job_error ? ": " : "",
			     j->job_error ? j->job_error : "");
}

/* Output name of set @i: <set>-lava<job>, -2, -3 ... for repeated names. */
static void set_out_name(const struct job *j, const struct opts *o, size_t i,
			 char *name, size_t len)
{
	const struct eset *s = &j->sets[i];
	size_t k, dup, l;

	snprintf(name, len, "%s-lava%s", s->name,
		 o->job_id ? o->job_id : j->job_id ? j->job_id : "");
	/* runs of one job may end in the same second: same name */
	for (k = 0, dup = 0; k < i; k++)
		dup += !strcmp(j->sets[k].name, s->name);
	l = strlen(name);
	if (dup)
		snprintf(name + l, len - l, "-%zu", dup + 1);
}

/*
 * Result set @i of the log: verified, read, cross-checked against the test
 * cases and written.  Returns 1 if written, 0 if not, -1 if it could not
 * be staged; sets *@ret to CTB_EXIT_FAIL when it failed for a reason that
 * is not recorded as a problem.
 */
static int import_set(struct job *j, const struct opts *o, size_t i, int *ret)
{
	struct eset *s = &j->sets[i];
	char dir[PATH_MAX], name[512];
	struct ctb_set set = { 0 };
	struct metab m = { 0 };
	size_t before = j->nproblems;
	int written = 0;

	if (verify_set(j, s) && !o->partial)
		return 0;
	if (stage_set(s, dir, sizeof(dir)))
		return -1;
	if (ctb_set_read(dir, &set)) {
		lava_problem(j, "set %s: the files in the log do not form a result set (above)",
			     s->name);
		unstage(dir);
		return 0;
	}
	unstage(dir);
	cross_check(j, &set, s->name);
	m.o = json_deep_copy(set.meta_json);
	lava_meta(&m, j, o, "log");
	meta_set(&m, "lava_partial", j->nproblems > 0 ? "true" : "false", 1);
	if (j->nproblems)
		meta_set(&m, "lava_partial_reason", j->problems.s, 0);
	set_out_name(j, o, i, name, sizeof(name));
	if ((j->nproblems == 0 || o->partial) &&
	    !write_out(o, name, &m, set.rows, set.nrows))
		written = 1;
	else if (j->nproblems == before && !o->partial)
		*ret = CTB_EXIT_FAIL;
	meta_free(&m);
	ctb_set_free(&set);
	return written;
}

/* meta.<key>.<value> test cases -> meta keys of a reduced set. */
static void reduced_meta(struct job *j, struct metab *m)
{
	size_t i;

	meta_set(m, "tool", "ctbench", 0);
	for (i = 0; i < j->ncases; i++) {
		const char *n = j->cases[i].name, *dot;
		char key[64];

		if (strncmp(n, "meta.", 5) || !(dot = strchr(n + 5, '.')) ||
		    (size_t)(dot - n - 5) >= sizeof(key))
			continue;
		snprintf(key, sizeof(key), "%.*s", (int)(dot - n - 5), n + 5);
		meta_set(m, key, dot + 1, 0);
		j->cases[i].used = 1;
	}
	if (!json_object_get(m->o, "arch"))
		lava_problem(j, "no meta.arch test case: the arch of the reduced set is unknown");
}

/* Writes the reduced set of @nrows rows; returns 0 when written. */
static int write_reduced(struct job *j, const struct opts *o,
			 const struct ctb_row *rows, size_t nrows)
{
	struct metab m = { 0 };
	char name[512];
	int ret;

	reduced_meta(j, &m);
	lava_meta(&m, j, o, j->have_log ? "log-test-cases" : "rest-test-cases");
	meta_set(&m, "lava_reduced", "true", 1);
	meta_set(&m, "lava_partial", j->have_log ? "true" : "false", 1);
	if (j->nproblems)
		meta_set(&m, "lava_partial_reason", j->problems.s, 0);
	snprintf(name, sizeof(name), "lava%s-%s-reduced",
		 o->job_id ? o->job_id : j->job_id ? j->job_id : "",
		 o->board ? o->board : o->device ? o->device :
		 j->device ? j->device : "device");
	for (char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._+-", *p))
			*p = '_';
	ret = write_out(o, name, &m, rows, nrows);
	meta_free(&m);
	return ret;
}

/*
 * Row test cases no set accounted for: with a log they are a problem, with
 * only a REST export (or --partial) they become a reduced set.  Returns the
 * rows written that way.
 */
static size_t import_reduced(struct job *j, const struct opts *o)
{
	struct ctb_row *rows = NULL;
	size_t i, nrows = 0, caprows = 0, written = 0;

	for (i = 0; i < j->ncases; i++) {
		struct ctb_row r;

		if (j->cases[i].used || case_to_row(&j->cases[i], &r))
			continue;
		j->cases[i].used = 1;
		PUSH(rows, nrows, caprows);
		rows[nrows++] = r;
	}
	if (nrows && j->have_log)
		lava_problem(j, "%zu row test case(s) without a complete result set in the log (e.g. %s.%s n=%u)",
			     nrows, rows[0].family, rows[0].op, rows[0].count);
	if (nrows && (!j->have_log || o->partial) &&
	    !write_reduced(j, o, rows, nrows))
		written = nrows;
	free(rows);
	return written;
}

static int import_job(struct job *j, const struct opts *o)
{
	size_t i, nwritten = 0, nreduced;
	int ret = 0, r;

	check_job_cases(j);
	for (i = 0; i < j->nsets; i++) {
		r = import_set(j, o, i, &ret);
		if (r < 0)
			return CTB_EXIT_FAIL;
		nwritten += r;
	}
	nreduced = import_reduced(j, o);
	nwritten += nreduced > 0;

	if (j->nproblems) {
		fprintf(stderr, "ctbench: import-lava: %s: %s\n", j->input,
			j->problems.s);
		if (!o->partial) {
			fprintf(stderr, "ctbench: import-lava: %s: nothing written for the incomplete set(s); --partial writes what there is, marked \"lava_partial\": true\n",
				j->input);
			return CTB_EXIT_FAIL;
		}
	}
	if (!nwritten) {
		fprintf(stderr, "ctbench: import-lava: %s: no result set and no row test case in the job (was lava/cachetlb-bench.yaml run? see docs/fleet.md)\n",
			j->input);
		return CTB_EXIT_FAIL;
	}
	if (nreduced)
		fprintf(stderr, "ctbench: import-lava: %s: %zu row(s) rebuilt from test cases: net medians only (\"lava_reduced\": true)\n",
			j->input, nreduced);
	return ret;
}

static int lava_positional(void *ctx, const char *a, char *err, size_t len)
{
	struct lava_ctx *c = ctx;

	if (c->nin == sizeof(c->inputs) / sizeof(c->inputs[0])) {
		snprintf(err, len, "more than %zu jobs; import them in batches",
			 c->nin);
		return CTB_EXIT_USAGE;
	}
	c->inputs[c->nin++] = a;
	return 0;
}

int ctb_cmd_import_lava(int argc, char **argv)
{
	struct lava_ctx c;
	struct opts o;
	const char **inputs = c.inputs;
	char err[CTB_ERRLEN];
	size_t nin, i;
	int ret = CTB_EXIT_OK;

	memset(&c, 0, sizeof(c));
	ret = ctb_opts_parse(&ctb_import_lava_spec, argc, argv, &c,
			     lava_positional, err, sizeof(err));
	if (ret == CTB_OPTS_HELP) {
		ctb_opts_help(stdout, &ctb_import_lava_spec);
		return 0;
	}
	if (ret) {
		fprintf(stderr, "ctbench: import-lava: %s\n", err);
		return ret;
	}
	o = c.o;
	nin = c.nin;
	if (!o.out || !nin) {
		fprintf(stderr, "ctbench: import-lava: give JOB... and -o DIR (JOB: a lava-run output directory, a job log or a `lavacli results --yaml` export)\n");
		return CTB_EXIT_USAGE;
	}
	if (nin > 1 && (o.job_id || o.job_url || o.device)) {
		fprintf(stderr, "ctbench: import-lava: --job-id/--job-url/--device describe one job; give one JOB with them\n");
		return CTB_EXIT_USAGE;
	}
	for (i = 0; i < nin; i++) {
		struct job j = { 0 };
		int r;

		r = lava_load_job(&j, inputs[i]) ? CTB_EXIT_FAIL : import_job(&j, &o);
		if (r && !ret)
			ret = r;
		lava_job_free(&j);
	}
	return ret;
}

#else /* CTB_NO_LIBYAML */

int ctb_cmd_import_lava(int argc, char **argv)
{
	struct lava_ctx c;
	char err[CTB_ERRLEN];
	int ret;

	memset(&c, 0, sizeof(c));
	ret = ctb_opts_parse(&ctb_import_lava_spec, argc, argv, &c, NULL,
			     err, sizeof(err));
	if (ret == CTB_OPTS_HELP) {
		ctb_opts_help(stdout, &ctb_import_lava_spec);
		return 0;
	}
	fprintf(stderr, "ctbench: import-lava: this ctbench was built without libyaml (static builds for guests are); use the host build (make userspace, with libyaml-dev from scripts/deps)\n");
	return CTB_EXIT_FAIL;
}

#endif /* CTB_NO_LIBYAML */
