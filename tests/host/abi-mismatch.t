#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/abi-mismatch.t - a module of another ABI version, for real:
# kmod/ is built against the pinned x86_64-6.1 headers with
# CACHETLB_ABI_VERSION raised by 1000 (a copy in build/abi-mismatch/),
# loaded into an x86_64-6.1 guest (scripts/vm --module) where ctbench info
# and ctbench list must fail naming both ABI versions and the fix.  TAP.
# Target: $CTB_ABI_TARGET (default x86_64-6.1).

REPO=$(cd "$(dirname "$0")/../.." && pwd)
t=${CTB_ABI_TARGET:-x86_64-6.1}
B=$REPO/build/abi-mismatch/$t
echo "1..3"
if ! envtxt=$("$REPO/scripts/fetch-kernel" --env "$t"); then
	r=$(printf '%s\n' "$envtxt" | grep -m1 '^SKIP')
	for i in 1 2 3; do echo "ok $i # SKIP ${r:-cannot fetch $t}"; done
	exit 0
fi
eval "$envtxt"
ours=$(sed -n 's/^#define CACHETLB_ABI_VERSION[[:space:]]*\([0-9]*\).*/\1/p' "$REPO/include/uapi/cachetlb.h")
other=$((ours + 1000))
rm -rf "$B" && mkdir -p "$B" || exit 1
rsync -a --exclude='*.o' --exclude='*.ko' --exclude='*.cmd' --exclude='*.mod*' \
	"$REPO/kmod/" "$B/kmod/" && rsync -a "$REPO/include/" "$B/include/" || exit 1
sed -i "s/^\(#define CACHETLB_ABI_VERSION[[:space:]]*\)[0-9]*/\1$other/" "$B/include/uapi/cachetlb.h"
# shellcheck disable=SC2086
make -C "$B/kmod" KDIR="$CTB_KDIR" ARCH="$CTB_KARCH" CROSS_COMPILE="$CTB_CROSS_COMPILE" \
	$CTB_KMAKE_EXTRA >"$B/build.log" 2>&1
if [ -f "$B/kmod/cachetlb.ko" ]; then
	echo "ok 1 - module with ABI $other (ours: $ours) builds for $t"
else
	echo "not ok 1 - module with ABI $other does not build for $t (build/abi-mismatch/$t/build.log)"
	echo "not ok 2 - (no module)"; echo "not ok 3 - (no module)"
	exit 0
fi
"$REPO/scripts/vm" --arch "${t%-*}" --kernel "${t#*-}" --module "$B/kmod/cachetlb.ko" -- '
	ctbench info >/tmp/i 2>&1; echo "info-status=$?"
	ctbench list >/tmp/l 2>&1; echo "list-status=$?"
	sed "s/^/info: /" /tmp/i; sed "s/^/list: /" /tmp/l
	grep -q "ABI '"$other"'" /tmp/i && grep -q "rmmod cachetlb" /tmp/i && grep -q "same release" /tmp/i && echo info-msg-ok
	grep -q "ABI '"$other"'" /tmp/l && grep -q "rmmod cachetlb" /tmp/l && echo list-msg-ok
	true' >"$B/guest.log" 2>&1
st=$?
tr -d '\r' <"$B/guest.log" >"$B/guest.txt"
msg=$(grep -m1 '^info: ctbench: ' "$B/guest.txt" | cut -c1-200)
if [ $st -eq 0 ] && grep -q '^info-status=[1-9]' "$B/guest.txt" && grep -q '^info-msg-ok' "$B/guest.txt"; then
	echo "ok 2 - ctbench info against the ABI $other module fails naming ABI $other, $ours and the fix ($msg)"
else
	echo "not ok 2 - ctbench info against the ABI $other module (vm status $st; build/abi-mismatch/$t/guest.txt): $msg"
fi
if grep -q '^list-status=[1-9]' "$B/guest.txt" && grep -q '^list-msg-ok' "$B/guest.txt"; then
	echo "ok 3 - ctbench list fails the same way"
else
	echo "not ok 3 - ctbench list against the ABI $other module ($(grep -m1 '^list: ' "$B/guest.txt" | cut -c1-160))"
fi
