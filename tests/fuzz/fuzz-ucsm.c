/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target for the UCS Manager importer (lib/model/ucsm-import.c).
 *
 * Properties checked: a refused import leaves the catalog byte for byte
 * as it was; an accepted one gives a catalog that is written, read back
 * and written again to the same bytes, and whose profile count grew by
 * at most the number imported. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/model-private.h"
#include "fuzz-check.h"
#include "fuzz-ctx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vmfex_ctx *ctx;
	struct vmfex_catalog *c, *d;
	struct vmfex_profile *p;
	char *before, *after, *again;
	size_t lb, la, lg;
	int r;

	if (!ctx)
		ctx = fuzz_ctx_new();
	CHECK(vmfex_catalog_new(ctx, &c) == 0);
	CHECK(vmfex_catalog_add_profile(c, "existing", &p) == 0);
	CHECK(vmfex_profile_set_vlan(p, "v", 7, true) == 0);
	vmfex_profile_unref(p);
	CHECK(vmfex_catalog_write_buffer(c, &before, &lb) == 0);
	r = vmfex_catalog_import_ucsm(c, (const char *)data, size);
	CHECK(vmfex_catalog_write_buffer(c, &after, &la) == 0);
	if (r < 0) {
		CHECK(la == lb && memcmp(before, after, la) == 0);
	} else {
		CHECK(vmfex_catalog_get_n_profiles(c) <= 1 + (size_t)r);
		CHECK(vmfex_catalog_new_from_buffer(ctx, after, la, &d) == 0);
		CHECK(vmfex_catalog_write_buffer(d, &again, &lg) == 0);
		CHECK(la == lg && memcmp(after, again, la) == 0);
		free(again);
		vmfex_catalog_unref(d);
	}
	free(before);
	free(after);
	vmfex_catalog_unref(c);
	return 0;
}
