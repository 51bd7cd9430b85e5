/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The choice of backend, once per context: the running kernel, or the
 * simulated host of a directory. The layers above call the context's
 * backend and never know which one it is. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "libvmfex-private.h"

int vmfex_backend_open(struct vmfex_ctx *ctx, const char *sim_dir, const char **root)
{
	const struct vmfex_backend_ops *ops = &vmfex_kernel_backend;
	int r;

	*root = NULL;
	if (sim_dir) {
#if VMFEX_WITH_SIM
		ops = &vmfex_sim_backend;
#else
		ERR(ctx, "simulated host %s: this libvmfex is built without the simulator "
		    "(meson -Dsim=disabled)", sim_dir);
		return -ENOTSUP;
#endif
	}
	r = ops->open(ctx, sim_dir, &ctx->backend_data, root);
	if (r < 0)
		return r;
	ctx->backend = ops;
	return 0;
}

void vmfex_backend_close(struct vmfex_ctx *ctx)
{
	if (ctx->backend)
		ctx->backend->close(ctx->backend_data);
	ctx->backend = NULL;
	ctx->backend_data = NULL;
}

void *vmfex_backend_data(const struct vmfex_ctx *ctx, const struct vmfex_backend_ops *ops)
{
	return ctx && ctx->backend == ops ? ctx->backend_data : NULL;
}

const char *vmfex_backend_state_dir(const struct vmfex_ctx *ctx)
{
	return ctx->backend->state_dir(ctx);
}

void vmfex_set_fault_after_step(struct vmfex_ctx *ctx, int step)
{
	ctx->fault_after_step = step;
}

void vmfex_set_fault_vm(struct vmfex_ctx *ctx, const char *vm_uuid)
{
	snprintf(ctx->fault_vm, sizeof(ctx->fault_vm), "%s", vm_uuid ? vm_uuid : "");
}
