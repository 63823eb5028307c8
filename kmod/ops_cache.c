// SPDX-License-Identifier: GPL-2.0
/* ops_cache.c - op family "cache" (placeholder until the family lands). */
#include <linux/kernel.h>
#include "cachetlb.h"

const struct ctb_op ctb_ops_cache[] = {};
const unsigned int ctb_nr_ops_cache = ARRAY_SIZE(ctb_ops_cache);
