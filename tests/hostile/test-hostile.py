#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# vmfexctl against hostile files on a simulated host (see meson.build).
# Each case runs the command twice at once under a timeout: both must end
# in bounded time (the second is not stuck behind a lock the first holds),
# with the exit code and message wanted.
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time

vmfexctl = sys.argv[1]
src = os.environ.get('VMFEX_SRCDIR', '.')
desc = os.path.join(src, 'examples/hosts/ucs-b200-vic1240.json')
vm = '8a6a0f55-0d9b-4a5b-9a8e-6f1c2b3d4e5f'
TIMEOUT = 20
tests = []


def case(fn):
    tests.append(fn)
    return fn


class Result:
    def __init__(self, rc, out, err, hung):
        self.rc, self.out, self.err, self.hung = rc, out, err, hung


def start(args, umask=None):
    return subprocess.Popen([vmfexctl] + list(args), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, errors='replace',
                            start_new_session=True,
                            preexec_fn=(lambda: os.umask(umask)) if umask is not None else None)


def finish(p):
    try:
        out, err = p.communicate(timeout=TIMEOUT)
        return Result(p.returncode, out, err, False)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, 9)
        out, err = p.communicate()
        return Result(None, out, err, True)


def run(*args, umask=None):
    return finish(start(args, umask))


def run2(*args):
    """The command twice, the second started while the first may still run."""
    first = start(args)
    time.sleep(0.2)
    second = start(args)
    return finish(first), finish(second)


class Fail(Exception):
    pass


def want(cond, what):
    if not cond:
        raise Fail(what)


def want_error(results, *words):
    for i, r in enumerate(results):
        want(not r.hung, f'process {i + 1} still running after {TIMEOUT} s')
        want(r.rc not in (0, None), f'process {i + 1}: exit {r.rc}, wanted non-zero; {r.err!r}')
        for w in words:
            want(w in r.err, f'process {i + 1}: no {w!r} in {r.err!r}')


def want_ok(r, what=''):
    want(not r.hung, f'{what}: still running after {TIMEOUT} s')
    want(r.rc == 0, f'{what}: exit {r.rc}: {r.err!r}')


def new_host(name):
    host = os.path.join(tmp, name)
    want_ok(run('sim', 'create', host, desc), 'sim create')
    return host


def sim(host, *args):
    return ('--sim', host) + args


def outside_file(name, content='precious\n'):
    path = os.path.join(outside, name)
    with open(path, 'w') as f:
        f.write(content)
    return path


def want_untouched(path, content='precious\n'):
    with open(path) as f:
        got = f.read()
    want(got == content, f'{path} changed: {got[:40]!r}')


def lease_line(start='12345', pid='1', flags='C'):
    return f'0000:0a:00.0\t1\t{vm}\t{pid}\t{start}\t{flags}\t-\t-\tvm1\n'


# ---- the lease file ----

@case
def lease_fifo():
    """lease file a FIFO: an error, no hang, the lock free"""
    host = new_host('lease-fifo')
    os.mkfifo(os.path.join(host, 'leases'))
    want_error(run2(*sim(host, 'vf', 'leases')), 'FIFO')


@case
def lease_dev_zero():
    """lease file a symbolic link to /dev/zero: an error, no spin"""
    host = new_host('lease-zero')
    os.symlink('/dev/zero', os.path.join(host, 'leases'))
    want_error(run2(*sim(host, 'vf', 'leases')), 'leases')


@case
def lease_directory():
    """lease file a directory: an error, not an empty list"""
    host = new_host('lease-dir')
    os.mkdir(os.path.join(host, 'leases'))
    want_error(run2(*sim(host, 'vf', 'leases')), 'directory')


def lease_content(name, text, *words):
    host = new_host(name)
    with open(os.path.join(host, 'leases'), 'w') as f:
        f.write(text)
    want_error(run2(*sim(host, 'vf', 'leases')), *words)


@case
def lease_negative():
    """lease START of -5: an error naming the line"""
    lease_content('lease-neg', '# leases\n' + lease_line(start='-5'), 'leases:2:', 'start time')


@case
def lease_huge():
    """lease START of 2^64 and a PID of 2^40: errors naming the line"""
    lease_content('lease-huge', '# leases\n' + lease_line(start=str(1 << 64)), 'leases:2:',
                  'start time')
    lease_content('lease-huge-pid', lease_line(pid=str(1 << 40)), 'leases:1:', 'PID')


