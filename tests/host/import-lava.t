#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/host/import-lava.t - ctbench import-lava on the output of a real
# lava-run of lava/jobs/qemu-x86_64 (tests/host/lava/job/: output.yaml =
# lava-run's log, result.yaml, job.yaml, device.yaml, captured by
# make lava-check) and on mutated copies: a job that died while printing
# the set, an altered line, a lost measurement, a lost row test case, a
# failed job, a REST export (lavacli results --yaml layout, built from the
# same log), garbage.  TAP output.

REPO=$(cd "$(dirname "$0")/../.." && pwd)
FIX=$REPO/tests/host/lava/job
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
check() { # DESC COMMAND... (its output discarded)
	local d=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$d"; else nok "$d"; fi
}
L=$FIX/output.yaml
# row test cases in the log: <family>.<op>.n<N>.a<aux>.<state>.<opflags>.<targets>
rowcases=$(grep -c '"lvl": "results", "msg": {"case": "[a-z]*\.[a-z_0-9]*\.n[0-9]*\.a[0-9]*\.' "$L")
job() { rm -rf "$T/$1"; mkdir -p "$T/$1"; cp "$FIX"/*.yaml "$T/$1/"; }
rows() { local t=0 s; for s in "$1"/*/; do t=$((t + $(tail -n +2 "$s/results.csv" | wc -l))); done; echo $t; }

# ---- 1. the captured job as it is
"$CTB" import-lava "$FIX" --job-id 42 --job-url https://lab.example/scheduler/job/42 \
	--board qemu-tcg -o "$T/o1" >"$T/out1" 2>"$T/err1"
st=$?
check "unmodified job imports (exit $st)" [ $st -eq 0 ]
check "one set per ctbench run ($(wc -l <"$T/out1") printed)" \
	[ "$(wc -l <"$T/out1")" -eq "$(grep -c 'CTB-SET-END' "$L")" ]
check "every row test case is a row ($(rows "$T/o1") rows, $rowcases cases)" \
	[ "$(rows "$T/o1")" -eq "$rowcases" -a "$rowcases" -gt 0 ]
s1=$(head -n 1 "$T/out1")
for k in '"lava_job_id": "42"' '"lava_job_url": "https://lab.example/scheduler/job/42"' \
	 '"board": "qemu-tcg"' '"lava_device": "ctb-qemu-01"' '"lava_device_type": "qemu"' \
	 '"lava_partial": false' '"lava_job_result": "pass"' '"emulation": "qemu-tcg"'; do
	check "meta $k" grep -q -F "$k" "$s1/meta.json"
done
check "raw samples restored" [ -n "$(ls "$s1"/raw/*.csv 2>/dev/null)" ]
check "ctbench report accepts the imported set" "$CTB" report "$s1"
check "scripts/plot accepts the imported sets (with board labels)" \
	/usr/bin/python3 "$REPO/scripts/plot" -o "$T/plots" $(cat "$T/out1")
s2=$(sed -n 2p "$T/out1")
if [ -n "$s2" ]; then
	"$CTB" compare "$s1" "$s1" >"$T/cmp" 2>&1
	st=$?
	check "ctbench compare accepts it (A vs A exit $st)" [ $st -eq 0 ]
fi
"$CTB" import-lava "$FIX" --job-id 42 -o "$T/o1" >/dev/null 2>&1
check "importing the same job again refuses to overwrite" [ $? -ne 0 ]

