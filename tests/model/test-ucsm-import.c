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

	assert_int_equal(vmfex_catalog_lookup_profile(c, "pp-vlan-25", &p), 0);
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

	assert_int_equal(vmfex_catalog_lookup_profile(c, "pp-app", &p), 0);
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
	assert_int_equal(vmfex_catalog_lookup_profile(c, "pp-mgmt", &p), 0);
	assert_int_equal(vmfex_profile_get_type(p), VMFEX_PROFILE_TYPE_SLA_ONLY);
	assert_int_equal(vmfex_profile_get_max_ports(p), 4096);
	assert_int_equal(vmfex_vlan_get_id(vmfex_profile_next_vlan(p, NULL)), 0); /* unknown */
	/* The client's switch became a cluster of the catalog. */
	assert_string_equal(vmfex_profile_next_client(p, NULL), "rack-2");
	assert_int_equal(vmfex_catalog_lookup_cluster(c, "rack-2", &cl), 0);
	vmfex_cluster_unref(cl);
	vmfex_profile_unref(p);

	/* A later import replaces the profile, with the VLAN id of fabricVlan. */
	assert_int_equal(vmfex_catalog_import_ucsm_file(c, sample("configResolveDn-fabric-lan.xml")), 1);
	assert_int_equal(vmfex_catalog_get_n_profiles(c), 2);
	assert_int_equal(vmfex_catalog_lookup_profile(c, "pp-mgmt", &p), 0);
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
	assert_int_equal(vmfex_catalog_lookup_profile(c, "p", &p), 0);
	assert_int_equal(vmfex_profile_get_max_ports(p), 5);
	vmfex_profile_unref(p);
	/* A response with no profile imports none. */
	assert_int_equal(import_str(c, RESP("")), 0);
	assert_int_equal(vmfex_catalog_get_n_profiles(c), 1);
	vmfex_catalog_unref(c);
}

/* ---- UCS Manager's object model, attribute by attribute ----
 * The patterns, ranges and value sets of vnicProfile, vnicEtherIf and
 * vmVnicProfCl as UCS Manager publishes them (the property metadata of
 * its Python SDK): the values at the edges are imported, the values just
 * outside refused with the object's dn. */

static char *rep(char c, size_t n)
{
	static char buf[8][300];
	static int k;
	char *b = buf[k++ % 8];

	memset(b, c, n);
	b[n] = '\0';
	return b;
}

struct prop_case {
	const char *cls;   /* where the attribute goes: "p" profile, "e" vnicEtherIf, "c" client */
	const char *attrs;
	bool ok;
};

