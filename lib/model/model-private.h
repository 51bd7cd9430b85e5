/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internal declarations of the UCS Manager model: catalog, clusters,
 * profiles, the catalog file and the UCS Manager importer. */
#ifndef LIBVMFEX_MODEL_PRIVATE_H
#define LIBVMFEX_MODEL_PRIVATE_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <libxml/tree.h>

#include "libvmfex-private.h"
#include <libvmfex/catalog.h>

struct vmfex_vlan {
	char name[VMFEX_VLAN_NAME_MAX + 1];
	unsigned int id;             /* 0: unknown */
	bool native;
};

typedef char vmfex_client_name[VMFEX_CLUSTER_NAME_MAX + 1];

/* A client as UCS Manager has it (vmVnicProfCl), its patterns verbatim. */
#define VMFEX_UCSM_PATTERN_MAX 256
struct vmfex_ucsm_client {
	char name[VMFEX_CLUSTER_NAME_MAX + 1];
	char *dc_name, *org_path, *sw_name;
	bool any;                    /* swName "" or "All": every cluster */
	regex_t sw_re;               /* swName compiled, unless any */
};

/* Objects deleted while a walk may stand on them: kept, unlisted, until
 * their owner is freed, so a loop variable stays readable and the walk
 * goes on from it by name. */
struct vmfex_kept {
	void **v;
	size_t n, cap;
};

struct vmfex_profile {
	int refcount;
	struct vmfex_catalog *catalog; /* referenced while refcount > 0 */
	bool deleted;                /* deleted: kept for walks, changes refused */
	struct vmfex_ctx *ctx;       /* for logging; held through the catalog */
	char name[VMFEX_PROFILE_NAME_MAX + 1];
	char *descr;                 /* NULL: none */
	char qos_policy[VMFEX_POLICY_NAME_MAX + 1];
	char nw_ctrl_policy[VMFEX_POLICY_NAME_MAX + 1];
	char pin_group[VMFEX_POLICY_NAME_MAX + 1];
	char uuid[37];               /* "": none */
	unsigned int max_ports;
	enum vmfex_host_nw_io_perf perf;
	enum vmfex_profile_type type;
	struct vmfex_vlan **vlans;   /* sorted by name */
	size_t n_vlans, cap_vlans;
	struct vmfex_kept dead_vlans;
	vmfex_client_name *clients;  /* clusters named as clients, sorted */
	size_t n_clients, cap_clients;
	struct vmfex_ucsm_client **ucsm_clients; /* sorted by name */
	size_t n_ucsm_clients, cap_ucsm_clients;
	struct vmfex_kept dead_ucsm_clients;
};

struct vmfex_cluster {
	int refcount;
	struct vmfex_catalog *catalog;
	bool deleted;
	char name[VMFEX_CLUSTER_NAME_MAX + 1];
};

/* The file operations of a save, replaceable by tests to inject faults. */
struct vmfex_catalog_io {
	ssize_t (*write)(int fd, const void *buf, size_t len);
	int (*fsync)(int fd);
	int (*rename)(const char *from, const char *to);
};

struct vmfex_catalog {
	int refcount;
	struct vmfex_ctx *ctx;
	char *path;                  /* NULL: made in memory */
	int lock_fd;                 /* -1: not held */
	struct vmfex_cluster **clusters; /* sorted by name */
	size_t n_clusters, cap_clusters;
	struct vmfex_profile **profiles; /* sorted by name */
	size_t n_profiles, cap_profiles;
	struct vmfex_kept dead_profiles, dead_clusters;
	const struct vmfex_catalog_io *io;
};

/* validate.c: UCS Manager's rules, pure; 0 or -EINVAL, nothing logged */
int vmfex_ucsm_name_check(const char *s, size_t min, size_t max);
int vmfex_ucsm_descr_check(const char *s);
/* [ !#$%()*+,-./:;?@[\]^_{|}~a-zA-Z0-9]{0,256}: vmVnicProfCl's patterns */
int vmfex_ucsm_pattern_check(const char *s);
/* A value fit for a log line: quoted, bytes outside printable ASCII
 * escaped, cut after 64 bytes. */
#define VMFEX_QUOTE_SIZE (4 * 64 + 8)
const char *vmfex_quote(char buf[VMFEX_QUOTE_SIZE], const char *s);

/* client-match.c: what is a client; what logs names the object */
int vmfex_ucsm_client_new(struct vmfex_ctx *ctx, const char *what, const char *name,
                          const char *dc_name, const char *org_path, const char *sw_name,
                          struct vmfex_ucsm_client **out);
void vmfex_ucsm_client_free(struct vmfex_ucsm_client *cl);
/* Takes cl on success; -EEXIST when the profile has a client of its name. */
int vmfex_profile_add_ucsm_client(struct vmfex_profile *p, struct vmfex_ucsm_client *cl);
/* Whether the cluster is a client of the profile: named, or matched. */
bool vmfex_profile_serves_cluster(const struct vmfex_profile *p, const char *cluster);

