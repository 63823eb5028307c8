#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/completion.t - scripts/completion/ctbench.bash, sourced in
# bash and called as readline would (COMP_WORDS/COMP_CWORD): commands,
# options per command and option values from the real ctbench's tables,
# and op names from `ctbench list` (through a stand-in that prints a
# captured-format op table, since the host has no /dev/cachetlb).  TAP.

REPO=$(cd "$(dirname "$0")/../.." && pwd)
CTB=${CTBENCH:-$REPO/build/host/bench/ctbench}
if [ ! -x "$CTB" ]; then
	make -s -C "$REPO/bench" O="$REPO/build/host/bench" "$REPO/build/host/bench/ctbench" >/dev/null 2>&1 ||
		{ echo "1..0 # SKIP cannot build ctbench"; exit 0; }
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0 fail=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); fail=1; echo "not ok $n - $*"; }

# shellcheck source=/dev/null
. "$REPO/scripts/completion/ctbench.bash"
complete -p ctbench >/dev/null 2>&1 && ok "the script registers a completion for ctbench" ||
	nok "no completion registered for ctbench"

comp() { # EXE WORD... (the last word is the one being completed)
	local exe=$1
	shift
	COMP_WORDS=("$exe" "$@")
	COMP_CWORD=$#
	COMPREPLY=()
	_ctbench
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}
expect() { # DESC WANT EXE WORD...
	local d=$1 want=$2 got
	shift 2
	got=$(comp "$@")
	[ "$got" = "$want" ] && ok "$d: '$got'" || nok "$d: got '$got', want '$want'"
}

expect "commands" "compare" "$CTB" co
expect "all commands from the table" \
	"analyze compare help import-lava info list plot report run suite verify" "$CTB" ''
expect "run options" "--samples --span --state" "$CTB" run --s
expect "run option after an op" "--busy-targets" "$CTB" run tlb_flush_all --bu
expect "-o long form" "--output" "$CTB" suite quick --ou
expect "families" "tlb" "$CTB" run --family t
expect "states" "clean" "$CTB" run x --state cl
expect "plot terminals" "dumb" "$CTB" plot --term d
expect "suite names" "full quick" "$CTB" suite ''
expect "compare options" "--family --force --format" "$CTB" compare --f
expect "help COMMAND" "import-lava info" "$CTB" help i
mkdir -p "$T/setA" "$T/setB"
expect "compare completes directories" "$T/setA $T/setB" "$CTB" compare "$T/set"
expect "a flag takes no value: the op follows" "" "$CTB" info --json ''

# op names: a stand-in ctbench with an op table, the rest from the real one
cat >"$T/ctbench" <<EOS
#!/bin/sh
if [ "\$1" = list ]; then
	printf '%s\n' \
	'#   op                           family  ok   unit      count         uses                       props / reason' \
	'0   null                         core    yes  call      -             -                          -' \
	'7   flush_tlb_kernel_range       tlb     yes  call      1..4096       count                      -' \
	'8   flush_tlb_mm_range           tlb     no   call      1..4096       count                      not exported'
	exit 0
fi
exec "$CTB" "\$@"
EOS
chmod +x "$T/ctbench"
expect "op names from ctbench list" "flush_tlb_kernel_range flush_tlb_mm_range" "$T/ctbench" run flush_tlb_
expect "op names after options" "null" "$T/ctbench" run --samples 5 n
if [ ! -e /dev/cachetlb ]; then
	expect "no device: no op names" "" "$CTB" run flush_
fi
echo "1..$n"
exit $fail
