// SPDX-License-Identifier: LGPL-2.1-or-later

package vmfex

/*
#include <stdlib.h>
#include <libvmfex/libvmfex.h>
*/
import "C"

import (
	"bytes"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"unsafe"
)

// Severity is how serious an advisor finding is.
type Severity int

// Severities.
const (
	SeverityInfo    Severity = C.VMFEX_SEVERITY_INFO    // a fact; nothing to fix
	SeverityWarning Severity = C.VMFEX_SEVERITY_WARNING // the plan works with a limit or a risk
	SeverityError   Severity = C.VMFEX_SEVERITY_ERROR   // the plan cannot work as it is
)

// String is "info", "warning" or "error".
func (s Severity) String() string {
	if p := C.vmfex_severity_to_string(C.enum_vmfex_severity(s)); p != nil {
		return C.GoString(p)
	}
	return "Severity(" + strconv.Itoa(int(s)) + ")"
}

// AdvisorPlan is the plan Advise checks the host against; every field may
// be left zero.
type AdvisorPlan struct {
	PF       string   // check only this PF (netdev or PCI address); "": every VIC PF
	VMs      int      // how many VMs are to get a port (0: not checked)
	Topology Topology // the topology planned; TopologyProfile: none chosen
	FIModel  string   // the fabric interconnect's model, such as "UCS-FI-6454"; "": unknown
}

// Finding is one result of the advisor.
type Finding struct {
	Severity Severity
	Code     string // a stable name, such as "vic-no-sriov-vmfex"
	Subject  string // a PF's PCI address, or "" for the host or the plan
	Reason   string // one line
	Action   string // what to do, one line ("nothing" for a plain fact)
}

// Findings are the advisor's findings, in the order they were found.
type Findings struct {
	List        []Finding
	MaxSeverity Severity // SeverityInfo when there is none
}

// Advise checks the host against a plan (nil: the host's facts only). It
// changes nothing; the verdict is in the findings (ENODEV: plan.PF is not
// a PF).
func (ctx *Context) Advise(plan *AdvisorPlan) (*Findings, error) {
	var co *C.struct_vmfex_advisor_opts
	if plan != nil {
		if plan.VMs < 0 {
			return nil, &Error{Op: "vmfex_advisor_check", Errno: einval, Msg: "negative VM count"}
		}
		co = (*C.struct_vmfex_advisor_opts)(C.calloc(1, C.size_t(unsafe.Sizeof(C.struct_vmfex_advisor_opts{}))))
		defer C.free(unsafe.Pointer(co))
		co.sz = C.size_t(unsafe.Sizeof(*co))
		co.pf = cstr(plan.PF)
		defer cfree(co.pf)
		co.vms = C.uint(plan.VMs)
		co.topology = C.enum_vmfex_xml_topology(plan.Topology)
		co.fi_model = cstr(plan.FIModel)
		defer cfree(co.fi_model)
	}
	ctx.lock()
	defer ctx.unlock()
	var c *C.struct_vmfex_findings
	if err := ctx.check("vmfex_advisor_check", C.vmfex_advisor_check(ctx.ptr(), co, &c)); err != nil {
		return nil, err
	}
	defer C.vmfex_findings_unref(c)
	fs := &Findings{
		List:        make([]Finding, 0, int(C.vmfex_findings_get_count(c))),
		MaxSeverity: Severity(C.vmfex_findings_get_max_severity(c)),
	}
	for f := C.vmfex_findings_next(c, nil); f != nil; f = C.vmfex_findings_next(c, f) {
		fs.List = append(fs.List, Finding{
			Severity: Severity(C.vmfex_finding_get_severity(f)),
			Code:     C.GoString(C.vmfex_finding_get_code(f)),
			Subject:  C.GoString(C.vmfex_finding_get_subject(f)),
			Reason:   C.GoString(C.vmfex_finding_get_reason(f)),
			Action:   C.GoString(C.vmfex_finding_get_action(f)),
		})
	}
	return fs, nil
}

// TopologyOptions are the options of TopologyDOT.
type TopologyOptions struct {
	Domains    []*XMLDomain // VMs whose interfaces are drawn to their VFs
	PF         string       // draw only this PF (netdev or PCI address); "": every SR-IOV PF
	NoProfiles bool         // leave out the port profiles (no rtnetlink request)
}

// TopologyDOT draws the host's VM-FEX topology as a Graphviz DOT graph:
// PFs, VFs, their port profiles and leases, and the VMs using them. o may
// be nil.
func (ctx *Context) TopologyDOT(o *TopologyOptions) (string, error) {
	var co *C.struct_vmfex_topology_dot_opts
	if o != nil {
		co = (*C.struct_vmfex_topology_dot_opts)(C.calloc(1, C.size_t(unsafe.Sizeof(C.struct_vmfex_topology_dot_opts{}))))
		defer C.free(unsafe.Pointer(co))
		co.sz = C.size_t(unsafe.Sizeof(*co))
		co.pf = cstr(o.PF)
		defer cfree(co.pf)
		co.no_profiles = C.bool(o.NoProfiles)
		if n := len(o.Domains); n > 0 {
			arr := (*[1 << 20]*C.struct_vmfex_xml_domain)(C.calloc(C.size_t(n), C.size_t(unsafe.Sizeof(uintptr(0)))))[:n:n]
			defer C.free(unsafe.Pointer(&arr[0]))
			for i, d := range o.Domains {
				arr[i] = d.ptr()
			}
			co.domains = &arr[0]
			co.n_domains = C.size_t(n)
		}
	}
	var dot *C.char
	var n C.size_t
	if _, err := ctx.do("vmfex_topology_write_dot", func() C.int {
		return C.vmfex_topology_write_dot(ctx.ptr(), co, &dot, &n)
	}); err != nil {
		return "", err
	}
	defer C.free(unsafe.Pointer(dot))
	return C.GoStringN(dot, C.int(n)), nil
}

// RenderTopology renders a DOT graph to a file with Graphviz's dot program
// in format "svg" or "png": EINVAL for another format, ENOENT when Graphviz
// is not installed, EIO when dot fails. The library writes DOT and spawns
// nothing; dot is run here.
func (ctx *Context) RenderTopology(dot, format, path string) error {
	if format != "svg" && format != "png" {
		return fmt.Errorf("render %s: format %q is neither svg nor png: %w", path, format, syscall.EINVAL)
	}
	prog, err := exec.LookPath("dot")
	if err != nil {
		return fmt.Errorf("render %s: Graphviz's dot program is not in PATH: install graphviz to write %s: %w",
			path, format, syscall.ENOENT)
	}
	cmd := exec.Command(prog, "-T"+format, "-o"+path)
	cmd.Stdin = strings.NewReader(dot)
	var said bytes.Buffer
	cmd.Stderr = &said
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("render %s: dot -T%s failed (%v): %s: %w", path, format, err,
			strings.TrimSpace(said.String()), syscall.EIO)
	}
	return nil
}
