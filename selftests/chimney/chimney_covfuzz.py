#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Coverage-guided, structure-aware fuzzing of chimney (needs KCOV).

  chimney_covfuzz.py [--seconds S] [--execs N] [--seed K] [--corpus DIR]
                     [--save DIR] [--stop-on-crash] [--no-seeds]

An input is a short sequence of calls, each one of:
  genl  a request of the "chimney" family (a do or a dump) on one of two
        sockets, its attributes a tree whose leaves may name a device or a
        handle, resolved when it runs (handles come from OBJ_GET dumps, the
        kernel's replies, refreshed after each accepted state request);
  rtnl  RTM_NEWLINK of a chimney device, with its peer's attributes;
  wire  a TCP segment sent from the peer's end of the wire at the offloaded
        connection, into the engine.
Inputs start from the valid requests of every command (chimney_fuzz.py's
seeds) and the corpus directory, and are mutated with the family's own
policies (read from the kernel by CTRL_CMD_GETPOLICY): boundary values of
an attribute's range or length, attributes of the nest's policy inserted,
an attribute repeated with other contents, nests grown to what a message
holds, nests spliced from other inputs, handles and devices swapped, calls
added or dropped. An input that reaches an edge of chimney's code that no
input reached before joins the corpus: the edges are pairs of program
counters from KCOV, of the fuzzer's own thread (requests run inline:
debugfs inline_requests) and of the work items of the devices it created
(the TCP engine), by KCOV's remote coverage.

After each input the kernel log is read: a splat (KASAN, BUG, WARNING,
lockdep, RCU, UBSAN) is a crash, printed with the input that caused it.
Every rejected request must carry an extack. Prints "covfuzz:" status
lines and a summary: executions, edges, corpus size, crashes; exits 1 on a
crash or a rejection without extack.
"""
import argparse
import copy
import errno
import json
import os
import random
import re
import socket
import struct
import subprocess
import sys
import time

from chimney_allocfail import debugfs, rtnl, rtnl_result
from chimney_badinput import Genl, NLMSG_DONE, NLMSG_ERROR, NLMSGERR_ATTR_MISS_TYPE, \
    NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS
from chimney_fuzz import EDGE, FMT, C, a, encode, huge, le, mutate_node, seeds
from chimney_kcov import Kcov, KcovRemote
from chimney_policy import WIDTH, policies

DEV, PEER, DEV2 = "cfz0", "cfz0p", "cfz1"
RTM_NEWLINK, RTM_DELLINK, NLM_F_CREATE, NLM_F_EXCL = 16, 17, 0x400, 0x200
IFLA_IFNAME, IFLA_LINKINFO, IFLA_INFO_KIND, IFLA_INFO_DATA = 3, 18, 1, 2
IFLA_ADDRESS, IFLA_MTU, IFLA_NET_NS_PID, IFLA_LINK_NETNSID = 1, 4, 19, 37
EOPNOTSUPP = 95
IFINFO = -1             # a leaf of rtnetlink's tree: a raw struct ifinfomsg
SPLAT = re.compile(rb"BUG:|WARNING:|KASAN|UBSAN|general protection|Oops|"
                   rb"possible recursive locking|possible circular locking|"
                   rb"suspicious RCU usage|inconsistent lock state|"
                   rb"sleeping function called|kernel BUG|refcount_t:|list_(add|del) corruption")
# Placeholders of a leaf, resolved when the call runs.
SENT_IF, SENT_H = 0x7e570001, [0x7e57000000000001 + i for i in range(3)]
# The connection chimney_fuzz.seeds() offloads: the peer's segments are sent
# at it from the peer's end.
CONN = dict(src=bytes([10, 9, 0, 3]), dst=bytes([10, 9, 0, 1]), sport=80, dport=4000)


# ---------------------------------------------------------------- inputs

class Ph(bytes):
    """A leaf that names a device ("if", 4 bytes) or a handle ("h", 8 bytes).

    Bytes (zeros) to the mutators, which may cut or replace it; resolved
    from the world's devices and handles when the call runs.
    """

    def __new__(cls, kind, n):
        ph = bytes.__new__(cls, bytes(8 if kind == "h" else 4))
        ph.kind, ph.n = kind, n
        return ph

    def __reduce__(self):
        return Ph, (self.kind, self.n)

    def __deepcopy__(self, memo):
        return self


def placeholders(tree):
    """The seeds' device and handles as placeholders ({"if": 0}, {"h": i})."""
    out = []
    for t, v in tree:
        if isinstance(v, list):
            out.append([t, placeholders(v)])
        elif len(v) == 4 and struct.unpack("=I", v)[0] == SENT_IF:
            out.append([t, Ph("if", 0)])
        elif len(v) == 8 and struct.unpack("=Q", v)[0] in SENT_H:
            out.append([t, Ph("h", SENT_H.index(struct.unpack("=Q", v)[0]))])
        else:
            out.append([t, v])
    return out


