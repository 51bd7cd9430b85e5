#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# vmfexctl as a whole: every command and subcommand of its tables is in
# the man page (doc/vmfexctl.8) and offered by the bash completion
# (tools/completion/vmfexctl.bash); the man page renders without a
# warning; commands that print give JSON with -j; exit codes follow the
# rule of the man page (0 done, 1 failed operation, 2 usage).
#
# Every command reads options and operands in any order, answers --help,
# and calls a mistyped word a usage error with a suggestion.
#
# Every command finds the catalog by one rule.
#
# Every command line of the man page's EXAMPLES and the README runs.
#
# Long waits draw a progress line on a terminal.
#
#   test-cli.py VMFEXCTL man|completion|json|exit|args|catalog|docs|progress
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from tap import check, finish

vmfexctl = os.path.abspath(sys.argv[1])
mode = sys.argv[2]
src = os.environ.get('VMFEX_SRCDIR', os.path.join(os.path.dirname(__file__), '..', '..'))
man_page = os.path.join(src, 'doc', 'vmfexctl.8')
completion = os.path.join(src, 'tools', 'completion', 'vmfexctl.bash')
ucs_host = os.path.join(src, 'examples', 'hosts', 'ucs-b200-vic1240.json')


def command_tables():
    """{command: [subcommands]} from the C tables of tools/vmfexctl."""
    d = os.path.join(src, 'tools', 'vmfexctl')
    entry = re.compile(r'\{\s*"([a-z0-9-]+)"\s*,\s*(\w+)\s*,')
    table = re.compile(r'struct command\s+(\w+)\s*\[\]\s*=\s*\{(.*?)\n\s*\};', re.S)
    call = re.compile(r'run_subcommand\(\s*\w+\s*,\s*"([a-z0-9-]+)"\s*,\s*(\w+)\s*,')
    with open(os.path.join(d, 'vmfexctl.c')) as f:
        top = [m.group(1) for t in table.finditer(f.read()) for m in entry.finditer(t.group(2))]
    subs = {c: [] for c in top}
    for name in sorted(os.listdir(d)):
        if not name.endswith('.c') or name == 'vmfexctl.c':
            continue
        with open(os.path.join(d, name)) as f:
            text = f.read()
        tables = [(t.start(), t.group(1), [m.group(1) for m in entry.finditer(t.group(2))])
                  for t in table.finditer(text)]
        for c in call.finditer(text):
            # The table of that name nearest before the call.
            found = [t for t in tables if t[1] == c.group(2) and t[0] < c.start()]
            if found:
                subs.setdefault(c.group(1), []).extend(found[-1][2])
    return top, subs


def man_text():
    """The page's source without font escapes, as words to search."""
    with open(man_page) as f:
        s = f.read()
    s = re.sub(r'\\f[BIRP]', '', s)
    s = s.replace('\\-', '-').replace('\\&', '').replace('\\e', '\\')
    s = re.sub(r'^\.[A-Z]{1,2}\s*', '', s, flags=re.M)
    return re.sub(r'[\s"]+', ' ', s)


def test_man():
    top, subs = command_tables()
    check('the tables list commands', len(top) >= 8, str(top))
    groff = shutil.which('groff')
    if groff:
        p = subprocess.run([groff, '-man', '-ww', '-z', man_page], capture_output=True, text=True)
        check('groff -man -ww renders the page without a warning',
              p.returncode == 0 and not p.stderr, p.stderr.strip())
    else:
        print('# groff not installed: rendering not checked')
    if shutil.which('man'):
        p = subprocess.run(['man', '--warnings', '-l', man_page], capture_output=True, text=True,
                           env=dict(os.environ, MANWIDTH='80'))
        check('man --warnings renders the page without a warning',
              p.returncode == 0 and not p.stderr and 'EXIT STATUS' in p.stdout,
              p.stderr.strip())
    text = man_text()
    for c in top:
        check(f'the man page documents "{c}"', re.search(rf'(^| ){re.escape(c)}( |$)', text),
              f'add {c} to doc/vmfexctl.8')
        for s in subs.get(c, []):
            check(f'the man page documents "{c} {s}"',
                  re.search(rf'(^| ){re.escape(c)} {re.escape(s)}( |$)', text),
                  f'add "{c} {s}" to doc/vmfexctl.8')
    for rule in ('0', '1', '2'):
        check(f'the man page gives exit status {rule}',
              re.search(rf'EXIT STATUS .*?(^| ){rule} ', text) is not None)


BASH_COMPLETION = '/usr/share/bash-completion/bash_completion'


def complete(*words, with_bash_completion=False):
    """COMPREPLY for the words typed, the last one being completed; with
    bash-completion's own functions loaded first, or without them."""
    pre = f'source {BASH_COMPLETION}; ' if with_bash_completion else ''
    script = (pre + 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); '
              'COMP_LINE=$LINE; COMP_POINT=${#COMP_LINE}; COMPREPLY=(); '
              '_vmfexctl vmfexctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"; '
              'printf "%s\\n" "${COMPREPLY[@]}"')
    # The line as typed: no blanks around the colons bash split words at.
    line = ' '.join(words).replace(' : ', ':')
    env = dict(os.environ, PATH=os.path.dirname(vmfexctl) + os.pathsep + os.environ['PATH'],
               LINE=line)
    p = subprocess.run(['bash', '--norc', '--noprofile', '-c', script, 'complete', completion]
                       + list(words), capture_output=True, text=True, env=env)
    if p.returncode or p.stderr:
        return None
    return [w for w in p.stdout.split('\n') if w]


