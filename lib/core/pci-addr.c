/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Strings that become parts of sysfs paths. Everything here is pure and
 * is checked before any path is built from it. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "libvmfex-private.h"

/* Exactly n hex digits at s; -1 otherwise. */
static long hexfield(const char *s, int n)
{
	long v = 0;

	for (int i = 0; i < n; i++) {
		int d = vmfex_hexdigit(s[i]);
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* "dddd:bb:dd.f" or "bb:dd.f"; nothing before or after. */
int vmfex_pci_addr_parse(const char *s, struct vmfex_pci_addr *addr)
{
	long domain = 0, bus, dev, fn;
	size_t len;

	if (!s)
		return -EINVAL;
	len = strnlen(s, VMFEX_PCI_ADDR_LEN);
	if (len == 12) {
		if (s[4] != ':')
			return -EINVAL;
		domain = hexfield(s, 4);
		if (domain < 0)
			return -EINVAL;
		s += 5;
	} else if (len != 7) {
		return -EINVAL;
	}
	if (s[2] != ':' || s[5] != '.')
		return -EINVAL;
	bus = hexfield(s, 2);
	dev = hexfield(s + 3, 2);
	fn = hexfield(s + 6, 1);
	if (bus < 0 || dev < 0 || fn < 0 || dev > 0x1f || fn > 7)
		return -EINVAL;
	addr->domain = (uint16_t)domain;
	addr->bus = (uint8_t)bus;
	addr->dev = (uint8_t)dev;
	addr->fn = (uint8_t)fn;
	return 0;
}

/* "dddd:bb:dd.f" by hand: this runs for every VF of every walk. */
void vmfex_pci_addr_format(const struct vmfex_pci_addr *addr, char buf[VMFEX_PCI_ADDR_LEN])
{
	static const char hex[] = "0123456789abcdef";
	const unsigned int dev = addr->dev & 0x1fu;

	buf[0] = hex[addr->domain >> 12 & 0xf];
	buf[1] = hex[addr->domain >> 8 & 0xf];
	buf[2] = hex[addr->domain >> 4 & 0xf];
	buf[3] = hex[addr->domain & 0xf];
	buf[4] = ':';
	buf[5] = hex[addr->bus >> 4];
	buf[6] = hex[addr->bus & 0xf];
	buf[7] = ':';
	buf[8] = hex[dev >> 4];
	buf[9] = hex[dev & 0xf];
	buf[10] = '.';
	buf[11] = hex[addr->fn & 7u];
	buf[12] = '\0';
}

int vmfex_pci_addr_cmp(const struct vmfex_pci_addr *a, const struct vmfex_pci_addr *b)
{
	uint32_t ka = (uint32_t)a->domain << 16 | a->bus << 8 | a->dev << 3 | a->fn;
	uint32_t kb = (uint32_t)b->domain << 16 | b->bus << 8 | b->dev << 3 | b->fn;

	return ka < kb ? -1 : ka > kb;
}

/* vmfex_pci_addr_cmp() for qsort() and bsearch() of addresses (or of
 * structures that begin with one). */
int vmfex_pci_addr_sort_cmp(const void *a, const void *b)
{
	return vmfex_pci_addr_cmp(a, b);
}

/* The kernel's dev_valid_name(): 1-15 bytes, not "." or "..", no '/', ':'
 * or white space, where the kernel's isspace() also counts 0xa0. Other
 * bytes, UTF-8 included, are valid names. */
int vmfex_ifname_validate(const char *name)
{
	size_t len;

	if (!name)
		return -EINVAL;
	len = strnlen(name, VMFEX_IFNAMSIZ);
	if (len == 0 || len >= VMFEX_IFNAMSIZ)
		return -EINVAL;
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return -EINVAL;
	for (const char *p = name; *p; p++)
		if (*p == '/' || *p == ':' || isspace((unsigned char)*p) ||
		    (unsigned char)*p == 0xa0)
			return -EINVAL;
	return 0;
}

/* Kernel driver names are module-like: letters, digits, '_', '-', '.'.
 * "." and ".." are refused as they are path components. */
int vmfex_driver_name_validate(const char *name)
{
	size_t len;

	if (!name)
		return -EINVAL;
	len = strnlen(name, VMFEX_DRIVER_NAME_MAX + 1);
	if (len == 0 || len > VMFEX_DRIVER_NAME_MAX)
		return -EINVAL;
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return -EINVAL;
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.')
			return -EINVAL;
	return 0;
}
