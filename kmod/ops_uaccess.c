// SPDX-License-Identifier: GPL-2.0
/* ops_uaccess.c - op family "uaccess" (placeholder until the family lands). */
#include <linux/kernel.h>
#include "cachetlb.h"

const struct ctb_op ctb_ops_uaccess[] = {};
const unsigned int ctb_nr_ops_uaccess = ARRAY_SIZE(ctb_ops_uaccess);
