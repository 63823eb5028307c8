// SPDX-License-Identifier: GPL-2.0
/*
 * tlb_test - guest test of the "tlb" op family (kmod/ops_tlb.c).
 *
 * Standalone (libc only): opens /dev/cachetlb, finds the tlb ops with
 * LIST_OPS, resolves the kernel symbols they list from /proc/kallsyms
 * through RESOLVE, and checks real properties:
 *   - the family table is complete and every op describes itself;
 *   - unsupported ops give a non-empty reason and RUN fails EOPNOTSUPP;
 *   - every supported op runs with CACHETLB_OPF_VERIFY and finds the data
 *     written through the linear map when reading the vmap alias after the
 *     flush (op_errors == 0), with every sample done;
 *   - remote ops reject an empty, an out-of-range and an offline target
 *     CPU with EINVAL / CACHETLB_ERR_TARGETS, and IRQs-off with ERR_FLAGS;
 *   - refill ops validate aux and, being ONE_CALL, run at any iteration
 *     count; a touch after a full flush costs more than with a warm TLB;
 *   - the range TLBI op issues the number of instructions its encoding
 *     needs for N pages;
 *   - vmap_vunmap leaves no vmap area of the module behind;
 *   - a sweep of the ranged flush over N gives a value for every N, and
 *     the crossover against the global flush is reported;
 *   - the kernel-path ops (kmod/ops_kpath.c) reject iterations != 1,
 *     IRQs off and a count below their minimum, cost more than their
 *     matched controls (the flush is in them), and their sweep net of the
 *     control is printed with the crossover docs/ibt.md defines.
 * Prints "ok - ...", "not ok - ..." and "ok - ... # SKIP ..." lines and
 * "# info ..." lines with the measured medians.
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
#include "kallsyms.h"
#include "guest.h"

#define TLB_MAX_N	2048
#define MAX_SAMPLES	64
#define MAX_OPS		64

struct op {
	unsigned int index;
	struct cachetlb_op_desc d;
};

struct ctx {
	int fd;
	struct cachetlb_info info;
	struct op ops[MAX_OPS];
	unsigned int nops;
	unsigned int cpu;		/* measuring CPU */
	struct tap res;
};

/* RUN parameters a test varies; everything else is zero. */
struct params {
	uint32_t count, aux, opflags, flags, iterations, samples, warmup;
	uint64_t targets[CACHETLB_MASK_WORDS];
};

static const char *const expected_ops[] = {
	"flush_tlb_all", "flush_tlb_kernel_range", "ipi_do_flush_tlb_all",
	"local_invlpg",
	"local_flush_all", "local_invpcid_single", "local_invpcid_all",
	"local_tlbi_vaae1is", "local_tlbi_vmalle1is", "local_tlbi_rvaae1is",
	"local_tlbi_vmalle1", "local_sfence_vma_addr", "local_sfence_vma_all",
	"local_tlbimva", "local_tlbimvais", "local_tlbiall", "local_tlbiallis",
	"sbi_remote_sfence_vma", "ipi_empty", "ipi_flush_all",
	"ipi_flush_range", "refill_after_global", "refill_after_range",
	"refill_noflush", "vmap_vunmap", "vmap_vunmap_purge", "kpath_purge",
	"kpath_purge_ctl", "kpath_set_pages_wb", "kpath_set_pages_wb_ctl",
	/* s390x */
	"local_ipte_local", "local_ipte", "local_ptlb", "local_csp",
	"local_idte_kernel",
	/* mips64, ppc64 */
	"local_mips_tlbp_tlbwi", "local_mips_flush_all", "local_tlbiel_va",
	"local_tlbiel_all",
	NULL
};

/* Sweep of the issue: powers of two plus the thresholds' neighbours. */
static const uint32_t sweep_n[] = {
	1, 2, 4, 8, 16, 31, 32, 33, 34, 63, 64, 65, 128, 256, 511, 512, 513,
	1024, 2048
};

#define report(c, ok, ...)	tap_check(&(c)->res, ok, __VA_ARGS__)
#define skip(c, what, why)	tap_skip(&(c)->res, what, why)

static int load_ops(struct ctx *c)
{
	struct cachetlb_op_desc d;
	unsigned int i;
	int ret;

	c->nops = 0;
	for (i = 0; i < c->info.nr_ops; i++) {
		ret = list_op(c->fd, i, &d);
		if (ret)
			return ret;
		if (d.family != CACHETLB_FAM_TLB)
			continue;
		if (c->nops == MAX_OPS)
			return -E2BIG;
		c->ops[c->nops].index = i;
		c->ops[c->nops].d = d;
		c->nops++;
	}
	return 0;
}

