# SPDX-License-Identifier: GPL-2.0
"""The gnuplot backend: runs scripts/gnuplot/*.gp with variables."""

import os
import re
import shutil
import subprocess

from .analysis import (breakeven_text, crossover_text, load)
from .common import (BackendError, PKG_DIR, TlbCurves, UACCESS_METHODS,
                     count_cpus, is_remote, note, ops_in, preferred_state)
from .compare import (compare_dir_name, compare_setup, compare_title,
                       representative)
from .remote import (edge_counts, remote_series)


# scripts/gnuplot/ beside the package (the same layout when installed);
# CTBPLOT_GNUPLOT_DIR overrides it.
GP_DIR = os.environ.get("CTBPLOT_GNUPLOT_DIR") or os.path.join(
    os.path.dirname(PKG_DIR), "gnuplot")


def gp_str(s):
    """A gnuplot single-quoted string literal."""
    return "'" + str(s).replace("'", "''") + "'"


def gp_figures(rs):
    """[(figure name, script, {var: value})] for the figures the set can
    make, and [(name, reason)] for the skipped ones."""
    figs, skipped = [], []
    cache = rs.family("cache")
    if cache:
        ops = [op for op in ops_in(cache)
               if any(r["opflags"] == "-" for r in cache if r["op"] == op)]
        plain = [r for r in cache if r["opflags"] == "-"]
        st = preferred_state(plain)
        figs.append(("cache_cost", "cache.gp",
                     {"ops": " ".join(ops), "state": st or "any"}))
        # dirty vs clean (vs uncached): one more figure per other state
        for other in sorted({r["state"] for r in plain} - {st}):
            oops = [op for op in ops if any(
                r["op"] == op and r["state"] == other for r in plain)]
            figs.append(("cache_cost_" + other, "cache.gp",
                         {"ops": " ".join(oops), "state": other}))
    else:
        skipped.append(("cache_cost", "no cache-family rows"))
    an = load(rs)
    # tlb.gp draws a range/global pair: the first such curve's statement
    cx = an.crossover("tlb", with_global=True) or {}
    c = TlbCurves(rs, cx.get("op"), cx.get("global_op"), cx.get("targets"))
    if c.rng:
        ceil, src = rs.ceiling()
        if cx.get("threshold") is not None:
            ceil, src = cx["threshold"], cx.get("threshold_source") or src
        # the statement comes from the analysis; tlb.gp only draws it
        figs.append(("tlb_crossover", "tlb.gp",
                     {"ceiling": ceil, "ceiling_source": src,
                      "cross": cx.get("n") or 0,
                      "stable": cx.get("stable_from") or 0,
                      "crosstext": crossover_text(cx) if cx else
                      "no crossover statement",
                      "gaux": c.glob["aux"] if c.glob else -1,
                      "range_op": c.range_op, "global_op": c.global_op,
                      "targets": (c.targets or "").replace(",", ";")}))
    else:
        skipped.append(("tlb_crossover", "no flush_tlb_kernel_range rows"))
    remote = [r for r in rs.family("tlb") if is_remote(r)]
    if remote:
        rem = edge_counts([r for r in remote if r["opflags"] == "-"])
        tg = sorted({r["targets"] for r in rem if r["targets"] != "-"},
                    key=lambda t: (count_cpus(t), t))
        if rem and tg:
            figs.append(("tlb_remote", "remote.gp",
                         {"ops": " ".join(h[0] if h[2] == h[0] else
                                          "%s:%d" % h[:2]
                                          for h in remote_series(rem)),
                          "targets": " ".join(t.replace(",", ";")
                                              for t in tg)}))
        else:
            skipped.append(("tlb_remote", "no remote rows with opflags - "
                            "and a target list"))
    else:
        skipped.append(("tlb_remote", "no remote (targets) rows"))
    u = [r for r in rs.family("uaccess") if r["op"] != "uaccess_setup"]
    if u:
        methods = [m for m in UACCESS_METHODS if any(r["op"] == m for r in u)]
        methods += [op for op in ops_in(u) if op not in methods]
        auxes = [r["aux"] for r in u]
        ring = max(sorted(set(auxes)), key=auxes.count)
        variants = sorted({r["opflags"] for r in u if r["aux"] == ring},
                          key=lambda v: (v != "-", v))
        bes = [b for b in an.break_even("uaccess") if b.get("aux") == ring]
        figs.append(("uaccess_methods", "uaccess.gp",
                     {"methods": " ".join(methods), "ring": ring,
                      "variants": " ".join(variants),
                      "betext": breakeven_text(bes[0]) if bes else
                      "vmap break-even: needs uaccess_setup, uaccess_copy "
                      "and uaccess_vmap (opflags -)"}))
    else:
        skipped.append(("uaccess_methods", "no uaccess method rows"))
    return figs, skipped


