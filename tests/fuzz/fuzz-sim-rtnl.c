/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target for the simulated host's rtnetlink peer (lib/sim/sim-rtnl*.c):
 * arbitrary bytes as one request message, nlmsg_len forced to the input's
 * size so that the peer may read all of it and nothing more, then as a
 * buffer of requests each of its own length, on a small VIC host made once
 * in a temporary directory.
 *
 * Whatever comes in, the answer must be whole netlink messages echoing the
 * request's sequence number; an NLMSG_ERROR carries zero or a negative
 * errno and the request's header; an RTM_NEWLINK holds attributes that
 * walk to its end (nests included, since none here exceeds 64 KiB). */
#include <errno.h>
#include <ftw.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/sim-private.h"
#include "fuzz-check.h"
#include "fuzz-ctx.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Two VIC PFs of 4 VFs, a dynamic vNIC, and an ixgbe PF of 2 VFs. */
static const char host[] =
	"{ \"drivers\": [ { \"name\": \"enic\", \"vf_ops\": [\"mac\"], \"vf_port\": true },"
	"  { \"name\": \"ixgbe\", \"sriov_configure\": true, \"vf_ops\": [\"mac\", \"vlan\","
	"    \"rate\", \"spoofchk\", \"link_state\", \"trust\", \"rss_query_en\"] },"
	"  { \"name\": \"ixgbevf\" } ],"
	"  \"devices\": ["
	"  { \"pci\": \"0000:0a:00.0\", \"vendor\": \"0x1137\", \"device\": \"0x0043\","
	"    \"driver\": \"enic\", \"ifname\": \"enp10s0f0\","
	"    \"sriov\": { \"total_vfs\": 4, \"num_vfs\": 4, \"vf_device\": \"0x0071\","
	"                 \"vf_driver\": \"enic\" } },"
	"  { \"pci\": \"0000:0c:00.0\", \"vendor\": \"0x1137\", \"device\": \"0x0044\","
	"    \"driver\": \"enic\", \"ifname\": \"enp12s0\" },"
	"  { \"pci\": \"0000:03:00.0\", \"vendor\": \"0x8086\", \"device\": \"0x10fb\","
	"    \"driver\": \"ixgbe\", \"ifname\": \"enp3s0f0\","
	"    \"sriov\": { \"total_vfs\": 2, \"num_vfs\": 2, \"vf_device\": \"0x10ed\","
	"                 \"vf_driver\": \"ixgbevf\" } } ] }";

static struct vmfex_ctx *ctx;
static char dir[256];

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void cleanup(void)
{
	vmfex_unref(ctx);
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct vmfex_new_opts opts = { .sz = sizeof(opts), .ignore_env = 1 };
	const char *tmp = getenv("TMPDIR");
	char desc[300];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/vmfex-fuzz-rtnl-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		abort();
	snprintf(desc, sizeof(desc), "%s/host.json.in", dir);
	f = fopen(desc, "w");
	if (!f || fputs(host, f) < 0 || fclose(f) != 0)
		abort();
	ctx = fuzz_ctx_new();
	strcat(dir, "/host");
	if (vmfex_sim_create(ctx, dir, desc) < 0)
		abort();
	vmfex_unref(ctx);
	unlink(desc);
	opts.sim_dir = dir;
	if (vmfex_new_with_opts(&opts, &ctx) < 0)
		abort();
	fuzz_ctx_quiet(ctx);
	*strrchr(dir, '/') = '\0';
	atexit(cleanup);
	return 0;
}

/* Attributes that fill p to end exactly; with lists, the nests of VF
 * information and ports too, down to their attributes. */
static void check_attrs(const uint8_t *p, const uint8_t *end, bool lists)
{
	while (end - p >= 4) {
		uint16_t len, type;

		memcpy(&len, p, 2);
		memcpy(&type, p + 2, 2);
		type &= NLA_TYPE_MASK;
		CHECK(len >= 4 && len <= end - p);
		if (lists && type == IFLA_PORT_SELF)
			check_attrs(p + 4, p + len, false);
		if (lists && (type == IFLA_VFINFO_LIST || type == IFLA_VF_PORTS)) {
			const uint8_t *c = p + 4;

			check_attrs(c, p + len, false);
			while (p + len - c >= 4) {
				uint16_t clen;

				memcpy(&clen, c, 2);
				check_attrs(c + 4, c + clen, false);
				c += NLMSG_ALIGN(clen);
			}
		}
		p += NLMSG_ALIGN(len);
	}
	CHECK(p == end);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmfex_buf reply = { 0 };
	struct nlmsghdr *req;
	size_t off = 0;
	int r;

	if (size < NLMSG_HDRLEN || size > 65536)
		return 0;
	req = calloc(1, NLMSG_ALIGN(size));
	if (!req)
		return 0;
	memcpy(req, data, size);
	req->nlmsg_len = (uint32_t)size;
	r = vmfex_sim_rtnl(vmfex_sim_of(ctx), req, &reply);
	CHECK(r == 0 || r == -ENOMEM);
	while (off < reply.len) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)(reply.data + off);

		CHECK(reply.len - off >= NLMSG_HDRLEN);
		CHECK(h->nlmsg_len >= NLMSG_HDRLEN && h->nlmsg_len <= reply.len - off);
		CHECK(h->nlmsg_seq == req->nlmsg_seq && h->nlmsg_pid == req->nlmsg_pid);
		if (h->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(h);

			CHECK(h->nlmsg_len >= NLMSG_HDRLEN + sizeof(*e));
			CHECK(e->error <= 0 && e->error > -4096);
			CHECK(memcmp(&e->msg, req, sizeof(*req)) == 0);
			/* An error echoes the whole request, an ACK only its header;
			 * the length is aligned, as the kernel's nlmsg_append() leaves it. */
			CHECK(h->nlmsg_len == NLMSG_HDRLEN + sizeof(*e) +
			                          (e->error ? NLMSG_ALIGN(size - NLMSG_HDRLEN) : 0));
		} else if (h->nlmsg_type == RTM_NEWLINK) {
			const uint8_t *b = (const uint8_t *)h;

			CHECK(h->nlmsg_len >= NLMSG_HDRLEN + sizeof(struct ifinfomsg));
			check_attrs(b + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct ifinfomsg)),
			            b + h->nlmsg_len, true);
		} else {
			CHECK(h->nlmsg_type == NLMSG_DONE);
		}
		off += NLMSG_ALIGN(h->nlmsg_len);
	}
	CHECK(off == reply.len);
	/* The same bytes as one sendmsg() buffer, each message's own length
	 * kept: the answers, if any, are whole messages of the three kinds. */
	reply.len = 0;
	memcpy(req, data, size);
	r = vmfex_sim_rtnl_many(vmfex_sim_of(ctx), req, size, &reply);
	CHECK(r == 0 || r == -ENOMEM);
	for (off = 0; off < reply.len;) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)(reply.data + off);

		CHECK(reply.len - off >= NLMSG_HDRLEN);
		CHECK(h->nlmsg_len >= NLMSG_HDRLEN && h->nlmsg_len <= reply.len - off);
		CHECK(h->nlmsg_type == NLMSG_ERROR || h->nlmsg_type == RTM_NEWLINK ||
		      h->nlmsg_type == NLMSG_DONE);
		off += NLMSG_ALIGN(h->nlmsg_len);
	}
	CHECK(off == reply.len);
	vmfex_buf_free(&reply);
	free(req);
	return 0;
}
