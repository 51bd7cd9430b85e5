/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* MAC addresses as people write them: six two-digit hex groups. */
#include <errno.h>
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

/* By table, not snprintf(): a listing of thousands of VFs calls it for each. */
void vmfex_mac_format(const uint8_t mac[6], char buf[VMFEX_MAC_STRLEN])
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 0; i < 6; i++) {
		buf[3 * i] = hex[mac[i] >> 4];
		buf[3 * i + 1] = hex[mac[i] & 0xf];
		buf[3 * i + 2] = i < 5 ? ':' : '\0';
	}
}
