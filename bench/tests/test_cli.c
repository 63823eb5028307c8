// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the ctbench command line: option/list parsing and its
 * error messages (the bad value and the valid range), exit codes of the
 * real binary when it is built, the virtqueue layout helper against the
 * uaccess family's documented layout, the used-ring check, emulation
 * detection, set names, crossover, kallsyms parsing and ioctl error text.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dev.h"
#include "kallsyms.h"
#include "opts.h"
#include "suite.h"
#include "tap.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static int has(const char *s, const char *sub)
{
	return s && strstr(s, sub) != NULL;
}

static void test_lists(void)
{
	uint32_t v[CTB_MAX_LIST];
	char err[CTB_ERRLEN];
	size_t n;
	int r;

	r = ctb_parse_u32_list("1,16,64", "--pages", 1, 4096, v, N_OF(v), &n,
			       err, sizeof(err));
	ok(r == 0 && n == 3 && v[0] == 1 && v[1] == 16 && v[2] == 64,
	   "list 1,16,64 parses to three values");
	r = ctb_parse_u32_list("1..2048", "--pages", 1, 4096, v, N_OF(v), &n,
			       err, sizeof(err));
	ok(r == 0 && n == 12 && v[0] == 1 && v[11] == 2048 && v[5] == 32,
	   "1..2048 gives the 12 powers of two");
	r = ctb_parse_u32_list("31-34,33", "--count", 1, 100, v, N_OF(v), &n,
			       err, sizeof(err));
	ok(r == 0 && n == 4 && v[0] == 31 && v[3] == 34,
	   "range 31-34 expands and duplicates are dropped");
	r = ctb_parse_u32_list("1,5000", "--pages", 1, 4096, v, N_OF(v), &n,
			       err, sizeof(err));
	ok(r == CTB_EXIT_USAGE && has(err, "5000") && has(err, "1..4096") &&
	   has(err, "--pages"),
	   "--pages 5000 fails naming the value and range 1..4096 (%s)", err);
	r = ctb_parse_u32_list("abc", "--pages", 1, 4096, v, N_OF(v), &n, err,
			       sizeof(err));
	ok(r == CTB_EXIT_USAGE && has(err, "'abc'") && has(err, "1..4096"),
	   "--pages abc fails naming 'abc' (%s)", err);
	r = ctb_parse_u32_list("0", "--pages", 1, 4096, v, N_OF(v), &n, err,
			       sizeof(err));
	ok(r == CTB_EXIT_USAGE && has(err, "0") && has(err, "1..4096"),
	   "--pages 0 is out of range (%s)", err);
	r = ctb_parse_u32_list("64..2", "--pages", 1, 4096, v, N_OF(v), &n,
			       err, sizeof(err));
	ok(r == CTB_EXIT_USAGE && has(err, "descending"),
	   "descending range rejected (%s)", err);
	r = ctb_parse_u32_list("1-100000", "--count", 1, 1 << 20, v, N_OF(v),
			       &n, err, sizeof(err));
	ok(r == CTB_EXIT_USAGE && has(err, "more than"),
	   "huge range refused instead of truncated (%s)", err);
	r = ctb_parse_u32_list("", "--pages", 1, 4096, v, N_OF(v), &n, err,
			       sizeof(err));
	ok(r == CTB_EXIT_USAGE, "empty list rejected");
	r = ctb_parse_u32_list("4,", "--pages", 1, 4096, v, N_OF(v), &n, err,
			       sizeof(err));
	ok(r == 0 && n == 1 && v[0] == 4, "trailing comma tolerated");
	r = ctb_parse_u32_list("12x", "--pages", 1, 4096, v, N_OF(v), &n,
			       err, sizeof(err));
	ok(r == CTB_EXIT_USAGE && has(err, "12x"), "12x rejected (%s)", err);
}

static int parse(const char *line, struct ctb_runspec *rs,
		 struct ctb_runout *ro, char *err, size_t len)
{
	char buf[512], *argv[32], *save = NULL, *t;
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (t = strtok_r(buf, " ", &save); t && argc < 31;
	     t = strtok_r(NULL, " ", &save))
		argv[argc++] = t;
	argv[argc] = NULL;
	err[0] = '\0';
	return ctb_parse_run_args(argc, argv, rs, ro, err, len);
}

