# SPDX-License-Identifier: GPL-2.0
"""Result-set input (docs/results.md), errors, row helpers."""

import csv
import json
import math
import os
import re
import sys


WATERMARK = "EMULATED (QEMU TCG)"
WATERMARK_VIRT = "VIRTUALIZED"


EXIT_BACKEND = 1


EXIT_INPUT = 1


EXIT_USAGE = 2


# Columns this script reads (docs/results.md lists them all).
REQUIRED_COLUMNS = [
    "op", "family", "count", "aux", "state", "opflags", "targets",
    "median", "ci95_lo", "ci95_hi", "baseline_median", "net_median",
    "net_ci95_lo", "net_ci95_hi", "per_unit", "per_unit_name", "noop",
    "emulated",
]


NUMERIC_COLUMNS = [
    "count", "aux", "median", "ci95_lo", "ci95_hi", "baseline_median",
    "net_median", "net_ci95_lo", "net_ci95_hi", "per_unit", "emulated",
]


REQUIRED_META = ["arch", "cpu_model", "kernel_release", "date", "emulated"]


UACCESS_METHODS = ["uaccess_copy", "uaccess_getput", "uaccess_unsafe",
                   "uaccess_vmap", "uaccess_kmap"]


# Cache APIs called once per page (N calls cover N pages).
PER_PAGE_APIS = {"flush_dcache_page", "flush_cache_page"}


STATE_STYLE = {"dirty": "-", "clean": "--", "uncached": ":", "any": "-."}


STATE_ORDER = ["dirty", "clean", "uncached", "any"]


# The package lives in scripts/ctbplot/ of the repository (or, installed,
# in a directory that also holds gnuplot/): TOP is the repository top.
PKG_DIR = os.path.dirname(os.path.realpath(__file__))
TOP = os.path.dirname(os.path.dirname(PKG_DIR))


class InputError(Exception):
    """A result set does not follow docs/results.md: "bad result set"
    (exit 1, as for every ctbench command that reads a set)."""


class UsageError(Exception):
    """The arguments cannot work together (exit 2)."""


class BackendError(Exception):
    """matplotlib or gnuplot failed (exit 1)."""


def note(msg):
    from .progress import clear_line
    clear_line()
    print("plot: " + msg, file=sys.stderr)


def finite(x):
    return isinstance(x, float) and math.isfinite(x)


