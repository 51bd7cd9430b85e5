/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmfexctl xml: libvirt XML for a VF, a pool network or a pool interface.
 *   xml interface PF VF [--profile NAME] [--topology T] [--mac MAC] ...
 *   xml network PF --name NAME --topology T [--profile NAME]... ...
 *   xml network-interface NETWORK [PORTGROUP] [--mac MAC] [--model M] */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "vmfexctl.h"


static int parse_topology(const char *s, enum vmfex_xml_topology *t)
{
	if (strcmp(s, "passthrough") == 0 || strcmp(s, "macvtap-passthrough") == 0)
		*t = VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH;
	else if (strcmp(s, "hostdev") == 0)
		*t = VMFEX_XML_TOPOLOGY_HOSTDEV;
	else if (strcmp(s, "private") == 0 || strcmp(s, "macvtap-private") == 0)
		*t = VMFEX_XML_TOPOLOGY_MACVTAP_PRIVATE;
	else
		return usage_error("--topology is passthrough, hostdev or private, not '%s'", s);
	return 0;
}


int print_xml(struct vmfexctl *g, char *xml)
{
	if (g->json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "xml", json_object_new_string(xml));
		print_json(o);
		json_object_put(o);
	} else {
		fputs(xml, stdout);
	}
	free(xml);
	return EXIT_OK;
}

static int xml_interface(struct vmfexctl *g, int argc, char **argv)
{
	static const struct option options[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "topology", required_argument, NULL, 't' },
		{ "mac", required_argument, NULL, 'm' },
		{ "model", required_argument, NULL, 'M' },
		{ "no-virtualport", no_argument, NULL, 'n' },
		{ "allow-deprecated", no_argument, NULL, 'd' },
		{ "unmanaged", no_argument, NULL, 'u' },
		{ "catalog", required_argument, NULL, 'c' },
		{}
	};
	struct vmfex_xml_interface_opts o = { .sz = sizeof(o) };
	const char *profile = NULL, *cat_path = NULL;
	struct vmfex_catalog *cat = NULL;
	struct vmfex_profile *prof = NULL;
	struct vmfex_ctx *ctx;
	struct vmfex_vf *vf;
	char *xml;
	struct args a;
	int c, used, r;

	args_init(&a, g, argc, argv, options, 1, 2);
	while ((c = args_next(&a)) > 0) {
		switch (c) {
		case 'p': profile = a.arg; break;
		case 't':
			if (parse_topology(a.arg, &o.topology))
				return EXIT_USAGE;
			break;
		case 'm': o.mac = a.arg; break;
		case 'M': o.model = a.arg; break;
		case 'n': o.no_virtualport = true; break;
		case 'd': o.allow_deprecated = true; break;
		case 'u': o.unmanaged = true; break;
		case 'c': cat_path = a.arg; break;
		}
	}
	if (c == ARGS_EXIT)
		return a.status;
	if (!profile && !o.no_virtualport)
		return usage_error("xml interface: --profile is required (or --no-virtualport)");
	r = open_ctx(g, &ctx);
	if (r)
		return r;
	r = find_vf(ctx, a.n, a.op, &used, &vf);
	if (r)
		goto out_ctx;
	if (used != a.n) {
		r = usage_error("xml interface: unexpected argument '%s'", a.op[used]);
		goto out_vf;
	}
	/* The catalog gives the profile (and its topology); without one, or
	 * with an explicit topology and no catalog, the name is the profileid. */
	if (profile && (cat_path || g->catalog_path || o.topology == VMFEX_XML_TOPOLOGY_PROFILE)) {
		if (!cat_path)
			cat_path = catalog_path(g, ctx);
		r = catalog_open_path(ctx, cat_path, false, &cat);
		if (r)
			goto out_vf;
		r = vmfex_catalog_lookup_profile(cat, profile, &prof);
		if (r < 0) {
			r = fail(r, "profile %s in %s", profile, cat_path);
			goto out_cat;
		}
	} else {
		o.profileid = profile;
	}
	r = vmfex_xml_interface_for_vf(vf, prof, &o, &xml);
	if (r < 0)
		r = fail(r, "interface for VF %s", vmfex_vf_get_pci(vf));
	else
		r = print_xml(g, xml);
	vmfex_profile_unref(prof);
out_cat:
	vmfex_catalog_unref(cat);
out_vf:
	vmfex_vf_unref(vf);
out_ctx:
	vmfex_unref(ctx);
	return r;
}

