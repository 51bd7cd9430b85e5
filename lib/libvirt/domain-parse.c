/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading a libvirt <domain>: each <interface> with its type, source,
 * MAC, model and virtualport, checked as libvirt would (and for what it
 * wrongly accepts), then resolved on the networks it names. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libvirt/libvirt-private.h"

void vmfex_xml_domain_update_migration(struct vmfex_xml_domain *dom);

static void iface_clear(struct vmfex_xml_iface *i)
{
	free(i->type);
	free(i->source_dev);
	free(i->source_mode);
	free(i->network);
	free(i->portgroup);
	free(i->mac);
	free(i->model);
	free(i->vport_type);
	free(i->profileid);
	free(i->net_mode);
	free(i->net_vport_type);
	free(i->net_profileid);
}

static void domain_free(struct vmfex_xml_domain *d)
{
	for (size_t i = 0; i < d->n_ifaces; i++)
		iface_clear(&d->ifaces[i]);
	free(d->ifaces);
	free(d->name);
	free(d->hostdev);
	vmfex_unref(d->ctx);
	free(d);
}

static int read_iface(struct vmfex_ctx *ctx, xmlNode *node, struct vmfex_xml_iface *i)
{
	xmlNode *src = vmfex_xml_child(node, "source");
	xmlNode *vp = vmfex_xml_child(node, "virtualport");
	char what[48], mac[VMFEX_MAC_STRLEN];
	int err = 0;

	snprintf(what, sizeof(what), "domain interface %u", i->pos);
	i->type = vmfex_xml_get_attr(node, "type", &err);
	i->source_dev = vmfex_xml_get_attr(src, "dev", &err);
	i->source_mode = vmfex_xml_get_attr(src, "mode", &err);
	i->network = vmfex_xml_get_attr(src, "network", &err);
	i->portgroup = vmfex_xml_get_attr(src, "portgroup", &err);
	i->mac = vmfex_xml_get_attr(vmfex_xml_child(node, "mac"), "address", &err);
	i->model = vmfex_xml_get_attr(vmfex_xml_child(node, "model"), "type", &err);
	if (err)
		return err;
	if (!i->type) {
		ERR(ctx, "%s: no type", what);
		return -EINVAL;
	}
	if (i->mac) {
		if (vmfex_xml_check_mac(ctx, what, i->mac, mac) < 0)
			return -EINVAL;
		strcpy(i->mac, mac); /* same length, lower case */
	}
	if (strcmp(i->type, "hostdev") == 0) {
		struct vmfex_pci_addr a;
		int r = vmfex_xml_parse_pci(vmfex_xml_child(src, "address"), &a);

		if (r == -ENOENT) {
			ERR(ctx, "%s: a hostdev interface without a PCI <source><address>", what);
			return -EINVAL;
		}
		if (r < 0) {
			ERR(ctx, "%s: the hostdev source is no valid PCI address (a USB or other "
			    "address cannot be a VF)", what);
			return -EINVAL;
		}
		i->has_pci = true;
		vmfex_pci_addr_format(&a, i->pci);
	}
	if (vp)
		return vmfex_xml_read_virtualport(ctx, what, vp, &i->vport_type, &i->profileid);
	return 0;
}

static int read_hostdevs(struct vmfex_xml_domain *d, xmlNode *devices)
{
	for (xmlNode *h = vmfex_xml_child(devices, "hostdev"); h;
	     h = vmfex_xml_next(h->next, "hostdev")) {
		xmlNode *addr = vmfex_xml_child(vmfex_xml_child(h, "source"), "address");
		struct vmfex_pci_addr a;
		char pci[VMFEX_PCI_ADDR_LEN];

		if (vmfex_xml_parse_pci(addr, &a) < 0)
			continue;        /* USB, SCSI...: not ours */
		vmfex_pci_addr_format(&a, pci);
		d->hostdev = strdup(pci);
		return d->hostdev ? 0 : -ENOMEM;
	}
	return 0;
}

/* Of a domain, only its <name> and the <interface> and <hostdev> devices
 * are read: disks, controllers, CPU tuning and the rest, most of a large
 * domain, are parsed and checked but never built into the tree. */
static bool domain_keep(unsigned int depth, const xmlNode *parent, const char *name)
{
	if (depth <= 1 || depth > 3)
		return true;
	if (depth == 2)
		return strcmp(name, "name") == 0 || strcmp(name, "devices") == 0;
	if (strcmp((const char *)parent->name, "name") == 0)
		return true;   /* all its text is the name, as before */
	return strcmp(name, "interface") == 0 || strcmp(name, "hostdev") == 0;
}

