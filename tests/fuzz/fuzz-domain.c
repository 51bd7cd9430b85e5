/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target for the libvirt domain reader (lib/libvirt/domain-parse.c
 * through the hardened parser): arbitrary bytes. An accepted domain must
 * hold what its readers rely on: every interface has a type; a MAC is a
 * unicast address in lower case; a PCI address is canonical; a profileid
 * has 1-39 bytes; a hostdev interface never lets the domain migrate and
 * the reason says why. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
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
	struct vmfex_xml_domain *dom = NULL;
	struct vmfex_xml_iface *i;
	const char *reason;
	bool hostdev = false;
	int r;

	if (!ctx)
		LLVMFuzzerInitialize(NULL, NULL);
	r = vmfex_xml_domain_new_from_buffer(ctx, (const char *)data, size, &dom);
	if (r < 0) {
		CHECK(r == -EINVAL || r == -EFBIG || r == -ENOMEM);
		CHECK(dom == NULL);
		return 0;
	}
	vmfex_xml_domain_foreach_iface(dom, i) {
		const char *mac = vmfex_xml_iface_get_mac(i), *pci = vmfex_xml_iface_get_pci(i);
		const char *pid = vmfex_xml_iface_get_profileid(i);
		uint8_t m[6];

		CHECK(vmfex_xml_iface_get_type(i) != NULL);
		if (mac) {
			char again[VMFEX_MAC_STRLEN];

			CHECK(vmfex_mac_parse(mac, m) == 0);
			CHECK(!(m[0] & 1));
			vmfex_mac_format(m, again);
			CHECK(strcmp(again, mac) == 0);
		}
		if (pci) {
			struct vmfex_pci_addr a;
			char again[VMFEX_PCI_ADDR_LEN];

			CHECK(vmfex_pci_addr_parse(pci, &a) == 0);
			vmfex_pci_addr_format(&a, again);
			CHECK(strcmp(again, pci) == 0);
		}
		if (strcmp(vmfex_xml_iface_get_type(i), "hostdev") == 0)
			CHECK(pci != NULL);
		if (pid)
			CHECK(strlen(pid) >= 1 && strlen(pid) <= VMFEX_XML_PROFILEID_MAX);
		hostdev |= vmfex_xml_iface_get_topology(i) == VMFEX_XML_TOPOLOGY_HOSTDEV;
	}
	if (vmfex_xml_domain_can_migrate(dom, &reason))
		CHECK(!hostdev && reason == NULL);
	else
		CHECK(reason != NULL && *reason);
	vmfex_xml_domain_unref(dom);
	return 0;
}
