// SPDX-License-Identifier: GPL-2.0
/*
 * Op family "uaccess": virtqueue metadata access the way vhost does it,
 * through the user-access primitives or through a kernel alias of the
 * pinned ring pages (the 2019 "vhost: accelerate metadata access through
 * vmap()" trade-off).
 *
 * Userspace passes RUN.user_addr/user_len = a split virtqueue of N = aux
 * entries (N a power of two, 1..32768), native byte order:
 *
 *   offset 0                      desc[N]: { u64 addr; u32 len; u16 flags;
 *                                            u16 next; }        (16 bytes)
 *   avail_off = 16 * N            avail: { u16 flags; u16 idx; u16 ring[N]; }
 *   used_off = ALIGN(avail_off + 4 + 2 * N, 4)
 *                                 used: { u16 flags; u16 idx;
 *                                         struct { u32 id; u32 len; } ring[N]; }
 *   total = used_off + 4 + 8 * N
 *
 * user_addr must be 16-byte aligned (the virtio descriptor table alignment)
 * and user_len >= total; the ring may start anywhere in a page, so it may
 * span page boundaries.  The memory must be private anonymous memory (the
 * vmap/kmap/setup methods pin it with FOLL_LONGTERM).
 *
 * One iteration = the metadata accesses of one vhost TX request number i
 * (i counts requests since prepare, across warm-up and samples):
 *   read avail.idx; smp_rmb(); head = avail.ring[i % N] (head >= N is a
 *   bad ring: -EINVAL, ERR_BUFFER); read desc[head] (16 bytes);
 *   used.ring[i % N] = { head, desc.len }; smp_wmb(); used.idx = i + 1.
 * op_result is the last used.idx written (16 bits, wraps like virtio).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/highmem.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <asm/barrier.h>
#include <asm/cacheflush.h>
#include "cachetlb.h"

#define CTB_UA_RING_MAX	32768U
#define CTB_UA_RING_ALIGN	16U
#define CTB_UA_PIN_FLAGS	(FOLL_WRITE | FOLL_LONGTERM)

struct ctb_ua_desc {
	u64 addr;
	u32 len;
	u16 flags;
	u16 next;
};

struct ctb_ua_avail {
	u16 flags;
	u16 idx;
	u16 ring[];
};

struct ctb_ua_used_elem {
	u32 id;
	u32 len;
};

struct ctb_ua_used {
	u16 flags;
	u16 idx;
	struct ctb_ua_used_elem ring[];
};

enum ctb_ua_method {
	CTB_UA_COPY,
	CTB_UA_GETPUT,
	CTB_UA_UNSAFE,
	CTB_UA_VMAP,
	CTB_UA_KMAP,
	CTB_UA_SETUP,
};

struct ctb_ua_state {
	enum ctb_ua_method method;
	u32 nr;				/* ring size N */
	u32 avail_off, used_off, size;	/* layout, bytes from the ring start */
	unsigned long uaddr;		/* ring start (user) */
	unsigned int first_off;		/* offset of the ring in its first page */
	unsigned int nr_pages;		/* pages covering [uaddr, uaddr + size) */
	unsigned int pinned;		/* pages currently pinned in pages[] */
	struct page **pages;
	void *vbase;			/* vmap() of pages[], CTB_UA_VMAP only */
	/* user views of the ring */
	struct ctb_ua_desc __user *desc_u;
	struct ctb_ua_avail __user *avail_u;
	struct ctb_ua_used __user *used_u;
	/* kernel views through the vmap() alias, CTB_UA_VMAP only */
	struct ctb_ua_desc *desc_k;
	struct ctb_ua_avail *avail_k;
	struct ctb_ua_used *used_k;
	u64 req;			/* request counter i */
	u64 sink;			/* folds the fields a request only reads */
	bool cold;
	bool verify;
};

/* ---- cold caches: evict the ring's lines (arch/arch.h) ----------------- */

/* Evict every line of the ring through the linear map of the pinned pages. */
static void ctb_ua_evict_ring(struct ctb_ua_state *ua)
{
	unsigned int pos = ua->first_off;
	unsigned int left = ua->size;
	unsigned int i;

	for (i = 0; i < ua->pinned && left; i++) {
		unsigned int in = offset_in_page(pos);
		unsigned int chunk = min_t(unsigned int, left, PAGE_SIZE - in);
		void *k = kmap_local_page(ua->pages[i]);

		ctb_arch_dcache_flush(k + in, chunk);
		kunmap_local(k);
		pos += chunk;
		left -= chunk;
	}
}

