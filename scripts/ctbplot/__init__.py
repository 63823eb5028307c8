# SPDX-License-Identifier: GPL-2.0
"""ctbplot - the figures of cachetlb-bench (scripts/plot is the entry point).

Modules, one per concern:
  common    result-set input (meta.json, results.csv), errors, row helpers
  analysis  the ONE place statements come from: the set's analysis.json
            (written by ctbench; none drawn without it, noted on stderr):
            crossover, break-even, verdicts, warnings
  render    shared matplotlib helpers: watermarks, footer, series, saving
  progress  "[3/13] name  00:04 elapsed, ~00:10 left" on a TTY stderr
  cache     cache_cost, cache_page_vs_range, cache_state, cache_variants
  tlb       tlb_crossover, tlb_other, tlb_refill
  remote    tlb_remote
  uaccess   uaccess_methods, uaccess_breakeven
  compare   compare.png of several sets
  crossarch tlb_crossover_overlay: TLB crossover curves of several arches
  gnuplot   the --gnuplot backend (scripts/gnuplot/*.gp)
  cli       argument parsing and the figure loop
"""
