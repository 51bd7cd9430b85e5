#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Write the ABI baseline, lib/abi/libvmfex.abi, from a build with debug
# information (the default debugoptimized build has it):
#
#   lib/abi/update.sh [BUILDDIR]        (default: build)
#
# Only the public headers' types are recorded, without build paths or source
# lines, so the file depends on the API, not on where or by whom it was
# built, nor on comments. When it may be regenerated: doc/abi.md.
set -eu

srcdir=$(cd "$(dirname "$0")/../.." && pwd)
builddir=${1:-"$srcdir/build"}
lib="$builddir/lib/libvmfex.so.1"

ninja -C "$builddir" lib/libvmfex.so.1.0.0 >/dev/null
abidw --no-corpus-path --no-comp-dir-path --no-show-locs --drop-private-types \
	--headers-dir "$srcdir/include/libvmfex" \
	--out-file "$srcdir/lib/abi/libvmfex.abi" "$lib"
echo "wrote lib/abi/libvmfex.abi from $lib"
