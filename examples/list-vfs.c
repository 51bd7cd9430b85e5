/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* List every SR-IOV PF and its VFs.
 *
 *   cc list-vfs.c $(pkg-config --cflags --libs libvmfex)
 *   VMFEX_SIM=/tmp/ucs ./a.out      # on a simulated host
 */
#include <stdio.h>
#include <string.h>

#include <libvmfex/libvmfex.h>

int main(void)
{
	struct vmfex_ctx *ctx;
	struct vmfex_pf *pf;
	struct vmfex_vf *vf;
	int r;

	r = vmfex_new(&ctx);
	if (r < 0) {
		fprintf(stderr, "vmfex_new: %s\n", strerror(-r));
		return 1;
	}
	vmfex_pf_foreach(ctx, pf) {
		const char *model = vmfex_pf_read_model(pf);

		printf("%s %s: %u of %u VFs%s%s\n", vmfex_pf_get_pci(pf),
		       vmfex_pf_get_ifname(pf) ? vmfex_pf_get_ifname(pf) : "-",
		       vmfex_pf_get_num_vfs(pf), vmfex_pf_get_total_vfs(pf),
		       model ? ", " : "", model ? model : "");
		vmfex_pf_foreach_vf(pf, vf)
			printf("  VF %u %s %s\n", vmfex_vf_get_index(vf), vmfex_vf_get_pci(vf),
			       vmfex_vf_get_driver(vf) ? vmfex_vf_get_driver(vf) : "(no driver)");
	}
	vmfex_unref(ctx);
	return 0;
}
