/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Attach and detach of a VM's vNIC: the allocator, the VF's MAC, its
 * 802.1Qbh port, its driver and the domain interface in one call, undone
 * in reverse order when a step fails. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "workflow-private.h"

int vmfex_attach_fail_after_step;

static int seam(struct vmfex_ctx *ctx, enum vmfex_attach_step step)
{
	if (vmfex_attach_fail_after_step != (int)step)
		return 0;
	ERR(ctx, "attach: failing after step %d as asked by a test", (int)step);
	return -EIO;
}

static void random_mac(char buf[VMFEX_MAC_STR_LEN])
{
	unsigned char b[6];

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b)) {
		for (size_t i = 0; i < sizeof(b); i++)
			b[i] = (unsigned char)rand();
	}
	b[0] = (unsigned char)((b[0] & 0xfc) | 0x02); /* unicast, locally administered */
	snprintf(buf, VMFEX_MAC_STR_LEN, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3],
	         b[4], b[5]);
}

static const char *zero_mac = "00:00:00:00:00:00";

/* Record what the attach did in the VF's lease, and confirm it. */
static int lease_confirm(struct vmfex_ctx *ctx, const struct vmfex_lease *mine,
                         unsigned int flags)
{
	struct vmfex_lease_db db;
	struct vmfex_lease *l;
	int r;

	r = vmfex_lease_db_open(ctx, &db);
	if (r < 0)
		return r;
	l = vmfex_lease_db_find(&db, mine->pf, mine->vf);
	if (!l || strcmp(l->vm_uuid, mine->vm_uuid) != 0 || l->pid != mine->pid) {
		ERR(ctx, "VF %u of %s: the lease of VM %s was reclaimed during the attach", mine->vf,
		    mine->pf, mine->vm_uuid);
		r = -ESTALE;
	} else {
		l->flags |= flags | VMFEX_LEASE_CONFIRMED;
		r = vmfex_lease_db_commit(&db);
	}
	vmfex_lease_db_close(&db);
	return r;
}

static int reserve(struct vmfex_ctx *ctx, const struct vmfex_attach_opts *o, struct vmfex_vf **vf,
                   struct vmfex_lease *lease)
{
	struct vmfex_reserve_opts ro = {
		.sz = sizeof(ro), .vm_uuid = o->vm_uuid, .vm_name = o->vm_name,
		.domains = o->domains,
	};
	struct vmfex_pf *pf;
	int r;

	if (o->vf) {
		struct vmfex_vf *chosen;

		/* A VF chosen by someone else (libvirt's pool): that one or none. */
		r = strchr(o->vf, ':') ? vmfex_vf_new_from_pci(ctx, o->vf, &chosen)
		                       : vmfex_vf_new_from_ifname(ctx, o->vf, &chosen);
		if (r < 0) {
			ERR(ctx, "attach of VM %s: VF %s: %s", o->vm_uuid, o->vf, strerror(-r));
			return r == -ENOENT ? -ENODEV : r;
		}
		ro.vf = vmfex_vf_get_pci(chosen);
		r = vmfex_pf_new_from_pci(ctx, vmfex_pf_get_pci(vmfex_vf_get_pf(chosen)), &pf);
		if (r == 0) {
			r = vmfex_vf_reserve_lease(pf, &ro, vf, lease);
			vmfex_pf_unref(pf);
		}
		vmfex_vf_unref(chosen);
		return r;
	}
	if (o->pf) {
		r = vmfex_pf_new_from_name(ctx, o->pf, &pf);
		if (r < 0) {
			ERR(ctx, "attach of VM %s: PF %s: %s", o->vm_uuid, o->pf, strerror(-r));
			return r;
		}
		r = vmfex_vf_reserve_lease(pf, &ro, vf, lease);
		vmfex_pf_unref(pf);
		return r;
	}
	/* The PFs by address, each read (with its VFs) only when its turn
	 * comes: the first with a free VF is usually the first. */
	{
		struct vmfex_pci_addr *cands;
		size_t n;

		r = vmfex_pci_list_sriov(ctx, &cands, &n);
		if (r < 0)
			return r;
		r = -ENOSPC;
		for (size_t i = 0; i < n && r == -ENOSPC; i++) {
			if (vmfex_pf_new_at(ctx, &cands[i], &pf) < 0)
				continue;
			if (vmfex_pf_get_ifname(pf) && vmfex_pf_get_num_vfs(pf))
				r = vmfex_vf_reserve_lease(pf, &ro, vf, lease);
			vmfex_pf_unref(pf);
		}
		free(cands);
	}
	if (r == -ENOSPC)
		ERR(ctx, "attach of VM %s: no PF has a free VF", o->vm_uuid);
	return r;
}

