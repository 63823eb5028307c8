#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The run-to-run experiment of docs/measurement.md (not part of run-all).
#   spread-runs.sh TAG [DIR]          10 independent `ctbench run` commands
#                                     per op of a small op set
#   spread-runs.sh --suite TAG [DIR]  10 independent `ctbench suite quick`
# Every row's CSV line is prefixed with its run number, into
# DIR/runs-<arch>-<kernel>-<TAG>.csv (suites-... with --suite; DIR
# defaults to /src/build/exp). Unsupported ops are simply absent.
#   scripts/vm --arch arm64 --kernel 6.1 -- tests/guest/spread-runs.sh b1
#   scripts/measure-spread build/exp/runs-*.csv
suite=0
if [ "$1" = --suite ]; then
	suite=1
	shift
fi
tag=${1:?usage: spread-runs.sh [--suite] TAG [DIR]}
dir=${2:-/src/build/exp}
mkdir -p "$dir" || exit 1
kind=runs
[ $suite -eq 1 ] && kind=suites
out=$dir/$kind-$CTB_ARCH-$CTB_KERNEL-$tag.csv
tmp=${TMPDIR:-/tmp}/spread.$$
mkdir -p "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/all.csv"
for i in 1 2 3 4 5 6 7 8 9 10; do
	if [ $suite -eq 1 ]; then
		# results below tmpfs: writing 150 raw files over 9p is slow
		rm -rf "$tmp/s"
		ctbench suite quick -o "$tmp/s" >"$tmp/suite.txt" 2>&1
		grep -E '^wall time' "$tmp/suite.txt"
		sed 1d "$tmp"/s/*/results.csv | sed "s/^/$i,/" >>"$tmp/all.csv"
		continue
	fi
	for spec in "nop" "spin --count 64" "uaccess_copy" "flush_tlb_all" \
		"flush_tlb_kernel_range --pages 1,512" "ipi_flush_all" \
		"flush_dcache_page --pages 16 --state dirty"; do
		# shellcheck disable=SC2086 # spec is an op plus its options
		ctbench run $spec --csv 2>/dev/null | sed 1d | sed "s/^/$i,/" >>"$tmp/all.csv"
	done
done
ctbench run nop --rounds 1 --samples 3 --csv 2>/dev/null | head -1 | sed 's/^/run,/' >"$out"
cat "$tmp/all.csv" >>"$out"
echo "rows: $(wc -l <"$out")"
