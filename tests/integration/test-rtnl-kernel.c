/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The library's rtnetlink encodings against the running kernel's own
 * policies, in a network namespace of the test's own with a veth pair.
 *
 * veth has no VF operations, but the kernel validates IFLA_PORT_SELF and
 * IFLA_VFINFO_LIST with its policies before it finds that out: a
 * well-formed request gets EOPNOTSUPP, a malformed one ERANGE. VF port
 * requests (IFLA_VF_PORTS) are not validated on veth, so their port nest
 * is sent again as IFLA_PORT_SELF, and their IFLA_VFINFO_LIST alone. The
 * messages sent here are built by the test with its own socket; the
 * library's only part is the bytes it produced. Exit 77 (skip) where
 * namespaces are refused. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "../sim/sim-fixture.h"

static const char *instance = "8a6a0f55-0d9b-4a5b-9a8e-6f1c2b3d4e5f";
static const char *host = "4c4c4544-0042-4810-8052-b4c04f4d3132";

/* Send one message as it is; the kernel's errno (0 for an ack). */
static int kernel_answer(const void *bytes, size_t len)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct nlmsghdr *copy = malloc(len);
	struct sockaddr_nl peer;
	unsigned char *buf = NULL;
	int n, r = -EPROTO;

	assert_non_null(sk);
	assert_int_equal(nl_connect(sk, NETLINK_ROUTE), 0);
	memcpy(copy, bytes, len);
	copy->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	copy->nlmsg_seq = 4242;
	assert_int_equal(send(nl_socket_get_fd(sk), copy, len, 0), (ssize_t)len);
	n = nl_recv(sk, &peer, &buf, NULL);
	if (n > 0) {
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		if (h->nlmsg_type == NLMSG_ERROR)
			r = ((struct nlmsgerr *)nlmsg_data(h))->error;
	}
	free(buf);
	free(copy);
	nl_socket_free(sk);
	return r;
}

/* A SETLINK to ifname with one attribute of raw payload. */
static int setlink_raw(const char *ifname, int type, const void *payload, size_t len)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_SETLINK, NLM_F_REQUEST | NLM_F_ACK);
	int r;

	assert_int_equal(nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO), 0);
	assert_int_equal(nla_put_string(msg, IFLA_IFNAME, ifname), 0);
	assert_int_equal(nla_put(msg, type, (int)len, payload), 0);
	r = kernel_answer(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
	nlmsg_free(msg);
	return r;
}

static int setup_netns(void **state)
{
	if (unshare(CLONE_NEWNET) < 0) {
		fprintf(stderr, "network namespaces refused (%s): skipped\n", strerror(errno));
		exit(77);
	}
	if (system("ip link add vmfexa type veth peer name vmfexb && ip link set lo up") != 0) {
		fprintf(stderr, "cannot make a veth pair: skipped\n");
		exit(77);
	}
	return 0;
}

static struct vmfex_ctx *plain_ctx(void)
{
	struct vmfex_new_opts opts = { .sz = sizeof(opts), .ignore_env = 1 };
	struct vmfex_ctx *ctx;

	assert_int_equal(vmfex_new_with_opts(&opts, &ctx), 0);
	vmfex_set_log_fn(ctx, NULL, NULL);
	return ctx;
}

/* GETLINK against ioctl's answers for the same netdevs. */
static void getlink_matches_ioctl(void **state)
{
	static const char *const names[] = { "lo", "vmfexa", "vmfexb" };
	struct vmfex_ctx *ctx = plain_ctx();
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct ifreq ifr = { 0 };
		struct vmfex_link *link;
		char mac[18];
		const unsigned char *m = (const unsigned char *)ifr.ifr_hwaddr.sa_data;

		assert_int_equal(vmfex_link_new_from_ifname(ctx, names[i], &link), 0);
		assert_int_equal(vmfex_link_get_ifindex(link), (int)if_nametoindex(names[i]));
		assert_string_equal(vmfex_link_get_ifname(link), names[i]);
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", names[i]);
		assert_int_equal(ioctl(fd, SIOCGIFHWADDR, &ifr), 0);
		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
		         m[4], m[5]);
		assert_string_equal(vmfex_link_get_mac(link), mac);
		assert_int_equal(vmfex_link_get_num_vfs(link), 0);
		assert_null(vmfex_link_next_vf(link, NULL));
		assert_null(vmfex_link_get_self_port(link));
		vmfex_link_unref(link);
	}
	close(fd);
	vmfex_unref(ctx);
}

