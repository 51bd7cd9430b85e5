/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Link snapshots: one RTM_GETLINK, kept for its getters. */
#include <errno.h>
#include <netlink/msg.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

#include "libvmfex-private.h"

int vmfex_link_read(struct vmfex_ctx *ctx, const char *ifname, struct vmfex_link **out)
{
	struct vmfex_buf reply = { 0 };
	struct vmfex_link *link;
	struct nl_msg *msg;
	int r;

	if (vmfex_ifname_validate(ifname) < 0) {
		ERR(ctx, "'%.64s' is not a valid interface name", ifname ? ifname : "(null)");
		return -EINVAL;
	}
	msg = vmfex_rtnl_getlink_new(ifname);
	if (!msg)
		return -ENOMEM;
	r = vmfex_rtnl_transact(ctx, msg, &reply);
	nlmsg_free(msg);
	if (r == 0 && reply.len == 0)
		r = -EPROTO;
	if (r < 0) {
		ERR(ctx, "reading interface %s: %s", ifname, r == -ENODEV ? "no such interface" :
		                                                            strerror(-r));
		vmfex_buf_free(&reply);
		return r;
	}
	link = calloc(1, sizeof(*link));
	if (!link) {
		vmfex_buf_free(&reply);
		return -ENOMEM;
	}
	r = vmfex_link_parse(ctx, reply.data, reply.len, link);
	vmfex_buf_free(&reply);
	if (r < 0) {
		free(link);
		return r;
	}
	link->refcount = 1;
	link->ctx = vmfex_ref(ctx);
	*out = link;
	return 0;
}

_public_ int vmfex_link_new_from_ifname(struct vmfex_ctx *ctx, const char *ifname,
                                        struct vmfex_link **link)
{
	if (!link)
		return -EINVAL;
	return vmfex_link_read(ctx, ifname, link);
}

_public_ int vmfex_link_new_from_pf(struct vmfex_pf *pf, struct vmfex_link **link)
{
	if (!link)
		return -EINVAL;
	if (!pf->ifname[0]) {
		ERR(pf->ctx, "PF %s has no netdev to ask the kernel about its VFs", pf->pci);
		return -ENODEV;
	}
	return vmfex_link_read(pf->ctx, pf->ifname, link);
}

_public_ struct vmfex_link *vmfex_link_ref(struct vmfex_link *link)
{
	if (link)
		link->refcount++;
	return link;
}

_public_ struct vmfex_link *vmfex_link_unref(struct vmfex_link *link)
{
	if (!link || --link->refcount > 0)
		return NULL;
	vmfex_unref(link->ctx);
	vmfex_link_clear(link);
	free(link);
	return NULL;
}

_public_ int vmfex_link_get_ifindex(const struct vmfex_link *link)
{
	return link->ifindex;
}

_public_ struct vmfex_ctx *vmfex_link_get_ctx(const struct vmfex_link *link)
{
	return link->ctx;
}

_public_ const char *vmfex_link_get_ifname(const struct vmfex_link *link)
{
	return link->ifname;
}

_public_ const char *vmfex_link_get_mac(const struct vmfex_link *link)
{
	return link->has_mac ? link->mac : NULL;
}

_public_ unsigned int vmfex_link_get_num_vfs(const struct vmfex_link *link)
{
	return link->num_vfs;
}

_public_ struct vmfex_link_vf *vmfex_link_next_vf(struct vmfex_link *link,
                                                  struct vmfex_link_vf *prev)
{
	size_t next = prev ? (size_t)(prev - link->vfs) + 1 : 0;

	return next < link->n_vfs ? &link->vfs[next] : NULL;
}

_public_ struct vmfex_link_vf *vmfex_link_find_vf(struct vmfex_link *link, unsigned int index)
{
	if (index < link->n_vfs && link->vfs[index].index == index)
		return &link->vfs[index];
	for (size_t i = 0; i < link->n_vfs; i++)
		if (link->vfs[i].index == index)
			return &link->vfs[i];
	return NULL;
}

_public_ const struct vmfex_port_state *vmfex_link_get_self_port(const struct vmfex_link *link)
{
	return link->has_self_port ? &link->self_port : NULL;
}

_public_ unsigned int vmfex_link_vf_get_index(const struct vmfex_link_vf *vf)
{
	return vf->index;
}

/* A getter's string, made from the reply's bytes on the first call. The
 * flag is set last, with release order, so a reader that sees it set sees
 * the whole string; two first calls at once write the same bytes. */
