/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The lease file says which of a VM's ports the library associated and
 * which it pre-associated, so an event for a VM without VM-FEX ports, or
 * one already dealt with (a repeated event, a catch-up after a restart),
 * is passed over without a call that would fail. */
#include <string.h>
#include <strings.h>

#include "libvmfex-private.h"
#include "workflow/workflow-private.h"
#include "watch.h"

static int vm_ports(struct vmfex_ctx *ctx, const char *uuid, unsigned int flag)
{
	struct vmfex_lease_db db;
	int r, n = 0;

	r = vmfex_lease_db_open(ctx, &db);
	if (r < 0)
		return r;
	for (size_t i = 0; i < db.n; i++)
		n += strcasecmp(db.v[i].vm_uuid, uuid) == 0 && (db.v[i].flags & flag);
	vmfex_lease_db_close(&db);
	return n;
}

void watch_vm(struct vmfex_ctx *ctx, const char *name, const char *uuid, const char *why,
              bool runs_here)
{
	const char *from = runs_here ? "pre-associated" : "associated";
	int r = vm_ports(ctx, uuid, runs_here ? VMFEX_LEASE_PREASSOCIATED : VMFEX_LEASE_ASSOCIATED);

	if (r <= 0) {
		DBG(ctx, "domain %s (%s) %s: no %s port", name, uuid, why, from);
		return;
	}
	r = runs_here ? vmfex_attach_migration_finish(ctx, uuid)
	              : vmfex_attach_migration_begin(ctx, uuid);
	if (r < 0)
		ERR(ctx, "domain %s (%s) %s: its ports stay %s: %s", name, uuid, why, from,
		    strerror(-r));
	else
		NOTICE(ctx, "domain %s (%s) %s: %d port%s %s", name, uuid, why, r, r == 1 ? "" : "s",
		       runs_here ? "associated" : "pre-associated until it runs elsewhere");
}
