# SPDX-License-Identifier: GPL-2.0
"""The "chimney" family's attribute policies, as the kernel reports them.

policies(genl) asks nlctrl (CTRL_CMD_GETPOLICY, Linux 5.8 on) and returns
(ops, policies): ops maps a command to the index of its policy for a do
and for a dump; policies maps an index to {attribute type: Rule}. The
fuzzer builds requests from these, so a new attribute is fuzzed as soon as
the kernel has it.
"""
import struct
from collections import namedtuple

from chimney_badinput import NLM_F_DUMP, NLMSG_DONE, NLMSG_ERROR, attr

CTRL_CMD_GETPOLICY = 10
CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_POLICY, CTRL_ATTR_OP_POLICY = 2, 8, 9
CTRL_ATTR_POLICY_DO, CTRL_ATTR_POLICY_DUMP = 1, 2
(NL_POLICY_TYPE_ATTR_TYPE, NL_POLICY_TYPE_ATTR_MIN_VALUE_S, NL_POLICY_TYPE_ATTR_MAX_VALUE_S,
 NL_POLICY_TYPE_ATTR_MIN_VALUE_U, NL_POLICY_TYPE_ATTR_MAX_VALUE_U, NL_POLICY_TYPE_ATTR_MIN_LENGTH,
 NL_POLICY_TYPE_ATTR_MAX_LENGTH, NL_POLICY_TYPE_ATTR_POLICY_IDX) = range(1, 9)

# enum netlink_attribute_type
TYPES = ["invalid", "flag", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "binary",
         "string", "nul-string", "nested", "nested-array", "bitfield32"]
WIDTH = {"u8": 1, "u16": 2, "u32": 4, "u64": 8, "s8": 1, "s16": 2, "s32": 4, "s64": 8}

Rule = namedtuple("Rule", "kind lo hi minlen maxlen nested")


def _attrs(data):
    off = 0
    while off + 4 <= len(data):
        alen, atype = struct.unpack("=HH", data[off:off + 4])
        if alen < 4:
            return
        yield atype & 0x3fff, data[off + 4:off + alen]
        off += (alen + 3) & ~3


def _num(v):
    return struct.unpack({1: "=B", 2: "=H", 4: "=I", 8: "=Q"}[len(v)], v)[0]


def _snum(v):
    return struct.unpack({1: "=b", 2: "=h", 4: "=i", 8: "=q"}[len(v)], v)[0]


def _rule(data):
    f = dict(_attrs(data))
    kind = TYPES[_num(f[NL_POLICY_TYPE_ATTR_TYPE])]
    lo = hi = None
    if NL_POLICY_TYPE_ATTR_MIN_VALUE_U in f:
        lo, hi = _num(f[NL_POLICY_TYPE_ATTR_MIN_VALUE_U]), _num(f[NL_POLICY_TYPE_ATTR_MAX_VALUE_U])
    elif NL_POLICY_TYPE_ATTR_MIN_VALUE_S in f:
        lo, hi = _snum(f[NL_POLICY_TYPE_ATTR_MIN_VALUE_S]), _snum(f[NL_POLICY_TYPE_ATTR_MAX_VALUE_S])
    minlen = _num(f[NL_POLICY_TYPE_ATTR_MIN_LENGTH]) if NL_POLICY_TYPE_ATTR_MIN_LENGTH in f else None
    maxlen = _num(f[NL_POLICY_TYPE_ATTR_MAX_LENGTH]) if NL_POLICY_TYPE_ATTR_MAX_LENGTH in f else None
    nested = _num(f[NL_POLICY_TYPE_ATTR_POLICY_IDX]) if NL_POLICY_TYPE_ATTR_POLICY_IDX in f else None
    return Rule(kind, lo, hi, minlen, maxlen, nested)


def policies(genl, name=b"chimney"):
    genl.send(0x10, CTRL_CMD_GETPOLICY, attr(CTRL_ATTR_FAMILY_NAME, name + b"\0"), NLM_F_DUMP)
    ops, pols = {}, {}
    for mtype, msg in genl.replies():
        if mtype == NLMSG_ERROR:
            raise OSError(-struct.unpack("=i", msg[16:20])[0], "CTRL_CMD_GETPOLICY")
        if mtype == NLMSG_DONE:
            break
        for atype, data in _attrs(msg[20:]):
            if atype == CTRL_ATTR_POLICY:
                for idx, pol in _attrs(data):
                    for t, rule in _attrs(pol):
                        pols.setdefault(idx, {})[t] = _rule(rule)
            elif atype == CTRL_ATTR_OP_POLICY:
                for cmd, op in _attrs(data):
                    f = {k: _num(v) for k, v in _attrs(op)}
                    ops[cmd] = (f.get(CTRL_ATTR_POLICY_DO), f.get(CTRL_ATTR_POLICY_DUMP))
    return ops, pols
