/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Parsers of sysfs attribute contents (core/sysfs-value.c): exact results
 * for what the kernel prints and for what a hostile tree may hold. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "libvmfex-private.h"

#define SENTINEL_UL 0xdeadbeefUL
#define SENTINEL_U16 0xbeef

/* ---- vmfex_hexdigit ---- */

static void hexdigit_digits(void **state)
{
	assert_int_equal(vmfex_hexdigit('0'), 0);
	assert_int_equal(vmfex_hexdigit('7'), 7);
	assert_int_equal(vmfex_hexdigit('9'), 9);
	assert_int_equal(vmfex_hexdigit('a'), 10);
	assert_int_equal(vmfex_hexdigit('f'), 15);
	assert_int_equal(vmfex_hexdigit('A'), 10);
	assert_int_equal(vmfex_hexdigit('F'), 15);
}

static void hexdigit_neighbours(void **state)
{
	/* The characters on either side of each range in ASCII. */
	assert_int_equal(vmfex_hexdigit('/'), -1);
	assert_int_equal(vmfex_hexdigit(':'), -1);
	assert_int_equal(vmfex_hexdigit('@'), -1);
	assert_int_equal(vmfex_hexdigit('G'), -1);
	assert_int_equal(vmfex_hexdigit('`'), -1);
	assert_int_equal(vmfex_hexdigit('g'), -1);
	assert_int_equal(vmfex_hexdigit('x'), -1);
	assert_int_equal(vmfex_hexdigit(' '), -1);
	assert_int_equal(vmfex_hexdigit('\0'), -1);
	assert_int_equal(vmfex_hexdigit('\n'), -1);
	assert_int_equal(vmfex_hexdigit((char)0xff), -1);
	assert_int_equal(vmfex_hexdigit((char)0x80), -1);
	assert_int_equal(vmfex_hexdigit((char)0xb0), -1); /* '0' | 0x80 */
	assert_int_equal(vmfex_hexdigit((char)0xe1), -1); /* 'a' | 0x80 */
}

static void hexdigit_all_bytes(void **state)
{
	static const char digits[] = "0123456789abcdef";
	static const char upper[] = "ABCDEF";

	for (int c = 0; c < 256; c++) {
		const char *p = c ? strchr(digits, c) : NULL;
		const char *q = c ? strchr(upper, c) : NULL;
		int want = p ? (int)(p - digits) : q ? 10 + (int)(q - upper) : -1;

		assert_int_equal(vmfex_hexdigit((char)c), want);
	}
}

/* ---- vmfex_parse_uint ---- */

static int parse_uint_str(const char *s, unsigned long max, unsigned long *out)
{
	return vmfex_parse_uint(s, strlen(s), max, out);
}

