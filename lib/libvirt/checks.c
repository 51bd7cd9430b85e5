/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What libvirt refuses in an interface, and what it should: profileids,
 * MACs and names, checked before anything is written. */
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <libxml/xmlstring.h>

#include "libvirt/libvirt-private.h"

/* libvirt copies a profileid into char[40] (virNetDevVPortProfile), its
 * schema says 39 characters at most, and enic wants it NUL-padded to 40
 * bytes: 1-39 bytes, no control characters. */
int vmfex_xml_check_profileid(struct vmfex_ctx *ctx, const char *what, const char *id)
{
	size_t n;

	if (!id || !*id) {
		ERR(ctx, "%s: empty profileid (libvirt needs 1-%d characters)", what,
		    VMFEX_XML_PROFILEID_MAX);
		return -EINVAL;
	}
	n = strnlen(id, VMFEX_XML_PROFILEID_MAX + 1);
	if (n > VMFEX_XML_PROFILEID_MAX) {
		ERR(ctx, "%s: profileid '%.39s...' is longer than %d bytes (libvirt and enic "
		    "refuse it)", what, id, VMFEX_XML_PROFILEID_MAX);
		return -EINVAL;
	}
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)id[i] < 0x20 || id[i] == 0x7f) {
			ERR(ctx, "%s: profileid has a control character at byte %zu", what, i);
			return -EINVAL;
		}
	if (!xmlCheckUTF8((const xmlChar *)id)) {
		ERR(ctx, "%s: profileid is not UTF-8", what);
		return -EINVAL;
	}
	return 0;
}

int vmfex_xml_check_mac(struct vmfex_ctx *ctx, const char *what, const char *mac,
                        char out[VMFEX_MAC_STRLEN])
{
	uint8_t m[6];
	static const uint8_t zero[6];

	if (vmfex_mac_parse(mac, m) < 0) {
		ERR(ctx, "%s: MAC '%.32s' is not xx:xx:xx:xx:xx:xx", what, mac ? mac : "");
		return -EINVAL;
	}
	if (m[0] & 1) {
		ERR(ctx, "%s: MAC %.17s is multicast (libvirt refuses it for a guest)", what, mac);
		return -EINVAL;
	}
	if (memcmp(m, zero, 6) == 0) {
		ERR(ctx, "%s: MAC 00:00:00:00:00:00 is no address", what);
		return -EINVAL;
	}
	if (out)
		vmfex_mac_format(m, out);
	return 0;
}

/* Names go through libxml2's escaping; they need only be non-empty UTF-8
 * without control characters (which XML 1.0 cannot carry). */
int vmfex_xml_check_name(struct vmfex_ctx *ctx, const char *what, const char *name)
{
	if (!name || !*name) {
		ERR(ctx, "%s: empty name", what);
		return -EINVAL;
	}
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20) {
			ERR(ctx, "%s: name has a control character", what);
			return -EINVAL;
		}
	if (!xmlCheckUTF8((const xmlChar *)name)) {
		ERR(ctx, "%s: name is not UTF-8", what);
		return -EINVAL;
	}
	return 0;
}

/* Unicast (bit 0 clear) and locally administered (bit 1 set) in the first
 * byte: never QEMU's 52:54:00 (a universal OUI), never a vendor's. */
int vmfex_xml_random_mac(char out[VMFEX_MAC_STRLEN])
{
	uint8_t m[6];
	ssize_t n;

	do
		n = getrandom(m, sizeof(m), 0);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(m))
		return n < 0 ? -errno : -EIO;
	m[0] = (uint8_t)((m[0] & 0xfc) | 0x02);
	vmfex_mac_format(m, out);
	return 0;
}
