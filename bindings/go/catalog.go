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

// Limits of UCS Manager's names and values.
const (
	ClusterDefault         = C.VMFEX_CLUSTER_DEFAULT
	ProfileNameMax         = C.VMFEX_PROFILE_NAME_MAX
	ClusterNameMax         = C.VMFEX_CLUSTER_NAME_MAX
	VLANNameMax            = C.VMFEX_VLAN_NAME_MAX
	PolicyNameMax          = C.VMFEX_POLICY_NAME_MAX
	ProfileDescrMax        = C.VMFEX_PROFILE_DESCR_MAX
	ProfileMaxPortsDefault = C.VMFEX_PROFILE_MAX_PORTS_DEFAULT
	ProfileMaxPortsMax     = C.VMFEX_PROFILE_MAX_PORTS_MAX
	VLANIDMax              = C.VMFEX_VLAN_ID_MAX
)

// HostNwIOPerf is UCS Manager's host network IO performance.
type HostNwIOPerf int

// Host network IO performances.
const (
	HostNwIOPerfNone         HostNwIOPerf = C.VMFEX_HOST_NW_IO_PERF_NONE
	HostNwIOPerfHighPerfReqd HostNwIOPerf = C.VMFEX_HOST_NW_IO_PERF_HIGH_PERF_REQD
)

// String is UCS Manager's word: "none" or "high-perf-reqd".
func (p HostNwIOPerf) String() string {
	return C.GoString(C.vmfex_host_nw_io_perf_to_string(C.enum_vmfex_host_nw_io_perf(p)))
}

// ParseHostNwIOPerf parses "none" or "high-perf-reqd".
func ParseHostNwIOPerf(s string) (HostNwIOPerf, error) {
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	r := C.vmfex_host_nw_io_perf_from_string(cs)
	if r < 0 {
		return 0, errnoErr("vmfex_host_nw_io_perf_from_string", r, "not a host network IO performance: "+s)
	}
	return HostNwIOPerf(r), nil
}

// ProfileType is UCS Manager's port profile type.
type ProfileType int

// Profile types.
const (
	ProfileTypeRegular ProfileType = C.VMFEX_PROFILE_TYPE_REGULAR
	ProfileTypeSLAOnly ProfileType = C.VMFEX_PROFILE_TYPE_SLA_ONLY
)

// String is UCS Manager's word: "regular" or "sla-only".
func (t ProfileType) String() string {
	return C.GoString(C.vmfex_profile_type_to_string(C.enum_vmfex_profile_type(t)))
}

// ParseProfileType parses "regular" or "sla-only".
func ParseProfileType(s string) (ProfileType, error) {
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	r := C.vmfex_profile_type_from_string(cs)
	if r < 0 {
		return 0, errnoErr("vmfex_profile_type_from_string", r, "not a profile type: "+s)
	}
	return ProfileType(r), nil
}

// Topology is how a VM interface reaches its VF.
type Topology int

// Topologies. TopologyProfile (0) stands for "the profile's" where a
// topology is asked for, and for "unknown" where one is reported.
const (
	TopologyProfile            Topology = C.VMFEX_XML_TOPOLOGY_PROFILE
	TopologyMacvtapPassthrough Topology = C.VMFEX_TOPOLOGY_MACVTAP_PASSTHROUGH
	TopologyHostdev            Topology = C.VMFEX_TOPOLOGY_HOSTDEV
	TopologyMacvtapPrivate     Topology = C.VMFEX_XML_TOPOLOGY_MACVTAP_PRIVATE
)

// String is "macvtap-passthrough", "hostdev", "macvtap-private" or "".
func (t Topology) String() string {
	if t == TopologyMacvtapPrivate {
		return "macvtap-private"
	}
	return C.GoString(C.vmfex_topology_to_string(C.enum_vmfex_topology(t)))
}

