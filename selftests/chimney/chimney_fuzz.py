#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Fuzz the "chimney" generic netlink family over raw sockets.

  chimney_fuzz.py IFINDEX NEIGH PATH TCP COUNT WORKERS SEED

Every message is a valid request of one of the family's commands (the
handles are those of objects offloaded beforehand) with one to three
mutations: an attribute dropped, repeated, retyped, truncated, given random
bytes or edge values, a scalar made a nest or a nest a scalar, nests made
deep, a block tree made as large as an attribute can hold, a random command,
the dump flag, raw bytes flipped or cut in the encoded message. WORKERS
processes send COUNT messages in all, in bursts, each on its own socket.

Checks: every rejection carries an extack (a message, or the offending or
missing attribute), except the ones genetlink itself makes before the
family sees the message (an unknown command, a dump of a command without
one: EOPNOTSUPP). Then one process sends more, single file, checking the
device's object counts around each rejected request: a rejection changes
nothing. Prints "fuzz: ..." summary lines, and "FAIL ..." for each
violation (the first 20); exits 1 on any.
"""
import copy
import multiprocessing
import os
import random
import struct
import sys
import time

from chimney_badinput import (E, Genl, NLA_F_NESTED, NLM_F_ACK, NLM_F_DUMP, NLMSG_DONE,
                              NLMSG_ERROR, NLMSGERR_ATTR_MISS_TYPE, NLMSGERR_ATTR_MSG,
                              NLMSGERR_ATTR_OFFS)

C = {k[len("CHIMNEY_"):]: v for k, v in E.items()}
EOPNOTSUPP = 95


def a(t, v):
    """An attribute: v is bytes (a leaf) or a list of attributes (a nest)."""
    return [t, v]


def le(fmt, v):
    return struct.pack("=" + fmt, v)


def encode(tree, memo=None):
    """The attributes' bytes; a nest that appears many times is encoded once."""
    memo = {} if memo is None else memo
    parts = []
    for t, v in tree:
        if isinstance(v, list):
            if id(v) not in memo:
                memo[id(v)] = encode(v, memo)
            payload, t = memo[id(v)], t | NLA_F_NESTED
        else:
            payload = v
        parts.append(struct.pack("=HH", (4 + len(payload)) & 0xffff, t & 0xffff) + payload +
                     b"\0" * (-len(payload) % 4))
    return b"".join(parts)