_public_ int vmfex_xml_domain_new_from_buffer(struct vmfex_ctx *ctx, const char *buf,
                                              size_t len, struct vmfex_xml_domain **out)
{
	struct vmfex_xml_domain *d;
	xmlNode *root, *devices, *name;
	xmlDoc *doc = NULL;
	size_t count = 0;
	int r;

	if (!ctx || !buf || !out)
		return -EINVAL;
	r = vmfex_xml_parse_kept(ctx, "domain XML", buf, len, VMFEX_LIBVIRT_XML_MAX_DEPTH,
	                         domain_keep, &doc);
	if (r < 0)
		return r;
	root = xmlDocGetRootElement(doc);
	if (!root || root->ns || !xmlStrEqual(root->name, (const xmlChar *)"domain")) {
		ERR(ctx, "domain XML: the root element is <%.32s>, not <domain>",
		    root ? (const char *)root->name : "");
		xmlFreeDoc(doc);
		return -EINVAL;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		xmlFreeDoc(doc);
		return -ENOMEM;
	}
	d->refcount = 1;
	d->ctx = vmfex_ref(ctx);
	name = vmfex_xml_child(root, "name");
	if (name) {
		xmlChar *content = xmlNodeGetContent(name);

		if (content) {
			d->name = strdup((const char *)content);
			xmlFree(content);
			if (!d->name) {
				r = -ENOMEM;
				goto fail;
			}
		}
	}
	devices = vmfex_xml_child(root, "devices");
	for (xmlNode *n = vmfex_xml_child(devices, "interface"); n;
	     n = vmfex_xml_next(n->next, "interface"))
		count++;
	if (count) {
		d->ifaces = calloc(count, sizeof(*d->ifaces));
		if (!d->ifaces) {
			r = -ENOMEM;
			goto fail;
		}
	}
	for (xmlNode *n = vmfex_xml_child(devices, "interface"); n;
	     n = vmfex_xml_next(n->next, "interface")) {
		struct vmfex_xml_iface *i = &d->ifaces[d->n_ifaces++];

		i->pos = (unsigned int)d->n_ifaces;
		i->dom = d;
		r = read_iface(ctx, n, i);
		if (r < 0)
			goto fail;
	}
	r = read_hostdevs(d, devices);
	if (r < 0)
		goto fail;
	xmlFreeDoc(doc);
	vmfex_xml_domain_update_migration(d);
	*out = d;
	return 0;
fail:
	xmlFreeDoc(doc);
	domain_free(d);
	return r;
}

_public_ struct vmfex_xml_domain *vmfex_xml_domain_ref(struct vmfex_xml_domain *dom)
{
	if (dom)
		dom->refcount++;
	return dom;
}

_public_ struct vmfex_xml_domain *vmfex_xml_domain_unref(struct vmfex_xml_domain *dom)
{
	if (dom && --dom->refcount == 0)
		domain_free(dom);
	return NULL;
}

_public_ const char *vmfex_xml_domain_get_name(const struct vmfex_xml_domain *dom)
{
	return dom ? dom->name : NULL;
}

_public_ struct vmfex_ctx *vmfex_xml_domain_get_ctx(const struct vmfex_xml_domain *dom)
{
	return dom->ctx;
}

_public_ struct vmfex_xml_iface *vmfex_xml_domain_next_iface(struct vmfex_xml_domain *dom,
                                                             struct vmfex_xml_iface *prev)
{
	size_t next;

	if (!dom)
		return NULL;
	next = prev ? (size_t)(prev - dom->ifaces) + 1 : 0;
	return next < dom->n_ifaces ? &dom->ifaces[next] : NULL;
}

static int dup_or_null(const char *s, char **out)
{
	free(*out);
	*out = NULL;
	if (!s)
		return 0;
	*out = strdup(s);
	return *out ? 0 : -ENOMEM;
}

