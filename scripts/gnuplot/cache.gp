# SPDX-License-Identifier: GPL-2.0
# cache.gp - cache maintenance: net cost per page vs N (log-log), 95% CI
# error bars, no-op APIs marked in the key, from a ctbench results.csv.
#
# Usage (by hand; scripts/plot --gnuplot sets every variable from meta.json):
#   gnuplot -e "file='results/SET/results.csv'" scripts/gnuplot/cache.gp
#       text plot in the terminal (term defaults to dumb)
#   gnuplot -e "file='results/SET/results.csv'; term='pngcairo'; out='cache.png'" \
#       scripts/gnuplot/cache.gp
# Variables: file (required), term (dumb|pngcairo|svg), out (output file,
#   '' = stdout), ops (space separated op names; default every cache op in
#   the file), state (dirty|clean|uncached|any; default dirty), info (title
#   line: arch | CPU | kernel | date), emulated (1 adds the EMULATED (QEMU
#   TCG) watermark), setname.
# Rows used: family cache, the chosen state, opflags '-'; y = per_unit when
# the writer filled it, else net_median / count.  An op whose rows are all
# no-op or <= 0 appears in no series (only in the message if nothing is left).
# Exit status 3 = nothing to plot.

if (!exists("file")) {
    print "cache.gp: set file='<result set>/results.csv' (see the header)"
    exit status 2
}
if (!exists("term")) term = "dumb"
if (!exists("out")) out = ""
if (!exists("info")) info = file
if (!exists("setname")) setname = ""
if (!exists("emulated")) emulated = 0
if (!exists("state")) state = "dirty"
if (!exists("ops")) {
    ops = system(sprintf("awk -F, 'NR > 1 && $2 == \"cache\" && !seen[$1]++ { printf \"%%s \", $1 }' '%s'", file))
}
if (words(ops) == 0) {
    print sprintf("cache.gp: no cache-family rows in %s", file)
    exit status 3
}

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

# Pass 1: one datablock per op, columns: N, y, ylo, yhi, noop
set datafile separator ","
set datafile columnheaders
div(n) = (column("per_unit") != 0 && column("net_median") != 0) ? column("net_median") / column("per_unit") : n
do for [i = 1:words(ops)] {
    o = word(ops, i)
    eval sprintf('set table $S%d', i)
    plot file using (column("count")):(column("net_median") / div(column("count"))):(column("net_ci95_lo") / div(column("count"))):(column("net_ci95_hi") / div(column("count"))):(strcol("noop") eq "yes" ? 1 : 0) with table \
        if (strcol("op") eq o && strcol("family") eq "cache" && strcol("state") eq state && strcol("opflags") eq "-" && column("count") > 0)
    unset table
}

# Pass 2: plot the datablocks
set datafile separator whitespace
unset datafile columnheaders
titles = ""
have = ""
do for [i = 1:words(ops)] {
    t = word(ops, i)
    eval sprintf('nrows = |$S%d|', i)
    nnoop = 0
    ngood = 0
    nlist = ""
    do for [k = 1:nrows] {
        eval sprintf('line = $S%d[k]', i)
        if (words(line) >= 5 && word(line, 5) eq "1") {
            nnoop = nnoop + 1
            nlist = nlist . (nlist eq "" ? "" : ",") . sprintf("%d", int(real(word(line, 1))))
        }
        if (words(line) >= 5 && word(line, 5) eq "0" && real(word(line, 2)) > 0) { ngood = ngood + 1 }
    }
    if (ngood > 0) { have = have . sprintf("%d ", i) }
    if (nnoop > 0) { t = t . (nnoop == nrows ? "[no-op]" : "[no-op:N=" . nlist . "]") }
    titles = titles . t . " "
}

set title sprintf("Cache maintenance: net cost per page vs N (state %s)\n%s\n[no-op] = indistinguishable from the empty op (noop=yes; those N not drawn); values <= 0 are not drawn on the log axis", state, info)
set xlabel "N (pages)"
set ylabel "net ns/page (median, 95% CI)"
set logscale x 2
set logscale y 10
set format y "%g"
set key outside right top
set grid
if (emulated) {
    set label 99 "EMULATED (QEMU TCG)" at screen 0.45, screen 0.5 center rotate by 25 back textcolor rgb "#90E04040" font ",30"
}
if (!emulated && exists("virtualized") && virtualized) {
    set label 98 "VIRTUALIZED" at screen 0.45, screen 0.5 center rotate by 25 back textcolor rgb "#A01F4E9C" font ",30"
}
if (words(have) == 0) {
    print sprintf("cache.gp: no plottable cache rows (state %s, opflags -, not no-op, net > 0) in %s", state, file)
    exit status 3
}
plot for [h in have] '$S'.h using 1:($5 == 0 && $2 > 0 ? $2 : NaN):($5 == 0 ? ($3 > 0 ? $3 : $2 / 10) : NaN):($5 == 0 ? $4 : NaN) with yerrorlines linecolor int(h) pointtype 7 pointsize 0.6 title word(titles, int(h))
