/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Hostile names through the public API: interface names, PCI addresses
 * and driver names are refused with -EINVAL before any path is built, and
 * every refusal or failed look-up logs a line that names the culprit.
 *
 * Usage: test-validation PYTHON (the tree is built with mkfixture.py from
 * tests/data/fixtures/validation.fixture, found through VMFEX_SRCDIR). */
#include <errno.h>
#include <ftw.h>
#include <setjmp.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <libvmfex/libvmfex.h>

extern char **environ;

static const char *python = "/usr/bin/python3";
static char tmpdir[] = "/tmp/vmfex-validation-XXXXXX";
static char tree[512];

/* ---- captured log ---- */

#define MAX_LINES 32
static char log_lines[MAX_LINES][1024];
static int n_log_lines;

static void capture(void *data, int priority, const char *file, int line, const char *fn,
                    const char *format, va_list args) __attribute__((format(printf, 6, 0)));
static void capture(void *data, int priority, const char *file, int line, const char *fn,
                    const char *format, va_list args)
{
	if (n_log_lines < MAX_LINES)
		vsnprintf(log_lines[n_log_lines++], sizeof(log_lines[0]), format, args);
}

static void log_reset(void)
{
	n_log_lines = 0;
}

/* Some logged line contains @p needle. */
static void assert_logged(const char *call, const char *needle)
{
	for (int i = 0; i < n_log_lines; i++)
		if (strstr(log_lines[i], needle))
			return;
	for (int i = 0; i < n_log_lines; i++)
		print_message("  log: %s\n", log_lines[i]);
	fail_msg("%s: no log line names '%s' (%d lines)", call, needle, n_log_lines);
}

/* ---- contexts ---- */

static struct vmfex_ctx *ctx_on(const char *root)
{
	struct vmfex_new_opts opts = { .sz = sizeof(opts), .sysfs_root = root, .ignore_env = 1 };
	struct vmfex_ctx *ctx = NULL;

	if (vmfex_new_with_opts(&opts, &ctx) < 0)
		return NULL;
	vmfex_set_log_fn(ctx, capture, NULL);
	return ctx;
}

/* A root that does not exist: any path built from it fails with ENOENT,
 * so -EINVAL proves the name was refused before. */
static struct vmfex_ctx *ctx_nowhere(void)
{
	char root[600];

	snprintf(root, sizeof(root), "%s/does-not-exist", tmpdir);
	return ctx_on(root);
}

static int setup_ctx_nowhere(void **state)
{
	*state = ctx_nowhere();
	return *state ? 0 : -1;
}

static int setup_ctx_tree(void **state)
{
	*state = ctx_on(tree);
	return *state ? 0 : -1;
}

static int teardown_ctx(void **state)
{
	vmfex_unref(*state);
	return 0;
}

/* ---- the fixture tree ---- */

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static int run_mkfixture(const char *desc, const char *out)
{
	const char *srcdir = getenv("VMFEX_SRCDIR");
	char script[512], fixture[512];
	char *argv[5];
	pid_t pid;
	int status;

	if (!srcdir)
		srcdir = ".";
	snprintf(script, sizeof(script), "%s/tests/data/mkfixture.py", srcdir);
	snprintf(fixture, sizeof(fixture), "%s/tests/data/fixtures/%s", srcdir, desc);
	argv[0] = (char *)python;
	argv[1] = script;
	argv[2] = fixture;
	argv[3] = (char *)out;
	argv[4] = NULL;
	if (posix_spawn(&pid, python, NULL, NULL, argv, environ) != 0)
		return -1;
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	return 0;
}

static int make_link(const char *target, const char *rel)
{
	char path[700];

	snprintf(path, sizeof(path), "%s/%s", tree, rel);
	return symlink(target, path);
}

static int make_dir(const char *rel)
{
	char path[700];

	snprintf(path, sizeof(path), "%s/%s", tree, rel);
	return mkdir(path, 0755);
}

