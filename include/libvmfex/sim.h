/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file sim.h
 * @brief The simulated VM-FEX host.
 *
 * A simulated host is a directory holding a generated sysfs tree and the
 * host description it came from. A context opened on it (through
 * vmfex_new_opts::sim_dir or the @c VMFEX_SIM environment variable) reads
 * that tree like /sys, and its writes have the kernel's effects and errors.
 * The description format is documented in doc/sim-host.md.
 *
 * @par Inside a walk
 * Every function of this header may be called inside a walk of PFs or VFs
 * (vmfex_pf_foreach(), vmfex_pf_foreach_vf()); the walk goes on, and shows
 * what changed on the host from the next read of a PF (see pf.h).
 */
#ifndef LIBVMFEX_SIM_H
#define LIBVMFEX_SIM_H

#include <stddef.h>

#include <libvmfex/context.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup sim The simulated host
 * @brief Make a simulated host and control its simulated adapter.
 *
 * Declared in sim.h. Example (examples/sim-latency.c, built and run by the
 * tests):
 * @include sim-latency.c
 * @{
 */

/**
 * @brief Create a simulated host from a host-description file.
 *
 * @p dir must not exist or be empty. The description is validated whole
 * before anything is written.
 *
 * @param ctx          a context, used for logging
 * @param dir          the directory to create
 * @param description  path of a JSON host description
 * @return 0; -EINVAL for an invalid description (the log names the field);
 *         -EFBIG for a description over 1 MiB; -EEXIST when @p dir is not
 *         empty; or an I/O error
 * @since 0.1
 */
int vmfex_sim_create(struct vmfex_ctx *ctx, const char *dir, const char *description);

/**
 * @name The simulated adapter
 *
 * A simulated host answers rtnetlink requests as the kernel and the enic
 * driver do. How its VIC answers 802.1Qbh port-profile requests is set per
 * host, at run time, and holds for every process using the host: an
 * association latency, and failures injected into the next requests.
 * A port request is one IFLA_VF_PORT entry or one IFLA_PORT_SELF that
 * reaches the adapter (ASSOCIATE, PREASSOCIATE_RR or DISASSOCIATE that
 * passed the kernel's and the driver's checks). See doc/sim-host.md.
 * @{
 */

/**
 * @brief Set the adapter's latency: how long a port request stays
 * PORT_PROFILE_RESPONSE_INPROGRESS (0x101) before its outcome is reported.
 *
 * Requests already applied keep the latency they were applied with. The
 * host description's @c adapter.latency_ms is the initial value.
 *
 * @param ctx  a context on a simulated host
 * @param ms   the latency in milliseconds, at most 3600000
 * @return 0; -ENOTSUP when @p ctx is not on a simulated host (logged);
 *         -EINVAL for more than an hour; or an I/O error on the host's
 *         state
 * @since 0.1
 */
int vmfex_sim_set_latency(struct vmfex_ctx *ctx, unsigned int ms);

/**
 * @brief Read the adapter's current latency.
 *
 * @param ctx  a context on a simulated host
 * @param ms   receives the latency in milliseconds
 * @return 0; -ENOTSUP when @p ctx is not on a simulated host (logged); or
 *         an I/O error on the host's state
 * @since 0.1
 */
int vmfex_sim_read_latency(struct vmfex_ctx *ctx, unsigned int *ms);

/**
 * @brief Failures for vmfex_sim_inject(): exactly one of @c response and
 * @c error is non-zero.
 *
 * Initialise with a designated initialiser, @c sz set to the size of the
 * structure, so that fields added later read as zero.
 */
struct vmfex_sim_inject_opts {
	/** sizeof(struct vmfex_sim_inject_opts) */
	size_t sz;
	/** how many of the next port requests are affected; 0 cancels a
	 *  pending injection of the same kind */
	unsigned int count;
	/** the response these requests end with once the latency has
	 *  passed, instead of SUCCESS: a PORT_PROFILE_RESPONSE_ code of
	 *  <linux/if_link.h>, 0x100 (SUCCESS) to 0x105 (ERROR); INPROGRESS
	 *  (0x101) leaves them in progress for good */
	int response;
	/** a positive errno that the adapter's first command of each of
	 *  these requests fails with, so that RTM_SETLINK is refused with
	 *  -error (enic leaves the port as it was) */
	int error;
};

/**
 * @brief Make the next port requests on the host end with a given
 * response, or fail with a given errno.
 *
 * A response injection and an errno injection may be pending at once; a
 * request failed by the errno does not use up the response. A new
 * injection of a kind replaces the pending one of that kind.
 *
 * @param ctx   a context on a simulated host
 * @param opts  what to inject
 * @return 0; -ENOTSUP when @p ctx is not on a simulated host (logged);
 *         -EINVAL when @p opts is NULL, sets both or neither of
 *         @c response and @c error, a response outside 0x100-0x105, an
 *         errno outside 1-4095, or fields this library does not know; or
 *         an I/O error on the host's state
 * @since 0.1
 */
int vmfex_sim_inject(struct vmfex_ctx *ctx, const struct vmfex_sim_inject_opts *opts);

/** @} */

/** @} */

#ifdef __cplusplus
}
#endif

#endif
