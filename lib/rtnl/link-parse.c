/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* RTM_NEWLINK, bytes to struct: the netdev, its VFs' settings and its
 * 802.1Qbh ports. Pure and bounded by the length given, for hostile
 * replies and for the fuzzer. Attributes shorter than their structure are
 * refused by the policies; unknown ones are passed over. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

#include "libvmfex-private.h"

/* The children of a nest by type, as nla_parse_nested() with a policy of
 * lengths only, without its per-attribute dispatch: this runs once per VF.
 * A child shorter than min[type] or longer than a non-zero max[type] is
 * refused; unknown types are passed over; of two of a type, the last. */
struct attr_len {
	uint16_t min, max;
};

static int parse_children(const struct nlattr *nest, const struct attr_len *lens, int maxtype,
                          const struct nlattr **tb)
{
	const struct nlattr *a;
	int rem;

	memset(tb, 0, sizeof(*tb) * (size_t)(maxtype + 1));
	nla_for_each_nested(a, nest, rem) {
		int type = nla_type(a), len = nla_len(a);

		if (type > maxtype)
			continue;
		if (len < lens[type].min || (lens[type].max && len > lens[type].max))
			return -ERANGE;
		tb[type] = a;
	}
	return 0;
}

static const struct attr_len vf_lens[IFLA_VF_MAX + 1] = {
	[IFLA_VF_MAC] = { .min = sizeof(struct ifla_vf_mac) },
	[IFLA_VF_VLAN] = { .min = sizeof(struct ifla_vf_vlan) },
	[IFLA_VF_RATE] = { .min = sizeof(struct ifla_vf_rate) },
	[IFLA_VF_SPOOFCHK] = { .min = sizeof(struct ifla_vf_spoofchk) },
	[IFLA_VF_LINK_STATE] = { .min = sizeof(struct ifla_vf_link_state) },
	[IFLA_VF_TRUST] = { .min = sizeof(struct ifla_vf_trust) },
};

static const struct attr_len vlan_info_lens[IFLA_VF_VLAN_INFO_MAX + 1] = {
	[IFLA_VF_VLAN_INFO] = { .min = sizeof(struct ifla_vf_vlan_info) },
};

/* IFLA_PORT_REQUEST is u8 by uapi but enic puts a u16: either is taken. */
static const struct attr_len port_lens[IFLA_PORT_MAX + 1] = {
	[IFLA_PORT_VF] = { .min = sizeof(uint32_t) },
	[IFLA_PORT_PROFILE] = { .max = PORT_PROFILE_MAX },
	[IFLA_PORT_INSTANCE_UUID] = { .min = PORT_UUID_MAX, .max = PORT_UUID_MAX },
	[IFLA_PORT_HOST_UUID] = { .min = PORT_UUID_MAX, .max = PORT_UUID_MAX },
	[IFLA_PORT_REQUEST] = { .min = 1, .max = 2 },
	[IFLA_PORT_RESPONSE] = { .min = sizeof(uint16_t) },
};

