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

/* The PFs an attach may reserve on, read as they are needed. A batch
 * shares them, so that its VMs do not each read every PF and its VFs
 * anew; a PF found full is not tried again in the batch. */
struct attach_pfs {
	struct vmfex_pci_addr *cands; /* the SR-IOV PFs by address */
	size_t n;
	bool listed;
	struct vmfex_pf **pf;         /* pf[i]: cands[i], once read */
	bool *skip;                   /* no VF to take there */
	char *name;                   /* the last PF named, and its object */
	struct vmfex_pf *named;
};

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
	struct attach_pfs *pfs;      /* shared by a batch, else the attach's own */
	struct vmfex_lease_batch *leases; /* a batch's reservations, written at once */
	bool reserved;               /* the batch reserved the VF before the steps */
	struct vmfex_port *port;     /* from the port request to its answer */
	bool port_pending;           /* the request was sent; its answer is awaited */
	size_t done;                 /* steps done, to be undone on failure */
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

static void attach_pfs_clear(struct attach_pfs *c)
{
	for (size_t i = 0; c->pf && i < c->n; i++)
		vmfex_pf_unref(c->pf[i]);
	free(c->pf);
	free(c->skip);
	free(c->cands);
	free(c->name);
	vmfex_pf_unref(c->named);
	*c = (struct attach_pfs){ 0 };
}

static int named_pf(struct vmfex_ctx *ctx, struct attach_pfs *c, const char *name,
                    struct vmfex_pf **pf)
{
	int r;

	if (c->name && strcmp(c->name, name) == 0) {
		*pf = c->named;
		return 0;
	}
	r = vmfex_pf_new_from_name(ctx, name, pf);
	if (r < 0)
		return r;
	free(c->name);
	vmfex_pf_unref(c->named);
	c->name = strdup(name);
	c->named = c->name ? *pf : vmfex_pf_unref(*pf);
	if (!c->named)
		return -ENOMEM;
	return 0;
}

/* On @pf, alone or with the batch's other reservations. */
static int reserve_on(struct attach *a, struct vmfex_pf *pf, struct vmfex_reserve_opts *ro)
{
	if (a->leases)
		return vmfex_vf_reserve_lease_in(a->leases, pf, ro, &a->vf, &a->lease);
	return vmfex_vf_reserve_lease(pf, ro, &a->vf, &a->lease);
}

static int reserve_named(struct attach *a, struct attach_pfs *c, struct vmfex_reserve_opts *ro)
{
	struct vmfex_ctx *ctx = a->ctx;
	struct vmfex_pf *pf;
	int r;

	r = named_pf(ctx, c, a->o.pf, &pf);
	if (r < 0) {
		ERR(ctx, "attach of VM %s: PF %s: %s", a->o.vm_uuid, a->o.pf, strerror(-r));
		return r;
	}
	if (!can_carry_profile(pf)) {
		ERR(ctx, "attach of VM %s: PF %s is not a Cisco VIC: its VFs cannot carry "
		    "a port profile", a->o.vm_uuid, a->o.pf);
		return -EOPNOTSUPP;
	}
	return reserve_on(a, pf, ro);
}

/* The PFs by address, each read (with its VFs) only when its turn comes:
 * the first with a free VF is usually the first. */
static int reserve_any(struct attach *a, struct attach_pfs *c, struct vmfex_reserve_opts *ro)
{
	struct vmfex_ctx *ctx = a->ctx;
	int r;

	if (!c->listed) {
		r = vmfex_pci_list_sriov(ctx, &c->cands, &c->n);
		if (r < 0)
			return r;
		c->pf = calloc(c->n, sizeof(*c->pf));
		c->skip = calloc(c->n, sizeof(*c->skip));
		if (!c->pf || !c->skip) {
			ERR(ctx, "attach of VM %s: out of memory", a->o.vm_uuid);
			return -ENOMEM;
		}
		c->listed = true;
	}
	r = -ENOSPC;
	for (size_t i = 0; i < c->n && r == -ENOSPC; i++) {
		struct vmfex_pf *pf = c->pf[i];

		if (c->skip[i])
			continue;
		if (!pf && vmfex_pf_new_at(ctx, &c->cands[i], &c->pf[i]) == 0)
			pf = c->pf[i];
		if (pf && can_carry_profile(pf) && vmfex_pf_get_ifname(pf) &&
		    vmfex_pf_get_num_vfs(pf))
			r = reserve_on(a, pf, ro);
		c->skip[i] = r == -ENOSPC;
	}
	if (r == -ENOSPC)
		ERR(ctx, "attach of VM %s: no PF that can carry a port profile (Cisco VIC) has a "
		    "free VF", a->o.vm_uuid);
	return r;
}

