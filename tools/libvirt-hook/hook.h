/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmfex-libvirt-hook: the operations of libvirtd's network and qemu hooks. */
#ifndef VMFEX_HOOK_H
#define VMFEX_HOOK_H

#include <libvmfex/libvmfex.h>

#include "hook-conf.h"

struct hook {
	struct vmfex_ctx *ctx;
	struct hook_conf conf;
	const char *conf_path;
};

/* argv: NETWORK port-created|port-deleted begin -; 0 done, 1 failed. */
int hook_network(struct hook *h, const char *op, const char *buf, size_t len);
/* argv: DOMAIN prepare|release|migrate|... begin -; 0 done, 1 failed. */
int hook_qemu(struct hook *h, const char *domain, const char *op, const char *buf, size_t len);

#endif
