/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Domain <interface> elements for a VF (MacVTap passthrough, hostdev,
 * the deprecated MacVTap private) and for a VF pool network. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "libvirt/libvirt-private.h"

/* The MAC to write: the caller's, checked, or a new random one. */
static int pick_mac(struct vmfex_ctx *ctx, const char *what,
                    const struct vmfex_xml_interface_opts *o, char mac[VMFEX_MAC_STRLEN])
{
	int r;

	if (o->mac)
		return vmfex_xml_check_mac(ctx, what, o->mac, mac);
	r = vmfex_xml_random_mac(mac);
	if (r < 0)
		ERR(ctx, "%s: no random bytes for a MAC: %s", what, strerror(-r));
	return r;
}

static int read_opts(struct vmfex_ctx *ctx, const char *what,
                     const struct vmfex_xml_interface_opts *in,
                     struct vmfex_xml_interface_opts *o)
{
	if (vmfex_opts_copy(o, sizeof(*o), in) < 0) {
		ERR(ctx, "%s: options structure from a newer libvmfex (sz %zu)", what,
		    in ? in->sz : 0);
		return -EINVAL;
	}
	if (o->model && *o->model && vmfex_xml_check_name(ctx, what, o->model) < 0)
		return -EINVAL;
	return 0;
}

static const char *topology_name(enum vmfex_xml_topology t)
{
	switch (t) {
	case VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH: return "MacVTap passthrough";
	case VMFEX_XML_TOPOLOGY_HOSTDEV: return "hostdev";
	case VMFEX_XML_TOPOLOGY_MACVTAP_PRIVATE: return "MacVTap private";
	default: return "unknown";
	}
}

_public_ int vmfex_xml_interface_for_vf(struct vmfex_vf *vf, const struct vmfex_profile *profile,
                                        const struct vmfex_xml_interface_opts *opts, char **xml)
{
	struct vmfex_xml_interface_opts o;
	struct vmfex_xml_writer x;
	struct vmfex_ctx *ctx;
	char what[64], mac[VMFEX_MAC_STRLEN];
	const char *profileid = NULL, *dev = NULL, *model;
	enum vmfex_xml_topology topo;
	int r;

	if (!vf || !xml)
		return -EINVAL;
	*xml = NULL;
	ctx = vf->pf->ctx;
	snprintf(what, sizeof(what), "interface for VF %u of %s (%s)", vf->index,
	         vf->pf->ifname[0] ? vf->pf->ifname : vf->pf->pci, vf->pci);
	r = read_opts(ctx, what, opts, &o);
	if (r < 0)
		return r;
	if (profile)
		profileid = vmfex_profile_get_name(profile);
	else if (o.profileid)
		profileid = o.profileid;
	if (!profileid && !o.no_virtualport) {
		ERR(ctx, "%s: no port profile (name one, or leave the virtualport out)", what);
		return -EINVAL;
	}
	if (profileid && vmfex_xml_check_profileid(ctx, what, profileid) < 0)
		return -EINVAL;

	topo = o.topology;
	if (topo == VMFEX_XML_TOPOLOGY_PROFILE) {
		if (!profile) {
			ERR(ctx, "%s: no topology and no profile to take it from", what);
			return -EINVAL;
		}
		topo = (enum vmfex_xml_topology)vmfex_profile_get_topology(profile);
	}
	switch (topo) {
	case VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH:
		dev = vf->ifname[0] ? vf->ifname : NULL;
		if (!dev) {
			ERR(ctx, "%s: MacVTap passthrough needs the VF's netdev, and it has none "
			    "(driver %s); bind it to its network driver, or use hostdev", what,
			    vf->driver[0] ? vf->driver : "none");
			return -ENODEV;
		}
		break;
	case VMFEX_XML_TOPOLOGY_HOSTDEV:
		if (o.unmanaged && strcmp(vf->driver, "vfio-pci") != 0) {
			ERR(ctx, "%s: an unmanaged hostdev VF must be bound to vfio-pci, not %s "
			    "(bind it, or let libvirt do it with managed='yes')", what,
			    vf->driver[0] ? vf->driver : "no driver");
			return -EBUSY;
		}
		break;
	case VMFEX_XML_TOPOLOGY_MACVTAP_PRIVATE:
		if (!o.allow_deprecated) {
			ERR(ctx, "%s: MacVTap private is not supported by UCS since 2.1 "
			    "(allow deprecated topologies to write it anyway)", what);
			return -EPERM;
		}
		dev = vf->pf->ifname[0] ? vf->pf->ifname : NULL;
		if (!dev) {
			ERR(ctx, "%s: MacVTap private needs the PF's netdev, and it has none", what);
			return -ENODEV;
		}
		break;
	default:
		ERR(ctx, "%s: unknown topology %d", what, (int)topo);
		return -EINVAL;
	}
	r = pick_mac(ctx, what, &o, mac);
	if (r < 0)
		return r;
	model = o.model ? o.model : "virtio";

	r = vmfex_xml_writer_init(&x, ctx, what);
	if (r < 0)
		return r;
	vmfex_xml_start(&x, "interface");
	if (topo == VMFEX_XML_TOPOLOGY_HOSTDEV) {
		vmfex_xml_attr(&x, "type", "hostdev");
		vmfex_xml_attr(&x, "managed", o.unmanaged ? "no" : "yes");
		vmfex_xml_empty(&x, "mac", "address", mac);
		vmfex_xml_empty(&x, "driver", "name", "vfio");
		vmfex_xml_start(&x, "source");
		vmfex_xml_pci_address(&x, &vf->addr);
		vmfex_xml_end(&x);
	} else {
		vmfex_xml_attr(&x, "type", "direct");
		vmfex_xml_empty(&x, "mac", "address", mac);
		vmfex_xml_start(&x, "source");
		vmfex_xml_attr(&x, "dev", dev);
		vmfex_xml_attr(&x, "mode",
		               topo == VMFEX_XML_TOPOLOGY_MACVTAP_PRIVATE ? "private" : "passthrough");
		vmfex_xml_end(&x);
	}
	if (!o.no_virtualport)
		vmfex_xml_virtualport(&x, "802.1Qbh", profileid);
	if (topo != VMFEX_XML_TOPOLOGY_HOSTDEV && *model)
		vmfex_xml_empty(&x, "model", "type", model);
	vmfex_xml_end(&x);
	r = vmfex_xml_writer_finish(&x, xml);
	if (r < 0)
		ERR(ctx, "%s: %s", what, strerror(-r));
	else
		DBG(ctx, "%s: %s written", what, topology_name(topo));
	return r;
}

