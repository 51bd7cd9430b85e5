/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The simulated host answers raw sysfs writes as drivers/pci/iov.c,
 * pci-sysfs.c and the driver core do (DOMAIN.md section 4). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "sim-private.h"
#include "sim-fixture.h"

static const char *no_iommu_host =
	"{ \"description\": \"no IOMMU\", \"iommu\": false,"
	"  \"drivers\": [ { \"name\": \"ixgbe\", \"sriov_configure\": true },"
	"                 { \"name\": \"ixgbevf\" },"
	"                 { \"name\": \"vfio-pci\", \"netdev\": false, \"needs_iommu\": true } ],"
	"  \"devices\": [ { \"pci\": \"0000:03:00.0\", \"vendor\": \"0x8086\", \"device\": \"0x10fb\","
	"                   \"driver\": \"ixgbe\", \"ifname\": \"enp3s0f0\","
	"                   \"sriov\": { \"total_vfs\": 8, \"num_vfs\": 2, \"offset\": 384,"
	"                               \"stride\": 2, \"vf_device\": \"0x10ed\","
	"                               \"vf_driver\": \"ixgbevf\" } } ] }";

static int wr(struct sim_fixture *f, const char *rel, const char *value)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/sysfs/%s", f->dir, rel);
	return vmfex_sysfs_write(f->ctx, path, value);
}

#define PF82599 "bus/pci/devices/0000:03:00.0/"

static void numvfs_rules(void **state)
{
	struct sim_fixture f;
	char buf[64];

	assert_int_equal(sim_fixture_open(&f, "mixed-82599-virtio.json"), 0);
	assert_string_equal(sim_fixture_read(&f, PF82599 "sriov_numvfs", buf, sizeof(buf)), "0");
	/* kstrtou16 failures are EINVAL, 65536 included. */
	assert_int_equal(wr(&f, PF82599 "sriov_numvfs", "abc"), -EINVAL);
	assert_int_equal(wr(&f, PF82599 "sriov_numvfs", "65536"), -EINVAL);
	assert_int_equal(wr(&f, PF82599 "sriov_numvfs", "-1"), -EINVAL);
	assert_int_equal(wr(&f, PF82599 "sriov_numvfs", "64"), -ERANGE);
	assert_int_equal(wr(&f, PF82599 "sriov_numvfs", "4\n"), 0);
	assert_string_equal(sim_fixture_read(&f, PF82599 "sriov_numvfs", buf, sizeof(buf)), "4");
	/* VF i at PF rid + 384 + 2i: 0000:04:10.0, .2, .4, .6. */
	assert_true(sim_fixture_exists(&f, "bus/pci/devices/0000:04:10.6/physfn"));
	assert_false(sim_fixture_exists(&f, "bus/pci/devices/0000:04:11.0"));
	assert_string_equal(sim_fixture_read(&f, "bus/pci/devices/0000:04:10.2/device", buf,
	                                     sizeof(buf)), "0x10ed");
	assert_true(sim_fixture_exists(&f, "class/net/enp3s0f0v3/device"));
	/* Same count: nothing to do. A different non-zero count: EBUSY. */
	assert_int_equal(wr(&f, PF82599 "sriov_numvfs", "4"), 0);
	assert_int_equal(wr(&f, PF82599 "sriov_numvfs", "8"), -EBUSY);
	assert_string_equal(sim_fixture_read(&f, PF82599 "sriov_numvfs", buf, sizeof(buf)), "4");
	assert_int_equal(wr(&f, PF82599 "sriov_numvfs", "0"), 0);
	assert_false(sim_fixture_exists(&f, PF82599 "virtfn0"));
	assert_false(sim_fixture_exists(&f, "bus/pci/devices/0000:04:10.0"));
	assert_false(sim_fixture_exists(&f, "class/net/enp3s0f0v0"));
	assert_false(sim_fixture_exists(&f, "bus/pci/drivers/ixgbevf/0000:04:10.0"));
	/* Read-only and unknown attributes. */
	assert_int_equal(wr(&f, PF82599 "sriov_totalvfs", "1"), -EACCES);
	assert_int_equal(wr(&f, PF82599 "nosuch", "1"), -ENOENT);
	/* No PF driver: ENOENT, but "same count" still succeeds first. */
	assert_int_equal(wr(&f, "bus/pci/drivers/ixgbe/unbind", "0000:03:00.0"), 0);
	assert_false(sim_fixture_exists(&f, PF82599 "driver"));
	assert_false(sim_fixture_exists(&f, "class/net/enp3s0f0"));
	assert_int_equal(wr(&f, PF82599 "sriov_numvfs", "0"), 0);
	assert_int_equal(wr(&f, PF82599 "sriov_numvfs", "2"), -ENOENT);
	sim_fixture_close(&f);
}

