#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Hand-made malformed requests to the "chimney" generic netlink family over
# a raw socket, below what chimneyctl can produce: every one must be refused
# with an errno and an extack (a message, or the missing or bad attribute),
# and none may change the device's objects. One line per case on stdout:
# "PASS text" or "FAIL text: why".
#
#   chimney_badinput.py IFINDEX

import errno
import os
import re
import socket
import struct
import sys
import time

NETLINK_GENERIC = 16
NETLINK_EXT_ACK = 11
NETLINK_CAP_ACK = 10
SOL_NETLINK = 270
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 1, 4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLA_F_NESTED = 0x8000
NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, NLMSGERR_ATTR_MISS_TYPE = 1, 2, 5


def uapi_enums():
    """Every enumerator of include/uapi/linux/chimney.h, by name."""
    here = os.path.dirname(os.path.abspath(__file__))
    for path in (os.path.join(here, "chimney.h"),
                 os.path.join(here, "../../include/uapi/linux/chimney.h")):
        if os.path.exists(path):
            break
    text = re.sub(r"/\*.*?\*/", "", open(path).read(), flags=re.S)
    values = {}
    for body in re.findall(r"enum\s+\w+\s*{(.*?)}", text, flags=re.S):
        value = -1
        for item in body.split(","):
            item = item.strip()
            if not item:
                continue
            name, _, expr = item.partition("=")
            name = name.strip()
            value = eval(expr, {}, values) if expr else value + 1
            values[name] = value
    return values


E = uapi_enums()
globals().update({k[len("CHIMNEY_"):]: v for k, v in E.items()})
B_TYPE, B_NEW, B_HANDLE, B_HOST_HANDLE = BLOCK_A_TYPE, BLOCK_A_NEW, BLOCK_A_HANDLE, BLOCK_A_HOST_HANDLE
B_CONST, B_CACHED, B_DELEGATED, B_DEPENDENTS = (BLOCK_A_CONST, BLOCK_A_CACHED, BLOCK_A_DELEGATED,
                                                BLOCK_A_DEPENDENTS)
NEIGH_STATE, TCP_STATE = NEIGHBOR_OFFLOAD_STATE, TCP_OFFLOAD_STATE
CAPS_CAPACITY, PARAM_TICKS = CAPS_A_TCP_CONNECTION_OFFLOAD_CAPACITY, PARAM_A_TICKS_PER_SECOND


def attr(t, payload):
    data = struct.pack("=HH", 4 + len(payload), t) + payload
    return data + b"\0" * (-len(data) % 4)


def nest(t, *items):
    return attr(t | NLA_F_NESTED, b"".join(items))


def u8(t, v):
    return attr(t, struct.pack("=B", v))


def u32(t, v):
    return attr(t, struct.pack("=I", v))


def u64(t, v):
    return attr(t, struct.pack("=Q", v))


def parse_attrs(msg, off):
    """The attributes of msg from off on, by type (the last of a type)."""
    found = {}
    while off + 4 <= len(msg):
        alen, atype = struct.unpack("=HH", msg[off:off + 4])
        if alen < 4:
            break
        found[atype] = msg[off + 4:off + alen]
        off += (alen + 3) & ~3
    return found


class Genl:
    def __init__(self):
        self.sk = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.sk.bind((0, 0))
        self.sk.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sk.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.seq = 0
        self.family = self.resolve()

    def send(self, family, cmd, payload, flags=NLM_F_ACK):
        self.seq += 1
        body = struct.pack("=BBH", cmd, 1, 0) + payload
        self.sk.send(struct.pack("=IHHII", 16 + len(body), family,
                                 NLM_F_REQUEST | flags, self.seq, 0) + body)

    def replies(self):
        """Messages answering the last request, up to its ACK, error or DONE."""
        while True:
            data = self.sk.recv(1 << 20)
            while data:
                length, mtype, flags, seq, _ = struct.unpack("=IHHII", data[:16])
                msg, data = data[:length], data[(length + 3) & ~3:]
                if seq != self.seq:
                    continue
                yield mtype, msg
                if mtype in (NLMSG_ERROR, NLMSG_DONE):
                    return

    def resolve(self):
        self.send(0x10, 3, attr(2, b"chimney\0"), 0)    # CTRL_CMD_GETFAMILY
        for mtype, msg in self.replies():
            if mtype == NLMSG_ERROR:
                sys.exit("chimney family not found")
            off = 20
            while off < len(msg):
                alen, atype = struct.unpack("=HH", msg[off:off + 4])
                if atype == 1:                          # CTRL_ATTR_FAMILY_ID
                    return struct.unpack("=H", msg[off + 4:off + 6])[0]
                off += (alen + 3) & ~3
        sys.exit("no family id")

    def result(self, cmd, payload, dump=False):
        """errno (0 if accepted) and the extack TLV types of the reply."""
        self.send(self.family, cmd, payload, NLM_F_DUMP if dump else NLM_F_ACK)
        for mtype, msg in self.replies():
            if mtype not in (NLMSG_ERROR, NLMSG_DONE):
                continue
            err = struct.unpack("=i", msg[16:20])[0]
            # With CAP_ACK an error echoes only the request's header.
            off = 20 + (16 if mtype == NLMSG_ERROR else 0)
            return -err if err < 0 else 0, parse_attrs(msg, off)
        return 0, {}

    def objects(self, ifindex):
        self.send(self.family, CMD_OBJ_GET, u32(A_IFINDEX, ifindex), NLM_F_DUMP)
        return sum(1 for mtype, _ in self.replies() if mtype not in (NLMSG_ERROR, NLMSG_DONE))


