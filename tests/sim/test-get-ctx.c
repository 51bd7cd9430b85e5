/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Every object type answers _get_ctx with the context it was made in:
 * two contexts side by side, so an object handing back the wrong one
 * (or a global) fails. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sim-fixture.h"

#define HOST                                                                                 \
	"{ \"iommu\": true, \"dmi_product_uuid\": \"4c4c4544-0042-4810-8052-b4c04f4d3132\","    \
	"  \"drivers\": ["                                                                  \
	"    { \"name\": \"enic\", \"vf_ops\": [\"mac\"], \"vf_port\": true } ],"               \
	"  \"devices\": ["                                                                  \
	"    { \"pci\": \"0000:0a:00.0\", \"vendor\": \"0x1137\", \"device\": \"0x0043\","     \
	"      \"subsystem_vendor\": \"0x1137\", \"subsystem_device\": \"0x0084\","             \
	"      \"driver\": \"enic\", \"ifname\": \"enp10s0f0\","                                \
	"      \"sriov\": { \"total_vfs\": 2, \"num_vfs\": 2, \"vf_device\": \"0x0071\","       \
	"                   \"vf_driver\": \"enic\" } } ] }"

#define NET "<network><name>vic</name><forward mode='passthrough'><pf dev='enp10s0f0'/>" \
	    "</forward></network>"
#define DOM "<domain type='kvm'><name>web</name></domain>"

static void check_objects(struct vmfex_ctx *ctx)
{
	struct vmfex_pf *pf;
	struct vmfex_vf *vf;
	struct vmfex_link *link;
	struct vmfex_port *port;
	struct vmfex_catalog *cat;
	struct vmfex_cluster *cl;
	struct vmfex_profile *p;
	struct vmfex_xml_network *net;
	struct vmfex_xml_domain *dom;
	struct vmfex_lease_list *leases;
	struct vmfex_findings *findings;

	assert_int_equal(vmfex_pf_new_from_pci(ctx, "0000:0a:00.0", &pf), 0);
	assert_ptr_equal(vmfex_pf_get_ctx(pf), ctx);
	assert_int_equal(vmfex_pf_lookup_vf(pf, 1, &vf), 0);
	assert_ptr_equal(vmfex_vf_get_ctx(vf), ctx);
	assert_int_equal(vmfex_link_new_from_pf(pf, &link), 0);
	assert_ptr_equal(vmfex_link_get_ctx(link), ctx);
	assert_int_equal(vmfex_port_new_from_vf(vf, &port), 0);
	assert_ptr_equal(vmfex_port_get_ctx(port), ctx);

	assert_int_equal(vmfex_catalog_new(ctx, &cat), 0);
	assert_ptr_equal(vmfex_catalog_get_ctx(cat), ctx);
	assert_int_equal(vmfex_catalog_add_cluster(cat, "east", &cl), 0);
	assert_ptr_equal(vmfex_cluster_get_ctx(cl), ctx);
	assert_int_equal(vmfex_catalog_add_profile(cat, "pp-web", &p), 0);
	assert_ptr_equal(vmfex_profile_get_ctx(p), ctx);

	assert_int_equal(vmfex_xml_network_new_from_buffer(ctx, NET, strlen(NET), &net), 0);
	assert_ptr_equal(vmfex_xml_network_get_ctx(net), ctx);
	assert_int_equal(vmfex_xml_domain_new_from_buffer(ctx, DOM, strlen(DOM), &dom), 0);
	assert_ptr_equal(vmfex_xml_domain_get_ctx(dom), ctx);
	assert_int_equal(vmfex_lease_list_new(ctx, &leases), 0);
	assert_ptr_equal(vmfex_lease_list_get_ctx(leases), ctx);
	assert_int_equal(vmfex_advisor_check(ctx, NULL, &findings), 0);
	assert_ptr_equal(vmfex_findings_get_ctx(findings), ctx);

	vmfex_findings_unref(findings);
	vmfex_lease_list_unref(leases);
	vmfex_xml_domain_unref(dom);
	vmfex_xml_network_unref(net);
	vmfex_profile_unref(p);
	vmfex_cluster_unref(cl);
	vmfex_catalog_unref(cat);
	vmfex_port_unref(port);
	vmfex_link_unref(link);
	vmfex_vf_unref(vf);
	vmfex_pf_unref(pf);
}

static void test_get_ctx(void **state)
{
	struct sim_fixture a = { 0 }, b = { 0 };

	(void)state;
	assert_int_equal(sim_fixture_open(&a, HOST), 0);
	assert_int_equal(sim_fixture_open(&b, HOST), 0);
	assert_ptr_not_equal(a.ctx, b.ctx);
	check_objects(a.ctx);
	check_objects(b.ctx);
	sim_fixture_close(&b);
	sim_fixture_close(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_ctx),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
