/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmfex-libvirt-watch: what libvirt's domain events mean for the VM-FEX
 * ports of a VM that migrates. */
#ifndef VMFEX_WATCH_H
#define VMFEX_WATCH_H

#include <stdbool.h>

#include <libvmfex/libvmfex.h>

/* @runs_here: the VM runs on this host (it resumed, or was found
 * running): the ports pre-associated for it (an incoming migration, or an
 * outgoing one that failed) are associated. Else the VM stopped running
 * here to end a migration out: the ports associated for it step back to
 * pre-associated, so that the destination may associate them without one
 * instance associated on two hosts. A VM without such ports is passed
 * over. */
void watch_vm(struct vmfex_ctx *ctx, const char *name, const char *uuid, const char *why,
              bool runs_here);

#endif
