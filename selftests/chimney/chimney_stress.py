#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Concurrency stress: several processes drive one device at once.

  chimney_stress.py IFINDEX PEER-MAC SRC-IP PEER-IP SECONDS [END-COMMAND [pause-dumps]]

For SECONDS, side by side, while the caller runs traffic on the wire:
  - two offloaders initiate connections (1 to 4 per request) under one
    neighbor and path toward the peer, whose TCP answers their segments
    with RST (no socket there);
  - a churner updates the neighbor and the path, and queries, updates,
    invalidates and terminates connections picked from its latest dump;
  - an I/O poster posts sends, receives and disconnects on picked ones;
  - a dumper dumps objects, devices and notifications;
  - a listener joins both groups (a 64 MiB buffer) and records every
    notification.
Every process picks from the same objects, so they overlap. END-COMMAND
(a shell command: ip link del, netns deletion, rmmod), if given, runs at
half time while all of them go on; with "pause-dumps", no new dump starts
from then on (a dump in progress holds the module: rmmod would be refused).

Then: without END-COMMAND, everything left is terminated and the counts
must return to zero with nothing pending. Always: every request the device
accepted has exactly one completion and every one it refused none (request
ids are unique); the same for I/O requests; the listener saw no overrun,
no lost notification and no sequence gap. "PASS text" or "FAIL text" lines.
"""
import collections
import errno
import multiprocessing
import os
import random
import socket
import struct
import subprocess
import sys
import time

from chimney_badinput import NLM_F_DUMP, NLMSG_DONE, NLMSG_ERROR, Genl
from chimney_fuzz import C, a, counts, encode, le
from chimney_security import SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, groups, nested

NEIGH, PATH, TCP = C["NEIGHBOR_OFFLOAD_STATE"], C["IP4_OFFLOAD_STATE"], C["TCP_OFFLOAD_STATE"]
STATE_CMDS = {C["CMD_" + n]: C["CMD_%s_COMPLETE" % n]
              for n in ("INITIATE", "UPDATE", "INVALIDATE", "QUERY", "TERMINATE")}
IO_CMDS = {C["CMD_SEND"]: C["CMD_SEND_COMPLETE"], C["CMD_RECEIVE"]: C["CMD_RECEIVE_COMPLETE"],
           C["CMD_DISCONNECT"]: C["CMD_DISCONNECT_COMPLETE"]}


def u64(v):
    return struct.unpack("=Q", v[:8])[0]


def block(btype, handle=None, deps=None, extra=()):
    blk = [a(C["BLOCK_A_TYPE"], le("B", btype))]
    if handle is not None:
        blk.append(a(C["BLOCK_A_HANDLE"], le("Q", handle)))
    blk += list(extra)
    if deps:
        blk.append(a(C["BLOCK_A_DEPENDENTS"], deps))
    return a(1, blk)


def new_tcp(port, seq):
    return a(1, [a(C["BLOCK_A_TYPE"], le("B", TCP)), a(C["BLOCK_A_NEW"], b""),
                 a(C["BLOCK_A_HOST_HANDLE"], le("Q", port)),
                 a(C["BLOCK_A_CONST"], [a(C["TCP_A_LOCAL_PORT"], le("H", port)),
                                        a(C["TCP_A_REMOTE_PORT"], le("H", 7)),
                                        a(C["TCP_A_REMOTE_MSS"], le("H", 1460))]),
                 a(C["BLOCK_A_CACHED"], [a(C["TCP_A_INITIAL_RCV_WND"], le("I", 65535))]),
                 a(C["BLOCK_A_DELEGATED"], [
                     a(C["TCP_A_STATE"], le("B", C["TCP_CONNECTION_ESTABLISHED"])),
                     a(C["TCP_A_RCV_NXT"], le("I", seq)),
                     a(C["TCP_A_SND_UNA"], le("I", seq)),
                     a(C["TCP_A_SND_NXT"], le("I", seq)),
                     a(C["TCP_A_SND_MAX"], le("I", seq))])])


def objects(g, ifindex):
    """{handle: type} of the device's objects, by dump; {} once it is gone."""
    g.send(g.family, C["CMD_OBJ_GET"], encode([a(C["A_IFINDEX"], le("I", ifindex))]),
           NLM_F_DUMP)
    out = {}
    for mtype, msg in g.replies():
        if mtype in (NLMSG_ERROR, NLMSG_DONE):
            continue
        at = dict(nested(msg[20:]))
        if C["A_HANDLE"] in at and C["A_OBJ_TYPE"] in at:
            out[u64(at[C["A_HANDLE"]])] = at[C["A_OBJ_TYPE"]][0]
    return out