/* UUIDs are kept as bytes; their getters format them (link.c). */
static int parse_port(struct vmfex_ctx *ctx, const struct nlattr *nest, struct vmfex_port_state *p,
                      int64_t *vf)
{
	const struct nlattr *tb[IFLA_PORT_MAX + 1];

	if (parse_children(nest, port_lens, IFLA_PORT_MAX, tb) < 0)
		return -EBADMSG;
	p->request = p->response = -1;
	*vf = tb[IFLA_PORT_VF] ? (int64_t)nla_get_u32((struct nlattr *)tb[IFLA_PORT_VF]) : -1;
	if (tb[IFLA_PORT_REQUEST])
		p->request = nla_len(tb[IFLA_PORT_REQUEST]) == 1
		                     ? nla_get_u8((struct nlattr *)tb[IFLA_PORT_REQUEST])
		                     : nla_get_u16((struct nlattr *)tb[IFLA_PORT_REQUEST]);
	if (tb[IFLA_PORT_RESPONSE])
		p->response = nla_get_u16((struct nlattr *)tb[IFLA_PORT_RESPONSE]);
	if (tb[IFLA_PORT_PROFILE]) {
		/* 40 bytes, NUL-padded; a name of 40 without NUL is cut to 39. */
		size_t n = strnlen(nla_data(tb[IFLA_PORT_PROFILE]),
		                   (size_t)nla_len(tb[IFLA_PORT_PROFILE]));

		if (n > sizeof(p->profile) - 1)
			n = sizeof(p->profile) - 1;
		memcpy(p->profile, nla_data(tb[IFLA_PORT_PROFILE]), n);
		p->profile[n] = '\0';
		p->has_profile = true;
	}
	if (tb[IFLA_PORT_INSTANCE_UUID]) {
		memcpy(p->instance_raw, nla_data(tb[IFLA_PORT_INSTANCE_UUID]), 16);
		p->has_instance = true;
	}
	if (tb[IFLA_PORT_HOST_UUID]) {
		memcpy(p->host_raw, nla_data(tb[IFLA_PORT_HOST_UUID]), 16);
		p->has_host = true;
	}
	return 0;
}

static void parse_vf(const struct nlattr **tb, struct vmfex_link_vf *vf)
{
	if (tb[IFLA_VF_MAC]) {
		const struct ifla_vf_mac *m = nla_data(tb[IFLA_VF_MAC]);

		vf->index = m->vf;
		memcpy(vf->mac_raw, m->mac, 6);
		vf->has_mac = true;
	}
	if (tb[IFLA_VF_VLAN]) {
		const struct ifla_vf_vlan *v = nla_data(tb[IFLA_VF_VLAN]);

		vf->vlan = (int)v->vlan;
		vf->qos = (int)v->qos;
		vf->vlan_proto = 0x8100;
	}
	if (tb[IFLA_VF_VLAN_LIST]) {
		const struct nlattr *vi[IFLA_VF_VLAN_INFO_MAX + 1];

		if (parse_children(tb[IFLA_VF_VLAN_LIST], vlan_info_lens, IFLA_VF_VLAN_INFO_MAX,
		                   vi) == 0 && vi[IFLA_VF_VLAN_INFO]) {
			const struct ifla_vf_vlan_info *v = nla_data(vi[IFLA_VF_VLAN_INFO]);

			vf->vlan = (int)v->vlan;
			vf->qos = (int)v->qos;
			vf->vlan_proto = ntohs(v->vlan_proto);
		}
	}
	if (tb[IFLA_VF_RATE]) {
		const struct ifla_vf_rate *r = nla_data(tb[IFLA_VF_RATE]);

		vf->min_rate = r->min_tx_rate;
		vf->max_rate = r->max_tx_rate;
	}
	/* The kernel reports -1 (unsigned) for a setting the driver lacks. */
	if (tb[IFLA_VF_SPOOFCHK]) {
		uint32_t s = ((const struct ifla_vf_spoofchk *)nla_data(tb[IFLA_VF_SPOOFCHK]))->setting;

		vf->spoofchk = s > 1 ? -1 : (int)s;
	}
	if (tb[IFLA_VF_TRUST]) {
		uint32_t s = ((const struct ifla_vf_trust *)nla_data(tb[IFLA_VF_TRUST]))->setting;

		vf->trust = s > 1 ? -1 : (int)s;
	}
	if (tb[IFLA_VF_LINK_STATE]) {
		uint32_t s =
			((const struct ifla_vf_link_state *)nla_data(tb[IFLA_VF_LINK_STATE]))->link_state;

		vf->link_state = s > 2 ? -1 : (int)s;
	}
}

static struct vmfex_link_vf *find_vf(struct vmfex_link *link, int64_t index)
{
	/* VFs come in index order: the index is the position, mostly. */
	if (index >= 0 && (uint64_t)index < link->n_vfs && link->vfs[index].index == index)
		return &link->vfs[index];
	for (size_t i = 0; i < link->n_vfs; i++)
		if (link->vfs[i].index == index)
			return &link->vfs[i];
	return NULL;
}

