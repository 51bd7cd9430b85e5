/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* VF settings: one IFLA_VF_* attribute in one RTM_SETLINK to the PF. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_link.h>
#include <netlink/msg.h>
#include <stdlib.h>
#include <string.h>

#include "libvmfex-private.h"

/* The RTM_SETLINK of one VF setting, or NULL (*err, logged). */
static struct nl_msg *vf_attr_msg(struct vmfex_vf *vf, const char *what, int attr,
                                  const void *data, size_t len, int *err)
{
	struct nl_msg *msg;

	if (!vf->pf->ifname[0]) {
		ERR(vf->pf->ctx, "VF %u of %s: the PF has no netdev to set %s through", vf->index,
		    vf->pf->pci, what);
		*err = -ENODEV;
		return NULL;
	}
	msg = vmfex_rtnl_setlink_new(vf->pf->ifname);
	*err = msg ? vmfex_rtnl_put_vfinfo(msg, attr, data, len) : -ENOMEM;
	if (*err < 0) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

static int vf_attr_result(struct vmfex_vf *vf, const char *what, int r)
{
	if (r < 0)
		ERR(vf->pf->ctx, "VF %u of %s (%s): setting %s failed: %s%s", vf->index,
		    vf->pf->ifname, vf->pci, what, strerror(-r),
		    r == -EOPNOTSUPP ? " (the PF's driver cannot set it)" : "");
	return r;
}

static int set_vf_attr(struct vmfex_vf *vf, const char *what, int attr, const void *data,
                       size_t len)
{
	struct vmfex_buf reply = { 0 };
	struct nl_msg *msg;
	int r;

	msg = vf_attr_msg(vf, what, attr, data, len, &r);
	if (!msg)
		return r;
	r = vmfex_rtnl_transact(vf->pf->ctx, msg, &reply);
	nlmsg_free(msg);
	vmfex_buf_free(&reply);
	return vf_attr_result(vf, what, r);
}

static int mac_attr(struct vmfex_vf *vf, const char *mac, struct ifla_vf_mac *m)
{
	*m = (struct ifla_vf_mac){ .vf = vf->index };
	if (vmfex_mac_parse(mac, m->mac) < 0 || (m->mac[0] & 1)) {
		ERR(vf->pf->ctx, "VF %u of %s: '%.32s' is not a unicast MAC address", vf->index,
		    vf->pf->pci, mac ? mac : "(null)");
		return -EINVAL;
	}
	return 0;
}

_public_ int vmfex_vf_set_mac(struct vmfex_vf *vf, const char *mac)
{
	struct ifla_vf_mac m;
	int r = mac_attr(vf, mac, &m);

	return r < 0 ? r : set_vf_attr(vf, "the MAC", IFLA_VF_MAC, &m, sizeof(m));
}

void vmfex_vf_set_mac_many(struct vmfex_ctx *ctx, struct vmfex_vf *const *vfs,
                           const char *const *macs, size_t n, int *results)
{
	struct vmfex_rtnl_batch b = { 0 };
	bool *sent = calloc(n, sizeof(*sent));

	for (size_t i = 0; i < n; i++) {
		struct ifla_vf_mac m;
		struct nl_msg *msg;

		results[i] = sent ? 0 : -ENOMEM;
		if (results[i] == 0 && vfs[i]->pf->ctx != ctx) {
			ERR(ctx, "VF %s is of another context", vfs[i]->pci);
			results[i] = -EINVAL;
		}
		if (results[i] == 0)
			results[i] = mac_attr(vfs[i], macs[i], &m);
		if (results[i] < 0)
			continue;
		msg = vf_attr_msg(vfs[i], "the MAC", IFLA_VF_MAC, &m, sizeof(m), &results[i]);
		if (msg) {
			sent[i] = true;
			vmfex_rtnl_batch_add(&b, ctx, msg, &results[i]);
		}
	}
	vmfex_rtnl_batch_flush(&b);
	for (size_t i = 0; i < n; i++)
		if (sent && sent[i])
			vf_attr_result(vfs[i], "the MAC", results[i]);
	free(sent);
}

_public_ int vmfex_vf_set_vlan(struct vmfex_vf *vf, unsigned int vlan, unsigned int qos,
                               uint16_t proto)
{
	struct nlattr *list;
	struct ifla_vf_vlan_info v = {
		.vf = vf->index, .vlan = vlan, .qos = qos, .vlan_proto = htons(proto ? proto : 0x8100),
	};
	uint8_t nest[NLA_HDRLEN + NLA_ALIGN(sizeof(v))];

	if (vlan > 4095 || qos > 7 || (proto && proto != 0x8100 && proto != 0x88a8)) {
		ERR(vf->pf->ctx, "VF %u of %s: VLAN %u, priority %u, protocol 0x%04x out of range",
		    vf->index, vf->pf->pci, vlan, qos, proto);
		return -EINVAL;
	}
	/* IFLA_VF_VLAN_LIST { IFLA_VF_VLAN_INFO }: the form that carries the
	 * protocol; built here as the payload of the list attribute. */
	list = (struct nlattr *)nest;
	list->nla_type = IFLA_VF_VLAN_INFO;
	list->nla_len = NLA_HDRLEN + sizeof(v);
	memcpy(nest + NLA_HDRLEN, &v, sizeof(v));
	return set_vf_attr(vf, "the VLAN", IFLA_VF_VLAN_LIST, nest, sizeof(nest));
}

_public_ int vmfex_vf_set_spoofchk(struct vmfex_vf *vf, bool on)
{
	struct ifla_vf_spoofchk s = { .vf = vf->index, .setting = on };

	return set_vf_attr(vf, "spoof checking", IFLA_VF_SPOOFCHK, &s, sizeof(s));
}

_public_ int vmfex_vf_set_trust(struct vmfex_vf *vf, bool on)
{
	struct ifla_vf_trust t = { .vf = vf->index, .setting = on };

	return set_vf_attr(vf, "trust", IFLA_VF_TRUST, &t, sizeof(t));
}

_public_ int vmfex_vf_set_link_state(struct vmfex_vf *vf, int state)
{
	struct ifla_vf_link_state l = { .vf = vf->index, .link_state = (uint32_t)state };

	if (state < VMFEX_VF_LINK_STATE_AUTO || state > VMFEX_VF_LINK_STATE_DISABLE) {
		ERR(vf->pf->ctx, "VF %u of %s: link state %d unknown", vf->index, vf->pf->pci, state);
		return -EINVAL;
	}
	return set_vf_attr(vf, "the link state", IFLA_VF_LINK_STATE, &l, sizeof(l));
}

_public_ int vmfex_vf_set_rate(struct vmfex_vf *vf, uint32_t min_mbps, uint32_t max_mbps)
{
	struct ifla_vf_rate r = { .vf = vf->index, .min_tx_rate = min_mbps, .max_tx_rate = max_mbps };

	if (max_mbps && min_mbps > max_mbps) {
		ERR(vf->pf->ctx, "VF %u of %s: minimum rate %u above maximum %u", vf->index,
		    vf->pf->pci, min_mbps, max_mbps);
		return -EINVAL;
	}
	return set_vf_attr(vf, "the rates", IFLA_VF_RATE, &r, sizeof(r));
}
