/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Walks that nothing can invalidate: every public call made with a PF or
 * VF in hand, inside a vmfex_pf_foreach() and inside a VF walk, on a
 * simulated host with several PFs. The outer walks still visit every PF
 * and VF, and the loop variables stay readable (valgrind and ASan hold
 * the test to it in CI). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sim-fixture.h"

#define VM "6b9a1e2c-3d4f-4a5b-8c6d-7e8f90a1b2c3"
#define PROFILE "pp-web"

/* Three VIC PFs with 4 VFs each and an 82599 with 2 of 4 VFs enabled,
 * whose driver can change the count. */
#define HOST                                                                                 \
	"{ \"iommu\": true, \"dmi_product_uuid\": \"4c4c4544-0042-4810-8052-b4c04f4d3132\","    \
	"  \"drivers\": ["                                                                  \
	"    { \"name\": \"enic\", \"vf_ops\": [\"mac\"], \"vf_port\": true },"                 \
	"    { \"name\": \"vfio-pci\", \"netdev\": false, \"needs_iommu\": true },"             \
	"    { \"name\": \"ixgbe\", \"sriov_configure\": true,"                                 \
	"      \"vf_ops\": [\"mac\", \"vlan\", \"rate\", \"spoofchk\", \"link_state\", \"trust\"] }," \
	"    { \"name\": \"ixgbevf\" } ],"                                                      \
	"  \"devices\": ["                                                                  \
	"    { \"pci\": \"0000:0a:00.0\", \"vendor\": \"0x1137\", \"device\": \"0x0043\","     \
	"      \"subsystem_vendor\": \"0x1137\", \"subsystem_device\": \"0x0084\","             \
	"      \"driver\": \"enic\", \"ifname\": \"enp10s0f0\","                                \
	"      \"sriov\": { \"total_vfs\": 4, \"num_vfs\": 4, \"vf_device\": \"0x0071\","       \
	"                   \"vf_driver\": \"enic\" } },"                                       \
	"    { \"pci\": \"0000:0b:00.0\", \"vendor\": \"0x1137\", \"device\": \"0x0043\","     \
	"      \"subsystem_vendor\": \"0x1137\", \"subsystem_device\": \"0x0084\","             \
	"      \"driver\": \"enic\", \"ifname\": \"enp11s0f0\","                                \
	"      \"sriov\": { \"total_vfs\": 4, \"num_vfs\": 4, \"vf_device\": \"0x0071\","       \
	"                   \"vf_driver\": \"enic\" } },"                                       \
	"    { \"pci\": \"0000:0c:00.0\", \"vendor\": \"0x1137\", \"device\": \"0x0043\","     \
	"      \"subsystem_vendor\": \"0x1137\", \"subsystem_device\": \"0x0084\","             \
	"      \"driver\": \"enic\", \"ifname\": \"enp12s0f0\","                                \
	"      \"sriov\": { \"total_vfs\": 4, \"num_vfs\": 4, \"vf_device\": \"0x0071\","       \
	"                   \"vf_driver\": \"enic\" } },"                                       \
	"    { \"pci\": \"0000:20:00.0\", \"vendor\": \"0x8086\", \"device\": \"0x10fb\","     \
	"      \"subsystem_vendor\": \"0x8086\", \"subsystem_device\": \"0x000c\","             \
	"      \"driver\": \"ixgbe\", \"ifname\": \"enp32s0f0\","                               \
	"      \"sriov\": { \"total_vfs\": 4, \"num_vfs\": 2, \"vf_device\": \"0x10ed\","       \
	"                   \"vf_driver\": \"ixgbevf\" } } ] }"

static const char *const pf_addrs[] = {
	"0000:0a:00.0", "0000:0b:00.0", "0000:0c:00.0", "0000:20:00.0",
};
static const char *const pf_ifnames[] = { "enp10s0f0", "enp11s0f0", "enp12s0f0", "enp32s0f0" };
#define N_PFS ARRAY_LEN(pf_addrs)
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
/* VFs per PF, in pf_addrs order, as the host description enables them. */
static const unsigned int pf_vfs[] = { 4, 4, 4, 2 };

struct walk_test {
	struct sim_fixture f;
	struct vmfex_catalog *cat;
};

static struct walk_test *T;

static int setup(void **state)
{
	struct walk_test *t = calloc(1, sizeof(*t));
	struct vmfex_profile *p;

	if (!t || sim_fixture_open(&t->f, HOST) < 0)
		return -1;
	vmfex_set_log_priority(t->f.ctx, LOG_ERR);
	if (vmfex_catalog_new(t->f.ctx, &t->cat) < 0 ||
	    vmfex_catalog_add_profile(t->cat, PROFILE, &p) < 0 ||
	    vmfex_profile_add_client(p, VMFEX_CLUSTER_DEFAULT) < 0)
		return -1;
	vmfex_profile_unref(p);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct walk_test *t = *state;

	vmfex_catalog_unref(t->cat);
	sim_fixture_close(&t->f);
	free(t);
	return 0;
}

