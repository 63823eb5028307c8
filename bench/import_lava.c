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

/* ------------------------------------------------------------ helpers */

static char *xstrdup(const char *s)
{
	char *p = strdup(s ? s : "");

	if (!p) {
		fprintf(stderr, "ctbench: import-lava: out of memory\n");
		exit(CTB_EXIT_FAIL);
	}
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q) {
		fprintf(stderr, "ctbench: import-lava: out of memory\n");
		exit(CTB_EXIT_FAIL);
	}
	return q;
}

#define PUSH(arr, n, cap) do {						\
	if ((n) == (cap)) {						\
		(cap) = (cap) ? 2 * (cap) : 16;				\
		(arr) = xrealloc((arr), (cap) * sizeof(*(arr)));	\
	}								\
} while (0)

struct sbuf {
	char *s;
	size_t len, cap;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

/* ------------------------------------------------------------ SHA-256 */

struct sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char buf[64];
	size_t nbuf;
};

static const uint32_t sha_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha_block(struct sha256 *c, const unsigned char *p)
{
	uint32_t w[64], a, b, cc, d, e, f, g, h, t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (i = 16; i < 64; i++)
		w[i] = w[i - 16] + w[i - 7] +
		       (ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3)) +
		       (ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10));
	a = c->h[0]; b = c->h[1]; cc = c->h[2]; d = c->h[3];
	e = c->h[4]; f = c->h[5]; g = c->h[6]; h = c->h[7];
	for (i = 0; i < 64; i++) {
		t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +
		     ((e & f) ^ (~e & g)) + sha_k[i] + w[i];
		t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
		     ((a & b) ^ (a & cc) ^ (b & cc));
		h = g; g = f; f = e; e = d + t1;
		d = cc; cc = b; b = a; a = t1 + t2;
	}
	c->h[0] += a; c->h[1] += b; c->h[2] += cc; c->h[3] += d;
	c->h[4] += e; c->h[5] += f; c->h[6] += g; c->h[7] += h;
}

static void sha256_hex(const char *data, size_t len, char out[65])
{
	static const uint32_t h0[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};
	struct sha256 c;
	unsigned char pad[128];
	size_t i, npad;

	memcpy(c.h, h0, sizeof(h0));
	for (i = 0; i + 64 <= len; i += 64)
		sha_block(&c, (const unsigned char *)data + i);
	npad = len - i;
	memcpy(pad, data + i, npad);
	pad[npad++] = 0x80;
	while (npad % 64 != 56)
		pad[npad++] = 0;
	for (i = 0; i < 8; i++)
		pad[npad++] = (unsigned char)((uint64_t)len * 8 >> (56 - 8 * i));
	for (i = 0; i < npad; i += 64)
		sha_block(&c, pad + i);
	for (i = 0; i < 8; i++)
		snprintf(out + 8 * i, 9, "%08x", c.h[i]);
}

/* ------------------------------------------------------------ job model */

struct lcase {
	char *suite, *name, *result, *units;
	double meas;		/* NAN: none */
	int used;		/* matched by a row of a set */
};

struct efile {
	char *path, sha[65];
	size_t size;
	struct sbuf data;
	int ended;
};

struct eset {
	char *name;
	struct efile *files;
	size_t nfiles, capfiles, declared;
	int ended;
};

struct job {
	const char *input;
	struct lcase *cases;
	size_t ncases, capcases;
	struct eset *sets;
	size_t nsets, capsets;
	int have_log, have_rest;
	char *job_result, *job_error;	/* lava's "job" case */
	char *job_id, *job_url_path, *device, *device_type, *job_name;
	struct sbuf problems;		/* "; "-separated reasons */
	size_t nproblems;
};

