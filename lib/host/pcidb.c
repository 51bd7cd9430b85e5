/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* PCI vendor, device and subsystem names from pci.ids through libpci.
 * The database is loaded on the first look-up only, so an inventory that
 * asks for no names pays nothing for it. */
#include <errno.h>
#include <pci/pci.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libvmfex-private.h"

/* libpci calls a.error() for fatal conditions and expects it not to
 * return; we must never exit a caller's process. */
static __thread jmp_buf *pci_escape;

static void __attribute__((noreturn)) pci_error(char *msg, ...)
{
	if (pci_escape)
		longjmp(*pci_escape, 1);
	abort();
}

static void pci_quiet(char *msg, ...)
{
}

static struct pci_access *pcidb_get(struct vmfex_ctx *ctx)
{
	struct pci_access *pacc;
	jmp_buf env;

	if (ctx->pacc || ctx->pacc_failed)
		return ctx->pacc;
	pacc = pci_alloc();
	if (!pacc) {
		ctx->pacc_failed = true;
		return NULL;
	}
	pacc->error = pci_error;
	pacc->warning = pci_quiet;
	pacc->debug = pci_quiet;
	/* Names only: the access method is never asked to scan; no DNS, no hwdb. */
	pacc->method = PCI_ACCESS_SYS_BUS_PCI;
	pci_set_name_list_path(pacc, (char *)PCI_IDS_PATH, 0);
	pci_escape = &env;
	if (setjmp(env)) {
		pci_escape = NULL;
		ERR(ctx, "libpci could not be initialised; PCI names unavailable");
		ctx->pacc_failed = true;
		return NULL;
	}
	pci_init(pacc);
	pci_escape = NULL;
	ctx->pacc = pacc;
	return pacc;
}

void vmfex_pcidb_free(struct vmfex_ctx *ctx)
{
	if (ctx->pacc)
		pci_cleanup(ctx->pacc);
	ctx->pacc = NULL;
}

const char *vmfex_pcidb_lookup(struct vmfex_ctx *ctx, char *buf, size_t size, int what,
                               uint16_t vendor, uint16_t device, uint16_t subvendor,
                               uint16_t subdevice)
{
	struct pci_access *pacc = pcidb_get(ctx);
	const int flags = PCI_LOOKUP_NO_NUMBERS | PCI_LOOKUP_NO_HWDB;
	jmp_buf env;
	char *name = NULL;

	if (!pacc)
		return NULL;
	pci_escape = &env;
	if (setjmp(env)) {
		pci_escape = NULL;
		ERR(ctx, "libpci failed reading %s", PCI_IDS_PATH);
		return NULL;
	}
	switch (what) {
	case VMFEX_PCIDB_VENDOR:
		name = pci_lookup_name(pacc, buf, (int)size, flags | PCI_LOOKUP_VENDOR, vendor);
		break;
	case VMFEX_PCIDB_DEVICE:
		name = pci_lookup_name(pacc, buf, (int)size, flags | PCI_LOOKUP_DEVICE, vendor,
		                       device);
		break;
	case VMFEX_PCIDB_SUBSYSTEM:
		name = pci_lookup_name(pacc, buf, (int)size,
		                       flags | PCI_LOOKUP_SUBSYSTEM | PCI_LOOKUP_DEVICE, vendor,
		                       device, subvendor, subdevice);
		break;
	}
	pci_escape = NULL;
	return name;
}
