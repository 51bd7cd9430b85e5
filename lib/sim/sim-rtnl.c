/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The simulated host's rtnetlink peer: RTM_GETLINK and RTM_SETLINK served
 * as net/core/rtnetlink.c serves them, for the netdevs of the simulated
 * sysfs, with the drivers' answers of the host description (doc/sim-host.md).
 * Requests are checked with the kernel's policies (sim-rtnl-policy.c), the
 * enic port-profile requests go to sim-rtnl-enic.c, and what the drivers
 * remember is kept by sim-port-state.c. Each request runs under the host's
 * lock, so that processes sharing a host see one state. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim-private.h"

#define SIM_MTU 1500
#define SIM_IFF (IFF_UP | IFF_BROADCAST | IFF_MULTICAST | IFF_RUNNING | IFF_LOWER_UP)

/* ---- Netdevs, from the simulated sysfs ---- */

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char end;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &end) !=
	    6)
		return -EINVAL;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	return 0;
}

static int read_attr(struct vmfex_sim *sim, char *buf, size_t size, const char *fmt, ...)
	_printf_(4, 5);
static int read_attr(struct vmfex_sim *sim, char *buf, size_t size, const char *fmt, ...)
{
	char rel[PATH_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(rel))
		return -ENAMETOOLONG;
	return sim_read_file(sim, rel, buf, size);
}

/* Everything rtnetlink and the drivers need of one netdev; -ENODEV when
 * there is no such netdev. */
static int netdev_load(struct vmfex_sim *sim, const char *name, struct sim_netdev *nd)
{
	const struct sim_device *dev;
	struct vmfex_pci_addr a;
	char buf[64], path[PATH_MAX], driver[VMFEX_DRIVER_NAME_MAX + 1];
	unsigned long v;
	int r;

	memset(nd, 0, sizeof(*nd));
	if (vmfex_ifname_validate(name) < 0)
		return -ENODEV;
	snprintf(nd->ifname, sizeof(nd->ifname), "%s", name);
	r = read_attr(sim, buf, sizeof(buf), "class/net/%s/ifindex", name);
	if (r == -ENOENT || r == -ENOTDIR)
		return -ENODEV;
	if (r < 0)
		return r;
	if (vmfex_parse_uint(buf, (size_t)r, INT_MAX, &v) < 0 || v == 0)
		return -EIO;
	nd->ifindex = (int)v;
	r = read_attr(sim, buf, sizeof(buf), "class/net/%s/address", name);
	if (r < 0 || parse_mac(buf, nd->addr) < 0)
		return r < 0 ? r : -EIO;
	r = sim_path(sim, path, sizeof(path), "class/net/%s/device", name);
	if (r == 0)
		r = vmfex_sysfs_read_link_name(sim->ctx, path, nd->pci, sizeof(nd->pci));
	if (r == 0 && vmfex_pci_addr_parse(nd->pci, &a) < 0)
		r = -EIO;
	if (r < 0)
		return r;
	r = read_attr(sim, buf, sizeof(buf), "bus/pci/devices/%s/device", nd->pci);
	if (r < 0 || vmfex_parse_hex16(buf, (size_t)r, &nd->device) < 0)
		return r < 0 ? r : -EIO;
	r = sim_device_driver(sim, nd->pci, driver, sizeof(driver));
	if (r < 0)
		return r;
	nd->drv = driver[0] ? vmfex_sim_desc_driver(sim->desc, driver) : NULL;
	dev = vmfex_sim_desc_device(sim->desc, &a);
	if (dev && dev->has_sriov) {
		nd->total_vfs = dev->sriov.total_vfs;
		r = read_attr(sim, buf, sizeof(buf), "bus/pci/devices/%s/sriov_numvfs", nd->pci);
		if (r < 0 || vmfex_parse_uint(buf, (size_t)r, nd->total_vfs, &v) < 0)
			return r < 0 ? r : -EIO;
		nd->num_vfs = (unsigned int)v;
		nd->sriov = nd->num_vfs > 0;
	}
	return 0;
}

static void cache_name(struct vmfex_sim *sim, int ifindex, const char *name)
{
	size_t slot = (size_t)ifindex % ARRAY_SIZE(sim->rtnl_names);

	if (strlen(name) >= sizeof(sim->rtnl_names[slot].ifname))
		return;
	sim->rtnl_names[slot].ifindex = ifindex;
	strcpy(sim->rtnl_names[slot].ifname, name);
}

/* __dev_get_by_index(): the cached name if sysfs still agrees, else a
 * walk of class/net that refills the cache. */
static int netdev_by_index(struct vmfex_sim *sim, int ifindex, struct sim_netdev *nd)
{
	size_t slot = (size_t)ifindex % ARRAY_SIZE(sim->rtnl_names);
	char dir[PATH_MAX], buf[32];
	struct dirent *de;
	DIR *d;
	int r, found = -ENODEV;

	if (sim->rtnl_names[slot].ifindex == ifindex) {
		r = netdev_load(sim, sim->rtnl_names[slot].ifname, nd);
		if (r == 0 && nd->ifindex == ifindex)
			return 0;
		if (r < 0 && r != -ENODEV)
			return r;
	}
	r = sim_path(sim, dir, sizeof(dir), "class/net");
	if (r < 0)
		return r;
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? -ENODEV : -errno;
	while ((de = readdir(d))) {
		unsigned long v;

		if (de->d_name[0] == '.')
			continue;
		r = read_attr(sim, buf, sizeof(buf), "class/net/%s/ifindex", de->d_name);
		if (r < 0 || vmfex_parse_uint(buf, (size_t)r, INT_MAX, &v) < 0)
			continue;
		cache_name(sim, (int)v, de->d_name);
		if ((int)v == ifindex && found == -ENODEV)
			found = netdev_load(sim, de->d_name, nd);
	}
	closedir(d);
	return found;
}