static void problem(struct job *j, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void problem(struct job *j, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (j->problems.len)
		sb_add(&j->problems, "; ", 2);
	sb_add(&j->problems, buf, strlen(buf));
	j->nproblems++;
}

static void job_free(struct job *j)
{
	size_t i, k;

	for (i = 0; i < j->ncases; i++) {
		free(j->cases[i].suite);
		free(j->cases[i].name);
		free(j->cases[i].result);
		free(j->cases[i].units);
	}
	free(j->cases);
	for (i = 0; i < j->nsets; i++) {
		for (k = 0; k < j->sets[i].nfiles; k++) {
			free(j->sets[i].files[k].path);
			free(j->sets[i].files[k].data.s);
		}
		free(j->sets[i].files);
		free(j->sets[i].name);
	}
	free(j->sets);
	free(j->job_result);
	free(j->job_error);
	free(j->job_id);
	free(j->job_url_path);
	free(j->device);
	free(j->device_type);
	free(j->job_name);
	free(j->problems.s);
	memset(j, 0, sizeof(*j));
}

/* ------------------------------------------------------------ YAML */

static yaml_node_t *map_get(yaml_document_t *d, yaml_node_t *m,
			    const char *key)
{
	yaml_node_pair_t *p;

	if (!m || m->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = yaml_document_get_node(d, p->key);

		if (k && k->type == YAML_SCALAR_NODE &&
		    !strcmp((char *)k->data.scalar.value, key))
			return yaml_document_get_node(d, p->value);
	}
	return NULL;
}

static const char *map_str(yaml_document_t *d, yaml_node_t *m,
			   const char *key)
{
	yaml_node_t *v = map_get(d, m, key);

	return v && v->type == YAML_SCALAR_NODE ?
	       (const char *)v->data.scalar.value : NULL;
}

/* Parse buf as one YAML document; 0 or -1 with a message naming where. */
static int yaml_load(const char *what, const char *buf, size_t len,
		     yaml_document_t *doc)
{
	yaml_parser_t p;
	int ok;

	if (!yaml_parser_initialize(&p))
		return -1;
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	ok = yaml_parser_load(&p, doc);
	if (!ok)
		fprintf(stderr, "ctbench: import-lava: %s: not YAML: %s at line %zu column %zu\n",
			what, p.problem ? p.problem : "parse error",
			p.problem_mark.line + 1, p.problem_mark.column + 1);
	yaml_parser_delete(&p);
	return ok ? 0 : -1;
}

static double parse_meas(const char *s)
{
	char *end;
	double v;

	if (!s || !*s || !strcmp(s, "None") || !strcmp(s, "null"))
		return NAN;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v))
		return NAN;
	return v;
}

static void add_case(struct job *j, const char *suite, const char *name,
		     const char *result, const char *meas, const char *units)
{
	struct lcase *c;

	PUSH(j->cases, j->ncases, j->capcases);
	c = &j->cases[j->ncases++];
	memset(c, 0, sizeof(*c));
	c->suite = xstrdup(suite);
	c->name = xstrdup(name);
	c->result = xstrdup(result);
	c->units = xstrdup(units);
	c->meas = parse_meas(meas);
}

/* ------------------------------------------------------------ log lines */

