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

#include "report.h"
#include "tap.h"

#define NS 120

struct fixture {
	struct ctb_kv meta[6];
	struct ctb_row rows[4];
	double raw[4][NS];
	struct ctb_set set;
};

static double unif(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return ((double)(*s >> 11) + 0.5) / 9007199254740992.0;
}

static void set_row(struct ctb_row *r, double *raw, const char *op,
		    uint32_t count, const char *state, const char *opflags,
		    const char *targets, double scale, uint64_t seed)
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
	for (i = 0; i < NS; i++)	/* per-sample totals of 8 iterations */
		raw[i] = 8.0 * scale * (1000.0 - 50.0 * log(unif(&seed)));
	ctb_stats_compute(raw, NS, &r->st);
	/* per-iteration statistics, as the CLI stores them */
	r->st.min /= 8;
	r->st.max /= 8;
	r->st.median /= 8;
	r->st.mean /= 8;
	r->st.stddev /= 8;
	r->st.mad /= 8;
	r->st.iqr /= 8;
	r->st.ci_lo /= 8;
	r->st.ci_hi /= 8;
	r->raw_ns = raw;
	r->nraw = NS;
	r->cycles_median = NAN;
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

		set_row(&fx->rows[k], fx->raw[k], ops[i], i == 1 ? 1024 : 64,
			i == 0 ? "dirty" : "any",
			i == 1 ? "vmap+double+verify" : "-",
			i == 2 ? "0-3,6" : "-", scale[i], seed + i);
	}
	fx->set.meta = fx->meta;
	fx->set.nmeta = 6;
	fx->set.rows = fx->rows;
	fx->set.nrows = 4;
	snprintf(fx->set.dir, sizeof(fx->set.dir), "%s", dir);
}

