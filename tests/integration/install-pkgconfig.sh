#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The installed library as its users get it: `meson install --destdir` of
# the build, a program compiled and linked with `pkg-config --cflags --libs
# libvmfex` only, run on a simulated host; then the ABI of the installed
# library: soname, and only vmfex_ symbols exported, each with the version
# node that lib/libvmfex.sym gives it.
#
# Environment (set by tests/meson.build): VMFEX_BUILDDIR, VMFEX_SRCDIR.
set -euo pipefail

: "${VMFEX_BUILDDIR:?VMFEX_BUILDDIR is not set}"
: "${VMFEX_SRCDIR:?VMFEX_SRCDIR is not set}"

EXPECTED_SONAME=libvmfex.so.1
here=$(cd "$(dirname "$0")" && pwd)

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }

for tool in meson pkg-config nm readelf python3; do
	command -v "$tool" >/dev/null || skip "$tool not found"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmfex-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
destdir=$tmp/destdir

# Facts about the build: its compiler, sanitizers and version.
meson introspect "$VMFEX_BUILDDIR" --targets >"$tmp/targets.json"
meson introspect "$VMFEX_BUILDDIR" --buildoptions >"$tmp/options.json"
meson introspect "$VMFEX_BUILDDIR" --projectinfo >"$tmp/project.json"
# The C compiler the library was built with (a target's compile command).
read -r -a cc <<<"$(python3 -c '
import json, shlex, sys
for t in json.load(open(sys.argv[1])):
    for s in t.get("target_sources", []):
        if s.get("language") == "c" and s.get("compiler"):
            print(shlex.join(s["compiler"]))
            sys.exit(0)
sys.exit("no C target in the build")' "$tmp/targets.json")"
sanitize=$(python3 -c '
import json, sys
opts = {o["name"]: o["value"] for o in json.load(open(sys.argv[1]))}
v = opts.get("b_sanitize", "none")
print(",".join(v) if isinstance(v, list) else v)' "$tmp/options.json")
version=$(python3 -c '
import json, sys
print(json.load(open(sys.argv[1]))["version"])' "$tmp/project.json")
extra_cflags=()
if [ -n "$sanitize" ] && [ "$sanitize" != none ]; then
	# An instrumented library needs an instrumented program.
	extra_cflags=("-fsanitize=$sanitize")
fi

echo "== meson install --destdir $destdir"
meson install -C "$VMFEX_BUILDDIR" --no-rebuild --quiet --destdir "$destdir" \
	>"$tmp/install.log" 2>&1 || { cat "$tmp/install.log" >&2; fail "meson install"; }

pc=$(find "$destdir" -name libvmfex.pc -print -quit)
[ -n "$pc" ] || fail "libvmfex.pc was not installed"
pcdir=$(dirname "$pc")
echo "pkg-config file: ${pc#"$destdir"}"

# The .pc file names paths under the prefix; the sysroot moves them into
# the destdir. Nothing from the system's pkg-config path may stand in.
export PKG_CONFIG_PATH=$pcdir
export PKG_CONFIG_SYSROOT_DIR=$destdir
unset PKG_CONFIG_LIBDIR

modversion=$(pkg-config --modversion libvmfex)
[ "$modversion" = "$version" ] || fail "pkg-config version $modversion, project version $version"
cflags=$(pkg-config --cflags libvmfex)
libs=$(pkg-config --libs libvmfex)
echo "cflags: $cflags"
echo "libs:   $libs"
case " $cflags " in
*" -I$destdir/"*) ;;
*) fail "pkg-config --cflags does not point into the destdir" ;;
esac
case " $libs " in
*" -L$destdir/"*" -lvmfex "*) ;;
*) fail "pkg-config --libs does not give -L<destdir>/... -lvmfex" ;;
esac
# libnl, libpci, libxml2, json-c and uuid are private to the library.
for private in -lnl-3 -lnl-route-3 -lpci -lxml2 -ljson-c -luuid; do
	case " $libs " in
	*" $private "*) fail "pkg-config --libs leaks $private (should be Requires.private)" ;;
	esac
done

