/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmfexctl: the command-line front end of libvmfex. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "vmfexctl.h"

static const struct command commands[] = {
	{ "show", cmd_show, "show                      list SR-IOV PFs and their VFs" },
	{ "pf", cmd_pf, "pf set-num-vfs PF N       change the number of VFs" },
	{ "vf", cmd_vf, "vf show PF | vf set VF ... | vf bind|unbind VF ... | vf reserve|release|leases ..." },
	{ "port", cmd_port, "port associate|preassociate|disassociate|status PF VF ..." },
	{ "xml", cmd_xml, "xml interface|network|network-interface ...  libvirt XML" },
	{ "domain", cmd_domain, "domain inspect FILE [--network FILE]...  VFs, profiles, migration" },
	{ "profile", cmd_profile, "profile list|show|add|set|del|import-ucsm ...  port profiles" },
	{ "cluster", cmd_cluster, "cluster list|add|del NAME  clusters of the catalog" },
	{ "check", cmd_check, "check [--vms N] [--topology T] [--fi-model M]  advise on a VM-FEX plan" },
	{ "topology", cmd_topology, "topology [--format dot|svg|png] [--output FILE]  draw the host" },
	{ "attach", cmd_attach, "attach --vm-uuid U --vm-name N --profile P [--pf PF] [--topology passthrough|hostdev]" },
	{ "detach", cmd_detach, "detach --vm-uuid UUID       undo the attaches of a VM" },
	{ "libvirt-hook", cmd_libvirt_hook, "libvirt-hook install|uninstall [--hooks-dir DIR]  libvirt hooks for VF pools" },
	{ "sim", cmd_sim, "sim create DIR FILE | sim set --latency-ms N | sim inject ..." },
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: vmfexctl [OPTIONS] COMMAND [ARGS]\n\n"
	           "Options:\n"
	           "  --sysfs-root DIR  read sysfs from DIR instead of /sys\n"
	           "  --sim DIR         run on the simulated host in DIR\n"
	           "  --catalog PATH    the port-profile catalog (default /etc/vmfex/catalog.xml)\n"
	           "  -j, --json        print JSON\n"
	           "  -v, --verbose     log more (repeat for debug)\n"
	           "  -h, --help        this help\n"
	           "  --version         print the version\n\n"
	           "Commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %s\n", commands[i].usage);
	fprintf(f, "\nA VF is named by PF and index (PF being a netdev or PCI address),\n"
	           "or by its own netdev or PCI address. VMFEX_SIM=DIR acts as --sim DIR.\n");
}

static void log_to_stderr(void *data, int priority, const char *file, int line, const char *fn,
                          const char *format, va_list args) __attribute__((format(printf, 6, 0)));
static void log_to_stderr(void *data, int priority, const char *file, int line, const char *fn,
                          const char *format, va_list args)
{
	fputs("vmfexctl: ", stderr);
	vfprintf(stderr, format, args);
	fputc('\n', stderr);
}

int open_ctx(struct vmfexctl *g, struct vmfex_ctx **ctx)
{
	struct vmfex_new_opts opts = {
		.sz = sizeof(opts),
		.sysfs_root = g->sysfs_root,
		.sim_dir = g->sim_dir,
	};
	int r;

	r = vmfex_new_with_opts(&opts, ctx);
	if (r < 0)
		return fail(r, "cannot open the host");
	vmfex_set_log_fn(*ctx, log_to_stderr, NULL);
	if (g->verbosity > 0)
		vmfex_set_log_priority(*ctx, g->verbosity > 1 ? LOG_DEBUG : LOG_INFO);
	return 0;
}

/* The library has logged the details; this line says what failed. */
int fail(int err, const char *fmt, ...)
{
	va_list ap;

	fputs("vmfexctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(err < 0 ? -err : err));
	return EXIT_FAIL;
}

int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("vmfexctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see vmfexctl --help)\n", stderr);
	return EXIT_USAGE;
}

int run_subcommand(struct vmfexctl *g, const char *group, const struct command *cmds,
                   int argc, char **argv)
{
	if (argc < 2)
		return usage_error("%s: a subcommand is required", group);
	for (const struct command *c = cmds; c->name; c++)
		if (strcmp(c->name, argv[1]) == 0)
			return c->run(g, argc - 1, argv + 1);
	return usage_error("%s: unknown subcommand '%s'", group, argv[1]);
}

int parse_uint_arg(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || *end || *out > max)
		return -EINVAL;
	return 0;
}

/* "PF INDEX" (two words) or "VF" (its netdev or PCI address). */
int find_vf(struct vmfex_ctx *ctx, int argc, char **argv, int *used, struct vmfex_vf **vf)
{
	unsigned long index;
	struct vmfex_pf *pf;
	int r;

	if (argc < 1)
		return usage_error("a VF is required (PF INDEX, or the VF's netdev or PCI address)");
	if (argc >= 2 && parse_uint_arg(argv[1], 65535, &index) == 0) {
		*used = 2;
		r = vmfex_pf_new_from_name(ctx, argv[0], &pf);
		if (r < 0)
			return fail(r, "PF %s", argv[0]);
		r = vmfex_pf_get_vf(pf, (unsigned int)index, vf);
		vmfex_pf_unref(pf);
		if (r < 0)
			return fail(r, "VF %lu of %s", index, argv[0]);
		return 0;
	}
	*used = 1;
	r = strchr(argv[0], ':') ? vmfex_vf_new_from_pci(ctx, argv[0], vf)
	                         : vmfex_vf_new_from_ifname(ctx, argv[0], vf);
	if (r < 0)
		return fail(r, "VF %s", argv[0]);
	return 0;
}

void print_json(json_object *obj)
{
	puts(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY |
	                                             JSON_C_TO_STRING_SPACED |
	                                             JSON_C_TO_STRING_NOSLASHESCAPE));
}

json_object *json_string_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

json_object *json_id(unsigned int id)
{
	char buf[8];

	snprintf(buf, sizeof(buf), "0x%04x", id & 0xffff);
	return json_object_new_string(buf);
}

int main(int argc, char **argv)
{
	enum { OPT_SYSFS_ROOT = 0x100, OPT_SIM, OPT_VERSION, OPT_CATALOG };
	static const struct option options[] = {
		{ "sysfs-root", required_argument, NULL, OPT_SYSFS_ROOT },
		{ "sim", required_argument, NULL, OPT_SIM },
		{ "catalog", required_argument, NULL, OPT_CATALOG },
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{}
	};
	struct vmfexctl g = { 0 };
	int c;

	while ((c = getopt_long(argc, argv, "+jvh", options, NULL)) != -1) {
		switch (c) {
		case OPT_SYSFS_ROOT:
			g.sysfs_root = optarg;
			break;
		case OPT_SIM:
			g.sim_dir = optarg;
			break;
		case OPT_CATALOG:
			g.catalog_path = optarg;
			break;
		case 'j':
			g.json = true;
			break;
		case 'v':
			g.verbosity++;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case OPT_VERSION:
			printf("vmfexctl %s\n", vmfex_version());
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (g.sysfs_root && g.sim_dir)
		return usage_error("--sysfs-root and --sim exclude each other");
	/* No path under a longer root could be opened. */
	if (g.sysfs_root && strlen(g.sysfs_root) >= PATH_MAX)
		return usage_error("--sysfs-root: longer than %d bytes", PATH_MAX - 1);
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[optind], commands[i].name) == 0)
			return commands[i].run(&g, argc - optind, argv + optind);
	return usage_error("unknown command '%s'", argv[optind]);
}
