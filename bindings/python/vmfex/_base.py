# SPDX-License-Identifier: LGPL-2.1-or-later
"""Strings, errors, the log hook and the base of every handle."""

import contextlib
import ctypes
import functools
import inspect
import itertools
import logging
import os
import threading
import types
import weakref

from . import _ffi
from ._ffi import fn

logger = logging.getLogger("vmfex")

# syslog priorities, as the library's log hook gives them
LOG_EMERG, LOG_ALERT, LOG_CRIT, LOG_ERR = 0, 1, 2, 3
LOG_WARNING, LOG_NOTICE, LOG_INFO, LOG_DEBUG = 4, 5, 6, 7

_LOG_NAMES = {"emerg": 0, "alert": 1, "crit": 2, "err": 3, "error": 3,
              "warning": 4, "warn": 4, "notice": 5, "info": 6, "debug": 7}


def syslog_to_logging(priority):
    """The ``logging`` level of a syslog priority."""
    if priority <= LOG_CRIT:
        return logging.CRITICAL
    if priority == LOG_ERR:
        return logging.ERROR
    if priority == LOG_WARNING:
        return logging.WARNING
    if priority <= LOG_INFO:
        return logging.INFO
    return logging.DEBUG


def priority_of(value):
    """A syslog priority from a number or a name (``"err"``, ``"debug"``)."""
    if isinstance(value, str):
        try:
            return _LOG_NAMES[value.lower()]
        except KeyError:
            raise ValueError(f"unknown log priority {value!r}") from None
    value = int(value)
    if not LOG_EMERG <= value <= LOG_DEBUG:
        raise ValueError(f"log priority {value} outside 0-7")
    return value


def enc(value):
    """A C string argument from str, bytes, a path or None."""
    if value is None:
        return None
    if isinstance(value, bytes):
        return value
    if isinstance(value, os.PathLike):
        return os.fsencode(value)
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape")
    raise TypeError(f"expected str, bytes or a path, not {type(value).__name__}")


def dec(value):
    """A Python str from a C string (None stays None)."""
    if value is None:
        return None
    return value.decode("utf-8", "surrogateescape")


def take_buffer(ptr, length):
    """The bytes of a malloc'd buffer, which is freed."""
    try:
        return ctypes.string_at(ptr, length)
    finally:
        _ffi.libc.free(ptr)


class LogState:
    """What a context's log hook delivers to: its logger, and the messages of
    the call in progress (so that an exception can carry the reason); and the
    context's lock.

    Held by the Context and by every object made from it; the log hook finds
    it by key in a weak dictionary, so it goes away with the last of them and
    a message arriving later goes to the ``vmfex`` logger."""

    __slots__ = ("key", "logger", "messages", "lock", "deferred", "__weakref__")
    _keys = itertools.count(1)

    def __init__(self, log=None):
        self.key = next(self._keys)
        self.logger = log or logger
        self.messages = []
        # One context and its objects are used by one thread at a time
        # (context.h); recursive, as a log handler may call the library
        # from inside a call, in the same thread.
        self.lock = threading.RLock()
        self.deferred = []        # (unref function, pointer) for the lock's holder
        _states[self.key] = self

    def begin(self):
        self.messages.clear()

    def reason(self):
        """The last error (or, failing that, the last) message of the call."""
        for priority, text in reversed(self.messages):
            if priority <= LOG_ERR:
                return text
        return self.messages[-1][1] if self.messages else None


_states = weakref.WeakValueDictionary()


def _log_hook(data, priority, file, line, func, fmt, args):
    try:
        buf = ctypes.create_string_buffer(4096)
        _ffi.libc.vsnprintf(buf, len(buf), fmt, args)
        text = dec(buf.value).rstrip("\n")
        state = _states.get(data or 0)
        log = state.logger if state is not None else logger
        if state is not None:
            del state.messages[:-15]
            state.messages.append((priority, text))
        level = syslog_to_logging(priority)
        if log.isEnabledFor(level):
            record = log.makeRecord(log.name, level, dec(file) or "?", line, text,
                                    None, None, dec(func))
            record.syslog_priority = priority
            log.handle(record)
    except Exception:  # noqa: BLE001 -- nothing may propagate into C
        pass


# One callback for the life of the process: a C context may outlive every
# Python object (a reference held elsewhere), and must never call a freed
# trampoline.
LOG_HOOK = _ffi.LOG_FN(_log_hook)


