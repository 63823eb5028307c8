/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GET_INFO as JSON keys (info.c): the one serialisation shared by
 * `ctbench info --json` and the meta of a result set.
 */
#ifndef CTB_INFO_H
#define CTB_INFO_H

#include <jansson.h>

#include "uapi/cachetlb.h"

/*
 * Add the device keys (abi_version, module_version, arch, cpu_model,
 * kernel_release, sizes, timer, counter, hypervisor, features, TLB
 * ceiling) to object o; full adds the limits and the other sizes `info`
 * shows. Returns 0 or -1 (out of memory, or a string jansson refuses).
 */
int ctb_info_json(json_t *o, const struct cachetlb_info *in, int full);

#endif /* CTB_INFO_H */
