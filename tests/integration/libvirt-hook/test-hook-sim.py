#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# vmfex-libvirt-hook on a simulated host, fed the hook data libvirt 9.0
# writes (the argv and stdin recorded in issue 14 and by run-libvirtd.sh):
# the port is read back from the simulated adapter (vmfexctl -j vf show),
# the leases from the lease file (vmfexctl -j vf leases).
#
#   test-hook-sim.py VMFEXCTL HOOK
import json
import os
import subprocess
import sys
import tempfile

from tap import check, finish

vmfexctl = os.path.abspath(sys.argv[1])
hook = os.path.abspath(sys.argv[2])
src = os.environ.get('VMFEX_SRCDIR', os.path.join(os.path.dirname(__file__), '..', '..', '..'))
host_json = os.path.join(src, 'examples', 'hosts', 'ucs-b200-vic1240.json')
VM = '6b9a1e2c-3d4f-4a5b-8c6d-7e8f90a1b2c3'
VM2 = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9'
MAC = '52:54:00:12:34:56'


def port_data(dev, vm=VM, group='pp-vlan-25', mac=MAC, plug='direct'):
    group_el = f'<group>{group}</group>' if group else ''
    return f'''<hookData>
  <network><name>vmfex-pool</name><uuid>2c9f6e4f-7b8a-4c2d-9e1f-0a1b2c3d4e5f</uuid>
    <forward mode='passthrough'><interface dev='{dev}'/></forward></network>
  <networkport>
    <uuid>5d6b3c1a-2e4f-4a5b-8c6d-7e8f90a1b2c3</uuid>
    <owner><name>vm1</name><uuid>{vm}</uuid></owner>
    {group_el}
    <mac address='{mac}'/>
    <plug type='{plug}' dev='{dev}' mode='passthrough'/>
  </networkport>
</hookData>
'''


def domain_data(vm=VM):
    return f"<domain type='qemu'><name>vm1</name><uuid>{vm}</uuid></domain>\n"


def run_hook(kind, args, data, env):
    # libvirtd runs the hooks of network.d/ and qemu.d/ by their path.
    return subprocess.run([os.path.join(hooks, kind + '.d', 'vmfex')] + args, input=data,
                          capture_output=True, text=True, env=env, timeout=60)


def net(op, data):
    # libvirt 9.0 names the network as the object of port operations.
    return run_hook('network', ['vmfex-pool', op, 'begin', '-'], data, hook_env)


def qemu(op, data, sub='begin'):
    return run_hook('qemu', ['vm1', op, sub, '-'], data, hook_env)


