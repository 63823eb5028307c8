#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest test of the kernel-path TLB ops (kmod/ops_kpath.c) with ftrace:
#  - which kernel functions kpath_purge and kpath_set_pages_wb run below
#    and above the x86 ceiling (function_graph on vm_unmap_aliases /
#    set_pages_wb), and the range flush_tlb_kernel_range really gets
#    (kprobe event on x86);
#  - that no ENDBR-sealed function is ever entered straight from the
#    module's code: the function tracer on every sealed candidate while
#    the whole tlb family runs, callers checked against the module's
#    symbols.  On a kernel without IBT the same trace must show the module
#    calling flush_tlb_all itself, which proves the check can fail.
# The harness runs it with --smp 2 and --smp 4 (the name contains "tlb").
# Prints ok / not ok / # SKIP lines; exits 0 unless the test crashed.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
warn_pat="$warn_pat|Missing ENDBR"

T=/sys/kernel/tracing
tmp=$(mktemp -d /tmp/kpath.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT

if [ ! -c /dev/cachetlb ]; then
	echo "not ok - /dev/cachetlb exists (module loaded)"
	exit 0
fi
# Opt-in: switching tracers patches kernel text on every CPU, and under
# QEMU TCG that has oopsed (int3 in __schedule, 6.12) and soft-locked
# (6.1) the guest.  scripts/vm --env CTB_FTRACE=1 -- tests/guest/run-all 55
if [ "${CTB_FTRACE:-0}" != 1 ]; then
	echo "ok - kernel-path ftrace checks # SKIP opt-in (CTB_FTRACE=1): tracer text patching under TCG can oops the guest"
	exit 0
fi
[ -e $T/trace ] || mount -t tracefs nodev $T 2>/dev/null
if [ ! -e $T/trace ] || ! grep -qw function_graph $T/available_tracers; then
	echo "ok - kernel-path ftrace checks # SKIP no tracefs with function_graph"
	exit 0
fi
before=$(count_warnings)
arch=$(uname -m)
ceil_file=/sys/kernel/debug/x86/tlb_single_page_flush_ceiling
ceil=33
[ -r $ceil_file ] && ceil=$(cat $ceil_file)

trace_off() {
	echo 0 > $T/tracing_on
	echo nop > $T/current_tracer
	: > $T/set_graph_function
	: > $T/set_ftrace_filter
	: > $T/trace
	if [ -e $T/kprobe_events ]; then
		[ -e $T/events/kprobes/enable ] &&
			echo 0 > $T/events/kprobes/enable
		: > $T/kprobe_events
	fi
}

# run_op OP N: one short RUN of OP at N through ctbench (output discarded).
run_op() {
	ctbench run "$1" --pages "$2" --samples 2 --warmup 0 \
		--iterations 1 >"$tmp/run.out" 2>&1
}

# Functions the graphs may show.  Only these are patched: enabling the
# graph tracer on every function takes minutes of cross-CPU text patching
# under TCG (soft lockups on 6.1).
graph_fns="vm_unmap_aliases _vm_unmap_aliases purge_fragmented_blocks_allcpus
__purge_vmap_area_lazy purge_vmap_node reclaim_list_global decay_va_pool_node
merge_or_add_vmap_area_augment kasan_release_vmalloc flush_tlb_kernel_range
do_kernel_range_flush do_flush_tlb_all flush_tlb_all flush_tlb_one_kernel
on_each_cpu_cond_mask smp_call_function_many_cond set_pages_wb set_memory_wb
_set_memory_wb change_page_attr_set_clr __change_page_attr_set_clr
__change_page_attr cpa_flush __cpa_flush_tlb cpa_flush_all memtype_free
free_ram_pages_type kmem_cache_free cpa_process_alias"
: > "$tmp/gfns"
for f in $graph_fns; do
	if grep -q "^$f\( \|\$\)" $T/available_filter_functions; then
		echo "$f" >> "$tmp/gfns"
	fi
done

# graph ENTRY OP N: function_graph of ENTRY while OP runs at N -> $tmp/g
graph() {
	trace_off
	cat "$tmp/gfns" > $T/set_ftrace_filter || return 1
	echo "$1" > $T/set_graph_function || return 1
	echo 12 > $T/max_graph_depth 2>/dev/null
	echo function_graph > $T/current_tracer
	echo 1 > $T/tracing_on
	run_op "$2" "$3"
	rc=$?
	echo 0 > $T/tracing_on
	cat $T/trace > "$tmp/g"
	trace_off
	# For the record: the distinct functions seen below ENTRY.
	fns=$(sed -n 's/.*| *\([A-Za-z0-9_.]*\)() *[{;].*/\1/p' "$tmp/g" |
		sort -u | tr '\n' ' ')
	echo "# info $2 N=$3, functions under $1: $fns"
	return $rc
}

has() {
	grep -q "[ ;]$1()\|[ ;]$1 ()\|[ ;]$1();" "$tmp/g"
}

# expect WHAT FN... : every FN appears in the graph; !FN must not.
expect() {
	what=$1
	shift
	bad=
	for f in "$@"; do
		case $f in
		!*) has "${f#!}" && bad="$bad ${f}" ;;
		*) has "$f" || bad="$bad missing:$f" ;;
		esac
	done
	if [ -z "$bad" ]; then
		echo "ok - $what: $*"
	else
		echo "not ok - $what:$bad"
		grep -E "flush|purge|cpa" "$tmp/g" | head -n 20 | sed 's/^/# /'
	fi
}

