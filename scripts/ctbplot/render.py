# SPDX-License-Identifier: GPL-2.0
"""Shared matplotlib drawing: decoration, watermarks, series, bars, saving."""

import os
import textwrap

from .common import (BackendError, STATE_ORDER, WATERMARK, WATERMARK_VIRT,
                     by_count, compiled_empty, finite, is_noop, ops_in,
                     unit_cost)


def mpl():
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as e:
        raise BackendError("matplotlib not available (%s); install Debian's "
                           "python3-matplotlib and run with /usr/bin/python3"
                           % e)
    matplotlib.rcParams["svg.fonttype"] = "none"   # keep text as <text>
    matplotlib.rcParams["svg.hashsalt"] = "ctbench"
    matplotlib.rcParams["font.size"] = 9
    return plt


def decorate(fig, title, sets):
    """Title, per-set footer, watermark when any set is emulated."""
    fig.suptitle(title, fontsize=11, fontweight="bold")
    for ax in fig.get_axes():
        log_ticks(ax)
    width = max(60, int(fig.get_figwidth() * 17))
    lines = [ln for s in sets for ln in textwrap.wrap(
        s.footer(), width, subsequent_indent="    ")]
    fig.text(0.01, 0.005, "\n".join(lines), fontsize=7, ha="left",
             va="bottom", color="#333333")
    envs = {s.environment for s in sets}
    if "emulated" in envs:
        fig.text(0.5, 0.5, WATERMARK, fontsize=44, color="red", alpha=0.18,
                 rotation=25, ha="center", va="center", fontweight="bold",
                 zorder=100)
        fig.text(0.99, 0.995, WATERMARK + ": timings are emulation, not "
                 "hardware", fontsize=7, color="red", ha="right", va="top")
    elif "virtualized" in envs:
        fig.text(0.5, 0.5, WATERMARK_VIRT, fontsize=48, color="#1f4e9c",
                 alpha=0.16, rotation=25, ha="center", va="center",
                 fontweight="bold", zorder=100)
        fig.text(0.99, 0.995, WATERMARK_VIRT + ": measured in a guest; "
                 "flushes and IPIs may trap to the hypervisor", fontsize=7,
                 color="#1f4e9c", ha="right", va="top")
    h = fig.get_figheight()
    fig.subplots_adjust(bottom=(0.75 + 0.13 * len(lines)) / h,
                        top=1 - 0.75 / h)


def save(fig, plt, outdir, name, terms):
    os.makedirs(outdir, exist_ok=True)
    written = []
    for t in terms:
        p = os.path.join(outdir, "%s.%s" % (name, t))
        tmp = p + ".tmp"
        meta = {"Date": None} if t == "svg" else None
        notes = getattr(fig, "_ctb_notes", None)
        if t == "png" and notes:
            # the statements a figure draws, machine-readable (PNG tEXt)
            meta = {"ctb:annotations": "\n".join(notes)}
        # "tight": a long side legend or footer is never cut at the edge
        fig.savefig(tmp, format=t, dpi=110, metadata=meta,
                    bbox_inches="tight", pad_inches=0.15)
        os.replace(tmp, p)
        written.append(p)
    plt.close(fig)
    return written


def note_meta(fig, kind, text):
    """Record a statement the figure draws (crossover, break-even,
    warning): saved as the PNG's tEXt "ctb:annotations", one
    "kind: text" per line, so tests and tools can read what it says."""
    if not hasattr(fig, "_ctb_notes"):
        fig._ctb_notes = []
    fig._ctb_notes.append("%s: %s" % (kind, text))


def log_floor(values, rows=None):
    """Bottom of a log axis: a decade below the smallest positive value,
    ignoring no-op rows (their ~0 cost would squash the real data)."""
    if rows is not None:
        real = [v for v, r in zip(values, rows) if not is_noop(r)]
        if any(finite(v) and v > 0 for v in real):
            values = real
    pos = [v for v in values if finite(v) and v > 0]
    return min(pos) / 10 if pos else 0.1


def clamp(v, floor):
    return v if finite(v) and v > floor else floor


