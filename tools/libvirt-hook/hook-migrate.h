/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Incoming migrations, remembered by VM UUID between the qemu hook's
 * 'migrate' and its 'started', so that the network hook pre-associates
 * the ports it is given meanwhile instead of associating them. */
#ifndef VMFEX_HOOK_MIGRATE_H
#define VMFEX_HOOK_MIGRATE_H

#include <stdbool.h>

#include "hook.h"

int hook_migrate_remember(struct hook *h, const char *vm_uuid);
bool hook_migrate_pending(struct hook *h, const char *vm_uuid);
void hook_migrate_forget(struct hook *h, const char *vm_uuid);

#endif
