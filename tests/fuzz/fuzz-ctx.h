/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The context of the fuzz targets: every message formatted at debug
 * level, so each error path's format string runs on the hostile values it
 * quotes, and nothing printed. */
#ifndef VMFEX_FUZZ_CTX_H
#define VMFEX_FUZZ_CTX_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "libvmfex-private.h"

static void fuzz_log_discard(void *data, int priority, const char *file, int line,
                             const char *fn, const char *format, va_list args) _printf_(6, 0);
static void fuzz_log_discard(void *data, int priority, const char *file, int line,
                             const char *fn, const char *format, va_list args)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), format, args);
}

/* Silences ctx: for a context made by other means (a simulated host). */
static inline void fuzz_ctx_quiet(struct vmfex_ctx *ctx)
{
	vmfex_set_log_fn(ctx, fuzz_log_discard, NULL);
	vmfex_set_log_priority(ctx, LOG_DEBUG);
}

static inline struct vmfex_ctx *fuzz_ctx_new(void)
{
	struct vmfex_new_opts opts = { .sz = sizeof(opts), .ignore_env = 1 };
	struct vmfex_ctx *ctx;

	if (vmfex_new_with_opts(&opts, &ctx) < 0)
		abort();
	fuzz_ctx_quiet(ctx);
	return ctx;
}

#endif
