/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SR-IOV virtual functions: reading one and finding one. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "libvmfex-private.h"

/* walk: the walk of the PF's VFs this is part of, or NULL. */
static int vf_load(struct vmfex_vf *vf, struct vmfex_walk *walk)
{
	struct vmfex_ctx *ctx = vf->pf->ctx;
	char path[PATH_MAX];
	int r;

	r = vmfex_pci_read_driver(ctx, vf->pci, vf->driver, sizeof(vf->driver), walk);
	if (r < 0)
		return r;
	r = vmfex_pci_read_ifname_in(ctx, vf->pci, vf->ifname, sizeof(vf->ifname), walk);
	if (r < 0)
		return r;
	if (vf->pf->vf_device_id) {
		vf->device_id = vf->pf->vf_device_id;
		return 0;
	}
	r = vmfex_sysfs_path(ctx, path, sizeof(path), "bus/pci/devices/%s/device", vf->pci);
	if (r < 0)
		return r;
	return vmfex_sysfs_read_hex16(ctx, path, &vf->device_id);
}

/* Read VF index of pf, at addr, into *slot: the PF's object for the index,
 * updated in place (a caller may hold it), or a new one. The VF's physfn
 * link must lead back to the PF: a dangling virtfn link or a stale one is
 * refused with -ENODEV, and the VF is marked absent. */
int vmfex_vf_read_at(struct vmfex_pf *pf, unsigned int index, const struct vmfex_pci_addr *addr,
                     struct vmfex_vf **slot)
{
	struct vmfex_ctx *ctx = pf->ctx;
	char path[PATH_MAX], physfn[64];
	struct vmfex_vf *vf = *slot;
	const char *name;
	int r, dirfd;

	if (!vf) {
		vf = calloc(1, sizeof(*vf));
		if (!vf)
			return -ENOMEM;
		vf->pf = pf;
		vf->index = index;
		*slot = vf;
	}
	vf->present = false;
	vf->addr = *addr;
	vmfex_pci_addr_format(addr, vf->pci);

	r = vmfex_sysfs_dev_path(ctx, path, sizeof(path), vf->pci, "physfn");
	if (r < 0)
		return r;
	dirfd = vmfex_walk_at(&pf->walk, path, r, &name);
	r = vmfex_sysfs_read_link_name_at(ctx, dirfd, name, path, physfn, sizeof(physfn), NULL);
	if (r == -ENOENT) {
		WARN(ctx, "%s: virtfn%u points to %s, which is missing or not a VF; skipped",
		     pf->pci, index, vf->pci);
		return -ENODEV;
	}
	if (r < 0)
		return r;
	if (strcmp(physfn, pf->pci) != 0) {
		WARN(ctx, "%s: virtfn%u is %s, whose physfn is %s; skipped", pf->pci, index,
		     vf->pci, physfn);
		return -ENODEV;
	}
	r = vf_load(vf, &pf->walk);
	if (r < 0)
		return r;
	vf->present = true;
	return 0;
}

_public_ struct vmfex_vf *vmfex_vf_ref(struct vmfex_vf *vf)
{
	if (vf && vf->refcount++ == 0)
		vmfex_pf_ref(vf->pf);
	return vf;
}

_public_ struct vmfex_vf *vmfex_vf_unref(struct vmfex_vf *vf)
{
	/* At 0 the object stays with its PF: only users go. */
	if (vf && --vf->refcount == 0)
		vmfex_pf_unref(vf->pf);
	return NULL;
}

/* The VF at addr, found through its PF. */
static int vf_find(struct vmfex_ctx *ctx, const struct vmfex_pci_addr *addr,
                   struct vmfex_vf **out)
{
	char pci[VMFEX_PCI_ADDR_LEN], path[PATH_MAX], physfn[64];
	struct vmfex_pci_addr pf_addr;
	struct vmfex_pf *pf;
	int r;

