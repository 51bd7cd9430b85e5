/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The advisor on simulated hosts: every VIC model of the guide's list of
 * VICs without SR-IOV with VM-FEX refused, others accepted, each topology
 * and its host requirements, the VF count, the 116-vNIC limit, the FI. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../sim/sim-fixture.h"

#include <libvmfex/advisor.h>
#include <libvmfex/workflow.h>

struct host {
	unsigned int subsystem;
	bool iommu;
	bool vfio;
	bool vf_netdev;       /* VFs probed by enic, with a netdev */
	unsigned int vfs;
	unsigned int pfs;
};

static void open_host(struct sim_fixture *f, const struct host *h)
{
	char desc[2048];
	size_t n;

	n = (size_t)snprintf(desc, sizeof(desc),
	    "{\"iommu\": %s, \"drivers\": ["
	    "{\"name\": \"enic\", \"vf_ops\": [\"mac\"], \"vf_port\": true}%s],"
	    "\"devices\": [",
	    h->iommu ? "true" : "false",
	    h->vfio ? ", {\"name\": \"vfio-pci\", \"netdev\": false, \"needs_iommu\": true}" : "");
	for (unsigned int i = 0; i < (h->pfs ? h->pfs : 1); i++)
		n += (size_t)snprintf(desc + n, sizeof(desc) - n,
		    "%s{\"pci\": \"0000:%02x:00.0\", \"vendor\": \"0x1137\", \"device\": \"0x0043\","
		    "\"subsystem_vendor\": \"0x1137\", \"subsystem_device\": \"0x%04x\","
		    "\"driver\": \"enic\", \"ifname\": \"enp%us0\","
		    "\"sriov\": {\"total_vfs\": %u, \"num_vfs\": %u, \"vf_device\": \"0x0071\"%s}}",
		    i ? "," : "", 0x0a + i, h->subsystem, 0x0a + i, h->vfs ? h->vfs : 1, h->vfs,
		    h->vf_netdev ? ", \"vf_driver\": \"enic\"" : "");
	snprintf(desc + n, sizeof(desc) - n, "]}");
	assert_int_equal(sim_fixture_open(f, desc), 0);
}

static struct vmfex_findings *check(struct sim_fixture *f, unsigned int vms,
                                    enum vmfex_xml_topology t, const char *fi)
{
	struct vmfex_advisor_opts o = { .sz = sizeof(o), .vms = vms, .topology = t, .fi_model = fi };
	struct vmfex_findings *l = NULL;

	assert_int_equal(vmfex_advisor_check(f->ctx, &o, &l), 0);
	assert_non_null(l);
	return l;
}

/* The finding with this code (the first), or NULL. */
static struct vmfex_finding *find(struct vmfex_findings *l, const char *code)
{
	struct vmfex_finding *x;

	vmfex_findings_foreach(l, x)
		if (strcmp(vmfex_finding_get_code(x), code) == 0)
			return x;
	return NULL;
}

static void assert_finding(struct vmfex_findings *l, const char *code, enum vmfex_severity sev)
{
	struct vmfex_finding *x = find(l, code);

	if (!x)
		fail_msg("no finding %s", code);
	assert_int_equal(vmfex_finding_get_severity(x), sev);
	assert_non_null(vmfex_finding_get_reason(x));
	assert_null(strchr(vmfex_finding_get_reason(x), '\n'));
	assert_non_null(vmfex_finding_get_action(x));
}

static const struct { unsigned int id; const char *name; } refused[] = {
	{ 0x004f, "1280" }, { 0x0084, "1240" }, { 0x0085, "1225" }, { 0x00ce, "1225T" },
	{ 0x012e, "1227" }, { 0x012c, "1340" }, { 0x0137, "1380" }, { 0x014d, "1385" },
	{ 0x015d, "1387" }, { 0x0215, "1440" }, { 0x0216, "1480" }, { 0x0217, "1455" },
	{ 0x0218, "1457" },
};

static const struct { unsigned int id; const char *name; } accepted[] = {
	{ 0x0048, "M81KR" }, { 0x0047, "P81E" }, { 0x00cd, "1285" }, { 0x0219, "1485" },
	{ 0x021a, "1487" },
};

