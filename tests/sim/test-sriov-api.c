/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The public API on simulated hosts: inventory, look-ups, the VF count
 * and driver binding, with the kernel's rules behind them. */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "sim-fixture.h"

static void context_basics(void **state)
{
	struct vmfex_new_opts opts = { .sz = sizeof(opts), .ignore_env = 1,
	                               .sysfs_root = "/nonexistent/" };
	struct vmfex_new_opts bad = { .sz = sizeof(opts), .ignore_env = 1, .sysfs_root = "rel" };
	struct vmfex_ctx *ctx;
	int cookie;

	assert_int_equal(vmfex_new_with_opts(&opts, &ctx), 0);
	assert_string_equal(vmfex_get_sysfs_root(ctx), "/nonexistent");
	assert_null(vmfex_get_sim_dir(ctx));
	assert_int_equal(vmfex_get_log_priority(ctx), LOG_ERR);
	vmfex_set_log_priority(ctx, 42);
	assert_int_equal(vmfex_get_log_priority(ctx), LOG_DEBUG);
	vmfex_set_log_priority(ctx, LOG_INFO);
	assert_int_equal(vmfex_get_log_priority(ctx), LOG_INFO);
	assert_null(vmfex_get_userdata(ctx));
	vmfex_set_userdata(ctx, &cookie);
	assert_ptr_equal(vmfex_get_userdata(ctx), &cookie);
	assert_ptr_equal(vmfex_ref(ctx), ctx);
	assert_null(vmfex_unref(ctx));
	/* No PFs below a missing root: the walk ends at once. */
	vmfex_set_log_fn(ctx, NULL, NULL);
	assert_null(vmfex_pf_next(ctx, NULL));
	assert_null(vmfex_unref(ctx));
	assert_null(vmfex_unref(NULL));
	assert_int_equal(vmfex_new_with_opts(&bad, &ctx), -EINVAL);
	assert_int_equal(vmfex_new_with_opts(NULL, NULL), -EINVAL);
	assert_string_equal(vmfex_version(), PACKAGE_VERSION);
	/* Options from a newer caller: unknown non-zero bytes are refused. */
	{
		struct { struct vmfex_new_opts o; int extra; } big = { { .sz = sizeof(big) }, 1 };

		assert_int_equal(vmfex_new_with_opts(&big.o, &ctx), -EINVAL);
		big.extra = 0;
		big.o.ignore_env = 1;
		assert_int_equal(vmfex_new_with_opts(&big.o, &ctx), 0);
		vmfex_unref(ctx);
	}
}

static void env_opens_sim(void **state)
{
	struct sim_fixture f;
	struct vmfex_ctx *ctx;
	struct vmfex_pf *pf;
	unsigned int n = 0;

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	setenv("VMFEX_SIM", f.dir, 1);
	setenv("VMFEX_LOG", "debug", 1);
	assert_int_equal(vmfex_new(&ctx), 0);
	unsetenv("VMFEX_SIM");
	unsetenv("VMFEX_LOG");
	assert_string_equal(vmfex_get_sim_dir(ctx), f.dir);
	assert_int_equal(vmfex_get_log_priority(ctx), LOG_DEBUG);
	vmfex_set_log_fn(ctx, NULL, NULL);
	vmfex_pf_foreach(ctx, pf)
		n++;
	assert_int_equal(n, 2);
	vmfex_unref(ctx);
	setenv("VMFEX_SIM", "/nonexistent-sim", 1);
	assert_int_equal(vmfex_new(&ctx), -ENOENT);
	unsetenv("VMFEX_SIM");
	sim_fixture_close(&f);
}

struct caught {
	int n;
	char last[512];
};

static void catch_log(void *data, int priority, const char *file, int line, const char *fn,
                      const char *format, va_list args) __attribute__((format(printf, 6, 0)));
static void catch_log(void *data, int priority, const char *file, int line, const char *fn,
                      const char *format, va_list args)
{
	struct caught *c = data;

	c->n++;
	vsnprintf(c->last, sizeof(c->last), format, args);
}

/* The options' log function hears what goes wrong while the context is
 * made, before a caller could call vmfex_set_log_fn(). */
