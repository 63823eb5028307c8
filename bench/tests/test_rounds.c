// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the replicated statistics (stats.c: rounds, estimate,
 * CI over rounds, noise floor) and the replicated comparison (compare.c:
 * Welch, Holm/BH, control drift, verdicts) on hand-computed and synthetic
 * data with a known drift.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "stats.h"
#include "lcg.h"
#include "tap.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Timing-like noise: exponential(10 ns) with rare large spikes. */
static double noise(struct lcg *g)
{
	double v = -10.0 * log(unif(g));

	if (unif(g) < 0.03)
		v += 400.0 * unif(g);
	return v;
}

/*
 * Symmetric per-round variation of an op's own cost (the run-to-run
 * spread of IPI-bound ops): uniform +-20%. Symmetric around 0, so the
 * median round net is the cost.
 */
static double round_effect(struct lcg *g)
{
	return 0.4 * unif(g) - 0.2;
}

static void test_level(void)
{
	ok_near(ctb_stats_ci_level(5, 1), 0.9375, 1e-12,
		"R=5: [min, max] covers the median with 93.75%%");
	ok_near(ctb_stats_ci_level(6, 1), 0.96875, 1e-12,
		"R=6: [min, max] covers with 96.875%%");
	ok_near(ctb_stats_ci_level(10, 2), 1.0 - 2.0 * 11.0 / 1024.0, 1e-12,
		"R=10: ranks 2 and 9 cover with 1 - 22/1024");
	ok(ctb_stats_ci_level(6, 4) == 0.0, "rank beyond the middle: 0");
}

static void test_rounds_hand(void)
{
	/* round 7: iterations 2, round 3: iterations 4, interleaved */
	const double op[] = { 20, 40, 24, 44, 22, 48, 26, 52 };
	const double ct[] = { 10, 8, 12, 12, 14, 16, 16, 20 };
	const uint32_t rd[] = { 7, 3, 7, 3, 7, 3, 7, 3 };
	const uint32_t it[] = { 2, 4, 2, 4, 2, 4, 2, 4 };
	const uint32_t bad_it[] = { 2, 4, 2, 4, 1, 4, 2, 4 };
	struct ctb_round r[4];
	int n;

	n = ctb_rounds_from_samples(op, ct, rd, it, N_OF(op), r, 4);
	ok(n == 2, "two rounds found (got %d)", n);
	/* round 3 first: op/iter {10,11,12,13} -> 11.5; ctrl {2,3,4,5} -> 3.5 */
	ok(r[0].iterations == 4 && r[0].n == 4, "round 3: 4 iterations, 4 pairs");
	ok_near(r[0].op, 11.5, 1e-12, "round 3 op median 11.5 ns/iter");
	ok_near(r[0].ctrl, 3.5, 1e-12, "round 3 control median 3.5 ns/iter");
	ok_near(r[0].net, 8.0, 1e-12, "round 3 net 8");
	/* split: even {2,4} -> 3, odd {3,5} -> 4: -1 */
	ok_near(r[0].split, -1.0, 1e-12, "round 3 split -1 (control vs itself)");
	/* round 7: op {10,12,11,13} -> 11.5; ctrl {5,6,7,8} -> 6.5 */
	ok_near(r[1].net, 5.0, 1e-12, "round 7 net 5");
	ok(ctb_rounds_from_samples(op, ct, rd, bad_it, N_OF(op), r, 4) ==
	   -EINVAL, "iterations differing within a round: -EINVAL");
	ok(ctb_rounds_from_samples(op, ct, rd, it, N_OF(op), r, 1) == -EINVAL,
	   "more rounds than room: -EINVAL");
}

