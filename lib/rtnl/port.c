/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* 802.1Qbh port requests and waiting for the adapter's answer.
 *
 * Encoding, as current enic requires (kernel commit e8021b94): the profile
 * NUL-padded to exactly PORT_PROFILE_MAX (40) bytes, UUIDs of exactly 16
 * bytes, and a VF's MAC as IFLA_VF_MAC with the VF's own index in the same
 * message, before the port (enic reads the MAC from the adapter). libvirt
 * sends strlen + 1 bytes of profile, and vf = -1 for a netdev's own MAC;
 * current kernels refuse both. */
#include <errno.h>
#include <linux/if_link.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uuid/uuid.h>

#include "libvmfex-private.h"

#define DEFAULT_TIMEOUT_MS 10000
/* Polls start at 1 ms and double up to this: completion is seen within
 * it, where libvirt's fixed 125 ms tick loses a tick per port. */
#define POLL_MAX_MS 8

struct vmfex_port {
	int refcount;
	struct vmfex_ctx *ctx;
	struct vmfex_vf *vf;            /* NULL for a netdev's own port */
	int vf_index;                   /* PORT_SELF_VF (-1) for a netdev's own port */
	char ifname[VMFEX_IFNAMSIZ];    /* where requests go: the PF's netdev for a VF */
	int last_response;
};

_public_ int vmfex_port_new_from_vf(struct vmfex_vf *vf, struct vmfex_port **out)
{
	struct vmfex_port *port;

	if (!out)
		return -EINVAL;
	if (!vf->pf->ifname[0]) {
		ERR(vf->pf->ctx, "VF %u of %s: the PF has no netdev to send port requests to",
		    vf->index, vf->pf->pci);
		return -ENODEV;
	}
	port = calloc(1, sizeof(*port));
	if (!port)
		return -ENOMEM;
	port->refcount = 1;
	port->ctx = vmfex_ref(vf->pf->ctx);
	port->vf = vmfex_vf_ref(vf);
	port->vf_index = (int)vf->index;
	strcpy(port->ifname, vf->pf->ifname);
	port->last_response = -1;
	*out = port;
	return 0;
}

_public_ int vmfex_port_new_self(struct vmfex_ctx *ctx, const char *name, struct vmfex_port **out)
{
	struct vmfex_pci_addr addr;
	char pci[VMFEX_PCI_ADDR_LEN], ifname[VMFEX_IFNAMSIZ];
	struct vmfex_port *port;
	int r;

	if (!out)
		return -EINVAL;
	if (name && vmfex_pci_addr_parse(name, &addr) == 0) {
		vmfex_pci_addr_format(&addr, pci);
		r = vmfex_pci_check_exists(ctx, pci);
		if (r < 0)
			return r;
		r = vmfex_pci_read_ifname(ctx, pci, ifname, sizeof(ifname));
		if (r < 0)
			return r;
		if (!ifname[0]) {
			ERR(ctx, "PCI function %s has no netdev to send port requests to", pci);
			return -ENODEV;
		}
	} else if (vmfex_ifname_validate(name) == 0) {
		strcpy(ifname, name);
	} else {
		ERR(ctx, "'%.64s' is neither a netdev name nor a PCI address", name ? name : "(null)");
		return -EINVAL;
	}
	port = calloc(1, sizeof(*port));
	if (!port)
		return -ENOMEM;
	port->refcount = 1;
	port->ctx = vmfex_ref(ctx);
	port->vf_index = PORT_SELF_VF;
	strcpy(port->ifname, ifname);
	port->last_response = -1;
	*out = port;
	return 0;
}

_public_ struct vmfex_port *vmfex_port_ref(struct vmfex_port *port)
{
	if (port)
		port->refcount++;
	return port;
}

_public_ struct vmfex_port *vmfex_port_unref(struct vmfex_port *port)
{
	if (!port || --port->refcount > 0)
		return NULL;
	vmfex_vf_unref(port->vf);
	vmfex_unref(port->ctx);
	free(port);
	return NULL;
}

_public_ const char *vmfex_port_get_ifname(const struct vmfex_port *port)
{
	return port->ifname;
}

