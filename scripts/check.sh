#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: build everything, run the static checks, the in-tree builds,
# the KUnit suites (debug kernel) and the kselftests (Debian's stock 6.1
# and 6.12 kernels, and the debug kernel). Every step writes result lines to build/check/*.results and its
# log to build/check/*.log. Ends with one line "N passed, N failed" that
# totals all suites, and exits non-zero on any failure or kernel splat.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
export CHIMNEY_BUILD=${CHIMNEY_BUILD:-$top/build}
dir=$CHIMNEY_BUILD/check
cd "$top"
rm -rf "$dir"
mkdir -p "$dir"
start=$SECONDS

# step NAME DESCRIPTION CMD...: one result line for CMD's success.
step()
{
	local name=$1 desc=$2 t0=$SECONDS status
	shift 2
	if "$@" >"$dir/$name.log" 2>&1; then status=PASS; else status=FAIL; fi
	echo "$status $desc" >"$dir/$name.results"
	printf 'check: %s %s (%ds)\n' "$status" "$desc" $((SECONDS - t0))
	[ $status = PASS ] || tail -25 "$dir/$name.log" | sed 's/^/check:   /'
}

# suite NAME DESCRIPTION CMD... RESULTS-FILE-IS-LAST-ARG: CMD writes its own results.
suite()
{
	local name=$1 desc=$2 t0=$SECONDS
	shift 2
	"$@" "$dir/$name.results" >"$dir/$name.log" 2>&1
	[ -s "$dir/$name.results" ] || echo "FAIL $desc: no results" >"$dir/$name.results"
	printf 'check: %s: %d passed, %d failed (%ds)\n' "$desc" \
		"$(grep -c '^PASS' "$dir/$name.results")" \
		"$(grep -c '^FAIL' "$dir/$name.results")" $((SECONDS - t0))
	grep -E '^(FAIL|NOTE|TIME)' "$dir/$name.results" | sed 's/^/check:   /'
}

step build-stock "build: chimney.ko for the stock 6.1 and 6.12 kernels (W=1, -Werror)" make -s module
step tool "build: chimneyctl (-Wall -Wextra -Werror)" make -s tool
step debug-kernel "build: debug kernel (cached)" "$here/debug-kernel.sh"
step build-debug "build: chimney.ko, chimney_test.ko for the debug kernel (W=1, -Werror)" \
	make -s module-debug

source "$here/check-scale.sh"
# Each check's time in the kselftests' logs (build/vm/kselftest-*/output.log).
export CHIMNEY_TAP_TIMES=1

# The kselftests run in three lanes of VMs from here on, beside each other
# and beside the static checks and KUnit: the debug kernel's control plane,
# its data path, and the stock kernels'. The machine has 2 cores: the
# lanes keep both busy to the end.
suite kselftest-debug "kselftest (debug kernel)" env "${debug_env[@]}" "$here/kselftest.sh" debug \
	"${debug_tests[@]}" >"$dir/lane-debug.out" &
lane=$!
suite kselftest-debug-tcp "kselftest data path, allocation failures, teardown (debug kernel)" \
	env "${debug_env[@]}" "$here/kselftest.sh" debug "${debug_dp_tests[@]}" \
	>"$dir/lane-debug-tcp.out" &
lane_tcp=$!
stock_lane()
{
	suite kselftest-stock "kselftest (stock 6.1 kernel)" \
		env "${stock_env[@]}" "$here/kselftest.sh" stock "${stock_tests[@]}"
	suite kselftest-stock-6.12 "kselftest (stock 6.12 kernel)" \
		env "${stock_env[@]}" "$here/kselftest.sh" stock-6.12 "${stock_tests[@]}"
	for k in stock stock-6.12; do
		CHIMNEY_VM_APPEND="slub_debug=P" suite kselftest-poison-$k \
			"kselftest security, slab poisoning ($k kernel)" \
			env "${stock_env[@]}" "$here/kselftest.sh" $k "${poison_tests[@]}"
	done
}
stock_lane >"$dir/lane-stock.out" &
lane_stock=$!

step checkpatch "checkpatch --strict (6.12's)" "$here/static-checks.sh" checkpatch
CHIMNEY_DEBUG_SERIES=6.1 step checkpatch-6.1 "checkpatch --strict (6.1's)" \
	"$here/static-checks.sh" checkpatch
step sparse-stock "sparse (C=2) against the stock 6.1 kernel" \
	"$here/static-checks.sh" sparse "/lib/modules/$("$here/kver.sh" 6.1)/build"
step sparse-stock-6.12 "sparse (C=2) against the stock 6.12 kernel" \
	"$here/static-checks.sh" sparse "/lib/modules/$("$here/kver.sh" 6.12)/build"
step sparse-debug "sparse (C=2) against the debug kernel" \
	"$here/static-checks.sh" sparse "$("$here/debug-kernel.sh")"
step intree "in-tree build in the debug kernel's tree (drivers/net/chimney, olddefconfig)" \
	"$here/intree-build.sh"
# The 6.1 tree too (its debug kernel need not be built).
CHIMNEY_DEBUG_SERIES=6.1 step intree-6.1 "in-tree build in linux-source-6.1's tree" \
	"$here/intree-build.sh"
suite vm "vm runner self-test (stock kernel)" "$here/vm-selftest.sh"
suite kunit "kunit (debug kernel)" "$here/kunit.sh"
wait $lane $lane_tcp $lane_stock
cat "$dir/lane-stock.out" "$dir/lane-debug.out" "$dir/lane-debug-tcp.out"

echo "check: logs in $dir, $((SECONDS - start))s in all"
python3 "$here/results.py" total "$dir"/*.results