# --- which functions run -------------------------------------------------
# The purge graphs include the untimed drain purge before every sample,
# which flushes whatever else was lazily freed meanwhile (any range, so
# either branch): they are checked for the branch N must take, not for
# the absence of the other.  The kprobe below checks the range itself.
lo=8
hi=$((ceil + 8))
if graph vm_unmap_aliases kpath_purge $lo; then
	case $arch in
	x86_64) expect "kpath_purge N=$lo (ceiling $ceil) runs" \
		__purge_vmap_area_lazy \
		flush_tlb_kernel_range do_kernel_range_flush ;;
	riscv64) expect "kpath_purge N=$lo runs" __purge_vmap_area_lazy \
		flush_tlb_kernel_range ;;
	*) expect "kpath_purge N=$lo runs (flush_tlb_kernel_range inline here)" \
		__purge_vmap_area_lazy ;;
	esac
else
	echo "not ok - kpath_purge N=$lo ran under function_graph: $(tail -n 1 "$tmp/run.out")"
fi
if [ "$arch" = x86_64 ]; then
	if graph vm_unmap_aliases kpath_purge $hi; then
		expect "kpath_purge N=$hi (ceiling $ceil) runs" \
			__purge_vmap_area_lazy flush_tlb_kernel_range \
			do_flush_tlb_all
	else
		echo "not ok - kpath_purge N=$hi ran: $(tail -n 1 "$tmp/run.out")"
	fi
	for n in $lo $hi; do
		if ! graph set_pages_wb kpath_set_pages_wb "$n"; then
			echo "not ok - kpath_set_pages_wb N=$n ran: $(tail -n 1 "$tmp/run.out")"
		elif [ "$(grep -c ' __change_page_attr_set_clr() {' "$tmp/g")" -gt \
		       "$(grep -c ' set_pages_wb() {' "$tmp/g")" ]; then
			# A second CPA walk per call: the block has an alias
			# (kernel image high map) and CPA flushes all.
			echo "ok - kpath_set_pages_wb N=$n # SKIP block also mapped by a kernel alias: CPA forces a full flush (ctb_arch_pages_image_alias missed it)"
		elif [ "$n" -le "$ceil" ]; then
			expect "kpath_set_pages_wb N=$n (ceiling $ceil) runs" \
				cpa_flush __cpa_flush_tlb flush_tlb_one_kernel \
				memtype_free '!flush_tlb_all'
		else
			expect "kpath_set_pages_wb N=$n (ceiling $ceil) runs" \
				cpa_flush flush_tlb_all '!__cpa_flush_tlb'
		fi
	done
	# The control's timed calls must not flush: its prepare makes the
	# pages UC- and WB once (one cpa_flush), every later call none.
	if graph set_pages_wb kpath_set_pages_wb_ctl $lo; then
		calls=$(grep -c ' set_pages_wb() {' "$tmp/g")
		flushes=$(grep -c ' cpa_flush() {' "$tmp/g")
		if [ "$calls" -ge 3 ] && [ "$flushes" -eq 1 ]; then
			echo "ok - kpath_set_pages_wb_ctl N=$lo: $calls set_pages_wb calls, 1 cpa_flush (the preparation's)"
		else
			echo "not ok - kpath_set_pages_wb_ctl N=$lo: $calls set_pages_wb calls, $flushes cpa_flush (want 1, from the preparation)"
		fi
	else
		echo "not ok - kpath_set_pages_wb_ctl N=$lo ran: $(tail -n 1 "$tmp/run.out")"
	fi

	# The ceiling knob moves both paths: at 64, N=40 flushes per page
	# and N=65 in full.  Restored afterwards.
	if [ -w $ceil_file ] && echo 64 > $ceil_file 2>/dev/null; then
		if graph vm_unmap_aliases kpath_purge 40; then
			expect "ceiling 64: kpath_purge N=40 runs" \
				do_kernel_range_flush
		fi
		if graph vm_unmap_aliases kpath_purge 65; then
			expect "ceiling 64: kpath_purge N=65 runs" \
				do_flush_tlb_all
		fi
		if graph set_pages_wb kpath_set_pages_wb 40; then
			expect "ceiling 64: kpath_set_pages_wb N=40 runs" \
				__cpa_flush_tlb '!flush_tlb_all'
		fi
		if graph set_pages_wb kpath_set_pages_wb 65; then
			expect "ceiling 64: kpath_set_pages_wb N=65 runs" \
				flush_tlb_all '!__cpa_flush_tlb'
		fi
		echo "$ceil" > $ceil_file
	else
		echo "ok - ceiling knob moves the kernel paths # SKIP $ceil_file not writable"
	fi

	# The range the kernel flushes: exactly N pages (N-1 mapped + guard).
	if [ -e $T/kprobe_events ] &&
	   echo 'p:ctbkr flush_tlb_kernel_range start=%di end=%si' \
		> $T/kprobe_events 2>/dev/null; then
		echo 1 > $T/events/kprobes/ctbkr/enable
		echo 1 > $T/tracing_on
		run_op kpath_purge $lo
		echo 0 > $T/tracing_on
		sizes=$(sed -n 's/.*ctbkr:.*start=\(0x[0-9a-f]*\) end=\(0x[0-9a-f]*\).*/\1 \2/p' \
			$T/trace | while read -r s e; do
				echo $(((e - s) / 4096))
			done | sort -n | uniq -c | tr '\n' ';')
		trace_off
		case "$sizes" in
		*" $lo;"*) echo "ok - kpath_purge N=$lo: flush_tlb_kernel_range got $lo-page ranges (count x pages: $sizes)" ;;
		*) echo "not ok - kpath_purge N=$lo: flush_tlb_kernel_range range sizes $sizes" ;;
		esac
	else
		echo "ok - flush_tlb_kernel_range range size # SKIP no kprobe events"
	fi
