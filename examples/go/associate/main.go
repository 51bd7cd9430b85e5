// SPDX-License-Identifier: LGPL-2.1-or-later

// Associate gives a VF's 802.1Qbh port a port profile, waits for the
// adapter and prints the port's state, then disassociates it.
//
//	associate -host examples/hosts/ucs-b200-vic1240.json -pf enp10s0f0 -vf 3 \
//	          -profile pp-vlan-25 -vm 8a6a0f55-0d9b-4a5b-9a8e-6f1c2b3d4e5f
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"syscall"
	"time"

	vmfex "github.com/libvmfex/libvmfex/bindings/go"
)

func main() {
	host := flag.String("host", "", "simulated host description (JSON); default: this host")
	pfName := flag.String("pf", "enp10s0f0", "the PF (netdev or PCI address)")
	index := flag.Int("vf", 0, "the VF index")
	profile := flag.String("profile", "pp-vlan-25", "the port profile")
	vm := flag.String("vm", "8a6a0f55-0d9b-4a5b-9a8e-6f1c2b3d4e5f", "the VM's UUID")
	mac := flag.String("mac", "52:54:00:ac:ff:b6", "the VM interface's MAC")
	latency := flag.Duration("latency", 50*time.Millisecond, "simulated adapter latency")
	flag.Parse()
	logger := log.New(os.Stderr, "associate: ", 0)

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
	if *host != "" {
		if err := ctx.SetSimLatency(*latency); err != nil {
			logger.Fatal(err)
		}
	}

	pf, err := ctx.PFByName(*pfName)
	if err != nil {
		logger.Fatal(err)
	}
	vf, err := pf.VF(*index)
	if err != nil {
		logger.Fatal(err)
	}
	port, err := vf.Port()
	if err != nil {
		logger.Fatal(err)
	}
	defer port.Close()

	start := time.Now()
	err = port.Associate(vmfex.PortOptions{Profile: *profile, InstanceUUID: *vm, MAC: *mac})
	switch {
	case errors.Is(err, syscall.ETIMEDOUT):
		logger.Fatalf("the adapter did not answer in time: %v", err)
	case err != nil:
		logger.Fatalf("%v (adapter: %v)", err, port.LastResponse())
	}
	fmt.Printf("VF %d of %s associated with %s in %v\n", *index, port.Ifname(), *profile,
		time.Since(start).Round(time.Millisecond))

	link, err := pf.ReadLink()
	if err != nil {
		logger.Fatal(err)
	}
	if v := link.VF(*index); v != nil && v.Port != nil {
		fmt.Printf("port: profile=%s instance=%s host=%s request=%v response=%v mac=%s\n",
			v.Port.Profile, v.Port.InstanceUUID, v.Port.HostUUID, v.Port.Request, v.Port.Response, v.MAC)
	}
	link.Close()

	if err := port.Disassociate(nil); err != nil {
		logger.Fatal(err)
	}
	req, resp, err := port.ReadStatus()
	if err != nil {
		logger.Fatal(err)
	}
	fmt.Printf("after disassociate: %v %v\n", req, resp)
}
