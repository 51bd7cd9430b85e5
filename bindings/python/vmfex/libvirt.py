# SPDX-License-Identifier: LGPL-2.1-or-later
"""libvirt XML: reading domains and networks. The writers are methods:
VF.interface_xml(), PF.network_xml(), Context.interface_xml_for_network()."""

from ctypes import byref, c_char_p, c_void_p, sizeof

from . import _ffi
from ._base import Handle, Locked, dec, enc
from ._enums import XmlTopology, as_enum
from ._ffi import fn


def interface_opts(mac=None, model=None, topology=XmlTopology.PROFILE,
                   no_virtualport=False, allow_deprecated=False, unmanaged=False,
                   profileid=None):
    """The C options of the interface writers."""
    return _ffi.XmlInterfaceOpts(sizeof(_ffi.XmlInterfaceOpts), enc(mac), enc(model),
                                 int(topology), bool(no_virtualport),
                                 bool(allow_deprecated), bool(unmanaged), enc(profileid))


class XmlNetwork(Handle):
    """A libvirt network, parsed and checked (Context.parse_network_xml())."""

    _unref = "vmfex_xml_network_unref"

    def __init__(self, ptr, ctx):
        super().__init__(ptr, ctx, ctx._state)

    name = property(lambda self: dec(fn.vmfex_xml_network_get_name(self._p)), doc="Name.")
    forward_mode = property(lambda self: dec(fn.vmfex_xml_network_get_forward_mode(self._p)),
                            doc="Forward mode (``passthrough``, ``hostdev``...), or None.")

    def profileid(self, portgroup=None):
        """The profileid a portgroup (None: the default one) gives, or None."""
        return dec(fn.vmfex_xml_network_get_profileid(self._p, enc(portgroup)))

    def __repr__(self):
        return f"<vmfex.XmlNetwork {self.name}>" if self._ptr else "<vmfex.XmlNetwork closed>"


class XmlDomain(Handle):
    """A libvirt domain and its interfaces (Context.parse_domain_xml())."""

    _unref = "vmfex_xml_domain_unref"

    def __init__(self, ptr, ctx):
        super().__init__(ptr, ctx, ctx._state)
        self._networks = []

    name = property(lambda self: dec(fn.vmfex_xml_domain_get_name(self._p)),
                    doc="Name, or None.")

    def add_network(self, network):
        """Resolve the interfaces on an XmlNetwork (forward mode, portgroup
        profileid); returns how many were resolved."""
        r = self._call("vmfex_xml_domain_add_network", self._p, network._p,
                       what=f"domain {self.name} on network {network.name}")
        self._networks.append(network)
        return r

    def _migrate(self):
        reason = c_char_p()
        ok = bool(fn.vmfex_xml_domain_can_migrate(self._p, byref(reason)))
        return ok, dec(reason.value)

    @property
    def can_migrate(self):
        """Whether the domain can live migrate as far as its interfaces go."""
        return self._migrate()[0]

    @property
    def migration_blocker(self):
        """Why the domain cannot live migrate, or None when it can."""
        return self._migrate()[1]

    def interfaces(self):
        """Generator of the interfaces (XmlInterface), in document order."""
        p = fn.vmfex_xml_domain_next_iface(self._p, None)
        while p:
            yield XmlInterface(p, self)
            p = fn.vmfex_xml_domain_next_iface(self._p, p)

    def __repr__(self):
        return f"<vmfex.XmlDomain {self.name}>" if self._ptr else "<vmfex.XmlDomain closed>"


def _iface_str(getter, doc):
    return property(lambda self: dec(getattr(fn, getter)(self._p)), doc=doc)


class XmlInterface(Locked):
    """An interface of an XmlDomain (which it keeps alive)."""

    __slots__ = ("_ptr", "_dom")
    _state = property(lambda self: self._dom._state)

    def __init__(self, ptr, dom):
        self._ptr = ptr
        self._dom = dom

    @property
    def _p(self):
        self._dom._p  # raises when the domain was closed
        return self._ptr

    type = _iface_str("vmfex_xml_iface_get_type", "``direct``, ``hostdev``, ``network``...")
    source_dev = _iface_str("vmfex_xml_iface_get_source_dev", "Source netdev, or None.")
    source_mode = _iface_str("vmfex_xml_iface_get_source_mode", "MacVTap mode, or None.")
    network = _iface_str("vmfex_xml_iface_get_network", "Network name, or None.")
    portgroup = _iface_str("vmfex_xml_iface_get_portgroup", "Portgroup, or None.")
    pci = _iface_str("vmfex_xml_iface_get_pci", "Hostdev PCI address, or None.")
    mac = _iface_str("vmfex_xml_iface_get_mac", "Guest MAC, or None.")
    model = _iface_str("vmfex_xml_iface_get_model", "Guest model, or None.")
    virtualport_type = _iface_str("vmfex_xml_iface_get_virtualport_type",
                                  "Virtualport type, or None.")
    profileid = _iface_str("vmfex_xml_iface_get_profileid", "Profileid, or None.")

    @property
    def topology(self):
        """XmlTopology (PROFILE when unknown)."""
        return as_enum(XmlTopology, fn.vmfex_xml_iface_get_topology(self._p))

    def vf(self):
        """The host's VF behind the interface."""
        from ._core import VF
        out = c_void_p()
        self._dom._call("vmfex_vf_new_from_xml_iface", self._p, byref(out),
                        what="VF of interface")
        return VF._from_new(out.value, self._dom._parent)

    def __repr__(self):
        return f"<vmfex.XmlInterface {self.type} {self.source_dev or self.pci or self.network}>"
