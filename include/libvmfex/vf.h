/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file vf.h
 * @brief SR-IOV virtual functions: look-up and driver binding.
 *
 * @par Inside a walk
 * Every function of this header may be called inside a walk of PFs or VFs
 * (vmfex_pf_foreach(), vmfex_pf_foreach_vf()), on the loop variable or on
 * any other VF; the walk goes on (see pf.h). A VF looked up here is the
 * object its PF's walk returns for that index.
 */
#ifndef LIBVMFEX_VF_H
#define LIBVMFEX_VF_H

#include <stdint.h>

#include <libvmfex/context.h>
#include <libvmfex/pf.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup vf VFs
 * @brief Virtual functions: look one up, read its properties, move it to another driver.
 *
 * Declared in vf.h. Example (examples/hostdev-vf.c, built and run by the
 * tests):
 * @include hostdev-vf.c
 * @{
 */

/**
 * @brief Look up a VF by PCI address.
 * @param ctx     the context
 * @param pci     "DDDD:BB:DD.F" or "BB:DD.F"
 * @param[out] vf the VF, with a new reference
 * @return 0; -EINVAL for a malformed address; -ENODEV if there is no such
 *         function; -ENOTSUP if the function is not a VF
 * @since 0.1
 */
int vmfex_vf_new_from_pci(struct vmfex_ctx *ctx, const char *pci, struct vmfex_vf **vf);

/**
 * @brief Look up a VF by its network interface name.
 * @param ctx     the context
 * @param ifname  a netdev name
 * @param[out] vf the VF, with a new reference
 * @return 0; -EINVAL for a malformed name; -ENODEV if no such netdev or
 *         it is no PCI function; -ENOTSUP if the function is not a VF
 * @since 0.1
 */
int vmfex_vf_new_from_ifname(struct vmfex_ctx *ctx, const char *ifname, struct vmfex_vf **vf);

/**
 * @brief Take a reference.
 * @param vf  the VF, or NULL
 * @return @p vf
 * @since 0.1
 */
struct vmfex_vf *vmfex_vf_ref(struct vmfex_vf *vf);

/**
 * @brief Drop a reference.
 * @param vf  the VF, or NULL
 * @return NULL
 * @since 0.1
 */
struct vmfex_vf *vmfex_vf_unref(struct vmfex_vf *vf);

/**
 * @brief The context of a VF.
 * @param vf  the VF
 * @return the context (borrowed)
 * @since 1.0
 */
struct vmfex_ctx *vmfex_vf_get_ctx(const struct vmfex_vf *vf);

/**
 * @brief The VF's PF; the VF holds a reference on it.
 * @param vf  the VF
 * @return the PF (borrowed)
 * @since 0.1
 */
struct vmfex_pf *vmfex_vf_get_pf(const struct vmfex_vf *vf);

/**
 * @brief VF index: the N of the PF's @c virtfnN link.
 * @param vf  the VF
 * @return the index
 * @since 0.1
 */
unsigned int vmfex_vf_get_index(const struct vmfex_vf *vf);

/**
 * @brief PCI address, canonical "dddd:bb:dd.f".
 * @param vf  the VF
 * @return a string owned by @p vf
 * @since 0.1
 */
const char *vmfex_vf_get_pci(const struct vmfex_vf *vf);

/**
 * @brief Network interface name.
 * @param vf  the VF
 * @return the name, or NULL (no netdev, e.g. bound to vfio-pci)
 * @since 0.1
 */
const char *vmfex_vf_get_ifname(const struct vmfex_vf *vf);

/**
 * @brief Bound driver.
 * @param vf  the VF
 * @return the driver name, or NULL when none is bound
 * @since 0.1
 */
const char *vmfex_vf_get_driver(const struct vmfex_vf *vf);

/**
 * @brief PCI device id (the PF's @c sriov_vf_device, else the VF's own).
 * @param vf  the VF
 * @return the id, e.g. 0x0071 for a VIC VM-FEX VF
 * @since 0.1
 */
uint16_t vmfex_vf_get_device_id(const struct vmfex_vf *vf);

/**
 * @brief Bind the VF to a driver, or give it back to its default driver.
 *
 * libvirt's sequence: write @p driver to @c driver_override, unbind the
 * current driver, ask @c /sys/bus/pci/drivers_probe; with @p driver NULL
 * the override is cleared first. The kernel reports success even when no
 * driver binds, so the @c driver link is checked afterwards.
 *
 * @param vf      the VF
 * @param driver  a driver name such as "vfio-pci", or NULL for the default
 * @return 0; -EINVAL for a malformed driver name; -ENXIO when the probe did
 *         not bind @p driver (module missing, no IOMMU group for vfio-pci,
 *         @c sriov_drivers_autoprobe off); or the kernel's error for a write
 * @since 0.1
 */
int vmfex_vf_bind_driver(struct vmfex_vf *vf, const char *driver);

/**
 * @brief Read the VF's driver and netdev from sysfs again.
 * @param vf  the VF
 * @return 0, or -ENODEV when the VF is gone
 * @since 0.1
 */
int vmfex_vf_refresh(struct vmfex_vf *vf);

/** @} */

#ifdef __cplusplus
}
#endif

#endif
