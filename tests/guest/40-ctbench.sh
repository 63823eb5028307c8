#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest test of the ctbench driver (issue 8): info (must say emulated under
# the QEMU harness), list, run of every supported op with tiny sample
# counts, an unsupported op (exit 4 with the reason), argument errors
# (exit 2 naming the value and range), csv/json output, `suite quick`
# twice, compare/report of the two sets and of a set with itself, and the
# refusal to compare sets from different arches unless --cross-arch.
# Needs root and the cachetlb module loaded. Prints ok / not ok lines.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
scratch ctbench-test
need_ctbench

# --- info -----------------------------------------------------------------
ctbench info >"$T/info" 2>&1
rc=$?
check "info exits 0 (rc=$rc)" [ $rc -eq 0 ]
if [ "$CTB_EMULATION" = qemu-tcg ]; then
	check "info says EMULATED under the QEMU harness" has "$T/info" "EMULATED (qemu-tcg)"
fi
check "info shows hwloc topology" has "$T/info" "^topology: .*PU"
check "info shows the PMU state" has "$T/info" "^pmu: "
ctbench info --json >"$T/info.json" 2>&1
check "info --json has emulated and abi_version" sh -c \
	"grep -q '\"emulated\": ' '$T/info.json' && grep -q '\"abi_version\": 1' '$T/info.json'"

# --- list -----------------------------------------------------------------
ctbench list >"$T/list" 2>"$T/list.err"
rc=$?
check "list exits 0 (rc=$rc)" [ $rc -eq 0 ]
check "list shows nop and spin" sh -c "grep -q ' nop ' '$T/list' && grep -q ' spin ' '$T/list'"
awk 'NR > 1 && $4 == "yes" { print $2 }' "$T/list" >"$T/supported"
awk 'NR > 1 && $4 == "no" { print $2 }' "$T/list" >"$T/unsupported"
nsup=$(wc -l <"$T/supported")
check "list has supported ops ($nsup)" [ "$nsup" -ge 2 ]
ctbench list --json >"$T/list.json" 2>/dev/null
check "list --json is an array with every op" sh -c \
	"head -c1 '$T/list.json' | grep -q '\\[' && [ \$(grep -c '\"name\"' '$T/list.json') -eq \$(awk 'NR>1' '$T/list' | wc -l) ]"

# --- run every supported op ---------------------------------------------------
# One online CPU (mips64el's malta guest): the cross-CPU ops have no target
# and ctbench says so (exit 2); that is the only failure skipped.
one_cpu=''
[ "$(cat /sys/devices/system/cpu/online 2>/dev/null)" = 0 ] && one_cpu=1
while read -r op; do
	ctbench run "$op" --samples 3 --warmup 0 --rounds 2 >"$T/run.$op" 2>&1
	rc=$?
	if [ $rc -eq 2 ] && [ -n "$one_cpu" ] &&
		grep -q 'is the only allowed CPU' "$T/run.$op"; then
		pass "run $op # SKIP needs a second CPU (one online)"
	elif [ $rc -eq 0 ] && grep -q "^$op " "$T/run.$op"; then
		pass "run $op: $(grep "^$op " "$T/run.$op" | head -1 | awk '{print "median", $7, "ns/iter"}')"
	else
		fail "run $op (rc=$rc): $(grep -v '^op ' "$T/run.$op" | head -3 | tr '\n' ' ')"
	fi
done <"$T/supported"

# --- an unsupported op: exit 4 with the reason ------------------------------
uop=$(head -1 "$T/unsupported")
if [ -n "$uop" ]; then
	ctbench run "$uop" >"$T/unsup" 2>&1
	rc=$?
	check "run unsupported $uop exits 4 with a reason (rc=$rc)" sh -c \
		"[ $rc -eq 4 ] && grep -q 'unsupported: ..*' '$T/unsup'"
else
	pass "every op is supported here # SKIP no unsupported op"
fi

