/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmfexctl vf show PF, vf set VF [settings], vf bind VF DRIVER, vf unbind
 * VF (back to the host's default driver); VF is "PF INDEX", or the VF's
 * netdev or PCI address. */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "vmfexctl.h"

static int vf_bind_common(struct vmfexctl *g, int argc, char **argv, bool bind)
{
	struct vmfex_ctx *ctx;
	struct vmfex_vf *vf;
	const char *driver = NULL;
	struct args a;
	int used, r;

	if (args_parse(&a, g, argc, argv, bind ? 2 : 1, bind ? 3 : 2) == ARGS_EXIT)
		return a.status;
	r = open_ctx(g, &ctx);
	if (r)
		return r;
	r = find_vf(ctx, a.n, a.op, &used, &vf);
	if (r) {
		vmfex_unref(ctx);
		return r;
	}
	if (bind) {
		if (a.n - used != 1) {
			r = usage_error("usage: vf bind VF DRIVER");
			goto out;
		}
		driver = a.op[used];
	} else if (a.n != used) {
		r = usage_error("usage: vf unbind VF");
		goto out;
	}
	r = vmfex_vf_bind_driver(vf, driver);
	if (r < 0) {
		r = fail(r, "binding %s to %s", vmfex_vf_get_pci(vf),
		         driver ? driver : "its default driver");
		goto out;
	}
	if (g->json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "pci", json_object_new_string(vmfex_vf_get_pci(vf)));
		json_object_object_add(o, "driver", json_string_or_null(vmfex_vf_get_driver(vf)));
		json_object_object_add(o, "ifname", json_string_or_null(vmfex_vf_get_ifname(vf)));
		print_json(o);
		json_object_put(o);
	}
	else
		printf("%s: driver %s%s%s\n", vmfex_vf_get_pci(vf),
		       vmfex_vf_get_driver(vf) ? vmfex_vf_get_driver(vf) : "none",
		       vmfex_vf_get_ifname(vf) ? ", netdev " : "",
		       vmfex_vf_get_ifname(vf) ? vmfex_vf_get_ifname(vf) : "");
	r = EXIT_OK;
out:
	vmfex_vf_unref(vf);
	vmfex_unref(ctx);
	return r;
}

static int vf_bind(struct vmfexctl *g, int argc, char **argv)
{
	return vf_bind_common(g, argc, argv, true);
}

static int vf_unbind(struct vmfexctl *g, int argc, char **argv)
{
	return vf_bind_common(g, argc, argv, false);
}

static json_object *json_tristate(int v)
{
	return v < 0 ? NULL : json_object_new_boolean(v);
}

static const char *link_state_name(int s)
{
	static const char *const names[] = { "auto", "enable", "disable" };

	return s >= 0 && s <= 2 ? names[s] : NULL;
}

static json_object *port_json(const struct vmfex_port_state *p)
{
	json_object *o;
	int req, resp;

	if (!p)
		return NULL;
	o = json_object_new_object();
	req = vmfex_port_state_get_request(p);
	resp = vmfex_port_state_get_response(p);
	json_object_object_add(o, "profile", json_string_or_null(vmfex_port_state_get_profile(p)));
	json_object_object_add(o, "instance_uuid",
	                       json_string_or_null(vmfex_port_state_get_instance_uuid(p)));
	json_object_object_add(o, "host_uuid", json_string_or_null(vmfex_port_state_get_host_uuid(p)));
	json_object_object_add(o, "request", req < 0 ? NULL :
	                       json_object_new_string(vmfex_port_request_to_string(req)));
	json_object_object_add(o, "response", resp < 0 ? NULL :
	                       json_object_new_string(vmfex_port_response_to_string(resp)));
	json_object_object_add(o, "response_code", resp < 0 ? NULL : json_object_new_int(resp));
	return o;
}

/* A VF as sysfs lists it, with what the kernel reported of it (vf may be
 * NULL: upstream enic reports nothing but associated ports). */