static bool is_vic(const char *pci)
{
	return strcmp(pci, "0000:20:00.0") != 0;
}

/* The walks the library makes itself: a nested walk, the advisor, the
 * topology writer, the catalog's port check and an attach. */
static void library_walks(struct walk_test *t, const char *pci)
{
	struct vmfex_ctx *ctx = t->f.ctx;
	struct vmfex_pf *inner;
	struct vmfex_findings *findings;
	enum vmfex_topology topology;
	char *dot = NULL, *xml = NULL;
	size_t i = 0;

	vmfex_pf_foreach(ctx, inner) {
		assert_true(i < N_PFS);
		assert_string_equal(vmfex_pf_get_pci(inner), pf_addrs[i]);
		i++;
	}
	assert_int_equal(i, N_PFS);
	assert_int_equal(vmfex_advisor_check(ctx, NULL, &findings), 0);
	assert_true(vmfex_findings_get_count(findings) > 0);
	vmfex_findings_unref(findings);
	assert_int_equal(vmfex_topology_write_dot(ctx, NULL, &dot, NULL), 0);
	for (i = 0; i < N_PFS; i++)
		assert_non_null(strstr(dot, pf_addrs[i]));
	free(dot);
	assert_int_equal(vmfex_catalog_check_port(t->cat, PROFILE, NULL, &topology), 0);
	if (is_vic(pci)) {
		struct vmfex_attach_opts o = {
			.sz = sizeof(o), .vm_uuid = VM, .profile = PROFILE, .pf = pci,
			.topology = VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH,
			.mac = "52:54:00:ac:ff:b6", .catalog = t->cat,
		};

		assert_int_equal(vmfex_attach(ctx, &o, &xml), 0);
		assert_non_null(strstr(xml, "passthrough"));
		free(xml);
		assert_int_equal(vmfex_detach(ctx, VM), 1);
	}
}

/* The case reported: the advisor, the topology writer, the port check and
 * attach inside a caller's PF walk and inside its VF walk. */
static void nested_workflows(void **state)
{
	struct walk_test *t = T;
	struct vmfex_pf *pf;
	struct vmfex_vf *vf;
	size_t n = 0;

	vmfex_pf_foreach(t->f.ctx, pf) {
		unsigned int n_vfs = 0;

		assert_true(n < N_PFS);
		assert_string_equal(vmfex_pf_get_pci(pf), pf_addrs[n]);
		library_walks(t, pf_addrs[n]);
		assert_string_equal(vmfex_pf_get_pci(pf), pf_addrs[n]);
		vmfex_pf_foreach_vf(pf, vf) {
			assert_int_equal(vmfex_vf_get_index(vf), n_vfs);
			if (n_vfs == 1)
				library_walks(t, pf_addrs[n]);
			assert_int_equal(vmfex_vf_get_index(vf), n_vfs);
			assert_ptr_equal(vmfex_vf_get_pf(vf), pf);
			n_vfs++;
		}
		assert_int_equal(n_vfs, pf_vfs[n]);
		assert_string_equal(vmfex_pf_get_pci(pf), pf_addrs[n]);
		n++;
	}
	assert_int_equal(n, N_PFS);
}


/* The 82599's VF count changed under its VF walk: fewer VFs end the walk
 * early, more make it go on; a VF held across the change, absent for a
 * while, is the same object when its index comes back. */
static void vf_count_changes(void **state)
{
	struct vmfex_pf *pf;
	struct vmfex_vf *vf, *held;
	unsigned int seen = 0;

	assert_int_equal(vmfex_pf_new_from_pci(T->f.ctx, "0000:20:00.0", &pf), 0);
	assert_int_equal(vmfex_pf_lookup_vf(pf, 1, &held), 0);
	vmfex_pf_foreach_vf(pf, vf) {
		if (seen++ == 0)
			assert_int_equal(vmfex_pf_set_num_vfs(pf, 1, NULL), 0);
	}
	assert_int_equal(seen, 1);
	assert_string_equal(vmfex_vf_get_pci(held), "0000:20:00.2");
	assert_int_equal(vmfex_pf_lookup_vf(pf, 1, &vf), -ENOENT);
	seen = 0;
	vmfex_pf_foreach_vf(pf, vf) {
		if (seen++ == 0)
			assert_int_equal(vmfex_pf_set_num_vfs(pf, 4, NULL), 0);
		assert_int_equal(vmfex_vf_get_index(vf), seen - 1);
	}
	assert_int_equal(seen, 4);
	assert_int_equal(vmfex_pf_lookup_vf(pf, 1, &vf), 0);
	assert_ptr_equal(vf, held);
	vmfex_vf_unref(vf);
	assert_int_equal(vmfex_pf_set_num_vfs(pf, 2, NULL), 0);
	vmfex_vf_unref(held);
	vmfex_pf_unref(pf);
}

