/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file catalog.h
 * @brief Clusters and port profiles as UCS Manager defines them, kept in a
 *        catalog file and imported from UCS Manager's XML API.
 *
 * A catalog holds clusters (the @c default cluster always exists) and port
 * profiles. Every setter checks its value exactly as UCS Manager does and
 * refuses a bad one with -EINVAL, after logging a message that quotes it.
 * Profiles and clusters belong to their catalog: the pointers returned by
 * the @c _next_ iterators are borrowed and stay valid until the catalog is
 * freed, deleted objects included; the @c _lookup_ calls return a
 * reference, which holds the catalog.
 *
 * The catalog file is an XML format of the library's own (doc/catalog.md,
 * checked on load against doc/catalog.rng). Saving is atomic, and writers
 * of one file are serialised by a lock on @c PATH.lock.
 *
 * @par Inside a walk
 * Every function of this header may be called inside a walk of PFs or VFs
 * (vmfex_pf_foreach(), vmfex_pf_foreach_vf()); vmfex_catalog_check_port()
 * walks the PFs itself, and the walk goes on (see pf.h). Inside the catalog's
 * own walks (profiles, clusters, a profile's VLANs, clients and UCS Manager
 * clients) every call may be made too, without holding a reference: a walk
 * keeps no state but its loop variable and goes on from it by name, so it
 * visits every object present, those added after the loop variable's name
 * included, whatever was deleted meanwhile, the loop variable itself
 * included.
 *
 * @par Deleted objects
 * A profile, cluster, VLAN or UCS Manager client that is deleted (by the
 * @c _del_ calls, or a profile replaced by an import) leaves its list but
 * is kept, with what it held, until the catalog is freed: a loop variable
 * or a pointer in hand stays readable (its getters, walks and
 * vmfex_xml_interface_for_vf() give what it was), and a @c _next_ call
 * from it goes on to the next object by name. Every change to a deleted
 * profile (its @c _set_, @c _add_ and @c _del_ calls) fails with -EINVAL,
 * logged with its name. A name deleted and added again is a new object.
 * The memory of deleted objects returns when the catalog is freed, so a
 * long-lived program that imports again and again should load a new
 * catalog now and then rather than keep one.
 */
