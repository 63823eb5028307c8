#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest test of `ctbench --knob` (issue 19): a knob that does not exist or
# is read-only is refused with exit 2 and no set; a run under two settings
# writes two sets that record their setting and that `compare` names in
# its header; the original value is back after the run, after ^C (SIGINT)
# and after SIGHUP in the middle of a run. x86 only (the knob is
# /sys/kernel/debug/x86/tlb_single_page_flush_ceiling); elsewhere SKIP.
# Needs root and the cachetlb module loaded. Prints ok / not ok lines.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
scratch ctbench-knob
K=tlb_single_page_flush_ceiling
F=/sys/kernel/debug/x86/$K
if [ ! -w "$F" ]; then
	echo "ok - knob tests # SKIP no writable $F (not x86, or no debugfs)"
	exit 0
fi
orig=$(cat "$F")
# a value the test can recognise, restored before the runs
alt=$((orig + 7))

ctbench run spin --count 1 --rounds 1 --knob no_such_knob=1,2 -o "$T/a" >"$T/o" 2>&1
rc=$?
check "unknown knob: exit 2 naming it (rc=$rc)" sh -c \
	"[ $rc -eq 2 ] && grep -q \"unknown knob 'no_such_knob'\" '$T/o'"
ctbench run spin --count 1 --rounds 1 --knob /sys/kernel/debug/x86/no_such=1,2 -o "$T/a" >"$T/o" 2>&1
rc=$?
check "nonexistent knob path: exit 2 naming the path (rc=$rc)" sh -c \
	"[ $rc -eq 2 ] && grep -q 'no_such: No such file' '$T/o'"
ctbench run spin --count 1 --rounds 1 --knob /proc/sys/kernel/osrelease=1,2 -o "$T/a" >"$T/o" 2>&1
rc=$?
check "read-only knob: exit 2 saying read-only (rc=$rc)" sh -c \
	"[ $rc -eq 2 ] && grep -q 'read-only' '$T/o'"
check "no set written by the refused runs" sh -c "[ -z \"\$(ls -A '$T/a' 2>/dev/null)\" ]"
check "knob untouched by the refused runs ($(cat $F))" [ "$(cat $F)" = "$orig" ]

ctbench run flush_tlb_kernel_range --count 34 --rounds 2 --samples 5 \
	--knob "$K=$orig,$alt" -o "$T/sets" >"$T/run" 2>&1 ||
	ctbench run kpath_purge --count 34 --rounds 2 --samples 5 \
		--knob "$K=$orig,$alt" -o "$T/sets" >"$T/run" 2>&1
rc=$?
n=$(ls -d "$T"/sets/*/ 2>/dev/null | wc -l)
check "a knob run writes two sets (rc=$rc, $n sets)" sh -c "[ $rc -eq 0 ] && [ $n -eq 2 ]"
check "knob restored after the run ($(cat $F))" [ "$(cat $F)" = "$orig" ]
if [ "$n" -eq 2 ]; then
	# which set is which: by the setting it records, not by its name
	A=$(grep -l "\"knob_value\": \"$orig\"" "$T"/sets/*/meta.json | head -1)
	B=$(grep -l "\"knob_value\": \"$alt\"" "$T"/sets/*/meta.json | head -1)
	A=${A%/meta.json}
	B=${B%/meta.json}
	check "each set records its own setting and the original" sh -c \
		"[ -n '$A' ] && [ -n '$B' ] && [ '$A' != '$B' ] && grep -q '\"knob_original\": \"$orig\"' '$B/meta.json'"
	ctbench compare "$A" "$B" >"$T/cmp" 2>&1
	rc=$?
	check "compare of the two settings: exit 0, header names the knob (rc=$rc)" sh -c \
		"[ $rc -eq 0 ] && grep -q \"knob_value: A $orig; B $alt\" '$T/cmp' && [ \$(awk 'length > 72' '$T/cmp' | wc -l) -eq 0 ]"
fi

# interrupted in the middle: SIGINT stops the run, SIGHUP kills it
for sig in INT HUP; do
	ctbench suite quick --rounds 20 --knob "$K=1,2" -o "$T/i$sig" >"$T/i$sig.out" 2>&1 &
	p=$!
	# wait until the knob has been changed at least once
	i=0
	while [ "$(cat $F)" = "$orig" ] && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	mid=$(cat "$F")
	kill -"$sig" "$p"
	wait "$p"
	rc=$?
	check "SIG$sig in the middle (knob was $mid): restored to $orig (rc=$rc)" \
		[ "$(cat $F)" = "$orig" ]
done
check "the knob was really changed during those runs" [ "$mid" != "$orig" ]

[ $fails -eq 0 ]
