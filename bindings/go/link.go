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

// LinkState is a VF's administrative link state.
type LinkState int

// Link states; LinkStateUnknown when the kernel reported none.
const (
	LinkStateUnknown LinkState = -1
	LinkStateAuto    LinkState = C.VMFEX_VF_LINK_STATE_AUTO
	LinkStateEnable  LinkState = C.VMFEX_VF_LINK_STATE_ENABLE
	LinkStateDisable LinkState = C.VMFEX_VF_LINK_STATE_DISABLE
)

// Tristate is an on/off setting the kernel may not report.
type Tristate int

// Tristate values.
const (
	Unknown Tristate = -1
	Off     Tristate = 0
	On      Tristate = 1
)

// PortRequest is an 802.1Qbh port request.
type PortRequest int

// Port requests; PortRequestNone when none was reported.
const (
	PortRequestNone           PortRequest = -1
	PortRequestPreassociate   PortRequest = C.VMFEX_PORT_REQUEST_PREASSOCIATE
	PortRequestPreassociateRR PortRequest = C.VMFEX_PORT_REQUEST_PREASSOCIATE_RR
	PortRequestAssociate      PortRequest = C.VMFEX_PORT_REQUEST_ASSOCIATE
	PortRequestDisassociate   PortRequest = C.VMFEX_PORT_REQUEST_DISASSOCIATE
)

// String is the request's name, e.g. "ASSOCIATE".
func (r PortRequest) String() string { return C.GoString(C.vmfex_port_request_to_string(C.int(r))) }

// PortResponse is an adapter's response to a port request.
type PortResponse int

// Port responses; PortResponseNone when none was reported.
const (
	PortResponseNone                  PortResponse = -1
	PortResponseSuccess               PortResponse = C.VMFEX_PORT_PROFILE_RESPONSE_SUCCESS
	PortResponseInProgress            PortResponse = C.VMFEX_PORT_PROFILE_RESPONSE_INPROGRESS
	PortResponseInvalid               PortResponse = C.VMFEX_PORT_PROFILE_RESPONSE_INVALID
	PortResponseBadState              PortResponse = C.VMFEX_PORT_PROFILE_RESPONSE_BADSTATE
	PortResponseInsufficientResources PortResponse = C.VMFEX_PORT_PROFILE_RESPONSE_INSUFFICIENT_RESOURCES
	PortResponseError                 PortResponse = C.VMFEX_PORT_PROFILE_RESPONSE_ERROR
	VDPResponseSuccess                PortResponse = C.VMFEX_PORT_VDP_RESPONSE_SUCCESS
)

// String is the response's name, e.g. "SUCCESS" or "BADSTATE".
func (r PortResponse) String() string { return C.GoString(C.vmfex_port_response_to_string(C.int(r))) }

// PortState is an 802.1Qbh port's state as the kernel reported it.
type PortState struct {
	Profile      string // "" when not reported
	InstanceUUID string
	HostUUID     string
	Request      PortRequest
	Response     PortResponse
}

func portState(p *C.struct_vmfex_port_state) *PortState {
	if p == nil {
		return nil
	}
	return &PortState{
		Profile:      C.GoString(C.vmfex_port_state_get_profile(p)),
		InstanceUUID: C.GoString(C.vmfex_port_state_get_instance_uuid(p)),
		HostUUID:     C.GoString(C.vmfex_port_state_get_host_uuid(p)),
		Request:      PortRequest(C.vmfex_port_state_get_request(p)),
		Response:     PortResponse(C.vmfex_port_state_get_response(p)),
	}
}

// LinkVF is one VF of a link snapshot.
type LinkVF struct {
	Index     int
	MAC       string // "" when not reported
	VLAN      int    // -1 when not reported
	QoS       int    // -1 when not reported
	VLANProto uint16 // 0 when not reported
	SpoofChk  Tristate
	Trust     Tristate
	LinkState LinkState
	MinRate   uint32     // Mbit/s
	MaxRate   uint32     // Mbit/s
	Port      *PortState // nil when no request was applied yet
}