static void unknown_interface(void **state)
{
	struct vmfex_ctx *ctx = plain_ctx();
	struct vmfex_link *link;
	struct vmfex_port *port;
	struct vmfex_port_opts o = { .sz = sizeof(o), .profile = "pp-vlan-25",
	                             .instance_uuid = instance, .host_uuid = host, .no_wait = true };

	assert_int_equal(vmfex_link_new_from_ifname(ctx, "vmfexnone", &link), -ENODEV);
	assert_int_equal(vmfex_port_new_self(ctx, "vmfexnone", &port), 0);
	assert_int_equal(vmfex_port_associate(port, &o), -ENODEV);
	assert_int_equal(vmfex_port_read_status(port, NULL, NULL), -ENODEV);
	vmfex_port_unref(port);
	vmfex_unref(ctx);
}

/* Every PORT_SELF request shape, sent by the library itself. */
static void self_requests_well_formed(void **state)
{
	struct vmfex_ctx *ctx = plain_ctx();
	struct vmfex_port *port;
	/* 39 characters: the longest name, which fills all 40 bytes. */
	static const char *const profiles[] = { "p", "pp-vlan-25",
		                                "pp-0123456789-0123456789-0123456789-ab" };

	assert_int_equal(vmfex_port_new_self(ctx, "vmfexa", &port), 0);
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		struct vmfex_port_opts o = { .sz = sizeof(o), .profile = profiles[i],
		                             .instance_uuid = instance, .host_uuid = host,
		                             .no_wait = true };

		assert_int_equal(vmfex_port_associate(port, &o), -EOPNOTSUPP);
		assert_int_equal(vmfex_port_preassociate(port, &o), -EOPNOTSUPP);
		o.mac = "52:54:00:ac:ff:b6";
		assert_int_equal(vmfex_port_associate(port, &o), -EOPNOTSUPP);
	}
	assert_int_equal(vmfex_port_disassociate(port, NULL), -EOPNOTSUPP);
	/* Where the kernel does not validate (no ports on veth): ENODATA. */
	assert_int_equal(vmfex_port_read_status(port, NULL, NULL), -ENODATA);
	vmfex_port_unref(port);
	vmfex_unref(ctx);
}

/* A batch's requests go to the kernel several to a sendmsg(): each gets
 * its own answer, past the number sent at once, and each was applied in
 * turn (the address before the refused port, as do_setlink() goes). */
static void requests_sent_together(void **state)
{
	static const char *const names[] = { "vmfexa", "vmfexnone", "vmfexb" };
	enum { N = 100 };
	struct vmfex_ctx *ctx = plain_ctx();
	struct vmfex_port *ports[N];
	struct vmfex_port_opts each[N], down = { .sz = sizeof(down), .no_wait = true };
	const struct vmfex_port_opts *opts[N];
	char macs[N][18], got[18];
	int results[N], fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr = { 0 };
	const unsigned char *m = (const unsigned char *)ifr.ifr_hwaddr.sa_data;

	for (int i = 0; i < N; i++) {
		assert_int_equal(vmfex_port_new_self(ctx, names[i % 3], &ports[i]), 0);
		snprintf(macs[i], sizeof(macs[i]), "52:54:00:00:01:%02x", i);
		each[i] = (struct vmfex_port_opts){ .sz = sizeof(each[i]), .profile = "pp-vlan-25",
		                                    .instance_uuid = instance, .host_uuid = host,
		                                    .mac = macs[i], .no_wait = true };
		opts[i] = &each[i];
	}
	assert_int_equal(vmfex_port_associate_many(ports, opts, N, results), N);
	for (int i = 0; i < N; i++)
		assert_int_equal(results[i], i % 3 == 1 ? -ENODEV : -EOPNOTSUPP);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "vmfexb");
	assert_int_equal(ioctl(fd, SIOCGIFHWADDR, &ifr), 0);
	snprintf(got, sizeof(got), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
	         m[5]);
	assert_string_equal(got, macs[N - 2]);
	assert_int_equal(vmfex_port_disassociate_many(ports, &down, N, results), N);
	for (int i = 0; i < N; i++) {
		assert_int_equal(results[i], i % 3 == 1 ? -ENODEV : -EOPNOTSUPP);
		vmfex_port_unref(ports[i]);
	}
	close(fd);
	vmfex_unref(ctx);
}

