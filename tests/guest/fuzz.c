// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz.c - hostile-input, concurrency and soak test for /dev/cachetlb.
 *
 * Runs inside a guest (or natively) with the module loaded.  Every call's
 * errno is checked against the ABI's errno contract; anything outside it
 * is a failure.  Kernel warnings and leaks are checked by the calling
 * script (tests/guest/60-fuzz.sh), which reads dmesg, /proc/meminfo,
 * /proc/vmallocinfo and /proc/vmstat around this program.
 *
 *   fuzz [--count N] [--seconds S] [--seed X] [--threads T] [--soak N]
 *
 * Output: TAP-like "ok - ..." / "not ok - ..." lines and one summary line
 * "fuzz: calls=... errnos=... seed=...".  Reproduce a failure with the
 * printed --seed (single thread runs are fully deterministic in the calls
 * they issue).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "uapi/cachetlb.h"
#include "kallsyms.h"
#include "guest.h"

#define MAX_OPS		128
#define RING_BYTES	(1024 * 1024)	/* holds a 32768-entry virtqueue */
#define NERRNO		160

struct op_info {
	struct cachetlb_op_desc d;
};

struct fuzz_env {
	int fd;
	struct cachetlb_info info;
	struct op_info ops[MAX_OPS];
	unsigned int nr_ops;
	char *ring;		/* mlocked, writable, page aligned */
	char *ring_ro;		/* read-only mapping */
	char *unmapped;		/* address range that is not mapped */
	char *edge;		/* last page before an unmapped page */
	long page;
	uint64_t count;
	unsigned int seconds;
	uint64_t seed;
	unsigned int threads;
	unsigned int soak;
	unsigned int hold_ms;
	atomic_uint_fast64_t calls;
	atomic_uint_fast64_t errnos[NERRNO];
	atomic_uint_fast64_t violations;
	atomic_int stop;
};

struct worker {
	struct fuzz_env *env;
	/* The module may write `samples` entries: size for the maximum. */
	struct cachetlb_sample *samp, *base;
	pthread_t tid;
	uint64_t rng;
	unsigned int id;
};

static struct tap counts;

#define tap(ok, ...)	tap_check(&counts, ok, __VA_ARGS__)

/* xorshift64*: small, seedable, per thread. */
static uint64_t rnd(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static uint32_t rnd_below(uint64_t *s, uint32_t n)
{
	return n ? (uint32_t)(rnd(s) % n) : 0;
}

/* Boundary-biased 32-bit value around a limit. */
static uint32_t rnd_u32(uint64_t *s, uint32_t limit)
{
	switch (rnd_below(s, 8)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return limit;
	case 3: return limit + 1;
	case 4: return 0xffffffffu;
	case 5: return 0x80000000u;	/* negative when read as signed */
	case 6: return (uint32_t)rnd(s);
	default: return 1 + rnd_below(s, limit ? limit : 1);
	}
}

static int errno_allowed(int e)
{
	switch (e) {
	case 0: case EPERM: case ENOTTY: case EFAULT: case EINVAL:
	case E2BIG: case EOPNOTSUPP: case EINTR: case ENOMEM:
		return 1;
	default:
		return 0;
	}
}

static void record(struct fuzz_env *env, int ret, const char *what,
		   uint64_t seed)
{
	int e = ret < 0 ? errno : 0;

	atomic_fetch_add(&env->calls, 1);
	atomic_fetch_add(&env->errnos[e < NERRNO ? e : NERRNO - 1], 1);
	if (!errno_allowed(e)) {
		if (atomic_fetch_add(&env->violations, 1) < 10)
			printf("# errno %d (%s) outside the ABI contract from %s (seed %" PRIu64 ")\n",
			       e, strerror(e), what, seed);
	}
}

/* Zero a whole argument struct and fill in a valid header. */
#define ARG_INIT(p) do { memset((p), 0, sizeof(*(p)));			\
			 hdr_init(&(p)->hdr, sizeof(*(p))); } while (0)