def test_completion(host):
    p = subprocess.run(['bash', '-n', completion], capture_output=True, text=True)
    check('bash -n on the completion', p.returncode == 0 and not p.stderr, p.stderr.strip())
    p = subprocess.run(['bash', '--norc', '-c', f'source "{completion}" && complete -p vmfexctl'],
                       capture_output=True, text=True)
    check('sourcing the completion registers it for vmfexctl',
          p.returncode == 0 and '_vmfexctl' in p.stdout, p.stderr.strip())
    top, subs = command_tables()
    offered = complete('vmfexctl', '') or []
    for c in top:
        check(f'the completion offers "{c}"', c in offered,
              f'add {c} to tools/completion/vmfexctl.bash')
        if subs.get(c):
            offered_subs = complete('vmfexctl', '--sim', host, c, '') or []
            for s in subs[c]:
                check(f'the completion offers "{c} {s}"', s in offered_subs,
                      f'add "{c} {s}" to tools/completion/vmfexctl.bash')
    check('a prefix completes to its commands', complete('vmfexctl', 'p') ==
          sorted(complete('vmfexctl', 'p') or []) and
          set(complete('vmfexctl', 'p') or []) == {c for c in top if c.startswith('p')})
    check('global options', '--sim' in (complete('vmfexctl', '--s') or []))
    check('options of a subcommand', '--mac' in (complete('vmfexctl', 'vf', 'set', '--') or []))
    check('--help of a subcommand', '--help' in (complete('vmfexctl', 'vf', 'set', '--h') or []))
    check('--help of a command', complete('vmfexctl', 'port', '--') == ['--help'])
    check('values of an option', complete('vmfexctl', 'xml', 'interface', '--topology', 'h')
          == ['hostdev'])
    pfs = complete('vmfexctl', '--sim', host, 'vf', 'show', '') or []
    check('PFs of the simulated host', 'enp10s0f0' in pfs and '0000:0b:00.0' in pfs, str(pfs))
    if os.path.exists(BASH_COMPLETION):
        got = complete('vmfexctl', '--sim', host, 'vf', '', with_bash_completion=True)
        check('with bash-completion loaded: subcommands', got and set(subs['vf']) <= set(got),
              str(got))
        # bash splits a PCI address at its colons; the completion joins it.
        got = complete('vmfexctl', '--sim', host, 'show', '0000', ':', '0b',
                       with_bash_completion=True)
        check('with bash-completion loaded: a PCI address after its colon', got == ['0b:00.0'],
              str(got))
    else:
        print('# bash-completion not installed: completion checked without it only')


def run(args, env=None):
    return subprocess.run([vmfexctl] + args, capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL)


