#!/bin/sh
# 60-fuzz.sh - hostile input, concurrency and soak against /dev/cachetlb
# (issue 10).  Short by default (make check); `make fuzz` exports
# CTB_FUZZ_COUNT=100000 CTB_FUZZ_SOAK=10000 for the full run.
#
# Prints ok/not ok lines and one summary line per guest:
#   fuzz <arch>-<series>: calls=.. errnos=.. kernel_warnings=0
#   leaked_vmalloc_bytes=0 leaked_pins=0 textpoke_toggles=N
COUNT=${CTB_FUZZ_COUNT:-10000}
SOAK=${CTB_FUZZ_SOAK:-1000}
SEED=${CTB_FUZZ_SEED:-$(date +%s)}
MOD=${CTB_MODULE:-${CTB_BUILD:-/src/build/unknown}/kmod/cachetlb.ko}
TAG="${CTB_ARCH:-$(uname -m)}-${CTB_KERNEL:-$(uname -r)}"

ok() { echo "ok - $*"; }
nok() { echo "not ok - $*"; }
check() { desc=$1; shift; if "$@"; then ok "$desc"; else nok "$desc"; fi; }

# Bytes of vmalloc/vmap areas the module owns right now.
mod_vmalloc_bytes() {
	awk '/\[cachetlb\]/ { s += $2 } END { print s + 0 }' /proc/vmallocinfo
}
pins_outstanding() {
	# fold the per-CPU vmstat deltas first, or the counters lag
	echo 1 > /proc/sys/vm/stat_refresh 2>/dev/null
	awk '/^nr_foll_pin_acquired/ { a = $2 } /^nr_foll_pin_released/ { r = $2 }
	     END { print a - r }' /proc/vmstat
}
vmalloc_used_kb() {
	awk '/^VmallocUsed:/ { print $2 }' /proc/meminfo
}
kernel_warnings() {
	dmesg | grep -cE 'WARNING:|BUG:|Oops|Call Trace|general protection|Unable to handle|Kernel panic|KASAN|possible circular locking'
}

if ! command -v fuzz >/dev/null 2>&1; then
	nok "fuzz binary on PATH (built from tests/guest/fuzz.c)"
	exit 0
fi
[ -c /dev/cachetlb ] || { nok "/dev/cachetlb present"; exit 0; }

warn0=$(kernel_warnings)
vm0=$(mod_vmalloc_bytes)
pin0=$(pins_outstanding)
used0=$(vmalloc_used_kb)

# Text patching on purpose while the module runs (issue 15): the static
# key / kprobe toggler of tests/guest/textpoke-stress runs in the
# background through all of the fuzzing below.  CTB_FUZZ_TEXTPOKE=0 turns
# it off.
tp_state=/tmp/textpoke.$$
tp_pid=
tp_knob0=$(cat /proc/sys/kernel/sched_schedstats 2>/dev/null)
if [ "${CTB_FUZZ_TEXTPOKE:-1}" = 1 ]; then
	"$(dirname "$0")/textpoke-stress" 3600 "$tp_state" &
	tp_pid=$!
fi

out=/tmp/fuzz.$$
fuzz --count "$COUNT" --seed "$SEED" --soak "$SOAK" --seconds 600 >"$out" 2>&1
rc=$?
grep -E '^(ok|not ok) ' "$out"
grep '^#' "$out" | head -n 20
check "fuzz (1 thread, seed $SEED) exit status 0" [ "$rc" -eq 0 ]
summary=$(grep '^fuzz: ' "$out" | tail -n 1)

# Several threads at once, with signals delivered into the ioctls.
fuzz --count $((COUNT / 4 + 1)) --seed $((SEED + 1)) --threads 4 --seconds 300 >"$out" 2>&1
rc=$?
grep -E '^(ok|not ok) ' "$out" | sed 's/^\(n*o*t* *ok\) - /\1 - threads=4: /'
grep -E '^# signal RUN' "$out"
check "fuzz (4 threads + signals) exit status 0" [ "$rc" -eq 0 ]

# rmmod while a RUN is in flight must fail cleanly (module in use).
fuzz --hold 3000 >"$out" 2>&1 &
pid=$!
sleep 1
if rmmod cachetlb 2>/dev/null; then
	nok "rmmod refused while a RUN is in flight"
	wait $pid
	insmod "$MOD"
else
	ok "rmmod refused while a RUN is in flight"
	wait $pid
	check "the held RUN completed after the refused rmmod" [ $? -eq 0 ]
fi
check "module still loaded and /dev/cachetlb present" [ -c /dev/cachetlb ]
rm -f "$out"

tp_line="textpoke: off (CTB_FUZZ_TEXTPOKE=0)"
tp_n=off
if [ -n "$tp_pid" ]; then
	: >"$tp_state.stop"
	wait "$tp_pid"
	tp_line=$(cat "$tp_state" 2>/dev/null)
	tp_n=$(echo "$tp_line" | sed -n 's/.*toggles=\([0-9]*\).*/\1/p')
	check "text-patching stress ran beside the fuzzer (${tp_line#textpoke: })" \
		[ "${tp_n:-0}" -gt 0 ]
	check "sched_schedstats restored to $tp_knob0" \
		[ "$(cat /proc/sys/kernel/sched_schedstats)" = "$tp_knob0" ]
	rm -f "$tp_state" "$tp_state.stop"
fi
echo "# $tp_line"

vm1=$(mod_vmalloc_bytes)
pin1=$(pins_outstanding)
used1=$(vmalloc_used_kb)
warn1=$(kernel_warnings)
leak_vm=$((vm1 - vm0))
leak_pin=$((pin1 - pin0))
warns=$((warn1 - warn0))
check "no vmalloc/vmap area owned by cachetlb left ($leak_vm bytes)" [ "$leak_vm" -eq 0 ]
check "no pinned pages left ($leak_pin)" [ "$leak_pin" -eq 0 ]
check "no kernel warnings during fuzzing ($warns)" [ "$warns" -eq 0 ]
[ "$warns" -eq 0 ] || dmesg | grep -E -A5 'WARNING:|BUG:|Oops' | head -n 40
echo "# VmallocUsed ${used0} kB -> ${used1} kB (whole kernel, informational)"
echo "fuzz $TAG: ${summary#fuzz: } kernel_warnings=$warns leaked_vmalloc_bytes=$leak_vm leaked_pins=$leak_pin textpoke_toggles=$tp_n"
exit 0
