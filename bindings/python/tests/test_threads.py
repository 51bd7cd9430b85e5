# SPDX-License-Identifier: LGPL-2.1-or-later
"""Threads: ctypes lets go of the GIL in every call, so threads sharing a
context would run the library on it at once; the binding serialises every
call on a context and its objects with the context's lock. Threads with a
context each run side by side."""

import logging
import threading

import vmfex
from conftest import VM

PFS = ["0000:0a:00.0", "0000:0b:00.0"]
ROUNDS = 25


def run_threads(n, work):
    """Run work(i) in n threads; the first exception of any is raised."""
    errors = []

    def run(i):
        try:
            work(i)
        except BaseException as e:  # noqa: BLE001 -- reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
        assert not t.is_alive(), "a thread did not finish in 300 s"
    if errors:
        raise errors[0]


def walk_and_use(ctx, vf_index):
    """Walks, a look-up, the advisor and a port of its own, each checked."""
    mac = f"52:54:00:ac:30:{vf_index:02x}"
    for _ in range(ROUNDS):
        pfs = list(ctx.pfs())
        assert [pf.pci for pf in pfs] == PFS
        for pf in pfs:
            vfs = list(pf.vfs())
            assert [vf.index for vf in vfs] == list(range(16))
            assert all(vf.driver == "enic" for vf in vfs)
        assert ctx.pf("enp11s0f0").num_vfs == 16
        assert len(ctx.advise()) > 0
        port = ctx.pf("enp10s0f0").vf(vf_index).port()
        port.associate("pp-vlan-25", VM, mac=mac)
        assert ctx.link("enp10s0f0").vf(vf_index).mac == mac
        port.disassociate()
        assert port.status() == (vmfex.PortRequest.DISASSOCIATE, vmfex.PortResponse.SUCCESS)


def test_threads_share_one_context(blade):
    run_threads(6, lambda i: walk_and_use(blade, i))


def test_thread_per_context(make_host):
    host = make_host("ucs-b200-vic1240")

    def work(i):
        with vmfex.Context(sim_dir=host, ignore_env=True) as ctx:
            walk_and_use(ctx, 8 + i)

    run_threads(6, work)


def test_log_function_may_call_the_library(blade):
    """The lock is recursive: a handler that reads the context from inside a
    call, in that call's thread, does not wait for itself."""
    seen = []

    class Reentrant(logging.Handler):
        def emit(self, record):
            seen.append(len(list(blade.pfs())))

    log = logging.getLogger("vmfex")
    handler = Reentrant(logging.ERROR)
    log.addHandler(handler)
    try:
        errors = []

        def bad_lookup(_):
            try:
                blade.pf("0000:0a:00.1")  # a VF: refused, logged
            except OSError as e:
                errors.append(e)

        run_threads(3, bad_lookup)
    finally:
        log.removeHandler(handler)
    assert len(errors) == 3
    assert seen and all(n == 2 for n in seen)
