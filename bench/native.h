/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Messages for the ways /dev/cachetlb can be unusable on a real machine,
 * each naming the fix (docs/native.md "Error messages").  Pure functions
 * of their arguments, so the unit tests check every wording.
 */
#ifndef CTB_NATIVE_H
#define CTB_NATIVE_H

#include <stddef.h>
#include <stdint.h>

/*
 * open(path) failed with errno e.  is_root: effective uid 0.
 * modules: 1 the kernel supports modules, 0 it does not, -1 unknown.
 */
void ctb_native_open_error(char *err, size_t len, const char *path, int e,
			   int is_root, int modules);
/* GET_INFO answered with another ABI version than ours. */
void ctb_native_abi_error(char *err, size_t len, uint32_t module_abi,
			  uint32_t our_abi, const char *module_version);
/* 1, 0 or -1 (unknown) for loadable module support of the running kernel. */
int ctb_native_modules_supported(const char *root);

#endif /* CTB_NATIVE_H */
