/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmfexctl cluster list|add|del: clusters in the catalog file. */
#include <stdio.h>

#include "args.h"
#include "vmfexctl.h"

static int cluster_list(struct vmfexctl *g, int argc, char **argv)
{
	struct vmfex_catalog *cat;
	struct vmfex_cluster *cl;
	struct vmfex_ctx *ctx;
	struct args a;
	int r;

	if (args_parse(&a, g, argc, argv, 0, 0) == ARGS_EXIT)
		return a.status;
	r = catalog_cmd_open(g, false, &ctx, &cat);
	if (r)
		return r;
	if (g->json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "clusters", catalog_clusters_json(cat));
		print_json(o);
		json_object_put(o);
	} else {
		vmfex_catalog_foreach_cluster(cat, cl)
			printf("%s%s\n", vmfex_cluster_get_name(cl),
			       vmfex_cluster_is_default(cl) ? " (default)" : "");
	}
	catalog_cmd_close(ctx, cat);
	return EXIT_OK;
}

static int cluster_add_del(struct vmfexctl *g, int argc, char **argv, bool add)
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
	r = add ? vmfex_catalog_add_cluster(cat, a.op[0], NULL)
	        : vmfex_catalog_del_cluster(cat, a.op[0]);
	r = r < 0 ? fail(r, "cluster %s", a.op[0]) : catalog_cmd_save(cat);
	catalog_cmd_close(ctx, cat);
	return r;
}

static int cluster_add(struct vmfexctl *g, int argc, char **argv)
{
	return cluster_add_del(g, argc, argv, true);
}

static int cluster_del(struct vmfexctl *g, int argc, char **argv)
{
	return cluster_add_del(g, argc, argv, false);
}

int cmd_cluster(struct vmfexctl *g, int argc, char **argv)
{
	static const struct command cmds[] = {
		{ "list", cluster_list, "", "the catalog's clusters" },
		{ "add", cluster_add, "NAME", "add a cluster" },
		{ "del", cluster_del, "NAME", "delete a cluster" },
		{}
	};

	return run_subcommand(g, "cluster", cmds, argc, argv);
}