static void prop_table(void **state)
{
	char a31[80], a32[80], a16[80], a17[80], a33[80], d256[300], d257[300], p256[300], p257[300];
	struct prop_case cases[] = {
		/* vnicProfile name [-.:_a-zA-Z0-9]{1,31} */
		{ "p", "name=\"a\"", true },
		{ "p", a31, true },
		{ "p", a32, false },
		{ "p", "name=\"\"", false },
		{ "p", "name=\"-.:_aZ09\"", true },
		{ "p", "name=\"a/b\"", false },
		/* descr [ !#$%&()*+,-./:;?@[]_{|}~a-zA-Z0-9]{0,256} */
		{ "p", "name=\"x\" descr=\"\"", true },
		{ "p", d256, true },
		{ "p", d257, false },
		{ "p", "name=\"x\" descr=\" !#$%&amp;()*+,-./:;?@[]_{|}~aZ09\"", true },
		{ "p", "name=\"x\" descr=\"a&quot;b\"", false },
		{ "p", "name=\"x\" descr=\"it's\"", false },
		{ "p", "name=\"x\" descr=\"a^b\"", false },
		{ "p", "name=\"x\" descr=\"a\\b\"", false },
		/* hostNwIOPerf none|high-perf-reqd */
		{ "p", "name=\"x\" hostNwIOPerf=\"none\"", true },
		{ "p", "name=\"x\" hostNwIOPerf=\"high-perf-reqd\"", true },
		{ "p", "name=\"x\" hostNwIOPerf=\"\"", false },
		{ "p", "name=\"x\" hostNwIOPerf=\"High-perf-reqd\"", false },
		/* maxPorts 1-4096 */
		{ "p", "name=\"x\" maxPorts=\"1\"", true },
		{ "p", "name=\"x\" maxPorts=\"4096\"", true },
		{ "p", "name=\"x\" maxPorts=\"0\"", false },
		{ "p", "name=\"x\" maxPorts=\"4097\"", false },
		{ "p", "name=\"x\" maxPorts=\"\"", false },
		/* the three policy names [-.:_a-zA-Z0-9]{0,16} */
		{ "p", "name=\"x\" nwCtrlPolicyName=\"\" qosPolicyName=\"\" pinToGroupName=\"\"", true },
		{ "p", a16, true },
		{ "p", a17, false },
		{ "p", "name=\"x\" qosPolicyName=\"a b\"", false },
		{ "p", "name=\"x\" pinToGroupName=\"a$\"", false },
		/* portProfileUuid UUID|0 */
		{ "p", "name=\"x\" portProfileUuid=\"0\"", true },
		{ "p", "name=\"x\" portProfileUuid=\"6a7d2b1e-4f3c-4e8a-9b5d-0c1e2f3a4b5c\"", true },
		{ "p", "name=\"x\" portProfileUuid=\"6A7D2B1E-4F3C-4E8A-9B5D-0C1E2F3A4B5C\"", true },
		{ "p", "name=\"x\" portProfileUuid=\"00\"", false },
		{ "p", "name=\"x\" portProfileUuid=\"\"", false },
		{ "p", "name=\"x\" portProfileUuid=\"6a7d2b1e-4f3c-4e8a-9b5d-0c1e2f3a4b5\"", false },
		{ "p", "name=\"x\" portProfileUuid=\"6a7d2b1e-4f3c-4e8a-9b5d-0c1e2f3a4b5g\"", false },
		/* type regular|sla-only */
		{ "p", "name=\"x\" type=\"regular\"", true },
		{ "p", "name=\"x\" type=\"sla-only\"", true },
		{ "p", "name=\"x\" type=\"\"", false },
		{ "p", "name=\"x\" type=\"Regular\"", false },
		/* vnicEtherIf name [-.:_a-zA-Z0-9]{1,32} */
		{ "e", a32, true },
		{ "e", a33, false },
		{ "e", "name=\"\"", false },
		/* defaultNet false|no|true|yes */
		{ "e", "name=\"v\" defaultNet=\"yes\"", true },
		{ "e", "name=\"v\" defaultNet=\"no\"", true },
		{ "e", "name=\"v\" defaultNet=\"true\"", true },
		{ "e", "name=\"v\" defaultNet=\"false\"", true },
		{ "e", "name=\"v\" defaultNet=\"\"", false },
		{ "e", "name=\"v\" defaultNet=\"Yes\"", false },
		/* vnet 1-4093 */
		{ "e", "name=\"v\" vnet=\"1\"", true },
		{ "e", "name=\"v\" vnet=\"4093\"", true },
		{ "e", "name=\"v\" vnet=\"0\"", false },
		{ "e", "name=\"v\" vnet=\"4094\"", false },
		/* vmVnicProfCl name [-.:_a-zA-Z0-9]{1,16} */
		{ "c", a16, true },
		{ "c", a17, false },
		{ "c", "name=\"\"", false },
		/* dcName, orgPath, swName [ !#$%()*+,-./:;?@[\]^_{|}~a-zA-Z0-9]{0,256} */
		{ "c", "name=\"c\" dcName=\"\" orgPath=\"\" swName=\"\"", true },
		{ "c", p256, true },
		{ "c", p257, false },
		{ "c", "name=\"c\" swName=\"[ !#$%()*+,./:;?@^_{|}~-]\\\\[\\]aZ09\"", true },
		{ "c", "name=\"c\" dcName=\"[ !#$%()*+,./:;?@^_{|}~-]\\\\[\\]aZ09\"", true },
		{ "c", "name=\"c\" orgPath=\"[ !#$%()*+,./:;?@^_{|}~-]\\\\[\\]aZ09\"", true },
		{ "c", "name=\"c\" swName=\"a&amp;b\"", false },
		{ "c", "name=\"c\" dcName=\"a&quot;b\"", false },
		{ "c", "name=\"c\" orgPath=\"it's\"", false },
		{ "c", "name=\"c\" swName=\"a&lt;b\"", false },
		/* patterns must be regular expressions */
		{ "c", "name=\"c\" swName=\"(\"", false },
		{ "c", "name=\"c\" dcName=\"[a\"", false },
		{ "c", "name=\"c\" orgPath=\"*a\"", false },
	};
	struct vmfex_catalog *c;
	char doc[4096], dn[64];

	snprintf(a31, sizeof(a31), "name=\"%s\"", rep('a', 31));
	snprintf(a32, sizeof(a32), "name=\"%s\"", rep('a', 32));
	snprintf(a33, sizeof(a33), "name=\"%s\"", rep('a', 33));
	snprintf(a16, sizeof(a16), "name=\"%s\" qosPolicyName=\"%s\"", rep('b', 16), rep('q', 16));
	snprintf(a17, sizeof(a17), "name=\"%s\" qosPolicyName=\"%s\"", rep('b', 17), rep('q', 17));
	snprintf(d256, sizeof(d256), "name=\"x\" descr=\"%s\"", rep('d', 256));
	snprintf(d257, sizeof(d257), "name=\"x\" descr=\"%s\"", rep('d', 257));
	snprintf(p256, sizeof(p256), "name=\"c\" swName=\"%s\"", rep('s', 256));
	snprintf(p257, sizeof(p257), "name=\"c\" swName=\"%s\"", rep('s', 257));

	assert_int_equal(vmfex_catalog_new(ctx, &c), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct prop_case *t = &cases[i];
		int r;

		snprintf(dn, sizeof(dn), DN "case-%zu", i);
		if (strcmp(t->cls, "p") == 0)
			snprintf(doc, sizeof(doc), RESP("<vnicProfile dn=\"%s\" %s/>"), dn, t->attrs);
		else
			snprintf(doc, sizeof(doc),
			         RESP("<vnicProfile dn=\"%s\" name=\"x\"><%s dn=\"%s/%s\" %s/></vnicProfile>"), dn,
			         strcmp(t->cls, "e") == 0 ? "vnicEtherIf" : "vmVnicProfCl", dn,
			         strcmp(t->cls, "e") == 0 ? "if-v" : "cl-c", t->attrs);
		last_log[0] = '\0';
		r = import_str(c, doc);
		if (t->ok && r != 1)
			fail_msg("case %zu (%s %s) refused: %d %s", i, t->cls, t->attrs, r, last_log);
		if (!t->ok && r != -EINVAL)
			fail_msg("case %zu (%s %s) not refused: %d", i, t->cls, t->attrs, r);
		if (!t->ok && !strstr(last_log, dn))
			fail_msg("case %zu: '%s' does not name %s", i, last_log, dn);
	}
	vmfex_catalog_unref(c);
}

