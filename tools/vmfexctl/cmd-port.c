/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmfexctl port associate|preassociate|disassociate|status:
 *   port REQUEST PF VF [options]      a VF's port (VF: its index)
 *   port REQUEST VF [options]         a VF by its netdev or PCI address
 *   port REQUEST DEV --self [options] a netdev's own port (IFLA_PORT_SELF) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "progress.h"
#include "vmfexctl.h"

struct port_args {
	struct vmfex_port_opts opts;
	bool self, dry_run, wait;
	int npos;
	char *pos[3];
};

static int parse_port_args(struct vmfexctl *g, int argc, char **argv, bool needs_profile,
                           struct port_args *a)
{
	static const struct option options[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "instance-uuid", required_argument, NULL, 'i' },
		{ "host-uuid", required_argument, NULL, 'H' },
		{ "mac", required_argument, NULL, 'm' },
		{ "self", no_argument, NULL, 's' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "wait", no_argument, NULL, 'w' },
		{ "timeout", required_argument, NULL, 't' },
		{}
	};
	unsigned long ms;
	struct args args;
	int c;

	memset(a, 0, sizeof(*a));
	a->opts.sz = sizeof(a->opts);
	args_init(&args, g, argc, argv, options, 1, 2);
	while ((c = args_next(&args)) > 0) {
		switch (c) {
		case 'p': a->opts.profile = args.arg; break;
		case 'i': a->opts.instance_uuid = args.arg; break;
		case 'H': a->opts.host_uuid = args.arg; break;
		case 'm': a->opts.mac = args.arg; break;
		case 's': a->self = true; break;
		case 'n': a->dry_run = true; break;
		case 'w': a->wait = true; break;
		case 't':
			if (parse_uint_arg(args.arg, 3600000, &ms) < 0 || ms == 0)
				return usage_error("--timeout takes milliseconds, not '%s'", args.arg);
			a->opts.timeout_ms = (unsigned int)ms;
			break;
		}
	}
	/* --help: done, with nothing else to do (-1 for start()). */
	if (c == ARGS_EXIT)
		return args.status == EXIT_OK ? -1 : args.status;
	for (int i = 0; i < args.n; i++)
		a->pos[a->npos++] = args.op[i];
	if (a->npos > (a->self ? 1 : 2))
		return usage_error("%s: name a port as PF VF, as a VF's netdev or PCI address, "
		                   "or as DEV --self", argv[0]);
	if (needs_profile && (!a->opts.profile || !a->opts.instance_uuid))
		return usage_error("%s: --profile and --instance-uuid are required", argv[0]);
	a->opts.no_wait = !a->wait;
	return 0;
}

static int open_port(struct vmfex_ctx *ctx, struct port_args *a, struct vmfex_port **port)
{
	struct vmfex_vf *vf;
	int used, r;

	if (a->self) {
		r = vmfex_port_new_self(ctx, a->pos[0], port);
		return r < 0 ? fail(r, "port of %s", a->pos[0]) : 0;
	}
	r = find_vf(ctx, a->npos, a->pos, &used, &vf);
	if (r)
		return r;
	if (used != a->npos) {
		vmfex_vf_unref(vf);
		return usage_error("'%s' is not a VF index", a->pos[1]);
	}
	r = vmfex_port_new_from_vf(vf, port);
	vmfex_vf_unref(vf);
	return r < 0 ? fail(r, "port of VF %s", vmfex_vf_get_pci(vf)) : 0;
}

static int print_request(struct vmfexctl *g, struct vmfex_port *port, int request,
                         const struct vmfex_port_opts *o)
{
	unsigned char *buf;
	char *hex;
	size_t len;
	int r;

	r = vmfex_port_build_request(port, request, o, (void **)&buf, &len);
	if (r < 0)
		return fail(r, "building the %s request", vmfex_port_request_to_string(request));
	hex = malloc(2 * len + 1);
	if (!hex) {
		free(buf);
		return fail(-ENOMEM, "building the %s request", vmfex_port_request_to_string(request));
	}
	for (size_t i = 0; i < len; i++)
		sprintf(hex + 2 * i, "%02x", buf[i]);
	hex[2 * len] = '\0';
	if (g->json) {
		/* -j: {"request": name, "message": the same hexadecimal} */
		json_object *j = json_object_new_object();

		json_object_object_add(j, "request",
		                       json_object_new_string(vmfex_port_request_to_string(request)));
		json_object_object_add(j, "message", json_object_new_string(hex));
		print_json(j);
		json_object_put(j);
	} else {
		puts(hex);
	}
	free(hex);
	free(buf);
	return EXIT_OK;
}

static void print_status(struct vmfexctl *g, struct vmfex_port *port, int request, int response)
{
	char what[48];

	if (vmfex_port_get_vf_index(port) < 0)
		snprintf(what, sizeof(what), "%s", vmfex_port_get_ifname(port));
	else
		snprintf(what, sizeof(what), "VF %d of %s", vmfex_port_get_vf_index(port),
		         vmfex_port_get_ifname(port));
	if (g->json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "request", request < 0 ? NULL :
		                       json_object_new_string(vmfex_port_request_to_string(request)));
		json_object_object_add(o, "response", response < 0 ? NULL :
		                       json_object_new_string(vmfex_port_response_to_string(response)));
		json_object_object_add(o, "response_code", response < 0 ? NULL :
		                       json_object_new_int(response));
		print_json(o);
		json_object_put(o);
	} else if (request < 0) {
		printf("%s: no request applied\n", what);
	} else {
		printf("%s: %s, %s\n", what, vmfex_port_request_to_string(request),
		       response < 0 ? "no response" : vmfex_port_response_to_string(response));
	}
}

