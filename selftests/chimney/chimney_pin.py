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
# chimney_limits.sh runs it as an unprivileged user in a memory cgroup.
#
#   chimney_pin.py DEVICES RECEIVES
#   chimney_pin.py objects DEVICES CONNS

import collections
import errno
import os
import struct
import subprocess
import sys
import time

from chimney_badinput import (CMD_INITIATE, CMD_OBJ_GET, CMD_RECEIVE, CMD_SEND, A_BLOCKS,
                              A_HANDLE, A_IFINDEX, A_IO_DATA, A_IO_ID, A_IO_LEN,
                              A_OBJ_TYPE, A_REQ_ID, B_DEPENDENTS, NLM_F_DUMP, NLMSG_DONE,
                              NLMSG_ERROR, TCP_STATE, Genl, attr, neigh_open, nest, path4,
                              tcp, parse_attrs, u32, u64)


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
        # Not /sys/class/net: sysfs shows the namespace it was mounted in.
        devs.append(int(subprocess.run(["ip", "-o", "link", "show", name],
                                       capture_output=True, text=True).stdout.split(":")[0]))
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


def main():
    g = Genl()
    accepted = collections.Counter()
    refused = collections.Counter()
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
