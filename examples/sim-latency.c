/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Slow the simulated adapter down, as a busy UCS Manager would, and read
 * the setting back.
 *
 *   cc sim-latency.c $(pkg-config --cflags --libs libvmfex)
 *   VMFEX_SIM=/tmp/ucs ./a.out 250
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvmfex/libvmfex.h>

int main(int argc, char **argv)
{
	struct vmfex_ctx *ctx;
	unsigned int ms = 0;
	int r;

	if (argc != 2) {
		fprintf(stderr, "usage: %s MILLISECONDS\n", argv[0]);
		return 2;
	}
	r = vmfex_new(&ctx);  /* on the simulated host VMFEX_SIM names */
	if (r < 0)
		return 1;
	r = vmfex_sim_set_latency(ctx, (unsigned int)strtoul(argv[1], NULL, 10));
	if (r == 0)
		r = vmfex_sim_read_latency(ctx, &ms);
	if (r == 0)
		printf("adapter latency %u ms\n", ms);
	else
		fprintf(stderr, "latency: %s\n", strerror(-r));
	vmfex_unref(ctx);
	return r < 0 ? 1 : 0;
}
