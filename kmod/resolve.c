// SPDX-License-Identifier: GPL-2.0
/*
 * resolve.c - addresses of unexported kernel symbols, supplied by root.
 *
 * Userspace reads /proc/kallsyms and passes name/address pairs through
 * RESOLVE.  An address is accepted only if sprint_symbol() maps it back to
 * exactly "<name>+0x0/..." in the core kernel (not a module, which could be
 * unloaded) and, for functions on x86 kernels built with IBT, the entry
 * holds a live ENDBR64 (ctb_arch_check_entry()).  Only names that some op
 * lists in its `symbols` are accepted.
 *
 * Concurrency: the table is sized at load time and never reallocated.  An
 * entry's state moves UNRESOLVED -> OK/SEALED/NO_ENDBR and SEALED/NO_ENDBR
 * -> OK (a second, good copy of a duplicated static name), never away from
 * OK.  Writers serialise on ctb_sym_lock and publish the state with a
 * release store after writing addr/reason; readers use an acquire load, so
 * they never see a half-written entry and need no lock.  The reason text of
 * a bad state is written once, before that state is published.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "cachetlb.h"

struct ctb_sym_entry {
	const char *name;
	unsigned long addr;		/* valid once state is OK */
	u32 state;			/* enum cachetlb_sym_state */
	bool data;			/* data symbol: no entry check */
	char unresolved[CACHETLB_TEXT_LEN];
	char reason[CACHETLB_TEXT_LEN];
};

/*
 * Data symbols the core reads itself (GET_INFO tlb_flush_ceiling).  They are
 * never called, so they skip the ENDBR check; ops only ever get functions.
 */
static const char *const ctb_core_data_syms[] = {
#if defined(CONFIG_X86_64)
	"tlb_single_page_flush_ceiling",
#elif defined(CONFIG_RISCV)
	"tlb_flush_all_threshold",
#endif
	NULL
};

static struct ctb_sym_entry *ctb_syms;
static unsigned int ctb_nr_syms;
static DEFINE_MUTEX(ctb_sym_lock);

static struct ctb_sym_entry *ctb_sym_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ctb_nr_syms; i++)
		if (!strcmp(ctb_syms[i].name, name))
			return &ctb_syms[i];
	return NULL;
}

void *ctb_sym(const char *name)
{
	struct ctb_sym_entry *e = ctb_sym_find(name);

	/* Pairs with the release in ctb_resolve(): addr is set before state. */
	if (!e || smp_load_acquire(&e->state) != CACHETLB_SYM_OK)
		return NULL;
	return (void *)READ_ONCE(e->addr);
}

const char *ctb_sym_reason(const char *name)
{
	struct ctb_sym_entry *e = ctb_sym_find(name);
	u32 state;

	if (!e)
		return "symbol not listed in any op's symbols (module bug)";
	/* Pairs with the release in ctb_resolve(): reason is set first. */
	state = smp_load_acquire(&e->state);
	if (state == CACHETLB_SYM_OK)
		return NULL;
	if (state == CACHETLB_SYM_UNRESOLVED)
		return e->unresolved;
	return e->reason;
}

const char *ctb_syms_reason(const char *const *names)
{
	const char *why;

	for (; names && *names; names++) {
		why = ctb_sym_reason(*names);
		if (why)
			return why;
	}
	return NULL;
}

static bool ctb_is_core_data(const char *name)
{
	const char *const *p;

	for (p = ctb_core_data_syms; *p; p++)
		if (!strcmp(*p, name))
			return true;
	return false;
}

/* Adds @name unless present; @slots has room for every candidate. */
static void ctb_sym_add(struct ctb_sym_entry *slots, const char *name)
{
	struct ctb_sym_entry *e;

	if (ctb_sym_find(name))
		return;
	e = &slots[ctb_nr_syms++];
	e->name = name;
	e->state = CACHETLB_SYM_UNRESOLVED;
	e->data = ctb_is_core_data(name);
	scnprintf(e->unresolved, sizeof(e->unresolved),
		  "symbol %s not resolved (ctbench resolves it from /proc/kallsyms as root)",
		  name);
}

int ctb_resolve_init(void)
{
	const struct ctb_op *op;
	const char *const *s;
	unsigned int i, n, max = 0;

	n = ctb_nr_ops();
	for (i = 0; i < n; i++)
		for (s = ctb_op_symbols(ctb_op_get(i)); *s; s++)
			max++;
	max += ARRAY_SIZE(ctb_core_data_syms);

	ctb_syms = kcalloc(max, sizeof(*ctb_syms), GFP_KERNEL);
	if (!ctb_syms)
		return -ENOMEM;
	ctb_nr_syms = 0;
	for (i = 0; i < n; i++) {
		op = ctb_op_get(i);
		for (s = ctb_op_symbols(op); *s; s++)
			ctb_sym_add(ctb_syms, *s);
	}
	for (s = ctb_core_data_syms; *s; s++)
		ctb_sym_add(ctb_syms, *s);
	return 0;
}

