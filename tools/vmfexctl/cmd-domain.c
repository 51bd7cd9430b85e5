/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmfexctl domain inspect FILE [--network FILE]...: the interfaces of a
 * libvirt domain, the VFs and port profiles they use, and whether the
 * domain can live migrate. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "vmfexctl.h"

#define MAX_XML_FILE ((size_t)16 << 20)

static int read_file(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "re");
	size_t cap = 0, n = 0;
	char *b = NULL;

	if (!f)
		return fail(-errno, "%s", path);
	for (;;) {
		size_t got;

		if (n == cap) {
			char *nb;

			if (cap > MAX_XML_FILE) {
				free(b);
				fclose(f);
				return fail(-EFBIG, "%s", path);
			}
			cap = cap ? cap * 2 : 65536;
			nb = realloc(b, cap + 1);
			if (!nb) {
				free(b);
				fclose(f);
				return fail(-ENOMEM, "%s", path);
			}
			b = nb;
		}
		got = fread(b + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(b);
		fclose(f);
		return fail(-EIO, "%s", path);
	}
	fclose(f);
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

static const char *topology_word(enum vmfex_xml_topology t)
{
	switch (t) {
	case VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH: return "macvtap-passthrough";
	case VMFEX_XML_TOPOLOGY_HOSTDEV: return "hostdev";
	case VMFEX_XML_TOPOLOGY_MACVTAP_PRIVATE: return "macvtap-private";
	default: return NULL;
	}
}

/* The VF behind an interface, when the host has it; quiet otherwise. */
static char *iface_vf(struct vmfex_ctx *ctx, struct vmfex_xml_iface *i, char **pf_name,
                      int *index)
{
	struct vmfex_vf *vf;
	int prio = vmfex_get_log_priority(ctx);
	char *pci = NULL;

	*pf_name = NULL;
	*index = -1;
	vmfex_set_log_priority(ctx, 0);
	if (vmfex_vf_new_from_xml_iface(i, &vf) == 0) {
		struct vmfex_pf *pf = vmfex_vf_get_pf(vf);
		const char *n = vmfex_pf_get_ifname(pf);

		pci = strdup(vmfex_vf_get_pci(vf));
		*pf_name = strdup(n ? n : vmfex_pf_get_pci(pf));
		*index = (int)vmfex_vf_get_index(vf);
		vmfex_vf_unref(vf);
	}
	vmfex_set_log_priority(ctx, prio);
	return pci;
}

static void print_domain(struct vmfexctl *g, struct vmfex_ctx *ctx, struct vmfex_xml_domain *dom)
{
	const char *reason;
	bool migrate = vmfex_xml_domain_can_migrate(dom, &reason);
	struct vmfex_xml_iface *i;
	json_object *arr = NULL, *o = NULL;
	unsigned int pos = 0;

	if (g->json) {
		o = json_object_new_object();
		arr = json_object_new_array();
		json_object_object_add(o, "name", json_string_or_null(vmfex_xml_domain_get_name(dom)));
	} else {
		printf("domain %s\n", vmfex_xml_domain_get_name(dom) ? vmfex_xml_domain_get_name(dom)
		                                                      : "(no name)");
	}
	vmfex_xml_domain_foreach_iface(dom, i) {
		const char *topo = topology_word(vmfex_xml_iface_get_topology(i));
		char *pf_name, *vf_pci;
		int index;

		pos++;
		vf_pci = ctx ? iface_vf(ctx, i, &pf_name, &index) : (pf_name = NULL, index = -1, NULL);
		if (g->json) {
			json_object *e = json_object_new_object();

			json_object_object_add(e, "type", json_string_or_null(vmfex_xml_iface_get_type(i)));
			json_object_object_add(e, "topology", json_string_or_null(topo));
			json_object_object_add(e, "source_dev", json_string_or_null(vmfex_xml_iface_get_source_dev(i)));
			json_object_object_add(e, "source_mode", json_string_or_null(vmfex_xml_iface_get_source_mode(i)));
			json_object_object_add(e, "network", json_string_or_null(vmfex_xml_iface_get_network(i)));
			json_object_object_add(e, "portgroup", json_string_or_null(vmfex_xml_iface_get_portgroup(i)));
			json_object_object_add(e, "pci", json_string_or_null(vmfex_xml_iface_get_pci(i)));
			json_object_object_add(e, "mac", json_string_or_null(vmfex_xml_iface_get_mac(i)));
			json_object_object_add(e, "model", json_string_or_null(vmfex_xml_iface_get_model(i)));
			json_object_object_add(e, "virtualport", json_string_or_null(vmfex_xml_iface_get_virtualport_type(i)));
			json_object_object_add(e, "profileid", json_string_or_null(vmfex_xml_iface_get_profileid(i)));
			json_object_object_add(e, "vf_pci", json_string_or_null(vf_pci));
			json_object_object_add(e, "pf", json_string_or_null(pf_name));
			json_object_object_add(e, "vf", index >= 0 ? json_object_new_int(index) : NULL);
			json_object_array_add(arr, e);
		} else {
			const char *s;

			printf("interface %u: type %s", pos, vmfex_xml_iface_get_type(i));
			if (topo)
				printf(" (%s)", topo);
			if ((s = vmfex_xml_iface_get_source_dev(i)))
				printf(", dev %s mode %s", s,
				       vmfex_xml_iface_get_source_mode(i) ? vmfex_xml_iface_get_source_mode(i) : "-");
			if ((s = vmfex_xml_iface_get_network(i)))
				printf(", network %s portgroup %s", s,
				       vmfex_xml_iface_get_portgroup(i) ? vmfex_xml_iface_get_portgroup(i) : "(default)");
			if ((s = vmfex_xml_iface_get_pci(i)))
				printf(", pci %s", s);
			if ((s = vmfex_xml_iface_get_mac(i)))
				printf(", mac %s", s);
			if ((s = vmfex_xml_iface_get_model(i)))
				printf(", model %s", s);
			if ((s = vmfex_xml_iface_get_virtualport_type(i)))
				printf(", virtualport %s", s);
			if ((s = vmfex_xml_iface_get_profileid(i)))
				printf(", profile %s", s);
			if (vf_pci)
				printf(", VF %d of %s (%s)", index, pf_name, vf_pci);
			putchar('\n');
		}
		free(vf_pci);
		free(pf_name);
	}
	if (g->json) {
		json_object_object_add(o, "interfaces", arr);
		json_object_object_add(o, "live_migration", json_object_new_boolean(migrate));
		json_object_object_add(o, "reason", json_string_or_null(reason));
		print_json(o);
		json_object_put(o);
	} else {
		printf("live migration: %s%s%s\n", migrate ? "yes" : "no", reason ? ": " : "",
		       reason ? reason : "");
	}
}

static int domain_inspect(struct vmfexctl *g, int argc, char **argv)
{
	static const struct option options[] = {
		{ "network", required_argument, NULL, 'n' },
		{}
	};
	struct vmfex_xml_domain *dom = NULL;
	struct vmfex_ctx *ctx, *host = NULL;
	const char **nets;
	size_t n_nets = 0, len;
	char *buf;
	struct args a;
	int c, r;

	nets = calloc((size_t)argc + 1, sizeof(*nets));
	if (!nets)
		return fail(-ENOMEM, "domain inspect");
	args_init(&a, g, argc, argv, options, 1, 1);
	while ((c = args_next(&a)) > 0)
		nets[n_nets++] = a.arg;
	if (c == ARGS_EXIT) {
		free(nets);
		return a.status;
	}
	r = open_ctx(g, &ctx);
	if (r) {
		free(nets);
		return r;
	}
	/* The VFs are looked up on the host (or the simulated one) only when
	 * one was named: a domain file can be inspected anywhere. */
	if (g->sim_dir || g->sysfs_root)
		host = ctx;
	r = read_file(a.op[0], &buf, &len);
	if (r)
		goto out;
	r = vmfex_xml_domain_new_from_buffer(ctx, buf, len, &dom);
	free(buf);
	if (r < 0) {
		r = fail(r, "domain %s", a.op[0]);
		goto out;
	}
	for (size_t k = 0; k < n_nets; k++) {
		struct vmfex_xml_network *net;

		r = read_file(nets[k], &buf, &len);
		if (r)
			goto out;
		r = vmfex_xml_network_new_from_buffer(ctx, buf, len, &net);
		free(buf);
		if (r < 0) {
			r = fail(r, "network %s", nets[k]);
			goto out;
		}
		r = vmfex_xml_domain_add_network(dom, net);
		vmfex_xml_network_unref(net);
		if (r < 0) {
			r = fail(r, "network %s for domain %s", nets[k], a.op[0]);
			goto out;
		}
	}
	print_domain(g, host, dom);
	r = EXIT_OK;
out:
	vmfex_xml_domain_unref(dom);
	vmfex_unref(ctx);
	free(nets);
	return r;
}

int cmd_domain(struct vmfexctl *g, int argc, char **argv)
{
	static const struct command cmds[] = {
		{ "inspect", domain_inspect, "FILE [--network FILE]...",
		  "a domain's interfaces, their VFs and profiles, and whether it can live migrate" },
		{}
	};

	return run_subcommand(g, "domain", cmds, argc, argv);
}
