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
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "analysis.h"
#include "pmu.h"
#include "stats.h"
#include "suite.h"
#include "run.h"
#include "info.h"
#include "env.h"

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
 * have none): find .git upwards from the cwd (a directory, or in a
 * worktree a file naming the gitdir), follow HEAD to a loose ref or
 * packed-refs (in the common dir for a worktree).
 */
int ctb_git_head(char *buf, size_t len)
{
	char dir[3800], gd[4096], common[4096], path[8400], head[256];
	char line[3800];

	if (!getcwd(dir, sizeof(dir)))
		return -1;
	for (;;) {
		char *slash;

		snprintf(path, sizeof(path), "%s/.git/HEAD", dir);
		if (!read_line(path, head, sizeof(head))) {
			snprintf(gd, sizeof(gd), "%.3800s/.git", dir);
			break;
		}
		/* a worktree or submodule: .git is a file "gitdir: PATH" */
		snprintf(path, sizeof(path), "%s/.git", dir);
		if (!read_line(path, line, sizeof(line)) &&
		    !strncmp(line, "gitdir: ", 8)) {
			if (line[8] == '/')
				snprintf(gd, sizeof(gd), "%s", line + 8);
			else
				snprintf(gd, sizeof(gd), "%.1800s/%.1800s", dir,
					 line + 8);
			snprintf(path, sizeof(path), "%s/HEAD", gd);
			if (read_line(path, head, sizeof(head)))
				return -1;
			break;
		}
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
	/* refs live in the common dir of a worktree's gitdir */
	snprintf(path, sizeof(path), "%s/commondir", gd);
	if (!read_line(path, line, sizeof(line)) && line[0]) {
		if (line[0] == '/')
			snprintf(common, sizeof(common), "%s", line);
		else
			snprintf(common, sizeof(common), "%.1800s/%.1800s", gd,
				 line);
	} else {
		snprintf(common, sizeof(common), "%s", gd);
	}
	snprintf(path, sizeof(path), "%s/%s", common, head + 5);
	if (!read_line(path, line, sizeof(line)) && is_sha(line)) {
		snprintf(buf, len, "%.40s", line);
		return 0;
	}
	snprintf(path, sizeof(path), "%s/packed-refs", common);
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

static const char *env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);

	return v && *v ? v : dflt;
}

/* Where the rows were measured: CPU, pinning, targets, topology. */
static json_t *placement_json(struct ctb_session *s)
{
	char topo[128];

	if (s->topo_ok)
		ctb_topo_summary(&s->topo, topo, sizeof(topo));
	else
		snprintf(topo, sizeof(topo), "n/a: hwloc unavailable");
	return json_pack("{s:i, s:s, s:s, s:b, s:s}", "cpu", s->cpu,
			 "pinning", "hwloc thread binding; the module pins each RUN to the cpu",
			 "targets_policy", s->targets_policy[0] ?
			 s->targets_policy : "none",
			 "busy_targets", s->busy_targets, "topology", topo);
}

static void command_line(const struct ctb_session *s, char *cmd, size_t len)
{
	size_t off = 0;

	cmd[0] = '\0';
	for (int i = 0; i < s->argc; i++)
		off += (size_t)snprintf(cmd + off, off < len ? len - off : 0,
					"%s%s", i ? " " : "", s->argv[i]);
}

static const char *const own_keys[][2] = {
	{ "CTB_KERNEL_SOURCE", "kernel_source" },
	{ "CTB_KERNEL_CONFIG_SHA256", "kernel_config_sha256" },
	{ "CTB_KERNEL_GIT_DESCRIBE", "kernel_git_describe" },
	{ "CTB_KERNEL_GIT_HEAD", "kernel_git_head" },
};

/* /proc/cmdline without the newline; 0 when unreadable. */
static int cmdline_of(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cmdline", "r");
	int ok = f && fgets(buf, (int)len, f);

	if (f)
		fclose(f);
	if (ok) {
		/* the harness's per-run path (ctb.run=) is not a boot choice */
		char *p = strstr(buf, "ctb.run=");

		buf[strcspn(buf, "\n")] = '\0';
		if (p) {
			size_t n = strcspn(p, " ");

			memmove(p, p + n + (p[n] == ' '), strlen(p + n) + 1);
		}
	}
	return ok;
}

