#!/bin/sh
# The libvmfex demo, on a simulated Cisco UCS blade (VIC 1240, 2 PFs x 16
# VM-FEX VFs): inventory, UCS Manager's port profiles imported, two VMs
# given a VM-FEX vNIC each (one per topology), the advisor's findings and a
# picture of the host, then both VMs detached.
set -eu
cd "$(dirname "$0")/.."
./tools/install-deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null

vmfexctl=./build/tools/vmfexctl/vmfexctl
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
host=$work/ucs-blade
catalog=$work/catalog.xml
run() {
	printf '\n$ vmfexctl %s\n' "$*"
	"$vmfexctl" "$@"
}

echo "== The host"
run sim create "$host" examples/hosts/ucs-b200-vic1240.json
run --sim "$host" show enp10s0f0 | head -6
echo "  ..."

echo
echo "== Port profiles, as UCS Manager exports them (configResolveClass vnicProfile)"
run --catalog "$catalog" profile import-ucsm examples/ucsm/configResolveClass-vnicProfile.xml
run --catalog "$catalog" profile list

echo
echo "== Two VMs get a VM-FEX vNIC: pp-app asks for MacVTap passthrough, pp-vlan-25"
echo "   (high-perf-reqd) for VF passthrough; the adapter takes 50 ms per port"
run --sim "$host" sim set --latency-ms 50
# Each attach prints the <interface> for the VM's domain XML; here it goes
# into a minimal domain, which the topology picture then draws.
attach() { # uuid name profile
	run --sim "$host" --catalog "$catalog" attach --vm-uuid "$1" --vm-name "$2" --profile "$3" \
		| tee "$work/$2-interface.xml"
	{
		printf "<domain type='kvm'>\n  <name>%s</name>\n  <uuid>%s</uuid>\n  <devices>\n" "$2" "$1"
		sed 's/^/    /' "$work/$2-interface.xml"
		printf '  </devices>\n</domain>\n'
	} > "$work/$2.xml"
}
attach 8a6a0f55-0d9b-4a5b-9a8e-6f1c2b3d4e5f web1 pp-app
attach 1c9e4a7b-5d2f-4e8a-b3c6-7f0d1e2a3b4c db1 pp-vlan-25
run domain inspect "$work/db1.xml"
run --sim "$host" vf leases
run --sim "$host" -j port status enp10s0f0 1

echo
echo "== The advisor on this plan (the VIC 1240 is one the guide lists without"
echo "   SR-IOV with VM-FEX)"
run --sim "$host" --catalog "$catalog" check --vms 2 --topology passthrough || true

echo
echo "== The host's VM-FEX topology, in Graphviz DOT: db1 straight onto its VF"
echo "   (hostdev), web1 through a macvtap (passthrough)"
run --sim "$host" topology --pf enp10s0f0 --domain "$work/web1.xml" --domain "$work/db1.xml" \
	--output "$work/topology.dot"
grep -E 'web1|db1|macvtap' "$work/topology.dot"
if command -v dot >/dev/null; then
	run --sim "$host" topology --format svg --domain "$work/web1.xml" \
		--domain "$work/db1.xml" --output "$work/topology.svg"
	echo "(SVG drawn: $(wc -c < "$work/topology.svg") bytes)"
fi

echo
echo "== Both VMs leave"
run --sim "$host" detach --vm-uuid 8a6a0f55-0d9b-4a5b-9a8e-6f1c2b3d4e5f
run --sim "$host" detach --vm-uuid 1c9e4a7b-5d2f-4e8a-b3c6-7f0d1e2a3b4c
run --sim "$host" vf leases
