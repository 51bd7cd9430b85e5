/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The catalog file's reader: the hardened parser, the RELAX NG schema of
 * doc/catalog.rng, then the model's own setters (the same rules as the
 * API), and what a schema cannot say: names unique, one native VLAN,
 * clients that are clusters of the catalog. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/relaxng.h>

#include "model/model-private.h"

struct rng_error {
	char msg[256];
	int line;
	bool set;
};

static void rng_error_fn(void *data, xmlErrorPtr e)
{
	struct rng_error *re = data;
	size_t n;

	if (re->set || !e)
		return;
	re->set = true;
	re->line = e->line;
	snprintf(re->msg, sizeof(re->msg), "%s", e->message ? e->message : "invalid");
	n = strlen(re->msg);
	while (n && (re->msg[n - 1] == '\n' || re->msg[n - 1] == ' '))
		re->msg[--n] = '\0';
}

static int schema_check(struct vmfex_ctx *ctx, const char *what, xmlDocPtr doc)
{
	struct rng_error re = { .set = false };
	xmlRelaxNGParserCtxtPtr pctxt;
	xmlRelaxNGValidCtxtPtr vctxt;
	xmlRelaxNGPtr schema;
	int r;

	pctxt = xmlRelaxNGNewMemParserCtxt(vmfex_catalog_rng, (int)strlen(vmfex_catalog_rng));
	if (!pctxt)
		return -ENOMEM;
	xmlRelaxNGSetParserStructuredErrors(pctxt, rng_error_fn, &re);
	schema = xmlRelaxNGParse(pctxt);
	xmlRelaxNGFreeParserCtxt(pctxt);
	if (!schema) {
		ERR(ctx, "the catalog schema does not compile: %s", re.msg);
		return -ENOMEM;
	}
	vctxt = xmlRelaxNGNewValidCtxt(schema);
	if (!vctxt) {
		xmlRelaxNGFree(schema);
		return -ENOMEM;
	}
	xmlRelaxNGSetValidStructuredErrors(vctxt, rng_error_fn, &re);
	r = xmlRelaxNGValidateDoc(vctxt, doc);
	xmlRelaxNGFreeValidCtxt(vctxt);
	xmlRelaxNGFree(schema);
	if (r != 0) {
		ERR(ctx, "%s:%d: not a valid catalog: %s", what, re.line,
		    re.set ? re.msg : "schema check failed");
		return -EINVAL;
	}
	return 0;
}

/* A UCS Manager client: its patterns must still compile. */
static int read_ucsm_client(struct vmfex_catalog *c, const char *what, struct vmfex_profile *p,
                            xmlNodePtr k)
{
	struct vmfex_ucsm_client *cl;
	char obj[512];
	int r;

	snprintf(obj, sizeof(obj), "%s:%d: profile '%s': client", what, (int)k->line, p->name);
	r = vmfex_ucsm_client_new(c->ctx, obj, vmfex_xml_prop(k, "name"), vmfex_xml_prop(k, "dc-name"),
	                          vmfex_xml_prop(k, "org-path"), vmfex_xml_prop(k, "sw-name"), &cl);
	if (r < 0)
		return r;
	r = vmfex_profile_add_ucsm_client(p, cl);
	if (r < 0) {
		if (r == -EEXIST) {
			ERR(c->ctx, "%s '%s' twice", obj, cl->name);
			r = -EINVAL;
		}
		vmfex_ucsm_client_free(cl);
	}
	return r;
}

