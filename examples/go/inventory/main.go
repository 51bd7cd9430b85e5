// SPDX-License-Identifier: LGPL-2.1-or-later

// Inventory lists the host's SR-IOV PFs and their VFs, the way a
// Kubernetes SR-IOV device plugin discovers them.
//
//	inventory                         # the real host (or $VMFEX_SIM)
//	inventory -host examples/hosts/ucs-b200-vic1240.json
//
// With -host, a simulated host is made from the description in a temporary
// directory first.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

	vmfex "github.com/libvmfex/libvmfex/bindings/go"
)

func main() {
	host := flag.String("host", "", "simulated host description (JSON)")
	flag.Parse()
	logger := log.New(os.Stderr, "inventory: ", 0)

	var opts []vmfex.Option
	if *host != "" {
		tmp, err := os.MkdirTemp("", "vmfex-host-")
		if err != nil {
			logger.Fatal(err)
		}
		defer os.RemoveAll(tmp)
		dir := filepath.Join(tmp, "host")
		mk, err := vmfex.New(vmfex.WithLogger(logger))
		if err != nil {
			logger.Fatal(err)
		}
		if err := mk.SimCreate(dir, *host); err != nil {
			logger.Fatal(err)
		}
		mk.Close()
		opts = append(opts, vmfex.WithSimDir(dir))
	}
	ctx, err := vmfex.New(append(opts, vmfex.WithLogger(logger))...)
	if err != nil {
		logger.Fatal(err)
	}
	defer ctx.Close()

	for _, pf := range ctx.PFs() {
		kind := "SR-IOV"
		if pf.IsVIC() {
			kind = "Cisco VIC"
		}
		fmt.Printf("%s %s %s driver=%s %04x:%04x VFs %d/%d\n", pf.PCI(), pf.Ifname(), kind,
			pf.Driver(), pf.VendorID(), pf.DeviceID(), pf.NumVFs(), pf.TotalVFs())
		for _, vf := range pf.VFs() {
			fmt.Printf("  vf %d %s %s driver=%s\n", vf.Index(), vf.PCI(), vf.Ifname(), vf.Driver())
			vf.Close()
		}
		pf.Close()
	}
}
