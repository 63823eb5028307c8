# SPDX-License-Identifier: GPL-2.0
"""TLB figures of one set: crossover, local fences, refill."""


from .analysis import (crossover_text, load, source_text)
from .common import (TLB_MAIN, TlbCurves, by_count, is_noop, is_remote, ops_in,
                     pick_variant)
from .render import (clamp, colors, decorate, log_floor, noop_label, note_meta,
                     save, series_plot, side_legend)


def fig_tlb_kpath(plt, rs, outdir, terms, d, an, cx):
    """A kernel-path crossover: the op and its matched control against N,
    the analysis' N* and the kernel's threshold (nothing computed here)."""
    rows = {}
    for op in (cx["op"], cx.get("control_op")):
        rows[op] = by_count(pick_variant([r for r in rs.rows
                                          if r["op"] == op]))
    ceil = cx.get("threshold") or 0
    src = cx.get("threshold_source") or "unknown"
    text = crossover_text(cx)
    d["tlb"].update({"crossover_pages": cx.get("crossover_pages"),
                     "crossover_text": text, "curve": "kernel-path",
                     "path": cx.get("path"), "analysis_source": an.source,
                     "range_op": cx["op"], "control_op": cx.get("control_op"),
                     "kernel_ceiling": ceil, "ceiling_source": src})
    if not rows[cx["op"]]:
        return None, "no %s rows" % cx["op"]
    fig, ax = plt.subplots(figsize=(9.5, 8.2))
    allv = [r["net_median"] for v in rows.values() for r in v]
    floor = log_floor(allv)
    for (op, rr), col, ls in zip(rows.items(), ("C0", "C7"), ("-", ":")):
        if not rr:
            continue
        series_plot(ax, [r["count"] for r in rr],
                    [(r["net_median"], r["net_ci95_lo"], r["net_ci95_hi"])
                     for r in rr],
                    "%s (N pages)%s" % (op, " = matched control"
                                        if op != cx["op"] else ""),
                    col, ls, floor, [is_noop(r) for r in rr])
    note_meta(fig, "crossover", text)
    n = cx.get("crossover_pages")
    if n is not None:
        ax.axvline(n, color="C2", lw=2, label="crossover N* = %.0f" % n)
    ax.plot([], [], " ", label=text)
    _finish(fig, ax, an, ceil, src, "net cost per call (ns), median, "
            "95% CI band", cx["op"])
    ax.set_title("kernel path via %s" % cx.get("path"), fontsize=8)
    decorate(fig, "TLB: the kernel's own flush path against N", [rs])
    fig.subplots_adjust(bottom=0.36)
    return save(fig, plt, outdir, "tlb_crossover", terms), None


def _finish(fig, ax, an, ceil, src, ylabel, op):
    """The crossover warnings of the drawn curve (op), the kernel's
    threshold, axes, legend (below the axes) and where the statements come
    from: shared by both crossover figures."""
    for w in an.warnings:
        if w.get("name") in ("crossover_unstable", "range_above_global",
                             "crossover_extrapolated") \
                and w.get("op") == op and w.get("text"):
            ax.plot([], [], " ", label="warning: " + w["text"])
            note_meta(fig, "warning", w["text"])
    if ceil > 0:
        ax.axvline(ceil, color="C1", ls="--", lw=1.5,
                   label="kernel threshold %d pages (%s)" % (ceil, src))
    else:
        ax.plot([], [], " ", label="kernel threshold: %s" % src)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("N (pages in the flushed kernel range)")
    ax.set_ylabel(ylabel)
    ax.grid(True, which="both", alpha=0.3)
    _wrapped_legend(ax)
    ax.text(0.99, 0.01, source_text(an), fontsize=6,
            color="#555555", ha="right", va="bottom", transform=ax.transAxes)


def _wrapped_legend(ax):
    """Legend whose long statements are wrapped to the figure width."""
    import textwrap
    h, lab = ax.get_legend_handles_labels()
    ax.legend(h, ["\n".join(textwrap.wrap(t, 120)) for t in lab],
              fontsize=7, loc="upper left", bbox_to_anchor=(-0.08, -0.1),
              borderaxespad=0)


