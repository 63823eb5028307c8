#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/native.t - the native run path says why it cannot run and
# names the fix: ctbench without the module and as a non-root user (a real
# 0600 character device node via CTB_DEVICE), scripts/native-probe on this
# host and on fake /proc,/sys trees (non-root, lockdown, modules_disabled,
# missing headers per distribution), make run NATIVE=1 failing instead of
# falling back, scripts/deps --native / non-Debian.  The wrong-ABI
# module is tests/host/abi-mismatch.t (a guest).  TAP.

REPO=$(cd "$(dirname "$0")/../.." && pwd)
B=$REPO/build/host-native
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); echo "not ok $n - $*"; }
check() { # description, then a command; ok if it succeeds
	local d=$1
	shift
	if "$@"; then ok "$d"; else nok "$d"; fi
}
T=$(mktemp -d /tmp/ctb-native.XXXXXX) || exit 1
trap 'rm -rf "$T"' EXIT
chmod 755 "$T"

echo "1..16"
make -s -C "$REPO/bench" O="$B" "$B/ctbench" >"$T/build.log" 2>&1 ||
	{ cat "$T/build.log"; echo "not ok - ctbench does not build"; exit 1; }
ctb=$B/ctbench

# 1-2: no module
CTB_DEVICE=$T/none "$ctb" info >"$T/out" 2>"$T/err"
st=$?
check "ctbench info without the device exits 3 (got $st)" [ $st -eq 3 ]
if grep -q 'not loaded' "$T/err"; then
	check "no module: names modprobe cachetlb and build/native/kmod/cachetlb.ko, once" \
		bash -c "grep -q 'modprobe cachetlb' '$T/err' && grep -q 'build/native/kmod/cachetlb.ko' '$T/err' && [ \$(cat '$T/out' '$T/err' | grep -c 'cannot open') -eq 1 ]"
else
	check "no module support here: says CONFIG_MODULES and the QEMU fallback, once" \
		bash -c "grep -q 'CONFIG_MODULES' '$T/err' && grep -q 'make run' '$T/err' && [ \$(cat '$T/out' '$T/err' | grep -c 'cannot open') -eq 1 ]"
fi

# 3-4: non-root against a root-only node
runas=''
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
	runas="setpriv --reuid=$(id -u nobody) --regid=$(id -g nobody) --clear-groups"
fi
if [ -n "$runas" ] && mknod -m 600 "$T/cachetlb" c 1 3 2>/dev/null; then
	CTB_DEVICE=$T/cachetlb $runas "$ctb" info >"$T/out" 2>"$T/err"
	st=$?
	check "non-root: exits 3 (got $st)" [ $st -eq 3 ]
	check "non-root: 'Permission denied' names root, CAP_SYS_ADMIN and sudo ($(head -c 160 "$T/err"))" \
		bash -c "grep -q 'Permission denied' '$T/err' && grep -q CAP_SYS_ADMIN '$T/err' && grep -q 'sudo' '$T/err'"
else
	ok "# SKIP non-root test needs root, user nobody, setpriv and mknod"
	ok "# SKIP non-root test needs root, user nobody, setpriv and mknod"
fi

# 5: this host
"$REPO/scripts/native-probe" >"$T/out" 2>&1
st=$?
if [ $st -ne 0 ]; then
	check "native-probe on this host: exit 1 with a reason and its fix ($(head -c 120 "$T/out"))" \
		bash -c "[ $st -eq 1 ] && grep -q '^make run: native: .*fix: ' '$T/out'"
else
	ok "native-probe on this host: module usable ($(tail -n1 "$T/out"))"
fi

# 6-11: fake trees
fake() { # dir: a kernel with modules, root, headers present
	rm -rf "$1"
	mkdir -p "$1/proc/sys/kernel" "$1/sys/kernel/security" "$1/lib/modules/9.9.9-test/build" "$1/etc"
	: >"$1/proc/modules"
	echo 9.9.9-test >"$1/krel"
	echo 0 >"$1/uid"
}
probe() { "$REPO/scripts/native-probe" --root "$1" --module "$T/nonexistent.ko" >"$T/out" 2>&1; }
R=$T/root
fake "$R"
probe "$R"
check "fake root with modules, root, headers: checks pass" grep -q 'checks passed' "$T/out"
fake "$R"; echo 1000 >"$R/uid"
probe "$R"
check "non-root: native-probe fails naming sudo make run" \
	bash -c "grep -q 'not root' '$T/out' && grep -q 'sudo make run' '$T/out'"
