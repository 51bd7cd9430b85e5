/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rtnetlink requests. Netdevs are named by IFLA_IFNAME with ifi_index 0,
 * which the kernel takes as a look-up, not a rename: no index has to be
 * found first, and the request means the same in any namespace. */
#include <errno.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <string.h>

#include "libvmfex-private.h"

static struct nl_msg *link_msg_new(int type, int flags, const char *ifname)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nl_msg *msg = nlmsg_alloc_simple(type, flags);

	if (!msg)
		return NULL;
	if (nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    nla_put_string(msg, IFLA_IFNAME, ifname) < 0) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* Every VF and port, without the per-VF statistics that would multiply
 * the reply's size. */
struct nl_msg *vmfex_rtnl_getlink_new(const char *ifname)
{
	struct nl_msg *msg = link_msg_new(RTM_GETLINK, NLM_F_REQUEST, ifname);

	if (msg && nla_put_u32(msg, IFLA_EXT_MASK, RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS) < 0) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

struct nl_msg *vmfex_rtnl_setlink_new(const char *ifname)
{
	return link_msg_new(RTM_SETLINK, NLM_F_REQUEST | NLM_F_ACK, ifname);
}

/* IFLA_VFINFO_LIST { IFLA_VF_INFO { attr } }: data starts with the VF
 * index, as every struct ifla_vf_* does. */
int vmfex_rtnl_put_vfinfo(struct nl_msg *msg, int attr, const void *data, size_t len)
{
	struct nlattr *list, *info;

	list = nla_nest_start(msg, IFLA_VFINFO_LIST);
	if (!list)
		return -EMSGSIZE;
	info = nla_nest_start(msg, IFLA_VF_INFO);
	if (!info || nla_put(msg, attr, (int)len, data) < 0)
		return -EMSGSIZE;
	nla_nest_end(msg, info);
	nla_nest_end(msg, list);
	return 0;
}