static void test_run_args(void)
{
	struct ctb_runspec rs;
	struct ctb_runout ro;
	char err[CTB_ERRLEN];
	int r;

	r = parse("run flush_dcache_page --pages 1,16 --state dirty,clean --opflags vmap+double --samples 7 --warmup 0 --iterations 3 --cpu 1 --csv -o /tmp/x",
		  &rs, &ro, err, sizeof(err));
	ok(r == 0 && !strcmp(rs.op, "flush_dcache_page") && rs.ncounts == 2 &&
	   rs.counts_are_pages && rs.nstates == 2 &&
	   rs.states[0] == CACHETLB_STATE_DIRTY &&
	   rs.opflags == (CACHETLB_OPF_VMAP | CACHETLB_OPF_DOUBLE) &&
	   rs.samples == 7 && rs.warmup == 0 && rs.iterations == 3 &&
	   rs.cpu == 1 && ro.fmt == CTB_OUT_CSV && ro.dir &&
	   !strcmp(ro.dir, "/tmp/x"), "a full run command line parses (%s)",
	   err);
	r = parse("run x --pages 5000", &rs, &ro, err, sizeof(err));
	ok(r == CTB_EXIT_USAGE && has(err, "--pages 5000") &&
	   has(err, "1..4096"), "run --pages 5000: exit 2, names value and range (%s)",
	   err);
	r = parse("run x --count 2000000", &rs, &ro, err, sizeof(err));
	ok(r == CTB_EXIT_USAGE && has(err, "2000000") && has(err, "1..1048576"),
	   "run --count above CACHETLB_MAX_COUNT names the range (%s)", err);
	r = parse("run --family bogus", &rs, &ro, err, sizeof(err));
	ok(r == CTB_EXIT_USAGE && has(err, "bogus") && has(err, "uaccess"),
	   "unknown family names it and the valid ones (%s)", err);
	r = parse("run x --samples 0", &rs, &ro, err, sizeof(err));
	ok(r == CTB_EXIT_USAGE && has(err, "1..65536"),
	   "--samples 0 names range (%s)", err);
	r = parse("run x --warmup 5000", &rs, &ro, err, sizeof(err));
	ok(r == CTB_EXIT_USAGE && has(err, "0..1024"),
	   "--warmup 5000 names range (%s)", err);
	r = parse("run x --state hot", &rs, &ro, err, sizeof(err));
	ok(r == CTB_EXIT_USAGE && has(err, "'hot'") && has(err, "uncached"),
	   "--state hot names the valid states (%s)", err);
	r = parse("run x --opflags shiny", &rs, &ro, err, sizeof(err));
	ok(r == CTB_EXIT_USAGE && has(err, "'shiny'") && has(err, "verify"),
	   "--opflags shiny names the valid flags (%s)", err);
	r = parse("run", &rs, &ro, err, sizeof(err));
	ok(r == CTB_EXIT_USAGE, "run without an op is a usage error");
	r = parse("run x --family tlb", &rs, &ro, err, sizeof(err));
	ok(r == CTB_EXIT_USAGE && has(err, "not both"),
	   "op and --family together rejected (%s)", err);
	r = parse("run x --busy-targets", &rs, &ro, err, sizeof(err));
	ok(r == CTB_EXIT_USAGE && has(err, "--targets"),
	   "--busy-targets without --targets rejected (%s)", err);
	r = parse("run x --cpu", &rs, &ro, err, sizeof(err));
	ok(r == CTB_EXIT_USAGE && has(err, "--cpu needs a value"),
	   "missing option value rejected (%s)", err);
	r = parse("run x --frobnicate", &rs, &ro, err, sizeof(err));
	ok(r == CTB_EXIT_USAGE && has(err, "--frobnicate"),
	   "unknown option named (%s)", err);
	r = parse("run x --pages -5", &rs, &ro, err, sizeof(err));
	ok(r == CTB_EXIT_USAGE && has(err, "--pages '-5': not a number") &&
	   has(err, "1..4096"), "--pages -5 keeps the value (%s)", err);
	r = parse("run x --count 4-", &rs, &ro, err, sizeof(err));
	ok(r == CTB_EXIT_USAGE && has(err, "'4-'"),
	   "--count 4- names the whole value (%s)", err);
	r = parse("run x --pages 1 --count 2", &rs, &ro, err, sizeof(err));
	ok(r == CTB_EXIT_USAGE && has(err, "either --pages or --count"),
	   "--pages and --count together rejected (%s)", err);
	r = parse("run x --samples=9 -o d --sam 8", &rs, &ro, err,
		  sizeof(err));
	ok(r == 0 && rs.samples == 8 && ro.dir && !strcmp(ro.dir, "d"),
	   "--opt=value, -o and unique abbreviations parse (%s)", err);
	r = parse("run x --help", &rs, &ro, err, sizeof(err));
	ok(r == CTB_OPTS_HELP, "run --help asks for the help");
	r = parse("run -- x", &rs, &ro, err, sizeof(err));
	ok(r == 0 && !strcmp(rs.op, "x"), "-- ends the options");
	r = parse("run x y", &rs, &ro, err, sizeof(err));
	ok(r == CTB_EXIT_USAGE && has(err, "'y'"),
	   "second positional argument rejected (%s)", err);
	r = parse("run uaccess_copy --span --aux 64", &rs, &ro, err,
		  sizeof(err));
	ok(r == 0 && rs.span && rs.aux == 64, "--span and --aux parse");
	r = parse("run --family uaccess --opflags cold+span", &rs, &ro, err,
		  sizeof(err));
	ok(r == 0 && rs.span && rs.opflags == CACHETLB_OPF_COLD &&
	   rs.family == CACHETLB_FAM_UACCESS, "span inside --opflags");
	r = parse("run ipi_empty --targets 1,3-5 --busy-targets --events cycles,instructions --json",
		  &rs, &ro, err, sizeof(err));
	ok(r == 0 && !strcmp(rs.targets, "1,3-5") && rs.busy_targets &&
	   !strcmp(rs.events, "cycles,instructions") && ro.fmt == CTB_OUT_JSON,
	   "targets/events/json parse");
}

