# SPDX-License-Identifier: GPL-2.0
"""The one boundary for computed statements: crossovers, break-evens,
verdicts and warnings.  Figures (matplotlib and gnuplot) only draw what
`load(rs)` returns; nothing in ctbplot or scripts/gnuplot/*.gp computes a
crossover, a break-even or a verdict.

Source: <set>/analysis.json, written by ctbench with every result set and
by `ctbench analyze DIR` (docs/results.md, "analysis.json").  The keys read
here (unknown keys are ignored, missing optional keys are None):

  crossovers[]: family, curve ("direct" | "stand-in" | "kernel-path" |
      "none"), op, global_op?, control_op?, targets?, path, resolvable,
      primary (the set's one TLB crossover statement), n?, first_n?,
      stable_from?, crossover_pages? (kernel path N*), threshold?,
      threshold_source?, text
  break_evens[]: family, op, vs, aux, opflags, setup_ns?, op_ns?, vs_ns?,
      requests?, lo?, hi?, text
  verdicts[]: op, family, verdict ("compiled_empty" | "below_floor" |
      "costs" | "not_resolvable"), floor_ns?, text (one per op: the same
      verdict for every row of the op)
  warnings[]: name, family, op?, text

Without analysis.json no statement is drawn and stderr says so once per
set (`ctbench analyze DIR` writes it for an old set).
"""

import json
import os

from .common import (InputError, note)

ANALYSIS_FILE = "analysis.json"
VERDICTS = ("compiled_empty", "below_floor", "costs", "not_resolvable")


class Analysis:
    """Crossovers, break-evens, verdicts and warnings of one set.
    source is "analysis.json" or "none" (no file: nothing drawn)."""

    def __init__(self, source, crossovers, break_evens, verdicts, warnings):
        self.source = source
        self.crossovers = crossovers
        self.break_evens = break_evens
        self.verdicts = verdicts
        self.warnings = warnings

    def crossover(self, family="tlb", with_global=False):
        """The set's crossover statement (the "primary" entry); with
        with_global, the first curve against a global flush instead (the
        cross-arch overlay divides by it)."""
        cs = [c for c in self.crossovers if c.get("family") == family]
        if with_global:
            cs = [c for c in cs if c.get("global_op")]
            return cs[0] if cs else None
        for c in cs:
            if c.get("primary"):
                return c
        return cs[0] if cs else None

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
    """Parse and check an analysis.json (schema above); a bad file
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
        for k in ("n", "first_n", "stable_from", "matched_n", "global_aux",
                  "threshold"):
            e[k] = _opt_num(c, w, k, integer=True)
        e.setdefault("global_op", None)
        e.setdefault("control_op", None)
        e.setdefault("curve", None)
        e.setdefault("threshold_source", None)
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
        note("%s: no %s: no crossover, break-even or verdict drawn "
             "(`ctbench analyze %s` writes it)" % (rs.name, ANALYSIS_FILE,
                                                    rs.dir))
        an = Analysis("none", [], [], [], [])
    for r in rs.rows:
        r["_verdict"] = an.verdict(r)
    rs.analysis = an
    return an


def source_text(an):
    """Where a figure's statements come from, for a small note on it."""
    return ("statements from analysis.json" if an.source == ANALYSIS_FILE
            else "no analysis.json: no statements drawn")


def breakeven_text(b):
    """The break-even statement, as analysis.json words it."""
    return b.get("text") or "no break-even statement"


def crossover_text(c):
    """The crossover statement, as analysis.json words it."""
    return c.get("text") or "no crossover statement"