# --- argument errors ----------------------------------------------------------
ctbench run flush_dcache_page --pages 5000 >"$T/e1" 2>&1
rc=$?
check "--pages 5000 exits 2 naming value and range (rc=$rc)" sh -c \
	"[ $rc -eq 2 ] && grep -q '5000' '$T/e1' && grep -q '1\\.\\.4096' '$T/e1'"
ctbench run spin --count 0 >"$T/e2" 2>&1
rc=$?
check "--count 0 exits 2 (rc=$rc)" [ $rc -eq 2 ]
ctbench run nop --cpu 999 >"$T/e3" 2>&1
rc=$?
check "--cpu 999 exits 2 naming it (rc=$rc)" sh -c "[ $rc -eq 2 ] && grep -q 999 '$T/e3'"
ctbench run no_such_op >"$T/e4" 2>&1
rc=$?
check "unknown op exits 2 (rc=$rc)" sh -c "[ $rc -eq 2 ] && grep -q no_such_op '$T/e4'"

# --- csv / json ---------------------------------------------------------------
ctbench run spin --count 1,64 --samples 5 --rounds 2 --csv >"$T/csv" 2>/dev/null
rc=$?
check "run --csv: header + 2 rows (rc=$rc)" sh -c \
	"[ $rc -eq 0 ] && head -1 '$T/csv' | grep -q '^op,family,count' && [ \$(wc -l <'$T/csv') -eq 3 ]"
ctbench run nop --samples 5 --rounds 2 --json >"$T/json" 2>/dev/null
rc=$?
check "run --json prints a JSON array (rc=$rc)" sh -c \
	"[ $rc -eq 0 ] && grep -q '\"op\": *\"nop\"' '$T/json'"

# --- events: never a zero when there is no PMU --------------------------------
ctbench run spin --count 16 --samples 5 --events cycles,instructions >"$T/ev" 2>&1
rc=$?
check "run --events prints a value or n/a with a reason per event (rc=$rc)" sh -c \
	"[ $rc -eq 0 ] && grep -Eq 'events: cycles=([0-9]|n/a: .)' '$T/ev' && ! grep -q 'cycles=0\\.000' '$T/ev'"
ctbench run spin --events no_such_event_xyz >"$T/ev2" 2>&1
rc=$?
check "bad event name exits 2 naming it (rc=$rc)" sh -c \
	"[ $rc -eq 2 ] && grep -q no_such_event_xyz '$T/ev2'"