func linkVF(v *C.struct_vmfex_link_vf) *LinkVF {
	return &LinkVF{
		Index:     int(C.vmfex_link_vf_get_index(v)),
		MAC:       C.GoString(C.vmfex_link_vf_get_mac(v)),
		VLAN:      int(C.vmfex_link_vf_get_vlan(v)),
		QoS:       int(C.vmfex_link_vf_get_qos(v)),
		VLANProto: uint16(C.vmfex_link_vf_get_vlan_proto(v)),
		SpoofChk:  Tristate(C.vmfex_link_vf_get_spoofchk(v)),
		Trust:     Tristate(C.vmfex_link_vf_get_trust(v)),
		LinkState: LinkState(C.vmfex_link_vf_get_link_state(v)),
		MinRate:   uint32(C.vmfex_link_vf_get_min_rate(v)),
		MaxRate:   uint32(C.vmfex_link_vf_get_max_rate(v)),
		Port:      portState(C.vmfex_link_vf_get_port(v)),
	}
}

// Link is a snapshot of one netdev's rtnetlink state: its VFs' settings
// and 802.1Qbh ports.
type Link struct {
	ctx *Context
	c   *C.struct_vmfex_link
}

func newLink(ctx *Context, c *C.struct_vmfex_link) *Link {
	l := &Link{ctx: ctx, c: c}
	runtime.SetFinalizer(l, (*Link).Close)
	return l
}

// Close releases the link.
func (l *Link) Close() {
	l.ctx.mu.Lock()
	defer l.ctx.mu.Unlock()
	if l.c != nil {
		C.vmfex_link_unref(l.c)
		l.c = nil
	}
}

func (l *Link) ptr() *C.struct_vmfex_link {
	if l.c == nil {
		panic("vmfex: use of a closed Link")
	}
	return l.c
}

// LinkByIfname reads a netdev's state (ENODEV: no such netdev).
func (ctx *Context) LinkByIfname(ifname string) (*Link, error) {
	cs := C.CString(ifname)
	defer C.free(unsafe.Pointer(cs))
	var c *C.struct_vmfex_link
	if _, err := ctx.do("vmfex_link_new_from_ifname", func() C.int {
		return C.vmfex_link_new_from_ifname(ctx.ptr(), cs, &c)
	}); err != nil {
		return nil, err
	}
	return newLink(ctx, c), nil
}

// ReadLink reads the PF's state: every VF's settings and ports at once.
func (p *PF) ReadLink() (*Link, error) {
	var c *C.struct_vmfex_link
	if _, err := p.ctx.do("vmfex_link_new_from_pf", func() C.int { return C.vmfex_link_new_from_pf(p.ptr(), &c) }); err != nil {
		return nil, err
	}
	return newLink(p.ctx, c), nil
}

// IfIndex is the netdev's interface index.
func (l *Link) IfIndex() int {
	l.ctx.lock()
	defer l.ctx.unlock()
	return int(C.vmfex_link_get_ifindex(l.ptr()))
}

// Ifname is the netdev's name.
func (l *Link) Ifname() string {
	l.ctx.lock()
	defer l.ctx.unlock()
	return C.GoString(C.vmfex_link_get_ifname(l.ptr()))
}

// MAC is the netdev's MAC address, or "".
func (l *Link) MAC() string {
	l.ctx.lock()
	defer l.ctx.unlock()
	return C.GoString(C.vmfex_link_get_mac(l.ptr()))
}

// NumVFs is the VF count the kernel reports.
func (l *Link) NumVFs() int {
	l.ctx.lock()
	defer l.ctx.unlock()
	return int(C.vmfex_link_get_num_vfs(l.ptr()))
}

// VFs are the VFs of the reply, by index. A driver without VF info (upstream
// enic) gives only the VFs that have a port.
func (l *Link) VFs() []*LinkVF {
	l.ctx.lock()
	defer l.ctx.unlock()
	var list []*LinkVF
	for v := C.vmfex_link_next_vf(l.ptr(), nil); v != nil; v = C.vmfex_link_next_vf(l.c, v) {
		list = append(list, linkVF(v))
	}
	return list
}

// VF is the VF of an index, or nil when the reply has none.
func (l *Link) VF(index int) *LinkVF {
	l.ctx.lock()
	defer l.ctx.unlock()
	if index < 0 {
		return nil
	}
	v := C.vmfex_link_find_vf(l.ptr(), C.uint(index))
	if v == nil {
		return nil
	}
	return linkVF(v)
}

// SelfPort is the netdev's own port state, or nil when none was reported.
func (l *Link) SelfPort() *PortState {
	l.ctx.lock()
	defer l.ctx.unlock()
	return portState(C.vmfex_link_get_self_port(l.ptr()))
}