static int setup_tree(void **state)
{
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(tree, sizeof(tree), "%s/sys", tmpdir);
	if (run_mkfixture("validation.fixture", tree) < 0)
		return -1;
	/* Traps: were "../x" or "a/b" ever pasted into class/net/NAME/device,
	 * these links would lead to the PF and the look-up would succeed. */
	if (make_dir("class/x") < 0 ||
	    make_link("../../devices/pci0000:0a/0000:0a:00.0", "class/x/device") < 0 ||
	    make_dir("class/net/a") < 0 || make_dir("class/net/a/b") < 0 ||
	    make_link("../../../../devices/pci0000:0a/0000:0a:00.0", "class/net/a/b/device") < 0)
		return -1;
	return 0;
}

static int teardown_tree(void **state)
{
	if (tmpdir[strlen(tmpdir) - 1] != 'X')
		nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

/* ---- hostile names ---- */

static const char *const bad_ifnames[] = {
	"../x", "a/b", "", "abcdefghijklmnop" /* 16 */, "eth 0", ".", "..", "eth0:1", "eth\t0",
	"/", "../../../../etc", "eth0\n", " eth0",
};

static const char *const bad_pcis[] = {
	"0000:0a:00.0/../..", "..", "0000:0a:00.8", "0000:0a:20.0", "junk", "", ".", "/",
	"0000:0a:00.0\n", " 0000:0a:00.0", "0000:0a:00.0 ", "0a:00.0/..", "0000:0a:00",
	"00000:0a:00.0", "0000:0g:00.0", "../../../../etc/passwd", "0000:0a:00.0:0",
};

/* What a refusal must quote: the name, cut as the library cuts it. */
static void expect_ifname_refused(struct vmfex_ctx *ctx, const char *name)
{
	struct vmfex_pf *pf = NULL;
	struct vmfex_vf *vf = NULL;
	char quoted[80];
	int r;

	snprintf(quoted, sizeof(quoted), "'%s'", name);

	log_reset();
	r = vmfex_pf_new_from_ifname(ctx, name, &pf);
	if (r != -EINVAL)
		fail_msg("vmfex_pf_new_from_ifname('%s'): %d, expected -EINVAL", name, r);
	assert_null(pf);
	assert_logged("vmfex_pf_new_from_ifname", quoted);

	log_reset();
	r = vmfex_vf_new_from_ifname(ctx, name, &vf);
	if (r != -EINVAL)
		fail_msg("vmfex_vf_new_from_ifname('%s'): %d, expected -EINVAL", name, r);
	assert_null(vf);
	assert_logged("vmfex_vf_new_from_ifname", quoted);
}

static void expect_pci_refused(struct vmfex_ctx *ctx, const char *name)
{
	struct vmfex_pf *pf = NULL;
	struct vmfex_vf *vf = NULL;
	char quoted[80];
	int r;

	snprintf(quoted, sizeof(quoted), "'%s'", name);

	log_reset();
	r = vmfex_pf_new_from_pci(ctx, name, &pf);
	if (r != -EINVAL)
		fail_msg("vmfex_pf_new_from_pci('%s'): %d, expected -EINVAL", name, r);
	assert_null(pf);
	assert_logged("vmfex_pf_new_from_pci", quoted);

	log_reset();
	r = vmfex_vf_new_from_pci(ctx, name, &vf);
	if (r != -EINVAL)
		fail_msg("vmfex_vf_new_from_pci('%s'): %d, expected -EINVAL", name, r);
	assert_null(vf);
	assert_logged("vmfex_vf_new_from_pci", quoted);
}

static void ifname_refused_nowhere(void **state)
{
	struct vmfex_ctx *ctx = *state;

	for (size_t i = 0; i < sizeof(bad_ifnames) / sizeof(bad_ifnames[0]); i++)
		expect_ifname_refused(ctx, bad_ifnames[i]);
}

static void ifname_refused_on_tree(void **state)
{
	struct vmfex_ctx *ctx = *state;

	for (size_t i = 0; i < sizeof(bad_ifnames) / sizeof(bad_ifnames[0]); i++)
		expect_ifname_refused(ctx, bad_ifnames[i]);
}

static void ifname_over_long(void **state)
{
	struct vmfex_ctx *ctx = *state;
	struct vmfex_pf *pf = NULL;
	char name[4096], head[17];

	memset(name, 'e', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	/* A long name is quoted cut short; its start names it. */
	memcpy(head, name, 16);
	head[16] = '\0';
	log_reset();
	assert_int_equal(vmfex_pf_new_from_ifname(ctx, name, &pf), -EINVAL);
	assert_null(pf);
	assert_logged("vmfex_pf_new_from_ifname", head);
}

static void ifname_null(void **state)
{
	struct vmfex_ctx *ctx = *state;
	struct vmfex_pf *pf = NULL;
	struct vmfex_vf *vf = NULL;

	assert_int_equal(vmfex_pf_new_from_ifname(ctx, NULL, &pf), -EINVAL);
	assert_int_equal(vmfex_vf_new_from_ifname(ctx, NULL, &vf), -EINVAL);
	assert_int_equal(vmfex_pf_new_from_name(ctx, NULL, &pf), -EINVAL);
	assert_null(pf);
	assert_null(vf);
}

static void pci_refused_nowhere(void **state)
{
	struct vmfex_ctx *ctx = *state;

	for (size_t i = 0; i < sizeof(bad_pcis) / sizeof(bad_pcis[0]); i++)
		expect_pci_refused(ctx, bad_pcis[i]);
}

static void pci_refused_on_tree(void **state)
{
	struct vmfex_ctx *ctx = *state;

	for (size_t i = 0; i < sizeof(bad_pcis) / sizeof(bad_pcis[0]); i++)
		expect_pci_refused(ctx, bad_pcis[i]);
}

static void pci_null(void **state)
{
	struct vmfex_ctx *ctx = *state;
	struct vmfex_pf *pf = NULL;
	struct vmfex_vf *vf = NULL;

	assert_int_equal(vmfex_pf_new_from_pci(ctx, NULL, &pf), -EINVAL);
	assert_int_equal(vmfex_vf_new_from_pci(ctx, NULL, &vf), -EINVAL);
	assert_null(pf);
	assert_null(vf);
}

/* vmfex_pf_new_from_name() takes either kind of name: what is neither is
 * refused the same way. */
static void name_refused(void **state)
{
	struct vmfex_ctx *ctx = *state;
	static const char *const bad[] = {
		"../x", "a/b", "", "abcdefghijklmnop", "eth 0", "0000:0a:00.0/../..", "..",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct vmfex_pf *pf = NULL;
		int r;

		log_reset();
		r = vmfex_pf_new_from_name(ctx, bad[i], &pf);
		if (r != -EINVAL)
			fail_msg("vmfex_pf_new_from_name('%s'): %d, expected -EINVAL", bad[i], r);
		assert_null(pf);
		assert_logged("vmfex_pf_new_from_name", bad[i]);
	}
}

/* ---- well-formed names: what the host says about them ---- */

static void unknown_is_enodev(void **state)
{
	struct vmfex_ctx *ctx = *state;
	struct vmfex_pf *pf = NULL;
	struct vmfex_vf *vf = NULL;

	log_reset();
	assert_int_equal(vmfex_pf_new_from_ifname(ctx, "eth9", &pf), -ENODEV);
	assert_logged("vmfex_pf_new_from_ifname", "eth9");
	log_reset();
	assert_int_equal(vmfex_vf_new_from_ifname(ctx, "eth9", &vf), -ENODEV);
	assert_logged("vmfex_vf_new_from_ifname", "eth9");
	log_reset();
	assert_int_equal(vmfex_pf_new_from_pci(ctx, "0000:0e:00.0", &pf), -ENODEV);
	assert_logged("vmfex_pf_new_from_pci", "0000:0e:00.0");
	log_reset();
	assert_int_equal(vmfex_vf_new_from_pci(ctx, "0000:0e:00.0", &vf), -ENODEV);
	assert_logged("vmfex_vf_new_from_pci", "0000:0e:00.0");
	/* A short form is named canonically. */
	log_reset();
	assert_int_equal(vmfex_pf_new_from_pci(ctx, "0E:00.0", &pf), -ENODEV);
	assert_logged("vmfex_pf_new_from_pci", "0000:0e:00.0");
	/* The VF index past the last VF: no such function either. */
	log_reset();
	assert_int_equal(vmfex_vf_new_from_pci(ctx, "0000:0a:00.3", &vf), -ENODEV);
	assert_logged("vmfex_vf_new_from_pci", "0000:0a:00.3");
	log_reset();
	assert_int_equal(vmfex_pf_new_from_name(ctx, "eth9", &pf), -ENODEV);
	assert_logged("vmfex_pf_new_from_name", "eth9");
	assert_null(pf);
	assert_null(vf);
}

static void vf_as_pf_is_enotsup(void **state)
{
	struct vmfex_ctx *ctx = *state;
	struct vmfex_pf *pf = NULL;

	log_reset();
	assert_int_equal(vmfex_pf_new_from_pci(ctx, "0000:0a:00.1", &pf), -ENOTSUP);
	assert_logged("vmfex_pf_new_from_pci", "0000:0a:00.1");
	log_reset();
	assert_int_equal(vmfex_pf_new_from_ifname(ctx, "enp10s0f0v1", &pf), -ENOTSUP);
	assert_logged("vmfex_pf_new_from_ifname", "0000:0a:00.2");
	/* Nor is a function without SR-IOV a PF. */
	log_reset();
	assert_int_equal(vmfex_pf_new_from_pci(ctx, "0000:02:00.0", &pf), -ENOTSUP);
	assert_logged("vmfex_pf_new_from_pci", "0000:02:00.0");
	log_reset();
	assert_int_equal(vmfex_pf_new_from_ifname(ctx, "enp2s0", &pf), -ENOTSUP);
	assert_logged("vmfex_pf_new_from_ifname", "0000:02:00.0");
	assert_null(pf);
}

static void pf_as_vf_is_enotsup(void **state)
{
	struct vmfex_ctx *ctx = *state;
	struct vmfex_vf *vf = NULL;

	log_reset();
	assert_int_equal(vmfex_vf_new_from_pci(ctx, "0000:0a:00.0", &vf), -ENOTSUP);
	assert_logged("vmfex_vf_new_from_pci", "0000:0a:00.0");
	log_reset();
	assert_int_equal(vmfex_vf_new_from_ifname(ctx, "enp10s0f0", &vf), -ENOTSUP);
	assert_logged("vmfex_vf_new_from_ifname", "0000:0a:00.0");
	log_reset();
	assert_int_equal(vmfex_vf_new_from_pci(ctx, "0000:02:00.0", &vf), -ENOTSUP);
	assert_logged("vmfex_vf_new_from_pci", "0000:02:00.0");
	log_reset();
	assert_int_equal(vmfex_vf_new_from_ifname(ctx, "enp2s0", &vf), -ENOTSUP);
	assert_logged("vmfex_vf_new_from_ifname", "0000:02:00.0");
	assert_null(vf);
}

/* A look-up by interface name that finds the wrong kind of function names
 * the interface the caller gave, not only the PCI address behind it. */
static void enotsup_names_the_interface(void **state)
{
	static const struct {
		bool pf;
		const char *ifname;
	} cases[] = {
		{ true, "enp10s0f0v1" }, { true, "enp2s0" }, { false, "enp10s0f0" }, { false, "enp2s0" },
	};
	struct vmfex_ctx *ctx = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vmfex_pf *pf = NULL;
		struct vmfex_vf *vf = NULL;
		const char *call = cases[i].pf ? "vmfex_pf_new_from_ifname"
		                               : "vmfex_vf_new_from_ifname";

		log_reset();
		assert_int_equal(cases[i].pf ? vmfex_pf_new_from_ifname(ctx, cases[i].ifname, &pf)
		                             : vmfex_vf_new_from_ifname(ctx, cases[i].ifname, &vf),
		                 -ENOTSUP);
		assert_logged(call, cases[i].ifname);
	}
}

/* The refusals above are not a blanket failure: sound names succeed. */
static void sound_names_found(void **state)
{
	struct vmfex_ctx *ctx = *state;
	struct vmfex_pf *pf = NULL;
	struct vmfex_vf *vf = NULL;

	log_reset();
	assert_int_equal(vmfex_pf_new_from_pci(ctx, "0000:0a:00.0", &pf), 0);
	assert_string_equal(vmfex_pf_get_pci(pf), "0000:0a:00.0");
	pf = vmfex_pf_unref(pf);
	assert_int_equal(vmfex_pf_new_from_pci(ctx, "0A:00.0", &pf), 0);
	assert_string_equal(vmfex_pf_get_pci(pf), "0000:0a:00.0");
	pf = vmfex_pf_unref(pf);
	assert_int_equal(vmfex_pf_new_from_ifname(ctx, "enp10s0f0", &pf), 0);
	assert_string_equal(vmfex_pf_get_pci(pf), "0000:0a:00.0");
	assert_int_equal(vmfex_pf_get_num_vfs(pf), 2);
	pf = vmfex_pf_unref(pf);
	assert_int_equal(vmfex_pf_new_from_name(ctx, "enp10s0f0", &pf), 0);
	pf = vmfex_pf_unref(pf);
	assert_int_equal(vmfex_vf_new_from_pci(ctx, "0000:0a:00.1", &vf), 0);
	assert_int_equal(vmfex_vf_get_index(vf), 0);
	vf = vmfex_vf_unref(vf);
	assert_int_equal(vmfex_vf_new_from_ifname(ctx, "enp10s0f0v1", &vf), 0);
	assert_int_equal(vmfex_vf_get_index(vf), 1);
	assert_string_equal(vmfex_vf_get_pci(vf), "0000:0a:00.2");
	vf = vmfex_vf_unref(vf);
	assert_int_equal(n_log_lines, 0);
}

/* ---- driver names ---- */

static void read_tree_file(const char *rel, char *buf, size_t size)
{
	char path[700];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", tree, rel);
	f = fopen(path, "re");
	assert_non_null(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static void driver_refused(void **state)
{
	static const char *const bad[] = {
		"../x", "vfio/pci", "", ".", "..", "vfio pci", "vfio-pci\n", "enic:",
		"../../../../../bin/sh",
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-", /* 65 */
	};
	struct vmfex_ctx *ctx = *state;
	struct vmfex_vf *vf = NULL;
	char buf[256];

	assert_int_equal(vmfex_vf_new_from_pci(ctx, "0000:0a:00.1", &vf), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char quoted[80];
		int r;

		/* Names past the longest valid one are quoted cut to its length. */
		snprintf(quoted, sizeof(quoted), strlen(bad[i]) > 64 ? "'%.64s" : "'%s'", bad[i]);
		log_reset();
		r = vmfex_vf_bind_driver(vf, bad[i]);
		if (r != -EINVAL)
			fail_msg("vmfex_vf_bind_driver('%s'): %d, expected -EINVAL", bad[i], r);
		assert_logged("vmfex_vf_bind_driver", quoted);
	}
	/* Nothing was written: the override is as the tree was made. */
	read_tree_file("bus/pci/devices/0000:0a:00.1/driver_override", buf, sizeof(buf));
	assert_string_equal(buf, "(null)\n");
	read_tree_file("bus/pci/drivers_probe", buf, sizeof(buf));
	assert_string_equal(buf, "");
	assert_string_equal(vmfex_vf_get_driver(vf), "enic");
	vmfex_vf_unref(vf);
}

/* Each test gets a context on the tree, or on a root that does not exist. */
#define TEST_ON(f, where) cmocka_unit_test_setup_teardown(f, setup_ctx_##where, teardown_ctx)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		TEST_ON(ifname_refused_nowhere, nowhere),
		TEST_ON(ifname_refused_on_tree, tree),
		TEST_ON(ifname_over_long, nowhere),
		TEST_ON(ifname_null, nowhere),
		TEST_ON(pci_refused_nowhere, nowhere),
		TEST_ON(pci_refused_on_tree, tree),
		TEST_ON(pci_null, nowhere),
		TEST_ON(name_refused, nowhere),
		TEST_ON(unknown_is_enodev, tree),
		TEST_ON(vf_as_pf_is_enotsup, tree),
		TEST_ON(pf_as_vf_is_enotsup, tree),
		TEST_ON(sound_names_found, tree),
		TEST_ON(driver_refused, tree),
		TEST_ON(enotsup_names_the_interface, tree),
	};

	if (argc > 1)
		python = argv[1];
	return cmocka_run_group_tests(tests, setup_tree, teardown_tree);
}
