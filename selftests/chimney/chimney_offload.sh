#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The offload control plane through chimneyctl: initiate, query, update,
# invalidate and terminate with their per-block statuses, the events they
# cause and their order (the corrupt-hardware sequence of section 3.12),
# outstanding I/O, rejected input, privileges and network namespaces.

source "$(dirname "$0")/chimney_lib.sh"
chimney_require
chimney_require_ctl

NS=
MONPID=
cleanup()
{
	[ -z "$MONPID" ] || kill "$MONPID" 2>/dev/null
	[ -z "$NS" ] || ip netns del "$NS" 2>/dev/null
	ip link del chim0 2>/dev/null
	ip link del 'chim"0' 2>/dev/null
	chimney_unload 2>/dev/null
}
trap cleanup EXIT

chimney_unload
chimney_load
ip link add chim0 type chimney
ip link set chim0 up
DBG=/sys/kernel/debug/chimney/$(chimney_dev_id chim0)

mon_start

NEIGH="neigh new host 0x10 dst 02:00:00:00:00:02"
PATH4="path new host 0x20 src 10.0.0.1 dst 10.0.0.2 mtu 1500"
tcp_new() # HOST LPORT [KEY VALUE]...
{
	local host=$1 lport=$2
	shift 2
	echo "tcp new host $host lport $lport rport 80 mss 1460 state established" \
	     "rcvnxt 1000 snduna 5000 sndnxt 5000 sndmax 5000 $*"
}

# --- initiate ---------------------------------------------------------------

out=$(ctl -w initiate chim0 req 1 $NEIGH $PATH4 $(tcp_new 0x30 1000) $(tcp_new 0x31 1001))
check_status $? "initiate of neighbor, path and two connections completes"
check "every block SUCCESS (R2, R6)" [ "$(statuses "$out")" = "SUCCESS SUCCESS SUCCESS SUCCESS" ]
check "completion carries the host handles (R8)" \
	[ "$(field host "$out")" = "0x10 0x20 0x30 0x31" ]
check "four objects offloaded" [ "$(obj_count chim0)" = 4 ]
N=$(obj_handle chim0 neigh)
P=$(obj_handle chim0 path4)
read -r T1 T2 <<<"$(obj_handle chim0 tcp)"
[ -n "$N" ] && [ -n "$P" ] && [ -n "$T2" ]
check_status $? "target handles assigned to all objects (R7)"

# --- JSON output (-j) --------------------------------------------------------

check "-j dev show: one object, with the capabilities and the parameters" \
	json_ok '(len(o) == 1 and o[0]["dev"] == "chim0" and o[0]["support_ipv4"] == 1 and
		  o[0]["ticks"] == 1000 and o[0]["nce_stale_ticks"] == 30000 and "capacity" in o[0])' \
	"$(ctl -j dev show chim0)"
check "-j obj show: an object a line" json_ok 'len(o) == 4' "$(ctl -j obj show chim0)"
check "-j query: the completion, every block SUCCESS" \
	json_ok 'o[0]["type"] == "query-complete" and statuses(o) == ["SUCCESS"] * 3' \
	"$(ctl -j -w query chim0 req 1001 neigh placeholder path placeholder tcp ref "$T1")"
err=$(ctl -j update chim0 req 1002 neigh placeholder path placeholder tcp ref "$T1" lport 9 \
      2>&1 >/dev/null)
check "-j error: a JSON object with the errno and the extack message" \
	json_ok 'o[0]["error"] == 22 and "cached state only" in o[0]["message"]' "$err"
ip link add 'chim"0' type chimney
check "-j escapes a quote in a device's name" \
	json_ok 'o[0]["dev"] == "chim\"0"' "$(ctl -j dev show 'chim"0')"
ip link del 'chim"0'
err=$(ctl dev set chim0 ticks 100 2>&1)
check "TicksPerSecond cannot change under offloaded connections: EBUSY, with extack" \
	grep -q 'cannot change while connections are offloaded' <<<"$err"
check "and it is still 1000" json_ok 'o[0]["ticks"] == 1000' "$(ctl -j dev show chim0)"

stats=$(ethtool -S chim0)
grep -q 'connections: 2' <<<"$stats" && grep -q 'initiates: 1' <<<"$stats" &&
	grep -q 'tcp4_currently_established: 2' <<<"$stats" &&
	grep -q 'tcp6_currently_established: 0' <<<"$stats" && grep -q 'ip6_out_no_routes: 0' <<<"$stats"
check_status $? "ethtool -S: objects, operations and CurrentlyEstablished"
out=$(ctl dev stats chim0)
[ "$(field set "$out")" = "tcp4 ip4 tcp6 ip6" ] &&
	[ "$(field currently_established "$out")" = "2 0" ]
check_status $? "TCP and IP offload counters per IP version by netlink (2.10)"
ctl dev set chim0 clear tcp4 clear ip6 && [ "$(field currently_established "$(ctl dev stats chim0)")" = "2 0" ]
check_status $? "clearing one counter set is accepted; a gauge is not cleared (R96)"

# Linkers: a path referenced with one good and one bad dependent (R5, R17).
out=$(ctl -w initiate chim0 req 2 neigh placeholder path ref "$P" \
	$(tcp_new 0x32 1002) $(tcp_new 0x33 1003 rcvwnd_initial 2000000000))