def base_inputs():
    out = []
    for cmd, dump, tree in seeds(SENT_IF, *SENT_H):
        out.append([["genl", 0, cmd, dump, placeholders(tree)]])
    out.append([["rtnl", newlink_tree("cfzn0", "cfzn0p")]])
    out.append([["wire", 0, {"seq": 1, "ack": 1000, "flags": 0x18, "win": 1000,
                             "data": b"hello".hex(), "opts": ""}]])
    return out


def newlink_tree(name, peer):
    """RTM_NEWLINK's attributes for a chimney device, with a peer or none."""
    ifinfo = struct.pack("=BxHiII", 0, 0, 0, 0, 0)
    info = [a(IFLA_INFO_KIND, b"chimney\0")]
    if peer:
        info.append(a(IFLA_INFO_DATA, [a(C["LINK_A_PEER"], [
            [IFINFO, ifinfo], a(IFLA_IFNAME, peer.encode() + b"\0"),
            a(IFLA_MTU, le("I", 1500))])]))
    return [a(IFLA_IFNAME, name.encode() + b"\0"), a(IFLA_LINKINFO, info)]


def newlink(tree):
    """errno of RTM_NEWLINK with these attributes (0: created)."""
    sk, _ = rtnl(RTM_NEWLINK, 0, [])
    body = struct.pack("=BxHiII", 0, 0, 0, 0, 0) + flatten_rtnl(tree)
    msg = struct.pack("=IHHII", 16 + len(body), RTM_NEWLINK,
                      1 | 4 | NLM_F_CREATE | NLM_F_EXCL, 1, 0) + body
    sk.settimeout(30)
    try:
        sk.send(msg[:65000])
        return rtnl_result(sk)
    except OSError as e:
        return e.errno
    finally:
        sk.close()


def to_json(inp):
    def leaf(v):
        if isinstance(v, list):
            return [[t, leaf(x)] for t, x in v]
        if isinstance(v, Ph):
            return {v.kind: v.n}
        return {"x": bytes(v).hex()}
    out = []
    for call in inp:
        if call[0] == "genl":
            out.append(["genl", call[1], call[2], call[3], leaf(call[4])])
        elif call[0] == "rtnl":
            out.append(["rtnl", leaf(call[1])])
        else:
            out.append(call)
    return out


def from_json(inp):
    def leaf(v):
        if isinstance(v, list):
            return [[t, leaf(x)] for t, x in v]
        if "x" in v:
            return bytes.fromhex(v["x"])
        kind, n = next(iter(v.items()))
        return Ph(kind, n)
    out = []
    for call in inp:
        if call[0] == "genl":
            out.append(["genl", call[1], call[2], bool(call[3]), leaf(call[4])])
        elif call[0] == "rtnl":
            out.append(["rtnl", leaf(call[1])])
        else:
            out.append(call)
    return out


# ---------------------------------------------------------------- mutation