static void mutate_hdr(uint64_t *s, struct cachetlb_hdr *h)
{
	switch (rnd_below(s, 12)) {
	case 0: h->size = rnd_u32(s, h->size); break;
	case 1: h->abi_version = rnd_u32(s, CACHETLB_ABI_VERSION); break;
	case 2: h->reserved = rnd_u32(s, 1); break;
	case 3: h->error = (uint32_t)rnd(s); break;
	default: break;		/* mostly valid headers, to reach deeper */
	}
}

/* A user pointer: valid, NULL, unmapped, read-only, kernel, misaligned, edge. */
static void *hostile_ptr(struct fuzz_env *env, uint64_t *s, size_t len)
{
	switch (rnd_below(s, 10)) {
	case 0: return NULL;
	case 1: return env->unmapped;
	case 2: return env->ring_ro;
	case 3: return (void *)(uintptr_t)0xffff800000001000ULL;
	case 4: return env->ring + 1 + rnd_below(s, 7);
	case 5: return env->edge + env->page -
		       (len > 1 && len < (size_t)env->page ? len / 2 : 8);
	case 6: return (void *)(uintptr_t)rnd(s);
	default: return env->ring;
	}
}

static void random_mask(uint64_t *s, const struct fuzz_env *env, __u64 *m)
{
	memset(m, 0, CACHETLB_MASK_WORDS * sizeof(*m));
	switch (rnd_below(s, 6)) {
	case 0: break;
	case 1: m[0] = 1ULL << rnd_below(s, env->info.online_cpus); break;
	case 2: m[0] = (1ULL << env->info.online_cpus) - 1; break;
	case 3: m[rnd_below(s, CACHETLB_MASK_WORDS)] = rnd(s); break;
	case 4: m[0] = 1ULL << (env->info.nr_cpu_ids < 64 ?
				env->info.nr_cpu_ids : 63); break;
	default: m[0] = rnd(s) & ((1ULL << env->info.online_cpus) - 1); break;
	}
}

/* Lay out a split virtqueue of n entries with valid descriptors. */
static void ring_fill(char *ring, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n && 16 * (i + 1) <= RING_BYTES / 2; i++) {
		uint64_t addr = 0x1000 + 64 * i;
		uint32_t len = 64 + i;

		memcpy(ring + 16 * i, &addr, 8);
		memcpy(ring + 16 * i + 8, &len, 4);
	}
}

/*
 * A sample buffer inside the ring must not let valid writes run past it:
 * cap the count to what fits (the module may write all of them).
 */
static uint32_t clamp_samples(const struct fuzz_env *env, uint64_t ptr,
			      uint32_t samples)
{
	uint64_t lo = (uintptr_t)env->ring, hi = lo + RING_BYTES, room;

	if (ptr < lo || ptr >= hi)
		return samples;
	room = (hi - ptr) / sizeof(struct cachetlb_sample);
	return samples > room ? (uint32_t)room : samples;
}

