#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
#   scripts/kunit.sh RESULTS
#
# Run chimney's KUnit suites in the debug kernel: load chimney.ko and
# chimney_test.ko (the suites run at load), unload both, and parse the
# kernel log with the kernel's own "kunit.py parse". Writes one result line
# per test case to RESULTS, plus one for a clean kernel log.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
build=${CHIMNEY_BUILD:-$top/build}
results=$1
src=$("$here/debug-kernel.sh" --src) || exit 1
out=$build/vm/kunit
mod=$build/debug/chimney

cd "$top"
"$here/vm" --kernel debug --quiet --out "$out" -- bash -c "
	insmod $mod/chimney.ko || exit 1
	echo chimney-kunit-start >/dev/kmsg
	insmod $mod/chimney_test.ko || exit 1
	rmmod chimney_test && rmmod chimney"
vmrc=$?

: >"$results"
if [ -f "$out/dmesg.txt" ]; then
	# On 6.1 a module's suites print as subtests of a KTAP document whose
	# header only the built-in executor prints (at boot, with no suites):
	# give kunit.py the module's part of the log under a header of its own.
	# 6.12 prints the module's header itself.
	sed -n '/chimney-kunit-start/,$p' "$out/dmesg.txt" | sed '1d; s/^\[[^]]*\] //' >"$out/kunit.body"
	{
		if ! grep -q '^KTAP version' "$out/kunit.body"; then
			echo "KTAP version 1"
			echo "1..$(grep -c '^    # Subtest:' "$out/kunit.body")"
		fi
		cat "$out/kunit.body"
	} >"$out/kunit.ktap"
	(cd "$src" && PYTHONDONTWRITEBYTECODE=1 python3 tools/testing/kunit/kunit.py \
		parse --json="$out/kunit.json" <"$out/kunit.ktap") | tee "$out/kunit.txt"
	python3 "$here/results.py" kunit "$out/kunit.json" >>"$results"
else
	echo "FAIL kunit: the VM produced no kernel log" >>"$results"
fi
if [ $vmrc -eq 0 ] && [ ! -s "$out/splats.txt" ]; then
	echo "PASS kunit: debug kernel log clean, modules load and unload" >>"$results"
else
	echo "FAIL kunit: debug kernel log clean, modules load and unload (VM exit $vmrc, see $out)" >>"$results"
	sed -n '1,8s/^/NOTE kunit: splat: /p' "$out/splats.txt" >>"$results" 2>/dev/null
fi
! grep -q '^FAIL' "$results"
