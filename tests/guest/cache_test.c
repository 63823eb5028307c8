// SPDX-License-Identifier: GPL-2.0
/*
 * cache_test - guest test of the "cache" op family (kmod/ops_cache.c).
 *
 * Standalone (libc only): opens /dev/cachetlb, finds the cache ops with
 * LIST_OPS and checks real properties of each:
 *   - the family table is complete and every op describes itself;
 *   - unsupported ops give a non-empty reason and RUN fails EOPNOTSUPP;
 *   - supported ops run for N in {1, 2, 64, 1024}, line states clean,
 *     dirty and uncached, with and without vmap alias and double flush,
 *     and VERIFY finds every word of the buffer intact (op_errors == 0),
 *     including after raw flushes of dirty lines;
 *   - op_result is the checksum of the data pattern (recomputed here);
 *   - bad count/stride/state are rejected with the right hdr.error;
 *   - raw per-line ops cost more for more lines: N=1024 above N=16 with
 *     disjoint 95% intervals of the median, 16 <= 256 <= 1024 within
 *     noise, and a page stride cheaper than the line stride.
 * Prints "ok - ...", "not ok - ..." and "ok - ... # SKIP ..." lines.
 * Exit status: 0 when nothing failed, 1 otherwise, 2 on setup errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "uapi/cachetlb.h"
#include "guest.h"

/* Must match kmod/ops_cache.c (data pattern and checksum). */
#define PAT_SEED	0x6b8b4567c7c7a5a5ULL
#define PAT_MUL		0x9e3779b97f4a7c15ULL
#define PAT_SEQ_MUL	0xd1342543de82ef95ULL
#define PAT_FNV_OFF	0xcbf29ce484222325ULL
#define PAT_FNV_PRIME	0x100000001b3ULL
#define CACHE_MAX_N	1024

#define MAX_SAMPLES	64

struct ctx {
	int fd;
	struct cachetlb_info info;
	struct tap res;
};

struct op {
	unsigned int index;
	struct cachetlb_op_desc d;
};

static const char *const expected_ops[] = {
	"flush_dcache_page", "flush_kernel_vmap_range",
	"invalidate_kernel_vmap_range", "flush_cache_range",
	"flush_cache_page", "flush_cache_vmap", "flush_cache_vunmap",
	"flush_icache_range", "arch_wb_cache_pmem", "arch_invalidate_pmem", "clflush_cache_range",
	"line_clflush", "line_clflushopt", "line_clwb", "line_dc_cvac",
	"line_dc_civac", "line_dc_cvau", "line_ic_ivau", "line_cbo_clean",
	"line_cbo_flush", "line_cbo_inval", "line_mips_hit_wb_inv_d",
	"line_mips_hit_wb_d", "line_mips_hit_inv_i", "line_dccmvac",
	"line_dccimvac", "line_dccmvau", "line_dcimvac", "line_icimvau",
	"line_dcbf", "line_dcbst", "line_icbi",
};

/* Raw flush (clean + invalidate) instruction per arch. */
static const char *const raw_flush_ops[] = {
	"line_clflush", "line_dc_civac", "line_cbo_flush",
	"line_mips_hit_wb_inv_d", "line_dccimvac",
};

#define report(c, cond, ...)	tap_check(&(c)->res, cond, __VA_ARGS__)
#define skip(c, desc, why)	tap_skip(&(c)->res, desc, why)

/* Checksum the module reports for pattern seq over n pages. */
static uint64_t pattern_checksum(uint64_t seq, unsigned int pages)
{
	uint64_t nwords = (uint64_t)pages * 4096 / 8, i, sum = PAT_FNV_OFF;

	for (i = 0; i < nwords; i++)
		sum = (sum ^ ((PAT_SEED + seq * PAT_SEQ_MUL) ^ (i * PAT_MUL))) *
		      PAT_FNV_PRIME;
	return sum;
}

struct run_out {
	int ret;			/* 0 or errno */
	struct cachetlb_run r;
	struct cachetlb_sample smp[MAX_SAMPLES];
	struct cachetlb_sample base[MAX_SAMPLES];
};

struct run_in {
	unsigned int count, state, opflags, stride;
	unsigned int samples, warmup;
};