static void test_models_refused(void **state)
{
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		struct host h = { .subsystem = refused[i].id, .vfs = 4 };
		struct sim_fixture f;
		struct vmfex_findings *l;
		struct vmfex_finding *x;

		open_host(&f, &h);
		l = check(&f, 0, 0, NULL);
		x = find(l, "vic-no-sriov-vmfex");
		if (!x)
			fail_msg("VIC %s (0x%04x) not refused", refused[i].name, refused[i].id);
		assert_int_equal(vmfex_finding_get_severity(x), VMFEX_SEVERITY_ERROR);
		assert_string_equal(vmfex_finding_get_subject(x), "0000:0a:00.0");
		assert_non_null(strstr(vmfex_finding_get_reason(x), refused[i].name));
		assert_null(find(l, "vic-model"));
		assert_int_equal(vmfex_findings_get_max_severity(l), VMFEX_SEVERITY_ERROR);
		vmfex_findings_unref(l);
		sim_fixture_close(&f);
	}
}

static void test_models_accepted(void **state)
{
	for (size_t i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++) {
		struct host h = { .subsystem = accepted[i].id, .vfs = 4 };
		struct sim_fixture f;
		struct vmfex_findings *l;
		struct vmfex_finding *x;

		open_host(&f, &h);
		l = check(&f, 0, 0, "6248UP");
		x = find(l, "vic-model");
		if (!x)
			fail_msg("VIC %s (0x%04x) not accepted", accepted[i].name, accepted[i].id);
		assert_int_equal(vmfex_finding_get_severity(x), VMFEX_SEVERITY_INFO);
		assert_non_null(strstr(vmfex_finding_get_reason(x), accepted[i].name));
		assert_null(find(l, "vic-no-sriov-vmfex"));
		assert_int_equal(vmfex_findings_get_max_severity(l), VMFEX_SEVERITY_INFO);
		vmfex_findings_unref(l);
		sim_fixture_close(&f);
	}
}

static void test_model_unknown(void **state)
{
	struct host h = { .subsystem = 0x1234, .vfs = 4 };
	struct sim_fixture f;
	struct vmfex_findings *l;

	open_host(&f, &h);
	l = check(&f, 0, 0, NULL);
	assert_finding(l, "vic-model-unknown", VMFEX_SEVERITY_WARNING);
	vmfex_findings_unref(l);
	sim_fixture_close(&f);
}

static void test_vf_count(void **state)
{
	struct host h = { .subsystem = 0x00cd, .vfs = 8, .pfs = 2 };
	struct sim_fixture f;
	struct vmfex_findings *l;

	open_host(&f, &h);
	l = check(&f, 16, 0, NULL);
	assert_finding(l, "vfs-enough", VMFEX_SEVERITY_INFO);
	assert_null(find(l, "vfs-short"));
	vmfex_findings_unref(l);
	l = check(&f, 17, 0, NULL);
	assert_finding(l, "vfs-short", VMFEX_SEVERITY_ERROR);
	assert_non_null(strstr(vmfex_finding_get_reason(find(l, "vfs-short")), "17 VMs planned but only 16"));
	vmfex_findings_unref(l);
	sim_fixture_close(&f);
}

