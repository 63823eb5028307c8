// SPDX-License-Identifier: GPL-2.0
/*
 * uaccess_test.c - guest test of the "uaccess" op family (issue 5).
 *
 * Runs with the module loaded (root).  Checks, in this order:
 *   1. correctness: every request method run over a fresh virtqueue with
 *      known descriptors leaves exactly the used ring a userspace model of
 *      vhost predicts, and all methods leave identical rings, including
 *      rings placed across page boundaries and used elements that straddle
 *      two pages; COLD runs too (or are rejected with ERR_OPFLAGS);
 *   2. bad input: aux, alignment, length, bad avail entry, and an unmapped
 *      or read-only ring give the documented errno without a kernel warning;
 *   3. leaks: 1,000 vmap prepare/teardown cycles, 1,000 setup iterations
 *      and a RUN interrupted by a signal leave /proc/vmallocinfo, the pin
 *      counters of /proc/vmstat and VmallocUsed where they were;
 *   4. costs: every supported op produces a result; per-method median ns
 *      per request, the vmap/copy ratio and the break-even request count
 *      are printed as "# info" lines.
 * Output: "ok - ...", "not ok - ...", "ok - ... # SKIP reason" lines.
 * Exit status 1 when any check failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "uapi/cachetlb.h"
#include "kallsyms.h"
#include "guest.h"

#define NR_METHODS	5	/* request methods; setup is separate */
#define RING_MAX_N	32768U
#define LEAK_CYCLES	1000
#define PROBE_MAX	8	/* engine probe: 2 samples x min(iterations, 4) */
#define AREA_PAGES	64	/* fits N=4096 (106 kB) after 2 pages */

static const char *const method_names[NR_METHODS] = {
	"uaccess_copy", "uaccess_getput", "uaccess_unsafe",
	"uaccess_vmap", "uaccess_kmap",
};

struct env {
	int fd;
	long page;
	struct cachetlb_info info;
	int idx[NR_METHODS];		/* op index, -1 = not present */
	int setup_idx;
	struct cachetlb_op_desc desc[NR_METHODS + 1];	/* last = setup */
};

struct layout {
	uint32_t n, avail, used, total;
};

struct vdesc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

#define check(t, cond, ...)	tap_check(t, cond, __VA_ARGS__)

/* Not counted: the summary line names only failures. */
static void skip(const char *reason, const char *what)
{
	struct tap uncounted = { 0 };

	tap_skip(&uncounted, what, reason);
}

static struct layout ring_layout(uint32_t n)
{
	struct layout l;

	l.n = n;
	l.avail = 16 * n;
	l.used = (l.avail + 4 + 2 * n + 3) & ~3U;
	l.total = l.used + 4 + 8 * n;
	return l;
}

static uint16_t rd16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void wr16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void wr32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* Known descriptors, a permutation in avail.ring[], a pattern in used. */
static void ring_init(uint8_t *r, const struct layout *l)
{
	uint32_t k;

	for (k = 0; k < l->n; k++) {
		struct vdesc d = {
			.addr = 0x100000ULL * k + 0xabc,
			.len = 64 + 3 * k,
			.flags = k & 3,
			.next = (k + 1) & (l->n - 1),
		};

		memcpy(r + 16 * k, &d, sizeof(d));
		wr16(r + l->avail + 4 + 2 * k, (5 * k + 3) & (l->n - 1));
	}
	wr16(r + l->avail, 0);
	wr16(r + l->avail + 2, l->n);
	memset(r + l->used, 0xa5, l->total - l->used);
}

/* What vhost would leave after `reqs` requests, computed in userspace. */
static void ring_model(uint8_t *r, const struct layout *l, uint64_t reqs)
{
	uint64_t i;

	for (i = 0; i < reqs; i++) {
		uint32_t slot = i & (l->n - 1);
		uint16_t head = rd16(r + l->avail + 4 + 2 * slot);
		struct vdesc d;

		memcpy(&d, r + 16 * head, sizeof(d));
		wr32(r + l->used + 4 + 8 * slot, head);
		wr32(r + l->used + 8 + 8 * slot, d.len);
		wr16(r + l->used + 2, (uint16_t)(i + 1));
	}
}