static const char *text_once(const bool *made, char *text, void (*format)(const uint8_t *, char *),
                             const uint8_t *raw)
{
	if (!__atomic_load_n(made, __ATOMIC_ACQUIRE)) {
		format(raw, text);
		__atomic_store_n((bool *)made, true, __ATOMIC_RELEASE);
	}
	return text;
}

static void uuid_format(const uint8_t *raw, char *text)
{
	uuid_unparse_lower(raw, text);
}

/* The objects behind these const pointers are the link's own, on the
 * heap: only the cache of their strings is written. */
_public_ const char *vmfex_link_vf_get_mac(const struct vmfex_link_vf *vf)
{
	struct vmfex_link_vf *w = (struct vmfex_link_vf *)vf;

	return vf->has_mac ? text_once(&vf->mac_text, w->mac, vmfex_mac_format, vf->mac_raw) : NULL;
}

_public_ int vmfex_link_vf_get_vlan(const struct vmfex_link_vf *vf)
{
	return vf->vlan;
}

_public_ int vmfex_link_vf_get_qos(const struct vmfex_link_vf *vf)
{
	return vf->qos;
}

_public_ uint16_t vmfex_link_vf_get_vlan_proto(const struct vmfex_link_vf *vf)
{
	return vf->vlan_proto;
}

_public_ int vmfex_link_vf_get_spoofchk(const struct vmfex_link_vf *vf)
{
	return vf->spoofchk;
}

_public_ int vmfex_link_vf_get_trust(const struct vmfex_link_vf *vf)
{
	return vf->trust;
}

_public_ int vmfex_link_vf_get_link_state(const struct vmfex_link_vf *vf)
{
	return vf->link_state;
}

_public_ uint32_t vmfex_link_vf_get_min_rate(const struct vmfex_link_vf *vf)
{
	return vf->min_rate;
}

_public_ uint32_t vmfex_link_vf_get_max_rate(const struct vmfex_link_vf *vf)
{
	return vf->max_rate;
}

_public_ const struct vmfex_port_state *vmfex_link_vf_get_port(const struct vmfex_link_vf *vf)
{
	return vf->has_port ? &vf->port : NULL;
}

_public_ const char *vmfex_port_state_get_profile(const struct vmfex_port_state *port)
{
	return port->has_profile ? port->profile : NULL;
}

_public_ const char *vmfex_port_state_get_instance_uuid(const struct vmfex_port_state *port)
{
	struct vmfex_port_state *w = (struct vmfex_port_state *)port;

	return port->has_instance ? text_once(&port->instance_text, w->instance_uuid, uuid_format,
	                                      port->instance_raw)
	                          : NULL;
}

_public_ const char *vmfex_port_state_get_host_uuid(const struct vmfex_port_state *port)
{
	struct vmfex_port_state *w = (struct vmfex_port_state *)port;

	return port->has_host ? text_once(&port->host_text, w->host_uuid, uuid_format, port->host_raw)
	                      : NULL;
}

_public_ int vmfex_port_state_get_request(const struct vmfex_port_state *port)
{
	return port->request;
}

_public_ int vmfex_port_state_get_response(const struct vmfex_port_state *port)
{
	return port->response;
}

_public_ const char *vmfex_port_response_to_string(int response)
{
	static const char *const vdp[] = {
		"VDP_SUCCESS", "VDP_INVALID_FORMAT", "VDP_INSUFFICIENT_RESOURCES", "VDP_UNUSED_VTID",
		"VDP_VTID_VIOLATION", "VDP_VTID_VERSION_VIOLATION", "VDP_OUT_OF_SYNC",
	};
	static const char *const profile[] = {
		"SUCCESS", "INPROGRESS", "INVALID", "BADSTATE", "INSUFFICIENT_RESOURCES", "ERROR",
	};

	if (response >= 0 && response < (int)ARRAY_SIZE(vdp))
		return vdp[response];
	if (response >= 0x100 && response < 0x100 + (int)ARRAY_SIZE(profile))
		return profile[response - 0x100];
	return "UNKNOWN";
}

_public_ const char *vmfex_port_request_to_string(int request)
{
	static const char *const names[] = {
		"PREASSOCIATE", "PREASSOCIATE_RR", "ASSOCIATE", "DISASSOCIATE",
	};

	return request >= 0 && request < (int)ARRAY_SIZE(names) ? names[request] : "UNKNOWN";
}
