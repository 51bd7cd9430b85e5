# SPDX-License-Identifier: LGPL-2.1-or-later
"""TAP output of the project's Python test scripts (on PYTHONPATH under
meson test): one numbered line per check, a failure's detail as comment
lines, the plan, and the exit status."""
import sys

count = 0
failures = 0
_planned = False


def check(name, cond, detail=''):
    """One check: 'ok N - name' or 'not ok N - name' and the detail."""
    global count, failures
    count += 1
    print(('ok' if cond else 'not ok') + f' {count} - {name}')
    if not cond:
        failures += 1
        for line in str(detail).splitlines():
            print('# ' + line)
    return cond


def ok(cond, name, detail=''):
    """check() with the condition first."""
    return check(name, cond, detail)


def plan(n):
    """The plan, given before the checks."""
    global _planned
    _planned = True
    print(f'1..{n}')


def finish():
    """The plan after the checks, unless given before; exit 1 when a check
    failed."""
    if not _planned:
        print(f'1..{count}')
    sys.exit(1 if failures else 0)
