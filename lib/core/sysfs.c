/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* All sysfs I/O of the library. Reads are plain file reads on every
 * backend; writes go to the context's backend, which gives them the
 * kernel's effects. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "libvmfex-private.h"
#include "core/safe-file.h"

/* Attribute values we read are short; a longer one is refused, not cut. */
#define SYSFS_VALUE_MAX 256

int vmfex_sysfs_path(struct vmfex_ctx *ctx, char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n, m;

	n = snprintf(buf, size, "%s/", ctx->sysfs_root);
	if (n < 0 || (size_t)n >= size)
		goto toolong;
	va_start(ap, fmt);
	m = vsnprintf(buf + n, size - (size_t)n, fmt, ap);
	va_end(ap);
	if (m < 0 || (size_t)m >= size - (size_t)n)
		goto toolong;
	return 0;
toolong:
	ERR(ctx, "sysfs path under %s too long", ctx->sysfs_root);
	return -ENAMETOOLONG;
}

static bool path_append(char **p, char *end, const char *s)
{
	size_t n = strlen(s);

	if ((size_t)(end - *p) <= n)
		return false;
	memcpy(*p, s, n + 1);
	*p += n;
	return true;
}

/* root/bus/pci/devices/PCI/ATTR (ATTR NULL: the device's directory), as
 * vmfex_sysfs_path() makes it but without a format to interpret: this
 * runs several times per VF of every walk. Returns where "PCI/ATTR"
 * starts in buf, the part under bus/pci/devices (vmfex_walk_at()). */
int vmfex_sysfs_dev_path(struct vmfex_ctx *ctx, char *buf, size_t size, const char *pci,
                         const char *attr)
{
	char *p = buf, *end = buf + size;
	int rel;

	if (path_append(&p, end, ctx->sysfs_root) && path_append(&p, end, "/bus/pci/devices/") &&
	    (rel = (int)(p - buf), path_append(&p, end, pci)) &&
	    (!attr || (path_append(&p, end, "/") && path_append(&p, end, attr))))
		return rel;
	ERR(ctx, "sysfs path under %s too long", ctx->sysfs_root);
	return -ENAMETOOLONG;
}

/* Reads a whole attribute into buf, NUL-terminated, trailing newline
 * removed. -EOVERFLOW when it does not fit. Not logged: a missing
 * attribute is often an answer, not a failure. */
