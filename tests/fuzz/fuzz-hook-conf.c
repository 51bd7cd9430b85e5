/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target for the settings of vmfex-libvirt-hook
 * (tools/libvirt-hook/hook-conf.c).
 *
 * Properties checked:
 *  - a rejected file names its line and fault, an accepted one does not;
 *  - an accepted file holds only values in range: absolute paths (or
 *    none), NUL-terminated within their fields, a timeout up to 600000 ms,
 *    a syslog priority from err to debug;
 *  - the same text parses the same way twice (no state kept). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "tools/libvirt-hook/hook-conf.h"
#include "fuzz-check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_path(const char *p)
{
	CHECK(memchr(p, '\0', HOOK_CONF_VALUE_MAX) != NULL);
	CHECK(p[0] == '\0' || p[0] == '/');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hook_conf *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	char why[256] = "", why2[256] = "";
	int r, r2;

	if (!a || !b) {
		free(a);
		free(b);
		return 0;
	}
	r = hook_conf_parse((const char *)data, size, a, why, sizeof(why));
	r2 = hook_conf_parse((const char *)data, size, b, why2, sizeof(why2));
	CHECK(r == r2 && strcmp(why, why2) == 0);
	if (r < 0) {
		CHECK(strncmp(why, "line ", 5) == 0);
	} else {
		CHECK(r == 0 && why[0] == '\0');
		check_path(a->catalog);
		check_path(a->sim);
		check_path(a->state_dir);
		CHECK(a->state_dir[0] == '/');
		CHECK(a->timeout_ms <= 600000);
		CHECK(a->log_priority >= LOG_ERR && a->log_priority <= LOG_DEBUG);
		CHECK(memcmp(a, b, sizeof(*a)) == 0);
	}
	free(a);
	free(b);
	return 0;
}