	vmfex_pci_addr_format(addr, pci);
	r = vmfex_sysfs_path(ctx, path, sizeof(path), "bus/pci/devices/%s/physfn", pci);
	if (r < 0)
		return r;
	r = vmfex_sysfs_read_link_name(ctx, path, physfn, sizeof(physfn));
	if (r == -ENOENT) {
		r = vmfex_pci_check_exists(ctx, pci);
		if (r < 0)
			return r;
		ERR(ctx, "PCI function %s is not a VF (no physfn link)", pci);
		return -ENOTSUP;
	}
	if (r < 0)
		return r;
	if (vmfex_pci_addr_parse(physfn, &pf_addr) < 0) {
		ERR(ctx, "%s: physfn points to '%s', not a PCI function", pci, physfn);
		return -ENODEV;
	}
	r = vmfex_pf_new_at(ctx, &pf_addr, &pf);
	if (r < 0)
		return r;
	r = -ENODEV;
	for (size_t i = 0; i < pf->n_vfs; i++) {
		if (pf->vfs[i] && pf->vfs[i]->present &&
		    vmfex_pci_addr_cmp(&pf->vfs[i]->addr, addr) == 0) {
			*out = vmfex_vf_ref(pf->vfs[i]);
			r = 0;
			break;
		}
	}
	if (r < 0)
		ERR(ctx, "%s: physfn %s has no virtfn link to it", pci, pf->pci);
	vmfex_pf_unref(pf);
	return r;
}

_public_ int vmfex_vf_new_from_pci(struct vmfex_ctx *ctx, const char *pci, struct vmfex_vf **vf)
{
	struct vmfex_pci_addr addr;

	if (!vf)
		return -EINVAL;
	if (vmfex_pci_addr_parse(pci, &addr) < 0) {
		ERR(ctx, "'%.32s' is not a PCI address (DDDD:BB:DD.F)", pci ? pci : "(null)");
		return -EINVAL;
	}
	return vf_find(ctx, &addr, vf);
}

_public_ int vmfex_vf_new_from_ifname(struct vmfex_ctx *ctx, const char *ifname,
                                      struct vmfex_vf **vf)
{
	struct vmfex_pci_addr addr;
	int r;

	if (!vf)
		return -EINVAL;
	r = vmfex_pci_addr_from_ifname(ctx, ifname, &addr);
	if (r < 0)
		return r;
	r = vf_find(ctx, &addr, vf);
	if (r == -ENOTSUP)
		ERR(ctx, "interface %s is no SR-IOV VF", ifname);
	return r;
}

_public_ int vmfex_vf_refresh(struct vmfex_vf *vf)
{
	char path[PATH_MAX];
	int r;

	r = vmfex_sysfs_path(vf->pf->ctx, path, sizeof(path), "bus/pci/devices/%s/physfn", vf->pci);
	if (r < 0)
		return r;
	if (vmfex_sysfs_exists(path) <= 0) {
		ERR(vf->pf->ctx, "VF %s is gone", vf->pci);
		return -ENODEV;
	}
	return vf_load(vf, NULL);
}

_public_ struct vmfex_pf *vmfex_vf_get_pf(const struct vmfex_vf *vf)
{
	return vf->pf;
}

_public_ struct vmfex_ctx *vmfex_vf_get_ctx(const struct vmfex_vf *vf)
{
	return vf->pf->ctx;
}

_public_ unsigned int vmfex_vf_get_index(const struct vmfex_vf *vf)
{
	return vf->index;
}

_public_ const char *vmfex_vf_get_pci(const struct vmfex_vf *vf)
{
	return vf->pci;
}

_public_ const char *vmfex_vf_get_ifname(const struct vmfex_vf *vf)
{
	return vf->ifname[0] ? vf->ifname : NULL;
}

_public_ const char *vmfex_vf_get_driver(const struct vmfex_vf *vf)
{
	return vf->driver[0] ? vf->driver : NULL;
}

_public_ uint16_t vmfex_vf_get_device_id(const struct vmfex_vf *vf)
{
	return vf->device_id;
}
