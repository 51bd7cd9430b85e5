/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target for the catalog file's reader (lib/model/catalog-xml-read.c
 * through the hardened parser of lib/model/xml-safe.c).
 *
 * Properties checked: an accepted catalog is written, read back and
 * written again to the same bytes; every profile in it satisfies UCS
 * Manager's rules (max ports 1-4096, at most one native VLAN, VLAN ids
 * 0-4093); the default cluster is there. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/model-private.h"
#include "fuzz-check.h"
#include "fuzz-ctx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(struct vmfex_catalog *c)
{
	struct vmfex_profile *p;
	struct vmfex_cluster *cl;
	bool has_default = false;

	vmfex_catalog_foreach_cluster(c, cl)
		has_default |= vmfex_cluster_is_default(cl);
	CHECK(has_default);
	vmfex_catalog_foreach_profile(c, p) {
		struct vmfex_vlan *v;
		int natives = 0;

		CHECK(vmfex_profile_get_max_ports(p) >= 1 && vmfex_profile_get_max_ports(p) <= 4096);
		CHECK(vmfex_ucsm_name_check(vmfex_profile_get_name(p), 1, 31) == 0);
		vmfex_profile_foreach_vlan(p, v) {
			natives += vmfex_vlan_is_native(v);
			CHECK(vmfex_vlan_get_id(v) <= VMFEX_VLAN_ID_MAX);
		}
		CHECK(natives <= 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vmfex_ctx *ctx;
	struct vmfex_catalog *c, *d;
	char *a, *b;
	size_t la, lb;

	if (!ctx)
		ctx = fuzz_ctx_new();
	if (vmfex_catalog_new_from_buffer(ctx, (const char *)data, size, &c) < 0)
		return 0;
	check(c);
	CHECK(vmfex_catalog_write_buffer(c, &a, &la) == 0);
	CHECK(vmfex_catalog_new_from_buffer(ctx, a, la, &d) == 0);
	CHECK(vmfex_catalog_get_n_profiles(d) == vmfex_catalog_get_n_profiles(c));
	CHECK(vmfex_catalog_write_buffer(d, &b, &lb) == 0);
	CHECK(la == lb && memcmp(a, b, la) == 0);
	free(a);
	free(b);
	vmfex_catalog_unref(d);
	vmfex_catalog_unref(c);
	return 0;
}
