// SPDX-License-Identifier: LGPL-2.1-or-later

package vmfex

import (
	"fmt"
	"testing"
	"time"
)

// Two goroutines batch the ports of two contexts in opposite orders, 400
// rounds each: the contexts are locked in one global order, so the batches
// never wait for each other forever. A deadlock fails the test at its
// deadline instead of hanging (the runtime's detector cannot see it while
// other goroutines, such as the timer's, run).
func TestManyOppositeOrders(t *testing.T) {
	const rounds = 400
	a, _ := simHost(t, "ucs-b200-vic1240.json")
	b, err := New(IgnoreEnv(), WithSimDir(a.SimDir()), WithLogFunc(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	// Distinct VFs per goroutine: ab takes VF 0 through a and VF 1
	// through b, ba VF 2 through b and VF 3 through a.
	ab := []*Port{vfPort(t, a, "enp10s0f0", 0), vfPort(t, b, "enp10s0f0", 1)}
	ba := []*Port{vfPort(t, b, "enp10s0f0", 2), vfPort(t, a, "enp10s0f0", 3)}
	batch := func(ports []*Port, done chan<- error) {
		opts := make([]PortOptions, len(ports))
		for i := range ports {
			opts[i] = PortOptions{Profile: "pp-vlan-25", InstanceUUID: vm,
				MAC: fmt.Sprintf("52:54:00:ac:20:%02x", ports[i].VFIndex())}
		}
		for r := 0; r < rounds; r++ {
			for _, f := range []func() ([]error, error){
				func() ([]error, error) { return AssociateMany(ports, opts) },
				func() ([]error, error) { return DisassociateMany(ports, nil) },
			} {
				errs, err := f()
				if err == nil {
					for _, e := range errs {
						if e != nil {
							err = e
						}
					}
				}
				if err != nil {
					done <- fmt.Errorf("round %d: %w", r, err)
					return
				}
			}
		}
		done <- nil
	}
	done := make(chan error, 2)
	start := time.Now()
	go batch(ab, done)
	go batch(ba, done)
	deadline := time.After(240 * time.Second)
	for i := 0; i < 2; i++ {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-deadline:
			// Not t.Fatal: the cleanup would wait for the locks the
			// stuck goroutines hold. A panic ends the test binary
			// and prints every goroutine's stack.
			panic("batches in opposite orders did not finish in 240 s: deadlock")
		}
	}
	t.Logf("%d rounds of two batches in opposite orders: %v", rounds, time.Since(start))
	// Every port ends disassociated, as the adapter reports it.
	for _, p := range append(ab, ba...) {
		req, resp, err := p.ReadStatus()
		if err != nil || req != PortRequestDisassociate || resp != PortResponseSuccess {
			t.Errorf("VF %d: %v %v %v", p.VFIndex(), req, resp, err)
		}
	}
}
