/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A byte buffer that netlink messages are appended to: what a receive
 * returned, or what the simulated host answers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libvmfex-private.h"

int vmfex_nlbuf_append(struct vmfex_nlbuf *b, const void *data, size_t len)
{
	if (len > b->cap - b->len) {
		size_t cap = b->cap ? b->cap : 4096;
		uint8_t *n;

		while (cap - b->len < len) {
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
	memcpy(b->data + b->len, data, len);
	b->len += len;
	return 0;
}

void vmfex_nlbuf_free(struct vmfex_nlbuf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
