# SPDX-License-Identifier: LGPL-2.1-or-later
"""libvirt XML written for VFs and pools, and read back."""

import errno

import pytest

import vmfex


def as_domain(ctx, iface):
    return ctx.parse_domain_xml(
        f"<domain type='test'><name>t</name><devices>{iface}</devices></domain>")


@pytest.fixture
def catalog(blade, srcdir):
    cat = blade.catalog()
    cat.import_ucsm_file(srcdir / "examples" / "ucsm" / "configResolveClass-vnicProfile.xml")
    return cat


def test_interface_for_vf(blade, catalog):
    vf = blade.pf("enp10s0f0").vf(3)
    web = catalog.add_profile("pp-web")
    xml = vf.interface_xml(web, mac="52:54:00:AC:FF:B6")
    assert isinstance(xml, str) and xml.startswith("<interface")
    dom = as_domain(blade, xml)
    assert dom.name == "t"
    (i,) = list(dom.interfaces())
    assert (i.type, i.source_dev, i.source_mode) == ("direct", "enp10s0f0v3", "passthrough")
    assert (i.mac, i.model, i.virtualport_type) == ("52:54:00:ac:ff:b6", "virtio", "802.1Qbh")
    assert i.profileid == "pp-web"
    assert i.topology == vmfex.XmlTopology.MACVTAP_PASSTHROUGH
    assert dom.can_migrate and dom.migration_blocker is None
    assert i.vf().pci == "0000:0a:00.4"
    assert i.pci is None and i.network is None and i.portgroup is None


def test_hostdev(blade, catalog):
    vf = blade.pf("enp10s0f0").vf(3)
    hp = catalog.profile("pp-vlan-25")  # high-perf-reqd
    xml = vf.interface_xml(hp)
    assert 'managed="yes"' in xml and '<driver name="vfio"/>' in xml
    dom = as_domain(blade, xml)
    i = next(dom.interfaces())
    assert (i.type, i.pci, i.profileid) == ("hostdev", "0000:0a:00.4", "pp-vlan-25")
    assert not dom.can_migrate
    assert "0000:0a:00.4" in dom.migration_blocker
    # Unmanaged needs the VF on vfio-pci already.
    with pytest.raises(OSError) as e:
        vf.interface_xml(hp, unmanaged=True)
    assert e.value.errno == errno.EBUSY


def test_interface_refusals(blade):
    vf = blade.pf("enp10s0f0").vf(3)
    with pytest.raises(OSError) as e:
        vf.interface_xml(profileid="x" * 40, topology=vmfex.XmlTopology.MACVTAP_PASSTHROUGH)
    assert e.value.errno == errno.EINVAL
    with pytest.raises(PermissionError):
        vf.interface_xml(profileid="pp", topology=vmfex.XmlTopology.MACVTAP_PRIVATE)
    xml = vf.interface_xml(profileid="pp", topology=vmfex.XmlTopology.MACVTAP_PRIVATE,
                           allow_deprecated=True)
    assert next(as_domain(blade, xml).interfaces()).source_mode == "private"
    xml = vf.interface_xml(topology=vmfex.XmlTopology.MACVTAP_PASSTHROUGH,
                           no_virtualport=True)
    assert "virtualport" not in xml


def test_network_pool(blade, catalog):
    pf = blade.pf("enp10s0f0")
    xml = pf.network_xml("vmfex-pool", vmfex.XmlTopology.MACVTAP_PASSTHROUGH, catalog,
                         default_profile="pp-app")
    net = blade.parse_network_xml(xml)
    assert net.name == "vmfex-pool"
    assert net.forward_mode == "passthrough"
    assert net.profileid("pp-vlan-25") == "pp-vlan-25"
    assert net.profileid() == "pp-app"
    only = pf.network_xml("p2", vmfex.XmlTopology.HOSTDEV, catalog,
                          profiles=["pp-vlan-25"], list_devices=True)
    assert "pp-app" not in only and "0x0a" in only.lower()
    with pytest.raises(FileNotFoundError):
        pf.network_xml("p3", vmfex.XmlTopology.HOSTDEV, catalog, profiles=["nosuch"])
    # A domain on that pool.
    iface = blade.interface_xml_for_network("vmfex-pool", "pp-vlan-25",
                                            mac="52:54:00:00:00:09")
    dom = as_domain(blade, iface)
    i = next(dom.interfaces())
    assert (i.type, i.network, i.portgroup) == ("network", "vmfex-pool", "pp-vlan-25")
    assert i.profileid is None
    assert dom.add_network(net) == 1
    assert i.profileid == "pp-vlan-25"
    assert i.topology == vmfex.XmlTopology.MACVTAP_PASSTHROUGH


def test_reader_refusals(blade):
    with pytest.raises(OSError) as e:
        blade.parse_domain_xml("<domain")
    assert e.value.errno == errno.EINVAL
    with pytest.raises(OSError) as e:
        blade.parse_network_xml("<network><name>n</name><forward mode='passthrough'/></network>")
    assert e.value.errno == errno.EINVAL
    dom = as_domain(blade, "<interface type='direct'><source dev='nosuch0' mode='passthrough'/>"
                           "</interface>")
    with pytest.raises(OSError) as e:
        next(dom.interfaces()).vf()
    assert e.value.errno == errno.ENODEV