static int netdev_by_name(struct vmfex_sim *sim, const char *name, struct sim_netdev *nd)
{
	int r = netdev_load(sim, name, nd);

	if (r == 0)
		cache_name(sim, nd->ifindex, name);
	return r;
}

int sim_netdev_set_addr(struct sim_rtnl_dev *d, const uint8_t addr[6])
{
	char rel[PATH_MAX], value[VMFEX_MAC_STRLEN + 1];

	memcpy(d->nd.addr, addr, 6);
	snprintf(rel, sizeof(rel), "class/net/%s/address", d->nd.ifname);
	vmfex_mac_format(addr, value);
	strcat(value, "\n");
	return sim_write_file(d->sim, rel, value);
}

/* The ports of the device's function, for a driver that keeps any. */
static int dev_open(struct vmfex_sim *sim, struct sim_rtnl_dev *d)
{
	d->sim = sim;
	d->now = sim_now_ns();
	d->ports.fd = -1;
	if (!d->nd.drv || (!d->nd.drv->vf_ops && !d->nd.drv->vf_port && !d->nd.drv->vf_info))
		return 0;
	return sim_ports_load(sim, d->nd.pci, d->nd.total_vfs, d->nd.num_vfs, &d->ports);
}

static int dev_close(struct sim_rtnl_dev *d, bool store)
{
	int r = 0;

	if (store && d->ports.rec)
		r = sim_ports_store(&d->ports);
	if (store && d->adapter_dirty) {
		int q = sim_adapter_store(d->sim, &d->adapter);

		r = r < 0 ? r : q;
	}
	sim_ports_free(&d->ports);
	return r;
}

/* ---- Building messages ---- */

static void *msg_tail(struct nl_msg *msg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);

	return (char *)h + NLMSG_ALIGN(h->nlmsg_len);
}

/* nla_nest_start_noflag(): the kernel sets no NLA_F_NESTED on these. */
static struct nlattr *nest_start(struct nl_msg *msg, int type)
{
	struct nlattr *start = msg_tail(msg);

	return nla_put(msg, type, 0, NULL) < 0 ? NULL : start;
}

/* As the kernel's nla_nest_end(): the length is cut to 16 bits, so a nest
 * of more than 64 KiB (IFLA_VFINFO_LIST or IFLA_VF_PORTS of some hundreds
 * of VFs) carries its true length modulo 65536, as on a real host. */
static void nest_end(struct nl_msg *msg, struct nlattr *start)
{
	start->nla_len = (uint16_t)((char *)msg_tail(msg) - (char *)start);
}

static void nest_cancel(struct nl_msg *msg, struct nlattr *start)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	size_t len = (size_t)((char *)msg_tail(msg) - (char *)start);

	memset(start, 0, len);
	h->nlmsg_len = (uint32_t)((char *)start - (char *)h);
}

static int append_msg(struct vmfex_buf *reply, struct nl_msg *msg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);

	return vmfex_buf_append(reply, h, NLMSG_ALIGN(h->nlmsg_len));
}

/* netlink_ack(): an error carries the whole request back (sockets without
 * NETLINK_CAP_ACK, the default), an ACK only its header, marked capped. */
static int put_ack(struct vmfex_buf *reply, const struct nlmsghdr *req, int err)
{
	size_t payload = err ? req->nlmsg_len - NLMSG_HDRLEN : 0;
	struct nlmsgerr *e;
	struct nlmsghdr *h;
	struct nl_msg *msg;
	int r;

	msg = nlmsg_alloc_size(NLMSG_HDRLEN + sizeof(*e) + NLMSG_ALIGN(payload) + NLMSG_ALIGNTO);
	if (!msg)
		return -ENOMEM;
	h = nlmsg_put(msg, req->nlmsg_pid, req->nlmsg_seq, NLMSG_ERROR, (int)(sizeof(*e) + payload),
	              err ? 0 : NLM_F_CAPPED);
	if (!h) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	e = nlmsg_data(h);
	e->error = err;
	e->msg = *req;
	if (payload)
		memcpy(e + 1, (const char *)req + NLMSG_HDRLEN, payload);
	r = append_msg(reply, msg);
	nlmsg_free(msg);
	return r;
}

/* Room for one RTM_NEWLINK (if_nlmsg_size() in spirit): the fixed part,
 * every VF's info and every port at their largest. */
static size_t link_msg_size(const struct sim_netdev *nd)
{
	size_t per_vf = 512, per_port = 160;

	return 2048 + sizeof(struct rtnl_link_stats64) + sizeof(struct rtnl_link_stats) +
	       (size_t)nd->num_vfs * (per_vf + per_port) + per_port;
}

/* One VF's IFLA_VF_INFO is made in a buffer of its own and put in the
 * message whole: one libnl call per VF instead of some thirty, which is
 * most of the cost of a reply of thousands of VFs. Same bytes as nla_put()
 * and nest_start()/nest_end() would write. */
struct vf_attrs {
	size_t len;
	char data[1024];
};

static struct nlattr *vf_put(struct vf_attrs *b, int type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)(b->data + b->len);
	size_t total = NLA_ALIGN(NLA_HDRLEN + len);

	/* The buffer holds the largest VF info with room to spare. */
	if (b->len + total > sizeof(b->data))
		return NULL;
	a->nla_type = (uint16_t)type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	memset((char *)a + NLA_HDRLEN + len, 0, total - NLA_HDRLEN - len);
	b->len += total;
	return a;
}

static void vf_nest_end(struct vf_attrs *b, struct nlattr *start)
{
	start->nla_len = (uint16_t)(b->data + b->len - (char *)start);
}

/* rtnl_fill_vfinfo(): what ndo_get_vf_config reports; a setting whose op
 * the driver lacks is the -1 rtnetlink presets. */
