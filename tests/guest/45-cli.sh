#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest test of ctbench's command-line behaviour on a terminal and off it
# (issue 21): the progress line on stderr under a pseudo-terminal
# (ptyrun, tests/guest/ptyrun.c) and none without one; Ctrl-C typed on
# the terminal stops after the current sample and leaves one complete
# result set marked interrupted, no temporary directory; the table's
# units and alignment with long op names; an unsupported op printing its
# reason, not parameters; --irqs-off on an op that may sleep is a usage
# error (2). Needs root and the cachetlb module. Prints ok / not ok lines.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
scratch ctbench-cli
# after a failed check: the file it looked at, as TAP comments
show() {
	[ $failed -eq 1 ] || return 0
	tr '\r' '\n' <"$1" | grep -v '^ *$' | head -n "${2:-30}" | sed 's/^/# /'
}
esc=$(printf '\033')

need_ctbench
PTYRUN=$(command -v ptyrun 2>/dev/null)
[ -z "$PTYRUN" ] && [ -x "$CTB_BUILD/bench/tests/guest/ptyrun" ] &&
	PTYRUN=$CTB_BUILD/bench/tests/guest/ptyrun
if [ -z "$PTYRUN" ]; then
	echo "not ok - ptyrun on PATH or in \$CTB_BUILD/bench/tests/guest"
	exit 1
fi
ctbench list >"$T/list" 2>/dev/null

# --- progress: on a terminal, and only there ---------------------------------
# core: nop + spin, 2 counts of spin, 2 rounds -> 6 RUNs (nop takes no count)
run="ctbench run --family core --count 1,64 --rounds 2 --samples 3 --warmup 0"
$run >"$T/plain.out" 2>"$T/plain.err"
rc=$?
check "run without a terminal exits 0 (rc=$rc)" [ $rc -eq 0 ]
check "no progress on a non-terminal stderr" sh -c \
	"! grep -q 'elapsed' '$T/plain.err' && ! grep -q '$esc' '$T/plain.err' && ! grep -q 'elapsed' '$T/plain.out'"
"$PTYRUN" -- $run >"$T/tty.out" 2>"$T/tty.err"
rc=$?
check "run on a pseudo-terminal exits 0 (rc=$rc)" [ $rc -eq 0 ]
n=$(tr '\r' '\n' <"$T/tty.out" | grep -c '^\[[0-9]*/[0-9]*\] .* elapsed')
total=$(tr '\r' '\n' <"$T/tty.out" | sed -n 's/^\[[0-9]*\/\([0-9]*\)\] .*/\1/p' | tail -n1)
check "progress lines on the terminal: $n, total $total" \
	[ "$n" -ge 2 ] && [ "$n" = "$total" ]
check "progress gives an estimate left and the round" sh -c \
	"tr '\\r' '\\n' <'$T/tty.out' | grep -q 'round 2/2 .*elapsed, ~[0-9:]* left'"
check "the table still arrives complete on the terminal" sh -c \
	"[ \$(tr '\\r' '\\n' <'$T/tty.out' | sed 's/${esc}\\[K//g' | grep -c '^spin ') -eq 2 ]"
show "$T/tty.out" 40
CTB_PROGRESS=0 "$PTYRUN" -- $run >"$T/tty0.out" 2>&1
check "CTB_PROGRESS=0 turns it off on a terminal" sh -c "! grep -q elapsed '$T/tty0.out'"

# suite: the counted total is what the suite then runs (last [N/N])
"$PTYRUN" -- ctbench suite quick --rounds 1 -o "$T/suite" >"$T/suite.out" 2>&1
rc=$?
last=$(tr '\r' '\n' <"$T/suite.out" | sed -n 's/^\[\([0-9]*\/[0-9]*\)\] .*/\1/p' | tail -n1)
check "suite quick on a terminal: exit 0, progress ends at [$last]" sh -c \
	"[ $rc -eq 0 ] && [ -n '$last' ] && [ '${last%/*}' = '${last#*/}' ] && ls '$T'/suite/*/meta.json >/dev/null"
