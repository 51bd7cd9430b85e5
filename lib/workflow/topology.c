/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The host's VM-FEX topology as a Graphviz DOT graph, drawn as the Cisco
 * configuration guide draws it: hostdev VMs straight onto their VF,
 * MacVTap passthrough VMs through a macvtap device onto the VF. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvmfex/libvmfex.h>
#include <libvmfex/advisor.h>
#include <libvmfex/workflow.h>

#include "libvmfex-private.h"

/* Writes s as the inside of a DOT quoted string: '"' and '\' escaped
 * (so that no name can end the string or make a DOT escape such as \N),
 * control characters replaced by '?'. */
static void put_escaped(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fputc('\\', out);
		fputc(c < 0x20 || c == 0x7f ? '?' : c, out);
	}
}

/* A quoted DOT id: a prefix and an escaped name. */
static void put_id(FILE *out, const char *prefix, const char *name)
{
	fprintf(out, "\"%s", prefix);
	put_escaped(out, name);
	fputc('"', out);
}

/* An edge line: indent, both ends, and attributes (" [...]" or ""). */
static void put_edge(FILE *out, const char *indent, const char *from_prefix, const char *from,
                     const char *to_prefix, const char *to, const char *attrs)
{
	fputs(indent, out);
	put_id(out, from_prefix, from);
	fputs(" -> ", out);
	put_id(out, to_prefix, to);
	fprintf(out, "%s;\n", attrs);
}

/* How a VF is filled: by the state of its port, else by its lease. The
 * legend lists them in this order. */
enum vf_look { VF_PLAIN, VF_ASSOCIATED, VF_IN_PROGRESS, VF_REFUSED, VF_LEASED };

static const struct {
	const char *name, *color;
} vf_looks[] = {
	[VF_ASSOCIATED] = { "associated", "palegreen" },
	[VF_IN_PROGRESS] = { "in progress", "lightskyblue" },
	[VF_REFUSED] = { "refused", "lightpink" },
	[VF_LEASED] = { "leased, no port", "khaki" },
};

/* A port's state from its last request and the adapter's response: a
 * preassociation is in progress until the migration's associate. */
static enum vf_look port_look(const struct vmfex_port_state *ps)
{
	int req = ps ? vmfex_port_state_get_request(ps) : -1;
	int resp = ps ? vmfex_port_state_get_response(ps) : -1;
	bool ok = resp == VMFEX_PORT_PROFILE_RESPONSE_SUCCESS ||
	          resp == VMFEX_PORT_VDP_RESPONSE_SUCCESS;

	if (req < 0 || (req == VMFEX_PORT_REQUEST_DISASSOCIATE && ok))
		return VF_PLAIN;
	if (resp < 0 || resp == VMFEX_PORT_PROFILE_RESPONSE_INPROGRESS)
		return VF_IN_PROGRESS;
	if (ok)
		return req == VMFEX_PORT_REQUEST_ASSOCIATE ? VF_ASSOCIATED : VF_IN_PROGRESS;
	return VF_REFUSED;
}

static void draw_legend(FILE *out, bool ports)
{
	fputs("\tsubgraph \"cluster_legend\" {\n\t\tlabel=\"VFs\";\n\t\tstyle=rounded;\n", out);
	for (size_t i = ports ? VF_ASSOCIATED : VF_LEASED; i < ARRAY_SIZE(vf_looks); i++) {
		fputs("\t\t", out);
		put_id(out, "legend:", vf_looks[i].name);
		fprintf(out, " [shape=box, style=filled, fillcolor=%s, label=\"%s\"];\n",
		        vf_looks[i].color, vf_looks[i].name);
	}
	fputs("\t}\n", out);
}

/* The lease of a VF in the VF allocator's lease file, or NULL. */
static struct vmfex_lease *lease_of_vf(struct vmfex_lease_list *leases, struct vmfex_vf *vf)
{
	const char *pf = vmfex_pf_get_pci(vmfex_vf_get_pf(vf));
	struct vmfex_lease *lease;

	vmfex_lease_list_foreach(leases, lease)
		if (vmfex_lease_get_vf_index(lease) == vmfex_vf_get_index(vf) &&
		    strcmp(vmfex_lease_get_pf(lease), pf) == 0)
			return lease;
	return NULL;
}

