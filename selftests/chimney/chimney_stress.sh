#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Concurrency stress (chimney_stress.py): five processes initiate, update,
# query, invalidate, terminate, send, receive, disconnect and dump on the
# same objects of one device for CHIMNEY_STRESS_SECONDS (20) while iperf3
# runs through the wire, four times: to the end (then everything left is
# terminated and the counts return to zero), and with ip link del, the
# deletion of the peer's netns, or rmmod in the middle of it. Every request
# the device accepted gets exactly one completion, none is lost; the
# runner's kernel log and kmemleak checks, and the module's unload, catch
# the rest.

source "$(dirname "$0")/chimney_lib.sh"
chimney_require
chimney_require_ip_plugin

SECS=${CHIMNEY_STRESS_SECONDS:-20}
OUT=/tmp/chimney-stress.$$
NS=
command -v iperf3 >/dev/null || { echo "SKIP: iperf3 not found"; exit $ksft_skip; }
cleanup()
{
	pkill -f 'iperf3 -c' 2>/dev/null
	pkill -f 'iperf3 -s' 2>/dev/null
	ip link del chim0 2>/dev/null
	[ -z "$NS" ] || ip netns del "$NS" 2>/dev/null
	NS=
	rm -f "$OUT" "$OUT.pid"
}
trap 'cleanup; chimney_unload 2>/dev/null' EXIT

# round DESC [END-COMMAND [pause-dumps]]: one run with traffic, its results
# as TAP lines; @NS@ in END-COMMAND is the peer's netns.
round()
{
	local desc=$1 end=${2:-} mac ifindex id latency line

	chimney_load
	NS=$(netns_create)
	ip link add chim0 type chimney peer name chim0p netns "$NS"
	ip addr add 10.66.0.1/24 dev chim0
	ip link set chim0 up
	ip -n "$NS" addr add 10.66.0.2/24 dev chim0p
	ip -n "$NS" link set chim0p up
	ip netns exec "$NS" iperf3 -s -D -B 10.66.0.2 -I "$OUT.pid" >/dev/null
	wait_until 10 eval 'ip netns exec "$NS" ss -ltn | grep -q 10.66.0.2:5201'
	iperf3 -c 10.66.0.2 -t $((${SECS%.*} + 10)) >/dev/null 2>&1 &
	mac=$(ip -n "$NS" -j link show chim0p | python3 -c \
		'import json, sys; print(json.load(sys.stdin)[0]["address"])')
	ifindex=$(cat /sys/class/net/chim0/ifindex)
	# The virtual hardware takes 20 ms a request; 3 s when the device goes
	# away mid-way, longer than the core's unregistering takes before the
	# device's teardown (a request sent until then finds no device), so
	# that requests are still queued then, and each must be completed.
	id=$(ethtool -i chim0 | sed -n 's/^bus-info: chimney//p')
	latency=20
	[ -z "$end" ] || latency=3000
	echo $latency >"/sys/kernel/debug/chimney/$id/latency_ms"
	end=${end//@NS@/$NS}
	python3 "$CHIMNEY_LIB_DIR/chimney_stress.py" "$ifindex" "$mac" 10.66.0.1 10.66.0.2 \
		"$SECS" ${end:+"$end"} ${3:-} >"$OUT" 2>&1
	tap_result "$desc: the stress ran to its end" $?
	while read -r line; do
		case $line in
		PASS\ *) tap_result "$desc: ${line#PASS }" 0 ;;
		FAIL\ *) tap_result "$desc: ${line#FAIL }" 1 ;;
		*) echo "# $line" ;;
		esac
	done <"$OUT"
	cleanup
}

round "to the end"
round "ip link del" "ip link del chim0"
# The iperf3 server would keep the netns alive.
round "peer's netns deleted" "kill \$(cat $OUT.pid); ip netns del @NS@"
# A dump in progress holds the module (netlink_dump_start): no new dump
# starts from then on, and rmmod tries again until those running end.
round "rmmod" "for i in \$(seq 200); do rmmod chimney 2>/dev/null && exit; sleep 0.1; done; false" \
	pause-dumps
check "the module unloads" chimney_unload

tap_done
