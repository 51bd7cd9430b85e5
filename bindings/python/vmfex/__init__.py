# SPDX-License-Identifier: LGPL-2.1-or-later
"""Python binding of libvmfex: Cisco VM-FEX on Linux KVM hosts.

    import vmfex
    with vmfex.Context(sim_dir="/tmp/host") as ctx:
        for pf in ctx.pfs():
            print(pf.pci, pf.ifname, pf.model, [vf.pci for vf in pf.vfs()])

Errors are OSError of the errno's own class (FileNotFoundError for ENOENT,
TimeoutError for ETIMEDOUT...), carrying the library's message; the library's
log goes to the ``vmfex`` logger, which has a NullHandler as a library's
logger should: nothing is printed unless the application configures logging.
"""

import logging as _logging

# Without a handler, Python would print warnings and errors on stderr even
# for failures the caller handles as exceptions.
_logging.getLogger("vmfex").addHandler(_logging.NullHandler())

from ._base import (LOG_ALERT, LOG_CRIT, LOG_DEBUG, LOG_EMERG, LOG_ERR, LOG_INFO,
                    LOG_NOTICE, LOG_WARNING, syslog_to_logging)
from ._core import (PF, VF, Context, Link, LinkVF, Port, PortState, PortStatus,
                    associate_many, disassociate_many, version)
from ._enums import (AttachAssociation, Autoprobe, HostNwIoPerf, PortRequest,
                     PortResponse, ProfileType, Severity, Topology, VFLinkState,
                     XmlTopology, port_request_label, port_response_label)
from .catalog import DEFAULT_CLUSTER, Catalog, Cluster, Profile, UcsmClient, Vlan
from .libvirt import XmlDomain, XmlInterface, XmlNetwork
from .workflow import Lease, LeaseList
from .advisor import Finding, Findings, severity_label

__version__ = "1.0.0"

__all__ = [
    "Context", "PF", "VF", "Link", "LinkVF", "PortState", "PortStatus", "Port",
    "Catalog", "Cluster", "Profile", "UcsmClient", "Vlan", "XmlNetwork", "XmlDomain", "XmlInterface",
    "Autoprobe", "VFLinkState", "PortRequest", "PortResponse", "HostNwIoPerf",
    "ProfileType", "Topology", "XmlTopology", "associate_many", "disassociate_many",
    "version", "port_request_label", "port_response_label", "syslog_to_logging",
    "DEFAULT_CLUSTER", "LOG_EMERG", "LOG_ALERT", "LOG_CRIT", "LOG_ERR", "LOG_WARNING",
    "LOG_NOTICE", "LOG_INFO", "LOG_DEBUG",
    "LeaseList", "Lease", "AttachAssociation", "Findings", "Finding", "Severity",
    "severity_label",
]
