// SPDX-License-Identifier: GPL-2.0
/*
 * engine.c - the one timing loop every op runs through.
 *
 * A RUN is: validate every field, pin the calling task to the requested CPU
 * (set_cpus_allowed_ptr(), so uaccess ops keep the caller's mm and signals
 * still reach it), prepare, a short probe that rejects requests whose one
 * sample would exceed the per-sample cap, warm-up samples (discarded), then
 * the recorded samples.  Between samples: cond_resched(), a signal check
 * (-EINTR with the samples so far) and the RUN time limit
 * (CACHETLB_OUT_TRUNCATED).  teardown always follows a successful prepare,
 * and the caller's CPU mask is restored on every path.
 *
 * Matched control.  Each op sample is followed by a control sample that
 * differs from it only in the call: the same preparation (op->pre_sample,
 * untimed), the same iteration count, through the same indirect call, into
 * an empty callback, with the same code and data accesses before the timed
 * region (both callbacks are read from the engine's own frame, see struct
 * ctb_engine).  Userspace subtracts it, so the loop and call
 * overhead, the timer pair and the after-effects of the preparation (dirty
 * lines being written back, TLB refills, cold ring lines) land on both
 * series alike, and the net is the cost of the call alone.  Ops meant to be
 * compared with each other take the same preparation from the same RUN
 * fields (e.g. flush_tlb_all with aux = N and flush_tlb_kernel_range with
 * count = N touch the same N pages).
 *
 * Iteration independence.  An op with a pre_sample has
 * CACHETLB_PROP_ONE_CALL (ctb_op_props() derives it, so the reported
 * property cannot disagree with the table): its preparation holds for one
 * call only, so the engine prepares and times every call on its own and
 * interleaves op and control per call (pre, op call, post_sample, pre,
 * empty call, the order alternating from sample to sample and call to
 * call).  A sample of `iterations` calls is the sum of `iterations`
 * single-call times, and every op call has the same code before and after
 * it whatever the iteration count, so the cost per call is the same at 1,
 * 4 or 64 iterations; more iterations only average the clock step down.
 * Each such sample starts with one discarded op call and one discarded
 * control (each after its pre_sample), so the first timed call also has an
 * op call and a control before it, not the engine's bookkeeping between
 * samples: without them x86_64 6.1 under TCG read local_invlpg at
 * 1840/620/334 ns per call for 1/4/64 iterations (a first-call cost of
 * ~1.6 us per sample), with them 170/160/220 ns.
 * Ops without a pre_sample time `iterations` back-to-back calls between one
 * timer pair, post_sample after them, then the control the same way.
 *
 * A timed region reads ktime_get_ns() and the arch counter around the
 * call(s) of op->run().  Ops without CACHETLB_PROP_SLEEPS run with
 * preemption disabled (or IRQs off with CACHETLB_RUN_IRQS_OFF); ops that
 * use a user buffer run inside pagefault_disable() so a fault returns
 * -EFAULT instead of sleeping.  The time limit is passed in by the caller
 * (ctb_engine_run()'s @max_ms, the module parameter), so the engine does
 * not call back into main.c for it.
 *
 * PMU cycles (CACHETLB_RUN_PMU_CYCLES).  The engine creates a pinned
 * CPU-wide kernel counter of PERF_COUNT_HW_CPU_CYCLES on the run CPU
 * before prepare, reads it in place of the arch counter around every timed
 * region, checks after the samples that it counted for the whole RUN, and
 * releases it on every path.  perf_event_read_local() is not exported to
 * modules (6.1, 6.12), so ctb_pmu_read() does its one step that matters
 * here itself: with IRQs off, on the counter's own CPU, ask the PMU driver
 * to fold the hardware count into event->count and read that.  A counter
 * that is not on this CPU (error state) is not read and stops counting,
 * which ctb_pmu_check() catches through perf_event_read_value()'s enabled
 * and running times.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compiler.h>
#include <linux/cpumask.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/perf_event.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "cachetlb.h"

/* Longest single sample with preemption or IRQs off. */
#define CTB_ATOMIC_SAMPLE_CAP_NS	(1000ULL * NSEC_PER_MSEC)
/* Iterations timed by each probe call, and probe calls (min is used). */
#define CTB_PROBE_ITERATIONS		4U
#define CTB_PROBE_CALLS			2U
/* Attempts to get back onto the requested CPU before giving up. */
#define CTB_MIGRATE_RETRIES		3U

