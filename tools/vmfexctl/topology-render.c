/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The topology picture: the library's DOT given to Graphviz's dot program
 * on its standard input. Run here, not in the library, which spawns no
 * program. */
#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmfexctl.h"

extern char **environ;

/* The absolute path of a program in PATH, or -ENOENT. */
static int find_in_path(const char *prog, char *buf, size_t size)
{
	const char *path = getenv("PATH");

	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");
		int m = snprintf(buf, size, "%.*s/%s", (int)n, n ? path : ".", prog);

		if (m > 0 && (size_t)m < size && access(buf, X_OK) == 0)
			return 0;
		path += n;
		if (*path == ':')
			path++;
	}
	return -ENOENT;
}

int topology_render(const char *dot, size_t len, const char *format, const char *path)
{
	posix_spawn_file_actions_t fa;
	char prog[PATH_MAX], fmt_arg[16], *out_arg = NULL;
	char *argv[4];
	pid_t pid;
	int fd, r, status;

	if (find_in_path("dot", prog, sizeof(prog)) < 0)
		return fail(-ENOENT, "topology: Graphviz's dot program is not in PATH: install "
		            "graphviz to write %s", format);
	/* dot reads the graph from a memory file: no pipe to feed. */
	fd = memfd_create("vmfex-topology.dot", MFD_CLOEXEC);
	if (fd < 0)
		return fail(-errno, "topology: memfd_create");
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, dot + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			r = -errno;
			close(fd);
			return fail(r, "topology: writing the graph");
		}
		off += (size_t)w;
	}
	if (lseek(fd, 0, SEEK_SET) < 0 || asprintf(&out_arg, "-o%s", path) < 0) {
		r = errno ? -errno : -ENOMEM;
		close(fd);
		return fail(r, "topology");
	}
	snprintf(fmt_arg, sizeof(fmt_arg), "-T%s", format);
	argv[0] = (char *)"dot";
	argv[1] = fmt_arg;
	argv[2] = out_arg;
	argv[3] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd, STDIN_FILENO);
	r = -posix_spawn(&pid, prog, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fd);
	free(out_arg);
	if (r < 0)
		return fail(r, "topology: cannot run %s", prog);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return fail(-errno, "topology: waiting for %s", prog);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return fail(-EIO, "topology: %s -T%s failed (status %d) writing %s", prog, format,
		            status, path);
	return EXIT_OK;
}
