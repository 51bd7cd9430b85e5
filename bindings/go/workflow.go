// SPDX-License-Identifier: LGPL-2.1-or-later

package vmfex

/*
#include <stdlib.h>
#include <libvmfex/libvmfex.h>
*/
import "C"

import (
	"time"
	"unsafe"
)

// cStrings copies strs to a NULL-terminated C array of C strings (nil for
// a nil or empty slice); free releases it.
func cStrings(strs []string) (**C.char, func()) {
	if len(strs) == 0 {
		return nil, func() {}
	}
	n := len(strs)
	arr := (*[1 << 20]*C.char)(C.calloc(C.size_t(n+1), C.size_t(unsafe.Sizeof(uintptr(0)))))[: n+1 : n+1]
	for i, s := range strs {
		arr[i] = C.CString(s)
	}
	return &arr[0], func() {
		for _, p := range arr {
			cfree(p)
		}
		C.free(unsafe.Pointer(&arr[0]))
	}
}

// ReserveOptions are the options of PF.ReserveVF.
type ReserveOptions struct {
	VMUUID  string   // the owner VM's UUID; required
	VMName  string   // the VM's name, or ""
	Domains []string // libvirt domain XML documents whose VFs are in use
	Confirm bool     // confirm the lease at once: it never goes stale
}

// ReserveVF leases the lowest free VF of the PF to a VM in the host's lease
// file (ENOSPC: no VF is free; ENODEV: the PF has no netdev).
func (p *PF) ReserveVF(o ReserveOptions) (*VF, error) {
	var co C.struct_vmfex_reserve_opts
	co.sz = C.size_t(unsafe.Sizeof(co))
	co.vm_uuid = cstr(o.VMUUID)
	defer cfree(co.vm_uuid)
	co.vm_name = cstr(o.VMName)
	defer cfree(co.vm_name)
	doms, free := cStrings(o.Domains)
	defer free()
	co.domains = doms
	co.confirm = C.bool(o.Confirm)
	var c *C.struct_vmfex_vf
	if _, err := p.ctx.do("vmfex_vf_reserve", func() C.int { return C.vmfex_vf_reserve(p.ptr(), &co, &c) }); err != nil {
		return nil, err
	}
	return newVF(p.ctx, c), nil
}

// Release drops the VF's lease. With a VM UUID the lease must be that VM's
// (EPERM: another VM holds it); with "" it is released whoever holds it.
// ENOENT: the VF has no lease.
func (v *VF) Release(vmUUID string) error {
	cs := cstr(vmUUID)
	defer cfree(cs)
	_, err := v.ctx.do("vmfex_vf_release", func() C.int { return C.vmfex_vf_release(v.ptr(), cs) })
	return err
}

// ReclaimStaleLeases drops every stale lease of the host, undoing what an
// attach killed half-way left on its VF, and returns how many were dropped.
func (ctx *Context) ReclaimStaleLeases() (int, error) {
	return ctx.do("vmfex_lease_reclaim_stale", func() C.int { return C.vmfex_lease_reclaim_stale(ctx.ptr()) })
}

// Lease is a VF leased to a VM by the VF allocator.
type Lease struct {
	PF        string // the PF's PCI address
	VFIndex   int    // the VF's index
	VMUUID    string // the owner VM's UUID
	VMName    string // the owner VM's name, or ""
	PID       int    // the process that made the lease
	Confirmed bool   // an attach succeeded, or it was reserved confirmed
	Stale     bool   // a reservation may reclaim it (as of the read)
}