class Mutator:
    def __init__(self, rng, ops, pols):
        self.rng, self.ops, self.pols = rng, ops, pols

    def value(self, rule):
        """A value for an attribute of this policy rule, often at an edge."""
        rng = self.rng
        if rule.kind in WIDTH:
            w = WIDTH[rule.kind]
            cands = list(EDGE[w])
            if rule.lo is not None:
                cands += [rule.lo, rule.hi, rule.lo - 1, rule.hi + 1]
            v = rng.choice(cands) & ((1 << (8 * w)) - 1)
            return le(FMT[w], v)
        if rule.kind == "flag":
            return b""
        if rule.kind in ("nested", "nested-array"):
            return []
        n = [0, 1, 4, 8, 16, 64]
        if rule.minlen is not None:
            n += [max(0, rule.minlen - 1), rule.minlen]
        if rule.maxlen is not None:
            n += [rule.maxlen, rule.maxlen + 1]
        return os.urandom(rng.choice(n))

    def nests(self, call):
        """(list, index, policy index or None) of every attribute of a call."""
        top = self.ops.get(call[2], (None, None))[1 if call[3] else 0]
        out, seen = [], set()

        def walk(tree, pol):
            for i, (t, v) in enumerate(tree):
                out.append((tree, i, pol))
                if not isinstance(v, list) or id(v) in seen:
                    continue
                seen.add(id(v))
                rule = self.pols.get(pol, {}).get(t) if pol is not None else None
                if rule and rule.kind == "nested-array":
                    # Its elements are numbered; each holds the nested policy.
                    for j, (_, e) in enumerate(v):
                        out.append((v, j, None))
                        if isinstance(e, list):
                            walk(e, rule.nested)
                else:
                    walk(v, rule.nested if rule else None)
        walk(call[4], top)
        return out

    def policy_mutation(self, call):
        rng = self.rng
        places = self.nests(call)
        if not places:
            return
        # Arrays first (where a count and a parse can disagree), then
        # nests, then any attribute.
        arrays = [p for p in places if p[2] is not None and getattr(
            self.pols.get(p[2], {}).get(p[0][p[1]][0]), "kind", None) == "nested-array"]
        nested = [p for p in places if isinstance(p[0][p[1]][1], list)]
        pick = rng.randrange(6)
        lst, i, pol = rng.choice(arrays if arrays and pick < 3 else
                                 nested if nested and pick < 5 else places)
        t, v = lst[i]
        rules = self.pols.get(pol, {})
        # Repeating an attribute is what 6.1's parsers leave to each
        # family (nla_parse takes the last copy, nla_find the first).
        m = rng.choice((0, 0, 1, 2, 2, 2, 3))
        if m == 0 and t in rules and not isinstance(v, list):
            lst[i] = [t, self.value(rules[t])]                 # an edge of its range
        elif m == 1 and rules:
            nt = rng.choice(list(rules))                        # one more of the policy
            lst.insert(rng.randrange(len(lst) + 1), [nt, self.value(rules[nt])])
        elif m == 2:
            # The same attribute again, with other contents: what counting
            # one copy and parsing another gets wrong.
            other = copy.deepcopy([t, v])
            if isinstance(other[1], list) and other[1] and rng.randrange(2):
                # Fewer or more of its elements.
                k = rng.randrange(len(other[1]) + 1)
                other[1] = other[1][:k] if rng.randrange(2) else \
                    other[1] + [copy.deepcopy(rng.choice(other[1]))
                                for _ in range(rng.randrange(1, 16))]
            elif isinstance(other[1], list):
                for _ in range(rng.randrange(1, 3)):
                    mutate_node(rng, other[1])
                if not rng.randrange(4):
                    huge(rng, [other])
            else:
                other[1] = self.value(rules[t]) if t in rules else os.urandom(len(v) or 4)
            lst.insert(i + rng.randrange(2), other)
        elif isinstance(v, list) and v:
            del v[rng.randrange(len(v))]

    def placeholder(self, tree):
        leaves = [(lst, i) for lst in self.lists(tree) for i, (t, v) in enumerate(lst)
                  if not isinstance(v, list)]
        if not leaves:
            return
        lst, i = self.rng.choice(leaves)
        t, v = lst[i]
        if len(v) == 8:
            lst[i] = [t, Ph("h", self.rng.randrange(16))]
        elif len(v) == 4:
            lst[i] = [t, Ph("if", self.rng.randrange(3))]

    def lists(self, tree, seen=None):
        seen = set() if seen is None else seen
        out = [tree]
        for _, v in tree:
            if isinstance(v, list) and id(v) not in seen:
                seen.add(id(v))
                out += self.lists(v, seen)
        return out

    def splice(self, tree, other):
        mine = [(lst, i) for lst in self.lists(tree) for i, (t, v) in enumerate(lst)
                if isinstance(v, list)]
        theirs = [x for lst in self.lists(other) for x in lst if isinstance(x[1], list)]
        if mine and theirs:
            lst, i = self.rng.choice(mine)
            lst[i] = [lst[i][0], copy.deepcopy(self.rng.choice(theirs)[1])]

    def wire(self, seg):
        rng = self.rng
        seg = dict(seg)
        k = rng.choice(["seq", "ack", "flags", "win", "data", "opts"])
        if k in ("seq", "ack"):
            seg[k] = rng.choice([0, 1, -1, 1 << 31, 65535, -65535, seg[k] + rng.randrange(-3000, 3000)])
        elif k == "flags":
            seg[k] = rng.randrange(256)
        elif k == "win":
            seg[k] = rng.choice([0, 1, 65535, rng.randrange(65536)])
        elif k == "data":
            seg[k] = os.urandom(rng.choice([0, 1, 100, 1460, 3000])).hex()
        else:
            seg[k] = rng.choice(["", "020405b4", "0303ff", "01010101", "080a0000000100000000",
                                 os.urandom(rng.choice([1, 4, 40])).hex()])
        return seg

    def mutate(self, inp, corpus):
        """A mutated copy; one that no longer fits a message is tried again."""
        for _ in range(8):
            out = self._mutate(inp, corpus)
            if all(c[0] != "genl" or len(encode(c[4])) <= 60000 for c in out):
                return out
        return copy.deepcopy(inp)

    def _mutate(self, inp, corpus):
        rng = self.rng
        inp = copy.deepcopy(inp)
        for _ in range(rng.randrange(1, 4)):
            m = rng.randrange(10)
            call = rng.choice(inp)
            if m == 0 and len(inp) < 4:                        # another call after it
                inp.insert(rng.randrange(len(inp) + 1), copy.deepcopy(rng.choice(rng.choice(corpus))))
            elif m == 1 and len(inp) > 1:
                del inp[rng.randrange(len(inp))]
            elif call[0] == "wire":
                call[2] = self.wire(call[2])
                call[1] = rng.choice([call[1], 0, 1])
            elif call[0] == "rtnl":
                mutate_node(rng, call[1]) if m < 6 else self.rtnl_mutation(call[1])
            elif m in (2, 3, 4, 5):
                self.policy_mutation(call)
            elif m == 9:
                mutate_node(rng, call[4]) if rng.randrange(2) else huge(rng, call[4])
            elif m == 6:
                self.placeholder(call[4])
            elif m == 7:
                other = rng.choice(rng.choice(corpus))
                if other[0] == "genl":
                    self.splice(call[4], other[4])
            elif m == 8:
                call[1] = 1 - call[1]                           # the other socket
                call[3] = call[3] if rng.randrange(4) else not call[3]
                call[2] = call[2] if rng.randrange(8) else rng.randrange(40)
            else:
                mutate_node(rng, call[4])
        return inp

    def rtnl_mutation(self, tree):
        rng = self.rng
        peer = [lst for lst in self.lists(tree) if lst and lst[0][0] == IFINFO]
        target = rng.choice(peer) if peer and rng.randrange(2) else tree
        extra = rng.choice([a(IFLA_ADDRESS, os.urandom(rng.choice([5, 6, 7]))),
                            a(IFLA_ADDRESS, b"\x02\0\0\0\0\x01"),
                            a(IFLA_MTU, le("I", rng.choice([0, 67, 68, 1500, 65535, 1 << 31]))),
                            a(IFLA_NET_NS_PID, le("I", rng.choice([1, os.getpid(), 0x7fffffff]))),
                            a(IFLA_LINK_NETNSID, le("i", rng.choice([-1, 0, 1]))),
                            a(IFLA_IFNAME, os.urandom(rng.choice([1, 15, 16, 17])))])
        target.insert(rng.randrange(len(target) + 1), extra)