def path4(host, *deps):
    return nest(1, u8(B_TYPE, IP4_OFFLOAD_STATE), attr(B_NEW, b""), u64(B_HOST_HANDLE, host),
                nest(B_CONST, attr(PATH_A_SOURCE_ADDRESS, b"\x0a\0\0\1"),
                     attr(PATH_A_DESTINATION_ADDRESS, b"\x0a\0\0\2")),
                nest(B_CACHED, u32(PATH_A_PATH_MTU, 1500)),
                *([nest(B_DEPENDENTS, *deps)] if deps else []))


def tcp(host, *delegated, lport=1000):
    port = lambda t, v: attr(t, struct.pack("=H", v))
    return nest(1, u8(B_TYPE, TCP_STATE), attr(B_NEW, b""), u64(B_HOST_HANDLE, host),
                nest(B_CONST, port(TCP_A_LOCAL_PORT, lport), port(TCP_A_REMOTE_PORT, 2000),
                     port(TCP_A_REMOTE_MSS, 1460)),
                nest(B_CACHED),
                nest(B_DELEGATED, u8(TCP_A_STATE, TCP_CONNECTION_ESTABLISHED), *delegated))


neigh_open = (u8(B_TYPE, NEIGH_STATE), attr(B_NEW, b""), u64(B_HOST_HANDLE, 1),
              nest(B_CACHED, attr(NEIGH_A_DL_DESTINATION_ADDRESS, b"\x02\0\0\0\0\x02")))


