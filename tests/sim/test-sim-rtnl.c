/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The simulated host's rtnetlink peer answers as rtnetlink and enic do
 * (DOMAIN.md sections 4-5): requests are built here with libnl, handed to
 * vmfex_sim_rtnl() as the kernel would receive them, and the replies are
 * checked byte for byte where it matters. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <time.h>
#include <cmocka.h>

#include "sim-private.h"
#include "sim-fixture.h"

#define B200 "ucs-b200-vic1240.json"
#define MIXED "mixed-82599-virtio.json"
#define PF0 "enp10s0f0"
#define DYN "enp12s0"

/* ---- Requests ---- */

static struct nl_msg *req_new(int type, int flags, int ifindex, const char *ifname)
{
	struct ifinfomsg ifm = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };
	struct nl_msg *msg = nlmsg_alloc_simple(type, NLM_F_REQUEST | flags);

	assert_non_null(msg);
	assert_int_equal(nlmsg_append(msg, &ifm, sizeof(ifm), NLMSG_ALIGNTO), 0);
	if (ifname)
		assert_int_equal(nla_put_string(msg, IFLA_IFNAME, ifname), 0);
	return msg;
}

static struct nl_msg *setlink_new(const char *ifname)
{
	return req_new(RTM_SETLINK, NLM_F_ACK, 0, ifname);
}

/* Sends msg (freed) and returns the reply, which must be whole messages. */
static void transact_sim(struct vmfex_sim *sim, struct nl_msg *msg, struct vmfex_buf *reply)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	size_t off = 0;

	h->nlmsg_seq = 4242;
	h->nlmsg_pid = 777;
	memset(reply, 0, sizeof(*reply));
	assert_int_equal(vmfex_sim_rtnl(sim, h, reply), 0);
	while (off < reply->len) {
		struct nlmsghdr *r = (struct nlmsghdr *)(reply->data + off);

		assert_true(reply->len - off >= NLMSG_HDRLEN);
		assert_true(r->nlmsg_len >= NLMSG_HDRLEN && r->nlmsg_len <= reply->len - off);
		assert_int_equal(r->nlmsg_seq, 4242);
		assert_int_equal(r->nlmsg_pid, 777);
		off += NLMSG_ALIGN(r->nlmsg_len);
	}
	nlmsg_free(msg);
}

static void transact(struct sim_fixture *f, struct nl_msg *msg, struct vmfex_buf *reply)
{
	transact_sim(vmfex_sim_of(f->ctx), msg, reply);
}

/* The errno of the NLMSG_ERROR a request gets (0 for an ACK). */
static int send_err(struct sim_fixture *f, struct nl_msg *msg)
{
	struct vmfex_buf reply;
	struct nlmsghdr *h;
	struct nlmsgerr *e;
	int err;

	transact(f, msg, &reply);
	assert_true(reply.len >= NLMSG_HDRLEN + sizeof(*e));
	h = (struct nlmsghdr *)reply.data;
	assert_int_equal(h->nlmsg_type, NLMSG_ERROR);
	assert_int_equal(NLMSG_ALIGN(h->nlmsg_len), reply.len);
	e = NLMSG_DATA(h);
	err = e->error;
	vmfex_buf_free(&reply);
	return err;
}

static int ifindex_of(struct sim_fixture *f, const char *ifname)
{
	char rel[64], buf[32];

	snprintf(rel, sizeof(rel), "class/net/%s/ifindex", ifname);
	assert_non_null(sim_fixture_read(f, rel, buf, sizeof(buf)));
	return atoi(buf);
}

static void put_vf_mac(struct nl_msg *msg, uint32_t vf, const uint8_t mac[6])
{
	struct ifla_vf_mac ivm = { .vf = vf };
	struct nlattr *list, *info;

	memcpy(ivm.mac, mac, 6);
	list = nla_nest_start(msg, IFLA_VFINFO_LIST);
	info = nla_nest_start(msg, IFLA_VF_INFO);
	assert_int_equal(nla_put(msg, IFLA_VF_MAC, sizeof(ivm), &ivm), 0);
	nla_nest_end(msg, info);
	nla_nest_end(msg, list);
}

/* One VF_INFO holding one raw attribute. */
static struct nl_msg *vfinfo_req(const char *ifname, int type, const void *data, size_t len)
{
	struct nl_msg *msg = setlink_new(ifname);
	struct nlattr *list, *info;

	list = nla_nest_start(msg, IFLA_VFINFO_LIST);
	info = nla_nest_start(msg, IFLA_VF_INFO);
	assert_int_equal(nla_put(msg, type, (int)len, data), 0);
	nla_nest_end(msg, info);
	nla_nest_end(msg, list);
	return msg;
}

struct port_req {
	int vf;                     /* -1: IFLA_PORT_SELF */
	int request;                /* -1: none */
	const void *profile;
	int profile_len;            /* -1: none */
	int instance_len, host_len; /* -1: none */
};

static const uint8_t instance_uuid[17] = "\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff\x01";
static const uint8_t host_uuid[17] = "\x4c\x4c\x45\x44\x00\x42\x48\x10\x80\x52\xb4\xc0\x4f\x4d\x31\x32";

static void put_port(struct nl_msg *msg, const struct port_req *p)
{
	if (p->request >= 0)
		assert_int_equal(nla_put_u8(msg, IFLA_PORT_REQUEST, (uint8_t)p->request), 0);
	if (p->profile_len >= 0)
		assert_int_equal(nla_put(msg, IFLA_PORT_PROFILE, p->profile_len, p->profile), 0);
	if (p->instance_len >= 0)
		assert_int_equal(nla_put(msg, IFLA_PORT_INSTANCE_UUID, p->instance_len, instance_uuid), 0);
	if (p->host_len >= 0)
		assert_int_equal(nla_put(msg, IFLA_PORT_HOST_UUID, p->host_len, host_uuid), 0);
}

static void put_port_req(struct nl_msg *msg, const struct port_req *p)
{
	struct nlattr *ports, *port;

	if (p->vf < 0) {
		port = nla_nest_start(msg, IFLA_PORT_SELF);
		put_port(msg, p);
		nla_nest_end(msg, port);
		return;
	}
	ports = nla_nest_start(msg, IFLA_VF_PORTS);
	port = nla_nest_start(msg, IFLA_VF_PORT);
	assert_int_equal(nla_put_u32(msg, IFLA_PORT_VF, (uint32_t)p->vf), 0);
	put_port(msg, p);
	nla_nest_end(msg, port);
	nla_nest_end(msg, ports);
}

/* A profile name NUL-padded to 40 bytes, as libvmfex sends it. */
static const char *profile40(const char *name)
{
	static char buf[SIM_PORT_PROFILE_MAX];

	memset(buf, 0, sizeof(buf));
	memcpy(buf, name, strlen(name));
	return buf;
}

static int port_request(struct sim_fixture *f, const char *ifname, int vf, int request,
                        const char *profile)
{
	struct port_req p = { .vf = vf, .request = request,
	                      .profile = profile ? profile40(profile) : NULL,
	                      .profile_len = profile ? 40 : -1, .instance_len = 16, .host_len = 16 };
	struct nl_msg *msg = setlink_new(ifname);

	put_port_req(msg, &p);
	return send_err(f, msg);
}

static int associate_vf(struct sim_fixture *f, int vf, const char *profile, const uint8_t mac[6])
{
	struct port_req p = { .vf = vf, .request = PORT_REQUEST_ASSOCIATE,
	                      .profile = profile40(profile), .profile_len = 40, .instance_len = 16,
	                      .host_len = 16 };
	struct nl_msg *msg = setlink_new(PF0);

	if (mac)
		put_vf_mac(msg, (uint32_t)vf, mac);
	put_port_req(msg, &p);
	return send_err(f, msg);
}

/* ---- Replies ---- */

struct port_seen {
	bool present;
	int request, response;
	int request_len;
	char profile[41];
	int profile_len, instance_len, host_len;
};

struct vf_seen {
	uint8_t mac[6];
	uint32_t vlan, qos, spoofchk, trust, link_state, min_rate, max_rate, rss;
	uint16_t vlan_proto;
	bool has_stats;
};

struct link_seen {
	int ifindex;
	unsigned int flags;
	char ifname[16];
	uint8_t addr[6];
	int mtu;
	int num_vf;                 /* -1: absent */
	bool has_vfinfo, has_vf_ports;
	size_t n_vfinfo, n_ports;
	bool vfinfo_wrapped, ports_wrapped;
	struct vf_seen *vfs;        /* n_vfinfo */
	struct port_seen self;
	struct port_seen *ports;    /* by VF index, num_vf entries */
};