static void fuzz_run(struct fuzz_env *env, struct worker *w, uint64_t seed)
{
	uint64_t *s = &w->rng;
	struct cachetlb_sample *samp = w->samp, *base = w->base;
	const size_t sbytes = CACHETLB_MAX_SAMPLES * sizeof(*samp);
	struct cachetlb_run r;
	void *arg = &r;
	int ret;

	ARG_INIT(&r);
	r.op = env->nr_ops ? rnd_below(s, env->nr_ops + 2) : rnd_u32(s, 4);
	r.cpu = rnd_below(s, 4) ? CACHETLB_CPU_ANY :
		rnd_u32(s, env->info.nr_cpu_ids);
	r.iterations = 1 + rnd_below(s, 32);
	r.samples = 1 + rnd_below(s, 16);
	r.warmup = rnd_below(s, 3);
	r.count = 1 + rnd_below(s, 64);
	r.aux = 1u << rnd_below(s, 10);
	r.time_limit_ms = 50 + rnd_below(s, 150);
	r.samples_ptr = (uintptr_t)samp;
	r.baseline_ptr = (uintptr_t)base;
	r.user_addr = (uintptr_t)env->ring;
	r.user_len = RING_BYTES;
	ring_fill(env->ring, r.aux);

	/* One to three hostile fields per call, the rest plausible. */
	for (int k = rnd_below(s, 4); k > 0; k--) {
		switch (rnd_below(s, 16)) {
		case 0: r.iterations = rnd_u32(s, CACHETLB_MAX_ITERATIONS); break;
		case 1: r.samples = rnd_u32(s, CACHETLB_MAX_SAMPLES); break;
		case 2: r.warmup = rnd_u32(s, CACHETLB_MAX_WARMUP); break;
		case 3: r.count = rnd_u32(s, CACHETLB_MAX_PAGES); break;
		case 4: r.aux = rnd_u32(s, 32768); break;
		case 5: r.state = rnd_u32(s, CACHETLB_STATE_MAX); break;
		case 6: r.stride = rnd_u32(s, 4096); break;
		case 7: r.opflags = rnd_u32(s, CACHETLB_OPF_ALL); break;
		case 8: r.flags = rnd_u32(s, CACHETLB_RUN_FLAGS_ALL); break;
		case 9: r.time_limit_ms = rnd_u32(s, 60000); break;
		case 10: r.samples_ptr = (uintptr_t)hostile_ptr(env, s, sbytes); break;
		case 11: r.baseline_ptr = (uintptr_t)hostile_ptr(env, s, sbytes); break;
		case 12: r.user_addr = (uintptr_t)hostile_ptr(env, s, RING_BYTES);
			 r.user_len = rnd_below(s, 2) ? RING_BYTES : rnd(s); break;
		case 13: random_mask(s, env, r.targets); break;
		case 14: mutate_hdr(s, &r.hdr); break;
		default: arg = hostile_ptr(env, s, sizeof(r)); break;
		}
	}
	/* Keep the cost of one call bounded: never ask for huge real work. */
	if ((uint64_t)r.iterations * (r.samples + r.warmup) > 4096 &&
	    r.iterations <= CACHETLB_MAX_ITERATIONS &&
	    r.samples <= CACHETLB_MAX_SAMPLES)
		r.time_limit_ms = 100;
	/*
	 * Hostile pointers must only be hostile to the module: the writable
	 * ones we hand out (ring, edge page) must never let a *valid* write
	 * land outside memory this program set aside for it.
	 */
	r.samples = clamp_samples(env, r.samples_ptr, r.samples);
	r.samples = clamp_samples(env, r.baseline_ptr, r.samples);
	if (r.user_addr == (uintptr_t)env->ring && r.user_len > RING_BYTES)
		r.user_len = RING_BYTES;
	if (arg == env->ring)
		memcpy(env->ring, &r, sizeof(r));
	ret = ioctl(env->fd, CACHETLB_IOC_RUN, arg);
	record(env, ret, "RUN", seed);
}

static void fuzz_list(struct fuzz_env *env, uint64_t *s, uint64_t seed)
{
	struct cachetlb_op_desc d;
	int ret;

	ARG_INIT(&d);
	d.index = rnd_u32(s, env->nr_ops);
	mutate_hdr(s, &d.hdr);
	ret = ioctl(env->fd, CACHETLB_IOC_LIST_OPS,
		    rnd_below(s, 6) ? (void *)&d : hostile_ptr(env, s, sizeof(d)));
	record(env, ret, "LIST_OPS", seed);
}

static void fuzz_info(struct fuzz_env *env, uint64_t *s, uint64_t seed)
{
	struct cachetlb_info i;
	int ret;

	ARG_INIT(&i);
	mutate_hdr(s, &i.hdr);
	ret = ioctl(env->fd, CACHETLB_IOC_GET_INFO,
		    rnd_below(s, 6) ? (void *)&i : hostile_ptr(env, s, sizeof(i)));
	record(env, ret, "GET_INFO", seed);
}

