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
# A VM's vNIC gets its port profile: the VF's MAC and the 802.1Qbh request
# in one message, then a wait for the adapter (here 50 ms).
run --sim "$host" sim set --latency-ms 50
run --sim "$host" port associate enp10s0f0 3 --profile pp-vlan-25 \
	--instance-uuid 8a6a0f55-0d9b-4a5b-9a8e-6f1c2b3d4e5f --mac 52:54:00:ac:ff:b6 --wait
run --sim "$host" -j port status enp10s0f0 3
run --sim "$host" port associate enp10s0f0 3 --profile pp-vlan-25 \
	--instance-uuid 8a6a0f55-0d9b-4a5b-9a8e-6f1c2b3d4e5f --mac 52:54:00:ac:ff:b6 --dry-run
run --sim "$host" port disassociate enp10s0f0 3 --wait
