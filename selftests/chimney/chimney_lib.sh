#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the chimney kselftests: TAP output, module loading, cleanup.

# Kselftest framework requirement - SKIP code is 4.
ksft_skip=4

CHIMNEY_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tap_num=0
tap_fail=0

# The module to load: $CHIMNEY_KO, else the build of the running kernel.
chimney_ko()
{
	if [ -n "${CHIMNEY_KO:-}" ]; then
		echo "$CHIMNEY_KO"
	else
		echo "$CHIMNEY_LIB_DIR/../../build/${CHIMNEY_VM_KERNEL:-stock}/chimney/chimney.ko"
	fi
}

chimney_require()
{
	if [ "$(id -u)" -ne 0 ]; then
		echo "SKIP: need root"
		exit $ksft_skip
	fi
	for cmd in ip python3 ethtool; do
		if ! command -v $cmd >/dev/null; then
			echo "SKIP: $cmd not found"
			exit $ksft_skip
		fi
	done
	if ! lsmod | grep -q '^chimney ' && [ ! -f "$(chimney_ko)" ]; then
		echo "SKIP: chimney.ko not found at $(chimney_ko)"
		exit $ksft_skip
	fi
}

chimney_load()
{
	lsmod | grep -q '^chimney ' || insmod "$(chimney_ko)"
}

chimney_unload()
{
	! lsmod | grep -q '^chimney ' || rmmod chimney
}

# tap_result DESC OK: one TAP line; OK is 0 for a pass.
tap_result()
{
	tap_num=$((tap_num + 1))
	if [ "$2" -eq 0 ]; then
		echo "ok $tap_num - $1"
	else
		echo "not ok $tap_num - $1"
		tap_fail=$((tap_fail + 1))
	fi
}

# check DESC CMD...: CMD must succeed.
check()
{
	local desc=$1
	shift
	"$@"
	tap_result "$desc" $?
}

# check_fail DESC CMD...: CMD must fail.
check_fail()
{
	local desc=$1
	shift
	! "$@"
	tap_result "$desc" $?
}

tap_done()
{
	echo "1..$tap_num"
	echo "# $((tap_num - tap_fail)) of $tap_num checks passed"
	[ $tap_fail -eq 0 ]
}

# wait_until TIMEOUT_S CMD...: poll until CMD succeeds.
wait_until()
{
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.1
	done
}

netns_create()
{
	local ns
	ns=chimney-$RANDOM-$$
	ip netns add "$ns" || return 1
	ip -n "$ns" link set lo up
	echo "$ns"
}