// Catalog holds clusters and port profiles, kept in a catalog file.
type Catalog struct {
	ctx *Context
	c   *C.struct_vmfex_catalog
}

func newCatalog(ctx *Context, c *C.struct_vmfex_catalog) *Catalog {
	cat := &Catalog{ctx: ctx, c: c}
	runtime.SetFinalizer(cat, (*Catalog).Close)
	return cat
}

// Close releases the catalog (and its writers' lock with the last
// reference: clusters and profiles hold the catalog too).
func (cat *Catalog) Close() {
	cat.ctx.mu.Lock()
	defer cat.ctx.mu.Unlock()
	if cat.c != nil {
		C.vmfex_catalog_unref(cat.c)
		cat.c = nil
	}
}

func (cat *Catalog) ptr() *C.struct_vmfex_catalog {
	if cat.c == nil {
		panic("vmfex: use of a closed Catalog")
	}
	return cat.c
}

// NewCatalog makes an empty catalog: the default cluster, no profiles.
func (ctx *Context) NewCatalog() (*Catalog, error) {
	var c *C.struct_vmfex_catalog
	if _, err := ctx.do("vmfex_catalog_new", func() C.int { return C.vmfex_catalog_new(ctx.ptr(), &c) }); err != nil {
		return nil, err
	}
	return newCatalog(ctx, c), nil
}

// CatalogOpenOptions are the options of OpenCatalog.
type CatalogOpenOptions struct {
	Lock   bool // take the writers' lock on PATH.lock until Close or Unlock
	Create bool // a missing file gives an empty catalog instead of ENOENT
}

// OpenCatalog loads a catalog file (o may be nil).
func (ctx *Context) OpenCatalog(path string, o *CatalogOpenOptions) (*Catalog, error) {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	var co C.struct_vmfex_catalog_open_opts
	co.sz = C.size_t(unsafe.Sizeof(co))
	if o != nil {
		co.lock = C.bool(o.Lock)
		co.create = C.bool(o.Create)
	}
	var c *C.struct_vmfex_catalog
	if _, err := ctx.do("vmfex_catalog_open", func() C.int { return C.vmfex_catalog_open(ctx.ptr(), cs, &co, &c) }); err != nil {
		return nil, err
	}
	return newCatalog(ctx, c), nil
}

// ParseCatalog reads a catalog document from memory.
func (ctx *Context) ParseCatalog(doc []byte) (*Catalog, error) {
	buf := C.CBytes(doc)
	defer C.free(buf)
	var c *C.struct_vmfex_catalog
	if _, err := ctx.do("vmfex_catalog_new_from_buffer", func() C.int {
		return C.vmfex_catalog_new_from_buffer(ctx.ptr(), (*C.char)(buf), C.size_t(len(doc)), &c)
	}); err != nil {
		return nil, err
	}
	return newCatalog(ctx, c), nil
}

// Context is the catalog's context.
func (cat *Catalog) Context() *Context { return cat.ctx }

// Path is the file the catalog was opened from, or "".
func (cat *Catalog) Path() string {
	cat.ctx.lock()
	defer cat.ctx.unlock()
	return C.GoString(C.vmfex_catalog_get_path(cat.ptr()))
}

// Bytes serialises the catalog as Save would write it (canonical).
func (cat *Catalog) Bytes() ([]byte, error) {
	var buf *C.char
	var n C.size_t
	if _, err := cat.ctx.do("vmfex_catalog_write_buffer", func() C.int {
		return C.vmfex_catalog_write_buffer(cat.ptr(), &buf, &n)
	}); err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(buf))
	return C.GoBytes(unsafe.Pointer(buf), C.int(n)), nil
}

// Save writes the catalog atomically to path ("": the file it came from).
func (cat *Catalog) Save(path string) error {
	cs := cstr(path)
	defer cfree(cs)
	_, err := cat.ctx.do("vmfex_catalog_save", func() C.int { return C.vmfex_catalog_save(cat.ptr(), cs) })
	return err
}