/* A new VF entry, nothing known of it yet. The reply says how many VFs
 * there are: room for all is made at once when it does. */
static struct vmfex_link_vf *add_vf(struct vmfex_link *link)
{
	struct vmfex_link_vf *vf;

	if (link->n_vfs == link->cap_vfs) {
		size_t want = link->cap_vfs ? 2 * link->cap_vfs : (link->num_vfs ? link->num_vfs : 16);
		struct vmfex_link_vf *n = realloc(link->vfs, want * sizeof(*n));

		if (!n)
			return NULL;
		link->vfs = n;
		link->cap_vfs = want;
	}
	vf = &link->vfs[link->n_vfs++];
	memset(vf, 0, sizeof(*vf));
	vf->vlan = vf->qos = vf->spoofchk = vf->trust = vf->link_state = -1;
	return vf;
}

static int parse_vfs(struct vmfex_ctx *ctx, struct nlattr *list, int len, struct vmfex_link *link)
{
	struct nlattr *a;
	int rem;

	nla_for_each_attr(a, list, len, rem) {
		const struct nlattr *tb[IFLA_VF_MAX + 1];
		struct vmfex_link_vf *vf;

		if (nla_type(a) != IFLA_VF_INFO)
			continue;
		if (parse_children(a, vf_lens, IFLA_VF_MAX, tb) < 0 || !tb[IFLA_VF_MAC]) {
			ERR(ctx, "%s: a VF in the kernel's reply is malformed", link->ifname);
			return -EBADMSG;
		}
		vf = add_vf(link);
		if (!vf)
			return -ENOMEM;
		parse_vf(tb, vf);
	}
	return 0;
}

static int parse_ports(struct vmfex_ctx *ctx, struct nlattr *list, int len,
                       struct vmfex_link *link)
{
	struct nlattr *a;
	int rem, r;

	nla_for_each_attr(a, list, len, rem) {
		struct vmfex_port_state p = { 0 };
		struct vmfex_link_vf *vf;
		int64_t index;

		if (nla_type(a) != IFLA_VF_PORT)
			continue;
		r = parse_port(ctx, a, &p, &index);
		if (r < 0) {
			ERR(ctx, "%s: a VF port in the kernel's reply is malformed", link->ifname);
			return -EBADMSG;
		}
		if (index < 0) {
			DBG(ctx, "%s: a VF port without IFLA_PORT_VF", link->ifname);
			continue;
		}
		vf = find_vf(link, index);
		if (!vf) {
			/* enic reports ports but, having no ndo_get_vf_config,
			 * no VF list: the port makes the VF known. */
			vf = add_vf(link);
			if (!vf)
				return -ENOMEM;
			vf->index = (unsigned int)index;
		}
		vf->port = p;
		vf->has_port = true;
	}
	return 0;
}

void vmfex_link_clear(struct vmfex_link *link)
{
	free(link->vfs);
	link->vfs = NULL;
	link->n_vfs = link->cap_vfs = 0;
}

/* The length of a nest of many children: a PF's VF list passes 64 KiB
 * with a few hundred VFs, and the kernel then stores its length modulo
 * 65536 in the 16-bit nla_len. The children, all of one type, are walked
 * as far as they go within what is left of the message; that length is
 * taken when it agrees with the stored one modulo 65536. This is where
 * parsers with a fixed view of nla_len lose VFs above 200 or so. */
static int nest_len(const struct nlattr *nest, int rem, int child_type)
{
	int pos = NLA_HDRLEN;

	while (rem - pos >= NLA_HDRLEN) {
		const struct nlattr *c = (const struct nlattr *)((const char *)nest + pos);

		if (c->nla_len < NLA_HDRLEN || c->nla_len > rem - pos || nla_type(c) != child_type)
			break;
		pos += NLA_ALIGN(c->nla_len);
		if (pos > rem)
			pos = rem;
	}
	if ((pos & 0xffff) == (nest->nla_len & 0xffff) || (NLA_ALIGN(pos) & 0xffff) ==
	    (NLA_ALIGN(nest->nla_len) & 0xffff))
		return pos;
	return nest->nla_len;
}

