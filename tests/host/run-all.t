#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/run-all.t - tests/guest/run-all's counting, filtering and exit
# status, run under busybox sh on the host with stand-in guest scripts.

REPO=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 fail=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $*"; }
check() { local d=$1; shift; if "$@"; then ok "$d"; else nok "$d"; fi; }
echo "1..10"

if command -v busybox >/dev/null; then sh="busybox sh"; else sh="sh"; fi
mk() { printf '#!/bin/sh\n%s\n' "$2" >"$tmp/$1"; chmod +x "$tmp/$1"; }
cp "$REPO/tests/guest/run-all" "$tmp/run-all"
mk 01-pass.sh 'echo "ok - one"; echo "ok - two"; echo "# a comment"'
mk 02-skip.sh 'echo "ok - three # SKIP not here"'
mk 03-fail.sh 'echo "ok - four"; echo "not ok - five"'
mk 04-crash.sh 'echo "ok - six"; exit 3'
mk 05-silent.sh 'true'
mk 06-tlb.sh 'echo "ok - tlb one"'
printf '#!/bin/sh\necho "ok - never"\n' >"$tmp/07-noexec.sh"
echo 'echo "ok - not a test"' >"$tmp/helper.sh"

CTB_TARGET=test-0.0 $sh "$tmp/run-all" >"$tmp/all.out" 2>&1
st=$?
last=$(tail -n1 "$tmp/all.out")
check "summary counts: 5 passed, 4 failed, 1 skipped ($last)" \
	[ "$last" = "guest test-0.0: 5 passed, 4 failed, 1 skipped" ]
check "exit status 1 when something failed (got $st)" [ $st -eq 1 ]
check "output lines carry the script name" grep -q '^03-fail: not ok - five$' "$tmp/all.out"
check "a crashing script (exit 3) is a failure" \
	grep -q '^04-crash: not ok - 04-crash.sh exited with status 3$' "$tmp/all.out"
check "a script without results is a failure" \
	grep -q '^05-silent: not ok - 05-silent.sh printed no ok/not ok lines$' "$tmp/all.out"
check "a non-executable script is a failure" \
	grep -q '^07-noexec: not ok - 07-noexec.sh is not executable$' "$tmp/all.out"
check "files not named NN-*.sh are not run" eval '! grep -q "not a test" "$tmp/all.out"'

CTB_TARGET=test-0.0 $sh "$tmp/run-all" '*tlb*' pass >"$tmp/f.out" 2>&1
st=$?
check "glob and word filters select 01-pass and 06-tlb only ($(tail -n1 "$tmp/f.out"))" \
	[ "$(tail -n1 "$tmp/f.out")" = "guest test-0.0: 3 passed, 0 failed, 0 skipped" ]
check "exit status 0 when nothing failed (got $st)" [ $st -eq 0 ]

CTB_TARGET=test-0.0 $sh "$tmp/run-all" nomatch >"$tmp/n.out" 2>&1
st=$?
check "a filter matching nothing exits 2 (got $st)" [ $st -eq 2 ]
[ $fail -eq 0 ]
