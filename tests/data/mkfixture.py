#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""mkfixture: build a fake sysfs tree from a short host description.

Usage: mkfixture.py DESCRIPTION OUTDIR

OUTDIR must not exist or be empty. The tree is laid out as Linux lays out
/sys for PCI functions, netdevs and drivers. This script is a reading of
the kernel's layout written apart from the library's simulator (lib/sim),
so that the two can check each other.

Description format
------------------
One statement per line; '#' starts a comment; words are split as by a
POSIX shell (shlex), so values may be quoted. PCI addresses are always the
long form DDDD:BB:DD.F. Ids are four hexadecimal digits.

  pf BDF id=VVVV:DDDD [key=value ...]
      An SR-IOV physical function. Keys:
        sub=VVVV:DDDD   subsystem ids (default: the same as id)
        class=HEX       class code (default 020000, Ethernet)
        driver=NAME     bound driver (default: none)
        net=IFNAME      netdev (default: none)
        total=N         sriov_totalvfs (required)
        num=N           sriov_numvfs, VFs created (default 0)
        offset=N        sriov_offset, First VF Offset (default 1)
        stride=N        sriov_stride, VF Stride (default 1)
        vfid=DDDD       VF device id (default: the PF's device id)
        vfdevice=no     omit sriov_vf_device (kernels before 5.9)
        autoprobe=0|1   sriov_drivers_autoprobe (default 1)
        vfdriver=NAME   driver bound to every VF (default: none)
        vfnet=TEMPLATE  netdev of every VF; "{i}" is replaced by the index
      VF i gets routing id PF_rid + offset + stride * i, where a routing id
      is bus << 8 | device << 3 | function, so VF functions carry into the
      device and the bus as in drivers/pci/iov.c (pci_iov_virtfn_bus and
      pci_iov_virtfn_devfn). The VF's vendor, subsystem and class are the PF's.

  dev BDF id=VVVV:DDDD [sub= class= driver= net=]
      A PCI function without SR-IOV (a plain NIC).

  vf PFBDF INDEX [driver=NAME|-] [net=IFNAME|-] [missing]
      Changes VF INDEX of an earlier pf: its own driver and netdev ("-" for
      none), or "missing": the PF's virtfnINDEX link is made but the VF's
      device is not (a dangling link).

  set BDF NAME VALUE       write VALUE plus a newline to the attribute NAME
  raw BDF NAME VALUE       write VALUE exactly, without a newline
  fill BDF NAME CHAR COUNT write CHAR repeated COUNT times, plus a newline
  link BDF NAME TARGET     make NAME in the device's directory a symlink
                           to TARGET (replacing what is there)
  rm BDF NAME              remove the attribute or link NAME
      Damage applied after the tree is built, in the order written. VALUE
      understands the escapes \\n \\t \\\\ and \\xHH (quote it with '...').
      BDF may name a VF by its address.

Layout produced
---------------
  devices/pciDDDD:BB/BDF/                      a function on root bus BB
      vendor device subsystem_vendor subsystem_device   "0x%04x\\n"
      class                                     "0x%06x\\n"
      driver_override                           "(null)\\n"
      driver -> ../../../bus/pci/drivers/NAME
      net/IFNAME/{device -> ../../../BDF, ifindex}
    PF: sriov_totalvfs sriov_numvfs sriov_offset sriov_stride  "%u\\n"
        sriov_vf_device "%x\\n" (no 0x, as kernel 6.1 prints it)
        sriov_drivers_autoprobe "%u\\n", virtfnN -> ../VFBDF
    VF: physfn -> ../PFBDF. A VF is a sibling of its PF (its device parent
        is the PF's parent), even when its bus number differs.
  bus/pci/devices/BDF -> ../../../devices/pciDDDD:BB/BDF
  bus/pci/drivers/NAME/{bind,unbind,new_id,remove_id}
  bus/pci/drivers/NAME/BDF -> ../../../../devices/pciDDDD:BB/BDF
  bus/pci/drivers_probe
  class/net/IFNAME -> ../../devices/pciDDDD:BB/BDF/net/IFNAME
"""

import os
import re
import shlex
import sys

BDF_RE = re.compile(r'^([0-9a-f]{4}):([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$')
ID_RE = re.compile(r'^([0-9a-fA-F]{4}):([0-9a-fA-F]{4})$')
HEX4_RE = re.compile(r'^[0-9a-fA-F]{4}$')
IFNAME_RE = re.compile(r'^[^/:\s]{1,15}$')
DRIVER_RE = re.compile(r'^[A-Za-z0-9_.-]{1,64}$')


class DescError(Exception):
    pass


class Func:
    """One PCI function."""

    def __init__(self, bdf, parent):
        self.bdf = bdf
        self.parent = parent          # devices/pciDDDD:BB
        self.vendor = self.device = 0
        self.sub_vendor = self.sub_device = 0
        self.cls = 0x020000
        self.driver = None
        self.net = None
        self.sriov = None             # dict for a PF
        self.physfn = None            # PF Func for a VF
        self.missing = False          # a VF whose device is not created

    @property
    def devdir(self):
        return self.parent + '/' + self.bdf


def parse_bdf(s, lineno):
    m = BDF_RE.match(s)
    if not m:
        raise DescError('line %d: %r is not a PCI address DDDD:BB:DD.F '
                        '(lower case, device <= 1f)' % (lineno, s))
    dom, bus, dev, fn = (int(g, 16) for g in m.groups())
    if dev > 0x1f:
        raise DescError('line %d: device %02x > 1f in %s' % (lineno, dev, s))
    return dom, bus, dev, fn


def fmt_bdf(dom, bus, dev, fn):
    return '%04x:%02x:%02x.%x' % (dom, bus, dev, fn)


def parse_uint(s, what, lineno, maxval=None):
    if not re.match(r'^[0-9]+$', s):
        raise DescError('line %d: %s=%r is not a number' % (lineno, what, s))
    v = int(s)
    if maxval is not None and v > maxval:
        raise DescError('line %d: %s=%d exceeds %d' % (lineno, what, v, maxval))
    return v


def unescape(s):
    out = []
    i = 0
    while i < len(s):
        c = s[i]
        if c != '\\':
            out.append(c.encode('utf-8'))
            i += 1
            continue
        nxt = s[i + 1:i + 2]
        if nxt == 'n':
            out.append(b'\n')
            i += 2
        elif nxt == 't':
            out.append(b'\t')
            i += 2
        elif nxt == '\\':
            out.append(b'\\')
            i += 2
        elif nxt == 'x' and re.match(r'^[0-9a-fA-F]{2}$', s[i + 2:i + 4]):
            out.append(bytes([int(s[i + 2:i + 4], 16)]))
            i += 4
        else:
            raise DescError('bad escape in %r' % s)
    return b''.join(out)


def split_kv(words, lineno, allowed):
    kv = {}
    flags = []
    for w in words:
        if '=' in w:
            k, v = w.split('=', 1)
            if k not in allowed:
                raise DescError('line %d: unknown key %r' % (lineno, k))
            if k in kv:
                raise DescError('line %d: key %r given twice' % (lineno, k))
            kv[k] = v
        else:
            flags.append(w)
    return kv, flags


class Host:
    def __init__(self):
        self.funcs = {}               # bdf -> Func
        self.order = []
        self.damage = []              # (lineno, verb, args)

    def add(self, func, lineno):
        if func.bdf in self.funcs:
            raise DescError('line %d: PCI function %s defined twice'
                            % (lineno, func.bdf))
        self.funcs[func.bdf] = func
        self.order.append(func)

    def common(self, f, kv, lineno):
        m = ID_RE.match(kv.get('id', ''))
        if not m:
            raise DescError('line %d: id=VVVV:DDDD is required' % lineno)
        f.vendor, f.device = int(m.group(1), 16), int(m.group(2), 16)
        f.sub_vendor, f.sub_device = f.vendor, f.device
        if 'sub' in kv:
            m = ID_RE.match(kv['sub'])
            if not m:
                raise DescError('line %d: bad sub=%r' % (lineno, kv['sub']))
            f.sub_vendor, f.sub_device = int(m.group(1), 16), int(m.group(2), 16)
        if 'class' in kv:
            if not re.match(r'^[0-9a-fA-F]{6}$', kv['class']):
                raise DescError('line %d: class is 6 hex digits' % lineno)
            f.cls = int(kv['class'], 16)
        if 'driver' in kv:
            if not DRIVER_RE.match(kv['driver']):
                raise DescError('line %d: bad driver name' % lineno)
            f.driver = kv['driver']
        if 'net' in kv:
            if not IFNAME_RE.match(kv['net']) or kv['net'] in ('.', '..'):
                raise DescError('line %d: bad netdev name' % lineno)
            f.net = kv['net']

    def stmt_dev(self, words, lineno, is_pf):
        if not words:
            raise DescError('line %d: a PCI address is required' % lineno)
        dom, bus, dev, fn = parse_bdf(words[0], lineno)
        allowed = {'id', 'sub', 'class', 'driver', 'net'}
        if is_pf:
            allowed |= {'total', 'num', 'offset', 'stride', 'vfid', 'vfdevice',
                        'autoprobe', 'vfdriver', 'vfnet'}
        kv, flags = split_kv(words[1:], lineno, allowed)
        if flags:
            raise DescError('line %d: unexpected %r' % (lineno, flags[0]))
        f = Func(words[0], 'devices/pci%04x:%02x' % (dom, bus))
        self.common(f, kv, lineno)
        self.add(f, lineno)
        if not is_pf:
            return
        if 'total' not in kv:
            raise DescError('line %d: a pf needs total=N' % lineno)
        s = {
            'total': parse_uint(kv['total'], 'total', lineno, 65535),
            'num': parse_uint(kv.get('num', '0'), 'num', lineno, 65535),
            'offset': parse_uint(kv.get('offset', '1'), 'offset', lineno, 65535),
            'stride': parse_uint(kv.get('stride', '1'), 'stride', lineno, 65535),
            'vfid': f.device,
            'vfdevice': True,
            'autoprobe': parse_uint(kv.get('autoprobe', '1'), 'autoprobe', lineno, 1),
            'vfs': [],
        }
        if 'vfid' in kv:
            if not HEX4_RE.match(kv['vfid']):
                raise DescError('line %d: vfid is 4 hex digits' % lineno)
            s['vfid'] = int(kv['vfid'], 16)
        if kv.get('vfdevice', 'yes') not in ('yes', 'no'):
            raise DescError('line %d: vfdevice=yes|no' % lineno)
        s['vfdevice'] = kv.get('vfdevice', 'yes') == 'yes'
        if s['num'] > s['total']:
            raise DescError('line %d: num > total' % lineno)
        if s['num'] and not s['offset']:
            raise DescError('line %d: VFs need a non-zero offset' % lineno)
        f.sriov = s
        rid = bus << 8 | dev << 3 | fn
        for i in range(s['num']):
            vrid = rid + s['offset'] + s['stride'] * i
            if vrid > 0xffff:
                raise DescError('line %d: VF %d would be past bus ff' % (lineno, i))
            v = Func(fmt_bdf(dom, vrid >> 8, (vrid >> 3) & 0x1f, vrid & 7), f.parent)
            v.vendor, v.device = f.vendor, s['vfid']
            v.sub_vendor, v.sub_device = f.sub_vendor, f.sub_device
            v.cls = f.cls
            v.physfn = f
            if 'vfdriver' in kv:
                if not DRIVER_RE.match(kv['vfdriver']):
                    raise DescError('line %d: bad vfdriver name' % lineno)
                v.driver = kv['vfdriver']
            if 'vfnet' in kv:
                v.net = kv['vfnet'].replace('{i}', str(i))
                if not IFNAME_RE.match(v.net):
                    raise DescError('line %d: VF %d netdev %r is not valid'
                                    % (lineno, i, v.net))
            self.add(v, lineno)
            s['vfs'].append(v)

    def stmt_vf(self, words, lineno):
        if len(words) < 2:
            raise DescError('line %d: vf PFBDF INDEX ...' % lineno)
        pf = self.funcs.get(words[0])
        if not pf or not pf.sriov:
            raise DescError('line %d: %s is not an earlier pf' % (lineno, words[0]))
        idx = parse_uint(words[1], 'index', lineno)
        if idx >= len(pf.sriov['vfs']):
            raise DescError('line %d: %s has no VF %d' % (lineno, words[0], idx))
        v = pf.sriov['vfs'][idx]
        kv, flags = split_kv(words[2:], lineno, {'driver', 'net'})
        for fl in flags:
            if fl != 'missing':
                raise DescError('line %d: unexpected %r' % (lineno, fl))
            v.missing = True
        if 'driver' in kv:
            v.driver = None if kv['driver'] == '-' else kv['driver']
            if v.driver and not DRIVER_RE.match(v.driver):
                raise DescError('line %d: bad driver name' % lineno)
        if 'net' in kv:
            v.net = None if kv['net'] == '-' else kv['net']
            if v.net and not IFNAME_RE.match(v.net):
                raise DescError('line %d: bad netdev name' % lineno)

    def stmt_damage(self, verb, words, lineno):
        nargs = {'set': 3, 'raw': 3, 'fill': 4, 'link': 3, 'rm': 2}[verb]
        if len(words) != nargs:
            raise DescError('line %d: %s takes %d arguments' % (lineno, verb, nargs))
        if words[0] not in self.funcs:
            raise DescError('line %d: no PCI function %s' % (lineno, words[0]))
        name = words[1]
        if not name or name.startswith('/') or '..' in name.split('/'):
            raise DescError('line %d: bad attribute name %r' % (lineno, name))
        if verb == 'fill':
            if len(words[2]) != 1:
                raise DescError('line %d: fill takes one character' % lineno)
            parse_uint(words[3], 'count', lineno, 1 << 20)
        self.damage.append((lineno, verb, words))


def parse(text):
    host = Host()
    for lineno, line in enumerate(text.splitlines(), 1):
        try:
            words = shlex.split(line, comments=True)
        except ValueError as e:
            raise DescError('line %d: %s' % (lineno, e))
        if not words:
            continue
        verb, args = words[0], words[1:]
        if verb == 'pf':
            host.stmt_dev(args, lineno, True)
        elif verb == 'dev':
            host.stmt_dev(args, lineno, False)
        elif verb == 'vf':
            host.stmt_vf(args, lineno)
        elif verb in ('set', 'raw', 'fill', 'link', 'rm'):
            host.stmt_damage(verb, args, lineno)
        else:
            raise DescError('line %d: unknown statement %r' % (lineno, verb))
    return host


class Tree:
    def __init__(self, root):
        self.root = root

    def path(self, rel):
        return os.path.join(self.root, rel)

    def mkdir(self, rel):
        os.makedirs(self.path(rel), exist_ok=True)

    def write(self, rel, data):
        if isinstance(data, str):
            data = data.encode()
        with open(self.path(rel), 'wb') as f:
            f.write(data)

    def symlink(self, rel, target):
        p = self.path(rel)
        if os.path.lexists(p):
            if os.path.isdir(p) and not os.path.islink(p):
                raise DescError('%s is a directory' % rel)
            os.unlink(p)
        os.symlink(target, p)


def build(host, root):
    t = Tree(root)
    for d in ('bus/pci/devices', 'bus/pci/drivers', 'class/net', 'devices'):
        t.mkdir(d)
    t.write('bus/pci/drivers_probe', '')
    ifindex = 2
    for f in host.order:
        if f.missing:
            continue
        d = f.devdir
        t.mkdir(d)
        t.write(d + '/vendor', '0x%04x\n' % f.vendor)
        t.write(d + '/device', '0x%04x\n' % f.device)
        t.write(d + '/subsystem_vendor', '0x%04x\n' % f.sub_vendor)
        t.write(d + '/subsystem_device', '0x%04x\n' % f.sub_device)
        t.write(d + '/class', '0x%06x\n' % f.cls)
        t.write(d + '/driver_override', '(null)\n')
        t.symlink('bus/pci/devices/' + f.bdf, '../../../' + d)
        if f.driver:
            drv = 'bus/pci/drivers/' + f.driver
            if not os.path.isdir(t.path(drv)):
                t.mkdir(drv)
                for a in ('bind', 'unbind', 'new_id', 'remove_id'):
                    t.write(drv + '/' + a, '')
            t.symlink(d + '/driver', '../../../' + drv)
            t.symlink(drv + '/' + f.bdf, '../../../../' + d)
        if f.net:
            if os.path.lexists(t.path('class/net/' + f.net)):
                raise DescError('netdev %s used twice' % f.net)
            nd = d + '/net/' + f.net
            t.mkdir(nd)
            t.symlink(nd + '/device', '../../../' + f.bdf)
            t.write(nd + '/ifindex', '%d\n' % ifindex)
            ifindex += 1
            t.symlink('class/net/' + f.net, '../../' + nd)
        if f.sriov:
            s = f.sriov
            t.write(d + '/sriov_totalvfs', '%u\n' % s['total'])
            t.write(d + '/sriov_numvfs', '%u\n' % s['num'])
            t.write(d + '/sriov_offset', '%u\n' % s['offset'])
            t.write(d + '/sriov_stride', '%u\n' % s['stride'])
            if s['vfdevice']:
                t.write(d + '/sriov_vf_device', '%x\n' % s['vfid'])
            t.write(d + '/sriov_drivers_autoprobe', '%u\n' % s['autoprobe'])
            for i, v in enumerate(s['vfs']):
                t.symlink('%s/virtfn%d' % (d, i), '../' + v.bdf)
        if f.physfn:
            t.symlink(d + '/physfn', '../' + f.physfn.bdf)
    for lineno, verb, w in host.damage:
        f = host.funcs[w[0]]
        if f.missing:
            raise DescError('line %d: %s is missing' % (lineno, w[0]))
        rel = f.devdir + '/' + w[1]
        if verb == 'set':
            t.write(rel, unescape(w[2]) + b'\n')
        elif verb == 'raw':
            t.write(rel, unescape(w[2]))
        elif verb == 'fill':
            t.write(rel, w[2].encode() * int(w[3]) + b'\n')
        elif verb == 'link':
            t.symlink(rel, w[2])
        elif verb == 'rm':
            p = t.path(rel)
            if not os.path.lexists(p):
                raise DescError('line %d: nothing to remove at %s' % (lineno, rel))
            os.unlink(p)


def main(argv):
    if len(argv) != 3:
        sys.stderr.write('usage: mkfixture.py DESCRIPTION OUTDIR\n')
        return 2
    desc, out = argv[1], argv[2]
    if os.path.exists(out) and os.listdir(out):
        sys.stderr.write('mkfixture: %s is not empty\n' % out)
        return 1
    try:
        with open(desc, encoding='utf-8') as f:
            host = parse(f.read())
        os.makedirs(out, exist_ok=True)
        build(host, out)
    except (DescError, OSError) as e:
        sys.stderr.write('mkfixture: %s: %s\n' % (desc, e))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