/* Hostile RESOLVE: wrong names, offsets into functions, data addresses. */
static void fuzz_resolve(struct fuzz_env *env, uint64_t *s, uint64_t seed)
{
	static const char *const names[] = {
		"flush_tlb_all", "flush_tlb_kernel_range", "jiffies",
		"no_such_symbol", "", "dcache_clean_inval_poc",
		"printk", "tlb_single_page_flush_ceiling",
	};
	struct cachetlb_resolve q;
	int ret;

	ARG_INIT(&q);
	snprintf(q.name, sizeof(q.name), "%s",
		 names[rnd_below(s, sizeof(names) / sizeof(names[0]))]);
	if (!rnd_below(s, 8))
		memset(q.name, 'A', sizeof(q.name));	/* no terminator */
	switch (rnd_below(s, 4)) {
	case 0: q.addr = 0; break;
	case 1: q.addr = (uintptr_t)env->ring; break;
	case 2: q.addr = 0xffffffff81000000ULL + rnd_below(s, 1 << 20); break;
	default: q.addr = rnd(s); break;
	}
	mutate_hdr(s, &q.hdr);
	ret = ioctl(env->fd, CACHETLB_IOC_RESOLVE, &q);
	record(env, ret, "RESOLVE", seed);
	/* A hostile RESOLVE must never verify. */
	if (ret == 0 && q.state == CACHETLB_SYM_OK && q.addr != 0 &&
	    (q.addr == (uintptr_t)env->ring || !strcmp(q.name, "no_such_symbol"))) {
		atomic_fetch_add(&env->violations, 1);
		printf("# RESOLVE accepted %s at %#" PRIx64 " (seed %" PRIu64 ")\n",
		       q.name, (uint64_t)q.addr, seed);
	}
}

/* Random command numbers: ours with bad nr/size/dir, and foreign types. */
static void fuzz_cmd(struct fuzz_env *env, uint64_t *s, uint64_t seed)
{
	static const unsigned int vfs_types[] = { 0x54, 0x58, 0x66, 0x15, 0x94 };
	unsigned int type = rnd_below(s, 4) ? CACHETLB_IOC_MAGIC : rnd_below(s, 256);
	unsigned int dir = rnd_below(s, 4), nr = rnd_below(s, 8) ? rnd_below(s, 8) :
		rnd_below(s, 256), size = rnd_below(s, 2) ? rnd_below(s, 1024) :
		sizeof(struct cachetlb_run);
	unsigned int i;
	int ret;

	/* Types the VFS handles itself on any fd (FIONBIO, FIFREEZE ...). */
	for (i = 0; i < sizeof(vfs_types) / sizeof(vfs_types[0]); i++)
		if (type == vfs_types[i])
			type = CACHETLB_IOC_MAGIC;
	memset(env->ring, 0, 4096);
	ret = ioctl(env->fd, _IOC(dir, type, nr, size),
		    rnd_below(s, 3) ? (void *)env->ring : hostile_ptr(env, s, size));
	record(env, ret, "random cmd", seed);
}

static void *worker_main(void *p)
{
	struct worker *w = p;
	struct fuzz_env *env = w->env;
	uint64_t per_thread = env->count / env->threads, n;

	if (w->id < env->count % env->threads)
		per_thread++;
	time_t end = time(NULL) + env->seconds;

	for (n = 0; n < per_thread && !atomic_load(&env->stop); n++) {
		uint64_t seed = w->rng;

		switch (rnd_below(&w->rng, 10)) {
		case 0: fuzz_info(env, &w->rng, seed); break;
		case 1: fuzz_list(env, &w->rng, seed); break;
		case 2: fuzz_resolve(env, &w->rng, seed); break;
		case 3: case 4: fuzz_cmd(env, &w->rng, seed); break;
		default: fuzz_run(env, w, seed); break;
		}
		if ((n & 255) == 0 && time(NULL) > end)
			break;
	}
	return NULL;
}

static void on_signal(int sig)
{
	(void)sig;
}

static int load_ops(struct fuzz_env *env)
{
	unsigned int i;
	int ret = get_info(env->fd, &env->info);

	if (ret) {
		printf("# GET_INFO: %s\n", strerror(-ret));
		return -1;
	}
	env->nr_ops = env->info.nr_ops < MAX_OPS ? env->info.nr_ops : MAX_OPS;
	for (i = 0; i < env->nr_ops; i++) {
		ret = list_op(env->fd, i, &env->ops[i].d);
		if (ret) {
			printf("# LIST_OPS %u: %s\n", i, strerror(-ret));
			return -1;
		}
	}
	return 0;
}

