// SPDX-License-Identifier: LGPL-2.1-or-later

package vmfex

/*
#include <stdlib.h>
#include <libvmfex/libvmfex.h>
*/
import "C"

import (
	"runtime"
	"syscall"
	"time"
	"unsafe"
)

// PF is an SR-IOV physical function. Its properties are read when it is
// looked up; Refresh reads them again.
type PF struct {
	ctx *Context
	c   *C.struct_vmfex_pf
}

func newPF(ctx *Context, c *C.struct_vmfex_pf) *PF {
	p := &PF{ctx: ctx, c: c}
	runtime.SetFinalizer(p, (*PF).Close)
	return p
}

// Close releases the PF.
func (p *PF) Close() {
	p.ctx.mu.Lock()
	defer p.ctx.mu.Unlock()
	if p.c != nil {
		C.vmfex_pf_unref(p.c)
		p.c = nil
	}
}

func (p *PF) ptr() *C.struct_vmfex_pf {
	if p.c == nil {
		panic("vmfex: use of a closed PF")
	}
	return p.c
}

// PFs scans the host and returns its PFs, sorted by PCI address. A scan
// that fails is logged and gives the PFs found so far.
func (ctx *Context) PFs() []*PF {
	ctx.lock()
	defer ctx.unlock()
	var list []*PF
	for pf := C.vmfex_pf_next(ctx.ptr(), nil); pf != nil; pf = C.vmfex_pf_next(ctx.c, pf) {
		list = append(list, newPF(ctx, C.vmfex_pf_ref(pf)))
	}
	return list
}

func (ctx *Context) lookupPF(op string, name string,
	f func(*C.struct_vmfex_ctx, *C.char, **C.struct_vmfex_pf) C.int) (*PF, error) {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	var c *C.struct_vmfex_pf
	if _, err := ctx.do(op, func() C.int { return f(ctx.ptr(), cs, &c) }); err != nil {
		return nil, err
	}
	return newPF(ctx, c), nil
}

// PFByIfname looks a PF up by netdev name (ENODEV: no such netdev;
// ENOTSUP: not an SR-IOV function).
func (ctx *Context) PFByIfname(ifname string) (*PF, error) {
	return ctx.lookupPF("vmfex_pf_new_from_ifname", ifname,
		func(c *C.struct_vmfex_ctx, s *C.char, out **C.struct_vmfex_pf) C.int {
			return C.vmfex_pf_new_from_ifname(c, s, out)
		})
}

// PFByPCI looks a PF up by PCI address, "DDDD:BB:DD.F" or "BB:DD.F".
func (ctx *Context) PFByPCI(pci string) (*PF, error) {
	return ctx.lookupPF("vmfex_pf_new_from_pci", pci,
		func(c *C.struct_vmfex_ctx, s *C.char, out **C.struct_vmfex_pf) C.int {
			return C.vmfex_pf_new_from_pci(c, s, out)
		})
}

// PFByName looks a PF up by PCI address or netdev name, whichever name is.
func (ctx *Context) PFByName(name string) (*PF, error) {
	return ctx.lookupPF("vmfex_pf_new_from_name", name,
		func(c *C.struct_vmfex_ctx, s *C.char, out **C.struct_vmfex_pf) C.int {
			return C.vmfex_pf_new_from_name(c, s, out)
		})
}

// Context is the PF's context.
func (p *PF) Context() *Context { return p.ctx }

// Refresh reads the PF's properties and VFs from sysfs again.
func (p *PF) Refresh() error {
	_, err := p.ctx.do("vmfex_pf_refresh", func() C.int { return C.vmfex_pf_refresh(p.ptr()) })
	return err
}

func (p *PF) str(f func(*C.struct_vmfex_pf) *C.char) string {
	p.ctx.lock()
	defer p.ctx.unlock()
	return C.GoString(f(p.ptr()))
}

func (p *PF) u16(f func(*C.struct_vmfex_pf) C.uint16_t) uint16 {
	p.ctx.lock()
	defer p.ctx.unlock()
	return uint16(f(p.ptr()))
}

// PCI is the canonical PCI address, "dddd:bb:dd.f".
func (p *PF) PCI() string {
	return p.str(func(c *C.struct_vmfex_pf) *C.char { return C.vmfex_pf_get_pci(c) })
}

// Ifname is the netdev name, or "" without a netdev.
func (p *PF) Ifname() string {
	return p.str(func(c *C.struct_vmfex_pf) *C.char { return C.vmfex_pf_get_ifname(c) })
}

// Driver is the bound driver, or "" when none is.
func (p *PF) Driver() string {
	return p.str(func(c *C.struct_vmfex_pf) *C.char { return C.vmfex_pf_get_driver(c) })
}

// VendorName is the pci.ids vendor name, or "" when unknown.
func (p *PF) VendorName() string {
	return p.str(func(c *C.struct_vmfex_pf) *C.char { return C.vmfex_pf_read_vendor_name(c) })
}

