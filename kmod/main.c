// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - /dev/cachetlb: misc device, ioctl dispatch, GET_INFO, LIST_OPS,
 * module parameters.
 *
 * Every ioctl argument starts with struct cachetlb_hdr.  The dispatcher
 * checks the caller's capability, then the header (size, ABI version,
 * reserved word), then hands a kernel copy of the struct to the handler.
 * Nothing here keeps mutable state between calls except the resolver table
 * (resolve.c, mutex protected) and the two module parameters.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cpumask.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/preempt.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>

#include "cachetlb.h"

#define CTB_TIME_LIMIT_DEFAULT	5000
#define CTB_TIME_LIMIT_CAP	60000
#define CTB_RES_PROBES		1000

/* --- module parameters -------------------------------------------------- */

static unsigned int ctb_time_limit = CTB_TIME_LIMIT_DEFAULT;

static int ctb_time_limit_set(const char *val, const struct kernel_param *kp)
{
	unsigned int v;
	int ret;

	ret = kstrtouint(val, 0, &v);
	if (ret)
		return ret;
	if (v < 1 || v > CTB_TIME_LIMIT_CAP) {
		pr_err("time_limit_ms=%u out of range 1..%u\n", v,
		       CTB_TIME_LIMIT_CAP);
		return -EINVAL;
	}
	WRITE_ONCE(ctb_time_limit, v);
	return 0;
}

static const struct kernel_param_ops ctb_time_limit_ops = {
	.set = ctb_time_limit_set,
	.get = param_get_uint,
};

module_param_cb(time_limit_ms, &ctb_time_limit_ops, &ctb_time_limit, 0644);
MODULE_PARM_DESC(time_limit_ms,
		 "Cap on the wall time of one RUN in ms (1..60000, default 5000)");

u32 ctb_time_limit_ms(void)
{
	return READ_ONCE(ctb_time_limit);
}

/*
 * test_warn exists only so the guest test harness can prove that it notices
 * kernel warnings: writing 1 emits one WARN() and changes nothing else.
 */
static int ctb_test_warn_set(const char *val, const struct kernel_param *kp)
{
	bool v;
	int ret;

	ret = kstrtobool(val, &v);
	if (ret)
		return ret;
	WARN(v, "cachetlb: test_warn requested");
	return 0;
}

static int ctb_test_warn_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "0\n");
}

static const struct kernel_param_ops ctb_test_warn_ops = {
	.set = ctb_test_warn_set,
	.get = ctb_test_warn_get,
};

module_param_cb(test_warn, &ctb_test_warn_ops, NULL, 0644);
MODULE_PARM_DESC(test_warn,
		 "Write 1 to emit one WARN() (harness self-test only)");

/* --- GET_INFO ----------------------------------------------------------- */

/*
 * Smallest non-zero step of @read() over a bounded number of reads.
 * Always inline: each caller passes a constant @read, called directly.
 */
static __always_inline u64 ctb_resolution(u64 (*read)(void))
{
	u64 best = U64_MAX, prev, now;
	unsigned int i;

	preempt_disable();
	prev = read();
	for (i = 0; i < CTB_RES_PROBES; i++) {
		now = read();
		if (now > prev && now - prev < best)
			best = now - prev;
		prev = now;
	}
	preempt_enable();
	return best == U64_MAX ? 0 : best;
}

static u64 ctb_clock_resolution(void)
{
	return ctb_resolution(ktime_get_ns);
}

static u64 ctb_counter_resolution(void)
{
	if (ctb_arch_counter_kind() == CACHETLB_CTR_NONE)
		return 0;
	return ctb_resolution(ctb_arch_counter);
}

static const char *ctb_counter_name(u32 kind)
{
	switch (kind) {
	case CACHETLB_CTR_TSC:
		return "ktime_get_ns+tsc";
	case CACHETLB_CTR_CNTVCT:
		return "ktime_get_ns+cntvct_el0";
	case CACHETLB_CTR_RDTIME:
		return "ktime_get_ns+rdtime";
	default:
		return "ktime_get_ns";
	}
}