/* Output of fn into a malloc'ed string. */
static char *capture(int (*fn)(FILE *, const struct ctb_set *,
			       const struct ctb_set *, int),
		     const struct ctb_set *a, const struct ctb_set *b,
		     int force, int *ret)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	*ret = fn(f, a, b, force);
	fclose(f);
	return buf;
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
	static struct fixture a, same, twice, arm, k612, native, onlyone, drift;
	const double drifty[4] = { 1.1, 1, 1, 3 };
	const double one[4] = { 1, 1, 1, 1 };
	const double mixed[4] = { 2, 1, 0.5, 1 };
	char *out;
	int ret, nl, w;

	mkset(&a, "results/A-set/", "x86_64", "6.1.0-56-amd64", "true", one, 1,
	      0);
	mkset(&same, "results/B-same", "x86_64", "6.1.0-56-amd64", "true",
	      one, 1, 1);
	mkset(&twice, "results/B-twice", "x86_64", "6.1.0-56-amd64", "true",
	      mixed, 1000, 0);
	mkset(&arm, "results/arm", "aarch64", "6.1.0-56-amd64", "true", one, 1,
	      0);
	mkset(&k612, "results/k612", "x86_64", "6.12.95+deb12-amd64", "true",
	      one, 1, 0);
	mkset(&native, "results/native", "x86_64", "6.1.0-56-amd64", "false",
	      one, 1, 0);

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
	ok(count_str(out, " us ") + count_str(out, " us\n") >= 4 &&
	   count_str(out, " 120") >= 4, "median +- CI with unit and n=120");
	ok(strstr(out, "1.0") && strstr(out, "+-"), "median +- half-width");
	free(out);

	/* quantised readings: the CI collapses, shown as half a step */
	{
		static struct fixture qz;
		double qraw[NS];
		size_t k;

		mkset(&qz, "results/q", "riscv64", "6.12", "true", one, 5, 0);
		for (k = 0; k < NS; k++)	/* 100 ns timer steps */
			qraw[k] = k % 10 ? 800.0 : 900.0;
		qz.rows[0].raw_ns = qraw;
		ctb_stats_compute(qraw, NS, &qz.rows[0].st);
		qz.rows[0].st.median /= 8;
		qz.rows[0].st.ci_lo /= 8;
		qz.rows[0].st.ci_hi /= 8;
		out = capture(do_report, &qz.set, NULL, 0, &ret);
		ok(ret == 0 && qz.rows[0].st.ci_lo == qz.rows[0].st.ci_hi &&
		   strstr(out, "100.0 +- 6.2") && count_str(out, " r\n") == 1 &&
		   strstr(out, "r = CI below the timer step"),
		   "zero-width CI of quantised data shown as +- half a step (6.25)");
		free(out);
	}

	/* report A B */
	out = capture(do_report, &a.set, &twice.set, 0, &ret);
	w = max_width(out, &nl);
	ok(ret == 0 && w <= 72, "report A B: %d lines, widest %d <= 72", nl, w);
	ok(count_str(out, " slower") == 1 && count_str(out, " faster") == 1 &&
	   count_str(out, " same") == 2,
	   "2x row slower, 0.5x row faster, two unchanged rows same");
	free(out);

	/* compare identical-distribution sets (rows in another order) */
	out = capture(ctb_compare_sets, &a.set, &same.set, 0, &ret);
	w = max_width(out, &nl);
	ok(ret == 0 && w <= 72, "compare A same: ok, widest %d", w);
	ok(count_str(out, "no significant difference:") == 4,
	   "identical sets: all 4 rows no significant difference");
	ok(strstr(out, "4 matching rows") != NULL &&
	   count_str(out, "(n 120/120)") == 4,
	   "rows matched although in reverse order, n shown");
	free(out);

	out = capture(ctb_compare_sets, &a.set, &twice.set, 0, &ret);
	ok(ret == 0 && count_str(out, "slower:") == 1 &&
	   count_str(out, "faster:") == 1 &&
	   count_str(out, "no significant difference:") == 2,
	   "compare A 2x/0.5x: 1 slower, 1 faster, 2 unchanged");
	ok(strstr(out, "slower: +") != NULL && strstr(out, "faster: -") != NULL,
	   "signs of the change follow the verdict");
	w = max_width(out, &nl);
	ok(w <= 72, "compare output widest line %d <= 72", w);
	free(out);

	/* the empty op's change is printed as a run-to-run yardstick */
	strcpy(a.rows[3].op, "nop");
	strcpy(same.rows[0].op, "nop");	/* same is in reverse order */
	out = capture(ctb_compare_sets, &a.set, &same.set, 0, &ret);
	ok(ret == 0 && strstr(out, "control: nop (empty op) changed ") &&
	   max_width(out, &nl) <= 72, "compare prints the nop control line");
	free(out);
	out = capture(do_report, &a.set, &same.set, 0, &ret);
	ok(ret == 0 && strstr(out, "control: nop (empty op) changed "),
	   "report A B prints the nop control line");
	free(out);
	/* a +10% change while the nop tripled is flagged as drift */
	mkset(&drift, "results/drift", "x86_64", "6.1.0-56-amd64", "true",
	      drifty, 77, 0);
	strcpy(drift.rows[3].op, "nop");
	out = capture(ctb_compare_sets, &a.set, &drift.set, 0, &ret);
	ok(ret == 0 && count_str(out, "slower: +") == 2 &&
	   count_str(out, " ~drift") == 1 &&
	   strstr(out, "~drift: 1 significant change is no larger"),
	   "+10%% row flagged ~drift when the nop changed +200%%");
	free(out);
	out = capture(do_report, &a.set, &drift.set, 0, &ret);
	ok(ret == 0 && count_str(out, " slower~") == 1 &&
	   count_str(out, " slower\n") == 1 &&
	   strstr(out, "~ = no larger than the nop's change (1 row)") &&
	   max_width(out, &nl) <= 72,
	   "report A B marks the drift row 'slower~', the nop row plain");
	free(out);
	strcpy(a.rows[3].op, "uaccess_copy");
	strcpy(same.rows[0].op, "uaccess_copy");

	/* refusal */
	out = capture(ctb_compare_sets, &a.set, &arm.set, 0, &ret);
	ok(ret == -EINVAL && strstr(out, "arch differs: A x86_64, B aarch64") &&
	   strstr(out, "--force") && !strstr(out, "matching rows"),
	   "different arch: refused, names arch and both values");
	free(out);
	out = capture(ctb_compare_sets, &a.set, &k612.set, 0, &ret);
	ok(ret == -EINVAL && strstr(out, "kernel_release differs") &&
	   !strstr(out, "arch differs"),
	   "different kernel: refused naming kernel_release only");
	free(out);
	out = capture(ctb_compare_sets, &a.set, &native.set, 0, &ret);
	ok(ret == -EINVAL &&
	   strstr(out, "emulated differs: A emulated, B native"),
	   "emulated vs native: refused naming emulated");
	free(out);
	out = capture(ctb_compare_sets, &a.set, &arm.set, 1, &ret);
	ok(ret == 0 && strstr(out, "warning (--force): arch differs") &&
	   strstr(out, "4 matching rows"),
	   "--force: compares anyway, still says what differs");
	free(out);

	/* unmatched rows and no match at all */
	mkset(&onlyone, "results/one", "x86_64", "6.1.0-56-amd64", "true", one,
	      1, 0);
	onlyone.rows[0].count = 65;	/* no longer matches */
	out = capture(ctb_compare_sets, &a.set, &onlyone.set, 0, &ret);
	ok(ret == 0 && strstr(out, "3 matching rows") &&
	   strstr(out, "unmatched: A 1, B 1") &&
	   strstr(out, "only in A: flush_dcache_page N=64 dirty\n") &&
	   strstr(out, "only in B: flush_dcache_page N=65 dirty\n"),
	   "a row with another count does not match; both are named");
	free(out);
	onlyone.set.nrows = 1;
	out = capture(ctb_compare_sets, &a.set, &onlyone.set, 0, &ret);
	ok(ret == -ENOENT, "no matching rows: -ENOENT");
	free(out);

	/* fallback without raw samples */
	for (int i = 0; i < 4; i++) {
		twice.rows[i].raw_ns = NULL;
		twice.rows[i].nraw = 0;
	}
	out = capture(ctb_compare_sets, &a.set, &twice.set, 0, &ret);
	ok(ret == 0 && count_str(out, "slower:") == 1 &&
	   strstr(out, "approximate") && strstr(out, "p n/a*"),
	   "without raw samples: CI from stored stats, marked approximate");
	free(out);

	return tap_done();
}
