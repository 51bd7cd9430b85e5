/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* UCS Manager's rules for names, descriptions and UUIDs (DOMAIN.md
 * section 2, as in UCS Manager's object model): pure checks. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "model/model-private.h"

static bool is_name_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == ':' || c == '_';
}

/* [-.:_a-zA-Z0-9]{min,max} */
int vmfex_ucsm_name_check(const char *s, size_t min, size_t max)
{
	size_t n = 0;

	if (!s)
		return min == 0 ? 0 : -EINVAL;
	for (; s[n]; n++)
		if (n >= max || !is_name_char((unsigned char)s[n]))
			return -EINVAL;
	return n >= min ? 0 : -EINVAL;
}

/* At most max characters: letters, digits and those of extra. */
static int charset_check(const char *s, const char *extra, size_t max)
{
	size_t n = 0;

	if (!s)
		return 0;
	for (; s[n]; n++) {
		unsigned char c = (unsigned char)s[n];

		if (n >= max)
			return -EINVAL;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      strchr(extra, c)))
			return -EINVAL;
	}
	return 0;
}

/* [ !#$%&\(\)\*\+,\-\./:;\?@\[\]_\{\|\}~a-zA-Z0-9]{0,256} */
int vmfex_ucsm_descr_check(const char *s)
{
	return charset_check(s, " !#$%&()*+,-./:;?@[]_{|}~", VMFEX_PROFILE_DESCR_MAX);
}

/* [ !#$%\(\)\*\+,\-\./:;\?@\[\\\]\^_\{\|\}~a-zA-Z0-9]{0,256}: the descr set
 * without '&', with '\' and '^' */
int vmfex_ucsm_pattern_check(const char *s)
{
	return charset_check(s, " !#$%()*+,-./:;?@[\\]^_{|}~", VMFEX_UCSM_PATTERN_MAX);
}

const char *vmfex_quote(char buf[VMFEX_QUOTE_SIZE], const char *s)
{
	size_t o = 0;

	if (!s)
		return "(null)";
	buf[o++] = '\'';
	for (size_t i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i == 64) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'')
			buf[o++] = (char)c;
		else
			o += (size_t)snprintf(buf + o, 5, "\\x%02x", c);
	}
	buf[o++] = '\'';
	buf[o] = '\0';
	return buf;
}
