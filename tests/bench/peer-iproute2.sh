#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# iproute2's decode of one RTM_NEWLINK saved by bench-rtnl: `ip -d monitor
# file` reads saved netlink messages and prints them as `ip -d link show`
# would. Usage: peer-iproute2.sh FILE PF VFS
# Prints the microseconds of one `ip` process (start-up included) and how
# many of the VFS VFs it printed with the MAC bench-rtnl gave them; -1 for
# the time when ip refused the message.
set -eu
file=$1 pf=$2 vfs=$3
command -v ip >/dev/null
start=$(date +%s%N)
# ip refuses a message over 16 KiB, its buffer for saved messages (iproute2 6.1:
# "!!!malformed message") and then exits 0 having printed nothing.
out=$(ip -d monitor file "$file" 2>&1) || true
end=$(date +%s%N)
case $out in
*'malformed message'*) echo "-1 0"; exit 0 ;;
esac
printf '%s\n' "$out" | awk -v pf="$pf" -v vfs="$vfs" -v us=$(( (end - start) / 1000 )) '
	$1 == "vf" && $3 == "link/ether" {
		i = $2 + 0
		want = sprintf("52:54:%02x:%02x:%02x:%02x", pf, int(i / 65536) % 256,
		               int(i / 256) % 256, i % 256)
		if (i < vfs && $4 == want && !(i in seen)) { seen[i] = 1; ok++ }
	}
	END { printf "%d %d\n", us, ok }'
