/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A profile's max ports holds only if no two attaches count its ports at
 * once: the count and the port request that adds one are made under this
 * lock, shared by every process of the host (a file in the backend's state
 * directory). The adapter's wait is outside it. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "workflow-private.h"

#define ADMISSION_LOCK_FILE "ports.lock"

int vmfex_admission_lock(struct vmfex_ctx *ctx, int *fd_out)
{
	const char *dir = vmfex_backend_state_dir(ctx);
	char path[PATH_MAX];
	int fd, r;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		r = -errno;
		ERR(ctx, "cannot create %s: %s", dir, strerror(-r));
		return r;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/" ADMISSION_LOCK_FILE, dir) >= sizeof(path)) {
		ERR(ctx, "%s: path of the port lock too long", dir);
		return -ENAMETOOLONG;
	}
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		r = -errno;
		ERR(ctx, "cannot open %s: %s", path, strerror(-r));
		return r;
	}
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			r = -errno;
			ERR(ctx, "cannot lock %s: %s", path, strerror(-r));
			close(fd);
			return r;
		}
	}
	*fd_out = fd;
	return 0;
}

void vmfex_admission_unlock(int *fd)
{
	if (*fd < 0)
		return;
	close(*fd);
	*fd = -1;
}
