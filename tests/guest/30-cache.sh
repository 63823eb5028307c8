#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest test of the "cache" op family: runs cache_test (tests/guest/
# cache_test.c) and checks the kernel log stayed free of warnings.
# Prints ok / not ok / # SKIP lines; exits 0 unless the test crashed.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

find_test cache_test || exit 0
before=$(count_warnings)

"$bin"
check_exit cache_test $?
check_warnings "$before" "the cache tests"
exit 0
