// SPDX-License-Identifier: GPL-2.0
/*
 * ctbench verify: the PMU cycle counter as a third clock (docs/verify.md
 * "PMU cycles").
 *
 * A RUN with CACHETLB_RUN_PMU_CYCLES gives, per sample, the ns of the
 * timed region and the core cycles a pinned CPU-wide perf counter on the
 * run CPU counted over the same region.  Per call, op minus its matched
 * control: cycles and ns.  Their ratio is the counter's rate as the op
 * sees it; the same ratio on a long `spin` chain (pure computation, well
 * above the noise floor) calibrates the counter's rate against our clock.
 * The op's rate agrees when it is within the tolerance of the calibration:
 * then the cycle counter sees the same op cost as our clock does.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dev.h"
#include "stats.h"
#include "verify.h"

/* The calibration chain grows from here until its net is far above the floor. */
#define PMU_CAL_COUNT0		4096u
#define PMU_CAL_FLOORS		20.0

/* --- pure (unit tested) ------------------------------------------------- */

const char *ctb_verify_pmu_why(uint64_t err)
{
	switch (err) {
	case ENOENT:
		return "no PMU driver of this kernel offers the CPU-cycles event on this CPU";
	case ENODEV:
		return "the PMU driver does not count CPU cycles on this CPU";
	case EOPNOTSUPP:
		return "the PMU cannot count CPU cycles in a pinned CPU-wide counter here (or the module was built without perf events)";
	case EINVAL:
		return "the PMU driver rejected the CPU-cycles event";
	case EBUSY:
		return "the cycle counter is taken (e.g. by the NMI watchdog) or did not count for the whole RUN";
	case EACCES:
	case EPERM:
		return "the kernel refused the counter";
	default:
		return "the kernel could not create the counter";
	}
}

const char *ctb_verify_pmu_verdict(double rate, double cal, double tol)
{
	double r;

	if (!(rate > 0) || !(cal > 0) || !(tol >= 0) || isinf(rate) ||
	    isinf(cal))
		return "below-floor";
	r = rate / cal;
	return r >= 1.0 / (1.0 + tol) && r <= 1.0 + tol ? "agree" : "disagree";
}

/* --- runs ------------------------------------------------------------------- */

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double ctb_verify_floor(double *ctl, size_t n, uint64_t res)
{
	double f;

	qsort(ctl, n, sizeof(*ctl), cmp_d);
	f = ctl[(n * 9) / 10 < n ? (n * 9) / 10 : n - 1] - ctl[n / 10];
	return f < (double)res ? (double)res : f;
}

void ctb_verify_run_init(struct cachetlb_run *run,
			 const struct cachetlb_op_desc *desc, uint32_t opi,
			 uint32_t count, uint32_t cpu, uint32_t samples,
			 struct cachetlb_sample *op, struct cachetlb_sample *base)
{
	memset(run, 0, sizeof(*run));
	run->op = opi;
	run->cpu = cpu;
	run->iterations = 1;
	run->samples = samples;
	run->warmup = 2;
	run->count = (desc->uses & CACHETLB_USES_COUNT) ? count : 0;
	run->samples_ptr = (uint64_t)(uintptr_t)op;
	run->baseline_ptr = (uint64_t)(uintptr_t)base;
}

size_t ctb_verify_pmu_rate(const double *cyc, const double *ns, size_t n,
			   double floor, double *r, double q[3])
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (ns[i] > floor && isfinite(cyc[i]) && isfinite(ns[i]))
			r[k++] = cyc[i] / ns[i];
	if (!k) {
		q[0] = q[1] = q[2] = NAN;
		return 0;
	}
	qsort(r, k, sizeof(*r), cmp_d);
	q[0] = r[(k - 1) / 4];
	q[1] = ctb_median_sorted(r, k);
	q[2] = r[k - 1 - (k - 1) / 4];
	return k;
}

static void pmu_stats(const struct cachetlb_sample *op,
		      const struct cachetlb_sample *base, size_t n,
		      double *cyc, double *ns, double *ctl,
		      struct ctb_verify_pmu *out, uint64_t res)
{
	double q[3];
	size_t i;

	for (i = 0; i < n; i++) {
		cyc[i] = (double)op[i].cycles - (double)base[i].cycles;
		ns[i] = (double)op[i].ns - (double)base[i].ns;
		ctl[i] = (double)base[i].ns;
	}
	out->cyc = ctb_median_of_copy(cyc, n);
	out->ns = ctb_median_of_copy(ns, n);
	out->floor = ctb_verify_floor(ctl, n, res);
	/*
	 * Per sample, cycles over ns of the same sample, then the median:
	 * not the sums (one sample whose ns grew without its cycles, e.g. the
	 * vCPU stopped inside the region, dominates them: arm64 6.1 TCG read
	 * 0.778 cycles/ns by sums with medians of 5059 cycles over 5056 ns),
	 * nor median cycles over median ns (under TCG's two cost levels the
	 * two medians can come from different samples).  ctl is sorted by
	 * now and no longer needed: it holds the rates.
	 */
	out->n = n;
	out->nrate = ctb_verify_pmu_rate(cyc, ns, n, out->floor, ctl, q);
	out->rate_lo = q[0];
	out->rate_hi = q[2];
	out->rate = 2 * out->nrate > n ? q[1] : NAN;
}