/* Run the built ctbench (next to this test binary's directory). */
static int run_ctbench(const char *exe, const char *args, char *out,
		       size_t len)
{
	char cmd[1024];
	FILE *p;
	size_t n;
	int st;

	snprintf(cmd, sizeof(cmd), "%s %s 2>&1", exe, args);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = fread(out, 1, len - 1, p);
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/*
 * Every subcommand `ctbench --complete` lists (the command table):
 * `SUB --help` exits 0 and shows each option of its table (from
 * `--complete SUB`), `help SUB` prints the same text, and an unknown
 * option exits 2 naming it and pointing at `ctbench SUB --help`.
 */
static void test_subcommand_help(const char *exe)
{
	static char subs[2048], opts[4096], help[16384], help2[16384];
	char args[256], *save = NULL, *sub;
	int rc, nsub = 0;

	rc = run_ctbench(exe, "--complete", subs, sizeof(subs));
	ok(rc == 0 && has(subs, "run\n") && has(subs, "import-lava\n"),
	   "--complete lists the subcommands");
	for (sub = strtok_r(subs, "\n", &save); sub;
	     sub = strtok_r(NULL, "\n", &save)) {
		char *osave = NULL, *opt;
		int missing = 0;

		nsub++;
		snprintf(args, sizeof(args), "%s --help", sub);
		rc = run_ctbench(exe, args, help, sizeof(help));
		ok(rc == 0 && has(help, "usage: ctbench ") && has(help, sub),
		   "ctbench %s --help exits 0 with its usage (rc %d)", sub, rc);
		snprintf(args, sizeof(args), "help %s", sub);
		rc = run_ctbench(exe, args, help2, sizeof(help2));
		ok(rc == 0 && !strcmp(help, help2),
		   "ctbench help %s prints the same text", sub);
		snprintf(args, sizeof(args), "--complete %s", sub);
		rc = run_ctbench(exe, args, opts, sizeof(opts));
		for (opt = strtok_r(opts, "\n", &osave); opt;
		     opt = strtok_r(NULL, "\n", &osave)) {
			char pat[80];

			/* "--pages " or "--json\n"; "-o," for a short name */
			snprintf(pat, sizeof(pat), "%s%s", opt,
				 opt[1] == '-' ? "" : ",");
			if (!has(help, pat)) {
				diag("%s --help lacks %s", sub, opt);
				missing++;
			}
		}
		ok(rc == 0 && !missing,
		   "ctbench %s --help shows every option of its table", sub);
		snprintf(args, sizeof(args), "%s --no-such-option", sub);
		rc = run_ctbench(exe, args, help, sizeof(help));
		snprintf(args, sizeof(args), "'ctbench %s --help'", sub);
		ok(rc == CTB_EXIT_USAGE && has(help, "'--no-such-option'") &&
		   has(help, args),
		   "ctbench %s --no-such-option exits 2, names it, points at %s",
		   sub, args);
	}
	ok(nsub >= 9, "%d subcommands checked", nsub);
	rc = run_ctbench(exe, "help frobnicate", help, sizeof(help));
	ok(rc == CTB_EXIT_USAGE && has(help, "'frobnicate'") &&
	   has(help, "compare"), "help of an unknown command exits 2");
	rc = run_ctbench(exe, "run x --samples=0", help, sizeof(help));
	ok(rc == CTB_EXIT_USAGE && has(help, "--samples 0") &&
	   has(help, "1..65536"), "--samples=0 form checked the same way");
}

static void test_binary(void)
{
	char exe[4096], out[16384];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 32);
	char *slash;
	int rc;

	if (n <= 0)
		return;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return;
	strcpy(slash, "/../ctbench");
	if (access(exe, X_OK)) {
		ok(1, "ctbench exit codes # SKIP %s not built (make first)",
		   exe);
		return;
	}
	rc = run_ctbench(exe, "run flush_dcache_page --pages 5000", out,
			 sizeof(out));
	ok(rc == CTB_EXIT_USAGE && has(out, "--pages 5000") &&
	   has(out, "1..4096"),
	   "ctbench run --pages 5000 exits 2 naming value and range");
	rc = run_ctbench(exe, "frobnicate", out, sizeof(out));
	ok(rc == CTB_EXIT_USAGE && has(out, "frobnicate"),
	   "unknown command exits 2");
	rc = run_ctbench(exe, "--help", out, sizeof(out));
	ok(rc == 0 && has(out, "Exit codes") && has(out, "6  data verification"),
	   "--help exits 0 and documents the exit codes");
	rc = run_ctbench(exe, "suite medium", out, sizeof(out));
	ok(rc == CTB_EXIT_USAGE && has(out, "'medium'") && has(out, "quick"),
	   "suite medium exits 2 naming the valid suites");
	rc = run_ctbench(exe, "compare /nonexistent/a", out, sizeof(out));
	ok(rc == CTB_EXIT_USAGE, "compare with one set exits 2");
	rc = run_ctbench(exe, "compare /nonexistent/a /nonexistent/b", out,
			 sizeof(out));
	ok(rc == CTB_EXIT_FAIL && has(out, "/nonexistent/a"),
	   "compare of missing sets exits 1 naming the path");
	rc = run_ctbench(exe, "info", out, sizeof(out));
	if (access(CACHETLB_DEVICE, F_OK))
		ok(rc == CTB_EXIT_NODEV && has(out, CACHETLB_DEVICE) &&
		   has(out, "topology:"),
		   "info without the device exits 3, still shows host topology");
	else
		ok(rc == 0 && has(out, "results:"), "info with the device exits 0");
	rc = run_ctbench(exe, "plot --term fancy x", out, sizeof(out));
	ok(rc == CTB_EXIT_USAGE && has(out, "'fancy'"),
	   "plot --term fancy exits 2");
	rc = run_ctbench(exe, "run x --pages -5", out, sizeof(out));
	ok(rc == CTB_EXIT_USAGE && has(out, "--pages '-5': not a number") &&
	   has(out, "1..4096"),
	   "run --pages -5 exits 2 keeping the value (%s)", out);
	rc = run_ctbench(exe, "verify --family frob", out, sizeof(out));
	ok(rc == CTB_EXIT_USAGE && has(out, "'frob'") && has(out, "tlb"),
	   "verify --family frob exits 2 naming the families");
	rc = run_ctbench(exe, "verify --overhead-ns 1e12", out, sizeof(out));
	ok(rc == CTB_EXIT_USAGE && has(out, "'1e12'"),
	   "verify --overhead-ns 1e12 exits 2 keeping the value");
	rc = run_ctbench(exe, "--help", out, sizeof(out));
	ok(has(out, "7  verify: tracefs"), "--help documents exit 7 (verify)");
	test_subcommand_help(exe);
}

