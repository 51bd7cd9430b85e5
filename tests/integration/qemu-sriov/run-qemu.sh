#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The SR-IOV scenario against Linux's own PCI SR-IOV core: Debian's kernel
# in a QEMU q35 guest (TCG, an Intel IOMMU, QEMU's NVMe controller with
# SR-IOV behind a PCIe root port), then the same scenario on the simulated
# host that mirrors the guest; both transcripts must match expected.txt.
#
#   run-qemu.sh SCENARIO HOST.json EXPECTED NORMALISE.sed
#
# Runs only with VMFEX_QEMU_TESTS=1 (exit 77, skipped, otherwise): it needs
# root on Debian 12 and, on its first run, about 90 MB of Debian packages
# (qemu-system-x86, busybox-static, kmod, cpio, the kernel). The kernel
# package and its unpacked tree are kept in VMFEX_QEMU_CACHE (default
# /var/cache/libvmfex-qemu). When they cannot be had, the test says so and
# FAILS. VMFEX_QEMU_KEEP=DIR keeps the guest's files (console log,
# transcripts, initramfs) in DIR.
set -euo pipefail

if [ $# -ne 4 ]; then
	echo "usage: $0 SCENARIO HOST.json EXPECTED NORMALISE.sed" >&2
	exit 2
fi
scenario=$(realpath "$1")
desc=$(realpath "$2")
expected=$(realpath "$3")
normalise=$(realpath "$4")
here=$(cd "$(dirname "$0")" && pwd)

if [ "${VMFEX_QEMU_TESTS:-0}" != 1 ]; then
	echo "qemu-sriov: skipped; set VMFEX_QEMU_TESTS=1 to boot Debian's kernel under QEMU"
	echo "(as root on Debian 12; the first run downloads about 90 MB of packages)"
	exit 77
fi

start=$SECONDS
t_last=$SECONDS
timing() {
	printf 'qemu-sriov: %-40s %3ds\n' "$1" $((SECONDS - t_last))
	t_last=$SECONDS
}

fail() {
	printf '\n**** qemu-sriov FAILED: %s\n\n' "$*" >&2
	exit 1
}

cache=${VMFEX_QEMU_CACHE:-/var/cache/libvmfex-qemu}
export DEBIAN_FRONTEND=noninteractive

work=$(mktemp -d "${TMPDIR:-/tmp}/vmfex-qemu.XXXXXX")
cleanup() {
	if [ -n "${VMFEX_QEMU_KEEP:-}" ]; then
		mkdir -p "$VMFEX_QEMU_KEEP"
		cp -r "$work"/. "$VMFEX_QEMU_KEEP"/ 2>/dev/null || true
		echo "qemu-sriov: guest files kept in $VMFEX_QEMU_KEEP"
	fi
	rm -rf "$work"
}
trap cleanup EXIT

# ---- 1. Host packages: QEMU, a static busybox, depmod/modprobe, cpio.
static_busybox() { [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1; }
need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
static_busybox || need+=(busybox-static)
command -v depmod >/dev/null && command -v modprobe >/dev/null || need+=(kmod)
command -v cpio >/dev/null || need+=(cpio)
if [ ${#need[@]} -gt 0 ]; then
	[ "$(id -u)" -eq 0 ] || fail "missing packages ${need[*]}, and not root to install them"
	echo "qemu-sriov: installing ${need[*]}"
	if ! apt-get install -y -qq --no-install-recommends "${need[@]}" >"$work/apt.log" 2>&1; then
		apt-get update -qq >>"$work/apt.log" 2>&1 || true
		apt-get install -y -qq --no-install-recommends "${need[@]}" >>"$work/apt.log" 2>&1 ||
			{ cat "$work/apt.log" >&2; fail "cannot install ${need[*]} from Debian"; }
	fi
fi
static_busybox || fail "/bin/busybox is not the static busybox (install busybox-static)"
timing "host packages"

# ---- 2. Debian's kernel package, downloaded once and unpacked once.
if ! mkdir -p "$cache" || [ ! -w "$cache" ]; then
	fail "cannot write the package cache $cache (set VMFEX_QEMU_CACHE to another directory)"
fi
exec 9>"$cache/lock"
flock 9

kernel_package() {
	{ apt-cache depends linux-image-amd64 2>/dev/null || true; } |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }'
}
kpkg=$(kernel_package)
if [ -z "$kpkg" ]; then
	apt-get update -qq >/dev/null 2>&1 || true
	kpkg=$(kernel_package)
fi
if [ -z "$kpkg" ]; then
	# No package lists: an earlier download will do.
	deb=$(find "$cache" -maxdepth 1 -name 'linux-image-*-amd64_*.deb' | sort -V | tail -n 1)
	[ -n "$deb" ] || fail "cannot find Debian's linux-image-amd64 (apt-cache depends), and no kernel in $cache"
	echo "qemu-sriov: no package lists; using the cached $(basename "$deb")"
else
	deb=$(find "$cache" -maxdepth 1 -name "${kpkg}_*.deb" | sort -V | tail -n 1)
	if [ -z "$deb" ]; then
		echo "qemu-sriov: downloading $kpkg"
		# Stale package lists name a version the archive no longer has.
		(cd "$cache" && apt-get download -q "$kpkg" >"$work/download.log" 2>&1) ||
			{ apt-get update -qq >>"$work/download.log" 2>&1 &&
			  kpkg=$(kernel_package) && [ -n "$kpkg" ] &&
			  (cd "$cache" && apt-get download -q "$kpkg" >>"$work/download.log" 2>&1); } ||
			{ cat "$work/download.log" >&2; fail "cannot download $kpkg with apt-get download"; }
		deb=$(find "$cache" -maxdepth 1 -name "${kpkg}_*.deb" | sort -V | tail -n 1)
		[ -n "$deb" ] || fail "apt-get download left no ${kpkg}_*.deb in $cache"
	fi
fi
timing "kernel package ($(basename "$deb"))"

root=$cache/$(basename "$deb" .deb)
if [ ! -f "$root/.unpacked" ]; then
	echo "qemu-sriov: unpacking $(basename "$deb")"
	rm -rf "$root"
	dpkg-deb -x "$deb" "$root" || fail "cannot unpack $deb"
	kver=$(basename "$(find "$root/lib/modules" -mindepth 1 -maxdepth 1 -type d | head -n 1)")
	[ -n "$kver" ] || fail "$deb has no lib/modules/VERSION"
	depmod -b "$root" "$kver" || fail "depmod -b $root $kver failed"
	echo "$kver" >"$root/.unpacked"
	# Only the kernel in use is kept: each one is about 470 MB unpacked.
	find "$cache" -mindepth 1 -maxdepth 1 -name 'linux-image-*' \
		! -name "$(basename "$deb")" ! -name "$(basename "$root")" -exec rm -rf {} +
fi
kver=$(cat "$root/.unpacked")
vmlinuz=$root/boot/vmlinuz-$kver
[ -f "$vmlinuz" ] || fail "no $vmlinuz in $deb"
flock -u 9
timing "kernel $kver unpacked"

# ---- 3. The initramfs: busybox, the modules, the scenario and its libraries.
initrd=$work/initramfs
mkdir -p "$initrd"/{bin,lib/modules,lib64,proc,sys,dev,tmp}
cp /bin/busybox "$initrd/bin/busybox"
cp "$here/guest-init.sh" "$initrd/init"
chmod 755 "$initrd/init"
cp "$scenario" "$initrd/bin/sriov-scenario"

# Module paths in load order; "builtin" lines need nothing.
: >"$work/depends.txt"
for m in nvme vfio-pci vfio_iommu_type1; do
	modprobe -d "$root" -S "$kver" --show-depends "$m" >>"$work/depends.txt" ||
		fail "modprobe --show-depends $m failed on $root"
done
: >"$initrd/modules.order"
while read -r kind path args; do
	[ "$kind" = insmod ] || continue
	name=$(basename "$path")
	grep -q "^$name\b" "$initrd/modules.order" && continue
	case $name in
	*.ko) cp "$path" "$initrd/lib/modules/$name" ;;
	*.ko.xz) xz -dc "$path" >"$initrd/lib/modules/${name%.xz}"; name=${name%.xz} ;;
	*.ko.zst) zstd -qdc "$path" >"$initrd/lib/modules/${name%.zst}"; name=${name%.zst} ;;
	*) fail "unknown module file $path" ;;
	esac
	echo "$name $args" >>"$initrd/modules.order"