static int fill_vfinfo(struct nl_msg *msg, const struct sim_rtnl_dev *d, unsigned int i,
                       uint32_t ext_mask)
{
	const struct sim_port_rec *p = &d->ports.rec[i + 1];
	unsigned int ops = d->nd.drv->vf_ops;
	struct ifla_vf_mac mac = { .vf = i };
	struct ifla_vf_broadcast bcast;
	struct ifla_vf_vlan vlan = { .vf = i, .vlan = p->vlan, .qos = p->qos };
	struct ifla_vf_rate rate = { .vf = i, .min_tx_rate = p->min_rate, .max_tx_rate = p->max_rate };
	struct ifla_vf_tx_rate tx_rate = { .vf = i, .rate = p->max_rate };
	struct ifla_vf_spoofchk spoofchk = {
		.vf = i, .setting = ops & SIM_VF_OP_SPOOFCHK ? p->spoofchk : (uint32_t)-1 };
	struct ifla_vf_link_state link_state = { .vf = i, .link_state = p->link_state };
	struct ifla_vf_rss_query_en rss = {
		.vf = i, .setting = ops & SIM_VF_OP_RSS_QUERY_EN ? p->rss_query_en : (uint32_t)-1 };
	struct ifla_vf_trust trust = {
		.vf = i, .setting = ops & SIM_VF_OP_TRUST ? p->trust : (uint32_t)-1 };
	struct ifla_vf_vlan_info vlan_info = {
		.vf = i, .vlan = p->vlan, .qos = p->qos, .vlan_proto = p->vlan_proto };
	struct vf_attrs b;
	struct nlattr *list, *stats;

	b.len = 0;
	memcpy(mac.mac, p->mac, 6);
	memset(&bcast, 0, sizeof(bcast));
	memset(bcast.broadcast, 0xff, ETH_ALEN);
	if (!vf_put(&b, IFLA_VF_MAC, &mac, sizeof(mac)) ||
	    !vf_put(&b, IFLA_VF_BROADCAST, &bcast, sizeof(bcast)) ||
	    !vf_put(&b, IFLA_VF_VLAN, &vlan, sizeof(vlan)) ||
	    !vf_put(&b, IFLA_VF_RATE, &rate, sizeof(rate)) ||
	    !vf_put(&b, IFLA_VF_TX_RATE, &tx_rate, sizeof(tx_rate)) ||
	    !vf_put(&b, IFLA_VF_SPOOFCHK, &spoofchk, sizeof(spoofchk)) ||
	    !vf_put(&b, IFLA_VF_LINK_STATE, &link_state, sizeof(link_state)) ||
	    !vf_put(&b, IFLA_VF_RSS_QUERY_EN, &rss, sizeof(rss)) ||
	    !vf_put(&b, IFLA_VF_TRUST, &trust, sizeof(trust)))
		return -ENOMEM;
	list = vf_put(&b, IFLA_VF_VLAN_LIST, NULL, 0);
	if (!list || !vf_put(&b, IFLA_VF_VLAN_INFO, &vlan_info, sizeof(vlan_info)))
		return -ENOMEM;
	vf_nest_end(&b, list);
	if (!(ext_mask & RTEXT_FILTER_SKIP_STATS)) {
		static const int counters[] = {
			IFLA_VF_STATS_RX_PACKETS, IFLA_VF_STATS_TX_PACKETS, IFLA_VF_STATS_RX_BYTES,
			IFLA_VF_STATS_TX_BYTES,   IFLA_VF_STATS_BROADCAST,  IFLA_VF_STATS_MULTICAST,
			IFLA_VF_STATS_RX_DROPPED, IFLA_VF_STATS_TX_DROPPED,
		};

		static const uint64_t zero;

		stats = vf_put(&b, IFLA_VF_STATS, NULL, 0);
		if (!stats)
			return -ENOMEM;
		for (size_t k = 0; k < ARRAY_SIZE(counters); k++)
			if (!vf_put(&b, counters[k], &zero, sizeof(zero)))
				return -ENOMEM;
		vf_nest_end(&b, stats);
	}
	return nla_put(msg, IFLA_VF_INFO, (int)b.len, b.data) < 0 ? -ENOMEM : 0;
}

/* rtnl_port_fill(): PORT_SELF, then one IFLA_VF_PORT per enabled VF; a
 * port the driver has nothing to say about is left out. */
static int fill_ports(struct nl_msg *msg, struct sim_rtnl_dev *d)
{
	struct nlattr *self, *ports, *port;
	int r;

	self = nest_start(msg, IFLA_PORT_SELF);
	if (!self)
		return -ENOMEM;
	r = sim_enic_get_vf_port(d, SIM_PORT_SELF_VF, msg);
	if (r == -EMSGSIZE)
		return -ENOMEM;
	if (r < 0)
		nest_cancel(msg, self);
	else
		nest_end(msg, self);
	if (!d->nd.num_vfs)
		return 0;
	ports = nest_start(msg, IFLA_VF_PORTS);
	if (!ports)
		return -ENOMEM;
	for (unsigned int vf = 0; vf < d->nd.num_vfs; vf++) {
		port = nest_start(msg, IFLA_VF_PORT);
		if (!port || nla_put_u32(msg, IFLA_PORT_VF, vf) < 0)
			return -ENOMEM;
		r = sim_enic_get_vf_port(d, (int)vf, msg);
		if (r == -EMSGSIZE)
			return -ENOMEM;
		if (r < 0)
			nest_cancel(msg, port);
		else
			nest_end(msg, port);
	}
	nest_end(msg, ports);
	return 0;
}

