// SPDX-License-Identifier: LGPL-2.1-or-later

package vmfex

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

const (
	vm  = "8a6a0f55-0d9b-4a5b-9a8e-6f1c2b3d4e5f"
	dmi = "4c4c4544-0042-4810-8052-b4c04f4d3132" // ucs-b200-vic1240.json
)

func srcdir() string {
	if s := os.Getenv("VMFEX_SRCDIR"); s != "" {
		return s
	}
	return filepath.Join("..", "..")
}

// logSink collects a context's messages.
type logSink struct {
	mu   sync.Mutex
	msgs []string
}

func (s *logSink) fn(r LogRecord) {
	s.mu.Lock()
	s.msgs = append(s.msgs, r.Msg)
	s.mu.Unlock()
}

func (s *logSink) contains(sub string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range s.msgs {
		if strings.Contains(m, sub) {
			return true
		}
	}
	return false
}

// simHost makes a simulated host from examples/hosts/<name> with the
// binding's SimCreate and opens a context on it.
func simHost(t *testing.T, name string) (*Context, *logSink) {
	t.Helper()
	sink := &logSink{}
	mk, err := New(IgnoreEnv(), WithLogFunc(sink.fn))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "host")
	if err := mk.SimCreate(dir, filepath.Join(srcdir(), "examples", "hosts", name)); err != nil {
		t.Fatal(err)
	}
	mk.Close()
	ctx, err := New(IgnoreEnv(), WithSimDir(dir), WithLogFunc(sink.fn))
	if err != nil {
		t.Fatal(err)
	}
	if ctx.SimDir() != dir {
		t.Errorf("SimDir() = %q, want %q", ctx.SimDir(), dir)
	}
	t.Cleanup(ctx.Close)
	return ctx, sink
}

// The library's version is the project's, as meson.build declares it.
func TestVersion(t *testing.T) {
	mb, err := os.ReadFile(filepath.Join(srcdir(), "meson.build"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*version : '([^']+)',`).FindSubmatch(mb)
	if m == nil {
		t.Fatal("no project version in meson.build")
	}
	if v := Version(); v != string(m[1]) {
		t.Errorf("Version() = %q, meson.build says %q", v, m[1])
	}
}

