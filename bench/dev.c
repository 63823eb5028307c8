// SPDX-License-Identifier: GPL-2.0
/*
 * ctbench device access: ioctl wrappers for /dev/cachetlb and symbol
 * resolution through /proc/kallsyms + RESOLVE.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "dev.h"
#include "kallsyms.h"
#include "names.h"
#include "native.h"

static const char *const err_names[CACHETLB_ERR_MAX] = {
	[CACHETLB_ERR_NONE] = "none",
	[CACHETLB_ERR_SIZE] = "hdr.size",
	[CACHETLB_ERR_VERSION] = "hdr.abi_version",
	[CACHETLB_ERR_RESERVED] = "reserved",
	[CACHETLB_ERR_INDEX] = "index",
	[CACHETLB_ERR_OP] = "op",
	[CACHETLB_ERR_CPU] = "cpu",
	[CACHETLB_ERR_TARGETS] = "targets",
	[CACHETLB_ERR_ITERATIONS] = "iterations",
	[CACHETLB_ERR_SAMPLES] = "samples",
	[CACHETLB_ERR_WARMUP] = "warmup",
	[CACHETLB_ERR_COUNT] = "count",
	[CACHETLB_ERR_AUX] = "aux",
	[CACHETLB_ERR_STATE] = "state",
	[CACHETLB_ERR_STRIDE] = "stride",
	[CACHETLB_ERR_OPFLAGS] = "opflags",
	[CACHETLB_ERR_FLAGS] = "flags",
	[CACHETLB_ERR_BUFFER] = "user buffer",
	[CACHETLB_ERR_SAMPLE_BUF] = "sample buffer",
	[CACHETLB_ERR_NAME] = "name",
	[CACHETLB_ERR_ADDR] = "addr",
	[CACHETLB_ERR_TIME_LIMIT] = "time_limit_ms",
	[CACHETLB_ERR_PMU] = "pmu cycle counter",
};

const char *ctb_err_field_name(uint32_t err)
{
	return CTB_NAME(err_names, err, "?");
}

static const char *const fam_names[CACHETLB_FAM_MAX] = {
	"core", "uaccess", "cache", "tlb",
};

const char *ctb_family_name(uint32_t fam)
{
	return CTB_NAME(fam_names, fam, NULL);
}

int ctb_family_from_name(const char *name)
{
	for (int i = 0; i < CACHETLB_FAM_MAX; i++)
		if (!strcmp(name, fam_names[i]))
			return i;
	return -1;
}

const char *ctb_state_name(uint32_t state)
{
	static const char *const n[CACHETLB_STATE_MAX] = {
		"any", "clean", "dirty", "uncached"
	};

	return CTB_NAME(n, state, "?");
}

void ctb_opflags_str(uint32_t opflags, char *buf, size_t len)
{
	static const char *const n[] = { "vmap", "double", "cold", "verify" };
	size_t off = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < 4; i++) {
		if (!(opflags & (1U << i)))
			continue;
		off += snprintf(buf + off, off < len ? len - off : 0, "%s%s",
				off ? "+" : "", n[i]);
	}
	if (!off)
		snprintf(buf, len, "-");
}

static const char *const ctb_prop_names[] = {
	"sleeps", "noop_api", "ipi", "one_call", "compiled_empty",
	"needs_syms", "kernel_path", "unit_is_call", "ring_requests",
};

const char *ctb_prop_name(uint32_t bit)
{
	for (unsigned int i = 0;
	     i < sizeof(ctb_prop_names) / sizeof(ctb_prop_names[0]); i++)
		if (bit == (1U << i))
			return ctb_prop_names[i];
	return NULL;
}

void ctb_props_str(uint32_t props, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < 32; i++) {
		const char *n;
		char unknown[16];

		if (!(props & (1U << i)))
			continue;
		n = ctb_prop_name(1U << i);
		if (!n) {
			snprintf(unknown, sizeof(unknown), "bit%u", i);
			n = unknown;
		}
		off += (size_t)snprintf(buf + off, off < len ? len - off : 0,
					"%s%s", off ? "," : "", n);
	}
	if (!off)
		snprintf(buf, len, "-");
}

int ctb_op_has(const struct cachetlb_op_desc *op, uint32_t prop)
{
	return prop && (op->props & prop) == prop;
}

const char *ctb_hyp_name(uint32_t hyp)
{
	static const char *const n[] = {
		[CACHETLB_HYP_NONE] = "none",
		[CACHETLB_HYP_PRESENT] = "present",
	};

	return CTB_NAME(n, hyp, "unknown");
}

const char *ctb_counter_name(uint32_t counter)
{
	static const char *const n[] = {
		[CACHETLB_CTR_TSC] = "tsc",
		[CACHETLB_CTR_CNTVCT] = "cntvct",
		[CACHETLB_CTR_RDTIME] = "rdtime",
		[CACHETLB_CTR_PMU_CYCLES] = "pmu-cycles",
		[CACHETLB_CTR_TIMEBASE] = "timebase",
	};

	return CTB_NAME(n, counter, "none");
}

static const char *const feat_names[] = {
	"smap", "pan", "sum_toggle", "pcid", "invpcid", "clflush",
	"clflushopt", "clwb", "tlb_range", "zicbom", "svinval", "ibt",
	"kernel_ibt", "pti", "dcpop", "idc", "dic", "dc_aliases",
};

static void features_fmt(uint64_t features, char *buf, size_t len, int json)
{
	size_t off = 0;
	size_t nf = sizeof(feat_names) / sizeof(feat_names[0]);

	off += snprintf(buf, len, "%s", json ? "[" : "");
	for (size_t i = 0; i < 64; i++) {
		char unk[16];
		const char *n;

		if (!(features & (1ULL << i)))
			continue;
		if (i < nf) {
			n = feat_names[i];
		} else {
			snprintf(unk, sizeof(unk), "bit%zu", i);
			n = unk;
		}
		if (json)
			off += snprintf(buf + off, off < len ? len - off : 0,
					"%s\"%s\"", off > 1 ? "," : "", n);
		else
			off += snprintf(buf + off, off < len ? len - off : 0,
					"%s%s", off ? " " : "", n);
	}
	if (json)
		snprintf(buf + off, off < len ? len - off : 0, "]");
	else if (!off)
		snprintf(buf, len, "-");
}

void ctb_features_json(uint64_t features, char *buf, size_t len)
{
	features_fmt(features, buf, len, 1);
}

void ctb_features_str(uint64_t features, char *buf, size_t len)
{
	features_fmt(features, buf, len, 0);
}

static void hdr_init(struct cachetlb_hdr *h, size_t size)
{
	h->size = (uint32_t)size;
	h->abi_version = CACHETLB_ABI_VERSION;
	h->error = 0;
	h->reserved = 0;
}

static const char *errno_hint(int e)
{
	switch (e) {
	case EPERM:
		return "needs CAP_SYS_ADMIN (run as root)";
	case ENOTTY:
		return "the device does not know this ioctl (module/ABI mismatch?)";
	case EFAULT:
		return "a user buffer or pointer is not accessible";
	case EOPNOTSUPP:
		return "op not supported here (see `ctbench list` for the reason)";
	case EINTR:
		return "interrupted by a signal";
	case ENOMEM:
		return "the op could not allocate its buffers";
	default:
		return strerror(e);
	}
}

/* Value of the RUN field an error code refers to, for the message. */
static int run_field_value(const struct cachetlb_run *r, uint32_t field,
			   char *buf, size_t len)
{
	switch (field) {
	case CACHETLB_ERR_OP:
		snprintf(buf, len, "op=%u", r->op);
		return 1;
	case CACHETLB_ERR_CPU:
		snprintf(buf, len, "cpu=%u", r->cpu);
		return 1;
	case CACHETLB_ERR_ITERATIONS:
		snprintf(buf, len, "iterations=%u (valid 1..%u)",
			 r->iterations, CACHETLB_MAX_ITERATIONS);
		return 1;
	case CACHETLB_ERR_SAMPLES:
		snprintf(buf, len, "samples=%u (valid 1..%u)", r->samples,
			 CACHETLB_MAX_SAMPLES);
		return 1;
	case CACHETLB_ERR_WARMUP:
		snprintf(buf, len, "warmup=%u (valid 0..%u)", r->warmup,
			 CACHETLB_MAX_WARMUP);
		return 1;
	case CACHETLB_ERR_AUX:
		snprintf(buf, len, "aux=%u", r->aux);
		return 1;
	case CACHETLB_ERR_STATE:
		snprintf(buf, len, "state=%s", ctb_state_name(r->state));
		return 1;
	case CACHETLB_ERR_STRIDE:
		snprintf(buf, len, "stride=%u", r->stride);
		return 1;
	case CACHETLB_ERR_OPFLAGS: {
		char f[64];

		ctb_opflags_str(r->opflags, f, sizeof(f));
		snprintf(buf, len, "opflags=%s", f);
		return 1;
	}
	case CACHETLB_ERR_FLAGS:
		if (r->flags & CACHETLB_RUN_IRQS_OFF)
			snprintf(buf, len,
				 "flags=0x%x (--irqs-off: not allowed for ops that sleep or send IPIs)",
				 r->flags);
		else
			snprintf(buf, len, "flags=0x%x", r->flags);
		return 1;
	case CACHETLB_ERR_BUFFER:
		snprintf(buf, len, "user buffer 0x%" PRIx64 " len %" PRIu64,
			 (uint64_t)r->user_addr, (uint64_t)r->user_len);
		return 1;
	case CACHETLB_ERR_TIME_LIMIT:
		snprintf(buf, len, "time_limit_ms=%u", r->time_limit_ms);
		return 1;
	default:
		return 0;
	}
}

