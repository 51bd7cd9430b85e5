/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading a libvirt <network>: its forward mode, virtualport and
 * portgroups, refusing what libvirt rejects and what it wrongly accepts
 * (DOMAIN.md section 6). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libvirt/libvirt-private.h"

static const char *const vport_types[] = { "802.1Qbg", "802.1Qbh", "openvswitch", "midonet" };

/* libvirt's types, spelt exactly: "802.1qbh" is not one. */
int vmfex_xml_check_vport_type(struct vmfex_ctx *ctx, const char *what, const char *type)
{
	for (size_t i = 0; i < ARRAY_SIZE(vport_types); i++)
		if (strcmp(type, vport_types[i]) == 0)
			return 0;
	ERR(ctx, "%s: unknown virtualport type '%.32s'%s", what, type,
	    strcasecmp(type, "802.1Qbh") == 0 ? " (libvirt spells it 802.1Qbh)" : "");
	return -EINVAL;
}

/* <virtualport type=?><parameters profileid=? instanceid=?/></virtualport> */
int vmfex_xml_read_virtualport(struct vmfex_ctx *ctx, const char *what, xmlNode *vp,
                               char **type, char **profileid)
{
	xmlNode *params;
	char *instance;
	int err = 0;

	*type = vmfex_xml_get_attr(vp, "type", &err);
	params = vmfex_xml_child(vp, "parameters");
	*profileid = vmfex_xml_get_attr(params, "profileid", &err);
	if (err)
		return err;
	if (*type && vmfex_xml_check_vport_type(ctx, what, *type) < 0)
		return -EINVAL;
	if (*profileid && vmfex_xml_check_profileid(ctx, what, *profileid) < 0)
		return -EINVAL;
	instance = vmfex_xml_get_attr(params, "instanceid", &err);
	if (instance && *type && strcmp(*type, "802.1Qbh") == 0) {
		ERR(ctx, "%s: an 802.1Qbh virtualport takes no instanceid (libvirt uses the "
		    "domain's UUID)", what);
		err = -EINVAL;
	}
	free(instance);
	return err;
}

static void network_free(struct vmfex_xml_network *n)
{
	for (size_t i = 0; i < n->n_pgs; i++) {
		free(n->pgs[i].name);
		free(n->pgs[i].vport_type);
		free(n->pgs[i].profileid);
	}
	free(n->pgs);
	free(n->name);
	free(n->forward_mode);
	free(n->vport_type);
	free(n->profileid);
	vmfex_unref(n->ctx);
	free(n);
}

static int read_forward(struct vmfex_xml_network *n, xmlNode *fwd)
{
	struct vmfex_ctx *ctx = n->ctx;
	unsigned int n_pf = 0, n_if = 0, n_addr = 0;
	bool pool;
	int err = 0;

	n->forward_mode = vmfex_xml_get_attr(fwd, "mode", &err);
	if (err)
		return err;
	if (!fwd)
		return 0;
	for (xmlNode *c = fwd->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (xmlStrEqual(c->name, (const xmlChar *)"pf"))
			n_pf++;
		else if (xmlStrEqual(c->name, (const xmlChar *)"interface"))
			n_if++;
		else if (xmlStrEqual(c->name, (const xmlChar *)"address"))
			n_addr++;
	}
	if (n_pf > 1) {
		ERR(ctx, "network %s: %u <pf> elements; libvirt takes one", n->name, n_pf);
		return -EINVAL;
	}
	pool = n->forward_mode && (strcmp(n->forward_mode, "passthrough") == 0 ||
	                           strcmp(n->forward_mode, "hostdev") == 0);
	if (!pool)
		return 0;
	if (!n_pf && !n_if && !n_addr) {
		ERR(ctx, "network %s: a %s pool with neither <pf> nor a device list (libvirt "
		    "defines it, but no VM could ever start on it)", n->name, n->forward_mode);
		return -EINVAL;
	}
	if (strcmp(n->forward_mode, "hostdev") == 0 && n_if) {
		ERR(ctx, "network %s: a hostdev pool lists VFs by PCI <address>, not by netdev "
		    "<interface>", n->name);
		return -EINVAL;
	}
	if (strcmp(n->forward_mode, "passthrough") == 0 && n_addr) {
		ERR(ctx, "network %s: a passthrough pool lists VFs by netdev <interface>, not by "
		    "PCI <address>", n->name);
		return -EINVAL;
	}
	return 0;
}

