#!/bin/sh
# The libvmfex demo: builds the library and vmfexctl, makes a simulated
# Cisco UCS blade (VIC 1240, 2 PFs x 16 VM-FEX VFs) and walks through
# what a host does with it.
set -eu
cd "$(dirname "$0")/.."
./tools/install-deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null

vmfexctl=./build/tools/vmfexctl/vmfexctl
host=$(mktemp -d)/ucs-blade
trap 'rm -rf "$(dirname "$host")"' EXIT
run() {
	printf '\n$ vmfexctl %s\n' "$*"
	"$vmfexctl" "$@"
}

run sim create "$host" examples/hosts/ucs-b200-vic1240.json
run --sim "$host" show
run --sim "$host" -j show enp11s0f0 | head -24
echo "  ..."
# A VF for PCI passthrough (hostdev) goes to vfio-pci, and comes back.
run --sim "$host" vf bind enp10s0f0 3 vfio-pci
run --sim "$host" vf unbind 0000:0a:00.4
# enic enables all VFs at probe; the kernel refuses a new count, and says why.
run --sim "$host" pf set-num-vfs enp10s0f0 8 || true