static void draw_pf(FILE *out, struct vmfex_pf *pf, struct vmfex_lease_list *leases, bool profiles,
                    unsigned int n)
{
	struct vmfex_link *link = NULL;
	struct vmfex_vf *vf;
	const char *model = vmfex_pf_read_model(pf);

	if (profiles && vmfex_pf_get_ifname(pf) && vmfex_link_new_from_pf(pf, &link) < 0)
		link = NULL;
	fprintf(out, "\tsubgraph \"cluster_pf%u\" {\n\t\tlabel=\"", n);
	put_escaped(out, vmfex_pf_get_ifname(pf) ? vmfex_pf_get_ifname(pf) : "(no netdev)");
	fputs(" (", out);
	put_escaped(out, vmfex_pf_get_pci(pf));
	fputc(')', out);
	if (model) {
		fputs("\\n", out);
		put_escaped(out, model);
	}
	fputs("\";\n\t\tstyle=rounded;\n\t\t", out);
	put_id(out, "pf:", vmfex_pf_get_pci(pf));
	fprintf(out, " [shape=box3d, label=\"PF ");
	put_escaped(out, vmfex_pf_get_ifname(pf) ? vmfex_pf_get_ifname(pf) : vmfex_pf_get_pci(pf));
	fprintf(out, "\\n%u of %u VFs\"];\n", vmfex_pf_get_num_vfs(pf), vmfex_pf_get_total_vfs(pf));
	vmfex_pf_foreach_vf(pf, vf) {
		struct vmfex_link_vf *lvf = link ? vmfex_link_find_vf(link, vmfex_vf_get_index(vf)) : NULL;
		const struct vmfex_port_state *ps = lvf ? vmfex_link_vf_get_port(lvf) : NULL;
		const char *profile = ps ? vmfex_port_state_get_profile(ps) : NULL;
		struct vmfex_lease *lease = lease_of_vf(leases, vf);
		enum vf_look look = port_look(ps);

		fputs("\t\t", out);
		put_id(out, "vf:", vmfex_vf_get_pci(vf));
		fprintf(out, " [shape=box, label=\"VF %u\\n", vmfex_vf_get_index(vf));
		put_escaped(out, vmfex_vf_get_ifname(vf) ? vmfex_vf_get_ifname(vf)
		                                         : vmfex_vf_get_pci(vf));
		if (vmfex_vf_get_driver(vf)) {
			fputs(" [", out);
			put_escaped(out, vmfex_vf_get_driver(vf));
			fputc(']', out);
		}
		if (profile && *profile) {
			fputs("\\nprofile ", out);
			put_escaped(out, profile);
		}
		if (look != VF_PLAIN)
			fprintf(out, "\\n%s", vf_looks[look].name);
		if (look == VF_REFUSED)
			fprintf(out, " (%s)", vmfex_port_response_to_string(vmfex_port_state_get_response(ps)));
		if (lease) {
			fputs(vmfex_lease_is_stale(lease) ? "\\nstale lease of " : "\\nleased to ", out);
			put_escaped(out, vmfex_lease_get_vm_name(lease) ? vmfex_lease_get_vm_name(lease)
			                                                : vmfex_lease_get_vm_uuid(lease));
		}
		if (look == VF_PLAIN && lease)
			look = VF_LEASED;
		if (look == VF_PLAIN)
			fputs("\"];\n", out);
		else
			fprintf(out, "\", style=filled, fillcolor=%s];\n", vf_looks[look].color);
		put_edge(out, "\t\t", "pf:", vmfex_pf_get_pci(pf), "vf:", vmfex_vf_get_pci(vf),
		         " [arrowhead=none, color=gray]");
	}
	fputs("\t}\n", out);
	vmfex_link_unref(link);
}