static void do_run(struct ctx *c, const struct op *op, const struct run_in *in,
		   struct run_out *out)
{
	struct cachetlb_run *r = &out->r;

	memset(r, 0, sizeof(*r));
	hdr_init(&r->hdr, sizeof(*r));
	r->op = op->index;
	r->cpu = CACHETLB_CPU_ANY;
	r->iterations = 1;
	r->samples = in->samples;
	r->warmup = in->warmup;
	r->count = in->count;
	r->state = in->state;
	r->opflags = in->opflags;
	r->stride = in->stride;
	r->time_limit_ms = 0;		/* module default (time_limit_ms param) */
	r->samples_ptr = (uintptr_t)out->smp;
	r->baseline_ptr = (uintptr_t)out->base;
	out->ret = ioctl(c->fd, CACHETLB_IOC_RUN, r) ? errno : 0;
}

static const char *state_name(unsigned int s)
{
	static const char *const n[] = { "any", "clean", "dirty", "uncached" };

	return s < CACHETLB_STATE_MAX ? n[s] : "?";
}

static void flags_name(unsigned int f, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s", f & CACHETLB_OPF_VMAP ? "vmap," : "",
		 f & CACHETLB_OPF_DOUBLE ? "double," : "",
		 f & CACHETLB_OPF_VERIFY ? "verify," : "",
		 f ? "" : "none");
}

/* The arch has a raw flush for the UNCACHED state (see ops_cache.c). */
static int have_raw_flush(const struct ctx *c)
{
	if (!strcmp(c->info.machine, "riscv64"))
		return c->info.cbom_block_size != 0;
	/* s390x: coherent caches, no flush instruction at all */
	if (!strcmp(c->info.machine, "s390x"))
		return 0;
	return 1;
}

static int load_ops(struct ctx *c, struct op *ops, unsigned int max,
		    unsigned int *nr)
{
	struct cachetlb_op_desc d;
	unsigned int i, n = 0, total;
	int ret = list_op(c->fd, 0, &d);

	if (ret) {
		printf("# LIST_OPS index 0: %s\n", strerror(-ret));
		return -1;
	}
	total = d.nr_ops;
	for (i = 0; i < total; i++) {
		ret = list_op(c->fd, i, &d);
		if (ret) {
			printf("# LIST_OPS index %u: %s\n", i, strerror(-ret));
			return -1;
		}
		if (d.family != CACHETLB_FAM_CACHE)
			continue;
		if (n == max) {
			printf("# more than %u cache ops\n", max);
			return -1;
		}
		ops[n].index = i;
		ops[n].d = d;
		n++;
	}
	*nr = n;
	return 0;
}

static const struct op *find_op(const struct op *ops, unsigned int nr,
				const char *name)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (!strcmp(ops[i].d.name, name))
			return &ops[i];
	return NULL;
}

static void test_table(struct ctx *c, const struct op *ops, unsigned int nr)
{
	unsigned int i, missing = 0;

	for (i = 0; i < sizeof(expected_ops) / sizeof(expected_ops[0]); i++) {
		if (!find_op(ops, nr, expected_ops[i])) {
			printf("# op %s missing from LIST_OPS\n",
			       expected_ops[i]);
			missing++;
		}
	}
	report(c, !missing && nr == i,
	       "cache family lists all %u ops (found %u, %u missing)",
	       i, nr, missing);
	for (i = 0; i < nr; i++) {
		const struct cachetlb_op_desc *d = &ops[i].d;
		uint32_t need = CACHETLB_USES_COUNT | CACHETLB_USES_STATE |
				CACHETLB_USES_OPFLAGS;

		report(c, d->params[0] && !strcmp(d->unit, "pages") &&
		       (d->uses & need) == need && d->count_min == 1 &&
		       d->count_max == CACHE_MAX_N,
		       "%s: describes itself (unit %s, uses 0x%x, count %u..%u, params \"%s\")",
		       d->name, d->unit, d->uses, d->count_min, d->count_max,
		       d->params);
	}
}

static void test_unsupported(struct ctx *c, const struct op *op)
{
	struct run_in in = { .count = 1, .samples = 1 };
	static struct run_out out;

	report(c, op->d.reason[0] != '\0',
	       "%s: unsupported with reason \"%s\"", op->d.name,
	       op->d.reason);
	do_run(c, op, &in, &out);
	report(c, out.ret == EOPNOTSUPP,
	       "%s: RUN of unsupported op fails EOPNOTSUPP (got %s)",
	       op->d.name, out.ret ? strerror(out.ret) : "success");
}