check "placeholder SUCCESS, linker PARTIAL, too large window TCP_RCV_WINDOW (R4 R5 R17)" \
	[ "$(statuses "$out")" = "SUCCESS OFFLOAD_PARTIAL_SUCCESS SUCCESS OFFLOAD_TCP_RCV_WINDOW" ]
out=$(ctl -w initiate chim0 req 3 neigh placeholder path ref "$P" \
	$(tcp_new 0x34 1004 rcvwnd_initial 2000000000))
check "linker whose dependents all failed: FAILURE (R5)" \
	[ "$(statuses "$out")" = "SUCCESS FAILURE OFFLOAD_TCP_RCV_WINDOW" ]

# A failed block fails its dependents (R9); a linker whose dependents all
# failed fails too (R5).
out=$(ctl -w initiate chim0 req 4 neigh ref "$N" \
	path new host 0x21 src 10.0.0.1 dst 10.0.0.3 mtu 9300 $(tcp_new 0x35 1005))
check "path MTU too large: OFFLOAD_PATH_MTU, its TCP not attempted (R17 R9)" \
	[ "$(statuses "$out")" = "FAILURE OFFLOAD_PATH_MTU FAILURE" ]
out=$(ctl -w initiate chim0 req 4 $NEIGH $PATH4 $(tcp_new 0x38 1008 rcvwnd_initial 2000000000))
check "new offload with a failed dependent: OFFLOAD_PARTIAL_SUCCESS (R6)" \
	[ "$(statuses "$out")" = "SUCCESS OFFLOAD_PARTIAL_SUCCESS OFFLOAD_TCP_RCV_WINDOW" ]
out=$(ctl -w terminate chim0 req 4 neigh ref "$(obj_handle chim0 neigh | cut -d' ' -f2)" \
	path ref "$(obj_handle chim0 path4 | cut -d' ' -f2)")
check "terminate of that neighbor and path" [ "$(statuses "$out")" = "SUCCESS SUCCESS" ]
out=$(ctl -w initiate chim0 req 5 neigh new host 0x11 dst 02:00:00:00:00:03 src 02:00:00:00:00:09)
check "neighbor with DlSourceAddress: OFFLOAD_HW_ADDRESS_ENTRIES (R15)" \
	[ "$(statuses "$out")" = "OFFLOAD_HW_ADDRESS_ENTRIES" ]

ctl dev set chim0 capacity 3
out=$(ctl -w initiate chim0 req 6 neigh placeholder path ref "$P" $(tcp_new 0x36 1006))
check "capacity reached: OFFLOAD_TCP_ENTRIES (R18)" \
	[ "$(statuses "$out")" = "SUCCESS FAILURE OFFLOAD_TCP_ENTRIES" ]
ctl dev set chim0 capacity 1000
echo 1 >"$DBG/fail_next_offload"
out=$(ctl -w initiate chim0 req 7 neigh placeholder path ref "$P" $(tcp_new 0x37 1007))
check "injected allocation failure: RESOURCES" \
	[ "$(statuses "$out")" = "SUCCESS FAILURE RESOURCES" ]
check "objects: the four, and the one of req 2" [ "$(obj_count chim0)" = 5 ]
T3=$(obj_handle chim0 tcp | awk '{ print $3 }')

# --- query and update --------------------------------------------------------

out=$(ctl -w query chim0 req 8 neigh placeholder path placeholder tcp ref "$T1")
[ "$(statuses "$out")" = "SUCCESS SUCCESS SUCCESS" ] && [ "$(field rcv_nxt "$out")" = 1000 ]
check_status $? "query SUCCESS with the delegated state (R22)"
cwnd=$(field cwnd "$out") wnd=$(field snd_wnd "$out")
[ "$wnd" -lt "$cwnd" ] && cwnd=$wnd
[ "$(field send_backlog_size "$out")" = $((cwnd / 1460 > 0 ? 2 * (cwnd / 1460) * 1460 : 2920)) ] &&
	[ "$(field receive_backlog_size "$out")" = 4294967295 ]
check_status $? "query: SendBacklogSize 2 x min(cwnd, SndWnd), at least 2 MSS; receive backlog 0xFFFFFFFF (R23 R88)"
out=$(ctl -w update chim0 req 9 neigh placeholder path placeholder tcp ref "$T1" ttl 33)
check "update of cached state SUCCESS (R27)" [ "$(statuses "$out")" = "SUCCESS SUCCESS SUCCESS" ]
out=$(ctl obj show chim0 handle "$T1")
check "updated TTL visible by get" [ "$(field ttl_or_hop_limit "$out")" = 33 ]
err=$(ctl update chim0 req 10 neigh placeholder path placeholder tcp ref "$T1" lport 9 2>&1)
check "update with constant state rejected with extack (R25)" \
	grep -q 'cached state only' <<<"$err"
out=$(ctl -w update chim0 req 19 neigh placeholder path placeholder tcp ref "$T1" \
	ttl 44 rcvwnd_initial 2000000000)
