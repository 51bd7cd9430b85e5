/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The UCS Manager importer on the sample responses of examples/ucsm:
 * values, VLAN ids (from fabricVlan or vnet), clients and clusters,
 * unknown classes and attributes ignored, invalid values refused with
 * the object's dn, and a failed import leaving the catalog unchanged. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <libvmfex/libvmfex.h>

static char last_log[2048];

static void capture_log(void *data, int priority, const char *file, int line, const char *fn,
                        const char *format, va_list args)
{
	if (priority <= 3)
		vsnprintf(last_log, sizeof(last_log), format, args);
}

static struct vmfex_ctx *ctx;

static int setup(void **state)
{
	struct vmfex_new_opts o = { .sz = sizeof(o), .sysfs_root = "/nonexistent", .ignore_env = 1 };

	assert_int_equal(vmfex_new_with_opts(&o, &ctx), 0);
	vmfex_set_log_fn(ctx, capture_log, NULL);
	return 0;
}

static int teardown(void **state)
{
	vmfex_unref(ctx);
	return 0;
}

static char sample_path[512];

static const char *sample(const char *name)
{
	snprintf(sample_path, sizeof(sample_path), "%s/examples/ucsm/%s", getenv("VMFEX_SRCDIR"),
	         name);
	return sample_path;
}

static char *catalog_bytes(struct vmfex_catalog *c, size_t *len)
{
	char *b;

	assert_int_equal(vmfex_catalog_write_buffer(c, &b, len), 0);
	return b;
}

static void resolve_class(void **state)
{
	struct vmfex_catalog *c;
	struct vmfex_profile *p;
	struct vmfex_vlan *v;

	assert_int_equal(vmfex_catalog_new(ctx, &c), 0);
	assert_int_equal(vmfex_catalog_import_ucsm_file(c, sample("configResolveClass-vnicProfile.xml")),
	                 3);
	assert_int_equal(vmfex_catalog_get_n_profiles(c), 3);

	assert_int_equal(vmfex_catalog_get_profile(c, "pp-vlan-25", &p), 0);
	assert_string_equal(vmfex_profile_get_descr(p), "Web tier, VLAN 25 (hostdev)");
	assert_int_equal(vmfex_profile_get_host_nw_io_perf(p), VMFEX_HOST_NW_IO_PERF_HIGH_PERF_REQD);
	assert_int_equal(vmfex_profile_get_topology(p), VMFEX_TOPOLOGY_HOSTDEV);
	assert_int_equal(vmfex_profile_get_max_ports(p), 64);
	assert_string_equal(vmfex_profile_get_qos_policy(p), "gold");
	assert_string_equal(vmfex_profile_get_nw_ctrl_policy(p), "cdp-enabled");
	assert_null(vmfex_profile_get_pin_group(p));
	assert_string_equal(vmfex_profile_get_uuid(p), "6a7d2b1e-4f3c-4e8a-9b5d-0c1e2f3a4b5c");
	v = vmfex_profile_next_vlan(p, NULL);
	assert_string_equal(vmfex_vlan_get_name(v), "vlan-25");
	assert_int_equal(vmfex_vlan_get_id(v), 25);
	assert_true(vmfex_vlan_is_native(v));
	assert_null(vmfex_profile_next_vlan(p, v));
	assert_string_equal(vmfex_profile_next_client(p, NULL), "default");
	vmfex_profile_unref(p);

	assert_int_equal(vmfex_catalog_get_profile(c, "pp-app", &p), 0);
	assert_int_equal(vmfex_profile_get_max_ports(p), 128);
	assert_string_equal(vmfex_profile_get_pin_group(p), "pin-fi-a");
	v = vmfex_profile_next_vlan(p, NULL);
	assert_string_equal(vmfex_vlan_get_name(v), "vlan-30");
	assert_true(vmfex_vlan_is_native(v));
	v = vmfex_profile_next_vlan(p, v);
	assert_int_equal(vmfex_vlan_get_id(v), 31);
	assert_false(vmfex_vlan_is_native(v));
	/* swName="All": the default cluster. */
	assert_string_equal(vmfex_profile_next_client(p, NULL), "default");
	vmfex_profile_unref(p);
	vmfex_catalog_unref(c);
}