static void test_vf_count_profile(void **state)
{
	struct host h = { .subsystem = 0x00cd, .vfs = 4, .vf_netdev = true };
	struct vmfex_port_opts po = { .sz = sizeof(po), .profile = "web",
	                              .instance_uuid = "8f4b5b4e-6b8b-4a4b-9d8a-3b4b5b6b7b8b",
	                              .mac = "52:54:00:12:34:56" };
	struct vmfex_reserve_opts ro = { .sz = sizeof(ro), .vm_uuid = "1b7c9f5e-3d2a-4c6b-8e9f-0a1b2c3d4e5f",
	                                 .vm_name = "vm1", .confirm = true };
	struct sim_fixture f;
	struct vmfex_findings *l;
	struct vmfex_port *port;
	struct vmfex_pf *pf;
	struct vmfex_vf *vf;

	open_host(&f, &h);
	assert_int_equal(vmfex_pf_new_from_name(f.ctx, "enp10s0", &pf), 0);
	assert_int_equal(vmfex_pf_lookup_vf(pf, 1, &vf), 0);
	assert_int_equal(vmfex_port_new_from_vf(vf, &port), 0);
	if (vmfex_port_associate(port, &po) != 0)
		fail_msg("associate: %s", f.log);
	l = check(&f, 4, 0, NULL);
	assert_finding(l, "vfs-short", VMFEX_SEVERITY_ERROR);
	assert_non_null(strstr(vmfex_finding_get_reason(find(l, "vfs-short")), "only 3 VFs"));
	vmfex_findings_unref(l);
	vmfex_vf_unref(vf);

	/* a VF leased by the VF allocator is taken too; a VF both leased and
	 * associated counts once */
	if (vmfex_vf_reserve(pf, &ro, &vf) != 0)
		fail_msg("reserve: %s", f.log);
	assert_int_equal(vmfex_vf_get_index(vf), 0);
	l = check(&f, 2, 0, NULL);
	assert_finding(l, "vfs-enough", VMFEX_SEVERITY_INFO);
	assert_non_null(strstr(vmfex_finding_get_reason(find(l, "vfs-enough")), "2 VFs are free"));
	vmfex_findings_unref(l);
	vmfex_port_unref(port);
	vmfex_vf_unref(vf);
	vmfex_pf_unref(pf);
	sim_fixture_close(&f);
}

static void test_vnic_limit(void **state)
{
	struct host h = { .subsystem = 0x00cd, .vfs = 100 };
	struct sim_fixture f;
	struct vmfex_findings *l;

	open_host(&f, &h);
	l = check(&f, 100, 0, NULL);
	assert_null(find(l, "vnic-limit"));
	vmfex_findings_unref(l);
	sim_fixture_close(&f);

	h.vfs = 120;
	open_host(&f, &h);
	l = check(&f, 0, 0, NULL);
	assert_finding(l, "vnic-limit", VMFEX_SEVERITY_WARNING);
	assert_non_null(strstr(vmfex_finding_get_reason(find(l, "vnic-limit")), "121 vNICs"));
	vmfex_findings_unref(l);
	sim_fixture_close(&f);
}

static void test_hostdev(void **state)
{
	struct host h = { .subsystem = 0x0048, .vfs = 4, .iommu = true, .vfio = true };
	struct sim_fixture f;
	struct vmfex_findings *l;

	open_host(&f, &h);
	l = check(&f, 2, VMFEX_XML_TOPOLOGY_HOSTDEV, NULL);
	assert_finding(l, "no-live-migration", VMFEX_SEVERITY_WARNING);
	assert_null(find(l, "vf-no-iommu-group"));
	assert_null(find(l, "no-vfio-pci"));
	assert_int_equal(vmfex_findings_get_max_severity(l), VMFEX_SEVERITY_WARNING);
	vmfex_findings_unref(l);
	sim_fixture_close(&f);

	h.iommu = false;
	h.vfio = false;
	open_host(&f, &h);
	l = check(&f, 2, VMFEX_XML_TOPOLOGY_HOSTDEV, NULL);
	assert_finding(l, "vf-no-iommu-group", VMFEX_SEVERITY_ERROR);
	assert_non_null(strstr(vmfex_finding_get_reason(find(l, "vf-no-iommu-group")), "4 of 4"));
	assert_finding(l, "no-vfio-pci", VMFEX_SEVERITY_ERROR);
	vmfex_findings_unref(l);
	sim_fixture_close(&f);
}

static void test_passthrough(void **state)
{
	struct host h = { .subsystem = 0x0047, .vfs = 4, .vf_netdev = true };
	struct sim_fixture f;
	struct vmfex_findings *l;

	open_host(&f, &h);
	l = check(&f, 2, VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH, NULL);
	assert_finding(l, "live-migration", VMFEX_SEVERITY_INFO);
	assert_null(find(l, "vf-no-netdev"));
	assert_null(find(l, "no-vfio-pci"));
	vmfex_findings_unref(l);
	sim_fixture_close(&f);

	h.vf_netdev = false;
	open_host(&f, &h);
	l = check(&f, 2, VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH, NULL);
	assert_finding(l, "vf-no-netdev", VMFEX_SEVERITY_ERROR);
	vmfex_findings_unref(l);
	sim_fixture_close(&f);
}