/* ---- layout ------------------------------------------------------------- */

static u32 ctb_ua_ring_bytes(u32 nr, u32 *avail_off, u32 *used_off)
{
	*avail_off = 16 * nr;
	*used_off = ALIGN(*avail_off + 4 + 2 * nr, 4);
	return *used_off + 4 + 8 * nr;
}

/* ---- kmap access: one kmap_local_page() per page touched ---------------- */

static noinline void ctb_ua_kmap_copy_slow(struct ctb_ua_state *ua, u32 off, void *buf,
				       u32 len, bool write)
{
	unsigned int pos = ua->first_off + off;
	u8 *p = buf;

	/* A field of <= 16 bytes touches at most two pages. */
	while (len) {
		unsigned int in = offset_in_page(pos);
		unsigned int chunk = min_t(unsigned int, len, PAGE_SIZE - in);
		u8 *k = kmap_local_page(ua->pages[pos >> PAGE_SHIFT]);

		if (write)
			memcpy(k + in, p, chunk);
		else
			memcpy(p, k + in, chunk);
		kunmap_local(k);
		p += chunk;
		pos += chunk;
		len -= chunk;
	}
}

static __always_inline void ctb_ua_kmap_read(struct ctb_ua_state *ua, u32 off,
					 void *dst, u32 len)
{
	unsigned int pos = ua->first_off + off;
	unsigned int in = offset_in_page(pos);
	u8 *k;

	if (unlikely(in + len > PAGE_SIZE)) {
		ctb_ua_kmap_copy_slow(ua, off, dst, len, false);
		return;
	}
	k = kmap_local_page(ua->pages[pos >> PAGE_SHIFT]);
	memcpy(dst, k + in, len);
	kunmap_local(k);
}

static __always_inline void ctb_ua_kmap_write(struct ctb_ua_state *ua, u32 off,
					  const void *src, u32 len)
{
	unsigned int pos = ua->first_off + off;
	unsigned int in = offset_in_page(pos);
	u8 *k;

	if (unlikely(in + len > PAGE_SIZE)) {
		ctb_ua_kmap_copy_slow(ua, off, (void *)src, len, true);
		return;
	}
	k = kmap_local_page(ua->pages[pos >> PAGE_SHIFT]);
	memcpy(k + in, src, len);
	kunmap_local(k);
}

#define CTB_UA_AVAIL_IDX(ua)	((ua)->avail_off + 2)
#define CTB_UA_AVAIL_ENT(ua, s)	((ua)->avail_off + 4 + 2 * (s))
#define CTB_UA_DESC(h)		(16 * (h))
#define CTB_UA_USED_IDX(ua)		((ua)->used_off + 2)
#define CTB_UA_USED_ENT(ua, s)	((ua)->used_off + 4 + 8 * (s))

/* ---- prepare / teardown ------------------------------------------------- */

static void ctb_ua_unpin(struct ctb_ua_state *ua)
{
	if (ua->pinned)
		unpin_user_pages_dirty_lock(ua->pages, ua->pinned, true);
	ua->pinned = 0;
}

static int ctb_ua_pin(struct ctb_ua_state *ua)
{
	int ret;

	ret = pin_user_pages_fast(ua->uaddr & PAGE_MASK, ua->nr_pages,
				  CTB_UA_PIN_FLAGS, ua->pages);
	if (ret < 0)
		return ret;
	ua->pinned = ret;
	if (ret < ua->nr_pages) {
		ctb_ua_unpin(ua);
		return -EFAULT;
	}
	return 0;
}

static void ctb_ua_teardown(struct ctb_ctx *ctx)
{
	struct ctb_ua_state *ua = ctx->priv;

	if (!ua)
		return;
	if (ua->vbase)
		vunmap(ua->vbase);
	ctb_ua_unpin(ua);
	kfree(ua->pages);
	kfree(ua);
	ctx->priv = NULL;
}

/*
 * Every avail entry must name a descriptor (< N), as vhost checks per
 * request; rejecting a bad ring here gives userspace ERR_BUFFER before
 * anything is timed.  run() still checks (the ring is shared memory).
 */