static void log_fn_from_the_start(void **state)
{
	struct caught c = { 0 };
	struct vmfex_new_opts opts = { .sz = sizeof(opts), .ignore_env = 1,
	                               .sim_dir = "/nonexistent-sim",
	                               .log_fn = catch_log, .log_data = &c };
	struct sim_fixture f;
	struct vmfex_ctx *ctx;

	assert_int_equal(vmfex_new_with_opts(&opts, &ctx), -ENOENT);
	assert_null(ctx);
	assert_int_equal(c.n, 1);
	assert_non_null(strstr(c.last, "/nonexistent-sim"));
	/* A bad VMFEX_LOG is said there too; the context then keeps the
	 * function for its life. */
	c.n = 0;
	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	opts.ignore_env = 0;
	opts.sim_dir = f.dir;
	setenv("VMFEX_LOG", "loud", 1);
	assert_int_equal(vmfex_new_with_opts(&opts, &ctx), 0);
	unsetenv("VMFEX_LOG");
	assert_int_equal(c.n, 1);
	assert_non_null(strstr(c.last, "VMFEX_LOG=loud"));
	{
		struct vmfex_pf *pf;

		assert_true(vmfex_pf_new_from_name(ctx, "nosuchpf0", &pf) < 0);
		assert_true(c.n >= 2);
		assert_non_null(strstr(c.last, "nosuchpf0"));
	}
	vmfex_unref(ctx);
	sim_fixture_close(&f);
}

/* Relink path (under the fixture's sysfs) to target. */
static void relink(const struct sim_fixture *f, const char *path, const char *target)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/sysfs/%s", f->dir, path);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(symlink(target, p), 0);
}

/* "ifname driver" of each VF of the PF, in index order. */
static void vf_list(struct vmfex_ctx *ctx, char *buf, size_t size)
{
	struct vmfex_pf *pf;
	struct vmfex_vf *vf;
	size_t n = 0;

	buf[0] = '\0';
	assert_int_equal(vmfex_pf_new_from_name(ctx, "enp10s0f0", &pf), 0);
	vmfex_pf_foreach_vf(pf, vf)
		n += (size_t)snprintf(buf + n, size - n, "%u %s %s %s\n", vmfex_vf_get_index(vf),
		                      vmfex_vf_get_pci(vf), vmfex_vf_get_ifname(vf),
		                      vmfex_vf_get_driver(vf));
	assert_true(n < size);
	vmfex_pf_unref(pf);
}

/* A walk looks a VF up beside its PF, where the kernel puts it; a VF whose
 * virtfn link leads elsewhere (a tree made by hand) is read from
 * bus/pci/devices as before, with the same values. */
static void vf_not_beside_pf(void **state)
{
	static const char vf_dir[] = "devices/pci0000:0a/0000:0a:00.3";
	struct sim_fixture f;
	char before[4096], after[4096], from[512], to[512];

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	vf_list(f.ctx, before, sizeof(before));
	assert_non_null(strstr(before, "2 0000:0a:00.3 enp10s0f0v2 enic\n"));
	snprintf(from, sizeof(from), "%s/sysfs/%s", f.dir, vf_dir);
	snprintf(to, sizeof(to), "%s/sysfs/devices/pci0000:0a/bridge", f.dir);
	assert_int_equal(mkdir(to, 0755), 0);
	snprintf(to, sizeof(to), "%s/sysfs/devices/pci0000:0a/bridge/0000:0a:00.3", f.dir);
	assert_int_equal(rename(from, to), 0);
	relink(&f, "bus/pci/devices/0000:0a:00.3", "../../../devices/pci0000:0a/bridge/0000:0a:00.3");
	relink(&f, "devices/pci0000:0a/0000:0a:00.0/virtfn2", "../bridge/0000:0a:00.3");
	relink(&f, "devices/pci0000:0a/bridge/0000:0a:00.3/physfn", "../../0000:0a:00.0");
	relink(&f, "devices/pci0000:0a/bridge/0000:0a:00.3/driver", "../../../../bus/pci/drivers/enic");
	vf_list(f.ctx, after, sizeof(after));
	assert_string_equal(after, before);
	/* A virtfn link to a function that is not there: that VF is skipped,
	 * the others are read. */
	relink(&f, "devices/pci0000:0a/0000:0a:00.0/virtfn2", "../0000:0a:1f.7");
	vf_list(f.ctx, after, sizeof(after));
	assert_null(strstr(after, "0000:0a:00.3"));
	assert_non_null(strstr(after, "3 0000:0a:00.4 enp10s0f0v3 enic\n"));
	sim_fixture_close(&f);
}

