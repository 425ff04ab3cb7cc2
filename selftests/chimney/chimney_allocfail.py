#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Allocation-failure sweep: every operation with its k-th allocation failed.

  chimney_allocfail.py [OPERATION...]

For each operation (device creation, initiate, update, query, invalidate,
terminate, send, receive, disconnect, forward) and k = 1, 2, ...: a fresh
device processing requests inline (debugfs inline_requests), for most
operations with a connection offloaded on it, then the operation with the
k-th fault-injection point of this thread failed (/proc/thread-self/
fail-nth: slab and page allocations alike), until it runs with none
failed. Each time:

  - the reply is success, ENOMEM or ENOBUFS, or an error with an extack;
  - a request the device accepted has exactly one completion (after a
    terminate, for I/O), and one it refused none, as the notification
    journal replays them; or the journal says it lost one (ERANGE);
  - a refused request leaves the object counts as they were, and every
    object the device shows is whole: its parent is there too;
  - a device is created with its peer, or neither is there.

Prints "PASS OPERATION: N allocations swept" or "FAIL ..." lines; exits 1
on any failure. Needs CONFIG_FAULT_INJECTION, failslab with
ignore-gfp-wait N, and the chimney module loaded.
"""
import collections
import errno
import glob
import os
import socket
import struct
import sys

from chimney_badinput import Genl, NLM_F_ACK, NLM_F_DUMP, NLMSG_DONE, NLMSG_ERROR, \
    NLMSGERR_ATTR_MISS_TYPE, NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS
from chimney_fuzz import C, a, counts, encode, le, seeds

NETLINK_ROUTE, RTM_NEWLINK, RTM_DELLINK = 0, 16, 17
NLM_F_REQUEST, NLM_F_EXCL, NLM_F_CREATE = 1, 0x200, 0x400
IFLA_IFNAME, IFLA_LINKINFO, IFLA_INFO_KIND, IFLA_INFO_DATA = 3, 18, 1, 2
DEV, PEER = "chimaf0", "chimaf0p"
REQ_ID, IO_ID = 7, 9
BUF = bytearray(1 << 16)


class FailNth:
    """The k-th fault-injection point of this thread fails."""

    def __init__(self):
        self.fd = os.open("/proc/thread-self/fail-nth", os.O_RDWR)

    def arm(self, k):
        os.pwrite(self.fd, b"%d" % k, 0)

    def disarm(self):
        """True if the failure was injected."""
        left = int(os.pread(self.fd, 32, 0) or b"0")
        os.pwrite(self.fd, b"0", 0)
        return left == 0


def rtnl(mtype, flags, attrs):
    sk = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_ROUTE)
    body = struct.pack("=BxHiII", 0, 0, 0, 0, 0) + encode(attrs)
    msg = struct.pack("=IHHII", 16 + len(body), mtype, NLM_F_REQUEST | NLM_F_ACK | flags,
                      1, 0) + body
    return sk, msg


def rtnl_result(sk):
    n = sk.recv_into(BUF)
    return -struct.unpack_from("=i", BUF, 16)[0] if n >= 20 else 0


def newlink():
    ifinfo = struct.pack("=BxHiII", 0, 0, 0, 0, 0)
    peer = ifinfo + encode([a(IFLA_IFNAME, PEER.encode() + b"\0")])
    return rtnl(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL,
                [a(IFLA_IFNAME, DEV.encode() + b"\0"),
                 a(IFLA_LINKINFO, [a(IFLA_INFO_KIND, b"chimney\0"),
                                   a(IFLA_INFO_DATA, [a(C["LINK_A_PEER"], peer)])])])


def exists(name):
    return os.path.exists("/sys/class/net/" + name)


def dellink():
    if exists(DEV):
        sk, msg = rtnl(RTM_DELLINK, 0, [a(IFLA_IFNAME, DEV.encode() + b"\0")])
        sk.send(msg)
        rtnl_result(sk)


def debugfs(ifindex):
    for path in glob.glob("/sys/kernel/debug/chimney/*/ifindex"):
        if int(open(path).read()) == ifindex:
            return os.path.dirname(path)
    raise SystemExit("no debugfs directory for ifindex %d" % ifindex)


def objects(dbg):
    """{handle: (type, parent, host handle)} as the device shows them."""
    out = {}
    for line in open(os.path.join(dbg, "objects")).read().splitlines()[1:]:
        h, t, parent, host, _ = line.split()
        out[int(h, 0)] = (int(t), int(parent, 0), int(host, 0))
    return out


def valid(tree):
    """The tree without TCP_A_PAD, which no request may carry."""
    return [[t, valid(v) if isinstance(v, list) else v] for t, v in tree
            if isinstance(v, list) or t != C["TCP_A_PAD"] or len(v)]


def first_seeds(ifindex, handles):
    """The first valid request of each command (seeds() has two initiates)."""
    out = {}
    for cmd, dump, payload in seeds(ifindex, *handles):
        if not dump:
            out.setdefault(cmd, valid(payload))
    return out


def device(g, connect):
    """A fresh device processing requests inline, with a connection."""
    sk, msg = newlink()
    sk.send(msg)
    err = rtnl_result(sk)
    if err:
        raise SystemExit("cannot create the device: " + os.strerror(err))
    ifindex = int(open("/sys/class/net/%s/ifindex" % DEV).read())
    dbg = debugfs(ifindex)
    with open(os.path.join(dbg, "inline_requests"), "w") as f:
        f.write("Y")
    handles = (0, 0, 0)
    if connect:
        init = first_seeds(ifindex, handles)[C["CMD_INITIATE"]]
        err, tlvs = g.result(C["CMD_INITIATE"], encode(init))
        byhost = {v[2]: h for h, v in objects(dbg).items()}
        handles = tuple(byhost.get(i, 0) for i in (1, 2, 3))
        if err or 0 in handles:
            raise SystemExit("cannot offload a connection: %s %s %s" % (
                os.strerror(err), tlvs.get(NLMSGERR_ATTR_MSG, b""), objects(dbg)))
    return ifindex, dbg, handles


def request(ifindex, handles, op):
    """The operation's (command, attributes) on the device's objects."""
    neigh, path, tcp = handles
    dev = a(C["A_IFINDEX"], le("I", ifindex))

    def ref(t, h, deps=None):
        blk = [a(C["BLOCK_A_TYPE"], le("B", t)), a(C["BLOCK_A_HANDLE"], le("Q", h))]
        return a(1, blk + ([a(C["BLOCK_A_DEPENDENTS"], deps)] if deps else []))

    tree = a(C["A_BLOCKS"], [ref(C["NEIGHBOR_OFFLOAD_STATE"], neigh,
                                 [ref(C["IP4_OFFLOAD_STATE"], path,
                                      [ref(C["TCP_OFFLOAD_STATE"], tcp)])])])
    req = a(C["A_REQ_ID"], le("Q", REQ_ID))
    by_cmd = first_seeds(ifindex, handles)
    if op == "invalidate":
        return C["CMD_INVALIDATE"], [dev, req, a(C["A_BLOCKS"], [
            ref(C["NEIGHBOR_OFFLOAD_STATE"], neigh)])]
    if op == "terminate":
        return C["CMD_TERMINATE"], [dev, req, tree]
    if op == "query":
        return C["CMD_QUERY"], [dev, req, tree]
    return C["CMD_" + op.upper()], by_cmd[C["CMD_" + op.upper()]]


def attrs(msg, off=20):
    out = {}
    while off + 4 <= len(msg):
        alen, atype = struct.unpack_from("=HH", msg, off)
        if alen < 4:
            break
        out[atype & 0x3fff] = msg[off + 4:off + alen]
        off += (alen + 3) & ~3
    return out


def replay(g, ifindex, seq):
    """The notifications from seq on, as (command, attributes); None: lost."""
    g.send(g.family, C["CMD_NOTIFY_GET"],
           encode([a(C["A_IFINDEX"], le("I", ifindex)), a(C["A_SEQ"], le("Q", seq))]),
           NLM_F_DUMP)
    out = []
    for mtype, msg in g.replies():
        if mtype == NLMSG_ERROR:
            err = -struct.unpack_from("=i", msg, 16)[0]
            if err == errno.ERANGE:
                return None
            raise SystemExit("replay failed: " + os.strerror(err))
        if mtype == NLMSG_DONE:
            err = -struct.unpack_from("=i", msg, 16)[0] if len(msg) >= 20 else 0
            if err == errno.ERANGE:
                return None
            continue
        out.append((msg[16], attrs(msg)))
    return out


def next_seq(g, ifindex):
    g.send(g.family, C["CMD_DEV_GET"], encode([a(C["A_IFINDEX"], le("I", ifindex))]), NLM_F_ACK)
    seq = None
    for mtype, msg in g.replies():
        if mtype not in (NLMSG_ERROR, NLMSG_DONE):
            seq = struct.unpack("=Q", attrs(msg)[C["A_SEQ"]][:8])[0]
    return seq


def whole(objs):
    """Every object's parent is there too."""
    return all(parent == 0 or parent in objs for _, parent, _ in objs.values())


