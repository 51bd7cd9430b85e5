/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One VF of a VM associated with a profile, or released. */
#ifndef VMFEX_HOOK_ASSOCIATE_H
#define VMFEX_HOOK_ASSOCIATE_H

#include "hook.h"
#include "hook-data.h"

/* The VF behind a port (plug type "direct": a netdev; "hostdev": a PCI
 * address), or NULL for one that is none of ours (a bridge, a NAT
 * network, a netdev that is no VF). */
struct vmfex_vf *hook_port_vf(struct hook *h, const struct hook_port *p);
/* Associate (pre-associate during an incoming migration) the VF with
 * p->group for the VM with p->mac, and lease it; nothing held on failure. */
int hook_associate(struct hook *h, const struct hook_port *p, struct vmfex_vf *vf);
/* Disassociate and release the VF if the VM holds it. */
int hook_release(struct hook *h, const struct hook_port *p, struct vmfex_vf *vf);

#endif