/* What the tree says of a function, read here without the library: its
 * driver link's last component and the smallest entry of its net/. */
static void tree_says(const struct sim_fixture *f, const char *pci, char *out, size_t size)
{
	char path[512], target[512] = "", net[256] = "";
	const char *drv = "";
	struct dirent *de;
	ssize_t n;
	DIR *d;

	snprintf(path, sizeof(path), "%s/sysfs/bus/pci/devices/%s/driver", f->dir, pci);
	n = readlink(path, target, sizeof(target) - 1);
	if (n > 0) {
		target[n] = '\0';
		drv = strrchr(target, '/') + 1;
	}
	snprintf(path, sizeof(path), "%s/sysfs/bus/pci/devices/%s/net", f->dir, pci);
	d = opendir(path);
	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.' && (!net[0] || strcmp(de->d_name, net) < 0))
			snprintf(net, sizeof(net), "%s", de->d_name);
	if (d)
		closedir(d);
	snprintf(out, size, "%s %s %s\n", pci, net, drv);
}

/* Every VF of the host as a walk of the host reads it, and as the tree says. */
static void host_vfs(const struct sim_fixture *f, struct vmfex_ctx *ctx, char *walk, char *tree,
                     size_t size)
{
	struct vmfex_pf *pf;
	struct vmfex_vf *vf;
	size_t w = 0, t = 0;

	vmfex_pf_foreach(ctx, pf)
		vmfex_pf_foreach_vf(pf, vf) {
			const char *ifname = vmfex_vf_get_ifname(vf), *driver = vmfex_vf_get_driver(vf);

			w += (size_t)snprintf(walk + w, size - w, "%s %s %s\n", vmfex_vf_get_pci(vf),
			                      ifname ? ifname : "", driver ? driver : "");
			tree_says(f, vmfex_vf_get_pci(vf), tree + t, size - t);
			t += strlen(tree + t);
			assert_true(w < size && t < size);
		}
}

/* A walk of the host reads the functions bound to the driver most VFs
 * have, and every netdev's function, once, instead of each VF's links:
 * what it finds is what the tree says of each VF, with VFs on other
 * drivers, without driver, with two netdevs, and on a host with too many
 * netdevs for that to pay, where each VF is read alone. */
static void walk_reads_lists_once(void **state)
{
	static const char *const vfio[] = { "0000:0a:00.7", "0000:0a:01.0", "0000:0a:01.1" };
	struct sim_fixture f;
	char walk[8192], tree[8192], path[512], to[512];
	struct vmfex_vf *vf;

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(vmfex_vf_new_from_pci(f.ctx, vfio[i], &vf), 0);
		assert_int_equal(vmfex_vf_bind_driver(vf, "vfio-pci"), 0);
		vmfex_vf_unref(vf);
	}
	/* A VF that no driver has, as after an unbind. */
	{
		static const char *const gone[] = {
			"devices/pci0000:0a/0000:0a:01.3/driver",
			"bus/pci/drivers/enic/0000:0a:01.3",
			"class/net/enp10s0f0v10",
		};

		for (size_t i = 0; i < sizeof(gone) / sizeof(gone[0]); i++) {
			snprintf(path, sizeof(path), "%s/sysfs/%s", f.dir, gone[i]);
			assert_int_equal(remove(path), 0);
		}
		/* Its netdev gone with the driver: out of the tree's way. */
		snprintf(path, sizeof(path), "%s/sysfs/devices/pci0000:0a/0000:0a:01.3/net", f.dir);
		snprintf(to, sizeof(to), "%s/netdev-gone", f.dir);
		assert_int_equal(rename(path, to), 0);
	}
	/* A second netdev of one VF, sorting first. */
	snprintf(path, sizeof(path), "%s/sysfs/devices/pci0000:0a/0000:0a:01.5/net/aaa0", f.dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/sysfs/class/net/aaa0", f.dir);
	assert_int_equal(symlink("../../devices/pci0000:0a/0000:0a:01.5/net/aaa0", path), 0);

	host_vfs(&f, f.ctx, walk, tree, sizeof(walk));
	assert_string_equal(walk, tree);
	assert_non_null(strstr(walk, "0000:0a:00.7  vfio-pci\n"));
	assert_non_null(strstr(walk, "0000:0a:01.3  \n"));
	assert_non_null(strstr(walk, "0000:0a:01.5 aaa0 enic\n"));
	assert_non_null(strstr(walk, "0000:0a:01.6 enp10s0f0v13 enic\n"));

	/* 200 virtual netdevs: more than twice the host's functions. */
	for (int i = 0; i < 200; i++) {
		snprintf(path, sizeof(path), "%s/sysfs/class/net/veth%d", f.dir, i);
		snprintf(to, sizeof(to), "../../devices/virtual/net/veth%d", i);
		assert_int_equal(symlink(to, path), 0);
	}
	host_vfs(&f, f.ctx, walk, tree, sizeof(walk));
	assert_string_equal(walk, tree);
	assert_non_null(strstr(walk, "0000:0a:01.5 aaa0 enic\n"));
	sim_fixture_close(&f);
}

