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
 */
#ifndef LIBVMFEX_SIM_H
#define LIBVMFEX_SIM_H

#include <libvmfex/context.h>

#ifdef __cplusplus
extern "C" {
#endif

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

#ifdef __cplusplus
}
#endif

#endif
