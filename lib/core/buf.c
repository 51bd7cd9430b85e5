/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A growing byte buffer: the netlink messages a receive returned or the
 * simulated host answers, an HTTP answer, the kept part of pci.ids. Each
 * append leaves a NUL after the data, not counted in len, so that text
 * appended is a C string. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libvmfex-private.h"

int vmfex_buf_append(struct vmfex_buf *b, const void *data, size_t len)
{
	if (len >= b->cap - b->len) {
		size_t cap = b->cap ? b->cap : 4096;
		uint8_t *n;

		while (cap - b->len <= len) {
			if (cap > SIZE_MAX / 2)
				return -ENOMEM;
			cap *= 2;
		}
		n = realloc(b->data, cap);
		if (!n)
			return -ENOMEM;
		b->data = n;
		b->cap = cap;
	}
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

void vmfex_buf_free(struct vmfex_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