func TestSimCreateErrors(t *testing.T) {
	ctx, err := New(IgnoreEnv(), WithLogFunc(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer ctx.Close()
	err = ctx.SimCreate(filepath.Join(t.TempDir(), "h"), "/nonexistent/host.json")
	if !errors.Is(err, syscall.ENOENT) {
		t.Errorf("SimCreate of a missing description: %v, want ENOENT", err)
	}
	if _, err := ctx.ReadSimLatency(); !errors.Is(err, syscall.ENOTSUP) {
		t.Errorf("SimLatency on a real host: %v, want ENOTSUP", err)
	}
	// Why, said while the context is made, reaches the log function and
	// the error.
	var heard []string
	_, err = New(IgnoreEnv(), WithSimDir("/nonexistent/sim"),
		WithLogFunc(func(r LogRecord) { heard = append(heard, r.Msg) }))
	if !errors.Is(err, syscall.ENOENT) {
		t.Errorf("New on a missing simulated host: %v, want ENOENT", err)
	}
	if len(heard) != 1 || !strings.Contains(heard[0], "/nonexistent/sim") {
		t.Errorf("log while New failed: %q, want one line naming the directory", heard)
	}
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/sim") {
		t.Errorf("New's error %v does not name the directory", err)
	}
}

func TestInventory(t *testing.T) {
	ctx, _ := simHost(t, "ucs-b200-vic1240.json")
	pfs := ctx.PFs()
	if len(pfs) != 2 {
		t.Fatalf("%d PFs, want 2", len(pfs))
	}
	pf := pfs[0]
	if pf.PCI() != "0000:0a:00.0" || pf.Ifname() != "enp10s0f0" || pf.Driver() != "enic" {
		t.Errorf("PF %s %s %s", pf.PCI(), pf.Ifname(), pf.Driver())
	}
	if pf.VendorID() != 0x1137 || pf.DeviceID() != 0x0043 || pf.SubsystemVendorID() != 0x1137 ||
		pf.SubsystemDeviceID() != 0x0084 || !pf.IsVIC() {
		t.Errorf("PF ids %04x:%04x %04x:%04x", pf.VendorID(), pf.DeviceID(), pf.SubsystemVendorID(), pf.SubsystemDeviceID())
	}
	_ = pf.VendorName() + pf.DeviceName() + pf.Model() // pci.ids may be absent
	if pf.TotalVFs() != 16 || pf.NumVFs() != 16 {
		t.Errorf("VFs %d/%d", pf.NumVFs(), pf.TotalVFs())
	}
	vfs := pf.VFs()
	if len(vfs) != 16 {
		t.Fatalf("%d VFs", len(vfs))
	}
	for i, vf := range vfs {
		if vf.Index() != i || vf.DeviceID() != 0x0071 || vf.Driver() != "enic" {
			t.Errorf("VF %d: index %d device %04x driver %s", i, vf.Index(), vf.DeviceID(), vf.Driver())
		}
	}
	vf3, err := pf.VF(3)
	if err != nil {
		t.Fatal(err)
	}
	byPCI, err := ctx.VFByPCI(vf3.PCI())
	if err != nil || byPCI.Index() != 3 || byPCI.PF().PCI() != pf.PCI() {
		t.Errorf("VFByPCI(%s): %v", vf3.PCI(), err)
	}
	if vf3.Ifname() != "" {
		if v, err := ctx.VFByIfname(vf3.Ifname()); err != nil || v.PCI() != vf3.PCI() {
			t.Errorf("VFByIfname(%s): %v", vf3.Ifname(), err)
		}
	}
	if _, err := pf.VF(99); !errors.Is(err, syscall.ENOENT) {
		t.Errorf("VF(99): %v, want ENOENT", err)
	}
	if p, err := ctx.PFByName("enp11s0f0"); err != nil || p.PCI() != "0000:0b:00.0" {
		t.Errorf("PFByName: %v", err)
	}
	if p, err := ctx.PFByIfname("enp10s0f0"); err != nil || p.PCI() != pf.PCI() {
		t.Errorf("PFByIfname: %v", err)
	}
	if _, err := ctx.PFByPCI("0000:0c:00.0"); !errors.Is(err, syscall.ENOTSUP) {
		t.Errorf("PFByPCI of a dynamic vNIC: %v, want ENOTSUP", err)
	}
	if _, err := ctx.PFByPCI("../etc"); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("PFByPCI of a malformed address: %v, want EINVAL", err)
	}
	if _, err := ctx.PFByIfname("nosuch0"); !errors.Is(err, syscall.ENODEV) {
		t.Errorf("PFByIfname(nosuch0): %v, want ENODEV", err)
	}
	if err := pf.Refresh(); err != nil {
		t.Error(err)
	}
	if err := vf3.Refresh(); err != nil {
		t.Error(err)
	}
}

