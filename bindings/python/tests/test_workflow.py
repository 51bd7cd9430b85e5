# SPDX-License-Identifier: LGPL-2.1-or-later
"""The VF allocator and attach/detach on the simulated VIC: reserve,
release, leases, attach then detach, failures leaving no lease."""

import errno
import gc

import pytest

import vmfex
from conftest import VM

OTHER = "11111111-2222-4333-8444-555555555555"


def test_reserve_release_leases(blade):
    assert list(blade.leases()) == []
    pf = blade.pf("enp10s0f0")
    vf = pf.reserve_vf(VM, vm_name="web1")
    assert vf.index == 0
    assert vf.pf.pci == pf.pci
    leases = blade.leases()
    assert len(leases) == 1
    lease = next(iter(leases))
    assert lease.pf == pf.pci
    assert lease.vf_index == 0
    assert lease.vm_uuid == VM
    assert lease.vm_name == "web1"
    assert lease.pid > 0
    assert not lease.confirmed
    assert not lease.stale  # this process is alive
    assert [x.vm_uuid for x in leases.find(pf=pf, vf_index=0)] == [VM]
    assert leases.find(pf="0000:0b:00.0") == []
    # The next reservation takes the next index.
    vf2 = pf.reserve_vf(OTHER, confirm=True)
    assert vf2.index == 1
    second = blade.leases().find(vm_uuid=OTHER)[0]
    assert second.confirmed and second.vm_name is None
    with pytest.raises(PermissionError) as e:
        vf.release(OTHER)
    assert VM in str(e.value)
    vf.release(VM)
    with pytest.raises(FileNotFoundError) as e:
        vf.release(VM)
    assert "no lease" in str(e.value)
    vf2.release()  # whoever holds it
    assert len(blade.leases()) == 0
    assert blade.reclaim_stale_leases() == 0


def test_reserve_bad_uuid(blade):
    with pytest.raises(OSError) as e:
        blade.pf("enp10s0f0").reserve_vf("not-a-uuid")
    assert e.value.errno == errno.EINVAL
    assert list(blade.leases()) == []


def test_reserve_skips_vfs_of_domains(blade):
    pf = blade.pf("enp10s0f0")
    dom = ("<domain type='kvm'><name>old</name><devices><interface type='direct'>"
           "<source dev='enp10s0f0v0' mode='passthrough'/></interface></devices></domain>")
    vf = pf.reserve_vf(VM, domains=[dom])
    assert vf.index == 1


def test_lease_keeps_list_alive(blade):
    blade.pf("enp10s0f0").reserve_vf(VM)
    lease = next(iter(blade.leases()))
    gc.collect()
    assert lease.vm_uuid == VM
    leases = blade.leases()
    lease = next(iter(leases))
    leases.close()
    with pytest.raises(ValueError):
        lease.vm_uuid


def test_attach_detach(blade):
    xml = blade.attach(VM, "pp-vlan-25", vm_name="web1", pf="enp10s0f0",
                       mac="52:54:00:ac:10:01")
    assert xml.startswith("<interface")
    assert "enp10s0f0v0" in xml and "52:54:00:ac:10:01" in xml
    (lease,) = blade.leases()
    assert lease.confirmed and lease.vm_name == "web1" and lease.vf_index == 0
    st = blade.link("enp10s0f0").vf(0).port
    assert st.profile == "pp-vlan-25" and st.instance_uuid == VM
    # The XML reads back as a domain interface on the same VF.
    dom = blade.parse_domain_xml(f"<domain type='kvm'><name>web1</name><devices>{xml}"
                                 "</devices></domain>")
    (iface,) = dom.interfaces()
    assert iface.vf().index == 0
    assert blade.detach(VM) == 1
    assert list(blade.leases()) == []
    assert blade.link("enp10s0f0").vf(0).port.request == vmfex.PortRequest.DISASSOCIATE
    with pytest.raises(FileNotFoundError):
        blade.detach(VM)


def test_attach_many(blade):
    vms = ["6b9a1e2c-3d4f-4a5b-8c6d-00000000d000", "not-a-uuid",
           "6b9a1e2c-3d4f-4a5b-8c6d-00000000d002"]
    res = blade.attach_many([{"vm_uuid": v, "profile": "pp-vlan-25", "pf": "enp10s0f0",
                              "vm_name": f"vm{i}"} for i, v in enumerate(vms)])
    assert len(res) == 3
    assert "enp10s0f0v0" in res[0] and "enp10s0f0v1" in res[2]
    assert isinstance(res[1], OSError) and res[1].errno == errno.EINVAL
    assert [lease.vm_uuid for lease in blade.leases()] == [vms[0], vms[2]]
    assert blade.detach(vms[0]) == 1 and blade.detach(vms[2]) == 1
    assert blade.attach_many([]) == []


