/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The Cisco VIC as the enic driver drives it: ndo_set_vf_mac,
 * ndo_set_vf_port and ndo_get_vf_port of enic_main.c and the port-profile
 * requests of enic_pp.c (DOMAIN.md section 5). The adapter's firmware is
 * reduced to what the driver can see of it: a command fails or not, and
 * enable2_done/deinit_done answer INPROGRESS until the host's latency has
 * passed since the request, then the outcome. */
#include <errno.h>
#include <linux/if_link.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <string.h>
#include <sys/random.h>

#include "sim-private.h"

static bool mac_is_zero(const uint8_t *m)
{
	static const uint8_t zero[6];

	return memcmp(m, zero, 6) == 0;
}

/* is_valid_ether_addr(): neither multicast nor zero. */
static bool mac_is_valid(const uint8_t *m)
{
	return !(m[0] & 1) && !mac_is_zero(m);
}

/* enic_is_valid_pp_vf(): a VF needs SR-IOV enabled and an index below
 * num_vfs; PORT_SELF only exists on a dynamic vNIC. */
int sim_enic_check_vf(const struct sim_rtnl_dev *d, int vf)
{
	if (vf != SIM_PORT_SELF_VF) {
		if (!d->nd.sriov)
			return -EOPNOTSUPP;
		if (vf < 0 || (unsigned int)vf >= d->nd.num_vfs)
			return -EINVAL;
		return 0;
	}
	return d->nd.device == VMFEX_PCI_DEVICE_VIC_DYNAMIC ? 0 : -EOPNOTSUPP;
}

int sim_enic_set_vf_mac(struct sim_rtnl_dev *d, int vf, const uint8_t mac[6])
{
	struct sim_port_rec *rec;
	int r;

	r = sim_enic_check_vf(d, vf);
	if (r < 0)
		return r;
	if (!mac_is_valid(mac) && !mac_is_zero(mac))
		return -EINVAL;
	/* The VF's MAC is set in the adapter, where set_vf_port reads it. */
	rec = sim_ports_get(&d->ports, vf);
	memcpy(rec->mac, mac, 6);
	sim_ports_dirty(&d->ports, vf);
	return 0;
}

/* The port-profile part of a record: what enic memsets and restores. */
static void pp_clear(struct sim_port_rec *r)
{
	r->pp_set = 0;
	r->pp_request = 0;
	memset(r->pp_mac, 0, sizeof(r->pp_mac));
	r->outcome = 0;
	r->applied_ns = r->done_ns = 0;
	memset(r->profile, 0, sizeof(r->profile));
	memset(r->instance_uuid, 0, sizeof(r->instance_uuid));
	memset(r->host_uuid, 0, sizeof(r->host_uuid));
}

static void pp_restore(struct sim_port_rec *r, const struct sim_port_rec *prev)
{
	uint32_t deinit = r->deinit_count;

	pp_clear(r);
	r->pp_set = prev->pp_set;
	r->pp_request = prev->pp_request;
	memcpy(r->pp_mac, prev->pp_mac, sizeof(r->pp_mac));
	r->outcome = prev->outcome;
	r->applied_ns = prev->applied_ns;
	r->done_ns = prev->done_ns;
	memcpy(r->profile, prev->profile, sizeof(r->profile));
	memcpy(r->instance_uuid, prev->instance_uuid, sizeof(r->instance_uuid));
	memcpy(r->host_uuid, prev->host_uuid, sizeof(r->host_uuid));
	r->deinit_count = deinit;
}

/* One port request on its way through enic_pp.c. */
struct pp_req {
	struct sim_rtnl_dev *d;
	int vf;
	struct sim_port_rec *pp;           /* the new state, in the record */
	const struct sim_port_rec *prev;   /* the state before */
	bool restore;                      /* enic's restore_pp */
	bool fail_decided;
	int fail;                          /* injected: what the adapter answers */
};

static int load_adapter(struct sim_rtnl_dev *d)
{
	int r;

	if (d->adapter_loaded)
		return 0;
	r = sim_adapter_load(d->sim, &d->adapter);
	if (r < 0) {
		ERR(d->sim->ctx, "sim: cannot read the adapter settings: %s", strerror(-r));
		return r;
	}
	d->adapter_loaded = true;
	return 0;
}

/* A firmware command whose status enic checks (deinit, init_prov2,
 * enable2, get_mac_addr). An injected errno is the answer to the first
 * such command of each of the next N requests; enic then gives up, and
 * what it restores depends on how far the request got, as in the driver. */
static int devcmd(struct pp_req *q)
{
	struct sim_adapter *a = &q->d->adapter;

	if (!q->fail_decided) {
		q->fail_decided = true;
		if (a->inject_errno_count) {
			a->inject_errno_count--;
			q->d->adapter_dirty = true;
			q->fail = -a->inject_errno;
		}
	}
	return q->fail;
}

