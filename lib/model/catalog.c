/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The catalog object: its clusters and the sorted list of its profiles. */
#include <errno.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "model/model-private.h"

int vmfex_array_grow(void **array, size_t *cap, size_t need, size_t elem)
{
	size_t n;
	void *p;

	if (need <= *cap)
		return 0;
	n = *cap ? *cap * 2 : 16;
	while (n < need)
		n *= 2;
	p = realloc(*array, n * elem);
	if (!p)
		return -ENOMEM;
	*array = p;
	*cap = n;
	return 0;
}

int vmfex_kept_reserve(struct vmfex_kept *k, size_t more)
{
	return vmfex_array_grow((void **)&k->v, &k->cap, k->n + more, sizeof(*k->v));
}

void vmfex_kept_add(struct vmfex_kept *k, void *obj)
{
	k->v[k->n++] = obj;
}

static int cluster_new(struct vmfex_catalog *c, const char *name, struct vmfex_cluster **out)
{
	struct vmfex_cluster *cl;
	size_t pos;

	if (vmfex_array_grow((void **)&c->clusters, &c->cap_clusters, c->n_clusters + 1,
	                     sizeof(*c->clusters)))
		return -ENOMEM;
	cl = calloc(1, sizeof(*cl));
	if (!cl)
		return -ENOMEM;
	cl->catalog = c;
	strcpy(cl->name, name);
	for (pos = 0; pos < c->n_clusters; pos++)
		if (strcmp(c->clusters[pos]->name, name) > 0)
			break;
	memmove(c->clusters + pos + 1, c->clusters + pos,
	        (c->n_clusters - pos) * sizeof(*c->clusters));
	c->clusters[pos] = cl;
	c->n_clusters++;
	*out = cl;
	return 0;
}

int vmfex_catalog_alloc(struct vmfex_ctx *ctx, struct vmfex_catalog **out)
{
	struct vmfex_catalog *c;
	struct vmfex_cluster *cl;

	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->refcount = 1;
	c->ctx = vmfex_ref(ctx);
	c->lock_fd = -1;
	if (cluster_new(c, VMFEX_CLUSTER_DEFAULT, &cl) < 0) {
		vmfex_catalog_unref(c);
		return -ENOMEM;
	}
	*out = c;
	return 0;
}

_public_ int vmfex_catalog_new(struct vmfex_ctx *ctx, struct vmfex_catalog **catalog)
{
	if (!ctx || !catalog)
		return -EINVAL;
	return vmfex_catalog_alloc(ctx, catalog);
}

_public_ struct vmfex_catalog *vmfex_catalog_ref(struct vmfex_catalog *c)
{
	if (c)
		c->refcount++;
	return c;
}

_public_ struct vmfex_catalog *vmfex_catalog_unref(struct vmfex_catalog *c)
{
	if (!c || --c->refcount > 0)
		return NULL;
	/* Objects still referenced hold the catalog: none is left here. */
	for (size_t i = 0; i < c->n_profiles; i++)
		vmfex_profile_free(c->profiles[i]);
	for (size_t i = 0; i < c->dead_profiles.n; i++)
		vmfex_profile_free(c->dead_profiles.v[i]);
	for (size_t i = 0; i < c->n_clusters; i++)
		free(c->clusters[i]);
	for (size_t i = 0; i < c->dead_clusters.n; i++)
		free(c->dead_clusters.v[i]);
	free(c->profiles);
	free(c->clusters);
	free(c->dead_profiles.v);
	free(c->dead_clusters.v);
	vmfex_catalog_unlock(c);
	free(c->path);
	vmfex_unref(c->ctx);
	free(c);
	return NULL;
}

_public_ struct vmfex_ctx *vmfex_catalog_get_ctx(const struct vmfex_catalog *c)
{
	return c->ctx;
}

_public_ const char *vmfex_catalog_get_path(const struct vmfex_catalog *c)
{
	return c->path;
}

_public_ void vmfex_catalog_unlock(struct vmfex_catalog *c)
{
	if (c && c->lock_fd >= 0) {
		close(c->lock_fd); /* releases the flock */
		c->lock_fd = -1;
	}
}

/* ---- clusters ---- */

/* Where name is, or would go, in a list of objects sorted by name; the
 * name is a char array at name_off in each. Loaders insert in order, so
 * the end is tried first. */
