/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Import of port profiles from UCS Manager's XML API: the responses to
 * configResolveClass(vnicProfile, inHierarchical) and to
 * configResolveDn(fabric/lan/profiles). Every vnicProfile anywhere in the
 * document is read with its vnicEtherIf and vmVnicProfCl children; other
 * classes and unknown attributes are ignored. The profiles are built in a
 * catalog of their own and moved into the caller's only when all are
 * valid, so a failed import changes nothing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model-private.h"

#define UCSM_MAX_DEPTH 32

struct vlan_ids {
	struct {
		const char *name;
		unsigned int id;
	} *v;
	size_t n, cap;
};

struct import {
	struct vmfex_ctx *ctx;
	struct vmfex_catalog *scratch;
	struct vlan_ids vlans;       /* fabricVlan name -> id, from the document */
	int count;
};

/* A strict decimal number within [min, max]. */
static int parse_num(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (!s || !*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > max)
			return -EINVAL;
	}
	if (v < min)
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_yesno(const char *s, bool *out)
{
	if (!s || !*s || strcmp(s, "no") == 0 || strcmp(s, "false") == 0) {
		*out = false;
		return 0;
	}
	if (strcmp(s, "yes") == 0 || strcmp(s, "true") == 0) {
		*out = true;
		return 0;
	}
	return -EINVAL;
}

/* The object's dn: its own, or its parent's and its rn. */
static void node_dn(xmlNodePtr n, const char *parent_dn, char *buf, size_t size)
{
	const char *dn = vmfex_xml_prop(n, "dn"), *rn = vmfex_xml_prop(n, "rn");

	if (dn && *dn)
		snprintf(buf, size, "%s", dn);
	else if (rn && *rn)
		snprintf(buf, size, "%s/%s", parent_dn ? parent_dn : "?", rn);
	else
		snprintf(buf, size, "%s/%s", parent_dn ? parent_dn : "?", (const char *)n->name);
}

static int bad_value(struct import *im, const char *dn, const char *attr, const char *value)
{
	char q[VMFEX_QUOTE_SIZE], d[VMFEX_QUOTE_SIZE];

	ERR(im->ctx, "UCS Manager object %s: %s %s is invalid; nothing imported",
	    vmfex_quote(d, dn), attr, vmfex_quote(q, value));
	return -EINVAL;
}

static void collect_vlans(struct import *im, xmlNodePtr n, unsigned int depth)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (vmfex_xml_is(n, "fabricVlan")) {
			const char *name = vmfex_xml_prop(n, "name");
			unsigned long id;

			if (name && parse_num(vmfex_xml_prop(n, "id"), 1, VMFEX_VLAN_ID_MAX, &id) == 0) {
				if (im->vlans.n == im->vlans.cap) {
					size_t cap = im->vlans.cap ? 2 * im->vlans.cap : 16;
					void *p = realloc(im->vlans.v, cap * sizeof(*im->vlans.v));

					if (!p)
						return; /* ids stay unknown */
					im->vlans.v = p;
					im->vlans.cap = cap;
				}
				im->vlans.v[im->vlans.n].name = name;
				im->vlans.v[im->vlans.n].id = (unsigned int)id;
				im->vlans.n++;
			}
		}
		if (depth < UCSM_MAX_DEPTH)
			collect_vlans(im, n->children, depth + 1);
	}
}

static unsigned int vlan_id(struct import *im, xmlNodePtr ether, const char *name)
{
	unsigned long id;

	for (size_t i = im->vlans.n; i-- > 0;)
		if (strcmp(im->vlans.v[i].name, name) == 0)
			return im->vlans.v[i].id;
	if (parse_num(vmfex_xml_prop(ether, "vnet"), 1, VMFEX_VLAN_ID_MAX, &id) == 0)
		return (unsigned int)id;
	return 0;
}

static int set_str(struct import *im, struct vmfex_profile *p, const char *dn, xmlNodePtr n,
                   const char *attr, int (*set)(struct vmfex_profile *, const char *))
{
	const char *v = vmfex_xml_prop(n, attr);

	if (v && set(p, v) < 0)
		return bad_value(im, dn, attr, v);
	return 0;
}

