#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Live migration of a VM on a VF pool between two real libvirtds, with
# vmfex-libvirt-hook and vmfexctl libvirt-watch on each.
#
#   run-migration.sh VMFEXCTL HOOK WATCH
#
# Two hosts, A and B, each in private mount, network, PID and UTS
# namespaces (own hostname and libvirtd host_uuid, else libvirt refuses a
# "migration to the same host"), linked by a veth pair; each has its own
# simulated host, /etc (an overlay), libvirtd listening on TCP on its veth
# address, the hook installed, the watcher running, and veths named as its
# simulated VFs. Both simulated adapters journal every port request with
# its time (CLOCK_REALTIME, one clock for both), from which the test shows
# that the VM's instance is never associated on both hosts at once.
#
# Opt-in (it starts libvirtd and QEMU): VMFEX_LIBVIRT_TESTS=1, as .ci/run
# sets it. Exit 77 (skipped), saying why, where libvirtd cannot run.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=libvirtd-env.sh
. "$HERE/libvirtd-env.sh"

if [ "${1:-}" = --host ]; then
	# ---- one host's namespaces: its own /etc, /run, libvirt state, VFs
	shift
	NAME=$1 T=$2 VMFEXCTL=$3 ADDR=$4 HOST_UUID=$5
	hostname "host-$NAME"
	private_libvirt_world "$T/$NAME"
	make_vf_veths
	cat >/etc/libvirt/libvirtd.conf <<EOF2
log_outputs = "3:file:$T/$NAME/libvirtd.log"
listen_tls = 0
listen_tcp = 1
auth_tcp = "none"
listen_addr = "$ADDR"
host_uuid = "$HOST_UUID"
EOF2
	install_hook "$VMFEXCTL" "$T/$NAME/hook-wrapper" "$T/$NAME/sim" "$T/cat.xml" \
		"$T/$NAME/hook-state" info
	touch "$T/$NAME/ready"
	# The namespace's init: bash reaps the orphans (QEMU daemonizes), which
	# libvirtd waits to see gone.
	while true; do
		sleep 3600 &
		wait $! || true
	done
fi

if [ "${1:-}" != --inside ]; then
	[ "${3:-none}" != none ] ||
		skip "vmfex-libvirt-watch was not built: libvirt's headers (libvirt-dev) are missing"
	libvirtd_preflight nsenter
	run_private migration 270 "$0" "$@"
fi

shift
T=$1 VMFEXCTL=$(readlink -f "$2") HOOK=$(readlink -f "$3") WATCH=$(readlink -f "$4")
SRC=${VMFEX_SRCDIR:-$(cd "$HERE/../../.." && pwd)}
VM=6b9a1e2c-3d4f-4a5b-8c6d-7e8f90a1b2c3
MAC=52:54:00:12:34:56
declare -A pid addr=([a]=10.77.0.1 [b]=10.77.0.2) watcher
declare -A uuid=([a]=8d7c6b5a-4f3e-4d2c-9b1a-0f1e2d3c4b5a [b]=1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d)
mount -t tmpfs tmpfs "$T"

finish() {
	local rc=$?
	if [ "$failures" -ne 0 ] || [ "$rc" -ne 0 ]; then
		for h in a b; do
			echo "---- host $h: hook calls"; cat "$T/$h/hook-calls" 2>/dev/null || true
			echo "---- host $h: watcher"; cat "$T/$h/watch.log" 2>/dev/null || true
			echo "---- host $h: events"; cat "$T/$h/events" 2>/dev/null || true
			echo "---- host $h: journal"; cat "$T/$h/sim/state/journal" 2>/dev/null || true
			echo "---- host $h: libvirtd log (last 30 lines)"
			tail -n 30 "$T/$h/libvirtd.log" 2>/dev/null || true
		done
	fi
}
trap finish EXIT

# A command in host H's namespaces.
on() {
	local h=$1
	shift
	nsenter -t "${pid[$h]}" -m -n -u -p -- "$@"
}
vsh() {
	local h=$1
	shift
	on "$h" virsh -q -c qemu:///system "$@"
}
ctl_on() {
	local h=$1
	shift
	"$VMFEXCTL" --sim "$T/$h/sim" "$@"
}

