/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcurl loaded at the first UCS Manager sync (ucsm-curl.h). */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "libvmfex-private.h"
#include "model/ucsm-curl.h"

/* A build may name another file, which a test uses to check the error of
 * a system without libcurl. */
#ifndef VMFEX_LIBCURL_SONAME
#define VMFEX_LIBCURL_SONAME "libcurl.so.4"
#endif

static pthread_mutex_t curl_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ucsm_curl curl_calls;
static bool curl_loaded;

static const struct {
	const char *name;
	size_t offset;
} curl_symbols[] = {
	{ "curl_easy_init", offsetof(struct ucsm_curl, easy_init) },
	{ "curl_easy_cleanup", offsetof(struct ucsm_curl, easy_cleanup) },
	{ "curl_easy_setopt", offsetof(struct ucsm_curl, easy_setopt) },
	{ "curl_easy_perform", offsetof(struct ucsm_curl, easy_perform) },
	{ "curl_easy_getinfo", offsetof(struct ucsm_curl, easy_getinfo) },
	{ "curl_easy_strerror", offsetof(struct ucsm_curl, easy_strerror) },
	{ "curl_slist_append", offsetof(struct ucsm_curl, slist_append) },
	{ "curl_slist_free_all", offsetof(struct ucsm_curl, slist_free_all) },
};

static int curl_open(struct vmfex_ctx *ctx)
{
	struct ucsm_curl calls;
	void *dl;

	dl = dlopen(VMFEX_LIBCURL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!dl) {
		ERR(ctx, "%s cannot be loaded (%s): the UCS Manager sync needs libcurl; "
		    "install it (Debian and Ubuntu: libcurl4, Fedora: libcurl)",
		    VMFEX_LIBCURL_SONAME, dlerror());
		return -EOPNOTSUPP;
	}
	for (size_t i = 0; i < ARRAY_SIZE(curl_symbols); i++) {
		void *sym = dlsym(dl, curl_symbols[i].name);

		if (!sym) {
			ERR(ctx, "%s has no %s: the UCS Manager sync needs a libcurl 7.85 or later",
			    VMFEX_LIBCURL_SONAME, curl_symbols[i].name);
			dlclose(dl);
			return -EOPNOTSUPP;
		}
		memcpy((char *)&calls + curl_symbols[i].offset, &sym, sizeof(sym));
	}
	/* Never closed: libcurl keeps global state (its TLS library's) that
	 * would not survive being unloaded and loaded again. */
	curl_calls = calls;
	curl_loaded = true;
	return 0;
}

int ucsm_curl_load(struct vmfex_ctx *ctx, const struct ucsm_curl **out)
{
	int r = 0;

	pthread_mutex_lock(&curl_lock);
	if (!curl_loaded)
		r = curl_open(ctx);
	pthread_mutex_unlock(&curl_lock);
	if (r < 0)
		return r;
	*out = &curl_calls;
	return 0;
}
