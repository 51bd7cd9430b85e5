/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The running kernel as the library's backend: sysfs writes with write(2),
 * rtnetlink over the context's NETLINK_ROUTE socket, state in /run.
 * Receives are sized to the message with MSG_PEEK|MSG_TRUNC, so a reply of
 * any size (a PF with thousands of VFs) is read whole. */
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libvmfex-private.h"

/* Shared by every process of the host; gone at reboot, as the VFs'
 * state is. */
#define KERNEL_STATE_DIR "/run/vmfex"

struct kernel {
	struct nl_sock *rtnl;        /* opened on first use */
};

/* libnl's error codes in errno terms; the only translation in the library. */
int vmfex_nl_errno(int nlerr)
{
	static const int map[] = {
		[NLE_SUCCESS] = 0,            [NLE_FAILURE] = EIO,
		[NLE_INTR] = EINTR,           [NLE_BAD_SOCK] = EBADF,
		[NLE_AGAIN] = EAGAIN,         [NLE_NOMEM] = ENOMEM,
		[NLE_EXIST] = EEXIST,         [NLE_INVAL] = EINVAL,
		[NLE_RANGE] = ERANGE,         [NLE_MSGSIZE] = EMSGSIZE,
		[NLE_OPNOTSUPP] = EOPNOTSUPP, [NLE_AF_NOSUPPORT] = EAFNOSUPPORT,
		[NLE_OBJ_NOTFOUND] = ENOENT,  [NLE_NOATTR] = ENODATA,
		[NLE_MISSING_ATTR] = EINVAL,  [NLE_AF_MISMATCH] = EPROTO,
		[NLE_SEQ_MISMATCH] = EPROTO,  [NLE_MSG_OVERFLOW] = EOVERFLOW,
		[NLE_MSG_TRUNC] = EMSGSIZE,   [NLE_NOADDR] = EADDRNOTAVAIL,
		[NLE_SRCRT_NOSUPPORT] = EOPNOTSUPP, [NLE_MSG_TOOSHORT] = EBADMSG,
		[NLE_MSGTYPE_NOSUPPORT] = EOPNOTSUPP, [NLE_OBJ_MISMATCH] = EINVAL,
		[NLE_NOCACHE] = ENOENT,       [NLE_BUSY] = EBUSY,
		[NLE_PROTO_MISMATCH] = EPROTONOSUPPORT, [NLE_NOACCESS] = EACCES,
		[NLE_PERM] = EPERM,           [NLE_PKTLOC_FILE] = ENOENT,
		[NLE_PARSE_ERR] = EBADMSG,    [NLE_NODEV] = ENODEV,
		[NLE_IMMUTABLE] = EPERM,      [NLE_DUMP_INTR] = EINTR,
		[NLE_ATTRSIZE] = ERANGE,
	};
	int e = nlerr < 0 ? -nlerr : nlerr;

	if (e < (int)ARRAY_SIZE(map) && (e == 0 || map[e]))
		return -map[e];
	return -EIO;
}

static int kernel_open(struct vmfex_ctx *ctx, const char *arg, void **data, const char **root)
{
	(void)ctx;
	(void)arg;
	*root = NULL;
	*data = calloc(1, sizeof(struct kernel));
	return *data ? 0 : -ENOMEM;
}

static void kernel_close(void *data)
{
	struct kernel *k = data;

	if (!k)
		return;
	nl_socket_free(k->rtnl);
	free(k);
}

static int kernel_sysfs_write(struct vmfex_ctx *ctx, const char *path, const char *value)
{
	size_t len = strlen(value);
	ssize_t n;
	int fd, r = 0;

	(void)ctx;
	fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	do
		n = write(fd, value, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		r = -errno;
	else if ((size_t)n != len)
		r = -EIO;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	return r;
}

static int rtnl_open(struct vmfex_ctx *ctx, struct kernel *k)
{
	struct nl_sock *sk;
	int r;

	if (k->rtnl)
		return 0;
	sk = nl_socket_alloc();
	if (!sk)
		return -ENOMEM;
	/* libnl opens its sockets with SOCK_CLOEXEC. */
	r = nl_connect(sk, NETLINK_ROUTE);
	if (r < 0) {
		r = vmfex_nl_errno(r);
		ERR(ctx, "cannot open an rtnetlink socket: %s", strerror(-r));
		nl_socket_free(sk);
		return r;
	}
	nl_socket_enable_msg_peek(sk);
	nl_socket_disable_auto_ack(sk);
	/* Replies are waited for one at a time; no multicast is joined. */
	k->rtnl = sk;
	return 0;
}

static int kernel_rtnl_send(struct vmfex_ctx *ctx, void *buf, size_t len)
{
	struct kernel *k = ctx->backend_data;
	struct nlmsghdr *h = buf;
	int left = len > INT32_MAX ? INT32_MAX : (int)len;
	int r;

	r = rtnl_open(ctx, k);
	if (r < 0)
		return r;
	for (; nlmsg_ok(h, left); h = nlmsg_next(h, &left))
		h->nlmsg_pid = nl_socket_get_local_port(k->rtnl);
	r = nl_sendto(k->rtnl, buf, len);
	if (r < 0) {
		r = vmfex_nl_errno(r);
		ERR(ctx, "rtnetlink send failed: %s", strerror(-r));
		return r;
	}
	return 0;
}

static int kernel_rtnl_recv(struct vmfex_ctx *ctx, unsigned char **buf)
{
	struct kernel *k = ctx->backend_data;
	struct sockaddr_nl peer;
	int n;

	for (;;) {
		/* nl_recv() retries EINTR itself and, with message peeking,
		 * sizes its buffer to the datagram. */
		n = nl_recv(k->rtnl, &peer, buf, NULL);
		if (n <= 0)
			return n == 0 ? 0 : vmfex_nl_errno(n);
		/* Only the kernel (port 0) answers on NETLINK_ROUTE. */
		if (peer.nl_pid == 0)
			return n;
		free(*buf);
		*buf = NULL;
	}
}

static const char *kernel_state_dir(const struct vmfex_ctx *ctx)
{
	(void)ctx;
	return KERNEL_STATE_DIR;
}

const struct vmfex_backend_ops vmfex_kernel_backend = {
	.name = "kernel",
	.open = kernel_open,
	.close = kernel_close,
	.sysfs_write = kernel_sysfs_write,
	.rtnl_send = kernel_rtnl_send,
	.rtnl_recv = kernel_rtnl_recv,
	.state_dir = kernel_state_dir,
};
