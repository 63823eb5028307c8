// SPDX-License-Identifier: GPL-2.0
/*
 * ops_core.c - op family "core": the two ops that test the engine itself.
 *
 * nop:  empty body; nop minus baseline must read as zero.
 * spin: a dependent chain of `count` multiply-add steps per iteration; its
 *       time must scale linearly with count.  The seed is hidden from the
 *       compiler and the final value is published in op_result, so the
 *       chain can be neither folded nor dropped.
 *
 * Also the stand-ins the other families use for ops of another arch
 * (declared in cachetlb.h).
 */
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/kernel.h>

#include "cachetlb.h"

static int ctb_nop_run(struct ctb_ctx *ctx)
{
	return 0;
}

/* The spin state lives in ctx->result itself: no allocation needed. */
static int ctb_spin_prepare(struct ctb_ctx *ctx)
{
	ctx->result = ctx->run->count;
	return 0;
}

static int ctb_spin_run(struct ctb_ctx *ctx)
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

const struct ctb_op ctb_ops_core[] = {
	{
		.name = "nop",
		.family = CACHETLB_FAM_CORE,
		.unit = "calls",
		.params = "no parameters; empty body: the engine's own overhead",
		.run = ctb_nop_run,
	},
	{
		.name = "spin",
		.family = CACHETLB_FAM_CORE,
		.unit = "steps",
		.params = "count = dependent steps per iteration; op_result = chain value",
		.uses = CACHETLB_USES_COUNT,
		.count_min = 1,
		.count_max = CACHETLB_MAX_COUNT,
		.prepare = ctb_spin_prepare,
		.run = ctb_spin_run,
	},
};

const unsigned int ctb_nr_ops_core = ARRAY_SIZE(ctb_ops_core);

/* --- stand-ins for ops of another arch (cachetlb.h) ---------------------- */

int ctb_op_unsupported(struct ctb_ctx *ctx)
{
	return -EOPNOTSUPP;
}

const char *ctb_x86_only(void)
{
	return IS_ENABLED(CONFIG_X86_64) ? NULL : "x86 only";
}

const char *ctb_arm64_only(void)
{
	return IS_ENABLED(CONFIG_ARM64) ? NULL : "arm64 only";
}

const char *ctb_riscv_only(void)
{
	return IS_ENABLED(CONFIG_RISCV) ? NULL : "riscv only";
}