static int xml_network(struct vmfexctl *g, int argc, char **argv)
{
	static const struct option options[] = {
		{ "name", required_argument, NULL, 'N' },
		{ "topology", required_argument, NULL, 't' },
		{ "profile", required_argument, NULL, 'p' },
		{ "default-profile", required_argument, NULL, 'D' },
		{ "list-devices", no_argument, NULL, 'l' },
		{ "no-profiles", no_argument, NULL, 'x' },
		{ "catalog", required_argument, NULL, 'c' },
		{ "no-virtualport", no_argument, NULL, 'V' },
		{}
	};
	struct vmfex_xml_network_opts o = { .sz = sizeof(o) };
	const char *name = NULL, *cat_path = NULL;
	const char **profiles = NULL;
	size_t n_profiles = 0;
	bool no_profiles = false;
	struct vmfex_catalog *cat = NULL;
	struct vmfex_ctx *ctx;
	struct vmfex_pf *pf;
	char *xml;
	struct args a;
	int c, r;

	profiles = calloc((size_t)argc + 1, sizeof(*profiles));
	if (!profiles)
		return fail(-ENOMEM, "xml network");
	args_init(&a, g, argc, argv, options, 1, 1);
	while ((c = args_next(&a)) > 0) {
		switch (c) {
		case 'N': name = a.arg; break;
		case 't':
			if (parse_topology(a.arg, &o.topology)) {
				free(profiles);
				return EXIT_USAGE;
			}
			break;
		case 'p': profiles[n_profiles++] = a.arg; break;
		case 'D': o.default_profile = a.arg; break;
		case 'l': o.list_devices = true; break;
		case 'x': no_profiles = true; break;
		case 'c': cat_path = a.arg; break;
		case 'V': o.no_virtualport = true; break;
		}
	}
	if (c == ARGS_EXIT) {
		free(profiles);
		return a.status;
	}
	if (!name || o.topology == VMFEX_XML_TOPOLOGY_PROFILE) {
		free(profiles);
		return usage_error("xml network: --name and --topology are required");
	}
	if (n_profiles) {
		o.profiles = profiles;
		if (o.default_profile) {
			bool listed = false;

			for (size_t i = 0; i < n_profiles; i++)
				listed |= strcmp(profiles[i], o.default_profile) == 0;
			if (!listed)
				profiles[n_profiles++] = o.default_profile;
		}
	}
	r = open_ctx(g, &ctx);
	if (r) {
		free(profiles);
		return r;
	}
	r = vmfex_pf_new_from_name(ctx, a.op[0], &pf);
	if (r < 0) {
		r = fail(r, "PF %s", a.op[0]);
		goto out_ctx;
	}
	if (!no_profiles) {
		r = catalog_open_path(ctx, cat_path ? cat_path : catalog_path(g, ctx), false, &cat);
		if (r)
			goto out_pf;
	}
	r = vmfex_xml_network_for_pf(pf, name, cat, &o, &xml);
	if (r < 0)
		r = fail(r, "network %s", name);
	else
		r = print_xml(g, xml);
	vmfex_catalog_unref(cat);
out_pf:
	vmfex_pf_unref(pf);
out_ctx:
	vmfex_unref(ctx);
	free(profiles);
	return r;
}

static int xml_network_interface(struct vmfexctl *g, int argc, char **argv)
{
	static const struct option options[] = {
		{ "mac", required_argument, NULL, 'm' },
		{ "model", required_argument, NULL, 'M' },
		{}
	};
	struct vmfex_xml_interface_opts o = { .sz = sizeof(o) };
	struct vmfex_ctx *ctx;
	char *xml;
	struct args a;
	int c, r;

	args_init(&a, g, argc, argv, options, 1, 2);
	while ((c = args_next(&a)) > 0) {
		switch (c) {
		case 'm': o.mac = a.arg; break;
		case 'M': o.model = a.arg; break;
		}
	}
	if (c == ARGS_EXIT)
		return a.status;
	r = open_ctx(g, &ctx);
	if (r)
		return r;
	r = vmfex_xml_interface_for_network(ctx, a.op[0], a.n > 1 ? a.op[1] : NULL, &o, &xml);
	if (r < 0)
		r = fail(r, "interface on network %s", a.op[0]);
	else
		r = print_xml(g, xml);
	vmfex_unref(ctx);
	return r;
}

int cmd_xml(struct vmfexctl *g, int argc, char **argv)
{
	static const struct command cmds[] = {
		{ "interface", xml_interface,
		  "PF VF|VF --profile NAME [--topology passthrough|hostdev|private] [--mac MAC] "
		  "[--model M] [--no-virtualport] [--allow-deprecated] [--unmanaged] [--catalog PATH]",
		  "a domain's <interface> for the VF" },
		{ "network", xml_network,
		  "PF --name NAME --topology passthrough|hostdev [--profile NAME]... "
		  "[--default-profile NAME] [--list-devices] [--no-profiles] [--catalog PATH] "
		  "[--no-virtualport]",
		  "a pool <network> over the PF's VFs, a portgroup per profile" },
		{ "network-interface", xml_network_interface,
		  "NETWORK [PORTGROUP] [--mac MAC] [--model M]",
		  "a domain's <interface> on a pool network" },
		{ "metadata", cmd_xml_metadata, "MAC PROFILE [MAC PROFILE]...",
		  "libvmfex's element for a domain's <metadata>: each interface's profile by MAC" },
		{}
	};

	return run_subcommand(g, "xml", cmds, argc, argv);
}