/* Simulate the module: R requests through the ring as uaccess ops do. */
static void simulate(struct ctb_vq *vq, uint64_t requests)
{
	unsigned char *b = vq->base;
	uint32_t n = vq->l.ring;

	for (uint64_t i = 0; i < requests; i++) {
		uint32_t slot = (uint32_t)(i & (n - 1));
		uint16_t head, idx = (uint16_t)(i + 1);
		uint32_t len;

		memcpy(&head, b + vq->l.avail_off + 4 + 2 * slot, 2);
		memcpy(&len, b + vq->l.desc_off + 16 * (size_t)head + 8, 4);
		memcpy(b + vq->l.used_off + 4 + 8 * (size_t)slot, &(uint32_t){ head },
		       4);
		memcpy(b + vq->l.used_off + 8 + 8 * (size_t)slot, &len, 4);
		memcpy(b + vq->l.used_off + 2, &idx, 2);
	}
}

static void test_vq(void)
{
	struct ctb_vq_layout l;
	struct ctb_vq vq;
	char err[CTB_ERRLEN];
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	unsigned int bad;

	ok(ctb_vq_layout(256, &l) == 0 && l.desc_off == 0 &&
	   l.avail_off == 4096 && l.used_off == 4612 && l.total == 6664,
	   "ring 256: avail 4096, used 4612, total 6664 (uaccess family layout)");
	ok(ctb_vq_layout(1, &l) == 0 && l.avail_off == 16 && l.used_off == 24 &&
	   l.total == 36, "ring 1: used ring aligned to 4 (24), total 36");
	ok(ctb_vq_layout(32768, &l) == 0 &&
	   l.total == 32768 * 16 + ((32768 * 2 + 4 + 3) & ~3UL) + 4 + 32768 * 8,
	   "ring 32768 accepted");
	ok(ctb_vq_layout(0, &l) == -EINVAL && ctb_vq_layout(3, &l) == -EINVAL &&
	   ctb_vq_layout(65536, &l) == -EINVAL,
	   "ring 0, 3 and 65536 rejected");
	ok(ctb_vq_alloc(&vq, 3, 0, page, err, sizeof(err)) == -EINVAL &&
	   has(err, "3") && has(err, "1..32768"),
	   "alloc with ring 3 names the value and range (%s)", err);

	if (ctb_vq_alloc(&vq, 256, 0, page, err, sizeof(err))) {
		ok(0, "alloc ring 256: %s", err);
		return;
	}
	ok(((uintptr_t)vq.base & 15) == 0, "ring is 16-byte aligned");
	ctb_vq_init(&vq);
	ok(ctb_vq_verify(&vq, 0, 0, err, sizeof(err)) == 0,
	   "fresh ring verifies as zero requests");
	simulate(&vq, 100);
	ok(ctb_vq_verify(&vq, 100, 100, err, sizeof(err)) == 0,
	   "100 requests written like the module verify (%s)", err);
	ok(ctb_vq_verify(&vq, 100, 101, err, sizeof(err)) > 0,
	   "claiming 101 written slots fails");
	ctb_vq_init(&vq);
	simulate(&vq, 70000);
	ok(ctb_vq_verify(&vq, (uint16_t)70000, 256, err, sizeof(err)) == 0,
	   "70000 requests (idx wraps) verify with all slots written");
	vq.base[vq.l.used_off + 4 + 8 * 17 + 4] ^= 1;
	bad = ctb_vq_verify(&vq, (uint16_t)70000, 256, err, sizeof(err));
	ok(bad == 1 && has(err, "used[17]"),
	   "one corrupted used element found and named (%s)", err);
	ok(ctb_vq_verify(&vq, 5, 256, err, sizeof(err)) >= 2 &&
	   has(err, "used idx"), "wrong used idx detected (%s)", err);
	ctb_vq_free(&vq);

	if (ctb_vq_alloc(&vq, 256, 1, page, err, sizeof(err))) {
		ok(0, "alloc span ring: %s", err);
		return;
	}
	{
		uintptr_t u0 = (uintptr_t)vq.base + vq.l.used_off;
		uintptr_t u1 = u0 + 4 + 8 * 256 - 1;

		ok(((uintptr_t)vq.base & 15) == 0 && u0 / page != u1 / page,
		   "span: 16-byte aligned and a page boundary inside the used ring");
		ok((uintptr_t)vq.base + vq.l.total <=
		   (uintptr_t)vq.map + vq.map_len, "span ring fits the mapping");
	}
	ctb_vq_init(&vq);
	simulate(&vq, 300);
	ok(ctb_vq_verify(&vq, 300, 256, err, sizeof(err)) == 0,
	   "span ring verifies after 300 requests");
	ctb_vq_free(&vq);
}

