/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The log hook of the Go binding: cgo cannot take a va_list, so the
 * message is formatted here and handed to Go already made. */
#ifndef VMFEX_GO_SHIM_H
#define VMFEX_GO_SHIM_H

#include <stdint.h>
#include <libvmfex/libvmfex.h>

/* Route the context's log to the Go log state registered under id. */
void vmfex_go_set_log(struct vmfex_ctx *ctx, uintptr_t id);

#endif
