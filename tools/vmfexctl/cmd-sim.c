/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmfexctl sim create DIR DESCRIPTION: make a simulated host.
 * vmfexctl --sim DIR sim set --latency-ms N: the adapter's latency.
 * vmfexctl --sim DIR sim inject (--response NAME | --errno NAME) [--count N]:
 *   failures for the next port requests. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "args.h"
#include "vmfexctl.h"

static int sim_create(struct vmfexctl *g, int argc, char **argv)
{
	struct vmfex_new_opts opts = { .sz = sizeof(opts), .ignore_env = 1 };
	struct vmfex_ctx *ctx;
	struct args a;
	int r;

	if (args_parse(&a, g, argc, argv, 2, 2) == ARGS_EXIT)
		return a.status;
	r = vmfex_new_with_opts(&opts, &ctx);
	if (r < 0)
		return fail(r, "cannot create a context");
	log_setup(g, ctx);
	r = vmfex_sim_create(ctx, a.op[0], a.op[1]);
	vmfex_unref(ctx);
	if (r < 0)
		return fail(r, "sim create %s", a.op[0]);
	if (!g->json)
		printf("simulated host created in %s; use it with --sim %s or VMFEX_SIM=%s\n",
		       a.op[0], a.op[0], a.op[0]);
	return EXIT_OK;
}

/* The run-time settings need a host: --sim DIR or VMFEX_SIM. */
static int open_sim(struct vmfexctl *g, struct vmfex_ctx **ctx)
{
	int r = open_ctx(g, ctx);

	if (r)
		return r;
	if (!vmfex_get_sim_dir(*ctx)) {
		vmfex_unref(*ctx);
		return usage_error("sim: no simulated host (give --sim DIR or set VMFEX_SIM)");
	}
	return 0;
}

static int sim_set(struct vmfexctl *g, int argc, char **argv)
{
	static const struct option options[] = {
		{ "latency-ms", required_argument, NULL, 'l' },
		{}
	};
	unsigned long ms = 0;
	bool have_latency = false;
	struct vmfex_ctx *ctx;
	unsigned int now;
	struct args a;
	int c, r;

	args_init(&a, g, argc, argv, options, 0, 0);
	while ((c = args_next(&a)) > 0) {
		switch (c) {
		case 'l':
			if (parse_uint_arg(a.arg, 3600000, &ms) < 0)
				return usage_error("--latency-ms takes 0 to 3600000, not '%s'", a.arg);
			have_latency = true;
			break;
		}
	}
	if (c == ARGS_EXIT)
		return a.status;
	if (!have_latency)
		return usage_error("sim set: --latency-ms is required");
	r = open_sim(g, &ctx);
	if (r)
		return r;
	r = vmfex_sim_set_latency(ctx, (unsigned int)ms);
	if (r == 0)
		r = vmfex_sim_read_latency(ctx, &now);
	vmfex_unref(ctx);
	if (r < 0)
		return fail(r, "sim set");
	if (g->json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "latency_ms", json_object_new_int64(now));
		print_json(o);
		json_object_put(o);
	} else {
		printf("adapter latency: %u ms\n", now);
	}
	return EXIT_OK;
}

static const struct {
	const char *name;
	int code;
} responses[] = {
	{ "SUCCESS", 0x100 },
	{ "INPROGRESS", 0x101 },
	{ "INVALID", 0x102 },
	{ "BADSTATE", 0x103 },
	{ "INSUFFICIENT_RESOURCES", 0x104 },
	{ "ERROR", 0x105 },
};

static int parse_response(const char *s)
{
	unsigned long v;

	for (size_t i = 0; i < sizeof(responses) / sizeof(responses[0]); i++)
		if (strcasecmp(s, responses[i].name) == 0)
			return responses[i].code;
	if (sscanf(s, "0x%lx", &v) == 1 && v >= 0x100 && v <= 0x105)
		return (int)v;
	return -EINVAL;
}

/* "EIO", or a number. */
static int parse_errno(const char *s)
{
	unsigned long v;

	for (int e = 1; e < 4096; e++) {
		const char *name = strerrorname_np(e);

		if (name && strcasecmp(name, s) == 0)
			return e;
	}
	if (parse_uint_arg(s, 4095, &v) == 0 && v > 0)
		return (int)v;
	return -EINVAL;
}

static int sim_inject(struct vmfexctl *g, int argc, char **argv)
{
	static const struct option options[] = {
		{ "response", required_argument, NULL, 'r' },
		{ "errno", required_argument, NULL, 'e' },
		{ "count", required_argument, NULL, 'c' },
		{}
	};
	struct vmfex_sim_inject_opts opts = { .sz = sizeof(opts), .count = 1 };
	unsigned long count;
	struct vmfex_ctx *ctx;
	struct args a;
	int c, r;

	args_init(&a, g, argc, argv, options, 0, 0);
	while ((c = args_next(&a)) > 0) {
		switch (c) {
		case 'r':
			opts.response = parse_response(a.arg);
			if (opts.response < 0)
				return usage_error("--response takes SUCCESS, INPROGRESS, INVALID, BADSTATE, "
				                   "INSUFFICIENT_RESOURCES or ERROR, not '%s'", a.arg);
			break;
		case 'e':
			opts.error = parse_errno(a.arg);
			if (opts.error < 0)
				return usage_error("--errno takes an errno name such as EIO, or its number, "
				                   "not '%s'", a.arg);
			break;
		case 'c':
			if (parse_uint_arg(a.arg, 0xffffffffUL, &count) < 0)
				return usage_error("--count takes a number of requests, not '%s'", a.arg);
			opts.count = (unsigned int)count;
			break;
		}
	}
	if (c == ARGS_EXIT)
		return a.status;
	if (!opts.response == !opts.error)
		return usage_error("usage: sim inject --response NAME|--errno NAME [--count N]");
	r = open_sim(g, &ctx);
	if (r)
		return r;
	r = vmfex_sim_inject(ctx, &opts);
	vmfex_unref(ctx);
	if (r < 0)
		return fail(r, "sim inject");
	if (g->json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "count", json_object_new_int64(opts.count));
		if (opts.response)
			json_object_object_add(o, "response", json_object_new_int(opts.response));
		else
			json_object_object_add(o, "errno", json_object_new_string(strerrorname_np(opts.error)
			                                                         ?: "?"));
		print_json(o);
		json_object_put(o);
	} else if (opts.response) {
		printf("the next %u port requests end with response 0x%x\n", opts.count, opts.response);
	} else {
		printf("the next %u port requests fail with %s\n", opts.count, strerror(opts.error));
	}
	return EXIT_OK;
}

static const struct command sim_commands[] = {
	{ "create", sim_create, "DIR FILE", "make a simulated host in DIR from the JSON description FILE" },
	{ "set", sim_set, "--latency-ms N", "the simulated adapter's association latency" },
	{ "inject", sim_inject, "--response NAME | --errno NAME [--count N]",
	  "make the next port requests end with a response or fail with an errno" },
	{}
};

int cmd_sim(struct vmfexctl *g, int argc, char **argv)
{
	return run_subcommand(g, "sim", sim_commands, argc, argv);
}
