/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SR-IOV physical functions: reading one, and the host-wide walk.
 *
 * Lifetimes: the context owns one PF object per PCI address it has read
 * (ctx->pfs, sorted by address) and each PF one VF object per index, until
 * the context is freed. Reading an address again (a new walk, a look-up,
 * a refresh) updates its object in place, so nothing a caller holds, not
 * even a walk's unreferenced loop variable, is ever freed under it. The
 * refcounts count users only: a PF with users holds a reference on its
 * context, a VF with users one on its PF, so no cycle keeps them alive. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "libvmfex-private.h"

/* sriov_totalvfs and sriov_numvfs are u16 in the kernel. */
#define VF_COUNT_MAX 65535

static void pf_free(struct vmfex_pf *pf)
{
	for (size_t i = 0; i < pf->n_vfs; i++)
		free(pf->vfs[i]);
	free(pf->vfs);
	free(pf->vendor_name);
	free(pf->device_name);
	free(pf->model);
	for (size_t i = 0; i < pf->n_old_names; i++)
		free(pf->old_names[i]);
	free(pf->old_names);
	free(pf);
}

void vmfex_pf_cache_free(struct vmfex_ctx *ctx)
{
	for (size_t i = 0; i < ctx->n_pfs; i++)
		pf_free(ctx->pfs[i]);
	free(ctx->pfs);
	ctx->pfs = NULL;
	ctx->n_pfs = 0;
}

_public_ struct vmfex_pf *vmfex_pf_ref(struct vmfex_pf *pf)
{
	if (pf && pf->refcount++ == 0)
		vmfex_ref(pf->ctx);
	return pf;
}

_public_ struct vmfex_pf *vmfex_pf_unref(struct vmfex_pf *pf)
{
	/* At 0 the object stays in the context's cache: only users go. */
	if (pf && --pf->refcount == 0)
		vmfex_unref(pf->ctx);
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
/* Another device now at the PF's address: its names are looked up anew,
 * and the old ones kept until the PF is freed, as a caller may hold them. */
static int retire_names(struct vmfex_pf *pf)
{
	char *names[] = { pf->vendor_name, pf->device_name, pf->model };
	char **v;

	v = realloc(pf->old_names, (pf->n_old_names + ARRAY_SIZE(names)) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	pf->old_names = v;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i])
			v[pf->n_old_names++] = names[i];
	pf->vendor_name = pf->device_name = pf->model = NULL;
	pf->names_loaded = false;
	return 0;
}

static int pf_load(struct vmfex_pf *pf, bool scanning)
{
	struct vmfex_ctx *ctx = pf->ctx;
	char path[PATH_MAX];
	uint16_t ids[4];
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
	if ((r = read_id(pf, "vendor", &ids[0])) < 0 || (r = read_id(pf, "device", &ids[1])) < 0 ||
	    (r = read_id(pf, "subsystem_vendor", &ids[2])) < 0 ||
	    (r = read_id(pf, "subsystem_device", &ids[3])) < 0)
		return r;
	if (ids[0] != pf->vendor_id || ids[1] != pf->device_id ||
	    ids[2] != pf->subsystem_vendor_id || ids[3] != pf->subsystem_device_id) {
		r = retire_names(pf);
		if (r < 0)
			return r;
		pf->vendor_id = ids[0];
		pf->device_id = ids[1];
		pf->subsystem_vendor_id = ids[2];
		pf->subsystem_device_id = ids[3];
	}
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
	r = vmfex_pci_read_driver(ctx, pf->pci, pf->driver, sizeof(pf->driver), NULL);
	if (r < 0)
		return r;
	return vmfex_pci_read_ifname(ctx, pf->pci, pf->ifname, sizeof(pf->ifname));
}

static void pf_mark_vfs_absent(struct vmfex_pf *pf)
{
	for (size_t i = 0; i < pf->n_vfs; i++)
		if (pf->vfs[i])
			pf->vfs[i]->present = false;
}

/* The slot of VF index, the table grown to hold it. */
static struct vmfex_vf **vf_slot(struct vmfex_pf *pf, unsigned int index)
{
	if (index >= pf->n_vfs) {
		struct vmfex_vf **v = realloc(pf->vfs, (index + 1) * sizeof(*v));

		if (!v)
			return NULL;
		memset(v + pf->n_vfs, 0, (index + 1 - pf->n_vfs) * sizeof(*v));
		pf->vfs = v;
		pf->n_vfs = index + 1;
	}
	return &pf->vfs[index];
}

/* The VFs from the virtfnN links, N counting from 0, as libvirt reads
 * them: the index is the link's number, never address arithmetic. Each
 * index keeps its object; those not found now are marked absent. */
/* "virtfnN" without snprintf(): once per VF of every walk. */
static void attr_virtfn(char attr[24], unsigned int i)
{
	char digits[12];
	size_t n = 0;

	do
		digits[n++] = (char)('0' + i % 10);
	while ((i /= 10) > 0);
	memcpy(attr, "virtfn", 6);
	for (size_t k = 0; k < n; k++)
		attr[6 + k] = digits[n - 1 - k];
	attr[6 + n] = '\0';
}

