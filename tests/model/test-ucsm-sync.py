#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# vmfexctl profile sync-ucsm against an emulator of UCS Manager's XML API
# (ucsm-emulator.py) over HTTPS with a certificate made here: login,
# resolve, refresh, logout, and every failure (wrong password, an expired
# cookie, an error answer, a server that never answers, a certificate
# not trusted, a billion laughs, 50 MB), each with a clear error, the
# catalog unchanged, and a logout after any login. TAP output.
import json, os, subprocess, sys, tempfile, time

from tap import finish, ok

vmfexctl = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
src = os.environ['VMFEX_SRCDIR']
PASSWORD = 's3cret!&<"x'

def have_openssl():
    try:
        subprocess.run(['openssl', 'version'], capture_output=True, check=True)
        return True
    except (OSError, subprocess.CalledProcessError):
        return False

if not have_openssl():
    print('1..0 # SKIP no openssl command')
    sys.exit(0)

with tempfile.TemporaryDirectory() as d:
    cert, key = os.path.join(d, 'cert.pem'), os.path.join(d, 'key.pem')
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key,
                    '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1',
                    '-addext', 'subjectAltName=IP:127.0.0.1'], check=True, capture_output=True)
    pwfile = os.path.join(d, 'password')
    with open(pwfile, 'w') as f:
        f.write(PASSWORD + '\n')  # the trailing newline is not part of it
    badpw = os.path.join(d, 'bad-password')
    with open(badpw, 'w') as f:
        f.write('wrong\n')
    vlans = os.path.join(d, 'vlans.xml')
    with open(vlans, 'w') as f:
        f.write('<configResolveClass response="yes" classId="fabricVlan"><outConfigs>'
                '<fabricVlan dn="fabric/lan/net-OS-VLAN-200" name="OS-VLAN-200" id="200"/>'
                '</outConfigs></configResolveClass>')
    profiles = os.path.join(src, 'examples/ucsm/configResolveClass-openstack.xml')
    cat = os.path.join(d, 'catalog.xml')
    r = subprocess.run([vmfexctl, '--catalog', cat, 'profile', 'add', 'keep'], capture_output=True)
    assert r.returncode == 0, r.stderr

    def sync(mode, *extra, pw=pwfile, ca=True, timeout=None):
        """Run a sync against a fresh emulator: (result, calls, seconds)."""
        log = os.path.join(d, 'calls-%s.jsonl' % mode)
        if os.path.exists(log):
            os.unlink(log)
        emu = subprocess.Popen([sys.executable, os.path.join(here, 'ucsm-emulator.py'), cert, key,
                                log, profiles, vlans, mode], stdout=subprocess.PIPE, text=True)
        try:
            port = int(emu.stdout.readline())
            args = [vmfexctl, '--catalog', cat, 'profile', 'sync-ucsm',
                    'https://127.0.0.1:%d' % port, '--user', 'admin', '--password-file', pw]
            if ca:
                args += ['--ca-file', cert]
            if timeout:
                args += ['--timeout', str(timeout)]
            t0 = time.monotonic()
            res = subprocess.run(args + list(extra), capture_output=True, text=True, timeout=120,
                                 env=dict(os.environ, VMFEX_LOG='debug'))
            secs = time.monotonic() - t0
            time.sleep(0.2)  # the logout's record
        finally:
            emu.kill()
            emu.wait()
        calls = [json.loads(l) for l in open(log)] if os.path.exists(log) else []
        return res, calls, secs

    def methods(calls):
        return [c['method'] for c in calls]

    def logged_out(calls):
        """After every login, a logout with the last cookie given."""
        return bool(calls) and calls[-1]['method'] == 'aaaLogout'

    def secret_free(res, calls):
        cookies = {c.get('cookie') for c in calls if c.get('cookie')}
        out = res.stdout + res.stderr
        return PASSWORD not in out and not any(c in out for c in cookies)

    def failed_cleanly(res, calls, before, what, needle):
        ok(res.returncode == 1, what + ': exit status 1', res.returncode)
        ok(needle.lower() in res.stderr.lower(), what + ': the error says ' + needle, res.stderr)
        ok(open(cat, 'rb').read() == before, what + ': the catalog is unchanged')
        ok(secret_free(res, calls), what + ': neither password nor cookie in the output')

    # Failures first, on the catalog holding only "keep".
    before = open(cat, 'rb').read()

    res, calls, _ = sync('ok', pw=badpw)
    failed_cleanly(res, calls, before, 'wrong password', 'Authentication failed')
    ok('551' in res.stderr, 'wrong password: the error code is given', res.stderr)
    ok(methods(calls) == ['aaaLogin'], 'wrong password: no logout without a login', calls)

    res, calls, _ = sync('error')
    failed_cleanly(res, calls, before, 'error answer', 'Class vnicProfile is not accessible')
    ok("'103'" in res.stderr, 'error answer: errorCode reported', res.stderr)
    ok(logged_out(calls), 'error answer: logout sent', calls)

    res, calls, secs = sync('hang', timeout=3)
    failed_cleanly(res, calls, before, 'a server that never answers', 'time')
    ok(secs < 3 + 1 + 2, 'a server that never answers: --timeout 3 bounds the call (%.1f s)' % secs)
    ok(logged_out(calls), 'a server that never answers: logout sent', calls)

    res, calls, _ = sync('ok', ca=False)
    failed_cleanly(res, calls, before, 'an untrusted certificate', 'certificate')
    ok(calls == [], 'an untrusted certificate: nothing sent', calls)

    res, calls, _ = sync('laughs')
    failed_cleanly(res, calls, before, 'a billion laughs', 'DOCTYPE')
    ok(logged_out(calls), 'a billion laughs: logout sent', calls)

    res, calls, _ = sync('huge')
    failed_cleanly(res, calls, before, 'a 50 MB answer', 'larger than')
    ok(logged_out(calls), 'a 50 MB answer: logout sent', calls)

    res, _, _ = sync('ok', '--insecure')
    ok(res.returncode == 2, '--ca-file and --insecure together: usage error', res.returncode)
    r = subprocess.run([vmfexctl, '--catalog', cat, 'profile', 'sync-ucsm', 'https://127.0.0.1:1',
                        '--user', 'admin', '--password', PASSWORD], capture_output=True, text=True)
    ok(r.returncode == 2, 'no password on the command line: usage error', r.returncode)
    r = subprocess.run([vmfexctl, '--catalog', cat, 'profile', 'sync-ucsm', 'http://127.0.0.1:1',
                        '--user', 'admin', '--password-file', pwfile], capture_output=True, text=True)
    ok(r.returncode == 1 and 'https://HOST[:PORT]' in r.stderr, 'an http URL is refused', r.stderr)
    ok(open(cat, 'rb').read() == before, 'after every failure the catalog is the same')

    # An expired cookie mid-way: refreshed, and the sync succeeds.
    res, calls, _ = sync('expire')
    ok(res.returncode == 0 and '2 port profiles imported' in res.stdout, 'expired cookie: sync succeeds',
       res.stdout + res.stderr)
    ok(methods(calls) == ['aaaLogin', 'configResolveClass', 'aaaRefresh', 'configResolveClass',
                          'configResolveClass', 'aaaLogout'], 'expired cookie: refreshed', calls)
    ok(calls[-1].get('cookie') == calls[-2].get('cookie') != calls[1].get('cookie'),
       'expired cookie: the logout closes the refreshed session', calls)
    ok(secret_free(res, calls), 'expired cookie: neither password nor cookie in the output')

    # The plain sync: what the emulator serves lands in the catalog.
    os.unlink(cat)
    res, calls, _ = sync('ok')
    ok(res.returncode == 0 and res.stdout == '2 port profiles imported\n', 'sync: exit 0',
       res.stdout + res.stderr)
    ok(methods(calls) == ['aaaLogin', 'configResolveClass', 'configResolveClass', 'aaaLogout'],
       'sync: login, resolve, logout', calls)
    ok(calls[0]['user'] == 'admin' and calls[0]['password_ok'],
       'sync: the password file without its newline', calls[0])
    ok(calls[1]['classId'] == 'vnicProfile' and calls[1]['inHierarchical'] == 'true',
       'sync: vnicProfile asked hierarchically', calls[1])
    ok(calls[3]['cookie'] == calls[1]['cookie'], 'sync: logout with the session cookie', calls)
    ok(secret_free(res, calls), 'sync: neither password nor cookie in the output (debug log)')
    j = json.loads(subprocess.run([vmfexctl, '--catalog', cat, '-j', 'profile', 'list'],
                                  capture_output=True, text=True).stdout)
    got = {p['name']: p for p in j['profiles']}
    ok(sorted(got) == ['OS-PP-200', 'OS-PP-201'], 'sync: the profiles served', sorted(got))
    ok(got['OS-PP-200']['vlans'] == [{'name': 'OS-VLAN-200', 'id': 200, 'native': False}]
       and got['OS-PP-200']['uuid'] is None and got['OS-PP-201']['clients'] == ['default'],
       'sync: their values', got)
    ok(b'sw-name=".*"' in open(cat, 'rb').read(), 'sync: the client patterns kept')
    res, calls, _ = sync('ok', '--insecure', ca=False)
    ok(res.returncode == 0, '--insecure: the certificate is not verified', res.stderr)
    ok(logged_out(calls), '--insecure: logout sent', calls)

finish()