IO_DONE = {"send": "CMD_SEND_COMPLETE", "receive": "CMD_RECEIVE_COMPLETE",
           "disconnect": "CMD_DISCONNECT_COMPLETE", "forward": "CMD_FORWARD_COMPLETE"}


def completions(notes, op):
    """How many completions of the operation's request the replay holds."""
    if op in IO_DONE:
        cmd, key, want = C[IO_DONE[op]], C["A_IO_ID"], IO_ID
    else:
        cmd, key, want = C["CMD_%s_COMPLETE" % op.upper()], C["A_REQ_ID"], REQ_ID
    return sum(1 for c, at in notes
               if c == cmd and struct.unpack("=Q", at.get(key, b"\0" * 8)[:8])[0] == want)


def sweep_newlink(fail, seen):
    for k in range(1, 100000):
        sk, msg = newlink()
        fail.arm(k)
        try:
            sk.send(msg)
            err = rtnl_result(sk)
        except OSError:
            err = None      # not sent, or the ACK could not be built: either way
        injected = fail.disarm()
        both, either = exists(DEV) and exists(PEER), exists(DEV) or exists(PEER)
        if injected:
            seen["no reply" if err is None else errno.errorcode.get(err, "created")] += 1
        dellink()
        if either and not both or err is not None and (err == 0) != both:
            return k, "k=%d: %s, yet the device %s" % (
                k, os.strerror(err) if err else "no error known",
                "and its peer are there" if both else "or its peer is half there")
        if not injected:
            return k - 1, None
    return k, "never ran without a failure"


