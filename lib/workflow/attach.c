/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Attach and detach of a VM's vNIC: the allocator, the VF's MAC, its
 * 802.1Qbh port, its driver and the domain interface in one call. Attach
 * is a table of steps, each with its undo; a failed attach undoes the
 * steps it did in reverse order, and detach runs the same undos on what
 * the VF's lease says an attach did. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "workflow-private.h"

static void random_mac(char buf[VMFEX_MAC_STRLEN])
{
	unsigned char b[6];

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b)) {
		for (size_t i = 0; i < sizeof(b); i++)
			b[i] = (unsigned char)rand();
	}
	b[0] = (unsigned char)((b[0] & 0xfc) | 0x02); /* unicast, locally administered */
	vmfex_mac_format(b, buf);
}

static const char *zero_mac = "00:00:00:00:00:00";

/* One attach under way: its options and what its steps made. lease.flags
 * say what was done to the VF, as the lease file will. */
struct attach {
	struct vmfex_ctx *ctx;
	struct vmfex_attach_opts o;
	enum vmfex_xml_topology topology;
	char mac[VMFEX_MAC_STRLEN];
	struct vmfex_vf *vf;
	struct vmfex_lease lease;
	char *xml;
	int admission_fd;            /* held from the catalog check to the port request */
};

/* ---- the undos, shared by a failed attach and by detach ---- */

static int undo_reserve(struct vmfex_ctx *ctx, struct vmfex_vf *vf, const struct vmfex_lease *l,
                        unsigned int timeout_ms)
{
	return vmfex_vf_release(vf, l->vm_uuid);
}

static int undo_mac(struct vmfex_ctx *ctx, struct vmfex_vf *vf, const struct vmfex_lease *l,
                    unsigned int timeout_ms)
{
	int r;

	if (!(l->flags & VMFEX_LEASE_MAC_SET))
		return 0;
	r = vmfex_vf_set_mac(vf, l->orig_mac[0] ? l->orig_mac : zero_mac);
	if (r < 0)
		ERR(ctx, "VM %s: cannot restore the MAC of %s: %s", l->vm_uuid, vmfex_vf_get_pci(vf),
		    strerror(-r));
	return r;
}

/* Takes the port back from a request the adapter may have taken. */
static int undo_port(struct vmfex_ctx *ctx, struct vmfex_vf *vf, const struct vmfex_lease *l,
                     unsigned int timeout_ms)
{
	struct vmfex_port_opts po = { .sz = sizeof(po), .timeout_ms = timeout_ms };
	struct vmfex_port *port;
	int req = -1, r;

	if (!(l->flags & (VMFEX_LEASE_ASSOCIATED | VMFEX_LEASE_PREASSOCIATED)))
		return 0;
	r = vmfex_port_new_from_vf(vf, &port);
	if (r == 0 && vmfex_port_read_status(port, &req, NULL) == 0 && req >= 0 &&
	    req != VMFEX_PORT_REQUEST_DISASSOCIATE)
		r = vmfex_port_disassociate(port, &po);
	vmfex_port_unref(port);
	if (r < 0)
		ERR(ctx, "VM %s: cannot disassociate the port of %s: %s", l->vm_uuid,
		    vmfex_vf_get_pci(vf), strerror(-r));
	return r;
}

static int undo_bind(struct vmfex_ctx *ctx, struct vmfex_vf *vf, const struct vmfex_lease *l,
                     unsigned int timeout_ms)
{
	int r;

	if (!(l->flags & VMFEX_LEASE_BOUND))
		return 0;
	r = vmfex_vf_bind_driver(vf, NULL);
	if (r < 0)
		ERR(ctx, "VM %s: cannot give %s back its driver: %s", l->vm_uuid,
		    vmfex_vf_get_pci(vf), strerror(-r));
	return r;
}

/* ---- the steps ---- */

