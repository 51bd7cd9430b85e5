/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What vmfex-libvirt-hook and vmfex-libvirt-watch start with: the
 * settings file read, a context on the host it names, and the library's
 * messages sent to syslog and to stderr. */
#ifndef VMFEX_HOOK_SETUP_H
#define VMFEX_HOOK_SETUP_H

#include <libvmfex/libvmfex.h>

#include "hook-conf.h"

/* openlog() as @prog, the settings read (HOOK_CONF_ENV or HOOK_CONF_PATH:
 * a missing file means defaults, one that does not parse is an error
 * naming the line), and a context on the simulated host they name (else
 * the real one) logging at their level. @conf_path is set to the file
 * read. 0, or a negative errno with the reason on syslog and stderr. */
int hook_setup(const char *prog, struct hook_conf *conf, const char **conf_path,
               struct vmfex_ctx **ctx);

/* "WHAT: WHY" to syslog (as err) and to stderr, before or without a
 * context. */
void hook_fail(const char *what, const char *why);

#endif