def seeds(ifindex, neigh, path, tcp):
    """(command, is a dump, attributes) of a valid request of each command."""
    dev = a(C["A_IFINDEX"], le("I", ifindex))
    req = a(C["A_REQ_ID"], le("Q", 7))

    def ref(t, h, deps=None):
        blk = [a(C["BLOCK_A_TYPE"], le("B", t)), a(C["BLOCK_A_HANDLE"], le("Q", h))]
        return a(1, blk + ([a(C["BLOCK_A_DEPENDENTS"], deps)] if deps else []))

    tcp_new = a(1, [a(C["BLOCK_A_TYPE"], le("B", C["TCP_OFFLOAD_STATE"])),
                    a(C["BLOCK_A_NEW"], b""), a(C["BLOCK_A_HOST_HANDLE"], le("Q", 3)),
                    a(C["BLOCK_A_CONST"], [a(C["TCP_A_LOCAL_PORT"], le("H", 4000)),
                                           a(C["TCP_A_REMOTE_PORT"], le("H", 80)),
                                           a(C["TCP_A_REMOTE_MSS"], le("H", 1460))]),
                    a(C["BLOCK_A_CACHED"], [a(C["TCP_A_INITIAL_RCV_WND"], le("I", 65535))]),
                    a(C["BLOCK_A_DELEGATED"], [
                        a(C["TCP_A_STATE"], le("B", C["TCP_CONNECTION_ESTABLISHED"])),
                        a(C["TCP_A_SND_UNA"], le("I", 1000)),
                        a(C["TCP_A_SND_NXT"], le("I", 1000)),
                        a(C["TCP_A_SND_MAX"], le("I", 1010)),
                        a(C["TCP_A_PAD"], b""),
                        a(C["TCP_A_SEND_IO_ID"], le("Q", 5)),
                        a(C["TCP_A_SEND_DATA"], b"0123456789"),
                        a(C["TCP_A_BUFFERED_DATA"], b"abcdef")])])
    path_new = a(1, [a(C["BLOCK_A_TYPE"], le("B", C["IP4_OFFLOAD_STATE"])),
                     a(C["BLOCK_A_NEW"], b""), a(C["BLOCK_A_HOST_HANDLE"], le("Q", 2)),
                     a(C["BLOCK_A_CONST"], [a(C["PATH_A_SOURCE_ADDRESS"], bytes([10, 9, 0, 1])),
                                            a(C["PATH_A_DESTINATION_ADDRESS"],
                                              bytes([10, 9, 0, 3]))]),
                     a(C["BLOCK_A_CACHED"], [a(C["PATH_A_PATH_MTU"], le("I", 1500))]),
                     a(C["BLOCK_A_DEPENDENTS"], [tcp_new])])
    neigh_new = a(1, [a(C["BLOCK_A_TYPE"], le("B", C["NEIGHBOR_OFFLOAD_STATE"])),
                      a(C["BLOCK_A_NEW"], b""), a(C["BLOCK_A_HOST_HANDLE"], le("Q", 1)),
                      a(C["BLOCK_A_CACHED"], [
                          a(C["NEIGH_A_DL_DESTINATION_ADDRESS"], b"\x02\0\0\0\0\x07"),
                          a(C["NEIGH_A_HOST_REACHABILITY_DELTA"], le("I", 100))]),
                      a(C["BLOCK_A_DEPENDENTS"], [path_new])])
    conn = [dev, a(C["A_HANDLE"], le("Q", tcp)), a(C["A_IO_ID"], le("Q", 9))]
    tcph = struct.pack("!HHIIBBHHH", 80, 4000, 1, 1000, 5 << 4, 0x18, 1000, 0, 0) + b"hi"
    tree = [ref(C["NEIGHBOR_OFFLOAD_STATE"], neigh,
                [ref(C["IP4_OFFLOAD_STATE"], path, [ref(C["TCP_OFFLOAD_STATE"], tcp)])])]
    return [
        (C["CMD_DEV_GET"], False, [dev]),
        (C["CMD_DEV_GET"], True, []),
        (C["CMD_DEV_SET"], False, [dev, a(C["A_PARAMS"], [
            a(C["PARAM_A_TICKS_PER_SECOND"], le("I", 1000)),
            a(C["PARAM_A_TCP_ACK_FREQUENCY"], le("B", 2))])]),
        (C["CMD_DEV_SET"], False, [dev, a(C["A_STATS_CLEAR"], le("I", 1))]),
        (C["CMD_INITIATE"], False, [dev, req, a(C["A_BLOCKS"], [neigh_new])]),
        (C["CMD_INITIATE"], False, [dev, req, a(C["A_BLOCKS"], [
            ref(C["NEIGHBOR_OFFLOAD_STATE"], neigh, [path_new])])]),
        (C["CMD_UPDATE"], False, [dev, req, a(C["A_BLOCKS"], [a(1, [
            a(C["BLOCK_A_TYPE"], le("B", C["NEIGHBOR_OFFLOAD_STATE"])),
            a(C["BLOCK_A_HANDLE"], le("Q", neigh)),
            a(C["BLOCK_A_CACHED"], [a(C["NEIGH_A_HOST_REACHABILITY_DELTA"], le("I", 0))])])])]),
        (C["CMD_QUERY"], False, [dev, req, a(C["A_BLOCKS"], tree)]),
        (C["CMD_INVALIDATE"], False, [dev, req, a(C["A_BLOCKS"], [a(1, [])])]),
        (C["CMD_TERMINATE"], False, [dev, req, a(C["A_BLOCKS"], [a(1, [])])]),
        (C["CMD_OBJ_GET"], False, [dev, a(C["A_HANDLE"], le("Q", tcp))]),
        # Dumps that stay short: the children of a connection, the future.
        (C["CMD_OBJ_GET"], True, [dev, a(C["A_PARENT"], le("Q", tcp))]),
        (C["CMD_NOTIFY_GET"], True, [dev, a(C["A_SEQ"], le("Q", 1 << 40))]),
        (C["CMD_SEND"], False, conn + [a(C["A_IO_DATA"], b"x" * 100)]),
        (C["CMD_RECEIVE"], False, conn + [a(C["A_IO_LEN"], le("I", 100)),
                                          a(C["A_IO_FLAGS"], le("I", C["IO_NO_PUSH"]))]),
        (C["CMD_DISCONNECT"], False, conn + [a(C["A_IO_DATA"], b"bye")]),
        (C["CMD_RECEIVE_ANSWER"], False, conn + [
            a(C["A_STATUS"], le("I", 0xC023100E)), a(C["A_IO_BYTES"], le("I", 0))]),
        (C["CMD_RECEIVE_RETURN"], False, conn),
        (C["CMD_FORWARD"], False, conn + [a(C["A_IO_DATA"], tcph)]),
    ]