static void inventory_vic(void **state)
{
	struct sim_fixture f;
	struct vmfex_pf *pf, *first = NULL;
	struct vmfex_vf *vf;
	unsigned int n = 0, i;

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	vmfex_pf_foreach(f.ctx, pf) {
		if (!first)
			first = vmfex_pf_ref(pf);
		n++;
		assert_true(vmfex_pf_is_vic(pf));
		assert_int_equal(vmfex_pf_get_vendor_id(pf), 0x1137);
		assert_int_equal(vmfex_pf_get_device_id(pf), 0x0043);
		assert_int_equal(vmfex_pf_get_subsystem_vendor_id(pf), 0x1137);
		assert_int_equal(vmfex_pf_get_subsystem_device_id(pf), 0x0084);
		assert_string_equal(vmfex_pf_get_driver(pf), "enic");
		assert_int_equal(vmfex_pf_get_total_vfs(pf), 16);
		assert_int_equal(vmfex_pf_get_num_vfs(pf), 16);
		assert_ptr_equal(vmfex_pf_get_ctx(pf), f.ctx);
		i = 0;
		vmfex_pf_foreach_vf(pf, vf) {
			assert_int_equal(vmfex_vf_get_index(vf), i);
			assert_int_equal(vmfex_vf_get_device_id(vf), 0x0071);
			assert_string_equal(vmfex_vf_get_driver(vf), "enic");
			assert_ptr_equal(vmfex_vf_get_pf(vf), pf);
			i++;
		}
		assert_int_equal(i, 16);
	}
	assert_int_equal(n, 2);
	/* Sorted by address; names from pci.ids. */
	assert_string_equal(vmfex_pf_get_pci(first), "0000:0a:00.0");
	assert_string_equal(vmfex_pf_get_ifname(first), "enp10s0f0");
	assert_string_equal(vmfex_pf_read_vendor_name(first), "Cisco Systems Inc");
	assert_string_equal(vmfex_pf_read_device_name(first), "VIC Ethernet NIC");
	assert_string_equal(vmfex_pf_read_model(first), "VIC 1240 MLOM Ethernet NIC");
	/* A new walk does not free a PF the caller holds: it reads the
	 * same object again, and a walk goes on from it. */
	assert_ptr_equal(vmfex_pf_next(f.ctx, NULL), first);
	assert_string_equal(vmfex_pf_get_pci(first), "0000:0a:00.0");
	assert_string_equal(vmfex_pf_get_pci(vmfex_pf_next(f.ctx, first)), "0000:0b:00.0");
	assert_int_equal(vmfex_pf_lookup_vf(first, 15, &vf), 0);
	assert_string_equal(vmfex_vf_get_pci(vf), "0000:0a:02.0");
	assert_string_equal(vmfex_vf_get_ifname(vf), "enp10s0f0v15");
	assert_ptr_equal(vmfex_vf_ref(vf), vf);
	vmfex_vf_unref(vf);
	/* Context, then PF, then VF: any order is safe. */
	vmfex_unref(f.ctx);
	f.ctx = NULL;
	vmfex_pf_unref(first);
	assert_int_equal(vmfex_pf_refresh(vmfex_vf_get_pf(vf)), 0);
	vmfex_vf_unref(vf);
	sim_fixture_close(&f);
}