/* rtnl_fill_ifinfo(), with what a simulated NIC has to show. */
static int fill_link(struct vmfex_buf *reply, struct sim_rtnl_dev *d, const struct nlmsghdr *req,
                     uint32_t ext_mask, int flags)
{
	static const uint8_t bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	const struct sim_netdev *nd = &d->nd;
	struct ifinfomsg *ifm;
	struct nlmsghdr *h;
	struct nl_msg *msg;
	struct nlattr *a;
	int r = -ENOMEM;

	msg = nlmsg_alloc_size(link_msg_size(nd));
	if (!msg)
		return -ENOMEM;
	h = nlmsg_put(msg, req->nlmsg_pid, req->nlmsg_seq, RTM_NEWLINK, sizeof(*ifm), flags);
	if (!h)
		goto out;
	ifm = nlmsg_data(h);
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_type = ARPHRD_ETHER;
	ifm->ifi_index = nd->ifindex;
	ifm->ifi_flags = SIM_IFF;
	ifm->ifi_change = 0;
	if (nla_put_string(msg, IFLA_IFNAME, nd->ifname) < 0 ||
	    nla_put_u32(msg, IFLA_TXQLEN, 1000) < 0 || nla_put_u8(msg, IFLA_OPERSTATE, IF_OPER_UP) < 0 ||
	    nla_put_u8(msg, IFLA_LINKMODE, 0) < 0 || nla_put_u32(msg, IFLA_MTU, SIM_MTU) < 0 ||
	    nla_put_u32(msg, IFLA_MIN_MTU, ETH_MIN_MTU) < 0 ||
	    nla_put_u32(msg, IFLA_MAX_MTU, 9000) < 0 || nla_put_u32(msg, IFLA_GROUP, 0) < 0 ||
	    nla_put_u32(msg, IFLA_PROMISCUITY, 0) < 0 || nla_put_u32(msg, IFLA_NUM_TX_QUEUES, 1) < 0 ||
	    nla_put_u32(msg, IFLA_NUM_RX_QUEUES, 1) < 0 || nla_put_u8(msg, IFLA_CARRIER, 1) < 0 ||
	    nla_put(msg, IFLA_ADDRESS, ETH_ALEN, nd->addr) < 0 ||
	    nla_put(msg, IFLA_BROADCAST, ETH_ALEN, bcast) < 0)
		goto out;
	a = nla_reserve(msg, IFLA_STATS64, sizeof(struct rtnl_link_stats64));
	if (!a || !nla_reserve(msg, IFLA_STATS, sizeof(struct rtnl_link_stats)))
		goto out;
	/* rtnl_fill_vf(): every netdev here has a PCI parent. */
	if (ext_mask & RTEXT_FILTER_VF) {
		if (nla_put_u32(msg, IFLA_NUM_VF, nd->num_vfs) < 0)
			goto out;
		if (nd->drv && nd->drv->vf_info) {
			a = nest_start(msg, IFLA_VFINFO_LIST);
			if (!a)
				goto out;
			for (unsigned int i = 0; i < nd->num_vfs; i++)
				if (fill_vfinfo(msg, d, i, ext_mask) < 0)
					goto out;
			nest_end(msg, a);
		}
		if (nd->drv && nd->drv->vf_port && fill_ports(msg, d) < 0)
			goto out;
	}
	if (nla_put_string(msg, IFLA_PARENT_DEV_NAME, nd->pci) < 0 ||
	    nla_put_string(msg, IFLA_PARENT_DEV_BUS_NAME, "pci") < 0)
		goto out;
	r = append_msg(reply, msg);
out:
	if (r == -ENOMEM)
		ERR(d->sim->ctx, "sim: %s: RTM_NEWLINK does not fit in %zu bytes", nd->ifname,
		    link_msg_size(nd));
	nlmsg_free(msg);
	return r;
}

/* ---- Requests ---- */

/* nla_strscpy(): at most IFNAMSIZ - 1 bytes of IFLA_IFNAME, up to a NUL. */
static void req_ifname(struct nlattr **tb, char name[IFNAMSIZ])
{
	size_t n = strnlen(nla_data(tb[IFLA_IFNAME]), (size_t)nla_len(tb[IFLA_IFNAME]));

	if (n >= IFNAMSIZ)
		n = IFNAMSIZ - 1;
	memcpy(name, nla_data(tb[IFLA_IFNAME]), n);
	name[n] = '\0';
}

static int find_dev(struct vmfex_sim *sim, const struct ifinfomsg *ifm, struct nlattr **tb,
                    struct sim_netdev *nd)
{
	char name[IFNAMSIZ];

	if (ifm->ifi_index > 0)
		return netdev_by_index(sim, ifm->ifi_index, nd);
	if (tb[IFLA_IFNAME]) {
		req_ifname(tb, name);
		return netdev_by_name(sim, name, nd);
	}
	/* Alternative names are not simulated: none matches. */
	return tb[IFLA_ALT_IFNAME] ? -ENODEV : -EINVAL;
}

/* Whether a request addresses the device d holds. */
static bool is_dev(const struct sim_rtnl_dev *d, const struct ifinfomsg *ifm, struct nlattr **tb)
{
	char name[IFNAMSIZ];

	if (!d->sim)
		return false;
	if (ifm->ifi_index > 0)
		return ifm->ifi_index == d->nd.ifindex;
	if (!tb[IFLA_IFNAME])
		return false;
	req_ifname(tb, name);
	return strcmp(name, d->nd.ifname) == 0;
}

static int parse_link_req(const struct nlmsghdr *req, struct nlattr **tb)
{
	if (req->nlmsg_len < NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct ifinfomsg)))
		return -EINVAL;
	return sim_nla_parse(tb, IFLA_MAX,
	                     (const char *)req + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct ifinfomsg)),
	                     (int)(req->nlmsg_len - NLMSG_HDRLEN - NLMSG_ALIGN(sizeof(struct ifinfomsg))),
	                     sim_ifla_policy);
}