/* ---- every call with a PF or VF in hand, inside PF and VF walks ---- */

static bool ixgbe(const struct vmfex_pf *pf)
{
	return !vmfex_pf_is_vic(pf);
}

/* Independent of the library: the simulated sysfs tree itself. */
static const char *sysfs(const char *pci, const char *attr, char *buf, size_t size)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "bus/pci/devices/%s/%s", pci, attr);
	return sim_fixture_read(&T->f, rel, buf, size);
}

/* The last part of a link's target: a driver's name, a function's address. */
static const char *sysfs_link(const char *pci, const char *attr, char *buf, size_t size)
{
	char path[512];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/sysfs/bus/pci/devices/%s/%s", T->f.dir, pci, attr);
	n = readlink(path, buf, size - 1);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return strrchr(buf, '/') + 1;
}

static unsigned int hex(const char *s)
{
	return (unsigned int)strtoul(s, NULL, 16);
}

static void call_pf_next(struct vmfex_pf *pf, struct vmfex_vf *vf)
{
	library_walks(T, vmfex_pf_get_pci(pf));
}

/* A look-up on the context gives back the very object in hand. */
#define assert_lookup_is(lookup, key, obj, unref)                                  \
	do {                                                                       \
		__typeof__(obj) got_;                                              \
		assert_int_equal(lookup(T->f.ctx, (key), &got_), 0);               \
		assert_ptr_equal(got_, (obj));                                     \
		unref(got_);                                                       \
	} while (0)

static void call_pf_lookups(struct vmfex_pf *pf, struct vmfex_vf *vf)
{
	struct vmfex_pf *again;

	assert_lookup_is(vmfex_pf_new_from_pci, vmfex_pf_get_pci(pf), pf, vmfex_pf_unref);
	assert_lookup_is(vmfex_pf_new_from_ifname, vmfex_pf_get_ifname(pf), pf, vmfex_pf_unref);
	assert_lookup_is(vmfex_pf_new_from_name, vmfex_pf_get_ifname(pf), pf, vmfex_pf_unref);
	/* A VF is no PF: refused, and nothing the walk holds is touched. */
	assert_int_equal(vmfex_pf_new_from_pci(T->f.ctx, vmfex_vf_get_pci(vf), &again), -ENOTSUP);
}

static void call_pf_ref(struct vmfex_pf *pf, struct vmfex_vf *vf)
{
	assert_ptr_equal(vmfex_pf_ref(pf), pf);
	assert_null(vmfex_pf_unref(pf));
	assert_ptr_equal(vmfex_pf_get_ctx(pf), T->f.ctx);
}

static void call_pf_getters(struct vmfex_pf *pf, struct vmfex_vf *vf)
{
	const char *pci = vmfex_pf_get_pci(pf);
	char buf[64];

	assert_int_equal(vmfex_pf_get_vendor_id(pf), hex(sysfs(pci, "vendor", buf, sizeof(buf))));
	assert_int_equal(vmfex_pf_get_device_id(pf), hex(sysfs(pci, "device", buf, sizeof(buf))));
	assert_int_equal(vmfex_pf_get_subsystem_vendor_id(pf),
	                 hex(sysfs(pci, "subsystem_vendor", buf, sizeof(buf))));
	assert_int_equal(vmfex_pf_get_subsystem_device_id(pf),
	                 hex(sysfs(pci, "subsystem_device", buf, sizeof(buf))));
	assert_int_equal(vmfex_pf_get_total_vfs(pf),
	                 atoi(sysfs(pci, "sriov_totalvfs", buf, sizeof(buf))));
	assert_int_equal(vmfex_pf_get_num_vfs(pf), atoi(sysfs(pci, "sriov_numvfs", buf, sizeof(buf))));
	assert_string_equal(vmfex_pf_get_driver(pf), sysfs_link(pci, "driver", buf, sizeof(buf)));
	for (size_t i = 0; i < N_PFS; i++)
		if (strcmp(pci, pf_addrs[i]) == 0)
			assert_string_equal(vmfex_pf_get_ifname(pf), pf_ifnames[i]);
	assert_int_equal(vmfex_pf_is_vic(pf), vmfex_pf_get_vendor_id(pf) == 0x1137);
}