void ctb_dev_describe_error(const char *ioctl_name, int errnum,
			    uint32_t field, const struct cachetlb_run *run,
			    const struct cachetlb_op_desc *desc,
			    char *err, size_t len)
{
	char val[160];

	if ((errnum == EINVAL || errnum == E2BIG) && field != 0) {
		if (run && field == CACHETLB_ERR_COUNT && desc) {
			snprintf(val, sizeof(val),
				 "count=%u (valid %u..%u %s)", run->count,
				 desc->count_min, desc->count_max, desc->unit);
		} else if (run && field == CACHETLB_ERR_COUNT) {
			snprintf(val, sizeof(val), "count=%u", run->count);
		} else if (!run || !run_field_value(run, field, val,
						     sizeof(val))) {
			snprintf(val, sizeof(val), "%s",
				 ctb_err_field_name(field));
		}
		snprintf(err, len, "%s: %s rejected by the module (%s, %s)",
			 ioctl_name, val,
			 errnum == E2BIG ? "above its limit" : "invalid",
			 ctb_err_field_name(field));
		return;
	}
	snprintf(err, len, "%s failed: %s (errno %d: %s)", ioctl_name,
		 errno_hint(errnum), errnum, strerror(errnum));
}

int ctb_dev_get_info(int fd, struct cachetlb_info *info, char *err,
		     size_t len)
{
	memset(info, 0, sizeof(*info));
	hdr_init(&info->hdr, sizeof(*info));
	if (ioctl(fd, CACHETLB_IOC_GET_INFO, info) < 0) {
		int e = errno;

		ctb_dev_describe_error("GET_INFO", e, info->hdr.error, NULL,
				       NULL, err, len);
		return -e;
	}
	if (info->hdr.abi_version != CACHETLB_ABI_VERSION) {
		info->module_version[sizeof(info->module_version) - 1] = '\0';
		ctb_native_abi_error(err, len, info->hdr.abi_version,
				     CACHETLB_ABI_VERSION,
				     info->module_version);
		return -EPROTO;
	}
	return 0;
}

