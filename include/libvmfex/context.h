/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file context.h
 * @brief The library context: logging, sysfs root, simulated host.
 *
 * Every object belongs to a context. Objects hold a reference on their
 * context, so the context may be unreferenced before them.
 *
 * @par Threads
 * A context and every object made from it (PFs, VFs, links, ports,
 * catalogs, profiles, XML documents, findings, lease lists) form one unit
 * that one thread at a time may use: calls on a context or on any of its
 * objects, reference counting included, must not run concurrently. A
 * thread may hand the unit to another (with the synchronisation that any
 * hand-over of memory needs); threads that share one must serialise every
 * call on it with one lock, as the Python and Go bindings do. Distinct
 * contexts are fully independent and may be used by different threads at
 * the same time, on the same host too: objects of two contexts are never
 * mixed in one call (vmfex_port_associate_many() takes ports of several
 * contexts, so its caller holds all their locks). The log function is
 * called in the thread making the call that logs, while that call is in
 * progress; a lock around calls must therefore be recursive if the log
 * function calls the library (the Python binding's is).
 * @par
 * The library keeps no process-wide mutable state: no globals, no
 * initialisation, nothing cached outside a context (the exceptions: a
 * thread-local jump buffer while pci.ids is read, and a hook of
 * vmfex_attach() that only the library's own tests set). It never changes the
 * process's signal handlers, umask, working directory or locale. The
 * environment (@c VMFEX_LOG, @c VMFEX_SIM) is read by vmfex_new() alone,
 * which, like getenv(), must not race with setenv() in another thread.
 * What several contexts or processes share on the host is serialised by
 * file locks: the VF allocator's lease file, a catalog file being saved,
 * and a simulated host's state.
 *
 * @par Inside a walk
 * Every function of this header may be called inside a walk of PFs or VFs
 * (vmfex_pf_foreach(), vmfex_pf_foreach_vf()); the walk goes on (see
 * pf.h). Dropping the context's last reference frees its PFs and VFs, so
 * a walk must hold a reference of its own (or one on its loop variable)
 * across such a call.
 */
#ifndef LIBVMFEX_CONTEXT_H
#define LIBVMFEX_CONTEXT_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup context The context
 * @brief A context holds the configuration (real host, sysfs copy or simulated host), the log function and the objects made from it.
 *
 * Declared in context.h. Example (examples/list-vfs.c, built and run by the
 * tests):
 * @include list-vfs.c
 * @{
 */

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
	/** The log function from the start, so that what goes wrong while the
	 *  context is made (opening the simulated host, a bad @c VMFEX_LOG)
	 *  reaches it too; NULL: the default, to stderr. As
	 *  vmfex_set_log_fn() afterwards. @since 1.0 */
	vmfex_log_fn log_fn;
	/** The pointer given to @c log_fn. @since 1.0 */
	void *log_data;
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
 *         @c VMFEX_SIM, logged with the directory and why (-ENOENT,
 *         -EINVAL, -ENOTDIR; -EPERM for a directory others may write to
 *         or another user owns)
 * @since 0.1
 */
int vmfex_new(struct vmfex_ctx **ctx);

/**
 * @brief Create a library context with options.
 * @param opts  options, or NULL for the defaults of vmfex_new()
 * @param[out] ctx  the new context, with one reference
 * @return 0, -ENOMEM, -EINVAL for a bad option, or an error opening the
 *         simulated host, as vmfex_new()
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
 * @brief The library's version string, e.g. "1.0.0".
 * @return a static string
 * @since 0.1
 */
const char *vmfex_version(void);

/** @} */

#ifdef __cplusplus
}
#endif

#endif
