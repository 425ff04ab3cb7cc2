#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
#   scripts/kselftest.sh stock|stock-6.12|debug [TEST...] RESULTS
#
# Run chimney's kselftests (or only the TEST programs named, e.g.
# chimney_tcp.sh) in a VM on the given kernel, with the kernel's own lib.mk
# and kselftest runner (copied beside the collection, as in
# tools/testing/selftests). Writes one result line per check to RESULTS,
# plus one for a clean kernel log. Runs with different TEST lists may go
# side by side.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
build=${CHIMNEY_BUILD:-$top/build}
kernel=$1 results=${!#}
tests=("${@:2:$#-2}")
tag=
[ ${#tests[@]} -eq 0 ] || tag=-${tests[0]%.sh}
src=$("$here/debug-kernel.sh" --src) || exit 1
ksft=$build/ksft-$kernel$tag
out=$build/vm/kselftest-$kernel$tag

# The collection as tools/testing/selftests/chimney, built on the host.
rm -rf "$ksft"
mkdir -p "$ksft"
cp "$src/tools/testing/selftests/lib.mk" "$ksft/"
cp -r "$src/tools/testing/selftests/kselftest" "$ksft/"
cp -r "$top/selftests/chimney" "$ksft/chimney"
cp "$top/include/uapi/linux/chimney.h" "$ksft/chimney/"
# A longer campaign (make soak) gives each program more time, and the VM
# as much again.
vm_timeout=4200
if [ -n "${CHIMNEY_KSFT_TIMEOUT:-}" ]; then
	echo "timeout=$CHIMNEY_KSFT_TIMEOUT" >"$ksft/chimney/settings"
	vm_timeout=$((2 * CHIMNEY_KSFT_TIMEOUT))
fi
make -s -C "$ksft/chimney" KSFT="$ksft" all || exit 1

cd "$top"
# A program may take the kselftest timeout (settings: 1800 s). The debug
# kernel's lane of the data path, allocation failures and teardown took
# 2,574 s in the last make check, with the other lanes beside it, up from
# 2,314 s three runs before: 4,200 s leaves it a margin and CI (90
# minutes in all) its own.
CHIMNEY_KO=$build/$kernel/chimney/chimney.ko CHIMNEYCTL=$build/tools/chimneyctl \
	"$here/vm" --kernel "$kernel" --quiet --timeout "$vm_timeout" --out "$out" -- \
	make -s -C "$ksft/chimney" KSFT="$ksft" ${tests[@]:+TEST_PROGS="${tests[*]}"} run_tests
vmrc=$?
cat "$out/output.log" 2>/dev/null

: >"$results"
if [ -f "$out/output.log" ]; then
	python3 "$here/results.py" ktap "$out/output.log" "kselftest/$kernel" >>"$results"
else
	echo "FAIL kselftest/$kernel: the VM produced no output" >>"$results"
fi
if [ -f "$out/rc" ] && [ ! -s "$out/splats.txt" ]; then
	echo "PASS kselftest/$kernel$tag: kernel log clean" >>"$results"
else
	echo "FAIL kselftest/$kernel$tag: kernel log clean (VM exit $vmrc, see $out)" >>"$results"
	# What CI prints is all a reader may see of it.
	sed -n "1,8s|^|NOTE kselftest/$kernel$tag: splat: |p" "$out/splats.txt" \
		>>"$results" 2>/dev/null
fi
! grep -q '^FAIL' "$results"
