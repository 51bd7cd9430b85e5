/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The part of a pci.ids text that names the functions of a few vendors.
 *
 * libpci reads the whole pci.ids (some 36000 lines) into a hash table at
 * the first look-up, which costs a process more than all of its sysfs
 * reads of a 1024-VF host. A look-up of a vendor, a device or a
 * subsystem only reads the block of the vendor, and a generic subsystem
 * block ("S VVVV"); libpci is given only those blocks, whole and in the
 * file's order, so it parses and finds exactly what it finds in the
 * whole file.
 *
 * A block is a top-level line and the indented lines after it, as libpci
 * reads them: a line is up to '\n'; one holding only blanks or a comment
 * is no line; a top-level line starts with anything but a tab. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "libvmfex-private.h"

static bool blank_or_comment(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p == end || *p == '#' || *p == '\n' || *p == '\r';
}

/* libpci's reading of 4 hex digits then a blank. */
static int hex4_then_blank(const char *p, const char *end)
{
	int v = 0;

	if (end - p < 5 || (p[4] != ' ' && p[4] != '\t'))
		return -1;
	for (int i = 0; i < 4; i++) {
		int d = vmfex_hexdigit(p[i]);

		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

static bool wanted(int id, const uint16_t *vendors, size_t n)
{
	for (size_t i = 0; i < n && id >= 0; i++)
		if (vendors[i] == id)
			return true;
	return false;
}

/* A vendor's block ("VVVV  Name") or a generic subsystem block ("S VVVV",
 * nothing after the id) of one of vendors. As libpci, the line ends at
 * its first '\r' or '\n', less one trailing blank. */
static bool block_wanted(const char *p, const char *end, const uint16_t *vendors, size_t n)
{
	const char *e = p;

	while (e < end && *e != '\n' && *e != '\r')
		e++;
	if (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (e - p == 6 && p[0] == 'S' && p[1] == ' ') {
		char id[5] = { p[2], p[3], p[4], p[5], ' ' };

		return wanted(hex4_then_blank(id, id + 5), vendors, n);
	}
	return wanted(hex4_then_blank(p, e), vendors, n);
}

void vmfex_pcidb_subset_init(struct vmfex_pcidb_subset *s, const uint16_t *vendors, size_t n)
{
	*s = (struct vmfex_pcidb_subset){ .vendors = vendors, .n = n };
}

int vmfex_pcidb_subset_add(struct vmfex_pcidb_subset *s, const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	/* Compressed (pci.ids.gz): libpci reads it, this cannot. */
	if (!s->started && len >= 2 && (unsigned char)text[0] == 0x1f &&
	    (unsigned char)text[1] == 0x8b)
		return -ENOTSUP;
	s->started = s->started || len > 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *next = nl ? nl + 1 : end;

		/* An indented line of a block not kept, most of the file, is
		 * passed over without a look. */
		if ((s->keep || *p != '\t') && !blank_or_comment(p, next)) {
			if (*p != '\t')
				s->keep = block_wanted(p, next, s->vendors, s->n);
			if (s->keep && vmfex_buf_append(&s->out, p, (size_t)(next - p)) < 0)
				return -ENOMEM;
		}
		p = next;
	}
	return 0;
}

int vmfex_pcidb_subset(const char *ids, size_t len, const uint16_t *vendors, size_t n,
                       char **out, size_t *out_len)
{
	struct vmfex_pcidb_subset s;
	int r;

	vmfex_pcidb_subset_init(&s, vendors, n);
	r = vmfex_pcidb_subset_add(&s, ids, len);
	if (r == 0 && !s.out.data)
		r = vmfex_buf_append(&s.out, "", 0);
	if (r < 0) {
		vmfex_buf_free(&s.out);
		return r;
	}
	*out = (char *)s.out.data;
	*out_len = s.out.len;
	return 0;
}
