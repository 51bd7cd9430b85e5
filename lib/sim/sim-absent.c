/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A library built with -Dsim=disabled keeps the simulator's public calls,
 * so that its ABI is the same; each says why it cannot serve. */
#include <errno.h>

#include "libvmfex-private.h"

static int absent(struct vmfex_ctx *ctx, const char *fn)
{
	if (ctx)
		ERR(ctx, "%s: this libvmfex is built without the simulator (meson -Dsim=disabled)",
		    fn);
	return -ENOTSUP;
}

_public_ int vmfex_sim_create(struct vmfex_ctx *ctx, const char *dir, const char *description)
{
	(void)dir;
	(void)description;
	return absent(ctx, __func__);
}

_public_ int vmfex_sim_set_latency(struct vmfex_ctx *ctx, unsigned int ms)
{
	(void)ms;
	return absent(ctx, __func__);
}

_public_ int vmfex_sim_read_latency(struct vmfex_ctx *ctx, unsigned int *ms)
{
	(void)ms;
	return absent(ctx, __func__);
}

_public_ int vmfex_sim_inject(struct vmfex_ctx *ctx, const struct vmfex_sim_inject_opts *opts)
{
	(void)opts;
	return absent(ctx, __func__);
}
