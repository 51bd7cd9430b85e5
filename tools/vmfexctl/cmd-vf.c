/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmfexctl vf bind VF DRIVER, vmfexctl vf unbind VF (back to the host's
 * default driver); VF is "PF INDEX", or the VF's netdev or PCI address. */
#include <stdio.h>

#include "vmfexctl.h"

static int vf_bind_common(struct vmfexctl *g, int argc, char **argv, bool bind)
{
	struct vmfex_ctx *ctx;
	struct vmfex_vf *vf;
	const char *driver = NULL;
	int used, r;

	r = open_ctx(g, &ctx);
	if (r)
		return r;
	r = find_vf(ctx, argc - 1, argv + 1, &used, &vf);
	if (r) {
		vmfex_unref(ctx);
		return r;
	}
	if (bind) {
		if (argc - 1 - used != 1) {
			r = usage_error("usage: vf bind VF DRIVER");
			goto out;
		}
		driver = argv[1 + used];
	} else if (argc - 1 != used) {
		r = usage_error("usage: vf unbind VF");
		goto out;
	}
	r = vmfex_vf_bind_driver(vf, driver);
	if (r < 0) {
		r = fail(r, "binding %s to %s", vmfex_vf_get_pci(vf),
		         driver ? driver : "its default driver");
		goto out;
	}
	if (g->json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "pci", json_object_new_string(vmfex_vf_get_pci(vf)));
		json_object_object_add(o, "driver", json_string_or_null(vmfex_vf_get_driver(vf)));
		json_object_object_add(o, "ifname", json_string_or_null(vmfex_vf_get_ifname(vf)));
		print_json(o);
		json_object_put(o);
	}
	else
		printf("%s: driver %s%s%s\n", vmfex_vf_get_pci(vf),
		       vmfex_vf_get_driver(vf) ? vmfex_vf_get_driver(vf) : "none",
		       vmfex_vf_get_ifname(vf) ? ", netdev " : "",
		       vmfex_vf_get_ifname(vf) ? vmfex_vf_get_ifname(vf) : "");
	r = EXIT_OK;
out:
	vmfex_vf_unref(vf);
	vmfex_unref(ctx);
	return r;
}

static int vf_bind(struct vmfexctl *g, int argc, char **argv)
{
	return vf_bind_common(g, argc, argv, true);
}

static int vf_unbind(struct vmfexctl *g, int argc, char **argv)
{
	return vf_bind_common(g, argc, argv, false);
}

static const struct command vf_commands[] = {
	{ "bind", vf_bind, NULL },
	{ "unbind", vf_unbind, NULL },
	{}
};

int cmd_vf(struct vmfexctl *g, int argc, char **argv)
{
	return run_subcommand(g, "vf", vf_commands, argc, argv);
}
