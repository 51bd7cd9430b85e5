/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Opening a simulated host, and the backend that gives a context on it
 * the kernel's answers: sysfs writes with their effects, rtnetlink
 * answered by the simulated peer, state kept in the host's directory.
 * Writes are serialised across processes with a lock on the directory,
 * as the kernel serialises them with the device lock. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <netlink/msg.h>

#include "core/safe-file.h"
#include "sim-private.h"

int vmfex_sim_read_desc(struct vmfex_ctx *ctx, const char *path, struct sim_desc **desc)
{
	size_t len;
	char *buf;
	int r;

	r = vmfex_safe_read_all(ctx, path, O_RDONLY, SIM_DESC_MAX_BYTES, &buf, &len);
	if (r == -ENOENT)
		ERR(ctx, "cannot open host description %s: %s", path, strerror(-r));
	if (r < 0)
		return r;
	r = vmfex_sim_desc_parse(ctx, buf, len, desc);
	free(buf);
	return r;
}

/* The host's directory and its state/: a user who can write them could
 * make the caller's writes land anywhere. vmfex_safe_check_dir() logs
 * every refusal, naming the directory and why: one line per error. */
static int check_dirs(struct vmfex_ctx *ctx, const char *dir)
{
	char state[PATH_MAX];
	int r;

	r = vmfex_safe_check_dir(ctx, dir);
	if (r < 0)
		return r;
	if ((size_t)snprintf(state, sizeof(state), "%s/" SIM_STATE_DIR, dir) >= sizeof(state)) {
		ERR(ctx, "%s: path too long for a simulated host", dir);
		return -ENAMETOOLONG;
	}
	r = vmfex_safe_check_dir(ctx, state);
	return r == -ENOENT ? 0 : r;
}

int vmfex_sim_open(struct vmfex_ctx *ctx, const char *dir, struct vmfex_sim **out)
{
	struct vmfex_sim *sim;
	char path[PATH_MAX];
	int r;

	if (*dir != '/') {
		char cwd[PATH_MAX];

		if (!getcwd(cwd, sizeof(cwd))) {
			r = -errno;
			ERR(ctx, "%s: the current directory cannot be read: %s", dir, strerror(-r));
			return r;
		}
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", cwd, dir) >= sizeof(path))
			goto too_long;
	} else if ((size_t)snprintf(path, sizeof(path), "%s", dir) >= sizeof(path)) {
		goto too_long;
	}
	sim = calloc(1, sizeof(*sim));
	if (!sim)
		return -ENOMEM;
	sim->ctx = ctx;
	sim->lock_fd = -1;
	sim->dir = strdup(path);
	if (!sim->dir || asprintf(&sim->root, "%s/" SIM_SYSFS_DIR, path) < 0) {
		sim->root = NULL;
		r = -ENOMEM;
		goto fail;
	}
	r = check_dirs(ctx, sim->dir);
	if (r == -ENOENT)
		ERR(ctx, "%s: no such directory; create a simulated host there with "
		    "'vmfexctl sim create'", sim->dir);
	if (r < 0)
		goto fail;
	snprintf(path, sizeof(path), "%s/" SIM_DESC_FILE, sim->dir);
	if (access(path, F_OK) < 0) {
		r = -errno;
		ERR(ctx, "%s is not a simulated host (no " SIM_DESC_FILE "); create one with "
		    "'vmfexctl sim create'", sim->dir);
		goto fail;
	}
	r = vmfex_sim_read_desc(ctx, path, &sim->desc);
	if (r < 0)
		goto fail;
	snprintf(path, sizeof(path), "%s/" SIM_LOCK_FILE, sim->dir);
	sim->lock_fd = vmfex_safe_open(ctx, path, O_RDWR | O_CREAT | O_NOFOLLOW, 0644, 0);
	if (sim->lock_fd < 0) {
		r = sim->lock_fd;
		goto fail;
	}
	*out = sim;
	return 0;
fail:
	vmfex_sim_close(sim);
	return r;
too_long:
	ERR(ctx, "%.64s...: path too long for a simulated host", dir);
	return -ENAMETOOLONG;
}

void vmfex_sim_close(struct vmfex_sim *sim)
{
	if (!sim)
		return;
	if (sim->lock_fd >= 0)
		close(sim->lock_fd);
	vmfex_sim_desc_free(sim->desc);
	vmfex_buf_free(&sim->answer);
	free(sim->root);
	free(sim->dir);
	free(sim);
}

const char *vmfex_sim_dir(const struct vmfex_sim *sim)
{
	return sim->dir;
}

int vmfex_sim_lock(struct vmfex_sim *sim)
{
	while (flock(sim->lock_fd, LOCK_EX) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

void vmfex_sim_unlock(struct vmfex_sim *sim)
{
	flock(sim->lock_fd, LOCK_UN);
}

static int sim_backend_open(struct vmfex_ctx *ctx, const char *dir, void **data,
                            const char **root)
{
	struct vmfex_sim *sim;
	int r;

	r = vmfex_sim_open(ctx, dir, &sim);
	if (r < 0)
		return r;
	*data = sim;
	*root = sim->root;
	return 0;
}

static void sim_backend_close(void *data)
{
	vmfex_sim_close(data);
}

static int sim_sysfs_write(struct vmfex_ctx *ctx, const char *path, const char *value)
{
	struct vmfex_sim *sim = ctx->backend_data;
	size_t n = strlen(sim->root);
	int r;

	if (strncmp(path, sim->root, n) != 0 || path[n] != '/')
		return -ENOENT;
	r = vmfex_sim_lock(sim);
	if (r < 0)
		return r;
	r = sim_pci_write(sim, path + n + 1, value);
	vmfex_sim_unlock(sim);
	DBG(sim->ctx, "sim: write to %s: %s", path + n + 1, r < 0 ? strerror(-r) : "ok");
	return r;
}

static int sim_rtnl_send(struct vmfex_ctx *ctx, void *buf, size_t len)
{
	struct vmfex_sim *sim = ctx->backend_data;

	sim->answer.len = 0;
	return vmfex_sim_rtnl_many(sim, buf, len, &sim->answer);
}

/* The whole answer at once, as one datagram; then nothing. */
static int sim_rtnl_recv(struct vmfex_ctx *ctx, unsigned char **buf)
{
	struct vmfex_sim *sim = ctx->backend_data;
	size_t n = sim->answer.len;

	if (n > INT_MAX)
		return -EMSGSIZE;
	*buf = sim->answer.data;
	sim->answer = (struct vmfex_buf){ 0 };
	return (int)n;
}

static const char *sim_state_dir(const struct vmfex_ctx *ctx)
{
	return vmfex_sim_dir(ctx->backend_data);
}

const struct vmfex_backend_ops vmfex_sim_backend = {
	.name = "simulated host",
	.simulated = true,
	.open = sim_backend_open,
	.close = sim_backend_close,
	.sysfs_write = sim_sysfs_write,
	.rtnl_send = sim_rtnl_send,
	.rtnl_recv = sim_rtnl_recv,
	.state_dir = sim_state_dir,
};
