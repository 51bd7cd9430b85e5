# SPDX-License-Identifier: LGPL-2.1-or-later
"""Context, inventory, VF count rules, errno mapping, driver binding."""

import errno

import pytest

import vmfex


def test_version():
    assert vmfex.version().count(".") == 2


def test_context_on_sim(blade, make_host):
    assert blade.sim_dir is not None
    assert blade.sysfs_root.startswith(blade.sim_dir)
    assert blade.log_priority == vmfex.LOG_ERR
    blade.log_priority = "debug"
    assert blade.log_priority == vmfex.LOG_DEBUG
    with pytest.raises(ValueError):
        blade.log_priority = 9


def test_context_from_env(make_host, monkeypatch):
    d = make_host("ucs-b200-vic1240")
    monkeypatch.setenv("VMFEX_SIM", str(d))
    with vmfex.Context() as ctx:
        assert ctx.sim_dir == str(d)
        assert [pf.ifname for pf in ctx.pfs()] == ["enp10s0f0", "enp11s0f0"]


def test_context_missing_sim(tmp_path, caplog):
    with pytest.raises(FileNotFoundError) as e:
        vmfex.Context(sim_dir=tmp_path / "nothing", ignore_env=True)
    # The library's reason, said while the context was being made, reaches
    # both the exception and the logger.
    assert str(tmp_path / "nothing") in str(e.value)
    assert "no such directory" in str(e.value)
    assert [r.getMessage() for r in caplog.records if r.name == "vmfex"] != []


def test_context_closed(make_host):
    ctx = vmfex.Context(sim_dir=make_host("ucs-b200-vic1240"), ignore_env=True)
    ctx.close()
    ctx.close()
    assert ctx.closed
    with pytest.raises(ValueError):
        list(ctx.pfs())


def test_sim_create_refuses(tmp_path, srcdir):
    bad = tmp_path / "bad.json"
    bad.write_text('{"devices": 3}')
    with pytest.raises(OSError) as e:
        vmfex.Context.sim_create(tmp_path / "h", bad)
    assert e.value.errno == errno.EINVAL


def test_inventory(blade):
    pfs = list(blade.pfs())
    assert [pf.pci for pf in pfs] == ["0000:0a:00.0", "0000:0b:00.0"]
    pf = pfs[0]
    assert pf.ifname == "enp10s0f0"
    assert pf.driver == "enic"
    assert (pf.vendor_id, pf.device_id) == (0x1137, 0x0043)
    assert (pf.subsystem_vendor_id, pf.subsystem_device_id) == (0x1137, 0x0084)
    assert pf.is_vic
    assert (pf.total_vfs, pf.num_vfs) == (16, 16)
    assert pf.context is blade
    if pf.vendor_name is not None:  # pci.ids present
        assert "Cisco" in pf.vendor_name
        assert pf.model == "VIC 1240 MLOM Ethernet NIC"
        assert pf.device_name
    vfs = list(pf.vfs())
    assert [vf.index for vf in vfs] == list(range(16))
    vf = vfs[3]
    assert vf.pci == "0000:0a:00.4"
    assert vf.ifname == "enp10s0f0v3"
    assert vf.driver == "enic"
    assert vf.device_id == 0x0071
    assert vf.pf is pf
    pf.refresh()
    vf.refresh()


def test_lookups(blade):
    assert blade.pf("0a:00.0").ifname == "enp10s0f0"
    assert blade.pf_by_pci("0000:0b:00.0").ifname == "enp11s0f0"
    assert blade.pf_by_ifname("enp11s0f0").pci == "0000:0b:00.0"
    vf = blade.vf_by_pci("0000:0a:00.4")
    assert vf.index == 3 and vf.pf.pci == "0000:0a:00.0"
    assert blade.vf_by_ifname("enp10s0f0v3").pci == vf.pci
    assert blade.pf("enp10s0f0").vf(3).pci == vf.pci


