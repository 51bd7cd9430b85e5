/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmfexctl profile list|show|add|set|del|import-ucsm: port profiles in
 * the catalog file (see catalog_path()). */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "vmfexctl.h"

/* The one rule for every command: --catalog; else catalog.xml in the
 * simulated host's directory (--sim or VMFEX_SIM); else the system's. */
const char *catalog_path(struct vmfexctl *g, struct vmfex_ctx *ctx)
{
	static char in_sim[PATH_MAX];
	const char *sim = vmfex_get_sim_dir(ctx);

	if (g->catalog_path)
		return g->catalog_path;
	if (sim && (size_t)snprintf(in_sim, sizeof(in_sim), "%s/catalog.xml", sim) < sizeof(in_sim))
		return in_sim;
	return DEFAULT_CATALOG;
}

/* A missing catalog is an empty one: listed as such, created by a change. */
int catalog_open_path(struct vmfex_ctx *ctx, const char *path, bool write,
                      struct vmfex_catalog **cat)
{
	struct vmfex_catalog_open_opts o = { .sz = sizeof(o), .lock = write, .create = true };
	int r = vmfex_catalog_open(ctx, path, &o, cat);

	return r < 0 ? fail(r, "catalog %s", path) : 0;
}

/* Open the catalog: for a change, locked. */
int catalog_cmd_open(struct vmfexctl *g, bool write, struct vmfex_ctx **ctx,
                 struct vmfex_catalog **cat)
{
	int r;

	r = open_ctx(g, ctx);
	if (r)
		return r;
	r = catalog_open_path(*ctx, catalog_path(g, *ctx), write, cat);
	if (r)
		vmfex_unref(*ctx);
	return r;
}

void catalog_cmd_close(struct vmfex_ctx *ctx, struct vmfex_catalog *cat)
{
	vmfex_catalog_unref(cat);
	vmfex_unref(ctx);
}

int catalog_cmd_save(struct vmfex_catalog *cat)
{
	int r = vmfex_catalog_save(cat, NULL);

	return r < 0 ? fail(r, "saving %s", vmfex_catalog_get_path(cat)) : EXIT_OK;
}

static json_object *profile_json(struct vmfex_profile *p)
{
	json_object *o = json_object_new_object(), *vlans = json_object_new_array(),
	            *clients = json_object_new_array();
	struct vmfex_vlan *v;
	const char *cl;

	json_object_object_add(o, "name", json_object_new_string(vmfex_profile_get_name(p)));
	json_object_object_add(o, "descr", json_string_or_null(vmfex_profile_get_descr(p)));
	vmfex_profile_foreach_vlan(p, v) {
		json_object *jv = json_object_new_object();

		json_object_object_add(jv, "name", json_object_new_string(vmfex_vlan_get_name(v)));
		json_object_object_add(jv, "id", vmfex_vlan_get_id(v) ?
		                       json_object_new_int((int)vmfex_vlan_get_id(v)) : NULL);
		json_object_object_add(jv, "native", json_object_new_boolean(vmfex_vlan_is_native(v)));
		json_object_array_add(vlans, jv);
	}
	json_object_object_add(o, "vlans", vlans);
	json_object_object_add(o, "qos_policy", json_string_or_null(vmfex_profile_get_qos_policy(p)));
	json_object_object_add(o, "nw_ctrl_policy",
	                       json_string_or_null(vmfex_profile_get_nw_ctrl_policy(p)));
	json_object_object_add(o, "pin_group", json_string_or_null(vmfex_profile_get_pin_group(p)));
	json_object_object_add(o, "max_ports", json_object_new_int((int)vmfex_profile_get_max_ports(p)));
	json_object_object_add(o, "host_nw_io_perf", json_object_new_string(
	        vmfex_host_nw_io_perf_to_string(vmfex_profile_get_host_nw_io_perf(p))));
	json_object_object_add(o, "type", json_object_new_string(
	        vmfex_profile_type_to_string(vmfex_profile_get_type(p))));
	json_object_object_add(o, "topology", json_object_new_string(
	        vmfex_topology_to_string(vmfex_profile_get_topology(p))));
	json_object_object_add(o, "uuid", json_string_or_null(vmfex_profile_get_uuid(p)));
	vmfex_profile_foreach_client(p, cl)
		json_object_array_add(clients, json_object_new_string(cl));
	json_object_object_add(o, "clients", clients);
	json_object_object_add(o, "ucsm_clients", ucsm_clients_json(p));
	return o;
}

