/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The UCS Manager model through the public API: every rule of UCS
 * Manager (name patterns and lengths, max ports, one native VLAN,
 * enumerated values), the default cluster, iteration and references. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <libvmfex/libvmfex.h>

#include "model-test.h"

struct fx {
	struct vmfex_ctx *ctx;
	struct vmfex_catalog *cat;
	struct vmfex_profile *p;
};

static int setup(void **state)
{
	static struct fx f;

	f.ctx = model_test_ctx();
	assert_int_equal(vmfex_catalog_new(f.ctx, &f.cat), 0);
	assert_int_equal(vmfex_catalog_add_profile(f.cat, "pp-vlan-25", &f.p), 0);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	vmfex_profile_unref(f->p);
	vmfex_catalog_unref(f->cat);
	vmfex_unref(f->ctx);
	return 0;
}

static void refused_quoting(int r, const char *value)
{
	assert_int_equal(r, -EINVAL);
	if (!strstr(last_log, value))
		fail_msg("log '%s' does not quote '%s'", last_log, value);
}

static void profile_names(void **state)
{
	struct fx *f = *state;
	static const char *const good[] = { "a", "OS-PP-25", "x.y:z_w-1",
	                                    "abcdefghijklmnopqrstuvwxyz01234" /* 31 */ };
	static const char *const bad[] = { "", "abcdefghijklmnopqrstuvwxyz012345" /* 32 */,
	                                   "a b", "a/b", "a\"b", "a<b>", "a'b", "é", "a&b", "a\nb" };
	struct vmfex_profile *p;

	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++) {
		assert_int_equal(vmfex_catalog_add_profile(f->cat, good[i], &p), 0);
		assert_string_equal(vmfex_profile_get_name(p), good[i]);
		vmfex_profile_unref(p);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_int_equal(vmfex_catalog_add_profile(f->cat, bad[i], NULL), -EINVAL);
	refused_quoting(vmfex_catalog_add_profile(f->cat, "bad<name>", NULL), "bad<name>");
	assert_int_equal(vmfex_catalog_add_profile(f->cat, NULL, NULL), -EINVAL);
	assert_int_equal(vmfex_catalog_add_profile(f->cat, "a", NULL), -EEXIST);
}

static void defaults(void **state)
{
	struct fx *f = *state;

	assert_null(vmfex_profile_get_descr(f->p));
	assert_null(vmfex_profile_get_qos_policy(f->p));
	assert_null(vmfex_profile_get_nw_ctrl_policy(f->p));
	assert_null(vmfex_profile_get_pin_group(f->p));
	assert_int_equal(vmfex_profile_get_max_ports(f->p), 64);
	assert_int_equal(vmfex_profile_get_host_nw_io_perf(f->p), VMFEX_HOST_NW_IO_PERF_NONE);
	assert_int_equal(vmfex_profile_get_type(f->p), VMFEX_PROFILE_TYPE_REGULAR);
	assert_int_equal(vmfex_profile_get_topology(f->p), VMFEX_TOPOLOGY_MACVTAP_PASSTHROUGH);
	assert_non_null(vmfex_profile_get_uuid(f->p));
	assert_int_equal(strlen(vmfex_profile_get_uuid(f->p)), 36);
	assert_null(vmfex_profile_next_vlan(f->p, NULL));
	assert_null(vmfex_profile_next_client(f->p, NULL));
}

