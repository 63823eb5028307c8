#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# 00-boot.sh - the guest booted the pinned kernel and the helper module is
# loaded and sane: /dev/cachetlb is a root-only char device, the kernel log
# is clean.

ok() { echo "ok - $*"; }
nok() { echo "not ok - $*"; }
pat='WARNING:|BUG:|Oops|Call Trace|general protection|Unable to handle|Kernel panic|KASAN|UBSAN|soft lockup|hard LOCKUP'

rel=$(uname -r)
case "$rel" in
"${CTB_KERNEL:-unset}".*) ok "kernel $rel is the $CTB_KERNEL series" ;;
*) nok "kernel $rel is not the ${CTB_KERNEL:-unset} series CTB_KERNEL names" ;;
esac

# armhf (issue 24): the guest has more RAM than lowmem, so highmem exists
if [ "$(uname -m)" = armv7l ]; then
	ht=$(awk '/^HighTotal:/ {print $2}' /proc/meminfo)
	if [ "${ht:-0}" -gt 0 ]; then
		ok "armhf: HighTotal $ht kB > 0 (highmem pages exist)"
	else
		nok "armhf: HighTotal '${ht:-missing}' kB: no highmem (more --mem than lowmem needed)"
	fi
fi

if grep -q '^cachetlb ' /proc/modules; then
	ok "cachetlb module loaded"
else
	nok "cachetlb module loaded (not in /proc/modules)"
fi

if [ -c /dev/cachetlb ]; then
	ok "/dev/cachetlb is a character device"
	mode=$(stat -c %a /dev/cachetlb)
	owner=$(stat -c %u:%g /dev/cachetlb)
	if [ "$mode" = 600 ]; then
		ok "/dev/cachetlb mode is 0600"
	else
		nok "/dev/cachetlb mode is 0$mode, expected 0600"
	fi
	if [ "$owner" = 0:0 ]; then
		ok "/dev/cachetlb owned by root:root"
	else
		nok "/dev/cachetlb owned by $owner, expected 0:0"
	fi
else
	nok "/dev/cachetlb is a character device (missing)"
fi

if [ -d /sys/module/cachetlb/parameters ]; then
	ok "module parameters directory exists"
else
	nok "module parameters directory /sys/module/cachetlb/parameters missing"
fi

if dmesg | grep -v -E 'traps: |segfault at ' | grep -q -E "$pat"; then
	nok "dmesg clean since boot:"
	dmesg | grep -E -A 5 "$pat" | head -n 20 | sed 's/^/#   /'
else
	ok "dmesg clean since boot"
fi
