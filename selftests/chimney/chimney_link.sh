#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The chimney netdevice through ip(8): create, bring up, count transmitted
# frames, validate link attributes, and disappear with "ip link del", with
# the deletion of its network namespace and with the unloading of the module.

source "$(dirname "$0")/chimney_lib.sh"
chimney_require

NS=
cleanup()
{
	[ -z "$NS" ] || ip netns del "$NS" 2>/dev/null
	chimney_unload 2>/dev/null
}
trap cleanup EXIT

# Names of the links of kind chimney (ip options such as -n NS may be given).
chimney_links()
{
	ip "$@" -o -d link show type chimney | awk -F': ' '{ print $2 }'
}

link_state()
{
	ip -br link show dev "$1" | awk '{ print $2 }'
}

stat_of()
{
	cat "/sys/class/net/$1/statistics/$2"
}

# send_frames DEV COUNT LEN: COUNT raw Ethernet frames of LEN bytes.
send_frames()
{
	python3 - "$@" <<'PY'
import socket, sys
dev, count, length = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((dev, 0))
frame = b"\x02\x00\x00\x00\x00\x01" + b"\x02\x00\x00\x00\x00\x02" + b"\x88\xb5"
frame += bytes(length - len(frame))
for _ in range(count):
    s.send(frame)
PY
}

counters_are()
{
	[ "$(stat_of "$1" tx_packets)" -eq "$2" ] && [ "$(stat_of "$1" tx_bytes)" -eq "$3" ]
}

chimney_unload
check "module loads" chimney_load
check "ip link add type chimney" ip link add chim0 type chimney
check "link kind is chimney" [ "$(chimney_links)" = chim0 ]
check "starts down without carrier" [ "$(link_state chim0)" = DOWN ]
check "ethtool reports the chimney driver" \
	grep -qx 'driver: chimney' <<<"$(ethtool -i chim0)"

# Keep IPv6 autoconfiguration quiet so every frame sent is ours.
sysctl -qw net.ipv6.conf.chim0.disable_ipv6=1
check "ip link set up" ip link set chim0 up
check "up with carrier" [ "$(link_state chim0)" = UP ]
check "carrier reported in sysfs" [ "$(cat /sys/class/net/chim0/carrier)" = 1 ]

tx0=$(stat_of chim0 tx_packets)
txb0=$(stat_of chim0 tx_bytes)
check "send 25 frames of 100 bytes" send_frames chim0 25 100
check "tx_packets and tx_bytes count them exactly" \
	wait_until 5 counters_are chim0 $((tx0 + 25)) $((txb0 + 2500))
check "nothing received" [ "$(stat_of chim0 rx_packets)" -eq 0 ]

check "mtu 9000 accepted" ip link set chim0 mtu 9000
check_fail "mtu 67 rejected" ip link set chim0 mtu 67 2>/dev/null
check "mtu unchanged after rejection" [ "$(cat /sys/class/net/chim0/mtu)" = 9000 ]

err=$(ip link add chimx address 01:00:00:00:00:01 type chimney 2>&1)
rc=$?
check "multicast address rejected" [ $rc -ne 0 ]
check "rejection carries the extack message" \
	grep -q 'valid unicast address' <<<"$err"
check_fail "no half-created link after rejection" ip link show chimx 2>/dev/null

check "ip link set down" ip link set chim0 down
check "down without carrier" [ "$(link_state chim0)" = DOWN ]

check "second device" ip link add chim3 type chimney
check "ip link del" ip link del chim3
check_fail "deleted device is gone" ip link show chim3 2>/dev/null

NS=$(netns_create)
check "device created in init_net" ip link add chim1 type chimney
check "device moved into a netns" ip link set chim1 netns "$NS"
[ "$(chimney_links -n "$NS")" = chim1 ] && [ "$(chimney_links)" = chim0 ]
check_status $? "device visible only in that netns"
ip netns del "$NS"
NS=
check "netns deletion destroys the device, not refunded to init_net" \
	wait_until 10 [ "$(chimney_links)" = chim0 ]

NS=$(netns_create)
check "device created inside another netns" ip -n "$NS" link add chim2 type chimney
ip -n "$NS" link set chim2 up
ip link set chim0 up
check "rmmod with devices in two namespaces" rmmod chimney
check_fail "unload removed the device in init_net" ip link show chim0 2>/dev/null
check "unload removed the device in the other netns" [ -z "$(chimney_links -n "$NS")" ]
check "module loads again" chimney_load
check "a device can be created again" ip link add chim0 type chimney

tap_done