static int op_index(const struct fuzz_env *env, const char *name)
{
	for (unsigned int i = 0; i < env->nr_ops; i++)
		if (!strcmp(env->ops[i].d.name, name))
			return (int)i;
	return -1;
}

/* Resolve every symbol ops ask for, from /proc/kallsyms, the honest way. */
static void resolve_all(struct fuzz_env *env)
{
	char line[512], want[CACHETLB_TEXT_LEN * 4] = ",";
	unsigned int good = 0;
	FILE *f;

	for (unsigned int i = 0; i < env->nr_ops; i++) {
		if (env->ops[i].d.symbols[0]) {
			strncat(want, env->ops[i].d.symbols,
				sizeof(want) - strlen(want) - 2);
			strcat(want, ",");
		}
	}
	f = fopen("/proc/kallsyms", "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		struct cachetlb_resolve q;
		struct ctb_ksym k;
		char key[260];

		if (!ctb_ksym_parse(line, &k) || k.module)
			continue;
		snprintf(key, sizeof(key), ",%s,", k.name);
		if (!strstr(want, key))
			continue;
		ARG_INIT(&q);
		q.addr = k.addr;
		if (strlen(k.name) >= sizeof(q.name))
			continue;
		memcpy(q.name, k.name, strlen(k.name) + 1);
		if (ioctl(env->fd, CACHETLB_IOC_RESOLVE, &q) == 0)
			good++;
		/* Resolve each name once: drop it from the wanted list. */
		memmove(strstr(want, key), strstr(want, key) + strlen(key) - 1,
			strlen(strstr(want, key) + strlen(key) - 1) + 1);
	}
	fclose(f);
	printf("# resolved %u symbol(s) from /proc/kallsyms\n", good);
}

/* Signals mid-RUN: EINTR with partial samples, never anything else. */
static void test_signals(struct fuzz_env *env)
{
	struct cachetlb_sample *samp, *base;
	struct cachetlb_run r;
	struct sigaction sa;
	timer_t timer;
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM };
	struct itimerspec its = { .it_value = { 0, 200 * 1000 * 1000 } };
	int spin = op_index(env, "spin"), ret, e, n_intr = 0, n_bad = 0;

	if (spin < 0) {
		tap(1, "signals mid-RUN # SKIP no spin op");
		return;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART */
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	samp = calloc(4096, sizeof(*samp));
	base = calloc(4096, sizeof(*base));
	if (!samp || !base || timer_create(CLOCK_MONOTONIC, &sev, &timer)) {
		tap(0, "signals mid-RUN: setup failed");
		free(samp);
		free(base);
		return;
	}
	for (int k = 0; k < 6; k++) {
		ARG_INIT(&r);
		r.op = spin;
		r.cpu = CACHETLB_CPU_ANY;
		r.iterations = 64;
		r.samples = 4096;
		r.count = 20000;
		r.time_limit_ms = env->info.time_limit_ms;
		r.samples_ptr = (uintptr_t)samp;
		r.baseline_ptr = (uintptr_t)base;
		sev.sigev_signo = k & 1 ? SIGINT : SIGALRM;
		its.it_value.tv_nsec = (50 + 40 * k) * 1000 * 1000;
		timer_settime(timer, 0, &its, NULL);
		ret = ioctl(env->fd, CACHETLB_IOC_RUN, &r);
		e = errno;
		record(env, ret, "RUN (signal)", 0);
		if (ret < 0 && e == EINTR && r.samples_done < r.samples) {
			n_intr++;
			continue;
		}
		if (ret == 0 && r.samples_done == r.samples)
			continue;	/* finished before the signal: allowed */
		n_bad++;
		printf("# signal RUN %d: ret %d (%s), %u/%u samples, out_flags %#x, hdr.error %u\n",
		       k, ret, ret ? strerror(e) : "ok", r.samples_done,
		       r.samples, r.out_flags, r.hdr.error);
	}
	timer_delete(timer);
	tap(n_bad == 0 && n_intr > 0,
	    "signals mid-RUN: %d of 6 interrupted with partial samples, %d bad",
	    n_intr, n_bad);
	free(samp);
	free(base);
}

