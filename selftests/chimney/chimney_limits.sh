#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What a device holds for user space is bounded (enum chimney_limit_attr):
# each limit has its default in dev show, is set with dev set, and what goes
# beyond it is refused with its reason: I/O and state requests with ENOBUFS
# and an extack, new neighbors and paths with their NDIS status, a device
# too many for its namespace with ENOSPC. An abortive disconnect completes
# the receives still posted. Then, where the kernel has a memory
# controller, an unprivileged user namespace inside a 64 MiB memory cgroup
# tries to pin memory every way it can (sends, posted receives, objects,
# devices with journals, segments from the wire for a connection with no
# receive posted): each way is refused or charged to that cgroup,
# and the rest of the machine keeps its memory.

source "$(dirname "$0")/chimney_lib.sh"
chimney_require
chimney_require_ctl
chimney_require_ip_plugin

MONPID=
CG=
NS=
cleanup()
{
	[ -z "$MONPID" ] || kill "$MONPID" 2>/dev/null
	ip link del chimlim0 2>/dev/null
	[ -z "$NS" ] || ip netns del "$NS" 2>/dev/null
	[ -z "$CG" ] || { pkill -9 -f chimney_pin.py; sleep 0.5; rmdir "$CG" 2>/dev/null; }
	echo 64 >/sys/module/chimney/parameters/devices_per_netns 2>/dev/null
	chimney_unload 2>/dev/null
	rm -f "$MONLOG"
}
trap cleanup EXIT
MONLOG=$(mktemp /tmp/chimney-limits.XXXXXX)

chimney_unload
chimney_load
ip link add chimlim0 type chimney
ip link set chimlim0 up
DBG=/sys/kernel/debug/chimney/$(chimney_dev_id chimlim0)
mon_start

out=$(ctl dev show chimlim0)
check "dev show has every limit and its default" \
	[ "$(field max_send_bytes "$out") $(field max_receives "$out") $(field max_requests "$out")" = \
	  "4194304 256 1024" ]
check "the limits of neighbors, paths, the journal and devices" \
	[ "$(field max_neighbors "$out") $(field max_paths "$out") $(field max_journal_kb "$out") \
$(field max_devices "$out")" = "65536 1048576 4096 64" ]
ctl dev set chimlim0 max_send_bytes 2000 max_receives 2 max_requests 1 max_neighbors 1 \
	max_paths 1 >/dev/null
out=$(ctl dev show chimlim0)
check "dev set sets them" \
	[ "$(field max_send_bytes "$out") $(field max_receives "$out") $(field max_requests "$out")" = \
	  "2000 2 1" ]
err=$(ctl dev set chimlim0 max_devices 1 2>&1)
check "the limit of devices is the module's, not a device's" grep -q devices_per_netns <<<"$err"
err=$(ctl dev set chimlim0 max_receives 0 2>&1)
check "a limit of 0 is refused" grep -qi range <<<"$err"

NEIGH="neigh new host 0x10 dst 02:00:00:00:00:02"
out=$(ctl -w initiate chimlim0 req 1 $NEIGH path new host 0x20 src 10.0.0.1 dst 10.0.0.2 \
	mtu 1500 tcp new host 0x30 lport 1000 rport 80 mss 1460 state established)
set -- $(field handle "$out")
N=$1 T=$3
check "one neighbor, one path and a connection fit" [ -n "$T" ]
out=$(ctl -w initiate chimlim0 req 2 neigh new host 0x11 dst 02:00:00:00:00:03 2>&1)
check "a second neighbor: OFFLOAD_NEIGHBOR_ENTRIES" grep -q OFFLOAD_NEIGHBOR_ENTRIES <<<"$out"
out=$(ctl -w initiate chimlim0 req 3 neigh ref "$N" path new host 0x21 src 10.0.0.1 \
	dst 10.0.0.3 mtu 1500 2>&1)
check "a second path: OFFLOAD_PATH_ENTRIES" grep -q OFFLOAD_PATH_ENTRIES <<<"$out"

# Sends with no peer stay outstanding: 1000 bytes cost 1064.
ctl send chimlim0 handle "$T" id 1 len 1000 >/dev/null
err=$(ctl send chimlim0 handle "$T" id 2 len 1000 2>&1)
check "a send beyond send_bytes: ENOBUFS with its reason" \
	grep -q 'CHIMNEY_LIMIT_A_SEND_BYTES' <<<"$err"
ctl recv chimlim0 handle "$T" id 3 len 100 >/dev/null
ctl recv chimlim0 handle "$T" id 4 len 100 >/dev/null
err=$(ctl recv chimlim0 handle "$T" id 5 len 100 2>&1)
check "a third receive beyond receives 2: ENOBUFS with its reason" \
	grep -q 'CHIMNEY_LIMIT_A_RECEIVES' <<<"$err"

echo 5000 >"$DBG/latency_ms"
ctl update chimlim0 req 10 neigh ref "$N" hrd 0 >/dev/null
err=$(ctl update chimlim0 req 11 neigh ref "$N" hrd 0 2>&1)
check "a state request beyond requests 1 queued: ENOBUFS with its reason" \
	grep -q 'CHIMNEY_LIMIT_A_REQUESTS' <<<"$err"
echo 0 >"$DBG/latency_ms"

mon_mark
ctl disconnect chimlim0 handle "$T" id 6 abortive >/dev/null
check "an abortive disconnect completes both posted receives, aborted" \
	mon_wait 2 'receive-complete*status REQUEST_ABORTED'
check "and the send" mon_wait 1 'send-complete*status REQUEST_ABORTED'
kill "$MONPID"
MONPID=
ip link del chimlim0