done <"$work/depends.txt"
for m in nvme-core.ko nvme.ko vfio.ko vfio-pci.ko vfio_iommu_type1.ko irqbypass.ko; do
	grep -q "^$m" "$initrd/modules.order" || fail "module $m not found in $kver"
done
echo "qemu-sriov: modules: $(cut -d' ' -f1 "$initrd/modules.order" | tr '\n' ' ')"

# The shared libraries ldd names, at the paths the loader looks them up.
ldd "$scenario" | awk '/=>/ { print $3 } /^[[:space:]]*\// { print $1 }' | sort -u |
while read -r lib; do
	[ -f "$lib" ] || continue
	mkdir -p "$initrd$(dirname "$lib")"
	cp -L "$lib" "$initrd$lib"
done
(cd "$initrd" && find . | cpio -o -H newc --quiet) >"$work/initramfs.cpio"
timing "initramfs ($(du -k "$work/initramfs.cpio" | cut -f1) KiB)"

# ---- 4. Boot: q35, TCG, an Intel IOMMU, NVMe with SR-IOV on a root port.
# QEMU's rules (hw/nvme, docs/system/devices/nvme.rst): SR-IOV needs an
# nvme-subsys; sriov_vq_flexible >= 2 * sriov_max_vfs,
# max_ioqpairs >= sriov_vq_flexible + 2, sriov_vi_flexible >= sriov_max_vfs,
# msix_qsize >= sriov_vi_flexible + 1.
vfs=8
qemu_log=$work/qemu.log
console=$work/console.log
raw=$work/transcript.raw
set +e
timeout 300 qemu-system-x86_64 \
	-nodefaults -display none -no-reboot \
	-machine q35 -accel tcg -cpu max -m 1024 -smp 1 \
	-device intel-iommu \
	-device pcie-root-port,id=rp0,bus=pcie.0,chassis=1,slot=1,addr=0x2 \
	-device nvme-subsys,id=subsys0,nqn=vmfex-sriov \
	-device nvme,id=nvme0,bus=rp0,serial=vmfex0,subsys=subsys0,sriov_max_vfs=$vfs,sriov_vq_flexible=$((2 * vfs)),sriov_vi_flexible=$vfs,max_ioqpairs=$((2 * vfs + 2)),msix_qsize=$((vfs + 1)) \
	-serial "file:$console" -serial "file:$raw" \
	-kernel "$vmlinuz" -initrd "$work/initramfs.cpio" \
	-append "console=ttyS0 intel_iommu=on panic=-1 rdinit=/init" \
	>"$qemu_log" 2>&1
