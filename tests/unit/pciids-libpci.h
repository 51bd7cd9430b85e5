/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The reference the PCI name tests hold the library to: libpci alone,
 * reading a whole pci.ids file, asked as lib/host/pcidb.c asks it. */
#ifndef PCIIDS_LIBPCI_H
#define PCIIDS_LIBPCI_H

#include <pci/pci.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

static jmp_buf pciids_escape;

static void __attribute__((noreturn)) pciids_error(char *msg, ...)
{
	longjmp(pciids_escape, 1);
}

static void pciids_quiet(char *msg, ...)
{
}

/* libpci with path read; NULL when it could not open or parse it. */
static inline struct pci_access *pciids_open(char *path)
{
	struct pci_access *volatile a = pci_alloc();

	a->error = pciids_error;
	a->warning = pciids_quiet;
	a->debug = pciids_quiet;
	a->method = PCI_ACCESS_SYS_BUS_PCI;
	if (setjmp(pciids_escape)) {
		pci_cleanup(a);
		return NULL;
	}
	pci_init(a);
	pci_set_name_list_path(a, path, 0);
	if (!pci_load_name_list(a)) {
		pci_cleanup(a);
		return NULL;
	}
	return a;
}

/* what: 0 vendor, 1 device, 2 subsystem (as VMFEX_PCIDB_*). */
static inline const char *pciids_name(struct pci_access *a, char *buf, int size, int what,
                                      uint16_t v, uint16_t d, uint16_t sv, uint16_t sd)
{
	const int flags = PCI_LOOKUP_NO_NUMBERS | PCI_LOOKUP_NO_HWDB;

	if (what == 0)
		return pci_lookup_name(a, buf, size, flags | PCI_LOOKUP_VENDOR, v);
	if (what == 1)
		return pci_lookup_name(a, buf, size, flags | PCI_LOOKUP_DEVICE, v, d);
	return pci_lookup_name(a, buf, size, flags | PCI_LOOKUP_SUBSYSTEM | PCI_LOOKUP_DEVICE, v, d,
	                       sv, sd);
}

#endif
