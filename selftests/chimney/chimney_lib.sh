#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the chimney kselftests: TAP output, module loading, cleanup.

# Kselftest framework requirement - SKIP code is 4.
ksft_skip=4

CHIMNEY_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tap_num=0
tap_fail=0
tap_t0=${EPOCHREALTIME/./}

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

# tap_result DESC OK: one TAP line; OK is 0 for a pass. It fails as the
# check did: "check ... || diag ..." explains a failure.
tap_result()
{
	local now

	tap_num=$((tap_num + 1))
	# CHIMNEY_TAP_TIMES=1: where a program spends its time, check by check.
	if [ -n "${CHIMNEY_TAP_TIMES:-}" ]; then
		now=${EPOCHREALTIME/./}
		printf '# +%d ms\n' $(((now - tap_t0) / 1000))
		tap_t0=$now
	fi
	if [ "$2" -eq 0 ]; then
		echo "ok $tap_num - $1"
	else
		echo "not ok $tap_num - $1"
		tap_fail=$((tap_fail + 1))
	fi
	[ "$2" -eq 0 ]
}

# check DESC CMD...: CMD must succeed. CMD is one command: a condition of
# several ("[ a ] && [ b ]") runs first, and check_status takes its status.
check()
{
	local desc=$1
	shift
	"$@"
	tap_result "$desc" $?
}

# check_status STATUS DESC: the check of a condition that just ran:
#	[ a ] && [ b ]
#	check_status $? "desc"
# ($? comes first: a $(...) in DESC would change it.)
check_status()
{
	tap_result "$2" "$1"
}

# check_fail DESC CMD...: CMD must fail.
check_fail()
{
	local desc=$1
	shift
	! "$@"
	tap_result "$desc" $?
}

# diag LINE...: more about the check that just failed, as TAP comments
# (scripts/check.sh prints them under the failure).
diag()
{
	printf '# %s\n' "$@"
}

