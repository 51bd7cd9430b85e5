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
#define N_PFS ARRAY_LEN(pf_addrs)
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
/* VFs per PF, in pf_addrs order, as the host description enables them. */
static const unsigned int pf_vfs[] = { 4, 4, 4, 2 };

struct walk_test {
	struct sim_fixture f;
	struct vmfex_catalog *cat;
};

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
	struct walk_test *t = *state;
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(nested_workflows, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
