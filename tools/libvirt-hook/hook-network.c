/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The network hook: libvirtd runs it when a pool hands a VM a port
 * (port-created, also again for every port when libvirtd restarts) and
 * when the port goes (port-deleted). The pool carries no virtualport, so
 * this is where the VF's 802.1Qbh port is associated with the profile
 * named by the portgroup, for the VM that owns the port. */
#include <string.h>

#include "libvmfex-private.h"
#include "hook.h"
#include "hook-associate.h"

int hook_network(struct hook *h, const char *op, const char *buf, size_t len)
{
	struct hook_port p;
	struct vmfex_vf *vf;
	int r;

	if (strcmp(op, "port-created") != 0 && strcmp(op, "port-deleted") != 0) {
		DBG(h->ctx, "network %s: nothing to do", op);
		return 0;
	}
	r = hook_port_parse(h->ctx, buf, len, &p);
	if (r < 0)
		return r;
	vf = hook_port_vf(h, &p);
	if (!vf)
		return 0;
	if (strcmp(op, "port-created") == 0)
		r = hook_associate(h, &p, vf);
	else
		r = hook_release(h, &p, vf);
	vmfex_vf_unref(vf);
	return r;
}
