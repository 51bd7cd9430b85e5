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

#include "args.h"
#include "vmfexctl.h"

static const struct command commands[] = {
	{ "show", cmd_show, "[PF]", "list the SR-IOV PFs (or one) and their VFs" },
	{ "pf", cmd_pf, NULL, "change the number of VFs of a PF" },
	{ "vf", cmd_vf, NULL, "show and set VFs, bind them to drivers, lease them to VMs" },
	{ "port", cmd_port, NULL, "802.1Qbh port requests to the adapter" },
	{ "xml", cmd_xml, NULL, "libvirt XML of a VF, a pool network or a pool interface" },
	{ "domain", cmd_domain, NULL, "a libvirt domain's VFs, profiles and migration" },
	{ "profile", cmd_profile, NULL, "port profiles of the catalog" },
	{ "cluster", cmd_cluster, NULL, "clusters of the catalog" },
	{ "check", cmd_check,
	  "[--vms N] [--topology passthrough|hostdev|private] [--fi-model MODEL] [--pf PF]",
	  "advise on a VM-FEX plan for this host" },
	{ "topology", cmd_topology,
	  "[--format dot|svg|png] [--output FILE] [--domain FILE]... [--pf PF] [--no-profiles]",
	  "draw the host's VM-FEX topology" },
	{ "attach", cmd_attach,
	  "--vm-uuid UUID --vm-name NAME --profile NAME [--pf PF] [--topology passthrough|hostdev] "
	  "[--mac MAC] [--by-libvirt | --preassociate] [--domain FILE]...\n"
	  "       vmfexctl [OPTIONS] attach --from FILE|- [OPTIONS OF ONE VM]\n"
	  "       vmfexctl [OPTIONS] attach --migration-finish --vm-uuid UUID",
	  "give a VM a VM-FEX port in one call" },
	{ "detach", cmd_detach, "--vm-uuid UUID", "undo the attaches of a VM" },
	{ "libvirt-hook", cmd_libvirt_hook, NULL, "put the libvirt hooks for VF pools in place, or take them out" },
	{ "libvirt-watch", cmd_libvirt_watch, "[--uri URI]",
	  "follow libvirt's domain events: the ports of migrating VMs" },
	{ "sim", cmd_sim, NULL, "make and steer a simulated host" },
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: vmfexctl [OPTIONS] COMMAND [ARGS]\n\n"
	           "Options:\n"
	           "  --sysfs-root DIR  read sysfs from DIR instead of /sys\n"
	           "  --sim DIR         run on the simulated host in DIR\n"
	           "  --catalog PATH    the port-profile catalog (default " DEFAULT_CATALOG ",\n"
	           "                    DIR/catalog.xml with --sim DIR)\n"
	           "  -j, --json        print JSON\n"
	           "  -v, --verbose     log more (repeat for debug)\n"
	           "  -h, --help        this help\n"
	           "  --version         print the version\n\n"
	           "Commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'vmfexctl COMMAND --help' shows a command's arguments.\n"
	           "A VF is named by PF and index (PF being a netdev or PCI address),\n"
	           "or by its own netdev or PCI address. VMFEX_SIM=DIR acts as --sim DIR.\n");
}

/* Errors are printed once: the library's error lines name the object and
 * the reason, so they are held until the command fails and printed then,
 * in place of the command's own, vaguer line (see fail()). Lines of lower
 * priority (-v) are printed as they come. */
#define HELD_MAX 8
static char *held[HELD_MAX];
static size_t n_held;
/* The command line being run, for usage_error(). */
static struct vmfexctl *current;

static void log_to_stderr(void *data, int priority, const char *file, int line, const char *fn,
                          const char *format, va_list args) __attribute__((format(printf, 6, 0)));
static void log_to_stderr(void *data, int priority, const char *file, int line, const char *fn,
                          const char *format, va_list args)
{
	if (priority <= LOG_ERR && n_held < HELD_MAX && vasprintf(&held[n_held], format, args) >= 0) {
		n_held++;
		return;
	}
	fputs("vmfexctl: ", stderr);
	vfprintf(stderr, format, args);
	fputc('\n', stderr);
}

/* Print the held lines; false when there were none. */
static bool flush_held(void)
{
	size_t n = n_held;

	for (size_t i = 0; i < n_held; i++) {
		fprintf(stderr, "vmfexctl: %s\n", held[i]);
		free(held[i]);
	}
	n_held = 0;
	return n > 0;
}