static void parse_port(const struct nlattr *nest_data, int len, struct port_seen *p)
{
	struct nlattr *a;
	int rem;

	memset(p, 0, sizeof(*p));
	p->present = true;
	p->request = p->response = -1;
	nla_for_each_attr(a, (struct nlattr *)nest_data, len, rem) {
		switch (nla_type(a)) {
		case IFLA_PORT_REQUEST:
			p->request_len = nla_len(a);
			p->request = nla_len(a) == 2 ? nla_get_u16(a) : nla_get_u8(a);
			break;
		case IFLA_PORT_RESPONSE:
			p->response = nla_get_u16(a);
			break;
		case IFLA_PORT_PROFILE:
			p->profile_len = nla_len(a);
			memcpy(p->profile, nla_data(a), (size_t)nla_len(a) < 40 ? (size_t)nla_len(a) : 40);
			break;
		case IFLA_PORT_INSTANCE_UUID:
			p->instance_len = nla_len(a);
			break;
		case IFLA_PORT_HOST_UUID:
			p->host_len = nla_len(a);
			break;
		}
	}
}

static void parse_vfinfo(struct nlattr *info, struct vf_seen *v)
{
	struct nlattr *a, *b;
	int rem, rem2;

	memset(v, 0, sizeof(*v));
	nla_for_each_nested(a, info, rem) {
		switch (nla_type(a)) {
		case IFLA_VF_MAC:
			assert_int_equal(nla_len(a), sizeof(struct ifla_vf_mac));
			memcpy(v->mac, ((struct ifla_vf_mac *)nla_data(a))->mac, 6);
			break;
		case IFLA_VF_VLAN:
			v->vlan = ((struct ifla_vf_vlan *)nla_data(a))->vlan;
			v->qos = ((struct ifla_vf_vlan *)nla_data(a))->qos;
			break;
		case IFLA_VF_VLAN_LIST:
			nla_for_each_nested(b, a, rem2)
				v->vlan_proto = ((struct ifla_vf_vlan_info *)nla_data(b))->vlan_proto;
			break;
		case IFLA_VF_RATE:
			v->min_rate = ((struct ifla_vf_rate *)nla_data(a))->min_tx_rate;
			v->max_rate = ((struct ifla_vf_rate *)nla_data(a))->max_tx_rate;
			break;
		case IFLA_VF_SPOOFCHK:
			v->spoofchk = ((struct ifla_vf_spoofchk *)nla_data(a))->setting;
			break;
		case IFLA_VF_TRUST:
			v->trust = ((struct ifla_vf_trust *)nla_data(a))->setting;
			break;
		case IFLA_VF_LINK_STATE:
			v->link_state = ((struct ifla_vf_link_state *)nla_data(a))->link_state;
			break;
		case IFLA_VF_RSS_QUERY_EN:
			v->rss = ((struct ifla_vf_rss_query_en *)nla_data(a))->setting;
			break;
		case IFLA_VF_STATS:
			v->has_stats = true;
			break;
		}
	}
}

/* The children of a nest whose 16-bit length may have wrapped, as the
 * kernel's does past 64 KiB: they run while their type is child_type.
 * Returns the true length and checks the header against it. */
static size_t walk_nest(struct nlattr *nest, const char *end, int child_type, bool *wrapped)
{
	char *p = nla_data(nest);
	size_t len;

	while (end - p >= NLA_HDRLEN) {
		struct nlattr *c = (struct nlattr *)p;

		if (nla_type(c) != child_type || c->nla_len < NLA_HDRLEN || c->nla_len > end - p)
			break;
		p += NLA_ALIGN(c->nla_len);
	}
	len = (size_t)(p - (char *)nest);
	assert_int_equal(nest->nla_len, len & 0xffff);
	*wrapped = len > 0xffff;
	return len;
}

static void parse_link(const struct vmfex_buf *reply, struct link_seen *l)
{
	struct nlmsghdr *h = (struct nlmsghdr *)reply->data;
	struct ifinfomsg *ifm;
	const char *end;
	char *p;

	memset(l, 0, sizeof(*l));
	l->num_vf = -1;
	assert_true(reply->len >= NLMSG_HDRLEN + sizeof(*ifm));
	assert_int_equal(h->nlmsg_type, RTM_NEWLINK);
	assert_int_equal(h->nlmsg_flags & NLM_F_MULTI, 0);
	ifm = NLMSG_DATA(h);
	assert_int_equal(ifm->ifi_family, AF_UNSPEC);
	assert_int_equal(ifm->ifi_type, 1 /* ARPHRD_ETHER */);
	l->ifindex = ifm->ifi_index;
	l->flags = ifm->ifi_flags;
	end = (const char *)h + h->nlmsg_len;
	p = (char *)h + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*ifm));
	while (end - p >= NLA_HDRLEN) {
		struct nlattr *a = (struct nlattr *)p;
		size_t len = a->nla_len;

		assert_true(len >= NLA_HDRLEN && (ptrdiff_t)len <= end - p);
		switch (nla_type(a)) {
		case IFLA_IFNAME:
			snprintf(l->ifname, sizeof(l->ifname), "%s", (char *)nla_data(a));
			break;
		case IFLA_ADDRESS:
			assert_int_equal(nla_len(a), 6);
			memcpy(l->addr, nla_data(a), 6);
			break;
		case IFLA_MTU:
			l->mtu = (int)nla_get_u32(a);
			break;
		case IFLA_NUM_VF:
			l->num_vf = (int)nla_get_u32(a);
			l->ports = calloc((size_t)l->num_vf + 1, sizeof(*l->ports));
			break;
		case IFLA_VFINFO_LIST: {
			char *c;

			l->has_vfinfo = true;
			len = walk_nest(a, end, IFLA_VF_INFO, &l->vfinfo_wrapped);
			l->vfs = calloc(l->num_vf + 1, sizeof(*l->vfs));
			for (c = nla_data(a); c < p + len; c += NLA_ALIGN(((struct nlattr *)c)->nla_len)) {
				assert_true(l->n_vfinfo < (size_t)l->num_vf);
				parse_vfinfo((struct nlattr *)c, &l->vfs[l->n_vfinfo++]);
			}
			break;
		}
		case IFLA_VF_PORTS: {
			char *c;

			l->has_vf_ports = true;
			len = walk_nest(a, end, IFLA_VF_PORT, &l->ports_wrapped);
			for (c = nla_data(a); c < p + len; c += NLA_ALIGN(((struct nlattr *)c)->nla_len)) {
				struct nlattr *port = (struct nlattr *)c, *vf;
				uint32_t idx;

				/* IFLA_PORT_VF comes first, put by rtnetlink. */
				vf = nla_data(port);
				assert_int_equal(nla_type(vf), IFLA_PORT_VF);
				idx = nla_get_u32(vf);
				assert_true(idx < (uint32_t)l->num_vf);
				assert_false(l->ports[idx].present);
				parse_port(nla_data(port), nla_len(port), &l->ports[idx]);
				l->n_ports++;
			}
			break;
		}
		case IFLA_PORT_SELF:
			parse_port(nla_data(a), nla_len(a), &l->self);
			break;
		}
		p += NLA_ALIGN(len);
	}
	assert_ptr_equal(p, end);
	/* One message, nothing after it. */
	assert_int_equal(NLMSG_ALIGN(h->nlmsg_len), reply->len);
}

static void link_free(struct link_seen *l)
{
	free(l->vfs);
	free(l->ports);
}

static void getlink_sim(struct vmfex_sim *sim, const char *ifname, uint32_t mask,
                        struct link_seen *l)
{
	struct nl_msg *msg = req_new(RTM_GETLINK, 0, 0, ifname);
	struct vmfex_buf reply;

	if (mask != (uint32_t)-1)
		assert_int_equal(nla_put_u32(msg, IFLA_EXT_MASK, mask), 0);
	transact_sim(sim, msg, &reply);
	parse_link(&reply, l);
	vmfex_buf_free(&reply);
}

static void getlink(struct sim_fixture *f, const char *ifname, uint32_t mask, struct link_seen *l)
{
	getlink_sim(vmfex_sim_of(f->ctx), ifname, mask, l);
}

#define VFMASK (RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS)

static const struct sim_port_rec *port_rec(struct sim_fixture *f, const char *pci, int vf,
                                           struct sim_ports *ports)
{
	struct vmfex_pci_addr a;
	const struct sim_device *dev;