/* "0" is no UUID; a UUID of capitals is kept in lower case. */
static void uuid_values(void **state)
{
	struct vmfex_catalog *c;
	struct vmfex_profile *p;

	assert_int_equal(vmfex_catalog_new(ctx, &c), 0);
	assert_int_equal(import_str(c, RESP("<vnicProfile dn=\"" DN "z\" name=\"z\" portProfileUuid=\"0\"/>"
	                                    "<vnicProfile dn=\"" DN "u\" name=\"u\" portProfileUuid=\"6A7D2B1E-4F3C-4E8A-9B5D-0C1E2F3A4B5C\"/>")),
	                 2);
	assert_int_equal(vmfex_catalog_lookup_profile(c, "z", &p), 0);
	assert_null(vmfex_profile_get_uuid(p));
	vmfex_profile_unref(p);
	assert_int_equal(vmfex_catalog_lookup_profile(c, "u", &p), 0);
	assert_string_equal(vmfex_profile_get_uuid(p), "6a7d2b1e-4f3c-4e8a-9b5d-0c1e2f3a4b5c");
	vmfex_profile_unref(p);
	vmfex_catalog_unref(c);
}

/* The catalog OpenStack's UCS Manager driver leaves: imported, its
 * clients kept verbatim (hand-checked below), and a round trip through
 * the catalog file gives the same bytes. */
