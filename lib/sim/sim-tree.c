/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Primitives on the simulated sysfs tree, laid out as Linux lays out
 * /sys: devices/ holds the functions, bus/pci/ and class/net/ hold links
 * into it, drivers hold links to their devices and devices to drivers. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/safe-file.h"
#include "sim-private.h"

int sim_path(struct vmfex_sim *sim, char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n, m;

	n = snprintf(buf, size, "%s/", sim->root);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	va_start(ap, fmt);
	m = vsnprintf(buf + n, size - (size_t)n, fmt, ap);
	va_end(ap);
	if (m < 0 || (size_t)m >= size - (size_t)n)
		return -ENAMETOOLONG;
	return 0;
}

int sim_write_file(struct vmfex_sim *sim, const char *rel, const char *content)
{
	char path[PATH_MAX];
	size_t len = strlen(content);
	int fd, r;

	r = sim_path(sim, path, sizeof(path), "%s", rel);
	if (r < 0)
		return r;
	fd = vmfex_safe_open(sim->ctx, path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0644, 0);
	if (fd < 0)
		return fd;
	r = write(fd, content, len) == (ssize_t)len ? 0 : -EIO;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	return r;
}

int sim_read_file(struct vmfex_sim *sim, const char *rel, char *buf, size_t size)
{
	char path[PATH_MAX];
	int r;

	r = sim_path(sim, path, sizeof(path), "%s", rel);
	if (r < 0)
		return r;
	return vmfex_sysfs_read(sim->ctx, path, buf, size);
}

int sim_exists(struct vmfex_sim *sim, const char *rel)
{
	char path[PATH_MAX];

	if (sim_path(sim, path, sizeof(path), "%s", rel) < 0)
		return 0;
	return vmfex_sysfs_exists(path) > 0;
}

