#!/bin/sh
# The Go binding against the library of this build directory, without
# installing it: go vet and go test of bindings/go, then the Go examples
# built and run on simulated hosts. Exit 77 (skipped) without a Go compiler.
set -eu

if ! command -v go >/dev/null 2>&1; then
	echo "SKIP: no go compiler (Debian: apt-get install golang-go)"
	exit 77
fi

src=${VMFEX_SRCDIR:-$(cd "$(dirname "$0")/../../.." && pwd)}
build=${VMFEX_BUILDDIR:?VMFEX_BUILDDIR is not set}
work=$build/tests/bindings/go

# A library built with sanitizers needs their runtime loaded first, which a
# Go test binary does not do; the plain build tests the binding.
lib=$(ls "$build"/lib/libvmfex.so.* 2>/dev/null | head -n 1)
if [ -n "$lib" ] && readelf -d "$lib" 2>/dev/null | grep -Eq 'lib(a|ub|t)san'; then
	echo "SKIP: $lib is built with sanitizers; the Go binding is tested against a plain build"
	exit 77
fi
mkdir -p "$work/home" "$work/bin"

# Go's caches in the build directory; the standard library only, offline.
export HOME="$work/home" GOCACHE="$work/gocache" GOPATH="$work/gopath"
export GOPROXY=off GOFLAGS=-mod=mod GO111MODULE=on GOTOOLCHAIN=local
# libvmfex.pc of the build directory, and the library it names at run time.
export PKG_CONFIG_PATH="$build/meson-uninstalled${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
export LD_LIBRARY_PATH="$build/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# The uninstalled libvmfex.pc has no -I for include/ (the public headers).
export CGO_CFLAGS="-I$src/include ${CGO_CFLAGS:--O2 -g}"
export CGO_ENABLED=1
go version

echo "# go vet (bindings/go)"
cd "$src/bindings/go"
go vet ./...
echo "# go test (bindings/go)"
go test -count=1 -v ./... 2>&1 | tee "$work/go-test.log" | grep -E '^(---|ok|FAIL|PASS|panic)' || true
grep -q '^ok' "$work/go-test.log" || { cat "$work/go-test.log"; exit 1; }
# The tests of goroutines sharing contexts again under the race detector,
# where this Go has one (it needs cgo and a race runtime for the platform).
if go test -race -count=1 -run '^$' . >/dev/null 2>&1; then
	echo "# go test -race (bindings/go, concurrency)"
	go test -race -count=1 -v -run 'TestManyOppositeOrders' . 2>&1 | tee "$work/go-race.log" |
		grep -E '^(---|ok|FAIL|PASS|panic|WARNING: DATA RACE)' || true
	grep -q '^ok' "$work/go-race.log" || { cat "$work/go-race.log"; exit 1; }
else
	echo "# go test -race: not available here, skipped"
fi

echo "# go vet and build (examples/go)"
cd "$src/examples/go"
go vet ./...
go build -o "$work/bin/" ./...

hosts=$src/examples/hosts
echo "# example: inventory"
"$work/bin/inventory" -host "$hosts/ucs-b200-vic1240.json" >"$work/inventory.out"
cat "$work/inventory.out"
grep -q '^0000:0a:00.0 enp10s0f0 Cisco VIC driver=enic 1137:0043 VFs 16/16$' "$work/inventory.out"
test "$(grep -c '^  vf ' "$work/inventory.out")" -eq 32
"$work/bin/inventory" -host "$hosts/mixed-82599-virtio.json" | grep -q '^0000:03:00.0 enp3s0f0 SR-IOV driver=ixgbe 8086:10fb VFs 0/63$'

echo "# example: associate"
"$work/bin/associate" -host "$hosts/ucs-b200-vic1240.json" -pf enp10s0f0 -vf 3 \
	-profile pp-vlan-25 -latency 30ms >"$work/associate.out"
cat "$work/associate.out"
grep -q '^VF 3 of enp10s0f0 associated with pp-vlan-25' "$work/associate.out"
grep -q 'profile=pp-vlan-25 instance=8a6a0f55-0d9b-4a5b-9a8e-6f1c2b3d4e5f host=4c4c4544-0042-4810-8052-b4c04f4d3132 request=ASSOCIATE response=SUCCESS mac=52:54:00:ac:ff:b6' "$work/associate.out"
grep -q '^after disassociate: DISASSOCIATE SUCCESS$' "$work/associate.out"
# A failure is a message and a non-zero exit, not a crash.
if "$work/bin/associate" -host "$hosts/ucs-b200-vic1240.json" -vf 99 2>"$work/associate.err"; then
	echo "associate -vf 99 succeeded"; exit 1
fi
grep -q 'no such file or directory' "$work/associate.err"
echo "# go binding: all passed"