# --- SIGINT mid-RUN: partial samples kept, set written, exit 1 ---------------
if command -v timeout >/dev/null 2>&1; then
	# eight RUNs of 65536 samples of a 256k-step chain, each ended by the
	# module's time cap after seconds: SIGINT after 6 s lands in one of
	# them whatever the start-up time on a loaded host
	timeout -s INT 6 ctbench run spin --count 262144-262151 \
		--samples 65536 --iterations 1 --warmup 0 -o "$T/int" \
		>"$T/int.out" 2>&1
	rc=$?
	if [ $rc -eq 1 ] && grep -q 'interrupted' "$T/int.out" &&
	   grep -q '^spin ' "$T/int.out" &&
	   grep -q '"interrupted": true' "$T"/int/*/meta.json; then
		pass "SIGINT mid-RUN: exit 1, partial row, set marked interrupted"
	else
		fail "SIGINT mid-RUN (rc=$rc): $(tail -3 "$T/int.out" | tr '\n' ' ')"
	fi
fi

# --- uaccess family: verification + break-even ---------------------------------
if grep -q '^uaccess_copy$' "$T/supported"; then
	ctbench run --family uaccess --samples 5 >"$T/ua" 2>&1
	rc=$?
	check "uaccess family runs with the used ring verified (rc=$rc)" sh -c \
		"[ $rc -eq 0 ] && ! grep -q 'used ring check failed' '$T/ua'"
	check "uaccess analysis states break-even or why not" sh -c \
		"grep -Eq 'pays off after [0-9]+ requests|never resolvably pays off|break-even not resolvable' '$T/ua'"
	ctbench run uaccess_kmap --span --samples 3 >"$T/ua2" 2>&1
	rc=$?
	check "uaccess_kmap with the ring across a page boundary (rc=$rc)" sh -c \
		"[ $rc -eq 0 ] && grep -q '^uaccess_kmap .* span ' '$T/ua2'"
fi

# --- matched control and iteration independence (issue 17) ------------------
# col NAME FILE: the values of CSV column NAME (header lookup), one a line
col() {
	awk -F, -v n="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i; next }
		c { print $c }' "$2"
}
# pages of preparation: 256 (1 MiB at 4 KiB pages); 4 MiB worth on pages
# above 16 KiB (256 pages of 64 KiB on ppc64el ran into the RUN time limit)
psz=$(sed -n 's/^sizes: *page \([0-9]*\).*/\1/p' "$T/info")
ppg=256
[ "${psz:-4096}" -gt 16384 ] && ppg=$((256 * 16384 / psz))
if grep -q '^prep_empty$' "$T/supported"; then
	# an empty call after $ppg dirtied pages, against the control that
	# dirties the same pages: nothing may remain but noise, and the row
	# must print "< floor" (the floor over rounds: the clock step and the
	# control against itself).  Up to three RUNs, each printed, as for
	# the nop-zero check in abi_test.  The unmatched control of old read
	# +260..440 ns here; the same test at 1 page (an earlier version of
	# this check ran the op's default count by mistake) has a floor of a
	# few ns, which identical timed regions miss by 16-19 ns on arm64
	# 6.12 and riscv64 TCG (docs/measurement.md).
	for try in 1 2 3; do
		ctbench run prep_empty --pages $ppg >"$T/prep" 2>&1
		rc=$?
		echo "# prep_empty $ppg pages, RUN $try (rc=$rc): $(grep '^prep_empty ' "$T/prep")"
		[ $rc -eq 0 ] && grep -q '^prep_empty .*< floor (' "$T/prep" && break
	done
	check "matched control: prep_empty ($ppg dirty pages, empty call) reads '< floor' (RUN $try, rc=$rc)" \
		sh -c "[ $rc -eq 0 ] && grep -q '^prep_empty .*< floor (' '$T/prep'"
else
	pass "matched control # SKIP the module has no prep_empty op"