static void call_pf_names(struct vmfex_pf *pf, struct vmfex_vf *vf)
{
	assert_string_equal(vmfex_pf_read_vendor_name(pf),
	                    ixgbe(pf) ? "Intel Corporation" : "Cisco Systems Inc");
	assert_non_null(vmfex_pf_read_device_name(pf));
	assert_non_null(vmfex_pf_read_model(pf));
}

static void call_pf_refresh(struct vmfex_pf *pf, struct vmfex_vf *vf)
{
	unsigned int n = vmfex_pf_get_num_vfs(pf);

	assert_int_equal(vmfex_pf_refresh(pf), 0);
	assert_int_equal(vmfex_pf_get_num_vfs(pf), n);
}

static void call_pf_lookup_vf(struct vmfex_pf *pf, struct vmfex_vf *vf)
{
	struct vmfex_vf *again;

	assert_int_equal(vmfex_pf_lookup_vf(pf, vmfex_vf_get_index(vf), &again), 0);
	assert_ptr_equal(again, vf);
	vmfex_vf_unref(again);
	assert_int_equal(vmfex_pf_lookup_vf(pf, vmfex_pf_get_total_vfs(pf), &again), -ENOENT);
}

/* The count goes up and back down, through 0 each time as the kernel
 * wants: every VF object is taken away and made again under the walk. */
static void call_pf_set_num_vfs(struct vmfex_pf *pf, struct vmfex_vf *vf)
{
	char buf[16];

	if (!ixgbe(pf)) {
		assert_int_equal(vmfex_pf_set_num_vfs(pf, 2, NULL), -ENOENT);
		return;
	}
	assert_int_equal(vmfex_pf_set_num_vfs(pf, 3, NULL), 0);
	assert_string_equal(sysfs(vmfex_pf_get_pci(pf), "sriov_numvfs", buf, sizeof(buf)), "3");
	assert_int_equal(vmfex_pf_set_num_vfs(pf, 2, NULL), 0);
	assert_string_equal(sysfs(vmfex_pf_get_pci(pf), "sriov_numvfs", buf, sizeof(buf)), "2");
	assert_int_equal(vmfex_pf_get_num_vfs(pf), 2);
}

static void call_link_new_from_pf(struct vmfex_pf *pf, struct vmfex_vf *vf)
{
	struct vmfex_link *link;

	assert_int_equal(vmfex_link_new_from_pf(pf, &link), 0);
	assert_string_equal(vmfex_link_get_ifname(link), vmfex_pf_get_ifname(pf));
	assert_non_null(vmfex_link_find_vf(link, vmfex_vf_get_index(vf)));
	vmfex_link_unref(link);
	assert_int_equal(vmfex_link_new_from_ifname(T->f.ctx, vmfex_pf_get_ifname(pf), &link), 0);
	assert_int_equal(vmfex_link_get_num_vfs(link), vmfex_pf_get_num_vfs(pf));
	vmfex_link_unref(link);
}

static void call_network_for_pf(struct vmfex_pf *pf, struct vmfex_vf *vf)
{
	struct vmfex_xml_network_opts o = { .sz = sizeof(o),
	                                    .topology = VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH };
	char want[64], *xml;

	assert_int_equal(vmfex_xml_network_for_pf(pf, "pool", T->cat, &o, &xml), 0);
	snprintf(want, sizeof(want), "<pf dev=\"%s\"/>", vmfex_pf_get_ifname(pf));
	assert_non_null(strstr(xml, want));
	assert_non_null(strstr(xml, PROFILE));
	free(xml);
}

static void call_reserve_release(struct vmfex_pf *pf, struct vmfex_vf *vf)
{
	struct vmfex_reserve_opts o = { .sz = sizeof(o), .vm_uuid = VM };
	struct vmfex_vf *got;

	assert_int_equal(vmfex_vf_reserve(pf, &o, &got), 0);
	assert_ptr_equal(vmfex_vf_get_pf(got), pf);
	assert_int_equal(vmfex_vf_get_index(got), 0);
	assert_int_equal(vmfex_vf_release(got, VM), 0);
	assert_int_equal(vmfex_vf_release(got, VM), -ENOENT);
	vmfex_vf_unref(got);
}

static void call_advisor_pf(struct vmfex_pf *pf, struct vmfex_vf *vf)
{
	struct vmfex_advisor_opts o = { .sz = sizeof(o), .pf = vmfex_pf_get_pci(pf) };
	struct vmfex_findings *findings;

	assert_int_equal(vmfex_advisor_check(T->f.ctx, &o, &findings), 0);
	assert_true(vmfex_findings_get_count(findings) > 0);
	vmfex_findings_unref(findings);
}

