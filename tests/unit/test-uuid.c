/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The library's one UUID validator (core/uuid.c): the 8-4-4-4-12 form of
 * RFC 4122, hexadecimal digits of either case, nothing before or after. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "libvmfex-private.h"

static void valid(void **state)
{
	static const char *const good[] = {
		"6b9a1e2c-3d4f-4a5b-8c6d-7e8f90a1b2c3",
		"6B9A1E2C-3D4F-4A5B-8C6D-7E8F90A1B2C3",
		"00000000-0000-0000-0000-000000000000",
		"ffffffff-ffff-ffff-ffff-ffffffffffff",
	};

	for (size_t i = 0; i < ARRAY_SIZE(good); i++)
		if (vmfex_uuid_validate(good[i]) != 0)
			fail_msg("'%s' refused", good[i]);
}

static void invalid(void **state)
{
	static const char *const bad[] = {
		"",
		"nope",
		"6b9a1e2c-3d4f-4a5b-8c6d-7e8f90a1b2c",     /* 35 characters */
		"6b9a1e2c-3d4f-4a5b-8c6d-7e8f90a1b2c3a",   /* 37 */
		"6b9a1e2c-3d4f-4a5b-8c6d-7e8f90a1b2c3\n",
		" 6b9a1e2c-3d4f-4a5b-8c6d-7e8f90a1b2c",
		"6b9a1e2c3d4f-4a5b-8c6d-7e8f90a1b2c3-",    /* hyphen moved */
		"6b9a1e2c-3d4f-4a5b-8c6d_7e8f90a1b2c3",
		"6b9a1e2g-3d4f-4a5b-8c6d-7e8f90a1b2c3",    /* not hexadecimal */
		"{6b9a1e2c-3d4f-4a5b-8c6d-7e8f90a1b2c}",
		"6b9a1e2c3d4f4a5b8c6d7e8f90a1b2c3",        /* no hyphens */
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		if (vmfex_uuid_validate(bad[i]) != -EINVAL)
			fail_msg("'%s' taken", bad[i]);
	assert_int_equal(vmfex_uuid_validate(NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid),
		cmocka_unit_test(invalid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
