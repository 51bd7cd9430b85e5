// SPDX-License-Identifier: LGPL-2.1-or-later

package vmfex

import (
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

const vm2 = "0f0e0d0c-0b0a-4909-8807-060504030201"

func TestReserveReleaseLeases(t *testing.T) {
	ctx, _ := simHost(t, "ucs-b200-vic1240.json")
	pf, err := ctx.PFByIfname("enp10s0f0")
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	if l, err := ctx.Leases(); err != nil || len(l) != 0 {
		t.Fatalf("Leases on a new host = %v, %v", l, err)
	}
	vf, err := pf.ReserveVF(ReserveOptions{VMUUID: vm, VMName: "web"})
	if err != nil {
		t.Fatal(err)
	}
	defer vf.Close()
	vf2, err := pf.ReserveVF(ReserveOptions{VMUUID: vm2, Confirm: true})
	if err != nil {
		t.Fatal(err)
	}
	defer vf2.Close()
	if vf.Index() == vf2.Index() {
		t.Errorf("two reservations got VF %d", vf.Index())
	}
	leases, err := ctx.Leases()
	if err != nil {
		t.Fatal(err)
	}
	if len(leases) != 2 {
		t.Fatalf("Leases = %+v, want 2", leases)
	}
	l := leases[0]
	if l.PF != pf.PCI() || l.VFIndex != vf.Index() || l.VMUUID != vm || l.VMName != "web" ||
		l.PID != syscall.Getpid() || l.Confirmed || l.Stale {
		t.Errorf("lease = %+v", l)
	}
	if l := leases[1]; l.VMUUID != vm2 || l.VMName != "" || !l.Confirmed || l.Stale {
		t.Errorf("confirmed lease = %+v", l)
	}
	if n, err := ctx.ReclaimStaleLeases(); err != nil || n != 0 {
		t.Errorf("ReclaimStaleLeases = %d, %v; the leases' process is alive", n, err)
	}
	if err := vf.Release(vm2); !errors.Is(err, syscall.EPERM) {
		t.Errorf("Release by another VM: %v, want EPERM", err)
	}
	if err := vf.Release(vm); err != nil {
		t.Fatal(err)
	}
	if err := vf.Release(vm); !errors.Is(err, syscall.ENOENT) {
		t.Errorf("second Release: %v, want ENOENT", err)
	}
	if err := vf2.Release(""); err != nil {
		t.Errorf("Release whoever holds it: %v", err)
	}
	if l, err := ctx.Leases(); err != nil || len(l) != 0 {
		t.Errorf("Leases after release = %v, %v", l, err)
	}
	if _, err := pf.ReserveVF(ReserveOptions{VMUUID: "not-a-uuid"}); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("ReserveVF with a bad UUID: %v, want EINVAL", err)
	}
	var e *Error
	if _, err := pf.ReserveVF(ReserveOptions{VMUUID: vm, Domains: []string{"<domain"}}); !errors.As(err, &e) ||
		e.Errno != syscall.EINVAL || e.Op != "vmfex_vf_reserve" {
		t.Errorf("ReserveVF with a domain that does not parse: %v, want EINVAL", err)
	}
}

