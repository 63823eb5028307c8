#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/dkms.t - `dkms build` (DKMS 3, as the cachetlb-dkms package
# runs it) of the packaged source tree against every pinned headers tree
# of the guest matrix ($CTB_CHECK_TARGETS or all five), cross-compiling
# arm64 and riscv64 through dkms.conf (scripts/dkms-build).  Per target:
# the build succeeds without warnings and the .ko is an ELF of the
# target's architecture whose vermagic is the target kernel's and whose
# version is the package's.  The guest phase of scripts/check then loads
# these modules (scripts/vm --module).  TAP.

REPO=$(cd "$(dirname "$0")/../.." && pwd)
MATRIX="x86_64-6.1 x86_64-6.12 arm64-6.1 arm64-6.12 riscv64-6.12"
MATRIX="$MATRIX s390x-6.1 armhf-6.1 ppc64el-6.1"
# shellcheck disable=SC2206
targets=(${CTB_CHECK_TARGETS:-$MATRIX})
ver=$(sed -n 's/^#define CTB_MODULE_VERSION[[:space:]]*"\(.*\)"/\1/p' "$REPO/kmod/cachetlb.h")
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); echo "not ok $n - $*"; }
echo "1..$((2 * ${#targets[@]}))"

if ! command -v dkms >/dev/null; then
	for t in "${targets[@]}"; do
		ok "dkms build $t # SKIP dkms not installed (scripts/deps)"
		ok "dkms .ko $t # SKIP dkms not installed (scripts/deps)"
	done
	exit 0
fi
for t in "${targets[@]}"; do
	start=$(date +%s)
	out=$("$REPO/scripts/dkms-build" "$t" 2>&1)
	st=$?
	secs=$(($(date +%s) - start))
	if [ $st -eq 77 ]; then
		ok "dkms build $t # SKIP $(printf '%s\n' "$out" | grep -m1 '^SKIP')"
		ok "dkms .ko $t # SKIP target not fetched"
		continue
	fi
	log=$REPO/build/dkms/$t/make.log
	nw=$(grep -c -E 'warning:|WARNING:' "$log" 2>/dev/null)
	if [ $st -eq 0 ] && [ "${nw:-1}" -eq 0 ]; then
		ok "dkms build $t: ok, no warnings ($secs s)"
	else
		nok "dkms build $t: status $st, ${nw:-?} warning lines ($secs s)"
		printf '%s\n' "$out" | tail -n 20 | sed 's/^/# /'
		nok "dkms .ko $t (not built)"
		continue
	fi
	ko=$REPO/build/dkms/$t/cachetlb.ko
	eval "$("$REPO/scripts/fetch-kernel" --env "$t")"
	case "${t%-*}" in
	x86_64) want='x86-64' ;;
	arm64) want='aarch64' ;;
	riscv64) want='RISC-V' ;;
	s390x) want='IBM S/390' ;;
	armhf) want='ARM, EABI5' ;;
	ppc64el) want='64-bit PowerPC' ;;
	esac
	bits=64
	[ "${t%-*}" = armhf ] && bits=32
	vm=$(modinfo -F vermagic "$ko" 2>/dev/null)
	mv=$(modinfo -F version "$ko" 2>/dev/null)
	if file -b "$ko" | grep -q "ELF $bits-bit.*relocatable.*$want" &&
	   [ "${vm%% *}" = "$CTB_KREL" ] && [ "$mv" = "$ver" ]; then
		ok "dkms .ko $t: $want ELF, vermagic $CTB_KREL, version $mv"
	else
		nok "dkms .ko $t: file '$(file -b "$ko" | cut -c1-50)', vermagic '${vm%% *}' (want $CTB_KREL), version '$mv' (want $ver)"
	fi
done
