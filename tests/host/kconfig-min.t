#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/kconfig-min.t - scripts/kconfig/ctb-x86_64-min.config, the
# small own-kernel config of docs/patch-review.md section 6:
#   - it builds in (=y) every option scripts/own-kernel requires of a tree
#     without installed modules (read from that script), and what the
#     guest's /init mounts and the module's symbol lookup need;
#   - kconfig keeps every option of it: `make allnoconfig
#     KCONFIG_ALLCONFIG=<fragment>` on the Debian linux-source-6.1 tree
#     ($CTB_LINUX_SOURCE, default /usr/src/linux-source-6.1.tar.xz; only
#     the kconfig files are unpacked) yields a .config holding every line
#     of the fragment (kconfig drops an option whose dependencies are not
#     met without a word).
# TAP output.  Skips the kconfig part without the tarball, flex or bison.

REPO=$(cd "$(dirname "$0")/../.." && pwd)
FRAG=$REPO/scripts/kconfig/ctb-x86_64-min.config
SRC=${CTB_LINUX_SOURCE:-/usr/src/linux-source-6.1.tar.xz}
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $*"; }
# none WHAT-MISSING OK-TEXT NOT-OK-TEXT
none() { if [ -z "$1" ]; then ok "$2"; else nok "$3"; fi; }
echo "1..5"

has() { grep -qx "$1=y" "$FRAG"; }
missing() {	# OPTION... -> the ones the fragment does not build in
	local c out=''
	for c in "$@"; do has "$c" || out="$out $c"; done
	printf '%s' "${out# }"
}

# scripts/own-kernel: "for c in CONFIG_A CONFIG_B ...; do ... =y"
req=$(sed -n 's/^[[:space:]]*for c in \(CONFIG_[A-Z0-9_ ]*\); do$/\1/p' \
	"$REPO/scripts/own-kernel")
if [ -z "$req" ]; then
	nok "scripts/own-kernel's built-in requirements found (none parsed)"
else
	# shellcheck disable=SC2086 # a word list
	m=$(missing $req)
	none "$m" "builds in what scripts/own-kernel requires: $req" \
		"the fragment does not build in: $m"
fi

# /init: each file system type it mounts, and the gzip'd initramfs
want=''
while read -r fs; do
	case "$fs" in
	proc) want="$want CONFIG_PROC_FS" ;;
	sysfs) want="$want CONFIG_SYSFS" ;;
	devtmpfs) want="$want CONFIG_DEVTMPFS" ;;
	devpts) want="$want CONFIG_UNIX98_PTYS" ;;
	tmpfs) want="$want CONFIG_TMPFS" ;;
	debugfs) want="$want CONFIG_DEBUG_FS" ;;
	9p) want="$want CONFIG_9P_FS" ;;
	*) want="$want unknown-fs-$fs" ;;
	esac
done < <(sed -n 's/^mount -t \([a-z0-9]*\) .*/\1/p' "$REPO/scripts/guest/init" | sort -u)
grep -q 'gzip' "$REPO/scripts/guest/mkinitramfs" &&
	want="$want CONFIG_BLK_DEV_INITRD CONFIG_RD_GZIP"
# shellcheck disable=SC2086
m=$(missing $want)
none "$m" "builds in what the guest /init mounts and unpacks:$want" \
	"the guest /init needs, the fragment lacks: $m"

# the module resolves a data symbol (tlb_single_page_flush_ceiling) from
# /proc/kallsyms: only with KALLSYMS_ALL
if grep -q '"tlb_single_page_flush_ceiling"' "$REPO/kmod/resolve.c"; then
	m=$(missing CONFIG_MODULES CONFIG_MODULE_UNLOAD CONFIG_KALLSYMS_ALL)
	none "$m" "loadable module with data symbols in kallsyms" \
		"the module needs, the fragment lacks: $m"
else
	nok "kmod/resolve.c no longer names tlb_single_page_flush_ceiling: update this test"
fi

skip2() { ok "# SKIP $*"; ok "# SKIP $*"; exit $((fail > 0)); }
[ -f "$SRC" ] || skip2 "no kernel source tarball $SRC"
if ! command -v flex >/dev/null || ! command -v bison >/dev/null; then
	skip2 "no flex/bison to build kconfig"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! tar -C "$tmp" -xJf "$SRC" --wildcards '*Kconfig*' '*Makefile*' \
	'*Kbuild*' '*/scripts/*' '*/kernel/configs/*' \
	'*/arch/x86/configs/*' '*/include/linux/compiler*' \
	'*/include/linux/kconfig.h' >"$tmp/tar.log" 2>&1; then
	skip2 "cannot unpack the kconfig files of $SRC ($(tail -n1 "$tmp/tar.log"))"
fi
top=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d | head -n1)
if ! make -C "$top" ARCH=x86_64 allnoconfig KCONFIG_ALLCONFIG="$FRAG" \
	>"$tmp/make.log" 2>&1; then
	nok "make allnoconfig with the fragment failed: $(tail -n 3 "$tmp/make.log" | tr '\n' ' ')"
	ok "# SKIP no .config"
	exit 1
fi
ok "make allnoconfig KCONFIG_ALLCONFIG=<fragment> on $(basename "$SRC")"
lost=''
while IFS= read -r l; do
	case "$l" in
	CONFIG_*=*|'# CONFIG_'*' is not set') grep -qxF "$l" "$top/.config" ||
		lost="$lost ${l%%=*}" ;;
	esac
done <"$FRAG"
none "$lost" "every line of the fragment is in the resulting .config" \
	"kconfig dropped (unmet dependencies?):$lost"
exit $((fail > 0))
