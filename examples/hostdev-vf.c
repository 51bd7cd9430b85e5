/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Hand VF 0 of a PF to vfio-pci for PCI passthrough, then give it back.
 *
 *   ./hostdev-vf PF        (PF: netdev name or PCI address)
 */
#include <stdio.h>
#include <string.h>

#include <libvmfex/libvmfex.h>

int main(int argc, char **argv)
{
	struct vmfex_ctx *ctx;
	struct vmfex_pf *pf;
	struct vmfex_vf *vf;
	int r;

	if (argc != 2) {
		fprintf(stderr, "usage: %s PF\n", argv[0]);
		return 2;
	}
	r = vmfex_new(&ctx);
	if (r < 0)
		return 1;
	r = vmfex_pf_new_from_name(ctx, argv[1], &pf);
	if (r == 0) {
		r = vmfex_pf_lookup_vf(pf, 0, &vf);
		vmfex_pf_unref(pf);
	}
	if (r == 0) {
		r = vmfex_vf_bind_driver(vf, "vfio-pci");
		if (r == 0)
			printf("%s is with %s\n", vmfex_vf_get_pci(vf), vmfex_vf_get_driver(vf));
		if (r == 0)
			r = vmfex_vf_bind_driver(vf, NULL);
		if (r == 0)
			printf("%s is back with %s as %s\n", vmfex_vf_get_pci(vf),
			       vmfex_vf_get_driver(vf),
			       vmfex_vf_get_ifname(vf) ? vmfex_vf_get_ifname(vf) : "(no netdev)");
		vmfex_vf_unref(vf);
	}
	vmfex_unref(ctx);
	if (r < 0)
		fprintf(stderr, "%s: %s\n", argv[1], strerror(-r));
	return r < 0 ? 1 : 0;
}
