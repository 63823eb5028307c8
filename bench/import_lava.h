/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctbench import-lava: turn LAVA job results into result sets
 * (docs/fleet.md "Collecting results").
 */
#ifndef CTB_IMPORT_LAVA_H
#define CTB_IMPORT_LAVA_H

/*
 * `ctbench import-lava INPUT... -o DIR [options]`; argv[0] is
 * "import-lava". Returns a CTB_EXIT_* code.
 */
int ctb_cmd_import_lava(int argc, char **argv);

/* Its option table and help (opts.h). */
struct ctb_cmdspec;
extern const struct ctb_cmdspec ctb_import_lava_spec;

#endif /* CTB_IMPORT_LAVA_H */
