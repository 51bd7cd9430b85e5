/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One SR-IOV scenario, run against Linux's PCI core (in a QEMU guest with
 * an NVMe controller that has SR-IOV) and against the simulated host that
 * mirrors it; the two transcripts it prints are compared line by line.
 *
 *   sriov-scenario                  the running kernel's /sys
 *   sriov-scenario --sim DESC.json  a simulated host made from DESC.json
 *
 * Everything is done with the library's public API, except a few raw
 * writes (junk counts, a direct EBUSY, unbinding and rebinding the PF)
 * that the API cannot express; they go through the library's one sysfs
 * write path, so that the simulated host receives them as the kernel
 * would. Each line states what was done and what came back; the library's
 * log messages are part of the transcript. The scenario does not judge:
 * expected.txt does.
 */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <libvmfex/libvmfex.h>

/* The library's own sysfs write (routed to the simulated host there). */
#include "libvmfex-private.h"

static struct vmfex_ctx *ctx;
static char pf_pci[32];
static int fatal_errors;

static const char *errname(int r)
{
	const char *n;

	if (r >= 0)
		return "ok";
	n = strerrorname_np(-r);
	return n ? n : "E?";
}

static void log_line(void *data, int priority, const char *file, int line, const char *fn,
                     const char *format, va_list args) __attribute__((format(printf, 6, 0)));
static void log_line(void *data, int priority, const char *file, int line, const char *fn,
                     const char *format, va_list args)
{
	static const char *const names[] = { "emerg", "alert", "crit", "err",
	                                     "warning", "notice", "info", "debug" };

	printf("    log %s: ", names[priority & 7]);
	vprintf(format, args);
	putchar('\n');
}

