/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SR-IOV physical functions: reading one, and the host-wide walk.
 *
 * Lifetimes: a PF's refcount counts its users. A PF in the context's walk
 * (in_scan) or a VF in a PF's list (attached) may sit at refcount 0, owned
 * by its container; the reference on the parent is held only while there
 * are users, so no cycle keeps a context or PF alive. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "libvmfex-private.h"

/* sriov_totalvfs and sriov_numvfs are u16 in the kernel. */
#define VF_COUNT_MAX 65535

static void pf_free(struct vmfex_pf *pf);

void vmfex_pf_detach_vfs(struct vmfex_pf *pf)
{
	for (size_t i = 0; i < pf->n_vfs; i++) {
		struct vmfex_vf *vf = pf->vfs[i];

		if (vf->refcount == 0)
			free(vf);
		else
			vf->attached = false;
	}
	free(pf->vfs);
	pf->vfs = NULL;
	pf->n_vfs = 0;
}

static void pf_free(struct vmfex_pf *pf)
{
	vmfex_pf_detach_vfs(pf);
	free(pf->vendor_name);
	free(pf->device_name);
	free(pf->model);
	free(pf);
}

_public_ struct vmfex_pf *vmfex_pf_ref(struct vmfex_pf *pf)
{
	if (pf && pf->refcount++ == 0)
		vmfex_ref(pf->ctx);
	return pf;
}

_public_ struct vmfex_pf *vmfex_pf_unref(struct vmfex_pf *pf)
{
	struct vmfex_ctx *ctx;

	if (!pf || --pf->refcount > 0)
		return NULL;
	ctx = pf->ctx;
	if (!pf->in_scan)
		pf_free(pf);
	vmfex_unref(ctx);
	return NULL;
}

_public_ struct vmfex_ctx *vmfex_pf_get_ctx(const struct vmfex_pf *pf)
{
	return pf->ctx;
}

static int read_id(struct vmfex_pf *pf, const char *attr, uint16_t *out)
{
	char path[PATH_MAX];
	int r;

	r = vmfex_sysfs_path(pf->ctx, path, sizeof(path), "bus/pci/devices/%s/%s", pf->pci, attr);
	if (r < 0)
		return r;
	r = vmfex_sysfs_read_hex16(pf->ctx, path, out);
	if (r == -ENOENT)
		ERR(pf->ctx, "%s: no %s attribute", pf->pci, attr);
	return r;
}

static int read_count(struct vmfex_pf *pf, const char *attr, unsigned int *out)
{
	char path[PATH_MAX];
	unsigned long v;
	int r;

	r = vmfex_sysfs_path(pf->ctx, path, sizeof(path), "bus/pci/devices/%s/%s", pf->pci, attr);
	if (r < 0)
		return r;
	r = vmfex_sysfs_read_uint(pf->ctx, path, VF_COUNT_MAX, &v);
	if (r < 0)
		return r;
	*out = (unsigned int)v;
	return 0;
}

/* Everything but the VF list. -ENODEV: no such function; -ENOTSUP: it has
 * no SR-IOV (a VF, or a plain NIC). */
static int pf_load(struct vmfex_pf *pf, bool scanning)
{
	struct vmfex_ctx *ctx = pf->ctx;
	char path[PATH_MAX];
	int r;

	r = read_count(pf, "sriov_totalvfs", &pf->total_vfs);
	if (r == -ENOENT) {
		r = vmfex_pci_check_exists(ctx, pf->pci);
		if (r < 0)
			return r;
		ERR(ctx, "PCI function %s has no SR-IOV capability", pf->pci);
		return -ENOTSUP;
	}
	if (r < 0)
		return r;
	if (pf->total_vfs == 0) {
		/* A driver may lower the total to 0 (pci_sriov_set_totalvfs()):
		 * no fault of the host, only of a caller that asks for a PF. */
		if (scanning)
			DBG(ctx, "PCI function %s offers no VFs (sriov_totalvfs is 0)", pf->pci);
		else
			ERR(ctx, "PCI function %s supports no VFs (sriov_totalvfs is 0)", pf->pci);
		return -ENOTSUP;
	}
	r = read_count(pf, "sriov_numvfs", &pf->num_vfs);
	if (r == -ENOENT)
		ERR(ctx, "%s: sriov_totalvfs without sriov_numvfs", pf->pci);
	if (r < 0)
		return r;
	if ((r = read_id(pf, "vendor", &pf->vendor_id)) < 0 ||
	    (r = read_id(pf, "device", &pf->device_id)) < 0 ||
	    (r = read_id(pf, "subsystem_vendor", &pf->subsystem_vendor_id)) < 0 ||
	    (r = read_id(pf, "subsystem_device", &pf->subsystem_device_id)) < 0)
		return r;
	/* Kernels before 5.9 lack sriov_vf_device; VFs are read one by one then. */
	r = vmfex_sysfs_path(ctx, path, sizeof(path), "bus/pci/devices/%s/sriov_vf_device",
	                     pf->pci);
	if (r < 0)
		return r;
	r = vmfex_sysfs_read_hex16(ctx, path, &pf->vf_device_id);
	if (r == -ENOENT)
		pf->vf_device_id = 0;
	else if (r < 0)
		return r;
	r = vmfex_pci_read_driver(ctx, pf->pci, pf->driver, sizeof(pf->driver));
	if (r < 0)
		return r;
	return vmfex_pci_read_ifname(ctx, pf->pci, pf->ifname, sizeof(pf->ifname));
}

