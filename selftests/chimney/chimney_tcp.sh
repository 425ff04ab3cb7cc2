#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The data path against the kernel's own TCP. chim0's peer, chim0p, is in
# another namespace. A connection is opened the normal way, taken over with
# TCP_REPAIR (so that sequence numbers, MSS, window scale and timestamps
# match) and offloaded; then data goes both ways through send and receive
# requests, and every byte is checked on the peer's side and in the
# completions. Also: a reset from the peer, traffic that is not offloaded,
# IPv6, and loss, duplication and reordering from netem on the peer.

source "$(dirname "$0")/chimney_lib.sh"
chimney_require
chimney_require_ctl
chimney_require_ip_plugin

PEER=$CHIMNEY_LIB_DIR/chimney_tcp_peer.py
NS=
MONPID=
PIDS=()
D=$(mktemp -d /tmp/chimney-tcp.XXXXXX)
cleanup()
{
	[ ${#PIDS[@]} -eq 0 ] || kill "${PIDS[@]}" 2>/dev/null
	[ -z "$MONPID" ] || kill "$MONPID" 2>/dev/null
	[ -z "$NS" ] || ip netns del "$NS" 2>/dev/null
	ip link del chim0 2>/dev/null
	chimney_unload 2>/dev/null
	rm -rf "$D"
}
trap cleanup EXIT

chimney_unload
chimney_load
NS=$(netns_create) || exit 1

check "ip link add chim0 type chimney peer name chim0p netns NS" \
	ip link add chim0 type chimney peer name chim0p netns "$NS"
check "the peer is in the other namespace, and each end names the other" \
	bash -c "ip -o link show chim0 | grep -q 'chim0@if.*link-netns $NS' &&
		 ip -n $NS -o link show chim0p | grep -q 'chim0p@if'"
ip addr add 10.77.0.1/24 dev chim0
ip addr add fd77::1/64 dev chim0 nodad
ip link set chim0 up
ip -n "$NS" addr add 10.77.0.2/24 dev chim0p
ip -n "$NS" addr add fd77::2/64 dev chim0p nodad
ip -n "$NS" link set chim0p up
PMAC=$(ip -n "$NS" -j link show chim0p |
       python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["address"])')
mon_start

ip netns exec "$NS" python3 "$PEER" echo 10.77.0.2 5090 &
PIDS+=($!)
check "traffic that is not offloaded passes both ways (ARP, TCP)" \
	wait_until 60 python3 "$PEER" client 10.77.0.2 5090 20000

# peer PORT ADDR EXPECT REPLY [reset]: the kernel's TCP on the other end.
peer()
{
	rm -f "$D"/peer_* "$D/go"
	ip netns exec "$NS" python3 "$PEER" serve "$2" "$1" "$D" "$3" "$4" ${5:-} &
	PIDS+=($!)
	wait_until 60 test -f "$D/peer_listening"
}

# offload REQ LOCAL REMOTE PORT [ip6]: open, repair and offload a
# connection; N, P and T are its neighbor, path and TCP handles, ST its
# state as taken from the socket.
REQ=0
offload()
{
	local out

	ST=$(python3 "$PEER" repair "$3" "$4") || return 1
	out=$(ctl -w initiate chim0 req "$1" neigh new host 1 dst "$PMAC" \
	      path new ${5:-} host 2 src "$2" dst "$3" mtu 1500 \
	      tcp new host 3 $ST) || { echo "$out"; return 1; }
	N=$(field handle "$out" | awk '{ print $1 }')
	P=$(field handle "$out" | awk '{ print $2 }')
	T=$(field handle "$out" | awk '{ print $3 }')
	[ -n "$T" ]
}

# send_file FILE: post it in requests of at most 65000 bytes, each waited
# for: a send completes (SUCCESS) only once the peer acknowledged it.
send_file()
{
	local size off=0 id=100 out

	size=$(stat -c %s "$1")
	while [ $off -lt "$size" ]; do
		tail -c +$((off + 1)) "$1" | head -c 65000 >"$D/chunk"
		out=$(ctl -w send chim0 handle "$T" id $id file "$D/chunk") || return 1
		[ "$(field status "$out")" = SUCCESS ] || return 1
		off=$((off + $(stat -c %s "$D/chunk")))
		id=$((id + 1))
	done
}

# recv_all BYTES OUT: post non-push receive requests (each completes when
# full, R65) until BYTES have come.
recv_all()
{
	local id=200 left

	: >"$2"
	while left=$(($1 - $(stat -c %s "$2"))); [ $left -gt 0 ]; do
		[ $left -le 65000 ] || left=65000
		ctl -t 60 -w recv chim0 handle "$T" id $id len $left nopush out "$2" \
			>/dev/null || return 1
		id=$((id + 1))
	done
	[ "$(stat -c %s "$2")" -eq "$1" ]
}

sha() { echo "$(stat -c %s "$1") $(sha256sum <"$1" | cut -d' ' -f1)"; }

# exchange NAME LOCAL REMOTE PORT graceful|abortive [ip6]: the whole round
# on one connection, closed as said.
exchange()
{
	local name=$1 close=$5 out snd rcv fin=0 bye=0

	set -- "$1" "$2" "$3" "$4" "${6:-}"

	peer "$4" "$3" 150000 200000
	check "$name: initiate takes over a connection of the kernel's TCP" \
		offload $((REQ += 1)) "$2" "$3" "$4" "${5:-}"
	head -c 150000 /dev/urandom >"$D/tx"
	check "$name: 150000 bytes in 3 send requests, each SUCCESS once acknowledged" \
		send_file "$D/tx"
	check "$name: the peer's TCP read exactly those bytes" \
		wait_until 20 bash -c "[ \"\$(cat $D/peer_rx 2>/dev/null)\" = \"$(sha "$D/tx")\" ]"
	check "$name: receive requests took the peer's 200000 bytes, in order" \
		recv_all 200000 "$D/rx"
	check "$name: every byte the peer sent, and nothing else" \
		[ "$(cat "$D/peer_tx")" = "$(sha "$D/rx")" ]
	mon_mark
	if [ "$close" = graceful ]; then
		out=$(ctl -t 30 -w disconnect chim0 handle "$T" id 300 data bye)
		check "$name: graceful disconnect: 'bye', then FIN; SUCCESS once acknowledged (R78)" \
			[ "$(field status "$out")" = SUCCESS -a "$(field bytes "$out")" = 3 ]
		check "$name: the peer reads 'bye', then end of file" \
			wait_until 30 grep -qx 'eof 3' "$D/peer_end"
		check "$name: the peer's FIN is indicated: TcpIndicateDisconnect (R82)" \
			mon_wait 1 TcpIndicateDisconnect
		out=$(ctl obj show chim0 handle "$T")
		check "$name: both FINs acknowledged: time_wait" \
			[ "$(field state "$out")" = time_wait ]
		fin=1 bye=3
	else
		out=$(ctl -w disconnect chim0 handle "$T" id 300 abortive)
		check "$name: abortive disconnect: an RST, SUCCESS (R76)" \
			[ "$(field status "$out")" = SUCCESS ]
		check "$name: the peer's read fails: connection reset" \
			wait_until 30 grep -qx 'reset 0' "$D/peer_end"
	fi
	out=$(ctl -w terminate chim0 req $((REQ += 1)) neigh ref "$N" path ref "$P" ${5:-} \
	      tcp ref "$T")
	snd=$(field snduna "$ST")
	rcv=$(field rcvnxt "$ST")
	check "$name: terminate hands back SndUna = SndMax = start + 150000 + $bye + $fin (FIN)" \
		[ "$(field snd_una "$out")" = $(((snd + 150000 + bye + fin) % 4294967296)) -a \
		  "$(field snd_max "$out")" = "$(field snd_una "$out")" ]
	check "$name: and RcvNxt = start + 200000 + $fin (the peer's FIN)" \
		[ "$(field rcv_nxt "$out")" = $(((rcv + 200000 + fin) % 4294967296)) ]
}

exchange IPv4 10.77.0.1 10.77.0.2 5001 graceful
out=$(ctl dev stats chim0 | grep '^set tcp4')
check "offload counters: TCP segments of IPv4 both ways (2.10)" \
	[ "$(field in_segments "$out")" -gt 100 -a "$(field out_segments "$out")" -gt 100 ]

# A reset from the peer (R83): the send it never acknowledged is aborted.
peer 5002 10.77.0.2 0 0 reset
offload $((REQ += 1)) 10.77.0.1 10.77.0.2 5002
ctl -t 30 -w send chim0 handle "$T" id 1 len 65000 >"$D/send1" &
SENDPID=$!
ctl recv chim0 handle "$T" id 2 len 1000
sleep 1
touch "$D/go"
wait $SENDPID
check "an acceptable RST aborts the send not yet acknowledged (REQUEST_ABORTED)" \
	[ "$(field status "$(cat "$D/send1")")" = REQUEST_ABORTED ]
out=$(ctl obj show chim0 handle "$T")
flags=$(field flags "$out" | awk '{ print $1 }')
check "the connection is marked aborted (flags $flags), in state closed" \
	[ $((flags & 0x10)) -ne 0 -a "$(field state "$out")" = closed ]
out=$(ctl -w send chim0 handle "$T" id 3 len 10)
check "a send posted after the reset completes at once with REQUEST_ABORTED" \
	[ "$(field status "$out")" = REQUEST_ABORTED ]
out=$(ctl -w terminate chim0 req $((REQ += 1)) neigh ref "$N" path ref "$P" tcp ref "$T")
check "terminate of the reset connection succeeds" \
	[ "$(statuses "$out")" = "SUCCESS SUCCESS SUCCESS" ]

# Terminate with received bytes not delivered (R45): they come back, in
# order, as BufferedData, before the terminate completion.
rcv_is() { [ "$(field rcv_nxt "$(ctl obj show chim0 handle "$1")")" = "$2" ]; }
buffered() { mon_since | awk '/buffered-data/ { for (i = 1; i < NF; i++)
	if ($i == "bytes") s += $(i + 1) } END { print s + 0 }'; }
peer 5005 10.77.0.2 0 30000
offload $((REQ += 1)) 10.77.0.1 10.77.0.2 5005
touch "$D/go"
rcv=$(field rcvnxt "$ST")
check "30000 bytes come in with no receive posted: RcvNxt moves on by 30000" \
	wait_until 20 rcv_is "$T" $(((rcv + 30000) % 4294967296))
mon_mark
out=$(ctl -w terminate chim0 req $((REQ += 1)) neigh ref "$N" path ref "$P" tcp ref "$T")
mon_wait 1 terminate-complete
check "terminate hands back all 30000 as BufferedData (R45), got $(buffered)" \
	[ "$(buffered)" = 30000 ]
check "and all of it before the terminate completion" \
	[ "$(mon_since | grep -E 'buffered-data|terminate-complete' | tail -1 |
	     grep -c terminate-complete)" = 1 ]

exchange IPv6 fd77::1 fd77::2 5003 abortive ip6

# Loss, duplication and reordering on the peer's side of the wire.
if ip netns exec "$NS" tc qdisc add dev chim0p root netem loss 5% duplicate 5% \
	delay 2ms reorder 25% 50% 2>/dev/null; then
	exchange "IPv4 under netem loss, duplication and reordering" 10.77.0.1 10.77.0.2 5004 \
		graceful
	dropped=$(ip netns exec "$NS" tc -s qdisc show dev chim0p |
		  sed -n 's/.*(dropped \([0-9]*\),.*/\1/p')
	check "netem dropped some of the peer's segments (${dropped:-none})" \
		[ "${dropped:-0}" -gt 0 ]
else
	echo "# SKIP: netem is not available"
fi

tap_done
