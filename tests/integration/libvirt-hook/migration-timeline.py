#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# The port requests of a VM's instance on two simulated hosts, ordered in
# time from the adapters' journals (state/journal, doc/sim-host.md), with
# the lifecycle events libvirt reported on each host (virsh event
# --timestamp), for run-migration.sh.
#
#   migration-timeline.py VM JOURNAL_A EVENTS_A JOURNAL_B EVENTS_B CHECK [HOST...]
#
# CHECK is one of:
#   no-overlap                  no two hosts ever hold the instance
#                               associated at the same time
#   source-demoted H            on H, the instance's last association was
#                               stepped back to PREASSOCIATE_RR (same
#                               profile, MAC) before anything else
#   preassociated-before-resume H   on H, the migration's first request was a
#                               PREASSOCIATE_RR/SUCCESS before the VM resumed
#   figures S D                 prints the first migration S -> D's times
# Exit 0 when the check holds, 1 (saying why) when not.
import datetime
import re
import sys

PROFILE = 'pp-vlan-25'
MAC = '52:54:00:12:34:56'
vm = sys.argv[1]
hosts = {'a': (sys.argv[2], sys.argv[3]), 'b': (sys.argv[4], sys.argv[5])}
check, args = sys.argv[6], sys.argv[7:]


def journal(h):
    """The requests on host h: dicts, in the order applied. A DISASSOCIATE
    names no instance: it is the VM's when it follows the VM's request on
    the same port."""
    out = []
    with open(hosts[h][0]) as f:
        for line in f:
            t, done, ifname, vf, req, outcome, profile, inst, mac = line.split()
            out.append(dict(t=int(t), port=(ifname, int(vf)), req=req, outcome=outcome,
                            profile=profile, inst=inst, mac=mac, host=h))
    out.sort(key=lambda e: e['t'])
    owner = {}
    for e in out:
        if e['inst'] != '-':
            owner[e['port']] = e['inst']
        e['vm'] = owner.get(e['port']) == vm
    return [e for e in out if e['vm']]


EVENT = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+)([+-]\d{4}): event 'lifecycle' "
                   r"for domain '?([^':]*)'?: (\w+) (\w+)")


def events(h):
    """[(ns, event, detail)] of the lifecycle events on host h."""
    out = []
    with open(hosts[h][1]) as f:
        for line in f:
            m = EVENT.match(line)
            if m:
                when = datetime.datetime.strptime(m[1] + m[2], '%Y-%m-%d %H:%M:%S.%f%z')
                out.append((int(when.timestamp() * 1e9), m[4], m[5]))
    return out


def associated_intervals(h):
    """[(start, end, port)]: from each ASSOCIATE/SUCCESS to the next
    request on the same port (end None: still associated)."""
    out = []
    reqs = journal(h)
    for i, e in enumerate(reqs):
        if e['req'] == 'ASSOCIATE' and e['outcome'] == 'SUCCESS':
            nxt = [n for n in reqs[i + 1:] if n['port'] == e['port']]
            out.append((e['t'], nxt[0]['t'] if nxt else None, e['port']))
    return out


def fail(why):
    print('  ' + why)
    sys.exit(1)


def right_port(e):
    return e['outcome'] == 'SUCCESS' and e['profile'] == PROFILE and e['mac'] == MAC


if check == 'no-overlap':
    a, b = associated_intervals('a'), associated_intervals('b')
    if not a or not b:
        fail(f'no association on one host: A {a}, B {b}')
    for s1, e1, _ in a:
        for s2, e2, _ in b:
            end1, end2 = e1 or float('inf'), e2 or float('inf')
            if max(s1, s2) < min(end1, end2):
                fail(f'associated on both: A {s1}..{e1}, B {s2}..{e2}')
elif check == 'source-demoted':
    reqs = journal(args[0])
    last = max((i for i, e in enumerate(reqs) if e['req'] == 'ASSOCIATE'), default=None)
    if last is None or last + 1 >= len(reqs):
        fail(f'no request after the association: {reqs}')
    e = reqs[last + 1]
    if e['req'] != 'PREASSOCIATE_RR' or not right_port(e) or e['port'] != reqs[last]['port']:
        fail(f'after the association came {e}')
elif check == 'preassociated-before-resume':
    h = args[0]
    resumed = [t for t, ev, _ in events(h) if ev == 'Resumed']
    if not resumed:
        fail(f'no Resumed event on {h}')
    reqs = [e for e in journal(h) if e['t'] < resumed[-1]]
    disassociated = [i for i, e in enumerate(reqs) if e['req'] == 'DISASSOCIATE']
    reqs = reqs[disassociated[-1] + 1:] if disassociated else reqs
    if not reqs or reqs[0]['req'] != 'PREASSOCIATE_RR' or not right_port(reqs[0]):
        fail(f'before the VM resumed on {h}: {reqs}')
elif check == 'figures':
    src, dst = args
    paused = [t for t, ev, d in events(src) if ev == 'Suspended']
    resumed = [t for t, ev, d in events(dst) if ev == 'Resumed']
    s, d = journal(src), journal(dst)
    demoted = [e['t'] for e in s if e['req'] == 'PREASSOCIATE_RR']
    released = [e['t'] for e in s if e['req'] == 'DISASSOCIATE']
    pre = [e['t'] for e in d if e['req'] == 'PREASSOCIATE_RR']
    assoc = [e['t'] for e in d if e['req'] == 'ASSOCIATE']
    if not (paused and resumed and demoted and released and pre and assoc):
        fail('the timeline is incomplete')
    t0 = paused[0]

    def ms(t):
        return f'{(t - t0) / 1e6:+.1f} ms'

    print(f'destination pre-associated      {ms(pre[0])}')
    print(f'source paused (libvirt event)   {ms(t0)}')
    print(f'source stepped back (journal)   {ms(demoted[0])}')
    print(f'destination resumed (event)     {ms(resumed[0])}')
    print(f'destination associated          {ms(assoc[0])}')
    print(f'source released                 {ms(released[0])}')
    print(f'gap between the two associations: {(assoc[0] - demoted[0]) / 1e6:.1f} ms')
else:
    fail(f'unknown check {check}')