static int do_check(struct attach *a)
{
	struct vmfex_port_check_opts co = { .sz = sizeof(co) };
	enum vmfex_topology profile_topology = 0;
	int r;

	if (a->o.catalog) {
		/* The count of the profile's ports and the port request that
		 * adds one are made under one lock, so that max ports holds
		 * against concurrent attaches. */
		r = vmfex_admission_lock(a->ctx, &a->admission_fd);
		if (r < 0)
			return r;
		r = vmfex_catalog_check_port(a->o.catalog, a->o.profile, &co, &profile_topology);
		if (r < 0) {
			ERR(a->ctx, "attach of VM %s: profile %s refused by the catalog: %s",
			    a->o.vm_uuid, a->o.profile, strerror(-r));
			return r;
		}
	}
	a->topology = a->o.topology;
	if (a->topology == VMFEX_XML_TOPOLOGY_PROFILE)
		a->topology = profile_topology == VMFEX_TOPOLOGY_HOSTDEV
		                      ? VMFEX_XML_TOPOLOGY_HOSTDEV
		                      : VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH;
	if (a->topology != VMFEX_XML_TOPOLOGY_HOSTDEV &&
	    a->topology != VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH) {
		ERR(a->ctx, "attach of VM %s: topology %d is neither passthrough nor hostdev",
		    a->o.vm_uuid, (int)a->topology);
		return -ENOTSUP;
	}
	return 0;
}

/* Only a VIC's VFs can carry a port profile (ndo_set_vf_port is enic's). */
static bool can_carry_profile(struct vmfex_pf *pf)
{
	return vmfex_pf_is_vic(pf);
}

static int do_reserve(struct attach *a)
{
	struct vmfex_reserve_opts ro = {
		.sz = sizeof(ro), .vm_uuid = a->o.vm_uuid, .vm_name = a->o.vm_name,
		.domains = a->o.domains,
	};
	struct vmfex_ctx *ctx = a->ctx;
	struct vmfex_pci_addr *cands;
	struct vmfex_pf *pf;
	size_t n;
	int r;

	if (a->o.pf) {
		r = vmfex_pf_new_from_name(ctx, a->o.pf, &pf);
		if (r < 0) {
			ERR(ctx, "attach of VM %s: PF %s: %s", a->o.vm_uuid, a->o.pf, strerror(-r));
			return r;
		}
		if (!can_carry_profile(pf)) {
			ERR(ctx, "attach of VM %s: PF %s is not a Cisco VIC: its VFs cannot carry "
			    "a port profile", a->o.vm_uuid, a->o.pf);
			r = -EOPNOTSUPP;
		} else {
			r = vmfex_vf_reserve_lease(pf, &ro, &a->vf, &a->lease);
		}
		vmfex_pf_unref(pf);
		return r;
	}
	/* The PFs by address, each read (with its VFs) only when its turn
	 * comes: the first with a free VF is usually the first. */
	r = vmfex_pci_list_sriov(ctx, &cands, &n);
	if (r < 0)
		return r;
	r = -ENOSPC;
	for (size_t i = 0; i < n && r == -ENOSPC; i++) {
		if (vmfex_pf_new_at(ctx, &cands[i], &pf) < 0)
			continue;
		if (can_carry_profile(pf) && vmfex_pf_get_ifname(pf) && vmfex_pf_get_num_vfs(pf))
			r = vmfex_vf_reserve_lease(pf, &ro, &a->vf, &a->lease);
		vmfex_pf_unref(pf);
	}
	free(cands);
	if (r == -ENOSPC)
		ERR(ctx, "attach of VM %s: no PF that can carry a port profile (Cisco VIC) has a "
		    "free VF", a->o.vm_uuid);
	return r;
}

static int do_mac(struct attach *a)
{
	int r = vmfex_vf_set_mac(a->vf, a->mac);

	if (r < 0)
		ERR(a->ctx, "attach of VM %s: cannot set the MAC of %s: %s", a->o.vm_uuid,
		    vmfex_vf_get_pci(a->vf), strerror(-r));
	else
		a->lease.flags |= VMFEX_LEASE_MAC_SET;
	return r;
}

