/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Whether a domain's interfaces let it live migrate: a VF given to the
 * guest as a PCI device (hostdev) cannot follow it; MacVTap passthrough
 * can, libvirt pre-associating the port on the destination. */
#include <stdio.h>
#include <string.h>

#include "libvirt/libvirt-private.h"

void vmfex_xml_domain_update_migration(struct vmfex_xml_domain *dom);

void vmfex_xml_domain_update_migration(struct vmfex_xml_domain *dom)
{
	dom->can_migrate = true;
	dom->reason[0] = '\0';
	for (size_t k = 0; k < dom->n_ifaces; k++) {
		const struct vmfex_xml_iface *i = &dom->ifaces[k];

		if (vmfex_xml_iface_get_topology(i) == VMFEX_XML_TOPOLOGY_HOSTDEV) {
			if (i->has_pci)
				snprintf(dom->reason, sizeof(dom->reason),
				         "interface %u is VF %s given to the guest as a PCI "
				         "device (hostdev): it cannot follow the VM", i->pos, i->pci);
			else
				snprintf(dom->reason, sizeof(dom->reason),
				         "interface %u is on hostdev pool %.64s: its VF is a PCI "
				         "device of the guest and cannot follow the VM", i->pos,
				         i->network);
			dom->can_migrate = false;
			return;
		}
	}
	if (dom->hostdev) {
		snprintf(dom->reason, sizeof(dom->reason),
		         "PCI device %s is given to the guest (hostdev)", dom->hostdev);
		dom->can_migrate = false;
		return;
	}
	for (size_t k = 0; k < dom->n_ifaces; k++) {
		const struct vmfex_xml_iface *i = &dom->ifaces[k];

		if (strcmp(i->type, "network") == 0 && !i->resolved) {
			snprintf(dom->reason, sizeof(dom->reason),
			         "interface %u is on network %.64s, whose XML was not given: a "
			         "hostdev pool would block migration", i->pos,
			         i->network ? i->network : "(none)");
			dom->can_migrate = false;
			return;
		}
	}
}

_public_ bool vmfex_xml_domain_can_migrate(const struct vmfex_xml_domain *dom,
                                           const char **reason)
{
	if (reason)
		*reason = NULL;
	if (!dom)
		return false;
	if (!dom->can_migrate && reason)
		*reason = dom->reason;
	return dom->can_migrate;
}