[ "$(statuses "$out")" = "SUCCESS SUCCESS FAILURE" ] &&
	[ "$(field ttl_or_hop_limit "$(ctl obj show chim0 handle "$T1")")" = 33 ]
check_status $? "update with a receive window too large: FAILURE, nothing applied (R27)"
echo 1 >"$DBG/fail_next_update"
out=$(ctl -w update chim0 req 29 neigh placeholder path placeholder tcp ref "$T1" ttl 55)
[ "$(statuses "$out")" = "SUCCESS SUCCESS FAILURE" ] &&
	[ "$(field ttl_or_hop_limit "$(ctl obj show chim0 handle "$T1")")" = 33 ] &&
	[ "$(cat "$DBG/fail_next_update")" = 0 ]
check_status $? "debugfs fail_next_update 1: that update fails, nothing applied, once (R27)"
out=$(ctl -w query chim0 req 39 neigh placeholder path placeholder tcp ref "$T1")
check "the connection goes on after the failed update (R27)" \
	[ "$(statuses "$out")" = "SUCCESS SUCCESS SUCCESS" ]

# Requests that overlap while the virtual hardware is slow.
mon_req() # REQ: the notification of request REQ after the mark, blocks and all
{
	mon_since | awk -v r="$1" '/^type / { on = ($0 ~ " req " r "$") } on'
}
# 10 s: on the debug kernel, beside three other VMs, the four requests
# took more than 3 s to send.
echo 10000 >"$DBG/latency_ms"
mon_mark
ctl query chim0 req 40 neigh placeholder path placeholder tcp ref "$T1" &&
	ctl query chim0 req 41 neigh placeholder path placeholder tcp ref "$T1" &&
	ctl initiate chim0 req 42 neigh placeholder path ref "$P" $(tcp_new 0x3a 1010) &&
	ctl initiate chim0 req 43 neigh placeholder path ref "$P" $(tcp_new 0x3b 1011)
[ $? -eq 0 ] && [ -z "$(mon_since)" ]
check_status $? "two queries of one connection and two initiates, all accepted before any completes" ||
	diag "$(mon_since)"
mon_wait 4 '-complete' 30
echo 0 >"$DBG/latency_ms"
q40=$(mon_req 40) q41=$(mon_req 41)
[ "$(statuses "$q40")" = "SUCCESS SUCCESS SUCCESS" ] &&
	[ "$(statuses "$q41")" = "SUCCESS SUCCESS SUCCESS" ] &&
	[ "$(field rcv_nxt "$q40") $(field snd_una "$q40")" = "1000 5000" ] &&
	[ "$(field rcv_nxt "$q41") $(field snd_una "$q41")" = "1000 5000" ]
check_status $? "the two overlapping queries both complete, with the same state (R24)"
i42=$(mon_req 42) i43=$(mon_req 43)
[ "$(statuses "$i42")" = "SUCCESS SUCCESS SUCCESS" ] &&
	[ "$(statuses "$i43")" = "SUCCESS SUCCESS SUCCESS" ] &&
	[ "$(field host "$i42") $(field host "$i43")" = "0x20 0x3a 0x20 0x3b" ] &&
	[ "$(mon_since | grep -c '^type .*-complete')" = 4 ] && [ "$(obj_count chim0)" = 7 ]
check_status $? "a second initiate while one is pending: each completes on its own (R14)" ||
	diag "$i42" "$i43" "$(obj_count chim0) objects"
out=$(ctl -w terminate chim0 req 44 neigh placeholder path placeholder \
	tcp ref "$(field handle "$i42" | awk '{ print $NF }')" \
	tcp ref "$(field handle "$i43" | awk '{ print $NF }')")
[ "$(statuses "$out")" = "SUCCESS SUCCESS SUCCESS SUCCESS" ] && [ "$(obj_count chim0)" = 5 ]
check_status $? "and both go with one terminate"

mon_mark
err=$(ctl invalidate chim0 req 45 neigh placeholder path placeholder tcp ref "$T1" ttl 50 2>&1)
check "an invalidate that carries state is rejected with extack (R32)" \
	grep -q 'carries no host handle and no state' <<<"$err"
out=$(ctl -w query chim0 req 46 neigh placeholder path placeholder tcp ref "$T1")
[ "$(statuses "$out")" = "SUCCESS SUCCESS SUCCESS" ] &&
	[ "$(mon_types)" = query-complete ]
check_status $? "and it changed nothing: no invalidate, no Retrieve, the connection answers"

# Neighbors and the interface's VLANs (R16): those of its VLAN devices.
modprobe 8021q 2>/dev/null
neigh_vlan() # REQ HOST VLAN: the status of a new neighbor of that VLAN
{
	local out

	out=$(ctl -w initiate chim0 req "$1" neigh new host "$2" dst 02:00:00:00:00:07 vlan "$3")
	statuses "$out"
}
check "without VLAN devices, a neighbor of VLAN 7: SUCCESS" [ "$(neigh_vlan 47 0x70 7)" = SUCCESS ]
check "a VLAN device on chim0: chim0.5" \
	ip link add link chim0 name chim0.5 type vlan id 5
check "with chim0.5, a neighbor of VLAN 7: OFFLOAD_VLAN_MISMATCH (R16)" \
	[ "$(neigh_vlan 48 0x71 7)" = OFFLOAD_VLAN_MISMATCH ]
