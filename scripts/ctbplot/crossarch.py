# SPDX-License-Identifier: GPL-2.0
"""tlb_crossover_overlay: the TLB crossover curves of several sets on one
axis, each divided by its own global flush, so where each arch's range
flush becomes dearer than a full flush (y = 1) can be read side by side.
The crossover marks are the analysis' statements (analysis.load)."""

import textwrap

from .analysis import crossover_text, load, source_text
from .common import TlbCurves, finite, is_noop, note
from .render import (clamp, colors, decorate, log_floor, note_meta, save,
                     series_plot)


def overlay_curves(sets):
    """[(set, curves, crossover)] of the sets whose global flush can be
    divided by: measured, above zero with its whole 95% CI (a value at or
    below the noise floor is never a divisor); notes the others."""
    out = []
    for s in sets:
        cx = load(s).crossover("tlb", with_global=True) or {}
        c = TlbCurves(s, cx.get("op"), cx.get("global_op"), cx.get("targets"))
        g = c.glob
        if not c.rng or g is None:
            note("compare: %s has no TLB range/global pair; left out of "
                 "tlb_crossover_overlay" % s.name)
            continue
        if not (finite(g["net_ci95_lo"]) and g["net_ci95_lo"] > 0) or \
                is_noop(g):
            note("compare: %s: %s is not above the noise floor (95%% CI "
                 "low %s ns); not used as a divisor" % (
                     s.name, c.global_op, g["net_ci95_lo"]))
            continue
        out.append((s, c, cx))
    return out


def plot_tlb_overlay(plt, sets, outdir, terms):
    cur = overlay_curves(sets)
    if len(cur) < 2:
        note("compare: fewer than two sets with a usable TLB crossover "
             "pair; no tlb_crossover_overlay")
        return []
    fig, ax = plt.subplots(figsize=(13, 6.4))
    cols = colors(plt, len(cur))
    allv = []
    for s, c, _ in cur:
        g = c.glob["net_median"]
        allv += [r["net_median"] / g for r in c.rng]
    floor = log_floor(allv)
    for k, (s, c, cx) in enumerate(cur):
        g = c.glob["net_median"]
        x = [r["count"] for r in c.rng]
        v = [(r["net_median"] / g, r["net_ci95_lo"] / g,
              r["net_ci95_hi"] / g) for r in c.rng]
        pair = c.range_op + " / " + c.global_op
        if c.range_op != "flush_tlb_kernel_range":
            pair += " (stand-in, targets %s)" % c.targets
        series_plot(ax, x, v, "%s: %s = %.0f ns" % (s.short(), pair, g),
                    cols[k], "-", floor, [is_noop(r) for r in c.rng])
        n = cx.get("n")
        text = "%s: %s" % (s.m("arch"), crossover_text(cx) if cx else
                           "no crossover statement")
        note_meta(fig, "crossover", text)
        if n is not None:
            y = [vv[0] for xx, vv in zip(x, v) if xx == n]
            if y:
                ax.plot([n], [clamp(y[0], floor)], "*", ms=15,
                        color=cols[k], mec="black", mew=0.6, label=text)
        else:
            ax.plot([], [], " ", label=text)
        thr = cx.get("threshold")
        if thr is None:
            thr = s.ceiling()[0] or None
        if thr:
            ax.axvline(thr, color=cols[k], ls=":", lw=1.3,
                       label="%s kernel threshold %d pages"
                       % (s.m("arch"), thr))
    ax.axhline(1.0, color="black", lw=1.2,
               label="= the set's own global flush (y = 1)")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("N (pages in the flushed kernel range)")
    ax.set_ylabel("range flush cost / the same set's global flush\n"
                  "(median; band: range flush 95% CI over the global "
                  "median)")
    ax.grid(True, which="both", alpha=0.3)
    h, lab = ax.get_legend_handles_labels()
    ax.legend(h, ["\n".join(textwrap.wrap(t, 70)) for t in lab], fontsize=7,
              loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    ax.set_title("stars: each set's crossover statement; %s" % "; ".join(
        sorted({source_text(load(s)) for s, _, _ in cur})), fontsize=8)
    decorate(fig, "TLB crossover across sets, each normalised to its own "
             "global flush", [s for s, _, _ in cur])
    fig.subplots_adjust(left=0.07, right=0.64)
    return save(fig, plt, outdir, "tlb_crossover_overlay", terms)
