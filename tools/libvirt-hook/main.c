/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmfex-libvirt-hook: installed by `vmfexctl libvirt-hook install` as
 * hooks/network.d/vmfex and hooks/qemu.d/vmfex. libvirtd runs it as
 *   network.d/vmfex NETWORK port-created|port-deleted begin -
 *   qemu.d/vmfex DOMAIN prepare|start|started|stopped|release|migrate ... -
 * with the hook data on stdin, and takes a non-zero exit of port-created
 * and prepare as a failed start, with this program's stderr as the error.
 * Messages go to stderr and syslog; stdout stays empty, since libvirtd
 * reads it as the domain XML after 'migrate' and 'restore'. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "libvmfex-private.h"
#include "hook.h"
#include "hook-data.h"
#include "hook-setup.h"

/* Which hook: by the directory libvirtd found it in (network.d, qemu.d)
 * or by its name (hooks/network, hooks/qemu). */
static const char *hook_kind(const char *argv0)
{
	const char *base = strrchr(argv0, '/');
	char dir[64];
	const char *d;
	size_t n;

	if (!base)
		return argv0;
	for (d = base; d > argv0 && d[-1] != '/'; d--)
		;
	n = (size_t)(base - d);
	if (n < sizeof(dir)) {
		memcpy(dir, d, n);
		dir[n] = '\0';
		if (strcmp(dir, "network.d") == 0)
			return "network";
		if (strcmp(dir, "qemu.d") == 0)
			return "qemu";
	}
	return base + 1;
}

int main(int argc, char **argv)
{
	struct hook h = { 0 };
	const char *kind;
	char *buf = NULL;
	size_t len = 0;
	int r;

	if (argc < 3) {
		fputs("usage: vmfex-libvirt-hook OBJECT OPERATION [SUB-OPERATION EXTRA]\n"
		      "(run by libvirtd from hooks/network.d and hooks/qemu.d; see vmfexctl(8))\n",
		      stderr);
		return 2;
	}
	kind = hook_kind(argv[0]);
	if (strcmp(kind, "network") != 0 && strcmp(kind, "qemu") != 0)
		kind = strncmp(argv[2], "port-", 5) == 0 ? "network" : "qemu";
	if (hook_setup("vmfex-libvirt-hook", &h.conf, &h.conf_path, &h.ctx) < 0)
		return 1;
	r = hook_read_stdin(h.ctx, &buf, &len);
	if (r == 0) {
		if (strcmp(kind, "network") == 0)
			r = hook_network(&h, argv[2], buf, len);
		else
			r = hook_qemu(&h, argv[1], argv[2], buf, len);
	}
	free(buf);
	vmfex_unref(h.ctx);
	closelog();
	return r < 0 ? 1 : 0;
}
