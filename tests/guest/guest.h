/* SPDX-License-Identifier: GPL-2.0 */
/*
 * guest.h - helpers shared by the guest test programs in this folder.
 *
 * Each program is built standalone from its one .c file (bench/Makefile),
 * so everything here is static inline.  TAP output: "ok - ...",
 * "not ok - ..." and "ok - ... # SKIP ..." lines, each flushed at once
 * so that a guest that dies mid-test still shows how far it got.
 */
#ifndef CTB_GUEST_H
#define CTB_GUEST_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "uapi/cachetlb.h"

/* Check counters of one test program. */
struct tap {
	unsigned int pass, fail, skip;
};

/*
 * Print one "ok - ..." / "not ok - ..." line and count it.  Each program
 * names it after its own history: check(), report() or tap().
 */
static inline void tap_check(struct tap *t, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static inline void tap_check(struct tap *t, bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s - ", ok ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (ok)
		t->pass++;
	else
		t->fail++;
}

/*
 * A check whose failure is a known open problem (TAP "# TODO"): "ok" when
 * it holds, else "not ok - ... # TODO why", counted as skipped, not failed,
 * so it stays visible in every run without failing make check.
 */
static inline void tap_todo(struct tap *t, bool ok, const char *why,
			    const char *what)
{
	printf("%s - %s # TODO %s\n", ok ? "ok" : "not ok", what, why);
	fflush(stdout);
	if (ok)
		t->pass++;
	else
		t->skip++;
}

/* Print "ok - what # SKIP why" and count it. */
static inline void tap_skip(struct tap *t, const char *what, const char *why)
{
	printf("ok - %s # SKIP %s\n", what, why);
	fflush(stdout);
	t->skip++;
}

/* Zero an ioctl argument's header; set its size and our ABI version. */
static inline void hdr_init(struct cachetlb_hdr *h, size_t size)
{
	memset(h, 0, sizeof(*h));
	h->size = (uint32_t)size;
	h->abi_version = CACHETLB_ABI_VERSION;
}

/* ioctl returning 0 or -errno. */
static inline int xioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

/* GET_INFO into a zeroed *info: 0 or -errno. */
static inline int get_info(int fd, struct cachetlb_info *info)
{
	memset(info, 0, sizeof(*info));
	hdr_init(&info->hdr, sizeof(*info));
	return xioctl(fd, CACHETLB_IOC_GET_INFO, info);
}

/* LIST_OPS of op index into a zeroed *d: 0 or -errno. */
static inline int list_op(int fd, uint32_t index, struct cachetlb_op_desc *d)
{
	memset(d, 0, sizeof(*d));
	hdr_init(&d->hdr, sizeof(*d));
	d->index = index;
	return xioctl(fd, CACHETLB_IOC_LIST_OPS, d);
}

/* qsort() order of doubles. */
static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * Lines of /proc/vmallocinfo that belong to the module and contain tag
 * (vmap areas it left), or -1 when the file cannot be read.
 */
static inline long module_vmap_areas(const char *tag)
{
	FILE *f = fopen("/proc/vmallocinfo", "r");
	char line[512];
	long n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "[cachetlb]") && strstr(line, tag))
			n++;
	fclose(f);
	return n;
}

#endif /* CTB_GUEST_H */