/* A VF chosen by someone else (libvirt's pool): that one or none. */
static int reserve_vf(struct attach *a, struct vmfex_reserve_opts *ro)
{
	struct vmfex_ctx *ctx = a->ctx;
	struct vmfex_vf *chosen;
	struct vmfex_pf *pf;
	int r;

	r = strchr(a->o.vf, ':') ? vmfex_vf_new_from_pci(ctx, a->o.vf, &chosen)
	                         : vmfex_vf_new_from_ifname(ctx, a->o.vf, &chosen);
	if (r < 0) {
		ERR(ctx, "attach of VM %s: VF %s: %s", a->o.vm_uuid, a->o.vf, strerror(-r));
		return r == -ENOENT ? -ENODEV : r;
	}
	ro->vf = vmfex_vf_get_pci(chosen);
	pf = NULL;
	r = vmfex_pf_new_from_pci(ctx, vmfex_pf_get_pci(vmfex_vf_get_pf(chosen)), &pf);
	if (r == 0 && !can_carry_profile(pf)) {
		ERR(ctx, "attach of VM %s: VF %s is not of a Cisco VIC: it cannot carry a "
		    "port profile", a->o.vm_uuid, a->o.vf);
		r = -EOPNOTSUPP;
	} else if (r == 0) {
		r = reserve_on(a, pf, ro);
	}
	vmfex_pf_unref(pf);
	vmfex_vf_unref(chosen);
	return r;
}

static int do_reserve(struct attach *a)
{
	struct vmfex_reserve_opts ro = {
		.sz = sizeof(ro), .vm_uuid = a->o.vm_uuid, .vm_name = a->o.vm_name,
		.domains = a->o.domains,
	};
	struct attach_pfs own = { 0 }, *c = a->pfs ? a->pfs : &own;
	int r;

	if (a->reserved)
		return 0;
	if (a->o.vf)
		return reserve_vf(a, &ro);
	r = a->o.pf ? reserve_named(a, c, &ro) : reserve_any(a, c, &ro);
	attach_pfs_clear(&own);
	return r;
}

/* The MAC step's end, once the VF's MAC request is answered (@r). */
static int mac_set(struct attach *a, int r)
{
	if (r < 0)
		ERR(a->ctx, "attach of VM %s: cannot set the MAC of %s: %s", a->o.vm_uuid,
		    vmfex_vf_get_pci(a->vf), strerror(-r));
	else
		a->lease.flags |= VMFEX_LEASE_MAC_SET;
	return r;
}

static int do_mac(struct attach *a)
{
	return mac_set(a, vmfex_vf_set_mac(a->vf, a->mac));
}

static bool preassociating(const struct attach *a)
{
	return a->o.association == VMFEX_ATTACH_PREASSOCIATE;
}

static int port_request(const struct attach *a)
{
	return preassociating(a) ? VMFEX_PORT_REQUEST_PREASSOCIATE_RR : VMFEX_PORT_REQUEST_ASSOCIATE;
}

/* The first half of the port step: send the request without waiting, so
 * that a batch waits once for all its ports. */
static struct vmfex_port_opts port_opts(const struct attach *a)
{
	return (struct vmfex_port_opts){
		.sz = sizeof(struct vmfex_port_opts), .profile = a->o.profile,
		.instance_uuid = a->o.vm_uuid, .host_uuid = a->o.host_uuid,
		.timeout_ms = a->o.timeout_ms, .no_wait = true,
	};
}

/* The request was sent (@r: how it went). */
static int port_sent(struct attach *a, int r)
{
	/* The request is the adapter's now and counts against max ports:
	 * the next attach may count. */
	vmfex_admission_unlock(&a->admission_fd);
	a->lease.flags |= preassociating(a) ? VMFEX_LEASE_PREASSOCIATED : VMFEX_LEASE_ASSOCIATED;
	a->port_pending = r == 0;
	return r;
}

