#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/deb.t - packaging: make install/uninstall with DESTDIR and
# PREFIX (installed ctbench finds its plot scripts), then the Debian
# packages built for real (scripts/mkdeb = dpkg-buildpackage -us -uc -b in
# build/deb, unit tests skipped: make check runs them) and inspected with
# dpkg -c, dpkg -I and lintian (0 errors; warnings listed).  Skips the
# package half when dpkg-buildpackage/dh_dkms/lintian are missing
# (scripts/deps installs them).  TAP.

REPO=$(cd "$(dirname "$0")/../.." && pwd)
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); echo "not ok $n - $*"; }
check() {
	local d=$1
	shift
	if "$@"; then ok "$d"; else nok "$d"; fi
}
T=$(mktemp -d /tmp/ctb-deb.XXXXXX) || exit 1
trap 'rm -rf "$T"' EXIT
echo "1..17"

ver=$(sed -n 's/^#define CTB_MODULE_VERSION[[:space:]]*"\(.*\)"/\1/p' "$REPO/kmod/cachetlb.h")
tver=$(sed -n 's/^#define CTB_TOOL_VERSION[[:space:]]*"\(.*\)"/\1/p' "$REPO"/bench/*.h | head -n1)
dver=$(sed -n '1s/^[^ ]* (\([^)-]*\).*/\1/p' "$REPO/debian/changelog")
check "one version: module $ver = ctbench $tver = debian/changelog $dver" \
	bash -c "[ -n '$ver' ] && [ '$ver' = '$tver' ] && [ '$ver' = '$dver' ]"

# ------------------------------------------------------------ make install
D=$T/dest
make -s -C "$REPO" install DESTDIR="$D" PREFIX=/opt/ctb >"$T/inst.log" 2>&1
st=$?
check "make install DESTDIR PREFIX=/opt/ctb succeeds ($st)" [ $st -eq 0 ]
check "installed: bin/ctbench, bin/ctbench-plot, share/cachetlb-bench/scripts/{plot,gnuplot/*.gp}, doc" \
	bash -c "[ -x '$D/opt/ctb/bin/ctbench' ] && [ -x '$D/opt/ctb/bin/ctbench-plot' ] && [ -x '$D/opt/ctb/share/cachetlb-bench/scripts/plot' ] && ls '$D'/opt/ctb/share/cachetlb-bench/scripts/gnuplot/*.gp >/dev/null && [ -f '$D/opt/ctb/share/doc/cachetlb-bench/README.md' ] && [ -f '$D/opt/ctb/share/doc/cachetlb-bench/native.md' ]"
check "ctbench-plot points at PREFIX's data dir" \
	grep -q '^plot=/opt/ctb/share/cachetlb-bench/scripts/plot$' "$D/opt/ctb/bin/ctbench-plot"
# Run the installed layout in place: the DESTDIR tree stands in for /.
sed -i "s|^plot=|plot=$D|" "$D/opt/ctb/bin/ctbench-plot"
"$D/opt/ctb/bin/ctbench-plot" --help >"$T/out" 2>&1
check "installed ctbench-plot runs scripts/plot (--help)" grep -q 'usage' "$T/out"
(cd "$T" && "$D/opt/ctb/bin/ctbench" plot --term dumb "$REPO/results/examples/"*x86_64-6.1.0*) >"$T/out" 2>&1
st=$?
check "installed ctbench plot finds ctbench-plot and draws a dumb-terminal plot ($st)" \
	bash -c "[ $st -eq 0 ] && [ \$(wc -l <'$T/out') -gt 20 ]"
make -s -C "$REPO" uninstall DESTDIR="$D" PREFIX=/opt/ctb >>"$T/inst.log" 2>&1
left=$(find "$D" -type f | wc -l)
check "make uninstall removes every installed file ($left left)" [ "$left" -eq 0 ]
make -s -C "$REPO" install-dkms DESTDIR="$D" >"$T/out" 2>&1
check "make install-dkms: /usr/src/cachetlb-$ver/dkms.conf with the version" \
	grep -q "^PACKAGE_VERSION=\"$ver\"" "$D/usr/src/cachetlb-$ver/dkms.conf"

# ------------------------------------------------------------ packages
if ! command -v dpkg-buildpackage >/dev/null || ! command -v dh_dkms >/dev/null ||
   ! command -v lintian >/dev/null; then
	for _ in $(seq $((n + 1)) 17); do
		ok "# SKIP dpkg-buildpackage, dh_dkms or lintian missing (scripts/deps --deb)"
	done
	exit 0
fi
O=$REPO/build/deb
start=$(date +%s)
DEB_BUILD_OPTIONS=nocheck "$REPO/scripts/mkdeb" "$O" >"$T/mkdeb.log" 2>&1
st=$?
check "scripts/mkdeb (dpkg-buildpackage -us -uc -b) succeeds in $(($(date +%s) - start)) s" [ $st -eq 0 ]
[ $st -eq 0 ] || tail -n 20 "$T/mkdeb.log" | sed 's/^/# /'
dk=$O/cachetlb-dkms_${ver}_all.deb
cb=$(ls "$O"/ctbench_"${ver}"_*.deb 2>/dev/null | head -n1)
dpkg -c "$dk" >"$T/dkms.c" 2>&1
check "cachetlb-dkms (arch all) holds usr/src/cachetlb-$ver: dkms.conf, kmod/Kbuild, kmod/arch/, include/uapi/cachetlb.h" \
	bash -c "grep -q ' ./usr/src/cachetlb-$ver/dkms.conf$' '$T/dkms.c' && grep -q ' ./usr/src/cachetlb-$ver/kmod/Kbuild$' '$T/dkms.c' && grep -q ' ./usr/src/cachetlb-$ver/kmod/arch/x86.c$' '$T/dkms.c' && grep -q ' ./usr/src/cachetlb-$ver/include/uapi/cachetlb.h$' '$T/dkms.c'"
dpkg-deb -x "$dk" "$T/x" && dpkg-deb -e "$dk" "$T/x/DEBIAN"
conf=$T/x/usr/src/cachetlb-$ver/dkms.conf
check "packaged dkms.conf: name, version, BUILT_MODULE_*, AUTOINSTALL, BUILD_EXCLUSIVE_ARCH" \
	bash -c "grep -q '^PACKAGE_NAME=\"cachetlb\"' '$conf' && grep -q '^PACKAGE_VERSION=\"$ver\"' '$conf' && grep -q '^BUILT_MODULE_NAME\[0\]=\"cachetlb\"' '$conf' && grep -q '^BUILT_MODULE_LOCATION\[0\]=\"kmod/\"' '$conf' && grep -q '^AUTOINSTALL=\"yes\"' '$conf' && grep -q '^BUILD_EXCLUSIVE_ARCH=.*x86_64.*aarch64.*riscv64' '$conf'"
make -s -C "$REPO" dkms-src DKMS_DEST="$T/ref" >/dev/null 2>&1
check "packaged DKMS tree = make dkms-src (what scripts/dkms-build builds in make check)" \
	diff -r "$T/ref/cachetlb-$ver" "$T/x/usr/src/cachetlb-$ver"
check "cachetlb-dkms: depends on dkms, postinst/prerm run dkms (dh-dkms)" \
	bash -c "dpkg-deb -f '$dk' Depends | grep -q dkms && grep -q dkms '$T/x/DEBIAN/postinst' && grep -q dkms '$T/x/DEBIAN/prerm' && [ \"\$(dpkg-deb -f '$dk' Architecture)\" = all ]"
dpkg -c "$cb" >"$T/ctb.c" 2>&1
check "ctbench: usr/bin/ctbench, usr/bin/ctbench-plot, plot + gnuplot scripts, docs" \
	bash -c "grep -q ' ./usr/bin/ctbench$' '$T/ctb.c' && grep -q ' ./usr/bin/ctbench-plot$' '$T/ctb.c' && grep -q ' ./usr/share/cachetlb-bench/scripts/plot$' '$T/ctb.c' && grep -q ' ./usr/share/cachetlb-bench/scripts/gnuplot/tlb.gp$' '$T/ctb.c' && grep -q ' ./usr/share/doc/ctbench/native.md' '$T/ctb.c'"
nman=$(ls "$REPO"/docs/man/*.1 2>/dev/null | wc -l)
nmand=$(grep -c ' ./usr/share/man/man1/.*\.1\.gz$' "$T/ctb.c")
check "ctbench ships every docs/man/*.1 ($nman in the tree, $nmand packaged)" [ "$nman" -eq "$nmand" ]
check "nothing of the package build is left in the source tree" \
	bash -c "cd '$REPO' && [ ! -e debian/files ] && [ ! -d debian/ctbench ] && [ ! -d debian/.debhelper ] && ! ls ../cachetlb-bench_* >/dev/null 2>&1"
start=$(date +%s)
lintian --pedantic "$O"/*.changes >"$T/lintian" 2>&1
nerr=$(grep -c '^E: ' "$T/lintian")
nwarn=$(grep -c '^W: ' "$T/lintian")
check "lintian --pedantic: 0 errors ($nerr errors, $nwarn warnings, $(($(date +%s) - start)) s)" [ "$nerr" -eq 0 ]
grep -E '^(E|W): ' "$T/lintian" | sort | uniq -c | sed 's/^/# lintian: /'
