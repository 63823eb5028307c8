#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/fetch.t - scripts/fetch-kernel refuses a download whose SHA256
# differs from the lock, names the refresh command when a pinned package is
# gone from the archive, and scripts/vm turns an unfetchable target into a
# SKIP (exit 77).  Uses a scratch cache and lock; downloads a few MB of guest packages.

REPO=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 fail=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $*"; }
echo "1..7"

lock=$REPO/kernels.lock
grep -q '^riscv64-6.12 image ' "$lock" && ok "kernels.lock pins the riscv64-6.12 image" ||
	nok "kernels.lock pins the riscv64-6.12 image"
bad=$(awk '!/^#/ && NF != 8' "$lock" | wc -l)
badsha=$(awk '!/^#/ && !(length($8) == 64 && $8 ~ /^[0-9a-f]+$/)' "$lock" | wc -l)
[ "$bad" -eq 0 ] && [ "$badsha" -eq 0 ] &&
	ok "every lock row has 8 columns and a 64-hex SHA256" ||
	nok "every lock row has 8 columns and a 64-hex SHA256 ($bad bad rows, $badsha bad hashes)"

# A lock whose x86_64-6.1 rows are the real ones except one wrong hash on
# the smallest package (busybox-static of the guest arch).
grep -v '^#' "$lock" | grep -E '^(x86_64-6.1|x86_64) ' |
	awk '$2 == "busybox-static" { $8 = "0000000000000000000000000000000000000000000000000000000000000000" } { print }' \
	>"$tmp/badsha.lock"
CTB_LOCK=$tmp/badsha.lock CTB_CACHE=$tmp/cache1 \
	"$REPO/scripts/fetch-kernel" x86_64-6.1 >"$tmp/out1" 2>&1
st=$?
[ $st -eq 3 ] && grep -q '^SKIP x86_64-6.1: .*SHA256 .* does not match kernels.lock' "$tmp/out1" &&
	ok "a SHA256 mismatch is refused with a SKIP naming it" ||
	nok "a SHA256 mismatch is refused with a SKIP naming it (status $st: $(tail -n1 "$tmp/out1"))"
[ ! -e "$tmp/cache1/debs/$(awk '$2 == "busybox-static" { n = split($6, a, "/"); print a[n] }' "$tmp/badsha.lock")" ] &&
	ok "the mismatching download is not kept in the cache" ||
	nok "the mismatching download is not kept in the cache"
[ ! -d "$tmp/cache1/targets/x86_64-6.1" ] &&
	ok "nothing is unpacked for a target with a bad download" ||
	nok "nothing is unpacked for a target with a bad download"

# A package that is gone from the archive.
grep -v '^#' "$lock" | grep -E '^riscv64-6.12 ' |
	sed -E 's#^(riscv64-6.12 image [^ ]+ [^ ]+ [^ ]+ )[^ ]+#\1pool/main/l/linux/linux-image-0.0.0-gone_riscv64.deb#' \
	>"$tmp/gone.lock"
CTB_LOCK=$tmp/gone.lock CTB_CACHE=$tmp/cache2 \
	"$REPO/scripts/fetch-kernel" riscv64-6.12 >"$tmp/out2" 2>&1
st=$?
[ $st -eq 3 ] && grep -q '^SKIP riscv64-6.12: .*gone from the archive.*scripts/fetch-kernel --update-lock' "$tmp/out2" &&
	ok "a pinned package gone from the archive names the refresh command" ||
	nok "a pinned package gone from the archive names the refresh command (status $st: $(tail -n1 "$tmp/out2"))"

# scripts/vm: a target missing from the lock is a SKIP, exit 77.
grep -v '^riscv64' "$lock" >"$tmp/norv.lock"
CTB_LOCK=$tmp/norv.lock "$REPO/scripts/vm" --arch riscv64 --no-build -- true >"$tmp/out3" 2>&1
st=$?
[ $st -eq 77 ] && grep -q '^SKIP riscv64-6.12: ' "$tmp/out3" &&
	ok "scripts/vm prints SKIP and exits 77 for an unfetchable target" ||
	nok "scripts/vm prints SKIP and exits 77 for an unfetchable target (status $st)"
[ $fail -eq 0 ]
