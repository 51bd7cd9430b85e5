/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The catalog's walks (profiles, clusters, a profile's VLANs, clients and
 * UCS Manager clients) with the catalog changed inside them and no
 * reference held: the loop variable deleted, the next one deleted, objects
 * added, a profile replaced by an import. Each walk must visit exactly the
 * objects present, by name, and a deleted loop variable must stay readable
 * (run under valgrind by .ci/run) with every change to it refused. */
#include <errno.h>
#include <stdbool.h>
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
};

/* A catalog of profiles and clusters a, b, c, d, none referenced. */
static int setup(void **state)
{
	static struct fx f;
	static const char *const names[] = { "c", "a", "d", "b" };

	f.ctx = model_test_ctx();
	assert_int_equal(vmfex_catalog_new(f.ctx, &f.cat), 0);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(vmfex_catalog_add_profile(f.cat, names[i], NULL), 0);
		assert_int_equal(vmfex_catalog_add_cluster(f.cat, names[i], NULL), 0);
	}
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	vmfex_catalog_unref(f->cat);
	vmfex_unref(f->ctx);
	return 0;
}

/* The names a walk visited, joined by spaces. */
struct seen {
	char s[1024];
};

static void saw(struct seen *w, const char *name)
{
	size_t n = strlen(w->s);

	snprintf(w->s + n, sizeof(w->s) - n, "%s%s", n ? " " : "", name);
}

/* Profiles (or clusters) e00 to e63 added and deleted again: the list
 * grows and moves, and 64 deleted objects are kept. */
static void churn(struct vmfex_catalog *cat, bool clusters)
{
	for (int i = 0; i < 64; i++) {
		char n[8];

		snprintf(n, sizeof(n), "e%02d", i);
		if (clusters) {
			assert_int_equal(vmfex_catalog_add_cluster(cat, n, NULL), 0);
			assert_int_equal(vmfex_catalog_del_cluster(cat, n), 0);
		} else {
			assert_int_equal(vmfex_catalog_add_profile(cat, n, NULL), 0);
			assert_int_equal(vmfex_catalog_del_profile(cat, n), 0);
		}
	}
}

/* Every change to a deleted profile is refused, logged with its name;
 * what it was stays readable. */
static void assert_deleted_profile(struct vmfex_profile *p, const char *name)
{
	assert_string_equal(vmfex_profile_get_name(p), name);
	assert_int_equal(vmfex_profile_get_max_ports(p), VMFEX_PROFILE_MAX_PORTS_DEFAULT);
	last_log[0] = '\0';
	assert_int_equal(vmfex_profile_set_max_ports(p, 5), -EINVAL);
	assert_non_null(strstr(last_log, name));
	assert_non_null(strstr(last_log, "deleted"));
	assert_int_equal(vmfex_profile_get_max_ports(p), VMFEX_PROFILE_MAX_PORTS_DEFAULT);
	assert_int_equal(vmfex_profile_set_descr(p, "x"), -EINVAL);
	assert_null(vmfex_profile_get_descr(p));
	assert_int_equal(vmfex_profile_set_qos_policy(p, "gold"), -EINVAL);
	assert_int_equal(vmfex_profile_set_nw_ctrl_policy(p, "cdp"), -EINVAL);
	assert_int_equal(vmfex_profile_set_pin_group(p, "pin"), -EINVAL);
	assert_int_equal(vmfex_profile_set_host_nw_io_perf(p, VMFEX_HOST_NW_IO_PERF_HIGH_PERF_REQD),
	                 -EINVAL);
	assert_int_equal(vmfex_profile_set_type(p, VMFEX_PROFILE_TYPE_SLA_ONLY), -EINVAL);
	assert_int_equal(vmfex_profile_set_vlan(p, "v", 1, false), -EINVAL);
	assert_int_equal(vmfex_profile_del_vlan(p, "v"), -EINVAL);
	assert_int_equal(vmfex_profile_add_client(p, "default"), -EINVAL);
	assert_int_equal(vmfex_profile_del_client(p, "default"), -EINVAL);
}

