/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libxml2's error reports, routed to the context's log function for the
 * length of one parse or one write. libxml2 2.9 has no per-parser handler
 * for the errors it raises outside a parser context (encoding conversion,
 * I/O, the text writer): those go to its generic and structured handlers,
 * which are per thread. They are set on entry and the previous ones put
 * back on exit, so that nothing reaches stderr and another library in the
 * process, or another thread, keeps its own handlers. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libxml/globals.h>
#include <libxml/xmlerror.h>

#include "model/model-private.h"

static void trim(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

static void structured_error(void *data, xmlErrorPtr e)
{
	struct vmfex_xml_errors *x = data;
	char msg[256];

	snprintf(msg, sizeof(msg), "%s", e->message ? e->message : "unknown error");
	trim(msg);
	/* A parser's own errors end its parse, which reports the last of
	 * them with its line: the others are logged here, or never. */
	if (e->domain == XML_FROM_PARSER || e->domain == XML_FROM_NAMESPACE)
		DBG(x->ctx, "%s:%d: %s", x->what, e->line, msg);
	else
		ERR(x->ctx, "%s: %s", x->what, msg);
}

static void generic_error(void *data, const char *fmt, ...)
{
	struct vmfex_xml_errors *x = data;
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	trim(msg);
	if (msg[0])
		ERR(x->ctx, "%s: %s", x->what, msg);
}

void vmfex_xml_errors_begin(struct vmfex_xml_errors *x, struct vmfex_ctx *ctx, const char *what)
{
	x->ctx = ctx;
	x->what = what;
	x->prev_structured = xmlStructuredError;
	x->prev_structured_data = xmlStructuredErrorContext;
	x->prev_generic = xmlGenericError;
	x->prev_generic_data = xmlGenericErrorContext;
	xmlSetStructuredErrorFunc(x, structured_error);
	xmlSetGenericErrorFunc(x, generic_error);
}

void vmfex_xml_errors_end(struct vmfex_xml_errors *x)
{
	xmlSetStructuredErrorFunc(x->prev_structured_data, x->prev_structured);
	xmlSetGenericErrorFunc(x->prev_generic_data, x->prev_generic);
}
