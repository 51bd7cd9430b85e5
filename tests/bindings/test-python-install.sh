#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The Python binding as users get it:
# - `meson install` into a DESTDIR installs the package: `import vmfex` works
#   from a fresh venv with only PYTHONPATH and LD_LIBRARY_PATH pointing there;
# - a failure the caller handles prints nothing (the `vmfex` logger has a
#   NullHandler);
# - without the library, the ImportError names VMFEX_LIBRARY and the
#   loader path;
# - `pip install ./bindings/python` leaves the tree clean (git status).
# Usage: test-python-install.sh PYTHON PURELIB LIBDIR BUILDDIR (meson's
# install directories of the package and the library, with the prefix).
set -eu
python=$1 purelib=$2 libdir=$3 build=$4
src=${VMFEX_SRCDIR:?VMFEX_SRCDIR is not set}
lib=$(ls "$build"/lib/libvmfex.so.* 2>/dev/null | head -n 1)
if [ -n "$lib" ] && readelf -d "$lib" 2>/dev/null | grep -Eq 'lib(a|ub|t)san'; then
	echo "SKIP: $lib is built with sanitizers; the Python binding is tested against a plain build"
	exit 77
fi
if ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
	echo "SKIP: $python has no venv (Debian: python3-venv)"
	exit 77
fi
work=$build/tests/bindings/python-install
rm -rf "$work"
mkdir -p "$work"
dest=$work/dest

echo "# meson install --destdir $dest"
meson install -C "$build" --no-rebuild --quiet --destdir "$dest" >"$work/install.log"
test -f "$dest$purelib/vmfex/__init__.py" || { echo "not installed: $dest$purelib/vmfex"; exit 1; }
"$python" -m venv --without-pip "$work/venv"

# Only PYTHONPATH and the loader path point at the DESTDIR.
run() {
	env -i HOME="$work" PATH=/usr/bin:/bin PYTHONDONTWRITEBYTECODE=1 "$@"
}
run PYTHONPATH="$dest$purelib" LD_LIBRARY_PATH="$dest$libdir" "$work/venv/bin/python" - \
	"$dest" "$work/host" "$src/examples/hosts/ucs-b200-vic1240.json" >"$work/out" 2>"$work/err" <<'PY'
import sys
import vmfex
dest, host, desc = sys.argv[1:4]
assert vmfex.__file__.startswith(dest), vmfex.__file__
vmfex.Context.sim_create(host, desc)
with vmfex.Context(sim_dir=host) as ctx:
    print("PFs", len(list(ctx.pfs())))
    try:
        ctx.pf("no-such-pf")
    except OSError as e:
        print("handled:", e)
print("version", vmfex.version())
PY
cat "$work/out"
grep -q '^PFs 2$' "$work/out"
grep -q '^handled: ' "$work/out"
if [ -s "$work/err" ]; then
	echo "standard error should be empty (a NullHandler on the vmfex logger):"
	cat "$work/err"
	exit 1
fi

echo "# import vmfex without the library"
if run VMFEX_LIBRARY="$work/no-such-lib.so.0" PYTHONPATH="$dest$purelib" \
	"$work/venv/bin/python" -c 'import vmfex' 2>"$work/err"; then
	echo "import vmfex should fail without its library"
	exit 1
fi
cat "$work/err"
grep -q '^ImportError: .*VMFEX_LIBRARY=.*no-such-lib.so.0.*LD_LIBRARY_PATH' "$work/err"
if ! ldconfig -p 2>/dev/null | grep -q 'libvmfex\.so\.0'; then
	run PYTHONPATH="$dest$purelib" "$work/venv/bin/python" -c 'import vmfex' 2>"$work/err" && exit 1
	cat "$work/err"
	grep -q "^ImportError: .*libvmfex.so.1 through the dynamic loader (LD_LIBRARY_PATH=''.*VMFEX_LIBRARY" \
		"$work/err"
fi

echo "# pip install of a clean copy of bindings/python leaves it clean"
if ! "$python" -c 'import setuptools, wheel, pip' 2>/dev/null; then
	echo "# pip, setuptools or wheel missing for $python: not checked"
	exit 0
fi
mkdir "$work/tree"
(cd "$src" && git ls-files -z --cached --others --exclude-standard bindings/python 2>/dev/null | xargs -0 -r cp --parents -t "$work/tree")
if [ ! -f "$work/tree/bindings/python/pyproject.toml" ]; then
	cp -r "$src/bindings/python" "$work/tree/bindings/"
fi
cd "$work/tree"
git init -q . && git add -A && git -c user.name=t -c user.email=t@t commit -qm tree
"$python" -m pip install -q --no-build-isolation --no-deps --no-index \
	--target "$work/site" ./bindings/python
test -f "$work/site/vmfex/__init__.py"
left=$(git status --porcelain --untracked-files=all)
if [ -n "$left" ]; then
	echo "pip install left in the tree:"
	echo "$left"
	exit 1
fi
echo "ok"