# ---- the two hosts
"$VMFEXCTL" --catalog "$T/cat.xml" profile add pp-vlan-25 --vlan vlan25:25:native >/dev/null
for h in a b; do
	mkdir -p "$T/$h"
	write_hook_wrapper "$T/$h/hook-wrapper" "$HOOK" "$T/$h/hook-calls"
	"$VMFEXCTL" sim create "$T/$h/sim" "$SRC/examples/hosts/ucs-b200-vic1240.json" >/dev/null
	unshare --mount --net --pid --uts --fork --kill-child --mount-proc --propagation private \
		"$0" --host "$h" "$T" "$VMFEXCTL" "${addr[$h]}" "${uuid[$h]}" \
		>"$T/$h/host.out" 2>&1 &
	upid=$!
	for _ in $(seq 300); do [ -e "$T/$h/ready" ] && break; sleep 0.1; done
	[ -e "$T/$h/ready" ] || { cat "$T/$h/host.out"; skip "host $h could not be set up"; }
	pid[$h]=$(awk '{ print $1 }' "/proc/$upid/task/$upid/children")
done
ip link add mig-a type veth peer name mig-b
ip link set mig-a netns "${pid[a]}"
ip link set mig-b netns "${pid[b]}"
for h in a b; do
	on "$h" ip addr add "${addr[$h]}/24" dev "mig-$h"
	on "$h" ip link set "mig-$h" up
	on "$h" libvirtd --listen --pid-file "$T/$h/libvirtd.pid" >>"$T/$h/libvirtd.out" 2>&1 &
done
for h in a b; do
	for _ in $(seq 150); do vsh "$h" version >/dev/null 2>&1 && break; sleep 0.2; done
	vsh "$h" version >/dev/null 2>&1 || { cat "$T/$h/libvirtd.out"; skip "libvirtd does not answer here"; }
	ctl_on "$h" --catalog "$T/cat.xml" xml network enp10s0f0 --name vmfex-pool \
		--topology passthrough --list-devices --no-virtualport >"$T/pool.xml"
	vsh "$h" net-define "$T/pool.xml" >/dev/null
	vsh "$h" net-start vmfex-pool >/dev/null
	# The events as libvirt reports them, with their times.
	on "$h" virsh -c qemu:///system event --loop --timestamp --event lifecycle \
		>"$T/$h/events" 2>&1 &
done

start_watcher() {
	local h=$1
	# nsenter itself in the background (not a subshell running it).
	nsenter -t "${pid[$h]}" -m -n -u -p -- env VMFEX_LIBVIRT_WATCH="$WATCH" \
		"$VMFEXCTL" libvirt-watch >>"$T/$h/watch.log" 2>&1 &
	watcher[$h]=$!
	wait_for "watcher on $h connected" \
		"test \$(grep -c 'following the domain events' $T/$h/watch.log) -ge ${2:-1}"
}
# SIGTERM to the watcher itself (nsenter's child, in the host's PID
# namespace); nsenter then exits as the watcher did.
stop_watcher() {
	local h=$1 rc=0 child
	child=$(awk '{ print $1 }' "/proc/${watcher[$h]}/task/${watcher[$h]}/children")
	kill -TERM "$child"
	wait "${watcher[$h]}" || rc=$?
	eq "$rc" 0
}
# Until the shell command CMD (evaluated anew each time) holds, at most 20 s.
wait_for() {
	local what=$1 cmd=$2
	for _ in $(seq 200); do eval "$cmd" >/dev/null 2>&1 && return 0; sleep 0.1; done
	echo "  timed out waiting: $what"
	eval "$cmd"
}
start_watcher a
start_watcher b

macvtaps() { on "$1" ip -o link show type macvtap | sed -n 's/^[0-9]*: \([^@]*\)@\([^:]*\):.*/\2/p'; }
port() { port_of_sim "$T/$1/sim" "$2"; }
leases() { lease_list_sim "$T/$1/sim"; }
associated() { associated_count_sim "$T/$1/sim"; }
timeline() {
	python3 "$HERE/migration-timeline.py" "$VM" "$T/a/sim/state/journal" "$T/a/events" \
		"$T/b/sim/state/journal" "$T/b/events" "$@"
}

