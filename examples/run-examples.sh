#!/bin/sh
# The examples run on a simulated UCS host; their output is checked
# against what the host description says.
set -eu
build=$1
src=${VMFEX_SRCDIR:-$(dirname "$0")/..}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$build/tools/vmfexctl/vmfexctl" sim create "$dir/ucs" "$src/examples/hosts/ucs-b200-vic1240.json" >/dev/null
export VMFEX_SIM="$dir/ucs"

out=$("$build/examples/list-vfs")
echo "$out"
echo "$out" | grep -qx '0000:0a:00.0 enp10s0f0: 16 of 16 VFs, VIC 1240 MLOM Ethernet NIC'
echo "$out" | grep -qx '  VF 15 0000:0b:02.0 enic'
[ "$(echo "$out" | grep -c '^  VF ')" -eq 32 ]

out=$("$build/examples/hostdev-vf" enp11s0f0)
echo "$out"
echo "$out" | grep -qx '0000:0b:00.1 is with vfio-pci'
echo "$out" | grep -qx '0000:0b:00.1 is back with enic as enp11s0f0v0'

# The host description has two VIC 1240 PFs of 16 VFs, none associated.
out=$("$build/examples/advise")
echo "$out"
echo "$out" | grep -qx 'info vfs-enough: 8 VMs planned and 32 VFs are free'
echo "$out" | grep -q '^error vic-no-sriov-vmfex: VIC 1240 (subsystem id 1137:0084)'
! echo "$out" | grep -q '^lease '

out=$("$build/examples/port-associate" enp10s0f0 pp-web)
echo "$out"
echo "$out" | grep -qx 'VF 0 52:54:00:ac:ff:b6: pp-web, SUCCESS'
"$build/examples/advise" | grep -qx 'info vfs-enough: 8 VMs planned and 31 VFs are free'

out=$("$build/examples/sim-latency" 250)
echo "$out"
echo "$out" | grep -qx 'adapter latency 250 ms'

out=$("$build/examples/catalog-network" enp10s0f0)
echo "$out"
echo "$out" | grep -qx '    <pf dev="enp10s0f0"/>'
echo "$out" | grep -qx '      <parameters profileid="pp-web"/>'
echo "$out" | grep -qx 'network vmfex-a, forward mode passthrough'