static int read_portgroups(struct vmfex_xml_network *n, xmlNode *root)
{
	struct vmfex_ctx *ctx = n->ctx;
	size_t count = 0;
	int err = 0;

	for (xmlNode *pg = vmfex_xml_child(root, "portgroup"); pg;
	     pg = vmfex_xml_next(pg->next, "portgroup"))
		count++;
	if (!count)
		return 0;
	n->pgs = calloc(count, sizeof(*n->pgs));
	if (!n->pgs)
		return -ENOMEM;
	for (xmlNode *pg = vmfex_xml_child(root, "portgroup"); pg;
	     pg = vmfex_xml_next(pg->next, "portgroup")) {
		struct vmfex_xml_portgroup *p = &n->pgs[n->n_pgs++];
		char what[96], *def;
		xmlNode *vp;

		p->name = vmfex_xml_get_attr(pg, "name", &err);
		def = vmfex_xml_get_attr(pg, "default", &err);
		if (err) {
			free(def);
			return err;
		}
		if (!p->name || !*p->name) {
			free(def);
			ERR(ctx, "network %s: portgroup %zu has no name", n->name, n->n_pgs);
			return -EINVAL;
		}
		snprintf(what, sizeof(what), "network %.32s, portgroup %.32s", n->name, p->name);
		p->is_default = def && strcmp(def, "yes") == 0;
		free(def);
		for (size_t i = 0; i + 1 < n->n_pgs; i++)
			if (strcmp(n->pgs[i].name, p->name) == 0) {
				ERR(ctx, "%s: two portgroups of that name", what);
				return -EINVAL;
			}
		if (p->is_default) {
			if (n->default_pg >= 0) {
				ERR(ctx, "%s: a second default portgroup (after %.32s); libvirt "
				    "accepts it but then takes the first", what,
				    n->pgs[n->default_pg].name);
				return -EINVAL;
			}
			n->default_pg = (int)(n->n_pgs - 1);
		}
		if (vmfex_xml_child(pg, "bandwidth") && n->forward_mode &&
		    (strcmp(n->forward_mode, "passthrough") == 0 ||
		     strcmp(n->forward_mode, "hostdev") == 0)) {
			ERR(ctx, "%s: <bandwidth> in a %s pool", what, n->forward_mode);
			return -EINVAL;
		}
		vp = vmfex_xml_child(pg, "virtualport");
		if (vp) {
			err = vmfex_xml_read_virtualport(ctx, what, vp, &p->vport_type, &p->profileid);
			if (err)
				return err;
			if (p->vport_type && n->vport_type &&
			    strcmp(p->vport_type, n->vport_type) != 0) {
				ERR(ctx, "%s: virtualport type %s conflicts with the network's %s",
				    what, p->vport_type, n->vport_type);
				return -EINVAL;
			}
			if (p->profileid && n->profileid && strcmp(p->profileid, n->profileid)) {
				ERR(ctx, "%s: profileid %s conflicts with the network's %s", what,
				    p->profileid, n->profileid);
				return -EINVAL;
			}
		}
	}
	return 0;
}

