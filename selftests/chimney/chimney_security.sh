#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Security: every command but the device get, and both multicast groups,
# need CAP_NET_ADMIN in the user namespace that owns the device's netns: an
# unprivileged user is refused, and so is root of an unprivileged user
# namespace in our netns, while in a netns of its own it drives its own
# device and cannot reach ours. Stale, foreign and forged handles are
# refused. No notification carries a kernel pointer or, under slub_debug=P
# (slab poisoning; scripts/check.sh boots a VM with it for this test),
# uninitialised bytes.

source "$(dirname "$0")/chimney_lib.sh"
chimney_require
chimney_require_ctl
chimney_require_ip_plugin

SEC=$CHIMNEY_LIB_DIR/chimney_security.py
D=$(mktemp -d /tmp/chimney-sec.XXXXXX)
chmod 755 "$D"
COLPID=
cleanup()
{
	[ -z "$COLPID" ] || kill "$COLPID" 2>/dev/null
	ip link del chimsec0 2>/dev/null
	ip link del chimsec1 2>/dev/null
	chimney_unload 2>/dev/null
	rm -rf "$D"
}
trap cleanup EXIT

# tap_lines PREFIX: the PASS/FAIL lines of a chimney_security.py run as checks.
tap_lines()
{
	local status text

	while read -r status text; do
		case $status in
		PASS) tap_result "$1$text" 0 ;;
		FAIL) tap_result "$1$text" 1 ;;
		*) echo "# $status $text" ;;
		esac
	done
}

chimney_unload
chimney_load
# An index no device in a new netns has: there, only its own are found.
ip link add chimsec0 index 4343 type chimney
ip link add chimsec1 type chimney
ip link set chimsec0 up
ip link set chimsec1 up
ifindex=$(cat /sys/class/net/chimsec0/ifindex)
DBG=/sys/kernel/debug/chimney/$(chimney_dev_id chimsec0)
NEIGH="neigh new host 1 dst 02:00:00:00:00:02"
PATH4="path new host 2 src 10.9.0.1 dst 10.9.0.2 mtu 1500"
tcp_new()
{
	echo "tcp new host $1 lport $2 rport 2000 mss 1460 state established" \
	     "rcvnxt 1 snduna 1 sndnxt 1 sndmax 1"
}

python3 "$SEC" collect "$D/notes" &
COLPID=$!
check "a listener with CAP_NET_ADMIN joins both groups" \
	wait_until 60 grep -qs listening "$D/notes"

nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
tap_lines "unprivileged user: " < <($nobody python3 "$SEC" denied "$ifindex" 2>&1)
if $nobody unshare -r true 2>/dev/null; then
	tap_lines "root of a user namespace, in our netns: " \
		< <($nobody unshare -r python3 "$SEC" denied "$ifindex" 2>&1)
	out=$($nobody unshare -r -n bash -c "
		ip link add chimu0 type chimney && ip link set chimu0 up &&
		$CHIMNEYCTL -w initiate chimu0 req 1 $NEIGH &&
		$CHIMNEYCTL initiate $ifindex req 2 $NEIGH;
		$CHIMNEYCTL initiate chimsec0 req 3 $NEIGH" 2>&1)
	check "root of a user namespace in its own netns drives its own device" \
		grep -q 'status SUCCESS' <<<"$out"
	fails=$tap_fail
	grep -q 'No such device' <<<"$out" && grep -q "no device 'chimsec0'" <<<"$out"
	check_status $? "but cannot reach a device of ours, by index or name: ENODEV"
	[ "$tap_fail" = "$fails" ] || diag "$out"

	# The peer's netns is the caller's to administer too: root of a user
	# namespace cannot put the peer in ours (PID 1's) by its IFLA_NET_NS_PID.
	out=$($nobody unshare -r -n ip link add chimu1 type chimney peer name chimsecp netns 1 2>&1)
	[ $? -ne 0 ]
	check_status $? "root of a user namespace cannot place a peer in our netns"
	! ip link show chimsecp >/dev/null 2>&1 && grep -q 'CAP_NET_ADMIN' <<<"$out"
	check_status $? "no peer appeared in our netns, and the refusal says why" ||
		diag "$out"
	ip link del chimsecp 2>/dev/null
	out=$($nobody unshare -r -n bash -c "
		ip link add chimu1 type chimney peer name chimu1p && ip -o link show chimu1p" 2>&1)
	check "a peer in its own netns is made as before" grep -q chimu1p <<<"$out"
else
	echo "# SKIP: unprivileged user namespaces are not allowed here"
fi

# Handles: one of another device, one terminated, and made-up ones.
out=$(ctl -w initiate chimsec1 req 10 $NEIGH $PATH4 $(tcp_new 3 1000))
FOREIGN=$(field handle "$out" | awk '{ print $3 }')
out=$(ctl -w initiate chimsec0 req 11 $NEIGH $PATH4 $(tcp_new 3 1000) $(tcp_new 4 1001))
set -- $(field handle "$out")
N=$1 P=$2 T=$3 T2=$4
ctl -w terminate chimsec0 req 12 neigh ref "$N" path ref "$P" tcp ref "$T2" >/dev/null
for h in "$FOREIGN:another device's" "$T2:a terminated" "$((T2 + 0x100000000)):a forged" \
	 "$((T ^ 0x7fffffff00000000)):a made-up"; do
	err=$(ctl obj show chimsec0 handle "${h%%:*}" 2>&1)
	err2=$(ctl send chimsec0 handle "${h%%:*}" id 1 len 10 2>&1)
	err3=$(ctl -w terminate chimsec0 req 13 neigh ref "$N" path ref "$P" \
	       tcp ref "${h%%:*}" 2>&1)
	grep -q 'Unknown, stale or foreign handle' <<<"$err" &&
		! grep -q 'status' <<<"$err2$err3" && [ -n "$err2" ] && [ -n "$err3" ]
	check_status $? "${h#*:} handle is refused: object get, send and terminate"
done
check "the refused requests left the objects alone" [ "$(obj_count chimsec0)" = 3 ]

# Every kind of notification the control plane makes: completions of each
# request, I/O completions, a receive indication (from a forwarded
# segment), Retrieve and Abort on corrupt hardware, the adapter's status.
ctl -w update chimsec0 req 20 neigh ref "$N" hrd 0 >/dev/null
ctl -w query chimsec0 req 21 neigh ref "$N" path ref "$P" tcp ref "$T" >/dev/null
ctl send chimsec0 handle "$T" id 30 len 100 >/dev/null
python3 -c "import struct, sys; sys.stdout.buffer.write(struct.pack('!HHIIBBHHH',
	2000, 1000, 1, 1, 5 << 4, 0x18, 1000, 0, 0) + b'hello world')" >"$D/seg"
ctl -w forward chimsec0 handle "$T" id 32 file "$D/seg" >/dev/null
sleep 1.5	# the indication goes unanswered: refused, its bytes stay
ctl -w recv chimsec0 handle "$T" id 31 len 100 >/dev/null
echo pause >"$DBG/indicate"
echo resume >"$DBG/indicate"
echo Y >"$DBG/corrupt"
ctl -w invalidate chimsec0 req 22 neigh ref "$N" >/dev/null
echo N >"$DBG/corrupt"
ctl -w terminate chimsec0 req 23 neigh ref "$N" path ref "$P" tcp ref "$T" >/dev/null
sleep 1
kill "$COLPID"
COLPID=
tap_lines "notifications: " < <(python3 "$SEC" scan "$D/notes" 2>&1)
check "the module unloads" bash -c "ip link del chimsec0 && ip link del chimsec1 && rmmod chimney"

tap_done