# ---- the VM, started on A. 2 GiB of memory the guest never touches: QEMU
# sends each zero page as 9 bytes, so a migration slowed to 1 MiB/s lasts
# about 5 s, time enough to see it paused and abort it; unslowed, a second.
diskless_domain vm1 "$VM" \
	"$("$VMFEXCTL" xml network-interface vmfex-pool pp-vlan-25 --mac "$MAC")" "" 2048 \
	>"$T/vm1.xml"
vsh a define "$T/vm1.xml" >/dev/null
check "vm1 starts on host A" vsh a start vm1
check "A: the VF is ASSOCIATE/SUCCESS with the profile, VM UUID and MAC" \
	eq "$(port a 0)" "ASSOCIATE SUCCESS pp-vlan-25 $VM $MAC"
check "A: one lease" eq "$(leases a)" "0000:0a:00.0 0 $VM"

# ---- live migration A -> B
check "virsh migrate --live A -> B succeeds" \
	on a virsh -q -c qemu:///system migrate --live vm1 "qemu+tcp://${addr[b]}/system" \
	--migrateuri "tcp://${addr[b]}"
check "the VM runs on B" eq "$(vsh b domstate vm1)" running
check "  and no longer on A" eq "$(vsh a domstate vm1)" "shut off"
check "B: the watcher associated the VF (ASSOCIATE/SUCCESS, profile, VM UUID, MAC)" \
	wait_for "ASSOCIATE on B" 'eq "$(port b 0)" "ASSOCIATE SUCCESS pp-vlan-25 $VM $MAC"'
check "B: one lease" eq "$(leases b)" "0000:0a:00.0 0 $VM"
check "B: libvirt made the MacVTap passthrough on the VF" eq "$(macvtaps b)" enp10s0f0v0
check "A: the source's watcher stepped the port back before release" \
	timeline source-demoted a
check "A: then disassociated, no lease, no MacVTap" \
	wait_for "release on A" \
	'eq "$(port a 0 | cut -d" " -f1,2)|$(leases a)|$(macvtaps a)" "DISASSOCIATE SUCCESS||"'
check "B: pre-associated (PREASSOCIATE_RR/SUCCESS, profile, VM UUID, MAC) before the VM resumed" \
	timeline preassociated-before-resume b
check "never two ASSOCIATEs of the instance at once (journals of both adapters)" \
	timeline no-overlap
timeline figures a b | sed 's/^/  /'

# ---- a migration the destination refuses: B -> A, A's adapter refusing
ctl_on a sim inject --response INVALID --count 1 >/dev/null
if err=$(on b virsh -q -c qemu:///system migrate --live vm1 "qemu+tcp://${addr[a]}/system" \
	--migrateuri "tcp://${addr[a]}" 2>&1); then migrated=yes; else migrated=no; fi
check "a migration whose destination's adapter refuses the port fails" eq "$migrated" no
check "  with the adapter's answer in virsh's error" grep -q "answered INVALID" <<<"$err"
echo "  virsh: $(grep -o 'vmfex-libvirt-hook: .*answered [A-Z_]*' <<<"$err" | head -n 1)"
check "  the VM keeps running on B" eq "$(vsh b domstate vm1)" running
check "  B: still ASSOCIATE/SUCCESS, one lease" \
	eq "$(port b 0)|$(leases b)" "ASSOCIATE SUCCESS pp-vlan-25 $VM $MAC|0000:0a:00.0 0 $VM"
check "  A: nothing left (no lease, no associated port, no MacVTap, VM not running)" \
	eq "$(leases a)|$(associated a)|$(macvtaps a)|$(vsh a domstate vm1)" "|0||shut off"
check "  never two ASSOCIATEs at once" timeline no-overlap

