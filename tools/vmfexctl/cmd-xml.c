/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmfexctl xml: libvirt XML for a VF, a pool network or a pool interface.
 *   xml interface PF VF [--profile NAME] [--topology T] [--mac MAC] ...
 *   xml network PF --name NAME --topology T [--profile NAME]... ...
 *   xml network-interface NETWORK [PORTGROUP] [--mac MAC] [--model M] */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static const char *catalog_path(struct vmfexctl *g, const char *local)
{
	if (local)
		return local;
	if (g->catalog_path)
		return g->catalog_path;
	return DEFAULT_CATALOG;
}

static int xml_open_catalog(struct vmfex_ctx *ctx, const char *path, struct vmfex_catalog **cat)
{
	int r = vmfex_catalog_open(ctx, path, NULL, cat);

	return r < 0 ? fail(r, "catalog %s", path) : 0;
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
	int c, used, r;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'p': profile = optarg; break;
		case 't':
			if (parse_topology(optarg, &o.topology))
				return EXIT_USAGE;
			break;
		case 'm': o.mac = optarg; break;
		case 'M': o.model = optarg; break;
		case 'n': o.no_virtualport = true; break;
		case 'd': o.allow_deprecated = true; break;
		case 'u': o.unmanaged = true; break;
		case 'c': cat_path = optarg; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return usage_error("xml interface: name a VF as PF VF, or by its netdev or PCI address");
	if (!profile && !o.no_virtualport)
		return usage_error("xml interface: --profile is required (or --no-virtualport)");
	r = open_ctx(g, &ctx);
	if (r)
		return r;
	r = find_vf(ctx, argc - optind, argv + optind, &used, &vf);
	if (r)
		goto out_ctx;
	if (optind + used != argc) {
		r = usage_error("xml interface: unexpected argument '%s'", argv[optind + used]);
		goto out_vf;
	}
	/* The catalog gives the profile (and its topology); without one, or
	 * with an explicit topology and no catalog, the name is the profileid. */
	if (profile && (cat_path || g->catalog_path || o.topology == VMFEX_XML_TOPOLOGY_PROFILE)) {
		r = xml_open_catalog(ctx, catalog_path(g, cat_path), &cat);
		if (r)
			goto out_vf;
		r = vmfex_catalog_get_profile(cat, profile, &prof);
		if (r < 0) {
			r = fail(r, "profile %s in %s", profile, catalog_path(g, cat_path));
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
	int c, r;

	profiles = calloc((size_t)argc + 1, sizeof(*profiles));
	if (!profiles)
		return fail(-ENOMEM, "xml network");
	optind = 0;
	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'N': name = optarg; break;
		case 't':
			if (parse_topology(optarg, &o.topology)) {
				free(profiles);
				return EXIT_USAGE;
			}
			break;
		case 'p': profiles[n_profiles++] = optarg; break;
		case 'D': o.default_profile = optarg; break;
		case 'l': o.list_devices = true; break;
		case 'x': no_profiles = true; break;
		case 'c': cat_path = optarg; break;
		case 'V': o.no_virtualport = true; break;
		default:
			free(profiles);
			return EXIT_USAGE;
		}
	}
	if (optind + 1 != argc || !name || o.topology == VMFEX_XML_TOPOLOGY_PROFILE) {
		free(profiles);
		return usage_error("xml network PF --name NAME --topology passthrough|hostdev");
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
	r = vmfex_pf_new_from_name(ctx, argv[optind], &pf);
	if (r < 0) {
		r = fail(r, "PF %s", argv[optind]);
		goto out_ctx;
	}
	if (!no_profiles) {
		r = xml_open_catalog(ctx, catalog_path(g, cat_path), &cat);
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
	int c, r;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'm': o.mac = optarg; break;
		case 'M': o.model = optarg; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind >= argc || argc - optind > 2)
		return usage_error("xml network-interface NETWORK [PORTGROUP]");
	r = open_ctx(g, &ctx);
	if (r)
		return r;
	r = vmfex_xml_interface_for_network(ctx, argv[optind],
	                                    optind + 1 < argc ? argv[optind + 1] : NULL, &o, &xml);
	if (r < 0)
		r = fail(r, "interface on network %s", argv[optind]);
	else
		r = print_xml(g, xml);
	vmfex_unref(ctx);
	return r;
}

int cmd_xml(struct vmfexctl *g, int argc, char **argv)
{
	static const struct command cmds[] = {
		{ "interface", xml_interface, NULL },
		{ "network", xml_network, NULL },
		{ "network-interface", xml_network_interface, NULL },
		{ "metadata", cmd_xml_metadata, NULL },
		{}
	};

	return run_subcommand(g, "xml", cmds, argc, argv);
}
