#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Pin kernel memory through chimney as a user can: devices, each with four
# offloaded connections, each with 65,000-byte sends (no peer: they stay
# outstanding) until refused, and RECEIVES receives of 65,000 bytes. Or,
# with "objects", devices each with CONNS offloaded connections (128 a
# request, each request a neighbor and a path of its own), whose
# completions fill the devices' journals. Prints what was accepted and how
# the rest was refused, then "pinned", and holds it all until killed.
# With "wire", a device whose peer is in the same namespace, one connection
# with a window of 64 MiB and no receive posted, and COUNT segments of LEN
# bytes, pushed, sent at it from the peer's end (a raw socket): prints how
# many bytes the connection accepted ("accepted N", from its RcvNxt) and
# how much the cgroup was charged meanwhile ("charged N"; the memory
# controller charges pages in batches: a few hundred KiB may not show).
# chimney_limits.sh runs it as an unprivileged user in a memory cgroup.
#
#   chimney_pin.py DEVICES RECEIVES
#   chimney_pin.py objects DEVICES CONNS
#   chimney_pin.py wire LEN COUNT

import collections
import errno
import os
import socket
import struct
import subprocess
import sys
import time

from chimney_badinput import (CMD_INITIATE, CMD_OBJ_GET, CMD_RECEIVE, CMD_SEND, A_BLOCKS,
                              A_HANDLE, A_IFINDEX, A_IO_DATA, A_IO_ID, A_IO_LEN, A_OBJ,
                              A_OBJ_TYPE, A_REQ_ID, B_CACHED, B_DELEGATED, B_DEPENDENTS,
                              B_HOST_HANDLE,
                              B_NEW, B_TYPE, NEIGH_A_DL_DESTINATION_ADDRESS, NEIGH_STATE,
                              NLM_F_ACK, NLM_F_DUMP, NLMSG_DONE, NLMSG_ERROR, TCP_A_RCV_NXT,
                              TCP_A_RCV_WND, TCP_STATE, Genl, attr, neigh_open, nest, path4,
                              tcp, parse_attrs, u8, u32, u64)


def tcp_handles(g, ifindex):
    """The handles of the device's connections, from an object dump."""
    g.send(g.family, CMD_OBJ_GET, u32(A_IFINDEX, ifindex), NLM_F_DUMP)
    handles = []
    for mtype, msg in g.replies():
        if mtype in (NLMSG_ERROR, NLMSG_DONE):
            continue
        found = parse_attrs(msg, 20)
        if found.get(A_OBJ_TYPE) == bytes([TCP_STATE]):
            handles.append(struct.unpack("=Q", found[A_HANDLE])[0])
    return handles


def add_devices(n, accepted, refused):
    devs = []
    for d in range(n):
        name = f"pin{d}"
        if subprocess.run(["ip", "link", "add", name, "type", "chimney"],
                          capture_output=True).returncode:
            refused["device"] += 1
            break
        accepted["device"] += 1
        devs.append(link(name)[0])
    return devs


def objects(g, devs, conns, accepted, refused):
    """CONNS connections on each device, 128 a request."""
    for ifindex in devs:
        dev = u32(A_IFINDEX, ifindex)
        for first in range(0, conns, 128):
            n = min(128, conns - first)
            err, _ = g.result(CMD_INITIATE, dev + u64(A_REQ_ID, first) + nest(A_BLOCKS, nest(
                1, *neigh_open, nest(B_DEPENDENTS, path4(2, *[
                    tcp(3 + first + c, lport=1000 + first + c) for c in range(n)])))))
            if err:
                refused[f"initiate {os.strerror(err)}"] += 1
                return
            accepted["connection"] += n


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def link(name):
    """A device's ifindex and MAC address. Not from /sys/class/net: sysfs
    shows the namespace it was mounted in."""
    out = subprocess.run(["ip", "-o", "link", "show", name], capture_output=True,
                         text=True).stdout.split()
    return int(out[0].rstrip(":")), bytes.fromhex(out[out.index("link/ether") + 1].replace(":", ""))


def mac(name):
    return link(name)[1]


def charged():
    with open("/proc/self/cgroup") as f:
        cg = f.read().strip().split("::")[-1]
    with open(f"/sys/fs/cgroup{cg}/memory.current") as f:
        return int(f.read())


