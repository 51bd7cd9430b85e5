# SPDX-License-Identifier: LGPL-2.1-or-later
"""The examples under examples/python run on a simulated host."""

import os
import subprocess
import sys

import pytest

from conftest import HERE, VM


def run(srcdir, host, script, *args):
    env = dict(os.environ, VMFEX_SIM=str(host),
               PYTHONPATH=os.pathsep.join([str(HERE.parent), os.environ.get("PYTHONPATH", "")]))
    p = subprocess.run([sys.executable, str(srcdir / "examples" / "python" / script), *args],
                       env=env, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout


def test_examples_are_tested(srcdir):
    assert sorted(os.listdir(srcdir / "examples" / "python")) == \
        ["associate-port.py", "list-host.py"]


def test_list_host(srcdir, make_host):
    out = run(srcdir, make_host("ucs-b200-vic1240"), "list-host.py")
    assert "0000:0a:00.0 enp10s0f0 VIC" in out
    assert "vf  15 0000:0b:02.0" in out or out.count("  vf ") == 32


def test_associate_port(srcdir, make_host):
    ucsm = srcdir / "examples" / "ucsm" / "configResolveClass-vnicProfile.xml"
    out = run(srcdir, make_host("ucs-b200-vic1240"), "associate-port.py",
              str(ucsm), "enp10s0f0", "3", "pp-vlan-25", VM)
    assert "pp-vlan-25: hostdev" in out
    assert "port enp10s0f0 vf 3: ASSOCIATE SUCCESS" in out
    assert "<interface type=\"hostdev\"" in out
    assert "port enp10s0f0 vf 3: DISASSOCIATE" in out
