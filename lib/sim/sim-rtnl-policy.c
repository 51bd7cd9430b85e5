/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The kernel's attribute policies for links (net/core/rtnetlink.c:
 * ifla_policy, ifla_vf_policy, ifla_port_policy) and the checks that
 * lib/nlattr.c makes with them when rtnetlink parses a request the
 * "deprecated" way, as RTM_GETLINK and RTM_SETLINK do: attributes in
 * order, the first that fails decides the errno, unknown types ignored.
 *
 * libnl's own validation cannot stand in for it: it wants a NUL at the
 * end of every NLA_STRING and counts that NUL in the maximum, and it
 * has no NLA_REJECT. So the checks are the kernel's, and libnl walks the
 * attributes and fills the table. */
#include <errno.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/netdevice.h>
#include <netlink/attr.h>
#include <string.h>

#include "sim-private.h"

#define U(t) { .type = SIM_NLA_##t }
#define LEN(t, n) { .type = SIM_NLA_##t, .len = (n) }

/* include/linux/netdevice.h, not in the uapi headers. */
#define KERNEL_MAX_PHYS_ITEM_ID_LEN 32
#define KERNEL_IFALIASZ 256
#define KERNEL_ALTIFNAMSIZ 128

const struct sim_nla_policy sim_ifla_policy[IFLA_MAX + 1] = {
	[IFLA_IFNAME] = LEN(STRING, IFNAMSIZ - 1),
	[IFLA_ADDRESS] = LEN(BINARY, MAX_ADDR_LEN),
	[IFLA_BROADCAST] = LEN(BINARY, MAX_ADDR_LEN),
	[IFLA_MAP] = LEN(UNSPEC, sizeof(struct rtnl_link_ifmap)),
	[IFLA_MTU] = U(U32),
	[IFLA_LINK] = U(U32),
	[IFLA_MASTER] = U(U32),
	[IFLA_CARRIER] = U(U8),
	[IFLA_TXQLEN] = U(U32),
	[IFLA_WEIGHT] = U(U32),
	[IFLA_OPERSTATE] = U(U8),
	[IFLA_LINKMODE] = U(U8),
	[IFLA_LINKINFO] = U(NESTED),
	[IFLA_NET_NS_PID] = U(U32),
	[IFLA_NET_NS_FD] = U(U32),
	[IFLA_IFALIAS] = LEN(BINARY, KERNEL_IFALIASZ - 1),
	[IFLA_VFINFO_LIST] = U(NESTED),
	[IFLA_VF_PORTS] = U(NESTED),
	[IFLA_PORT_SELF] = U(NESTED),
	[IFLA_AF_SPEC] = U(NESTED),
	[IFLA_EXT_MASK] = U(U32),
	[IFLA_PROMISCUITY] = U(U32),
	[IFLA_NUM_TX_QUEUES] = U(U32),
	[IFLA_NUM_RX_QUEUES] = U(U32),
	[IFLA_GSO_MAX_SEGS] = U(U32),
	[IFLA_GSO_MAX_SIZE] = U(U32),
	[IFLA_PHYS_PORT_ID] = LEN(BINARY, KERNEL_MAX_PHYS_ITEM_ID_LEN),
	[IFLA_CARRIER_CHANGES] = U(U32),
	[IFLA_PHYS_SWITCH_ID] = LEN(BINARY, KERNEL_MAX_PHYS_ITEM_ID_LEN),
	[IFLA_LINK_NETNSID] = U(S32),
	[IFLA_PROTO_DOWN] = U(U8),
	[IFLA_XDP] = U(NESTED),
	[IFLA_EVENT] = U(U32),
	[IFLA_GROUP] = U(U32),
	[IFLA_TARGET_NETNSID] = U(S32),
	[IFLA_CARRIER_UP_COUNT] = U(U32),
	[IFLA_CARRIER_DOWN_COUNT] = U(U32),
	[IFLA_MIN_MTU] = U(U32),
	[IFLA_MAX_MTU] = U(U32),
	[IFLA_PROP_LIST] = U(NESTED),
	[IFLA_ALT_IFNAME] = LEN(STRING, KERNEL_ALTIFNAMSIZ - 1),
	[IFLA_PERM_ADDRESS] = U(REJECT),
	[IFLA_PROTO_DOWN_REASON] = U(NESTED),
	[IFLA_NEW_IFINDEX] = U(S32_MIN1),
	[IFLA_PARENT_DEV_NAME] = U(NUL_STRING),
	[IFLA_GRO_MAX_SIZE] = U(U32),
	[IFLA_TSO_MAX_SIZE] = U(REJECT),
	[IFLA_TSO_MAX_SEGS] = U(REJECT),
	[IFLA_ALLMULTI] = U(REJECT),
};