static void call_topology_pf(struct vmfex_pf *pf, struct vmfex_vf *vf)
{
	struct vmfex_topology_dot_opts o = { .sz = sizeof(o), .pf = vmfex_pf_get_pci(pf) };
	char *dot;

	assert_int_equal(vmfex_topology_write_dot(T->f.ctx, &o, &dot, NULL), 0);
	assert_non_null(strstr(dot, vmfex_pf_get_pci(pf)));
	assert_non_null(strstr(dot, vmfex_vf_get_pci(vf)));
	free(dot);
}

static void call_workflows(struct vmfex_pf *pf, struct vmfex_vf *vf)
{
	struct vmfex_lease_list *list;

	assert_int_equal(vmfex_attach_migration_finish(T->f.ctx, VM), -ENOENT);
	assert_int_equal(vmfex_lease_reclaim_stale(T->f.ctx), 0);
	assert_int_equal(vmfex_lease_list_new(T->f.ctx, &list), 0);
	assert_null(vmfex_lease_list_next(list, NULL));
	vmfex_lease_list_unref(list);
	assert_int_equal(vmfex_detach(T->f.ctx, VM), -ENOENT);
}

static void call_vf_lookups(struct vmfex_pf *pf, struct vmfex_vf *vf)
{
	struct vmfex_vf *again;

	assert_lookup_is(vmfex_vf_new_from_pci, vmfex_vf_get_pci(vf), vf, vmfex_vf_unref);
	assert_lookup_is(vmfex_vf_new_from_ifname, vmfex_vf_get_ifname(vf), vf, vmfex_vf_unref);
	assert_int_equal(vmfex_vf_new_from_pci(T->f.ctx, vmfex_pf_get_pci(pf), &again), -ENOTSUP);
}

static void call_vf_ref(struct vmfex_pf *pf, struct vmfex_vf *vf)
{
	assert_ptr_equal(vmfex_vf_ref(vf), vf);
	assert_null(vmfex_vf_unref(vf));
	assert_ptr_equal(vmfex_vf_get_pf(vf), pf);
}

static void call_vf_getters(struct vmfex_pf *pf, struct vmfex_vf *vf)
{
	char link[64], want[32], buf[64];

	snprintf(link, sizeof(link), "virtfn%u", vmfex_vf_get_index(vf));
	assert_string_equal(sysfs_link(vmfex_pf_get_pci(pf), link, buf, sizeof(buf)),
	                    vmfex_vf_get_pci(vf));
	assert_string_equal(sysfs_link(vmfex_vf_get_pci(vf), "physfn", buf, sizeof(buf)),
	                    vmfex_pf_get_pci(pf));
	snprintf(want, sizeof(want), "%sv%u", vmfex_pf_get_ifname(pf), vmfex_vf_get_index(vf));
	assert_string_equal(vmfex_vf_get_ifname(vf), want);
	assert_string_equal(vmfex_vf_get_driver(vf), sysfs_link(vmfex_vf_get_pci(vf), "driver", buf, sizeof(buf)));
	assert_int_equal(vmfex_vf_get_device_id(vf),
	                 hex(sysfs(vmfex_pf_get_pci(pf), "sriov_vf_device", buf, sizeof(buf))));
}

static void call_vf_refresh(struct vmfex_pf *pf, struct vmfex_vf *vf)
{
	assert_int_equal(vmfex_vf_refresh(vf), 0);
	assert_non_null(vmfex_vf_get_ifname(vf));
}

static void call_vf_bind_driver(struct vmfex_pf *pf, struct vmfex_vf *vf)
{
	char buf[64], def[64];

	strcpy(def, vmfex_vf_get_driver(vf));
	assert_int_equal(vmfex_vf_bind_driver(vf, "vfio-pci"), 0);
	assert_string_equal(sysfs_link(vmfex_vf_get_pci(vf), "driver", buf, sizeof(buf)), "vfio-pci");
	assert_string_equal(vmfex_vf_get_driver(vf), "vfio-pci");
	assert_null(vmfex_vf_get_ifname(vf));
	assert_int_equal(vmfex_vf_bind_driver(vf, NULL), 0);
	assert_string_equal(sysfs_link(vmfex_vf_get_pci(vf), "driver", buf, sizeof(buf)), def);
	assert_string_equal(vmfex_vf_get_driver(vf), def);
}

/* A VF setting, read back from the PF's link: ixgbe has them all, enic
 * only the MAC (the kernel's EOPNOTSUPP for the others). */