typedef int (*ctb_run_fn)(struct ctb_ctx *ctx);

struct ctb_engine {
	struct cachetlb_run *run;
	const struct ctb_op *op;
	struct ctb_ctx ctx;
	u32 cpu;
	bool atomic;		/* preemption off around each sample */
	bool irqs_off;		/* IRQs off around each sample */
	bool nofault;		/* pagefault_disable() around each sample */
	bool one_call;		/* CACHETLB_PROP_ONE_CALL: prepare every call */
	bool ctl_first;		/* ONE_CALL: the next sample times its control first */
	struct perf_event *pmu;	/* RUN_PMU_CYCLES: the cycle counter, else NULL */
	u64 deadline;		/* ktime_get_ns() end of the RUN time limit */
	/*
	 * The timed callbacks, [CTB_OP] the op's run and [CTB_CTL] the empty
	 * control, both read from here (the engine's stack frame) just before
	 * their timed call.  Reading the op's from the op table instead gave
	 * the op a data access the control did not have, next to its timed
	 * region: on mips64el TCG (a TLB entry maps a pair of pages) op and
	 * control of the same code then read 500-700 ns apart, op cheaper.
	 */
	ctb_run_fn fn[2];
};

enum { CTB_OP, CTB_CTL };

/*
 * The op's properties as LIST_OPS reports them: the table's bits plus the
 * ones that follow from the table's callbacks, so they cannot disagree.
 */
u32 ctb_op_props(const struct ctb_op *op)
{
	u32 props = op->props;

	if (op->pre_sample)
		props |= CACHETLB_PROP_ONE_CALL;
	if (ctb_op_symbols(op)[0])
		props |= CACHETLB_PROP_NEEDS_SYMS;
	return props;
}

/*
 * The baseline: same call path as an op, nothing inside.  nop and
 * prep_empty call it too (cachetlb.h), so that op and control are the same
 * code.
 */
int ctb_empty_run(struct ctb_ctx *ctx)
{
	return 0;
}

static int ctb_bad(struct cachetlb_run *run, u32 err, int errno_val)
{
	run->hdr.error = err;
	return errno_val;
}

/* Zero, or an online CPU < nr_cpu_ids, for every set bit of the mask. */
static bool ctb_targets_valid(const struct cachetlb_run *run, bool uses)
{
	unsigned int w, b, cpu;
	u64 word;

	for (w = 0; w < CACHETLB_MASK_WORDS; w++) {
		word = run->targets[w];
		if (!word)
			continue;
		if (!uses)
			return false;
		for (b = 0; b < 64; b++) {
			if (!(word & (1ULL << b)))
				continue;
			cpu = w * 64 + b;
			if (cpu >= nr_cpu_ids || !cpu_online(cpu))
				return false;
		}
	}
	return true;
}

