/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target for the blocks of pci.ids handed to libpci
 * (lib/host/pcidb-subset.c). The input is a pci.ids text; the vendors
 * asked for are the first four ids that start its lines.
 *
 * Properties checked: the subset is the input's lines, whole and in
 * order (the last without its newline only when it is the input's last),
 * and the same when the input is fed in pieces of whole lines;
 * where libpci reads the whole input without error, it reads the subset
 * without error too and names every vendor, device and subsystem of the
 * subset's vendors (their subvendors asked for as well) exactly as from
 * the whole input. */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libvmfex-private.h"
#include "fuzz-check.h"
#include "../unit/pciids-libpci.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_VENDORS 8

/* Each line of sub is the next line of ids it matches. */
static void check_lines(const char *ids, size_t len, const char *sub, size_t sub_len)
{
	const char *p = ids, *end = ids + len, *q = sub, *qend = sub + sub_len;

	while (q < qend) {
		const char *qnl = memchr(q, '\n', (size_t)(qend - q));
		size_t ql = qnl ? (size_t)(qnl - q) + 1 : (size_t)(qend - q);
		bool found = false;

		while (p < end && !found) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t l = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);

			found = l == ql && memcmp(p, q, l) == 0;
			p += l;
		}
		CHECK(found);
		q += ql;
	}
}

/* 4 hex digits, read apart from the code under test. */
static int hex4(const char *p)
{
	char b[5] = { 0 };

	for (int i = 0; i < 4; i++)
		if (!isxdigit((unsigned char)p[i]))
			return -1;
	memcpy(b, p, 4);
	return (int)strtol(b, NULL, 16);
}

static bool in(const uint16_t *set, size_t n, int v)
{
	for (size_t i = 0; i < n; i++)
		if (set[i] == v)
			return true;
	return false;
}

static int as_file(const char *buf, size_t len, char path[32])
{
	int fd = memfd_create("fuzz-pcidb", MFD_CLOEXEC);

	CHECK(fd >= 0);
	CHECK(len == 0 || write(fd, buf, len) == (ssize_t)len);
	snprintf(path, 32, "/proc/self/fd/%d", fd);
	return fd;
}

/* Compares the names of the functions of set[0..n) listed in sub. */
static void check_names(struct pci_access *whole, struct pci_access *part, const char *sub,
                        size_t sub_len, const uint16_t *set, size_t n)
{
	const char *p = sub, *end = sub + sub_len;
	int v = -1, d = 0;

	for (const char *nl; p < end; p = nl ? nl + 1 : end) {
		char b1[256], b2[256];
		const char *n1, *n2;
		int what = -1, sv = 0, sd = 0;

		nl = memchr(p, '\n', (size_t)(end - p));
		if (end - p >= 5 && p[0] != '\t' && hex4(p) >= 0) {
			v = hex4(p);
			what = VMFEX_PCIDB_VENDOR;
		} else if (end - p >= 6 && p[0] == '\t' && p[1] != '\t' && hex4(p + 1) >= 0) {
			d = hex4(p + 1);
			what = VMFEX_PCIDB_DEVICE;
		} else if (end - p >= 11 && p[0] == '\t' && p[1] == '\t' && hex4(p + 2) >= 0 &&
		           hex4(p + 7) >= 0) {
			sv = hex4(p + 2);
			sd = hex4(p + 7);
			what = in(set, n, sv) ? VMFEX_PCIDB_SUBSYSTEM : -1;
		}
		if (what < 0 || v < 0 || !in(set, n, v))
			continue;
		n1 = pciids_name(whole, b1, sizeof(b1), what, (uint16_t)v, (uint16_t)d,
		                 (uint16_t)sv, (uint16_t)sd);
		n2 = pciids_name(part, b2, sizeof(b2), what, (uint16_t)v, (uint16_t)d,
		                 (uint16_t)sv, (uint16_t)sd);
		CHECK((n1 == NULL) == (n2 == NULL));
		CHECK(!n1 || strcmp(n1, n2) == 0);
	}
}

/* Fed in pieces of whole lines (every k-th line ends one), the subset is
 * the same as fed at once. */
static void check_pieces(const char *ids, size_t size, const uint16_t *set, size_t n,
                         const char *sub, size_t sub_len)
{
	const size_t k = size % 7 + 1;
	struct vmfex_pcidb_subset s;
	const char *p = ids, *end = ids + size, *piece = ids;
	size_t lines = 0;

	vmfex_pcidb_subset_init(&s, set, n);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		p = nl ? nl + 1 : end;
		if (++lines % k == 0 || p == end) {
			CHECK(vmfex_pcidb_subset_add(&s, piece, (size_t)(p - piece)) == 0);
			piece = p;
		}
	}
	CHECK(s.out.len == sub_len && (sub_len == 0 || memcmp(s.out.data, sub, sub_len) == 0));
	vmfex_buf_free(&s.out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *ids = (const char *)data;
	uint16_t set[MAX_VENDORS] = { 0 };
	char path_whole[32], path_part[32], *sub = NULL;
	struct pci_access *whole, *part;
	size_t n = 0, sub_len;
	int fd_whole, fd_part;

	/* The vendors: ids at line starts, then the subvendors named in
	 * their blocks, up to MAX_VENDORS. */
	for (size_t i = 0; i + 5 <= size && n < MAX_VENDORS / 2; i++) {
		if ((i == 0 || ids[i - 1] == '\n') && hex4(ids + i) >= 0 && !in(set, n, hex4(ids + i)))
			set[n++] = (uint16_t)hex4(ids + i);
	}
	for (size_t i = 0; i + 11 <= size && n < MAX_VENDORS; i++) {
		if (ids[i] == '\n' && ids[i + 1] == '\t' && ids[i + 2] == '\t' &&
		    hex4(ids + i + 3) >= 0 && !in(set, n, hex4(ids + i + 3)))
			set[n++] = (uint16_t)hex4(ids + i + 3);
	}
	if (vmfex_pcidb_subset(ids, size, set, n, &sub, &sub_len) < 0) {
		CHECK(size >= 2 && data[0] == 0x1f && data[1] == 0x8b);
		return 0;
	}
	CHECK(sub_len <= size && strlen(sub) <= sub_len);
	check_lines(ids, size, sub, sub_len);
	check_pieces(ids, size, set, n, sub, sub_len);

	fd_whole = as_file(ids, size, path_whole);
	whole = pciids_open(path_whole);
	if (whole) {
		fd_part = as_file(sub, sub_len, path_part);
		part = pciids_open(path_part);
		CHECK(part);
		check_names(whole, part, sub, sub_len, set, n);
		pci_cleanup(part);
		close(fd_part);
		pci_cleanup(whole);
	}
	close(fd_whole);
	free(sub);
	return 0;
}
