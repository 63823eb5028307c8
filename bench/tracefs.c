// SPDX-License-Identifier: GPL-2.0
/*
 * tracefs access for ctbench verify: write and read its files, reset it to
 * idle, check that function_graph can be used (tracefs.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "suite.h"
#include "tracefs.h"

/* Write s to DIR/file (truncating). Returns 0 or -errno. */
int ctb_tfs_write(const char *dir, const char *file, const char *s)
{
	char path[512];
	size_t n = strlen(s);
	ssize_t w;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -errno;
	/*
	 * set_ftrace_filter takes one name per write() and returns its
	 * length: write the rest after it.
	 */
	while (n) {
		w = write(fd, s, n);
		if (w <= 0) {
			int e = w < 0 ? errno : EIO;

			close(fd);
			return -e;
		}
		s += w;
		n -= (size_t)w;
	}
	if (close(fd))
		return -errno;
	return 0;
}

/* DIR/file into a NUL-terminated malloc'd buffer (at most max bytes). */
char *ctb_tfs_read(const char *dir, const char *file, size_t max)
{
	char path[512];
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap + 1);
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY);
	if (fd < 0 || !buf) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	for (;;) {
		if (len == cap) {
			char *nb;

			if (cap >= max)
				break;
			cap *= 2;
			nb = realloc(buf, cap + 1);
			if (!nb)
				break;
			buf = nb;
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

/* Everything back to idle; errors ignored (best effort on every path). */
void ctb_tfs_reset(const char *t)
{
	ctb_tfs_write(t, "tracing_on", "0");
	ctb_tfs_write(t, "current_tracer", "nop");
	ctb_tfs_write(t, "set_ftrace_filter", "");
	ctb_tfs_write(t, "set_ftrace_pid", "");
	ctb_tfs_write(t, "trace", "");
	ctb_tfs_write(t, "events/tlb/tlb_flush/enable", "0");
}

/*
 * Is tracefs at t usable for function_graph?  Mounts it at the default
 * place when nothing is there.  Returns 0, or CTB_EXIT_NOTRACE with why.
 */
int ctb_tfs_check(const char *t, int is_default, char *why, size_t len)
{
	char path[512], *s;
	int ret;

	snprintf(path, sizeof(path), "%s/trace", t);
	if (access(path, F_OK) && is_default)
		mount("nodev", t, "tracefs", 0, NULL);
	if (access(path, F_OK)) {
		snprintf(why, len, "no tracefs at %s (%s)%s", t, strerror(errno),
			 is_default ? "; the kernel needs CONFIG_FTRACE and mounting it as root" : "");
		return CTB_EXIT_NOTRACE;
	}
	s = ctb_tfs_read("/sys/kernel/security", "lockdown", 4096);
	if (s && strstr(s, "[confidentiality]")) {
		snprintf(why, len, "kernel lockdown is 'confidentiality': tracefs is locked down");
		free(s);
		return CTB_EXIT_NOTRACE;
	}
	free(s);
	s = ctb_tfs_read(t, "available_tracers", 4096);
	if (!s || !strstr(s, "function_graph")) {
		snprintf(why, len, "%s/available_tracers %s function_graph", t,
			 s ? "lacks" : "unreadable, so no");
		free(s);
		return CTB_EXIT_NOTRACE;
	}
	free(s);
	ret = ctb_tfs_write(t, "tracing_on", "0");
	if (ret) {
		snprintf(why, len, "cannot write %s/tracing_on: %s (locked down or not root)",
			 t, strerror(-ret));
		return CTB_EXIT_NOTRACE;
	}
	return 0;
}
