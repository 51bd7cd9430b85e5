#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Run Doxygen and fail on any warning, whatever its exit status says:
#   doxygen-check.sh DOXYGEN DOXYFILE
set -eu

doxygen=$1
doxyfile=$2
log=$(mktemp)
trap 'rm -f "$log"' EXIT

rc=0
"$doxygen" "$doxyfile" >/dev/null 2>"$log" || rc=$?
if [ -s "$log" ]; then
	echo "Doxygen warnings:" >&2
	cat "$log" >&2
	exit 1
fi
if [ "$rc" -ne 0 ]; then
	echo "doxygen exited with status $rc" >&2
	exit 1
fi
echo "doxygen: no warnings"
