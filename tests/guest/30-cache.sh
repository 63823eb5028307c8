#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest test of the "cache" op family: runs cache_test (bench/tests/guest/
# cache_test.c) and checks the kernel log stayed free of warnings.
# Prints ok / not ok / # SKIP lines; exits 0 unless the test crashed.

bin=$(command -v cache_test 2>/dev/null)
if [ -z "$bin" ] && [ -n "$CTB_BUILD" ] && [ -x "$CTB_BUILD/bench/tests/guest/cache_test" ]; then
	bin=$CTB_BUILD/bench/tests/guest/cache_test
fi
if [ -z "$bin" ]; then
	echo "not ok - cache_test binary found (PATH or \$CTB_BUILD/bench/tests/guest)"
	exit 0
fi
if [ ! -c /dev/cachetlb ]; then
	echo "not ok - /dev/cachetlb exists (module loaded)"
	exit 0
fi

pat='WARNING:|BUG:|Oops|Call Trace|general protection|Unable to handle|Kernel panic|lockdep|KASAN'
before=$(dmesg | grep -cE "$pat")

"$bin"
rc=$?
if [ $rc -gt 1 ]; then
	echo "not ok - cache_test ran to completion (exit status $rc)"
fi

after=$(dmesg | grep -cE "$pat")
if [ "$after" -eq "$before" ]; then
	echo "ok - no kernel warnings during the cache tests"
else
	echo "not ok - no kernel warnings during the cache tests ($((after - before)) new lines):"
	dmesg | grep -E "$pat" | tail -n $((after - before)) | sed 's/^/# /'
fi
exit 0
