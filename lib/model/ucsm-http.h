/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* HTTPS POSTs to UCS Manager's XML API endpoint (URL/nuova) through
 * libcurl: certificates verified unless told otherwise, HTTPS only, no
 * redirects, every request bounded by one deadline, answers capped in
 * size. Request bodies are never logged (they hold the password or the
 * cookie). */
#ifndef LIBVMFEX_UCSM_HTTP_H
#define LIBVMFEX_UCSM_HTTP_H

#include <stddef.h>
#include <stdint.h>

struct vmfex_ctx;
struct ucsm_http;

/* url: https://HOST[:PORT], checked; ca_file NULL: the system's CAs. */
int ucsm_http_new(struct vmfex_ctx *ctx, const char *url, const char *ca_file, bool insecure,
                  struct ucsm_http **out);
void ucsm_http_free(struct ucsm_http *h);
/* Milliseconds on the monotonic clock. */
uint64_t ucsm_http_now_ms(void);
/* POST body; the answer (NUL-terminated) in *resp, to free. what names
 * the request in logs. Ends by deadline_ms (ucsm_http_now_ms() clock). */
int ucsm_http_post(struct ucsm_http *h, const char *what, const char *body, uint64_t deadline_ms,
                   char **resp, size_t *len);

#endif