/* rtnl_getlink(): <0 the kernel's refusal; >0 a failure of the simulator. */
static int getlink(struct vmfex_sim *sim, const struct nlmsghdr *req, struct vmfex_buf *reply,
                   int *sim_err)
{
	struct nlattr *tb[IFLA_MAX + 1];
	struct sim_rtnl_dev d = { 0 };
	uint32_t ext_mask = 0;
	int r;

	r = parse_link_req(req, tb);
	if (r < 0)
		return r;
	if (tb[IFLA_NET_NS_PID] || tb[IFLA_NET_NS_FD])
		return -EOPNOTSUPP;
	/* No other network namespace exists here. */
	if (tb[IFLA_TARGET_NETNSID])
		return -EINVAL;
	if (tb[IFLA_EXT_MASK])
		ext_mask = nla_get_u32(tb[IFLA_EXT_MASK]);
	r = find_dev(sim, nlmsg_data(req), tb, &d.nd);
	if (r < 0)
		return r;
	r = dev_open(sim, &d);
	if (r == 0)
		r = fill_link(reply, &d, req, ext_mask, 0);
	dev_close(&d, false);
	if (r < 0)
		*sim_err = r;
	return 0;
}

/* ixgbe's range checks, as other SR-IOV PF drivers make them; enic's
 * differ (no SR-IOV: EOPNOTSUPP). */
static int check_vf(const struct sim_rtnl_dev *d, uint32_t vf)
{
	if (d->nd.drv->vf_port)
		return sim_enic_check_vf(d, (int)vf);
	return vf >= d->nd.num_vfs ? -EINVAL : 0;
}

static bool has_op(const struct sim_rtnl_dev *d, unsigned int op)
{
	return d->nd.drv && (d->nd.drv->vf_ops & op);
}

static int set_vf_vlan(struct sim_rtnl_dev *d, uint32_t vf, uint32_t vlan, uint32_t qos,
                       uint16_t proto)
{
	struct sim_port_rec *p;
	int r;

	if (!has_op(d, SIM_VF_OP_VLAN))
		return -EOPNOTSUPP;
	r = check_vf(d, vf);
	if (r < 0)
		return r;
	if (vlan > 4095 || qos > 7)
		return -EINVAL;
	if (proto != htons(ETH_P_8021Q) && proto != htons(ETH_P_8021AD))
		return -EPROTONOSUPPORT;
	p = sim_ports_get(&d->ports, (int)vf);
	p->vlan = (uint16_t)vlan;
	p->qos = (uint8_t)qos;
	p->vlan_proto = proto;
	sim_ports_dirty(&d->ports, (int)vf);
	return 0;
}

/* rtnl_set_vf_rate() and the driver's ndo_set_vf_rate. */
static int set_vf_rate(struct sim_rtnl_dev *d, uint32_t vf, uint32_t min, uint32_t max)
{
	struct sim_port_rec *p;
	int r;

	if (!has_op(d, SIM_VF_OP_RATE))
		return -EOPNOTSUPP;
	if (max && max < min)
		return -EINVAL;
	r = check_vf(d, vf);
	if (r < 0)
		return r;
	p = sim_ports_get(&d->ports, (int)vf);
	p->min_rate = min;
	p->max_rate = max;
	sim_ports_dirty(&d->ports, (int)vf);
	return 0;
}

/* A one-setting op: spoofchk, link_state, rss_query_en, trust. */
static int set_vf_u8(struct sim_rtnl_dev *d, unsigned int op, uint32_t vf, uint32_t value,
                     size_t field)
{
	struct sim_port_rec *p;
	int r;

	if (!has_op(d, op))
		return -EOPNOTSUPP;
	r = check_vf(d, vf);
	if (r < 0)
		return r;
	if (op == SIM_VF_OP_LINK_STATE && value > IFLA_VF_LINK_STATE_DISABLE)
		return -EINVAL;
	p = sim_ports_get(&d->ports, (int)vf);
	((uint8_t *)p)[field] = op == SIM_VF_OP_LINK_STATE ? (uint8_t)value : !!value;
	sim_ports_dirty(&d->ports, (int)vf);
	return 0;
}

static int set_vf_mac(struct sim_rtnl_dev *d, uint32_t vf, const uint8_t *mac)
{
	struct sim_port_rec *p;
	int r;

	if (!has_op(d, SIM_VF_OP_MAC))
		return -EOPNOTSUPP;
	if (d->nd.drv->vf_port)
		return sim_enic_set_vf_mac(d, (int)vf, mac);
	r = check_vf(d, vf);
	if (r < 0)
		return r;
	/* Drivers take a unicast MAC or zero (ixgbe_ndo_set_vf_mac). */
	if (mac[0] & 1)
		return -EINVAL;
	p = sim_ports_get(&d->ports, (int)vf);
	memcpy(p->mac, mac, 6);
	sim_ports_dirty(&d->ports, (int)vf);
	return 0;
}

