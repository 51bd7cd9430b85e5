/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The model tests' context: no host, its log caught so that a test can
 * check that a refusal names the culprit. Include after cmocka.h. */
#ifndef MODEL_TEST_H
#define MODEL_TEST_H

#include <stdarg.h>
#include <stdio.h>

#include <libvmfex/libvmfex.h>

/* The last message logged. */
static char last_log[1024];

static void capture_log(void *data, int priority, const char *file, int line, const char *fn,
                        const char *format, va_list args) __attribute__((format(printf, 6, 0)));
static void capture_log(void *data, int priority, const char *file, int line, const char *fn,
                        const char *format, va_list args)
{
	vsnprintf(last_log, sizeof(last_log), format, args);
}

static struct vmfex_ctx *model_test_ctx(void)
{
	struct vmfex_new_opts o = { .sz = sizeof(o), .sysfs_root = "/nonexistent", .ignore_env = 1 };
	struct vmfex_ctx *ctx;

	assert_int_equal(vmfex_new_with_opts(&o, &ctx), 0);
	vmfex_set_log_fn(ctx, capture_log, NULL);
	return ctx;
}

#endif