static int op_index(const struct env *e, const char *name)
{
	unsigned int i;

	for (i = 0; i < NR_METHODS; i++)
		if (e->idx[i] >= 0 && !strcmp(method_names[i], name))
			return e->idx[i];
	if (!strcmp(name, "uaccess_setup"))
		return e->setup_idx;
	return -1;
}

struct run_req {
	int op;
	uint32_t aux, iterations, samples, warmup, opflags, time_limit_ms;
	void *ring;
	uint64_t len;
};

struct run_out {
	int err;			/* 0 or errno */
	struct cachetlb_run r;
	struct cachetlb_sample *s, *b;	/* malloc'd, samples entries */
};

static void run_free(struct run_out *o)
{
	free(o->s);
	free(o->b);
	o->s = NULL;
	o->b = NULL;
}

static int do_run(const struct env *e, const struct run_req *q,
		  struct run_out *o)
{
	memset(o, 0, sizeof(*o));
	o->s = calloc(q->samples, sizeof(*o->s));
	o->b = calloc(q->samples, sizeof(*o->b));
	if (!o->s || !o->b) {
		run_free(o);
		o->err = ENOMEM;
		return -1;
	}
	o->r.hdr.size = sizeof(o->r);
	o->r.hdr.abi_version = CACHETLB_ABI_VERSION;
	o->r.op = q->op;
	o->r.cpu = CACHETLB_CPU_ANY;
	o->r.iterations = q->iterations;
	o->r.samples = q->samples;
	o->r.warmup = q->warmup;
	o->r.aux = q->aux;
	o->r.opflags = q->opflags;
	o->r.time_limit_ms = q->time_limit_ms;
	o->r.user_addr = (uintptr_t)q->ring;
	o->r.user_len = q->len;
	o->r.samples_ptr = (uintptr_t)o->s;
	o->r.baseline_ptr = (uintptr_t)o->b;
	if (ioctl(e->fd, CACHETLB_IOC_RUN, &o->r) < 0) {
		o->err = errno;
		return -1;
	}
	return 0;
}

static double median_ns(const struct cachetlb_sample *s, uint32_t n)
{
	double *v = calloc(n, sizeof(*v)), m;
	uint32_t i;

	if (!v || !n) {
		free(v);
		return 0;
	}
	for (i = 0; i < n; i++)
		v[i] = (double)s[i].ns;
	qsort(v, n, sizeof(*v), cmp_double);
	m = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	free(v);
	return m;
}

/* ---- kernel-side counters ---------------------------------------------- */

static long meminfo_kb(const char *key)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	size_t kl = strlen(key);
	long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, kl) && line[kl] == ':')
			v = strtol(line + kl + 1, NULL, 10);
	fclose(f);
	return v;
}

/*
 * /proc/vmstat shows the global counters; per-CPU deltas below the stat
 * threshold are folded lazily.  Writing vm.stat_refresh folds them now.
 */
static void vmstat_refresh(void)
{
	FILE *f = fopen("/proc/sys/vm/stat_refresh", "w");

	if (f) {
		fputs("1\n", f);
		fclose(f);
	}
}

static int vmstat(const char *key, long long *val)
{
	char name[128];
	long long v;
	int found = 0;
	FILE *f;

	vmstat_refresh();
	f = fopen("/proc/vmstat", "r");
	if (!f)
		return -1;
	while (fscanf(f, "%127s %lld", name, &v) == 2)
		if (!strcmp(name, key)) {
			*val = v;
			found = 1;
		}
	fclose(f);
	return found ? 0 : -1;
}

/* Number of warning/bug/oops reports in the kernel log. */
static long kernel_warnings(void)
{
	int size = klogctl(10, NULL, 0);	/* SYSLOG_ACTION_SIZE_BUFFER */
	char *buf, *p;
	long n = 0;
	int len;

	if (size <= 0)
		return -1;
	buf = malloc(size + 1);
	if (!buf)
		return -1;
	len = klogctl(3, buf, size);		/* SYSLOG_ACTION_READ_ALL */
	if (len < 0) {
		free(buf);
		return -1;
	}
	buf[len] = '\0';
	for (p = buf; (p = strstr(p, "WARNING:")); p++)
		n++;
	for (p = buf; (p = strstr(p, "BUG:")); p++)
		n++;
	for (p = buf; (p = strstr(p, "Oops")); p++)
		n++;
	for (p = buf; (p = strstr(p, "Call Trace")); p++)
		n++;
	free(buf);
	return n;
}