def ctl(*args):
    r = subprocess.run([vmfexctl, '--sim', sim, '-j'] + list(args), capture_output=True,
                       text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError(f'vmfexctl {args}: {r.stderr}')
    return json.loads(r.stdout) if r.stdout.strip().startswith(('{', '[')) else r.stdout


def vf(index):
    return [v for v in ctl('vf', 'show', 'enp10s0f0')['vfs'] if v['index'] == index][0]


def leases():
    return ctl('vf', 'leases')['leases']


tmp = tempfile.mkdtemp(prefix='vmfex-hook-')
sim = os.path.join(tmp, 'sim')
hooks = os.path.join(tmp, 'hooks')
conf = os.path.join(tmp, 'libvirt-hook.conf')
subprocess.run([vmfexctl, 'sim', 'create', sim, host_json], check=True, capture_output=True)
r = subprocess.run([vmfexctl, 'libvirt-hook', 'install', '--hooks-dir', hooks, '--hook', hook],
                   capture_output=True, text=True)
check('libvirt-hook install links network.d/vmfex and qemu.d/vmfex, says SIGHUP',
      r.returncode == 0 and os.readlink(os.path.join(hooks, 'network.d', 'vmfex')) == hook
      and os.readlink(os.path.join(hooks, 'qemu.d', 'vmfex')) == hook and 'SIGHUP' in r.stdout,
      r.stdout + r.stderr)
with open(conf, 'w') as f:
    f.write(f'# test settings\nsim = {sim}\nstate_dir = {tmp}/state\nlog_level = info\n'
            'timeout_ms = 5000\n')
# What libvirtd gives a hook: LC_ALL, PATH, HOME, and here the settings.
hook_env = {'LC_ALL': 'C', 'PATH': os.environ.get('PATH', '/usr/bin:/bin'), 'HOME': tmp,
            'VMFEX_LIBVIRT_HOOK_CONF': conf}
orig_mac = vf(2)['mac']

# port-created: the VF libvirt chose, associated for the VM with its MAC.
r = net('port-created', port_data('enp10s0f0v2'))
check('port-created exits 0 and prints nothing on stdout', r.returncode == 0 and r.stdout == '',
      r.stderr)
p = vf(2)
check('the VF is ASSOCIATE/SUCCESS with the portgroup\'s profile and the VM as instance',
      p['port'] and p['port']['request'] == 'ASSOCIATE' and p['port']['response'] == 'SUCCESS'
      and p['port']['profile'] == 'pp-vlan-25' and p['port']['instance_uuid'] == VM, p)
check('the VF has the port\'s MAC', p['mac'] == MAC, p['mac'])
ls = leases()
check('one lease, of that VF, for the VM by UUID and name',
      len(ls) == 1 and ls[0]['vf'] == 2 and ls[0]['vm_uuid'] == VM and ls[0]['vm_name'] == 'vm1', ls)

# libvirtd restarted: the same port again.
r = net('port-created', port_data('enp10s0f0v2'))
check('a repeated port-created succeeds without a second lease',
      r.returncode == 0 and len(leases()) == 1 and 'already associated' in r.stderr, r.stderr)

# Another VM given the same VF (it cannot happen with one libvirtd, but
# another manager of the host may hold it).
r = net('port-created', port_data('enp10s0f0v2', vm=VM2))
check('a VF leased to another VM is refused with its owner named',
      r.returncode == 1 and VM in r.stderr and vf(2)['port']['instance_uuid'] == VM, r.stderr)

# port-deleted: disassociated, released, MAC back.
r = net('port-deleted', port_data('enp10s0f0v2'))
p = vf(2)
check('port-deleted disassociates and releases',
      r.returncode == 0 and p['port']['request'] == 'DISASSOCIATE' and leases() == [], r.stderr)
check('port-deleted gives the VF back its MAC', p['mac'] == orig_mac, p['mac'])
r = net('port-deleted', port_data('enp10s0f0v2'))
check('a second port-deleted is a no-op', r.returncode == 0 and leases() == [], r.stderr)

# A refused association: the adapter's reason on stderr, nothing held.
subprocess.run([vmfexctl, '--sim', sim, 'sim', 'inject', '--response', 'INVALID', '--count', '1'],
               check=True, capture_output=True)
r = net('port-created', port_data('enp10s0f0v3'))
p = vf(3)
check('a refused association exits 1 with the adapter\'s answer on stderr',
      r.returncode == 1 and 'INVALID' in r.stderr and r.stdout == '', r.stderr)
check('a refused association leaves no lease and no associated port',
      leases() == [] and (not p['port'] or p['port']['request'] != 'ASSOCIATE'), p)
r = net('port-created', port_data('enp10s0f0v3'))
check('the next port-created works', r.returncode == 0 and vf(3)['port']['request'] == 'ASSOCIATE',
      r.stderr)
net('port-deleted', port_data('enp10s0f0v3'))

# Ports that are not ours are left alone.
r = net('port-created', port_data('vnet0', plug='bridge'))
check('a bridge port is left alone', r.returncode == 0 and leases() == [], r.stderr)
r = net('port-created', port_data('eth9'))
check('a direct port on a netdev that is no VF is left alone',
      r.returncode == 0 and leases() == [], r.stderr)
r = net('port-created', port_data('enp10s0f0v4', group=None))
check('a VF port without a portgroup is refused, naming what is missing',
      r.returncode == 1 and 'portgroup' in r.stderr and leases() == [], r.stderr)
r = net('port-created', '<hookData><networkport><owner/></networkport></hookData>')
check('hook data without an owner UUID is refused', r.returncode == 1 and 'owner/uuid' in r.stderr,
      r.stderr)
r = net('port-created', '<!DOCTYPE x [<!ENTITY e "e">]><hookData/>')
check('hook data with a DTD is refused', r.returncode == 1 and 'DOCTYPE' in r.stderr, r.stderr)
r = net('network-start', '<hookData><network><name>n</name></network></hookData>')
check('other network operations do nothing', r.returncode == 0, r.stderr)

# The qemu hook: release clears what is still held for the VM.
net('port-created', port_data('enp10s0f0v5'))
r = qemu('release', domain_data(), sub='end')
check('qemu release disassociates and releases what the VM still holds',
      r.returncode == 0 and leases() == [] and vf(5)['port']['request'] == 'DISASSOCIATE',
      r.stderr)
r = qemu('release', domain_data(VM2), sub='end')
check('qemu release of a VM holding nothing succeeds quietly',
      r.returncode == 0 and 'no VF' not in r.stderr, r.stderr)

# Incoming migration: pre-associated until the VM runs here.
r = qemu('migrate', domain_data())
check('qemu migrate prints nothing on stdout (libvirtd reads it as the domain XML)',
      r.returncode == 0 and r.stdout == '', r.stdout + r.stderr)
r = net('port-created', port_data('enp10s0f0v6'))
p = vf(6)
check('after migrate, port-created pre-associates (PREASSOCIATE_RR)',
      r.returncode == 0 and p['port']['request'] == 'PREASSOCIATE_RR'
      and p['port']['instance_uuid'] == VM and len(leases()) == 1, p)
r = net('port-created', port_data('enp10s0f0v6'))
check('a repeated port-created during the migration keeps the pre-association',
      r.returncode == 0 and vf(6)['port']['request'] == 'PREASSOCIATE_RR' and len(leases()) == 1,
      r.stderr)
qemu('started', domain_data())
r = subprocess.run([vmfexctl, '--sim', sim, 'port', 'status', 'enp10s0f0v6'], capture_output=True,
                   text=True)
check('started ends the migration mark; the port stays pre-associated for the watcher',
      'PREASSOCIATE_RR' in r.stdout and not os.path.exists(f'{tmp}/state/{VM}.migrating'),
      r.stdout)
qemu('release', domain_data(), sub='end')
check('release after a migration clears the pre-association',
      leases() == [] and vf(6)['port']['request'] == 'DISASSOCIATE')

# Direct and hostdev interfaces: the profile by MAC in the domain's metadata.
def metadata_domain(ifaces, ports):
    meta = subprocess.run([vmfexctl, 'xml', 'metadata'] + [a for p in ports for a in p],
                          capture_output=True, text=True, check=True).stdout
    return (f"<domain type='qemu'><name>vm1</name><uuid>{VM}</uuid>"
            f"<metadata>{meta}</metadata><devices>{''.join(ifaces)}</devices></domain>")


direct = (f"<interface type='direct'><mac address='{MAC}'/>"
          "<source dev='enp10s0f0v7' mode='passthrough'/><model type='virtio'/></interface>")
hostdev = ("<interface type='hostdev' managed='yes'><mac address='02:00:00:00:00:08'/>"
           "<source><address type='pci' domain='0x0000' bus='0x0a' slot='0x01' function='0x1'/>"
           "</source></interface>")
plain = ("<interface type='direct'><mac address='02:00:00:00:00:09'/>"
         "<source dev='enp10s0f0v9' mode='passthrough'/></interface>")
dom = metadata_domain([direct, hostdev, plain],
                      [(MAC, 'pp-vlan-25'), ('02:00:00:00:00:08', 'OS-PP-100')])
r = qemu('prepare', dom)
p7, p8 = vf(7), vf(8)
check('prepare associates a direct interface named in the metadata (profile, VM, MAC)',
      r.returncode == 0 and r.stdout == '' and p7['port']['request'] == 'ASSOCIATE'
      and p7['port']['profile'] == 'pp-vlan-25' and p7['port']['instance_uuid'] == VM
      and p7['mac'] == MAC, r.stderr)
check('prepare associates a hostdev interface by its PCI address',
      p8['port'] and p8['port']['request'] == 'ASSOCIATE' and p8['port']['profile'] == 'OS-PP-100'
      and p8['mac'] == '02:00:00:00:00:08', p8)
check('an interface the metadata does not name is left alone',
      not vf(9)['port'] or vf(9)['port']['request'] != 'ASSOCIATE')
check('prepare leases the two VFs', sorted(l['vf'] for l in leases()) == [7, 8], leases())
qemu('release', dom, sub='end')
check('release clears both', leases() == [] and vf(7)['port']['request'] == 'DISASSOCIATE'
      and vf(8)['port']['request'] == 'DISASSOCIATE')
# The second association refused: the first is undone too.
subprocess.run([vmfexctl, '--sim', sim, 'sim', 'inject', '--response', 'INVALID', '--count', '1'],
               check=True, capture_output=True)
r = qemu('prepare', metadata_domain([hostdev, direct],
                                    [(MAC, 'pp-vlan-25'), ('02:00:00:00:00:08', 'OS-PP-100')]))
check('a refused association fails prepare with the adapter\'s answer, nothing left',
      r.returncode == 1 and 'INVALID' in r.stderr and leases() == [], r.stderr)
no_vf = metadata_domain(["<interface type='direct'><mac address='02:00:00:00:00:0a'/>"
                         "<source dev='eth9' mode='passthrough'/></interface>"],
                        [('02:00:00:00:00:0a', 'pp-vlan-25')])
r = qemu('prepare', no_vf)
check('metadata naming an interface on a netdev that is no VF fails prepare',
      r.returncode == 1 and 'eth9' in r.stderr, r.stderr)
r = qemu('prepare', domain_data())
check('prepare of a domain without the metadata does nothing', r.returncode == 0 and leases() == [],
      r.stderr)
r = subprocess.run([vmfexctl, 'xml', 'metadata', MAC, 'x' * 40], capture_output=True, text=True)
check('xml metadata refuses a 40-character profile', r.returncode == 1 and 'profileid' in r.stderr,
      r.stderr)

# A catalog in the settings: a profile it does not hold is refused first.
cat = os.path.join(tmp, 'cat.xml')
subprocess.run([vmfexctl, '--catalog', cat, 'profile', 'add', 'pp-other'], check=True,
               capture_output=True)
with open(conf, 'w') as f:
    f.write(f'sim = {sim}\ncatalog = {cat}\nstate_dir = {tmp}/state\n')
r = net('port-created', port_data('enp10s0f0v2'))
check('with a catalog, a profile it does not hold is refused, nothing held',
      r.returncode == 1 and 'pp-vlan-25' in r.stderr and leases() == []
      and (not vf(2)['port'] or vf(2)['port']['request'] != 'ASSOCIATE'), r.stderr)
r = net('port-created', port_data('enp10s0f0v2', group='pp-other'))
check('  and one it holds is associated', r.returncode == 0 and vf(2)['port']['profile'] == 'pp-other',
      r.stderr)
net('port-deleted', port_data('enp10s0f0v2', group='pp-other'))

# Settings: a file that does not parse fails every operation, naming the line.
with open(conf, 'w') as f:
    f.write(f'sim = {sim}\ntimeout = 5\n')
r = net('port-created', port_data('enp10s0f0v2'))
check('a settings file with an unknown key fails, naming file and line',
      r.returncode == 1 and conf in r.stderr and 'line 2' in r.stderr and leases() == [],
      r.stderr)
r = subprocess.run([hook], capture_output=True, text=True)
check('the hook run without arguments is a usage error', r.returncode == 2, r.stderr)

r = subprocess.run([vmfexctl, 'libvirt-hook', 'uninstall', '--hooks-dir', hooks],
                   capture_output=True, text=True)
check('libvirt-hook uninstall removes both links',
      r.returncode == 0 and not os.path.lexists(os.path.join(hooks, 'network.d', 'vmfex'))
      and not os.path.lexists(os.path.join(hooks, 'qemu.d', 'vmfex')), r.stderr)
r = subprocess.run([vmfexctl, 'libvirt-hook', 'install', '--hook', 'relative'],
                   capture_output=True, text=True)
check('libvirt-hook install --hook takes an absolute path (usage error)', r.returncode == 2,
      r.stderr)

subprocess.run(['rm', '-rf', tmp])
finish()