/*
 * Every N, every state, flag combinations, with VERIFY: no error, all
 * samples taken, no word of the buffer changed.
 */
static void test_matrix(struct ctx *c, const struct op *op)
{
	static const unsigned int ns[] = { 1, 2, 64, 1024 };
	static const unsigned int states[] = {
		CACHETLB_STATE_CLEAN, CACHETLB_STATE_DIRTY,
		CACHETLB_STATE_UNCACHED,
	};
	static const unsigned int flags[] = {
		0, CACHETLB_OPF_VMAP, CACHETLB_OPF_DOUBLE,
		CACHETLB_OPF_VMAP | CACHETLB_OPF_DOUBLE,
	};
	static struct run_out out;
	unsigned int ni, si, fi, runs, bad;
	char fl[48];

	for (ni = 0; ni < sizeof(ns) / sizeof(ns[0]); ni++) {
		runs = 0;
		bad = 0;
		for (si = 0; si < 3; si++) {
			for (fi = 0; fi < 4; fi++) {
				struct run_in in = {
					.count = ns[ni], .state = states[si],
					.opflags = flags[fi] |
						   CACHETLB_OPF_VERIFY,
					.samples = 2, .warmup = 0,
				};

				/* N >= 64: the plain and the combined case */
				if (ns[ni] >= 64 && fi != 0 && fi != 3)
					continue;
				if (states[si] == CACHETLB_STATE_UNCACHED &&
				    !have_raw_flush(c))
					continue;
				do_run(c, op, &in, &out);
				runs++;
				if (out.ret || out.r.op_errors ||
				    out.r.samples_done != in.samples ||
				    out.r.baseline_done != in.samples) {
					flags_name(in.opflags, fl, sizeof(fl));
					printf("# %s N=%u state=%s opflags=%s: %s, op_errors %u, samples %u/%u\n",
					       op->d.name, ns[ni],
					       state_name(states[si]), fl,
					       out.ret ? strerror(out.ret) : "ok",
					       out.r.op_errors,
					       out.r.samples_done, in.samples);
					bad++;
				}
			}
		}
		report(c, runs && !bad,
		       "%s: N=%u runs clean/dirty/uncached x vmap/double with VERIFY intact (%u runs, %u bad)",
		       op->d.name, ns[ni], runs, bad);
	}
}

/* State ANY keeps pattern 0: op_result must be its checksum. */
static void test_checksum(struct ctx *c, const struct op *op)
{
	static struct run_out out;
	unsigned int vm;

	for (vm = 0; vm < 2; vm++) {
		struct run_in in = {
			.count = 3, .state = CACHETLB_STATE_ANY,
			.opflags = (vm ? CACHETLB_OPF_VMAP : 0) |
				   CACHETLB_OPF_VERIFY,
			.samples = 2,
		};
		uint64_t want = pattern_checksum(0, in.count);

		do_run(c, op, &in, &out);
		report(c, !out.ret && out.r.op_result == want &&
		       !out.r.op_errors,
		       "%s: %s buffer reads back pattern 0 (op_result 0x%016llx, expected 0x%016llx, %s, op_errors %u)",
		       op->d.name, vm ? "vmap" : "vmalloc",
		       (unsigned long long)out.r.op_result,
		       (unsigned long long)want,
		       out.ret ? strerror(out.ret) : "ok", out.r.op_errors);
	}
}

/*
 * Raw flush of dirty lines, then read: the data written before the flush
 * must come back.  op_result must be the checksum of the last pattern
 * written, whose seq counts the pre_samples: at least warmup + samples
 * (the engine adds a few untimed probe samples).
 */