# ---------------------------------------------------------------- execution

def flatten_rtnl(tree):
    """rtnetlink attributes; a leaf "ifinfo" is a raw struct ifinfomsg."""
    parts = []
    for t, v in tree:
        if t == IFINFO:
            parts.append(v if isinstance(v, bytes) else b"")
            continue
        # rtnetlink's nests (IFLA_LINKINFO, the peer) do without NLA_F_NESTED.
        payload = flatten_rtnl(v) if isinstance(v, list) else (v if isinstance(v, bytes) else b"")
        parts.append(struct.pack("=HH", (4 + len(payload)) & 0xffff, t & 0xffff) + payload +
                     b"\0" * (-len(payload) % 4))
    return b"".join(parts)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


class World:
    """The devices, sockets and handles the calls run against."""

    def __init__(self, remote):
        self.remote = remote
        self.socks = [Genl(), Genl()]
        self.g = self.socks[0]
        self.handles = []
        self.build()

    def build(self):
        def create():
            for name in (DEV, DEV2):
                subprocess.run(["ip", "link", "del", name], stderr=subprocess.DEVNULL)
            for tree in (newlink_tree(DEV, PEER), newlink_tree(DEV2, None)):
                err = newlink(tree)
                if err:
                    raise OSError(err, "newlink of a chimney device")
            for name in (DEV, PEER, DEV2):
                subprocess.run(["ip", "link", "set", name, "up"], check=True)
        # On the remote thread: the devices keep its KCOV handle.
        self.remote.call(create) if self.remote else create()
        self.ifindex = [int(open("/sys/class/net/%s/ifindex" % n).read())
                        for n in (DEV, DEV2, PEER)]
        for ifx in self.ifindex[:2]:
            with open(os.path.join(debugfs(ifx), "inline_requests"), "w") as f:
                f.write("Y")
        self.own = set(os.listdir(b"/sys/class/net"))
        self.peer_mac = bytes.fromhex(open("/sys/class/net/%s/address" % PEER).read()
                                      .strip().replace(":", ""))
        self.dev_mac = bytes.fromhex(open("/sys/class/net/%s/address" % DEV).read()
                                     .strip().replace(":", ""))
        if getattr(self, "raw", None):
            self.raw.close()
        self.raw = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        self.raw.bind((PEER, 0))
        # The connection every seed's handles name.
        init = [c for c in base_inputs() if c[0][0] == "genl" and
                c[0][2] == C["CMD_INITIATE"]][0][0]
        self.genl(init)
        self.refresh()

    def refresh(self):
        """Handles of the objects of both devices, from OBJ_GET dumps."""
        hs = []
        for ifx in self.ifindex[:2]:
            self.g.send(self.g.family, C["CMD_OBJ_GET"],
                        encode([a(C["A_IFINDEX"], le("I", ifx))]), 0x300)
            for mtype, msg in self.g.replies():
                if mtype in (NLMSG_ERROR, NLMSG_DONE):
                    continue
                off = 20
                while off + 4 <= len(msg):
                    alen, atype = struct.unpack_from("=HH", msg, off)
                    if alen < 4:
                        break
                    if atype & 0x3fff == C["A_HANDLE"] and alen == 12:
                        hs.append(struct.unpack_from("=Q", msg, off + 4)[0])
                    off += (alen + 3) & ~3
        self.handles = sorted(hs)[:64] or [0]

    def resolve(self, tree):
        out = []
        for t, v in tree:
            if isinstance(v, list):
                out.append([t, self.resolve(v)])
            elif isinstance(v, Ph) and v.kind == "h":
                out.append([t, le("Q", self.handles[v.n % len(self.handles)])])
            elif isinstance(v, Ph):
                out.append([t, le("I", self.ifindex[v.n % 3])])
            else:
                out.append([t, v])
        return out

    def genl(self, call):
        """errno of the request (0: accepted) and its extack."""
        _, sock, cmd, dump, tree = call
        g = self.socks[sock % 2]
        payload = encode(self.resolve(tree))[:65000]
        return g.result(cmd & 0xff, payload, dump=dump)

    def rtnl(self, call):
        err = newlink(call[1])
        self.sweep()
        return err, {}

    def sweep(self):
        """Devices the fuzzed newlinks made go again."""
        # Bytes: a fuzzed name need not be UTF-8.
        for name in set(os.listdir(b"/sys/class/net")) - self.own:
            sk, msg = rtnl(RTM_DELLINK, 0, [a(IFLA_IFNAME, name + b"\0")])
            sk.send(msg)
            rtnl_result(sk)
            sk.close()

    def wire(self, call):
        seg = call[2]
        data = bytes.fromhex(seg["data"])
        opts = bytes.fromhex(seg["opts"])
        opts += b"\0" * (-len(opts) % 4)
        opts = opts[:40]
        tcp = struct.pack("!HHIIBBHHH", CONN["sport"], CONN["dport"], seg["seq"] & 0xffffffff,
                          seg["ack"] & 0xffffffff, (5 + len(opts) // 4) << 4,
                          seg["flags"] & 0xff, seg["win"] & 0xffff, 0, 0) + opts + data
        pseudo = CONN["src"] + CONN["dst"] + struct.pack("!BBH", 0, 6, len(tcp))
        tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0x4000, 64, 6, 0,
                         CONN["src"], CONN["dst"])
        ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
        frame = self.dev_mac + self.peer_mac + b"\x08\x00" + ip + tcp
        try:
            self.raw.send(frame)
        except OSError as e:
            return e.errno, {}
        return 0, {}

    def run(self, inp):
        """(rejections without extack, whether handles should be refreshed)."""
        bad, fresh = [], False
        for call in inp:
            if call[0] == "genl":
                err, tlvs = self.genl(call)
                if err and err != EOPNOTSUPP and not any(
                        t in tlvs for t in (NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS,
                                            NLMSGERR_ATTR_MISS_TYPE)):
                    bad.append("command %d%s: %s" % (call[2], " (dump)" if call[3] else "",
                                                      os.strerror(err)))
                if not err and call[2] in (C["CMD_INITIATE"], C["CMD_TERMINATE"],
                                           C["CMD_INVALIDATE"]):
                    fresh = True
            elif call[0] == "rtnl":
                self.rtnl(call)
            else:
                self.wire(call)
        return bad, fresh


