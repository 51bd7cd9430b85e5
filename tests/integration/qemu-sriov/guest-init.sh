#!/bin/busybox sh
# shellcheck shell=dash
# SPDX-License-Identifier: LGPL-2.1-or-later
# /init of the QEMU guest: load the modules, wait for the NVMe PF's
# driver, run the scenario with its transcript on the second serial port
# (the kernel's console is the first), then power off.
/bin/busybox mkdir -p /proc /sys /dev /tmp /usr/bin /usr/sbin /sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
out=/dev/ttyS1

echo "guest: kernel $(uname -r)"
# In dependency order, as modprobe --show-depends gave it on the host.
while read -r mod args; do
	# shellcheck disable=SC2086
	insmod "/lib/modules/$mod" $args || echo "guest: insmod $mod failed"
done </modules.order

# nvme may probe asynchronously: wait (bounded) for an SR-IOV PF with a driver.
pf=""
i=0
while [ $i -lt 300 ]; do
	for d in /sys/bus/pci/devices/*; do
		if [ -f "$d/sriov_totalvfs" ] && [ -e "$d/driver" ]; then
			pf=${d##*/}
		fi
	done
	[ -n "$pf" ] && break
	sleep 0.1
	i=$((i + 1))
done
echo "guest: SR-IOV PF: ${pf:-none} after $i waits"
echo "guest: $(find /sys/kernel/iommu_groups -mindepth 1 -maxdepth 1 | wc -l) IOMMU groups"

echo "VMFEX-TRANSCRIPT-BEGIN" >$out
/bin/sriov-scenario >$out 2>&1
rc=$?
echo "VMFEX-TRANSCRIPT-END $rc" >$out
echo "guest: scenario exited with $rc"
sync
poweroff -f