json_object *catalog_clusters_json(struct vmfex_catalog *cat)
{
	json_object *a = json_object_new_array();
	struct vmfex_cluster *cl;

	vmfex_catalog_foreach_cluster(cat, cl)
		json_object_array_add(a, json_object_new_string(vmfex_cluster_get_name(cl)));
	return a;
}

static void profile_text(struct vmfex_profile *p, bool verbose)
{
	struct vmfex_vlan *v;
	const char *cl;
	bool first = true;

	printf("%-31s max-ports %-4u %-14s %-8s vlans", vmfex_profile_get_name(p),
	       vmfex_profile_get_max_ports(p),
	       vmfex_host_nw_io_perf_to_string(vmfex_profile_get_host_nw_io_perf(p)),
	       vmfex_profile_type_to_string(vmfex_profile_get_type(p)));
	vmfex_profile_foreach_vlan(p, v) {
		printf("%s%s", first ? " " : ",", vmfex_vlan_get_name(v));
		if (vmfex_vlan_get_id(v))
			printf("(%u)", vmfex_vlan_get_id(v));
		if (vmfex_vlan_is_native(v))
			putchar('*');
		first = false;
	}
	if (first)
		printf(" -");
	printf(" clients");
	first = true;
	vmfex_profile_foreach_client(p, cl) {
		printf("%s%s", first ? " " : ",", cl);
		first = false;
	}
	if (first)
		printf(" -");
	putchar('\n');
	if (!verbose)
		return;
	printf("  descr %s\n  qos-policy %s\n  nw-ctrl-policy %s\n  pin-group %s\n"
	       "  topology %s\n  uuid %s\n",
	       vmfex_profile_get_descr(p) ? vmfex_profile_get_descr(p) : "-",
	       vmfex_profile_get_qos_policy(p) ? vmfex_profile_get_qos_policy(p) : "-",
	       vmfex_profile_get_nw_ctrl_policy(p) ? vmfex_profile_get_nw_ctrl_policy(p) : "-",
	       vmfex_profile_get_pin_group(p) ? vmfex_profile_get_pin_group(p) : "-",
	       vmfex_topology_to_string(vmfex_profile_get_topology(p)),
	       vmfex_profile_get_uuid(p) ? vmfex_profile_get_uuid(p) : "-");
}

static int profile_list(struct vmfexctl *g, int argc, char **argv)
{
	struct vmfex_catalog *cat;
	struct vmfex_profile *p;
	struct vmfex_ctx *ctx;
	struct args a;
	int r;

	if (args_parse(&a, g, argc, argv, 0, 0) == ARGS_EXIT)
		return a.status;
	r = catalog_cmd_open(g, false, &ctx, &cat);
	if (r)
		return r;
	if (g->json) {
		json_object *top = json_object_new_object(), *arr = json_object_new_array();

		vmfex_catalog_foreach_profile(cat, p)
			json_object_array_add(arr, profile_json(p));
		json_object_object_add(top, "profiles", arr);
		json_object_object_add(top, "clusters", catalog_clusters_json(cat));
		print_json(top);
		json_object_put(top);
	} else {
		vmfex_catalog_foreach_profile(cat, p)
			profile_text(p, false);
	}
	catalog_cmd_close(ctx, cat);
	return EXIT_OK;
}

static int profile_show(struct vmfexctl *g, int argc, char **argv)
{
	struct vmfex_catalog *cat;
	struct vmfex_profile *p;
	struct vmfex_ctx *ctx;
	struct args a;
	int r;

	if (args_parse(&a, g, argc, argv, 1, 1) == ARGS_EXIT)
		return a.status;
	r = catalog_cmd_open(g, false, &ctx, &cat);
	if (r)
		return r;
	r = vmfex_catalog_lookup_profile(cat, a.op[0], &p);
	if (r < 0) {
		catalog_cmd_close(ctx, cat);
		return fail(r, "profile %s", a.op[0]);
	}
	if (g->json) {
		json_object *o = profile_json(p);

		print_json(o);
		json_object_put(o);
	} else {
		profile_text(p, true);
	}
	vmfex_profile_unref(p);
	catalog_cmd_close(ctx, cat);
	return EXIT_OK;
}

