/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The catalog file: round trips (byte for byte on the second save), the
 * schema check on load, atomic saves under injected faults (ENOSPC and
 * EIO from write, EIO from fsync, a failing rename), a writer killed
 * with SIGKILL in a save loop, and two processes updating one file at
 * once under the writers' lock. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "model/model-private.h"

static char last_log[1024];

static void capture_log(void *data, int priority, const char *file, int line, const char *fn,
                        const char *format, va_list args)
{
	vsnprintf(last_log, sizeof(last_log), format, args);
}

struct fx {
	struct vmfex_ctx *ctx;
	char dir[256];
	char path[300];
};

static int setup(void **state)
{
	static struct fx f;
	struct vmfex_new_opts o = { .sz = sizeof(o), .sysfs_root = "/nonexistent", .ignore_env = 1 };
	const char *tmp = getenv("TMPDIR");

	assert_int_equal(vmfex_new_with_opts(&o, &f.ctx), 0);
	vmfex_set_log_fn(f.ctx, capture_log, NULL);
	snprintf(f.dir, sizeof(f.dir), "%s/catalog-test-XXXXXX", tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(f.dir));
	snprintf(f.path, sizeof(f.path), "%s/catalog.xml", f.dir);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[400];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	vmfex_unref(f->ctx);
	return 0;
}

static struct vmfex_catalog *sample(struct vmfex_ctx *ctx, int n, const char *prefix)
{
	struct vmfex_catalog *c;

