/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Define a port profile in a catalog, write the libvirt network that
 * offers a PF's VFs with it, and read that XML back.
 *
 *   cc catalog-network.c $(pkg-config --cflags --libs libvmfex)
 *   VMFEX_SIM=/tmp/ucs ./a.out enp10s0f0
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvmfex/libvmfex.h>

int main(int argc, char **argv)
{
	static const char *const profiles[] = { "pp-web", NULL };
	struct vmfex_xml_network_opts opts = {
		.sz = sizeof(opts),
		.topology = VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH,
		.profiles = profiles,
		.default_profile = "pp-web",
	};
	struct vmfex_catalog *cat = NULL;
	struct vmfex_xml_network *net;
	struct vmfex_profile *p;
	struct vmfex_ctx *ctx;
	struct vmfex_pf *pf = NULL;
	char *xml = NULL;
	int r;

	if (argc != 2) {
		fprintf(stderr, "usage: %s PF-NETDEV\n", argv[0]);
		return 2;
	}
	r = vmfex_new(&ctx);
	if (r < 0)
		return 1;
	r = vmfex_catalog_new(ctx, &cat);
	if (r == 0)
		r = vmfex_catalog_add_profile(cat, "pp-web", &p);
	if (r == 0) {
		r = vmfex_profile_set_vlan(p, "web", 25, true);
		if (r == 0)
			r = vmfex_profile_add_client(p, VMFEX_CLUSTER_DEFAULT);
		vmfex_profile_unref(p);
	}
	if (r == 0)
		r = vmfex_pf_new_from_ifname(ctx, argv[1], &pf);
	if (r == 0)
		r = vmfex_xml_network_for_pf(pf, "vmfex-a", cat, &opts, &xml);
	if (r == 0) {
		fputs(xml, stdout);
		r = vmfex_xml_network_new_from_buffer(ctx, xml, strlen(xml), &net);
	}
	if (r == 0) {
		printf("network %s, forward mode %s\n", vmfex_xml_network_get_name(net),
		       vmfex_xml_network_get_forward_mode(net));
		vmfex_xml_network_unref(net);
	}
	if (r < 0)
		fprintf(stderr, "%s: %s\n", argv[1], strerror(-r));
	free(xml);
	vmfex_pf_unref(pf);
	vmfex_catalog_unref(cat);
	vmfex_unref(ctx);
	return r < 0 ? 1 : 0;
}
