/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file workflow.h
 * @brief Host workflows: a VF allocator shared across processes, and the
 *        attach and detach of a VM's VM-FEX vNIC in one call.
 *
 * @par Leases
 * A VF handed to a VM is leased to it in a lease file: @c /run/vmfex/leases
 * on a real host, @c leases in the directory of a simulated host. Every
 * change takes an exclusive lock (flock(2) on the file @c leases.lock next
 * to it), reads the file, and writes it anew atomically (temporary file
 * @c leases.new, fsync, rename, fsync of the directory), so that processes
 * sharing the host never hand one VF to two owners; a temporary file left
 * by a writer that was killed is removed by the next writer. A lease file
 * that is not a regular file (a symbolic link, a FIFO, a directory), a
 * line longer than 1023 bytes, or a number that is negative or out of
 * range is an error (-EINVAL, -ELOOP, -EFBIG or -EBADMSG, logged with the
 * line), never an empty list. A new lease file gets the mode the umask
 * allows; a replaced one keeps its mode.
 *
 * @par The stale-lease rule
 * A lease records the reserving process's pid and its start time (field 22
 * of @c /proc/PID/stat). A lease is @e confirmed once an attach using it
 * succeeded; a confirmed lease belongs to the VM and stays until it is
 * released (vmfex_vf_release(), vmfex_detach()). An unconfirmed lease whose
 * process is gone, or whose pid now names a process started at another
 * time, is @e stale: a reservation treats its VF as free and drops it, and
 * vmfex_lease_reclaim_stale() drops every stale lease. So a process killed
 * between reserve and attach leaks nothing for good. A process reserving
 * for a VM that lives longer than itself (vmfexctl vf reserve) confirms
 * the lease with vmfex_reserve_opts::confirm.
 *
 * @par Inside a walk
 * vmfex_attach() and the allocator read PFs through the context's PF
 * objects (see pf.h): every function of this header may be called inside a
 * walk of PFs or VFs (vmfex_pf_foreach(), vmfex_pf_foreach_vf()), and
 * inside vmfex_lease_list_foreach() (a lease list is a snapshot); the walks
 * go on.
 */
