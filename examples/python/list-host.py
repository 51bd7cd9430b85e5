#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""List the host's SR-IOV PFs and their VFs.

Runs on the host's /sys, or on a simulated host named by VMFEX_SIM:
    VMFEX_SIM=/tmp/host python3 list-host.py
"""

import vmfex

with vmfex.Context() as ctx:
    for pf in ctx.pfs():
        kind = "VIC" if pf.is_vic else "SR-IOV NIC"
        print(f"{pf.pci} {pf.ifname or '-'} {kind} {pf.model or ''} "
              f"driver={pf.driver} VFs {pf.num_vfs}/{pf.total_vfs}")
        for vf in pf.vfs():
            print(f"  vf {vf.index:3} {vf.pci} {vf.ifname or '-':16} driver={vf.driver or '-'}")
