#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest test of the "uaccess" op family (issue 5): correctness of every
# method against a userspace model of vhost, rings across page boundaries,
# EFAULT/EINVAL on bad rings without kernel warnings, pin/vmap leak checks,
# and the per-method costs with the vmap/copy ratio and break-even count
# (as "# info" lines).  Needs root and the cachetlb module loaded.
# Prints ok / not ok / # SKIP lines; exits non-zero when a check failed.

if ! command -v uaccess_test >/dev/null 2>&1; then
	echo "not ok - uaccess_test binary not on PATH (bench/Makefile builds it into \$(O)/tests/guest)"
	exit 1
fi
if [ ! -c /dev/cachetlb ]; then
	echo "not ok - /dev/cachetlb missing: is the cachetlb module loaded?"
	exit 1
fi
exec uaccess_test "$@"
