// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for bench/report.c: line width <= 72, machine line, verdicts
 * of report/compare on synthetic sets, refusal on arch/kernel/emulation
 * mismatch naming what differs, --force, row matching.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replicate.h"
#include "report.h"
#include "tap.h"

#define NR 6		/* rounds */
#define NPR 20		/* sample pairs per round */
#define NS (NR * NPR)

struct fixture {
	struct ctb_kv meta[7];
	struct ctb_row rows[4];
	double raw[4][NS], base[4][NS];
	uint32_t rd[4][NS], it[4][NS];
	struct ctb_set set;
	double ctrl;	/* control ns per sample (machine speed) */
};

static double unif(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return ((double)(*s >> 11) + 0.5) / 9007199254740992.0;
}

/*
 * A row of NR rounds: op samples cost scale * 1000 ns per iteration (+-3%
 * per round, exponential sample noise) on top of a control of ctrl ns per
 * sample; totals of 8 iterations. scale 0: an empty op.
 */
static void set_row(struct ctb_row *r, double *raw, double *base,
		    uint32_t *rd, uint32_t *it, const char *op,
		    uint32_t count, const char *state, const char *opflags,
		    const char *targets, double scale, double ctrl,
		    uint64_t seed)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	snprintf(r->op, sizeof(r->op), "%s", op);
	snprintf(r->family, sizeof(r->family), "cache");
	r->count = count;
	snprintf(r->state, sizeof(r->state), "%s", state);
	snprintf(r->opflags, sizeof(r->opflags), "%s", opflags);
	snprintf(r->targets, sizeof(r->targets), "%s", targets);
	snprintf(r->noop, sizeof(r->noop), "no");
	r->iterations = 8;
	for (i = 0; i < NS; i++) {
		double round_eff = 1.0 + 0.06 * (unif(&seed) - 0.5);

		if (i % NPR)	/* one effect per round */
			round_eff = 1.0 + 0.06 * ((double)(i / NPR) / NR - 0.5);
		rd[i] = (uint32_t)(i / NPR);
		it[i] = 8;
		base[i] = ctrl - 20.0 * log(unif(&seed));
		raw[i] = ctrl + 8.0 * scale * 1000.0 * round_eff -
			 20.0 * log(unif(&seed));
	}
	r->raw_ns = raw;
	r->base_ns = base;
	r->raw_round = rd;
	r->raw_iters = it;
	r->nraw = NS;
	ctb_row_replicate(r, 10.0);
}

/* scale[i] multiplies row i's times; row 3 is named 'extra' if odd */
static void mkset(struct fixture *fx, const char *dir, const char *arch,
		  const char *krel, const char *emulated, const double *scale,
		  uint64_t seed, int reorder)
{
	static const char *const ops[] = { "flush_dcache_page",
		"flush_kernel_vmap_range_with_a_long_name_x",
		"flush_tlb_kernel_range", "uaccess_copy" };
	size_t i;

	fx->meta[0] = (struct ctb_kv){ "arch", arch, 0 };
	fx->meta[1] = (struct ctb_kv){ "kernel_release", krel, 0 };
	fx->meta[2] = (struct ctb_kv){ "emulated", emulated, 1 };
	fx->meta[3] = (struct ctb_kv){ "cpu_model",
		"QEMU Virtual CPU version 2.5+ with a very very long model "
		"name that must be cut", 0 };
	fx->meta[4] = (struct ctb_kv){ "emulation",
		!strcmp(emulated, "true") ? "qemu-tcg" : "native", 0 };
	fx->meta[5] = (struct ctb_kv){ "date", "2026-11-25T12:00:00Z", 0 };
	for (i = 0; i < 4; i++) {
		size_t k = reorder ? 3 - i : i;

		set_row(&fx->rows[k], fx->raw[k], fx->base[k], fx->rd[k],
			fx->it[k], ops[i], i == 1 ? 1024 : 64,
			i == 0 ? "dirty" : "any",
			i == 1 ? "vmap+double+verify" : "-",
			i == 2 ? "0-3,6" : "-", scale[i], fx->ctrl, seed + i);
	}
	fx->meta[6] = (struct ctb_kv){ "clock_resolution_ns", "10", 1 };
	fx->set.meta = fx->meta;
	fx->set.nmeta = 7;
	fx->set.rows = fx->rows;
	fx->set.nrows = 4;
	snprintf(fx->set.dir, sizeof(fx->set.dir), "%s", dir);
}

static struct ctb_cmp_opts copts;

