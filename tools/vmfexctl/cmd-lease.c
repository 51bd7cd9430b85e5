/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vf reserve | vf release | vf leases: the VF allocator's leases. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "vmfexctl.h"

/* vf reserve PF --vm-uuid UUID [--vm-name NAME]: the lease is confirmed,
 * as the VM outlives this command. */
int cmd_vf_reserve(struct vmfexctl *g, int argc, char **argv)
{
	static const struct option options[] = {
		{ "vm-uuid", required_argument, NULL, 'u' },
		{ "vm-name", required_argument, NULL, 'n' },
		{}
	};
	struct vmfex_reserve_opts o = { .sz = sizeof(o), .confirm = true };
	struct vmfex_ctx *ctx;
	struct vmfex_pf *pf;
	struct vmfex_vf *vf;
	struct args a;
	int c, r;

	args_init(&a, g, argc, argv, options, 1, 1);
	while ((c = args_next(&a)) > 0) {
		if (c == 'u')
			o.vm_uuid = a.arg;
		else if (c == 'n')
			o.vm_name = a.arg;
	}
	if (c == ARGS_EXIT)
		return a.status;
	if (!o.vm_uuid)
		return usage_error("vf reserve: --vm-uuid is required");
	r = open_ctx(g, &ctx);
	if (r)
		return r;
	r = vmfex_pf_new_from_name(ctx, a.op[0], &pf);
	if (r < 0) {
		r = fail(r, "PF %s", a.op[0]);
		goto out;
	}
	r = vmfex_vf_reserve(pf, &o, &vf);
	if (r < 0) {
		r = fail(r, "reserving a VF of %s", a.op[0]);
		vmfex_pf_unref(pf);
		goto out;
	}
	if (g->json) {
		json_object *top = json_object_new_object();

		json_object_object_add(top, "pf", json_object_new_string(vmfex_pf_get_pci(pf)));
		json_object_object_add(top, "vf", json_object_new_int((int)vmfex_vf_get_index(vf)));
		json_object_object_add(top, "pci", json_object_new_string(vmfex_vf_get_pci(vf)));
		json_object_object_add(top, "vm_uuid", json_object_new_string(o.vm_uuid));
		json_object_object_add(top, "vm_name", json_string_or_null(o.vm_name));
		print_json(top);
		json_object_put(top);
	} else {
		printf("VF %u of %s (%s) reserved for %s\n", vmfex_vf_get_index(vf),
		       vmfex_pf_get_pci(pf), vmfex_vf_get_pci(vf), o.vm_uuid);
	}
	vmfex_vf_unref(vf);
	vmfex_pf_unref(pf);
	r = EXIT_OK;
out:
	vmfex_unref(ctx);
	return r;
}

/* vf release VF [--vm-uuid UUID]: without the UUID, whoever holds it. */
int cmd_vf_release(struct vmfexctl *g, int argc, char **argv)
{
	static const struct option options[] = {
		{ "vm-uuid", required_argument, NULL, 'u' },
		{}
	};
	const char *uuid = NULL;
	struct vmfex_ctx *ctx;
	struct vmfex_vf *vf;
	struct args a;
	int c, r, used;

	args_init(&a, g, argc, argv, options, 1, 2);
	while ((c = args_next(&a)) > 0) {
		if (c == 'u')
			uuid = a.arg;
	}
	if (c == ARGS_EXIT)
		return a.status;
	r = open_ctx(g, &ctx);
	if (r)
		return r;
	r = find_vf(ctx, a.n, a.op, &used, &vf);
	if (r)
		goto out;
	if (used != a.n) {
		r = usage_error("vf release: unexpected argument '%s'", a.op[used]);
		vmfex_vf_unref(vf);
		goto out;
	}
	r = vmfex_vf_release(vf, uuid);
	r = r < 0 ? fail(r, "releasing VF %s", vmfex_vf_get_pci(vf)) : EXIT_OK;
	vmfex_vf_unref(vf);
out:
	vmfex_unref(ctx);
	return r;
}

/* vf leases [--reclaim-stale] */
int cmd_vf_leases(struct vmfexctl *g, int argc, char **argv)
{
	static const struct option options[] = {
		{ "reclaim-stale", no_argument, NULL, 'r' },
		{}
	};
	bool reclaim = false;
	struct vmfex_ctx *ctx;
	struct vmfex_lease_list *list;
	struct vmfex_lease *l;
	json_object *top = NULL, *arr = NULL;
	struct args a;
	int c, r;

	args_init(&a, g, argc, argv, options, 0, 0);
	while ((c = args_next(&a)) > 0) {
		if (c == 'r')
			reclaim = true;
	}
	if (c == ARGS_EXIT)
		return a.status;
	r = open_ctx(g, &ctx);
	if (r)
		return r;
	if (reclaim) {
		r = vmfex_lease_reclaim_stale(ctx);
		if (r < 0) {
			r = fail(r, "reclaiming stale leases");
			goto out;
		}
		if (!g->json)
			printf("%d stale lease(s) reclaimed\n", r);
	}
	r = vmfex_lease_list_new(ctx, &list);
	if (r < 0) {
		r = fail(r, "reading the leases");
		goto out;
	}
	if (g->json) {
		top = json_object_new_object();
		arr = json_object_new_array();
		json_object_object_add(top, "leases", arr);
	}
	vmfex_lease_list_foreach(list, l) {
		if (g->json) {
			json_object *o = json_object_new_object();

			json_object_object_add(o, "pf", json_object_new_string(vmfex_lease_get_pf(l)));
			json_object_object_add(o, "vf",
			                       json_object_new_int((int)vmfex_lease_get_vf_index(l)));
			json_object_object_add(o, "vm_uuid",
			                       json_object_new_string(vmfex_lease_get_vm_uuid(l)));
			json_object_object_add(o, "vm_name",
			                       json_string_or_null(vmfex_lease_get_vm_name(l)));
			json_object_array_add(arr, o);
		} else {
			printf("%s vf %u  %s  %s%s\n", vmfex_lease_get_pf(l), vmfex_lease_get_vf_index(l),
			       vmfex_lease_get_vm_uuid(l),
			       vmfex_lease_get_vm_name(l) ? vmfex_lease_get_vm_name(l) : "-",
			       vmfex_lease_is_stale(l) ? "  (stale)" : "");
		}
	}
	if (top) {
		print_json(top);
		json_object_put(top);
	}
	vmfex_lease_list_unref(list);
	r = EXIT_OK;
out:
	vmfex_unref(ctx);
	return r;
}
