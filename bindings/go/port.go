// SPDX-License-Identifier: LGPL-2.1-or-later

package vmfex

/*
#include <stdlib.h>
#include <libvmfex/libvmfex.h>
*/
import "C"

import (
	"runtime"
	"sort"
	"time"
	"unsafe"
)

// Port is an 802.1Qbh port: a VF's, or a netdev's own.
type Port struct {
	ctx *Context
	c   *C.struct_vmfex_port
}

func newPort(ctx *Context, c *C.struct_vmfex_port) *Port {
	p := &Port{ctx: ctx, c: c}
	runtime.SetFinalizer(p, (*Port).Close)
	return p
}

// Close releases the port.
func (p *Port) Close() {
	p.ctx.mu.Lock()
	defer p.ctx.mu.Unlock()
	if p.c != nil {
		C.vmfex_port_unref(p.c)
		p.c = nil
	}
}

func (p *Port) ptr() *C.struct_vmfex_port {
	if p.c == nil {
		panic("vmfex: use of a closed Port")
	}
	return p.c
}

// Port is the VF's 802.1Qbh port (requests go to its PF).
func (v *VF) Port() (*Port, error) {
	var c *C.struct_vmfex_port
	if _, err := v.ctx.do("vmfex_port_new_from_vf", func() C.int { return C.vmfex_port_new_from_vf(v.ptr(), &c) }); err != nil {
		return nil, err
	}
	return newPort(v.ctx, c), nil
}

// SelfPort is a netdev's own port (IFLA_PORT_SELF); name is a netdev or a
// PCI function with one.
func (ctx *Context) SelfPort(name string) (*Port, error) {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	var c *C.struct_vmfex_port
	if _, err := ctx.do("vmfex_port_new_self", func() C.int { return C.vmfex_port_new_self(ctx.ptr(), cs, &c) }); err != nil {
		return nil, err
	}
	return newPort(ctx, c), nil
}

// Ifname is the netdev requests are sent to: the PF's for a VF port.
func (p *Port) Ifname() string {
	p.ctx.lock()
	defer p.ctx.unlock()
	return C.GoString(C.vmfex_port_get_ifname(p.ptr()))
}

// VFIndex is the port's VF index, or -1 for a netdev's own port.
func (p *Port) VFIndex() int {
	p.ctx.lock()
	defer p.ctx.unlock()
	return int(C.vmfex_port_get_vf_index(p.ptr()))
}

// PortOptions are the options of port requests.
type PortOptions struct {
	Profile      string        // port profile, 1-39 characters; needed to (pre)associate
	InstanceUUID string        // the VM's UUID; needed to (pre)associate
	HostUUID     string        // "": the host's DMI product UUID, else from machine-id
	MAC          string        // a MAC to set in the same message, or ""
	Timeout      time.Duration // wait for the adapter (0: 10 s)
	NoWait       bool          // return once the kernel took the request
}

// cOpts fills a C options structure in C memory; free releases it.
func (o *PortOptions) cOpts() (*C.struct_vmfex_port_opts, func()) {
	if o == nil {
		return nil, func() {}
	}
	c := (*C.struct_vmfex_port_opts)(C.calloc(1, C.size_t(unsafe.Sizeof(C.struct_vmfex_port_opts{}))))
	c.sz = C.size_t(unsafe.Sizeof(*c))
	c.profile = cstr(o.Profile)
	c.instance_uuid = cstr(o.InstanceUUID)
	c.host_uuid = cstr(o.HostUUID)
	c.mac = cstr(o.MAC)
	c.timeout_ms = C.uint(o.Timeout.Milliseconds())
	c.no_wait = C.bool(o.NoWait)
	return c, func() {
		cfree(c.profile)
		cfree(c.instance_uuid)
		cfree(c.host_uuid)
		cfree(c.mac)
		C.free(unsafe.Pointer(c))
	}
}

func (p *Port) request(op string, o *PortOptions,
	f func(*C.struct_vmfex_port, *C.struct_vmfex_port_opts) C.int) error {
	c, free := o.cOpts()
	defer free()
	_, err := p.ctx.do(op, func() C.int { return f(p.ptr(), c) })
	return err
}

// Associate associates the port with a profile and waits for the adapter.
// An adapter's refusal comes back as EINVAL (INVALID), EBADE (BADSTATE),
// ENOSPC (INSUFFICIENT_RESOURCES) or EIO (ERROR); see LastResponse.
func (p *Port) Associate(o PortOptions) error {
	return p.request("vmfex_port_associate", &o, func(c *C.struct_vmfex_port, co *C.struct_vmfex_port_opts) C.int {
		return C.vmfex_port_associate(c, co)
	})
}

// Preassociate pre-associates with resource reservation, as on the
// destination host of a migration.
func (p *Port) Preassociate(o PortOptions) error {
	return p.request("vmfex_port_preassociate", &o, func(c *C.struct_vmfex_port, co *C.struct_vmfex_port_opts) C.int {
		return C.vmfex_port_preassociate(c, co)
	})
}