static int do_port(struct attach *a)
{
	struct vmfex_port_opts po = {
		.sz = sizeof(po), .profile = a->o.profile, .instance_uuid = a->o.vm_uuid,
		.host_uuid = a->o.host_uuid, .timeout_ms = a->o.timeout_ms,
		.no_wait = a->admission_fd >= 0,
	};
	bool pre = a->o.association == VMFEX_ATTACH_PREASSOCIATE;
	int request = pre ? VMFEX_PORT_REQUEST_PREASSOCIATE_RR : VMFEX_PORT_REQUEST_ASSOCIATE;
	unsigned int flag = pre ? VMFEX_LEASE_PREASSOCIATED : VMFEX_LEASE_ASSOCIATED;
	struct vmfex_port *port;
	int r;

	if (a->o.association == VMFEX_ATTACH_BY_LIBVIRT) {
		vmfex_admission_unlock(&a->admission_fd);
		return 0;
	}
	r = vmfex_port_new_from_vf(a->vf, &port);
	if (r < 0)
		return r;
	r = pre ? vmfex_port_preassociate(port, &po) : vmfex_port_associate(port, &po);
	/* The request is the adapter's now and counts against max ports:
	 * the next attach may count. */
	vmfex_admission_unlock(&a->admission_fd);
	if (r == 0 && po.no_wait)
		r = vmfex_port_wait(port, request, a->o.timeout_ms);
	vmfex_port_unref(port);
	a->lease.flags |= flag;
	if (r < 0) {
		ERR(a->ctx, "attach of VM %s: cannot %sassociate %s with %s: %s", a->o.vm_uuid,
		    pre ? "pre-" : "", vmfex_vf_get_pci(a->vf), a->o.profile, strerror(-r));
		/* The adapter may have taken the request all the same. */
		undo_port(a->ctx, a->vf, &a->lease, a->o.timeout_ms);
		a->lease.flags &= ~flag;
	}
	return r;
}

static int do_bind(struct attach *a)
{
	const char *drv = vmfex_vf_get_driver(a->vf);
	int r;

	if (a->topology != VMFEX_XML_TOPOLOGY_HOSTDEV || (drv && strcmp(drv, "vfio-pci") == 0))
		return 0;
	r = vmfex_vf_bind_driver(a->vf, "vfio-pci");
	if (r < 0) {
		ERR(a->ctx, "attach of VM %s: cannot bind %s to vfio-pci: %s", a->o.vm_uuid,
		    vmfex_vf_get_pci(a->vf), strerror(-r));
		/* The kernel may have unbound the old driver already. */
		vmfex_vf_bind_driver(a->vf, NULL);
	} else {
		a->lease.flags |= VMFEX_LEASE_BOUND;
	}
	return r;
}

static int do_xml(struct attach *a)
{
	struct vmfex_xml_interface_opts xo = {
		.sz = sizeof(xo), .mac = a->mac, .topology = a->topology,
		.no_virtualport = a->o.association != VMFEX_ATTACH_BY_LIBVIRT,
		.unmanaged = a->topology == VMFEX_XML_TOPOLOGY_HOSTDEV,
		.profileid = a->o.profile,
	};
	int r = vmfex_xml_interface_for_vf(a->vf, NULL, &xo, &a->xml);

	if (r < 0)
		ERR(a->ctx, "attach of VM %s: cannot write the interface of %s: %s", a->o.vm_uuid,
		    vmfex_vf_get_pci(a->vf), strerror(-r));
	return r;
}

/* Record what the attach did in the VF's lease, and confirm it. */
static int do_confirm(struct attach *a)
{
	const struct vmfex_lease *mine = &a->lease;
	struct vmfex_lease_db db;
	struct vmfex_lease *l;
	int r;

	r = vmfex_lease_db_open(a->ctx, &db);
	if (r < 0)
		return r;
	l = vmfex_lease_db_find(&db, mine->pf, mine->vf);
	if (!l || strcmp(l->vm_uuid, mine->vm_uuid) != 0 || l->pid != mine->pid) {
		ERR(a->ctx, "VF %u of %s: the lease of VM %s was reclaimed during the attach",
		    mine->vf, mine->pf, mine->vm_uuid);
		r = -ESTALE;
	} else {
		l->flags |= mine->flags | VMFEX_LEASE_CONFIRMED;
		r = vmfex_lease_db_commit(&db);
	}
	vmfex_lease_db_close(&db);
	return r;
}

typedef int undo_fn(struct vmfex_ctx *ctx, struct vmfex_vf *vf, const struct vmfex_lease *l,
                    unsigned int timeout_ms);

/* In order. Each step records in the lease's flags what it did to the VF
 * (a failed step undoes itself), and its undo acts on those flags: the
 * same undo serves a failed attach and detach. */
static const struct attach_step {
	enum vmfex_attach_step id;
	int (*run)(struct attach *a);
	undo_fn *undo;
} steps[] = {
	{ VMFEX_ATTACH_STEP_CHECK, do_check, NULL },
	{ VMFEX_ATTACH_STEP_RESERVE, do_reserve, undo_reserve },
	{ VMFEX_ATTACH_STEP_MAC, do_mac, undo_mac },
	{ VMFEX_ATTACH_STEP_PORT, do_port, undo_port },
	{ VMFEX_ATTACH_STEP_BIND, do_bind, undo_bind },
	{ VMFEX_ATTACH_STEP_XML, do_xml, NULL },
	{ VMFEX_ATTACH_STEP_CONFIRM, do_confirm, NULL },
};