static int pf_scan_vfs(struct vmfex_pf *pf)
{
	struct vmfex_ctx *ctx = pf->ctx;
	int r = 0;

	pf_mark_vfs_absent(pf);
	r = vmfex_walk_begin(ctx, &pf->walk, pf->pci);
	for (unsigned int i = 0; r == 0 && i < pf->num_vfs; i++) {
		struct vmfex_pci_addr addr;
		struct vmfex_vf **slot;
		char path[PATH_MAX], name[64], attr[24];
		const char *at;
		int dirfd;

		attr_virtfn(attr, i);
		r = vmfex_sysfs_dev_path(ctx, path, sizeof(path), pf->pci, attr);
		if (r < 0)
			break;
		dirfd = vmfex_walk_at(&pf->walk, path, r, &at);
		r = vmfex_sysfs_read_link_name_at(ctx, dirfd, at, path, name, sizeof(name),
		                                  &pf->walk.sibling);
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
		slot = vf_slot(pf, i);
		if (!slot) {
			r = -ENOMEM;
			break;
		}
		r = vmfex_vf_read_at(pf, i, &addr, slot);
		if (r == -ENOMEM)
			break;
		/* Logged; one broken VF does not hide the rest. */
		r = 0;
	}
	vmfex_walk_end(&pf->walk);
	return r;
}

/* Read the PF again in place; on failure it is marked absent. */
static int pf_reload(struct vmfex_pf *pf, bool scanning)
{
	int r = pf_load(pf, scanning);

	if (r == 0)
		r = pf_scan_vfs(pf);
	pf->present = r == 0;
	if (r < 0)
		pf_mark_vfs_absent(pf);
	return r;
}