static void profile_delete_loop_variable(void **state)
{
	struct fx *f = *state;
	struct vmfex_profile *p;
	struct seen w = { "" };

	vmfex_catalog_foreach_profile(f->cat, p) {
		saw(&w, vmfex_profile_get_name(p));
		if (strcmp(vmfex_profile_get_name(p), "b") == 0) {
			assert_int_equal(vmfex_catalog_del_profile(f->cat, "b"), 0);
			assert_deleted_profile(p, "b");
		}
	}
	assert_string_equal(w.s, "a b c d");
	assert_int_equal(vmfex_catalog_get_n_profiles(f->cat), 3);
	assert_int_equal(vmfex_catalog_lookup_profile(f->cat, "b", &p), -ENOENT);

	/* The last one too, and all of them. */
	w.s[0] = '\0';
	vmfex_catalog_foreach_profile(f->cat, p) {
		saw(&w, vmfex_profile_get_name(p));
		assert_int_equal(vmfex_catalog_del_profile(f->cat, vmfex_profile_get_name(p)), 0);
	}
	assert_string_equal(w.s, "a c d");
	assert_int_equal(vmfex_catalog_get_n_profiles(f->cat), 0);
}

static void profile_delete_next_and_add(void **state)
{
	struct fx *f = *state;
	struct vmfex_profile *p;
	struct seen w = { "" };

	vmfex_catalog_foreach_profile(f->cat, p) {
		const char *name = vmfex_profile_get_name(p);

		saw(&w, name);
		if (strcmp(name, "a") == 0) {
			assert_int_equal(vmfex_catalog_del_profile(f->cat, "b"), 0);
			/* Before the loop variable: not visited; after: visited. */
			assert_int_equal(vmfex_catalog_add_profile(f->cat, "0", NULL), 0);
			assert_int_equal(vmfex_catalog_add_profile(f->cat, "bb", NULL), 0);
		}
		if (strcmp(name, "c") == 0) {
			/* A name deleted comes back as a new profile. */
			assert_int_equal(vmfex_catalog_add_profile(f->cat, "b", NULL), 0);
			churn(f->cat, false);
			assert_int_equal(vmfex_catalog_del_profile(f->cat, "c"), 0);
		}
	}
	assert_string_equal(w.s, "a bb c d");
	w.s[0] = '\0';
	vmfex_catalog_foreach_profile(f->cat, p)
		saw(&w, vmfex_profile_get_name(p));
	assert_string_equal(w.s, "0 a b bb d");
}

/* An import replaces the profile of its name: the loop variable, then the
 * old object, is deleted. */
static void profile_replaced_by_import(void **state)
{
	static const char resp[] =
	        "<configResolveClass response=\"yes\" classId=\"vnicProfile\"><outConfigs>"
	        "<vnicProfile dn=\"fabric/lan/profiles/vnic-b\" name=\"b\" maxPorts=\"8\"/>"
	        "</outConfigs></configResolveClass>";
	struct fx *f = *state;
	struct vmfex_profile *p, *b;
	struct seen w = { "" };

	vmfex_catalog_foreach_profile(f->cat, p) {
		saw(&w, vmfex_profile_get_name(p));
		if (strcmp(vmfex_profile_get_name(p), "b") == 0) {
			assert_int_equal(vmfex_catalog_import_ucsm(f->cat, resp, sizeof(resp) - 1), 1);
			assert_deleted_profile(p, "b");
		}
	}
	assert_string_equal(w.s, "a b c d");
	assert_int_equal(vmfex_catalog_lookup_profile(f->cat, "b", &b), 0);
	assert_int_equal(vmfex_profile_get_max_ports(b), 8);
	vmfex_profile_unref(b);
}

