#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/vm-warn.t - scripts/vm passes the command's exit status out of
# the guest, fails (100) with an excerpt when the guest kernel WARNs, and
# fails (124) when the guest hangs, and keeps the kernel's console lines in
# guest.log, out of the command's output.  TAP output.  Boots three guests of
# $CTB_VM_ARCH (default x86_64; kernel $CTB_VM_KERNEL, default 6.1).

REPO=$(cd "$(dirname "$0")/../.." && pwd)
arch=${CTB_VM_ARCH:-x86_64}
kernel=${CTB_VM_KERNEL:-6.1}
vm=("$REPO/scripts/vm" --arch "$arch" --kernel "$kernel")
out=$(mktemp)
trap 'rm -f "$out"' EXIT
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $*"; }

echo "1..7"

"${vm[@]}" -- 'cat /proc/cpuinfo; echo marker-$CTB_ARCH; exit 3' >"$out" 2>&1
st=$?
if [ $st -eq 77 ]; then
	for _ in 1 2 3 4 5 6 7; do ok "# SKIP $(grep -m1 '^SKIP' "$out")"; done
	exit 0
fi
[ $st -eq 3 ] && ok "guest command's exit status 3 is passed out" ||
	nok "guest command's exit status 3 is passed out (got $st)"
grep -q "^marker-$arch" "$out" && grep -q -i -E '^(processor|cpu|hart)' "$out" &&
	ok "guest stdout (cpuinfo, CTB_ARCH=$arch) reaches the host" ||
	nok "guest stdout (cpuinfo, CTB_ARCH=$arch) reaches the host"
# the kernel's console lines: in guest.log, not in the command's output
nk=$(grep -c -E '^\[ *[0-9]+\.[0-9]+\] ' "$out")
nl=$(grep -c -E '^\[ *[0-9]+\.[0-9]+\] ' "$REPO/build/$arch-$kernel/guest.log")
[ "$nk" -eq 0 ] && [ "$nl" -gt 0 ] &&
	ok "kernel console lines stay out of stdout ($nl in guest.log)" ||
	nok "kernel console lines stay out of stdout ($nk in it, $nl in guest.log)"

# A WARN from the module's test_warn parameter (the test fails if the
# parameter is missing: the command then exits 99, not 100).
"${vm[@]}" --no-build -- '
	p=/sys/module/cachetlb/parameters/test_warn
	if [ -w $p ]; then echo 1 >$p; else echo "no test_warn"; exit 99; fi
	echo still-running; exit 0' >"$out" 2>&1
st=$?
[ $st -eq 100 ] && ok "a guest kernel WARN makes scripts/vm exit 100 although the command exited 0" ||
	nok "a guest kernel WARN makes scripts/vm exit 100 (got $st)"
grep -q -E '^vm: guest kernel reported a problem' "$out" &&
	grep -q -E 'WARNING: CPU' "$out" &&
	ok "the WARNING excerpt is printed" ||
	nok "the WARNING excerpt is printed"

# The command's own output is not a kernel log, whatever it says.
"${vm[@]}" --no-build -- 'echo "WARNING: user text"; echo "BUG: user text"' >"$out" 2>&1
st=$?
[ $st -eq 0 ] && ok "\"WARNING:\" printed by the command itself is not a kernel warning" ||
	nok "\"WARNING:\" printed by the command itself is not a kernel warning (got $st)"

"${vm[@]}" --no-build --timeout 25 -- 'sleep 600' >"$out" 2>&1
st=$?
[ $st -eq 124 ] && grep -q 'hung' "$out" &&
	ok "a guest that does not finish within --timeout makes scripts/vm exit 124" ||
	nok "a guest that does not finish within --timeout makes scripts/vm exit 124 (got $st)"
[ $fail -eq 0 ]