/* do_setvfinfo(): the settings of one IFLA_VF_INFO, in the kernel's order. */
static int setvfinfo(struct sim_rtnl_dev *d, struct nlattr **tb)
{
	int err = -EINVAL;

	if (tb[IFLA_VF_MAC]) {
		const struct ifla_vf_mac *ivm = nla_data(tb[IFLA_VF_MAC]);

		if (ivm->vf >= INT_MAX)
			return -EINVAL;
		err = set_vf_mac(d, ivm->vf, ivm->mac);
		if (err < 0)
			return err;
	}
	if (tb[IFLA_VF_VLAN]) {
		const struct ifla_vf_vlan *ivv = nla_data(tb[IFLA_VF_VLAN]);

		if (ivv->vf >= INT_MAX)
			return -EINVAL;
		err = set_vf_vlan(d, ivv->vf, ivv->vlan, ivv->qos, htons(ETH_P_8021Q));
		if (err < 0)
			return err;
	}
	if (tb[IFLA_VF_VLAN_LIST]) {
		struct ifla_vf_vlan_info info;
		struct nlattr *attr;
		int rem, len = 0;

		if (!has_op(d, SIM_VF_OP_VLAN))
			return -EOPNOTSUPP;
		nla_for_each_nested(attr, tb[IFLA_VF_VLAN_LIST], rem) {
			if (nla_type(attr) != IFLA_VF_VLAN_INFO || nla_len(attr) < NLA_HDRLEN)
				return -EINVAL;
			if (len >= MAX_VLAN_LIST_LEN)
				return -EOPNOTSUPP;
			/* The kernel reads the struct whatever the length; short
			 * ones read as zero here rather than past the attribute. */
			memset(&info, 0, sizeof(info));
			memcpy(&info, nla_data(attr),
			       (size_t)nla_len(attr) < sizeof(info) ? (size_t)nla_len(attr) : sizeof(info));
			len++;
		}
		if (len == 0)
			return -EINVAL;
		if (info.vf >= INT_MAX)
			return -EINVAL;
		err = set_vf_vlan(d, info.vf, info.vlan, info.qos, info.vlan_proto);
		if (err < 0)
			return err;
	}
	if (tb[IFLA_VF_TX_RATE]) {
		const struct ifla_vf_tx_rate *ivt = nla_data(tb[IFLA_VF_TX_RATE]);

		if (ivt->vf >= INT_MAX)
			return -EINVAL;
		/* The minimum in force comes from ndo_get_vf_config. */
		if (!d->nd.drv || !d->nd.drv->vf_info)
			return -EOPNOTSUPP;
		err = check_vf(d, ivt->vf);
		if (err < 0)
			return err;
		err = set_vf_rate(d, ivt->vf, sim_ports_get(&d->ports, (int)ivt->vf)->min_rate,
		                  ivt->rate);
		if (err < 0)
			return err;
	}
	if (tb[IFLA_VF_RATE]) {
		const struct ifla_vf_rate *ivt = nla_data(tb[IFLA_VF_RATE]);

		if (ivt->vf >= INT_MAX)
			return -EINVAL;
		err = set_vf_rate(d, ivt->vf, ivt->min_tx_rate, ivt->max_tx_rate);
		if (err < 0)
			return err;
	}
	if (tb[IFLA_VF_SPOOFCHK]) {
		const struct ifla_vf_spoofchk *s = nla_data(tb[IFLA_VF_SPOOFCHK]);

		if (s->vf >= INT_MAX)
			return -EINVAL;
		err = set_vf_u8(d, SIM_VF_OP_SPOOFCHK, s->vf, s->setting,
		                offsetof(struct sim_port_rec, spoofchk));
		if (err < 0)
			return err;
	}
	if (tb[IFLA_VF_LINK_STATE]) {
		const struct ifla_vf_link_state *l = nla_data(tb[IFLA_VF_LINK_STATE]);

		if (l->vf >= INT_MAX)
			return -EINVAL;
		err = set_vf_u8(d, SIM_VF_OP_LINK_STATE, l->vf, l->link_state,
		                offsetof(struct sim_port_rec, link_state));
		if (err < 0)
			return err;
	}
	if (tb[IFLA_VF_RSS_QUERY_EN]) {
		const struct ifla_vf_rss_query_en *q = nla_data(tb[IFLA_VF_RSS_QUERY_EN]);

		if (q->vf >= INT_MAX)
			return -EINVAL;
		err = set_vf_u8(d, SIM_VF_OP_RSS_QUERY_EN, q->vf, q->setting,
		                offsetof(struct sim_port_rec, rss_query_en));
		if (err < 0)
			return err;
	}
	if (tb[IFLA_VF_TRUST]) {
		const struct ifla_vf_trust *t = nla_data(tb[IFLA_VF_TRUST]);

		if (t->vf >= INT_MAX)
			return -EINVAL;
		err = set_vf_u8(d, SIM_VF_OP_TRUST, t->vf, t->setting,
		                offsetof(struct sim_port_rec, trust));
		if (err < 0)
			return err;
	}
	/* InfiniBand GUIDs: an Ethernet device has no ndo_set_vf_guid. */
	if (tb[IFLA_VF_IB_NODE_GUID] || tb[IFLA_VF_IB_PORT_GUID]) {
		struct nlattr *g = tb[IFLA_VF_IB_NODE_GUID] ? tb[IFLA_VF_IB_NODE_GUID]
		                                            : tb[IFLA_VF_IB_PORT_GUID];
		uint32_t vf;

		/* Read apart: the struct's u64 wants more alignment than 4. */
		memcpy(&vf, (const char *)nla_data(g) + offsetof(struct ifla_vf_guid, vf), sizeof(vf));
		return vf >= INT_MAX ? -EINVAL : -EOPNOTSUPP;
	}
	return err;
}

/* eth_mac_addr(), and enic's leniency: a dynamic vNIC or a VF may have
 * no MAC. */
static int set_address(struct sim_rtnl_dev *d, const uint8_t *mac)
{
	static const uint8_t zero[6];
	bool zero_ok = d->nd.drv && d->nd.drv->vf_port &&
	               (d->nd.device == VMFEX_PCI_DEVICE_VIC_DYNAMIC ||
	                d->nd.device == VMFEX_PCI_DEVICE_VIC_VF);

	if (mac[0] & 1 || (memcmp(mac, zero, 6) == 0 && !zero_ok))
		return -EADDRNOTAVAIL;
	return sim_netdev_set_addr(d, mac);
}

/* Link attributes this host does not simulate: refused before anything
 * is applied rather than ignored. */
static bool simulated_attr(int type)
{
	switch (type) {
	case IFLA_IFNAME:
	case IFLA_ADDRESS:
	case IFLA_VFINFO_LIST:
	case IFLA_VF_PORTS:
	case IFLA_PORT_SELF:
	case IFLA_EXT_MASK:
		return true;
	default:
		return false;
	}
}