func TestNumVFs(t *testing.T) {
	ctx, _ := simHost(t, "ucs-b200-vic1240.json")
	pf, err := ctx.PFByName("enp10s0f0")
	if err != nil {
		t.Fatal(err)
	}
	// enic enables its VFs at probe: the kernel has no sriov_configure.
	err = pf.SetNumVFs(4, nil)
	if !errors.Is(err, syscall.ENOENT) {
		t.Fatalf("SetNumVFs on enic: %v, want ENOENT", err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Op != "vmfex_pf_set_num_vfs" || e.Msg == "" {
		t.Errorf("error %#v carries no operation or message", err)
	}
	if err := pf.SetNumVFs(17, nil); !errors.Is(err, syscall.ERANGE) {
		t.Errorf("SetNumVFs above the total: %v, want ERANGE", err)
	}

	ctx2, _ := simHost(t, "mixed-82599-virtio.json")
	ix, err := ctx2.PFByName("enp3s0f0")
	if err != nil {
		t.Fatal(err)
	}
	if ix.NumVFs() != 0 || len(ix.VFs()) != 0 {
		t.Fatalf("82599 starts with %d VFs", ix.NumVFs())
	}
	if err := ix.SetNumVFs(4, &SetNumVFsOptions{Timeout: 2 * time.Second, Autoprobe: AutoprobeOn}); err != nil {
		t.Fatal(err)
	}
	if ix.NumVFs() != 4 || len(ix.VFs()) != 4 {
		t.Errorf("after SetNumVFs(4): %d VFs", ix.NumVFs())
	}
	if err := ix.SetNumVFs(64, nil); !errors.Is(err, syscall.ERANGE) {
		t.Errorf("SetNumVFs(64) of 63: %v, want ERANGE", err)
	}
	// VF settings through the PF (ixgbe has every setter).
	vf, err := ix.VF(1)
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{
		vf.SetMAC("52:54:00:12:34:56"),
		vf.SetVLAN(25, 3, VLANProto8021Q),
		vf.SetSpoofChk(false),
		vf.SetTrust(true),
		vf.SetLinkState(LinkStateDisable),
		vf.SetRate(0, 1000),
	} {
		if err != nil {
			t.Error(err)
		}
	}
	if err := vf.SetMAC("01:00:5e:00:00:01"); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("multicast MAC: %v, want EINVAL", err)
	}
	link, err := ix.ReadLink()
	if err != nil {
		t.Fatal(err)
	}
	defer link.Close()
	if link.Ifname() != "enp3s0f0" || link.NumVFs() != 4 || link.IfIndex() <= 0 {
		t.Errorf("link %s: %d VFs, ifindex %d", link.Ifname(), link.NumVFs(), link.IfIndex())
	}
	lv := link.VF(1)
	if lv == nil {
		t.Fatal("link has no VF 1")
	}
	want := LinkVF{Index: 1, MAC: "52:54:00:12:34:56", VLAN: 25, QoS: 3, VLANProto: 0x8100,
		SpoofChk: Off, Trust: On, LinkState: LinkStateDisable, MaxRate: 1000}
	if *lv != want {
		t.Errorf("link VF 1 = %+v, want %+v", *lv, want)
	}
	if len(link.VFs()) != 4 {
		t.Errorf("link lists %d VFs", len(link.VFs()))
	}
	// 82599 has no 802.1Qbh ports.
	if link.SelfPort() != nil || lv.Port != nil {
		t.Error("ixgbe reports a port")
	}
}

func vfPort(t *testing.T, ctx *Context, pfName string, index int) *Port {
	t.Helper()
	pf, err := ctx.PFByName(pfName)
	if err != nil {
		t.Fatal(err)
	}
	vf, err := pf.VF(index)
	if err != nil {
		t.Fatal(err)
	}
	port, err := vf.Port()
	if err != nil {
		t.Fatal(err)
	}
	if port.VFIndex() != index || port.Ifname() != pfName {
		t.Errorf("port %s VF %d", port.Ifname(), port.VFIndex())
	}
	return port
}

func TestPortAssociate(t *testing.T) {
	ctx, _ := simHost(t, "ucs-b200-vic1240.json")
	port := vfPort(t, ctx, "enp10s0f0", 3)
	if _, _, err := port.ReadStatus(); !errors.Is(err, syscall.ENODATA) {
		t.Errorf("Status before any request: %v, want ENODATA", err)
	}
	if port.LastResponse() != PortResponseNone {
		t.Errorf("LastResponse = %v", port.LastResponse())
	}
	o := PortOptions{Profile: "pp-vlan-25", InstanceUUID: vm, MAC: "52:54:00:ac:ff:b6"}
	if err := port.Associate(o); err != nil {
		t.Fatal(err)
	}
	req, resp, err := port.ReadStatus()
	if err != nil || req != PortRequestAssociate || resp != PortResponseSuccess {
		t.Errorf("Status = %v %v %v", req, resp, err)
	}
	if resp.String() != "SUCCESS" || req.String() != "ASSOCIATE" {
		t.Errorf("names %q %q", resp, req)
	}
	link, err := ctx.LinkByIfname("enp10s0f0")
	if err != nil {
		t.Fatal(err)
	}
	lv := link.VF(3)
	if lv == nil || lv.Port == nil {
		t.Fatal("VF 3 has no port in the link")
	}
	want := PortState{Profile: "pp-vlan-25", InstanceUUID: vm, HostUUID: dmi,
		Request: PortRequestAssociate, Response: PortResponseSuccess}
	if *lv.Port != want || lv.MAC != "52:54:00:ac:ff:b6" {
		t.Errorf("port state %+v MAC %s", *lv.Port, lv.MAC)
	}
	link.Close()
	if err := port.Disassociate(nil); err != nil {
		t.Error(err)
	}
	if req, _, _ := port.ReadStatus(); req != PortRequestDisassociate {
		t.Errorf("after Disassociate: %v", req)
	}
	if err := port.Associate(PortOptions{Profile: strings.Repeat("p", 40), InstanceUUID: vm}); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("40-character profile: %v, want EINVAL", err)
	}
	msg, err := port.BuildRequest(PortRequestAssociate, o)
	if err != nil || len(msg) < 16 {
		t.Errorf("BuildRequest: %d bytes, %v", len(msg), err)
	}
	if err := port.Preassociate(o); err != nil {
		t.Error(err)
	}
}

