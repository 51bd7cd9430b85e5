/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmfexctl topology: the host's VM-FEX topology as Graphviz DOT, or as
 * SVG or PNG through Graphviz's dot. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "vmfexctl.h"

#define DOMAIN_XML_MAX (4u << 20)

static int slurp(const char *path, char **buf, size_t *len)
{
	FILE *in = fopen(path, "re");
	size_t n = 0, cap = 0;
	char *p = NULL;

	if (!in)
		return -errno;
	for (;;) {
		if (cap - n < 4096) {
			char *q;

			if (cap >= DOMAIN_XML_MAX) {
				free(p);
				fclose(in);
				return -EFBIG;
			}
			cap = cap ? cap * 2 : 8192;
			q = realloc(p, cap + 1);
			if (!q) {
				free(p);
				fclose(in);
				return -ENOMEM;
			}
			p = q;
		}
		size_t m = fread(p + n, 1, cap - n, in);

		n += m;
		if (m == 0)
			break;
	}
	if (ferror(in)) {
		free(p);
		fclose(in);
		return -EIO;
	}
	fclose(in);
	p[n] = '\0';
	*buf = p;
	*len = n;
	return 0;
}

int cmd_topology(struct vmfexctl *g, int argc, char **argv)
{
	enum { OPT_FORMAT = 0x100, OPT_OUTPUT, OPT_DOMAIN, OPT_PF, OPT_NO_PROFILES };
	static const struct option options[] = {
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "domain", required_argument, NULL, OPT_DOMAIN },
		{ "pf", required_argument, NULL, OPT_PF },
		{ "no-profiles", no_argument, NULL, OPT_NO_PROFILES },
		{}
	};
	struct vmfex_topology_dot_opts opts = { .sz = sizeof(opts) };
	struct vmfex_xml_domain **doms;
	const char *format = "dot", *output = NULL;
	const char **files;
	size_t n_files = 0, len = 0;
	struct vmfex_ctx *ctx;
	char *dot = NULL;
	struct args a;
	int c, r;

	files = calloc((size_t)argc + 1, sizeof(*files));
	doms = calloc((size_t)argc + 1, sizeof(*doms));
	if (!files || !doms) {
		free(files);
		free(doms);
		return fail(-ENOMEM, "topology");
	}
	args_init(&a, g, argc, argv, options, 0, 0);
	while ((c = args_next(&a)) > 0) {
		switch (c) {
		case OPT_FORMAT:
			format = a.arg;
			break;
		case OPT_OUTPUT:
			output = a.arg;
			break;
		case OPT_DOMAIN:
			files[n_files++] = a.arg;
			break;
		case OPT_PF:
			opts.pf = a.arg;
			break;
		case OPT_NO_PROFILES:
			opts.no_profiles = true;
			break;
		}
	}
	if (c == ARGS_EXIT) {
		r = a.status;
		goto out_free;
	}
	if (strcmp(format, "dot") && strcmp(format, "svg") && strcmp(format, "png")) {
		r = usage_error("topology: --format takes dot, svg or png, not '%s'", format);
		goto out_free;
	}
	if (strcmp(format, "dot") != 0 && !output) {
		r = usage_error("topology: --format %s needs --output FILE", format);
		goto out_free;
	}
	r = open_ctx(g, &ctx);
	if (r)
		goto out_free;
	for (size_t i = 0; i < n_files; i++) {
		char *buf = NULL;
		size_t n = 0;

		r = slurp(files[i], &buf, &n);
		if (r < 0) {
			r = fail(r, "domain %s", files[i]);
			goto out;
		}
		r = vmfex_xml_domain_new_from_buffer(ctx, buf, n, &doms[i]);
		free(buf);
		if (r < 0) {
			r = fail(r, "domain %s", files[i]);
			goto out;
		}
	}
	opts.domains = doms;
	opts.n_domains = n_files;
	r = vmfex_topology_write_dot(ctx, &opts, &dot, &len);
	if (r < 0) {
		r = fail(r, "topology");
		goto out;
	}
	if (strcmp(format, "dot") != 0) {
		r = topology_render(dot, len, format, output);
	} else if (output) {
		FILE *f = fopen(output, "we");

		if (!f) {
			r = fail(-errno, "topology: %s", output);
			goto out;
		}
		if (fwrite(dot, 1, len, f) != len) {
			fclose(f);
			r = fail(-EIO, "topology: writing %s", output);
			goto out;
		}
		r = fclose(f) != 0 ? fail(-errno, "topology: writing %s", output) : EXIT_OK;
	} else if (g->json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "dot", json_object_new_string_len(dot, (int)len));
		print_json(o);
		json_object_put(o);
		r = EXIT_OK;
	} else {
		fwrite(dot, 1, len, stdout);
		r = EXIT_OK;
	}
out:
	free(dot);
	for (size_t i = 0; i < n_files; i++)
		vmfex_xml_domain_unref(doms[i]);
	vmfex_unref(ctx);
out_free:
	free(files);
	free(doms);
	return r;
}
