// SPDX-License-Identifier: GPL-2.0
/*
 * ctbench CPU placement with hwloc (see topo.h for the policies).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hwloc.h>

#include "topo.h"

#define TOPO(t) ((hwloc_topology_t)(t)->topo)

int ctb_topo_init(struct ctb_topo *t, char *err, size_t len)
{
	hwloc_topology_t topo;

	memset(t, 0, sizeof(*t));
	if (hwloc_topology_init(&topo) < 0) {
		snprintf(err, len, "hwloc_topology_init failed: %s",
			 strerror(errno));
		return -errno;
	}
	if (hwloc_topology_load(topo) < 0) {
		int e = errno;

		hwloc_topology_destroy(topo);
		snprintf(err, len, "hwloc_topology_load failed: %s",
			 strerror(e));
		return -e;
	}
	t->topo = topo;
	t->loaded = 1;
	return 0;
}

void ctb_topo_fini(struct ctb_topo *t)
{
	if (t->loaded)
		hwloc_topology_destroy(TOPO(t));
	t->loaded = 0;
	t->topo = NULL;
}

int ctb_topo_nr_pus(struct ctb_topo *t)
{
	int n;

	if (!t->loaded)
		return 0;
	n = hwloc_bitmap_weight(hwloc_topology_get_allowed_cpuset(TOPO(t)));
	return n > 0 ? n : 0;
}

static hwloc_obj_t pu_obj(struct ctb_topo *t, int cpu)
{
	hwloc_obj_t pu;

	if (cpu < 0)
		return NULL;
	pu = hwloc_get_pu_obj_by_os_index(TOPO(t), (unsigned int)cpu);
	if (!pu || !hwloc_bitmap_isset(
			hwloc_topology_get_allowed_cpuset(TOPO(t)),
			(unsigned int)cpu))
		return NULL;
	return pu;
}

int ctb_topo_pick_cpu(struct ctb_topo *t, int requested, int *cpu,
		      char *err, size_t len)
{
	const struct hwloc_bitmap_s *allowed;
	hwloc_bitmap_t cur;
	int first;

	if (!t->loaded) {
		snprintf(err, len, "hwloc topology not loaded");
		return -EINVAL;
	}
	allowed = hwloc_topology_get_allowed_cpuset(TOPO(t));
	if (requested >= 0) {
		if (!pu_obj(t, requested)) {
			int last = hwloc_bitmap_last(allowed);

			snprintf(err, len,
				 "--cpu %d: no such allowed CPU (hwloc sees CPUs 0..%d, %d allowed)",
				 requested, last, hwloc_bitmap_weight(allowed));
			return -EINVAL;
		}
		*cpu = requested;
		return 0;
	}
	cur = hwloc_bitmap_alloc();
	if (!cur) {
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	if (hwloc_get_cpubind(TOPO(t), cur, HWLOC_CPUBIND_PROCESS) < 0)
		hwloc_bitmap_copy(cur, allowed);
	hwloc_bitmap_and(cur, cur, allowed);
	first = hwloc_bitmap_first(cur);
	hwloc_bitmap_free(cur);
	if (first < 0) {
		snprintf(err, len,
			 "no allowed CPU in the current affinity mask");
		return -ENOENT;
	}
	*cpu = first;
	return 0;
}

int ctb_cpulist_parse(const char *s, struct ctb_cpumask *mask, char *err,
		      size_t len)
{
	const char *p = s;

	memset(mask, 0, sizeof(*mask));
	if (!*s) {
		snprintf(err, len, "empty CPU list (expected e.g. 1,3-5)");
		return -EINVAL;
	}
	while (*p) {
		char *end;
		unsigned long a, b;

		if (*p < '0' || *p > '9')
			goto bad;
		a = strtoul(p, &end, 10);
		b = a;
		if (*end == '-') {
			p = end + 1;
			if (*p < '0' || *p > '9')
				goto bad;
			b = strtoul(p, &end, 10);
		}
		if (a > b || b >= CACHETLB_MAX_CPUS) {
			snprintf(err, len,
				 "CPU list '%s': range %lu-%lu invalid (CPUs 0..%d, ascending)",
				 s, a, b, CACHETLB_MAX_CPUS - 1);
			return -EINVAL;
		}
		for (unsigned long c = a; c <= b; c++)
			ctb_cpumask_set(mask, (unsigned int)c);
		if (*end == ',')
			end++;
		else if (*end)
			goto bad;
		p = end;
	}
	return 0;
bad:
	snprintf(err, len,
		 "CPU list '%s': cannot parse at '%s' (expected e.g. 1,3-5)",
		 s, p);
	return -EINVAL;
}

void ctb_cpulist_format(const struct ctb_cpumask *mask, char *buf, size_t len)
{
	size_t off = 0;
	int c = 0;

	buf[0] = '\0';
	while (c < CACHETLB_MAX_CPUS) {
		int e;

		if (!ctb_cpumask_test(mask, (unsigned int)c)) {
			c++;
			continue;
		}
		e = c;
		while (e + 1 < CACHETLB_MAX_CPUS &&
		       ctb_cpumask_test(mask, (unsigned int)e + 1))
			e++;
		if (e == c)
			off += snprintf(buf + off, off < len ? len - off : 0,
					"%s%d", off ? "," : "", c);
		else
			off += snprintf(buf + off, off < len ? len - off : 0,
					"%s%d-%d", off ? "," : "", c, e);
		c = e + 1;
	}
	if (!off)
		snprintf(buf, len, "-");
}

int ctb_cpumask_weight(const struct ctb_cpumask *mask)
{
	int n = 0;

	for (int i = 0; i < CACHETLB_MASK_WORDS; i++)
		n += __builtin_popcountll(mask->w[i]);
	return n;
}

static int add_pu(struct ctb_cpumask *mask, hwloc_obj_t pu, char *err,
		  size_t len)
{
	if (pu->os_index >= CACHETLB_MAX_CPUS) {
		snprintf(err, len, "CPU %u above the ABI's limit of %d CPUs",
			 pu->os_index, CACHETLB_MAX_CPUS);
		return -E2BIG;
	}
	ctb_cpumask_set(mask, pu->os_index);
	return 0;
}

/* First allowed PU inside obj, or NULL. */
static hwloc_obj_t first_pu(struct ctb_topo *t, hwloc_obj_t obj)
{
	hwloc_obj_t pu = NULL;

	while ((pu = hwloc_get_next_obj_inside_cpuset_by_type(
			TOPO(t), obj->cpuset, HWLOC_OBJ_PU, pu)))
		if (hwloc_bitmap_isset(hwloc_topology_get_allowed_cpuset(TOPO(t)),
				       pu->os_index))
			return pu;
	return NULL;
}

