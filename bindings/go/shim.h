/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The log hook of the Go binding: cgo cannot take a va_list, so the
 * message is formatted here and handed to Go already made. */
#ifndef VMFEX_GO_SHIM_H
#define VMFEX_GO_SHIM_H

#include <stdint.h>
#include <libvmfex/libvmfex.h>

/* Route the context's log to the Go log state registered under id. */
/* The log from the start: what the context's making says reaches Go too. */
void vmfex_go_opts_log(struct vmfex_new_opts *opts, uintptr_t id);

#endif
