/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libvmfex's element in a domain's <metadata>: which port profile each
 * direct or hostdev interface's VF gets, by the interface's MAC. libvirt
 * keeps elements of foreign namespaces in <metadata> as they are and
 * gives them to the qemu hook with the domain XML. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libvirt/libvirt-private.h"

static void start_ns(struct vmfex_xml_writer *x, const char *name, const char *uri)
{
	if (!x->err && xmlTextWriterStartElementNS(x->w, (const xmlChar *)"vmfex",
	                                           (const xmlChar *)name,
	                                           (const xmlChar *)uri) < 0)
		x->err = -ENOMEM;
}

_public_ int vmfex_xml_metadata_for_ports(struct vmfex_ctx *ctx,
                                          const struct vmfex_xml_metadata_port *ports, size_t n,
                                          char **xml)
{
	struct vmfex_xml_writer x;
	char (*macs)[VMFEX_MAC_STRLEN];
	int r = 0;

	if (!ctx || !xml || (n && !ports))
		return -EINVAL;
	*xml = NULL;
	if (!n) {
		ERR(ctx, "domain metadata: no interface to name a profile for");
		return -EINVAL;
	}
	macs = calloc(n, sizeof(*macs));
	if (!macs)
		return -ENOMEM;
	for (size_t i = 0; i < n && r == 0; i++) {
		r = vmfex_xml_check_mac(ctx, "domain metadata", ports[i].mac, macs[i]);
		if (r == 0)
			r = vmfex_xml_check_profileid(ctx, "domain metadata", ports[i].profile);
		for (size_t j = 0; j < i && r == 0; j++)
			if (strcmp(macs[i], macs[j]) == 0) {
				ERR(ctx, "domain metadata: MAC %s is given twice", macs[i]);
				r = -EINVAL;
			}
	}
	if (r < 0)
		goto out;
	r = vmfex_xml_writer_init(&x, ctx, "domain metadata");
	if (r < 0)
		goto out;
	start_ns(&x, "ports", VMFEX_XML_METADATA_NS);
	for (size_t i = 0; i < n; i++) {
		start_ns(&x, "port", NULL);
		vmfex_xml_attr(&x, "mac", macs[i]);
		vmfex_xml_attr(&x, "profile", ports[i].profile);
		vmfex_xml_end(&x);
	}
	vmfex_xml_end(&x);
	r = vmfex_xml_writer_finish(&x, xml);
out:
	free(macs);
	return r;
}
