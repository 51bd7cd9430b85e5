#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs a program in a new, empty temporary directory, removed afterwards:
#   run-in-tmpdir.sh PROGRAM [ARGS...]
set -eu

prog=$1
shift
case "$prog" in
*/*) prog=$(cd "$(dirname "$prog")" && pwd)/$(basename "$prog") ;;
esac
dir=$(mktemp -d "${TMPDIR:-/tmp}/vmfex-doc.XXXXXX")
trap 'rm -rf "$dir"' EXIT
cd "$dir"
"$prog" "$@"
