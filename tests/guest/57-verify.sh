#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest test of `ctbench verify` (issue 22, docs/verify.md): our loop's
# per-call numbers against the kernel's function_graph tracer.
#  - flush_tlb_all, flush_tlb_kernel_range at 1 and 512 pages and one cache
#    op (x86: clflush_cache_range at 512 pages, arm64/riscv:
#    flush_dcache_page at 64 pages; at 1 page it is below the floor;
#    mips64: flush_icache_range at 64 pages) agree within the documented tolerance;
#  - a raw-instruction op is reported as "no independent clock";
#  - rows of ops prepared before every call use the traced matched
#    control as their overhead;
#  - a planted disagreement: a wrong tracer overhead (--overhead-ns, the
#    measured one plus five times the op's own cost) must give
#    "disagree" and exit 1;
#  - no tracefs at the given place: exit 7 with the reason;
#  - 32-bit ARM, where function_graph cannot time a frameless function:
#    exit 7 naming that cause;
#  - PMU cycles: on arm64 the op's cycles/ns agree with a spin
#    calibration; under TCG on x86_64 "no PMU cycle counter" with the
#    kernel's reason.
# Prints ok / not ok / # SKIP lines; exits 0 unless the test crashed.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

tmp=$(mktemp -d /tmp/verify.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT

if [ ! -c /dev/cachetlb ]; then
	echo "not ok - /dev/cachetlb exists (module loaded)"
	exit 0
fi
before=$(count_warnings)
arch=$(uname -m)

# verify ARGS... : output in $tmp/out, exit status in rc
verify() {
	ctbench verify --samples 21 "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# row FILE OP COUNT: the result line of OP at COUNT ("-" for no count)
row() {
	awk -v op="$2" -v n="$3" '$1 == op && $2 == n' "$1"
}

# --- no tracefs: documented exit code ------------------------------------
verify --tracefs /nonexistent-tracefs --op flush_tlb_all
if [ $rc -eq 7 ] && grep -q "no tracefs at /nonexistent-tracefs" "$tmp/err"; then
	echo "ok - no tracefs: exit 7 with the reason"
else
	echo "not ok - no tracefs: exit $rc (want 7): $(cat "$tmp/err")"
fi

T=/sys/kernel/tracing
[ -e $T/trace ] || mount -t tracefs nodev $T 2>/dev/null
if [ ! -e $T/trace ] || ! grep -qw function_graph $T/available_tracers; then
	verify --op flush_tlb_all
	if [ $rc -eq 7 ]; then
		echo "ok - verify # SKIP no tracefs with function_graph here (verify exits 7: $(cat "$tmp/err"))"
	else
		echo "not ok - no function_graph here, yet verify exited $rc"
	fi
	exit 0
fi

# --- agreement ------------------------------------------------------------
case $arch in
x86_64) cache_op=clflush_cache_range cache_n=512 raw_op=local_invlpg ;;
aarch64) cache_op=flush_dcache_page cache_n=64 raw_op=local_tlbi_vaae1is ;;
# s390x: every cache API is compiled empty and flush_tlb_all too, so the
# row with a cost to agree on (and to plant on) is vmap_vunmap
s390x) cache_op=vmap_vunmap cache_n=1 raw_op=local_ipte_local ;;
# mips64 without D-cache aliases: flush_dcache_page only sets a page flag;
# flush_icache_range is the cache API that runs CACHE instructions
mips64) cache_op=flush_icache_range cache_n=64 raw_op=local_mips_tlbp_tlbwi ;;
armv7l) cache_op=flush_dcache_page cache_n=64 raw_op=local_tlbimva ;;
ppc64le) cache_op=flush_icache_range cache_n=64 raw_op=local_tlbiel_va ;;
*) cache_op=flush_dcache_page cache_n=64 raw_op=local_sfence_vma_addr ;;
esac
verify --op 'flush_tlb_all' --pages 1
# 32-bit ARM (armhf 6.1): function_graph's entry hook unwinds a frame with
# the ARM unwinder and skips frameless functions, the empty one among them
# (the function tracer sees its calls), so verify has no tracer overhead:
# it must say so, naming the cause, and exit 7 (docs/verify.md).
if [ "$arch" = armv7l ] && [ $rc -ne 0 ]; then
	if [ $rc -eq 7 ] &&
	   grep -q "no independent clock: function_graph records no call of ctb_empty_run while the function tracer records [1-9][0-9]*: 32-bit ARM: .*ARM unwinder" "$tmp/err"; then
		echo "ok - armhf: verify exits 7 naming why function_graph cannot time the empty function: $(cat "$tmp/err")"
	else
		echo "not ok - armhf: verify exited $rc without the documented reason: $(cat "$tmp/out" "$tmp/err")"
	fi
	check_warnings "$before" "ctbench verify"
	exit 0