func TestPortLatencyAndInjection(t *testing.T) {
	ctx, sink := simHost(t, "ucs-b200-vic1240.json")
	if err := ctx.SetSimLatency(60 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if d, err := ctx.ReadSimLatency(); err != nil || d != 60*time.Millisecond {
		t.Errorf("SimLatency = %v, %v", d, err)
	}
	port := vfPort(t, ctx, "enp11s0f0", 0)
	o := PortOptions{Profile: "pp-vlan-25", InstanceUUID: vm, HostUUID: dmi, MAC: "52:54:00:ac:ff:01"}
	o.NoWait = true
	if err := port.Associate(o); err != nil {
		t.Fatal(err)
	}
	if _, resp, err := port.ReadStatus(); err != nil || resp != PortResponseInProgress {
		t.Errorf("without waiting: %v %v, want INPROGRESS", resp, err)
	}
	o.NoWait = false
	t0 := time.Now()
	if err := port.Associate(o); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(t0); d < 60*time.Millisecond {
		t.Errorf("associated after %v, before the latency", d)
	}
	// The adapter answers BADSTATE.
	if err := ctx.SetSimLatency(0); err != nil {
		t.Fatal(err)
	}
	if err := ctx.SimInject(SimInjection{Count: 1, Response: PortResponseBadState}); err != nil {
		t.Fatal(err)
	}
	err := port.Associate(o)
	if !errors.Is(err, syscall.EBADE) {
		t.Fatalf("Associate after a BADSTATE injection: %v, want EBADE", err)
	}
	if port.LastResponse() != PortResponseBadState || port.LastResponse().String() != "BADSTATE" {
		t.Errorf("LastResponse = %v", port.LastResponse())
	}
	if !strings.Contains(err.Error(), "BADSTATE") || !sink.contains("answered BADSTATE") {
		t.Errorf("error %q does not carry the log message", err)
	}
	if err := port.Associate(o); err != nil {
		t.Errorf("the injection outlived its count: %v", err)
	}
	// An errno from the adapter's command.
	if err := ctx.SimInject(SimInjection{Count: 1, Error: syscall.EIO}); err != nil {
		t.Fatal(err)
	}
	if err := port.Associate(o); !errors.Is(err, syscall.EIO) {
		t.Errorf("Associate after an EIO injection: %v", err)
	}
	if err := ctx.SimInject(SimInjection{Count: 1}); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("empty injection: %v, want EINVAL", err)
	}
}