static void test_raw_flush_readback(struct ctx *c, const struct op *op)
{
	struct run_in in = {
		.count = 64, .state = CACHETLB_STATE_DIRTY,
		.opflags = CACHETLB_OPF_VERIFY, .samples = 8, .warmup = 2,
	};
	static struct run_out out;
	uint64_t seq, found = 0;
	unsigned int vm;

	for (vm = 0; vm < 2; vm++) {
		in.opflags = CACHETLB_OPF_VERIFY |
			     (vm ? CACHETLB_OPF_VMAP : 0);
		do_run(c, op, &in, &out);
		found = 0;
		/*
		 * Per sample of one call: pre_sample before the op, the
		 * control and the discarded pair; plus the probe calls.
		 * Search well past that.
		 */
		for (seq = 1;
		     !out.ret && seq <= 6 * (in.warmup + in.samples + 8);
		     seq++) {
			if (pattern_checksum(seq, in.count) == out.r.op_result) {
				found = seq;
				break;
			}
		}
		/* one pattern per pre_sample: at least warmup + samples */
		report(c, !out.ret && !out.r.op_errors &&
		       found >= in.warmup + in.samples,
		       "%s: dirty lines flushed then read back hold the written data (%s, op_errors %u, pattern seq %llu)",
		       op->d.name, vm ? "vmap" : "vmalloc", out.r.op_errors,
		       (unsigned long long)found);
	}
}

static void test_rejects(struct ctx *c, const struct op *op, int line_op)
{
	static struct run_out out;
	struct run_in in = { .count = CACHE_MAX_N + 1, .samples = 1 };

	do_run(c, op, &in, &out);
	report(c, out.ret == E2BIG && out.r.hdr.error == CACHETLB_ERR_COUNT,
	       "%s: count %u above 1..%u rejected E2BIG/ERR_COUNT (got %s, error %u)",
	       op->d.name, in.count, CACHE_MAX_N,
	       out.ret ? strerror(out.ret) : "success", out.r.hdr.error);
	in.count = 1;
	in.stride = 24;		/* never a multiple of a cache line */
	do_run(c, op, &in, &out);
	report(c, out.ret == EINVAL && out.r.hdr.error == CACHETLB_ERR_STRIDE,
	       "%s: stride 24 rejected EINVAL/ERR_STRIDE (got %s, error %u)",
	       op->d.name, out.ret ? strerror(out.ret) : "success",
	       out.r.hdr.error);
	if (line_op) {
		in.stride = 8192;	/* above a page */
		do_run(c, op, &in, &out);
		report(c, out.ret == EINVAL &&
		       out.r.hdr.error == CACHETLB_ERR_STRIDE,
		       "%s: stride 8192 rejected EINVAL/ERR_STRIDE (got %s, error %u)",
		       op->d.name, out.ret ? strerror(out.ret) : "success",
		       out.r.hdr.error);
		in.stride = 4096;
		do_run(c, op, &in, &out);
		report(c, !out.ret, "%s: stride 4096 accepted (got %s)",
		       op->d.name, out.ret ? strerror(out.ret) : "success");
	}
	if (!have_raw_flush(c)) {
		in.stride = 0;
		in.state = CACHETLB_STATE_UNCACHED;
		do_run(c, op, &in, &out);
		report(c, out.ret == EINVAL &&
		       out.r.hdr.error == CACHETLB_ERR_STATE,
		       "%s: state uncached without a raw flush rejected EINVAL/ERR_STATE (got %s, error %u)",
		       op->d.name, out.ret ? strerror(out.ret) : "success",
		       out.r.hdr.error);
	}
}

/* --- statistics: median and its 95% CI from order statistics ---------- */

struct med {
	double median, lo, hi;
	unsigned int n;
};

/* Square root by Newton's method (no libm in guest tests). */
static double sqrt_newton(double v)
{
	double r = v > 1 ? v / 2 : 1;
	int i;

	for (i = 0; i < 64 && v > 0; i++)
		r = (r + v / r) / 2;
	return v > 0 ? r : 0;
}

static void median_ci(double *x, unsigned int n, struct med *m)
{
	/* ranks n/2 -+ 1.96 sqrt(n)/2 (normal approximation of B(n, 1/2)) */
	double h = 0.98 * sqrt_newton((double)n);
	int lo, hi;

	qsort(x, n, sizeof(*x), cmp_double);
	m->n = n;
	m->median = n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
	lo = (int)((double)n / 2 - h);
	hi = (int)((double)n / 2 + h + 0.999);
	if (lo < 0)
		lo = 0;
	if (hi > (int)n - 1)
		hi = (int)n - 1;
	m->lo = x[lo];
	m->hi = x[hi];
}

