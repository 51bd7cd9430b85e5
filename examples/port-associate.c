/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Give VF 0 of a PF a MAC and a port profile, then read both back from
 * the PF's link state.
 *
 *   cc port-associate.c $(pkg-config --cflags --libs libvmfex)
 *   VMFEX_SIM=/tmp/ucs ./a.out enp10s0f0 pp-web
 */
#include <stdio.h>
#include <string.h>

#include <libvmfex/libvmfex.h>

#define VM_UUID "8a6a0f55-0d9b-4a5b-9a8e-6f1c2b3d4e5f"

int main(int argc, char **argv)
{
	struct vmfex_port_opts opts = { .sz = sizeof(opts), .instance_uuid = VM_UUID };
	const struct vmfex_port_state *state;
	struct vmfex_link_vf *lvf;
	struct vmfex_link *link;
	struct vmfex_port *port;
	struct vmfex_ctx *ctx;
	struct vmfex_pf *pf;
	struct vmfex_vf *vf;
	int r;

	if (argc != 3) {
		fprintf(stderr, "usage: %s PF-NETDEV PROFILE\n", argv[0]);
		return 2;
	}
	opts.profile = argv[2];
	r = vmfex_new(&ctx);
	if (r < 0)
		return 1;
	r = vmfex_pf_new_from_ifname(ctx, argv[1], &pf);
	if (r == 0) {
		r = vmfex_pf_lookup_vf(pf, 0, &vf);
		if (r == 0) {
			r = vmfex_vf_set_mac(vf, "52:54:00:ac:ff:b6");
			if (r == 0)
				r = vmfex_port_new_from_vf(vf, &port);
			if (r == 0) {
				r = vmfex_port_associate(port, &opts);  /* waits for the adapter */
				vmfex_port_unref(port);
			}
			vmfex_vf_unref(vf);
		}
		/* One netlink request reads every VF's settings and port. */
		if (r == 0)
			r = vmfex_link_new_from_pf(pf, &link);
		if (r == 0) {
			lvf = vmfex_link_find_vf(link, 0);
			state = lvf ? vmfex_link_vf_get_port(lvf) : NULL;
			if (state)
				printf("VF 0 %s: %s, %s\n", vmfex_link_vf_get_mac(lvf),
				       vmfex_port_state_get_profile(state),
				       vmfex_port_response_to_string(vmfex_port_state_get_response(state)));
			vmfex_link_unref(link);
		}
		vmfex_pf_unref(pf);
	}
	if (r < 0)
		fprintf(stderr, "%s: %s\n", argv[1], strerror(-r));
	vmfex_unref(ctx);
	return r < 0 ? 1 : 0;
}