/* Take the port back from a request the adapter may have taken. */
static void port_undo(struct vmfex_ctx *ctx, struct vmfex_port *port, unsigned int timeout_ms)
{
	struct vmfex_port_opts po = { .sz = sizeof(po), .timeout_ms = timeout_ms };
	int req = -1, r;

	if (vmfex_port_get_status(port, &req, NULL) < 0 || req < 0 ||
	    req == VMFEX_PORT_REQUEST_DISASSOCIATE)
		return;
	r = vmfex_port_disassociate(port, &po);
	if (r < 0)
		ERR(ctx, "VF %d of %s: cannot disassociate its port: %s",
		    vmfex_port_get_vf_index(port), vmfex_port_get_ifname(port), strerror(-r));
}

_public_ int vmfex_attach(struct vmfex_ctx *ctx, const struct vmfex_attach_opts *opts_in,
                          char **xml)
{
	struct vmfex_attach_opts o;
	struct vmfex_vf *vf = NULL;
	struct vmfex_port *port = NULL;
	struct vmfex_lease lease;
	enum vmfex_xml_topology topology;
	enum vmfex_topology profile_topology = 0;
	char mac[VMFEX_MAC_STR_LEN];
	char *out = NULL;
	bool did_mac = false, did_port = false, did_bind = false, reserved = false;
	unsigned int flags = 0;
	int r;

	if (!ctx || !xml)
		return -EINVAL;
	r = vmfex_opts_copy(&o, sizeof(o), opts_in);
	if (r < 0 || !opts_in) {
		ERR(ctx, "attach: options missing or of a newer library");
		return -EINVAL;
	}
	if (vmfex_uuid_validate(o.vm_uuid) < 0) {
		ERR(ctx, "attach: malformed VM UUID");
		return -EINVAL;
	}
	if (!o.profile || !o.profile[0] || strlen(o.profile) > 39) {
		ERR(ctx, "attach of VM %s: the profile must have 1-39 characters", o.vm_uuid);
		return -EINVAL;
	}
	if (o.association > VMFEX_ATTACH_BY_LIBVIRT) {
		ERR(ctx, "attach of VM %s: unknown association %d", o.vm_uuid, (int)o.association);
		return -EINVAL;
	}
	if (o.mac)
		snprintf(mac, sizeof(mac), "%s", o.mac);
	else
		random_mac(mac);

	/* 1. The profile against the catalog: nothing changes yet. */
	if (o.catalog) {
		struct vmfex_port_check_opts co = { .sz = sizeof(co) };

		r = vmfex_catalog_check_port(o.catalog, o.profile, &co, &profile_topology);
		if (r < 0) {
			ERR(ctx, "attach of VM %s: profile %s refused by the catalog: %s", o.vm_uuid,
			    o.profile, strerror(-r));
			return r;
		}
	}
	topology = o.topology;
	if (topology == VMFEX_XML_TOPOLOGY_PROFILE)
		topology = profile_topology == VMFEX_TOPOLOGY_HOSTDEV
		                   ? VMFEX_XML_TOPOLOGY_HOSTDEV
		                   : VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH;
	if (topology != VMFEX_XML_TOPOLOGY_HOSTDEV &&
	    topology != VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH) {
		ERR(ctx, "attach of VM %s: topology %d is neither passthrough nor hostdev", o.vm_uuid,
		    (int)topology);
		return -ENOTSUP;
	}
	r = seam(ctx, VMFEX_ATTACH_STEP_CHECK);
	if (r < 0)
		return r;

	/* 2. A VF, leased to the VM. */
	r = reserve(ctx, &o, &vf, &lease);
	if (r < 0)
		return r;
	reserved = true;
	r = seam(ctx, VMFEX_ATTACH_STEP_RESERVE);
	if (r < 0)
		goto undo;

	/* 3. Its MAC. */
	r = vmfex_vf_set_mac(vf, mac);
	if (r < 0) {
		ERR(ctx, "attach of VM %s: cannot set the MAC of %s: %s", o.vm_uuid,
		    vmfex_vf_get_pci(vf), strerror(-r));
		goto undo;
	}
	did_mac = true;
	flags |= VMFEX_LEASE_MAC_SET;
	r = seam(ctx, VMFEX_ATTACH_STEP_MAC);
	if (r < 0)
		goto undo;

	/* 4. Its port, unless libvirt is to associate it. */
	if (o.association != VMFEX_ATTACH_BY_LIBVIRT) {
		struct vmfex_port_opts po = {
			.sz = sizeof(po), .profile = o.profile, .instance_uuid = o.vm_uuid,
			.host_uuid = o.host_uuid, .timeout_ms = o.timeout_ms,
		};

		r = vmfex_port_new_from_vf(vf, &port);
		if (r < 0)
			goto undo;
		if (o.association == VMFEX_ATTACH_PREASSOCIATE)
			r = vmfex_port_preassociate(port, &po);
		else
			r = vmfex_port_associate(port, &po);
		if (r < 0) {
			ERR(ctx, "attach of VM %s: cannot %sassociate %s with %s: %s", o.vm_uuid,
			    o.association == VMFEX_ATTACH_PREASSOCIATE ? "pre-" : "",
			    vmfex_vf_get_pci(vf), o.profile, strerror(-r));
			port_undo(ctx, port, o.timeout_ms);
			goto undo;
		}
		did_port = true;
		flags |= o.association == VMFEX_ATTACH_PREASSOCIATE ? VMFEX_LEASE_PREASSOCIATED
		                                                    : VMFEX_LEASE_ASSOCIATED;
	}
	r = seam(ctx, VMFEX_ATTACH_STEP_PORT);
	if (r < 0)
		goto undo;

	/* 5. vfio-pci for hostdev. */
	if (topology == VMFEX_XML_TOPOLOGY_HOSTDEV &&
	    !(vmfex_vf_get_driver(vf) && strcmp(vmfex_vf_get_driver(vf), "vfio-pci") == 0)) {
		r = vmfex_vf_bind_driver(vf, "vfio-pci");
		if (r < 0) {
			ERR(ctx, "attach of VM %s: cannot bind %s to vfio-pci: %s", o.vm_uuid,
			    vmfex_vf_get_pci(vf), strerror(-r));
			/* The kernel may have unbound the old driver already. */
			vmfex_vf_bind_driver(vf, NULL);
			goto undo;
		}
		did_bind = true;
		flags |= VMFEX_LEASE_BOUND;
	}
	r = seam(ctx, VMFEX_ATTACH_STEP_BIND);
	if (r < 0)
		goto undo;

	/* 6. The domain interface. */
	{
		struct vmfex_xml_interface_opts xo = {
			.sz = sizeof(xo), .mac = mac, .topology = topology,
			.no_virtualport = o.association != VMFEX_ATTACH_BY_LIBVIRT,
			.unmanaged = topology == VMFEX_XML_TOPOLOGY_HOSTDEV,
			.profileid = o.profile,
		};

		r = vmfex_xml_interface_for_vf(vf, NULL, &xo, &out);
		if (r < 0) {
			ERR(ctx, "attach of VM %s: cannot write the interface of %s: %s", o.vm_uuid,
			    vmfex_vf_get_pci(vf), strerror(-r));
			goto undo;
		}
	}
	r = seam(ctx, VMFEX_ATTACH_STEP_XML);
	if (r < 0)
		goto undo;

	/* 7. The lease is the VM's now. */
	r = lease_confirm(ctx, &lease, flags);
	if (r < 0)
		goto undo;
	r = seam(ctx, VMFEX_ATTACH_STEP_CONFIRM);
	if (r < 0)
		goto undo;

	INFO(ctx, "VM %s attached to VF %u of %s with profile %s", o.vm_uuid, lease.vf, lease.pf,
	     o.profile);
	*xml = out;
	vmfex_port_unref(port);
	vmfex_vf_unref(vf);
	return 0;

undo:
	free(out);
	if (did_bind) {
		int u = vmfex_vf_bind_driver(vf, NULL);

		if (u < 0)
			ERR(ctx, "VF %s: cannot give it back its driver: %s", vmfex_vf_get_pci(vf),
			    strerror(-u));
	}
	if (did_port)
		port_undo(ctx, port, o.timeout_ms);
	if (did_mac) {
		int u = vmfex_vf_set_mac(vf, lease.orig_mac[0] ? lease.orig_mac : zero_mac);

		if (u < 0)
			ERR(ctx, "VF %s: cannot restore its MAC: %s", vmfex_vf_get_pci(vf),
			    strerror(-u));
	}
	if (reserved)
		vmfex_vf_release(vf, lease.vm_uuid);
	vmfex_port_unref(port);
	vmfex_vf_unref(vf);
	return r;
}

