#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Teardown at scale: a device with CHIMNEY_TEARDOWN_CONNS offloaded
# connections (1000000) and a receive and a send request outstanding on
# CHIMNEY_TEARDOWN_IO of them (10000) goes away, four ways: ip link del,
# deletion of its peer's netns, deletion of its own netns, rmmod. Each
# time every outstanding request completes with REQUEST_ABORTED and the
# host is told (a listener counts them; in a deleted netns no listener can
# be, so the tracepoint counts them), the teardown ends in bounded time,
# and the CPU never stalls: the soft-lockup detector runs at a 2 s
# threshold and RCU's stall detector at 3 s, so that a long walk without a
# reschedule point shows in the kernel log, which the VM runner checks.
# The teardown runs outside RTNL, after the device is gone: until it ends
# (debugfs teardowns back to 0) the rest of the machine can configure its
# network: a dummy device is added and deleted in another
# netns again and again (chimney_rtnl_probe.py), and no add waits for
# RTNL CHIMNEY_TEARDOWN_RTNL_MS (50) or more.

source "$(dirname "$0")/chimney_lib.sh"
chimney_require
chimney_require_ctl
chimney_require_ip_plugin

CONNS=${CHIMNEY_TEARDOWN_CONNS:-1000000}
IO=${CHIMNEY_TEARDOWN_IO:-10000}
RTNL_MS=${CHIMNEY_TEARDOWN_RTNL_MS:-50}
BENCH=$(dirname "$CHIMNEYCTL")/chimney-bench
OUT=/tmp/chimney-teardown.$$
NS=
PROBE_NS=
[ -x "$BENCH" ] || { echo "SKIP: chimney-bench not found beside chimneyctl"; exit $ksft_skip; }

thresh=$(sysctl -n kernel.watchdog_thresh)
stall=$(cat /sys/module/rcupdate/parameters/rcu_cpu_stall_timeout)
cleanup()
{
	sysctl -qw kernel.watchdog_thresh="$thresh"
	echo "$stall" >/sys/module/rcupdate/parameters/rcu_cpu_stall_timeout
	[ -d $TRACING/events/chimney ] && echo 0 >$TRACING/events/chimney/chimney_io/enable
	pkill -f chimney-bench
	ip link del chim0 2>/dev/null
	[ -z "$NS" ] || ip netns del "$NS" 2>/dev/null
	[ -z "$PROBE_NS" ] || ip netns del "$PROBE_NS" 2>/dev/null
	rm -f "$OUT" "$OUT.objects" "$OUT.bad" "$OUT.probe"*
	chimney_unload 2>/dev/null
}
trap cleanup EXIT
sysctl -qw kernel.watchdog_thresh=1
echo 3 >/sys/module/rcupdate/parameters/rcu_cpu_stall_timeout
[ -d $TRACING/events ] || mount -t tracefs nodev $TRACING

# setup [own]: chim0 with its peer in a netns of its own ($NS); with "own",
# chim0 lives in $NS too. Then the connections and their I/O, with
# chimney-bench listening (in chim0's netns) until the teardown.
setup()
{
	local in=()

	chimney_load
	NS=$(netns_create)
	if [ "${1:-}" = own ]; then
		ip -n "$NS" link add chim0 type chimney peer name chim0p
		in=(ip netns exec "$NS")
	else
		ip link add chim0 type chimney peer name chim0p netns "$NS"
	fi
	"${in[@]}" ip link set chim0 up
	id=$("${in[@]}" ethtool -i chim0 | sed -n 's/^bus-info: chimney//p')
	"${in[@]}" "$BENCH" chim0 "/sys/kernel/debug/chimney/$id" conns "$CONNS" \
		single 0 storm 0 hold 1 io "$IO" >"$OUT" 2>&1 &
	bench=$!
	wait_until 1500 grep -q "io posted" "$OUT" ||
		{ diag "chimney-bench: $(cat "$OUT")"; return 1; }
	grep -E 'initiate|slab' "$OUT" | sed 's/^/# /'
}

# listened DESC: chimney-bench saw every I/O request complete, aborted.
listened()
{
	wait "$bench"
	tap_result "$1: the host is told of every outstanding request" $?
	diag "$(grep 'io completions' "$OUT")"
}