class Worker:
    """One process's requests, with ids of its own, and what became of them."""

    def __init__(self, k, ifindex, top, nodump=None):
        self.g, self.k, self.n, self.ifindex = Genl(), k, 0, ifindex
        self.nodump = nodump
        self.neigh, self.path = top
        self.rng = random.Random(k)
        self.accepted, self.refused, self.io_ok, self.io_refused = [], 0, [], 0
        self.conns = []

    def next_id(self):
        self.n += 1
        return self.k << 40 | self.n

    def state(self, cmd, blocks):
        rid = self.next_id()
        err, _ = self.g.result(cmd, encode([a(C["A_IFINDEX"], le("I", self.ifindex)),
                                            a(C["A_REQ_ID"], le("Q", rid)),
                                            a(C["A_BLOCKS"], blocks)]))
        if err:
            self.refused += 1
            self.backoff(err)
        else:
            self.accepted.append(rid)

    def io(self, cmd, handle, extra):
        iid = self.next_id()
        err, _ = self.g.result(cmd, encode([a(C["A_IFINDEX"], le("I", self.ifindex)),
                                            a(C["A_HANDLE"], le("Q", handle)),
                                            a(C["A_IO_ID"], le("Q", iid))] + extra))
        if err:
            self.io_refused += 1
            self.backoff(err)
        else:
            self.io_ok.append(iid)

    def backoff(self, err):
        # The device or the family is gone: keep asking, not spinning.
        if err in (errno.ENODEV, errno.ENOENT):
            time.sleep(0.005)

    def tree(self, deps):
        return [block(NEIGH, self.neigh, [block(PATH, self.path, deps)])]

    def pick(self):
        """One to three connections of the latest dump (none: a dump)."""
        if self.nodump and self.nodump.is_set():
            pass
        elif not self.conns or self.rng.random() < 0.05:
            self.conns = [h for h, t in objects(self.g, self.ifindex).items() if t == TCP]
        return self.rng.sample(self.conns, min(len(self.conns), self.rng.randint(1, 3)))

    def offloader(self):
        port = 10000 + (self.k - 1) * 25000 + self.n % 25000
        self.state(C["CMD_INITIATE"], self.tree(
            [new_tcp(port + i, self.rng.getrandbits(32)) for i in range(self.rng.randint(1, 4))]))

    def churner(self):
        op = self.rng.choice(["neigh", "path", "query", "update", "invalidate", "terminate"])
        if op == "neigh":
            self.state(C["CMD_UPDATE"], [block(NEIGH, self.neigh, extra=[a(
                C["BLOCK_A_CACHED"], [a(C["NEIGH_A_HOST_REACHABILITY_DELTA"],
                                        le("I", self.rng.randint(0, 100)))])])])
        elif op == "path":
            self.state(C["CMD_UPDATE"], [block(NEIGH, self.neigh, [block(PATH, self.path, extra=[
                a(C["BLOCK_A_CACHED"], [a(C["PATH_A_PATH_MTU"], le("I", 1500))])])])])
        else:
            picks = self.pick()
            extra = [a(C["BLOCK_A_CACHED"], [a(C["TCP_A_INITIAL_RCV_WND"], le("I", 65535))])] \
                if op == "update" else []
            if picks:
                self.state(C["CMD_" + op.upper()],
                           self.tree([block(TCP, h, extra=extra) for h in picks]))
            if op == "terminate":
                self.conns = []

    def poster(self):
        for h in self.pick():
            cmd = self.rng.choice(list(IO_CMDS))
            if cmd == C["CMD_SEND"]:
                extra = [a(C["A_IO_DATA"], b"s" * self.rng.randint(1, 3000))]
            elif cmd == C["CMD_RECEIVE"]:
                extra = [a(C["A_IO_LEN"], le("I", 1000))]
            else:
                extra = [a(C["A_IO_FLAGS"], le("I", self.rng.choice(
                    [0, C["IO_ABORTIVE_CLOSE"]])))]
            self.io(cmd, h, extra)

    def dumper(self):
        """Objects, devices, and the last 200 notifications again."""
        if self.nodump.is_set():
            time.sleep(0.1)
            return
        objects(self.g, self.ifindex)
        seq = 1
        self.g.send(self.g.family, C["CMD_DEV_GET"], b"", NLM_F_DUMP)
        for mtype, msg in self.g.replies():
            at = dict(nested(msg[20:])) if mtype not in (NLMSG_ERROR, NLMSG_DONE) else {}
            if C["A_SEQ"] in at:
                seq = max(1, u64(at[C["A_SEQ"]]) - 200)
        self.g.send(self.g.family, C["CMD_NOTIFY_GET"], encode([
            a(C["A_IFINDEX"], le("I", self.ifindex)), a(C["A_SEQ"], le("Q", seq))]), NLM_F_DUMP)
        for _ in self.g.replies():
            pass