/* Undoes, last first, the steps before @end (an index in steps) that
 * have an undo; stops at the first failure, whose error it returns. */
static int undo_steps(struct vmfex_ctx *ctx, struct vmfex_vf *vf, const struct vmfex_lease *l,
                      size_t end, unsigned int timeout_ms)
{
	int r = 0;

	for (size_t i = end; i-- > 0 && r == 0;)
		if (steps[i].undo)
			r = steps[i].undo(ctx, vf, l, timeout_ms);
	return r;
}

/* Test seam: the context's fault, as if the step had failed. */
static int fault_after(struct vmfex_ctx *ctx, enum vmfex_attach_step id)
{
	if (ctx->fault_after_step != (int)id)
		return 0;
	ERR(ctx, "attach: failing after step %d as asked by a test", (int)id);
	return -EIO;
}

_public_ int vmfex_attach(struct vmfex_ctx *ctx, const struct vmfex_attach_opts *opts_in,
                          char **xml)
{
	struct attach a = { .ctx = ctx, .admission_fd = -1 };
	size_t done = 0;
	int r;

	if (!ctx || !xml)
		return -EINVAL;
	r = vmfex_opts_copy(&a.o, sizeof(a.o), opts_in);
	if (r < 0 || !opts_in) {
		ERR(ctx, "attach: options missing or of a newer library");
		return -EINVAL;
	}
	if (vmfex_uuid_validate(a.o.vm_uuid) < 0) {
		ERR(ctx, "attach: malformed VM UUID");
		return -EINVAL;
	}
	if (!a.o.profile || !a.o.profile[0] || strlen(a.o.profile) > 39) {
		ERR(ctx, "attach of VM %s: the profile must have 1-39 characters", a.o.vm_uuid);
		return -EINVAL;
	}
	if (a.o.association > VMFEX_ATTACH_BY_LIBVIRT) {
		ERR(ctx, "attach of VM %s: unknown association %d", a.o.vm_uuid,
		    (int)a.o.association);
		return -EINVAL;
	}
	if (a.o.mac)
		snprintf(a.mac, sizeof(a.mac), "%s", a.o.mac);
	else
		random_mac(a.mac);

	for (; done < ARRAY_SIZE(steps); done++) {
		const struct attach_step *s = &steps[done];

		r = s->run(&a);
		if (r == 0) {
			r = fault_after(ctx, s->id);
			/* A step that failed undid itself; one that succeeded is
			 * undone with the others. */
			done += r < 0;
		}
		if (r < 0)
			break;
	}
	vmfex_admission_unlock(&a.admission_fd);
	if (r < 0) {
		free(a.xml);
		a.xml = NULL;
		if (a.vf)
			undo_steps(ctx, a.vf, &a.lease, done, a.o.timeout_ms);
	} else {
		INFO(ctx, "VM %s attached to VF %u of %s with profile %s", a.o.vm_uuid, a.lease.vf,
		     a.lease.pf, a.o.profile);
	}
	*xml = a.xml;
	vmfex_vf_unref(a.vf);
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
	r = vmfex_pf_lookup_vf(pf, l->vf, vf);
	vmfex_pf_unref(pf);
	if (r < 0)
		ERR(ctx, "VF %u of %s (VM %s): %s", l->vf, l->pf, l->vm_uuid, strerror(-r));
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
		struct vmfex_vf *vf = NULL;

		/* The undos of every step; the lease goes last, and stays
		 * when a VF could not be undone wholly. */
		r = lease_vf(ctx, &v[i], &vf);
		if (r == 0)
			r = undo_steps(ctx, vf, &v[i], ARRAY_SIZE(steps), 0);
		if (r == 0)
			done++;
		else if (!first)
			first = r;
		vmfex_vf_unref(vf);
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
		char profile[40] = "", host[VMFEX_UUID_STRLEN] = "";

		if (!(l->flags & VMFEX_LEASE_PREASSOCIATED))
			continue;
		r = lease_vf(ctx, l, &vf);
		if (r == 0)
			r = vmfex_link_new_from_pf(vmfex_vf_get_pf(vf), &link);
		if (r == 0) {
			lvf = vmfex_link_find_vf(link, l->vf);
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
