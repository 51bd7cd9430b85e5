/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file port.h
 * @brief IEEE 802.1Qbh port-profile requests: associate, pre-associate,
 *        disassociate, status, and batches of them.
 *
 * A port is a VF's (the request goes to its PF with IFLA_VF_PORTS) or a
 * netdev's own (IFLA_PORT_SELF; enic takes it on a dynamic vNIC only).
 * Requests are encoded as current kernels require: the profile NUL-padded
 * to exactly 40 bytes, both UUIDs of exactly 16 bytes, and a MAC, when
 * given, set in the same message before the port with the VF's own index.
 *
 * @par Inside a walk
 * Every function of this header may be called inside a walk of PFs or VFs
 * (vmfex_pf_foreach(), vmfex_pf_foreach_vf()), with a port of the loop
 * variable or of any other VF; the walk goes on (see pf.h).
 */
#ifndef LIBVMFEX_PORT_H
#define LIBVMFEX_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libvmfex/link.h>
#include <libvmfex/vf.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup port 802.1Qbh ports
 * @brief Associate, pre-associate and disassociate a VF's or a netdev's port with a port profile.
 *
 * Declared in port.h. Example (examples/port-associate.c, built and run by the
 * tests):
 * @include port-associate.c
 * @{
 */

/** @brief Opaque 802.1Qbh port: a VF's, or a netdev's own. */
struct vmfex_port;

/**
 * @brief The port of a VF.
 * @param vf  the VF; its PF must have a netdev
 * @param[out] port the port, with one reference; it holds one on @p vf
 * @return 0; -ENODEV when the PF has no netdev; -ENOMEM
 * @since 0.1
 */
int vmfex_port_new_from_vf(struct vmfex_vf *vf, struct vmfex_port **port);

/**
 * @brief A netdev's own port (IFLA_PORT_SELF).
 * @param ctx   the context
 * @param name  a netdev name, or the PCI address of a function with a netdev
 * @param[out] port the port, with one reference
 * @return 0; -EINVAL for a malformed name; -ENODEV when a PCI function has
 *         no netdev
 * @since 0.1
 */
int vmfex_port_new_self(struct vmfex_ctx *ctx, const char *name, struct vmfex_port **port);

/**
 * @brief Take a reference.
 * @param port  the port, or NULL
 * @return @p port
 * @since 0.1
 */
struct vmfex_port *vmfex_port_ref(struct vmfex_port *port);

/**
 * @brief Drop a reference.
 * @param port  the port, or NULL
 * @return NULL
 * @since 0.1
 */
struct vmfex_port *vmfex_port_unref(struct vmfex_port *port);

/**
 * @brief The context of a port.
 * @param port  the port
 * @return the context (borrowed)
 * @since 1.0
 */
struct vmfex_ctx *vmfex_port_get_ctx(const struct vmfex_port *port);

/**
 * @brief The netdev that requests are sent to: the PF's for a VF port.
 * @param port  the port
 * @return the name, owned by @p port
 * @since 0.1
 */
const char *vmfex_port_get_ifname(const struct vmfex_port *port);

/**
 * @brief The VF index of the port.
 * @param port  the port
 * @return the index, or -1 for a netdev's own port
 * @since 0.1
 */
int vmfex_port_get_vf_index(const struct vmfex_port *port);

/**
 * @brief Options of port requests.
 *
 * Set @c sz to @c sizeof(struct vmfex_port_opts).
 */
struct vmfex_port_opts {
	/** Size of this structure, for compatibility. */
	size_t sz;
	/** Port profile name, 1-39 characters; needed to (pre)associate. */
	const char *profile;
	/** The VM's UUID; needed to (pre)associate. */
	const char *instance_uuid;
	/** The host's UUID; NULL: the DMI product UUID under the sysfs root,
	 *  else one derived from /etc/machine-id. */
	const char *host_uuid;
	/** A MAC to set on the VF (or netdev) in the same message, or NULL. */
	const char *mac;
	/** How long to wait for the adapter, in ms (0: 10000, as libvirt). */
	unsigned int timeout_ms;
	/** Return once the kernel took the request, without waiting. */
	bool no_wait;
};

/**
 * @brief Associate the port with a profile and wait for the adapter.
 *
 * The wait polls adaptively (from 1 ms, never more than 8 ms apart), so
 * completion is seen soon after the adapter reports it. A port whose
 * association does not complete in time is disassociated, as libvirt does.
 *
 * @param port  the port
 * @param opts  the profile, instance UUID and options
 * @return 0 when the adapter reported SUCCESS; -EINVAL for a bad profile,
 *         UUID or MAC (logged, nothing sent); -ETIMEDOUT; -ENODATA when
 *         the adapter reported no status; for other responses -EINVAL
 *         (INVALID), -EBADE (BADSTATE), -ENOSPC (INSUFFICIENT_RESOURCES),
 *         -EIO (ERROR), see vmfex_port_get_last_response(); or the kernel's
 *         error for the request
 * @since 0.1
 */
int vmfex_port_associate(struct vmfex_port *port, const struct vmfex_port_opts *opts);

/**
 * @brief Pre-associate with resource reservation (PREASSOCIATE_RR), as on
 *        the destination host of a migration, and wait for the adapter.
 *
 * A later vmfex_port_associate() with the same profile and UUIDs enables
 * the port without taking it down first.
 *
 * @param port  the port
 * @param opts  the profile, instance UUID and options
 * @return as vmfex_port_associate()
 * @since 0.1
 */
int vmfex_port_preassociate(struct vmfex_port *port, const struct vmfex_port_opts *opts);

/**
 * @brief Disassociate the port and wait for the adapter.
 * @param port  the port
 * @param opts  options (timeout, no_wait), or NULL
 * @return as vmfex_port_associate()
 * @since 0.1
 */
int vmfex_port_disassociate(struct vmfex_port *port, const struct vmfex_port_opts *opts);

/**
 * @brief Read the port's state now.
 * @param port  the port
 * @param[out] request   the last request applied, or NULL
 * @param[out] response  the adapter's response, or NULL
 * @return 0; -ENODATA when the kernel reports no state for the port (no
 *         request applied yet); or a kernel error
 * @since 0.1
 */
int vmfex_port_read_status(struct vmfex_port *port, int *request, int *response);

/**
 * @brief The response that ended the port's last wait.
 * @param port  the port
 * @return a #vmfex_port_response value, or -1 before any
 * @since 0.1
 */
int vmfex_port_get_last_response(const struct vmfex_port *port);

/**
 * @brief The exact RTM_SETLINK message a request would send, netlink
 *        header included, without sending it.
 * @param port     the port
 * @param request  a #vmfex_port_request value
 * @param opts     as for the request
 * @param[out] buf the message, to be freed with free()
 * @param[out] len its length in bytes
 * @return 0, or -EINVAL as the request itself would
 * @since 0.1
 */
int vmfex_port_build_request(struct vmfex_port *port, int request,
                             const struct vmfex_port_opts *opts, void **buf, size_t *len);

/**
 * @brief Associate many ports at once.
 *
 * All requests are sent first; then one wait reads one RTM_GETLINK per PF
 * per poll for all of them. Each port gets its own result; ports that time
 * out are disassociated.
 *
 * @param ports    the ports
 * @param opts     one options structure per port (the timeout of the
 *                 first applies to the whole wait)
 * @param n        the number of ports
 * @param[out] results  n results, each as vmfex_port_associate() returns
 * @return the number of ports that failed, or a negative errno when
 *         nothing could be done
 * @since 0.1
 */
int vmfex_port_associate_many(struct vmfex_port *const *ports,
                              const struct vmfex_port_opts *const *opts, size_t n, int *results);

/**
 * @brief Disassociate many ports at once (see vmfex_port_associate_many()).
 * @param ports    the ports
 * @param opts     options applying to all (timeout), or NULL
 * @param n        the number of ports
 * @param[out] results  n results
 * @return the number of ports that failed, or a negative errno
 * @since 0.1
 */
int vmfex_port_disassociate_many(struct vmfex_port *const *ports,
                                 const struct vmfex_port_opts *opts, size_t n, int *results);

/** @} */

#ifdef __cplusplus
}
#endif

#endif