// Unlock releases the writers' lock taken by OpenCatalog.
func (cat *Catalog) Unlock() {
	cat.ctx.lock()
	defer cat.ctx.unlock()
	C.vmfex_catalog_unlock(cat.ptr())
}

// Cluster is a UCS Manager VM cluster; it keeps its catalog alive.
type Cluster struct {
	ctx *Context
	c   *C.struct_vmfex_cluster
}

func newCluster(ctx *Context, c *C.struct_vmfex_cluster) *Cluster {
	cl := &Cluster{ctx: ctx, c: c}
	runtime.SetFinalizer(cl, (*Cluster).Close)
	return cl
}

// Close releases the cluster.
func (cl *Cluster) Close() {
	cl.ctx.mu.Lock()
	defer cl.ctx.mu.Unlock()
	if cl.c != nil {
		C.vmfex_cluster_unref(cl.c)
		cl.c = nil
	}
}

func (cl *Cluster) ptr() *C.struct_vmfex_cluster {
	if cl.c == nil {
		panic("vmfex: use of a closed Cluster")
	}
	return cl.c
}

// Name is the cluster's name.
func (cl *Cluster) Name() string {
	cl.ctx.lock()
	defer cl.ctx.unlock()
	return C.GoString(C.vmfex_cluster_get_name(cl.ptr()))
}

// IsDefault says whether this is the default cluster.
func (cl *Cluster) IsDefault() bool {
	cl.ctx.lock()
	defer cl.ctx.unlock()
	return bool(C.vmfex_cluster_is_default(cl.ptr()))
}

// Clusters are the catalog's clusters, sorted by name.
func (cat *Catalog) Clusters() []*Cluster {
	cat.ctx.lock()
	defer cat.ctx.unlock()
	var list []*Cluster
	for c := C.vmfex_catalog_next_cluster(cat.ptr(), nil); c != nil; c = C.vmfex_catalog_next_cluster(cat.c, c) {
		list = append(list, newCluster(cat.ctx, C.vmfex_cluster_ref(c)))
	}
	return list
}

func (cat *Catalog) clusterOp(op, name string,
	f func(*C.struct_vmfex_catalog, *C.char, **C.struct_vmfex_cluster) C.int) (*Cluster, error) {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	var c *C.struct_vmfex_cluster
	if _, err := cat.ctx.do(op, func() C.int { return f(cat.ptr(), cs, &c) }); err != nil {
		return nil, err
	}
	return newCluster(cat.ctx, c), nil
}

// AddCluster creates a cluster (EEXIST, EINVAL for a bad name).
func (cat *Catalog) AddCluster(name string) (*Cluster, error) {
	return cat.clusterOp("vmfex_catalog_add_cluster", name,
		func(c *C.struct_vmfex_catalog, s *C.char, out **C.struct_vmfex_cluster) C.int {
			return C.vmfex_catalog_add_cluster(c, s, out)
		})
}

// Cluster finds a cluster (ENOENT).
func (cat *Catalog) Cluster(name string) (*Cluster, error) {
	return cat.clusterOp("vmfex_catalog_lookup_cluster", name,
		func(c *C.struct_vmfex_catalog, s *C.char, out **C.struct_vmfex_cluster) C.int {
			return C.vmfex_catalog_lookup_cluster(c, s, out)
		})
}

// DelCluster deletes a cluster (ENOENT; EPERM for the default one; EBUSY
// when a profile has it as a client).
func (cat *Catalog) DelCluster(name string) error {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	_, err := cat.ctx.do("vmfex_catalog_del_cluster", func() C.int { return C.vmfex_catalog_del_cluster(cat.ptr(), cs) })
	return err
}

// Profile is a UCS Manager port profile (vnicProfile); it keeps its
// catalog alive.
type Profile struct {
	ctx *Context
	c   *C.struct_vmfex_profile
}