_public_ int vmfex_xml_domain_add_network(struct vmfex_xml_domain *dom,
                                          const struct vmfex_xml_network *net)
{
	int count = 0;

	if (!dom || !net)
		return -EINVAL;
	for (size_t k = 0; k < dom->n_ifaces; k++) {
		struct vmfex_xml_iface *i = &dom->ifaces[k];
		const struct vmfex_xml_portgroup *pg;
		const char *vtype, *pid;

		if (!i->network || strcmp(i->network, net->name) != 0)
			continue;
		pg = vmfex_xml_network_find_portgroup(net, i->portgroup);
		if (i->portgroup && !pg) {
			ERR(dom->ctx, "domain interface %u: network %s has no portgroup %s", i->pos,
			    net->name, i->portgroup);
			return -ENOENT;
		}
		vtype = pg && pg->vport_type ? pg->vport_type : net->vport_type;
		pid = pg && pg->profileid ? pg->profileid : net->profileid;
		/* libvirt merges the three virtualports at VM start and fails
		 * there on a conflict: say it now. */
		if (i->vport_type && vtype && strcmp(i->vport_type, vtype) != 0) {
			ERR(dom->ctx, "domain interface %u: virtualport type %s conflicts with %s "
			    "of network %s", i->pos, i->vport_type, vtype, net->name);
			return -EINVAL;
		}
		if (i->profileid && pid && strcmp(i->profileid, pid) != 0) {
			ERR(dom->ctx, "domain interface %u: profileid %s conflicts with %s of "
			    "network %s (the VM would fail to start)", i->pos, i->profileid, pid,
			    net->name);
			return -EINVAL;
		}
		if (dup_or_null(net->forward_mode, &i->net_mode) < 0 ||
		    dup_or_null(vtype, &i->net_vport_type) < 0 ||
		    dup_or_null(pid, &i->net_profileid) < 0)
			return -ENOMEM;
		i->resolved = true;
		count++;
	}
	vmfex_xml_domain_update_migration(dom);
	return count;
}

_public_ const char *vmfex_xml_iface_get_type(const struct vmfex_xml_iface *iface)
{
	return iface ? iface->type : NULL;
}

_public_ const char *vmfex_xml_iface_get_source_dev(const struct vmfex_xml_iface *iface)
{
	return iface ? iface->source_dev : NULL;
}

_public_ const char *vmfex_xml_iface_get_source_mode(const struct vmfex_xml_iface *iface)
{
	return iface ? iface->source_mode : NULL;
}

_public_ const char *vmfex_xml_iface_get_network(const struct vmfex_xml_iface *iface)
{
	return iface ? iface->network : NULL;
}

_public_ const char *vmfex_xml_iface_get_portgroup(const struct vmfex_xml_iface *iface)
{
	return iface ? iface->portgroup : NULL;
}

_public_ const char *vmfex_xml_iface_get_pci(const struct vmfex_xml_iface *iface)
{
	return iface && iface->has_pci ? iface->pci : NULL;
}

_public_ const char *vmfex_xml_iface_get_mac(const struct vmfex_xml_iface *iface)
{
	return iface ? iface->mac : NULL;
}

_public_ const char *vmfex_xml_iface_get_model(const struct vmfex_xml_iface *iface)
{
	return iface ? iface->model : NULL;
}

_public_ const char *vmfex_xml_iface_get_virtualport_type(const struct vmfex_xml_iface *iface)
{
	if (!iface)
		return NULL;
	return iface->vport_type ? iface->vport_type : iface->net_vport_type;
}

_public_ const char *vmfex_xml_iface_get_profileid(const struct vmfex_xml_iface *iface)
{
	if (!iface)
		return NULL;
	return iface->profileid ? iface->profileid : iface->net_profileid;
}

_public_ enum vmfex_xml_topology vmfex_xml_iface_get_topology(const struct vmfex_xml_iface *iface)
{
	const char *mode;

	if (!iface)
		return VMFEX_XML_TOPOLOGY_PROFILE;
	if (strcmp(iface->type, "hostdev") == 0)
		return VMFEX_XML_TOPOLOGY_HOSTDEV;
	if (strcmp(iface->type, "direct") == 0) {
		mode = iface->source_mode ? iface->source_mode : "vepa"; /* libvirt's default */
		if (strcmp(mode, "passthrough") == 0)
			return VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH;
		if (strcmp(mode, "private") == 0)
			return VMFEX_XML_TOPOLOGY_MACVTAP_PRIVATE;
		return VMFEX_XML_TOPOLOGY_PROFILE;
	}
	if (strcmp(iface->type, "network") == 0 && iface->resolved && iface->net_mode) {
		if (strcmp(iface->net_mode, "hostdev") == 0)
			return VMFEX_XML_TOPOLOGY_HOSTDEV;
		if (strcmp(iface->net_mode, "passthrough") == 0)
			return VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH;
		if (strcmp(iface->net_mode, "private") == 0)
			return VMFEX_XML_TOPOLOGY_MACVTAP_PRIVATE;
	}
	return VMFEX_XML_TOPOLOGY_PROFILE;
}

_public_ int vmfex_vf_new_from_xml_iface(const struct vmfex_xml_iface *iface, struct vmfex_vf **vf)
{
	struct vmfex_ctx *ctx;

	if (!iface || !vf)
		return -EINVAL;
	ctx = iface->dom->ctx;
	if (iface->has_pci)
		return vmfex_vf_new_from_pci(ctx, iface->pci, vf);
	if (iface->source_dev && strcmp(iface->type, "direct") == 0)
		return vmfex_vf_new_from_ifname(ctx, iface->source_dev, vf);
	return -ENOENT;
}
