#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# TAP test for scripts/plot (matplotlib and gnuplot backends) on synthetic
# result sets from tests/host/plot/gen-synthetic.  Run: prove tests/host/
# (needs Debian's python3-matplotlib and gnuplot-nox).

import csv
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
PLOT = os.path.join(TOP, "scripts", "plot")
GEN = os.path.join(TOP, "tests", "host", "plot", "gen-synthetic")
WM = "EMULATED (QEMU TCG)"
MPL_FIGS = ["cache_cost", "cache_page_vs_range", "cache_state",
            "cache_variants",
            "tlb_crossover", "tlb_other", "tlb_refill", "tlb_remote",
            "uaccess_methods", "uaccess_breakeven"]
GP_FIGS = ["cache_cost", "cache_cost_clean", "cache_cost_uncached",
           "tlb_crossover", "tlb_remote", "uaccess_methods"]

n = 0
failed = 0


def ok(cond, desc, diag=None):
    global n, failed
    n += 1
    print("%s %d - %s" % ("ok" if cond else "not ok", n, desc))
    if not cond:
        failed += 1
        if diag:
            for ln in str(diag).splitlines()[-15:]:
                print("#   " + ln)
    sys.stdout.flush()
    return cond


def run(args):
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    return p.returncode, p.stdout, p.stderr


CTBENCH = os.environ.get("CTBENCH") or os.path.join(
    TOP, "build", "host", "bench", "ctbench")


