/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file link.h
 * @brief A netdev's rtnetlink state: its VFs' settings and 802.1Qbh ports.
 *
 * A link is a snapshot of one RTM_GETLINK reply, asked with
 * RTEXT_FILTER_VF and RTEXT_FILTER_SKIP_STATS, so that a PF's every VF
 * comes in one message whatever their number. The receive is sized to the
 * message, never cut at a fixed buffer.
 *
 * @par Inside a walk
 * A link is a snapshot that no later call changes. Every function of this
 * header may be called inside a walk of PFs or VFs (vmfex_pf_foreach(),
 * vmfex_pf_foreach_vf()), and inside vmfex_link_foreach_vf(); the walks go
 * on (see pf.h).
 */
#ifndef LIBVMFEX_LINK_H
#define LIBVMFEX_LINK_H

#include <stdbool.h>
#include <stdint.h>

#include <libvmfex/context.h>
#include <libvmfex/pf.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup link Link state
 * @brief A netdev's rtnetlink state read in one request: its VFs' settings and 802.1Qbh ports.
 *
 * Declared in link.h. Example (examples/port-associate.c, built and run by the
 * tests):
 * @include port-associate.c
 * @{
 */

/** @brief Opaque snapshot of one netdev's rtnetlink state. */
struct vmfex_link;
/** @brief One VF of a link (borrowed from it). */
struct vmfex_link_vf;
/** @brief An 802.1Qbh port's state: a VF's or the netdev's own. */
struct vmfex_port_state;

/** @brief A VF's administrative link state (IFLA_VF_LINK_STATE). */
enum vmfex_vf_link_state {
	VMFEX_VF_LINK_STATE_AUTO = 0,    /**< follows the PF's link */
	VMFEX_VF_LINK_STATE_ENABLE = 1,  /**< always up */
	VMFEX_VF_LINK_STATE_DISABLE = 2, /**< always down */
};

/**
 * @brief Read a netdev's state by name.
 * @param ctx     the context
 * @param ifname  the netdev (1-15 characters, no '/', ':' or spaces)
 * @param[out] link the snapshot, with one reference
 * @return 0; -EINVAL for a malformed name; -ENODEV when there is no such
 *         netdev; or another kernel or socket error
 * @since 0.1
 */
int vmfex_link_new_from_ifname(struct vmfex_ctx *ctx, const char *ifname,
                               struct vmfex_link **link);

/**
 * @brief Read a PF's state: every VF's settings and ports in one request.
 * @param pf  the PF, which must have a netdev
 * @param[out] link the snapshot, with one reference
 * @return 0; -ENODEV when the PF has no netdev; or as
 *         vmfex_link_new_from_ifname()
 * @since 0.1
 */
int vmfex_link_new_from_pf(struct vmfex_pf *pf, struct vmfex_link **link);

/**
 * @brief Take a reference.
 * @param link  the link, or NULL
 * @return @p link
 * @since 0.1
 */
struct vmfex_link *vmfex_link_ref(struct vmfex_link *link);

/**
 * @brief Drop a reference.
 * @param link  the link, or NULL
 * @return NULL
 * @since 0.1
 */
struct vmfex_link *vmfex_link_unref(struct vmfex_link *link);

/**
 * @brief The context of a link snapshot.
 * @param link  the link
 * @return the context (borrowed)
 * @since 1.0
 */
struct vmfex_ctx *vmfex_link_get_ctx(const struct vmfex_link *link);

/**
 * @brief The netdev's interface index.
 * @param link  the link
 * @return the index
 * @since 0.1
 */
int vmfex_link_get_ifindex(const struct vmfex_link *link);

/**
 * @brief The netdev's name (IFLA_IFNAME).
 * @param link  the link
 * @return the name, owned by @p link
 * @since 0.1
 */
const char *vmfex_link_get_ifname(const struct vmfex_link *link);

/**
 * @brief The netdev's MAC address (IFLA_ADDRESS), "aa:bb:cc:dd:ee:ff".
 * @param link  the link
 * @return the address, or NULL when the reply had none of 6 bytes
 * @since 0.1
 */
const char *vmfex_link_get_mac(const struct vmfex_link *link);

/**
 * @brief The VF count the kernel reports (IFLA_NUM_VF).
 * @param link  the link
 * @return the count, 0 for a netdev without VFs
 * @since 0.1
 */
unsigned int vmfex_link_get_num_vfs(const struct vmfex_link *link);

/**
 * @brief Iterate over the VFs of the reply, in the kernel's order (by index).
 *
 * A driver without ndo_get_vf_config (upstream enic) sends no VF list;
 * its VFs with a port are listed then, with only their port known.
 * @param link  the link
 * @param prev  the previous VF, or NULL for the first
 * @return the next VF (borrowed from @p link), or NULL at the end
 * @since 0.1
 */
struct vmfex_link_vf *vmfex_link_next_vf(struct vmfex_link *link, struct vmfex_link_vf *prev);

/** @brief Loop over the VFs of @p link (see vmfex_link_next_vf()). */
#define vmfex_link_foreach_vf(link, vf) \
	for ((vf) = vmfex_link_next_vf((link), NULL); (vf); (vf) = vmfex_link_next_vf((link), (vf)))

/**
 * @brief The VF of a given index.
 * @param link   the link
 * @param index  the VF index
 * @return the VF (borrowed from @p link), or NULL when the reply has none
 * @since 0.1
 */
struct vmfex_link_vf *vmfex_link_find_vf(struct vmfex_link *link, unsigned int index);

/**
 * @brief The netdev's own 802.1Qbh port (IFLA_PORT_SELF).
 * @param link  the link
 * @return the port state (borrowed), or NULL when the kernel reported none:
 *         no port support, or no request applied yet
 * @since 0.1
 */
const struct vmfex_port_state *vmfex_link_get_self_port(const struct vmfex_link *link);

/**
 * @brief VF index.
 * @param vf  the VF
 * @return the index
 * @since 0.1
 */
unsigned int vmfex_link_vf_get_index(const struct vmfex_link_vf *vf);

/**
 * @brief VF MAC address, "aa:bb:cc:dd:ee:ff" (all zero when unset).
 * @param vf  the VF
 * @return the address, or NULL when the kernel reported none
 * @since 0.1
 */
const char *vmfex_link_vf_get_mac(const struct vmfex_link_vf *vf);

/**
 * @brief VLAN id, 0 for none.
 * @param vf  the VF
 * @return 0-4095, or -1 when the kernel reported none
 * @since 0.1
 */
int vmfex_link_vf_get_vlan(const struct vmfex_link_vf *vf);

/**
 * @brief VLAN priority (QoS).
 * @param vf  the VF
 * @return 0-7, or -1 when the kernel reported none
 * @since 0.1
 */
int vmfex_link_vf_get_qos(const struct vmfex_link_vf *vf);

/**
 * @brief VLAN protocol, 0x8100 or 0x88a8.
 * @param vf  the VF
 * @return the protocol in host order, or 0 when the kernel reported none
 * @since 0.1
 */
uint16_t vmfex_link_vf_get_vlan_proto(const struct vmfex_link_vf *vf);

/**
 * @brief MAC spoof checking.
 * @param vf  the VF
 * @return 1 on, 0 off, -1 unknown
 * @since 0.1
 */
int vmfex_link_vf_get_spoofchk(const struct vmfex_link_vf *vf);

/**
 * @brief Trusted VF.
 * @param vf  the VF
 * @return 1 on, 0 off, -1 unknown
 * @since 0.1
 */
int vmfex_link_vf_get_trust(const struct vmfex_link_vf *vf);

/**
 * @brief Administrative link state.
 * @param vf  the VF
 * @return a #vmfex_vf_link_state value, or -1 unknown
 * @since 0.1
 */
int vmfex_link_vf_get_link_state(const struct vmfex_link_vf *vf);

/**
 * @brief Minimum TX rate in Mbit/s, 0 for none.
 * @param vf  the VF
 * @return the rate
 * @since 0.1
 */
uint32_t vmfex_link_vf_get_min_rate(const struct vmfex_link_vf *vf);

/**
 * @brief Maximum TX rate in Mbit/s, 0 for none.
 * @param vf  the VF
 * @return the rate
 * @since 0.1
 */
uint32_t vmfex_link_vf_get_max_rate(const struct vmfex_link_vf *vf);

/**
 * @brief The VF's 802.1Qbh port (from IFLA_VF_PORTS).
 * @param vf  the VF
 * @return the port state (borrowed), or NULL when none was reported: the
 *         driver has no ports, or no request was applied yet (enic answers
 *         ENODATA)
 * @since 0.1
 */
const struct vmfex_port_state *vmfex_link_vf_get_port(const struct vmfex_link_vf *vf);

/**
 * @brief The port profile name.
 * @param port  the port state
 * @return the name (at most 39 characters), or NULL when not reported
 * @since 0.1
 */
const char *vmfex_port_state_get_profile(const struct vmfex_port_state *port);

/**
 * @brief The instance (VM) UUID, in its 36-character form.
 * @param port  the port state
 * @return the UUID, or NULL when not reported
 * @since 0.1
 */
const char *vmfex_port_state_get_instance_uuid(const struct vmfex_port_state *port);

/**
 * @brief The host UUID, in its 36-character form.
 * @param port  the port state
 * @return the UUID, or NULL when not reported
 * @since 0.1
 */
const char *vmfex_port_state_get_host_uuid(const struct vmfex_port_state *port);

/**
 * @brief The last request applied (a #vmfex_port_request value).
 * @param port  the port state
 * @return the request, or -1 when not reported
 * @since 0.1
 */
int vmfex_port_state_get_request(const struct vmfex_port_state *port);

/**
 * @brief The adapter's response (a #vmfex_port_response value).
 * @param port  the port state
 * @return the response, or -1 when not reported
 * @since 0.1
 */
int vmfex_port_state_get_response(const struct vmfex_port_state *port);

/** @brief 802.1Qbh port requests (IFLA_PORT_REQUEST). */
enum vmfex_port_request {
	VMFEX_PORT_REQUEST_PREASSOCIATE = 0,    /**< refused by enic */
	VMFEX_PORT_REQUEST_PREASSOCIATE_RR = 1, /**< provision, port in standby */
	VMFEX_PORT_REQUEST_ASSOCIATE = 2,       /**< provision and enable */
	VMFEX_PORT_REQUEST_DISASSOCIATE = 3,    /**< remove */
};

/** @brief Responses to port requests (IFLA_PORT_RESPONSE). */
enum vmfex_port_response {
	VMFEX_PORT_VDP_RESPONSE_SUCCESS = 0,                 /**< 802.1Qbg */
	VMFEX_PORT_VDP_RESPONSE_INVALID_FORMAT = 1,          /**< 802.1Qbg */
	VMFEX_PORT_VDP_RESPONSE_INSUFFICIENT_RESOURCES = 2,  /**< 802.1Qbg */
	VMFEX_PORT_VDP_RESPONSE_UNUSED_VTID = 3,             /**< 802.1Qbg */
	VMFEX_PORT_VDP_RESPONSE_VTID_VIOLATION = 4,          /**< 802.1Qbg */
	VMFEX_PORT_VDP_RESPONSE_VTID_VERSION_VIOLATION = 5,  /**< 802.1Qbg */
	VMFEX_PORT_VDP_RESPONSE_OUT_OF_SYNC = 6,             /**< 802.1Qbg */
	VMFEX_PORT_PROFILE_RESPONSE_SUCCESS = 0x100,         /**< done */
	VMFEX_PORT_PROFILE_RESPONSE_INPROGRESS = 0x101,      /**< not yet done */
	VMFEX_PORT_PROFILE_RESPONSE_INVALID = 0x102,         /**< request invalid */
	VMFEX_PORT_PROFILE_RESPONSE_BADSTATE = 0x103,        /**< wrong state for it */
	VMFEX_PORT_PROFILE_RESPONSE_INSUFFICIENT_RESOURCES = 0x104, /**< adapter full */
	VMFEX_PORT_PROFILE_RESPONSE_ERROR = 0x105,           /**< other failure */
};

/**
 * @brief The name of a port response, e.g. "SUCCESS" or "INPROGRESS".
 * @param response  a response code
 * @return a static string; "UNKNOWN" for codes not in #vmfex_port_response
 * @since 0.1
 */
const char *vmfex_port_response_to_string(int response);

/**
 * @brief The name of a port request, e.g. "ASSOCIATE".
 * @param request  a request code
 * @return a static string; "UNKNOWN" for codes not in #vmfex_port_request
 * @since 0.1
 */
const char *vmfex_port_request_to_string(int request);

/** @} */

#ifdef __cplusplus
}
#endif

#endif
