# SPDX-License-Identifier: GPL-2.0
"""The one boundary for computed statements: crossovers, break-evens,
verdicts and warnings.  Figures (matplotlib and gnuplot) only draw what
`load(rs)` returns; nothing else in ctbplot or scripts/gnuplot/*.gp
decides a crossover, a break-even or a verdict when scripts/plot runs them.

Source: <set>/analysis.json, written by ctbench (issue 18: computed once in
the driver).  Draft schema read here (docs/results.md, "analysis.json
(draft)"); unknown keys are ignored, missing optional keys are None:

  {
    "crossovers": [{
        "family": "tlb",                    # required
        "op": "flush_tlb_kernel_range",     # the range op (required)
        "global_op": "flush_tlb_all",       # what it is compared with
        "targets": "1-3" | null,            # target list of a remote pair
        "n": 32 | null,                     # first N range >= global
        "stable_from": 256 | null,          # every larger N stays >=
        "matched_n": 64 | null,             # crossover vs matched rows
        "global_aux": 16 | null,            # which global row is the line
        "threshold": 33 | null,             # kernel's range->full ceiling
        "path": "tlb_flush_ceiling" | ...,  # where threshold comes from
        "text": "crossover at N=32 ..."     # the statement, drawn verbatim
    }],
    "break_evens": [{
        "family": "uaccess", "op": "uaccess_vmap", "vs": "uaccess_copy",
        "aux": 256,                         # ring size
        "setup_ns": 1234.0, "op_ns": 1.0, "vs_ns": 3.0,  # per request
        "requests": 617.0 | null, "lo": 500.0 | null, "hi": 800.0 | null,
        "text": "vmap pays off after 617 requests ..."
    }],
    "verdicts": [{
        "op": "flush_dcache_page",
        "verdict": "compiled_empty" | "below_floor" | "costs",
        "count": 64 | null,                 # null = every row of the op
        "state"/"opflags"/"aux"/"targets": optional, narrow it further
        "text": "compiled empty"
    }],
    "warnings": [{"name": "range_above_global", "op": ..., "text": ...}]
  }

Without analysis.json the same structure is computed here from the rows
(the pre-analysis logic, `_fallback`), and stderr says so once per set.
"""

import json
import os

from .common import (InputError, TlbCurves, finite, note, unit_cost)

ANALYSIS_FILE = "analysis.json"
VERDICTS = ("compiled_empty", "below_floor", "costs")


class Analysis:
    """Crossovers, break-evens, verdicts and warnings of one set.
    source is "analysis.json" or "fallback"."""

    def __init__(self, source, crossovers, break_evens, verdicts, warnings):
        self.source = source
        self.crossovers = crossovers
        self.break_evens = break_evens
        self.verdicts = verdicts
        self.warnings = warnings

    def crossover(self, family="tlb"):
        for c in self.crossovers:
            if c.get("family") == family:
                return c
        return None

    def break_even(self, family="uaccess"):
        return [b for b in self.break_evens if b.get("family") == family]

    def verdict(self, r):
        """Verdict of one row: the op's row-specific verdict, else the
        op-wide one, else None (unknown)."""
        best = None
        for v in self.verdicts:
            if v["op"] != r["op"] or any(
                    v.get(k) is not None and v[k] != r[k]
                    for k in ("state", "opflags", "aux", "targets")):
                continue
            if v.get("count") is None:
                best = best or v["verdict"]
            elif v["count"] == r["count"]:
                return v["verdict"]
        return best


def _opt_num(x, where, key, integer=False):
    v = x.get(key)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise InputError("%s: %s is %r, expected a number or null"
                         % (where, key, v))
    return int(v) if integer else float(v)


def _list(obj, key, p):
    v = obj.get(key, [])
    if not isinstance(v, list) or not all(isinstance(e, dict) for e in v):
        raise InputError("%s: '%s' must be a list of objects" % (p, key))
    return v