_public_ struct vmfex_ctx *vmfex_port_get_ctx(const struct vmfex_port *port)
{
	return port->ctx;
}

_public_ int vmfex_port_get_vf_index(const struct vmfex_port *port)
{
	return port->vf_index;
}

_public_ int vmfex_port_get_last_response(const struct vmfex_port *port)
{
	return port->last_response;
}

static const char *port_name(const struct vmfex_port *port, char *buf, size_t size)
{
	if (port->vf_index == PORT_SELF_VF)
		snprintf(buf, size, "%s", port->ifname);
	else
		snprintf(buf, size, "VF %d of %s", port->vf_index, port->ifname);
	return buf;
}

/* Profile names: 1-39 printable characters, so that with the padding NUL
 * they fill PORT_PROFILE_MAX bytes at most. */
static int profile_validate(const char *profile)
{
	size_t n;

	if (!profile)
		return -EINVAL;
	n = strnlen(profile, PORT_PROFILE_MAX);
	if (n == 0 || n >= PORT_PROFILE_MAX)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (profile[i] < 0x21 || profile[i] > 0x7e)
			return -EINVAL;
	return 0;
}

/* The host UUID of requests that give none, read once for all the
 * requests of a batch on one context. */
struct host_default {
	struct vmfex_ctx *ctx;      /* NULL until read */
	int r;
	uint8_t uuid[16];
};

static struct nl_msg *build_request(struct vmfex_port *port, int request,
                                    const struct vmfex_port_opts *o, struct host_default *hd)
{
	struct vmfex_ctx *ctx = port->ctx;
	bool with_profile = request != VMFEX_PORT_REQUEST_DISASSOCIATE;
	uint8_t instance[16], host[16], mac[6];
	char profile[PORT_PROFILE_MAX] = { 0 }, who[48];
	struct nlattr *ports = NULL, *nest;
	struct nl_msg *msg;

	port_name(port, who, sizeof(who));
	if (request < VMFEX_PORT_REQUEST_PREASSOCIATE || request > VMFEX_PORT_REQUEST_DISASSOCIATE) {
		ERR(ctx, "%s: port request %d unknown", who, request);
		return NULL;
	}
	if (with_profile) {
		if (profile_validate(o->profile) < 0) {
			ERR(ctx, "%s: port profile '%.64s' is not 1-39 printable characters", who,
			    o->profile ? o->profile : "(null)");
			return NULL;
		}
		strcpy(profile, o->profile);
		if (!o->instance_uuid || uuid_parse(o->instance_uuid, instance) < 0) {
			ERR(ctx, "%s: instance UUID '%.64s' is not a UUID", who,
			    o->instance_uuid ? o->instance_uuid : "(null)");
			return NULL;
		}
		if (o->host_uuid) {
			if (uuid_parse(o->host_uuid, host) < 0) {
				ERR(ctx, "%s: host UUID '%.64s' is not a UUID", who, o->host_uuid);
				return NULL;
			}
		} else {
			if (hd->ctx != ctx) {
				hd->ctx = ctx;
				hd->r = vmfex_host_uuid(ctx, hd->uuid);
			}
			if (hd->r < 0) {
				ERR(ctx, "%s: no host UUID to send", who);
				return NULL;
			}
			memcpy(host, hd->uuid, sizeof(host));
		}
	}
	if (o->mac && (vmfex_mac_parse(o->mac, mac) < 0 || (mac[0] & 1))) {
		ERR(ctx, "%s: '%.32s' is not a unicast MAC address", who, o->mac);
		return NULL;
	}

	msg = vmfex_rtnl_setlink_new(port->ifname);
	if (!msg)
		return NULL;
	if (o->mac) {
		if (port->vf_index == PORT_SELF_VF) {
			if (nla_put(msg, IFLA_ADDRESS, 6, mac) < 0)
				goto fail;
		} else {
			struct ifla_vf_mac m = { .vf = (uint32_t)port->vf_index };

			memcpy(m.mac, mac, 6);
			if (vmfex_rtnl_put_vfinfo(msg, IFLA_VF_MAC, &m, sizeof(m)) < 0)
				goto fail;
		}
	}
	if (port->vf_index == PORT_SELF_VF) {
		nest = nla_nest_start(msg, IFLA_PORT_SELF);
	} else {
		ports = nla_nest_start(msg, IFLA_VF_PORTS);
		nest = ports ? nla_nest_start(msg, IFLA_VF_PORT) : NULL;
		if (nest && nla_put_u32(msg, IFLA_PORT_VF, (uint32_t)port->vf_index) < 0)
			goto fail;
	}
	if (!nest)
		goto fail;
	if (with_profile &&
	    (nla_put(msg, IFLA_PORT_PROFILE, PORT_PROFILE_MAX, profile) < 0 ||
	     nla_put(msg, IFLA_PORT_INSTANCE_UUID, PORT_UUID_MAX, instance) < 0 ||
	     nla_put(msg, IFLA_PORT_HOST_UUID, PORT_UUID_MAX, host) < 0))
		goto fail;
	if (nla_put_u8(msg, IFLA_PORT_REQUEST, (uint8_t)request) < 0)
		goto fail;
	nla_nest_end(msg, nest);
	if (ports)
		nla_nest_end(msg, ports);
	return msg;
fail:
	ERR(ctx, "%s: cannot build the port request", who);
	nlmsg_free(msg);
	return NULL;
}

