// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for bench/verify.c: the function_graph trace parser (text in
 * the layouts kernel/trace/trace_functions_graph.c prints) and the
 * agree/disagree verdict.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "lcg.h"
#include "stats.h"
#include "tap.h"
#include "verify.h"

static const char trace[] =
	"# tracer: function_graph\n"
	"#\n"
	"# CPU  DURATION                  FUNCTION CALLS\n"
	"# |     |   |                     |   |   |   |\n"
	" 0)   1.072 us    |  ctb_nop_run [cachetlb]();\n"
	" 1) + 34.560 us   |  flush_tlb_all();\n"
	" 0)               |  flush_tlb_all() {\n"
	" ------------------------------------------\n"
	" 0)   ==========> |\n"
	" 0) ! 123.456 us  |  } /* flush_tlb_all */\n"
	" 1) # 1234.5 us   |  flush_tlb_all();\n"
	" 1)   0.900 us    |  flush_tlb_all_other();\n"
	" 1)   2.000 us    |  xflush_tlb_all();\n";

static void test_parse(void)
{
	double d[8];
	size_t n;

	n = ctb_verify_parse_graph(trace, "flush_tlb_all", d, 8);
	ok(n == 3, "three complete flush_tlb_all calls (got %zu): leaf, "
	   "closing brace, 4-digit us", n);
	ok(n == 3 && d[0] == 34560.0 && d[1] == 123456.0 && d[2] == 1234500.0,
	   "durations in ns: 34560, 123456, 1234500");
	n = ctb_verify_parse_graph(trace, "ctb_nop_run", d, 8);
	/* the nop and the closing brace of another function's call */
	ok(n == 2 && d[0] == 1072.0,
	   "module function with [module] suffix: 1072 ns first (n %zu)", n);
	n = ctb_verify_parse_graph(trace, "flush_tlb_all", d, 1);
	ok(n == 1, "at most max durations stored");
	ok(ctb_verify_parse_graph("# tracer: nop\n", "flush_tlb_all", d, 8)
	   == 0, "empty trace: none");
	ok(ctb_verify_parse_graph("", "x", d, 8) == 0, "empty text: none");
}

/* One round: the range is the point. */
static const char *v1(double ours, double traced, double floor, double tol)
{
	struct ctb_verify_fig o = { ours, ours, ours };
	struct ctb_verify_fig t = { traced, traced, traced };

	return ctb_verify_verdict(&o, &t, floor, tol, 0);
}

static void test_verdict(void)
{
	struct ctb_verify_fig o = { 900, 800, 9000 };
	struct ctb_verify_fig t = { 8000, 850, 9000 };
	struct ctb_verify_fig slow = { 8000, 3000, 9000 };
	struct ctb_verify_fig far = { 30000, 25000, 40000 };

	ok(!strcmp(v1(1000, 1000, 100, 0.25), "agree"),
	   "equal figures agree");
	ok(!strcmp(v1(1000, 1240, 100, 0.25), "agree") &&
	   !strcmp(v1(1000, 810, 100, 0.25), "agree"),
	   "within 1.25x either way agree (native)");
	ok(!strcmp(v1(1000, 1300, 100, 0.25), "disagree") &&
	   !strcmp(v1(1000, 790, 100, 0.25), "disagree"),
	   "beyond 1.25x either way disagree (native)");
	ok(!strcmp(v1(1000, 1900, 100, 1.0), "agree") &&
	   !strcmp(v1(1000, 2100, 100, 1.0), "disagree") &&
	   !strcmp(v1(1000, 490, 100, 1.0), "disagree"),
	   "emulated tolerance: factor 2");
	ok(!strcmp(v1(1000, -2000, 100, 1.0), "disagree"),
	   "a negative corrected figure (overhead too large) disagrees");
	ok(!strcmp(v1(90, 5000, 100, 0.25), "below-floor") &&
	   !strcmp(v1(100, 100, 100, 0.25), "below-floor"),
	   "ours at or below the floor: no ratio, below-floor");
	ok(!strcmp(ctb_verify_verdict(&o, &t, 100, 0.25, 0), "agree"),
	   "bimodal rounds: medians 9x apart, ranges and low ends agree");
	ok(!strcmp(ctb_verify_verdict(&o, &slow, 100, 1.0, 0), "disagree"),
	   "ranges overlap but the low ends are 3.75x apart: disagree");
	ok(!strcmp(ctb_verify_verdict(&o, &far, 100, 1.0, 0), "disagree"),
	   "ranges more than the tolerance apart: disagree");
	{
		struct ctb_verify_fig a = { 1360, 896, 11264 };
		struct ctb_verify_fig b = { 1360, -288, 11920 };

		ok(!strcmp(ctb_verify_verdict(&a, &b, 224, 1.0, 0),
			   "disagree") &&
		   !strcmp(ctb_verify_verdict(&a, &b, 224, 1.0, 800),
			   "agree"),
		   "a low end pushed below zero by a noisy overhead: disagree without slack, agree with a slack of 800 ns");
		ok(!strcmp(ctb_verify_verdict(&a, &far, 224, 1.0, 496),
			   "disagree"), "the slack does not rescue a real gap");
	}
}

