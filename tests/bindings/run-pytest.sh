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
VMFEX_LIBRARY=$lib
VMFEX_SRCDIR=$src
PYTHONDONTWRITEBYTECODE=1
export VMFEX_LIBRARY VMFEX_SRCDIR PYTHONDONTWRITEBYTECODE
exec "$python" -m pytest -q -p no:cacheprovider -rs "$src/bindings/python/tests"