_public_ int vmfex_xml_interface_for_network(struct vmfex_ctx *ctx, const char *network,
                                             const char *portgroup,
                                             const struct vmfex_xml_interface_opts *opts,
                                             char **xml)
{
	struct vmfex_xml_interface_opts o;
	struct vmfex_xml_writer x;
	char mac[VMFEX_MAC_STRLEN];
	const char *what = "interface on a network";
	const char *model;
	int r;

	if (!ctx || !xml)
		return -EINVAL;
	*xml = NULL;
	r = read_opts(ctx, what, opts, &o);
	if (r < 0)
		return r;
	if (vmfex_xml_check_name(ctx, "network of an interface", network) < 0)
		return -EINVAL;
	if (portgroup && vmfex_xml_check_name(ctx, "portgroup of an interface", portgroup) < 0)
		return -EINVAL;
	r = pick_mac(ctx, what, &o, mac);
	if (r < 0)
		return r;
	model = o.model ? o.model : "virtio";

	r = vmfex_xml_writer_init(&x, ctx, what);
	if (r < 0)
		return r;
	vmfex_xml_start(&x, "interface");
	vmfex_xml_attr(&x, "type", "network");
	vmfex_xml_empty(&x, "mac", "address", mac);
	vmfex_xml_start(&x, "source");
	vmfex_xml_attr(&x, "network", network);
	vmfex_xml_attr(&x, "portgroup", portgroup);
	vmfex_xml_end(&x);
	if (*model)
		vmfex_xml_empty(&x, "model", "type", model);
	vmfex_xml_end(&x);
	r = vmfex_xml_writer_finish(&x, xml);
	if (r < 0)
		ERR(ctx, "%s: %s", what, strerror(-r));
	return r;
}