/* A reference held to a deleted profile keeps it (and the catalog). */
static void profile_deleted_with_reference(void **state)
{
	struct fx *f = *state;
	struct vmfex_profile *p;

	assert_int_equal(vmfex_catalog_lookup_profile(f->cat, "a", &p), 0);
	assert_int_equal(vmfex_catalog_del_profile(f->cat, "a"), 0);
	assert_deleted_profile(p, "a");
	assert_string_equal(vmfex_profile_get_name(vmfex_catalog_next_profile(f->cat, p)), "b");
	vmfex_profile_unref(p);
}

static void cluster_walks(void **state)
{
	struct fx *f = *state;
	struct vmfex_cluster *cl;
	struct seen w = { "" };

	vmfex_catalog_foreach_cluster(f->cat, cl) {
		const char *name = vmfex_cluster_get_name(cl);

		saw(&w, name);
		if (strcmp(name, "a") == 0) {
			assert_int_equal(vmfex_catalog_del_cluster(f->cat, "a"), 0);
			assert_string_equal(vmfex_cluster_get_name(cl), "a");
			assert_false(vmfex_cluster_is_default(cl));
			assert_int_equal(vmfex_catalog_del_cluster(f->cat, "b"), 0);
			assert_int_equal(vmfex_catalog_add_cluster(f->cat, "0", NULL), 0);
			assert_int_equal(vmfex_catalog_add_cluster(f->cat, "bb", NULL), 0);
		}
		if (strcmp(name, "c") == 0) {
			churn(f->cat, true);
			assert_int_equal(vmfex_catalog_del_cluster(f->cat, "c"), 0);
		}
	}
	assert_string_equal(w.s, "a bb c d default");
	w.s[0] = '\0';
	vmfex_catalog_foreach_cluster(f->cat, cl)
		saw(&w, vmfex_cluster_get_name(cl));
	assert_string_equal(w.s, "0 bb d default");
}

static void vlan_walks(void **state)
{
	struct fx *f = *state;
	struct vmfex_profile *p;
	struct vmfex_vlan *v;
	struct seen w = { "" };

	assert_int_equal(vmfex_catalog_lookup_profile(f->cat, "a", &p), 0);
	assert_int_equal(vmfex_profile_set_vlan(p, "v1", 1, false), 0);
	assert_int_equal(vmfex_profile_set_vlan(p, "v2", 2, true), 0);
	assert_int_equal(vmfex_profile_set_vlan(p, "v3", 3, false), 0);
	assert_int_equal(vmfex_profile_set_vlan(p, "v4", 4, false), 0);
	vmfex_profile_foreach_vlan(p, v) {
		const char *name = vmfex_vlan_get_name(v);

		saw(&w, name);
		if (strcmp(name, "v1") == 0) {
			/* Enough new ones for the list to grow. */
			for (int i = 0; i < 32; i++) {
				char n[8];

				snprintf(n, sizeof(n), "v0%02d", i);
				assert_int_equal(vmfex_profile_set_vlan(p, n, 100 + (unsigned int)i,
				                                        false), 0);
			}
			assert_int_equal(vmfex_profile_set_vlan(p, "v1a", 11, false), 0);
			assert_int_equal(vmfex_profile_del_vlan(p, "v3"), 0);
		}
		if (strcmp(name, "v2") == 0) {
			assert_int_equal(vmfex_profile_del_vlan(p, "v2"), 0);
			/* Still what it was. */
			assert_string_equal(vmfex_vlan_get_name(v), "v2");
			assert_int_equal(vmfex_vlan_get_id(v), 2);
		}
	}
	assert_string_equal(w.s, "v1 v1a v2 v4");
	w.s[0] = '\0';
	vmfex_profile_foreach_vlan(p, v)
		if (strncmp(vmfex_vlan_get_name(v), "v0", 2) != 0)
			saw(&w, vmfex_vlan_get_name(v));
	assert_string_equal(w.s, "v1 v1a v4");
	/* A deleted VLAN set again is a new one, not native. */
	assert_int_equal(vmfex_profile_set_vlan(p, "v2", 22, false), 0);
	vmfex_profile_foreach_vlan(p, v)
		assert_false(vmfex_vlan_is_native(v));
	vmfex_profile_unref(p);
}