static struct vmfex_link_vf *link_vf(struct vmfex_pf *pf, struct vmfex_vf *vf,
                                     struct vmfex_link **link)
{
	assert_int_equal(vmfex_link_new_from_pf(pf, link), 0);
	return vmfex_link_find_vf(*link, vmfex_vf_get_index(vf));
}

static void call_vf_set_mac(struct vmfex_pf *pf, struct vmfex_vf *vf)
{
	struct vmfex_link *link;

	assert_int_equal(vmfex_vf_set_mac(vf, "02:00:00:00:aa:01"), 0);
	assert_string_equal(vmfex_link_vf_get_mac(link_vf(pf, vf, &link)), "02:00:00:00:aa:01");
	vmfex_link_unref(link);
}

/* ixgbe makes the setting, read back with get; enic refuses it. */
static void expect_setting(struct vmfex_pf *pf, struct vmfex_vf *vf, int r,
                           int (*get)(const struct vmfex_link_vf *), int want)
{
	struct vmfex_link *link;

	if (!ixgbe(pf)) {
		assert_int_equal(r, -EOPNOTSUPP);
		return;
	}
	assert_int_equal(r, 0);
	assert_int_equal(get(link_vf(pf, vf, &link)), want);
	vmfex_link_unref(link);
}

static int get_max_rate(const struct vmfex_link_vf *lv)
{
	return (int)vmfex_link_vf_get_max_rate(lv);
}

static void call_vf_set_vlan(struct vmfex_pf *pf, struct vmfex_vf *vf)
{
	expect_setting(pf, vf, vmfex_vf_set_vlan(vf, 25, 3, 0), vmfex_link_vf_get_vlan, 25);
}

static void call_vf_set_spoofchk(struct vmfex_pf *pf, struct vmfex_vf *vf)
{
	expect_setting(pf, vf, vmfex_vf_set_spoofchk(vf, false), vmfex_link_vf_get_spoofchk, 0);
}

static void call_vf_set_trust(struct vmfex_pf *pf, struct vmfex_vf *vf)
{
	expect_setting(pf, vf, vmfex_vf_set_trust(vf, true), vmfex_link_vf_get_trust, 1);
}

static void call_vf_set_link_state(struct vmfex_pf *pf, struct vmfex_vf *vf)
{
	expect_setting(pf, vf, vmfex_vf_set_link_state(vf, VMFEX_VF_LINK_STATE_DISABLE),
	               vmfex_link_vf_get_link_state, VMFEX_VF_LINK_STATE_DISABLE);
}

static void call_vf_set_rate(struct vmfex_pf *pf, struct vmfex_vf *vf)
{
	expect_setting(pf, vf, vmfex_vf_set_rate(vf, 100, 1000), get_max_rate, 1000);
}

/* The port's requests; the VIC associates, the 82599 has no ports. */
static void call_port(struct vmfex_pf *pf, struct vmfex_vf *vf)
{
	struct vmfex_port_opts o = { .sz = sizeof(o), .profile = PROFILE, .instance_uuid = VM };
	const struct vmfex_port_opts *ov[] = { &o };
	struct vmfex_port *port;
	int req = -1, resp = -1, results[1];
	void *msg;
	size_t len;

	assert_int_equal(vmfex_port_new_from_vf(vf, &port), 0);
	assert_ptr_equal(vmfex_port_ref(port), port);
	vmfex_port_unref(port);
	assert_string_equal(vmfex_port_get_ifname(port), vmfex_pf_get_ifname(pf));
	assert_int_equal(vmfex_port_get_vf_index(port), (int)vmfex_vf_get_index(vf));
	assert_int_equal(vmfex_port_build_request(port, VMFEX_PORT_REQUEST_ASSOCIATE, &o, &msg, &len), 0);
	assert_true(len > 0);
	free(msg);
	if (ixgbe(pf)) {
		assert_int_equal(vmfex_port_associate(port, &o), -EOPNOTSUPP);
		vmfex_port_unref(port);
		return;
	}
	assert_int_equal(vmfex_port_associate(port, &o), 0);
	assert_int_equal(vmfex_port_read_status(port, &req, &resp), 0);
	assert_int_equal(req, VMFEX_PORT_REQUEST_ASSOCIATE);
	assert_int_equal(resp, VMFEX_PORT_PROFILE_RESPONSE_SUCCESS);
	assert_int_equal(vmfex_port_get_last_response(port), VMFEX_PORT_PROFILE_RESPONSE_SUCCESS);
	assert_int_equal(vmfex_port_preassociate(port, &o), 0);
	assert_int_equal(vmfex_port_disassociate(port, NULL), 0);
	assert_int_equal(vmfex_port_associate_many(&port, ov, 1, results), 0);
	assert_int_equal(results[0], 0);
	assert_int_equal(vmfex_port_disassociate_many(&port, NULL, 1, results), 0);
	assert_int_equal(vmfex_port_read_status(port, &req, NULL), 0);
	assert_int_equal(req, VMFEX_PORT_REQUEST_DISASSOCIATE);
	vmfex_port_unref(port);
}