/* One console line (target output) into the embedded-set state machine. */
static void target_line(struct job *j, const char *line, size_t lineno)
{
	struct eset *s = j->nsets ? &j->sets[j->nsets - 1] : NULL;
	struct efile *f = s && s->nfiles ? &s->files[s->nfiles - 1] : NULL;
	int open_set = s && !s->ended;
	int open_file = open_set && f && !f->ended;
	char a[4096], b[128];
	unsigned long long size;

	while (*line == ' ' || *line == '\r')
		line++;
	if (strncmp(line, "CTB", 3))
		return;
	if (!strncmp(line, "CTB|", 4) || !strncmp(line, "CTB+", 4)) {
		if (!open_file) {
			problem(j, "log line %zu: file content outside a CTB-FILE record", lineno);
			return;
		}
		if (line[3] == '|' && f->data.len)
			sb_add(&f->data, "\n", 1);
		sb_add(&f->data, line + 4, strcspn(line + 4, "\r"));
		return;
	}
	if (sscanf(line, "CTB-SET-BEGIN %4095s", a) == 1) {
		if (open_set)
			problem(j, "set %s: no CTB-SET-END before the next set (log line %zu)",
				s->name, lineno);
		PUSH(j->sets, j->nsets, j->capsets);
		s = &j->sets[j->nsets++];
		memset(s, 0, sizeof(*s));
		s->name = xstrdup(a);
		return;
	}
	if (sscanf(line, "CTB-FILE %4095s %127s %llu", a, b, &size) == 3) {
		if (!open_set) {
			problem(j, "log line %zu: CTB-FILE %s outside a set", lineno, a);
			return;
		}
		if (open_file)
			problem(j, "set %s: file %s has no CTB-FILE-END", s->name, f->path);
		PUSH(s->files, s->nfiles, s->capfiles);
		f = &s->files[s->nfiles++];
		memset(f, 0, sizeof(*f));
		f->path = xstrdup(a);
		memcpy(f->sha, b, sizeof(f->sha) - 1);
		f->sha[sizeof(f->sha) - 1] = 0;
		f->size = size;
		return;
	}
	if (sscanf(line, "CTB-FILE-END %4095s", a) == 1) {
		if (!open_file || strcmp(a, f->path)) {
			problem(j, "log line %zu: CTB-FILE-END %s without its CTB-FILE", lineno, a);
			return;
		}
		if (f->size)
			sb_add(&f->data, "\n", 1);
		f->ended = 1;
		return;
	}
	if (sscanf(line, "CTB-SET-END %4095s %llu", a, &size) == 2) {
		if (!open_set || strcmp(a, s->name)) {
			problem(j, "log line %zu: CTB-SET-END %s without its CTB-SET-BEGIN", lineno, a);
			return;
		}
		if (open_file)
			problem(j, "set %s: file %s has no CTB-FILE-END", s->name, f->path);
		s->declared = size;
		s->ended = 1;
	}
}

static int read_file(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct sbuf b = { 0 };
	char chunk[65536];
	size_t n;

	if (!f)
		return -errno;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		sb_add(&b, chunk, n);
	if (ferror(f)) {
		fclose(f);
		free(b.s);
		return -EIO;
	}
	fclose(f);
	if (!b.s)
		sb_add(&b, "", 0);
	*buf = b.s;
	*len = b.len;
	return 0;
}

/* Is this text a LAVA log (one {dt, lvl, msg} mapping a line)? */
static int looks_like_log(const char *buf)
{
	const char *p = buf;

	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		while (n && (*p == ' ' || *p == '\t')) {
			p++;
			n--;
		}
		if (n && *p != '#') {
			if (n > 2 && p[0] == '-' && p[1] == ' ')
				p += 2;
			return *p == '{' && strstr(p, "\"lvl\"") &&
			       (size_t)(strstr(p, "\"lvl\"") - p) < n;
		}
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

static int parse_log(struct job *j, const char *path, const char *buf)
{
	const char *p = buf;
	size_t lineno = 0, nbad = 0;

	j->have_log = 1;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		yaml_document_t doc;
		yaml_node_t *root, *msg;
		const char *lvl, *s = p;
		char what[4200];

		lineno++;
		p = e ? e + 1 : p + n;
		while (n && (*s == ' ' || *s == '\t')) {
			s++;
			n--;
		}
		if (n > 2 && s[0] == '-' && s[1] == ' ') {
			s += 2;
			n -= 2;
		}
		if (!n || *s != '{')
			continue;
		snprintf(what, sizeof(what), "%s:%zu", path, lineno);
		if (yaml_load(what, s, n, &doc)) {
			nbad++;
			continue;
		}
		root = yaml_document_get_root_node(&doc);
		lvl = map_str(&doc, root, "lvl");
		msg = map_get(&doc, root, "msg");
		if (lvl && !strcmp(lvl, "target") && msg &&
		    msg->type == YAML_SCALAR_NODE) {
			/*
			 * The dispatcher's console logger (ShellLogger) turns
			 * every " into \" before logging; undo that. It also
			 * drops \r, ESC and empty lines: CTB records have none.
			 */
			char *t = xstrdup((const char *)msg->data.scalar.value);
			char *r = t, *w = t;

			for (; *r; r++) {
				if (r[0] == '\\' && r[1] == '"')
					r++;
				*w++ = *r;
			}
			*w = 0;
			target_line(j, t, lineno);
			free(t);
		} else if (lvl && !strcmp(lvl, "results") && msg &&
			   msg->type == YAML_MAPPING_NODE) {
			const char *def = map_str(&doc, msg, "definition");
			const char *cs = map_str(&doc, msg, "case");
			const char *res = map_str(&doc, msg, "result");

			if (def && cs && res && !strcmp(def, "lava") &&
			    !strcmp(cs, "job")) {
				free(j->job_result);
				free(j->job_error);
				j->job_result = xstrdup(res);
				j->job_error = xstrdup(map_str(&doc, msg, "error_msg"));
			} else if (def && cs && res && strcmp(def, "lava")) {
				add_case(j, def, cs, res,
					 map_str(&doc, msg, "measurement"),
					 map_str(&doc, msg, "units"));
			}
		}
		yaml_document_delete(&doc);
	}
	if (nbad)
		problem(j, "%s: %zu log line(s) are not YAML (named above)", path, nbad);
	return 0;
}

