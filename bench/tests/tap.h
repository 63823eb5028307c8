/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP producer for the host unit tests (run through prove).
 * The plan is printed at the end (tap_done), which TAP allows.
 */
#ifndef CTB_TAP_H
#define CTB_TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

struct tap {
	int n, failed;
};

static struct tap tap_state;	/* per test program: the TAP counter */

static inline int tap_ok(int cond, const char *file, int line,
			 const char *fmt, ...)
{
	va_list ap;

	tap_state.n++;
	printf("%sok %d - ", cond ? "" : "not ", tap_state.n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond) {
		tap_state.failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	fflush(stdout);
	return cond;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

/* |a - b| <= tol, with a diagnostic on failure */
#define ok_near(a, b, tol, ...)						\
	do {								\
		double _a = (a), _b = (b);				\
		if (!ok(fabs(_a - _b) <= (tol), __VA_ARGS__))		\
			printf("#   got %.17g, expected %.17g\n", _a, _b); \
	} while (0)

/* A test that cannot run here: counts as passed, marked SKIP. */
static inline void tap_skip(const char *why, const char *desc)
{
	tap_state.n++;
	printf("ok %d - %s # SKIP %s\n", tap_state.n, desc, why);
	fflush(stdout);
}

static inline void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static inline int tap_done(void)
{
	printf("1..%d\n", tap_state.n);
	return tap_state.failed ? 1 : 0;
}

#endif /* CTB_TAP_H */