/* Finds attribute type in [a, a + len). */
static const struct nlattr *find_attr(const void *a, int len, int type)
{
	const struct nlattr *nla;
	int rem;

	nla_for_each_attr(nla, (struct nlattr *)a, len, rem)
		if (nla_type(nla) == type)
			return nla;
	return NULL;
}

/* VF requests as the library builds them for a simulated VIC, their port
 * nest re-sent as IFLA_PORT_SELF and their VF MAC as its own message. */
static void vf_requests_well_formed(void **state)
{
	struct sim_fixture f;
	struct vmfex_vf *vf;
	struct vmfex_port *port;
	struct vmfex_port_opts o = { .sz = sizeof(o), .profile = "pp-vlan-25",
	                             .instance_uuid = instance, .host_uuid = host,
	                             .mac = "52:54:00:ac:ff:b6" };
	static const int requests[] = {
		VMFEX_PORT_REQUEST_PREASSOCIATE_RR, VMFEX_PORT_REQUEST_ASSOCIATE,
		VMFEX_PORT_REQUEST_DISASSOCIATE,
	};

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	assert_int_equal(vmfex_vf_new_from_ifname(f.ctx, "enp10s0f0v3", &vf), 0);
	assert_int_equal(vmfex_port_new_from_vf(vf, &port), 0);
	for (size_t i = 0; i < sizeof(requests) / sizeof(requests[0]); i++) {
		const struct nlattr *ports, *vfport, *a, *list;
		const struct nlmsghdr *h;
		unsigned char self[256] = { 0 };
		size_t n = 0;
		void *buf;
		size_t len;
		int rem;

		assert_int_equal(vmfex_port_build_request(port, requests[i], &o, &buf, &len), 0);
		h = buf;
		assert_int_equal(h->nlmsg_len, len);
		assert_int_equal(h->nlmsg_type, RTM_SETLINK);
		ports = find_attr((const char *)nlmsg_data(h) + NLMSG_ALIGN(sizeof(struct ifinfomsg)),
		                  (int)(len - NLMSG_LENGTH(sizeof(struct ifinfomsg))), IFLA_VF_PORTS);
		assert_non_null(ports);
		vfport = find_attr(nla_data(ports), nla_len(ports), IFLA_VF_PORT);
		assert_non_null(vfport);
		/* The port attributes without IFLA_PORT_VF, which PORT_SELF lacks. */
		nla_for_each_nested(a, (struct nlattr *)vfport, rem) {
			if (nla_type(a) == IFLA_PORT_VF) {
				assert_int_equal(nla_get_u32((struct nlattr *)a), 3);
				continue;
			}
			if (nla_type(a) == IFLA_PORT_PROFILE)
				assert_int_equal(nla_len(a), 40);
			if (nla_type(a) == IFLA_PORT_INSTANCE_UUID || nla_type(a) == IFLA_PORT_HOST_UUID)
				assert_int_equal(nla_len(a), 16);
			assert_true(n + NLA_ALIGN(a->nla_len) <= sizeof(self));
			memcpy(self + n, a, a->nla_len);
			n += NLA_ALIGN(a->nla_len);
		}
		assert_int_equal(setlink_raw("vmfexa", IFLA_PORT_SELF, self, n), -EOPNOTSUPP);
		/* The VF MAC part, before the ports, with the VF's own index. */
		list = find_attr((const char *)nlmsg_data(h) + NLMSG_ALIGN(sizeof(struct ifinfomsg)),
		                 (int)(len - NLMSG_LENGTH(sizeof(struct ifinfomsg))), IFLA_VFINFO_LIST);
		assert_non_null(list);
		assert_true((const char *)list < (const char *)ports);
		assert_int_equal(setlink_raw("vmfexa", IFLA_VFINFO_LIST, nla_data(list),
		                             (size_t)nla_len(list)), -EOPNOTSUPP);
		/* The whole message as it is, on veth: EOPNOTSUPP as well. */
		assert_int_equal(kernel_answer(buf, len), -ENODEV); /* enp10s0f0 is not here */
		free(buf);
	}
	vmfex_port_unref(port);
	vmfex_vf_unref(vf);
	sim_fixture_close(&f);
}

