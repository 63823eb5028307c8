// SPDX-License-Identifier: GPL-2.0
/*
 * ctbench runs: parsing, execution of run specifications, suites, the
 * per-family analysis and the virtqueue buffer of the uaccess ops.
 *
 * One row = one RUN ioctl of one op with one parameter combination. The
 * module interleaves an empty-op baseline sample with every op sample in
 * the same RUN; statistics are per iteration (sample / iterations), the
 * net cost is op median minus baseline median with both CIs combined.
 *
 * PMU events are counted in two extra RUNs with CACHETLB_RUN_NO_BASELINE:
 * the op itself and the core "nop" op with identical samples/iterations;
 * the reported value is (op count - nop count) / (samples * iterations).
 * Both counts include the op's untimed pre_sample/post_sample work and
 * the engine loop, so for ops with heavy line-state preparation (cache
 * family, cold uaccess) the event count is an upper bound of the op's own
 * count. This is stated in docs/ctbench.md.
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

#include "env.h"
#include "pmu.h"
#include "stats.h"
#include "suite.h"

/* ----------------------------------------------------------------------
 * Parsing
 */

int ctb_parse_u32(const char *s, const char *opt, uint32_t min, uint32_t max,
		  uint32_t *out, char *err, size_t len)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || !isdigit((unsigned char)*s)) {
		snprintf(err, len, "%s '%s': not a number (valid %u..%u)", opt,
			 s ? s : "", min, max);
		return CTB_EXIT_USAGE;
	}
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end || errno) {
		snprintf(err, len, "%s '%s': not a number (valid %u..%u)", opt,
			 s, min, max);
		return CTB_EXIT_USAGE;
	}
	if (v < min || v > max) {
		snprintf(err, len, "%s %llu: out of range (valid %u..%u)", opt,
			 v, min, max);
		return CTB_EXIT_USAGE;
	}
	*out = (uint32_t)v;
	return 0;
}

static int list_push(uint32_t v, uint32_t *out, size_t max_n, size_t *n,
		     const char *opt, char *err, size_t len)
{
	for (size_t i = 0; i < *n; i++)
		if (out[i] == v)
			return 0;
	if (*n >= max_n) {
		snprintf(err, len, "%s: more than %zu values", opt, max_n);
		return CTB_EXIT_USAGE;
	}
	out[(*n)++] = v;
	return 0;
}

int ctb_parse_u32_list(const char *s, const char *opt, uint32_t min,
		       uint32_t max, uint32_t *out, size_t max_n, size_t *n,
		       char *err, size_t len)
{
	char *copy, *save = NULL, *tok;
	int ret = 0;

	*n = 0;
	if (!s || !*s) {
		snprintf(err, len, "%s: empty list (valid values %u..%u)", opt,
			 min, max);
		return CTB_EXIT_USAGE;
	}
	copy = strdup(s);
	if (!copy) {
		snprintf(err, len, "out of memory");
		return CTB_EXIT_FAIL;
	}
	for (tok = strtok_r(copy, ",", &save); tok && !ret;
	     tok = strtok_r(NULL, ",", &save)) {
		char *dots = strstr(tok, "..");
		char *dash = strchr(tok, '-');
		uint32_t a, b;

		if (dots || dash) {
			char *sep = dots ? dots : dash;

			*sep = '\0';
			ret = ctb_parse_u32(tok, opt, min, max, &a, err, len);
			if (!ret)
				ret = ctb_parse_u32(sep + (dots ? 2 : 1), opt,
						    min, max, &b, err, len);
			if (ret)
				break;
			if (a > b) {
				snprintf(err, len,
					 "%s: range %u%s%u is descending (valid values %u..%u)",
					 opt, a, dots ? ".." : "-", b, min,
					 max);
				ret = CTB_EXIT_USAGE;
				break;
			}
			if (dots) {
				/* powers of two from a (a == 0 adds 0 then 1) */
				uint64_t v = a;

				if (!v) {
					ret = list_push(0, out, max_n, n, opt,
							err, len);
					v = 1;
				}
				for (; !ret && v <= b; v *= 2)
					ret = list_push((uint32_t)v, out,
							max_n, n, opt, err,
							len);
			} else {
				if ((uint64_t)b - a >= max_n) {
					snprintf(err, len,
						 "%s: range %u-%u has more than %zu values",
						 opt, a, b, max_n);
					ret = CTB_EXIT_USAGE;
					break;
				}
				for (uint64_t v = a; !ret && v <= b; v++)
					ret = list_push((uint32_t)v, out,
							max_n, n, opt, err,
							len);
			}
		} else {
			ret = ctb_parse_u32(tok, opt, min, max, &a, err, len);
			if (!ret)
				ret = list_push(a, out, max_n, n, opt, err,
						len);
		}
	}
	free(copy);
	if (!ret && !*n) {
		snprintf(err, len, "%s '%s': no values (valid %u..%u)", opt, s,
			 min, max);
		ret = CTB_EXIT_USAGE;
	}
	return ret;
}

int ctb_parse_states(const char *s, uint32_t *out, size_t *n, char *err,
		     size_t len)
{
	char *copy = strdup(s), *save = NULL, *tok;
	int ret = 0;

	*n = 0;
	if (!copy) {
		snprintf(err, len, "out of memory");
		return CTB_EXIT_FAIL;
	}
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		uint32_t st;

		for (st = 0; st < CACHETLB_STATE_MAX; st++)
			if (!strcmp(tok, ctb_state_name(st)))
				break;
		if (st == CACHETLB_STATE_MAX) {
			snprintf(err, len,
				 "--state '%s': unknown (valid: any, clean, dirty, uncached)",
				 tok);
			ret = CTB_EXIT_USAGE;
			break;
		}
		ret = list_push(st, out, CACHETLB_STATE_MAX, n, "--state",
				err, len);
		if (ret)
			break;
	}
	free(copy);
	if (!ret && !*n) {
		snprintf(err, len,
			 "--state: empty (valid: any, clean, dirty, uncached)");
		ret = CTB_EXIT_USAGE;
	}
	return ret;
}

int ctb_parse_opflags(const char *s, uint32_t *opflags, int *span, char *err,
		      size_t len)
{
	static const struct {
		const char *name;
		uint32_t bit;
	} f[] = {
		{ "vmap", CACHETLB_OPF_VMAP },
		{ "double", CACHETLB_OPF_DOUBLE },
		{ "cold", CACHETLB_OPF_COLD },
		{ "verify", CACHETLB_OPF_VERIFY },
	};
	char *copy = strdup(s), *save = NULL, *tok;
	int ret = 0;

	*opflags = 0;
	*span = 0;
	if (!copy) {
		snprintf(err, len, "out of memory");
		return CTB_EXIT_FAIL;
	}
	for (tok = strtok_r(copy, ",+", &save); tok;
	     tok = strtok_r(NULL, ",+", &save)) {
		size_t i;

		if (!strcmp(tok, "span")) {
			*span = 1;
			continue;
		}
		if (!strcmp(tok, "-"))
			continue;
		for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
			if (!strcmp(tok, f[i].name))
				break;
		if (i == sizeof(f) / sizeof(f[0])) {
			snprintf(err, len,
				 "--opflags '%s': unknown flag (valid: vmap, double, cold, verify, span)",
				 tok);
			ret = CTB_EXIT_USAGE;
			break;
		}
		*opflags |= f[i].bit;
	}
	free(copy);
	return ret;
}

void ctb_runspec_init(struct ctb_runspec *rs)
{
	memset(rs, 0, sizeof(*rs));
	rs->family = -1;
	rs->cpu = -1;
	rs->samples = 51;
	rs->warmup = 5;
}

static const char *optarg_of(int argc, char **argv, int *i, const char *opt,
			     char *err, size_t len)
{
	if (*i + 1 >= argc) {
		snprintf(err, len, "%s needs a value", opt);
		return NULL;
	}
	return argv[++*i];
}

int ctb_parse_run_args(int argc, char **argv, struct ctb_runspec *rs,
		       struct ctb_runout *out, char *err, size_t len)
{
	int have_counts = 0;

	ctb_runspec_init(rs);
	memset(out, 0, sizeof(*out));
	out->fmt = CTB_OUT_TABLE;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		int ret = 0;

#define VAL() do {							\
		v = optarg_of(argc, argv, &i, a, err, len);		\
		if (!v)							\
			return CTB_EXIT_USAGE;				\
	} while (0)
		if (!strcmp(a, "--family")) {
			VAL();
			rs->family = ctb_family_from_name(v);
			if (rs->family < 0) {
				snprintf(err, len,
					 "--family '%s': unknown (valid: core, uaccess, cache, tlb)",
					 v);
				return CTB_EXIT_USAGE;
			}
		} else if (!strcmp(a, "--pages") || !strcmp(a, "--count")) {
			int pages = !strcmp(a, "--pages");

			VAL();
			if (have_counts) {
				snprintf(err, len,
					 "%s: give either --pages or --count, once",
					 a);
				return CTB_EXIT_USAGE;
			}
			ret = ctb_parse_u32_list(v, a, 1, pages ?
						 CACHETLB_MAX_PAGES :
						 CACHETLB_MAX_COUNT,
						 rs->counts, CTB_MAX_LIST,
						 &rs->ncounts, err, len);
			rs->counts_are_pages = pages;
			have_counts = 1;
		} else if (!strcmp(a, "--aux")) {
			VAL();
			ret = ctb_parse_u32(v, a, 1, UINT32_MAX, &rs->aux, err,
					    len);
		} else if (!strcmp(a, "--state")) {
			VAL();
			ret = ctb_parse_states(v, rs->states, &rs->nstates,
					       err, len);
		} else if (!strcmp(a, "--opflags")) {
			VAL();
			ret = ctb_parse_opflags(v, &rs->opflags, &rs->span,
						err, len);
		} else if (!strcmp(a, "--span")) {
			rs->span = 1;
		} else if (!strcmp(a, "--cpu")) {
			uint32_t c;

			VAL();
			ret = ctb_parse_u32(v, a, 0, CACHETLB_MAX_CPUS - 1, &c,
					    err, len);
			rs->cpu = (int)c;
		} else if (!strcmp(a, "--targets")) {
			VAL();
			if (strlen(v) >= sizeof(rs->targets)) {
				snprintf(err, len,
					 "--targets '%s': longer than %zu characters",
					 v, sizeof(rs->targets) - 1);
				return CTB_EXIT_USAGE;
			}
			strcpy(rs->targets, v);
		} else if (!strcmp(a, "--busy-targets")) {
			rs->busy_targets = 1;
		} else if (!strcmp(a, "--events")) {
			VAL();
			if (strlen(v) >= sizeof(rs->events)) {
				snprintf(err, len,
					 "--events: list longer than %zu characters",
					 sizeof(rs->events) - 1);
				return CTB_EXIT_USAGE;
			}
			strcpy(rs->events, v);
		} else if (!strcmp(a, "--samples")) {
			VAL();
			ret = ctb_parse_u32(v, a, 1, CACHETLB_MAX_SAMPLES,
					    &rs->samples, err, len);
		} else if (!strcmp(a, "--warmup")) {
			VAL();
			ret = ctb_parse_u32(v, a, 0, CACHETLB_MAX_WARMUP,
					    &rs->warmup, err, len);
		} else if (!strcmp(a, "--iterations")) {
			VAL();
			ret = ctb_parse_u32(v, a, 1, CACHETLB_MAX_ITERATIONS,
					    &rs->iterations, err, len);
		} else if (!strcmp(a, "--time-limit")) {
			VAL();
			ret = ctb_parse_u32(v, a, 1, 3600000,
					    &rs->time_limit_ms, err, len);
		} else if (!strcmp(a, "--irqs-off")) {
			rs->irqs_off = 1;
		} else if (!strcmp(a, "--json")) {
			out->fmt = CTB_OUT_JSON;
		} else if (!strcmp(a, "--csv")) {
			out->fmt = CTB_OUT_CSV;
		} else if (!strcmp(a, "-o")) {
			VAL();
			out->dir = v;
		} else if (a[0] == '-') {
			snprintf(err, len,
				 "run: unknown option '%s' (see ctbench --help)",
				 a);
			return CTB_EXIT_USAGE;
		} else if (!rs->op[0]) {
			if (strlen(a) >= sizeof(rs->op)) {
				snprintf(err, len,
					 "op name '%s' longer than %zu characters",
					 a, sizeof(rs->op) - 1);
				return CTB_EXIT_USAGE;
			}
			strcpy(rs->op, a);
		} else {
			snprintf(err, len,
				 "run: unexpected argument '%s' (one OP or --family F)",
				 a);
			return CTB_EXIT_USAGE;
		}