static void test_misc(void)
{
	char buf[256];
	struct cachetlb_run run;
	struct cachetlb_op_desc d;

	ok(ctb_detect_emulation("qemu-tcg", CACHETLB_HYP_NONE, "", buf,
				sizeof(buf)) == 1 && has(buf, "CTB_EMULATION"),
	   "CTB_EMULATION=qemu-tcg means emulated");
	ok(ctb_detect_emulation(NULL, CACHETLB_HYP_PRESENT,
				"CPUID 0x40000000 vendor \"TCGTCGTCGTCG\"", buf,
				sizeof(buf)) == 1, "TCG hint means emulated");
	ok(ctb_detect_emulation(NULL, CACHETLB_HYP_PRESENT,
				"KVMKVMKVM", buf, sizeof(buf)) == 0 &&
	   has(buf, "native"), "KVM without a QEMU/TCG hint is native");
	ok(ctb_detect_emulation("", CACHETLB_HYP_NONE, "", buf,
				sizeof(buf)) == 0, "bare metal is native");

	ctb_set_name(buf, sizeof(buf), 86400LL * 365 + 3661, "my/host",
		     "x86_64", "6.1.0-56-amd64", 1);
	ok(!strcmp(buf, "19710101T010101Z-my_host-x86_64-6.1.0-56-amd64-emulated"),
	   "set name format (%s)", buf);
	ctb_set_name(buf, sizeof(buf), 0, "h", "aarch64", "6.12.95+deb12-arm64",
		     0);
	ok(!strcmp(buf, "19700101T000000Z-h-aarch64-6.12.95+deb12-arm64"),
	   "native set name has no suffix (%s)", buf);

	ok(!strcmp(ctb_err_field_name(CACHETLB_ERR_COUNT), "count") &&
	   !strcmp(ctb_err_field_name(CACHETLB_ERR_MAX), "?"),
	   "error field names");
	memset(&run, 0, sizeof(run));
	memset(&d, 0, sizeof(d));
	run.count = 5000;
	d.count_min = 1;
	d.count_max = 1024;
	strcpy(d.unit, "pages");
	ctb_dev_describe_error("RUN flush_dcache_page", E2BIG,
			       CACHETLB_ERR_COUNT, &run, &d, buf, sizeof(buf));
	ok(has(buf, "count=5000") && has(buf, "1..1024") &&
	   has(buf, "above its limit"),
	   "E2BIG count message names value and op range (%s)", buf);
	run.aux = 3;
	ctb_dev_describe_error("RUN uaccess_copy", EINVAL, CACHETLB_ERR_AUX,
			       &run, NULL, buf, sizeof(buf));
	ok(has(buf, "aux=3") && has(buf, "invalid"), "EINVAL aux message (%s)",
	   buf);
	ctb_dev_describe_error("RUN x", EOPNOTSUPP, 0, &run, NULL, buf,
			       sizeof(buf));
	ok(has(buf, "not supported"), "EOPNOTSUPP message (%s)", buf);

	ctb_opflags_str(CACHETLB_OPF_VMAP | CACHETLB_OPF_VERIFY, buf,
			sizeof(buf));
	ok(!strcmp(buf, "vmap+verify"), "opflags string (%s)", buf);
	ctb_opflags_str(0, buf, sizeof(buf));
	ok(!strcmp(buf, "-"), "no opflags is '-'");
	ctb_features_json(CACHETLB_FEAT_SMAP | CACHETLB_FEAT_CLWB, buf,
			  sizeof(buf));
	ok(!strcmp(buf, "[\"smap\",\"clwb\"]"), "features JSON (%s)", buf);
}