static void parse_uint_values(void **state)
{
	unsigned long v;

	assert_int_equal(parse_uint_str("0", 65535, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_uint_str("0\n", 65535, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_uint_str("16\n", 65535, &v), 0);
	assert_int_equal(v, 16);
	assert_int_equal(parse_uint_str("256", 65535, &v), 0);
	assert_int_equal(v, 256);
	assert_int_equal(parse_uint_str("65535\n", 65535, &v), 0);
	assert_int_equal(v, 65535);
	/* Leading zeros are a decimal number still. */
	assert_int_equal(parse_uint_str("007", 65535, &v), 0);
	assert_int_equal(v, 7);
}

static void parse_uint_max(void **state)
{
	unsigned long v = SENTINEL_UL;

	assert_int_equal(parse_uint_str("65536", 65535, &v), -ERANGE);
	assert_int_equal(parse_uint_str("65536\n", 65535, &v), -ERANGE);
	assert_int_equal(parse_uint_str("99999", 65535, &v), -ERANGE);
	assert_int_equal(parse_uint_str("1", 0, &v), -ERANGE);
	assert_int_equal(v, SENTINEL_UL);
	assert_int_equal(parse_uint_str("0", 0, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_uint_str("7", 7, &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(parse_uint_str("8", 7, &v), -ERANGE);
	assert_int_equal(parse_uint_str("10", 9, &v), -ERANGE);
	assert_int_equal(parse_uint_str("4294967295", 4294967295UL, &v), 0);
	assert_int_equal(v, 4294967295UL);
	assert_int_equal(parse_uint_str("4294967296", 4294967295UL, &v), -ERANGE);
}

static void parse_uint_overflow(void **state)
{
	unsigned long v = SENTINEL_UL;
	char ulong_max[32], ulong_max_plus1[32];

	snprintf(ulong_max, sizeof(ulong_max), "%lu", ULONG_MAX);
	/* ULONG_MAX ends in 5 (2^64-1 and 2^32-1): the next number is ...6. */
	strcpy(ulong_max_plus1, ulong_max);
	ulong_max_plus1[strlen(ulong_max_plus1) - 1]++;

	assert_int_equal(parse_uint_str(ulong_max, ULONG_MAX, &v), 0);
	assert_true(v == ULONG_MAX);
	v = SENTINEL_UL;
	assert_int_equal(parse_uint_str(ulong_max_plus1, ULONG_MAX, &v), -ERANGE);
	assert_int_equal(parse_uint_str("123456789012345678901234567890", ULONG_MAX, &v),
	                 -ERANGE);
	assert_int_equal(parse_uint_str("123456789012345678901234567890", 65535, &v), -ERANGE);
	assert_int_equal(v, SENTINEL_UL);
}

static void parse_uint_huge(void **state)
{
	char buf[5000];
	unsigned long v = SENTINEL_UL;

	memset(buf, '7', sizeof(buf));
	assert_int_equal(vmfex_parse_uint(buf, sizeof(buf), 65535, &v), -ERANGE);
	memset(buf, '0', sizeof(buf));
	assert_int_equal(vmfex_parse_uint(buf, sizeof(buf), 65535, &v), 0);
	assert_int_equal(v, 0);
	v = SENTINEL_UL;
	buf[sizeof(buf) - 1] = 'x';
	assert_int_equal(vmfex_parse_uint(buf, sizeof(buf), 65535, &v), -EINVAL);
	assert_int_equal(v, SENTINEL_UL);
}

static void parse_uint_junk(void **state)
{
	static const char *const bad[] = {
		"", "\n", "\n\n", "1\n\n", "-1", "+1", " 1", "1 ", "1\t", "\t1", "0x10", "1a",
		"a", "abc", "1.5", "1,5", "1e3", "١", "\xef\xbc\x91" /* fullwidth 1 */,
	};
	unsigned long v = SENTINEL_UL;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		int r = parse_uint_str(bad[i], 65535, &v);

		if (r != -EINVAL)
			fail_msg("'%s': %d, expected -EINVAL", bad[i], r);
	}
	assert_int_equal(v, SENTINEL_UL);
}

static void parse_uint_length(void **state)
{
	unsigned long v = SENTINEL_UL;

	/* The length, not a NUL, ends the value. */
	assert_int_equal(vmfex_parse_uint("123", 2, 65535, &v), 0);
	assert_int_equal(v, 12);
	assert_int_equal(vmfex_parse_uint("12\n3", 3, 65535, &v), 0);
	assert_int_equal(v, 12);
	v = SENTINEL_UL;
	assert_int_equal(vmfex_parse_uint("1\0002", 3, 65535, &v), -EINVAL);
	assert_int_equal(vmfex_parse_uint("1\0", 2, 65535, &v), -EINVAL);
	assert_int_equal(vmfex_parse_uint("5", 0, 65535, &v), -EINVAL);
	assert_int_equal(v, SENTINEL_UL);
}

/* ---- vmfex_parse_hex16 ---- */

static int parse_hex16_str(const char *s, uint16_t *out)
{
	return vmfex_parse_hex16(s, strlen(s), out);
}

static void parse_hex16_prefixed(void **state)
{
	uint16_t v;

	/* PCI ids, as the kernel prints them ("0x%04x\n"). */
	assert_int_equal(parse_hex16_str("0x1137\n", &v), 0);
	assert_int_equal(v, 0x1137);
	assert_int_equal(parse_hex16_str("0x1137", &v), 0);
	assert_int_equal(v, 0x1137);
	assert_int_equal(parse_hex16_str("0x0043\n", &v), 0);
	assert_int_equal(v, 0x0043);
	assert_int_equal(parse_hex16_str("0x0000\n", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_hex16_str("0xffff\n", &v), 0);
	assert_int_equal(v, 0xffff);
	assert_int_equal(parse_hex16_str("0XFFFF", &v), 0);
	assert_int_equal(v, 0xffff);
	assert_int_equal(parse_hex16_str("0x10Ed", &v), 0);
	assert_int_equal(v, 0x10ed);
	assert_int_equal(parse_hex16_str("0x1", &v), 0);
	assert_int_equal(v, 1);
}

static void parse_hex16_bare(void **state)
{
	uint16_t v;

	/* sriov_vf_device, as kernel 6.1 prints it ("%x\n"). */
	assert_int_equal(parse_hex16_str("71\n", &v), 0);
	assert_int_equal(v, 0x71);
	assert_int_equal(parse_hex16_str("71", &v), 0);
	assert_int_equal(v, 0x71);
	assert_int_equal(parse_hex16_str("10ed\n", &v), 0);
	assert_int_equal(v, 0x10ed);
	assert_int_equal(parse_hex16_str("2b7\n", &v), 0);
	assert_int_equal(v, 0x2b7);
	assert_int_equal(parse_hex16_str("0\n", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_hex16_str("FFFF", &v), 0);
	assert_int_equal(v, 0xffff);
}

static void parse_hex16_range(void **state)
{
	uint16_t v = SENTINEL_U16;

	assert_int_equal(parse_hex16_str("0x10000", &v), -ERANGE);
	assert_int_equal(parse_hex16_str("10000\n", &v), -ERANGE);
	assert_int_equal(parse_hex16_str("0x000000000000000000000000001137", &v), -ERANGE);
	assert_int_equal(parse_hex16_str("123456789012345678901234567890", &v), -ERANGE);
	assert_int_equal(v, SENTINEL_U16);
}

static void parse_hex16_junk(void **state)
{
	static const char *const bad[] = {
		"", "\n", "0x", "0x\n", "0X", "x71", "0x0x1", "0xg1", "g", " 71", "71 ", "-1",
		"+71", "0x-1", "0x 71", "71\n\n", "7 1", "0o7", "0x1.", "\xef\xbc\x91",
	};
	uint16_t v = SENTINEL_U16;
	int r;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		r = parse_hex16_str(bad[i], &v);

		if (r != -EINVAL)
			fail_msg("'%s': %d, expected -EINVAL", bad[i], r);
	}
	assert_int_equal(v, SENTINEL_U16);
	/* Five letters after 0x: refused, as too long or as no number. */
	r = parse_hex16_str("0xcisco", &v);
	assert_true(r == -ERANGE || r == -EINVAL);
	assert_int_equal(v, SENTINEL_U16);
	/* Letters that happen to be hex digits are a number. */
	assert_int_equal(parse_hex16_str("0b1", &v), 0);
	assert_int_equal(v, 0xb1);
	v = SENTINEL_U16;
	assert_int_equal(parse_hex16_str("cafe", &v), 0);
	assert_int_equal(v, 0xcafe);
}

static void parse_hex16_length(void **state)
{
	uint16_t v = SENTINEL_U16;
	char huge[5000];

	assert_int_equal(vmfex_parse_hex16("0x11370", 6, &v), 0);
	assert_int_equal(v, 0x1137);
	v = SENTINEL_U16;
	assert_int_equal(vmfex_parse_hex16("7\0", 2, &v), -EINVAL);
	assert_int_equal(vmfex_parse_hex16("0x\0" "71", 5, &v), -EINVAL);
	assert_int_equal(vmfex_parse_hex16("71", 0, &v), -EINVAL);
	memset(huge, 'f', sizeof(huge));
	assert_int_equal(vmfex_parse_hex16(huge, sizeof(huge), &v), -ERANGE);
	assert_int_equal(v, SENTINEL_U16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hexdigit_digits),
		cmocka_unit_test(hexdigit_neighbours),
		cmocka_unit_test(hexdigit_all_bytes),
		cmocka_unit_test(parse_uint_values),
		cmocka_unit_test(parse_uint_max),
		cmocka_unit_test(parse_uint_overflow),
		cmocka_unit_test(parse_uint_huge),
		cmocka_unit_test(parse_uint_junk),
		cmocka_unit_test(parse_uint_length),
		cmocka_unit_test(parse_hex16_prefixed),
		cmocka_unit_test(parse_hex16_bare),
		cmocka_unit_test(parse_hex16_range),
		cmocka_unit_test(parse_hex16_junk),
		cmocka_unit_test(parse_hex16_length),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