int vmfex_link_parse(struct vmfex_ctx *ctx, const void *buf, size_t len, struct vmfex_link *link)
{
	const struct nlmsghdr *nlh = buf;
	const struct ifinfomsg *ifi;
	struct nlattr *a, *vfinfo = NULL, *vfports = NULL, *self = NULL;
	int vfinfo_len = 0, vfports_len = 0, rem, r;

	if (len < sizeof(*nlh) || nlh->nlmsg_len > len || nlh->nlmsg_type != RTM_NEWLINK ||
	    nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi))) {
		ERR(ctx, "rtnetlink: the reply is no RTM_NEWLINK of %zu bytes", len);
		return -EBADMSG;
	}
	ifi = nlmsg_data(nlh);
	link->ifindex = ifi->ifi_index;
	a = (struct nlattr *)((const char *)ifi + NLMSG_ALIGN(sizeof(*ifi)));
	rem = (int)(nlh->nlmsg_len - NLMSG_LENGTH(sizeof(*ifi)));
	/* nlmsg_parse() cannot be used: it trusts every nla_len. */
	while (rem >= NLA_HDRLEN) {
		int alen = a->nla_len;

		switch (nla_type(a)) {
		case IFLA_VFINFO_LIST:
			alen = vfinfo_len = nest_len(a, rem, IFLA_VF_INFO);
			vfinfo = a;
			break;
		case IFLA_VF_PORTS:
			alen = vfports_len = nest_len(a, rem, IFLA_VF_PORT);
			vfports = a;
			break;
		}
		if (alen < NLA_HDRLEN || alen > rem) {
			ERR(ctx, "rtnetlink: RTM_NEWLINK attribute %d of %d bytes, %d left", nla_type(a),
			    alen, rem);
			return -EBADMSG;
		}
		switch (nla_type(a)) {
		case IFLA_IFNAME:
			if (alen - NLA_HDRLEN < 1 || alen - NLA_HDRLEN > VMFEX_IFNAMSIZ)
				goto bad;
			memcpy(link->ifname, nla_data(a), (size_t)(alen - NLA_HDRLEN));
			link->ifname[VMFEX_IFNAMSIZ - 1] = '\0';
			break;
		case IFLA_ADDRESS:
			if (alen - NLA_HDRLEN == 6) {
				vmfex_mac_format(nla_data(a), link->mac);
				link->has_mac = true;
			}
			break;
		case IFLA_NUM_VF:
			if (alen - NLA_HDRLEN < 4)
				goto bad;
			link->num_vfs = nla_get_u32(a);
			break;
		case IFLA_PORT_SELF:
			self = a;
			break;
		}
		rem -= NLA_ALIGN(alen);
		a = (struct nlattr *)((char *)a + NLA_ALIGN(alen));
	}
	if (link->num_vfs > 65535) {
		ERR(ctx, "%s: the kernel reports %u VFs", link->ifname, link->num_vfs);
		return -EBADMSG;
	}
	if (vfinfo && (r = parse_vfs(ctx, nla_data(vfinfo), vfinfo_len - NLA_HDRLEN, link)) < 0)
		goto fail;
	if (vfports &&
	    (r = parse_ports(ctx, nla_data(vfports), vfports_len - NLA_HDRLEN, link)) < 0)
		goto fail;
	if (self) {
		int64_t self_vf;

		if (parse_port(ctx, self, &link->self_port, &self_vf) < 0) {
			ERR(ctx, "%s: its own port in the kernel's reply is malformed", link->ifname);
			r = -EBADMSG;
			goto fail;
		}
		link->has_self_port = true;
	}
	return 0;
bad:
	ERR(ctx, "rtnetlink: RTM_NEWLINK attribute %d is malformed", nla_type(a));
	return -EBADMSG;
fail:
	vmfex_link_clear(link);
	return r;
}