/* An attribute below the sysfs root, without its newline; "-" if absent. */
static const char *attr(const char *rel, char *buf, size_t size)
{
	char path[PATH_MAX];
	FILE *in;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", vmfex_get_sysfs_root(ctx), rel);
	in = fopen(path, "r");
	if (!in)
		return "-";
	n = fread(buf, 1, size - 1, in);
	fclose(in);
	buf[n] = '\0';
	while (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return buf;
}

/* The last component of a link below the sysfs root; "-" if absent. */
static const char *link_name(const char *rel, char *buf, size_t size)
{
	char path[PATH_MAX];
	ssize_t n;
	char *slash;

	snprintf(path, sizeof(path), "%s/%s", vmfex_get_sysfs_root(ctx), rel);
	n = readlink(path, buf, size - 1);
	if (n < 0)
		return "-";
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	return slash ? slash + 1 : buf;
}

static const char *dev_attr(const char *pci, const char *name, char *buf, size_t size)
{
	char rel[512];

	snprintf(rel, sizeof(rel), "bus/pci/devices/%s/%s", pci, name);
	return attr(rel, buf, size);
}

static const char *dev_link(const char *pci, const char *name, char *buf, size_t size)
{
	char rel[512];

	snprintf(rel, sizeof(rel), "bus/pci/devices/%s/%s", pci, name);
	return link_name(rel, buf, size);
}

/* A value as C would write it: newlines escaped, in quotes. */
static const char *quoted(const char *value, char *buf, size_t size)
{
	size_t n = 0;

	buf[n++] = '\'';
	for (; *value && n + 4 < size; value++) {
		if (*value == '\n') {
			buf[n++] = '\\';
			buf[n++] = 'n';
		} else {
			buf[n++] = *value;
		}
	}
	buf[n++] = '\'';
	buf[n] = '\0';
	return buf;
}

/* A raw write, as an administrator's echo would make it. */
static int raw_write(const char *rel, const char *value)
{
	char path[PATH_MAX], q[128];
	int r;

	snprintf(path, sizeof(path), "%s/%s", vmfex_get_sysfs_root(ctx), rel);
	r = vmfex_sysfs_write(ctx, path, value);
	printf("raw write %s to %s: %s\n", quoted(value, q, sizeof(q)), rel, errname(r));
	return r;
}

static int raw_pf_write(const char *name, const char *value)
{
	char rel[512];

	snprintf(rel, sizeof(rel), "bus/pci/devices/%s/%s", pf_pci, name);
	return raw_write(rel, value);
}

static const char *str(const char *s)
{
	return s ? s : "none";
}

static void show_pf(struct vmfex_pf *pf)
{
	char a[64], b[64], c[64], d[64], e[64], f[64];

	printf("pf %s id %04x:%04x driver %s ifname %s total_vfs %u num_vfs %u\n",
	       vmfex_pf_get_pci(pf), vmfex_pf_get_vendor_id(pf), vmfex_pf_get_device_id(pf),
	       str(vmfex_pf_get_driver(pf)), str(vmfex_pf_get_ifname(pf)),
	       vmfex_pf_get_total_vfs(pf), vmfex_pf_get_num_vfs(pf));
	printf("  sysfs class %s sriov_totalvfs %s sriov_numvfs %s sriov_offset %s "
	       "sriov_stride %s sriov_vf_device %s\n",
	       dev_attr(pf_pci, "class", a, sizeof(a)),
	       dev_attr(pf_pci, "sriov_totalvfs", b, sizeof(b)),
	       dev_attr(pf_pci, "sriov_numvfs", c, sizeof(c)),
	       dev_attr(pf_pci, "sriov_offset", d, sizeof(d)),
	       dev_attr(pf_pci, "sriov_stride", e, sizeof(e)),
	       dev_attr(pf_pci, "sriov_vf_device", f, sizeof(f)));
	printf("  sysfs driver %s sriov_drivers_autoprobe %s\n",
	       dev_link(pf_pci, "driver", a, sizeof(a)),
	       dev_attr(pf_pci, "sriov_drivers_autoprobe", b, sizeof(b)));
}

static void show_vf(struct vmfex_vf *vf)
{
	const char *pci = vmfex_vf_get_pci(vf);
	char virtfn[64], link[64], physfn[64], vendor[64], device[64], driver[64], override[64];
	char group[64];

	printf("  vf %u %s pf %s device %04x driver %s ifname %s\n", vmfex_vf_get_index(vf), pci,
	       vmfex_pf_get_pci(vmfex_vf_get_pf(vf)), vmfex_vf_get_device_id(vf),
	       str(vmfex_vf_get_driver(vf)), str(vmfex_vf_get_ifname(vf)));
	snprintf(virtfn, sizeof(virtfn), "virtfn%u", vmfex_vf_get_index(vf));
	printf("    sysfs %s %s physfn %s vendor %s device %s driver %s "
	       "driver_override %s iommu_group %s\n",
	       virtfn, dev_link(pf_pci, virtfn, link, sizeof(link)),
	       dev_link(pci, "physfn", physfn, sizeof(physfn)),
	       dev_attr(pci, "vendor", vendor, sizeof(vendor)),
	       dev_attr(pci, "device", device, sizeof(device)),
	       dev_link(pci, "driver", driver, sizeof(driver)),
	       dev_attr(pci, "driver_override", override, sizeof(override)),
	       strcmp(dev_link(pci, "iommu_group", group, sizeof(group)), "-") ? "yes" : "no");
}

/* The PF and its VFs as a new handle sees them, and each VF found again
 * by its own address. */
static void show_all(void)
{
	struct vmfex_pf *pf;
	struct vmfex_vf *vf, *found;
	int r;

	r = vmfex_pf_new_from_pci(ctx, pf_pci, &pf);
	if (r < 0) {
		printf("pf %s: %s\n", pf_pci, errname(r));
		fatal_errors++;
		return;
	}
	show_pf(pf);
	vmfex_pf_foreach_vf(pf, vf) {
		show_vf(vf);
		r = vmfex_vf_new_from_pci(ctx, vmfex_vf_get_pci(vf), &found);
		if (r < 0) {
			printf("    lookup %s: %s\n", vmfex_vf_get_pci(vf), errname(r));
			continue;
		}
		printf("    lookup %s: index %u pf %s\n", vmfex_vf_get_pci(vf),
		       vmfex_vf_get_index(found), vmfex_pf_get_pci(vmfex_vf_get_pf(found)));
		vmfex_vf_unref(found);
	}
	vmfex_pf_unref(pf);
}

static int set_num_vfs(unsigned int num, enum vmfex_autoprobe autoprobe)
{
	static const char *const ap[] = { "keep", "on", "off" };
	struct vmfex_set_num_vfs_opts opts = { .sz = sizeof(opts), .autoprobe = autoprobe };
	struct vmfex_pf *pf;
	int r;

	printf("set_num_vfs %u autoprobe %s\n", num, ap[autoprobe]);
	r = vmfex_pf_new_from_pci(ctx, pf_pci, &pf);
	if (r == 0) {
		r = vmfex_pf_set_num_vfs(pf, num, &opts);
		printf("  -> %s, num_vfs %u\n", errname(r), vmfex_pf_get_num_vfs(pf));
		vmfex_pf_unref(pf);
	} else {
		printf("  -> pf: %s\n", errname(r));
	}
	return r;
}

static int bind_vf(unsigned int index, const char *driver)
{
	struct vmfex_pf *pf;
	struct vmfex_vf *vf;
	char a[64], b[64];
	int r;

	printf("bind vf %u to %s\n", index, driver ? driver : "its default driver");
	r = vmfex_pf_new_from_pci(ctx, pf_pci, &pf);
	if (r < 0) {
		printf("  -> pf: %s\n", errname(r));
		return r;
	}
	r = vmfex_pf_lookup_vf(pf, index, &vf);
	vmfex_pf_unref(pf);
	if (r < 0) {
		printf("  -> vf: %s\n", errname(r));
		return r;
	}
	r = vmfex_vf_bind_driver(vf, driver);
	printf("  -> %s, driver %s, sysfs driver %s driver_override %s\n", errname(r),
	       str(vmfex_vf_get_driver(vf)), dev_link(vmfex_vf_get_pci(vf), "driver", a, sizeof(a)),
	       dev_attr(vmfex_vf_get_pci(vf), "driver_override", b, sizeof(b)));
	vmfex_vf_unref(vf);
	return r;
}

/* The address of VF index of the PF, "-" if there is none. */
static const char *vf_pci(unsigned int index, char *buf, size_t size)
{
	char name[32], link[64];

	snprintf(name, sizeof(name), "virtfn%u", index);
	snprintf(buf, size, "%s", dev_link(pf_pci, name, link, sizeof(link)));
	return buf;
}

static void scenario(void)
{
	struct vmfex_pf *pf;
	char rel[512], buf[64], vf[32];
	unsigned int total = 0;
	int n = 0;

	/* 1. Inventory: the one SR-IOV PF, and its total VFs. */
	printf("== inventory\n");
	vmfex_pf_foreach(ctx, pf) {
		printf("found pf %s total_vfs %u\n", vmfex_pf_get_pci(pf), vmfex_pf_get_total_vfs(pf));
		if (!n++) {
			snprintf(pf_pci, sizeof(pf_pci), "%s", vmfex_pf_get_pci(pf));
			total = vmfex_pf_get_total_vfs(pf);
		}
	}
	printf("pfs: %d\n", n);
	if (!n) {
		fatal_errors++;
		return;
	}
	show_all();

	/* 2. Enable VFs with host drivers kept off them. */
	printf("== enable\n");
	set_num_vfs(2, VMFEX_AUTOPROBE_OFF);
	show_all();

	/* 3. The kernel's rules for the count, and the library's. */
	printf("== count rules\n");
	raw_pf_write("sriov_numvfs", "3");
	set_num_vfs(3, VMFEX_AUTOPROBE_OFF);
	set_num_vfs(3, VMFEX_AUTOPROBE_OFF);
	set_num_vfs(total + 1, VMFEX_AUTOPROBE_KEEP);
	snprintf(buf, sizeof(buf), "%u", total + 1);
	raw_pf_write("sriov_numvfs", buf);
	raw_pf_write("sriov_numvfs", "65535");
	raw_pf_write("sriov_numvfs", "abc");
	raw_pf_write("sriov_numvfs", "65536");
	raw_pf_write("sriov_numvfs", "-1");
	raw_pf_write("sriov_numvfs", " 3");
	raw_pf_write("sriov_numvfs", "3\n\n");
	raw_pf_write("sriov_numvfs", "3 ");
	raw_pf_write("sriov_numvfs", "08");
	/* Same count, written other ways: accepted, nothing done. */
	raw_pf_write("sriov_numvfs", "0x3");
	raw_pf_write("sriov_numvfs", "03");
	raw_pf_write("sriov_numvfs", "3\n");
	raw_pf_write("sriov_numvfs", "+3");
	raw_pf_write("sriov_numvfs", "");
	raw_pf_write("sriov_totalvfs", "1");
	raw_pf_write("sriov_drivers_autoprobe", "x");
	raw_pf_write("sriov_drivers_autoprobe", "");
	show_all();
	set_num_vfs(total, VMFEX_AUTOPROBE_OFF);
	show_all();

	/* 4. A VF to vfio-pci and back; a bind that silently does not happen. */
	printf("== binding\n");
	bind_vf(0, "vfio-pci");
	bind_vf(0, "vfio-pci");
	bind_vf(0, NULL);
	bind_vf(1, "pci-stub");
	/* A driver's bind attribute reports what drivers_probe does not. */
	vf_pci(1, vf, sizeof(vf));
	raw_write("bus/pci/drivers/vfio-pci/bind", vf);
	raw_write("bus/pci/drivers/nvme/bind", vf);
	snprintf(rel, sizeof(rel), "bus/pci/devices/%s/driver_override", vf);
	raw_write(rel, "vfio-pci");
	raw_write("bus/pci/drivers/nvme/bind", vf);
	raw_write("bus/pci/drivers/vfio-pci/bind", vf);
	raw_write("bus/pci/drivers/vfio-pci/bind", vf);
	/* An empty write leaves the override as it is; "\n" clears it. */
	raw_write(rel, "");
	printf("  driver_override %s\n", dev_attr(vf, "driver_override", buf, sizeof(buf)));
	bind_vf(1, NULL);
	/* Autoprobe back on probes no existing VF. */
	raw_pf_write("sriov_drivers_autoprobe", "1");
	show_all();
	raw_pf_write("sriov_drivers_autoprobe", "0");
	bind_vf(1, "vfio-pci");
	show_all();

	/* 5. Disabling with a VF on vfio-pci; the PF without its driver. */
	printf("== disable\n");
	set_num_vfs(0, VMFEX_AUTOPROBE_KEEP);
	show_all();
	printf("== pf unbound\n");
	snprintf(rel, sizeof(rel), "bus/pci/drivers/%s/unbind",
	         dev_link(pf_pci, "driver", buf, sizeof(buf)));
	raw_write(rel, pf_pci);
	show_all();
	set_num_vfs(2, VMFEX_AUTOPROBE_OFF);
	raw_pf_write("sriov_numvfs", "2");
	raw_pf_write("sriov_numvfs", "0");
	raw_write("bus/pci/drivers/nvme/bind", pf_pci);
	raw_write("bus/pci/drivers/nvme/bind", pf_pci);
	raw_write("bus/pci/drivers_probe", pf_pci);
	show_all();
	set_num_vfs(1, VMFEX_AUTOPROBE_OFF);
	set_num_vfs(0, VMFEX_AUTOPROBE_KEEP);
	raw_pf_write("sriov_drivers_autoprobe", "1");
	show_all();
}

static int rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	return remove(path) < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct vmfex_new_opts opts = { .sz = sizeof(opts), .ignore_env = 1 };
	char dir[PATH_MAX] = "";
	int r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && strcmp(argv[1], "--sim") == 0) {
		const char *tmp = getenv("TMPDIR");

		snprintf(dir, sizeof(dir), "%s/vmfex-scenario-XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(dir)) {
			perror("mkdtemp");
			return 2;
		}
		r = vmfex_new_with_opts(&opts, &ctx);
		if (r == 0)
			r = vmfex_sim_create(ctx, dir, argv[2]);
		vmfex_unref(ctx);
		if (r < 0) {
			fprintf(stderr, "cannot create a simulated host from %s: %s\n", argv[2],
			        strerror(-r));
			goto out;
		}
		opts.sim_dir = dir;
	} else if (argc != 1) {
		fprintf(stderr, "usage: %s [--sim HOST.json]\n", argv[0]);
		return 2;
	}
	r = vmfex_new_with_opts(&opts, &ctx);
	if (r < 0) {
		fprintf(stderr, "cannot open the host: %s\n", strerror(-r));
		goto out;
	}
	vmfex_set_log_fn(ctx, log_line, NULL);
	vmfex_set_log_priority(ctx, LOG_INFO);
	printf("== libvmfex SR-IOV scenario\n");
	scenario();
	printf("== end (%d fatal errors)\n", fatal_errors);
	vmfex_set_log_fn(ctx, NULL, NULL);
	vmfex_unref(ctx);
	r = fatal_errors ? -EIO : 0;
out:
	if (dir[0])
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return r < 0 ? 1 : 0;
}
