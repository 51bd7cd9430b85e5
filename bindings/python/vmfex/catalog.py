# SPDX-License-Identifier: LGPL-2.1-or-later
"""Clusters and port profiles: the catalog, and import from UCS Manager."""

import collections
import ctypes
from ctypes import byref, c_int, c_size_t, c_void_p, sizeof

from . import _ffi
from ._base import Handle, dec, enc, take_buffer
from ._enums import HostNwIoPerf, ProfileType, Topology, as_enum
from ._ffi import fn

#: The name of the cluster that always exists.
DEFAULT_CLUSTER = "default"

Vlan = collections.namedtuple("Vlan", "name id native")
Vlan.__doc__ = "A VLAN of a port profile: its name, id (0: unknown), whether native."

UcsmClient = collections.namedtuple("UcsmClient", "name dc_name org_path sw_name")
UcsmClient.__doc__ = ("A port profile client imported from UCS Manager (vmVnicProfCl): its "
                      "name and its dcName, orgPath and swName patterns, verbatim.")


class Catalog(Handle):
    """Clusters and port profiles, as UCS Manager defines them. Made by
    Context.catalog(), Context.open_catalog() or Context.catalog_from_xml().
    ``len(catalog)`` is the number of profiles."""

    _unref = "vmfex_catalog_unref"

    def __init__(self, ptr, ctx):
        super().__init__(ptr, ctx, ctx._state)

    @property
    def context(self):
        """The catalog's Context."""
        return self._parent

    @property
    def path(self):
        """The file the catalog was opened from, or None."""
        return dec(fn.vmfex_catalog_get_path(self._p))

    def to_xml(self):
        """The catalog document, as it would be saved (canonical)."""
        buf, length = c_void_p(), c_size_t()
        self._call("vmfex_catalog_write_buffer", self._p, byref(buf), byref(length))
        return dec(take_buffer(buf.value, length.value))

    def save(self, path=None):
        """Save atomically to ``path`` or to the file it came from."""
        self._call("vmfex_catalog_save", self._p, enc(path),
                   what=f"save catalog {path or self.path}")

    def unlock(self):
        """Release the writers' lock taken by open_catalog(lock=True)."""
        fn.vmfex_catalog_unlock(self._p)

    # -- clusters --
    def clusters(self):
        """Generator of the clusters, sorted by name."""
        found = []
        p = fn.vmfex_catalog_next_cluster(self._p, None)
        while p:
            found.append(Cluster(fn.vmfex_cluster_ref(p), self))
            p = fn.vmfex_catalog_next_cluster(self._p, p)
        yield from found

    def add_cluster(self, name):
        """Create a cluster; FileExistsError when there is one of that name."""
        out = c_void_p()
        self._call("vmfex_catalog_add_cluster", self._p, enc(name), byref(out),
                   what=f"add cluster {name!r}")
        return Cluster(out.value, self)

    def cluster(self, name):
        """A cluster by name; FileNotFoundError when there is none."""
        out = c_void_p()
        self._call("vmfex_catalog_lookup_cluster", self._p, enc(name), byref(out),
                   what=f"cluster {name!r}")
        return Cluster(out.value, self)

    def del_cluster(self, name):
        """Delete a cluster (PermissionError for the default one)."""
        self._call("vmfex_catalog_del_cluster", self._p, enc(name),
                   what=f"delete cluster {name!r}")

    # -- profiles --
    def profiles(self):
        """Generator of the port profiles, sorted by name."""
        found = []
        p = fn.vmfex_catalog_next_profile(self._p, None)
        while p:
            found.append(Profile(fn.vmfex_profile_ref(p), self))
            p = fn.vmfex_catalog_next_profile(self._p, p)
        yield from found

    def __len__(self):
        return fn.vmfex_catalog_get_n_profiles(self._p)

    def add_profile(self, name):
        """Create a port profile with UCS Manager's defaults."""
        out = c_void_p()
        self._call("vmfex_catalog_add_profile", self._p, enc(name), byref(out),
                   what=f"add profile {name!r}")
        return Profile(out.value, self)

    def profile(self, name):
        """A profile by name; FileNotFoundError when there is none."""
        out = c_void_p()
        self._call("vmfex_catalog_lookup_profile", self._p, enc(name), byref(out),
                   what=f"profile {name!r}")
        return Profile(out.value, self)

    def del_profile(self, name):
        """Delete a profile (Profile objects of it stay readable; changes fail)."""
        self._call("vmfex_catalog_del_profile", self._p, enc(name),
                   what=f"delete profile {name!r}")

    def import_ucsm(self, document):
        """Import the port profiles of a UCS Manager XML API response (str
        or bytes); returns how many. All or nothing."""
        data = enc(document)
        return self._call("vmfex_catalog_import_ucsm", self._p, data, len(data),
                          what="import UCS Manager response")

    def import_ucsm_file(self, path):
        """import_ucsm() of a file."""
        return self._call("vmfex_catalog_import_ucsm_file", self._p, enc(path),
                          what=f"import {path}")

    def sync_ucsm(self, url, user, *, password=None, password_file=None, ca_file=None,
                  insecure=False, timeout=0):
        """Import the port profiles of a UCS Manager over its XML API
        (``url`` https://HOST[:PORT]); returns how many. The password, or
        a file holding it; the certificate verified against ``ca_file``
        (or the system's CAs) unless ``insecure``; ``timeout`` seconds for
        it all (0: 60). All or nothing; OSError (PermissionError for a
        refused login, TimeoutError, ...) on failure."""
        opts = _ffi.UcsmSyncOpts(sizeof(_ffi.UcsmSyncOpts), enc(url), enc(user), enc(password),
                                 enc(password_file), enc(ca_file), bool(insecure),
                                 int(timeout))
        return self._call("vmfex_catalog_sync_ucsm", self._p, byref(opts),
                          what=f"sync from UCS Manager {url}")

    def check_port(self, profile, *, cluster=None, port=None, no_count=False):
        """Check that a VM's port may use ``profile`` (exists, cluster is a
        client, max ports not reached); returns its Topology. OSError ENOENT,
        EPERM, EACCES or EUSERS otherwise."""
        opts = _ffi.PortCheckOpts(sizeof(_ffi.PortCheckOpts), enc(cluster),
                                  port._p if port is not None else None, bool(no_count))
        topo = c_int(0)
        self._call("vmfex_catalog_check_port", self._p, enc(profile), byref(opts),
                   byref(topo), what=f"check port for profile {profile!r}")
        return as_enum(Topology, topo.value)

    def __repr__(self):
        return f"<vmfex.Catalog {self.path}>" if self._ptr else "<vmfex.Catalog closed>"


