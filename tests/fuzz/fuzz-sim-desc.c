/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target for the simulated host's description parser
 * (lib/sim/sim-desc.c): arbitrary bytes, which need not be NUL-terminated
 * or valid UTF-8, up to and past the size limit.
 *
 * The context logs at LOG_DEBUG into a function that formats every
 * message and prints nothing, so each error path's format string runs on
 * the hostile values it quotes. An accepted description must hold what
 * vmfex_sim_create() relies on: canonical unique addresses, valid and
 * unique names, known drivers, VF counts in range; and no two functions,
 * listed or VFs that enabling SR-IOV would add (up to total_vfs), may
 * share a PCI address or a netdev name, as the tree it builds holds one
 * directory and one class/net link for each. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim-private.h"
#include "fuzz-check.h"
#include "fuzz-ctx.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct vmfex_ctx *ctx;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	ctx = fuzz_ctx_new();
	return 0;
}

/* Routing id (bus, device, function) of VF i, as drivers/pci/iov.c
 * computes it; the parser refuses descriptions where it passes 0xffff. */
static uint32_t vf_rid(const struct sim_device *pf, unsigned int i)
{
	const struct vmfex_pci_addr *a = &pf->addr;

	return ((uint32_t)a->bus << 8 | (uint32_t)a->dev << 3 | a->fn) + pf->sriov.offset +
	       pf->sriov.stride * i;
}

/* One bit per routing id, for each PCI domain in use. */
struct rid_map {
	uint16_t domain;
	uint8_t bits[0x10000 / 8];
};

static bool rid_take(struct rid_map **maps, size_t *n, uint16_t domain, uint32_t rid)
{
	struct rid_map *m = NULL;

	CHECK(rid <= 0xffff);
	for (size_t i = 0; i < *n && !m; i++)
		if ((*maps)[i].domain == domain)
			m = &(*maps)[i];
	if (!m) {
		struct rid_map *nm = realloc(*maps, (*n + 1) * sizeof(**maps));

		CHECK(nm);
		*maps = nm;
		m = &nm[(*n)++];
		memset(m, 0, sizeof(*m));
		m->domain = domain;
	}
	if (m->bits[rid / 8] & (1u << (rid % 8)))
		return false;
	m->bits[rid / 8] |= (uint8_t)(1u << (rid % 8));
	return true;
}

static void check_addresses(const struct sim_desc *d)
{
	struct rid_map *maps = NULL;
	size_t n = 0;

	for (size_t i = 0; i < d->n_devices; i++) {
		const struct vmfex_pci_addr *a = &d->devices[i].addr;

		CHECK(rid_take(&maps, &n, a->domain,
		               (uint32_t)a->bus << 8 | (uint32_t)a->dev << 3 | a->fn));
	}
	for (size_t i = 0; i < d->n_devices; i++) {
		const struct sim_device *pf = &d->devices[i];

		if (!pf->has_sriov)
			continue;
		for (unsigned int v = 0; v < pf->sriov.total_vfs; v++) {
			if (!rid_take(&maps, &n, pf->addr.domain, vf_rid(pf, v))) {
				fprintf(stderr, "VF %u of devices[%zu] %s takes an address in use\n", v,
				        i, pf->pci);
				CHECK(!"VF addresses overlap");
			}
		}
	}
	free(maps);
}

/* Whether "prefix" followed by the decimal index of one of total VFs can
 * be name, i.e. name is prefix + a number below total written without
 * leading zeros. */
static bool vf_name_matches(const char *prefix, unsigned int total, const char *name)
{
	size_t n = strlen(prefix);
	unsigned long v = 0;
	const char *p;

	if (strncmp(name, prefix, n) != 0 || !name[n])
		return false;
	p = name + n;
	if (p[0] == '0' && p[1])
		return false;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (unsigned long)(*p - '0');
		if (v >= total)
			return false;
	}
	return true;
}

/* Whether some VF of (p1, t1) and some VF of (p2, t2) get the same name.
 * With p1 no longer than p2, that needs p2 = p1 + s, s digits, and s
 * followed by an index of p2's VFs to be an index of p1's; the smallest
 * such number is s followed by 0, and index 0 always exists. */
static bool vf_names_meet(const char *p1, unsigned int t1, const char *p2, unsigned int t2)
{
	char name[VMFEX_IFNAMSIZ + 2];

	if (strlen(p1) > strlen(p2))
		return vf_names_meet(p2, t2, p1, t1);
	if (strcmp(p1, p2) == 0)
		return true;
	snprintf(name, sizeof(name), "%s0", p2);
	return vf_name_matches(p1, t1, name);
}

