/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctbench CPU placement through hwloc: the measuring CPU, remote target
 * CPUs chosen by topological distance, binding, and busy spinner threads.
 *
 * Target policies, relative to the measuring CPU M:
 *   sibling  the other hardware threads (PUs) of M's core
 *   core     one PU (the first) of every other core in M's package
 *   package  one PU (the first) of every core in every other package
 *   all      every allowed PU except M
 *   LIST     an explicit CPU list such as "1,3-5"
 * When the topology has nothing for a policy (no SMT, one package ...) the
 * call fails and the message names what is missing; nothing is guessed.
 */
#ifndef CTB_TOPO_H
#define CTB_TOPO_H

#include <stddef.h>
#include <stdint.h>

#include "uapi/cachetlb.h"

#define CTB_MAX_SPINNERS 256

struct ctb_topo {
	void *topo;		/* hwloc_topology_t */
	int loaded;
};

struct ctb_cpumask {
	uint64_t w[CACHETLB_MASK_WORDS];
};

struct ctb_spinners {
	void *threads;		/* pthread_t[n] */
	int n;
	_Atomic int stop;
	int started;
};

int ctb_topo_init(struct ctb_topo *t, char *err, size_t len);
void ctb_topo_fini(struct ctb_topo *t);

/* Number of PUs hwloc sees (allowed), 0 when unknown. */
int ctb_topo_nr_pus(struct ctb_topo *t);

/*
 * Pick the measuring CPU: requested >= 0 is validated (exists, allowed),
 * requested < 0 picks the first allowed PU of the current affinity.
 */
int ctb_topo_pick_cpu(struct ctb_topo *t, int requested, int *cpu,
		      char *err, size_t len);

/*
 * Resolve a target policy (see above) for measuring CPU cpu into mask and
 * a canonical CPU list string ("1,3-5"). Returns 0 or -EINVAL/-ENOENT with
 * err naming the policy, the CPU and what the topology lacks.
 */
int ctb_topo_targets(struct ctb_topo *t, int cpu, const char *policy,
		     struct ctb_cpumask *mask, char *list, size_t list_len,
		     char *err, size_t len);

/* Bind the calling thread (and thus the RUN ioctl) to cpu. */
int ctb_topo_bind_self(struct ctb_topo *t, int cpu, char *err, size_t len);

/* One spinning thread pinned on each CPU in mask. */
int ctb_spinners_start(struct ctb_topo *t, const struct ctb_cpumask *mask,
		       struct ctb_spinners *s, char *err, size_t len);
void ctb_spinners_stop(struct ctb_spinners *s);

/* One-line topology summary ("1 package, 2 cores, 2 PUs, 1 NUMA node"). */
void ctb_topo_summary(struct ctb_topo *t, char *buf, size_t len);

/* Pure helpers (no hwloc): CPU list parsing and formatting. */
int ctb_cpulist_parse(const char *s, struct ctb_cpumask *mask, char *err,
		      size_t len);
void ctb_cpulist_format(const struct ctb_cpumask *mask, char *buf,
			size_t len);
int ctb_cpumask_weight(const struct ctb_cpumask *mask);
static inline void ctb_cpumask_set(struct ctb_cpumask *m, unsigned int cpu)
{
	m->w[cpu / 64] |= 1ULL << (cpu % 64);
}

static inline int ctb_cpumask_test(const struct ctb_cpumask *m,
				   unsigned int cpu)
{
	return cpu < CACHETLB_MAX_CPUS && (m->w[cpu / 64] >> (cpu % 64)) & 1;
}

#endif /* CTB_TOPO_H */