static void put_port_attr(unsigned char *buf, size_t *n, int type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)(buf + *n);

	a->nla_type = (uint16_t)type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	memcpy(buf + *n + NLA_HDRLEN, data, len);
	*n += NLA_ALIGN(a->nla_len);
}

/* What the kernel's policies refuse, built by hand. */
static void malformed_refused(void **state)
{
	unsigned char port[256] = { 0 }, vfinfo[128] = { 0 }, profile41[41], uuid17[17] = { 1 };
	uint8_t request = VMFEX_PORT_REQUEST_ASSOCIATE;
	struct nlattr *info;
	size_t n;

	memset(profile41, 'p', sizeof(profile41));
	n = 0;
	put_port_attr(port, &n, IFLA_PORT_PROFILE, profile41, sizeof(profile41));
	put_port_attr(port, &n, IFLA_PORT_REQUEST, &request, 1);
	assert_int_equal(setlink_raw("vmfexa", IFLA_PORT_SELF, port, n), -ERANGE);
	n = 0;
	put_port_attr(port, &n, IFLA_PORT_INSTANCE_UUID, uuid17, sizeof(uuid17));
	put_port_attr(port, &n, IFLA_PORT_REQUEST, &request, 1);
	assert_int_equal(setlink_raw("vmfexa", IFLA_PORT_SELF, port, n), -ERANGE);
	/* The kernel's policy has HOST_UUID as a string: a trailing NUL is
	 * not counted, so 17 bytes pass when the last is 0. */
	n = 0;
	put_port_attr(port, &n, IFLA_PORT_HOST_UUID, uuid17, sizeof(uuid17));
	assert_int_equal(setlink_raw("vmfexa", IFLA_PORT_SELF, port, n), -EOPNOTSUPP);
	memset(uuid17, 0x11, sizeof(uuid17));
	n = 0;
	put_port_attr(port, &n, IFLA_PORT_HOST_UUID, uuid17, sizeof(uuid17));
	assert_int_equal(setlink_raw("vmfexa", IFLA_PORT_SELF, port, n), -ERANGE);
	n = 0;
	put_port_attr(port, &n, IFLA_PORT_REQUEST, &request, 0);
	assert_int_equal(setlink_raw("vmfexa", IFLA_PORT_SELF, port, n), -ERANGE);
	n = 0;
	put_port_attr(port, &n, IFLA_PORT_VF, &request, 1);
	assert_int_equal(setlink_raw("vmfexa", IFLA_PORT_SELF, port, n), -ERANGE);
	/* A 40-byte profile with no NUL at all is still within the policy. */
	n = 0;
	put_port_attr(port, &n, IFLA_PORT_PROFILE, profile41, 40);
	put_port_attr(port, &n, IFLA_PORT_REQUEST, &request, 1);
	assert_int_equal(setlink_raw("vmfexa", IFLA_PORT_SELF, port, n), -EOPNOTSUPP);
	/* IFLA_VF_MAC one byte short of struct ifla_vf_mac. */
	info = (struct nlattr *)vfinfo;
	info->nla_type = IFLA_VF_INFO;
	n = NLA_HDRLEN;
	put_port_attr(vfinfo, &n, IFLA_VF_MAC, (unsigned char[36]){ 0 }, 35);
	info->nla_len = (uint16_t)n;
	assert_int_equal(setlink_raw("vmfexa", IFLA_VFINFO_LIST, vfinfo, n), -ERANGE);
	n = NLA_HDRLEN;
	put_port_attr(vfinfo, &n, IFLA_VF_MAC, (unsigned char[36]){ 0 }, 36);
	info->nla_len = (uint16_t)n;
	assert_int_equal(setlink_raw("vmfexa", IFLA_VFINFO_LIST, vfinfo, n), -EOPNOTSUPP);
}