/* "NAME:ID" or "NAME:ID:native" or "NAME" (id unknown). */
static int parse_vlan(const char *s, char *name, size_t size, unsigned long *id, bool *native)
{
	const char *c = strchr(s, ':'), *c2;
	char num[16];

	*id = 0;
	*native = false;
	if (!c) {
		snprintf(name, size, "%s", s);
		return 0;
	}
	if ((size_t)(c - s) >= size)
		return -1;
	memcpy(name, s, (size_t)(c - s));
	name[c - s] = '\0';
	c2 = strchr(c + 1, ':');
	if (c2) {
		if (strcmp(c2 + 1, "native") != 0)
			return -1;
		*native = true;
	}
	snprintf(num, sizeof(num), "%.*s", c2 ? (int)(c2 - c - 1) : (int)strlen(c + 1), c + 1);
	return parse_uint_arg(num, 65535, id);
}

enum { O_DESCR = 0x100, O_QOS, O_NWCTRL, O_PIN, O_MAXPORTS, O_PERF, O_TYPE, O_VLAN,
       O_DELVLAN, O_CLIENT, O_DELCLIENT };
static const struct option settings[] = {
		{ "descr", required_argument, NULL, O_DESCR },
		{ "qos-policy", required_argument, NULL, O_QOS },
		{ "nw-ctrl-policy", required_argument, NULL, O_NWCTRL },
		{ "pin-group", required_argument, NULL, O_PIN },
		{ "max-ports", required_argument, NULL, O_MAXPORTS },
		{ "host-nw-io-perf", required_argument, NULL, O_PERF },
		{ "type", required_argument, NULL, O_TYPE },
		{ "vlan", required_argument, NULL, O_VLAN },
		{ "del-vlan", required_argument, NULL, O_DELVLAN },
		{ "client", required_argument, NULL, O_CLIENT },
		{ "del-client", required_argument, NULL, O_DELCLIENT },
		{}
};

/* The options of add and set, applied in order (the line is checked). */
static int apply_settings(struct vmfexctl *g, struct vmfex_profile *p, int argc, char **argv)
{
	unsigned long n;
	struct args a;
	int c, r = 0;

	args_init(&a, g, argc, argv, settings, 1, 1);
	while ((c = args_next(&a)) > 0) {
		switch (c) {
		case O_DESCR:
			r = vmfex_profile_set_descr(p, a.arg);
			break;
		case O_QOS:
			r = vmfex_profile_set_qos_policy(p, a.arg);
			break;
		case O_NWCTRL:
			r = vmfex_profile_set_nw_ctrl_policy(p, a.arg);
			break;
		case O_PIN:
			r = vmfex_profile_set_pin_group(p, a.arg);
			break;
		case O_MAXPORTS:
			if (parse_uint_arg(a.arg, 1u << 20, &n) < 0)
				return usage_error("--max-ports takes a number, not '%s'", a.arg);
			r = vmfex_profile_set_max_ports(p, (unsigned int)n);
			break;
		case O_PERF:
			r = vmfex_host_nw_io_perf_from_string(a.arg);
			if (r < 0)
				return usage_error("--host-nw-io-perf takes none or high-perf-reqd");
			r = vmfex_profile_set_host_nw_io_perf(p, (enum vmfex_host_nw_io_perf)r);
			break;
		case O_TYPE:
			r = vmfex_profile_type_from_string(a.arg);
			if (r < 0)
				return usage_error("--type takes regular or sla-only");
			r = vmfex_profile_set_type(p, (enum vmfex_profile_type)r);
			break;
		case O_VLAN: {
			char name[64];
			bool native;

			if (parse_vlan(a.arg, name, sizeof(name), &n, &native) < 0)
				return usage_error("--vlan takes NAME[:ID[:native]], not '%s'", a.arg);
			r = vmfex_profile_set_vlan(p, name, (unsigned int)(n > 65535 ? 65535 : n),
			                           native);
			break;
		}
		case O_DELVLAN:
			r = vmfex_profile_del_vlan(p, a.arg);
			break;
		case O_CLIENT:
			r = vmfex_profile_add_client(p, a.arg);
			break;
		case O_DELCLIENT:
			r = vmfex_profile_del_client(p, a.arg);
			break;
		}
		if (r < 0)
			return fail(r, "profile %s", vmfex_profile_get_name(p));
	}
	return c == ARGS_EXIT ? a.status : EXIT_OK;
}

