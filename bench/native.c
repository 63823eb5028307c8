// SPDX-License-Identifier: GPL-2.0
/*
 * Messages with their fix for an unusable /dev/cachetlb (native.h).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "native.h"

int ctb_native_modules_supported(const char *root)
{
	char p[512];

	if (!root)
		root = "";
	snprintf(p, sizeof(p), "%s/proc/modules", root);
	if (access(p, F_OK) == 0)
		return 1;
	/* /proc mounted but no /proc/modules: CONFIG_MODULES=n */
	snprintf(p, sizeof(p), "%s/proc/self", root);
	return access(p, F_OK) == 0 ? 0 : -1;
}

void ctb_native_open_error(char *err, size_t len, const char *path, int e,
			   int is_root, int modules)
{
	switch (e) {
	case ENOENT:
		if (modules == 0) {
			snprintf(err, len,
				 "cannot open %s: no such device, and this kernel cannot load modules (no /proc/modules: CONFIG_MODULES is off); fix: boot a kernel with module support, or use the QEMU guests (make run)",
				 path);
			break;
		}
		snprintf(err, len,
			 "cannot open %s: no such device: the cachetlb module is not loaded; fix (as root): modprobe cachetlb (package cachetlb-dkms), or make module && insmod build/native/kmod/cachetlb.ko (docs/native.md)",
			 path);
		break;
	case EACCES:
	case EPERM:
		snprintf(err, len,
			 "cannot open %s: %s: the device is root-only (mode 0600) and its ioctls need CAP_SYS_ADMIN; fix: run as root (sudo ctbench ...)%s",
			 path, strerror(e), is_root ?
			 "; as root this means a security module (SELinux/AppArmor) or lockdown denied it" :
			 "");
		break;
	case ENXIO:
	case ENODEV:
		snprintf(err, len,
			 "cannot open %s: %s: the node exists but no driver answers (module unloaded, stale node); fix (as root): rm %s; modprobe cachetlb",
			 path, strerror(e), path);
		break;
	default:
		snprintf(err, len, "cannot open %s: %s (errno %d)", path,
			 strerror(e), e);
		break;
	}
}

void ctb_native_abi_error(char *err, size_t len, uint32_t module_abi,
			  uint32_t our_abi, const char *module_version)
{
	int printable = module_version && *module_version;

	/* another ABI may lay out GET_INFO differently: show only text */
	for (const char *c = module_version; printable && *c; c++)
		if (!isprint((unsigned char)*c))
			printable = 0;
	snprintf(err, len,
		 "the loaded cachetlb module (version %s) speaks ABI %u, this ctbench was built for ABI %u; fix: use a module and ctbench from the same release: as root rmmod cachetlb, then load the matching module (same version of cachetlb-dkms and ctbench, or make module && insmod build/native/kmod/cachetlb.ko from this tree)",
		 printable ? module_version : "?",
		 module_abi, our_abi);
}
