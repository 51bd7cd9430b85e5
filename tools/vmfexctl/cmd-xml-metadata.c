/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmfexctl xml metadata MAC PROFILE [MAC PROFILE]...: libvmfex's element
 * for a domain's <metadata>, naming each direct or hostdev interface's
 * port profile by its MAC, for the libvirt hook's qemu 'prepare'. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "vmfexctl.h"

int cmd_xml_metadata(struct vmfexctl *g, int argc, char **argv)
{
	struct vmfex_xml_metadata_port *ports;
	struct vmfex_ctx *ctx;
	size_t n;
	char *xml;
	int r;

	/* Any number of MAC PROFILE pairs, more than the shared parser's
	 * operands: --help and stray options are looked for here. */
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			args_help(g, stdout);
			return EXIT_OK;
		}
		if (argv[i][0] == '-')
			return usage_error("xml metadata: unknown option '%s'", argv[i]);
	}
	if (argc < 3 || (argc - 1) % 2 != 0)
		return usage_error("xml metadata: MAC PROFILE pairs are required");
	n = (size_t)(argc - 1) / 2;
	ports = calloc(n, sizeof(*ports));
	if (!ports)
		return fail(-ENOMEM, "xml metadata");
	for (size_t i = 0; i < n; i++) {
		ports[i].mac = argv[1 + 2 * i];
		ports[i].profile = argv[2 + 2 * i];
	}
	r = open_ctx(g, &ctx);
	if (r) {
		free(ports);
		return r;
	}
	r = vmfex_xml_metadata_for_ports(ctx, ports, n, &xml);
	if (r < 0)
		r = fail(r, "domain metadata");
	else
		r = print_xml(g, xml);
	vmfex_unref(ctx);
	free(ports);
	return r;
}