	assert_int_equal(vmfex_catalog_new(ctx, &c), 0);
	assert_int_equal(vmfex_catalog_add_cluster(c, "rack-2", NULL), 0);
	for (int i = 0; i < n; i++) {
		struct vmfex_profile *p;
		char name[32], vlan[32];

		snprintf(name, sizeof(name), "%s-%d", prefix, i);
		assert_int_equal(vmfex_catalog_add_profile(c, name, &p), 0);
		snprintf(vlan, sizeof(vlan), "vlan-%d", i % 4093 + 1);
		assert_int_equal(vmfex_profile_set_vlan(p, vlan, (unsigned)(i % 4093 + 1), true), 0);
		assert_int_equal(vmfex_profile_set_vlan(p, "mgmt", 10, false), 0);
		assert_int_equal(vmfex_profile_set_descr(p, "web <tier>"), -EINVAL);
		assert_int_equal(vmfex_profile_set_descr(p, "web tier (a/b) #1 & more @ x"), 0);
		assert_int_equal(vmfex_profile_set_qos_policy(p, "gold"), 0);
		assert_int_equal(vmfex_profile_set_nw_ctrl_policy(p, "cdp-on"), 0);
		if (i % 2)
			assert_int_equal(vmfex_profile_set_pin_group(p, "pin-a"), 0);
		assert_int_equal(vmfex_profile_set_max_ports(p, (unsigned)(i % 4096 + 1)), 0);
		assert_int_equal(vmfex_profile_set_host_nw_io_perf(p, (enum vmfex_host_nw_io_perf)(i % 2)), 0);
		assert_int_equal(vmfex_profile_set_type(p, (enum vmfex_profile_type)(i % 3 == 0)), 0);
		assert_int_equal(vmfex_profile_add_client(p, "default"), 0);
		if (i % 5 == 0)
			assert_int_equal(vmfex_profile_add_client(p, "rack-2"), 0);
		vmfex_profile_unref(p);
	}
	return c;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void round_trip(void **state)
{
	struct fx *f = *state;
	struct vmfex_catalog *c = sample(f->ctx, 50, "pp"), *d;
	char *a, *b, *x;
	size_t la, lb, lx;
	char second[400];

	assert_int_equal(vmfex_catalog_save(c, f->path), 0);
	assert_int_equal(vmfex_catalog_open(f->ctx, f->path, NULL, &d), 0);
	assert_string_equal(vmfex_catalog_get_path(d), f->path);
	assert_int_equal(vmfex_catalog_get_n_profiles(d), 50);
	snprintf(second, sizeof(second), "%s/second.xml", f->dir);
	assert_int_equal(vmfex_catalog_save(d, second), 0);
	a = slurp(f->path, &la);
	b = slurp(second, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	/* The same bytes in memory; and a third generation too. */
	assert_int_equal(vmfex_catalog_write_buffer(d, &x, &lx), 0);
	assert_int_equal(lx, la);
	assert_memory_equal(x, a, la);
	free(x);
	vmfex_catalog_unref(d);
	assert_int_equal(vmfex_catalog_new_from_buffer(f->ctx, b, lb, &d), 0);
	assert_int_equal(vmfex_catalog_write_buffer(d, &x, &lx), 0);
	assert_memory_equal(x, a, la);
	/* Values survive. */
	{
		struct vmfex_profile *p;
		struct vmfex_vlan *v;

		assert_int_equal(vmfex_catalog_lookup_profile(d, "pp-7", &p), 0);
		assert_string_equal(vmfex_profile_get_descr(p), "web tier (a/b) #1 & more @ x");
		assert_string_equal(vmfex_profile_get_pin_group(p), "pin-a");
		assert_int_equal(vmfex_profile_get_max_ports(p), 8);
		assert_int_equal(vmfex_profile_get_host_nw_io_perf(p), 1);
		v = vmfex_profile_next_vlan(p, NULL);
		assert_string_equal(vmfex_vlan_get_name(v), "mgmt");
		assert_false(vmfex_vlan_is_native(v));
		v = vmfex_profile_next_vlan(p, v);
		assert_string_equal(vmfex_vlan_get_name(v), "vlan-8");
		assert_int_equal(vmfex_vlan_get_id(v), 8);
		assert_true(vmfex_vlan_is_native(v));
		vmfex_profile_unref(p);
	}
	free(x);
	free(a);
	free(b);
	vmfex_catalog_unref(d);
	vmfex_catalog_unref(c);
}

static void missing_and_create(void **state)
{
	struct fx *f = *state;
	struct vmfex_catalog_open_opts o = { .sz = sizeof(o), .create = true, .lock = true };
	struct vmfex_catalog *c;

	assert_int_equal(vmfex_catalog_open(f->ctx, f->path, NULL, &c), -ENOENT);
	assert_int_equal(vmfex_catalog_open(f->ctx, f->path, &o, &c), 0);
	assert_int_equal(vmfex_catalog_get_n_profiles(c), 0);
	assert_non_null(vmfex_catalog_next_cluster(c, NULL));
	assert_int_equal(vmfex_catalog_save(c, NULL), 0);
	vmfex_catalog_unref(c);
	assert_int_equal(vmfex_catalog_open(f->ctx, f->path, NULL, &c), 0);
	vmfex_catalog_unref(c);
}

static int load_buf(struct fx *f, const char *s)
{
	struct vmfex_catalog *c = NULL;
	int r = vmfex_catalog_new_from_buffer(f->ctx, s, strlen(s), &c);

	vmfex_catalog_unref(c);
	return r;
}

#define HEAD "<?xml version=\"1.0\"?><catalog version=\"1\">"
#define PROF(attrs, body) \
	"<profile name=\"p\" max-ports=\"64\" host-nw-io-perf=\"none\" type=\"regular\"" attrs ">" body "</profile>"

static void schema(void **state)
{
	struct fx *f = *state;

	assert_int_equal(load_buf(f, HEAD "</catalog>"), 0);
	assert_int_equal(load_buf(f, HEAD PROF("", "") "</catalog>"), 0);
	assert_int_equal(load_buf(f, HEAD "<cluster name=\"c\"/>" PROF("", "<vlan name=\"v\" id=\"5\" native=\"yes\"/><client cluster=\"c\"/>") "</catalog>"), 0);
	/* The schema's rules. */
	assert_int_equal(load_buf(f, "<?xml version=\"1.0\"?><catalog version=\"2\"></catalog>"), -EINVAL);
	assert_true(strstr(last_log, ":1: not a valid catalog") != NULL);
	assert_int_equal(load_buf(f, HEAD "<profile name=\"p\"/></catalog>"), -EINVAL);
	assert_int_equal(load_buf(f, HEAD PROF(" bogus=\"1\"", "") "</catalog>"), -EINVAL);
	assert_int_equal(load_buf(f, HEAD "<profile name=\"p\" max-ports=\"4097\" host-nw-io-perf=\"none\" type=\"regular\"/></catalog>"), -EINVAL);
	assert_int_equal(load_buf(f, HEAD "<profile name=\"p\" max-ports=\"0\" host-nw-io-perf=\"none\" type=\"regular\"/></catalog>"), -EINVAL);
	assert_int_equal(load_buf(f, HEAD "<profile name=\"p\" max-ports=\"64\" host-nw-io-perf=\"fast\" type=\"regular\"/></catalog>"), -EINVAL);
	assert_int_equal(load_buf(f, HEAD "<profile name=\"p\" max-ports=\"64\" host-nw-io-perf=\"none\" type=\"sla\"/></catalog>"), -EINVAL);
	assert_int_equal(load_buf(f, HEAD "<profile name=\"a&quot;b\" max-ports=\"64\" host-nw-io-perf=\"none\" type=\"regular\"/></catalog>"), -EINVAL);
	assert_int_equal(load_buf(f, HEAD "<profile name=\"a&lt;b&gt;\" max-ports=\"64\" host-nw-io-perf=\"none\" type=\"regular\"/></catalog>"), -EINVAL);
	assert_int_equal(load_buf(f, HEAD PROF(" descr=\"a&lt;b\"", "") "</catalog>"), -EINVAL);
	assert_int_equal(load_buf(f, HEAD PROF("", "<vlan name=\"v\" id=\"4094\" native=\"no\"/>") "</catalog>"), -EINVAL);
	/* What a schema cannot say. */
	assert_int_equal(load_buf(f, HEAD PROF("", "") PROF("", "") "</catalog>"), -EINVAL);
	assert_true(strstr(last_log, "'p' twice") != NULL || strstr(last_log, "invalid profile") != NULL);
	assert_int_equal(load_buf(f, HEAD PROF("", "<vlan name=\"a\" id=\"5\" native=\"yes\"/><vlan name=\"b\" id=\"6\" native=\"yes\"/>") "</catalog>"), -EINVAL);
	assert_int_equal(load_buf(f, HEAD PROF("", "<vlan name=\"a\" id=\"5\" native=\"no\"/><vlan name=\"a\" id=\"6\" native=\"no\"/>") "</catalog>"), -EINVAL);
	assert_int_equal(load_buf(f, HEAD PROF("", "<client cluster=\"nowhere\"/>") "</catalog>"), -EINVAL);
	assert_int_equal(load_buf(f, HEAD "<cluster name=\"c\"/><cluster name=\"c\"/></catalog>"), -EINVAL);
}

/* ---- injected faults ---- */

static int fail_errno;
static int fail_after;               /* writes that succeed before failing */

static ssize_t bad_write(int fd, const void *buf, size_t len)
{
	if (fail_after-- <= 0) {
		errno = fail_errno;
		return -1;
	}
	/* Half a buffer at a time, so that a failure comes mid-file. */
	return write(fd, buf, len > 1 ? len / 2 : len);
}

static int good_fsync(int fd)
{
	return fsync(fd);
}

static int bad_fsync(int fd)
{
	errno = EIO;
	return -1;
}

static int bad_rename(const char *a, const char *b)
{
	errno = EXDEV;
	return -1;
}

static void faults(void **state)
{
	struct fx *f = *state;
	struct vmfex_catalog *old = sample(f->ctx, 10, "old"), *new = sample(f->ctx, 3000, "new");
	static const struct vmfex_catalog_io write_fails = { bad_write, good_fsync, rename };
	static const struct vmfex_catalog_io fsync_fails = { write, bad_fsync, rename };
	static const struct vmfex_catalog_io rename_fails = { write, good_fsync, bad_rename };
	static const int errs[] = { ENOSPC, EIO, EDQUOT };
	char *before, *after;
	size_t lb, la;

	assert_int_equal(vmfex_catalog_save(old, f->path), 0);
	before = slurp(f->path, &lb);
	for (size_t e = 0; e < sizeof(errs) / sizeof(*errs); e++) {
		for (int after_n = 0; after_n < 4; after_n++) {
			fail_errno = errs[e];
			fail_after = after_n;
			vmfex_catalog_set_io(new, &write_fails);
			assert_int_equal(vmfex_catalog_save(new, f->path), -errs[e]);
			assert_true(strstr(last_log, "previous catalog is unchanged") != NULL);
			after = slurp(f->path, &la);
			assert_int_equal(la, lb);
			assert_memory_equal(after, before, lb);
			free(after);
		}
	}
	vmfex_catalog_set_io(new, &fsync_fails);
	assert_int_equal(vmfex_catalog_save(new, f->path), -EIO);
	vmfex_catalog_set_io(new, &rename_fails);
	assert_int_equal(vmfex_catalog_save(new, f->path), -EXDEV);
	after = slurp(f->path, &la);
	assert_int_equal(la, lb);
	assert_memory_equal(after, before, lb);
	free(after);
	/* No temporary file is left behind, and the old catalog loads. */
	{
		char tmp[400];
		struct vmfex_catalog *c;

		snprintf(tmp, sizeof(tmp), "%s/.catalog.xml.tmp", f->dir);
		assert_int_equal(access(tmp, F_OK), -1);
		assert_int_equal(vmfex_catalog_open(f->ctx, f->path, NULL, &c), 0);
		assert_int_equal(vmfex_catalog_get_n_profiles(c), 10);
		vmfex_catalog_unref(c);
	}
	vmfex_catalog_set_io(new, NULL);
	assert_int_equal(vmfex_catalog_save(new, f->path), 0);
	free(before);
	vmfex_catalog_unref(old);
	vmfex_catalog_unref(new);
}

/* A writer saving two catalogs in turn is killed at random moments: the
 * file is always one of them, whole. */
static void kill_during_saves(void **state)
{
	struct fx *f = *state;
	struct vmfex_catalog *a = sample(f->ctx, 1500, "a"), *b = sample(f->ctx, 700, "b");
	char *ba, *bb;
	size_t la, lb;
	int seen_a = 0, seen_b = 0;

	assert_int_equal(vmfex_catalog_write_buffer(a, &ba, &la), 0);
	assert_int_equal(vmfex_catalog_write_buffer(b, &bb, &lb), 0);
	assert_int_equal(vmfex_catalog_save(a, f->path), 0);
	srand((unsigned)time(NULL));
	for (int round = 0; round < 25; round++) {
		pid_t pid = fork();
		struct timespec ts = { 0, (long)(rand() % 20000) * 1000 };
		struct vmfex_catalog *c;
		char *got;
		size_t lg;
		int st;

		assert_true(pid >= 0);
		if (pid == 0) {
			for (;;) {
				vmfex_catalog_save(b, f->path);
				vmfex_catalog_save(a, f->path);
			}
		}
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		assert_int_equal(waitpid(pid, &st, 0), pid);
		got = slurp(f->path, &lg);
		assert_non_null(got);
		if (lg == la && memcmp(got, ba, la) == 0)
			seen_a++;
		else if (lg == lb && memcmp(got, bb, lb) == 0)
			seen_b++;
		else
			fail_msg("round %d: the file is neither catalog (%zu bytes)", round, lg);
		assert_int_equal(vmfex_catalog_open(f->ctx, f->path, NULL, &c), 0);
		vmfex_catalog_unref(c);
		free(got);
	}
	print_message("after SIGKILL: first catalog %d times, second %d times\n", seen_a, seen_b);
	free(ba);
	free(bb);
	vmfex_catalog_unref(a);
	vmfex_catalog_unref(b);
}

/* Two processes each add their own profiles, one at a time, with a lock,
 * load, change and save: no update is lost. */
static void two_writers(void **state)
{
	struct fx *f = *state;
	enum { N = 40 };
	pid_t pids[2];
	struct vmfex_catalog *c;

	for (int w = 0; w < 2; w++) {
		pids[w] = fork();
		assert_true(pids[w] >= 0);
		if (pids[w] == 0) {
			struct vmfex_catalog_open_opts o = { .sz = sizeof(o), .lock = true,
			                                     .create = true };

			for (int i = 0; i < N; i++) {
				char name[32];

				snprintf(name, sizeof(name), "w%d-%d", w, i);
				if (vmfex_catalog_open(f->ctx, f->path, &o, &c) < 0)
					_exit(1);
				if (vmfex_catalog_add_profile(c, name, NULL) < 0 ||
				    vmfex_catalog_save(c, NULL) < 0)
					_exit(2);
				vmfex_catalog_unref(c);
			}
			_exit(0);
		}
	}
	for (int w = 0; w < 2; w++) {
		int st;

		assert_int_equal(waitpid(pids[w], &st, 0), pids[w]);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 0);
	}
	assert_int_equal(vmfex_catalog_open(f->ctx, f->path, NULL, &c), 0);
	assert_int_equal(vmfex_catalog_get_n_profiles(c), 2 * N);
	vmfex_catalog_unref(c);
}

static void save_errors(void **state)
{
	struct fx *f = *state;
	struct vmfex_catalog *c = sample(f->ctx, 1, "x");
	char path[400];

	assert_int_equal(vmfex_catalog_save(c, NULL), -EINVAL);
	snprintf(path, sizeof(path), "%s/no/such/dir/catalog.xml", f->dir);
	assert_true(vmfex_catalog_save(c, path) < 0);
	assert_true(strstr(last_log, "no/such/dir") != NULL);
	vmfex_catalog_unref(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(missing_and_create, setup, teardown),
		cmocka_unit_test_setup_teardown(schema, setup, teardown),
		cmocka_unit_test_setup_teardown(faults, setup, teardown),
		cmocka_unit_test_setup_teardown(kill_during_saves, setup, teardown),
		cmocka_unit_test_setup_teardown(two_writers, setup, teardown),
		cmocka_unit_test_setup_teardown(save_errors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