static int ctb_validate(struct cachetlb_run *run, const struct ctb_op *op,
			u32 max_ms)
{
	u32 uses = op->uses;
	size_t len;

	if (run->cpu != CACHETLB_CPU_ANY &&
	    (run->cpu >= nr_cpu_ids || !cpu_online(run->cpu)))
		return ctb_bad(run, CACHETLB_ERR_CPU, -EINVAL);
	if (!run->iterations)
		return ctb_bad(run, CACHETLB_ERR_ITERATIONS, -EINVAL);
	if (run->iterations > CACHETLB_MAX_ITERATIONS)
		return ctb_bad(run, CACHETLB_ERR_ITERATIONS, -E2BIG);
	if (!run->samples)
		return ctb_bad(run, CACHETLB_ERR_SAMPLES, -EINVAL);
	if (run->samples > CACHETLB_MAX_SAMPLES)
		return ctb_bad(run, CACHETLB_ERR_SAMPLES, -E2BIG);
	if (run->warmup > CACHETLB_MAX_WARMUP)
		return ctb_bad(run, CACHETLB_ERR_WARMUP, -E2BIG);
	if (run->flags & ~CACHETLB_RUN_FLAGS_ALL)
		return ctb_bad(run, CACHETLB_ERR_FLAGS, -EINVAL);
	/* An op that may sleep cannot run with IRQs off. */
	if ((run->flags & CACHETLB_RUN_IRQS_OFF) &&
	    (op->props & CACHETLB_PROP_SLEEPS))
		return ctb_bad(run, CACHETLB_ERR_FLAGS, -EINVAL);
	if (run->opflags & ~op->opflags ||
	    (run->opflags && !(uses & CACHETLB_USES_OPFLAGS)))
		return ctb_bad(run, CACHETLB_ERR_OPFLAGS, -EINVAL);
	if (run->state >= CACHETLB_STATE_MAX ||
	    (run->state && !(uses & CACHETLB_USES_STATE)))
		return ctb_bad(run, CACHETLB_ERR_STATE, -EINVAL);
	if (uses & CACHETLB_USES_COUNT) {
		if (run->count > op->count_max)
			return ctb_bad(run, CACHETLB_ERR_COUNT, -E2BIG);
		if (!run->count || run->count < op->count_min)
			return ctb_bad(run, CACHETLB_ERR_COUNT, -EINVAL);
	} else if (run->count) {
		return ctb_bad(run, CACHETLB_ERR_COUNT, -EINVAL);
	}
	if (run->aux && !(uses & CACHETLB_USES_AUX))
		return ctb_bad(run, CACHETLB_ERR_AUX, -EINVAL);
	if (run->stride && !(uses & CACHETLB_USES_STRIDE))
		return ctb_bad(run, CACHETLB_ERR_STRIDE, -EINVAL);
	if ((run->user_addr || run->user_len) &&
	    !(uses & CACHETLB_USES_USER_BUF))
		return ctb_bad(run, CACHETLB_ERR_BUFFER, -EINVAL);
	if (!ctb_targets_valid(run, uses & CACHETLB_USES_TARGETS))
		return ctb_bad(run, CACHETLB_ERR_TARGETS, -EINVAL);
	if (run->time_limit_ms > max_ms)
		return ctb_bad(run, CACHETLB_ERR_TIME_LIMIT, -EINVAL);

	len = (size_t)run->samples * sizeof(struct cachetlb_sample);
	if (!run->samples_ptr)
		return ctb_bad(run, CACHETLB_ERR_SAMPLE_BUF, -EINVAL);
	if (!access_ok(u64_to_user_ptr(run->samples_ptr), len))
		return -EFAULT;
	if (!(run->flags & CACHETLB_RUN_NO_BASELINE)) {
		if (!run->baseline_ptr)
			return ctb_bad(run, CACHETLB_ERR_SAMPLE_BUF, -EINVAL);
		if (!access_ok(u64_to_user_ptr(run->baseline_ptr), len))
			return -EFAULT;
	}
	return 0;
}

#ifdef CONFIG_PERF_EVENTS
static struct perf_event *ctb_pmu_open(u32 cpu)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_HARDWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_HW_CPU_CYCLES,
		.pinned = 1,
	};
	struct perf_event *ev;

	ev = perf_event_create_kernel_counter(&attr, cpu, NULL, NULL, NULL);
	if (IS_ERR(ev))
		return ev;
	if (READ_ONCE(ev->state) != PERF_EVENT_STATE_ACTIVE) {
		perf_event_release_kernel(ev);
		return ERR_PTR(-EBUSY);
	}
	return ev;
}