static void test_rep_hand(void)
{
	struct ctb_round r[6];
	const double nets[] = { 5, 1, 3, 4, 2, 6 };
	struct ctb_rep rep;
	size_t i;

	memset(r, 0, sizeof(r));
	for (i = 0; i < 6; i++) {
		r[i].iterations = 10;
		r[i].net = nets[i];
		r[i].ctrl = 100 + (double)i;
		r[i].split = i == 2 ? -0.7 : 0.2;
	}
	ok(!ctb_rep_compute(r, 6, 5.0, &rep), "rep of 6 rounds");
	ok_near(rep.net, 3.5, 1e-12, "estimate: median of round nets 3.5");
	ok(rep.ci_lo == 1 && rep.ci_hi == 6, "R=6 CI is [min, max] = [1, 6]");
	ok(rep.spread_lo == 1 && rep.spread_hi == 6, "spread [1, 6]");
	ok_near(rep.ci_level, 0.96875, 1e-12, "level 96.875%%");
	ok_near(rep.floor, 0.7, 1e-12,
		"floor: max(5 ns step / 10 iterations, |split| 0.7) = 0.7");
	ok(!rep.below_floor, "3.5 is above a 0.7 floor");
	r[0].iterations = 1;
	ok(!ctb_rep_compute(r, 6, 5.0, &rep) && rep.floor == 5.0 &&
	   rep.below_floor, "floor from the clock: 5 ns at 1 iteration, 3.5 below it");
	ok(!ctb_rep_compute(r, 6, 50.0, &rep) && rep.below_floor,
	   "3.5 ns net under a 50 ns step is below the floor");
	ok(ctb_rep_compute(r, 0, 1.0, &rep) == -EINVAL, "no rounds: -EINVAL");
}

/*
 * One synthetic round: ns samples of an op costing cost (per iteration)
 * and of its matched control, both shifted by a drift common to the
 * round, totals of `it` iterations. Appends to the arrays at *k.
 */
static void synth_round(struct lcg *g, double cost, double drift,
			uint32_t id, uint32_t it, size_t n, double *op,
			double *ct, uint32_t *rd, uint32_t *its, size_t *k)
{
	double c = cost * (1.0 + round_effect(g));
	size_t i;

	for (i = 0; i < n; i++, (*k)++) {
		double base = 300.0 + drift;

		op[*k] = (base + noise(g) + c * it);
		ct[*k] = (base + noise(g));
		rd[*k] = id;
		its[*k] = it;
	}
}

#define SYN_R		6
#define SYN_N		15
#define SYN_MAX		(SYN_R * SYN_N)

/* Replicated estimate of one synthetic row; drift ramps over rounds. */
static int synth_rep(struct lcg *g, double cost, double drift_step,
		     double slow, struct ctb_rep *rep, double *nets)
{
	double op[SYN_MAX], ct[SYN_MAX];
	uint32_t rd[SYN_MAX], its[SYN_MAX];
	struct ctb_round r[SYN_R];
	size_t k = 0;
	uint32_t i;
	int n;

	for (i = 0; i < SYN_R; i++)
		synth_round(g, cost * slow, drift_step * i, i, 1, SYN_N, op,
			    ct, rd, its, &k);
	n = ctb_rounds_from_samples(op, ct, rd, its, k, r, SYN_R);
	if (n != SYN_R || ctb_rep_compute(r, SYN_R, 1.0, rep))
		return -1;
	for (i = 0; i < SYN_R; i++)
		nets[i] = r[i].net;
	rep->ctrl *= slow;
	return 0;
}

static void test_coverage(void)
{
	struct lcg g = { 17 };
	const int reps = 4000;
	int cover = 0, cover1 = 0, bad = 0;
	double lvl = 0.0;

	for (int t = 0; t < reps; t++) {
		struct ctb_rep rep;
		double nets[SYN_R];
		double op[SYN_N], ct[SYN_N];
		uint32_t rd[SYN_N], its[SYN_N];
		struct ctb_stats so, sc;
		struct ctb_net net;
		size_t k = 0;

		/* known truth: cost 200 ns; drift +40 ns per round */
		if (synth_rep(&g, 200.0, 40.0, 1.0, &rep, nets)) {
			bad++;
			continue;
		}
		lvl = rep.ci_level;
		cover += rep.ci_lo <= 200.0 && 200.0 <= rep.ci_hi;
		/* the old way: one pass, CI from its samples */
		synth_round(&g, 200.0, 0.0, 0, 1, SYN_N, op, ct, rd, its, &k);
		ctb_stats_compute(op, SYN_N, &so);
		ctb_stats_compute(ct, SYN_N, &sc);
		ctb_stats_subtract(&so, &sc, &net);
		cover1 += net.ci_lo <= 200.0 && 200.0 <= net.ci_hi;
	}
	ok(!bad, "synthetic rows computed");
	/* binomial sd at 0.969, 4000 draws: 0.0027; allow 3 sd below */
	ok((double)cover / reps >= lvl - 3 * sqrt(lvl * (1 - lvl) / reps),
	   "CI over 6 rounds covers the true cost in %.1f%% (nominal %.1f%%)",
	   100.0 * cover / reps, 100.0 * lvl);
	ok((double)cover1 / reps < 0.8,
	   "a CI from one pass's samples covers it in only %.1f%%",
	   100.0 * cover1 / reps);
}

