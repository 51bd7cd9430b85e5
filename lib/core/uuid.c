/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* UUIDs as text, read by libuuid: the one validator of the library. */
#include <errno.h>
#include <string.h>
#include <uuid/uuid.h>

#include "libvmfex-private.h"

/* 8-4-4-4-12 hexadecimal digits, nothing before or after. */
int vmfex_uuid_validate(const char *s)
{
	uuid_t u;

	if (!s || strnlen(s, VMFEX_UUID_STRLEN) != VMFEX_UUID_STRLEN - 1 || uuid_parse(s, u) < 0)
		return -EINVAL;
	return 0;
}