#undef VAL
		if (ret)
			return ret;
	}
	if (!rs->op[0] && rs->family < 0) {
		snprintf(err, len, "run: give an OP name or --family F");
		return CTB_EXIT_USAGE;
	}
	if (rs->op[0] && rs->family >= 0) {
		snprintf(err, len,
			 "run: give either an OP name ('%s') or --family, not both",
			 rs->op);
		return CTB_EXIT_USAGE;
	}
	if (rs->busy_targets && !rs->targets[0]) {
		snprintf(err, len, "--busy-targets needs --targets");
		return CTB_EXIT_USAGE;
	}
	return 0;
}

/* ----------------------------------------------------------------------
 * Virtqueue buffer
 */

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

/* ----------------------------------------------------------------------
 * Emulation, names
 */

static int has_word_ci(const char *s, const char *w)
{
	size_t n = strlen(w);

	for (; *s; s++)
		if (!strncasecmp(s, w, n))
			return 1;
	return 0;
}

int ctb_detect_emulation(const char *env, uint32_t hypervisor,
			 const char *hint, char *reason, size_t len)
{
	if (env && !strcmp(env, "qemu-tcg")) {
		snprintf(reason, len, "CTB_EMULATION=qemu-tcg (set by the QEMU harness)");
		return 1;
	}
	if (hypervisor == CACHETLB_HYP_PRESENT &&
	    (has_word_ci(hint, "qemu") || has_word_ci(hint, "tcg"))) {
		snprintf(reason, len, "hypervisor present with a QEMU/TCG hint: %s",
			 hint);
		return 1;
	}
	snprintf(reason, len, "native execution, not emulated: hypervisor %s%s%s",
		 ctb_hyp_name(hypervisor), hint && hint[0] ? ": " : "",
		 hint ? hint : "");
	return 0;
}

static void sanitize(char *dst, size_t len, const char *src)
{
	size_t i;

	for (i = 0; src[i] && i + 1 < len; i++) {
		unsigned char c = (unsigned char)src[i];

		dst[i] = (isalnum(c) || c == '.' || c == '_' || c == '+' ||
			  c == '-') ? (char)c : '_';
	}
	dst[i] = '\0';
}

void ctb_set_name(char *buf, size_t len, long long utc_seconds,
		  const char *host, const char *arch, const char *release,
		  int emulated)
{
	time_t t = (time_t)utc_seconds;
	struct tm tm;
	char ts[32], h[64], a[32], r[96];

	gmtime_r(&t, &tm);
	strftime(ts, sizeof(ts), "%Y%m%dT%H%M%SZ", &tm);
	sanitize(h, sizeof(h), host && *host ? host : "unknown");
	sanitize(a, sizeof(a), arch && *arch ? arch : "unknown");
	sanitize(r, sizeof(r), release && *release ? release : "unknown");
	snprintf(buf, len, "%s-%s-%s-%s%s", ts, h, a, r,
		 emulated ? "-emulated" : "");
}

/* ----------------------------------------------------------------------
 * Session
 */

/*
 * SIGINT/SIGTERM during a run: the module returns EINTR from RUN with the
 * samples taken so far; the driver stops starting new runs and still
 * writes what it measured (meta "interrupted": true). The signal number is
 * the only process-global state of ctbench.
 */
static volatile sig_atomic_t ctb_signalled;

static void on_signal(int sig)
{
	ctb_signalled = sig;
}

int ctb_interrupted(void)
{
	return ctb_signalled;
}

static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: RUN returns EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int ctb_session_open(struct ctb_session *s, FILE *out, char *err, size_t len)
{
	char terr[CTB_ERRLEN];
	int ret;

	memset(s, 0, sizeof(*s));
	s->dev.fd = -1;
	s->out = out;
	s->cpu = -1;
	ret = ctb_dev_open(&s->dev, NULL, err, len);
	if (ret)
		return ret;
	catch_signals();
	if (geteuid() == 0) {
		int bad = ctb_dev_resolve_all(&s->dev, s->kallsyms, out,
					      s->verbose);

		if (bad > 0)
			fprintf(out, "ctbench: %d kernel symbol(s) not resolved; ops needing them are listed as unsupported\n",
				bad);
	} else {
		fprintf(out, "ctbench: not root: kernel symbols are not resolved, ops needing them stay unsupported\n");
	}
	s->emulated = ctb_detect_emulation(getenv("CTB_EMULATION"),
					   s->dev.info.hypervisor,
					   s->dev.info.hypervisor_hint,
					   s->emulation_reason,
					   sizeof(s->emulation_reason));
	if (ctb_topo_init(&s->topo, terr, sizeof(terr)) == 0)
		s->topo_ok = 1;
	else
		fprintf(out, "ctbench: %s: CPU placement unavailable\n", terr);
	ctb_pmu_detect(s->pmu, sizeof(s->pmu));
	{
		char why[128];

		if (!ctb_pmu_probe(why, sizeof(why)) &&
		    strncmp(s->pmu, "n/a", 3)) {
			char tmp[256];

			snprintf(tmp, sizeof(tmp), "n/a: %.100s (libpfm4 knows %.120s)",
				 why, s->pmu);
			snprintf(s->pmu, sizeof(s->pmu), "%s", tmp);
		}
	}
	return 0;
}

void ctb_session_close(struct ctb_session *s)
{
	for (size_t i = 0; i < s->nrows; i++) {
		free(s->rows[i].raw_ns);
		free(s->rows[i].raw_cycles);
		free(s->rows[i].base_ns);
		free(s->rows[i].base_cycles);
	}
	free(s->rows);
	s->rows = NULL;
	s->nrows = s->cap = 0;
	if (s->topo_ok)
		ctb_topo_fini(&s->topo);
	s->topo_ok = 0;
	ctb_dev_close(&s->dev);
}

static struct ctb_row *row_new(struct ctb_session *s)
{
	if (s->nrows == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 64;
		void *p = realloc(s->rows, nc * sizeof(*s->rows));

		if (!p)
			return NULL;
		s->rows = p;
		s->cap = nc;
	}
	memset(&s->rows[s->nrows], 0, sizeof(s->rows[0]));
	return &s->rows[s->nrows];
}

static void unit_singular(const char *unit, char *buf, size_t len)
{
	size_t n;

	snprintf(buf, len, "%s", unit[0] ? unit : "iter");
	n = strlen(buf);
	if (n > 1 && buf[n - 1] == 's')
		buf[n - 1] = '\0';
}

struct run_params {
	uint32_t count, aux, state, opflags;
	int span;
	int cpu;
	struct ctb_cpumask targets;
	char targets_str[64];
	int has_targets;
};

