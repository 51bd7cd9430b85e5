/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one place where a request meets its answers, whichever backend
 * gives them: replies kept, errors and acks turned into a return value,
 * lost answers to a GET asked again. */
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

/* Walks one batch of received messages. 1: the answer is complete;
 * 0: more is to come; <0: the kernel's error, or -EAGAIN to retry. */
static int take_replies(struct vmfex_ctx *ctx, const void *buf, size_t len, uint32_t seq,
                        struct vmfex_buf *reply)
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
			r = vmfex_buf_append(reply, nlh, nlh->nlmsg_len);
			if (r < 0)
				return r;
			if (!(nlh->nlmsg_flags & NLM_F_MULTI))
				return 1;
		}
	}
	return 0;
}

/* One request and its answers, through the context's backend. */
static int transact(struct vmfex_ctx *ctx, struct nl_msg *msg, uint32_t seq,
                    struct vmfex_buf *reply)
{
	unsigned char *buf = NULL;
	int n, r;

	r = ctx->backend->rtnl_send(ctx, nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
	if (r < 0)
		return r;
	do {
		n = ctx->backend->rtnl_recv(ctx, &buf);
		if (n <= 0) {
			if (n == 0)
				ERR(ctx, "rtnetlink: incomplete answer to a request");
			r = n == 0 ? -EPROTO : n;
			break;
		}
		r = take_replies(ctx, buf, (size_t)n, seq, reply);
		free(buf);
		buf = NULL;
	} while (r == 0);
	return r < 0 ? r : 0;
}

int vmfex_rtnl_transact(struct vmfex_ctx *ctx, struct nl_msg *msg, struct vmfex_buf *reply)
{
	size_t keep = reply->len;
	int r = 0;

	for (int tries = 0; tries < TRANSACT_TRIES; tries++) {
		uint32_t seq = ++ctx->rtnl_seq;

		nlmsg_hdr(msg)->nlmsg_seq = seq;
		reply->len = keep;
		r = transact(ctx, msg, seq, reply);
		/* A lost answer to a GET is asked again; a SET is not repeated,
		 * as the kernel may have applied it. */
		if (r != -EAGAIN && !((r == -ENOMEM || r == -ENOBUFS) &&
		                      nlmsg_hdr(msg)->nlmsg_type == RTM_GETLINK))
			break;
		DBG(ctx, "rtnetlink request interrupted (%s), sending it again", strerror(-r));
	}
	return r;
}

/* The acks in one batch of received messages to the requests numbered
 * first..first+n-1 that are still pending (1 in results): how many. */
static size_t take_acks(const void *buf, size_t len, uint32_t first, size_t n, int *results)
{
	const struct nlmsghdr *nlh = buf;
	int left = len > INT32_MAX ? INT32_MAX : (int)len;
	size_t got = 0;

	for (; nlmsg_ok(nlh, left); nlh = nlmsg_next((struct nlmsghdr *)nlh, &left)) {
		uint32_t k = nlh->nlmsg_seq - first;
		int e;

		/* A SETLINK is answered by its ack alone. */
		if (k >= n || results[k] != 1 || nlh->nlmsg_type != NLMSG_ERROR)
			continue;
		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(struct nlmsgerr))) {
			results[k] = -EBADMSG;
		} else {
			e = ((const struct nlmsgerr *)nlmsg_data(nlh))->error;
			results[k] = e < 0 ? e : 0;
		}
		got++;
	}
	return got;
}

/* Requests sent together in one sendmsg(): netlink_rcv_skb() serves them
 * in order and acks each, a refused one as well. */
static void transact_together(struct vmfex_ctx *ctx, struct nl_msg *const *msgs, size_t n,
                              int *results)
{
	struct vmfex_buf out = { 0 };
	uint32_t first = ctx->rtnl_seq + 1;
	size_t pending = n;
	int r = 0;

	for (size_t i = 0; i < n; i++) {
		struct nlmsghdr *h = nlmsg_hdr(msgs[i]);

		h->nlmsg_seq = ++ctx->rtnl_seq;
		results[i] = 1;
		if (r == 0)
			r = vmfex_buf_append(&out, h, NLMSG_ALIGN(h->nlmsg_len));
	}
	if (r == 0)
		r = ctx->backend->rtnl_send(ctx, out.data, out.len);
	while (r == 0 && pending) {
		unsigned char *buf = NULL;
		int len = ctx->backend->rtnl_recv(ctx, &buf);

		if (len <= 0) {
			if (len == 0)
				ERR(ctx, "rtnetlink: %zu of %zu requests sent together got no answer",
				    pending, n);
			r = len == 0 ? -EPROTO : len;
			break;
		}
		pending -= take_acks(buf, (size_t)len, first, n, results);
		free(buf);
	}
	for (size_t i = 0; i < n; i++)
		if (results[i] == 1)
			results[i] = r;
	vmfex_buf_free(&out);
}

void vmfex_rtnl_batch_flush(struct vmfex_rtnl_batch *b)
{
	int results[VMFEX_RTNL_BATCH_MAX];

	if (!b->n)
		return;
	transact_together(b->ctx, b->msgs, b->n, results);
	for (size_t i = 0; i < b->n; i++) {
		*b->results[i] = results[i];
		nlmsg_free(b->msgs[i]);
	}
	b->n = 0;
}

void vmfex_rtnl_batch_add(struct vmfex_rtnl_batch *b, struct vmfex_ctx *ctx, struct nl_msg *msg,
                          int *result)
{
	if (b->n && b->ctx != ctx)
		vmfex_rtnl_batch_flush(b);
	b->ctx = ctx;
	b->msgs[b->n] = msg;
	b->results[b->n++] = result;
	if (b->n == VMFEX_RTNL_BATCH_MAX)
		vmfex_rtnl_batch_flush(b);
}
