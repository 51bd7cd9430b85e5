# SPDX-License-Identifier: LGPL-2.1-or-later
"""Catalog: clusters and profiles, save and load, UCS Manager import."""

import errno

import pytest

import vmfex


def test_new_catalog(blade):
    cat = blade.catalog()
    assert cat.path is None
    assert cat.context is blade
    assert [c.name for c in cat.clusters()] == ["default"]
    assert next(cat.clusters()).is_default
    assert len(cat) == 0 and list(cat.profiles()) == []


def test_profiles_and_clusters(blade, tmp_path):
    cat = blade.catalog()
    kvm = cat.add_cluster("kvm-hosts")
    assert kvm.name == "kvm-hosts" and not kvm.is_default
    with pytest.raises(FileExistsError):
        cat.add_cluster("kvm-hosts")
    with pytest.raises(OSError) as e:
        cat.add_cluster("bad name")
    assert e.value.errno == errno.EINVAL
    assert "bad name" in str(e.value)
    p = cat.add_profile("pp-web")
    assert p.name == "pp-web"
    assert p.descr is None and p.max_ports == 64
    assert p.host_nw_io_perf == vmfex.HostNwIoPerf.NONE
    assert p.type == vmfex.ProfileType.REGULAR
    assert p.topology == vmfex.Topology.MACVTAP_PASSTHROUGH
    assert len(p.uuid) == 36
    p.descr = "Web tier"
    p.qos_policy = "gold"
    p.nw_ctrl_policy = "cdp-enabled"
    p.pin_group = "pin-a"
    p.max_ports = 128
    p.host_nw_io_perf = "high-perf-reqd"
    p.type = vmfex.ProfileType.SLA_ONLY
    assert (p.descr, p.qos_policy, p.nw_ctrl_policy, p.pin_group, p.max_ports) == \
        ("Web tier", "gold", "cdp-enabled", "pin-a", 128)
    assert p.topology == vmfex.Topology.HOSTDEV
    assert p.type.ucsm_name == "sla-only"
    with pytest.raises(OSError) as e:
        p.max_ports = 5000
    assert e.value.errno == errno.EINVAL
    p.qos_policy = None
    assert p.qos_policy is None
    p.set_vlan("vlan-25", 25, native=True)
    p.set_vlan("vlan-26", 26)
    p.set_vlan("vlan-27", 27, native=True)
    assert list(p.vlans()) == [("vlan-25", 25, False), ("vlan-26", 26, False),
                               ("vlan-27", 27, True)]
    p.del_vlan("vlan-26")
    with pytest.raises(FileNotFoundError):
        p.del_vlan("vlan-26")
    p.add_client("kvm-hosts")
    p.add_client("default")
    assert list(p.clients()) == ["default", "kvm-hosts"]
    with pytest.raises(FileNotFoundError):
        p.add_client("nosuch")
    with pytest.raises(OSError) as e:
        cat.del_cluster("kvm-hosts")
    assert e.value.errno == errno.EBUSY
    with pytest.raises(PermissionError):
        cat.del_cluster("default")
    p.del_client("kvm-hosts")
    cat.del_cluster("kvm-hosts")
    assert cat.profile("pp-web").name == "pp-web"
    with pytest.raises(FileNotFoundError):
        cat.profile("nosuch")
    with pytest.raises(FileNotFoundError):
        cat.cluster("kvm-hosts")
    # Save, load, same document.
    path = tmp_path / "catalog.xml"
    cat.save(path)
    again = blade.open_catalog(path)
    assert again.path == str(path)
    assert again.to_xml() == cat.to_xml()
    q = again.profile("pp-web")
    assert q.uuid == p.uuid and q.descr == "Web tier"
    assert blade.catalog_from_xml(cat.to_xml()).to_xml() == cat.to_xml()
    cat.del_profile("pp-web")
    assert len(cat) == 0
    assert p.name == "pp-web"  # detached, still usable


def test_open_missing(blade, tmp_path):
    with pytest.raises(FileNotFoundError):
        blade.open_catalog(tmp_path / "none.xml")
    cat = blade.open_catalog(tmp_path / "new.xml", create=True, lock=True)
    cat.add_profile("pp-a")
    cat.save()
    cat.unlock()
    assert [p.name for p in blade.open_catalog(tmp_path / "new.xml").profiles()] == ["pp-a"]
    with pytest.raises(OSError) as e:
        blade.catalog_from_xml("<catalog")
    assert e.value.errno == errno.EINVAL


@pytest.mark.parametrize("name", ["configResolveClass-vnicProfile.xml",
                                  "configResolveDn-fabric-lan-profiles.xml",
                                  "configResolveDn-fabric-lan.xml"])