static void call_interface_for_vf(struct vmfex_pf *pf, struct vmfex_vf *vf)
{
	struct vmfex_xml_interface_opts o = {
		.sz = sizeof(o), .mac = "52:54:00:ac:ff:b6", .profileid = PROFILE,
		.topology = VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH,
	};
	char want[64], *xml;

	assert_int_equal(vmfex_xml_interface_for_vf(vf, NULL, &o, &xml), 0);
	snprintf(want, sizeof(want), "dev=\"%s\"", vmfex_vf_get_ifname(vf));
	assert_non_null(strstr(xml, want));
	free(xml);
}

/* The VF behind a domain's interface is the object in hand. */
static void call_vf_new_from_xml_iface(struct vmfex_pf *pf, struct vmfex_vf *vf)
{
	struct vmfex_xml_domain *dom;
	struct vmfex_xml_iface *iface;
	struct vmfex_vf *got;
	char xml[512];

	snprintf(xml, sizeof(xml),
	         "<domain type='kvm'><name>web</name><devices><interface type='direct'>"
	         "<source dev='%s' mode='passthrough'/></interface></devices></domain>",
	         vmfex_vf_get_ifname(vf));
	assert_int_equal(vmfex_xml_domain_new_from_buffer(T->f.ctx, xml, strlen(xml), &dom), 0);
	iface = vmfex_xml_domain_next_iface(dom, NULL);
	assert_non_null(iface);
	assert_int_equal(vmfex_vf_new_from_xml_iface(iface, &got), 0);
	assert_ptr_equal(got, vf);
	vmfex_vf_unref(got);
	vmfex_xml_domain_unref(dom);
}

static void call_sim(struct vmfex_pf *pf, struct vmfex_vf *vf)
{
	struct vmfex_sim_inject_opts o = { .sz = sizeof(o), .count = 0, .error = EBUSY };
	unsigned int ms;

	assert_int_equal(vmfex_sim_set_latency(T->f.ctx, 1), 0);
	assert_int_equal(vmfex_sim_read_latency(T->f.ctx, &ms), 0);
	assert_int_equal(ms, 1);
	assert_int_equal(vmfex_sim_set_latency(T->f.ctx, 0), 0);
	assert_int_equal(vmfex_sim_inject(T->f.ctx, &o), 0);
}

/* The context's own calls, and the PF's netdev port through it. */
static void call_ctx(struct vmfex_pf *pf, struct vmfex_vf *vf)
{
	struct vmfex_ctx *ctx = T->f.ctx;
	struct vmfex_port *port;
	int cookie;

	assert_ptr_equal(vmfex_ref(ctx), ctx);
	assert_null(vmfex_unref(ctx));
	vmfex_set_log_priority(ctx, LOG_DEBUG);
	assert_int_equal(vmfex_get_log_priority(ctx), LOG_DEBUG);
	vmfex_set_log_priority(ctx, LOG_ERR);
	vmfex_set_userdata(ctx, &cookie);
	assert_ptr_equal(vmfex_get_userdata(ctx), &cookie);
	vmfex_set_userdata(ctx, NULL);
	assert_string_equal(vmfex_get_sim_dir(ctx), T->f.dir);
	assert_non_null(strstr(vmfex_get_sysfs_root(ctx), T->f.dir));
	assert_int_equal(vmfex_port_new_self(ctx, vmfex_pf_get_ifname(pf), &port), 0);
	assert_string_equal(vmfex_port_get_ifname(port), vmfex_pf_get_ifname(pf));
	assert_int_equal(vmfex_port_get_vf_index(port), -1);
	vmfex_port_unref(port);
}

struct call {
	const char *name;
	void (*fn)(struct vmfex_pf *pf, struct vmfex_vf *vf);
};