static void test_welch_holm(void)
{
	const double a[] = { 1, 2, 3, 4 }, b[] = { 3, 4, 5, 6 };
	const double p[] = { 0.01, 0.04, NAN, 0.03, 0.005 };
	double adj[5];

	/* t = 2 / sqrt(5/6), df 6: two-sided p = 0.070988 (by quadrature) */
	ok_near(ctb_welch_p(a, 4, b, 4), 0.0709876, 2e-6,
		"Welch p for {1..4} vs {3..6} is 0.0710");
	ok(isnan(ctb_welch_p(a, 1, b, 4)), "one round on a side: no test");
	ok(ctb_welch_p(a, 4, a, 4) > 0.999, "identical sides: p = 1");
	/*
	 * Sorted 0.005, 0.01, 0.03, 0.04 (m = 4, index 2 untested).
	 * Holm: 0.02, 0.03, 0.06, 0.06 (p x 4, x 3, x 2, then monotone).
	 * BH: 0.005*4/1 = 0.02, 0.01*4/2 = 0.02, 0.03*4/3 = 0.04, 0.04.
	 */
	static const struct {
		void (*adjust)(const double *, size_t, double *);
		const char *name;
		double want[5];	/* by row; NAN: untested */
	} m[] = {
		{ ctb_holm, "Holm", { 0.03, 0.06, NAN, 0.06, 0.02 } },
		{ ctb_bh, "BH", { 0.02, 0.04, NAN, 0.04, 0.02 } },
	};
	size_t k, i;

	for (k = 0; k < sizeof(m) / sizeof(m[0]); k++) {
		m[k].adjust(p, 5, adj);
		for (i = 0; i < 5; i++) {
			if (isnan(m[k].want[i]))
				ok(isnan(adj[i]), "%s: untested row %zu stays NAN",
				   m[k].name, i);
			else
				ok_near(adj[i], m[k].want[i], 1e-12,
					"%s: row %zu (p %.3f) adjusted to %.2f",
					m[k].name, i, p[i], m[k].want[i]);
		}
	}
}

#define SET_ROWS 150

struct synth_set {
	struct ctb_rside side[SET_ROWS];
	double nets[SET_ROWS][SYN_R];
};

/*
 * A synthetic set: SET_ROWS rows with costs from 0 (empty ops) to 50 us,
 * every cost and control scaled by slow (a slower boot of the emulator),
 * planted[i] multiplies row i's cost.
 */
static void synth_set(struct synth_set *s, uint64_t seed, double slow,
		      const double *planted)
{
	struct lcg g = { seed };

	for (size_t i = 0; i < SET_ROWS; i++) {
		struct lcg cg = { 1000 + i };	/* same costs in every set */
		double cost = i % 10 == 0 ? 0.0 : 50000.0 * pow(unif(&cg), 3);
		struct ctb_rep rep;

		if (planted)
			cost *= planted[i];
		synth_rep(&g, cost, 40.0, slow, &rep, s->nets[i]);
		s->side[i] = (struct ctb_rside){
			.nets = s->nets[i], .n = SYN_R, .net = rep.net,
			.floor = rep.floor, .ctrl = rep.ctrl,
			.below = rep.below_floor,
		};
	}
}

static size_t changed(const struct ctb_rcmp *c, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += c[i].verdict != CTB_SAME;
	return k;
}