struct closer {
	int fd;
	int ret;
	int err;
	int op;
};

static void *long_run(void *p)
{
	struct closer *c = p;
	struct cachetlb_sample samp[64], base[64];
	struct cachetlb_run r;

	ARG_INIT(&r);
	r.op = c->op;
	r.cpu = CACHETLB_CPU_ANY;
	r.iterations = 256;
	r.samples = 64;
	r.count = 50000;
	r.time_limit_ms = 3000;
	r.samples_ptr = (uintptr_t)samp;
	r.baseline_ptr = (uintptr_t)base;
	c->ret = ioctl(c->fd, CACHETLB_IOC_RUN, &r);
	c->err = errno;
	return NULL;
}

/* close() while another thread sits inside the ioctl. */
static void test_close_during_run(struct fuzz_env *env)
{
	struct closer c = { .op = op_index(env, "spin") };
	pthread_t t;

	if (c.op < 0) {
		tap(1, "close during RUN # SKIP no spin op");
		return;
	}
	c.fd = open(CACHETLB_DEVICE, O_RDWR);
	if (c.fd < 0) {
		tap(0, "close during RUN: open: %s", strerror(errno));
		return;
	}
	pthread_create(&t, NULL, long_run, &c);
	usleep(100 * 1000);
	close(c.fd);
	pthread_join(t, NULL);
	tap(c.ret == 0 || errno_allowed(c.err),
	    "close during RUN: RUN returned %d (%s)", c.ret,
	    c.ret ? strerror(c.err) : "ok");
}

/* Soak: mixed RUN cycles, including every op that pins or maps. */
static void soak(struct fuzz_env *env, uint64_t *s)
{
	struct cachetlb_sample samp[4], base[4];
	unsigned int i, ran = 0, bad = 0;

	for (i = 0; i < env->soak; i++) {
		unsigned int op = rnd_below(s, env->nr_ops);
		const struct cachetlb_op_desc *d = &env->ops[op].d;
		struct cachetlb_run r;
		int ret;

		if (!d->supported)
			continue;
		ARG_INIT(&r);
		r.op = op;
		r.cpu = CACHETLB_CPU_ANY;
		r.iterations = 1 + rnd_below(s, 4);
		r.samples = 1 + rnd_below(s, 4);
		r.time_limit_ms = 500;
		r.samples_ptr = (uintptr_t)samp;
		r.baseline_ptr = (uintptr_t)base;
		if (d->uses & CACHETLB_USES_COUNT) {
			uint32_t hi = d->count_max < 64 ? d->count_max : 64;

			r.count = d->count_min + rnd_below(s, hi - d->count_min + 1);
		}
		if (d->uses & CACHETLB_USES_AUX)
			r.aux = 1u << rnd_below(s, 9);
		if (d->uses & CACHETLB_USES_USER_BUF) {
			r.user_addr = (uintptr_t)env->ring;
			r.user_len = RING_BYTES;
			ring_fill(env->ring, r.aux);
		}
		if (d->uses & CACHETLB_USES_TARGETS)
			r.targets[0] = env->info.online_cpus > 1 ? 2 : 1;
		ret = ioctl(env->fd, CACHETLB_IOC_RUN, &r);
		record(env, ret, "RUN (soak)", 0);
		ran++;
		/* Supported ops with plausible arguments: only these errnos. */
		if (ret < 0 && errno != EINVAL && errno != E2BIG &&
		    errno != EOPNOTSUPP) {
			if (bad++ < 5)
				printf("# soak: %s: %s (hdr.error %u)\n", d->name,
				       strerror(errno), r.hdr.error);
		}
	}
	tap(bad == 0, "soak: %u RUN cycles, %u unexpected errors", ran, bad);
}

