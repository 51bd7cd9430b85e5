/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* PCI names (lib/host/pcidb.c, pcidb-subset.c): the blocks of pci.ids
 * handed to libpci, on hand-written texts; then every vendor, device and
 * subsystem name of the system's pci.ids from its subsets, and the names
 * the library gives, against libpci reading the whole file (the way the
 * library read it before). Skipped without a pci.ids. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "libvmfex-private.h"
#include "pciids-libpci.h"

static void check_subset(const char *ids, size_t len, const uint16_t *vendors, size_t n,
                         const char *expected)
{
	char *out = NULL;
	size_t out_len = 0;

	assert_int_equal(vmfex_pcidb_subset(ids, len, vendors, n, &out, &out_len), 0);
	assert_string_equal(out, expected);
	assert_int_equal(out_len, strlen(expected));
	free(out);
}

#define SUBSET(ids, expected, ...)                                                         \
	do {                                                                               \
		const uint16_t v_[] = { __VA_ARGS__ };                                     \
		check_subset(ids, strlen(ids), v_, ARRAY_SIZE(v_), expected);              \
	} while (0)

static const char sample[] =
	"# pci.ids sample\n"
	"1000  Broadcom / LSI\n"
	"\t0014  MegaRAID Tri-Mode SAS3516\n"
	"\t\t1137 020e  UCSC-RAID-M5\n"
	"1137  Cisco Systems Inc\n"
	"# a comment inside the block\n"
	"\n"
	"\t0043  VIC Ethernet NIC\n"
	"\t\t1137 012c  VIC 1340 MLOM Ethernet NIC\n"
	"\t0071  VIC SR-IOV VF\n"
	"8086  Intel Corporation\n"
	"\t1572  Ethernet Controller X710 for 10GbE SFP+\n"
	"C 02  Network controller\n"
	"\t00  Ethernet controller\n";

static void subset_blocks(void **state)
{
	SUBSET(sample,
	       "1137  Cisco Systems Inc\n"
	       "\t0043  VIC Ethernet NIC\n"
	       "\t\t1137 012c  VIC 1340 MLOM Ethernet NIC\n"
	       "\t0071  VIC SR-IOV VF\n",
	       0x1137);
	/* In the file's order, whatever the order asked. */
	SUBSET(sample,
	       "1000  Broadcom / LSI\n"
	       "\t0014  MegaRAID Tri-Mode SAS3516\n"
	       "\t\t1137 020e  UCSC-RAID-M5\n"
	       "8086  Intel Corporation\n"
	       "\t1572  Ethernet Controller X710 for 10GbE SFP+\n",
	       0x8086, 0x1000);
	/* A class block ends a vendor's; no vendor, nothing. */
	SUBSET(sample, "8086  Intel Corporation\n\t1572  Ethernet Controller X710 for 10GbE SFP+\n",
	       0x8086);
	SUBSET(sample, "", 0x10de);
	SUBSET("", "", 0x1137);
}

static void subset_as_libpci_reads(void **state)
{
	/* Hex digits in either case; a tab after the id. */
	SUBSET("10DE  NVIDIA\n\t1234  X\n10de\tnv\n", "10DE  NVIDIA\n\t1234  X\n10de\tnv\n",
	       0x10de);
	/* Not an id followed by a blank: no vendor line. */
	SUBSET("11370 x\n\t0001  y\n1137  Cisco\n", "1137  Cisco\n", 0x1137);
	/* CRLF lines are kept as they are. */
	SUBSET("1137  Cisco\r\n\t0043  VIC\r\n8086  Intel\r\n", "1137  Cisco\r\n\t0043  VIC\r\n",
	       0x1137);
	/* A generic subsystem block, with or without a trailing blank. */
	SUBSET("1137  Cisco\nS 1137\n\t0001  Generic\nS 8086 \n\t0002  Other\n",
	       "1137  Cisco\nS 1137\n\t0001  Generic\n", 0x1137);
	SUBSET("8086  Intel\nS 8086 \n\t0002  Other\n", "8086  Intel\nS 8086 \n\t0002  Other\n",
	       0x8086);
	/* The last line without its newline stays the last one. */
	SUBSET("8086  Intel\n1137  Cisco", "1137  Cisco", 0x1137);
	/* Comments and blank lines, even indented, are left out. */
	SUBSET("1137  Cisco\n\t# x\n  \n\t\n\t0043  VIC\n", "1137  Cisco\n\t0043  VIC\n", 0x1137);
}