/* Call with the task on ev's CPU; safe in preemptible context too. */
static u64 ctb_pmu_read(struct perf_event *ev)
{
	unsigned long flags;
	u64 v;

	local_irq_save(flags);
	if (READ_ONCE(ev->oncpu) == smp_processor_id())
		ev->pmu->read(ev);
	v = local64_read(&ev->count);
	local_irq_restore(flags);
	return v;
}

/* Did the counter count for the whole RUN?  Sleeps (the event's mutex). */
static int ctb_pmu_check(struct perf_event *ev)
{
	u64 enabled = 0, running = 0;

	perf_event_read_value(ev, &enabled, &running);
	return running && running == enabled ? 0 : -EBUSY;
}

static void ctb_pmu_close(struct perf_event *ev)
{
	perf_event_release_kernel(ev);
}
#else
static struct perf_event *ctb_pmu_open(u32 cpu)
{
	return ERR_PTR(-EOPNOTSUPP);
}

static u64 ctb_pmu_read(struct perf_event *ev)
{
	return 0;
}

static int ctb_pmu_check(struct perf_event *ev)
{
	return -EOPNOTSUPP;
}

static void ctb_pmu_close(struct perf_event *ev)
{
}
#endif

/* RUN_PMU_CYCLES failed: EOPNOTSUPP, the cause's errno in op_result. */
static int ctb_pmu_fail(struct cachetlb_run *run, int err)
{
	run->hdr.error = CACHETLB_ERR_PMU;
	run->op_result = -err;
	return -EOPNOTSUPP;
}

/* The cycles[] counter: the PMU's with RUN_PMU_CYCLES, else the arch's. */
static __always_inline u64 ctb_counter(const struct ctb_engine *e)
{
	return e->pmu ? ctb_pmu_read(e->pmu) : ctb_arch_counter();
}

static void ctb_atomic_enter(const struct ctb_engine *e, unsigned long *flags)
{
	if (e->irqs_off)
		local_irq_save(*flags);
	else if (e->atomic)
		preempt_disable();
}

static void ctb_atomic_exit(const struct ctb_engine *e, unsigned long flags)
{
	if (e->irqs_off)
		local_irq_restore(flags);
	else if (e->atomic)
		preempt_enable();
}

/*
 * Times @iterations calls of @fn on e->cpu.  If the task is found on another
 * CPU (only possible if the CPU went through hotplug) it is moved back and
 * the sample retried a bounded number of times.
 */
static noinline int ctb_time_sample(struct ctb_engine *e, ctb_run_fn fn,
				    u32 iterations, struct cachetlb_sample *out)
{
	unsigned long flags = 0;
	unsigned int tries;
	u64 t0, t1, c0, c1;
	u32 n;
	int ret = 0;

	/* Keep the call indirect: the baseline must pay what an op pays. */
	OPTIMIZER_HIDE_VAR(fn);

	for (tries = 0; ; tries++) {
		ctb_atomic_enter(e, &flags);
		if (raw_smp_processor_id() == e->cpu)
			break;
		ctb_atomic_exit(e, flags);
		e->run->out_flags |= CACHETLB_OUT_MIGRATED;
		if (tries >= CTB_MIGRATE_RETRIES ||
		    set_cpus_allowed_ptr(current, cpumask_of(e->cpu))) {
			e->run->hdr.error = CACHETLB_ERR_CPU;
			return -EINVAL;
		}
	}
	if (e->nofault)
		pagefault_disable();

	t0 = ktime_get_ns();
	c0 = ctb_counter(e);
	for (n = 0; n < iterations; n++) {
		ret = fn(&e->ctx);
		if (unlikely(ret))
			break;
	}
	c1 = ctb_counter(e);
	t1 = ktime_get_ns();

	if (e->nofault)
		pagefault_enable();
	ctb_atomic_exit(e, flags);

	/* A sleeping op can only lose its CPU through hotplug; flag it. */
	if (!e->atomic && raw_smp_processor_id() != e->cpu)
		e->run->out_flags |= CACHETLB_OUT_MIGRATED;

	out->ns = t1 - t0;
	out->cycles = c1 - c0;
	return ret;
}

