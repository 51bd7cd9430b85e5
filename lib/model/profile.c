/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Port profiles: properties validated as UCS Manager does, VLANs, clients. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

#include "model/model-private.h"

int vmfex_profile_new(struct vmfex_ctx *ctx, const char *name, struct vmfex_profile **out)
{
	char q[VMFEX_QUOTE_SIZE];
	struct vmfex_profile *p;

	if (vmfex_ucsm_name_check(name, 1, VMFEX_PROFILE_NAME_MAX) < 0) {
		ERR(ctx, "profile name %s: 1-%d characters of [-.:_a-zA-Z0-9] expected",
		    vmfex_quote(q, name), VMFEX_PROFILE_NAME_MAX);
		return -EINVAL;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->ctx = ctx;
	strcpy(p->name, name);
	p->max_ports = VMFEX_PROFILE_MAX_PORTS_DEFAULT;
	p->perf = VMFEX_HOST_NW_IO_PERF_NONE;
	p->type = VMFEX_PROFILE_TYPE_REGULAR;
	*out = p;
	return 0;
}

void vmfex_profile_free(struct vmfex_profile *p)
{
	if (!p)
		return;
	free(p->descr);
	for (size_t i = 0; i < p->n_vlans; i++)
		free(p->vlans[i]);
	for (size_t i = 0; i < p->dead_vlans.n; i++)
		free(p->dead_vlans.v[i]);
	free(p->vlans);
	free(p->dead_vlans.v);
	free(p->clients);
	for (size_t i = 0; i < p->n_ucsm_clients; i++)
		vmfex_ucsm_client_free(p->ucsm_clients[i]);
	for (size_t i = 0; i < p->dead_ucsm_clients.n; i++)
		vmfex_ucsm_client_free(p->dead_ucsm_clients.v[i]);
	free(p->ucsm_clients);
	free(p->dead_ucsm_clients.v);
	free(p);
}

/* 0 for a profile that may be changed; -EINVAL, logged, for NULL or a
 * profile deleted from its catalog (kept only for walks and references). */
static int profile_changeable(const struct vmfex_profile *p)
{
	if (!p)
		return -EINVAL;
	if (p->deleted) {
		ERR(p->ctx, "profile '%s' was deleted from its catalog", p->name);
		return -EINVAL;
	}
	return 0;
}

_public_ struct vmfex_profile *vmfex_profile_ref(struct vmfex_profile *p)
{
	if (p && p->refcount++ == 0)
		vmfex_catalog_ref(p->catalog);
	return p;
}

_public_ struct vmfex_profile *vmfex_profile_unref(struct vmfex_profile *p)
{
	struct vmfex_catalog *c;

	if (!p || --p->refcount > 0)
		return NULL;
	/* The catalog frees it, deleted or not. */
	c = p->catalog;
	vmfex_catalog_unref(c);
	return NULL;
}

_public_ const char *vmfex_profile_get_name(const struct vmfex_profile *p)
{
	return p->name;
}

_public_ struct vmfex_ctx *vmfex_profile_get_ctx(const struct vmfex_profile *p)
{
	return p->ctx;
}

_public_ const char *vmfex_profile_get_descr(const struct vmfex_profile *p)
{
	return p->descr;
}

_public_ int vmfex_profile_set_descr(struct vmfex_profile *p, const char *descr)
{
	char q[VMFEX_QUOTE_SIZE];
	char *d = NULL;
	int r = profile_changeable(p);

	if (r < 0)
		return r;
	if (vmfex_ucsm_descr_check(descr) < 0) {
		ERR(p->ctx, "profile '%s': description %s: at most %d characters of letters, "
		    "digits, space and !#$%%&()*+,-./:;?@[]_{|}~ expected", p->name,
		    vmfex_quote(q, descr), VMFEX_PROFILE_DESCR_MAX);
		return -EINVAL;
	}
	if (descr && *descr) {
		d = strdup(descr);
		if (!d)
			return -ENOMEM;
	}
	free(p->descr);
	p->descr = d;
	return 0;
}

static int set_policy(struct vmfex_profile *p, char *field, const char *what, const char *name)
{
	char q[VMFEX_QUOTE_SIZE];
	int r = profile_changeable(p);

	if (r < 0)
		return r;
	if (vmfex_ucsm_name_check(name, 0, VMFEX_POLICY_NAME_MAX) < 0) {
		ERR(p->ctx, "profile '%s': %s %s: 0-%d characters of [-.:_a-zA-Z0-9] expected",
		    p->name, what, vmfex_quote(q, name), VMFEX_POLICY_NAME_MAX);
		return -EINVAL;
	}
	strcpy(field, name ? name : "");
	return 0;
}

static const char *opt_string(const char *s)
{
	return *s ? s : NULL;
}

_public_ const char *vmfex_profile_get_qos_policy(const struct vmfex_profile *p)
{
	return opt_string(p->qos_policy);
}

_public_ int vmfex_profile_set_qos_policy(struct vmfex_profile *p, const char *name)
{
	return set_policy(p, p ? p->qos_policy : NULL, "QoS policy", name);
}

_public_ const char *vmfex_profile_get_nw_ctrl_policy(const struct vmfex_profile *p)
{
	return opt_string(p->nw_ctrl_policy);
}

_public_ int vmfex_profile_set_nw_ctrl_policy(struct vmfex_profile *p, const char *name)
{
	return set_policy(p, p ? p->nw_ctrl_policy : NULL, "network control policy", name);
}

_public_ const char *vmfex_profile_get_pin_group(const struct vmfex_profile *p)
{
	return opt_string(p->pin_group);
}

_public_ int vmfex_profile_set_pin_group(struct vmfex_profile *p, const char *name)
{
	return set_policy(p, p ? p->pin_group : NULL, "pin group", name);
}

_public_ unsigned int vmfex_profile_get_max_ports(const struct vmfex_profile *p)
{
	return p->max_ports;
}

_public_ int vmfex_profile_set_max_ports(struct vmfex_profile *p, unsigned int max_ports)
{
	int r = profile_changeable(p);

	if (r < 0)
		return r;
	if (max_ports < 1 || max_ports > VMFEX_PROFILE_MAX_PORTS_MAX) {
		ERR(p->ctx, "profile '%s': max ports '%u': 1-%d expected", p->name, max_ports,
		    VMFEX_PROFILE_MAX_PORTS_MAX);
		return -EINVAL;
	}
	p->max_ports = max_ports;
	return 0;
}

_public_ enum vmfex_host_nw_io_perf vmfex_profile_get_host_nw_io_perf(const struct vmfex_profile *p)
{
	return p->perf;
}

_public_ int vmfex_profile_set_host_nw_io_perf(struct vmfex_profile *p,
                                              enum vmfex_host_nw_io_perf perf)
{
	int r = profile_changeable(p);

	if (r < 0)
		return r;
	if (!vmfex_host_nw_io_perf_to_string(perf)) {
		ERR(p->ctx, "profile '%s': host network IO performance '%d': none or "
		    "high-perf-reqd expected", p->name, (int)perf);
		return -EINVAL;
	}
	p->perf = perf;
	return 0;
}

_public_ enum vmfex_profile_type vmfex_profile_get_type(const struct vmfex_profile *p)
{
	return p->type;
}

_public_ int vmfex_profile_set_type(struct vmfex_profile *p, enum vmfex_profile_type type)
{
	int r = profile_changeable(p);

	if (r < 0)
		return r;
	if (!vmfex_profile_type_to_string(type)) {
		ERR(p->ctx, "profile '%s': type '%d': regular or sla-only expected", p->name,
		    (int)type);
		return -EINVAL;
	}
	p->type = type;
	return 0;
}

_public_ const char *vmfex_profile_get_uuid(const struct vmfex_profile *p)
{
	return opt_string(p->uuid);
}

void vmfex_profile_new_uuid(struct vmfex_profile *p)
{
	uuid_t u;

	uuid_generate(u);
	uuid_unparse_lower(u, p->uuid);
}

int vmfex_profile_set_uuid(struct vmfex_profile *p, const char *uuid)
{
	char q[VMFEX_QUOTE_SIZE];

	if (!uuid || !*uuid) {
		p->uuid[0] = '\0';
		return 0;
	}
	if (vmfex_uuid_validate(uuid) < 0) {
		ERR(p->ctx, "profile '%s': UUID %s is not a UUID", p->name, vmfex_quote(q, uuid));
		return -EINVAL;
	}
	for (int i = 0; i < 37; i++)
		p->uuid[i] = (char)(uuid[i] >= 'A' && uuid[i] <= 'F' ? uuid[i] - 'A' + 'a' : uuid[i]);
	return 0;
}

_public_ enum vmfex_topology vmfex_profile_get_topology(const struct vmfex_profile *p)
{
	return p->perf == VMFEX_HOST_NW_IO_PERF_HIGH_PERF_REQD ? VMFEX_TOPOLOGY_HOSTDEV
	                                                       : VMFEX_TOPOLOGY_MACVTAP_PASSTHROUGH;
}

/* ---- VLANs ---- */

static size_t vlan_pos(const struct vmfex_profile *p, const char *name, bool *found)
{
	size_t lo = 0, hi = p->n_vlans;

	if (hi && strcmp(p->vlans[hi - 1]->name, name) < 0) {
		*found = false;
		return hi;
	}
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int d = strcmp(p->vlans[mid]->name, name);

		if (d == 0) {
			*found = true;
			return mid;
		}
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

_public_ struct vmfex_vlan *vmfex_profile_next_vlan(struct vmfex_profile *p,
                                                   struct vmfex_vlan *prev)
{
	bool found = false;
	size_t i = 0;

	if (!p)
		return NULL;
	/* By name: prev may have been deleted since (it is kept). */
	if (prev)
		i = vlan_pos(p, prev->name, &found);
	if (found)
		i++;
	return i < p->n_vlans ? p->vlans[i] : NULL;
}

_public_ int vmfex_profile_set_vlan(struct vmfex_profile *p, const char *name, unsigned int id,
                                   bool native)
{
	char q[VMFEX_QUOTE_SIZE];
	struct vmfex_vlan *v;
	bool found;
	size_t pos;
	int r = profile_changeable(p);

	if (r < 0)
		return r;
	if (vmfex_ucsm_name_check(name, 1, VMFEX_VLAN_NAME_MAX) < 0) {
		ERR(p->ctx, "profile '%s': VLAN name %s: 1-%d characters of [-.:_a-zA-Z0-9] "
		    "expected", p->name, vmfex_quote(q, name), VMFEX_VLAN_NAME_MAX);
		return -EINVAL;
	}
	if (id > VMFEX_VLAN_ID_MAX) {
		ERR(p->ctx, "profile '%s': VLAN '%s': id '%u': 1-%d expected", p->name, name, id,
		    VMFEX_VLAN_ID_MAX);
		return -EINVAL;
	}
	pos = vlan_pos(p, name, &found);
	if (!found) {
		/* Each VLAN its own allocation: a walk's loop variable stays put. */
		if (vmfex_array_grow((void **)&p->vlans, &p->cap_vlans, p->n_vlans + 1,
		                     sizeof(*p->vlans)) < 0)
			return -ENOMEM;
		v = calloc(1, sizeof(*v));
		if (!v)
			return -ENOMEM;
		strcpy(v->name, name);
		memmove(p->vlans + pos + 1, p->vlans + pos, (p->n_vlans - pos) * sizeof(*p->vlans));
		p->vlans[pos] = v;
		p->n_vlans++;
	}
	v = p->vlans[pos];
	if (native)
		for (size_t i = 0; i < p->n_vlans; i++)
			p->vlans[i]->native = false;
	v->id = id;
	v->native = native;
	return 0;
}

_public_ int vmfex_profile_del_vlan(struct vmfex_profile *p, const char *name)
{
	bool found;
	size_t pos;
	int r = profile_changeable(p);

	if (r < 0)
		return r;
	if (!name)
		return -EINVAL;
	pos = vlan_pos(p, name, &found);
	if (!found)
		return -ENOENT;
	if (vmfex_kept_reserve(&p->dead_vlans, 1) < 0)
		return -ENOMEM;
	/* Kept: a walk may stand on it. */
	vmfex_kept_add(&p->dead_vlans, p->vlans[pos]);
	memmove(p->vlans + pos, p->vlans + pos + 1, (p->n_vlans - pos - 1) * sizeof(*p->vlans));
	p->n_vlans--;
	return 0;
}

_public_ const char *vmfex_vlan_get_name(const struct vmfex_vlan *v)
{
	return v->name;
}

_public_ unsigned int vmfex_vlan_get_id(const struct vmfex_vlan *v)
{
	return v->id;
}

_public_ bool vmfex_vlan_is_native(const struct vmfex_vlan *v)
{
	return v->native;
}

/* ---- clients ---- */

/* The catalog's clusters the profile serves, in the catalog's order. */
_public_ const char *vmfex_profile_next_client(const struct vmfex_profile *p, const char *prev)
{
	const struct vmfex_catalog *c;
	size_t i = 0;

	if (!p)
		return NULL;
	c = p->catalog;
	if (!c) {
		/* Not yet in a catalog: the clusters named, as named. */
		for (; prev && i < p->n_clients; i++)
			if (prev == p->clients[i])
				break;
		i += prev ? 1 : 0;
		return i < p->n_clients ? p->clients[i] : NULL;
	}
	/* By name: prev's cluster may have been deleted since (it is kept). */
	if (prev)
		while (i < c->n_clusters && strcmp(c->clusters[i]->name, prev) <= 0)
			i++;
	for (; i < c->n_clusters; i++)
		if (vmfex_profile_serves_cluster(p, c->clusters[i]->name))
			return c->clusters[i]->name;
	return NULL;
}

int vmfex_profile_add_client_name(struct vmfex_profile *p, const char *cluster)
{
	char q[VMFEX_QUOTE_SIZE];
	size_t pos;

	if (vmfex_ucsm_name_check(cluster, 1, VMFEX_CLUSTER_NAME_MAX) < 0) {
		ERR(p->ctx, "profile '%s': client cluster %s: 1-%d characters of "
		    "[-.:_a-zA-Z0-9] expected", p->name, vmfex_quote(q, cluster),
		    VMFEX_CLUSTER_NAME_MAX);
		return -EINVAL;
	}
	for (pos = 0; pos < p->n_clients; pos++) {
		int d = strcmp(p->clients[pos], cluster);

		if (d == 0)
			return 0;
		if (d > 0)
			break;
	}
	if (p->n_clients == p->cap_clients) {
		size_t n = p->cap_clients ? 2 * p->cap_clients : 2;
		vmfex_client_name *a = realloc(p->clients, n * sizeof(*a));

		if (!a)
			return -ENOMEM;
		p->clients = a;
		p->cap_clients = n;
	}
	memmove(p->clients + pos + 1, p->clients + pos, (p->n_clients - pos) * sizeof(*p->clients));
	strcpy(p->clients[pos], cluster);
	p->n_clients++;
	return 0;
}

_public_ int vmfex_profile_add_client(struct vmfex_profile *p, const char *cluster)
{
	char q[VMFEX_QUOTE_SIZE];
	int r = profile_changeable(p);

	if (r < 0)
		return r;
	if (!vmfex_catalog_find_cluster(p->catalog, cluster)) {
		ERR(p->ctx, "profile '%s': no cluster %s", p->name, vmfex_quote(q, cluster));
		return -ENOENT;
	}
	return vmfex_profile_add_client_name(p, cluster);
}

_public_ int vmfex_profile_del_client(struct vmfex_profile *p, const char *cluster)
{
	int r = profile_changeable(p);

	if (r < 0)
		return r;
	if (!cluster)
		return -EINVAL;
	for (size_t i = 0; i < p->n_clients; i++)
		if (strcmp(p->clients[i], cluster) == 0) {
			memmove(p->clients + i, p->clients + i + 1,
			        (p->n_clients - i - 1) * sizeof(*p->clients));
			p->n_clients--;
			return 0;
		}
	/* Or a client of UCS Manager's, by its name. */
	for (size_t i = 0; i < p->n_ucsm_clients; i++)
		if (strcmp(p->ucsm_clients[i]->name, cluster) == 0) {
			/* Kept: a walk of them may stand on it. */
			if (vmfex_kept_reserve(&p->dead_ucsm_clients, 1) < 0)
				return -ENOMEM;
			vmfex_kept_add(&p->dead_ucsm_clients, p->ucsm_clients[i]);
			memmove(p->ucsm_clients + i, p->ucsm_clients + i + 1,
			        (p->n_ucsm_clients - i - 1) * sizeof(*p->ucsm_clients));
			p->n_ucsm_clients--;
			return 0;
		}
	return -ENOENT;
}

/* ---- enumerations ---- */

_public_ const char *vmfex_host_nw_io_perf_to_string(enum vmfex_host_nw_io_perf perf)
{
	switch (perf) {
	case VMFEX_HOST_NW_IO_PERF_NONE:
		return "none";
	case VMFEX_HOST_NW_IO_PERF_HIGH_PERF_REQD:
		return "high-perf-reqd";
	}
	return NULL;
}

_public_ int vmfex_host_nw_io_perf_from_string(const char *s)
{
	if (s && strcmp(s, "none") == 0)
		return VMFEX_HOST_NW_IO_PERF_NONE;
	if (s && strcmp(s, "high-perf-reqd") == 0)
		return VMFEX_HOST_NW_IO_PERF_HIGH_PERF_REQD;
	return -EINVAL;
}

_public_ const char *vmfex_profile_type_to_string(enum vmfex_profile_type type)
{
	switch (type) {
	case VMFEX_PROFILE_TYPE_REGULAR:
		return "regular";
	case VMFEX_PROFILE_TYPE_SLA_ONLY:
		return "sla-only";
	}
	return NULL;
}

_public_ int vmfex_profile_type_from_string(const char *s)
{
	if (s && strcmp(s, "regular") == 0)
		return VMFEX_PROFILE_TYPE_REGULAR;
	if (s && strcmp(s, "sla-only") == 0)
		return VMFEX_PROFILE_TYPE_SLA_ONLY;
	return -EINVAL;
}

_public_ const char *vmfex_topology_to_string(enum vmfex_topology t)
{
	switch (t) {
	case VMFEX_TOPOLOGY_MACVTAP_PASSTHROUGH:
		return "macvtap-passthrough";
	case VMFEX_TOPOLOGY_HOSTDEV:
		return "hostdev";
	}
	return NULL;
}
