# SPDX-License-Identifier: LGPL-2.1-or-later
"""The library's enumerations."""

import enum

from ._base import dec, enc
from ._ffi import fn


def as_enum(cls, value, none=None):
    """``cls(value)``, the plain int for a value the enum lacks, or None for
    the library's "not reported" value ``none``."""
    if none is not None and value == none:
        return None
    try:
        return cls(value)
    except ValueError:
        return value


class Autoprobe(enum.IntEnum):
    """Host driver probing of new VFs (``sriov_drivers_autoprobe``)."""
    KEEP = 0
    ON = 1
    OFF = 2


class VFLinkState(enum.IntEnum):
    """A VF's administrative link state."""
    AUTO = 0
    ENABLE = 1
    DISABLE = 2


class PortRequest(enum.IntEnum):
    """802.1Qbh port requests."""
    PREASSOCIATE = 0
    PREASSOCIATE_RR = 1
    ASSOCIATE = 2
    DISASSOCIATE = 3

    @property
    def label(self):
        """The library's name of the request, e.g. ``"ASSOCIATE"``."""
        return dec(fn.vmfex_port_request_to_string(int(self)))


class PortResponse(enum.IntEnum):
    """Responses to port requests."""
    VDP_SUCCESS = 0
    VDP_INVALID_FORMAT = 1
    VDP_INSUFFICIENT_RESOURCES = 2
    VDP_UNUSED_VTID = 3
    VDP_VTID_VIOLATION = 4
    VDP_VTID_VERSION_VIOLATION = 5
    VDP_OUT_OF_SYNC = 6
    SUCCESS = 0x100
    INPROGRESS = 0x101
    INVALID = 0x102
    BADSTATE = 0x103
    INSUFFICIENT_RESOURCES = 0x104
    ERROR = 0x105

    @property
    def label(self):
        """The library's name of the response, e.g. ``"INPROGRESS"``."""
        return dec(fn.vmfex_port_response_to_string(int(self)))


def port_request_label(code):
    """The name of any request code (``"UNKNOWN"`` for others)."""
    return dec(fn.vmfex_port_request_to_string(int(code)))


def port_response_label(code):
    """The name of any response code (``"UNKNOWN"`` for others)."""
    return dec(fn.vmfex_port_response_to_string(int(code)))


def _parse(cls, cfunc, text):
    r = cfunc(enc(text))
    if r < 0:
        raise ValueError(f"not a {cls.__name__} word: {text!r}")
    return cls(r)


class HostNwIoPerf(enum.IntEnum):
    """Host network IO performance (UCS Manager's hostNwIOPerf)."""
    NONE = 0
    HIGH_PERF_REQD = 1

    @property
    def ucsm_name(self):
        """UCS Manager's word: ``"none"`` or ``"high-perf-reqd"``."""
        return dec(fn.vmfex_host_nw_io_perf_to_string(int(self)))

    @classmethod
    def parse(cls, text):
        """The value of UCS Manager's word; ValueError for another."""
        return _parse(cls, fn.vmfex_host_nw_io_perf_from_string, text)


class ProfileType(enum.IntEnum):
    """Port profile type (UCS Manager's type)."""
    REGULAR = 0
    SLA_ONLY = 1

    @property
    def ucsm_name(self):
        """UCS Manager's word: ``"regular"`` or ``"sla-only"``."""
        return dec(fn.vmfex_profile_type_to_string(int(self)))

    @classmethod
    def parse(cls, text):
        """The value of UCS Manager's word; ValueError for another."""
        return _parse(cls, fn.vmfex_profile_type_from_string, text)


class Topology(enum.IntEnum):
    """How a VM interface reaches its VF."""
    MACVTAP_PASSTHROUGH = 1
    HOSTDEV = 2

    @property
    def label(self):
        """``"macvtap-passthrough"`` or ``"hostdev"``."""
        return dec(fn.vmfex_topology_to_string(int(self)))


class XmlTopology(enum.IntEnum):
    """The topology of an interface written or read as libvirt XML."""
    PROFILE = 0
    MACVTAP_PASSTHROUGH = 1
    HOSTDEV = 2
    MACVTAP_PRIVATE = 3


class AttachAssociation(enum.IntEnum):
    """Who associates the VF's port with the profile in Context.attach()."""
    ASSOCIATE = 0       #: the library, now
    PREASSOCIATE = 1    #: incoming migration: pre-associated now, see attach_migration_finish()
    BY_LIBVIRT = 2      #: libvirt, when the VM starts (the XML carries the virtualport)


class Severity(enum.IntEnum):
    """How serious an advisor finding is."""
    INFO = 0
    WARNING = 1
    ERROR = 2

    @property
    def label(self):
        """``"info"``, ``"warning"`` or ``"error"``."""
        return dec(fn.vmfex_severity_to_string(int(self)))
