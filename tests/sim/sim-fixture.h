/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Simulated hosts for tests: made fresh in a temporary directory from a
 * description in examples/hosts/ or from inline JSON, removed afterwards. */
#ifndef SIM_FIXTURE_H
#define SIM_FIXTURE_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <libvmfex/libvmfex.h>

struct sim_fixture {
	char dir[256];
	struct vmfex_ctx *ctx;
	char log[8192];          /* every message logged, one per line */
};

static void sim_fixture_log(void *data, int priority, const char *file, int line,
                            const char *fn, const char *format, va_list args) __attribute__((format(printf, 6, 0)));
static void sim_fixture_log(void *data, int priority, const char *file, int line,
                            const char *fn, const char *format, va_list args)
{
	struct sim_fixture *f = data;
	size_t n = strlen(f->log);

	if (n + 2 >= sizeof(f->log))
		return;
	vsnprintf(f->log + n, sizeof(f->log) - n - 1, format, args);
	strcat(f->log, "\n");
}

static inline const char *sim_fixture_host(const char *name, char *buf, size_t size)
{
	const char *src = getenv("VMFEX_SRCDIR");

	snprintf(buf, size, "%s/examples/hosts/%s", src ? src : ".", name);
	return buf;
}

/* A context on a new simulated host; host is a file name in examples/hosts
 * or, when it starts with '{', the description itself. */
static inline int sim_fixture_open(struct sim_fixture *f, const char *host)
{
	char desc[512];
	struct vmfex_new_opts opts = { .sz = sizeof(opts), .ignore_env = 1 };
	const char *tmpdir = getenv("TMPDIR");
	struct vmfex_ctx *tmp;
	int r;

	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "%s/vmfex-test-XXXXXX",
	         tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(f->dir))
		return -1;
	if (host[0] == '{') {
		FILE *out;

		snprintf(desc, sizeof(desc), "%s.json", f->dir);
		out = fopen(desc, "w");
		if (!out)
			return -1;
		fputs(host, out);
		fclose(out);
	} else {
		sim_fixture_host(host, desc, sizeof(desc));
	}
	r = vmfex_new_with_opts(&opts, &tmp);
	if (r < 0)
		return r;
	vmfex_set_log_fn(tmp, sim_fixture_log, f);
	r = vmfex_sim_create(tmp, f->dir, desc);
	vmfex_unref(tmp);
	if (host[0] == '{')
		unlink(desc);
	if (r < 0)
		return r;
	opts.sim_dir = f->dir;
	r = vmfex_new_with_opts(&opts, &f->ctx);
	if (r < 0)
		return r;
	vmfex_set_log_fn(f->ctx, sim_fixture_log, f);
	vmfex_set_log_priority(f->ctx, LOG_DEBUG);
	return 0;
}

static inline void sim_fixture_close(struct sim_fixture *f)
{
	char cmd[300];

	vmfex_unref(f->ctx);
	f->ctx = NULL;
	if (f->dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", f->dir);
	}
}

/* The content of a file below the simulated sysfs, without its newline. */
static inline const char *sim_fixture_read(struct sim_fixture *f, const char *rel, char *buf,
                                           size_t size)
{
	char path[512];
	FILE *in;
	size_t n;

	snprintf(path, sizeof(path), "%s/sysfs/%s", f->dir, rel);
	in = fopen(path, "r");
	if (!in)
		return NULL;
	n = fread(buf, 1, size - 1, in);
	fclose(in);
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return buf;
}

static inline int sim_fixture_exists(struct sim_fixture *f, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/sysfs/%s", f->dir, rel);
	return access(path, F_OK) == 0;
}

#endif
