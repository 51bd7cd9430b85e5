#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# vmfexctl profile and cluster commands on a catalog file: the JSON of
# `profile list` (every key, absent values as null), refusals and their
# exit status, import from UCS Manager. TAP output.
import json, os, subprocess, sys, tempfile

from tap import finish, ok

vmfexctl = sys.argv[1]
src = os.environ['VMFEX_SRCDIR']

def run(cat, *args):
    return subprocess.run([vmfexctl, '--catalog', cat] + list(args), capture_output=True, text=True)

with tempfile.TemporaryDirectory() as d:
    cat = os.path.join(d, 'catalog.xml')
    r = run(cat, '-j', 'profile', 'list')
    ok(r.returncode == 0 and json.loads(r.stdout)['profiles'] == [] and not os.path.exists(cat),
       'a missing catalog lists as empty, and is not written')
    r = run(cat, 'profile', 'add', 'pp-vlan-25', '--vlan', 'vlan-25:25:native', '--vlan', 'mgmt',
            '--max-ports', '32', '--host-nw-io-perf', 'high-perf-reqd', '--qos-policy', 'gold')
    ok(r.returncode == 0 and r.stderr == '', 'profile add creates the catalog quietly')
    r = run(cat, '-j', 'profile', 'list')
    j = json.loads(r.stdout)
    p = j['profiles'][0]
    keys = {'name', 'descr', 'vlans', 'qos_policy', 'nw_ctrl_policy', 'pin_group', 'max_ports',
            'host_nw_io_perf', 'type', 'clients'}
    ok(keys <= set(p), 'profile list -j has every key')
    ok(j['clusters'] == ['default'], 'the default cluster is listed')
    ok(p['descr'] is None and p['pin_group'] is None and p['nw_ctrl_policy'] is None,
       'absent values are null')
    ok(p['vlans'] == [{'name': 'mgmt', 'id': None, 'native': False},
                      {'name': 'vlan-25', 'id': 25, 'native': True}], 'VLANs with id and native')
    ok(p['max_ports'] == 32 and p['host_nw_io_perf'] == 'high-perf-reqd' and p['type'] == 'regular'
       and p['qos_policy'] == 'gold' and p['clients'] == ['default'], 'values')
    r = run(cat, 'profile', 'set', 'pp-vlan-25', '--max-ports', '4097')
    ok(r.returncode == 1 and "'4097'" in r.stderr, 'max ports 4097 refused, quoted')
    r = run(cat, 'profile', 'add', 'a<b>')
    ok(r.returncode == 1 and "'a<b>'" in r.stderr, 'a name with angle brackets refused, quoted')
    r = run(cat, 'profile', 'set', 'pp-vlan-25', '--type', 'premium')
    ok(r.returncode == 2, 'an unknown type is a usage error')
    r = run(cat, 'cluster', 'add', 'rack-2')
    ok(r.returncode == 0, 'cluster add')
    r = run(cat, 'profile', 'set', 'pp-vlan-25', '--client', 'rack-2', '--descr', 'Web & app')
    ok(r.returncode == 0, 'profile set --client --descr')
    r = run(cat, 'cluster', 'del', 'rack-2')
    ok(r.returncode == 1 and 'pp-vlan-25' in r.stderr, 'a cluster in use cannot go')
    r = run(cat, 'cluster', 'del', 'default')
    ok(r.returncode == 1, 'the default cluster cannot go')
    r = run(cat, '-j', 'cluster', 'list')
    ok(json.loads(r.stdout) == {'clusters': ['default', 'rack-2']}, 'cluster list -j')
    before = open(cat, 'rb').read()
    bad = os.path.join(d, 'bad.xml')
    with open(bad, 'w') as f:
        f.write('<configResolveClass><outConfigs><vnicProfile dn="fabric/lan/profiles/vnic-z" '
                'name="z" maxPorts="0"/></outConfigs></configResolveClass>')
    r = run(cat, 'profile', 'import-ucsm', bad)
    ok(r.returncode == 1 and 'fabric/lan/profiles/vnic-z' in r.stderr, 'an invalid import names the dn')
    ok(open(cat, 'rb').read() == before, 'a refused import leaves the file unchanged')
    r = run(cat, '-j', 'profile', 'import-ucsm',
            os.path.join(src, 'examples/ucsm/configResolveClass-vnicProfile.xml'))
    ok(r.returncode == 0 and json.loads(r.stdout) == {'imported': 3}, 'import-ucsm -j')
    r = run(cat, '-j', 'profile', 'show', 'pp-app')
    ok(r.returncode == 0 and json.loads(r.stdout)['max_ports'] == 128, 'profile show -j')
    r = run(cat, 'profile', 'del', 'pp-app')
    ok(r.returncode == 0, 'profile del')
    r = run(cat, 'profile', 'del', 'pp-app')
    ok(r.returncode == 1, 'profile del of a missing profile')
    r = run(cat, '-j', 'profile', 'list')
    ok([p['name'] for p in json.loads(r.stdout)['profiles']] == ['OS-PP-100', 'pp-vlan-25'],
       'profiles sorted by name')

    # Pattern clients (OpenStack's ".*", "default$"): the clusters they match.
    r = run(cat, '-j', 'profile', 'import-ucsm',
            os.path.join(src, 'examples/ucsm/configResolveClass-openstack.xml'))
    ok(r.returncode == 0 and json.loads(r.stdout) == {'imported': 2}, 'import of an OpenStack export')
    r = run(cat, '-j', 'profile', 'show', 'OS-PP-201')
    p = json.loads(r.stdout)
    ok(p['clients'] == ['default', 'rack-2'] and p['uuid'] is None, 'swName ".*" matches every cluster')
    ok(p['ucsm_clients'] == [
        {'name': 'OS-PP-201', 'dc_name': '.*', 'org_path': '.*', 'sw_name': '.*'},
        {'name': 'kvm', 'dc_name': '^dc-[0-9]+$', 'org_path': 'root/Tenant (A|B)', 'sw_name': 'default$'}],
       'ucsm_clients: the patterns verbatim')
    r = run(cat, 'profile', 'show', 'OS-PP-201')
    ok(r.returncode == 0 and ' clients default,rack-2\n' in r.stdout, 'profile show names the clusters matched')
    before = open(cat, 'rb').read()
    ok(b'sw-name="default$"' in before, 'the patterns are kept verbatim')

finish()
