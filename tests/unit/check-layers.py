#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The library's layers call the simulated host only through the backend
of lib/core: no file under lib/host, lib/rtnl, lib/workflow, lib/model or
lib/libvirt includes a simulator header or calls a vmfex_sim_ function,
and lib/sim calls no function defined in those layers."""
import os
import re
import sys

LAYERS = ("host", "rtnl", "workflow", "model", "libvirt")
# Public calls of the simulator that a layer may name in a comment are
# still a name: comments are removed before the checks.
COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
SIM_INCLUDE = re.compile(r'^\s*#\s*include\s*[<"][^>"]*sim[^>"/]*\.h[>"]', re.M)
SIM_CALL = re.compile(r"\bvmfex_sim_\w*")
DEFINITION = re.compile(r"^(?:_public_\s+)?[a-z][\w \*]*?\b(vmfex_\w+)\s*\([^;]*?\)\s*\{",
                        re.M | re.S)
CALL = re.compile(r"\b(vmfex_\w+)\s*\(")


def sources(lib, room):
    d = os.path.join(lib, room)
    for name in sorted(os.listdir(d)):
        if name.endswith((".c", ".h", ".c.in")):
            path = os.path.join(d, name)
            with open(path, encoding="utf-8") as f:
                yield path, COMMENT.sub(" ", f.read())


def main():
    lib = os.path.join(os.environ.get("VMFEX_SRCDIR", "."), "lib")
    bad = []
    defined = {}
    for room in LAYERS:
        for path, text in sources(lib, room):
            for m in SIM_INCLUDE.finditer(text):
                bad.append(f"{path}: includes a simulator header: {m.group(0).strip()}")
            for name in sorted(set(SIM_CALL.findall(text))):
                bad.append(f"{path}: names {name}")
            for name in DEFINITION.findall(text):
                defined[name] = path
    if not defined:
        bad.append(f"{lib}: no function definitions found: the check reads nothing")
    for path, text in sources(lib, "sim"):
        for name in sorted(set(CALL.findall(text))):
            if name in defined:
                bad.append(f"{path}: calls {name} of {defined[name]}, not core or the backend")
    for line in bad:
        print(line)
    print(f"{len(defined)} functions of the layers known; {len(bad)} crossing(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