# timed DESC CMD...: CMD, and how long it took.
timed()
{
	local desc=$1 t0
	shift
	t0=$(date +%s%N)
	"$@"
	tap_result "$desc with $CONNS connections and $((2 * IO)) I/O requests" $?
	ms=$((($(date +%s%N) - t0) / 1000000))
	echo "# $desc: $ms ms"
}

# probed DESC CMD...: timed DESC CMD..., with the RTNL probe running
# beside it from another netns.
probed()
{
	local desc=$1 probe
	shift
	rm -f "$OUT.probe" "$OUT.probe.ready"
	python3 "$(dirname "$0")/chimney_rtnl_probe.py" "$PROBE_NS" "$OUT.probe" >"$OUT.probe.out" &
	probe=$!
	wait_until 60 test -e "$OUT.probe.ready"
	timed "$@"
	touch "$OUT.probe"
	wait "$probe"
	tap_result "$desc: the RTNL probe ran" $?
	diag "$desc: $(cat "$OUT.probe.out")"
	slowest=$(sed -n 's/.*slowest \([0-9]*\)\..*/\1/p' "$OUT.probe.out")
	check "$desc: no add waited for RTNL $RTNL_MS ms (slowest ${slowest:-none} ms)" \
		[ "${slowest:-$RTNL_MS}" -lt "$RTNL_MS" ]
}

# The teardowns run after the device is gone, beside the rest of the machine.
torn_down()
{
	[ "$(cat /sys/kernel/debug/chimney/teardowns)" = 0 ]
}

gone()
{
	! "$@" ip link show chim0 >/dev/null 2>&1
}

PROBE_NS=$(netns_create)
check "ip link del: set up" setup
# A reader of debugfs objects races the teardown: objects were freed in
# index order, parents before children, and the reader followed freed
# parents (KASAN: use-after-free in chimney_objects_show; with slab
# poisoning, parent handles of 0x6b6b6b6b6b6b6b6b).
objects=/sys/kernel/debug/chimney/$id/objects
( while cat "$objects" >"$OUT.objects" 2>/dev/null; do
	! grep -q 6b6b6b6b6b6b6b6b "$OUT.objects" || { echo poisoned >"$OUT.bad"; break; }
  done ) &
reader=$!
wait_until 60 test -s "$OUT.objects"
probed "ip link del" "ip link del" eval 'ip link del chim0 && wait_until 600 torn_down'
wait "$reader"
check "a reader of debugfs objects during it met no freed parent" test ! -e "$OUT.bad"
listened "ip link del"
ip netns del "$NS"

check "peer's netns deleted: set up" setup
probed "peer's netns deleted" "peer's netns deleted" eval 'ip netns del "$NS" && wait_until 600 gone &&
	wait_until 600 torn_down'
listened "peer's netns deleted"

# In its own netns, nothing may listen (a socket would keep the netns
# alive): the tracepoint of I/O completions counts them instead.
check "own netns deleted: set up" setup own
echo 0 >$TRACING/trace
echo 16384 >$TRACING/buffer_size_kb
echo "status == $(printf %d 0xC001000C)" >$TRACING/events/chimney/chimney_io/filter
echo 1 >$TRACING/events/chimney/chimney_io/enable
kill "$bench"
wait "$bench" 2>/dev/null
dir=/sys/kernel/debug/chimney/$id
# debugfs goes first in a teardown; the completions follow it.
completed()
{
	n=$(grep -cE 'chimney_io: .*(send|receive)-complete' $TRACING/trace)
	[ "$n" -ge $((2 * IO)) ]
}
probed "own netns deleted" "own netns deleted" eval 'ip netns del "$NS" && wait_until 600 test ! -d "$dir" &&
	wait_until 600 completed && wait_until 600 torn_down'
echo 0 >$TRACING/events/chimney/chimney_io/enable
completed
check "own netns deleted: every outstanding request completes aborted ($n of $((2 * IO)))" \
	[ "$n" = $((2 * IO)) ]
NS=

check "rmmod: set up" setup
timed "rmmod" rmmod chimney
listened "rmmod"
ip netns del "$NS"
NS=

tap_done
