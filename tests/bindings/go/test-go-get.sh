#!/bin/sh
# `go get` of the Go binding by its module path, in a fresh module, from a
# module proxy directory written by tools/go-proxy-dir.py: no network, no
# replace directive. The program built then runs against this build's
# library, and a failure it handles leaves standard error empty (the
# binding's default log does not repeat errors it returns). Exit 77
# (skipped) without a Go compiler.
set -eu

if ! command -v go >/dev/null 2>&1; then
	echo "SKIP: no go compiler (Debian: apt-get install golang-go)"
	exit 77
fi
src=${VMFEX_SRCDIR:?VMFEX_SRCDIR is not set}
build=${VMFEX_BUILDDIR:?VMFEX_BUILDDIR is not set}
lib=$(ls "$build"/lib/libvmfex.so.* 2>/dev/null | head -n 1)
if [ -n "$lib" ] && readelf -d "$lib" 2>/dev/null | grep -Eq 'lib(a|ub|t)san'; then
	echo "SKIP: $lib is built with sanitizers; the Go binding is tested against a plain build"
	exit 77
fi
work=$build/tests/bindings/go-get
# A fresh module cache: the module is fetched from the proxy every time
# (Go leaves it read-only). A fresh build cache too: Go 1.19 reused a
# kept one whose standard-library entries it could no longer open
# ("could not import sort (open : no such file or directory)").
chmod -R u+w "$work/gopath" 2>/dev/null || true
rm -rf "$work/proxy" "$work/app" "$work/gopath" "$work/gocache"
mkdir -p "$work/home" "$work/app"
module=$(sed -n 's/^module[[:space:]]*//p' "$src/bindings/go/go.mod")
version=v$(sed -n "s/^[[:space:]]*version[[:space:]]*:[[:space:]]*'\([^']*\)'.*/\1/p" "$src/meson.build" | head -n 1)

python3 "$src/tools/go-proxy-dir.py" "$work/proxy" "$version"

export HOME="$work/home" GOCACHE="$work/gocache" GOPATH="$work/gopath"
export GOPROXY="file://$work/proxy" GOFLAGS=-mod=mod GO111MODULE=on GOTOOLCHAIN=local
# A module of this tree is in no checksum database.
export GONOSUMDB="$module" GONOSUMCHECK=1 GOSUMDB=off GOPRIVATE=
export PKG_CONFIG_PATH="$build/meson-uninstalled${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
export LD_LIBRARY_PATH="$build/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export CGO_CFLAGS="-I$src/include ${CGO_CFLAGS:--O2 -g}" CGO_ENABLED=1

cd "$work/app"
go mod init example.com/app
cat >main.go <<GO
package main

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	vmfex "$module"
)

func main() {
	ctx, err := vmfex.New(vmfex.IgnoreEnv())
	if err != nil {
		panic(err)
	}
	defer ctx.Close()
	if err := ctx.SimCreate(os.Args[1], os.Args[2]); err != nil {
		panic(err)
	}
	sim, err := vmfex.New(vmfex.WithSimDir(os.Args[1]))
	if err != nil {
		panic(err)
	}
	defer sim.Close()
	fmt.Println("version", vmfex.Version(), "PFs", len(sim.PFs()))
	_, err = sim.PFByName("no-such-pf")
	fmt.Println("handled:", errors.Is(err, syscall.ENODEV) || errors.Is(err, syscall.ENOENT), err)
}
GO
go get "$module@$version"
grep -q "^require $module $version" go.mod
go build -o app .
./app "$work/host" "$src/examples/hosts/ucs-b200-vic1240.json" >out 2>err || { cat out err; exit 1; }
rm -rf "$work/host"
cat out
grep -q '^version .* PFs 2$' out
grep -q '^handled: true' out
if [ -s err ]; then
	echo "standard error should be empty:"
	cat err
	exit 1
fi
echo "ok: go get $module@$version"