def main():
    ifindex = int(sys.argv[1])
    g = Genl()
    dev = u32(A_IFINDEX, ifindex)
    rid = u64(A_REQ_ID, 1)
    neigh_new = nest(1, u8(B_TYPE, NEIGH_STATE), attr(B_NEW, b""), u64(B_HOST_HANDLE, 1),
                     nest(B_CONST),
                     nest(B_CACHED, attr(NEIGH_A_DL_DESTINATION_ADDRESS, b"\x02\0\0\0\0\x02")),
                     nest(B_DELEGATED))
    cases = [
        ("initiate without a request id", CMD_INITIATE, dev + nest(A_BLOCKS, neigh_new)),
        ("initiate without blocks", CMD_INITIATE, dev + rid),
        ("initiate on ifindex 0", CMD_INITIATE, u32(A_IFINDEX, 0) + rid + nest(A_BLOCKS, neigh_new)),
        ("initiate on a device that does not exist", CMD_INITIATE,
         u32(A_IFINDEX, 999999) + rid + nest(A_BLOCKS, neigh_new)),
        ("an unknown top-level attribute", CMD_INITIATE, dev + rid + u32(200, 1)),
        ("a request id of 4 bytes", CMD_INITIATE, dev + u32(A_REQ_ID, 1) + nest(A_BLOCKS, neigh_new)),
        ("blocks that are not nested", CMD_INITIATE, dev + rid + u32(A_BLOCKS, 1)),
        ("an empty block tree", CMD_INITIATE, dev + rid + nest(A_BLOCKS)),
        ("a block type out of range", CMD_INITIATE, dev + rid +
         nest(A_BLOCKS, nest(1, u8(B_TYPE, 99), attr(B_NEW, b""), u64(B_HOST_HANDLE, 1)))),
        ("an unknown block attribute", CMD_INITIATE, dev + rid +
         nest(A_BLOCKS, nest(1, u8(B_TYPE, NEIGH_STATE), attr(B_NEW, b""),
                             u64(B_HOST_HANDLE, 1), u32(60, 1)))),
        ("a TCP block at the neighbor layer", CMD_INITIATE, dev + rid +
         nest(A_BLOCKS, nest(1, u8(B_TYPE, TCP_STATE), attr(B_NEW, b""), u64(B_HOST_HANDLE, 1)))),
        ("a TCP state out of range", CMD_INITIATE, dev + rid +
         nest(A_BLOCKS, nest(1, u8(B_TYPE, NEIGH_STATE), attr(B_NEW, b""), u64(B_HOST_HANDLE, 1),
                             nest(B_DEPENDENTS, nest(1, nest(B_DEPENDENTS, nest(1, u8(B_TYPE, TCP_STATE),
                                  attr(B_NEW, b""), u64(B_HOST_HANDLE, 2),
                                  nest(B_DELEGATED, u8(TCP_A_STATE, 99))))))))),
        ("dependents below a TCP block (nested too deep)", CMD_INITIATE, dev + rid +
         nest(A_BLOCKS, nest(1, nest(B_DEPENDENTS, nest(1, nest(B_DEPENDENTS, nest(1,
              nest(B_DEPENDENTS, nest(1, u8(B_TYPE, NEIGH_STATE)))))))))),
        ("an attribute longer than the message", CMD_INITIATE,
         dev + rid + struct.pack("=HH", 200, A_BLOCKS | NLA_F_NESTED)),
        ("query of a forged handle", CMD_QUERY, dev + rid +
         nest(A_BLOCKS, nest(1, u8(B_TYPE, NEIGH_STATE), u64(B_HANDLE, 0xdead00000001)))),
        ("terminate without blocks", CMD_TERMINATE, dev + rid),
        ("capacity 0", CMD_DEV_SET, dev + nest(A_CAPS, u32(CAPS_CAPACITY, 0))),
        ("TicksPerSecond 7", CMD_DEV_SET, dev + nest(A_PARAMS, u32(PARAM_TICKS, 7))),
        ("a counter set that does not exist", CMD_DEV_SET, dev + u32(A_STATS_CLEAR, 0x10)),
        ("object get of handle 0", CMD_OBJ_GET, dev + u64(A_HANDLE, 0)),
        ("send without an I/O id", CMD_SEND,
         dev + u64(A_HANDLE, 0x100000001) + attr(A_IO_DATA, b"0123456789")),
        ("send on a handle that is not a connection", CMD_SEND,
         dev + u64(A_HANDLE, 0xdead00000001) + u64(A_IO_ID, 1) + attr(A_IO_DATA, b"0123456789")),
        ("send without data", CMD_SEND, dev + u64(A_HANDLE, 0x100000001) + u64(A_IO_ID, 1)),
        ("send of zero bytes", CMD_SEND,
         dev + u64(A_HANDLE, 0x100000001) + u64(A_IO_ID, 1) + attr(A_IO_DATA, b"")),
        ("send of more than CHIMNEY_IO_MAX_DATA bytes", CMD_SEND,
         dev + u64(A_HANDLE, 0x100000001) + u64(A_IO_ID, 1) + attr(A_IO_DATA, b"x" * 65001)),
        ("receive without a buffer size", CMD_RECEIVE,
         dev + u64(A_HANDLE, 0x100000001) + u64(A_IO_ID, 1)),
        ("receive buffer larger than CHIMNEY_IO_MAX_DATA", CMD_RECEIVE,
         dev + u64(A_HANDLE, 0x100000001) + u64(A_IO_ID, 1) + u32(A_IO_LEN, 65001)),
        ("receive with an unknown flag", CMD_RECEIVE,
         dev + u64(A_HANDLE, 0x100000001) + u64(A_IO_ID, 1) + u32(A_IO_LEN, 10) +
         u32(A_IO_FLAGS, IO_NO_PUSH << 1)),
    ]
    # Attributes that may appear once, twice (issue 16): the first of two
    # dependents empty, the second with 200 paths, was counted with one and
    # parsed with the other, and overflowed the request.
    # Attributes that may appear once, twice (issue 16). The first case is
    # the report: two dependents, the first empty and the second with 200
    # paths, were counted with one and parsed with the other.
    cases += [
        ("two dependents, the first empty, the second with 200 paths", CMD_INITIATE,
         dev + rid + nest(A_BLOCKS, nest(1, *neigh_open, nest(B_DEPENDENTS),
                                         nest(B_DEPENDENTS, *[path4(2 + i) for i in range(200)])))),
        ("a block with two host handles", CMD_INITIATE,
         dev + rid + nest(A_BLOCKS, nest(1, *neigh_open, u64(B_HOST_HANDLE, 9)))),
        ("SndUna twice in a connection's delegated state", CMD_INITIATE,
         dev + rid + nest(A_BLOCKS, nest(1, *neigh_open, nest(B_DEPENDENTS, path4(
             2, tcp(3, u32(TCP_A_SND_UNA, 1), u32(TCP_A_SND_UNA, 1))))))),
        ("the device's ifindex twice", CMD_INITIATE,
         dev + dev + rid + nest(A_BLOCKS, neigh_new)),
        ("two trees of blocks", CMD_INITIATE,
         dev + rid + nest(A_BLOCKS, neigh_new) + nest(A_BLOCKS, neigh_new)),
        ("TicksPerSecond twice in the parameters", CMD_DEV_SET,
         dev + nest(A_PARAMS, u32(PARAM_TICKS, 100), u32(PARAM_TICKS, 1000))),
        ("a send with two I/O ids", CMD_SEND,
         dev + u64(A_HANDLE, 0x100000001) + u64(A_IO_ID, 1) + u64(A_IO_ID, 2) +
         attr(A_IO_DATA, b"0123456789")),
        # Without send data nothing may be outstanding (issue 16, 2c).
        ("a connection with SndUna 5000, SndMax 6000 and no send data", CMD_INITIATE,
         dev + rid + nest(A_BLOCKS, nest(1, *neigh_open, nest(B_DEPENDENTS, path4(
             2, tcp(3, u32(TCP_A_SND_UNA, 5000), u32(TCP_A_SND_NXT, 6000),
                    u32(TCP_A_SND_MAX, 6000))))))),
    ]
    dumps = [
        ("replay without a sequence number", CMD_NOTIFY_GET, dev),
        ("object dump with the ifindex twice", CMD_OBJ_GET, dev + dev),
        ("device dump with the ifindex twice", CMD_DEV_GET, dev + dev),
        ("object dump of a device that does not exist", CMD_OBJ_GET, u32(A_IFINDEX, 999999)),
    ]
    # The encoding is right: the same neighbor, well formed, is accepted.
    err, tlvs = g.result(CMD_INITIATE, dev + rid + nest(A_BLOCKS, neigh_new))
    print(f"{'FAIL' if err else 'PASS'} a well-formed initiate is accepted"
          f"{': ' + os.strerror(err) if err else ''}")
    for _ in range(50):         # the virtual hardware completes it soon
        before = g.objects(ifindex)
        if before:
            break
        time.sleep(0.1)
    for text, cmd, payload in cases + [(t, c, p) for t, c, p in dumps]:
        err, tlvs = g.result(cmd, payload, dump=(text, cmd, payload) in dumps)
        # Every rejection says why in words (issue 16), not only by type.
        explained = NLMSGERR_ATTR_MSG in tlvs
        why = tlvs.get(NLMSGERR_ATTR_MSG, b"").rstrip(b"\0").decode(errors="replace")
        if not err:
            print(f"FAIL {text}: accepted")
        elif not explained:
            print(f"FAIL {text}: {os.strerror(err)} without an extack message")
        else:
            print(f"PASS {text}: {os.strerror(err)}{': ' + why if why else ''}")
    after = g.objects(ifindex)
    if after == before:
        print(f"PASS the rejected requests changed no object ({after} before and after)")
    else:
        print(f"FAIL the rejected requests changed no object: {before} before, {after} after")


