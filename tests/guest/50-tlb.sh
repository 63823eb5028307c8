#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest test of the "tlb" op family: runs tlb_test (bench/tests/guest/
# tlb_test.c) and checks the kernel log stayed free of warnings.  The
# harness runs it with --smp 2 and --smp 4 (the name contains "tlb").
# Prints ok / not ok / # SKIP lines; exits 0 unless the test crashed.

bin=$(command -v tlb_test 2>/dev/null)
if [ -z "$bin" ] && [ -n "$CTB_BUILD" ] && [ -x "$CTB_BUILD/bench/tests/guest/tlb_test" ]; then
	bin=$CTB_BUILD/bench/tests/guest/tlb_test
fi
if [ -z "$bin" ]; then
	echo "not ok - tlb_test binary found (PATH or \$CTB_BUILD/bench/tests/guest)"
	exit 0
fi
if [ ! -c /dev/cachetlb ]; then
	echo "not ok - /dev/cachetlb exists (module loaded)"
	exit 0
fi

pat='WARNING:|BUG:|Oops|Call Trace|general protection|Unable to handle|Kernel panic|lockdep|KASAN|Missing ENDBR'
before=$(dmesg | grep -cE "$pat")

"$bin"
rc=$?
# tlb_test offlines a CPU for the offline-target check; make sure every
# CPU is back even if it died in between.
for f in /sys/devices/system/cpu/cpu[0-9]*/online; do
	[ -w "$f" ] && [ "$(cat "$f")" = 0 ] && echo 1 > "$f"
done
if [ $rc -gt 1 ]; then
	echo "not ok - tlb_test ran to completion (exit status $rc)"
fi

after=$(dmesg | grep -cE "$pat")
if [ "$after" -eq "$before" ]; then
	echo "ok - no kernel warnings during the tlb tests"
else
	echo "not ok - no kernel warnings during the tlb tests ($((after - before)) new lines):"
	dmesg | grep -E "$pat" | tail -n $((after - before)) | sed 's/^/# /'
fi
exit 0
