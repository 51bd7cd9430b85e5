/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Options structures led by their size (libbpf's OPTS): a caller built
 * against an older header passes a shorter one, a newer caller a longer
 * one whose extra fields this library must not silently ignore. */
#include <errno.h>
#include <string.h>

#include "libvmfex-private.h"

int vmfex_opts_copy(void *out, size_t out_sz, const void *in)
{
	size_t in_sz;

	memset(out, 0, out_sz);
	if (!in)
		return 0;
	memcpy(&in_sz, in, sizeof(in_sz));
	if (in_sz < sizeof(size_t))
		return -EINVAL;
	for (size_t i = out_sz; i < in_sz; i++)
		if (((const unsigned char *)in)[i])
			return -EINVAL;
	memcpy(out, in, in_sz < out_sz ? in_sz : out_sz);
	return 0;
}