/*
 * --hold MS: keep one spin RUN in flight for about MS milliseconds, so a
 * script can try rmmod meanwhile.  Exit 0 when the RUN ended normally.
 */
static int hold(struct fuzz_env *env)
{
	struct closer c = { .fd = env->fd, .op = op_index(env, "spin") };
	struct cachetlb_sample *samp, *base;
	struct cachetlb_run r;

	if (c.op < 0)
		return 1;
	samp = calloc(CACHETLB_MAX_SAMPLES, sizeof(*samp));
	base = calloc(CACHETLB_MAX_SAMPLES, sizeof(*base));
	if (!samp || !base)
		return 1;
	ARG_INIT(&r);
	r.op = c.op;
	r.cpu = CACHETLB_CPU_ANY;
	r.iterations = 64;
	r.samples = CACHETLB_MAX_SAMPLES;
	r.count = 20000;
	r.time_limit_ms = env->hold_ms;
	r.samples_ptr = (uintptr_t)samp;
	r.baseline_ptr = (uintptr_t)base;
	printf("# holding a RUN for %u ms\n", env->hold_ms);
	fflush(stdout);
	c.ret = ioctl(env->fd, CACHETLB_IOC_RUN, &r);
	printf("# hold: RUN returned %d (%s), %u samples, out_flags %#x\n",
	       c.ret, c.ret ? strerror(errno) : "ok", r.samples_done,
	       r.out_flags);
	free(samp);
	free(base);
	return c.ret ? 1 : 0;
}

static int parse_u64(const char *opt, const char *v, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long x;

	errno = 0;
	x = strtoull(v, &end, 0);
	if (errno || *end || x > max) {
		fprintf(stderr, "fuzz: %s %s: expected an integer 0..%" PRIu64 "\n",
			opt, v, max);
		return -1;
	}
	*out = x;
	return 0;
}

static int parse_args(int argc, char **argv, struct fuzz_env *env)
{
	for (int i = 1; i < argc; i++) {
		uint64_t v;
		const char *o = argv[i];

		if (i + 1 >= argc) {
			fprintf(stderr, "fuzz: %s needs a value\n", o);
			return -1;
		}
		if (!strcmp(o, "--count")) {
			if (parse_u64(o, argv[++i], 100000000, &env->count))
				return -1;
		} else if (!strcmp(o, "--seconds")) {
			if (parse_u64(o, argv[++i], 86400, &v))
				return -1;
			env->seconds = (unsigned int)v;
		} else if (!strcmp(o, "--seed")) {
			if (parse_u64(o, argv[++i], UINT64_MAX, &env->seed))
				return -1;
		} else if (!strcmp(o, "--threads")) {
			if (parse_u64(o, argv[++i], 64, &v) || v == 0)
				return -1;
			env->threads = (unsigned int)v;
		} else if (!strcmp(o, "--hold")) {
			if (parse_u64(o, argv[++i], 60000, &v) || v == 0)
				return -1;
			env->hold_ms = (unsigned int)v;
		} else if (!strcmp(o, "--soak")) {
			if (parse_u64(o, argv[++i], 10000000, &v))
				return -1;
			env->soak = (unsigned int)v;
		} else {
			fprintf(stderr, "fuzz: unknown option %s (--count --seconds --seed --threads --soak --hold)\n", o);
			return -1;
		}
	}
	return 0;
}

