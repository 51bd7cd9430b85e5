/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Pure parsers of sysfs attribute contents: bytes in, value out. A single
 * trailing newline is allowed, as the kernel prints one; anything else that
 * is not part of the value is an error. */
#include <errno.h>
#include <string.h>

#include "libvmfex-private.h"

int vmfex_hexdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static size_t strip_newline(const char *buf, size_t len)
{
	return (len > 0 && buf[len - 1] == '\n') ? len - 1 : len;
}

/* Decimal, no sign, no spaces; -ERANGE above max. */
int vmfex_parse_uint(const char *buf, size_t len, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	len = strip_newline(buf, len);
	if (len == 0)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		unsigned d;

		if (buf[i] < '0' || buf[i] > '9')
			return -EINVAL;
		d = (unsigned)(buf[i] - '0');
		if (d > max || v > (max - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* 1-4 hex digits, "0x" before them optional: PCI ids print as "0x1137",
 * sriov_vf_device as "71" (a later kernel may add the prefix there too). */
int vmfex_parse_hex16(const char *buf, size_t len, uint16_t *out)
{
	unsigned v = 0;
	size_t i = 0;

	len = strip_newline(buf, len);
	if (len >= 2 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X'))
		i = 2;
	if (len == i)
		return -EINVAL;
	if (len - i > 4)
		return -ERANGE;
	for (; i < len; i++) {
		int d = vmfex_hexdigit(buf[i]);

		if (d < 0)
			return -EINVAL;
		v = v * 16 + (unsigned)d;
	}
	*out = (uint16_t)v;
	return 0;
}