static void enic_has_no_sriov_configure(void **state)
{
	struct sim_fixture f;

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	assert_int_equal(wr(&f, "bus/pci/devices/0000:0a:00.0/sriov_numvfs", "16"), 0);
	assert_int_equal(wr(&f, "bus/pci/devices/0000:0a:00.0/sriov_numvfs", "0"), -ENOENT);
	assert_int_equal(wr(&f, "bus/pci/devices/0000:0a:00.0/sriov_numvfs", "17"), -ERANGE);
	/* The dynamic vNIC has no SR-IOV at all. */
	assert_false(sim_fixture_exists(&f, "bus/pci/devices/0000:0c:00.0/sriov_numvfs"));
	sim_fixture_close(&f);
}

static void override_unbind_probe(void **state)
{
	struct sim_fixture f;
	char buf[64];
	const char *vf = "bus/pci/devices/0000:04:10.0/";

	assert_int_equal(sim_fixture_open(&f, "mixed-82599-virtio.json"), 0);
	assert_int_equal(wr(&f, PF82599 "sriov_numvfs", "2"), 0);
	assert_string_equal(sim_fixture_read(&f, "bus/pci/devices/0000:04:10.0/driver_override",
	                                     buf, sizeof(buf)), "(null)");
	assert_int_equal(wr(&f, "bus/pci/devices/0000:04:10.0/driver_override", "vfio-pci\n"), 0);
	assert_string_equal(sim_fixture_read(&f, "bus/pci/devices/0000:04:10.0/driver_override",
	                                     buf, sizeof(buf)), "vfio-pci");
	/* Unbinding from a driver the device is not bound to: ENODEV. */
	assert_int_equal(wr(&f, "bus/pci/drivers/vfio-pci/unbind", "0000:04:10.0"), -ENODEV);
	assert_int_equal(wr(&f, "bus/pci/drivers/ixgbevf/unbind", "0000:04:10.0\n"), 0);
	assert_false(sim_fixture_exists(&f, "class/net/enp3s0f0v0"));
	assert_int_equal(wr(&f, "bus/pci/drivers_probe", "0000:04:10.0"), 0);
	assert_true(sim_fixture_exists(&f, "bus/pci/drivers/vfio-pci/0000:04:10.0"));
	assert_false(sim_fixture_exists(&f, "bus/pci/devices/0000:04:10.0/net"));
	/* Clearing the override: "\n" reads back as (null). */
	assert_int_equal(wr(&f, "bus/pci/devices/0000:04:10.0/driver_override", "\n"), 0);
	assert_string_equal(sim_fixture_read(&f, "bus/pci/devices/0000:04:10.0/driver_override",
	                                     buf, sizeof(buf)), "(null)");
	assert_int_equal(wr(&f, "bus/pci/drivers_probe", "0000:99:00.0"), -ENODEV);
	assert_int_equal(wr(&f, "bus/pci/drivers_probe", "../../x"), -ENODEV);
	(void)vf;
	sim_fixture_close(&f);
}