static int setup_memory(struct fuzz_env *env)
{
	env->page = sysconf(_SC_PAGESIZE);
	env->ring = mmap(NULL, RING_BYTES, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	env->ring_ro = mmap(NULL, RING_BYTES, PROT_READ,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	env->edge = mmap(NULL, 2 * env->page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	env->unmapped = mmap(NULL, env->page, PROT_NONE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (env->ring == MAP_FAILED || env->ring_ro == MAP_FAILED ||
	    env->edge == MAP_FAILED || env->unmapped == MAP_FAILED)
		return -1;
	/*
	 * Keep the holes reserved (PROT_NONE) rather than unmapped, so no
	 * later mmap (calloc of sample buffers) can land in them.
	 */
	mprotect(env->edge + env->page, env->page, PROT_NONE);
	mlock(env->ring, RING_BYTES);
	memset(env->ring, 0, RING_BYTES);
	memset(env->edge, 0, env->page);
	return 0;
}

int main(int argc, char **argv)
{
	static struct fuzz_env env;
	static const char *const enames[] = {
		[0] = "ok", [EPERM] = "EPERM", [ENOTTY] = "ENOTTY",
		[EFAULT] = "EFAULT", [EINVAL] = "EINVAL", [E2BIG] = "E2BIG",
		[EOPNOTSUPP] = "EOPNOTSUPP", [EINTR] = "EINTR",
		[ENOMEM] = "ENOMEM",
	};
	struct worker *w;
	struct sigaction sa;
	uint64_t s;

	env.count = 100000;
	env.seconds = 600;
	env.threads = 1;
	env.seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	if (parse_args(argc, argv, &env))
		return 2;
	if (!env.seed)
		env.seed = 1;
	printf("# fuzz seed %" PRIu64 " count %" PRIu64 " threads %u soak %u\n",
	       env.seed, env.count, env.threads, env.soak);
	env.fd = open(CACHETLB_DEVICE, O_RDWR);
	if (env.fd < 0) {
		tap(0, "open %s: %s", CACHETLB_DEVICE, strerror(errno));
		return 1;
	}
	if (setup_memory(&env) || load_ops(&env)) {
		tap(0, "setup (mmap, GET_INFO, LIST_OPS)");
		return 1;
	}
	if (env.hold_ms)
		return hold(&env);
	resolve_all(&env);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGALRM, &sa, NULL);

	w = calloc(env.threads, sizeof(*w));
	if (!w)
		return 1;
	for (unsigned int i = 0; i < env.threads; i++) {
		w[i].env = &env;
		w[i].id = i;
		w[i].rng = env.seed + 0x9E3779B97F4A7C15ULL * (i + 1);
		w[i].samp = calloc(CACHETLB_MAX_SAMPLES, sizeof(*w[i].samp));
		w[i].base = calloc(CACHETLB_MAX_SAMPLES, sizeof(*w[i].base));
		if (!w[i].samp || !w[i].base)
			return 1;
		pthread_create(&w[i].tid, NULL, worker_main, &w[i]);
	}
	/* With several threads, also deliver signals into the ioctls. */
	if (env.threads > 1) {
		for (int k = 0; k < 50; k++) {
			usleep(20 * 1000);
			pthread_kill(w[k % env.threads].tid, SIGALRM);
		}
	}
	for (unsigned int i = 0; i < env.threads; i++)
		pthread_join(w[i].tid, NULL);
	for (unsigned int i = 0; i < env.threads; i++) {
		free(w[i].samp);
		free(w[i].base);
	}
	free(w);

	tap(atomic_load(&env.violations) == 0,
	    "fuzz: %" PRIu64 " calls, %" PRIu64 " errno contract violations",
	    (uint64_t)atomic_load(&env.calls),
	    (uint64_t)atomic_load(&env.violations));
	tap(atomic_load(&env.calls) >= env.count,
	    "fuzz: issued the requested %" PRIu64 " calls within %u s",
	    env.count, env.seconds);
	test_signals(&env);
	test_close_during_run(&env);
	s = env.seed;
	if (env.soak)
		soak(&env, &s);

	printf("fuzz: calls=%" PRIu64 " errnos=", (uint64_t)atomic_load(&env.calls));
	for (int e = 0; e < NERRNO; e++) {
		uint64_t n = atomic_load(&env.errnos[e]);

		if (!n)
			continue;
		if (e < (int)(sizeof(enames) / sizeof(enames[0])) && enames[e])
			printf("%s:%" PRIu64 ",", enames[e], n);
		else
			printf("%d:%" PRIu64 ",", e, n);
	}
	printf(" seed=%" PRIu64 "\n", env.seed);
	close(env.fd);
	return counts.fail ? 1 : 0;
}
