// SPDX-License-Identifier: GPL-2.0
/*
 * ptyrun - run a command on a new pseudo-terminal (busybox guests have
 * no script(1) and no python): for tests of what a command does when
 * its stdin/stdout/stderr are a terminal (tests/guest/45-cli.sh).
 *
 *   ptyrun [-i SECONDS] [-w TEXT] -- COMMAND [ARG...]
 *
 * Everything the command writes to the terminal is copied to stdout.
 * -i: SECONDS after TEXT (-w) was seen, or after the start without -w,
 * type ^C (the terminal sends SIGINT to the command, as a user's Ctrl-C
 * does) and print "ptyrun: ^C after S s" on stderr; once the command has
 * exited, "ptyrun: exit N.N s after ^C". Exit status: the command's, or
 * 128 + its signal. 2: usage error, 125: the pty could not be set up.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int usage(const char *msg)
{
	fprintf(stderr, "ptyrun: %s\nusage: ptyrun [-i SECONDS] [-w TEXT] -- COMMAND [ARG...]\n",
		msg);
	return 2;
}

int main(int argc, char **argv)
{
	double intr = -1, t0, armed, sent = 0;
	const char *want = NULL;
	char seen[4096] = "";
	int m, st, o;
	pid_t pid;

	while ((o = getopt(argc, argv, "+i:w:")) != -1) {
		char *e;

		if (o == 'i') {
			intr = strtod(optarg, &e);
			if (*e || intr < 0 || intr > 3600)
				return usage("-i: SECONDS 0..3600");
		} else if (o == 'w') {
			want = optarg;
		} else {
			return usage("unknown option");
		}
	}
	if (optind >= argc)
		return usage("no COMMAND");
	m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || grantpt(m) || unlockpt(m) || !ptsname(m)) {
		perror("ptyrun: pty");
		return 125;
	}
	pid = fork();
	if (pid < 0) {
		perror("ptyrun: fork");
		return 125;
	}
	if (!pid) {
		int s;

		setsid();
		s = open(ptsname(m), O_RDWR);	/* the controlling tty */
		if (s < 0)
			_exit(125);
		ioctl(s, TIOCSCTTY, 0);
		dup2(s, 0);
		dup2(s, 1);
		dup2(s, 2);
		if (s > 2)
			close(s);
		close(m);
		execvp(argv[optind], argv + optind);
		_exit(127);
	}
	t0 = armed = now_s();
	if (want)
		armed = -1;
	for (;;) {
		struct pollfd p = { m, POLLIN, 0 };
		char buf[4096];
		ssize_t n;

		if (intr >= 0 && !sent && armed >= 0 && now_s() - armed >= intr) {
			/* VINTR of a fresh pty is ^C, ISIG on */
			if (write(m, "\003", 1) == 1) {
				sent = now_s();
				fprintf(stderr, "ptyrun: ^C after %.1f s\n",
					sent - t0);
			}
		}
		if (poll(&p, 1, 100) < 0 && errno != EINTR)
			break;
		if (!(p.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		n = read(m, buf, sizeof(buf));
		if (n <= 0)	/* EIO: every slave fd is closed */
			break;
		fwrite(buf, 1, (size_t)n, stdout);
		fflush(stdout);
		if (want && armed < 0) {
			size_t l = strlen(seen), k = (size_t)n;

			if (l + k >= sizeof(seen)) {	/* keep the tail */
				memmove(seen, seen + l / 2, l - l / 2 + 1);
				l = strlen(seen);
			}
			if (k >= sizeof(seen) - l)
				k = sizeof(seen) - l - 1;
			memcpy(seen + l, buf, k);
			seen[l + k] = '\0';
			if (strstr(seen, want))
				armed = now_s();
		}
	}
	if (waitpid(pid, &st, 0) < 0) {
		perror("ptyrun: waitpid");
		return 125;
	}
	if (sent)
		fprintf(stderr, "ptyrun: exit %.1f s after ^C\n", now_s() - sent);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