fi
cp "$tmp/out" "$tmp/all"
verify --op 'flush_tlb_kernel_range' --pages 1,512
cat "$tmp/out" >> "$tmp/all"
verify --op "$cache_op" --pages $cache_n
cat "$tmp/out" >> "$tmp/all"
sed -n '1,3p' "$tmp/all" | sed 's/^/# /'
grep -v '^#\|^op ' "$tmp/all" | sed 's/^/# /'
for want in "flush_tlb_all -" "flush_tlb_kernel_range 1" \
	    "flush_tlb_kernel_range 512" "$cache_op $cache_n"; do
	# shellcheck disable=SC2086 # two words: op and count
	line=$(row "$tmp/all" $want)
	# an unsupported op has one line, without a count
	[ -n "$line" ] || line=$(row "$tmp/all" "${want% *}" - | grep "unsupported here")
	# One more independent try of a row that did not agree: below the
	# floor is "cannot tell" (arm64 6.1 TCG, clean-clone CI:
	# flush_tlb_kernel_range 1 read 3168 ns under a 12784 ns floor), and
	# TCG's two cost levels can keep one side out of the other's fast
	# regime for all 15 rounds (arm64 6.1, CI on a loaded host:
	# flush_tlb_all ours 3856..13488 against traced 11192..22080 ns).
	# The first reading is printed; the second decides.
	v1=$(echo "$line" | awk '{print $9}')
	if [ "$v1" = below-floor ] || [ "$v1" = disagree ]; then
		echo "# $want: first run $v1, measuring again: $line"
		n=${want#* }
		[ "$n" = - ] && n=1
		verify --op "${want% *}" --pages "$n"
		# shellcheck disable=SC2086 # two words: op and count
		line=$(row "$tmp/out" $want)
	fi
	case "$(echo "$line" | awk '{print $9}')" in
	agree) echo "ok - $want: the tracer agrees: $line" ;;
	"") echo "not ok - $want: no result line" ;;
	below-floor)
		case "$arch:$want" in
		# asm/tlbflush.h: an empty macro (props compiled_empty)
		"s390x:flush_tlb_all -") echo "ok - $want: below the noise floor, as compiled empty on s390x: $line" ;;
		*) echo "not ok - $want: below the noise floor twice, cannot tell: $line # TODO issue 22: the control's spread under TCG" ;;
		esac ;;
	*) case "$line" in
	   *"unsupported here"*) echo "ok - $want # SKIP ${line#*unsupported here: }" ;;
	   *) case "${CTB_TARGET:-}" in
	      # issue 22's acceptance targets: agreement is required
	      x86_64-6.1|arm64-6.1|"") echo "not ok - $want: $line" ;;
	      # elsewhere a disagreement is reported, not failed: arm64
	      # 6.12 TCG once read flush_tlb_all 4624..27088 ns against
	      # 14664..30992 traced (the bimodal TCG costs, docs/verify.md)
	      *) echo "not ok - $want: $line # TODO issue 22: TCG cost levels on $CTB_TARGET" ;;
	      esac ;;
	   esac ;;
	esac
done

# --- the traced matched control --------------------------------------------
# An op prepared before every call (one_call) takes its tracer overhead
# from the engine's control traced in the same RUN (docs/verify.md "The
# overhead correction"); its row says so.
oc=" $(ctbench list 2>/dev/null | awk '/one_call/ && /kernel_path/ {printf "%s ", $2}')"
n_oc=0 n_tc=0
for want in "flush_tlb_all -" "flush_tlb_kernel_range 1" \
	    "flush_tlb_kernel_range 512" "$cache_op $cache_n"; do
	case "$oc" in *" ${want% *} "*) ;; *) continue ;; esac
	# shellcheck disable=SC2086 # two words: op and count
	line=$(row "$tmp/all" $want)
	case "$line" in ""|*"unsupported here"*) continue ;; esac
	n_oc=$((n_oc + 1))
	case "$line" in *"(traced control)"*) n_tc=$((n_tc + 1)) ;; esac
done
if [ $n_oc -eq 0 ]; then
	echo "ok - traced matched control # SKIP no one_call op among the rows here"
elif [ $n_tc -eq $n_oc ]; then
	echo "ok - traced matched control: the overhead of all $n_oc one_call rows is their control's"
else
	echo "not ok - traced matched control: $n_tc of $n_oc one_call rows use it"
fi

# --- PMU cycles: a third clock where the guest has a cycle counter ---------
# arm64 TCG guests expose one to perf; x86_64 TCG guests have none, so
# there the error path must run and name the kernel's reason (x86_64 6.1
# TCG: ENOENT).  Elsewhere (riscv64: not measured here; hardware) either
# outcome is checked for what it must show (docs/verify.md "PMU cycles").
pmu=$(grep '^# PMU cycles:' "$tmp/all" | head -n 1)
case "$arch:${CTB_EMULATION:-}" in
aarch64:*) want_pmu=counter ;;
x86_64:qemu-tcg) want_pmu=none ;;
*) want_pmu=either ;;
esac
case "$pmu" in
*"no PMU cycle counter: "?*"errno "[0-9]*)
	if [ $want_pmu = counter ]; then
		echo "not ok - PMU cycles: $arch guests have a cycle counter, yet: $pmu"
	else
		echo "ok - PMU cycles: none here, with the kernel's reason: ${pmu#*counter: }"
	fi ;;
