// SPDX-License-Identifier: GPL-2.0
/*
 * ctbench --knob: one suite, two settings of a kernel run-time knob,
 * alternating between rounds (round 0 the first value, round 1 the
 * second, ...), so that drift of the machine or the emulator hits both
 * settings alike. The rows of each setting are kept in their own table
 * (the session's rows are swapped before every round) and written as two
 * result sets.
 *
 * Restoring the original value: the normal path restores before writing;
 * atexit() covers every exit(); SIGINT/SIGTERM only stop the suite (the
 * session's handler), which returns through the normal path; SIGHUP,
 * SIGQUIT, SIGABRT and SIGSEGV restore from the handler (open/write/close
 * only) and then die of the signal as before.
 *
 * Known knobs: x86 tlb_single_page_flush_ceiling (debugfs, 6.1 and 6.12:
 * flush_tlb_kernel_range() and the CPA/lazy-vunmap paths that end in it
 * flush page by page up to this many pages, else everything). arm64
 * (MAX_TLBI_OPS, MAX_DVM_OPS) and riscv (tlb_flush_all_threshold) have
 * compile-time thresholds only; any other writable file below /proc/sys
 * or /sys can be named by its path.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "knob.h"
#include "results.h"

static const struct {
	const char *name, *path, *what;
} known[] = {
	{ "tlb_single_page_flush_ceiling",
	  "/sys/kernel/debug/x86/tlb_single_page_flush_ceiling",
	  "x86: pages up to which a kernel range flush is per page" },
};

/* What the restore handlers use: fixed storage, no allocation. */
static char saved_path[512];
static char saved_value[CTB_KNOB_VAL + 2];
static volatile sig_atomic_t saved_armed;

void ctb_knob_list(FILE *f)
{
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		fprintf(f, "%s  %s  %s\n", known[i].name, known[i].path,
			known[i].what);
}

static int value_ok(const char *v)
{
	if (!*v)
		return 0;
	for (; *v; v++)
		if (*v <= ' ' || *v == ',' || *v == 0x7f)
			return 0;
	return 1;
}

int ctb_knob_parse(const char *spec, struct ctb_knob *k, char *err,
		   size_t len)
{
	const char *eq = spec ? strchr(spec, '=') : NULL, *comma;
	size_t nl;

	memset(k, 0, sizeof(*k));
	if (!eq || eq == spec) {
		snprintf(err, len, "--knob '%.200s': expected NAME=V1,V2",
			 spec ? spec : "");
		return -EINVAL;
	}
	nl = (size_t)(eq - spec);
	if (nl >= sizeof(k->name)) {
		snprintf(err, len, "--knob: name longer than %zu characters",
			 sizeof(k->name) - 1);
		return -EINVAL;
	}
	memcpy(k->name, spec, nl);
	comma = strchr(eq + 1, ',');
	if (!comma || strchr(comma + 1, ',') ||
	    (size_t)(comma - eq - 1) >= CTB_KNOB_VAL ||
	    strlen(comma + 1) >= CTB_KNOB_VAL) {
		snprintf(err, len, "--knob '%.200s': give exactly two values, "
			 "V1,V2 (each shorter than %d characters)", spec,
			 CTB_KNOB_VAL);
		return -EINVAL;
	}
	memcpy(k->values[0], eq + 1, (size_t)(comma - eq - 1));
	snprintf(k->values[1], sizeof(k->values[1]), "%s", comma + 1);
	if (!value_ok(k->values[0]) || !value_ok(k->values[1]) ||
	    !strcmp(k->values[0], k->values[1])) {
		snprintf(err, len, "--knob '%.200s': the two values must be "
			 "different, non-empty, without spaces", spec);
		return -EINVAL;
	}
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(k->name, known[i].name))
			snprintf(k->path, sizeof(k->path), "%s", known[i].path);
	if (!k->path[0]) {
		if (strncmp(k->name, "/proc/sys/", 10) &&
		    strncmp(k->name, "/sys/", 5)) {
			snprintf(err, len, "--knob: unknown knob '%.120s' "
				 "(known: tlb_single_page_flush_ceiling; or an "
				 "absolute path below /proc/sys or /sys)",
				 k->name);
			return -EINVAL;
		}
		if (strstr(k->name, "/../")) {
			snprintf(err, len, "--knob: '%.120s': no '..' in the "
				 "path", k->name);
			return -EINVAL;
		}
		snprintf(k->path, sizeof(k->path), "%s", k->name);
	}
	return 0;
}