func newProfile(ctx *Context, c *C.struct_vmfex_profile) *Profile {
	p := &Profile{ctx: ctx, c: c}
	runtime.SetFinalizer(p, (*Profile).Close)
	return p
}

// Close releases the profile.
func (p *Profile) Close() {
	p.ctx.mu.Lock()
	defer p.ctx.mu.Unlock()
	if p.c != nil {
		C.vmfex_profile_unref(p.c)
		p.c = nil
	}
}

func (p *Profile) ptr() *C.struct_vmfex_profile {
	if p.c == nil {
		panic("vmfex: use of a closed Profile")
	}
	return p.c
}

// Profiles are the catalog's profiles, sorted by name.
func (cat *Catalog) Profiles() []*Profile {
	cat.ctx.lock()
	defer cat.ctx.unlock()
	var list []*Profile
	for c := C.vmfex_catalog_next_profile(cat.ptr(), nil); c != nil; c = C.vmfex_catalog_next_profile(cat.c, c) {
		list = append(list, newProfile(cat.ctx, C.vmfex_profile_ref(c)))
	}
	return list
}

// NumProfiles is the number of profiles.
func (cat *Catalog) NumProfiles() int {
	cat.ctx.lock()
	defer cat.ctx.unlock()
	return int(C.vmfex_catalog_get_n_profiles(cat.ptr()))
}

func (cat *Catalog) profileOp(op, name string,
	f func(*C.struct_vmfex_catalog, *C.char, **C.struct_vmfex_profile) C.int) (*Profile, error) {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	var c *C.struct_vmfex_profile
	if _, err := cat.ctx.do(op, func() C.int { return f(cat.ptr(), cs, &c) }); err != nil {
		return nil, err
	}
	return newProfile(cat.ctx, c), nil
}

// AddProfile creates a profile with UCS Manager's defaults (EEXIST; EINVAL
// for a bad name).
func (cat *Catalog) AddProfile(name string) (*Profile, error) {
	return cat.profileOp("vmfex_catalog_add_profile", name,
		func(c *C.struct_vmfex_catalog, s *C.char, out **C.struct_vmfex_profile) C.int {
			return C.vmfex_catalog_add_profile(c, s, out)
		})
}

// Profile finds a profile (ENOENT).
func (cat *Catalog) Profile(name string) (*Profile, error) {
	return cat.profileOp("vmfex_catalog_lookup_profile", name,
		func(c *C.struct_vmfex_catalog, s *C.char, out **C.struct_vmfex_profile) C.int {
			return C.vmfex_catalog_lookup_profile(c, s, out)
		})
}

// DelProfile deletes a profile; Profile values of it stay readable, and
// changes to them fail (EINVAL).
func (cat *Catalog) DelProfile(name string) error {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	_, err := cat.ctx.do("vmfex_catalog_del_profile", func() C.int { return C.vmfex_catalog_del_profile(cat.ptr(), cs) })
	return err
}

func (p *Profile) str(f func(*C.struct_vmfex_profile) *C.char) string {
	p.ctx.lock()
	defer p.ctx.unlock()
	return C.GoString(f(p.ptr()))
}

func (p *Profile) setStr(op, v string, f func(*C.struct_vmfex_profile, *C.char) C.int) error {
	cs := cstr(v)
	defer cfree(cs)
	_, err := p.ctx.do(op, func() C.int { return f(p.ptr(), cs) })
	return err
}

// Name is the profile's name.
func (p *Profile) Name() string {
	return p.str(func(c *C.struct_vmfex_profile) *C.char { return C.vmfex_profile_get_name(c) })
}

// Descr is the description, or "".
func (p *Profile) Descr() string {
	return p.str(func(c *C.struct_vmfex_profile) *C.char { return C.vmfex_profile_get_descr(c) })
}