def error(state, err, what):
    """An OSError of the errno's own subclass (FileNotFoundError for ENOENT,
    ProcessLookupError for ESRCH...) whose text carries the library's
    message for the failed call."""
    reason = state.reason() if state is not None else None
    text = f"{what}: {reason}" if reason else f"{what}: {os.strerror(err)}"
    return OSError(err, text)


def call(state, name, *args, what=None):
    """Call a function returning a negative errno on failure."""
    if state is not None:
        state.begin()
    r = getattr(fn, name)(*args)
    if r < 0:
        raise error(state, -r, what or name)
    return r


# Methods and properties left unlocked: construction and teardown run before
# or after others can see the object (close() locks itself), and the
# accessors the locked methods use.
_UNLOCKED = frozenset({"__init__", "__new__", "__del__", "__init_subclass__", "__getattr__",
                       "__getattribute__", "__setattr__", "_p", "_state", "closed"})


def _drop_deferred(state):
    """The references collected while another thread held the lock."""
    while state.deferred:
        unref, ptr = state.deferred.pop()
        getattr(fn, unref)(ptr)


def _locked_iter(lock, gen):
    """A generator whose every step runs under lock."""
    while True:
        with lock:
            try:
                item = next(gen)
            except StopIteration as stop:
                return stop.value
        yield item


def _locked(func):
    @functools.wraps(func)
    def run(self, *args, **kwargs):
        state = self._state
        if state is None:
            return func(self, *args, **kwargs)
        with state.lock:
            if state.deferred:
                _drop_deferred(state)
            r = func(self, *args, **kwargs)
        if isinstance(r, types.GeneratorType):
            return _locked_iter(state.lock, r)
        return r
    return run


class Locked:
    """The base of every class whose methods call the library: each method
    and property of a subclass runs with its context's lock held (``_state``
    gives the context's LogState), so that threads sharing a context take
    turns, as the C library requires. The wrapping happens here, when the
    subclass is defined, so no method can be left out."""

    __slots__ = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name, value in list(vars(cls).items()):
            if name in _UNLOCKED:
                continue
            if isinstance(value, property):
                setattr(cls, name, property(value.fget and _locked(value.fget),
                                            value.fset and _locked(value.fset),
                                            value.fdel and _locked(value.fdel), value.__doc__))
            elif inspect.isfunction(value):
                setattr(cls, name, _locked(value))


@contextlib.contextmanager
def locked(objects):
    """Hold the locks of the contexts of objects, taken in one order (by
    key) whatever the order of objects, so two threads passing objects of
    the same contexts in opposite orders never wait for each other."""
    states = sorted({id(o._state): o._state for o in objects if o._state is not None}.values(),
                    key=lambda s: s.key)
    with contextlib.ExitStack() as stack:
        for state in states:
            stack.enter_context(state.lock)
        yield


class Handle(Locked):
    """A Python object holding one reference on a library object.

    The reference is dropped by close(), by leaving a ``with`` block, or when
    the object is collected. The object also keeps its parent (a PF for a VF,
    a context for a PF...) alive, so that the parent's Python side outlives it
    whatever order the collector takes; on the C side the library's own
    references keep the parents."""

    _unref = None

    def __init__(self, ptr, parent, state):
        self._ptr = ptr
        self._parent = parent
        self._state = state

    @property
    def _p(self):
        if not self._ptr:
            raise ValueError(f"{type(self).__name__} is closed")
        return self._ptr

    @property
    def closed(self):
        """Whether close() was called."""
        return not self._ptr

    def close(self):
        """Drop the object's reference now (idempotent)."""
        ptr, self._ptr = self._ptr, None
        if ptr:
            getattr(fn, self._unref)(ptr)

    def __del__(self):
        # The collector may run in a thread holding another context's lock:
        # never wait here (two such threads would wait for each other); a
        # context in use gets the reference back at its next call.
        try:
            state = self._state
            if state is None or not self._ptr:
                return
            if state.lock.acquire(blocking=False):
                try:
                    _drop_deferred(state)
                    Handle.close.__wrapped__(self)
                finally:
                    state.lock.release()
            else:
                ptr, self._ptr = self._ptr, None
                state.deferred.append((self._unref, ptr))
        except Exception:  # noqa: BLE001 -- interpreter shutdown
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _call(self, name, *args, what=None):
        return call(self._state, name, *args, what=what)
