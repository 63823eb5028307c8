/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctbench --knob NAME=V1,V2: the same suite under two settings of a
 * kernel run-time knob in one boot, the settings alternating between
 * rounds, written as two result sets that `compare` reads
 * (docs/patch-review.md). The original value is restored on exit, on
 * error and on signals.
 */
#ifndef CTB_KNOB_H
#define CTB_KNOB_H

#include <stddef.h>
#include <stdint.h>

#include "suite.h"

#define CTB_KNOB_VAL 64

struct ctb_knob {
	char name[128];
	char path[512];
	char values[2][CTB_KNOB_VAL];
	char original[CTB_KNOB_VAL];
};

/*
 * Parse "NAME=V1,V2": NAME is a known knob (ctb_knob_list) or an absolute
 * path below /proc/sys or /sys; two different values without spaces.
 * Returns 0 or -EINVAL with err naming the bad part.
 */
int ctb_knob_parse(const char *spec, struct ctb_knob *k, char *err,
		   size_t len);

/*
 * Check the knob exists and is writable (it writes each value, reads it
 * back, and restores the original), remember the original for the
 * restore handlers (atexit, SIGHUP/SIGQUIT/SIGABRT/SIGSEGV; SIGINT and
 * SIGTERM stop the suite, which then restores). Returns 0 or a negative
 * errno with err naming the path and the reason; on error the knob holds
 * its original value.
 */
int ctb_knob_open(struct ctb_knob *k, char *err, size_t len);

/* Write value, read it back; 0 or a negative errno (err filled). */
int ctb_knob_set(const struct ctb_knob *k, const char *value, char *err,
		 size_t len);

/* Put the original value back (idempotent; async-signal-safe). */
void ctb_knob_restore(void);

/* The known knobs, "name  path  what" lines. */
void ctb_knob_list(FILE *f);

/*
 * Measure with the knob: *rounds is doubled, setting i is in the rounds
 * i, i+2, ... (s->round_hook); run(s, arg) measures (the suite, or a
 * run); then two sets below dir, each with the knob meta (knob_name,
 * knob_path, knob_value, knob_values, knob_original). *rounds is restored.
 * Returns run's CTB_EXIT_* code, or CTB_EXIT_FAIL when writing failed.
 */
int ctb_knob_measure(struct ctb_session *s, struct ctb_knob *k,
		     const char *dir, uint32_t *rounds,
		     int (*run)(struct ctb_session *s, void *arg), void *arg);

#endif /* CTB_KNOB_H */