def test_json(tmp, host):
    cat = os.path.join(tmp, 'catalog.xml')
    ucsm = os.path.join(src, 'examples', 'ucsm', 'configResolveClass-vnicProfile.xml')
    g = ['--sim', host, '--catalog', cat]
    vm = '8a6a0f55-0d9b-4a5b-9a8e-6f1c2b3d4e5f'
    vm2 = '0c7e3b1a-5f2d-4e8b-9a61-3d2f4c5b6a70'
    samples = [
        ['show'],
        ['show', 'enp10s0f0'],
        ['vf', 'show', 'enp10s0f0'],
        ['vf', 'set', 'enp10s0f0', '2', '--mac', '02:00:00:00:00:02'],
        ['vf', 'bind', 'enp10s0f0', '3', 'vfio-pci'],
        ['vf', 'unbind', 'enp10s0f0', '3'],
        ['profile', 'import-ucsm', ucsm],
        ['profile', 'add', 'pp-cli', '--vlan', 'v25:25:native'],
        ['profile', 'set', 'pp-cli', '--descr', 'cli test'],
        ['profile', 'list'],
        ['profile', 'show', 'pp-cli'],
        ['cluster', 'add', 'c1'],
        ['cluster', 'list'],
        ['cluster', 'del', 'c1'],
        ['port', 'associate', 'enp10s0f0', '1', '--profile', 'pp-cli', '--instance-uuid', vm,
         '--mac', '02:00:00:00:01:01', '--wait'],
        ['port', 'status', 'enp10s0f0', '1'],
        ['port', 'preassociate', 'enp10s0f0', '4', '--profile', 'pp-cli', '--instance-uuid', vm,
         '--mac', '02:00:00:00:01:04'],
        ['port', 'associate', 'enp10s0f0', '7', '--profile', 'pp-cli', '--instance-uuid', vm,
         '--dry-run'],
        ['port', 'disassociate', 'enp10s0f0', '1', '--wait'],
        ['xml', 'interface', 'enp10s0f0', '5', '--profile', 'pp-cli', '--topology',
         'passthrough'],
        ['xml', 'network', 'enp10s0f0', '--name', 'pool', '--topology', 'hostdev',
         '--profile', 'pp-cli'],
        ['xml', 'network-interface', 'pool', 'pp-cli'],
        ['domain', 'inspect', os.path.join(tmp, 'dom.xml')],
        ['sim', 'set', '--latency-ms', '0'],
        ['vf', 'reserve', 'enp11s0f0', '--vm-uuid', vm, '--vm-name', 'vm1'],
        ['vf', 'leases'],
        ['vf', 'leases', '--reclaim-stale'],
        ['vf', 'release', 'enp11s0f0', '0'],
        ['attach', '--vm-uuid', vm2, '--vm-name', 'vm2', '--profile', 'pp-cli', '--pf',
         'enp11s0f0', '--topology', 'passthrough', '--mac', '02:00:00:00:02:02'],
        ['detach', '--vm-uuid', vm2],
        # check exits 1 when a finding is an error, and prints its JSON still.
        ['check', '--vms', '4', '--topology', 'passthrough'],
        ['check', '--vms', '4', '--topology', 'private'],
        ['topology'],
        ['topology', '--output', os.path.join(tmp, 'host.dot')],
        ['profile', 'del', 'pp-cli'],
        # Last: it fails the next port request.
        ['sim', 'inject', '--errno', 'EIO', '--count', '1'],
    ]
    top, subs = command_tables()
    # A domain for domain inspect, with the interface xml interface writes.
    p = run(g + ['xml', 'interface', 'enp10s0f0', '6', '--no-virtualport', '--topology',
                 'hostdev'])
    with open(os.path.join(tmp, 'dom.xml'), 'w') as f:
        f.write("<domain type='kvm'><name>vm1</name><memory>1024</memory><os><type>hvm</type>"
                f"</os><devices>{p.stdout}</devices></domain>")
    tried = set()
    for args in samples:
        # Only what the tables have.
        if args[0] not in top or (subs.get(args[0]) and args[1] not in subs[args[0]]):
            continue
        tried.add(tuple(args[:2]))
        p = run(['-j'] + g + args)
        ok = p.returncode == 0 or (args[0] == 'check' and p.returncode == 1)
        out = p.stdout.strip()
        if ok and out:
            try:
                json.loads(out)
            except ValueError as e:
                ok = False
                p.stderr += f' (not JSON: {e}: {out[:80]!r})'
        check(f'-j {" ".join(args[:2])}: {"JSON" if out else "nothing printed"}', ok,
              p.stderr.strip())
    p = run(['-j', 'sim', 'create', os.path.join(tmp, 'mixed'),
             os.path.join(src, 'examples', 'hosts', 'mixed-82599-virtio.json')])
    check('-j sim create prints nothing or JSON', p.returncode == 0 and
          (not p.stdout.strip() or json.loads(p.stdout)), p.stderr.strip())
    p = run(['-j', '--sim', os.path.join(tmp, 'mixed'), 'pf', 'set-num-vfs', 'enp3s0f0', '8'])
    check('-j pf set-num-vfs: JSON', p.returncode == 0 and json.loads(p.stdout)['num_vfs'] == 8,
          p.stderr.strip())
    tried.add(('pf', 'set-num-vfs'))
    for c in top:
        for s in subs.get(c) or ['']:
            key = (c, s) if s else (c,)
            if not any(t[:len(key)] == key for t in tried) and key != ('sim', 'create'):
                print(f'# no -j sample for "{(c + " " + s).strip()}" yet')


