/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmfexctl show [PF]: the host's SR-IOV inventory. */
#include <stdio.h>

#include "args.h"
#include "vmfexctl.h"

static json_object *vf_json(struct vmfex_vf *vf)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "index", json_object_new_int((int)vmfex_vf_get_index(vf)));
	json_object_object_add(o, "pci", json_object_new_string(vmfex_vf_get_pci(vf)));
	json_object_object_add(o, "ifname", json_string_or_null(vmfex_vf_get_ifname(vf)));
	json_object_object_add(o, "driver", json_string_or_null(vmfex_vf_get_driver(vf)));
	json_object_object_add(o, "device_id", json_id(vmfex_vf_get_device_id(vf)));
	return o;
}

static json_object *pf_json(struct vmfex_pf *pf)
{
	json_object *o = json_object_new_object(), *vfs = json_object_new_array();
	struct vmfex_vf *vf;

	json_object_object_add(o, "pci", json_object_new_string(vmfex_pf_get_pci(pf)));
	json_object_object_add(o, "ifname", json_string_or_null(vmfex_pf_get_ifname(pf)));
	json_object_object_add(o, "driver", json_string_or_null(vmfex_pf_get_driver(pf)));
	json_object_object_add(o, "vendor_id", json_id(vmfex_pf_get_vendor_id(pf)));
	json_object_object_add(o, "device_id", json_id(vmfex_pf_get_device_id(pf)));
	json_object_object_add(o, "subsystem_vendor_id",
	                       json_id(vmfex_pf_get_subsystem_vendor_id(pf)));
	json_object_object_add(o, "subsystem_device_id",
	                       json_id(vmfex_pf_get_subsystem_device_id(pf)));
	json_object_object_add(o, "vendor", json_string_or_null(vmfex_pf_read_vendor_name(pf)));
	json_object_object_add(o, "device", json_string_or_null(vmfex_pf_read_device_name(pf)));
	json_object_object_add(o, "model", json_string_or_null(vmfex_pf_read_model(pf)));
	json_object_object_add(o, "vic", json_object_new_boolean(vmfex_pf_is_vic(pf)));
	json_object_object_add(o, "total_vfs", json_object_new_int((int)vmfex_pf_get_total_vfs(pf)));
	json_object_object_add(o, "num_vfs", json_object_new_int((int)vmfex_pf_get_num_vfs(pf)));
	vmfex_pf_foreach_vf(pf, vf)
		json_object_array_add(vfs, vf_json(vf));
	json_object_object_add(o, "vfs", vfs);
	return o;
}

static const char *or_dash(const char *s)
{
	return s ? s : "-";
}

static void pf_text(struct vmfex_pf *pf)
{
	struct vmfex_vf *vf;
	const char *model = vmfex_pf_read_model(pf);

	printf("%s  %s  driver %s  %04x:%04x %s %s%s%s%s\n", vmfex_pf_get_pci(pf),
	       or_dash(vmfex_pf_get_ifname(pf)), or_dash(vmfex_pf_get_driver(pf)),
	       vmfex_pf_get_vendor_id(pf), vmfex_pf_get_device_id(pf),
	       or_dash(vmfex_pf_read_vendor_name(pf)), or_dash(vmfex_pf_read_device_name(pf)),
	       model ? " (" : "", model ? model : "", model ? ")" : "");
	printf("  VFs: %u enabled of %u%s\n", vmfex_pf_get_num_vfs(pf), vmfex_pf_get_total_vfs(pf),
	       vmfex_pf_is_vic(pf) ? ", Cisco VIC" : "");
	vmfex_pf_foreach_vf(pf, vf)
		printf("  vf %-4u %s  %-15s driver %-10s device %04x\n", vmfex_vf_get_index(vf),
		       vmfex_vf_get_pci(vf), or_dash(vmfex_vf_get_ifname(vf)),
		       or_dash(vmfex_vf_get_driver(vf)), vmfex_vf_get_device_id(vf));
}

int cmd_show(struct vmfexctl *g, int argc, char **argv)
{
	struct vmfex_ctx *ctx;
	struct vmfex_pf *pf;
	json_object *pfs;
	struct args a;
	int r;

	if (args_parse(&a, g, argc, argv, 0, 1) == ARGS_EXIT)
		return a.status;
	r = open_ctx(g, &ctx);
	if (r)
		return r;
	pfs = json_object_new_array();
	if (a.n == 1) {
		r = vmfex_pf_new_from_name(ctx, a.op[0], &pf);
		if (r < 0) {
			json_object_put(pfs);
			vmfex_unref(ctx);
			return fail(r, "PF %s", a.op[0]);
		}
		if (g->json)
			json_object_array_add(pfs, pf_json(pf));
		else
			pf_text(pf);
		vmfex_pf_unref(pf);
	} else {
		vmfex_pf_foreach(ctx, pf) {
			if (g->json)
				json_object_array_add(pfs, pf_json(pf));
			else
				pf_text(pf);
		}
	}
	if (g->json) {
		json_object *top = json_object_new_object();

		json_object_object_add(top, "pfs", pfs);
		print_json(top);
		json_object_put(top);
	} else {
		json_object_put(pfs);
	}
	vmfex_unref(ctx);
	return EXIT_OK;
}