def work(role, k, ifindex, top, stop, nodump, out):
    w = Worker(k, ifindex, top, nodump)
    ops = 0
    while not stop.is_set():
        getattr(w, role)()
        ops += 1
    out.put((role, ops, w.accepted, w.refused, w.io_ok, w.io_refused))


def listen(ready, stop, out):
    """Every notification: completions by id, and what went wrong."""
    sk = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
    sk.bind((0, 0))
    sk.setsockopt(socket.SOL_SOCKET, 33, 64 << 20)      # SO_RCVBUFFORCE
    for gid in groups().values():
        sk.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, gid)
    sk.settimeout(3)
    done, io_done = collections.Counter(), collections.Counter()
    trouble, prev, notes = [], None, 0
    ready.set()
    while True:
        try:
            data = sk.recv(1 << 20)
        except socket.timeout:
            if stop.is_set():
                break
            continue
        except OSError as e:
            trouble.append("the listener overran: " + os.strerror(e.errno))
            continue
        while len(data) >= 20:
            length = struct.unpack_from("=I", data)[0]
            cmd, at = data[16], dict(nested(data[20:length]))
            data = data[(length + 3) & ~3:]
            notes += 1
            seq = u64(at[C["A_SEQ"]]) if C["A_SEQ"] in at else None
            if prev is not None and seq is not None and seq != prev + 1:
                trouble.append("sequence gap: %d then %d" % (prev, seq))
            prev = seq if seq is not None else prev
            if cmd == C["CMD_NOTIFY_LOST"]:
                trouble.append("notification %s lost" % seq)
            elif cmd in STATE_CMDS.values() and C["A_REQ_ID"] in at:
                done[u64(at[C["A_REQ_ID"]])] += 1
            elif cmd in IO_CMDS.values() and C["A_IO_ID"] in at:
                io_done[u64(at[C["A_IO_ID"]])] += 1
    out.put((notes, done, io_done, trouble))


def once(ids, done, what):
    """Each id completed exactly once; nothing else completed."""
    ids = set(ids)
    bad = [i for i in ids if done.get(i, 0) != 1]
    extra = [i for i in done if i not in ids and i >> 40]
    for i in bad[:5]:
        print("FAIL %s %#x completed %d times" % (what, i, done.get(i, 0)))
    for i in extra[:5]:
        print("FAIL %s %#x refused, yet completed" % (what, i))
    return not bad and not extra


def drain(g, ifindex, top):
    """Terminate every connection left, then the path and the neighbor (a
    connection whose terminate is still pending is refused: in two rounds)."""
    w = Worker(0xff, ifindex, top)
    for _ in range(2):
        conns = [h for h, t in objects(g, ifindex).items() if t == TCP]
        for i in range(0, len(conns), 32):
            w.state(C["CMD_TERMINATE"], w.tree([block(TCP, h) for h in conns[i:i + 32]]))
        time.sleep(1)
    w.state(C["CMD_TERMINATE"], w.tree([]))
    for _ in range(100):
        if not any(counts(g, ifindex).values()):
            break
        time.sleep(0.1)
    return w


