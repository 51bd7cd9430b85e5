/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The context's rtnetlink socket, and the one place where a request meets
 * its answers: the kernel's, or the simulated host's. Receives are sized
 * to the message with MSG_PEEK|MSG_TRUNC, so a reply of any size (a PF
 * with thousands of VFs) is read whole. */
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <stdlib.h>
#include <string.h>

#include "libvmfex-private.h"

/* Bounded retries of a whole request: the socket overran (ENOBUFS, which
 * libnl reports as NLE_NOMEM) or a dump was interrupted. */
#define TRANSACT_TRIES 5

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

static int rtnl_open(struct vmfex_ctx *ctx)
{
	struct nl_sock *sk;
	int r;

	if (ctx->rtnl)
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
	ctx->rtnl = sk;
	return 0;
}

void vmfex_rtnl_close(struct vmfex_ctx *ctx)
{
	nl_socket_free(ctx->rtnl);
	ctx->rtnl = NULL;
}

/* Walks one batch of received messages. 1: the answer is complete;
 * 0: more is to come; <0: the kernel's error, or -EAGAIN to retry. */
static int take_replies(struct vmfex_ctx *ctx, const void *buf, size_t len, uint32_t seq,
                        struct vmfex_nlbuf *reply)
{
	const struct nlmsghdr *nlh = buf;
	int left = len > INT32_MAX ? INT32_MAX : (int)len;
	int r;

	for (; nlmsg_ok(nlh, left); nlh = nlmsg_next((struct nlmsghdr *)nlh, &left)) {
		if (nlh->nlmsg_seq != seq)
			continue;   /* an answer to an earlier, abandoned request */
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			return -EAGAIN;
		switch (nlh->nlmsg_type) {
		case NLMSG_NOOP:
			continue;
		case NLMSG_DONE:
			return 1;
		case NLMSG_ERROR:
			if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(struct nlmsgerr)))
				return -EBADMSG;
			r = ((const struct nlmsgerr *)nlmsg_data(nlh))->error;
			return r < 0 ? r : 1;
		default:
			r = vmfex_nlbuf_append(reply, nlh, nlh->nlmsg_len);
			if (r < 0)
				return r;
			if (!(nlh->nlmsg_flags & NLM_F_MULTI))
				return 1;
		}
	}
	return 0;
}

static int transact_sim(struct vmfex_ctx *ctx, struct nl_msg *msg, uint32_t seq,
                        struct vmfex_nlbuf *reply)
{
	struct vmfex_nlbuf raw = { 0 };
	int r;

	r = vmfex_sim_rtnl(ctx->sim, nlmsg_hdr(msg), &raw);
	if (r == 0) {
		r = take_replies(ctx, raw.data, raw.len, seq, reply);
		if (r == 0) {
			ERR(ctx, "simulated host: incomplete answer to a request");
			r = -EPROTO;
		}
	}
	vmfex_nlbuf_free(&raw);
	return r < 0 ? r : 0;
}

static int transact_kernel(struct vmfex_ctx *ctx, struct nl_msg *msg, uint32_t seq,
                           struct vmfex_nlbuf *reply)
{
	struct sockaddr_nl peer;
	unsigned char *buf = NULL;
	int n, r;

	r = rtnl_open(ctx);
	if (r < 0)
		return r;
	nlmsg_hdr(msg)->nlmsg_pid = nl_socket_get_local_port(ctx->rtnl);
	r = nl_send(ctx->rtnl, msg);
	if (r < 0) {
		r = vmfex_nl_errno(r);
		ERR(ctx, "rtnetlink send failed: %s", strerror(-r));
		return r;
	}
	do {
		/* nl_recv() retries EINTR itself and, with message peeking,
		 * sizes its buffer to the datagram. */
		n = nl_recv(ctx->rtnl, &peer, &buf, NULL);
		if (n <= 0) {
			r = n == 0 ? -EPROTO : vmfex_nl_errno(n);
			break;
		}
		/* Only the kernel (port 0) answers on NETLINK_ROUTE. */
		r = peer.nl_pid == 0 ? take_replies(ctx, buf, (size_t)n, seq, reply) : 0;
		free(buf);
		buf = NULL;
	} while (r == 0);
	return r < 0 ? r : 0;
}

int vmfex_rtnl_transact(struct vmfex_ctx *ctx, struct nl_msg *msg, struct vmfex_nlbuf *reply)
{
	size_t keep = reply->len;
	int r = 0;

	for (int tries = 0; tries < TRANSACT_TRIES; tries++) {
		uint32_t seq = ++ctx->rtnl_seq;

		nlmsg_hdr(msg)->nlmsg_seq = seq;
		reply->len = keep;
		r = ctx->sim ? transact_sim(ctx, msg, seq, reply) : transact_kernel(ctx, msg, seq, reply);
		/* A lost answer to a GET is asked again; a SET is not repeated,
		 * as the kernel may have applied it. */
		if (r != -EAGAIN && !((r == -ENOMEM || r == -ENOBUFS) &&
		                      nlmsg_hdr(msg)->nlmsg_type == RTM_GETLINK))
			break;
		DBG(ctx, "rtnetlink request interrupted (%s), sending it again", strerror(-r));
	}
	return r;
}