static const struct op *find_op(const struct ctx *c, const char *name)
{
	unsigned int i;

	for (i = 0; i < c->nops; i++)
		if (!strcmp(c->ops[i].d.name, name))
			return &c->ops[i];
	return NULL;
}

static const struct op *find_supported(const struct ctx *c, const char *name)
{
	const struct op *o = find_op(c, name);

	return o && o->d.supported ? o : NULL;
}

/* RESOLVE every symbol the tlb ops list; prints what happened. */
static void resolve_symbols(struct ctx *c)
{
	struct cachetlb_resolve r;
	unsigned int i;

	for (i = 0; i < c->nops; i++) {
		char list[CACHETLB_TEXT_LEN + 1], *save = NULL, *name;

		snprintf(list, sizeof(list), "%s", c->ops[i].d.symbols);
		for (name = strtok_r(list, ", ", &save); name;
		     name = strtok_r(NULL, ", ", &save)) {
			uint64_t addr = ctb_ksym_lookup(name, "tT");

			if (!addr) {
				printf("# info %s: symbol %s not in /proc/kallsyms\n",
				       c->ops[i].d.name, name);
				continue;
			}
			memset(&r, 0, sizeof(r));
			hdr_init(&r.hdr, sizeof(r));
			r.addr = addr;
			snprintf(r.name, sizeof(r.name), "%s", name);
			if (ioctl(c->fd, CACHETLB_IOC_RESOLVE, &r))
				printf("# info RESOLVE %s: %s (state %u, error %u): %s\n",
				       name, strerror(errno), r.state,
				       r.hdr.error, r.detail);
			else
				printf("# info RESOLVE %s: ok (%s)\n", name, r.detail);
		}
	}
}

