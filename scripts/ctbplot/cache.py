# SPDX-License-Identifier: GPL-2.0
"""Cache-maintenance figures: cost per page, per-page vs range, states,
variants."""


from .common import (PER_PAGE_APIS, STATE_STYLE, by_count, compiled_empty,
                     is_noop, ops_in, pick_variant, preferred_state, unit_cost)
from .render import (NOOP_NOTE, STATE_COLOR, colors, decorate, log_floor,
                     noop_label, save, series_plot, side_legend,
                     small_multiples)


def fig_cache_cost(plt, rs, outdir, terms, d):
    rows = rs.family("cache")
    if not rows:
        return None, "no cache-family rows"
    series = []
    for op in ops_in(rows):
        orows = [r for r in rows if r["op"] == op]
        st = preferred_state(orows)
        # plain runs only; vmap/double variants: cache_variants
        for of in sorted({r["opflags"] for r in pick_variant(orows)}):
            s = by_count([r for r in orows
                          if r["state"] == st and r["opflags"] == of])
            if s:
                series.append((op, of, st, s))
    if not series:
        return None, "no cache rows"
    fig, ax = plt.subplots(figsize=(9, 6.2))
    rs_all = [r for _, _, _, s in series for r in s]
    floor = log_floor([unit_cost(r)[0] for r in rs_all], rs_all)
    cols = colors(plt, len(series))
    unit = "ns/page"
    for i, (op, of, st, s) in enumerate(series):
        v = [unit_cost(r) for r in s]
        unit = v[0][3]
        lab = noop_label(op, s)
        if of != "-":
            lab += " [%s]" % of
        lab += " (%s)" % st
        series_plot(ax, [r["count"] for r in s], v, lab, cols[i],
                    "--" if of != "-" else "-", floor,
                    [is_noop(r) for r in s])
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("N (pages per call / range)")
    ax.set_ylabel("net cost per page (%s), median, 95%% CI band" % unit)
    ax.grid(True, which="both", alpha=0.3)
    side_legend(fig, ax)
    ax.set_title(NOOP_NOTE, fontsize=7)
    decorate(fig, "Cache maintenance: cost per page vs N", [rs])
    d["cache"]["noop_ops"] = sorted({r["op"] for r in rows if is_noop(r)})
    d["cache"]["compiled_empty_ops"] = sorted(
        {r["op"] for r in rows if compiled_empty(r)})
    return save(fig, plt, outdir, "cache_cost", terms), None


def fig_cache_page_vs_range(plt, rs, outdir, terms, d):
    rows = [r for r in rs.family("cache") if r["opflags"] == "-"
            and not r["op"].startswith("line_")]
    page_ops = [op for op in ops_in(rows) if op in PER_PAGE_APIS]
    range_ops = [op for op in ops_in(rows) if op not in PER_PAGE_APIS]
    if not page_ops or not range_ops:
        return None, ("needs a per-page API (%s) and a range API; set has "
                      "per-page %s, range %s"
                      % ("/".join(sorted(PER_PAGE_APIS)), page_ops or "none",
                         range_ops or "none"))
    fig, ax = plt.subplots(figsize=(9, 6.2))
    allrows = []
    plotted = []
    for op in page_ops + range_ops:
        orows = [r for r in rows if r["op"] == op]
        st = preferred_state(orows)
        s = by_count([r for r in orows if r["state"] == st])
        plotted.append((op, st, s))
        allrows += s
    floor = log_floor([r["net_median"] for r in allrows], allrows)
    cols = colors(plt, len(plotted))
    for i, (op, st, s) in enumerate(plotted):
        per_page = op in PER_PAGE_APIS
        lab = noop_label(op, s) + (" (N calls, one per page)" if per_page
                                   else " (one call over N pages)")
        lab += " (%s)" % st
        v = [(r["net_median"], r["net_ci95_lo"], r["net_ci95_hi"])
             for r in s]
        series_plot(ax, [r["count"] for r in s], v, lab, cols[i],
                    "-" if per_page else "--", floor,
                    [is_noop(r) for r in s])
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ns = sorted({r["count"] for r in allrows})
    ax.set_xticks(ns)
    ax.set_xticklabels([str(n) for n in ns])
    ax.set_xlabel("N (pages)")
    ax.set_ylabel("net cost to cover N pages (ns), median, 95% CI band")
    ax.grid(True, which="both", alpha=0.3)
    side_legend(fig, ax)
    ax.set_title(NOOP_NOTE, fontsize=7)
    decorate(fig, "Cache: per-page API vs one range call", [rs])
    return save(fig, plt, outdir, "cache_page_vs_range", terms), None


def fig_cache_state(plt, rs, outdir, terms, d):
    rows = [r for r in rs.family("cache") if r["opflags"] == "-"]
    files = small_multiples(
        plt, rs, rows, "state", lambda v: STATE_STYLE.get(v, "-"),
        lambda v, seen: STATE_COLOR.get(v, "C4"),
        lambda v: "state before the flush: " + v,
        "Cache: dirty vs clean lines, per op", outdir, terms, "cache_state")
    return (files, None) if files else \
        (None, "no cache op measured in more than one line state")


def fig_cache_variants(plt, rs, outdir, terms, d):
    rows = []
    for op in ops_in(rs.family("cache")):
        orows = [r for r in rs.family("cache") if r["op"] == op]
        st = preferred_state(orows)
        rows += [r for r in orows if r["state"] == st]
    files = small_multiples(
        plt, rs, rows, "opflags",
        lambda v: "-" if v == "-" else "--",
        lambda v, seen: "C%d" % seen.index(v),
        lambda v: {"-": "plain (vmalloc buffer)",
                   "vmap": "vmap: vmap() alias of separate pages",
                   "double": "double: redundant second flush"}.get(v, v),
        "Cache: buffer and flush variants, per op (dirty lines)", outdir,
        terms, "cache_variants")
    return (files, None) if files else \
        (None, "no cache op measured with more than one opflags value")