def nodes(tree, out, seen=None):
    """Every attribute of the tree, with the list that holds it; a nest that
    appears many times (huge()) is walked once."""
    seen = set() if seen is None else seen
    for i, node in enumerate(tree):
        out.append((tree, i))
        if isinstance(node[1], list) and id(node[1]) not in seen:
            seen.add(id(node[1]))
            nodes(node[1], out, seen)
    return out


EDGE = {1: [0, 1, 0x7f, 0xff], 2: [0, 1, 0x7fff, 0xffff], 4: [0, 1, 0x7fffffff, 0xffffffff],
        8: [0, 1, 1 << 32, 0xffffffff00000001, (1 << 64) - 1]}
FMT = {1: "B", 2: "H", 4: "I", 8: "Q"}


def mutate_node(rng, tree):
    places = nodes(tree, [])
    if not places:
        tree.append(a(rng.randrange(1, 64), os.urandom(rng.choice([0, 1, 4, 8]))))
        return
    lst, i = rng.choice(places)
    t, v = lst[i]
    m = rng.randrange(9)
    if m == 0:
        del lst[i]
    elif m == 1:
        lst.insert(i, [t, v])
    elif m == 2:
        lst[i] = [rng.choice([0, t + 1, t - 1, rng.randrange(1, 80), rng.randrange(0x8000)]), v]
    elif m == 3:
        lst[i] = [t, os.urandom(rng.choice([0, 1, 2, 3, 5, 7, 9, 16, 300]))]
    elif m == 4 and isinstance(v, bytes) and v:
        lst[i] = [t, v[:rng.randrange(len(v))]]
    elif m == 5 and not isinstance(v, list) and len(v) in EDGE:
        lst[i] = [t, le(FMT[len(v)], rng.choice(EDGE[len(v)]))]
    elif m == 6:
        lst[i] = [t, encode(v) if isinstance(v, list) else [a(rng.randrange(1, 20), v)]]
    elif m == 7:
        deep = [t, v]
        for _ in range(rng.randrange(3, 40)):
            deep = [rng.randrange(1, 12), [deep]]
        lst[i] = deep
    else:
        lst.insert(i + 1, a(rng.randrange(1, 0x80), os.urandom(rng.choice([0, 4, 8]))))