	vmfex_pci_addr_parse(pci, &a);
	dev = vmfex_sim_desc_device(vmfex_sim_of(f->ctx)->desc, &a);
	assert_int_equal(sim_ports_load(vmfex_sim_of(f->ctx), pci, dev->has_sriov ? dev->sriov.total_vfs : 0,
	                                dev->has_sriov ? dev->sriov.num_vfs : 0, ports), 0);
	return sim_ports_get(ports, vf);
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* ---- Tests ---- */

static void addressing(void **state)
{
	struct sim_fixture f;
	struct vmfex_buf reply;
	struct nl_msg *msg;
	struct link_seen l;
	struct nlmsghdr *h;
	struct nlmsgerr *e;
	int idx;

	assert_int_equal(sim_fixture_open(&f, B200), 0);
	idx = ifindex_of(&f, PF0);
	assert_int_equal(send_err(&f, req_new(RTM_GETLINK, 0, 9999, NULL)), -ENODEV);
	assert_int_equal(send_err(&f, req_new(RTM_GETLINK, 0, 0, NULL)), -EINVAL);
	assert_int_equal(send_err(&f, req_new(RTM_GETLINK, 0, 0, "nosuch0")), -ENODEV);
	assert_int_equal(send_err(&f, req_new(RTM_SETLINK, 0, 9999, NULL)), -ENODEV);
	assert_int_equal(send_err(&f, req_new(RTM_SETLINK, 0, 0, NULL)), -EINVAL);
	/* A 16-character name breaks the policy before any look-up. */
	assert_int_equal(send_err(&f, req_new(RTM_GETLINK, 0, 0, "abcdefghijklmnop")), -ERANGE);
	/* Other requests are not simulated. */
	assert_int_equal(send_err(&f, req_new(RTM_GETADDR, 0, 0, NULL)), -EOPNOTSUPP);
	assert_int_equal(send_err(&f, req_new(RTM_NEWLINK, 0, idx, NULL)), -EOPNOTSUPP);

	/* By index and by name; seq and pid echoed; an ACK follows on request. */
	msg = req_new(RTM_GETLINK, NLM_F_ACK, idx, NULL);
	transact(&f, msg, &reply);
	h = (struct nlmsghdr *)reply.data;
	assert_int_equal(h->nlmsg_type, RTM_NEWLINK);
	h = (struct nlmsghdr *)(reply.data + NLMSG_ALIGN(h->nlmsg_len));
	assert_int_equal(h->nlmsg_type, NLMSG_ERROR);
	assert_int_equal(h->nlmsg_flags, NLM_F_CAPPED);
	assert_int_equal(h->nlmsg_len, NLMSG_HDRLEN + sizeof(struct nlmsgerr));
	e = NLMSG_DATA(h);
	assert_int_equal(e->error, 0);
	assert_int_equal(e->msg.nlmsg_type, RTM_GETLINK);
	vmfex_buf_free(&reply);
	getlink(&f, PF0, (uint32_t)-1, &l);
	assert_int_equal(l.ifindex, idx);
	assert_string_equal(l.ifname, PF0);
	assert_int_equal(l.mtu, 1500);
	assert_int_equal(l.flags & (IFF_UP | IFF_BROADCAST | IFF_MULTICAST),
	                 IFF_UP | IFF_BROADCAST | IFF_MULTICAST);
	/* 02:DD:DD:BB:devfn:00 from sysfs. */
	assert_memory_equal(l.addr, "\x02\x00\x00\x0a\x00\x00", 6);
	/* Without RTEXT_FILTER_VF: no VF information at all. */
	assert_int_equal(l.num_vf, -1);
	assert_false(l.has_vfinfo || l.has_vf_ports);
	link_free(&l);

	/* A refusal carries the whole request back, as by default. */
	msg = req_new(RTM_GETLINK, 0, 0, "nosuch0");
	transact(&f, msg, &reply);
	h = (struct nlmsghdr *)reply.data;
	e = NLMSG_DATA(h);
	assert_int_equal(h->nlmsg_flags, 0);
	assert_int_equal(e->error, -ENODEV);
	assert_int_equal(h->nlmsg_len, NLMSG_HDRLEN + sizeof(*e) + e->msg.nlmsg_len - NLMSG_HDRLEN);
	assert_memory_equal((char *)(e + 1) + sizeof(struct ifinfomsg) + NLA_HDRLEN, "nosuch0", 8);
	vmfex_buf_free(&reply);

	/* A message too short for ifinfomsg. */
	msg = nlmsg_alloc_simple(RTM_GETLINK, NLM_F_REQUEST);
	nlmsg_append(msg, "\0\0\0\0", 4, NLMSG_ALIGNTO);
	assert_int_equal(send_err(&f, msg), -EINVAL);
	/* No request flag, or nothing in it: ignored unless an ACK is asked. */
	msg = nlmsg_alloc_simple(RTM_GETLINK, 0);
	transact(&f, msg, &reply);
	assert_int_equal(reply.len, 0);
	msg = nlmsg_alloc_simple(RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(send_err(&f, msg), 0);
	sim_fixture_close(&f);
}

static void getlink_vf_info(void **state)
{
	struct sim_fixture f;
	struct link_seen l;

	assert_int_equal(sim_fixture_open(&f, B200), 0);
	getlink(&f, PF0, VFMASK, &l);
	assert_int_equal(l.num_vf, 16);
	assert_true(l.has_vfinfo);
	assert_int_equal(l.n_vfinfo, 16);
	assert_false(l.vfinfo_wrapped);
	assert_memory_equal(l.vfs[3].mac, "\0\0\0\0\0\0", 6);
	assert_int_equal(l.vfs[3].vlan_proto, htons(ETH_P_8021Q));
	/* enic has no spoof-check or trust op: rtnetlink's -1 stays. */
	assert_int_equal(l.vfs[3].spoofchk, (uint32_t)-1);
	assert_int_equal(l.vfs[3].trust, (uint32_t)-1);
	assert_false(l.vfs[3].has_stats);
	/* Ports: none applied yet, so an empty IFLA_VF_PORTS and no PORT_SELF
	 * (a PF is no dynamic vNIC). */
	assert_true(l.has_vf_ports);
	assert_int_equal(l.n_ports, 0);
	assert_false(l.self.present);
	link_free(&l);
	getlink(&f, PF0, RTEXT_FILTER_VF, &l);
	assert_true(l.vfs[0].has_stats);
	link_free(&l);
	/* The dynamic vNIC: no VFs, PORT_SELF left out before a request. */
	getlink(&f, DYN, VFMASK, &l);
	assert_int_equal(l.num_vf, 0);
	assert_int_equal(l.n_vfinfo, 0);
	assert_false(l.has_vf_ports);
	assert_false(l.self.present);
	link_free(&l);
	/* A VF's netdev: IFLA_NUM_VF 0. */
	getlink(&f, "enp10s0f0v2", VFMASK, &l);
	assert_int_equal(l.num_vf, 0);
	assert_false(l.has_vf_ports);
	link_free(&l);
	sim_fixture_close(&f);
}

static void port_policy(void **state)
{
	static const char p41[41] = "0123456789012345678901234567890123456789x";
	struct sim_fixture f;
	struct port_req ok = { .vf = -1, .request = PORT_REQUEST_ASSOCIATE,
	                       .profile = profile40("pp-vlan-25"), .profile_len = 40,
	                       .instance_len = 16, .host_len = 16 };
	struct port_req p;
	struct nl_msg *msg;
	struct nlattr *self;

	assert_int_equal(sim_fixture_open(&f, B200), 0);
#define SELF(dev, mod) (p = ok, mod, msg = setlink_new(dev), put_port_req(msg, &p), send_err(&f, msg))
	/* The port policy comes first, even where PORT_SELF is refused. */
	assert_int_equal(SELF(PF0, (p.profile = p41, p.profile_len = 41)), -ERANGE);
	assert_int_equal(SELF(PF0, p.profile_len = 0), -ERANGE);
	assert_int_equal(SELF(PF0, p.instance_len = 17), -ERANGE);
	assert_int_equal(SELF(PF0, p.host_len = 0), -ERANGE);
	/* HOST_UUID is a string to the kernel: 17 bytes pass if the last is NUL. */
	assert_int_equal(SELF(DYN, p.host_len = 17), -EINVAL);
	assert_int_equal(SELF(PF0, p.request = -1), -EOPNOTSUPP);
	/* A well-formed PORT_SELF on a PF: enic has no port of its own there. */
	assert_int_equal(SELF(PF0, (void)0), -EOPNOTSUPP);
	/* 40 characters and a NUL pass the policy, not enic. */
	assert_int_equal(SELF(DYN, (p.profile = "0123456789012345678901234567890123456789",
	                            p.profile_len = 41)), -EINVAL);
#undef SELF
	msg = setlink_new(PF0);
	self = nla_nest_start(msg, IFLA_PORT_SELF);
	nla_put(msg, IFLA_PORT_REQUEST, 0, NULL);
	nla_nest_end(msg, self);
	assert_int_equal(send_err(&f, msg), -ERANGE);
	msg = setlink_new(PF0);
	self = nla_nest_start(msg, IFLA_PORT_SELF);
	nla_put_u8(msg, IFLA_PORT_RESPONSE, 1);
	nla_nest_end(msg, self);
	assert_int_equal(send_err(&f, msg), -ERANGE);
	msg = setlink_new(PF0);
	self = nla_nest_start(msg, IFLA_PORT_SELF);
	nla_put(msg, IFLA_PORT_VSI_TYPE, sizeof(struct ifla_port_vsi) + 1, p41);
	nla_nest_end(msg, self);
	assert_int_equal(send_err(&f, msg), -ERANGE);
	/* Inside IFLA_VF_PORTS: a short PORT_VF, a missing PORT_VF, a foreign entry. */
	msg = setlink_new(PF0);
	self = nla_nest_start(msg, IFLA_VF_PORTS);
	{
		struct nlattr *port = nla_nest_start(msg, IFLA_VF_PORT);

		nla_put(msg, IFLA_PORT_VF, 3, "\0\0\0");
		nla_nest_end(msg, port);
	}
	nla_nest_end(msg, self);
	assert_int_equal(send_err(&f, msg), -ERANGE);
	msg = setlink_new(PF0);
	self = nla_nest_start(msg, IFLA_VF_PORTS);
	{
		struct nlattr *port = nla_nest_start(msg, IFLA_VF_PORT);

		nla_put_u8(msg, IFLA_PORT_REQUEST, PORT_REQUEST_ASSOCIATE);
		nla_nest_end(msg, port);
	}
	nla_nest_end(msg, self);
	assert_int_equal(send_err(&f, msg), -EOPNOTSUPP);
	msg = setlink_new(PF0);
	self = nla_nest_start(msg, IFLA_VF_PORTS);
	nla_put_u32(msg, 2, 0);
	nla_nest_end(msg, self);
	assert_int_equal(send_err(&f, msg), -EINVAL);
	sim_fixture_close(&f);
}

static void vf_policy(void **state)
{
	static const uint8_t zeros[64];
	static const struct {
		int type;
		size_t len;
	} short_attrs[] = {
		{ IFLA_VF_MAC, sizeof(struct ifla_vf_mac) - 1 },
		{ IFLA_VF_VLAN, sizeof(struct ifla_vf_vlan) - 1 },
		{ IFLA_VF_TX_RATE, sizeof(struct ifla_vf_tx_rate) - 1 },
		{ IFLA_VF_SPOOFCHK, sizeof(struct ifla_vf_spoofchk) - 1 },
		{ IFLA_VF_RATE, sizeof(struct ifla_vf_rate) - 1 },
		{ IFLA_VF_LINK_STATE, sizeof(struct ifla_vf_link_state) - 1 },
		{ IFLA_VF_RSS_QUERY_EN, sizeof(struct ifla_vf_rss_query_en) - 1 },
		{ IFLA_VF_TRUST, sizeof(struct ifla_vf_trust) - 1 },
		{ IFLA_VF_VLAN_LIST, 2 },
	};
	struct sim_fixture f;
	struct nl_msg *msg;
	struct nlattr *list;

	assert_int_equal(sim_fixture_open(&f, B200), 0);
	assert_int_equal(sizeof(struct ifla_vf_mac), 36);
	for (size_t i = 0; i < ARRAY_SIZE(short_attrs); i++)
		assert_int_equal(send_err(&f, vfinfo_req(PF0, short_attrs[i].type, zeros,
		                                          short_attrs[i].len)), -ERANGE);
	assert_int_equal(send_err(&f, vfinfo_req(PF0, IFLA_VF_BROADCAST, zeros, 32)), -EINVAL);
	/* An IFLA_VF_INFO with nothing do_setvfinfo knows: EINVAL. */
	assert_int_equal(send_err(&f, vfinfo_req(PF0, 30, zeros, 4)), -EINVAL);
	/* An entry that is not IFLA_VF_INFO. */
	msg = setlink_new(PF0);
	list = nla_nest_start(msg, IFLA_VFINFO_LIST);
	nla_put_u32(msg, 2, 0);
	nla_nest_end(msg, list);
	assert_int_equal(send_err(&f, msg), -EINVAL);
	/* Top level: an over-long and a short IFLA_ADDRESS, a 3-byte nest. */
	msg = setlink_new(PF0);
	nla_put(msg, IFLA_ADDRESS, 33, zeros);
	assert_int_equal(send_err(&f, msg), -ERANGE);
	msg = setlink_new(PF0);
	nla_put(msg, IFLA_ADDRESS, 5, zeros);
	assert_int_equal(send_err(&f, msg), -EINVAL);
	msg = setlink_new(PF0);
	nla_put(msg, IFLA_VF_PORTS, 3, zeros);
	assert_int_equal(send_err(&f, msg), -ERANGE);
	msg = req_new(RTM_GETLINK, 0, 0, PF0);
	nla_put(msg, IFLA_EXT_MASK, 2, zeros);
	assert_int_equal(send_err(&f, msg), -ERANGE);
	sim_fixture_close(&f);
}

/* veth's way: VF_PORTS refused unseen, PORT_SELF checked first. */
static void no_vf_port_driver(void **state)
{
	struct sim_fixture f;
	struct nl_msg *msg;
	struct nlattr *ports, *port;
	struct port_req p = { .vf = -1, .request = PORT_REQUEST_ASSOCIATE,
	                      .profile = profile40("x"), .profile_len = 40,
	                      .instance_len = 16, .host_len = 16 };

	assert_int_equal(sim_fixture_open(&f, MIXED), 0);
	msg = setlink_new("enp3s0f0");
	ports = nla_nest_start(msg, IFLA_VF_PORTS);
	port = nla_nest_start(msg, IFLA_VF_PORT);
	nla_put(msg, IFLA_PORT_PROFILE, 41, "0123456789012345678901234567890123456789x");
	nla_put(msg, IFLA_PORT_VF, 1, "");
	nla_nest_end(msg, port);
	nla_put_u32(msg, 7, 0);
	nla_nest_end(msg, ports);
	assert_int_equal(send_err(&f, msg), -EOPNOTSUPP);
	p.instance_len = 17;
	msg = setlink_new("enp3s0f0");
	put_port_req(msg, &p);
	assert_int_equal(send_err(&f, msg), -ERANGE);
	p.instance_len = 16;
	msg = setlink_new("ens3");
	put_port_req(msg, &p);
	assert_int_equal(send_err(&f, msg), -EOPNOTSUPP);
	sim_fixture_close(&f);
}

static void vf_config_ops(void **state)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0xac, 0xff, 0xb6 };
	static const uint8_t mcast[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	struct sim_fixture f;
	struct link_seen l;
	struct nl_msg *msg;
	struct nlattr *list, *info, *vl;
	char path[512];

	assert_int_equal(sim_fixture_open(&f, MIXED), 0);
	snprintf(path, sizeof(path), "%s/sysfs/bus/pci/devices/0000:03:00.0/sriov_numvfs", f.dir);
	assert_int_equal(vmfex_sysfs_write(f.ctx, path, "4"), 0);
	getlink(&f, "enp3s0f0", VFMASK, &l);
	assert_int_equal(l.num_vf, 4);
	assert_int_equal(l.n_vfinfo, 4);
	assert_int_equal(l.vfs[1].spoofchk, 1);
	assert_int_equal(l.vfs[1].trust, 0);
	assert_false(l.has_vf_ports);
	link_free(&l);

	{
		struct ifla_vf_mac m = { .vf = 1 };
		struct ifla_vf_vlan v = { .vf = 1, .vlan = 25, .qos = 3 };
		struct ifla_vf_rate r = { .vf = 1, .min_tx_rate = 100, .max_tx_rate = 1000 };
		struct ifla_vf_spoofchk s = { .vf = 1, .setting = 0 };
		struct ifla_vf_trust t = { .vf = 1, .setting = 1 };
		struct ifla_vf_link_state ls = { .vf = 1, .link_state = IFLA_VF_LINK_STATE_DISABLE };

		memcpy(m.mac, mac, 6);
		msg = setlink_new("enp3s0f0");
		list = nla_nest_start(msg, IFLA_VFINFO_LIST);
		info = nla_nest_start(msg, IFLA_VF_INFO);
		nla_put(msg, IFLA_VF_MAC, sizeof(m), &m);
		nla_put(msg, IFLA_VF_VLAN, sizeof(v), &v);
		nla_put(msg, IFLA_VF_RATE, sizeof(r), &r);
		nla_put(msg, IFLA_VF_SPOOFCHK, sizeof(s), &s);
		nla_put(msg, IFLA_VF_TRUST, sizeof(t), &t);
		nla_put(msg, IFLA_VF_LINK_STATE, sizeof(ls), &ls);
		nla_nest_end(msg, info);
		nla_nest_end(msg, list);
		assert_int_equal(send_err(&f, msg), 0);
	}
	getlink(&f, "enp3s0f0", VFMASK, &l);
	assert_memory_equal(l.vfs[1].mac, mac, 6);
	assert_int_equal(l.vfs[1].vlan, 25);
	assert_int_equal(l.vfs[1].qos, 3);
	assert_int_equal(l.vfs[1].min_rate, 100);
	assert_int_equal(l.vfs[1].max_rate, 1000);
	assert_int_equal(l.vfs[1].spoofchk, 0);
	assert_int_equal(l.vfs[1].trust, 1);
	assert_int_equal(l.vfs[1].link_state, IFLA_VF_LINK_STATE_DISABLE);
	assert_memory_equal(l.vfs[0].mac, "\0\0\0\0\0\0", 6);
	link_free(&l);

	/* Refusals: index, multicast, ranges, protocol. */
	{
		struct ifla_vf_mac m = { .vf = 4 };
		struct ifla_vf_vlan v = { .vf = 0, .vlan = 4096 };
		struct ifla_vf_rate r = { .vf = 0, .min_tx_rate = 200, .max_tx_rate = 100 };
		struct ifla_vf_link_state ls = { .vf = 0, .link_state = 3 };
		struct ifla_vf_vlan_info vi = { .vf = 2, .vlan = 100, .vlan_proto = htons(ETH_P_8021AD) };

		memcpy(m.mac, mac, 6);
		assert_int_equal(send_err(&f, vfinfo_req("enp3s0f0", IFLA_VF_MAC, &m, sizeof(m))), -EINVAL);
		m.vf = INT32_MAX;
		assert_int_equal(send_err(&f, vfinfo_req("enp3s0f0", IFLA_VF_MAC, &m, sizeof(m))), -EINVAL);
		m.vf = 0;
		memcpy(m.mac, mcast, 6);
		assert_int_equal(send_err(&f, vfinfo_req("enp3s0f0", IFLA_VF_MAC, &m, sizeof(m))), -EINVAL);
		assert_int_equal(send_err(&f, vfinfo_req("enp3s0f0", IFLA_VF_VLAN, &v, sizeof(v))), -EINVAL);
		v.vlan = 10;
		v.qos = 8;
		assert_int_equal(send_err(&f, vfinfo_req("enp3s0f0", IFLA_VF_VLAN, &v, sizeof(v))), -EINVAL);
		assert_int_equal(send_err(&f, vfinfo_req("enp3s0f0", IFLA_VF_RATE, &r, sizeof(r))), -EINVAL);
		r.max_tx_rate = 0;
		assert_int_equal(send_err(&f, vfinfo_req("enp3s0f0", IFLA_VF_RATE, &r, sizeof(r))), 0);
		assert_int_equal(send_err(&f, vfinfo_req("enp3s0f0", IFLA_VF_LINK_STATE, &ls, sizeof(ls))),
		                 -EINVAL);
		/* One IFLA_VF_VLAN_INFO: 802.1ad taken, another protocol not. */
		msg = setlink_new("enp3s0f0");
		list = nla_nest_start(msg, IFLA_VFINFO_LIST);
		info = nla_nest_start(msg, IFLA_VF_INFO);
		vl = nla_nest_start(msg, IFLA_VF_VLAN_LIST);
		nla_put(msg, IFLA_VF_VLAN_INFO, sizeof(vi), &vi);
		nla_nest_end(msg, vl);
		nla_nest_end(msg, info);
		nla_nest_end(msg, list);
		assert_int_equal(send_err(&f, msg), 0);
		vi.vlan_proto = htons(0x1234);
		msg = setlink_new("enp3s0f0");
		list = nla_nest_start(msg, IFLA_VFINFO_LIST);
		info = nla_nest_start(msg, IFLA_VF_INFO);
		vl = nla_nest_start(msg, IFLA_VF_VLAN_LIST);
		nla_put(msg, IFLA_VF_VLAN_INFO, sizeof(vi), &vi);
		nla_nest_end(msg, vl);
		nla_nest_end(msg, info);
		nla_nest_end(msg, list);
		assert_int_equal(send_err(&f, msg), -EPROTONOSUPPORT);
	}
	getlink(&f, "enp3s0f0", VFMASK, &l);
	assert_int_equal(l.vfs[2].vlan, 100);
	assert_int_equal(l.vfs[2].vlan_proto, htons(ETH_P_8021AD));
	link_free(&l);

	/* The first error ends the message; what came before stays. */
	{
		struct ifla_vf_mac m = { .vf = 3 };
		struct ifla_vf_vlan v = { .vf = 3, .vlan = 5000 };

		memcpy(m.mac, mac, 6);
		msg = setlink_new("enp3s0f0");
		list = nla_nest_start(msg, IFLA_VFINFO_LIST);
		info = nla_nest_start(msg, IFLA_VF_INFO);
		nla_put(msg, IFLA_VF_MAC, sizeof(m), &m);
		nla_nest_end(msg, info);
		info = nla_nest_start(msg, IFLA_VF_INFO);
		nla_put(msg, IFLA_VF_VLAN, sizeof(v), &v);
		nla_nest_end(msg, info);
		nla_nest_end(msg, list);
		assert_int_equal(send_err(&f, msg), -EINVAL);
	}
	getlink(&f, "enp3s0f0", VFMASK, &l);
	assert_memory_equal(l.vfs[3].mac, mac, 6);
	assert_int_equal(l.vfs[3].vlan, 0);
	link_free(&l);

	/* The PF's own address: set in sysfs; multicast refused. */
	msg = setlink_new("enp3s0f0");
	nla_put(msg, IFLA_ADDRESS, 6, mac);
	assert_int_equal(send_err(&f, msg), 0);
	assert_string_equal(sim_fixture_read(&f, "class/net/enp3s0f0/address", path, sizeof(path)),
	                    "52:54:00:ac:ff:b6");
	msg = setlink_new("enp3s0f0");
	nla_put(msg, IFLA_ADDRESS, 6, mcast);
	assert_int_equal(send_err(&f, msg), -EADDRNOTAVAIL);
	/* Unsimulated attributes are refused, not ignored. */
	msg = setlink_new("enp3s0f0");
	nla_put_u32(msg, IFLA_MTU, 9000);
	assert_int_equal(send_err(&f, msg), -EOPNOTSUPP);
	/* virtio has no VF ops at all. */
	{
		struct ifla_vf_mac m = { .vf = 0 };

		assert_int_equal(send_err(&f, vfinfo_req("ens3", IFLA_VF_MAC, &m, sizeof(m))),
		                 -EOPNOTSUPP);
	}
	sim_fixture_close(&f);
}

static void enic_vf_ops(void **state)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x07 };
	struct sim_fixture f;
	struct link_seen l;
	struct ifla_vf_mac m = { .vf = 7 };
	struct ifla_vf_vlan v = { .vf = 7, .vlan = 25 };

	assert_int_equal(sim_fixture_open(&f, B200), 0);
	memcpy(m.mac, mac, 6);
	assert_int_equal(send_err(&f, vfinfo_req(PF0, IFLA_VF_MAC, &m, sizeof(m))), 0);
	getlink(&f, PF0, VFMASK, &l);
	assert_memory_equal(l.vfs[7].mac, mac, 6);
	link_free(&l);
	/* enic has no VLAN op: the VLAN comes from the port profile. */
	assert_int_equal(send_err(&f, vfinfo_req(PF0, IFLA_VF_VLAN, &v, sizeof(v))), -EOPNOTSUPP);
	m.vf = 16;
	assert_int_equal(send_err(&f, vfinfo_req(PF0, IFLA_VF_MAC, &m, sizeof(m))), -EINVAL);
	/* No SR-IOV on the dynamic vNIC: enic says EOPNOTSUPP, not EINVAL. */
	m.vf = 0;
	assert_int_equal(send_err(&f, vfinfo_req(DYN, IFLA_VF_MAC, &m, sizeof(m))), -EOPNOTSUPP);
	/* libvirt's IFLA_VF_MAC with vf = -1 for PORT_SELF: EINVAL. */
	m.vf = (uint32_t)-1;
	assert_int_equal(send_err(&f, vfinfo_req(DYN, IFLA_VF_MAC, &m, sizeof(m))), -EINVAL);
	sim_fixture_close(&f);
}

