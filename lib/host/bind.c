/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Moving a VF between drivers the way libvirt does: driver_override,
 * unbind, drivers_probe, and a check that the kernel really bound it. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "libvmfex-private.h"

static int write_attr(struct vmfex_vf *vf, const char *rel, const char *value)
{
	struct vmfex_ctx *ctx = vf->pf->ctx;
	char path[PATH_MAX];
	int r;

	r = vmfex_sysfs_path(ctx, path, sizeof(path), "%s", rel);
	if (r < 0)
		return r;
	r = vmfex_sysfs_write(ctx, path, value);
	if (r < 0)
		ERR(ctx, "%s: writing '%s' to %s failed: %s", vf->pci,
		    strcmp(value, "\n") == 0 ? "\\n" : value, rel, strerror(-r));
	return r;
}

_public_ int vmfex_vf_bind_driver(struct vmfex_vf *vf, const char *driver)
{
	struct vmfex_ctx *ctx = vf->pf->ctx;
	char rel[PATH_MAX];
	int r;

	if (driver && vmfex_driver_name_validate(driver) < 0) {
		ERR(ctx, "'%.64s' is not a valid driver name", driver);
		return -EINVAL;
	}
	r = vmfex_vf_refresh(vf);
	if (r < 0)
		return r;
	if (driver && strcmp(vf->driver, driver) == 0)
		return 0;

	/* "\n" clears the override; the kernel then reads back "(null)". */
	snprintf(rel, sizeof(rel), "bus/pci/devices/%s/driver_override", vf->pci);
	r = write_attr(vf, rel, driver ? driver : "\n");
	if (r < 0)
		return r;
	if (vf->driver[0]) {
		snprintf(rel, sizeof(rel), "bus/pci/drivers/%s/unbind", vf->driver);
		r = write_attr(vf, rel, vf->pci);
		if (r < 0)
			return r;
	}
	r = write_attr(vf, "bus/pci/drivers_probe", vf->pci);
	if (r < 0)
		return r;

	/* drivers_probe succeeds even when nothing binds. */
	r = vmfex_vf_refresh(vf);
	if (r < 0)
		return r;
	if (driver && strcmp(vf->driver, driver) != 0) {
		ERR(ctx, "%s: the kernel did not bind %s (%s); is the module loaded%s?", vf->pci,
		    driver, vf->driver[0] ? vf->driver : "no driver bound",
		    strcmp(driver, "vfio-pci") == 0 ? " and the VF in an IOMMU group" : "");
		return -ENXIO;
	}
	if (!driver)
		INFO(ctx, "%s: back to %s", vf->pci, vf->driver[0] ? vf->driver : "no driver");
	return 0;
}
