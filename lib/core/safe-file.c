/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Opening, reading and replacing files without trusting them: the rules
 * are in safe-file.h. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libvmfex-private.h"
#include "core/safe-file.h"

static const char *file_kind(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

int vmfex_safe_check_fd(struct vmfex_ctx *ctx, int fd, const char *path, size_t max)
{
	struct stat st;
	int r;

	if (fstat(fd, &st) < 0) {
		r = -errno;
		ERR(ctx, "%s: %s", path, strerror(-r));
		return r;
	}
	if (!S_ISREG(st.st_mode)) {
		ERR(ctx, "%s: is %s, not a regular file: refused", path, file_kind(st.st_mode));
		return -EINVAL;
	}
	if (max && (unsigned long long)st.st_size > max) {
		ERR(ctx, "%s: %lld bytes, more than the limit of %zu", path, (long long)st.st_size,
		    max);
		return -EFBIG;
	}
	return 0;
}

int vmfex_safe_open(struct vmfex_ctx *ctx, const char *path, int flags, mode_t mode,
                    size_t max)
{
	int fd, r;

	/* O_NONBLOCK: opening a FIFO with no writer would wait forever. */
	fd = open(path, flags | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, mode);
	if (fd < 0) {
		r = -errno;
		if (r == -ELOOP && (flags & O_NOFOLLOW))
			ERR(ctx, "%s: is a symbolic link, refused: replace it with a regular file",
			    path);
		else if (r == -EISDIR)
			ERR(ctx, "%s: is a directory, not a regular file", path);
		else if (r == -ENXIO)
			ERR(ctx, "%s: is a FIFO or device with no other end, not a regular file",
			    path);
		else if (r != -ENOENT)
			ERR(ctx, "%s: cannot open: %s", path, strerror(-r));
		return r;
	}
	r = vmfex_safe_check_fd(ctx, fd, path, max);
	if (r < 0) {
		close(fd);
		return r;
	}
	/* O_NONBLOCK stays: it changes nothing for a regular file (nor for
	 * flock(), which blocks unless given LOCK_NB). */
	return fd;
}

int vmfex_safe_read_all(struct vmfex_ctx *ctx, const char *path, int flags, size_t max,
                        char **out, size_t *out_len)
{
	size_t len = 0, cap;
	struct stat st;
	char *buf = NULL;
	int fd, r = 0;

	fd = vmfex_safe_open(ctx, path, flags, 0, max);
	if (fd < 0)
		return fd;
	/* The size is a hint (sysfs says 4096): the buffer grows up to max. */
	cap = fstat(fd, &st) == 0 && (size_t)st.st_size < max ? (size_t)st.st_size : max;
	for (;;) {
		ssize_t n;

		if (!buf || len == cap + 1) {
			char *b;

			if (buf)
				cap = cap < max / 2 ? cap * 2 + 1 : max;
			b = realloc(buf, cap + 2);
			if (!b) {
				r = -ENOMEM;
				break;
			}
			buf = b;
		}
		/* One byte more than allowed tells a file that grew from a full one. */
		n = read(fd, buf + len, cap + 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			ERR(ctx, "%s: cannot read: %s", path, strerror(-r));
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max) {
			ERR(ctx, "%s: more than the limit of %zu bytes", path, max);
			r = -EFBIG;
			break;
		}
	}
	close(fd);
	if (r < 0) {
		free(buf);
		return r;
	}
	buf[len] = '\0';
	*out = buf;
	*out_len = len;
	return 0;
}

int vmfex_safe_create_temp(struct vmfex_ctx *ctx, const char *tmp, const char *target)
{
	struct stat st;
	int fd, r;

	if (unlink(tmp) == 0)
		DBG(ctx, "%s: removed, left by a writer that did not finish", tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0666);
	if (fd < 0) {
		r = -errno;
		ERR(ctx, "%s: cannot create: %s", tmp, strerror(-r));
		return r;
	}
	/* The permissions an administrator gave the file survive its
	 * replacement; a new file gets what the umask allows. */
	if (stat(target, &st) == 0 && S_ISREG(st.st_mode) && fchmod(fd, st.st_mode & 07777) < 0) {
		r = -errno;
		ERR(ctx, "%s: cannot give it the mode of %s: %s", tmp, target, strerror(-r));
		close(fd);
		unlink(tmp);
		return r;
	}
	return fd;
}

int vmfex_safe_fsync_dir(const char *path)
{
	char dir[PATH_MAX];
	int fd, r = 0;

	if ((size_t)snprintf(dir, sizeof(dir), "%s", path) >= sizeof(dir))
		return -ENAMETOOLONG;
	fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0)
		r = -errno;
	close(fd);
	return r;
}

int vmfex_safe_replace(struct vmfex_ctx *ctx, const char *tmp, const char *target)
{
	int r;

	if (rename(tmp, target) < 0) {
		r = -errno;
		ERR(ctx, "cannot rename %s to %s: %s", tmp, target, strerror(-r));
		unlink(tmp);
		return r;
	}
	r = vmfex_safe_fsync_dir(target);
	if (r < 0)
		ERR(ctx, "%s: written, but its directory cannot be flushed: %s", target,
		    strerror(-r));
	return r;
}

int vmfex_safe_check_dir(struct vmfex_ctx *ctx, const char *dir)
{
	struct stat st;
	uid_t me = geteuid();
	int r;

	if (stat(dir, &st) < 0) {
		r = -errno;
		if (r != -ENOENT)
			ERR(ctx, "%s: %s", dir, strerror(-r));
		return r;
	}
	if (!S_ISDIR(st.st_mode)) {
		ERR(ctx, "%s: not a directory", dir);
		return -ENOTDIR;
	}
	if (st.st_uid != me && st.st_uid != 0) {
		ERR(ctx, "%s: owned by uid %u, not by the caller (uid %u) or root: refused",
		    dir, (unsigned int)st.st_uid, (unsigned int)me);
		return -EPERM;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		ERR(ctx, "%s: writable by %s (mode %04o): refused; chmod go-w it", dir,
		    st.st_mode & S_IWOTH ? "others" : "its group", (unsigned int)(st.st_mode & 07777));
		return -EPERM;
	}
	return 0;
}