static void enic_state_machine(void **state)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0xac, 0xff, 0xb6 };
	static const char name39[] = "abcdefghijklmnopqrstuvwxyz0123456789ABC";
	struct sim_fixture f;
	struct sim_ports ports;
	struct link_seen l;
	struct nl_msg *msg;
	struct port_req p;

	assert_int_equal(sim_fixture_open(&f, B200), 0);
	assert_int_equal(vmfex_sim_set_latency(f.ctx, 150), 0);

	/* No MAC at the adapter for VF 3: enic cannot provision it. Having
	 * disassociated first, it keeps nothing: still no data. */
	assert_int_equal(associate_vf(&f, 3, "pp-vlan-25", NULL), -EINVAL);
	assert_int_equal(port_rec(&f, "0000:0a:00.0", 3, &ports)->deinit_count, 1);
	sim_ports_free(&ports);
	getlink(&f, PF0, VFMASK, &l);
	assert_false(l.ports[3].present);
	link_free(&l);

	/* MAC then port in one message: INPROGRESS, then SUCCESS. */
	assert_int_equal(associate_vf(&f, 3, "pp-vlan-25", mac), 0);
	getlink(&f, PF0, VFMASK, &l);
	assert_int_equal(l.n_ports, 1);
	assert_true(l.ports[3].present);
	assert_int_equal(l.ports[3].request, PORT_REQUEST_ASSOCIATE);
	assert_int_equal(l.ports[3].request_len, 2);
	assert_int_equal(l.ports[3].response, PORT_PROFILE_RESPONSE_INPROGRESS);
	assert_int_equal(l.ports[3].profile_len, 40);
	assert_string_equal(l.ports[3].profile, "pp-vlan-25");
	assert_int_equal(l.ports[3].instance_len, 16);
	assert_int_equal(l.ports[3].host_len, 16);
	link_free(&l);
	sleep_ms(200);
	getlink(&f, PF0, VFMASK, &l);
	assert_int_equal(l.ports[3].response, PORT_PROFILE_RESPONSE_SUCCESS);
	link_free(&l);
	assert_int_equal(vmfex_sim_set_latency(f.ctx, 0), 0);

	/* PREASSOCIATE is refused and changes nothing. */
	assert_int_equal(port_request(&f, PF0, 3, PORT_REQUEST_PREASSOCIATE, "pp-vlan-25"),
	                 -EOPNOTSUPP);
	getlink(&f, PF0, VFMASK, &l);
	assert_int_equal(l.ports[3].request, PORT_REQUEST_ASSOCIATE);
	link_free(&l);
	/* Any other request number too. */
	assert_int_equal(port_request(&f, PF0, 3, 7, "pp-vlan-25"), -EOPNOTSUPP);

	/* PREASSOCIATE_RR, then the identical ASSOCIATE: no second deinit. */
	memcpy(l.addr, mac, 6);
	{
		struct ifla_vf_mac m = { .vf = 5 };

		memcpy(m.mac, mac, 6);
		m.mac[5] = 5;
		assert_int_equal(send_err(&f, vfinfo_req(PF0, IFLA_VF_MAC, &m, sizeof(m))), 0);
	}
	assert_int_equal(port_request(&f, PF0, 5, PORT_REQUEST_PREASSOCIATE_RR, "pp-vlan-25"), 0);
	assert_int_equal(port_rec(&f, "0000:0a:00.0", 5, &ports)->deinit_count, 1);
	sim_ports_free(&ports);
	/* enic reports PREASSOCIATE_RR (enable2_done) like ASSOCIATE. */
	getlink(&f, PF0, VFMASK, &l);
	assert_int_equal(l.ports[5].request, PORT_REQUEST_PREASSOCIATE_RR);
	assert_int_equal(l.ports[5].response, PORT_PROFILE_RESPONSE_SUCCESS);
	link_free(&l);
	assert_int_equal(port_request(&f, PF0, 5, PORT_REQUEST_ASSOCIATE, "pp-vlan-25"), 0);
	assert_int_equal(port_rec(&f, "0000:0a:00.0", 5, &ports)->deinit_count, 1);
	sim_ports_free(&ports);
	/* A different profile after PREASSOCIATE_RR disassociates first. */
	assert_int_equal(port_request(&f, PF0, 5, PORT_REQUEST_PREASSOCIATE_RR, "pp-a"), 0);
	assert_int_equal(port_request(&f, PF0, 5, PORT_REQUEST_ASSOCIATE, "pp-b"), 0);
	assert_int_equal(port_rec(&f, "0000:0a:00.0", 5, &ports)->deinit_count, 3);
	sim_ports_free(&ports);

	/* Profile lengths: 39 characters and the NUL are 40 bytes, fine;
	 * libvirt's strlen + 1 of a shorter name is not, and the port stays. */
	assert_int_equal(port_request(&f, PF0, 5, PORT_REQUEST_ASSOCIATE, name39), 0);
	p = (struct port_req){ .vf = 5, .request = PORT_REQUEST_ASSOCIATE, .profile = "pp-vlan-25",
	                       .profile_len = 11, .instance_len = 16, .host_len = 16 };
	msg = setlink_new(PF0);
	put_port_req(msg, &p);
	assert_int_equal(send_err(&f, msg), -EINVAL);
	p.profile = profile40("pp-vlan-25");
	p.profile_len = 40;
	p.instance_len = 15;
	msg = setlink_new(PF0);
	put_port_req(msg, &p);
	assert_int_equal(send_err(&f, msg), -EINVAL);
	getlink(&f, PF0, VFMASK, &l);
	assert_string_equal(l.ports[5].profile, name39);
	link_free(&l);
	/* An empty profile passes the lengths but not enic_set_port_profile. */
	assert_int_equal(port_request(&f, PF0, 5, PORT_REQUEST_ASSOCIATE, ""), -EINVAL);

	/* VF index out of range. */
	assert_int_equal(port_request(&f, PF0, 16, PORT_REQUEST_ASSOCIATE, "x"), -EINVAL);
	assert_int_equal(port_request(&f, PF0, 1000, PORT_REQUEST_DISASSOCIATE, NULL), -EINVAL);

	/* DISASSOCIATE needs no profile and is reported as such. */
	assert_int_equal(port_request(&f, PF0, 3, PORT_REQUEST_DISASSOCIATE, NULL), 0);
	getlink(&f, PF0, VFMASK, &l);
	assert_int_equal(l.ports[3].request, PORT_REQUEST_DISASSOCIATE);
	assert_int_equal(l.ports[3].response, PORT_PROFILE_RESPONSE_SUCCESS);
	assert_int_equal(l.ports[3].profile_len, 0);
	link_free(&l);
	sim_fixture_close(&f);
}

