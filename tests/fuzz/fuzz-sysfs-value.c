/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target for the sysfs attribute parsers (lib/core/sysfs-value.c).
 *
 * The parsers take (buf, len) and must not read past len: the input is
 * given to them in a buffer of exactly that size, so AddressSanitizer
 * reports any read beyond it. Every result is compared with a slow
 * reference implementation written from the documented grammar:
 *   uint:  one or more decimal digits, one optional trailing '\n';
 *          -ERANGE above max, -EINVAL for anything else;
 *   hex16: optional "0x"/"0X", then 1-4 hex digits, optional '\n';
 *          -ERANGE for more than 4 digits.
 *
 * Malformed input that also overflows ("300x" for max 255, "0x12345z")
 * may be refused with either errno: the parsers stop at the first fault
 * they meet, and callers treat both as "not a valid value". */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "libvmfex-private.h"
#include "fuzz-check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t strip_nl(const char *buf, size_t len)
{
	return len > 0 && buf[len - 1] == '\n' ? len - 1 : len;
}

/* Also says, in *also_range, whether a malformed input overflows before
 * its first fault (then -ERANGE is as right as -EINVAL). */
static int ref_uint(const char *buf, size_t len, unsigned long max, unsigned long *out,
                    bool *also_range)
{
	unsigned long v = 0;
	size_t i;

	*also_range = false;
	len = strip_nl(buf, len);
	if (len == 0)
		return -EINVAL;
	for (i = 0; i < len && buf[i] >= '0' && buf[i] <= '9'; i++) {
		unsigned long d = (unsigned long)(buf[i] - '0');

		if (__builtin_mul_overflow(v, 10ul, &v) || __builtin_add_overflow(v, d, &v) ||
		    v > max)
			break;
	}
	if (i < len && buf[i] >= '0' && buf[i] <= '9') {
		/* Overflowed at i: -ERANGE if the rest is digits. */
		for (; i < len; i++)
			if (buf[i] < '0' || buf[i] > '9') {
				*also_range = true;
				return -EINVAL;
			}
		return -ERANGE;
	}
	if (i < len)
		return -EINVAL;
	*out = v;
	return 0;
}

static int ref_hex16(const char *buf, size_t len, uint16_t *out, bool *also_range)
{
	size_t start = 0;
	unsigned v = 0;

	*also_range = false;
	len = strip_nl(buf, len);
	if (len >= 2 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X'))
		start = 2;
	if (len == start)
		return -EINVAL;
	*also_range = len - start > 4;
	for (size_t i = start; i < len; i++) {
		char c = buf[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return -EINVAL;
		v = v << 4 | d;
	}
	if (*also_range) {
		*also_range = false;
		return -ERANGE;
	}
	*out = (uint16_t)v;
	return 0;
}

static void check_uint(const char *buf, size_t len, unsigned long max)
{
	unsigned long got = 0, want = 0;
	bool also_range;
	int r = vmfex_parse_uint(buf, len, max, &got);
	int rr = ref_uint(buf, len, max, &want, &also_range);

	CHECK(r == rr || (also_range && r == -ERANGE));
	if (r == 0)
		CHECK(got == want && got <= max);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The limits the library uses (log priority, u16 VF counts) and
	 * the edges of the type. */
	static const unsigned long maxes[] = {
		0, 1, 7, 9, 10, 255, 65535, 99999, UINT_MAX, ULONG_MAX / 10, ULONG_MAX - 1,
		ULONG_MAX,
	};
	const char *buf = (const char *)data;
	unsigned long max = 0;

	for (size_t i = 0; i < sizeof(maxes) / sizeof(maxes[0]); i++)
		check_uint(buf, size, maxes[i]);
	/* A limit taken from the input itself, so that every value is reached. */
	if (size >= sizeof(max)) {
		memcpy(&max, data, sizeof(max));
		check_uint(buf + sizeof(max), size - sizeof(max), max);
	}

	{
		uint16_t got = 0, want = 0;
		bool also_range;
		int r = vmfex_parse_hex16(buf, size, &got);
		int rr = ref_hex16(buf, size, &want, &also_range);

		CHECK(r == rr || (also_range && r == -ERANGE));
		if (r == 0)
			CHECK(got == want);
	}
	for (size_t i = 0; i < size; i++) {
		int d = vmfex_hexdigit(buf[i]);

		CHECK(d >= -1 && d <= 15);
		CHECK((d >= 0) == (strchr("0123456789abcdefABCDEF", buf[i]) && buf[i]));
	}
	return 0;
}
