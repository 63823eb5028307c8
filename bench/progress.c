// SPDX-License-Identifier: GPL-2.0
/*
 * Progress line of `ctbench run` and `ctbench suite` (progress.h).
 * Process-global like the signal flag: one run or suite per process.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

static struct {
	int on, counting, shown;
	unsigned int done, total, counted;
	double t0;
} pg;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int ctb_progress_wanted(void)
{
	const char *e = getenv("CTB_PROGRESS");

	if (e && !strcmp(e, "0"))
		return 0;
	if (e && !strcmp(e, "1"))
		return 1;
	return isatty(STDERR_FILENO);
}

void ctb_progress_count_begin(void)
{
	pg.counting = 1;
	pg.counted = 0;
}

int ctb_progress_counting(void)
{
	return pg.counting;
}

void ctb_progress_count(void)
{
	pg.counted++;
}

unsigned int ctb_progress_count_end(void)
{
	pg.counting = 0;
	return pg.counted;
}

void ctb_progress_start(unsigned int total)
{
	pg.on = total > 0;
	pg.total = total;
	pg.done = 0;
	pg.shown = 0;
	pg.t0 = now_s();
}

void ctb_progress_hms(char *buf, unsigned int len, double seconds)
{
	unsigned long t = seconds > 0 ? (unsigned long)(seconds + 0.5) : 0;

	if (t >= 3600)
		snprintf(buf, len, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60,
			 t % 60);
	else
		snprintf(buf, len, "%02lu:%02lu", t / 60, t % 60);
}

static unsigned int columns(void)
{
	struct winsize ws;

	if (!ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) && ws.ws_col >= 20)
		return ws.ws_col;
	return 80;
}

void ctb_progress_step(const char *op, uint32_t count, unsigned int round,
		       unsigned int rounds)
{
	char line[512], el[16], left[32] = "", rd[32] = "";
	double t;
	unsigned int w;

	if (!pg.on)
		return;
	pg.done++;
	/* a plan that ran more RUNs than counted: keep the counter honest */
	if (pg.done > pg.total)
		pg.total = pg.done;
	t = now_s() - pg.t0;
	ctb_progress_hms(el, sizeof(el), t);
	/* the RUNs before this one took t: the rest at the same pace */
	if (pg.done > 1) {
		char l[16];

		ctb_progress_hms(l, sizeof(l), t / (pg.done - 1) *
				 (pg.total - pg.done + 1));
		snprintf(left, sizeof(left), ", ~%s left", l);
	}
	if (rounds > 1)
		snprintf(rd, sizeof(rd), " round %u/%u", round + 1, rounds);
	snprintf(line, sizeof(line), "[%u/%u] %s N=%u%s  %s elapsed%s",
		 pg.done, pg.total, op, count, rd, el, left);
	/* one terminal line: a wrapped line cannot be redrawn with \r */
	w = columns() - 1;
	if (strlen(line) > w)
		line[w] = '\0';
	fflush(stdout);
	fprintf(stderr, "\r%s\033[K", line);
	fflush(stderr);
	pg.shown = 1;
}

int ctb_progress_shares(FILE *f)
{
	return pg.on && isatty(fileno(f));
}

void ctb_progress_clear(void)
{
	if (!pg.shown)
		return;
	fprintf(stderr, "\r\033[K");
	fflush(stderr);
	pg.shown = 0;
}

void ctb_progress_end(void)
{
	ctb_progress_clear();
	pg.on = 0;
}
