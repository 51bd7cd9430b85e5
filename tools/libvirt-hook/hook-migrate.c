/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One empty file per incoming migration, named by the VM's UUID, in the
 * hook's state directory (a tmpfs under /run: a reboot forgets them). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libvmfex-private.h"
#include "hook-migrate.h"

static int marker(struct hook *h, const char *vm_uuid, char path[PATH_MAX])
{
	if ((size_t)snprintf(path, PATH_MAX, "%s/%s.migrating", h->conf.state_dir, vm_uuid) >=
	    PATH_MAX)
		return -ENAMETOOLONG;
	return 0;
}

int hook_migrate_remember(struct hook *h, const char *vm_uuid)
{
	char path[PATH_MAX];
	int fd;

	if (marker(h, vm_uuid, path) < 0)
		return -ENAMETOOLONG;
	/* The directory and its parent (/run/vmfex after a reboot). */
	for (int pass = 0; pass < 2; pass++) {
		char dir[PATH_MAX];
		char *slash;

		snprintf(dir, sizeof(dir), "%s", h->conf.state_dir);
		slash = strrchr(dir, '/');
		if (pass == 0 && slash && slash != dir)
			*slash = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
			int e = errno;

			ERR(h->ctx, "state directory %s: %s", dir, strerror(e));
			return -e;
		}
	}
	fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		int e = errno;

		ERR(h->ctx, "%s: %s", path, strerror(e));
		return -e;
	}
	close(fd);
	INFO(h->ctx, "VM %s migrates in: its ports are pre-associated until it runs here",
	     vm_uuid);
	return 0;
}

bool hook_migrate_pending(struct hook *h, const char *vm_uuid)
{
	char path[PATH_MAX];
	struct stat st;

	return marker(h, vm_uuid, path) == 0 && lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

void hook_migrate_forget(struct hook *h, const char *vm_uuid)
{
	char path[PATH_MAX];

	if (marker(h, vm_uuid, path) == 0 && unlink(path) < 0 && errno != ENOENT)
		WARN(h->ctx, "%s: %s", path, strerror(errno));
}