/* A profile whose clients are every cluster (an imported swName "All")
 * and the named cluster d; the clusters deleted and added inside the
 * walk of its clients, and its UCS Manager clients deleted inside theirs. */
static void client_walks(void **state)
{
	static const char resp[] =
	        "<configResolveClass response=\"yes\" classId=\"vnicProfile\"><outConfigs>"
	        "<vnicProfile dn=\"fabric/lan/profiles/vnic-p\" name=\"p\">"
	        "<vmVnicProfCl rn=\"cl-all\" name=\"all\" swName=\"All\"/>"
	        "<vmVnicProfCl rn=\"cl-m1\" name=\"m1\" swName=\"^m\"/>"
	        "<vmVnicProfCl rn=\"cl-m2\" name=\"m2\" swName=\"^n\"/>"
	        "</vnicProfile></outConfigs></configResolveClass>";
	struct fx *f = *state;
	const struct vmfex_ucsm_client *uc;
	struct vmfex_profile *p;
	const char *name;
	struct seen w = { "" };

	assert_int_equal(vmfex_catalog_import_ucsm(f->cat, resp, sizeof(resp) - 1), 1);
	assert_int_equal(vmfex_catalog_lookup_profile(f->cat, "p", &p), 0);
	vmfex_profile_foreach_client(p, name) {
		saw(&w, name);
		if (strcmp(name, "a") == 0) {
			assert_int_equal(vmfex_catalog_del_cluster(f->cat, "a"), 0);
			assert_string_equal(name, "a");
			assert_int_equal(vmfex_catalog_add_cluster(f->cat, "aa", NULL), 0);
			for (int i = 0; i < 64; i++) {
				char n[8];

				snprintf(n, sizeof(n), "e%02d", i);
				assert_int_equal(vmfex_catalog_add_cluster(f->cat, n, NULL), 0);
			}
		}
		if (strcmp(name, "c") == 0)
			assert_int_equal(vmfex_catalog_del_cluster(f->cat, "d"), 0);
	}
	assert_string_equal(w.s, "a aa b c default "
	                         "e00 e01 e02 e03 e04 e05 e06 e07 e08 e09 e10 e11 e12 e13 e14 e15 "
	                         "e16 e17 e18 e19 e20 e21 e22 e23 e24 e25 e26 e27 e28 e29 e30 e31 "
	                         "e32 e33 e34 e35 e36 e37 e38 e39 e40 e41 e42 e43 e44 e45 e46 e47 "
	                         "e48 e49 e50 e51 e52 e53 e54 e55 e56 e57 e58 e59 e60 e61 e62 e63");

	w.s[0] = '\0';
	vmfex_profile_foreach_ucsm_client(p, uc) {
		saw(&w, vmfex_ucsm_client_get_name(uc));
		if (strcmp(vmfex_ucsm_client_get_name(uc), "all") == 0) {
			assert_int_equal(vmfex_profile_del_client(p, "all"), 0);
			assert_string_equal(vmfex_ucsm_client_get_sw_name(uc), "All");
		}
		if (strcmp(vmfex_ucsm_client_get_name(uc), "m1") == 0)
			assert_int_equal(vmfex_profile_del_client(p, "m2"), 0);
	}
	assert_string_equal(w.s, "all m1");
	w.s[0] = '\0';
	vmfex_profile_foreach_ucsm_client(p, uc)
		saw(&w, vmfex_ucsm_client_get_name(uc));
	assert_string_equal(w.s, "m1");
	vmfex_profile_unref(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(profile_delete_loop_variable, setup, teardown),
		cmocka_unit_test_setup_teardown(profile_delete_next_and_add, setup, teardown),
		cmocka_unit_test_setup_teardown(profile_replaced_by_import, setup, teardown),
		cmocka_unit_test_setup_teardown(profile_deleted_with_reference, setup, teardown),
		cmocka_unit_test_setup_teardown(cluster_walks, setup, teardown),
		cmocka_unit_test_setup_teardown(vlan_walks, setup, teardown),
		cmocka_unit_test_setup_teardown(client_walks, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
