// SPDX-License-Identifier: GPL-2.0
/*
 * ctbench import-lava, reading side: a LAVA job's files -> struct job
 * (lava_job.h).  The log's CTB-SET records become the files of each
 * result set (with their declared SHA-256 and size), its test cases and
 * those of a REST export become struct lcase, the verdict, device and job
 * definition fill the rest.  import_lava.c checks and writes the sets.
 */
#ifndef CTB_NO_LIBYAML
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
#include <yaml.h>

#include "lava_job.h"
#include "suite.h"

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

void *lava_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q) {
		fprintf(stderr, "ctbench: import-lava: out of memory\n");
		exit(CTB_EXIT_FAIL);
	}
	return q;
}

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = lava_xrealloc(b->s, b->cap);
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

void lava_sha256_hex(const char *data, size_t len, char out[65])
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

void lava_problem(struct job *j, const char *fmt, ...)
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

void lava_job_free(struct job *j)
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
			lava_problem(j, "log line %zu: file content outside a CTB-FILE record", lineno);
			return;
		}
		if (line[3] == '|' && f->data.len)
			sb_add(&f->data, "\n", 1);
		sb_add(&f->data, line + 4, strcspn(line + 4, "\r"));
		return;
	}
	if (sscanf(line, "CTB-SET-BEGIN %4095s", a) == 1) {
		if (open_set)
			lava_problem(j, "set %s: no CTB-SET-END before the next set (log line %zu)",
				s->name, lineno);
		PUSH(j->sets, j->nsets, j->capsets);
		s = &j->sets[j->nsets++];
		memset(s, 0, sizeof(*s));
		s->name = xstrdup(a);
		return;
	}
	if (sscanf(line, "CTB-FILE %4095s %127s %llu", a, b, &size) == 3) {
		if (!open_set) {
			lava_problem(j, "log line %zu: CTB-FILE %s outside a set", lineno, a);
			return;
		}
		if (open_file)
			lava_problem(j, "set %s: file %s has no CTB-FILE-END", s->name, f->path);
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
			lava_problem(j, "log line %zu: CTB-FILE-END %s without its CTB-FILE", lineno, a);
			return;
		}
		if (f->size)
			sb_add(&f->data, "\n", 1);
		f->ended = 1;
		return;
	}
	if (sscanf(line, "CTB-SET-END %4095s %llu", a, &size) == 2) {
		if (!open_set || strcmp(a, s->name)) {
			lava_problem(j, "log line %zu: CTB-SET-END %s without its CTB-SET-BEGIN", lineno, a);
			return;
		}
		if (open_file)
			lava_problem(j, "set %s: file %s has no CTB-FILE-END", s->name, f->path);
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
		lava_problem(j, "%s: %zu log line(s) are not YAML (named above)", path, nbad);
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

int lava_load_job(struct job *j, const char *input)
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

#endif /* CTB_NO_LIBYAML */
