# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# tests/guest/lib.sh - sourced by the guest scripts that wrap one test
# binary built from tests/guest/*.c and watch the kernel log around it
# (30-cache.sh, 50-tlb.sh).  Not a test itself: run-all runs only
# [0-9][0-9]-*.sh.

# Kernel log lines that mean trouble; a script may add to the pattern.
warn_pat='WARNING:|BUG:|Oops|Call Trace|general protection|Unable to handle|Kernel panic|lockdep|KASAN'

# find_test NAME: sets bin to NAME from PATH or $CTB_BUILD/bench/tests/guest.
# Prints a "not ok" line and fails when it or /dev/cachetlb is missing.
find_test() {
	bin=$(command -v "$1" 2>/dev/null)
	if [ -z "$bin" ] && [ -n "$CTB_BUILD" ] && [ -x "$CTB_BUILD/bench/tests/guest/$1" ]; then
		bin=$CTB_BUILD/bench/tests/guest/$1
	fi
	if [ -z "$bin" ]; then
		echo "not ok - $1 binary found (PATH or \$CTB_BUILD/bench/tests/guest)"
		return 1
	fi
	if [ ! -c /dev/cachetlb ]; then
		echo "not ok - /dev/cachetlb exists (module loaded)"
		return 1
	fi
}

# count_warnings: how many kernel log lines match $warn_pat.
count_warnings() {
	dmesg | grep -cE "$warn_pat"
}

# check_exit NAME RC: a test binary exits 0, or 1 when a check failed;
# anything above means it did not run to completion.
check_exit() {
	if [ "$2" -gt 1 ]; then
		echo "not ok - $1 ran to completion (exit status $2)"
	fi
}

# check_warnings BEFORE WHAT: no warning lines beyond the BEFORE counted.
check_warnings() {
	after=$(count_warnings)
	if [ "$after" -eq "$1" ]; then
		echo "ok - no kernel warnings during $2"
	else
		echo "not ok - no kernel warnings during $2 ($((after - $1)) new lines):"
		dmesg | grep -E "$warn_pat" | tail -n $((after - $1)) | sed 's/^/# /'
	fi
}