static void test_private_and_fi(void **state)
{
	struct host h = { .subsystem = 0x0047, .vfs = 4, .vf_netdev = true };
	struct sim_fixture f;
	struct vmfex_findings *l;

	open_host(&f, &h);
	l = check(&f, 1, VMFEX_XML_TOPOLOGY_MACVTAP_PRIVATE, "UCS-FI-6454");
	assert_finding(l, "macvtap-private-unsupported", VMFEX_SEVERITY_ERROR);
	assert_non_null(strstr(vmfex_finding_get_reason(find(l, "macvtap-private-unsupported")), "2.1"));
	assert_finding(l, "fi-no-vmfex", VMFEX_SEVERITY_ERROR);
	vmfex_findings_unref(l);
	l = check(&f, 1, 0, NULL);
	assert_finding(l, "fi-unknown", VMFEX_SEVERITY_INFO);
	assert_finding(l, "topology-none", VMFEX_SEVERITY_INFO);
	vmfex_findings_unref(l);
	l = check(&f, 1, 0, "UCS-FI-6332");
	assert_finding(l, "fi-model", VMFEX_SEVERITY_INFO);
	vmfex_findings_unref(l);
	sim_fixture_close(&f);
}

static void test_no_vic_and_args(void **state)
{
	struct sim_fixture f;
	struct vmfex_findings *l = NULL, *r;
	struct vmfex_advisor_opts o = { .sz = sizeof(o), .pf = "enp7s0f0" };
	struct {
		struct vmfex_advisor_opts o;
		int extra;
	} big = { .o = { .sz = sizeof(big) }, .extra = 1 };

	assert_int_equal(sim_fixture_open(&f, "mixed-82599-virtio.json"), 0);
	l = check(&f, 0, 0, NULL);
	assert_finding(l, "no-vic", VMFEX_SEVERITY_ERROR);
	assert_int_equal(vmfex_findings_get_count(l), 2);  /* no-vic, fi-unknown */
	r = vmfex_findings_ref(l);
	assert_ptr_equal(r, l);
	assert_null(vmfex_findings_unref(l));
	assert_null(vmfex_findings_unref(l));
	l = NULL;

	assert_int_equal(vmfex_advisor_check(f.ctx, NULL, NULL), -EINVAL);
	assert_int_equal(vmfex_advisor_check(f.ctx, &big.o, &l), -EINVAL);
	assert_null(l);
	o.topology = 7;
	assert_int_equal(vmfex_advisor_check(f.ctx, &o, &l), -EINVAL);
	o.topology = 0;
	o.pf = "nosuch0";
	assert_true(vmfex_advisor_check(f.ctx, &o, &l) < 0);
	assert_null(l);
	assert_non_null(strstr(f.log, "nosuch0"));
	assert_null(vmfex_findings_next(NULL, NULL));
	assert_int_equal(vmfex_findings_get_count(NULL), 0);
	assert_string_equal(vmfex_severity_to_string(VMFEX_SEVERITY_WARNING), "warning");
	assert_null(vmfex_severity_to_string((enum vmfex_severity)9));
	sim_fixture_close(&f);
}

static void test_pf_option(void **state)
{
	struct sim_fixture f;
	struct vmfex_findings *l = NULL;
	struct vmfex_advisor_opts o = { .sz = sizeof(o), .pf = "enp11s0f0" };
	struct vmfex_finding *x;
	size_t models = 0;

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	assert_int_equal(vmfex_advisor_check(f.ctx, &o, &l), 0);
	vmfex_findings_foreach(l, x)
		if (strcmp(vmfex_finding_get_code(x), "vic-no-sriov-vmfex") == 0) {
			models++;
			assert_string_equal(vmfex_finding_get_subject(x), "0000:0b:00.0");
		}
	assert_int_equal(models, 1);
	vmfex_findings_unref(l);
	sim_fixture_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_models_refused),
		cmocka_unit_test(test_models_accepted),
		cmocka_unit_test(test_model_unknown),
		cmocka_unit_test(test_vf_count),
		cmocka_unit_test(test_vf_count_profile),
		cmocka_unit_test(test_vnic_limit),
		cmocka_unit_test(test_hostdev),
		cmocka_unit_test(test_passthrough),
		cmocka_unit_test(test_private_and_fi),
		cmocka_unit_test(test_no_vic_and_args),
		cmocka_unit_test(test_pf_option),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