def test_exit(tmp, host):
    g = ['--sim', host]
    vm = '8a6a0f55-0d9b-4a5b-9a8e-6f1c2b3d4e5f'
    cases = [
        (0, ['--help']),
        (0, ['--version']),
        (0, g + ['show']),
        (0, g + ['vf', 'show', 'enp10s0f0']),
        (2, []),
        (2, ['--no-such-option']),
        (2, ['no-such-command']),
        (2, g + ['vf']),
        (2, g + ['vf', 'no-such-subcommand']),
        (2, g + ['pf', 'set-num-vfs', 'enp10s0f0']),
        (2, g + ['pf', 'set-num-vfs', 'enp10s0f0', 'many']),
        (2, g + ['vf', 'set', 'enp10s0f0', '1']),
        (2, g + ['vf', 'set', 'enp10s0f0', '1', '--vlan', '5000']),
        (2, g + ['port', 'associate', 'enp10s0f0', '1']),
        (2, g + ['show', 'a', 'b']),
        (2, ['--sim', host, '--sysfs-root', tmp, 'show']),
        (2, ['sim', 'set', '--latency-ms', '5']),
        (1, g + ['show', 'no-such-pf']),
        (1, g + ['vf', 'show', 'no-such-pf']),
        (1, g + ['vf', 'bind', 'enp10s0f0', '99', 'vfio-pci']),
        (1, g + ['pf', 'set-num-vfs', 'enp10s0f0', '3']),
        (1, g + ['--catalog', os.path.join(tmp, 'none.xml'), 'profile', 'show', 'nope']),
        (1, g + ['domain', 'inspect', os.path.join(tmp, 'no-such-file.xml')]),
        (1, ['sim', 'create', os.path.join(tmp, 'x'), os.path.join(tmp, 'no-such.json')]),
    ]
    top, subs = command_tables()
    if 'attach' in top:
        cases += [(2, g + ['attach', '--vm-name', 'vm1']),
                  (2, g + ['attach', '--vm-uuid', vm, '--vm-name', 'vm1', '--profile', 'p',
                           '--topology', 'sideways']),
                  (2, g + ['detach']),
                  (1, g + ['detach', '--vm-uuid', vm])]
    if 'leases' in subs.get('vf', []):
        cases += [(0, g + ['vf', 'leases']),
                  (2, g + ['vf', 'leases', 'extra']),
                  (2, g + ['vf', 'reserve', 'enp10s0f0']),
                  (1, g + ['vf', 'reserve', 'no-such-pf', '--vm-uuid', vm])]
    if 'check' in top:
        # check's 1 is an error among its findings, printed on stdout.
        cases += [(2, g + ['check', '--vms', 'many']),
                  (1, g + ['check', '--topology', 'private'])]
    if 'topology' in top:
        cases += [(0, g + ['topology']),
                  (2, g + ['topology', '--format', 'gif'])]
    env = {k: v for k, v in os.environ.items() if k != 'VMFEX_SIM'}
    for rc, args in cases:
        p = run(args, env=env)
        check(f'exit {rc}: vmfexctl {" ".join(a.replace(tmp, "TMP") for a in args)}',
              p.returncode == rc and (rc == 0 or p.stderr.strip() or 'check' in args),
              f'exit {p.returncode}: {p.stderr.strip()[:160]}')
        if rc == 2 and args and args != ['--no-such-option']:
            check('  and says so on stderr, not stdout', not p.stdout.strip() or args == [])