static int port_send(struct attach *a)
{
	struct vmfex_port_opts po = port_opts(a);
	int r;

	if (a->o.association == VMFEX_ATTACH_BY_LIBVIRT) {
		vmfex_admission_unlock(&a->admission_fd);
		return 0;
	}
	r = vmfex_port_new_from_vf(a->vf, &a->port);
	if (r < 0)
		return r;
	r = preassociating(a) ? vmfex_port_preassociate(a->port, &po)
	                      : vmfex_port_associate(a->port, &po);
	return port_sent(a, r);
}

/* The second half: @r is the request's result (the adapter's answer). */
static int port_finish(struct attach *a, int r)
{
	unsigned int flag = preassociating(a) ? VMFEX_LEASE_PREASSOCIATED : VMFEX_LEASE_ASSOCIATED;

	a->port = vmfex_port_unref(a->port);
	a->port_pending = false;
	if (r < 0) {
		ERR(a->ctx, "attach of VM %s: cannot %sassociate %s with %s: %s", a->o.vm_uuid,
		    preassociating(a) ? "pre-" : "", vmfex_vf_get_pci(a->vf), a->o.profile,
		    strerror(-r));
		/* The adapter may have taken the request all the same. */
		if (a->lease.flags & flag)
			undo_port(a->ctx, a->vf, &a->lease, a->o.timeout_ms);
		a->lease.flags &= ~flag;
	}
	return r;
}

