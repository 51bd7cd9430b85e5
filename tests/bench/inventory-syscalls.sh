#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# System calls per VF of a full inventory (see bench-inventory.c).
#
# Usage: inventory-syscalls.sh [BENCH [DESCRIPTION]]
#   BENCH        the bench-inventory program
#                (default: $VMFEX_BUILDDIR/tests/bench/bench-inventory)
#   DESCRIPTION  host description (default: examples/hosts/large-4x256.json)
#
# The simulated host is created once beforehand. Then the benchmark runs
# under `strace -f -c` with 0 inventories (setup only) and with 1, and
# (calls_1 - calls_0) / VFs is printed, with the calls that make the
# difference, twice: for the first inventory of a context (which loads
# pci.ids) and for a later one (after one untimed warm-up inventory).
# Exit status 77 (skipped) without strace or where ptrace is refused.
set -eu

bench=${1:-${VMFEX_BUILDDIR:-.}/tests/bench/bench-inventory}
srcdir=${VMFEX_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
desc=${2:-$srcdir/examples/hosts/large-4x256.json}

if ! command -v strace >/dev/null 2>&1; then
	echo "strace not found; skipped"
	exit 77
fi
if ! strace -f -c -o /dev/null true >/dev/null 2>&1; then
	echo "strace cannot trace here (ptrace refused?); skipped"
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmfex-syscalls.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
"$bench" --create "$tmp/host" --description "$desc" --iterations 0 --expect-vfs -1 >/dev/null

# strace -c tables: "% time seconds usecs/call calls [errors] syscall";
# prints "syscall calls" lines, and "total N" last.
table() {
	awk '/^-/ { next }
	     $1 ~ /^[0-9.]+$/ { print $NF, $4 }' "$1"
}

# run WARMUP ITERATIONS NAME: strace the benchmark, keep its table.
run() {
	strace -f -c -o "$tmp/$3.strace" \
		"$bench" --sim "$tmp/host" --warmup "$1" --iterations "$2" --expect-vfs -1 \
		>"$tmp/$3.out"
	table "$tmp/$3.strace" >"$tmp/$3.calls"
}

report() {
	label=$1 warmup=$2
	run "$warmup" 0 "w${warmup}i0"
	run "$warmup" 1 "w${warmup}i1"
	vfs=$(awk '/^vfs:/ { print $2 }' "$tmp/w${warmup}i1.out")
	c0=$(awk '$1 == "total" { print $2 }' "$tmp/w${warmup}i0.calls")
	c1=$(awk '$1 == "total" { print $2 }' "$tmp/w${warmup}i1.calls")
	if [ -z "$vfs" ] || [ "$vfs" -eq 0 ]; then
		echo "no VFs seen; see $tmp/w${warmup}i1.out" >&2
		exit 1
	fi
	echo "$label: $c1 - $c0 = $((c1 - c0)) system calls for $vfs VFs:" \
		"$(awk -v d=$((c1 - c0)) -v n="$vfs" 'BEGIN { printf "%.2f", d / n }') per VF"
	# Per call: the difference, largest first.
	awk -v n="$vfs" '
		FNR == NR { base[$1] = $2; next }
		$1 != "total" { d = $2 - base[$1]; if (d != 0) printf "  %-16s %8d  %6.2f per VF\n", $1, d, d / n }
	' "$tmp/w${warmup}i0.calls" "$tmp/w${warmup}i1.calls" | sort -k2,2nr
}

report "first inventory of a context" 0
report "later inventory (after 1 warm-up)" 1