/* Print a per-row message on the human stream. */
static void note(struct ctb_session *s, const char *op,
		 const struct run_params *p, const char *fmt, const char *msg)
{
	char f[64];

	ctb_opflags_str(p->opflags, f, sizeof(f));
	fprintf(s->out, "  %-26s N=%-5u aux=%-5u %-8s %-12s %s%s\n", op,
		p->count, p->aux, ctb_state_name(p->state), f, fmt, msg);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Fill a RUN struct from params. */
static void run_fill(struct cachetlb_run *r, uint32_t opi,
		     const struct run_params *p, const struct cachetlb_op_desc *d,
		     const struct ctb_vq *vq, const struct ctb_runspec *rs)
{
	memset(r, 0, sizeof(*r));
	r->op = opi;
	r->cpu = p->cpu >= 0 ? (uint32_t)p->cpu : CACHETLB_CPU_ANY;
	r->flags = rs->irqs_off ? CACHETLB_RUN_IRQS_OFF : 0;
	r->count = (d->uses & CACHETLB_USES_COUNT) ? p->count : 0;
	r->aux = (d->uses & CACHETLB_USES_AUX) ? p->aux : 0;
	r->state = (d->uses & CACHETLB_USES_STATE) ? p->state : 0;
	r->opflags = (d->uses & CACHETLB_USES_OPFLAGS) ? p->opflags : 0;
	r->time_limit_ms = rs->time_limit_ms;
	if (vq && vq->map) {
		r->user_addr = (uint64_t)(uintptr_t)vq->base;
		r->user_len = vq->l.total;
	}
	if (p->has_targets)
		memcpy(r->targets, p->targets.w, sizeof(r->targets));
}

/* Pick iterations so one sample lasts about target_ns. */
static int calibrate(struct ctb_session *s, uint32_t opi,
		     const struct run_params *p, struct ctb_vq *vq,
		     const struct ctb_runspec *rs, uint32_t *iterations,
		     uint32_t *samples, char *err, size_t len)
{
	const struct cachetlb_op_desc *d = &s->dev.ops[opi];
	struct cachetlb_sample smp[5];
	struct cachetlb_run r;
	double per_iter, target, best = INFINITY, budget_ms, est_ms;
	uint64_t it;
	int ret;

	run_fill(&r, opi, p, d, vq, rs);
	r.iterations = 1;
	r.samples = 5;
	r.warmup = 1;
	r.flags |= CACHETLB_RUN_NO_BASELINE;
	r.samples_ptr = (uint64_t)(uintptr_t)smp;
	if (vq && vq->map)
		ctb_vq_init(vq);
	ret = ctb_dev_run(s->dev.fd, &r, d, err, len);
	if (ret)
		return ret;
	for (uint32_t i = 0; i < r.samples_done && i < 5; i++)
		if ((double)smp[i].ns < best)
			best = (double)smp[i].ns;
	per_iter = isfinite(best) && best > 0 ? best : 1;
	target = 20000.0;
	if ((double)s->dev.info.clock_resolution_ns * 200.0 > target)
		target = (double)s->dev.info.clock_resolution_ns * 200.0;
	it = (uint64_t)ceil(target / per_iter);
	if (it < 1)
		it = 1;
	if (it > 65536)
		it = 65536;
	/* Keep the whole RUN (op + baseline samples) within half the cap. */
	budget_ms = rs->time_limit_ms ? rs->time_limit_ms :
		    (s->dev.info.time_limit_ms ? s->dev.info.time_limit_ms :
		     10000);
	budget_ms /= 2;
	est_ms = (double)(*samples + rs->warmup) * (double)it * per_iter *
		 2.0 / 1e6;
	if (est_ms > budget_ms) {
		double scale = budget_ms / est_ms;

		it = (uint64_t)((double)it * scale);
		if (it < 1) {
			uint64_t smax = (uint64_t)(budget_ms * 1e6 /
						   (per_iter * 2.0));

			it = 1;
			if (smax < 5)
				smax = 5;
			if (smax < *samples)
				*samples = (uint32_t)smax;
		}
	}
	*iterations = (uint32_t)it;
	return 0;
}

static int stats_of(const struct cachetlb_sample *smp, size_t n,
		    double iterations, int cycles, double **raw_tot,
		    struct ctb_stats *st)
{
	double *per = malloc((n ? n : 1) * sizeof(double));
	double *tot = malloc((n ? n : 1) * sizeof(double));
	int ret;

	if (!per || !tot) {
		free(per);
		free(tot);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		double v = cycles ? (double)smp[i].cycles : (double)smp[i].ns;

		tot[i] = v;
		per[i] = v / iterations;
	}
	ret = ctb_stats_compute(per, n, st);
	free(per);
	if (raw_tot && !ret)
		*raw_tot = tot;
	else
		free(tot);
	return ret;
}

static void count_events(struct ctb_session *s, uint32_t opi,
			 const struct run_params *p, struct ctb_vq *vq,
			 const struct ctb_runspec *rs, struct ctb_pmu *pmu,
			 uint32_t iterations, uint32_t samples,
			 char *out, size_t outlen)
{
	uint64_t opc[CTB_PMU_MAX_EVENTS], basec[CTB_PMU_MAX_EVENTS];
	struct cachetlb_sample *smp;
	struct cachetlb_run r;
	char err[CTB_ERRLEN];
	int nop = ctb_dev_find_op(&s->dev, "nop");
	int ok = 1;

	if (!ctb_pmu_usable(pmu) || nop < 0) {
		if (nop < 0)
			for (size_t i = 0; i < pmu->n; i++)
				if (pmu->ev[i].ok) {
					pmu->ev[i].ok = 0;
					snprintf(pmu->ev[i].reason,
						 sizeof(pmu->ev[i].reason),
						 "no nop op for the overhead subtraction");
				}
		ctb_pmu_format(pmu, NULL, NULL, 0, out, outlen);
		return;
	}
	smp = calloc(samples, sizeof(*smp));
	if (!smp) {
		ctb_pmu_format(pmu, NULL, NULL, 0, out, outlen);
		return;
	}
	for (int pass = 0; pass < 2 && ok; pass++) {
		uint32_t idx = pass ? (uint32_t)nop : opi;
		const struct cachetlb_op_desc *dd = &s->dev.ops[idx];
		struct run_params np = *p;

		if (pass)
			np.has_targets = 0;
		run_fill(&r, idx, &np, dd, pass ? NULL : vq, rs);
		r.iterations = iterations;
		r.samples = samples;
		r.warmup = 0;
		r.flags |= CACHETLB_RUN_NO_BASELINE;
		r.samples_ptr = (uint64_t)(uintptr_t)smp;
		if (!pass && vq && vq->map)
			ctb_vq_init(vq);
		ctb_pmu_start(pmu);
		if (ctb_dev_run(s->dev.fd, &r, dd, err, sizeof(err))) {
			ctb_pmu_stop(pmu);
			fprintf(s->out, "  ! event counting RUN failed: %s\n",
				err);
			ok = 0;
			break;
		}
		ctb_pmu_stop(pmu);
		for (size_t i = 0; i < pmu->n; i++)
			(pass ? basec : opc)[i] = pmu->ev[i].counted ?
						  pmu->ev[i].value : 0;
		if (r.samples_done != samples)
			ok = 0;
	}
	free(smp);
	for (size_t i = 0; i < pmu->n; i++)
		if (pmu->ev[i].ok && !pmu->ev[i].counted) {
			pmu->ev[i].ok = 0;
			if (!pmu->ev[i].reason[0])
				snprintf(pmu->ev[i].reason,
					 sizeof(pmu->ev[i].reason),
					 "not counted");
		}
	if (!ok) {
		for (size_t i = 0; i < pmu->n; i++)
			if (pmu->ev[i].ok) {
				pmu->ev[i].ok = 0;
				snprintf(pmu->ev[i].reason,
					 sizeof(pmu->ev[i].reason),
					 "counting RUN incomplete");
			}
		ctb_pmu_format(pmu, NULL, NULL, 0, out, outlen);
		return;
	}
	ctb_pmu_format(pmu, opc, basec, (double)samples * iterations, out,
		       outlen);
}

static void print_row(struct ctb_session *s, const struct ctb_row *r);
static void print_header(struct ctb_session *s);

/*
 * The opflags column of a row: the module's flags plus the userspace-only
 * variants "span" (uaccess ring across a page boundary) and "busy"
 * (spinners on the target CPUs), so such rows never match plain ones.
 */
static void row_opflags(char *buf, size_t len,
			const struct cachetlb_op_desc *d,
			const struct run_params *p,
			const struct ctb_runspec *rs)
{
	const char *extra = NULL;
	char f[64];

	ctb_opflags_str((d->uses & CACHETLB_USES_OPFLAGS) ? p->opflags : 0,
			f, sizeof(f));
	if (p->span && (d->uses & CACHETLB_USES_USER_BUF))
		extra = "span";
	else if (p->has_targets && rs->busy_targets)
		extra = "busy";
	if (extra && strcmp(f, "-"))
		snprintf(buf, len, "%.40s+%s", f, extra);
	else
		snprintf(buf, len, "%s", extra ? extra : f);
}

/* A row with the same compare key was already measured in this session. */
static int row_exists(const struct ctb_session *s, const char *op,
		      uint32_t count, uint32_t aux, uint32_t state,
		      const char *opflags, const char *targets)
{
	for (size_t i = 0; i < s->nrows; i++) {
		const struct ctb_row *r = &s->rows[i];

		if (!strcmp(r->op, op) && r->count == count && r->aux == aux &&
		    !strcmp(r->state, ctb_state_name(state)) &&
		    !strcmp(r->opflags, opflags) &&
		    !strcmp(r->targets, targets))
			return 1;
	}
	return 0;
}

/* "iterations=1" as a whole token in an op's params text. */
static int params_want_one_iteration(const char *params)
{
	const char *p = params;
	const char *key = "iterations=1";

	while ((p = strstr(p, key))) {
		char next = p[strlen(key)];

		if ((p == params || !isalnum((unsigned char)p[-1])) &&
		    !isdigit((unsigned char)next))
			return 1;
		p += strlen(key);
	}
	return 0;
}

/*
 * One RUN of op opi with parameters p, appending one row. Returns 0,
 * CTB_EXIT_UNSUPPORTED, CTB_EXIT_VERIFY, or CTB_EXIT_FAIL.
 */
static int run_one(struct ctb_session *s, uint32_t opi,
		   const struct run_params *p, const struct ctb_runspec *rs,
		   struct ctb_pmu *pmu)
{
	const struct cachetlb_op_desc *d = &s->dev.ops[opi];
	struct cachetlb_sample *smp = NULL, *base = NULL;
	struct run_params pp = *p;
	struct ctb_spinners spin = { 0 };
	struct ctb_vq vq = { 0 };
	struct cachetlb_run r;
	struct ctb_row *row;
	struct ctb_stats bst;
	char err[CTB_ERRLEN], f[64];
	uint32_t iterations = rs->iterations, samples = rs->samples;
	int ret = 0, spinning = 0, have_base = 0;

	if (!d->supported) {
		note(s, d->name, p, "unsupported: ", d->reason[0] ? d->reason :
		     "(no reason given)");
		s->unsupported++;
		return CTB_EXIT_UNSUPPORTED;
	}
	/* Defaults: ring of 256 entries for user-buffer ops, else 16. */
	if ((d->uses & CACHETLB_USES_AUX) && !pp.aux)
		pp.aux = (d->uses & CACHETLB_USES_USER_BUF) ? CTB_DEFAULT_RING :
			 CTB_DEFAULT_AUX;
	/*
	 * State set up untimed before each sample (line state clean/dirty/
	 * uncached, the first flush of DOUBLE, COLD uaccess, refill after a
	 * flush; params saying "iterations=1") holds for the first iteration
	 * of a sample only: time exactly one iteration per sample.
	 */
	if (!iterations &&
	    (((pp.opflags & (CACHETLB_OPF_COLD | CACHETLB_OPF_DOUBLE)) &&
	      (d->uses & CACHETLB_USES_OPFLAGS)) ||
	     ((d->uses & CACHETLB_USES_STATE) &&
	      pp.state != CACHETLB_STATE_ANY) ||
	     params_want_one_iteration(d->params)))
		iterations = 1;
	p = &pp;
	{
		char ofl[64];
		uint32_t aux = (d->uses & CACHETLB_USES_AUX) ? p->aux : 0;
		uint32_t st = (d->uses & CACHETLB_USES_STATE) ? p->state : 0;

		row_opflags(ofl, sizeof(ofl), d, p, rs);
		if (row_exists(s, d->name, (d->uses & CACHETLB_USES_COUNT) ?
			       p->count : 0, aux, st, ofl,
			       p->has_targets ? p->targets_str : "-")) {
			note(s, d->name, p, "skipped: ",
			     "same parameters and CPUs as an earlier row");
			s->skipped++;
			return 0;
		}
	}
	if (d->uses & CACHETLB_USES_USER_BUF) {
		uint32_t ring = p->aux ? p->aux : CTB_DEFAULT_RING;

		if (ctb_vq_alloc(&vq, ring, p->span, s->dev.info.page_size,
				 err, sizeof(err))) {
			note(s, d->name, p, "error: ", err);
			s->failures++;
			return CTB_EXIT_FAIL;
		}
		if (!vq.locked)
			fprintf(s->out, "  ! ring not mlock()ed: %s\n",
				strerror(errno));
	}
	if (p->has_targets && rs->busy_targets) {
		if (!s->topo_ok) {
			note(s, d->name, p, "error: ",
			     "--busy-targets needs hwloc");
			ret = CTB_EXIT_FAIL;
			goto out;
		}
		if (ctb_spinners_start(&s->topo, &p->targets, &spin, err,
				       sizeof(err))) {
			note(s, d->name, p, "error: ", err);
			ret = CTB_EXIT_FAIL;
			goto out;
		}
		spinning = 1;
	}
	if (!iterations) {
		ret = calibrate(s, opi, p, &vq, rs, &iterations, &samples, err,
				sizeof(err));
		if (ret)
			goto run_err;
	}
	smp = calloc(samples, sizeof(*smp));
	base = calloc(samples, sizeof(*base));
	if (!smp || !base) {
		note(s, d->name, p, "error: ", "out of memory for samples");
		ret = CTB_EXIT_FAIL;
		goto out;
	}
	run_fill(&r, opi, p, d, &vq, rs);
	r.iterations = iterations;
	r.samples = samples;
	r.warmup = rs->warmup;
	r.samples_ptr = (uint64_t)(uintptr_t)smp;
	r.baseline_ptr = (uint64_t)(uintptr_t)base;
	if (vq.map)
		ctb_vq_init(&vq);
	ret = ctb_dev_run(s->dev.fd, &r, d, err, sizeof(err));
	if (ret == -EINTR && r.samples_done) {
		fprintf(s->out, "  ! interrupted: %u of %u samples kept\n",
			r.samples_done, samples);
		s->failures++;
		ret = 0;
	}
run_err:
	if (ret) {
		if (ret == -EOPNOTSUPP) {
			note(s, d->name, p, "unsupported: ", err);
			s->unsupported++;
			ret = CTB_EXIT_UNSUPPORTED;
		} else {
			note(s, d->name, p, "error: ", err);
			s->failures++;
			ret = CTB_EXIT_FAIL;
		}
		goto out;
	}
	if (spinning) {
		ctb_spinners_stop(&spin);
		spinning = 0;
	}
	if (!r.samples_done) {
		note(s, d->name, p, "error: ", "RUN returned no samples");
		s->failures++;
		ret = CTB_EXIT_FAIL;
		goto out;
	}
	row = row_new(s);
	if (!row) {
		ret = CTB_EXIT_FAIL;
		goto out;
	}
	snprintf(row->op, sizeof(row->op), "%s", d->name);
	snprintf(row->family, sizeof(row->family), "%s",
		 ctb_family_name(d->family) ? ctb_family_name(d->family) : "?");
	row->count = r.count;
	row->aux = (d->uses & CACHETLB_USES_USER_BUF) ? vq.l.ring : r.aux;
	snprintf(row->state, sizeof(row->state), "%s",
		 ctb_state_name(r.state));
	ctb_opflags_str(r.opflags, f, sizeof(f));
	row_opflags(row->opflags, sizeof(row->opflags), d, p, rs);
	row->cpu = (int)r.cpu_used;
	snprintf(row->targets, sizeof(row->targets), "%.63s",
		 p->has_targets ? p->targets_str : "-");
	row->iterations = iterations;
	row->emulated = s->emulated;
	if (stats_of(smp, r.samples_done, iterations, 0, &row->raw_ns,
		     &row->st)) {
		ret = CTB_EXIT_FAIL;
		goto out;
	}
	row->nraw = r.samples_done;
	if (r.counter != CACHETLB_CTR_NONE) {
		struct ctb_stats cst;

		if (!stats_of(smp, r.samples_done, iterations, 1,
			      &row->raw_cycles, &cst))
			row->cycles_median = cst.median;
		else
			row->cycles_median = NAN;
	} else {
		row->cycles_median = NAN;
	}
	if (r.baseline_done >= r.samples_done &&
	    !stats_of(base, r.samples_done, iterations, 0, &row->base_ns,
		      &bst)) {
		struct ctb_stats cst;

		have_base = 1;
		if (r.counter != CACHETLB_CTR_NONE)
			stats_of(base, r.samples_done, iterations, 1,
				 &row->base_cycles, &cst);
	}
	if (have_base) {
		double res = (double)s->dev.info.clock_resolution_ns /
			     iterations;

		row->baseline_median = bst.median;
		ctb_stats_subtract(&row->st, &bst, &row->net);
		if (d->props & CACHETLB_PROP_NOOP_API ||
		    d->family == CACHETLB_FAM_CACHE)
			snprintf(row->noop, sizeof(row->noop), "%s",
				 ctb_stats_is_noop(&row->st, &bst, res) ?
				 "yes" : "no");
		else
			snprintf(row->noop, sizeof(row->noop), "n/a");
	} else {
		row->baseline_median = NAN;
		row->net.median = row->st.median;
		row->net.ci_lo = row->st.ci_lo;
		row->net.ci_hi = row->st.ci_hi;
		snprintf(row->noop, sizeof(row->noop), "n/a");
	}
	{
		char u[32];

		unit_singular(d->unit, u, sizeof(u));
		if ((d->uses & CACHETLB_USES_COUNT) && r.count) {
			row->per_unit = row->net.median / r.count;
			snprintf(row->per_unit_name, sizeof(row->per_unit_name),
				 "ns/%.12s", u);
		} else if (d->family == CACHETLB_FAM_UACCESS) {
			row->per_unit = row->net.median;
			snprintf(row->per_unit_name, sizeof(row->per_unit_name),
				 "ns/%.12s", u);
		} else {
			row->per_unit = 0;
			snprintf(row->per_unit_name, sizeof(row->per_unit_name),
				 "-");
		}
	}
	s->nrows++;
	s->cpu = row->cpu;
	if (r.out_flags & CACHETLB_OUT_TRUNCATED)
		fprintf(s->out, "  ! %s: time limit hit, %u of %u samples\n",
			d->name, r.samples_done, samples);
	if (r.out_flags & CACHETLB_OUT_MIGRATED)
		fprintf(s->out, "  ! %s: a sample was retried after migration\n",
			d->name);
	if (r.op_errors) {
		fprintf(s->out, "  ! %s: VERIFY found %u mismatches\n", d->name,
			r.op_errors);
		s->verify_failures++;
		ret = CTB_EXIT_VERIFY;
	}
	if (vq.map && strcmp(d->unit, "setups")) {
		/*
		 * The module counts every request since prepare (its probe
		 * calls included) and returns the last used idx. Each slot k
		 * always receives {avail[k], desc[avail[k]].len}, so: idx must
		 * equal op_result, at least (warmup + samples) * iterations
		 * requests ran, and min(ring, requests) slots are written.
		 */
		uint64_t min_req = ((uint64_t)rs->warmup + r.samples_done) *
				   iterations;
		uint16_t idx = (uint16_t)r.op_result;
		uint32_t written;
		unsigned int bad;

		if (min_req >= vq.l.ring) {
			written = vq.l.ring;
		} else {
			written = idx;
			if (idx < min_req) {
				fprintf(s->out, "  ! %s: op_result %u < %" PRIu64 " requests run\n",
					d->name, idx, min_req);
				s->verify_failures++;
				ret = CTB_EXIT_VERIFY;
			}
		}
		bad = ctb_vq_verify(&vq, idx, written, err, sizeof(err));
		if (bad) {
			fprintf(s->out, "  ! %s: used ring check failed (%u mismatches): %s\n",
				d->name, bad, err);
			s->verify_failures++;
			ret = CTB_EXIT_VERIFY;
		}
	}
	if (pmu && pmu->n) {
		struct ctb_row *rr = &s->rows[s->nrows - 1];

		count_events(s, opi, p, &vq, rs, pmu, iterations,
			     r.samples_done, rr->events, sizeof(rr->events));
	}
	if (s->fmt == CTB_OUT_TABLE) {
		if (s->header_pending)
			print_header(s);
		print_row(s, &s->rows[s->nrows - 1]);
	}
	if (ctb_stats_ci_wide(&s->rows[s->nrows - 1].st))
		fprintf(s->out, "  ! %s: 95%% CI wider than 10%% of the median\n",
			d->name);
out:
	if (spinning)
		ctb_spinners_stop(&spin);
	free(smp);
	free(base);
	ctb_vq_free(&vq);
	return ret;
}

static void fmt_ns(char *buf, size_t len, double v)
{
	if (!isfinite(v))
		snprintf(buf, len, "-");
	else if (fabs(v) < 10)
		snprintf(buf, len, "%.2f", v);
	else if (fabs(v) < 1000)
		snprintf(buf, len, "%.1f", v);
	else
		snprintf(buf, len, "%.0f", v);
}

static void print_header(struct ctb_session *s)
{
	s->header_pending = 0;
	fprintf(s->out, "%-26s %5s %5s %-8s %-11s %-7s %9s %8s %9s %14s %-4s %5s\n",
		"op", "N", "aux", "state", "opflags", "targets", "median",
		"+-ci95", "net", "per unit", "noop", "n");
}

static void print_row(struct ctb_session *s, const struct ctb_row *r)
{
	char med[24], ci[24], net[24], pu[40], pv[24];
	double hw = (r->st.ci_hi - r->st.ci_lo) / 2;

	fmt_ns(med, sizeof(med), r->st.median);
	fmt_ns(ci, sizeof(ci), hw);
	fmt_ns(net, sizeof(net), r->net.median);
	if (strcmp(r->per_unit_name, "-")) {
		fmt_ns(pv, sizeof(pv), r->per_unit);
		snprintf(pu, sizeof(pu), "%s %s", pv, r->per_unit_name + 3);
	} else {
		snprintf(pu, sizeof(pu), "-");
	}
	fprintf(s->out, "%-26s %5u %5u %-8s %-11s %-7s %9s %8s %9s %14s %-4s %5zu\n",
		r->op, r->count, r->aux, r->state, r->opflags, r->targets, med,
		ci, net, pu, r->noop, r->st.n);
	if (r->events[0])
		fprintf(s->out, "  events: %s\n", r->events);
}

void ctb_session_print_rows(struct ctb_session *s, FILE *f, size_t from)
{
	FILE *o = s->out;

	s->out = f;
	print_header(s);
	for (size_t i = from; i < s->nrows; i++)
		print_row(s, &s->rows[i]);
	s->out = o;
}

/* Expand the spec's parameter lists for op opi and run each combination. */
static int run_op_spec(struct ctb_session *s, uint32_t opi,
		       const struct ctb_runspec *rs, int explicit_op,
		       struct ctb_pmu *pmu)
{
	const struct cachetlb_op_desc *d = &s->dev.ops[opi];
	uint32_t counts[CTB_MAX_LIST], states[CACHETLB_STATE_MAX];
	size_t nc = 0, ns = 0;
	struct run_params p;
	char err[CTB_ERRLEN];
	int worst = 0, cpu = -1;

	memset(&p, 0, sizeof(p));
	if (!d->supported) {
		note(s, d->name, &p, "unsupported: ", d->reason[0] ?
		     d->reason : "(no reason given)");
		s->unsupported++;
		return CTB_EXIT_UNSUPPORTED;
	}
	if (d->uses & CACHETLB_USES_COUNT) {
		if (rs->ncounts) {
			for (size_t i = 0; i < rs->ncounts; i++) {
				if (rs->counts[i] < d->count_min ||
				    rs->counts[i] > d->count_max) {
					snprintf(err, sizeof(err),
						 "%s %u: %s takes %u..%u %s",
						 rs->counts_are_pages ?
						 "--pages" : "--count",
						 rs->counts[i], d->name,
						 d->count_min, d->count_max,
						 d->unit);
					if (explicit_op) {
						fprintf(stderr, "ctbench: %s\n",
							err);
						return CTB_EXIT_USAGE;
					}
					fprintf(s->out, "  %s: skipped %s\n",
						d->name, err);
					s->skipped++;
					continue;
				}
				counts[nc++] = rs->counts[i];
			}
			if (!nc)
				return 0;
		} else {
			counts[nc++] = d->count_min ? d->count_min : 1;
		}
	} else {
		if (rs->ncounts && explicit_op) {
			fprintf(stderr,
				"ctbench: %s does not take --count/--pages (it uses no count)\n",
				d->name);
			return CTB_EXIT_USAGE;
		}
		counts[nc++] = 0;
	}
	if ((d->uses & CACHETLB_USES_STATE) && rs->nstates) {
		memcpy(states, rs->states, rs->nstates * sizeof(states[0]));
		ns = rs->nstates;
	} else {
		if (rs->nstates && explicit_op && !(d->uses &
						     CACHETLB_USES_STATE)) {
			fprintf(stderr, "ctbench: %s does not take --state\n",
				d->name);
			return CTB_EXIT_USAGE;
		}
		states[ns++] = CACHETLB_STATE_ANY;
	}
	if (explicit_op && rs->opflags &&
	    !(d->uses & CACHETLB_USES_OPFLAGS)) {
		fprintf(stderr, "ctbench: %s does not take --opflags\n",
			d->name);
		return CTB_EXIT_USAGE;
	}
	if (explicit_op && rs->aux && !(d->uses & CACHETLB_USES_AUX)) {
		fprintf(stderr, "ctbench: %s does not take --aux\n", d->name);
		return CTB_EXIT_USAGE;
	}
	if (s->topo_ok) {
		if (ctb_topo_pick_cpu(&s->topo, rs->cpu, &cpu, err,
				      sizeof(err))) {
			fprintf(stderr, "ctbench: %s\n", err);
			return CTB_EXIT_USAGE;
		}
		if (ctb_topo_bind_self(&s->topo, cpu, err, sizeof(err)))
			fprintf(s->out, "  ! %s (the module still pins the RUN)\n",
				err);
	} else {
		cpu = rs->cpu;
	}
	p.cpu = cpu;
	p.aux = rs->aux;
	p.opflags = rs->opflags;
	p.span = rs->span;
	if (d->uses & CACHETLB_USES_TARGETS) {
		const char *pol = rs->targets[0] ? rs->targets : "all";

		if (!s->topo_ok) {
			struct ctb_cpumask m;

			if (ctb_cpulist_parse(pol, &m, err, sizeof(err))) {
				fprintf(s->out, "  %s: skipped: targets '%s' need hwloc: %s\n",
					d->name, pol, err);
				s->skipped++;
				return explicit_op ? CTB_EXIT_USAGE : 0;
			}
			p.targets = m;
			ctb_cpulist_format(&m, p.targets_str,
					   sizeof(p.targets_str));
		} else if (ctb_topo_targets(&s->topo, cpu, pol, &p.targets,
					    p.targets_str,
					    sizeof(p.targets_str), err,
					    sizeof(err))) {
			if (explicit_op) {
				fprintf(stderr, "ctbench: %s\n", err);
				return CTB_EXIT_USAGE;
			}
			fprintf(s->out, "  %s: skipped: %s\n", d->name, err);
			s->skipped++;
			return 0;
		}
		p.has_targets = 1;
		snprintf(s->targets_policy, sizeof(s->targets_policy), "%s",
			 pol);
		s->busy_targets = rs->busy_targets;
	} else if (explicit_op && rs->targets[0]) {
		fprintf(stderr, "ctbench: %s does not take --targets\n",
			d->name);
		return CTB_EXIT_USAGE;
	}
	for (size_t ci = 0; ci < nc && !ctb_signalled; ci++) {
		for (size_t si = 0; si < ns && !ctb_signalled; si++) {
			int ret;

			p.count = counts[ci];
			p.state = states[si];
			ret = run_one(s, opi, &p, rs, pmu);
			if (ret > worst)
				worst = ret;
			if (ret == CTB_EXIT_UNSUPPORTED)
				return ret;	/* the op, not a parameter */
		}
	}
	return worst;
}

int ctb_session_run(struct ctb_session *s, const struct ctb_runspec *rs)
{
	struct ctb_pmu pmu;
	char err[CTB_ERRLEN];
	int worst = 0, found = 0;

	memset(&pmu, 0, sizeof(pmu));
	if (rs->events[0] && ctb_pmu_setup(&pmu, rs->events, err,
					   sizeof(err))) {
		fprintf(stderr, "ctbench: %s\n", err);
		return CTB_EXIT_USAGE;
	}
	s->header_pending = 1;
	if (rs->op[0]) {
		int opi = ctb_dev_find_op(&s->dev, rs->op);

		if (opi < 0) {
			fprintf(stderr, "ctbench: unknown op '%s' (see `ctbench list` for the %u ops)\n",
				rs->op, s->dev.nops);
			ctb_pmu_close(&pmu);
			return CTB_EXIT_USAGE;
		}
		worst = run_op_spec(s, (uint32_t)opi, rs, 1, &pmu);
	} else {
		for (uint32_t i = 0; i < s->dev.nops && !ctb_signalled; i++) {
			int ret;

			if ((int)s->dev.ops[i].family != rs->family)
				continue;
			found++;
			ret = run_op_spec(s, i, rs, 0, &pmu);
			/* unsupported ops in a family are listed, not fatal */
			if (ret == CTB_EXIT_UNSUPPORTED)
				ret = 0;
			if (ret > worst)
				worst = ret;
		}
		if (!found)
			fprintf(s->out, "  family %s: the module has no ops\n",
				ctb_family_name((uint32_t)rs->family));
	}
	ctb_pmu_close(&pmu);
	return worst;
}

/* ----------------------------------------------------------------------
 * Analysis
 */

static void analysis_add(struct ctb_session *s, FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void analysis_add(struct ctb_session *s, FILE *f, const char *fmt, ...)
{
	char line[512];
	size_t off = strlen(s->analysis);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(f, "  %s\n", line);
	if (off + strlen(line) + 3 < sizeof(s->analysis))
		snprintf(s->analysis + off, sizeof(s->analysis) - off, "%s%s",
			 off ? "; " : "", line);
}

static const struct ctb_row *find_row(const struct ctb_session *s,
				      const char *op, uint32_t count,
				      uint32_t aux, const char *state,
				      const char *opflags, const char *targets)
{
	for (size_t i = s->nrows; i-- > 0;) {
		const struct ctb_row *r = &s->rows[i];

		if (strcmp(r->op, op) || r->count != count ||
		    (aux != UINT32_MAX && r->aux != aux))
			continue;
		if (state && strcmp(r->state, state))
			continue;
		if (opflags && strcmp(r->opflags, opflags))
			continue;
		if (targets && strcmp(r->targets, targets))
			continue;
		return r;
	}
	return NULL;
}

int ctb_crossover(const uint32_t *counts, const double *range, size_t n,
		  double global)
{
	(void)counts;
	for (size_t i = 0; i < n; i++)
		if (isfinite(range[i]) && range[i] >= global)
			return (int)i;
	return -1;
}

static void analyse_uaccess(struct ctb_session *s, FILE *f, const char *emu)
{
	static const char *const methods[] = {
		"uaccess_getput", "uaccess_unsafe", "uaccess_vmap",
		"uaccess_kmap",
	};

	for (size_t i = 0; i < s->nrows; i++) {
		const struct ctb_row *copy = &s->rows[i], *vmap, *setup;
		const char *span;
		char line[400];
		size_t off;

		if (strcmp(copy->op, "uaccess_copy"))
			continue;
		/* only the last copy row of each (aux, opflags) */
		if (find_row(s, "uaccess_copy", 0, copy->aux, NULL,
			     copy->opflags, NULL) != copy)
			continue;
		off = (size_t)snprintf(line, sizeof(line),
				       "uaccess ring %u %s: copy %.1f ns/request",
				       copy->aux, copy->opflags,
				       copy->net.median);
		for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]);
		     m++) {
			const struct ctb_row *r = find_row(s, methods[m], 0,
							   copy->aux, NULL,
							   copy->opflags,
							   NULL);

			if (r && copy->net.median > 0 && off < sizeof(line))
				off += (size_t)snprintf(line + off,
					sizeof(line) - off, ", %s/copy %.2f",
					methods[m] + 8,
					r->net.median / copy->net.median);
		}
		analysis_add(s, f, "%s%s", line, emu);
		vmap = find_row(s, "uaccess_vmap", 0, copy->aux, NULL,
				copy->opflags, NULL);
		span = strstr(copy->opflags, "span") ? "span" : "-";
		setup = find_row(s, "uaccess_setup", 0, copy->aux, NULL, span,
				 NULL);
		if (!vmap || !setup) {
			analysis_add(s, f,
				     "uaccess ring %u %s: break-even not computed (%s missing)",
				     copy->aux, copy->opflags,
				     !vmap ? "uaccess_vmap" : "uaccess_setup");
			continue;
		}
		if (copy->net.median <= vmap->net.median) {
			analysis_add(s, f,
				     "uaccess ring %u %s: vmap never pays off here: vmap %.1f >= copy %.1f ns/request (setup %.0f ns)%s",
				     copy->aux, copy->opflags,
				     vmap->net.median, copy->net.median,
				     setup->net.median, emu);
			continue;
		}
		analysis_add(s, f,
			     "uaccess ring %u %s: vmap/copy %.2f, setup %.0f ns, break-even after %.0f requests%s",
			     copy->aux, copy->opflags,
			     vmap->net.median / copy->net.median,
			     setup->net.median,
			     ceil(setup->net.median /
				  (copy->net.median - vmap->net.median)), emu);
	}
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Crossover of one (global, range) pair of ops measured with the same
 * targets ("-" for the kernel's own global/range flush). Returns 1 when
 * the pair had data.
 */
static int tlb_pair(struct ctb_session *s, FILE *f, const char *emu,
		    const char *gop, const char *rop, const char *targets,
		    const char *ceil_txt, const char *label)
{
	const struct ctb_row *global = NULL;
	uint32_t counts[CTB_MAX_LIST];
	double range[CTB_MAX_LIST], range_hi[CTB_MAX_LIST];
	double range_lo[CTB_MAX_LIST];
	size_t n = 0;
	int x, stable = -1, overlap = -1;

	/* the default-aux global row, else the last one measured */
	global = find_row(s, gop, 0, CTB_DEFAULT_AUX, NULL, "-", targets);
	for (size_t i = s->nrows; !global && i-- > 0;)
		if (!strcmp(s->rows[i].op, gop) &&
		    !strcmp(s->rows[i].targets, targets) &&
		    !strcmp(s->rows[i].opflags, "-"))
			global = &s->rows[i];
	for (size_t i = 0; i < s->nrows && n < CTB_MAX_LIST; i++) {
		const struct ctb_row *r = &s->rows[i];
		int dup = 0;

		if (strcmp(r->op, rop) || strcmp(r->targets, targets) ||
		    strcmp(r->opflags, "-"))
			continue;
		for (size_t j = 0; j < n; j++)
			dup |= counts[j] == r->count;
		if (!dup)
			counts[n++] = r->count;
	}
	if (!global || !n)
		return 0;
	qsort(counts, n, sizeof(counts[0]), cmp_u32);
	for (size_t i = 0; i < n; i++) {
		const struct ctb_row *r = find_row(s, rop, counts[i], 0, NULL,
						   "-", targets);

		range[i] = r ? r->net.median : NAN;
		range_hi[i] = r ? r->net.ci_hi : NAN;
		range_lo[i] = r ? r->net.ci_lo : NAN;
	}
	/* matched: a global row measured with aux == N for every N */
	{
		double gm[CTB_MAX_LIST];
		size_t have = 0;
		int mx = -1;

		for (size_t i = 0; i < n; i++) {
			const struct ctb_row *g = find_row(s, gop, 0, counts[i],
							   NULL, "-", targets);

			gm[i] = g ? g->net.median : NAN;
			have += g != NULL;
		}
		if (have == n && n > 1) {
			for (size_t i = 0; i < n && mx < 0; i++)
				if (range[i] >= gm[i])
					mx = (int)i;
			if (mx < 0)
				analysis_add(s, f,
					     "tlb%s matched (global after touching N pages): no crossover within %u..%u pages%s",
					     label, counts[0], counts[n - 1],
					     emu);
			else
				analysis_add(s, f,
					     "tlb%s matched (global after touching N pages): crossover at N=%u: %s %.0f ns >= %s(aux=%u) %.0f ns%s",
					     label, counts[mx], rop, range[mx],
					     gop, counts[mx], gm[mx], emu);
		}
	}
	x = ctb_crossover(counts, range, n, global->net.median);
	/* "stable": first N from which every larger N is >= global */
	for (size_t i = n; i-- > 0;) {
		if (!(range[i] >= global->net.median))
			break;
		stable = (int)i;
	}
	/*
	 * Where the range flush stops being significantly cheaper: its 95%
	 * CI reaches the global flush's CI (robust to the noise that moves
	 * the plain first crossing when both cost the same, e.g. above the
	 * kernel's own ceiling where the range flush is a full flush).
	 */
	for (size_t i = 0; i < n && overlap < 0; i++)
		if (range_hi[i] >= global->net.ci_lo)
			overlap = (int)i;
	/*
	 * The kernel switches strategy at its ceiling: look for the largest
	 * cost step between adjacent sweep points (N and N+1 like 33/34,
	 * 512/513) — up or down.
	 */
	{
		int best = -1;
		double bl = 0;

		for (size_t i = 1; i < n; i++) {
			double l;

			/* fine probes only (31/32/33/34, 511/512/513 ...) */
			if (counts[i - 1] < 16 ||
			    counts[i] - counts[i - 1] > counts[i - 1] / 16 ||
			    !(range[i] > 0) || !(range[i - 1] > 0))
				continue;
			/* only steps the 95% CIs resolve */
			if (!(range_hi[i - 1] < range_lo[i]) &&
			    !(range_hi[i] < range_lo[i - 1]))
				continue;
			/* cost ratio beyond what the page ratio explains */
			l = fabs(log(range[i] / range[i - 1]) -
				 log((double)counts[i] / counts[i - 1]));
			if (l > bl) {
				bl = l;
				best = (int)i;
			}
		}
		if (best > 0)
			analysis_add(s, f,
				     "tlb%s: largest step between adjacent N: %u -> %u pages, %s x%.2f (%.0f -> %.0f ns); %s%s",
				     label, counts[best - 1], counts[best], rop,
				     range[best] / range[best - 1],
				     range[best - 1], range[best], ceil_txt,
				     emu);
	}
	if (overlap >= 0)
		analysis_add(s, f,
			     "tlb%s: %s no longer significantly cheaper than %s from N=%u pages (95%% CIs meet); %s%s",
			     label, rop, gop, counts[overlap], ceil_txt, emu);
	if (x < 0)
		analysis_add(s, f,
			     "tlb%s: no crossover within %u..%u pages (%s %.0f ns, %s(%u) %.0f ns); %s%s",
			     label, counts[0], counts[n - 1], gop,
			     global->net.median, rop, counts[n - 1],
			     range[n - 1], ceil_txt, emu);
	else {
		char st[64];

		if (stable >= 0)
			snprintf(st, sizeof(st), "stable from N=%u",
				 counts[stable]);
		else
			snprintf(st, sizeof(st),
				 "unstable: N=%u is below again",
				 counts[n - 1]);
		analysis_add(s, f,
			     "tlb%s: crossover at N=%u pages (%s): %s %.0f ns >= %s %.0f ns; %s%s",
			     label, counts[x], st, rop, range[x], gop,
			     global->net.median, ceil_txt, emu);
	}
	if (counts[0] == 1 && range[0] > 0)
		analysis_add(s, f,
			     "tlb%s: global/single-page ratio %.2f (%s %.0f ns, %s(1) %.0f ns)%s",
			     label, global->net.median / range[0], gop,
			     global->net.median, rop, range[0], emu);
	return 1;
}

static void analyse_tlb(struct ctb_session *s, FILE *f, const char *emu)
{
	char ceil_txt[192], label[96];
	int gi = ctb_dev_find_op(&s->dev, "flush_tlb_all");
	int ri = ctb_dev_find_op(&s->dev, "flush_tlb_kernel_range");
	FILE *dbg;

	if (s->dev.info.tlb_flush_ceiling)
		snprintf(ceil_txt, sizeof(ceil_txt),
			 "kernel threshold %u pages (%s)",
			 s->dev.info.tlb_flush_ceiling,
			 s->dev.info.ceiling_source);
	else
		snprintf(ceil_txt, sizeof(ceil_txt),
			 "kernel threshold unknown (%s)",
			 s->dev.info.ceiling_source[0] ?
			 s->dev.info.ceiling_source : "not reported");
	dbg = fopen("/sys/kernel/debug/x86/tlb_single_page_flush_ceiling",
		    "r");
	if (dbg) {
		unsigned int v;

		if (fscanf(dbg, "%u", &v) == 1) {
			size_t o = strlen(ceil_txt);

			snprintf(ceil_txt + o, sizeof(ceil_txt) - o,
				 ", debugfs tlb_single_page_flush_ceiling %u",
				 v);
		}
		fclose(dbg);
	}
	if (tlb_pair(s, f, emu, "flush_tlb_all", "flush_tlb_kernel_range",
		     "-", ceil_txt, ""))
		return;
	/* The kernel's pair is missing: say why, then try the stand-ins. */
	if (gi >= 0 && !s->dev.ops[gi].supported)
		analysis_add(s, f, "tlb: flush_tlb_all unsupported: %s",
			     s->dev.ops[gi].reason);
	if (ri >= 0 && !s->dev.ops[ri].supported)
		analysis_add(s, f, "tlb: flush_tlb_kernel_range unsupported: %s",
			     s->dev.ops[ri].reason);
	for (size_t i = 0; i < s->nrows; i++) {
		const struct ctb_row *r = &s->rows[i];

		if (strcmp(r->op, "ipi_flush_all") || strcmp(r->opflags, "-"))
			continue;
		if (find_row(s, "ipi_flush_all", r->count, UINT32_MAX, NULL,
			     "-", r->targets) != r)
			continue;	/* one line per target set */
		snprintf(label, sizeof(label),
			 " (stand-in: ipi_flush_all/ipi_flush_range on CPUs %.40s)",
			 r->targets);
		if (tlb_pair(s, f, emu, "ipi_flush_all", "ipi_flush_range",
			     r->targets, ceil_txt, label))
			return;
	}
	analysis_add(s, f,
		     "tlb: crossover not computed: no global/range pair was measured; %s",
		     ceil_txt);
}

/* Remote cost per target set (and busy targets) of the ipi_* ops. */
static void analyse_remote(struct ctb_session *s, FILE *f, const char *emu)
{
	static const char *const ops[] = { "ipi_empty", "ipi_flush_all" };

	for (size_t o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
		char line[400];
		size_t off = 0;
		int n = 0;

		off += (size_t)snprintf(line, sizeof(line), "tlb remote %s:",
					ops[o]);
		for (size_t i = 0; i < s->nrows && off < sizeof(line); i++) {
			const struct ctb_row *r = &s->rows[i];
			int w;

			if (strcmp(r->op, ops[o]) || !strcmp(r->targets, "-"))
				continue;
			{
				struct ctb_cpumask m;
				char e[64];

				w = ctb_cpulist_parse(r->targets, &m, e,
						      sizeof(e)) ? 0 :
				    ctb_cpumask_weight(&m);
			}
			off += (size_t)snprintf(line + off, sizeof(line) - off,
						"%s CPUs %s (%d)%s %.0f ns",
						n ? "," : "", r->targets, w,
						strstr(r->opflags, "busy") ?
						" busy" : "", r->net.median);
			n++;
		}
		if (n)
			analysis_add(s, f, "%s%s", line, emu);
	}
}

static uint32_t largest_count(const struct ctb_session *s, const char *op,
			      const char *opflags)
{
	uint32_t m = 0;

	for (size_t i = 0; i < s->nrows; i++)
		if (!strcmp(s->rows[i].op, op) &&
		    !strcmp(s->rows[i].opflags, opflags) &&
		    s->rows[i].count > m)
			m = s->rows[i].count;
	return m;
}

static void analyse_cache(struct ctb_session *s, FILE *f, const char *emu)
{
	for (size_t i = 0; i < s->nrows; i++) {
		const struct ctb_row *r = &s->rows[i];
		size_t nrows = 0, nno = 0;
		int first = 1;

		if (strcmp(r->family, "cache"))
			continue;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(s->rows[j].op, r->op))
				first = 0;
		if (!first)
			continue;
		for (size_t j = i; j < s->nrows; j++) {
			if (strcmp(s->rows[j].op, r->op))
				continue;
			nrows++;
			nno += !strcmp(s->rows[j].noop, "yes");
		}
		if (nno == nrows)
			analysis_add(s, f,
				     "cache: %s: no-op on this kernel/arch (all %zu rows indistinguishable from the empty op)%s",
				     r->op, nrows, emu);
		else if (nno)
			analysis_add(s, f,
				     "cache: %s: no-op in %zu of %zu rows%s",
				     r->op, nno, nrows, emu);
	}
	/* per-page vs per-range, dirty/clean, second flush */
	for (size_t i = 0; i < s->nrows; i++) {
		const struct ctb_row *pp = &s->rows[i], *pr, *cl, *db;
		char flags2[72];

		if (!strcmp(pp->op, "flush_dcache_page")) {
			pr = find_row(s, "flush_kernel_vmap_range", pp->count,
				      0, pp->state, pp->opflags, NULL);
			if (pr && pr->net.median > 0 &&
			    !strcmp(pp->noop, "no") && !strcmp(pr->noop, "no"))
				analysis_add(s, f,
					     "cache: N=%u %s %s: per-page/per-range %.2f (%.1f vs %.1f ns)%s",
					     pp->count, pp->state, pp->opflags,
					     pp->net.median / pr->net.median,
					     pp->net.median, pr->net.median,
					     emu);
		}
		/* dirty/clean at the largest N of the op, both real costs */
		if (!strcmp(pp->family, "cache") &&
		    !strcmp(pp->state, "dirty") && !strcmp(pp->noop, "no") &&
		    !strstr(pp->opflags, "double") &&
		    largest_count(s, pp->op, pp->opflags) == pp->count) {
			cl = find_row(s, pp->op, pp->count, 0, "clean",
				      pp->opflags, NULL);
			if (cl && !strcmp(cl->noop, "no") &&
			    cl->net.median > 0)
				analysis_add(s, f,
					     "cache: %s N=%u: dirty/clean %.2f%s",
					     pp->op, pp->count,
					     pp->net.median / cl->net.median,
					     emu);
		}
		if (!strcmp(pp->family, "cache") &&
		    strstr(pp->opflags, "double") &&
		    !strcmp(pp->noop, "no")) {
			/* the single-flush row: same flags without double */
			char *p;

			snprintf(flags2, sizeof(flags2), "%s", pp->opflags);
			p = strstr(flags2, "double");
			if (p) {
				size_t l = strlen("double");

				if (p[l] == '+')
					l++;
				else if (p > flags2 && p[-1] == '+')
					p--, l++;
				memmove(p, p + l, strlen(p + l) + 1);
			}
			if (!flags2[0])
				snprintf(flags2, sizeof(flags2), "-");
			db = find_row(s, pp->op, pp->count, 0, pp->state,
				      flags2, NULL);
			if (db)
				analysis_add(s, f,
					     "cache: %s N=%u %s: second flush %.1f ns vs first %.1f ns%s",
					     pp->op, pp->count, pp->state,
					     pp->net.median, db->net.median,
					     emu);
			else
				analysis_add(s, f,
					     "cache: %s N=%u %s: second flush %.1f ns%s",
					     pp->op, pp->count, pp->state,
					     pp->net.median, emu);
		}
	}
}

