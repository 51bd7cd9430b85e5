#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Writes the C example of a Markdown page (its first ```c block) to a file
# that the test suite builds and runs:
#   extract-example.sh PAGE.md OUTPUT.c DESCRIPTION
# The example's simulated host is made in the current directory instead
# of /tmp, and its host description is named by an absolute path.
set -eu

page=$1
out=$2
description=$3

awk '
	/^```c[ \t]*$/ && !done { inside = 1; next }
	/^```[ \t]*$/ && inside { inside = 0; done = 1; next }
	inside { print }
' "$page" |
	sed -e 's|"/tmp/b200"|"b200"|g' \
	    -e "s|\"examples/hosts/ucs-b200-vic1240.json\"|\"$description\"|g" >"$out.tmp"
if ! grep -q 'int main' "$out.tmp"; then
	echo "$page: no C example with a main()" >&2
	rm -f "$out.tmp"
	exit 1
fi
mv "$out.tmp" "$out"
