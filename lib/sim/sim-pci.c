/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The kernel's answers to sysfs writes, as drivers/pci/iov.c,
 * drivers/pci/pci-sysfs.c and drivers/base/bus.c (unbind, bind,
 * drivers_probe) give them. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim-private.h"

/* PAGE_SIZE - 1: the longest driver_override the kernel takes. */
#define DRIVER_OVERRIDE_MAX 4095

static int read_uint_attr(struct vmfex_sim *sim, const char *pci, const char *attr,
                          unsigned long *out)
{
	char rel[PATH_MAX], buf[32];
	int r;

	snprintf(rel, sizeof(rel), "bus/pci/devices/%s/%s", pci, attr);
	r = sim_read_file(sim, rel, buf, sizeof(buf));
	if (r < 0)
		return r;
	return vmfex_parse_uint(buf, (size_t)r, ULONG_MAX, out);
}

static int write_uint_attr(struct vmfex_sim *sim, const char *pci, const char *attr,
                           unsigned long v)
{
	char rel[PATH_MAX], buf[32];

	snprintf(rel, sizeof(rel), "bus/pci/devices/%s/%s", pci, attr);
	snprintf(buf, sizeof(buf), "%lu\n", v);
	return sim_write_file(sim, rel, buf);
}

/* The driver_override in force, "" for none. */
static int read_override(struct vmfex_sim *sim, const char *pci, char *buf, size_t size)
{
	char rel[PATH_MAX];
	int r;

	snprintf(rel, sizeof(rel), "bus/pci/devices/%s/driver_override", pci);
	r = sim_read_file(sim, rel, buf, size);
	if (r < 0)
		return r;
	if (strcmp(buf, "(null)") == 0)
		buf[0] = '\0';
	return 0;
}

/* What pci_match_device() and pci_device_can_probe() make of a function
 * without a driver_override: the driver that matches it (the
 * description's, or its PF's vf_driver for a VF; "" for none), and
 * whether it may be probed at all (a VF of a PF with autoprobe off may
 * not). */
static int native_driver(struct vmfex_sim *sim, const char *pci, char *buf, size_t size,
                         bool *may_probe)
{
	char physfn[64], rel[PATH_MAX];
	const struct sim_device *dev, *pf;
	struct vmfex_pci_addr a, pa;
	unsigned long autoprobe = 1;

	buf[0] = '\0';
	*may_probe = true;
	if (vmfex_pci_addr_parse(pci, &a) < 0)
		return -ENODEV;
	dev = vmfex_sim_desc_device(sim->desc, &a);
	if (dev) {
		snprintf(buf, size, "%s", dev->driver);
		return 0;
	}
	/* A VF: its PF's settings decide. */
	snprintf(rel, sizeof(rel), "%s/bus/pci/devices/%s/physfn", sim->root, pci);
	if (vmfex_sysfs_read_link_name(sim->ctx, rel, physfn, sizeof(physfn)) < 0 ||
	    vmfex_pci_addr_parse(physfn, &pa) < 0)
		return 0;
	pf = vmfex_sim_desc_device(sim->desc, &pa);
	if (!pf)
		return 0;
	read_uint_attr(sim, physfn, "sriov_drivers_autoprobe", &autoprobe);
	*may_probe = autoprobe != 0;
	snprintf(buf, size, "%s", pf->sriov.vf_driver);
	return 0;
}

/* The driver's probe: 0 and bound, or, as really_probe() returns a failed
 * probe, a positive errno (vfio-pci without an IOMMU group: EINVAL). */
static int probe(struct vmfex_sim *sim, const char *pci, const struct sim_driver *drv)
{
	if (drv->needs_iommu && !sim->desc->iommu) {
		DBG(sim->ctx, "sim: %s: %s probe fails, no IOMMU group", pci, drv->name);
		return EINVAL;
	}
	return sim_bind(sim, pci, drv->name);
}