// SetDescr sets the description ("": none).
func (p *Profile) SetDescr(s string) error {
	return p.setStr("vmfex_profile_set_descr", s, func(c *C.struct_vmfex_profile, v *C.char) C.int {
		return C.vmfex_profile_set_descr(c, v)
	})
}

// QoSPolicy is the QoS policy's name, or "".
func (p *Profile) QoSPolicy() string {
	return p.str(func(c *C.struct_vmfex_profile) *C.char { return C.vmfex_profile_get_qos_policy(c) })
}

// SetQoSPolicy sets the QoS policy ("": none).
func (p *Profile) SetQoSPolicy(s string) error {
	return p.setStr("vmfex_profile_set_qos_policy", s, func(c *C.struct_vmfex_profile, v *C.char) C.int {
		return C.vmfex_profile_set_qos_policy(c, v)
	})
}

// NwCtrlPolicy is the network control policy's name, or "".
func (p *Profile) NwCtrlPolicy() string {
	return p.str(func(c *C.struct_vmfex_profile) *C.char { return C.vmfex_profile_get_nw_ctrl_policy(c) })
}

// SetNwCtrlPolicy sets the network control policy ("": none).
func (p *Profile) SetNwCtrlPolicy(s string) error {
	return p.setStr("vmfex_profile_set_nw_ctrl_policy", s, func(c *C.struct_vmfex_profile, v *C.char) C.int {
		return C.vmfex_profile_set_nw_ctrl_policy(c, v)
	})
}

// PinGroup is the pin group's name, or "".
func (p *Profile) PinGroup() string {
	return p.str(func(c *C.struct_vmfex_profile) *C.char { return C.vmfex_profile_get_pin_group(c) })
}

// SetPinGroup sets the pin group ("": none).
func (p *Profile) SetPinGroup(s string) error {
	return p.setStr("vmfex_profile_set_pin_group", s, func(c *C.struct_vmfex_profile, v *C.char) C.int {
		return C.vmfex_profile_set_pin_group(c, v)
	})
}

// UUID is the profile's UUID, or "".
func (p *Profile) UUID() string {
	return p.str(func(c *C.struct_vmfex_profile) *C.char { return C.vmfex_profile_get_uuid(c) })
}

// MaxPorts is the most ports that may use the profile at once.
func (p *Profile) MaxPorts() int {
	p.ctx.lock()
	defer p.ctx.unlock()
	return int(C.vmfex_profile_get_max_ports(p.ptr()))
}

// SetMaxPorts sets max ports, 1-4096.
func (p *Profile) SetMaxPorts(n int) error {
	if n < 0 {
		return &Error{Op: "vmfex_profile_set_max_ports", Errno: einval, Msg: "negative max ports"}
	}
	_, err := p.ctx.do("vmfex_profile_set_max_ports", func() C.int { return C.vmfex_profile_set_max_ports(p.ptr(), C.uint(n)) })
	return err
}

// HostNwIOPerf is the host network IO performance.
func (p *Profile) HostNwIOPerf() HostNwIOPerf {
	p.ctx.lock()
	defer p.ctx.unlock()
	return HostNwIOPerf(C.vmfex_profile_get_host_nw_io_perf(p.ptr()))
}

// SetHostNwIOPerf sets the host network IO performance.
func (p *Profile) SetHostNwIOPerf(v HostNwIOPerf) error {
	_, err := p.ctx.do("vmfex_profile_set_host_nw_io_perf", func() C.int {
		return C.vmfex_profile_set_host_nw_io_perf(p.ptr(), C.enum_vmfex_host_nw_io_perf(v))
	})
	return err
}

// Type is the profile's type.
func (p *Profile) Type() ProfileType {
	p.ctx.lock()
	defer p.ctx.unlock()
	return ProfileType(C.vmfex_profile_get_type(p.ptr()))
}

// SetType sets the profile's type.
func (p *Profile) SetType(t ProfileType) error {
	_, err := p.ctx.do("vmfex_profile_set_type", func() C.int {
		return C.vmfex_profile_set_type(p.ptr(), C.enum_vmfex_profile_type(t))
	})
	return err
}

