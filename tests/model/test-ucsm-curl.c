/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A UCS Manager sync on a system without libcurl: this program is built
 * with lib/model/ucsm-curl.c asking for a library that does not exist
 * (VMFEX_LIBCURL_SONAME, see meson.build), as a system lacking libcurl
 * would have it. The sync fails with -EOPNOTSUPP before any request, its
 * log line names the library and what to install, and the catalog is
 * unchanged. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model/model-private.h"
#include "model/ucsm-http.h"

static char last_log[1024];

static void capture_log(void *data, int priority, const char *file, int line, const char *fn,
                        const char *format, va_list args)
{
	vsnprintf(last_log, sizeof(last_log), format, args);
}

static int setup(void **state)
{
	static struct vmfex_ctx *ctx;
	struct vmfex_new_opts o = { .sz = sizeof(o), .sysfs_root = "/nonexistent", .ignore_env = 1 };

	assert_int_equal(vmfex_new_with_opts(&o, &ctx), 0);
	vmfex_set_log_fn(ctx, capture_log, NULL);
	*state = ctx;
	return 0;
}

static int teardown(void **state)
{
	vmfex_unref(*state);
	return 0;
}

static void assert_log_names_library(void)
{
	if (!strstr(last_log, VMFEX_LIBCURL_SONAME) || !strstr(last_log, "libcurl4") ||
	    !strstr(last_log, "UCS Manager sync"))
		fail_msg("log line '%s' does not name %s, the sync and what to install", last_log,
		         VMFEX_LIBCURL_SONAME);
}

static void request_refused(void **state)
{
	struct ucsm_http *h = NULL;

	/* Twice: a failed load is not remembered as a success. */
	for (int i = 0; i < 2; i++) {
		last_log[0] = '\0';
		assert_int_equal(ucsm_http_new(*state, "https://ucsm.example", NULL, false, &h),
		                 -EOPNOTSUPP);
		assert_null(h);
		assert_log_names_library();
	}
}

static void sync_refused_catalog_unchanged(void **state)
{
	struct vmfex_ucsm_sync_opts o = {
		.sz = sizeof(o), .url = "https://127.0.0.1:9", .user = "admin", .password = "secret",
	};
	struct vmfex_catalog *c;
	char *before, *after;
	size_t lb, la;

	assert_int_equal(vmfex_catalog_new(*state, &c), 0);
	assert_int_equal(vmfex_catalog_add_cluster(c, "rack-2", NULL), 0);
	assert_int_equal(vmfex_catalog_add_profile(c, "web", NULL), 0);
	assert_int_equal(vmfex_catalog_write_buffer(c, &before, &lb), 0);
	last_log[0] = '\0';
	assert_int_equal(vmfex_catalog_sync_ucsm(c, &o), -EOPNOTSUPP);
	assert_log_names_library();
	assert_int_equal(vmfex_catalog_write_buffer(c, &after, &la), 0);
	assert_int_equal(la, lb);
	assert_memory_equal(after, before, lb);
	free(before);
	free(after);
	vmfex_catalog_unref(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(request_refused),
		cmocka_unit_test(sync_refused_catalog_unchanged),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