/* The leases of a VM, copied out of the lease file. */
static int vm_leases(struct vmfex_ctx *ctx, const char *vm_uuid, struct vmfex_lease **out,
                     size_t *n_out)
{
	struct vmfex_lease_db db;
	struct vmfex_lease *v = NULL;
	size_t n = 0;
	int r;

	if (vmfex_uuid_validate(vm_uuid) < 0) {
		ERR(ctx, "malformed VM UUID");
		return -EINVAL;
	}
	r = vmfex_lease_db_open(ctx, &db);
	if (r < 0)
		return r;
	for (size_t i = 0; i < db.n; i++) {
		if (strcasecmp(db.v[i].vm_uuid, vm_uuid) != 0)
			continue;
		if (!v && !(v = calloc(db.n, sizeof(*v)))) {
			vmfex_lease_db_close(&db);
			return -ENOMEM;
		}
		v[n++] = db.v[i];
	}
	vmfex_lease_db_close(&db);
	if (!n) {
		ERR(ctx, "VM %s holds no VF", vm_uuid);
		return -ENOENT;
	}
	*out = v;
	*n_out = n;
	return 0;
}

static int lease_vf(struct vmfex_ctx *ctx, const struct vmfex_lease *l, struct vmfex_vf **vf)
{
	struct vmfex_pf *pf;
	int r;

	r = vmfex_pf_new_from_pci(ctx, l->pf, &pf);
	if (r < 0) {
		ERR(ctx, "PF %s of VM %s: %s", l->pf, l->vm_uuid, strerror(-r));
		return r;
	}
	r = vmfex_pf_get_vf(pf, l->vf, vf);
	vmfex_pf_unref(pf);
	if (r < 0)
		ERR(ctx, "VF %u of %s (VM %s): %s", l->vf, l->pf, l->vm_uuid, strerror(-r));
	return r;
}