# ---- B -> A while A's watcher is down: it catches up when it starts
check "A's watcher ends on SIGTERM with exit 0" stop_watcher a
check "virsh migrate --live B -> A succeeds" \
	on b virsh -q -c qemu:///system migrate --live vm1 "qemu+tcp://${addr[a]}/system" \
	--migrateuri "tcp://${addr[a]}"
check "A: the VM runs, its VF pre-associated (no watcher to associate it)" \
	eq "$(vsh a domstate vm1)|$(port a 0)" "running|PREASSOCIATE_RR SUCCESS pp-vlan-25 $VM $MAC"
check "B: stepped back, then released" \
	wait_for "release on B" 'eq "$(port b 0 | cut -d" " -f1)|$(leases b)" "DISASSOCIATE|"'
start_watcher a 2
check "A: the restarted watcher associates the running VM's VF" \
	wait_for "catch-up on A" 'eq "$(port a 0)" "ASSOCIATE SUCCESS pp-vlan-25 $VM $MAC"'
check "A: one lease" eq "$(leases a)" "0000:0a:00.0 0 $VM"
check "never two ASSOCIATEs at once, over all three migrations" timeline no-overlap

# ---- a migration that fails once the source has paused the VM: A -> B
# without --live (the source pauses at once) and slowed to 1 MiB/s, then
# aborted; libvirt resumes the VM on the source
on a virsh -q -c qemu:///system migrate vm1 "qemu+tcp://${addr[b]}/system" \
	--migrateuri "tcp://${addr[b]}" --bandwidth 1 >"$T/abort.out" 2>&1 &
migration=$!
paused=no
for _ in $(seq 200); do
	[ "$(vsh a domstate vm1 2>/dev/null)" = paused ] && { paused=yes; break; }
	sleep 0.05
done
check "A: the VM pauses for a migration without --live" eq "$paused" yes
check "A: while paused, the watcher steps its VF back to PREASSOCIATE_RR" \
	wait_for "step back on A" 'eq "$(port a 0)" "PREASSOCIATE_RR SUCCESS pp-vlan-25 $VM $MAC"'
vsh a domjobabort vm1 >/dev/null 2>&1 || true
if wait "$migration"; then aborted=no; else aborted=yes; fi
check "the aborted migration fails" eq "$aborted" yes
check "A: the VM runs again" wait_for "VM running on A" 'eq "$(vsh a domstate vm1)" running'
check "A: the watcher associates its VF again" \
	wait_for "ASSOCIATE on A" 'eq "$(port a 0)" "ASSOCIATE SUCCESS pp-vlan-25 $VM $MAC"'
check "A: one lease" eq "$(leases a)" "0000:0a:00.0 0 $VM"
check "B: nothing left" \
	wait_for "nothing on B" 'eq "$(leases b)|$(associated b)|$(macvtaps b)" "|0|"'
check "never two ASSOCIATEs at once, over all four migrations" timeline no-overlap
echo "  the source's events: $(grep -o "vm1': .*" "$T/a/events" | tail -n 3 | tr '\n' ' ')"

# ---- libvirtd restarted under A's watcher: it connects again
on a sh -c 'kill "$(cat "$1")"' - "$T/a/libvirtd.pid"
check "A's watcher sees the connection close" \
	wait_for "close seen on A" "grep -q 'connection closed' $T/a/watch.log"
on a libvirtd --listen --pid-file "$T/a/libvirtd.pid" >>"$T/a/libvirtd.out" 2>&1 &
check "  and follows the events of the new libvirtd" \
	wait_for "reconnect on A" "test \$(grep -c 'following the domain events' $T/a/watch.log) -ge 3"
check "  the VM still runs there, associated, one lease" \
	eq "$(vsh a domstate vm1)|$(port a 0)|$(leases a)" \
	"running|ASSOCIATE SUCCESS pp-vlan-25 $VM $MAC|0000:0a:00.0 0 $VM"

# ---- the end: nothing held anywhere
check "virsh destroy on A" vsh a destroy vm1
check "nothing left on either host" \
	eq "$(leases a)$(leases b)|$(associated a)$(associated b)|$(macvtaps a)$(macvtaps b)" "|00|"

echo "1..$count"
[ "$failures" -eq 0 ]