static int read_profile(struct vmfex_catalog *c, const char *what, xmlNodePtr n)
{
	const char *name = vmfex_xml_prop(n, "name");
	struct vmfex_profile *p = NULL;
	bool native_seen = false;
	int r;

	r = vmfex_profile_new(c->ctx, name, &p);
	if (r < 0)
		goto fail;
	if ((r = vmfex_profile_set_descr(p, vmfex_xml_prop(n, "descr"))) < 0 ||
	    (r = vmfex_profile_set_qos_policy(p, vmfex_xml_prop(n, "qos-policy"))) < 0 ||
	    (r = vmfex_profile_set_nw_ctrl_policy(p, vmfex_xml_prop(n, "nw-ctrl-policy"))) < 0 ||
	    (r = vmfex_profile_set_pin_group(p, vmfex_xml_prop(n, "pin-group"))) < 0 ||
	    (r = vmfex_profile_set_max_ports(p, (unsigned)atoi(vmfex_xml_prop(n, "max-ports")))) < 0 ||
	    (r = vmfex_profile_set_host_nw_io_perf(
	             p, vmfex_host_nw_io_perf_from_string(vmfex_xml_prop(n, "host-nw-io-perf")))) < 0 ||
	    (r = vmfex_profile_set_type(p, vmfex_profile_type_from_string(vmfex_xml_prop(n, "type")))) < 0 ||
	    (r = vmfex_profile_set_uuid(p, vmfex_xml_prop(n, "uuid"))) < 0)
		goto fail;
	for (xmlNodePtr k = n->children; k; k = k->next) {
		if (vmfex_xml_is(k, "vlan")) {
			const char *vname = vmfex_xml_prop(k, "name"), *id = vmfex_xml_prop(k, "id");
			bool native = strcmp(vmfex_xml_prop(k, "native"), "yes") == 0;
			size_t before = p->n_vlans;

			if (native && native_seen) {
				ERR(c->ctx, "%s:%d: profile '%s': a second native VLAN '%s'", what,
				    (int)k->line, p->name, vname);
				r = -EINVAL;
				goto fail;
			}
			native_seen |= native;
			r = vmfex_profile_set_vlan(p, vname, id ? (unsigned)atoi(id) : 0, native);
			if (r < 0)
				goto fail;
			if (p->n_vlans == before) {
				ERR(c->ctx, "%s:%d: profile '%s': VLAN '%s' twice", what,
				    (int)k->line, p->name, vname);
				r = -EINVAL;
				goto fail;
			}
		} else if (vmfex_xml_is(k, "client") && !vmfex_xml_prop(k, "cluster")) {
			r = read_ucsm_client(c, what, p, k);
			if (r < 0)
				goto fail;
		} else if (vmfex_xml_is(k, "client")) {
			const char *cl = vmfex_xml_prop(k, "cluster");

			if (!vmfex_catalog_find_cluster(c, cl)) {
				ERR(c->ctx, "%s:%d: profile '%s': client '%s' is no cluster of the "
				    "catalog", what, (int)k->line, p->name, cl);
				r = -EINVAL;
				goto fail;
			}
			r = vmfex_profile_add_client_name(p, cl);
			if (r < 0)
				goto fail;
		}
	}
	r = vmfex_catalog_insert_profile(c, p);
	if (r == -EEXIST) {
		ERR(c->ctx, "%s:%d: profile '%s' twice", what, (int)n->line, p->name);
		vmfex_profile_free(p);
		return -EINVAL;
	}
	if (r < 0)
		goto fail;
	return 0;
fail:
	if (r == -EINVAL)
		ERR(c->ctx, "%s:%d: invalid profile", what, (int)n->line);
	vmfex_profile_free(p);
	return r;
}

int vmfex_catalog_parse(struct vmfex_ctx *ctx, const char *what, const char *buf, size_t len,
                        struct vmfex_catalog **out)
{
	struct vmfex_catalog *c = NULL;
	xmlDocPtr doc;
	xmlNodePtr root;
	int r;

	r = vmfex_xml_parse(ctx, what, buf, len, 8, &doc);
	if (r < 0)
		return r;
	r = schema_check(ctx, what, doc);
	if (r < 0)
		goto out;
	r = vmfex_catalog_alloc(ctx, &c);
	if (r < 0)
		goto out;
	root = xmlDocGetRootElement(doc);
	for (xmlNodePtr n = root->children; n; n = n->next) {
		if (vmfex_xml_is(n, "cluster")) {
			const char *name = vmfex_xml_prop(n, "name");

			if (strcmp(name, VMFEX_CLUSTER_DEFAULT) == 0)
				continue;
			r = vmfex_catalog_add_cluster(c, name, NULL);
			if (r == -EEXIST) {
				ERR(ctx, "%s:%d: cluster '%s' twice", what, (int)n->line, name);
				r = -EINVAL;
			}
		} else if (vmfex_xml_is(n, "profile")) {
			r = read_profile(c, what, n);
		}
		if (r < 0)
			goto out;
	}
	*out = c;
	c = NULL;
out:
	vmfex_catalog_unref(c);
	xmlFreeDoc(doc);
	return r;
}

_public_ int vmfex_catalog_new_from_buffer(struct vmfex_ctx *ctx, const char *buf, size_t len,
                                          struct vmfex_catalog **catalog)
{
	if (!ctx || !buf || !catalog)
		return -EINVAL;
	return vmfex_catalog_parse(ctx, "catalog", buf, len, catalog);
}
