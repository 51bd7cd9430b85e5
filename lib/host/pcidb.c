/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* PCI vendor, device and subsystem names from pci.ids through libpci.
 *
 * Nothing is read before the first look-up. Then libpci is given only
 * the blocks of pci.ids of the vendors asked about (pcidb-subset.c), in a
 * memfd, which it parses in a fraction of the time the whole file takes;
 * a vendor asked about later is added and the subset read again. Where
 * that cannot be done (a compressed pci.ids, no /proc), libpci reads the
 * whole file as it would alone.
 *
 * libpci's udev hwdb look-up is not used (PCI_LOOKUP_NO_HWDB): the hwdb
 * has its own, usually newer, copy of pci.ids, and it names a subsystem
 * "DEVICE (SUBSYSTEM)", so names would change with whether udev is
 * installed; on Debian 12 they differ for 18 vendors, 217 devices and
 * nearly every subsystem. */
#include <errno.h>
#include <fcntl.h>
#include <pci/pci.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libvmfex-private.h"
#include "core/safe-file.h"

/* Past this many vendors, the whole file is cheaper than re-reading it. */
#define PCIDB_VENDORS_MAX 8
/* pci.ids is 1.3 MB in 2023. */
#define PCIDB_FILE_MAX (64u << 20)
/* Read through this much at a time. */
#define PCIDB_CHUNK 65536

struct vmfex_pcidb {
	struct pci_access *pacc;
	bool failed;                 /* no names: libpci or the file failed */
	bool whole;                  /* libpci has read the whole file */
	uint16_t vendors[PCIDB_VENDORS_MAX]; /* what the loaded subset holds */
	size_t n_vendors;
	char subset_path[32];        /* /proc/self/fd/N while libpci reads it */
};

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

static int pcidb_init(struct vmfex_ctx *ctx, struct pci_access *pacc)
{
	jmp_buf env;

	pacc->error = pci_error;
	pacc->warning = pci_quiet;
	pacc->debug = pci_quiet;
	/* Names only: the access method is never asked to scan; no DNS, no hwdb. */
	pacc->method = PCI_ACCESS_SYS_BUS_PCI;
	pci_escape = &env;
	if (setjmp(env)) {
		pci_escape = NULL;
		ERR(ctx, "libpci could not be initialised; PCI names unavailable");
		return -EIO;
	}
	pci_init(pacc);
	pci_escape = NULL;
	return 0;
}

static struct vmfex_pcidb *pcidb_get(struct vmfex_ctx *ctx)
{
	struct vmfex_pcidb *db = ctx->pcidb;

	if (db)
		return db->failed ? NULL : db;
	db = calloc(1, sizeof(*db));
	if (!db)
		return NULL;
	ctx->pcidb = db;
	db->pacc = pci_alloc();
	if (!db->pacc || pcidb_init(ctx, db->pacc) < 0) {
		db->failed = true;
		return NULL;
	}
	return db;
}

/* libpci reads path; false when it could not open it. A parse error
 * leaves no names at all. */
static bool pcidb_load(struct vmfex_ctx *ctx, struct vmfex_pcidb *db, char *path)
{
	jmp_buf env;
	int opened;

	pci_set_name_list_path(db->pacc, path, 0);
	pci_escape = &env;
	if (setjmp(env)) {
		pci_escape = NULL;
		ERR(ctx, "libpci failed reading %s; PCI names unavailable", PCI_IDS_PATH);
		db->failed = true;
		return true;
	}
	opened = pci_load_name_list(db->pacc);
	pci_escape = NULL;
	return opened;
}

static void pcidb_load_whole(struct vmfex_ctx *ctx, struct vmfex_pcidb *db)
{
	db->whole = true;
	if (!pcidb_load(ctx, db, (char *)PCI_IDS_PATH))
		DBG(ctx, "%s cannot be read: no PCI names", PCI_IDS_PATH);
}

/* The blocks of db->vendors, read through a small buffer rather than the
 * whole 1.3 MB at once (whose fresh pages cost more than the scan).
 * -ENOTSUP for a compressed file, -E2BIG for a line longer than the
 * buffer (libpci refuses lines over 1 KiB): libpci reads those whole. */
