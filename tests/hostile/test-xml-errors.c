/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libxml2's error reports during the library's parses and writes: they
 * reach the context's log function, nothing of them reaches stderr or the
 * handlers that the application (or another library in the process)
 * installed, and those handlers are in place again afterwards. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include <libvmfex/libvmfex.h>
#include <libvmfex/catalog.h>

static char logged[8192];
static int app_generic_calls, app_structured_calls;

static void capture_log(void *data, int priority, const char *file, int line, const char *fn,
                        const char *format, va_list args)
{
	size_t n = strlen(logged);

	vsnprintf(logged + n, sizeof(logged) - n, format, args);
	n = strlen(logged);
	if (n + 1 < sizeof(logged))
		strcat(logged, "\n");
}

static void app_generic(void *data, const char *msg, ...)
{
	app_generic_calls++;
}

static void app_structured(void *data, xmlErrorPtr e)
{
	app_structured_calls++;
}

/* libxml2 reports a failed conversion of input in the document's declared
 * encoding outside the parser context: once through its global handlers. */
static const char sjis[] =
	"<?xml version='1.0' encoding='SHIFT_JIS'?><catalog version='1'>\x81</catalog>";

static void test_parse_errors_to_the_log(void **state)
{
	struct vmfex_new_opts o = { .sz = sizeof(o), .sysfs_root = "/nonexistent", .ignore_env = 1 };
	struct vmfex_catalog *cat = NULL;
	struct vmfex_ctx *ctx;
	int app_data;

	assert_int_equal(vmfex_new_with_opts(&o, &ctx), 0);
	vmfex_set_log_fn(ctx, capture_log, NULL);
	xmlSetGenericErrorFunc(&app_data, app_generic);
	xmlSetStructuredErrorFunc(&app_data, app_structured);
	logged[0] = '\0';

	assert_int_equal(vmfex_catalog_new_from_buffer(ctx, sjis, sizeof(sjis) - 1, &cat),
	                 -EINVAL);
	assert_null(cat);
	assert_non_null(strstr(logged, "input conversion failed"));
	assert_int_equal(app_generic_calls, 0);
	assert_int_equal(app_structured_calls, 0);

	/* The application's handlers are back: an error raised now is theirs. */
	xmlFreeDoc(xmlReadMemory(sjis, (int)sizeof(sjis) - 1, NULL, NULL, 0));
	assert_true(app_structured_calls > 0);
	assert_ptr_equal(xmlStructuredErrorContext, &app_data);
	assert_ptr_equal(xmlGenericErrorContext, &app_data);
	xmlSetGenericErrorFunc(NULL, NULL);
	xmlSetStructuredErrorFunc(NULL, NULL);
	vmfex_unref(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_errors_to_the_log),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
