/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What PFs and VFs read alike from a PCI function's sysfs directory. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libvmfex-private.h"

/* Whether bus/pci/drivers/NAME exists, asked once per walk where walk
 * remembers it. Errors other than its absence count as registered. */
static bool driver_registered(struct vmfex_ctx *ctx, const char *name,
                              struct vmfex_walk *walk)
{
	char path[PATH_MAX];
	bool registered;

	if (walk && strcmp(walk->driver, name) == 0)
		return walk->driver_registered;
	registered = vmfex_sysfs_path(ctx, path, sizeof(path), "bus/pci/drivers/%s", name) < 0 ||
	             vmfex_sysfs_exists(path) != 0;
	if (walk) {
		snprintf(walk->driver, sizeof(walk->driver), "%s", name);
		walk->driver_registered = registered;
	}
	return registered;
}

/* Optional link: "" when the function has no driver. walk: NULL, or the
 * walk of a PF's VFs this is part of. */
int vmfex_pci_read_driver(struct vmfex_ctx *ctx, const char *pci, char *buf, size_t size,
                          struct vmfex_walk *walk)
{
	char path[PATH_MAX];
	const char *name;
	int r, dirfd;

	buf[0] = '\0';
	if (walk && vmfex_walk_bound(ctx, pci, buf, size))
		return 0;
	r = vmfex_sysfs_dev_path(ctx, path, sizeof(path), pci, "driver");
	if (r < 0)
		return r;
	dirfd = vmfex_walk_at(walk, path, r, &name);
	r = vmfex_sysfs_read_link_name_at(ctx, dirfd, name, path, buf, size, NULL);
	if (r == -ENOENT)
		return 0;
	if (r < 0) {
		ERR(ctx, "%s: cannot read driver link: %s", pci, strerror(-r));
		return r;
	}
	if (vmfex_driver_name_validate(buf) < 0) {
		ERR(ctx, "%s: driver link points to '%s', not a driver", pci, buf);
		buf[0] = '\0';
		return -EINVAL;
	}
	if (!driver_registered(ctx, buf, walk)) {
		/* Only a broken tree has this: the kernel removes the link
		 * when the driver goes. */
		WARN(ctx, "%s: driver link points to %s, which is not registered; no driver",
		     pci, buf);
		buf[0] = '\0';
	} else if (walk) {
		vmfex_walk_saw_driver(ctx, buf);
	}
	return 0;
}

/* Optional netdev: "" when the function has none (vfio-pci, no driver). */
int vmfex_pci_read_ifname(struct vmfex_ctx *ctx, const char *pci, char *buf, size_t size)
{
	return vmfex_pci_read_ifname_in(ctx, pci, buf, size, NULL);
}

/* As vmfex_pci_read_ifname(), as part of walk (NULL: none). */
int vmfex_pci_read_ifname_in(struct vmfex_ctx *ctx, const char *pci, char *buf, size_t size,
                             struct vmfex_walk *walk)
{
	char path[PATH_MAX];
	const char *name;
	int r, dirfd;

	buf[0] = '\0';
	if (walk && vmfex_walk_netdev(ctx, pci, buf, size))
		return 0;
	r = vmfex_sysfs_dev_path(ctx, path, sizeof(path), pci, "net");
	if (r < 0)
		return r;
	dirfd = vmfex_walk_at(walk, path, r, &name);
	r = vmfex_sysfs_read_only_entry_at(ctx, dirfd, name, path, buf, size);
	if (r == -ENOENT)
		return 0;
	if (r == 0 && walk)
		vmfex_walk_saw_netdev(ctx);
	if (r == 0 && vmfex_ifname_validate(buf) < 0) {
		ERR(ctx, "%s: netdev name '%s' is not valid", pci, buf);
		r = -EINVAL;
	}
	if (r < 0) {
		buf[0] = '\0';
		if (r != -EINVAL)
			ERR(ctx, "%s: cannot list netdevs: %s", pci, strerror(-r));
	}
	return r;
}

/* A PCI address named by an entry to the list in data, a struct vmfex_buf. */
static int add_addr(void *data, int dirfd, const char *name)
{
	struct vmfex_pci_addr addr;

	if (vmfex_pci_addr_parse(name, &addr) < 0)
		return 0; /* a driver's bind, new_id, module... */
	return vmfex_buf_append(data, &addr, sizeof(addr));
}

/* The PCI functions a directory names (bus/pci/devices, a driver's),
 * sorted; to be freed with free(). Not logged. */
int vmfex_pci_list_dir(const char *dir, struct vmfex_pci_addr **out, size_t *n)
{
	struct vmfex_buf b = { 0 };
	int r = vmfex_sysfs_list_at(AT_FDCWD, dir, add_addr, &b);

	if (r < 0) {
		vmfex_buf_free(&b);
		return r;
	}
	*out = (struct vmfex_pci_addr *)b.data;
	*n = b.len / sizeof(**out);
	if (*n) /* qsort() takes no NULL, an empty list has no data */
		qsort(*out, *n, sizeof(**out), vmfex_pci_addr_sort_cmp);
	return 0;
}

/* After a missing attribute: -ENODEV when the function itself is missing,
 * else 0 (it exists, the attribute says what it is not). Logs the former. */
int vmfex_pci_check_exists(struct vmfex_ctx *ctx, const char *pci)
{
	char path[PATH_MAX];
	int r;

	r = vmfex_sysfs_path(ctx, path, sizeof(path), "bus/pci/devices/%s", pci);
	if (r < 0)
		return r;
	if (vmfex_sysfs_exists(path) > 0)
		return 0;
	ERR(ctx, "no PCI function %s", pci);
	return -ENODEV;
}

/* class/net/IFNAME/device names the PCI function of a netdev. */
int vmfex_pci_addr_from_ifname(struct vmfex_ctx *ctx, const char *ifname,
                               struct vmfex_pci_addr *addr)
{
	char path[PATH_MAX], name[64];
	int r;

	if (vmfex_ifname_validate(ifname) < 0) {
		ERR(ctx, "'%.64s' is not a valid interface name", ifname ? ifname : "(null)");
		return -EINVAL;
	}
	r = vmfex_sysfs_path(ctx, path, sizeof(path), "class/net/%s/device", ifname);
	if (r < 0)
		return r;
	r = vmfex_sysfs_read_link_name(ctx, path, name, sizeof(name));
	if (r == -ENOENT) {
		r = vmfex_sysfs_path(ctx, path, sizeof(path), "class/net/%s", ifname);
		if (r == 0 && vmfex_sysfs_exists(path) > 0)
			ERR(ctx, "interface %s is not a PCI device", ifname);
		else
			ERR(ctx, "no interface %s", ifname);
		return -ENODEV;
	}
	if (r < 0)
		return r;
	if (vmfex_pci_addr_parse(name, addr) < 0) {
		ERR(ctx, "interface %s is not a PCI device (its device is %s)", ifname, name);
		return -ENODEV;
	}
	return 0;
}
