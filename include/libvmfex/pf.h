/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file pf.h
 * @brief SR-IOV physical functions: inventory and VF count.
 *
 * A PF is a PCI function whose @c sriov_totalvfs is greater than zero. Its
 * properties are read when the handle is made; vmfex_pf_refresh() reads
 * them again.
 *
 * @par Walks, and what may be called inside them
 * A context keeps one PF object per PCI address, and a PF one VF object
 * per VF index, for as long as the context lives. Reading a PF again (a
 * new walk, a look-up such as vmfex_pf_new_from_pci(), vmfex_pf_refresh(),
 * vmfex_pf_set_num_vfs(), or any call of the library that does one of
 * these itself) updates these objects in place; PFs and VFs no longer on
 * the host are marked absent and skipped by walks, never freed. A walk
 * keeps no state but its loop variable: vmfex_pf_next() goes on from
 * @p prev by PCI address, vmfex_pf_next_vf() by VF index.
 * @par
 * So every public call of the library may be made inside a
 * vmfex_pf_foreach() or vmfex_pf_foreach_vf() loop, another walk
 * included: the loop still visits every PF (every VF) present, and a PF
 * or VF in hand, even unreferenced as a loop variable, stays valid while
 * its context lives. Take a reference to keep one past the context's last
 * reference. Strings a PF or VF returns stay valid as long as the object;
 * their contents show the last read.
 */