class Cluster(Handle):
    """A cluster of a catalog (UCS Manager's VM cluster)."""

    _unref = "vmfex_cluster_unref"

    def __init__(self, ptr, catalog):
        super().__init__(ptr, catalog, catalog._state)

    name = property(lambda self: dec(fn.vmfex_cluster_get_name(self._p)), doc="Name.")
    is_default = property(lambda self: bool(fn.vmfex_cluster_is_default(self._p)),
                          doc="Whether this is the default cluster.")

    def __repr__(self):
        return f"<vmfex.Cluster {self.name}>" if self._ptr else "<vmfex.Cluster closed>"


def _str_prop(getter, setter, doc):
    def get(self):
        return dec(getattr(fn, getter)(self._p))

    def put(self, value):
        self._call(setter, self._p, enc(value),
                   what=f"profile {self.name} {setter[14:]} {value!r}")
    return property(get, put, doc=doc)


class Profile(Handle):
    """A port profile (UCS Manager's vnicProfile). Setting a property checks
    the value as UCS Manager does: ValueError-like OSError EINVAL."""

    _unref = "vmfex_profile_unref"

    def __init__(self, ptr, catalog):
        super().__init__(ptr, catalog, catalog._state)

    name = property(lambda self: dec(fn.vmfex_profile_get_name(self._p)), doc="Name.")
    uuid = property(lambda self: dec(fn.vmfex_profile_get_uuid(self._p)),
                    doc="portProfileUuid, or None.")
    descr = _str_prop("vmfex_profile_get_descr", "vmfex_profile_set_descr",
                      "Description, or None.")
    qos_policy = _str_prop("vmfex_profile_get_qos_policy", "vmfex_profile_set_qos_policy",
                           "QoS policy name, or None.")
    nw_ctrl_policy = _str_prop("vmfex_profile_get_nw_ctrl_policy",
                               "vmfex_profile_set_nw_ctrl_policy",
                               "Network control policy name, or None.")
    pin_group = _str_prop("vmfex_profile_get_pin_group", "vmfex_profile_set_pin_group",
                          "Pin group name, or None.")

    @property
    def max_ports(self):
        """The most ports using the profile at once, 1-4096."""
        return fn.vmfex_profile_get_max_ports(self._p)

    @max_ports.setter
    def max_ports(self, value):
        self._call("vmfex_profile_set_max_ports", self._p, int(value),
                   what=f"profile {self.name} max ports {value}")

    @property
    def host_nw_io_perf(self):
        """HostNwIoPerf (a UCS Manager word is accepted when setting)."""
        return as_enum(HostNwIoPerf, fn.vmfex_profile_get_host_nw_io_perf(self._p))

    @host_nw_io_perf.setter
    def host_nw_io_perf(self, value):
        if isinstance(value, str):
            value = HostNwIoPerf.parse(value)
        self._call("vmfex_profile_set_host_nw_io_perf", self._p, int(value),
                   what=f"profile {self.name} host network IO performance")

    @property
    def type(self):
        """ProfileType (a UCS Manager word is accepted when setting)."""
        return as_enum(ProfileType, fn.vmfex_profile_get_type(self._p))

    @type.setter
    def type(self, value):
        if isinstance(value, str):
            value = ProfileType.parse(value)
        self._call("vmfex_profile_set_type", self._p, int(value),
                   what=f"profile {self.name} type")

    @property
    def topology(self):
        """The Topology a VM interface with this profile uses."""
        return as_enum(Topology, fn.vmfex_profile_get_topology(self._p))

    def vlans(self):
        """Generator of the profile's VLANs (Vlan tuples), sorted by name."""
        found = []
        p = fn.vmfex_profile_next_vlan(self._p, None)
        while p:
            found.append(Vlan(dec(fn.vmfex_vlan_get_name(p)), fn.vmfex_vlan_get_id(p),
                              bool(fn.vmfex_vlan_is_native(p))))
            p = fn.vmfex_profile_next_vlan(self._p, p)
        yield from found

    def set_vlan(self, name, id=0, native=False):  # noqa: A002 -- UCS Manager's word
        """Add a VLAN, or change the one of that name."""
        self._call("vmfex_profile_set_vlan", self._p, enc(name), int(id), bool(native),
                   what=f"profile {self.name} vlan {name!r}")

    def del_vlan(self, name):
        """Remove a VLAN."""
        self._call("vmfex_profile_del_vlan", self._p, enc(name),
                   what=f"profile {self.name} delete vlan {name!r}")

    def clients(self):
        """Generator of the client clusters' names, sorted."""
        found = []
        p = fn.vmfex_profile_next_client(self._p, None)
        while p:
            found.append(dec(ctypes.string_at(p)))
            p = fn.vmfex_profile_next_client(self._p, p)
        yield from found

    def ucsm_clients(self):
        """Generator of the clients imported from UCS Manager (UcsmClient
        tuples), sorted by name."""
        found = []
        c = fn.vmfex_profile_next_ucsm_client(self._p, None)
        while c:
            found.append(UcsmClient(dec(fn.vmfex_ucsm_client_get_name(c)),
                                    dec(fn.vmfex_ucsm_client_get_dc_name(c)),
                                    dec(fn.vmfex_ucsm_client_get_org_path(c)),
                                    dec(fn.vmfex_ucsm_client_get_sw_name(c))))
            c = fn.vmfex_profile_next_ucsm_client(self._p, c)
        yield from found

    def add_client(self, cluster):
        """Make a cluster (a name) a client of the profile."""
        self._call("vmfex_profile_add_client", self._p, enc(cluster),
                   what=f"profile {self.name} add client {cluster!r}")

    def del_client(self, cluster):
        """Remove a client."""
        self._call("vmfex_profile_del_client", self._p, enc(cluster),
                   what=f"profile {self.name} delete client {cluster!r}")

    def __repr__(self):
        return f"<vmfex.Profile {self.name}>" if self._ptr else "<vmfex.Profile closed>"