check "with chim0.5, neighbors of VLAN 5 and VLAN 0: SUCCESS (R16)" \
	[ "$(neigh_vlan 49 0x72 5) $(neigh_vlan 50 0x73 0)" = "SUCCESS SUCCESS" ]
check "chim0.5 deleted" ip link del chim0.5
check "chim0.5 gone, VLAN 7 is good again" [ "$(neigh_vlan 51 0x74 7)" = SUCCESS ]
out=$(ctl -w terminate chim0 req 52 $(for h in $(obj_handle chim0 neigh); do
	[ "$h" = "$N" ] || echo "neigh ref $h"; done))
[ "$(statuses "$out")" = "SUCCESS SUCCESS SUCCESS SUCCESS" ] &&
	[ "$(obj_count chim0)" = 5 ]
check_status $? "those neighbors go"

# --- healthy invalidate and terminate ---------------------------------------

ctl send chim0 handle "$T1" id 11 len 100
ctl recv chim0 handle "$T1" id 12 len 4096
mon_mark
out=$(ctl -w invalidate chim0 req 13 neigh ref "$N")
check "invalidate on healthy hardware: SUCCESS (R36)" [ "$(statuses "$out")" = SUCCESS ]
mon_wait 3 'TcpIndicateRetrieve'
check "Retrieve(InvalidState) for each dependent connection (R34)" \
	[ "$(mon_since | grep -c 'reason InvalidState')" = 3 ]
check "invalidated objects keep their resources (R35)" [ "$(obj_count chim0)" = 5 ]
mon_mark
ctl send chim0 handle "$T2" id 14 len 10
mon_wait 1 'send-complete'
check "send after Retrieve completes at once with UPLOAD_IN_PROGRESS (R60)" \
	grep -q 'io 14 status UPLOAD_IN_PROGRESS' <<<"$(mon_since)"
mon_mark
out=$(ctl -w terminate chim0 req 15 neigh placeholder path placeholder tcp ref "$T1" tcp ref "$T2")
[ "$(statuses "$out")" = "SUCCESS SUCCESS SUCCESS SUCCESS" ] &&
	[ "$(field snd_una "$out")" = "5000 5000" ] && ! grep -q local_port <<<"$out"
check_status $? "terminate SUCCESS with delegated state only (R40 R41)"
check "outstanding I/O completed before the terminate completion (R42)" \
	[ "$(mon_types)" = "send-complete receive-complete terminate-complete" ]
check "terminated connections are gone" [ "$(obj_count chim0)" = 3 ]
err=$(ctl query chim0 req 16 neigh placeholder path placeholder tcp ref "$T1" 2>&1)
check "a terminated (stale) handle is rejected with extack" \
	grep -q 'Unknown, stale or foreign handle' <<<"$err"
out=$(ctl -w terminate chim0 req 18 neigh placeholder path placeholder tcp ref "$T3" tcp ref "$T3")
[ "$(statuses "$out" | tr ' ' '\n' | grep -c FAILURE)" = 1 ] && [ "$(obj_count chim0)" = 2 ]
check_status $? "a terminate naming one connection twice takes it out once ($(statuses "$out"))"
out=$(ctl -w terminate chim0 req 17 neigh ref "$N" path ref "$P")
[ "$(statuses "$out")" = "SUCCESS SUCCESS" ] && [ "$(obj_count chim0)" = 0 ]
check_status $? "terminate of the rest of the subtree, dependents first"

# --- the corrupt-hardware sequence (section 3.12, the seed page) -------------

ctl -w initiate chim0 req 20 $NEIGH $PATH4 $(tcp_new 0x40 2000) $(tcp_new 0x41 2001) >/dev/null
N=$(obj_handle chim0 neigh)
P=$(obj_handle chim0 path4)
read -r T1 T2 <<<"$(obj_handle chim0 tcp)"
ctl send chim0 handle "$T1" id 21 len 100
ctl recv chim0 handle "$T1" id 22 len 4096
ctl send chim0 handle "$T2" id 23 len 100
echo Y >"$DBG/corrupt"
mon_mark
out=$(ctl -w invalidate chim0 req 24 neigh ref "$N")
check "invalidate on corrupt hardware: FAILURE (R36)" [ "$(statuses "$out")" = FAILURE ]
mon_wait 4 'TcpIndicate'
echo N >"$DBG/corrupt"
out=$(ctl -w terminate chim0 req 25 neigh ref "$N" path ref "$P" tcp ref "$T1" tcp ref "$T2")
check "the host's terminate then succeeds (decision 9)" \
	[ "$(statuses "$out")" = "SUCCESS SUCCESS SUCCESS SUCCESS" ]
expect="invalidate-complete"
expect+=" event:$T1:TcpIndicateRetrieve:HardwareFailure event:$T2:TcpIndicateRetrieve:HardwareFailure"
expect+=" event:$T1:TcpIndicateAbort event:$T2:TcpIndicateAbort"
expect+=" send-complete:21:REQUEST_ABORTED receive-complete:22:REQUEST_ABORTED"
expect+=" send-complete:23:REQUEST_ABORTED terminate-complete"
got=$(mon_sequence)
check "seed sequence in order: FAILURE, Retrieve(HardwareFailure), Abort, aborted I/O, terminate (R37)" \
	[ "$got" = "$expect" ]