/* Add the first allowed PU of each core inside scope, except core skip. */
static int add_core_pus(struct ctb_topo *t, hwloc_const_cpuset_t scope,
			hwloc_obj_t skip, struct ctb_cpumask *mask, char *err,
			size_t len)
{
	hwloc_obj_t core = NULL, pu;
	int ret;

	while ((core = hwloc_get_next_obj_inside_cpuset_by_type(
			TOPO(t), scope, HWLOC_OBJ_CORE, core))) {
		if (core == skip)
			continue;
		pu = first_pu(t, core);
		if (!pu)
			continue;
		ret = add_pu(mask, pu, err, len);
		if (ret)
			return ret;
	}
	return 0;
}

/* One --targets resolution: the measuring CPU, its core and package. */
struct tgt {
	struct ctb_topo *t;
	int cpu;
	hwloc_obj_t me, core, pkg;
	const struct hwloc_bitmap_s *allowed;
	struct ctb_cpumask *mask;
	char *err;
	size_t len;
};

/* The policy found no target CPU: the message, -ENOENT. */
static int no_target(const struct tgt *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int no_target(const struct tgt *g, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(g->err, g->len, fmt, ap);
	va_end(ap);
	return -ENOENT;
}

/* sibling: the other allowed PUs of the measuring CPU's core */
static int tgt_sibling(const struct tgt *g)
{
	hwloc_obj_t o = NULL;
	int ret;

	if (!g->core)
		return no_target(g,
			 "--targets sibling: hwloc reports no core object above CPU %d",
			 g->cpu);
	while ((o = hwloc_get_next_obj_inside_cpuset_by_type(
			TOPO(g->t), g->core->cpuset, HWLOC_OBJ_PU, o))) {
		if (o == g->me || !hwloc_bitmap_isset(g->allowed, o->os_index))
			continue;
		ret = add_pu(g->mask, o, g->err, g->len);
		if (ret)
			return ret;
	}
	if (!ctb_cpumask_weight(g->mask))
		return no_target(g,
			 "--targets sibling: CPU %d has no SMT sibling (its core has %d allowed PU)",
			 g->cpu, hwloc_bitmap_weight(g->core->cpuset));
	return 0;
}

/* core: one PU of every other core in the package */
static int tgt_core(const struct tgt *g)
{
	hwloc_const_cpuset_t scope = g->pkg ? g->pkg->cpuset :
		hwloc_topology_get_topology_cpuset(TOPO(g->t));
	int ret;

	ret = add_core_pus(g->t, scope, g->core, g->mask, g->err, g->len);
	if (ret)
		return ret;
	if (!ctb_cpumask_weight(g->mask))
		return no_target(g,
			 "--targets core: no other core with an allowed CPU in the package of CPU %d",
			 g->cpu);
	return 0;
}

/* package: one PU of every core in the other packages */
static int tgt_package(const struct tgt *g)
{
	int npkg = hwloc_get_nbobjs_by_type(TOPO(g->t), HWLOC_OBJ_PACKAGE);
	hwloc_obj_t o = NULL;
	int ret;

	while ((o = hwloc_get_next_obj_by_type(TOPO(g->t),
					       HWLOC_OBJ_PACKAGE, o))) {
		if (o == g->pkg)
			continue;
		ret = add_core_pus(g->t, o->cpuset, NULL, g->mask, g->err,
				   g->len);
		if (ret)
			return ret;
	}
	if (!ctb_cpumask_weight(g->mask))
		return no_target(g,
			 "--targets package: no other package with an allowed CPU (hwloc sees %d package%s)",
			 npkg, npkg == 1 ? "" : "s");
	return 0;
}

/* all: every allowed CPU but the measuring one */
static int tgt_all(const struct tgt *g)
{
	unsigned int c;

	hwloc_bitmap_foreach_begin(c, g->allowed) {
		if ((int)c == g->cpu)
			continue;
		if (c >= CACHETLB_MAX_CPUS) {
			snprintf(g->err, g->len,
				 "CPU %u above the ABI's limit of %d CPUs",
				 c, CACHETLB_MAX_CPUS);
			return -E2BIG;
		}
		ctb_cpumask_set(g->mask, c);
	} hwloc_bitmap_foreach_end();
	if (!ctb_cpumask_weight(g->mask))
		return no_target(g,
			 "--targets all: CPU %d is the only allowed CPU",
			 g->cpu);
	return 0;
}

/* a CPU list: allowed CPUs other than the measuring one */
static int tgt_list(const struct tgt *g, const char *policy)
{
	int ret = ctb_cpulist_parse(policy, g->mask, g->err, g->len);

	if (ret)
		return ret;
	for (int c = 0; c < CACHETLB_MAX_CPUS; c++) {
		if (!ctb_cpumask_test(g->mask, (unsigned int)c))
			continue;
		if (c == g->cpu) {
			snprintf(g->err, g->len,
				 "--targets %s: CPU %d is the measuring CPU; targets must be other CPUs",
				 policy, c);
			return -EINVAL;
		}
		if (!pu_obj(g->t, c)) {
			snprintf(g->err, g->len,
				 "--targets %s: CPU %d is not an allowed CPU (valid: 0..%d)",
				 policy, c, hwloc_bitmap_last(g->allowed));
			return -EINVAL;
		}
	}
	return 0;
}

int ctb_topo_targets(struct ctb_topo *t, int cpu, const char *policy,
		     struct ctb_cpumask *mask, char *list, size_t list_len,
		     char *err, size_t len)
{
	struct tgt g = { t, cpu, NULL, NULL, NULL, NULL, mask, err, len };
	int ret;

	memset(mask, 0, sizeof(*mask));
	if (!t->loaded) {
		snprintf(err, len, "hwloc topology not loaded");
		return -EINVAL;
	}
	g.allowed = hwloc_topology_get_allowed_cpuset(TOPO(t));
	g.me = pu_obj(t, cpu);
	if (!g.me) {
		snprintf(err, len, "measuring CPU %d is not an allowed CPU",
			 cpu);
		return -EINVAL;
	}
	g.core = hwloc_get_ancestor_obj_by_type(TOPO(t), HWLOC_OBJ_CORE, g.me);
	g.pkg = hwloc_get_ancestor_obj_by_type(TOPO(t), HWLOC_OBJ_PACKAGE,
					       g.me);

	if (!strcmp(policy, "sibling")) {
		ret = tgt_sibling(&g);
	} else if (!strcmp(policy, "core")) {
		ret = tgt_core(&g);
	} else if (!strcmp(policy, "package")) {
		ret = tgt_package(&g);
	} else if (!strcmp(policy, "all")) {
		ret = tgt_all(&g);
	} else if (policy[0] >= '0' && policy[0] <= '9') {
		ret = tgt_list(&g, policy);
	} else {
		snprintf(err, len,
			 "--targets '%s': unknown policy (valid: sibling, core, package, all, or a CPU list like 1,3-5)",
			 policy);
		ret = -EINVAL;
	}
	if (ret)
		return ret;
	if (list)
		ctb_cpulist_format(mask, list, list_len);
	return 0;
}

int ctb_topo_bind_self(struct ctb_topo *t, int cpu, char *err, size_t len)
{
	hwloc_obj_t pu = pu_obj(t, cpu);

	if (!pu) {
		snprintf(err, len, "cannot bind: CPU %d is not allowed", cpu);
		return -EINVAL;
	}
	if (hwloc_set_cpubind(TOPO(t), pu->cpuset, HWLOC_CPUBIND_THREAD |
			      HWLOC_CPUBIND_STRICT) < 0 &&
	    hwloc_set_cpubind(TOPO(t), pu->cpuset, HWLOC_CPUBIND_THREAD) < 0) {
		int e = errno;

		snprintf(err, len, "hwloc cannot bind to CPU %d: %s", cpu,
			 strerror(e));
		return -e;
	}
	return 0;
}

struct spin_arg {
	struct ctb_topo *t;
	struct ctb_spinners *s;
	unsigned int cpu;
};

/* Safety net: a spinner never outlives this even if stop is never set. */
#define SPIN_MAX_SECONDS 3600

static void *spin_main(void *p)
{
	struct spin_arg *a = p;
	hwloc_obj_t pu = pu_obj(a->t, (int)a->cpu);
	struct timespec t0, now;
	unsigned long n = 0;

	if (pu)
		hwloc_set_cpubind(TOPO(a->t), pu->cpuset,
				  HWLOC_CPUBIND_THREAD);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!atomic_load_explicit(&a->s->stop, memory_order_relaxed)) {
		if (++n % (1UL << 20) == 0) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec - t0.tv_sec > SPIN_MAX_SECONDS)
				break;
		}
	}
	free(a);
	return NULL;
}