void ctb_resolve_exit(void)
{
	kfree(ctb_syms);
	ctb_syms = NULL;
	ctb_nr_syms = 0;
}

/* True if @text (sprint_symbol() output) is exactly "<name>+0x0/<size>". */
static bool ctb_sym_text_matches(const char *text, const char *name)
{
	size_t len = strlen(name);

	if (strncmp(text, name, len))
		return false;
	return !strncmp(text + len, "+0x0/", 5);
}

/* The wanted-symbol entry RESOLVE names, or NULL with hdr.error set. */
static struct ctb_sym_entry *ctb_resolve_entry(struct cachetlb_resolve *req)
{
	struct ctb_sym_entry *e;

	if (req->reserved0) {
		req->hdr.error = CACHETLB_ERR_RESERVED;
		return NULL;
	}
	if (!memchr(req->name, '\0', sizeof(req->name))) {
		req->hdr.error = CACHETLB_ERR_NAME;
		strscpy(req->detail, "name is not NUL terminated within 64 bytes",
			sizeof(req->detail));
		return NULL;
	}
	e = ctb_sym_find(req->name);
	if (!e) {
		req->hdr.error = CACHETLB_ERR_NAME;
		scnprintf(req->detail, sizeof(req->detail),
			  "%s is not needed by any op", req->name);
	}
	return e;
}

/*
 * Records the verdict @state for @addr (text: its sprint_symbol()) in @e:
 * the first verified address stays, a failure is kept only while the
 * symbol is unresolved.  Returns 0 or -EINVAL.
 */
static long ctb_resolve_record(struct cachetlb_resolve *req,
			       struct ctb_sym_entry *e, unsigned long addr,
			       const char *text, u32 state)
{
	long ret = 0;

	mutex_lock(&ctb_sym_lock);
	if (state == CACHETLB_SYM_OK) {
		if (e->state != CACHETLB_SYM_OK) {
			WRITE_ONCE(e->addr, addr);
			/* Publish addr before state; see ctb_sym(). */
			smp_store_release(&e->state, CACHETLB_SYM_OK);
			strscpy(req->detail, text, sizeof(req->detail));
		} else if (e->addr != addr) {
			scnprintf(req->detail, sizeof(req->detail),
				  "%s verified; keeping the first verified address 0x%lx",
				  text, e->addr);
		} else {
			strscpy(req->detail, text, sizeof(req->detail));
		}
		req->state = CACHETLB_SYM_OK;
	} else {
		if (e->state == CACHETLB_SYM_UNRESOLVED) {
			scnprintf(e->reason, sizeof(e->reason), "symbol %s: %s",
				  e->name, req->detail);
			/* Publish reason before state; see ctb_sym_reason(). */
			smp_store_release(&e->state, state);
		}
		req->state = state;
		req->hdr.error = CACHETLB_ERR_ADDR;
		ret = -EINVAL;
	}
	mutex_unlock(&ctb_sym_lock);
	return ret;
}

long ctb_resolve(struct cachetlb_resolve *req)
{
	struct ctb_sym_entry *e;
	unsigned long addr = (unsigned long)req->addr;
	char *text, *sp;
	u32 state;
	long ret;

	req->state = CACHETLB_SYM_UNRESOLVED;
	req->detail[0] = '\0';
	e = ctb_resolve_entry(req);
	if (!e)
		return -EINVAL;

	text = kmalloc(KSYM_SYMBOL_LEN, GFP_KERNEL);
	if (!text)
		return -ENOMEM;
	sprint_symbol(text, addr);
	sp = strchr(text, ' ');
	if (sp) {
		/*
		 * " [module]": a module can be unloaded under us, leaving the
		 * pointer dangling.  Only core kernel symbols are accepted.
		 */
		req->state = CACHETLB_SYM_MISMATCH;
		req->hdr.error = CACHETLB_ERR_ADDR;
		scnprintf(req->detail, sizeof(req->detail),
			  "0x%lx is %s: module symbols are not accepted", addr,
			  text);
		ret = -EINVAL;
		goto out;
	}
	if (!addr || !ctb_sym_text_matches(text, e->name)) {
		req->state = CACHETLB_SYM_MISMATCH;
		req->hdr.error = CACHETLB_ERR_ADDR;
		scnprintf(req->detail, sizeof(req->detail),
			  "0x%lx is %s, not %s+0x0", addr, text, e->name);
		ret = -EINVAL;
		goto out;
	}

	state = CACHETLB_SYM_OK;
	if (!e->data)
		state = ctb_arch_check_entry((void *)addr, req->detail,
					     sizeof(req->detail));
	ret = ctb_resolve_record(req, e, addr, text, state);
out:
	kfree(text);
	return ret;
}
