#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/man.t - the man pages docs/man/*.1 render without a single
# groff warning (groff -ww -man), and ctbench(1) cannot drift from the
# option tables: every long option `ctbench --complete SUB` lists appears
# in the .SS section of SUB, and every subcommand has a section.  TAP.

REPO=$(cd "$(dirname "$0")/../.." && pwd)
CTB=${CTBENCH:-$REPO/build/host/bench/ctbench}
if [ ! -x "$CTB" ]; then
	make -s -C "$REPO/bench" O="$REPO/build/host/bench" "$REPO/build/host/bench/ctbench" >/dev/null 2>&1 ||
		{ echo "1..0 # SKIP cannot build ctbench"; exit 0; }
fi
command -v groff >/dev/null ||
	{ echo "1..0 # SKIP groff missing (scripts/deps installs groff-base)"; exit 0; }
n=0 fail=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); fail=1; echo "not ok $n - $*"; }

for m in "$REPO"/docs/man/*.1; do
	w=$(LC_ALL=C.UTF-8 groff -ww -man -Tutf8 "$m" 2>&1 >/dev/null)
	out=$(LC_ALL=C.UTF-8 groff -ww -man -Tutf8 "$m" 2>/dev/null | wc -l)
	if [ -z "$w" ] && [ "$out" -gt 20 ]; then
		ok "${m##*/} renders ($out lines) without warnings"
	else
		nok "${m##*/}: $out lines; warnings: $w"
	fi
done

page=$REPO/docs/man/ctbench.1
subs=$("$CTB" --complete)
[ "$(echo "$subs" | wc -l)" -ge 9 ] && ok "ctbench --complete lists $(echo "$subs" | wc -l) subcommands" ||
	nok "ctbench --complete lists too few subcommands: $subs"
for s in $subs; do
	sec=${s//-/\\\\-}
	body=$(awk -v h=".SS $sec" '$0 == h { on = 1; next } /^\.S[SH] / { on = 0 } on' "$page")
	if [ -z "$body" ]; then
		nok "ctbench.1 has no section '.SS $s'"
		continue
	fi
	missing=''
	for o in $("$CTB" --complete "$s"); do
		case $o in --help|-?) continue ;; esac
		grep -qF -- "${o//-/\\-}" <<<"$body" || missing+=" $o"
	done
	[ -z "$missing" ] && ok "ctbench.1 section $s names every option of its table" ||
		nok "ctbench.1 section $s lacks:$missing"
done
# the check itself: a name not in the table is not found
body=$(awk '$0 == ".SS run" { on = 1; next } /^\.S[SH] / { on = 0 } on' "$page")
grep -qF -- '\-\-no\-such\-option' <<<"$body" && nok "drift check cannot fail" ||
	ok "drift check rejects an option the page lacks"
echo "1..$n"
exit $fail
