/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Writes the seed corpus of fuzz-link: RTM_NEWLINK replies as the
 * simulated host answers the library, on hosts in several states, and as
 * the running kernel answers for lo. Run by hand when the reply format
 * grows:  gen-link-seeds DIR   (with VMFEX_SRCDIR set). */
#include <errno.h>
#include <netlink/msg.h>
#include <stdio.h>
#include <stdlib.h>

#include "libvmfex-private.h"
#include "../sim/sim-fixture.h"

static void save(const char *dir, const char *name, struct vmfex_ctx *ctx, const char *ifname)
{
	struct vmfex_buf reply = { 0 };
	struct nl_msg *msg = vmfex_rtnl_getlink_new(ifname);
	char path[512];
	FILE *out;

	if (!msg || vmfex_rtnl_transact(ctx, msg, &reply) < 0) {
		fprintf(stderr, "GETLINK %s failed\n", ifname);
		exit(1);
	}
	nlmsg_free(msg);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	out = fopen(path, "wb");
	if (!out || fwrite(reply.data, 1, reply.len, out) != reply.len || fclose(out) != 0) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(1);
	}
	vmfex_buf_free(&reply);
}

int main(int argc, char **argv)
{
	static const char *instance = "8a6a0f55-0d9b-4a5b-9a8e-6f1c2b3d4e5f";
	struct vmfex_port_opts o = { .sz = sizeof(o), .profile = "pp-vlan-25",
	                             .instance_uuid = instance, .mac = "52:54:00:ac:ff:b6" };
	struct sim_fixture f;
	struct vmfex_port *port;
	struct vmfex_pf *pf;
	struct vmfex_vf *vf;
	struct vmfex_ctx *ctx;

	if (argc != 2)
		return 2;
	/* A VIC PF before any request, then with VF 3 associated. */
	if (sim_fixture_open(&f, "ucs-b200-vic1240.json") < 0)
		return 1;
	save(argv[1], "vic-16vf-idle", f.ctx, "enp10s0f0");
	if (vmfex_vf_new_from_ifname(f.ctx, "enp10s0f0v3", &vf) < 0 ||
	    vmfex_port_new_from_vf(vf, &port) < 0 || vmfex_port_associate(port, &o) < 0)
		return 1;
	save(argv[1], "vic-16vf-associated", f.ctx, "enp10s0f0");
	vmfex_port_unref(port);
	vmfex_vf_unref(vf);
	/* The dynamic vNIC's own port. */
	if (vmfex_port_new_self(f.ctx, "enp12s0", &port) < 0 || vmfex_port_associate(port, &o) < 0)
		return 1;
	save(argv[1], "dynamic-vnic-self-port", f.ctx, "enp12s0");
	vmfex_port_unref(port);
	sim_fixture_close(&f);
	/* An 82599 with VFs whose VLAN, rates and flags are set. */
	if (sim_fixture_open(&f, "mixed-82599-virtio.json") < 0)
		return 1;
	if (vmfex_pf_new_from_ifname(f.ctx, "enp3s0f0", &pf) < 0)
		return 1;
	if (vmfex_pf_set_num_vfs(pf, 4, NULL) < 0 || vmfex_pf_lookup_vf(pf, 1, &vf) < 0 ||
	    vmfex_vf_set_vlan(vf, 25, 3, 0x88a8) < 0 || vmfex_vf_set_rate(vf, 100, 1000) < 0 ||
	    vmfex_vf_set_trust(vf, true) < 0 ||
	    vmfex_vf_set_link_state(vf, VMFEX_VF_LINK_STATE_DISABLE) < 0)
		return 1;
	save(argv[1], "ixgbe-4vf-configured", f.ctx, "enp3s0f0");
	vmfex_vf_unref(vf);
	vmfex_pf_unref(pf);
	sim_fixture_close(&f);
	/* 400 VFs: the VF list passes 64 KiB and its nla_len wraps. */
	if (sim_fixture_open(&f, "{ \"drivers\": [ { \"name\": \"enic\", \"vf_ops\": [\"mac\"],"
	                         " \"vf_port\": true } ], \"devices\": [ { \"pci\": \"0000:80:00.0\","
	                         " \"vendor\": \"0x1137\", \"device\": \"0x0043\", \"driver\": \"enic\","
	                         " \"ifname\": \"enp128s0\", \"sriov\": { \"total_vfs\": 400,"
	                         " \"num_vfs\": 400, \"vf_device\": \"0x0071\","
	                         " \"vf_driver\": \"enic\" } } ] }") < 0)
		return 1;
	save(argv[1], "vic-400vf-wrapped", f.ctx, "enp128s0");
	sim_fixture_close(&f);
	/* The running kernel's answer for lo. */
	{
		struct vmfex_new_opts opts = { .sz = sizeof(opts), .ignore_env = 1 };

		if (vmfex_new_with_opts(&opts, &ctx) < 0)
			return 1;
		save(argv[1], "kernel-lo", ctx, "lo");
		vmfex_unref(ctx);
	}
	return 0;
}
