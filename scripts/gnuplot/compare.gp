# SPDX-License-Identifier: GPL-2.0
# compare.gp - cross-arch comparison: the same quantities from several
# ctbench result sets, each normalised to its own set's reference (default:
# the median empty-op (nop) baseline of that set), one panel per family.
#
# Usage (by hand; scripts/plot --gnuplot sets every variable):
#   gnuplot -e "files='results/A/results.csv results/B/results.csv'; \
#       labels='x86_64 aarch64'; \
#       qcache='flush_dcache_page:256:0:dirty:-'; \
#       qtlb='flush_tlb_all:0:0:any:- flush_tlb_kernel_range:1:0:any:-'; \
#       quaccess='uaccess_copy:0:256:any:- uaccess_vmap:0:256:any:-'" \
#       scripts/gnuplot/compare.gp
#   (text plot; add term='pngcairo'; out='compare.png' for a file)
# Variables: files (required, space separated results.csv paths), labels
#   (one word per file, default set1 set2 ...), qcache / qtlb / quaccess
#   (quantities: op:count:aux:state:opflags, space separated; an empty or
#   missing list drops that panel; only rows matching all five fields are
#   used, every set must have them or its bar is missing), refs (one
#   number per file to divide by; default: each file's median
#   baseline_median, i.e. the nop cost), refname (y label text), info
#   (footer lines separated by '\n'), emulated (1 = watermark), virtualized
#   (1 = VIRTUALIZED watermark), title (e.g. "Same-arch comparison
#   (x86_64)"; scripts/plot passes one matching the sets).
# The value of a quantity is per_unit (ns/page, ns/request) when the writer
# filled it, else net_median (ns per iteration).
# Exit status 3 = nothing to plot.

if (!exists("files")) {
    print "compare.gp: set files='<set A>/results.csv <set B>/results.csv' (see the header)"
    exit status 2
}
if (!exists("term")) term = "dumb"
if (!exists("out")) out = ""
if (!exists("info")) info = ""
if (!exists("emulated")) emulated = 0
if (!exists("labels")) {
    labels = ""
    do for [j = 1:words(files)] { labels = labels . sprintf("set%d ", j) }
}
if (!exists("qcache")) qcache = ""
if (!exists("qtlb")) qtlb = ""
if (!exists("quaccess")) quaccess = ""
nsets = words(files)

if (term eq "dumb") {
    set terminal dumb size 140,60
} else {
    if (term eq "svg") {
        set terminal svg size 1600,1150 dynamic font "sans,9"
    } else {
        set terminal pngcairo size 1600,1150 font "sans,9"
    }
}
if (out ne "") set output out
set termoption noenhanced

set datafile separator ","
set datafile columnheaders
# references: default = median of each file's baseline_median column
if (!exists("refs")) {
    refs = ""
    do for [j = 1:nsets] {
        stats word(files, j) using (column("baseline_median")) nooutput
        refs = refs . sprintf("%.17g ", STATS_median)
    }
    if (!exists("refname")) { refname = "empty-op (nop) iterations" }
}
if (!exists("refname")) refname = "reference units"

key(dummy) = sprintf("%s:%d:%d:%s:%s", strcol("op"), int(column("count")), int(column("aux")), strcol("state"), strcol("opflags"))
qidx(q, k) = sum [m = 1:words(q)] (word(q, m) eq k ? m : 0)
val(dummy) = (column("per_unit") != 0 ? column("per_unit") : column("net_median"))
# the same unit for the CI ends: net / (net / per_unit)
cidiv(dummy) = (column("per_unit") != 0 && column("net_median") != 0 ? column("net_median") / column("per_unit") : 1)
panels = ""
if (words(qcache) > 0) { panels = panels . "cache " }
if (words(qtlb) > 0) { panels = panels . "tlb " }
if (words(quaccess) > 0) { panels = panels . "uaccess " }
if (words(panels) == 0) {
    print "compare.gp: no quantities (qcache, qtlb, quaccess are empty)"
    exit status 3
}
# field(s, i): i-th ':'-separated field of s; tic label = op [N=count]
field(s, i) = (i <= 1 ? (strstrt(s, ":") > 0 ? s[1:strstrt(s, ":") - 1] : s) : (strstrt(s, ":") > 0 ? field(s[strstrt(s, ":") + 1:], i - 1) : ""))
qlabel(k) = field(k, 1) . (field(k, 2) ne "0" ? " N=" . field(k, 2) : "") . (field(k, 5) ne "-" ? " " . field(k, 5) : "")
qof(f) = (f eq "cache" ? qcache : (f eq "tlb" ? qtlb : quaccess))
w = 0.8 / nsets
do for [p = 1:words(panels)] {
    q = qof(word(panels, p))
    do for [j = 1:nsets] {
        ref = real(word(refs, j))
        eval sprintf('set table $P%dS%d', p, j)
        plot word(files, j) using (qidx(q, key(0)) - 0.4 + w * (j - 0.5)):(val(0) / ref):(column("net_ci95_lo") / cidiv(0) / ref):(column("net_ci95_hi") / cidiv(0) / ref) with table \
            if (qidx(q, key(0)) > 0 && strcol("family") eq word(panels, p))
        unset table
    }
}
set datafile separator whitespace
unset datafile columnheaders

if (!exists("title")) title = "Comparison"
set multiplot layout words(panels), 1 title sprintf("%s, each set normalised to its own %s\n%s", title, refname, info)
if (emulated) {
    # front and translucent: later panels would paint over a "back" label
    set label 99 "EMULATED (QEMU TCG)" at screen 0.5, screen 0.5 center rotate by 25 front textcolor rgb "#B0E04040" font ",30"
}
if (!emulated && exists("virtualized") && virtualized) {
    set label 97 "VIRTUALIZED" at screen 0.5, screen 0.5 center rotate by 25 front textcolor rgb "#A01F4E9C" font ",30"
}
set style fill solid 0.6 border -1
set lmargin 16
set boxwidth w * 0.9 absolute
set grid ytics
set key outside right top
set logscale y 10
set format y "%g"
set xtics rotate by 20 right font ",8"
do for [p = 1:words(panels)] {
    q = qof(word(panels, p))
    set xtics ()
    do for [k = 1:words(q)] {
        set xtics add (qlabel(word(q, k)) k)
    }
    set xrange [0.4:words(q) + 0.6]
    set ylabel sprintf("cost in %s", refname)
    set title sprintf("%s family", word(panels, p))
    have = ""
    do for [j = 1:nsets] {
        eval sprintf('nrows = |$P%dS%d|', p, j)
        ngood = 0
        do for [k = 1:nrows] {
            eval sprintf('line = $P%dS%d[k]', p, j)
            if (words(line) >= 2 && real(word(line, 2)) > 0) { ngood = ngood + 1 }
        }
        if (ngood > 0) { have = have . sprintf("%d ", j) }
    }
    if (words(have) > 0) {
        # points with 95% CI whiskers: bars on a log axis have no base
        plot for [h in have] sprintf('$P%dS%s', p, h) using 1:($2 > 0 ? $2 : NaN):($3 > 0 ? $3 : $2):4 with yerrorbars pointtype 7 pointsize 0.8 linecolor int(h) title word(labels, int(h))
    } else {
        set label 98 "no positive values to plot" at graph 0.5, graph 0.5 center
        plot NaN notitle
        unset label 98
    }
}
unset multiplot