/* Output of fn into a malloc'ed string; compare's stderr goes there too. */
static char *capture(int (*fn)(FILE *, const struct ctb_set *,
			       const struct ctb_set *, int),
		     const struct ctb_set *a, const struct ctb_set *b,
		     int cross, int *ret)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	*ret = fn(f, a, b, cross);
	fclose(f);
	return buf;
}

static int do_compare(FILE *f, const struct ctb_set *a,
		      const struct ctb_set *b, int cross)
{
	struct ctb_cmp_opts o = copts;

	o.err = f;
	o.cross_arch = cross;
	return ctb_compare_sets(f, a, b, &o);
}

static int do_report(FILE *f, const struct ctb_set *a,
		     const struct ctb_set *b, int force)
{
	(void)force;
	return ctb_report_print(f, a, b);
}

static int max_width(const char *s, int *nlines)
{
	int w = 0, cur = 0;

	*nlines = 0;
	for (; *s; s++) {
		if (*s == '\n') {
			(*nlines)++;
			if (cur > w)
				w = cur;
			cur = 0;
		} else {
			cur++;
		}
	}
	return cur > w ? cur : w;
}

static int count_str(const char *s, const char *needle)
{
	int n = 0;

	while ((s = strstr(s, needle))) {
		n++;
		s += strlen(needle);
	}
	return n;
}

