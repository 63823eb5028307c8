# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# tests/guest/lib.sh - sourced by the guest scripts: those that wrap one
# test binary built from tests/guest/*.c and watch the kernel log around
# it (30-cache.sh, 50-tlb.sh, ...) and those that check ctbench itself
# (40-ctbench.sh, 45-*.sh).  Not a test itself: run-all runs only
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

# --- TAP helpers of the scripts that check ctbench --------------------------

# pass/fail DESC: one TAP line; fail counts in $fails.  $failed is 1 after
# a check that failed, 0 after one that passed.
fails=0
# shellcheck disable=SC2034 # read by the scripts that source this
failed=0
pass() { echo "ok - $*"; }
fail() { echo "not ok - $*"; fails=$((fails + 1)); }
# check DESC COND... : run the condition, report
check() {
	d=$1
	shift
	# shellcheck disable=SC2034
	if "$@"; then pass "$d"; failed=0; else fail "$d"; failed=1; fi
}
# todo WHY DESC COND... : a known open problem (TAP "# TODO"): reported,
# never counted as a failure (run-all counts a failing TODO as skipped)
todo() {
	w=$1 d=$2
	shift 2
	if "$@"; then pass "$d # TODO $w"; else echo "not ok - $d # TODO $w"; fi
}
# has FILE PATTERN: a line of FILE matches PATTERN
has() { grep -q -- "$2" "$1"; }

# scratch NAME: T is a new directory $TMPDIR/NAME.<pid>, removed on exit.
scratch() {
	T=${TMPDIR:-/tmp}/$1.$$
	mkdir -p "$T" || exit 1
	trap 'rm -rf "$T"' EXIT
}

# need_ctbench: ctbench on PATH and /dev/cachetlb there, else a "not ok"
# line and exit 1.
need_ctbench() {
	if ! command -v ctbench >/dev/null 2>&1; then
		echo "not ok - ctbench not on PATH (bench/Makefile builds \$(O)/ctbench)"
		exit 1
	fi
	if [ ! -c /dev/cachetlb ]; then
		echo "not ok - /dev/cachetlb missing: is the cachetlb module loaded?"
		exit 1
	fi
}