static void subset_compressed_refused(void **state)
{
	static const char gz[] = "\x1f\x8b\x08\x00rest";
	const uint16_t v = 0x1137;
	char *out = NULL;
	size_t len = 0;

	assert_int_equal(vmfex_pcidb_subset(gz, sizeof(gz) - 1, &v, 1, &out, &len), -ENOTSUP);
	assert_null(out);
}

/* Each function named in the system's pci.ids, as libpci names it from
 * the subset of its vendor and subvendors, and as the library names it,
 * against libpci reading the whole file. */
struct ids_entry {
	uint16_t v, d, sv, sd;
	int what;
};

struct ids {
	char *text;
	size_t len;
	struct ids_entry *e;
	size_t n, cap;
	struct pci_access *ref;
};

static void ids_add(struct ids *ids, struct ids_entry e)
{
	if (ids->n == ids->cap) {
		ids->cap = ids->cap ? ids->cap * 2 : 4096;
		ids->e = realloc(ids->e, ids->cap * sizeof(*ids->e));
		assert_non_null(ids->e);
	}
	ids->e[ids->n++] = e;
}

/* The entries of the system's pci.ids, read apart from the library. */
static int ids_setup(void **state)
{
	static struct ids ids;
	char line[1100];
	uint16_t v = 0, d = 0;
	FILE *f;
	long len;

	f = fopen(PCI_IDS_PATH, "re");
	if (!f) {
		*state = NULL;
		return 0;
	}
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	rewind(f);
	ids.text = malloc((size_t)len + 1);
	assert_non_null(ids.text);
	assert_int_equal(fread(ids.text, 1, (size_t)len, f), (size_t)len);
	ids.len = (size_t)len;
	rewind(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned int a, b;

		if (line[0] == 'C' && line[1] == ' ')
			break; /* the classes, which the library never asks */
		if (line[0] != '\t' && line[0] != '#' && sscanf(line, "%4x ", &a) == 1)
			ids_add(&ids, (struct ids_entry){ v = (uint16_t)a, 0, 0, 0, VMFEX_PCIDB_VENDOR });
		else if (line[0] == '\t' && line[1] != '\t' && sscanf(line + 1, "%4x ", &a) == 1)
			ids_add(&ids, (struct ids_entry){ v, d = (uint16_t)a, 0, 0, VMFEX_PCIDB_DEVICE });
		else if (line[0] == '\t' && line[1] == '\t' && sscanf(line + 2, "%4x %4x", &a, &b) == 2)
			ids_add(&ids, (struct ids_entry){ v, d, (uint16_t)a, (uint16_t)b,
			                                  VMFEX_PCIDB_SUBSYSTEM });
	}
	fclose(f);
	assert_true(ids.n > 10000);
	ids.ref = pciids_open((char *)PCI_IDS_PATH);
	assert_non_null(ids.ref);
	*state = &ids;
	return 0;
}

static int ids_teardown(void **state)
{
	struct ids *ids = *state;

	if (ids) {
		pci_cleanup(ids->ref);
		free(ids->e);
		free(ids->text);
	}
	return 0;
}

static void compare(struct pci_access *ref, const char *got, const struct ids_entry *e,
                    const char *who)
{
	char want_buf[256];
	const char *want = pciids_name(ref, want_buf, sizeof(want_buf), e->what, e->v, e->d, e->sv,
	                               e->sd);

	if ((want == NULL) != (got == NULL) || (want && strcmp(want, got) != 0))
		fail_msg("%04x:%04x %04x:%04x (what %d): %s '%s', libpci on the whole file '%s'",
		         e->v, e->d, e->sv, e->sd, e->what, who, got ? got : "(none)",
		         want ? want : "(none)");
}

