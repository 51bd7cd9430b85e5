// SPDX-License-Identifier: LGPL-2.1-or-later

// Package vmfex is the Go binding of libvmfex: Cisco VM-FEX on Linux KVM
// hosts (SR-IOV inventory, VF settings, 802.1Qbh port profiles, the UCS
// Manager port-profile catalog and libvirt XML).
//
// Everything starts from a Context, made with New. Objects made from a
// Context (PFs, VFs, links, ports, catalogs, XML documents) keep it
// reachable, so they may be used and closed in any order. Every object has a
// Close method that releases its C resources at once; a finalizer does the
// same for objects that are dropped without Close. Using an object after its
// Close panics.
//
// A Context is not meant to be shared between goroutines: use one Context
// per goroutine. Calls on the objects of one Context are nevertheless
// serialised by a mutex (finalizers run on their own goroutine), so sharing
// is safe, only not concurrent.
//
// Errors returned by the binding are *Error values that wrap a
// syscall.Errno, so errors.Is(err, syscall.ENOENT) and the like work; they
// carry the library's last log message, which says why.
//
// The package links libvmfex through pkg-config (libvmfex.pc). To build
// against a meson build directory without installing, point
// PKG_CONFIG_PATH at <builddir>/meson-uninstalled and LD_LIBRARY_PATH at
// <builddir>/lib.
package vmfex

/*
#cgo pkg-config: libvmfex
#include <stdlib.h>
#include <syslog.h>
#include <libvmfex/libvmfex.h>
#include "shim.h"
*/
import "C"

import (
	"fmt"
	"log"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"
)

// Syslog priorities of log messages.
const (
	LogErr    = int(C.LOG_ERR)
	LogWarn   = int(C.LOG_WARNING)
	LogNotice = int(C.LOG_NOTICE)
	LogInfo   = int(C.LOG_INFO)
	LogDebug  = int(C.LOG_DEBUG)
)

// Error is a failed library call: the C function, its errno and the last
// message the library logged during the call.
type Error struct {
	Op    string        // the libvmfex function that failed
	Errno syscall.Errno // the error number it returned
	Msg   string        // the library's last log message, or ""
}