def sweep(g, fail, op, seen):
    for k in range(1, 100000):
        ifindex, dbg, handles = device(g, op != "initiate")
        cmd, payload = request(ifindex, handles, op)
        seq = next_seq(g, ifindex)
        before, objs_before = counts(g, ifindex), objects(dbg)
        g.seq += 1
        body = struct.pack("=BBH", cmd, 1, 0) + encode(payload)
        msg = struct.pack("=IHHII", 16 + len(body), g.family, NLM_F_REQUEST | NLM_F_ACK,
                          g.seq, 0) + body
        fail.arm(k)
        try:
            g.sk.send(msg)
            n = g.sk.recv_into(BUF)
            reply = bytes(BUF[:n])
        except OSError as e:
            reply = e.errno
        injected = fail.disarm()
        if isinstance(reply, int):
            err, tlvs, known = reply, {}, False     # the ACK itself could not be built
        else:
            err = -struct.unpack_from("=i", reply, 16)[0]
            tlvs, known = attrs(reply, 36), True
        why = "k=%d (%s)" % (k, os.strerror(err) if err else "accepted")
        if injected:
            seen[errno.errorcode.get(err, "accepted") if known else "no reply"] += 1
        if known and err and err not in (errno.ENOMEM, errno.ENOBUFS) and not any(
                t in tlvs for t in (NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS,
                                    NLMSGERR_ATTR_MISS_TYPE)):
            return k, why + ": an error without an extack"
        objs = objects(dbg)
        if not whole(objs):
            return k, why + ": an object without its parent: %s" % objs
        if known and err and (counts(g, ifindex) != before or objs != objs_before):
            return k, why + ": the refused request changed the objects"
        if op in IO_DONE and op != "forward" and (err == 0 or not known) and handles[2] in objs:
            # Outstanding I/O completes at the latest when the connection goes.
            cmd, payload = request(ifindex, handles, "terminate")
            g.result(cmd, encode(payload))
        notes = replay(g, ifindex, seq)
        if notes is not None:
            got = completions(notes, op)
            if known and got != (0 if err else 1):
                return k, why + ": %d completions" % got
            if not known and got > 1:
                return k, why + ": %d completions" % got
        dellink()
        if not injected:
            return k - 1, None
    return k, "never ran without a failure"


def main():
    ops = sys.argv[1:] or ["newlink", "initiate", "update", "query", "invalidate",
                           "terminate", "send", "receive", "disconnect", "forward"]
    fail = FailNth()
    g = Genl()
    failed = 0
    for op in ops:
        dellink()
        seen = collections.Counter()
        n, problem = sweep_newlink(fail, seen) if op == "newlink" else sweep(g, fail, op, seen)
        if problem:
            failed += 1
            print("FAIL %s: %s" % (op, problem))
        else:
            print("PASS %s: %d allocations swept (%s)" % (
                op, n, ", ".join("%s %d" % kv for kv in sorted(seen.items()))))
        sys.stdout.flush()
    dellink()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