/* The VFs from the virtfnN links, N counting from 0, as libvirt reads
 * them: the index is the link's number, never address arithmetic. */
int vmfex_pf_scan_vfs(struct vmfex_pf *pf)
{
	struct vmfex_ctx *ctx = pf->ctx;
	struct vmfex_vf **vfs;
	size_t n = 0;
	int r = 0;

	vmfex_pf_detach_vfs(pf);
	if (pf->num_vfs == 0)
		return 0;
	vfs = calloc(pf->num_vfs, sizeof(*vfs));
	if (!vfs)
		return -ENOMEM;
	for (unsigned int i = 0; i < pf->num_vfs; i++) {
		struct vmfex_pci_addr addr;
		char path[PATH_MAX], name[64];

		r = vmfex_sysfs_path(ctx, path, sizeof(path), "bus/pci/devices/%s/virtfn%u",
		                     pf->pci, i);
		if (r < 0)
			break;
		r = vmfex_sysfs_read_link_name(ctx, path, name, sizeof(name));
		if (r == -ENOENT) {
			/* Fewer links than sriov_numvfs: VFs still appearing. */
			DBG(ctx, "%s: virtfn%u missing, %u VFs found", pf->pci, i, i);
			r = 0;
			break;
		}
		if (r < 0)
			break;
		if (vmfex_pci_addr_parse(name, &addr) < 0) {
			WARN(ctx, "%s: virtfn%u points to '%s', not a PCI function; skipped",
			     pf->pci, i, name);
			continue;
		}
		r = vmfex_vf_new_at(pf, i, &addr, &vfs[n]);
		if (r == -ENOMEM)
			break;
		if (r < 0) {
			/* Logged; one broken VF does not hide the rest. */
			r = 0;
			continue;
		}
		vfs[n]->attached = true;
		vfs[n]->pos = n;
		n++;
	}
	pf->vfs = vfs;
	pf->n_vfs = n;
	return r;
}

static struct vmfex_pf *pf_alloc(struct vmfex_ctx *ctx, const struct vmfex_pci_addr *addr)
{
	struct vmfex_pf *pf = calloc(1, sizeof(*pf));

	if (!pf)
		return NULL;
	pf->ctx = ctx;
	pf->addr = *addr;
	vmfex_pci_addr_format(addr, pf->pci);
	return pf;
}

/* An unreferenced PF (refcount 0) read from sysfs. */
static int pf_read(struct vmfex_ctx *ctx, const struct vmfex_pci_addr *addr, bool scanning,
                   struct vmfex_pf **out)
{
	struct vmfex_pf *pf = pf_alloc(ctx, addr);
	int r;

	if (!pf)
		return -ENOMEM;
	r = pf_load(pf, scanning);
	if (r == 0)
		r = vmfex_pf_scan_vfs(pf);
	if (r < 0) {
		pf_free(pf);
		return r;
	}
	*out = pf;
	return 0;
}

int vmfex_pf_new_at(struct vmfex_ctx *ctx, const struct vmfex_pci_addr *addr,
                    struct vmfex_pf **out)
{
	int r = pf_read(ctx, addr, false, out);

	if (r == 0)
		vmfex_pf_ref(*out);
	return r;
}

_public_ int vmfex_pf_refresh(struct vmfex_pf *pf)
{
	int r;

	free(pf->vendor_name);
	free(pf->device_name);
	free(pf->model);
	pf->vendor_name = pf->device_name = pf->model = NULL;
	pf->names_loaded = false;
	r = pf_load(pf, false);
	if (r == 0)
		r = vmfex_pf_scan_vfs(pf);
	return r;
}

