#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""pyroute2's decode of one RTM_NEWLINK saved by bench-rtnl.

Usage: peer-pyroute2.py FILE PF VFS ITERATIONS
Prints the median microseconds of one decode and how many of the VFS VFs
carry the MAC bench-rtnl gave them (52:54:PF:hi:mid:lo)."""
import os
import sys
import time

try:
    from pyroute2.netlink.rtnl.ifinfmsg import ifinfmsg
except ImportError:
    # Debian's python3-pyroute2 is for the system's interpreter, which
    # may not be the first python3 on PATH.
    if sys.executable != "/usr/bin/python3" and os.access("/usr/bin/python3", os.X_OK):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    raise


def decode(data):
    """The message decoded and every VF's index and MAC read from it, as
    the other peers are timed (pyroute2 may decode nested attributes only
    when asked)."""
    msg = ifinfmsg(data)
    msg.decode()
    vflist = msg.get_attr("IFLA_VFINFO_LIST")
    macs = []
    for info in (vflist.get_attrs("IFLA_VF_INFO") if vflist else []):
        mac = info.get_attr("IFLA_VF_MAC")
        if mac:
            macs.append((mac["vf"], mac["mac"]))
    return macs


def correct(macs, pf, vfs):
    want = {i: "52:54:%02x:%02x:%02x:%02x" % (pf, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff)
            for i in range(vfs)}
    ok = 0
    for vf, mac in macs:
        if want.get(vf) == mac:
            ok += 1
            del want[vf]
    return ok


def main():
    path, pf, vfs, iterations = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    with open(path, "rb") as f:
        data = f.read()
    times = []
    ok = 0
    for i in range(max(1, min(iterations, 50))):
        t0 = time.perf_counter()
        try:
            macs = decode(data)
        except Exception:  # a decode that breaks is a decode of no VF
            macs = []
        times.append(time.perf_counter() - t0)
        if i == 0:
            ok = correct(macs, pf, vfs)
    times.sort()
    print("%.1f %u" % (times[len(times) // 2] * 1e6, ok))


main()