func TestAttachDetach(t *testing.T) {
	ctx, _ := simHost(t, "ucs-b200-vic1240.json")
	for _, top := range []Topology{TopologyMacvtapPassthrough, TopologyHostdev} {
		xml, err := ctx.Attach(AttachOptions{VMUUID: vm, VMName: "web", Profile: "pp-vlan-25",
			PF: "enp10s0f0", Topology: top, MAC: "52:54:00:ac:ff:b6", HostUUID: dmi})
		if err != nil {
			t.Fatalf("Attach %v: %v", top, err)
		}
		if !strings.HasPrefix(strings.TrimSpace(xml), "<interface") || !strings.Contains(xml, "52:54:00:ac:ff:b6") {
			t.Errorf("Attach %v XML:\n%s", top, xml)
		}
		leases, err := ctx.Leases()
		if err != nil || len(leases) != 1 || !leases[0].Confirmed || leases[0].VMUUID != vm {
			t.Fatalf("Leases after Attach %v = %+v, %v", top, leases, err)
		}
		if n, err := ctx.Detach(vm); err != nil || n != 1 {
			t.Errorf("Detach = %d, %v", n, err)
		}
		if l, err := ctx.Leases(); err != nil || len(l) != 0 {
			t.Errorf("Leases after Detach = %v, %v", l, err)
		}
	}
	if _, err := ctx.Detach(vm); !errors.Is(err, syscall.ENOENT) {
		t.Errorf("Detach of a VM without VFs: %v, want ENOENT", err)
	}
	if _, err := ctx.Attach(AttachOptions{VMUUID: vm}); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("Attach without a profile: %v, want EINVAL", err)
	}
	// Incoming migration: pre-associated, then associated.
	if _, err := ctx.Attach(AttachOptions{VMUUID: vm, Profile: "pp-vlan-25", PF: "enp10s0f0",
		Association: AssociateMigration}); err != nil {
		t.Fatal(err)
	}
	if n, err := ctx.AttachMigrationFinish(vm); err != nil || n != 1 {
		t.Errorf("AttachMigrationFinish = %d, %v", n, err)
	}
	if _, err := ctx.AttachMigrationFinish(vm); !errors.Is(err, syscall.ENOENT) {
		t.Errorf("second AttachMigrationFinish: %v, want ENOENT", err)
	}
	// Outgoing migration: back to pre-associated, then (failed) associated.
	if n, err := ctx.AttachMigrationBegin(vm); err != nil || n != 1 {
		t.Errorf("AttachMigrationBegin = %d, %v", n, err)
	}
	if _, err := ctx.AttachMigrationBegin(vm); !errors.Is(err, syscall.ENOENT) {
		t.Errorf("second AttachMigrationBegin: %v, want ENOENT", err)
	}
	if n, err := ctx.AttachMigrationFinish(vm); err != nil || n != 1 {
		t.Errorf("AttachMigrationFinish after Begin = %d, %v", n, err)
	}
	if n, err := ctx.Detach(vm); err != nil || n != 1 {
		t.Errorf("Detach = %d, %v", n, err)
	}
}

func TestAttachMany(t *testing.T) {
	ctx, _ := simHost(t, "ucs-b200-vic1240.json")
	vms := []string{"6b9a1e2c-3d4f-4a5b-8c6d-00000000c000", "not-a-uuid",
		"6b9a1e2c-3d4f-4a5b-8c6d-00000000c002"}
	var opts []AttachOptions
	for _, v := range vms {
		opts = append(opts, AttachOptions{VMUUID: v, Profile: "pp-vlan-25", PF: "enp10s0f0"})
	}
	res, err := ctx.AttachMany(opts)
	if err != nil || len(res) != 3 {
		t.Fatalf("AttachMany = %v, %v", res, err)
	}
	if res[0].Err != nil || res[2].Err != nil || !strings.Contains(res[0].XML, "enp10s0f0v0") ||
		!strings.Contains(res[2].XML, "enp10s0f0v1") {
		t.Errorf("AttachMany: the good VMs: %+v", res)
	}
	if !errors.Is(res[1].Err, syscall.EINVAL) || res[1].XML != "" {
		t.Errorf("AttachMany: the bad VM: %+v, want EINVAL", res[1])
	}
	leases, err := ctx.Leases()
	if err != nil || len(leases) != 2 || leases[0].VMUUID != vms[0] || leases[1].VMUUID != vms[2] {
		t.Errorf("Leases after AttachMany = %+v, %v", leases, err)
	}
	for _, v := range []string{vms[0], vms[2]} {
		if n, err := ctx.Detach(v); err != nil || n != 1 {
			t.Errorf("Detach(%s) = %d, %v", v, n, err)
		}
	}
}