static int sim_mkdir(struct vmfex_sim *sim, const char *rel)
{
	char path[PATH_MAX];
	int r;

	r = sim_path(sim, path, sizeof(path), "%s", rel);
	if (r < 0)
		return r;
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int sim_symlink(struct vmfex_sim *sim, const char *target, const char *rel)
{
	char path[PATH_MAX];
	int r;

	r = sim_path(sim, path, sizeof(path), "%s", rel);
	if (r < 0)
		return r;
	if (symlink(target, path) < 0)
		return -errno;
	return 0;
}

static int sim_unlink(struct vmfex_sim *sim, const char *rel)
{
	char path[PATH_MAX];
	int r;

	r = sim_path(sim, path, sizeof(path), "%s", rel);
	if (r < 0)
		return r;
	if (unlink(path) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

/* Device directories are two levels deep at most (net/IFNAME/). */
static int rm_tree_at(int parent, const char *name)
{
	int fd, r = 0;
	DIR *d;
	struct dirent *de;

	if (unlinkat(parent, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -errno;
	fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	while ((de = readdir(d)) && r == 0)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			r = rm_tree_at(dirfd(d), de->d_name);
	closedir(d);
	if (r == 0 && unlinkat(parent, name, AT_REMOVEDIR) < 0)
		r = -errno;
	return r;
}

static int sim_rm_tree(struct vmfex_sim *sim, const char *rel)
{
	char path[PATH_MAX];
	int r;

	r = sim_path(sim, path, sizeof(path), "%s", rel);
	if (r < 0)
		return r;
	return rm_tree_at(AT_FDCWD, path);
}

/* "devices/pci0000:0a/0000:0a:00.0", from the bus/pci/devices link. */
int sim_device_dir(struct vmfex_sim *sim, const char *pci, char *buf, size_t size)
{
	char path[PATH_MAX], target[PATH_MAX];
	ssize_t n;
	int r;

	r = sim_path(sim, path, sizeof(path), "bus/pci/devices/%s", pci);
	if (r < 0)
		return r;
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	/* The link is "../../../devices/...". */
	if (strncmp(target, "../../../", 9) != 0 || strlen(target + 9) >= size)
		return -EINVAL;
	strcpy(buf, target + 9);
	return 0;
}

static int write_attr(struct vmfex_sim *sim, const char *dir, const char *attr, const char *fmt,
                      ...) _printf_(4, 5);
static int write_attr(struct vmfex_sim *sim, const char *dir, const char *attr, const char *fmt,
                      ...)
{
	char rel[PATH_MAX], value[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	if ((size_t)snprintf(rel, sizeof(rel), "%s/%s", dir, attr) >= sizeof(rel))
		return -ENAMETOOLONG;
	return sim_write_file(sim, rel, value);
}

int sim_add_driver(struct vmfex_sim *sim, const struct sim_driver *drv)
{
	char rel[PATH_MAX];
	int r;

	snprintf(rel, sizeof(rel), "bus/pci/drivers/%s", drv->name);
	r = sim_mkdir(sim, rel);
	if (r == 0)
		r = write_attr(sim, rel, "bind", "%s", "");
	if (r == 0)
		r = write_attr(sim, rel, "unbind", "%s", "");
	if (r == 0)
		r = write_attr(sim, rel, "new_id", "%s", "");
	return r;
}

/* A PCI function under parent ("devices/pci0000:0a"), with its bus link;
 * a VF gets its physfn link, the PF its virtfnN link elsewhere. */
int sim_add_device(struct vmfex_sim *sim, const struct sim_device *dev, const char *parent,
                   const struct vmfex_pci_addr *physfn)
{
	char dir[128], rel[PATH_MAX], target[PATH_MAX];
	int r;

	if ((size_t)snprintf(dir, sizeof(dir), "%s/%s", parent, dev->pci) >= sizeof(dir))
		return -ENAMETOOLONG;
	r = sim_mkdir(sim, parent);
	if (r == 0)
		r = sim_mkdir(sim, dir);
	if (r == 0)
		r = write_attr(sim, dir, "vendor", "0x%04x\n", dev->vendor);
	if (r == 0)
		r = write_attr(sim, dir, "device", "0x%04x\n", dev->device);
	if (r == 0)
		r = write_attr(sim, dir, "subsystem_vendor", "0x%04x\n", dev->subsystem_vendor);
	if (r == 0)
		r = write_attr(sim, dir, "subsystem_device", "0x%04x\n", dev->subsystem_device);
	if (r == 0)
		r = write_attr(sim, dir, "class", "0x%06x\n", dev->class_code);
	if (r == 0)
		r = write_attr(sim, dir, "driver_override", "(null)\n");
	if (r == 0 && sim->desc->iommu) {
		/* One group per function: what ACS-capable platforms give VFs. */
		unsigned int group = (unsigned int)dev->addr.domain << 16 |
		                     (unsigned int)dev->addr.bus << 8 | dev->addr.dev << 3 | dev->addr.fn;

		snprintf(rel, sizeof(rel), "kernel/iommu_groups/%u", group);
		r = sim_mkdir(sim, rel);
		snprintf(rel, sizeof(rel), "%s/iommu_group", dir);
		snprintf(target, sizeof(target), "../../../kernel/iommu_groups/%u", group);
		if (r == 0)
			r = sim_symlink(sim, target, rel);
	}
	if (r == 0 && dev->has_sriov) {
		const struct sim_sriov *s = &dev->sriov;

		if ((r = write_attr(sim, dir, "sriov_totalvfs", "%u\n", s->total_vfs)) == 0 &&
		    (r = write_attr(sim, dir, "sriov_numvfs", "0\n")) == 0 &&
		    (r = write_attr(sim, dir, "sriov_offset", "%u\n", s->offset)) == 0 &&
		    (r = write_attr(sim, dir, "sriov_stride", "%u\n", s->stride)) == 0 &&
		    (r = write_attr(sim, dir, "sriov_vf_device", "%x\n", s->vf_device)) == 0)
			r = write_attr(sim, dir, "sriov_drivers_autoprobe", "%d\n",
			               s->drivers_autoprobe);
	}
	if (r == 0 && physfn) {
		char pf[VMFEX_PCI_ADDR_LEN];

		vmfex_pci_addr_format(physfn, pf);
		snprintf(rel, sizeof(rel), "%s/physfn", dir);
		snprintf(target, sizeof(target), "../%s", pf);
		r = sim_symlink(sim, target, rel);
	}
	if (r == 0) {
		snprintf(rel, sizeof(rel), "bus/pci/devices/%s", dev->pci);
		snprintf(target, sizeof(target), "../../../%s", dir);
		r = sim_symlink(sim, target, rel);
	}
	return r;
}

int sim_remove_device(struct vmfex_sim *sim, const char *pci)
{
	char dir[128], rel[PATH_MAX];
	int r;

	r = sim_device_dir(sim, pci, dir, sizeof(dir));
	if (r < 0)
		return r;
	r = sim_unbind(sim, pci);
	if (r < 0)
		return r;
	snprintf(rel, sizeof(rel), "bus/pci/devices/%s", pci);
	r = sim_unlink(sim, rel);
	if (r == 0)
		r = sim_rm_tree(sim, dir);
	return r;
}

int sim_device_driver(struct vmfex_sim *sim, const char *pci, char *buf, size_t size)
{
	char path[PATH_MAX];
	int r;

	r = sim_path(sim, path, sizeof(path), "bus/pci/devices/%s/driver", pci);
	if (r < 0)
		return r;
	buf[0] = '\0';
	r = vmfex_sysfs_read_link_name(sim->ctx, path, buf, size);
	return r == -ENOENT ? 0 : r;
}

static int next_ifindex(struct vmfex_sim *sim, unsigned int *out)
{
	char buf[32], value[32];
	unsigned long v = 2;   /* 1 is lo */
	int r;

	r = sim_read_file(sim, "../" SIM_STATE_DIR "/next-ifindex", buf, sizeof(buf));
	if (r >= 0 && vmfex_parse_uint(buf, (size_t)r, 0x7fffffff, &v) < 0)
		return -EINVAL;
	snprintf(value, sizeof(value), "%lu\n", v + 1);
	r = sim_write_file(sim, "../" SIM_STATE_DIR "/next-ifindex", value);
	*out = (unsigned int)v;
	return r;
}

static int add_netdev(struct vmfex_sim *sim, const char *dir, const struct vmfex_pci_addr *a,
                      const char *ifname)
{
	char rel[PATH_MAX], target[PATH_MAX];
	unsigned int ifindex;
	int r;

	snprintf(rel, sizeof(rel), "%s/net", dir);
	r = sim_mkdir(sim, rel);
	snprintf(rel, sizeof(rel), "%s/net/%s", dir, ifname);
	if (r == 0)
		r = sim_mkdir(sim, rel);
	if (r == 0)
		r = next_ifindex(sim, &ifindex);
	if (r == 0)
		r = write_attr(sim, rel, "ifindex", "%u\n", ifindex);
	/* A locally administered MAC derived from the address: stable and unique. */
	if (r == 0)
		r = write_attr(sim, rel, "address", "02:%02x:%02x:%02x:%02x:%02x\n",
		               a->domain >> 8, a->domain & 0xff, a->bus, a->dev << 3 | a->fn, 0);
	if (r == 0) {
		char pci[VMFEX_PCI_ADDR_LEN];

		vmfex_pci_addr_format(a, pci);
		snprintf(target, sizeof(target), "../../../%s", pci);
		snprintf(rel, sizeof(rel), "%s/net/%s/device", dir, ifname);
		r = sim_symlink(sim, target, rel);
	}
	if (r == 0) {
		snprintf(target, sizeof(target), "../../%s/net/%s", dir, ifname);
		snprintf(rel, sizeof(rel), "class/net/%s", ifname);
		r = sim_symlink(sim, target, rel);
	}
	return r;
}

/* The netdev a driver gives this function: the description's name for a
 * listed device, prefix and index for a VF. */
static int netdev_name(struct vmfex_sim *sim, const char *pci, char *buf, size_t size)
{
	const struct sim_device *dev, *pf;
	struct vmfex_pci_addr a, pa;
	char path[PATH_MAX], physfn[64];
	uint32_t rid, first;
	int r;

	buf[0] = '\0';
	if (vmfex_pci_addr_parse(pci, &a) < 0)
		return -EINVAL;
	dev = vmfex_sim_desc_device(sim->desc, &a);
	if (dev) {
		snprintf(buf, size, "%s", dev->ifname);
		return 0;
	}
	r = sim_path(sim, path, sizeof(path), "bus/pci/devices/%s/physfn", pci);
	if (r < 0)
		return r;
	r = vmfex_sysfs_read_link_name(sim->ctx, path, physfn, sizeof(physfn));
	if (r < 0 || vmfex_pci_addr_parse(physfn, &pa) < 0)
		return 0;
	pf = vmfex_sim_desc_device(sim->desc, &pa);
	if (!pf || !pf->sriov.vf_ifname_prefix[0])
		return 0;
	rid = (uint32_t)a.bus << 8 | a.dev << 3 | a.fn;
	first = ((uint32_t)pa.bus << 8 | pa.dev << 3 | pa.fn) + pf->sriov.offset;
	if ((size_t)snprintf(buf, size, "%s%u", pf->sriov.vf_ifname_prefix,
	                     (rid - first) / pf->sriov.stride) >= size)
		return -EINVAL;
	return 0;
}

int sim_bind(struct vmfex_sim *sim, const char *pci, const char *driver)
{
	const struct sim_driver *drv = vmfex_sim_desc_driver(sim->desc, driver);
	char dir[128], rel[PATH_MAX], target[PATH_MAX], ifname[VMFEX_IFNAMSIZ];
	struct vmfex_pci_addr a;
	int r;

	if (!drv || vmfex_pci_addr_parse(pci, &a) < 0)
		return -ENODEV;
	r = sim_device_dir(sim, pci, dir, sizeof(dir));
	if (r < 0)
		return r;
	snprintf(rel, sizeof(rel), "%s/driver", dir);
	snprintf(target, sizeof(target), "../../../bus/pci/drivers/%s", driver);
	r = sim_symlink(sim, target, rel);
	if (r < 0)
		return r;
	snprintf(rel, sizeof(rel), "bus/pci/drivers/%s/%s", driver, pci);
	snprintf(target, sizeof(target), "../../../../%s", dir);
	r = sim_symlink(sim, target, rel);
	if (r < 0)
		return r;
	if (!drv->netdev)
		return 0;
	r = netdev_name(sim, pci, ifname, sizeof(ifname));
	if (r < 0 || !ifname[0])
		return r;
	return add_netdev(sim, dir, &a, ifname);
}

int sim_unbind(struct vmfex_sim *sim, const char *pci)
{
	char dir[128], rel[PATH_MAX], driver[VMFEX_DRIVER_NAME_MAX + 1];
	DIR *d;
	struct dirent *de;
	int r;

	r = sim_device_driver(sim, pci, driver, sizeof(driver));
	if (r < 0 || !driver[0])
		return r;
	r = sim_device_dir(sim, pci, dir, sizeof(dir));
	if (r < 0)
		return r;
	/* The driver's netdevs go with it. */
	snprintf(rel, sizeof(rel), "%s/%s/net", sim->root, dir);
	d = opendir(rel);
	if (d) {
		while ((de = readdir(d))) {
			char link[PATH_MAX];

			if (de->d_name[0] == '.')
				continue;
			snprintf(link, sizeof(link), "class/net/%s", de->d_name);
			sim_unlink(sim, link);
		}
		closedir(d);
		snprintf(rel, sizeof(rel), "%s/net", dir);
		r = sim_rm_tree(sim, rel);
		if (r < 0)
			return r;
	}
	snprintf(rel, sizeof(rel), "bus/pci/drivers/%s/%s", driver, pci);
	r = sim_unlink(sim, rel);
	snprintf(rel, sizeof(rel), "%s/driver", dir);
	if (r == 0)
		r = sim_unlink(sim, rel);
	return r;
}
