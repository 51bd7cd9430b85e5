/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Opening files the library did not create itself (state, locks,
 * configuration, sysfs attributes) so that a hostile file cannot hang,
 * redirect or flood the caller. The rules:
 *
 *   - reads never block: O_NONBLOCK, then anything but a regular file
 *     (FIFO, device, directory, socket) is refused before one byte is
 *     read, and so is a file over the caller's size cap;
 *   - state, lock and temporary files are opened with O_NOFOLLOW: a
 *     symbolic link planted in their place is refused, never followed;
 *   - a file is replaced through a temporary file created anew
 *     (O_CREAT | O_EXCL, mode 0666 less the umask), renamed over the
 *     target, then the directory is flushed;
 *   - a directory holding state must belong to the caller (or root) and
 *     be writable by no one else, as ssh requires of its files. */
#ifndef LIBVMFEX_SAFE_FILE_H
#define LIBVMFEX_SAFE_FILE_H

#include <stddef.h>
#include <sys/types.h>

struct vmfex_ctx;

/* Opens path with flags (O_RDONLY or O_RDWR, optionally O_CREAT and
 * O_NOFOLLOW; O_CLOEXEC, O_NOCTTY and O_NONBLOCK are added) and checks it
 * is a regular file of at most max bytes (0: no cap). Returns the fd or a
 * negative errno: -ELOOP for a symbolic link under O_NOFOLLOW, -EINVAL
 * for a file that is not regular, -EFBIG for one over the cap. Every
 * error but -ENOENT is logged, naming the file. */
int vmfex_safe_open(struct vmfex_ctx *ctx, const char *path, int flags, mode_t mode,
                    size_t max);

/* The checks of vmfex_safe_open() on an fd opened with O_NONBLOCK by a
 * caller that logs its own open() errors; path names it in the log. */
int vmfex_safe_check_fd(struct vmfex_ctx *ctx, int fd, const char *path, size_t max);

/* The whole of path (opened as by vmfex_safe_open()), NUL-terminated, in
 * a malloc'd buffer; -EFBIG when it holds more than max bytes. */
int vmfex_safe_read_all(struct vmfex_ctx *ctx, const char *path, int flags, size_t max,
                        char **buf, size_t *len);

/* A new temporary file at tmp for replacing target: any file or link
 * already at tmp (left by a writer that was killed) is removed first, so
 * call this under the writers' lock. The mode is 0666 less the umask, or
 * the mode of target when it exists, so that a replacement keeps the
 * permissions given to the file it replaces. Returns the fd (O_WRONLY). */
int vmfex_safe_create_temp(struct vmfex_ctx *ctx, const char *tmp, const char *target);

/* Renames tmp over target and flushes the directory; tmp is removed on
 * failure. */
int vmfex_safe_replace(struct vmfex_ctx *ctx, const char *tmp, const char *target);

/* Flushes the directory holding path (a rename in it). */
int vmfex_safe_fsync_dir(const char *path);

/* -EPERM, logged, unless dir is a directory owned by the caller or root
 * and writable by neither group nor others. */
int vmfex_safe_check_dir(struct vmfex_ctx *ctx, const char *dir);

#endif