// Leases reads the host's leases, sorted by PF address and VF index
// (EBADMSG: the lease file does not parse).
func (ctx *Context) Leases() ([]Lease, error) {
	ctx.lock()
	defer ctx.unlock()
	var l *C.struct_vmfex_lease_list
	if err := ctx.check("vmfex_lease_list_new", C.vmfex_lease_list_new(ctx.ptr(), &l)); err != nil {
		return nil, err
	}
	defer C.vmfex_lease_list_unref(l)
	leases := []Lease{}
	for e := C.vmfex_lease_list_next(l, nil); e != nil; e = C.vmfex_lease_list_next(l, e) {
		leases = append(leases, Lease{
			PF:        C.GoString(C.vmfex_lease_get_pf(e)),
			VFIndex:   int(C.vmfex_lease_get_vf_index(e)),
			VMUUID:    C.GoString(C.vmfex_lease_get_vm_uuid(e)),
			VMName:    C.GoString(C.vmfex_lease_get_vm_name(e)),
			PID:       int(C.vmfex_lease_get_pid(e)),
			Confirmed: bool(C.vmfex_lease_is_confirmed(e)),
			Stale:     bool(C.vmfex_lease_is_stale(e)),
		})
	}
	return leases, nil
}

// Association says who associates the VF's port with the profile in Attach.
type Association int

// Associations.
const (
	// AssociateNow: the library associates the port; the XML carries no
	// virtualport.
	AssociateNow Association = C.VMFEX_ATTACH_ASSOCIATE
	// AssociateMigration: incoming migration; the library pre-associates
	// the port and AttachMigrationFinish associates it.
	AssociateMigration Association = C.VMFEX_ATTACH_PREASSOCIATE
	// AssociateByLibvirt: libvirt associates the port when the VM starts;
	// the XML carries the virtualport.
	AssociateByLibvirt Association = C.VMFEX_ATTACH_BY_LIBVIRT
)

// AttachOptions are the options of Attach.
type AttachOptions struct {
	VMUUID      string        // the VM's UUID; required
	VMName      string        // the VM's name, or ""
	Profile     string        // the port profile; required
	PF          string        // the PF (netdev or PCI address); "": the first with a free VF
	Topology    Topology      // TopologyMacvtapPassthrough or TopologyHostdev; TopologyProfile: the catalog profile's, else passthrough
	Catalog     *Catalog      // a catalog to check the profile against, or nil
	MAC         string        // the guest MAC; "": a random local one
	Association Association   // who associates the port
	Domains     []string      // domain XML documents whose VFs are in use
	HostUUID    string        // the host UUID for the port, or ""
	Timeout     time.Duration // the adapter wait (0: the default)
}

// Attach gives a VM a VM-FEX vNIC: reserves a VF, sets its MAC, associates
// its port, binds it to vfio-pci for hostdev, and returns the domain
// <interface>. When a step fails the steps done are undone and no lease is
// left (ENOSPC: no PF has a free VF).
func (ctx *Context) Attach(o AttachOptions) (string, error) {
	var co C.struct_vmfex_attach_opts
	free, err := fillAttachOpts(&co, o, "vmfex_attach")
	if err != nil {
		return "", err
	}
	defer free()
	var xml *C.char
	if _, err := ctx.do("vmfex_attach", func() C.int {
		if o.Catalog != nil {
			co.catalog = o.Catalog.ptr()
		}
		return C.vmfex_attach(ctx.ptr(), &co, &xml)
	}); err != nil {
		return "", err
	}
	return takeString(xml), nil
}

// fillAttachOpts sets co from o but for the catalog (set under the
// context's lock); free releases the C strings.
func fillAttachOpts(co *C.struct_vmfex_attach_opts, o AttachOptions, op string) (func(), error) {
	if o.Timeout < 0 {
		return nil, &Error{Op: op, Errno: einval, Msg: "negative timeout"}
	}
	var strs []*C.char
	co.sz = C.size_t(unsafe.Sizeof(*co))
	for _, s := range []struct {
		dst **C.char
		v   string
	}{{&co.vm_uuid, o.VMUUID}, {&co.vm_name, o.VMName}, {&co.profile, o.Profile},
		{&co.pf, o.PF}, {&co.mac, o.MAC}, {&co.host_uuid, o.HostUUID}} {
		*s.dst = cstr(s.v)
		strs = append(strs, *s.dst)
	}
	co.topology = C.enum_vmfex_xml_topology(o.Topology)
	co.association = C.enum_vmfex_attach_association(o.Association)
	doms, freeDoms := cStrings(o.Domains)
	co.domains = doms
	co.timeout_ms = C.uint(o.Timeout.Milliseconds())
	return func() {
		for _, p := range strs {
			cfree(p)
		}
		freeDoms()
	}, nil
}

