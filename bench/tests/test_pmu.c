// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for bench/pmu.c: event-name encoding through libpfm4 (valid
 * and invalid names, kernel mode included), and the honest "n/a: reason"
 * reporting when perf_event_open cannot count (this host has no PMU).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <linux/perf_event.h>

#include "pmu.h"
#include "tap.h"

static int has(const char *s, const char *sub)
{
	return s && strstr(s, sub) != NULL;
}

int main(void)
{
	struct perf_event_attr a;
	struct ctb_pmu p;
	char err[512], buf[1024];
	uint64_t opc[2] = { 1000, 5000 }, basec[2] = { 200, 1000 };
	int usable;

	ok(ctb_pmu_init(err, sizeof(err)) == 0, "libpfm4 initialises");
	ok(ctb_pmu_encode("cycles", &a, sizeof(a), err, sizeof(err)) == 0 &&
	   a.type == PERF_TYPE_HARDWARE &&
	   a.config == PERF_COUNT_HW_CPU_CYCLES,
	   "'cycles' encodes to PERF_COUNT_HW_CPU_CYCLES");
	ok(!a.exclude_kernel && !a.exclude_user && a.disabled,
	   "user and kernel mode counted, starts disabled");
	ok(ctb_pmu_encode("PERF_COUNT_HW_CPU_CYCLES", &a, sizeof(a), err,
			  sizeof(err)) == 0 &&
	   a.config == PERF_COUNT_HW_CPU_CYCLES,
	   "the perf generic name encodes too");
	ok(ctb_pmu_encode("instructions", &a, sizeof(a), err,
			  sizeof(err)) == 0 &&
	   a.config == PERF_COUNT_HW_INSTRUCTIONS, "'instructions' encodes");
	ok(ctb_pmu_encode("dTLB-load-misses", &a, sizeof(a), err,
			  sizeof(err)) == 0 && a.type == PERF_TYPE_HW_CACHE,
	   "'dTLB-load-misses' encodes as a cache event");
	ok(ctb_pmu_encode("no_such_event_xyz", &a, sizeof(a), err,
			  sizeof(err)) == -EINVAL &&
	   has(err, "no_such_event_xyz"),
	   "garbage name fails naming it (%s)", err);
	ok(ctb_pmu_encode("", &a, sizeof(a), err, sizeof(err)) == -EINVAL,
	   "empty name fails");

	ok(ctb_pmu_setup(&p, "cycles,bogus_evt", err, sizeof(err)) == -EINVAL &&
	   has(err, "bogus_evt") && p.n == 0,
	   "a list with a bad name fails naming it, nothing left open (%s)",
	   err);

	ok(ctb_pmu_setup(&p, "cycles,instructions", err, sizeof(err)) == 0 &&
	   p.n == 2, "cycles,instructions set up");
	usable = ctb_pmu_usable(&p);
	for (size_t i = 0; i < p.n; i++)
		ok(p.ev[i].ok || p.ev[i].reason[0],
		   "%s: %s", p.ev[i].name,
		   p.ev[i].ok ? "counts" : p.ev[i].reason);
	if (usable) {
		volatile uint64_t x = 0;

		ctb_pmu_start(&p);
		for (int i = 0; i < 1000000; i++)
			x += (uint64_t)i;
		ctb_pmu_stop(&p);
		ok(p.ev[0].counted && p.ev[0].value > 0,
		   "cycles counted around a busy loop: %llu",
		   (unsigned long long)p.ev[0].value);
	} else {
		ctb_pmu_format(&p, NULL, NULL, 0, buf, sizeof(buf));
		ok(has(buf, "cycles=n/a: ") && has(buf, "instructions=n/a: ") &&
		   !has(buf, "=0"),
		   "without a PMU every event is n/a with a reason, never 0: %s",
		   buf);
	}
	ctb_pmu_close(&p);

	/* Per-iteration values with the nop subtraction (synthetic). */
	memset(&p, 0, sizeof(p));
	p.n = 2;
	snprintf(p.ev[0].name, sizeof(p.ev[0].name), "cycles");
	p.ev[0].ok = 1;
	p.ev[0].fd = -1;
	snprintf(p.ev[1].name, sizeof(p.ev[1].name), "instructions");
	p.ev[1].ok = 0;
	p.ev[1].fd = -1;
	snprintf(p.ev[1].reason, sizeof(p.ev[1].reason), "no PMU");
	ctb_pmu_format(&p, opc, basec, 100, buf, sizeof(buf));
	ok(!strcmp(buf, "cycles=8.000;instructions=n/a: no PMU"),
	   "(op - nop) / iterations, n/a kept per event: %s", buf);
	/* an op counted below the empty op: noise, never a negative count */
	ctb_pmu_format(&p, basec, opc, 100, buf, sizeof(buf));
	ok(!strncmp(buf, "cycles=n/a: below the nop baseline ", 35) &&
	   !strchr(buf, '-'),
	   "op below the nop baseline: n/a with the reason: %s", buf);

	ctb_pmu_detect(buf, sizeof(buf));
	ok(buf[0] != '\0', "detected PMUs: %s", buf);
	if (ctb_pmu_probe(buf, sizeof(buf)))
		ok(1, "hardware counting works here");
	else
		ok(buf[0] != '\0', "no hardware counting, reason: %s", buf);
	return tap_done();
}
