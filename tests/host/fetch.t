#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/fetch.t - scripts/fetch-kernel refuses a download whose SHA256
# differs from the lock, names the refresh command when a pinned package is
# gone from the archive, and scripts/vm turns an unfetchable target into a
# SKIP (exit 77).  The pinned riscv64 emulator (host-riscv64) is unpacked,
# runs and offers Zicbom; a bad pin of it only drops back to the system
# QEMU with a reason.  Uses a scratch cache and lock; downloads a few MB of
# guest packages (and the ~8 MB emulator unless $CTB_CACHE already has it).

REPO=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 fail=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $*"; }
echo "1..11"

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

# The riscv64 host emulator: pinned, from bookworm-backports, the QEMU
# depending on the pinned OpenSBI.
q=$(awk '$1 == "host-riscv64" && $2 == "qemu-system-riscv"' "$lock")
o=$(awk '$1 == "host-riscv64" && $2 == "opensbi"' "$lock")
case "$q" in *"~bpo12"*_amd64.deb*) qok=1 ;; *) qok= ;; esac
case "$o" in *"~bpo12"*_all.deb*) ook=1 ;; *) ook= ;; esac
[ -n "$qok" ] && [ -n "$ook" ] &&
	ok "kernels.lock pins qemu-system-riscv (amd64) and opensbi from bookworm-backports" ||
	nok "kernels.lock pins qemu-system-riscv (amd64) and opensbi from bookworm-backports"

# prepare_emulator() on a scratch cache, seeded from the real one (every
# .deb is verified again anyway).
real=${CTB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cachetlb-bench}
mkdir -p "$tmp/cache3/debs"
for f in $(awk '$1 == "host-riscv64" { n = split($6, a, "/"); print a[n] }' "$lock"); do
	[ -f "$real/debs/$f" ] && cp "$real/debs/$f" "$tmp/cache3/debs/"
done
emu() {
	CTB_CACHE=$tmp/cache3 CTB_LOCK=$1 python3 - "$REPO/scripts/fetch-kernel" <<'EOF'
import importlib.machinery, importlib.util, sys
ld = importlib.machinery.SourceFileLoader('fk', sys.argv[1])
m = importlib.util.module_from_spec(importlib.util.spec_from_loader('fk', ld))
ld.exec_module(m)
for k, v in m.prepare_emulator('riscv64', m.read_lock()).items():
    print('%s=%s' % (k, v))
EOF
}
emu "$lock" >"$tmp/out4" 2>&1
qemu=$(sed -n 's/^CTB_QEMU=//p' "$tmp/out4")
bios=$(sed -n 's/^CTB_QEMU_BIOS=//p' "$tmp/out4")
if [ -n "$qemu" ] && [ -x "$qemu" ] && [ -f "$bios" ] &&
	grep -q '^CTB_QEMU_VERSION=QEMU emulator version 10\.' "$tmp/out4"; then
	ok "the pinned qemu-system-riscv64 is unpacked and runs ($(sed -n 's/^CTB_QEMU_VERSION=//p' "$tmp/out4"))"
else
	nok "the pinned qemu-system-riscv64 is unpacked and runs: $(tail -n 3 "$tmp/out4")"
fi
# The guest's view of the CPU, without booting it: the device tree.
if [ -n "$qemu" ] && "$qemu" -M "virt,dumpdtb=$tmp/virt.dtb" \
	-cpu rv64,zicbom=true,zicboz=true,sv48=on -bios "$bios" -nodefaults \
	-display none -serial null -monitor none >/dev/null 2>&1 &&
	grep -a -q '_zicbom_' "$tmp/virt.dtb" && grep -a -q 'riscv,cbom-block-size' "$tmp/virt.dtb" &&
	grep -a -q 'riscv,sv48' "$tmp/virt.dtb"; then
	ok "its virt machine (scripts/vm's -cpu) has Zicbom with a block size, sv48"
else
	nok "its virt machine (scripts/vm's -cpu) has Zicbom with a block size, sv48"
fi
awk '$1 == "host-riscv64" && $2 == "opensbi" { $8 = "1111111111111111111111111111111111111111111111111111111111111111" } { print }' \
	"$lock" >"$tmp/badqemu.lock"
rm -rf "$tmp/cache3/host"
emu "$tmp/badqemu.lock" >"$tmp/out5" 2>&1
grep -q '^CTB_QEMU=$' "$tmp/out5" &&
	grep -q '^CTB_QEMU_REASON=host-riscv64: .*SHA256 .* does not match kernels.lock' "$tmp/out5" &&
	[ ! -d "$tmp/cache3/host/riscv64" ] &&
	ok "a bad emulator pin falls back to the system QEMU with the reason, nothing unpacked" ||
	nok "a bad emulator pin falls back to the system QEMU with the reason: $(tail -n 3 "$tmp/out5")"
[ $fail -eq 0 ]
