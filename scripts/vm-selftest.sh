#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
#   scripts/vm-selftest.sh RESULTS
#
# Test the VM runner itself on the stock kernel, since every other suite
# trusts its verdict: COMMAND's exit status comes back; a splat in the
# kernel log (here a "WARNING:" line written to /dev/kmsg) fails a command
# that passed; and a command that hangs is stopped by --timeout.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
build=${CHIMNEY_BUILD:-$top/build}
results=$1
: >"$results"
cd "$top"

result()
{
	if [ "$2" = ok ]; then
		echo "PASS vm: $1" >>"$results"
	else
		echo "FAIL vm: $1 ($2)" >>"$results"
	fi
}

# The three guests run at once: each is one stock boot.
"$here/vm" --quiet --out "$build/vm/selftest-rc" -- bash -c 'exit 3' &
rc_pid=$!
"$here/vm" --quiet --out "$build/vm/selftest-splat" -- \
	bash -c 'echo "WARNING: CPU: 0 PID: 1 at injected by vm-selftest" >/dev/kmsg' &
splat_pid=$!
t0=$SECONDS
"$here/vm" --quiet --timeout 20 --out "$build/vm/selftest-timeout" -- sleep 3600 &
timeout_pid=$!

wait $rc_pid
rc=$?
result "returns the command's exit status" "$([ $rc -eq 3 ] && echo ok || echo "got $rc")"

wait $splat_pid
rc=$?
result "fails a passing command when the kernel log has a splat" \
	"$([ $rc -eq 1 ] && grep -q injected "$build/vm/selftest-splat/splats.txt" \
		&& echo ok || echo "got $rc")"

wait $timeout_pid
rc=$?
result "stops a hung command at --timeout" \
	"$([ $rc -eq 124 ] && [ $((SECONDS - t0)) -lt 60 ] && echo ok || echo "got $rc")"

! grep -q '^FAIL' "$results"
