/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "shim.h"
#include "_cgo_export.h"

static void vmfex_go_log(void *data, int priority, const char *file, int line,
                         const char *fn, const char *format, va_list args)
	__attribute__((format(printf, 6, 0)));

static void vmfex_go_log(void *data, int priority, const char *file, int line,
                         const char *fn, const char *format, va_list args)
{
	char buf[1024];
	char *msg = buf;
	va_list copy;
	int n;

	va_copy(copy, args);
	n = vsnprintf(buf, sizeof(buf), format, args);
	if (n >= (int)sizeof(buf)) {
		msg = malloc((size_t)n + 1);
		if (msg)
			vsnprintf(msg, (size_t)n + 1, format, copy);
		else
			msg = buf;
	}
	va_end(copy);
	if (n < 0)
		buf[0] = '\0';
	goVmfexLog((uintptr_t)data, priority, (char *)file, line, (char *)fn, msg);
	if (msg != buf)
		free(msg);
}

void vmfex_go_opts_log(struct vmfex_new_opts *opts, uintptr_t id)
{
	opts->log_fn = vmfex_go_log;
	opts->log_data = (void *)id;
}