#ifndef LIBVMFEX_PF_H
#define LIBVMFEX_PF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libvmfex/context.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup pf PFs
 * @brief SR-IOV physical functions: walk them, look one up, read their properties and VF counts, walk their VFs.
 *
 * Declared in pf.h. Example (examples/list-vfs.c, built and run by the
 * tests):
 * @include list-vfs.c
 * @{
 */

/** @brief Opaque SR-IOV physical function. */
struct vmfex_pf;
/** @brief Opaque SR-IOV virtual function (see vf.h). */
struct vmfex_vf;

/**
 * @brief Iterate over the host's PFs, sorted by PCI address.
 *
 * A call with @p prev NULL scans sysfs anew; later calls return the next
 * PF by address after @p prev that the last scan (or a later read) found
 * on the host, so a walk goes on whatever is called inside it (see the
 * top of this file). The returned PF is borrowed from the context: it
 * stays valid while the context lives; take a reference with
 * vmfex_pf_ref() to keep the context alive with it.
 *
 * @param ctx   the context
 * @param prev  the previous PF of this walk, or NULL to start a new scan
 * @return the next PF, or NULL at the end or when the scan failed (logged)
 * @since 0.1
 */
struct vmfex_pf *vmfex_pf_next(struct vmfex_ctx *ctx, struct vmfex_pf *prev);

/** @brief Loop over all PFs of @p ctx (see vmfex_pf_next()). */
#define vmfex_pf_foreach(ctx, pf) \
	for ((pf) = vmfex_pf_next((ctx), NULL); (pf); (pf) = vmfex_pf_next((ctx), (pf)))

/**
 * @brief Look up a PF by its network interface name.
 * @param ctx     the context
 * @param ifname  a netdev name (1-15 characters, no '/', ':' or spaces)
 * @param[out] pf the PF, with a new reference
 * @return 0; -EINVAL for a malformed name; -ENODEV if no such netdev or
 *         it is no PCI function; -ENOTSUP if its function has no SR-IOV
 * @since 0.1
 */
int vmfex_pf_new_from_ifname(struct vmfex_ctx *ctx, const char *ifname, struct vmfex_pf **pf);

/**
 * @brief Look up a PF by PCI address.
 * @param ctx     the context
 * @param pci     "DDDD:BB:DD.F" or "BB:DD.F" (domain 0), hexadecimal
 * @param[out] pf the PF, with a new reference
 * @return 0; -EINVAL for a malformed address; -ENODEV if there is no such
 *         function; -ENOTSUP if it has no SR-IOV (a VF, or a plain NIC)
 * @since 0.1
 */
int vmfex_pf_new_from_pci(struct vmfex_ctx *ctx, const char *pci, struct vmfex_pf **pf);

/**
 * @brief Look up a PF by netdev name or PCI address, whichever @p name is.
 * @param ctx     the context
 * @param name    a PCI address or a netdev name
 * @param[out] pf the PF, with a new reference
 * @return as vmfex_pf_new_from_pci() or vmfex_pf_new_from_ifname()
 * @since 0.1
 */
int vmfex_pf_new_from_name(struct vmfex_ctx *ctx, const char *name, struct vmfex_pf **pf);

/**
 * @brief Take a reference.
 * @param pf  the PF, or NULL
 * @return @p pf
 * @since 0.1
 */
struct vmfex_pf *vmfex_pf_ref(struct vmfex_pf *pf);

/**
 * @brief Drop a reference.
 * @param pf  the PF, or NULL
 * @return NULL
 * @since 0.1
 */
struct vmfex_pf *vmfex_pf_unref(struct vmfex_pf *pf);

/**
 * @brief The context of a PF.
 * @param pf  the PF
 * @return the context (borrowed)
 * @since 0.1
 */
struct vmfex_ctx *vmfex_pf_get_ctx(const struct vmfex_pf *pf);

/**
 * @brief Read the PF's properties and VFs from sysfs again.
 *
 * The PF and its VF objects are updated in place; VFs no longer enabled
 * are skipped by walks from now on, but a VF in hand stays valid.
 *
 * @param pf  the PF
 * @return 0, or a negative errno when the PF is gone (-ENODEV) or unreadable
 * @since 0.1
 */
int vmfex_pf_refresh(struct vmfex_pf *pf);

/**
 * @brief PCI address, canonical "dddd:bb:dd.f".
 * @param pf  the PF
 * @return a string owned by @p pf
 * @since 0.1
 */
const char *vmfex_pf_get_pci(const struct vmfex_pf *pf);

/**
 * @brief Network interface name.
 * @param pf  the PF
 * @return the name, or NULL when the PF has no netdev
 * @since 0.1
 */
const char *vmfex_pf_get_ifname(const struct vmfex_pf *pf);

/**
 * @brief Bound driver.
 * @param pf  the PF
 * @return the driver name, or NULL when none is bound
 * @since 0.1
 */
const char *vmfex_pf_get_driver(const struct vmfex_pf *pf);

/**
 * @brief PCI vendor id.
 * @param pf  the PF
 * @return the id, e.g. 0x1137 for Cisco
 * @since 0.1
 */
uint16_t vmfex_pf_get_vendor_id(const struct vmfex_pf *pf);

/**
 * @brief PCI device id.
 * @param pf  the PF
 * @return the id, e.g. 0x0043 for a VIC Ethernet NIC
 * @since 0.1
 */
uint16_t vmfex_pf_get_device_id(const struct vmfex_pf *pf);

/**
 * @brief PCI subsystem vendor id.
 * @param pf  the PF
 * @return the id
 * @since 0.1
 */
uint16_t vmfex_pf_get_subsystem_vendor_id(const struct vmfex_pf *pf);

/**
 * @brief PCI subsystem device id; for a Cisco VIC it names the model.
 * @param pf  the PF
 * @return the id, e.g. 0x0084 for a VIC 1240
 * @since 0.1
 */
uint16_t vmfex_pf_get_subsystem_device_id(const struct vmfex_pf *pf);

/**
 * @brief Vendor name from pci.ids.
 * @param pf  the PF
 * @return the name, or NULL when pci.ids does not know it or is missing
 * @since 0.1
 */
const char *vmfex_pf_read_vendor_name(struct vmfex_pf *pf);

/**
 * @brief Device name from pci.ids.
 * @param pf  the PF
 * @return the name, or NULL when unknown
 * @since 0.1
 */
const char *vmfex_pf_read_device_name(struct vmfex_pf *pf);

/**
 * @brief Model: the pci.ids name of the PF's subsystem, e.g.
 *        "VIC 1240 MLOM Ethernet NIC".
 * @param pf  the PF
 * @return the name, or NULL when unknown
 * @since 0.1
 */
const char *vmfex_pf_read_model(struct vmfex_pf *pf);

/**
 * @brief Whether the PF is a Cisco VIC Ethernet function (1137:0043).
 * @param pf  the PF
 * @return true for a VIC
 * @since 0.1
 */
bool vmfex_pf_is_vic(const struct vmfex_pf *pf);

/**
 * @brief Total VFs the device supports (@c sriov_totalvfs).
 * @param pf  the PF
 * @return the count, at least 1
 * @since 0.1
 */
unsigned int vmfex_pf_get_total_vfs(const struct vmfex_pf *pf);

/**
 * @brief Enabled VFs (@c sriov_numvfs) as last read.
 * @param pf  the PF
 * @return the count
 * @since 0.1
 */
unsigned int vmfex_pf_get_num_vfs(const struct vmfex_pf *pf);

/**
 * @brief Iterate over the PF's VFs by index.
 *
 * The VFs are those found by the last read of the PF (a walk, a look-up,
 * vmfex_pf_refresh() or vmfex_pf_set_num_vfs()); a call with @p prev
 * returns the next one by index after @p prev, even when the PF was read
 * again or its VF count changed since. They are borrowed from the PF and
 * stay valid while its context lives.
 *
 * @param pf    the PF
 * @param prev  the previous VF, or NULL for the first
 * @return the next VF, or NULL at the end
 * @since 0.1
 */
struct vmfex_vf *vmfex_pf_next_vf(struct vmfex_pf *pf, struct vmfex_vf *prev);

/** @brief Loop over the VFs of @p pf (see vmfex_pf_next_vf()). */
#define vmfex_pf_foreach_vf(pf, vf) \
	for ((vf) = vmfex_pf_next_vf((pf), NULL); (vf); (vf) = vmfex_pf_next_vf((pf), (vf)))

/**
 * @brief Look up a VF by index.
 * @param pf     the PF
 * @param index  the VF index (the N of the PF's @c virtfnN link)
 * @param[out] vf the VF, with a new reference
 * @return 0, or -ENOENT when the PF has no such VF
 * @since 0.1
 */
int vmfex_pf_lookup_vf(struct vmfex_pf *pf, unsigned int index, struct vmfex_vf **vf);

/** @brief Host driver probing of new VFs (@c sriov_drivers_autoprobe). */
enum vmfex_autoprobe {
	VMFEX_AUTOPROBE_KEEP = 0, /**< leave the setting as it is */
	VMFEX_AUTOPROBE_ON,       /**< host drivers bind new VFs */
	VMFEX_AUTOPROBE_OFF,      /**< only VFs with a driver_override are probed */
};

/**
 * @brief Options for vmfex_pf_set_num_vfs().
 *
 * Set @c sz to @c sizeof(struct vmfex_set_num_vfs_opts).
 */
struct vmfex_set_num_vfs_opts {
	/** Size of this structure, for compatibility. */
	size_t sz;
	/** How long to wait for new VFs to appear, in milliseconds
	 *  (0: the default, 5000). */
	unsigned int timeout_ms;
	/** What to write to @c sriov_drivers_autoprobe before enabling VFs. */
	enum vmfex_autoprobe autoprobe;
};

/**
 * @brief Change the number of enabled VFs the way the kernel allows.
 *
 * A change between two non-zero counts goes through 0, as the kernel
 * refuses it otherwise (EBUSY). The call waits, bounded, until the new
 * VFs' links are in sysfs, then rescans the PF.
 *
 * @param pf    the PF
 * @param num   the new count, 0 to disable SR-IOV
 * @param opts  options, or NULL
 * @return 0; -ERANGE when @p num exceeds the total; -ENOENT when the PF has
 *         no driver or its driver cannot change the count (enic enables all
 *         VFs at probe); -ETIMEDOUT when VFs did not appear in time; or the
 *         kernel's error for the write
 * @since 0.1
 */
int vmfex_pf_set_num_vfs(struct vmfex_pf *pf, unsigned int num,
                         const struct vmfex_set_num_vfs_opts *opts);

/** @} */

#ifdef __cplusplus
}
#endif

#endif