static void descr(void **state)
{
	struct fx *f = *state;
	char s[258];

	assert_int_equal(vmfex_profile_set_descr(f->p, "VLAN 25 (web) #1: a/b, c; d@e [f] {g|h} ~i"),
	                 0);
	assert_string_equal(vmfex_profile_get_descr(f->p),
	                    "VLAN 25 (web) #1: a/b, c; d@e [f] {g|h} ~i");
	memset(s, 'd', 256);
	s[256] = '\0';
	assert_int_equal(vmfex_profile_set_descr(f->p, s), 0);
	s[256] = 'd';
	s[257] = '\0';
	assert_int_equal(vmfex_profile_set_descr(f->p, s), -EINVAL);
	assert_int_equal(strlen(vmfex_profile_get_descr(f->p)), 256); /* unchanged */
	refused_quoting(vmfex_profile_set_descr(f->p, "say \"hi\""), "say \"hi\"");
	refused_quoting(vmfex_profile_set_descr(f->p, "<b>"), "<b>");
	refused_quoting(vmfex_profile_set_descr(f->p, "it's"), "it\\x27s");
	assert_int_equal(vmfex_profile_set_descr(f->p, "a=b"), -EINVAL);
	assert_int_equal(vmfex_profile_set_descr(f->p, "tab\there"), -EINVAL);
	assert_int_equal(vmfex_profile_set_descr(f->p, "caf\xc3\xa9"), -EINVAL);
	assert_int_equal(vmfex_profile_set_descr(f->p, ""), 0);
	assert_null(vmfex_profile_get_descr(f->p));
	assert_int_equal(vmfex_profile_set_descr(f->p, "x"), 0);
	assert_int_equal(vmfex_profile_set_descr(f->p, NULL), 0);
	assert_null(vmfex_profile_get_descr(f->p));
}

static void policies(void **state)
{
	struct fx *f = *state;
	int (*set[])(struct vmfex_profile *, const char *) = {
		vmfex_profile_set_qos_policy, vmfex_profile_set_nw_ctrl_policy,
		vmfex_profile_set_pin_group,
	};
	const char *(*get[])(const struct vmfex_profile *) = {
		vmfex_profile_get_qos_policy, vmfex_profile_get_nw_ctrl_policy,
		vmfex_profile_get_pin_group,
	};

	for (int i = 0; i < 3; i++) {
		assert_int_equal(set[i](f->p, "gold"), 0);
		assert_string_equal(get[i](f->p), "gold");
		assert_int_equal(set[i](f->p, "abcdefghijklmnop"), 0); /* 16 */
		refused_quoting(set[i](f->p, "abcdefghijklmnopq"), "abcdefghijklmnopq"); /* 17 */
		refused_quoting(set[i](f->p, "go ld"), "go ld");
		refused_quoting(set[i](f->p, "a\"<>"), "a\"<>");
		assert_string_equal(get[i](f->p), "abcdefghijklmnop");
		assert_int_equal(set[i](f->p, ""), 0);
		assert_null(get[i](f->p));
		assert_int_equal(set[i](f->p, "x"), 0);
		assert_int_equal(set[i](f->p, NULL), 0);
		assert_null(get[i](f->p));
	}
}

static void max_ports(void **state)
{
	struct fx *f = *state;

	assert_int_equal(vmfex_profile_set_max_ports(f->p, 1), 0);
	assert_int_equal(vmfex_profile_get_max_ports(f->p), 1);
	assert_int_equal(vmfex_profile_set_max_ports(f->p, 4096), 0);
	assert_int_equal(vmfex_profile_get_max_ports(f->p), 4096);
	refused_quoting(vmfex_profile_set_max_ports(f->p, 0), "'0'");
	refused_quoting(vmfex_profile_set_max_ports(f->p, 4097), "'4097'");
	assert_int_equal(vmfex_profile_set_max_ports(f->p, UINT32_MAX), -EINVAL);
	assert_int_equal(vmfex_profile_get_max_ports(f->p), 4096);
}