qrc=$?
set -e
timing "guest boot and scenario (qemu exit $qrc)"
if [ $qrc -ne 0 ] || ! grep -q '^VMFEX-TRANSCRIPT-END' "$raw" 2>/dev/null; then
	echo "---- qemu output" >&2
	cat "$qemu_log" >&2
	echo "---- guest console (last 60 lines)" >&2
	tail -n 60 "$console" >&2 || true
	echo "---- transcript so far" >&2
	tr -d '\r' <"$raw" >&2 || true
	[ $qrc -ne 124 ] || fail "the guest did not finish within 300 s"
	fail "the guest did not run the scenario to its end (qemu exit status $qrc)"
fi
tr -d '\r' <"$raw" | sed -n '/^VMFEX-TRANSCRIPT-BEGIN$/,/^VMFEX-TRANSCRIPT-END/p' |
	sed '1d;$d' >"$work/kernel.txt"
grep -q '^VMFEX-TRANSCRIPT-END 0$' "$raw" ||
	echo "qemu-sriov: the scenario exited with $(tr -d '\r' <"$raw" | sed -n 's/^VMFEX-TRANSCRIPT-END //p') in the guest"
tr -d '\r' <"$console" | grep -E '^guest:|DMAR: IOMMU enabled|Linux version' || true

# ---- 5. The same scenario on the simulated host, and the comparison.
"$scenario" --sim "$desc" >"$work/sim.txt" 2>&1 || true
timing "simulated host"
echo "qemu-sriov: kernel transcript ($(wc -l <"$work/kernel.txt") lines):"
sed 's/^/| /' "$work/kernel.txt"
printf 'qemu-sriov: total %ds\n' $((SECONDS - start))
"$here/compare.sh" "$normalise" "$expected" kernel "$work/kernel.txt" simulated "$work/sim.txt"
