#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Netlink fuzzing (chimney_fuzz.py): CHIMNEY_FUZZ_COUNT (100000) mutated
# requests of every command from 4 processes against a device with an
# offloaded connection. Every rejection carries an extack, rejected requests
# change no object count, and the device still works afterwards (the
# kernel log is checked for splats by the runner). make fuzz FUZZ_COUNT=N
# runs a longer campaign.

source "$(dirname "$0")/chimney_lib.sh"
chimney_require
chimney_require_ctl

COUNT=${CHIMNEY_FUZZ_COUNT:-100000}
SEED=${CHIMNEY_FUZZ_SEED:-$RANDOM}
cleanup()
{
	ip link del chimfz0 2>/dev/null
	chimney_unload 2>/dev/null
}
trap cleanup EXIT

chimney_unload
chimney_load
ip link add chimfz0 type chimney
ip link set chimfz0 up
ifindex=$(cat /sys/class/net/chimfz0/ifindex)
offload()
{
	ctl -t 300 -w initiate chimfz0 req "$1" neigh new host 1 dst 02:00:00:00:00:02 \
		path new host 2 src 10.9.0.1 dst 10.9.0.2 mtu 1500 \
		tcp new host 3 lport "$2" rport 2000 mss 1460 state established
}
out=$(offload 1 1000)
set -- $(field handle "$out")
check "a connection to fuzz against: handles $*" [ $# = 3 ]

t0=$SECONDS
python3 "$CHIMNEY_LIB_DIR/chimney_fuzz.py" "$ifindex" "$1" "$2" "$3" "$COUNT" 4 "$SEED" \
	>"/tmp/chimney-fuzz.out" 2>&1
rc=$?
sed 's/^/# /' /tmp/chimney-fuzz.out
check "$COUNT messages (seed $SEED) in $((SECONDS - t0)) s: every rejection with an extack, no count changed by one" \
	[ $rc = 0 ]
# The fuzzer may have set the capacity (a setting, not damage), and the
# virtual hardware may still be busy with the large trees it sent (a
# completion waited for up to 300 s).
ctl dev set chimfz0 capacity 1048576 >/dev/null
out=$(offload 99 1001 2>&1)
got=$(statuses "$out")
check "the device still works afterwards: a new offload succeeds ($got)" \
	[ "$got" = "SUCCESS SUCCESS SUCCESS" ]
[ "$got" = "SUCCESS SUCCESS SUCCESS" ] || diag "$out"
check "and the device goes away cleanly" ip link del chimfz0
check "the module unloads" chimney_unload

tap_done