def read(path):
    """Parse and check an analysis.json (draft schema above); a bad file
    is an InputError naming the file, the key and what was expected."""
    try:
        with open(path) as f:
            obj = json.load(f)
    except (OSError, ValueError) as e:
        raise InputError("%s: %s" % (path, e))
    if not isinstance(obj, dict):
        raise InputError("%s: expected a JSON object" % path)
    cross = []
    for i, c in enumerate(_list(obj, "crossovers", path)):
        w = "%s: crossovers[%d]" % (path, i)
        for k in ("family", "op"):
            if not isinstance(c.get(k), str):
                raise InputError("%s: '%s' missing or not a string" % (w, k))
        e = dict(c)
        for k in ("n", "stable_from", "matched_n", "global_aux",
                  "threshold"):
            e[k] = _opt_num(c, w, k, integer=True)
        e.setdefault("global_op", None)
        e.setdefault("targets", None)
        e.setdefault("path", None)
        e.setdefault("text", None)
        cross.append(e)
    bes = []
    for i, b in enumerate(_list(obj, "break_evens", path)):
        w = "%s: break_evens[%d]" % (path, i)
        e = dict(b)
        e.setdefault("family", "uaccess")
        e["aux"] = _opt_num(b, w, "aux", integer=True)
        for k in ("setup_ns", "op_ns", "vs_ns", "requests", "lo", "hi"):
            e[k] = _opt_num(b, w, k)
        e.setdefault("text", None)
        bes.append(e)
    ver = []
    for i, v in enumerate(_list(obj, "verdicts", path)):
        w = "%s: verdicts[%d]" % (path, i)
        if not isinstance(v.get("op"), str):
            raise InputError("%s: 'op' missing or not a string" % w)
        if v.get("verdict") not in VERDICTS:
            raise InputError("%s: verdict %r is not one of %s"
                             % (w, v.get("verdict"), ", ".join(VERDICTS)))
        e = dict(v)
        e["count"] = _opt_num(v, w, "count", integer=True)
        e["aux"] = _opt_num(v, w, "aux", integer=True)
        ver.append(e)
    warns = _list(obj, "warnings", path)
    return Analysis(ANALYSIS_FILE, cross, bes, ver, warns)


def load(rs):
    """The analysis of a set (cached on it), with each row's verdict
    attached as r["_verdict"] for the figures."""
    if getattr(rs, "analysis", None) is not None:
        return rs.analysis
    p = os.path.join(rs.dir, ANALYSIS_FILE)
    if os.path.isfile(p):
        an = read(p)
    else:
        note("%s: no %s; computing crossover, break-even and no-op "
             "verdicts here (fallback until ctbench writes it)"
             % (rs.name, ANALYSIS_FILE))
        an = _fallback(rs)
    for r in rs.rows:
        r["_verdict"] = an.verdict(r)
    rs.analysis = an
    return an


# ------------------------------------------------------------ fallback --
# Today's computation, used only for a set without analysis.json.

def _fallback(rs):
    return Analysis("fallback", [c for c in [_crossover(rs)] if c],
                    _breakevens(rs), _verdicts(rs), [])


def _verdicts(rs):
    """compiled_empty from the row's props (LIST_OPS properties) when the
    set has that column; else the writer's noop=yes guess, kept apart as
    "noop" (not a fact from the build)."""
    out = []
    for r in rs.rows:
        props = r.get("props", "") or ""
        if "compiled_empty" in props.replace("|", " ").replace(",", " ") \
                .split():
            v = "compiled_empty"
        elif r["noop"] == "yes":
            v = "noop"
        else:
            continue
        out.append({"op": r["op"], "verdict": v, "count": r["count"],
                    "state": r["state"], "opflags": r["opflags"],
                    "aux": r["aux"], "targets": r["targets"],
                    "text": v.replace("_", " ")})
    return out


