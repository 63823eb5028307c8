# SPDX-License-Identifier: GPL-2.0
"""Remote (IPI / remote flush) cost vs target CPUs."""


from .common import (count_cpus, is_remote, ops_in)
from .render import (bars, colors, decorate, save)


def edge_counts(rows):
    """Per op, only the rows at its smallest and largest N (a sweep of a
    remote op, e.g. the crossover stand-in, would drown the figure)."""
    out = []
    for op in ops_in(rows):
        orows = [r for r in rows if r["op"] == op]
        cs = sorted({r["count"] for r in orows})
        keep = {cs[0], cs[-1]}
        out += [r for r in orows if r["count"] in keep]
    return out


def remote_series(rows):
    """[(op, count, label)]: one bar series per op and N (N only named
    when the op was measured at several N)."""
    out = []
    for op in ops_in(rows):
        counts = sorted({r["count"] for r in rows if r["op"] == op})
        for c in counts:
            out.append((op, c, op if len(counts) == 1 else
                        "%s N=%d" % (op, c)))
    return out


def fig_tlb_remote(plt, rs, outdir, terms, d):
    rows = [r for r in rs.family("tlb") if is_remote(r)]
    rows = [r for r in rows if r["opflags"] == "-"] or rows
    if not rows:
        return None, "no remote (targets) TLB/IPI rows"
    rows = edge_counts(rows)
    tg = sorted({r["targets"] for r in rows},
                key=lambda t: (count_cpus(t), t))
    hues = remote_series(rows)

    def val(t, h):
        c = [r for r in rows if (r["op"], r["count"]) == h[:2]
             and r["targets"] == t]
        if not c:
            return None
        r = c[0]
        return (r["net_median"], r["net_ci95_lo"], r["net_ci95_hi"])

    fig, ax = plt.subplots(figsize=(9, 6.2))
    bars(ax, tg, hues, val, colors(plt, len(hues)), lambda h: h[2])
    ax.set_xticklabels(["%s\n(%d CPU%s)" % (t, count_cpus(t),
                                             "" if count_cpus(t) == 1
                                             else "s") for t in tg])
    pl = rs.meta.get("placement")
    pol = ""
    if isinstance(pl, dict):
        pol = "; measuring CPU %s, targets policy %s" % (
            pl.get("cpu", "?"), pl.get("targets_policy",
                                       pl.get("targets", "?")))
    ax.set_xlabel("target CPUs (sorted by count)" + pol)
    ax.set_ylabel("net cost per call (ns), median, 95% CI")
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(fontsize=8)
    decorate(fig, "Remote cost vs target CPUs (IPIs, remote flushes)", [rs])
    return save(fig, plt, outdir, "tlb_remote", terms), None