def huge(rng, tree):
    """Copies of a nest's first nest, up to what one message holds."""
    lists = [n for lst, i in nodes(tree, []) for n in [lst[i]]
             if isinstance(n[1], list) and n[1] and isinstance(n[1][0][1], list)]
    if not lists:
        return
    n = rng.choice(lists)
    room = 60000 - len(encode(tree))
    one = len(encode([n[1][0]]))
    n[1].extend([n[1][0]] * max(0, min(rng.randrange(2, 3000), room // one)))


def message(rng, base):
    cmd, dump, tree = base
    tree = copy.deepcopy(tree)
    raw, grown = None, False
    # The copies of huge() share their nests: nothing changes them after it.
    for m in sorted((rng.randrange(12) for _ in range(rng.randrange(1, 4))),
                    key=lambda m: (m >= 9) + (m >= 10)):
        if m < 7:
            mutate_node(rng, tree)
        elif m == 7:
            cmd = rng.randrange(0, 40)
        elif m == 8:
            dump = not dump
        elif m == 9 and not grown:
            # Once: a second one could grow a nest that the first copied.
            huge(rng, tree)
            grown = True
        else:
            raw = bytearray(encode(tree))
            if raw and m == 10:
                for _ in range(rng.randrange(1, 4)):
                    raw[rng.randrange(len(raw))] = rng.randrange(256)
            elif raw:
                del raw[rng.randrange(len(raw)):]
            raw = bytes(raw)
    # What one send() takes; over it, the message is cut (one more mutation).
    return cmd, dump, (raw if raw is not None else encode(tree))[:60000]


def explained(tlvs):
    return any(t in tlvs for t in (NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS,
                                   NLMSGERR_ATTR_MISS_TYPE))


def worker(args):
    ifindex, handles, count, seed = args
    rng = random.Random(seed)
    g = Genl()
    base = seeds(ifindex, *handles)
    stats = {"messages": 0, "accepted": 0, "rejected": 0, "unexplained": 0}
    fails = []
    for _ in range(count):
        cmd, dump, payload = message(rng, rng.choice(base))
        err, tlvs = g.result(cmd, payload, dump=dump)
        stats["messages"] += 1
        if not err:
            stats["accepted"] += 1
            continue
        stats["rejected"] += 1
        if err != EOPNOTSUPP and not explained(tlvs):
            stats["unexplained"] += 1
            if len(fails) < 20:
                fails.append(f"FAIL rejected without extack: command {cmd}"
                             f"{' (dump)' if dump else ''}, {os.strerror(err)}, "
                             f"payload {payload[:48].hex()}")
    return stats, fails


def counts(g, ifindex):
    """The device's neighbors, paths, connections and pending requests."""
    g.send(g.family, C["CMD_DEV_GET"], encode([a(C["A_IFINDEX"], le("I", ifindex))]), NLM_F_ACK)
    got = {}
    for mtype, msg in g.replies():
        if mtype in (NLMSG_ERROR, NLMSG_DONE):
            continue
        off = 20
        while off + 4 <= len(msg):
            alen, atype = struct.unpack("=HH", msg[off:off + 4])
            atype &= 0x3fff
            if atype == C["A_PENDING"]:
                got["pending"] = struct.unpack("=I", msg[off + 4:off + 8])[0]
            elif atype == C["A_STATS"]:
                sub = off + 4
                while sub + 4 <= off + alen:
                    slen, stype = struct.unpack("=HH", msg[sub:sub + 4])
                    if stype in (C["STATS_A_NEIGHBORS"], C["STATS_A_PATHS"],
                                 C["STATS_A_CONNECTIONS"]):
                        got[stype] = struct.unpack("=Q", msg[sub + 4:sub + 12])[0]
                    sub += (slen + 3) & ~3
            off += (alen + 3) & ~3
    return got


def settled(g, ifindex):
    """The counts once the virtual hardware is idle: "pending" counts the
    requests queued, not the one it is processing (an accepted initiate of
    many blocks may still be creating objects)."""
    prev = counts(g, ifindex)
    for _ in range(100):
        time.sleep(0.02)
        cur = counts(g, ifindex)
        if cur == prev and not cur.get("pending", 1):
            break
        prev = cur
    return prev


def unchanged(ifindex, handles, count, seed):
    """Rejected requests, one at a time, leave the object counts alone."""
    rng = random.Random(seed)
    g = Genl()
    base = [b for b in seeds(ifindex, *handles) if not b[1]]
    checked, fails = 0, []
    for _ in range(count):
        cmd, dump, payload = message(rng, rng.choice(base))
        before = settled(g, ifindex)
        err, _ = g.result(cmd, payload, dump=dump)
        if not err or before.get("pending", 1):
            continue
        after = counts(g, ifindex)
        checked += 1
        if after != before and len(fails) < 20:
            fails.append(f"FAIL a rejected request (command {cmd}, {os.strerror(err)}) "
                         f"changed the object counts: {before} -> {after}")
    return checked, fails


def main():
    ifindex, neigh, path, tcp, count, workers, seed = (int(v, 0) for v in sys.argv[1:8])
    handles = (neigh, path, tcp)
    t0 = time.monotonic()
    with multiprocessing.Pool(workers) as pool:
        results = pool.map(worker, [(ifindex, handles, count // workers, seed + i)
                                    for i in range(workers)])
    total = {k: sum(r[0][k] for r in results) for k in results[0][0]}
    fails = [f for r in results for f in r[1]]
    print("fuzz: %(messages)d messages, %(accepted)d accepted, %(rejected)d rejected, "
          "%(unexplained)d rejected without extack" % total +
          ", in %.0f s" % (time.monotonic() - t0))
    checked, more = unchanged(ifindex, handles, max(count // 50, 200), seed + workers)
    print(f"fuzz: {checked} rejected requests checked one by one: object counts unchanged "
          f"by {checked - len(more)}")
    for f in fails + more:
        print(f)
    sys.exit(1 if fails or more or total["messages"] < count - workers else 0)


if __name__ == "__main__":
    main()