/* ---- setup ------------------------------------------------------------- */

/*
 * RESOLVE each name of the comma-separated @list from one pass over
 * /proc/kallsyms: the first address the module accepts wins.
 */
static int resolve_symbols(const struct env *e, const char *list)
{
	char want[CACHETLB_TEXT_LEN + 2], key[260], line[512], *hit, *hit_end;
	struct cachetlb_resolve rq;
	struct ctb_ksym k;
	int resolved = 0;
	FILE *f;

	snprintf(want, sizeof(want), ",%s,", list);
	f = fopen("/proc/kallsyms", "r");
	if (!f)
		return -1;
	while (want[1] && fgets(line, sizeof(line), f)) {
		if (!ctb_ksym_parse(line, &k) || !k.addr)
			continue;
		snprintf(key, sizeof(key), ",%s,", k.name);
		hit = strstr(want, key);
		if (!hit || strlen(k.name) >= sizeof(rq.name))
			continue;
		memset(&rq, 0, sizeof(rq));
		hdr_init(&rq.hdr, sizeof(rq));
		rq.addr = k.addr;
		memcpy(rq.name, k.name, strlen(k.name) + 1);
		if (ioctl(e->fd, CACHETLB_IOC_RESOLVE, &rq)) {
			printf("# info RESOLVE %s: %s (state %u)\n", k.name,
			       rq.detail, rq.state);
			continue;
		}
		resolved++;
		/* Done with this name: drop ",name" and keep the comma. */
		hit_end = hit + strlen(key) - 1;
		memmove(hit, hit_end, strlen(hit_end) + 1);
	}
	fclose(f);
	return resolved;
}

static int list_ops(struct env *e)
{
	uint32_t i;

	for (i = 0; i < NR_METHODS; i++)
		e->idx[i] = -1;
	e->setup_idx = -1;
	for (i = 0; i < e->info.nr_ops; i++) {
		struct cachetlb_op_desc d;
		unsigned int m;

		if (list_op(e->fd, i, &d))
			return -1;	/* errno says why */
		for (m = 0; m < NR_METHODS; m++)
			if (!strcmp(d.name, method_names[m])) {
				e->idx[m] = i;
				e->desc[m] = d;
			}
		if (!strcmp(d.name, "uaccess_setup")) {
			e->setup_idx = i;
			e->desc[NR_METHODS] = d;
		}
	}
	return 0;
}

/* ---- 1. correctness ---------------------------------------------------- */

struct placement {
	const char *what;
	uint32_t n;
	long back;	/* ring start = (page boundary) - back; 0 = page aligned */
};

