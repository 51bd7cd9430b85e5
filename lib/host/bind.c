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

/* The override in force, "" for none ("(null)" in sysfs). */
static int read_override(struct vmfex_vf *vf, char *buf, size_t size)
{
	struct vmfex_ctx *ctx = vf->pf->ctx;
	char path[PATH_MAX];
	int r;

	r = vmfex_sysfs_path(ctx, path, sizeof(path), "bus/pci/devices/%s/driver_override",
	                     vf->pci);
	if (r < 0)
		return r;
	r = vmfex_sysfs_read(ctx, path, buf, size);
	if (r == -ENOENT)
		ERR(ctx, "%s: no driver_override attribute (kernel older than 3.16?)", vf->pci);
	if (r < 0)
		return r;
	if (strcmp(buf, "(null)") == 0)
		buf[0] = '\0';
	return 0;
}

/* driver_override, unbind, drivers_probe: the whole of libvirt's move. */
static int rebind(struct vmfex_vf *vf, const char *override)
{
	char rel[PATH_MAX];
	int r;

	/* "\n" clears the override; the kernel then reads back "(null)". */
	snprintf(rel, sizeof(rel), "bus/pci/devices/%s/driver_override", vf->pci);
	r = write_attr(vf, rel, *override ? override : "\n");
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
	return vmfex_vf_refresh(vf);
}

_public_ int vmfex_vf_bind_driver(struct vmfex_vf *vf, const char *driver)
{
	struct vmfex_ctx *ctx = vf->pf->ctx;
	char old_override[VMFEX_DRIVER_NAME_MAX + 2], old_driver[VMFEX_DRIVER_NAME_MAX + 1];
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
	r = read_override(vf, old_override, sizeof(old_override));
	if (r < 0)
		return r;
	strcpy(old_driver, vf->driver);

	r = rebind(vf, driver ? driver : "");
	/* drivers_probe succeeds even when nothing binds. */
	if (r == 0 && driver && strcmp(vf->driver, driver) != 0) {
		ERR(ctx, "%s: the kernel did not bind %s; is the module loaded%s?", vf->pci, driver,
		    strcmp(driver, "vfio-pci") == 0 ? " and the VF in an IOMMU group" : "");
		r = -ENXIO;
	}
	if (r < 0) {
		/* Give the VF back as it was, so a failed move loses nothing. */
		if (rebind(vf, old_override) < 0 || strcmp(vf->driver, old_driver) != 0)
			ERR(ctx, "%s: could not rebind %s after the failure; the VF is now with %s",
			    vf->pci, old_driver[0] ? old_driver : "no driver",
			    vf->driver[0] ? vf->driver : "no driver");
		return r;
	}
	INFO(ctx, "%s: bound to %s", vf->pci, vf->driver[0] ? vf->driver : "no driver");
	return 0;
}