static int ctb_ua_check_avail(struct ctb_ctx *ctx, struct ctb_ua_state *ua)
{
	u16 buf[64];
	u32 k, i, chunk;

	for (k = 0; k < ua->nr; k += chunk) {
		chunk = min_t(u32, ua->nr - k, ARRAY_SIZE(buf));
		if (copy_from_user(buf, &ua->avail_u->ring[k],
				   chunk * sizeof(buf[0])))
			return -EFAULT;
		for (i = 0; i < chunk; i++) {
			if (buf[i] >= ua->nr) {
				ctx->err_field = CACHETLB_ERR_BUFFER;
				return -EINVAL;
			}
		}
	}
	return 0;
}

/* Validates aux, the ring buffer and COLD; returns the ring's size or < 0. */
static int ctb_ua_check_run(struct ctb_ctx *ctx, u32 *avail_off, u32 *used_off)
{
	const struct cachetlb_run *run = ctx->run;
	u32 nr = run->aux, size;
	const char *why;

	if (nr > CTB_UA_RING_MAX) {
		ctx->err_field = CACHETLB_ERR_AUX;
		return -E2BIG;
	}
	if (!nr || !is_power_of_2(nr)) {
		ctx->err_field = CACHETLB_ERR_AUX;
		return -EINVAL;
	}
	size = ctb_ua_ring_bytes(nr, avail_off, used_off);
	if (!IS_ALIGNED(run->user_addr, CTB_UA_RING_ALIGN) ||
	    run->user_len < size) {
		ctx->err_field = CACHETLB_ERR_BUFFER;
		return -EINVAL;
	}
	if (run->opflags & CACHETLB_OPF_COLD) {
		why = ctb_arch_dcache_flush_reason();
		if (why) {
			pr_notice_once("uaccess ops reject OPF_COLD: %s\n",
				       why);
			ctx->err_field = CACHETLB_ERR_OPFLAGS;
			return -EINVAL;
		}
	}
	if (!access_ok(u64_to_user_ptr(run->user_addr), size))
		return -EFAULT;
	return size;
}

static struct ctb_ua_state *ctb_ua_state_new(const struct cachetlb_run *run,
					     enum ctb_ua_method method,
					     u32 avail_off, u32 used_off,
					     u32 size)
{
	struct ctb_ua_state *ua = kzalloc(sizeof(*ua), GFP_KERNEL);

	if (!ua)
		return NULL;
	ua->method = method;
	ua->nr = run->aux;
	ua->avail_off = avail_off;
	ua->used_off = used_off;
	ua->size = size;
	ua->uaddr = (unsigned long)run->user_addr;
	ua->first_off = offset_in_page(ua->uaddr);
	ua->nr_pages = DIV_ROUND_UP(ua->first_off + size, PAGE_SIZE);
	ua->desc_u = u64_to_user_ptr(run->user_addr);
	ua->avail_u = u64_to_user_ptr(run->user_addr + avail_off);
	ua->used_u = u64_to_user_ptr(run->user_addr + used_off);
	ua->cold = run->opflags & CACHETLB_OPF_COLD;
	ua->verify = run->opflags & CACHETLB_OPF_VERIFY;
	return ua;
}

/*
 * Page array for the methods that need the pages (and for COLD), pinned
 * once here except for uaccess_setup, which pins in run(); the vmap()
 * alias and its kernel views for uaccess_vmap.
 */
static int ctb_ua_map(struct ctb_ua_state *ua)
{
	enum ctb_ua_method method = ua->method;
	u8 *k;
	int ret;

	if (method == CTB_UA_VMAP || method == CTB_UA_KMAP ||
	    method == CTB_UA_SETUP || ua->cold) {
		ua->pages = kcalloc(ua->nr_pages, sizeof(*ua->pages),
				    GFP_KERNEL);
		if (!ua->pages)
			return -ENOMEM;
	}
	if (method != CTB_UA_SETUP && ua->pages) {
		ret = ctb_ua_pin(ua);
		if (ret)
			return ret;
	}
	if (method != CTB_UA_VMAP)
		return 0;
	ua->vbase = vmap(ua->pages, ua->nr_pages, VM_MAP, PAGE_KERNEL);
	if (!ua->vbase)
		return -ENOMEM;
	k = (u8 *)ua->vbase + ua->first_off;
	ua->desc_k = (struct ctb_ua_desc *)k;
	ua->avail_k = (struct ctb_ua_avail *)(k + ua->avail_off);
	ua->used_k = (struct ctb_ua_used *)(k + ua->used_off);
	return 0;
}

