// SPDX-License-Identifier: GPL-2.0
/*
 * ops_core.c - op family "core": the two ops that test the engine itself.
 *
 * nop:  the engine's own empty callback (ctb_empty_run), the control's
 *       too: nop minus baseline must read as zero, and is then a check of
 *       the engine alone.  With an empty function of its own, mips64el 6.1
 *       TCG read nop 3.3 ns per call below the control in every boot of
 *       one build (two functions at two addresses: the emulator's lookup
 *       of an indirect call target depends on where the target lies).
 * spin: a dependent chain of `count` multiply-add steps per iteration; its
 *       time must scale linearly with count.  The seed is hidden from the
 *       compiler and the final value is published in op_result, so the
 *       chain can be neither folded nor dropped.
 * prep_empty, prep_read: the matched-control pair.  Both write every byte
 *       of `count` vmalloc pages before each call (pre_sample, untimed), so
 *       the call finds them dirty; prep_empty's call is empty, prep_read's
 *       reads one word per page.  They differ only in the call: the net of
 *       prep_empty must be within the noise floor (the control gets the same
 *       preparation), and prep_read's net is the cost of its reads alone.
 *       prep_empty calls the engine's own control callback, so op and
 *       control are the same code and only the preparation and the order
 *       could set them apart, which is what it checks: two distinct empty
 *       functions differ by a steady 40 ns under arm64 6.12 TCG (code
 *       placement in the translator, -41.2 [-62.0, -31.3] ns).
 *
 * Also ctb_op_unsupported(), the callback of an op whose kernel API this
 * kernel lacks (declared in cachetlb.h).
 */
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "cachetlb.h"

/* The spin state lives in ctx->result itself: no allocation needed. */
static int ctb_core_spin_prepare(struct ctb_ctx *ctx)
{
	ctx->result = ctx->run->count;
	return 0;
}

static int ctb_core_spin_run(struct ctb_ctx *ctx)
{
	u32 n = ctx->run->count;
	u64 x = ctx->result;
	u32 i;

	for (i = 0; i < n; i++) {
		/* Each step depends on the previous one (an LCG step). */
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		OPTIMIZER_HIDE_VAR(x);
	}
	ctx->result = x;
	return 0;
}

struct ctb_core_prep {
	u8 *va;
	size_t len;
	u8 seq;
};

static int ctb_core_prep_prepare(struct ctb_ctx *ctx)
{
	struct ctb_core_prep *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	p->len = (size_t)ctx->run->count * PAGE_SIZE;
	p->va = vmalloc(p->len);
	if (!p->va) {
		kfree(p);
		return -ENOMEM;
	}
	memset(p->va, 0, p->len);
	ctx->priv = p;
	ctx->result = ctx->run->count;
	return 0;
}

/* Untimed: dirty every line of every page with a new byte value. */
static void ctb_core_prep_dirty(struct ctb_ctx *ctx)
{
	struct ctb_core_prep *p = ctx->priv;

	memset(p->va, ++p->seq, p->len);
}

static int ctb_core_prep_read_run(struct ctb_ctx *ctx)
{
	struct ctb_core_prep *p = ctx->priv;
	u64 sum = 0;
	size_t off;

	for (off = 0; off < p->len; off += PAGE_SIZE)
		sum += READ_ONCE(*(u64 *)(p->va + off));
	OPTIMIZER_HIDE_VAR(sum);
	return 0;
}

static void ctb_core_prep_teardown(struct ctb_ctx *ctx)
{
	struct ctb_core_prep *p = ctx->priv;

	vfree(p->va);
	kfree(p);
	ctx->priv = NULL;
}

/* The matched-control pair: same preparation, the row names its call. */
#define CTB_CORE_PREP							\
	.family = CACHETLB_FAM_CORE,					\
	.unit = "pages",						\
	.uses = CACHETLB_USES_COUNT,					\
	.count_min = 1,							\
	.count_max = CACHETLB_MAX_PAGES,				\
	.prepare = ctb_core_prep_prepare,				\
	.pre_sample = ctb_core_prep_dirty,				\
	.teardown = ctb_core_prep_teardown

const struct ctb_op ctb_ops_core[] = {
	{
		.name = "nop",
		.family = CACHETLB_FAM_CORE,
		.unit = "calls",
		.params = "no parameters; empty body: the engine's own overhead",
		.run = ctb_empty_run,
	},
	{
		.name = "spin",
		.family = CACHETLB_FAM_CORE,
		.unit = "steps",
		.params = "count = dependent steps per iteration; op_result = chain value",
		.uses = CACHETLB_USES_COUNT,
		.count_min = 1,
		.count_max = CACHETLB_MAX_COUNT,
		.prepare = ctb_core_spin_prepare,
		.run = ctb_core_spin_run,
	},
	{
		CTB_CORE_PREP,
		.name = "prep_empty",
		.params = "count pages written before each call (untimed); empty call: net must be < floor",
		.run = ctb_empty_run,
	},
	{
		CTB_CORE_PREP,
		.name = "prep_read",
		.params = "count pages written before each call (untimed); call reads one word per page",
		.run = ctb_core_prep_read_run,
	},
};

const unsigned int ctb_nr_ops_core = ARRAY_SIZE(ctb_ops_core);

/* --- prepare()/run() of an op this kernel cannot build (cachetlb.h) ------ */

int ctb_op_unsupported(struct ctb_ctx *ctx)
{
	return -EOPNOTSUPP;
}
