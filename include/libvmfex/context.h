/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file context.h
 * @brief The library context: logging, sysfs root, simulated host.
 *
 * Every object belongs to a context. A context is not thread-safe; use one
 * context per thread. Objects hold a reference on their context, so the
 * context may be unreferenced before them.
 */
#ifndef LIBVMFEX_CONTEXT_H
#define LIBVMFEX_CONTEXT_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Opaque library context. */
struct vmfex_ctx;

/**
 * @brief Log function type.
 * @param data      the pointer given to vmfex_set_log_fn()
 * @param priority  syslog priority (LOG_ERR .. LOG_DEBUG)
 * @param file      source file of the message
 * @param line      source line of the message
 * @param fn        function name of the message
 * @param format    printf-style format
 * @param args      format arguments
 */
typedef void (*vmfex_log_fn)(void *data, int priority, const char *file,
                             int line, const char *fn, const char *format,
                             va_list args);

/**
 * @brief Options for vmfex_new_with_opts().
 *
 * Set @c sz to @c sizeof(struct vmfex_new_opts); fields added later are
 * zero for callers built against an older header.
 */
struct vmfex_new_opts {
	/** Size of this structure, for compatibility. */
	size_t sz;
	/** Root of the sysfs tree to use instead of @c /sys (NULL: default). */
	const char *sysfs_root;
	/** Directory of a simulated host made by vmfex_sim_create(), or NULL.
	 *  Takes precedence over @c sysfs_root. */
	const char *sim_dir;
	/** Ignore the @c VMFEX_SIM and @c VMFEX_LOG environment variables. */
	int ignore_env;
};

/**
 * @brief Create a library context.
 *
 * The context reads @c VMFEX_LOG (a priority number or name: err, info,
 * debug) and @c VMFEX_SIM (a simulated host directory, opened as if passed
 * in vmfex_new_opts::sim_dir) from the environment, using secure_getenv().
 *
 * @param[out] ctx  the new context, with one reference
 * @return 0, -ENOMEM, or an error opening the simulated host named by
 *         @c VMFEX_SIM (-ENOENT, -EINVAL)
 * @since 0.1
 */
int vmfex_new(struct vmfex_ctx **ctx);

/**
 * @brief Create a library context with options.
 * @param opts  options, or NULL for the defaults of vmfex_new()
 * @param[out] ctx  the new context, with one reference
 * @return 0, -ENOMEM, -EINVAL for a bad option, or an error opening the
 *         simulated host (-ENOENT, -EINVAL)
 * @since 0.1
 */
int vmfex_new_with_opts(const struct vmfex_new_opts *opts, struct vmfex_ctx **ctx);

/**
 * @brief Take a reference on a context.
 * @param ctx  the context, or NULL
 * @return @p ctx
 * @since 0.1
 */
struct vmfex_ctx *vmfex_ref(struct vmfex_ctx *ctx);

/**
 * @brief Drop a reference on a context, freeing it with the last one.
 * @param ctx  the context, or NULL
 * @return NULL
 * @since 0.1
 */
struct vmfex_ctx *vmfex_unref(struct vmfex_ctx *ctx);

/**
 * @brief Replace the log function (default: stderr).
 * @param ctx   the context
 * @param fn    the new log function, or NULL to silence the context
 * @param data  passed to @p fn as its first argument
 * @since 0.1
 */
void vmfex_set_log_fn(struct vmfex_ctx *ctx, vmfex_log_fn fn, void *data);

/**
 * @brief The highest priority that is logged.
 * @param ctx  the context
 * @return a syslog priority (default LOG_ERR)
 * @since 0.1
 */
int vmfex_get_log_priority(const struct vmfex_ctx *ctx);

/**
 * @brief Set the highest priority that is logged.
 * @param ctx       the context
 * @param priority  a syslog priority, LOG_EMERG (0) to LOG_DEBUG (7)
 * @since 0.1
 */
void vmfex_set_log_priority(struct vmfex_ctx *ctx, int priority);

/**
 * @brief Attach a caller's pointer to the context.
 * @param ctx       the context
 * @param userdata  any pointer; the library never dereferences it
 * @since 0.1
 */
void vmfex_set_userdata(struct vmfex_ctx *ctx, void *userdata);

/**
 * @brief The pointer given to vmfex_set_userdata().
 * @param ctx  the context
 * @return the pointer, or NULL
 * @since 0.1
 */
void *vmfex_get_userdata(const struct vmfex_ctx *ctx);

/**
 * @brief The sysfs root in use: @c /sys, a fixture tree, or the simulated
 *        host's tree.
 * @param ctx  the context
 * @return a path owned by the context
 * @since 0.1
 */
const char *vmfex_get_sysfs_root(const struct vmfex_ctx *ctx);

/**
 * @brief The simulated host directory the context runs on.
 * @param ctx  the context
 * @return the directory, or NULL on a real host
 * @since 0.1
 */
const char *vmfex_get_sim_dir(const struct vmfex_ctx *ctx);

/**
 * @brief The library's version string, e.g. "0.1.0".
 * @return a static string
 * @since 0.1
 */
const char *vmfex_version(void);

#ifdef __cplusplus
}
#endif

#endif
