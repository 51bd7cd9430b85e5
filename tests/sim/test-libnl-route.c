/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Why the library reads RTM_NEWLINK with its own parser (lib/rtnl/
 * link-parse.c) and does not link libnl-route-3: on the same reply bytes,
 * from a simulated PF as the kernel encodes them, libnl-route's link
 * parser (nl_msg_parse() with its route/link cache operations)
 *  - refuses a PF of 4096 VFs: IFLA_VFINFO_LIST is longer than the 16-bit
 *    nla_len, which the kernel lets wrap ("Input data out of range");
 *  - reads only the VFs inside the wrapped length of a PF of 1024 VFs,
 *    without an error;
 *  - has no model of 802.1Qbh port nests (IFLA_VF_PORTS, IFLA_PORT_SELF):
 *    a port's profile, instance and request are nowhere in its object.
 * Each assertion fails, and says so, once libnl-route reads them right. */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/object.h>
#include <netlink/route/link.h>
#include <netlink/route/link/sriov.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "sim-private.h"
#include "sim-fixture.h"

/* A VIC PF with n VFs whose driver reports their settings. */
static void open_host(struct sim_fixture *f, unsigned int n)
{
	char host[1024];

	snprintf(host, sizeof(host),
	         "{ \"description\": \"%u VFs\", \"drivers\": [ { \"name\": \"enic\","
	         "  \"vf_ops\": [\"mac\"], \"vf_port\": true } ],"
	         "  \"devices\": [ { \"pci\": \"0000:10:00.0\", \"vendor\": \"0x1137\","
	         "    \"device\": \"0x0043\", \"driver\": \"enic\", \"ifname\": \"enp16s0f0\","
	         "    \"sriov\": { \"total_vfs\": %u, \"num_vfs\": %u, \"vf_device\": \"0x0071\" } } ] }",
	         n, n, n);
	assert_int_equal(sim_fixture_open(f, host), 0);
}

/* The PF's RTM_NEWLINK as the library asks for it. */
static void getlink(struct sim_fixture *f, struct vmfex_buf *reply)
{
	struct nl_msg *req = vmfex_rtnl_getlink_new("enp16s0f0");

	assert_non_null(req);
	memset(reply, 0, sizeof(*reply));
	assert_int_equal(vmfex_sim_rtnl(vmfex_sim_of(f->ctx), nlmsg_hdr(req), reply), 0);
	nlmsg_free(req);
	assert_int_equal(((struct nlmsghdr *)reply->data)->nlmsg_type, RTM_NEWLINK);
}

/* The library's reading: its VFs, and whether VF vf has a port. */
static size_t ours(struct sim_fixture *f, const struct vmfex_buf *reply, unsigned int vf,
                   bool *has_port)
{
	const struct nlmsghdr *h = (const struct nlmsghdr *)reply->data;
	struct vmfex_link link = { .ctx = f->ctx };
	size_t n;

	assert_int_equal(vmfex_link_parse(f->ctx, h, h->nlmsg_len, &link), 0);
	n = link.n_vfs;
	*has_port = vf < n && link.vfs[vf].has_port;
	vmfex_link_clear(&link);
	return n;
}

static void take_link(struct nl_object *obj, void *arg)
{
	nl_object_get(obj);
	*(struct rtnl_link **)arg = (struct rtnl_link *)obj;
}

/* libnl-route's reading: 0 or its error; *vfs the VFs it lists. */
static int theirs(const struct vmfex_buf *reply, unsigned int total, size_t *vfs,
                  struct rtnl_link **out)
{
	struct nl_msg *msg = nlmsg_convert((struct nlmsghdr *)reply->data);
	struct rtnl_link *link = NULL;
	int r;

	assert_non_null(msg);
	nlmsg_set_proto(msg, NETLINK_ROUTE);
	r = nl_msg_parse(msg, take_link, &link);
	nlmsg_free(msg);
	*vfs = 0;
	if (r < 0)
		return r;
	assert_non_null(link);
	for (unsigned int i = 0; i < total; i++) {
		struct rtnl_link_vf *vf = rtnl_link_vf_get(link, i);

		if (vf) {
			(*vfs)++;
			rtnl_link_vf_put(vf);
		}
	}
	if (out)
		*out = link;
	else
		rtnl_link_put(link);
	return 0;
}