int ctb_dev_op_desc(int fd, uint32_t index, struct cachetlb_op_desc *desc,
		    char *err, size_t len)
{
	memset(desc, 0, sizeof(*desc));
	hdr_init(&desc->hdr, sizeof(*desc));
	desc->index = index;
	if (ioctl(fd, CACHETLB_IOC_LIST_OPS, desc) < 0) {
		int e = errno;
		char what[48];

		snprintf(what, sizeof(what), "LIST_OPS index %u", index);
		ctb_dev_describe_error(what, e, desc->hdr.error, NULL, NULL,
				       err, len);
		return -e;
	}
	/* The module NUL terminates, but never trust a length. */
	desc->name[sizeof(desc->name) - 1] = '\0';
	desc->unit[sizeof(desc->unit) - 1] = '\0';
	desc->params[sizeof(desc->params) - 1] = '\0';
	desc->reason[sizeof(desc->reason) - 1] = '\0';
	desc->symbols[sizeof(desc->symbols) - 1] = '\0';
	return 0;
}

int ctb_dev_resolve(int fd, const char *name, uint64_t addr,
		    struct cachetlb_resolve *out, char *err, size_t len)
{
	memset(out, 0, sizeof(*out));
	hdr_init(&out->hdr, sizeof(*out));
	out->addr = addr;
	if (strlen(name) >= sizeof(out->name)) {
		snprintf(err, len, "RESOLVE: symbol name '%.*s' longer than %zu",
			 CTB_ERRLEN, name, sizeof(out->name) - 1);
		return -ENAMETOOLONG;
	}
	strcpy(out->name, name);
	if (ioctl(fd, CACHETLB_IOC_RESOLVE, out) < 0) {
		int e = errno;

		out->detail[sizeof(out->detail) - 1] = '\0';
		if (e == EINVAL && out->hdr.error == CACHETLB_ERR_NAME)
			snprintf(err, len,
				 "RESOLVE %s: no op wants this symbol", name);
		else if (e == EINVAL && out->hdr.error == CACHETLB_ERR_ADDR)
			snprintf(err, len,
				 "RESOLVE %s at 0x%" PRIx64 " rejected: %s",
				 name, addr, out->detail[0] ? out->detail :
				 "address does not verify");
		else
			ctb_dev_describe_error("RESOLVE", e, out->hdr.error,
					       NULL, NULL, err, len);
		return -e;
	}
	out->detail[sizeof(out->detail) - 1] = '\0';
	return 0;
}