static void ctb_fill_info(struct cachetlb_info *info)
{
	struct new_utsname *uts = utsname();

	strscpy(info->module_version, CTB_MODULE_VERSION,
		sizeof(info->module_version));
	strscpy(info->release, uts->release, sizeof(info->release));
	strscpy(info->machine, uts->machine, sizeof(info->machine));
	info->counter = ctb_arch_counter_kind();
	strscpy(info->timer_source, ctb_counter_name(info->counter),
		sizeof(info->timer_source));
	info->hypervisor = ctb_arch_hypervisor(info->hypervisor_hint,
					       sizeof(info->hypervisor_hint));
	ctb_arch_cpu_model(info->cpu_model, sizeof(info->cpu_model));
	info->page_size = PAGE_SIZE;
	info->cache_line_size = ctb_arch_dcache_line();
	info->icache_line_size = ctb_arch_icache_line();
	info->cbom_block_size = ctb_arch_cbom_block();
	info->online_cpus = num_online_cpus();
	info->possible_cpus = num_possible_cpus();
	info->nr_cpu_ids = nr_cpu_ids;
	info->nr_ops = ctb_nr_ops();
	info->counter_hz = ctb_arch_counter_hz();
	info->clock_resolution_ns = ctb_clock_resolution();
	info->counter_resolution = ctb_counter_resolution();
	info->features = ctb_arch_features();
	info->time_limit_ms = ctb_time_limit_ms();
	info->max_samples = CACHETLB_MAX_SAMPLES;
	info->max_iterations = CACHETLB_MAX_ITERATIONS;
	info->max_pages = CACHETLB_MAX_PAGES;
	info->tlb_flush_ceiling =
		ctb_arch_tlb_ceiling(info->ceiling_source,
				     sizeof(info->ceiling_source));
}

static long ctb_ioctl_info(void __user *uarg, const struct cachetlb_hdr *hdr)
{
	struct cachetlb_info *info;
	size_t len;
	long ret = 0;

	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	ctb_fill_info(info);
	info->hdr.size = sizeof(*info);
	info->hdr.abi_version = CACHETLB_ABI_VERSION;
	len = min_t(size_t, hdr->size, sizeof(*info));
	if (copy_to_user(uarg, info, len))
		ret = -EFAULT;
	kfree(info);
	return ret;
}

/* --- LIST_OPS ----------------------------------------------------------- */

static void ctb_join_symbols(char *buf, size_t len, const char *const *syms)
{
	size_t used = 0;
	int n;

	buf[0] = '\0';
	for (; syms && *syms; syms++) {
		n = scnprintf(buf + used, len - used, "%s%s",
			      used ? "," : "", *syms);
		used += n;
		if (used + 1 >= len)
			break;
	}
}

static long ctb_list(void *arg)
{
	struct cachetlb_op_desc *d = arg;
	const struct ctb_op *op;
	const char *why;

	op = ctb_op_get(d->index);
	if (!op) {
		d->hdr.error = CACHETLB_ERR_INDEX;
		d->nr_ops = ctb_nr_ops();
		return -EINVAL;
	}
	memset((char *)d + offsetof(struct cachetlb_op_desc, family), 0,
	       sizeof(*d) - offsetof(struct cachetlb_op_desc, family));
	d->hdr.error = CACHETLB_ERR_NONE;
	d->family = op->family;
	d->nr_ops = ctb_nr_ops();
	d->uses = op->uses;
	d->props = ctb_op_props(op);
	d->count_min = op->count_min;
	d->count_max = op->count_max;
	strscpy(d->name, op->name, sizeof(d->name));
	strscpy(d->unit, op->unit ? op->unit : "", sizeof(d->unit));
	strscpy(d->params, op->params ? op->params : "", sizeof(d->params));
	why = ctb_op_reason(op);
	d->supported = !why;
	strscpy(d->reason, why ? why : "", sizeof(d->reason));
	ctb_join_symbols(d->symbols, sizeof(d->symbols), ctb_op_symbols(op));
	return 0;
}

/* --- RESOLVE ------------------------------------------------------------ */

static long ctb_resolve_arg(void *arg)
{
	return ctb_resolve(arg);
}

/* --- RUN ---------------------------------------------------------------- */

static long ctb_run(void *arg)
{
	struct cachetlb_run *run = arg;
	const struct ctb_op *op;

	run->hdr.error = CACHETLB_ERR_NONE;
	op = ctb_op_get(run->op);
	if (!op) {
		run->hdr.error = CACHETLB_ERR_OP;
		return -EINVAL;
	}
	return ctb_engine_run(run, op, ctb_time_limit_ms());
}

/* --- dispatch ----------------------------------------------------------- */

/*
 * LIST_OPS, RESOLVE and RUN: the caller's struct of @size is copied in,
 * @fn fills it and it is copied back out whatever @fn returned (hdr.error
 * tells the caller what was wrong); -EFAULT if either copy fails.
 */
