# SPDX-License-Identifier: LGPL-2.1-or-later
"""Object lifetimes in any collection order, and the log in ``logging``."""

import errno
import gc
import logging
import weakref

import pytest

import vmfex
from conftest import VM


def test_drop_context_first(make_host):
    ctx = vmfex.Context(sim_dir=make_host("ucs-b200-vic1240"), ignore_env=True)
    pfs = list(ctx.pfs())
    vfs = [vf for pf in pfs for vf in pf.vfs()]
    port = vfs[3].port()
    link = pfs[0].link()
    cat = ctx.catalog()
    prof = cat.add_profile("pp-a")
    ref = weakref.ref(ctx)
    del ctx, cat
    gc.collect()
    assert ref() is not None  # kept by its children on the Python side
    del pfs
    gc.collect()
    # Everything still works.
    assert len(vfs) == 32
    assert vfs[3].pf.ifname == "enp10s0f0"
    assert link.ifname == "enp10s0f0"
    port.associate("pp-vlan-25", VM, mac="52:54:00:00:00:33")
    assert prof.name == "pp-a"
    # Drop in a mixed order: VFs, then the port (which holds a VF), the
    # profile (which holds the catalog), the link.
    del vfs
    gc.collect()
    assert port.status().request == vmfex.PortRequest.ASSOCIATE
    del prof
    gc.collect()
    del port, link
    gc.collect()
    assert ref() is None


def test_close_parent_explicitly(make_host):
    ctx = vmfex.Context(sim_dir=make_host("ucs-b200-vic1240"), ignore_env=True)
    pf = ctx.pf("enp10s0f0")
    vf = pf.vf(1)
    ls = pf.link().vf(0)
    ctx.close()
    pf.close()
    # The VF's and the LinkVF's own references keep the library's objects.
    assert vf.pci == "0000:0a:00.2"
    assert vf.port().ifname == "enp10s0f0"
    assert ls.index == 0
    with pytest.raises(ValueError):
        pf.pci


def test_cycles(make_host):
    ctx = vmfex.Context(sim_dir=make_host("ucs-b200-vic1240"), ignore_env=True)
    vf = ctx.pf("enp10s0f0").vf(0)
    # A cycle through the objects: collected in whatever order gc takes.
    vf.me = vf
    ctx.vf = vf
    del ctx, vf
    assert gc.collect() > 0


def test_log_to_logging(blade, caplog):
    caplog.set_level(logging.DEBUG, logger="vmfex")
    with pytest.raises(OSError):
        blade.pf("enp10s0f0").set_num_vfs(99)
    records = [r for r in caplog.records if r.name == "vmfex"]
    assert records, "no message from the library"
    r = records[-1]
    assert r.levelno == logging.ERROR
    assert "99" in r.getMessage()
    assert r.syslog_priority == vmfex.LOG_ERR
    assert r.pathname.endswith(".c") and r.lineno > 0


def test_info_messages(blade, caplog, srcdir):
    caplog.set_level(logging.DEBUG, logger="vmfex")
    ucsm = srcdir / "examples" / "ucsm" / "configResolveClass-vnicProfile.xml"
    n = blade.catalog().import_ucsm_file(ucsm)
    # At the default priority (err) the library does not send its notes.
    assert not [r for r in caplog.records if r.name == "vmfex"]
    blade.log_priority = "info"
    assert blade.catalog().import_ucsm_file(ucsm) == n
    infos = [r.getMessage() for r in caplog.records
             if r.name == "vmfex" and r.levelno == logging.INFO]
    # Formatted from the library's printf format and arguments.
    assert f"imported {n} port profiles from UCS Manager" in infos


def test_own_logger(make_host, caplog):
    log = logging.getLogger("agent.vmfex")
    caplog.set_level(logging.ERROR, logger="agent.vmfex")
    with vmfex.Context(sim_dir=make_host("ucs-b200-vic1240"), ignore_env=True,
                       logger=log) as ctx:
        with pytest.raises(OSError) as e:
            ctx.pf("nosuch0")
    assert e.value.errno == errno.ENODEV
    assert any(r.name == "agent.vmfex" and "nosuch0" in r.getMessage()
               for r in caplog.records)
