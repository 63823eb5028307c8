/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lava_job.h - ctbench import-lava's job model: what lava_job.c reads from
 * a LAVA job (log, REST export, verdict, device, job definition) and
 * import_lava.c turns into result sets.  Only with libyaml.
 */
#ifndef CTB_LAVA_JOB_H
#define CTB_LAVA_JOB_H

#include <stddef.h>

struct sbuf {
	char *s;
	size_t len, cap;
};

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

/* Grows arr (n used, cap allocated) so one more element fits. */
#define PUSH(arr, n, cap) do {						\
	if ((n) == (cap)) {						\
		(cap) = (cap) ? 2 * (cap) : 16;				\
		(arr) = lava_xrealloc((arr), (cap) * sizeof(*(arr)));	\
	}								\
} while (0)

/* realloc() that exits with CTB_EXIT_FAIL when memory runs out. */
void *lava_xrealloc(void *p, size_t n);
/* SHA-256 of data, as 64 hex digits and a NUL. */
void lava_sha256_hex(const char *data, size_t len, char out[65]);
/* Adds one reason to j->problems ("; "-separated). */
void lava_problem(struct job *j, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void lava_job_free(struct job *j);
/*
 * Reads a job from @input (a file, or a directory of output.yaml,
 * results.yaml, result.yaml, device.yaml, job.yaml).  Returns 0, or -1
 * after printing why.
 */
int lava_load_job(struct job *j, const char *input);

#endif /* CTB_LAVA_JOB_H */
