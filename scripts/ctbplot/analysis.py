# SPDX-License-Identifier: GPL-2.0
"""The one boundary for computed statements (crossover, break-even,
verdicts)."""


from .common import (by_count, count_cpus, finite, pick_variant, unit_cost)


class Crossover:
    """TLB range flush vs global flush of one set.

    Uses flush_tlb_kernel_range / flush_tlb_all; when the set has no
    flush_tlb_kernel_range rows (x86 6.12 seals it, riscv 6.1 cannot link
    it) the honest stand-ins ipi_flush_range / ipi_flush_all measured with
    the same (largest) target list.  cross = first N (increasing) whose
    range net median >= the global one; stable = first N from which every
    larger N is >= global (TCG noise makes the first crossing jump)."""

    def __init__(self, rs):
        self.range_op, self.global_op, self.targets = (
            "flush_tlb_kernel_range", "flush_tlb_all", None)
        self.rng = by_count(pick_variant(
            [r for r in rs.rows if r["op"] == self.range_op]))
        glob = pick_variant([r for r in rs.rows
                             if r["op"] == self.global_op])
        if not self.rng:
            self._stand_in(rs)
            glob = [r for r in pick_variant(
                [r for r in rs.rows if r["op"] == self.global_op])
                if r["targets"] == self.targets] if self.rng else []
        # several aux values = the suite's "matched" global rows (global
        # flush after touching aux pages); the plain one has aux 16, the
        # module's default range
        self.matched = {}
        if len({r["aux"] for r in glob}) > 1:
            for r in glob:
                self.matched.setdefault(r["aux"], r)
            glob = [self.matched[16]] if 16 in self.matched else glob
        self.glob = glob[0] if glob else None
        self.cross = self.stable = self.matched_cross = None
        for r in self.rng:
            m = self.matched.get(r["count"])
            if m is not None and finite(r["net_median"]) and \
                    finite(m["net_median"]) and \
                    r["net_median"] >= m["net_median"]:
                self.matched_cross = r["count"]
                break
        if self.glob is None or not finite(self.glob["net_median"]):
            return
        g = self.glob["net_median"]
        above = [finite(r["net_median"]) and r["net_median"] >= g
                 for r in self.rng]
        for r, a in zip(self.rng, above):
            if a:
                self.cross = r["count"]
                break
        for i in range(len(above)):
            if all(above[i:]):
                self.stable = self.rng[i]["count"]
                break

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
        if self.targets is None:
            return "%s vs %s" % (self.range_op, self.global_op)
        return ("stand-in %s vs %s, targets %s (flush_tlb_kernel_range "
                "not in this set)" % (self.range_op, self.global_op,
                                      self.targets))

    def text(self):
        if self.glob is None:
            return "%s not in this set: no crossover" % self.global_op
        if self.cross is None:
            return "no crossover within N = %d..%d" % (
                self.rng[0]["count"], self.rng[-1]["count"])
        t = "measured crossover: N = %d pages" % self.cross
        if self.stable is not None and self.stable != self.cross:
            t += " (stable from N = %d)" % self.stable
        elif self.stable is None:
            t += " (not stable: larger N fall below again)"
        return t


def uaccess_breakeven(rs):
    """List of dicts per ring size aux: setup, copy, vmap costs and the
    number of requests after which vmap (setup + n * vmap) beats copy."""
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
        e = {"aux": aux, "setup_ns": s["net_median"],
             "copy_ns_per_request": c[0], "vmap_ns_per_request": v[0],
             "breakeven_requests": None, "breakeven_lo": None,
             "breakeven_hi": None}
        if diff > 0 and finite(s["net_median"]):
            e["breakeven_requests"] = s["net_median"] / diff
            dlo = c[1] - v[2]   # smallest plausible saving per request
            dhi = c[2] - v[1]
            e["breakeven_lo"] = s["net_ci95_lo"] / dhi if dhi > 0 else None
            e["breakeven_hi"] = s["net_ci95_hi"] / dlo if dlo > 0 else None
        out.append(e)
    return out
