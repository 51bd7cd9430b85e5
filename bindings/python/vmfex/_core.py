# SPDX-License-Identifier: LGPL-2.1-or-later
"""Context, host inventory, VF settings and 802.1Qbh ports."""

import collections
import ctypes
import errno
import os
import shutil
import subprocess
from ctypes import byref, c_int, c_size_t, c_uint, c_void_p, sizeof

from . import _ffi
from ._base import (Handle, Locked, LogState, LOG_HOOK, call, dec, enc, error,
                    locked, priority_of, take_buffer)
from ._enums import (Autoprobe, PortRequest, PortResponse, VFLinkState,
                     XmlTopology, as_enum)
from ._ffi import fn


def version():
    """The library's version string, e.g. ``"1.0.0"``."""
    return dec(fn.vmfex_version())


def _out():
    return c_void_p()


class Context(Handle):
    """A library context: where the host is (``/sys``, a fixture tree or a
    simulated host) and where its log goes.

    ``Context()`` reads ``VMFEX_SIM`` and ``VMFEX_LOG`` from the environment
    (unless ``ignore_env``); ``sim_dir`` opens a simulated host made by
    :meth:`sim_create`; ``sysfs_root`` a sysfs tree. The library's messages go
    to the ``vmfex`` logger (or ``logger``), at the levels of their syslog
    priorities. Usable as a context manager."""

    _unref = "vmfex_unref"

    def __init__(self, sim_dir=None, sysfs_root=None, *, ignore_env=False,
                 log_priority=None, logger=None):
        state = LogState(logger)
        # The log hook from the start: why a simulated host cannot be opened
        # reaches the logger and the exception.
        opts = _ffi.NewOpts(sizeof(_ffi.NewOpts), enc(sysfs_root), enc(sim_dir),
                            int(bool(ignore_env)), LOG_HOOK, c_void_p(state.key))
        out = _out()
        state.begin()
        r = fn.vmfex_new_with_opts(byref(opts), byref(out))
        if r < 0:
            where = f" on {sim_dir}" if sim_dir else ""
            raise error(state, -r, f"cannot make a context{where}")
        super().__init__(out.value, None, state)
        fn.vmfex_set_log_fn(out, LOG_HOOK, c_void_p(state.key))
        if log_priority is not None:
            self.log_priority = log_priority

    @classmethod
    def sim_create(cls, directory, description):
        """Create a simulated host in ``directory`` (missing or empty) from a
        JSON host description file; returns ``directory``."""
        with cls(ignore_env=True) as ctx:
            ctx._call("vmfex_sim_create", ctx._p, enc(directory), enc(description),
                      what=f"sim_create {description}")
        return directory

    # -- properties --
    @property
    def log_priority(self):
        """The highest syslog priority logged (3: err ... 7: debug); set it
        with a number or a name such as ``"debug"``."""
        return fn.vmfex_get_log_priority(self._p)

    @log_priority.setter
    def log_priority(self, value):
        fn.vmfex_set_log_priority(self._p, priority_of(value))

    @property
    def sysfs_root(self):
        """The sysfs root in use."""
        return dec(fn.vmfex_get_sysfs_root(self._p))

    @property
    def sim_dir(self):
        """The simulated host's directory, or None on a real host."""
        return dec(fn.vmfex_get_sim_dir(self._p))

    # -- inventory --
    def pfs(self):
        """Generator of the host's PFs, sorted by PCI address (one scan)."""
        found = []
        p = fn.vmfex_pf_next(self._p, None)
        while p:
            found.append(PF(fn.vmfex_pf_ref(p), self))
            p = fn.vmfex_pf_next(self._p, p)
        yield from found

    def _new(self, name, arg, what):
        out = _out()
        self._call(name, self._p, enc(arg), byref(out), what=f"{what} {arg}")
        return out.value

    def pf(self, name):
        """The PF of a netdev name or PCI address."""
        return PF(self._new("vmfex_pf_new_from_name", name, "pf"), self)

    def pf_by_pci(self, pci):
        """The PF at a PCI address."""
        return PF(self._new("vmfex_pf_new_from_pci", pci, "pf"), self)

    def pf_by_ifname(self, ifname):
        """The PF of a netdev."""
        return PF(self._new("vmfex_pf_new_from_ifname", ifname, "pf"), self)

    def vf_by_pci(self, pci):
        """The VF at a PCI address."""
        return VF._from_new(self._new("vmfex_vf_new_from_pci", pci, "vf"), self)

    def vf_by_ifname(self, ifname):
        """The VF of a netdev."""
        return VF._from_new(self._new("vmfex_vf_new_from_ifname", ifname, "vf"), self)

    def link(self, ifname):
        """A snapshot of a netdev's rtnetlink state."""
        return Link(self._new("vmfex_link_new_from_ifname", ifname, "link"), self)

    def self_port(self, name):
        """The netdev's own 802.1Qbh port (by netdev name or PCI address)."""
        return Port(self._new("vmfex_port_new_self", name, "port"), self)

    # -- simulated host --
    @property
    def sim_latency(self):
        """The simulated adapter's latency in ms (settable)."""
        ms = c_uint()
        self._call("vmfex_sim_read_latency", self._p, byref(ms))
        return ms.value

    @sim_latency.setter
    def sim_latency(self, ms):
        self._call("vmfex_sim_set_latency", self._p, int(ms))

    def sim_inject(self, count=1, *, response=None, error=None):
        """Make the next ``count`` port requests on the simulated host end
        with ``response`` (a PortResponse) or fail with ``error`` (an errno);
        ``count=0`` cancels a pending injection."""
        opts = _ffi.SimInjectOpts(sizeof(_ffi.SimInjectOpts), int(count),
                                  int(response or 0), int(error or 0))
        self._call("vmfex_sim_inject", self._p, byref(opts))

    # -- catalog and XML (see catalog.py, libvirt.py) --
    def catalog(self):
        """A new, empty catalog (the default cluster, no profiles)."""
        from .catalog import Catalog
        out = _out()
        self._call("vmfex_catalog_new", self._p, byref(out))
        return Catalog(out.value, self)

    def open_catalog(self, path, *, lock=False, create=False):
        """Load a catalog file; ``lock`` takes the writers' lock, ``create``
        gives an empty catalog for a missing file."""
        from .catalog import Catalog
        opts = _ffi.CatalogOpenOpts(sizeof(_ffi.CatalogOpenOpts), bool(lock), bool(create))
        out = _out()
        self._call("vmfex_catalog_open", self._p, enc(path), byref(opts), byref(out),
                   what=f"catalog {path}")
        return Catalog(out.value, self)

    def catalog_from_xml(self, document):
        """Parse a catalog document (str or bytes)."""
        from .catalog import Catalog
        data = enc(document)
        out = _out()
        self._call("vmfex_catalog_new_from_buffer", self._p, data, len(data), byref(out))
        return Catalog(out.value, self)

    def interface_xml_for_network(self, network, portgroup=None, *, mac=None, model=None):
        """A domain ``<interface type='network'>`` naming a VF pool."""
        from .libvirt import interface_opts
        opts = interface_opts(mac=mac, model=model)
        xml = c_void_p()
        self._call("vmfex_xml_interface_for_network", self._p, enc(network),
                   enc(portgroup), byref(opts), byref(xml))
        return take_string(xml)

    def parse_network_xml(self, document):
        """Parse and check a libvirt ``<network>``."""
        from .libvirt import XmlNetwork
        data = enc(document)
        out = _out()
        self._call("vmfex_xml_network_new_from_buffer", self._p, data, len(data), byref(out))
        return XmlNetwork(out.value, self)

    def parse_domain_xml(self, document):
        """Parse a libvirt ``<domain>`` and its interfaces."""
        from .libvirt import XmlDomain
        data = enc(document)
        out = _out()
        self._call("vmfex_xml_domain_new_from_buffer", self._p, data, len(data), byref(out))
        return XmlDomain(out.value, self)

    # -- workflows (see workflow.py) --
    def leases(self):
        """A snapshot of the host's leases (LeaseList, iterable); empty when
        there is no lease file."""
        from .workflow import LeaseList
        out = _out()
        self._call("vmfex_lease_list_new", self._p, byref(out), what="leases")
        return LeaseList(out.value, self)

    def reclaim_stale_leases(self):
        """Drop every stale lease, undoing what a killed attach left on its
        VF; returns how many were dropped."""
        return self._call("vmfex_lease_reclaim_stale", self._p, what="reclaim stale leases")

    def attach(self, vm_uuid, profile, *, vm_name=None, pf=None,
               topology=XmlTopology.PROFILE, catalog=None, mac=None,
               association=None, domains=None, host_uuid=None, timeout_ms=0):
        """Give a VM a VM-FEX vNIC: reserve a VF (of ``pf``, a name, address
        or PF; None: the first PF with a free VF), set its MAC, associate its
        port with ``profile`` (see AttachAssociation), bind it to vfio-pci
        for hostdev, and confirm the lease. Returns the domain
        ``<interface>`` XML. On failure the steps done are undone and the
        OSError carries the library's message (ENOSPC: no free VF)."""
        from ._enums import AttachAssociation
        from .workflow import attach_opts
        if association is None:
            association = AttachAssociation.ASSOCIATE
        opts, keep = attach_opts(vm_uuid, profile, vm_name=vm_name, pf=pf,
                                 topology=topology, catalog=catalog, mac=mac,
                                 association=association, domains=domains,
                                 host_uuid=host_uuid, timeout_ms=timeout_ms)
        xml = c_void_p()
        self._call("vmfex_attach", self._p, byref(opts), byref(xml),
                   what=f"attach {vm_name or vm_uuid} to {profile}")
        del keep
        return take_string(xml)

    def attach_many(self, vms):
        """Attach many VMs in one call, as a host restarting its VMs does:
        ``vms`` is a sequence of dicts of attach()'s arguments (``vm_uuid``
        and ``profile`` required). Every VM goes up to its port request,
        then one wait of the adapter serves all, then the rest. A VM that
        fails is undone alone. Returns one result per VM, in order: its
        ``<interface>`` XML, or the OSError of that VM."""
        from .workflow import attach_opts
        vms = [dict(v) for v in vms]
        if not vms:
            return []
        made = [attach_opts(v.pop("vm_uuid"), v.pop("profile"), **v) for v in vms]
        n = len(made)
        oarr = (ctypes.POINTER(_ffi.AttachOpts) * n)(*[ctypes.pointer(o) for o, _ in made])
        xmls = (c_void_p * n)()
        res = (c_int * n)()
        self._call("vmfex_attach_many", self._p, oarr, n, xmls, res,
                   what=f"attach {n} VMs")
        out = []
        for (o, _), x, r in zip(made, xmls, res):
            uuid = dec(o.vm_uuid)
            out.append(take_string(c_void_p(x)) if r >= 0 else
                       OSError(-r, f"attach {uuid}: {os.strerror(-r)}"))
        return out

    def attach_migration_finish(self, vm_uuid):
        """After an incoming migration, associate the ports attach()
        pre-associated for a VM; returns how many."""
        return self._call("vmfex_attach_migration_finish", self._p, enc(vm_uuid),
                          what=f"finish the migration of {vm_uuid}")

    def attach_migration_begin(self, vm_uuid):
        """On a migration's source, when the VM stops running here,
        pre-associate again the ports attach() associated for it, so that
        it is never associated on two hosts at once; returns how many."""
        return self._call("vmfex_attach_migration_begin", self._p, enc(vm_uuid),
                          what=f"begin the migration of {vm_uuid}")

    def detach(self, vm_uuid):
        """Undo a VM's attaches (driver, port, MAC, lease); returns how many
        VFs were released. FileNotFoundError when the VM holds none."""
        return self._call("vmfex_detach", self._p, enc(vm_uuid), what=f"detach {vm_uuid}")

    # -- advisor and topology (see advisor.py) --
    def advise(self, *, pf=None, vms=0, topology=XmlTopology.PROFILE, fi_model=None):
        """Check the host against a plan (all optional: how many VMs, the
        topology, the fabric interconnect's model such as ``"6248"``);
        returns Findings. Nothing on the host changes."""
        from .advisor import Findings, advisor_opts
        opts = advisor_opts(pf, vms, topology, fi_model)
        out = _out()
        self._call("vmfex_advisor_check", self._p, byref(opts), byref(out), what="advisor check")
        return Findings(out.value, self)

    def topology_dot(self, domains=(), *, pf=None, no_profiles=False):
        """The host's VM-FEX topology as a Graphviz DOT graph (str):
        PFs, VFs, port profiles, leases, and the VMs of ``domains``
        (XmlDomain objects, or domain XML documents)."""
        from .libvirt import XmlDomain
        doms = [d if isinstance(d, XmlDomain) else self.parse_domain_xml(d)
                for d in domains]
        if pf is not None and not isinstance(pf, (str, bytes)):
            pf = pf.pci
        arr = (c_void_p * max(len(doms), 1))(*[d._p for d in doms])
        opts = _ffi.TopologyDotOpts(sizeof(_ffi.TopologyDotOpts),
                                    ctypes.cast(arr, ctypes.POINTER(c_void_p)) if doms else None,
                                    len(doms), enc(pf), bool(no_profiles))
        buf, length = c_void_p(), c_size_t()
        self._call("vmfex_topology_write_dot", self._p, byref(opts), byref(buf),
                   byref(length), what="topology")
        return dec(take_buffer(buf.value, length.value))

    def render_topology(self, dot, path, format="svg"):
        """Render a DOT graph to ``path`` with Graphviz's ``dot`` program
        (``format`` ``"svg"`` or ``"png"``): OSError EINVAL for another
        format, FileNotFoundError when dot is missing, OSError EIO when dot
        fails."""
        # The library writes DOT and spawns nothing: dot is run here.
        if format not in ("svg", "png"):
            raise OSError(errno.EINVAL, f"render {path}: format {format!r} is neither svg nor png")
        prog = shutil.which("dot")
        if prog is None:
            raise FileNotFoundError(errno.ENOENT, f"render {path}: Graphviz's dot program is "
                                    f"not in PATH: install graphviz to write {format}")
        done = subprocess.run([prog, f"-T{format}", f"-o{os.fspath(path)}"], input=enc(dot),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
        if done.returncode != 0:
            said = done.stderr.decode(errors="replace").strip()
            raise OSError(errno.EIO, f"render {path}: dot -T{format} failed (status "
                                     f"{done.returncode}): {said}")
        return path

    def __repr__(self):
        if self.closed:
            return "<vmfex.Context closed>"
        return f"<vmfex.Context sysfs={self.sysfs_root!r} sim={self.sim_dir!r}>"


def take_string(ptr):
    """The str of a malloc'd NUL-terminated string, which is freed."""
    if not ptr.value:
        return None
    try:
        return dec(ctypes.string_at(ptr.value))
    finally:
        _ffi.libc.free(ptr.value)


def _ctx_of(obj):
    while not isinstance(obj, Context):
        obj = obj._parent
    return obj


class PF(Handle):
    """An SR-IOV physical function."""

    _unref = "vmfex_pf_unref"

    def __init__(self, ptr, ctx):
        super().__init__(ptr, ctx, ctx._state)

    @property
    def context(self):
        """The PF's Context."""
        return self._parent

    def refresh(self):
        """Read the PF's properties and VFs from sysfs again."""
        self._call("vmfex_pf_refresh", self._p, what=f"refresh {self.pci}")

    pci = property(lambda self: dec(fn.vmfex_pf_get_pci(self._p)),
                   doc="PCI address, ``dddd:bb:dd.f``.")
    ifname = property(lambda self: dec(fn.vmfex_pf_get_ifname(self._p)),
                      doc="Netdev name, or None.")
    driver = property(lambda self: dec(fn.vmfex_pf_get_driver(self._p)),
                      doc="Bound driver, or None.")
    vendor_id = property(lambda self: fn.vmfex_pf_get_vendor_id(self._p), doc="PCI vendor id.")
    device_id = property(lambda self: fn.vmfex_pf_get_device_id(self._p), doc="PCI device id.")
    subsystem_vendor_id = property(lambda self: fn.vmfex_pf_get_subsystem_vendor_id(self._p),
                                   doc="PCI subsystem vendor id.")
    subsystem_device_id = property(lambda self: fn.vmfex_pf_get_subsystem_device_id(self._p),
                                   doc="PCI subsystem device id (a VIC's model).")
    vendor_name = property(lambda self: dec(fn.vmfex_pf_read_vendor_name(self._p)),
                           doc="Vendor name from pci.ids, or None.")
    device_name = property(lambda self: dec(fn.vmfex_pf_read_device_name(self._p)),
                           doc="Device name from pci.ids, or None.")
    model = property(lambda self: dec(fn.vmfex_pf_read_model(self._p)),
                     doc="Subsystem name from pci.ids, e.g. a VIC model, or None.")
    is_vic = property(lambda self: bool(fn.vmfex_pf_is_vic(self._p)),
                      doc="Whether the PF is a Cisco VIC Ethernet function.")
    total_vfs = property(lambda self: fn.vmfex_pf_get_total_vfs(self._p),
                         doc="``sriov_totalvfs``.")
    num_vfs = property(lambda self: fn.vmfex_pf_get_num_vfs(self._p),
                       doc="``sriov_numvfs`` as last read; see set_num_vfs().")

    def vfs(self):
        """Generator of the PF's VFs, by index (as of the last scan)."""
        found = []
        p = fn.vmfex_pf_next_vf(self._p, None)
        while p:
            found.append(VF(fn.vmfex_vf_ref(p), self))
            p = fn.vmfex_pf_next_vf(self._p, p)
        yield from found

    def vf(self, index):
        """The VF of an index; FileNotFoundError when there is none."""
        out = _out()
        self._call("vmfex_pf_lookup_vf", self._p, int(index), byref(out),
                   what=f"{self.pci} vf {index}")
        return VF(out.value, self)

    def set_num_vfs(self, num, *, timeout_ms=0, autoprobe=Autoprobe.KEEP):
        """Change the number of enabled VFs (through 0 when the kernel needs
        it) and wait for them. OSError ERANGE above the total, ENOENT when the
        driver cannot change it (enic), ETIMEDOUT."""
        opts = _ffi.SetNumVfsOpts(sizeof(_ffi.SetNumVfsOpts), int(timeout_ms), int(autoprobe))
        self._call("vmfex_pf_set_num_vfs", self._p, int(num), byref(opts),
                   what=f"{self.pci} set {num} VFs")

    def link(self):
        """The rtnetlink snapshot of the PF's netdev: every VF in one reply."""
        out = _out()
        self._call("vmfex_link_new_from_pf", self._p, byref(out), what=f"link of {self.pci}")
        return Link(out.value, self)

    def reserve_vf(self, vm_uuid, *, vm_name=None, domains=None, confirm=False):
        """Lease the lowest free VF to a VM (``domains``: domain XML
        documents whose VFs are in use); returns the VF. OSError ENOSPC when
        none is free. The lease goes stale with this process unless
        ``confirm``."""
        from .workflow import reserve_opts
        opts, keep = reserve_opts(vm_uuid, vm_name, domains, confirm)
        out = _out()
        self._call("vmfex_vf_reserve", self._p, byref(opts), byref(out),
                   what=f"reserve a VF of {self.pci}")
        del keep
        return VF(out.value, self)

    def network_xml(self, name, topology, catalog=None, *, profiles=None,
                    default_profile=None, list_devices=False):
        """A libvirt ``<network>`` VF pool of this PF, one portgroup per
        profile of ``catalog`` (or of ``profiles``, names)."""
        arr = None
        if profiles is not None:
            names = [enc(p) for p in profiles]
            arr = (ctypes.c_char_p * (len(names) + 1))(*names, None)
        opts = _ffi.XmlNetworkOpts(sizeof(_ffi.XmlNetworkOpts), int(topology),
                                   ctypes.cast(arr, ctypes.POINTER(ctypes.c_char_p)) if arr else None,
                                   enc(default_profile), bool(list_devices))
        xml = c_void_p()
        self._call("vmfex_xml_network_for_pf", self._p, enc(name),
                   catalog._p if catalog is not None else None, byref(opts), byref(xml),
                   what=f"network {name}")
        return take_string(xml)

    def __repr__(self):
        return f"<vmfex.PF {self.pci} {self.ifname}>" if self._ptr else "<vmfex.PF closed>"


class VF(Handle):
    """An SR-IOV virtual function."""

    _unref = "vmfex_vf_unref"

    def __init__(self, ptr, pf):
        super().__init__(ptr, pf, pf._state)

    @classmethod
    def _from_new(cls, ptr, ctx):
        # A VF holds its PF: wrap that PF too, so the Python side has it.
        try:
            pf = PF(fn.vmfex_pf_ref(fn.vmfex_vf_get_pf(ptr)), ctx)
        except BaseException:
            fn.vmfex_vf_unref(ptr)
            raise
        return cls(ptr, pf)

    @property
    def pf(self):
        """The VF's PF."""
        return self._parent

    index = property(lambda self: fn.vmfex_vf_get_index(self._p), doc="VF index.")
    pci = property(lambda self: dec(fn.vmfex_vf_get_pci(self._p)), doc="PCI address.")
    ifname = property(lambda self: dec(fn.vmfex_vf_get_ifname(self._p)),
                      doc="Netdev name, or None (e.g. bound to vfio-pci).")
    driver = property(lambda self: dec(fn.vmfex_vf_get_driver(self._p)),
                      doc="Bound driver, or None.")
    device_id = property(lambda self: fn.vmfex_vf_get_device_id(self._p), doc="PCI device id.")

    def bind_driver(self, driver=None):
        """Bind to ``driver`` (e.g. ``"vfio-pci"``), or with None give the
        VF back to its default driver."""
        self._call("vmfex_vf_bind_driver", self._p, enc(driver),
                   what=f"{self.pci} bind {driver or 'default driver'}")

    def refresh(self):
        """Read the VF's driver and netdev again."""
        self._call("vmfex_vf_refresh", self._p, what=f"refresh {self.pci}")

    def _set(self, name, what, *args):
        self._call(name, self._p, *args, what=f"{self.pci} (VF {self.index}) {what}")

    def set_mac(self, mac):
        """Set the VF's MAC address."""
        self._set("vmfex_vf_set_mac", "mac", enc(mac))

    def set_vlan(self, vlan, qos=0, proto=0):
        """Set the VF's VLAN, priority and protocol (0x8100 or 0x88a8)."""
        self._set("vmfex_vf_set_vlan", "vlan", int(vlan), int(qos), int(proto))

    def set_spoofchk(self, on):
        """Turn MAC spoof checking on or off."""
        self._set("vmfex_vf_set_spoofchk", "spoofchk", bool(on))

    def set_trust(self, on):
        """Trust the VF or not."""
        self._set("vmfex_vf_set_trust", "trust", bool(on))

    def set_link_state(self, state):
        """Set the administrative link state (a VFLinkState)."""
        self._set("vmfex_vf_set_link_state", "link state", int(state))

    def set_rate(self, min_mbps=0, max_mbps=0):
        """Set the minimum and maximum TX rates in Mbit/s (0: none)."""
        self._set("vmfex_vf_set_rate", "rate", int(min_mbps), int(max_mbps))

    def release(self, vm_uuid=None):
        """Release the VF's lease: the one of ``vm_uuid`` (PermissionError
        when another VM holds it), or with None whoever holds it.
        FileNotFoundError when the VF has no lease."""
        self._call("vmfex_vf_release", self._p, enc(vm_uuid),
                   what=f"release {self.pci} (VF {self.index})")

    def port(self):
        """The VF's 802.1Qbh port."""
        out = _out()
        self._call("vmfex_port_new_from_vf", self._p, byref(out), what=f"port of {self.pci}")
        return Port(out.value, self)

    def interface_xml(self, profile=None, *, profileid=None, mac=None, model=None,
                      topology=XmlTopology.PROFILE, no_virtualport=False,
                      allow_deprecated=False, unmanaged=False):
        """A domain ``<interface>`` giving a VM this VF, for a Profile (its
        topology decides unless ``topology`` is given) or a ``profileid``."""
        from .libvirt import interface_opts
        opts = interface_opts(mac=mac, model=model, topology=topology,
                              no_virtualport=no_virtualport,
                              allow_deprecated=allow_deprecated, unmanaged=unmanaged,
                              profileid=profileid)
        xml = c_void_p()
        self._call("vmfex_xml_interface_for_vf", self._p,
                   profile._p if profile is not None else None, byref(opts), byref(xml),
                   what=f"interface for {self.pci}")
        return take_string(xml)

    def __repr__(self):
        if not self._ptr:
            return "<vmfex.VF closed>"
        return f"<vmfex.VF {self.pci} index={self.index} {self.ifname} driver={self.driver}>"


class Link(Handle):
    """A snapshot of one netdev's rtnetlink state: its VFs and ports."""

    _unref = "vmfex_link_unref"

    def __init__(self, ptr, parent):
        super().__init__(ptr, parent, parent._state)

    ifindex = property(lambda self: fn.vmfex_link_get_ifindex(self._p), doc="Interface index.")
    ifname = property(lambda self: dec(fn.vmfex_link_get_ifname(self._p)), doc="Netdev name.")
    mac = property(lambda self: dec(fn.vmfex_link_get_mac(self._p)), doc="MAC, or None.")
    num_vfs = property(lambda self: fn.vmfex_link_get_num_vfs(self._p),
                       doc="The VF count the kernel reports.")

    def vfs(self):
        """Generator of the reply's VFs (LinkVF), by index."""
        p = fn.vmfex_link_next_vf(self._p, None)
        while p:
            yield LinkVF(p, self)
            p = fn.vmfex_link_next_vf(self._p, p)

    def vf(self, index):
        """The LinkVF of an index, or None when the reply has none."""
        p = fn.vmfex_link_find_vf(self._p, int(index))
        return LinkVF(p, self) if p else None

    @property
    def self_port(self):
        """The netdev's own port state (PortState), or None."""
        p = fn.vmfex_link_get_self_port(self._p)
        return PortState(p, self) if p else None

    def __repr__(self):
        return f"<vmfex.Link {self.ifname}>" if self._ptr else "<vmfex.Link closed>"


class _Borrowed(Locked):
    """A pointer borrowed from a Link, which it keeps alive."""

    __slots__ = ("_ptr_", "_link")
    _state = property(lambda self: self._link._state)

    def __init__(self, ptr, link):
        self._ptr_ = ptr
        self._link = link

    @property
    def _p(self):
        self._link._p  # raises when the link was closed
        return self._ptr_


def _opt(value, none=-1):
    return None if value == none else value


class LinkVF(_Borrowed):
    """One VF of a Link: the settings the kernel reported (None: not
    reported)."""

    __slots__ = ()
    index = property(lambda self: fn.vmfex_link_vf_get_index(self._p), doc="VF index.")
    mac = property(lambda self: dec(fn.vmfex_link_vf_get_mac(self._p)), doc="MAC, or None.")
    vlan = property(lambda self: _opt(fn.vmfex_link_vf_get_vlan(self._p)), doc="VLAN id.")
    qos = property(lambda self: _opt(fn.vmfex_link_vf_get_qos(self._p)), doc="VLAN priority.")
    vlan_proto = property(lambda self: _opt(fn.vmfex_link_vf_get_vlan_proto(self._p), 0),
                          doc="VLAN protocol, 0x8100 or 0x88a8.")
    spoofchk = property(lambda self: _bool(fn.vmfex_link_vf_get_spoofchk(self._p)),
                        doc="MAC spoof checking.")
    trust = property(lambda self: _bool(fn.vmfex_link_vf_get_trust(self._p)), doc="Trusted.")
    link_state = property(lambda self: as_enum(VFLinkState,
                                               fn.vmfex_link_vf_get_link_state(self._p), -1),
                          doc="VFLinkState.")
    min_rate = property(lambda self: fn.vmfex_link_vf_get_min_rate(self._p),
                        doc="Minimum TX rate, Mbit/s.")
    max_rate = property(lambda self: fn.vmfex_link_vf_get_max_rate(self._p),
                        doc="Maximum TX rate, Mbit/s.")

    @property
    def port(self):
        """The VF's port state (PortState), or None when none was reported."""
        p = fn.vmfex_link_vf_get_port(self._p)
        return PortState(p, self._link) if p else None

    def __repr__(self):
        return f"<vmfex.LinkVF {self.index} mac={self.mac}>"


def _bool(value):
    return None if value < 0 else bool(value)


class PortState(_Borrowed):
    """An 802.1Qbh port's state as a Link reported it."""

    __slots__ = ()
    profile = property(lambda self: dec(fn.vmfex_port_state_get_profile(self._p)),
                       doc="Port profile name, or None.")
    instance_uuid = property(lambda self: dec(fn.vmfex_port_state_get_instance_uuid(self._p)),
                             doc="The VM's UUID, or None.")
    host_uuid = property(lambda self: dec(fn.vmfex_port_state_get_host_uuid(self._p)),
                         doc="The host's UUID, or None.")
    request = property(lambda self: as_enum(PortRequest,
                                            fn.vmfex_port_state_get_request(self._p), -1),
                       doc="The last request applied (PortRequest), or None.")
    response = property(lambda self: as_enum(PortResponse,
                                             fn.vmfex_port_state_get_response(self._p), -1),
                        doc="The adapter's response (PortResponse), or None.")

    def __repr__(self):
        return f"<vmfex.PortState {self.profile} {self.request!r} {self.response!r}>"


PortStatus = collections.namedtuple("PortStatus", "request response")


def port_opts(profile=None, instance_uuid=None, host_uuid=None, mac=None,
              timeout_ms=0, no_wait=False):
    """The C options of a port request."""
    return _ffi.PortOpts(sizeof(_ffi.PortOpts), enc(profile), enc(instance_uuid),
                         enc(host_uuid), enc(mac), int(timeout_ms), bool(no_wait))


class Port(Handle):
    """An 802.1Qbh port: a VF's (Port of VF.port()) or a netdev's own
    (Context.self_port())."""

    _unref = "vmfex_port_unref"

    def __init__(self, ptr, parent):
        super().__init__(ptr, parent, parent._state)

    ifname = property(lambda self: dec(fn.vmfex_port_get_ifname(self._p)),
                      doc="The netdev requests go to (the PF's for a VF port).")
    vf_index = property(lambda self: _opt(fn.vmfex_port_get_vf_index(self._p)),
                        doc="The VF index, or None for a netdev's own port.")
    last_response = property(lambda self: as_enum(PortResponse,
                                                  fn.vmfex_port_get_last_response(self._p), -1),
                             doc="The response that ended the last wait, or None.")

    def _name(self):
        i = self.vf_index
        return f"{self.ifname} vf {i}" if i is not None else self.ifname

    def associate(self, profile, instance_uuid, *, host_uuid=None, mac=None,
                  timeout_ms=0, no_wait=False):
        """Associate with a profile and wait for the adapter. OSError EBADE
        (BADSTATE), EINVAL, ENOSPC, EIO for the adapter's other responses,
        ETIMEDOUT (TimeoutError)."""
        opts = port_opts(profile, instance_uuid, host_uuid, mac, timeout_ms, no_wait)
        self._call("vmfex_port_associate", self._p, byref(opts),
                   what=f"associate {self._name()} with {profile}")

    def preassociate(self, profile, instance_uuid, *, host_uuid=None, mac=None,
                     timeout_ms=0, no_wait=False):
        """Pre-associate with resource reservation (as on a migration's
        destination) and wait for the adapter."""
        opts = port_opts(profile, instance_uuid, host_uuid, mac, timeout_ms, no_wait)
        self._call("vmfex_port_preassociate", self._p, byref(opts),
                   what=f"preassociate {self._name()} with {profile}")

    def disassociate(self, *, timeout_ms=0, no_wait=False):
        """Disassociate and wait for the adapter."""
        opts = port_opts(timeout_ms=timeout_ms, no_wait=no_wait)
        self._call("vmfex_port_disassociate", self._p, byref(opts),
                   what=f"disassociate {self._name()}")

    def status(self):
        """The port's state now, a PortStatus(request, response); None when
        the kernel reports none (no request applied yet)."""
        req, resp = c_int(-1), c_int(-1)
        self._state.begin()
        r = fn.vmfex_port_read_status(self._p, byref(req), byref(resp))
        if r == -errno.ENODATA:
            return None
        if r < 0:
            raise error(self._state, -r, f"status of {self._name()}")
        return PortStatus(as_enum(PortRequest, req.value, -1),
                          as_enum(PortResponse, resp.value, -1))

    def build_request(self, request, profile=None, instance_uuid=None, *,
                      host_uuid=None, mac=None):
        """The exact RTM_SETLINK message (bytes, netlink header included) a
        request would send."""
        opts = port_opts(profile, instance_uuid, host_uuid, mac)
        buf, length = c_void_p(), c_size_t()
        self._call("vmfex_port_build_request", self._p, int(request), byref(opts),
                   byref(buf), byref(length), what=f"request for {self._name()}")
        return take_buffer(buf.value, length.value)

    def __repr__(self):
        return f"<vmfex.Port {self._name()}>" if self._ptr else "<vmfex.Port closed>"


def _results(ports, results, verb):
    out = []
    for port, r in zip(ports, results):
        if r >= 0:
            out.append(None)
            continue
        last = port.last_response
        said = f" (the adapter answered {last.label})" if isinstance(last, PortResponse) else ""
        out.append(OSError(-r, f"{verb} {port._name()}: {os.strerror(-r)}{said}"))
    return out


def associate_many(requests, *, timeout_ms=0):
    """Associate many ports at once: ``requests`` is a sequence of
    ``(port, {"profile": ..., "instance_uuid": ..., "mac": ...})``. All
    requests go out first, then one wait serves them all. Returns one result
    per port, None or the OSError of that port."""
    requests = list(requests)
    if not requests:
        return []
    ports = [p for p, _ in requests]
    opts = [port_opts(**dict(o)) for _, o in requests]
    opts[0].timeout_ms = int(timeout_ms) or opts[0].timeout_ms
    n = len(ports)
    parr = (c_void_p * n)(*[p._p for p in ports])
    oarr = (ctypes.POINTER(_ffi.PortOpts) * n)(*[ctypes.pointer(o) for o in opts])
    res = (c_int * n)()
    with locked(ports):
        call(ports[0]._state, "vmfex_port_associate_many", parr, oarr, n, res,
             what=f"associate {n} ports")
    return _results(ports, res, "associate")


def disassociate_many(ports, *, timeout_ms=0):
    """Disassociate many ports at once; one result per port, as
    associate_many()."""
    ports = list(ports)
    if not ports:
        return []
    n = len(ports)
    parr = (c_void_p * n)(*[p._p for p in ports])
    opts = port_opts(timeout_ms=timeout_ms)
    res = (c_int * n)()
    with locked(ports):
        call(ports[0]._state, "vmfex_port_disassociate_many", parr, byref(opts), n, res,
             what=f"disassociate {n} ports")
    return _results(ports, res, "disassociate")
