#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# vmfex-libvirt-hook under a real libvirtd 9.0 with the QEMU driver.
#
#   run-libvirtd.sh VMFEXCTL HOOK
#
# Everything runs in private mount, network and PID namespaces: tmpfs on
# /run and libvirt's state directories, an overlay on /etc (so /etc/libvirt
# and /etc/vmfex are the test's own), diskless TCG domains, and veths named
# as the simulated host's VFs. libvirtd takes a VF from a pool written by
# `vmfexctl xml network --no-virtualport` and makes a real MacVTap
# passthrough on the veth; the hook's port requests reach the simulated
# adapter named in the hook's settings file. When the script ends, the PID
# namespace ends with it: libvirtd and every QEMU are killed by the kernel,
# and the network namespace with its links goes.
#
# Opt-in (it starts libvirtd and QEMU): VMFEX_LIBVIRT_TESTS=1, as .ci/run
# sets it. Exit 77 (skipped), saying why, where libvirtd cannot run.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=libvirtd-env.sh
. "$HERE/libvirtd-env.sh"

if [ "${1:-}" != --inside ]; then
	libvirtd_preflight
	run_private libvirtd 240 "$0" "$@"
fi

shift
T=$1 VMFEXCTL=$(readlink -f "$2") HOOK=$(readlink -f "$3")
SRC=${VMFEX_SRCDIR:-$(cd "$(dirname "$0")/../../.." && pwd)}
VM=6b9a1e2c-3d4f-4a5b-8c6d-7e8f90a1b2c3
MAC=52:54:00:12:34:56

# ---- the private world
mount -t tmpfs tmpfs "$T"
private_libvirt_world "$T"
cat >/etc/libvirt/libvirtd.conf <<EOF2
log_outputs = "3:file:$T/libvirtd.log"
EOF2

finish() {
	local rc=$?
	if [ "$failures" -ne 0 ] || [ "$rc" -ne 0 ]; then
		echo "---- hook calls"; cat "$T/hook-calls" 2>/dev/null || true
		echo "---- libvirtd log (last 40 lines)"; tail -n 40 "$T/libvirtd.log" 2>/dev/null || true
	fi
}
trap finish EXIT