#ifndef LIBVMFEX_CATALOG_H
#define LIBVMFEX_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include <libvmfex/context.h>
#include <libvmfex/port.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup catalog_api Port-profile catalog
 * @brief The catalog of clusters and port profiles, its file, and its import and sync from UCS Manager.
 *
 * Declared in catalog.h. Example (examples/catalog-network.c, built and run by the
 * tests):
 * @include catalog-network.c
 * @{
 */

/** @brief Opaque catalog of clusters and port profiles. */
struct vmfex_catalog;
/** @brief Opaque cluster (UCS Manager's VM cluster). */
struct vmfex_cluster;
/** @brief Opaque port profile (UCS Manager's vnicProfile). */
struct vmfex_profile;
/** @brief Opaque VLAN of a port profile (UCS Manager's vnicEtherIf). */
struct vmfex_vlan;

/** The name of the cluster that always exists. */
#define VMFEX_CLUSTER_DEFAULT "default"
/** Longest profile name (UCS Manager: [-.:_a-zA-Z0-9]{1,31}). */
#define VMFEX_PROFILE_NAME_MAX 31
/** Longest cluster name (UCS Manager: [-.:_a-zA-Z0-9]{1,16}). */
#define VMFEX_CLUSTER_NAME_MAX 16
/** Longest VLAN name (UCS Manager: [-.:_a-zA-Z0-9]{1,32}). */
#define VMFEX_VLAN_NAME_MAX 32
/** Longest policy or pin group name (UCS Manager: [-.:_a-zA-Z0-9]{0,16}). */
#define VMFEX_POLICY_NAME_MAX 16
/** Longest description. */
#define VMFEX_PROFILE_DESCR_MAX 256
/** UCS Manager's default of max ports. */
#define VMFEX_PROFILE_MAX_PORTS_DEFAULT 64
/** Highest max ports. */
#define VMFEX_PROFILE_MAX_PORTS_MAX 4096
/** Highest VLAN id accepted (4094 and 4095 are reserved). */
#define VMFEX_VLAN_ID_MAX 4093

/** @brief Host network IO performance (UCS Manager's hostNwIOPerf). */
enum vmfex_host_nw_io_perf {
	VMFEX_HOST_NW_IO_PERF_NONE = 0,          /**< "none": MacVTap passthrough */
	VMFEX_HOST_NW_IO_PERF_HIGH_PERF_REQD = 1, /**< "high-perf-reqd": hostdev */
};

/** @brief Port profile type (UCS Manager's type). */
enum vmfex_profile_type {
	VMFEX_PROFILE_TYPE_REGULAR = 0, /**< "regular" */
	VMFEX_PROFILE_TYPE_SLA_ONLY = 1, /**< "sla-only" */
};

/** @brief How a VM interface reaches its VF (DOMAIN.md section 1). */
enum vmfex_topology {
	/** SR-IOV with MacVTap passthrough: virtio in the VM, live migration. */
	VMFEX_TOPOLOGY_MACVTAP_PASSTHROUGH = 1,
	/** SR-IOV VF passthrough (hostdev): enic in the VM, no live migration. */
	VMFEX_TOPOLOGY_HOSTDEV = 2,
};

/* ---- catalog ---- */

/**
 * @brief Options of vmfex_catalog_open().
 *
 * Set @c sz to @c sizeof(struct vmfex_catalog_open_opts).
 */
struct vmfex_catalog_open_opts {
	/** Size of this structure, for compatibility. */
	size_t sz;
	/** Take the writers' lock on @c PATH.lock, waiting for it, and hold it
	 *  until the catalog is freed or vmfex_catalog_unlock() is called. */
	bool lock;
	/** A missing file gives an empty catalog instead of -ENOENT. */
	bool create;
};

/**
 * @brief A new, empty catalog: the default cluster and no profiles.
 * @param ctx  the context
 * @param[out] catalog  the catalog, with one reference; it holds @p ctx
 * @return 0, -EINVAL for a NULL argument, -ENOMEM
 * @since 0.1
 */
int vmfex_catalog_new(struct vmfex_ctx *ctx, struct vmfex_catalog **catalog);

/**
 * @brief Load a catalog file.
 *
 * The file is parsed without network access, DTDs or entity expansion,
 * within a size limit (16 MiB) and a depth limit, then checked against the
 * catalog schema and the UCS Manager rules.
 *
 * @param ctx   the context
 * @param path  the file
 * @param opts  options, or NULL (no lock, a missing file is an error)
 * @param[out] catalog  the catalog, with one reference
 * @return 0; -ENOENT for a missing file (without @c create); -EINVAL for
 *         a file that is not a valid catalog (the log names the line and
 *         the reason); -EFBIG for a file over the size limit; -ENOMEM; or
 *         an error opening, locking or reading the file (-EACCES, -EIO...)
 * @since 0.1
 */
int vmfex_catalog_open(struct vmfex_ctx *ctx, const char *path,
                       const struct vmfex_catalog_open_opts *opts,
                       struct vmfex_catalog **catalog);

/**
 * @brief Parse a catalog from memory, as vmfex_catalog_open() a file.
 * @param ctx  the context
 * @param buf  the document
 * @param len  its length in bytes
 * @param[out] catalog  the catalog, with one reference
 * @return 0, -EINVAL, -EFBIG or -ENOMEM as vmfex_catalog_open()
 * @since 0.1
 */
int vmfex_catalog_new_from_buffer(struct vmfex_ctx *ctx, const char *buf, size_t len,
                                  struct vmfex_catalog **catalog);

/**
 * @brief Take a reference.
 * @param catalog  the catalog, or NULL
 * @return @p catalog
 * @since 0.1
 */
struct vmfex_catalog *vmfex_catalog_ref(struct vmfex_catalog *catalog);

/**
 * @brief Drop a reference; the last one frees the catalog and releases
 *        its lock.
 * @param catalog  the catalog, or NULL
 * @return NULL
 * @since 0.1
 */
struct vmfex_catalog *vmfex_catalog_unref(struct vmfex_catalog *catalog);

/**
 * @brief The context of a catalog.
 * @param catalog  the catalog
 * @return the context (no new reference)
 * @since 0.1
 */
struct vmfex_ctx *vmfex_catalog_get_ctx(const struct vmfex_catalog *catalog);

/**
 * @brief The file the catalog was opened from.
 * @param catalog  the catalog
 * @return the path, or NULL for a catalog made in memory
 * @since 0.1
 */
const char *vmfex_catalog_get_path(const struct vmfex_catalog *catalog);

/**
 * @brief Serialise the catalog as it would be saved.
 *
 * The output is canonical: clusters and profiles sorted by name, so a
 * catalog loaded and written again gives the same bytes.
 *
 * @param catalog  the catalog
 * @param[out] buf the document, NUL-terminated, to be freed with free()
 * @param[out] len its length in bytes, without the NUL
 * @return 0, -ENOMEM
 * @since 0.1
 */
int vmfex_catalog_write_buffer(const struct vmfex_catalog *catalog, char **buf, size_t *len);

/**
 * @brief Save the catalog atomically.
 *
 * The document goes to a temporary file in the same directory, which is
 * flushed with fsync() and renamed over @p path; the directory is then
 * flushed too. Whatever happens meanwhile (a full disk, an I/O error, the
 * process killed), @p path holds either the previous catalog or the new
 * one, whole. Unless the catalog holds the lock of @p path, the lock is
 * taken for the time of the save.
 *
 * @param catalog  the catalog
 * @param path     the file, or NULL for the one it was opened from
 * @return 0; -EINVAL when there is no path; or the error of the first
 *         failing step (-ENOSPC, -EIO, -EACCES, -EROFS...), logged with the
 *         file's name, after which the temporary file has been removed
 * @since 0.1
 */
int vmfex_catalog_save(struct vmfex_catalog *catalog, const char *path);

/**
 * @brief Release the writers' lock taken by vmfex_catalog_open().
 * @param catalog  the catalog
 * @since 0.1
 */
void vmfex_catalog_unlock(struct vmfex_catalog *catalog);

/* ---- clusters ---- */

/**
 * @brief Iterate over the clusters, sorted by name.
 * @param catalog  the catalog
 * @param prev     the previous cluster, or NULL for the first; it may have
 *                 been deleted since (the walk goes on by its name)
 * @return the next cluster by name (borrowed), or NULL after the last
 * @since 0.1
 */
struct vmfex_cluster *vmfex_catalog_next_cluster(struct vmfex_catalog *catalog,
                                                 struct vmfex_cluster *prev);

/** @brief Loop over the clusters of a catalog. */
#define vmfex_catalog_foreach_cluster(catalog, cluster)                         \
	for ((cluster) = vmfex_catalog_next_cluster((catalog), NULL); (cluster); \
	     (cluster) = vmfex_catalog_next_cluster((catalog), (cluster)))

/**
 * @brief Create a cluster.
 * @param catalog  the catalog
 * @param name     1-16 characters of [-.:_a-zA-Z0-9]
 * @param[out] cluster  the cluster, with one reference, or NULL
 * @return 0; -EINVAL for a bad name; -EEXIST; -ENOMEM
 * @since 0.1
 */
int vmfex_catalog_add_cluster(struct vmfex_catalog *catalog, const char *name,
                              struct vmfex_cluster **cluster);

/**
 * @brief Find a cluster.
 * @param catalog  the catalog
 * @param name     its name
 * @param[out] cluster  the cluster, with one reference
 * @return 0; -ENOENT
 * @since 0.1
 */
int vmfex_catalog_lookup_cluster(struct vmfex_catalog *catalog, const char *name,
                              struct vmfex_cluster **cluster);

/**
 * @brief Delete a cluster. It is kept, out of the catalog's list, until
 *        the catalog is freed (see "Deleted objects" above).
 * @param catalog  the catalog
 * @param name     its name
 * @return 0; -ENOENT; -EPERM for the default cluster; -EBUSY when a
 *         profile has it as a client (the log names the profile); -ENOMEM
 * @since 0.1
 */
int vmfex_catalog_del_cluster(struct vmfex_catalog *catalog, const char *name);

/**
 * @brief Take a reference on a cluster (and so on its catalog).
 * @param cluster  the cluster, or NULL
 * @return @p cluster
 * @since 0.1
 */
struct vmfex_cluster *vmfex_cluster_ref(struct vmfex_cluster *cluster);

/**
 * @brief Drop a reference on a cluster.
 * @param cluster  the cluster, or NULL
 * @return NULL
 * @since 0.1
 */
struct vmfex_cluster *vmfex_cluster_unref(struct vmfex_cluster *cluster);

/**
 * @brief The context of a cluster.
 * @param cluster  the cluster
 * @return the context (borrowed)
 * @since 1.0
 */
struct vmfex_ctx *vmfex_cluster_get_ctx(const struct vmfex_cluster *cluster);

/**
 * @brief The cluster's name.
 * @param cluster  the cluster
 * @return the name, owned by @p cluster
 * @since 0.1
 */
const char *vmfex_cluster_get_name(const struct vmfex_cluster *cluster);

/**
 * @brief Whether this is the default cluster.
 * @param cluster  the cluster
 * @return true for the default cluster
 * @since 0.1
 */
bool vmfex_cluster_is_default(const struct vmfex_cluster *cluster);

/* ---- profiles ---- */

/**
 * @brief Iterate over the profiles, sorted by name.
 * @param catalog  the catalog
 * @param prev     the previous profile, or NULL for the first; it may have
 *                 been deleted since (the walk goes on by its name)
 * @return the next profile by name (borrowed), or NULL after the last
 * @since 0.1
 */
struct vmfex_profile *vmfex_catalog_next_profile(struct vmfex_catalog *catalog,
                                                 struct vmfex_profile *prev);

/** @brief Loop over the profiles of a catalog. */
#define vmfex_catalog_foreach_profile(catalog, profile)                         \
	for ((profile) = vmfex_catalog_next_profile((catalog), NULL); (profile); \
	     (profile) = vmfex_catalog_next_profile((catalog), (profile)))

/**
 * @brief The number of profiles.
 * @param catalog  the catalog
 * @return the count
 * @since 0.1
 */
size_t vmfex_catalog_get_n_profiles(const struct vmfex_catalog *catalog);

/**
 * @brief Create a profile with UCS Manager's defaults: no description,
 *        VLANs, policies or clients, max ports 64, host network IO
 *        performance none, type regular, a new random UUID.
 * @param catalog  the catalog
 * @param name     1-31 characters of [-.:_a-zA-Z0-9]
 * @param[out] profile  the profile, with one reference, or NULL
 * @return 0; -EINVAL for a bad name; -EEXIST; -ENOMEM
 * @since 0.1
 */
int vmfex_catalog_add_profile(struct vmfex_catalog *catalog, const char *name,
                              struct vmfex_profile **profile);

/**
 * @brief Find a profile.
 * @param catalog  the catalog
 * @param name     its name
 * @param[out] profile  the profile, with one reference
 * @return 0; -ENOENT
 * @since 0.1
 */
int vmfex_catalog_lookup_profile(struct vmfex_catalog *catalog, const char *name,
                              struct vmfex_profile **profile);

/**
 * @brief Delete a profile. It is kept, out of the catalog's list, until
 *        the catalog is freed: pointers to it stay readable, and changes
 *        to it fail with -EINVAL (see "Deleted objects" above).
 * @param catalog  the catalog
 * @param name     its name
 * @return 0; -ENOENT; -ENOMEM
 * @since 0.1
 */
int vmfex_catalog_del_profile(struct vmfex_catalog *catalog, const char *name);

/**
 * @brief Take a reference on a profile (and so on its catalog).
 * @param profile  the profile, or NULL
 * @return @p profile
 * @since 0.1
 */
struct vmfex_profile *vmfex_profile_ref(struct vmfex_profile *profile);

/**
 * @brief Drop a reference on a profile.
 * @param profile  the profile, or NULL
 * @return NULL
 * @since 0.1
 */
struct vmfex_profile *vmfex_profile_unref(struct vmfex_profile *profile);

/**
 * @brief The context of a port profile.
 * @param profile  the profile
 * @return the context (borrowed)
 * @since 1.0
 */
struct vmfex_ctx *vmfex_profile_get_ctx(const struct vmfex_profile *profile);

/**
 * @brief The profile's name (UCS Manager's name, rn vnic-NAME).
 * @param profile  the profile
 * @return the name, owned by @p profile
 * @since 0.1
 */
const char *vmfex_profile_get_name(const struct vmfex_profile *profile);

/**
 * @brief The description.
 * @param profile  the profile
 * @return the description, or NULL when there is none
 * @since 0.1
 */
const char *vmfex_profile_get_descr(const struct vmfex_profile *profile);

/**
 * @brief Set the description.
 * @param profile  the profile
 * @param descr    at most 256 characters of UCS Manager's set (letters,
 *                 digits, space and <tt>!\#\$\%\&()*+,-./:;?\@[]_{|}~</tt>),
 *                 or NULL or
 *                 "" for none
 * @return 0; -EINVAL (logged with the value); -ENOMEM
 * @since 0.1
 */
int vmfex_profile_set_descr(struct vmfex_profile *profile, const char *descr);

/**
 * @brief The QoS policy's name.
 * @param profile  the profile
 * @return the name, or NULL when there is none
 * @since 0.1
 */
const char *vmfex_profile_get_qos_policy(const struct vmfex_profile *profile);

/**
 * @brief Set the QoS policy (UCS Manager's qosPolicyName).
 * @param profile  the profile
 * @param name     0-16 characters of [-.:_a-zA-Z0-9]; NULL or "" for none
 * @return 0; -EINVAL (logged with the value)
 * @since 0.1
 */
int vmfex_profile_set_qos_policy(struct vmfex_profile *profile, const char *name);

/**
 * @brief The network control policy's name.
 * @param profile  the profile
 * @return the name, or NULL when there is none
 * @since 0.1
 */
const char *vmfex_profile_get_nw_ctrl_policy(const struct vmfex_profile *profile);

/**
 * @brief Set the network control policy (UCS Manager's nwCtrlPolicyName).
 * @param profile  the profile
 * @param name     0-16 characters of [-.:_a-zA-Z0-9]; NULL or "" for none
 * @return 0; -EINVAL (logged with the value)
 * @since 0.1
 */
int vmfex_profile_set_nw_ctrl_policy(struct vmfex_profile *profile, const char *name);

/**
 * @brief The pin group's name.
 * @param profile  the profile
 * @return the name, or NULL when there is none
 * @since 0.1
 */
const char *vmfex_profile_get_pin_group(const struct vmfex_profile *profile);

/**
 * @brief Set the pin group (UCS Manager's pinToGroupName).
 * @param profile  the profile
 * @param name     0-16 characters of [-.:_a-zA-Z0-9]; NULL or "" for none
 * @return 0; -EINVAL (logged with the value)
 * @since 0.1
 */
int vmfex_profile_set_pin_group(struct vmfex_profile *profile, const char *name);

/**
 * @brief The most ports that may use the profile at once.
 * @param profile  the profile
 * @return 1-4096
 * @since 0.1
 */
unsigned int vmfex_profile_get_max_ports(const struct vmfex_profile *profile);

/**
 * @brief Set max ports (UCS Manager's maxPorts).
 * @param profile    the profile
 * @param max_ports  1-4096
 * @return 0; -EINVAL (logged with the value)
 * @since 0.1
 */
int vmfex_profile_set_max_ports(struct vmfex_profile *profile, unsigned int max_ports);

/**
 * @brief The host network IO performance.
 * @param profile  the profile
 * @return a #vmfex_host_nw_io_perf value
 * @since 0.1
 */
enum vmfex_host_nw_io_perf vmfex_profile_get_host_nw_io_perf(const struct vmfex_profile *profile);

/**
 * @brief Set the host network IO performance (UCS Manager's hostNwIOPerf).
 * @param profile  the profile
 * @param perf     a #vmfex_host_nw_io_perf value
 * @return 0; -EINVAL for another value
 * @since 0.1
 */
int vmfex_profile_set_host_nw_io_perf(struct vmfex_profile *profile,
                                      enum vmfex_host_nw_io_perf perf);

/**
 * @brief The profile's type.
 * @param profile  the profile
 * @return a #vmfex_profile_type value
 * @since 0.1
 */
enum vmfex_profile_type vmfex_profile_get_type(const struct vmfex_profile *profile);

/**
 * @brief Set the profile's type (UCS Manager's type).
 * @param profile  the profile
 * @param type     a #vmfex_profile_type value
 * @return 0; -EINVAL for another value
 * @since 0.1
 */
int vmfex_profile_set_type(struct vmfex_profile *profile, enum vmfex_profile_type type);

/**
 * @brief The profile's UUID (UCS Manager's portProfileUuid).
 * @param profile  the profile
 * @return the UUID in its 36-character form, or NULL when there is none
 * @since 0.1
 */
const char *vmfex_profile_get_uuid(const struct vmfex_profile *profile);

/**
 * @brief The topology a VM interface with this profile uses:
 *        high-perf-reqd gives hostdev, none MacVTap passthrough.
 * @param profile  the profile
 * @return a #vmfex_topology value
 * @since 0.1
 */
enum vmfex_topology vmfex_profile_get_topology(const struct vmfex_profile *profile);

/**
 * @brief Iterate over the profile's VLANs, sorted by name.
 * @param profile  the profile
 * @param prev     the previous VLAN, or NULL for the first; it may have
 *                 been deleted since (the walk goes on by its name)
 * @return the next VLAN by name (borrowed, valid until the catalog is
 *         freed), or NULL after the last
 * @since 0.1
 */
struct vmfex_vlan *vmfex_profile_next_vlan(struct vmfex_profile *profile,
                                           struct vmfex_vlan *prev);

/** @brief Loop over the VLANs of a profile. */
#define vmfex_profile_foreach_vlan(profile, vlan)                              \
	for ((vlan) = vmfex_profile_next_vlan((profile), NULL); (vlan);         \
	     (vlan) = vmfex_profile_next_vlan((profile), (vlan)))

/**
 * @brief Add a VLAN to a profile, or change the one of that name.
 *
 * Making a VLAN native makes the previous native VLAN, if any, an ordinary
 * one, as UCS Manager keeps one native VLAN per profile.
 *
 * @param profile  the profile
 * @param name     1-32 characters of [-.:_a-zA-Z0-9]
 * @param id       1-4093, or 0 when unknown
 * @param native   whether it is the native VLAN (UCS Manager's defaultNet)
 * @return 0; -EINVAL (logged with the value); -ENOMEM
 * @since 0.1
 */
int vmfex_profile_set_vlan(struct vmfex_profile *profile, const char *name, unsigned int id,
                           bool native);

/**
 * @brief Remove a VLAN from a profile; it is kept, readable, until the
 *        catalog is freed.
 * @param profile  the profile
 * @param name     the VLAN's name
 * @return 0; -ENOENT; -EINVAL for a deleted profile; -ENOMEM
 * @since 0.1
 */
int vmfex_profile_del_vlan(struct vmfex_profile *profile, const char *name);

/**
 * @brief The VLAN's name.
 * @param vlan  the VLAN
 * @return the name, owned by the profile
 * @since 0.1
 */
const char *vmfex_vlan_get_name(const struct vmfex_vlan *vlan);

/**
 * @brief The VLAN's id.
 * @param vlan  the VLAN
 * @return 1-4093, or 0 when unknown
 * @since 0.1
 */
unsigned int vmfex_vlan_get_id(const struct vmfex_vlan *vlan);

/**
 * @brief Whether the VLAN is the profile's native VLAN.
 * @param vlan  the VLAN
 * @return true for the native VLAN
 * @since 0.1
 */
bool vmfex_vlan_is_native(const struct vmfex_vlan *vlan);

/**
 * @brief Iterate over the profile's clients: the names of the catalog's
 *        clusters the profile serves, sorted.
 *
 * A cluster is a client when it was made one with
 * vmfex_profile_add_client(), or when the swName of one of the profile's
 * UCS Manager clients (vmVnicProfCl, imported) matches the cluster's name
 * as a POSIX extended regular expression, anywhere in the name unless the
 * pattern anchors itself; swName "All" or empty matches every cluster.
 * @param profile  the profile
 * @param prev     a name returned by the previous call, or NULL; its
 *                 cluster may have been deleted since (the walk goes on
 *                 by name)
 * @return the next cluster name (owned by the catalog, valid until it is
 *         freed), or NULL
 * @since 0.1
 */
const char *vmfex_profile_next_client(const struct vmfex_profile *profile, const char *prev);

/** @brief Loop over the client cluster names of a profile. */
#define vmfex_profile_foreach_client(profile, name)                            \
	for ((name) = vmfex_profile_next_client((profile), NULL); (name);       \
	     (name) = vmfex_profile_next_client((profile), (name)))

/**
 * @brief Make a cluster a client of the profile (UCS Manager's port
 *        profile client, vmVnicProfCl).
 * @param profile  the profile, in a catalog
 * @param cluster  the cluster's name
 * @return 0 (also when it already was); -ENOENT when the catalog has no
 *         such cluster; -EINVAL for a profile deleted from its catalog;
 *         -ENOMEM
 * @since 0.1
 */
int vmfex_profile_add_client(struct vmfex_profile *profile, const char *cluster);

/**
 * @brief Remove a client from the profile. A UCS Manager client removed
 *        is kept, readable, until the catalog is freed.
 * @param profile  the profile
 * @param cluster  the cluster's name, or the name of an imported UCS
 *                 Manager client (vmVnicProfCl) of the profile
 * @return 0; -ENOENT when it is neither; -EINVAL for a deleted profile;
 *         -ENOMEM
 * @since 0.1
 */
int vmfex_profile_del_client(struct vmfex_profile *profile, const char *cluster);

/**
 * @brief A port profile client as UCS Manager has it (vmVnicProfCl),
 *        imported; owned by its profile.
 * @since 0.1
 */
struct vmfex_ucsm_client;

/**
 * @brief Iterate over the profile's UCS Manager clients, sorted by name.
 *
 * The clients stay valid until the catalog is freed, those removed by
 * vmfex_profile_del_client() included.
 * @param profile  the profile
 * @param prev     the client returned by the previous call, or NULL; it
 *                 may have been removed since (the walk goes on by name)
 * @return the next client, or NULL
 * @since 0.1
 */
const struct vmfex_ucsm_client *vmfex_profile_next_ucsm_client(const struct vmfex_profile *profile,
                                                               const struct vmfex_ucsm_client *prev);

/** @brief Loop over the UCS Manager clients of a profile. */
#define vmfex_profile_foreach_ucsm_client(profile, client)                     \
	for ((client) = vmfex_profile_next_ucsm_client((profile), NULL); (client); \
	     (client) = vmfex_profile_next_ucsm_client((profile), (client)))

/**
 * @brief The client's name (vmVnicProfCl's @c name).
 * @param client  the client
 * @return the name, owned by the client
 * @since 0.1
 */
const char *vmfex_ucsm_client_get_name(const struct vmfex_ucsm_client *client);

/**
 * @brief The client's data center pattern (@c dcName), verbatim.
 * @param client  the client
 * @return the pattern, "" when none; owned by the client
 * @since 0.1
 */
const char *vmfex_ucsm_client_get_dc_name(const struct vmfex_ucsm_client *client);

/**
 * @brief The client's organisation pattern (@c orgPath), verbatim.
 * @param client  the client
 * @return the pattern, "" when none; owned by the client
 * @since 0.1
 */
const char *vmfex_ucsm_client_get_org_path(const struct vmfex_ucsm_client *client);

/**
 * @brief The client's switch pattern (@c swName), verbatim: the clusters
 *        whose names it matches are clients (vmfex_profile_next_client()).
 * @param client  the client
 * @return the pattern, "" when none; owned by the client
 * @since 0.1
 */
const char *vmfex_ucsm_client_get_sw_name(const struct vmfex_ucsm_client *client);

/* ---- names of enumerated values ---- */

/**
 * @brief UCS Manager's word for a host network IO performance.
 * @param perf  a #vmfex_host_nw_io_perf value
 * @return "none", "high-perf-reqd", or NULL for another value
 * @since 0.1
 */
const char *vmfex_host_nw_io_perf_to_string(enum vmfex_host_nw_io_perf perf);

/**
 * @brief Parse UCS Manager's word for a host network IO performance.
 * @param s  "none" or "high-perf-reqd"
 * @return a #vmfex_host_nw_io_perf value, or -EINVAL
 * @since 0.1
 */
int vmfex_host_nw_io_perf_from_string(const char *s);

/**
 * @brief UCS Manager's word for a profile type.
 * @param type  a #vmfex_profile_type value
 * @return "regular", "sla-only", or NULL for another value
 * @since 0.1
 */
const char *vmfex_profile_type_to_string(enum vmfex_profile_type type);

/**
 * @brief Parse UCS Manager's word for a profile type.
 * @param s  "regular" or "sla-only"
 * @return a #vmfex_profile_type value, or -EINVAL
 * @since 0.1
 */
int vmfex_profile_type_from_string(const char *s);

/**
 * @brief A name for a topology.
 * @param topology  a #vmfex_topology value
 * @return "macvtap-passthrough", "hostdev", or NULL for another value
 * @since 0.1
 */
const char *vmfex_topology_to_string(enum vmfex_topology topology);

/* ---- import from UCS Manager ---- */

/**
 * @brief Import port profiles from a UCS Manager XML API response.
 *
 * Accepted: the response to @c configResolveClass of @c vnicProfile with
 * @c inHierarchical="true", and to @c configResolveDn of
 * @c fabric/lan/profiles (or any response holding @c vnicProfile objects
 * with their @c vnicEtherIf and @c vmVnicProfCl children). Unknown
 * classes and attributes are ignored. Every value UCS Manager's object
 * model allows is accepted (e.g. @c portProfileUuid "0", no UUID). Each
 * imported profile replaces the catalog's profile of that name; its
 * clients are kept verbatim (@c name, @c dcName, @c orgPath, @c swName,
 * patterns: see vmfex_profile_next_client()), and a @c swName that is
 * also a cluster name creates that cluster. All or nothing: when one
 * object is invalid, the catalog is left as it was.
 *
 * @param catalog  the catalog
 * @param buf      the response
 * @param len      its length in bytes
 * @return the number of profiles imported; -EINVAL for a document that is
 *         not well-formed, an error response (errorCode), or an invalid
 *         value or a client pattern that does not compile (the log names
 *         the object's dn and quotes the value);
 *         -EFBIG; -ENOMEM
 * @since 0.1
 */
int vmfex_catalog_import_ucsm(struct vmfex_catalog *catalog, const char *buf, size_t len);

/**
 * @brief Import port profiles from a file holding a UCS Manager response.
 * @param catalog  the catalog
 * @param path     the file
 * @return as vmfex_catalog_import_ucsm(), or an error reading the file
 * @since 0.1
 */
int vmfex_catalog_import_ucsm_file(struct vmfex_catalog *catalog, const char *path);

/**
 * @brief Options of vmfex_catalog_sync_ucsm().
 *
 * Set @c sz to @c sizeof(struct vmfex_ucsm_sync_opts).
 * @since 0.1
 */
struct vmfex_ucsm_sync_opts {
	/** Size of this structure, for compatibility. */
	size_t sz;
	/** UCS Manager: @c https://HOST[:PORT]; requests go to URL/nuova. */
	const char *url;
	/** The user to log in as. */
	const char *user;
	/** The password; NULL to read it from @c password_file. */
	const char *password;
	/** A file holding the password; a trailing newline is not part of it. */
	const char *password_file;
	/** PEM file of the certificate authorities to trust; NULL: the system's. */
	const char *ca_file;
	/** Do not verify the server's certificate (never the default). */
	bool insecure;
	/** Seconds the whole sync may take; 0: 60. The logout after a failure
	 *  gets at least one second more. */
	unsigned int timeout;
};

/**
 * @brief Import the port profiles of a UCS Manager over its XML API.
 *
 * Logs in (@c aaaLogin), asks @c configResolveClass of @c vnicProfile
 * with @c inHierarchical="true" and of @c fabricVlan (for VLAN ids),
 * imports the answers as vmfex_catalog_import_ucsm() does, and logs out
 * (@c aaaLogout) whenever the login succeeded. An expired session (error
 * 552) is refreshed (@c aaaRefresh, else a new login) and the request
 * asked again. HTTPS only, the certificate verified unless @c insecure;
 * answers are read with the library's hardened XML parser (no DTD, no
 * entity, at most 16 MiB). The password and the session cookie are never
 * logged. All or nothing: on any failure the catalog is unchanged.
 *
 * @param catalog  the catalog
 * @param opts     the options (url, user and a password are required)
 * @return the number of profiles imported; -EINVAL for bad options or a
 *         bad URL; -EACCES when the login is refused (551, 572);
 *         -EREMOTEIO for another error answer (errorCode, errorDescr
 *         logged); -ETIMEDOUT when the time ran out; -EPERM when the
 *         server's certificate is not trusted; -ECONNREFUSED,
 *         -EHOSTUNREACH, -EPROTO (an HTTP status other than 200), -EIO;
 *         -EFBIG for an answer over 16 MiB; -EBADMSG for an answer that
 *         is not the one asked for; -EOPNOTSUPP when libcurl
 *         (libcurl.so.4, loaded at the first sync) cannot be loaded; or
 *         an error of the import or of reading the password file
 * @since 0.1
 */
int vmfex_catalog_sync_ucsm(struct vmfex_catalog *catalog, const struct vmfex_ucsm_sync_opts *opts);

/* ---- profiles meet ports ---- */

/**
 * @brief Options of vmfex_catalog_check_port().
 *
 * Set @c sz to @c sizeof(struct vmfex_port_check_opts).
 */
struct vmfex_port_check_opts {
	/** Size of this structure, for compatibility. */
	size_t sz;
	/** The cluster the VM's interface is to use; NULL: the default. */
	const char *cluster;
	/** The port about to be associated, not counted against max ports
	 *  when it already has the profile; or NULL. */
	const struct vmfex_port *port;
	/** Skip the count of the host's ports (no rtnetlink). */
	bool no_count;
};

/**
 * @brief Check, before associating a VM's port, that a profile may be
 *        used, and say which topology it asks for.
 *
 * The profile must exist in the catalog; the cluster must be the default
 * one (the only one KVM VMs may use) and a client of the profile; and the
 * ports on this host's PFs already associated (or pre-associated) with
 * the profile, plus this one, must not exceed its max ports.
 *
 * @param catalog  the catalog
 * @param profile  the profile's name
 * @param opts     options, or NULL
 * @param[out] topology  the profile's topology, or NULL
 * @return 0; -ENOENT for an unknown profile; -EPERM for a non-default
 *         cluster; -EACCES when the cluster is not a client of the
 *         profile; -EUSERS when max ports would be exceeded; or an error
 *         reading the host's ports
 * @since 0.1
 */
int vmfex_catalog_check_port(struct vmfex_catalog *catalog, const char *profile,
                             const struct vmfex_port_check_opts *opts,
                             enum vmfex_topology *topology);

/** @} */

#ifdef __cplusplus
}
#endif

#endif