static void resolve_dn(void **state)
{
	struct vmfex_catalog *c;
	struct vmfex_profile *p;
	struct vmfex_cluster *cl;

	assert_int_equal(vmfex_catalog_new(ctx, &c), 0);
	assert_int_equal(vmfex_catalog_import_ucsm_file(c, sample("configResolveDn-fabric-lan-profiles.xml")),
	                 2);
	assert_int_equal(vmfex_catalog_get_profile(c, "pp-mgmt", &p), 0);
	assert_int_equal(vmfex_profile_get_type(p), VMFEX_PROFILE_TYPE_SLA_ONLY);
	assert_int_equal(vmfex_profile_get_max_ports(p), 4096);
	assert_int_equal(vmfex_vlan_get_id(vmfex_profile_next_vlan(p, NULL)), 0); /* unknown */
	/* The client's switch became a cluster of the catalog. */
	assert_string_equal(vmfex_profile_next_client(p, NULL), "rack-2");
	assert_int_equal(vmfex_catalog_get_cluster(c, "rack-2", &cl), 0);
	vmfex_cluster_unref(cl);
	vmfex_profile_unref(p);

	/* A later import replaces the profile, with the VLAN id of fabricVlan. */
	assert_int_equal(vmfex_catalog_import_ucsm_file(c, sample("configResolveDn-fabric-lan.xml")), 1);
	assert_int_equal(vmfex_catalog_get_n_profiles(c), 2);
	assert_int_equal(vmfex_catalog_get_profile(c, "pp-mgmt", &p), 0);
	assert_int_equal(vmfex_profile_get_type(p), VMFEX_PROFILE_TYPE_REGULAR);
	assert_int_equal(vmfex_vlan_get_id(vmfex_profile_next_vlan(p, NULL)), 42);
	vmfex_profile_unref(p);
	vmfex_catalog_unref(c);
}

#define RESP(body) "<configResolveClass response=\"yes\" classId=\"vnicProfile\"><outConfigs>" body "</outConfigs></configResolveClass>"
#define DN "fabric/lan/profiles/vnic-"

static int import_str(struct vmfex_catalog *c, const char *s)
{
	return vmfex_catalog_import_ucsm(c, s, strlen(s));
}

static void refused(struct vmfex_catalog *c, const char *doc, const char *dn, const char *value)
{
	char *before, *after;
	size_t lb, la;

	before = catalog_bytes(c, &lb);
	last_log[0] = '\0';
	assert_int_equal(import_str(c, doc), -EINVAL);
	if (dn && !strstr(last_log, dn))
		fail_msg("'%s' does not name %s", last_log, dn);
	if (value && !strstr(last_log, value))
		fail_msg("'%s' does not quote %s", last_log, value);
	after = catalog_bytes(c, &la);
	assert_int_equal(la, lb);
	assert_memory_equal(after, before, lb);
	free(before);
	free(after);
}