_public_ int vmfex_xml_network_new_from_buffer(struct vmfex_ctx *ctx, const char *buf,
                                               size_t len, struct vmfex_xml_network **out)
{
	struct vmfex_xml_network *n;
	xmlDoc *doc = NULL;
	xmlNode *root, *vp;
	int r, err = 0;

	if (!ctx || !buf || !out)
		return -EINVAL;
	r = vmfex_xml_parse(ctx, "network XML", buf, len, VMFEX_LIBVIRT_XML_MAX_DEPTH, &doc);
	if (r < 0)
		return r;
	root = xmlDocGetRootElement(doc);
	if (!root || root->ns || !xmlStrEqual(root->name, (const xmlChar *)"network")) {
		ERR(ctx, "network XML: the root element is <%.32s>, not <network>",
		    root ? (const char *)root->name : "");
		xmlFreeDoc(doc);
		return -EINVAL;
	}
	n = calloc(1, sizeof(*n));
	if (!n) {
		xmlFreeDoc(doc);
		return -ENOMEM;
	}
	n->refcount = 1;
	n->ctx = vmfex_ref(ctx);
	n->default_pg = -1;
	{
		xmlNode *name = vmfex_xml_child(root, "name");
		xmlChar *content = name ? xmlNodeGetContent(name) : NULL;

		if (content && *content)
			n->name = strdup((const char *)content);
		xmlFree(content);
		if (!n->name) {
			ERR(ctx, "network XML: no <name>");
			r = -EINVAL;
			goto fail;
		}
	}
	r = read_forward(n, vmfex_xml_child(root, "forward"));
	if (r < 0)
		goto fail;
	if (n->forward_mode && (strcmp(n->forward_mode, "passthrough") == 0 ||
	                        strcmp(n->forward_mode, "hostdev") == 0)) {
		static const char *const refused[] = { "mac", "ip", "dns" };

		for (size_t i = 0; i < ARRAY_SIZE(refused); i++)
			if (vmfex_xml_child(root, refused[i])) {
				ERR(ctx, "network %s: <%s> in a %s pool (libvirt refuses it)",
				    n->name, refused[i], n->forward_mode);
				r = -EINVAL;
				goto fail;
			}
	}
	vp = vmfex_xml_child(root, "virtualport");
	if (vp) {
		char what[64];

		snprintf(what, sizeof(what), "network %.40s", n->name);
		r = vmfex_xml_read_virtualport(ctx, what, vp, &n->vport_type, &n->profileid);
		if (r < 0)
			goto fail;
	}
	r = read_portgroups(n, root);
	if (r < 0)
		goto fail;
	(void)err;
	xmlFreeDoc(doc);
	*out = n;
	return 0;
fail:
	xmlFreeDoc(doc);
	network_free(n);
	return r;
}

_public_ struct vmfex_xml_network *vmfex_xml_network_ref(struct vmfex_xml_network *net)
{
	if (net)
		net->refcount++;
	return net;
}

_public_ struct vmfex_xml_network *vmfex_xml_network_unref(struct vmfex_xml_network *net)
{
	if (net && --net->refcount == 0)
		network_free(net);
	return NULL;
}

_public_ const char *vmfex_xml_network_get_name(const struct vmfex_xml_network *net)
{
	return net ? net->name : NULL;
}

_public_ struct vmfex_ctx *vmfex_xml_network_get_ctx(const struct vmfex_xml_network *net)
{
	return net->ctx;
}

_public_ const char *vmfex_xml_network_get_forward_mode(const struct vmfex_xml_network *net)
{
	return net ? net->forward_mode : NULL;
}

const struct vmfex_xml_portgroup *vmfex_xml_network_find_portgroup(
	const struct vmfex_xml_network *net, const char *name)
{
	if (!name)
		return net->default_pg >= 0 ? &net->pgs[net->default_pg] : NULL;
	for (size_t i = 0; i < net->n_pgs; i++)
		if (strcmp(net->pgs[i].name, name) == 0)
			return &net->pgs[i];
	return NULL;
}

_public_ const char *vmfex_xml_network_get_profileid(const struct vmfex_xml_network *net,
                                                     const char *portgroup)
{
	const struct vmfex_xml_portgroup *pg;

	if (!net)
		return NULL;
	pg = vmfex_xml_network_find_portgroup(net, portgroup);
	if (pg && pg->profileid)
		return pg->profileid;
	return portgroup && !pg ? NULL : net->profileid;
}
