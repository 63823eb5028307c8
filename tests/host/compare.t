#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/compare.t - `ctbench compare` on real result sets
# (results/examples): 6.1 against 6.12 on one arch is compared (exit 0,
# every line <= 72 columns, both kernels named, what differs listed);
# a set against itself has no changed row; two arches are refused (exit
# 5) unless --cross-arch; --format csv/json/markdown; a corrupted set is
# refused (exit 1). TAP output.
# ctbench: $CTBENCH, else build/host/bench/ctbench (built here if missing).

REPO=$(cd "$(dirname "$0")/../.." && pwd)
exe=${CTBENCH:-$REPO/build/host/bench/ctbench}
if [ ! -x "$exe" ]; then
	make -s -C "$REPO/bench" O="$REPO/build/host/bench" \
		"$REPO/build/host/bench/ctbench" >/dev/null 2>&1
fi
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $*"; }
t() { local d=$1; shift; if "$@"; then ok "$d"; else nok "$d"; fi; }
echo "1..14"
if [ ! -x "$exe" ]; then
	for _ in $(seq 14); do ok "# SKIP no ctbench ($exe)"; done
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
EX=$REPO/results/examples
A=$(ls -d "$EX"/pair-kernels-x86-6.1-6.12/*-x86_64-6.1.*/ | head -1)
B=$(ls -d "$EX"/pair-kernels-x86-6.1-6.12/*-x86_64-6.12.*/ | head -1)
ARM=$(ls -d "$EX"/*-aarch64-6.1*/ | head -1)
narrow() { [ "$(awk 'length > 72' "$1" | wc -l)" -eq 0 ]; }

"$exe" compare "$A" "$B" >"$tmp/o" 2>"$tmp/e"
rc=$?
t "6.1 against 6.12 (x86_64): exit 0 (rc=$rc)" [ $rc -eq 0 ]
t "every line <= 72 columns" narrow "$tmp/o"
t "both kernels named" grep -q '^Kernel A: 6\.1\.' "$tmp/o"
t "  ... B too" grep -q '^Kernel B: 6\.12\.' "$tmp/o"
t "the header lists the differing kernel_release and package" sh -c \
	"grep -q '^  kernel_release: A 6.1' '$tmp/o' && grep -q '^  kernel_package: A' '$tmp/o'"
t "one line per row: every table row has a verdict" sh -c \
	"[ \$(grep -cE ' (slower|faster|same|drift|floor|n/a)[*]?\$' '$tmp/o') -ge 100 ]"

"$exe" compare "$A" "$A" >"$tmp/aa" 2>&1
rc=$?
t "a set against itself: exit 0, 0 slower, 0 faster (rc=$rc)" sh -c \
	"[ $rc -eq 0 ] && grep -q 'matched: 0 slower, 0 faster,' '$tmp/aa'"

"$exe" compare "$A" "$ARM" >"$tmp/x" 2>&1
rc=$?
t "x86_64 against arm64: refused with exit 5 naming both arches (rc=$rc)" \
	sh -c "[ $rc -eq 5 ] && grep -q 'A x86_64, B aarch64' '$tmp/x' && grep -q -- --cross-arch '$tmp/x'"
"$exe" compare --cross-arch "$A" "$ARM" >"$tmp/x2" 2>&1
rc=$?
t "--cross-arch: compared as ratios, exit 0, <= 72 columns (rc=$rc)" sh -c \
	"[ $rc -eq 0 ] && grep -q '^Cross-arch: ' '$tmp/x2' && [ \$(awk 'length > 72' '$tmp/x2' | wc -l) -eq 0 ]"

"$exe" compare --format csv --family tlb "$A" "$B" >"$tmp/c" 2>&1
t "--format csv --family tlb: header and only tlb rows" sh -c \
	"head -1 '$tmp/c' | grep -q '^op,family,count' && [ \$(grep -vc ',\"tlb\",' '$tmp/c') -eq 1 ]"
"$exe" compare --format json --op 'kpath_purge*' "$A" "$B" >"$tmp/j" 2>&1
t "--format json --op: parses, only that op" python3 -c "
import json, sys
d = json.load(open('$tmp/j'))
ops = {r['op'] for r in d['rows']}
sys.exit(0 if ops == {'kpath_purge', 'kpath_purge_ctl'} and d['kernel_b'].startswith('6.12') else 1)"
"$exe" compare --format markdown --op 'spin' "$A" "$B" >"$tmp/m" 2>&1
t "--format markdown: a table" grep -q '^| op | N | A | B |' "$tmp/m"
"$exe" compare --format xml "$A" "$B" >"$tmp/u" 2>&1
rc=$?
t "--format xml: usage error exit 2 naming the value (rc=$rc)" sh -c \
	"[ $rc -eq 2 ] && grep -q \"'xml'\" '$tmp/u'"

cp -r "$A" "$tmp/bad"
echo '{ "truncated": ' >"$tmp/bad/meta.json"
"$exe" compare "$tmp/bad" "$B" >"$tmp/b" 2>&1
rc=$?
t "a corrupted set: exit 1 naming it (rc=$rc)" sh -c \
	"[ $rc -eq 1 ] && grep -q 'bad result set' '$tmp/b'"
[ $fail -eq 0 ]
