// SPDX-License-Identifier: LGPL-2.1-or-later

package vmfex

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestCatalog(t *testing.T) {
	ctx, _ := simHost(t, "ucs-b200-vic1240.json")
	cat, err := ctx.NewCatalog()
	if err != nil {
		t.Fatal(err)
	}
	defer cat.Close()
	cls := cat.Clusters()
	if len(cls) != 1 || cls[0].Name() != ClusterDefault || !cls[0].IsDefault() {
		t.Fatalf("a new catalog's clusters: %v", cls)
	}
	p, err := cat.AddProfile("pp-vlan-25")
	if err != nil {
		t.Fatal(err)
	}
	if p.MaxPorts() != ProfileMaxPortsDefault || p.HostNwIOPerf() != HostNwIOPerfNone ||
		p.Type() != ProfileTypeRegular || len(p.UUID()) != 36 || p.Topology() != TopologyMacvtapPassthrough {
		t.Errorf("defaults: %d %v %v %q %v", p.MaxPorts(), p.HostNwIOPerf(), p.Type(), p.UUID(), p.Topology())
	}
	for _, err := range []error{
		p.SetDescr("VLAN 25 for web VMs"), p.SetQoSPolicy("gold"), p.SetNwCtrlPolicy("cdp-on"),
		p.SetPinGroup("pg-a"), p.SetMaxPorts(2), p.SetHostNwIOPerf(HostNwIOPerfHighPerfReqd),
		p.SetType(ProfileTypeRegular), p.SetVLAN("web", 25, true), p.SetVLAN("mgmt", 10, false),
		p.AddClient(ClusterDefault),
	} {
		if err != nil {
			t.Error(err)
		}
	}
	if p.Descr() != "VLAN 25 for web VMs" || p.QoSPolicy() != "gold" || p.NwCtrlPolicy() != "cdp-on" ||
		p.PinGroup() != "pg-a" || p.MaxPorts() != 2 || p.Topology() != TopologyHostdev {
		t.Errorf("profile %q %q %q %q %d %v", p.Descr(), p.QoSPolicy(), p.NwCtrlPolicy(), p.PinGroup(), p.MaxPorts(), p.Topology())
	}
	want := []VLAN{{"mgmt", 10, false}, {"web", 25, true}}
	if got := p.VLANs(); len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("VLANs %v", got)
	}
	if got := p.Clients(); len(got) != 1 || got[0] != "default" {
		t.Errorf("clients %v", got)
	}
	// UCS Manager's rules.
	if err := p.SetQoSPolicy("no spaces"); !errors.Is(err, syscall.EINVAL) || !strings.Contains(err.Error(), "no spaces") {
		t.Errorf("bad policy name: %v", err)
	}
	if err := p.SetVLAN("v", 4094, false); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("VLAN 4094: %v", err)
	}
	if _, err := cat.AddProfile("pp-vlan-25"); !errors.Is(err, syscall.EEXIST) {
		t.Errorf("duplicate profile: %v", err)
	}
	if _, err := cat.Profile("nosuch"); !errors.Is(err, syscall.ENOENT) {
		t.Errorf("missing profile: %v", err)
	}
	cl, err := cat.AddCluster("c1")
	if err != nil || cl.Name() != "c1" || cl.IsDefault() {
		t.Fatalf("AddCluster: %v", err)
	}
	if err := p.AddClient("c1"); err != nil {
		t.Error(err)
	}
	if err := cat.DelCluster("c1"); !errors.Is(err, syscall.EBUSY) {
		t.Errorf("deleting a client cluster: %v", err)
	}
	if err := p.DelClient("c1"); err != nil {
		t.Error(err)
	}
	if err := cat.DelCluster("c1"); err != nil {
		t.Error(err)
	}
	if err := cat.DelCluster(ClusterDefault); !errors.Is(err, syscall.EPERM) {
		t.Errorf("deleting the default cluster: %v", err)
	}
	if _, err := cat.Cluster("c1"); !errors.Is(err, syscall.ENOENT) {
		t.Errorf("deleted cluster: %v", err)
	}
	if err := p.DelVLAN("mgmt"); err != nil || len(p.VLANs()) != 1 {
		t.Errorf("DelVLAN: %v", err)
	}

	// The port check: max ports 2, hostdev.
	topo, err := cat.CheckPort("pp-vlan-25", &PortCheckOptions{NoCount: true})
	if err != nil || topo != TopologyHostdev || topo.String() != "hostdev" {
		t.Errorf("CheckPort: %v %v", topo, err)
	}
	if _, err := cat.CheckPort("nosuch", nil); !errors.Is(err, syscall.ENOENT) {
		t.Errorf("CheckPort of an unknown profile: %v", err)
	}
	if _, err := cat.CheckPort("pp-vlan-25", &PortCheckOptions{Cluster: "c2", NoCount: true}); !errors.Is(err, syscall.EPERM) {
		t.Errorf("CheckPort in another cluster: %v", err)
	}
	for i := 0; i < 2; i++ {
		port := vfPort(t, ctx, "enp10s0f0", i)
		if err := port.Associate(PortOptions{Profile: "pp-vlan-25", InstanceUUID: vm, MAC: "52:54:00:00:00:0" + string(rune('1'+i))}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := cat.CheckPort("pp-vlan-25", nil); !errors.Is(err, syscall.EUSERS) {
		t.Errorf("CheckPort beyond max ports: %v", err)
	}

	// Save, open, compare.
	path := filepath.Join(t.TempDir(), "catalog.xml")
	if err := cat.Save(path); err != nil {
		t.Fatal(err)
	}
	doc, err := cat.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ctx.OpenCatalog(path, &CatalogOpenOptions{Lock: true})
	if err != nil {
		t.Fatal(err)
	}
	if back.Path() != path || back.NumProfiles() != 1 || back.Profiles()[0].Name() != "pp-vlan-25" {
		t.Errorf("reopened: %q %d", back.Path(), back.NumProfiles())
	}
	back.Unlock()
	again, err := back.Bytes()
	if err != nil || string(again) != string(doc) {
		t.Errorf("not the same document: %v", err)
	}
	back.Close()
	parsed, err := ctx.ParseCatalog(doc)
	if err != nil || parsed.NumProfiles() != 1 {
		t.Errorf("ParseCatalog: %v", err)
	}
	if _, err := ctx.ParseCatalog([]byte("<catalog")); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("ParseCatalog of a broken document: %v", err)
	}
	if _, err := ctx.OpenCatalog(filepath.Join(t.TempDir(), "none.xml"), nil); !errors.Is(err, syscall.ENOENT) {
		t.Errorf("OpenCatalog of a missing file: %v", err)
	}
	if c, err := ctx.OpenCatalog(filepath.Join(t.TempDir(), "none.xml"), &CatalogOpenOptions{Create: true}); err != nil || c.NumProfiles() != 0 {
		t.Errorf("OpenCatalog with Create: %v", err)
	}
	if err := cat.DelProfile("pp-vlan-25"); err != nil || cat.NumProfiles() != 0 {
		t.Errorf("DelProfile: %v", err)
	}
	if p.Name() != "pp-vlan-25" { // detached, still valid
		t.Errorf("a deleted profile's name: %q", p.Name())
	}
}

