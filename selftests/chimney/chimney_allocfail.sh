#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Allocation-failure sweep (chimney_allocfail.py): device creation and each
# request, with its k-th allocation failed for k = 1, 2, ... until it runs
# whole. A clean error or completion each time, nothing half built, nothing
# leaked (the runner's kmemleak scan), and the module still unloads.
# Needs a kernel with fault injection (the debug kernel); skipped elsewhere.

source "$(dirname "$0")/chimney_lib.sh"
chimney_require

FI=/sys/kernel/debug
if [ ! -e /proc/thread-self/fail-nth ] || [ ! -d $FI/failslab ]; then
	echo "SKIP: no fault injection (CONFIG_FAULT_INJECTION, CONFIG_FAILSLAB)"
	exit $ksft_skip
fi
cleanup()
{
	ip link del chimaf0 2>/dev/null
	chimney_unload 2>/dev/null
}
trap cleanup EXIT

chimney_unload
chimney_load
# fail-nth reaches every allocation, not only those that may not sleep;
# an injected failure is not a splat.
for attr in failslab fail_page_alloc; do
	[ -d $FI/$attr ] || continue
	echo N >$FI/$attr/ignore-gfp-wait
	echo 0 >$FI/$attr/verbose
done

t0=$SECONDS
# The kernel's own stack dumps for failed allocations (a netdevice's
# sysctls, vmalloc) are expected here; the VM runner lets them pass.
echo "chimney-test: injected allocation failures begin" >/dev/kmsg
python3 "$CHIMNEY_LIB_DIR/chimney_allocfail.py" >/tmp/chimney-allocfail.out 2>&1
rc=$?
echo "chimney-test: injected allocation failures end" >/dev/kmsg
while read -r status text; do
	case $status in
	PASS) tap_result "allocation failures: $text" 0 ;;
	FAIL) tap_result "allocation failures: $text" 1 ;;
	*) echo "# $status $text" ;;
	esac
done </tmp/chimney-allocfail.out
check "the sweep ran to its end, with no failure ($((SECONDS - t0)) s)" [ $rc = 0 ]
check "the module unloads" chimney_unload

tap_done
