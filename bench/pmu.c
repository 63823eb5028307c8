// SPDX-License-Identifier: GPL-2.0
/*
 * ctbench PMU counting with libpfm4 + perf_event_open.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/perf_event.h>
#include <perfmon/pfmlib_perf_event.h>

#include "pmu.h"

/* pfm_initialize() is idempotent; remember its result for messages. */
static int pfm_init_result = -1;	/* -1: not called yet */

int ctb_pmu_init(char *err, size_t len)
{
	if (pfm_init_result < 0 || pfm_init_result > 0) {
		int r = pfm_initialize();

		pfm_init_result = r == PFM_SUCCESS ? 0 : 1;
		if (r != PFM_SUCCESS) {
			snprintf(err, len, "libpfm4 initialisation failed: %s",
				 pfm_strerror(r));
			return -EIO;
		}
	}
	return 0;
}

int ctb_pmu_encode(const char *name, void *attr, size_t attr_len,
		   char *err, size_t len)
{
	pfm_perf_encode_arg_t arg;
	struct perf_event_attr *a = attr;
	int r;

	if (attr_len < sizeof(*a)) {
		snprintf(err, len, "perf_event_attr buffer too small");
		return -EINVAL;
	}
	r = ctb_pmu_init(err, len);
	if (r)
		return r;
	if (!name || !*name || strlen(name) >= CTB_PMU_NAME_LEN) {
		snprintf(err, len,
			 "event name '%s' is empty or longer than %d characters",
			 name ? name : "", CTB_PMU_NAME_LEN - 1);
		return -EINVAL;
	}
	memset(a, 0, sizeof(*a));
	memset(&arg, 0, sizeof(arg));
	arg.attr = a;
	arg.size = sizeof(arg);
	r = pfm_get_os_event_encoding(name, PFM_PLM0 | PFM_PLM3,
				      PFM_OS_PERF_EVENT_EXT, &arg);
	if (r != PFM_SUCCESS) {
		snprintf(err, len,
			 "event '%s': libpfm4 cannot encode it: %s (list names with `showevtinfo` from libpfm4, or use cycles, instructions, dTLB-load-misses ...)",
			 name, pfm_strerror(r));
		return -EINVAL;
	}
	a->size = sizeof(*a);
	a->disabled = 1;
	a->exclude_kernel = 0;	/* kernel mode is the point */
	a->exclude_hv = 1;
	a->read_format = PERF_FORMAT_TOTAL_TIME_ENABLED |
			 PERF_FORMAT_TOTAL_TIME_RUNNING;
	return 0;
}

static int perf_open(struct perf_event_attr *a)
{
	return (int)syscall(SYS_perf_event_open, a, 0, -1, -1,
			    PERF_FLAG_FD_CLOEXEC);
}

static void open_reason(int e, char *buf, size_t len)
{
	switch (e) {
	case ENOENT:
		snprintf(buf, len, "no PMU for this event (ENOENT)");
		break;
	case EOPNOTSUPP:
		snprintf(buf, len, "not supported by the PMU (EOPNOTSUPP)");
		break;
	case ENODEV:
		snprintf(buf, len, "no such PMU device (ENODEV)");
		break;
	case EACCES:
	case EPERM:
		snprintf(buf, len,
			 "not permitted (perf_event_paranoid; run as root)");
		break;
	case ENOSYS:
		snprintf(buf, len, "kernel without perf_event_open (ENOSYS)");
		break;
	default:
		snprintf(buf, len, "perf_event_open: %s", strerror(e));
		break;
	}
}

int ctb_pmu_setup(struct ctb_pmu *p, const char *list, char *err, size_t len)
{
	char *copy, *save = NULL, *tok;
	int ret = 0;

	memset(p, 0, sizeof(*p));
	for (size_t i = 0; i < CTB_PMU_MAX_EVENTS; i++)
		p->ev[i].fd = -1;
	if (!list || !*list)
		return 0;
	copy = strdup(list);
	if (!copy) {
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		struct ctb_pmu_event *ev;
		struct perf_event_attr a;

		if (p->n == CTB_PMU_MAX_EVENTS) {
			snprintf(err, len,
				 "--events: too many events (at most %d)",
				 CTB_PMU_MAX_EVENTS);
			ret = -E2BIG;
			break;
		}
		ret = ctb_pmu_encode(tok, &a, sizeof(a), err, len);
		if (ret)
			break;
		ev = &p->ev[p->n++];
		snprintf(ev->name, sizeof(ev->name), "%s", tok);
		ev->fd = perf_open(&a);
		if (ev->fd < 0) {
			open_reason(errno, ev->reason, sizeof(ev->reason));
			ev->ok = 0;
		} else {
			ev->ok = 1;
		}
	}
	free(copy);
	if (ret)
		ctb_pmu_close(p);
	return ret;
}