static void test_kallsyms(void)
{
	char path[] = "/tmp/ctb-kallsyms-XXXXXX";
	int fd = mkstemp(path);
	uint64_t a = 0;
	FILE *f;

	if (fd < 0) {
		ok(0, "mkstemp: %s", strerror(errno));
		return;
	}
	f = fdopen(fd, "w+");
	fputs("ffffffff81000000 T _stext\n"
	      "ffffffffc0001000 t flush_tlb_all\t[kvm]\n"
	      "ffffffff82000000 D flush_tlb_all_data\n"
	      "ffffffff82000010 d flush_tlb_all\n"
	      "ffffffff81234560 T flush_tlb_all\n"
	      "ffffffff81234999 T flush_tlb_all\n"
	      "ffffffff81111110 t __flush_tlb_all\n", f);
	fflush(f);
	ok(ctb_kallsyms_lookup(f, "flush_tlb_all", &a) == 0 &&
	   a == 0xffffffff81234560ULL,
	   "first exact text match, module and data symbols skipped");
	ok(ctb_kallsyms_lookup(f, "__flush_tlb_all", &a) == 0 &&
	   a == 0xffffffff81111110ULL, "local text symbol found");
	ok(ctb_kallsyms_lookup(f, "flush_tlb", &a) == -ENOENT,
	   "prefix does not match");
	fclose(f);
	f = fopen(path, "w+");
	fputs("0000000000000000 T _stext\n0000000000000000 T flush_tlb_all\n",
	      f);
	fflush(f);
	ok(ctb_kallsyms_lookup(f, "flush_tlb_all", &a) == -EPERM,
	   "zeroed addresses (not root) reported as EPERM");
	fclose(f);
	unlink(path);
}