static void draw_domain(struct vmfex_ctx *ctx, FILE *out, struct vmfex_xml_domain *dom,
                        unsigned int d)
{
	struct vmfex_xml_iface *iface;
	const char *name = vmfex_xml_domain_get_name(dom);
	char vm_id[32];
	unsigned int i = 0;

	snprintf(vm_id, sizeof(vm_id), "vm%u:", d);
	fputc('\t', out);
	put_id(out, vm_id, name);
	fputs(" [shape=box, style=\"rounded,bold\", label=\"VM ", out);
	put_escaped(out, name ? name : "(no name)");
	fputs("\"];\n", out);
	for (iface = vmfex_xml_domain_next_iface(dom, NULL); iface;
	     iface = vmfex_xml_domain_next_iface(dom, iface), i++) {
		enum vmfex_xml_topology t = vmfex_xml_iface_get_topology(iface);
		struct vmfex_vf *vf = NULL;
		char tap[32];

		if (t != VMFEX_XML_TOPOLOGY_HOSTDEV && t != VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH &&
		    t != VMFEX_XML_TOPOLOGY_MACVTAP_PRIVATE)
			continue;
		if (t == VMFEX_XML_TOPOLOGY_HOSTDEV) {
			if (vmfex_vf_new_from_xml_iface(iface, &vf) < 0)
				continue;
			put_edge(out, "\t", vm_id, name, "vf:", vmfex_vf_get_pci(vf),
			         " [label=\"hostdev (enic)\", penwidth=2]");
			vmfex_vf_unref(vf);
			continue;
		}
		snprintf(tap, sizeof(tap), "macvtap%u.%u:", d, i);
		fputc('\t', out);
		put_id(out, tap, name);
		fprintf(out, " [shape=ellipse, label=\"macvtap\\n%s\"%s];\n",
		        t == VMFEX_XML_TOPOLOGY_MACVTAP_PRIVATE ? "private (unsupported)" : "passthrough",
		        t == VMFEX_XML_TOPOLOGY_MACVTAP_PRIVATE ? ", style=dashed" : "");
		put_edge(out, "\t", vm_id, name, tap, name, " [label=\"virtio\"]");
		if (t == VMFEX_XML_TOPOLOGY_MACVTAP_PRIVATE) {
			struct vmfex_pf *pf;
			const char *dev = vmfex_xml_iface_get_source_dev(iface);

			/* private mode sits on the PF's own netdev */
			if (!dev || vmfex_pf_new_from_name(ctx, dev, &pf) < 0)
				continue;
			put_edge(out, "\t", tap, name, "pf:", vmfex_pf_get_pci(pf), " [style=dashed]");
			vmfex_pf_unref(pf);
		} else if (vmfex_vf_new_from_xml_iface(iface, &vf) == 0) {
			put_edge(out, "\t", tap, name, "vf:", vmfex_vf_get_pci(vf), "");
			vmfex_vf_unref(vf);
		}
	}
}

_public_ int vmfex_topology_write_dot(struct vmfex_ctx *ctx,
                                     const struct vmfex_topology_dot_opts *opts, char **dot,
                                     size_t *len)
{
	struct vmfex_topology_dot_opts o;
	struct vmfex_lease_list *leases = NULL;
	struct vmfex_pf *pf;
	char *buf = NULL;
	size_t size = 0;
	unsigned int n = 0;
	FILE *out;
	int r;

	if (!ctx || !dot)
		return -EINVAL;
	r = vmfex_opts_copy(&o, sizeof(o), opts);
	if (r < 0) {
		ERR(ctx, "topology: options of an unknown size or with unknown fields set");
		return r;
	}
	if (o.n_domains && !o.domains) {
		ERR(ctx, "topology: %zu domains but no array of them", o.n_domains);
		return -EINVAL;
	}
	/* the allocator's reservations; a lease file that cannot be read
	 * leaves them out of the picture (the log says why) */
	if (vmfex_lease_list_new(ctx, &leases) < 0)
		leases = NULL;
	out = open_memstream(&buf, &size);
	if (!out) {
		r = -errno;
		ERR(ctx, "topology: cannot open a memory stream: %s", strerror(-r));
		vmfex_lease_list_unref(leases);
		return r;
	}
	fputs("digraph vmfex {\n"
	      "\tgraph [rankdir=LR, fontname=\"sans-serif\", label=\"VM-FEX topology\"];\n"
	      "\tnode [fontname=\"sans-serif\"];\n"
	      "\tedge [fontname=\"sans-serif\"];\n", out);
	if (o.pf) {
		r = vmfex_pf_new_from_name(ctx, o.pf, &pf);
		if (r < 0) {
			ERR(ctx, "topology: PF %s: %s", o.pf, strerror(-r));
			fclose(out);
			free(buf);
			vmfex_lease_list_unref(leases);
			return r;
		}
		draw_pf(out, pf, leases, !o.no_profiles, n++);
		vmfex_pf_unref(pf);
	} else {
		vmfex_pf_foreach(ctx, pf)
			draw_pf(out, pf, leases, !o.no_profiles, n++);
	}
	draw_legend(out, !o.no_profiles);
	for (size_t d = 0; d < o.n_domains; d++)
		if (o.domains[d])
			draw_domain(ctx, out, o.domains[d], (unsigned int)d);
	fputs("}\n", out);
	vmfex_lease_list_unref(leases);
	if (ferror(out)) {
		fclose(out);
		free(buf);
		ERR(ctx, "topology: out of memory");
		return -ENOMEM;
	}
	if (fclose(out) != 0) {
		free(buf);
		ERR(ctx, "topology: out of memory");
		return -ENOMEM;
	}
	*dot = buf;
	if (len)
		*len = size;
	return 0;
}