static void enic_port_self(void **state)
{
	struct sim_fixture f;
	struct link_seen l;
	char buf[64];

	assert_int_equal(sim_fixture_open(&f, B200), 0);
	assert_int_equal(port_request(&f, PF0, -1, PORT_REQUEST_ASSOCIATE, "pp-vlan-25"),
	                 -EOPNOTSUPP);
	assert_int_equal(port_request(&f, "enp10s0f0v1", -1, PORT_REQUEST_ASSOCIATE, "pp-vlan-25"),
	                 -EOPNOTSUPP);
	/* A VF index on a function without SR-IOV. */
	assert_int_equal(port_request(&f, DYN, 0, PORT_REQUEST_ASSOCIATE, "pp-vlan-25"),
	                 -EOPNOTSUPP);
	assert_int_equal(port_request(&f, DYN, -1, PORT_REQUEST_ASSOCIATE, "pp-vlan-25"), 0);
	getlink(&f, DYN, VFMASK, &l);
	assert_true(l.self.present);
	assert_int_equal(l.self.request, PORT_REQUEST_ASSOCIATE);
	assert_int_equal(l.self.response, PORT_PROFILE_RESPONSE_SUCCESS);
	assert_string_equal(l.self.profile, "pp-vlan-25");
	link_free(&l);
	/* DISASSOCIATE of PORT_SELF clears the vNIC's MAC; the next request
	 * gives it a random one. */
	assert_int_equal(port_request(&f, DYN, -1, PORT_REQUEST_DISASSOCIATE, NULL), 0);
	assert_string_equal(sim_fixture_read(&f, "class/net/" DYN "/address", buf, sizeof(buf)),
	                    "00:00:00:00:00:00");
	assert_int_equal(port_request(&f, DYN, -1, PORT_REQUEST_ASSOCIATE, "pp-vlan-25"), 0);
	getlink(&f, DYN, VFMASK, &l);
	assert_false(l.addr[0] & 1);
	assert_true(l.addr[0] & 2);
	link_free(&l);
	sim_fixture_close(&f);
}