func TestPortBatch(t *testing.T) {
	ctx, _ := simHost(t, "ucs-b200-vic1240.json")
	var ports []*Port
	var opts []PortOptions
	for i := 0; i < 4; i++ {
		ports = append(ports, vfPort(t, ctx, "enp10s0f0", i))
		opts = append(opts, PortOptions{Profile: "pp-vlan-25", InstanceUUID: vm,
			MAC: fmt.Sprintf("52:54:00:ac:10:%02x", i)})
	}
	ports = append(ports, vfPort(t, ctx, "enp11s0f0", 9))
	opts = append(opts, PortOptions{Profile: "pp-vlan-26", InstanceUUID: vm, MAC: "52:54:00:ac:11:09"})
	if err := ctx.SetSimLatency(20 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	errs, err := AssociateMany(ports, opts)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range errs {
		if e != nil {
			t.Errorf("port %d: %v", i, e)
		}
		if ports[i].LastResponse() != PortResponseSuccess {
			t.Errorf("port %d: %v", i, ports[i].LastResponse())
		}
	}
	link, err := ctx.LinkByIfname("enp10s0f0")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, v := range link.VFs() {
		if v.Port != nil && v.Port.Response == PortResponseSuccess && v.Port.Profile == "pp-vlan-25" {
			n++
		}
	}
	if n != 4 {
		t.Errorf("link lists %d VFs associated, want 4", n)
	}
	errs, err = DisassociateMany(ports, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range errs {
		if e != nil {
			t.Errorf("port %d: %v", i, e)
		}
	}
	if _, err := AssociateMany(ports, opts[:1]); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("mismatched options: %v", err)
	}
}

func TestLogFunc(t *testing.T) {
	var got []LogRecord
	ctx, err := New(IgnoreEnv(), WithLogFunc(func(r LogRecord) { got = append(got, r) }), WithLogPriority(LogDebug))
	if err != nil {
		t.Fatal(err)
	}
	defer ctx.Close()
	if ctx.LogPriority() != LogDebug {
		t.Errorf("LogPriority = %d", ctx.LogPriority())
	}
	_, err = ctx.PFByPCI("zz:zz.z")
	if !errors.Is(err, syscall.EINVAL) || len(got) == 0 {
		t.Fatalf("%v, %d messages", err, len(got))
	}
	if got[len(got)-1].Func == "" || got[len(got)-1].Line == 0 {
		t.Errorf("record %+v", got[len(got)-1])
	}
	ctx.SetLogPriority(LogErr)
	ctx.SetLogFunc(nil)
	if _, err := ctx.PFByPCI("zz:zz.z"); err == nil || err.(*Error).Msg == "" {
		t.Errorf("a silenced context still gives the message: %v", err)
	}
	if ctx.SysfsRoot() == "" {
		t.Error("no sysfs root")
	}
}

// Objects dropped without Close are released by their finalizers, in any
// order: the context first, then the PFs, VFs, links and ports that hold
// it.
func TestFinalizers(t *testing.T) {
	ctx, _ := simHost(t, "ucs-b200-vic1240.json")
	dir := ctx.SimDir()
	func() {
		c, err := New(IgnoreEnv(), WithSimDir(dir), WithLogFunc(nil))
		if err != nil {
			t.Fatal(err)
		}
		pf := c.PFs()[0]
		vf, _ := pf.VF(2)
		port, _ := vf.Port()
		link, _ := pf.ReadLink()
		c.Close() // the context goes first; its objects stay usable
		pf.Close()
		if vf.PF().Ifname() != "enp10s0f0" || port.Ifname() != "enp10s0f0" || link.NumVFs() < 0 {
			t.Error("objects unusable after their context's Close")
		}
	}()
	for i := 0; i < 200; i++ {
		c, err := New(IgnoreEnv(), WithSimDir(dir), WithLogFunc(nil))
		if err != nil {
			t.Fatal(err)
		}
		for _, pf := range c.PFs() {
			for _, vf := range pf.VFs() {
				_ = vf.PCI()
			}
		}
		if _, err := c.PFByPCI("bad"); err == nil {
			t.Fatal("no error")
		}
	}
	before := 0
	logStates.Range(func(_, _ interface{}) bool { before++; return true })
	for i := 0; i < 6; i++ {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	after := 0
	logStates.Range(func(_, _ interface{}) bool { after++; return true })
	// Only the contexts still reachable (the test's own) keep their log.
	if after > 4 {
		t.Errorf("%d log states left after GC (%d before): contexts leak", after, before)
	}
}

func TestUseAfterClosePanics(t *testing.T) {
	ctx, _ := simHost(t, "ucs-b200-vic1240.json")
	pf := ctx.PFs()[0]
	pf.Close()
	pf.Close() // twice is fine
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	_ = pf.PCI()
}
