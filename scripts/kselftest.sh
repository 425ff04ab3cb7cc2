#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
#   scripts/kselftest.sh stock|debug RESULTS
#
# Run chimney's kselftests in a VM on the given kernel, with the kernel's own
# lib.mk and kselftest runner (copied beside the collection, as in
# tools/testing/selftests). Writes one result line per check to RESULTS,
# plus one for a clean kernel log.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
build=${CHIMNEY_BUILD:-$top/build}
kernel=$1 results=$2
src=$("$here/debug-kernel.sh" --src) || exit 1
ksft=$build/ksft-$kernel
out=$build/vm/kselftest-$kernel

# The collection as tools/testing/selftests/chimney, built on the host.
rm -rf "$ksft"
mkdir -p "$ksft"
cp "$src/tools/testing/selftests/lib.mk" "$ksft/"
cp -r "$src/tools/testing/selftests/kselftest" "$ksft/"
cp -r "$top/selftests/chimney" "$ksft/chimney"
cp "$top/include/uapi/linux/chimney.h" "$ksft/chimney/"
make -s -C "$ksft/chimney" KSFT="$ksft" all || exit 1

cd "$top"
CHIMNEY_KO=$build/$kernel/chimney/chimney.ko CHIMNEYCTL=$build/tools/chimneyctl \
	"$here/vm" --kernel "$kernel" --quiet --out "$out" -- \
	make -s -C "$ksft/chimney" KSFT="$ksft" run_tests
vmrc=$?
cat "$out/output.log" 2>/dev/null

: >"$results"
if [ -f "$out/output.log" ]; then
	python3 "$here/results.py" ktap "$out/output.log" "kselftest/$kernel" >>"$results"
else
	echo "FAIL kselftest/$kernel: the VM produced no output" >>"$results"
fi
if [ -f "$out/rc" ] && [ ! -s "$out/splats.txt" ]; then
	echo "PASS kselftest/$kernel: kernel log clean" >>"$results"
else
	echo "FAIL kselftest/$kernel: kernel log clean (VM exit $vmrc, see $out)" >>"$results"
fi
! grep -q '^FAIL' "$results"