@case
def lease_long_line():
    """a comment over 1100 bytes: an error, its tail never read as a lease"""
    text = '#' + 'x' * (1099 - 1) + lease_line()
    lease_content('lease-long', text, 'leases:1:', 'longer than')


@case
def lease_lock_symlink():
    """leases.lock a symbolic link out of the directory: refused, nothing created there"""
    host = new_host('lease-lock-link')
    target = os.path.join(outside, 'lease-lock-target')
    os.symlink(target, os.path.join(host, 'leases.lock'))
    want_error(run2(*sim(host, 'vf', 'leases')), 'symbolic link')
    want(not os.path.lexists(target), f'{target} created')


@case
def lease_symlink_outside():
    """lease file a symbolic link to a file outside: refused, the file untouched"""
    host = new_host('lease-link')
    target = outside_file('lease-target', lease_line())
    os.symlink(target, os.path.join(host, 'leases'))
    want_error(run2(*sim(host, 'vf', 'reserve', 'enp10s0f0', '--vm-uuid', vm)),
               'symbolic link')
    want_untouched(target, lease_line())


# ---- the simulated host's own files ----

@case
def sim_adapter_new_symlink():
    """state/adapter.new a symbolic link out: the file outside untouched"""
    host = new_host('adapter-link')
    target = outside_file('adapter-target')
    os.symlink(target, os.path.join(host, 'state/adapter.new'))
    want_ok(run(*sim(host, 'sim', 'set', '--latency-ms', '5')), 'sim set')
    want_untouched(target)


@case
def sim_ports_symlink():
    """state/ports-PCI a symbolic link out: nothing written there, the PF usable"""
    host = new_host('ports-link')
    target = os.path.join(outside, 'ports-target')
    os.symlink(target, os.path.join(host, 'state/ports-0000:0a:00.0'))
    r = run(*sim(host, 'port', 'associate', 'enp10s0f0', '3', '--profile', 'pp-vlan-25',
                 '--instance-uuid', vm, '--mac', '52:54:00:ac:ff:b6'))
    want(not os.path.lexists(target), f'{target} created')
    want_ok(r, 'port associate')


@case
def sim_journal_symlink():
    """state/journal a symbolic link out: not followed, the request still applied"""
    host = new_host('journal-link')
    target = outside_file('journal-target')
    os.symlink(target, os.path.join(host, 'state/journal'))
    r = run(*sim(host, 'port', 'associate', 'enp10s0f0', '3', '--profile', 'pp-vlan-25',
                 '--instance-uuid', vm, '--mac', '52:54:00:ac:ff:b6'))
    want_ok(r, 'port associate')
    want('symbolic link' in r.err, f'no word of the link: {r.err!r}')
    want_untouched(target)


@case
def sim_lock_symlink():
    """the simulator's lock a symbolic link out: refused, nothing created there"""
    host = new_host('lock-link')
    target = os.path.join(outside, 'lock-target')
    os.unlink(os.path.join(host, 'lock'))
    os.symlink(target, os.path.join(host, 'lock'))
    want_error(run2(*sim(host, 'show')), 'symbolic link')
    want(not os.path.lexists(target), f'{target} created')


@case
def sim_host_json_fifo():
    """host.json a FIFO, in a host and as a description: errors, no hang"""
    host = os.path.join(tmp, 'json-fifo')
    os.mkdir(host, 0o700)
    os.mkfifo(os.path.join(host, 'host.json'))
    want_error(run2(*sim(host, 'show')), 'FIFO')
    want_error([run('sim', 'create', os.path.join(tmp, 'json-fifo-new'),
                    os.path.join(host, 'host.json'))], 'FIFO')


@case
def sim_sysfs_fifo():
    """a sysfs attribute a FIFO: an error, no hang"""
    host = new_host('sysfs-fifo')
    dev = os.path.realpath(os.path.join(host, 'sysfs/bus/pci/devices/0000:0a:00.0'))
    os.unlink(os.path.join(dev, 'sriov_totalvfs'))
    os.mkfifo(os.path.join(dev, 'sriov_totalvfs'))
    want_error(run2(*sim(host, 'vf', 'show', 'enp10s0f0')), 'FIFO')