def test_args(tmp, host):
    """Options before and after operands, --help everywhere, and mistyped
    words with their exit codes and suggestions."""
    g = ['--sim', host, '--catalog', os.path.join(tmp, 'catalog.xml')]
    vm = '8a6a0f55-0d9b-4a5b-9a8e-6f1c2b3d4e5f'
    env = {k: v for k, v in os.environ.items() if k != 'VMFEX_SIM'}
    # --help of every command and subcommand: exit 0, the usage on stdout.
    top, subs = command_tables()
    for c in top:
        for words in [[c]] + [[c, s] for s in subs.get(c, [])]:
            p = run(g + words + ['--help'], env=env)
            check(f'{" ".join(words)} --help', p.returncode == 0 and not p.stderr and
                  p.stdout.startswith('Usage: vmfexctl') and ' '.join(words) in p.stdout,
                  f'exit {p.returncode}: {(p.stderr or p.stdout)[:160]!r}')
    # The same line with its options before, between and after the operands:
    # the same exit code and output. Pairs that change nothing, or that
    # undo each other, so that they can run in any order.
    mixed = [
        ('show', ['show', 'enp10s0f0'], []),
        ('vf show', ['vf', 'show', 'enp10s0f0'], []),
        ('pf set-num-vfs', ['pf', 'set-num-vfs', 'enp10s0f0', '16'],
         ['--autoprobe', 'off', '--timeout', '100']),
        ('vf set', ['vf', 'set', 'enp10s0f0', '2'], ['--mac', '02:00:00:00:00:02']),
        ('vf bind', ['vf', 'bind', 'enp10s0f0', '3', 'enic'], []),
        ('port associate', ['port', 'associate', 'enp10s0f0', '7'],
         ['--profile', 'pp-x', '--instance-uuid', vm, '--dry-run']),
        ('port status', ['port', 'status', 'enp10s0f0', '1'], []),
        ('xml interface', ['xml', 'interface', 'enp10s0f0', '5'],
         ['--profile', 'pp-x', '--topology', 'passthrough', '--mac', '02:00:00:00:00:05']),
        ('xml network', ['xml', 'network', 'enp10s0f0'],
         ['--name', 'pool', '--topology', 'hostdev', '--no-profiles']),
        ('xml network-interface', ['xml', 'network-interface', 'pool', 'pg'],
         ['--mac', '02:00:00:00:00:06']),
        ('profile add', ['profile', 'add', 'pp-order'], ['--descr', 'x', '--max-ports', '4']),
        ('profile set', ['profile', 'set', 'pp-order'], ['--descr', 'y']),
        ('profile show', ['profile', 'show', 'pp-order'], []),
        ('vf release', ['vf', 'release', 'enp11s0f0', '0'], ['--vm-uuid', vm]),
        ('check', ['check'], ['--vms', '2', '--topology', 'hostdev']),
        ('topology', ['topology'], ['--pf', 'enp10s0f0', '--no-profiles']),
    ]
    for name, words, opts in mixed:
        n_cmd = 2 if words[0] in subs and subs[words[0]] else 1
        cmd, operands = words[:n_cmd], words[n_cmd:]
        forms = [cmd + opts + operands, cmd + operands + opts]
        if len(operands) > 1 and opts:
            forms.append(cmd + operands[:1] + opts + operands[1:])
        results = []
        for f in forms:
            results.append(run(g + f, env=env))
            if name == 'profile add':   # each form adds it anew
                run(g + ['profile', 'del', 'pp-order'], env=env)
        if name == 'profile add':
            run(g + forms[0], env=env)
        rc0 = results[0].returncode
        check(f'{name}: options before, between and after the operands',
              all(r.returncode == rc0 and r.stdout == results[0].stdout for r in results) and
              rc0 in (0, 1) and not any('usage' in r.stderr.lower() for r in results),
              '; '.join(f'{" ".join(f)} -> {r.returncode} {r.stderr.strip()[:80]}'
                        for f, r in zip(forms, results)))
    # Mistyped words: exit 2 and a suggestion on stderr (None: no suggestion).
    typos = [
        (['shwo'], "did you mean 'show'"),
        (['atach', '--vm-uuid', vm], "did you mean 'attach'"),
        (['topolgy'], "did you mean 'topology'"),
        (['port', 'asociate', 'enp10s0f0', '1'], "did you mean 'associate'"),
        (['vf', 'shwo', 'enp10s0f0'], "did you mean 'show'"),
        (['profile', 'lsit'], "did you mean 'list'"),
        (['pf', 'set-num-vf', 'enp10s0f0', '3'], "did you mean 'set-num-vfs'"),
        (['vf', 'set', 'enp10s0f0', '1', '--valn', '3'], "did you mean '--vlan'"),
        (['pf', 'set-num-vfs', 'enp10s0f0', '3', '--autoprob', 'off'],
         "did you mean '--autoprobe'"),
        (['port', 'associate', 'enp10s0f0', '1', '--profle', 'p', '--instance-uuid', vm],
         "did you mean '--profile'"),
        (['check', '--vm', '3'], "did you mean '--vms'"),
        (['topology', '--fromat', 'dot'], "did you mean '--format'"),
        (['show', '--bogus'], None),
        (['no-such-command'], None),
        (['show', 'enp10s0f0', 'extra'], None),
        (['vf', 'leases', 'extra'], None),
        (['profile', 'list', 'extra'], None),
        (['cluster', 'add'], None),
        (['show', '-j'], 'before the command'),
        (['vf', 'set', 'enp10s0f0', '1', '--vlan'], 'needs a value'),
        (['port', 'status', 'enp10s0f0', '1', '--wait=yes'], 'takes no value'),
    ]
    for words, hint in typos:
        p = run(g + words, env=env)
        check(f'exit 2: vmfexctl {" ".join(words)}' + (f' suggests "{hint}"' if hint else ''),
              p.returncode == 2 and not p.stdout and (hint is None or hint in p.stderr) and
              (hint is not None or 'did you mean' not in p.stderr),
              f'exit {p.returncode}: {p.stderr.strip()[:200]!r}')
    p = run(['--jsno', 'show'], env=env)
    check("exit 2: vmfexctl --jsno suggests '--json'",
          p.returncode == 2 and "did you mean '--json'" in p.stderr, p.stderr.strip())
    # Each error once: the library's line names the object and the reason,
    # and the command adds no second line saying the same.
    for words in (['show', 'no-such-pf'], ['vf', 'bind', 'enp10s0f0', '99', 'vfio-pci'],
                  ['profile', 'show', 'no-such-profile'], ['sim', 'create', host, ucs_host]):
        p = run(g + words, env=env)
        lines = [l for l in p.stderr.split('\n') if l.strip()]
        check(f'exit 1 and one line on stderr: vmfexctl {" ".join(words)}',
              p.returncode == 1 and len(lines) == 1, repr(p.stderr))
    # enic refuses a port without the VM's MAC: the error says to give --mac.
    p = run(g + ['port', 'associate', 'enp10s0f0', '3', '--profile', 'pp-x',
                 '--instance-uuid', vm, '--wait'], env=env)
    check('a port refused for its missing MAC says to give --mac',
          p.returncode == 1 and '--mac' in p.stderr, p.stderr.strip())