[ "$got" = "$expect" ] || printf '# expected: %s\n# got:      %s\n' "$expect" "$got"
check "notification sequence numbers have no gap" mon_seq_contiguous

ctl -w initiate chim0 req 30 $NEIGH $PATH4 $(tcp_new 0x50 3000) >/dev/null
N=$(obj_handle chim0 neigh)
P=$(obj_handle chim0 path4)
T1=$(obj_handle chim0 tcp)
ctl send chim0 handle "$T1" id 31 len 100
echo "$T1" >"$DBG/corrupt_handle"
mon_mark
out=$(ctl -w query chim0 req 32 neigh placeholder path placeholder tcp ref "$T1")
check "query of a corrupt connection: FAILURE (R38)" \
	[ "$(statuses "$out")" = "SUCCESS SUCCESS FAILURE" ]
mon_wait 2 'TcpIndicate'
out=$(ctl -w terminate chim0 req 33 neigh placeholder path placeholder tcp ref "$T1")
check "query failure sequence: Retrieve(HardwareFailure), Abort, aborted I/O, terminate (R38)" \
	[ "$(mon_sequence)" = "query-complete event:$T1:TcpIndicateRetrieve:HardwareFailure event:$T1:TcpIndicateAbort send-complete:31:REQUEST_ABORTED terminate-complete" ]

ctl -w initiate chim0 req 40 neigh ref "$N" path ref "$P" $(tcp_new 0x60 4000) >/dev/null
T1=$(obj_handle chim0 tcp)
ctl recv chim0 handle "$T1" id 41 len 100
echo Y >"$DBG/corrupt"
mon_mark
out=$(ctl -w terminate chim0 req 42 neigh placeholder path placeholder tcp ref "$T1")
[ "$(statuses "$out")" = "SUCCESS SUCCESS FAILURE" ] && [ -n "$(obj_handle chim0 tcp)" ]
check_status $? "terminate on corrupt hardware: FAILURE, object kept (R39)"
mon_wait 2 'TcpIndicate'
out=$(ctl -w terminate chim0 req 43 neigh placeholder path placeholder tcp ref "$T1")
check "terminate failure sequence, then the second terminate succeeds (R39)" \
	[ "$(mon_sequence)" = "terminate-complete event:$T1:TcpIndicateRetrieve:HardwareFailure event:$T1:TcpIndicateAbort receive-complete:41:REQUEST_ABORTED terminate-complete" ]
echo N >"$DBG/corrupt"

# --- tracepoints: one connection followed through its life ----------------

if [ -d "$TRACING/events/chimney" ]; then
	echo >"$TRACING/trace"
	echo 1 >"$TRACING/events/chimney/enable"
	ctl -w initiate chim0 req 45 neigh ref "$N" path ref "$P" $(tcp_new 0x65 4500) >/dev/null
	T1=$(obj_handle chim0 tcp)
	ctl send chim0 handle "$T1" id 46 len 10
	ctl -w terminate chim0 req 47 neigh placeholder path placeholder tcp ref "$T1" >/dev/null
	echo 0 >"$TRACING/events/chimney/enable"
	got=()
	while read -r line; do
		case "$line" in
		*"chimney_request: "*"req=45 "*) got+=(request) ;;
		*"chimney_block: "*"req=45 "*"handle=$T1 "*) got+=(block) ;;
		*"chimney_obj: tcp handle=$T1 "*) w=${line#*host=0x65 }; got+=("${w%% *}") ;;
		*"chimney_io: "*"send handle=$T1 "*"io=46 "*) got+=(send) ;;
		*"chimney_io: "*"send-complete handle=$T1 "*"io=46 "*) got+=(send-complete) ;;
		*"chimney_complete: "*"terminate req=47 "*) got+=(terminate-complete) ;;
		esac
	done <"$TRACING/trace"
	check "tracepoints follow one connection: create, I/O, unpublish, complete, free" \
		[ "${got[*]}" = "request create block send send-complete unpublish terminate-complete free" ]
	[ "${got[*]}" = "request create block send send-complete unpublish terminate-complete free" ] ||
		echo "# trace: ${got[*]}"
else
	check "tracepoints of the chimney system in tracefs" false
fi

# --- a listener that overruns gets what it missed from the journal ---------