func TestUCSMClients(t *testing.T) {
	ctx, _ := simHost(t, "ucs-b200-vic1240.json")
	cat, err := ctx.NewCatalog()
	if err != nil {
		t.Fatal(err)
	}
	defer cat.Close()
	if _, err := cat.ImportUCSMFile(filepath.Join(os.Getenv("VMFEX_SRCDIR"), "examples/ucsm/configResolveClass-openstack.xml")); err != nil {
		t.Fatal(err)
	}
	p, err := cat.Profile("OS-PP-201")
	if err != nil {
		t.Fatal(err)
	}
	want := []UCSMClient{{"OS-PP-201", ".*", ".*", ".*"}, {"kvm", "^dc-[0-9]+$", "root/Tenant (A|B)", "default$"}}
	if got := p.UCSMClients(); len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("UCS Manager clients: %v", got)
	}
	if got := p.Clients(); len(got) != 1 || got[0] != ClusterDefault {
		t.Fatalf("clusters served: %v", got)
	}
	if err := p.DelClient("kvm"); err != nil || len(p.UCSMClients()) != 1 {
		t.Fatalf("DelClient of a UCS Manager client: %v", err)
	}
}

func TestSyncUCSMErrors(t *testing.T) {
	ctx, _ := simHost(t, "ucs-b200-vic1240.json")
	cat, err := ctx.NewCatalog()
	if err != nil {
		t.Fatal(err)
	}
	defer cat.Close()
	if _, err := cat.SyncUCSM(UCSMSyncOptions{URL: "http://127.0.0.1:1", User: "admin", Password: "x"}); !errors.Is(err, syscall.EINVAL) || !strings.Contains(err.Error(), "https://HOST") {
		t.Fatalf("an http URL: %v", err)
	}
	// Port 1 of the loopback: nothing listens there.
	if _, err := cat.SyncUCSM(UCSMSyncOptions{URL: "https://127.0.0.1:1", User: "admin", Password: "x", Timeout: 5}); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("no server: %v", err)
	}
	if n := len(cat.Profiles()); n != 0 {
		t.Fatalf("a failed sync left %d profiles", n)
	}
}