int ctb_dev_run(int fd, struct cachetlb_run *run,
		const struct cachetlb_op_desc *desc, char *err, size_t len)
{
	hdr_init(&run->hdr, sizeof(*run));
	if (ioctl(fd, CACHETLB_IOC_RUN, run) < 0) {
		int e = errno;
		char what[64];

		snprintf(what, sizeof(what), "RUN %s",
			 desc ? desc->name : "?");
		ctb_dev_describe_error(what, e, run->hdr.error, run, desc,
				       err, len);
		return -e;
	}
	return 0;
}

int ctb_dev_list_ops(struct ctb_dev *d, char *err, size_t len)
{
	struct cachetlb_op_desc *ops;
	unsigned int n = d->info.nr_ops;

	if (n > 4096) {
		snprintf(err, len, "GET_INFO: nr_ops=%u is implausible (max 4096)",
			 n);
		return -EPROTO;
	}
	ops = calloc(n ? n : 1, sizeof(*ops));
	if (!ops) {
		snprintf(err, len, "out of memory for %u op descriptors", n);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < n; i++) {
		int ret = ctb_dev_op_desc(d->fd, i, &ops[i], err, len);

		if (ret) {
			free(ops);
			return ret;
		}
	}
	free(d->ops);
	d->ops = ops;
	d->nops = n;
	return 0;
}

int ctb_dev_open(struct ctb_dev *d, const char *path, char *err, size_t len)
{
	int ret;

	memset(d, 0, sizeof(*d));
	/* CTB_DEVICE: another node (tests, a renamed device) */
	if (!path)
		path = getenv("CTB_DEVICE") && *getenv("CTB_DEVICE") ?
		       getenv("CTB_DEVICE") : CACHETLB_DEVICE;
	d->fd = open(path, O_RDWR | O_CLOEXEC);
	if (d->fd < 0) {
		int e = errno;

		ctb_native_open_error(err, len, path, e, geteuid() == 0,
				      ctb_native_modules_supported(""));
		return -e;
	}
	ret = ctb_dev_get_info(d->fd, &d->info, err, len);
	if (!ret)
		ret = ctb_dev_list_ops(d, err, len);
	if (ret) {
		close(d->fd);
		d->fd = -1;
	}
	return ret;
}

void ctb_dev_close(struct ctb_dev *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	free(d->ops);
	d->ops = NULL;
	d->nops = 0;
}

int ctb_dev_find_op(const struct ctb_dev *d, const char *name)
{
	for (unsigned int i = 0; i < d->nops; i++)
		if (!strcmp(d->ops[i].name, name))
			return (int)i;
	return -1;
}

/*
 * Parse one kallsyms line; returns 1 for a non-module symbol with its
 * address (possibly 0), name and kind (*data: 0 text t/T/w/W, 1 data
 * d/D/b/B, -1 other), 0 otherwise; *any set for a parsed line.
 */
static int kallsyms_line(const char *line, uint64_t *addr, char *sym,
			 size_t symlen, int *data, int *any)
{
	struct ctb_ksym k;

	if (!ctb_ksym_parse(line, &k))
		return 0;
	*any = 1;
	*addr = k.addr;
	if (k.module)
		return 0;	/* module symbol */
	if (ctb_ksym_is_text(k.type))
		*data = 0;
	else if (strchr("dDbB", k.type))
		*data = 1;
	else
		*data = -1;
	snprintf(sym, symlen, "%s", k.name);
	return 1;
}

/*
 * Fill addrs[i] with the first match of names[i] of the right kind (text,
 * or data where is_data[i]); returns 1 if all addresses are 0.
 */
