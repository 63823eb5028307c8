// SPDX-License-Identifier: GPL-2.0
/*
 * ops_kmap.c - the kmap_local_page() pair, op family "core" (issue 24).
 *
 * kmap_local_high: kmap_local_page() + one word read + kunmap_local() of
 *       each of `count` highmem pages.  With CONFIG_HIGHMEM that is a real
 *       mapping: a PTE in the per-CPU kmap slots, the arch's TLB
 *       maintenance after the map and after the unmap (32-bit ARM: one
 *       TLBIMVA each, arch_kmap_local_post_{map,unmap}).
 * kmap_local_low: the same calls over `count` lowmem pages, where
 *       kmap_local_page() is page_address(): the matched control.
 *
 * Both allocate their pages in prepare (untimed) and differ only in the
 * zone of the pages, so high minus low is the cost of the mapping itself.
 * Without CONFIG_HIGHMEM there are no highmem pages and kmap_local_high
 * is unsupported; prepare refuses with -ENOMEM when the highmem zone has
 * no free page (a guest with no more RAM than lowmem).
 */
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "cachetlb.h"

#define CTB_KMAP_MAX_PAGES	1024

struct ctb_kmap {
	unsigned int nr;
	struct page *pages[];
};

static void ctb_kmap_free(struct ctb_kmap *k)
{
	unsigned int i;

	for (i = 0; i < k->nr; i++)
		__free_page(k->pages[i]);
	kfree(k);
}

static int ctb_kmap_prepare(struct ctb_ctx *ctx, bool high)
{
	u32 count = ctx->run->count;
	struct ctb_kmap *k;
	struct page *pg;

	if (count < 1 || count > CTB_KMAP_MAX_PAGES) {
		ctx->err_field = CACHETLB_ERR_COUNT;
		return count ? -E2BIG : -EINVAL;
	}
	k = kzalloc(struct_size(k, pages, count), GFP_KERNEL);
	if (!k)
		return -ENOMEM;
	while (k->nr < count) {
		pg = alloc_page(high ? GFP_HIGHUSER : GFP_KERNEL);
		if (!pg)
			goto nomem;
		if (PageHighMem(pg) != high) {
			/* the zone is exhausted or absent: no matched pair */
			__free_page(pg);
			goto nomem;
		}
		clear_highpage(pg);
		k->pages[k->nr++] = pg;
	}
	ctx->priv = k;
	ctx->result = count;
	return 0;
nomem:
	ctb_kmap_free(k);
	return -ENOMEM;
}

static int ctb_kmap_high_prepare(struct ctb_ctx *ctx)
{
	return ctb_kmap_prepare(ctx, true);
}

static int ctb_kmap_low_prepare(struct ctb_ctx *ctx)
{
	return ctb_kmap_prepare(ctx, false);
}

static int ctb_kmap_run(struct ctb_ctx *ctx)
{
	struct ctb_kmap *k = ctx->priv;
	unsigned long sum = 0;
	unsigned int i;
	void *va;

	for (i = 0; i < k->nr; i++) {
		va = kmap_local_page(k->pages[i]);
		sum += READ_ONCE(*(unsigned long *)va);
		kunmap_local(va);
	}
	OPTIMIZER_HIDE_VAR(sum);
	return 0;
}

static void ctb_kmap_teardown(struct ctb_ctx *ctx)
{
	if (ctx->priv)
		ctb_kmap_free(ctx->priv);
	ctx->priv = NULL;
}

static const char *ctb_kmap_high_supported(void)
{
	if (!IS_ENABLED(CONFIG_HIGHMEM))
		return "kernel without CONFIG_HIGHMEM: kmap_local_page() is page_address()";
	return NULL;
}

#define CTB_KMAP_COMMON							\
	.family = CACHETLB_FAM_CORE,					\
	.unit = "pages",						\
	.uses = CACHETLB_USES_COUNT,					\
	.count_min = 1,							\
	.count_max = CTB_KMAP_MAX_PAGES,				\
	.props = CACHETLB_PROP_KERNEL_PATH,				\
	.run = ctb_kmap_run,						\
	.teardown = ctb_kmap_teardown

const struct ctb_op ctb_ops_kmap[] = {
	{
		CTB_KMAP_COMMON,
		.name = "kmap_local_high",
		.params = "count highmem pages: kmap_local_page + read 1 word + kunmap_local each (a real mapping)",
		.supported = ctb_kmap_high_supported,
		.prepare = ctb_kmap_high_prepare,
	},
	{
		CTB_KMAP_COMMON,
		.name = "kmap_local_low",
		.params = "count lowmem pages, the same calls: kmap_local_page is page_address (control of kmap_local_high)",
		.prepare = ctb_kmap_low_prepare,
	},
};

const unsigned int ctb_nr_ops_kmap = ARRAY_SIZE(ctb_ops_kmap);