void ctb_session_analyse(struct ctb_session *s, FILE *f, int family)
{
	const char *emu = s->emulated ? " [emulated: QEMU TCG]" : "";

	switch (family) {
	case CACHETLB_FAM_UACCESS:
		analyse_uaccess(s, f, emu);
		break;
	case CACHETLB_FAM_TLB:
		analyse_tlb(s, f, emu);
		analyse_remote(s, f, emu);
		break;
	case CACHETLB_FAM_CACHE:
		analyse_cache(s, f, emu);
		break;
	default:
		break;
	}
}

/* ----------------------------------------------------------------------
 * Result set
 */

static void kernel_package(const char *release, char *buf, size_t len)
{
	const char *env = getenv("CTB_KERNEL_PKG");
	char cmd[256], line[256];
	FILE *p;

	if (env && *env) {
		snprintf(buf, len, "%s", env);
		return;
	}
	snprintf(buf, len, "unknown");
	for (const char *c = release; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr(".-+_~", *c))
			return;	/* never pass odd text to a shell */
	snprintf(cmd, sizeof(cmd),
		 "dpkg-query -W -f='${Package}=${Version}' linux-image-%s 2>/dev/null",
		 release);
	p = popen(cmd, "r");
	if (!p)
		return;
	if (fgets(line, sizeof(line), p) && strchr(line, '='))
		snprintf(buf, len, "%.150s", line);
	pclose(p);
}

