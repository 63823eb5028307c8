#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/vm-kernel.t - scripts/vm --kernel with a kernel of your own
# (issue 19): a kernel tree and a .deb set, both put together from the
# pinned Debian x86_64 6.1 packages, boot with the module built against
# them and the result set records the kernel (release, source, .config
# hash); bad input exits 2 before anything boots: a nonexistent tree, a
# tree without an image, headers that do not match the image (tree and
# .debs), a .deb set without headers.  TAP output.  Two guest boots.

REPO=$(cd "$(dirname "$0")/../.." && pwd)
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $*"; }
t() { local d=$1; shift; if "$@"; then ok "$d"; else nok "$d"; fi; }
N=11
echo "1..$N"
skip_all() { for _ in $(seq $N); do ok "# SKIP $*"; done; exit 0; }

env61=$("$REPO/scripts/fetch-kernel" --env x86_64-6.1 2>/dev/null) ||
	skip_all "x86_64-6.1 cannot be fetched"
env612=$("$REPO/scripts/fetch-kernel" --env x86_64-6.12 2>/dev/null) ||
	skip_all "x86_64-6.12 cannot be fetched"
eval "$env61"
K61=$CTB_KDIR IMG61=$CTB_IMAGE MOD61=$CTB_MODULES REL61=$CTB_KREL
eval "$env612"
IMG612=$CTB_IMAGE
DEBS=${CTB_CACHE:-$HOME/.cache/cachetlb-bench}/debs
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
vm=("$REPO/scripts/vm" --arch x86_64 --timeout 600)

# a "kernel tree" made of the pinned 6.1 headers, image and modules
mktree() {	# DIR IMAGE
	local d=$1 f
	mkdir -p "$d/arch/x86/boot" "$d/lib/modules"
	for f in "$K61"/* "$K61"/.config; do
		[ "${f##*/}" = arch ] || ln -s "$f" "$d/"
	done
	for f in "$K61"/arch/x86/*; do ln -s "$f" "$d/arch/x86/"; done
	[ -z "$2" ] || ln -s "$2" "$d/arch/x86/boot/bzImage"
	ln -s "$MOD61" "$d/lib/modules/$REL61"
}
mktree "$tmp/tree" "$IMG61"
mktree "$tmp/noimg" ""
mktree "$tmp/mismatch" "$IMG612"

"${vm[@]}" --kernel "$tmp/nonexistent" -- true >"$tmp/o" 2>&1
rc=$?
t "nonexistent tree: exit 2 naming it (rc=$rc)" sh -c \
	"[ $rc -eq 2 ] && grep -q 'nonexistent.*no such directory' '$tmp/o'"
"${vm[@]}" --kernel "$tmp/noimg" -- true >"$tmp/o" 2>&1
rc=$?
t "tree without an image: exit 2 naming arch/x86/boot/bzImage (rc=$rc)" sh -c \
	"[ $rc -eq 2 ] && grep -q 'no kernel image arch/x86/boot/bzImage' '$tmp/o'"
"${vm[@]}" --kernel "$tmp/mismatch" -- true >"$tmp/o" 2>&1
rc=$?
t "tree whose headers do not match the image: exit 2 naming both (rc=$rc)" sh -c \
	"[ $rc -eq 2 ] && grep -q 'bzImage is 6.12.*headers are $REL61' '$tmp/o' && ! grep -q booting '$tmp/o'"
"${vm[@]}" --kernel "$DEBS/linux-image-6.12.95+deb12-amd64_6.12.95-1~bpo12+1_amd64.deb,$DEBS/linux-headers-6.1.0-56-amd64_6.1.192-2_amd64.deb" -- true >"$tmp/o" 2>&1
rc=$?
t ".debs: headers of another release: exit 2 naming both (rc=$rc)" sh -c \
	"[ $rc -eq 2 ] && grep -q 'headers do not match the image: the image is 6.12.95+deb12-amd64, the headers are linux-headers-6.1.0-56-amd64' '$tmp/o'"
"${vm[@]}" --kernel "$DEBS/linux-image-6.1.0-56-amd64_6.1.192-2_amd64.deb,$tmp/nonexistent.deb" -- true >"$tmp/o" 2>&1
rc=$?
t ".debs: a missing file: exit 2 naming it (rc=$rc)" sh -c \
	"[ $rc -eq 2 ] && grep -q 'nonexistent.deb.: no such file' '$tmp/o'"

check_set='ctbench run nop --rounds 1 --samples 3 -o /tmp/s >/dev/null 2>&1 && cat /tmp/s/*/meta.json'
"${vm[@]}" --kernel "$tmp/tree" -- "uname -r; $check_set" >"$tmp/o" 2>&1
rc=$?
t "--kernel TREE boots with the module built against it (rc=$rc)" sh -c \
	"[ $rc -eq 0 ] && grep -q '^$REL61\$' '$tmp/o'"
t "  the set records the tree and the hash of its .config" sh -c \
	"grep -q '\"kernel_source\": \"$tmp/tree\"' '$tmp/o' && grep -q \"\\\"kernel_config_sha256\\\": \\\"\$(sha256sum '$K61/.config' | cut -d' ' -f1)\\\"\" '$tmp/o'"
t "  and the boot arguments, without the harness's run path" sh -c \
	"grep -q '\"kernel_cmdline\": \"' '$tmp/o' && ! grep -q 'ctb.run=' '$tmp/o'"
t "  the module was built in build/x86_64-own-$REL61" \
	[ -f "$REPO/build/x86_64-own-$REL61/kmod/cachetlb.ko" ]

"${vm[@]}" --kernel "$DEBS/linux-image-6.1.0-56-amd64_6.1.192-2_amd64.deb,$DEBS/linux-headers-6.1.0-56-amd64_6.1.192-2_amd64.deb,$DEBS/linux-headers-6.1.0-56-common_6.1.192-2_all.deb,$DEBS/linux-kbuild-6.1_6.1.192-2_amd64.deb" \
	-- "uname -r; $check_set" >"$tmp/o" 2>&1
rc=$?
t "--kernel IMAGE.deb,HEADERS.deb,... boots (rc=$rc)" sh -c \
	"[ $rc -eq 0 ] && grep -q '^$REL61\$' '$tmp/o'"
t "  the set records the image package and the .debs" sh -c \
	"grep -q '\"kernel_package\": \"linux-image-$REL61=' '$tmp/o' && grep -q '\"kernel_source\": \"linux-image-$REL61' '$tmp/o'"
[ $fail -eq 0 ]
