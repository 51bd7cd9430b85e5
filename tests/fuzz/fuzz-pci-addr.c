/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target for the strings that become parts of sysfs paths
 * (lib/core/pci-addr.c): PCI addresses, interface names, driver names.
 *
 * The input is made a C string (a NUL-terminated copy of exactly its
 * size, so reads past the end are caught). Properties checked:
 *  - a parsed address formats to the canonical "dddd:bb:dd.f", which is
 *    the input itself up to letter case (with "0000:" before a short
 *    form), and parses back to the same address;
 *  - an accepted interface or driver name can never be a path: no '/',
 *    not "." or "..", bounded length. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "libvmfex-private.h"
#include "fuzz-check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_pci(const char *s)
{
	struct vmfex_pci_addr a, b;
	char canon[VMFEX_PCI_ADDR_LEN];
	size_t len;

	if (vmfex_pci_addr_parse(s, &a) < 0)
		return;
	CHECK(a.dev <= 0x1f && a.fn <= 7);
	len = strlen(s);
	CHECK(len == 7 || len == 12);

	memset(canon, 'X', sizeof(canon));
	vmfex_pci_addr_format(&a, canon);
	CHECK(strlen(canon) == VMFEX_PCI_ADDR_LEN - 1);
	if (len == 12)
		CHECK(strcasecmp(canon, s) == 0);
	else
		CHECK(strncmp(canon, "0000:", 5) == 0 && strcasecmp(canon + 5, s) == 0);
	for (const char *p = canon; *p; p++)
		CHECK((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || *p == ':' ||
		       *p == '.');

	memset(&b, 0x5a, sizeof(b));
	CHECK(vmfex_pci_addr_parse(canon, &b) == 0);
	CHECK(a.domain == b.domain && a.bus == b.bus && a.dev == b.dev && a.fn == b.fn);
	CHECK(vmfex_pci_addr_cmp(&a, &b) == 0);
}

static void check_path_component(const char *s, size_t max)
{
	size_t len = strlen(s);

	CHECK(len >= 1 && len <= max);
	CHECK(!strchr(s, '/'));
	CHECK(strcmp(s, ".") != 0 && strcmp(s, "..") != 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	check_pci(s);
	if (vmfex_ifname_validate(s) == 0) {
		check_path_component(s, VMFEX_IFNAMSIZ - 1);
		CHECK(!strchr(s, ':'));
	}
	if (vmfex_driver_name_validate(s) == 0)
		check_path_component(s, VMFEX_DRIVER_NAME_MAX);

	/* Two full addresses side by side: vmfex_pci_addr_cmp() orders them
	 * as their canonical strings sort (fixed-width lower-case hex). */
	if (size == 2 * 12 + 1 && s[12] == ' ') {
		struct vmfex_pci_addr a, b;

		s[12] = '\0';
		if (vmfex_pci_addr_parse(s, &a) == 0 && vmfex_pci_addr_parse(s + 13, &b) == 0) {
			char ca[VMFEX_PCI_ADDR_LEN], cb[VMFEX_PCI_ADDR_LEN];
			int ab = vmfex_pci_addr_cmp(&a, &b), ba = vmfex_pci_addr_cmp(&b, &a);
			int sc;

			vmfex_pci_addr_format(&a, ca);
			vmfex_pci_addr_format(&b, cb);
			sc = strcmp(ca, cb);
			CHECK(ab >= -1 && ab <= 1 && ab == -ba);
			CHECK((ab < 0) == (sc < 0) && (ab == 0) == (sc == 0));
			CHECK((ab == 0) == (a.domain == b.domain && a.bus == b.bus &&
			                     a.dev == b.dev && a.fn == b.fn));
		}
	}
	free(s);
	return 0;
}
