/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcurl, loaded when a UCS Manager sync first needs it rather than at
 * every start of every program that links the library: it brings some
 * thirty shared objects (TLS, Kerberos, LDAP, SSH...) whose loading and
 * constructors would otherwise cost each process about 15 ms. */
#ifndef LIBVMFEX_UCSM_CURL_H
#define LIBVMFEX_UCSM_CURL_H

#include <curl/curl.h>

struct vmfex_ctx;

/* The calls the sync makes, resolved in the loaded libcurl. */
struct ucsm_curl {
	typeof(curl_easy_init) *easy_init;
	typeof(curl_easy_cleanup) *easy_cleanup;
	typeof(curl_easy_setopt) *easy_setopt;
	typeof(curl_easy_perform) *easy_perform;
	typeof(curl_easy_getinfo) *easy_getinfo;
	typeof(curl_easy_strerror) *easy_strerror;
	typeof(curl_slist_append) *slist_append;
	typeof(curl_slist_free_all) *slist_free_all;
};

/* Loads libcurl once per process (it stays loaded); -EOPNOTSUPP, logged
 * with the library's name and what to install, when it cannot be. */
int ucsm_curl_load(struct vmfex_ctx *ctx, const struct ucsm_curl **out);

#endif
