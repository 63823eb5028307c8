// SPDX-License-Identifier: GPL-2.0
/*
 * op_func.c - OP_FUNC: which module function RUN calls for an op.
 *
 * `ctbench verify` times an op a second way, with the kernel's
 * function_graph tracer filtered to the function the engine calls once
 * per timed iteration: the op's run callback.  Its name is not part of
 * LIST_OPS (and must not be guessed from the op's name in userspace, the
 * callbacks are static and may be renamed), so this ioctl prints it the
 * way kallsyms and available_filter_functions spell it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "cachetlb.h"

long ctb_ioctl_op_func(void __user *uarg)
{
	struct cachetlb_op_func f;
	const struct ctb_op *op = NULL;

	if (copy_from_user(&f, uarg, sizeof(f)))
		return -EFAULT;
	if (f.reserved0)
		f.hdr.error = CACHETLB_ERR_RESERVED;
	else if (f.index >= ctb_nr_ops())
		f.hdr.error = CACHETLB_ERR_INDEX;
	else
		op = ctb_op_get(f.index);
	if (!op) {
		if (copy_to_user(uarg, &f.hdr, sizeof(f.hdr)))
			return -EFAULT;
		return -EINVAL;
	}
	memset(f.run_fn, 0, sizeof(f.run_fn));
	snprintf(f.run_fn, sizeof(f.run_fn), "%ps", op->run);
	if (copy_to_user(uarg, &f, sizeof(f)))
		return -EFAULT;
	return 0;
}