static void autoprobe_off(void **state)
{
	struct sim_fixture f;

	assert_int_equal(sim_fixture_open(&f, "mixed-82599-virtio.json"), 0);
	assert_int_equal(wr(&f, PF82599 "sriov_drivers_autoprobe", "0"), 0);
	assert_int_equal(wr(&f, PF82599 "sriov_drivers_autoprobe", "x"), -EINVAL);
	assert_int_equal(wr(&f, PF82599 "sriov_drivers_autoprobe", "ox"), -EINVAL);
	assert_int_equal(wr(&f, PF82599 "sriov_drivers_autoprobe", "on"), 0);
	assert_int_equal(wr(&f, PF82599 "sriov_drivers_autoprobe", "off\n"), 0);
	assert_int_equal(wr(&f, PF82599 "sriov_numvfs", "2"), 0);
	assert_false(sim_fixture_exists(&f, "bus/pci/devices/0000:04:10.0/driver"));
	/* drivers_probe succeeds and binds nothing without an override. */
	assert_int_equal(wr(&f, "bus/pci/drivers_probe", "0000:04:10.0"), 0);
	assert_false(sim_fixture_exists(&f, "bus/pci/devices/0000:04:10.0/driver"));
	assert_int_equal(wr(&f, "bus/pci/devices/0000:04:10.0/driver_override", "ixgbevf"), 0);
	assert_int_equal(wr(&f, "bus/pci/drivers_probe", "0000:04:10.0"), 0);
	assert_true(sim_fixture_exists(&f, "bus/pci/devices/0000:04:10.0/driver"));
	assert_true(sim_fixture_exists(&f, "class/net/enp3s0f0v0"));
	/* Turning autoprobe back on does not probe existing VFs. */
	assert_int_equal(wr(&f, PF82599 "sriov_drivers_autoprobe", "1"), 0);
	assert_false(sim_fixture_exists(&f, "bus/pci/devices/0000:04:10.2/driver"));
	sim_fixture_close(&f);
}

static void vfio_without_iommu(void **state)
{
	struct sim_fixture f;

	assert_int_equal(sim_fixture_open(&f, no_iommu_host), 0);
	assert_false(sim_fixture_exists(&f, "bus/pci/devices/0000:04:10.0/iommu_group"));
	assert_int_equal(wr(&f, "bus/pci/devices/0000:04:10.0/driver_override", "vfio-pci"), 0);
	assert_int_equal(wr(&f, "bus/pci/drivers/ixgbevf/unbind", "0000:04:10.0"), 0);
	/* The probe fails; drivers_probe says nothing of it. */
	assert_int_equal(wr(&f, "bus/pci/drivers_probe", "0000:04:10.0"), 0);
	assert_false(sim_fixture_exists(&f, "bus/pci/devices/0000:04:10.0/driver"));
	sim_fixture_close(&f);
}

static void bad_descriptions(void **state)
{
	static const char *const bad[] = {
		"not json",
		"{ \"devices\": 1 }",
		"{ \"devices\": [ { \"pci\": \"0000:0a:00.8\", \"vendor\": \"0x1\", \"device\": \"0x2\" } ] }",
		"{ \"devices\": [ { \"pci\": \"0000:0a:00.0\", \"vendor\": \"0x1\", \"device\": \"0x2\","
		"  \"driver\": \"nosuch\" } ] }",
		"{ \"devices\": [ { \"pci\": \"0000:0a:00.0\", \"vendor\": \"0x1\", \"device\": \"0x2\","
		"  \"sriov\": { \"total_vfs\": 4, \"num_vfs\": 5, \"vf_device\": \"0x3\" } } ] }",
		"{ \"devices\": [ { \"pci\": \"0000:0a:00.0\", \"vendor\": \"0x1\", \"device\": \"0x2\","
		"  \"sriov\": { \"total_vfs\": 4, \"vf_device\": \"0x3\" } },"
		"  { \"pci\": \"0000:0a:00.2\", \"vendor\": \"0x1\", \"device\": \"0x2\" } ] }",
		"{ \"devices\": [ { \"pci\": \"0000:ff:00.0\", \"vendor\": \"0x1\", \"device\": \"0x2\","
		"  \"sriov\": { \"total_vfs\": 300, \"vf_device\": \"0x3\" } } ] }",
		"{ \"devices\": [ { \"pci\": \"0000:0a:00.0\", \"vendor\": \"0x1\", \"device\": \"0x2\","
		"  \"ifname\": \"../etc\" } ] }",
		"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
	};
	static const char *const culprit[] = {
		"not JSON", "devices must be a array", "devices[0].pci", "devices[0].driver nosuch",
		"num_vfs 5 exceeds", "is taken by another device or VF", "run past bus ff", "devices[0].ifname",
		"not JSON",
	};
	struct vmfex_new_opts opts = { .sz = sizeof(opts), .ignore_env = 1 };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sim_fixture f = { 0 };
		struct sim_desc *d = NULL;
		struct vmfex_ctx *ctx;

		assert_int_equal(vmfex_new_with_opts(&opts, &ctx), 0);
		vmfex_set_log_fn(ctx, sim_fixture_log, &f);
		assert_int_equal(vmfex_sim_desc_parse(ctx, bad[i], strlen(bad[i]), &d), -EINVAL);
		assert_null(d);
		if (!strstr(f.log, culprit[i]))
			fail_msg("description %zu: log '%s' lacks '%s'", i, f.log, culprit[i]);
		vmfex_unref(ctx);
	}
}