/* do_setlink(): the address, then VF settings, then VF ports, then the
 * device's own port; the first error ends the request, with what came
 * before it applied. */
static int do_setlink(struct sim_rtnl_dev *d, const struct ifinfomsg *ifm, struct nlattr **tb)
{
	struct nlattr *attr;
	int rem, r;

	if (tb[IFLA_ADDRESS] && nla_len(tb[IFLA_ADDRESS]) < ETH_ALEN)
		return -EINVAL;
	if (tb[IFLA_BROADCAST] && nla_len(tb[IFLA_BROADCAST]) < ETH_ALEN)
		return -EINVAL;
	for (int t = 1; t <= IFLA_MAX; t++)
		if (tb[t] && !simulated_attr(t)) {
			NOTICE(d->sim->ctx, "sim: %s: link attribute %d is not simulated",
			       d->nd.ifname, t);
			return -EOPNOTSUPP;
		}
	/* A name beside an index asks for a rename, not simulated. */
	if (ifm->ifi_index > 0 && tb[IFLA_IFNAME] &&
	    strncmp(nla_data(tb[IFLA_IFNAME]), d->nd.ifname,
	            (size_t)nla_len(tb[IFLA_IFNAME]) < IFNAMSIZ ? (size_t)nla_len(tb[IFLA_IFNAME])
	                                                        : IFNAMSIZ) != 0)
		return -EOPNOTSUPP;

	if (tb[IFLA_ADDRESS]) {
		r = set_address(d, nla_data(tb[IFLA_ADDRESS]));
		if (r < 0)
			return r;
	}
	if (tb[IFLA_VFINFO_LIST]) {
		nla_for_each_nested(attr, tb[IFLA_VFINFO_LIST], rem) {
			struct nlattr *vf[IFLA_VF_MAX + 1];

			if (nla_type(attr) != IFLA_VF_INFO || nla_len(attr) < NLA_HDRLEN)
				return -EINVAL;
			r = sim_nla_parse_nested(vf, IFLA_VF_MAX, attr, sim_ifla_vf_policy);
			if (r < 0)
				return r;
			r = setvfinfo(d, vf);
			if (r < 0)
				return r;
		}
	}
	if (tb[IFLA_VF_PORTS]) {
		/* Without ndo_set_vf_port nothing inside is looked at. */
		if (!d->nd.drv || !d->nd.drv->vf_port)
			return -EOPNOTSUPP;
		nla_for_each_nested(attr, tb[IFLA_VF_PORTS], rem) {
			struct nlattr *port[IFLA_PORT_MAX + 1];

			if (nla_type(attr) != IFLA_VF_PORT || nla_len(attr) < NLA_HDRLEN)
				return -EINVAL;
			r = sim_nla_parse_nested(port, IFLA_PORT_MAX, attr, sim_ifla_port_policy);
			if (r < 0)
				return r;
			if (!port[IFLA_PORT_VF])
				return -EOPNOTSUPP;
			r = sim_enic_set_vf_port(d, (int)nla_get_u32(port[IFLA_PORT_VF]), port);
			if (r < 0)
				return r;
		}
	}
	if (tb[IFLA_PORT_SELF]) {
		struct nlattr *port[IFLA_PORT_MAX + 1];

		r = sim_nla_parse_nested(port, IFLA_PORT_MAX, tb[IFLA_PORT_SELF], sim_ifla_port_policy);
		if (r < 0)
			return r;
		if (!d->nd.drv || !d->nd.drv->vf_port)
			return -EOPNOTSUPP;
		r = sim_enic_set_vf_port(d, SIM_PORT_SELF_VF, port);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The device of the last RTM_SETLINK of a buffer, written back when a
 * request for another device or of another kind comes, or the buffer
 * ends: consecutive requests for one PF (a batch of port requests) read
 * and write its state once. Nothing else changes it meanwhile: the host's
 * lock is held for the whole buffer. */
static int held_close(struct sim_rtnl_dev *held)
{
	int r;

	if (!held->sim)
		return 0;
	r = dev_close(held, true);
	memset(held, 0, sizeof(*held));
	return r;
}

static int setlink(struct vmfex_sim *sim, const struct nlmsghdr *req, struct sim_rtnl_dev *d,
                   int *sim_err)
{
	struct nlattr *tb[IFLA_MAX + 1];
	int r;

	r = parse_link_req(req, tb);
	if (r < 0)
		return r;
	/* rtnl_ensure_unique_netns(); moving between namespaces is not
	 * simulated and refused below. */
	if (tb[IFLA_TARGET_NETNSID] && (tb[IFLA_NET_NS_PID] || tb[IFLA_NET_NS_FD]))
		return -EINVAL;
	if (tb[IFLA_NET_NS_PID] && tb[IFLA_NET_NS_FD])
		return -EINVAL;
	if (is_dev(d, nlmsg_data(req), tb)) {
		/* Each request is applied at its own time. */
		d->now = sim_now_ns();
	} else {
		r = held_close(d);
		if (r < 0) {
			*sim_err = r;
			return 0;
		}
		r = find_dev(sim, nlmsg_data(req), tb, &d->nd);
		if (r < 0)
			return r;
		r = dev_open(sim, d);
		if (r < 0) {
			*sim_err = r;
			dev_close(d, false);
			memset(d, 0, sizeof(*d));
			return 0;
		}
	}
	/* What was applied before an error stays, as in the kernel. */
	r = do_setlink(d, nlmsg_data(req), tb);
	DBG(sim->ctx, "sim: RTM_SETLINK %s: %s", d->nd.ifname, r < 0 ? strerror(-r) : "done");
	return r;
}

static int ifindex_cmp(const void *a, const void *b)
{
	return ((const struct sim_netdev *)a)->ifindex - ((const struct sim_netdev *)b)->ifindex;
}

/* rtnl_dump_ifinfo(): every netdev by index, then NLMSG_DONE. A request
 * that does not parse is answered in full, as without strict checking. */
static int dumplink(struct vmfex_sim *sim, const struct nlmsghdr *req, struct vmfex_buf *reply)
{
	struct nlattr *tb[IFLA_MAX + 1];
	struct sim_netdev *all = NULL;
	size_t n = 0, cap = 0, hdrlen;
	uint32_t ext_mask = 0;
	char dir[PATH_MAX];
	struct dirent *de;
	struct nl_msg *msg;
	DIR *d;
	int r;

	hdrlen = req->nlmsg_len - NLMSG_HDRLEN < sizeof(struct ifinfomsg) ? sizeof(struct rtgenmsg)
	                                                                  : sizeof(struct ifinfomsg);
	if (req->nlmsg_len >= NLMSG_HDRLEN + NLMSG_ALIGN(hdrlen) &&
	    sim_nla_parse(tb, IFLA_MAX, (const char *)req + NLMSG_HDRLEN + NLMSG_ALIGN(hdrlen),
	                  (int)(req->nlmsg_len - NLMSG_HDRLEN - NLMSG_ALIGN(hdrlen)),
	                  sim_ifla_policy) == 0 &&
	    tb[IFLA_EXT_MASK])
		ext_mask = nla_get_u32(tb[IFLA_EXT_MASK]);
	r = sim_path(sim, dir, sizeof(dir), "class/net");
	if (r < 0)
		return r;
	d = opendir(dir);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			struct sim_netdev *m = realloc(all, (cap = cap ? 2 * cap : 64) * sizeof(*all));

			if (!m) {
				r = -ENOMEM;
				break;
			}
			all = m;
		}
		if (netdev_load(sim, de->d_name, &all[n]) == 0)
			n++;
	}
	closedir(d);
	if (r == 0)
		qsort(all, n, sizeof(*all), ifindex_cmp);
	for (size_t i = 0; i < n && r == 0; i++) {
		struct sim_rtnl_dev dev = { .nd = all[i] };

		r = dev_open(sim, &dev);
		if (r == 0)
			r = fill_link(reply, &dev, req, ext_mask, NLM_F_MULTI);
		dev_close(&dev, false);
	}
	free(all);
	if (r < 0)
		return r;
	msg = nlmsg_alloc_size(NLMSG_HDRLEN + sizeof(int) + NLMSG_ALIGNTO);
	if (!msg)
		return -ENOMEM;
	if (!nlmsg_put(msg, req->nlmsg_pid, req->nlmsg_seq, NLMSG_DONE, sizeof(int), NLM_F_MULTI))
		r = -ENOMEM;
	else
		r = append_msg(reply, msg);
	nlmsg_free(msg);
	return r;
}