static int profile_add_set(struct vmfexctl *g, int argc, char **argv, bool add)
{
	struct vmfex_catalog *cat;
	struct vmfex_profile *p;
	struct vmfex_ctx *ctx;
	struct args a;
	int c, r;

	/* The line is read once for its NAME, once more to apply it. */
	args_init(&a, g, argc, argv, settings, 1, 1);
	while ((c = args_next(&a)) > 0)
		;
	if (c == ARGS_EXIT)
		return a.status;
	r = catalog_cmd_open(g, true, &ctx, &cat);
	if (r)
		return r;
	r = add ? vmfex_catalog_add_profile(cat, a.op[0], &p)
	        : vmfex_catalog_lookup_profile(cat, a.op[0], &p);
	if (r < 0) {
		catalog_cmd_close(ctx, cat);
		return fail(r, "profile %s", a.op[0]);
	}
	/* A new profile is for KVM VMs: the default cluster is its client. */
	if (add)
		r = vmfex_profile_add_client(p, VMFEX_CLUSTER_DEFAULT);
	if (r == 0)
		r = apply_settings(g, p, argc, argv);
	else
		r = fail(r, "profile %s", a.op[0]);
	if (r == EXIT_OK)
		r = catalog_cmd_save(cat);
	vmfex_profile_unref(p);
	catalog_cmd_close(ctx, cat);
	return r;
}

static int profile_add(struct vmfexctl *g, int argc, char **argv)
{
	return profile_add_set(g, argc, argv, true);
}

static int profile_set(struct vmfexctl *g, int argc, char **argv)
{
	return profile_add_set(g, argc, argv, false);
}

static int profile_del(struct vmfexctl *g, int argc, char **argv)
{
	struct vmfex_catalog *cat;
	struct vmfex_ctx *ctx;
	struct args a;
	int r;

	if (args_parse(&a, g, argc, argv, 1, 1) == ARGS_EXIT)
		return a.status;
	r = catalog_cmd_open(g, true, &ctx, &cat);
	if (r)
		return r;
	r = vmfex_catalog_del_profile(cat, a.op[0]);
	r = r < 0 ? fail(r, "profile %s", a.op[0]) : catalog_cmd_save(cat);
	catalog_cmd_close(ctx, cat);
	return r;
}

static int profile_import(struct vmfexctl *g, int argc, char **argv)
{
	struct vmfex_catalog *cat;
	struct vmfex_ctx *ctx;
	struct args a;
	int r, n;

	if (args_parse(&a, g, argc, argv, 1, 1) == ARGS_EXIT)
		return a.status;
	r = catalog_cmd_open(g, true, &ctx, &cat);
	if (r)
		return r;
	n = vmfex_catalog_import_ucsm_file(cat, a.op[0]);
	if (n < 0) {
		catalog_cmd_close(ctx, cat);
		return fail(n, "importing %s (the catalog is unchanged)", a.op[0]);
	}
	r = catalog_cmd_save(cat);
	if (r == EXIT_OK)
		print_imported(g, n);
	catalog_cmd_close(ctx, cat);
	return r;
}

#define PROFILE_SETTINGS                                                                      \
	"[--descr S] [--vlan NAME[:ID[:native]]]... [--del-vlan NAME] [--qos-policy P] "      \
	"[--nw-ctrl-policy P] [--pin-group G] [--max-ports N] "                               \
	"[--host-nw-io-perf none|high-perf-reqd] [--type regular|sla-only] [--client CLUSTER] " \
	"[--del-client CLUSTER]"

int cmd_profile(struct vmfexctl *g, int argc, char **argv)
{
	static const struct command cmds[] = {
		{ "list", profile_list, "", "every port profile, sorted by name" },
		{ "show", profile_show, "NAME", "one profile with all its properties" },
		{ "add", profile_add, "NAME " PROFILE_SETTINGS, "add a profile" },
		{ "set", profile_set, "NAME " PROFILE_SETTINGS, "change a profile" },
		{ "del", profile_del, "NAME", "delete a profile" },
		{ "import-ucsm", profile_import, "FILE",
		  "import the port profiles of a UCS Manager XML API export" },
		{ "sync-ucsm", cmd_profile_sync, SYNC_UCSM_SYNOPSIS,
		  "the port profiles of a UCS Manager, asked over its XML API" },
		{}
	};

	return run_subcommand(g, "profile", cmds, argc, argv);
}
