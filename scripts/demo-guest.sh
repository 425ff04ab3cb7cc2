#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo, inside the guest: an offload target runs the corrupt-hardware
# invalidate sequence (section 3.12 of the specification, the seed page):
# offload a neighbor, a path and two connections, post I/O, mark the
# hardware corrupt, invalidate the neighbor, terminate; then print the
# timeline of every request, completion and event.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
ko=${CHIMNEY_KO:-$top/build/${CHIMNEY_VM_KERNEL:-stock}/chimney/chimney.ko}
ctl=${CHIMNEYCTL:-$top/build/tools/chimneyctl}
log=/tmp/chimney-demo-monitor.log

say()
{
	printf '\n== %s\n' "$*"
}

run()
{
	echo "\$ ${*/#$ctl/chimneyctl}"
	"$@"
}

# Handles of the objects of a type, in handle order.
handles()
{
	local line hs=()

	while read -r line; do
		[[ $line =~ ^handle\ (0x[0-9a-f]+)\ type\ $1 ]] && hs+=("${BASH_REMATCH[1]}")
	done <<<"$("$ctl" obj show chim0 type "$1")"
	echo "${hs[*]}"
}

say "kernel $(uname -r): load chimney.ko, create the offload target chim0"
run insmod "$ko"
run ip link add chim0 type chimney
run ip link set chim0 up
run "$ctl" dev show chim0

"$ctl" monitor >"$log" 2>&1 &
mon=$!
sleep 0.5

say "initiate: neighbor -> IPv4 path -> two TCP connections (request 1)"
run "$ctl" -w initiate chim0 req 1 \
	neigh new host 0x10 dst 02:00:00:00:00:02 \
	path new host 0x20 src 192.0.2.1 dst 192.0.2.2 mtu 1500 \
	tcp new host 0x30 lport 40000 rport 80 mss 1460 state established \
		rcvnxt 1000 snduna 5000 sndnxt 5000 sndmax 5000 \
	tcp new host 0x31 lport 40001 rport 80 mss 1460 state established | cut -c1-110
N=$(handles neigh)
read -r T1 T2 <<<"$(handles tcp)"
P=$(handles path4)

say "post a send and a receive on each connection: they stay outstanding"
run "$ctl" send chim0 handle "$T1" id 101 len 1000
run "$ctl" recv chim0 handle "$T1" id 102 len 4096
run "$ctl" send chim0 handle "$T2" id 201 len 1000
run "$ctl" recv chim0 handle "$T2" id 202 len 4096

dbg=/sys/kernel/debug/chimney/$("$ctl" dev show chim0 | sed 's/.* id \([0-9]*\) .*/\1/')
say "the hardware state becomes corrupt"
run sh -c "echo Y > $dbg/corrupt"

say "the host invalidates the neighbor (request 2)"
run "$ctl" -w invalidate chim0 req 2 neigh ref "$N" || true
sleep 1
say "after the events, the host terminates every object (request 3)"
run sh -c "echo N > $dbg/corrupt"
run "$ctl" -w terminate chim0 req 3 neigh ref "$N" path ref "$P" tcp ref "$T1" \
	tcp ref "$T2" | cut -c1-110
sleep 0.5
kill "$mon"

say "timeline, as chimneyctl monitor saw it"
while read -r line; do
	case "$line" in
	type\ *)
		echo "$line" | sed -E 's/^type ([a-z-]+) ifindex [0-9]+ seq ([0-9]+)/seq \2  \1/'
		;;
	*block*)
		echo "$line" | sed -E 's/ (dl_|source_|const_flags|state ).*//; s/^/        /'
		;;
	esac
done <"$log"

run "$ctl" obj show chim0
run ip link del chim0
run rmmod chimney
say "demo done"
