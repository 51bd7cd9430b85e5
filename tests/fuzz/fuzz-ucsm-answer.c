/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target for the answers the live sync reads (lib/model/ucsm-sync.c):
 * the input is taken as UCS Manager's answer to aaaLogin, then to
 * configResolveClass, whose profiles are imported.
 *
 * Properties checked: an answer is accepted only when its root element
 * is the method's; a refused one leaves no document; a login answer
 * accepted gives a cookie or none, never more than 256 bytes; an import
 * refused leaves the catalog byte for byte as it was. */
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
	static const char *const methods[] = { "aaaLogin", "configResolveClass" };
	struct vmfex_catalog *c;
	unsigned long code;
	xmlDocPtr doc;
	int r;

	if (!ctx)
		ctx = fuzz_ctx_new();
	for (size_t i = 0; i < 2; i++) {
		r = vmfex_ucsm_answer_parse(ctx, methods[i], (const char *)data, size, &doc, &code);
		if (r < 0) {
			CHECK(doc == NULL);
			continue;
		}
		CHECK(vmfex_xml_is(xmlDocGetRootElement(doc), methods[i]));
		if (i == 0) {
			const char *cookie = vmfex_ucsm_answer_cookie(doc);

			CHECK(!cookie || (*cookie && strlen(cookie) <= 256));
		} else {
			char *before, *after;
			size_t lb, la;

			CHECK(vmfex_catalog_new(ctx, &c) == 0);
			CHECK(vmfex_catalog_write_buffer(c, &before, &lb) == 0);
			r = vmfex_ucsm_import_docs(c, &doc, 1);
			CHECK(vmfex_catalog_write_buffer(c, &after, &la) == 0);
			if (r < 0)
				CHECK(la == lb && memcmp(before, after, la) == 0);
			free(before);
			free(after);
			vmfex_catalog_unref(c);
		}
		xmlFreeDoc(doc);
	}
	return 0;
}