int ctb_spinners_start(struct ctb_topo *t, const struct ctb_cpumask *mask,
		       struct ctb_spinners *s, char *err, size_t len)
{
	int n = ctb_cpumask_weight(mask);
	pthread_t *th;

	memset(s, 0, sizeof(*s));
	atomic_store(&s->stop, 0);
	if (n > CTB_MAX_SPINNERS) {
		snprintf(err, len, "--busy-targets: %d targets, at most %d",
			 n, CTB_MAX_SPINNERS);
		return -E2BIG;
	}
	th = calloc(n ? (size_t)n : 1, sizeof(*th));
	if (!th) {
		snprintf(err, len, "out of memory for %d spinner threads", n);
		return -ENOMEM;
	}
	s->threads = th;
	s->started = 1;
	for (unsigned int c = 0; c < CACHETLB_MAX_CPUS && s->n < n; c++) {
		struct spin_arg *a;
		int ret;

		if (!ctb_cpumask_test(mask, c))
			continue;
		a = malloc(sizeof(*a));
		if (!a) {
			snprintf(err, len, "out of memory for a spinner");
			ctb_spinners_stop(s);
			return -ENOMEM;
		}
		a->t = t;
		a->s = s;
		a->cpu = c;
		ret = pthread_create(&th[s->n], NULL, spin_main, a);
		if (ret) {
			free(a);
			snprintf(err, len,
				 "cannot start spinner thread for CPU %u: %s",
				 c, strerror(ret));
			ctb_spinners_stop(s);
			return -ret;
		}
		s->n++;
	}
	return 0;
}

