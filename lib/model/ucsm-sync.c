/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Live sync of port profiles from UCS Manager's XML API: aaaLogin,
 * configResolveClass of vnicProfile (hierarchical) and of fabricVlan,
 * the importer on both answers, aaaLogout whenever a login succeeded. A
 * session that expires in between (552) is refreshed, or opened again.
 * The password and the cookie live only in request bodies, which are
 * never logged, and are wiped when done. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/entities.h>

#include "model/model-private.h"
#include "model/ucsm-http.h"

#define UCSM_PASSWORD_MAX 4096
#define UCSM_COOKIE_MAX 256
#define UCSM_TIMEOUT_DEFAULT 60

/* UCS Manager's error codes that mean the session is gone or refused. */
#define UCSM_ERR_AUTH 551
#define UCSM_ERR_COOKIE_EXPIRED 552
#define UCSM_ERR_AUTHZ 572

struct sync {
	struct vmfex_ctx *ctx;
	struct ucsm_http *http;
	const char *user;
	char password[UCSM_PASSWORD_MAX + 1];
	char cookie[UCSM_COOKIE_MAX + 1];
	uint64_t deadline;
};

static int read_password(struct vmfex_ctx *ctx, const char *path, char *buf)
{
	char q[VMFEX_QUOTE_SIZE];
	ssize_t n;
	size_t len = 0;
	int fd, r = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		r = -errno;
		ERR(ctx, "password file %s: %s", vmfex_quote(q, path), strerror(-r));
		return r;
	}
	/* One byte more than allowed tells a password that is too long. */
	while (len <= UCSM_PASSWORD_MAX && (n = read(fd, buf + len, UCSM_PASSWORD_MAX + 1 - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			ERR(ctx, "password file %s: %s", vmfex_quote(q, path), strerror(-r));
			goto out;
		}
		len += (size_t)n;
	}
	if (len > UCSM_PASSWORD_MAX) {
		ERR(ctx, "password file %s: longer than %d bytes", vmfex_quote(q, path),
		    UCSM_PASSWORD_MAX);
		r = -EFBIG;
		goto out;
	}
	if (len && buf[len - 1] == '\n')
		len--;
	if (len && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	if (!len || strlen(buf) != len) {
		ERR(ctx, "password file %s: %s", vmfex_quote(q, path),
		    len ? "a NUL byte in the password" : "empty");
		r = -EINVAL;
	}
out:
	close(fd);
	return r;
}

/* One attribute value, escaped by libxml2, appended to a request. */
static int append_attr(char *buf, size_t size, const char *name, const char *value)
{
	xmlChar *e = xmlEncodeSpecialChars(NULL, (const xmlChar *)value);
	size_t used = strlen(buf);
	int n;

	if (!e)
		return -ENOMEM;
	n = snprintf(buf + used, size - used, " %s=\"%s\"", name, (const char *)e);
	explicit_bzero(e, strlen((const char *)e));
	xmlFree(e);
	return n < 0 || (size_t)n >= size - used ? -E2BIG : 0;
}

int vmfex_ucsm_answer_parse(struct vmfex_ctx *ctx, const char *method, const char *buf, size_t len,
                            xmlDoc **doc, unsigned long *code)
{
	char what[64];
	xmlNodePtr root;
	int r;

	*doc = NULL;
	*code = 0;
	snprintf(what, sizeof(what), "UCS Manager's answer to %s", method);
	r = vmfex_xml_parse(ctx, what, buf, len, UCSM_MAX_DEPTH, doc);
	if (r < 0)
		return r;
	root = xmlDocGetRootElement(*doc);
	if (!vmfex_xml_is(root, method)) {
		ERR(ctx, "%s is a %s element", what, root ? (const char *)root->name : "missing");
		r = -EBADMSG;
	} else if (vmfex_ucsm_response_error(ctx, *doc, code) < 0) {
		r = *code == UCSM_ERR_AUTH || *code == UCSM_ERR_AUTHZ ? -EACCES : -EREMOTEIO;
	}
	if (r < 0) {
		xmlFreeDoc(*doc);
		*doc = NULL;
	}
	return r;
}

const char *vmfex_ucsm_answer_cookie(xmlDoc *doc)
{
	const char *c = vmfex_xml_prop(xmlDocGetRootElement(doc), "outCookie");

	return c && *c && strlen(c) <= UCSM_COOKIE_MAX ? c : NULL;
}

/* Ask method with the attributes (name, value pairs, NULL-ended); the
 * answer parsed, checked to be method's, its errorCode in *code. */
static int ask(struct sync *s, const char *method, xmlDocPtr *doc, unsigned long *code, ...)
{
	char body[3 * UCSM_PASSWORD_MAX + 1024];
	const char *name;
	size_t len = 0;
	char *resp = NULL;
	va_list ap;
	int r = 0;

	*doc = NULL;
	*code = 0;
	snprintf(body, sizeof(body), "<%s", method);
	va_start(ap, code);
	while (r == 0 && (name = va_arg(ap, const char *)))
		r = append_attr(body, sizeof(body), name, va_arg(ap, const char *));
	va_end(ap);
	if (r == 0 && strlen(body) + 3 >= sizeof(body))
		r = -E2BIG;
	if (r < 0)
		goto out;
	strcat(body, "/>");
	r = ucsm_http_post(s->http, method, body, s->deadline, &resp, &len);
	if (r < 0)
		goto out;
	r = vmfex_ucsm_answer_parse(s->ctx, method, resp, len, doc, code);
out:
	explicit_bzero(body, sizeof(body));
	if (resp)
		explicit_bzero(resp, len);
	free(resp);
	return r;
}

/* The session cookie of an aaaLogin or aaaRefresh answer. */
static int take_cookie(struct sync *s, xmlDocPtr doc, const char *method)
{
	const char *c = vmfex_ucsm_answer_cookie(doc);

	if (!c) {
		ERR(s->ctx, "UCS Manager's answer to %s has no session cookie", method);
		return -EBADMSG;
	}
	strcpy(s->cookie, c);
	return 0;
}

static int login(struct sync *s)
{
	char q[VMFEX_QUOTE_SIZE];
	unsigned long code;
	xmlDocPtr doc;
	int r;

	r = ask(s, "aaaLogin", &doc, &code, "inName", s->user, "inPassword", s->password, NULL);
	if (r == -EACCES)
		ERR(s->ctx, "UCS Manager refused the login of user %s", vmfex_quote(q, s->user));
	if (r < 0)
		return r;
	r = take_cookie(s, doc, "aaaLogin");
	xmlFreeDoc(doc);
	return r;
}

/* A new cookie for an expired one: aaaRefresh, else a new login. */
static int refresh(struct sync *s)
{
	unsigned long code;
	xmlDocPtr doc;
	int r;

	INFO(s->ctx, "the UCS Manager session expired: refreshing it");
	r = ask(s, "aaaRefresh", &doc, &code, "inName", s->user, "inPassword", s->password,
	        "inCookie", s->cookie, NULL);
	if (r == 0) {
		r = take_cookie(s, doc, "aaaRefresh");
		xmlFreeDoc(doc);
		return r;
	}
	if (r != -EREMOTEIO && r != -EACCES)
		return r;
	return login(s);
}

static void logout(struct sync *s)
{
	unsigned long code;
	xmlDocPtr doc;

	/* Even when the time ran out: a session left open holds one of UCS
	 * Manager's few session slots until it expires. */
	if (s->deadline < ucsm_http_now_ms() + 1000)
		s->deadline = ucsm_http_now_ms() + 1000;
	if (ask(s, "aaaLogout", &doc, &code, "inCookie", s->cookie, NULL) == 0)
		xmlFreeDoc(doc);
	else
		ERR(s->ctx, "the UCS Manager session could not be closed; it ends when it expires");
}

static int resolve_class(struct sync *s, const char *class_id, bool hierarchical, xmlDocPtr *doc)
{
	unsigned long code;
	int r;

	for (int tries = 0;; tries++) {
		r = ask(s, "configResolveClass", doc, &code, "cookie", s->cookie, "classId", class_id,
		        "inHierarchical", hierarchical ? "true" : "false", NULL);
		if (r != -EREMOTEIO || code != UCSM_ERR_COOKIE_EXPIRED || tries > 0)
			return r;
		r = refresh(s);
		if (r < 0)
			return r;
	}
}

static int sync_opts(struct vmfex_ctx *ctx, const struct vmfex_ucsm_sync_opts *opts,
                     struct vmfex_ucsm_sync_opts *o)
{
	if (!opts || opts->sz < sizeof(size_t))
		return -EINVAL;
	memset(o, 0, sizeof(*o));
	memcpy(o, opts, opts->sz < sizeof(*o) ? opts->sz : sizeof(*o));
	if (!o->url || !o->user || !*o->user || (!o->password && !o->password_file)) {
		ERR(ctx, "UCS Manager sync: a URL, a user and a password (or password file) are needed");
		return -EINVAL;
	}
	if (o->insecure && o->ca_file) {
		ERR(ctx, "UCS Manager sync: a CA file and insecure exclude each other");
		return -EINVAL;
	}
	return 0;
}

_public_ int vmfex_catalog_sync_ucsm(struct vmfex_catalog *c, const struct vmfex_ucsm_sync_opts *opts)
{
	struct vmfex_ucsm_sync_opts o;
	xmlDocPtr docs[2] = { NULL, NULL };
	struct sync *s;
	int r;

	if (!c)
		return -EINVAL;
	r = sync_opts(c->ctx, opts, &o);
	if (r < 0)
		return r;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->ctx = c->ctx;
	s->user = o.user;
	s->deadline = ucsm_http_now_ms() + 1000ull * (o.timeout ? o.timeout : UCSM_TIMEOUT_DEFAULT);
	if (o.password) {
		if (strlen(o.password) > UCSM_PASSWORD_MAX) {
			ERR(c->ctx, "UCS Manager sync: the password is longer than %d bytes",
			    UCSM_PASSWORD_MAX);
			r = -EINVAL;
			goto out;
		}
		strcpy(s->password, o.password);
	} else {
		r = read_password(c->ctx, o.password_file, s->password);
		if (r < 0)
			goto out;
	}
	r = ucsm_http_new(c->ctx, o.url, o.ca_file, o.insecure, &s->http);
	if (r < 0)
		goto out;
	r = login(s);
	if (r < 0)
		goto out;
	r = resolve_class(s, "vnicProfile", true, &docs[0]);
	if (r == 0)
		r = resolve_class(s, "fabricVlan", false, &docs[1]);
	logout(s);
	if (r == 0)
		r = vmfex_ucsm_import_docs(c, docs, 2);
out:
	xmlFreeDoc(docs[0]);
	xmlFreeDoc(docs[1]);
	ucsm_http_free(s->http);
	explicit_bzero(s, sizeof(*s));
	free(s);
	return r;
}
