# SPDX-License-Identifier: LGPL-2.1-or-later
"""802.1Qbh ports on the simulated VIC: associate, status, disassociate,
latency, injected responses and errors, batches, the request bytes."""

import errno
import struct
import time

import pytest

import vmfex
from conftest import DMI, VM


def test_associate_status_disassociate(blade):
    port = blade.pf("enp10s0f0").vf(3).port()
    assert port.ifname == "enp10s0f0"
    assert port.vf_index == 3
    # Before any request enic reports nothing.
    assert port.status() is None
    assert port.last_response is None
    assert blade.pf("enp10s0f0").link().vf(3) is None or \
        blade.pf("enp10s0f0").link().vf(3).port is None
    port.associate("pp-vlan-25", VM, mac="52:54:00:ac:ff:b6")
    assert port.last_response == vmfex.PortResponse.SUCCESS
    assert port.status() == (vmfex.PortRequest.ASSOCIATE, vmfex.PortResponse.SUCCESS)
    link = blade.link("enp10s0f0")
    st = link.vf(3).port
    assert st.profile == "pp-vlan-25"
    assert st.instance_uuid == VM
    assert st.host_uuid == DMI
    assert st.request == vmfex.PortRequest.ASSOCIATE
    assert st.response == vmfex.PortResponse.SUCCESS
    assert link.vf(3).mac == "52:54:00:ac:ff:b6"
    port.disassociate()
    assert port.status() == (vmfex.PortRequest.DISASSOCIATE, vmfex.PortResponse.SUCCESS)


def test_preassociate(blade):
    port = blade.pf("enp10s0f0").vf(5).port()
    port.preassociate("pp-vlan-25", VM, host_uuid=DMI, mac="52:54:00:ac:00:01")
    assert port.status().request == vmfex.PortRequest.PREASSOCIATE_RR
    port.associate("pp-vlan-25", VM, host_uuid=DMI, mac="52:54:00:ac:00:01")
    assert port.status().request == vmfex.PortRequest.ASSOCIATE


def test_latency(blade):
    blade.sim_latency = 60
    assert blade.sim_latency == 60
    port = blade.pf("enp11s0f0").vf(0).port()
    port.associate("pp-vlan-25", VM, no_wait=True, mac="52:54:00:ac:00:03")
    assert port.status().response == vmfex.PortResponse.INPROGRESS
    t0 = time.monotonic()
    port.associate("pp-vlan-25", VM, mac="52:54:00:ac:00:03")
    assert time.monotonic() - t0 >= 0.060
    assert port.status().response == vmfex.PortResponse.SUCCESS


def test_timeout(blade):
    blade.sim_latency = 2000
    port = blade.pf("enp11s0f0").vf(1).port()
    with pytest.raises(TimeoutError) as e:
        port.associate("pp-vlan-25", VM, timeout_ms=50, mac="52:54:00:ac:00:05")
    assert e.value.errno == errno.ETIMEDOUT


def test_injected_badstate(blade):
    blade.sim_inject(1, response=vmfex.PortResponse.BADSTATE)
    port = blade.pf("enp10s0f0").vf(2).port()
    with pytest.raises(OSError) as e:
        port.associate("pp-vlan-25", VM, mac="52:54:00:ac:00:06")
    assert e.value.errno == errno.EBADE
    assert "pp-vlan-25" in str(e.value)
    assert port.last_response == vmfex.PortResponse.BADSTATE
    assert vmfex.PortResponse.BADSTATE.label == "BADSTATE"
    # Used up: the next one succeeds.
    port.associate("pp-vlan-25", VM, mac="52:54:00:ac:00:07")


def test_injected_errno(blade):
    blade.sim_inject(1, error=errno.ESRCH)
    port = blade.pf("enp10s0f0").vf(4).port()
    with pytest.raises(ProcessLookupError):
        port.associate("pp-vlan-25", VM, mac="52:54:00:ac:00:08")
    with pytest.raises(OSError) as e:
        blade.sim_inject(1, response=1, error=1)
    assert e.value.errno == errno.EINVAL


def test_sim_only(tmp_path):
    with vmfex.Context(sysfs_root=tmp_path, ignore_env=True) as ctx:
        with pytest.raises(OSError) as e:
            ctx.sim_latency = 5
        assert e.value.errno == errno.ENOTSUP


def test_bad_profile_refused(blade):
    port = blade.pf("enp10s0f0").vf(0).port()
    with pytest.raises(OSError) as e:
        port.associate("x" * 40, VM)
    assert e.value.errno == errno.EINVAL
    assert port.status() is None  # nothing was sent


def test_batch(blade):
    blade.sim_latency = 20
    pf = blade.pf("enp10s0f0")
    ports = [pf.vf(i).port() for i in range(6)]
    reqs = [(p, {"profile": "pp-vlan-25", "instance_uuid": VM,
                 "mac": f"52:54:00:00:01:{i:02x}"}) for i, p in enumerate(ports)]
    blade.sim_inject(1, response=vmfex.PortResponse.INSUFFICIENT_RESOURCES)
    results = vmfex.associate_many(reqs)
    assert len(results) == 6
    failed = [r for r in results if r is not None]
    assert len(failed) == 1 and failed[0].errno == errno.ENOSPC
    ok = [p for p, r in zip(ports, results) if r is None]
    for p in ok:
        assert p.status() == (vmfex.PortRequest.ASSOCIATE, vmfex.PortResponse.SUCCESS)
    assert vmfex.disassociate_many(ok) == [None] * 5
    for p in ok:
        assert p.status().request == vmfex.PortRequest.DISASSOCIATE
    assert vmfex.associate_many([]) == []


def test_self_port(blade):
    port = blade.self_port("enp12s0")
    assert port.vf_index is None
    assert port.ifname == "enp12s0"


def test_build_request(blade):
    port = blade.pf("enp10s0f0").vf(3).port()
    msg = port.build_request(vmfex.PortRequest.ASSOCIATE, "pp-vlan-25", VM, host_uuid=DMI)
    length, kind = struct.unpack_from("=IH", msg)
    assert length == len(msg)
    assert kind == 19  # RTM_SETLINK
    assert b"pp-vlan-25" + b"\0" * (40 - 10) in msg
    assert port.status() is None  # nothing sent
    assert vmfex.port_request_label(2) == "ASSOCIATE"
    assert vmfex.port_response_label(0x999) == "UNKNOWN"