static void openstack_export(void **state)
{
	struct vmfex_catalog *c, *c2;
	struct vmfex_profile *p;
	char *b1, *b2;
	size_t l1, l2;

	assert_int_equal(vmfex_catalog_new(ctx, &c), 0);
	assert_int_equal(vmfex_catalog_import_ucsm_file(c, sample("configResolveClass-openstack.xml")), 2);
	assert_int_equal(vmfex_catalog_lookup_profile(c, "OS-PP-201", &p), 0);
	assert_null(vmfex_profile_get_uuid(p));
	assert_int_equal(vmfex_vlan_get_id(vmfex_profile_next_vlan(p, NULL)), 201);
	assert_string_equal(vmfex_profile_next_client(p, NULL), "default");
	vmfex_profile_unref(p);
	/* No cluster is made of a pattern. */
	{
		struct vmfex_cluster *cl = NULL;
		int n = 0;

		vmfex_catalog_foreach_cluster(c, cl)
			n++;
		assert_int_equal(n, 1);
	}

	{
		const struct vmfex_ucsm_client *cl;

		assert_int_equal(vmfex_catalog_lookup_profile(c, "OS-PP-201", &p), 0);
		cl = vmfex_profile_next_ucsm_client(p, NULL);
		assert_string_equal(vmfex_ucsm_client_get_name(cl), "OS-PP-201");
		cl = vmfex_profile_next_ucsm_client(p, cl);
		assert_string_equal(vmfex_ucsm_client_get_name(cl), "kvm");
		assert_string_equal(vmfex_ucsm_client_get_dc_name(cl), "^dc-[0-9]+$");
		assert_string_equal(vmfex_ucsm_client_get_org_path(cl), "root/Tenant (A|B)");
		assert_string_equal(vmfex_ucsm_client_get_sw_name(cl), "default$");
		assert_null(vmfex_profile_next_ucsm_client(p, cl));
		/* Removed by its name. */
		assert_int_equal(vmfex_profile_del_client(p, "kvm"), 0);
		assert_null(vmfex_profile_next_ucsm_client(p, vmfex_profile_next_ucsm_client(p, NULL)));
		assert_int_equal(vmfex_profile_del_client(p, "kvm"), -ENOENT);
		vmfex_profile_unref(p);
		assert_int_equal(vmfex_catalog_import_ucsm_file(c, sample("configResolveClass-openstack.xml")), 2);
	}
	b1 = catalog_bytes(c, &l1);
	if (!strstr(b1, "    <client name=\"OS-PP-201\" dc-name=\".*\" org-path=\".*\" sw-name=\".*\"/>\n"
	                "    <client name=\"kvm\" dc-name=\"^dc-[0-9]+$\" org-path=\"root/Tenant (A|B)\" sw-name=\"default$\"/>\n"))
		fail_msg("clients not kept verbatim:\n%s", b1);
	assert_int_equal(vmfex_catalog_new_from_buffer(ctx, b1, l1, &c2), 0);
	b2 = catalog_bytes(c2, &l2);
	assert_int_equal(l1, l2);
	assert_memory_equal(b1, b2, l1);
	free(b1);
	free(b2);
	vmfex_catalog_unref(c2);
	vmfex_catalog_unref(c);
}