void ctb_spinners_stop(struct ctb_spinners *s)
{
	pthread_t *th = s->threads;

	if (!s->started)
		return;
	atomic_store(&s->stop, 1);
	for (int i = 0; i < s->n; i++)
		pthread_join(th[i], NULL);
	free(th);
	s->threads = NULL;
	s->n = 0;
	s->started = 0;
}

void ctb_topo_summary(struct ctb_topo *t, char *buf, size_t len)
{
	int pk, co, pu, nn;

	if (!t->loaded) {
		snprintf(buf, len, "n/a: hwloc topology not loaded");
		return;
	}
	pk = hwloc_get_nbobjs_by_type(TOPO(t), HWLOC_OBJ_PACKAGE);
	co = hwloc_get_nbobjs_by_type(TOPO(t), HWLOC_OBJ_CORE);
	pu = hwloc_get_nbobjs_by_type(TOPO(t), HWLOC_OBJ_PU);
	nn = hwloc_get_nbobjs_by_type(TOPO(t), HWLOC_OBJ_NUMANODE);
	snprintf(buf, len, "%d package%s, %d core%s, %d PU%s, %d NUMA node%s",
		 pk, pk == 1 ? "" : "s", co, co == 1 ? "" : "s",
		 pu, pu == 1 ? "" : "s", nn, nn == 1 ? "" : "s");
}