static void injected_failures(void **state)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x01 };
	struct vmfex_sim_inject_opts o = { .sz = sizeof(o), .count = 2,
	                                   .response = PORT_PROFILE_RESPONSE_BADSTATE };
	struct sim_fixture f;
	struct link_seen l;
	struct vmfex_ctx *plain;
	struct vmfex_new_opts nopts = { .sz = sizeof(nopts), .ignore_env = 1, .sysfs_root = "/sys" };

	assert_int_equal(sim_fixture_open(&f, B200), 0);
	assert_int_equal(vmfex_sim_inject(f.ctx, &o), 0);
	assert_int_equal(associate_vf(&f, 0, "pp", mac), 0);
	assert_int_equal(associate_vf(&f, 1, "pp", mac), 0);
	assert_int_equal(associate_vf(&f, 2, "pp", mac), 0);
	getlink(&f, PF0, VFMASK, &l);
	assert_int_equal(l.ports[0].response, PORT_PROFILE_RESPONSE_BADSTATE);
	assert_int_equal(l.ports[1].response, PORT_PROFILE_RESPONSE_BADSTATE);
	assert_int_equal(l.ports[2].response, PORT_PROFILE_RESPONSE_SUCCESS);
	link_free(&l);
	o.response = PORT_PROFILE_RESPONSE_INSUFFICIENT_RESOURCES;
	o.count = 1;
	assert_int_equal(vmfex_sim_inject(f.ctx, &o), 0);
	/* An errno: the request fails, the port is as it was, and the
	 * pending response is left for the next request. */
	o = (struct vmfex_sim_inject_opts){ .sz = sizeof(o), .count = 1, .error = EIO };
	assert_int_equal(vmfex_sim_inject(f.ctx, &o), 0);
	assert_int_equal(port_request(&f, PF0, 2, PORT_REQUEST_DISASSOCIATE, NULL), -EIO);
	getlink(&f, PF0, VFMASK, &l);
	assert_int_equal(l.ports[2].request, PORT_REQUEST_ASSOCIATE);
	link_free(&l);
	assert_int_equal(port_request(&f, PF0, 2, PORT_REQUEST_DISASSOCIATE, NULL), 0);
	getlink(&f, PF0, VFMASK, &l);
	assert_int_equal(l.ports[2].response, PORT_PROFILE_RESPONSE_INSUFFICIENT_RESOURCES);
	link_free(&l);
	/* INPROGRESS for good: what a caller's timeout is for. */
	o = (struct vmfex_sim_inject_opts){ .sz = sizeof(o), .count = 1,
	                                    .response = PORT_PROFILE_RESPONSE_INPROGRESS };
	assert_int_equal(vmfex_sim_inject(f.ctx, &o), 0);
	assert_int_equal(associate_vf(&f, 4, "pp", mac), 0);
	getlink(&f, PF0, VFMASK, &l);
	assert_int_equal(l.ports[4].response, PORT_PROFILE_RESPONSE_INPROGRESS);
	link_free(&l);

	/* Refused options. */
	o = (struct vmfex_sim_inject_opts){ .sz = sizeof(o), .count = 1 };
	assert_int_equal(vmfex_sim_inject(f.ctx, &o), -EINVAL);
	o.response = 0x99;
	assert_int_equal(vmfex_sim_inject(f.ctx, &o), -EINVAL);
	o.response = PORT_PROFILE_RESPONSE_ERROR;
	o.error = EIO;
	assert_int_equal(vmfex_sim_inject(f.ctx, &o), -EINVAL);
	assert_int_equal(vmfex_sim_inject(f.ctx, NULL), -EINVAL);
	assert_int_equal(vmfex_sim_set_latency(f.ctx, 3600001), -EINVAL);

	/* Not on a simulated host. */
	assert_int_equal(vmfex_new_with_opts(&nopts, &plain), 0);
	vmfex_set_log_fn(plain, sim_fixture_log, &f);
	assert_int_equal(vmfex_sim_set_latency(plain, 1), -ENOTSUP);
	assert_int_equal(vmfex_sim_inject(plain, &o), -ENOTSUP);
	assert_non_null(strstr(f.log, "not on a simulated host"));
	vmfex_unref(plain);
	sim_fixture_close(&f);
}

