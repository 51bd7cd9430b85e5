/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef VMFEXCTL_H
#define VMFEXCTL_H

#include <json-c/json.h>
#include <stdbool.h>

#include <libvmfex/libvmfex.h>

/* Exit codes, documented in vmfexctl(8). */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,  /* the operation failed; stderr says why */
	EXIT_USAGE = 2, /* the command line is wrong */
};

/* The catalog when neither --catalog nor a simulated host is given. */
#define DEFAULT_CATALOG "/etc/vmfex/catalog.xml"

struct command;

struct vmfexctl {
	const struct command *cmd; /* the command being run */
	const char *group;         /* its group ("port"), NULL at the top */
	const char *sysfs_root;
	const char *sim_dir;
	const char *catalog_path; /* --catalog, NULL: the default */
	bool json;
	int verbosity;
};

/* A command or subcommand: what its --help and usage errors print. */
struct command {
	const char *name;
	int (*run)(struct vmfexctl *g, int argc, char **argv);
	const char *synopsis; /* what follows the name; NULL: a group of subcommands */
	const char *summary;  /* what it does, in a phrase */
};

int cmd_show(struct vmfexctl *g, int argc, char **argv);
int cmd_sim(struct vmfexctl *g, int argc, char **argv);
int cmd_pf(struct vmfexctl *g, int argc, char **argv);
int cmd_vf(struct vmfexctl *g, int argc, char **argv);
int cmd_port(struct vmfexctl *g, int argc, char **argv);
int cmd_profile(struct vmfexctl *g, int argc, char **argv);
int cmd_cluster(struct vmfexctl *g, int argc, char **argv);

/* cmd-profile.c: the catalog file of every command (--catalog, or in the
 * simulated host's directory, or DEFAULT_CATALOG), empty when missing,
 * locked for a change */
const char *catalog_path(struct vmfexctl *g, struct vmfex_ctx *ctx);
int catalog_open_path(struct vmfex_ctx *ctx, const char *path, bool write,
                      struct vmfex_catalog **cat);
int catalog_cmd_open(struct vmfexctl *g, bool write, struct vmfex_ctx **ctx,
                     struct vmfex_catalog **cat);
void catalog_cmd_close(struct vmfex_ctx *ctx, struct vmfex_catalog *cat);
int catalog_cmd_save(struct vmfex_catalog *cat);
json_object *catalog_clusters_json(struct vmfex_catalog *cat);
/* cmd-profile-sync.c: profile sync-ucsm; "N port profiles imported" or
 * {"imported": N}; the ucsm_clients of -j output */
#define SYNC_UCSM_SYNOPSIS \
	"URL --user U --password-file F [--ca-file PEM | --insecure] [--timeout SECONDS]"
int cmd_profile_sync(struct vmfexctl *g, int argc, char **argv);
void print_imported(struct vmfexctl *g, int n);
json_object *ucsm_clients_json(const struct vmfex_profile *p);
int cmd_xml(struct vmfexctl *g, int argc, char **argv);
int cmd_domain(struct vmfexctl *g, int argc, char **argv);
int cmd_check(struct vmfexctl *g, int argc, char **argv);
int cmd_topology(struct vmfexctl *g, int argc, char **argv);
int cmd_libvirt_hook(struct vmfexctl *g, int argc, char **argv);
int cmd_libvirt_watch(struct vmfexctl *g, int argc, char **argv);
int cmd_xml_metadata(struct vmfexctl *g, int argc, char **argv);
/* XML to stdout (-j: {"xml": ...}), freed. */
int print_xml(struct vmfexctl *g, char *xml);

/* cmd-attach.c, cmd-lease.c: attach and detach, the VF allocator */
int cmd_attach(struct vmfexctl *g, int argc, char **argv);
int cmd_detach(struct vmfexctl *g, int argc, char **argv);
int cmd_vf_reserve(struct vmfexctl *g, int argc, char **argv);
int cmd_vf_release(struct vmfexctl *g, int argc, char **argv);
int cmd_vf_leases(struct vmfexctl *g, int argc, char **argv);

/* topology-render.c: DOT to a file in format "svg" or "png" by Graphviz's
 * dot; an exit code, the failure said on stderr. */
int topology_render(const char *dot, size_t len, const char *format, const char *path);

/* vmfexctl.c */
int open_ctx(struct vmfexctl *g, struct vmfex_ctx **ctx);
/* The log of a context opened otherwise: errors held for fail(). */
void log_setup(struct vmfexctl *g, struct vmfex_ctx *ctx);
int fail(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int run_subcommand(struct vmfexctl *g, const char *group, const struct command *cmds,
                   int argc, char **argv);
int parse_uint_arg(const char *s, unsigned long max, unsigned long *out);
int find_vf(struct vmfex_ctx *ctx, int argc, char **argv, int *used, struct vmfex_vf **vf);
void print_json(json_object *obj);
json_object *json_string_or_null(const char *s);
json_object *json_id(unsigned int id);

#endif