static void invalid_values(void **state)
{
	struct vmfex_catalog *c;
	/* A good profile first: it must not be imported either. */
	const char *good = "<vnicProfile dn=\"" DN "good\" name=\"good\" maxPorts=\"8\"/>";
	char doc[2048];

	assert_int_equal(vmfex_catalog_new(ctx, &c), 0);
	assert_int_equal(import_str(c, RESP("<vnicProfile dn=\"" DN "keep\" name=\"keep\"/>")), 1);

#define BAD(attrs, dn, value)                                                               \
	do {                                                                                \
		snprintf(doc, sizeof(doc), RESP("%s<vnicProfile dn=\"%s\" %s/>"), good, dn, \
		         attrs);                                                            \
		refused(c, doc, dn, value);                                                 \
	} while (0)

	BAD("name=\"x\" maxPorts=\"0\"", DN "x", "'0'");
	BAD("name=\"x\" maxPorts=\"4097\"", DN "x", "'4097'");
	BAD("name=\"x\" maxPorts=\"sixty\"", DN "x", "'sixty'");
	BAD("name=\"x\" maxPorts=\"-1\"", DN "x", "'-1'");
	BAD("name=\"x\" hostNwIOPerf=\"fast\"", DN "x", "'fast'");
	BAD("name=\"x\" type=\"premium\"", DN "x", "'premium'");
	BAD("name=\"x\" qosPolicyName=\"abcdefghijklmnopq\"", DN "x", "abcdefghijklmnopq");
	BAD("name=\"x\" nwCtrlPolicyName=\"a b\"", DN "x", "'a b'");
	BAD("name=\"x\" pinToGroupName=\"a&amp;b\"", DN "x", "'a&b'");
	BAD("name=\"x\" descr=\"&lt;script&gt;\"", DN "x", "'<script>'");
	BAD("name=\"x\" portProfileUuid=\"not-a-uuid\"", DN "x", "'not-a-uuid'");
	BAD("name=\"a&quot;b\"", DN "q", "'a\"b'");
	BAD("name=\"abcdefghijklmnopqrstuvwxyz012345\"", DN "long", "abcdefghijklmnopqrstuvwxyz012345");
	BAD("", DN "noname", NULL);

	/* Children. */
	refused(c, RESP("<vnicProfile dn=\"" DN "x\" name=\"x\"><vnicEtherIf dn=\"" DN "x/if-a\" name=\"a\" defaultNet=\"yes\"/><vnicEtherIf dn=\"" DN "x/if-b\" name=\"b\" defaultNet=\"yes\"/></vnicProfile>"),
	        DN "x/if-b", NULL);
	refused(c, RESP("<vnicProfile dn=\"" DN "x\" name=\"x\"><vnicEtherIf rn=\"if-a\" name=\"a\" defaultNet=\"maybe\"/></vnicProfile>"),
	        DN "x/if-a", "'maybe'");
	refused(c, RESP("<vnicProfile dn=\"" DN "x\" name=\"x\"><vnicEtherIf rn=\"if-a b\" name=\"a b\"/></vnicProfile>"),
	        DN "x/if-a b", "'a b'");
	refused(c, RESP("<vnicProfile dn=\"" DN "x\" name=\"x\"><vmVnicProfCl rn=\"cl-c\" name=\"c\" swName=\"a&lt;b\"/></vnicProfile>"),
	        DN "x/cl-c", "'a<b'");
	refused(c, RESP("<vnicProfile dn=\"" DN "x\" name=\"x\"><vmVnicProfCl rn=\"cl-\" name=\"\"/></vnicProfile>"),
	        DN "x/cl-", NULL);
	refused(c, RESP("<vnicProfile dn=\"" DN "x\" name=\"x\"/><vnicProfile dn=\"" DN "x\" name=\"x\"/>"),
	        DN "x", NULL);
	/* An error response. */
	assert_int_equal(vmfex_catalog_import_ucsm_file(c, sample("error-response.xml")), -EINVAL);
	assert_true(strstr(last_log, "Authorization required") != NULL);
	assert_int_equal(vmfex_catalog_get_n_profiles(c), 1);
	vmfex_catalog_unref(c);
}

static void ignored(void **state)
{
	struct vmfex_catalog *c;
	struct vmfex_profile *p;

	assert_int_equal(vmfex_catalog_new(ctx, &c), 0);
	assert_int_equal(import_str(c, RESP("<vnicProfile dn=\"" DN "p\" name=\"p\" futureAttr=\"whatever &lt;&gt;\" maxPorts=\"5\">"
	                                    "<unknownClass name=\"!!\"><vnicProfile dn=\"" DN "inner\" name=\"inner\"/></unknownClass>"
	                                    "<vnicEtherIf name=\"v\" defaultNet=\"no\" newThing=\"1\"/></vnicProfile>"
	                                    "<lsServer dn=\"org-root/ls-x\" name=\"x y z\"/>")),
	                 1);
	assert_int_equal(vmfex_catalog_get_profile(c, "p", &p), 0);
	assert_int_equal(vmfex_profile_get_max_ports(p), 5);
	vmfex_profile_unref(p);
	/* A response with no profile imports none. */
	assert_int_equal(import_str(c, RESP("")), 0);
	assert_int_equal(vmfex_catalog_get_n_profiles(c), 1);
	vmfex_catalog_unref(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(resolve_class),
		cmocka_unit_test(resolve_dn),
		cmocka_unit_test(invalid_values),
		cmocka_unit_test(ignored),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