/* catalog.c, profile.c */
int vmfex_array_grow(void **array, size_t *cap, size_t need, size_t elem);
/* Room for more objects to keep, so that keeping them cannot fail. */
int vmfex_kept_reserve(struct vmfex_kept *k, size_t more);
void vmfex_kept_add(struct vmfex_kept *k, void *obj);
int vmfex_catalog_alloc(struct vmfex_ctx *ctx, struct vmfex_catalog **out);
struct vmfex_cluster *vmfex_catalog_find_cluster(const struct vmfex_catalog *c, const char *name);
struct vmfex_profile *vmfex_catalog_find_profile(const struct vmfex_catalog *c, const char *name,
                                                 size_t *pos);
int vmfex_profile_new(struct vmfex_ctx *ctx, const char *name, struct vmfex_profile **out);
void vmfex_profile_free(struct vmfex_profile *p);
int vmfex_profile_set_uuid(struct vmfex_profile *p, const char *uuid);
void vmfex_profile_new_uuid(struct vmfex_profile *p);
/* Add a client without checking the catalog's clusters (the loaders
 * check or create them themselves). */
int vmfex_profile_add_client_name(struct vmfex_profile *p, const char *cluster);
/* Insert a new detached profile; -EEXIST when the name is taken. */
int vmfex_catalog_insert_profile(struct vmfex_catalog *c, struct vmfex_profile *p);
/* Move every profile and cluster of src into dst, replacing (deleting)
 * profiles of the same name; cannot fail once reserve succeeded. */
int vmfex_catalog_reserve(struct vmfex_catalog *dst, size_t profiles, size_t clusters);
void vmfex_catalog_merge(struct vmfex_catalog *dst, struct vmfex_catalog *src);

/* xml-safe.c: the hardened libxml2 set-up that every parser uses */
#define VMFEX_XML_MAX_SIZE ((size_t)16 << 20)
#define VMFEX_XML_MAX_DEPTH 64
int vmfex_xml_parse(struct vmfex_ctx *ctx, const char *what, const char *buf, size_t len,
                    unsigned int max_depth, xmlDoc **doc);
/* Whether an element at depth (the root is 1) under parent enters the
 * tree; a refused one is parsed and checked, but left out with all it holds. */
typedef bool (*vmfex_xml_keep_fn)(unsigned int depth, const xmlNode *parent, const char *name);
int vmfex_xml_parse_kept(struct vmfex_ctx *ctx, const char *what, const char *buf, size_t len,
                         unsigned int max_depth, vmfex_xml_keep_fn keep, xmlDoc **doc);
int vmfex_xml_read_file(struct vmfex_ctx *ctx, const char *path, char **buf, size_t *len);
const char *vmfex_xml_prop(xmlNodePtr n, const char *name);
/* xml-errors.c: libxml2's errors to the context's log between begin and
 * end (nested pairs restore in order); what names the document. */
struct vmfex_xml_errors {
	struct vmfex_ctx *ctx;
	const char *what;
	void (*prev_structured)(void *, xmlErrorPtr);
	void *prev_structured_data;
	void (*prev_generic)(void *, const char *, ...);
	void *prev_generic_data;
};
void vmfex_xml_errors_begin(struct vmfex_xml_errors *x, struct vmfex_ctx *ctx, const char *what);
void vmfex_xml_errors_end(struct vmfex_xml_errors *x);
bool vmfex_xml_is(xmlNodePtr n, const char *name);

/* ucsm-import.c: the importer on parsed responses, for the file and the
 * live sync alike */
#define UCSM_MAX_DEPTH 32
/* 0, or -EINVAL (logged) for an error response, with its errorCode */
int vmfex_ucsm_response_error(struct vmfex_ctx *ctx, xmlDoc *doc, unsigned long *code);
/* Import the profiles of every document (VLAN ids from any): all or nothing */
int vmfex_ucsm_import_docs(struct vmfex_catalog *c, xmlDoc *const *docs, size_t n);

/* ucsm-sync.c: an answer of UCS Manager's XML API to method, parsed
 * (hardened), checked to be method's; -EACCES for a refused login,
 * -EREMOTEIO for another error answer (its errorCode in *code), -EBADMSG
 * for another element. The cookie of an aaaLogin/aaaRefresh answer or
 * NULL. */
int vmfex_ucsm_answer_parse(struct vmfex_ctx *ctx, const char *method, const char *buf, size_t len,
                            xmlDoc **doc, unsigned long *code);
const char *vmfex_ucsm_answer_cookie(xmlDoc *doc);

/* catalog-schema.c, generated from doc/catalog.rng */
extern const char vmfex_catalog_rng[];

/* catalog-xml-read.c, catalog-xml-write.c */
int vmfex_catalog_parse(struct vmfex_ctx *ctx, const char *what, const char *buf, size_t len,
                        struct vmfex_catalog **out);

/* catalog-save.c */
void vmfex_catalog_set_io(struct vmfex_catalog *c, const struct vmfex_catalog_io *io);
int vmfex_catalog_lock_path(struct vmfex_ctx *ctx, const char *path, int *fd);

#endif
