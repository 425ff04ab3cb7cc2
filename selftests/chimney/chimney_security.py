#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Privilege checks and a scan of notifications for leaked kernel bytes.

  chimney_security.py denied IFINDEX    every command but the device get, and
                                        joining either multicast group, must
                                        fail with EPERM; the device get works
  chimney_security.py collect OUT       join both groups and write every
                                        notification, hex, a line each, to OUT
                                        until killed (SIGTERM)
  chimney_security.py scan FILE         no notification carries a kernel
                                        pointer or slab poison (uninitialised
                                        bytes under slub_debug=P)

One line per case: "PASS text" or "FAIL text: why".
"""
import errno
import signal
import socket
import struct
import sys

from chimney_badinput import E, Genl, NLM_F_ACK, NLM_F_DUMP, attr, u32

SOL_NETLINK, NETLINK_ADD_MEMBERSHIP = 270, 1
CTRL_ATTR_MCAST_GROUPS, CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_MCAST_GRP_ID = 7, 1, 2
ADMIN_CMDS = ["DEV_SET", "INITIATE", "UPDATE", "INVALIDATE", "QUERY", "TERMINATE", "OBJ_GET",
              "NOTIFY_GET", "SEND", "RECEIVE", "DISCONNECT", "RECEIVE_ANSWER",
              "RECEIVE_RETURN", "FORWARD"]
POISON = b"\x6b" * 8            # POISON_FREE: a slab object's bytes never written
# A direct-map or vmalloc address, or one of the kernel's text or modules.


def nested(data):
    off = 0
    while off + 4 <= len(data):
        alen, atype = struct.unpack_from("=HH", data, off)
        if alen < 4:
            return
        yield atype & 0x3fff, data[off + 4:off + alen]
        off += (alen + 3) & ~3


def groups():
    """{name: id} of the family's multicast groups."""
    g = Genl()
    g.send(0x10, 3, attr(2, b"chimney\0"), 0)       # CTRL_CMD_GETFAMILY
    out = {}
    for _, msg in g.replies():
        for t, v in nested(msg[20:]):
            if t == CTRL_ATTR_MCAST_GROUPS:
                for _, grp in nested(v):
                    a = dict(nested(grp))
                    out[a[CTRL_ATTR_MCAST_GRP_NAME].rstrip(b"\0").decode()] = \
                        struct.unpack("=I", a[CTRL_ATTR_MCAST_GRP_ID][:4])[0]
        return out      # one reply: the request asked for no ACK
    return out


def denied(ifindex):
    g = Genl()
    dev = u32(E["CHIMNEY_A_IFINDEX"], ifindex)
    fails = 0
    for name in ADMIN_CMDS:
        dump = name in ("OBJ_GET", "NOTIFY_GET")
        err, _ = g.result(E["CHIMNEY_CMD_" + name], dev, dump=dump)
        ok = err == errno.EPERM
        fails += not ok
        print("%s %s%s: %s" % ("PASS" if ok else "FAIL", name.lower().replace("_", "-"),
                               " (dump)" if dump else "",
                               os_err(err) if ok else "got " + os_err(err)))
    for name, gid in sorted(groups().items()):
        sk = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
        try:
            sk.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, gid)
            got = 0
        except OSError as e:
            got = e.errno
        ok = got == errno.EPERM
        fails += not ok
        print("%s joining group %s: %s" % ("PASS" if ok else "FAIL", name,
                                          os_err(got) if ok else "got " + os_err(got)))
    err, _ = g.result(E["CHIMNEY_CMD_DEV_GET"], dev)
    fails += err != 0
    print("%s dev-get: %s" % ("PASS" if not err else "FAIL", os_err(err)))
    return fails


def os_err(err):
    return errno.errorcode.get(err, "success") if err else "success"


def collect(out):
    sk = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
    sk.bind((0, 0))
    sk.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
    for gid in groups().values():
        sk.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, gid)
    f = open(out, "w", buffering=1)
    f.write("listening\n")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    while True:
        data = sk.recv(1 << 20)
        while len(data) >= 16:
            length = struct.unpack_from("=I", data)[0]
            f.write(data[:length].hex() + "\n")
            data = data[(length + 3) & ~3:]


def scan(path):
    cmds = {v: k[len("CHIMNEY_CMD_"):].lower() for k, v in E.items()
            if k.startswith("CHIMNEY_CMD_") and not k.endswith("_MAX")}
    seen, bad = {}, []
    for line in open(path):
        line = line.strip()
        if line == "listening" or not line:
            continue
        msg = bytes.fromhex(line)
        name = cmds.get(msg[16], str(msg[16]))
        seen[name] = seen.get(name, 0) + 1
        if POISON in msg:
            bad.append("%s carries slab poison at byte %d" % (name, msg.find(POISON)))
        for off in range(0, len(msg) - 7):
            v = struct.unpack_from("=Q", msg, off)[0]
            if 0xffff888000000000 <= v < 0xffffc90000000000 or \
                    0xffffffff80000000 <= v < 0xffffffffff000000:
                bad.append("%s carries a kernel address %#x at byte %d" % (name, v, off))
                break
    for b in bad[:20]:
        print("FAIL " + b)
    print("%s %d notifications of %d types (%s): no kernel pointer, no uninitialised bytes" % (
        "FAIL" if bad or not seen else "PASS", sum(seen.values()), len(seen),
        ", ".join("%s %d" % kv for kv in sorted(seen.items()))))
    return len(bad) + (not seen)


def main():
    if sys.argv[1] == "denied":
        sys.exit(1 if denied(int(sys.argv[2])) else 0)
    if sys.argv[1] == "collect":
        collect(sys.argv[2])
    if sys.argv[1] == "scan":
        sys.exit(1 if scan(sys.argv[2]) else 0)


if __name__ == "__main__":
    main()