static json_object *link_vf_json(unsigned int index, struct vmfex_link_vf *vf)
{
	json_object *o = json_object_new_object();
	int vlan = vf ? vmfex_link_vf_get_vlan(vf) : -1, qos = vf ? vmfex_link_vf_get_qos(vf) : -1;
	const char *ls = vf ? link_state_name(vmfex_link_vf_get_link_state(vf)) : NULL;
	uint16_t proto = vf ? vmfex_link_vf_get_vlan_proto(vf) : 0;

	json_object_object_add(o, "index", json_object_new_int((int)index));
	json_object_object_add(o, "mac", json_string_or_null(vf ? vmfex_link_vf_get_mac(vf) : NULL));
	json_object_object_add(o, "vlan", vlan < 0 ? NULL : json_object_new_int(vlan));
	json_object_object_add(o, "qos", qos < 0 ? NULL : json_object_new_int(qos));
	json_object_object_add(o, "vlan_proto", proto ? json_id(proto) : NULL);
	json_object_object_add(o, "spoofchk", json_tristate(vf ? vmfex_link_vf_get_spoofchk(vf) : -1));
	json_object_object_add(o, "trust", json_tristate(vf ? vmfex_link_vf_get_trust(vf) : -1));
	json_object_object_add(o, "link_state", json_string_or_null(ls));
	json_object_object_add(o, "min_rate",
	                       vf ? json_object_new_int64(vmfex_link_vf_get_min_rate(vf)) : NULL);
	json_object_object_add(o, "max_rate",
	                       vf ? json_object_new_int64(vmfex_link_vf_get_max_rate(vf)) : NULL);
	json_object_object_add(o, "port", port_json(vf ? vmfex_link_vf_get_port(vf) : NULL));
	return o;
}

static void link_vf_text(unsigned int index, struct vmfex_link_vf *vf)
{
	const struct vmfex_port_state *p = vf ? vmfex_link_vf_get_port(vf) : NULL;
	const char *ls = vf ? link_state_name(vmfex_link_vf_get_link_state(vf)) : NULL;
	const char *mac = vf ? vmfex_link_vf_get_mac(vf) : NULL;

	printf("vf %-4u mac %s", index, mac ? mac : "-");
	if (vf && vmfex_link_vf_get_vlan(vf) >= 0)
		printf(" vlan %d qos %d", vmfex_link_vf_get_vlan(vf), vmfex_link_vf_get_qos(vf));
	if (vf && vmfex_link_vf_get_spoofchk(vf) >= 0)
		printf(" spoofchk %s", vmfex_link_vf_get_spoofchk(vf) ? "on" : "off");
	if (vf && vmfex_link_vf_get_trust(vf) >= 0)
		printf(" trust %s", vmfex_link_vf_get_trust(vf) ? "on" : "off");
	if (ls)
		printf(" link-state %s", ls);
	if (vf && (vmfex_link_vf_get_min_rate(vf) || vmfex_link_vf_get_max_rate(vf)))
		printf(" rate %u-%u", vmfex_link_vf_get_min_rate(vf), vmfex_link_vf_get_max_rate(vf));
	if (p)
		printf("  port %s %s profile %s instance %s",
		       vmfex_port_request_to_string(vmfex_port_state_get_request(p)),
		       vmfex_port_response_to_string(vmfex_port_state_get_response(p)),
		       vmfex_port_state_get_profile(p) ? vmfex_port_state_get_profile(p) : "-",
		       vmfex_port_state_get_instance_uuid(p) ? vmfex_port_state_get_instance_uuid(p)
		                                             : "-");
	putchar('\n');
}

