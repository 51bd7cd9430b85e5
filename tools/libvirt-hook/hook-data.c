/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hookData is read as every document the library did not write: through
 * the hardened libxml2 set-up (no DTD, no network, size and depth limits,
 * errors to the context's log). */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libxml/tree.h>

#include "libvmfex-private.h"
#include "model/model-private.h"
#include <libvmfex/libvirt.h>

#include "hook-data.h"

int hook_read_stdin(struct vmfex_ctx *ctx, char **out, size_t *out_len)
{
	size_t len = 0, cap = 8192;
	char *buf = malloc(cap);

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *b;

			if (cap >= VMFEX_XML_MAX_SIZE) {
				ERR(ctx, "hook data on stdin: over %zu bytes", VMFEX_XML_MAX_SIZE);
				free(buf);
				return -EFBIG;
			}
			b = realloc(buf, cap * 2);
			if (!b) {
				free(buf);
				return -ENOMEM;
			}
			buf = b;
			cap *= 2;
		}
		n = read(STDIN_FILENO, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			ERR(ctx, "hook data on stdin: %s", strerror(e));
			free(buf);
			return -e;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	*out = buf;
	*out_len = len;
	return 0;
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
	for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
		if (vmfex_xml_is(c, name))
			return c;
	return NULL;
}

/* Copy a value that must be there and fit; the log names the field. */
static int copy(struct vmfex_ctx *ctx, char *dst, size_t size, const char *v, const char *what,
                bool required)
{
	if (!v || !*v) {
		if (!required) {
			dst[0] = '\0';
			return 0;
		}
		ERR(ctx, "hook data: no %s", what);
		return -EBADMSG;
	}
	if (strlen(v) >= size) {
		ERR(ctx, "hook data: %s of %zu bytes, over %zu", what, strlen(v), size - 1);
		return -EBADMSG;
	}
	strcpy(dst, v);
	return 0;
}

static int copy_text(struct vmfex_ctx *ctx, char *dst, size_t size, xmlNodePtr n,
                     const char *what, bool required)
{
	xmlChar *t = n ? xmlNodeGetContent(n) : NULL;
	int r = copy(ctx, dst, size, (const char *)t, what, required);

	xmlFree(t);
	return r;
}

int hook_port_parse(struct vmfex_ctx *ctx, const char *buf, size_t len, struct hook_port *p)
{
	xmlDocPtr doc;
	xmlNodePtr root, port, owner, mac, plug;
	int r;

	memset(p, 0, sizeof(*p));
	r = vmfex_xml_parse(ctx, "hook data", buf, len, 0, &doc);
	if (r < 0)
		return r;
	root = xmlDocGetRootElement(doc);
	port = root && vmfex_xml_is(root, "hookData") ? child(root, "networkport") : NULL;
	owner = child(port, "owner");
	mac = child(port, "mac");
	plug = child(port, "plug");
	if (!port) {
		ERR(ctx, "hook data: not <hookData> with a <networkport>");
		r = -EBADMSG;
	}
	if (r == 0)
		r = copy_text(ctx, p->vm_uuid, sizeof(p->vm_uuid), child(owner, "uuid"),
		              "owner/uuid", true);
	if (r == 0)
		r = copy_text(ctx, p->vm_name, sizeof(p->vm_name), child(owner, "name"),
		              "owner/name", false);
	if (r == 0)
		r = copy_text(ctx, p->group, sizeof(p->group), child(port, "group"), "group",
		              false);
	if (r == 0)
		r = copy(ctx, p->mac, sizeof(p->mac), mac ? vmfex_xml_prop(mac, "address") : NULL,
		         "mac/@address", true);
	if (r == 0)
		r = copy(ctx, p->plug_type, sizeof(p->plug_type),
		         plug ? vmfex_xml_prop(plug, "type") : NULL, "plug/@type", false);
	if (r == 0)
		r = copy(ctx, p->dev, sizeof(p->dev), plug ? vmfex_xml_prop(plug, "dev") : NULL,
		         "plug/@dev", false);
	xmlFreeDoc(doc);
	return r;
}

/* The domain XML of a qemu hook, parsed; its root is a <domain> with a
 * <uuid>, copied to @uuid. */
static int parse_domain(struct vmfex_ctx *ctx, const char *buf, size_t len, xmlDocPtr *doc,
                        xmlNodePtr *root, char uuid[37])
{
	int r;

	r = vmfex_xml_parse(ctx, "domain XML of the qemu hook", buf, len, 0, doc);
	if (r < 0)
		return r;
	*root = xmlDocGetRootElement(*doc);
	if (!*root || !vmfex_xml_is(*root, "domain")) {
		ERR(ctx, "qemu hook data: not a <domain>");
		r = -EBADMSG;
	} else {
		r = copy_text(ctx, uuid, 37, child(*root, "uuid"), "domain/uuid", true);
	}
	if (r < 0)
		xmlFreeDoc(*doc);
	return r;
}

int hook_domain_uuid(struct vmfex_ctx *ctx, const char *buf, size_t len, char uuid[37])
{
	xmlDocPtr doc;
	xmlNodePtr root;
	int r;

	r = parse_domain(ctx, buf, len, &doc, &root, uuid);
	if (r == 0)
		xmlFreeDoc(doc);
	return r;
}

/* <metadata><vmfex:ports xmlns:vmfex=NS><vmfex:port mac profile/>: the
 * profile for a MAC, or NULL. */
static const char *metadata_profile(xmlNodePtr root, const char *mac)
{
	for (xmlNodePtr ports = child(child(root, "metadata"), "ports"); ports;
	     ports = ports->next) {
		if (!vmfex_xml_is(ports, "ports") || !ports->ns ||
		    strcmp((const char *)ports->ns->href, VMFEX_XML_METADATA_NS) != 0)
			continue;
		for (xmlNodePtr p = ports->children; p; p = p->next) {
			const char *m = vmfex_xml_is(p, "port") ? vmfex_xml_prop(p, "mac") : NULL;

			if (m && strcasecmp(m, mac) == 0)
				return vmfex_xml_prop(p, "profile");
		}
	}
	return NULL;
}

static int hostdev_pci(struct vmfex_ctx *ctx, xmlNodePtr iface, char *dst, size_t size)
{
	xmlNodePtr a = child(child(iface, "source"), "address");
	unsigned long v[4];
	static const char *const names[] = { "domain", "bus", "slot", "function" };

	for (int i = 0; i < 4; i++) {
		const char *s = a ? vmfex_xml_prop(a, names[i]) : NULL;
		char *end;

		if (!s) {
			ERR(ctx, "domain XML: hostdev interface without source address %s", names[i]);
			return -EBADMSG;
		}
		v[i] = strtoul(s, &end, 0);
		if (*end || v[i] > (i == 0 ? 0xffffUL : i == 1 ? 0xffUL : i == 2 ? 0x1fUL : 7UL)) {
			ERR(ctx, "domain XML: hostdev source address %s '%.16s' out of range", names[i],
			    s);
			return -EBADMSG;
		}
	}
	snprintf(dst, size, "%04lx:%02lx:%02lx.%lx", v[0], v[1], v[2], v[3]);
	return 0;
}

int hook_domain_ports(struct vmfex_ctx *ctx, const char *buf, size_t len,
                      struct hook_port **out, size_t *n_out)
{
	struct hook_port *v = NULL;
	size_t n = 0, cap = 0;
	xmlDocPtr doc;
	xmlNodePtr root;
	char uuid[37], name[256];
	int r;

	*out = NULL;
	*n_out = 0;
	r = parse_domain(ctx, buf, len, &doc, &root, uuid);
	if (r < 0)
		return r;
	r = copy_text(ctx, name, sizeof(name), child(root, "name"), "domain/name", false);
	for (xmlNodePtr i = child(root, "devices") ? child(root, "devices")->children : NULL;
	     i && r == 0; i = i->next) {
		const char *type = vmfex_xml_is(i, "interface") ? vmfex_xml_prop(i, "type") : NULL;
		xmlNodePtr mac = child(i, "mac");
		const char *addr = mac ? vmfex_xml_prop(mac, "address") : NULL;
		const char *profile;
		struct hook_port *p;

		if (!type || !addr || (strcmp(type, "direct") != 0 && strcmp(type, "hostdev") != 0))
			continue;
		profile = metadata_profile(root, addr);
		if (!profile)
			continue;
		if (n == cap) {
			struct hook_port *b = realloc(v, (cap + 4) * sizeof(*v));

			if (!b) {
				r = -ENOMEM;
				break;
			}
			v = b;
			cap += 4;
		}
		p = &v[n];
		memset(p, 0, sizeof(*p));
		strcpy(p->vm_uuid, uuid);
		strcpy(p->vm_name, name);
		strcpy(p->plug_type, type);
		r = copy(ctx, p->mac, sizeof(p->mac), addr, "interface mac/@address", true);
		if (r == 0)
			r = copy(ctx, p->group, sizeof(p->group), profile, "metadata port/@profile",
			         true);
		if (r == 0 && strcmp(type, "direct") == 0)
			r = copy(ctx, p->dev, sizeof(p->dev),
			         child(i, "source") ? vmfex_xml_prop(child(i, "source"), "dev") : NULL,
			         "direct interface source/@dev", true);
		else if (r == 0)
			r = hostdev_pci(ctx, i, p->dev, sizeof(p->dev));
		n++;
	}
	xmlFreeDoc(doc);
	if (r < 0) {
		free(v);
		return r;
	}
	*out = v;
	*n_out = n;
	return 0;
}