func (e *Error) Error() string {
	if e.Msg != "" {
		return fmt.Sprintf("%s: %s (%s)", e.Op, e.Errno.Error(), e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Op, e.Errno.Error())
}

// Unwrap returns the errno, for errors.Is and errors.As.
func (e *Error) Unwrap() error { return e.Errno }

// LogRecord is one message of the library.
type LogRecord struct {
	Priority int    // syslog priority, LogErr .. LogDebug
	File     string // source file of the library
	Line     int    // source line
	Func     string // C function
	Msg      string // the message
}

// LogFunc receives the library's messages. It runs inside library calls and
// must not call the binding.
type LogFunc func(LogRecord)

type logState struct {
	fn   LogFunc
	last string
}

var (
	logStates sync.Map // uintptr -> *logState
	logNextID uintptr
)

//export goVmfexLog
func goVmfexLog(id C.uintptr_t, prio C.int, file *C.char, line C.int, fn *C.char, msg *C.char) {
	v, ok := logStates.Load(uintptr(id))
	if !ok {
		return
	}
	ls := v.(*logState)
	r := LogRecord{Priority: int(prio), File: C.GoString(file), Line: int(line),
		Func: C.GoString(fn), Msg: C.GoString(msg)}
	if r.Priority <= LogErr || ls.last == "" {
		ls.last = r.Msg
	}
	if ls.fn != nil {
		ls.fn(r)
	}
}

// LoggerFunc routes messages to a log.Logger.
func LoggerFunc(l *log.Logger) LogFunc {
	return func(r LogRecord) { l.Printf("libvmfex: %s: %s", r.Func, r.Msg) }
}

var stderrLogger = log.New(os.Stderr, "", 0)

// defaultLog is the log of a Context made without WithLogFunc or
// WithLogger. Errors are not written: the call that failed returns them,
// with the library's message, as an *Error. Messages of lower priority are
// written to standard error, as they are logged only when asked for
// (VMFEX_LOG, WithLogPriority, SetLogPriority).
func defaultLog(r LogRecord) {
	if r.Priority > LogErr {
		LoggerFunc(stderrLogger)(r)
	}
}

// Context is a libvmfex context: the host (real, a sysfs tree, or a
// simulated host) and the log.
type Context struct {
	mu    sync.Mutex
	c     *C.struct_vmfex_ctx
	logID uintptr
	log   *logState
}

type options struct {
	simDir, sysfsRoot string
	ignoreEnv         bool
	logFn             LogFunc
	logSet            bool
	prio              int
	prioSet           bool
}

// Option configures New.
type Option func(*options)

// WithSimDir opens the context on a simulated host made by SimCreate.
func WithSimDir(dir string) Option { return func(o *options) { o.simDir = dir } }

// WithSysfsRoot reads the given tree instead of /sys.
func WithSysfsRoot(root string) Option { return func(o *options) { o.sysfsRoot = root } }

// IgnoreEnv ignores the VMFEX_SIM and VMFEX_LOG environment variables.
func IgnoreEnv() Option { return func(o *options) { o.ignoreEnv = true } }

// WithLogFunc routes the library's messages to fn (nil: silence).
// By default errors are only returned, and the rest goes to standard
// error (see defaultLog).
func WithLogFunc(fn LogFunc) Option {
	return func(o *options) { o.logFn = fn; o.logSet = true }
}

// WithLogger routes the library's messages to l.
func WithLogger(l *log.Logger) Option { return WithLogFunc(LoggerFunc(l)) }

// WithLogPriority sets the highest priority logged (default LogErr, or
// VMFEX_LOG).
func WithLogPriority(p int) Option { return func(o *options) { o.prio = p; o.prioSet = true } }

func cstr(s string) *C.char {
	if s == "" {
		return nil
	}
	return C.CString(s)
}

func cfree(p *C.char) {
	if p != nil {
		C.free(unsafe.Pointer(p))
	}
}

func errnoErr(op string, r C.int, msg string) error {
	return &Error{Op: op, Errno: syscall.Errno(-r), Msg: msg}
}

// New makes a context. Without options it is on the real host, or on the
// simulated host named by VMFEX_SIM.
func New(opts ...Option) (*Context, error) {
	o := options{logFn: defaultLog}
	for _, f := range opts {
		f(&o)
	}
	var copts C.struct_vmfex_new_opts
	copts.sz = C.size_t(unsafe.Sizeof(copts))
	copts.sysfs_root = cstr(o.sysfsRoot)
	defer cfree(copts.sysfs_root)
	copts.sim_dir = cstr(o.simDir)
	defer cfree(copts.sim_dir)
	if o.ignoreEnv {
		copts.ignore_env = 1
	}
	ls := &logState{fn: o.logFn}
	id := atomic.AddUintptr(&logNextID, 1)
	logStates.Store(id, ls)
	C.vmfex_go_opts_log(&copts, C.uintptr_t(id))
	var c *C.struct_vmfex_ctx
	if r := C.vmfex_new_with_opts(&copts, &c); r < 0 {
		logStates.Delete(id)
		return nil, errnoErr("vmfex_new_with_opts", r, ls.last)
	}
	ctx := &Context{c: c, log: ls, logID: id}
	if o.prioSet {
		C.vmfex_set_log_priority(c, C.int(o.prio))
	}
	runtime.SetFinalizer(ctx, (*Context).finalize)
	return ctx, nil
}

func (ctx *Context) finalize() {
	ctx.Close()
	logStates.Delete(ctx.logID)
}

// Close drops the binding's reference on the context. Objects made from it
// stay usable until they are closed.
func (ctx *Context) Close() {
	ctx.mu.Lock()
	defer ctx.mu.Unlock()
	if ctx.c != nil {
		C.vmfex_unref(ctx.c)
		ctx.c = nil
	}
}

func (ctx *Context) ptr() *C.struct_vmfex_ctx {
	if ctx.c == nil {
		panic("vmfex: use of a closed Context")
	}
	return ctx.c
}

// lock serialises calls on the context's objects and clears the last log
// message; unlock releases it.
func (ctx *Context) lock() {
	ctx.mu.Lock()
	ctx.log.last = ""
}

func (ctx *Context) unlock() { ctx.mu.Unlock() }

// check turns a negative return into an *Error; called with the lock held.
func (ctx *Context) check(op string, r C.int) error {
	if r < 0 {
		return errnoErr(op, r, ctx.log.last)
	}
	return nil
}

// do runs f with the lock held and checks its result.
func (ctx *Context) do(op string, f func() C.int) (int, error) {
	ctx.lock()
	defer ctx.unlock()
	r := f()
	return int(r), ctx.check(op, r)
}

// SetLogFunc replaces the log function (nil: silence).
func (ctx *Context) SetLogFunc(fn LogFunc) {
	ctx.lock()
	defer ctx.unlock()
	ctx.ptr()
	ctx.log.fn = fn
}

// SetLogger routes the library's messages to l.
func (ctx *Context) SetLogger(l *log.Logger) { ctx.SetLogFunc(LoggerFunc(l)) }

// LogPriority is the highest priority logged.
func (ctx *Context) LogPriority() int {
	ctx.lock()
	defer ctx.unlock()
	return int(C.vmfex_get_log_priority(ctx.ptr()))
}

// SetLogPriority sets the highest priority logged (LogErr .. LogDebug).
func (ctx *Context) SetLogPriority(p int) {
	ctx.lock()
	defer ctx.unlock()
	C.vmfex_set_log_priority(ctx.ptr(), C.int(p))
}

// SysfsRoot is the sysfs tree in use: /sys, a fixture tree or the simulated
// host's.
func (ctx *Context) SysfsRoot() string {
	ctx.lock()
	defer ctx.unlock()
	return C.GoString(C.vmfex_get_sysfs_root(ctx.ptr()))
}

// SimDir is the simulated host's directory, or "" on a real host.
func (ctx *Context) SimDir() string {
	ctx.lock()
	defer ctx.unlock()
	return C.GoString(C.vmfex_get_sim_dir(ctx.ptr()))
}

const einval = syscall.EINVAL

// Version is the library's version, e.g. "1.0.0".
func Version() string { return C.GoString(C.vmfex_version()) }
