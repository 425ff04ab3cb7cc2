#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""How long does the rest of the machine wait for RTNL?

  chimney_rtnl_probe.py NETNS STOPFILE

From a socket in the network namespace NETNS (ip netns), adds and
deletes a dummy device, again and again, until STOPFILE exists, and times
each add from its send to its answer. An add runs under RTNL, so it is as
slow as the longest hold of RTNL it meets: a teardown under RTNL shows as
an add of seconds. (A delete is not timed: after RTNL it waits for every
RCU callback queued so far, which a teardown queues by the million.)
Writes "ready" to STOPFILE.ready after one untimed add (which may load
the dummy module); at the end prints

  rtnl probe: N adds, slowest X ms, median Y ms

and exits 0, or 1 when a request failed.
"""
import ctypes
import os
import statistics
import sys
import time

from chimney_allocfail import rtnl, rtnl_result
from chimney_fuzz import a

CLONE_NEWNET = 0x40000000
RTM_NEWLINK, RTM_DELLINK, NLM_F_CREATE, NLM_F_EXCL = 16, 17, 0x400, 0x200
IFLA_IFNAME, IFLA_LINKINFO, IFLA_INFO_KIND = 3, 18, 1
NAME = b"rtnlprobe0\0"


def socket_in(netns):
    """A route socket in netns; this thread stays where it was."""
    libc = ctypes.CDLL(None, use_errno=True)
    home = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    there = os.open("/var/run/netns/" + netns, os.O_RDONLY)
    try:
        if libc.setns(there, CLONE_NEWNET):
            raise OSError(ctypes.get_errno(), "setns " + netns)
        sk, _ = rtnl(RTM_NEWLINK, 0, [])
        if libc.setns(home, CLONE_NEWNET):
            raise OSError(ctypes.get_errno(), "setns back")
    finally:
        os.close(home)
        os.close(there)
    return sk


def request(sk, mtype, flags, attrs):
    """errno of the request, and its time in ms."""
    _, msg = rtnl(mtype, flags, attrs)
    t0 = time.monotonic()
    sk.send(msg)
    err = rtnl_result(sk)
    return err, (time.monotonic() - t0) * 1000


def add_del(sk):
    err, add = request(sk, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL,
                       [a(IFLA_IFNAME, NAME), a(IFLA_LINKINFO, [a(IFLA_INFO_KIND, b"dummy\0")])])
    if err:
        raise SystemExit("rtnl probe: adding a dummy device: %s" % os.strerror(err))
    err, _ = request(sk, RTM_DELLINK, 0, [a(IFLA_IFNAME, NAME)])
    if err:
        raise SystemExit("rtnl probe: deleting it: %s" % os.strerror(err))
    return add


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    netns, stop = sys.argv[1:]
    sk = socket_in(netns)
    add_del(sk)
    with open(stop + ".ready", "w") as f:
        f.write("ready\n")
    times = []
    while not os.path.exists(stop):
        times.append(add_del(sk))
        time.sleep(0.1)
    print("rtnl probe: %d adds, slowest %.1f ms, median %.1f ms" %
          (len(times), max(times, default=0), statistics.median(times or [0])))


if __name__ == "__main__":
    main()
