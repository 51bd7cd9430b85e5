/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A <network> VF pool of a PF: forward mode passthrough (MacVTap on the
 * VFs' netdevs) or hostdev (the VFs' PCI addresses), the 802.1Qbh
 * virtualport, a portgroup per port profile. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libvirt/libvirt-private.h"

static void write_devices(struct vmfex_xml_writer *x, struct vmfex_pf *pf, bool hostdev,
                          size_t *n)
{
	struct vmfex_vf *vf;

	vmfex_pf_foreach_vf(pf, vf) {
		if (hostdev) {
			vmfex_xml_pci_address(x, &vf->addr);
		} else if (vf->ifname[0]) {
			vmfex_xml_empty(x, "interface", "dev", vf->ifname);
		} else {
			WARN(pf->ctx, "pool of %s: VF %u (%s) has no netdev, left out of the "
			     "passthrough pool", pf->ifname, vf->index, vf->pci);
			continue;
		}
		(*n)++;
	}
}

static int write_portgroup(struct vmfex_xml_writer *x, struct vmfex_ctx *ctx,
                           const struct vmfex_profile *p, const char *def, bool *def_seen,
                           bool virtualport)
{
	const char *name = vmfex_profile_get_name(p);
	char what[80];

	snprintf(what, sizeof(what), "portgroup of profile %s", name);
	if (vmfex_xml_check_profileid(ctx, what, name) < 0)
		return -EINVAL;
	vmfex_xml_start(x, "portgroup");
	vmfex_xml_attr(x, "name", name);
	if (def && strcmp(def, name) == 0) {
		vmfex_xml_attr(x, "default", "yes");
		*def_seen = true;
	}
	if (virtualport)
		vmfex_xml_virtualport(x, NULL, name);
	vmfex_xml_end(x);
	return 0;
}

_public_ int vmfex_xml_network_for_pf(struct vmfex_pf *pf, const char *name,
                                      struct vmfex_catalog *catalog,
                                      const struct vmfex_xml_network_opts *opts, char **xml)
{
	struct vmfex_xml_network_opts o;
	struct vmfex_xml_writer x;
	struct vmfex_ctx *ctx;
	bool hostdev, def_seen = false;
	size_t n_dev = 0;
	int r;

	if (!pf || !xml)
		return -EINVAL;
	*xml = NULL;
	ctx = pf->ctx;
	if (vmfex_opts_copy(&o, sizeof(o), opts) < 0) {
		ERR(ctx, "network of %s: options structure from a newer libvmfex", pf->pci);
		return -EINVAL;
	}
	if (vmfex_xml_check_name(ctx, "network's name", name) < 0)
		return -EINVAL;
	if (o.topology != VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH &&
	    o.topology != VMFEX_XML_TOPOLOGY_HOSTDEV) {
		ERR(ctx, "network %s: a VF pool is for MacVTap passthrough or hostdev, "
		    "not topology %d", name, (int)o.topology);
		return -EINVAL;
	}
	hostdev = o.topology == VMFEX_XML_TOPOLOGY_HOSTDEV;
	if (!o.list_devices && !pf->ifname[0]) {
		ERR(ctx, "network %s: PF %s has no netdev for <pf dev>; list its VFs instead",
		    name, pf->pci);
		return -ENODEV;
	}
	if ((o.profiles || o.default_profile) && !catalog) {
		ERR(ctx, "network %s: profiles named without a catalog", name);
		return -EINVAL;
	}

	r = vmfex_xml_writer_init(&x, ctx, "network XML");
	if (r < 0)
		return r;
	vmfex_xml_start(&x, "network");
	vmfex_xml_text_element(&x, "name", name);
	vmfex_xml_start(&x, "forward");
	vmfex_xml_attr(&x, "mode", hostdev ? "hostdev" : "passthrough");
	if (hostdev)
		vmfex_xml_attr(&x, "managed", "yes");
	if (o.list_devices)
		write_devices(&x, pf, hostdev, &n_dev);
	else
		vmfex_xml_empty(&x, "pf", "dev", pf->ifname);
	vmfex_xml_end(&x);
	if (o.list_devices && n_dev == 0) {
		ERR(ctx, "network %s: PF %s has no VF %s; a pool with neither <pf> nor a device "
		    "would start but never give a VM an interface", name, pf->ifname[0] ? pf->ifname : pf->pci,
		    hostdev ? "" : "with a netdev");
		r = -ENODEV;
		goto out;
	}
	if (!o.no_virtualport)
		vmfex_xml_virtualport(&x, "802.1Qbh", NULL);
	if (o.profiles) {
		for (const char *const *p = o.profiles; *p; p++) {
			struct vmfex_profile *prof;

			r = vmfex_catalog_lookup_profile(catalog, *p, &prof);
			if (r < 0) {
				ERR(ctx, "network %s: no profile '%.64s' in the catalog", name, *p);
				goto out;
			}
			r = write_portgroup(&x, ctx, prof, o.default_profile, &def_seen,
			                    !o.no_virtualport);
			vmfex_profile_unref(prof);
			if (r < 0)
				goto out;
		}
	} else if (catalog) {
		struct vmfex_profile *prof;

		vmfex_catalog_foreach_profile(catalog, prof) {
			r = write_portgroup(&x, ctx, prof, o.default_profile, &def_seen,
			                    !o.no_virtualport);
			if (r < 0)
				goto out;
		}
	}
	if (o.default_profile && !def_seen) {
		ERR(ctx, "network %s: default profile '%.64s' has no portgroup in the pool", name,
		    o.default_profile);
		r = -EINVAL;
		goto out;
	}
	vmfex_xml_end(&x);
	return vmfex_xml_writer_finish(&x, xml);
out:
	vmfex_xml_writer_free(&x);
	return r;
}
