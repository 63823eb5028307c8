#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest test of the "uaccess" op family (issue 5): correctness of every
# method against a userspace model of vhost, rings across page boundaries,
# EFAULT/EINVAL on bad rings without kernel warnings, pin/vmap leak checks,
# and the per-method costs with the vmap/copy ratio and break-even count
# (as "# info" lines).  Needs root and the cachetlb module loaded.
# Prints ok / not ok / # SKIP lines; exits non-zero when a check failed.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
find_test uaccess_test || exit 1
exec "$bin" "$@"
