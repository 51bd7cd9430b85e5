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

// ProfileIDMax is the longest profileid libvirt accepts.
const ProfileIDMax = C.VMFEX_XML_PROFILEID_MAX

// InterfaceOptions are the options of the interface writers.
type InterfaceOptions struct {
	MAC             string   // the guest's unicast MAC; "": a random local one
	Model           string   // guest model; "": virtio
	NoModel         bool     // write no model (a hostdev pool's network interface)
	Topology        Topology // TopologyProfile: the profile's
	NoVirtualport   bool     // leave the virtualport out (the port is associated through libvmfex)
	AllowDeprecated bool     // allow TopologyMacvtapPrivate
	Unmanaged       bool     // hostdev managed='no' (the VF must be bound to vfio-pci)
	ProfileID       string   // the profileid when no profile is given
}

func (o *InterfaceOptions) cOpts() (*C.struct_vmfex_xml_interface_opts, func()) {
	if o == nil {
		return nil, func() {}
	}
	c := (*C.struct_vmfex_xml_interface_opts)(C.calloc(1, C.size_t(unsafe.Sizeof(C.struct_vmfex_xml_interface_opts{}))))
	c.sz = C.size_t(unsafe.Sizeof(*c))
	c.mac = cstr(o.MAC)
	c.model = cstr(o.Model)
	if o.NoModel && c.model == nil {
		c.model = C.CString("")
	}
	c.topology = C.enum_vmfex_xml_topology(o.Topology)
	c.no_virtualport = C.bool(o.NoVirtualport)
	c.allow_deprecated = C.bool(o.AllowDeprecated)
	c.unmanaged = C.bool(o.Unmanaged)
	c.profileid = cstr(o.ProfileID)
	return c, func() {
		cfree(c.mac)
		cfree(c.model)
		cfree(c.profileid)
		C.free(unsafe.Pointer(c))
	}
}

func takeString(p *C.char) string {
	defer C.free(unsafe.Pointer(p))
	return C.GoString(p)
}

// InterfaceXML writes a domain <interface> giving a VM this VF, for a
// profile (may be nil with o.ProfileID or o.NoVirtualport); o may be nil.
func (v *VF) InterfaceXML(profile *Profile, o *InterfaceOptions) (string, error) {
	co, free := o.cOpts()
	defer free()
	var xml *C.char
	if _, err := v.ctx.do("vmfex_xml_interface_for_vf", func() C.int {
		var cp *C.struct_vmfex_profile
		if profile != nil {
			cp = profile.ptr()
		}
		return C.vmfex_xml_interface_for_vf(v.ptr(), cp, co, &xml)
	}); err != nil {
		return "", err
	}
	return takeString(xml), nil
}

// NetworkInterfaceXML writes a domain <interface type='network'> naming a
// VF pool and a portgroup ("": none). Of o (may be nil), MAC and Model are
// read; Model "" gives virtio.
func (ctx *Context) NetworkInterfaceXML(network, portgroup string, o *InterfaceOptions) (string, error) {
	cn := C.CString(network)
	defer C.free(unsafe.Pointer(cn))
	cpg := cstr(portgroup)
	defer cfree(cpg)
	co, free := o.cOpts()
	defer free()
	var xml *C.char
	if _, err := ctx.do("vmfex_xml_interface_for_network", func() C.int {
		return C.vmfex_xml_interface_for_network(ctx.ptr(), cn, cpg, co, &xml)
	}); err != nil {
		return "", err
	}
	return takeString(xml), nil
}

// NetworkOptions are the options of NetworkXML.
type NetworkOptions struct {
	Topology       Topology // TopologyMacvtapPassthrough or TopologyHostdev
	Profiles       []string // profiles given a portgroup; nil: all of the catalog
	DefaultProfile string   // the default portgroup's profile, or ""
	ListDevices    bool     // list the VFs instead of <pf dev>
}

// NetworkXML writes a <network> VF pool of the PF with one portgroup per
// profile of the catalog.
func (p *PF) NetworkXML(name string, cat *Catalog, o NetworkOptions) (string, error) {
	cn := C.CString(name)
	defer C.free(unsafe.Pointer(cn))
	var co C.struct_vmfex_xml_network_opts
	co.sz = C.size_t(unsafe.Sizeof(co))
	co.topology = C.enum_vmfex_xml_topology(o.Topology)
	co.list_devices = C.bool(o.ListDevices)
	co.default_profile = cstr(o.DefaultProfile)
	defer cfree(co.default_profile)
	if o.Profiles != nil {
		n := len(o.Profiles)
		arr := (*[1 << 20]*C.char)(C.calloc(C.size_t(n+1), C.size_t(unsafe.Sizeof(uintptr(0)))))[: n+1 : n+1]
		defer C.free(unsafe.Pointer(&arr[0]))
		for i, s := range o.Profiles {
			arr[i] = C.CString(s)
			defer C.free(unsafe.Pointer(arr[i]))
		}
		co.profiles = &arr[0]
	}
	var xml *C.char
	if _, err := p.ctx.do("vmfex_xml_network_for_pf", func() C.int {
		return C.vmfex_xml_network_for_pf(p.ptr(), cn, cat.ptr(), &co, &xml)
	}); err != nil {
		return "", err
	}
	return takeString(xml), nil
}

