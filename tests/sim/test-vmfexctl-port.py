#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# vmfexctl's vf and port commands on a simulated UCS blade: the JSON keys
# other programs rely on, exit codes, and the --dry-run bytes decoded
# field by field.
import json
import os
import struct
import subprocess
import sys
import tempfile

from tap import check, finish, plan

vmfexctl = sys.argv[1]
src = os.environ.get('VMFEX_SRCDIR', '.')
vm = '8a6a0f55-0d9b-4a5b-9a8e-6f1c2b3d4e5f'


def run(*args, rc=0):
    p = subprocess.run([vmfexctl, '--sim', host] + list(args), capture_output=True, text=True)
    if p.returncode != rc:
        raise AssertionError(f'{args}: exit {p.returncode}, wanted {rc}: {p.stderr}')
    return p


with tempfile.TemporaryDirectory() as tmp:
    host = os.path.join(tmp, 'ucs')
    subprocess.run([vmfexctl, 'sim', 'create', host,
                    os.path.join(src, 'examples/hosts/ucs-b200-vic1240.json')],
                   check=True, capture_output=True)
    plan(9)
    vfs = json.loads(run('-j', 'vf', 'show', 'enp10s0f0').stdout)['vfs']
    keys = {'index', 'mac', 'vlan', 'qos', 'spoofchk', 'trust', 'link_state', 'min_rate',
            'max_rate', 'port'}
    check('vf show: 16 VFs with the documented keys',
          len(vfs) == 16 and all(keys <= set(v) for v in vfs) and all(v['port'] is None for v in vfs))

    hexline = run('port', 'associate', 'enp10s0f0', '3', '--profile', 'pp-vlan-25',
                  '--instance-uuid', vm, '--host-uuid', vm, '--mac', '52:54:00:ac:ff:b6',
                  '--dry-run').stdout
    check('dry-run: one line of lowercase hex',
          hexline.endswith('\n') and hexline.count('\n') == 1 and
          all(c in '0123456789abcdef' for c in hexline.strip()))
    msg = bytes.fromhex(hexline.strip())
    length, mtype, flags = struct.unpack_from('<IHH', msg)
    check('dry-run: RTM_SETLINK (19) with NLM_F_REQUEST|NLM_F_ACK, length as sent',
          length == len(msg) and mtype == 19 and flags & 5 == 5, f'{length} {mtype} {flags}')
    # Walk the attributes after the 16-byte header and 16-byte ifinfomsg.
    attrs, off = {}, 32
    while off + 4 <= len(msg):
        alen, atype = struct.unpack_from('<HH', msg, off)
        attrs[atype & 0x3fff] = msg[off + 4:off + alen]
        off += (alen + 3) & ~3
    ports = attrs.get(24, b'')
    inner, off = {}, 4                       # skip the IFLA_VF_PORT header
    while off + 4 <= len(ports):
        alen, atype = struct.unpack_from('<HH', ports, off)
        inner[atype] = ports[off + 4:off + alen]
        off += (alen + 3) & ~3
    check('dry-run: profile of exactly 40 bytes, NUL-padded',
          inner.get(2) == b'pp-vlan-25' + b'\0' * 30)
    check('dry-run: UUIDs of 16 bytes, VF 3, ASSOCIATE',
          len(inner.get(4, b'')) == 16 and len(inner.get(5, b'')) == 16 and
          inner.get(1) == struct.pack('<I', 3) and inner.get(6) == b'\x02')
    vfmac = attrs.get(22, b'')
    check('dry-run: the VF MAC with index 3 comes before the ports',
          msg.find(vfmac) < msg.find(ports) and
          vfmac[8:12] == struct.pack('<I', 3) and vfmac[12:18] == bytes.fromhex('525400acffb6'))

    run('port', 'associate', 'enp10s0f0', '3', '--profile', 'pp-vlan-25', '--instance-uuid', vm,
        '--mac', '52:54:00:ac:ff:b6', '--wait')
    st = json.loads(run('-j', 'port', 'status', 'enp10s0f0v3').stdout)
    check('port status by the VF netdev after associate --wait',
          st['request'] == 'ASSOCIATE' and st['response'] == 'SUCCESS', st)
    port = json.loads(run('-j', 'vf', 'show', '0000:0a:00.0').stdout)['vfs'][3]['port']
    check('vf show: the port of VF 3',
          port is not None and port['profile'] == 'pp-vlan-25' and port['instance_uuid'] == vm)
    bad = run('port', 'associate', 'enp10s0f0', '3', '--profile', 'x' * 40,
              '--instance-uuid', vm, rc=1)
    usage = run('port', 'associate', 'enp10s0f0', '3', rc=2)
    check('exit 1 for a refused profile, 2 for a usage error',
          'not 1-39 printable characters' in bad.stderr and 'required' in usage.stderr)
finish()