static int kallsyms_scan(FILE *f, char (*names)[CACHETLB_SYM_LEN], size_t n,
			 const unsigned char *is_data, uint64_t *addrs)
{
	char line[512], sym[256];
	int zero_only = 1, any = 0, data;
	size_t left = n;
	uint64_t a;

	rewind(f);
	/* Stop once every name has an address (a full scan is slow in TCG). */
	while (left && fgets(line, sizeof(line), f)) {
		int ok;

		a = 0;
		ok = kallsyms_line(line, &a, sym, sizeof(sym), &data, &any);
		if (a)
			zero_only = 0;
		if (!ok || data < 0)
			continue;
		for (size_t i = 0; i < n; i++)
			if (!addrs[i] && data == (is_data ? is_data[i] : 0) &&
			    !strcmp(sym, names[i]) && a) {
				addrs[i] = a;
				left--;
			}
	}
	return any && zero_only;
}

static int name_listed(char (*names)[CACHETLB_SYM_LEN], size_t n,
		       const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], s))
			return 1;
	return 0;
}

int ctb_kallsyms_lookup(FILE *f, const char *name, uint64_t *addr)
{
	char names[1][CACHETLB_SYM_LEN];
	uint64_t a = 0;

	if (strlen(name) >= CACHETLB_SYM_LEN)
		return -ENOENT;
	strcpy(names[0], name);
	if (kallsyms_scan(f, names, 1, NULL, &a))
		return -EPERM;
	if (!a)
		return -ENOENT;
	*addr = a;
	return 0;
}

static int add_name(char (**names)[CACHETLB_SYM_LEN], size_t *n,
		    size_t *cap, const char *s)
{
	if (strlen(s) >= CACHETLB_SYM_LEN || name_listed(*names, *n, s))
		return 0;
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		void *p = realloc(*names, nc * sizeof(**names));

		if (!p)
			return -ENOMEM;
		*names = p;
		*cap = nc;
	}
	snprintf((*names)[(*n)++], CACHETLB_SYM_LEN, "%s", s);
	return 0;
}

/*
 * The module reads the kernel's live TLB flush threshold once userspace
 * RESOLVEs its data symbol (not listed by any op): x86
 * tlb_single_page_flush_ceiling, riscv tlb_flush_all_threshold. Until
 * then GET_INFO reports the compiled-in default ("default"/"dflt").
 */
static const char *ceiling_symbol(const struct cachetlb_info *in)
{
	if (!strstr(in->ceiling_source, "default") &&
	    !strstr(in->ceiling_source, "dflt"))
		return NULL;
	if (!strcmp(in->machine, "x86_64"))
		return "tlb_single_page_flush_ceiling";
	if (!strcmp(in->machine, "riscv64"))
		return "tlb_flush_all_threshold";
	return NULL;
}

/*
 * The text symbols of the ops that need them (all ops with
 * CTB_RESOLVE_ALL) into names; *ntext of them, then the ceiling's data
 * symbol if any. 0 or -ENOMEM (names freed).
 */
static int collect_names(const struct ctb_dev *d, int flags,
			 char (**names)[CACHETLB_SYM_LEN], size_t *nnames,
			 size_t *ntext)
{
	const char *ceil_sym = ceiling_symbol(&d->info);
	size_t cap = 0;

	for (unsigned int i = 0; i < d->nops; i++) {
		char list[CACHETLB_TEXT_LEN], *save = NULL, *tok;

		/*
		 * The module keeps verified addresses until it is unloaded:
		 * only ops that are still unsupported need their symbols
		 * (reading /proc/kallsyms costs about a second in a guest).
		 */
		if (d->ops[i].supported && !(flags & CTB_RESOLVE_ALL))
			continue;
		snprintf(list, sizeof(list), "%s", d->ops[i].symbols);
		for (tok = strtok_r(list, ", ", &save); tok;
		     tok = strtok_r(NULL, ", ", &save)) {
			if (add_name(names, nnames, &cap, tok))
				goto nomem;
		}
	}
	*ntext = *nnames;
	if (ceil_sym && add_name(names, nnames, &cap, ceil_sym))
		goto nomem;
	return 0;
nomem:
	free(*names);
	*names = NULL;
	return -ENOMEM;
}

/* One pass of resolving: where messages go and what kallsyms showed. */
struct resolve_ctx {
	struct ctb_dev *d;
	FILE *report;
	const char *path;
	int verbose;
	int zero_only;
};