/* The VF setters' messages: validated, then refused by veth. */
static void vf_settings_well_formed(void **state)
{
	struct sim_fixture f;
	struct vmfex_vf *vf;

	/* The settings go to the PF's netdev, which the simulated host names
	 * enp10s0f0; here a veth takes that name so the kernel answers. */
	assert_int_equal(system("ip link add enp10s0f0 type veth peer name vmfexc"), 0);
	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	/* The sim answers netlink itself; a plain context on the same sysfs
	 * tree sends to this namespace's kernel. */
	{
		struct vmfex_new_opts opts = { .sz = sizeof(opts), .ignore_env = 1 };
		char root[300];
		struct vmfex_ctx *ctx;

		snprintf(root, sizeof(root), "%s/sysfs", f.dir);
		opts.sysfs_root = root;
		assert_int_equal(vmfex_new_with_opts(&opts, &ctx), 0);
		vmfex_set_log_fn(ctx, NULL, NULL);
		assert_int_equal(vmfex_vf_new_from_pci(ctx, "0000:0a:00.2", &vf), 0);
		assert_int_equal(vmfex_vf_set_mac(vf, "52:54:00:ac:ff:b6"), -EOPNOTSUPP);
		assert_int_equal(vmfex_vf_set_vlan(vf, 25, 3, 0x88a8), -EOPNOTSUPP);
		assert_int_equal(vmfex_vf_set_spoofchk(vf, false), -EOPNOTSUPP);
		assert_int_equal(vmfex_vf_set_trust(vf, true), -EOPNOTSUPP);
		assert_int_equal(vmfex_vf_set_link_state(vf, VMFEX_VF_LINK_STATE_DISABLE), -EOPNOTSUPP);
		assert_int_equal(vmfex_vf_set_rate(vf, 100, 1000), -EOPNOTSUPP);
		/* Refused before sending. */
		assert_int_equal(vmfex_vf_set_mac(vf, "01:00:5e:00:00:01"), -EINVAL);
		assert_int_equal(vmfex_vf_set_vlan(vf, 4096, 0, 0), -EINVAL);
		assert_int_equal(vmfex_vf_set_rate(vf, 1000, 100), -EINVAL);
		assert_int_equal(vmfex_vf_set_link_state(vf, 3), -EINVAL);
		vmfex_vf_unref(vf);
		vmfex_unref(ctx);
	}
	sim_fixture_close(&f);
}

/* Before the namespace: the machine's own netdevs, against sysfs. */
static void getlink_host_netdevs(void **state)
{
	struct vmfex_ctx *ctx = plain_ctx();
	struct dirent *de;
	int seen = 0;
	DIR *d = opendir("/sys/class/net");

	assert_non_null(d);
	while ((de = readdir(d))) {
		char path[300], want[64];
		struct vmfex_link *link;
		FILE *in;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/class/net/%s/ifindex", de->d_name);
		in = fopen(path, "r");
		if (!in || !fgets(want, sizeof(want), in)) {
			if (in)
				fclose(in);
			continue;
		}
		fclose(in);
		if (vmfex_link_new_from_ifname(ctx, de->d_name, &link) < 0)
			continue;   /* gone meanwhile, or in another namespace */
		assert_int_equal(vmfex_link_get_ifindex(link), atoi(want));
		snprintf(path, sizeof(path), "/sys/class/net/%s/address", de->d_name);
		in = fopen(path, "r");
		if (in && fgets(want, sizeof(want), in) && strlen(want) == 18) {
			want[17] = '\0';
			assert_string_equal(vmfex_link_get_mac(link), want);
		}
		if (in)
			fclose(in);
		vmfex_link_unref(link);
		seen++;
	}
	closedir(d);
	assert_true(seen >= 1);
	vmfex_unref(ctx);
}

int main(void)
{
	const struct CMUnitTest host_tests[] = {
		cmocka_unit_test(getlink_host_netdevs),
	};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(getlink_matches_ioctl),
		cmocka_unit_test(unknown_interface),
		cmocka_unit_test(self_requests_well_formed),
		cmocka_unit_test(requests_sent_together),
		cmocka_unit_test(vf_requests_well_formed),
		cmocka_unit_test(malformed_refused),
		cmocka_unit_test(vf_settings_well_formed),
	};
	int r = cmocka_run_group_tests(host_tests, NULL, NULL);

	return r | cmocka_run_group_tests(tests, setup_netns, NULL);
}