static int pp_disassociate(struct pp_req *q)
{
	int r;

	/* The MAC is deleted (a failure there is ignored), then deinit. */
	r = devcmd(q);
	if (r < 0)
		return r;
	q->pp->deinit_count++;
	return 0;
}

/* enic_set_port_profile(): provision with the name and the client MAC. */
static int set_port_profile(struct pp_req *q)
{
	struct sim_port_rec *pp = q->pp;

	if (!(pp->pp_set & SIM_PP_SET_NAME) || !strnlen(pp->profile, sizeof(pp->profile)))
		return -EINVAL;
	/* A VF's MAC comes from the adapter; PORT_SELF uses the netdev's. */
	if (mac_is_zero(pp->pp_mac) && q->vf != SIM_PORT_SELF_VF) {
		ERR(q->d->sim->ctx, "sim: %s: enic: cannot find pp mac address for VF %d",
		    q->d->nd.ifname, q->vf);
		return -EINVAL;
	}
	return devcmd(q);
}

static int pp_preassociate_rr(struct pp_req *q)
{
	bool standalone = q->pp->pp_request != PORT_REQUEST_ASSOCIATE;
	int r;

	if (standalone) {
		r = pp_disassociate(q);
		if (r < 0)
			return r;
	}
	q->restore = false;
	r = set_port_profile(q);
	if (r < 0)
		return r;
	/* Enabled as standby unless part of an ASSOCIATE. */
	return standalone ? devcmd(q) : 0;
}

/* enic_are_pp_different(). */
static bool pp_different(const struct sim_port_rec *a, const struct sim_port_rec *b)
{
	return strncmp(a->profile, b->profile, SIM_PORT_PROFILE_MAX) != 0 ||
	       memcmp(a->instance_uuid, b->instance_uuid, SIM_PORT_UUID_MAX) != 0 ||
	       memcmp(a->host_uuid, b->host_uuid, SIM_PORT_UUID_MAX) != 0 ||
	       memcmp(a->pp_mac, b->pp_mac, 6) != 0;
}

static int pp_associate(struct pp_req *q)
{
	int r;

	/* Only an identical PREASSOCIATE_RR spares the disassociate. */
	if (q->prev->pp_request != PORT_REQUEST_PREASSOCIATE_RR || pp_different(q->prev, q->pp)) {
		r = pp_disassociate(q);
		if (r < 0)
			return r;
		q->restore = false;
	}
	r = pp_preassociate_rr(q);
	if (r < 0)
		return r;
	q->restore = false;
	/* Enabled as active; the MAC is then registered (pp_mac). */
	return devcmd(q);
}

static int process_request(struct pp_req *q)
{
	switch (q->pp->pp_request) {
	case PORT_REQUEST_PREASSOCIATE_RR:
		return pp_preassociate_rr(q);
	case PORT_REQUEST_ASSOCIATE:
		return pp_associate(q);
	case PORT_REQUEST_DISASSOCIATE:
		return pp_disassociate(q);
	default:
		/* PREASSOCIATE has a handler that refuses; others none. */
		return -EOPNOTSUPP;
	}
}

/* eth_random_addr(): what enic gives a dynamic vNIC without a MAC. */
static void random_mac(uint8_t mac[6])
{
	if (getrandom(mac, 6, 0) != 6)
		memset(mac, 0x5a, 6);
	mac[0] = (uint8_t)((mac[0] & 0xfe) | 0x02);
}