static void enums(void **state)
{
	struct fx *f = *state;

	assert_int_equal(vmfex_profile_set_host_nw_io_perf(f->p, VMFEX_HOST_NW_IO_PERF_HIGH_PERF_REQD),
	                 0);
	assert_int_equal(vmfex_profile_get_topology(f->p), VMFEX_TOPOLOGY_HOSTDEV);
	assert_int_equal(vmfex_profile_set_host_nw_io_perf(f->p, (enum vmfex_host_nw_io_perf)2),
	                 -EINVAL);
	assert_int_equal(vmfex_profile_set_host_nw_io_perf(f->p, (enum vmfex_host_nw_io_perf)-1),
	                 -EINVAL);
	assert_int_equal(vmfex_profile_get_host_nw_io_perf(f->p),
	                 VMFEX_HOST_NW_IO_PERF_HIGH_PERF_REQD);
	assert_int_equal(vmfex_profile_set_type(f->p, VMFEX_PROFILE_TYPE_SLA_ONLY), 0);
	assert_int_equal(vmfex_profile_set_type(f->p, (enum vmfex_profile_type)7), -EINVAL);
	assert_int_equal(vmfex_profile_get_type(f->p), VMFEX_PROFILE_TYPE_SLA_ONLY);

	assert_string_equal(vmfex_host_nw_io_perf_to_string(0), "none");
	assert_string_equal(vmfex_host_nw_io_perf_to_string(1), "high-perf-reqd");
	assert_null(vmfex_host_nw_io_perf_to_string(2));
	assert_int_equal(vmfex_host_nw_io_perf_from_string("high-perf-reqd"), 1);
	assert_int_equal(vmfex_host_nw_io_perf_from_string("none"), 0);
	assert_int_equal(vmfex_host_nw_io_perf_from_string("high"), -EINVAL);
	assert_int_equal(vmfex_host_nw_io_perf_from_string("None"), -EINVAL);
	assert_int_equal(vmfex_host_nw_io_perf_from_string(NULL), -EINVAL);
	assert_string_equal(vmfex_profile_type_to_string(0), "regular");
	assert_string_equal(vmfex_profile_type_to_string(1), "sla-only");
	assert_int_equal(vmfex_profile_type_from_string("sla-only"), 1);
	assert_int_equal(vmfex_profile_type_from_string("sla_only"), -EINVAL);
	assert_string_equal(vmfex_topology_to_string(VMFEX_TOPOLOGY_HOSTDEV), "hostdev");
	assert_string_equal(vmfex_topology_to_string(VMFEX_TOPOLOGY_MACVTAP_PASSTHROUGH),
	                    "macvtap-passthrough");
	assert_null(vmfex_topology_to_string(0));
}

static void vlans(void **state)
{
	struct fx *f = *state;
	struct vmfex_vlan *v;
	const char *names[3];
	int n = 0, natives = 0;

	assert_int_equal(vmfex_profile_set_vlan(f->p, "vlan-25", 25, true), 0);
	assert_int_equal(vmfex_profile_set_vlan(f->p, "vlan-10", 10, false), 0);
	assert_int_equal(vmfex_profile_set_vlan(f->p, "unknown-id", 0, false), 0);
	/* One native VLAN: a new native one takes over. */
	assert_int_equal(vmfex_profile_set_vlan(f->p, "vlan-10", 10, true), 0);
	vmfex_profile_foreach_vlan(f->p, v) {
		names[n++] = vmfex_vlan_get_name(v);
		natives += vmfex_vlan_is_native(v);
		if (strcmp(vmfex_vlan_get_name(v), "vlan-10") == 0)
			assert_true(vmfex_vlan_is_native(v));
	}
	assert_int_equal(n, 3);
	assert_int_equal(natives, 1);
	assert_string_equal(names[0], "unknown-id");
	assert_string_equal(names[1], "vlan-10");
	assert_string_equal(names[2], "vlan-25");
	assert_int_equal(vmfex_vlan_get_id(vmfex_profile_next_vlan(f->p, NULL)), 0);

	assert_int_equal(vmfex_profile_set_vlan(f->p, "v", 4093, false), 0);
	refused_quoting(vmfex_profile_set_vlan(f->p, "v", 4094, false), "'4094'");
	assert_int_equal(vmfex_profile_set_vlan(f->p, "v", 65536, false), -EINVAL);
	assert_int_equal(vmfex_profile_set_vlan(f->p, "abcdefghijklmnopqrstuvwxyz012345", 1, false),
	                 0); /* 32 */
	refused_quoting(vmfex_profile_set_vlan(f->p, "abcdefghijklmnopqrstuvwxyz0123456", 1, false),
	                "abcdefghijklmnopqrstuvwxyz0123456");
	refused_quoting(vmfex_profile_set_vlan(f->p, "v<25>", 25, false), "v<25>");
	assert_int_equal(vmfex_profile_set_vlan(f->p, "", 25, false), -EINVAL);
	assert_int_equal(vmfex_profile_set_vlan(f->p, NULL, 25, false), -EINVAL);
	assert_int_equal(vmfex_profile_del_vlan(f->p, "v"), 0);
	assert_int_equal(vmfex_profile_del_vlan(f->p, "v"), -ENOENT);
}

