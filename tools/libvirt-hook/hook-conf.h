/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The settings of vmfex-libvirt-hook and vmfex-libvirt-watch
 * (/etc/vmfex/libvirt-hook.conf). */
#ifndef VMFEX_HOOK_CONF_H
#define VMFEX_HOOK_CONF_H

#include <stddef.h>

#define HOOK_CONF_PATH "/etc/vmfex/libvirt-hook.conf"
/* Tests (and hosts that keep /etc read-only) name another file here; the
 * hook is started by libvirtd with LC_ALL, PATH and HOME only, so for a
 * hook run by libvirtd the file itself is what counts. */
#define HOOK_CONF_ENV "VMFEX_LIBVIRT_HOOK_CONF"
#define HOOK_CONF_VALUE_MAX 4096

struct hook_conf {
	char catalog[HOOK_CONF_VALUE_MAX];   /* "" for none */
	char sim[HOOK_CONF_VALUE_MAX];       /* simulated host directory, "" for the real one */
	char state_dir[HOOK_CONF_VALUE_MAX]; /* where migrate calls are remembered */
	unsigned int timeout_ms;             /* 0: the library's default */
	int log_priority;                    /* syslog priority */
};

/* Parse the file's text: "key = value" lines, '#' comments, blank lines.
 * Returns 0, or -EINVAL with @why naming the line and the fault. */
int hook_conf_parse(const char *buf, size_t len, struct hook_conf *conf, char *why,
                    size_t why_size);

#endif