/* Read the first line of path into buf (without the newline). */
static int read_value(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		int e = -errno;

		close(fd);
		return e;
	}
	close(fd);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* open/write/close only: also used from signal handlers. */
static int write_value(const char *path, const char *v, size_t n)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t w;

	if (fd < 0)
		return -errno;
	w = write(fd, v, n);
	if (w < 0) {
		int e = -errno;

		close(fd);
		return e;
	}
	close(fd);
	return (size_t)w == n ? 0 : -EIO;
}

void ctb_knob_restore(void)
{
	size_t n = 0;

	if (!saved_armed)
		return;
	while (saved_value[n])
		n++;
	write_value(saved_path, saved_value, n);
}

static void on_fatal(int sig)
{
	ctb_knob_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

int ctb_knob_set(const struct ctb_knob *k, const char *value, char *err,
		 size_t len)
{
	char line[CTB_KNOB_VAL + 2], back[CTB_KNOB_VAL + 2];
	int ret;

	snprintf(line, sizeof(line), "%s\n", value);
	ret = write_value(k->path, line, strlen(line));
	if (ret) {
		snprintf(err, len, "knob %s: writing '%s' to %s failed: %s%s",
			 k->name, value, k->path, strerror(-ret),
			 ret == -EACCES || ret == -EPERM || ret == -EROFS ?
			 " (read-only, or not root)" : "");
		return ret;
	}
	ret = read_value(k->path, back, sizeof(back));
	if (ret || strcmp(back, value)) {
		snprintf(err, len, "knob %s: wrote '%s' to %s but it reads "
			 "'%s'%s", k->name, value, k->path, ret ? "?" : back,
			 ret ? "" : " (the kernel rejected or clamped it)");
		return ret ? ret : -ERANGE;
	}
	return 0;
}

int ctb_knob_open(struct ctb_knob *k, char *err, size_t len)
{
	static int registered;
	struct stat st;
	int ret;

	if (stat(k->path, &st)) {
		ret = -errno;
		snprintf(err, len, "knob %s: %s: %s%s", k->name, k->path,
			 strerror(-ret), strncmp(k->path, "/sys/kernel/debug/",
						 18) ? "" :
			 " (debugfs mounted? CONFIG_DEBUG_FS? not x86?)");
		return ret;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, len, "knob %s: %s is not a regular file",
			 k->name, k->path);
		return -EINVAL;
	}
	ret = read_value(k->path, k->original, sizeof(k->original));
	if (ret) {
		snprintf(err, len, "knob %s: cannot read %s: %s", k->name,
			 k->path, strerror(-ret));
		return ret;
	}
	snprintf(saved_path, sizeof(saved_path), "%s", k->path);
	snprintf(saved_value, sizeof(saved_value), "%s\n", k->original);
	saved_armed = 1;
	if (!registered) {
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_fatal;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGHUP, &sa, NULL);
		sigaction(SIGQUIT, &sa, NULL);
		sigaction(SIGABRT, &sa, NULL);
		sigaction(SIGSEGV, &sa, NULL);
		atexit(ctb_knob_restore);
		registered = 1;
	}
	/* both values must be accepted as given before anything is run */
	for (int i = 0; i < 2; i++) {
		ret = ctb_knob_set(k, k->values[i], err, len);
		if (ret)
			break;
	}
	ctb_knob_restore();
	return ret;
}

/* ---- the alternating suite --------------------------------------------- */

struct bank {
	struct ctb_row *rows;
	size_t nrows, cap;
};

struct knob_run {
	struct ctb_knob *k;
	struct bank bank[2];
	int cur;		/* bank in the session, -1: none yet */
	int failed;
	char err[512];
};

static void bank_swap(struct ctb_session *s, struct knob_run *kr, int b)
{
	if (kr->cur >= 0) {
		kr->bank[kr->cur].rows = s->rows;
		kr->bank[kr->cur].nrows = s->nrows;
		kr->bank[kr->cur].cap = s->cap;
	}
	s->rows = kr->bank[b].rows;
	s->nrows = kr->bank[b].nrows;
	s->cap = kr->bank[b].cap;
	kr->cur = b;
}