int sim_enic_set_vf_port(struct sim_rtnl_dev *d, int vf, struct nlattr **port)
{
	static const uint8_t zero[6];
	struct sim_port_rec *pp, prev;
	struct pp_req q = { .d = d, .vf = vf, .restore = true };
	int r;

	r = sim_enic_check_vf(d, vf);
	if (r < 0)
		return r;
	if (!port[IFLA_PORT_REQUEST])
		return -EOPNOTSUPP;
	r = load_adapter(d);
	if (r < 0)
		return r;
	pp = sim_ports_get(&d->ports, vf);
	prev = *pp;
	q.pp = pp;
	q.prev = &prev;
	sim_ports_dirty(&d->ports, vf);

	pp_clear(pp);
	pp->pp_set = SIM_PP_SET_REQUEST;
	pp->pp_request = nla_get_u8(port[IFLA_PORT_REQUEST]);
	/* Exact lengths since kernel commit e8021b94: a profile of strlen+1
	 * bytes, as libvirt sends, is refused here. */
	if (port[IFLA_PORT_PROFILE]) {
		if (nla_len(port[IFLA_PORT_PROFILE]) != SIM_PORT_PROFILE_MAX)
			goto einval;
		pp->pp_set |= SIM_PP_SET_NAME;
		memcpy(pp->profile, nla_data(port[IFLA_PORT_PROFILE]), SIM_PORT_PROFILE_MAX);
	}
	if (port[IFLA_PORT_INSTANCE_UUID]) {
		if (nla_len(port[IFLA_PORT_INSTANCE_UUID]) != SIM_PORT_UUID_MAX)
			goto einval;
		pp->pp_set |= SIM_PP_SET_INSTANCE;
		memcpy(pp->instance_uuid, nla_data(port[IFLA_PORT_INSTANCE_UUID]), SIM_PORT_UUID_MAX);
	}
	if (port[IFLA_PORT_HOST_UUID]) {
		if (nla_len(port[IFLA_PORT_HOST_UUID]) != SIM_PORT_UUID_MAX)
			goto einval;
		pp->pp_set |= SIM_PP_SET_HOST;
		memcpy(pp->host_uuid, nla_data(port[IFLA_PORT_HOST_UUID]), SIM_PORT_UUID_MAX);
	}

	if (vf == SIM_PORT_SELF_VF) {
		if (mac_is_zero(d->nd.addr)) {
			uint8_t mac[6];

			random_mac(mac);
			r = sim_netdev_set_addr(d, mac);
			if (r < 0)
				goto restore;
		}
	} else {
		/* The adapter reports the VF's MAC; a failure leaves all as it was. */
		r = devcmd(&q);
		if (r < 0)
			goto restore;
		memcpy(pp->pp_mac, pp->mac, 6);
	}

	r = process_request(&q);
	if (r < 0) {
		if (q.restore)
			goto restore;
		pp_clear(pp);
		if (vf == SIM_PORT_SELF_VF)
			sim_netdev_set_addr(d, zero);
		goto out;
	}
	pp->pp_set |= SIM_PP_APPLIED;
	pp->applied_ns = d->now;
	pp->done_ns = d->now + (int64_t)d->adapter.latency_ms * 1000000;
	pp->outcome = PORT_PROFILE_RESPONSE_SUCCESS;
	if (d->adapter.inject_response_count) {
		d->adapter.inject_response_count--;
		d->adapter_dirty = true;
		pp->outcome = d->adapter.inject_response;
	}
	sim_journal_append(d->sim, d->nd.ifname, vf, pp);
	if (pp->pp_request == PORT_REQUEST_DISASSOCIATE) {
		memset(pp->pp_mac, 0, 6);
		if (vf == SIM_PORT_SELF_VF)
			r = sim_netdev_set_addr(d, zero);
	}
	goto out;

einval:
	r = -EINVAL;
restore:
	pp_restore(pp, &prev);
out:
	DBG(d->sim->ctx, "sim: %s: port %d request %u: %s", d->nd.ifname, vf, pp->pp_request,
	    r < 0 ? strerror(-r) : "applied");
	return r;
}

/* enic_get_vf_port(): the attributes after IFLA_PORT_VF, or an error that
 * leaves the port out of the reply. */
int sim_enic_get_vf_port(struct sim_rtnl_dev *d, int vf, struct nl_msg *msg)
{
	const struct sim_port_rec *pp;
	uint16_t response;
	int r;

	r = sim_enic_check_vf(d, vf);
	if (r < 0)
		return r;
	pp = sim_ports_get(&d->ports, vf);
	if (!(pp->pp_set & SIM_PP_APPLIED))
		return -ENODATA;
	switch (pp->pp_request) {
	case PORT_REQUEST_PREASSOCIATE_RR:
	case PORT_REQUEST_ASSOCIATE:
	case PORT_REQUEST_DISASSOCIATE:
		break;
	default:
		return -EINVAL;
	}
	/* A clock set back makes the request look done, not stuck. */
	response = d->now >= pp->applied_ns && d->now < pp->done_ns
	                   ? PORT_PROFILE_RESPONSE_INPROGRESS
	                   : pp->outcome;
	/* enic puts the request as a u16, although the uapi says u8. */
	if (nla_put_u16(msg, IFLA_PORT_REQUEST, pp->pp_request) < 0 ||
	    nla_put_u16(msg, IFLA_PORT_RESPONSE, response) < 0 ||
	    ((pp->pp_set & SIM_PP_SET_NAME) &&
	     nla_put(msg, IFLA_PORT_PROFILE, SIM_PORT_PROFILE_MAX, pp->profile) < 0) ||
	    ((pp->pp_set & SIM_PP_SET_INSTANCE) &&
	     nla_put(msg, IFLA_PORT_INSTANCE_UUID, SIM_PORT_UUID_MAX, pp->instance_uuid) < 0) ||
	    ((pp->pp_set & SIM_PP_SET_HOST) &&
	     nla_put(msg, IFLA_PORT_HOST_UUID, SIM_PORT_UUID_MAX, pp->host_uuid) < 0))
		return -EMSGSIZE;
	return 0;
}