*"calibration spin "*" cycles/ns"*)
	if [ $want_pmu = none ]; then
		echo "not ok - PMU cycles: no cycle counter expected on $arch under TCG, yet: $pmu"
	else
		echo "ok - PMU cycles: calibrated: ${pmu#*calibration }"
		nagree=0 nbad=0
		for want in "flush_tlb_all -" "flush_tlb_kernel_range 1" \
			    "flush_tlb_kernel_range 512" "$cache_op $cache_n"; do
			# shellcheck disable=SC2086 # two words: op and count
			line=$(row "$tmp/all" $want)
			# no row, or the op's one line "unsupported here"
			# (ppc64 book3s64 has no flush_tlb_all)
			case "$line" in ""|*"unsupported here"*) continue ;; esac
			v=$(echo "$line" | awk '{for (i = 1; i < NF; i++) if ($i == "cyc/ns") print $(i + 1)}')
			case "$v" in
			agree) nagree=$((nagree + 1)) ;;
			below-floor) echo "# PMU cycles: $want: op below the floor in the PMU RUN, no rate" ;;
			*) nbad=$((nbad + 1))
			   echo "# PMU cycles: $want: '${v:-no pmu field}': $line" ;;
			esac
		done
		# every verify command calibrates on its own: print them all
		grep '^# PMU cycles' "$tmp/all" | sed 's/^/# /'
		if [ $nbad -eq 0 ] && [ $nagree -gt 0 ]; then
			echo "ok - PMU cycles: the op's cycles/ns agree with the calibration ($nagree rows)"
		else
			case "${CTB_TARGET:-}" in
			# Required on arm64 6.1 since the rate is the median
			# of per-sample cycles/ns (bench/verify_pmu.c): three
			# runs of this test (TCG) read 12 of 12 rows agree,
			# 0.80-1.00 cycles/ns, against 9 calibrations of
			# 0.996-1.000.  Before, the summed rate let outliers
			# dominate (a calibration printed 5059 cycles over
			# 5056 ns = 0.778 cycles/ns).
			arm64-6.1) echo "not ok - PMU cycles: $nagree rows agree, $nbad do not" ;;
			*) echo "not ok - PMU cycles: $nagree rows agree, $nbad do not # TODO issue 22: not measured enough under TCG on ${CTB_TARGET:-$arch} to be required" ;;
			esac
		fi
	fi ;;
*) echo "not ok - PMU cycles: no or an unexpected header line: '$pmu'" ;;
esac

# --- no independent clock ---------------------------------------------------
verify --op "$raw_op"
if [ $rc -eq 0 ] && grep -q "^$raw_op .*no independent clock" "$tmp/out"; then
	echo "ok - $raw_op (raw instructions): no independent clock"
else
	echo "not ok - $raw_op: exit $rc: $(tail -n 1 "$tmp/out")"
fi

# --- planted disagreement: a wrong overhead ---------------------------------
# The first of the rows above that has a figure (flush_tlb_all is
# unsupported where the kernel seals it, x86_64 6.12 with IBT).
ovh=$(sed -n 's/^# tracer overhead: \([0-9]*\) ns.*/\1/p' "$tmp/all" | head -n 1)
# shellcheck disable=SC2046 # three words on purpose
set -- $(awk '$9 == "agree" && $4 ~ /^[0-9]+$/ {print $1, $2, $4; exit}' "$tmp/all")
pop=$1 pn=$2 ours=$3
case "$ovh$ours" in
*[!0-9]* | "") echo "not ok - planted disagreement: no overhead ($ovh) or agreeing row ($pop $pn $ours) to plant from" ;;
*)
	wrong=$((ovh + 5 * ours))
	if [ "$pn" = - ]; then
		verify --op "$pop" --overhead-ns "$wrong"
	else
		verify --op "$pop" --pages "$pn" --overhead-ns "$wrong"
	fi
	line=$(row "$tmp/out" "$pop" "$pn")
	case "$rc:$(echo "$line" | awk '{print $9}')" in
	1:disagree) echo "ok - $pop $pn, planted overhead $wrong ns (measured $ovh): disagree, exit 1" ;;
	*) echo "not ok - planted overhead $wrong ns: exit $rc, $line"
	   sed 's/^/# /' "$tmp/out" "$tmp/err" ;;
	esac
	if grep -q "OVERRIDDEN by --overhead-ns" "$tmp/out"; then
		echo "ok - the planted overhead is labelled in the output"
	else
		echo "not ok - the output does not say the overhead was overridden"
	fi
	;;
esac

check_warnings "$before" "ctbench verify"
exit 0