static void lookups(void **state)
{
	struct sim_fixture f;
	struct vmfex_pf *pf;
	struct vmfex_vf *vf;

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	assert_int_equal(vmfex_pf_new_from_ifname(f.ctx, "enp11s0f0", &pf), 0);
	assert_string_equal(vmfex_pf_get_pci(pf), "0000:0b:00.0");
	vmfex_pf_unref(pf);
	assert_int_equal(vmfex_pf_new_from_pci(f.ctx, "0B:00.0", &pf), 0);
	assert_string_equal(vmfex_pf_get_ifname(pf), "enp11s0f0");
	assert_int_equal(vmfex_pf_lookup_vf(pf, 16, &vf), -ENOENT);
	assert_non_null(strstr(f.log, "no VF 16"));
	vmfex_pf_unref(pf);
	assert_int_equal(vmfex_pf_new_from_name(f.ctx, "0000:0a:00.0", &pf), 0);
	vmfex_pf_unref(pf);
	assert_int_equal(vmfex_pf_new_from_name(f.ctx, "enp10s0f0", &pf), 0);
	vmfex_pf_unref(pf);
	/* A dynamic vNIC and a VF are no PFs. */
	assert_int_equal(vmfex_pf_new_from_ifname(f.ctx, "enp12s0", &pf), -ENOTSUP);
	assert_int_equal(vmfex_pf_new_from_pci(f.ctx, "0000:0a:00.1", &pf), -ENOTSUP);
	assert_int_equal(vmfex_pf_new_from_pci(f.ctx, "0000:0d:00.0", &pf), -ENODEV);
	assert_int_equal(vmfex_vf_new_from_ifname(f.ctx, "enp10s0f0v3", &vf), 0);
	assert_string_equal(vmfex_vf_get_pci(vf), "0000:0a:00.4");
	assert_int_equal(vmfex_vf_get_index(vf), 3);
	assert_string_equal(vmfex_pf_get_pci(vmfex_vf_get_pf(vf)), "0000:0a:00.0");
	vmfex_vf_unref(vf);
	assert_int_equal(vmfex_vf_new_from_pci(f.ctx, "0000:0b:00.1", &vf), 0);
	assert_int_equal(vmfex_vf_get_index(vf), 0);
	assert_int_equal(vmfex_vf_refresh(vf), 0);
	vmfex_vf_unref(vf);
	assert_int_equal(vmfex_vf_new_from_pci(f.ctx, "0000:0a:00.0", &vf), -ENOTSUP);
	assert_int_equal(vmfex_vf_new_from_ifname(f.ctx, "enp12s0", &vf), -ENOTSUP);
	assert_int_equal(vmfex_vf_new_from_ifname(f.ctx, "nosuch0", &vf), -ENODEV);
	sim_fixture_close(&f);
}

static void wrapping_vfs(void **state)
{
	struct sim_fixture f;
	struct vmfex_pf *pf;
	struct vmfex_vf *vf;
	unsigned int vfs = 0;

	assert_int_equal(sim_fixture_open(&f, "large-4x256.json"), 0);
	vmfex_pf_foreach(f.ctx, pf)
		vmfex_pf_foreach_vf(pf, vf)
			vfs++;
	assert_int_equal(vfs, 1024);
	assert_int_equal(vmfex_pf_new_from_pci(f.ctx, "0000:10:00.0", &pf), 0);
	assert_int_equal(vmfex_pf_lookup_vf(pf, 254, &vf), 0);
	assert_string_equal(vmfex_vf_get_pci(vf), "0000:10:1f.7");
	vmfex_vf_unref(vf);
	assert_int_equal(vmfex_pf_lookup_vf(pf, 255, &vf), 0);
	assert_string_equal(vmfex_vf_get_pci(vf), "0000:11:00.0");
	vmfex_vf_unref(vf);
	vmfex_pf_unref(pf);
	sim_fixture_close(&f);
}