def build_ctbench():
    """ctbench computes the analysis the plots draw: build it (make is
    incremental) unless $CTBENCH names one."""
    if os.environ.get("CTBENCH"):
        return os.access(CTBENCH, os.X_OK)
    r = subprocess.run(["make", "-C", os.path.join(TOP, "bench"),
                        "O=" + os.path.dirname(CTBENCH), CTBENCH],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return r.returncode == 0 and os.access(CTBENCH, os.X_OK)


def analyze(d):
    """`ctbench analyze d`: the set's analysis.json, as a run writes it."""
    return run([CTBENCH, "analyze", d])


def gen(parent, *args, **kw):
    rc, out, err = run([GEN] + list(args) + [parent])
    if rc != 0:
        print("Bail out! gen-synthetic failed: %s" % err.strip())
        sys.exit(1)
    d = out.strip()
    if kw.get("analysis", True):
        analyze(d)
    return d


def an_of(d):
    """The set's analysis.json (written by ctbench analyze)."""
    try:
        return json.load(open(os.path.join(d, "analysis.json")))
    except (OSError, ValueError):
        return {}


def primary(d, with_global=False):
    """The crossover statement the figures must draw."""
    cs = an_of(d).get("crossovers", [])
    if with_global:
        cs = [c for c in cs if c.get("global_op")]
        return cs[0] if cs else {}
    return ([c for c in cs if c.get("primary")] or [{}])[0]


def head(path, k=512):
    with open(path, "rb") as f:
        return f.read(k)


def text(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def check_file(path, kind):
    """(valid, why)."""
    if not os.path.isfile(path):
        return False, "%s missing" % path
    if os.path.getsize(path) == 0:
        return False, "%s empty" % path
    h = head(path)
    if kind == "png" and not h.startswith(b"\x89PNG\r\n\x1a\n"):
        return False, "%s: no PNG signature: %r" % (path, h[:8])
    if kind == "svg" and b"<svg" not in h:
        return False, "%s: no <svg in the first 512 bytes" % path
    return True, ""


def doc_columns():
    """Column names from the table in docs/results.md."""
    cols = []
    intable = False
    for ln in text(os.path.join(TOP, "docs", "results.md")).splitlines():
        if ln.startswith("| column |"):
            intable = True
            continue
        if intable:
            if not ln.startswith("|"):
                break
            cell = ln.split("|")[1].strip()
            if set(cell) <= set("-"):
                continue
            cols += [c.strip() for c in cell.split(",")]
    return cols


def png_text(path):
    """tEXt chunks of a PNG as a dict (the figure's machine-readable
    statements are in "ctb:annotations")."""
    import struct
    out = {}
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return out
    i = 8
    while i + 8 <= len(data):
        ln, typ = struct.unpack(">I4s", data[i:i + 8])
        body = data[i + 8:i + 8 + ln]
        if typ == b"tEXt" and b"\0" in body:
            k, v = body.split(b"\0", 1)
            out[k.decode("latin-1")] = v.decode("latin-1")
        i += 12 + ln
    return out


def write_rows(setdir, rows):
    p = os.path.join(setdir, "results.csv")
    with open(p, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()),
                           lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def rows_of(setdir):
    with open(os.path.join(setdir, "results.csv"), newline="") as f:
        return list(csv.DictReader(f))


def main():
    if not os.access("/usr/bin/python3", os.X_OK):
        print("1..0 # SKIP /usr/bin/python3 missing")
        return 0
    if run(["/usr/bin/python3", "-c", "import matplotlib"])[0] != 0:
        print("1..0 # SKIP python3-matplotlib not installed")
        return 0
    have_gp = shutil.which("gnuplot") is not None
    if not build_ctbench():
        print("Bail out! cannot build ctbench (%s)" % CTBENCH)
        return 1
    tmp = tempfile.mkdtemp(prefix="ctb-plot-t.")
    try:
        tests(tmp, have_gp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("1..%d" % n)
    return 1 if failed else 0


def tests(tmp, have_gp):
    sets = os.path.join(tmp, "sets")
    out = os.path.join(tmp, "plots")
    emu = gen(sets, "--arch", "x86_64", "--crossover", "32")
    name = os.path.basename(emu)

    # -- the synthetic set follows the format contract
    hdr = next(csv.reader(open(os.path.join(emu, "results.csv"))))
    dc = doc_columns()
    ok(len(dc) >= 20 and hdr == dc,
       "synthetic results.csv header equals the docs/results.md columns",
       "docs: %s\ncsv:  %s" % (dc, hdr))
    meta = json.load(open(os.path.join(emu, "meta.json")))
    ok(meta.get("emulated") is True and
       json.load(open(os.path.join(emu, "results.json")))["meta"] == meta,
       "synthetic meta.json is emulated and matches results.json meta")

    # -- matplotlib backend
    rc, so, se = run([PLOT, "-o", out, emu])
    ok(rc == 0, "matplotlib: plotting an emulated set exits 0", se)
    ok("no analysis.json" not in se and os.path.isfile(
        os.path.join(emu, "analysis.json")),
       "the set has ctbench's analysis.json; no note on stderr", se)
    noan = os.path.join(tmp, "noan", name)
    shutil.copytree(emu, noan)
    os.unlink(os.path.join(noan, "analysis.json"))
    rc2, so2, se2 = run([PLOT, "--term", "png", "-o",
                         os.path.join(tmp, "noan-out"), noan])
    der0 = {}
    try:
        der0 = json.load(open(os.path.join(tmp, "noan-out", name,
                                           "derived.json")))
    except (OSError, ValueError):
        pass
    ok(rc2 == 0 and "no analysis.json" in se2 and "ctbench analyze" in se2
       and der0.get("tlb", {}).get("crossover_pages") is None,
       "a set without analysis.json: no statement drawn, none computed; "
       "stderr names ctbench analyze", se2)
    ok("\r" not in se and "elapsed" not in se,
       "no progress output when stderr is not a terminal", se[-300:])
    d = os.path.join(out, name)
    svgs = []
    for fig in MPL_FIGS:
        for kind in ("png", "svg"):
            good, why = check_file(os.path.join(d, "%s.%s" % (fig, kind)),
                                   kind)
            ok(good, "matplotlib: %s.%s exists, non-empty, valid %s header"
               % (fig, kind, kind.upper()), why)
        svgs.append(os.path.join(d, fig + ".svg"))
    svgs = [p for p in svgs if os.path.isfile(p)]
    miss = [p for p in svgs if WM not in text(p)]
    ok(svgs and not miss, "matplotlib: every SVG carries the %s watermark"
       % WM, "missing in: %s" % miss)
    need = [meta["arch"], meta["cpu_model"], meta["kernel_release"],
            meta["date"]]
    miss = [(os.path.basename(p), w) for p in svgs for w in need
            if w not in text(p)]
    ok(svgs and not miss, "matplotlib: every SVG names arch, CPU model, "
       "kernel and date", miss)

    # derived numbers are computed from the data
    try:
        der = json.load(open(os.path.join(d, "derived.json")))
    except (OSError, ValueError) as e:
        der = {}
        ok(False, "derived.json readable", e)
    px = primary(emu)
    ok(px.get("n") is not None and
       der.get("tlb", {}).get("crossover_pages") == px.get("n") and
       abs(px["n"] - 32) <= 1,
       "derived: the TLB crossover is analysis.json's N=%s (generator's "
       "median crossing 32, CI-based one step earlier at most)" % px.get("n"),
       der.get("tlb"))
    ok(der.get("tlb", {}).get("kernel_ceiling") == 33,
       "derived: kernel ceiling taken from meta tlb_flush_ceiling",
       der.get("tlb"))
    rows = rows_of(emu)

    def net(op):
        return [float(r["net_median"]) for r in rows
                if r["op"] == op and r["opflags"] == "-"][0]
    expect = math.ceil(net("uaccess_setup") / (net("uaccess_copy") -
                                               net("uaccess_vmap")))
    be = (der.get("uaccess", {}).get("breakeven") or [{}])[0]
    got = be.get("breakeven_requests")
    ok(got is not None and abs(got - expect) < 1e-9 and
       be.get("breakeven_lo", 0) <= got <= be.get("breakeven_hi", 0),
       "derived: break-even from analysis.json = ceil(setup / (copy - vmap))"
       " = %d, inside its CI" % expect, be)
    ok(der.get("cache", {}).get("noop_ops") == ["flush_dcache_page"],
       "derived: the below-floor cache API is drawn as nothing",
       der.get("cache"))
    svg = os.path.join(d, "tlb_crossover.svg")
    ok(os.path.isfile(svg) and "crossover at N=%s pages" % px.get("n") in
       text(svg) and "kernel threshold 33 pages" in text(svg),
       "matplotlib: tlb_crossover labels analysis.json's crossover and the "
       "threshold")
    svg = os.path.join(d, "cache_cost.svg")
    ok(os.path.isfile(svg) and "flush_dcache_page  [below the noise floor: "
       "no value]" in text(svg),
       "matplotlib: cache_cost labels the below-floor API (analysis.json "
       "verdict) and draws no value for it")

    # a native set has no watermark
    nat = gen(sets, "--arch", "x86_64", "--native", "--kernel", "6.12.9")
    rc, so, se = run([PLOT, "--term", "svg", "-o", out, nat])
    nd = os.path.join(out, os.path.basename(nat))
    nsvgs = [os.path.join(nd, f) for f in os.listdir(nd)
             if f.endswith(".svg")] if os.path.isdir(nd) else []
    ok(rc == 0 and len(nsvgs) == len(MPL_FIGS) and
       not any(WM in text(p) for p in nsvgs) and
       not any(f.endswith(".png") for f in os.listdir(nd)),
       "matplotlib: native set, --term svg: SVGs only, no watermark", se)

    # partial set: only what the set contains, skips said on stderr
    part = gen(sets, "--arch", "riscv64", "--kernel", "6.12.9-riscv64",
               "--families", "core,uaccess")
    rc, so, se = run([PLOT, "--term", "png", "-o", out, part])
    pd = os.path.join(out, os.path.basename(part))
    files = sorted(os.listdir(pd)) if os.path.isdir(pd) else []
    ok(rc == 0 and files == ["derived.json", "uaccess_breakeven.png",
                             "uaccess_methods.png"],
       "matplotlib: uaccess-only set gives only the uaccess figures",
       "rc=%d files=%s\n%s" % (rc, files, se))
    ok("skipping cache_cost" in se and "skipping tlb_crossover" in se,
       "matplotlib: skipped figures are named on stderr", se)

    # missing column: exit 1 "bad result set" naming it, nothing written
    bad = gen(sets, "--arch", "x86_64", "--kernel", "bad",
              "--omit-column", "net_ci95_hi")
    rc, so, se = run([PLOT, "-o", out, bad])
    ok(rc == 1 and "bad result set" in se and "net_ci95_hi" in se and
       not os.path.exists(os.path.join(out, os.path.basename(bad))),
       "matplotlib: a set missing column net_ci95_hi fails, exit 1, "
       "message names the column", "rc=%d %s" % (rc, se))
    bad2 = gen(sets, "--arch", "x86_64", "--kernel", "bad2",
               "--omit-column", "op")
    rc, so, se = run([PLOT, "-o", out, bad2])
    ok(rc == 1 and "bad result set" in se and "'op'" in se, "matplotlib: missing column op is named",
       "rc=%d %s" % (rc, se))
    badm = gen(sets, "--arch", "x86_64", "--kernel", "badmeta")
    mp = os.path.join(badm, "meta.json")
    m = json.load(open(mp))
    del m["cpu_model"]
    json.dump(m, open(mp, "w"))
    rc, so, se = run([PLOT, "-o", out, badm])
    ok(rc == 1 and "bad result set" in se and "cpu_model" in se,
       "matplotlib: meta.json missing cpu_model fails naming it",
       "rc=%d %s" % (rc, se))
    rc, so, se = run([PLOT, "-o", out, os.path.join(tmp, "nonexistent")])
    ok(rc == 1 and "nonexistent" in se, "a path that is not a set: exit 1",
       se)

    # TLB stand-in pair (x86 6.12: flush_tlb_* sealed) and a noisy early
    # crossing: first crossing 8, stable crossing 64
    si = gen(sets, "--arch", "x86_64", "--kernel", "6.12.9-amd64",
             "--tlb-stand-in", "--crossover", "64", "--early-crossing", "8")
    rc, so, se = run([PLOT, "--term", "svg", "-o", out, si])
    try:
        t = json.load(open(os.path.join(out, os.path.basename(si),
                                        "derived.json")))["tlb"]
    except (OSError, ValueError, KeyError) as e:
        t = {"error": str(e)}
    px = primary(si)
    ws = [w.get("name") for w in an_of(si).get("warnings", [])]
    ok(rc == 0 and t.get("range_op") == "ipi_flush_range" and
       t.get("global_op") == "ipi_flush_all" and t.get("targets") == "1-3"
       and px.get("first_n") == 8 and px.get("n") is not None and
       abs(px["n"] - 64) <= 32 and t.get("crossover_pages") == px["n"]
       and "crossover_unstable" in ws,
       "stand-in ipi_flush_range/ipi_flush_all: early crossing 8 is a "
       "crossover_unstable warning, one statement from N=%s, drawn"
       % px.get("n"), "%s\n%s\n%s" % (t, px, se))
    shutil.rmtree(si)

    # full suite "matched" global rows (aux = N): the plain global is the
    # aux 16 row; matched crossover at the first N >= 1.5 * global
    mt = gen(sets, "--arch", "x86_64", "--kernel", "matched", "--matched",
             "--crossover", "32")
    rc, so, se = run([PLOT, "--term", "svg", "-o", out, mt])
    try:
        t = json.load(open(os.path.join(out, os.path.basename(mt),
                                        "derived.json")))["tlb"]
    except (OSError, ValueError, KeyError) as e:
        t = {"error": str(e)}
    px = primary(mt)
    ok(rc == 0 and t.get("global_aux") == 16 and px.get("global_aux") == 16
       and t.get("crossover_pages") == px.get("n"),
       "matched global rows: the plain global is the aux 16 row in the "
       "analysis and the figure", "%s\n%s" % (t, se))
    if have_gp:
        rc, so, se = run([PLOT, "--gnuplot", "--term", "svg", "-o", out, mt])
        t = os.path.join(out, os.path.basename(mt), "gnuplot",
                         "tlb_crossover.svg")
        ok(rc == 0 and os.path.isfile(t) and
           "crossover at N=%s pages" % px.get("n") in text(t),
           "gnuplot: tlb.gp draws the same statement", se)
    shutil.rmtree(mt)

    # degenerate values (empty cells, net <= 0, everything no-op) are not
    # a reason to crash: both backends exit 0
    deg = gen(sets, "--arch", "x86_64", "--kernel", "degenerate")
    p = os.path.join(deg, "results.csv")
    with open(p, newline="") as f:
        drows = list(csv.DictReader(f))
    for i, r in enumerate(drows):
        if i % 3 == 0:
            for c in ("net_median", "net_ci95_lo", "net_ci95_hi",
                      "per_unit", "baseline_median"):
                r[c] = ""
        elif i % 3 == 1:
            for c in ("net_median", "net_ci95_lo", "net_ci95_hi"):
                r[c] = str(-abs(float(r[c])))
        r["noop"] = "yes" if i % 2 else r["noop"]
    with open(p, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(drows[0].keys()),
                           lineterminator="\n")
        w.writeheader()
        w.writerows(drows)
    rc1, so, se1 = run([PLOT, "--term", "png", "-o", out, deg])
    rc2, so, se2 = run([PLOT, "--gnuplot", "--term", "png", "-o", out, deg])
    ok(rc1 == 0 and rc2 == 0, "empty, negative and no-op values: both "
       "backends exit 0", "rc %d/%d\n%s\n%s" % (rc1, rc2, se1, se2))
    shutil.rmtree(deg)

    analysis_tests(sets, out, have_gp)
    env_tests(sets, out, have_gp)
    progress_tests(sets, out)

    # -- cross-arch comparison
    arm = gen(sets, "--arch", "aarch64", "--kernel", "6.12.9-arm64",
              "--crossover", "512", "--seed", "7")
    rc, so, se = run([PLOT, "--normalize", "copy", "-o", out, emu, arm])
    cmp_dirs = [x for x in os.listdir(out) if x.startswith("compare-")]
    ok(rc == 0 and len(cmp_dirs) == 1, "two sets: one compare-* directory",
       "rc=%d %s %s" % (rc, cmp_dirs, se))
    if cmp_dirs:
        cd = os.path.join(out, cmp_dirs[0])
        for kind in ("png", "svg"):
            good, why = check_file(os.path.join(cd, "compare." + kind), kind)
            ok(good, "compare.%s exists and is valid" % kind, why)
        c = json.load(open(os.path.join(cd, "compare.json")))
        copy = [q for q in c["quantities"] if q["quantity"] == "uaccess_copy"]
        ok("uaccess_copy" in c["normalisation"] and len(copy) == 2 and
           all(abs(q["normalised"] - 1) < 1e-9 for q in copy),
           "compare: normalised to each arch's uaccess_copy (copy == 1)",
           c["normalisation"])
        rc, so, se = run([PLOT, "--term", "png", "-o", out, emu, arm])
        c = json.load(open(os.path.join(cd, "compare.json")))
        nop = [q for q in c["quantities"] if q["quantity"] == "uaccess_copy"]
        ok(rc == 0 and "nop" in c["normalisation"] and len(nop) == 2 and
           all(abs(q["normalised"] * q["reference_ns"] - q["value"]) <
               1e-6 * q["value"] for q in nop) and
           len({q["reference_ns"] for q in nop}) == 2,
           "compare: emulated sets default to each set's own nop baseline",
           c["normalisation"])
        ok(WM in text(os.path.join(cd, "compare.svg")) and
           "aarch64" in text(os.path.join(cd, "compare.svg")),
           "compare: watermark and both arches in the SVG")
        ok(c.get("title", "").startswith("Cross-arch comparison") and
           "Cross-arch comparison" in text(os.path.join(cd, "compare.svg")),
           "compare: two arches are titled cross-arch", c.get("title"))
        ok("flush_tlb_kernel_range N=1 [ns/page]" in text(
            os.path.join(cd, "compare.svg")) and "[ns/request]" in text(
            os.path.join(cd, "compare.svg")) and
           "[ns/page]" in text(os.path.join(cd, "compare.svg")),
           "compare: every quantity names its unit (ns/page, ns/request)")
        ns = sorted({int(re.search(r"N=(\d+)", q["quantity"]).group(1))
                     for q in c["quantities"]
                     if q["quantity"].startswith("flush_tlb_kernel_range")})
        ok(len(ns) > 2, "compare: every common N, not only the smallest "
           "and largest (flush_tlb_kernel_range N=%s)" % ns)
        ov = os.path.join(cd, "tlb_crossover_overlay.png")
        ann = png_text(ov).get("ctb:annotations", "")
        ok(check_file(ov, "png")[0] and "x86_64: " +
           primary(emu, True).get("text", "?") in ann and "aarch64: " +
           primary(arm, True).get("text", "?") in ann,
           "compare: tlb_crossover_overlay.png draws each set's crossover "
           "statement", ann)
    der2 = json.load(open(os.path.join(out, os.path.basename(arm),
                                       "derived.json")))
    ok(der2["tlb"]["crossover_pages"] == primary(arm).get("n") and
       primary(arm).get("n") != primary(emu).get("n"),
       "derived: second set's crossover N=%s is its own"
       % primary(arm).get("n"))
    x2 = gen(os.path.join(tmp, "sets-same"), "--arch", "x86_64", "--kernel",
             "6.12.9-amd64", "--seed", "3")
    so_out = os.path.join(tmp, "plots-same")
    rc, so, se = run([PLOT, "--term", "svg", "-o", so_out, emu, x2])
    cds = [x for x in os.listdir(so_out) if x.startswith("compare-")] \
        if os.path.isdir(so_out) else []
    c = json.load(open(os.path.join(so_out, cds[0], "compare.json"))) \
        if cds else {}
    ok(rc == 0 and c.get("title", "").startswith(
        "Same-arch comparison (x86_64: kernels"),
       "compare: two x86_64 kernels are titled same-arch, not cross-arch",
       "%s\n%s" % (c.get("title"), se))
    shutil.rmtree(x2)

    # --all finds sets below a directory
    out2 = os.path.join(tmp, "plots-all")
    rc, so, se = run([PLOT, "--all", "--term", "png", "-o", out2, sets])
    ok(rc != 0 and "net_ci95_hi" in se,
       "--all: a broken set among good ones still fails naming the column")
    for b in (bad, bad2, badm):
        shutil.rmtree(b)
    rc, so, se = run([PLOT, "--all", "--term", "png", "-o", out2, sets])
    made = sorted(os.listdir(out2)) if os.path.isdir(out2) else []
    ok(rc == 0 and len([x for x in made if not x.startswith("compare-")])
       == 4 and len([x for x in made if x.startswith("compare-")]) == 1,
       "--all: every set plotted plus one comparison", "%s\n%s"
       % (made, se))

    # -- the committed example sets (written by ctbench in QEMU guests)
    exdir = os.path.join(TOP, "results", "examples")
    exsets = sorted(os.path.join(exdir, x) for x in os.listdir(exdir)
                    if os.path.isfile(os.path.join(exdir, x, "meta.json"))) \
        if os.path.isdir(exdir) else []
    if not exsets:
        ok(True, "example sets # SKIP no results/examples/*/ sets")
    for ex in exsets:
        xo = os.path.join(tmp, "ex")
        rc, so, se = run([PLOT, "--term", "png", "-o", xo, ex])
        xd = os.path.join(xo, os.path.basename(ex))
        try:
            der = json.load(open(os.path.join(xd, "derived.json")))
        except (OSError, ValueError):
            der = {}
        figs = der.get("figures", [])
        ok(rc == 0 and "uaccess_methods.png" in figs and
           "tlb_crossover.png" in figs and "cache_cost.png" in figs,
           "example %s: plots, with the cache, TLB and uaccess figures"
           % os.path.basename(ex), se)
        # issue 18: every committed example carries its TLB crossover
        # statement in analysis.json, and the figure draws that statement
        px = primary(ex)
        ann = png_text(os.path.join(xd, "tlb_crossover.png")).get(
            "ctb:annotations", "")
        ok(px.get("family") == "tlb" and px.get("text") and
           px["text"] in ann,
           "example %s: analysis.json holds the TLB crossover statement and "
           "tlb_crossover.png draws it" % os.path.basename(ex),
           "%s\n%s" % (px.get("text"), ann))

    # -- gnuplot backend
    if not have_gp:
        for i in range(5):
            ok(True, "gnuplot # SKIP gnuplot not installed")
        return
    gout = os.path.join(tmp, "gp")
    rc, so, se = run([PLOT, "--gnuplot", "-o", gout, emu])
    ok(rc == 0, "gnuplot: plotting an emulated set exits 0", se)
    gd = os.path.join(gout, name, "gnuplot")
    for fig in GP_FIGS:
        for kind in ("png", "svg"):
            good, why = check_file(os.path.join(gd, "%s.%s" % (fig, kind)),
                                   kind)
            ok(good, "gnuplot: %s.%s exists, non-empty, valid %s header"
               % (fig, kind, kind.upper()), why)
    gsvgs = [os.path.join(gd, f + ".svg") for f in GP_FIGS]
    gsvgs = [p for p in gsvgs if os.path.isfile(p)]
    ok(gsvgs and all(WM in text(p) for p in gsvgs) and
       all(meta["kernel_release"] in text(p) and meta["cpu_model"] in
           text(p) for p in gsvgs),
       "gnuplot: every SVG carries the watermark, CPU model and kernel")
    t = os.path.join(gd, "tlb_crossover.svg")
    ok(os.path.isfile(t) and "crossover at N=%s pages" % primary(emu).get(
        "n") in text(t), "gnuplot: tlb.gp draws analysis.json's crossover")
    t = os.path.join(gd, "uaccess_methods.svg")
    ok(os.path.isfile(t) and ("vmap pays off after %d requests" % expect)
       in text(t),
       "gnuplot: uaccess.gp states analysis.json's break-even %d" % expect)
    si = gen(os.path.join(tmp, "sets-si"), "--kernel", "6.12.9-amd64",
             "--tlb-stand-in", "--crossover", "64", "--early-crossing", "8")
    rc, so, se = run([PLOT, "--gnuplot", "--term", "svg", "-o", gout, si])
    t = os.path.join(gout, os.path.basename(si), "gnuplot",
                     "tlb_crossover.svg")
    ok(rc == 0 and os.path.isfile(t) and
       "crossover at N=%s pages" % primary(si).get("n") in text(t) and
       "stand-in ipi_flush_range vs ipi_flush_all, targets 1-3" in text(t),
       "gnuplot: tlb.gp stand-in pair with analysis.json's statement", se)
    arm = gen(os.path.join(tmp, "sets-gp2"), "--arch", "aarch64",
              "--kernel", "6.12.9-arm64")
    rc, so, se = run([PLOT, "--gnuplot", "-o", gout, emu, arm])
    cds = [x for x in os.listdir(gout) if x.startswith("compare-")]
    cd = os.path.join(gout, cds[0], "gnuplot") if cds else gout
    good = [check_file(os.path.join(cd, "compare." + k), k)
            for k in ("png", "svg")]
    ok(rc == 0 and len(cds) == 1 and all(g[0] for g in good) and
       WM in text(os.path.join(cd, "compare.svg")) and
       "uaccess_copy" in text(os.path.join(cd, "compare.svg")) and
       "aarch64" in text(os.path.join(cd, "compare.svg")),
       "gnuplot: compare.gp cross-arch figure (PNG+SVG, watermark, arches)",
       "%s %s\n%s" % (cds, good, se))
    rc, so, se = run([PLOT, "--gnuplot", "--term", "svg", "-o", gout, nat])
    nd = os.path.join(gout, os.path.basename(nat), "gnuplot")
    ok(rc == 0 and os.path.isdir(nd) and
       not any(WM in text(os.path.join(nd, f)) for f in os.listdir(nd)),
       "gnuplot: native set has no watermark", se)
    dout = os.path.join(tmp, "dumb")
    rc, so, se = run([PLOT, "--term", "dumb", "-o", dout, emu])
    ok(rc == 0 and "TLB: range flush vs global flush" in so and WM in so
       and re.search(r"\+-{20,}\+", so) and not os.path.exists(dout),
       "--term dumb: text plots with the watermark on stdout, no files",
       se + so[-500:])
    bad = gen(os.path.join(tmp, "sets-bad"), "--kernel", "bad",
              "--omit-column", "net_ci95_hi")
    rc, so, se = run([PLOT, "--gnuplot", "-o", gout, bad])
    ok(rc == 1 and "bad result set" in se and "net_ci95_hi" in se,
       "gnuplot: a set missing a column fails, exit 1, naming it", se)
    # the .gp scripts also work by hand
    rc, so, se = run(["gnuplot", "-e", "file='%s'" % os.path.join(
        emu, "results.csv"), os.path.join(TOP, "scripts", "gnuplot",
                                          "tlb.gp")])
    ok(rc == 0 and "computes none" in so and "crossover at" not in so,
       "tlb.gp by hand (only file=): a text plot, no crossover computed",
       se)
    rc, so, se = run(["gnuplot", os.path.join(TOP, "scripts", "gnuplot",
                                              "cache.gp")])
    ok(rc != 0 and "file=" in so + se,
       "cache.gp without file= fails and says how to call it", so + se)


def analysis_tests(sets, out, have_gp):
    """scripts/plot draws analysis.json's statements, never its own."""
    a = gen(sets, "--arch", "x86_64", "--kernel", "analysis",
            "--crossover", "32")
    an = {"crossovers": [{
        "family": "tlb", "op": "flush_tlb_kernel_range",
        "global_op": "flush_tlb_all", "n": 64, "stable_from": 128,
        "threshold": 33, "path": "tlb_flush_ceiling",
        "text": "crossover from analysis.json: N = 64 (stable from 128)"}],
        "break_evens": [{"family": "uaccess", "op": "uaccess_vmap",
                         "vs": "uaccess_copy", "aux": 256,
                         "requests": 123.0, "lo": 100.0, "hi": 150.0,
                         "text": "break-even from analysis.json: 123"}],
        "verdicts": [{"op": "flush_dcache_page",
                      "verdict": "compiled_empty", "count": None,
                      "text": "compiled empty"}],
        "warnings": []}
    ap = os.path.join(a, "analysis.json")

    def put(obj):
        with open(ap, "w") as f:
            json.dump(obj, f)

    def plot_it(*extra):
        rc, so, se = run([PLOT, "--term", "png", "-o", out] + list(extra) +
                         [a])
        d = os.path.join(out, os.path.basename(a))
        try:
            der = json.load(open(os.path.join(d, "derived.json")))
        except (OSError, ValueError):
            der = {}
        return rc, se, d, der

    put(an)
    rc, se, d, der = plot_it()
    t = png_text(os.path.join(d, "tlb_crossover.png")).get(
        "ctb:annotations", "")
    ok(rc == 0 and "crossover: crossover from analysis.json: N = 64" in t
       and der.get("tlb", {}).get("crossover_pages") == 64 and
       der["tlb"].get("analysis_source") == "analysis.json",
       "analysis.json crossover N=64 (data say 32): the figure draws 64",
       "%s\n%s\n%s" % (t, der.get("tlb"), se))
    ok("no analysis.json" not in se,
       "with analysis.json: no fallback note on stderr", se)
    an["crossovers"][0].update(n=256, stable_from=None,
                               text="moved by the test: N = 256")
    put(an)
    rc, se, d, der = plot_it()
    t = png_text(os.path.join(d, "tlb_crossover.png")).get(
        "ctb:annotations", "")
    ok(rc == 0 and "crossover: moved by the test: N = 256" in t and
       der.get("tlb", {}).get("crossover_pages") == 256,
       "moving the crossover in analysis.json moves the figure's "
       "annotation (PNG tEXt ctb:annotations)", "%s\n%s" % (t, se))
    t = png_text(os.path.join(d, "uaccess_breakeven.png")).get(
        "ctb:annotations", "")
    be = (der.get("uaccess", {}).get("breakeven") or [{}])[0]
    ok("break-even: break-even from analysis.json: 123" in t and
       be.get("breakeven_requests") == 123.0,
       "uaccess_breakeven draws analysis.json's break-even", t)
    ok(der.get("cache", {}).get("compiled_empty_ops") ==
       ["flush_dcache_page"],
       "a compiled_empty verdict in analysis.json marks the op",
       der.get("cache"))
    if have_gp:
        rc, so, se = run([PLOT, "--gnuplot", "--term", "svg", "-o", out, a])
        g = os.path.join(out, os.path.basename(a), "gnuplot")
        ok(rc == 0 and "moved by the test: N = 256" in text(os.path.join(
            g, "tlb_crossover.svg")) and "break-even from analysis.json: "
           "123" in text(os.path.join(g, "uaccess_methods.svg")) and
           "fallback" not in se,
           "gnuplot: tlb.gp and uaccess.gp draw analysis.json's statements",
           se)
    else:
        ok(True, "gnuplot analysis.json # SKIP gnuplot not installed")
    bad = dict(an, verdicts=[{"op": "x", "verdict": "maybe"}])
    put(bad)
    rc, se, d, der = plot_it()
    ok(rc == 1 and "bad result set" in se and "analysis.json" in se and "maybe" in se,
       "a bad verdict in analysis.json: exit 1 naming file and value", se)
    shutil.rmtree(a)

    # op properties recorded in analysis.json (LIST_OPS at run time) are
    # kept by `ctbench analyze`: compiled_empty is a build fact
    p = gen(sets, "--arch", "x86_64", "--kernel", "props")
    o = an_of(p)
    o["ops"] = [{"op": "flush_kernel_vmap_range", "props": 16}]
    with open(os.path.join(p, "analysis.json"), "w") as f:
        json.dump(o, f)
    analyze(p)
    rc, so, se = run([PLOT, "--term", "svg", "-o", out, p])
    d = os.path.join(out, os.path.basename(p))
    try:
        der = json.load(open(os.path.join(d, "derived.json")))
    except (OSError, ValueError):
        der = {}
    ok(rc == 0 and der.get("cache", {}).get("compiled_empty_ops") ==
       ["flush_kernel_vmap_range"] and "compiled empty" in
       text(os.path.join(d, "cache_cost.svg")),
       "ctbench analyze keeps the op properties: compiled_empty op "
       "labelled compiled empty",
       "%s\n%s" % (der.get("cache"), se))
    shutil.rmtree(p)


def env_tests(sets, out, have_gp):
    """meta environment=virtualized: a VIRTUALIZED watermark, not the
    emulated one."""
    v = gen(sets, "--arch", "x86_64", "--native", "--kernel", "virt")
    mp = os.path.join(v, "meta.json")
    m = json.load(open(mp))
    m["environment"] = "virtualized"
    json.dump(m, open(mp, "w"))
    rc, so, se = run([PLOT, "--term", "svg", "-o", out, v])
    d = os.path.join(out, os.path.basename(v))
    svgs = [os.path.join(d, f) for f in os.listdir(d)
            if f.endswith(".svg")] if os.path.isdir(d) else []
    ok(rc == 0 and svgs and all("VIRTUALIZED" in text(x) and WM not in
                                text(x) for x in svgs),
       "environment=virtualized: every SVG has VIRTUALIZED, none EMULATED",
       se)
    if have_gp:
        rc, so, se = run([PLOT, "--gnuplot", "--term", "svg", "-o", out, v])
        g = os.path.join(d, "gnuplot")
        gs = [os.path.join(g, f) for f in os.listdir(g)] \
            if os.path.isdir(g) else []
        ok(rc == 0 and gs and all("VIRTUALIZED" in text(x) for x in gs),
           "gnuplot: environment=virtualized gives the VIRTUALIZED mark", se)
    else:
        ok(True, "gnuplot virtualized # SKIP gnuplot not installed")
    shutil.rmtree(v)


def progress_tests(sets, out):
    """[k/n] name  mm:ss elapsed, ~mm:ss left on a terminal only."""
    if not shutil.which("script"):
        ok(True, "progress on a pty # SKIP script(1) missing")
        return
    s = gen(sets, "--arch", "x86_64", "--kernel", "progress",
            "--families", "core,uaccess")
    cmd = " ".join("'%s'" % x for x in [PLOT, "--term", "png", "-o", out, s])
    p = subprocess.run(["script", "-qec", cmd + " >/dev/null", "/dev/null"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, stdin=subprocess.DEVNULL)
    o = p.stdout
    ok(p.returncode == 0 and
       re.search(r"\[1/10\] cache_cost\.png  00:\d\d elapsed", o) and
       re.search(r"\[10/10\] uaccess_breakeven\.png  00:\d\d elapsed, "
                 r"~00:\d\d left", o) and "[10/10] done" in o,
       "progress on a pty: [k/10] figure, elapsed and ~left",
       repr(o[-400:]))
    rc, so, se = run([PLOT, "--term", "png", "-o", out, s])
    ok(rc == 0 and "[1/10]" not in se and "elapsed" not in se,
       "progress absent when stderr is a pipe", se)
    shutil.rmtree(s)


if __name__ == "__main__":
    sys.exit(main())