def _crossover(rs):
    """cross = first N (increasing) whose range net median >= the global
    one; stable = first N from which every larger N is >= global (TCG
    noise makes the first crossing jump)."""
    c = TlbCurves(rs)
    if not c.rng and c.glob is None:
        return None
    ceil, src = rs.ceiling()
    e = {"family": "tlb", "op": c.range_op, "global_op": c.global_op,
         "targets": c.targets, "n": None, "stable_from": None,
         "matched_n": None,
         "global_aux": c.glob["aux"] if c.glob else None,
         "threshold": ceil or None, "path": src, "text": None}
    for r in c.rng:
        m = c.matched.get(r["count"])
        if m is not None and finite(r["net_median"]) and \
                finite(m["net_median"]) and \
                r["net_median"] >= m["net_median"]:
            e["matched_n"] = r["count"]
            break
    if c.glob is None or not finite(c.glob["net_median"]):
        e["text"] = "%s not in this set: no crossover" % c.global_op
        return e
    g = c.glob["net_median"]
    above = [finite(r["net_median"]) and r["net_median"] >= g
             for r in c.rng]
    for r, a in zip(c.rng, above):
        if a:
            e["n"] = r["count"]
            break
    for i in range(len(above)):
        if all(above[i:]):
            e["stable_from"] = c.rng[i]["count"]
            break
    if e["n"] is None:
        e["text"] = "no crossover within N = %d..%d" % (
            c.rng[0]["count"], c.rng[-1]["count"]) if c.rng else \
            "no %s rows: no crossover" % c.range_op
        return e
    t = "measured crossover: N = %d pages" % e["n"]
    if e["stable_from"] is not None and e["stable_from"] != e["n"]:
        t += " (stable from N = %d)" % e["stable_from"]
    elif e["stable_from"] is None:
        t += " (not stable: larger N fall below again)"
    e["text"] = t
    return e


def _breakevens(rs):
    """Per ring size aux: the number of requests after which vmap (setup
    + n * vmap) beats copy, with the CI from the rows' CIs."""
    u = [r for r in rs.family("uaccess") if r["opflags"] == "-"]
    out = []
    for aux in sorted({r["aux"] for r in u}):
        get = {}
        for op in ("uaccess_setup", "uaccess_copy", "uaccess_vmap"):
            c = [r for r in u if r["op"] == op and r["aux"] == aux]
            if c:
                get[op] = c[0]
        if len(get) < 3:
            continue
        s = get["uaccess_setup"]
        c = unit_cost(get["uaccess_copy"])
        v = unit_cost(get["uaccess_vmap"])
        diff = c[0] - v[0]
        e = {"family": "uaccess", "op": "uaccess_vmap",
             "vs": "uaccess_copy", "aux": aux, "setup_ns": s["net_median"],
             "vs_ns": c[0], "op_ns": v[0], "requests": None, "lo": None,
             "hi": None, "text": None}
        if diff > 0 and finite(s["net_median"]):
            e["requests"] = s["net_median"] / diff
            dlo = c[1] - v[2]   # smallest plausible saving per request
            dhi = c[2] - v[1]
            e["lo"] = s["net_ci95_lo"] / dhi if dhi > 0 else None
            e["hi"] = s["net_ci95_hi"] / dlo if dlo > 0 else None
        out.append(e)
    return out


def source_text(an):
    """Where a figure's statements come from, for a small note on it."""
    return ("statements from analysis.json" if an.source == ANALYSIS_FILE
            else "statements computed by scripts/plot (no analysis.json)")


def breakeven_text(b):
    """The break-even statement: analysis.json's text when given."""
    if b.get("text"):
        return b["text"]
    if b.get("requests") is None:
        return ("no break-even: vmap is not cheaper per request than copy "
                "here")
    rng = ""
    if b.get("lo") and b.get("hi"):
        rng = " (95%% CI %.3g..%.3g)" % (b["lo"], b["hi"])
    elif b.get("lo"):
        rng = " (95%% CI %.3g..unbounded)" % b["lo"]
    return "break-even: %.3g requests%s" % (b["requests"], rng)


def crossover_text(c):
    if c.get("text"):
        return c["text"]
    if c.get("n") is None:
        return "no crossover"
    return "crossover: N = %d pages" % c["n"]