// DeviceName is the pci.ids device name, or "" when unknown.
func (p *PF) DeviceName() string {
	return p.str(func(c *C.struct_vmfex_pf) *C.char { return C.vmfex_pf_read_device_name(c) })
}

// Model is the pci.ids subsystem name, e.g. "VIC 1240 MLOM Ethernet NIC",
// or "" when unknown.
func (p *PF) Model() string {
	return p.str(func(c *C.struct_vmfex_pf) *C.char { return C.vmfex_pf_read_model(c) })
}

// VendorID is the PCI vendor id (0x1137 for Cisco).
func (p *PF) VendorID() uint16 {
	return p.u16(func(c *C.struct_vmfex_pf) C.uint16_t { return C.vmfex_pf_get_vendor_id(c) })
}

// DeviceID is the PCI device id.
func (p *PF) DeviceID() uint16 {
	return p.u16(func(c *C.struct_vmfex_pf) C.uint16_t { return C.vmfex_pf_get_device_id(c) })
}

// SubsystemVendorID is the PCI subsystem vendor id.
func (p *PF) SubsystemVendorID() uint16 {
	return p.u16(func(c *C.struct_vmfex_pf) C.uint16_t { return C.vmfex_pf_get_subsystem_vendor_id(c) })
}

// SubsystemDeviceID is the PCI subsystem device id (a VIC's model).
func (p *PF) SubsystemDeviceID() uint16 {
	return p.u16(func(c *C.struct_vmfex_pf) C.uint16_t { return C.vmfex_pf_get_subsystem_device_id(c) })
}

// IsVIC says whether the PF is a Cisco VIC Ethernet function.
func (p *PF) IsVIC() bool {
	p.ctx.lock()
	defer p.ctx.unlock()
	return bool(C.vmfex_pf_is_vic(p.ptr()))
}

// TotalVFs is the number of VFs the device supports.
func (p *PF) TotalVFs() int {
	p.ctx.lock()
	defer p.ctx.unlock()
	return int(C.vmfex_pf_get_total_vfs(p.ptr()))
}

// NumVFs is the number of enabled VFs, as last read.
func (p *PF) NumVFs() int {
	p.ctx.lock()
	defer p.ctx.unlock()
	return int(C.vmfex_pf_get_num_vfs(p.ptr()))
}

// VFs are the PF's VFs by index, as found by its last scan.
func (p *PF) VFs() []*VF {
	p.ctx.lock()
	defer p.ctx.unlock()
	var list []*VF
	for vf := C.vmfex_pf_next_vf(p.ptr(), nil); vf != nil; vf = C.vmfex_pf_next_vf(p.c, vf) {
		list = append(list, newVF(p.ctx, C.vmfex_vf_ref(vf)))
	}
	return list
}

// VF is the VF of a given index (ENOENT when there is none).
func (p *PF) VF(index int) (*VF, error) {
	var c *C.struct_vmfex_vf
	if _, err := p.ctx.do("vmfex_pf_lookup_vf", func() C.int {
		return C.vmfex_pf_lookup_vf(p.ptr(), C.uint(index), &c)
	}); err != nil {
		return nil, err
	}
	return newVF(p.ctx, c), nil
}

// Autoprobe is the host drivers' probing of new VFs.
type Autoprobe int

// Autoprobe settings.
const (
	AutoprobeKeep Autoprobe = C.VMFEX_AUTOPROBE_KEEP
	AutoprobeOn   Autoprobe = C.VMFEX_AUTOPROBE_ON
	AutoprobeOff  Autoprobe = C.VMFEX_AUTOPROBE_OFF
)

// SetNumVFsOptions are the options of SetNumVFs.
type SetNumVFsOptions struct {
	Timeout   time.Duration // how long to wait for the VFs (0: 5 s)
	Autoprobe Autoprobe     // written to sriov_drivers_autoprobe first
}

// SetNumVFs changes the number of enabled VFs (0 disables SR-IOV) and
// rescans the PF. Errors: ERANGE above TotalVFs; ENOENT when the driver
// cannot change the count (enic enables its VFs at probe); ETIMEDOUT.
func (p *PF) SetNumVFs(n int, opts *SetNumVFsOptions) error {
	if n < 0 {
		return &Error{Op: "vmfex_pf_set_num_vfs", Errno: syscall.ERANGE, Msg: "negative VF count"}
	}
	var o C.struct_vmfex_set_num_vfs_opts
	o.sz = C.size_t(unsafe.Sizeof(o))
	if opts != nil {
		o.timeout_ms = C.uint(opts.Timeout.Milliseconds())
		o.autoprobe = C.enum_vmfex_autoprobe(opts.Autoprobe)
	}
	_, err := p.ctx.do("vmfex_pf_set_num_vfs", func() C.int {
		return C.vmfex_pf_set_num_vfs(p.ptr(), C.uint(n), &o)
	})
	return err
}