static int ctb_ua_prepare(struct ctb_ctx *ctx, enum ctb_ua_method method)
{
	struct ctb_ua_state *ua;
	u32 avail_off, used_off;
	int size, ret;

	size = ctb_ua_check_run(ctx, &avail_off, &used_off);
	if (size < 0)
		return size;
	ua = ctb_ua_state_new(ctx->run, method, avail_off, used_off, size);
	if (!ua)
		return -ENOMEM;
	ctx->priv = ua;

	/*
	 * The engine runs the iterations with page faults disabled: fault the
	 * whole ring in for writing now (without changing its contents), so
	 * that an unmapped or read-only ring fails here with EFAULT.
	 */
	if (fault_in_safe_writeable((const char __user *)ua->desc_u, size)) {
		ret = -EFAULT;
		goto fail;
	}
	if (method != CTB_UA_SETUP) {
		ret = ctb_ua_check_avail(ctx, ua);
		if (ret)
			goto fail;
	}
	ret = ctb_ua_map(ua);
	if (ret)
		goto fail;
	return 0;

fail:
	ctb_ua_teardown(ctx);
	return ret;
}

/* prepare() of each method: ctb_ua_prepare_copy() ... ctb_ua_prepare_setup(). */
#define CTB_UA_PREPARE(_name, _method)					\
static int ctb_ua_prepare_##_name(struct ctb_ctx *ctx)			\
{									\
	return ctb_ua_prepare(ctx, _method);				\
}

CTB_UA_PREPARE(copy, CTB_UA_COPY)
CTB_UA_PREPARE(getput, CTB_UA_GETPUT)
CTB_UA_PREPARE(unsafe, CTB_UA_UNSAFE)
CTB_UA_PREPARE(vmap, CTB_UA_VMAP)
CTB_UA_PREPARE(kmap, CTB_UA_KMAP)
CTB_UA_PREPARE(setup, CTB_UA_SETUP)

/* ---- per-sample hooks --------------------------------------------------- */

static void ctb_ua_pre_sample(struct ctb_ctx *ctx)
{
	struct ctb_ua_state *ua = ctx->priv;

	if (ua->cold)
		ctb_ua_evict_ring(ua);
}

/* Read ring bytes for verification: pinned pages if any, else uaccess. */
static int ctb_ua_peek(struct ctb_ua_state *ua, u32 off, void *dst, u32 len)
{
	if (ua->pinned == ua->nr_pages && ua->pages) {
		ctb_ua_kmap_copy_slow(ua, off, dst, len, false);
		return 0;
	}
	if (copy_from_user(dst, (const u8 __user *)ua->desc_u + off, len))
		return -EFAULT;
	return 0;
}

/* VERIFY: the last request's used element and used.idx are what it wrote. */
static void ctb_ua_post_sample(struct ctb_ctx *ctx)
{
	struct ctb_ua_state *ua = ctx->priv;
	struct ctb_ua_used_elem elem;
	struct ctb_ua_desc desc;
	u16 head, idx;
	u32 slot;

	if (!ua->verify || !ua->req)
		return;
	slot = (ua->req - 1) & (ua->nr - 1);
	if (ctb_ua_peek(ua, CTB_UA_AVAIL_ENT(ua, slot), &head, sizeof(head)) ||
	    head >= ua->nr ||
	    ctb_ua_peek(ua, CTB_UA_DESC(head), &desc, sizeof(desc)) ||
	    ctb_ua_peek(ua, CTB_UA_USED_ENT(ua, slot), &elem, sizeof(elem)) ||
	    ctb_ua_peek(ua, CTB_UA_USED_IDX(ua), &idx, sizeof(idx))) {
		ctx->errors++;
		return;
	}
	if (elem.id != head || elem.len != desc.len || idx != (u16)ua->req)
		ctx->errors++;
}

/* ---- one request per method --------------------------------------------- */

/*
 * The vhost ordering: the avail entry is read after avail.idx (pairs with
 * the driver's write barrier before its idx update) ...
 */
static __always_inline void ctb_ua_rmb_after_avail_idx(void)
{
	/* Read avail.ring[] only after avail.idx, as vhost_get_vq_desc(). */
	smp_rmb();
}

