/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* attach / detach: a VM's VM-FEX vNIC in one call. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "progress.h"
#include "vmfexctl.h"

#define MAX_DOMAINS 64
#define MAX_DOMAIN_SIZE (16u << 20)

static char *read_file(const char *path)
{
	FILE *in = fopen(path, "re");
	char *buf;
	size_t n;

	if (!in)
		return NULL;
	buf = malloc(MAX_DOMAIN_SIZE + 1);
	if (!buf) {
		fclose(in);
		return NULL;
	}
	n = fread(buf, 1, MAX_DOMAIN_SIZE, in);
	fclose(in);
	buf[n] = '\0';
	return buf;
}

/* attach --vm-uuid UUID --vm-name NAME --profile NAME [--pf PF]
 *        [--topology passthrough|hostdev] [--mac MAC] [--by-libvirt | --preassociate]
 *        [--domain FILE]...  (or --migration-finish --vm-uuid UUID) */
int cmd_attach(struct vmfexctl *g, int argc, char **argv)
{
	static const struct option options[] = {
		{ "vm-uuid", required_argument, NULL, 'u' },
		{ "vm-name", required_argument, NULL, 'n' },
		{ "profile", required_argument, NULL, 'p' },
		{ "pf", required_argument, NULL, 'f' },
		{ "topology", required_argument, NULL, 't' },
		{ "mac", required_argument, NULL, 'm' },
		{ "by-libvirt", no_argument, NULL, 'l' },
		{ "preassociate", no_argument, NULL, 'P' },
		{ "migration-finish", no_argument, NULL, 'F' },
		{ "domain", required_argument, NULL, 'd' },
		{}
	};
	struct vmfex_attach_opts o = { .sz = sizeof(o) };
	char *domains[MAX_DOMAINS + 1] = { NULL };
	size_t n_domains = 0;
	bool finish = false;
	struct vmfex_ctx *ctx = NULL;
	struct vmfex_catalog *cat = NULL;
	char *xml = NULL;
	struct progress *prog;
	struct args a;
	int c, r;

	args_init(&a, g, argc, argv, options, 0, 0);
	while ((c = args_next(&a)) > 0) {
		switch (c) {
		case 'u': o.vm_uuid = a.arg; break;
		case 'n': o.vm_name = a.arg; break;
		case 'p': o.profile = a.arg; break;
		case 'f': o.pf = a.arg; break;
		case 'm': o.mac = a.arg; break;
		case 'l': o.association = VMFEX_ATTACH_BY_LIBVIRT; break;
		case 'P': o.association = VMFEX_ATTACH_PREASSOCIATE; break;
		case 'F': finish = true; break;
		case 't':
			if (strcmp(a.arg, "passthrough") == 0)
				o.topology = VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH;
			else if (strcmp(a.arg, "hostdev") == 0)
				o.topology = VMFEX_XML_TOPOLOGY_HOSTDEV;
			else
				return usage_error("--topology takes passthrough or hostdev, not '%s'",
				                   a.arg);
			break;
		case 'd':
			if (n_domains == MAX_DOMAINS)
				return usage_error("at most %d --domain", MAX_DOMAINS);
			domains[n_domains] = read_file(a.arg);
			if (!domains[n_domains]) {
				r = fail(-errno, "reading %s", a.arg);
				goto out;
			}
			n_domains++;
			break;
		}
	}
	if (c == ARGS_EXIT) {
		r = a.status;
		goto out;
	}
	if (!o.vm_uuid || (!finish && !o.profile)) {
		r = usage_error("attach: --vm-uuid and --profile are required");
		goto out;
	}
	o.domains = (const char *const *)domains;
	r = open_ctx(g, &ctx);
	if (r)
		goto out;
	if (finish) {
		prog = progress_start(g, 0, "VM %s: associating its ports", o.vm_uuid);
		r = vmfex_attach_migration_finish(ctx, o.vm_uuid);
		progress_finish(prog);
		if (r < 0) {
			r = fail(r, "associating the ports of VM %s", o.vm_uuid);
			goto out;
		}
		if (g->json) {
			json_object *top = json_object_new_object();

			json_object_object_add(top, "vm_uuid", json_object_new_string(o.vm_uuid));
			json_object_object_add(top, "associated", json_object_new_int(r));
			print_json(top);
			json_object_put(top);
		} else {
			printf("%d port(s) of VM %s associated\n", r, o.vm_uuid);
		}
		r = EXIT_OK;
		goto out;
	}
	/* The profile is checked in the catalog: the one named, or the
	 * default one when the host has it (without one, UCS Manager alone
	 * knows the profiles). */
	if (g->catalog_path || access(catalog_path(g, ctx), F_OK) == 0) {
		r = vmfex_catalog_open(ctx, catalog_path(g, ctx), NULL, &cat);
		if (r < 0) {
			r = fail(r, "catalog %s", catalog_path(g, ctx));
			goto out;
		}
		o.catalog = cat;
	}
	prog = progress_start(g, 0, "VM %s: attaching", o.vm_uuid);
	r = vmfex_attach(ctx, &o, &xml);
	progress_finish(prog);
	if (r < 0) {
		r = fail(r, "attaching VM %s", o.vm_uuid);
		goto out;
	}
	if (g->json) {
		json_object *top = json_object_new_object();

		json_object_object_add(top, "vm_uuid", json_object_new_string(o.vm_uuid));
		json_object_object_add(top, "interface", json_object_new_string(xml));
		print_json(top);
		json_object_put(top);
	} else {
		fputs(xml, stdout);
		if (xml[0] && xml[strlen(xml) - 1] != '\n')
			putchar('\n');
	}
	r = EXIT_OK;
out:
	free(xml);
	for (size_t i = 0; i < n_domains; i++)
		free(domains[i]);
	vmfex_catalog_unref(cat);
	vmfex_unref(ctx);
	return r;
}

/* detach --vm-uuid UUID */
int cmd_detach(struct vmfexctl *g, int argc, char **argv)
{
	static const struct option options[] = {
		{ "vm-uuid", required_argument, NULL, 'u' },
		{}
	};
	const char *uuid = NULL;
	struct progress *prog;
	struct vmfex_ctx *ctx;
	struct args a;
	int c, r;

	args_init(&a, g, argc, argv, options, 0, 0);
	while ((c = args_next(&a)) > 0)
		uuid = a.arg;
	if (c == ARGS_EXIT)
		return a.status;
	if (!uuid)
		return usage_error("detach: --vm-uuid is required");
	r = open_ctx(g, &ctx);
	if (r)
		return r;
	prog = progress_start(g, 0, "VM %s: detaching", uuid);
	r = vmfex_detach(ctx, uuid);
	progress_finish(prog);
	if (r < 0) {
		r = fail(r, "detaching VM %s", uuid);
	} else {
		if (g->json) {
			json_object *top = json_object_new_object();

			json_object_object_add(top, "vm_uuid", json_object_new_string(uuid));
			json_object_object_add(top, "released", json_object_new_int(r));
			print_json(top);
			json_object_put(top);
		} else {
			printf("VM %s detached: %d VF(s) released\n", uuid, r);
		}
		r = EXIT_OK;
	}
	vmfex_unref(ctx);
	return r;
}
