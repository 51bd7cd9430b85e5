/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target for the libvirt network reader (lib/libvirt/network-parse.c
 * through the hardened parser): arbitrary bytes. An accepted network has
 * a name, at most one default portgroup, profileids of 1-39 bytes, and a
 * passthrough or hostdev pool that names its devices. A domain with an
 * interface on it resolves, and its migration answer follows the pool's
 * forward mode. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libvirt/libvirt-private.h"
#include "fuzz-check.h"
#include "fuzz-ctx.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct vmfex_ctx *ctx;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	ctx = fuzz_ctx_new();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char dom_xml[] =
		"<domain><name>d</name><devices><interface type='network'>"
		"<source network='N'/></interface></devices></domain>";
	struct vmfex_xml_network *net = NULL;
	struct vmfex_xml_domain *dom;
	const char *mode, *reason;
	unsigned int defaults = 0;
	int r;

	if (!ctx)
		LLVMFuzzerInitialize(NULL, NULL);
	r = vmfex_xml_network_new_from_buffer(ctx, (const char *)data, size, &net);
	if (r < 0) {
		CHECK(r == -EINVAL || r == -EFBIG || r == -ENOMEM);
		CHECK(net == NULL);
		return 0;
	}
	CHECK(vmfex_xml_network_get_name(net) && *vmfex_xml_network_get_name(net));
	for (size_t k = 0; k < net->n_pgs; k++) {
		const char *pid = vmfex_xml_network_get_profileid(net, net->pgs[k].name);

		defaults += net->pgs[k].is_default;
		if (pid)
			CHECK(strlen(pid) >= 1 && strlen(pid) <= VMFEX_XML_PROFILEID_MAX);
	}
	CHECK(defaults <= 1);

	/* An interface on the network's default portgroup. */
	r = vmfex_xml_domain_new_from_buffer(ctx, dom_xml, sizeof(dom_xml) - 1, &dom);
	CHECK(r == 0);
	free(net->name);
	net->name = strdup("N");
	CHECK(net->name);
	r = vmfex_xml_domain_add_network(dom, net);
	CHECK(r == 1 || r == -EINVAL || r == -ENOMEM);
	mode = vmfex_xml_network_get_forward_mode(net);
	if (r == 1) {
		bool can = vmfex_xml_domain_can_migrate(dom, &reason);

		CHECK(can == !(mode && strcmp(mode, "hostdev") == 0));
		CHECK(can == (reason == NULL));
	}
	vmfex_xml_domain_unref(dom);
	vmfex_xml_network_unref(net);
	return 0;
}
