# SPDX-License-Identifier: GPL-2.0
# remote.gp - remote (cross-CPU) cost vs target CPUs: one bar per op and
# target list with 95% CI error bars, from a ctbench results.csv.
#
# Usage (by hand; scripts/plot --gnuplot sets every variable from meta.json):
#   gnuplot -e "file='results/SET/results.csv'" scripts/gnuplot/remote.gp
#       text plot in the terminal (term defaults to dumb)
#   gnuplot -e "file='results/SET/results.csv'; term='pngcairo'; out='remote.png'" \
#       scripts/gnuplot/remote.gp
# Variables: file (required), term (dumb|pngcairo|svg), out ('' = stdout),
#   ops (series: space separated "op" or "op:N" (only rows with count N);
#   default: every tlb op with a target list, and ipi_*, at its smallest
#   and largest N), targets (space
#   separated target lists in x order, written with ';' instead of ',';
#   default: order of appearance), info, emulated (1 = watermark), virtualized
#   (1 = VIRTUALIZED watermark), setname.
# Rows used: family tlb with targets != '-' (or op ipi_*), opflags '-'.
# gnuplot 5.4 cuts a quoted CSV field at its first comma ("1,3" reads as
# "1"), so the file is piped through sed to turn commas inside quotes into
# ';' before reading.
# Exit status 3 = nothing to plot.

if (!exists("file")) {
    print "remote.gp: set file='<result set>/results.csv' (see the header)"
    exit status 2
}
if (!exists("term")) term = "dumb"
if (!exists("out")) out = ""
if (!exists("info")) info = file
if (!exists("setname")) setname = ""
if (!exists("emulated")) emulated = 0
src = sprintf("< sed -E ':a;s/^(([^\"]*\"[^\"]*\")*[^\"]*\"[^\",]*),/\\1;/;ta' '%s'", file)
if (!exists("ops")) {
    # every remote op; an op measured at several N: its smallest and largest
    awkprog = 'NR > 1 && $2 == "tlb" && ($8 != "-" || $1 ~ /^ipi_/) { if (!($1 in mn)) { o[++n] = $1; mn[$1] = $3; mx[$1] = $3 } if ($3 + 0 < mn[$1] + 0) mn[$1] = $3; if ($3 + 0 > mx[$1] + 0) mx[$1] = $3 } END { for (i = 1; i <= n; i++) { k = o[i]; if (mn[k] == mx[k]) printf "%s ", k; else printf "%s:%s %s:%s ", k, mn[k], k, mx[k] } }'
    ops = system("awk -F, '" . awkprog . "' '" . file . "'")
}
if (words(ops) == 0) {
    print sprintf("remote.gp: no remote (targets) rows in %s", file)
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

set datafile separator ","
set datafile columnheaders
if (!exists("targets")) {
    set table $T
    plot src using (strcol("targets")):(1) with table if (strcol("family") eq "tlb" && strcol("targets") ne "-")
    unset table
    targets = ""
    do for [k = 1:|$T|] {
        t = word($T[k], 1)
        if (strstrt(" " . targets . " ", " " . t . " ") == 0) { targets = targets . t . " " }
    }
}
idx(t) = sum [k = 1:words(targets)] (word(targets, k) eq t ? k : 0)
nops = words(ops)
w = 0.8 / nops
# "op:N" -> op name and count (-1 = any count)
sname(t) = (strstrt(t, ":") > 0 ? t[1:strstrt(t, ":") - 1] : t)
scount(t) = (strstrt(t, ":") > 0 ? int(t[strstrt(t, ":") + 1:]) : -1)
do for [i = 1:nops] {
    o = sname(word(ops, i))
    c = scount(word(ops, i))
    eval sprintf('set table $O%d', i)
    plot src using (idx(strcol("targets")) - 0.4 + w * (i - 0.5)):(column("net_median")):(column("net_ci95_lo")):(column("net_ci95_hi")) with table \
        if (strcol("op") eq o && (c < 0 || column("count") == c) && strcol("opflags") eq "-" && idx(strcol("targets")) > 0)
    unset table
}
set datafile separator whitespace
unset datafile columnheaders

set xtics ()
do for [k = 1:words(targets)] {
    set xtics add (word(targets, k) k)
}
set xrange [0.4:words(targets) + 0.6]
set yrange [*<0:0<*]
set boxwidth w * 0.9 absolute
set style fill solid 0.6 border -1
set title sprintf("Remote cost vs target CPUs (IPIs, remote flushes)\n%s", info)
set xlabel "target CPUs (';' separates list items)"
set ylabel "net ns per call (median, 95% CI)"
set key left top
set grid ytics
if (emulated) {
    set label 99 "EMULATED (QEMU TCG)" at screen 0.5, screen 0.5 center rotate by 25 back textcolor rgb "#90E04040" font ",30"
}
if (!emulated && exists("virtualized") && virtualized) {
    set label 98 "VIRTUALIZED" at screen 0.5, screen 0.5 center rotate by 25 back textcolor rgb "#A01F4E9C" font ",30"
}
stitle(t) = (scount(t) < 0 ? t : sprintf("%s N=%d", sname(t), scount(t)))
# series with data (gnuplot refuses to plot an empty datablock)
have = ""
do for [i = 1:nops] {
    eval sprintf('nrows = |$O%d|', i)
    ngood = 0
    do for [k = 1:nrows] {
        eval sprintf('line = $O%d[k]', i)
        if (words(line) >= 2) { yv = real(word(line, 2)); if (yv == yv) { ngood = ngood + 1 } }
    }
    if (ngood > 0) { have = have . sprintf("%d ", i) }
}
if (words(have) == 0) {
    print sprintf("remote.gp: no plottable remote rows in %s", file)
    exit status 3
}
plot for [h in have] '$O'.h using 1:2 with boxes linecolor int(h) title stitle(word(ops, int(h))), \
     for [h in have] '$O'.h using 1:2:3:4 with yerrorbars linecolor rgb "black" pointtype 0 notitle
