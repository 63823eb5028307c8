#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest test of the "tlb" op family: runs tlb_test (tests/guest/
# tlb_test.c) and checks the kernel log stayed free of warnings.  The
# harness runs it with --smp 2 and --smp 4 (the name contains "tlb").
# Prints ok / not ok / # SKIP lines; exits 0 unless the test crashed.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
warn_pat="$warn_pat|Missing ENDBR"

find_test tlb_test || exit 0
before=$(count_warnings)

"$bin"
rc=$?
# tlb_test offlines a CPU for the offline-target check; make sure every
# CPU is back even if it died in between.
for f in /sys/devices/system/cpu/cpu[0-9]*/online; do
	[ -w "$f" ] && [ "$(cat "$f")" = 0 ] && echo 1 > "$f"
done
check_exit tlb_test $rc
check_warnings "$before" "the tlb tests"
exit 0
