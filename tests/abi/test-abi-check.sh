#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The ABI check catches what it is there for: lib/abi/check.sh passes on an
# unchanged library and fails when an export is removed or added, or when
# an options struct changes layout. The changes are made to copies of the
# built library's abidw description, as a release would make them to the
# library itself.
#   test-abi-check.sh SRCDIR LIBVMFEX_SO
set -eu

srcdir=$1
lib=$2
check="$srcdir/lib/abi/check.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

abidw --no-corpus-path --no-comp-dir-path --no-show-locs --drop-private-types \
	--headers-dir "$srcdir/include/libvmfex" --out-file "$tmp/built.abi" "$lib"

expect_pass() {
	"$check" "$tmp/$1" "$tmp/built.abi" >"$tmp/out" 2>&1 || { cat "$tmp/out" >&2; fail "$2"; }
}
expect_fail() {
	if "$check" "$tmp/$1" "$tmp/built.abi" >"$tmp/out" 2>&1; then
		cat "$tmp/out" >&2
		fail "$2"
	fi
	grep -q "$3" "$tmp/out" || { cat "$tmp/out" >&2; fail "$2: abidiff did not name $3"; }
	echo "ok: $2"
}

cp "$tmp/built.abi" "$tmp/same.abi"
expect_pass same.abi "an unchanged library fails the check"
echo "ok: an unchanged library passes"

# A removed export: vmfex_version's symbol and declaration are gone.
grep -q "<elf-symbol name='vmfex_version' " "$tmp/built.abi" || fail "no vmfex_version in the description"
sed -e "/<elf-symbol name='vmfex_version' /d" \
    -e "/<function-decl name='vmfex_version' /,/<\/function-decl>/d" \
	"$tmp/built.abi" >"$tmp/removed.abi"
expect_fail removed.abi "a removed export (vmfex_version)" vmfex_version

# An added export: the baseline lacks vmfex_version, the library has it.
if "$check" "$tmp/built.abi" "$tmp/removed.abi" >"$tmp/out" 2>&1; then
	cat "$tmp/out" >&2
	fail "an export added outside the baseline passes"
fi
echo "ok: an export added outside the baseline"

# A changed struct layout: vmfex_port_opts' second member moves by 32 bits,
# as inserting a field before it would move it.
awk '
	/<class-decl name=.vmfex_port_opts. / { in_opts = 1 }
	in_opts && /<data-member .*layout-offset-in-bits=.64./ && !done {
		sub(/layout-offset-in-bits=.64./, "layout-offset-in-bits='\''96'\''"); done = 1
	}
	/<\/class-decl>/ { in_opts = 0 }
	{ print }
	END { if (!done) exit 1 }' "$tmp/built.abi" >"$tmp/layout.abi" ||
	fail "no vmfex_port_opts member at bit 64 in the description"
expect_fail layout.abi "a changed struct layout (vmfex_port_opts)" vmfex_port_opts
echo "OK"
