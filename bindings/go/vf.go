// SPDX-License-Identifier: LGPL-2.1-or-later

package vmfex

/*
#include <stdlib.h>
#include <libvmfex/libvmfex.h>
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// VF is an SR-IOV virtual function. It keeps its PF alive.
type VF struct {
	ctx *Context
	c   *C.struct_vmfex_vf
}

func newVF(ctx *Context, c *C.struct_vmfex_vf) *VF {
	v := &VF{ctx: ctx, c: c}
	runtime.SetFinalizer(v, (*VF).Close)
	return v
}

// Close releases the VF.
func (v *VF) Close() {
	v.ctx.mu.Lock()
	defer v.ctx.mu.Unlock()
	if v.c != nil {
		C.vmfex_vf_unref(v.c)
		v.c = nil
	}
}

func (v *VF) ptr() *C.struct_vmfex_vf {
	if v.c == nil {
		panic("vmfex: use of a closed VF")
	}
	return v.c
}

func (ctx *Context) lookupVF(op, name string,
	f func(*C.struct_vmfex_ctx, *C.char, **C.struct_vmfex_vf) C.int) (*VF, error) {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	var c *C.struct_vmfex_vf
	if _, err := ctx.do(op, func() C.int { return f(ctx.ptr(), cs, &c) }); err != nil {
		return nil, err
	}
	return newVF(ctx, c), nil
}

// VFByPCI looks a VF up by PCI address (ENOTSUP: not a VF).
func (ctx *Context) VFByPCI(pci string) (*VF, error) {
	return ctx.lookupVF("vmfex_vf_new_from_pci", pci,
		func(c *C.struct_vmfex_ctx, s *C.char, out **C.struct_vmfex_vf) C.int {
			return C.vmfex_vf_new_from_pci(c, s, out)
		})
}

// VFByIfname looks a VF up by netdev name (ENOTSUP: not a VF).
func (ctx *Context) VFByIfname(ifname string) (*VF, error) {
	return ctx.lookupVF("vmfex_vf_new_from_ifname", ifname,
		func(c *C.struct_vmfex_ctx, s *C.char, out **C.struct_vmfex_vf) C.int {
			return C.vmfex_vf_new_from_ifname(c, s, out)
		})
}

// PF is the VF's physical function (a new handle).
func (v *VF) PF() *PF {
	v.ctx.lock()
	defer v.ctx.unlock()
	return newPF(v.ctx, C.vmfex_pf_ref(C.vmfex_vf_get_pf(v.ptr())))
}

// Index is the VF index, the N of the PF's virtfnN link.
func (v *VF) Index() int {
	v.ctx.lock()
	defer v.ctx.unlock()
	return int(C.vmfex_vf_get_index(v.ptr()))
}

func (v *VF) str(f func(*C.struct_vmfex_vf) *C.char) string {
	v.ctx.lock()
	defer v.ctx.unlock()
	return C.GoString(f(v.ptr()))
}

// PCI is the canonical PCI address.
func (v *VF) PCI() string {
	return v.str(func(c *C.struct_vmfex_vf) *C.char { return C.vmfex_vf_get_pci(c) })
}

// Ifname is the netdev name, or "" (no netdev: bound to vfio-pci, say).
func (v *VF) Ifname() string {
	return v.str(func(c *C.struct_vmfex_vf) *C.char { return C.vmfex_vf_get_ifname(c) })
}

// Driver is the bound driver, or "".
func (v *VF) Driver() string {
	return v.str(func(c *C.struct_vmfex_vf) *C.char { return C.vmfex_vf_get_driver(c) })
}

// DeviceID is the PCI device id (0x0071 for a VIC VM-FEX VF).
func (v *VF) DeviceID() uint16 {
	v.ctx.lock()
	defer v.ctx.unlock()
	return uint16(C.vmfex_vf_get_device_id(v.ptr()))
}

// BindDriver binds the VF to a driver (e.g. "vfio-pci"), or with "" gives
// it back to its default driver. ENXIO: the driver did not bind.
func (v *VF) BindDriver(driver string) error {
	cs := cstr(driver)
	defer cfree(cs)
	_, err := v.ctx.do("vmfex_vf_bind_driver", func() C.int { return C.vmfex_vf_bind_driver(v.ptr(), cs) })
	return err
}

// Refresh reads the VF's driver and netdev again (ENODEV: gone).
func (v *VF) Refresh() error {
	_, err := v.ctx.do("vmfex_vf_refresh", func() C.int { return C.vmfex_vf_refresh(v.ptr()) })
	return err
}

// SetMAC sets the VF's MAC address through its PF.
func (v *VF) SetMAC(mac string) error {
	cs := C.CString(mac)
	defer C.free(unsafe.Pointer(cs))
	_, err := v.ctx.do("vmfex_vf_set_mac", func() C.int { return C.vmfex_vf_set_mac(v.ptr(), cs) })
	return err
}

// VLAN protocols for SetVLAN.
const (
	VLANProto8021Q  uint16 = 0x8100
	VLANProto8021AD uint16 = 0x88a8
)

// SetVLAN sets the VF's VLAN (0: none), priority and protocol (0: 802.1Q).
func (v *VF) SetVLAN(vlan, qos int, proto uint16) error {
	if vlan < 0 || qos < 0 {
		return &Error{Op: "vmfex_vf_set_vlan", Errno: einval, Msg: "negative VLAN or QoS"}
	}
	_, err := v.ctx.do("vmfex_vf_set_vlan", func() C.int {
		return C.vmfex_vf_set_vlan(v.ptr(), C.uint(vlan), C.uint(qos), C.uint16_t(proto))
	})
	return err
}

// SetSpoofChk turns MAC spoof checking on or off.
func (v *VF) SetSpoofChk(on bool) error {
	_, err := v.ctx.do("vmfex_vf_set_spoofchk", func() C.int { return C.vmfex_vf_set_spoofchk(v.ptr(), C.bool(on)) })
	return err
}

// SetTrust trusts the VF or not.
func (v *VF) SetTrust(on bool) error {
	_, err := v.ctx.do("vmfex_vf_set_trust", func() C.int { return C.vmfex_vf_set_trust(v.ptr(), C.bool(on)) })
	return err
}

// SetLinkState sets the VF's administrative link state.
func (v *VF) SetLinkState(s LinkState) error {
	_, err := v.ctx.do("vmfex_vf_set_link_state", func() C.int { return C.vmfex_vf_set_link_state(v.ptr(), C.int(s)) })
	return err
}

// SetRate sets the VF's minimum and maximum TX rates in Mbit/s (0: none).
func (v *VF) SetRate(minMbps, maxMbps uint32) error {
	_, err := v.ctx.do("vmfex_vf_set_rate", func() C.int {
		return C.vmfex_vf_set_rate(v.ptr(), C.uint32_t(minMbps), C.uint32_t(maxMbps))
	})
	return err
}
