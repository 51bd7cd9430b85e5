#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Hold a built library to the ABI baseline:
#
#   lib/abi/check.sh [NEW [BASELINE]]
#
# NEW is the built libvmfex.so.1 (default build/lib/libvmfex.so.1) or an
# abidw XML file; BASELINE defaults to lib/abi/libvmfex.abi. Fails on any
# difference abidiff reports: a removed or changed export, a changed type
# or struct layout, and also an added export (additions go in a new
# version node together with a regenerated baseline: doc/abi.md).
set -eu

srcdir=$(cd "$(dirname "$0")/../.." && pwd)
new=${1:-"$srcdir/build/lib/libvmfex.so.1"}
baseline=${2:-"$srcdir/lib/abi/libvmfex.abi"}

set -- --no-show-locs
case $new in
*.abi | *.xml) ;;
*) set -- "$@" --drop-private-types --headers-dir2 "$srcdir/include/libvmfex" ;;
esac

rc=0
abidiff "$@" "$baseline" "$new" || rc=$?
if [ "$rc" -ne 0 ]; then
	# abidiff's status is a bit field: 4 an ABI change, 8 an incompatible one.
	echo "ABI check failed (abidiff status $rc): $new differs from $baseline" >&2
	echo "see doc/abi.md for when and how the baseline may change" >&2
	exit 1
fi
echo "ABI check: $new matches $baseline"