/* Read the first line of path into buf (newline stripped); 0 on success. */
static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (!fgets(buf, (int)len, f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

static int is_sha(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");

	return n >= 40 && (s[n] == '\0' || s[n] == ' ');
}

/*
 * The commit of the checkout ctbench runs in, without running git (guests
 * have none): find .git upwards from the cwd, follow HEAD to a loose ref
 * or packed-refs.
 */
int ctb_git_head(char *buf, size_t len)
{
	char dir[3800], path[4200], head[256], line[512];

	if (!getcwd(dir, sizeof(dir)))
		return -1;
	for (;;) {
		char *slash;

		snprintf(path, sizeof(path), "%s/.git/HEAD", dir);
		if (!read_line(path, head, sizeof(head)))
			break;
		slash = strrchr(dir, '/');
		if (!slash || slash == dir)
			return -1;
		*slash = '\0';
	}
	if (is_sha(head)) {
		snprintf(buf, len, "%.40s", head);
		return 0;
	}
	if (strncmp(head, "ref: ", 5) || strstr(head, ".."))
		return -1;
	snprintf(path, sizeof(path), "%s/.git/%s", dir, head + 5);
	if (!read_line(path, line, sizeof(line)) && is_sha(line)) {
		snprintf(buf, len, "%.40s", line);
		return 0;
	}
	snprintf(path, sizeof(path), "%s/.git/packed-refs", dir);
	{
		FILE *f = fopen(path, "r");
		int ret = -1;

		if (!f)
			return -1;
		while (fgets(line, sizeof(line), f)) {
			char *sp = strchr(line, ' ');

			line[strcspn(line, "\r\n")] = '\0';
			if (sp && is_sha(line) && !strcmp(sp + 1, head + 5)) {
				snprintf(buf, len, "%.40s", line);
				ret = 0;
				break;
			}
		}
		fclose(f);
		return ret;
	}
}

static void git_commit(char *buf, size_t len)
{
	const char *env = getenv("CTB_GIT_COMMIT");

	if (env && *env) {
		snprintf(buf, len, "%s", env);
		return;
	}
#ifdef CTB_GIT_COMMIT
	snprintf(buf, len, "%s", CTB_GIT_COMMIT);
#else
	if (ctb_git_head(buf, len))
		snprintf(buf, len, "unknown");
#endif
}

static char *jstr(const char *s)
{
	/* JSON string literal of s (for raw_json placement object) */
	size_t n = strlen(s), o = 0;
	char *r = malloc(n * 6 + 3);

	if (!r)
		return NULL;
	r[o++] = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			r[o++] = '\\';
			r[o++] = (char)c;
		} else if (c < 0x20) {
			o += (size_t)sprintf(r + o, "\\u%04x", c);
		} else {
			r[o++] = (char)c;
		}
	}
	r[o++] = '"';
	r[o] = '\0';
	return r;
}

