/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Changing a PF's VF count by the rules of drivers/pci/iov.c. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "libvmfex-private.h"

#define DEFAULT_TIMEOUT_MS 5000

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int write_numvfs(struct vmfex_pf *pf, unsigned int num)
{
	struct vmfex_ctx *ctx = pf->ctx;
	char path[PATH_MAX], value[16];
	int r;

	r = vmfex_sysfs_path(ctx, path, sizeof(path), "bus/pci/devices/%s/sriov_numvfs", pf->pci);
	if (r < 0)
		return r;
	snprintf(value, sizeof(value), "%u", num);
	r = vmfex_sysfs_write(ctx, path, value);
	if (r == -ENOENT) {
		if (pf->driver[0])
			ERR(ctx, "%s: driver %s cannot change the VF count (no sriov_configure)%s",
			    pf->pci, pf->driver,
			    strcmp(pf->driver, "enic") == 0
			            ? "; enic enables all VFs at probe, set their number in UCS Manager"
			            : "");
		else
			ERR(ctx, "%s: no driver is bound to the PF, so its VF count cannot change",
			    pf->pci);
	} else if (r < 0) {
		ERR(ctx, "%s: writing %u to sriov_numvfs failed: %s", pf->pci, num, strerror(-r));
	}
	return r;
}

static int write_autoprobe(struct vmfex_pf *pf, enum vmfex_autoprobe autoprobe)
{
	char path[PATH_MAX];
	int r;

	if (autoprobe == VMFEX_AUTOPROBE_KEEP)
		return 0;
	r = vmfex_sysfs_path(pf->ctx, path, sizeof(path), "bus/pci/devices/%s/sriov_drivers_autoprobe",
	                     pf->pci);
	if (r < 0)
		return r;
	r = vmfex_sysfs_write(pf->ctx, path, autoprobe == VMFEX_AUTOPROBE_ON ? "1" : "0");
	if (r < 0)
		ERR(pf->ctx, "%s: writing sriov_drivers_autoprobe failed: %s", pf->pci, strerror(-r));
	return r;
}

/* New VFs are added by the kernel one by one; the last virtfn link, and
 * the device it leads to, say the work is done. Zero: virtfn0 is gone. */
static int wait_for_vfs(struct vmfex_pf *pf, unsigned int num, unsigned int timeout_ms)
{
	char path[PATH_MAX];
	unsigned int delay = 1;
	uint64_t deadline = now_ms() + timeout_ms;
	int r;

	r = vmfex_sysfs_path(pf->ctx, path, sizeof(path), "bus/pci/devices/%s/virtfn%u", pf->pci,
	                     num ? num - 1 : 0);
	if (r < 0)
		return r;
	for (;;) {
		r = vmfex_sysfs_exists(path);
		if (r < 0)
			return r;
		if (r == (num > 0))
			return 0;
		if (now_ms() >= deadline)
			break;
		sleep_ms(delay);
		delay = delay < 64 ? delay * 2 : delay;
	}
	ERR(pf->ctx, "%s: VFs did not %s within %u ms", pf->pci, num ? "appear" : "go away",
	    timeout_ms);
	return -ETIMEDOUT;
}

_public_ int vmfex_pf_set_num_vfs(struct vmfex_pf *pf, unsigned int num,
                                  const struct vmfex_set_num_vfs_opts *opts)
{
	struct vmfex_ctx *ctx = pf->ctx;
	unsigned int timeout_ms = DEFAULT_TIMEOUT_MS;
	struct vmfex_set_num_vfs_opts o;
	enum vmfex_autoprobe autoprobe;
	int r;

	r = vmfex_opts_copy(&o, sizeof(o), opts);
	if (r < 0) {
		ERR(ctx, "vmfex_set_num_vfs_opts: size or fields unknown to this library");
		return r;
	}
	if (o.timeout_ms)
		timeout_ms = o.timeout_ms;
	autoprobe = o.autoprobe;
	if (autoprobe > VMFEX_AUTOPROBE_OFF) {
		ERR(ctx, "vmfex_set_num_vfs_opts: autoprobe %d unknown", (int)autoprobe);
		return -EINVAL;
	}
	if (num > pf->total_vfs) {
		ERR(ctx, "%s: %u VFs requested, the device supports %u", pf->pci, num,
		    pf->total_vfs);
		return -ERANGE;
	}
	/* The cached count may be stale; the kernel's is what its rules use. */
	r = vmfex_pf_refresh(pf);
	if (r < 0)
		return r;
	if (pf->num_vfs == num)
		return 0;
	if (pf->num_vfs != 0 && num != 0) {
		INFO(ctx, "%s: disabling %u VFs before enabling %u", pf->pci, pf->num_vfs, num);
		r = write_numvfs(pf, 0);
		if (r < 0)
			return r;
		r = wait_for_vfs(pf, 0, timeout_ms);
		if (r < 0)
			return r;
	}
	if (num > 0) {
		r = write_autoprobe(pf, autoprobe);
		if (r < 0)
			return r;
	}
	r = write_numvfs(pf, num);
	if (r == 0)
		r = wait_for_vfs(pf, num, timeout_ms);
	/* Whatever happened, the handle shows the host as it now is. */
	int rr = vmfex_pf_refresh(pf);
	return r < 0 ? r : rr;
}
