/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Both programs are started by others (libvirtd, systemd) whose logs keep
 * stderr, and both write to syslog, which outlives them. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "libvmfex-private.h"
#include "core/safe-file.h"
#include "hook-setup.h"

static const char *program = "vmfex";

static void log_both(void *data, int priority, const char *file, int line, const char *fn,
                     const char *format, va_list args) __attribute__((format(printf, 6, 0)));
static void log_both(void *data, int priority, const char *file, int line, const char *fn,
                     const char *format, va_list args)
{
	va_list copy;

	va_copy(copy, args);
	vsyslog(priority, format, copy);
	va_end(copy);
	fprintf(stderr, "%s: ", program);
	vfprintf(stderr, format, args);
	fputc('\n', stderr);
}

void hook_fail(const char *what, const char *why)
{
	syslog(LOG_ERR, "%s: %s", what, why);
	fprintf(stderr, "%s: %s: %s\n", program, what, why);
}

/* The settings: a missing file means defaults (the real host, no
 * catalog), a file that does not parse is an error. */
static int load_conf(struct hook_conf *conf, const char **conf_path)
{
	struct vmfex_ctx *tmp;
	char *buf = NULL, why[256];
	size_t len = 0;
	int r;

	*conf_path = getenv(HOOK_CONF_ENV);
	if (!*conf_path || !**conf_path)
		*conf_path = HOOK_CONF_PATH;
	/* A context only to read the file with the library's safe reader. */
	r = vmfex_new_with_opts(&(struct vmfex_new_opts){ .sz = sizeof(struct vmfex_new_opts),
	                                                   .ignore_env = 1, .log_fn = log_both },
	                        &tmp);
	if (r < 0) {
		hook_fail("context", strerror(-r));
		return r;
	}
	r = vmfex_safe_read_all(tmp, *conf_path, O_RDONLY, 1 << 20, &buf, &len);
	vmfex_unref(tmp);
	if (r == -ENOENT) {
		hook_conf_parse("", 0, conf, why, sizeof(why));
		return 0;
	}
	if (r < 0) {
		hook_fail(*conf_path, strerror(-r));
		return r;
	}
	r = hook_conf_parse(buf, len, conf, why, sizeof(why));
	free(buf);
	if (r < 0)
		hook_fail(*conf_path, why);
	return r;
}

int hook_setup(const char *prog, struct hook_conf *conf, const char **conf_path,
               struct vmfex_ctx **ctx)
{
	int r;

	program = prog;
	openlog(prog, LOG_PID, LOG_DAEMON);
	r = load_conf(conf, conf_path);
	if (r < 0)
		return r;
	r = vmfex_new_with_opts(&(struct vmfex_new_opts){
		.sz = sizeof(struct vmfex_new_opts), .sim_dir = conf->sim[0] ? conf->sim : NULL,
		.ignore_env = 1, .log_fn = log_both }, ctx);
	if (r < 0) {
		/* The library said why, to syslog and stderr, through log_both. */
		hook_fail(conf->sim[0] ? conf->sim : "context", strerror(-r));
		return r;
	}
	vmfex_set_log_priority(*ctx, conf->log_priority);
	return 0;
}
