#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo, inside the guest: load the module, create an offload target
# device, show it, pass frames through it and remove it again.
set -euo pipefail

ko=${CHIMNEY_KO:-$(dirname "$0")/../build/${CHIMNEY_VM_KERNEL:-stock}/chimney/chimney.ko}

say()
{
	printf '\n== %s\n' "$*"
}

run()
{
	echo "\$ $*"
	"$@"
}

say "kernel $(uname -r): loading chimney.ko"
run insmod "$ko"
grep -E '^chimney ' /proc/modules

say "create an offload target device"
run ip link add chim0 type chimney
run ip -d link show chim0
run ethtool -i chim0

say "bring it up: carrier on"
sysctl -qw net.ipv6.conf.chim0.disable_ipv6=1
run ip link set chim0 up
run ip -br link show chim0

say "send 10 frames of 200 bytes through it: the counters see them"
python3 - <<'PY'
import socket
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("chim0", 0))
for _ in range(10):
    s.send(bytes.fromhex("020000000001020000000002" "88b5") + bytes(186))
PY
run ip -s link show chim0

say "a device in another network namespace goes away with it"
run ip netns add demo
run ip -n demo link add chim1 type chimney
run ip -n demo -br link show chim1
run ip netns del demo

say "delete the device and unload the module"
run ip link del chim0
run rmmod chimney
echo "chimney devices left: $(ip -o link show type chimney | wc -l)"
say "demo done"