# ---------------------------------------------------------------- the loop

class Kmsg:
    def __init__(self):
        self.fd = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK)
        os.lseek(self.fd, 0, os.SEEK_END)

    def splats(self):
        out = []
        while True:
            try:
                rec = os.read(self.fd, 8192)
            except BlockingIOError:
                return out
            except OSError as e:
                if e.errno == errno.EPIPE:    # overwritten records
                    continue
                raise
            if not rec:
                return out
            text = rec.split(b";", 1)[-1].split(b"\n", 1)[0]
            if SPLAT.search(text):
                out.append(text.decode(errors="replace"))


def kmsg_write(line):
    with open("/dev/kmsg", "w") as f:
        f.write(line + "\n")


def edges(pcs, into):
    prev = 0
    for pc in pcs:
        into.add((prev << 13) ^ pc)
        prev = pc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--execs", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--corpus", default="")
    ap.add_argument("--save", default="")
    ap.add_argument("--stop-on-crash", action="store_true")
    ap.add_argument("--no-remote", action="store_true")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    remote = None if args.no_remote else KcovRemote(0xc41 + args.seed)
    world = World(remote)
    ops, pols = policies(world.g)
    mut = Mutator(rng, ops, pols)
    cov = Kcov()
    kmsg = Kmsg()
    kmsg_write("covfuzz: start, seed %d" % args.seed)

    corpus, seen, remote_seen = [], set(), set()
    stale = [False]
    inputs = base_inputs()
    if args.corpus and os.path.isdir(args.corpus):
        for name in sorted(os.listdir(args.corpus)):
            with open(os.path.join(args.corpus, name)) as f:
                inputs.append(from_json(json.load(f)))
    t0 = time.monotonic()
    stats = dict(execs=0, crashes=0, unexplained=0)
    crashes, fails, kept = [], [], []
    last = t0

    def execute(inp):
        cov.reset()
        if remote:
            remote.reset()
        bad, fresh = world.run(inp)
        if remote and any(c[0] == "wire" for c in inp):
            time.sleep(0.005)           # the engine's work item, queued by the frame
        got = set()
        edges(cov.pcs(), got)
        if remote:
            rem = set()
            edges(remote.pcs(), rem)
            remote_seen.update(rem)
            got |= rem
        stats["execs"] += 1
        if fresh:
            stale[0] = True
        if stale[0] and stats["execs"] % 25 == 0:
            world.refresh()
            stale[0] = False
        if stats["execs"] % 1000 == 0:
            # Objects the inputs made slow every request down: start over.
            world.build()
        for b in bad:
            stats["unexplained"] += 1
            if len(fails) < 20:
                fails.append("FAIL rejected without extack: %s, input %s" %
                             (b, json.dumps(to_json(inp))[:400]))
        found = kmsg.splats()
        if found:
            stats["crashes"] += 1
            crashes.append((time.monotonic() - t0, stats["execs"], found[0], inp))
            print("covfuzz: CRASH after %.0f s, %d executions: %s" %
                  (time.monotonic() - t0, stats["execs"], found[0]), flush=True)
            print("covfuzz: input %s" % json.dumps(to_json(inp)), flush=True)
        return got

    def consider(inp, got):
        new = got - seen
        if new:
            seen.update(got)
            corpus.append(inp)
            kept.append((inp, got))
        return bool(new)

    for inp in inputs:
        consider(inp, execute(inp))
    print("covfuzz: %d starting inputs, %d edges" % (len(inputs), len(seen)), flush=True)
    while True:
        now = time.monotonic()
        if args.stop_on_crash and crashes:
            break
        if args.execs and stats["execs"] >= args.execs:
            break
        if not args.execs and now - t0 >= args.seconds:
            break
        if now - last >= 30:
            last = now
            line = "covfuzz: %d executions, %d edges, corpus %d, %d crashes, %.0f s" % (
                stats["execs"], len(seen), len(corpus), stats["crashes"], now - t0)
            print(line, flush=True)
            # Also in the kernel log: a crash that kills the fuzzer ends there.
            kmsg_write(line)
        inp = mut.mutate(rng.choice(corpus), corpus)
        if args.stop_on_crash:
            # What was running when a crash killed the fuzzer.
            with open("/tmp/covfuzz-current.json", "w") as f:
                json.dump(to_json(inp), f)
        consider(inp, execute(inp))

    elapsed = time.monotonic() - t0
    print("covfuzz: seed %d: %d executions in %.0f s (%.0f/s), %d edges, corpus %d, "
          "%d crashes, %d rejections without extack" %
          (args.seed, stats["execs"], elapsed, stats["execs"] / max(elapsed, 1), len(seen),
           len(corpus), stats["crashes"], stats["unexplained"]), flush=True)
    print("covfuzz: %d of the edges in the devices' work items (remote coverage)" %
          len(remote_seen & seen))
    if crashes:
        print("covfuzz: first crash after %.0f s and %d executions" % crashes[0][:2])
    if args.save:
        save(args.save, kept)
    for f in fails:
        print(f)
    sys.exit(1 if crashes or fails else 0)


def save(where, kept):
    """A minimal corpus: greedily, the inputs that add the most edges."""
    os.makedirs(where, exist_ok=True)
    for name in os.listdir(where):
        os.unlink(os.path.join(where, name))
    covered, chosen = set(), []
    # New edges per kilobyte: a small input is kept before a large one.
    pool = [(inp, got, json.dumps(to_json(inp), separators=(",", ":"))) for inp, got in kept]
    while pool:
        best = max(pool, key=lambda k: len(k[1] - covered) / (1 + len(k[2]) / 1024))
        if not best[1] - covered:
            break
        covered |= best[1]
        chosen.append(best[2])
        pool.remove(best)
    for i, text in enumerate(chosen):
        with open(os.path.join(where, "%04d.json" % i), "w") as f:
            f.write(text + "\n")
    print("covfuzz: saved %d inputs (%d bytes) covering %d edges in %s" %
          (len(chosen), sum(map(len, chosen)), len(covered), where))


if __name__ == "__main__":
    main()