fake "$R"; echo 'none [integrity] confidentiality' >"$R/sys/kernel/security/lockdown"
probe "$R"
check "lockdown integrity: names mokutil and the DKMS key" \
	bash -c "grep -q 'lockdown is .integrity' '$T/out' && grep -q 'mokutil --import /var/lib/dkms/mok.pub' '$T/out'"
fake "$R"; echo 1 >"$R/proc/sys/kernel/modules_disabled"
probe "$R"
check "modules_disabled=1: says reboot" grep -q 'modules_disabled=1.*reboot' "$T/out"
fake "$R"; rm -rf "$R/lib/modules"; echo 'ID=fedora' >"$R/etc/os-release"
"$REPO/scripts/native-probe" --root "$R" --module "$T/nonexistent.ko" >"$T/out" 2>&1
st=$?
check "no headers on Fedora: exit 1, names dnf install kernel-devel-9.9.9-test" \
	bash -c "[ $st -eq 1 ] && grep -q 'dnf install kernel-devel-9.9.9-test' '$T/out'"
fake "$R"; rm -f "$R/proc/modules"; printf 'CONFIG_FOO=y\n# CONFIG_MODULES is not set\n' | gzip >"$R/proc/config.gz"
probe "$R"
check "no /proc/modules + CONFIG_MODULES unset: says so" \
	bash -c "grep -q 'no loadable module support' '$T/out' && grep -q 'CONFIG_MODULES is not set' '$T/out'"

# 12: make run NATIVE=1 fails loudly (only where native is impossible:
# elsewhere it would run the whole suite)
if [ -e /proc/modules ]; then
	ok "# SKIP make run NATIVE=1: this host can load modules"
else
	make -C "$REPO" --no-print-directory run NATIVE=1 >"$T/out" 2>&1
	st=$?
	check "make run NATIVE=1 here: fails ($st), says why, no QEMU fallback" \
		bash -c "[ $st -ne 0 ] && grep -q 'no loadable module support' '$T/out' && grep -q 'not falling back' '$T/out' && ! grep -q 'booting' '$T/out'"
fi

# 13-14: scripts/deps --native
"$REPO/scripts/deps" --native --list >"$T/out"
check "deps --native: hwloc/libpfm4/kmod, no QEMU or cross compiler" \
	bash -c "grep -qx libhwloc-dev '$T/out' && grep -qx kmod '$T/out' && ! grep -q -E 'qemu|aarch64|riscv64' '$T/out'"
"$REPO/scripts/deps" --list >"$T/out"
check "deps (default): still the guest matrix and the packaging tools" \
	bash -c "grep -qx qemu-system-arm '$T/out' && grep -qx gcc-riscv64-linux-gnu '$T/out' && grep -qx dkms '$T/out'"

# 15-16: non-Debian
echo 'ID=fedora' >"$T/osr"
CTB_DEPS_NONDEBIAN=1 CTB_OS_RELEASE=$T/osr PATH=$T/nobin:$PATH \
	"$REPO/scripts/deps" --native >"$T/out" 2>&1
st=$?
if [ -d "/lib/modules/$(uname -r)/build" ]; then
	check "non-Debian (fedora) with everything present: exit 0 ($st)" [ $st -eq 0 ]
else
	check "non-Debian (fedora), no headers: exit 1, installs nothing, names dnf install kernel-devel-$(uname -r)" \
		bash -c "[ $st -eq 1 ] && grep -q 'not installing anything' '$T/out' && grep -q 'dnf install.*kernel-devel-$(uname -r)' '$T/out'"
fi
echo 'ID=plan9' >"$T/osr"
CTB_DEPS_NONDEBIAN=1 CTB_OS_RELEASE=$T/osr "$REPO/scripts/deps" >"$T/out" 2>&1
check "unknown distribution, full mode: says only the native run is supported there" \
	grep -q 'only the native run is supported' "$T/out"
