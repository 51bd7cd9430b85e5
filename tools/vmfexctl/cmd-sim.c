/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmfexctl sim create DIR DESCRIPTION: make a simulated host. */
#include <stdio.h>

#include "vmfexctl.h"

static int sim_create(struct vmfexctl *g, int argc, char **argv)
{
	struct vmfex_new_opts opts = { .sz = sizeof(opts), .ignore_env = 1 };
	struct vmfex_ctx *ctx;
	int r;

	if (argc != 3)
		return usage_error("usage: sim create DIR DESCRIPTION.json");
	r = vmfex_new_with_opts(&opts, &ctx);
	if (r < 0)
		return fail(r, "cannot create a context");
	r = vmfex_sim_create(ctx, argv[1], argv[2]);
	vmfex_unref(ctx);
	if (r < 0)
		return fail(r, "sim create %s", argv[1]);
	if (!g->json)
		printf("simulated host created in %s; use it with --sim %s or VMFEX_SIM=%s\n",
		       argv[1], argv[1], argv[1]);
	return EXIT_OK;
}

static const struct command sim_commands[] = {
	{ "create", sim_create, NULL },
	{}
};

int cmd_sim(struct vmfexctl *g, int argc, char **argv)
{
	return run_subcommand(g, "sim", sim_commands, argc, argv);
}