static size_t name_pos(void *const *items, size_t n, size_t name_off, const char *name,
                       bool *found)
{
	size_t lo = 0, hi = n;

	*found = false;
	if (hi && strcmp((const char *)items[hi - 1] + name_off, name) < 0)
		return hi;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int d = strcmp((const char *)items[mid] + name_off, name);

		if (d == 0) {
			*found = true;
			return mid;
		}
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static size_t cluster_pos(const struct vmfex_catalog *c, const char *name, bool *found)
{
	return name_pos((void *const *)c->clusters, c->n_clusters,
	                offsetof(struct vmfex_cluster, name), name, found);
}

struct vmfex_cluster *vmfex_catalog_find_cluster(const struct vmfex_catalog *c, const char *name)
{
	bool found;
	size_t pos;

	if (!name)
		return NULL;
	pos = cluster_pos(c, name, &found);
	return found ? c->clusters[pos] : NULL;
}

/* From prev by name: prev may have been deleted since (it is kept). */
_public_ struct vmfex_cluster *vmfex_catalog_next_cluster(struct vmfex_catalog *c,
                                                         struct vmfex_cluster *prev)
{
	bool found;
	size_t pos;

	if (!c)
		return NULL;
	if (!prev)
		return c->n_clusters ? c->clusters[0] : NULL;
	pos = cluster_pos(c, prev->name, &found);
	if (found)
		pos++;
	return pos < c->n_clusters ? c->clusters[pos] : NULL;
}

_public_ int vmfex_catalog_add_cluster(struct vmfex_catalog *c, const char *name,
                                      struct vmfex_cluster **out)
{
	char q[VMFEX_QUOTE_SIZE];
	struct vmfex_cluster *cl;
	int r;

	if (!c)
		return -EINVAL;
	if (vmfex_ucsm_name_check(name, 1, VMFEX_CLUSTER_NAME_MAX) < 0) {
		ERR(c->ctx, "cluster name %s: 1-%d characters of [-.:_a-zA-Z0-9] expected",
		    vmfex_quote(q, name), VMFEX_CLUSTER_NAME_MAX);
		return -EINVAL;
	}
	if (vmfex_catalog_find_cluster(c, name)) {
		ERR(c->ctx, "cluster '%s' exists already", name);
		return -EEXIST;
	}
	r = cluster_new(c, name, &cl);
	if (r < 0)
		return r;
	if (out)
		*out = vmfex_cluster_ref(cl);
	return 0;
}

_public_ int vmfex_catalog_lookup_cluster(struct vmfex_catalog *c, const char *name,
                                      struct vmfex_cluster **out)
{
	struct vmfex_cluster *cl;

	if (!c || !out)
		return -EINVAL;
	cl = vmfex_catalog_find_cluster(c, name);
	if (!cl)
		return -ENOENT;
	*out = vmfex_cluster_ref(cl);
	return 0;
}

_public_ int vmfex_catalog_del_cluster(struct vmfex_catalog *c, const char *name)
{
	char q[VMFEX_QUOTE_SIZE];
	struct vmfex_cluster *cl;
	bool found;
	size_t pos;

	if (!c || !name)
		return -EINVAL;
	pos = cluster_pos(c, name, &found);
	if (!found) {
		ERR(c->ctx, "no cluster %s", vmfex_quote(q, name));
		return -ENOENT;
	}
	cl = c->clusters[pos];
	if (strcmp(name, VMFEX_CLUSTER_DEFAULT) == 0) {
		ERR(c->ctx, "the default cluster cannot be deleted");
		return -EPERM;
	}
	for (size_t i = 0; i < c->n_profiles; i++) {
		struct vmfex_profile *p = c->profiles[i];

		for (size_t j = 0; j < p->n_clients; j++)
			if (strcmp(p->clients[j], name) == 0) {
				ERR(c->ctx, "cluster '%s' is a client of profile '%s'", name,
				    p->name);
				return -EBUSY;
			}
	}
	if (vmfex_kept_reserve(&c->dead_clusters, 1) < 0)
		return -ENOMEM;
	memmove(c->clusters + pos, c->clusters + pos + 1,
	        (c->n_clusters - pos - 1) * sizeof(*c->clusters));
	c->n_clusters--;
	cl->deleted = true;
	vmfex_kept_add(&c->dead_clusters, cl);
	return 0;
}

_public_ struct vmfex_cluster *vmfex_cluster_ref(struct vmfex_cluster *cl)
{
	if (cl && cl->refcount++ == 0)
		vmfex_catalog_ref(cl->catalog);
	return cl;
}

_public_ struct vmfex_cluster *vmfex_cluster_unref(struct vmfex_cluster *cl)
{
	struct vmfex_catalog *c;

	if (!cl || --cl->refcount > 0)
		return NULL;
	/* The catalog frees it, deleted or not. */
	c = cl->catalog;
	vmfex_catalog_unref(c);
	return NULL;
}

_public_ const char *vmfex_cluster_get_name(const struct vmfex_cluster *cl)
{
	return cl->name;
}

_public_ struct vmfex_ctx *vmfex_cluster_get_ctx(const struct vmfex_cluster *cl)
{
	return cl->catalog->ctx;
}

_public_ bool vmfex_cluster_is_default(const struct vmfex_cluster *cl)
{
	return strcmp(cl->name, VMFEX_CLUSTER_DEFAULT) == 0;
}

/* ---- the list of profiles ---- */

static size_t profile_pos(const struct vmfex_catalog *c, const char *name, bool *found)
{
	return name_pos((void *const *)c->profiles, c->n_profiles,
	                offsetof(struct vmfex_profile, name), name, found);
}

struct vmfex_profile *vmfex_catalog_find_profile(const struct vmfex_catalog *c, const char *name,
                                                 size_t *pos)
{
	bool found;
	size_t p;

	if (!name)
		return NULL;
	p = profile_pos(c, name, &found);
	if (pos)
		*pos = p;
	return found ? c->profiles[p] : NULL;
}

int vmfex_catalog_reserve(struct vmfex_catalog *c, size_t profiles, size_t clusters)
{
	if (vmfex_array_grow((void **)&c->profiles, &c->cap_profiles, c->n_profiles + profiles,
	         sizeof(*c->profiles)) < 0)
		return -ENOMEM;
	if (vmfex_array_grow((void **)&c->clusters, &c->cap_clusters, c->n_clusters + clusters,
	         sizeof(*c->clusters)) < 0)
		return -ENOMEM;
	/* Each profile may replace one, which is then kept. */
	return vmfex_kept_reserve(&c->dead_profiles, profiles);
}

int vmfex_catalog_insert_profile(struct vmfex_catalog *c, struct vmfex_profile *p)
{
	bool found;
	size_t pos;

	pos = profile_pos(c, p->name, &found);
	if (found)
		return -EEXIST;
	if (vmfex_catalog_reserve(c, 1, 0) < 0)
		return -ENOMEM;
	memmove(c->profiles + pos + 1, c->profiles + pos,
	        (c->n_profiles - pos) * sizeof(*c->profiles));
	c->profiles[pos] = p;
	c->n_profiles++;
	p->catalog = c;
	return 0;
}

/* Delete the profile at pos; a kept slot must be reserved. */
static void profile_delete(struct vmfex_catalog *c, size_t pos)
{
	struct vmfex_profile *p = c->profiles[pos];

	memmove(c->profiles + pos, c->profiles + pos + 1,
	        (c->n_profiles - pos - 1) * sizeof(*c->profiles));
	c->n_profiles--;
	p->deleted = true;
	vmfex_kept_add(&c->dead_profiles, p);
}

void vmfex_catalog_merge(struct vmfex_catalog *dst, struct vmfex_catalog *src)
{
	for (size_t i = 0; i < src->n_clusters; i++) {
		struct vmfex_cluster *cl;

		if (!vmfex_catalog_find_cluster(dst, src->clusters[i]->name))
			cluster_new(dst, src->clusters[i]->name, &cl); /* reserved */
	}
	for (size_t i = 0; i < src->n_profiles; i++) {
		struct vmfex_profile *p = src->profiles[i];
		size_t pos;

		if (vmfex_catalog_find_profile(dst, p->name, &pos))
			profile_delete(dst, pos);
		vmfex_catalog_insert_profile(dst, p); /* reserved */
	}
	src->n_profiles = 0;
}

/* From prev by name: prev may have been deleted since (it is kept). */
_public_ struct vmfex_profile *vmfex_catalog_next_profile(struct vmfex_catalog *c,
                                                         struct vmfex_profile *prev)
{
	bool found;
	size_t pos;

	if (!c)
		return NULL;
	if (!prev)
		return c->n_profiles ? c->profiles[0] : NULL;
	pos = profile_pos(c, prev->name, &found);
	if (found)
		pos++;
	return pos < c->n_profiles ? c->profiles[pos] : NULL;
}

_public_ size_t vmfex_catalog_get_n_profiles(const struct vmfex_catalog *c)
{
	return c ? c->n_profiles : 0;
}

_public_ int vmfex_catalog_add_profile(struct vmfex_catalog *c, const char *name,
                                      struct vmfex_profile **out)
{
	struct vmfex_profile *p;
	int r;

	if (!c)
		return -EINVAL;
	r = vmfex_profile_new(c->ctx, name, &p);
	if (r < 0)
		return r;
	vmfex_profile_new_uuid(p);
	r = vmfex_catalog_insert_profile(c, p);
	if (r < 0) {
		if (r == -EEXIST)
			ERR(c->ctx, "profile '%s' exists already", name);
		vmfex_profile_free(p);
		return r;
	}
	if (out)
		*out = vmfex_profile_ref(p);
	return 0;
}

_public_ int vmfex_catalog_lookup_profile(struct vmfex_catalog *c, const char *name,
                                      struct vmfex_profile **out)
{
	struct vmfex_profile *p;

	if (!c || !out)
		return -EINVAL;
	p = vmfex_catalog_find_profile(c, name, NULL);
	if (!p)
		return -ENOENT;
	*out = vmfex_profile_ref(p);
	return 0;
}

_public_ int vmfex_catalog_del_profile(struct vmfex_catalog *c, const char *name)
{
	char q[VMFEX_QUOTE_SIZE];
	size_t pos;

	if (!c || !name)
		return -EINVAL;
	if (!vmfex_catalog_find_profile(c, name, &pos)) {
		ERR(c->ctx, "no profile %s", vmfex_quote(q, name));
		return -ENOENT;
	}
	if (vmfex_kept_reserve(&c->dead_profiles, 1) < 0)
		return -ENOMEM;
	profile_delete(c, pos);
	return 0;
}