func TestAttachFailureLeavesNoLease(t *testing.T) {
	ctx, sink := simHost(t, "ucs-b200-vic1240.json")
	if err := ctx.SimInject(SimInjection{Count: 1, Response: PortResponseBadState}); err != nil {
		t.Fatal(err)
	}
	_, err := ctx.Attach(AttachOptions{VMUUID: vm, VMName: "web", Profile: "pp-vlan-25", PF: "enp10s0f0"})
	if !errors.Is(err, syscall.EBADE) {
		t.Fatalf("Attach after a BADSTATE injection: %v, want EBADE", err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Op != "vmfex_attach" || e.Msg == "" || !sink.contains("BADSTATE") {
		t.Errorf("error %#v does not carry the library's message", err)
	}
	if l, err := ctx.Leases(); err != nil || len(l) != 0 {
		t.Errorf("Leases after a failed Attach = %+v, %v", l, err)
	}
	if _, err := ctx.Detach(vm); !errors.Is(err, syscall.ENOENT) {
		t.Errorf("Detach after a failed Attach: %v, want ENOENT", err)
	}
}

func TestAdvise(t *testing.T) {
	ctx, _ := simHost(t, "ucs-b200-vic1240.json")
	fs, err := ctx.Advise(&AdvisorPlan{VMs: 40, Topology: TopologyHostdev, FIModel: "UCS-FI-6454"})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range fs.List {
		if f.Code == "vic-no-sriov-vmfex" {
			found = true
			if f.Severity != SeverityError || f.Severity.String() != "error" || f.Subject == "" ||
				f.Reason == "" || f.Action == "" {
				t.Errorf("finding = %+v", f)
			}
		}
	}
	if !found || fs.MaxSeverity != SeverityError {
		t.Errorf("findings = %+v, want vic-no-sriov-vmfex as an error", fs)
	}
	if fs, err := ctx.Advise(nil); err != nil || len(fs.List) == 0 {
		t.Errorf("Advise(nil) = %+v, %v", fs, err)
	}
	if _, err := ctx.Advise(&AdvisorPlan{PF: "enp99s0"}); err == nil {
		t.Errorf("Advise on a missing PF succeeded")
	}
	if SeverityWarning.String() != "warning" || SeverityInfo.String() != "info" || Severity(9).String() != "Severity(9)" {
		t.Errorf("Severity names: %v %v %v", SeverityWarning, SeverityInfo, Severity(9))
	}
}

func TestTopologyDOT(t *testing.T) {
	ctx, _ := simHost(t, "ucs-b200-vic1240.json")
	iface, err := ctx.Attach(AttachOptions{VMUUID: vm, VMName: "web-leased", Profile: "pp-vlan-25",
		PF: "enp10s0f0", Topology: TopologyHostdev})
	if err != nil {
		t.Fatal(err)
	}
	dot, err := ctx.TopologyDOT(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(dot, "digraph") && !strings.HasPrefix(dot, "graph") {
		t.Errorf("not a DOT graph:\n%s", dot)
	}
	if !strings.Contains(dot, "web-leased") {
		t.Errorf("the leased VM's name is not in the graph:\n%s", dot)
	}
	doc := "<domain type='kvm'><name>web-leased</name><uuid>" + vm + "</uuid><devices>" + iface + "</devices></domain>"
	dom, err := ctx.ParseDomainXML([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	defer dom.Close()
	dot2, err := ctx.TopologyDOT(&TopologyOptions{Domains: []*XMLDomain{dom}, PF: "enp10s0f0", NoProfiles: true})
	if err != nil || !strings.Contains(dot2, "web-leased") {
		t.Errorf("TopologyDOT with the domain: %v\n%s", err, dot2)
	}
	if _, err := ctx.TopologyDOT(&TopologyOptions{PF: "enp99s0"}); err == nil {
		t.Errorf("TopologyDOT of a missing PF succeeded")
	}
	out := filepath.Join(t.TempDir(), "topology.svg")
	if err := ctx.RenderTopology(dot, "gif", out); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("RenderTopology to gif: %v, want EINVAL", err)
	}
	err = ctx.RenderTopology(dot, "svg", out)
	if _, lookErr := exec.LookPath("dot"); lookErr != nil {
		if !errors.Is(err, syscall.ENOENT) {
			t.Errorf("RenderTopology without Graphviz: %v, want ENOENT", err)
		}
	} else if err != nil {
		t.Errorf("RenderTopology: %v", err)
	}
	if _, err := ctx.Detach(vm); err != nil {
		t.Error(err)
	}
}