static void test_ksym_parse(void)
{
	struct ctb_ksym k;
	char longname[400];

	ok(ctb_ksym_parse("ffffffff81234560 T flush_tlb_all\n", &k) == 1 &&
	   k.addr == 0xffffffff81234560ULL && k.type == 'T' &&
	   !strcmp(k.name, "flush_tlb_all") && !k.module,
	   "core text line: address, type, name, no module");
	ok(ctb_ksym_parse("ffffffffc0001000 t kvm_init\t[kvm]\n", &k) == 1 &&
	   k.module && k.module_len == 3 && !strncmp(k.module, "kvm", 3) &&
	   !strcmp(k.name, "kvm_init"), "module line: name without the tab, module kvm");
	ok(ctb_ksym_parse("0000000000000000 D jiffies", &k) == 1 &&
	   k.addr == 0 && k.type == 'D' && !strcmp(k.name, "jiffies"),
	   "zeroed address (not root), no trailing newline");
	ok(ctb_ksym_parse("FFFFFFFF8000ABCD t x\n", &k) == 1 &&
	   k.addr == 0xffffffff8000abcdULL, "upper-case hex");
	ok(!ctb_ksym_parse("ffffffff81234560 T\n", &k), "no name: rejected");
	ok(!ctb_ksym_parse("ffffffff81234560 TT name\n", &k),
	   "two-character type: rejected");
	ok(!ctb_ksym_parse("xyz T name\n", &k), "no address: rejected");
	ok(!ctb_ksym_parse("1ffffffff81234560 T name\n", &k),
	   "17 hex digits (wider than 64 bits): rejected");
	ok(!ctb_ksym_parse("", &k), "empty line: rejected");
	memset(longname, 'a', sizeof(longname) - 1);
	memcpy(longname, "ff T ", 5);
	longname[sizeof(longname) - 1] = '\0';
	ok(ctb_ksym_parse(longname, &k) == 1 &&
	   strlen(k.name) == sizeof(k.name) - 1,
	   "over-long name truncated to %zu bytes, NUL terminated",
	   sizeof(k.name) - 1);
	ok(ctb_ksym_is_text('t') && ctb_ksym_is_text('W') &&
	   !ctb_ksym_is_text('d') && !ctb_ksym_is_text('\0'),
	   "text types t/T/w/W, not data or NUL");
}

static void test_git(void)
{
	char mine[64], git[64] = "";
	FILE *p = popen("git rev-parse HEAD 2>/dev/null", "r");

	if (p) {
		if (!fgets(git, sizeof(git), p))
			git[0] = '\0';
		pclose(p);
		git[strcspn(git, "\n")] = '\0';
	}
	if (strlen(git) != 40) {
		ok(1, "git HEAD # SKIP not in a git checkout or no git");
		return;
	}
	ok(ctb_git_head(mine, sizeof(mine)) == 0 && !strcmp(mine, git),
	   "HEAD read from .git matches git rev-parse (%s)", git);
}

int main(void)
{
	test_git();
	test_lists();
	test_run_args();
	test_binary();
	test_vq();
	test_misc();
	test_kallsyms();
	test_ksym_parse();
	return tap_done();
}