int ctb_session_write(struct ctb_session *s, const char *parent,
		      char *out_dir, size_t out_len)
{
	const struct cachetlb_info *in = &s->dev.info;
	char name[256], host[128], date[32], pkg[160], commit[64];
	char num[12][32], features[512], placement[512], cmd[2048];
	char topo[128], *pol, *cpu_model_j;
	struct ctb_kv meta[48];
	char env_hyp[128], env_why[384];
	int env = ctb_detect_environment(NULL, s->emulated, env_hyp,
					 sizeof(env_hyp), env_why,
					 sizeof(env_why));
	size_t nm = 0, off = 0;
	time_t now = time(NULL);
	struct tm tm;
	int ret;

	if (gethostname(host, sizeof(host)))
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	/* initramfs guests have no hostname: uname says "(none)" */
	if (!host[0] || !strcmp(host, "(none)"))
		snprintf(host, sizeof(host), "nohost");
	ctb_set_name(name, sizeof(name), (long long)now, host, in->machine,
		     in->release, s->emulated);
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	kernel_package(in->release, pkg, sizeof(pkg));
	git_commit(commit, sizeof(commit));
	ctb_features_json(in->features, features, sizeof(features));
	if (s->topo_ok)
		ctb_topo_summary(&s->topo, topo, sizeof(topo));
	else
		snprintf(topo, sizeof(topo), "n/a: hwloc unavailable");
	pol = jstr(s->targets_policy[0] ? s->targets_policy : "none");
	cpu_model_j = jstr(topo);
	snprintf(placement, sizeof(placement),
		 "{\"cpu\": %d, \"pinning\": \"hwloc thread binding; the module pins each RUN to the cpu\", \"targets_policy\": %s, \"busy_targets\": %s, \"topology\": %s}",
		 s->cpu, pol ? pol : "\"?\"", s->busy_targets ? "true" :
		 "false", cpu_model_j ? cpu_model_j : "\"?\"");
	free(pol);
	free(cpu_model_j);
	for (int i = 0; i < s->argc; i++)
		off += (size_t)snprintf(cmd + off, off < sizeof(cmd) ?
					sizeof(cmd) - off : 0, "%s%s",
					i ? " " : "", s->argv[i]);
	snprintf(num[0], 32, "%u", in->hdr.abi_version);
	snprintf(num[1], 32, "%u", in->page_size);
	snprintf(num[2], 32, "%u", in->cache_line_size);
	snprintf(num[3], 32, "%u", in->cbom_block_size);
	snprintf(num[4], 32, "%u", in->online_cpus);
	snprintf(num[5], 32, "%" PRIu64, (uint64_t)in->counter_hz);
	snprintf(num[6], 32, "%" PRIu64, (uint64_t)in->clock_resolution_ns);
	snprintf(num[7], 32, "%u", in->tlb_flush_ceiling);
#define KV(k, v, raw) do { meta[nm].key = (k); meta[nm].value = (v); \
			    meta[nm].is_raw_json = (raw); nm++; } while (0)
	KV("tool", "ctbench", 0);
	KV("tool_version", CTB_TOOL_VERSION, 0);
	KV("abi_version", num[0], 1);
	KV("module_version", in->module_version, 0);
	KV("git_commit", commit, 0);
	KV("date", date, 0);
	KV("hostname", host, 0);
	KV("arch", in->machine, 0);
	KV("cpu_model", in->cpu_model[0] ? in->cpu_model : "unknown", 0);
	KV("kernel_release", in->release, 0);
	KV("kernel_package", pkg, 0);
	KV("kernel_sha256", getenv("CTB_KERNEL_SHA256") &&
	   *getenv("CTB_KERNEL_SHA256") ? getenv("CTB_KERNEL_SHA256") :
	   "unknown", 0);
	KV("page_size", num[1], 1);
	KV("cache_line_size", num[2], 1);
	KV("cbom_block_size", num[3], 1);
	KV("online_cpus", num[4], 1);
	KV("timer_source", in->timer_source, 0);
	KV("counter", ctb_counter_name(in->counter), 0);
	KV("counter_hz", num[5], 1);
	KV("clock_resolution_ns", num[6], 1);
	KV("hypervisor", ctb_hyp_name(in->hypervisor), 0);
	KV("hypervisor_hint", in->hypervisor_hint, 0);
	KV("features", features, 1);
	KV("emulated", s->emulated ? "true" : "false", 1);
	KV("emulation", s->emulated ? "qemu-tcg" : "native", 0);
	KV("emulation_reason", s->emulation_reason, 0);
	KV("environment", ctb_env_name(env), 0);
	KV("environment_hypervisor", env_hyp, 0);
	KV("environment_reason", env_why, 0);
	KV("emulator", getenv("CTB_EMULATOR") && *getenv("CTB_EMULATOR") ?
	   getenv("CTB_EMULATOR") : s->emulated ? "unknown" : "none", 0);
	KV("placement", placement, 1);
	KV("pmu", s->pmu, 0);
	KV("tlb_flush_ceiling", num[7], 1);
	KV("ceiling_source", in->ceiling_source, 0);
	KV("command", cmd, 0);
	KV("analysis", s->analysis, 0);
	KV("interrupted", ctb_signalled ? "true" : "false", 1);
