# SPDX-License-Identifier: GPL-2.0
"""scripts/plot - turn ctbench result sets into figures.

usage:
  scripts/plot [--gnuplot] [--term png|svg|dumb] [-o PLOTDIR]
               [--normalize auto|copy|nop|none] SET_DIR...
  scripts/plot --all [--gnuplot] [-o PLOTDIR] RESULTS_DIR...

Reads result sets (docs/results.md: meta.json + results.csv) and writes
PLOTDIR/<set name>/<figure>.png and .svg (PLOTDIR defaults to plots/ at the
top of the repository).  A SET_DIR that is not a set but has sets below it
(results/examples/) stands for those sets.  With several sets it also
writes the cross-arch comparison into PLOTDIR/compare-<arch-kernel>+.../
(newest set per arch + kernel + emulation).  With --all each RESULTS_DIR is
searched for sets; every set is plotted, and sets sharing a parent
directory are compared.

Figures (each skipped, with a note on stderr, when its rows are absent):
  cache_cost           ns per page vs N (log-log), 95% CI bands; compiled-empty
                       and below-floor APIs marked, not drawn
  cache_page_vs_range  total cost of N per-page calls vs one range call
  cache_state          dirty vs clean vs uncached per op
  cache_variants       plain vs vmap alias vs redundant (double) flush
  tlb_crossover        flush_tlb_kernel_range vs N, flush_tlb_all level,
                       measured crossover, kernel threshold
  tlb_other            local TLB fences and other TLB ops vs N
  tlb_refill           TLB refill cost after a flush vs pages touched
  tlb_remote           remote (IPI) cost vs target CPUs
  uaccess_methods      ns/request per access method with CI whiskers
  uaccess_breakeven    cumulative cost vs requests: vmap setup break-even
  compare              (several sets) one panel per family, every common
                       N, points with 95% CI whiskers, each label with
                       its unit; compiled-empty / below-floor rows written, not
                       drawn; normalised (--normalize; auto = empty-op
                       baseline for emulated sets, one uaccess_copy
                       request for native ones)
  tlb_crossover_overlay (several sets) TLB range flush / own global flush
                       vs N, one curve per set, crossovers marked
Crossovers, break-evens and verdicts are drawn from the set's
analysis.json (docs/results.md, "analysis.json"), written by ctbench,
never computed here; without that file none is drawn and stderr says so
(`ctbench analyze DIR` writes it for an old set).  Each set directory also gets
derived.json: those statements, the figures written and the ones skipped;
each PNG carries the statements it draws as tEXt "ctb:annotations".

--gnuplot uses the scripts in scripts/gnuplot/*.gp instead (they read
results.csv directly and can be run by hand, see their headers): cache.gp
(cache_cost for the dirty state, cache_cost_<state> for the others),
tlb.gp (tlb_crossover), remote.gp (tlb_remote), uaccess.gp
(uaccess_methods with the break-even in its title) and compare.gp; files
go to PLOTDIR/<set name>/gnuplot/ and PLOTDIR/compare-.../gnuplot/.
--term dumb prints text plots to stdout (implies --gnuplot) and writes no
files.

Every figure names arch, CPU model, kernel and date, and carries the
watermark "EMULATED (QEMU TCG)" when the set was measured under emulation,
or "VIRTUALIZED" when meta.json says environment: virtualized.  On a
terminal, stderr shows "[3/13] tlb_crossover.png  00:04 elapsed, ~00:10
left"; nothing when stderr is not a TTY (CTBPLOT_PROGRESS=0/1 forces it).

Exit status: 0 success, 1 a plotting backend failed, 2 bad usage or a bad
result set (missing file, meta key or column, unparsable value; the message
names it).
"""

import argparse
import os
import sys

from .analysis import (load)
from .cache import (fig_cache_cost, fig_cache_page_vs_range, fig_cache_state,
                    fig_cache_variants)
from .common import (BackendError, EXIT_BACKEND, EXIT_INPUT, EXIT_USAGE,
                     InputError, UsageError,
                     ResultSet, TOP, note, write_json)
from .compare import (plot_compare_mpl)
from .gnuplot import (gp_figures, plot_compare_gnuplot, plot_set_gnuplot)
from .progress import (Progress, clear_line)
from .remote import (fig_tlb_remote)
from .render import (mpl)
from .tlb import (fig_tlb_crossover, fig_tlb_other, fig_tlb_refill)
from .uaccess import (fig_uaccess_breakeven, fig_uaccess_methods)


SET_FIGURES = [
    ("cache", fig_cache_cost), ("cache", fig_cache_page_vs_range),
    ("cache", fig_cache_state), ("cache", fig_cache_variants),
    ("tlb", fig_tlb_crossover),
    ("tlb", fig_tlb_other), ("tlb", fig_tlb_refill),
    ("tlb", fig_tlb_remote), ("uaccess", fig_uaccess_methods),
    ("uaccess", fig_uaccess_breakeven),
]


def new_derived(rs):
    return {"set": rs.name, "dir": rs.dir, "arch": rs.m("arch"),
            "kernel_release": rs.m("kernel_release"),
            "emulated": rs.emulated, "cache": {}, "tlb": {}, "uaccess": {},
            "figures": [], "skipped": {}}