def wire(g, seglen, count):
    """COUNT pushed segments of SEGLEN bytes from the peer, at a connection
    with no receive posted: what stays is charged to this cgroup."""
    rcv_nxt = 1000
    for cmd in (["ip", "link", "add", "pw0", "type", "chimney", "peer", "name", "pw0p"],
                ["ip", "link", "set", "pw0", "up"], ["ip", "link", "set", "pw0p", "up"]):
        subprocess.run(cmd, check=True)
    ifindex = link("pw0")[0]
    dev = u32(A_IFINDEX, ifindex)
    neigh = (u8(B_TYPE, NEIGH_STATE), attr(B_NEW, b""), u64(B_HOST_HANDLE, 1),
             nest(B_CACHED, attr(NEIGH_A_DL_DESTINATION_ADDRESS, mac("pw0p"))))
    err, _ = g.result(CMD_INITIATE, dev + u64(A_REQ_ID, 1) + nest(A_BLOCKS, nest(
        1, *neigh, nest(B_DEPENDENTS, path4(2, tcp(3, u32(TCP_A_RCV_NXT, rcv_nxt),
                                                   u32(TCP_A_RCV_WND, 64 << 20)))))))
    if err:
        sys.exit(f"initiate: {os.strerror(err)}")
    for _ in range(50):
        handles = tcp_handles(g, ifindex)
        if handles:
            break
        time.sleep(0.1)
    # 10.0.0.2:2000 to 10.0.0.1:1000 (chimney_badinput's path4 and tcp).
    src, dst = b"\x0a\0\0\2", b"\x0a\0\0\1"
    eth = mac("pw0") + mac("pw0p") + b"\x08\x00"
    sk = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    sk.bind(("pw0p", 0))
    payload = b"x" * seglen
    before = charged()
    for i in range(count):
        th = struct.pack("!HHIIBBHHH", 2000, 1000, rcv_nxt + i * seglen, 0, 5 << 4,
                         0x18, 65535, 0, 0)
        pseudo = src + dst + struct.pack("!BBH", 0, 6, len(th) + seglen)
        th = th[:16] + struct.pack("!H", csum(pseudo + th + payload)) + th[18:]
        ih = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(th) + seglen, i & 0xffff, 0x4000,
                         64, 6, 0, src, dst)
        ih = ih[:10] + struct.pack("!H", csum(ih)) + ih[12:]
        while True:
            try:
                sk.send(eth + ih + th + payload)
                break
            except OSError as e:
                if e.errno != errno.ENOBUFS:
                    raise
                time.sleep(0.01)
        if i % 64 == 63:
            time.sleep(0.005)      # the engine's backlog is a NIC's ring
    time.sleep(2)
    g.send(g.family, CMD_OBJ_GET, dev + u64(A_HANDLE, handles[0]), NLM_F_ACK)
    for mtype, msg in g.replies():
        if mtype in (NLMSG_ERROR, NLMSG_DONE):
            continue
        nested = 0x8000        # NLA_F_NESTED, which the kernel sets on its nests
        obj = parse_attrs(parse_attrs(msg, 20)[A_OBJ | nested], 0)
        delegated = parse_attrs(obj[B_DELEGATED | nested], 0)
        print("accepted", struct.unpack("=I", delegated[TCP_A_RCV_NXT])[0] - rcv_nxt)
    print("charged", charged() - before, flush=True)


def main():
    g = Genl()
    accepted = collections.Counter()
    refused = collections.Counter()
    if sys.argv[1] == "wire":
        wire(g, int(sys.argv[2]), int(sys.argv[3]))
        print("pinned", flush=True)
        time.sleep(600)
        return
    if sys.argv[1] == "objects":
        devs = add_devices(int(sys.argv[2]), accepted, refused)
        objects(g, devs, int(sys.argv[3]), accepted, refused)
        # Queued, then processed: held once the last device has them all.
        for _ in range(600):
            if not devs or len(tcp_handles(g, devs[-1])) >= int(sys.argv[3]):
                break
            time.sleep(0.1)
        print("accepted:", dict(accepted))
        print("refused:", dict(refused))
        print("pinned", flush=True)
        time.sleep(600)
        return
    devs = add_devices(int(sys.argv[1]), accepted, refused)
    receives = int(sys.argv[2])
    conns = []
    for ifindex in devs:
        dev = u32(A_IFINDEX, ifindex)
        err, _ = g.result(CMD_INITIATE, dev + u64(A_REQ_ID, 1) + nest(A_BLOCKS, nest(
            1, *neigh_open, nest(B_DEPENDENTS, path4(2, *[tcp(3 + c, lport=1000 + c)
                                                          for c in range(4)])))))
        if err:
            refused[f"initiate {os.strerror(err)}"] += 1
            continue
        for _ in range(50):
            handles = tcp_handles(g, ifindex)
            if len(handles) == 4:
                break
            time.sleep(0.1)
        conns += [(dev, h) for h in handles]
    full = False
    for dev, h in conns:
        ops = [(CMD_SEND, "send", lambda i: attr(A_IO_DATA, b"x" * 65000), 100),
               (CMD_RECEIVE, "receive", lambda i: u32(A_IO_LEN, 65000), receives + 1)]
        for cmd, what, payload, count in ops:
            for i in range(1, count):
                err, _ = g.result(cmd, dev + u64(A_HANDLE, h) + u64(A_IO_ID, i) + payload(i))
                if err:
                    refused[f"{what} {os.strerror(err)}"] += 1
                    full = err == errno.ENOMEM
                    break
                accepted[what] += 1
            if full:
                break
        if full:
            break
    print("accepted:", dict(accepted))
    print("refused:", dict(refused))
    print("pinned", flush=True)
    time.sleep(600)


if __name__ == "__main__":
    main()
