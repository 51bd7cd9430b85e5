/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers of the libvirt XML tests: a simulated host with a catalog,
 * files in a temporary directory, libxml2 counts of what a document
 * holds, and libvirt's own tools when they are installed. */
#ifndef LIBVIRT_TEST_H
#define LIBVIRT_TEST_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "../sim/sim-fixture.h"

/* A catalog of three profiles: two MacVTap (none), one hostdev. */
static inline struct vmfex_catalog *test_catalog(struct vmfex_ctx *ctx)
{
	static const char *const names[] = { "pp-vlan-25", "pp-vlan-26", "OS-PP-100" };
	struct vmfex_catalog *cat;

	if (vmfex_catalog_new(ctx, &cat) < 0)
		return NULL;
	for (size_t i = 0; i < 3; i++) {
		struct vmfex_profile *p;

		if (vmfex_catalog_add_profile(cat, names[i], &p) < 0)
			return NULL;
		if (i == 2)
			vmfex_profile_set_host_nw_io_perf(p, VMFEX_HOST_NW_IO_PERF_HIGH_PERF_REQD);
		vmfex_profile_unref(p);
	}
	return cat;
}

static inline int write_file(const char *path, const char *a, const char *b, const char *c)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	if (a)
		fputs(a, f);
	if (b)
		fputs(b, f);
	if (c)
		fputs(c, f);
	return fclose(f) == 0 ? 0 : -errno;
}

/* The output of a shell command (its arguments are our own temporary
 * paths and fixed words), or NULL when it fails. */
static inline char *run_capture(const char *cmd, int *status)
{
	FILE *p = popen(cmd, "r");
	size_t cap = 65536, n = 0;
	char *buf;

	*status = -1;
	if (!p)
		return NULL;
	buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n - 1, p);

		n += got;
		if (got == 0)
			break;
		if (n + 1 == cap) {
			char *nb = realloc(buf, cap *= 2);

			if (!nb) {
				free(buf);
				buf = NULL;
			}
			buf = nb;
		}
	}
	*status = pclose(p);
	if (buf)
		buf[n] = '\0';
	return buf;
}

static inline void count_nodes(xmlNode *n, unsigned int *elements, unsigned int *attrs)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		(*elements)++;
		for (xmlAttr *a = n->properties; a; a = a->next)
			(*attrs)++;
		count_nodes(n->children, elements, attrs);
	}
}

/* Elements and attributes of a document; -1 when it is not well-formed. */
static inline int count_document(const char *xml, unsigned int *elements, unsigned int *attrs)
{
	xmlDoc *doc = xmlReadMemory(xml, (int)strlen(xml), NULL, NULL,
	                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);

	*elements = *attrs = 0;
	if (!doc)
		return -1;
	count_nodes(xmlDocGetRootElement(doc), elements, attrs);
	xmlFreeDoc(doc);
	return 0;
}

static inline int have_program(const char *name)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", name);
	return system(cmd) == 0;
}

#endif
