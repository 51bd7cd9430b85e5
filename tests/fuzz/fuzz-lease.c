/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target for a line of the lease file (lib/workflow/lease.c).
 *
 * The input is made a C string (a NUL-terminated copy of exactly its
 * size). Properties checked:
 *  - a rejected line names what is wrong, an accepted one does not;
 *  - an accepted lease holds only values in range: a canonical PCI
 *    address, a VF index up to 65535, a PID from 1, a 36-character UUID,
 *    a start time given in digits only (never a sign), a VM name without
 *    control characters. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "workflow/workflow-private.h"
#include "fuzz-check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmfex_lease l;
	const char *why = NULL, *start;
	char *s = malloc(size + 1);
	int r;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	r = vmfex_lease_parse_line(s, &l, &why);
	if (r < 0) {
		CHECK(why && *why);
		free(s);
		return 0;
	}
	CHECK(r == 0 && !why);
	CHECK(strlen(l.pf) == VMFEX_PCI_ADDR_LEN - 1);
	CHECK(l.vf <= 65535 && l.pid >= 1);
	CHECK(strlen(l.vm_uuid) == 36);
	/* The fifth field: after four tabs. */
	start = s;
	for (int i = 0; i < 4; i++)
		start = strchr(start, '\t') + 1;
	CHECK(isdigit((unsigned char)*start));
	for (const char *c = l.vm_name; *c; c++)
		CHECK((unsigned char)*c >= 0x20 && *c != 0x7f);
	free(s);
	return 0;
}