static double median_of(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct outcome {
	int err;			/* 0 or errno of the RUN ioctl */
	struct cachetlb_run run;	/* copied back by the module */
	double median;			/* ns per iteration */
	double base_median;		/* ns per iteration of the empty op */
};

static void run_op(struct ctx *c, const struct op *o, const struct params *p,
		   struct outcome *out)
{
	static struct cachetlb_sample smp[MAX_SAMPLES], base[MAX_SAMPLES];
	double v[MAX_SAMPLES], b[MAX_SAMPLES];
	struct cachetlb_run *r = &out->run;
	uint32_t i, it;

	memset(out, 0, sizeof(*out));
	hdr_init(&r->hdr, sizeof(*r));
	r->op = o->index;
	r->cpu = c->cpu;
	r->iterations = p->iterations ? p->iterations : 1;
	r->samples = p->samples ? p->samples : 10;
	if (r->samples > MAX_SAMPLES)
		r->samples = MAX_SAMPLES;
	r->warmup = p->warmup;
	r->flags = p->flags;
	r->count = p->count;
	r->aux = p->aux;
	r->opflags = p->opflags;
	r->samples_ptr = (uintptr_t)smp;
	r->baseline_ptr = (uintptr_t)base;
	memcpy(r->targets, p->targets, sizeof(r->targets));

	out->err = ioctl(c->fd, CACHETLB_IOC_RUN, r) ? errno : 0;
	if (out->err || !r->samples_done)
		return;
	it = r->iterations;
	for (i = 0; i < r->samples_done; i++)
		v[i] = (double)smp[i].ns / it;
	out->median = median_of(v, r->samples_done);
	for (i = 0; i < r->baseline_done; i++)
		b[i] = (double)base[i].ns / it;
	out->base_median = r->baseline_done ? median_of(b, r->baseline_done) : 0;
}

static int cpu_online(unsigned int cpu)
{
	char path[128];
	int fd, on = 1;
	char ch;

	if (cpu == 0)
		return 1;	/* cpu0 has no online file on most arches */
	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/online", cpu);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return access(path, F_OK) ? 0 : 1;
	if (read(fd, &ch, 1) == 1)
		on = ch == '1';
	close(fd);
	return on;
}

static int set_cpu_online(unsigned int cpu, int on)
{
	char path[128];
	int fd, ok;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/online", cpu);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	ok = write(fd, on ? "1" : "0", 1) == 1;
	close(fd);
	return ok ? 0 : -EIO;
}

/* Targets: every online CPU except the measuring one (self if alone). */
static void targets_others(const struct ctx *c, uint64_t *t, unsigned int max)
{
	unsigned int cpu, n = 0;

	memset(t, 0, sizeof(uint64_t) * CACHETLB_MASK_WORDS);
	for (cpu = 0; cpu < c->info.nr_cpu_ids && cpu < CACHETLB_MAX_CPUS; cpu++) {
		if (cpu == c->cpu || !cpu_online(cpu) || n >= max)
			continue;
		t[cpu / 64] |= 1ULL << (cpu % 64);
		n++;
	}
	if (!n)
		t[c->cpu / 64] |= 1ULL << (c->cpu % 64);
}

/* Targets: every online CPU, the measuring one included. */
static void targets_all(const struct ctx *c, uint64_t *t)
{
	unsigned int cpu;

	memset(t, 0, sizeof(uint64_t) * CACHETLB_MASK_WORDS);
	for (cpu = 0; cpu < c->info.nr_cpu_ids && cpu < CACHETLB_MAX_CPUS; cpu++)
		if (cpu_online(cpu))
			t[cpu / 64] |= 1ULL << (cpu % 64);
}

/* Default, valid parameters for @o (VERIFY on). */
static void default_params(const struct ctx *c, const struct op *o,
			   struct params *p, uint32_t n)
{
	memset(p, 0, sizeof(*p));
	p->opflags = CACHETLB_OPF_VERIFY;
	p->samples = 10;
	p->warmup = 2;
	p->iterations = 1;
	if (o->d.uses & CACHETLB_USES_COUNT)
		p->count = n < o->d.count_min ? o->d.count_min :
			   n > o->d.count_max ? o->d.count_max : n;
	if (o->d.uses & CACHETLB_USES_AUX)
		p->aux = n;
	if (o->d.uses & CACHETLB_USES_TARGETS)
		targets_others(c, p->targets, CACHETLB_MAX_CPUS);
}

static void test_table(struct ctx *c)
{
	const char *const *name;
	unsigned int i;
	int complete = 1;

	for (name = expected_ops; *name; name++) {
		if (!find_op(c, *name)) {
			printf("# missing op %s\n", *name);
			complete = 0;
		}
	}
	report(c, complete, "tlb family lists all %zu expected ops (found %u)",
	       sizeof(expected_ops) / sizeof(expected_ops[0]) - 1, c->nops);
	for (i = 0; i < c->nops; i++) {
		const struct cachetlb_op_desc *d = &c->ops[i].d;
		int good = d->params[0] && d->unit[0] &&
			   (!(d->uses & CACHETLB_USES_COUNT) ||
			    (d->count_min >= 1 && d->count_max <= TLB_MAX_N &&
			     d->count_min <= d->count_max));

		if (!good)
			report(c, 0, "%s describes itself (params, unit, count range)",
			       d->name);
	}
	report(c, 1, "every tlb op has params, unit and a sane count range");
}

static void test_unsupported(struct ctx *c)
{
	struct outcome out;
	struct params p;
	unsigned int i;

	for (i = 0; i < c->nops; i++) {
		const struct op *o = &c->ops[i];

		if (o->d.supported)
			continue;
		printf("# info %s unsupported: %s\n", o->d.name, o->d.reason);
		default_params(c, o, &p, 1);
		run_op(c, o, &p, &out);
		report(c, o->d.reason[0] && out.err == EOPNOTSUPP,
		       "%s unsupported with a reason, RUN -> EOPNOTSUPP (got %s)",
		       o->d.name, out.err ? strerror(out.err) : "success");
	}
}

/*
 * The large N of test_supported_verify.  kpath_purge*'s VERIFY probe reads
 * every page of the purged alias with copy_from_kernel_nofault(), one DAT
 * exception each; under s390x TCG 2047 of them per sample do not fit the
 * 5 s RUN limit (no sample at N=2048 with VERIFY, 17 us net at 256; 41 us
 * gross at 2048 without it), so they stop at 256 there.
 */
static uint32_t large_n(const struct ctx *c, const struct op *o)
{
	if (!strcmp(c->info.machine, "s390x") &&
	    !strncmp(o->d.name, "kpath_purge", strlen("kpath_purge")))
		return 256;
	return TLB_MAX_N;
}

/* Every supported op, VERIFY on, at a small and (if counted) a large N. */
static void test_supported_verify(struct ctx *c)
{
	uint32_t ns[] = { 1, 64, TLB_MAX_N };
	struct outcome out;
	struct params p;
	unsigned int i, k;

	for (i = 0; i < c->nops; i++) {
		const struct op *o = &c->ops[i];
		int sized = o->d.uses & (CACHETLB_USES_COUNT | CACHETLB_USES_AUX);

		if (!o->d.supported)
			continue;
		ns[2] = large_n(c, o);
		for (k = 0; k < (sized ? 3 : 1); k++) {
			default_params(c, o, &p, ns[k]);
			run_op(c, o, &p, &out);
			report(c, !out.err && out.run.samples_done == p.samples &&
			       out.run.op_errors == 0,
			       "%s N=%u VERIFY: %u/%u samples, %u mismatches, median %.0f ns (%s)",
			       o->d.name, p.count ? p.count : p.aux,
			       out.run.samples_done, p.samples, out.run.op_errors,
			       out.median, out.err ? strerror(out.err) : "ok");
		}
	}
}

static void expect_einval(struct ctx *c, const struct op *o,
			  const struct params *p, int want_errno,
			  uint32_t want_field, const char *what)
{
	struct outcome out;

	run_op(c, o, p, &out);
	report(c, out.err == want_errno && out.run.hdr.error == want_field,
	       "%s %s -> %s/error %u (got %s/error %u)", o->d.name, what,
	       strerror(want_errno), want_field,
	       out.err ? strerror(out.err) : "success", out.run.hdr.error);
}

static void test_targets(struct ctx *c)
{
	unsigned int i, cpu, victim = 0;
	int offlined = 0;
	struct params p;

	/* Find or make an offline CPU: prefer one already offline. */
	for (cpu = 1; cpu < c->info.nr_cpu_ids && cpu < CACHETLB_MAX_CPUS; cpu++)
		if (!cpu_online(cpu)) {
			victim = cpu;
			break;
		}
	if (!victim && c->info.online_cpus >= 2) {
		victim = c->info.nr_cpu_ids - 1;
		if (victim == c->cpu || set_cpu_online(victim, 0))
			victim = 0;
		else
			offlined = 1;
	}

	for (i = 0; i < c->nops; i++) {
		const struct op *o = &c->ops[i];

		if (!o->d.supported || !(o->d.uses & CACHETLB_USES_TARGETS))
			continue;
		default_params(c, o, &p, 1);
		memset(p.targets, 0, sizeof(p.targets));
		expect_einval(c, o, &p, EINVAL, CACHETLB_ERR_TARGETS,
			      "empty target mask");
		if (c->info.nr_cpu_ids < CACHETLB_MAX_CPUS) {
			cpu = c->info.nr_cpu_ids;
			p.targets[cpu / 64] = 1ULL << (cpu % 64);
			expect_einval(c, o, &p, EINVAL, CACHETLB_ERR_TARGETS,
				      "target CPU == nr_cpu_ids");
		}
		if (victim) {
			memset(p.targets, 0, sizeof(p.targets));
			p.targets[victim / 64] = 1ULL << (victim % 64);
			expect_einval(c, o, &p, EINVAL, CACHETLB_ERR_TARGETS,
				      "offline target CPU");
		} else {
			skip(c, "remote op with an offline target CPU",
			     "no offline CPU and CPU hotplug unavailable");
		}
		default_params(c, o, &p, 1);
		p.flags = CACHETLB_RUN_IRQS_OFF;
		if (o->d.props & CACHETLB_PROP_IPI &&
		    strcmp(o->d.name, "sbi_remote_sfence_vma"))
			expect_einval(c, o, &p, EINVAL, CACHETLB_ERR_FLAGS,
				      "with IRQs off (cross-CPU call)");
	}
	if (offlined && set_cpu_online(victim, 1))
		report(c, 0, "CPU %u back online after the offline-target test",
		       victim);
}

/* Count limits of every counted op, and IRQs-off for the global flush. */
static void test_bounds(struct ctx *c)
{
	const struct op *g = find_supported(c, "flush_tlb_all");
	struct outcome out;
	struct params p;
	unsigned int i;

	for (i = 0; i < c->nops; i++) {
		const struct op *o = &c->ops[i];

		if (!o->d.supported || !(o->d.uses & CACHETLB_USES_COUNT))
			continue;
		default_params(c, o, &p, 1);
		p.count = o->d.count_max + 1;
		expect_einval(c, o, &p, E2BIG, CACHETLB_ERR_COUNT,
			      "count above count_max");
		p.count = 0;
		expect_einval(c, o, &p, EINVAL, CACHETLB_ERR_COUNT, "count 0");
	}
	for (i = 0; i < c->nops; i++) {
		const struct op *o = &c->ops[i];

		if (!o->d.supported || !(o->d.uses & CACHETLB_USES_AUX))
			continue;
		default_params(c, o, &p, TLB_MAX_N + 1);
		expect_einval(c, o, &p, E2BIG, CACHETLB_ERR_AUX,
			      "aux above 2048");
	}
	if (!g) {
		skip(c, "flush_tlb_all with IRQs off", "flush_tlb_all unsupported");
		return;
	}
	default_params(c, g, &p, 1);
	p.flags = CACHETLB_RUN_IRQS_OFF;
	if (!strcmp(c->info.machine, "aarch64") ||
	    !strcmp(c->info.machine, "s390x")) {
		/*
		 * TLBI broadcast needs no IPI (s390x: flush_tlb_all is
		 * compiled empty): allowed with IRQs off.
		 */
		run_op(c, g, &p, &out);
		report(c, !out.err && !out.run.op_errors &&
		       (out.run.out_flags & CACHETLB_OUT_IRQS_OFF),
		       "%s flush_tlb_all runs with IRQs off (%s)",
		       c->info.machine, out.err ? strerror(out.err) : "ok");
	} else {
		expect_einval(c, g, &p, EINVAL, CACHETLB_ERR_FLAGS,
			      "with IRQs off (flushes through IPIs)");
	}
}

static void test_refill(struct ctx *c)
{
	const struct op *g = find_supported(c, "refill_after_global");
	const struct op *n = find_supported(c, "refill_noflush");
	const struct op *r = find_supported(c, "refill_after_range");
	struct outcome og, on, orr;
	struct params p;
	uint32_t np;

	if (!g || !n) {
		skip(c, "refill ops", "not supported here");
		return;
	}
	default_params(c, g, &p, 8);
	/* ONE_CALL: the engine flushes before every call, any iterations. */
	report(c, (g->d.props & CACHETLB_PROP_ONE_CALL) != 0,
	       "refill_after_global reports ONE_CALL (props 0x%x)", g->d.props);
	p.iterations = 2;
	p.samples = 5;
	run_op(c, g, &p, &og);
	report(c, !og.err && og.run.samples_done == p.samples,
	       "refill_after_global runs with iterations=2 (err %d)", og.err);
	default_params(c, g, &p, 8);
	p.aux = 0;
	expect_einval(c, g, &p, EINVAL, CACHETLB_ERR_AUX, "aux=0");
	p.aux = TLB_MAX_N + 1;
	expect_einval(c, g, &p, E2BIG, CACHETLB_ERR_AUX, "aux above 2048");

	/*
	 * A full flush forces a page walk per page: touching costs more.
	 * The pages must fit a warm TLB: mips64's 5KE has 32 entries of two
	 * pages each, so 256 pages miss warm or not (mips64el TCG read
	 * 66113 ns flushed against 82043 ns "warm").
	 */
	np = !strcmp(c->info.machine, "mips64") ? 32 : 256;
	default_params(c, g, &p, np);
	p.samples = 31;
	p.warmup = 3;
	run_op(c, g, &p, &og);
	run_op(c, n, &p, &on);
	printf("# info refill aux=%u: after_global %.0f ns, noflush %.0f ns\n",
	       np, og.median, on.median);
	report(c, !og.err && !on.err && og.median > on.median,
	       "touching %u pages after a full flush (%.0f ns) costs more than with a warm TLB (%.0f ns)",
	       np, og.median, on.median);
	if (!r) {
		skip(c, "refill after a ranged flush", "refill_after_range unsupported");
		return;
	}
	run_op(c, r, &p, &orr);
	printf("# info refill aux=%u: after_range %.0f ns\n", np, orr.median);
	report(c, !orr.err && orr.median > on.median,
	       "touching %u pages after flushing exactly them (%.0f ns) costs more than with a warm TLB (%.0f ns)",
	       np, orr.median, on.median);
}

/* Instructions the range TLBI encoding needs for @n pages. */
static uint32_t rvaae1is_ops(uint32_t n)
{
	uint32_t scale, ops = n & 1;

	for (scale = 0; scale < 4; scale++)
		ops += ((n >> (5 * scale + 1)) & 0x1f) != 0;
	return ops;	/* n == 0 gives 0 */
}

static void test_range_tlbi(struct ctx *c)
{
	static const uint32_t ns[] = { 1, 2, 3, 64, 65, 513, 2047, 2048 };
	const struct op *o = find_supported(c, "local_tlbi_rvaae1is");
	struct outcome out;
	struct params p;
	unsigned int k;

	if (!o) {
		skip(c, "range TLBI instruction count", "local_tlbi_rvaae1is unsupported");
		return;
	}
	for (k = 0; k < sizeof(ns) / sizeof(ns[0]); k++) {
		uint32_t a, got, match = 0, lead = 0;

		default_params(c, o, &p, ns[k]);
		run_op(c, o, &p, &out);
		got = (uint32_t)out.run.op_result;
		/*
		 * With LPA2 the module first issues a single TLBI per page
		 * up to a 64KiB boundary (0..15 of them, the vmap address
		 * decides); the rest must be encoded exactly.
		 */
		for (a = 0; a <= 15 && a <= ns[k] && !match; a++)
			if (got == a + rvaae1is_ops(ns[k] - a)) {
				match = 1;
				lead = a;
			}
		if (match && lead)
			printf("# info range TLBI N=%u: %u alignment TLBIs first (LPA2)\n",
			       ns[k], lead);
		report(c, !out.err && match && !out.run.op_errors,
		       "range TLBI over %u pages issues %u instructions (+ alignment; got %u)",
		       ns[k], rvaae1is_ops(ns[k]), got);
	}
}

static void test_vmap(struct ctx *c)
{
	const char *names[] = { "vmap_vunmap", "vmap_vunmap_purge" };
	struct outcome out;
	struct params p;
	double med[2] = { -1, -1 };
	unsigned int k;
	long before = module_vmap_areas("tlb_"), after;

	for (k = 0; k < 2; k++) {
		const struct op *o = find_supported(c, names[k]);

		if (!o) {
			skip(c, names[k], "not supported here");
			continue;
		}
		default_params(c, o, &p, 64);
		p.iterations = 20;
		p.samples = 20;
		run_op(c, o, &p, &out);
		report(c, !out.err && out.run.op_errors == 0 &&
		       out.run.samples_done == p.samples,
		       "%s 64 pages x %u, alternating page sets: %u stale reads",
		       names[k], p.samples * p.iterations + 4, out.run.op_errors);
		if (!out.err)
			med[k] = out.median;
	}
	/*
	 * vunmap always leaves a lazy area: vm_unmap_aliases() must purge it.
	 * Not on s390x: there the unmap itself invalidates every page with a
	 * broadcast IPTE and the purge adds one IDTE (~5 us against ~60 us
	 * of IPTEs per call, TCG), within the noise (CI read 795245 against
	 * 963169 ns).
	 */
	if (med[0] >= 0 && med[1] >= 0 && !strcmp(c->info.machine, "s390x"))
		skip(c, "vmap_vunmap_purge costs more than vmap_vunmap",
		     "s390x: vunmap already invalidates each page by IPTE; the purge's one IDTE is within the noise");
	else if (med[0] >= 0 && med[1] >= 0)
		report(c, med[1] > med[0],
		       "vmap_vunmap_purge (%.0f ns) costs more than vmap_vunmap (%.0f ns): the purge flushes",
		       med[1], med[0]);
	after = module_vmap_areas("tlb_");
	if (before < 0)
		skip(c, "no vmap area left behind", "/proc/vmallocinfo unreadable");
	else
		report(c, after == before,
		       "no vmap area of the tlb ops left behind (%ld before, %ld after)",
		       before, after);
}

/*
 * Kernel-path ops: error codes, op > matched control, and the sweep net of
 * the control with the crossover of docs/ibt.md: a line a + b*N fitted
 * (least squares) to the net cost at N <= ceiling, the full-flush level F =
 * median net cost of the points above the ceiling, crossover N* = (F - a)/b.
 */
static const struct {
	const char *op, *ctl;
} kpath_pairs[] = {
	{ "kpath_purge", "kpath_purge_ctl" },
	{ "kpath_set_pages_wb", "kpath_set_pages_wb_ctl" },
};

static const uint32_t kpath_n[] = {
	2, 4, 8, 16, 24, 32, 33, 34, 40, 48, 64, 65, 128, 256, 512, 1024
};

static void kpath_sweep(struct ctx *c, const struct op *o, const struct op *k)
{
	size_t i, nn = sizeof(kpath_n) / sizeof(kpath_n[0]);
	double sx = 0, sy = 0, sxx = 0, sxy = 0, hi[32], a, b, f;
	unsigned int nlo = 0, nhi = 0, ceil = c->info.tlb_flush_ceiling;
	struct outcome out, ctl;
	struct params p;
	double v;

	for (i = 0; i < nn; i++) {
		if (kpath_n[i] < o->d.count_min || kpath_n[i] > o->d.count_max)
			continue;
		default_params(c, o, &p, kpath_n[i]);
		p.opflags = 0;
		p.samples = 15;
		run_op(c, o, &p, &out);
		default_params(c, k, &p, kpath_n[i]);
		p.opflags = 0;
		p.samples = 15;
		run_op(c, k, &p, &ctl);
		if (out.err || ctl.err)
			continue;
		v = out.median - ctl.median;
		printf("# info kpath %s N=%u median_ns=%.0f control_ns=%.0f net_ns=%.0f\n",
		       o->d.name, kpath_n[i], out.median, ctl.median, v);
		if (ceil && kpath_n[i] <= ceil) {
			sx += kpath_n[i];
			sy += v;
			sxx += (double)kpath_n[i] * kpath_n[i];
			sxy += kpath_n[i] * v;
			nlo++;
		} else if (ceil && kpath_n[i] <= 4 * ceil && nhi < 32) {
			hi[nhi++] = v;
		}
	}
	if (nlo < 2 || !nhi || nlo * sxx - sx * sx <= 0) {
		printf("# info kpath %s: no crossover (ceiling %u, %u points below, %u above)\n",
		       o->d.name, ceil, nlo, nhi);
		return;
	}
	b = (nlo * sxy - sx * sy) / (nlo * sxx - sx * sx);
	a = (sy - b * sx) / nlo;
	f = median_of(hi, nhi);
	if (b <= 0)
		printf("# info kpath %s: per-page slope %.1f ns <= 0, no crossover (full flush level %.0f ns)\n",
		       o->d.name, b, f);
	else
		printf("# info kpath %s: per-page %.1f ns/page + %.0f ns, full flush %.0f ns, crossover N*=%.1f pages against the kernel ceiling %u (%s)\n",
		       o->d.name, b, a, f, (f - a) / b, ceil, c->info.ceiling_source);
}

static void test_kpath(struct ctx *c)
{
	struct outcome out, ctl;
	struct params p;
	unsigned int i;

	for (i = 0; i < sizeof(kpath_pairs) / sizeof(kpath_pairs[0]); i++) {
		const struct op *o = find_supported(c, kpath_pairs[i].op);
		const struct op *k = find_supported(c, kpath_pairs[i].ctl);

		if (!o || !k) {
			skip(c, kpath_pairs[i].op, "unsupported on this kernel/arch");
			continue;
		}
		default_params(c, o, &p, 16);
		p.iterations = 2;
		expect_einval(c, o, &p, EINVAL, CACHETLB_ERR_ITERATIONS,
			      "iterations 2");
		default_params(c, o, &p, 16);
		p.flags = CACHETLB_RUN_IRQS_OFF;
		expect_einval(c, o, &p, EINVAL, CACHETLB_ERR_FLAGS, "IRQs off");
		if (o->d.count_min > 1) {
			default_params(c, o, &p, 1);
			p.count = o->d.count_min - 1;
			expect_einval(c, o, &p, EINVAL, CACHETLB_ERR_COUNT,
				      "count below count_min");
		}
		/* The op does the control's work plus a flush. */
		default_params(c, o, &p, 16);
		p.samples = 21;
		run_op(c, o, &p, &out);
		default_params(c, k, &p, 16);
		p.samples = 21;
		run_op(c, k, &p, &ctl);
		report(c, !out.err && !ctl.err && out.median > ctl.median &&
		       !out.run.op_errors && !ctl.run.op_errors,
		       "%s (%.0f ns) costs more than its control %s (%.0f ns) at N=16, VERIFY clean",
		       o->d.name, out.median, k->d.name, ctl.median);
		kpath_sweep(c, o, k);
	}
}

static void test_sweep(struct ctx *c)
{
	const struct op *range = find_supported(c, "flush_tlb_kernel_range");
	const struct op *global = find_supported(c, "flush_tlb_all");
	const char *label = "kernel flush_tlb_kernel_range vs flush_tlb_all";
	size_t i, nn = sizeof(sweep_n) / sizeof(sweep_n[0]);
	struct outcome out;
	struct params p;
	double g, v;
	uint32_t cross = 0, cross_matched = 0;
	int complete = 1;

	if (!range || !global) {
		/* Stand-ins on every online CPU, like the kernel's flushes. */
		range = find_supported(c, "ipi_flush_range");
		global = find_supported(c, "ipi_do_flush_tlb_all");
		label = "ipi_flush_range vs ipi_do_flush_tlb_all (kernel flushes unsupported)";
		if (!global) {
			global = find_supported(c, "ipi_flush_all");
			label = "ipi_flush_range vs ipi_flush_all (kernel flushes unsupported)";
		}
	}
	if (!range || !global) {
		skip(c, "range flush sweep", "no supported range/global pair");
		return;
	}
	default_params(c, global, &p, 1);
	if (global->d.uses & CACHETLB_USES_TARGETS)
		targets_all(c, p.targets);
	p.samples = 21;
	run_op(c, global, &p, &out);
	g = out.median - out.base_median;
	report(c, !out.err && out.run.samples_done == p.samples,
	       "%s: global reference %.0f ns net", global->d.name, g);
	printf("# info sweep: %s (emulation timings under QEMU TCG)\n", label);
	for (i = 0; i < nn; i++) {
		default_params(c, range, &p, sweep_n[i]);
		if (range->d.uses & CACHETLB_USES_TARGETS)
			targets_all(c, p.targets);
		p.samples = 21;
		run_op(c, range, &p, &out);
		if (out.err || out.run.samples_done != p.samples) {
			complete = 0;
			printf("# sweep N=%u failed: %s, %u samples\n", sweep_n[i],
			       out.err ? strerror(out.err) : "ok",
			       out.run.samples_done);
			continue;
		}
		v = out.median - out.base_median;
		printf("# info sweep %s N=%u net_median_ns=%.0f\n",
		       range->d.name, sweep_n[i], v);
		if (!cross && v >= g)
			cross = sweep_n[i];
		if (!(global->d.uses & CACHETLB_USES_AUX))
			continue;
		/* Same TLB contents: the global flush after touching N pages. */
		default_params(c, global, &p, sweep_n[i]);
		if (global->d.uses & CACHETLB_USES_TARGETS)
			targets_all(c, p.targets);
		p.samples = 21;
		run_op(c, global, &p, &out);
		if (out.err || out.run.samples_done != p.samples) {
			complete = 0;
			continue;
		}
		printf("# info sweep %s aux=%u net_median_ns=%.0f\n",
		       global->d.name, sweep_n[i], out.median - out.base_median);
		if (!cross_matched && v >= out.median - out.base_median)
			cross_matched = sweep_n[i];
	}
	report(c, complete, "sweep over %zu values of N has a value for every N", nn);
	if (cross_matched)
		printf("# info matched crossover (global flush after touching the same N pages): N=%u\n",
		       cross_matched);
	else if (global->d.uses & CACHETLB_USES_AUX)
		printf("# info matched crossover: none within 1..2048\n");
	if (cross)
		printf("# info crossover: first N with range >= global = %u pages (kernel ceiling %u, %s)\n",
		       cross, c->info.tlb_flush_ceiling, c->info.ceiling_source);
	else
		printf("# info crossover: no crossover within 1..2048 (kernel ceiling %u, %s)\n",
		       c->info.tlb_flush_ceiling, c->info.ceiling_source);
}

/* Cost versus number of targets, printed for the record. */
static void info_remote(struct ctx *c)
{
	static const char *const names[] = { "ipi_empty", "ipi_flush_all" };
	struct outcome out;
	struct params p;
	unsigned int k, n;

	for (k = 0; k < 2; k++) {
		const struct op *o = find_supported(c, names[k]);

		if (!o)
			continue;
		for (n = 1; n < c->info.online_cpus; n++) {
			default_params(c, o, &p, 1);
			targets_others(c, p.targets, n);
			p.samples = 15;
			run_op(c, o, &p, &out);
			if (!out.err)
				printf("# info remote %s targets=%u net_median_ns=%.0f\n",
				       names[k], n, out.median - out.base_median);
		}
	}
}

int main(void)
{
	struct ctx c;
	int ret;

	memset(&c, 0, sizeof(c));
	c.fd = open(CACHETLB_DEVICE, O_RDWR);
	if (c.fd < 0) {
		printf("not ok - open %s: %s\n", CACHETLB_DEVICE, strerror(errno));
		return 2;
	}
	ret = get_info(c.fd, &c.info);
	if (ret) {
		printf("not ok - GET_INFO: %s\n", strerror(-ret));
		return 2;
	}
	printf("# info %s %s, %u CPUs online, nr_cpu_ids %u\n", c.info.machine,
	       c.info.release, c.info.online_cpus, c.info.nr_cpu_ids);
	ret = load_ops(&c);
	if (!ret) {
		resolve_symbols(&c);
		ret = load_ops(&c);	/* supported may have changed */
	}
	if (ret) {
		printf("not ok - LIST_OPS: %s\n", strerror(-ret));
		return 2;
	}
	c.cpu = 0;

	test_table(&c);
	test_unsupported(&c);
	test_supported_verify(&c);
	test_targets(&c);
	test_bounds(&c);
	test_refill(&c);
	test_range_tlbi(&c);
	test_vmap(&c);
	test_kpath(&c);
	test_sweep(&c);
	info_remote(&c);

	printf("# tlb_test: %u passed, %u failed, %u skipped\n", c.res.pass,
	       c.res.fail, c.res.skip);
	close(c.fd);
	return c.res.fail ? 1 : 0;
}
