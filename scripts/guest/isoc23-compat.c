// SPDX-License-Identifier: GPL-2.0
/*
 * isoc23-compat.c - link shim for the riscv64 guest userland.
 *
 * The riscv64 guest uses trixie's static libhwloc.a/libpfm.a (bookworm has
 * no riscv64 port), compiled against glibc 2.41, which redirects strtol()
 * and friends to their C23 variants.  The host's riscv64 cross toolchain
 * links against glibc 2.36, which lacks them.  The C23 variants differ
 * only in accepting a "0b" binary prefix (base 0 or 2) and "%b" in scanf;
 * the libraries parse sysfs/procfs numbers, never binary literals, so the
 * pre-C23 functions are equivalent for them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

long __isoc23_strtol(const char *s, char **end, int base);
unsigned long __isoc23_strtoul(const char *s, char **end, int base);
long long __isoc23_strtoll(const char *s, char **end, int base);
unsigned long long __isoc23_strtoull(const char *s, char **end, int base);
int __isoc23_sscanf(const char *s, const char *fmt, ...);
int __isoc23_fscanf(FILE *f, const char *fmt, ...);
int __isoc23_vsscanf(const char *s, const char *fmt, va_list ap);

long __isoc23_strtol(const char *s, char **end, int base)
{
	return strtol(s, end, base);
}

unsigned long __isoc23_strtoul(const char *s, char **end, int base)
{
	return strtoul(s, end, base);
}

long long __isoc23_strtoll(const char *s, char **end, int base)
{
	return strtoll(s, end, base);
}

unsigned long long __isoc23_strtoull(const char *s, char **end, int base)
{
	return strtoull(s, end, base);
}

int __isoc23_vsscanf(const char *s, const char *fmt, va_list ap)
{
	return vsscanf(s, fmt, ap);
}

int __isoc23_sscanf(const char *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsscanf(s, fmt, ap);
	va_end(ap);
	return n;
}

int __isoc23_fscanf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfscanf(f, fmt, ap);
	va_end(ap);
	return n;
}
