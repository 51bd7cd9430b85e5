/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* HTTPS POSTs to UCS Manager's XML API through libcurl (ucsm-http.h),
 * loaded at the first request (ucsm-curl.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/model-private.h"
#include "model/ucsm-curl.h"
#include "model/ucsm-http.h"

struct ucsm_http {
	struct vmfex_ctx *ctx;
	const struct ucsm_curl *cu;
	CURL *curl;
	char endpoint[300];
	char errbuf[CURL_ERROR_SIZE];
};

struct answer {
	struct vmfex_buf buf;
	bool too_big;
};

uint64_t ucsm_http_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* https://HOST[:PORT] with an optional trailing '/': a DNS name, an IPv4
 * address or a bracketed IPv6 address, a port 1-65535; no user, path,
 * query or fragment, so that nothing but the endpoint is ever asked. */
static int url_check(const char *url)
{
	const char *h, *p;
	unsigned long port = 0;

	if (!url || strncmp(url, "https://", 8) != 0)
		return -EINVAL;
	h = url + 8;
	if (*h == '[') {
		p = strchr(h, ']');
		if (!p || p == h + 1)
			return -EINVAL;
		for (const char *c = h + 1; c < p; c++)
			if (!strchr("0123456789abcdefABCDEF:.", *c))
				return -EINVAL;
		p++;
	} else {
		for (p = h; (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		            (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'; p++)
			;
		if (p == h)
			return -EINVAL;
	}
	if (*p == ':') {
		if (!p[1])
			return -EINVAL;
		for (p++; *p >= '0' && *p <= '9'; p++) {
			port = port * 10 + (unsigned long)(*p - '0');
			if (port > 65535)
				return -EINVAL;
		}
		if (port == 0)
			return -EINVAL;
	}
	if (*p == '/')
		p++;
	return *p ? -EINVAL : 0;
}

int ucsm_http_new(struct vmfex_ctx *ctx, const char *url, const char *ca_file, bool insecure,
                  struct ucsm_http **out)
{
	const struct ucsm_curl *cu;
	char q[VMFEX_QUOTE_SIZE];
	struct ucsm_http *h;
	size_t n;
	int r;

	if (url_check(url) < 0 || strlen(url) > 250) {
		ERR(ctx, "UCS Manager URL %s: https://HOST[:PORT] expected", vmfex_quote(q, url));
		return -EINVAL;
	}
	r = ucsm_curl_load(ctx, &cu);
	if (r < 0)
		return r;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->ctx = ctx;
	h->cu = cu;
	n = strlen(url);
	snprintf(h->endpoint, sizeof(h->endpoint), "%.*s/nuova", (int)(url[n - 1] == '/' ? n - 1 : n),
	         url);
	h->curl = cu->easy_init();
	if (!h->curl) {
		free(h);
		return -ENOMEM;
	}
	if (cu->easy_setopt(h->curl, CURLOPT_URL, h->endpoint) != CURLE_OK ||
	    cu->easy_setopt(h->curl, CURLOPT_PROTOCOLS_STR, "https") != CURLE_OK ||
	    cu->easy_setopt(h->curl, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK ||
	    cu->easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    cu->easy_setopt(h->curl, CURLOPT_ERRORBUFFER, h->errbuf) != CURLE_OK ||
	    cu->easy_setopt(h->curl, CURLOPT_SSL_VERIFYPEER, insecure ? 0L : 1L) != CURLE_OK ||
	    cu->easy_setopt(h->curl, CURLOPT_SSL_VERIFYHOST, insecure ? 0L : 2L) != CURLE_OK ||
	    (ca_file && cu->easy_setopt(h->curl, CURLOPT_CAINFO, ca_file) != CURLE_OK)) {
		ERR(ctx, "libcurl refused the options of a request to %s", h->endpoint);
		ucsm_http_free(h);
		return -ENOTSUP;
	}
	if (insecure)
		INFO(ctx, "%s: the server's certificate is not verified (insecure)", h->endpoint);
	*out = h;
	return 0;
}

void ucsm_http_free(struct ucsm_http *h)
{
	if (!h)
		return;
	h->cu->easy_cleanup(h->curl);
	free(h);
}

static size_t on_data(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct answer *a = userdata;
	size_t n = size * nmemb;

	if (n > VMFEX_XML_MAX_SIZE - a->buf.len) {
		a->too_big = true;
		return 0; /* stops the transfer */
	}
	if (vmfex_buf_append(&a->buf, data, n) < 0)
		return 0;
	return n;
}

static int curl_errno(CURLcode c)
{
	switch (c) {
	case CURLE_OPERATION_TIMEDOUT:
		return -ETIMEDOUT;
	case CURLE_COULDNT_RESOLVE_HOST:
		return -EHOSTUNREACH;
	case CURLE_COULDNT_CONNECT:
		return -ECONNREFUSED;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CONNECT_ERROR:
		return -EPERM;
	case CURLE_OUT_OF_MEMORY:
		return -ENOMEM;
	case CURLE_UNSUPPORTED_PROTOCOL:
		return -EPROTONOSUPPORT;
	default:
		return -EIO;
	}
}

int ucsm_http_post(struct ucsm_http *h, const char *what, const char *body, uint64_t deadline_ms,
                   char **resp, size_t *len)
{
	const struct ucsm_curl *cu = h->cu;
	struct curl_slist *hdr = NULL, *hdr2;
	struct answer a = { 0 };
	uint64_t now = ucsm_http_now_ms();
	long status = 0, left;
	CURLcode c;
	int r;

	if (now >= deadline_ms) {
		ERR(h->ctx, "%s: %s: the time allowed ran out", h->endpoint, what);
		return -ETIMEDOUT;
	}
	left = (long)(deadline_ms - now);
	hdr2 = cu->slist_append(hdr, "Content-Type: application/xml");
	if (!hdr2)
		return -ENOMEM;
	hdr = hdr2;
	h->errbuf[0] = '\0';
	if (cu->easy_setopt(h->curl, CURLOPT_HTTPHEADER, hdr) != CURLE_OK ||
	    cu->easy_setopt(h->curl, CURLOPT_POSTFIELDS, body) != CURLE_OK ||
	    cu->easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body)) != CURLE_OK ||
	    cu->easy_setopt(h->curl, CURLOPT_TIMEOUT_MS, left) != CURLE_OK ||
	    cu->easy_setopt(h->curl, CURLOPT_CONNECTTIMEOUT_MS, left) != CURLE_OK ||
	    cu->easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, on_data) != CURLE_OK ||
	    cu->easy_setopt(h->curl, CURLOPT_WRITEDATA, &a) != CURLE_OK) {
		r = -ENOTSUP;
		goto out;
	}
	c = cu->easy_perform(h->curl);
	/* The body is the caller's: no pointer to it stays behind. */
	cu->easy_setopt(h->curl, CURLOPT_POSTFIELDS, NULL);
	cu->easy_setopt(h->curl, CURLOPT_HTTPHEADER, NULL);
	if (a.too_big) {
		ERR(h->ctx, "%s: %s: the answer is larger than %zu bytes", h->endpoint, what,
		    VMFEX_XML_MAX_SIZE);
		r = -EFBIG;
		goto out;
	}
	if (c != CURLE_OK) {
		r = curl_errno(c);
		ERR(h->ctx, "%s: %s: %s%s", h->endpoint, what, h->errbuf[0] ? h->errbuf : cu->easy_strerror(c),
		    r == -ETIMEDOUT ? " (the time allowed ran out)" : "");
		goto out;
	}
	cu->easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200) {
		ERR(h->ctx, "%s: %s: HTTP status %ld", h->endpoint, what, status);
		r = -EPROTO;
		goto out;
	}
	if (!a.buf.data) {
		ERR(h->ctx, "%s: %s: an empty answer", h->endpoint, what);
		r = -EBADMSG;
		goto out;
	}
	*resp = (char *)a.buf.data;
	*len = a.buf.len;
	a.buf = (struct vmfex_buf){ 0 };
	r = 0;
out:
	vmfex_buf_free(&a.buf);
	cu->slist_free_all(hdr);
	return r;
}