_public_ int vmfex_pf_new_from_pci(struct vmfex_ctx *ctx, const char *pci, struct vmfex_pf **pf)
{
	struct vmfex_pci_addr addr;

	if (!pf)
		return -EINVAL;
	if (vmfex_pci_addr_parse(pci, &addr) < 0) {
		ERR(ctx, "'%.32s' is not a PCI address (DDDD:BB:DD.F)", pci ? pci : "(null)");
		return -EINVAL;
	}
	return vmfex_pf_new_at(ctx, &addr, pf);
}

_public_ int vmfex_pf_new_from_ifname(struct vmfex_ctx *ctx, const char *ifname,
                                      struct vmfex_pf **pf)
{
	struct vmfex_pci_addr addr;
	int r;

	if (!pf)
		return -EINVAL;
	r = vmfex_pci_addr_from_ifname(ctx, ifname, &addr);
	if (r < 0)
		return r;
	r = vmfex_pf_new_at(ctx, &addr, pf);
	if (r == -ENOTSUP)
		ERR(ctx, "interface %s is no SR-IOV PF", ifname);
	return r;
}

_public_ int vmfex_pf_new_from_name(struct vmfex_ctx *ctx, const char *name, struct vmfex_pf **pf)
{
	struct vmfex_pci_addr addr;

	if (name && vmfex_pci_addr_parse(name, &addr) == 0)
		return pf ? vmfex_pf_new_at(ctx, &addr, pf) : -EINVAL;
	return vmfex_pf_new_from_ifname(ctx, name, pf);
}

void vmfex_scan_clear(struct vmfex_ctx *ctx)
{
	for (size_t i = 0; i < ctx->n_scan; i++) {
		struct vmfex_pf *pf = ctx->scan[i];

		if (pf->refcount == 0)
			pf_free(pf);
		else
			pf->in_scan = false;
	}
	free(ctx->scan);
	ctx->scan = NULL;
	ctx->n_scan = 0;
}

static int addr_cmp(const void *a, const void *b)
{
	return vmfex_pci_addr_cmp(a, b);
}

/* The addresses of the functions with sriov_totalvfs, sorted: every PF
 * candidate. VFs and plain functions have no such attribute and cost one
 * access() each. */
int vmfex_pci_list_sriov(struct vmfex_ctx *ctx, struct vmfex_pci_addr **out, size_t *n_out)
{
	struct vmfex_pci_addr *v = NULL;
	char path[PATH_MAX];
	struct dirent *de;
	size_t n = 0, cap = 0;
	DIR *d;
	int r = 0;

	r = vmfex_sysfs_path(ctx, path, sizeof(path), "bus/pci/devices");
	if (r < 0)
		return r;
	d = opendir(path);
	if (!d) {
		r = -errno;
		ERR(ctx, "cannot list %s: %s", path, strerror(-r));
		return r;
	}
	while ((de = readdir(d))) {
		struct vmfex_pci_addr addr;

		if (vmfex_pci_addr_parse(de->d_name, &addr) < 0)
			continue;
		if (vmfex_sysfs_path(ctx, path, sizeof(path), "bus/pci/devices/%s/sriov_totalvfs",
		                     de->d_name) < 0 ||
		    vmfex_sysfs_exists(path) <= 0)
			continue;
		if (n == cap) {
			struct vmfex_pci_addr *nv;

			cap = cap ? 2 * cap : 8;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				r = -ENOMEM;
				break;
			}
			v = nv;
		}
		v[n++] = addr;
	}
	closedir(d);
	if (r < 0) {
		free(v);
		return r;
	}
	if (n)
		qsort(v, n, sizeof(*v), addr_cmp);
	*out = v;
	*n_out = n;
	return 0;
}

static int scan_host(struct vmfex_ctx *ctx)
{
	struct vmfex_pci_addr *addrs;
	size_t n;
	int r;

	vmfex_scan_clear(ctx);
	r = vmfex_pci_list_sriov(ctx, &addrs, &n);
	if (r < 0)
		return r;
	ctx->scan = calloc(n ? n : 1, sizeof(*ctx->scan));
	if (!ctx->scan) {
		free(addrs);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		struct vmfex_pf *pf;

		r = pf_read(ctx, &addrs[i], true, &pf);
		if (r == -ENOMEM)
			break;
		/* Logged; a broken function does not hide the others. */
		if (r < 0)
			continue;
		pf->in_scan = true;
		pf->scan_pos = ctx->n_scan;
		ctx->scan[ctx->n_scan++] = pf;
	}
	free(addrs);
	if (r == -ENOMEM) {
		vmfex_scan_clear(ctx);
		return r;
	}
	return 0;
}

