/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A test-local generator for the unit tests (independent of compare.c's
 * PRNG): a 64-bit LCG and a uniform double in (0, 1).
 */
#ifndef CTB_TEST_LCG_H
#define CTB_TEST_LCG_H

#include <stdint.h>

struct lcg {
	uint64_t s;
};

static inline double unif(struct lcg *g)
{
	g->s = g->s * 6364136223846793005ULL + 1442695040888963407ULL;
	return ((double)(g->s >> 11) + 0.5) / 9007199254740992.0;
}

#endif /* CTB_TEST_LCG_H */
