/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Per-context logging, after libkmod: callers check the priority first so
 * that disabled messages cost no formatting. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "libvmfex-private.h"

void vmfex_log(struct vmfex_ctx *ctx, int priority, const char *file, int line,
               const char *fn, const char *format, ...)
{
	va_list args;

	if (!ctx->log_fn)
		return;
	va_start(args, format);
	ctx->log_fn(ctx->log_data, priority, file, line, fn, format, args);
	va_end(args);
}

/* "3", "err", "info", "debug" ...; -EINVAL for anything else. */
int vmfex_log_priority_from_string(const char *s)
{
	static const char *const names[] = {
		"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug",
	};
	unsigned long v;

	if (vmfex_parse_uint(s, strlen(s), LOG_DEBUG, &v) == 0)
		return (int)v;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcasecmp(s, names[i]) == 0)
			return (int)i;
	if (strcasecmp(s, "error") == 0)
		return LOG_ERR;
	if (strcasecmp(s, "warn") == 0)
		return LOG_WARNING;
	return -EINVAL;
}
