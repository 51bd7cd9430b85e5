/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target for the RTM_NEWLINK parser (lib/rtnl/link-parse.c), which
 * reads the kernel's answer about a PF: its VFs' settings and 802.1Qbh
 * ports. Arbitrary bytes stand for a hostile or broken reply. What it
 * accepts must be whole: VF indices from the reply, strings terminated,
 * profile names of at most 39 characters, UUIDs in their 36-character
 * form, and each VF's port found again by its index. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libvmfex-private.h"
#include "fuzz-check.h"
#include "fuzz-ctx.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct vmfex_ctx *ctx;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	ctx = fuzz_ctx_new();
	return 0;
}

static void check_port(const struct vmfex_port_state *p)
{
	CHECK(strlen(p->profile) <= 39);
	CHECK(!p->has_instance || strlen(vmfex_port_state_get_instance_uuid(p)) == 36);
	CHECK(!p->has_host || strlen(vmfex_port_state_get_host_uuid(p)) == 36);
	CHECK(p->request >= -1 && p->request <= 0xffff);
	CHECK(p->response >= -1 && p->response <= 0xffff);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmfex_link link = { 0 };
	/* A copy of exactly size bytes, so that ASan sees any read past it. */
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (vmfex_link_parse(ctx, copy, size, &link) == 0) {
		CHECK(strlen(link.ifname) < sizeof(link.ifname));
		CHECK(!link.has_mac || strlen(link.mac) == 17);
		CHECK(link.num_vfs <= 65535);
		for (size_t i = 0; i < link.n_vfs; i++) {
			struct vmfex_link_vf *vf = &link.vfs[i];

			CHECK(!vf->has_mac || strlen(vmfex_link_vf_get_mac(vf)) == 17);
			CHECK(vmfex_link_find_vf(&link, vf->index) != NULL);
			CHECK(vf->spoofchk >= -1 && vf->spoofchk <= 1);
			CHECK(vf->link_state >= -1 && vf->link_state <= 2);
			if (vf->has_port)
				check_port(&vf->port);
		}
		if (link.has_self_port)
			check_port(&link.self_port);
		vmfex_link_clear(&link);
	}
	free(copy);
	return 0;
}
