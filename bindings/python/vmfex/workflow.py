# SPDX-License-Identifier: LGPL-2.1-or-later
"""Host workflows: the VF allocator's leases, shared across processes, and
a VM's VM-FEX vNIC attached and detached in one call. The calls are
methods: PF.reserve_vf(), VF.release(), Context.leases(),
Context.reclaim_stale_leases(), Context.attach(),
Context.attach_migration_finish(), Context.attach_migration_begin(),
Context.detach()."""

import ctypes
from ctypes import sizeof

from . import _ffi
from ._base import Handle, Locked, dec, enc
from ._enums import AttachAssociation, XmlTopology
from ._ffi import fn


class _Strings:
    """A NULL-ended C array of strings (None stays NULL), keeping its
    buffers alive as long as itself."""

    def __init__(self, values):
        self.values = None
        self.ptr = None
        if values is None:
            return
        if isinstance(values, (str, bytes)):
            values = [values]
        self.values = [enc(v) for v in values]
        arr = (ctypes.c_char_p * (len(self.values) + 1))(*self.values, None)
        self._arr = arr
        self.ptr = ctypes.cast(arr, ctypes.POINTER(ctypes.c_char_p))


def reserve_opts(vm_uuid, vm_name=None, domains=None, confirm=False):
    """The C options of vmfex_vf_reserve() and the array they point to."""
    strings = _Strings(domains)
    opts = _ffi.ReserveOpts(sizeof(_ffi.ReserveOpts), enc(vm_uuid), enc(vm_name),
                            strings.ptr, bool(confirm))
    return opts, strings


def attach_opts(vm_uuid, profile, *, vm_name=None, pf=None,
                topology=XmlTopology.PROFILE, catalog=None, mac=None,
                association=AttachAssociation.ASSOCIATE, domains=None,
                host_uuid=None, timeout_ms=0):
    """The C options of vmfex_attach() and the array they point to."""
    if pf is not None and not isinstance(pf, (str, bytes)):
        pf = pf.pci  # a PF object
    strings = _Strings(domains)
    opts = _ffi.AttachOpts(sizeof(_ffi.AttachOpts), enc(vm_uuid), enc(vm_name),
                           enc(profile), enc(pf), int(topology),
                           catalog._p if catalog is not None else None, enc(mac),
                           int(association), strings.ptr, enc(host_uuid),
                           int(timeout_ms))
    return opts, strings


class LeaseList(Handle):
    """A snapshot of the host's leases (Context.leases()): iterable, sorted
    by PF address and VF index, with len()."""

    _unref = "vmfex_lease_list_unref"

    def __init__(self, ptr, ctx):
        super().__init__(ptr, ctx, ctx._state)

    def __iter__(self):
        p = fn.vmfex_lease_list_next(self._p, None)
        while p:
            yield Lease(p, self)
            p = fn.vmfex_lease_list_next(self._p, p)

    def __len__(self):
        return sum(1 for _ in self)

    def find(self, pf=None, vf_index=None, vm_uuid=None):
        """The leases matching every criterion given (a list)."""
        if pf is not None and not isinstance(pf, str):
            pf = pf.pci
        return [lease for lease in self
                if (pf is None or lease.pf == pf)
                and (vf_index is None or lease.vf_index == vf_index)
                and (vm_uuid is None or lease.vm_uuid == vm_uuid)]

    def __repr__(self):
        return f"<vmfex.LeaseList {len(self)}>" if self._ptr else "<vmfex.LeaseList closed>"


class Lease(Locked):
    """One lease of a LeaseList (which it keeps alive)."""

    __slots__ = ("_ptr", "_list")
    _state = property(lambda self: self._list._state)

    def __init__(self, ptr, lst):
        self._ptr = ptr
        self._list = lst

    @property
    def _p(self):
        self._list._p  # raises when the list was closed
        return self._ptr

    pf = property(lambda self: dec(fn.vmfex_lease_get_pf(self._p)),
                  doc="The PF's PCI address.")
    vf_index = property(lambda self: fn.vmfex_lease_get_vf_index(self._p),
                        doc="The leased VF's index.")
    vm_uuid = property(lambda self: dec(fn.vmfex_lease_get_vm_uuid(self._p)),
                       doc="The owner VM's UUID.")
    vm_name = property(lambda self: dec(fn.vmfex_lease_get_vm_name(self._p)),
                       doc="The owner VM's name, or None.")
    pid = property(lambda self: fn.vmfex_lease_get_pid(self._p),
                   doc="The pid of the process that made the lease.")
    confirmed = property(lambda self: bool(fn.vmfex_lease_is_confirmed(self._p)),
                         doc="Whether an attach succeeded, or it was reserved confirmed.")
    stale = property(lambda self: bool(fn.vmfex_lease_is_stale(self._p)),
                     doc="Whether a reservation may reclaim it (as of the snapshot).")

    def __repr__(self):
        return (f"<vmfex.Lease {self.pf} vf {self.vf_index} {self.vm_uuid}"
                f"{' confirmed' if self.confirmed else ''}{' stale' if self.stale else ''}>")