/* `lavacli results --yaml JOB` (or --json): a list of test-case maps. */
static int parse_rest(struct job *j, const char *path, yaml_document_t *d,
		      yaml_node_t *root)
{
	yaml_node_item_t *it;
	size_t n = 0;

	j->have_rest = 1;
	for (it = root->data.sequence.items.start;
	     it < root->data.sequence.items.top; it++) {
		yaml_node_t *m = yaml_document_get_node(d, *it);
		const char *suite = map_str(d, m, "suite");
		const char *name = map_str(d, m, "name");
		const char *res = map_str(d, m, "result");
		const char *job = map_str(d, m, "job");
		const char *url = map_str(d, m, "url");

		if (!suite || !name || !res) {
			fprintf(stderr, "ctbench: import-lava: %s: item %zu has no suite/name/result: not a `lavacli results --yaml` export\n",
				path, n + 1);
			return -1;
		}
		n++;
		if (job && *job) {
			if (j->job_id && strcmp(j->job_id, job)) {
				fprintf(stderr, "ctbench: import-lava: %s: results of jobs %s and %s in one export; give one job per argument\n",
					path, j->job_id, job);
				return -1;
			}
			if (!j->job_id)
				j->job_id = xstrdup(job);
		}
		if (!strcmp(suite, "lava")) {
			if (!strcmp(name, "job")) {
				free(j->job_result);
				j->job_result = xstrdup(res);
			}
			continue;
		}
		if (url && *url && !j->job_url_path)
			j->job_url_path = xstrdup(url);
		add_case(j, suite, name, res, map_str(d, m, "measurement"),
			 map_str(d, m, "unit"));
	}
	return 0;
}

static int parse_input_file(struct job *j, const char *path, int required)
{
	char *buf;
	size_t len;
	yaml_document_t doc;
	yaml_node_t *root;
	int ret = 0, err;

	err = read_file(path, &buf, &len);
	if (err) {
		if (!required && err == -ENOENT)
			return 1;
		fprintf(stderr, "ctbench: import-lava: cannot read %s: %s\n",
			path, strerror(-err));
		return -1;
	}
	if (looks_like_log(buf)) {
		ret = parse_log(j, path, buf);
		free(buf);
		return ret;
	}
	if (yaml_load(path, buf, len, &doc)) {
		free(buf);
		return -1;
	}
	root = yaml_document_get_root_node(&doc);
	if (root && root->type == YAML_SEQUENCE_NODE) {
		ret = parse_rest(j, path, &doc, root);
	} else if (root && root->type == YAML_MAPPING_NODE &&
		   map_str(&doc, root, "case") && map_str(&doc, root, "result")) {
		/* lava-run's result.yaml */
		free(j->job_result);
		free(j->job_error);
		j->job_result = xstrdup(map_str(&doc, root, "result"));
		j->job_error = xstrdup(map_str(&doc, root, "error_msg"));
	} else if (root && root->type == YAML_MAPPING_NODE &&
		   map_get(&doc, root, "actions") &&
		   map_str(&doc, root, "device_type")) {
		/* job definition */
		free(j->device_type);
		free(j->job_name);
		j->device_type = xstrdup(map_str(&doc, root, "device_type"));
		j->job_name = xstrdup(map_str(&doc, root, "job_name"));
	} else if (root && root->type == YAML_MAPPING_NODE &&
		   map_get(&doc, root, "actions")) {
		/* device dictionary */
		if (map_str(&doc, root, "hostname") && !j->device)
			j->device = xstrdup(map_str(&doc, root, "hostname"));
	} else {
		fprintf(stderr, "ctbench: import-lava: %s: neither a LAVA job log (lines of {dt, lvl, msg}), a `lavacli results --yaml` export, lava-run's result.yaml, a job nor a device dictionary\n",
			path);
		ret = -1;
	}
	yaml_document_delete(&doc);
	free(buf);
	return ret;
}

