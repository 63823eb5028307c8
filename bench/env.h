/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where ctbench runs: bare metal, a virtual machine (with the hypervisor's
 * name) or an emulator (QEMU TCG).  Written to every result set as the
 * meta keys "environment", "environment_hypervisor" and
 * "environment_reason" (docs/results.md), shown by `ctbench info`.
 *
 * Evidence, in order: the emulation verdict (CTB_EMULATION, the module's
 * hypervisor hint), the x86 CPUID hypervisor bit and vendor leaf
 * 0x40000000, /sys/hypervisor/type, DMI (/sys/class/dmi/id) and the
 * device tree (/proc/device-tree).  Nothing found is reported as
 * bare metal with the list of what was checked.
 */
#ifndef CTB_ENV_H
#define CTB_ENV_H

#include <stddef.h>

enum ctb_env {
	CTB_ENV_BARE_METAL,
	CTB_ENV_VIRTUALIZED,
	CTB_ENV_EMULATED,
};

/* Inputs, replaceable for tests; a zeroed struct means the real system. */
struct ctb_env_probe {
	const char *root;	/* prefix for /sys and /proc paths, "" = / */
	int fake_cpuid;		/* use hv_bit/vendor below instead of CPUID */
	int hv_bit;		/* CPUID.1:ECX[31] */
	char vendor[13];	/* CPUID 0x40000000 signature, NUL terminated */
};

/*
 * emulated: the existing verdict (ctb_detect_emulation).  Fills hyp with
 * the hypervisor/emulator name ("none" on bare metal) and why with the
 * evidence.  Returns an enum ctb_env.
 */
int ctb_detect_environment(const struct ctb_env_probe *p, int emulated,
			   char *hyp, size_t hlen, char *why, size_t wlen);
/* Nonzero when w occurs in s, ignoring case. */
int ctb_has_ci(const char *s, const char *w);

/* "bare-metal", "virtualized", "emulated". */
const char *ctb_env_name(int env);

#endif /* CTB_ENV_H */
