/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmfex-libvirt-hook: installed by `vmfexctl libvirt-hook install` as
 * hooks/network.d/vmfex and hooks/qemu.d/vmfex. libvirtd runs it as
 *   network.d/vmfex NETWORK port-created|port-deleted begin -
 *   qemu.d/vmfex DOMAIN prepare|start|started|stopped|release|migrate ... -
 * with the hook data on stdin, and takes a non-zero exit of port-created
 * and prepare as a failed start, with this program's stderr as the error.
 * Messages go to stderr and syslog; stdout stays empty, since libvirtd
 * reads it as the domain XML after 'migrate' and 'restore'. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "libvmfex-private.h"
#include "core/safe-file.h"
#include "hook.h"
#include "hook-data.h"

static void log_both(void *data, int priority, const char *file, int line, const char *fn,
                     const char *format, va_list args) __attribute__((format(printf, 6, 0)));
static void log_both(void *data, int priority, const char *file, int line, const char *fn,
                     const char *format, va_list args)
{
	va_list copy;

	va_copy(copy, args);
	vsyslog(priority, format, copy);
	va_end(copy);
	fputs("vmfex-libvirt-hook: ", stderr);
	vfprintf(stderr, format, args);
	fputc('\n', stderr);
}

/* Before the context exists: "WHAT: WHY" to syslog and stderr. */
static void fail_early(const char *what, const char *why)
{
	syslog(LOG_ERR, "%s: %s", what, why);
	fprintf(stderr, "vmfex-libvirt-hook: %s: %s\n", what, why);
}

/* The settings: a missing file means defaults (the real host, no
 * catalog), a file that does not parse fails every operation. */
static int load_conf(struct hook *h)
{
	struct vmfex_ctx *tmp;
	char *buf = NULL, why[256];
	size_t len = 0;
	int r;

	h->conf_path = getenv(HOOK_CONF_ENV);
	if (!h->conf_path || !*h->conf_path)
		h->conf_path = HOOK_CONF_PATH;
	/* A context only to read the file with the library's safe reader. */
	r = vmfex_new_with_opts(&(struct vmfex_new_opts){ .sz = sizeof(struct vmfex_new_opts),
	                                                   .ignore_env = 1 }, &tmp);
	if (r < 0) {
		fail_early("context", strerror(-r));
		return r;
	}
	vmfex_set_log_fn(tmp, log_both, NULL);
	r = vmfex_safe_read_all(tmp, h->conf_path, O_RDONLY, 1 << 20, &buf, &len);
	vmfex_unref(tmp);
	if (r == -ENOENT) {
		hook_conf_parse("", 0, &h->conf, why, sizeof(why));
		return 0;
	}
	if (r < 0) {
		fail_early(h->conf_path, strerror(-r));
		return r;
	}
	r = hook_conf_parse(buf, len, &h->conf, why, sizeof(why));
	free(buf);
	if (r < 0)
		fail_early(h->conf_path, why);
	return r;
}

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

	openlog("vmfex-libvirt-hook", LOG_PID, LOG_DAEMON);
	if (argc < 3) {
		fputs("usage: vmfex-libvirt-hook OBJECT OPERATION [SUB-OPERATION EXTRA]\n"
		      "(run by libvirtd from hooks/network.d and hooks/qemu.d; see vmfexctl(8))\n",
		      stderr);
		return 2;
	}
	kind = hook_kind(argv[0]);
	if (strcmp(kind, "network") != 0 && strcmp(kind, "qemu") != 0)
		kind = strncmp(argv[2], "port-", 5) == 0 ? "network" : "qemu";
	if (load_conf(&h) < 0)
		return 1;
	r = vmfex_new_with_opts(&(struct vmfex_new_opts){
		.sz = sizeof(struct vmfex_new_opts), .sim_dir = h.conf.sim[0] ? h.conf.sim : NULL,
		.ignore_env = 1 }, &h.ctx);
	if (r < 0) {
		fail_early(h.conf.sim[0] ? h.conf.sim : "context", strerror(-r));
		return 1;
	}
	vmfex_set_log_fn(h.ctx, log_both, NULL);
	vmfex_set_log_priority(h.ctx, h.conf.log_priority);
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
