#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The SR-IOV scenario on the simulated host alone (no QEMU, no download):
# its transcript must be the one Linux gave (expected.txt).
#
#   run-sim.sh SCENARIO HOST.json EXPECTED NORMALISE.sed
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp "${TMPDIR:-/tmp}/vmfex-sim-transcript.XXXXXX")
trap 'rm -f "$out"' EXIT
rc=0
"$1" --sim "$2" >"$out" 2>&1 || rc=$?
if [ $rc -ne 0 ]; then
	cat "$out"
	echo "run-sim: the scenario exited with status $rc"
	exit 1
fi
exec "$here/compare.sh" "$4" "$3" simulated "$out"