// Topology is the topology a VM interface with this profile uses.
func (p *Profile) Topology() Topology {
	p.ctx.lock()
	defer p.ctx.unlock()
	return Topology(C.vmfex_profile_get_topology(p.ptr()))
}

// VLAN is a VLAN of a port profile (vnicEtherIf).
type VLAN struct {
	Name   string
	ID     int // 1-4093, 0 when unknown
	Native bool
}

// VLANs are the profile's VLANs, sorted by name.
func (p *Profile) VLANs() []VLAN {
	p.ctx.lock()
	defer p.ctx.unlock()
	var list []VLAN
	for v := C.vmfex_profile_next_vlan(p.ptr(), nil); v != nil; v = C.vmfex_profile_next_vlan(p.c, v) {
		list = append(list, VLAN{Name: C.GoString(C.vmfex_vlan_get_name(v)),
			ID: int(C.vmfex_vlan_get_id(v)), Native: bool(C.vmfex_vlan_is_native(v))})
	}
	return list
}

// SetVLAN adds a VLAN or changes the one of that name; a native VLAN makes
// the previous native one ordinary.
func (p *Profile) SetVLAN(name string, id int, native bool) error {
	if id < 0 {
		return &Error{Op: "vmfex_profile_set_vlan", Errno: einval, Msg: "negative VLAN id"}
	}
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	_, err := p.ctx.do("vmfex_profile_set_vlan", func() C.int {
		return C.vmfex_profile_set_vlan(p.ptr(), cs, C.uint(id), C.bool(native))
	})
	return err
}

// DelVLAN removes a VLAN (ENOENT).
func (p *Profile) DelVLAN(name string) error {
	return p.setStr("vmfex_profile_del_vlan", name, func(c *C.struct_vmfex_profile, v *C.char) C.int {
		return C.vmfex_profile_del_vlan(c, v)
	})
}

// Clients are the names of the profile's client clusters, sorted.
func (p *Profile) Clients() []string {
	p.ctx.lock()
	defer p.ctx.unlock()
	var list []string
	for s := C.vmfex_profile_next_client(p.ptr(), nil); s != nil; s = C.vmfex_profile_next_client(p.c, s) {
		list = append(list, C.GoString(s))
	}
	return list
}

// UCSMClient is a port profile client imported from UCS Manager
// (vmVnicProfCl): its name and its patterns, verbatim.
type UCSMClient struct {
	Name, DCName, OrgPath, SwName string
}

// UCSMClients returns the clients imported from UCS Manager, sorted by name.
func (p *Profile) UCSMClients() []UCSMClient {
	p.ctx.lock()
	defer p.ctx.unlock()
	var list []UCSMClient
	for c := C.vmfex_profile_next_ucsm_client(p.ptr(), nil); c != nil; c = C.vmfex_profile_next_ucsm_client(p.c, c) {
		list = append(list, UCSMClient{Name: C.GoString(C.vmfex_ucsm_client_get_name(c)),
			DCName:  C.GoString(C.vmfex_ucsm_client_get_dc_name(c)),
			OrgPath: C.GoString(C.vmfex_ucsm_client_get_org_path(c)),
			SwName:  C.GoString(C.vmfex_ucsm_client_get_sw_name(c))})
	}
	return list
}

// AddClient makes a cluster a client of the profile (ENOENT: no such
// cluster).
func (p *Profile) AddClient(cluster string) error {
	return p.setStr("vmfex_profile_add_client", cluster, func(c *C.struct_vmfex_profile, v *C.char) C.int {
		return C.vmfex_profile_add_client(c, v)
	})
}

// DelClient removes a client (ENOENT).
func (p *Profile) DelClient(cluster string) error {
	return p.setStr("vmfex_profile_del_client", cluster, func(c *C.struct_vmfex_profile, v *C.char) C.int {
		return C.vmfex_profile_del_client(c, v)
	})
}