/* RESOLVE one text symbol at addr (0: not found); 1 when it failed. */
static int resolve_text(const struct resolve_ctx *c, const char *name,
			uint64_t addr)
{
	static const char *const st[] = {
		"unresolved", "ok", "address mismatch",
		"IBT: ENDBR sealed", "IBT: no ENDBR at entry",
	};
	struct cachetlb_resolve r;
	char err[CTB_ERRLEN];
	FILE *rep = c->report;

	if (!addr && c->zero_only) {
		if (rep)
			fprintf(rep, "ctbench: %s: /proc/kallsyms shows zero addresses (run as root, kptr_restrict)\n",
				name);
		return 1;
	}
	if (!addr) {
		if (rep)
			fprintf(rep, "ctbench: symbol %s: not in %s (text symbols, modules skipped)\n",
				name, c->path);
		return 1;
	}
	if (ctb_dev_resolve(c->d->fd, name, addr, &r, err, sizeof(err))) {
		if (rep)
			fprintf(rep, "ctbench: %s\n", err);
		return 1;
	}
	if (r.state != CACHETLB_SYM_OK) {
		if (rep)
			fprintf(rep, "ctbench: symbol %s at 0x%" PRIx64 " rejected: %s%s%s\n",
				name, addr, r.state < 5 ? st[r.state] : "?",
				r.detail[0] ? ": " : "", r.detail);
		return 1;
	}
	if (c->verbose && rep)
		fprintf(rep, "ctbench: symbol %s resolved at 0x%" PRIx64 "\n",
			name, addr);
	return 0;
}

/* RESOLVE the optional data symbol (live TLB threshold); 1 when done. */
static int resolve_data(const struct resolve_ctx *c, const char *name,
			uint64_t addr)
{
	struct cachetlb_resolve r;
	char err[CTB_ERRLEN];

	if (addr && !ctb_dev_resolve(c->d->fd, name, addr, &r, err,
				     sizeof(err)) &&
	    r.state == CACHETLB_SYM_OK)
		return 1;
	if (c->verbose && c->report)
		fprintf(c->report, "ctbench: %s not resolved: the TLB ceiling stays the compiled-in default\n",
			name);
	return 0;
}

/* GET_INFO again when a data symbol was resolved, then LIST_OPS. */
static int refresh(struct ctb_dev *d, FILE *report, int got_data)
{
	char err[CTB_ERRLEN];
	int ret = 0;

	if (got_data)
		ret = ctb_dev_get_info(d->fd, &d->info, err, sizeof(err));
	if (!ret)
		ret = ctb_dev_list_ops(d, err, sizeof(err));
	if (ret && report)
		fprintf(report, "ctbench: %s\n", err);
	return ret;
}

int ctb_dev_resolve_all(struct ctb_dev *d, const char *kallsyms_path,
			FILE *report, int flags)
{
	struct resolve_ctx c = { d, report, kallsyms_path,
				 flags & CTB_RESOLVE_VERBOSE, 0 };
	char (*names)[CACHETLB_SYM_LEN] = NULL;
	size_t nnames = 0, ntext = 0;
	unsigned char *is_data;
	uint64_t *addrs;
	int got_data = 0, bad = 0, ret;
	FILE *f;

	ret = collect_names(d, flags, &names, &nnames, &ntext);
	if (ret || !nnames) {
		free(names);
		return ret;
	}
	if (!c.path)
		c.path = "/proc/kallsyms";
	f = fopen(c.path, "r");
	if (!f) {
		ret = -errno;
		if (report)
			fprintf(report, "ctbench: cannot read %s: %s; %zu symbol(s) stay unresolved\n",
				c.path, strerror(-ret), nnames);
		free(names);
		return ret;
	}
	/* One pass over kallsyms for all names (first exact match). */
	addrs = calloc(nnames, sizeof(*addrs));
	is_data = calloc(nnames, 1);
	if (!addrs || !is_data) {
		ret = -ENOMEM;
		goto out;
	}
	for (size_t i = ntext; i < nnames; i++)
		is_data[i] = 1;
	c.zero_only = kallsyms_scan(f, names, nnames, is_data, addrs);
	for (size_t i = 0; i < nnames; i++) {
		if (is_data[i])
			got_data |= resolve_data(&c, names[i], addrs[i]);
		else
			bad += resolve_text(&c, names[i], addrs[i]);
	}
out:
	free(addrs);
	free(is_data);
	fclose(f);
	free(names);
	if (!ret)
		ret = refresh(d, report, got_data);
	return ret ? ret : bad;
}
