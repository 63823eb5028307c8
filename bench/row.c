// SPDX-License-Identifier: GPL-2.0
/*
 * ctbench result rows: freeing and matching (see row.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "row.h"

void ctb_row_release(struct ctb_row *r)
{
	free(r->raw_ns);
	free(r->raw_cycles);
	free(r->base_ns);
	free(r->base_cycles);
	free(r->raw_round);
	free(r->raw_iters);
	memset(r, 0, sizeof(*r));
}

void ctb_rows_free(struct ctb_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ctb_row_release(&rows[i]);
	free(rows);
}

struct ctb_row_key ctb_row_key_of(const struct ctb_row *r)
{
	struct ctb_row_key k = {
		.op = r->op, .count = r->count, .aux = r->aux,
		.state = r->state, .opflags = r->opflags,
		.targets = r->targets,
	};

	return k;
}

static int str_match(const char *want, const char *have)
{
	return !want || !strcmp(want, have);
}

int ctb_row_match(const struct ctb_row *r, const struct ctb_row_key *k)
{
	return !strcmp(r->op, k->op) && r->count == k->count &&
	       (k->aux == CTB_ROW_ANY_AUX || r->aux == k->aux) &&
	       str_match(k->state, r->state) &&
	       str_match(k->opflags, r->opflags) &&
	       str_match(k->targets, r->targets);
}

const struct ctb_row *ctb_rows_find_last(const struct ctb_row *rows, size_t n,
					 const struct ctb_row_key *k)
{
	while (n-- > 0)
		if (ctb_row_match(&rows[n], k))
			return &rows[n];
	return NULL;
}

void ctb_row_net_text(char *buf, size_t len, const struct ctb_row *r,
		      void (*fmt)(char *buf, size_t len, double ns))
{
	char fl[32];

	if (r->rep.below_floor) {
		fmt(fl, sizeof(fl), r->rep.floor);
		snprintf(buf, len, "< floor (%s)", fl);
	} else {
		fmt(buf, len, r->rep.net);
	}
}
