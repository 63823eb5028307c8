// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for bench/env.c (environment detection from fake /sys, /proc
 * trees and CPUID values) and bench/native.c (the messages for an
 * unusable /dev/cachetlb, each naming its fix).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "env.h"
#include "native.h"
#include "tap.h"

static char root[256];

static void put(const char *path, const char *data, size_t n)
{
	char full[512], dir[512], *s;
	FILE *f;

	snprintf(full, sizeof(full), "%s%s", root, path);
	snprintf(dir, sizeof(dir), "%s", full);
	for (s = dir + strlen(root) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(dir, 0755);
		*s = '/';
	}
	f = fopen(full, "w");
	if (!f) {
		perror(full);
		exit(1);
	}
	fwrite(data, 1, n, f);
	fclose(f);
}

static void clean(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", root);
}

static int fresh(void)
{
	clean();
	return mkdir(root, 0755);
}

/* DMI sys_vendor and product_name, and what ctb_detect_environment says. */
static const struct {
	const char *vendor, *product;
	int env;
	const char *hyp, *why;	/* NULL: not checked */
	const char *desc;
} dmi_cases[] = {
	{ "QEMU", "Standard PC (Q35 + ICH9, 2009)", CTB_ENV_VIRTUALIZED,
	  "QEMU", "DMI", "DMI sys_vendor QEMU: virtualized, QEMU" },
	{ "Amazon EC2", "c7g.metal", CTB_ENV_BARE_METAL, NULL, NULL,
	  "EC2 *.metal instance: bare-metal" },
	{ "Amazon EC2", "c7g.large", CTB_ENV_VIRTUALIZED, "Amazon EC2", NULL,
	  "EC2 c7g.large: virtualized, Amazon EC2" },
	{ "Dell Inc.", "PowerEdge R750", CTB_ENV_BARE_METAL, NULL, "PowerEdge",
	  "a server's DMI: bare-metal, named in the reason" },
	{ "Microsoft Corporation", "Virtual Machine", CTB_ENV_VIRTUALIZED,
	  "Hyper-V", NULL, "Microsoft + Virtual Machine: virtualized, Hyper-V" },
	{ "Microsoft Corporation", "Surface Laptop 5", CTB_ENV_BARE_METAL,
	  NULL, NULL, "Microsoft without Virtual Machine: bare-metal" },
	{ "innotek GmbH", "VirtualBox", CTB_ENV_VIRTUALIZED, "VirtualBox",
	  NULL, "innotek VirtualBox: virtualized, VirtualBox" },
};

static void put_line(const char *path, const char *text)
{
	char buf[256];
	int n = snprintf(buf, sizeof(buf), "%s\n", text);

	put(path, buf, (size_t)n);
}

static void test_dmi(const struct ctb_env_probe *p)
{
	char hyp[128], why[512];

	for (size_t i = 0; i < sizeof(dmi_cases) / sizeof(dmi_cases[0]); i++) {
		int e;

		fresh();
		put_line("/sys/class/dmi/id/sys_vendor", dmi_cases[i].vendor);
		put_line("/sys/class/dmi/id/product_name", dmi_cases[i].product);
		e = ctb_detect_environment(p, 0, hyp, sizeof(hyp), why,
					   sizeof(why));
		ok(e == dmi_cases[i].env &&
		   (!dmi_cases[i].hyp || !strcmp(hyp, dmi_cases[i].hyp)) &&
		   (!dmi_cases[i].why || strstr(why, dmi_cases[i].why)),
		   "%s (%s; %s)", dmi_cases[i].desc, hyp, why);
	}
}