def plot_set_mpl(rs, plotdir, terms, prog=None):
    plt = mpl()
    outdir = os.path.join(plotdir, rs.name)
    d = new_derived(rs)
    load(rs)
    for fam, fn in SET_FIGURES:
        name = fn.__name__[4:]
        if prog:
            prog.step("%s.%s" % (name, terms[0]))
        try:
            files, why = fn(plt, rs, outdir, terms, d)
        except (ValueError, OverflowError, RuntimeError) as e:
            plt.close("all")
            raise BackendError("%s: figure %s: %s" % (rs.name, name, e))
        if files:
            d["figures"] += [os.path.relpath(f, outdir) for f in files]
        else:
            d["skipped"][name] = why
            note("%s: skipping %s: %s" % (rs.name, name, why))
    write_json(os.path.join(outdir, "derived.json"), d)
    return outdir


def find_sets(root):
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(x for x in dirnames if not x.startswith("."))
        if "results.csv" in filenames and "meta.json" in filenames:
            out.append(dirpath)
            dirnames[:] = []
    return out


def newest_per_target(sets):
    best = {}
    for s in sets:
        k = (s.m("arch"), s.m("kernel_release"), s.emulated,
             s.m("board", ""))
        if k not in best or (s.m("date"), s.name) > (best[k].m("date"),
                                                     best[k].name):
            best[k] = s
    return sorted(best.values(), key=lambda s: (s.m("arch"),
                                               s.m("kernel_release")))


def main(argv):
    ap = argparse.ArgumentParser(
        prog="scripts/plot",
        usage=__doc__.split("usage:\n", 1)[1].split("\n\n", 1)[0].strip(),
        description=__doc__.split("usage:\n", 1)[1].split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gnuplot", action="store_true",
                    help="use scripts/gnuplot/*.gp instead of matplotlib")
    ap.add_argument("--term", choices=("png", "svg", "dumb"),
                    help="only this output (default: png and svg; dumb = "
                    "text plots on stdout via gnuplot)")
    ap.add_argument("-o", dest="plotdir", default=os.path.join(TOP, "plots"),
                    help="output directory (default: %(default)s)")
    ap.add_argument("--normalize", choices=("auto", "copy", "nop", "none"),
                    default="auto", help="cross-arch normalisation "
                    "(default auto: the nop baseline when any set is "
                    "emulated, else uaccess_copy per request if every set "
                    "has it)")
    ap.add_argument("--all", action="store_true",
                    help="arguments are directories searched for sets")
    ap.add_argument("sets", nargs="+", metavar="SET_DIR")
    a = ap.parse_args(argv)

    if a.term == "dumb":
        a.gnuplot = True
    terms = [a.term] if a.term else ["png", "svg"]
    try:
        if a.all:
            paths = []
            for root in a.sets:
                if not os.path.isdir(root):
                    raise UsageError("%s: not a directory" % root)
                found = find_sets(root)
                if not found:
                    note("%s: no result sets found" % root)
                paths += found
        else:
            paths = []
            for p in a.sets:
                isset = os.path.isfile(os.path.join(p, "meta.json")) or \
                    os.path.isfile(os.path.join(p, "results.csv"))
                found = [] if isset or not os.path.isdir(p) else \
                    find_sets(p)
                if found:
                    note("%s is not a result set; plotting the %d set(s) "
                         "below it" % (p, len(found)))
                    paths += found
                else:
                    paths.append(p)
        sets = [ResultSet(p) for p in paths]
        names = [s.name for s in sets]
        for n in names:
            if names.count(n) > 1:
                raise UsageError("two sets named %s: their plots would "
                                 "overwrite each other" % n)
        groups = []
        if a.all:
            parents = {}
            for s in sets:
                parents.setdefault(os.path.dirname(os.path.abspath(s.dir)),
                                   []).append(s)
            groups = [newest_per_target(g) for g in parents.values()]
        elif len(sets) > 1:
            g = newest_per_target(sets)
            if len(g) < len(sets):
                note("compare: several sets for the same arch+kernel; "
                     "comparing the newest of each: %s"
                     % ", ".join(x.name for x in g))
            groups = [g]
        groups = [g for g in groups if len(g) >= 2]
        total = sum(len(gp_figures(s)[0]) if a.gnuplot else
                    len(SET_FIGURES) for s in sets)
        total += len(groups) * (1 if a.gnuplot else 2)
        prog = Progress(total)
        for s in sets:
            if a.gnuplot:
                out = plot_set_gnuplot(s, a.plotdir, terms, prog)
            else:
                out = plot_set_mpl(s, a.plotdir, terms, prog)
            if a.term != "dumb":
                clear_line()
                print(out, flush=True)
        for g in groups:
            if a.gnuplot:
                prog.step("compare." + terms[0])
                out = plot_compare_gnuplot(g, a.plotdir, terms, a.normalize)
            else:
                prog.step("compare." + terms[0])
                out = plot_compare_mpl(g, a.plotdir, terms, a.normalize)
                prog.step("tlb_crossover_overlay." + terms[0])
            if out and a.term != "dumb":
                clear_line()
                print(out, flush=True)
        prog.finish()
    except InputError as e:
        print("plot: bad result set %s" % e, file=sys.stderr)
        return EXIT_INPUT
    except UsageError as e:
        print("plot: error: %s" % e, file=sys.stderr)
        return EXIT_USAGE
    except BackendError as e:
        print("plot: error: %s" % e, file=sys.stderr)
        return EXIT_BACKEND
    return 0
