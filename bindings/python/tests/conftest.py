# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fixtures: simulated hosts made from examples/hosts/*.json."""

import os
import pathlib
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent
SRCDIR = pathlib.Path(os.environ.get("VMFEX_SRCDIR") or HERE.parents[2])
sys.path.insert(0, str(HERE.parent))

import vmfex  # noqa: E402

VM = "8a6a0f55-0d9b-4a5b-9a8e-6f1c2b3d4e5f"
DMI = "4c4c4544-0042-4810-8052-b4c04f4d3132"  # ucs-b200-vic1240.json


@pytest.fixture
def srcdir():
    return SRCDIR


@pytest.fixture
def make_host(tmp_path):
    """make_host("ucs-b200-vic1240") -> the directory of a new simulated host."""
    def make(name):
        d = tmp_path / name
        vmfex.Context.sim_create(d, SRCDIR / "examples" / "hosts" / f"{name}.json")
        return d
    return make


@pytest.fixture
def blade(make_host):
    """A context on a UCS B200 with a VIC 1240 (enic, 2 PFs x 16 VFs)."""
    with vmfex.Context(sim_dir=make_host("ucs-b200-vic1240"), ignore_env=True) as ctx:
        yield ctx


@pytest.fixture
def mixed(make_host):
    """A context on a host with an 82599 (ixgbe, VFs off) and a virtio NIC."""
    with vmfex.Context(sim_dir=make_host("mixed-82599-virtio"), ignore_env=True) as ctx:
        yield ctx