/* kstrtou16() goes through kstrtoull(), which takes one leading '+'
 * (as Linux 6.1 under QEMU does: "+3" with 3 VFs enabled is accepted). */
static void numvfs_plus_sign(void **state)
{
	struct sim_fixture f;
	char buf[64];

	assert_int_equal(sim_fixture_open(&f, "mixed-82599-virtio.json"), 0);
	assert_int_equal(wr(&f, PF82599 "sriov_numvfs", "+2"), 0);
	assert_string_equal(sim_fixture_read(&f, PF82599 "sriov_numvfs", buf, sizeof(buf)), "2");
	assert_int_equal(wr(&f, PF82599 "sriov_numvfs", "+2\n"), 0);
	assert_int_equal(wr(&f, PF82599 "sriov_numvfs", "+0x2"), 0);
	assert_int_equal(wr(&f, PF82599 "sriov_numvfs", "+3"), -EBUSY);
	assert_int_equal(wr(&f, PF82599 "sriov_numvfs", "+64"), -ERANGE);
	/* One sign only, and never a minus or a space after it. */
	assert_int_equal(wr(&f, PF82599 "sriov_numvfs", "++2"), -EINVAL);
	assert_int_equal(wr(&f, PF82599 "sriov_numvfs", "+-2"), -EINVAL);
	assert_int_equal(wr(&f, PF82599 "sriov_numvfs", "+ 2"), -EINVAL);
	assert_int_equal(wr(&f, PF82599 "sriov_numvfs", "+"), -EINVAL);
	/* No white space first either, which strtoul() would skip. */
	assert_int_equal(wr(&f, PF82599 "sriov_numvfs", "\t2"), -EINVAL);
	assert_int_equal(wr(&f, PF82599 "sriov_numvfs", "\n2"), -EINVAL);
	assert_int_equal(wr(&f, PF82599 "sriov_numvfs", "+\t2"), -EINVAL);
	assert_int_equal(wr(&f, PF82599 "sriov_numvfs", "+0"), 0);
	assert_false(sim_fixture_exists(&f, PF82599 "virtfn0"));
	sim_fixture_close(&f);
}

/* sysfs_kf_write() returns 0 for an empty write without calling the
 * attribute's store: nothing changes, not even driver_override (Linux 6.1
 * under QEMU accepts "" for sriov_numvfs and sriov_drivers_autoprobe).
 * Attributes that cannot be written still refuse to open. */
static void empty_writes(void **state)
{
	struct sim_fixture f;
	char buf[64];

	assert_int_equal(sim_fixture_open(&f, "mixed-82599-virtio.json"), 0);
	assert_int_equal(wr(&f, PF82599 "sriov_numvfs", "2"), 0);
	assert_int_equal(wr(&f, PF82599 "sriov_numvfs", ""), 0);
	assert_string_equal(sim_fixture_read(&f, PF82599 "sriov_numvfs", buf, sizeof(buf)), "2");
	assert_int_equal(wr(&f, PF82599 "sriov_drivers_autoprobe", ""), 0);
	assert_string_equal(sim_fixture_read(&f, PF82599 "sriov_drivers_autoprobe", buf,
	                                     sizeof(buf)), "1");
	assert_int_equal(wr(&f, "bus/pci/devices/0000:04:10.0/driver_override", "vfio-pci"), 0);
	assert_int_equal(wr(&f, "bus/pci/devices/0000:04:10.0/driver_override", ""), 0);
	assert_string_equal(sim_fixture_read(&f, "bus/pci/devices/0000:04:10.0/driver_override",
	                                     buf, sizeof(buf)), "vfio-pci");
	assert_int_equal(wr(&f, "bus/pci/drivers/ixgbevf/unbind", ""), 0);
	assert_true(sim_fixture_exists(&f, "bus/pci/devices/0000:04:10.0/driver"));
	assert_int_equal(wr(&f, "bus/pci/drivers_probe", ""), 0);
	assert_int_equal(wr(&f, PF82599 "sriov_totalvfs", ""), -EACCES);
	assert_int_equal(wr(&f, PF82599 "nosuch", ""), -ENOENT);
	sim_fixture_close(&f);
}

