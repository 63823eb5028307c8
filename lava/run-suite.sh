#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lava/run-suite.sh - the work of lava/cachetlb-bench.yaml, run by LAVA's
# test shell on the device from the root of this repository's checkout.
# POSIX sh (busybox ash is enough). Parameters come as exported variables
# (see the params of lava/cachetlb-bench.yaml). Test cases it reports:
#   kernel-match        uname -r against KERNEL (skip when KERNEL is empty)
#   module              cachetlb loaded (how: in the log)
#   ctbench             ctbench found or built
#   ctbench-suite / ctbench-run-OP   exit status of each ctbench run
#   <family>.<op>.n<N>.a<aux>.<state>.<opflags>.<targets>   one per row:
#       measurement = net median, units = the row's unit (ns/iter ...);
#       pass; skip when the row is a no-op (noop=yes: indistinguishable
#       from the empty op, measurement kept)
#   unsupported.<op>    skip: the module reports the op unsupported here
#   meta.<key>.<value>  arch, kernel_release, cpu_model, date, hostname,
#                       emulation of the first set (for REST-only imports)
#   publish             the result set(s) printed into the log / uploaded
# Outside LAVA (no lava-test-case on PATH) the cases are printed instead,
# which is how tests/host/lava.t exercises this script.

set -u
SUITE=${SUITE-quick} OPS=${OPS-} RUN_ARGS=${RUN_ARGS-} KERNEL=${KERNEL-}
BUILD=${BUILD-auto} EMULATION=${EMULATION-} KERNEL_PKG=${KERNEL_PKG-}
KERNEL_SHA256=${KERNEL_SHA256-} PUBLISH=${PUBLISH-log}
ARTIFACT_URL=${ARTIFACT_URL-}

TOP=$(pwd)
OUT=${CTB_LAVA_OUT:-$TOP/build/lava-results}
BLD=$TOP/build/device

say() { echo "cachetlb-lava: $*"; }
tc() {
	if command -v lava-test-case >/dev/null 2>&1; then
		lava-test-case "$@"
	else
		echo "<TEST_CASE_ID=$*>"
	fi
}

case "$SUITE" in quick|full|none) ;; *)
	say "SUITE='$SUITE' invalid; valid: quick, full, none"
	tc ctbench-suite --result fail; exit 0 ;;
esac
case "$BUILD" in auto|source) ;; *)
	say "BUILD='$BUILD' invalid; valid: auto, source"
	tc module --result fail; exit 0 ;;
esac
case "$PUBLISH" in log|none) ;; *)
	say "PUBLISH='$PUBLISH' invalid; valid: log, none"
	tc publish --result fail; exit 0 ;;
esac

# ------------------------------------------------------------ kernel
krel=$(uname -r)
if [ -z "$KERNEL" ]; then
	tc kernel-match --result skip
else
	case "$krel" in
	"$KERNEL"*) tc kernel-match --result pass ;;
	*)
		say "running kernel $krel, the job asked for KERNEL=$KERNEL: nothing measured"
		tc kernel-match --result fail
		exit 0 ;;
	esac
fi

# ------------------------------------------------------------ module
have_module() { [ -c /dev/cachetlb ]; }
build_module() {
	kdir=/lib/modules/$krel/build
	if [ ! -d "$kdir" ]; then
		say "no kernel headers at $kdir: cannot build the module (install linux-headers-$krel, or use a ramdisk from lava/mkramdisk)"
		return 1
	fi
	mkdir -p "$BLD" && rm -rf "$BLD/kmod" "$BLD/include" &&
		cp -r kmod "$BLD/kmod" && cp -r include "$BLD/include" &&
		make -C "$BLD/kmod" KDIR="$kdir" >"$BLD/kmod-build.log" 2>&1 ||
		{ tail -n 20 "$BLD/kmod-build.log"; return 1; }
	insmod "$BLD/kmod/cachetlb.ko"
}
how=
if [ "$BUILD" = auto ] && have_module; then
	how="already loaded"
elif [ "$BUILD" = auto ] && modprobe cachetlb 2>/dev/null && have_module; then
	how="modprobe (installed package / DKMS)"
elif [ "$BUILD" = auto ] && [ -f /opt/cachetlb/cachetlb.ko ] &&
     insmod /opt/cachetlb/cachetlb.ko && have_module; then
	how="insmod /opt/cachetlb/cachetlb.ko (prebuilt in the ramdisk)"
elif build_module && have_module; then
	how="built from this tree against /lib/modules/$krel/build"
fi
if [ -n "$how" ]; then
	say "module: $how"
	tc module --result pass
else
	say "module: not available (BUILD=$BUILD); nothing measured"
	tc module --result fail
	exit 0
fi

# ------------------------------------------------------------ ctbench
CTB=
if [ "$BUILD" = auto ]; then
	if [ -x /opt/cachetlb/bin/ctbench ]; then
		CTB=/opt/cachetlb/bin/ctbench
	elif command -v ctbench >/dev/null 2>&1; then
		CTB=$(command -v ctbench)
	fi