# storm REQ HOST PORT: offload a neighbor (host handle HOST) with a path and
# 40 connections (local ports PORT...), start a monitor with a 1-byte
# buffer ($SLOWPID, writing $SLOWLOG) and stop it; then corrupt hardware
# and an invalidate of the neighbor (request REQ + 1): its completion, 40
# TcpIndicateRetrieve(HardwareFailure) and 40 TcpIndicateAbort.
SLOWLOG=/tmp/chimney-slow.$$
storm()
{
	local conns= i

	for i in $(seq 0 39); do
		conns+=" tcp new host $(($2 + 0x80 + i)) lport $(($3 + i)) rport 80 mss 1460"
		conns+=" state established rcvnxt 1 snduna 1 sndnxt 1 sndmax 1"
	done
	ctl -w initiate chim0 req "$1" neigh new host "$2" dst 02:00:00:00:00:08 \
		path new host $(($2 + 1)) src 10.0.0.1 dst 10.0.0.8 mtu 1500 $conns >/dev/null
	N=$(obj_handle chim0 neigh)
	"$CHIMNEYCTL" monitor rcvbuf 1 >"$SLOWLOG" 2>&1 &
	SLOWPID=$!
	wait_until 10 grep -q monitoring "$SLOWLOG"
	kill -STOP $SLOWPID
	echo Y >"$DBG/corrupt"
	ctl -w invalidate chim0 req $(($1 + 1)) neigh ref "$N" >/dev/null
	echo N >"$DBG/corrupt"
}

ctl -w terminate chim0 req 79 neigh ref "$N" path ref "$P" >/dev/null
storm 80 0x80 6000
kill -CONT $SLOWPID
wait_until 30 grep -q 'reason HardwareFailure' "$SLOWLOG"
slow_done() { [ "$(grep -c 'TcpIndicateAbort' "$SLOWLOG")" -ge 40 ]; }
wait_until 60 slow_done
kill $SLOWPID 2>/dev/null
echo "# slow listener: $(grep -c '^type' "$SLOWLOG") notifications," \
	"$(grep -c '^overrun' "$SLOWLOG") overruns, $(grep -c '^replay' "$SLOWLOG") replays"
check "a stopped listener with a small buffer overruns (ENOBUFS)" grep -q '^overrun' "$SLOWLOG"
check "it replays from the journal instead of losing them" grep -q '^replay' "$SLOWLOG"
[ "$(grep -c '^type invalidate-complete' "$SLOWLOG")" = 1 ] &&
	[ "$(grep -c 'reason HardwareFailure' "$SLOWLOG")" = 40 ] &&
	[ "$(grep -c 'TcpIndicateAbort' "$SLOWLOG")" = 40 ]
check_status $? "after the replay it has all 81 notifications: completion, 40 Retrieve, 40 Abort"
check "and their sequence numbers have no gap and no repeat" \
	mon_seq_contiguous "$SLOWLOG"
rm -f "$SLOWLOG"
out=$(ctl -w terminate chim0 req 82 neigh ref "$N" path ref "$(obj_handle chim0 path4)" \
	$(for t in $(obj_handle chim0 tcp); do echo "tcp ref $t"; done))
check "the 42 objects terminate" [ "$(obj_count chim0)" = 0 ]
ctl dev set chim0 max_journal_kb 1
ctl -w initiate chim0 req 83 $NEIGH >/dev/null
err=$(ctl replay chim0 seq 0 2>&1)
check "replay of notifications gone from the journal: ERANGE with extack" \
	grep -q 'no longer all in the journal' <<<"$err"
ctl dev set chim0 max_journal_kb 4096
ctl -w terminate chim0 req 84 neigh ref "$(obj_handle chim0 neigh)" >/dev/null
N=

# --- an overrun past the journal resynchronises by dump --------------------
# The journal holds 1 KiB: the storm's 81 notifications cannot be replayed.
# The monitor must say so and dump the objects, which must be exactly the
# device's (ground truth: debugfs objects); a terminate still pending at
# that moment must then complete in front of it as usual.

ctl dev set chim0 max_journal_kb 1
storm 85 0x200 7000
echo 10000 >"$DBG/latency_ms"
ctl terminate chim0 req 87 neigh ref "$N" path ref "$(obj_handle chim0 path4)" \
	$(for t in $(obj_handle chim0 tcp); do echo "tcp ref $t"; done) >/dev/null
truth=$(awk 'NR > 1 { print $1 }' "$DBG/objects" | sort)
kill -CONT $SLOWPID
check "an overrun past the journal: the monitor resynchronises by dump" \
	wait_until 30 grep -q '^resync' "$SLOWLOG"
check "its dump has every object the device has ($(wc -l <<<"$truth")), and only those" \
	[ "$(sed -n '/^resync/,$p' "$SLOWLOG" | awk '$1 == "handle" { print $2 }' | sort -u)" = \
	  "$truth" ]
check "the terminate pending meanwhile completes after it" \
	wait_until 30 grep -q '^type terminate-complete .* req 87' "$SLOWLOG"
check "and the objects are gone" [ "$(obj_count chim0)" = 0 ]
kill $SLOWPID 2>/dev/null
echo 0 >"$DBG/latency_ms"
ctl dev set chim0 max_journal_kb 4096
rm -f "$SLOWLOG"
N=

# --- adapter-wide status indications (section 3.11) -------------------------

[ -d "$TRACING/events/chimney" ] && echo >"$TRACING/trace" &&
	echo 1 >"$TRACING/events/chimney/chimney_status/enable"
mon_mark
echo pause >"$DBG/indicate"
out=$(ctl -w initiate chim0 req 90 $NEIGH $PATH4 $(tcp_new 0x90 9000))
check "an initiate that arrives after OFFLOAD_PAUSE is still processed (R53)" \
	[ "$(statuses "$out")" = "SUCCESS SUCCESS SUCCESS" ]