void log_setup(struct vmfexctl *g, struct vmfex_ctx *ctx)
{
	vmfex_set_log_fn(ctx, log_to_stderr, NULL);
	if (g->verbosity > 0)
		vmfex_set_log_priority(ctx, g->verbosity > 1 ? LOG_DEBUG : LOG_INFO);
}

int open_ctx(struct vmfexctl *g, struct vmfex_ctx **ctx)
{
	struct vmfex_new_opts opts = {
		.sz = sizeof(opts),
		.sysfs_root = g->sysfs_root,
		.sim_dir = g->sim_dir,
		/* What the library says while it opens the host is held too. */
		.log_fn = log_to_stderr,
	};
	const char *sim = g->sim_dir;
	int r;

	if (!sim && !g->sysfs_root)
		sim = getenv("VMFEX_SIM");
	r = vmfex_new_with_opts(&opts, ctx);
	if (r < 0 && sim && *sim)
		return fail(r, "cannot open the simulated host %s", sim);
	if (r < 0)
		return fail(r, "cannot open the host");
	log_setup(g, *ctx);
	return 0;
}

/* The library's lines say what failed and why; this line only when it
 * said nothing. */
int fail(int err, const char *fmt, ...)
{
	va_list ap;

	if (flush_held())
		return EXIT_FAIL;
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
	if (current && current->cmd)
		fprintf(stderr, " (see vmfexctl %s%s%s --help)\n", current->group ? current->group : "",
		        current->group ? " " : "", current->cmd->name);
	else
		fputs(" (see vmfexctl --help)\n", stderr);
	return EXIT_USAGE;
}

static void group_help(const char *group, const struct command *cmds, FILE *f)
{
	fprintf(f, "Usage: vmfexctl [OPTIONS] %s SUBCOMMAND [ARGS]\n\nSubcommands:\n", group);
	for (const struct command *c = cmds; c->name; c++)
		fprintf(f, "  %s %s %s\n      %s\n", group, c->name, c->synopsis ? c->synopsis : "",
		        c->summary ? c->summary : "");
	fprintf(f, "\n'vmfexctl %s SUBCOMMAND --help' shows one; see also vmfexctl(8).\n", group);
}

int run_subcommand(struct vmfexctl *g, const char *group, const struct command *cmds,
                   int argc, char **argv)
{
	const char *near;

	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		group_help(group, cmds, stdout);
		return EXIT_OK;
	}
	if (argc < 2) {
		group_help(group, cmds, stderr);
		return usage_error("%s: a subcommand is required", group);
	}
	for (const struct command *c = cmds; c->name; c++)
		if (strcmp(c->name, argv[1]) == 0) {
			g->group = group;
			g->cmd = c;
			return c->run(g, argc - 1, argv + 1);
		}
	near = nearest_word(argv[1], cmds, sizeof(*cmds), SIZE_MAX);
	if (near)
		return usage_error("%s: unknown subcommand '%s'; did you mean '%s'?", group, argv[1],
		                   near);
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
		r = vmfex_pf_lookup_vf(pf, (unsigned int)index, vf);
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
	const char *near;
	int c, r;

	current = &g;
	/* Unknown options are reported here, with a suggestion. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:jvh", options, NULL)) != -1) {
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
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default: {
			const char *bad = argv[optind - 1];

			near = strncmp(bad, "--", 2) == 0
			               ? nearest_word(bad + 2, options, sizeof(*options), SIZE_MAX)
			               : NULL;
			if (near)
				return usage_error("unknown option '%s'; did you mean '--%s'?", bad, near);
			return usage_error("unknown option '%s'", bad);
		}
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
		if (strcmp(argv[optind], commands[i].name) == 0) {
			g.cmd = &commands[i];
			r = commands[i].run(&g, argc - optind, argv + optind);
			/* Errors the library logged of a command that did not fail. */
			flush_held();
			return r;
		}
	near = nearest_word(argv[optind], commands, sizeof(commands[0]),
	                    sizeof(commands) / sizeof(commands[0]));
	if (near)
		return usage_error("unknown command '%s'; did you mean '%s'?", argv[optind], near);
	return usage_error("unknown command '%s'", argv[optind]);
}