def test_import_ucsm(blade, srcdir, name):
    path = srcdir / "examples" / "ucsm" / name
    cat = blade.catalog()
    n = cat.import_ucsm_file(path)
    assert n > 0 and len(cat) == n
    # From memory too, the same catalog.
    other = blade.catalog()
    assert other.import_ucsm(path.read_bytes()) == n
    assert other.to_xml() == cat.to_xml()


def test_import_class(blade, srcdir):
    cat = blade.catalog()
    cat.import_ucsm_file(srcdir / "examples" / "ucsm" / "configResolveClass-vnicProfile.xml")
    p = cat.profile("pp-vlan-25")
    assert p.descr == "Web tier, VLAN 25 (hostdev)"
    assert p.host_nw_io_perf == vmfex.HostNwIoPerf.HIGH_PERF_REQD
    assert p.qos_policy == "gold"
    assert ("vlan-25", 25, True) in list(p.vlans())
    # vmVnicProfCl's swName names the cluster.
    assert list(p.clients()) == ["default"]


def test_import_error_response(blade, srcdir):
    cat = blade.catalog()
    with pytest.raises(OSError) as e:
        cat.import_ucsm_file(srcdir / "examples" / "ucsm" / "error-response.xml")
    assert e.value.errno == errno.EINVAL
    assert len(cat) == 0


def test_check_port(blade):
    cat = blade.catalog()
    p = cat.add_profile("pp-web")
    with pytest.raises(PermissionError):
        cat.check_port("pp-web", cluster="other", no_count=True)
    with pytest.raises(OSError) as e:
        cat.check_port("pp-web", no_count=True)
    assert e.value.errno == errno.EACCES  # default not a client yet
    p.add_client("default")
    assert cat.check_port("pp-web", no_count=True) == vmfex.Topology.MACVTAP_PASSTHROUGH
    port = blade.pf("enp10s0f0").vf(0).port()
    assert cat.check_port("pp-web", port=port) == vmfex.Topology.MACVTAP_PASSTHROUGH
    with pytest.raises(FileNotFoundError):
        cat.check_port("nosuch")


def test_enum_words():
    assert vmfex.HostNwIoPerf.parse("high-perf-reqd") == vmfex.HostNwIoPerf.HIGH_PERF_REQD
    assert vmfex.HostNwIoPerf.NONE.ucsm_name == "none"
    assert vmfex.ProfileType.parse("regular") == vmfex.ProfileType.REGULAR
    assert vmfex.Topology.HOSTDEV.label == "hostdev"
    with pytest.raises(ValueError):
        vmfex.ProfileType.parse("nope")


@pytest.fixture
def ucsm(srcdir, tmp_path):
    """An emulator of UCS Manager's XML API on 127.0.0.1 (tests/model/
    ucsm-emulator.py) with a certificate made here: (url, cert, calls)."""
    import json, shutil, subprocess, sys
    if not shutil.which("openssl"):
        pytest.skip("no openssl command")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    vlans, log = tmp_path / "vlans.xml", tmp_path / "calls.jsonl"
    vlans.write_text('<configResolveClass response="yes"><outConfigs/></configResolveClass>')
    emu = subprocess.Popen([sys.executable, srcdir / "tests" / "model" / "ucsm-emulator.py", cert,
                            key, log, srcdir / "examples" / "ucsm" / "configResolveClass-openstack.xml",
                            vlans, "ok"], stdout=subprocess.PIPE, text=True)
    try:
        port = int(emu.stdout.readline())
        yield (f"https://127.0.0.1:{port}", str(cert),
               lambda: [json.loads(line)["method"] for line in log.read_text().splitlines()])
    finally:
        emu.kill()
        emu.wait()


def test_sync_ucsm(blade, ucsm, tmp_path):
    url, cert, calls = ucsm
    cat = blade.catalog()
    with pytest.raises(PermissionError):
        cat.sync_ucsm(url, "admin", password="wrong", ca_file=cert)
    assert len(cat) == 0
    pw = tmp_path / "pw"
    pw.write_text('s3cret!&<"x\n')
    assert cat.sync_ucsm(url, "admin", password_file=str(pw), ca_file=cert, timeout=30) == 2
    assert sorted(p.name for p in cat.profiles()) == ["OS-PP-200", "OS-PP-201"]
    assert list(cat.profile("OS-PP-201").clients()) == ["default"]
    assert list(cat.profile("OS-PP-201").ucsm_clients()) == [
        ("OS-PP-201", ".*", ".*", ".*"),
        vmfex.UcsmClient("kvm", "^dc-[0-9]+$", "root/Tenant (A|B)", "default$")]
    assert calls() == ["aaaLogin", "aaaLogin", "configResolveClass", "configResolveClass",
                       "aaaLogout"]
    with pytest.raises(OSError) as e:
        cat.sync_ucsm("http://127.0.0.1:1", "admin", password="x")
    assert e.value.errno == errno.EINVAL
