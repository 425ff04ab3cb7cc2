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

"$here/vm" --quiet --out "$build/vm/selftest-rc" -- bash -c 'exit 3'
rc=$?
result "returns the command's exit status" "$([ $rc -eq 3 ] && echo ok || echo "got $rc")"

"$here/vm" --quiet --out "$build/vm/selftest-splat" -- \
	bash -c 'echo "WARNING: CPU: 0 PID: 1 at injected by vm-selftest" >/dev/kmsg'
rc=$?
result "fails a passing command when the kernel log has a splat" \
	"$([ $rc -eq 1 ] && grep -q injected "$build/vm/selftest-splat/splats.txt" \
		&& echo ok || echo "got $rc")"

t0=$SECONDS
"$here/vm" --quiet --timeout 45 --out "$build/vm/selftest-timeout" -- sleep 3600
rc=$?
result "stops a hung command at --timeout" \
	"$([ $rc -eq 124 ] && [ $((SECONDS - t0)) -lt 90 ] && echo ok || echo "got $rc")"

! grep -q '^FAIL' "$results"