#undef KV
	ret = ctb_set_write(parent, name, meta, nm, s->rows, s->nrows,
			    out_dir, out_len);
	return ret;
}

/* ----------------------------------------------------------------------
 * Suites
 */

struct suite_item {
	int family;
	const char *op;			/* NULL: every op of the family */
	const char *counts;		/* NULL: op default */
	const char *states;		/* NULL: any */
	const char *opflags;		/* NULL: none */
	const char *targets;		/* NULL: none / "all" for target ops */
	uint32_t aux;
	int busy;
	const char *auxes;		/* aux sweep (list) instead of aux */
};

static const struct suite_item quick_items[] = {
	{ CACHETLB_FAM_CORE, "nop", NULL, NULL, NULL, NULL, 0, 0, NULL },
	{ CACHETLB_FAM_CORE, "spin", "1,64,1024", NULL, NULL, NULL, 0, 0, NULL },
	{ CACHETLB_FAM_UACCESS, NULL, NULL, NULL, NULL, NULL, 256, 0, NULL },
	{ CACHETLB_FAM_UACCESS, "uaccess_copy", NULL, NULL, "span", NULL,
	  256, 0, NULL },
	{ CACHETLB_FAM_UACCESS, "uaccess_vmap", NULL, NULL, "span", NULL,
	  256, 0, NULL },
	{ CACHETLB_FAM_UACCESS, "uaccess_setup", NULL, NULL, "span", NULL,
	  256, 0, NULL },
	{ CACHETLB_FAM_CACHE, NULL, "1,16,64,256", "clean,dirty", NULL, NULL,
	  0, 0, NULL },
	{ CACHETLB_FAM_CACHE, "flush_dcache_page", "16", "dirty", "double",
	  NULL, 0, 0, NULL },
	{ CACHETLB_FAM_CACHE, "flush_kernel_vmap_range", "16", "dirty",
	  "double", NULL, 0, 0, NULL },
	{ CACHETLB_FAM_TLB, "flush_tlb_all", NULL, NULL, NULL, NULL, 0, 0, NULL },
	{ CACHETLB_FAM_TLB, "flush_tlb_kernel_range",
	  "1,4,16,32,33,34,64,65,256,512,513,2048", NULL, NULL, NULL, 0, 0, NULL },
	{ CACHETLB_FAM_TLB, "ipi_flush_range",
	  "1,4,16,32,33,34,64,65,256,512,513,2048", NULL, NULL, "all", 0, 0, NULL },
	{ CACHETLB_FAM_TLB, "*", "1,16", NULL, NULL, "all", 16, 0, NULL },
};

