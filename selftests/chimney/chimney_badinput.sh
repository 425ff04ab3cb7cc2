#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Malformed requests over a raw generic netlink socket (chimney_badinput.py):
# each is refused with an errno and an extack, and nothing changes.

source "$(dirname "$0")/chimney_lib.sh"
chimney_require

cleanup()
{
	ip link del chimbad0 2>/dev/null
	chimney_unload 2>/dev/null
}
trap cleanup EXIT

chimney_unload
chimney_load
ip link add chimbad0 type chimney
ifindex=$(cat /sys/class/net/chimbad0/ifindex)

while read -r verdict text; do
	check "${text%%: *}" [ "$verdict" = PASS ]
	echo "#   $text"
done < <(python3 "$CHIMNEY_LIB_DIR/chimney_badinput.py" "$ifindex")
check "the device still works afterwards" ip link set chimbad0 up

tap_done
