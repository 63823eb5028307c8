#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 15-loadunload.sh - rmmod/insmod the module 20 times with RUNs of every
# supported op in between (abi_test --smoke), then check that vmalloc use,
# the module's vmalloc areas and pinned user pages are back at baseline and
# that the kernel log has no warning.
#
# Slack: VmallocUsed is system wide.  Each process the loop starts (insmod,
# rmmod, abi_test, awk ...) creates and frees a kernel stack, vmalloc'ed
# with VMAP_STACK and kept in a small per-CPU cache; so VmallocUsed may
# differ by a few stacks: we allow 256 KiB (16 x 16 KiB stacks).  Module
# loading frees the init sections asynchronously (init_free_wq after an RCU
# grace period; seen on riscv64 as ~1 MiB of load_module areas right after
# insmod), so the final reading waits up to 10 s for that to settle.  Areas
# whose caller is cachetlb code must be EXACTLY zero when no RUN is active,
# and outstanding FOLL_PIN pins exactly at baseline.

ok() { echo "ok - $*"; }
nok() { echo "not ok - $*"; }

MOD=${CTB_MODULE:-${CTB_BUILD:-/src/build/unknown}/kmod/cachetlb.ko}
CYCLES=${CTB_LOADUNLOAD_CYCLES:-20}
SLACK_KB=256

vmalloc_used_kb() { awk '/^VmallocUsed:/ { print $2 }' /proc/meminfo; }
# Areas whose caller is module code: "... func+0x../0x.. [cachetlb] ...".
mod_areas() { grep -c '\[cachetlb\]' /proc/vmallocinfo; }
pins() {
	# Fold the per-CPU vmstat deltas first, else the counts lag.
	echo 1 >/proc/sys/vm/stat_refresh 2>/dev/null
	awk '/^nr_foll_pin_acquired/ { a = $2 } /^nr_foll_pin_released/ { r = $2 }
	     END { print a - r }' /proc/vmstat
}
warnings() {
	dmesg | grep -c -E 'WARNING:|BUG:|Oops|Call Trace|general protection|Unable to handle|soft lockup|rcu.*stall'
}

if [ ! -f "$MOD" ]; then
	nok "module file $MOD not found"
	exit 0
fi
if ! command -v abi_test >/dev/null 2>&1; then
	nok "abi_test not on PATH"
	exit 0
fi

# Settle once so lazily created state (first RUN, stack cache) exists.
abi_test --smoke >/dev/null 2>&1
sync
sleep 1
base_kb=$(vmalloc_used_kb)
base_areas=$(mod_areas)
base_pins=$(pins)
base_warn=$(warnings)
echo "# baseline: VmallocUsed ${base_kb} kB, cachetlb areas $base_areas, pins $base_pins"

fail=0
i=1
while [ "$i" -le "$CYCLES" ]; do
	if ! rmmod cachetlb; then
		nok "cycle $i: rmmod cachetlb failed"
		fail=1
		break
	fi
	if [ -e /dev/cachetlb ] || grep -q '^cachetlb ' /proc/modules; then
		nok "cycle $i: module or /dev/cachetlb still present after rmmod"
		fail=1
	fi
	if ! insmod "$MOD"; then
		nok "cycle $i: insmod $MOD failed"
		fail=1
		break
	fi
	out=$(abi_test --smoke 2>&1)
	rc=$?
	if [ "$rc" -ne 0 ]; then
		nok "cycle $i: RUNs after reload failed (rc $rc)"
		echo "$out" | sed 's/^/# /'
		fail=1
	fi
	[ "$i" -eq 1 ] && echo "$out" | grep '^# smoke'
	i=$((i + 1))
done
[ "$fail" -eq 0 ] && ok "$CYCLES rmmod/insmod cycles with RUNs of every supported op"

sync
t=0
while [ $(($(vmalloc_used_kb) - base_kb)) -gt "$SLACK_KB" ] && [ "$t" -lt 10 ]; do
	sleep 1
	t=$((t + 1))
done
[ "$t" -gt 0 ] && echo "# waited ${t} s for deferred frees"
now_kb=$(vmalloc_used_kb)
now_areas=$(mod_areas)
now_pins=$(pins)
now_warn=$(warnings)
diff_kb=$((now_kb - base_kb))
echo "# after: VmallocUsed ${now_kb} kB (${diff_kb} kB), cachetlb areas $now_areas, pins $now_pins"
if [ "$diff_kb" -le "$SLACK_KB" ]; then
	ok "VmallocUsed back at baseline (${diff_kb} kB, slack ${SLACK_KB} kB)"
else
	nok "VmallocUsed grew by ${diff_kb} kB over $CYCLES cycles (slack ${SLACK_KB} kB)"
fi
if [ "$now_areas" -eq "$base_areas" ] && [ "$now_areas" -eq 0 ]; then
	ok "no vmalloc area left by cachetlb code"
else
	nok "vmalloc areas owned by cachetlb: $now_areas (baseline $base_areas)"
fi
if [ "$now_pins" -eq "$base_pins" ]; then
	ok "pinned user pages at baseline ($now_pins outstanding)"
else
	nok "pinned user pages: $now_pins outstanding, baseline $base_pins"
fi
if [ "$now_warn" -eq "$base_warn" ]; then
	ok "kernel log free of warnings across the cycles"
else
	nok "kernel log gained warnings"
	dmesg | tail -n 40 | sed 's/^/# /'
fi
if grep -q '^cachetlb ' /proc/modules && [ -c /dev/cachetlb ]; then
	ok "module loaded again at the end"
else
	nok "module not loaded at the end"
fi
exit 0