static const struct suite_item full_items[] = {
	{ CACHETLB_FAM_CORE, "nop", NULL, NULL, NULL, NULL, 0, 0, NULL },
	{ CACHETLB_FAM_CORE, "spin", "1,16,256,4096,65536", NULL, NULL, NULL,
	  0, 0, NULL },
	{ CACHETLB_FAM_UACCESS, NULL, NULL, NULL, NULL, NULL, 256, 0, NULL },
	{ CACHETLB_FAM_UACCESS, NULL, NULL, NULL, "span", NULL, 256, 0, NULL },
	{ CACHETLB_FAM_UACCESS, NULL, NULL, NULL, "cold", NULL, 256, 0, NULL },
	{ CACHETLB_FAM_UACCESS, NULL, NULL, NULL, NULL, NULL, 16, 0, NULL },
	{ CACHETLB_FAM_UACCESS, NULL, NULL, NULL, NULL, NULL, 4096, 0, NULL },
	{ CACHETLB_FAM_CACHE, NULL, "1,2,4,16,64,256,1024",
	  "clean,dirty,uncached", NULL, NULL, 0, 0, NULL },
	{ CACHETLB_FAM_CACHE, NULL, "1,16,256,1024", "clean,dirty", "vmap",
	  NULL, 0, 0, NULL },
	{ CACHETLB_FAM_CACHE, NULL, "1,16,256,1024", "dirty", "double", NULL,
	  0, 0, NULL },
	/* matched: the global flush after touching as many pages as N
	 * (aux 16, the default, is the plain global row) */
	{ CACHETLB_FAM_TLB, "flush_tlb_all", NULL, NULL, NULL, NULL, 0, 0,
	  "1..2048,31,33,34,63,65,511,513" },
	{ CACHETLB_FAM_TLB, "flush_tlb_kernel_range",
	  "1..2048,31,32,33,34,63,64,65,511,512,513", NULL, NULL, NULL, 0,
	  0, NULL },
	{ CACHETLB_FAM_TLB, "ipi_flush_range",
	  "1..2048,31,32,33,34,63,64,65,511,512,513", NULL, NULL, "all", 0,
	  0, NULL },
	{ CACHETLB_FAM_TLB, "*", "1,2,16,64,512", NULL, NULL, "all", 64, 0, NULL },
	{ CACHETLB_FAM_TLB, "*", "1,64", NULL, NULL, "sibling", 64, 0, NULL },
	{ CACHETLB_FAM_TLB, "*", "1,64", NULL, NULL, "core", 64, 0, NULL },
	{ CACHETLB_FAM_TLB, "*", "1,64", NULL, NULL, "package", 64, 0, NULL },
	{ CACHETLB_FAM_TLB, "*", "1,64", NULL, NULL, "all", 64, 1, NULL },
};

/* Is op i already covered explicitly by another item of the table? */
static int explicitly_listed(const struct suite_item *items, size_t n,
			     const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (items[i].op && !strcmp(items[i].op, name))
			return 1;
	return 0;
}

static int suite_item_run(struct ctb_session *s, const struct suite_item *it,
			  const struct suite_item *all, size_t nall,
			  uint32_t samples, uint32_t warmup)
{
	struct ctb_runspec rs;
	char err[CTB_ERRLEN];
	int worst = 0;

	ctb_runspec_init(&rs);
	rs.samples = samples;
	rs.warmup = warmup;
	rs.aux = it->aux;
	if (it->states &&
	    ctb_parse_states(it->states, rs.states, &rs.nstates, err,
			     sizeof(err)))
		return CTB_EXIT_FAIL;
	if (it->opflags &&
	    ctb_parse_opflags(it->opflags, &rs.opflags, &rs.span, err,
			      sizeof(err)))
		return CTB_EXIT_FAIL;
	for (uint32_t i = 0; i < s->dev.nops && !ctb_signalled; i++) {
		const struct cachetlb_op_desc *d = &s->dev.ops[i];
		uint32_t lo = d->count_min ? d->count_min : 1;
		uint32_t hi = d->count_max ? d->count_max : lo;
		uint32_t c[CTB_MAX_LIST];
		size_t nc = 0;
		int ret;

		if ((int)d->family != it->family)
			continue;
		if (it->op && strcmp(it->op, "*") && strcmp(it->op, d->name))
			continue;
		/* "*" = remaining ops of the family not listed by name;
		 * with targets only ops that use them, without only others */
		if (it->op && !strcmp(it->op, "*")) {
			if (explicitly_listed(all, nall, d->name))
				continue;
			if (it->targets && strcmp(it->targets, "all") &&
			    !(d->uses & CACHETLB_USES_TARGETS))
				continue;
		}
		if (!it->op && explicitly_listed(all, nall, d->name) &&
		    !it->opflags && !it->counts && it->family !=
		    CACHETLB_FAM_UACCESS)
			continue;
		if (it->opflags && rs.opflags &&
		    !(d->uses & CACHETLB_USES_OPFLAGS))
			continue;
		if (rs.span && !(d->uses & CACHETLB_USES_USER_BUF))
			continue;
		if (it->busy && !(d->uses & CACHETLB_USES_TARGETS))
			continue;
		if (!d->supported) {
			/* list it once: at the first item covering the op */
			int seen = 0;

			for (size_t k = 0; k < (size_t)(it - all); k++)
				if (all[k].family == it->family &&
				    (!all[k].op || !strcmp(all[k].op, "*") ||
				     !strcmp(all[k].op, d->name)))
					seen = 1;
			if (!seen) {
				fprintf(s->out, "  %-26s unsupported: %s\n",
					d->name, d->reason[0] ? d->reason :
					"(no reason given)");
				s->unsupported++;
			}
			continue;
		}
		rs.ncounts = 0;
		if (d->uses & CACHETLB_USES_COUNT) {
			size_t n = 0;

			if (it->counts &&
			    !ctb_parse_u32_list(it->counts, "counts", 0,
						UINT32_MAX, c, CTB_MAX_LIST,
						&n, err, sizeof(err))) {
				for (size_t k = 0; k < n; k++)
					if (c[k] >= lo && c[k] <= hi)
						rs.counts[nc++] = c[k];
			}
			if (!nc)
				rs.counts[nc++] = lo;
			rs.ncounts = nc;
		}
		rs.targets[0] = '\0';
		rs.busy_targets = 0;
		if (d->uses & CACHETLB_USES_TARGETS) {
			snprintf(rs.targets, sizeof(rs.targets), "%s",
				 it->targets ? it->targets : "all");
			rs.busy_targets = it->busy;
		}
		snprintf(rs.op, sizeof(rs.op), "%s", d->name);
		rs.family = -1;
		{
			struct ctb_runspec one = rs;

			if (!(d->uses & CACHETLB_USES_AUX))
				one.aux = 0;
			if (!(d->uses & CACHETLB_USES_STATE))
				one.nstates = 0;
			if (!(d->uses & CACHETLB_USES_OPFLAGS))
				one.opflags = 0;
			if (it->auxes && (d->uses & CACHETLB_USES_AUX)) {
				uint32_t a[CTB_MAX_LIST];
				size_t na = 0;

				ret = 0;
				if (!ctb_parse_u32_list(it->auxes, "aux", 1,
							UINT32_MAX, a,
							CTB_MAX_LIST, &na, err,
							sizeof(err))) {
					for (size_t k = 0; k < na &&
					     !ctb_signalled; k++) {
						int r2;

						one.aux = a[k];
						r2 = run_op_spec(s, i, &one, 0,
								 NULL);
						if (r2 > ret)
							ret = r2;
						if (r2 == CTB_EXIT_UNSUPPORTED)
							break;
					}
				}
			} else {
				ret = run_op_spec(s, i, &one, 0, NULL);
			}
		}
		if (ret == CTB_EXIT_UNSUPPORTED)
			ret = 0;
		if (ret > worst)
			worst = ret;
	}
	return worst;
}

int ctb_suite_run(struct ctb_session *s, const char *which)
{
	const struct suite_item *items;
	size_t n;
	uint32_t samples, warmup;
	int worst = 0;
	double t0 = now_ms();

	if (!strcmp(which, "quick")) {
		items = quick_items;
		n = sizeof(quick_items) / sizeof(quick_items[0]);
		samples = 31;
		warmup = 3;
	} else if (!strcmp(which, "full")) {
		items = full_items;
		n = sizeof(full_items) / sizeof(full_items[0]);
		samples = 101;
		warmup = 10;
	} else {
		fprintf(stderr, "ctbench: suite '%s': unknown (valid: quick, full)\n",
			which);
		return CTB_EXIT_USAGE;
	}
	fprintf(s->out, "suite %s: %s, %s\n", which,
		s->emulated ? "EMULATED (QEMU TCG): timings are emulation, not hardware" :
		"native", s->emulation_reason);
	for (int fam = 0; fam < CACHETLB_FAM_MAX; fam++) {
		size_t from = s->nrows;

		fprintf(s->out, "\n== %s ==\n", ctb_family_name((uint32_t)fam));
		s->header_pending = 1;
		for (size_t i = 0; i < n && !ctb_signalled; i++) {
			int ret;

			if (items[i].family != fam)
				continue;
			ret = suite_item_run(s, &items[i], items, n, samples,
					     warmup);
			if (ret > worst && ret != CTB_EXIT_USAGE)
				worst = ret;
		}
		if (s->nrows > from && fam != CACHETLB_FAM_CORE) {
			fprintf(s->out, "-- %s analysis --\n",
				ctb_family_name((uint32_t)fam));
			ctb_session_analyse(s, s->out, fam);
		}
	}
	if (ctb_signalled) {
		fprintf(s->out, "\nsuite %s: interrupted by signal %d\n", which,
			(int)ctb_signalled);
		if (worst < CTB_EXIT_FAIL)
			worst = CTB_EXIT_FAIL;
	}
	fprintf(s->out, "\nsuite %s: %zu rows, %d unsupported, %d skipped, %d failed, %d verification failures, %.1f s\n",
		which, s->nrows, s->unsupported, s->skipped, s->failures,
		s->verify_failures, (now_ms() - t0) / 1000.0);
	return worst;
}