static void test_a_vs_a(void)
{
	static struct synth_set a, b;
	static struct ctb_rcmp c[SET_ROWS];
	size_t one = 0, two = 0, below = 0;
	double drift = 0.0;
	int err = 0;

	for (uint64_t t = 0; t < 20; t++) {
		synth_set(&a, 100 + 2 * t, 1.0, NULL);
		synth_set(&b, 101 + 2 * t, 1.0, NULL);
		err |= ctb_compare_batch(a.side, b.side, SET_ROWS, t, c, NULL);
		one += changed(c, SET_ROWS);
		for (size_t i = 0; i < SET_ROWS; i++)
			below += c[i].why == CTB_WHY_FLOOR;
		/* "second boot": everything 8% slower */
		synth_set(&b, 5000 + t, 1.08, NULL);
		err |= ctb_compare_batch(a.side, b.side, SET_ROWS, t, c,
					 &drift);
		two += changed(c, SET_ROWS);
		for (size_t i = 0; i < SET_ROWS; i++)
			if (c[i].verdict != CTB_SAME)
				diag("t %d row %zu a %.1f b %.1f diff %.1f [%.1f %.1f] p %.3g adj %.3g min %.1f fl %.1f %.1f ctrl %.1f %.1f", (int)t, i, c[i].net_a, c[i].net_b, c[i].diff, c[i].diff_lo, c[i].diff_hi, c[i].p, c[i].p_adj, c[i].min_effect, a.side[i].floor, b.side[i].floor, a.side[i].ctrl, b.side[i].ctrl);
	}
	ok(!err, "20 synthetic A-vs-A batches of %d rows compared", SET_ROWS);
	ok(one == 0, "A vs A, one boot: %zu changed rows in 20 x %d", one,
	   SET_ROWS);
	ok(below >= 20 * SET_ROWS / 10,
	   "the empty rows compare as 'below floor' (%zu)", below);
	ok(two == 0, "A vs A, two boots 8%% apart: %zu changed rows (drift %.1f%%)",
	   two, drift * 100);
	ok(drift > 0.05, "the 8%% slowdown shows in the control drift (%.1f%%)",
	   drift * 100);
}

static void test_planted(void)
{
	static struct synth_set a, b;
	static struct ctb_rcmp c[SET_ROWS];
	double planted[SET_ROWS];
	size_t hit = 0, want = 0, wrong = 0;

	for (size_t i = 0; i < SET_ROWS; i++)
		planted[i] = 1.0;
	/* double every 15th row (rows 0, 10, 20 ... are empty ops) */
	for (size_t i = 5; i < SET_ROWS; i += 15)
		planted[i + (i % 10 == 0)] = 2.0;
	synth_set(&a, 300, 1.0, NULL);
	synth_set(&b, 301, 1.0, planted);
	ok(!ctb_compare_batch(a.side, b.side, SET_ROWS, 9, c, NULL),
	   "planted batch compared");
	for (size_t i = 0; i < SET_ROWS; i++) {
		if (planted[i] > 1.0 && a.side[i].below) {
			/* doubling nothing: must stay "below floor" */
			wrong += c[i].why != CTB_WHY_FLOOR;
		} else if (planted[i] > 1.0) {
			want++;
			hit += c[i].verdict == CTB_SLOWER;
			if (c[i].verdict != CTB_SLOWER)
				diag("missed row %zu: %.1f -> %.1f p %.3g band %.3g adj %.3g min %.1f (%s)",
				     i, c[i].net_a, c[i].net_b, c[i].p,
				     c[i].p_band, c[i].p_adj, c[i].min_effect,
				     ctb_why_name(c[i].why));
		} else {
			wrong += c[i].verdict != CTB_SAME;
		}
	}
	ok(want >= 8 && hit == want,
	   "planted 2x: %zu of %zu measurable rows called slower", hit, want);
	ok(wrong == 0, "no other row changed, doubled empties below floor (%zu)",
	   wrong);
	for (size_t i = 0; i < SET_ROWS; i++)
		if (c[i].verdict == CTB_SLOWER) {
			ok(c[i].pct > 50 && c[i].pct < 150,
			   "the change reads %+.0f%% (planted +100%%)",
			   c[i].pct);
			break;
		}
}

int main(void)
{
	test_level();
	test_rounds_hand();
	test_rep_hand();
	test_coverage();
	test_welch_holm();
	test_a_vs_a();
	test_planted();
	return tap_done();
}