/* A cluster is a client when a client's swName matches its name. */
static void client_patterns(void **state)
{
	static const struct {
		const char *sw;
		const char *clients; /* the catalog's clusters served */
		int check;           /* vmfex_catalog_check_port() for the default cluster */
	} cases[] = {
		{ "default$", "default", 0 },
		{ ".*", "default,lab-1,rack-2", 0 },
		{ "^def", "default", 0 },
		{ "lab|default", "default,lab-1", 0 },
		{ "All", "default,lab-1,rack-2", 0 },
		{ "", "default,lab-1,rack-2", 0 },
		{ "^rack", "rack-2", -EACCES },
		{ "^default-", "", -EACCES },
	};
	struct vmfex_port_check_opts o = { .sz = sizeof(o), .no_count = true };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vmfex_catalog *c;
		struct vmfex_profile *p;
		char doc[1024], got[128] = "";
		const char *cl;

		assert_int_equal(vmfex_catalog_new(ctx, &c), 0);
		assert_int_equal(vmfex_catalog_add_cluster(c, "lab-1", NULL), 0);
		assert_int_equal(vmfex_catalog_add_cluster(c, "rack-2", NULL), 0);
		snprintf(doc, sizeof(doc),
		         RESP("<vnicProfile dn=\"" DN "p\" name=\"p\"><vmVnicProfCl dn=\"" DN "p/cl-c\" name=\"c\" swName=\"%s\"/></vnicProfile>"),
		         cases[i].sw);
		assert_int_equal(import_str(c, doc), 1);
		assert_int_equal(vmfex_catalog_lookup_profile(c, "p", &p), 0);
		vmfex_profile_foreach_client(p, cl)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", *got ? "," : "", cl);
		if (strcmp(got, cases[i].clients) != 0)
			fail_msg("swName '%s': clients '%s', expected '%s'", cases[i].sw, got, cases[i].clients);
		assert_int_equal(vmfex_catalog_check_port(c, "p", &o, NULL), cases[i].check);
		vmfex_profile_unref(p);
		vmfex_catalog_unref(c);
	}
}

/* A pattern that does not compile is refused with the dn. */
static void client_pattern_invalid(void **state)
{
	struct vmfex_catalog *c;

	assert_int_equal(vmfex_catalog_new(ctx, &c), 0);
	refused(c, RESP("<vnicProfile dn=\"" DN "p\" name=\"p\"><vmVnicProfCl dn=\"" DN "p/cl-c\" name=\"c\" swName=\"lab(\"/></vnicProfile>"),
	        DN "p/cl-c", "'lab('");
	assert_true(strstr(last_log, "regular expression") != NULL);
	vmfex_catalog_unref(c);

	/* Nor does a catalog file take one. */
	{
		static const char bad[] = "<catalog version=\"1\"><profile name=\"p\" max-ports=\"8\" "
		                          "host-nw-io-perf=\"none\" type=\"regular\"><client name=\"c\" "
		                          "dc-name=\"\" org-path=\"\" sw-name=\"a[\"/></profile></catalog>";

		c = NULL;
		assert_int_equal(vmfex_catalog_new_from_buffer(ctx, bad, strlen(bad), &c), -EINVAL);
		assert_null(c);
		assert_true(strstr(last_log, "invalid profile") != NULL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(resolve_class),
		cmocka_unit_test(resolve_dn),
		cmocka_unit_test(invalid_values),
		cmocka_unit_test(ignored),
		cmocka_unit_test(prop_table),
		cmocka_unit_test(uuid_values),
		cmocka_unit_test(openstack_export),
		cmocka_unit_test(client_patterns),
		cmocka_unit_test(client_pattern_invalid),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
