#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The Python binding's pytest suite against the library of this build
# directory, without installing it. Skipped (77) when pytest is missing.
# Usage: run-pytest.sh PYTHON LIBRARY SRCDIR
set -eu
python=$1 lib=$2 src=$3
if ! "$python" -c 'import pytest' 2>/dev/null; then
	echo "SKIP: pytest is missing for $python (Debian: python3-pytest)"
	exit 77
fi
# A library built with sanitizers needs their runtime loaded before it, which
# python3 does not do; the plain build tests the binding.
if readelf -d "$lib" 2>/dev/null | grep -Eq 'lib(a|ub|t)san'; then
	echo "SKIP: $lib is built with sanitizers; the Python binding is tested against a plain build"
	exit 77
fi
VMFEX_LIBRARY=$lib
VMFEX_SRCDIR=$src
PYTHONDONTWRITEBYTECODE=1
export VMFEX_LIBRARY VMFEX_SRCDIR PYTHONDONTWRITEBYTECODE
exec "$python" -m pytest -q -p no:cacheprovider -rs "$src/bindings/python/tests"
