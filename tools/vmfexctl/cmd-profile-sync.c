/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmfexctl profile sync-ucsm: the port profiles of a UCS Manager, asked
 * over its XML API, into the catalog. The password comes from a file
 * only: a command line is visible to every user of the host. Also what
 * it shares with import-ucsm and profile list: the count imported, the
 * JSON of the clients UCS Manager's profiles bring. */
#include <stdio.h>
#include <stdlib.h>

#include "args.h"
#include "vmfexctl.h"

void print_imported(struct vmfexctl *g, int n)
{
	if (g->json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "imported", json_object_new_int(n));
		print_json(o);
		json_object_put(o);
	} else {
		printf("%d port profiles imported\n", n);
	}
}

json_object *ucsm_clients_json(const struct vmfex_profile *p)
{
	const struct vmfex_ucsm_client *cl;
	json_object *a = json_object_new_array();

	vmfex_profile_foreach_ucsm_client(p, cl) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "name", json_object_new_string(vmfex_ucsm_client_get_name(cl)));
		json_object_object_add(o, "dc_name", json_object_new_string(vmfex_ucsm_client_get_dc_name(cl)));
		json_object_object_add(o, "org_path", json_object_new_string(vmfex_ucsm_client_get_org_path(cl)));
		json_object_object_add(o, "sw_name", json_object_new_string(vmfex_ucsm_client_get_sw_name(cl)));
		json_object_array_add(a, o);
	}
	return a;
}

int cmd_profile_sync(struct vmfexctl *g, int argc, char **argv)
{
	enum { O_USER = 0x100, O_PWFILE, O_CAFILE, O_INSECURE, O_TIMEOUT, O_PASSWORD };
	static const struct option options[] = {
		{ "user", required_argument, NULL, O_USER },
		{ "password-file", required_argument, NULL, O_PWFILE },
		{ "ca-file", required_argument, NULL, O_CAFILE },
		{ "insecure", no_argument, NULL, O_INSECURE },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		/* Named only to refuse it with the reason. */
		{ "password", required_argument, NULL, O_PASSWORD },
		{}
	};
	struct vmfex_ucsm_sync_opts o = { .sz = sizeof(o) };
	struct vmfex_catalog *cat;
	struct vmfex_ctx *ctx;
	unsigned long n;
	struct args a;
	int c, r;

	args_init(&a, g, argc, argv, options, 1, 1);
	while ((c = args_next(&a)) > 0) {
		switch (c) {
		case O_USER:
			o.user = a.arg;
			break;
		case O_PWFILE:
			o.password_file = a.arg;
			break;
		case O_CAFILE:
			o.ca_file = a.arg;
			break;
		case O_INSECURE:
			o.insecure = true;
			break;
		case O_TIMEOUT:
			if (parse_uint_arg(a.arg, 86400, &n) < 0 || n == 0)
				return usage_error("--timeout takes 1-86400 seconds, not '%s'", a.arg);
			o.timeout = (unsigned int)n;
			break;
		case O_PASSWORD:
			return usage_error("the password is read from a file only: --password-file F");
		}
	}
	if (c == ARGS_EXIT)
		return a.status;
	if (!o.user || !o.password_file)
		return usage_error("profile sync-ucsm needs --user and --password-file");
	if (o.ca_file && o.insecure)
		return usage_error("--ca-file and --insecure exclude each other");
	o.url = a.op[0];
	r = catalog_cmd_open(g, true, &ctx, &cat);
	if (r)
		return r;
	r = vmfex_catalog_sync_ucsm(cat, &o);
	if (r < 0) {
		catalog_cmd_close(ctx, cat);
		return fail(r, "syncing from %s (the catalog is unchanged)", o.url);
	}
	n = (unsigned long)r;
	r = catalog_cmd_save(cat);
	if (r == EXIT_OK)
		print_imported(g, (int)n);
	catalog_cmd_close(ctx, cat);
	return r;
}
