/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The catalog file's writer: canonical XML through libxml2's xmlTextWriter
 * (every value escaped by libxml2), clusters then profiles, each sorted by
 * name, attributes in a fixed order, so that equal catalogs give equal
 * bytes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "model/model-private.h"

#define X(s) ((const xmlChar *)(s))

static int attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	if (!value || !*value)
		return 0;
	return xmlTextWriterWriteAttribute(w, X(name), X(value)) < 0 ? -ENOMEM : 0;
}

static int write_profile(xmlTextWriterPtr w, const struct vmfex_profile *p)
{
	char num[16];
	int r = 0;

	if (xmlTextWriterStartElement(w, X("profile")) < 0)
		return -ENOMEM;
	snprintf(num, sizeof(num), "%u", p->max_ports);
	r |= attr(w, "name", p->name);
	r |= attr(w, "descr", p->descr);
	r |= attr(w, "qos-policy", p->qos_policy);
	r |= attr(w, "nw-ctrl-policy", p->nw_ctrl_policy);
	r |= attr(w, "pin-group", p->pin_group);
	r |= attr(w, "max-ports", num);
	r |= attr(w, "host-nw-io-perf", vmfex_host_nw_io_perf_to_string(p->perf));
	r |= attr(w, "type", vmfex_profile_type_to_string(p->type));
	r |= attr(w, "uuid", p->uuid);
	for (size_t i = 0; i < p->n_vlans && !r; i++) {
		const struct vmfex_vlan *v = p->vlans[i];

		if (xmlTextWriterStartElement(w, X("vlan")) < 0)
			return -ENOMEM;
		r |= attr(w, "name", v->name);
		if (v->id) {
			snprintf(num, sizeof(num), "%u", v->id);
			r |= attr(w, "id", num);
		}
		r |= attr(w, "native", v->native ? "yes" : "no");
		if (xmlTextWriterEndElement(w) < 0)
			return -ENOMEM;
	}
	for (size_t i = 0; i < p->n_clients && !r; i++) {
		if (xmlTextWriterStartElement(w, X("client")) < 0)
			return -ENOMEM;
		r |= attr(w, "cluster", p->clients[i]);
		if (xmlTextWriterEndElement(w) < 0)
			return -ENOMEM;
	}
	/* UCS Manager's clients: patterns verbatim, empty ones too. */
	for (size_t i = 0; i < p->n_ucsm_clients && !r; i++) {
		const struct vmfex_ucsm_client *cl = p->ucsm_clients[i];

		if (xmlTextWriterStartElement(w, X("client")) < 0 ||
		    xmlTextWriterWriteAttribute(w, X("name"), X(cl->name)) < 0 ||
		    xmlTextWriterWriteAttribute(w, X("dc-name"), X(cl->dc_name)) < 0 ||
		    xmlTextWriterWriteAttribute(w, X("org-path"), X(cl->org_path)) < 0 ||
		    xmlTextWriterWriteAttribute(w, X("sw-name"), X(cl->sw_name)) < 0 ||
		    xmlTextWriterEndElement(w) < 0)
			return -ENOMEM;
	}
	if (r || xmlTextWriterEndElement(w) < 0)
		return -ENOMEM;
	return 0;
}

_public_ int vmfex_catalog_write_buffer(const struct vmfex_catalog *c, char **out, size_t *out_len)
{
	struct vmfex_xml_errors errors;
	xmlTextWriterPtr w = NULL;
	xmlBufferPtr b;
	int r = -ENOMEM;

	if (!c || !out || !out_len)
		return -EINVAL;
	vmfex_xml_errors_begin(&errors, c->ctx, c->path ? c->path : "catalog");
	b = xmlBufferCreateSize((size_t)c->n_profiles * 320 + 256);
	if (!b)
		goto out;
	w = xmlNewTextWriterMemory(b, 0);
	if (!w)
		goto out;
	if (xmlTextWriterSetIndent(w, 1) < 0 || xmlTextWriterSetIndentString(w, X("  ")) < 0 ||
	    xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) < 0 ||
	    xmlTextWriterStartElement(w, X("catalog")) < 0 || attr(w, "version", "1") < 0)
		goto out;
	for (size_t i = 0; i < c->n_clusters; i++) {
		if (xmlTextWriterStartElement(w, X("cluster")) < 0 ||
		    attr(w, "name", c->clusters[i]->name) < 0 || xmlTextWriterEndElement(w) < 0)
			goto out;
	}
	for (size_t i = 0; i < c->n_profiles; i++)
		if (write_profile(w, c->profiles[i]) < 0)
			goto out;
	if (xmlTextWriterEndDocument(w) < 0)
		goto out;
	xmlFreeTextWriter(w);
	w = NULL;
	*out_len = (size_t)xmlBufferLength(b);
	*out = malloc(*out_len + 1);
	if (!*out)
		goto out;
	memcpy(*out, xmlBufferContent(b), *out_len);
	(*out)[*out_len] = '\0';
	r = 0;
out:
	xmlFreeTextWriter(w);
	xmlBufferFree(b);
	vmfex_xml_errors_end(&errors);
	return r;
}
