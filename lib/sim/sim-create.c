/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Building a simulated host's directory from its description: the tree
 * is made by the same primitives that later writes use, so a created host
 * and one changed by writes look alike. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/safe-file.h"
#include "sim-private.h"

static int dir_is_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int r = 1;

	if (!d)
		return errno == ENOENT ? 1 : -errno;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
			r = 0;
			break;
		}
	closedir(d);
	return r;
}

static int mkdir_in(const char *base, const char *sub)
{
	char path[PATH_MAX];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", base, sub) >= sizeof(path))
		return -ENAMETOOLONG;
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int copy_file(const char *from, const char *to)
{
	char buf[65536];
	ssize_t n;
	int in, out, r = 0;

	in = open(from, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (in < 0)
		return -errno;
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (out < 0) {
		r = -errno;
		close(in);
		return r;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			r = -EIO;
			break;
		}
	if (n < 0)
		r = -errno;
	close(in);
	if (close(out) < 0 && r == 0)
		r = -errno;
	return r;
}

static int build_tree(struct vmfex_sim *sim)
{
	const struct sim_desc *d = sim->desc;
	char parent[64];
	int r;

	static const char *const dirs[] = {
		"bus", "bus/pci", "bus/pci/devices", "bus/pci/drivers", "class", "class/net",
		"devices", "kernel", "kernel/iommu_groups", "class/dmi", "class/dmi/id",
	};
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		r = mkdir_in(sim->root, dirs[i]);
		if (r < 0)
			return r;
	}
	r = sim_write_file(sim, "bus/pci/drivers_probe", "");
	if (r < 0)
		return r;
	if (d->dmi_product_uuid[0]) {
		char line[40];

		snprintf(line, sizeof(line), "%s\n", d->dmi_product_uuid);
		r = sim_write_file(sim, "class/dmi/id/product_uuid", line);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < d->n_drivers; i++) {
		r = sim_add_driver(sim, &d->drivers[i]);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < d->n_devices; i++) {
		const struct sim_device *dev = &d->devices[i];

		snprintf(parent, sizeof(parent), "devices/pci%04x:%02x", dev->addr.domain,
		         dev->addr.bus);
		r = sim_add_device(sim, dev, parent, NULL);
		if (r == 0)
			r = sim_probe(sim, dev->pci);
		if (r == 0 && dev->has_sriov && dev->sriov.num_vfs)
			r = sim_enable_vfs(sim, dev, dev->sriov.num_vfs);
		if (r < 0)
			return r;
	}
	return 0;
}

_public_ int vmfex_sim_create(struct vmfex_ctx *ctx, const char *dir, const char *description)
{
	struct sim_desc *desc = NULL;
	struct vmfex_sim *sim = NULL;
	char path[PATH_MAX];
	int r;

	if (!dir || !*dir || !description) {
		ERR(ctx, "vmfex_sim_create: directory and description are required");
		return -EINVAL;
	}
	r = vmfex_sim_read_desc(ctx, description, &desc);
	if (r < 0)
		return r;
	vmfex_sim_desc_free(desc);

	r = dir_is_empty(dir);
	if (r <= 0) {
		r = r == 0 ? -EEXIST : r;
		ERR(ctx, "cannot create a simulated host in %s: %s", dir,
		    r == -EEXIST ? "directory not empty" : strerror(-r));
		return r;
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		r = -errno;
		ERR(ctx, "cannot create %s: %s", dir, strerror(-r));
		return r;
	}
	/* An existing empty directory must be one nobody else can write. */
	r = vmfex_safe_check_dir(ctx, dir);
	if (r < 0) {
		ERR(ctx, "cannot create a simulated host in %s: %s", dir, strerror(-r));
		return r;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/" SIM_DESC_FILE, dir) >= sizeof(path))
		return -ENAMETOOLONG;
	r = copy_file(description, path);
	if (r == 0)
		r = mkdir_in(dir, SIM_SYSFS_DIR);
	if (r == 0)
		r = mkdir_in(dir, SIM_STATE_DIR);
	if (r == 0)
		r = vmfex_sim_open(ctx, dir, &sim);
	if (r == 0)
		r = build_tree(sim);
	if (r < 0)
		ERR(ctx, "creating the simulated host in %s failed: %s", dir, strerror(-r));
	else
		INFO(ctx, "simulated host '%s' created in %s", sim->desc->description, sim->dir);
	vmfex_sim_close(sim);
	return r;
}