static void clusters(void **state)
{
	struct fx *f = *state;
	struct vmfex_cluster *cl, *def;
	const char *client;
	int n = 0;

	/* The default cluster always exists and cannot go. */
	assert_int_equal(vmfex_catalog_lookup_cluster(f->cat, "default", &def), 0);
	assert_true(vmfex_cluster_is_default(def));
	assert_int_equal(vmfex_catalog_del_cluster(f->cat, "default"), -EPERM);
	assert_int_equal(vmfex_catalog_add_cluster(f->cat, "default", NULL), -EEXIST);

	assert_int_equal(vmfex_catalog_add_cluster(f->cat, "rack-2", &cl), 0);
	assert_false(vmfex_cluster_is_default(cl));
	assert_string_equal(vmfex_cluster_get_name(cl), "rack-2");
	vmfex_cluster_unref(cl);
	assert_int_equal(vmfex_catalog_add_cluster(f->cat, "abcdefghijklmnop", NULL), 0);
	refused_quoting(vmfex_catalog_add_cluster(f->cat, "abcdefghijklmnopq", NULL),
	                "abcdefghijklmnopq");
	refused_quoting(vmfex_catalog_add_cluster(f->cat, "a\"b", NULL), "a\"b");
	assert_int_equal(vmfex_catalog_add_cluster(f->cat, "", NULL), -EINVAL);
	vmfex_catalog_foreach_cluster(f->cat, cl)
		n++;
	assert_int_equal(n, 3);

	/* Clients are clusters of the catalog. */
	assert_int_equal(vmfex_profile_add_client(f->p, "nowhere"), -ENOENT);
	assert_int_equal(vmfex_profile_add_client(f->p, "rack-2"), 0);
	assert_int_equal(vmfex_profile_add_client(f->p, "default"), 0);
	assert_int_equal(vmfex_profile_add_client(f->p, "default"), 0);
	n = 0;
	vmfex_profile_foreach_client(f->p, client)
		n++;
	assert_int_equal(n, 2);
	assert_string_equal(vmfex_profile_next_client(f->p, NULL), "default");
	assert_int_equal(vmfex_catalog_del_cluster(f->cat, "rack-2"), -EBUSY);
	assert_true(strstr(last_log, "pp-vlan-25") != NULL);
	assert_int_equal(vmfex_profile_del_client(f->p, "rack-2"), 0);
	assert_int_equal(vmfex_profile_del_client(f->p, "rack-2"), -ENOENT);
	assert_int_equal(vmfex_catalog_del_cluster(f->cat, "rack-2"), 0);
	assert_int_equal(vmfex_catalog_del_cluster(f->cat, "rack-2"), -ENOENT);
	vmfex_cluster_unref(def);
}