/* Net time per sample (op minus its interleaved baseline), in ns. */
static int measure(struct ctx *c, const struct op *op, unsigned int n,
		   unsigned int stride, struct med *m)
{
	struct run_in in = {
		.count = n, .state = CACHETLB_STATE_ANY, .stride = stride,
		.samples = 41, .warmup = 3,
	};
	static struct run_out out;
	double x[MAX_SAMPLES];
	unsigned int i;

	do_run(c, op, &in, &out);
	if (out.ret || out.r.samples_done < 11 ||
	    out.r.baseline_done != out.r.samples_done) {
		printf("# %s N=%u: %s, %u samples\n", op->d.name, n,
		       out.ret ? strerror(out.ret) : "ok", out.r.samples_done);
		return -1;
	}
	for (i = 0; i < out.r.samples_done; i++)
		x[i] = (double)out.smp[i].ns - (double)out.base[i].ns;
	median_ci(x, out.r.samples_done, m);
	return 0;
}

static void test_growth(struct ctx *c, const struct op *op)
{
	struct med m16, m256, m1024, mpage;
	int err;

	err = measure(c, op, 16, 0, &m16);
	err = err ?: measure(c, op, 256, 0, &m256);
	err = err ?: measure(c, op, 1024, 0, &m1024);
	err = err ?: measure(c, op, 1024, 4096, &mpage);
	if (err) {
		report(c, 0, "%s: timing runs for N=16/256/1024 completed",
		       op->d.name);
		return;
	}
	printf("# %s net ns median [95%% CI]: N=16 %.0f [%.0f,%.0f] N=256 %.0f [%.0f,%.0f] N=1024 %.0f [%.0f,%.0f] N=1024,stride=page %.0f [%.0f,%.0f]\n",
	       op->d.name, m16.median, m16.lo, m16.hi, m256.median, m256.lo,
	       m256.hi, m1024.median, m1024.lo, m1024.hi, mpage.median,
	       mpage.lo, mpage.hi);
	report(c, m1024.median > m16.median && m1024.lo > m16.hi,
	       "%s: N=1024 costs more than N=16 (medians %.0f > %.0f ns, intervals disjoint)",
	       op->d.name, m1024.median, m16.median);
	/* within noise: fail only if the larger N's interval lies wholly below */
	report(c, !(m256.hi < m16.lo) && !(m1024.hi < m256.lo),
	       "%s: cost monotonic in N within noise (16: %.0f, 256: %.0f, 1024: %.0f ns)",
	       op->d.name, m16.median, m256.median, m1024.median);
	report(c, mpage.median < m1024.median && mpage.hi < m1024.lo,
	       "%s: one line per page costs less than every line at N=1024 (%.0f < %.0f ns)",
	       op->d.name, mpage.median, m1024.median);
}

/*
 * flush_icache_range (docs/adding-an-op.md's example): compiled empty on
 * x86_64 and s390x (asm-generic fallback); on arm64 and riscv it does work
 * on every CPU, so it is not compiled empty, reports IPI, refuses IRQs off, and
 * costs more than the noise over 64 pages.
 */