def dump_gone(ifindex, name):
    """An object dump whose device goes away between two of its parts
    ends with ENODEV and a message, not as if it were complete."""
    g = Genl()
    dev = u32(A_IFINDEX, ifindex)
    tcps = [tcp(3 + i, lport=1000 + i) for i in range(600)]
    err, _ = g.result(CMD_INITIATE, dev + u64(A_REQ_ID, 1) +
                      nest(A_BLOCKS, nest(1, *neigh_open, nest(B_DEPENDENTS, path4(2, *tcps)))))
    for _ in range(100):
        if err or g.objects(ifindex) >= 602:
            break
        time.sleep(0.1)
    n = g.objects(ifindex)
    print(f"{'PASS' if n >= 602 else 'FAIL'} 602 objects to dump (got {n})")
    g.send(g.family, CMD_OBJ_GET, dev, NLM_F_DUMP)
    first, off = g.sk.recv(1 << 20), 0
    while off < len(first):
        length, mtype = struct.unpack("=IH", first[off:off + 6])
        if mtype in (NLMSG_ERROR, NLMSG_DONE):
            print("FAIL the dump came in one part: nothing to test")
            return
        off += (length + 3) & ~3
    os.system(f"ip link del {name}")
    err, why = 0, b""
    for mtype, msg in g.replies():
        if mtype in (NLMSG_ERROR, NLMSG_DONE):
            err = -struct.unpack("=i", msg[16:20])[0]
            why = msg
    ok = err == errno.ENODEV and b"has gone" in why
    print(f"{'PASS' if ok else 'FAIL'} a dump whose device goes between its parts ends "
          f"with ENODEV and why: {os.strerror(err) if err else 'it ended as complete'}")


if __name__ == "__main__":
    if sys.argv[1] == "gone":
        dump_gone(int(sys.argv[2]), sys.argv[3])
    else:
        main()