fi
if [ -z "$CTB" ]; then
	say "building ctbench from this tree (needs gcc, make, libhwloc-dev, libpfm4-dev)"
	if make -C bench O="$BLD/bench" "$BLD/bench/ctbench" >"$BLD/bench-build.log" 2>&1; then
		CTB=$BLD/bench/ctbench
	else
		tail -n 20 "$BLD/bench-build.log"
	fi
fi
if [ -z "$CTB" ]; then
	tc ctbench --result fail
	exit 0
fi
say "ctbench: $CTB"
tc ctbench --result pass

export CTB_EMULATION="$EMULATION" CTB_KERNEL_PKG="$KERNEL_PKG"
export CTB_KERNEL_SHA256="$KERNEL_SHA256"
[ -n "$EMULATION" ] || unset CTB_EMULATION
if [ -z "${CTB_GIT_COMMIT-}" ] && command -v git >/dev/null 2>&1; then
	CTB_GIT_COMMIT=$(git rev-parse HEAD 2>/dev/null) && export CTB_GIT_COMMIT
fi

# ------------------------------------------------------------ run
rm -rf "$OUT"
mkdir -p "$OUT"
runs=0
run_ctb() { # NAME ARGS...: one ctbench invocation writing a set below $OUT
	name=$1
	shift
	runs=$((runs + 1))
	# one directory per run: two sets written in the same second would
	# get the same name
	say "running: ctbench $* -o $OUT/$runs"
	"$CTB" "$@" -o "$OUT/$runs"
	st=$?
	if [ $st -eq 0 ]; then
		tc "$name" --result pass
	elif [ $st -eq 4 ]; then
		tc "$name" --result skip
	else
		say "ctbench $* exited with status $st"
		tc "$name" --result fail
	fi
}
if [ "$SUITE" != none ]; then
	run_ctb ctbench-suite suite "$SUITE"
fi
for op in $OPS; do
	# shellcheck disable=SC2086 # RUN_ARGS is a list of options
	run_ctb "ctbench-run-$op" run "$op" $RUN_ARGS
done
[ $runs -gt 0 ] || { say "nothing to run: SUITE=none and OPS empty"; exit 0; }

# Ops the module cannot run here (ctbench list --json: "supported": false)
# are reported once each, as skips, not as failures.
"$CTB" list --json 2>/dev/null |
	sed -n 's/.*"name": "\([^"]*\)".*"supported": false.*/\1/p' | sort -u |
while read -r op; do
	tc "unsupported.$op" --result skip
done

# ------------------------------------------------------------ rows
# results.csv columns (docs/results.md): 1 op 3 count 4 aux 5 state
# 6 opflags 8 targets 11 unit 21 net_median 27 noop.  No field contains a
# comma (ctbench writes none), so splitting on commas is exact.
# Set-level facts as test cases too, so that a REST export alone (no log)
# still says what was measured: meta.<key>.<value> (first set only).
first=$(ls -d "$OUT"/*/*/ 2>/dev/null | head -n 1)
if [ -n "$first" ]; then
	for k in arch kernel_release cpu_model date hostname emulation; do
		v=$(sed -n 's/^  "'"$k"'": "\(.*\)",*$/\1/p' "$first/meta.json" |
			head -n 1 | tr -c 'A-Za-z0-9._+\n-' '_')
		[ -n "$v" ] && tc "meta.$k.$v" --result pass
	done
fi
for set in "$OUT"/*/*/; do
	[ -f "$set/results.csv" ] || continue
	awk -F, 'NR > 1 {
		name = $2 "." $1 ".n" $3 ".a" $4 "." $5 "." $6 "." $8
		gsub(/[^A-Za-z0-9._+-]/, "_", name)
		res = ($27 == "yes") ? "skip" : "pass"
		if ($21 == "" || $21 == "nan")
			print name, res, "-", "-"
		else
			print name, res, $21, $11
	}' "$set/results.csv" |
	while read -r name res m u; do
		if [ "$m" = - ]; then
			tc "$name" --result "$res"
		else
			tc "$name" --result "$res" --measurement "$m" --units "$u"
		fi
	done
done

# ------------------------------------------------------------ publish
pub=pass
if [ "$PUBLISH" = log ]; then
	"$TOP/lava/publish-set" "$OUT"/*/*/ || pub=fail
fi
if [ -n "$ARTIFACT_URL" ]; then
	for set in "$OUT"/*/*/; do
		n=$(basename "$set")
		tar -C "$set/.." -czf "$OUT/$n.tar.gz" "$n" &&
			curl -fsS -T "$OUT/$n.tar.gz" "$ARTIFACT_URL$n.tar.gz" &&
			{ command -v lava-test-reference >/dev/null 2>&1 &&
			  lava-test-reference "resultset-$n" --result pass \
				--reference "$ARTIFACT_URL$n.tar.gz" || true; } ||
			pub=fail
	done
fi
tc publish --result "$pub"
exit 0
