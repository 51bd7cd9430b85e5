/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file vf-config.h
 * @brief VF settings through the PF (RTM_SETLINK with IFLA_VFINFO_LIST).
 *
 * Each call sends one message to the VF's PF netdev. What the PF's driver
 * cannot do comes back as the kernel's errno (enic has only the MAC
 * setter: the VLAN comes from the port profile), and the log names the VF
 * and the setting.
 *
 * @par Inside a walk
 * Every function of this header may be called inside a walk of PFs or VFs
 * (vmfex_pf_foreach(), vmfex_pf_foreach_vf()), on the loop variable or on
 * any other VF; the walk goes on (see pf.h).
 */
#ifndef LIBVMFEX_VF_CONFIG_H
#define LIBVMFEX_VF_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include <libvmfex/vf.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup vf_config VF settings
 * @brief A VF's MAC, VLAN, rates and flags, set through its PF.
 *
 * Declared in vf-config.h. Example (examples/port-associate.c, built and run by the
 * tests):
 * @include port-associate.c
 * @{
 */

/**
 * @brief Set the VF's MAC address.
 * @param vf   the VF
 * @param mac  "aa:bb:cc:dd:ee:ff", unicast or all zero
 * @return 0; -EINVAL for a malformed or multicast address; -ENODEV when the
 *         PF has no netdev; or the kernel's error (-EOPNOTSUPP: the driver
 *         cannot)
 * @since 0.1
 */
int vmfex_vf_set_mac(struct vmfex_vf *vf, const char *mac);

/**
 * @brief Set the VF's VLAN, priority and VLAN protocol.
 * @param vf     the VF
 * @param vlan   0-4095, 0 for none
 * @param qos    0-7
 * @param proto  0x8100 (802.1Q) or 0x88a8 (802.1ad); 0 means 0x8100
 * @return 0; -EINVAL for values out of range; or the kernel's error
 * @since 0.1
 */
int vmfex_vf_set_vlan(struct vmfex_vf *vf, unsigned int vlan, unsigned int qos, uint16_t proto);

/**
 * @brief Turn MAC spoof checking on or off.
 * @param vf  the VF
 * @param on  the setting
 * @return 0, or the kernel's error
 * @since 0.1
 */
int vmfex_vf_set_spoofchk(struct vmfex_vf *vf, bool on);

/**
 * @brief Trust the VF (promiscuous modes, more MAC filters) or not.
 * @param vf  the VF
 * @param on  the setting
 * @return 0, or the kernel's error
 * @since 0.1
 */
int vmfex_vf_set_trust(struct vmfex_vf *vf, bool on);

/**
 * @brief Set the VF's administrative link state.
 * @param vf     the VF
 * @param state  a #vmfex_vf_link_state value
 * @return 0; -EINVAL for an unknown state; or the kernel's error
 * @since 0.1
 */
int vmfex_vf_set_link_state(struct vmfex_vf *vf, int state);

/**
 * @brief Set the VF's minimum and maximum TX rates.
 * @param vf        the VF
 * @param min_mbps  guaranteed rate in Mbit/s, 0 for none
 * @param max_mbps  rate limit in Mbit/s, 0 for none
 * @return 0; -EINVAL when a non-zero maximum is below the minimum; or the
 *         kernel's error
 * @since 0.1
 */
int vmfex_vf_set_rate(struct vmfex_vf *vf, uint32_t min_mbps, uint32_t max_mbps);

/** @} */

#ifdef __cplusplus
}
#endif

#endif
