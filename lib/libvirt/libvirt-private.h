/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internal declarations of the libvirt XML layer. */
#ifndef LIBVMFEX_LIBVIRT_PRIVATE_H
#define LIBVMFEX_LIBVIRT_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>
#include <libxml/xmlwriter.h>

#include "libvmfex-private.h"
#include "model/model-private.h"
#include <libvmfex/libvirt.h>

/* checks.c: libvirt's rules and the ones it forgets; 0 or -EINVAL, logged
 * with what names the value. */
int vmfex_xml_check_profileid(struct vmfex_ctx *ctx, const char *what, const char *id);
int vmfex_xml_check_mac(struct vmfex_ctx *ctx, const char *what, const char *mac,
                        char out[VMFEX_MAC_STRLEN]);
int vmfex_xml_check_name(struct vmfex_ctx *ctx, const char *what, const char *name);
/* A random locally administered unicast MAC. */
int vmfex_xml_random_mac(char out[VMFEX_MAC_STRLEN]);

/* xml-write.c: a writer into memory, indented by two spaces. Every call
 * after a failure is a no-op; finish returns the first error. */
struct vmfex_xml_writer {
	xmlBufferPtr buf;
	xmlTextWriterPtr w;
	int err;
	struct vmfex_xml_errors errors; /* libxml2's, to the log until free */
};

int vmfex_xml_writer_init(struct vmfex_xml_writer *x, struct vmfex_ctx *ctx, const char *what);
void vmfex_xml_start(struct vmfex_xml_writer *x, const char *name);
void vmfex_xml_attr(struct vmfex_xml_writer *x, const char *name, const char *value);
void vmfex_xml_end(struct vmfex_xml_writer *x);
/* <name attr='value'/> */
void vmfex_xml_empty(struct vmfex_xml_writer *x, const char *name, const char *attr,
                     const char *value);
void vmfex_xml_text_element(struct vmfex_xml_writer *x, const char *name, const char *text);
void vmfex_xml_pci_address(struct vmfex_xml_writer *x, const struct vmfex_pci_addr *a);
void vmfex_xml_virtualport(struct vmfex_xml_writer *x, const char *type, const char *profileid);
int vmfex_xml_writer_finish(struct vmfex_xml_writer *x, char **out);
void vmfex_xml_writer_free(struct vmfex_xml_writer *x);

/* Parsing goes through model/xml-safe.c's vmfex_xml_parse(), the one
 * hardened libxml2 set-up of the library. */
#define VMFEX_LIBVIRT_XML_MAX_DEPTH 64

/* xml-get.c: reading helpers on a parsed tree */
xmlNode *vmfex_xml_child(xmlNode *n, const char *name);
xmlNode *vmfex_xml_next(xmlNode *n, const char *name);
/* The attribute's value, malloc'd, or NULL (also on ENOMEM: check *err). */
char *vmfex_xml_get_attr(xmlNode *n, const char *name, int *err);
int vmfex_xml_parse_pci(xmlNode *address, struct vmfex_pci_addr *a);

/* network-parse.c */
int vmfex_xml_check_vport_type(struct vmfex_ctx *ctx, const char *what, const char *type);
int vmfex_xml_read_virtualport(struct vmfex_ctx *ctx, const char *what, xmlNode *vp,
                               char **type, char **profileid);
struct vmfex_xml_portgroup {
	char *name;
	bool is_default;
	char *vport_type;            /* NULL: the network's */
	char *profileid;             /* NULL: the network's */
};

struct vmfex_xml_network {
	int refcount;
	struct vmfex_ctx *ctx;
	char *name;
	char *forward_mode;
	char *vport_type;
	char *profileid;
	struct vmfex_xml_portgroup *pgs;
	size_t n_pgs;
	int default_pg;              /* -1: none */
};

const struct vmfex_xml_portgroup *vmfex_xml_network_find_portgroup(
	const struct vmfex_xml_network *net, const char *name);

/* domain-parse.c */
struct vmfex_xml_iface {
	unsigned int pos;            /* 1-based, for messages */
	char *type, *source_dev, *source_mode, *network, *portgroup;
	bool has_pci;
	char pci[VMFEX_PCI_ADDR_LEN];
	char *mac, *model, *vport_type, *profileid;
	/* filled by vmfex_xml_domain_add_network() */
	bool resolved;
	char *net_mode, *net_vport_type, *net_profileid;
	struct vmfex_xml_domain *dom;
};

struct vmfex_xml_domain {
	int refcount;
	struct vmfex_ctx *ctx;
	char *name;
	struct vmfex_xml_iface *ifaces;
	size_t n_ifaces;
	char *hostdev;               /* the first PCI <hostdev> device, if any */
	bool can_migrate;
	char reason[256];
};

#endif