static void set_num_vfs(void **state)
{
	struct sim_fixture f;
	struct vmfex_pf *pf;
	struct vmfex_vf *vf, *held;
	struct vmfex_set_num_vfs_opts opts = { .sz = sizeof(opts),
	                                       .autoprobe = VMFEX_AUTOPROBE_OFF };
	struct vmfex_set_num_vfs_opts tiny = { .sz = 1 };
	char buf[64];

	assert_int_equal(sim_fixture_open(&f, "mixed-82599-virtio.json"), 0);
	assert_int_equal(vmfex_pf_new_from_ifname(f.ctx, "enp3s0f0", &pf), 0);
	assert_int_equal(vmfex_pf_get_num_vfs(pf), 0);
	assert_null(vmfex_pf_next_vf(pf, NULL));
	assert_int_equal(vmfex_pf_set_num_vfs(pf, 4, NULL), 0);
	assert_int_equal(vmfex_pf_get_num_vfs(pf), 4);
	assert_int_equal(vmfex_pf_lookup_vf(pf, 1, &held), 0);
	assert_string_equal(vmfex_vf_get_pci(held), "0000:04:10.2");
	assert_string_equal(vmfex_vf_get_driver(held), "ixgbevf");
	/* 4 -> 8 goes through 0 (the kernel says EBUSY otherwise). */
	assert_int_equal(vmfex_pf_set_num_vfs(pf, 8, NULL), 0);
	assert_non_null(strstr(f.log, "disabling 4 VFs before enabling 8"));
	assert_int_equal(vmfex_pf_get_num_vfs(pf), 8);
	vf = NULL;
	vmfex_pf_foreach_vf(pf, vf)
		if (vmfex_vf_get_index(vf) == 7)
			break;
	assert_non_null(vf);
	/* rid 0x480 + 2 * 7 = 0x48e: device 0x11, function 6. */
	assert_string_equal(vmfex_vf_get_pci(vf), "0000:04:11.6");
	/* A handle from before the change stays valid memory. */
	assert_string_equal(vmfex_vf_get_pci(held), "0000:04:10.2");
	vmfex_vf_unref(held);
	/* Same count: nothing written. */
	assert_int_equal(vmfex_pf_set_num_vfs(pf, 8, NULL), 0);
	assert_int_equal(vmfex_pf_set_num_vfs(pf, 64, NULL), -ERANGE);
	assert_non_null(strstr(f.log, "64 VFs requested, the device supports 63"));
	assert_int_equal(vmfex_pf_get_num_vfs(pf), 8);
	assert_int_equal(vmfex_pf_set_num_vfs(pf, 2, &tiny), -EINVAL);
	/* Autoprobe off: new VFs come up with no driver. */
	assert_int_equal(vmfex_pf_set_num_vfs(pf, 2, &opts), 0);
	assert_string_equal(sim_fixture_read(&f, "bus/pci/devices/0000:03:00.0/sriov_drivers_autoprobe",
	                                     buf, sizeof(buf)), "0");
	vmfex_pf_foreach_vf(pf, vf) {
		assert_null(vmfex_vf_get_driver(vf));
		assert_null(vmfex_vf_get_ifname(vf));
	}
	assert_int_equal(vmfex_pf_set_num_vfs(pf, 0, NULL), 0);
	assert_null(vmfex_pf_next_vf(pf, NULL));
	vmfex_pf_unref(pf);
	sim_fixture_close(&f);
}

static void enic_count_is_fixed(void **state)
{
	struct sim_fixture f;
	struct vmfex_pf *pf;

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	assert_int_equal(vmfex_pf_new_from_ifname(f.ctx, "enp10s0f0", &pf), 0);
	assert_int_equal(vmfex_pf_set_num_vfs(pf, 4, NULL), -ENOENT);
	assert_non_null(strstr(f.log, "enic enables all VFs at probe"));
	assert_int_equal(vmfex_pf_get_num_vfs(pf), 16);
	vmfex_pf_unref(pf);
	sim_fixture_close(&f);
}