static int vf_show(struct vmfexctl *g, int argc, char **argv)
{
	json_object *top = NULL, *vfs = NULL;
	struct vmfex_ctx *ctx;
	struct vmfex_link *link;
	struct vmfex_pf *pf;
	struct vmfex_vf *vf;
	struct args a;
	int r;

	if (args_parse(&a, g, argc, argv, 1, 1) == ARGS_EXIT)
		return a.status;
	r = open_ctx(g, &ctx);
	if (r)
		return r;
	r = vmfex_pf_new_from_name(ctx, a.op[0], &pf);
	if (r < 0) {
		vmfex_unref(ctx);
		return fail(r, "PF %s", a.op[0]);
	}
	r = vmfex_link_new_from_pf(pf, &link);
	if (r < 0) {
		vmfex_pf_unref(pf);
		vmfex_unref(ctx);
		return fail(r, "reading the VFs of %s", a.op[0]);
	}
	if (g->json) {
		top = json_object_new_object();
		vfs = json_object_new_array();
	}
	/* sysfs says which VFs there are; the kernel's reply what they hold. */
	vmfex_pf_foreach_vf(pf, vf) {
		unsigned int index = vmfex_vf_get_index(vf);
		struct vmfex_link_vf *lv = vmfex_link_find_vf(link, index);

		if (g->json)
			json_object_array_add(vfs, link_vf_json(index, lv));
		else
			link_vf_text(index, lv);
	}
	if (g->json) {
		json_object_object_add(top, "vfs", vfs);
		print_json(top);
		json_object_put(top);
	}
	vmfex_link_unref(link);
	vmfex_pf_unref(pf);
	vmfex_unref(ctx);
	return EXIT_OK;
}

static int parse_onoff(const char *opt, const char *s, bool *out)
{
	if (strcmp(s, "on") == 0)
		*out = true;
	else if (strcmp(s, "off") == 0)
		*out = false;
	else
		return usage_error("%s takes on or off, not '%s'", opt, s);
	return 0;
}

/* vf set VF [--mac M] [--vlan N [--qos N] [--proto 802.1Q|802.1ad]]
 *           [--spoofchk on|off] [--trust on|off] [--link-state auto|enable|disable]
 *           [--min-rate N] [--max-rate N]; one request per setting, in this order. */