static int do_port(struct attach *a)
{
	int r = port_send(a);

	if (r == 0 && a->port_pending)
		r = vmfex_port_wait(a->port, port_request(a), a->o.timeout_ms);
	return port_finish(a, r);
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

/* Record in the lease file @db what the attach did to its VF, and confirm
 * the lease. */
static int confirm_in(struct vmfex_lease_db *db, struct attach *a)
{
	const struct vmfex_lease *mine = &a->lease;
	struct vmfex_lease *l = vmfex_lease_db_find(db, mine->pf, mine->vf);

	if (!l || strcmp(l->vm_uuid, mine->vm_uuid) != 0 || l->pid != mine->pid) {
		ERR(a->ctx, "VF %u of %s: the lease of VM %s was reclaimed during the attach",
		    mine->vf, mine->pf, mine->vm_uuid);
		return -ESTALE;
	}
	l->flags |= mine->flags | VMFEX_LEASE_CONFIRMED;
	return 0;
}

static int do_confirm(struct attach *a)
{
	struct vmfex_lease_db db;
	int r;

	r = vmfex_lease_db_open(a->ctx, &db);
	if (r < 0)
		return r;
	r = confirm_in(&db, a);
	if (r == 0)
		r = vmfex_lease_db_commit(&db);
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
static int fault_after(const struct attach *a, enum vmfex_attach_step id)
{
	struct vmfex_ctx *ctx = a->ctx;

	if (ctx->fault_after_step != (int)id ||
	    (ctx->fault_vm[0] && strcasecmp(ctx->fault_vm, a->o.vm_uuid) != 0))
		return 0;
	ERR(ctx, "attach of VM %s: failing after step %d as asked by a test", a->o.vm_uuid,
	    (int)id);
	return -EIO;
}

#define STEP_INDEX(id) ((size_t)(id) - VMFEX_ATTACH_STEP_CHECK)

/* Runs steps [from, to) of the table; a->done counts those to undo. */
static int run_steps(struct attach *a, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		int r = steps[i].run(a);

		/* A step that failed undid itself; one that succeeded is
		 * undone with the others. */
		if (r < 0)
			return r;
		a->done = i + 1;
		r = fault_after(a, steps[i].id);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Checks the options and picks the MAC; nothing is done to the host. */
static int attach_init(struct attach *a, struct vmfex_ctx *ctx,
                       const struct vmfex_attach_opts *opts_in)
{
	int r;

	*a = (struct attach){ .ctx = ctx, .admission_fd = -1 };
	r = vmfex_opts_copy(&a->o, sizeof(a->o), opts_in);
	if (r < 0 || !opts_in) {
		ERR(ctx, "attach: options missing or of a newer library");
		return -EINVAL;
	}
	if (vmfex_uuid_validate(a->o.vm_uuid) < 0) {
		ERR(ctx, "attach: malformed VM UUID '%.64s'", a->o.vm_uuid ? a->o.vm_uuid : "");
		return -EINVAL;
	}
	if (!a->o.profile || !a->o.profile[0] || strlen(a->o.profile) > 39) {
		ERR(ctx, "attach of VM %s: the profile must have 1-39 characters", a->o.vm_uuid);
		return -EINVAL;
	}
	if (a->o.association > VMFEX_ATTACH_BY_LIBVIRT) {
		ERR(ctx, "attach of VM %s: unknown association %d", a->o.vm_uuid,
		    (int)a->o.association);
		return -EINVAL;
	}
	if (a->o.mac)
		snprintf(a->mac, sizeof(a->mac), "%s", a->o.mac);
	else
		random_mac(a->mac);
	return 0;
}

/* Undoes a failed attach's steps, or logs a good one; hands out the XML. */
static int attach_end(struct attach *a, int r, char **xml)
{
	const size_t reserve = STEP_INDEX(VMFEX_ATTACH_STEP_RESERVE);

	/* A VF the batch reserved ahead is released even when the steps
	 * stopped before theirs. */
	if (a->reserved && a->done <= reserve)
		a->done = reserve + 1;
	vmfex_admission_unlock(&a->admission_fd);
	a->port = vmfex_port_unref(a->port);
	if (r < 0) {
		free(a->xml);
		a->xml = NULL;
		if (a->vf)
			undo_steps(a->ctx, a->vf, &a->lease, a->done, a->o.timeout_ms);
	} else {
		INFO(a->ctx, "VM %s attached to VF %u of %s with profile %s", a->o.vm_uuid,
		     a->lease.vf, a->lease.pf, a->o.profile);
	}
	*xml = a->xml;
	a->vf = vmfex_vf_unref(a->vf);
	return r;
}

_public_ int vmfex_attach(struct vmfex_ctx *ctx, const struct vmfex_attach_opts *opts_in,
                          char **xml)
{
	struct attach a;
	int r;

	if (!ctx || !xml)
		return -EINVAL;
	r = attach_init(&a, ctx, opts_in);
	if (r < 0)
		return r;
	r = run_steps(&a, 0, ARRAY_SIZE(steps));
	return attach_end(&a, r, xml);
}

/* Waits once for the pending ports of a batch that make @request; the
 * wait lasts as long as the longest timeout among them. */
static int wait_batch(struct attach *v, size_t n, int request, int *results)
{
	struct vmfex_port **ports;
	unsigned int timeout_ms = 0;
	int *res;
	size_t k = 0;

	ports = calloc(n, sizeof(*ports));
	res = calloc(n, sizeof(*res));
	if (!ports || !res) {
		free(ports);
		free(res);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		if (results[i] < 0 || !v[i].port_pending || port_request(&v[i]) != request)
			continue;
		ports[k++] = v[i].port;
		if (vmfex_port_timeout_ms(v[i].o.timeout_ms) > timeout_ms)
			timeout_ms = vmfex_port_timeout_ms(v[i].o.timeout_ms);
	}
	if (k)
		vmfex_port_wait_many(ports, k, request, timeout_ms, res);
	k = 0;
	for (size_t i = 0; i < n; i++) {
		if (results[i] < 0 || !v[i].port_pending || port_request(&v[i]) != request)
			continue;
		results[i] = port_finish(&v[i], res[k++]);
	}
	free(ports);
	free(res);
	return 0;
}

/* The confirmation step of every attach of a batch still going, in one
 * write of the lease file (whose failure fails them all). */
static void confirm_batch(struct vmfex_ctx *ctx, struct attach *v, size_t n, int *results)
{
	const size_t confirm = STEP_INDEX(VMFEX_ATTACH_STEP_CONFIRM);
	struct vmfex_lease_db db;
	bool any = false;
	int r;

	for (size_t i = 0; i < n; i++)
		any |= results[i] == 0;
	if (!any)
		return;
	r = vmfex_lease_db_open(ctx, &db);
	for (size_t i = 0; i < n && r == 0; i++) {
		if (results[i] == 0) {
			results[i] = confirm_in(&db, &v[i]);
			v[i].done = results[i] == 0 ? confirm + 1 : confirm;
		}
	}
	if (r == 0)
		r = vmfex_lease_db_commit(&db);
	if (r < 0) {
		ERR(ctx, "attach of %zu VMs: cannot confirm their leases: %s", n, strerror(-r));
		for (size_t i = 0; i < n; i++) {
			if (results[i] == 0) {
				results[i] = r;
				v[i].done = confirm;
			}
		}
	}
	vmfex_lease_db_close(&db);
}

/* The MAC step of every attach of a batch still going, their requests
 * sent together. */
static void mac_many(struct vmfex_ctx *ctx, struct attach *v, size_t n, int *results)
{
	struct vmfex_vf **vfs = calloc(n, sizeof(*vfs));
	const char **macs = calloc(n, sizeof(*macs));
	size_t *idx = calloc(n, sizeof(*idx)), k = 0;
	int *res = calloc(n, sizeof(*res));

	for (size_t i = 0; i < n; i++) {
		if (results[i] < 0)
			continue;
		if (!vfs || !macs || !idx || !res) {
			results[i] = do_mac(&v[i]);
			continue;
		}
		vfs[k] = v[i].vf;
		macs[k] = v[i].mac;
		idx[k++] = i;
	}
	vmfex_vf_set_mac_many(ctx, vfs, macs, k, res);
	for (size_t j = 0; j < k; j++)
		results[idx[j]] = mac_set(&v[idx[j]], res[j]);
	free(vfs);
	free(macs);
	free(idx);
	free(res);
}

/* The port requests of every attach of a batch still going, sent
 * together by kind; each then waits with the batch. */
static void port_send_many(struct attach *v, size_t n, int *results)
{
	static const int kinds[] = { VMFEX_PORT_REQUEST_ASSOCIATE,
		                     VMFEX_PORT_REQUEST_PREASSOCIATE_RR };
	struct vmfex_port **ports = calloc(n, sizeof(*ports));
	struct vmfex_port_opts *po = calloc(n, sizeof(*po));
	const struct vmfex_port_opts **opts = calloc(n, sizeof(*opts));
	size_t *idx = calloc(n, sizeof(*idx));
	int *res = calloc(n, sizeof(*res));

	for (size_t t = 0; t < ARRAY_SIZE(kinds); t++) {
		size_t k = 0;

		for (size_t i = 0; i < n; i++) {
			struct attach *a = &v[i];

			if (results[i] < 0 || port_request(a) != kinds[t])
				continue;
			if (!ports || !po || !opts || !idx || !res ||
			    a->o.association == VMFEX_ATTACH_BY_LIBVIRT) {
				results[i] = port_send(a);
			} else {
				results[i] = vmfex_port_new_from_vf(a->vf, &a->port);
				if (results[i] == 0) {
					po[k] = port_opts(a);
					opts[k] = &po[k];
					ports[k] = a->port;
					idx[k++] = i;
				}
			}
			if (results[i] < 0)
				port_finish(a, results[i]);
		}
		if (k && vmfex_port_request_many(ports, opts, k, kinds[t], res) < 0)
			for (size_t j = 0; j < k; j++)
				res[j] = -EINVAL;
		for (size_t j = 0; j < k; j++)
			if ((results[idx[j]] = port_sent(&v[idx[j]], res[j])) < 0)
				port_finish(&v[idx[j]], results[idx[j]]);
	}
	free(ports);
	free(po);
	free(opts);
	free(idx);
	free(res);
}

/* Every attach of a batch up to its port request. With a catalog, one
 * after the other: each holds the lock of max ports from its count to
 * its request. Without, the requests of each step go together. */
static void steps_to_port(struct vmfex_ctx *ctx, struct attach *v, size_t n, int *results)
{
	const size_t mac = STEP_INDEX(VMFEX_ATTACH_STEP_MAC);
	const size_t port = STEP_INDEX(VMFEX_ATTACH_STEP_PORT);
	bool counted = false;

	for (size_t i = 0; i < n; i++)
		counted |= results[i] == 0 && v[i].o.catalog;
	if (counted) {
		for (size_t i = 0; i < n; i++) {
			if (results[i] == 0)
				results[i] = run_steps(&v[i], 0, port);
			if (results[i] == 0 && (results[i] = port_send(&v[i])) < 0)
				port_finish(&v[i], results[i]);
			if (results[i] == 0)
				v[i].done = port + 1;
			/* The next VM takes the lock of max ports anew. */
			vmfex_admission_unlock(&v[i].admission_fd);
		}
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (results[i] == 0)
			results[i] = run_steps(&v[i], 0, mac);
	mac_many(ctx, v, n, results);
	for (size_t i = 0; i < n; i++) {
		if (results[i] < 0)
			continue;
		v[i].done = mac + 1;
		results[i] = fault_after(&v[i], VMFEX_ATTACH_STEP_MAC);
	}
	port_send_many(v, n, results);
	for (size_t i = 0; i < n; i++)
		if (results[i] == 0)
			v[i].done = port + 1;
}

_public_ int vmfex_attach_many(struct vmfex_ctx *ctx,
                               const struct vmfex_attach_opts *const *opts, size_t n,
                               char **xmls, int *results)
{
	const size_t port = STEP_INDEX(VMFEX_ATTACH_STEP_PORT);
	const size_t confirm = STEP_INDEX(VMFEX_ATTACH_STEP_CONFIRM);
	struct attach_pfs pfs = { 0 };
	struct vmfex_lease_batch leases = { 0 };
	struct attach *v;
	int failed = 0, r;

	if (!ctx || (n && (!opts || !xmls || !results))) {
		ERR(ctx, "attach of many VMs: options, XML or results missing");
		return -EINVAL;
	}
	if (n == 0)
		return 0;
	v = calloc(n, sizeof(*v));
	if (!v) {
		ERR(ctx, "attach of %zu VMs: out of memory", n);
		return -ENOMEM;
	}
	/* Every VM's VF, reserved under one lock of the lease file and
	 * written in one commit, each PF's ports read once. */
	for (size_t i = 0; i < n; i++) {
		xmls[i] = NULL;
		results[i] = attach_init(&v[i], ctx, opts[i]);
		v[i].pfs = &pfs;
		v[i].leases = &leases;
		if (results[i] == 0)
			results[i] = do_reserve(&v[i]);
		v[i].leases = NULL;
	}
	r = vmfex_lease_batch_commit(ctx, &leases);
	for (size_t i = 0; i < n; i++) {
		if (results[i] < 0)
			continue;
		if (r < 0) {
			/* Not written: nothing of this VM to undo. */
			results[i] = r;
			v[i].vf = vmfex_vf_unref(v[i].vf);
		} else {
			v[i].reserved = true;
		}
	}
	steps_to_port(ctx, v, n, results);
	/* One wait for all the ports, per kind of request. */
	r = wait_batch(v, n, VMFEX_PORT_REQUEST_ASSOCIATE, results);
	if (r == 0)
		r = wait_batch(v, n, VMFEX_PORT_REQUEST_PREASSOCIATE_RR, results);
	/* The rest of each attach up to the confirmation. */
	for (size_t i = 0; i < n; i++) {
		if (r < 0 && results[i] == 0 && v[i].port_pending)
			results[i] = port_finish(&v[i], r);
		if (results[i] == 0)
			results[i] = fault_after(&v[i], VMFEX_ATTACH_STEP_PORT);
		if (results[i] == 0)
			results[i] = run_steps(&v[i], port + 1, confirm);
	}
	/* The leases of all, confirmed in one write of the lease file. */
	confirm_batch(ctx, v, n, results);
	for (size_t i = 0; i < n; i++) {
		if (results[i] == 0)
			results[i] = fault_after(&v[i], VMFEX_ATTACH_STEP_CONFIRM);
		/* A failed attach is undone alone. */
		attach_end(&v[i], results[i], &xmls[i]);
		failed += results[i] < 0;
	}
	attach_pfs_clear(&pfs);
	free(v);
	return failed;
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

/* The undos of every step for one lease; the lease goes last, and stays
 * when the VF could not be undone wholly. */
int vmfex_detach_lease(struct vmfex_ctx *ctx, const struct vmfex_lease *l)
{
	struct vmfex_vf *vf = NULL;
	int r;

	r = lease_vf(ctx, l, &vf);
	if (r == 0)
		r = undo_steps(ctx, vf, l, ARRAY_SIZE(steps), 0);
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

/* One leased port moved between the two states of a migration: to
 * ASSOCIATE (finish) or to PREASSOCIATE_RR (begin), with the profile and
 * host UUID the adapter holds for it, and the lease's flag to match. */
static int migration_move_port(struct vmfex_ctx *ctx, const struct vmfex_lease *l, bool finish)
{
	struct vmfex_vf *vf = NULL;
	struct vmfex_port *port = NULL;
	struct vmfex_link *link = NULL;
	const struct vmfex_link_vf *lvf;
	const struct vmfex_port_state *st = NULL;
	char profile[40] = "", host[VMFEX_UUID_STRLEN] = "";
	int r;

	r = lease_vf(ctx, l, &vf);
	if (r == 0)
		r = vmfex_link_new_from_pf(vmfex_vf_get_pf(vf), &link);
	if (r == 0) {
		lvf = vmfex_link_find_vf(link, l->vf);
		st = lvf ? vmfex_link_vf_get_port(lvf) : NULL;
		if (!st || !vmfex_port_state_get_profile(st)) {
			ERR(ctx, "VF %u of %s: no %s profile to %s", l->vf, l->pf,
			    finish ? "pre-associated" : "associated",
			    finish ? "associate" : "pre-associate");
			r = -ENODATA;
		} else {
			snprintf(profile, sizeof(profile), "%s", vmfex_port_state_get_profile(st));
			if (vmfex_port_state_get_host_uuid(st))
				snprintf(host, sizeof(host), "%s", vmfex_port_state_get_host_uuid(st));
		}
	}
	if (r == 0)
		r = vmfex_port_new_from_vf(vf, &port);
	if (r == 0) {
		struct vmfex_port_opts po = {
			.sz = sizeof(po), .profile = profile, .instance_uuid = l->vm_uuid,
			.host_uuid = host[0] ? host : NULL,
		};

		r = finish ? vmfex_port_associate(port, &po) : vmfex_port_preassociate(port, &po);
	}
	if (r == 0) {
		struct vmfex_lease_db db;

		r = vmfex_lease_db_open(ctx, &db);
		if (r == 0) {
			struct vmfex_lease *cur = vmfex_lease_db_find(&db, l->pf, l->vf);

			if (cur && strcmp(cur->vm_uuid, l->vm_uuid) == 0) {
				cur->flags &= ~(unsigned int)(finish ? VMFEX_LEASE_PREASSOCIATED
				                                     : VMFEX_LEASE_ASSOCIATED);
				cur->flags |= finish ? VMFEX_LEASE_ASSOCIATED : VMFEX_LEASE_PREASSOCIATED;
				r = vmfex_lease_db_commit(&db);
			}
			vmfex_lease_db_close(&db);
		}
	}
	vmfex_port_unref(port);
	vmfex_link_unref(link);
	vmfex_vf_unref(vf);
	return r;
}

/* Every port of the VM in the state the move starts from. */
static int migration_move(struct vmfex_ctx *ctx, const char *vm_uuid, bool finish)
{
	unsigned int from = finish ? VMFEX_LEASE_PREASSOCIATED : VMFEX_LEASE_ASSOCIATED;
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
		if (!(v[i].flags & from))
			continue;
		r = migration_move_port(ctx, &v[i], finish);
		if (r == 0)
			done++;
	}
	free(v);
	if (r == 0 && !done) {
		ERR(ctx, "VM %s has no %s port", vm_uuid, finish ? "pre-associated" : "associated");
		return -ENOENT;
	}
	return r < 0 ? r : done;
}

_public_ int vmfex_attach_migration_finish(struct vmfex_ctx *ctx, const char *vm_uuid)
{
	return migration_move(ctx, vm_uuid, true);
}

_public_ int vmfex_attach_migration_begin(struct vmfex_ctx *ctx, const char *vm_uuid)
{
	return migration_move(ctx, vm_uuid, false);
}