_public_ int vmfex_port_build_request(struct vmfex_port *port, int request,
                                      const struct vmfex_port_opts *opts, void **buf, size_t *len)
{
	struct host_default hd = { 0 };
	struct vmfex_port_opts o;
	struct nl_msg *msg;

	if (!buf || !len || vmfex_opts_copy(&o, sizeof(o), opts) < 0)
		return -EINVAL;
	msg = build_request(port, request, &o, &hd);
	if (!msg)
		return -EINVAL;
	*len = nlmsg_hdr(msg)->nlmsg_len;
	*buf = malloc(*len);
	if (*buf)
		memcpy(*buf, nlmsg_hdr(msg), *len);
	nlmsg_free(msg);
	return *buf ? 0 : -ENOMEM;
}

/* Builds and sends the request of every port whose results[i] is 0 on
 * entry, those of one context together; each one's answer (0 or <0) in
 * results, a refusal logged. */
static void send_all(struct vmfex_port *const *ports, const struct vmfex_port_opts *const *opts,
                     const struct vmfex_port_opts *common, size_t n, int request, int *results)
{
	struct vmfex_rtnl_batch b = { 0 };
	struct host_default hd = { 0 };
	bool *sent = calloc(n, sizeof(*sent));
	char who[48];

	for (size_t i = 0; i < n; i++) {
		struct vmfex_port_opts o;
		struct nl_msg *msg;

		if (results[i] == 0 && !sent)
			results[i] = -ENOMEM;
		if (results[i] == 0)
			results[i] = vmfex_opts_copy(&o, sizeof(o), opts ? opts[i] : common);
		if (results[i] < 0)
			continue;
		msg = build_request(ports[i], request, &o, &hd);
		if (!msg) {
			results[i] = -EINVAL;
			continue;
		}
		sent[i] = true;
		vmfex_rtnl_batch_add(&b, ports[i]->ctx, msg, &results[i]);
	}
	vmfex_rtnl_batch_flush(&b);
	for (size_t i = 0; i < n; i++)
		if (sent && sent[i] && results[i] < 0)
			ERR(ports[i]->ctx, "%s: %s refused: %s", port_name(ports[i], who, sizeof(who)),
			    vmfex_port_request_to_string(request), strerror(-results[i]));
	free(sent);
}

static int send_request(struct vmfex_port *port, int request, const struct vmfex_port_opts *o)
{
	int result = 0;

	send_all(&port, NULL, o, 1, request, &result);
	return result;
}