static int load_job(struct job *j, const char *input)
{
	static const char *const names[] = {
		"output.yaml", "results.yaml", "result.yaml", "device.yaml",
		"job.yaml",
	};
	struct stat st;
	size_t i;
	int found = 0;

	j->input = input;
	if (stat(input, &st)) {
		fprintf(stderr, "ctbench: import-lava: %s: %s\n", input,
			strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return parse_input_file(j, input, 1);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char p[PATH_MAX];
		int r;

		snprintf(p, sizeof(p), "%s/%s", input, names[i]);
		r = parse_input_file(j, p, 0);
		if (r < 0)
			return -1;
		found += r == 0 && i < 2;
	}
	if (!found) {
		fprintf(stderr, "ctbench: import-lava: %s has neither output.yaml (the job log) nor results.yaml (lavacli results --yaml); see docs/fleet.md\n",
			input);
		return -1;
	}
	return 0;
}

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
		problem(j, "set %s: no CTB-SET-END (the job stopped while printing it)",
			s->name);
		bad = 1;
	} else if (s->declared != s->nfiles) {
		problem(j, "set %s: %zu of %zu files in the log", s->name,
			s->nfiles, s->declared);
		bad = 1;
	}
	for (i = 0; i < s->nfiles; i++) {
		const struct efile *f = &s->files[i];
		char sum[65];

		have_csv |= !strcmp(f->path, "results.csv") && f->ended;
		have_meta |= !strcmp(f->path, "meta.json") && f->ended;
		if (!f->ended) {
			problem(j, "set %s: %s cut off", s->name, f->path);
			bad = 1;
			continue;
		}
		sha256_hex(f->data.s ? f->data.s : "", f->data.len, sum);
		if (f->data.len != f->size || strcmp(sum, f->sha)) {
			problem(j, "set %s: %s is %zu bytes with SHA-256 %.12s..., the device sent %zu bytes with %.12s... (altered or lines lost in the log)",
				s->name, f->path, f->data.len, sum, f->size, f->sha);
			bad = 1;
		}
	}
	if (!have_csv || !have_meta) {
		problem(j, "set %s: %s missing", s->name,
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
			problem(j, "set %s: row %zu (%s) has no test case %s in the job", name,
				i + 1, r->op, cn);
			continue;
		}
		c->used = 1;
		if (strcmp(c->result, want_skip ? "skip" : "pass"))
			problem(j, "set %s: test case %s is %s, the row says %s", name, cn,
				c->result, want_skip ? "skip (no-op)" : "pass");
		if (isfinite(r->net.median) != isfinite(c->meas) ||
		    (isfinite(c->meas) &&
		     fabs(c->meas - r->net.median) >
		     1e-6 * fmax(1.0, fabs(r->net.median))))
			problem(j, "set %s: test case %s measured %g, the row's net median is %g",
				name, cn, c->meas, r->net.median);
	}
}