static bool in(const uint16_t *set, size_t n, uint16_t v)
{
	for (size_t i = 0; i < n; i++)
		if (set[i] == v)
			return true;
	return false;
}

/* Every vendor, device and subsystem, from subsets of 8 vendors and the
 * subvendors of their subsystems. */
static void system_pciids_subsets(void **state)
{
	struct ids *ids = *state;
	uint16_t *set = NULL;
	size_t groups = 0;

	if (!ids)
		skip();
	set = malloc(ids->n * sizeof(*set));
	assert_non_null(set);
	for (size_t i = 0; i < ids->n;) {
		char path[64], *sub, buf[256];
		size_t j = i, vendors = 0, n = 0, sub_len;
		struct pci_access *a;
		int fd;

		for (; j < ids->n && (vendors < 8 || ids->e[j].what != VMFEX_PCIDB_VENDOR); j++) {
			vendors += ids->e[j].what == VMFEX_PCIDB_VENDOR;
			if (!in(set, n, ids->e[j].v))
				set[n++] = ids->e[j].v;
			if (ids->e[j].what == VMFEX_PCIDB_SUBSYSTEM && !in(set, n, ids->e[j].sv))
				set[n++] = ids->e[j].sv;
		}
		assert_int_equal(vmfex_pcidb_subset(ids->text, ids->len, set, n, &sub, &sub_len), 0);
		assert_true(sub_len < ids->len);
		fd = memfd_create("pci.ids-test", MFD_CLOEXEC);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, sub, sub_len), (ssize_t)sub_len);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		a = pciids_open(path);
		assert_non_null(a);
		for (size_t k = i; k < j; k++) {
			const struct ids_entry *e = &ids->e[k];

			compare(ids->ref, pciids_name(a, buf, sizeof(buf), e->what, e->v, e->d, e->sv,
			                              e->sd), e, "libpci on the subset");
		}
		pci_cleanup(a);
		close(fd);
		free(sub);
		groups++;
		i = j;
	}
	assert_true(groups > 10);
	free(set);
}

/* Through the library: Cisco's names, then Intel's, whose subsystems
 * name more subvendors than a subset holds (the whole file is read). */
static void library_names(void **state)
{
	struct vmfex_new_opts o = { .sz = sizeof(o), .sysfs_root = "/nonexistent", .ignore_env = 1 };
	struct ids *ids = *state;
	static const uint16_t vendors[] = { VMFEX_PCI_VENDOR_CISCO, 0x8086 };
	struct vmfex_ctx *ctx;
	size_t tested = 0;

	if (!ids)
		skip();
	assert_int_equal(vmfex_new_with_opts(&o, &ctx), 0);
	for (size_t vi = 0; vi < ARRAY_SIZE(vendors); vi++) {
		for (size_t k = 0; k < ids->n; k++) {
			const struct ids_entry *e = &ids->e[k];
			char buf[256];

			if (e->v != vendors[vi])
				continue;
			compare(ids->ref, vmfex_pcidb_lookup(ctx, buf, sizeof(buf), e->what, e->v,
			                                     e->d, e->sv, e->sd), e, "the library");
			tested++;
		}
	}
	/* A device the file does not name has no name. */
	{
		const struct ids_entry none = { VMFEX_PCI_VENDOR_CISCO, 0xfffe, 0, 0,
			                        VMFEX_PCIDB_DEVICE };
		char buf[256];

		compare(ids->ref, vmfex_pcidb_lookup(ctx, buf, sizeof(buf), none.what, none.v,
		                                     none.d, 0, 0), &none, "the library");
	}
	assert_true(tested > 100);
	vmfex_unref(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(subset_blocks),
		cmocka_unit_test(subset_as_libpci_reads),
		cmocka_unit_test(subset_compressed_refused),
	};
	const struct CMUnitTest system_tests[] = {
		cmocka_unit_test(system_pciids_subsets),
		cmocka_unit_test(library_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL) |
	       cmocka_run_group_tests(system_tests, ids_setup, ids_teardown);
}