def series_plot(ax, x, vals, label, color, ls, floor, noop_flags):
    """Line + CI band on a log axis; points <= 0 sit on the floor with a
    down triangle; compiled-empty / below-floor points (analysis.json) are
    not drawn as values: a big hollow ring on the floor instead."""
    nan = float("nan")
    # compiled-empty / below-floor points have no value: no line, no band
    y = [nan if f else clamp(v[0], floor) for v, f in zip(vals, noop_flags)]
    lo = [nan if f else clamp(v[1], floor) for v, f in zip(vals, noop_flags)]
    hi = [nan if f else clamp(v[2], floor) for v, f in zip(vals, noop_flags)]
    ax.plot(x, y, ls=ls, marker="o", ms=3.5, color=color, label=label)
    if len(x) > 1:
        ax.fill_between(x, lo, hi, color=color, alpha=0.18, lw=0)
    else:
        ax.errorbar(x, y, yerr=[[y[0] - lo[0]], [hi[0] - y[0]]],
                    color=color, capsize=3, ls="none")
    below = [(xi, yi) for xi, yi, v, f in zip(x, y, vals, noop_flags)
             if not f and not (finite(v[0]) and v[0] > floor)]
    if below:
        ax.plot([b[0] for b in below], [b[1] for b in below], "v",
                color=color, ms=7)
    nx = [xi for xi, f in zip(x, noop_flags) if f]
    if nx:
        ax.plot(nx, [floor] * len(nx), "o", ms=11, mfc="none", mec=color,
                mew=1.4)


def noop_label(op, rows):
    if rows and all(compiled_empty(r) for r in rows):
        return op + "  [compiled empty: no code in this kernel]"
    n = sum(1 for r in rows if is_noop(r))
    if n == 0:
        return op
    if n == len(rows):
        return op + "  [below the noise floor: no value]"
    return op + "  [below the floor at N=%s]" % ",".join(
        str(r["count"]) for r in rows if is_noop(r))


def colors(plt, n):
    cmap = plt.get_cmap("tab10" if n <= 10 else "tab20")
    return [cmap(i % cmap.N) for i in range(max(n, 1))]


def log_ticks(ax):
    """Plain numbers on a log y axis; label the minor ticks too when the
    axis spans less than a decade (else it may show no number at all)."""
    import matplotlib.ticker as mt
    fmt = mt.FuncFormatter(lambda v, _: "%g" % v)
    if ax.get_xscale() == "log":
        ax.xaxis.set_major_formatter(fmt)
    if ax.get_yscale() != "log":
        return
    lo, hi = ax.get_ylim()
    ax.yaxis.set_major_formatter(fmt)
    if lo > 0 and hi / lo < 10:
        ax.yaxis.set_minor_formatter(fmt)
    elif lo > 0 and hi / lo < 100:
        # one or two decades: label 2x and 5x too
        ax.yaxis.set_minor_locator(mt.LogLocator(base=10, subs=(2, 5)))
        ax.yaxis.set_minor_formatter(fmt)
    else:
        ax.yaxis.set_minor_formatter(mt.NullFormatter())


def side_legend(fig, ax):
    """Legend inside the axes for a few series, else to the right of them
    on a wider figure so it hides no data."""
    handles, labels = ax.get_legend_handles_labels()
    if len(handles) <= 6:
        ax.legend(fontsize=7, loc="best")
        return
    fig.set_size_inches(14, 6.6)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0),
              borderaxespad=0)
    fig.subplots_adjust(left=0.06, right=0.62)


NOOP_NOTE = ("hollow ring on the floor = compiled empty or below the noise "
             "floor (analysis.json), no value; down triangle = net <= 0")


def fmt_val(v):
    return "%.0f" % v if 100 <= abs(v) < 1e6 else "%.3g" % v