static int read_ether(struct import *im, struct vmfex_profile *p, xmlNodePtr k, const char *pdn,
                      bool *native_seen)
{
	const char *name = vmfex_xml_prop(k, "name"), *def = vmfex_xml_prop(k, "defaultNet");
	char dn[512];
	bool native;
	size_t before = p->n_vlans;

	node_dn(k, pdn, dn, sizeof(dn));
	if (!name || vmfex_ucsm_name_check(name, 1, VMFEX_VLAN_NAME_MAX) < 0)
		return bad_value(im, dn, "name", name ? name : "");
	if (parse_yesno(def, &native) < 0)
		return bad_value(im, dn, "defaultNet", def);
	if (native && *native_seen)
		return bad_value(im, dn, "defaultNet (a second native VLAN)", def);
	*native_seen |= native;
	if (vmfex_profile_set_vlan(p, name, vlan_id(im, k, name), native) < 0)
		return bad_value(im, dn, "name", name);
	if (p->n_vlans == before)
		return bad_value(im, dn, "name (the same VLAN twice)", name);
	return 0;
}

static int read_client(struct import *im, struct vmfex_profile *p, xmlNodePtr k, const char *pdn)
{
	const char *name = vmfex_xml_prop(k, "name"), *sw = vmfex_xml_prop(k, "swName");
	const char *cluster = VMFEX_CLUSTER_DEFAULT;
	char dn[512];
	int r;

	node_dn(k, pdn, dn, sizeof(dn));
	if (!name || vmfex_ucsm_name_check(name, 1, VMFEX_CLUSTER_NAME_MAX) < 0)
		return bad_value(im, dn, "name", name ? name : "");
	/* The cluster is the client's switch; "All" or none: the default. */
	if (sw && *sw && strcmp(sw, "All") != 0 && strcmp(sw, "all") != 0) {
		if (vmfex_ucsm_name_check(sw, 1, VMFEX_CLUSTER_NAME_MAX) < 0)
			return bad_value(im, dn, "swName", sw);
		cluster = sw;
	}
	if (!vmfex_catalog_find_cluster(im->scratch, cluster)) {
		r = vmfex_catalog_add_cluster(im->scratch, cluster, NULL);
		if (r < 0)
			return r;
	}
	return vmfex_profile_add_client_name(p, cluster);
}

static int read_profile(struct import *im, xmlNodePtr n, const char *parent_dn)
{
	const char *name = vmfex_xml_prop(n, "name"), *v;
	struct vmfex_profile *p = NULL;
	bool native_seen = false;
	unsigned long num;
	char dn[512];
	int r;

	node_dn(n, parent_dn, dn, sizeof(dn));
	if (!name || vmfex_ucsm_name_check(name, 1, VMFEX_PROFILE_NAME_MAX) < 0)
		return bad_value(im, dn, "name", name ? name : "");
	r = vmfex_profile_new(im->ctx, name, &p);
	if (r < 0)
		return r;
	if ((r = set_str(im, p, dn, n, "descr", vmfex_profile_set_descr)) < 0 ||
	    (r = set_str(im, p, dn, n, "qosPolicyName", vmfex_profile_set_qos_policy)) < 0 ||
	    (r = set_str(im, p, dn, n, "nwCtrlPolicyName", vmfex_profile_set_nw_ctrl_policy)) < 0 ||
	    (r = set_str(im, p, dn, n, "pinToGroupName", vmfex_profile_set_pin_group)) < 0 ||
	    (r = set_str(im, p, dn, n, "portProfileUuid", vmfex_profile_set_uuid)) < 0)
		goto fail;
	if ((v = vmfex_xml_prop(n, "maxPorts"))) {
		if (parse_num(v, 1, VMFEX_PROFILE_MAX_PORTS_MAX, &num) < 0) {
			r = bad_value(im, dn, "maxPorts", v);
			goto fail;
		}
		p->max_ports = (unsigned int)num;
	}
	if ((v = vmfex_xml_prop(n, "hostNwIOPerf"))) {
		r = vmfex_host_nw_io_perf_from_string(v);
		if (r < 0) {
			r = bad_value(im, dn, "hostNwIOPerf", v);
			goto fail;
		}
		p->perf = (enum vmfex_host_nw_io_perf)r;
	}
	if ((v = vmfex_xml_prop(n, "type"))) {
		r = vmfex_profile_type_from_string(v);
		if (r < 0) {
			r = bad_value(im, dn, "type", v);
			goto fail;
		}
		p->type = (enum vmfex_profile_type)r;
	}
	for (xmlNodePtr k = n->children; k; k = k->next) {
		if (vmfex_xml_is(k, "vnicEtherIf"))
			r = read_ether(im, p, k, dn, &native_seen);
		else if (vmfex_xml_is(k, "vmVnicProfCl"))
			r = read_client(im, p, k, dn);
		else
			r = 0;
		if (r < 0)
			goto fail;
	}
	r = vmfex_catalog_insert_profile(im->scratch, p);
	if (r == -EEXIST) {
		r = bad_value(im, dn, "name (the same profile twice)", name);
		goto fail;
	}
	if (r < 0)
		goto fail;
	im->count++;
	return 0;
fail:
	vmfex_profile_free(p);
	return r;
}

