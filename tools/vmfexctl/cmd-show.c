/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmfexctl show [PF]: the host's SR-IOV inventory. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "vmfexctl.h"

/* A string as json-c writes it with JSON_C_TO_STRING_NOSLASHESCAPE: '"',
 * '\\' and control characters escaped, anything else as it is. */
static void json_put_string(struct printbuf *pb, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s;

	printbuf_strappend(pb, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[7] = { '\\', (char)c, 0 };

		if (c >= ' ' && c != '"' && c != '\\')
			continue;
		printbuf_memappend(pb, run, (int)(s - run));
		switch (c) {
		case '\b': esc[1] = 'b'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		case '\f': esc[1] = 'f'; break;
		case '"': case '\\': break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 0xf];
		}
		printbuf_memappend(pb, esc, (int)strlen(esc));
		run = s + 1;
	}
	printbuf_memappend(pb, run, (int)(s - run));
	printbuf_strappend(pb, "\"");
}

/* A line's start: the comma and newline after the previous one, the
 * indentation of level. */
static void json_put_indent(struct printbuf *pb, int level, bool first)
{
	if (!first)
		printbuf_strappend(pb, ",\n");
	printbuf_memset(pb, -1, ' ', level * 2);
}

static void json_put_key(struct printbuf *pb, int level, const char *key, bool first)
{
	json_put_indent(pb, level, first);
	json_put_string(pb, key);
	printbuf_strappend(pb, ": ");
}

static void json_put_string_or_null(struct printbuf *pb, const char *s)
{
	if (s)
		json_put_string(pb, s);
	else
		printbuf_strappend(pb, "null");
}

/* The "vfs" array, written from the PF's VFs as they were read by the
 * walk, as json-c would write the tree of them (JSON_C_TO_STRING_PRETTY
 * and SPACED) without that tree: building, writing and freeing an object
 * per VF was most of the command's own time on a large host. */
static int vfs_to_json(struct json_object *jso, struct printbuf *pb, int level, int flags)
{
	struct vmfex_pf *pf = json_object_get_userdata(jso);
	struct vmfex_vf *vf;
	bool first = true;
	char id[8];

	printbuf_strappend(pb, "[\n");
	vmfex_pf_foreach_vf(pf, vf) {
		json_put_indent(pb, level + 1, first);
		printbuf_strappend(pb, "{\n");
		json_put_key(pb, level + 2, "index", true);
		sprintbuf(pb, "%u", vmfex_vf_get_index(vf));
		json_put_key(pb, level + 2, "pci", false);
		json_put_string(pb, vmfex_vf_get_pci(vf));
		json_put_key(pb, level + 2, "ifname", false);
		json_put_string_or_null(pb, vmfex_vf_get_ifname(vf));
		json_put_key(pb, level + 2, "driver", false);
		json_put_string_or_null(pb, vmfex_vf_get_driver(vf));
		json_put_key(pb, level + 2, "device_id", false);
		snprintf(id, sizeof(id), "0x%04x", vmfex_vf_get_device_id(vf));
		json_put_string(pb, id);
		printbuf_strappend(pb, "\n");
		printbuf_memset(pb, -1, ' ', (level + 1) * 2);
		printbuf_strappend(pb, "}");
		first = false;
	}
	if (!first)
		printbuf_strappend(pb, "\n");
	printbuf_memset(pb, -1, ' ', level * 2);
	printbuf_strappend(pb, "]");
	return 0;
}

static void pf_release(struct json_object *jso, void *pf)
{
	vmfex_pf_unref(pf);
}

static json_object *pf_json(struct vmfex_pf *pf)
{
	json_object *o = json_object_new_object(), *vfs = json_object_new_array();

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
	json_object_set_serializer(vfs, vfs_to_json, vmfex_pf_ref(pf), pf_release);
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