static void test_pmu(void)
{
	ok(!strcmp(ctb_verify_pmu_verdict(1.0, 1.0, 0.25), "agree") &&
	   !strcmp(ctb_verify_pmu_verdict(1.24, 1.0, 0.25), "agree") &&
	   !strcmp(ctb_verify_pmu_verdict(2.5, 3.0, 0.25), "agree"),
	   "pmu: rates within 1.25x of the calibration agree");
	ok(!strcmp(ctb_verify_pmu_verdict(1.3, 1.0, 0.25), "disagree") &&
	   !strcmp(ctb_verify_pmu_verdict(0.7, 1.0, 0.25), "disagree"),
	   "pmu: beyond 1.25x either way disagree");
	ok(!strcmp(ctb_verify_pmu_verdict(1.9, 1.0, 1.0), "agree") &&
	   !strcmp(ctb_verify_pmu_verdict(0.45, 1.0, 1.0), "disagree"),
	   "pmu: emulated tolerance, factor 2");
	ok(!strcmp(ctb_verify_pmu_verdict(NAN, 1.0, 1.0), "below-floor") &&
	   !strcmp(ctb_verify_pmu_verdict(0.0, 1.0, 1.0), "below-floor") &&
	   !strcmp(ctb_verify_pmu_verdict(-1.0, 1.0, 1.0), "below-floor") &&
	   !strcmp(ctb_verify_pmu_verdict(1.0, NAN, 1.0), "below-floor") &&
	   !strcmp(ctb_verify_pmu_verdict(INFINITY, 1.0, 1.0),
		   "below-floor"),
	   "pmu: no positive finite rate, no verdict (below-floor)");
	ok(strstr(ctb_verify_pmu_why(ENOENT), "no PMU driver") != NULL &&
	   strstr(ctb_verify_pmu_why(EBUSY), "taken") != NULL &&
	   strcmp(ctb_verify_pmu_why(ENOENT), ctb_verify_pmu_why(EINVAL)) &&
	   strstr(ctb_verify_pmu_why(12345), "could not create") != NULL,
	   "pmu: the reason follows the kernel's errno");
}

/*
 * The counter's rate from synthetic samples at a true 1.0 cycle/ns (+-2%):
 * two cost levels (15 at 1000 ns, 13 at 3000 ns) and 3 outliers whose ns
 * grew without their cycles (50 us against 900 cycles: a vCPU stopped
 * inside the region).  The sums and the ratio of the medians are both
 * pulled far off; the per-sample median is not.
 */
static void test_pmu_rate(void)
{
	double cyc[31], ns[31], r[31], q[3], sc = 0, sn = 0, mc, mn;
	struct lcg g = { 22 };
	size_t i, k;

	for (i = 0; i < 31; i++) {
		ns[i] = i < 15 ? 1000 : i < 28 ? 3000 : 50000;
		cyc[i] = i < 28 ? ns[i] * (0.98 + 0.04 * unif(&g)) : 900;
		sc += cyc[i];
		sn += ns[i];
	}
	mc = ctb_median_of_copy(cyc, 31);
	mn = ctb_median_of_copy(ns, 31);
	ok(sc / sn < 0.5 && mc / mn < 0.5,
	   "pmu rate: the old estimators are wrong here (sums %.3f, medians %.0f/%.0f = %.3f cycles/ns)",
	   sc / sn, mc, mn, mc / mn);
	k = ctb_verify_pmu_rate(cyc, ns, 31, 100, r, q);
	ok(k == 31 && fabs(q[1] - 1.0) < 0.02,
	   "pmu rate: the per-sample median is the true 1.0 cycles/ns (%.3f over %zu samples)",
	   q[1], k);
	ok(q[0] <= q[1] && q[1] <= q[2] && q[0] > 0.97 && q[2] < 1.03,
	   "pmu rate: quartiles %.3f..%.3f around it, the outliers outside",
	   q[0], q[2]);
	/* samples at or below the floor take no part (their ratio is noise) */
	ns[0] = 50;
	cyc[0] = 5000;
	ns[1] = 100;
	cyc[1] = 10000;
	k = ctb_verify_pmu_rate(cyc, ns, 31, 100, r, q);
	ok(k == 29 && fabs(q[1] - 1.0) < 0.02,
	   "pmu rate: samples at or below the floor excluded (%zu left)", k);
	k = ctb_verify_pmu_rate(cyc, ns, 31, 1e6, r, q);
	ok(k == 0 && isnan(q[0]) && isnan(q[1]) && isnan(q[2]),
	   "pmu rate: none above the floor, no rate");
}

int main(void)
{
	test_parse();
	test_verdict();
	test_pmu();
	test_pmu_rate();
	return tap_done();
}