static void test_correctness(struct tap *t, const struct env *e,
			     uint8_t *area, uint32_t extra_opflags,
			     const char *cold)
{
	static const struct placement pl[] = {
		{ "N=256 page aligned (3 pages)", 256, 0 },
		{ "N=8 wrapping, across a page boundary", 8, 64 },
		{ "N=2, used element straddles two pages", 2, 48 },
		{ "N=1, used element straddles two pages", 1, 32 },
		{ "N=4096 at page offset 4080", 4096, 16 },
	};
	const uint32_t iters = 5, samples = 3, warmup = 1;
	/*
	 * The engine may add probe samples (up to PROBE_MAX requests) before
	 * warm-up, and starts every sample of a ONE_CALL op (these have a
	 * pre_sample) with one discarded op call (kmod/engine.c), so a
	 * sample serves iters + 1 requests; op_result (the last used idx)
	 * says how many requests ran, the ring must then match the model
	 * for exactly that many.
	 */
	const uint64_t min_reqs = (uint64_t)(warmup + samples) * (iters + 1);
	unsigned int p, m;

	for (p = 0; p < sizeof(pl) / sizeof(pl[0]); p++) {
		struct layout l = ring_layout(pl[p].n);
		uint8_t *ring = area + e->page * 2 - pl[p].back;
		uint8_t *expect = malloc(l.total), *first = malloc(l.total);
		uint64_t first_reqs = 0;
		int have_first = 0;

		if (!expect || !first) {
			check(t, 0, "allocate %u bytes", l.total);
			free(expect);
			free(first);
			return;
		}
		for (m = 0; m < NR_METHODS; m++) {
			struct run_req q = {
				.op = e->idx[m], .aux = l.n, .iterations = iters,
				.samples = samples, .warmup = warmup,
				.opflags = CACHETLB_OPF_VERIFY | extra_opflags,
				.ring = ring, .len = l.total,
			};
			struct run_out o;
			int rc;

			if (e->idx[m] < 0) {
				check(t, 0, "%s present in LIST_OPS",
				      method_names[m]);
				continue;
			}
			if (!e->desc[m].supported) {
				skip(e->desc[m].reason, method_names[m]);
				continue;
			}
			ring_init(ring, &l);
			rc = do_run(e, &q, &o);
			if (rc && o.err == EINVAL &&
			    o.r.hdr.error == CACHETLB_ERR_OPFLAGS &&
			    extra_opflags) {
				printf("ok - %s%s %s # SKIP COLD rejected (ERR_OPFLAGS)\n",
				       method_names[m], cold, pl[p].what);
				run_free(&o);
				continue;
			}
			check(t, rc == 0, "%s%s %s: RUN succeeds (errno %d, hdr.error %u)",
			      method_names[m], cold, pl[p].what, rc ? o.err : 0,
			      o.r.hdr.error);
			if (rc) {
				run_free(&o);
				continue;
			}
			check(t, o.r.op_errors == 0 && o.r.samples_done == samples,
			      "%s%s %s: VERIFY op_errors %u == 0, samples_done %u == %u",
			      method_names[m], cold, pl[p].what, o.r.op_errors,
			      o.r.samples_done, samples);
			if (!(o.r.out_flags & CACHETLB_OUT_MIGRATED)) {
				uint64_t reqs = o.r.op_result;

				check(t, reqs >= min_reqs && reqs <= min_reqs + PROBE_MAX,
				      "%s%s %s: op_result (requests) %" PRIu64 " in [%" PRIu64 ", %" PRIu64 "]",
				      method_names[m], cold, pl[p].what, reqs,
				      min_reqs, min_reqs + PROBE_MAX);
				ring_init(expect, &l);
				ring_model(expect, &l, reqs);
				check(t, !memcmp(ring, expect, l.total),
				      "%s%s %s: ring holds exactly the modelled desc/avail/used bytes",
				      method_names[m], cold, pl[p].what);
				if (!have_first) {
					memcpy(first, ring, l.total);
					first_reqs = reqs;
					have_first = 1;
				} else if (reqs == first_reqs) {
					check(t, !memcmp(ring, first, l.total),
					      "%s%s %s: ring identical to the first method's",
					      method_names[m], cold, pl[p].what);
				}
			} else {
				skip("a sample migrated and was retried",
				     "exact ring comparison");
			}
			run_free(&o);
		}
		free(expect);
		free(first);
	}
}

/* ---- 2. bad input ------------------------------------------------------ */

static void expect_err(struct tap *t, const struct env *e, int op,
		       const char *opname, uint32_t aux, void *ring,
		       uint64_t len, int want_errno, uint32_t want_field,
		       const char *what)
{
	struct run_req q = {
		.op = op, .aux = aux, .iterations = 1, .samples = 1,
		.ring = ring, .len = len,
	};
	struct run_out o;
	int rc = do_run(e, &q, &o);

	if (want_field)
		check(t, rc && o.err == want_errno && o.r.hdr.error == want_field,
		      "%s %s: errno %d (want %d), hdr.error %u (want %u)",
		      opname, what, rc ? o.err : 0, want_errno, o.r.hdr.error,
		      want_field);
	else
		check(t, rc && o.err == want_errno,
		      "%s %s: errno %d (want %d)", opname, what,
		      rc ? o.err : 0, want_errno);
	run_free(&o);
}

