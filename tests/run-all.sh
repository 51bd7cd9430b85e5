#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Builds libvmfex into build/ and runs the whole test suite:
#
#   ./tests/run-all.sh [MESON-TEST-ARGS...]     e.g. --suite unit
#
# Missing Debian packages are installed first (tools/install-deps.sh; as
# root). BUILDDIR=DIR builds elsewhere; MESON_SETUP_ARGS="-Dx=y ..." is
# given to `meson setup` when the build directory is configured.
set -euo pipefail

cd "$(dirname "$0")/.."

if [ -f tools/install-deps.sh ]; then
	sh tools/install-deps.sh
fi

builddir=${BUILDDIR:-build}
read -r -a setup_args <<<"${MESON_SETUP_ARGS:-}"

if [ ! -f "$builddir/meson-private/coredata.dat" ]; then
	meson setup "$builddir" "${setup_args[@]}"
elif [ ${#setup_args[@]} -gt 0 ]; then
	meson configure "$builddir" "${setup_args[@]}"
fi
meson compile -C "$builddir"
meson test -C "$builddir" --print-errorlogs "$@"