def bars(ax, groups, hues, value, colors_, hue_label=str, log_ratio=100,
         points=False, values=True):
    """Grouped values with asymmetric 95% CI whiskers.  value(g, h) gives
    (v, lo, hi), None (not measured), "noop" or "compiled_empty" (written
    as text, never drawn as a value).  When the positive values span more
    than log_ratio the axis is log and, as bars on a log axis have no
    honest base, every value is a point with whiskers instead; points=True
    draws points on a linear axis too; values=False leaves out the
    number written beside each value.  Returns True when the axis is
    log."""
    n = max(len(hues), 1)
    width = 0.8 / n
    marks = []
    series = []
    for j, h in enumerate(hues):
        xs, ys, el, eh = [], [], [], []
        for i, g in enumerate(groups):
            v = value(g, h)
            x = i - 0.4 + width * (j + 0.5)
            if v in ("noop", "compiled_empty"):
                marks.append((x, v, colors_[j]))
                continue
            if v is None or not finite(v[0]):
                continue
            xs.append(x)
            ys.append(v[0])
            el.append(max(0.0, v[0] - v[1]) if finite(v[1]) else 0)
            eh.append(max(0.0, v[2] - v[0]) if finite(v[2]) else 0)
        series.append((j, h, xs, ys, el, eh))
    pos = [y for _, _, _, ys, _, _ in series for y in ys if y > 0]
    log = bool(pos) and max(pos) / min(pos) > log_ratio
    for j, h, xs, ys, el, eh in series:
        if not xs:
            continue
        if log or points:
            keep = [k for k, y in enumerate(ys) if y > 0 or not log]
            ax.errorbar([xs[k] for k in keep], [ys[k] for k in keep],
                        yerr=[[el[k] for k in keep], [eh[k] for k in keep]],
                        fmt="o", ms=5, color=colors_[j], ecolor=colors_[j],
                        capsize=3, lw=1.2, label=hue_label(h))
            for k in range(len(xs)):
                if log and ys[k] <= 0:
                    marks.append((xs[k], "<= 0", colors_[j]))
        else:
            ax.bar(xs, ys, width * 0.95, color=colors_[j],
                   label=hue_label(h), yerr=[el, eh], capsize=3,
                   ecolor="black", error_kw={"lw": 1})
        for x, y in zip(xs, ys):
            if not values or (log and y <= 0):
                continue
            pt = log or points
            ax.annotate(fmt_val(y), (x, y), textcoords="offset points",
                        xytext=(4, 2) if pt else (0, 2),
                        ha="left" if pt else "center", fontsize=6)
    if log:
        ax.set_yscale("log")
        log_ticks(ax)
    for x, what, col in marks:
        ax.annotate({"noop": "< floor", "compiled_empty": "compiled empty"}
                    .get(what, what), (x, 0.03),
                    xycoords=("data", "axes fraction"), rotation=90,
                    ha="center", va="bottom", fontsize=7, color=col)
    ax.set_xticks(range(len(groups)))
    if groups:
        ax.set_xlim(-0.6, len(groups) - 0.4)
    return log


STATE_COLOR = {"dirty": "C3", "clean": "C0", "uncached": "C2", "any": "C7"}


def small_multiples(plt, rs, rows, key, style, color, legend_fmt, title,
                    outdir, terms, name):
    """One panel per op, one line per value of `key` (state, opflags)."""
    ops = [op for op in ops_in(rows)
           if len({r[key] for r in rows if r["op"] == op}) > 1]
    if not ops:
        return None
    ncols = min(4, len(ops))
    nrows = (len(ops) + ncols - 1) // ncols
    fig, axes = plt.subplots(nrows, ncols, squeeze=False,
                             figsize=(3.4 * ncols + 1, 2.6 * nrows + 2.2))
    unit = "ns/page"
    seen = []
    for i, op in enumerate(ops):
        ax = axes[i // ncols][i % ncols]
        orows = [r for r in rows if r["op"] == op]
        floor = log_floor([unit_cost(r)[0] for r in orows], orows)
        vals = sorted({r[key] for r in orows},
                      key=lambda s: (STATE_ORDER.index(s)
                                     if s in STATE_ORDER else
                                     (0 if s == "-" else 99), s))
        for v in vals:
            sr = by_count([r for r in orows if r[key] == v])
            c = [unit_cost(r) for r in sr]
            unit = c[0][3]
            if v not in seen:
                seen.append(v)
            series_plot(ax, [r["count"] for r in sr], c, v, color(v, seen),
                        style(v), floor, [is_noop(r) for r in sr])
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_title(op, fontsize=8)
        ax.tick_params(which="both", labelsize=7)
        ax.grid(True, which="both", alpha=0.25)
    for j in range(len(ops), nrows * ncols):
        axes[j // ncols][j % ncols].set_visible(False)
    handles = [plt.Line2D([], [], color=color(v, seen), ls=style(v),
                          marker="o", ms=3.5) for v in seen]
    fig.legend(handles, [legend_fmt(v) for v in seen], loc="upper left",
               fontsize=8, ncol=min(len(seen), 4),
               bbox_to_anchor=(0.01, 1 - 0.45 / fig.get_figheight()))
    fig.supxlabel("N (pages)", fontsize=9, y=0.6 / fig.get_figheight() + 0.02)
    fig.supylabel("net cost per page (%s), median, 95%% CI band" % unit,
                  fontsize=9)
    decorate(fig, title, [rs])
    h = fig.get_figheight()
    fig.subplots_adjust(top=1 - 1.0 / h, hspace=0.45, wspace=0.3,
                        left=0.07)
    fig.text(0.99, 1 - 0.5 / h, NOOP_NOTE, fontsize=7, ha="right",
             va="center")
    for ax in axes.flat:
        if ax.get_visible():
            log_ticks(ax)
    return save(fig, plt, outdir, name, terms)
