/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kallsyms.h - parse one /proc/kallsyms line without sscanf().
 *
 * Header-only so that ctbench (dev.c) and the stand-alone guest tests share
 * one parser.  A line is "<hex address> <type> <name>[\t[<module>]]\n".
 *
 * Why not sscanf("%llx %c %255s"): under QEMU TCG on arm64, glibc's
 * sscanf() over the ~150,000 lines of a 6.12 kernel took 5-20 s per scan
 * (and varied that much between identical runs) where this loop takes
 * under a second; every RESOLVE pass in the guest tests paid it.
 */
#ifndef CTB_KALLSYMS_H
#define CTB_KALLSYMS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct ctb_ksym {
	uint64_t addr;
	char type;		/* 't', 'T', 'd', ... */
	char name[256];		/* NUL terminated, truncated to fit */
	const char *module;	/* points into the line after '[', or NULL */
	size_t module_len;	/* length up to ']' */
};

static inline int ctb_ksym_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Fills @k from @line.  Returns 1 for a well-formed line, 0 otherwise
 * (no address, no type, no name, or an address wider than 64 bits).
 */
static inline int ctb_ksym_parse(const char *line, struct ctb_ksym *k)
{
	const char *p = line, *end;
	unsigned int digits = 0;
	size_t n;
	int v;

	k->addr = 0;
	for (; (v = ctb_ksym_hex(*p)) >= 0; p++) {
		if (++digits > 16)
			return 0;
		k->addr = k->addr << 4 | (uint64_t)v;
	}
	if (!digits || *p != ' ')
		return 0;
	while (*p == ' ')
		p++;
	if (!*p || *p == ' ' || *p == '\t' || *p == '\n' || p[1] != ' ')
		return 0;
	k->type = *p;
	p += 2;
	while (*p == ' ')
		p++;
	end = p + strcspn(p, " \t\n");
	if (end == p)
		return 0;
	n = (size_t)(end - p);
	if (n >= sizeof(k->name))
		n = sizeof(k->name) - 1;
	memcpy(k->name, p, n);
	k->name[n] = '\0';
	k->module = NULL;
	k->module_len = 0;
	p = strchr(end, '[');
	if (p) {
		k->module = p + 1;
		k->module_len = strcspn(p + 1, "]\n");
	}
	return 1;
}

/* True for a text (function) symbol type. */
static inline int ctb_ksym_is_text(char type)
{
	return type && strchr("tTwW", type) != NULL;
}

/*
 * Address of the first core-kernel (not module) symbol @name whose type is
 * one of @types ("tT", "dDbB"), scanning /proc/kallsyms once; 0 when there
 * is none or kallsyms shows only zeroed addresses (not root).
 */
static inline uint64_t ctb_ksym_lookup(const char *name, const char *types)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	struct ctb_ksym k;
	uint64_t found = 0;
	char line[512];

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		if (ctb_ksym_parse(line, &k) && !k.module && k.addr &&
		    strchr(types, k.type) && !strcmp(k.name, name))
			found = k.addr;
	}
	fclose(f);
	return found;
}

#endif /* CTB_KALLSYMS_H */
