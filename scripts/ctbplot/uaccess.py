# SPDX-License-Identifier: GPL-2.0
"""uaccess figures: per-method cost and the vmap break-even."""

import math

from .analysis import (breakeven_text, load)
from .common import (UACCESS_METHODS, compiled_empty, is_noop, note, ops_in,
                     unit_cost)
from .render import (bars, clamp, colors, decorate, note_meta, save)


def variant_name(v):
    of, aux, st = v
    parts = []
    parts.append("warm" if of == "-" else of)
    parts.append("ring %d" % aux)
    if st not in ("any",):
        parts.append(st)
    return ", ".join(parts)


def fig_uaccess_methods(plt, rs, outdir, terms, d):
    rows = [r for r in rs.family("uaccess") if r["op"] != "uaccess_setup"]
    if not rows:
        return None, "no uaccess method rows"
    methods = [m for m in UACCESS_METHODS if any(r["op"] == m for r in rows)]
    methods += [op for op in ops_in(rows) if op not in methods]
    variants = sorted({(r["opflags"], r["aux"], r["state"]) for r in rows},
                      key=lambda v: (v[0] != "-", v[0], v[1], v[2]))

    def val(m, v):
        c = [r for r in rows if r["op"] == m and
             (r["opflags"], r["aux"], r["state"]) == v]
        if not c:
            return None
        if compiled_empty(c[0]):
            return "compiled_empty"
        return unit_cost(c[0])[:3]

    unit = unit_cost(rows[0])[3]
    fig, ax = plt.subplots(figsize=(9, 6.2))
    bars(ax, methods, variants, val, colors(plt, len(variants)),
         variant_name)
    ax.set_xticklabels([m.replace("uaccess_", "") for m in methods])
    ax.set_xlabel("access method (one vhost TX request's metadata "
                  "accesses per iteration)")
    ax.set_ylabel("net cost (%s), median, 95%% CI whiskers%s" % (
        unit, ", log scale" if ax.get_yscale() == "log" else ""))
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(fontsize=8, title="variant")
    feats = rs.meta.get("features")
    if isinstance(feats, list):
        guard = [f for f in feats if str(f).lower() in
                 ("smap", "pan", "sum_toggle", "pti")]
        ax.set_title("user access guards in use: %s" %
                     (", ".join(map(str, guard)) or "none reported"),
                     fontsize=8)
    decorate(fig, "uaccess: vhost metadata access per method", [rs])
    return save(fig, plt, outdir, "uaccess_methods", terms), None


def fig_uaccess_breakeven(plt, rs, outdir, terms, d):
    an = load(rs)
    bes = [b for b in an.break_even("uaccess") if b.get("aux") is not None]
    d["uaccess"]["analysis_source"] = an.source
    d["uaccess"]["breakeven"] = [
        {"aux": b["aux"], "setup_ns": b.get("setup_ns"),
         "copy_ns_per_request": b.get("vs_ns"),
         "vmap_ns_per_request": b.get("op_ns"),
         "breakeven_requests": b.get("requests"),
         "breakeven_lo": b.get("lo"), "breakeven_hi": b.get("hi"),
         "text": breakeven_text(b)} for b in bes]
    if not bes:
        return None, ("needs uaccess_setup, uaccess_copy and uaccess_vmap "
                      "with the same ring size (opflags -)")
    # the suites' default ring (256) when measured, else the smallest
    b = ([x for x in bes if x["aux"] == 256] or bes)[0]
    if len(bes) > 1:
        note("%s: several ring sizes; break-even figure uses ring %d"
             % (rs.name, b["aux"]))
    e = {"aux": b["aux"], "breakeven_requests": b.get("requests"),
         "breakeven_lo": b.get("lo"), "breakeven_hi": b.get("hi")}
    u = [r for r in rs.family("uaccess") if r["opflags"] == "-"
         and r["aux"] == e["aux"]]
    rmax = 10 ** 6
    if e["breakeven_requests"]:
        rmax = max(100.0, e["breakeven_requests"] * 100)
    setup = [r for r in u if r["op"] == "uaccess_setup"]
    e["setup_ns"] = setup[0]["net_median"] if setup else b.get("setup_ns")
    reqs = [10 ** (k / 8) for k in range(0, int(8 * math.log10(rmax)) + 1)]
    fig, ax = plt.subplots(figsize=(9, 6.2))
    ci = 0
    for m in UACCESS_METHODS:
        c = [r for r in u if r["op"] == m]
        if not c:
            continue
        if is_noop(c[0]):
            # below the noise floor / compiled empty: no cost to draw
            ax.plot([], [], " ", label="%s: below the noise floor (< %.3g "
                    "ns): not drawn" % (m.replace("uaccess_", ""),
                                        float(c[0].get("floor_ns") or 0)))
            continue
        per = unit_cost(c[0])[0]
        if m == "uaccess_vmap":
            ys = [e["setup_ns"] + n * per for n in reqs]
            lab = "vmap: setup %.0f ns + %.3g ns/request" % (e["setup_ns"],
                                                           per)
        elif m == "uaccess_kmap":
            continue    # needs pinning too, but uaccess_setup includes vmap
        else:
            ys = [n * per for n in reqs]
            lab = "%s: %.3g ns/request" % (m.replace("uaccess_", ""), per)
        ax.plot(reqs, [clamp(y, 1e-3) for y in ys], color="C%d" % ci,
                label=lab, lw=2 if m in ("uaccess_copy", "uaccess_vmap")
                else 1, ls="-" if m in ("uaccess_copy", "uaccess_vmap")
                else ":")
        ci += 1
    n = e["breakeven_requests"]
    text = breakeven_text(b)
    note_meta(fig, "break-even", text)
    if n:
        ax.axvline(n, color="black", ls="--", label=text)
        if e["breakeven_lo"] and e["breakeven_hi"]:
            ax.axvspan(e["breakeven_lo"], e["breakeven_hi"], color="grey",
                       alpha=0.15)
    else:
        ax.plot([], [], " ", label=text)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("requests served by one mapping (ring %d)" % e["aux"])
    ax.set_ylabel("cumulative metadata cost (ns)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    ax.set_title("break-even = uaccess_setup / (copy - vmap) per request",
                 fontsize=8)
    decorate(fig, "uaccess: when does a vmap()ed ring pay off?", [rs])
    return save(fig, plt, outdir, "uaccess_breakeven", terms), None