# Devices of a namespace, both ends of a wire counted.
NS=$(netns_create)
echo 3 >/sys/module/chimney/parameters/devices_per_netns
ip -n "$NS" link add chimn0 type chimney peer name chimn1
ip -n "$NS" link add chimn2 type chimney
err=$(ip -n "$NS" link add chimn3 type chimney 2>&1)
check "a fourth device in a namespace of devices_per_netns 3: refused" \
	grep -q devices_per_netns <<<"$err"
check "and not made" bash -c "! ip -n $NS link show chimn3 2>/dev/null"
# With a link netns, rtnetlink would make the device there and move it
# after newlink, past the count: a chimney device has none.
ip netns set "$NS" 77
err=$(ip link add chimln0 link-netnsid 77 type chimney 2>&1)
check "a device with a link netns is refused, with the reason" grep -q 'no link netns' <<<"$err"
ip netns del "$NS"
NS=
echo 64 >/sys/module/chimney/parameters/devices_per_netns

# ---- memory cgroup: what an unprivileged user pins is charged to it -------
[ -e /sys/fs/cgroup/cgroup.controllers ] || mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null
if ! grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
	echo "# SKIP no cgroup v2 memory controller in this kernel"
	tap_done
	exit $?
fi
nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
if ! $nobody unshare -Urn true 2>/dev/null; then
	echo "# SKIP unprivileged user namespaces are disabled here"
	tap_done
	exit $?
fi
echo +memory >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
CG=/sys/fs/cgroup/chimney-pin.$$
mkdir "$CG"
echo $((64 << 20)) >"$CG/memory.max"
pin=$(mktemp /tmp/chimney-pin.XXXXXX)
# pinned BACK ARGS...: chimney_pin.py ARGS in the cgroup, as uid 65534 in
# its own user and network namespace, until it holds what it pinned; then
# killed, its namespace and devices with it, until the cgroup is back below
# BACK bytes. Sets base, before and after (memory.current).
pinned()
{
	local back=$1 pinner
	shift
	base=$(cat "$CG/memory.current")
	( echo $BASHPID >"$CG/cgroup.procs" &&
	  exec $nobody unshare -Urn python3 "$CHIMNEY_LIB_DIR/chimney_pin.py" "$@" ) \
		>"$pin.out" 2>&1 &
	pinner=$!
	wait_until 600 bash -c "grep -q pinned $pin.out || ! kill -0 $pinner 2>/dev/null"
	before=$(cat "$CG/memory.current")
	diag "$(tail -3 "$pin.out")"
	kill -9 "$pinner" 2>/dev/null
	wait "$pinner" 2>/dev/null
	wait_until 60 bash -c "[ \$(cat $CG/memory.current) -lt $back ]"
	after=$(cat "$CG/memory.current")
	echo "# $*: cgroup memory.current $((base >> 20)) MiB, $((before >> 20)) MiB pinned," \
		"$((after >> 20)) MiB once it is gone"
}

# A device, four connections, each with 65,000-byte sends (there is no
# peer: they stay) until max_send_bytes refuses one, and 64 receives of
# 65,000 bytes: about 32 MiB the kernel holds for it.
pinned $((16 << 20)) 1 64
check "the sends and receives were taken: $(grep -o 'accepted:.*' "$pin.out")" \
	grep -q "'send': 256, 'receive': 256" "$pin.out"
check "and charged to the user's cgroup (32 MiB and more)" [ "$before" -ge $((32 << 20)) ]
check "and given back with the user's namespace" [ "$after" -lt $((16 << 20)) ]

# Objects, and the journals their completions fill: eight devices, each
# with 6,000 connections (357 bytes of slab each), about 20 MiB.
pinned $(($(cat "$CG/memory.current") + (4 << 20))) objects 8 6000
check "the devices and connections were taken: $(grep -o 'accepted:.*' "$pin.out")" \
	grep -q "'device': 8, 'connection': 48000" "$pin.out"
check "objects and journals charged to the user's cgroup (12 MiB and more)" \
	[ "$before" -ge $((base + (12 << 20))) ]
check "and given back with the user's namespace" [ "$after" -lt $((base + (4 << 20))) ]

# The wire: segments from the peer at a connection with no receive posted
# stay queued for the host, charged to the device creator's cgroup. About
# 22 MiB of full segments; then 20,000 pushed 1-byte segments, which cost
# about their data (a kilobyte each, 20 MiB, when each kept its own skb).
pinned $(($(cat "$CG/memory.current") + (4 << 20))) wire 1448 16000
got=$(sed -n 's/^charged //p' "$pin.out")
check "full segments queued for the host: charged to the user's cgroup ($((${got:-0} >> 20)) MiB, 16 MiB and more)" \
	[ "${got:-0}" -ge $((16 << 20)) ]
check "and given back with the user's namespace" [ "$after" -lt $((base + (4 << 20))) ]
pinned $(($(cat "$CG/memory.current") + (4 << 20))) wire 1 20000
got=$(sed -n 's/^charged //p' "$pin.out")
check "a pushed 1-byte trickle: all 20000 bytes taken ($(sed -n 's/^accepted //p' "$pin.out"))" \
	grep -qx 'accepted 20000' "$pin.out"
check "and charged about as much as its data (${got:-?} bytes, less than 2 MiB)" \
	[ "${got:-$((2 << 20))}" -lt $((2 << 20)) ]
check_fail "no process was OOM-killed" bash -c "dmesg | grep -q 'oom-kill:'"
rm -f "$pin" "$pin.out"

tap_done