static int pcidb_read_subset(struct vmfex_ctx *ctx, struct vmfex_pcidb *db, char **out,
                             size_t *out_len)
{
	struct vmfex_pcidb_subset sub;
	size_t have = 0, total = 0;
	char *buf;
	int fd, r = 0;

	fd = vmfex_safe_open(ctx, PCI_IDS_PATH, O_RDONLY, 0, PCIDB_FILE_MAX);
	if (fd < 0)
		return fd;
	buf = malloc(PCIDB_CHUNK);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	vmfex_pcidb_subset_init(&sub, db->vendors, db->n_vendors);
	for (;;) {
		ssize_t n = read(fd, buf + have, PCIDB_CHUNK - have);
		const char *nl;
		size_t whole;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			ERR(ctx, "%s: cannot read: %s", PCI_IDS_PATH, strerror(-r));
			break;
		}
		total += (size_t)n;
		if (total > PCIDB_FILE_MAX) {
			ERR(ctx, "%s: larger than %u bytes", PCI_IDS_PATH, PCIDB_FILE_MAX);
			r = -EFBIG;
			break;
		}
		have += (size_t)n;
		if (n == 0) {
			r = vmfex_pcidb_subset_add(&sub, buf, have);
			break;
		}
		nl = memrchr(buf, '\n', have);
		if (!nl) {
			if (have < PCIDB_CHUNK)
				continue;
			r = -E2BIG;
			break;
		}
		whole = (size_t)(nl - buf) + 1;
		r = vmfex_pcidb_subset_add(&sub, buf, whole);
		if (r < 0)
			break;
		memmove(buf, buf + whole, have - whole);
		have -= whole;
	}
	free(buf);
	close(fd);
	if (r < 0) {
		vmfex_buf_free(&sub.out);
		return r;
	}
	*out = (char *)sub.out.data;
	*out_len = sub.out.len;
	return 0;
}

/* libpci reads the blocks of db->vendors from a memfd; false when that
 * cannot be done here and the whole file should be read instead. */
static bool pcidb_load_subset(struct vmfex_ctx *ctx, struct vmfex_pcidb *db)
{
	char *sub = NULL;
	size_t sub_len = 0, done = 0;
	bool loaded = false;
	int fd = -1, r;

	r = pcidb_read_subset(ctx, db, &sub, &sub_len);
	if (r == -ENOTSUP || r == -E2BIG)
		return false;
	if (r < 0) {
		/* Missing, or refused (logged): libpci must not open it either. */
		if (r == -ENOENT)
			DBG(ctx, "%s is missing: no PCI names", PCI_IDS_PATH);
		db->failed = true;
		return true;
	}
	fd = memfd_create("pci.ids-subset", MFD_CLOEXEC);
	while (fd >= 0 && done < sub_len) {
		ssize_t n = write(fd, sub + done, sub_len - done);

		if (n <= 0 && errno != EINTR)
			goto out;
		done += n > 0 ? (size_t)n : 0;
	}
	if (fd >= 0) {
		snprintf(db->subset_path, sizeof(db->subset_path), "/proc/self/fd/%d", fd);
		loaded = pcidb_load(ctx, db, db->subset_path);
	}
out:
	if (fd >= 0)
		close(fd);
	free(sub);
	if (!loaded)
		DBG(ctx, "libpci cannot read the blocks of %s from a memfd; it reads the whole file",
		    PCI_IDS_PATH);
	return loaded;
}

static bool has_vendor(const struct vmfex_pcidb *db, uint16_t vendor)
{
	for (size_t i = 0; i < db->n_vendors; i++)
		if (db->vendors[i] == vendor)
			return true;
	return false;
}

/* Makes libpci hold the names of vendor's and subvendor's functions. */
static void pcidb_want(struct vmfex_ctx *ctx, struct vmfex_pcidb *db, uint16_t vendor,
                       uint16_t subvendor)
{
	size_t before = db->n_vendors;

	if (db->whole)
		return;
	if (!has_vendor(db, vendor) && db->n_vendors < PCIDB_VENDORS_MAX)
		db->vendors[db->n_vendors++] = vendor;
	if (!has_vendor(db, subvendor) && db->n_vendors < PCIDB_VENDORS_MAX)
		db->vendors[db->n_vendors++] = subvendor;
	if (has_vendor(db, vendor) && has_vendor(db, subvendor)) {
		if (db->n_vendors != before && !pcidb_load_subset(ctx, db))
			pcidb_load_whole(ctx, db);
	} else {
		pcidb_load_whole(ctx, db);
	}
}

void vmfex_pcidb_free(struct vmfex_ctx *ctx)
{
	if (!ctx->pcidb)
		return;
	if (ctx->pcidb->pacc)
		pci_cleanup(ctx->pcidb->pacc);
	free(ctx->pcidb);
	ctx->pcidb = NULL;
}

const char *vmfex_pcidb_lookup(struct vmfex_ctx *ctx, char *buf, size_t size, int what,
                               uint16_t vendor, uint16_t device, uint16_t subvendor,
                               uint16_t subdevice)
{
	struct vmfex_pcidb *db = pcidb_get(ctx);
	const int flags = PCI_LOOKUP_NO_NUMBERS | PCI_LOOKUP_NO_HWDB;
	struct pci_access *pacc;
	jmp_buf env;
	char *name = NULL;

	if (!db)
		return NULL;
	pcidb_want(ctx, db, vendor, what == VMFEX_PCIDB_SUBSYSTEM ? subvendor : vendor);
	if (db->failed)
		return NULL;
	pacc = db->pacc;
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