virsh() { command virsh -q -c qemu:///system "$@"; }
ctl() { "$VMFEXCTL" --sim "$T/sim" "$@"; }

# ---- the simulated host, its VFs as veths, the hook and its settings
ctl sim create "$T/sim" "$SRC/examples/hosts/ucs-b200-vic1240.json" >/dev/null
make_vf_veths
"$VMFEXCTL" --catalog "$T/cat.xml" profile add pp-vlan-25 --vlan vlan25:25:native >/dev/null
write_hook_wrapper "$T/hook-wrapper" "$HOOK" "$T/hook-calls"
out=$(install_hook "$VMFEXCTL" "$T/hook-wrapper" "$T/sim" "$T/cat.xml" "$T/hook-state" notice)
check "libvirt-hook install puts the hook in /etc/libvirt/hooks" \
	test -L /etc/libvirt/hooks/network.d/vmfex -a -L /etc/libvirt/hooks/qemu.d/vmfex
grep -q SIGHUP <<<"$out" || { echo "install did not mention SIGHUP: $out"; failures=$((failures + 1)); }

start_libvirtd() {
	libvirtd --pid-file "$T/libvirtd.pid" >>"$T/libvirtd.out" 2>&1 &
	libvirtd_pid=$!
	for _ in $(seq 100); do
		virsh version >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	cat "$T/libvirtd.out"
	skip "libvirtd does not answer here"
}
start_libvirtd

# ---- the pool and the domain, as vmfexctl writes them
ctl --catalog "$T/cat.xml" xml network enp10s0f0 --name vmfex-pool --topology passthrough \
	--list-devices --no-virtualport >"$T/pool.xml"
virsh net-define "$T/pool.xml" >/dev/null
virsh net-start vmfex-pool >/dev/null
iface=$("$VMFEXCTL" xml network-interface vmfex-pool pp-vlan-25 --mac "$MAC")
diskless_domain vm1 "$VM" "$iface" >"$T/vm1.xml"
virsh define "$T/vm1.xml" >/dev/null

# The VF under the VM's MacVTap: libvirt's choice, read from the kernel.
macvtap_lower() {
	ip -o link show type macvtap | sed -n 's/^[0-9]*: [^@]*@\([^:]*\):.*/\1/p'
}
port_of() { port_of_sim "$T/sim" "$1"; }
associated_count() { associated_count_sim "$T/sim"; }
lease_list() { lease_list_sim "$T/sim"; }

# ---- start: the VF libvirt chose is associated for the VM
: >"$T/hook-calls"
check "virsh start of a VM on the pool succeeds" virsh start vm1
dev=$(macvtap_lower)
idx=${dev#enp10s0f0v}
check "libvirt made one MacVTap passthrough on a VF of the pool ($dev)" \
	eq "$(ip -o -d link show type macvtap | grep -c 'macvtap mode passthru')" 1
check "the VF is ASSOCIATE/SUCCESS with the profile (40 bytes: the simulated enic refuses any other length), VM UUID and MAC" \
	eq "$(port_of "$idx")" "ASSOCIATE SUCCESS pp-vlan-25 $VM $MAC"
check "no other VF is associated" eq "$(associated_count)" 1
check "one lease, of that VF, for the VM" eq "$(lease_list)" "0000:0a:00.0 $idx $VM"
# libvirt 9.0 gives the network's name as the object of port operations.
check "libvirtd ran port-created (argv: NETWORK port-created begin -)" \
	grep -qx "network.d/vmfex vmfex-pool port-created begin -" "$T/hook-calls"

# ---- a libvirtd restart re-runs port-created: still one lease
: >"$T/hook-calls"
kill "$libvirtd_pid"
wait "$libvirtd_pid" || true
start_libvirtd
for _ in $(seq 50); do grep -q port-created "$T/hook-calls" && break; sleep 0.1; done
check "libvirtd restarted re-ran port-created" \
	grep -qx "network.d/vmfex vmfex-pool port-created begin -" "$T/hook-calls"
check "the VM still runs" eq "$(virsh domstate vm1)" running
check "after the restart: still one lease" eq "$(lease_list)" "0000:0a:00.0 $idx $VM"
check "after the restart: the port is as it was" \
	eq "$(port_of "$idx")" "ASSOCIATE SUCCESS pp-vlan-25 $VM $MAC"

# ---- destroy: nothing left
: >"$T/hook-calls"
check "virsh destroy succeeds" virsh destroy vm1
check "destroy: the VF is disassociated" eq "$(port_of "$idx" | cut -d' ' -f1,2)" "DISASSOCIATE SUCCESS"
check "destroy: no lease" eq "$(lease_list)" ""
check "destroy: no MacVTap" eq "$(macvtap_lower)" ""
check "destroy: port-deleted and release were run" \
	grep -q "port-deleted" "$T/hook-calls"

# ---- an adapter that refuses: virsh start fails with its reason
ctl sim inject --response INVALID --count 1 >/dev/null
if err=$(virsh start vm1 2>&1); then started=yes; else started=no; fi
check "virsh start fails when the adapter refuses the association" eq "$started" no
check "the error names the adapter's answer" grep -q "ASSOCIATE answered INVALID" <<<"$err"
echo "  virsh: $(tr '\n' ' ' <<<"$err" | cut -c1-300)"
check "refused: no lease" eq "$(lease_list)" ""
check "refused: no VF associated" eq "$(associated_count)" 0
check "refused: no MacVTap" eq "$(macvtap_lower)" ""
check "refused: the VM is not running" eq "$(virsh domstate vm1)" "shut off"
check "the next start works" virsh start vm1
dev=$(macvtap_lower)
idx=${dev#enp10s0f0v}
check "  and associates the VF libvirt chose" \
	eq "$(port_of "$idx")" "ASSOCIATE SUCCESS pp-vlan-25 $VM $MAC"
check "  with one lease" eq "$(lease_list)" "0000:0a:00.0 $idx $VM"
virsh destroy vm1 >/dev/null
check "and destroy leaves nothing" eq "$(lease_list)$(associated_count)" "0"

# ---- a direct interface whose profile the domain's metadata names
VM2=0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9
MAC2=02:00:00:00:00:09
diskless_domain vm2 "$VM2" \
	"$(ctl xml interface enp10s0f0 9 --topology passthrough --no-virtualport --mac "$MAC2")" \
	"$("$VMFEXCTL" xml metadata "$MAC2" pp-vlan-25)" >"$T/vm2.xml"
virsh define "$T/vm2.xml" >/dev/null
check "libvirt keeps libvmfex's metadata" \
	grep -q "libvmfex.org/xmlns/libvirt-hook/1" <<<"$(virsh dumpxml vm2)"
: >"$T/hook-calls"
check "virsh start of a VM with a direct interface named in its metadata" virsh start vm2
check "its qemu hook ran prepare" grep -qx "qemu.d/vmfex vm2 prepare begin -" "$T/hook-calls"
check "libvirt made the MacVTap passthrough on the VF" eq "$(macvtap_lower)" enp10s0f0v9
check "the VF is ASSOCIATE/SUCCESS with the metadata's profile, VM UUID and MAC" \
	eq "$(port_of 9)" "ASSOCIATE SUCCESS pp-vlan-25 $VM2 $MAC2"
check "one lease, for vm2" eq "$(lease_list)" "0000:0a:00.0 9 $VM2"
check "virsh destroy vm2" virsh destroy vm2
check "release: disassociated, no lease, no MacVTap" \
	eq "$(port_of 9 | cut -d' ' -f1)|$(lease_list)|$(macvtap_lower)" "DISASSOCIATE||"
ctl sim inject --response INVALID --count 1 >/dev/null
if err=$(virsh start vm2 2>&1); then started=yes; else started=no; fi
check "a refused association fails the start of vm2 with the adapter's answer" \
	eq "$started/$(grep -c 'ASSOCIATE answered INVALID' <<<"$err")" "no/1"
check "  and leaves nothing" eq "$(lease_list)|$(associated_count)|$(macvtap_lower)" "|0|"

echo "1..$count"
[ "$failures" -eq 0 ]