int ctb_verify_pmu_run(struct ctb_dev *d, uint32_t opi, uint32_t count,
		       uint32_t cpu, uint32_t samples,
		       struct ctb_verify_pmu *out, char *err, size_t len)
{
	const struct cachetlb_op_desc *desc = &d->ops[opi];
	struct cachetlb_sample *op, *base;
	struct cachetlb_run run;
	double *cyc, *ns, *ctl;
	size_t n;
	int ret;

	op = calloc(samples, sizeof(*op));
	base = calloc(samples, sizeof(*base));
	cyc = calloc(samples, sizeof(*cyc));
	ns = calloc(samples, sizeof(*ns));
	ctl = calloc(samples, sizeof(*ctl));
	ret = op && base && cyc && ns && ctl ? 0 : -ENOMEM;
	if (ret) {
		snprintf(err, len, "out of memory");
		goto out;
	}
	ctb_verify_run_init(&run, desc, opi, count, cpu, samples, op, base);
	run.flags = CACHETLB_RUN_PMU_CYCLES;
	ret = ctb_dev_run(d->fd, &run, desc, err, len);
	if (ret == -EOPNOTSUPP && run.hdr.error == CACHETLB_ERR_PMU) {
		snprintf(err, len, "%s (RUN %s on CPU %u: errno %llu, %s)",
			 ctb_verify_pmu_why(run.op_result), desc->name, cpu,
			 (unsigned long long)run.op_result,
			 strerror((int)run.op_result));
		ret = -ENODEV;
		goto out;
	}
	if (ret == -EINVAL && run.hdr.error == CACHETLB_ERR_FLAGS) {
		snprintf(err, len, "the loaded module does not know CACHETLB_RUN_PMU_CYCLES (older module)");
		ret = -ENODEV;
		goto out;
	}
	n = run.samples_done < run.baseline_done ? run.samples_done :
		run.baseline_done;
	if (!ret && (n < 5 || run.counter != CACHETLB_CTR_PMU_CYCLES)) {
		snprintf(err, len, "PMU RUN %s: %zu samples, counter %u", desc->name,
			 n, run.counter);
		ret = -EIO;
	}
	if (!ret)
		pmu_stats(op, base, n, cyc, ns, ctl, out,
			  d->info.clock_resolution_ns);
out:
	free(op);
	free(base);
	free(cyc);
	free(ns);
	free(ctl);
	return ret;
}

int ctb_verify_pmu_calibrate(struct ctb_dev *d, uint32_t cpu,
			     uint32_t samples, struct ctb_verify_pmu *out,
			     uint32_t *count, char *err, size_t len)
{
	int spin = ctb_dev_find_op(d, "spin");
	uint32_t n;
	int ret;

	if (spin < 0) {
		snprintf(err, len, "the module has no spin op to calibrate against");
		return -ENOENT;
	}
	for (n = PMU_CAL_COUNT0; ; n *= 4) {
		if (n > d->ops[spin].count_max)
			n = d->ops[spin].count_max;
		ret = ctb_verify_pmu_run(d, (uint32_t)spin, n, cpu, samples,
					 out, err, len);
		*count = n;
		if (ret || out->ns > PMU_CAL_FLOORS * out->floor ||
		    n >= d->ops[spin].count_max)
			break;
	}
	if (!ret && !(out->rate > 0)) {
		snprintf(err, len, "spin %u: %.0f cycles over %.0f ns (floor %.0f ns), %zu of %zu samples above the floor: no rate",
			 n, out->cyc, out->ns, out->floor, out->nrate, out->n);
		ret = -ERANGE;
	}
	return ret;
}

double ctb_verify_pmu_setup(struct ctb_dev *d, uint32_t cpu, uint32_t samples,
			    double tol)
{
	struct ctb_verify_pmu cal;
	char err[CTB_ERRLEN];
	uint32_t n = 0;
	int ret;

	ret = ctb_verify_pmu_calibrate(d, cpu, samples, &cal, &n, err,
				       sizeof(err));
	if (ret == -ENODEV)
		printf("# PMU cycles: no PMU cycle counter: %s\n", err);
	else if (ret)
		printf("# PMU cycles: no calibration, check not done: %s\n", err);
	else
		printf("# PMU cycles: pinned CPU-cycles counter on CPU %u; calibration spin %u: median %.0f cycles, %.0f ns per call (floor %.0f ns); per sample %.3f cycles/ns (median; quartiles %.3f..%.3f, %zu of %zu samples); agree: an op's cycles/ns within a factor %.2f..%.2f of it\n",
		       cpu, n, cal.cyc, cal.ns, cal.floor, cal.rate,
		       cal.rate_lo, cal.rate_hi, cal.nrate, cal.n,
		       1.0 / (1.0 + tol), 1.0 + tol);
	fflush(stdout);
	return ret ? NAN : cal.rate;
}