int vmfex_sysfs_read(struct vmfex_ctx *ctx, const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd, r = 0;

	/* Attributes are regular files: anything else (a FIFO would block
	 * the read) is refused, with a log line. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	r = vmfex_safe_check_fd(ctx, fd, path, 0);
	if (r < 0) {
		close(fd);
		return r;
	}
	do
		n = read(fd, buf, size);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		r = -errno;
	else if ((size_t)n >= size)
		r = -EOVERFLOW;
	close(fd);
	if (r < 0)
		return r;
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	return (int)n;
}

static int read_value(struct vmfex_ctx *ctx, const char *path, char *buf, size_t size)
{
	int r = vmfex_sysfs_read(ctx, path, buf, size);

	if (r == -EOVERFLOW)
		ERR(ctx, "%s: value longer than %zu bytes", path, size - 1);
	return r;
}

int vmfex_sysfs_read_uint(struct vmfex_ctx *ctx, const char *path, unsigned long max,
                          unsigned long *out)
{
	char buf[SYSFS_VALUE_MAX];
	int r;

	r = read_value(ctx, path, buf, sizeof(buf));
	if (r < 0)
		return r;
	r = vmfex_parse_uint(buf, (size_t)r, max, out);
	if (r < 0)
		ERR(ctx, "%s: '%.32s' is not a number%s", path, buf,
		    r == -ERANGE ? " in range" : "");
	return r;
}

int vmfex_sysfs_read_hex16(struct vmfex_ctx *ctx, const char *path, uint16_t *out)
{
	char buf[SYSFS_VALUE_MAX];
	int r;

	r = read_value(ctx, path, buf, sizeof(buf));
	if (r < 0)
		return r;
	r = vmfex_parse_hex16(buf, (size_t)r, out);
	if (r < 0)
		ERR(ctx, "%s: '%.32s' is not a 16-bit hexadecimal id", path, buf);
	return r;
}

/* A walk opens bus/pci/devices once; without it (-1), paths go from the
 * root as elsewhere. */
int vmfex_walk_begin(struct vmfex_ctx *ctx, struct vmfex_walk *walk, const char *pf)
{
	char path[PATH_MAX];
	int r;

	walk->devfd = walk->pffd = walk->sibfd = -1;
	walk->pf = NULL;
	walk->sibling = false;
	walk->driver[0] = '\0';
	r = vmfex_sysfs_path(ctx, path, sizeof(path), "bus/pci/devices");
	if (r < 0)
		return r;
	walk->devfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (!pf || walk->devfd < 0)
		return 0;
	/* bus/pci/devices/PF is a link into devices/: followed once here, not
	 * in every look-up of the walk. Its VFs are its siblings there (the
	 * kernel gives a VF its PF's parent), so their paths start from that
	 * parent, two components each instead of a climb through the link. */
	walk->pffd = openat(walk->devfd, pf, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (walk->pffd >= 0) {
		walk->pf = pf;
		walk->sibfd = openat(walk->pffd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
	}
	return 0;
}

void vmfex_walk_end(struct vmfex_walk *walk)
{
	int *fds[] = { &walk->devfd, &walk->pffd, &walk->sibfd };

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
	walk->pf = NULL;
}

/* The directory fd and name for a *at() call on path, which
 * vmfex_sysfs_dev_path() made with its part under bus/pci/devices at
 * rel: an attribute of the walk's PF from the PF's directory, one of the
 * VF being read from the PF's parent when its virtfn link said it is
 * there (walk->sibling), else that part from bus/pci/devices; or the
 * whole path from here outside a walk. */
int vmfex_walk_at(const struct vmfex_walk *walk, const char *path, int rel, const char **name)
{
	const char *part = path + rel;

	if (!walk || walk->devfd < 0) {
		*name = path;
		return AT_FDCWD;
	}
	if (walk->pf) {
		size_t n = strlen(walk->pf);

		if (strncmp(part, walk->pf, n) == 0 && part[n] == '/') {
			*name = part + n + 1;
			return walk->pffd;
		}
		if (walk->sibling && walk->sibfd >= 0) {
			*name = part;
			return walk->sibfd;
		}
	}
	*name = part;
	return walk->devfd;
}

/* The last component of a symlink's target: a driver name, a PCI address. */
int vmfex_sysfs_read_link_name(struct vmfex_ctx *ctx, const char *path, char *buf, size_t size)
{
	return vmfex_sysfs_read_link_name_at(ctx, AT_FDCWD, path, path, buf, size, NULL);
}

/* As vmfex_sysfs_read_link_name() for name from dirfd, which is path
 * (named in logs). *sibling (unless NULL): whether the target is
 * "../NAME", beside the directory of the link. */
int vmfex_sysfs_read_link_name_at(struct vmfex_ctx *ctx, int dirfd, const char *name,
                                  const char *path, char *buf, size_t size, bool *sibling)
{
	char target[PATH_MAX];
	const char *base;
	ssize_t n;

	n = readlinkat(dirfd, name, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) >= size || *base == '\0') {
		ERR(ctx, "%s: link target '%s' is not a name of at most %zu bytes", path, target,
		    size - 1);
		return -EINVAL;
	}
	strcpy(buf, base);
	if (sibling)
		*sibling = base == target + 3 && strncmp(target, "../", 3) == 0;
	return 0;
}

/* The first entry, in name order, of a directory such as a device's net/:
 * its netdev name. -ENOENT when the directory is missing or empty. Read
 * with getdents64() rather than opendir(), which adds an fstat and a
 * buffer allocation: this runs once per VF. */
int vmfex_sysfs_read_only_entry(struct vmfex_ctx *ctx, const char *dir, char *buf, size_t size)
{
	return vmfex_sysfs_read_only_entry_at(ctx, AT_FDCWD, dir, dir, buf, size);
}

/* Call fn for each entry but . and .. of the directory name from dirfd,
 * with the directory's fd for *at() calls; fn returns 0 to go on, else
 * that, which ends the listing and is returned. Read with getdents64()
 * rather than opendir(), which adds an fstat and a buffer allocation:
 * this runs once per VF. */
int vmfex_sysfs_list_at(int dirfd, const char *name,
                        int (*fn)(void *data, int fd, const char *entry), void *data)
{
	char ents[16384] __attribute__((aligned(8)));
	ssize_t n;
	int fd, r = 0;

	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (r == 0 && (n = getdents64(fd, ents, sizeof(ents))) > 0) {
		for (ssize_t off = 0; r == 0 && off < n;) {
			const struct dirent64 *de = (const struct dirent64 *)(ents + off);

			off += de->d_reclen;
			if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
				r = fn(data, fd, de->d_name);
		}
		/* A short read is the end: spares the call that returns 0. */
		if ((size_t)n < sizeof(ents) - 512)
			break;
	}
	if (r == 0 && n < 0)
		r = -errno;
	close(fd);
	return r;
}

struct first_entry {
	struct vmfex_ctx *ctx;
	const char *dir;
	char *buf;
	size_t size;
	bool found;
};

static int keep_first(void *data, int fd, const char *entry)
{
	struct first_entry *f = data;

	if (entry[0] == '.')
		return 0;
	if (strlen(entry) >= f->size) {
		ERR(f->ctx, "%s: entry '%s' too long", f->dir, entry);
		return -EINVAL;
	}
	if (!f->found || strcmp(entry, f->buf) < 0)
		strcpy(f->buf, entry);
	f->found = true;
	return 0;
}

/* As vmfex_sysfs_read_only_entry() for name from dirfd, which is dir
 * (named in logs). */
int vmfex_sysfs_read_only_entry_at(struct vmfex_ctx *ctx, int dirfd, const char *name,
                                   const char *dir, char *buf, size_t size)
{
	struct first_entry f = { ctx, dir, buf, size, false };
	int r = vmfex_sysfs_list_at(dirfd, name, keep_first, &f);

	return r < 0 ? r : f.found ? 0 : -ENOENT;
}

/* The whole target of the link name from dirfd, NUL-terminated. */
int vmfex_sysfs_read_link_at(int dirfd, const char *name, char *buf, size_t size)
{
	ssize_t n = readlinkat(dirfd, name, buf, size - 1);

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

int vmfex_sysfs_exists(const char *path)
{
	return access(path, F_OK) == 0 ? 1 : (errno == ENOENT ? 0 : -errno);
}

/* Every sysfs write of the library passes here. Not logged: callers know
 * what the write meant and say so. */
int vmfex_sysfs_write(struct vmfex_ctx *ctx, const char *path, const char *value)
{
	DBG(ctx, "write '%s' to %s", value, path);
	return ctx->backend->sysfs_write(ctx, path, value);
}