static void shared_between_contexts(void **state)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x09 };
	struct vmfex_new_opts opts = { .sz = sizeof(opts), .ignore_env = 1 };
	struct sim_fixture f;
	struct vmfex_ctx *other;
	struct link_seen l;
	unsigned int ms;

	assert_int_equal(sim_fixture_open(&f, B200), 0);
	opts.sim_dir = f.dir;
	assert_int_equal(vmfex_new_with_opts(&opts, &other), 0);
	assert_int_equal(vmfex_sim_set_latency(other, 1000), 0);
	assert_int_equal(vmfex_sim_read_latency(f.ctx, &ms), 0);
	assert_int_equal(ms, 1000);
	assert_int_equal(associate_vf(&f, 9, "pp-shared", mac), 0);
	getlink_sim(vmfex_sim_of(other), PF0, VFMASK, &l);
	assert_true(l.ports[9].present);
	assert_int_equal(l.ports[9].response, PORT_PROFILE_RESPONSE_INPROGRESS);
	assert_string_equal(l.ports[9].profile, "pp-shared");
	assert_memory_equal(l.vfs[9].mac, mac, 6);
	link_free(&l);
	vmfex_unref(other);
	sim_fixture_close(&f);
}

/* msgs (freed) in one buffer, numbered 1..n, as one sendmsg() hands
 * them to rtnetlink; the reply, whole messages in the requests' order. */
static void transact_many(struct sim_fixture *f, struct nl_msg **msgs, size_t n,
                          struct vmfex_buf *reply)
{
	struct vmfex_buf out = { 0 };
	uint32_t last = 0;
	size_t off = 0;

	for (size_t i = 0; i < n; i++) {
		struct nlmsghdr *h = nlmsg_hdr(msgs[i]);

		h->nlmsg_seq = (uint32_t)i + 1;
		h->nlmsg_pid = 777;
		assert_int_equal(vmfex_buf_append(&out, h, NLMSG_ALIGN(h->nlmsg_len)), 0);
		nlmsg_free(msgs[i]);
	}
	memset(reply, 0, sizeof(*reply));
	assert_int_equal(vmfex_sim_rtnl_many(vmfex_sim_of(f->ctx), out.data, out.len, reply), 0);
	while (off < reply->len) {
		struct nlmsghdr *r = (struct nlmsghdr *)(reply->data + off);

		assert_true(r->nlmsg_len >= NLMSG_HDRLEN && r->nlmsg_len <= reply->len - off);
		assert_true(r->nlmsg_seq >= last);
		last = r->nlmsg_seq;
		off += NLMSG_ALIGN(r->nlmsg_len);
	}
	vmfex_buf_free(&out);
}

/* The answer to request seq in a reply: its errno (0 an ACK), 1 for
 * an RTM_NEWLINK, 2 for none. */
static int answer_of(const struct vmfex_buf *reply, uint32_t seq)
{
	for (size_t off = 0; off < reply->len;) {
		const struct nlmsghdr *r = (const struct nlmsghdr *)(reply->data + off);

		if (r->nlmsg_seq == seq)
			return r->nlmsg_type == NLMSG_ERROR ? ((const struct nlmsgerr *)NLMSG_DATA(r))->error
			                                    : r->nlmsg_type == RTM_NEWLINK;
		off += NLMSG_ALIGN(r->nlmsg_len);
	}
	return 2;
}

static struct nl_msg *associate_msg(const char *ifname, int vf, int request, const uint8_t *mac,
                                    int flags)
{
	struct port_req p = { .vf = vf, .request = request, .profile = profile40("pp-one-buffer"),
	                      .profile_len = 40, .instance_len = 16, .host_len = 16 };
	struct nl_msg *msg = req_new(RTM_SETLINK, flags, 0, ifname);

	if (mac)
		put_vf_mac(msg, (uint32_t)vf, mac);
	put_port_req(msg, &p);
	return msg;
}

/* Several requests in one buffer are served one after the other, as
 * netlink_rcv_skb() serves them: each answered on its own, a refused
 * one not stopping the next, each seeing what the ones before did. */
