/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file libvirt.h
 * @brief libvirt XML for every VM-FEX topology: domain interfaces and VF
 *        pool networks written right the first time, and a hardened reader
 *        of domain and network XML that says which VFs and port profiles a
 *        domain uses and whether it can live migrate.
 *
 * Every document is written with libxml2, which escapes every name; the
 * writers refuse, with -EINVAL and a log line naming the culprit, what
 * libvirt would reject and what libvirt wrongly accepts: a profileid outside
 * 1-39 characters, a multicast MAC, a pool with no PF and no device, a VF
 * not bound the way its topology needs.
 *
 * The reader parses without network access, DTDs or entity expansion,
 * within a size limit (16 MiB) and a depth limit.
 *
 * @par Inside a walk
 * Every function of this header may be called inside a walk of PFs or VFs
 * (vmfex_pf_foreach(), vmfex_pf_foreach_vf()), and inside
 * vmfex_xml_domain_foreach_iface(); the walks go on (see pf.h).
 */
#ifndef LIBVMFEX_LIBVIRT_H
#define LIBVMFEX_LIBVIRT_H

#include <stdbool.h>
#include <stddef.h>

#include <libvmfex/context.h>
#include <libvmfex/pf.h>
#include <libvmfex/vf.h>
#include <libvmfex/catalog.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup libvirt libvirt XML
 * @brief Write and read libvirt network and domain XML for VM-FEX.
 *
 * Declared in libvirt.h. Example (examples/catalog-network.c, built and run by the
 * tests):
 * @include catalog-network.c
 * @{
 */

/** Longest profileid libvirt accepts (its schema and virNetDevVPortProfile). */
#define VMFEX_XML_PROFILEID_MAX 39

/** @brief The topology of an interface written by vmfex_xml_interface_for_vf(). */
enum vmfex_xml_topology {
	/** The profile's: its host network IO performance decides. */
	VMFEX_XML_TOPOLOGY_PROFILE = 0,
	/** SR-IOV with MacVTap passthrough: type='direct' mode='passthrough'
	 *  on the VF's netdev, model virtio; live migration. */
	VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH = VMFEX_TOPOLOGY_MACVTAP_PASSTHROUGH,
	/** SR-IOV VF passthrough: type='hostdev' with the VF's PCI address and
	 *  driver vfio; no live migration. */
	VMFEX_XML_TOPOLOGY_HOSTDEV = VMFEX_TOPOLOGY_HOSTDEV,
	/** MacVTap direct private on the VF's PF netdev: not supported by UCS
	 *  since 2.1; written only with @c allow_deprecated. */
	VMFEX_XML_TOPOLOGY_MACVTAP_PRIVATE = 3,
};

/**
 * @brief Options of the interface writers.
 *
 * Set @c sz to @c sizeof(struct vmfex_xml_interface_opts).
 */
struct vmfex_xml_interface_opts {
	/** Size of this structure, for compatibility. */
	size_t sz;
	/** The guest's MAC, unicast, "xx:xx:xx:xx:xx:xx"; NULL: a random
	 *  locally administered unicast one. */
	const char *mac;
	/** The guest model (MacVTap and network interfaces); NULL: virtio. */
	const char *model;
	/** The topology; #VMFEX_XML_TOPOLOGY_PROFILE: the profile's. */
	enum vmfex_xml_topology topology;
	/** No virtualport: the orchestrator associates the port through
	 *  libvmfex (see the README on enic's 40-byte profile), not libvirt. */
	bool no_virtualport;
	/** Allow the deprecated MacVTap private topology. */
	bool allow_deprecated;
	/** Hostdev: managed='no' (the VF must then be bound to vfio-pci
	 *  already); by default managed='yes' lets libvirt bind it. */
	bool unmanaged;
	/** The profileid when no profile object is given: 1-39 characters. */
	const char *profileid;
};

/**
 * @brief Write a domain @c \<interface\> that gives a VM a VF.
 *
 * MacVTap passthrough: @c type='direct', the VF's netdev in mode
 * passthrough, the model (virtio). Hostdev: @c type='hostdev'
 * managed='yes', @c \<driver name='vfio'/\> and the VF's PCI address.
 * MacVTap private: @c type='direct' on the PF's netdev in mode private.
 * Unless @c no_virtualport, a @c \<virtualport type='802.1Qbh'\> with the
 * profileid. The topology is the option's, else the profile's.
 *
 * @param vf       the VF
 * @param profile  the port profile, or NULL to use @c opts->profileid
 * @param opts     options, or NULL
 * @param[out] xml the element, NUL-terminated, to be freed with free()
 * @return 0; -EINVAL for a profileid outside 1-39 characters, a MAC that
 *         is malformed or multicast, no profile nor profileid (unless
 *         @c no_virtualport), no topology, or options a newer library
 *         would read; -EPERM for MacVTap private without
 *         @c allow_deprecated; -ENODEV for MacVTap on a VF without a netdev
 *         (bound to vfio-pci, say) or a PF without one; -EBUSY for an
 *         unmanaged hostdev VF not bound to vfio-pci; -ENOMEM
 * @since 0.1
 */
int vmfex_xml_interface_for_vf(struct vmfex_vf *vf, const struct vmfex_profile *profile,
                               const struct vmfex_xml_interface_opts *opts, char **xml);

/**
 * @brief Write a domain @c \<interface type='network'\> naming a VF pool
 *        and a portgroup (the pool's network XML gives the profile).
 *
 * Of @p opts, @c mac and @c model are read; @c model is not written for a
 * hostdev pool, so pass @c "" there.
 *
 * @param ctx        the context
 * @param network    the network's name
 * @param portgroup  the portgroup's name, or NULL for the default one
 * @param opts       options, or NULL
 * @param[out] xml   the element, to be freed with free()
 * @return 0; -EINVAL for an empty name, a malformed or multicast MAC, or
 *         names that are not UTF-8; -ENOMEM
 * @since 0.1
 */
int vmfex_xml_interface_for_network(struct vmfex_ctx *ctx, const char *network,
                                    const char *portgroup,
                                    const struct vmfex_xml_interface_opts *opts, char **xml);

/**
 * @brief Options of vmfex_xml_network_for_pf().
 *
 * Set @c sz to @c sizeof(struct vmfex_xml_network_opts).
 */
struct vmfex_xml_network_opts {
	/** Size of this structure, for compatibility. */
	size_t sz;
	/** #VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH (forward mode passthrough)
	 *  or #VMFEX_XML_TOPOLOGY_HOSTDEV (forward mode hostdev managed). */
	enum vmfex_xml_topology topology;
	/** Names of the catalog's profiles to give a portgroup, ended by NULL;
	 *  NULL: every profile of the catalog. */
	const char *const *profiles;
	/** The profile whose portgroup is the default one, or NULL. */
	const char *default_profile;
	/** List the VFs (netdevs for passthrough, PCI addresses for hostdev)
	 *  instead of naming the PF with @c \<pf dev\>. */
	bool list_devices;
	/** Write no @c \<virtualport\> (on the network nor its portgroups):
	 *  the ports are associated by the library, e.g. by its libvirt hook,
	 *  not by libvirt. */
	bool no_virtualport;
};

/**
 * @brief Write a @c \<network\> VF pool of a PF.
 *
 * @c \<forward mode='passthrough|hostdev'\> with @c \<pf dev\> or the VF
 * list, @c \<virtualport type='802.1Qbh'/\> and one portgroup per profile
 * (named after it) carrying its profileid.
 *
 * @param pf       the PF
 * @param name     the network's name
 * @param catalog  the catalog of the profiles, or NULL for no portgroup
 * @param opts     options (the topology is required)
 * @param[out] xml the document, to be freed with free()
 * @return 0; -EINVAL for an empty name, a topology other than the two, or
 *         a default profile without a portgroup; -ENOENT for a profile not
 *         in the catalog; -ENODEV for a PF without a netdev (with
 *         @c \<pf dev\>) or a device list with no VF; -ENOMEM
 * @since 0.1
 */
int vmfex_xml_network_for_pf(struct vmfex_pf *pf, const char *name,
                             struct vmfex_catalog *catalog,
                             const struct vmfex_xml_network_opts *opts, char **xml);

/** @brief The namespace URI of libvmfex's element in a domain's
 *  @c \<metadata\> (see vmfex_xml_metadata_for_ports()). */
#define VMFEX_XML_METADATA_NS "https://libvmfex.org/xmlns/libvirt-hook/1"

/** @brief One interface's port profile, named by the interface's MAC. */
struct vmfex_xml_metadata_port {
	/** The interface's guest MAC, as in its @c \<mac address\>. */
	const char *mac;
	/** The port profile to associate its VF with, 1-39 characters. */
	const char *profile;
};

/**
 * @brief Write libvmfex's element for a domain's @c \<metadata\>: the port
 *        profile of each direct or hostdev interface, by MAC.
 *
 * @c \<vmfex:ports xmlns:vmfex="VMFEX_XML_METADATA_NS"\> with one
 * @c \<vmfex:port mac profile/\> per entry. With it, and interfaces written
 * with @c no_virtualport, libvmfex's libvirt hook associates each VF with
 * its profile when the domain is prepared (its qemu hook's @c prepare) and
 * undoes it on @c release.
 *
 * @param ctx    the context
 * @param ports  the interfaces
 * @param n      how many, at least 1
 * @param[out] xml the element, to be freed with free()
 * @return 0; -EINVAL for no port, a MAC that is not a unicast address, a
 *         MAC given twice, or a profile that is not 1-39 printable
 *         characters (each logged); -ENOMEM
 * @since 0.1
 */
int vmfex_xml_metadata_for_ports(struct vmfex_ctx *ctx,
                                 const struct vmfex_xml_metadata_port *ports, size_t n,
                                 char **xml);

/* ---- reading ---- */

/** @brief Opaque network XML, parsed and checked. */
struct vmfex_xml_network;
/** @brief Opaque domain XML, parsed. */
struct vmfex_xml_domain;
/** @brief Opaque interface of a domain (borrowed from it). */
struct vmfex_xml_iface;

/**
 * @brief Parse and check a libvirt network.
 *
 * Refused: what libvirt rejects (a profileid outside 1-39 characters, two
 * @c \<pf\>, a hostdev pool listed by netdev) and what it wrongly accepts
 * (two default portgroups, a passthrough or hostdev pool with neither
 * @c \<pf\> nor a device list, a portgroup virtualport type other than the
 * network's).
 *
 * @param ctx  the context
 * @param buf  the document
 * @param len  its length in bytes
 * @param[out] net  the network, with one reference
 * @return 0; -EINVAL for a document that is not a valid network (the log
 *         says why); -EFBIG over the size limit; -ENOMEM
 * @since 0.1
 */
int vmfex_xml_network_new_from_buffer(struct vmfex_ctx *ctx, const char *buf, size_t len,
                                      struct vmfex_xml_network **net);

/**
 * @brief Take a reference.
 * @param net  the network, or NULL
 * @return @p net
 * @since 0.1
 */
struct vmfex_xml_network *vmfex_xml_network_ref(struct vmfex_xml_network *net);

/**
 * @brief Drop a reference.
 * @param net  the network, or NULL
 * @return NULL
 * @since 0.1
 */
struct vmfex_xml_network *vmfex_xml_network_unref(struct vmfex_xml_network *net);

/**
 * @brief The context of a parsed network.
 * @param net  the network
 * @return the context (borrowed)
 * @since 1.0
 */
struct vmfex_ctx *vmfex_xml_network_get_ctx(const struct vmfex_xml_network *net);

/**
 * @brief The network's name.
 * @param net  the network
 * @return the name
 * @since 0.1
 */
const char *vmfex_xml_network_get_name(const struct vmfex_xml_network *net);

/**
 * @brief The forward mode.
 * @param net  the network
 * @return "passthrough", "hostdev", another mode, or NULL without one
 * @since 0.1
 */
const char *vmfex_xml_network_get_forward_mode(const struct vmfex_xml_network *net);

/**
 * @brief The profileid a portgroup gives (its own virtualport's, else the
 *        network's).
 * @param net        the network
 * @param portgroup  the portgroup's name, or NULL for the default one
 * @return the profileid, or NULL when there is none
 * @since 0.1
 */
const char *vmfex_xml_network_get_profileid(const struct vmfex_xml_network *net,
                                            const char *portgroup);

/**
 * @brief Parse a libvirt domain and its interfaces.
 * @param ctx  the context
 * @param buf  the document
 * @param len  its length in bytes
 * @param[out] dom  the domain, with one reference
 * @return 0; -EINVAL for a document that is not a domain or an interface
 *         libvirt would refuse (a multicast MAC, a hostdev without a PCI
 *         address, a profileid outside 1-39 characters), logged with the
 *         interface's position; -EFBIG; -ENOMEM
 * @since 0.1
 */
int vmfex_xml_domain_new_from_buffer(struct vmfex_ctx *ctx, const char *buf, size_t len,
                                     struct vmfex_xml_domain **dom);

/**
 * @brief Take a reference.
 * @param dom  the domain, or NULL
 * @return @p dom
 * @since 0.1
 */
struct vmfex_xml_domain *vmfex_xml_domain_ref(struct vmfex_xml_domain *dom);

/**
 * @brief Drop a reference.
 * @param dom  the domain, or NULL
 * @return NULL
 * @since 0.1
 */
struct vmfex_xml_domain *vmfex_xml_domain_unref(struct vmfex_xml_domain *dom);

/**
 * @brief The context of a parsed domain.
 * @param dom  the domain
 * @return the context (borrowed)
 * @since 1.0
 */
struct vmfex_ctx *vmfex_xml_domain_get_ctx(const struct vmfex_xml_domain *dom);

/**
 * @brief Resolve the domain's interfaces on a network: their pool's forward
 *        mode and their portgroup's profileid.
 * @param dom  the domain
 * @param net  a network
 * @return the number of interfaces resolved; -ENOENT when the domain
 *         names a portgroup the network lacks (logged)
 * @since 0.1
 */
int vmfex_xml_domain_add_network(struct vmfex_xml_domain *dom,
                                 const struct vmfex_xml_network *net);

/**
 * @brief The domain's name.
 * @param dom  the domain
 * @return the name, or NULL when the document has none
 * @since 0.1
 */
const char *vmfex_xml_domain_get_name(const struct vmfex_xml_domain *dom);

/**
 * @brief Whether the domain can live migrate as far as its interfaces go.
 * @param dom  the domain
 * @param[out] reason  NULL, or why not (owned by @p dom), NULL when it can
 * @return true when it can: a hostdev VF (an interface of type hostdev or
 *         on a hostdev pool) blocks it; MacVTap does not
 * @since 0.1
 */
bool vmfex_xml_domain_can_migrate(const struct vmfex_xml_domain *dom, const char **reason);

/**
 * @brief Iterate over the domain's interfaces in document order.
 * @param dom   the domain
 * @param prev  the previous interface, or NULL
 * @return the next interface (borrowed), or NULL
 * @since 0.1
 */
struct vmfex_xml_iface *vmfex_xml_domain_next_iface(struct vmfex_xml_domain *dom,
                                                    struct vmfex_xml_iface *prev);

/** @brief Loop over the interfaces of a domain. */
#define vmfex_xml_domain_foreach_iface(dom, iface)                              \
	for ((iface) = vmfex_xml_domain_next_iface((dom), NULL); (iface);      \
	     (iface) = vmfex_xml_domain_next_iface((dom), (iface)))

/**
 * @brief The interface's type attribute.
 * @param iface  the interface
 * @return "direct", "hostdev", "network", another type
 * @since 0.1
 */
const char *vmfex_xml_iface_get_type(const struct vmfex_xml_iface *iface);

/**
 * @brief The source netdev of a direct interface.
 * @param iface  the interface
 * @return the netdev, or NULL
 * @since 0.1
 */
const char *vmfex_xml_iface_get_source_dev(const struct vmfex_xml_iface *iface);

/**
 * @brief The MacVTap mode of a direct interface.
 * @param iface  the interface
 * @return "passthrough", "private", another mode, or NULL
 * @since 0.1
 */
const char *vmfex_xml_iface_get_source_mode(const struct vmfex_xml_iface *iface);

/**
 * @brief The network of a network interface.
 * @param iface  the interface
 * @return the network's name, or NULL
 * @since 0.1
 */
const char *vmfex_xml_iface_get_network(const struct vmfex_xml_iface *iface);

/**
 * @brief The portgroup of a network interface.
 * @param iface  the interface
 * @return the portgroup's name, or NULL
 * @since 0.1
 */
const char *vmfex_xml_iface_get_portgroup(const struct vmfex_xml_iface *iface);

/**
 * @brief The PCI address of a hostdev interface.
 * @param iface  the interface
 * @return "DDDD:BB:DD.F", or NULL
 * @since 0.1
 */
const char *vmfex_xml_iface_get_pci(const struct vmfex_xml_iface *iface);

/**
 * @brief The guest MAC.
 * @param iface  the interface
 * @return the MAC in lower case, or NULL
 * @since 0.1
 */
const char *vmfex_xml_iface_get_mac(const struct vmfex_xml_iface *iface);

/**
 * @brief The guest model.
 * @param iface  the interface
 * @return the model, or NULL
 * @since 0.1
 */
const char *vmfex_xml_iface_get_model(const struct vmfex_xml_iface *iface);

/**
 * @brief The virtualport type (the interface's, else its network's).
 * @param iface  the interface
 * @return e.g. "802.1Qbh", or NULL
 * @since 0.1
 */
const char *vmfex_xml_iface_get_virtualport_type(const struct vmfex_xml_iface *iface);

/**
 * @brief The profileid: the interface's own, else the one of its
 *        network's portgroup once resolved by vmfex_xml_domain_add_network().
 * @param iface  the interface
 * @return the profileid, or NULL
 * @since 0.1
 */
const char *vmfex_xml_iface_get_profileid(const struct vmfex_xml_iface *iface);

/**
 * @brief The interface's topology.
 * @param iface  the interface
 * @return a #vmfex_xml_topology value, or #VMFEX_XML_TOPOLOGY_PROFILE when
 *         unknown (another type, or a network not resolved)
 * @since 0.1
 */
enum vmfex_xml_topology vmfex_xml_iface_get_topology(const struct vmfex_xml_iface *iface);

/**
 * @brief The host's VF behind an interface: the direct interface's source
 *        netdev, or the hostdev interface's PCI address.
 * @param iface  the interface
 * @param[out] vf  the VF, with a new reference
 * @return 0; -ENOENT when the interface names no device; -ENODEV or
 *         -ENOTSUP as vmfex_vf_new_from_ifname() and
 *         vmfex_vf_new_from_pci()
 * @since 0.1
 */
int vmfex_vf_new_from_xml_iface(const struct vmfex_xml_iface *iface, struct vmfex_vf **vf);

/** @} */

#ifdef __cplusplus
}
#endif

#endif