fi

# --- no sealed function entered from the module ----------------------------
# Candidates: the functions x86 6.12 seals that the module could want
# (docs/ibt.md).  Which of them are sealed here is the module's own
# verdict (GET_INFO kernel_ibt + the ENDBR bytes, shown by ctbench list).
cands="flush_tlb_all flush_tlb_kernel_range flush_tlb_mm_range flush_tlb_multi
flush_tlb_one_kernel flush_tlb_one_user flush_tlb_local kallsyms_lookup_name
kallsyms_on_each_symbol lookup_symbol_name"
trace_off
: > "$tmp/filter"
for f in $cands; do
	if grep -q "^$f\( \|\$\)" $T/available_filter_functions; then
		echo "$f" >> "$tmp/filter"
	fi
done
if [ ! -s "$tmp/filter" ]; then
	echo "ok - no sealed candidate entered from the module # SKIP none traceable on $arch"
else
	grep '\[cachetlb\]' /proc/kallsyms | awk '{print $3}' | sort -u \
		> "$tmp/modsyms"
	ibt=0
	ctbench info 2>/dev/null | grep -qw kernel_ibt && ibt=1
	cat "$tmp/filter" > $T/set_ftrace_filter
	echo function > $T/current_tracer
	echo 1 > $T/tracing_on
	ctbench run --family tlb --pages 4 --samples 2 --warmup 0 \
		--iterations 1 >"$tmp/fam.out" 2>&1
	frc=$?
	echo 0 > $T/tracing_on
	# "func <-parent": keep "func parent" pairs.
	sed -n 's/.*: \([A-Za-z0-9_.]*\) <-\([A-Za-z0-9_.]*\).*/\1 \2/p' \
		$T/trace > "$tmp/calls"
	trace_off
	total=$(wc -l < "$tmp/calls")
	: > "$tmp/frommod"
	while read -r fn parent; do
		grep -qx "$parent" "$tmp/modsyms" && echo "$fn <- $parent" \
			>> "$tmp/frommod"
	done < "$tmp/calls"
	nmod=$(sort -u "$tmp/frommod" | wc -l)
	if [ $frc -gt 1 ] || [ "$total" -eq 0 ]; then
		echo "not ok - tlb family ran under the function tracer (exit $frc, $total traced calls)"
	elif [ $ibt = 1 ]; then
		if [ "$nmod" -eq 0 ]; then
			echo "ok - IBT kernel: no sealed candidate entered from the module ($total calls traced, all from kernel code)"
		else
			echo "not ok - IBT kernel: sealed functions entered from the module:"
			sort -u "$tmp/frommod" | sed 's/^/# /'
		fi
	else
		# No IBT: the direct ops call through pointers, which the
		# check must see (otherwise it could never fail).
		if grep -q "^flush_tlb_all <- " "$tmp/frommod"; then
			echo "ok - no IBT here: the check sees the module's own call of flush_tlb_all ($nmod caller pair(s), $total calls)"
		else
			echo "not ok - no IBT here, yet the module's flush_tlb_all op was not seen calling it ($total calls)"
		fi
	fi
fi

check_warnings "$before" "the kernel-path ftrace tests"
exit 0
