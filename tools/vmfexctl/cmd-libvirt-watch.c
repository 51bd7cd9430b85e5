/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmfexctl libvirt-watch [--uri URI]: run vmfex-libvirt-watch, which
 * follows libvirt's domain events through libvirt's client library. It is
 * a program of its own so that vmfexctl never loads libvirt; this command
 * checks the command line and replaces itself with it. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "args.h"
#include "vmfexctl.h"

/* The build tree's watcher, for the tests: it is not installed there. */
#define WATCH_ENV "VMFEX_LIBVIRT_WATCH"

int cmd_libvirt_watch(struct vmfexctl *g, int argc, char **argv)
{
	static const struct option options[] = {
		{ "uri", required_argument, NULL, 'u' },
		{}
	};
	const char *uri = "qemu:///system";
	const char *prog = getenv(WATCH_ENV);
	struct args a;
	int c;

	args_init(&a, g, argc, argv, options, 0, 0);
	while ((c = args_next(&a)) > 0) {
		if (c == 'u')
			uri = a.arg;
	}
	if (c == ARGS_EXIT)
		return a.status;
	if (!uri[0])
		return usage_error("libvirt-watch: --uri takes a libvirt URI, not ''");
	if (!prog || !prog[0])
		prog = VMFEX_LIBEXECDIR "/vmfex-libvirt-watch";
	fflush(stdout);
	execv(prog, (char *[]){ (char *)prog, (char *)"--uri", (char *)uri, NULL });
	return fail(-errno, "cannot run %s (built where libvirt's headers, libvirt-dev, are)",
	            prog);
}
