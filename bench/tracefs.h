/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tracefs access for ctbench verify (tracefs.c).  dir is the tracefs
 * mount point, file a path below it.
 */
#ifndef CTB_TRACEFS_H
#define CTB_TRACEFS_H

#include <stddef.h>

/* Write s to dir/file (truncating). Returns 0 or -errno. */
int ctb_tfs_write(const char *dir, const char *file, const char *s);

/* dir/file into a NUL-terminated malloc'd buffer (at most max bytes). */
char *ctb_tfs_read(const char *dir, const char *file, size_t max);

/* Everything back to idle; errors ignored (best effort on every path). */
void ctb_tfs_reset(const char *dir);

/*
 * Is tracefs at dir usable for function_graph?  Mounts it there when
 * nothing is and is_default.  Returns 0, or CTB_EXIT_NOTRACE with why.
 */
int ctb_tfs_check(const char *dir, int is_default, char *why, size_t len);

#endif /* CTB_TRACEFS_H */
