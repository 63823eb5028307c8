// SPDX-License-Identifier: GPL-2.0
/* ops_tlb.c - op family "tlb" (placeholder until the family lands). */
#include <linux/kernel.h>
#include "cachetlb.h"

const struct ctb_op ctb_ops_tlb[] = {};
const unsigned int ctb_nr_ops_tlb = ARRAY_SIZE(ctb_ops_tlb);