static void requests_in_one_buffer(void **state)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x0b, 0x0f, 0x01 };
	struct vmfex_sim_inject_opts o = { .sz = sizeof(o), .count = 1, .error = EIO };
	struct vmfex_buf reply;
	struct nl_msg *msgs[8];
	struct sim_fixture f;
	struct sim_ports ports;
	struct link_seen l;

	assert_int_equal(sim_fixture_open(&f, B200), 0);
	assert_int_equal(vmfex_sim_set_latency(f.ctx, 10000), 0);
	msgs[0] = associate_msg(PF0, 0, PORT_REQUEST_ASSOCIATE, mac, NLM_F_ACK);
	msgs[1] = associate_msg(PF0, 16, PORT_REQUEST_ASSOCIATE, mac, NLM_F_ACK);
	msgs[2] = associate_msg("enp99s0", 1, PORT_REQUEST_ASSOCIATE, mac, NLM_F_ACK);
	msgs[3] = associate_msg(PF0, 1, PORT_REQUEST_ASSOCIATE, mac, NLM_F_ACK);
	msgs[4] = req_new(RTM_GETLINK, 0, 0, PF0);
	assert_int_equal(nla_put_u32(msgs[4], IFLA_EXT_MASK, VFMASK), 0);
	/* Another device between two requests for the first. */
	msgs[5] = associate_msg("enp11s0f0", 2, PORT_REQUEST_ASSOCIATE, mac, NLM_F_ACK);
	/* Without NLM_F_ACK a request that succeeds is not answered. */
	msgs[6] = associate_msg(PF0, 0, PORT_REQUEST_DISASSOCIATE, NULL, 0);
	msgs[7] = associate_msg(PF0, 3, PORT_REQUEST_ASSOCIATE, NULL, 0);
	transact_many(&f, msgs, 8, &reply);
	assert_int_equal(answer_of(&reply, 1), 0);
	assert_int_equal(answer_of(&reply, 2), -EINVAL);
	assert_int_equal(answer_of(&reply, 3), -ENODEV);
	assert_int_equal(answer_of(&reply, 4), 0);
	assert_int_equal(answer_of(&reply, 5), 1);
	assert_int_equal(answer_of(&reply, 6), 0);
	assert_int_equal(answer_of(&reply, 7), 2);
	/* No MAC at the adapter for VF 3: refused, so answered. */
	assert_int_equal(answer_of(&reply, 8), -EINVAL);
	/* The GETLINK in the middle saw the two associations before it. */
	for (size_t off = 0;; ) {
		struct nlmsghdr *r = (struct nlmsghdr *)(reply.data + off);
		struct vmfex_buf one = { .data = (uint8_t *)r, .len = r->nlmsg_len };

		assert_true(off < reply.len);
		off += NLMSG_ALIGN(r->nlmsg_len);
		if (r->nlmsg_seq != 5)
			continue;
		parse_link(&one, &l);
		assert_int_equal(l.ports[0].request, PORT_REQUEST_ASSOCIATE);
		assert_int_equal(l.ports[1].request, PORT_REQUEST_ASSOCIATE);
		assert_false(l.ports[3].present);
		link_free(&l);
		break;
	}
	vmfex_buf_free(&reply);
	/* What the buffer did is in the host's state, for every process. */
	assert_int_equal(port_rec(&f, "0000:0a:00.0", 0, &ports)->pp_request, PORT_REQUEST_DISASSOCIATE);
	assert_int_equal(sim_ports_get(&ports, 1)->pp_request, PORT_REQUEST_ASSOCIATE);
	assert_int_equal(sim_ports_get(&ports, 1)->pp_set & SIM_PP_APPLIED, SIM_PP_APPLIED);
	sim_ports_free(&ports);
	assert_int_equal(port_rec(&f, "0000:0b:00.0", 2, &ports)->pp_request, PORT_REQUEST_ASSOCIATE);
	sim_ports_free(&ports);

	/* An injected failure hits the first request of the buffer only, and
	 * is used up for the requests after it. */
	assert_int_equal(vmfex_sim_inject(f.ctx, &o), 0);
	msgs[0] = associate_msg(PF0, 4, PORT_REQUEST_ASSOCIATE, mac, NLM_F_ACK);
	msgs[1] = associate_msg(PF0, 5, PORT_REQUEST_ASSOCIATE, mac, NLM_F_ACK);
	transact_many(&f, msgs, 2, &reply);
	assert_int_equal(answer_of(&reply, 1), -EIO);
	assert_int_equal(answer_of(&reply, 2), 0);
	vmfex_buf_free(&reply);
	assert_int_equal(port_request(&f, PF0, 4, PORT_REQUEST_DISASSOCIATE, NULL), 0);
	getlink(&f, PF0, VFMASK, &l);
	assert_int_equal(l.ports[5].request, PORT_REQUEST_ASSOCIATE);
	assert_int_equal(l.ports[4].request, PORT_REQUEST_DISASSOCIATE);
	link_free(&l);
	sim_fixture_close(&f);
}

static double elapsed_ms(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) * 1e3 + (double)(b.tv_nsec - a->tv_nsec) / 1e6;
}

/* A PF of 4096 VFs: every VF in one reply, nests wrapped as the kernel
 * wraps them, and 256 associations in one SETLINK. */
static void many_vfs(void **state)
{
	static const char *host =
		"{ \"description\": \"4096 VFs\", \"drivers\": [ { \"name\": \"enic\","
		"  \"vf_ops\": [\"mac\"], \"vf_port\": true } ],"
		"  \"devices\": [ { \"pci\": \"0000:10:00.0\", \"vendor\": \"0x1137\","
		"    \"device\": \"0x0043\", \"driver\": \"enic\", \"ifname\": \"enp16s0f0\","
		"    \"sriov\": { \"total_vfs\": 4096, \"num_vfs\": 4096, \"vf_device\": \"0x0071\" } } ] }";
	struct sim_fixture f;
	struct link_seen l;
	struct nl_msg *msg;
	struct nlattr *list, *ports;
	struct timespec t0;
	struct vmfex_buf reply;
	double ms_get, ms_set, ms_get_full;

	assert_int_equal(sim_fixture_open(&f, host), 0);
	getlink(&f, "enp16s0f0", VFMASK, &l);
	assert_int_equal(l.num_vf, 4096);
	assert_int_equal(l.n_vfinfo, 4096);
	assert_true(l.vfinfo_wrapped);
	assert_int_equal(l.n_ports, 0);
	link_free(&l);

	/* 256 ports in one message: a MAC each, then the port. */
	msg = nlmsg_alloc_size(1 << 20);
	{
		struct ifinfomsg ifm = { .ifi_family = AF_UNSPEC };
		struct nlmsghdr *h = nlmsg_put(msg, 0, 0, RTM_SETLINK, 0, NLM_F_REQUEST | NLM_F_ACK);

		assert_non_null(h);
		nlmsg_append(msg, &ifm, sizeof(ifm), NLMSG_ALIGNTO);
		nla_put_string(msg, IFLA_IFNAME, "enp16s0f0");
	}
	list = nla_nest_start(msg, IFLA_VFINFO_LIST);
	for (uint32_t vf = 0; vf < 4096; vf += 16) {
		struct ifla_vf_mac m = { .vf = vf, .mac = { 0x52, 0x54, 0, 0, (uint8_t)(vf >> 8), (uint8_t)vf } };
		struct nlattr *info = nla_nest_start(msg, IFLA_VF_INFO);

		nla_put(msg, IFLA_VF_MAC, sizeof(m), &m);
		nla_nest_end(msg, info);
	}
	nla_nest_end(msg, list);
	ports = nla_nest_start(msg, IFLA_VF_PORTS);
	for (uint32_t vf = 0; vf < 4096; vf += 16) {
		struct nlattr *port = nla_nest_start(msg, IFLA_VF_PORT);

		nla_put_u32(msg, IFLA_PORT_VF, vf);
		put_port(msg, &(struct port_req){ .request = PORT_REQUEST_ASSOCIATE,
		                                  .profile = profile40("pp-vlan-25"), .profile_len = 40,
		                                  .instance_len = 16, .host_len = 16 });
		nla_nest_end(msg, port);
	}
	nla_nest_end(msg, ports);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(send_err(&f, msg), 0);
	ms_set = elapsed_ms(&t0);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	msg = req_new(RTM_GETLINK, 0, 0, "enp16s0f0");
	nla_put_u32(msg, IFLA_EXT_MASK, VFMASK);
	transact(&f, msg, &reply);
	ms_get = elapsed_ms(&t0);
	print_message("4096-VF RTM_NEWLINK: %zu bytes in %.2f ms; SETLINK of 256 ports: %.2f ms\n",
	              reply.len, ms_get, ms_set);
	parse_link(&reply, &l);
	vmfex_buf_free(&reply);
	assert_int_equal(l.n_vfinfo, 4096);
	assert_int_equal(l.n_ports, 256);
	/* 256 ports are some 28 KiB: this nest keeps its true length. */
	assert_false(l.ports_wrapped);
	assert_true(l.ports[4080].present);
	assert_false(l.ports[4081].present);
	assert_int_equal(l.ports[4080].response, PORT_PROFILE_RESPONSE_SUCCESS);
	assert_int_equal(l.vfs[4080].mac[4], 4080 >> 8);
	assert_int_equal(l.vfs[4080].mac[5], 4080 & 0xff);
	link_free(&l);

	/* With the VFs' statistics too. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	msg = req_new(RTM_GETLINK, 0, 0, "enp16s0f0");
	nla_put_u32(msg, IFLA_EXT_MASK, RTEXT_FILTER_VF);
	transact(&f, msg, &reply);
	ms_get_full = elapsed_ms(&t0);
	print_message("4096-VF RTM_NEWLINK with VF statistics: %zu bytes in %.2f ms\n", reply.len,
	              ms_get_full);
	parse_link(&reply, &l);
	assert_int_equal(l.n_vfinfo, 4096);
	assert_true(l.vfs[4095].has_stats);
	link_free(&l);
	vmfex_buf_free(&reply);

	/* A dump lists the PF too, each message marked multi-part. */
	msg = req_new(RTM_GETLINK, NLM_F_DUMP, 0, NULL);
	transact(&f, msg, &reply);
	{
		struct nlmsghdr *h = (struct nlmsghdr *)reply.data;

		assert_int_equal(h->nlmsg_type, RTM_NEWLINK);
		assert_int_equal(h->nlmsg_flags & NLM_F_MULTI, NLM_F_MULTI);
		h = (struct nlmsghdr *)(reply.data + NLMSG_ALIGN(h->nlmsg_len));
		assert_int_equal(h->nlmsg_type, NLMSG_DONE);
	}
	vmfex_buf_free(&reply);
	sim_fixture_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(addressing),
		cmocka_unit_test(getlink_vf_info),
		cmocka_unit_test(port_policy),
		cmocka_unit_test(vf_policy),
		cmocka_unit_test(no_vf_port_driver),
		cmocka_unit_test(vf_config_ops),
		cmocka_unit_test(enic_vf_ops),
		cmocka_unit_test(enic_state_machine),
		cmocka_unit_test(enic_port_self),
		cmocka_unit_test(injected_failures),
		cmocka_unit_test(shared_between_contexts),
		cmocka_unit_test(requests_in_one_buffer),
		cmocka_unit_test(many_vfs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
