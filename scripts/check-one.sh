#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
#   make check T=TEST [K="KERNEL..."]
#   scripts/check-one.sh TEST
#
# One test of make check, alone, in a minute or two:
# - TEST=chimney_tcp.sh (a file of selftests/chimney): that kselftest on
#   each kernel make check runs it on (stock, stock-6.12, debug; security
#   on the stock kernels with slab poisoning; coverage-guided fuzzing and
#   allocation failures on the debug kernel only), or only on those of
#   them K names;
# - TEST=chimney_dev (a KUnit suite, or a glob such as chimney_dev.*setup*):
#   those KUnit cases in the debug kernel (kunit.filter_glob, which a 6.1
#   kernel ignores for modules: it runs every suite).
# Ends like make check, with "N passed, N failed", and fails on any failure
# or kernel splat. Logs: build/check-one/.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
export CHIMNEY_BUILD=${CHIMNEY_BUILD:-$top/build}
dir=$CHIMNEY_BUILD/check-one
test=$1
cd "$top"
source "$here/check-scale.sh"
rm -rf "$dir"
mkdir -p "$dir"

case "$test" in
*.sh)
	[ -f "selftests/chimney/$test" ] || {
		echo "check: no selftests/chimney/$test" >&2; exit 2; }
	where=
	[[ " ${stock_tests[*]} ${poison_tests[*]} " != *" $test "* ]] || where="stock stock-6.12"
	[[ " ${debug_tests[*]} ${debug_dp_tests[*]} " != *" $test "* ]] || where+=" debug"
	where=${where# }
	[ -n "$where" ] || { echo "check: make check does not run $test" >&2; exit 2; }
	kernels=
	for k in ${K:-$where}; do
		case " $where " in
		*" $k "*) kernels+=" $k" ;;
		*) echo "check: make check runs $test on $where, not $k" >&2; exit 2 ;;
		esac
	done
	make -s module tool || exit 1
	case " $kernels " in *" debug "*) make -s module-debug || exit 1 ;; esac
	for k in $kernels; do
		t0=$SECONDS
		# As make check runs it there.
		if [ "$k" = debug ]; then env=("${debug_env[@]}"); else env=("${stock_env[@]}"); fi
		[ "$k" = debug ] || [[ " ${poison_tests[*]} " != *" $test "* ]] ||
			env+=(CHIMNEY_VM_APPEND=slub_debug=P)
		env "${env[@]}" "$here/kselftest.sh" "$k" "$test" "$dir/$k.results" \
			>"$dir/$k.log" 2>&1
		[ -s "$dir/$k.results" ] || echo "FAIL $test on $k: no results" >"$dir/$k.results"
		printf 'check: %s on %s: %d passed, %d failed (%ds)\n' "$test" "$k" \
			"$(grep -c '^PASS' "$dir/$k.results")" \
			"$(grep -c '^FAIL' "$dir/$k.results")" $((SECONDS - t0))
		grep -E '^(FAIL|NOTE|TIME)' "$dir/$k.results" | sed 's/^/check:   /'
	done
	;;
*)
	make -s module-debug || exit 1
	t0=$SECONDS
	CHIMNEY_VM_APPEND="kunit.filter_glob=$test" "$here/kunit.sh" "$dir/kunit.results" \
		>"$dir/kunit.log" 2>&1
	[ -s "$dir/kunit.results" ] || echo "FAIL kunit: no results" >"$dir/kunit.results"
	# Only the log line: the glob matched no case.
	grep -qE '^(PASS|FAIL|SKIP) kunit: chimney' "$dir/kunit.results" ||
		echo "FAIL kunit: no KUnit case matches $test" >>"$dir/kunit.results"
	printf 'check: kunit %s: %d passed, %d failed (%ds)\n' "$test" \
		"$(grep -c '^PASS' "$dir/kunit.results")" \
		"$(grep -c '^FAIL' "$dir/kunit.results")" $((SECONDS - t0))
	grep -E '^(FAIL|NOTE)' "$dir/kunit.results" | sed 's/^/check:   /'
	;;
esac
python3 "$here/results.py" total "$dir"/*.results