def parse_bool(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return v != 0
    s = str(v).strip().lower()
    if s in ("true", "1", "yes"):
        return True
    if s in ("false", "0", "no", ""):
        return False
    return None


class ResultSet:
    def __init__(self, path):
        self.dir = os.path.normpath(path)
        self.name = os.path.basename(os.path.abspath(self.dir))
        self.meta = self._read_meta()
        self.columns, self.rows = self._read_csv()
        self.analysis = None    # analysis.load() fills it
        self.emulated = parse_bool(self.meta["emulated"])
        if self.emulated is None:
            raise InputError("%s: meta.json: emulated is %r, expected "
                             "true or false"
                             % (self.dir, self.meta["emulated"]))
        if not self.emulated and any(r["emulated"] == 1 for r in self.rows):
            note("%s: meta says native but rows say emulated=1; "
                 "treating the set as emulated" % self.dir)
            self.emulated = True

    def _read_meta(self):
        p = os.path.join(self.dir, "meta.json")
        try:
            with open(p) as f:
                meta = json.load(f)
        except FileNotFoundError:
            raise InputError("%s: not a result set: meta.json missing"
                             % self.dir)
        except (OSError, ValueError) as e:
            raise InputError("%s: %s" % (p, e))
        if not isinstance(meta, dict):
            raise InputError("%s: expected a JSON object" % p)
        for k in REQUIRED_META:
            if k not in meta:
                raise InputError("%s: missing key '%s'" % (p, k))
        return meta

    def _read_csv(self):
        p = os.path.join(self.dir, "results.csv")
        try:
            with open(p, newline="") as f:
                rd = csv.reader(f)
                header = next(rd, None)
                if header is None:
                    raise InputError("%s: empty file (no header line)" % p)
                header = [h.strip() for h in header]
                for c in REQUIRED_COLUMNS:
                    if c not in header:
                        raise InputError("%s: missing column '%s'" % (p, c))
                rows = []
                for lineno, rec in enumerate(rd, start=2):
                    if not rec:
                        continue
                    if len(rec) != len(header):
                        raise InputError(
                            "%s:%d: %d fields, header has %d"
                            % (p, lineno, len(rec), len(header)))
                    rows.append(self._convert(dict(zip(header, rec)),
                                              p, lineno))
        except FileNotFoundError:
            raise InputError("%s: not a result set: results.csv missing"
                             % self.dir)
        except OSError as e:
            raise InputError("%s: %s" % (p, e))
        return header, rows

    @staticmethod
    def _convert(r, p, lineno):
        for c in NUMERIC_COLUMNS:
            v = r[c].strip()
            if v == "":
                r[c] = float("nan")
                continue
            try:
                r[c] = float(v)
            except ValueError:
                raise InputError("%s:%d: column '%s': %r is not a number"
                                 % (p, lineno, c, v))
        r["count"] = int(r["count"]) if finite(r["count"]) else 0
        r["aux"] = int(r["aux"]) if finite(r["aux"]) else 0
        r["emulated"] = int(r["emulated"]) if finite(r["emulated"]) else 0
        return r

    @property
    def environment(self):
        """bare-metal, virtualized or emulated: meta "environment" when
        the writer gives it, else from the emulated bool."""
        env = str(self.meta.get("environment", "")).strip().lower()
        if self.emulated:
            return "emulated"
        if env in ("bare-metal", "virtualized", "emulated"):
            return env
        return "bare-metal"

    # --- descriptive text ------------------------------------------------
    def m(self, key, default="unknown"):
        v = self.meta.get(key, default)
        return default if v in (None, "") else str(v)

    def short(self):
        # "board" (ctbench import-lava: the LAVA board/device) tells
        # several boards of one arch and kernel apart in a figure.
        b = self.meta.get("board")
        return "%s %s%s" % (self.m("arch"), self.m("kernel_release"),
                            " [%s]" % b if b else "")

    def footer(self):
        emu = self.m("emulation", "qemu-tcg" if self.emulated else "native")
        return "%s | %s | kernel %s | %s | %s | %s" % (
            self.m("arch"), self.m("cpu_model"), self.m("kernel_release"),
            self.m("date"), emu, self.name)

    def ceiling(self):
        v = self.meta.get("tlb_flush_ceiling")
        try:
            c = int(float(v))
        except (TypeError, ValueError):
            c = 0
        return c, self.m("ceiling_source", "unknown")

    def family(self, fam):
        return [r for r in self.rows if r["family"] == fam]


def unit_cost(r):
    """Net cost of one row in its natural unit: (value, lo, hi, unit)."""
    net, pu, name = r["net_median"], r["per_unit"], r["per_unit_name"]
    d = None
    if name != "-" and finite(pu) and pu != 0 and finite(net) and net != 0:
        d = net / pu
    elif name in ("ns/page", "ns/line", "ns/request") and r["count"] > 0:
        d = float(r["count"])
    if d is None or not finite(d) or d <= 0:
        d, name = 1.0, ("ns/iter" if name == "-" else name)
    return (net / d, r["net_ci95_lo"] / d, r["net_ci95_hi"] / d, name)


def pick_variant(rows, key="opflags", prefer=("-",)):
    """Rows of the preferred value of `key` (first in prefer, else the most
    common value)."""
    vals = [r[key] for r in rows]
    for p in prefer:
        if p in vals:
            return [r for r in rows if r[key] == p]
    if not vals:
        return []
    best = max(sorted(set(vals)), key=vals.count)
    return [r for r in rows if r[key] == best]


def by_count(rows):
    """One row per count (the first), sorted by count."""
    seen = {}
    for r in rows:
        seen.setdefault(r["count"], r)
    return [seen[k] for k in sorted(seen)]


def preferred_state(rows):
    states = {r["state"] for r in rows}
    for s in STATE_ORDER:
        if s in states:
            return s
    return sorted(states)[0] if states else None


def ops_in(rows):
    out = []
    for r in rows:
        if r["op"] not in out:
            out.append(r["op"])
    return out


def count_cpus(targets):
    """Number of CPUs in a list like 0-3,6; 0 for '-' or garbage."""
    n = 0
    for part in targets.split(","):
        m = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", part)
        if not m:
            return 0
        lo = int(m.group(1))
        hi = int(m.group(2)) if m.group(2) else lo
        n += max(0, hi - lo + 1)
    return n


TLB_MAIN = ("flush_tlb_kernel_range", "flush_tlb_all")


def is_remote(r):
    return r["targets"] != "-" or r["op"].startswith("ipi_")


def write_json(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(obj, f, indent=1, sort_keys=True)
        f.write("\n")
    os.replace(tmp, path)


def is_noop(r):
    """True when the row's cost is nothing: the analysis says compiled
    empty or below the noise floor (analysis.attach sets _verdict), or, in
    a set without analysis.json, the row's own noop=yes / props."""
    return (r.get("_verdict") in ("compiled_empty", "below_floor") or
            r.get("below_floor") in (1, "1", True))


def compiled_empty(r):
    return r.get("_verdict") == "compiled_empty"


class TlbCurves:
    """The rows a TLB crossover figure draws (selection only, nothing is
    computed here): flush_tlb_kernel_range against flush_tlb_all, or, when
    the set has no flush_tlb_kernel_range rows (x86 6.12 seals it, riscv
    6.1 cannot link it), the stand-ins ipi_flush_range / ipi_flush_all
    measured with the same (largest) target list.  range_op / global_op
    may be imposed by analysis.json.  Several global rows with different
    aux = the suite's "matched" rows (global flush after touching aux
    pages); the plain one has aux 16, the module's default range."""

    def __init__(self, rs, range_op=None, global_op=None, targets=None):
        self.range_op = range_op or "flush_tlb_kernel_range"
        self.global_op = global_op or "flush_tlb_all"
        self.targets = targets
        sel = [r for r in rs.rows if r["op"] == self.range_op and
               (targets is None or r["targets"] == targets)]
        self.rng = by_count(pick_variant(sel))
        glob = pick_variant([r for r in rs.rows
                             if r["op"] == self.global_op and
                             (targets is None or r["targets"] == targets)])
        if not self.rng and range_op is None:
            self._stand_in(rs)
            glob = [r for r in pick_variant(
                [r for r in rs.rows if r["op"] == self.global_op])
                if r["targets"] == self.targets] if self.rng else []
        self.matched = {}
        if len({r["aux"] for r in glob}) > 1:
            for r in glob:
                self.matched.setdefault(r["aux"], r)
            glob = [self.matched[16]] if 16 in self.matched else glob
        self.glob = glob[0] if glob else None

    def _stand_in(self, rs):
        rr = [r for r in rs.rows if r["op"] == "ipi_flush_range"]
        ga = {r["targets"] for r in rs.rows if r["op"] == "ipi_flush_all"}
        tg = sorted({r["targets"] for r in rr} & ga,
                    key=lambda t: (count_cpus(t), t))
        if not tg:
            return
        self.range_op, self.global_op, self.targets = (
            "ipi_flush_range", "ipi_flush_all", tg[-1])
        self.rng = by_count(pick_variant(
            [r for r in rr if r["targets"] == tg[-1]]))

    def what(self):
        if self.targets is None or self.range_op == "flush_tlb_kernel_range":
            return "%s vs %s" % (self.range_op, self.global_op)
        return ("stand-in %s vs %s, targets %s (flush_tlb_kernel_range "
                "not in this set)" % (self.range_op, self.global_op,
                                      self.targets))