static void ctb_pre(struct ctb_engine *e)
{
	if (e->op->pre_sample)
		e->op->pre_sample(&e->ctx);
}

static void ctb_post(struct ctb_engine *e)
{
	if (e->op->post_sample)
		e->op->post_sample(&e->ctx);
}

/*
 * One call of e->fn[@which] after its own pre_sample, timed alone and added
 * to @acc; the op's call is followed by its post_sample.  Op and control go
 * through this one function, so both are timed from the same frame with
 * the same accesses before the timer is read.
 */
static int ctb_pair_call(struct ctb_engine *e, int which,
			 struct cachetlb_sample *acc)
{
	struct cachetlb_sample one;
	int ret;

	ctb_pre(e);
	ret = ctb_time_sample(e, e->fn[which], 1, &one);
	if (which == CTB_OP)
		ctb_post(e);
	if (ret)
		return ret;
	acc->ns += one.ns;
	acc->cycles += one.cycles;
	return 0;
}

/*
 * One ONE_CALL op call and, with @base, its matched control (same
 * preparation, empty call), each timed alone, added to @op and @base;
 * @ctl_first times the control first.  ctb_sample() alternates the order
 * from sample to sample and from call to call, so whatever the position
 * costs (the other call's post_sample just before, a timer tick landing on
 * the first) falls on op and control alike: with the op always first,
 * x86_64 6.1 under TCG read an empty call after 256 dirtied pages at
 * -20.8 [-30.5, -5.16] ns.
 */
static int ctb_pair(struct ctb_engine *e, struct cachetlb_sample *op,
		    struct cachetlb_sample *base, bool ctl_first)
{
	int ret;

	ctl_first = ctl_first && base;
	if (ctl_first) {
		ret = ctb_pair_call(e, CTB_CTL, base);
		if (ret)
			return ret;
	}
	ret = ctb_pair_call(e, CTB_OP, op);
	if (ret || !base || ctl_first)
		return ret;
	return ctb_pair_call(e, CTB_CTL, base);
}

/*
 * One op sample of @iterations calls and, with @base, its control sample.
 *
 * Without ONE_CALL (no pre_sample): the op's calls back to back between
 * one timer pair, post_sample, then the same for the empty callback.
 *
 * With ONE_CALL, per call: pre_sample, the op's call timed alone,
 * post_sample, and with @base pre_sample again and the empty call timed
 * alone, in alternating order (ctb_pair()); the single-call times are
 * summed into the two samples.  So every
 * op call has the same code around it at any iteration count, and the
 * control differs from the op only in the call.  Returns -ETIME when the
 * RUN's deadline passes inside a sample (the pair is then discarded),
 * -EINTR on a signal.
 */
static int ctb_sample(struct ctb_engine *e, u32 iterations,
		      struct cachetlb_sample *op, struct cachetlb_sample *base)
{
	struct cachetlb_sample d_op, d_base;
	bool first = e->ctl_first;
	u32 n;
	int ret;