/* device_attach() for one function: the override, else the native driver;
 * a VF of a PF with autoprobe off is probed only with an override
 * (pci_device_can_probe()). A failing probe binds nothing, silently. */
int sim_probe(struct vmfex_sim *sim, const char *pci)
{
	char drv_name[DRIVER_OVERRIDE_MAX + 1];
	const struct sim_driver *drv;
	bool may_probe;
	int r;

	r = sim_device_driver(sim, pci, drv_name, sizeof(drv_name));
	if (r < 0 || drv_name[0])
		return r;
	r = read_override(sim, pci, drv_name, sizeof(drv_name));
	if (r < 0)
		return r;
	if (!drv_name[0]) {
		r = native_driver(sim, pci, drv_name, sizeof(drv_name), &may_probe);
		if (r < 0 || !may_probe)
			return r;
	}
	if (!drv_name[0])
		return 0;
	drv = vmfex_sim_desc_driver(sim->desc, drv_name);
	if (!drv) {
		DBG(sim->ctx, "sim: %s: no driver %s loaded", pci, drv_name);
		return 0;
	}
	r = probe(sim, pci, drv);
	return r > 0 ? 0 : r;
}

int sim_enable_vfs(struct vmfex_sim *sim, const struct sim_device *pf, unsigned int num)
{
	char parent[128], rel[PATH_MAX], dir[PATH_MAX];
	uint32_t base = (uint32_t)pf->addr.bus << 8 | pf->addr.dev << 3 | pf->addr.fn;
	unsigned long autoprobe = 1;
	int r;

	/* VFs sit beside their PF, under the same parent. */
	r = sim_device_dir(sim, pf->pci, parent, sizeof(parent));
	if (r < 0)
		return r;
	*strrchr(parent, '/') = '\0';
	read_uint_attr(sim, pf->pci, "sriov_drivers_autoprobe", &autoprobe);

	for (unsigned int i = 0; i < num; i++) {
		uint32_t rid = base + pf->sriov.offset + pf->sriov.stride * i;
		struct sim_device vf = {
			.addr = { pf->addr.domain, (uint8_t)(rid >> 8), (uint8_t)(rid >> 3 & 0x1f),
			          (uint8_t)(rid & 7) },
			.vendor = pf->vendor,
			.device = pf->sriov.vf_device,
			.subsystem_vendor = pf->subsystem_vendor,
			.subsystem_device = pf->subsystem_device,
			.class_code = pf->class_code,
		};

		vmfex_pci_addr_format(&vf.addr, vf.pci);
		r = sim_add_device(sim, &vf, parent, &pf->addr);
		if (r < 0)
			return r;
		snprintf(rel, sizeof(rel), "%s/bus/pci/devices/%s/virtfn%u", sim->root, pf->pci, i);
		snprintf(dir, sizeof(dir), "../%s", vf.pci);
		if (symlink(dir, rel) < 0)
			return -errno;
		if (autoprobe) {
			r = sim_probe(sim, vf.pci);
			if (r < 0)
				return r;
		}
	}
	return write_uint_attr(sim, pf->pci, "sriov_numvfs", num);
}

int sim_disable_vfs(struct vmfex_sim *sim, const struct sim_device *pf)
{
	char rel[PATH_MAX], name[64];
	int r;

	for (unsigned int i = 0;; i++) {
		snprintf(rel, sizeof(rel), "%s/bus/pci/devices/%s/virtfn%u", sim->root, pf->pci, i);
		r = vmfex_sysfs_read_link_name(sim->ctx, rel, name, sizeof(name));
		if (r == -ENOENT)
			break;
		if (r < 0)
			return r;
		r = sim_remove_device(sim, name);
		if (r < 0)
			return r;
		if (unlink(rel) < 0)
			return -errno;
	}
	return write_uint_attr(sim, pf->pci, "sriov_numvfs", 0);
}

/* kstrtou16(buf, 0): decimal, 0x hex or 0 octal, one trailing newline;
 * kstrtoull() beneath it skips one leading '+'. */