tap_done()
{
	echo "1..$tap_num"
	echo "# $((tap_num - tap_fail)) of $tap_num checks passed"
	# For make check's timings (results.py).
	echo "# time: $SECONDS s"
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

# ---- chimneyctl and its monitor ----

chimney_require_ctl()
{
	# Beside build/ksft/ when run by make check, else in the source tree.
	if [ -z "${CHIMNEYCTL:-}" ]; then
		CHIMNEYCTL=$CHIMNEY_LIB_DIR/../../tools/chimneyctl
		[ -x "$CHIMNEYCTL" ] || CHIMNEYCTL=$CHIMNEY_LIB_DIR/../../build/tools/chimneyctl
	fi
	export CHIMNEYCTL
	if [ ! -x "$CHIMNEYCTL" ]; then
		echo "SKIP: chimneyctl not found at $CHIMNEYCTL"
		exit $ksft_skip
	fi
}

# ip(8) learns "type chimney peer ..." from build/ip/link_chimney.so.
chimney_require_ip_plugin()
{
	if [ -z "${IP_LIB_DIR:-}" ]; then
		IP_LIB_DIR=$CHIMNEY_LIB_DIR/../../ip
		[ -f "$IP_LIB_DIR/link_chimney.so" ] || IP_LIB_DIR=$CHIMNEY_LIB_DIR/../../build/ip
	fi
	export IP_LIB_DIR
	if [ ! -f "$IP_LIB_DIR/link_chimney.so" ]; then
		echo "SKIP: link_chimney.so not found in $IP_LIB_DIR"
		exit $ksft_skip
	fi
}

ctl()
{
	"$CHIMNEYCTL" "$@"
}

# field NAME TEXT: every value that follows the word NAME, space-separated.
field()
{
	local name=$1 prev= w vals=()

	for w in $2; do
		[ "$prev" = "$name" ] && vals+=("$w")
		prev=$w
	done
	echo "${vals[*]}"
}

statuses()
{
	field status "$1"
}

# The number of the device's debugfs directory.
chimney_dev_id()
{
	field id "$(ctl dev show "$1")"
}

obj_count()
{
	local out

	out=$(ctl obj show "$1")
	out=${out##*$'\n'}
	echo "${out%% objects}"
}

# obj_handle DEV TYPE: handles of the objects of TYPE, in handle order.
obj_handle()
{
	local line hs=()

	while read -r line; do
		[[ $line =~ ^handle\ (0x[0-9a-f]+)\ type\ $2 ]] && hs+=("${BASH_REMATCH[1]}")
	done <<<"$(ctl obj show "$1" type "$2")"
	echo "${hs[*]}"
}

# json_ok EXPR TEXT: TEXT is a JSON object a line, and the Python EXPR is
# true of them, the list o; statuses(x) lists every block status in x.
json_ok()
{
	python3 -c 'import json, sys
o = [json.loads(line) for line in sys.argv[2].splitlines() if line.strip()]
def statuses(x):
    if isinstance(x, dict):
        own = [x["status"]] if isinstance(x.get("status"), str) else []
        return own + [s for v in x.values() for s in statuses(v)]
    if isinstance(x, list):
        return [s for v in x for s in statuses(v)]
    return []
sys.exit(0 if o and eval(sys.argv[1]) else 1)' "$1" "$2"
}

MONLOG=/tmp/chimney-monitor.$$
MONMARK=0
TRACING=/sys/kernel/tracing

mon_start()
{
	"$CHIMNEYCTL" monitor >"$MONLOG" 2>&1 &
	MONPID=$!
	wait_until 10 grep -q monitoring "$MONLOG"
}

mon_lines()
{
	mapfile -t MONL <"$MONLOG"
}

# Remember where the log is: mon_since and friends look after it.
mon_mark()
{
	mon_lines
	MONMARK=${#MONL[@]}
}

mon_since()
{
	mon_lines
	printf '%s\n' "${MONL[@]:$MONMARK}"
}

# mon_wait N PATTERN [SECONDS]: until N lines after the mark match PATTERN
# (for 10 s, or SECONDS).
mon_wait()
{
	local end=$((SECONDS + ${3:-10})) n

	while :; do
		n=0
		while read -r line; do
			[[ $line == *$2* ]] && n=$((n + 1))
		done <<<"$(mon_since)"
		[ $n -ge "$1" ] && return 0
		[ $SECONDS -lt $end ] || return 1
		sleep 0.2
	done
}

# The notifications after the mark, one word each:
# TYPE, event:CONN:EVENT[:REASON] or TYPE:IO:STATUS.
mon_sequence()
{
	local line seq=() t

	while read -r line; do
		[[ $line == type\ * ]] || continue
		t=$(field type "$line")
		case "$t" in
		tcp-event)
			t="event:$(field conn "$line"):$(field event "$line")"
			[[ $line == *reason* ]] && t+=":$(field reason "$line")"
			;;
		send-complete|receive-complete)
			t+=":$(field io "$line"):$(field status "$line")"
			;;
		status-indicate)
			t+=":$(field status "$line")"
			;;
		esac
		seq+=("$t")
	done <<<"$(mon_since)"
	echo "${seq[*]}"
}

mon_types()
{
	local line seq=()

	while read -r line; do
		[[ $line == type\ * ]] && seq+=("$(field type "$line")")
	done <<<"$(mon_since)"
	echo "${seq[*]}"
}

# Every notification of the log (or of file $1) has the previous one's
# sequence number + 1.
mon_seq_contiguous()
{
	local line s prev=

	mapfile -t MONL <"${1:-$MONLOG}"
	for line in "${MONL[@]}"; do
		[[ $line == type\ * ]] || continue
		s=$(field seq "$line")
		if [ -n "$prev" ] && [ "$s" != $((prev + 1)) ]; then
			echo "# sequence gap: $prev then $s"
			return 1
		fi
		prev=$s
	done
}
