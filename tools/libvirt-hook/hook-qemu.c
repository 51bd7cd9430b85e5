/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The qemu hook: 'prepare' associates the VFs of the direct and hostdev
 * interfaces that libvmfex's element in the domain's <metadata> names a
 * profile for, 'migrate' marks an incoming migration, 'started' ends the
 * mark, 'release' (always called when a VM is gone from this host, also
 * after a failed start or a migration out) undoes whatever is still held
 * for the VM. libvirtd reads this hook's stdout as the domain XML
 * for 'migrate' and 'restore': nothing is ever printed there. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "libvmfex-private.h"
#include "hook.h"
#include "hook-associate.h"
#include "hook-data.h"
#include "hook-migrate.h"

/* Whether the VM holds a lease, so that a VM without VM-FEX ports is
 * released without an error in the log. */
static bool holds_lease(struct hook *h, const char *uuid)
{
	struct vmfex_lease_list *list;
	struct vmfex_lease *l;
	bool held = false;

	if (vmfex_lease_list_new(h->ctx, &list) < 0)
		return true; /* let vmfex_detach() report it */
	vmfex_lease_list_foreach(list, l)
		held |= strcasecmp(vmfex_lease_get_vm_uuid(l), uuid) == 0;
	vmfex_lease_list_unref(list);
	return held;
}

/* Each named interface's VF associated; on a failure, what this call did
 * is undone (libvirtd fails the start with this hook's stderr). */
static int prepare(struct hook *h, const char *buf, size_t len)
{
	struct hook_port *ports;
	size_t n;
	int r;

	r = hook_domain_ports(h->ctx, buf, len, &ports, &n);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n && r == 0; i++) {
		struct vmfex_vf *vf = hook_port_vf(h, &ports[i]);

		if (!vf) {
			ERR(h->ctx, "VM %s: interface %s names profile %s but %s is no VF of this "
			    "host", ports[i].vm_uuid, ports[i].mac, ports[i].group, ports[i].dev);
			r = -ENODEV;
			break;
		}
		r = hook_associate(h, &ports[i], vf);
		vmfex_vf_unref(vf);
	}
	if (r < 0 && n && holds_lease(h, ports[0].vm_uuid))
		vmfex_detach(h->ctx, ports[0].vm_uuid);
	free(ports);
	return r;
}

int hook_qemu(struct hook *h, const char *domain, const char *op, const char *buf, size_t len)
{
	char uuid[37];
	int r;

	if (strcmp(op, "prepare") == 0)
		return prepare(h, buf, len);
	if (strcmp(op, "migrate") != 0 && strcmp(op, "started") != 0 &&
	    strcmp(op, "release") != 0) {
		DBG(h->ctx, "domain %s: %s: nothing to do", domain, op);
		return 0;
	}
	r = hook_domain_uuid(h->ctx, buf, len, uuid);
	if (r < 0)
		return r;
	if (strcmp(op, "migrate") == 0)
		return hook_migrate_remember(h, uuid);
	hook_migrate_forget(h, uuid);
	if (strcmp(op, "started") == 0 || !holds_lease(h, uuid))
		return 0;
	r = vmfex_detach(h->ctx, uuid);
	if (r > 0)
		NOTICE(h->ctx, "domain %s (%s) released: %d VF%s disassociated and released",
		       domain, uuid, r, r == 1 ? "" : "s");
	return r < 0 ? r : 0;
}
