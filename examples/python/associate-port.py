#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Give a VM a VF, the way an orchestration agent does: check the port
profile in the catalog, associate the VF's 802.1Qbh port with it, print the
libvirt <interface> for the VM, and disassociate on the way out.

    VMFEX_SIM=/tmp/host python3 associate-port.py CATALOG-OR-UCSM-XML PF VF PROFILE VM-UUID
A file holding a UCS Manager response is imported into an empty catalog.
"""

import logging
import sys

import vmfex

logging.basicConfig(format="vmfex: %(message)s")

source, pf_name, index, profile, vm = sys.argv[1:6]
with vmfex.Context() as ctx:
    with open(source, "rb") as f:
        ucsm = b"<configResolve" in f.read(4096)
    if ucsm:
        catalog = ctx.catalog()
        print(f"imported {catalog.import_ucsm_file(source)} profiles from {source}")
    else:
        catalog = ctx.open_catalog(source)
    vf = ctx.pf(pf_name).vf(int(index))
    port = vf.port()
    try:
        topology = catalog.check_port(profile, port=port)
    except PermissionError as e:
        sys.exit(f"profile refused: {e.strerror}")
    print(f"{profile}: {topology.label}")
    try:
        port.associate(profile, vm, mac="52:54:00:12:34:56")
    except TimeoutError:
        sys.exit("the adapter did not answer in time")
    except OSError as e:
        sys.exit(f"association failed ({port.last_response!r}): {e.strerror}")
    state = port.status()
    print(f"port {port.ifname} vf {port.vf_index}: {state.request.label} {state.response.label}")
    print(vf.interface_xml(catalog.profile(profile), mac="52:54:00:12:34:56",
                           no_virtualport=True))
    port.disassociate()
    print(f"port {port.ifname} vf {port.vf_index}: {port.status().request.label}")