/* ... and the used element is visible before used.idx moves. */
static __always_inline void ctb_ua_wmb_before_used_idx(void)
{
	/* Publish used.ring[] before used.idx, as vhost_add_used_n(). */
	smp_wmb();
}

static int ctb_ua_bad_head(struct ctb_ctx *ctx)
{
	ctx->err_field = CACHETLB_ERR_BUFFER;
	return -EINVAL;
}

static __always_inline void ctb_ua_request_done(struct ctb_ctx *ctx,
					    struct ctb_ua_state *ua, u16 avail_idx,
					    const struct ctb_ua_desc *desc)
{
	ua->sink += avail_idx ^ desc->addr ^ desc->flags ^ desc->next;
	ua->req++;
	ctx->result = (u16)ua->req;
}

static int ctb_ua_run_copy(struct ctb_ctx *ctx)
{
	struct ctb_ua_state *ua = ctx->priv;
	u32 slot = ua->req & (ua->nr - 1);
	u16 avail_idx, head, used_idx = (u16)(ua->req + 1);
	struct ctb_ua_used_elem elem;
	struct ctb_ua_desc desc;

	if (copy_from_user(&avail_idx, &ua->avail_u->idx, sizeof(avail_idx)))
		return -EFAULT;
	ctb_ua_rmb_after_avail_idx();
	if (copy_from_user(&head, &ua->avail_u->ring[slot], sizeof(head)))
		return -EFAULT;
	if (unlikely(head >= ua->nr))
		return ctb_ua_bad_head(ctx);
	if (copy_from_user(&desc, &ua->desc_u[head], sizeof(desc)))
		return -EFAULT;
	elem.id = head;
	elem.len = desc.len;
	if (copy_to_user(&ua->used_u->ring[slot], &elem, sizeof(elem)))
		return -EFAULT;
	ctb_ua_wmb_before_used_idx();
	if (copy_to_user(&ua->used_u->idx, &used_idx, sizeof(used_idx)))
		return -EFAULT;
	ctb_ua_request_done(ctx, ua, avail_idx, &desc);
	return 0;
}

static int ctb_ua_run_getput(struct ctb_ctx *ctx)
{
	struct ctb_ua_state *ua = ctx->priv;
	u32 slot = ua->req & (ua->nr - 1);
	u16 avail_idx, head, used_idx = (u16)(ua->req + 1);
	struct ctb_ua_desc __user *d;
	struct ctb_ua_desc desc;

	if (get_user(avail_idx, &ua->avail_u->idx))
		return -EFAULT;
	ctb_ua_rmb_after_avail_idx();
	if (get_user(head, &ua->avail_u->ring[slot]))
		return -EFAULT;
	if (unlikely(head >= ua->nr))
		return ctb_ua_bad_head(ctx);
	d = &ua->desc_u[head];
	if (get_user(desc.addr, &d->addr) || get_user(desc.len, &d->len) ||
	    get_user(desc.flags, &d->flags) || get_user(desc.next, &d->next))
		return -EFAULT;
	if (put_user((u32)head, &ua->used_u->ring[slot].id) ||
	    put_user(desc.len, &ua->used_u->ring[slot].len))
		return -EFAULT;
	ctb_ua_wmb_before_used_idx();
	if (put_user(used_idx, &ua->used_u->idx))
		return -EFAULT;
	ctb_ua_request_done(ctx, ua, avail_idx, &desc);
	return 0;
}

static int ctb_ua_run_unsafe(struct ctb_ctx *ctx)
{
	struct ctb_ua_state *ua = ctx->priv;
	u32 slot = ua->req & (ua->nr - 1);
	u16 avail_idx, head, used_idx = (u16)(ua->req + 1);
	struct ctb_ua_desc __user *d;
	struct ctb_ua_desc desc;

	/* One STAC/CLAC (x86) window for the whole request. */
	if (!user_access_begin(ua->desc_u, ua->size))
		return -EFAULT;
	unsafe_get_user(avail_idx, &ua->avail_u->idx, efault);
	ctb_ua_rmb_after_avail_idx();
	unsafe_get_user(head, &ua->avail_u->ring[slot], efault);
	if (unlikely(head >= ua->nr)) {
		user_access_end();
		return ctb_ua_bad_head(ctx);
	}
	d = &ua->desc_u[head];
	unsafe_get_user(desc.addr, &d->addr, efault);
	unsafe_get_user(desc.len, &d->len, efault);
	unsafe_get_user(desc.flags, &d->flags, efault);
	unsafe_get_user(desc.next, &d->next, efault);
	unsafe_put_user((u32)head, &ua->used_u->ring[slot].id, efault);
	unsafe_put_user(desc.len, &ua->used_u->ring[slot].len, efault);
	ctb_ua_wmb_before_used_idx();
	unsafe_put_user(used_idx, &ua->used_u->idx, efault);
	user_access_end();
	ctb_ua_request_done(ctx, ua, avail_idx, &desc);
	return 0;

efault:
	user_access_end();
	return -EFAULT;
}