T1=$(obj_handle chim0 tcp)
echo upload_all >"$DBG/indicate"
ctl send chim0 handle "$T1" id 91 len 10
echo resume >"$DBG/indicate"
mon_wait 1 'send-complete'
check "no OFFLOAD_RESUME while objects remain after UPLOAD_ALL (R52)" \
	[ "$(mon_sequence)" = "status-indicate:OFFLOAD_PAUSE initiate-complete status-indicate:UPLOAD_ALL send-complete:91:UPLOAD_IN_PROGRESS" ]
ctl -w terminate chim0 req 92 neigh ref "$(obj_handle chim0 neigh)" \
	path ref "$(obj_handle chim0 path4)" tcp ref "$T1" >/dev/null
mon_wait 1 'OFFLOAD_RESUME'
[ "$(mon_sequence)" = "status-indicate:OFFLOAD_PAUSE initiate-complete status-indicate:UPLOAD_ALL send-complete:91:UPLOAD_IN_PROGRESS terminate-complete status-indicate:OFFLOAD_RESUME" ] &&
	grep -q 'OFFLOAD_RESUME capacity 1000' <<<"$(mon_since)"
check_status $? "OFFLOAD_RESUME, with the capabilities, once everything is terminated (R52)"
if [ -d "$TRACING/events/chimney" ]; then
	echo 0 >"$TRACING/events/chimney/chimney_status/enable"
	got=$(sed -n 's/.*chimney_status: ifindex=[0-9]* \([A-Z_]*\) seq=.*/\1/p' "$TRACING/trace" |
	      tr '\n' ' ')
	check "tracepoint chimney_status: $got" [ "$got" = "OFFLOAD_PAUSE UPLOAD_ALL OFFLOAD_RESUME " ]
fi
check_fail "an unknown indication is refused" sh -c "echo bogus 2>/dev/null >$DBG/indicate"

# --- neighbor reachability (section 4.3) -------------------------------------

# NceStaleTicks 10 s; the neighbor comes with HRD 20 s, so that NRD = HRD
# is stale on both counts from the start. The clock moves on through
# debugfs, with seconds of slack for a slow machine.
ctl dev set chim0 nce_stale_ticks 10000
out=$(ctl -w initiate chim0 req 93 neigh new host 0x93 dst 02:00:00:00:00:93 hrd 20000 \
      $PATH4 $(tcp_new 0x94 9400 sndwnd 65535))
RN=$(field handle "$out" | awk '{ print $1 }')
RP=$(field handle "$out" | awk '{ print $2 }')
RT=$(field handle "$out" | awk '{ print $3 }')
mon_mark
ctl send chim0 handle "$RT" id 94 len 100
mon_wait 1 NeighborReachabilityQuery
q=$(mon_since | grep -A1 NeighborReachabilityQuery)
check "a segment to a neighbor stale on both counts: NeighborReachabilityQuery (R91)" \
	[ "$(mon_since | grep -c NeighborReachabilityQuery)" = 1 ]
grep -q "^  block neigh handle $RN host 0x93 status SUCCESS " <<<"$q" &&
	[ "$(field nic_reachability_delta "$q")" -ge 20000 ] &&
	[ "$(mon_since | grep -c '^  block')" = 1 ]
check_status $? "with one block: the neighbor, status SUCCESS, no dependents, NRD >= 20000 (R91)"
# The host answers "stale" (HRD 0): no query within NceStaleTicks (R93).
ctl -w update chim0 req 95 neigh ref "$RN" hrd 0 >/dev/null
echo 5000 >"$DBG/nct_offset_ms"
ctl send chim0 handle "$RT" id 96 len 100
out=$(ctl -w query chim0 req 97 neigh ref "$RN")
[ "$(mon_since | grep -c NeighborReachabilityQuery)" = 1 ] &&
	[ "$(field nic_reachability_delta "$out")" -ge 25000 ]
check_status $? "a host reply of HRD 0 keeps the neighbor from queries for NceStaleTicks (R93)"
echo 11000 >"$DBG/nct_offset_ms"
ctl send chim0 handle "$RT" id 98 len 100
check "and once NceStaleTicks have passed, the next segment asks again (R91)" \
	mon_wait 2 NeighborReachabilityQuery
# An update without HRD is no reply of the host: HRD runs on through it.
h0=$(field host_reachability_delta "$(ctl -w query chim0 req 9301 neigh ref "$RN")")
echo 2000 >"$DBG/latency_ms"
ctl -w update chim0 req 9302 neigh ref "$RN" dst 02:00:00:00:00:93 >/dev/null
echo 0 >"$DBG/latency_ms"
h1=$(field host_reachability_delta "$(ctl -w query chim0 req 9303 neigh ref "$RN")")
check "an update without HRD leaves it running: $h0, then $h1, 2 s on (R93)" \
	[ "${h1:-0}" -ge $((${h0:-0} + 1500)) ]
ctl -w terminate chim0 req 99 neigh ref "$RN" path ref "$RP" tcp ref "$RT" >/dev/null
echo 0 >"$DBG/nct_offset_ms"
ctl dev set chim0 nce_stale_ticks 30000

# --- an update turns keepalive on (decision 13) ------------------------------

