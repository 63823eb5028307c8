// SPDX-License-Identifier: GPL-2.0
/*
 * Writing a session as a result set: the metadata (kernel, git commit,
 * tool, device) and the rows.
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
	struct ctb_kv meta[40];
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
	KV("emulator", getenv("CTB_EMULATOR") && *getenv("CTB_EMULATOR") ?
	   getenv("CTB_EMULATOR") : s->emulated ? "unknown" : "none", 0);
	KV("placement", placement, 1);
	KV("pmu", s->pmu, 0);
	KV("tlb_flush_ceiling", num[7], 1);
	KV("ceiling_source", in->ceiling_source, 0);
	KV("command", cmd, 0);
	KV("analysis", s->analysis, 0);
	KV("interrupted", ctb_interrupted() ? "true" : "false", 1);
#undef KV
	ret = ctb_set_write(parent, name, meta, nm, s->rows, s->nrows,
			    out_dir, out_len);
	return ret;
}