def plot_set_gnuplot(rs, plotdir, terms, prog=None):
    gp = shutil.which("gnuplot")
    if not gp:
        raise BackendError("gnuplot not found (Debian: apt-get install "
                           "gnuplot-nox)")
    figs, skipped = gp_figures(rs)
    for name, why in skipped:
        note("%s: skipping %s: %s" % (rs.name, name, why))
    outdir = os.path.join(plotdir, rs.name, "gnuplot")
    info = "%s | %s | kernel %s | %s" % (rs.m("arch"), rs.m("cpu_model"),
                                         rs.m("kernel_release"),
                                         rs.m("date"))
    for name, script, extra in figs:
        if prog:
            prog.step("gnuplot/%s.%s" % (name, terms[0]))
        for t in terms:
            vars_ = {"file": os.path.join(rs.dir, "results.csv"),
                     "info": info, "emulated": 1 if rs.emulated else 0,
                     "virtualized": 1 if rs.environment == "virtualized"
                     else 0,
                     "setname": rs.name,
                     "term": {"png": "pngcairo"}.get(t, t)}
            if t != "dumb":
                os.makedirs(outdir, exist_ok=True)
                vars_["out"] = os.path.join(outdir, "%s.%s" % (name, t))
            vars_.update(extra)
            cmd = [gp]
            for k, v in vars_.items():
                val = v if isinstance(v, int) else gp_str(v)
                cmd += ["-e", "%s=%s" % (k, val)]
            cmd.append(os.path.join(GP_DIR, script))
            if t == "dumb":
                print("== %s: %s" % (rs.name, name), flush=True)
            p = subprocess.run(cmd, stdout=None if t == "dumb"
                               else subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
            err = [ln for ln in p.stderr.splitlines()
                   if ln.strip() and "warning" not in ln.lower()]
            msg = (p.stdout or "") + p.stderr if t != "dumb" else p.stderr
            if p.returncode == 3:      # the script found nothing to plot
                note("%s: skipping %s: %s" % (rs.name, name, " ".join(
                    ln.strip() for ln in msg.splitlines()
                    if ".gp:" in ln) or "nothing to plot"))
                if "out" in vars_ and os.path.exists(vars_["out"]):
                    os.unlink(vars_["out"])
                break
            if p.returncode != 0:
                raise BackendError("gnuplot %s failed (exit %d): %s"
                                   % (script, p.returncode,
                                      "\n".join(err[-5:])))
            if t != "dumb" and not os.path.getsize(vars_["out"]):
                raise BackendError("gnuplot %s wrote an empty %s"
                                   % (script, vars_["out"]))
    return outdir


def gp_dstr(s):
    """A gnuplot double-quoted string literal (\n is a newline)."""
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"').replace(
        "\n", "\\n") + '"'


def plot_compare_gnuplot(sets, plotdir, terms, norm):
    gp = shutil.which("gnuplot")
    if not gp:
        raise BackendError("gnuplot not found (Debian: apt-get install "
                           "gnuplot-nox)")
    cs = compare_setup(sets, norm)
    if cs is None:
        return None
    norm, sets, refs = cs
    qv = {}
    for fam in ("cache", "tlb", "uaccess"):
        q, _ = representative(sets, fam)
        keys = []
        for lab, m in q:
            r = next(iter(m.values()))
            k = "%s:%d:%d:%s:%s" % (r["op"], r["count"], r["aux"],
                                    r["state"], r["opflags"])
            if k not in keys:
                keys.append(k)
        qv["q" + fam] = " ".join(keys)
    if not any(qv.values()):
        note("compare: no op was measured on two of the sets")
        return None
    outdir = os.path.join(plotdir, compare_dir_name(sets), "gnuplot")
    labels = " ".join(re.sub(r"\s+", "_", s.short()) for s in sets)
    for t in terms:
        vars_ = {"files": " ".join(os.path.join(s.dir, "results.csv")
                                   for s in sets),
                 "labels": labels,
                 "refs": " ".join("%.17g" % r[0] for r in refs),
                 "refname": refs[0][1] if norm != "none" else "ns",
                 "emulated": 1 if any(s.emulated for s in sets) else 0,
                 "virtualized": 1 if any(s.environment == "virtualized"
                                         for s in sets) else 0,
                 "title": compare_title(sets),
                 "term": {"png": "pngcairo"}.get(t, t)}
        vars_.update(qv)
        if t != "dumb":
            os.makedirs(outdir, exist_ok=True)
            vars_["out"] = os.path.join(outdir, "compare.%s" % t)
        cmd = [gp]
        for k, v in vars_.items():
            cmd += ["-e", "%s=%s" % (k, v if isinstance(v, int)
                                      else gp_str(v))]
        cmd += ["-e", "info=" + gp_dstr("\n".join(
            "%s | %s | kernel %s | %s" % (s.m("arch"), s.m("cpu_model"),
                                          s.m("kernel_release"), s.m("date"))
            for s in sets))]
        cmd.append(os.path.join(GP_DIR, "compare.gp"))
        if t == "dumb":
            print("== compare: %s" % ", ".join(s.name for s in sets),
                  flush=True)
        p = subprocess.run(cmd, stdout=None if t == "dumb"
                           else subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
        if p.returncode == 3:
            note("compare: skipping: %s" % (p.stdout or p.stderr).strip())
            return None
        if p.returncode != 0:
            raise BackendError("gnuplot compare.gp failed (exit %d): %s" % (
                p.returncode, "\n".join(p.stderr.splitlines()[-5:])))
    return outdir
