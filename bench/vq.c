// SPDX-License-Identifier: GPL-2.0
/*
 * The split virtqueue (vhost-like) ring the uaccess ops work on: layout,
 * allocation, initial contents and the check of the used ring.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "pmu.h"
#include "stats.h"
#include "suite.h"
#include "run.h"


int ctb_vq_layout(uint32_t ring, struct ctb_vq_layout *l)
{
	if (!ring || ring > 32768 || (ring & (ring - 1)))
		return -EINVAL;
	l->ring = ring;
	l->desc_off = 0;
	l->avail_off = 16 * (size_t)ring;
	l->used_off = (l->avail_off + 4 + 2 * (size_t)ring + 3) & ~(size_t)3;
	l->total = l->used_off + 4 + 8 * (size_t)ring;
	return 0;
}

int ctb_vq_alloc(struct ctb_vq *vq, uint32_t ring, int span,
		 size_t page_size, char *err, size_t len)
{
	size_t pages;

	memset(vq, 0, sizeof(*vq));
	if (ctb_vq_layout(ring, &vq->l)) {
		snprintf(err, len,
			 "ring size %u: must be a power of two in 1..32768",
			 ring);
		return -EINVAL;
	}
	if (!page_size)
		page_size = 4096;
	vq->page_size = page_size;
	vq->span = span;
	pages = (vq->l.total + page_size - 1) / page_size + 2;
	vq->map_len = pages * page_size;
	vq->map = mmap(NULL, vq->map_len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vq->map == MAP_FAILED) {
		vq->map = NULL;
		snprintf(err, len, "mmap of %zu bytes for the ring failed: %s",
			 vq->map_len, strerror(errno));
		return -ENOMEM;
	}
	/*
	 * span: the module wants a 16-byte aligned ring, so no aligned
	 * field can straddle a page; instead place the ring so that a page
	 * boundary falls in the middle of the used ring (and, for rings
	 * larger than a page, inside the descriptor table): the used
	 * elements then live on two pages, which the kmap method must
	 * handle page by page.
	 */
	if (span) {
		size_t t = vq->l.used_off + 4 + 8 * (size_t)(ring / 2);

		t &= ~(size_t)15;
		vq->base = (unsigned char *)vq->map +
			   (page_size - t % page_size) % page_size;
	} else {
		vq->base = vq->map;
	}
	if (mlock(vq->map, vq->map_len) == 0)
		vq->locked = 1;
	memset(vq->map, 0, vq->map_len);
	return 0;
}

void ctb_vq_free(struct ctb_vq *vq)
{
	if (vq->map) {
		if (vq->locked)
			munlock(vq->map, vq->map_len);
		munmap(vq->map, vq->map_len);
	}
	memset(vq, 0, sizeof(*vq));
}

uint32_t ctb_vq_desc_len(uint32_t d)
{
	return 64 + d * 3;
}

/* A fixed permutation-free but non-trivial avail entry for slot k. */
static uint16_t vq_avail_entry(uint32_t k, uint32_t ring)
{
	return (uint16_t)((k * 5 + 3) & (ring - 1));
}

static void put16(unsigned char *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static void put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static uint16_t get16(const unsigned char *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

static uint32_t get32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

void ctb_vq_init(struct ctb_vq *vq)
{
	unsigned char *b = vq->base;
	uint32_t n = vq->l.ring;

	memset(b, 0, vq->l.total);
	for (uint32_t d = 0; d < n; d++) {
		unsigned char *e = b + vq->l.desc_off + 16 * (size_t)d;
		uint64_t addr = 0x100000ULL + (uint64_t)d * 0x1000;

		memcpy(e, &addr, 8);
		put32(e + 8, ctb_vq_desc_len(d));
		put16(e + 12, 0);
		put16(e + 14, 0);
	}
	put16(b + vq->l.avail_off, 0);
	put16(b + vq->l.avail_off + 2, (uint16_t)n);
	for (uint32_t k = 0; k < n; k++)
		put16(b + vq->l.avail_off + 4 + 2 * (size_t)k,
		      vq_avail_entry(k, n));
}

unsigned int ctb_vq_verify(const struct ctb_vq *vq, uint16_t used_idx,
			   uint32_t written, char *err, size_t len)
{
	const unsigned char *b = vq->base;
	uint32_t n = vq->l.ring;
	unsigned int bad = 0;
	uint16_t idx = get16(b + vq->l.used_off + 2);

	err[0] = '\0';
	if (idx != used_idx) {
		snprintf(err, len, "used idx %u, expected %u", idx, used_idx);
		bad++;
	}
	for (uint32_t k = 0; k < n; k++) {
		const unsigned char *e = b + vq->l.used_off + 4 + 8 * (size_t)k;
		uint32_t id = get32(e), l = get32(e + 4);
		uint32_t want_id = 0, want_len = 0;

		if (k < written) {
			want_id = vq_avail_entry(k, n);
			want_len = ctb_vq_desc_len(want_id);
		}
		if (id != want_id || l != want_len) {
			if (!bad)
				snprintf(err, len,
					 "used[%u] = {id %u, len %u}, expected {id %u, len %u}",
					 k, id, l, want_id, want_len);
			bad++;
		}
	}
	return bad;
}

