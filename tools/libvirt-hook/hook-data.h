/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What libvirtd writes on a hook's stdin, read into fixed fields. */
#ifndef VMFEX_HOOK_DATA_H
#define VMFEX_HOOK_DATA_H

#include <stddef.h>

#include <libvmfex/context.h>

/* A network port: <hookData><network/><networkport>. */
struct hook_port {
	char vm_uuid[37];     /* owner/uuid */
	char vm_name[256];    /* owner/name, "" for none */
	char group[64];       /* the portgroup: the profile */
	char mac[18];
	char plug_type[16];   /* "direct", "hostdev-pci"... */
	char dev[16];         /* plug/@dev: the VF's netdev */
};

/* Read all of stdin, at most the library's XML size limit. */
int hook_read_stdin(struct vmfex_ctx *ctx, char **buf, size_t *len);

/* Parse a network hook's hookData; -EBADMSG (logged) when a field the
 * hook needs is missing or out of size. */
int hook_port_parse(struct vmfex_ctx *ctx, const char *buf, size_t len, struct hook_port *p);

/* The <uuid> of a qemu hook's domain XML; -EBADMSG (logged) without one. */
int hook_domain_uuid(struct vmfex_ctx *ctx, const char *buf, size_t len, char uuid[37]);

/* The domain's direct and hostdev interfaces that libvmfex's element in
 * <metadata> names a profile for (by MAC), as ports: plug_type "direct"
 * (dev: the source netdev) or "hostdev" (dev: the source PCI address),
 * group: the profile. -EBADMSG (logged) for a malformed entry. */
int hook_domain_ports(struct vmfex_ctx *ctx, const char *buf, size_t len,
                      struct hook_port **ports, size_t *n);

#endif