static void kvm_default_cluster_only(void **state)
{
	struct fx *f = *state;
	struct vmfex_port_check_opts o = { .sz = sizeof(o), .no_count = true };
	enum vmfex_topology t = 0;

	assert_int_equal(vmfex_catalog_add_cluster(f->cat, "other", NULL), 0);
	assert_int_equal(vmfex_profile_add_client(f->p, "other"), 0);
	assert_int_equal(vmfex_catalog_check_port(f->cat, "pp-vlan-25", &o, &t), -EACCES);
	assert_int_equal(vmfex_profile_add_client(f->p, "default"), 0);
	assert_int_equal(vmfex_catalog_check_port(f->cat, "pp-vlan-25", &o, &t), 0);
	assert_int_equal(t, VMFEX_TOPOLOGY_MACVTAP_PASSTHROUGH);
	o.cluster = "other";
	assert_int_equal(vmfex_catalog_check_port(f->cat, "pp-vlan-25", &o, &t), -EPERM);
	assert_true(strstr(last_log, "default cluster") != NULL);
	o.cluster = NULL;
	assert_int_equal(vmfex_catalog_check_port(f->cat, "nope", &o, &t), -ENOENT);
	assert_int_equal(vmfex_profile_set_host_nw_io_perf(f->p, VMFEX_HOST_NW_IO_PERF_HIGH_PERF_REQD),
	                 0);
	assert_int_equal(vmfex_catalog_check_port(f->cat, "pp-vlan-25", &o, &t), 0);
	assert_int_equal(t, VMFEX_TOPOLOGY_HOSTDEV);
}

static void references(void **state)
{
	struct fx *f = *state;
	struct vmfex_catalog *cat;
	struct vmfex_profile *p, *it;
	struct vmfex_cluster *cl;
	int n = 0;

	assert_int_equal(vmfex_catalog_new(f->ctx, &cat), 0);
	assert_int_equal(vmfex_catalog_add_profile(cat, "b", NULL), 0);
	assert_int_equal(vmfex_catalog_add_profile(cat, "a", &p), 0);
	assert_int_equal(vmfex_catalog_add_profile(cat, "c", NULL), 0);
	vmfex_catalog_foreach_profile(cat, it)
		n++;
	assert_int_equal(n, 3);
	assert_int_equal(vmfex_catalog_get_n_profiles(cat), 3);
	assert_string_equal(vmfex_profile_get_name(vmfex_catalog_next_profile(cat, NULL)), "a");
	assert_int_equal(vmfex_catalog_add_cluster(cat, "x", &cl), 0);
	/* Children hold the catalog: drop it first. */
	vmfex_catalog_unref(cat);
	assert_string_equal(vmfex_profile_get_name(p), "a");
	/* A deleted profile stays readable through its reference; changes
	 * are refused. */
	assert_int_equal(vmfex_catalog_del_profile(vmfex_catalog_ref(cat), "a"), 0);
	vmfex_catalog_unref(cat);
	assert_int_equal(vmfex_catalog_get_n_profiles(cat), 2);
	assert_string_equal(vmfex_profile_get_name(p), "a");
	assert_int_equal(vmfex_profile_set_max_ports(p, 5), -EINVAL);
	assert_int_equal(vmfex_profile_add_client(p, "default"), -EINVAL);
	assert_int_equal(vmfex_catalog_lookup_profile(cat, "a", &it), -ENOENT);
	assert_int_equal(vmfex_catalog_del_profile(cat, "a"), -ENOENT);
	vmfex_profile_unref(p);
	vmfex_cluster_unref(cl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(profile_names, setup, teardown),
		cmocka_unit_test_setup_teardown(defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(descr, setup, teardown),
		cmocka_unit_test_setup_teardown(policies, setup, teardown),
		cmocka_unit_test_setup_teardown(max_ports, setup, teardown),
		cmocka_unit_test_setup_teardown(enums, setup, teardown),
		cmocka_unit_test_setup_teardown(vlans, setup, teardown),
		cmocka_unit_test_setup_teardown(clusters, setup, teardown),
		cmocka_unit_test_setup_teardown(kvm_default_cluster_only, setup, teardown),
		cmocka_unit_test_setup_teardown(references, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