/* The position of addr in the context's cache, or where it would go. */
static size_t cache_find(struct vmfex_ctx *ctx, const struct vmfex_pci_addr *addr, bool *found)
{
	size_t lo = 0, hi = ctx->n_pfs;

	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = vmfex_pci_addr_cmp(&ctx->pfs[mid]->addr, addr);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The PF at addr, read from sysfs: the context's object for the address,
 * updated, or a new one added to the cache. Unreferenced. */
static int pf_read(struct vmfex_ctx *ctx, const struct vmfex_pci_addr *addr, bool scanning,
                   struct vmfex_pf **out)
{
	struct vmfex_pf *pf, **v = NULL;
	bool found;
	size_t pos = cache_find(ctx, addr, &found);
	int r;

	if (found) {
		r = pf_reload(ctx->pfs[pos], scanning);
		if (r == 0)
			*out = ctx->pfs[pos];
		return r;
	}
	pf = calloc(1, sizeof(*pf));
	if (!pf)
		return -ENOMEM;
	pf->ctx = ctx;
	pf->addr = *addr;
	vmfex_pci_addr_format(addr, pf->pci);
	/* A function that is no PF is not kept: nobody has seen it. */
	r = pf_reload(pf, scanning);
	if (r == 0) {
		/* Again: a log function may have read PFs meanwhile. */
		pos = cache_find(ctx, addr, &found);
		if (found) {
			pf_free(pf);
			return pf_read(ctx, addr, scanning, out);
		}
		v = realloc(ctx->pfs, (ctx->n_pfs + 1) * sizeof(*v));
		if (!v)
			r = -ENOMEM;
	}
	if (r < 0) {
		pf_free(pf);
		return r;
	}
	memmove(v + pos + 1, v + pos, (ctx->n_pfs - pos) * sizeof(*v));
	v[pos] = pf;
	ctx->pfs = v;
	ctx->n_pfs++;
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
	return pf_reload(pf, false);
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

/* Every PCI function's address, sorted. */
static int pci_list_all(struct vmfex_ctx *ctx, struct vmfex_pci_addr **out, size_t *n_out)
{
	char path[PATH_MAX];
	int r;

	r = vmfex_sysfs_path(ctx, path, sizeof(path), "bus/pci/devices");
	if (r < 0)
		return r;
	r = vmfex_pci_list_dir(path, out, n_out);
	if (r < 0)
		ERR(ctx, "cannot list %s: %s", path, strerror(-r));
	return r;
}

/* Whether the function at addr has sriov_totalvfs: a PF candidate. VFs
 * and plain functions have no such attribute. */
static bool has_sriov(struct vmfex_ctx *ctx, const struct vmfex_pci_addr *addr)
{
	char pci[VMFEX_PCI_ADDR_LEN], path[PATH_MAX];

	vmfex_pci_addr_format(addr, pci);
	return vmfex_sysfs_path(ctx, path, sizeof(path), "bus/pci/devices/%s/sriov_totalvfs",
	                        pci) == 0 &&
	       vmfex_sysfs_exists(path) > 0;
}

/* The addresses of the functions with sriov_totalvfs, sorted: every PF
 * candidate, at one access() per function. */
int vmfex_pci_list_sriov(struct vmfex_ctx *ctx, struct vmfex_pci_addr **out, size_t *n_out)
{
	struct vmfex_pci_addr *v;
	size_t n, k = 0;
	int r;

	r = pci_list_all(ctx, &v, &n);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		if (has_sriov(ctx, &v[i]))
			v[k++] = v[i];
	*out = v;
	*n_out = k;
	return 0;
}

/* Add the present VFs of pf to the sorted set *seen. */
static int add_seen_vfs(struct vmfex_pf *pf, struct vmfex_pci_addr **seen, size_t *n_seen)
{
	struct vmfex_pci_addr *v;
	size_t n = *n_seen;

	if (!pf->n_vfs)
		return 0;
	v = realloc(*seen, (n + pf->n_vfs) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < pf->n_vfs; i++)
		if (pf->vfs[i] && pf->vfs[i]->present)
			v[n++] = pf->vfs[i]->addr;
	qsort(v, n, sizeof(*v), vmfex_pci_addr_sort_cmp);
	*seen = v;
	*n_seen = n;
	return 0;
}

/* A new walk: every SR-IOV function read again; cached PFs not found
 * (gone from the host, or broken now) are marked absent. A VF of a PF
 * read before it in the walk is not asked for sriov_totalvfs: a VF has
 * no SR-IOV capability (PCIe), and on a large host this is most of the
 * functions. */
static int scan_host(struct vmfex_ctx *ctx)
{
	struct vmfex_pci_addr *addrs, *seen = NULL;
	size_t n, n_seen = 0;
	int r;

	r = pci_list_all(ctx, &addrs, &n);
	if (r < 0)
		return r;
	/* Without it (no memory), each VF is read alone. */
	vmfex_walk_cache_begin(ctx, n);
	for (size_t i = 0; i < ctx->n_pfs; i++)
		ctx->pfs[i]->present = false;
	for (size_t i = 0; i < n; i++) {
		struct vmfex_pf *pf;

		if (n_seen && bsearch(&addrs[i], seen, n_seen, sizeof(*seen), vmfex_pci_addr_sort_cmp))
			continue;
		if (!has_sriov(ctx, &addrs[i]))
			continue;
		r = pf_read(ctx, &addrs[i], true, &pf);
		if (r == 0)
			r = add_seen_vfs(pf, &seen, &n_seen);
		if (r == -ENOMEM)
			break;
		/* Logged; a broken function does not hide the others. */
		r = 0;
	}
	vmfex_walk_cache_end(ctx);
	free(seen);
	free(addrs);
	return r;
}

/* The walk's state is its loop variable alone: the next PF present after
 * it by address, whatever was read in between. */
_public_ struct vmfex_pf *vmfex_pf_next(struct vmfex_ctx *ctx, struct vmfex_pf *prev)
{
	size_t pos = 0;
	bool found;

	if (!prev) {
		if (scan_host(ctx) < 0)
			return NULL;
	} else {
		if (prev->ctx != ctx)
			return NULL;
		pos = cache_find(ctx, &prev->addr, &found) + 1;
	}
	for (; pos < ctx->n_pfs; pos++)
		if (ctx->pfs[pos]->present)
			return ctx->pfs[pos];
	return NULL;
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

_public_ const char *vmfex_pf_read_vendor_name(struct vmfex_pf *pf)
{
	load_names(pf);
	return pf->vendor_name;
}

_public_ const char *vmfex_pf_read_device_name(struct vmfex_pf *pf)
{
	load_names(pf);
	return pf->device_name;
}

_public_ const char *vmfex_pf_read_model(struct vmfex_pf *pf)
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

/* As vmfex_pf_next(): the next VF present after prev by index. */
_public_ struct vmfex_vf *vmfex_pf_next_vf(struct vmfex_pf *pf, struct vmfex_vf *prev)
{
	size_t i = 0;

	if (prev) {
		if (prev->pf != pf)
			return NULL;
		i = (size_t)prev->index + 1;
	}
	for (; i < pf->n_vfs; i++)
		if (pf->vfs[i] && pf->vfs[i]->present)
			return pf->vfs[i];
	return NULL;
}

_public_ int vmfex_pf_lookup_vf(struct vmfex_pf *pf, unsigned int index, struct vmfex_vf **vf)
{
	size_t n = 0;

	if (!vf)
		return -EINVAL;
	if (index < pf->n_vfs && pf->vfs[index] && pf->vfs[index]->present) {
		*vf = vmfex_vf_ref(pf->vfs[index]);
		return 0;
	}
	for (size_t i = 0; i < pf->n_vfs; i++)
		n += pf->vfs[i] && pf->vfs[i]->present;
	ERR(pf->ctx, "PF %s has no VF %u (%zu VFs present)", pf->pci, index, n);
	return -ENOENT;
}