show "$T/suite.out"

# --- Ctrl-C on the terminal ---------------------------------------------------
# RUNs of 65536 one-call samples of a 256k-step chain run seconds each (the
# module's time cap): ^C 2 s into the second lands inside a RUN
"$PTYRUN" -i 2 -w '[2/' -- ctbench run spin --count 262144-262151 \
	--samples 65536 --iterations 1 --warmup 0 -o "$T/int" \
	>"$T/int.out" 2>"$T/int.err"
rc=$?
after=$(sed -n 's/^ptyrun: exit \([0-9.]*\) s after ^C/\1/p' "$T/int.err")
check "Ctrl-C: exit 1 (rc=$rc)" [ $rc -eq 1 ]
check "Ctrl-C: says interrupted, keeps the partial RUN's samples" sh -c \
	"grep -q 'interrupted by signal 2' '$T/int.out' && grep -q 'interrupted: [0-9]* of 65536 samples kept' '$T/int.out'"
show "$T/int.out" 40
show "$T/int.err"
check "Ctrl-C: stopped ${after:-?} s after ^C (after the current sample, < 60 s)" \
	awk -v a="${after:-999}" 'BEGIN { exit !(a < 60) }'
nsets=$(ls "$T/int" 2>/dev/null | wc -l)
check "Ctrl-C: exactly one result set ($nsets), no temporary directory left" sh -c \
	"[ $nsets -eq 1 ] && [ -z \"\$(ls -A '$T/int' | grep '^\\.')\" ]"
check "Ctrl-C: the set is complete and marked interrupted" sh -c \
	"grep -q '\"interrupted\": true' '$T'/int/*/meta.json && ctbench report '$T'/int/* >/dev/null 2>&1"

# --- the table ------------------------------------------------------------
check "table header names its units" has "$T/plain.out" '^op .* gross ns .* net ns .* net CI ns .* spread ns .* ns per unit'
# every table line as long as its header: no column slips (long names too)
ctbench run --family cache --pages 1 --rounds 1 --samples 3 --warmup 0 \
	>"$T/cache.out" 2>&1
w=$(awk '/^op /{print length($0); exit}' "$T/cache.out")
long=$(awk 'NR > 1 && $4 == "yes" && $2 ~ /^[a-z]/ { if (length($2) > length(l)) l = $2 } END { print l }' "$T/list")
bad=$(awk -v w="$w" 'h && /^[a-z_]+ +[0-9]+ +[0-9]+ / && length($0) != w { n++ } /^op /{h=1} END { print n + 0 }' "$T/cache.out")
check "cache table: rows as wide as the header ($w), longest op $long" \
	[ -n "$w" ] && [ "$bad" -eq 0 ]
uop=$(awk 'NR > 1 && $4 == "no" { print $2; exit }' "$T/list")
if [ -n "$uop" ]; then
	ctbench run "$uop" >"$T/unsup" 2>&1
	rc=$?
	check "unsupported $uop: exit 4, its reason, no made-up parameters (rc=$rc)" sh -c \
		"[ $rc -eq 4 ] && grep -q '$uop *unsupported: ..*' '$T/unsup' && ! grep -q 'N=0 ' '$T/unsup'"
else
	pass "unsupported op prints its reason # SKIP every op is supported here"
fi

# --- --irqs-off on an op that may sleep: usage error --------------------------
sop=$(awk 'NR > 1 && $4 == "yes" && /sleeps/ { print $2; exit }' "$T/list")
if [ -n "$sop" ]; then
	ctbench run "$sop" --irqs-off --samples 3 >"$T/irq" 2>&1
	rc=$?
	check "--irqs-off on sleeping $sop: exit 2 naming op, rule and fix (rc=$rc)" sh -c \
		"[ $rc -eq 2 ] && grep -q \"$sop may sleep\" '$T/irq' && grep -q 'drop --irqs-off' '$T/irq'"
else
	pass "--irqs-off on a sleeping op # SKIP no supported op may sleep here"
fi
exit 0
