# SPDX-License-Identifier: GPL-2.0
"""Comparison of several result sets (compare.png)."""

import hashlib
import os
import re

from .common import (compiled_empty, count_cpus, finite, is_noop, note, ops_in,
                     pick_variant, preferred_state, unit_cost, write_json)
from .analysis import (load)
from .crossarch import (plot_tlb_overlay)
from .render import (bars, colors, decorate, mpl, save)


def reference(rs, norm):
    """(value ns, description) each set is normalised by, or None."""
    if norm == "none":
        return 1.0, "ns"
    if norm == "copy":
        c = pick_variant([r for r in rs.rows if r["op"] == "uaccess_copy"])
        if c:
            v = unit_cost(c[0])[0]
            if finite(v) and v > 0:
                return v, "uaccess_copy requests"
        return None
    b = [r["baseline_median"] for r in rs.rows
         if finite(r["baseline_median"])]
    if not b:
        return None
    b.sort()
    v = b[len(b) // 2]
    return (v, "empty-op (nop) iterations") if v > 0 else None


def representative(sets, fam):
    """Quantities to compare: for each op measured in at least two sets,
    the preferred variant (opflags '-', state dirty/any...) at every N
    present in every set that has the op.  Returns ([(label,
    {set index: row})], [ops measured on one set only])."""
    out = []
    single = []
    ops = []
    for s in sets:
        for op in ops_in(s.family(fam)):
            if op not in ops:
                ops.append(op)
    for op in ops:
        per = {}
        for i, s in enumerate(sets):
            rows = [r for r in s.family(fam) if r["op"] == op]
            if not rows:
                continue
            rows = pick_variant(rows)
            st = preferred_state(rows)
            rows = [r for r in rows if r["state"] == st]
            per[i] = rows
        if not per:
            continue
        if len(per) < min(2, len(sets)):
            single.append("%s (%s)" % (op, sets[list(per)[0]].m("arch")))
            continue
        common = None
        for rows in per.values():
            keys = {(r["count"], r["aux"], count_cpus(r["targets"]))
                    for r in rows}
            common = keys if common is None else common & keys
        if not common:
            # sets disagree on parameters: compare each set's first row
            out.append((op, {i: rows[0] for i, rows in per.items()}))
            continue
        # every N measured on all the sets that have the op (issue 18:
        # not only the smallest and the largest)
        ks = sorted(common)
        picks = ks
        aux_varies = len({k[1] for k in ks}) > 1
        for k in picks:
            lab = op
            if k[0]:
                lab += "\nN=%d" % k[0]
            if aux_varies:
                lab += "\nM=%d" % k[1]
            if k[2]:
                lab += "\n%d target%s" % (k[2], "" if k[2] == 1 else "s")
            m = {}
            for i, rows in per.items():
                c = [r for r in rows if (r["count"], r["aux"],
                                         count_cpus(r["targets"])) == k]
                m[i] = c[0]
            out.append((lab, m))
    return out, single


def compare_dir_name(sets):
    labels = []
    for s in sets:
        lab = re.sub(r"[^A-Za-z0-9._-]+", "_", s.short().replace(" ", "-"))
        base, k = lab, 2
        while lab in labels:
            lab = "%s.%d" % (base, k)
            k += 1
        labels.append(lab)
    name = "compare-" + "+".join(labels)
    if len(name) > 150:
        h = hashlib.sha1("\n".join(s.name for s in sets).encode())
        name = name[:130] + "-" + h.hexdigest()[:10]
    return name


def compare_setup(sets, norm):
    """(norm, sets, refs) after choosing the normalisation and dropping
    sets without a reference; None when fewer than two remain."""
    if norm == "auto":
        # Native sets: one uaccess_copy request is a cost every kernel
        # developer knows.  Under emulation it is not a neutral yardstick
        # (QEMU TCG riscv flushes its soft TLB on every SUM toggle, making
        # copy_from_user ~1000x dearer there), so emulated sets are
        # normalised to the empty op (engine loop + indirect call).
        if any(s.emulated for s in sets):
            norm = "nop"
        elif all(reference(s, "copy") for s in sets):
            norm = "copy"
        else:
            norm = "nop"
            note("compare: not every set has uaccess_copy; normalising to "
                 "the empty-op baseline instead")
    refs = [reference(s, norm) for s in sets]
    keep = [i for i, r in enumerate(refs) if r is not None]
    for i, r in enumerate(refs):
        if r is None:
            note("compare: %s has no %s reference; left out of the "
                 "comparison" % (sets[i].name, norm))
    if len(keep) < 2:
        note("compare: fewer than two comparable sets; no comparison")
        return None
    return norm, [sets[i] for i in keep], [refs[i] for i in keep]


def compare_title(sets):
    """Same-arch (kernels, machines) or cross-arch, as the sets are."""
    arches = sorted({s.m("arch") for s in sets})
    if len(arches) == 1:
        kern = sorted({s.m("kernel_release") for s in sets})
        return "Same-arch comparison (%s%s)" % (
            arches[0], ": kernels " + " vs ".join(kern)
            if len(kern) > 1 else "")
    return "Cross-arch comparison (%s)" % ", ".join(arches)


COMPARE_WHAT = {
    "copy": "normalised to each arch's uaccess_copy cost per request",
    "nop": "normalised to each set's empty-op (nop) baseline",
    "none": "absolute ns (not normalised)"}


def plot_compare_mpl(sets, plotdir, terms, norm):
    plt = mpl()
    cs = compare_setup(sets, norm)
    if cs is None:
        return None
    norm, sets, refs = cs
    fams = [f for f in ("cache", "tlb", "uaccess")
            if any(s.family(f) for s in sets)]
    if not fams:
        note("compare: no cache, tlb or uaccess rows in any set")
        return None
    name = compare_dir_name(sets)
    outdir = os.path.join(plotdir, name)
    qs, singles = {}, {}
    for fam in fams:
        qs[fam], singles[fam] = representative(sets, fam)
    fams = [f for f in fams if qs[f]]
    if not fams:
        note("compare: no op was measured on two of the sets")
        return None
    for s in sets:
        load(s)     # verdicts (compiled empty / below floor) of each row
    nq = max(len(q) for q in qs.values())
    width = max(12, 2.5 + 0.36 * nq)
    fig, axes = plt.subplots(len(fams), 1,
                             figsize=(min(width, 30), 4.4 * len(fams) + 1.8),
                             squeeze=False)
    cols = colors(plt, len(sets))
    table = []
    ylab = {"none": "net cost in the unit of each label",
            "copy": "net cost / one uaccess_copy request\n(label unit "
                    "divided by ns of the same set)",
            "nop": "net cost / one empty-op iteration\n(label unit "
                   "divided by ns of the same set)"}[norm]
    for ax, fam in zip(axes[:, 0], fams):
        q = qs[fam]

        def val(lab_m, i):
            lab, m = lab_m
            r = m.get(i)
            if r is None:
                return None
            if compiled_empty(r):
                return "compiled_empty"
            if is_noop(r):
                return "noop"
            v = unit_cost(r)[:3]
            return tuple(x / refs[i][0] for x in v)

        bars(ax, q, list(range(len(sets))), val, cols,
             lambda i: "%s%s" % (sets[i].short(),
                                 " (%s)" % sets[i].environment
                                 if sets[i].environment != "bare-metal"
                                 else ""),
             log_ratio=50, points=True, values=len(q) <= 12)
        units = []
        for lab, m in q:
            r0 = next(iter(m.values()))
            units.append(unit_cost(r0)[3])
            for i, r in m.items():
                v = unit_cost(r)
                table.append({"family": fam, "quantity": lab.replace(
                    "\n", " "), "set": sets[i].name,
                    "arch": sets[i].m("arch"), "value": v[0],
                    "unit": v[3], "noop": r["noop"],
                    "verdict": r.get("_verdict"),
                    "reference_ns": refs[i][0],
                    "normalised": v[0] / refs[i][0]})
        ax.set_xticklabels(["%s [%s]" % (lab.replace("\n", " "), u)
                            for (lab, _), u in zip(q, units)],
                           fontsize=6.5, rotation=40, ha="right",
                           rotation_mode="anchor")
        # a thin line between ops: N sweeps of one op read as a group
        prev = None
        for k, (lab, _) in enumerate(q):
            op = lab.split("\n")[0]
            if prev is not None and op != prev:
                ax.axvline(k - 0.5, color="#bbbbbb", lw=0.6, zorder=0)
            prev = op
        ax.set_ylabel(ylab, fontsize=8)
        ax.set_title("%s family (points: median, whiskers: 95%% CI; "
                     "compiled-empty and below-floor rows written, not drawn)"
                     % fam, fontsize=9)
        if singles[fam]:
            txt = ", ".join(singles[fam])
            if len(txt) > 230:
                txt = txt[:227] + "..."
            ax.set_xlabel("measured on one set only (not shown): " + txt,
                          fontsize=6, color="#555555")
        ax.grid(True, axis="y", which="major", alpha=0.3)
    what = COMPARE_WHAT
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper left", fontsize=8,
               ncol=min(len(sets), 4),
               bbox_to_anchor=(0.01, 1 - 0.55 / fig.get_figheight()))
    decorate(fig, "%s, %s" % (compare_title(sets), what[norm]), sets)
    fig.subplots_adjust(top=1 - 1.0 / fig.get_figheight())
    # room for the rotated labels of the last panel above the footer
    h = fig.get_figheight()
    fig.subplots_adjust(hspace=0.95, left=0.07, right=0.99,
                        bottom=fig.subplotpars.bottom + 1.5 / h)
    files = save(fig, plt, outdir, "compare", terms)
    files += plot_tlb_overlay(plt, sets, outdir, terms)
    write_json(os.path.join(outdir, "compare.json"),
               {"normalisation": what[norm], "sets": [s.name for s in sets],
                "title": compare_title(sets),
                "single_set_ops": singles,
                "quantities": table, "figures": [os.path.basename(f)
                                                 for f in files]})
    return outdir