# ---- 2. job died while printing the set: log cut after the first results.csv line
job cut
awk '/"CTB\|/ && ++k == 3 { exit } { print }' "$L" >"$T/cut/output.yaml"
"$CTB" import-lava "$T/cut" -o "$T/o2" >/dev/null 2>"$T/err2"
st=$?
check "cut log: refused (exit $st)" [ $st -eq 1 ]
check "cut log: message says the set was cut" grep -q -E 'no CTB-SET-END|cut off' "$T/err2"
check "cut log: nothing written" [ -z "$(ls "$T/o2" 2>/dev/null)" ]
"$CTB" import-lava "$T/cut" --partial -o "$T/o2p" >/dev/null 2>"$T/err2p"
st=$?
if [ $st -eq 0 ]; then
	check "cut log --partial: written, marked partial" grep -q '"lava_partial": true' "$T"/o2p/*/meta.json
else
	check "cut log --partial: a clear error when nothing usable is left" grep -q 'import-lava' "$T/err2p"
fi

# ---- 3. one data line altered in transit
job alt
awk '/CTB\|[a-z_]*,core,/ && !d { sub(/,core,/, ",core ,"); d = 1 } { print }' "$L" >"$T/alt/output.yaml"
"$CTB" import-lava "$T/alt" -o "$T/o3" >/dev/null 2>"$T/err3"
check "altered line: refused, SHA-256 named" grep -q 'SHA-256' "$T/err3"

# ---- 4. a row test case lost its measurement
job meas
awk '/"measurement":/ && /"lvl": "results"/ && !d { sub(/"measurement": [^,]*, /, ""); d = 1 } { print }' "$L" >"$T/meas/output.yaml"
"$CTB" import-lava "$T/meas" -o "$T/o4" >/dev/null 2>"$T/err4"
st=$?
check "missing measurement: refused (exit $st), named" [ $st -eq 1 -a -n "$(grep 'measured nan' "$T/err4")" ]

# ---- 5. a row test case missing altogether
job lost
awk '/"lvl": "results", "msg": {"case": "[a-z]*\.[a-z_0-9]*\.n[0-9]/ && !d { d = 1; next } { print }' "$L" >"$T/lost/output.yaml"
"$CTB" import-lava "$T/lost" -o "$T/o5" >/dev/null 2>"$T/err5"
check "lost test case: refused, row named" grep -q 'has no test case' "$T/err5"
"$CTB" import-lava "$T/lost" --partial -o "$T/o5p" >/dev/null 2>&1
check "lost test case --partial: every row still there, marked partial" \
	[ "$(rows "$T/o5p")" -eq "$rowcases" -a -n "$(grep -l '"lava_partial": true' "$T"/o5p/*/meta.json)" ]

# ---- 6. the job failed (lava-run's result.yaml)
job failed
printf 'case: job\ndefinition: lava\nerror_msg: login-action timed out after 277 seconds\nerror_type: Job\nresult: fail\n' >"$T/failed/result.yaml"
"$CTB" import-lava "$T/failed" -o "$T/o6" >/dev/null 2>"$T/err6"
check "failed job: refused, LAVA's error quoted" grep -q 'login-action timed out' "$T/err6"

# ---- 7. a REST export (lavacli results --yaml layout) alone
python3 - "$L" "$T/rest.yaml" <<'PY' || nok "could not build the REST export"
import sys, yaml
out = []
for i, line in enumerate(open(sys.argv[1])):
    line = line.strip()
    if '"lvl": "results"' not in line:
        continue
    m = yaml.safe_load(line)["msg"]
    out.append({"id": str(1000 + i), "job": "42", "suite": m["definition"],
                "name": m["case"], "result": m["result"],
                "measurement": "%.10f" % m["measurement"] if "measurement" in m else "None",
                "unit": m.get("units", ""), "level": m.get("level", ""),
                "url": "/results/42/%s/%s" % (m["definition"], m["case"]),
                "logged": "2026-12-04 19:13:38", "log_start_line": "", "log_end_line": "",
                "metadata": m})
print(yaml.dump(out, default_flow_style=None).rstrip("\n"), file=open(sys.argv[2], "w"))
PY
"$CTB" import-lava "$T/rest.yaml" -o "$T/o7" >"$T/out7" 2>"$T/err7"
st=$?
check "REST export alone: reduced set (exit $st)" [ $st -eq 0 ]
s7=$(head -n 1 "$T/out7")
check "REST export: every row test case is a row" [ "$(rows "$T/o7")" -eq "$rowcases" ]
check "REST export: marked reduced, job id from the export" \
	grep -q '"lava_reduced": true' "$s7/meta.json"
check "REST export: job id and arch from the test cases" \
	[ -n "$(grep '"lava_job_id": "42"' "$s7/meta.json")" -a -n "$(grep '"arch": "x86_64"' "$s7/meta.json")" ]
check "ctbench report accepts the reduced set" "$CTB" report "$s7"

# ---- 8. not LAVA at all
echo 'hello: world' >"$T/garbage.yaml"
"$CTB" import-lava "$T/garbage.yaml" -o "$T/o8" >/dev/null 2>"$T/err8"
check "unrelated YAML: refused with what was expected" grep -q 'neither a LAVA job log' "$T/err8"
"$CTB" import-lava -o "$T/o9" >/dev/null 2>&1
check "no JOB: usage error (2)" [ $? -eq 2 ]

echo "1..$n"
exit $fail
