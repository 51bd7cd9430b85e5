/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The catalog file on disk: opening it, the writers' lock (flock on
 * PATH.lock), and the atomic save (a temporary file in the same
 * directory, fsync, rename, fsync of the directory). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/safe-file.h"
#include "model/model-private.h"

static ssize_t sys_write(int fd, const void *buf, size_t len)
{
	return write(fd, buf, len);
}

static int sys_fsync(int fd)
{
	return fsync(fd);
}

static const struct vmfex_catalog_io sys_io = {
	.write = sys_write,
	.fsync = sys_fsync,
	.rename = rename,
};

/* Tests replace the file operations to inject faults; NULL restores. */
void vmfex_catalog_set_io(struct vmfex_catalog *c, const struct vmfex_catalog_io *io)
{
	c->io = io;
}

int vmfex_catalog_lock_path(struct vmfex_ctx *ctx, const char *path, int *out)
{
	char lock[PATH_MAX];
	int fd, r;

	if (snprintf(lock, sizeof(lock), "%s.lock", path) >= (int)sizeof(lock)) {
		ERR(ctx, "%s: path too long", path);
		return -ENAMETOOLONG;
	}
	fd = vmfex_safe_open(ctx, lock, O_RDWR | O_CREAT | O_NOFOLLOW, 0600, 0);
	if (fd < 0) {
		if (fd == -ENOENT)
			ERR(ctx, "%s: cannot open the lock file: %s", lock, strerror(-fd));
		return fd;
	}
	while (flock(fd, LOCK_EX) < 0) {
		if (errno == EINTR)
			continue;
		r = -errno;
		ERR(ctx, "%s: cannot lock: %s", lock, strerror(-r));
		close(fd);
		return r;
	}
	*out = fd;
	return 0;
}

_public_ int vmfex_catalog_open(struct vmfex_ctx *ctx, const char *path,
                               const struct vmfex_catalog_open_opts *opts,
                               struct vmfex_catalog **catalog)
{
	struct vmfex_catalog_open_opts o = { 0 };
	struct vmfex_catalog *c = NULL;
	int lock_fd = -1, r;
	size_t len;
	char *buf;

	if (!ctx || !path || !*path || !catalog)
		return -EINVAL;
	if (opts) {
		if (opts->sz < sizeof(size_t))
			return -EINVAL;
		memcpy(&o, opts, opts->sz < sizeof(o) ? opts->sz : sizeof(o));
	}
	if (o.lock) {
		r = vmfex_catalog_lock_path(ctx, path, &lock_fd);
		if (r < 0)
			return r;
	}
	if (o.create && access(path, F_OK) < 0 && errno == ENOENT)
		r = -ENOENT; /* not an error worth a log line */
	else
		r = vmfex_xml_read_file(ctx, path, &buf, &len);
	if (r == -ENOENT && o.create) {
		r = vmfex_catalog_alloc(ctx, &c);
	} else if (r == 0) {
		r = vmfex_catalog_parse(ctx, path, buf, len, &c);
		free(buf);
	}
	if (r == 0) {
		c->path = strdup(path);
		if (!c->path)
			r = -ENOMEM;
	}
	if (r < 0) {
		vmfex_catalog_unref(c);
		if (lock_fd >= 0)
			close(lock_fd);
		return r;
	}
	c->lock_fd = lock_fd;
	*catalog = c;
	return 0;
}

static int write_all(const struct vmfex_catalog_io *io, int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = io->write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int fsync_dir(const struct vmfex_catalog_io *io, const char *path)
{
	char dir[PATH_MAX];
	int fd, r = 0;

	snprintf(dir, sizeof(dir), "%s", path);
	fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (io->fsync(fd) < 0)
		r = -errno;
	close(fd);
	return r;
}

/* A catalog path that is a symbolic link is saved through the link: the
 * file it points to is replaced atomically (a temporary file next to it,
 * renamed over it) and the link stays (doc/catalog.md). */
static int save_target(struct vmfex_catalog *c, const char *path, char target[PATH_MAX])
{
	struct stat st;

	if (lstat(path, &st) < 0 || !S_ISLNK(st.st_mode)) {
		snprintf(target, PATH_MAX, "%s", path);
		return 0;
	}
	if (!realpath(path, target)) {
		int r = -errno;

		ERR(c->ctx, "%s: a symbolic link whose target cannot be resolved (%s): not saved",
		    path, strerror(-r));
		return r;
	}
	DBG(c->ctx, "%s: saved through the link to %s", path, target);
	return 0;
}

static int save_locked(struct vmfex_catalog *c, const char *link, const char *buf, size_t len)
{
	const struct vmfex_catalog_io *io = c->io ? c->io : &sys_io;
	char tmp[PATH_MAX], path[PATH_MAX], dcopy[PATH_MAX], bcopy[PATH_MAX];
	const char *step;
	int fd, r;

	r = save_target(c, link, path);
	if (r < 0)
		return r;
	/* One fixed name, safe under the writers' lock: a temporary file
	 * left by a writer that was killed is removed by the next. */
	snprintf(dcopy, sizeof(dcopy), "%s", path);
	snprintf(bcopy, sizeof(bcopy), "%s", path);
	if (snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dirname(dcopy), basename(bcopy)) >=
	    (int)sizeof(tmp)) {
		ERR(c->ctx, "%s: path too long", path);
		return -ENAMETOOLONG;
	}
	/* Mode: that of the file replaced, or what the umask allows. */
	fd = vmfex_safe_create_temp(c->ctx, tmp, path);
	if (fd < 0)
		return fd;
	step = "cannot write";
	r = write_all(io, fd, buf, len);
	if (r == 0) {
		step = "cannot flush";
		if (io->fsync(fd) < 0)
			r = -errno;
	}
	if (close(fd) < 0 && r == 0) {
		step = "cannot close";
		r = -errno;
	}
	if (r == 0) {
		step = "cannot rename";
		if (io->rename(tmp, path) < 0)
			r = -errno;
	}
	if (r < 0) {
		unlink(tmp);
		goto fail_open;
	}
	r = fsync_dir(io, path);
	if (r < 0) {
		/* The new file is in place; only its durability is in doubt. */
		ERR(c->ctx, "%s: saved, but its directory cannot be flushed: %s", path,
		    strerror(-r));
		return r;
	}
	return 0;
fail_open:
	ERR(c->ctx, "%s: %s %s: %s; the previous catalog is unchanged", path, step, tmp,
	    strerror(-r));
	return r;
}

_public_ int vmfex_catalog_save(struct vmfex_catalog *c, const char *path)
{
	int lock_fd = -1, r;
	size_t len;
	char *buf;

	if (!c)
		return -EINVAL;
	if (!path)
		path = c->path;
	if (!path || !*path) {
		ERR(c->ctx, "the catalog has no file to be saved to");
		return -EINVAL;
	}
	r = vmfex_catalog_write_buffer(c, &buf, &len);
	if (r < 0)
		return r;
	if (c->lock_fd < 0 || !c->path || strcmp(c->path, path) != 0) {
		r = vmfex_catalog_lock_path(c->ctx, path, &lock_fd);
		if (r < 0) {
			free(buf);
			return r;
		}
	}
	r = save_locked(c, path, buf, len);
	if (lock_fd >= 0)
		close(lock_fd);
	free(buf);
	return r;
}