func TestEnumStrings(t *testing.T) {
	if v, err := ParseHostNwIOPerf("high-perf-reqd"); err != nil || v != HostNwIOPerfHighPerfReqd || v.String() != "high-perf-reqd" {
		t.Errorf("%v %v", v, err)
	}
	if _, err := ParseHostNwIOPerf("fast"); !errors.Is(err, syscall.EINVAL) {
		t.Error(err)
	}
	if v, err := ParseProfileType("sla-only"); err != nil || v != ProfileTypeSLAOnly || v.String() != "sla-only" {
		t.Errorf("%v %v", v, err)
	}
	if _, err := ParseProfileType("x"); !errors.Is(err, syscall.EINVAL) {
		t.Error(err)
	}
	if TopologyMacvtapPassthrough.String() != "macvtap-passthrough" || PortResponse(0x999).String() != "UNKNOWN" {
		t.Error("names")
	}
}

func TestImportUCSM(t *testing.T) {
	ctx, _ := simHost(t, "ucs-b200-vic1240.json")
	cat, err := ctx.NewCatalog()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(srcdir(), "examples", "ucsm")
	n, err := cat.ImportUCSMFile(filepath.Join(dir, "configResolveClass-vnicProfile.xml"))
	if err != nil || n == 0 || cat.NumProfiles() != n {
		t.Fatalf("ImportUCSMFile: %d, %v (%d profiles)", n, err, cat.NumProfiles())
	}
	doc, err := os.ReadFile(filepath.Join(dir, "error-response.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cat.ImportUCSM(doc); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("an error response: %v", err)
	}
	doc, err = os.ReadFile(filepath.Join(dir, "configResolveDn-fabric-lan-profiles.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if n, err := cat.ImportUCSM(doc); err != nil || n == 0 {
		t.Errorf("ImportUCSM: %d, %v", n, err)
	}
}

func TestXML(t *testing.T) {
	ctx, _ := simHost(t, "ucs-b200-vic1240.json")
	cat, err := ctx.NewCatalog()
	if err != nil {
		t.Fatal(err)
	}
	p, err := cat.AddProfile("pp-web")
	if err != nil {
		t.Fatal(err)
	}
	pf, err := ctx.PFByName("enp10s0f0")
	if err != nil {
		t.Fatal(err)
	}
	vf, err := pf.VF(4)
	if err != nil {
		t.Fatal(err)
	}
	iface, err := vf.InterfaceXML(p, &InterfaceOptions{MAC: "52:54:00:aa:bb:cc"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"type=\"direct\"", vf.Ifname(), "passthrough", "802.1Qbh", "pp-web", "52:54:00:aa:bb:cc"} {
		if !strings.Contains(iface, s) {
			t.Errorf("interface lacks %q:\n%s", s, iface)
		}
	}
	if _, err := vf.InterfaceXML(nil, &InterfaceOptions{ProfileID: strings.Repeat("x", 40)}); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("40-character profileid: %v", err)
	}
	if _, err := vf.InterfaceXML(nil, &InterfaceOptions{Topology: TopologyMacvtapPrivate, ProfileID: "pp"}); !errors.Is(err, syscall.EPERM) {
		t.Errorf("deprecated topology: %v", err)
	}
	hostdev, err := vf.InterfaceXML(nil, &InterfaceOptions{Topology: TopologyHostdev, ProfileID: "pp-db", MAC: "52:54:00:aa:bb:cd"})
	if err != nil || !strings.Contains(hostdev, "hostdev") {
		t.Fatalf("hostdev: %v\n%s", err, hostdev)
	}
	netIface, err := ctx.NetworkInterfaceXML("vmfex-pool", "pp-web", &InterfaceOptions{MAC: "52:54:00:aa:bb:ce"})
	if err != nil || !strings.Contains(netIface, "vmfex-pool") {
		t.Fatalf("network interface: %v\n%s", err, netIface)
	}
	network, err := pf.NetworkXML("vmfex-pool", cat, NetworkOptions{Topology: TopologyMacvtapPassthrough, DefaultProfile: "pp-web"})
	if err != nil || !strings.Contains(network, "enp10s0f0") {
		t.Fatalf("network: %v\n%s", err, network)
	}
	if _, err := pf.NetworkXML("pool", cat, NetworkOptions{Topology: TopologyHostdev, Profiles: []string{"nosuch"}}); !errors.Is(err, syscall.ENOENT) {
		t.Errorf("a profile not in the catalog: %v", err)
	}
	if n, err := pf.NetworkXML("pool", cat, NetworkOptions{Topology: TopologyHostdev, Profiles: []string{"pp-web"}, ListDevices: true}); err != nil || !strings.Contains(n, vf.PCI()[5:7]) {
		t.Errorf("hostdev pool: %v", err)
	}

	net, err := ctx.ParseNetworkXML([]byte(network))
	if err != nil {
		t.Fatal(err)
	}
	defer net.Close()
	if net.Name() != "vmfex-pool" || net.ForwardMode() != "passthrough" || net.ProfileID("pp-web") != "pp-web" {
		t.Errorf("network %q %q %q", net.Name(), net.ForwardMode(), net.ProfileID("pp-web"))
	}
	doc := "<domain type='kvm'><name>vm1</name><devices>" + iface + hostdev + netIface + "</devices></domain>"
	dom, err := ctx.ParseDomainXML([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if n, err := dom.AddNetwork(net); err != nil || n != 1 {
		t.Errorf("AddNetwork: %d %v", n, err)
	}
	if dom.Name() != "vm1" {
		t.Errorf("name %q", dom.Name())
	}
	ok, why := dom.CanMigrate()
	if ok || why == "" {
		t.Errorf("a hostdev VF does not block migration: %v %q", ok, why)
	}
	ifs := dom.Interfaces()
	dom = nil // the interfaces keep the domain
	if len(ifs) != 3 {
		t.Fatalf("%d interfaces", len(ifs))
	}
	d0, d1, d2 := ifs[0], ifs[1], ifs[2]
	if d0.Type() != "direct" || d0.SourceDev() != vf.Ifname() || d0.SourceMode() != "passthrough" ||
		d0.MAC() != "52:54:00:aa:bb:cc" || d0.Model() != "virtio" || d0.VirtualportType() != "802.1Qbh" ||
		d0.ProfileID() != "pp-web" || d0.Topology() != TopologyMacvtapPassthrough {
		t.Errorf("direct interface: %s %s %s %s %s %s %s %v", d0.Type(), d0.SourceDev(), d0.SourceMode(),
			d0.MAC(), d0.Model(), d0.VirtualportType(), d0.ProfileID(), d0.Topology())
	}
	if d1.Type() != "hostdev" || d1.PCI() != vf.PCI() || d1.Topology() != TopologyHostdev {
		t.Errorf("hostdev interface: %s %s %v", d1.Type(), d1.PCI(), d1.Topology())
	}
	if d2.Network() != "vmfex-pool" || d2.Portgroup() != "pp-web" || d2.ProfileID() != "pp-web" {
		t.Errorf("network interface: %s %s %s", d2.Network(), d2.Portgroup(), d2.ProfileID())
	}
	for _, i := range []*XMLInterface{d0, d1} {
		v, err := i.VF()
		if err != nil || v.PCI() != vf.PCI() {
			t.Errorf("VF of %s: %v", i.Type(), err)
		}
	}
	if _, err := d2.VF(); !errors.Is(err, syscall.ENOENT) {
		t.Errorf("VF of a network interface: %v", err)
	}
	if _, err := ctx.ParseDomainXML([]byte("<domain><devices><interface type='direct'><mac address='01:00:5e:00:00:01'/></interface></devices></domain>")); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("multicast MAC: %v", err)
	}
}