def main():
    ifindex, mac, src, dst, secs = sys.argv[1:6]
    ifindex, secs = int(ifindex), float(secs)
    end = sys.argv[6] if len(sys.argv) > 6 else None
    g = Genl()
    ctx = multiprocessing.get_context("fork")
    ready, stop, lstop, nodump = (ctx.Event() for _ in range(4))
    out, lout = ctx.Queue(), ctx.Queue()
    listener = ctx.Process(target=listen, args=(ready, lstop, lout))
    listener.start()
    ready.wait(10)

    # The neighbor and path everyone shares.
    err, _ = g.result(C["CMD_INITIATE"], encode([
        a(C["A_IFINDEX"], le("I", ifindex)), a(C["A_REQ_ID"], le("Q", 1)),
        a(C["A_BLOCKS"], [a(1, [
            a(C["BLOCK_A_TYPE"], le("B", NEIGH)), a(C["BLOCK_A_NEW"], b""),
            a(C["BLOCK_A_HOST_HANDLE"], le("Q", 1)),
            a(C["BLOCK_A_CACHED"], [a(C["NEIGH_A_DL_DESTINATION_ADDRESS"],
                                      bytes.fromhex(mac.replace(":", "")))]),
            a(C["BLOCK_A_DEPENDENTS"], [a(1, [
                a(C["BLOCK_A_TYPE"], le("B", PATH)), a(C["BLOCK_A_NEW"], b""),
                a(C["BLOCK_A_HOST_HANDLE"], le("Q", 2)),
                a(C["BLOCK_A_CONST"], [
                    a(C["PATH_A_SOURCE_ADDRESS"], socket.inet_aton(src)),
                    a(C["PATH_A_DESTINATION_ADDRESS"], socket.inet_aton(dst))]),
                a(C["BLOCK_A_CACHED"], [a(C["PATH_A_PATH_MTU"], le("I", 1500))])])])])])]))
    for _ in range(100):
        objs = objects(g, ifindex)
        if len(objs) == 2:
            break
        time.sleep(0.1)
    top = tuple(h for t in (NEIGH, PATH) for h, ty in objs.items() if ty == t)
    if err or len(top) != 2:
        sys.exit("FAIL cannot offload the neighbor and the path: %s %s" % (err, objs))

    roles = ["offloader", "offloader", "churner", "poster", "dumper"]
    procs = [ctx.Process(target=work, args=(r, k + 1, ifindex, top, stop, nodump, out))
             for k, r in enumerate(roles)]
    for p in procs:
        p.start()
    time.sleep(secs / 2)
    if end:
        if sys.argv[7:] == ["pause-dumps"]:
            nodump.set()
        t0 = time.monotonic()
        rc = subprocess.run(end, shell=True).returncode
        print("%s the teardown in the middle of it: exit %d, %.2f s" % (
            "PASS" if rc == 0 else "FAIL", rc, time.monotonic() - t0))
    time.sleep(secs / 2)
    stop.set()
    results = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join()

    accepted, io_ok, ops = [], [], collections.Counter()
    refused = io_refused = 0
    for role, n, acc, ref, iok, iref in results:
        ops[role] += n
        accepted += acc
        io_ok += iok
        refused += ref
        io_refused += iref
    ok = True
    if not end:
        w = drain(g, ifindex, top)
        accepted += w.accepted
        left = counts(g, ifindex)
        if any(left.values()):
            print("FAIL after terminating everything left, counts %s" % left)
            ok = False
        else:
            print("PASS every object terminated: the counts are back to zero, nothing pending")
    lstop.set()
    notes, done, io_done, trouble = lout.get(timeout=600)
    listener.join()
    for t in trouble[:10]:
        print("FAIL " + t)
    ok &= not trouble
    ok &= once(accepted, done, "request")
    ok &= once(io_ok, io_done, "I/O request")
    print("%s %d requests accepted (%d refused), %d I/O requests accepted (%d refused), "
          "%d notifications; operations: %s" % (
              "PASS" if ok else "FAIL", len(accepted), refused, len(io_ok), io_refused, notes,
              ", ".join("%s %d" % kv for kv in sorted(ops.items()))))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