static void round_hook(struct ctb_session *s, void *arg)
{
	struct knob_run *kr = arg;
	int b = (int)(s->round % 2);

	bank_swap(s, kr, b);
	if (kr->failed)
		return;
	if (ctb_knob_set(kr->k, kr->k->values[b], kr->err, sizeof(kr->err))) {
		kr->failed = 1;
		fprintf(stderr, "ctbench: %s; stopping\n", kr->err);
		kill(getpid(), SIGTERM);	/* the suite stops like ^C */
	}
}

static json_t *knob_meta(const struct ctb_knob *k, int b, unsigned int rounds)
{
	json_t *m = json_pack("{s:s, s:s, s:s, s:[s, s], s:s, s:s, s:I}",
			      "knob_name", k->name, "knob_path", k->path,
			      "knob_value", k->values[b], "knob_values",
			      k->values[0], k->values[1], "knob_original",
			      k->original, "knob_schedule",
			      b ? "rounds 1, 3, 5, ... (alternating)" :
			      "rounds 0, 2, 4, ... (alternating)",
			      "knob_rounds", (json_int_t)rounds);

	/* the module read the ceiling once at open: say what it was here */
	if (m && !strcmp(k->name, "tlb_single_page_flush_ceiling")) {
		json_object_set_new(m, "tlb_flush_ceiling",
				    json_integer(strtoll(k->values[b], NULL,
							 10)));
		json_object_set_new(m, "ceiling_source",
				    json_string("ctbench --knob"));
	}
	return m;
}

int ctb_knob_measure(struct ctb_session *s, struct ctb_knob *k,
		     const char *dir, uint32_t *rounds,
		     int (*run)(struct ctb_session *s, void *arg), void *arg)
{
	struct knob_run kr = { .k = k, .cur = -1 };
	unsigned int per = *rounds ? *rounds : CTB_DEFAULT_ROUNDS;
	char out[2][4096];
	int ret, wret = 0;

	fprintf(s->out, "knob %s (%s): %s and %s, alternating between "
		"rounds, %u rounds each; original %s\n", k->name, k->path,
		k->values[0], k->values[1], per, k->original);
	*rounds = 2 * per;
	s->round_hook = round_hook;
	s->round_hook_arg = &kr;
	ret = run(s, arg);
	bank_swap(s, &kr, kr.cur < 0 ? 0 : kr.cur);
	ctb_knob_restore();
	{
		char now[CTB_KNOB_VAL + 2];

		if (!read_value(k->path, now, sizeof(now)))
			fprintf(s->out, "knob %s restored to %s\n", k->name,
				now);
	}
	s->round_hook = NULL;
	*rounds = per;
	if (kr.failed) {
		fprintf(stderr, "ctbench: no result set written: the knob "
			"could not be set during the run\n");
		ret = CTB_EXIT_FAIL;
	} else if (!kr.bank[0].nrows || !kr.bank[1].nrows) {
		fprintf(stderr, "ctbench: no result set written: a setting "
			"has no rows\n");
		ret = CTB_EXIT_FAIL;
	} else {
		for (int b = 0; b < 2 && !wret; b++) {
			json_t *m = knob_meta(k, b, per);

			bank_swap(s, &kr, b);
			s->extra_meta = m;
			wret = m ? ctb_session_write(s, dir, out[b],
						     sizeof(out[b])) : -ENOMEM;
			s->extra_meta = NULL;
			json_decref(m);
			if (!wret)
				fprintf(s->out, "result set %s=%s: %s\n",
					k->name, k->values[b], out[b]);
		}
		if (wret) {
			fprintf(stderr, "ctbench: writing the knob sets below "
				"%s failed: %s\n", dir, strerror(-wret));
			ret = CTB_EXIT_FAIL;
		} else {
			fprintf(s->out, "compare them: ctbench compare %s %s\n",
				out[0], out[1]);
		}
	}
	/* the session frees what is in it; free the other bank */
	bank_swap(s, &kr, 0);
	ctb_rows_free(kr.bank[1].rows, kr.bank[1].nrows);
	kr.bank[1].rows = NULL;
	return ret;
}