@case
def sim_dmi_fifo():
    """DMI product_uuid a FIFO: reported, no hang"""
    host = new_host('dmi-fifo')
    path = os.path.join(host, 'sysfs/class/dmi/id/product_uuid')
    os.unlink(path)
    os.mkfifo(path)
    for r in run2(*sim(host, 'port', 'associate', 'enp10s0f0', '3', '--profile', 'pp-vlan-25',
                       '--instance-uuid', vm, '--mac', '52:54:00:ac:ff:b6')):
        want(not r.hung, 'still running')
        want('product_uuid: is a FIFO' in r.err, f'no error about product_uuid: {r.err!r}')


@case
def sim_other_users_dir():
    """another user's directory: refused by sim create and on open"""
    pub = os.path.join(tmp, 'pub')
    os.mkdir(pub)
    os.chmod(pub, 0o1777)
    theirs = os.path.join(pub, 'theirs')
    subprocess.run(['setpriv', '--reuid=nobody', '--regid=65534', '--clear-groups',
                    'mkdir', theirs], check=True)
    want_error([run('sim', 'create', theirs, desc)], 'owned by uid')
    want(os.listdir(theirs) == [], f'{theirs} written to')
    host = new_host('given-away')
    subprocess.run(['chown', '-R', 'nobody', host], check=True)
    want_error(run2(*sim(host, 'show')), 'owned by uid')
    host = new_host('world-writable')
    os.chmod(host, 0o777)
    want_error(run2(*sim(host, 'show')), 'writable by others')


@case
def sim_ports_damaged():
    """a short port-record file: reported, and the next change makes the PF usable"""
    host = new_host('ports-short')
    path = os.path.join(host, 'state/ports-0000:0a:00.0')
    with open(path, 'wb') as f:
        f.write(b'VMFXPRT1\0\0')
    r = run(*sim(host, 'port', 'associate', 'enp10s0f0', '3', '--profile', 'pp-vlan-25',
                 '--instance-uuid', vm, '--mac', '52:54:00:ac:ff:b6', '--wait'))
    want('damaged' in r.err, f'not reported: {r.err!r}')
    want_ok(r, 'port associate on a damaged file')
    r = run(*sim(host, 'port', 'status', 'enp10s0f0', '3'))
    want_ok(r, 'port status')
    want('damaged' not in r.err and 'SUCCESS' in r.out, f'{r.out!r} {r.err!r}')


# ---- the catalog ----

@case
def catalog_fifo():
    """catalog a FIFO: errors for reader and writer, no hang"""
    path = os.path.join(tmp, 'fifo-catalog.xml')
    os.mkfifo(path)
    want_error(run2('--catalog', path, 'profile', 'list'), 'FIFO')
    want_error(run2('--catalog', path, 'profile', 'add', 'pp1', '--vlan', '10'), 'FIFO')


@case
def catalog_symlink():
    """catalog a symbolic link: saved through to its target, the link kept"""
    real = os.path.join(tmp, 'real-catalog.xml')
    link = os.path.join(tmp, 'link-catalog.xml')
    want_ok(run('--catalog', real, 'profile', 'add', 'pp1', '--vlan', '10'), 'profile add')
    os.symlink('real-catalog.xml', link)
    want_ok(run('--catalog', link, 'profile', 'add', 'pp2', '--vlan', '20'), 'profile add')
    want(os.path.islink(link), 'the link was replaced')
    with open(real) as f:
        want('pp2' in f.read(), 'the target does not hold the new profile')


@case
def catalog_encoding_errors():
    """libxml2's encoding errors go to the log, not straight to stderr"""
    path = os.path.join(tmp, 'sjis-catalog.xml')
    with open(path, 'wb') as f:
        f.write(b"<?xml version='1.0' encoding='SHIFT_JIS'?><catalog version='1'>\x81</catalog>")
    r = run('--catalog', path, 'profile', 'list')
    want(r.rc == 1, f'exit {r.rc}')
    lines = r.err.splitlines()
    want(lines and all(l.startswith('vmfexctl: ') for l in lines), f'raw lines: {r.err!r}')
    want(any('conversion failed' in l for l in lines), f'encoding error not logged: {r.err!r}')