static void check_netdev_names(const struct sim_desc *d)
{
	for (size_t i = 0; i < d->n_devices; i++) {
		const struct sim_device *pf = &d->devices[i];
		const struct sim_sriov *s = &pf->sriov;

		if (!pf->has_sriov || !s->vf_ifname_prefix[0])
			continue;
		for (size_t j = 0; j < d->n_devices; j++) {
			const struct sim_device *o = &d->devices[j];

			if (o->ifname[0] && vf_name_matches(s->vf_ifname_prefix, s->total_vfs, o->ifname)) {
				fprintf(stderr, "devices[%zu] %s is named %s, a VF name of devices[%zu]\n",
				        j, o->pci, o->ifname, i);
				CHECK(!"a netdev name is also a VF's");
			}
			if (j < i && o->has_sriov && o->sriov.vf_ifname_prefix[0] &&
			    vf_names_meet(s->vf_ifname_prefix, s->total_vfs, o->sriov.vf_ifname_prefix,
			                  o->sriov.total_vfs)) {
				fprintf(stderr, "VFs of devices[%zu] and devices[%zu] can get the same "
				        "netdev name (prefixes %s, %s)\n", i, j, s->vf_ifname_prefix,
				        o->sriov.vf_ifname_prefix);
				CHECK(!"VF netdev names overlap");
			}
		}
	}
}

static void check_desc(const struct sim_desc *d)
{
	CHECK(d->description);
	CHECK(d->n_devices == 0 || d->devices);
	CHECK(d->n_drivers == 0 || d->drivers);
	CHECK(strnlen(d->dmi_product_uuid, sizeof(d->dmi_product_uuid)) <
	      sizeof(d->dmi_product_uuid));

	for (size_t i = 0; i < d->n_drivers; i++) {
		const struct sim_driver *drv = &d->drivers[i];

		CHECK(vmfex_driver_name_validate(drv->name) == 0);
		CHECK(vmfex_sim_desc_driver(d, drv->name) == drv);
	}
	for (size_t i = 0; i < d->n_devices; i++) {
		const struct sim_device *dev = &d->devices[i];
		struct vmfex_pci_addr a;
		char canon[VMFEX_PCI_ADDR_LEN];

		CHECK(vmfex_pci_addr_parse(dev->pci, &a) == 0);
		CHECK(vmfex_pci_addr_cmp(&a, &dev->addr) == 0);
		vmfex_pci_addr_format(&dev->addr, canon);
		CHECK(strcmp(canon, dev->pci) == 0);
		CHECK(vmfex_sim_desc_device(d, &dev->addr) == dev);
		CHECK(dev->class_code <= 0xffffff);
		if (dev->driver[0])
			CHECK(vmfex_sim_desc_driver(d, dev->driver));
		if (dev->ifname[0])
			CHECK(vmfex_ifname_validate(dev->ifname) == 0);
		for (size_t j = 0; j < i; j++)
			CHECK(!dev->ifname[0] || strcmp(dev->ifname, d->devices[j].ifname) != 0);
		if (!dev->has_sriov)
			continue;
		CHECK(dev->sriov.total_vfs >= 1 && dev->sriov.total_vfs <= 65535);
		CHECK(dev->sriov.num_vfs <= dev->sriov.total_vfs);
		CHECK(dev->sriov.offset >= 1 && dev->sriov.stride >= 1);
		if (dev->sriov.vf_driver[0])
			CHECK(vmfex_sim_desc_driver(d, dev->sriov.vf_driver));
		if (dev->sriov.vf_ifname_prefix[0]) {
			char longest[32];

			snprintf(longest, sizeof(longest), "%s%u", dev->sriov.vf_ifname_prefix,
			         dev->sriov.total_vfs - 1);
			CHECK(vmfex_ifname_validate(longest) == 0);
		}
	}
	check_addresses(d);
	check_netdev_names(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sim_desc *desc = NULL;
	int r;

	if (!ctx)
		LLVMFuzzerInitialize(NULL, NULL);
	r = vmfex_sim_desc_parse(ctx, (const char *)data, size, &desc);
	CHECK(r == 0 || r == -EINVAL || r == -EFBIG || r == -ENOMEM);
	CHECK((r == 0) == (desc != NULL));
	if (desc)
		check_desc(desc);
	vmfex_sim_desc_free(desc);
	return 0;
}
