#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Every exported symbol of lib/libvmfex.sym has a line in each binding's
COVERAGE file: ``symbol<TAB>name`` where the binding has it, or
``symbol<TAB>-<TAB>reason`` where it is left out. The Python names must
exist: the package is imported and each dotted name resolved.

The Go binding's file is required once bindings/go exists.
Usage: check-coverage.py [SRCDIR]  (default: VMFEX_SRCDIR, else ../..)"""

import functools
import os
import pathlib
import re
import subprocess
import sys

src = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else
                   os.environ.get("VMFEX_SRCDIR") or pathlib.Path(__file__).resolve().parents[2])
failures = []


def fail(text):
    failures.append(text)
    print(f"not ok - {text}")


def read_coverage(path):
    """{symbol: (name or None, reason)}, failing on malformed lines."""
    entries = {}
    for n, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        where = f"{path.relative_to(src)}:{n}"
        if len(fields) == 2 and fields[1] not in ("", "-"):
            entry = (fields[1], None)
        elif len(fields) == 3 and fields[1] == "-" and fields[2].strip():
            entry = (None, fields[2])
        else:
            fail(f"{where}: not 'symbol<TAB>name' nor 'symbol<TAB>-<TAB>reason': {line!r}")
            continue
        if fields[0] in entries:
            fail(f"{where}: {fields[0]} listed twice")
        entries[fields[0]] = entry
    return entries


symbols = re.findall(r"^\s*(vmfex_\w+)\s*;", (src / "lib" / "libvmfex.sym").read_text(), re.M)
if not symbols:
    fail("no symbol found in lib/libvmfex.sym")

bindings = {"python": src / "bindings" / "python" / "COVERAGE"}
if (src / "bindings" / "go").is_dir():
    bindings["go"] = src / "bindings" / "go" / "COVERAGE"

covered = {}
for lang, path in bindings.items():
    if not path.is_file():
        fail(f"{path.relative_to(src)} is missing")
        continue
    entries = covered[lang] = read_coverage(path)
    for sym in symbols:
        if sym not in entries:
            fail(f"{lang}: {sym} has no line in {path.relative_to(src)}")
    for sym in sorted(set(entries) - set(symbols)):
        fail(f"{lang}: {sym} is not exported by lib/libvmfex.sym")

def sanitized(lib):
    """Whether the library was built with sanitizers, whose runtime python3
    cannot load after start-up."""
    try:
        out = subprocess.run(["readelf", "-d", lib], capture_output=True, text=True).stdout
    except OSError:
        return False
    return re.search(r"lib(a|ub|t)san", out) is not None


library = os.environ.get("VMFEX_LIBRARY")
if "python" in covered and library and sanitized(library):
    print(f"# {library} is built with sanitizers: the Python names are not resolved")
elif "python" in covered:
    sys.path.insert(0, str(src / "bindings" / "python"))
    try:
        import vmfex
    except Exception as e:  # noqa: BLE001 -- report any failure to load
        fail(f"python: cannot import vmfex: {e}")
    else:
        for sym, (name, _) in sorted(covered["python"].items()):
            if name is None:
                continue
            parts = name.split(".")
            try:
                if parts[0] != "vmfex":
                    raise AttributeError(f"{name} is outside the vmfex package")
                functools.reduce(getattr, parts[1:], vmfex)
            except AttributeError as e:
                fail(f"python: {sym} -> {name}: {e}")

for lang, entries in covered.items():
    bound = sum(1 for name, _ in entries.values() if name)
    print(f"# {lang}: {bound} of {len(symbols)} symbols bound, "
          f"{sum(1 for s in symbols if s in entries) - bound} left out with a reason")
print("ok - coverage" if not failures else f"# {len(failures)} failures")
sys.exit(1 if failures else 0)