def test_errno_mapping(blade):
    # No such netdev: ENODEV (no OSError subclass of its own).
    with pytest.raises(OSError) as e:
        blade.pf("nosuch0")
    assert e.value.errno == errno.ENODEV
    assert "nosuch0" in str(e.value)
    # A malformed name: EINVAL, nothing looked up.
    with pytest.raises(OSError) as e:
        blade.pf("../x")
    assert e.value.errno == errno.EINVAL
    # A function without SR-IOV: ENOTSUP.
    with pytest.raises(OSError) as e:
        blade.pf("enp12s0")
    assert e.value.errno == errno.ENOTSUP
    # No such VF index: ENOENT, so FileNotFoundError.
    with pytest.raises(FileNotFoundError):
        blade.pf("enp10s0f0").vf(99)


def test_num_vfs_enic(blade):
    pf = blade.pf("enp10s0f0")
    # enic enables all its VFs at probe: ENOENT, with the library's reason.
    with pytest.raises(FileNotFoundError) as e:
        pf.set_num_vfs(4)
    assert e.value.errno == errno.ENOENT
    assert "enic" in e.value.strerror
    # Over the total: ERANGE.
    with pytest.raises(OSError) as e:
        pf.set_num_vfs(17)
    assert e.value.errno == errno.ERANGE
    assert "17" in str(e.value)
    assert pf.num_vfs == 16


def test_num_vfs_ixgbe(mixed):
    pf = mixed.pf("enp3s0f0")
    assert pf.num_vfs == 0 and list(pf.vfs()) == []
    pf.set_num_vfs(4)
    assert pf.num_vfs == 4
    assert [vf.index for vf in pf.vfs()] == [0, 1, 2, 3]
    # From 4 to 8 goes through 0, as the kernel wants.
    pf.set_num_vfs(8, autoprobe=vmfex.Autoprobe.ON)
    assert pf.num_vfs == 8
    with pytest.raises(OSError) as e:
        pf.set_num_vfs(64)
    assert e.value.errno == errno.ERANGE
    pf.set_num_vfs(0)
    assert list(pf.vfs()) == []
    with pytest.raises(OSError) as e:
        mixed.pf("ens3")
    assert e.value.errno == errno.ENOTSUP


def test_bind_vfio_and_back(mixed):
    pf = mixed.pf("enp3s0f0")
    pf.set_num_vfs(2)
    vf = pf.vf(1)
    assert vf.driver == "ixgbevf" and vf.ifname
    vf.bind_driver("vfio-pci")
    assert vf.driver == "vfio-pci"
    assert vf.ifname is None
    vf.bind_driver()
    assert vf.driver == "ixgbevf"
    assert vf.ifname is not None
    with pytest.raises(OSError) as e:
        vf.bind_driver("../vfio")
    assert e.value.errno == errno.EINVAL
    with pytest.raises(OSError) as e:
        vf.bind_driver("nosuch")
    assert e.value.errno == errno.ENXIO
    assert "nosuch" in str(e.value)


def test_vf_settings(mixed):
    pf = mixed.pf("enp3s0f0")
    pf.set_num_vfs(2)
    vf = pf.vf(0)
    vf.set_mac("52:54:00:12:34:56")
    vf.set_vlan(100, qos=3)
    vf.set_spoofchk(False)
    vf.set_trust(True)
    vf.set_link_state(vmfex.VFLinkState.DISABLE)
    vf.set_rate(0, 1000)
    link = pf.link()
    assert link.ifname == "enp3s0f0"
    assert link.ifindex > 0
    assert link.num_vfs == 2
    assert [v.index for v in link.vfs()] == [0, 1]
    lv = link.vf(0)
    assert lv.mac == "52:54:00:12:34:56"
    assert (lv.vlan, lv.qos, lv.vlan_proto) == (100, 3, 0x8100)
    assert lv.spoofchk is False and lv.trust is True
    assert lv.link_state == vmfex.VFLinkState.DISABLE
    assert (lv.min_rate, lv.max_rate) == (0, 1000)
    assert link.vf(7) is None
    with pytest.raises(OSError) as e:
        vf.set_mac("01:00:5e:00:00:01")  # multicast
    assert e.value.errno == errno.EINVAL
    with pytest.raises(OSError) as e:
        vf.set_vlan(5000)
    assert e.value.errno == errno.EINVAL


def test_enic_has_only_mac(blade):
    vf = blade.pf("enp10s0f0").vf(0)
    vf.set_mac("52:54:00:00:00:01")
    with pytest.raises(OSError) as e:
        vf.set_vlan(10)
    assert e.value.errno == errno.EOPNOTSUPP