static void test_icache(struct ctx *c, const struct op *op)
{
	int want_empty = !strcmp(c->info.machine, "x86_64") ||
			 !strcmp(c->info.machine, "s390x");
	int ppc = !strcmp(c->info.machine, "ppc64le");
	int empty = !!(op->d.props & CACHETLB_PROP_COMPILED_EMPTY);
	struct run_in in = { .count = 4, .samples = 3, .warmup = 0 };
	static struct run_out out;
	struct med m;

	report(c, want_empty ? empty : !empty,
	       "flush_icache_range is %scompiled empty on %s (props 0x%x)",
	       empty ? "" : "not ", c->info.machine, op->d.props);
	if (empty)
		return;
	/* powerpc's icbi reaches every CPU in hardware: no IPI (ops_cache.c) */
	report(c, !(op->d.props & CACHETLB_PROP_IPI) == !!ppc,
	       "flush_icache_range %s IPI on %s", ppc ? "does not report" :
	       "reports", c->info.machine);
	memset(&out, 0, sizeof(out));
	do_run(c, op, &in, &out);
	report(c, out.ret == 0, "flush_icache_range N=4 runs (%s)",
	       strerror(out.ret));
	if (!ppc) {
		struct cachetlb_run r = out.r;

		r.flags = CACHETLB_RUN_IRQS_OFF;
		r.hdr.error = 0;
		errno = 0;
		report(c, ioctl(c->fd, CACHETLB_IOC_RUN, &r) && errno == EINVAL &&
		       r.hdr.error == CACHETLB_ERR_FLAGS,
		       "flush_icache_range with IRQs off -> EINVAL ERR_FLAGS (errno %d, error %u)",
		       errno, r.hdr.error);
	}
	if (measure(c, op, 64, 0, &m)) {
		report(c, 0, "flush_icache_range N=64 measured");
		return;
	}
	printf("# flush_icache_range N=64: net %.0f ns [%.0f, %.0f] (emulated)\n",
	       m.median, m.lo, m.hi);
	/*
	 * ppc64 6.12 on a CPU with a coherent I-cache (CPU_FTR_COHERENT_ICACHE,
	 * POWER9) does sync; isync and returns: 41 ns under TCG.
	 */
	if (ppc && !(m.lo > (double)c->info.clock_resolution_ns)) {
		skip(c, "flush_icache_range N=64 costs above the clock step",
		     "coherent I-cache: the kernel only orders (sync; isync)");
		return;
	}
	report(c, m.lo > (double)c->info.clock_resolution_ns,
	       "flush_icache_range N=64 net %.0f ns: CI low end %.0f above the clock step %llu ns",
	       m.median, m.lo, (unsigned long long)c->info.clock_resolution_ns);
}

static int is_line_op(const struct op *op)
{
	return !strncmp(op->d.name, "line_", 5);
}

int main(void)
{
	static struct op ops[64];
	struct ctx c = { .fd = -1 };
	unsigned int nr = 0, i;
	int ret;

	c.fd = open(CACHETLB_DEVICE, O_RDWR);
	if (c.fd < 0) {
		printf("not ok - open %s: %s\n", CACHETLB_DEVICE,
		       strerror(errno));
		return 2;
	}
	ret = get_info(c.fd, &c.info);
	if (ret) {
		printf("not ok - GET_INFO: %s\n", strerror(-ret));
		return 2;
	}
	if (c.info.page_size != 4096) {
		printf("ok - cache family # SKIP page size %u, test assumes 4096\n",
		       c.info.page_size);
		return 0;
	}
	printf("# %s %s, D line %u, I line %u, cbom block %u\n",
	       c.info.machine, c.info.release, c.info.cache_line_size,
	       c.info.icache_line_size, c.info.cbom_block_size);
	if (load_ops(&c, ops, sizeof(ops) / sizeof(ops[0]), &nr)) {
		printf("not ok - LIST_OPS of the cache family\n");
		return 2;
	}
	test_table(&c, ops, nr);

	for (i = 0; i < nr; i++) {
		const struct op *op = &ops[i];

		if (!op->d.supported) {
			test_unsupported(&c, op);
			continue;
		}
		test_matrix(&c, op);
		test_checksum(&c, op);
		test_rejects(&c, op, is_line_op(op));
	}

	for (i = 0; i < sizeof(raw_flush_ops) / sizeof(raw_flush_ops[0]); i++) {
		const struct op *op = find_op(ops, nr, raw_flush_ops[i]);

		if (op && op->d.supported)
			test_raw_flush_readback(&c, op);
		else if (op)
			skip(&c, raw_flush_ops[i], op->d.reason);
	}

	{
		const struct op *op = find_op(ops, nr, "flush_icache_range");

		if (op && op->d.supported)
			test_icache(&c, op);
		else
			report(&c, 0, "flush_icache_range present and supported");
	}

	for (i = 0; i < nr; i++) {
		const struct op *op = &ops[i];

		if (!is_line_op(op))
			continue;
		if (op->d.supported)
			test_growth(&c, op);
		else
			skip(&c, op->d.name, "cost growth: op unsupported here");
	}

	printf("# cache_test: %u passed, %u failed, %u skipped\n",
	       c.res.pass, c.res.fail, c.res.skip);
	close(c.fd);
	return c.res.fail ? 1 : 0;
}
