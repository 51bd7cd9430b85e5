/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What a walk of the host learns once instead of asking each VF: the
 * functions bound to the driver most VFs have (the links of
 * bus/pci/drivers/DRIVER) and every netdev's PCI function (the links of
 * class/net). A VF these do not answer for is read alone, as outside a
 * walk; both are dropped when the walk ends, so nothing outlives the
 * moment it was read. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "libvmfex-private.h"

/* VFs read alone with one driver or a netdev before a walk lists them all:
 * below this a listing costs more system calls than it saves. */
#define WALK_CACHE_AFTER 4

static int netdev_cmp(const void *a, const void *b)
{
	const struct vmfex_netdev *x = a, *y = b;
	int c = vmfex_pci_addr_cmp(&x->addr, &y->addr);

	return c ? c : strcmp(x->name, y->name);
}

/* ---- functions bound to a driver ---- */

/* Whether pci is bound to the driver the walk listed, whose name then
 * goes to buf. */
bool vmfex_walk_bound(struct vmfex_ctx *ctx, const char *pci, char *buf, size_t size)
{
	struct vmfex_walk_cache *c = ctx->walk_cache;
	struct vmfex_pci_addr addr;

	if (!c || !c->bound_driver[0] || strlen(c->bound_driver) >= size ||
	    vmfex_pci_addr_parse(pci, &addr) < 0 ||
	    !c->n_bound || /* bsearch() takes no NULL */
	    !bsearch(&addr, c->bound, c->n_bound, sizeof(addr), vmfex_pci_addr_sort_cmp))
		return false;
	strcpy(buf, c->bound_driver);
	return true;
}

/* A VF was read alone and has driver: list the driver's functions once
 * this happened often enough in a row. */
void vmfex_walk_saw_driver(struct vmfex_ctx *ctx, const char *driver)
{
	struct vmfex_walk_cache *c = ctx->walk_cache;
	struct vmfex_pci_addr *bound;
	char dir[PATH_MAX];
	size_t n;

	if (!c || strcmp(c->bound_driver, driver) == 0)
		return;
	if (strcmp(c->hits_driver, driver) != 0) {
		strcpy(c->hits_driver, driver); /* both VMFEX_DRIVER_NAME_MAX + 1 */
		c->driver_hits = 0;
	}
	if (++c->driver_hits < WALK_CACHE_AFTER)
		return;
	if (vmfex_sysfs_path(ctx, dir, sizeof(dir), "bus/pci/drivers/%s", driver) < 0 ||
	    vmfex_pci_list_dir(dir, &bound, &n) < 0)
		return; /* each VF read alone, as before */
	free(c->bound);
	c->bound = bound;
	c->n_bound = n;
	strcpy(c->bound_driver, driver);
}

/* ---- netdevs of the host ---- */

struct netdev_list {
	struct vmfex_buf buf;        /* struct vmfex_netdev */
	size_t max;
};

/* class/net/NAME -> ../../devices/.../FUNCTION/net/NAME */
static int add_netdev(void *data, int dirfd, const char *name)
{
	struct netdev_list *l = data;
	char target[PATH_MAX], *fn, *end;
	struct vmfex_netdev d;

	if (l->buf.len / sizeof(d) >= l->max)
		return -E2BIG; /* more netdevs than the walk can save: not worth it */
	if (vmfex_ifname_validate(name) < 0)
		return 0;
	if (vmfex_sysfs_read_link_at(dirfd, name, target, sizeof(target)) < 0)
		return 0;
	end = strstr(target, "/net/");
	if (!end || strcmp(end + 5, name) != 0)
		return 0;
	*end = '\0';
	fn = strrchr(target, '/');
	if (vmfex_pci_addr_parse(fn ? fn + 1 : target, &d.addr) < 0)
		return 0; /* virtual, USB... */
	strcpy(d.name, name);
	return vmfex_buf_append(&l->buf, &d, sizeof(d));
}

/* A walk of the host begins, of its functions PCI functions. */
int vmfex_walk_cache_begin(struct vmfex_ctx *ctx, size_t functions)
{
	vmfex_walk_cache_end(ctx);
	ctx->walk_cache = calloc(1, sizeof(*ctx->walk_cache));
	if (!ctx->walk_cache)
		return -ENOMEM;
	ctx->walk_cache->functions = functions;
	return 0;
}

void vmfex_walk_cache_end(struct vmfex_ctx *ctx)
{
	if (ctx->walk_cache) {
		free(ctx->walk_cache->netdevs);
		free(ctx->walk_cache->bound);
	}
	free(ctx->walk_cache);
	ctx->walk_cache = NULL;
}

/* A VF was read alone during a walk of the host and has a netdev: once
 * this happened often enough, every netdev's function is read, if the
 * host has no more netdevs than twice its PCI functions, so that one
 * readlink per netdev costs less than the three system calls per VF it
 * saves. */
void vmfex_walk_saw_netdev(struct vmfex_ctx *ctx)
{
	struct vmfex_walk_cache *c = ctx->walk_cache;
	struct netdev_list l;
	char dir[PATH_MAX];

	if (!c || c->netdevs_loaded || c->netdevs_refused || ++c->netdev_hits < WALK_CACHE_AFTER)
		return;
	l = (struct netdev_list){ .max = 2 * c->functions };
	if (vmfex_sysfs_path(ctx, dir, sizeof(dir), "class/net") < 0 ||
	    vmfex_sysfs_list_at(AT_FDCWD, dir, add_netdev, &l) < 0) {
		vmfex_buf_free(&l.buf);
		c->netdevs_refused = true; /* not worth it, or not there: read alone */
		return;
	}
	c->netdevs = (struct vmfex_netdev *)l.buf.data;
	c->n_netdevs = l.buf.len / sizeof(*c->netdevs);
	if (c->n_netdevs) /* qsort() takes no NULL */
		qsort(c->netdevs, c->n_netdevs, sizeof(*c->netdevs), netdev_cmp);
	c->netdevs_loaded = true;
}

/* During a walk of the host, once made: the netdev of pci (its smallest
 * name, as the listing of its net/ gives), or "" for none; false when pci
 * is to be read alone. */
bool vmfex_walk_netdev(struct vmfex_ctx *ctx, const char *pci, char *buf, size_t size)
{
	struct vmfex_walk_cache *c = ctx->walk_cache;
	struct vmfex_netdev key = { 0 }, *d;

	if (!c || !c->netdevs_loaded || vmfex_pci_addr_parse(pci, &key.addr) < 0)
		return false;
	d = c->n_netdevs ? bsearch(&key, c->netdevs, c->n_netdevs, sizeof(key),
	                           vmfex_pci_addr_sort_cmp) : NULL;
	if (!d) {
		buf[0] = '\0';
		return true;
	}
	while (d > c->netdevs && vmfex_pci_addr_cmp(&d[-1].addr, &key.addr) == 0)
		d--;
	if (strlen(d->name) >= size)
		return false;
	strcpy(buf, d->name);
	return true;
}