static int ctb_ua_run_vmap(struct ctb_ctx *ctx)
{
	struct ctb_ua_state *ua = ctx->priv;
	u32 slot = ua->req & (ua->nr - 1);
	u16 avail_idx, head, used_idx = (u16)(ua->req + 1);
	const struct ctb_ua_desc *d;
	struct ctb_ua_desc desc;

	avail_idx = READ_ONCE(ua->avail_k->idx);
	ctb_ua_rmb_after_avail_idx();
	head = READ_ONCE(ua->avail_k->ring[slot]);
	if (unlikely(head >= ua->nr))
		return ctb_ua_bad_head(ctx);
	d = &ua->desc_k[head];
	desc.addr = READ_ONCE(d->addr);
	desc.len = READ_ONCE(d->len);
	desc.flags = READ_ONCE(d->flags);
	desc.next = READ_ONCE(d->next);
	WRITE_ONCE(ua->used_k->ring[slot].id, head);
	WRITE_ONCE(ua->used_k->ring[slot].len, desc.len);
	ctb_ua_wmb_before_used_idx();
	WRITE_ONCE(ua->used_k->idx, used_idx);
	ctb_ua_request_done(ctx, ua, avail_idx, &desc);
	return 0;
}

static int ctb_ua_run_kmap(struct ctb_ctx *ctx)
{
	struct ctb_ua_state *ua = ctx->priv;
	u32 slot = ua->req & (ua->nr - 1);
	u16 avail_idx, head, used_idx = (u16)(ua->req + 1);
	struct ctb_ua_used_elem elem;
	struct ctb_ua_desc desc;

	ctb_ua_kmap_read(ua, CTB_UA_AVAIL_IDX(ua), &avail_idx, sizeof(avail_idx));
	ctb_ua_rmb_after_avail_idx();
	ctb_ua_kmap_read(ua, CTB_UA_AVAIL_ENT(ua, slot), &head, sizeof(head));
	if (unlikely(head >= ua->nr))
		return ctb_ua_bad_head(ctx);
	ctb_ua_kmap_read(ua, CTB_UA_DESC(head), &desc, sizeof(desc));
	elem.id = head;
	elem.len = desc.len;
	ctb_ua_kmap_write(ua, CTB_UA_USED_ENT(ua, slot), &elem, sizeof(elem));
	ctb_ua_wmb_before_used_idx();
	ctb_ua_kmap_write(ua, CTB_UA_USED_IDX(ua), &used_idx, sizeof(used_idx));
	ctb_ua_request_done(ctx, ua, avail_idx, &desc);
	return 0;
}

/* The vmap path's fixed cost: pin + vmap, then vunmap + unpin (dirty). */
static int ctb_ua_run_setup(struct ctb_ctx *ctx)
{
	struct ctb_ua_state *ua = ctx->priv;
	void *v;
	int ret;

	ret = ctb_ua_pin(ua);
	if (ret)
		return ret;
	v = vmap(ua->pages, ua->nr_pages, VM_MAP, PAGE_KERNEL);
	if (!v) {
		ctb_ua_unpin(ua);
		return -ENOMEM;
	}
	vunmap(v);
	ctb_ua_unpin(ua);
	ua->req++;
	ctx->result = ua->req;
	return 0;
}

/*
 * params texts must fit CACHETLB_TEXT_LEN with the NUL; the full layout is
 * in the comment at the top of this file and in the family notes.
 */
#define CTB_UA_PARAMS_UACCESS						\
	"aux=ring N (pow2 1..32768); buf=vring desc@0 avail@16N used@align4(18N+4); result=used idx; cost depends on SMAP/PAN/SUM"
#define CTB_UA_PARAMS_ALIAS						\
	"aux=ring N (pow2 1..32768); buf=vring desc@0 avail@16N used@align4(18N+4), pinned in prepare; result=used idx"
