#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# TAP: checkpatch.pl --no-tree --strict -f on every kmod file must report
# no ERROR and no WARNING (scripts/checkpatch does the work).
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$("$top/scripts/checkpatch" 2>&1)
rc=$?
if [ "$rc" -eq 2 ]; then
	echo "1..0 # SKIP checkpatch.pl unavailable: $(printf '%s\n' "$out" | tail -n 1)"
	exit 0
fi
n=$(printf '%s\n' "$out" | grep -c -E '^(ok  |FAIL) ')
if [ "$n" -eq 0 ]; then
	echo "1..1"
	echo "not ok 1 - scripts/checkpatch checked no file"
	printf '%s\n' "$out" | sed 's/^/# /'
	exit 1
fi
echo "1..$n"
i=0
printf '%s\n' "$out" | while IFS= read -r line; do
	case "$line" in
	"ok   "*)
		i=$((i + 1))
		f=${line#ok   }
		echo "ok $i - checkpatch ${f%%:*}"
		;;
	"FAIL "*)
		i=$((i + 1))
		f=${line#FAIL }
		echo "not ok $i - checkpatch ${f%%:*}: ${f#*: }"
		;;
	*)
		echo "# $line"
		;;
	esac
done
exit "$rc"