static void bind_and_back(void **state)
{
	struct sim_fixture f;
	struct vmfex_vf *vf;
	char buf[64];

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	assert_int_equal(vmfex_vf_new_from_ifname(f.ctx, "enp10s0f0v2", &vf), 0);
	assert_int_equal(vmfex_vf_bind_driver(vf, "vfio-pci"), 0);
	assert_string_equal(vmfex_vf_get_driver(vf), "vfio-pci");
	assert_null(vmfex_vf_get_ifname(vf));
	assert_string_equal(sim_fixture_read(&f, "bus/pci/devices/0000:0a:00.3/driver_override",
	                                     buf, sizeof(buf)), "vfio-pci");
	/* Already there: nothing to do. */
	assert_int_equal(vmfex_vf_bind_driver(vf, "vfio-pci"), 0);
	/* Back to the host driver: the override is cleared, the netdev returns. */
	assert_int_equal(vmfex_vf_bind_driver(vf, NULL), 0);
	assert_string_equal(vmfex_vf_get_driver(vf), "enic");
	assert_string_equal(vmfex_vf_get_ifname(vf), "enp10s0f0v2");
	assert_string_equal(sim_fixture_read(&f, "bus/pci/devices/0000:0a:00.3/driver_override",
	                                     buf, sizeof(buf)), "(null)");
	/* Malformed names never reach sysfs. */
	assert_int_equal(vmfex_vf_bind_driver(vf, "../vfio"), -EINVAL);
	assert_int_equal(vmfex_vf_bind_driver(vf, ""), -EINVAL);
	/* A driver that does not bind: -ENXIO, and the VF is given back. */
	assert_int_equal(vmfex_vf_bind_driver(vf, "nosuch"), -ENXIO);
	assert_non_null(strstr(f.log, "did not bind nosuch"));
	assert_string_equal(vmfex_vf_get_driver(vf), "enic");
	assert_string_equal(sim_fixture_read(&f, "bus/pci/devices/0000:0a:00.3/driver_override",
	                                     buf, sizeof(buf)), "(null)");
	vmfex_vf_unref(vf);
	sim_fixture_close(&f);
}

static void vfio_needs_iommu(void **state)
{
	static const char *host =
		"{ \"iommu\": false, \"drivers\": [ { \"name\": \"enic\" },"
		"  { \"name\": \"vfio-pci\", \"netdev\": false, \"needs_iommu\": true } ],"
		"  \"devices\": [ { \"pci\": \"0000:0a:00.0\", \"vendor\": \"0x1137\","
		"  \"device\": \"0x0043\", \"driver\": \"enic\", \"ifname\": \"enp10s0f0\","
		"  \"sriov\": { \"total_vfs\": 2, \"num_vfs\": 2, \"vf_device\": \"0x0071\","
		"  \"vf_driver\": \"enic\" } } ] }";
	struct sim_fixture f;
	struct vmfex_vf *vf;

	assert_int_equal(sim_fixture_open(&f, host), 0);
	assert_int_equal(vmfex_vf_new_from_pci(f.ctx, "0000:0a:00.1", &vf), 0);
	assert_int_equal(vmfex_vf_bind_driver(vf, "vfio-pci"), -ENXIO);
	assert_non_null(strstr(f.log, "IOMMU group"));
	assert_string_equal(vmfex_vf_get_driver(vf), "enic");
	assert_string_equal(vmfex_vf_get_ifname(vf), "enp10s0f0v0");
	vmfex_vf_unref(vf);
	sim_fixture_close(&f);
}

static void create_refuses_nonempty_dir(void **state)
{
	struct sim_fixture f;
	char desc[512];

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	assert_int_equal(vmfex_sim_create(f.ctx, f.dir,
	                                  sim_fixture_host("ucs-b200-vic1240.json", desc,
	                                                   sizeof(desc))), -EEXIST);
	assert_int_equal(vmfex_sim_create(f.ctx, "/tmp/vmfex-never", "/nonexistent.json"), -ENOENT);
	assert_int_equal(vmfex_sim_create(f.ctx, NULL, desc), -EINVAL);
	sim_fixture_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(context_basics),
		cmocka_unit_test(env_opens_sim),
		cmocka_unit_test(log_fn_from_the_start),
		cmocka_unit_test(vf_not_beside_pf),
		cmocka_unit_test(walk_reads_lists_once),
		cmocka_unit_test(inventory_vic),
		cmocka_unit_test(lookups),
		cmocka_unit_test(wrapping_vfs),
		cmocka_unit_test(set_num_vfs),
		cmocka_unit_test(enic_count_is_fixed),
		cmocka_unit_test(bind_and_back),
		cmocka_unit_test(vfio_needs_iommu),
		cmocka_unit_test(create_refuses_nonempty_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
