/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Port profile clients as UCS Manager has them (vmVnicProfCl): dcName,
 * orgPath and swName are POSIX extended regular expressions, kept
 * verbatim; a cluster is a client of the profile when a client's swName
 * matches the cluster's name anywhere (regexec's own rule: unanchored
 * unless the pattern anchors itself). "All" and "" match every cluster. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/model-private.h"

static bool matches_all(const char *sw)
{
	return !*sw || strcmp(sw, "All") == 0;
}

/* A pattern of UCS Manager's syntax that regcomp() accepts; re is
 * compiled (and must be freed) only when wanted and 0 is returned. */
static int pattern_compile(struct vmfex_ctx *ctx, const char *what, const char *attr,
                           const char *s, regex_t *re)
{
	char q[VMFEX_QUOTE_SIZE], msg[128];
	regex_t tmp;
	int r;

	if (vmfex_ucsm_pattern_check(s) < 0) {
		ERR(ctx, "%s: %s %s: at most %d characters of letters, digits, space and "
		    "!#$%%()*+,-./:;?@[\\]^_{|}~ expected", what, attr, vmfex_quote(q, s),
		    VMFEX_UCSM_PATTERN_MAX);
		return -EINVAL;
	}
	r = regcomp(re ? re : &tmp, s, REG_EXTENDED | REG_NOSUB);
	if (r != 0) {
		regerror(r, re ? re : &tmp, msg, sizeof(msg));
		ERR(ctx, "%s: %s %s is no regular expression: %s", what, attr, vmfex_quote(q, s), msg);
		return r == REG_ESPACE ? -ENOMEM : -EINVAL;
	}
	if (!re)
		regfree(&tmp);
	return 0;
}

int vmfex_ucsm_client_new(struct vmfex_ctx *ctx, const char *what, const char *name,
                          const char *dc_name, const char *org_path, const char *sw_name,
                          struct vmfex_ucsm_client **out)
{
	struct vmfex_ucsm_client *cl;
	char q[VMFEX_QUOTE_SIZE];
	int r;

	dc_name = dc_name ? dc_name : "";
	org_path = org_path ? org_path : "";
	sw_name = sw_name ? sw_name : "";
	if (vmfex_ucsm_name_check(name, 1, VMFEX_CLUSTER_NAME_MAX) < 0) {
		ERR(ctx, "%s: name %s: 1-%d characters of [-.:_a-zA-Z0-9] expected", what,
		    vmfex_quote(q, name), VMFEX_CLUSTER_NAME_MAX);
		return -EINVAL;
	}
	if ((r = pattern_compile(ctx, what, "dcName", dc_name, NULL)) < 0 ||
	    (r = pattern_compile(ctx, what, "orgPath", org_path, NULL)) < 0)
		return r;
	cl = calloc(1, sizeof(*cl));
	if (!cl)
		return -ENOMEM;
	strcpy(cl->name, name);
	cl->any = matches_all(sw_name);
	if (!cl->any) {
		r = pattern_compile(ctx, what, "swName", sw_name, &cl->sw_re);
		if (r < 0) {
			free(cl);
			return r;
		}
	}
	cl->dc_name = strdup(dc_name);
	cl->org_path = strdup(org_path);
	cl->sw_name = strdup(sw_name);
	if (!cl->dc_name || !cl->org_path || !cl->sw_name) {
		vmfex_ucsm_client_free(cl);
		return -ENOMEM;
	}
	*out = cl;
	return 0;
}

void vmfex_ucsm_client_free(struct vmfex_ucsm_client *cl)
{
	if (!cl)
		return;
	if (!cl->any)
		regfree(&cl->sw_re);
	free(cl->dc_name);
	free(cl->org_path);
	free(cl->sw_name);
	free(cl);
}

int vmfex_profile_add_ucsm_client(struct vmfex_profile *p, struct vmfex_ucsm_client *cl)
{
	size_t pos;

	for (pos = 0; pos < p->n_ucsm_clients; pos++) {
		int d = strcmp(p->ucsm_clients[pos]->name, cl->name);

		if (d == 0)
			return -EEXIST;
		if (d > 0)
			break;
	}
	if (p->n_ucsm_clients == p->cap_ucsm_clients) {
		size_t n = p->cap_ucsm_clients ? 2 * p->cap_ucsm_clients : 2;
		struct vmfex_ucsm_client **a = realloc(p->ucsm_clients, n * sizeof(*a));

		if (!a)
			return -ENOMEM;
		p->ucsm_clients = a;
		p->cap_ucsm_clients = n;
	}
	memmove(p->ucsm_clients + pos + 1, p->ucsm_clients + pos,
	        (p->n_ucsm_clients - pos) * sizeof(*p->ucsm_clients));
	p->ucsm_clients[pos] = cl;
	p->n_ucsm_clients++;
	return 0;
}

bool vmfex_profile_serves_cluster(const struct vmfex_profile *p, const char *cluster)
{
	for (size_t i = 0; i < p->n_clients; i++)
		if (strcmp(p->clients[i], cluster) == 0)
			return true;
	for (size_t i = 0; i < p->n_ucsm_clients; i++) {
		const struct vmfex_ucsm_client *cl = p->ucsm_clients[i];

		if (cl->any || regexec(&cl->sw_re, cluster, 0, NULL, 0) == 0)
			return true;
	}
	return false;
}

_public_ const struct vmfex_ucsm_client *vmfex_profile_next_ucsm_client(
        const struct vmfex_profile *p, const struct vmfex_ucsm_client *prev)
{
	size_t i = 0;

	if (!p)
		return NULL;
	/* By name: prev may have been deleted since (it is kept). */
	if (prev)
		while (i < p->n_ucsm_clients && strcmp(p->ucsm_clients[i]->name, prev->name) <= 0)
			i++;
	return i < p->n_ucsm_clients ? p->ucsm_clients[i] : NULL;
}

_public_ const char *vmfex_ucsm_client_get_name(const struct vmfex_ucsm_client *cl)
{
	return cl->name;
}

_public_ const char *vmfex_ucsm_client_get_dc_name(const struct vmfex_ucsm_client *cl)
{
	return cl->dc_name;
}

_public_ const char *vmfex_ucsm_client_get_org_path(const struct vmfex_ucsm_client *cl)
{
	return cl->org_path;
}

_public_ const char *vmfex_ucsm_client_get_sw_name(const struct vmfex_ucsm_client *cl)
{
	return cl->sw_name;
}