// Disassociate disassociates the port; o may be nil.
func (p *Port) Disassociate(o *PortOptions) error {
	return p.request("vmfex_port_disassociate", o, func(c *C.struct_vmfex_port, co *C.struct_vmfex_port_opts) C.int {
		return C.vmfex_port_disassociate(c, co)
	})
}

// ReadStatus reads the port's state now (ENODATA: no request applied yet).
func (p *Port) ReadStatus() (PortRequest, PortResponse, error) {
	var req, resp C.int
	if _, err := p.ctx.do("vmfex_port_read_status", func() C.int {
		return C.vmfex_port_read_status(p.ptr(), &req, &resp)
	}); err != nil {
		return PortRequestNone, PortResponseNone, err
	}
	return PortRequest(req), PortResponse(resp), nil
}

// LastResponse is the response that ended the port's last wait, or
// PortResponseNone before any.
func (p *Port) LastResponse() PortResponse {
	p.ctx.lock()
	defer p.ctx.unlock()
	return PortResponse(C.vmfex_port_get_last_response(p.ptr()))
}

// BuildRequest returns the exact RTM_SETLINK message a request would send,
// netlink header included, without sending it.
func (p *Port) BuildRequest(req PortRequest, o PortOptions) ([]byte, error) {
	c, free := o.cOpts()
	defer free()
	var buf unsafe.Pointer
	var n C.size_t
	if _, err := p.ctx.do("vmfex_port_build_request", func() C.int {
		return C.vmfex_port_build_request(p.ptr(), C.int(req), c, &buf, &n)
	}); err != nil {
		return nil, err
	}
	defer C.free(buf)
	return C.GoBytes(buf, C.int(n)), nil
}

// lockAll locks the distinct contexts of ports in one global order (by
// the unique id each context gets in New), whatever the order of ports, so
// two batches over the same contexts never wait for each other; the
// returned function unlocks them.
func lockAll(ports []*Port) func() {
	var ctxs []*Context
	seen := map[*Context]bool{}
	for _, p := range ports {
		if !seen[p.ctx] {
			seen[p.ctx] = true
			ctxs = append(ctxs, p.ctx)
		}
	}
	sort.Slice(ctxs, func(i, j int) bool { return ctxs[i].logID < ctxs[j].logID })
	for _, c := range ctxs {
		c.lock()
	}
	return func() {
		for i := len(ctxs) - 1; i >= 0; i-- {
			ctxs[i].unlock()
		}
	}
}

func manyResults(op string, ports []*Port, r C.int, res []C.int) ([]error, error) {
	if r < 0 {
		return nil, errnoErr(op, r, ports[0].ctx.log.last)
	}
	errs := make([]error, len(ports))
	for i, e := range res {
		if e < 0 {
			errs[i] = errnoErr(op, e, "")
		}
	}
	return errs, nil
}

// AssociateMany associates many ports at once: all requests are sent, then
// one wait polls for them all. It returns one error (or nil) per port, or
// an error when nothing could be done; opts has one entry per port.
func AssociateMany(ports []*Port, opts []PortOptions) ([]error, error) {
	const op = "vmfex_port_associate_many"
	if len(ports) == 0 {
		return nil, nil
	}
	if len(opts) != len(ports) {
		return nil, &Error{Op: op, Errno: einval, Msg: "one PortOptions per port"}
	}
	n := len(ports)
	ptrSize := C.size_t(unsafe.Sizeof(uintptr(0)))
	cports := (*[1 << 20]*C.struct_vmfex_port)(C.calloc(C.size_t(n), ptrSize))[:n:n]
	defer C.free(unsafe.Pointer(&cports[0]))
	copts := (*[1 << 20]*C.struct_vmfex_port_opts)(C.calloc(C.size_t(n), ptrSize))[:n:n]
	defer C.free(unsafe.Pointer(&copts[0]))
	res := make([]C.int, n)
	for i := range opts {
		c, free := opts[i].cOpts()
		defer free()
		copts[i] = c
	}
	unlock := lockAll(ports)
	defer unlock()
	for i, p := range ports {
		cports[i] = p.ptr()
	}
	r := C.vmfex_port_associate_many(&cports[0], &copts[0], C.size_t(n), &res[0])
	return manyResults(op, ports, r, res)
}

// DisassociateMany disassociates many ports at once; o (may be nil) applies
// to all.
func DisassociateMany(ports []*Port, o *PortOptions) ([]error, error) {
	const op = "vmfex_port_disassociate_many"
	if len(ports) == 0 {
		return nil, nil
	}
	n := len(ports)
	cports := (*[1 << 20]*C.struct_vmfex_port)(C.calloc(C.size_t(n), C.size_t(unsafe.Sizeof(uintptr(0)))))[:n:n]
	defer C.free(unsafe.Pointer(&cports[0]))
	c, free := o.cOpts()
	defer free()
	res := make([]C.int, n)
	unlock := lockAll(ports)
	defer unlock()
	for i, p := range ports {
		cports[i] = p.ptr()
	}
	r := C.vmfex_port_disassociate_many(&cports[0], c, C.size_t(n), &res[0])
	return manyResults(op, ports, r, res)
}