fi
if grep -q '^prep_read$' "$T/supported"; then
	# One call per sample for ops with a preparation: the per-call net
	# must not depend on the iterations (was 1440/522/232 ns at 1/4/64
	# before).  $ppg pages read, so the net stands well above the floor
	# (one page read gave 0/-1/35 ns, inside the floor, where "agree"
	# means nothing).  The three iteration counts run interleaved, three
	# cycles of 1, 4, 64 with two rounds each, so the emulator's drift
	# lands on all three alike (three separate commands read
	# 1900/1732/1346 ns on x86_64 6.1 TCG, 41% apart, from drift between
	# the commands).  Per iteration count the six round nets give the
	# order-statistic CI of the median, [min, max] at 96.9%.
	# mips64el (malta 5KEf, software-refilled TLB) at 256 pages read
	# 96/110/241 us per call at 1/4/64 iterations under TCG, the refill
	# cost growing with the length of the RUN; at 64 pages 5968/5595/5736
	# ns.  64 pages there, $ppg elsewhere.
	ipg=$ppg
	[ "$(uname -m)" = mips64 ] && ipg=64
	for cyc in 1 2 3; do
		for it in 1 4 64; do
			ctbench run prep_read --count $ipg --iterations $it \
				--rounds 2 --csv \
				>"$T/it$it.$cyc.csv" 2>/dev/null
		done
	done
	for it in 1 4 64; do
		all() { for c in 1 2 3; do col "$1" "$T/it$it.$c.csv"; done; }
		lo=$(all net_spread_lo | sort -g | head -1)
		hi=$(all net_spread_hi | sort -g | tail -1)
		md=$(all net_median | sort -g | sed -n 2p)
		fl=$(all floor_ns | sort -g | tail -1)
		nb=$(all below_floor | grep -vc '^0$')
		echo "$it ${lo:-x} ${hi:-x} ${fl:-x} $nb ${md:-x}" >>"$T/itci"
		echo "# prep_read $ipg pages, $it iterations: 6 round nets in [$lo, $hi] ns, median of 3 commands $md ns, floor <= $fl ns, rows not above the floor: $nb"
	done
	# The CIs, each widened by the largest floor of the three (a gap
	# inside the floor is not resolvable), share a point, or the three
	# medians lie within 25% of each other; the same rule as abi_test's
	# sweep.  Under TCG the per-call cost itself grows with the length of
	# the RUN (after the engine fix, riscv64 6.12: 400/550/625 ns, below
	# 1 ns per page read; armhf 6.1: 824/966/1088 ns), which no engine
	# change removes; the defect this guards against read 1440/522/232
	# ns, a factor of 6.
	check "iteration independence: prep_read's per-call net at 1/4/64 iterations ($(awk '{printf "%s [%s, %s] ", $6, $2, $3}' "$T/itci")ns)" \
		awk '{ n++; if ($2 == "x" || $3 == "x" || $4 == "x" || $6 == "x") bad = 1
			if (n == 1 || $2 > lo) lo = $2; if (n == 1 || $3 < hi) hi = $3
			if (n == 1 || $4 > fl) fl = $4
			if (n == 1 || $6 < mn) mn = $6; if (n == 1 || $6 > mx) mx = $6 }
			END { exit !(n == 3 && !bad && mn > 0 &&
				(lo - fl <= hi + fl || mx <= 1.25 * mn)) }' "$T/itci"
	# at 1 iteration one timed call per sample can leave the net inside
	# the floor (riscv64 TCG: 850 ns against a 850 ns floor, 100 ns clock
	# ticks); at 64 it must stand above it, or the test compares noise
	check "prep_read's rows at 64 iterations stand above their floor" \
		awk '$1 == 64 { n++; if ($2 == "x" || $5 != 0) bad = 1 } END { exit !(n == 1 && !bad) }' "$T/itci"
else
	pass "iteration independence # SKIP the module has no prep_read op"
fi

# --- -o checked before measuring; set names never collide ---------------------
: >"$T/afile"
s0=$(date +%s)
ctbench suite quick -o "$T/afile/sets" >"$T/obad" 2>&1
rc=$?
s1=$(date +%s)
check "-o under a regular file: exit 2 before measuring (rc=$rc, $((s1 - s0)) s)" sh -c \
	"[ $rc -eq 2 ] && grep -q 'afile' '$T/obad' && ! grep -q '== core' '$T/obad'"
for i in 1 2 3; do
	ctbench run nop --rounds 1 --samples 3 --warmup 0 -o "$T/same" >/dev/null 2>&1
