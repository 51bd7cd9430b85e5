# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by run-libvirtd.sh and run-migration.sh: the checks that decide
# whether libvirtd can run here, a private world for it (tmpfs on /run and
# libvirt's state directories, an overlay on /etc), veths named as the
# simulated host's VFs, the hook put in place, and readers of the
# simulated adapter's ports and leases.
failures=0 count=0

skip() {
	echo "SKIP: $*"
	exit 77
}

# Skips (77), saying why, unless opted in, root, and libvirtd with the
# QEMU driver, QEMU and namespaces are there. Extra programs as arguments.
libvirtd_preflight() {
	[ "${VMFEX_LIBVIRT_TESTS:-}" = 1 ] ||
		skip "starts libvirtd and QEMU; run with VMFEX_LIBVIRT_TESTS=1 (as .ci/run does)"
	[ "$(id -u)" -eq 0 ] || skip "needs root (namespaces, tmpfs and overlay mounts, libvirtd)"
	for p in libvirtd virsh qemu-system-x86_64 unshare ip timeout "$@"; do
		command -v "$p" >/dev/null ||
			skip "$p not found (apt-get install libvirt-daemon-system libvirt-daemon-driver-qemu qemu-system-x86)"
	done
	ls /usr/lib/*/libvirt/connection-driver/libvirt_driver_qemu.so >/dev/null 2>&1 ||
		skip "libvirt's QEMU driver is not installed (libvirt-daemon-driver-qemu)"
	unshare --mount --net --pid --fork true 2>/dev/null ||
		skip "namespaces are refused here"
}

# Runs SCRIPT --inside WORK ARGS... in private mount, network and PID
# namespaces, WORK a new directory removed after, and exits with its
# status. If LIMIT seconds pass, the namespace's first process, and so
# everything in it, is killed (--kill-child).
run_private() {
	local name=$1 limit=$2 script=$3 work rc=0
	shift 3
	work=$(mktemp -d "${TMPDIR:-/tmp}/vmfex-$name.XXXXXX")
	timeout --kill-after=10 "$limit" unshare --mount --net --pid --fork --kill-child \
		--mount-proc --propagation private "$script" --inside "$work" "$@" || rc=$?
	rmdir "$work" 2>/dev/null || rm -rf "$work"
	exit "$rc"
}

# In a private mount namespace: tmpfs on /run and libvirt's state
# directories, /etc an overlay whose changes go to DIR/etc-up, qemu.conf
# for QEMU run as root with nothing left on the host (no security driver,
# no cgroups), no networks or hooks of the host's own.
private_libvirt_world() {
	local dir=$1
	mkdir -p "$dir/etc-up" "$dir/etc-work"
	mount -t overlay overlay -o "lowerdir=/etc,upperdir=$dir/etc-up,workdir=$dir/etc-work" /etc ||
		skip "overlayfs on /etc is refused here"
	mount -t tmpfs tmpfs /run
	for d in /var/lib/libvirt /var/cache/libvirt /var/log/libvirt; do
		mkdir -p "$d" 2>/dev/null || true
		mount -t tmpfs tmpfs "$d"
	done
	ip link set lo up
	rm -f /etc/libvirt/qemu/networks/autostart/*.xml /etc/libvirt/hooks/network \
		/etc/libvirt/hooks/qemu
	rm -rf /etc/libvirt/hooks/network.d /etc/libvirt/hooks/qemu.d
	cat >/etc/libvirt/qemu.conf <<'EOF2'
security_driver = "none"
stdio_handler = "file"
cgroup_controllers = [ ]
user = "root"
group = "root"
dynamic_ownership = 0
EOF2
}

# A diskless TCG domain NAME with UUID, the interface INTERFACE (XML),
# METADATA (XML, or nothing) in its <metadata> and MEMORY MiB (default 64),
# on stdout.
diskless_domain() {
	local name=$1 uuid=$2 iface=$3 metadata=${4:-} memory=${5:-64}
	cat <<EOF2
<domain type='qemu'>
  <name>$name</name>
  <uuid>$uuid</uuid>${metadata:+
  <metadata>
$metadata
  </metadata>}
  <memory unit='MiB'>$memory</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <emulator>$(command -v qemu-system-x86_64)</emulator>
$iface
    <memballoon model='none'/>
  </devices>
</domain>
EOF2
}

# The simulated host's 16 VFs of enp10s0f0, as veths.
make_vf_veths() {
	for i in $(seq 0 15); do
		ip link add "enp10s0f0v$i" type veth peer name "vfpeer$i"
	done
}

# A wrapper that records each call (argv as libvirtd gives it) in CALLS,
# then runs HOOK under the same argv[0], by which it knows network.d from
# qemu.d.
write_hook_wrapper() {
	local path=$1 hook=$2 calls=$3
	cat >"$path" <<EOF2
#!/bin/bash
echo "\${0##*/hooks/} \$*" >>$calls
exec -a "\$0" $hook "\$@"
EOF2
	chmod +x "$path"
}

# The hook's settings in /etc/vmfex and the hook (WRAPPER) installed in
# /etc/libvirt/hooks; prints what install says.
install_hook() {
	local vmfexctl=$1 wrapper=$2 sim=$3 catalog=$4 state=$5 level=$6
	mkdir -p /etc/vmfex
	cat >/etc/vmfex/libvirt-hook.conf <<EOF2
sim = $sim
catalog = $catalog
state_dir = $state
timeout_ms = 10000
log_level = $level
EOF2
	"$vmfexctl" libvirt-hook install --hook "$wrapper"
}

check() {
	local name=$1
	shift
	count=$((count + 1))
	if "$@"; then
		echo "ok $count - $name"
	else
		echo "not ok $count - $name"
		failures=$((failures + 1))
	fi
}

eq() { [ "$1" = "$2" ] || { echo "  expected '$2', got '$1'"; return 1; }; }

# "request response profile instance mac" of VF INDEX of the simulated
# host SIM's enp10s0f0, read back through vmfexctl -j.
port_of_sim() {
	"$VMFEXCTL" --sim "$1" -j vf show enp10s0f0 | python3 -c '
import json, sys
v = [v for v in json.load(sys.stdin)["vfs"] if v["index"] == int(sys.argv[1])][0]
p = v["port"] or {}
print(p.get("request"), p.get("response"), p.get("profile"), p.get("instance_uuid"), v["mac"])
' "$2"
}
associated_count_sim() {
	"$VMFEXCTL" --sim "$1" -j vf show enp10s0f0 | python3 -c '
import json, sys
print(sum(1 for v in json.load(sys.stdin)["vfs"] if (v["port"] or {}).get("request") == "ASSOCIATE"))'
}
lease_list_sim() {
	"$VMFEXCTL" --sim "$1" -j vf leases | python3 -c '
import json, sys
for l in json.load(sys.stdin)["leases"]:
    print(l["pf"], l["vf"], l["vm_uuid"])'
}