static int parse_kstrtou16(const char *value, unsigned long *out)
{
	char *end;

	if (*value == '+')
		value++;
	/* No sign or white space of any kind, which strtoul() would skip. */
	if (!isxdigit((unsigned char)*value))
		return -EINVAL;
	errno = 0;
	*out = strtoul(value, &end, 0);
	if (errno || end == value || (*end && strcmp(end, "\n") != 0) || *out > 0xffff)
		return -EINVAL;
	return 0;
}

static int store_numvfs(struct vmfex_sim *sim, const struct sim_device *pf, const char *value)
{
	const struct sim_driver *drv;
	char driver[VMFEX_DRIVER_NAME_MAX + 1];
	unsigned long num, cur;
	int r;

	if (parse_kstrtou16(value, &num) < 0)
		return -EINVAL;
	if (num > pf->sriov.total_vfs)
		return -ERANGE;
	r = read_uint_attr(sim, pf->pci, "sriov_numvfs", &cur);
	if (r < 0)
		return r;
	if (num == cur)
		return 0;
	r = sim_device_driver(sim, pf->pci, driver, sizeof(driver));
	if (r < 0)
		return r;
	drv = driver[0] ? vmfex_sim_desc_driver(sim->desc, driver) : NULL;
	if (!drv || !drv->sriov_configure)
		return -ENOENT;
	if (num == 0)
		return sim_disable_vfs(sim, pf);
	if (cur != 0)
		return -EBUSY;
	return sim_enable_vfs(sim, pf, (unsigned int)num);
}

static int store_autoprobe(struct vmfex_sim *sim, const struct sim_device *pf, const char *value)
{
	bool on;

	/* kstrtobool: the first character decides, the second after 'o'. */
	if (value[0] == 'o' || value[0] == 'O') {
		if (value[1] == 'n' || value[1] == 'N')
			on = true;
		else if (value[1] == 'f' || value[1] == 'F')
			on = false;
		else
			return -EINVAL;
		return write_uint_attr(sim, pf->pci, "sriov_drivers_autoprobe", on);
	}
	switch (value[0]) {
	case '1': case 'y': case 'Y': case 't': case 'T':
		on = true;
		break;
	case '0': case 'n': case 'N': case 'f': case 'F':
		on = false;
		break;
	default:
		return -EINVAL;
	}
	return write_uint_attr(sim, pf->pci, "sriov_drivers_autoprobe", on);
}

static int store_override(struct vmfex_sim *sim, const char *pci, const char *value)
{
	char rel[PATH_MAX], buf[DRIVER_OVERRIDE_MAX + 2];
	size_t len = strcspn(value, "\n");

	if (strlen(value) >= DRIVER_OVERRIDE_MAX)
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%.*s\n", (int)len, value);
	snprintf(rel, sizeof(rel), "bus/pci/devices/%s/driver_override", pci);
	return sim_write_file(sim, rel, len ? buf : "(null)\n");
}

/* sysfs_streq: the device name, a trailing newline allowed. */
static int device_named(struct vmfex_sim *sim, const char *value, char pci[VMFEX_PCI_ADDR_LEN])
{
	char rel[PATH_MAX];
	size_t len = strcspn(value, "\n");

	if (len >= VMFEX_PCI_ADDR_LEN || (value[len] && strcmp(value + len, "\n") != 0))
		return -ENODEV;
	memcpy(pci, value, len);
	pci[len] = '\0';
	snprintf(rel, sizeof(rel), "bus/pci/devices/%s", pci);
	if (strchr(pci, '/') || !sim_exists(sim, rel))
		return -ENODEV;
	return 0;
}

