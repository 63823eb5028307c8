# SPDX-License-Identifier: GPL-2.0
# uaccess.gp - vhost metadata access: net ns per request for each method
# (bars, 95% CI error bars; warm and each opflags variant side by side) and
# the vmap break-even statement of the set's analysis.json in the title,
# from a ctbench results.csv.
#
# Usage (by hand; scripts/plot --gnuplot sets every variable from meta.json):
#   gnuplot -e "file='results/SET/results.csv'" scripts/gnuplot/uaccess.gp
#       text plot in the terminal (term defaults to dumb)
#   gnuplot -e "file='results/SET/results.csv'; term='pngcairo'; out='uaccess.png'" \
#       scripts/gnuplot/uaccess.gp
# Variables: file (required), term (dumb|pngcairo|svg), out ('' = stdout),
#   methods (default: uaccess_copy uaccess_getput uaccess_unsafe
#   uaccess_vmap uaccess_kmap), variants (opflags values, default "- cold"),
#   ring (aux = ring size to use, default -1 = any), info, emulated
#   (1 = watermark), setname, betext (the break-even statement from the
#   set's analysis.json; scripts/plot always passes it.  Without it no
#   break-even is shown: this script never computes one).
# Exit status 3 = nothing to plot.

if (!exists("file")) {
    print "uaccess.gp: set file='<result set>/results.csv' (see the header)"
    exit status 2
}
if (!exists("term")) term = "dumb"
if (!exists("out")) out = ""
if (!exists("info")) info = file
if (!exists("setname")) setname = ""
if (!exists("emulated")) emulated = 0
if (!exists("methods")) methods = "uaccess_copy uaccess_getput uaccess_unsafe uaccess_vmap uaccess_kmap"
if (!exists("variants")) variants = "- cold"
if (!exists("ring")) ring = -1

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
midx(m) = sum [k = 1:words(methods)] (word(methods, k) eq m ? k : 0)
div = "(column(\"per_unit\") != 0 && column(\"net_median\") != 0 ? column(\"net_median\") / column(\"per_unit\") : 1)"
ringok(a) = (ring < 0 || a == ring)
nv = words(variants)
w = 0.8 / nv
do for [j = 1:nv] {
    v = word(variants, j)
    eval sprintf('set table $V%d', j)
    plot file using (midx(strcol("op")) - 0.4 + w * (j - 0.5)):(column("net_median") / @div):(column("net_ci95_lo") / @div):(column("net_ci95_hi") / @div):(midx(strcol("op"))) with table \
        if (strcol("family") eq "uaccess" && midx(strcol("op")) > 0 && strcol("opflags") eq v && ringok(column("aux")))
    unset table
}
set datafile separator whitespace
unset datafile columnheaders

# the break-even is the analysis' statement (analysis.json), never computed here
if (!exists("betext")) {
    betext = "no break-even statement given (betext=): this script computes none; see the set's analysis.json"
}

set xtics ()
do for [k = 1:words(methods)] {
    m = word(methods, k)
    set xtics add (m[9:] k)
}
set xrange [0.4:words(methods) + 0.6]
set yrange [*<0:0<*]
set boxwidth w * 0.9 absolute
set style fill solid 0.6 border -1
set title sprintf("uaccess: vhost metadata access per method\n%s\n%s", info, betext)
set xlabel "access method (one vhost TX request's metadata accesses per iteration)"
set ylabel "net ns per request (median, 95% CI)"
set key left top
set grid ytics
if (emulated) {
    set label 99 "EMULATED (QEMU TCG)" at screen 0.5, screen 0.5 center rotate by 25 back textcolor rgb "#90E04040" font ",30"
}
if (!emulated && exists("virtualized") && virtualized) {
    set label 98 "VIRTUALIZED" at screen 0.5, screen 0.5 center rotate by 25 back textcolor rgb "#A01F4E9C" font ",30"
}
vtitle(v) = (v eq "-" ? "warm" : v)
have = ""
do for [j = 1:nv] {
    eval sprintf('nrows = |$V%d|', j)
    ngood = 0
    do for [k = 1:nrows] {
        eval sprintf('line = $V%d[k]', j)
        if (words(line) >= 2) { yv = real(word(line, 2)); if (yv == yv) { ngood = ngood + 1 } }
    }
    if (ngood > 0) { have = have . sprintf("%d ", j) }
}
if (words(have) == 0) {
    print sprintf("uaccess.gp: no plottable uaccess method rows in %s", file)
    exit status 3
}
plot for [h in have] '$V'.h using 1:2 with boxes linecolor int(h) title vtitle(word(variants, int(h))), \
     for [h in have] '$V'.h using 1:2:3:4 with yerrorbars linecolor rgb "black" pointtype 0 notitle