/* A driver's bind attribute (bind_store(), device_driver_attach()): the
 * driver must match (the override, else the native driver), and unlike
 * drivers_probe it reports failure: EBUSY when bound, ENODEV for no match
 * or a VF that autoprobe keeps off, the probe's error otherwise. Linux
 * 6.1 under QEMU rebinds an unbound NVMe PF through drivers/nvme/bind. */
static void bind_attribute(void **state)
{
	struct sim_fixture f;
	char buf[64];

	assert_int_equal(sim_fixture_open(&f, "mixed-82599-virtio.json"), 0);
	assert_int_equal(wr(&f, PF82599 "sriov_numvfs", "2"), 0);
	assert_int_equal(wr(&f, "bus/pci/drivers/ixgbevf/bind", "0000:04:10.0"), -EBUSY);
	assert_int_equal(wr(&f, "bus/pci/drivers/ixgbevf/unbind", "0000:04:10.0"), 0);
	/* vfio-pci matches nothing without an override; ixgbe is no VF's. */
	assert_int_equal(wr(&f, "bus/pci/drivers/vfio-pci/bind", "0000:04:10.0"), -ENODEV);
	assert_int_equal(wr(&f, "bus/pci/drivers/ixgbe/bind", "0000:04:10.0"), -ENODEV);
	assert_int_equal(wr(&f, "bus/pci/devices/0000:04:10.0/driver_override", "vfio-pci"), 0);
	assert_int_equal(wr(&f, "bus/pci/drivers/ixgbevf/bind", "0000:04:10.0"), -ENODEV);
	assert_int_equal(wr(&f, "bus/pci/drivers/vfio-pci/bind", "0000:04:10.0\n"), 0);
	assert_true(sim_fixture_exists(&f, "bus/pci/drivers/vfio-pci/0000:04:10.0"));
	/* The PF, unbound and bound again, gets its netdev back. */
	assert_int_equal(wr(&f, "bus/pci/drivers/ixgbe/unbind", "0000:03:00.0"), 0);
	assert_false(sim_fixture_exists(&f, "class/net/enp3s0f0"));
	assert_int_equal(wr(&f, "bus/pci/drivers/ixgbe/bind", "0000:03:00.0"), 0);
	assert_true(sim_fixture_exists(&f, "class/net/enp3s0f0"));
	assert_int_equal(wr(&f, "bus/pci/drivers/ixgbe/bind", "0000:99:00.0"), -ENODEV);
	/* Autoprobe off: the VF's own driver matches, but may not probe it. */
	assert_int_equal(wr(&f, PF82599 "sriov_drivers_autoprobe", "0"), 0);
	assert_int_equal(wr(&f, "bus/pci/drivers/ixgbevf/unbind", "0000:04:10.2"), 0);
	assert_int_equal(wr(&f, "bus/pci/drivers/ixgbevf/bind", "0000:04:10.2"), -ENODEV);
	assert_false(sim_fixture_exists(&f, "bus/pci/devices/0000:04:10.2/driver"));
	sim_fixture_close(&f);

	/* Without an IOMMU, vfio-pci's probe fails, and bind says so. */
	assert_int_equal(sim_fixture_open(&f, no_iommu_host), 0);
	assert_int_equal(wr(&f, "bus/pci/devices/0000:04:10.0/driver_override", "vfio-pci"), 0);
	assert_int_equal(wr(&f, "bus/pci/drivers/ixgbevf/unbind", "0000:04:10.0"), 0);
	assert_int_equal(wr(&f, "bus/pci/drivers/vfio-pci/bind", "0000:04:10.0"), -EINVAL);
	assert_false(sim_fixture_exists(&f, "bus/pci/devices/0000:04:10.0/driver"));
	assert_string_equal(sim_fixture_read(&f, "bus/pci/devices/0000:04:10.0/driver_override",
	                                     buf, sizeof(buf)), "vfio-pci");
	sim_fixture_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numvfs_rules),
		cmocka_unit_test(enic_has_no_sriov_configure),
		cmocka_unit_test(override_unbind_probe),
		cmocka_unit_test(autoprobe_off),
		cmocka_unit_test(vfio_without_iommu),
		cmocka_unit_test(bad_descriptions),
		cmocka_unit_test(numvfs_plus_sign),
		cmocka_unit_test(empty_writes),
		cmocka_unit_test(bind_attribute),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