/* Undo what the attach recorded in one lease, in reverse order, and drop
 * the lease; a step that fails keeps the lease for another try. */
int vmfex_detach_lease(struct vmfex_ctx *ctx, const struct vmfex_lease *l)
{
	const char *vm_uuid = l->vm_uuid;
	struct vmfex_vf *vf = NULL;
	int r;

	r = lease_vf(ctx, l, &vf);
	if (r == 0 && (l->flags & VMFEX_LEASE_BOUND)) {
		r = vmfex_vf_bind_driver(vf, NULL);
		if (r < 0)
			ERR(ctx, "detach of VM %s: cannot give %s back its driver: %s",
			    vm_uuid, vmfex_vf_get_pci(vf), strerror(-r));
	}
	if (r == 0 && (l->flags & (VMFEX_LEASE_ASSOCIATED | VMFEX_LEASE_PREASSOCIATED))) {
		struct vmfex_port *port;

		r = vmfex_port_new_from_vf(vf, &port);
		if (r == 0) {
			r = vmfex_port_disassociate(port, NULL);
			vmfex_port_unref(port);
		}
		if (r < 0)
			ERR(ctx, "detach of VM %s: cannot disassociate %s: %s", vm_uuid,
			    vmfex_vf_get_pci(vf), strerror(-r));
	}
	if (r == 0 && (l->flags & VMFEX_LEASE_MAC_SET)) {
		r = vmfex_vf_set_mac(vf, l->orig_mac[0] ? l->orig_mac : zero_mac);
		if (r < 0)
			ERR(ctx, "detach of VM %s: cannot restore the MAC of %s: %s", vm_uuid,
			    vmfex_vf_get_pci(vf), strerror(-r));
	}
	if (r == 0)
		r = vmfex_vf_release(vf, vm_uuid);
	vmfex_vf_unref(vf);
	return r;
}

