#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# vmfexctl check on simulated hosts carrying VIC models of the guide's list
# of VICs without SR-IOV with VM-FEX and models that are not on it, each
# topology: its -j output against tests/workflow/golden/check-NAME.json
# (reviewed by hand; VMFEX_UPDATE_GOLDEN=1 rewrites them), its exit code
# (1 when a finding is an error), and its text output for one host.
import json
import os
import subprocess
import sys
import tempfile

from tap import check, finish, plan

vmfexctl = sys.argv[1]
src = os.environ.get('VMFEX_SRCDIR', '.')
golden = os.path.join(src, 'tests/workflow/golden')
update = bool(os.environ.get('VMFEX_UPDATE_GOLDEN'))


def host_desc(subsystem, vfs=8, iommu=False, vfio=False, vf_netdev=True):
    drivers = [{'name': 'enic', 'vf_ops': ['mac'], 'vf_port': True}]
    if vfio:
        drivers.append({'name': 'vfio-pci', 'netdev': False, 'needs_iommu': True})
    sriov = {'total_vfs': vfs, 'num_vfs': vfs, 'vf_device': '0x0071'}
    if vf_netdev:
        sriov['vf_driver'] = 'enic'
    return {'iommu': iommu, 'drivers': drivers, 'devices': [{
        'pci': '0000:0a:00.0', 'vendor': '0x1137', 'device': '0x0043',
        'subsystem_vendor': '0x1137', 'subsystem_device': subsystem,
        'driver': 'enic', 'ifname': 'enp10s0f0', 'sriov': sriov}]}


# name, host (a file of examples/hosts or a description), arguments, exit code
cases = [
    ('vic1240-hostdev-6454', 'ucs-b200-vic1240.json',
     ['--vms', '40', '--topology', 'hostdev', '--fi-model', 'UCS-FI-6454'], 1),
    ('vic1225-passthrough', host_desc('0x0085'), ['--vms', '4', '--topology', 'passthrough'], 1),
    ('vic1340-hostdev', host_desc('0x012c', iommu=True, vfio=True),
     ['--vms', '4', '--topology', 'hostdev'], 1),
    ('vic1385-private', host_desc('0x014d'), ['--vms', '2', '--topology', 'private'], 1),
    ('vic1455-passthrough', host_desc('0x0217'), ['--topology', 'passthrough'], 1),
    ('m81kr-hostdev', host_desc('0x0048', iommu=True, vfio=True),
     ['--vms', '8', '--topology', 'hostdev', '--fi-model', 'UCS-FI-6248UP'], 0),
    ('m81kr-hostdev-no-iommu', host_desc('0x0048'), ['--vms', '2', '--topology', 'hostdev'], 1),
    ('p81e-passthrough', host_desc('0x0047'),
     ['--vms', '8', '--topology', 'passthrough', '--fi-model', 'UCS-FI-6332'], 0),
    ('p81e-passthrough-no-netdev', host_desc('0x0047', vf_netdev=False),
     ['--vms', '2', '--topology', 'passthrough'], 1),
    ('vic1285-passthrough-short', 'ucs-c240-vic1285.json',
     ['--vms', '65', '--topology', 'passthrough'], 1),
    ('vic1485-vnic-limit', host_desc('0x0219', vfs=120), ['--vms', '100'], 0),
    ('unknown-model', host_desc('0x1234'), [], 0),
    ('no-vic', 'mixed-82599-virtio.json', ['--vms', '1'], 1),
]


def make_host(tmp, name, host):
    d = os.path.join(tmp, name)
    if isinstance(host, dict):
        path = os.path.join(tmp, name + '.json')
        with open(path, 'w') as f:
            json.dump(host, f)
    else:
        path = os.path.join(src, 'examples/hosts', host)
    subprocess.run([vmfexctl, 'sim', 'create', d, path], check=True, capture_output=True)
    return d


with tempfile.TemporaryDirectory() as tmp:
    plan(2 * len(cases) + 3)
    for name, host, args, rc in cases:
        d = make_host(tmp, name, host)
        p = subprocess.run([vmfexctl, '--sim', d, '-j', 'check'] + args,
                           capture_output=True, text=True)
        check(f'{name}: exit {rc}', p.returncode == rc, f'exit {p.returncode}: {p.stderr}')
        g = os.path.join(golden, f'check-{name}.json')
        if update:
            with open(g, 'w') as f:
                f.write(p.stdout)
        with open(g) as f:
            want = f.read()
        check(f'{name}: golden', p.stdout == want, p.stdout)

    d = os.path.join(tmp, 'vic1240-hostdev-6454')
    p = subprocess.run([vmfexctl, '--sim', d, 'check', '--vms', '2', '--topology', 'hostdev'],
                       capture_output=True, text=True)
    lines = p.stdout.splitlines()
    check('text: one line per finding, its advice below',
          p.returncode == 1 and lines[0].startswith('error   vic-no-sriov-vmfex 0000:0a:00.0: VIC 1240')
          and lines[1].startswith('        -> '), p.stdout)
    p = subprocess.run([vmfexctl, '--sim', d, 'check', '--topology', 'bridge'],
                       capture_output=True, text=True)
    check('a bad topology is a usage error', p.returncode == 2 and 'topology' in p.stderr, p.stderr)
    p = subprocess.run([vmfexctl, '--sim', d, 'check', '--vms', 'many'],
                       capture_output=True, text=True)
    check('a bad count is a usage error', p.returncode == 2, p.stderr)

finish()