const struct sim_nla_policy sim_ifla_vf_policy[IFLA_VF_MAX + 1] = {
	[IFLA_VF_MAC] = LEN(UNSPEC, sizeof(struct ifla_vf_mac)),
	[IFLA_VF_BROADCAST] = U(REJECT),
	[IFLA_VF_VLAN] = LEN(UNSPEC, sizeof(struct ifla_vf_vlan)),
	[IFLA_VF_VLAN_LIST] = U(NESTED),
	[IFLA_VF_TX_RATE] = LEN(UNSPEC, sizeof(struct ifla_vf_tx_rate)),
	[IFLA_VF_SPOOFCHK] = LEN(UNSPEC, sizeof(struct ifla_vf_spoofchk)),
	[IFLA_VF_RATE] = LEN(UNSPEC, sizeof(struct ifla_vf_rate)),
	[IFLA_VF_LINK_STATE] = LEN(UNSPEC, sizeof(struct ifla_vf_link_state)),
	[IFLA_VF_RSS_QUERY_EN] = LEN(UNSPEC, sizeof(struct ifla_vf_rss_query_en)),
	[IFLA_VF_STATS] = U(NESTED),
	[IFLA_VF_TRUST] = LEN(UNSPEC, sizeof(struct ifla_vf_trust)),
	[IFLA_VF_IB_NODE_GUID] = LEN(UNSPEC, sizeof(struct ifla_vf_guid)),
	[IFLA_VF_IB_PORT_GUID] = LEN(UNSPEC, sizeof(struct ifla_vf_guid)),
};

/* HOST_UUID is a string to the kernel, INSTANCE_UUID binary: a 17-byte
 * host UUID ending in NUL passes, a 17-byte instance UUID does not. */
const struct sim_nla_policy sim_ifla_port_policy[IFLA_PORT_MAX + 1] = {
	[IFLA_PORT_VF] = U(U32),
	[IFLA_PORT_PROFILE] = LEN(STRING, PORT_PROFILE_MAX),
	[IFLA_PORT_INSTANCE_UUID] = LEN(BINARY, PORT_UUID_MAX),
	[IFLA_PORT_HOST_UUID] = LEN(STRING, PORT_UUID_MAX),
	[IFLA_PORT_REQUEST] = U(U8),
	[IFLA_PORT_RESPONSE] = U(U16),
	[IFLA_PORT_VSI_TYPE] = LEN(BINARY, sizeof(struct ifla_port_vsi)),
};

/* nla_attr_minlen[] of lib/nlattr.c. */
static int type_minlen(uint8_t type)
{
	switch (type) {
	case SIM_NLA_U8:
		return 1;
	case SIM_NLA_U16:
		return 2;
	case SIM_NLA_U32:
	case SIM_NLA_S32:
	case SIM_NLA_S32_MIN1:
		return 4;
	default:
		return 0;
	}
}

/* validate_nla() without strict checks. */
static int validate(const struct nlattr *nla, const struct sim_nla_policy *pt)
{
	int attrlen = nla_len(nla);
	const char *data = nla_data(nla);
	int minlen, n;

	switch (pt->type) {
	case SIM_NLA_REJECT:
		return -EINVAL;
	case SIM_NLA_STRING:
		if (attrlen < 1)
			return -ERANGE;
		if (pt->len) {
			if (data[attrlen - 1] == '\0')
				attrlen--;
			if (attrlen > pt->len)
				return -ERANGE;
		}
		return 0;
	case SIM_NLA_NUL_STRING:
		n = pt->len && attrlen > pt->len + 1 ? pt->len + 1 : attrlen;
		if (!n || !memchr(data, '\0', (size_t)n))
			return -EINVAL;
		return 0;
	case SIM_NLA_BINARY:
		return pt->len && attrlen > pt->len ? -ERANGE : 0;
	case SIM_NLA_NESTED:
		/* Empty is allowed; otherwise room for one attribute header. */
		return attrlen != 0 && attrlen < NLA_HDRLEN ? -ERANGE : 0;
	default:
		minlen = pt->len ? pt->len : type_minlen(pt->type);
		if (attrlen < minlen)
			return -ERANGE;
		if (pt->type == SIM_NLA_S32_MIN1 && nla_get_s32((struct nlattr *)nla) < 1)
			return -ERANGE;
		return 0;
	}
}

int sim_nla_parse(struct nlattr **tb, int maxtype, const void *head, int len,
                  const struct sim_nla_policy *policy)
{
	struct nlattr *nla, *start = (struct nlattr *)head;
	int rem, r;

	nla_for_each_attr(nla, start, len, rem) {
		int type = nla_type(nla);

		if (type == 0 || type > maxtype)
			continue;
		r = validate(nla, &policy[type]);
		if (r < 0)
			return r;
	}
	/* Leftover bytes are only warned about by the kernel. */
	r = nla_parse(tb, maxtype, start, len, NULL);
	if (r < 0)
		return -EINVAL;
	tb[0] = NULL;
	return 0;
}

int sim_nla_parse_nested(struct nlattr **tb, int maxtype, const struct nlattr *nla,
                         const struct sim_nla_policy *policy)
{
	return sim_nla_parse(tb, maxtype, nla_data(nla), nla_len(nla), policy);
}
