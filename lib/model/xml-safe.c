/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one way the library parses XML it did not write itself: libxml2
 * with no network, no DTD (a DOCTYPE stops the parse, so no entity is
 * ever declared, let alone expanded), a size limit checked before parsing
 * and a depth limit checked while parsing, and errors reported through
 * the context instead of libxml2's global handlers. A reader that needs
 * only part of a document gets a tree of only that part, the rest going
 * through the same checks on its way past. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "core/safe-file.h"
#include "model/model-private.h"

struct xml_guard {
	startElementNsSAX2Func start;
	endElementNsSAX2Func end;
	charactersSAXFunc characters;
	ignorableWhitespaceSAXFunc whitespace;
	unsigned int depth, max_depth;
	vmfex_xml_keep_fn keep;      /* which elements enter the tree, or NULL for all */
	unsigned int skip_from;      /* depth of the element being left out, or 0 */
	const char *stopped;         /* why the parse was stopped, or NULL */
};

static void guard_stop(xmlParserCtxtPtr ctxt, const char *why)
{
	struct xml_guard *g = ctxt->_private;

	if (!g->stopped)
		g->stopped = why;
	xmlStopParser(ctxt);
}

static void guard_internal_subset(void *data, const xmlChar *name, const xmlChar *ext,
                                  const xmlChar *sys)
{
	guard_stop(data, "a DOCTYPE (DTDs and entities are not accepted)");
}

static void guard_start(void *data, const xmlChar *localname, const xmlChar *prefix,
                        const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                        int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	xmlParserCtxtPtr ctxt = data;
	struct xml_guard *g = ctxt->_private;

	if (++g->depth > g->max_depth) {
		guard_stop(ctxt, "elements nested too deeply");
		return;
	}
	/* A subtree the caller has no use for is still parsed, and so held
	 * to every check above and to well-formedness, but never built. */
	if (g->skip_from)
		return;
	if (g->keep && !g->keep(g->depth, ctxt->node, (const char *)localname)) {
		g->skip_from = g->depth;
		return;
	}
	g->start(data, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes,
	         nb_defaulted, attributes);
}

static void guard_end(void *data, const xmlChar *localname, const xmlChar *prefix,
                      const xmlChar *uri)
{
	xmlParserCtxtPtr ctxt = data;
	struct xml_guard *g = ctxt->_private;

	if (g->skip_from) {
		if (g->depth-- == g->skip_from)
			g->skip_from = 0;
		return;
	}
	g->depth--;
	g->end(data, localname, prefix, uri);
}

static void guard_characters(void *data, const xmlChar *ch, int len)
{
	xmlParserCtxtPtr ctxt = data;
	struct xml_guard *g = ctxt->_private;

	if (!g->skip_from)
		g->characters(data, ch, len);
}

static void guard_whitespace(void *data, const xmlChar *ch, int len)
{
	xmlParserCtxtPtr ctxt = data;
	struct xml_guard *g = ctxt->_private;

	if (!g->skip_from)
		g->whitespace(data, ch, len);
}

static void guard_entity_decl(void *data, const xmlChar *name, int type, const xmlChar *pub,
                              const xmlChar *sys, xmlChar *content)
{
	guard_stop(data, "an entity declaration");
}

int vmfex_xml_parse(struct vmfex_ctx *ctx, const char *what, const char *buf, size_t len,
                    unsigned int max_depth, xmlDoc **out)
{
	return vmfex_xml_parse_kept(ctx, what, buf, len, max_depth, NULL, out);
}

int vmfex_xml_parse_kept(struct vmfex_ctx *ctx, const char *what, const char *buf, size_t len,
                         unsigned int max_depth, vmfex_xml_keep_fn keep, xmlDoc **out)
{
	struct xml_guard g = { .max_depth = max_depth ? max_depth : VMFEX_XML_MAX_DEPTH,
	                       .keep = keep };
	struct vmfex_xml_errors errors;
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;
	int r = 0;

	if (len > VMFEX_XML_MAX_SIZE) {
		ERR(ctx, "%s: %zu bytes, more than the limit of %zu", what, len,
		    VMFEX_XML_MAX_SIZE);
		return -EFBIG;
	}
	if (len == 0) {
		ERR(ctx, "%s: empty document", what);
		return -EINVAL;
	}
	vmfex_xml_errors_begin(&errors, ctx, what);
	ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		vmfex_xml_errors_end(&errors);
		return -ENOMEM;
	}
	g.start = ctxt->sax->startElementNs;
	g.end = ctxt->sax->endElementNs;
	ctxt->sax->startElementNs = guard_start;
	ctxt->sax->endElementNs = guard_end;
	if (keep) {
		g.characters = ctxt->sax->characters;
		g.whitespace = ctxt->sax->ignorableWhitespace;
		ctxt->sax->characters = guard_characters;
		ctxt->sax->ignorableWhitespace = guard_whitespace;
	}
	ctxt->sax->internalSubset = guard_internal_subset;
	ctxt->sax->externalSubset = guard_internal_subset;
	ctxt->sax->entityDecl = guard_entity_decl;
	ctxt->sax->resolveEntity = NULL;
	ctxt->_private = &g;
	/* Never XML_PARSE_NOENT, XML_PARSE_DTDLOAD, XML_PARSE_DTDATTR,
	 * XML_PARSE_XINCLUDE or XML_PARSE_HUGE. */
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, NULL, NULL,
	                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	                        XML_PARSE_NOBLANKS | XML_PARSE_NOCDATA);
	if (g.stopped) {
		ERR(ctx, "%s:%d: %s", what, xmlSAX2GetLineNumber(ctxt), g.stopped);
		r = -EINVAL;
	} else if (!doc || !ctxt->wellFormed) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);
		char msg[256] = "not well-formed";

		if (e && e->message) {
			size_t n;

			snprintf(msg, sizeof(msg), "%s", e->message);
			n = strlen(msg);
			while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
				msg[--n] = '\0';
		}
		if (e && e->code == XML_ERR_NO_MEMORY)
			r = -ENOMEM;
		else
			r = -EINVAL;
		ERR(ctx, "%s:%d: %s", what, e ? e->line : 0, msg);
	}
	xmlFreeParserCtxt(ctxt);
	vmfex_xml_errors_end(&errors);
	if (r < 0) {
		xmlFreeDoc(doc);
		return r;
	}
	*out = doc;
	return 0;
}

/* A whole file, refused before reading when it is over the size limit
 * or not a regular file (a FIFO would block the reader). */
int vmfex_xml_read_file(struct vmfex_ctx *ctx, const char *path, char **out, size_t *out_len)
{
	int r = vmfex_safe_read_all(ctx, path, O_RDONLY, VMFEX_XML_MAX_SIZE, out, out_len);

	if (r == -ENOENT)
		ERR(ctx, "%s: %s", path, strerror(-r));
	return r;
}

/* An attribute's value, borrowed from the tree ("" for one that is not a
 * single text node, NULL for none). */
const char *vmfex_xml_prop(xmlNodePtr n, const char *name)
{
	for (xmlAttrPtr a = n->properties; a; a = a->next)
		if (!a->ns && strcmp((const char *)a->name, name) == 0)
			return a->children && a->children->type == XML_TEXT_NODE
			       ? (const char *)a->children->content : "";
	return NULL;
}

bool vmfex_xml_is(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}