void ctb_pmu_close(struct ctb_pmu *p)
{
	for (size_t i = 0; i < p->n; i++) {
		if (p->ev[i].fd >= 0)
			close(p->ev[i].fd);
		p->ev[i].fd = -1;
		p->ev[i].ok = 0;
	}
	p->n = 0;
}

int ctb_pmu_usable(const struct ctb_pmu *p)
{
	int n = 0;

	for (size_t i = 0; i < p->n; i++)
		n += p->ev[i].ok;
	return n;
}

void ctb_pmu_start(struct ctb_pmu *p)
{
	for (size_t i = 0; i < p->n; i++) {
		struct ctb_pmu_event *ev = &p->ev[i];

		ev->counted = 0;
		if (!ev->ok)
			continue;
		ioctl(ev->fd, PERF_EVENT_IOC_RESET, 0);
		ioctl(ev->fd, PERF_EVENT_IOC_ENABLE, 0);
	}
}

void ctb_pmu_stop(struct ctb_pmu *p)
{
	for (size_t i = 0; i < p->n; i++) {
		struct ctb_pmu_event *ev = &p->ev[i];
		uint64_t v[3];

		if (!ev->ok)
			continue;
		ioctl(ev->fd, PERF_EVENT_IOC_DISABLE, 0);
		if (read(ev->fd, v, sizeof(v)) != (ssize_t)sizeof(v)) {
			snprintf(ev->reason, sizeof(ev->reason),
				 "read of the counter failed");
			ev->ok = 0;
			continue;
		}
		if (v[2] == 0) {
			snprintf(ev->reason, sizeof(ev->reason),
				 "counter never scheduled (time_running 0)");
			continue;
		}
		/* Scale when the kernel multiplexed the counter. */
		if (v[2] < v[1])
			v[0] = (uint64_t)((double)v[0] * (double)v[1] /
					  (double)v[2]);
		ev->value = v[0];
		ev->counted = 1;
	}
}

void ctb_pmu_format(const struct ctb_pmu *p, const uint64_t *op_counts,
		    const uint64_t *base_counts, double iterations,
		    char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < p->n; i++) {
		const struct ctb_pmu_event *ev = &p->ev[i];
		const char *sep = off ? ";" : "";

		if (!ev->ok || !op_counts || iterations <= 0) {
			off += snprintf(buf + off, off < len ? len - off : 0,
					"%s%s=n/a: %s", sep, ev->name,
					ev->reason[0] ? ev->reason :
					"not counted");
		} else if (base_counts && op_counts[i] < base_counts[i]) {
			/* noise: the op counted less than the empty op */
			off += snprintf(buf + off, off < len ? len - off : 0,
					"%s%s=n/a: below the nop baseline (%.3f < %.3f per iteration)",
					sep, ev->name,
					(double)op_counts[i] / iterations,
					(double)base_counts[i] / iterations);
		} else {
			double v = (double)op_counts[i];

			if (base_counts)
				v -= (double)base_counts[i];
			off += snprintf(buf + off, off < len ? len - off : 0,
					"%s%s=%.3f", sep, ev->name,
					v / iterations);
		}
	}
}

void ctb_pmu_detect(char *buf, size_t len)
{
	char err[128];
	size_t off = 0;
	pfm_pmu_t pmu;

	if (ctb_pmu_init(err, sizeof(err))) {
		snprintf(buf, len, "n/a: %s", err);
		return;
	}
	buf[0] = '\0';
	pfm_for_all_pmus(pmu) {
		pfm_pmu_info_t info;

		memset(&info, 0, sizeof(info));
		info.size = sizeof(info);
		if (pfm_get_pmu_info(pmu, &info) != PFM_SUCCESS ||
		    !info.is_present)
			continue;
		off += snprintf(buf + off, off < len ? len - off : 0, "%s%s",
				off ? "," : "", info.name);
	}
	if (!off)
		snprintf(buf, len, "n/a: libpfm4 detects no PMU");
}

int ctb_pmu_probe(char *buf, size_t len)
{
	struct perf_event_attr a;
	char err[256];
	int fd;

	if (ctb_pmu_encode("cycles", &a, sizeof(a), err, sizeof(err))) {
		snprintf(buf, len, "%s", err);
		return 0;
	}
	fd = perf_open(&a);
	if (fd < 0) {
		open_reason(errno, buf, len);
		return 0;
	}
	close(fd);
	buf[0] = '\0';
	return 1;
}
