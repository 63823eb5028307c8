/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctbench PMU counters: libpfm4 encodes user-friendly event names into
 * perf_event_attr (user + kernel mode), perf_event_open counts them on the
 * calling thread around a RUN ioctl.
 *
 * Where an event cannot be counted (no PMU on the machine, ENOENT,
 * EOPNOTSUPP, ...) it stays in the set with ok = 0 and a reason, and is
 * reported as "name=n/a: <reason>", never as a zero.
 */
#ifndef CTB_PMU_H
#define CTB_PMU_H

#include <stddef.h>
#include <stdint.h>

#define CTB_PMU_MAX_EVENTS 16
#define CTB_PMU_NAME_LEN 64

struct ctb_pmu_event {
	char name[CTB_PMU_NAME_LEN];
	int fd;				/* -1 when not open */
	int ok;				/* counting works */
	char reason[96];		/* when !ok */
	uint64_t value;			/* last counted value */
	int counted;			/* value valid */
};

struct ctb_pmu {
	size_t n;
	struct ctb_pmu_event ev[CTB_PMU_MAX_EVENTS];
};

/* pfm_initialize() once. Returns 0 or -EIO with err. */
int ctb_pmu_init(char *err, size_t len);

/*
 * Encode one event name for perf_event_open (PFM_PLM0|PFM_PLM3 through
 * PFM_OS_PERF_EVENT_EXT) into attr (a struct perf_event_attr, attr_len
 * bytes). Returns 0 or -EINVAL with err naming the event.
 */
int ctb_pmu_encode(const char *name, void *attr, size_t attr_len,
		   char *err, size_t len);

/*
 * Parse a comma separated list, encode every name (an unknown name is an
 * error naming it) and try to open each on the calling thread. Events
 * that encode but cannot be opened stay in p with ok = 0 and a reason.
 */
int ctb_pmu_setup(struct ctb_pmu *p, const char *list, char *err, size_t len);
void ctb_pmu_close(struct ctb_pmu *p);
/* Number of events that can count. */
int ctb_pmu_usable(const struct ctb_pmu *p);

/* Reset + enable / disable + read all usable events. */
void ctb_pmu_start(struct ctb_pmu *p);
void ctb_pmu_stop(struct ctb_pmu *p);

/*
 * Format "name=value;..." where value = (op_counts[i] - base_counts[i]) /
 * iterations (base NULL = no subtraction), or "name=n/a: reason".
 */
void ctb_pmu_format(const struct ctb_pmu *p, const uint64_t *op_counts,
		    const uint64_t *base_counts, double iterations,
		    char *buf, size_t len);

/* Detected PMUs ("amd64_fam19h_zen4,perf") or "n/a: <reason>". */
void ctb_pmu_detect(char *buf, size_t len);

/*
 * Probe whether hardware counting works at all (opens cycles briefly).
 * Returns 1, or 0 with the reason in buf.
 */
int ctb_pmu_probe(char *buf, size_t len);

#endif /* CTB_PMU_H */
