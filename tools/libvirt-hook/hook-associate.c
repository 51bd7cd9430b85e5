/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One VF of a VM associated or released, for the network hook (a port of
 * a pool) and the qemu hook (a direct or hostdev interface named in the
 * domain's metadata) alike. An association already in place for the same
 * VF, profile, VM and MAC is left as it is: libvirtd runs port-created
 * again for every port when it restarts. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "libvmfex-private.h"
#include "workflow/workflow-private.h"
#include "hook.h"
#include "hook-associate.h"
#include "hook-migrate.h"

struct vmfex_vf *hook_port_vf(struct hook *h, const struct hook_port *p)
{
	bool hostdev = strcmp(p->plug_type, "hostdev") == 0;
	struct vmfex_vf *vf;
	int r;

	if ((!hostdev && strcmp(p->plug_type, "direct") != 0) || !p->dev[0]) {
		DBG(h->ctx, "port of VM %s: plug type '%s', not a VF pool: left alone", p->vm_uuid,
		    p->plug_type);
		return NULL;
	}
	r = hostdev ? vmfex_vf_new_from_pci(h->ctx, p->dev, &vf)
	            : vmfex_vf_new_from_ifname(h->ctx, p->dev, &vf);
	if (r < 0) {
		INFO(h->ctx, "port of VM %s on %s: no VF of this host: left alone", p->vm_uuid,
		     p->dev);
		return NULL;
	}
	return vf;
}

/* The lease of the VF, copied; false when it has none. */
static int find_lease(struct hook *h, struct vmfex_vf *vf, struct vmfex_lease *out, bool *found)
{
	struct vmfex_lease_db db;
	struct vmfex_lease *l;
	int r;

	r = vmfex_lease_db_open(h->ctx, &db);
	if (r < 0)
		return r;
	l = vmfex_lease_db_find(&db, vmfex_pf_get_pci(vmfex_vf_get_pf(vf)), vmfex_vf_get_index(vf));
	*found = l && !l->stale;
	if (*found)
		*out = *l;
	vmfex_lease_db_close(&db);
	return 0;
}

/* Whether the VF's port is already what this port-created asks for: the
 * same VM with the same profile and MAC (libvirtd restarted). */
static bool already_done(struct hook *h, struct vmfex_vf *vf, const struct hook_port *p,
                         int request)
{
	struct vmfex_link *link;
	const struct vmfex_link_vf *lvf;
	const struct vmfex_port_state *st;
	bool same = false;

	if (vmfex_link_new_from_pf(vmfex_vf_get_pf(vf), &link) < 0)
		return false;
	lvf = vmfex_link_find_vf(link, vmfex_vf_get_index(vf));
	st = lvf ? vmfex_link_vf_get_port(lvf) : NULL;
	if (st && vmfex_port_state_get_request(st) == request &&
	    vmfex_port_state_get_response(st) == VMFEX_PORT_PROFILE_RESPONSE_SUCCESS &&
	    vmfex_port_state_get_profile(st) &&
	    strcmp(vmfex_port_state_get_profile(st), p->group) == 0 &&
	    vmfex_port_state_get_instance_uuid(st) &&
	    strcasecmp(vmfex_port_state_get_instance_uuid(st), p->vm_uuid) == 0 &&
	    vmfex_link_vf_get_mac(lvf) && strcasecmp(vmfex_link_vf_get_mac(lvf), p->mac) == 0)
		same = true;
	vmfex_link_unref(link);
	return same;
}

static int open_catalog(struct hook *h, struct vmfex_catalog **cat)
{
	int r;

	*cat = NULL;
	if (!h->conf.catalog[0])
		return 0;
	r = vmfex_catalog_open(h->ctx, h->conf.catalog, NULL, cat);
	if (r < 0)
		ERR(h->ctx, "catalog %s (from %s): %s", h->conf.catalog, h->conf_path, strerror(-r));
	return r;
}

int hook_associate(struct hook *h, const struct hook_port *p, struct vmfex_vf *vf)
{
	bool migrating = hook_migrate_pending(h, p->vm_uuid);
	int request = migrating ? VMFEX_PORT_REQUEST_PREASSOCIATE_RR : VMFEX_PORT_REQUEST_ASSOCIATE;
	struct vmfex_attach_opts o = {
		.sz = sizeof(o), .vm_uuid = p->vm_uuid, .vm_name = p->vm_name[0] ? p->vm_name : NULL,
		.profile = p->group,
		.topology = strcmp(p->plug_type, "hostdev") == 0 ? VMFEX_XML_TOPOLOGY_HOSTDEV
		                                                 : VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH,
		.mac = p->mac, .vf = p->dev, .timeout_ms = h->conf.timeout_ms,
		.association = migrating ? VMFEX_ATTACH_PREASSOCIATE : VMFEX_ATTACH_ASSOCIATE,
	};
	struct vmfex_lease held;
	bool found;
	char *xml = NULL;
	int r;

	if (!p->group[0]) {
		ERR(h->ctx, "port of VM %s on VF %s: no portgroup, so no port profile to associate "
		    "(give the interface a portgroup of the pool)", p->vm_uuid, p->dev);
		return -EINVAL;
	}
	r = find_lease(h, vf, &held, &found);
	if (r < 0)
		return r;
	if (found && strcasecmp(held.vm_uuid, p->vm_uuid) != 0) {
		ERR(h->ctx, "VF %s is leased to VM %s, not to VM %s", p->dev, held.vm_uuid,
		    p->vm_uuid);
		return -EBUSY;
	}
	if (found && already_done(h, vf, p, request)) {
		INFO(h->ctx, "VF %s: already %s with %s for VM %s (libvirtd restarted)", p->dev,
		     migrating ? "pre-associated" : "associated", p->group, p->vm_uuid);
		return 0;
	}
	if (found) {
		/* The VM's own lease on a port that is no longer what it asks
		 * for: start again from a clean VF. */
		NOTICE(h->ctx, "VF %s: the lease of VM %s no longer matches its port: renewed",
		       p->dev, p->vm_uuid);
		r = vmfex_detach_lease(h->ctx, &held);
		if (r < 0)
			return r;
	}
	r = open_catalog(h, &o.catalog);
	if (r < 0)
		return r;
	r = vmfex_attach(h->ctx, &o, &xml);
	free(xml);
	vmfex_catalog_unref(o.catalog);
	if (r == 0)
		NOTICE(h->ctx, "VF %s %s with profile %s for VM %s (%s), MAC %s", p->dev,
		       migrating ? "pre-associated" : "associated", p->group, p->vm_uuid,
		       p->vm_name[0] ? p->vm_name : "no name", p->mac);
	return r;
}

int hook_release(struct hook *h, const struct hook_port *p, struct vmfex_vf *vf)
{
	struct vmfex_lease held;
	bool found;
	int r;

	r = find_lease(h, vf, &held, &found);
	if (r < 0)
		return r;
	if (!found || strcasecmp(held.vm_uuid, p->vm_uuid) != 0) {
		INFO(h->ctx, "VF %s: no lease of VM %s to release", p->dev, p->vm_uuid);
		return 0;
	}
	r = vmfex_detach_lease(h->ctx, &held);
	if (r == 0)
		NOTICE(h->ctx, "VF %s disassociated and released (VM %s)", p->dev, p->vm_uuid);
	return r;
}

