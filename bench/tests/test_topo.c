// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for bench/topo.c on the host's real topology: every target
 * policy either yields valid CPUs (cross-checked against sysfs, which
 * hwloc does not get to answer) or fails with a message naming what is
 * missing; explicit lists; binding; spinner threads.
 */
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "topo.h"
#include "tap.h"

static int has(const char *s, const char *sub)
{
	return s && strstr(s, sub) != NULL;
}

/* Read an integer topology attribute of a CPU from sysfs, -1 if absent. */
static int sysfs_int(int cpu, const char *attr)
{
	char path[256];
	FILE *f;
	int v = -1;

	snprintf(path, sizeof(path),
		 "/sys/devices/system/cpu/cpu%d/topology/%s", cpu, attr);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%d", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static int sysfs_list(int cpu, const char *attr, struct ctb_cpumask *m)
{
	char path[256], buf[512], err[256];
	FILE *f;

	snprintf(path, sizeof(path),
		 "/sys/devices/system/cpu/cpu%d/topology/%s", cpu, attr);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return ctb_cpulist_parse(buf, m, err, sizeof(err));
}

static int nr_tasks(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void test_cpulist(void)
{
	struct ctb_cpumask m;
	char err[256], buf[128];

	ok(ctb_cpulist_parse("0-3,6", &m, err, sizeof(err)) == 0 &&
	   ctb_cpumask_weight(&m) == 5 && ctb_cpumask_test(&m, 6) &&
	   !ctb_cpumask_test(&m, 4), "0-3,6 parses to 5 CPUs");
	ctb_cpulist_format(&m, buf, sizeof(buf));
	ok(!strcmp(buf, "0-3,6"), "and formats back (%s)", buf);
	ok(ctb_cpulist_parse("1,x", &m, err, sizeof(err)) == -EINVAL &&
	   has(err, "'1,x'") && has(err, "'x'"), "garbage named (%s)", err);
	ok(ctb_cpulist_parse("5-2", &m, err, sizeof(err)) == -EINVAL &&
	   has(err, "5-2"), "descending range named (%s)", err);
	ok(ctb_cpulist_parse("2000", &m, err, sizeof(err)) == -EINVAL &&
	   has(err, "0..1023"), "CPU above the ABI limit names the range (%s)",
	   err);
	memset(&m, 0, sizeof(m));
	ctb_cpulist_format(&m, buf, sizeof(buf));
	ok(!strcmp(buf, "-"), "empty mask formats as '-'");
}

static void check_policy(struct ctb_topo *t, int cpu, const char *pol)
{
	struct ctb_cpumask m, sib;
	char err[256], list[64];
	int r = ctb_topo_targets(t, cpu, pol, &m, list, sizeof(list), err,
				 sizeof(err));
	int my_core = sysfs_int(cpu, "core_id");
	int my_pkg = sysfs_int(cpu, "physical_package_id");
	int valid = 1;

	if (r) {
		ok(err[0] && has(err, pol) && r < 0,
		   "--targets %s on CPU %d: clear error: %s", pol, cpu, err);
		/* The error must be a true statement about this machine. */
		if (!strcmp(pol, "sibling") &&
		    !sysfs_list(cpu, "thread_siblings_list", &sib))
			ok(ctb_cpumask_weight(&sib) == 1,
			   "sysfs agrees CPU %d has no SMT sibling", cpu);
		if (!strcmp(pol, "all"))
			ok(ctb_topo_nr_pus(t) == 1, "'all' fails only with one CPU");
		return;
	}
	for (int c = 0; c < CACHETLB_MAX_CPUS; c++) {
		int dummy;

		if (!ctb_cpumask_test(&m, (unsigned int)c))
			continue;
		if (c == cpu || ctb_topo_pick_cpu(t, c, &dummy, err,
						  sizeof(err)))
			valid = 0;
		if (!strcmp(pol, "core") && my_core >= 0 &&
		    (sysfs_int(c, "core_id") == my_core ||
		     sysfs_int(c, "physical_package_id") != my_pkg))
			valid = 0;
		if (!strcmp(pol, "package") && my_pkg >= 0 &&
		    sysfs_int(c, "physical_package_id") == my_pkg)
			valid = 0;
	}
	ok(valid && ctb_cpumask_weight(&m) >= 1 && strcmp(list, "-"),
	   "--targets %s on CPU %d: %s (valid, not the measuring CPU, right distance)",
	   pol, cpu, list);
	if (!strcmp(pol, "sibling") &&
	    !sysfs_list(cpu, "thread_siblings_list", &sib))
		ok(ctb_cpumask_weight(&sib) == ctb_cpumask_weight(&m) + 1,
		   "sibling count matches sysfs thread_siblings_list");
	if (!strcmp(pol, "all"))
		ok(ctb_cpumask_weight(&m) == ctb_topo_nr_pus(t) - 1,
		   "'all' = every allowed CPU but the measuring one");
}

static void test_topology(void)
{
	struct ctb_topo t;
	struct ctb_cpumask m;
	struct ctb_spinners sp;
	char err[256], list[64], buf[128];
	int cpu = -1, n, before, during, r, now;

	if (ctb_topo_init(&t, err, sizeof(err))) {
		ok(0, "hwloc topology loads: %s", err);
		return;
	}
	ok(1, "hwloc topology loads");
	n = ctb_topo_nr_pus(&t);
	ok(n >= 1 && n == (int)sysconf(_SC_NPROCESSORS_ONLN),
	   "hwloc sees %d allowed PUs, sysconf says %ld", n,
	   sysconf(_SC_NPROCESSORS_ONLN));
	ctb_topo_summary(&t, buf, sizeof(buf));
	ok(has(buf, "package") && has(buf, "PU"), "summary: %s", buf);
	r = ctb_topo_pick_cpu(&t, -1, &cpu, err, sizeof(err));
	ok(r == 0 && cpu >= 0, "default measuring CPU picked: %d", cpu);
	ok(ctb_topo_pick_cpu(&t, 999, &cpu, err, sizeof(err)) == -EINVAL &&
	   has(err, "999"), "--cpu 999 rejected naming it (%s)", err);
	ctb_topo_pick_cpu(&t, -1, &cpu, err, sizeof(err));

	check_policy(&t, cpu, "sibling");
	check_policy(&t, cpu, "core");
	check_policy(&t, cpu, "package");
	check_policy(&t, cpu, "all");

	ok(ctb_topo_targets(&t, cpu, "nearby", &m, list, sizeof(list), err,
			    sizeof(err)) == -EINVAL && has(err, "nearby") &&
	   has(err, "sibling"), "unknown policy names the valid ones (%s)",
	   err);
	snprintf(buf, sizeof(buf), "%d", cpu);
	ok(ctb_topo_targets(&t, cpu, buf, &m, list, sizeof(list), err,
			    sizeof(err)) == -EINVAL && has(err, "measuring"),
	   "the measuring CPU as a target is refused (%s)", err);
	ok(ctb_topo_targets(&t, cpu, "1000", &m, list, sizeof(list), err,
			    sizeof(err)) == -EINVAL && has(err, "1000"),
	   "a CPU that does not exist is refused (%s)", err);
	if (n >= 2) {
		int other = cpu == 0 ? 1 : 0;

		snprintf(buf, sizeof(buf), "%d", other);
		ok(ctb_topo_targets(&t, cpu, buf, &m, list, sizeof(list), err,
				    sizeof(err)) == 0 &&
		   ctb_cpumask_weight(&m) == 1 &&
		   ctb_cpumask_test(&m, (unsigned int)other),
		   "explicit list %s accepted", buf);
	}

	r = ctb_topo_bind_self(&t, cpu, err, sizeof(err));
	now = sched_getcpu();
	ok(r == 0 && now == cpu, "bound to CPU %d, running on %d", cpu, now);

	if (n >= 2 && !ctb_topo_targets(&t, cpu, "all", &m, list,
					sizeof(list), err, sizeof(err))) {
		before = nr_tasks();
		r = ctb_spinners_start(&t, &m, &sp, err, sizeof(err));
		during = nr_tasks();
		ok(r == 0 && sp.n == ctb_cpumask_weight(&m) &&
		   during == before + sp.n,
		   "one spinner thread per target (%d threads, %d -> %d tasks)",
		   sp.n, before, during);
		usleep(20000);
		ctb_spinners_stop(&sp);
		/*
		 * pthread_join returns when the thread clears its tid, a
		 * little before the kernel removes it from /proc/self/task:
		 * allow that window (bounded, 2 s), not more.
		 */
		for (int i = 0; i < 200; i++) {
			during = nr_tasks();
			if (during == before)
				break;
			usleep(10000);
		}
		ok(during == before && sp.n == 0 && !sp.started,
		   "spinners stopped and joined (%d tasks)", during);
	} else {
		ok(1, "spinners # SKIP needs two CPUs");
	}
	ctb_topo_fini(&t);
}

int main(void)
{
	test_cpulist();
	test_topology();
	return tap_done();
}
