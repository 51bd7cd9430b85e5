/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Profiles meet ports: the checks before a VM's port is associated with a
 * catalog profile, and the topology the profile asks for. */
#include <errno.h>
#include <string.h>

#include "model/model-private.h"

static bool counts(const struct vmfex_port_state *ps, const char *profile)
{
	const char *name;
	int req, resp;

	if (!ps)
		return false;
	name = vmfex_port_state_get_profile(ps);
	req = vmfex_port_state_get_request(ps);
	resp = vmfex_port_state_get_response(ps);
	if (!name || strcmp(name, profile) != 0)
		return false;
	if (req != VMFEX_PORT_REQUEST_ASSOCIATE && req != VMFEX_PORT_REQUEST_PREASSOCIATE_RR)
		return false;
	/* A port the adapter refused uses none of the profile's ports. */
	return resp < 0 || resp == VMFEX_PORT_PROFILE_RESPONSE_SUCCESS ||
	       resp == VMFEX_PORT_PROFILE_RESPONSE_INPROGRESS;
}

/* The ports of this host's PFs' VFs associated with the profile, leaving
 * out the one about to be associated. */
static int count_ports(struct vmfex_ctx *ctx, const char *profile, const struct vmfex_port *self,
                       unsigned int *count)
{
	struct vmfex_pf *pf;

	*count = 0;
	vmfex_pf_foreach(ctx, pf) {
		struct vmfex_link *link;
		struct vmfex_link_vf *vf;
		int r;

		if (!vmfex_pf_get_ifname(pf) || vmfex_pf_get_num_vfs(pf) == 0)
			continue;
		r = vmfex_link_new_from_pf(pf, &link);
		if (r == -ENODEV)
			continue;
		if (r < 0) {
			ERR(ctx, "cannot count the ports of profile '%s' on %s", profile,
			    vmfex_pf_get_ifname(pf));
			return r;
		}
		vmfex_link_foreach_vf(link, vf) {
			if (self && vmfex_port_get_vf_index(self) == (int)vmfex_link_vf_get_index(vf) &&
			    strcmp(vmfex_port_get_ifname(self), vmfex_link_get_ifname(link)) == 0)
				continue;
			if (counts(vmfex_link_vf_get_port(vf), profile))
				(*count)++;
		}
		vmfex_link_unref(link);
	}
	return 0;
}

_public_ int vmfex_catalog_check_port(struct vmfex_catalog *c, const char *profile,
                                     const struct vmfex_port_check_opts *opts,
                                     enum vmfex_topology *topology)
{
	struct vmfex_port_check_opts o = { 0 };
	char q[VMFEX_QUOTE_SIZE];
	const struct vmfex_profile *p;
	const char *cluster;
	unsigned int used;
	int r;

	if (!c || !profile)
		return -EINVAL;
	if (opts) {
		if (opts->sz < sizeof(size_t))
			return -EINVAL;
		memcpy(&o, opts, opts->sz < sizeof(o) ? opts->sz : sizeof(o));
	}
	p = vmfex_catalog_find_profile(c, profile, NULL);
	if (!p) {
		ERR(c->ctx, "no port profile %s in the catalog", vmfex_quote(q, profile));
		return -ENOENT;
	}
	cluster = o.cluster ? o.cluster : VMFEX_CLUSTER_DEFAULT;
	if (strcmp(cluster, VMFEX_CLUSTER_DEFAULT) != 0) {
		ERR(c->ctx, "cluster %s: a KVM VM's interface can only use the default cluster",
		    vmfex_quote(q, cluster));
		return -EPERM;
	}
	/* A client named, or a client pattern that matches. */
	if (!vmfex_profile_serves_cluster(p, cluster)) {
		ERR(c->ctx, "profile '%s' has no client '%s': add the cluster as its client",
		    p->name, cluster);
		return -EACCES;
	}
	if (!o.no_count) {
		r = count_ports(c->ctx, p->name, o.port, &used);
		if (r < 0)
			return r;
		if (used + 1 > p->max_ports) {
			ERR(c->ctx, "profile '%s': %u of its %u ports are in use on this host",
			    p->name, used, p->max_ports);
			return -EUSERS;
		}
	}
	if (topology)
		*topology = vmfex_profile_get_topology(p);
	return 0;
}