	if (!e->one_call) {
		ret = ctb_time_sample(e, e->fn[CTB_OP], iterations, op);
		ctb_post(e);
		if (ret || !base)
			return ret;
		return ctb_time_sample(e, e->fn[CTB_CTL], iterations, base);
	}
	memset(op, 0, sizeof(*op));
	if (base) {
		memset(base, 0, sizeof(*base));
		/* One discarded op call and control (header comment). */
		memset(&d_op, 0, sizeof(d_op));
		memset(&d_base, 0, sizeof(d_base));
		e->ctl_first = !first;
		ret = ctb_pair(e, &d_op, &d_base, !first);
		if (ret)
			return ret;
	}
	for (n = 0; n < iterations; n++) {
		if (n && (n & 63) == 0) {
			cond_resched();
			if (signal_pending(current))
				return -EINTR;
			if (ktime_get_ns() >= e->deadline)
				return -ETIME;
		}
		ret = ctb_pair(e, op, base, first ^ (n & 1));
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Estimates one sample's duration from a few short timed calls and rejects
 * the RUN (E2BIG, CACHETLB_ERR_ITERATIONS) if it would exceed @cap_ns, so
 * that no loop with preemption off runs unbounded.
 */
static int ctb_probe(struct ctb_engine *e, u64 cap_ns)
{
	u32 k = min(e->run->iterations, CTB_PROBE_ITERATIONS);
	struct cachetlb_sample s;
	u64 best = U64_MAX;
	unsigned int i;
	int ret;

	for (i = 0; i < CTB_PROBE_CALLS; i++) {
		ret = ctb_sample(e, k, &s, NULL);
		if (ret)
			return ret;
		best = min(best, s.ns);
	}
	/* ONE_CALL: each call is its own atomic section. */
	if (div_u64(best, k) * (e->one_call ? 1 : e->run->iterations) >
	    cap_ns) {
		e->run->hdr.error = CACHETLB_ERR_ITERATIONS;
		return -E2BIG;
	}
	return 0;
}

static int ctb_sample_loop(struct ctb_engine *e, struct cachetlb_sample *smp,
			   struct cachetlb_sample *base)
{
	struct cachetlb_run *run = e->run;
	u32 total = run->warmup + run->samples;
	struct cachetlb_sample s, b;
	u32 i;
	int ret;

	for (i = 0; i < total; i++) {
		cond_resched();
		if (signal_pending(current))
			return -EINTR;
		if (ktime_get_ns() >= e->deadline)
			goto truncated;

		ret = ctb_sample(e, run->iterations, &s, base ? &b : NULL);
		if (ret == -ETIME)
			goto truncated;
		if (ret)
			return ret;
		if (i < run->warmup)
			continue;
		smp[run->samples_done++] = s;
		if (base)
			base[run->baseline_done++] = b;
	}
	return 0;
truncated:
	run->out_flags |= CACHETLB_OUT_TRUNCATED;
	return 0;
}

static int ctb_copy_out(const struct cachetlb_run *run,
			const struct cachetlb_sample *smp,
			const struct cachetlb_sample *base)
{
	size_t sz = sizeof(*smp);

	if (run->samples_done &&
	    copy_to_user(u64_to_user_ptr(run->samples_ptr), smp,
			 run->samples_done * sz))
		return -EFAULT;
	if (base && run->baseline_done &&
	    copy_to_user(u64_to_user_ptr(run->baseline_ptr), base,
			 run->baseline_done * sz))
		return -EFAULT;
	return 0;
}

static void ctb_clear_out(struct cachetlb_run *run)
{
	run->samples_done = 0;
	run->baseline_done = 0;
	run->cpu_used = CACHETLB_CPU_ANY;
	run->out_flags = 0;
	run->op_errors = 0;
	if (run->flags & CACHETLB_RUN_PMU_CYCLES) {
		run->counter = CACHETLB_CTR_PMU_CYCLES;
		run->counter_hz = 0;
	} else {
		run->counter = ctb_arch_counter_kind();
		run->counter_hz = ctb_arch_counter_hz();
	}
	run->elapsed_ns = 0;
	run->op_result = 0;
}

long ctb_engine_run(struct cachetlb_run *run, const struct ctb_op *op,
		    u32 max_ms)
{
	struct cachetlb_sample *smp = NULL, *base = NULL;
	struct ctb_engine e = {
		.run = run, .op = op, .fn = { op->run, ctb_empty_run },
	};
	cpumask_var_t old_mask;
	u64 start, limit_ns, cap_ns;
	int ret, ret2;

	ctb_clear_out(run);
	ret = ctb_validate(run, op, max_ms);
	if (ret)
		return ret;
	if (ctb_op_reason(op))
		return -EOPNOTSUPP;

	smp = kvmalloc_array(run->samples, sizeof(*smp), GFP_KERNEL);
	if (!smp)
		return -ENOMEM;
	if (!(run->flags & CACHETLB_RUN_NO_BASELINE)) {
		base = kvmalloc_array(run->samples, sizeof(*base), GFP_KERNEL);
		if (!base) {
			ret = -ENOMEM;
			goto out_free;
		}
	}
	if (!alloc_cpumask_var(&old_mask, GFP_KERNEL)) {
		ret = -ENOMEM;
		goto out_free;
	}
	cpumask_copy(old_mask, current->cpus_ptr);

	e.cpu = run->cpu == CACHETLB_CPU_ANY ? raw_smp_processor_id() : run->cpu;
	if (set_cpus_allowed_ptr(current, cpumask_of(e.cpu))) {
		run->hdr.error = CACHETLB_ERR_CPU;
		ret = -EINVAL;
		goto out_mask;
	}
	run->cpu_used = e.cpu;
	e.atomic = !(op->props & CACHETLB_PROP_SLEEPS);
	e.irqs_off = e.atomic && (run->flags & CACHETLB_RUN_IRQS_OFF);
	e.nofault = op->uses & CACHETLB_USES_USER_BUF;
	if (!e.atomic)
		run->out_flags |= CACHETLB_OUT_PREEMPTIBLE;
	if (e.irqs_off)
		run->out_flags |= CACHETLB_OUT_IRQS_OFF;

	if (run->flags & CACHETLB_RUN_PMU_CYCLES) {
		e.pmu = ctb_pmu_open(e.cpu);
		if (IS_ERR(e.pmu)) {
			ret = ctb_pmu_fail(run, PTR_ERR(e.pmu));
			e.pmu = NULL;
			goto out_unpin;
		}
	}
	e.one_call = ctb_op_props(op) & CACHETLB_PROP_ONE_CALL;
	limit_ns = (u64)(run->time_limit_ms ?: max_ms) * NSEC_PER_MSEC;
	cap_ns = e.atomic ? min(limit_ns, CTB_ATOMIC_SAMPLE_CAP_NS) : limit_ns;
	e.ctx.run = run;
	e.ctx.op = op;
	start = ktime_get_ns();
	e.deadline = start + limit_ns;

	if (op->prepare) {
		ret = op->prepare(&e.ctx);
		if (ret) {
			if ((ret == -EINVAL || ret == -E2BIG) && e.ctx.err_field)
				run->hdr.error = e.ctx.err_field;
			goto out_unpin;
		}
	}
	ret = ctb_probe(&e, cap_ns);
	if (!ret)
		ret = ctb_sample_loop(&e, smp, base);
	if (!ret && e.pmu) {
		ret = ctb_pmu_check(e.pmu);
		if (ret)
			ret = ctb_pmu_fail(run, ret);
	}
	/* run() may name a bad field too (found only while running). */
	if ((ret == -EINVAL || ret == -E2BIG) && !run->hdr.error)
		run->hdr.error = e.ctx.err_field;
	if (op->teardown)
		op->teardown(&e.ctx);

	run->elapsed_ns = ktime_get_ns() - start;
	if (run->hdr.error != CACHETLB_ERR_PMU)
		run->op_result = e.ctx.result;
	run->op_errors = e.ctx.errors;
	ret2 = ctb_copy_out(run, smp, base);
	if (ret2)
		ret = ret2;
out_unpin:
	if (e.pmu)
		ctb_pmu_close(e.pmu);
	set_cpus_allowed_ptr(current, old_mask);
out_mask:
	free_cpumask_var(old_mask);
out_free:
	kvfree(base);
	kvfree(smp);
	return ret;
}