int main(void)
{
	static struct fixture a, same, twice, arm, k612, native, onlyone, slow,
		empty;
	const double one[4] = { 1, 1, 1, 1 };
	const double mixed[4] = { 2, 1, 0.5, 1 };
	const double slower[4] = { 1.08, 1.08, 1.08, 1.08 };
	const double nothing[4] = { 0, 1, 1, 1 };
	char *out;
	int ret, nl, w;

	a.ctrl = same.ctrl = twice.ctrl = arm.ctrl = k612.ctrl = 400;
	native.ctrl = onlyone.ctrl = empty.ctrl = 400;
	slow.ctrl = 432;	/* the whole machine 8% slower */
	static const char x86[] = "x86_64", k61[] = "6.1.0-56-amd64";
	const struct {
		struct fixture *fx;
		const char *dir, *arch, *krel, *emulated;
		const double *scale;
		uint64_t seed;
		int reorder;
	} sets[] = {
		{ &a, "results/A-set/", x86, k61, "true", one, 1, 0 },
		{ &same, "results/B-same", x86, k61, "true", one, 1001, 1 },
		{ &twice, "results/B-twice", x86, k61, "true", mixed, 1000, 0 },
		{ &arm, "results/arm", "aarch64", k61, "true", one, 1, 0 },
		{ &k612, "results/k612", x86, "6.12.95+deb12-amd64", "true",
		  one, 1, 0 },
		{ &native, "results/native", x86, k61, "false", one, 1, 0 },
		{ &slow, "results/slow", x86, k61, "true", slower, 2002, 0 },
		{ &empty, "results/empty", x86, k61, "true", nothing, 3003, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++)
		mkset(sets[i].fx, sets[i].dir, sets[i].arch, sets[i].krel,
		      sets[i].emulated, sets[i].scale, sets[i].seed,
		      sets[i].reorder);

	/* report A */
	out = capture(do_report, &a.set, NULL, 0, &ret);
	w = max_width(out, &nl);
	ok(ret == 0 && w <= 72, "report A: %d lines, widest %d <= 72", nl, w);
	ok(strstr(out, "Set: A-set\n") != NULL, "names the set (basename)");
	ok(strstr(out, "Machine: x86_64, kernel 6.1.0-56-amd64, EMULATED "
			"(qemu-tcg)") != NULL,
	   "machine line: arch, kernel, emulated");
	ok(strstr(out, "CPU: QEMU Virtual CPU") != NULL, "CPU line");
	ok(strstr(out, "flush_dcache_page N=64 dirty") &&
	   strstr(out, "flush_tlb_kernel_range N=64 ->0-3,6") &&
	   strstr(out, "vmap+double+verify"),
	   "op and params on each row");
	ok(count_str(out, " ns [") >= 4 && count_str(out, "    6\n") >= 4,
	   "net with its CI over rounds, unit and R=6 on every row");
	ok(strstr(out, "CI over rounds (order statistics, 96.9%)") != NULL,
	   "the CI convention and its exact level are stated");
	free(out);

	/* an empty op reads "< floor", never a number */
	out = capture(do_report, &empty.set, NULL, 0, &ret);
	ok(ret == 0 && empty.rows[0].rep.below_floor &&
	   count_str(out, "< floor (") == 1 &&
	   strstr(out, "flush_dcache_page N=64 dirty") &&
	   max_width(out, &nl) <= 72,
	   "empty op: '< floor (X)' (floor %.2f ns, net %.2f ns)",
	   empty.rows[0].rep.floor, empty.rows[0].rep.net);
	free(out);

	/* report A B is compare A B */
	out = capture(do_report, &a.set, &twice.set, 0, &ret);
	w = max_width(out, &nl);
	ok(ret == 0 && w <= 72, "report A B: %d lines, widest %d <= 72", nl, w);
	ok(count_str(out, " slower*\n") == 1 && count_str(out, " faster*\n") == 1 &&
	   count_str(out, " same\n") == 2,
	   "2x row slower, 0.5x row faster, two unchanged rows same (emulated: *)");
	free(out);

	/* compare identical-distribution sets (rows in another order) */
	out = capture(do_compare, &a.set, &same.set, 0, &ret);
	w = max_width(out, &nl);
	ok(ret == 0 && w <= 72, "compare A same: ok, widest %d", w);
	ok(count_str(out, " same\n") == 4 && !strstr(out, "slower*\n") &&
	   !strstr(out, "faster*\n"),
	   "identical sets: all 4 rows same, 0 changed");
	ok(strstr(out, "4 rows shown of 4 matched") != NULL &&
	   strstr(out, "Per row: A 6 rounds, 120 samples; B 6 rounds, 120") &&
	   strstr(out, "Differs: nothing in the metadata"),
	   "rows matched although in reverse order, rounds and samples shown");
	free(out);

	out = capture(do_compare, &a.set, &twice.set, 0, &ret);
	if (getenv("CTB_TEST_SHOW"))
		fputs(out, stderr);
	ok(ret == 0 && count_str(out, " slower*\n") == 1 &&
	   count_str(out, " faster*\n") == 1 && count_str(out, " same\n") == 2,
	   "compare A 2x/0.5x: 1 slower, 1 faster, 2 unchanged");
	ok(strstr(out, "64  995n 1.99u  +100 [") != NULL &&
	   strstr(out, "497n -50.1 [") != NULL,
	   "d%% of 2x is +100, of 0.5x -50.0");
	ok(strstr(out, "Benjamini-Hochberg") != NULL &&
	   strstr(out, "*: emulated (QEMU TCG)") != NULL,
	   "the multiple-comparison method and the emulation are named");
	w = max_width(out, &nl);
	ok(w <= 72, "compare output widest line %d <= 72", w);
	ok(strstr(out, "\nflush_kernel_vmap_range_with_a_\n") != NULL,
	   "a label wider than its column gets a line of its own");
	free(out);

	/* --family / --op select rows; p does not depend on the filter */
	copts.op_glob = "flush_dcache*";
	out = capture(do_compare, &a.set, &twice.set, 0, &ret);
	ok(ret == 0 && strstr(out, "1 rows shown of 4 matched") &&
	   strstr(out, "flush_dcache_page dirty") &&
	   !strstr(out, "uaccess_copy"), "--op GLOB selects one row");
	free(out);
	copts.op_glob = NULL;
	copts.family = "tlb";
	out = capture(do_compare, &a.set, &twice.set, 0, &ret);
	ok(ret == -ENOENT && strstr(out, "no matched row is selected"),
	   "--family with no row: -ENOENT and a message");
	free(out);
	copts.family = NULL;

	/* formats */
	copts.format = CTB_FMT_CSV;
	out = capture(do_compare, &a.set, &twice.set, 0, &ret);
	ok(ret == 0 && !strncmp(out, "op,family,count,", 16) &&
	   count_str(out, "\n") == 5 && strstr(out, ",slower,"),
	   "--format csv: header and 4 rows");
	free(out);
	copts.format = CTB_FMT_JSON;
	out = capture(do_compare, &a.set, &twice.set, 0, &ret);
	{
		json_error_t je;
		json_t *j = out ? json_loads(out, 0, &je) : NULL;

		ok(ret == 0 && j && json_array_size(json_object_get(j, "rows"))
		   == 4 && json_is_string(json_object_get(j, "kernel_b")),
		   "--format json parses, 4 rows");
		json_decref(j);
	}
	free(out);
	copts.format = CTB_FMT_MARKDOWN;
	out = capture(do_compare, &a.set, &twice.set, 0, &ret);
	ok(ret == 0 && strstr(out, "| op | N | A | B |") &&
	   count_str(out, "\n| ") == 5, "--format markdown: a table");
	free(out);
	copts.format = CTB_FMT_TEXT;
	ok(ctb_cmp_format_parse("md") == CTB_FMT_MARKDOWN &&
	   ctb_cmp_format_parse("xml") == -1, "format names");

	/* a machine 8% slower (controls too): drift, not a change */
	out = capture(do_compare, &a.set, &slow.set, 0, &ret);
	if (getenv("CTB_TEST_SHOW"))
		fputs(out, stderr);
	ok(ret == 0 && !strstr(out, "slower*") && !strstr(out, "faster*") &&
	   strstr(out, "4 drift") && strstr(out, "0 slower, 0 faster,") &&
	   max_width(out, &nl) <= 72,
	   "everything 8%% slower incl. controls: 0 changed, drift printed");
	free(out);
	/* empty op against empty op: below floor, never a percentage */
	out = capture(do_compare, &empty.set, &empty.set, 0, &ret);
	ok(ret == 0 && count_str(out, " floor\n") == 1 &&
	   count_str(out, " <") >= 2, "empty vs empty: '<X' and floor");
	free(out);

	/* another kernel: the expected case, both kernels named */
	out = capture(do_compare, &a.set, &k612.set, 0, &ret);
	ok(ret == 0 && strstr(out, "Kernel A: 6.1.0-56-amd64\n") &&
	   strstr(out, "Kernel B: 6.12.95+deb12-amd64\n") &&
	   strstr(out, "kernel_release: A 6.1.0-56-amd64; B 6.12.95+deb12") &&
	   max_width(out, &nl) <= 72,
	   "6.1 against 6.12: compared, both kernels named, differs listed");
	free(out);
	out = capture(do_compare, &a.set, &native.set, 0, &ret);
	ok(ret == 0 && strstr(out, "Machine: A emulated, B native"),
	   "emulated against native: compared, the header says so");
	free(out);
	/* another arch: refused, unless --cross-arch (ratios) */
	out = capture(do_compare, &a.set, &arm.set, 0, &ret);
	ok(ret == -EXDEV && strstr(out, "two arches (A x86_64, B aarch64)") &&
	   strstr(out, "--cross-arch") && !strstr(out, "matched"),
	   "different arch: refused, names both arches and --cross-arch");
	free(out);
	for (int i = 0; i < 4; i++)	/* the arm machine 3x slower */
		for (int k = 0; k < NS; k++) {
			arm.raw[i][k] *= 3;
			arm.base[i][k] *= 3;
		}
	for (int i = 0; i < 4; i++)
		ctb_row_replicate(&arm.rows[i], 10.0);
	out = capture(do_compare, &a.set, &arm.set, 1, &ret);
	ok(ret == 0 && strstr(out, "A x86_64, B aarch64 (--cross-arch)") &&
	   strstr(out, "g = 3") && !strstr(out, "slower*") &&
	   max_width(out, &nl) <= 72,
	   "--cross-arch: 3x slower machine is g = 3, no row changed");
	free(out);

	/* unmatched rows and no match at all */
	mkset(&onlyone, "results/one", "x86_64", "6.1.0-56-amd64", "true", one,
	      1, 0);
	onlyone.rows[0].count = 65;	/* no longer matches */
	out = capture(do_compare, &a.set, &onlyone.set, 0, &ret);
	ok(ret == 0 && strstr(out, "3 rows shown of 3 matched") &&
	   strstr(out, "only in A: 1, only in B: 1") &&
	   strstr(out, "only in A: flush_dcache_page dirty N=64\n") &&
	   strstr(out, "only in B: flush_dcache_page dirty N=65\n"),
	   "a row with another count does not match; both are named");
	free(out);
	onlyone.set.nrows = 1;
	out = capture(do_compare, &a.set, &onlyone.set, 0, &ret);
	ok(ret == -ENOENT, "no matching rows: -ENOENT");
	free(out);

	/* without raw samples there are no rounds to test: no verdict */
	for (int i = 0; i < 4; i++) {
		twice.rows[i].raw_ns = NULL;
		twice.rows[i].nraw = 0;
	}
	out = capture(do_compare, &a.set, &twice.set, 0, &ret);
	ok(ret == 0 && !strstr(out, "slower*") &&
	   count_str(out, " n/a\n") == 4,
	   "without raw samples: not tested, 'n/a'");
	free(out);

	return tap_done();
}