// ImportUCSM imports port profiles from a UCS Manager XML API response, all
// or nothing, and returns how many were imported.
func (cat *Catalog) ImportUCSM(doc []byte) (int, error) {
	buf := C.CBytes(doc)
	defer C.free(buf)
	return cat.ctx.do("vmfex_catalog_import_ucsm", func() C.int {
		return C.vmfex_catalog_import_ucsm(cat.ptr(), (*C.char)(buf), C.size_t(len(doc)))
	})
}

// ImportUCSMFile imports port profiles from a file holding a UCS Manager
// response.
func (cat *Catalog) ImportUCSMFile(path string) (int, error) {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	return cat.ctx.do("vmfex_catalog_import_ucsm_file", func() C.int {
		return C.vmfex_catalog_import_ucsm_file(cat.ptr(), cs)
	})
}

// UCSMSyncOptions are the options of SyncUCSM.
type UCSMSyncOptions struct {
	URL          string // https://HOST[:PORT]
	User         string
	Password     string // or "" with PasswordFile
	PasswordFile string // a file holding the password; its trailing newline is dropped
	CAFile       string // PEM CAs to trust; "": the system's
	Insecure     bool   // do not verify the server's certificate
	Timeout      uint   // seconds for the whole sync; 0: 60
}

// SyncUCSM imports the port profiles of a UCS Manager over its XML API
// (aaaLogin, configResolveClass, aaaLogout), all or nothing, and returns
// how many were imported. EACCES: the login was refused; ETIMEDOUT; EPERM:
// the certificate is not trusted; EREMOTEIO: another UCS Manager error.
func (cat *Catalog) SyncUCSM(o UCSMSyncOptions) (int, error) {
	var co C.struct_vmfex_ucsm_sync_opts
	co.sz = C.size_t(unsafe.Sizeof(co))
	co.url = cstr(o.URL)
	defer cfree(co.url)
	co.user = cstr(o.User)
	defer cfree(co.user)
	co.password = cstr(o.Password)
	defer cfree(co.password)
	co.password_file = cstr(o.PasswordFile)
	defer cfree(co.password_file)
	co.ca_file = cstr(o.CAFile)
	defer cfree(co.ca_file)
	co.insecure = C.bool(o.Insecure)
	co.timeout = C.uint(o.Timeout)
	return cat.ctx.do("vmfex_catalog_sync_ucsm", func() C.int {
		return C.vmfex_catalog_sync_ucsm(cat.ptr(), &co)
	})
}

// PortCheckOptions are the options of CheckPort.
type PortCheckOptions struct {
	Cluster string // "": the default cluster
	Port    *Port  // the port about to be associated, or nil
	NoCount bool   // skip the count of the host's ports
}

// CheckPort checks, before associating a VM's port, that a profile may be
// used, and returns its topology. ENOENT: unknown profile; EPERM: not the
// default cluster; EACCES: the cluster is no client; EUSERS: max ports.
func (cat *Catalog) CheckPort(profile string, o *PortCheckOptions) (Topology, error) {
	cs := C.CString(profile)
	defer C.free(unsafe.Pointer(cs))
	var co C.struct_vmfex_port_check_opts
	co.sz = C.size_t(unsafe.Sizeof(co))
	if o != nil {
		co.cluster = cstr(o.Cluster)
		defer cfree(co.cluster)
		co.no_count = C.bool(o.NoCount)
	}
	var topo C.enum_vmfex_topology
	_, err := cat.ctx.do("vmfex_catalog_check_port", func() C.int {
		if o != nil && o.Port != nil {
			co.port = o.Port.ptr()
		}
		return C.vmfex_catalog_check_port(cat.ptr(), cs, &co, &topo)
	})
	if err != nil {
		return TopologyProfile, err
	}
	return Topology(topo), nil
}