done
nsame=$(ls -d "$T"/same/*/ 2>/dev/null | wc -l)
check "three sets written quickly into one dir: three names ($nsame)" [ "$nsame" -eq 3 ]

# --- suite quick twice, compare, report ------------------------------------
for i in 1 2; do
	ctbench suite quick -o "$T/sets$i" >"$T/suite$i" 2>&1
	rc=$?
	check "suite quick #$i exits 0 (rc=$rc)" [ $rc -eq 0 ]
done
A=$(ls -d "$T"/sets1/*/ 2>/dev/null | head -1)
B=$(ls -d "$T"/sets2/*/ 2>/dev/null | head -1)
check "two result sets written" sh -c "[ -n '$A' ] && [ -n '$B' ]"
if [ -n "$A" ] && [ -n "$B" ]; then
	for f in meta.json results.csv results.json; do
		check "set has $f" [ -s "$A/$f" ]
	done
	if [ "$CTB_EMULATION" = qemu-tcg ]; then
		check "set name and meta say emulated" sh -c \
			"echo '$A' | grep -q -- '-emulated/\$' && grep -q '\"emulated\": true' '$A/meta.json'"
	fi
	check "meta records placement, pmu, kernel package and emulator" sh -c \
		"grep -q '\"placement\"' '$A/meta.json' && grep -q '\"pmu\"' '$A/meta.json' && grep -q '\"kernel_package\"' '$A/meta.json' && grep -q '\"emulator\"' '$A/meta.json'"
	nrows=$(($(wc -l <"$A/results.csv") - 1))
	check "suite rows present ($nrows)" [ "$nrows" -ge 10 ]
	check "no row prints an empty median" sh -c \
		"! awk -F, 'NR > 1 && \$13 == \"\"' '$A/results.csv' | grep -q ."
	if grep -q ',tlb,' "$A/results.csv"; then
		check "one TLB crossover statement printed" sh -c \
			"[ \$(grep -c '\[TLB crossover statement\]' '$T/suite1') -eq 1 ]"
		check "analysis.json holds the TLB crossover statement" sh -c \
			"[ \$(grep -c '\"primary\": true' '$A/analysis.json') -eq 1 ]"
		# issue 26: where the direct ops are sealed, a kernel path
		if grep -q 'flush_tlb_all .*unsupported:.*ENDBR sealed' "$T/suite1"; then
			check "sealed direct ops: the crossover comes from a kernel path and names it" \
				grep -Eq '^  tlb kernel path via [a-z_]+.*crossover N\*=[0-9]+ pages against the kernel threshold .*\[TLB crossover statement\]' "$T/suite1"
		fi
	fi
	check "set has analysis.json" [ -s "$A/analysis.json" ]
	# issue 18: compiled empty is a build fact, the same in every row
	# status_of OP: the distinct statuses of OP's rows in analysis.json
	status_of() {
		awk -v op="$1" '/^ *"rows": \[/ { r = 1 } /^  "[a-z_]+": / && !/"rows"/ { r = 0 }
			r && /"op": / { o = $2; gsub(/[",]/, "", o) }
			r && /"status": / && o == op { s = $2; gsub(/[",]/, "", s); seen[s] = 1 }
			END { for (k in seen) printf "%s ", k }' "$A/analysis.json"
	}
	case $(uname -m) in
	x86_64)
		for op in flush_dcache_page flush_kernel_vmap_range \
			invalidate_kernel_vmap_range flush_cache_vmap flush_cache_vunmap; do
			st=$(status_of $op)
			check "x86_64: every row of $op reads compiled empty ($st)" \
				[ "$st" = "compiled_empty " ]
		done ;;
	aarch64)
		st=$(status_of flush_dcache_page)
		check "arm64: flush_dcache_page is not compiled empty ($st)" sh -c \
			"[ -n '$st' ] && ! echo '$st' | grep -q compiled_empty" ;;
	mips64)
		st=$(status_of flush_dcache_page)
		check "mips64: flush_dcache_page is not compiled empty ($st)" sh -c \
			"[ -n '$st' ] && ! echo '$st' | grep -q compiled_empty" ;;
	armv7l)
		# issue 24: exported real code on armhf; some row must cost
		st=$(status_of flush_dcache_page)
		check "armhf: flush_dcache_page is not compiled empty and costs ($st)" sh -c \
			"echo '$st' | grep -q costs && ! echo '$st' | grep -q compiled_empty" ;;
	esac
	# analyze regenerates analysis.json; a malformed set exits 1
	cp "$A/analysis.json" "$T/an.orig"
	rm -f "$A/analysis.json"
	ctbench analyze "$A" >"$T/an.out" 2>&1
	rc=$?
	check "analyze DIR regenerates analysis.json (rc=$rc)" sh -c \
		"[ $rc -eq 0 ] && [ -s '$A/analysis.json' ] && grep -q 'TLB crossover statement' '$T/an.out'"
	mkdir -p "$T/badset" && echo '{' >"$T/badset/meta.json"
	ctbench analyze "$T/badset" >"$T/an.bad" 2>&1
	rc=$?
	check "analyze on a malformed set: exit 1 'bad result set' (rc=$rc)" sh -c \
		"[ $rc -eq 1 ] && grep -q 'bad result set' '$T/an.bad'"
	for fam in core uaccess cache tlb; do
		check "set has rows of family $fam" grep -q ",$fam," "$A/results.csv"
	done
	check "suite prints its whole wall time" grep -q '^wall time: ' "$T/suite1"
	check "rows carry rounds and a floor (schema 3)" sh -c \
		"head -1 '$A/results.csv' | grep -q ',rounds,ci_level,net_spread_lo,net_spread_hi,floor_ns,below_floor' && grep -q '\"schema_version\": 3' '$A/meta.json'"
	ctbench compare "$A" "$B" >"$T/cmp" 2>&1
	rc=$?
	# A against A from one boot: 0 changed rows (x86_64 6.1 TCG:
	# 0 of 171, drift 33% from the spin and nop rows)
	check "A vs A, one boot, whole quick suite: 0 changed rows (rc=$rc; $(grep 'rows shown of' "$T/cmp"))" sh -c \
		"[ $rc -eq 0 ] && grep -q 'matched: 0 slower, 0 faster,' '$T/cmp' && ! grep -Eq ' (slower|faster)[*]?\$' '$T/cmp'"
	check "compare A B: lines <= 72 columns, both kernels named" sh -c \
		"[ \$(awk 'length > 72' '$T/cmp' | wc -l) -eq 0 ] && grep -q '^Kernel A: ' '$T/cmp' && grep -q '^Kernel B: ' '$T/cmp'"
	ctbench report "$A" >"$T/rep1" 2>&1
	check "report A: the empty op reads '< floor', lines <= 72" sh -c \
		"grep -q '^nop .*< floor (' '$T/rep1' && [ \$(awk 'length > 72' '$T/rep1' | wc -l) -eq 0 ]"
	ctbench compare "$A" "$A" >"$T/cmp2" 2>&1
	rc=$?
	check "a set compared with itself: no significant difference only (rc=$rc)" sh -c \
		"[ $rc -eq 0 ] && grep -q 'matched: 0 slower, 0 faster,' '$T/cmp2' && ! grep -Eq ' (faster|slower)[*]?\$' '$T/cmp2'"
	ctbench report "$A" "$B" >"$T/rep" 2>&1
	rc=$?
	check "report A B exits 0, lines <= 72 columns (rc=$rc)" sh -c \
		"[ $rc -eq 0 ] && [ \$(awk 'length > 72' '$T/rep' | wc -l) -eq 0 ] && [ -s '$T/rep' ]"
	# a set from "another arch" must be refused unless --cross-arch
	C="$T/other/$(basename "$B")"
	mkdir -p "$T/other" && cp -r "$B" "$C"
	# meta.json and the meta inside results.json must agree
	sed -i 's/"arch": *"[^"]*"/"arch": "not-this-arch"/' "$C/meta.json" \
		"$C/results.json"
	ctbench compare "$A" "$C" >"$T/cmp3" 2>&1
	rc=$?
	check "compare across arches refused with exit 5 naming arch (rc=$rc)" sh -c \
		"[ $rc -eq 5 ] && grep -q arch '$T/cmp3'"
	ctbench compare --cross-arch "$A" "$C" >"$T/cmp4" 2>&1
	rc=$?
	check "compare --cross-arch proceeds, says it compares ratios (rc=$rc)" sh -c \
		"[ $rc -eq 0 ] && grep -q '^Cross-arch: ' '$T/cmp4'"
fi

[ $fails -eq 0 ]