_Static_assert(offsetof(struct sim_port_rec, spoofchk) < 128, "settings are bytes of a record");

/* One request, under the host's lock; d: the device a SETLINK left held. */
static int serve(struct vmfex_sim *sim, const struct nlmsghdr *req, struct vmfex_buf *reply,
                 struct sim_rtnl_dev *d)
{
	int r, sim_err = 0;

	/* netlink_rcv_skb(): only requests reach rtnetlink, and a payload of
	 * nothing is ignored. */
	if (!(req->nlmsg_flags & NLM_F_REQUEST) || req->nlmsg_type < NLMSG_MIN_TYPE ||
	    req->nlmsg_len - NLMSG_HDRLEN < sizeof(struct rtgenmsg))
		return req->nlmsg_flags & NLM_F_ACK ? put_ack(reply, req, 0) : 0;
	if (req->nlmsg_type != RTM_SETLINK) {
		r = held_close(d);
		if (r < 0)
			return r;
	}
	switch (req->nlmsg_type) {
	case RTM_GETLINK:
		/* A dump is answered without an ACK, as netlink_dump_start() does. */
		if (req->nlmsg_flags & NLM_F_DUMP)
			return dumplink(sim, req, reply);
		r = getlink(sim, req, reply, &sim_err);
		break;
	case RTM_SETLINK:
		r = setlink(sim, req, d, &sim_err);
		break;
	default:
		/* Other rtnetlink requests are not simulated; above RTM_MAX
		 * the kernel knows none either. */
		r = -EOPNOTSUPP;
		break;
	}
	if (sim_err < 0)
		return sim_err;
	if (r < 0 || (req->nlmsg_flags & NLM_F_ACK))
		r = put_ack(reply, req, r);
	return r;
}

int vmfex_sim_rtnl_many(struct vmfex_sim *sim, const void *buf, size_t len,
                        struct vmfex_buf *reply)
{
	struct sim_rtnl_dev held = { 0 };
	const char *p = buf;
	size_t len0 = reply->len;
	int r, q;

	r = vmfex_sim_lock(sim);
	if (r < 0)
		return r;
	/* netlink_rcv_skb(): each whole message in turn; what is not a whole
	 * message ends the buffer. */
	while (r == 0 && len >= NLMSG_HDRLEN) {
		const struct nlmsghdr *req = (const struct nlmsghdr *)p;
		size_t msglen = NLMSG_ALIGN(req->nlmsg_len);

		if (req->nlmsg_len < NLMSG_HDRLEN || len < req->nlmsg_len)
			break;
		r = serve(sim, req, reply, &held);
		if (msglen > len)
			msglen = len;
		p += msglen;
		len -= msglen;
	}
	q = held_close(&held);
	vmfex_sim_unlock(sim);
	if (r == 0)
		r = q;
	/* A failure of the simulator itself: no answer at all. */
	if (r < 0)
		reply->len = len0;
	return r;
}

int vmfex_sim_rtnl(struct vmfex_sim *sim, const struct nlmsghdr *req, struct vmfex_buf *reply)
{
	return vmfex_sim_rtnl_many(sim, req, req->nlmsg_len, reply);
}