@case
def modes_follow_umask():
    """new catalog and lease files get the mode the umask allows"""
    path = os.path.join(tmp, 'umask-catalog.xml')
    want_ok(run('--catalog', path, 'profile', 'add', 'pp1', '--vlan', '10', umask=0o077), 'add')
    want(os.stat(path).st_mode & 0o777 == 0o600, f'catalog mode {os.stat(path).st_mode:o}')
    host = new_host('umask')
    want_ok(run(*sim(host, 'vf', 'reserve', 'enp10s0f0', '--vm-uuid', vm), umask=0o077), 'reserve')
    mode = os.stat(os.path.join(host, 'leases')).st_mode & 0o777
    want(mode == 0o600, f'lease file mode {mode:o}')


@case
def sysfs_root_too_long():
    """--sysfs-root longer than PATH_MAX: an error and a non-zero exit"""
    want_error([run('--sysfs-root', '/x' * 3000, 'show')], 'sysfs-root')


# ---- writers killed at each system call ----

def strace_works():
    try:
        return subprocess.run(['strace', '-f', '-o', '/dev/null', 'true'],
                              capture_output=True).returncode == 0
    except FileNotFoundError:
        return False


def killed_at(syscall, n, args):
    """args, killed by SIGKILL at the n-th call of syscall (if it gets there)."""
    subprocess.run(['strace', '-f', '-o', '/dev/null',
                    '-e', f'inject={syscall}:signal=KILL:when={n}', vmfexctl] + list(args),
                   capture_output=True, timeout=TIMEOUT)


KILL_POINTS = [(s, n) for s in ('openat', 'write', 'pwrite64', 'fsync', 'rename', 'unlink',
                                'close') for n in range(1, 7)]


@case
def kill_lease_writers():
    """lease writers killed at each system call: the file always reads, no temp file left"""
    if not strace_works():
        return 'skip: strace cannot trace here'
    host = new_host('kill-leases')
    for syscall, n in KILL_POINTS:
        killed_at(syscall, n, sim(host, 'vf', 'reserve', 'enp10s0f0', '--vm-uuid', vm))
        want_ok(run(*sim(host, 'vf', 'leases')), f'leases after a kill at {syscall} #{n}')
        killed_at(syscall, n, sim(host, 'vf', 'release', 'enp10s0f0', '0'))
    # What an earlier version's writer left: leases.XXXXXX from mkostemp().
    with open(os.path.join(host, 'leases.Ab3xY9'), 'w') as f:
        f.write(lease_line())
    want_ok(run(*sim(host, 'vf', 'reserve', 'enp10s0f0', '--vm-uuid', vm)), 'last writer')
    left = [f for f in os.listdir(host) if f.startswith('leases') and
            f not in ('leases', 'leases.lock')]
    want(not left, f'left behind: {left}')


@case
def kill_first_port_store():
    """first port-record stores killed at each system call: the PF stays usable"""
    if not strace_works():
        return 'skip: strace cannot trace here'
    host = new_host('kill-ports')
    state = os.path.join(host, 'state')
    associate = sim(host, 'port', 'associate', 'enp10s0f0', '3', '--profile', 'pp-vlan-25',
                    '--instance-uuid', vm, '--mac', '52:54:00:ac:ff:b6', '--host-uuid', vm)
    for syscall, n in KILL_POINTS:
        for f in glob.glob(os.path.join(state, 'ports-*')):
            os.unlink(f)
        killed_at(syscall, n, associate)
        r = run(*sim(host, 'port', 'status', 'enp10s0f0', '3'))
        want_ok(r, f'port status after a kill at {syscall} #{n}')
        want('damaged' not in r.err, f'after a kill at {syscall} #{n}: {r.err!r}')
        want_ok(run(*associate), f'port associate after a kill at {syscall} #{n}')
        left = [f for f in os.listdir(state) if f.endswith('.new')]
        want(not left, f'after a kill at {syscall} #{n}, left behind: {left}')


# Test names after the program run only those.
if sys.argv[2:]:
    tests = [t for t in tests if t.__name__ in sys.argv[2:]]

with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as outside:
    os.chmod(tmp, 0o755)
    print(f'1..{len(tests)}')
    failed = 0
    for i, t in enumerate(tests, 1):
        try:
            res = t()
            if isinstance(res, str) and res.startswith('skip'):
                print(f'ok {i} - {t.__doc__} # SKIP {res[6:]}')
            else:
                print(f'ok {i} - {t.__doc__}')
        except Fail as e:
            failed += 1
            print(f'not ok {i} - {t.__doc__}')
            print('# ' + str(e).replace('\n', '\n# '))
        sys.stdout.flush()
sys.exit(1 if failed else 0)
