/* SPDX-License-Identifier: GPL-2.0 */
/*
 * names.h - the text of an enum value, from a table indexed by the value.
 *
 * Every enum-to-text function of ctbench is a table and one CTB_NAME():
 * a value outside the table, or one the table does not name, gets the
 * caller's default (the text for "none"/"unknown", "?" or NULL).
 */
#ifndef CTB_NAMES_H
#define CTB_NAMES_H

#include <stddef.h>

static inline const char *ctb_name_in(const char *const *names, size_t n,
				      long long v, const char *dflt)
{
	return v >= 0 && (unsigned long long)v < n && names[v] ? names[v] :
								  dflt;
}

#define CTB_NAME(names, v, dflt) \
	ctb_name_in((names), sizeof(names) / sizeof((names)[0]), (v), (dflt))

#endif /* CTB_NAMES_H */