#define CTB_UA_PARAMS_SETUP						\
	"aux=ring N (pow2 1..32768); buf=vring; 1 iter = pin+vmap+vunmap+unpin of the ring; result=iterations done"

#ifdef unsafe_op_wrap
/* No arch user_access_begin(): unsafe_*_user() are __get/__put_user. */
#define CTB_UA_PARAMS_UNSAFE						\
	"aux=ring N (pow2 1..32768); buf as uaccess_copy; generic unsafe_*: no window, __get/__put_user each; result=used idx"
#else
#define CTB_UA_PARAMS_UNSAFE CTB_UA_PARAMS_UACCESS
#endif

static_assert(sizeof(CTB_UA_PARAMS_UACCESS) <= CACHETLB_TEXT_LEN);
static_assert(sizeof(CTB_UA_PARAMS_UNSAFE) <= CACHETLB_TEXT_LEN);
static_assert(sizeof(CTB_UA_PARAMS_ALIAS) <= CACHETLB_TEXT_LEN);
static_assert(sizeof(CTB_UA_PARAMS_SETUP) <= CACHETLB_TEXT_LEN);

#define CTB_UA_USES		(CACHETLB_USES_AUX | CACHETLB_USES_USER_BUF | \
			 CACHETLB_USES_OPFLAGS)
#define CTB_UA_OPFLAGS	(CACHETLB_OPF_COLD | CACHETLB_OPF_VERIFY)

/* One call serves one ring request through the kernel's uaccess. */
#define CTB_UA_REQUEST_PROPS	(CACHETLB_PROP_KERNEL_PATH |		\
				 CACHETLB_PROP_UNIT_IS_CALL |		\
				 CACHETLB_PROP_RING_REQUESTS)

/* What every request op shares; the row names its prepare and run. */
#define CTB_UA_REQUEST							\
	.family = CACHETLB_FAM_UACCESS,					\
	.unit = "requests",						\
	.uses = CTB_UA_USES,						\
	.props = CTB_UA_REQUEST_PROPS,					\
	.opflags = CTB_UA_OPFLAGS,					\
	.symbols = ctb_arch_dcache_flush_syms,				\
	.pre_sample = ctb_ua_pre_sample,				\
	.post_sample = ctb_ua_post_sample,				\
	.teardown = ctb_ua_teardown

const struct ctb_op ctb_ops_uaccess[] = {
	{ CTB_UA_REQUEST, .name = "uaccess_copy",
	  .params = CTB_UA_PARAMS_UACCESS,
	  .prepare = ctb_ua_prepare_copy, .run = ctb_ua_run_copy },
	{ CTB_UA_REQUEST, .name = "uaccess_getput",
	  .params = CTB_UA_PARAMS_UACCESS,
	  .prepare = ctb_ua_prepare_getput, .run = ctb_ua_run_getput },
	{ CTB_UA_REQUEST, .name = "uaccess_unsafe",
	  .params = CTB_UA_PARAMS_UNSAFE,
	  .prepare = ctb_ua_prepare_unsafe, .run = ctb_ua_run_unsafe },
	{ CTB_UA_REQUEST, .name = "uaccess_vmap",
	  .params = CTB_UA_PARAMS_ALIAS,
	  .prepare = ctb_ua_prepare_vmap, .run = ctb_ua_run_vmap },
	{ CTB_UA_REQUEST, .name = "uaccess_kmap",
	  .params = CTB_UA_PARAMS_ALIAS,
	  .prepare = ctb_ua_prepare_kmap, .run = ctb_ua_run_kmap },
	{
		.name = "uaccess_setup",
		.family = CACHETLB_FAM_UACCESS,
		.unit = "setups",
		.params = CTB_UA_PARAMS_SETUP,
		.uses = CACHETLB_USES_AUX | CACHETLB_USES_USER_BUF,
		.props = CACHETLB_PROP_SLEEPS | CACHETLB_PROP_KERNEL_PATH |
			 CACHETLB_PROP_UNIT_IS_CALL,
		.prepare = ctb_ua_prepare_setup,
		.run = ctb_ua_run_setup,
		.teardown = ctb_ua_teardown,
	},
};

const unsigned int ctb_nr_ops_uaccess = ARRAY_SIZE(ctb_ops_uaccess);