static int vf_set(struct vmfexctl *g, int argc, char **argv)
{
	static const struct option options[] = {
		{ "mac", required_argument, NULL, 'm' },
		{ "vlan", required_argument, NULL, 'v' },
		{ "qos", required_argument, NULL, 'q' },
		{ "proto", required_argument, NULL, 'P' },
		{ "spoofchk", required_argument, NULL, 's' },
		{ "trust", required_argument, NULL, 't' },
		{ "link-state", required_argument, NULL, 'l' },
		{ "min-rate", required_argument, NULL, 'r' },
		{ "max-rate", required_argument, NULL, 'R' },
		{}
	};
	const char *mac = NULL;
	unsigned long vlan = 0, qos = 0, min_rate = 0, max_rate = 0;
	bool set_vlan = false, set_rate = false, spoofchk = false, trust = false;
	bool set_spoofchk = false, set_trust = false;
	int link_state = -1, c, used, r;
	uint16_t proto = 0;
	struct vmfex_ctx *ctx;
	struct vmfex_vf *vf;
	struct args a;

	args_init(&a, g, argc, argv, options, 1, 2);
	while ((c = args_next(&a)) > 0) {
		switch (c) {
		case 'm':
			mac = a.arg;
			break;
		case 'v':
			if (parse_uint_arg(a.arg, 4095, &vlan) < 0)
				return usage_error("--vlan takes 0-4095, not '%s'", a.arg);
			set_vlan = true;
			break;
		case 'q':
			if (parse_uint_arg(a.arg, 7, &qos) < 0)
				return usage_error("--qos takes 0-7, not '%s'", a.arg);
			break;
		case 'P':
			if (strcmp(a.arg, "802.1Q") == 0 || strcmp(a.arg, "802.1q") == 0)
				proto = 0x8100;
			else if (strcmp(a.arg, "802.1ad") == 0)
				proto = 0x88a8;
			else
				return usage_error("--proto takes 802.1Q or 802.1ad, not '%s'", a.arg);
			break;
		case 's':
			if (parse_onoff("--spoofchk", a.arg, &spoofchk))
				return EXIT_USAGE;
			set_spoofchk = true;
			break;
		case 't':
			if (parse_onoff("--trust", a.arg, &trust))
				return EXIT_USAGE;
			set_trust = true;
			break;
		case 'l':
			link_state = strcmp(a.arg, "auto") == 0     ? VMFEX_VF_LINK_STATE_AUTO
			             : strcmp(a.arg, "enable") == 0  ? VMFEX_VF_LINK_STATE_ENABLE
			             : strcmp(a.arg, "disable") == 0 ? VMFEX_VF_LINK_STATE_DISABLE
			                                              : -2;
			if (link_state == -2)
				return usage_error("--link-state takes auto, enable or disable");
			break;
		case 'r':
		case 'R':
			if (parse_uint_arg(a.arg, UINT32_MAX, c == 'r' ? &min_rate : &max_rate) < 0)
				return usage_error("rates are Mbit/s, not '%s'", a.arg);
			set_rate = true;
			break;
		}
	}
	if (c == ARGS_EXIT)
		return a.status;
	if (!mac && !set_vlan && !set_spoofchk && !set_trust && link_state < 0 && !set_rate)
		return usage_error("vf set: nothing to set");
	r = open_ctx(g, &ctx);
	if (r)
		return r;
	r = find_vf(ctx, a.n, a.op, &used, &vf);
	if (r) {
		vmfex_unref(ctx);
		return r;
	}
	if (used != a.n) {
		r = usage_error("usage: vf set VF [settings]");
		goto out;
	}
	r = 0;
	if (mac)
		r = vmfex_vf_set_mac(vf, mac);
	if (r == 0 && set_vlan)
		r = vmfex_vf_set_vlan(vf, (unsigned int)vlan, (unsigned int)qos, proto);
	if (r == 0 && set_spoofchk)
		r = vmfex_vf_set_spoofchk(vf, spoofchk);
	if (r == 0 && set_trust)
		r = vmfex_vf_set_trust(vf, trust);
	if (r == 0 && link_state >= 0)
		r = vmfex_vf_set_link_state(vf, link_state);
	if (r == 0 && set_rate)
		r = vmfex_vf_set_rate(vf, (uint32_t)min_rate, (uint32_t)max_rate);
	r = r < 0 ? fail(r, "setting VF %s", vmfex_vf_get_pci(vf)) : EXIT_OK;
out:
	vmfex_vf_unref(vf);
	vmfex_unref(ctx);
	return r;
}

static const struct command vf_commands[] = {
	{ "show", vf_show, "PF", "every VF of PF: MAC, VLAN, flags, rates and its port" },
	{ "set", vf_set, "VF [--mac M] [--vlan N [--qos N] [--proto 802.1Q|802.1ad]] "
	  "[--spoofchk on|off] [--trust on|off] [--link-state auto|enable|disable] "
	  "[--min-rate N] [--max-rate N]", "change a VF's settings" },
	{ "bind", vf_bind, "VF DRIVER", "bind the VF to DRIVER" },
	{ "unbind", vf_unbind, "VF", "bind the VF back to the host's default driver" },
	{ "reserve", cmd_vf_reserve, "PF --vm-uuid UUID [--vm-name NAME]",
	  "reserve a free VF of PF for a VM" },
	{ "release", cmd_vf_release, "VF [--vm-uuid UUID]", "release a VF's lease" },
	{ "leases", cmd_vf_leases, "[--reclaim-stale]", "the leases of the host" },
	{}
};

int cmd_vf(struct vmfexctl *g, int argc, char **argv)
{
	return run_subcommand(g, "vf", vf_commands, argc, argv);
}