out=$(ctl -w initiate chim0 req 100 $NEIGH $PATH4 $(tcp_new 0xa0 10000))
read -r KN KP KT <<<"$(field handle "$out")"
mon_mark
ctl -w update chim0 req 101 neigh placeholder path placeholder tcp ref "$KT" \
	cflags 1 ka_timeout 300 ka_interval 200 ka_probes 2 >/dev/null
check "an update that enables keepalive starts it: unanswered, TimeoutExpiration" \
	mon_wait 1 'reason TimeoutExpiration'
check "after KaProbeCount (2) probes" \
	[ "$(field keepalive_probe_count "$(ctl obj show chim0 handle "$KT")")" = 2 ]
ctl -w terminate chim0 req 102 neigh ref "$KN" path ref "$KP" tcp ref "$KT" >/dev/null

# --- rejected input changes nothing -----------------------------------------

before=$(obj_count chim0)
err=$(ctl initiate chim0 req 50 neigh placeholder path placeholder $(tcp_new 0x70 5000) 2>&1)
check "new TCP under a placeholder path rejected with extack" \
	grep -q 'needs a new or referenced parent' <<<"$err"
err=$(ctl initiate chim0 req 51 neigh ref 0x7777700000001 path placeholder 2>&1)
check "foreign or forged handle rejected with extack" \
	grep -q 'Unknown, stale or foreign handle' <<<"$err"
err=$(ctl initiate chim0 req 52 $NEIGH path new host 1 src 10.0.0.1 dst 10.0.0.2 2>&1)
check "new path without PathMtu rejected with extack" grep -q 'needs SourceAddress' <<<"$err"
err=$(ctl initiate chim0 req 53 $NEIGH $PATH4 tcp new host 1 lport 1 rport 2 mss 1 state closed 2>&1)
check "connection in CLOSED state rejected with extack" grep -q 'never offloaded' <<<"$err"
err=$(ctl initiate chim0 req 54 $NEIGH $PATH4 $(tcp_new 0x71 5001 prio 9) 2>&1)
check "out-of-range UserPriority rejected by the policy" [ -n "$err" ]
check "rejected requests changed nothing" [ "$(obj_count chim0)" = "$before" ]

# --- a completion nests its blocks in one 16-bit attribute --------------------

many=
for i in $(seq 1 300); do
	many+=" tcp new host $i lport $i rport 80 mss 1460 state established"
done
out=$(ctl -w initiate chim0 req 55 $NEIGH $PATH4 $many)
check "300 connections in one initiate: its completion, without their state, fits" \
	[ "$(statuses "$out" | tr ' ' '\n' | grep -c '^SUCCESS$')" = 302 ]
read -r MN MP handles <<<"$(field handle "$out")"
refs= i=0
for h in $handles; do
	refs+=" tcp ref $h"
done
before=$(obj_count chim0)
err=$(ctl query chim0 req 56 neigh placeholder path placeholder $refs 2>&1)
check "a query whose completion (their state) would pass 64 KiB: E2BIG with extack" \
	grep -q 'completion would not fit' <<<"$err"
check "and it changed nothing" [ "$(obj_count chim0)" = "$before" ]
for chunk in 1 101 201; do
	out=$(ctl -w terminate chim0 req $((57 + chunk)) neigh placeholder path placeholder \
	      $(echo $refs | cut -d' ' -f$((3 * chunk - 2))-$((3 * chunk + 297))))
	ok=$(statuses "$out" | tr ' ' '\n' | grep -c '^SUCCESS$')
	i=$((i + ok))
done
out=$(ctl -w terminate chim0 req 59 neigh ref "$MN" path ref "$MP")
[ "$i" = 306 ] && [ "$(statuses "$out")" = "SUCCESS SUCCESS" ] &&
	[ "$(obj_count chim0)" = $((before - 302)) ]
check_status $? "and the 300, terminated 100 at a time, with their neighbor and path"

# --- privileges and namespaces -----------------------------------------------

if command -v setpriv >/dev/null; then
	nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
	err=$($nobody "$CHIMNEYCTL" initiate chim0 req 60 $NEIGH 2>&1)
	check "unprivileged initiate: EPERM" grep -q 'Operation not permitted' <<<"$err"
	err=$(timeout 5 $nobody "$CHIMNEYCTL" monitor 2>&1)
	check "unprivileged listener cannot join the groups" \
		grep -q 'Operation not permitted' <<<"$err"
	check "unprivileged device get works" $nobody "$CHIMNEYCTL" dev show chim0
fi

NS=$(netns_create)
ip -n "$NS" link add chimns index 4242 type chimney
check "device in another netns is invisible to dumps here" \
	[ -z "$(field dev "$(ctl dev show)" | grep chimns)" ]
err=$(ctl initiate 4242 req 70 $NEIGH 2>&1)
check "device in another netns cannot be touched from here" \
	grep -q 'No such device' <<<"$err"
err=$(ctl initiate lo req 71 $NEIGH 2>&1)
check "a device that is not chimney is refused" grep -q 'Not a chimney device' <<<"$err"
check "the other netns sees and drives its device" \
	ip netns exec "$NS" "$CHIMNEYCTL" -w initiate chimns req 72 $NEIGH

tap_done
