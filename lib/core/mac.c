/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* MAC addresses as people write them: six two-digit hex groups. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "libvmfex-private.h"

int vmfex_mac_parse(const char *s, uint8_t mac[6])
{
	if (!s || strnlen(s, VMFEX_MAC_STRLEN) != VMFEX_MAC_STRLEN - 1)
		return -EINVAL;
	for (int i = 0; i < 6; i++) {
		int hi = vmfex_hexdigit(s[3 * i]), lo = vmfex_hexdigit(s[3 * i + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':'))
			return -EINVAL;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

void vmfex_mac_format(const uint8_t mac[6], char buf[VMFEX_MAC_STRLEN])
{
	snprintf(buf, VMFEX_MAC_STRLEN, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
	         mac[3], mac[4], mac[5]);
}
