#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fixture sysfs trees against their golden `vmfexctl -j show` output.

Usage: test-fixtures.py [--skip NAME]... [--exit-status] VMFEXCTL [NAME ...]
       test-fixtures.py --update VMFEXCTL [NAME ...]

For each tests/data/fixtures/NAME.fixture, the tree is built afresh with
tests/data/mkfixture.py in a temporary directory, `vmfexctl --sysfs-root
TREE -j show` runs on it with VMFEX_LOG=warning, and:

  - the command exits 0;
  - its JSON equals tests/data/golden/NAME.json, key order included
    (white space aside);
  - its stderr matches tests/data/fixtures/NAME.stderr: each line there is
    a regular expression that some stderr line must match, or, after "? ",
    one that stderr lines may match. Every stderr line must match one of
    them, so with no NAME.stderr stderr must be empty.

--update writes the goldens from the command's output instead; goldens are
reviewed by hand against the fixture descriptions before they are kept.

The output is TAP. A fixture whose golden shows what the library should do
and does not yet (an open library bug, described in the fixture) is run on
its own with --exit-status by tests/api/meson.build, as an expected failure.
"""

import argparse
import difflib
import json
import os
import re
import subprocess
import sys
import tempfile

SRCDIR = os.environ.get('VMFEX_SRCDIR') or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(SRCDIR, 'tests', 'data')
FIXTURES = os.path.join(DATA, 'fixtures')
GOLDEN = os.path.join(DATA, 'golden')
MKFIXTURE = os.path.join(DATA, 'mkfixture.py')
PYTHON = sys.executable or '/usr/bin/python3'


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def result(self, ok, name, detail=''):
        self.n += 1
        if not ok:
            self.failed += 1
        print('%s %d - %s' % ('ok' if ok else 'not ok', self.n, name))
        for line in detail.splitlines():
            print('# ' + line)
        sys.stdout.flush()


def mkfixture(desc, tree):
    p = subprocess.run([PYTHON, MKFIXTURE, desc, tree], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError('mkfixture failed: ' + p.stderr.strip())


def read_expectations(name):
    required, optional = [], []
    path = os.path.join(FIXTURES, name + '.stderr')
    if not os.path.exists(path):
        return required, optional
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if not line.strip() or line.startswith('#'):
                continue
            if line.startswith('? '):
                optional.append(re.compile(line[2:]))
            else:
                required.append(re.compile(line))
    return required, optional


def check_stderr(name, stderr):
    """Problems with stderr, as a list of lines (empty: fine)."""
    required, optional = read_expectations(name)
    lines = [l for l in stderr.splitlines() if l.strip()]
    problems = []
    for rx in required:
        if not any(rx.search(l) for l in lines):
            problems.append('stderr lacks a line matching /%s/' % rx.pattern)
    for l in lines:
        if not any(rx.search(l) for rx in required + optional):
            problems.append('unexpected stderr line: %s' % l)
    return problems


def canonical(obj):
    return json.dumps(obj, indent=2, ensure_ascii=False) + '\n'


def run_show(vmfexctl, tree):
    env = dict(os.environ)
    env['VMFEX_LOG'] = 'warning'
    env.pop('VMFEX_SIM', None)
    return subprocess.run([vmfexctl, '--sysfs-root', tree, '-j', 'show'],
                          capture_output=True, text=True, env=env)


def check_fixture(tap, vmfexctl, name, update):
    desc = os.path.join(FIXTURES, name + '.fixture')
    golden = os.path.join(GOLDEN, name + '.json')
    with tempfile.TemporaryDirectory(prefix='vmfex-fixture-') as tmp:
        tree = os.path.join(tmp, 'sys')
        try:
            mkfixture(desc, tree)
        except RuntimeError as e:
            tap.result(False, name, str(e))
            return
        p = run_show(vmfexctl, tree)
    stderr = p.stderr.replace(tree, 'TREE')
    if update:
        if p.returncode == 0:
            with open(golden, 'w', encoding='utf-8') as f:
                f.write(p.stdout)
        tap.result(p.returncode == 0, name + ': golden written',
                   'exit %d\n%s' % (p.returncode, stderr))
        return
    problems = []
    if p.returncode != 0:
        problems.append('vmfexctl exited %d' % p.returncode)
    try:
        got = json.loads(p.stdout)
    except ValueError as e:
        got = None
        problems.append('output is not JSON (%s):\n%s' % (e, p.stdout[:2000]))
    try:
        with open(golden, encoding='utf-8') as f:
            want = json.load(f)
    except (OSError, ValueError) as e:
        want = None
        problems.append('cannot read the golden %s: %s' % (golden, e))
    if got is not None and want is not None and canonical(got) != canonical(want):
        diff = difflib.unified_diff(canonical(want).splitlines(), canonical(got).splitlines(),
                                    'golden/%s.json' % name, 'vmfexctl output', lineterm='', n=2)
        problems.append('output differs from the golden:\n' + '\n'.join(diff))
    problems += check_stderr(name, stderr)
    if problems:
        problems.append('stderr was:\n' + (stderr or '(empty)'))
    tap.result(not problems, name, '\n'.join(problems))


def read(path):
    with open(path, encoding='utf-8') as f:
        return f.read()


def check_layout(tap):
    """mkfixture's tree against facts of the Linux layout, so that a slip
    in the script cannot hide behind goldens made with it."""
    with tempfile.TemporaryDirectory(prefix='vmfex-fixture-') as tmp:
        tree = os.path.join(tmp, 'sys')
        mkfixture(os.path.join(FIXTURES, 'wrap-256.fixture'), tree)
        pf = os.path.join(tree, 'bus/pci/devices/0000:81:00.0')
        vf255 = os.path.join(tree, 'bus/pci/devices/0000:82:00.0')
        checks = [
            ('virtfn0 -> ../0000:81:00.1', os.readlink(pf + '/virtfn0') == '../0000:81:00.1'),
            ('virtfn30 -> ../0000:81:03.7', os.readlink(pf + '/virtfn30') == '../0000:81:03.7'),
            ('virtfn31 -> ../0000:81:04.0', os.readlink(pf + '/virtfn31') == '../0000:81:04.0'),
            ('virtfn254 -> ../0000:81:1f.7',
             os.readlink(pf + '/virtfn254') == '../0000:81:1f.7'),
            ('virtfn255 -> ../0000:82:00.0',
             os.readlink(pf + '/virtfn255') == '../0000:82:00.0'),
            ('no virtfn256', not os.path.lexists(pf + '/virtfn256')),
            ('VF 255 is a sibling of the PF',
             os.path.realpath(vf255) == os.path.join(
                 os.path.realpath(tree), 'devices/pci0000:81/0000:82:00.0')),
            ('VF physfn resolves to the PF',
             os.path.realpath(vf255 + '/physfn') == os.path.realpath(pf)),
            ('sriov_vf_device is "71\\n"',
             read(pf + '/sriov_vf_device') == '71\n'),
            ('vendor is "0x1137\\n"', read(pf + '/vendor') == '0x1137\n'),
            ('sriov_totalvfs is "256\\n"', read(pf + '/sriov_totalvfs') == '256\n'),
            ('driver link resolves to bus/pci/drivers/enic',
             os.path.realpath(pf + '/driver') ==
             os.path.join(os.path.realpath(tree), 'bus/pci/drivers/enic')),
            ('the driver links back',
             os.path.realpath(tree + '/bus/pci/drivers/enic/0000:82:00.0') ==
             os.path.realpath(vf255)),
            ('class/net/IFNAME/device resolves to the function',
             os.path.realpath(tree + '/class/net/enp129s0v255/device') ==
             os.path.realpath(vf255)),
            ('VFs have no sriov_totalvfs', not os.path.exists(vf255 + '/sriov_totalvfs')),
        ]
    bad = [what for what, ok in checks if not ok]
    tap.result(not bad, 'mkfixture lays out sysfs as Linux does', '\n'.join(bad))


def main(argv):
    ap = argparse.ArgumentParser(description='Fixture trees against golden output.')
    ap.add_argument('--update', action='store_true', help='write the goldens')
    ap.add_argument('--skip', action='append', default=[], metavar='NAME',
                    help='leave out a fixture')
    ap.add_argument('--exit-status', action='store_true',
                    help='exit 1 when a check fails (for runs not read as TAP)')
    ap.add_argument('vmfexctl')
    ap.add_argument('names', nargs='*', metavar='NAME')
    args = ap.parse_args(argv[1:])
    vmfexctl, names = args.vmfexctl, args.names
    if not os.path.isabs(vmfexctl) and os.environ.get('VMFEX_BUILDDIR'):
        vmfexctl = os.path.join(os.environ['VMFEX_BUILDDIR'], vmfexctl)
    if not names:
        names = sorted(f[:-len('.fixture')] for f in os.listdir(FIXTURES)
                       if f.endswith('.fixture'))
    names = [n for n in names if n not in args.skip]
    if not os.access(vmfexctl, os.X_OK):
        print('1..0 # SKIP %s not built' % vmfexctl)
        return 77 if args.exit_status else 0
    tap = Tap()
    print('1..%d' % (len(names) + (0 if args.update else 1)))
    if not args.update:
        check_layout(tap)
    for name in names:
        check_fixture(tap, vmfexctl, name, args.update)
    # Read as TAP, the subtests carry the verdict: a non-zero status would
    # turn failures into errors.
    return 1 if args.exit_status and tap.failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
