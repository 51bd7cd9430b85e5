#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Compares scenario transcripts with the expected one, after the rules of
# NORMALISE.sed (what may differ between a run and another):
#
#   compare.sh NORMALISE.sed EXPECTED NAME FILE [NAME FILE]
#
# Each FILE must match EXPECTED exactly; with two, a difference between
# them is shown as well: where the kernel and the simulated host part,
# the simulated host is wrong.
set -u
normalise=$1
expected=$2
shift 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmfex-compare.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

rc=0
names=""
while [ $# -ge 2 ]; do
	name=$1
	sed -f "$normalise" "$2" >"$tmp/$name"
	if diff -u --label expected --label "$name" "$expected" "$tmp/$name" >"$tmp/$name.diff"; then
		echo "compare: the $name transcript matches $(basename "$expected") ($(wc -l <"$tmp/$name") lines)"
	else
		echo "compare: the $name transcript differs from $(basename "$expected"):"
		cat "$tmp/$name.diff"
		rc=1
	fi
	names="$names $name"
	shift 2
done
# shellcheck disable=SC2086 # names are single words
set -- $names
if [ $# -eq 2 ] && ! cmp -s "$tmp/$1" "$tmp/$2"; then
	echo "compare: the $1 and $2 transcripts differ:"
	diff -u --label "$1" --label "$2" "$tmp/$1" "$tmp/$2"
	rc=1
fi
exit $rc
