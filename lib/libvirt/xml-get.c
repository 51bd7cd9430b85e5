/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading a parsed libvirt document: children by name, attributes, PCI
 * addresses as libvirt writes them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libvirt/libvirt-private.h"

xmlNode *vmfex_xml_next(xmlNode *n, const char *name)
{
	for (; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && !n->ns && xmlStrEqual(n->name, (const xmlChar *)name))
			return n;
	return NULL;
}

xmlNode *vmfex_xml_child(xmlNode *n, const char *name)
{
	return n ? vmfex_xml_next(n->children, name) : NULL;
}

char *vmfex_xml_get_attr(xmlNode *n, const char *name, int *err)
{
	xmlChar *v;
	char *s;

	if (!n)
		return NULL;
	v = xmlGetNoNsProp(n, (const xmlChar *)name);
	if (!v)
		return NULL;
	s = strdup((const char *)v);
	xmlFree(v);
	if (!s)
		*err = -ENOMEM;
	return s;
}

static int get_num(xmlNode *n, const char *name, unsigned long max, bool required,
                   unsigned long *out)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	char *end;
	int r = 0;

	*out = 0;
	if (!v)
		return required ? -EINVAL : 0;
	/* libvirt reads these with base 0: 0x.. hex, else decimal. */
	errno = 0;
	if (v[0] < '0' || v[0] > '9')
		r = -EINVAL;
	else
		*out = strtoul((const char *)v, &end, 0);
	if (!r && (errno || *end || *out > max))
		r = -EINVAL;
	xmlFree(v);
	return r;
}

/* <address type='pci' domain= bus= slot= function=/>: -EINVAL when it is
 * no PCI address or out of range, -ENOENT when absent. */
int vmfex_xml_parse_pci(xmlNode *address, struct vmfex_pci_addr *a)
{
	unsigned long d, b, s, f;
	xmlChar *type;
	bool pci;

	if (!address)
		return -ENOENT;
	type = xmlGetNoNsProp(address, (const xmlChar *)"type");
	pci = type && xmlStrEqual(type, (const xmlChar *)"pci");
	xmlFree(type);
	if (!pci)
		return -EINVAL;
	if (get_num(address, "domain", 0xffff, false, &d) < 0 ||
	    get_num(address, "bus", 0xff, true, &b) < 0 ||
	    get_num(address, "slot", 0x1f, true, &s) < 0 ||
	    get_num(address, "function", 7, true, &f) < 0)
		return -EINVAL;
	a->domain = (uint16_t)d;
	a->bus = (uint8_t)b;
	a->dev = (uint8_t)s;
	a->fn = (uint8_t)f;
	return 0;
}