static void test_bad_input(struct tap *t, const struct env *e, uint8_t *area)
{
	struct layout l = ring_layout(256);
	long warn0 = kernel_warnings(), warn1;
	uint8_t *unmapped, *ro;
	unsigned int m;

	unmapped = mmap(NULL, 4 * e->page, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ro = mmap(NULL, 4 * e->page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		  -1, 0);
	if (unmapped == MAP_FAILED || ro == MAP_FAILED) {
		check(t, 0, "mmap test buffers: %s", strerror(errno));
		return;
	}
	munmap(unmapped, 4 * e->page);

	for (m = 0; m <= NR_METHODS; m++) {
		const char *name = m < NR_METHODS ? method_names[m] :
						    "uaccess_setup";
		int op = op_index(e, name);
		uint8_t *ring = area;

		if (op < 0 || !e->desc[m].supported)
			continue;
		ring_init(ring, &l);
		expect_err(t, e, op, name, 0, ring, l.total, EINVAL,
			   CACHETLB_ERR_AUX, "aux 0");
		expect_err(t, e, op, name, 24, ring, l.total, EINVAL,
			   CACHETLB_ERR_AUX, "aux 24 (not a power of two)");
		expect_err(t, e, op, name, 2 * RING_MAX_N, ring, 4 << 20, E2BIG,
			   CACHETLB_ERR_AUX, "aux 65536 (max 32768)");
		expect_err(t, e, op, name, 256, ring + 8, l.total, EINVAL,
			   CACHETLB_ERR_BUFFER, "ring not 16-byte aligned");
		expect_err(t, e, op, name, 256, ring, l.total - 1, EINVAL,
			   CACHETLB_ERR_BUFFER, "user_len one byte short");
		expect_err(t, e, op, name, 256, unmapped, l.total, EFAULT, 0,
			   "unmapped ring");
		expect_err(t, e, op, name, 256, ro, l.total, EFAULT, 0,
			   "read-only ring");
		if (m < NR_METHODS) {
			wr16(ring + l.avail + 4, 256);	/* head == N */
			expect_err(t, e, op, name, 256, ring, l.total, EINVAL,
				   CACHETLB_ERR_BUFFER,
				   "avail entry 256 >= N (bad ring)");
		}
	}
	munmap(ro, 4 * e->page);
	warn1 = kernel_warnings();
	if (warn0 < 0 || warn1 < 0)
		skip("kernel log not readable", "no new kernel warning after bad input");
	else
		check(t, warn1 == warn0,
		      "no new kernel warning/bug/oops report after bad input (%ld before, %ld after)",
		      warn0, warn1);
}

/* ---- 3. leaks ---------------------------------------------------------- */

static void on_signal(int sig)
{
	(void)sig;
}

struct bg_run {
	const struct env *e;
	struct run_req q;
	struct run_out o;
	int rc;
};

static void *bg_run_thread(void *arg)
{
	struct bg_run *bg = arg;

	bg->rc = do_run(bg->e, &bg->q, &bg->o);
	return NULL;
}

static void test_leaks(struct tap *t, const struct env *e, uint8_t *area)
{
	struct layout l = ring_layout(256);
	int vmap = op_index(e, "uaccess_vmap");
	int setup = op_index(e, "uaccess_setup");
	long vm0, vm1, vmseen = -1, used0, used1;
	long long acq0, rel0, acq1, rel1;
	uint32_t npages = (l.total + e->page - 1) / e->page;
	unsigned int i, fails = 0, interrupted = 0;
	struct sigaction sa;
	struct bg_run bg;
	pthread_t th;

	if (vmap < 0 || setup < 0 || !e->desc[3].supported ||
	    !e->desc[NR_METHODS].supported) {
		skip("uaccess_vmap or uaccess_setup not supported", "leak checks");
		return;
	}
	ring_init(area, &l);
	vm0 = module_vmap_areas(" vmap");
	used0 = meminfo_kb("VmallocUsed");
	if (vm0 < 0 || vmstat("nr_foll_pin_acquired", &acq0) ||
	    vmstat("nr_foll_pin_released", &rel0)) {
		skip("/proc/vmallocinfo or nr_foll_pin_* not available",
		     "leak checks");
		return;
	}

	for (i = 0; i < LEAK_CYCLES; i++) {
		struct run_req q = {
			.op = vmap, .aux = 256, .iterations = 1, .samples = 1,
			.ring = area, .len = l.total,
		};
		struct run_out o;

		if (do_run(e, &q, &o))
			fails++;
		run_free(&o);
	}
	check(t, fails == 0, "%d uaccess_vmap prepare/teardown cycles succeed (%u failed)",
	      LEAK_CYCLES, fails);
	{
		struct run_req q = {
			.op = setup, .aux = 256, .iterations = LEAK_CYCLES,
			.samples = 1, .ring = area, .len = l.total,
		};
		struct run_out o;
		int rc = do_run(e, &q, &o);

		check(t, rc == 0 && o.r.op_result >= LEAK_CYCLES &&
		      o.r.op_result <= LEAK_CYCLES + PROBE_MAX,
		      "uaccess_setup runs %d pin+vmap+vunmap+unpin cycles (errno %d, op_result %" PRIu64 ")",
		      LEAK_CYCLES, rc ? o.err : 0, (uint64_t)o.r.op_result);
		run_free(&o);
	}

	/* A long vmap RUN, observed from outside, then interrupted. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: RUN returns EINTR */
	sigaction(SIGUSR1, &sa, NULL);
	memset(&bg, 0, sizeof(bg));
	bg.e = e;
	bg.q = (struct run_req){
		.op = vmap, .aux = 256, .iterations = 10000, .samples = 4096,
		.ring = area, .len = l.total,
	};
	if (!pthread_create(&th, NULL, bg_run_thread, &bg)) {
		for (i = 0; i < 100 && vmseen <= vm0; i++) {
			struct timespec ts = { 0, 20 * 1000 * 1000 };

			nanosleep(&ts, NULL);
			vmseen = module_vmap_areas(" vmap");
		}
		pthread_kill(th, SIGUSR1);
		pthread_join(th, NULL);
		interrupted = bg.rc && bg.o.err == EINTR;
		check(t, vmseen == vm0 + 1,
		      "the vmap alias is visible in /proc/vmallocinfo during a run (%ld entries, baseline %ld)",
		      vmseen, vm0);
		check(t, !bg.rc || bg.o.err == EINTR,
		      "interrupted vmap RUN returns 0 or EINTR (errno %d, samples_done %u)",
		      bg.rc ? bg.o.err : 0, bg.o.r.samples_done);
		printf("# info signal during vmap RUN: %s after %u samples\n",
		       interrupted ? "EINTR" : "completed/truncated",
		       bg.o.r.samples_done);
		run_free(&bg.o);
	} else {
		check(t, 0, "pthread_create");
	}

	vm1 = module_vmap_areas(" vmap");
	used1 = meminfo_kb("VmallocUsed");
	vmstat("nr_foll_pin_acquired", &acq1);
	vmstat("nr_foll_pin_released", &rel1);
	check(t, vm1 == vm0, "/proc/vmallocinfo vmap entries from cachetlb back to baseline (%ld, baseline %ld)",
	      vm1, vm0);
	check(t, (acq1 - rel1) == (acq0 - rel0),
	      "pinned pages back to baseline (acquired-released %lld, baseline %lld)",
	      acq1 - rel1, acq0 - rel0);
	check(t, acq1 - acq0 >= 2LL * LEAK_CYCLES * npages,
	      "pins really happened: nr_foll_pin_acquired +%lld >= %lld",
	      acq1 - acq0, 2LL * LEAK_CYCLES * npages);
	/* VmallocUsed counts vmalloc(), not vmap(); allow unrelated noise. */
	check(t, used1 - used0 <= 256,
	      "VmallocUsed back to baseline within 256 kB (%ld kB -> %ld kB)",
	      used0, used1);
}

/*
 * The ring is unmapped by another thread while a RUN is using it: the
 * uaccess methods must fail with EFAULT, the pinned methods keep writing
 * to pages they still hold (the vhost revert's lifetime problem, made
 * safe by the pin) and release them at teardown.  No kernel warning.
 */
static void test_unmap_during_run(struct tap *t, const struct env *e)
{
	static const char *const names[] = {
		"uaccess_copy", "uaccess_unsafe", "uaccess_vmap",
		"uaccess_kmap", "uaccess_setup",
	};
	struct layout l = ring_layout(256);
	size_t len = 4 * e->page;
	long warn0 = kernel_warnings(), vm0 = module_vmap_areas(" vmap");
	long long acq0 = 0, rel0 = 0, acq1 = 0, rel1 = 0;
	unsigned int i;

	vmstat("nr_foll_pin_acquired", &acq0);
	vmstat("nr_foll_pin_released", &rel0);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int op = op_index(e, names[i]);
		struct timespec ts = { 0, 30 * 1000 * 1000 };
		struct bg_run bg;
		pthread_t th;
		uint8_t *ring;
		int attempt;

		if (op < 0)
			continue;
		/*
		 * The pinned methods must be hit after prepare() pinned the
		 * ring: an unmap that wins the race against prepare is a
		 * plain EFAULT before any sample, so retry later then.
		 */
		for (attempt = 0; attempt < 6; attempt++) {
			ring = mmap(NULL, len, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (ring == MAP_FAILED) {
				check(t, 0, "mmap: %s", strerror(errno));
				return;
			}
			ring_init(ring, &l);
			memset(&bg, 0, sizeof(bg));
			bg.e = e;
			bg.q = (struct run_req){
				.op = op, .aux = 256, .iterations = 100,
				.samples = 20000, .ring = ring, .len = l.total,
			};
			if (pthread_create(&th, NULL, bg_run_thread, &bg)) {
				check(t, 0, "pthread_create");
				munmap(ring, len);
				return;
			}
			nanosleep(&ts, NULL);
			munmap(ring, len);
			nanosleep(&ts, NULL);
			pthread_kill(th, SIGUSR1);
			pthread_join(th, NULL);
			if (i < 2 || i == 4 || !bg.rc || bg.o.err != EFAULT ||
			    bg.o.r.samples_done)
				break;
			printf("# %s: ring unmapped before the pin (EFAULT, 0 samples), retrying with a %ld ms delay\n",
			       names[i], 2 * ts.tv_nsec / 1000000);
			run_free(&bg.o);
			ts.tv_nsec *= 2;
			if (ts.tv_nsec >= 1000 * 1000 * 1000)
				ts.tv_nsec = 999 * 1000 * 1000;
		}
		if (i < 2 || i == 4)
			check(t, !bg.rc || bg.o.err == EFAULT || bg.o.err == EINTR,
			      "%s with the ring unmapped mid-run: errno %d (0, EFAULT or EINTR), %u samples",
			      names[i], bg.rc ? bg.o.err : 0, bg.o.r.samples_done);
		else
			check(t, !bg.rc || bg.o.err == EINTR,
			      "%s with the ring unmapped mid-run keeps its pinned alias: errno %d (0 or EINTR), %u samples",
			      names[i], bg.rc ? bg.o.err : 0, bg.o.r.samples_done);
		run_free(&bg.o);
	}
	vmstat("nr_foll_pin_acquired", &acq1);
	vmstat("nr_foll_pin_released", &rel1);
	check(t, acq1 - rel1 == acq0 - rel0 &&
	      module_vmap_areas(" vmap") == vm0,
	      "pins (%lld -> %lld outstanding) and vmaps released after unmap-during-run",
	      acq0 - rel0, acq1 - rel1);
	check(t, kernel_warnings() == warn0,
	      "no new kernel warning/bug/oops report after unmap-during-run");
}

/* ---- 4. costs ---------------------------------------------------------- */

/* Net median ns per iteration, or a negative errno. */
static double cost_ns(struct tap *t, const struct env *e, int op,
		      const char *name, uint8_t *ring, const struct layout *l,
		      uint32_t iters, uint32_t samples)
{
	struct run_req q = {
		.op = op, .aux = l->n, .iterations = iters, .samples = samples,
		.warmup = 4, .ring = ring, .len = l->total,
	};
	struct run_out o;
	double op_med, base_med;
	int rc;

	ring_init(ring, l);
	rc = do_run(e, &q, &o);
	check(t, rc == 0 && o.r.samples_done > 0,
	      "%s produces a result (errno %d, %u samples)", name,
	      rc ? o.err : 0, o.r.samples_done);
	if (rc || !o.r.samples_done) {
		run_free(&o);
		return -1;
	}
	op_med = median_ns(o.s, o.r.samples_done);
	base_med = median_ns(o.b, o.r.baseline_done);
	check(t, op_med > 0, "%s median sample time %.0f ns > 0", name, op_med);
	run_free(&o);
	return (op_med - base_med) / iters;
}

static void test_costs(struct tap *t, const struct env *e, uint8_t *area)
{
	struct layout l = ring_layout(256);
	double ns[NR_METHODS], setup = -1;
	unsigned int m;
	uint64_t f = e->info.features;

	printf("# info %s %s: SMAP %s, PAN %s, SUM toggling %s (emulated if under QEMU TCG)\n",
	       e->info.machine, e->info.release,
	       f & CACHETLB_FEAT_SMAP ? "on" : "off",
	       f & CACHETLB_FEAT_PAN ? "on" : "off",
	       f & CACHETLB_FEAT_SUM_TOGGLE ? "on" : "off");
	for (m = 0; m < NR_METHODS; m++) {
		ns[m] = -1;
		if (e->idx[m] < 0 || !e->desc[m].supported)
			continue;
		ns[m] = cost_ns(t, e, e->idx[m], method_names[m], area, &l,
				200, 31);
		if (ns[m] >= -0.5)
			printf("# info %-15s %9.1f ns/request (N=256, median, baseline subtracted)\n",
			       method_names[m], ns[m]);
	}
	if (e->setup_idx >= 0 && e->desc[NR_METHODS].supported) {
		setup = cost_ns(t, e, e->setup_idx, "uaccess_setup", area, &l,
				1, 31);
		printf("# info %-15s %9.1f ns/setup (pin+vmap+vunmap+unpin of %u pages)\n",
		       "uaccess_setup", setup,
		       (unsigned int)((l.total + e->page - 1) / e->page));
	}
	if (ns[0] > 0 && ns[3] > -0.5) {
		printf("# info vmap/copy ratio %.3f\n", ns[3] / ns[0]);
		if (setup > 0 && ns[0] > ns[3])
			printf("# info break-even %.1f requests per setup (setup / (copy - vmap))\n",
			       setup / (ns[0] - ns[3]));
		else
			printf("# info break-even: none, vmap is not faster than copy here\n");
	}
}

int main(void)
{
	struct tap t = { 0 };
	struct env e;
	uint8_t *area;
	unsigned int m;
	int nres = 0;

	memset(&e, 0, sizeof(e));
	e.page = sysconf(_SC_PAGESIZE);
	e.fd = open(CACHETLB_DEVICE, O_RDWR);
	if (e.fd < 0) {
		printf("not ok - open %s: %s\n", CACHETLB_DEVICE, strerror(errno));
		return 1;
	}
	if (get_info(e.fd, &e.info) || list_ops(&e)) {
		printf("not ok - GET_INFO/LIST_OPS: %s\n", strerror(errno));
		return 1;
	}
	for (m = 0; m <= NR_METHODS; m++) {
		const char *name = m < NR_METHODS ? method_names[m] : "uaccess_setup";
		int idx = m < NR_METHODS ? e.idx[m] : e.setup_idx;

		check(&t, idx >= 0 && e.desc[m].family == CACHETLB_FAM_UACCESS,
		      "%s listed in family uaccess", name);
	}

	/* Rings are placed relative to the page boundary at area + 2 pages. */
	area = mmap(NULL, AREA_PAGES * e.page, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED) {
		printf("not ok - mmap: %s\n", strerror(errno));
		return 1;
	}
	test_correctness(&t, &e, area, 0, "");
	/* COLD before RESOLVE: the built-in eviction (raw DC CIVAC on arm64). */
	test_correctness(&t, &e, area, CACHETLB_OPF_COLD, " COLD");

	/* Optional symbols (arm64 dcache_clean_inval_poc for COLD). */
	for (m = 0; m < NR_METHODS; m++) {
		if (e.idx[m] >= 0 && e.desc[m].symbols[0]) {
			nres = resolve_symbols(&e, e.desc[m].symbols);
			printf("# info %s: %d of \"%s\" resolved (optional)\n",
			       method_names[m], nres, e.desc[m].symbols);
		}
	}
	if (list_ops(&e)) {
		printf("not ok - LIST_OPS after RESOLVE: %s\n", strerror(errno));
		return 1;
	}
	if (nres > 0)
		test_correctness(&t, &e, area, CACHETLB_OPF_COLD,
				 " COLD(resolved)");

	test_bad_input(&t, &e, area);
	test_leaks(&t, &e, area);
	test_unmap_during_run(&t, &e);
	test_costs(&t, &e, area);
	munmap(area, AREA_PAGES * e.page);
	close(e.fd);
	printf("# uaccess: %u failed\n", t.fail);
	return t.fail ? 1 : 0;
}