def test_catalog(tmp, host):
    """One rule for where the catalog is, for every command: --catalog;
    else catalog.xml in the simulated host's directory; an absent catalog
    lists as empty."""
    env = {k: v for k, v in os.environ.items() if k != 'VMFEX_SIM'}
    g = ['--sim', host]
    in_sim = os.path.join(host, 'catalog.xml')
    vm = '8a6a0f55-0d9b-4a5b-9a8e-6f1c2b3d4e5f'
    p = run(g + ['-j', 'profile', 'list'], env=env)
    check('profile list on a fresh host: exit 0, no profiles',
          p.returncode == 0 and json.loads(p.stdout)['profiles'] == [], p.stderr.strip())
    check('  and it wrote no catalog', not os.path.exists(in_sim))
    p = run(g + ['cluster', 'list'], env=env)
    check('cluster list on a fresh host: the default cluster',
          p.returncode == 0 and p.stdout.startswith('default'), p.stderr.strip())
    p = run(g + ['profile', 'add', 'pp-sim', '--vlan', 'v25:25:native'], env=env)
    check('profile add without --catalog writes the catalog in the simulated host',
          p.returncode == 0 and os.path.exists(in_sim), p.stderr.strip())
    p = run(['profile', 'list'], env=dict(env, VMFEX_SIM=host))
    check('VMFEX_SIM finds the same catalog', p.returncode == 0 and 'pp-sim' in p.stdout,
          p.stderr.strip())
    other = os.path.join(tmp, 'other.xml')
    p = run(['--catalog', other] + g + ['profile', 'list'], env=env)
    check('--catalog says otherwise', p.returncode == 0 and 'pp-sim' not in p.stdout,
          p.stderr.strip())
    # attach checks its profile in the same catalog.
    p = run(g + ['attach', '--vm-uuid', vm, '--vm-name', 'vm1', '--profile', 'pp-not-there',
                 '--pf', 'enp11s0f0', '--topology', 'passthrough', '--mac', '02:00:00:00:03:01'],
            env=env)
    check('attach refuses a profile that the default catalog lacks',
          p.returncode == 1 and 'pp-not-there' in p.stderr, p.stderr.strip())
    p = run(g + ['attach', '--vm-uuid', vm, '--vm-name', 'vm1', '--profile', 'pp-sim',
                 '--pf', 'enp11s0f0', '--topology', 'passthrough', '--mac', '02:00:00:00:03:01'],
            env=env)
    check('attach takes a profile of the default catalog', p.returncode == 0, p.stderr.strip())
    run(g + ['detach', '--vm-uuid', vm], env=env)
    p = run(g + ['xml', 'network', 'enp10s0f0', '--name', 'pool', '--topology', 'hostdev'],
            env=env)
    check('xml network takes its portgroups from the same catalog',
          p.returncode == 0 and "portgroup name='pp-sim'" in p.stdout.replace('"', "'"),
          p.stderr.strip())


def doc_commands():
    """[(where, [command lines])]: the man page's EXAMPLES, as one sequence,
    and each ```sh block of the README; continuation lines joined."""
    with open(man_page) as f:
        man = f.read()
    examples = man[man.index('.SH EXAMPLES'):]
    examples = examples[:examples.index('\n.SH ', 1)]
    man_lines = []
    for block in re.findall(r'^\.nf\n(.*?)^\.fi', examples, re.S | re.M):
        block = block.replace('\\-', '-').replace('\\e', '\\')
        man_lines += [l for l in block.replace('\\\n', ' ').split('\n') if l.strip()]
    groups = [('vmfexctl(8) EXAMPLES', man_lines)]
    with open(os.path.join(src, 'README.md')) as f:
        readme = f.read()
    for n, block in enumerate(re.findall(r'^```sh\n(.*?)^```', readme, re.S | re.M)):
        lines = [l for l in block.replace('\\\n', ' ').split('\n')
                 if re.match(r'^\s*([A-Z_]+=\S+\s+)*vmfexctl\s', l)]
        if lines:
            groups.append((f'README.md block {n + 1}', lines))
    return groups


def test_docs(tmp):
    """Every command line of the man page's EXAMPLES and of the README,
    run as written on the simulated host the page makes: in a fresh
    directory each, /tmp/ucs standing for a directory of its own (so that
    tests do not share one), vmfexctl being the one built."""
    groups = doc_commands()
    check('the man page has examples', len(groups[0][1]) >= 3, str(groups[0][1]))
    check('the README has command lines', sum(len(g[1]) for g in groups[1:]) >= 8)
    make_host = [l for l in groups[0][1] if ' sim create ' in l]
    check('the man page makes a simulated host', len(make_host) == 1)
    bindir = os.path.join(tmp, 'bin')
    os.makedirs(bindir)
    os.symlink(vmfexctl, os.path.join(bindir, 'vmfexctl'))
    if not shutil.which('uuidgen'):
        # util-linux's uuidgen is not everywhere; the kernel's will do.
        with open(os.path.join(bindir, 'uuidgen'), 'w') as f:
            f.write('#!/bin/sh\ncat /proc/sys/kernel/random/uuid\n')
        os.chmod(os.path.join(bindir, 'uuidgen'), 0o755)
    env = {k: v for k, v in os.environ.items() if k != 'VMFEX_SIM'}
    env['PATH'] = bindir + os.pathsep + env['PATH']
    for n, (where, lines) in enumerate(groups):
        work = os.path.join(tmp, f'run{n}')
        os.makedirs(work)
        os.symlink(os.path.join(src, 'examples'), os.path.join(work, 'examples'))
        host = os.path.join(work, 'ucs')
        if not any(' sim create ' in l for l in lines):
            lines = make_host + lines
        for line in lines:
            cmd = line.replace('/tmp/ucs', host)
            if 'topology --format svg' in cmd and not shutil.which('dot'):
                print(f'# Graphviz not installed: not run: {line}')
                continue
            p = subprocess.run(['sh', '-c', cmd], cwd=work, env=env, capture_output=True,
                               text=True, stdin=subprocess.DEVNULL)
            # check exits 1 when one of its findings is an error (documented).
            ok = p.returncode == 0 or (' check ' in cmd and p.returncode == 1 and p.stdout)
            check(f'{where}: {line.strip()}', ok and not (p.returncode == 0 and p.stderr),
                  f'exit {p.returncode}: {p.stderr.strip()[:300]}')