def test_attach_hostdev(blade):
    pf = blade.pf("enp11s0f0")
    xml = blade.attach(VM, "pp-vlan-25", pf=pf, topology=vmfex.XmlTopology.HOSTDEV)
    assert "hostdev" in xml
    vf = pf.vf(0)
    vf.refresh()
    assert vf.driver == "vfio-pci"
    assert blade.detach(VM) == 1
    vf.refresh()
    assert vf.driver == "enic"


def test_attach_by_libvirt(blade):
    xml = blade.attach(VM, "pp-vlan-25", association=vmfex.AttachAssociation.BY_LIBVIRT)
    assert "virtualport" in xml and "pp-vlan-25" in xml
    assert blade.detach(VM) == 1


def test_attach_preassociate_migration(blade):
    blade.attach(VM, "pp-vlan-25", pf="enp10s0f0",
                 association=vmfex.AttachAssociation.PREASSOCIATE)
    assert blade.pf("enp10s0f0").vf(0).port().status().request == \
        vmfex.PortRequest.PREASSOCIATE_RR
    assert blade.attach_migration_finish(VM) == 1
    assert blade.pf("enp10s0f0").vf(0).port().status().request == vmfex.PortRequest.ASSOCIATE
    with pytest.raises(FileNotFoundError):
        blade.attach_migration_finish(VM)
    blade.detach(VM)


def test_attach_migration_begin_and_back(blade):
    blade.attach(VM, "pp-vlan-25", pf="enp10s0f0")
    assert blade.attach_migration_begin(VM) == 1
    assert blade.pf("enp10s0f0").vf(0).port().status().request == \
        vmfex.PortRequest.PREASSOCIATE_RR
    with pytest.raises(FileNotFoundError):
        blade.attach_migration_begin(VM)
    # The migration failed: the VM runs here again.
    assert blade.attach_migration_finish(VM) == 1
    assert blade.pf("enp10s0f0").vf(0).port().status().request == vmfex.PortRequest.ASSOCIATE
    blade.detach(VM)


@pytest.mark.parametrize("inject", [{"error": errno.EIO},
                                    {"response": vmfex.PortResponse.INSUFFICIENT_RESOURCES}])
def test_attach_failure_leaves_no_lease(blade, inject):
    blade.sim_inject(1, **inject)
    with pytest.raises(OSError) as e:
        blade.attach(VM, "pp-vlan-25", vm_name="web1", pf="enp10s0f0")
    assert "pp-vlan-25" in str(e.value)
    assert "cannot associate" in str(e.value)
    assert list(blade.leases()) == []
    # The VF is free again: the next attach takes it.
    xml = blade.attach(VM, "pp-vlan-25", pf="enp10s0f0")
    assert "enp10s0f0v0" in xml
    assert blade.detach(VM) == 1


def test_attach_checks_catalog(blade):
    cat = blade.catalog()
    with pytest.raises(FileNotFoundError):
        blade.attach(VM, "pp-vlan-25", catalog=cat)
    assert list(blade.leases()) == []


def test_attach_no_free_vf(mixed):
    with pytest.raises(OSError) as e:
        mixed.attach(VM, "pp-vlan-25")
    assert e.value.errno in (errno.ENOSPC, errno.ENODEV)
    assert list(mixed.leases()) == []


def test_stale_lease_of_dead_process(blade):
    # A lease made by a process that exited without confirming it is stale:
    # it shows as such, and reclaim_stale_leases() drops it.
    import os
    import pathlib
    import subprocess
    import sys
    pkg = str(pathlib.Path(vmfex.__file__).resolve().parents[1])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [pkg] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    code = ("import vmfex, sys; ctx = vmfex.Context(sim_dir=sys.argv[1], ignore_env=True); "
            "print(ctx.pf('enp10s0f0').reserve_vf(sys.argv[2], vm_name='gone').index)")
    out = subprocess.run([sys.executable, "-c", code, blade.sim_dir, VM], check=True,
                         capture_output=True, text=True, env=env).stdout
    assert out.strip() == "0"
    (lease,) = blade.leases()
    assert lease.vm_name == "gone"
    assert lease.stale and not lease.confirmed
    # A reservation treats its VF as free.
    vf = blade.pf("enp10s0f0").reserve_vf(OTHER, confirm=True)
    assert vf.index == 0
    vf.release(OTHER)
    subprocess.run([sys.executable, "-c", code, blade.sim_dir, VM], check=True,
                   capture_output=True, env=env)
    assert blade.reclaim_stale_leases() == 1
    assert list(blade.leases()) == []
