# SPDX-License-Identifier: GPL-2.0
# tlb.gp - TLB: flush_tlb_kernel_range net cost vs N with flush_tlb_all as a
# horizontal line, the crossover statement of the set's analysis.json
# (passed in as crosstext/cross) marked and the kernel's range->full threshold
# as a vertical line, from a ctbench results.csv.
#
# Usage (by hand; scripts/plot --gnuplot sets every variable from meta.json):
#   gnuplot -e "file='results/SET/results.csv'; ceiling=33" scripts/gnuplot/tlb.gp
#       text plot in the terminal (term defaults to dumb)
#   gnuplot -e "file='results/SET/results.csv'; term='svg'; out='tlb.svg'" \
#       scripts/gnuplot/tlb.gp
# Variables: file (required), term (dumb|pngcairo|svg), out ('' = stdout),
#   ceiling (meta tlb_flush_ceiling in pages, 0 = unknown), ceiling_source,
#   range_op / global_op (default flush_tlb_kernel_range / flush_tlb_all;
#   where those are unsupported use ipi_flush_range / ipi_flush_all with
#   targets='1-3' (the target list, ';' for ','), info (arch | CPU | kernel
#   | date), emulated (1 = watermark), virtualized
#   (1 = VIRTUALIZED watermark), setname, gaux (use the global_op row
#   with this aux: the full suite also measures the global flush after
#   touching aux pages; 16 is the plain one; default -1 = the first row).
# Rows used: range_op and global_op with opflags '-' (and targets if set).
#   crosstext, cross, stable: the crossover statement and the N to mark,
#   from the set's analysis.json (scripts/plot always passes them: the
#   figure draws the analysis and decides nothing).  Without crosstext
#   (by hand) no crossover is marked: this script never computes one.
# Exit status 3 = nothing to plot.

if (!exists("file")) {
    print "tlb.gp: set file='<result set>/results.csv' (see the header)"
    exit status 2
}
if (!exists("term")) term = "dumb"
if (!exists("out")) out = ""
if (!exists("info")) info = file
if (!exists("setname")) setname = ""
if (!exists("emulated")) emulated = 0
if (!exists("ceiling")) ceiling = 0
if (!exists("ceiling_source")) ceiling_source = "unknown"
if (!exists("range_op")) range_op = "flush_tlb_kernel_range"
if (!exists("global_op")) global_op = "flush_tlb_all"
if (!exists("targets")) targets = ""
if (!exists("gaux")) gaux = -1
# gnuplot 5.4 cuts quoted CSV fields at a comma: read "1,3" as "1;3"
src = sprintf("< sed -E ':a;s/^(([^\"]*\"[^\"]*\")*[^\"]*\"[^\",]*),/\\1;/;ta' '%s'", file)
tgtok(t) = (targets eq "" || t eq targets)

if (term eq "dumb") {
    set terminal dumb size 120,40
} else {
    if (term eq "svg") {
        set terminal svg size 1000,680 dynamic font "sans,10"
    } else {
        set terminal pngcairo size 1000,680 font "sans,10"
    }
}
if (out ne "") set output out
set termoption noenhanced

set datafile separator ","
set datafile columnheaders
set table $R
plot src using (column("count")):(column("net_median")):(column("net_ci95_lo")):(column("net_ci95_hi")) with table \
    if (strcol("op") eq range_op && strcol("opflags") eq "-" && column("count") > 0 && tgtok(strcol("targets")))
unset table
set table $G
plot src using (column("net_median")):(column("net_ci95_lo")):(column("net_ci95_hi")) with table \
    if (strcol("op") eq global_op && strcol("opflags") eq "-" && tgtok(strcol("targets")) && (gaux < 0 || column("aux") == gaux))
unset table
set datafile separator whitespace
unset datafile columnheaders

if (|$R| == 0) {
    print sprintf("tlb.gp: no %s rows in %s", range_op, file)
    exit status 3
}
npos = 0
do for [k = 1:|$R|] {
    if (real(word($R[k], 2)) > 0) { npos = npos + 1 }
}
if (npos == 0) {
    print sprintf("tlb.gp: no %s row with net_median > 0 in %s", range_op, file)
    exit status 3
}
have_global = (|$G| > 0)
glob = NaN
given = exists("crosstext")
if (!given) { cross = 0; stable = 0 }
cross_y = NaN
nmin = 0
nmax = 0
do for [k = 1:|$R|] {
    n = real(word($R[k], 1))
    v = real(word($R[k], 2))
    if (nmin == 0 || n < nmin) { nmin = n }
    if (n > nmax) { nmax = n }
}
if (have_global) { glob = real(word($G[1], 1)) }
# the analysis' N: find its measured value for the label position
do for [k = 1:|$R|] {
    if (cross > 0 && real(word($R[k], 1)) == cross) { cross_y = real(word($R[k], 2)) }
}
if (!given) {
    crosstext = "no crossover statement given (crosstext=): this script computes none; see the set's analysis.json"
}
if (cross > 0) {
    set arrow 2 from cross, graph 0 to cross, graph 1 nohead dashtype 3 linecolor rgb "#2ca02c"
    if (cross_y == cross_y) { set label 2 sprintf("crossover N=%d", cross) at cross, cross_y offset 1, -1 textcolor rgb "#2ca02c" }
}
if (ceiling > 0) {
    ceiltext = sprintf("kernel threshold %d pages (%s)", ceiling, ceiling_source)
    set arrow 1 from ceiling, graph 0 to ceiling, graph 1 nohead dashtype 2 linewidth 2 linecolor rgb "#ff7f0e"
} else {
    ceiltext = "kernel threshold: " . ceiling_source
}

what = (range_op eq "flush_tlb_kernel_range" ? "" : sprintf(" (stand-in %s vs %s, targets %s)", range_op, global_op, targets))
set title sprintf("TLB: range flush vs global flush%s\n%s\n%s; %s", what, info, crosstext, ceiltext)
set xlabel "N (pages in the flushed kernel range)"
set ylabel "net ns per flush (median, 95% CI)"
set logscale x 2
set logscale y 10
set format y "%g"
set key left top
set grid
if (emulated) {
    set label 99 "EMULATED (QEMU TCG)" at screen 0.5, screen 0.5 center rotate by 25 back textcolor rgb "#90E04040" font ",30"
}
if (!emulated && exists("virtualized") && virtualized) {
    set label 98 "VIRTUALIZED" at screen 0.5, screen 0.5 center rotate by 25 back textcolor rgb "#A01F4E9C" font ",30"
}
if (have_global) {
    plot $R using 1:($2 > 0 ? $2 : NaN):($3 > 0 ? $3 : $2 / 10):4 with yerrorlines pointtype 7 pointsize 0.6 linecolor rgb "#1f77b4" title range_op . " (N pages)", \
         glob > 0 ? glob : NaN with lines linewidth 2 linecolor rgb "#d62728" title sprintf("%s: %.0f ns", global_op, glob)
} else {
    plot $R using 1:($2 > 0 ? $2 : NaN):($3 > 0 ? $3 : $2 / 10):4 with yerrorlines pointtype 7 pointsize 0.6 linecolor rgb "#1f77b4" title range_op . " (N pages)"
}