def run_tty(args, env):
    """(exit code, stdout, what was written on stderr, a terminal)."""
    import pty
    master, slave = pty.openpty()
    p = subprocess.Popen([vmfexctl] + args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=slave, env=env)
    os.close(slave)
    tty = b''
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:   # EIO: the last writer is gone
            break
        if not chunk:
            break
        tty += chunk
    out = p.stdout.read().decode()
    p.stdout.close()
    os.close(master)
    return p.wait(), out, tty.decode(errors='replace')


def test_progress(tmp, host):
    """Waits of over a second draw a progress line on a terminal, erased at
    the end; nothing when stderr is not a terminal or with -j."""
    env = {k: v for k, v in os.environ.items() if k != 'VMFEX_SIM'}
    g = ['--sim', host]
    vm = '8a6a0f55-0d9b-4a5b-9a8e-6f1c2b3d4e5f'
    p = run(g + ['sim', 'set', '--latency-ms', '1200'], env=env)
    check('the adapter answers in 1.2 s', p.returncode == 0, p.stderr)
    cases = [
        ('port associate --wait', ['port', 'associate', 'enp10s0f0', '1', '--profile', 'pp-x',
                                   '--instance-uuid', vm, '--mac', '02:00:00:00:04:01', '--wait'],
         'enp10s0f0: ASSOCIATE, waiting for the adapter'),
        ('port disassociate --wait', ['port', 'disassociate', 'enp10s0f0', '1', '--wait'],
         'enp10s0f0: DISASSOCIATE, waiting for the adapter'),
        ('attach', ['attach', '--vm-uuid', vm, '--vm-name', 'vm1', '--profile', 'pp-x', '--pf',
                    'enp11s0f0', '--topology', 'passthrough', '--mac', '02:00:00:00:04:02'],
         f'VM {vm}: attaching'),
        ('detach', ['detach', '--vm-uuid', vm], f'VM {vm}: detaching'),
    ]
    for name, args, line in cases:
        rc, out, tty = run_tty(g + args, env)
        check(f'{name}: a progress line on the terminal, erased at the end',
              rc == 0 and f'\r{line}' in tty and tty.endswith('\r\x1b[K'), f'exit {rc}: {tty!r}')
        check(f'{name}: the result on stdout as usual', out.strip() != '', repr(out))
    rc, out, tty = run_tty(['-j'] + g + cases[0][1], env)
    check('-j: no progress line', rc == 0 and tty == '', repr(tty))
    run(g + ['port', 'disassociate', 'enp10s0f0', '1'], env=env)
    p = run(g + cases[0][1], env=env)
    check('stderr not a terminal: no progress line', p.returncode == 0 and p.stderr == '',
          repr(p.stderr))


def test_attach_many(tmp, host):
    """attach --from: several VMs in one call, each VM's result on its own."""
    g = ['--sim', host]
    vms = ['0c7e3b1a-5f2d-4e8b-9a61-3d2f4c5b6a7%d' % i for i in range(3)]
    path = os.path.join(tmp, 'vms')
    with open(path, 'w') as f:
        f.write('# VMs to bring back after maintenance\n\n')
        f.write(f'--vm-uuid {vms[0]} --vm-name vm0 --mac 02:00:00:00:0a:00\n')
        f.write(f'--vm-uuid {vms[1]} --vm-name vm1 --topology hostdev --mac 02:00:00:00:0a:01\n')
        f.write(f'--vm-uuid {vms[2]} --vm-name vm2 --profile pp-other --mac 02:00:00:00:0a:02\n')
    base = g + ['-j', 'attach', '--profile', 'pp-many', '--pf', 'enp11s0f0', '--from']
    p = run(base + [path])
    out = json.loads(p.stdout) if p.stdout.strip() else {}
    got = [(v['vm_uuid'], v['attached']) for v in out.get('vms', [])]
    check('attach --from: every VM attached, in the order of the file, exit 0',
          p.returncode == 0 and got == [(v, True) for v in vms] and out['failed'] == 0,
          p.stderr.strip() + p.stdout[:200])
    check('  each VM with its interface and its own options',
          p.returncode == 0 and "02:00:00:00:0a:00" in out['vms'][0]['interface'] and
          'hostdev' in out['vms'][1]['interface'] and
          'pp-other' not in out['vms'][0]['interface'], p.stdout[:300])
    p = run(g + ['-j', 'vf', 'leases'])
    leased = [l['vm_uuid'] for l in json.loads(p.stdout)['leases']] if p.returncode == 0 else []
    check('  each VM holds its VF', sorted(leased) == sorted(vms), p.stdout[:300])
    # Again: the same MACs on new VFs are fine, but one VM fails (its UUID
    # already holds VFs, so use a malformed one) and the others attach.
    with open(path, 'w') as f:
        f.write('--vm-uuid 11111111-2222-4333-8444-555555555555\n')
        f.write('--vm-uuid not-a-uuid\n')
    p = subprocess.run([vmfexctl] + base + ['-'], capture_output=True, text=True,
                       input=open(path).read())
    out = json.loads(p.stdout) if p.stdout.strip() else {}
    got = [(v['vm_uuid'], v['attached']) for v in out.get('vms', [])]
    check('attach --from -: a VM that fails fails alone, exit 1',
          p.returncode == 1 and out.get('failed') == 1 and
          got == [('11111111-2222-4333-8444-555555555555', True), ('not-a-uuid', False)] and
          'not-a-uuid' in p.stderr, p.stderr.strip() + p.stdout[:200])
    p = run(g + ['attach', '--profile', 'pp-many', '--pf', 'enp11s0f0', '--from', path])
    check('  text: each attached VM\'s interface after a comment naming it',
          p.returncode == 1 and '<!-- VM 11111111-2222-4333-8444-555555555555 -->' in p.stdout,
          p.stdout[:200])
    for v in vms + ['11111111-2222-4333-8444-555555555555']:
        run(g + ['detach', '--vm-uuid', v])
    with open(path, 'w') as f:
        f.write('--vm-name no-uuid\n')
    for lines, why in [('--vm-name no-uuid\n', 'a line without --vm-uuid'),
                       (f'--vm-uuid {vms[0]} --domain x.xml\n', 'a line with --domain'),
                       (f'--vm-uuid {vms[0]} --topology sideways\n', 'a bad value'),
                       ('# nothing\n', 'no VM')]:
        with open(path, 'w') as f:
            f.write(lines)
        p = run(base + [path])
        check(f'attach --from: {why} is a usage error naming the file',
              p.returncode == 2 and path in p.stderr, p.stderr.strip())
    p = run(base + [os.path.join(tmp, 'no-such-file')])
    check('attach --from: a missing file fails', p.returncode == 1, p.stderr.strip())
    p = run(g + ['-j', 'vf', 'leases'])
    check('  and nothing is left leased', p.returncode == 0 and
          json.loads(p.stdout)['leases'] == [], p.stdout[:300])


