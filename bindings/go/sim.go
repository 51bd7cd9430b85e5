// SPDX-License-Identifier: LGPL-2.1-or-later

package vmfex

/*
#include <stdlib.h>
#include <libvmfex/libvmfex.h>
*/
import "C"

import (
	"syscall"
	"time"
	"unsafe"
)

// SimCreate makes a simulated host in dir (absent or empty) from a JSON host
// description file (see doc/sim-host.md). The context only logs; open the
// host with New(WithSimDir(dir)).
func (ctx *Context) SimCreate(dir, description string) error {
	cdir := C.CString(dir)
	defer C.free(unsafe.Pointer(cdir))
	cdesc := C.CString(description)
	defer C.free(unsafe.Pointer(cdesc))
	_, err := ctx.do("vmfex_sim_create", func() C.int { return C.vmfex_sim_create(ctx.ptr(), cdir, cdesc) })
	return err
}

// ReadSimLatency reads the simulated adapter's latency: how long a port request
// stays INPROGRESS (ENOTSUP: not a simulated host).
func (ctx *Context) ReadSimLatency() (time.Duration, error) {
	var ms C.uint
	if _, err := ctx.do("vmfex_sim_read_latency", func() C.int { return C.vmfex_sim_read_latency(ctx.ptr(), &ms) }); err != nil {
		return 0, err
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// SetSimLatency sets the simulated adapter's latency (at most an hour,
// rounded down to milliseconds).
func (ctx *Context) SetSimLatency(d time.Duration) error {
	if d < 0 || d > time.Hour {
		return &Error{Op: "vmfex_sim_set_latency", Errno: einval, Msg: "latency outside 0-1h"}
	}
	_, err := ctx.do("vmfex_sim_set_latency", func() C.int {
		return C.vmfex_sim_set_latency(ctx.ptr(), C.uint(d.Milliseconds()))
	})
	return err
}

// SimInjection is a failure of the next port requests on a simulated host:
// set exactly one of Response and Error.
type SimInjection struct {
	Count    int           // how many requests; 0 cancels a pending one of the kind
	Response PortResponse  // PortResponseSuccess .. PortResponseError, or 0
	Error    syscall.Errno // an errno the adapter's command fails with, or 0
}

// SimInject makes the next port requests on the simulated host end with a
// response, or fail with an errno.
func (ctx *Context) SimInject(inj SimInjection) error {
	if inj.Count < 0 {
		return &Error{Op: "vmfex_sim_inject", Errno: einval, Msg: "negative count"}
	}
	var o C.struct_vmfex_sim_inject_opts
	o.sz = C.size_t(unsafe.Sizeof(o))
	o.count = C.uint(inj.Count)
	o.response = C.int(inj.Response)
	o.error = C.int(inj.Error)
	_, err := ctx.do("vmfex_sim_inject", func() C.int { return C.vmfex_sim_inject(ctx.ptr(), &o) })
	return err
}
