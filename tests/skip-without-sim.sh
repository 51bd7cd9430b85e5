#!/bin/sh
# Stands in for a test that runs on the simulated host, in a build without
# one (meson -Dsim=disabled): the test is listed as skipped, not passed.
echo "1..0 # SKIP runs on the simulated host; this build has none (-Dsim=disabled)"
exit 77