// XMLNetwork is a libvirt network, parsed and checked.
type XMLNetwork struct {
	ctx *Context
	c   *C.struct_vmfex_xml_network
}

// ParseNetworkXML parses and checks a libvirt network document.
func (ctx *Context) ParseNetworkXML(doc []byte) (*XMLNetwork, error) {
	buf := C.CBytes(doc)
	defer C.free(buf)
	var c *C.struct_vmfex_xml_network
	if _, err := ctx.do("vmfex_xml_network_new_from_buffer", func() C.int {
		return C.vmfex_xml_network_new_from_buffer(ctx.ptr(), (*C.char)(buf), C.size_t(len(doc)), &c)
	}); err != nil {
		return nil, err
	}
	n := &XMLNetwork{ctx: ctx, c: c}
	runtime.SetFinalizer(n, (*XMLNetwork).Close)
	return n, nil
}

// Close releases the network.
func (n *XMLNetwork) Close() {
	n.ctx.mu.Lock()
	defer n.ctx.mu.Unlock()
	if n.c != nil {
		C.vmfex_xml_network_unref(n.c)
		n.c = nil
	}
}

func (n *XMLNetwork) ptr() *C.struct_vmfex_xml_network {
	if n.c == nil {
		panic("vmfex: use of a closed XMLNetwork")
	}
	return n.c
}

// Name is the network's name.
func (n *XMLNetwork) Name() string {
	n.ctx.lock()
	defer n.ctx.unlock()
	return C.GoString(C.vmfex_xml_network_get_name(n.ptr()))
}

// ForwardMode is the forward mode ("passthrough", "hostdev"...), or "".
func (n *XMLNetwork) ForwardMode() string {
	n.ctx.lock()
	defer n.ctx.unlock()
	return C.GoString(C.vmfex_xml_network_get_forward_mode(n.ptr()))
}

// ProfileID is the profileid a portgroup gives ("" portgroup: the
// default), or "".
func (n *XMLNetwork) ProfileID(portgroup string) string {
	cs := cstr(portgroup)
	defer cfree(cs)
	n.ctx.lock()
	defer n.ctx.unlock()
	return C.GoString(C.vmfex_xml_network_get_profileid(n.ptr(), cs))
}

// XMLDomain is a libvirt domain and its interfaces.
type XMLDomain struct {
	ctx *Context
	c   *C.struct_vmfex_xml_domain
}

// ParseDomainXML parses a libvirt domain document.
func (ctx *Context) ParseDomainXML(doc []byte) (*XMLDomain, error) {
	buf := C.CBytes(doc)
	defer C.free(buf)
	var c *C.struct_vmfex_xml_domain
	if _, err := ctx.do("vmfex_xml_domain_new_from_buffer", func() C.int {
		return C.vmfex_xml_domain_new_from_buffer(ctx.ptr(), (*C.char)(buf), C.size_t(len(doc)), &c)
	}); err != nil {
		return nil, err
	}
	d := &XMLDomain{ctx: ctx, c: c}
	runtime.SetFinalizer(d, (*XMLDomain).Close)
	return d, nil
}

// Close releases the domain; its interfaces become unusable.
func (d *XMLDomain) Close() {
	d.ctx.mu.Lock()
	defer d.ctx.mu.Unlock()
	if d.c != nil {
		C.vmfex_xml_domain_unref(d.c)
		d.c = nil
	}
}

func (d *XMLDomain) ptr() *C.struct_vmfex_xml_domain {
	if d.c == nil {
		panic("vmfex: use of a closed XMLDomain")
	}
	return d.c
}

// AddNetwork resolves the domain's interfaces on a network and returns how
// many were (ENOENT: a portgroup the network lacks).
func (d *XMLDomain) AddNetwork(n *XMLNetwork) (int, error) {
	return d.ctx.do("vmfex_xml_domain_add_network", func() C.int {
		return C.vmfex_xml_domain_add_network(d.ptr(), n.ptr())
	})
}

// Name is the domain's name, or "".
func (d *XMLDomain) Name() string {
	d.ctx.lock()
	defer d.ctx.unlock()
	return C.GoString(C.vmfex_xml_domain_get_name(d.ptr()))
}

