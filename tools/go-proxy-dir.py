#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Write the Go binding (bindings/go) as a Go module proxy directory, so
that `go get` fetches it without a network or a published repository:

    tools/go-proxy-dir.py DIR [VERSION]
    GOPROXY=file://DIR GONOSUMDB=github.com/libvmfex go get \\
        github.com/libvmfex/libvmfex/bindings/go@VERSION

DIR/MODULE/@v/ gets list, VERSION.info, VERSION.mod and VERSION.zip, the
layout of the GOPROXY protocol (go help goproxy); the zip holds the module's
files under MODULE@VERSION/, as `go mod download` expects. VERSION defaults
to the project's (meson.build), as v1.0.0."""
import datetime
import json
import os
import re
import sys
import zipfile

src = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binding = os.path.join(src, 'bindings', 'go')


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    out = sys.argv[1]
    with open(os.path.join(binding, 'go.mod')) as f:
        gomod = f.read()
    module = re.search(r'^module\s+(\S+)', gomod, re.M).group(1)
    if len(sys.argv) == 3:
        version = sys.argv[2]
    else:
        with open(os.path.join(src, 'meson.build')) as f:
            version = 'v' + re.search(r"version\s*:\s*'([^']+)'", f.read()).group(1)
    if not re.match(r'^v\d+\.\d+\.\d+$', version):
        sys.exit(f'{version}: not a Go module version (vMAJOR.MINOR.PATCH)')
    # Upper case letters are escaped as !lower in proxy paths.
    escaped = re.sub(r'[A-Z]', lambda m: '!' + m.group(0).lower(), module)
    d = os.path.join(out, escaped, '@v')
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, 'list'), 'a') as f:
        f.write(version + '\n')
    with open(os.path.join(d, version + '.info'), 'w') as f:
        json.dump({'Version': version,
                   'Time': datetime.datetime.now(datetime.timezone.utc)
                   .strftime('%Y-%m-%dT%H:%M:%SZ')}, f)
    with open(os.path.join(d, version + '.mod'), 'w') as f:
        f.write(gomod)
    with zipfile.ZipFile(os.path.join(d, version + '.zip'), 'w', zipfile.ZIP_DEFLATED) as z:
        for name in sorted(os.listdir(binding)):
            path = os.path.join(binding, name)
            if os.path.isfile(path) and not name.startswith('.'):
                z.write(path, f'{module}@{version}/{name}')
    print(f'{module}@{version} in {out}')


main()