static int store_unbind(struct vmfex_sim *sim, const char *driver, const char *value)
{
	char pci[VMFEX_PCI_ADDR_LEN], bound[VMFEX_DRIVER_NAME_MAX + 1];
	int r;

	r = device_named(sim, value, pci);
	if (r < 0)
		return r;
	r = sim_device_driver(sim, pci, bound, sizeof(bound));
	if (r < 0)
		return r;
	if (strcmp(bound, driver) != 0)
		return -ENODEV;
	return sim_unbind(sim, pci);
}

/* bind_store(): the named function, if the driver matches it (its
 * driver_override names the driver; without one, the driver is its
 * native one), is attached by device_driver_attach(), which reports what
 * drivers_probe keeps quiet: EBUSY when a driver is bound, ENODEV for a
 * VF that autoprobe keeps off, and the probe's own error. */
static int store_bind(struct vmfex_sim *sim, const struct sim_driver *drv, const char *value)
{
	char pci[VMFEX_PCI_ADDR_LEN], name[DRIVER_OVERRIDE_MAX + 1];
	bool may_probe = true;
	int r;

	r = device_named(sim, value, pci);
	if (r < 0)
		return r;
	r = read_override(sim, pci, name, sizeof(name));
	if (r == 0 && !name[0])
		r = native_driver(sim, pci, name, sizeof(name), &may_probe);
	if (r < 0)
		return r;
	if (strcmp(name, drv->name) != 0)
		return -ENODEV;
	r = sim_device_driver(sim, pci, name, sizeof(name));
	if (r < 0)
		return r;
	if (name[0])
		return -EBUSY;
	if (!may_probe)
		return -ENODEV;
	r = probe(sim, pci, drv);
	return r > 0 ? -r : r;
}

static int store_drivers_probe(struct vmfex_sim *sim, const char *value)
{
	char pci[VMFEX_PCI_ADDR_LEN];
	int r;

	r = device_named(sim, value, pci);
	if (r < 0)
		return r;
	return sim_probe(sim, pci);
}

/* rel: the written path below the sysfs root. An empty write to a
 * writable attribute succeeds without reaching its store, as
 * sysfs_kf_write() returns 0 for it; one to a read-only attribute fails
 * to open (EACCES) before that. */
int sim_pci_write(struct vmfex_sim *sim, const char *rel, const char *value)
{
	char pci[VMFEX_PCI_ADDR_LEN], attr[64], driver[VMFEX_DRIVER_NAME_MAX + 1];
	struct vmfex_pci_addr a;
	const struct sim_device *dev;
	bool empty = !*value;
	int n = 0;

	if (strcmp(rel, "bus/pci/drivers_probe") == 0)
		return empty ? 0 : store_drivers_probe(sim, value);
	if (sscanf(rel, "bus/pci/drivers/%64[^/]/%63[^/]%n", driver, attr, &n) == 2 &&
	    rel[n] == '\0' && vmfex_sim_desc_driver(sim->desc, driver)) {
		if (strcmp(attr, "unbind") == 0)
			return empty ? 0 : store_unbind(sim, driver, value);
		if (strcmp(attr, "bind") == 0)
			return empty ? 0 : store_bind(sim, vmfex_sim_desc_driver(sim->desc, driver),
			                               value);
		return -EACCES;
	}
	if (sscanf(rel, "bus/pci/devices/%12[^/]/%63[^/]%n", pci, attr, &n) == 2 &&
	    rel[n] == '\0' && vmfex_pci_addr_parse(pci, &a) == 0 && sim_exists(sim, rel)) {
		if (strcmp(attr, "driver_override") == 0)
			return empty ? 0 : store_override(sim, pci, value);
		dev = vmfex_sim_desc_device(sim->desc, &a);
		if (dev && dev->has_sriov && strcmp(attr, "sriov_numvfs") == 0)
			return empty ? 0 : store_numvfs(sim, dev, value);
		if (dev && dev->has_sriov && strcmp(attr, "sriov_drivers_autoprobe") == 0)
			return empty ? 0 : store_autoprobe(sim, dev, value);
		return -EACCES;
	}
	return sim_exists(sim, rel) ? -EACCES : -ENOENT;
}