// CanMigrate says whether the domain can live migrate as far as its
// interfaces go, and if not, why.
func (d *XMLDomain) CanMigrate() (bool, string) {
	d.ctx.lock()
	defer d.ctx.unlock()
	var reason *C.char
	ok := C.vmfex_xml_domain_can_migrate(d.ptr(), &reason)
	return bool(ok), C.GoString(reason)
}

// Interfaces are the domain's interfaces in document order. They are views
// into the domain, valid while it is open.
func (d *XMLDomain) Interfaces() []*XMLInterface {
	d.ctx.lock()
	defer d.ctx.unlock()
	var list []*XMLInterface
	for i := C.vmfex_xml_domain_next_iface(d.ptr(), nil); i != nil; i = C.vmfex_xml_domain_next_iface(d.c, i) {
		list = append(list, &XMLInterface{dom: d, c: i})
	}
	return list
}

// XMLInterface is an interface of a domain; it keeps the domain reachable.
type XMLInterface struct {
	dom *XMLDomain
	c   *C.struct_vmfex_xml_iface
}

func (i *XMLInterface) str(f func(*C.struct_vmfex_xml_iface) *C.char) string {
	i.dom.ctx.lock()
	defer i.dom.ctx.unlock()
	i.dom.ptr()
	return C.GoString(f(i.c))
}

// Type is the interface's type: "direct", "hostdev", "network"...
func (i *XMLInterface) Type() string {
	return i.str(func(c *C.struct_vmfex_xml_iface) *C.char { return C.vmfex_xml_iface_get_type(c) })
}

// SourceDev is a direct interface's source netdev, or "".
func (i *XMLInterface) SourceDev() string {
	return i.str(func(c *C.struct_vmfex_xml_iface) *C.char { return C.vmfex_xml_iface_get_source_dev(c) })
}

// SourceMode is a direct interface's MacVTap mode, or "".
func (i *XMLInterface) SourceMode() string {
	return i.str(func(c *C.struct_vmfex_xml_iface) *C.char { return C.vmfex_xml_iface_get_source_mode(c) })
}

// Network is a network interface's network, or "".
func (i *XMLInterface) Network() string {
	return i.str(func(c *C.struct_vmfex_xml_iface) *C.char { return C.vmfex_xml_iface_get_network(c) })
}

// Portgroup is a network interface's portgroup, or "".
func (i *XMLInterface) Portgroup() string {
	return i.str(func(c *C.struct_vmfex_xml_iface) *C.char { return C.vmfex_xml_iface_get_portgroup(c) })
}

// PCI is a hostdev interface's PCI address, or "".
func (i *XMLInterface) PCI() string {
	return i.str(func(c *C.struct_vmfex_xml_iface) *C.char { return C.vmfex_xml_iface_get_pci(c) })
}

// MAC is the guest MAC in lower case, or "".
func (i *XMLInterface) MAC() string {
	return i.str(func(c *C.struct_vmfex_xml_iface) *C.char { return C.vmfex_xml_iface_get_mac(c) })
}

// Model is the guest model, or "".
func (i *XMLInterface) Model() string {
	return i.str(func(c *C.struct_vmfex_xml_iface) *C.char { return C.vmfex_xml_iface_get_model(c) })
}

// VirtualportType is the virtualport type (the interface's, else its
// network's), e.g. "802.1Qbh", or "".
func (i *XMLInterface) VirtualportType() string {
	return i.str(func(c *C.struct_vmfex_xml_iface) *C.char { return C.vmfex_xml_iface_get_virtualport_type(c) })
}

// ProfileID is the interface's profileid, or its portgroup's once resolved
// by AddNetwork, or "".
func (i *XMLInterface) ProfileID() string {
	return i.str(func(c *C.struct_vmfex_xml_iface) *C.char { return C.vmfex_xml_iface_get_profileid(c) })
}

// Topology is the interface's topology, TopologyProfile when unknown.
func (i *XMLInterface) Topology() Topology {
	i.dom.ctx.lock()
	defer i.dom.ctx.unlock()
	i.dom.ptr()
	return Topology(C.vmfex_xml_iface_get_topology(i.c))
}

// VF is the host's VF behind the interface (ENOENT: it names no device).
func (i *XMLInterface) VF() (*VF, error) {
	var c *C.struct_vmfex_vf
	if _, err := i.dom.ctx.do("vmfex_vf_new_from_xml_iface", func() C.int {
		i.dom.ptr()
		return C.vmfex_vf_new_from_xml_iface(i.c, &c)
	}); err != nil {
		return nil, err
	}
	return newVF(i.dom.ctx, c), nil
}