def test_sim_open(tmp, host):
    """A simulated host that cannot be opened, by --sim or VMFEX_SIM: one
    line on stderr naming the directory and why, exit 1."""
    missing = os.path.join(tmp, 'missing')
    empty = os.path.join(tmp, 'empty')
    os.mkdir(empty, 0o755)
    open_dir = os.path.join(tmp, 'world-writable')
    os.mkdir(open_dir)
    os.chmod(open_dir, 0o777)
    open_host = os.path.join(tmp, 'ucs-open')
    subprocess.run([vmfexctl, 'sim', 'create', open_host, ucs_host], check=True,
                   capture_output=True)
    os.chmod(open_host, 0o777)
    open_state = os.path.join(tmp, 'ucs-open-state')
    subprocess.run([vmfexctl, 'sim', 'create', open_state, ucs_host], check=True,
                   capture_output=True)
    os.chmod(os.path.join(open_state, 'state'), 0o777)
    cases = [(missing, missing, 'no such directory'),
             (empty, empty, 'not a simulated host (no host.json)'),
             (open_dir, open_dir, 'writable by others (mode 0777): refused'),
             (open_host, open_host, 'writable by others (mode 0777): refused'),
             (open_state, os.path.join(open_state, 'state'),
              'writable by others (mode 0777): refused')]
    env = {k: v for k, v in os.environ.items() if k not in ('VMFEX_SIM', 'VMFEX_LOG')}
    for d, named, why in cases:
        for how in ('--sim', 'VMFEX_SIM'):
            e = dict(env)
            if how == '--sim':
                p = run(['--sim', d, 'show'], env=e)
            else:
                e['VMFEX_SIM'] = d
                p = run(['show'], env=e)
            lines = p.stderr.splitlines()
            check(f'{how} {d.replace(tmp, "TMP")}: exit 1, one line naming it and why',
                  p.returncode == 1 and len(lines) == 1 and
                  lines[0].startswith(f'vmfexctl: {named}') and why in lines[0] and
                  not p.stdout, f'exit {p.returncode}: {p.stderr!r}')
    # A context that opens prints what the library said meanwhile, as it was.
    e = dict(env, VMFEX_LOG='info')
    p = run(['--sim', host, 'show'], env=e)
    check('VMFEX_LOG=info: the context\'s line is still printed',
          p.returncode == 0 and 'context' in p.stderr and 'simulated host' in p.stderr,
          p.stderr[:300])


with tempfile.TemporaryDirectory() as tmp:
    host = os.path.join(tmp, 'ucs')
    if mode in ('completion', 'json', 'exit', 'args', 'catalog', 'progress', 'attach-many',
                'sim-open'):
        subprocess.run([vmfexctl, 'sim', 'create', host, ucs_host], check=True,
                       capture_output=True)
    if mode == 'man':
        test_man()
    elif mode == 'completion':
        test_completion(host)
    elif mode == 'json':
        test_json(tmp, host)
    elif mode == 'exit':
        test_exit(tmp, host)
    elif mode == 'args':
        test_args(tmp, host)
    elif mode == 'catalog':
        test_catalog(tmp, host)
    elif mode == 'docs':
        test_docs(tmp)
    elif mode == 'progress':
        test_progress(tmp, host)
    elif mode == 'attach-many':
        test_attach_many(tmp, host)
    elif mode == 'sim-open':
        test_sim_open(tmp, host)
    else:
        sys.exit(f'unknown mode {mode}')
finish()