// AttachResult is the result of one VM of AttachMany.
type AttachResult struct {
	XML string // the domain <interface>, when attached
	Err error  // why the VM was not attached (its steps undone), or nil
}

// AttachMany attaches many VMs in one call, as a host restarting its VMs
// does: every VM up to its port request, then one wait of the adapter for
// all, then the rest. A VM that fails is undone alone; the others stay
// attached. The error is non-nil only when nothing could be done.
func (ctx *Context) AttachMany(opts []AttachOptions) ([]AttachResult, error) {
	n := len(opts)
	if n == 0 {
		return nil, nil
	}
	sz := C.size_t(unsafe.Sizeof(C.struct_vmfex_attach_opts{}))
	ptrSz := C.size_t(unsafe.Sizeof(uintptr(0)))
	// In C memory: the library is handed pointers to them.
	cos := (*[1 << 20]C.struct_vmfex_attach_opts)(C.calloc(C.size_t(n), sz))[:n:n]
	defer C.free(unsafe.Pointer(&cos[0]))
	ptrs := (*[1 << 20]*C.struct_vmfex_attach_opts)(C.calloc(C.size_t(n), ptrSz))[:n:n]
	defer C.free(unsafe.Pointer(&ptrs[0]))
	xmls := (*[1 << 20]*C.char)(C.calloc(C.size_t(n), ptrSz))[:n:n]
	defer C.free(unsafe.Pointer(&xmls[0]))
	results := (*[1 << 20]C.int)(C.calloc(C.size_t(n), C.size_t(unsafe.Sizeof(C.int(0)))))[:n:n]
	defer C.free(unsafe.Pointer(&results[0]))
	for i, o := range opts {
		free, err := fillAttachOpts(&cos[i], o, "vmfex_attach_many")
		if err != nil {
			return nil, err
		}
		defer free()
		ptrs[i] = &cos[i]
	}
	_, err := ctx.do("vmfex_attach_many", func() C.int {
		for i, o := range opts {
			if o.Catalog != nil {
				cos[i].catalog = o.Catalog.ptr()
			}
		}
		return C.vmfex_attach_many(ctx.ptr(), &ptrs[0], C.size_t(n), &xmls[0], &results[0])
	})
	if err != nil {
		return nil, err
	}
	// Each VM's own error; the log has the messages that say why.
	out := make([]AttachResult, n)
	for i := range out {
		if results[i] < 0 {
			out[i].Err = errnoErr("vmfex_attach_many", results[i], "")
		} else {
			out[i].XML = takeString(xmls[i])
		}
	}
	return out, nil
}

// AttachMigrationFinish associates the ports Attach pre-associated for a
// VM (AssociateMigration) once it runs here, and returns how many were
// (ENOENT: none).
func (ctx *Context) AttachMigrationFinish(vmUUID string) (int, error) {
	cs := C.CString(vmUUID)
	defer C.free(unsafe.Pointer(cs))
	return ctx.do("vmfex_attach_migration_finish", func() C.int { return C.vmfex_attach_migration_finish(ctx.ptr(), cs) })
}

// AttachMigrationBegin pre-associates again the ports Attach associated for
// a VM, on a migration's source once the VM stops running here, so that it
// is never associated on two hosts at once; it returns how many were
// (ENOENT: none). AttachMigrationFinish associates them again should the VM
// run here again.
func (ctx *Context) AttachMigrationBegin(vmUUID string) (int, error) {
	cs := C.CString(vmUUID)
	defer C.free(unsafe.Pointer(cs))
	return ctx.do("vmfex_attach_migration_begin", func() C.int { return C.vmfex_attach_migration_begin(ctx.ptr(), cs) })
}

// Detach undoes the attaches of a VM (driver, port, MAC, lease) and returns
// how many VFs were released (ENOENT: the VM holds none).
func (ctx *Context) Detach(vmUUID string) (int, error) {
	cs := C.CString(vmUUID)
	defer C.free(unsafe.Pointer(cs))
	return ctx.do("vmfex_detach", func() C.int { return C.vmfex_detach(ctx.ptr(), cs) })
}