static void test_env(void)
{
	struct ctb_env_probe p = { .root = root, .fake_cpuid = 1 };
	char hyp[128], why[384];
	int e;

	unsetenv("CTB_EMULATOR");
	fresh();
	e = ctb_detect_environment(&p, 1, hyp, sizeof(hyp), why, sizeof(why));
	ok(e == CTB_ENV_EMULATED && !strcmp(ctb_env_name(e), "emulated") &&
	   !strcmp(hyp, "qemu-tcg"), "emulation verdict wins: emulated, qemu-tcg");

	e = ctb_detect_environment(&p, 0, hyp, sizeof(hyp), why, sizeof(why));
	ok(e == CTB_ENV_BARE_METAL && !strcmp(hyp, "none") &&
	   strstr(why, "no hypervisor found"),
	   "nothing found: bare-metal, reason lists the checks (%s)", why);

	p.hv_bit = 1;
	snprintf(p.vendor, sizeof(p.vendor), "KVMKVMKVM");
	e = ctb_detect_environment(&p, 0, hyp, sizeof(hyp), why, sizeof(why));
	ok(e == CTB_ENV_VIRTUALIZED && !strcmp(hyp, "KVM") &&
	   !strcmp(ctb_env_name(e), "virtualized"),
	   "CPUID hypervisor bit + KVMKVMKVM: virtualized, KVM");
	snprintf(p.vendor, sizeof(p.vendor), "Microsoft Hv");
	ctb_detect_environment(&p, 0, hyp, sizeof(hyp), why, sizeof(why));
	ok(!strcmp(hyp, "Hyper-V"), "Microsoft Hv: Hyper-V");
	snprintf(p.vendor, sizeof(p.vendor), "TCGTCGTCGTCG");
	e = ctb_detect_environment(&p, 0, hyp, sizeof(hyp), why, sizeof(why));
	ok(e == CTB_ENV_EMULATED, "CPUID TCGTCGTCGTCG: emulated even without the harness");
	snprintf(p.vendor, sizeof(p.vendor), "NewHypervsr");
	e = ctb_detect_environment(&p, 0, hyp, sizeof(hyp), why, sizeof(why));
	ok(e == CTB_ENV_VIRTUALIZED && strstr(hyp, "NewHypervsr"),
	   "unknown signature is virtualized and named as read (%s)", hyp);
	p.hv_bit = 0;

	put("/sys/hypervisor/type", "xen\n", 4);
	e = ctb_detect_environment(&p, 0, hyp, sizeof(hyp), why, sizeof(why));
	ok(e == CTB_ENV_VIRTUALIZED && !strcmp(hyp, "Xen"),
	   "/sys/hypervisor/type xen: virtualized, Xen");

	test_dmi(&p);

	fresh();
	put("/proc/device-tree/compatible", "linux,dummy-virt\0", 17);
	e = ctb_detect_environment(&p, 0, hyp, sizeof(hyp), why, sizeof(why));
	ok(e == CTB_ENV_VIRTUALIZED && !strcmp(hyp, "QEMU"),
	   "device tree linux,dummy-virt: virtualized, QEMU");
	fresh();
	put("/proc/device-tree/compatible", "xunlong,orangepi\0allwinner,sun50i\0", 34);
	e = ctb_detect_environment(&p, 0, hyp, sizeof(hyp), why, sizeof(why));
	ok(e == CTB_ENV_BARE_METAL, "a board's device tree: bare-metal");
	put("/proc/device-tree/hypervisor/compatible", "xen,xen-4.17\0xen,xen\0", 21);
	e = ctb_detect_environment(&p, 0, hyp, sizeof(hyp), why, sizeof(why));
	ok(e == CTB_ENV_VIRTUALIZED && !strcmp(hyp, "Xen"),
	   "device tree /hypervisor xen: virtualized, Xen");
	clean();
}

static void test_messages(void)
{
	char err[512];

	ctb_native_open_error(err, sizeof(err), "/dev/cachetlb", ENOENT, 1, 1);
	ok(strstr(err, "not loaded") && strstr(err, "modprobe cachetlb") &&
	   strstr(err, "build/native/kmod/cachetlb.ko") &&
	   !strstr(err, "insmod kmod/"),
	   "no device: names modprobe and the real build path (%s)", err);
	ctb_native_open_error(err, sizeof(err), "/dev/cachetlb", ENOENT, 1, 0);
	ok(strstr(err, "CONFIG_MODULES") && strstr(err, "make run"),
	   "no module support: says so and names the QEMU fallback");
	ctb_native_open_error(err, sizeof(err), "/dev/cachetlb", EACCES, 0, 1);
	ok(strstr(err, "Permission denied") && strstr(err, "root") &&
	   strstr(err, "CAP_SYS_ADMIN") && strstr(err, "sudo"),
	   "EACCES as a user: root/CAP_SYS_ADMIN and sudo named (%s)", err);
	ctb_native_open_error(err, sizeof(err), "/dev/cachetlb", EACCES, 1, 1);
	ok(strstr(err, "lockdown"), "EACCES as root: points at LSM/lockdown");
	ctb_native_open_error(err, sizeof(err), "/dev/cachetlb", ENXIO, 1, 1);
	ok(strstr(err, "modprobe cachetlb"), "stale node: names the fix");
	ctb_native_abi_error(err, sizeof(err), 2, 1, "0.2.0");
	ok(strstr(err, "ABI 2") && strstr(err, "ABI 1") &&
	   strstr(err, "0.2.0") && strstr(err, "rmmod cachetlb") &&
	   strstr(err, "same release"),
	   "wrong ABI: both versions and the fix (%s)", err);
	ctb_native_abi_error(err, sizeof(err), 7, 1, "\x01garbage");
	ok(strstr(err, "(version ?)"),
	   "wrong ABI with an unreadable version string: not printed");
	ok(ctb_native_modules_supported("/nonexistent-root") == -1,
	   "module support unknown without /proc");
}

int main(void)
{
	snprintf(root, sizeof(root), "/tmp/ctb-test-native.%d", (int)getpid());
	test_env();
	test_messages();
	return tap_done();
}
