/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmfexctl libvirt-hook install|uninstall [--hooks-dir DIR] [--hook PATH]:
 * put vmfex-libvirt-hook in libvirtd's network.d/ and qemu.d/ hook
 * directories (as a symbolic link named 'vmfex'), or take it out. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "vmfexctl.h"

#define DEFAULT_HOOKS_DIR "/etc/libvirt/hooks"
#define HOOK_NAME "vmfex"

static const char *const hook_dirs[] = { "network.d", "qemu.d" };

/* 0 to go on; else the exit status (EXIT_OK after --help). */
static int parse(struct vmfexctl *g, int argc, char **argv, const char **hooks_dir,
                 const char **hook, bool *done)
{
	static const struct option options[] = {
		{ "hooks-dir", required_argument, NULL, 'd' },
		{ "hook", required_argument, NULL, 'H' },
		{}
	};
	struct args a;
	int c;

	*hooks_dir = DEFAULT_HOOKS_DIR;
	*hook = VMFEX_LIBEXECDIR "/vmfex-libvirt-hook";
	args_init(&a, g, argc, argv, options, 0, 0);
	while ((c = args_next(&a)) > 0) {
		switch (c) {
		case 'd': *hooks_dir = a.arg; break;
		case 'H': *hook = a.arg; break;
		}
	}
	*done = c == ARGS_EXIT;
	if (*done)
		return a.status;
	*done = true;
	if ((*hook)[0] != '/')
		return usage_error("libvirt-hook: --hook takes an absolute path, not '%s'", *hook);
	*done = false;
	return 0;
}

static int link_path(char buf[PATH_MAX], const char *hooks_dir, const char *sub)
{
	if ((size_t)snprintf(buf, PATH_MAX, "%s/%s/" HOOK_NAME, hooks_dir, sub) >= PATH_MAX)
		return fail(-ENAMETOOLONG, "%s/%s", hooks_dir, sub);
	return 0;
}

/* Make one link (install) or remove it. */
static int place(const char *hooks_dir, const char *sub, const char *hook, bool install)
{
	char path[PATH_MAX], dir[PATH_MAX];

	if (link_path(path, hooks_dir, sub))
		return EXIT_FAIL;
	if (!install) {
		if (unlink(path) < 0 && errno != ENOENT)
			return fail(-errno, "cannot remove %s", path);
		printf("%s removed\n", path);
		return EXIT_OK;
	}
	snprintf(dir, sizeof(dir), "%s/%s", hooks_dir, sub); /* shorter than path */
	if (mkdir(hooks_dir, 0755) < 0 && errno != EEXIST)
		return fail(-errno, "cannot make %s", hooks_dir);
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return fail(-errno, "cannot make %s", dir);
	/* Replaced, so that a new --hook takes effect. */
	if (unlink(path) < 0 && errno != ENOENT)
		return fail(-errno, "cannot replace %s", path);
	if (symlink(hook, path) < 0)
		return fail(-errno, "cannot link %s to %s", path, hook);
	printf("%s -> %s\n", path, hook);
	return EXIT_OK;
}

static int hook_links(struct vmfexctl *g, int argc, char **argv, bool install)
{
	const char *hooks_dir, *hook;
	bool done;
	int r;

	r = parse(g, argc, argv, &hooks_dir, &hook, &done);
	if (done)
		return r;
	/* Not an error: the links may be made before the hook is installed. */
	if (install && access(hook, X_OK) < 0)
		printf("note: %s is not an executable file (yet): %s\n", hook, strerror(errno));
	for (size_t i = 0; i < sizeof(hook_dirs) / sizeof(hook_dirs[0]); i++) {
		r = place(hooks_dir, hook_dirs[i], hook, install);
		if (r)
			return r;
	}
	printf("libvirtd %s hooks when it gets SIGHUP: run "
	       "'systemctl reload libvirtd' (or 'kill -HUP' its pid)\n",
	       install ? "reads new" : "forgets removed");
	return EXIT_OK;
}

static int hook_install(struct vmfexctl *g, int argc, char **argv)
{
	return hook_links(g, argc, argv, true);
}

static int hook_uninstall(struct vmfexctl *g, int argc, char **argv)
{
	return hook_links(g, argc, argv, false);
}

int cmd_libvirt_hook(struct vmfexctl *g, int argc, char **argv)
{
	static const struct command cmds[] = {
		{ "install", hook_install, "[--hooks-dir DIR] [--hook PATH]",
		  "link vmfex-libvirt-hook into libvirtd's network.d/ and qemu.d/" },
		{ "uninstall", hook_uninstall, "[--hooks-dir DIR]", "remove the two links" },
		{}
	};

	return run_subcommand(g, "libvirt-hook", cmds, argc, argv);
}