static int walk(struct import *im, xmlNodePtr n, const char *parent_dn, unsigned int depth)
{
	int r;

	for (; n; n = n->next) {
		char dn[512];

		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (vmfex_xml_is(n, "vnicProfile")) {
			r = read_profile(im, n, parent_dn);
			if (r < 0)
				return r;
			continue;
		}
		if (depth >= UCSM_MAX_DEPTH)
			continue;
		node_dn(n, parent_dn, dn, sizeof(dn));
		r = walk(im, n->children, vmfex_xml_prop(n, "dn") || vmfex_xml_prop(n, "rn") ? dn : parent_dn,
		         depth + 1);
		if (r < 0)
			return r;
	}
	return 0;
}

_public_ int vmfex_catalog_import_ucsm(struct vmfex_catalog *c, const char *buf, size_t len)
{
	struct import im = { 0 };
	xmlDocPtr doc;
	xmlNodePtr root;
	const char *code;
	int r;

	if (!c || !buf)
		return -EINVAL;
	im.ctx = c->ctx;
	r = vmfex_xml_parse(c->ctx, "UCS Manager response", buf, len, UCSM_MAX_DEPTH, &doc);
	if (r < 0)
		return r;
	root = xmlDocGetRootElement(doc);
	code = vmfex_xml_prop(root, "errorCode");
	if (code && *code && strcmp(code, "0") != 0) {
		char q[VMFEX_QUOTE_SIZE];

		ERR(c->ctx, "UCS Manager response %s: error %s: %s", (const char *)root->name,
		    vmfex_quote(q, code), vmfex_xml_prop(root, "errorDescr") ? vmfex_xml_prop(root, "errorDescr") : "");
		r = -EINVAL;
		goto out;
	}
	r = vmfex_catalog_alloc(c->ctx, &im.scratch);
	if (r < 0)
		goto out;
	collect_vlans(&im, root, 0);
	r = walk(&im, root, NULL, 0);
	if (r < 0)
		goto out;
	r = vmfex_catalog_reserve(c, im.scratch->n_profiles, im.scratch->n_clusters);
	if (r < 0)
		goto out;
	vmfex_catalog_merge(c, im.scratch);
	r = im.count;
	INFO(c->ctx, "imported %d port profiles from UCS Manager", r);
out:
	free(im.vlans.v);
	vmfex_catalog_unref(im.scratch);
	xmlFreeDoc(doc);
	return r;
}

_public_ int vmfex_catalog_import_ucsm_file(struct vmfex_catalog *c, const char *path)
{
	size_t len;
	char *buf;
	int r;

	if (!c || !path)
		return -EINVAL;
	r = vmfex_xml_read_file(c->ctx, path, &buf, &len);
	if (r < 0)
		return r;
	r = vmfex_catalog_import_ucsm(c, buf, len);
	free(buf);
	return r;
}