static int response_errno(int response)
{
	switch (response) {
	case VMFEX_PORT_PROFILE_RESPONSE_SUCCESS:
	case VMFEX_PORT_VDP_RESPONSE_SUCCESS:
		return 0;
	case VMFEX_PORT_PROFILE_RESPONSE_INVALID:
		return -EINVAL;
	case VMFEX_PORT_PROFILE_RESPONSE_BADSTATE:
		return -EBADE;
	case VMFEX_PORT_PROFILE_RESPONSE_INSUFFICIENT_RESOURCES:
		return -ENOSPC;
	default:
		return -EIO;
	}
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static const struct vmfex_port_state *state_in(struct vmfex_link *link, const struct vmfex_port *port)
{
	struct vmfex_link_vf *vf;

	if (port->vf_index == PORT_SELF_VF)
		return vmfex_link_get_self_port(link);
	vf = vmfex_link_find_vf(link, (unsigned int)port->vf_index);
	return vf ? vmfex_link_vf_get_port(vf) : NULL;
}

/* One port's answer in a fresh link: 1 pending, 0 done, <0 failed. */
static int check_port(struct vmfex_port *port, int request, struct vmfex_link *link)
{
	const struct vmfex_port_state *st = state_in(link, port);
	char who[48];

	if (!st) {
		/* enic drops a port from the reply once deinitialised. */
		if (request == VMFEX_PORT_REQUEST_DISASSOCIATE)
			return 0;
		ERR(port->ctx, "%s: the adapter reports no status after %s", port_name(port, who,
		    sizeof(who)), vmfex_port_request_to_string(request));
		return -ENODATA;
	}
	if (st->request != request || st->response == VMFEX_PORT_PROFILE_RESPONSE_INPROGRESS)
		return 1;
	port->last_response = st->response;
	if (response_errno(st->response) < 0)
		ERR(port->ctx, "%s: %s answered %s", port_name(port, who, sizeof(who)),
		    vmfex_port_request_to_string(request), vmfex_port_response_to_string(st->response));
	return response_errno(st->response);
}

/* The wait of a batch: one RTM_GETLINK per netdev per poll answers all
 * its pending ports. results[i] == 1 marks a pending port on entry. */
static void wait_ports(struct vmfex_port *const *ports, size_t n, int request,
                       unsigned int timeout_ms, int *results)
{
	uint64_t deadline = now_ms() + timeout_ms;
	unsigned int delay = 1;
	bool pending = true;

	while (pending) {
		struct timespec ts = { 0, (long)delay * 1000000 };

		nanosleep(&ts, NULL);
		pending = false;
		for (size_t i = 0; i < n; i++) {
			struct vmfex_link *link;
			int r;

			if (results[i] != 1)
				continue;
			r = vmfex_link_read(ports[i]->ctx, ports[i]->ifname, &link);
			/* Every pending port on this netdev takes its answer
			 * from the same reply. */
			for (size_t j = i; j < n; j++) {
				if (results[j] != 1 || strcmp(ports[j]->ifname, ports[i]->ifname) != 0 ||
				    ports[j]->ctx != ports[i]->ctx)
					continue;
				results[j] = r < 0 ? r : check_port(ports[j], request, link);
				pending |= results[j] == 1;
			}
			if (r == 0)
				vmfex_link_unref(link);
		}
		if (pending && now_ms() >= deadline)
			break;
		delay = delay * 2 > POLL_MAX_MS ? POLL_MAX_MS : delay * 2;
	}
	for (size_t i = 0; i < n; i++) {
		char who[48];

		if (results[i] != 1)
			continue;
		ERR(ports[i]->ctx, "%s: no answer to %s within %u ms", port_name(ports[i], who,
		    sizeof(who)), vmfex_port_request_to_string(request), timeout_ms);
		results[i] = -ETIMEDOUT;
		ports[i]->last_response = VMFEX_PORT_PROFILE_RESPONSE_INPROGRESS;
		/* As libvirt does: a port left half-associated is taken down. */
		if (request == VMFEX_PORT_REQUEST_ASSOCIATE) {
			struct vmfex_port_opts none = { .sz = sizeof(none) };

			send_request(ports[i], VMFEX_PORT_REQUEST_DISASSOCIATE, &none);
		}
	}
}

unsigned int vmfex_port_timeout_ms(unsigned int timeout_ms)
{
	return timeout_ms ? timeout_ms : DEFAULT_TIMEOUT_MS;
}

void vmfex_port_wait_many(struct vmfex_port *const *ports, size_t n, int request,
                          unsigned int timeout_ms, int *results)
{
	for (size_t i = 0; i < n; i++)
		results[i] = 1;
	wait_ports(ports, n, request, vmfex_port_timeout_ms(timeout_ms), results);
}

int vmfex_port_wait(struct vmfex_port *port, int request, unsigned int timeout_ms)
{
	int result;

	vmfex_port_wait_many(&port, 1, request, timeout_ms, &result);
	return result;
}

/* Send every request, then wait for all that need it. */
static int run_batch(struct vmfex_port *const *ports, const struct vmfex_port_opts *const *opts,
                     const struct vmfex_port_opts *common, size_t n, int request, int *results)
{
	struct vmfex_port_opts first;
	unsigned int timeout_ms;
	bool wait, any = false;
	int failed = 0;

	if (!ports || !results || vmfex_opts_copy(&first, sizeof(first), opts ? opts[0] : common) < 0)
		return -EINVAL;
	timeout_ms = first.timeout_ms ? first.timeout_ms : DEFAULT_TIMEOUT_MS;
	wait = !first.no_wait;
	for (size_t i = 0; i < n; i++)
		results[i] = 0;
	send_all(ports, opts, common, n, request, results);
	for (size_t i = 0; i < n; i++) {
		if (results[i] == 0 && wait) {
			results[i] = 1;
			any = true;
		}
	}
	if (any)
		wait_ports(ports, n, request, timeout_ms, results);
	for (size_t i = 0; i < n; i++)
		failed += results[i] < 0;
	return failed;
}

static int run_one(struct vmfex_port *port, const struct vmfex_port_opts *opts, int request)
{
	int result, r;

	r = run_batch(&port, NULL, opts, 1, request, &result);
	return r < 0 ? r : result;
}

_public_ int vmfex_port_associate(struct vmfex_port *port, const struct vmfex_port_opts *opts)
{
	return run_one(port, opts, VMFEX_PORT_REQUEST_ASSOCIATE);
}

_public_ int vmfex_port_preassociate(struct vmfex_port *port, const struct vmfex_port_opts *opts)
{
	return run_one(port, opts, VMFEX_PORT_REQUEST_PREASSOCIATE_RR);
}

_public_ int vmfex_port_disassociate(struct vmfex_port *port, const struct vmfex_port_opts *opts)
{
	return run_one(port, opts, VMFEX_PORT_REQUEST_DISASSOCIATE);
}

_public_ int vmfex_port_associate_many(struct vmfex_port *const *ports,
                                       const struct vmfex_port_opts *const *opts, size_t n,
                                       int *results)
{
	return vmfex_port_request_many(ports, opts, n, VMFEX_PORT_REQUEST_ASSOCIATE, results);
}

int vmfex_port_request_many(struct vmfex_port *const *ports,
                            const struct vmfex_port_opts *const *opts, size_t n, int request,
                            int *results)
{
	if (n == 0)
		return 0;
	if (!opts)
		return -EINVAL;
	return run_batch(ports, opts, NULL, n, request, results);
}

_public_ int vmfex_port_disassociate_many(struct vmfex_port *const *ports,
                                          const struct vmfex_port_opts *opts, size_t n,
                                          int *results)
{
	if (n == 0)
		return 0;
	return run_batch(ports, NULL, opts, n, VMFEX_PORT_REQUEST_DISASSOCIATE, results);
}

_public_ int vmfex_port_read_status(struct vmfex_port *port, int *request, int *response)
{
	const struct vmfex_port_state *st;
	struct vmfex_link *link;
	char who[48];
	int r;

	r = vmfex_link_read(port->ctx, port->ifname, &link);
	if (r < 0)
		return r;
	st = state_in(link, port);
	if (!st) {
		INFO(port->ctx, "%s: no port state reported (no request applied yet)",
		     port_name(port, who, sizeof(who)));
		r = -ENODATA;
	} else {
		if (request)
			*request = st->request;
		if (response)
			*response = st->response;
	}
	vmfex_link_unref(link);
	return r;
}