libdir=$(pkg-config --variable=libdir libvmfex)
libdir=$destdir${libdir#"$destdir"}
includedir=$(pkg-config --variable=includedir libvmfex)
includedir=$destdir${includedir#"$destdir"}
[ -f "$includedir/libvmfex/libvmfex.h" ] || fail "no libvmfex/libvmfex.h in $includedir"

echo "== build a program against the installed library (${cc[*]})"
# shellcheck disable=SC2086  # pkg-config output is a list of flags
"${cc[@]}" -std=c99 -pedantic -Wall -Wextra -Werror "${extra_cflags[@]}" \
	-o "$tmp/consumer" "$here/install-consumer.c" $cflags $libs
if command -v c++ >/dev/null && [ ${#extra_cflags[@]} -eq 0 ]; then
	# The headers must be usable from C++ as well.
	printf '#include <libvmfex/libvmfex.h>\nint main() { return vmfex_version() ? 0 : 1; }\n' \
		>"$tmp/consumer-cxx.cc"
	# shellcheck disable=SC2086
	c++ -Wall -Wextra -Werror -o "$tmp/consumer-cxx" "$tmp/consumer-cxx.cc" $cflags $libs
	LD_LIBRARY_PATH=$libdir "$tmp/consumer-cxx" || fail "the C++ program failed"
fi

resolved=$(LD_LIBRARY_PATH=$libdir ldd "$tmp/consumer" | awk '$1 ~ /^libvmfex\.so/ { print $3 }')
case "$resolved" in
"$libdir"/*) echo "runs with $resolved" ;;
*) fail "the program would load libvmfex from '$resolved', not from $libdir" ;;
esac

echo "== run it on a simulated UCS B200 (VIC 1240)"
LD_LIBRARY_PATH=$libdir "$tmp/consumer" \
	"$VMFEX_SRCDIR/examples/hosts/ucs-b200-vic1240.json" "$tmp/host" | tee "$tmp/out"
grep -qx "version $version" "$tmp/out" || fail "vmfex_version() is not $version"
grep -qx "pf 0000:0a:00.0 enp10s0f0 16/16" "$tmp/out" || fail "PF 0000:0a:00.0 not listed as expected"
grep -qx "pf 0000:0b:00.0 enp11s0f0 16/16" "$tmp/out" || fail "PF 0000:0b:00.0 not listed as expected"
grep -qx "pfs 2 vfs 32" "$tmp/out" || fail "expected 2 PFs and 32 VFs"

echo "== ABI of the installed library"
lib=$(readlink -f "$libdir/$EXPECTED_SONAME" 2>/dev/null || true)
[ -f "$lib" ] || fail "$libdir/$EXPECTED_SONAME is missing"
[ "$(readlink "$libdir/libvmfex.so")" = "$EXPECTED_SONAME" ] ||
	fail "libvmfex.so does not link to $EXPECTED_SONAME"
soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
[ "$soname" = "$EXPECTED_SONAME" ] || fail "soname is '$soname', expected $EXPECTED_SONAME"
echo "soname: $soname"

# Defined dynamic symbols; the version nodes themselves show up as
# absolute symbols named after the node.
nm -D --defined-only --with-symbol-versions "$lib" |
	awk '$2 != "A" { print $3 }' | sort >"$tmp/exported"
nm -D --defined-only "$lib" | awk '$2 == "A" { print $3 }' | sort >"$tmp/nodes"
[ -s "$tmp/exported" ] || fail "no symbols exported"

bad=$(grep -v '^vmfex_' "$tmp/exported" || true)
[ -z "$bad" ] || fail "symbols exported without the vmfex_ prefix:"$'\n'"$bad"
bad=$(grep -v '@@LIBVMFEX_[0-9][0-9.]*$' "$tmp/exported" || true)
[ -z "$bad" ] || fail "symbols exported without a LIBVMFEX_ version:"$'\n'"$bad"
bad=$(grep -v '^LIBVMFEX_[0-9][0-9.]*$' "$tmp/nodes" || true)
[ -z "$bad" ] || fail "unexpected version nodes or absolute symbols:"$'\n'"$bad"

# Exactly what the version script lists, each in its node: a name listed
# but not defined would otherwise vanish silently.
awk '
	/^[ \t]*LIBVMFEX_[0-9.]+[ \t]*\{/ { node = $1; sub(/\{.*/, "", node); next }
	/^[ \t]*(global|local)[ \t]*:/ { next }
	node != "" && /^[ \t]*vmfex_[A-Za-z0-9_]+[ \t]*;/ {
		s = $1; sub(/;.*/, "", s); print s "@@" node
	}' "$VMFEX_SRCDIR/lib/libvmfex.sym" | sort >"$tmp/expected"
if ! diff -u "$tmp/expected" "$tmp/exported" >"$tmp/sym.diff"; then
	cat "$tmp/sym.diff" >&2
	fail "exported symbols differ from lib/libvmfex.sym (- listed only, + exported only)"
fi
echo "exports: $(wc -l <"$tmp/exported") symbols, nodes: $(tr '\n' ' ' <"$tmp/nodes")"
grep -q '@@LIBVMFEX_1\.0$' "$tmp/exported" || fail "nothing exported at LIBVMFEX_1.0"

echo "OK"
