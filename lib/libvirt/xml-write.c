/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Writing XML through libxml2's text writer: every name and value is
 * escaped by the library, never pasted into a string. Attributes keep
 * libxml2's double quotes: its escaping of attribute values turns '"'
 * into &quot; but leaves "'" alone, so single-quoted attributes would let
 * a name with an apostrophe end its attribute. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libvirt/libvirt-private.h"

int vmfex_xml_writer_init(struct vmfex_xml_writer *x, struct vmfex_ctx *ctx, const char *what)
{
	memset(x, 0, sizeof(*x));
	vmfex_xml_errors_begin(&x->errors, ctx, what);
	x->buf = xmlBufferCreate();
	if (!x->buf) {
		vmfex_xml_errors_end(&x->errors);
		return -ENOMEM;
	}
	x->w = xmlNewTextWriterMemory(x->buf, 0);
	if (!x->w) {
		vmfex_xml_writer_free(x);
		return -ENOMEM;
	}
	if (xmlTextWriterSetIndent(x->w, 1) < 0 ||
	    xmlTextWriterSetIndentString(x->w, (const xmlChar *)"  ") < 0) {
		vmfex_xml_writer_free(x);
		return -ENOMEM;
	}
	return 0;
}

static void check(struct vmfex_xml_writer *x, int rc)
{
	if (rc < 0 && !x->err)
		x->err = -ENOMEM;
}

void vmfex_xml_start(struct vmfex_xml_writer *x, const char *name)
{
	if (!x->err)
		check(x, xmlTextWriterStartElement(x->w, (const xmlChar *)name));
}

void vmfex_xml_attr(struct vmfex_xml_writer *x, const char *name, const char *value)
{
	if (!x->err && value)
		check(x, xmlTextWriterWriteAttribute(x->w, (const xmlChar *)name,
		                                     (const xmlChar *)value));
}

void vmfex_xml_end(struct vmfex_xml_writer *x)
{
	if (!x->err)
		check(x, xmlTextWriterEndElement(x->w));
}

void vmfex_xml_empty(struct vmfex_xml_writer *x, const char *name, const char *attr,
                     const char *value)
{
	vmfex_xml_start(x, name);
	if (attr)
		vmfex_xml_attr(x, attr, value);
	vmfex_xml_end(x);
}

void vmfex_xml_text_element(struct vmfex_xml_writer *x, const char *name, const char *text)
{
	if (!x->err)
		check(x, xmlTextWriterWriteElement(x->w, (const xmlChar *)name,
		                                   (const xmlChar *)text));
}

void vmfex_xml_pci_address(struct vmfex_xml_writer *x, const struct vmfex_pci_addr *a)
{
	char v[4][8];

	snprintf(v[0], sizeof(v[0]), "0x%04x", a->domain);
	snprintf(v[1], sizeof(v[1]), "0x%02x", a->bus);
	snprintf(v[2], sizeof(v[2]), "0x%02x", a->dev);
	snprintf(v[3], sizeof(v[3]), "0x%x", a->fn);
	vmfex_xml_start(x, "address");
	vmfex_xml_attr(x, "type", "pci");
	vmfex_xml_attr(x, "domain", v[0]);
	vmfex_xml_attr(x, "bus", v[1]);
	vmfex_xml_attr(x, "slot", v[2]);
	vmfex_xml_attr(x, "function", v[3]);
	vmfex_xml_end(x);
}

/* <virtualport type='TYPE'><parameters profileid='ID'/></virtualport>;
 * type or profileid may be NULL. */
void vmfex_xml_virtualport(struct vmfex_xml_writer *x, const char *type, const char *profileid)
{
	vmfex_xml_start(x, "virtualport");
	vmfex_xml_attr(x, "type", type);
	if (profileid)
		vmfex_xml_empty(x, "parameters", "profileid", profileid);
	vmfex_xml_end(x);
}

int vmfex_xml_writer_finish(struct vmfex_xml_writer *x, char **out)
{
	int r = x->err;

	if (!r && xmlTextWriterEndDocument(x->w) < 0)
		r = -ENOMEM;
	if (!r) {
		xmlFreeTextWriter(x->w); /* flushes into buf */
		x->w = NULL;
		*out = strdup((const char *)xmlBufferContent(x->buf));
		if (!*out)
			r = -ENOMEM;
	}
	vmfex_xml_writer_free(x);
	return r;
}

void vmfex_xml_writer_free(struct vmfex_xml_writer *x)
{
	if (x->w)
		xmlFreeTextWriter(x->w);
	if (x->buf)
		xmlBufferFree(x->buf);
	if (x->errors.ctx)
		vmfex_xml_errors_end(&x->errors);
	x->w = NULL;
	x->buf = NULL;
	x->errors.ctx = NULL;
}