_public_ struct vmfex_pf *vmfex_pf_next(struct vmfex_ctx *ctx, struct vmfex_pf *prev)
{
	size_t next;

	if (!prev) {
		if (scan_host(ctx) < 0)
			return NULL;
		next = 0;
	} else {
		if (!prev->in_scan || prev->ctx != ctx)
			return NULL;
		next = prev->scan_pos + 1;
	}
	return next < ctx->n_scan ? ctx->scan[next] : NULL;
}

_public_ const char *vmfex_pf_get_pci(const struct vmfex_pf *pf)
{
	return pf->pci;
}

_public_ const char *vmfex_pf_get_ifname(const struct vmfex_pf *pf)
{
	return pf->ifname[0] ? pf->ifname : NULL;
}

_public_ const char *vmfex_pf_get_driver(const struct vmfex_pf *pf)
{
	return pf->driver[0] ? pf->driver : NULL;
}

_public_ uint16_t vmfex_pf_get_vendor_id(const struct vmfex_pf *pf)
{
	return pf->vendor_id;
}

_public_ uint16_t vmfex_pf_get_device_id(const struct vmfex_pf *pf)
{
	return pf->device_id;
}

_public_ uint16_t vmfex_pf_get_subsystem_vendor_id(const struct vmfex_pf *pf)
{
	return pf->subsystem_vendor_id;
}

_public_ uint16_t vmfex_pf_get_subsystem_device_id(const struct vmfex_pf *pf)
{
	return pf->subsystem_device_id;
}

static char *lookup_dup(struct vmfex_pf *pf, int what)
{
	char buf[256];
	const char *name = vmfex_pcidb_lookup(pf->ctx, buf, sizeof(buf), what, pf->vendor_id,
	                                      pf->device_id, pf->subsystem_vendor_id,
	                                      pf->subsystem_device_id);
	return name ? strdup(name) : NULL;
}

static void load_names(struct vmfex_pf *pf)
{
	if (pf->names_loaded)
		return;
	pf->names_loaded = true;
	pf->vendor_name = lookup_dup(pf, VMFEX_PCIDB_VENDOR);
	pf->device_name = lookup_dup(pf, VMFEX_PCIDB_DEVICE);
	pf->model = lookup_dup(pf, VMFEX_PCIDB_SUBSYSTEM);
}

_public_ const char *vmfex_pf_get_vendor_name(struct vmfex_pf *pf)
{
	load_names(pf);
	return pf->vendor_name;
}

_public_ const char *vmfex_pf_get_device_name(struct vmfex_pf *pf)
{
	load_names(pf);
	return pf->device_name;
}

_public_ const char *vmfex_pf_get_model(struct vmfex_pf *pf)
{
	load_names(pf);
	return pf->model;
}

_public_ bool vmfex_pf_is_vic(const struct vmfex_pf *pf)
{
	return pf->vendor_id == VMFEX_PCI_VENDOR_CISCO && pf->device_id == VMFEX_PCI_DEVICE_VIC_ENIC;
}

_public_ unsigned int vmfex_pf_get_total_vfs(const struct vmfex_pf *pf)
{
	return pf->total_vfs;
}

_public_ unsigned int vmfex_pf_get_num_vfs(const struct vmfex_pf *pf)
{
	return pf->num_vfs;
}

_public_ struct vmfex_vf *vmfex_pf_next_vf(struct vmfex_pf *pf, struct vmfex_vf *prev)
{
	size_t next = 0;

	if (prev) {
		if (!prev->attached || prev->pf != pf)
			return NULL;
		next = prev->pos + 1;
	}
	return next < pf->n_vfs ? pf->vfs[next] : NULL;
}

_public_ int vmfex_pf_get_vf(struct vmfex_pf *pf, unsigned int index, struct vmfex_vf **vf)
{
	if (!vf)
		return -EINVAL;
	for (size_t i = 0; i < pf->n_vfs; i++) {
		if (pf->vfs[i]->index == index) {
			*vf = vmfex_vf_ref(pf->vfs[i]);
			return 0;
		}
	}
	ERR(pf->ctx, "PF %s has no VF %u (%zu VFs present)", pf->pci, index, pf->n_vfs);
	return -ENOENT;
}