/* What every port command does first: its arguments, the context, the
 * port. -1: --help was printed, nothing more to do. */
static int start(struct vmfexctl *g, int argc, char **argv, bool needs_profile,
                 struct port_args *a, struct vmfex_ctx **ctx, struct vmfex_port **port)
{
	int r;

	r = parse_port_args(g, argc, argv, needs_profile, a);
	if (r)
		return r;
	r = open_ctx(g, ctx);
	if (r)
		return r;
	r = open_port(*ctx, a, port);
	if (r)
		*ctx = vmfex_unref(*ctx);
	return r;
}

static int port_request(struct vmfexctl *g, int argc, char **argv, int request)
{
	struct vmfex_ctx *ctx;
	struct vmfex_port *port;
	struct port_args a;
	int r;

	r = start(g, argc, argv, request != VMFEX_PORT_REQUEST_DISASSOCIATE, &a, &ctx, &port);
	if (r)
		return r < 0 ? EXIT_OK : r;
	if (a.dry_run) {
		r = print_request(g, port, request, &a.opts);
	} else {
		/* Only a wait takes long: up to --timeout for the adapter. */
		struct progress *prog = a.wait ? progress_start(g, "%s: %s, waiting for the adapter",
		                                                a.pos[0], vmfex_port_request_to_string(request))
		                               : NULL;

		switch (request) {
		case VMFEX_PORT_REQUEST_ASSOCIATE:
			r = vmfex_port_associate(port, &a.opts);
			break;
		case VMFEX_PORT_REQUEST_PREASSOCIATE_RR:
			r = vmfex_port_preassociate(port, &a.opts);
			break;
		default:
			r = vmfex_port_disassociate(port, &a.opts);
		}
		progress_finish(prog);
		if (r < 0) {
			int err = r;

			r = fail(r, "%s of %s", vmfex_port_request_to_string(request), a.pos[0]);
			/* enic refuses a profile without the VM's MAC: say how to give it. */
			if (err == -EINVAL && !a.opts.mac && request != VMFEX_PORT_REQUEST_DISASSOCIATE)
				fprintf(stderr, "vmfexctl: the adapter needs the VM's MAC address with "
				        "the profile: give it with --mac MAC\n");
		} else {
			print_status(g, port, request,
			             a.wait ? vmfex_port_get_last_response(port) : -1);
			r = EXIT_OK;
		}
	}
	vmfex_port_unref(port);
	vmfex_unref(ctx);
	return r;
}

static int port_associate(struct vmfexctl *g, int argc, char **argv)
{
	return port_request(g, argc, argv, VMFEX_PORT_REQUEST_ASSOCIATE);
}

static int port_preassociate(struct vmfexctl *g, int argc, char **argv)
{
	return port_request(g, argc, argv, VMFEX_PORT_REQUEST_PREASSOCIATE_RR);
}

static int port_disassociate(struct vmfexctl *g, int argc, char **argv)
{
	return port_request(g, argc, argv, VMFEX_PORT_REQUEST_DISASSOCIATE);
}

static int port_status(struct vmfexctl *g, int argc, char **argv)
{
	struct vmfex_ctx *ctx;
	struct vmfex_port *port;
	struct port_args a;
	int r, request = -1, response = -1;

	r = start(g, argc, argv, false, &a, &ctx, &port);
	if (r)
		return r < 0 ? EXIT_OK : r;
	r = vmfex_port_read_status(port, &request, &response);
	if (r < 0 && r != -ENODATA) {
		r = fail(r, "status of %s", a.pos[0]);
	} else {
		print_status(g, port, request, response);
		r = EXIT_OK;
	}
	vmfex_port_unref(port);
	vmfex_unref(ctx);
	return r;
}

#define PORT_NAME "PF VF | VF | DEV --self"

static const struct command port_commands[] = {
	{ "associate", port_associate, PORT_NAME " --profile NAME --instance-uuid UUID "
	  "[--host-uuid UUID] [--mac MAC] [--wait] [--timeout MS] [--dry-run]",
	  "associate the port with a port profile" },
	{ "preassociate", port_preassociate, PORT_NAME " --profile NAME --instance-uuid UUID "
	  "[--host-uuid UUID] [--mac MAC] [--wait] [--timeout MS] [--dry-run]",
	  "preassociate the port (PREASSOCIATE_RR), on a migration's destination" },
	{ "disassociate", port_disassociate, PORT_NAME " [--wait] [--timeout MS] [--dry-run]",
	  "disassociate the port" },
	{ "status", port_status, PORT_NAME, "the last request and the adapter's response" },
	{}
};

int cmd_port(struct vmfexctl *g, int argc, char **argv)
{
	return run_subcommand(g, "port", port_commands, argc, argv);
}
