/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmfexctl pf set-num-vfs PF N [--timeout MS] [--autoprobe on|off] */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "progress.h"
#include "vmfexctl.h"

static int pf_set_num_vfs(struct vmfexctl *g, int argc, char **argv)
{
	static const struct option options[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "autoprobe", required_argument, NULL, 'a' },
		{}
	};
	struct vmfex_set_num_vfs_opts opts = { .sz = sizeof(opts) };
	unsigned long num, ms;
	struct vmfex_ctx *ctx;
	struct vmfex_pf *pf;
	struct progress *prog;
	struct args a;
	int c, r;

	args_init(&a, g, argc, argv, options, 2, 2);
	while ((c = args_next(&a)) > 0) {
		switch (c) {
		case 't':
			if (parse_uint_arg(a.arg, 3600000, &ms) < 0)
				return usage_error("--timeout takes milliseconds, not '%s'", a.arg);
			opts.timeout_ms = (unsigned int)ms;
			break;
		case 'a':
			if (strcmp(a.arg, "on") == 0)
				opts.autoprobe = VMFEX_AUTOPROBE_ON;
			else if (strcmp(a.arg, "off") == 0)
				opts.autoprobe = VMFEX_AUTOPROBE_OFF;
			else
				return usage_error("--autoprobe takes on or off, not '%s'", a.arg);
			break;
		}
	}
	if (c == ARGS_EXIT)
		return a.status;
	if (parse_uint_arg(a.op[1], 65535, &num) < 0)
		return usage_error("'%s' is not a VF count (0-65535)", a.op[1]);
	r = open_ctx(g, &ctx);
	if (r)
		return r;
	r = vmfex_pf_new_from_name(ctx, a.op[0], &pf);
	if (r < 0) {
		vmfex_unref(ctx);
		return fail(r, "PF %s", a.op[0]);
	}
	prog = progress_start(g, "%s: setting %lu VFs", vmfex_pf_get_pci(pf), num);
	r = vmfex_pf_set_num_vfs(pf, (unsigned int)num, &opts);
	progress_finish(prog);
	if (r < 0)
		fail(r, "setting %lu VFs on %s", num, vmfex_pf_get_pci(pf));
	else if (g->json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "pci", json_object_new_string(vmfex_pf_get_pci(pf)));
		json_object_object_add(o, "num_vfs", json_object_new_int((int)vmfex_pf_get_num_vfs(pf)));
		print_json(o);
		json_object_put(o);
	} else
		printf("%s: %u VFs enabled\n", vmfex_pf_get_pci(pf), vmfex_pf_get_num_vfs(pf));
	vmfex_pf_unref(pf);
	vmfex_unref(ctx);
	return r < 0 ? EXIT_FAIL : EXIT_OK;
}

static const struct command pf_commands[] = {
	{ "set-num-vfs", pf_set_num_vfs, "PF N [--timeout MS] [--autoprobe on|off]",
	  "change the number of VFs of PF to N" },
	{}
};

int cmd_pf(struct vmfexctl *g, int argc, char **argv)
{
	return run_subcommand(g, "pf", pf_commands, argc, argv);
}