def fig_tlb_crossover(plt, rs, outdir, terms, d):
    an = load(rs)
    cx = an.crossover("tlb") or {}
    if cx.get("curve") == "kernel-path":
        return fig_tlb_kpath(plt, rs, outdir, terms, d, an, cx)
    c = TlbCurves(rs, cx.get("op"), cx.get("global_op"), cx.get("targets"))
    ceil, src = rs.ceiling()
    if cx.get("threshold") is not None:
        ceil, src = cx["threshold"], cx.get("threshold_source") or src
    glob, rng = c.glob, c.rng
    cross, stable = cx.get("n"), cx.get("stable_from")
    d["tlb"].update({"crossover_pages": cross,
                     "stable_crossover_pages": stable,
                     "matched_crossover_pages": cx.get("matched_n"),
                     "crossover_text": crossover_text(cx) if cx else None,
                     "analysis_source": an.source,
                     "global_aux": c.glob["aux"] if c.glob else None,
                     "range_op": c.range_op, "global_op": c.global_op,
                     "targets": c.targets, "kernel_ceiling": ceil,
                     "ceiling_source": src,
                     "global_flush_ns": glob["net_median"] if glob else None,
                     "range_max_pages": rng[-1]["count"] if rng else None})
    if not rng:
        return None, ("no flush_tlb_kernel_range rows (nor the ipi_flush_"
                      "range/ipi_flush_all stand-in pair)")
    fig, ax = plt.subplots(figsize=(9.5, 8.2))
    x = [r["count"] for r in rng]
    v = [(r["net_median"], r["net_ci95_lo"], r["net_ci95_hi"]) for r in rng]
    allv = [a[0] for a in v] + ([glob["net_median"]] if glob else [])
    floor = log_floor(allv)
    series_plot(ax, x, v, "%s (N pages)" % c.range_op, "C0", "-",
                floor, [is_noop(r) for r in rng])
    if c.matched:
        mr = [c.matched[k] for k in sorted(c.matched)]
        series_plot(ax, [max(r["aux"], 1) for r in mr],
                    [(r["net_median"], r["net_ci95_lo"], r["net_ci95_hi"])
                     for r in mr],
                    "%s after touching N pages (matched)" % c.global_op,
                    "C3", ":", floor, [False] * len(mr))
        mtxt = ("matched crossover: N = %d" % cx["matched_n"]
                if cx.get("matched_n") is not None else
                "matched rows: no statement in analysis.json")
        ax.plot([], [], " ", label=mtxt)
    if glob is not None:
        g = glob["net_median"]
        ax.axhline(clamp(g, floor), color="C3", lw=1.5,
                   label="%s: %.0f ns%s" % (
                       c.global_op, g, " (aux %d)" % glob["aux"]
                       if c.matched else ""))
        ax.axhspan(clamp(glob["net_ci95_lo"], floor),
                   clamp(glob["net_ci95_hi"], floor), color="C3", alpha=0.12)
    text = crossover_text(cx) if cx else "no crossover statement"
    note_meta(fig, "crossover", text)
    cy = {r["count"]: r["net_median"] for r in rng}
    if cross is not None:
        y = clamp(cy.get(cross, float("nan")), floor)
        ax.plot([cross], [y], "*", ms=16, color="C2", label=text)
        ax.annotate("crossover N=%d" % cross, (cross, y),
                    textcoords="offset points", xytext=(10, -18),
                    color="C2", fontsize=9)
        if stable is not None and stable != cross:
            ax.plot([stable], [clamp(cy.get(stable, float("nan")), floor)],
                    "D", ms=9, mfc="none", mec="C2", mew=2,
                    label="stable crossover: N = %d" % stable)
    else:
        ax.plot([], [], " ", label=text)
    _finish(fig, ax, an, ceil, src, "net cost per flush (ns), median, "
            "95% CI band", c.range_op)
    if c.targets is not None:
        ax.set_title(c.what(), fontsize=8)
    decorate(fig, "TLB: range flush vs global flush", [rs])
    fig.subplots_adjust(bottom=0.36)
    return save(fig, plt, outdir, "tlb_crossover", terms), None


def fig_tlb_other(plt, rs, outdir, terms, d):
    rows = [r for r in rs.family("tlb") if r["op"] not in TLB_MAIN
            and not r["op"].startswith("refill_") and not is_remote(r)]
    rows = [r for op in ops_in(rows)
            for r in pick_variant([q for q in rows if q["op"] == op])]
    if not rows:
        return None, "no local fence / other TLB rows"
    fig, ax = plt.subplots(figsize=(9, 6.2))
    floor = log_floor([r["net_median"] for r in rows])
    ops = ops_in(rows)
    cols = colors(plt, len(ops))
    for i, op in enumerate(ops):
        s = by_count([r for r in rows if r["op"] == op])
        if len(s) > 1:
            v = [(r["net_median"], r["net_ci95_lo"], r["net_ci95_hi"])
                 for r in s]
            series_plot(ax, [r["count"] for r in s], v,
                        noop_label(op, s) + " (N pages)", cols[i], "-",
                        floor, [is_noop(r) for r in s])
        else:
            r = s[0]
            ax.axhline(clamp(r["net_median"], floor), color=cols[i],
                       ls="--", label="%s: %.0f ns (one call)"
                       % (noop_label(op, s), r["net_median"]))
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("N (pages)")
    ax.set_ylabel("net cost per call (ns), median, 95% CI band")
    ax.grid(True, which="both", alpha=0.3)
    side_legend(fig, ax)
    decorate(fig, "TLB: local fences and other TLB ops (no target list)",
             [rs])
    return save(fig, plt, outdir, "tlb_other", terms), None


def fig_tlb_refill(plt, rs, outdir, terms, d):
    rows = [r for r in rs.family("tlb") if r["op"].startswith("refill_")]
    if not rows:
        return None, "no refill_* TLB rows"
    fig, ax = plt.subplots(figsize=(9, 6.2))
    floor = log_floor([r["net_median"] for r in rows])
    ops = ops_in(rows)
    cols = colors(plt, len(ops))
    for i, op in enumerate(ops):
        s = pick_variant([r for r in rows if r["op"] == op])
        seen = {}
        for r in s:
            seen.setdefault(r["aux"], r)
        s = [seen[k] for k in sorted(seen)]
        v = [(r["net_median"], r["net_ci95_lo"], r["net_ci95_hi"])
             for r in s]
        series_plot(ax, [max(r["aux"], 1) for r in s], v,
                    noop_label(op, s), cols[i], "-", floor,
                    [is_noop(r) for r in s])
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("M (pages touched after the flush)")
    ax.set_ylabel("net cost of touching M pages (ns), median, 95% CI band")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    decorate(fig, "TLB: refill cost after a flush (indirect cost)", [rs])
    return save(fig, plt, outdir, "tlb_refill", terms), None
