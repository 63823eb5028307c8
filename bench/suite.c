// SPDX-License-Identifier: GPL-2.0
/*
 * The quick and full suites: tables of run specifications.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "pmu.h"
#include "stats.h"
#include "suite.h"
#include "run.h"

/* ----------------------------------------------------------------------
 * Suites
 */

struct suite_item {
	int family;
	const char *op;			/* NULL: every op of the family */
	const char *counts;		/* NULL: op default */
	const char *states;		/* NULL: any */
	const char *opflags;		/* NULL: none */
	const char *targets;		/* NULL: none / "all" for target ops */
	uint32_t aux;
	int busy;
	const char *auxes;		/* aux sweep (list) instead of aux */
};

static const struct suite_item quick_items[] = {
	{ CACHETLB_FAM_CORE, "nop", NULL, NULL, NULL, NULL, 0, 0, NULL },
	{ CACHETLB_FAM_CORE, "spin", "1,64,1024", NULL, NULL, NULL, 0, 0, NULL },
	/* issue 24: a real highmem mapping and its lowmem control */
	{ CACHETLB_FAM_CORE, "kmap_local_high", "1,16", NULL, NULL, NULL, 0, 0,
	  NULL },
	{ CACHETLB_FAM_CORE, "kmap_local_low", "1,16", NULL, NULL, NULL, 0, 0,
	  NULL },
	{ CACHETLB_FAM_UACCESS, NULL, NULL, NULL, NULL, NULL, 256, 0, NULL },
	{ CACHETLB_FAM_UACCESS, "uaccess_copy", NULL, NULL, "span", NULL,
	  256, 0, NULL },
	{ CACHETLB_FAM_UACCESS, "uaccess_vmap", NULL, NULL, "span", NULL,
	  256, 0, NULL },
	{ CACHETLB_FAM_UACCESS, "uaccess_setup", NULL, NULL, "span", NULL,
	  256, 0, NULL },
	{ CACHETLB_FAM_CACHE, NULL, "1,16,64,256", "clean,dirty", NULL, NULL,
	  0, 0, NULL },
	{ CACHETLB_FAM_CACHE, "flush_dcache_page", "16", "dirty", "double",
	  NULL, 0, 0, NULL },
	{ CACHETLB_FAM_CACHE, "flush_kernel_vmap_range", "16", "dirty",
	  "double", NULL, 0, 0, NULL },
	{ CACHETLB_FAM_TLB, "flush_tlb_all", NULL, NULL, NULL, NULL, 0, 0, NULL },
	{ CACHETLB_FAM_TLB, "flush_tlb_kernel_range",
	  "1,4,16,32,33,34,64,65,256,512,513,2048", NULL, NULL, NULL, 0, 0, NULL },
	{ CACHETLB_FAM_TLB, "ipi_flush_range",
	  "1,4,16,32,33,34,64,65,256,512,513,2048", NULL, NULL, "all", 0, 0, NULL },
	/* kernel paths (issue 26): op and matched control, the same N, with
	 * points on both sides of 33 (x86), 64 (riscv) and 512 (arm64) */
	{ CACHETLB_FAM_TLB, "kpath_purge", "2,16,32,33,34,64,65,128,512,513,2048",
	  NULL, NULL, NULL, 0, 0, NULL },
	{ CACHETLB_FAM_TLB, "kpath_purge_ctl",
	  "2,16,32,33,34,64,65,128,512,513,2048", NULL, NULL, NULL, 0, 0, NULL },
	{ CACHETLB_FAM_TLB, "kpath_set_pages_wb", "1,16,32,33,34,64,65,128,512,1024",
	  NULL, NULL, NULL, 0, 0, NULL },
	{ CACHETLB_FAM_TLB, "kpath_set_pages_wb_ctl",
	  "1,16,32,33,34,64,65,128,512,1024", NULL, NULL, NULL, 0, 0, NULL },
	{ CACHETLB_FAM_TLB, "*", "1,16", NULL, NULL, "all", 16, 0, NULL },
};

