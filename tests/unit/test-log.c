/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* VMFEX_LOG values (core/log.c): syslog priority numbers and names. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "libvmfex-private.h"

static void priority_numbers(void **state)
{
	assert_int_equal(vmfex_log_priority_from_string("0"), LOG_EMERG);
	assert_int_equal(vmfex_log_priority_from_string("1"), LOG_ALERT);
	assert_int_equal(vmfex_log_priority_from_string("2"), LOG_CRIT);
	assert_int_equal(vmfex_log_priority_from_string("3"), LOG_ERR);
	assert_int_equal(vmfex_log_priority_from_string("4"), LOG_WARNING);
	assert_int_equal(vmfex_log_priority_from_string("5"), LOG_NOTICE);
	assert_int_equal(vmfex_log_priority_from_string("6"), LOG_INFO);
	assert_int_equal(vmfex_log_priority_from_string("7"), LOG_DEBUG);
	assert_int_equal(vmfex_log_priority_from_string("07"), LOG_DEBUG);
}

static void priority_names(void **state)
{
	assert_int_equal(vmfex_log_priority_from_string("emerg"), LOG_EMERG);
	assert_int_equal(vmfex_log_priority_from_string("alert"), LOG_ALERT);
	assert_int_equal(vmfex_log_priority_from_string("crit"), LOG_CRIT);
	assert_int_equal(vmfex_log_priority_from_string("err"), LOG_ERR);
	assert_int_equal(vmfex_log_priority_from_string("error"), LOG_ERR);
	assert_int_equal(vmfex_log_priority_from_string("warning"), LOG_WARNING);
	assert_int_equal(vmfex_log_priority_from_string("warn"), LOG_WARNING);
	assert_int_equal(vmfex_log_priority_from_string("notice"), LOG_NOTICE);
	assert_int_equal(vmfex_log_priority_from_string("info"), LOG_INFO);
	assert_int_equal(vmfex_log_priority_from_string("debug"), LOG_DEBUG);
}

static void priority_names_any_case(void **state)
{
	assert_int_equal(vmfex_log_priority_from_string("ERR"), LOG_ERR);
	assert_int_equal(vmfex_log_priority_from_string("Error"), LOG_ERR);
	assert_int_equal(vmfex_log_priority_from_string("DEBUG"), LOG_DEBUG);
	assert_int_equal(vmfex_log_priority_from_string("Info"), LOG_INFO);
	assert_int_equal(vmfex_log_priority_from_string("WaRn"), LOG_WARNING);
}

static void priority_invalid(void **state)
{
	static const char *const bad[] = {
		"", "8", "9", "10", "-1", "+3", " 3", "3 ", "3x", "0x3", "3.0",
		"99999999999999999999999999999", "er", "errr", "errors", "warnings", "debug2",
		" err", "err ", "verbose", "trace", "none", "off", "all", "LOG_ERR", "e\xc3\xa9",
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		int r = vmfex_log_priority_from_string(bad[i]);

		if (r != -EINVAL)
			fail_msg("'%s': %d, expected -EINVAL", bad[i], r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(priority_numbers),
		cmocka_unit_test(priority_names),
		cmocka_unit_test(priority_names_any_case),
		cmocka_unit_test(priority_invalid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