static void vfs_4096_refused(void **state)
{
	struct sim_fixture f;
	struct vmfex_buf reply;
	size_t n;
	bool port;
	int r;

	open_host(&f, 4096);
	getlink(&f, &reply);
	assert_int_equal(ours(&f, &reply, 0, &port), 4096);
	r = theirs(&reply, 4096, &n, NULL);
	print_message("4096 VFs in %zu bytes: libnl-route: %s, %zu VFs\n", reply.len,
	              r < 0 ? nl_geterror(r) : "parsed", n);
	if (r == 0 && n == 4096)
		fail_msg("libnl-route now reads a 4096-VF RTM_NEWLINK: the library may use it");
	assert_int_equal(r, -NLE_RANGE);
	vmfex_buf_free(&reply);
	sim_fixture_close(&f);
}

static void vfs_1024_cut(void **state)
{
	struct sim_fixture f;
	struct vmfex_buf reply;
	size_t n;
	bool port;
	int r;

	open_host(&f, 1024);
	getlink(&f, &reply);
	assert_int_equal(ours(&f, &reply, 0, &port), 1024);
	r = theirs(&reply, 1024, &n, NULL);
	print_message("1024 VFs in %zu bytes: libnl-route: %s, %zu VFs\n", reply.len,
	              r < 0 ? nl_geterror(r) : "parsed", n);
	if (r == 0 && n == 1024)
		fail_msg("libnl-route now reads all 1024 VFs: the library may use it");
	/* Silently short: no error, a fraction of the VFs. */
	assert_int_equal(r, 0);
	assert_true(n > 0 && n < 1024);
	vmfex_buf_free(&reply);
	sim_fixture_close(&f);
}

static void port_nests_unmodelled(void **state)
{
	struct vmfex_port_opts po = { .sz = sizeof(po), .profile = "pp-vlan-25",
	                              .instance_uuid = "6b9a1e2c-3d4f-4a5b-8c6d-7e8f90a1b2c3",
	                              .mac = "52:54:00:ac:ff:b6" };
	struct sim_fixture f;
	struct vmfex_buf reply;
	struct rtnl_link *link;
	struct vmfex_pf *pf;
	struct vmfex_vf *vf;
	struct vmfex_port *port;
	char dump[65536];
	size_t n;
	bool has_port;

	open_host(&f, 16);
	assert_int_equal(vmfex_pf_new_from_name(f.ctx, "enp16s0f0", &pf), 0);
	assert_int_equal(vmfex_pf_lookup_vf(pf, 3, &vf), 0);
	assert_int_equal(vmfex_port_new_from_vf(vf, &port), 0);
	assert_int_equal(vmfex_port_associate(port, &po), 0);
	getlink(&f, &reply);
	assert_int_equal(ours(&f, &reply, 3, &has_port), 16);
	assert_true(has_port);
	assert_int_equal(theirs(&reply, 16, &n, &link), 0);
	assert_int_equal(n, 16);
	/* Everything libnl-route kept of the link, as text: the port's
	 * profile and instance are not in it. */
	memset(dump, 0, sizeof(dump));
	nl_object_dump_buf((struct nl_object *)link, dump, sizeof(dump));
	assert_true(strlen(dump) > 0);
	if (strstr(dump, "pp-vlan-25") || strstr(dump, "6b9a1e2c"))
		fail_msg("libnl-route now models 802.1Qbh ports: the library may use it");
	rtnl_link_put(link);
	vmfex_buf_free(&reply);
	vmfex_port_unref(port);
	vmfex_vf_unref(vf);
	vmfex_pf_unref(pf);
	sim_fixture_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vfs_4096_refused),
		cmocka_unit_test(vfs_1024_cut),
		cmocka_unit_test(port_nests_unmodelled),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
