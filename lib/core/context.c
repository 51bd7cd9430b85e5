/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libvmfex-private.h"

static void log_stderr(void *data, int priority, const char *file, int line,
                       const char *fn, const char *format, va_list args) __attribute__((format(printf, 6, 0)));
static void log_stderr(void *data, int priority, const char *file, int line,
                       const char *fn, const char *format, va_list args)
{
	fprintf(stderr, "libvmfex: %s: ", fn);
	vfprintf(stderr, format, args);
	fputc('\n', stderr);
}

_public_ const char *vmfex_version(void)
{
	return PACKAGE_VERSION;
}

_public_ int vmfex_new(struct vmfex_ctx **ctx)
{
	return vmfex_new_with_opts(NULL, ctx);
}

_public_ int vmfex_new_with_opts(const struct vmfex_new_opts *opts_in, struct vmfex_ctx **out)
{
	struct vmfex_new_opts opts;
	struct vmfex_ctx *ctx;
	const char *env, *sim_dir, *root;
	int r;

	if (!out)
		return -EINVAL;
	*out = NULL;
	r = vmfex_opts_copy(&opts, sizeof(opts), opts_in);
	if (r < 0)
		return r;

	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->refcount = 1;
	ctx->log_fn = opts.log_fn ? opts.log_fn : log_stderr;
	ctx->log_data = opts.log_fn ? opts.log_data : NULL;
	ctx->log_priority = LOG_ERR;

	if (!opts.ignore_env) {
		env = secure_getenv("VMFEX_LOG");
		if (env) {
			r = vmfex_log_priority_from_string(env);
			if (r >= 0)
				ctx->log_priority = r;
			else
				ERR(ctx, "ignoring VMFEX_LOG=%s: not a log priority", env);
		}
	}

	sim_dir = opts.sim_dir;
	if (!sim_dir && !opts.ignore_env && !opts.sysfs_root)
		sim_dir = secure_getenv("VMFEX_SIM");
	r = vmfex_backend_open(ctx, sim_dir && *sim_dir ? sim_dir : NULL, &root);
	if (r < 0)
		goto fail;
	if (!root)
		root = opts.sysfs_root ? opts.sysfs_root : "/sys";
	if (*root != '/') {
		ERR(ctx, "sysfs root '%s' is not an absolute path", root);
		r = -EINVAL;
		goto fail;
	}
	ctx->sysfs_root = strdup(root);
	if (!ctx->sysfs_root) {
		r = -ENOMEM;
		goto fail;
	}
	/* A trailing slash would double in every path we build. */
	for (size_t n = strlen(ctx->sysfs_root); n > 1 && ctx->sysfs_root[n - 1] == '/'; n--)
		ctx->sysfs_root[n - 1] = '\0';

	INFO(ctx, "context %p created, sysfs at %s%s", (void *)ctx, ctx->sysfs_root,
	     ctx->backend->simulated ? " (simulated host)" : "");
	*out = ctx;
	return 0;

fail:
	vmfex_backend_close(ctx);
	free(ctx);
	return r;
}

_public_ struct vmfex_ctx *vmfex_ref(struct vmfex_ctx *ctx)
{
	if (ctx)
		ctx->refcount++;
	return ctx;
}

_public_ struct vmfex_ctx *vmfex_unref(struct vmfex_ctx *ctx)
{
	if (!ctx || --ctx->refcount > 0)
		return NULL;
	INFO(ctx, "context %p released", (void *)ctx);
	vmfex_pf_cache_free(ctx);
	vmfex_pcidb_free(ctx);
	vmfex_backend_close(ctx);
	free(ctx->sysfs_root);
	free(ctx);
	return NULL;
}

_public_ void vmfex_set_log_fn(struct vmfex_ctx *ctx, vmfex_log_fn fn, void *data)
{
	ctx->log_fn = fn;
	ctx->log_data = data;
}

_public_ int vmfex_get_log_priority(const struct vmfex_ctx *ctx)
{
	return ctx->log_priority;
}

_public_ void vmfex_set_log_priority(struct vmfex_ctx *ctx, int priority)
{
	if (priority < LOG_EMERG)
		priority = LOG_EMERG;
	if (priority > LOG_DEBUG)
		priority = LOG_DEBUG;
	ctx->log_priority = priority;
}

_public_ void vmfex_set_userdata(struct vmfex_ctx *ctx, void *userdata)
{
	ctx->userdata = userdata;
}

_public_ void *vmfex_get_userdata(const struct vmfex_ctx *ctx)
{
	return ctx->userdata;
}

_public_ const char *vmfex_get_sysfs_root(const struct vmfex_ctx *ctx)
{
	return ctx->sysfs_root;
}

_public_ const char *vmfex_get_sim_dir(const struct vmfex_ctx *ctx)
{
	return ctx->backend->simulated ? vmfex_backend_state_dir(ctx) : NULL;
}