_public_ int vmfex_detach(struct vmfex_ctx *ctx, const char *vm_uuid)
{
	struct vmfex_lease *v;
	size_t n;
	int r, first = 0, done = 0;

	if (!ctx)
		return -EINVAL;
	r = vm_leases(ctx, vm_uuid, &v, &n);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		r = vmfex_detach_lease(ctx, &v[i]);
		if (r == 0)
			done++;
		else if (!first)
			first = r;
	}
	free(v);
	return first ? first : done;
}

_public_ int vmfex_attach_migration_finish(struct vmfex_ctx *ctx, const char *vm_uuid)
{
	struct vmfex_lease *v;
	size_t n;
	int r, done = 0;

	if (!ctx)
		return -EINVAL;
	r = vm_leases(ctx, vm_uuid, &v, &n);
	if (r < 0)
		return r;
	r = 0;
	for (size_t i = 0; i < n && r == 0; i++) {
		struct vmfex_lease *l = &v[i];
		struct vmfex_vf *vf = NULL;
		struct vmfex_port *port = NULL;
		struct vmfex_link *link = NULL;
		const struct vmfex_link_vf *lvf;
		const struct vmfex_port_state *st = NULL;
		char profile[40] = "", host[VMFEX_UUID_STR_LEN] = "";

		if (!(l->flags & VMFEX_LEASE_PREASSOCIATED))
			continue;
		r = lease_vf(ctx, l, &vf);
		if (r == 0)
			r = vmfex_pf_get_link(vmfex_vf_get_pf(vf), &link);
		if (r == 0) {
			lvf = vmfex_link_get_vf(link, l->vf);
			st = lvf ? vmfex_link_vf_get_port(lvf) : NULL;
			if (!st || !vmfex_port_state_get_profile(st)) {
				ERR(ctx, "VF %u of %s: no pre-associated profile to associate", l->vf,
				    l->pf);
				r = -ENODATA;
			} else {
				snprintf(profile, sizeof(profile), "%s",
				         vmfex_port_state_get_profile(st));
				if (vmfex_port_state_get_host_uuid(st))
					snprintf(host, sizeof(host), "%s",
					         vmfex_port_state_get_host_uuid(st));
			}
		}
		if (r == 0)
			r = vmfex_port_new_from_vf(vf, &port);
		if (r == 0) {
			struct vmfex_port_opts po = {
				.sz = sizeof(po), .profile = profile, .instance_uuid = l->vm_uuid,
				.host_uuid = host[0] ? host : NULL,
			};

			r = vmfex_port_associate(port, &po);
		}
		if (r == 0) {
			struct vmfex_lease_db db;

			r = vmfex_lease_db_open(ctx, &db);
			if (r == 0) {
				struct vmfex_lease *cur = vmfex_lease_db_find(&db, l->pf, l->vf);

				if (cur && strcmp(cur->vm_uuid, l->vm_uuid) == 0) {
					cur->flags &= ~(unsigned int)VMFEX_LEASE_PREASSOCIATED;
					cur->flags |= VMFEX_LEASE_ASSOCIATED;
					r = vmfex_lease_db_commit(&db);
				}
				vmfex_lease_db_close(&db);
			}
			if (r == 0)
				done++;
		}
		vmfex_port_unref(port);
		vmfex_link_unref(link);
		vmfex_vf_unref(vf);
	}
	free(v);
	if (r == 0 && !done) {
		ERR(ctx, "VM %s has no pre-associated port", vm_uuid);
		return -ENOENT;
	}
	return r < 0 ? r : done;
}
