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

/* defaultNet: absent, or one of UCS Manager's four values. */
static int parse_yesno(const char *s, bool *out)
{
	if (!s || strcmp(s, "no") == 0 || strcmp(s, "false") == 0) {
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

/* The VLAN's id: fabricVlan's of that name, else the interface's vnet
 * (1-4093 when present), else unknown (0). */
static int vlan_id(struct import *im, xmlNodePtr ether, const char *dn, const char *name,
                   unsigned int *id)
{
	const char *vnet = vmfex_xml_prop(ether, "vnet");
	unsigned long v;

	for (size_t i = im->vlans.n; i-- > 0;)
		if (strcmp(im->vlans.v[i].name, name) == 0) {
			*id = im->vlans.v[i].id;
			return 0;
		}
	*id = 0;
	if (!vnet)
		return 0;
	if (parse_num(vnet, 1, VMFEX_VLAN_ID_MAX, &v) < 0)
		return bad_value(im, dn, "vnet", vnet);
	*id = (unsigned int)v;
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
	unsigned int id;
	int r;

	node_dn(k, pdn, dn, sizeof(dn));
	if (!name || vmfex_ucsm_name_check(name, 1, VMFEX_VLAN_NAME_MAX) < 0)
		return bad_value(im, dn, "name", name ? name : "");
	if (parse_yesno(def, &native) < 0)
		return bad_value(im, dn, "defaultNet", def);
	if (native && *native_seen)
		return bad_value(im, dn, "defaultNet (a second native VLAN)", def);
	*native_seen |= native;
	r = vlan_id(im, k, dn, name, &id);
	if (r < 0)
		return r;
	if (vmfex_profile_set_vlan(p, name, id, native) < 0)
		return bad_value(im, dn, "name", name);
	if (p->n_vlans == before)
		return bad_value(im, dn, "name (the same VLAN twice)", name);
	return 0;
}

/* A client, its patterns verbatim; a swName that is also a cluster name
 * names a cluster, which the import creates. */
static int read_client(struct import *im, struct vmfex_profile *p, xmlNodePtr k, const char *pdn)
{
	const char *name = vmfex_xml_prop(k, "name"), *sw = vmfex_xml_prop(k, "swName");
	struct vmfex_ucsm_client *cl;
	char dn[512], what[540];
	int r;

	node_dn(k, pdn, dn, sizeof(dn));
	snprintf(what, sizeof(what), "UCS Manager object %s", dn);
	r = vmfex_ucsm_client_new(im->ctx, what, name ? name : "", vmfex_xml_prop(k, "dcName"),
	                          vmfex_xml_prop(k, "orgPath"), sw, &cl);
	if (r < 0)
		return r; /* logged with the dn */
	r = vmfex_profile_add_ucsm_client(p, cl);
	if (r < 0) {
		vmfex_ucsm_client_free(cl);
		return r == -EEXIST ? bad_value(im, dn, "name (the same client twice)", name) : r;
	}
	if (!cl->any && vmfex_ucsm_name_check(sw, 1, VMFEX_CLUSTER_NAME_MAX) == 0 &&
	    !vmfex_catalog_find_cluster(im->scratch, sw))
		return vmfex_catalog_add_cluster(im->scratch, sw, NULL);
	return 0;
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
	    (r = set_str(im, p, dn, n, "pinToGroupName", vmfex_profile_set_pin_group)) < 0)
		goto fail;
	/* UUID|0: "0" is UCS Manager's "no UUID". */
	v = vmfex_xml_prop(n, "portProfileUuid");
	if (v && strcmp(v, "0") != 0 && (vmfex_uuid_validate(v) < 0 || vmfex_profile_set_uuid(p, v) < 0)) {
		r = bad_value(im, dn, "portProfileUuid", v);
		goto fail;
	}
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

int vmfex_ucsm_response_error(struct vmfex_ctx *ctx, xmlDocPtr doc, unsigned long *code)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	const char *c = vmfex_xml_prop(root, "errorCode"), *descr = vmfex_xml_prop(root, "errorDescr");
	char q[VMFEX_QUOTE_SIZE], d[VMFEX_QUOTE_SIZE];

	*code = 0;
	if (!c || !*c || strcmp(c, "0") == 0)
		return 0;
	if (parse_num(c, 1, 999999, code) < 0)
		*code = 1;
	ERR(ctx, "UCS Manager answered %s with error %s: %s", root ? (const char *)root->name : "?",
	    vmfex_quote(q, c), vmfex_quote(d, descr ? descr : ""));
	return -EINVAL;
}

int vmfex_ucsm_import_docs(struct vmfex_catalog *c, xmlDoc *const *docs, size_t n)
{
	struct import im = { .ctx = c->ctx };
	int r;

	r = vmfex_catalog_alloc(c->ctx, &im.scratch);
	if (r < 0)
		return r;
	/* VLAN ids first: a fabricVlan may come in another response. */
	for (size_t i = 0; i < n; i++)
		collect_vlans(&im, xmlDocGetRootElement(docs[i]), 0);
	for (size_t i = 0; i < n && r >= 0; i++)
		r = walk(&im, xmlDocGetRootElement(docs[i]), NULL, 0);
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
	return r;
}

_public_ int vmfex_catalog_import_ucsm(struct vmfex_catalog *c, const char *buf, size_t len)
{
	unsigned long code;
	xmlDocPtr doc;
	int r;

	if (!c || !buf)
		return -EINVAL;
	r = vmfex_xml_parse(c->ctx, "UCS Manager response", buf, len, UCSM_MAX_DEPTH, &doc);
	if (r < 0)
		return r;
	r = vmfex_ucsm_response_error(c->ctx, doc, &code);
	if (r == 0)
		r = vmfex_ucsm_import_docs(c, &doc, 1);
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
