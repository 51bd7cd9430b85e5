/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The host UUID of port requests when the caller gives none: the DMI
 * product UUID, as libvirt takes it, else the machine id, which is itself
 * a random 128-bit identifier, stable across boots. */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <uuid/uuid.h>

#include "libvmfex-private.h"

static int from_machine_id(struct vmfex_ctx *ctx, uint8_t uuid[16])
{
	char buf[64];
	int r;

	r = vmfex_sysfs_read(ctx, "/etc/machine-id", buf, sizeof(buf));
	if (r != 32)
		return r < 0 ? r : -EINVAL;
	for (int i = 0; i < 16; i++) {
		int hi = vmfex_hexdigit(buf[2 * i]), lo = vmfex_hexdigit(buf[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		uuid[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

int vmfex_host_uuid(struct vmfex_ctx *ctx, uint8_t uuid[16])
{
	char path[PATH_MAX], buf[64];
	int r;

	r = vmfex_sysfs_path(ctx, path, sizeof(path), "class/dmi/id/product_uuid");
	if (r == 0)
		r = vmfex_sysfs_read(ctx, path, buf, sizeof(buf));
	if (r >= 0 && uuid_parse(buf, uuid) == 0 && !uuid_is_null(uuid))
		return 0;
	DBG(ctx, "no DMI product UUID under %s; using the machine id", ctx->sysfs_root);
	r = from_machine_id(ctx, uuid);
	if (r < 0)
		ERR(ctx, "no host UUID: neither %s/class/dmi/id/product_uuid nor /etc/machine-id "
		    "is readable; pass one", ctx->sysfs_root);
	return r;
}