#ifndef LIBVMFEX_WORKFLOW_H
#define LIBVMFEX_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <libvmfex/context.h>
#include <libvmfex/pf.h>
#include <libvmfex/vf.h>
#include <libvmfex/catalog.h>
#include <libvmfex/libvirt.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup workflow Attach, detach and leases
 * @brief Give a VM its VFs and port profiles, take them back, and list the VF leases.
 *
 * Declared in workflow.h. Example (examples/advise.c, built and run by the
 * tests):
 * @include advise.c
 * @{
 */

/**
 * @brief Options of vmfex_vf_reserve().
 * Set @c sz to @c sizeof(struct vmfex_reserve_opts).
 */
struct vmfex_reserve_opts {
	/** Size of this structure, for compatibility. */
	size_t sz;
	/** The owner: the VM's UUID (36 characters); required. */
	const char *vm_uuid;
	/** The VM's name, or NULL; at most 255 printable characters, no tab. */
	const char *vm_name;
	/** libvirt domain XML documents whose interfaces' VFs are in use,
	 *  ended by NULL; or NULL. */
	const char *const *domains;
	/** Mark the lease confirmed at once: it never goes stale (see the
	 *  stale-lease rule in workflow.h). */
	bool confirm;
	/** Reserve this VF of the PF only (its PCI address), or NULL for the
	 *  lowest free one: for a VF someone else chose, e.g. libvirt from a
	 *  pool. */
	const char *vf;
};

/**
 * @brief Reserve a free VF of a PF for a VM.
 * A VF is free when no lease holds it (stale leases do not count), its
 * 802.1Qbh port is not associated nor pre-associated with a profile, and
 * no interface of @c opts->domains uses it. The lowest free index is taken.
 * @param pf    the PF; it must have a netdev (its VFs' ports are read)
 * @param opts  the owner and options
 * @param[out] vf the reserved VF, with a new reference
 * @return 0; -EINVAL for a missing or malformed UUID or name, or a domain
 *         XML that does not parse; -ENOSPC when no VF of @p pf is free
 *         (-EBUSY when the one named by @c opts->vf is not);
 *         -ENODEV when the PF has no netdev; or an error opening, locking
 *         or writing the lease file (-EACCES, -EIO...)
 * @since 0.1
 */
int vmfex_vf_reserve(struct vmfex_pf *pf, const struct vmfex_reserve_opts *opts,
                     struct vmfex_vf **vf);

/**
 * @brief Release the lease of a VF.
 * @param vf       the VF
 * @param vm_uuid  the owner the lease must have, or NULL to release it
 *                 whoever holds it (an explicit reclaim)
 * @return 0; -ENOENT when the VF has no lease; -EPERM when another VM holds
 *         it; -EINVAL for a malformed UUID; or an error on the lease file
 * @since 0.1
 */
int vmfex_vf_release(struct vmfex_vf *vf, const char *vm_uuid);

/**
 * @brief Drop every stale lease of the host (see the stale-lease rule).
 * What an attach killed half-way left on such a VF is undone first: a
 * port associated for the lease's VM is disassociated, a VF bound to
 * vfio-pci goes back to its default driver, and the MAC recorded when the
 * VF was reserved is restored. A reservation that reclaims a stale lease
 * by itself only takes VFs whose port is free.
 * @param ctx  the context
 * @return the number of leases dropped, or an error on the lease file
 * @since 0.1
 */
int vmfex_lease_reclaim_stale(struct vmfex_ctx *ctx);

/** @brief Opaque snapshot of the host's leases. */
struct vmfex_lease_list;
/** @brief One lease of a list (borrowed from it). */
struct vmfex_lease;

/**
 * @brief Read the host's leases.
 * @param ctx  the context
 * @param[out] list  the snapshot, with one reference; it holds @p ctx
 * @return 0 (a missing lease file is an empty list); -EBADMSG for a lease
 *         file that does not parse (the log names the line); -ENOMEM; or
 *         an I/O error
 * @since 0.1
 */
int vmfex_lease_list_new(struct vmfex_ctx *ctx, struct vmfex_lease_list **list);

/**
 * @brief Take a reference.
 * @param list  the list, or NULL
 * @return @p list
 * @since 0.1
 */
struct vmfex_lease_list *vmfex_lease_list_ref(struct vmfex_lease_list *list);

/**
 * @brief Drop a reference.
 * @param list  the list, or NULL
 * @return NULL
 * @since 0.1
 */
struct vmfex_lease_list *vmfex_lease_list_unref(struct vmfex_lease_list *list);

/**
 * @brief The context of a lease list.
 * @param list  the lease list
 * @return the context (borrowed)
 * @since 1.0
 */
struct vmfex_ctx *vmfex_lease_list_get_ctx(const struct vmfex_lease_list *list);

/**
 * @brief Iterate over the leases, sorted by PF address and VF index.
 * @param list  the list
 * @param prev  the previous lease, or NULL for the first
 * @return the next lease (borrowed from @p list), or NULL at the end
 * @since 0.1
 */
struct vmfex_lease *vmfex_lease_list_next(struct vmfex_lease_list *list,
                                          struct vmfex_lease *prev);

/** @brief Loop over the leases of @p list (see vmfex_lease_list_next()). */
#define vmfex_lease_list_foreach(list, lease) \
	for ((lease) = vmfex_lease_list_next((list), NULL); (lease); \
	     (lease) = vmfex_lease_list_next((list), (lease)))

/**
 * @brief The PCI address of the lease's PF.
 * @param lease  the lease
 * @return "dddd:bb:dd.f", owned by the list
 * @since 0.1
 */
const char *vmfex_lease_get_pf(const struct vmfex_lease *lease);

/**
 * @brief The leased VF's index.
 * @param lease  the lease
 * @return the index
 * @since 0.1
 */
unsigned int vmfex_lease_get_vf_index(const struct vmfex_lease *lease);

/**
 * @brief The owner VM's UUID.
 * @param lease  the lease
 * @return the UUID, owned by the list
 * @since 0.1
 */
const char *vmfex_lease_get_vm_uuid(const struct vmfex_lease *lease);

/**
 * @brief The owner VM's name.
 * @param lease  the lease
 * @return the name, or NULL when none was given
 * @since 0.1
 */
const char *vmfex_lease_get_vm_name(const struct vmfex_lease *lease);

/**
 * @brief The pid of the process that made the lease.
 * @param lease  the lease
 * @return the pid
 * @since 0.1
 */
pid_t vmfex_lease_get_pid(const struct vmfex_lease *lease);

/**
 * @brief Whether the lease is confirmed (an attach succeeded, or it was
 *        reserved with @c confirm).
 * @param lease  the lease
 * @return true when confirmed
 * @since 0.1
 */
bool vmfex_lease_is_confirmed(const struct vmfex_lease *lease);

/**
 * @brief Whether the lease is stale by the stale-lease rule, as of the
 *        snapshot.
 * @param lease  the lease
 * @return true when a reservation may reclaim it
 * @since 0.1
 */
bool vmfex_lease_is_stale(const struct vmfex_lease *lease);

/** @brief Who associates the VF's port with the profile in vmfex_attach(). */
enum vmfex_attach_association {
	/** The library associates it now; the XML carries no virtualport. */
	VMFEX_ATTACH_ASSOCIATE = 0,
	/** Incoming migration: the library pre-associates it now
	 *  (PREASSOCIATE_RR) and vmfex_attach_migration_finish() associates
	 *  it once the VM runs here; the XML carries no virtualport. */
	VMFEX_ATTACH_PREASSOCIATE,
	/** libvirt associates it when the VM starts: the XML carries the
	 *  virtualport; the library leaves the port alone. */
	VMFEX_ATTACH_BY_LIBVIRT,
};

/**
 * @brief Options of vmfex_attach().
 * Set @c sz to @c sizeof(struct vmfex_attach_opts).
 */
struct vmfex_attach_opts {
	/** Size of this structure, for compatibility. */
	size_t sz;
	/** The VM's UUID (the port's instance UUID); required. */
	const char *vm_uuid;
	/** The VM's name, or NULL. */
	const char *vm_name;
	/** The port profile name, 1-39 characters; required. */
	const char *profile;
	/** The PF (netdev or PCI address), a Cisco VIC; NULL: the first VIC
	 *  PF by address with a free VF (only a VIC's VFs carry a port
	 *  profile). */
	const char *pf;
	/** #VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH or #VMFEX_XML_TOPOLOGY_HOSTDEV;
	 *  #VMFEX_XML_TOPOLOGY_PROFILE: the catalog profile's, else
	 *  passthrough. */
	enum vmfex_xml_topology topology;
	/** A catalog to check the profile against (vmfex_catalog_check_port())
	 *  before anything is done, or NULL. */
	struct vmfex_catalog *catalog;
	/** The guest MAC; NULL: a random locally administered one. */
	const char *mac;
	/** Who associates the port. */
	enum vmfex_attach_association association;
	/** Domain XML documents whose VFs are in use (as for
	 *  vmfex_vf_reserve()), ended by NULL; or NULL. */
	const char *const *domains;
	/** The host UUID for the port, or NULL (as vmfex_port_opts). */
	const char *host_uuid;
	/** The adapter wait, in ms (0: as vmfex_port_associate()). */
	unsigned int timeout_ms;
	/** The VF to attach (netdev or PCI address) when it is chosen
	 *  already, e.g. by libvirt from a pool; NULL: a free VF of @c pf.
	 *  It must be free as vmfex_vf_reserve() says, else -EBUSY. */
	const char *vf;
};

/**
 * @brief Give a VM a VM-FEX vNIC in one call.
 * In order: check the profile against the catalog (when one is given);
 * reserve a VF for the VM; set its MAC; associate (or pre-associate) its
 * port with the profile, unless libvirt is to; for hostdev, bind it to
 * vfio-pci (the XML then says managed='no'); write the domain interface;
 * confirm the lease. When a step fails, the steps done are undone in
 * reverse order (driver binding, port, MAC, lease) and the host is left as
 * it was, save that a port the adapter took a request for reports the
 * DISASSOCIATE that undid it.
 * @param ctx   the context
 * @param opts  the VM, the profile and options
 * @param[out] xml the domain @c \<interface\>, to be freed with free()
 * The catalog's count of the profile's ports and the port request are
 * made under one lock of the host, so that max ports holds however many
 * attaches run at once (when libvirt is to associate the port, the count
 * sees only the ports associated when it is made).
 * @return 0; -EINVAL for missing or malformed options; -ENOSPC when no VIC
 *         PF has a free VF; -EOPNOTSUPP when the PF given is not a VIC;
 *         -ENODEV for an @c opts->vf that is no VF; -EBUSY when it is not
 *         free; an error of vmfex_catalog_check_port() (-ENOENT,
 *         -EPERM, -EACCES, -EUSERS); -ENOTSUP for a profile whose topology
 *         is not passthrough nor hostdev; or the error of the step that
 *         failed (logged with the VF)
 * @since 0.1
 */
int vmfex_attach(struct vmfex_ctx *ctx, const struct vmfex_attach_opts *opts, char **xml);

/**
 * @brief Attach many VMs in one call, as a host restarting its VMs does,
 *        with one wait of the adapter for all of them.
 * Each VM goes through the steps of vmfex_attach() (catalog check, VF
 * reservation, MAC) up to its port request, one VM after the other, each
 * under the locks of the host as a single attach; every request is sent
 * without waiting; then one wait reads the adapter's answers for all the
 * ports (one for the associations and one for the pre-associations, when
 * the batch has both), as long as the longest @c timeout_ms among them;
 * then each VM's remaining steps run. A VM whose step fails is undone
 * alone, as vmfex_attach() undoes it; the others stay attached. A profile's
 * max ports refuses only the VMs beyond it.
 * @param ctx   the context
 * @param opts  one options structure per VM, as for vmfex_attach()
 * @param n     the number of VMs
 * @param[out] xmls     n domain @c \<interface\> documents, each to be
 *                      freed with free(), NULL for a VM that failed
 * @param[out] results  n results, each as vmfex_attach() returns
 * @return the number of VMs that failed (0: all attached); -EINVAL when
 *         @p ctx, @p opts, @p xmls or @p results is missing; -ENOMEM
 * @since 0.1
 */
int vmfex_attach_many(struct vmfex_ctx *ctx, const struct vmfex_attach_opts *const *opts,
                      size_t n, char **xmls, int *results);

/**
 * @brief After an incoming migration, associate the ports that
 *        vmfex_attach() pre-associated for a VM, as libvirt does when the
 *        migration finishes.
 * @param ctx      the context
 * @param vm_uuid  the VM
 * @return the number of ports associated; -ENOENT when the VM has no
 *         pre-associated port; or the first port error (logged)
 * @since 0.1
 */
int vmfex_attach_migration_finish(struct vmfex_ctx *ctx, const char *vm_uuid);

/**
 * @brief On the source of a migration, when the VM stops running here,
 *        step its associated ports back to pre-associated, so that one
 *        instance is never associated on two hosts at once.
 * The mirror of vmfex_attach_migration_finish(): each port the library
 * associated for the VM (vmfex_attach() with #VMFEX_ATTACH_ASSOCIATE, or a
 * finished migration) is pre-associated (PREASSOCIATE_RR) with the same
 * profile, instance UUID, host UUID and MAC, and its lease says so. The
 * destination may then associate the VM's ports; should the migration
 * fail and the VM run here again, vmfex_attach_migration_finish()
 * associates them again, and vmfex_detach() releases them either way.
 * @param ctx      the context
 * @param vm_uuid  the VM
 * @return the number of ports pre-associated; -ENOENT when the VM has no
 *         associated port (the log says so); -EINVAL for a malformed UUID;
 *         or the first port error (logged; the ports before it stay
 *         pre-associated)
 * @since 1.0
 */
int vmfex_attach_migration_begin(struct vmfex_ctx *ctx, const char *vm_uuid);

/**
 * @brief Undo the attaches of a VM: give each of its VFs back its driver,
 *        disassociate its port when the library associated it, restore its
 *        MAC, and release its lease.
 * @param ctx      the context
 * @param vm_uuid  the VM
 * @return the number of VFs released; -ENOENT when the VM holds none;
 *         -EINVAL for a malformed UUID; or the first error (the others are
 *         still undone, and the lease of a VF that could not be undone
 *         wholly is kept)
 * @since 0.1
 */
int vmfex_detach(struct vmfex_ctx *ctx, const char *vm_uuid);

/** @} */

#ifdef __cplusplus
}
#endif

#endif
