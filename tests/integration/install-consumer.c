/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A program built the way users build theirs: against the installed
 * headers and library, with the flags pkg-config gives. It makes a
 * simulated host from a description and prints what it finds:
 *   install-consumer DESCRIPTION DIR */
#include <stdio.h>
#include <string.h>

#include <libvmfex/libvmfex.h>

int main(int argc, char **argv)
{
	struct vmfex_new_opts opts;
	struct vmfex_ctx *ctx;
	struct vmfex_pf *pf;
	struct vmfex_vf *vf;
	unsigned int n_pfs = 0, n_vfs = 0;
	int r;

	if (argc != 3) {
		fprintf(stderr, "usage: %s DESCRIPTION DIR\n", argv[0]);
		return 2;
	}
	memset(&opts, 0, sizeof(opts));
	opts.sz = sizeof(opts);
	opts.ignore_env = 1;

	r = vmfex_new_with_opts(&opts, &ctx);
	if (r < 0) {
		fprintf(stderr, "vmfex_new_with_opts: %s\n", strerror(-r));
		return 1;
	}
	r = vmfex_sim_create(ctx, argv[2], argv[1]);
	ctx = vmfex_unref(ctx);
	if (r < 0) {
		fprintf(stderr, "vmfex_sim_create: %s\n", strerror(-r));
		return 1;
	}

	opts.sim_dir = argv[2];
	r = vmfex_new_with_opts(&opts, &ctx);
	if (r < 0) {
		fprintf(stderr, "vmfex_new_with_opts on %s: %s\n", argv[2], strerror(-r));
		return 1;
	}
	vmfex_pf_foreach(ctx, pf) {
		const char *ifname = vmfex_pf_get_ifname(pf);

		printf("pf %s %s %u/%u\n", vmfex_pf_get_pci(pf), ifname ? ifname : "-",
		       vmfex_pf_get_num_vfs(pf), vmfex_pf_get_total_vfs(pf));
		n_pfs++;
		vmfex_pf_foreach_vf(pf, vf)
			n_vfs++;
	}
	printf("version %s\n", vmfex_version());
	printf("pfs %u vfs %u\n", n_pfs, n_vfs);
	vmfex_unref(ctx);
	return n_pfs > 0 ? 0 : 1;
}