static const struct call calls[] = {
	{ "nested walk, advisor, topology, port check, attach", call_pf_next },
	{ "vmfex_pf_new_from_pci/ifname/name", call_pf_lookups },
	{ "vmfex_pf_ref/unref/get_ctx", call_pf_ref },
	{ "vmfex_pf_get_*", call_pf_getters },
	{ "vmfex_pf_read_vendor_name/device_name/model", call_pf_names },
	{ "vmfex_pf_refresh", call_pf_refresh },
	{ "vmfex_pf_lookup_vf", call_pf_lookup_vf },
	{ "vmfex_pf_set_num_vfs", call_pf_set_num_vfs },
	{ "vmfex_link_new_from_pf, vmfex_link_new_from_ifname", call_link_new_from_pf },
	{ "vmfex_xml_network_for_pf", call_network_for_pf },
	{ "vmfex_vf_reserve/release", call_reserve_release },
	{ "vmfex_advisor_check (one PF)", call_advisor_pf },
	{ "vmfex_topology_write_dot (one PF)", call_topology_pf },
	{ "lease list, reclaim, migration finish, detach", call_workflows },
	{ "vmfex_vf_new_from_pci/ifname", call_vf_lookups },
	{ "vmfex_vf_ref/unref/get_pf", call_vf_ref },
	{ "vmfex_vf_get_*", call_vf_getters },
	{ "vmfex_vf_refresh", call_vf_refresh },
	{ "vmfex_vf_bind_driver", call_vf_bind_driver },
	{ "vmfex_vf_set_mac", call_vf_set_mac },
	{ "vmfex_vf_set_vlan", call_vf_set_vlan },
	{ "vmfex_vf_set_spoofchk", call_vf_set_spoofchk },
	{ "vmfex_vf_set_trust", call_vf_set_trust },
	{ "vmfex_vf_set_link_state", call_vf_set_link_state },
	{ "vmfex_vf_set_rate", call_vf_set_rate },
	{ "vmfex_port_*", call_port },
	{ "vmfex_xml_interface_for_vf", call_interface_for_vf },
	{ "vmfex_vf_new_from_xml_iface", call_vf_new_from_xml_iface },
	{ "vmfex_sim_*", call_sim },
	{ "context calls, vmfex_port_new_self", call_ctx },
};

/* The call inside a PF walk, with the PF's first VF. */
static void in_pf_walk(void **state)
{
	const struct call *c = *state;
	struct vmfex_pf *pf;
	size_t n = 0;

	vmfex_pf_foreach(T->f.ctx, pf) {
		assert_true(n < N_PFS);
		assert_string_equal(vmfex_pf_get_pci(pf), pf_addrs[n]);
		c->fn(pf, vmfex_pf_next_vf(pf, NULL));
		assert_string_equal(vmfex_pf_get_pci(pf), pf_addrs[n]);
		n++;
	}
	assert_int_equal(n, N_PFS);
}

/* The call on every VF, inside the VF walk inside a PF walk. */
static void in_vf_walk(void **state)
{
	const struct call *c = *state;
	struct vmfex_pf *pf;
	struct vmfex_vf *vf;
	size_t n = 0;

	vmfex_pf_foreach(T->f.ctx, pf) {
		unsigned int i = 0;

		assert_true(n < N_PFS);
		assert_string_equal(vmfex_pf_get_pci(pf), pf_addrs[n]);
		vmfex_pf_foreach_vf(pf, vf) {
			assert_int_equal(vmfex_vf_get_index(vf), i);
			c->fn(pf, vf);
			assert_int_equal(vmfex_vf_get_index(vf), i);
			assert_ptr_equal(vmfex_vf_get_pf(vf), pf);
			i++;
		}
		assert_int_equal(i, pf_vfs[n]);
		n++;
	}
	assert_int_equal(n, N_PFS);
}

/* One host for the whole group, in T: cmocka hands each test its call as
 * the state, which a group state would replace. */
static int group_setup(void **state)
{
	void *t;

	if (setup(&t) < 0)
		return -1;
	T = t;
	*state = NULL;
	return 0;
}

static int group_teardown(void **state)
{
	void *t = T;

	return teardown(&t);
}

int main(void)
{
	struct CMUnitTest tests[2 + 2 * ARRAY_LEN(calls)];
	size_t n = 0;

	tests[n++] = (struct CMUnitTest)cmocka_unit_test(nested_workflows);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(vf_count_changes);
	for (size_t i = 0; i < ARRAY_LEN(calls); i++) {
		static char names[2 * ARRAY_LEN(calls)][96];

		snprintf(names[2 * i], sizeof(names[0]), "in a PF walk: %s", calls[i].name);
		snprintf(names[2 * i + 1], sizeof(names[0]), "in a VF walk: %s", calls[i].name);
		tests[n++] = (struct CMUnitTest){ names[2 * i], in_pf_walk, NULL, NULL,
		                                  (void *)&calls[i] };
		tests[n++] = (struct CMUnitTest){ names[2 * i + 1], in_vf_walk, NULL, NULL,
		                                  (void *)&calls[i] };
	}
	return _cmocka_run_group_tests("walk", tests, n, group_setup, group_teardown);
}