static int import_job(struct job *j, const struct opts *o)
{
	size_t i, nwritten = 0, nreduced = 0;
	struct ctb_row *rows = NULL;
	size_t nrows = 0, caprows = 0;
	int ret = 0;

	/* Setup/run failures on the device. */
	for (i = 0; i < j->ncases; i++) {
		struct lcase *c = &j->cases[i];

		if (is_row_case(c) || !strncmp(c->name, "unsupported.", 12) ||
		    !strncmp(c->name, "meta.", 5))
			continue;
		c->used = 1;
		if (!strcmp(c->result, "fail"))
			problem(j, "test case %s failed on the device", c->name);
	}
	if (j->job_result && strcmp(j->job_result, "pass"))
		problem(j, "the LAVA job result is %s%s%s", j->job_result,
			j->job_error && *j->job_error ? ": " : "",
			j->job_error ? j->job_error : "");

	for (i = 0; i < j->nsets; i++) {
		struct eset *s = &j->sets[i];
		char dir[PATH_MAX], name[512];
		struct ctb_set set = { 0 };
		struct metab m = { 0 };
		size_t k, dup, before = j->nproblems;

		if (verify_set(j, s) && !o->partial)
			continue;
		if (stage_set(s, dir, sizeof(dir)))
			return CTB_EXIT_FAIL;
		if (ctb_set_read(dir, &set)) {
			problem(j, "set %s: the files in the log do not form a result set (above)",
				s->name);
			unstage(dir);
			continue;
		}
		unstage(dir);
		cross_check(j, &set, s->name);
		m.o = json_deep_copy(set.meta_json);
		lava_meta(&m, j, o, "log");
		meta_set(&m, "lava_partial", j->nproblems > 0 ? "true" : "false", 1);
		if (j->nproblems)
			meta_set(&m, "lava_partial_reason", j->problems.s, 0);
		snprintf(name, sizeof(name), "%s-lava%s", s->name,
			 o->job_id ? o->job_id : j->job_id ? j->job_id : "");
		/* runs of one job may end in the same second: same name */
		for (k = 0, dup = 0; k < i; k++)
			dup += !strcmp(j->sets[k].name, s->name);
		if (dup) {
			size_t l = strlen(name);

			snprintf(name + l, sizeof(name) - l, "-%zu", dup + 1);
		}
		if ((j->nproblems == 0 || o->partial) &&
		    !write_out(o, name, &m, set.rows, set.nrows))
			nwritten++;
		else if (j->nproblems == before && !o->partial)
			ret = CTB_EXIT_FAIL;
		meta_free(&m);
		ctb_set_free(&set);
	}

	/* Row test cases no set accounted for. */
	for (i = 0; i < j->ncases; i++) {
		struct ctb_row r;

		if (j->cases[i].used || case_to_row(&j->cases[i], &r))
			continue;
		j->cases[i].used = 1;
		PUSH(rows, nrows, caprows);
		rows[nrows++] = r;
	}
	if (nrows && j->have_log)
		problem(j, "%zu row test case(s) without a complete result set in the log (e.g. %s.%s n=%u)",
			nrows, rows[0].family, rows[0].op, rows[0].count);
	if (nrows && (!j->have_log || o->partial)) {
		struct metab m = { 0 };
		char name[512];

		meta_set(&m, "tool", "ctbench", 0);
		for (i = 0; i < j->ncases; i++) {
			const char *n = j->cases[i].name, *dot;
			char key[64];

			if (strncmp(n, "meta.", 5) || !(dot = strchr(n + 5, '.')) ||
			    (size_t)(dot - n - 5) >= sizeof(key))
				continue;
			snprintf(key, sizeof(key), "%.*s", (int)(dot - n - 5), n + 5);
			meta_set(&m, key, dot + 1, 0);
			j->cases[i].used = 1;
		}
		if (!json_object_get(m.o, "arch"))
			problem(j, "no meta.arch test case: the arch of the reduced set is unknown");
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
		if (!write_out(o, name, &m, rows, nrows)) {
			nwritten++;
			nreduced = nrows;
		}
		meta_free(&m);
	}
	free(rows);

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

		r = load_job(&j, inputs[i]) ? CTB_EXIT_FAIL : import_job(&j, &o);
		if (r && !ret)
			ret = r;
		job_free(&j);
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