static long ctb_ioctl_inout(void __user *uarg, size_t size,
			    long (*fn)(void *arg))
{
	void *arg;
	long ret;

	arg = kmalloc(size, GFP_KERNEL);
	if (!arg)
		return -ENOMEM;
	if (copy_from_user(arg, uarg, size)) {
		ret = -EFAULT;
		goto out;
	}
	ret = fn(arg);
	if (copy_to_user(uarg, arg, size))
		ret = -EFAULT;
out:
	kfree(arg);
	return ret;
}

static const u32 ctb_arg_size[] = {
	[_IOC_NR(CACHETLB_IOC_GET_INFO)] = sizeof(struct cachetlb_info),
	[_IOC_NR(CACHETLB_IOC_LIST_OPS)] = sizeof(struct cachetlb_op_desc),
	[_IOC_NR(CACHETLB_IOC_RESOLVE)] = sizeof(struct cachetlb_resolve),
	[_IOC_NR(CACHETLB_IOC_RUN)] = sizeof(struct cachetlb_run),
	[_IOC_NR(CACHETLB_IOC_OP_FUNC)] = sizeof(struct cachetlb_op_func),
};

/*
 * Returns 0 when the header is acceptable, else -EINVAL after writing
 * hdr.error back to the caller (or -EFAULT if that write fails).
 */
static long ctb_check_hdr(void __user *uarg, unsigned int nr,
			  struct cachetlb_hdr *hdr)
{
	bool is_info = nr == _IOC_NR(CACHETLB_IOC_GET_INFO);

	hdr->error = CACHETLB_ERR_NONE;
	if (is_info ? hdr->size < sizeof(*hdr) : hdr->size != ctb_arg_size[nr])
		hdr->error = CACHETLB_ERR_SIZE;
	/* GET_INFO answers any ABI version: it tells the caller ours. */
	else if (!is_info && hdr->abi_version != CACHETLB_ABI_VERSION)
		hdr->error = CACHETLB_ERR_VERSION;
	else if (hdr->reserved)
		hdr->error = CACHETLB_ERR_RESERVED;
	if (hdr->error == CACHETLB_ERR_NONE)
		return 0;
	if (copy_to_user(uarg, hdr, sizeof(*hdr)))
		return -EFAULT;
	return -EINVAL;
}

static long ctb_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	unsigned int nr = _IOC_NR(cmd);
	struct cachetlb_hdr hdr;
	long ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (_IOC_TYPE(cmd) != CACHETLB_IOC_MAGIC || nr >= ARRAY_SIZE(ctb_arg_size))
		return -ENOTTY;
	if (copy_from_user(&hdr, uarg, sizeof(hdr)))
		return -EFAULT;
	ret = ctb_check_hdr(uarg, nr, &hdr);
	if (ret)
		return ret;

	switch (nr) {
	case _IOC_NR(CACHETLB_IOC_GET_INFO):
		return ctb_ioctl_info(uarg, &hdr);
	case _IOC_NR(CACHETLB_IOC_LIST_OPS):
		return ctb_ioctl_inout(uarg, ctb_arg_size[nr], ctb_list);
	case _IOC_NR(CACHETLB_IOC_RESOLVE):
		return ctb_ioctl_inout(uarg, ctb_arg_size[nr], ctb_resolve_arg);
	case _IOC_NR(CACHETLB_IOC_RUN):
		return ctb_ioctl_inout(uarg, ctb_arg_size[nr], ctb_run);
	case _IOC_NR(CACHETLB_IOC_OP_FUNC):
		return ctb_ioctl_op_func(uarg);
	}
	return -ENOTTY;
}

static const struct file_operations ctb_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = ctb_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice ctb_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "cachetlb",
	.fops = &ctb_fops,
	.mode = 0600,
};

static int __init ctb_init(void)
{
	int ret;

	ret = ctb_ops_check();
	if (ret)
		return ret;
	ret = ctb_resolve_init();
	if (ret)
		return ret;
	ret = misc_register(&ctb_miscdev);
	if (ret) {
		ctb_resolve_exit();
		return ret;
	}
	pr_info("loaded, %u ops, ABI %u\n", ctb_nr_ops(), CACHETLB_ABI_VERSION);
	return 0;
}

static void __exit ctb_exit(void)
{
	misc_deregister(&ctb_miscdev);
	ctb_resolve_exit();
}

module_init(ctb_init);
module_exit(ctb_exit);

MODULE_LICENSE("GPL");
MODULE_VERSION(CTB_MODULE_VERSION);
MODULE_DESCRIPTION("cachetlb-bench: cache and TLB maintenance microbenchmarks");
MODULE_AUTHOR("cachetlb-bench developers");
