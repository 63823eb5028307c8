// SPDX-License-Identifier: GPL-2.0
/*
 * Execution environment detection: bare metal, virtualized, emulated.
 * See env.h for the evidence used and its order.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "env.h"
#include "names.h"

const char *ctb_env_name(int env)
{
	static const char *const n[] = {
		[CTB_ENV_BARE_METAL] = "bare-metal",
		[CTB_ENV_VIRTUALIZED] = "virtualized",
		[CTB_ENV_EMULATED] = "emulated",
	};

	return CTB_NAME(n, env, "unknown");
}

/* First line of root+path into buf (printable, trimmed); 0 if absent. */
static int read_line(const char *root, const char *path, char *buf,
		     size_t len)
{
	char full[512];
	size_t n;
	FILE *f;

	snprintf(full, sizeof(full), "%s%s", root, path);
	f = fopen(full, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* device-tree strings are NUL separated lists: join with ',' */
	for (size_t i = 0; i < n; i++)
		if (buf[i] == '\0' && i + 1 < n)
			buf[i] = ',';
		else if (buf[i] == '\n')
			buf[i] = i + 1 < n ? ' ' : '\0';
		else if (!isprint((unsigned char)buf[i]))
			buf[i] = '?';
	while (n && (buf[n - 1] == ' ' || buf[n - 1] == '\0'))
		buf[--n] = '\0';
	return buf[0] != '\0';
}

int ctb_has_ci(const char *s, const char *w)
{
	size_t n = strlen(w);

	for (; *s; s++)
		if (!strncasecmp(s, w, n))
			return 1;
	return 0;
}

static const struct {
	const char *sig;
	const char *name;
} cpuid_vendors[] = {
	{ "KVMKVMKVM", "KVM" },
	{ "Linux KVM Hv", "KVM (Hyper-V enlightenments)" },
	{ "Microsoft Hv", "Hyper-V" },
	{ "VMwareVMware", "VMware" },
	{ "XenVMMXenVMM", "Xen" },
	{ "bhyve bhyve ", "bhyve" },
	{ "VBoxVBoxVBox", "VirtualBox" },
	{ " lrpepyh  vr", "Parallels" },
	{ "ACRNACRNACRN", "ACRN" },
	{ "QNXQVMBSQG", "QNX hypervisor" },
	{ "HAXMHAXMHAXM", "HAXM" },
};

static void cpuid_probe(const struct ctb_env_probe *p, int *hv, char *vendor)
{
	vendor[0] = '\0';
	*hv = 0;
	if (p->fake_cpuid) {
		*hv = p->hv_bit;
		snprintf(vendor, 13, "%s", p->vendor);
		return;
	}
#if defined(__x86_64__) || defined(__i386__)
	{
		unsigned int a, b, c, d;

		if (!__get_cpuid(1, &a, &b, &c, &d))
			return;
		*hv = !!(c & (1U << 31));
		if (!*hv)
			return;
		__cpuid(0x40000000, a, b, c, d);
		memcpy(vendor, &b, 4);
		memcpy(vendor + 4, &c, 4);
		memcpy(vendor + 8, &d, 4);
		vendor[12] = '\0';
		for (int i = 0; i < 12 && vendor[i]; i++)
			if (!isprint((unsigned char)vendor[i]))
				vendor[i] = '?';
	}
#endif
}

/*
 * DMI strings that name a virtual platform, first match wins: the needle
 * (case-insensitive) in the vendor, product or BIOS vendor string; NULL
 * fields are not looked at.  One needle is enough unless .all.
 */
static const struct {
	const char *name, *vendor, *product, *bios;
	int all;
} dmi_platforms[] = {
	{ "QEMU", "QEMU", "QEMU", "QEMU", 0 },
	{ "KVM", NULL, "KVM", NULL, 0 },
	{ "VMware", "VMware", "VMware", NULL, 0 },
	{ "VirtualBox", "innotek", "VirtualBox", NULL, 0 },
	{ "Xen", "Xen", NULL, "Xen", 0 },
	{ "Hyper-V", "Microsoft", "Virtual Machine", NULL, 1 },
	{ "Amazon EC2", "Amazon EC2", NULL, NULL, 0 },
	{ "Google Compute Engine", NULL, "Google Compute Engine", NULL, 0 },
	{ "OpenStack", "OpenStack", "OpenStack", NULL, 0 },
	{ "Parallels", "Parallels", "Parallels", NULL, 0 },
	{ "bhyve", "BHYVE", NULL, "BHYVE", 0 },
	{ "Bochs", "Bochs", NULL, "Bochs", 0 },
	{ "Cloud Hypervisor", "Cloud Hypervisor", NULL, NULL, 0 },
	{ "Apple Virtualization", NULL, "Apple Virtualization", NULL, 0 },
};

/* 1 found, 0 not found, -1 not looked for. */
static int dmi_has(const char *s, const char *needle)
{
	return needle ? ctb_has_ci(s, needle) : -1;
}

/* The virtual platform the DMI strings name; NULL when none does. */
static const char *dmi_hypervisor(const char *vendor, const char *product,
				  const char *bios)
{
	for (size_t i = 0; i < sizeof(dmi_platforms) / sizeof(dmi_platforms[0]);
	     i++) {
		int v = dmi_has(vendor, dmi_platforms[i].vendor);
		int p = dmi_has(product, dmi_platforms[i].product);
		int b = dmi_has(bios, dmi_platforms[i].bios);

		if (dmi_platforms[i].all ? v && p && b : v > 0 || p > 0 || b > 0)
			return dmi_platforms[i].name;
	}
	return NULL;
}

/* Where ctb_detect_environment writes the hypervisor and the reason. */
struct env_out {
	char *hyp, *why;
	size_t hlen, wlen;
};

/* CPUID's hypervisor bit and vendor leaf; -1 when the bit is clear. */
static int env_cpuid(const struct ctb_env_probe *p, const struct env_out *o)
{
	char vendor[16];
	const char *name = NULL;
	int hv;

	cpuid_probe(p, &hv, vendor);
	if (!hv)
		return -1;
	if (!strcmp(vendor, "TCGTCGTCGTCG")) {
		snprintf(o->hyp, o->hlen, "qemu-tcg");
		snprintf(o->why, o->wlen, "CPUID hypervisor leaf 0x40000000 says TCGTCGTCGTCG (QEMU TCG)");
		return CTB_ENV_EMULATED;
	}
	for (size_t i = 0; i < sizeof(cpuid_vendors) / sizeof(cpuid_vendors[0]); i++)
		if (!strcmp(vendor, cpuid_vendors[i].sig))
			name = cpuid_vendors[i].name;
	if (name)
		snprintf(o->hyp, o->hlen, "%s", name);
	else if (vendor[0])
		snprintf(o->hyp, o->hlen, "unknown (CPUID signature '%s')",
			 vendor);
	else
		snprintf(o->hyp, o->hlen, "unknown (no CPUID vendor leaf)");
	snprintf(o->why, o->wlen, "CPUID.1:ECX hypervisor bit set, leaf 0x40000000 '%s'",
		 vendor);
	return CTB_ENV_VIRTUALIZED;
}

/* DMI's vendor, product and BIOS (into dv, dp, db); -1: no platform named. */
static int env_dmi(const char *root, char *dv, char *dp, char *db,
		   size_t len, const struct env_out *o)
{
	const char *name;

	dv[0] = dp[0] = db[0] = '\0';
	read_line(root, "/sys/class/dmi/id/sys_vendor", dv, len);
	read_line(root, "/sys/class/dmi/id/product_name", dp, len);
	read_line(root, "/sys/class/dmi/id/bios_vendor", db, len);
	name = dmi_hypervisor(dv, dp, db);
	if (name && ctb_has_ci(dv, "Amazon EC2") && ctb_has_ci(dp, ".metal")) {
		snprintf(o->hyp, o->hlen, "none");
		snprintf(o->why, o->wlen, "DMI: '%s' '%s' is an EC2 bare-metal instance",
			 dv, dp);
		return CTB_ENV_BARE_METAL;
	}
	if (!name)
		return -1;
	snprintf(o->hyp, o->hlen, "%s", name);
	snprintf(o->why, o->wlen, "DMI: sys_vendor '%s', product_name '%s', bios_vendor '%s'",
		 dv, dp, db);
	return CTB_ENV_VIRTUALIZED;
}

/* A device-tree hypervisor node or QEMU's virt machine; -1: neither. */
static int env_devtree(const char *root, const struct env_out *o)
{
	char s[256];

	if (read_line(root, "/proc/device-tree/hypervisor/compatible", s,
		      sizeof(s))) {
		snprintf(o->hyp, o->hlen, "%s", ctb_has_ci(s, "xen") ? "Xen" : s);
		snprintf(o->why, o->wlen, "device tree /hypervisor node: compatible '%s'",
			 s);
		return CTB_ENV_VIRTUALIZED;
	}
	if (read_line(root, "/proc/device-tree/compatible", s, sizeof(s)) &&
	    (ctb_has_ci(s, "linux,dummy-virt") ||
	     ctb_has_ci(s, "riscv-virtio") || ctb_has_ci(s, "qemu,"))) {
		snprintf(o->hyp, o->hlen, "QEMU");
		snprintf(o->why, o->wlen, "device tree root compatible '%s' is QEMU's virt machine (KVM or TCG)",
			 s);
		return CTB_ENV_VIRTUALIZED;
	}
	return -1;
}

int ctb_detect_environment(const struct ctb_env_probe *p, int emulated,
			   char *hyp, size_t hlen, char *why, size_t wlen)
{
	static const struct ctb_env_probe real = { .root = "" };
	const struct env_out o = { hyp, why, hlen, wlen };
	char dv[128], dp[128], db[128], s[256];
	const char *root;
	int env;

	if (!p)
		p = &real;
	root = p->root ? p->root : "";
	if (emulated) {
		const char *e = getenv("CTB_EMULATOR");

		snprintf(hyp, hlen, "%s", e && *e ? e : "qemu-tcg");
		snprintf(why, wlen, "emulated: the emulation check said so (see emulation_reason)");
		return CTB_ENV_EMULATED;
	}
	env = env_cpuid(p, &o);
	if (env >= 0)
		return env;
	if (read_line(root, "/sys/hypervisor/type", s, sizeof(s))) {
		snprintf(hyp, hlen, "%s", !strcasecmp(s, "xen") ? "Xen" : s);
		snprintf(why, wlen, "/sys/hypervisor/type is '%s'", s);
		return CTB_ENV_VIRTUALIZED;
	}
	env = env_dmi(root, dv, dp, db, sizeof(dv), &o);
	if (env < 0)
		env = env_devtree(root, &o);
	if (env >= 0)
		return env;

	snprintf(hyp, hlen, "none");
	snprintf(why, wlen, "no hypervisor found: CPUID hypervisor bit %s, no /sys/hypervisor/type, DMI '%s' '%s' names no virtual platform, no device-tree hypervisor node",
#if defined(__x86_64__) || defined(__i386__)
		 "clear",
#else
		 p->fake_cpuid ? "clear" : "n/a (not x86)",
#endif
		 dv[0] ? dv : "-", dp[0] ? dp : "-");
	return CTB_ENV_BARE_METAL;
}