static const struct suite_item full_items[] = {
	{ CACHETLB_FAM_CORE, "nop", NULL, NULL, NULL, NULL, 0, 0, NULL },
	{ CACHETLB_FAM_CORE, "spin", "1,16,256,4096,65536", NULL, NULL, NULL,
	  0, 0, NULL },
	{ CACHETLB_FAM_UACCESS, NULL, NULL, NULL, NULL, NULL, 256, 0, NULL },
	{ CACHETLB_FAM_UACCESS, NULL, NULL, NULL, "span", NULL, 256, 0, NULL },
	{ CACHETLB_FAM_UACCESS, NULL, NULL, NULL, "cold", NULL, 256, 0, NULL },
	{ CACHETLB_FAM_UACCESS, NULL, NULL, NULL, NULL, NULL, 16, 0, NULL },
	{ CACHETLB_FAM_UACCESS, NULL, NULL, NULL, NULL, NULL, 4096, 0, NULL },
	{ CACHETLB_FAM_CACHE, NULL, "1,2,4,16,64,256,1024",
	  "clean,dirty,uncached", NULL, NULL, 0, 0, NULL },
	{ CACHETLB_FAM_CACHE, NULL, "1,16,256,1024", "clean,dirty", "vmap",
	  NULL, 0, 0, NULL },
	{ CACHETLB_FAM_CACHE, NULL, "1,16,256,1024", "dirty", "double", NULL,
	  0, 0, NULL },
	/* matched: the global flush after touching as many pages as N
	 * (aux 16, the default, is the plain global row) */
	{ CACHETLB_FAM_TLB, "flush_tlb_all", NULL, NULL, NULL, NULL, 0, 0,
	  "1..2048,31,33,34,63,65,511,513" },
	{ CACHETLB_FAM_TLB, "flush_tlb_kernel_range",
	  "1..2048,31,32,33,34,63,64,65,511,512,513", NULL, NULL, NULL, 0,
	  0, NULL },
	{ CACHETLB_FAM_TLB, "ipi_flush_range",
	  "1..2048,31,32,33,34,63,64,65,511,512,513", NULL, NULL, "all", 0,
	  0, NULL },
	{ CACHETLB_FAM_TLB, "*", "1,2,16,64,512", NULL, NULL, "all", 64, 0, NULL },
	{ CACHETLB_FAM_TLB, "*", "1,64", NULL, NULL, "sibling", 64, 0, NULL },
	{ CACHETLB_FAM_TLB, "*", "1,64", NULL, NULL, "core", 64, 0, NULL },
	{ CACHETLB_FAM_TLB, "*", "1,64", NULL, NULL, "package", 64, 0, NULL },
	{ CACHETLB_FAM_TLB, "*", "1,64", NULL, NULL, "all", 64, 1, NULL },
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Is op i already covered explicitly by another item of the table? */
static int explicitly_listed(const struct suite_item *items, size_t n,
			     const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (items[i].op && !strcmp(items[i].op, name))
			return 1;
	return 0;
}

/* Does item it of the table all[nall] sweep op d (given its opflags)? */
static int item_covers(const struct suite_item *it,
		       const struct suite_item *all, size_t nall,
		       const struct cachetlb_op_desc *d,
		       const struct ctb_runspec *rs)
{
	if ((int)d->family != it->family)
		return 0;
	if (it->op && strcmp(it->op, "*") && strcmp(it->op, d->name))
		return 0;
	/* "*" = remaining ops of the family not listed by name;
	 * with targets only ops that use them, without only others */
	if (it->op && !strcmp(it->op, "*")) {
		if (explicitly_listed(all, nall, d->name))
			return 0;
		if (it->targets && strcmp(it->targets, "all") &&
		    !(d->uses & CACHETLB_USES_TARGETS))
			return 0;
	}
	if (!it->op && explicitly_listed(all, nall, d->name) &&
	    !it->opflags && !it->counts && it->family != CACHETLB_FAM_UACCESS)
		return 0;
	if (it->opflags && rs->opflags && !(d->uses & CACHETLB_USES_OPFLAGS))
		return 0;
	if (rs->span && !(d->uses & CACHETLB_USES_USER_BUF))
		return 0;
	if (it->busy && !(d->uses & CACHETLB_USES_TARGETS))
		return 0;
	return 1;
}

/* An unsupported op is listed once: at the first item covering it. */
static void item_unsupported(struct ctb_session *s,
			     const struct suite_item *it,
			     const struct suite_item *all,
			     const struct cachetlb_op_desc *d)
{
	for (size_t k = 0; k < (size_t)(it - all); k++)
		if (all[k].family == it->family &&
		    (!all[k].op || !strcmp(all[k].op, "*") ||
		     !strcmp(all[k].op, d->name)))
			return;
	fprintf(s->out, "  %-26s unsupported: %s\n", d->name,
		d->reason[0] ? d->reason : "(no reason given)");
	s->unsupported++;
}

/*
 * The run spec of item it for op d: the item's counts within the op's
 * range (its minimum when none is), its targets, and only the
 * parameters the op takes.
 */
static void item_spec(const struct suite_item *it,
		      const struct cachetlb_op_desc *d,
		      const struct ctb_runspec *rs, struct ctb_runspec *one)
{
	uint32_t lo = d->count_min ? d->count_min : 1;
	uint32_t hi = d->count_max ? d->count_max : lo;
	uint32_t c[CTB_MAX_LIST];
	char err[CTB_ERRLEN];
	size_t n = 0;

	*one = *rs;
	one->ncounts = 0;
	if (d->uses & CACHETLB_USES_COUNT) {
		if (it->counts &&
		    !ctb_parse_u32_list(it->counts, "counts", 0, UINT32_MAX, c,
					CTB_MAX_LIST, &n, err, sizeof(err)))
			for (size_t k = 0; k < n; k++)
				if (c[k] >= lo && c[k] <= hi)
					one->counts[one->ncounts++] = c[k];
		if (!one->ncounts)
			one->counts[one->ncounts++] = lo;
	}
	one->targets[0] = '\0';
	one->busy_targets = 0;
	if (d->uses & CACHETLB_USES_TARGETS) {
		snprintf(one->targets, sizeof(one->targets), "%s",
			 it->targets ? it->targets : "all");
		one->busy_targets = it->busy;
	}
	snprintf(one->op, sizeof(one->op), "%s", d->name);
	one->family = -1;
	if (!(d->uses & CACHETLB_USES_AUX))
		one->aux = 0;
	if (!(d->uses & CACHETLB_USES_STATE))
		one->nstates = 0;
	if (!(d->uses & CACHETLB_USES_OPFLAGS))
		one->opflags = 0;
}

/* Run op opi with spec one, once per aux of the item's aux sweep. */
static int item_run_op(struct ctb_session *s, const struct suite_item *it,
		       uint32_t opi, struct ctb_runspec *one)
{
	uint32_t a[CTB_MAX_LIST];
	char err[CTB_ERRLEN];
	size_t na = 0;
	int ret = 0;

	if (!it->auxes || !(s->dev.ops[opi].uses & CACHETLB_USES_AUX))
		return ctb_run_op_spec(s, opi, one, 0, NULL);
	if (ctb_parse_u32_list(it->auxes, "aux", 1, UINT32_MAX, a,
			       CTB_MAX_LIST, &na, err, sizeof(err)))
		return 0;
	for (size_t k = 0; k < na && !ctb_interrupted(); k++) {
		int r2;

		one->aux = a[k];
		r2 = ctb_run_op_spec(s, opi, one, 0, NULL);
		if (r2 > ret)
			ret = r2;
		if (r2 == CTB_EXIT_UNSUPPORTED)
			break;
	}
	return ret;
}

static int suite_item_run(struct ctb_session *s, const struct suite_item *it,
			  const struct suite_item *all, size_t nall,
			  uint32_t samples, uint32_t warmup)
{
	struct ctb_runspec rs, one;
	char err[CTB_ERRLEN];
	int worst = 0;

	ctb_runspec_init(&rs);
	rs.samples = samples;
	rs.warmup = warmup;
	rs.aux = it->aux;
	if (it->states &&
	    ctb_parse_states(it->states, rs.states, &rs.nstates, err,
			     sizeof(err)))
		return CTB_EXIT_FAIL;
	if (it->opflags &&
	    ctb_parse_opflags(it->opflags, &rs.opflags, &rs.span, err,
			      sizeof(err)))
		return CTB_EXIT_FAIL;
	for (uint32_t i = 0; i < s->dev.nops && !ctb_interrupted(); i++) {
		const struct cachetlb_op_desc *d = &s->dev.ops[i];
		int ret;

		if (!item_covers(it, all, nall, d, &rs))
			continue;
		if (!d->supported) {
			item_unsupported(s, it, all, d);
			continue;
		}
		item_spec(it, d, &rs, &one);
		ret = item_run_op(s, it, i, &one);
		if (ret == CTB_EXIT_UNSUPPORTED)
			ret = 0;
		if (ret > worst)
			worst = ret;
	}
	return worst;
}

int ctb_check_out_dir(const char *dir, char *err, size_t len)
{
	char parent[4096];
	struct stat st;
	const char *slash;

	if (!dir || !dir[0]) {
		snprintf(err, len, "-o: empty directory name");
		return -EINVAL;
	}
	if (!stat(dir, &st)) {
		if (!S_ISDIR(st.st_mode)) {
			snprintf(err, len,
				 "-o %s: exists and is not a directory; give a directory for the result set",
				 dir);
			return -ENOTDIR;
		}
		if (access(dir, W_OK | X_OK)) {
			snprintf(err, len,
				 "-o %s: not writable (%s); give a directory you can write to",
				 dir, strerror(errno));
			return -EACCES;
		}
		return 0;
	}
	if (errno != ENOENT) {
		int e = errno;

		snprintf(err, len, "-o %s: %s%s", dir, strerror(e),
			 e == ENOTDIR ?
			 " (a component of the path is a file); give a directory path" :
			 "; give a directory you can write to");
		return -e;
	}
	/* created at write time, one level: the parent must be writable */
	snprintf(parent, sizeof(parent), "%s", dir);
	while (strlen(parent) > 1 && parent[strlen(parent) - 1] == '/')
		parent[strlen(parent) - 1] = '\0';
	slash = strrchr(parent, '/');
	if (!slash)
		snprintf(parent, sizeof(parent), ".");
	else if (slash == parent)
		parent[1] = '\0';
	else
		parent[slash - parent] = '\0';
	if (stat(parent, &st) || !S_ISDIR(st.st_mode) ||
	    access(parent, W_OK | X_OK)) {
		snprintf(err, len,
			 "-o %s: does not exist and cannot be created in %s (only one level is created); create it first",
			 dir, parent);
		return -ENOENT;
	}
	return 0;
}

/* The session has a row of family fam. */
static int row_of_family(const struct ctb_session *s, int fam)
{
	const char *name = ctb_family_name((uint32_t)fam);

	for (size_t i = 0; i < s->nrows; i++)
		if (name && !strcmp(s->rows[i].family, name))
			return 1;
	return 0;
}

/* A suite: its table, samples and warm-up (also for ctb_progress_plan()) */
struct suite_args {
	const struct suite_item *items;
	size_t n;
	uint32_t samples, warmup;
};

static int plan_suite(struct ctb_session *s, void *arg)
{
	struct suite_args *a = arg;

	for (size_t i = 0; i < a->n; i++)
		suite_item_run(s, &a->items[i], a->items, a->n, a->samples,
			       a->warmup);
	return 0;
}

/* The table, samples and warm-up of suite @which; -1 when unknown. */
static int suite_pick(const char *which, struct suite_args *a)
{
	if (!strcmp(which, "quick")) {
		a->items = quick_items;
		a->n = sizeof(quick_items) / sizeof(quick_items[0]);
		a->samples = CTB_QUICK_SAMPLES;
		a->warmup = 2;
	} else if (!strcmp(which, "full")) {
		a->items = full_items;
		a->n = sizeof(full_items) / sizeof(full_items[0]);
		a->samples = 31;
		a->warmup = 5;
	} else {
		return -1;
	}
	return 0;
}

/*
 * One round: every family in turn (drift spreads over all rows), each
 * analysed after the last round.  Returns the worst exit status.
 */
static int suite_round(struct ctb_session *s, void *arg)
{
	const struct suite_args *a = arg;
	int worst = 0;

	for (int fam = 0; fam < CACHETLB_FAM_MAX; fam++) {
		fprintf(s->out, "\n== %s ==\n", ctb_family_name((uint32_t)fam));
		s->header_pending = 1;
		for (size_t i = 0; i < a->n && !ctb_interrupted(); i++) {
			int ret;

			if (a->items[i].family != fam)
				continue;
			ret = suite_item_run(s, &a->items[i], a->items, a->n,
					     a->samples, a->warmup);
			if (ret > worst && ret != CTB_EXIT_USAGE)
				worst = ret;
		}
		/* rows of the last round are complete: analyse */
		if (s->round + 1 >= s->rounds && fam != CACHETLB_FAM_CORE &&
		    row_of_family(s, fam)) {
			fprintf(s->out, "-- %s analysis --\n",
				ctb_family_name((uint32_t)fam));
			ctb_session_analyse(s, s->out, fam);
		}
	}
	return worst;
}

int ctb_suite_run(struct ctb_session *s, const char *which)
{
	struct suite_args a;
	double t0 = now_ms();
	int worst;

	if (suite_pick(which, &a)) {
		fprintf(stderr, "ctbench: suite '%s': unknown (valid: quick, full)\n",
			which);
		return CTB_EXIT_USAGE;
	}
	if (!s->rounds)
		s->rounds = CTB_DEFAULT_ROUNDS;
	fprintf(s->out, "suite %s: %s, %s\n", which,
		s->emulated ? "EMULATED (QEMU TCG): timings are emulation, not hardware" :
		"native", s->emulation_reason);
	fprintf(s->out, "%u rounds of %u samples (+%u warm-up) per row, rounds interleaved across the ops\n",
		s->rounds, a.samples, a.warmup);
	if (ctb_progress_wanted())
		ctb_progress_plan(s, plan_suite, &a);
	worst = ctb_session_rounds(s, suite_round, NULL, &a);
	if (ctb_interrupted()) {
		fprintf(s->out, "\nsuite %s: interrupted by signal %d in round %u of %u\n",
			which, ctb_interrupted(), s->round, s->rounds);
		if (worst < CTB_EXIT_FAIL)
			worst = CTB_EXIT_FAIL;
	}
	fprintf(s->out, "\nsuite %s: %zu rows, %u rounds, %d unsupported, %d skipped, %d failed, %d verification failures, %.1f s\n",
		which, s->nrows, s->rounds, s->unsupported, s->skipped,
		s->failures, s->verify_failures, (now_ms() - t0) / 1000.0);
	return worst;
}