/* The meta of a result set (docs/results.md); NULL when out of memory. */
static json_t *session_meta(struct ctb_session *s, const char *host,
			    const char *date, const char *analysis)
{
	const struct cachetlb_info *in = &s->dev.info;
	char pkg[160], commit[64], cmd[2048], cmdline[1024];
	json_t *m = json_pack("{s:s, s:s}", "tool", "ctbench",
			      "tool_version", CTB_TOOL_VERSION);
	json_t *rest, *tail, *envj;
	char env_hyp[128], env_why[384];
	int env;
	int err;

	kernel_package(in->release, pkg, sizeof(pkg));
	git_commit(commit, sizeof(commit));
	command_line(s, cmd, sizeof(cmd));
	if (!m || ctb_info_json(m, in, 0)) {
		json_decref(m);
		return NULL;
	}
	rest = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s}",
			 "git_commit", commit, "date", date, "hostname", host,
			 "kernel_package", pkg,
			 "kernel_sha256", env_or("CTB_KERNEL_SHA256", "unknown"),
			 "emulated", s->emulated,
			 "emulation", s->emulated ? "qemu-tcg" : "native",
			 "emulation_reason", s->emulation_reason,
			 "emulator", env_or("CTB_EMULATOR", s->emulated ?
					    "unknown" : "none"));
	env = ctb_detect_environment(NULL, s->emulated, env_hyp,
				     sizeof(env_hyp), env_why, sizeof(env_why));
	envj = json_pack("{s:s, s:s, s:s}", "environment", ctb_env_name(env),
			 "environment_hypervisor", env_hyp,
			 "environment_reason", env_why);
	tail = json_pack("{s:s, s:s, s:s, s:b}", "pmu", s->pmu, "command", cmd,
			 "analysis", analysis ? analysis : "", "interrupted",
			 ctb_interrupted() != 0);
	/* an own kernel (scripts/vm --kernel TREE|DEBS), the boot arguments */
	for (size_t i = 0; rest && i < sizeof(own_keys) / sizeof(own_keys[0]);
	     i++) {
		const char *v = getenv(own_keys[i][0]);

		if (v && v[0])
			json_object_set_new(rest, own_keys[i][1],
					    json_string(v));
	}
	if (rest && cmdline_of(cmdline, sizeof(cmdline)))
		json_object_set_new(rest, "kernel_cmdline",
				    json_string(cmdline));
	err = !rest || !tail || !envj || json_object_update(m, rest) ||
	      json_object_update(m, envj) ||
	      json_object_set_new(m, "placement", placement_json(s)) ||
	      json_object_update(m, tail) ||
	      (s->extra_meta && json_object_update(m, s->extra_meta));
	json_decref(rest);
	json_decref(envj);
	json_decref(tail);
	if (err) {
		json_decref(m);
		return NULL;
	}
	return m;
}

int ctb_session_write(struct ctb_session *s, const char *parent,
		      char *out_dir, size_t out_len)
{
	const struct cachetlb_info *in = &s->dev.info;
	char name[256], host[128], date[32];
	time_t now = time(NULL);
	struct tm tm;
	json_t *meta, *an;
	char *joined;
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
	an = ctb_session_analysis(s);
	joined = an ? ctb_analysis_joined(an) : NULL;
	meta = an && joined ? session_meta(s, host, date, joined) : NULL;
	free(joined);
	if (!meta) {
		json_decref(an);
		fprintf(stderr, "ctbench: cannot build the meta of the result set (out of memory or a string that is not UTF-8)\n");
		return -ENOMEM;
	}
	/*
	 * Two sets in the same second must not collide: the first free name
	 * of <name>, <name>-2, <name>-3 ...
	 */
	ret = -EEXIST;
	for (int k = 1; k <= 1000 && ret == -EEXIST; k++) {
		char cand[300], path[4400];
		struct stat st;

		if (k == 1)
			snprintf(cand, sizeof(cand), "%s", name);
		else
			snprintf(cand, sizeof(cand), "%.280s-%d", name, k);
		snprintf(path, sizeof(path), "%s/%s", parent, cand);
		if (!lstat(path, &st))
			continue;
		ret = ctb_set_write_an(parent, cand, meta, an, s->rows,
				       s->nrows, out_dir, out_len);
	}
	json_decref(meta);
	json_decref(an);
	return ret;
}

