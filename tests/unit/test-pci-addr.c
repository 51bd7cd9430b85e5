/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Strings that become parts of sysfs paths (core/pci-addr.c): PCI
 * addresses, interface names, driver names. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "libvmfex-private.h"

static const struct vmfex_pci_addr sentinel = { 0xdead, 0xbe, 0xef, 0x42 };

static void assert_addr(const struct vmfex_pci_addr *a, unsigned domain, unsigned bus,
                        unsigned dev, unsigned fn)
{
	assert_int_equal(a->domain, domain);
	assert_int_equal(a->bus, bus);
	assert_int_equal(a->dev, dev);
	assert_int_equal(a->fn, fn);
}

static void assert_parses(const char *s, unsigned domain, unsigned bus, unsigned dev,
                          unsigned fn)
{
	struct vmfex_pci_addr a = sentinel;
	int r = vmfex_pci_addr_parse(s, &a);

	if (r != 0)
		fail_msg("'%s': %d, expected 0", s, r);
	assert_addr(&a, domain, bus, dev, fn);
}

static void assert_refused(const char *s)
{
	struct vmfex_pci_addr a = sentinel;
	int r = vmfex_pci_addr_parse(s, &a);

	if (r != -EINVAL)
		fail_msg("'%s': %d, expected -EINVAL", s ? s : "(null)", r);
	/* Nothing is written on failure. */
	assert_addr(&a, sentinel.domain, sentinel.bus, sentinel.dev, sentinel.fn);
}

/* ---- vmfex_pci_addr_parse ---- */

static void pci_addr_long_form(void **state)
{
	assert_parses("0000:0a:00.0", 0, 0x0a, 0, 0);
	assert_parses("0000:81:1f.7", 0, 0x81, 0x1f, 7);
	assert_parses("0000:82:00.0", 0, 0x82, 0, 0);
	assert_parses("0001:40:00.1", 1, 0x40, 0, 1);
	assert_parses("ffff:ff:1f.7", 0xffff, 0xff, 0x1f, 7);
	assert_parses("0000:00:00.0", 0, 0, 0, 0);
	assert_parses("10de:0d:10.3", 0x10de, 0x0d, 0x10, 3);
}

static void pci_addr_short_form(void **state)
{
	assert_parses("0a:00.0", 0, 0x0a, 0, 0);
	assert_parses("81:1f.7", 0, 0x81, 0x1f, 7);
	assert_parses("00:00.0", 0, 0, 0, 0);
	assert_parses("ff:1f.7", 0, 0xff, 0x1f, 7);
}

static void pci_addr_case(void **state)
{
	assert_parses("0000:0A:1F.7", 0, 0x0a, 0x1f, 7);
	assert_parses("FFFF:FF:1F.7", 0xffff, 0xff, 0x1f, 7);
	assert_parses("AbCd:eF:1e.6", 0xabcd, 0xef, 0x1e, 6);
	assert_parses("0D:0A.1", 0, 0x0d, 0x0a, 1);
}

static void pci_addr_device_function_range(void **state)
{
	assert_refused("0000:0a:20.0");
	assert_refused("0000:0a:21.0");
	assert_refused("0000:0a:3f.0");
	assert_refused("0000:0a:ff.0");
	assert_refused("0a:20.0");
	assert_refused("0000:0a:00.8");
	assert_refused("0000:0a:00.9");
	assert_refused("0000:0a:00.f");
	assert_refused("0000:0a:00.F");
	assert_refused("0a:00.8");
}

static void pci_addr_trailing_junk(void **state)
{
	assert_refused("0000:0a:00.0\n");
	assert_refused("0000:0a:00.0 ");
	assert_refused("0000:0a:00.00");
	assert_refused("0000:0a:00.0x");
	assert_refused("0000:0a:00.0/");
	assert_refused("0000:0a:00.0/../..");
	assert_refused("0000:0a:00.0/../../../etc");
	assert_refused("0a:00.0\n");
	assert_refused("0a:00.0/..");
	assert_refused("0a:00.0:");
}

static void pci_addr_leading_junk(void **state)
{
	assert_refused(" 0000:0a:00.0");
	assert_refused("\t0a:00.0");
	assert_refused("x0000:0a:00.0");
	assert_refused("../0a:00.0");
	assert_refused("/0a:00.0");
	assert_refused("+000:0a:00.0");
	assert_refused("-000:0a:00.0");
	assert_refused("0x00:0a:00.0");
}

static void pci_addr_malformed(void **state)
{
	static const char *const bad[] = {
		"", ".", "..", "/", "a/b", "../x",
		"0000:0a:00", "0000:0a", "0000", "0a:00", "0a",
		"000:0a:00.0",    /* 11: three-digit domain */
		"00000:0a:00.0",  /* 13 */
		"0000:a:00.0", "0000:0a:0.0", "0000:0a:000.0",
		"0:0a:00.0", "0a:0.00", "a:00.0", "0a:00.",
		"0000-0a:00.0", "0000:0a-00.0", "0000:0a:00:0", "0000.0a:00.0", "0000:0a.00.0",
		"0000/0a:00.0", "0000:0a/00.0", "0000:0a:00/0",
		"g000:0a:00.0", "0000:0g:00.0", "0000:0a:0g.0", "0000:0a:00.g",
		"0000: a:00.0", "0000:+a:00.0", "0000:-a:00.0", "0000:0a: 0.0", "0000:0a:00. ",
		"0a:00.0 junk", "0000:0a:00.0:0000:0a:00.0",
		"\xc3\xa9\xc3\xa9:0a:00.0",    /* 12 bytes, a non-ASCII domain */
		"0a:\xc3\xa9.0",                  /* 7 bytes, a non-ASCII letter */
		"....:..:...", "::::::::::::", "0000:0a:00.-1",
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		assert_refused(bad[i]);
	assert_refused(NULL);
}

static void pci_addr_over_long(void **state)
{
	char buf[4096];

	memset(buf, '0', sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = '\0';
	assert_refused(buf);
	/* A valid address followed by anything is over-long. */
	snprintf(buf, sizeof(buf), "0000:0a:00.0%0200d", 0);
	assert_refused(buf);
	snprintf(buf, sizeof(buf), "0000:0a:00.0%s", "/../../../../../../../../etc/passwd");
	assert_refused(buf);
}

static void pci_addr_embedded_nul(void **state)
{
	/* The string ends at the NUL: what is before it is all that counts. */
	static const char mid[] = "0000:0a\0:00.0";
	static const char in_dev[] = "0000:0a:0\0.0";
	static const char after[] = "0a:00.0\0/../..";

	assert_refused(mid);
	assert_refused(in_dev);
	assert_parses(after, 0, 0x0a, 0, 0);
}

/* ---- vmfex_pci_addr_format ---- */

static void format_one(unsigned domain, unsigned bus, unsigned dev, unsigned fn,
                       const char *want)
{
	struct vmfex_pci_addr a = { (uint16_t)domain, (uint8_t)bus, (uint8_t)dev, (uint8_t)fn };
	char buf[VMFEX_PCI_ADDR_LEN + 4];

	memset(buf, 'X', sizeof(buf));
	vmfex_pci_addr_format(&a, buf);
	assert_string_equal(buf, want);
	assert_int_equal(strlen(buf), VMFEX_PCI_ADDR_LEN - 1);
	/* Nothing past the 13 bytes it owns. */
	for (size_t i = VMFEX_PCI_ADDR_LEN; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 'X');
}

static void pci_addr_format(void **state)
{
	format_one(0, 0x0a, 0, 0, "0000:0a:00.0");
	format_one(0, 0x81, 0x1f, 7, "0000:81:1f.7");
	format_one(0, 0x82, 0, 0, "0000:82:00.0");
	format_one(1, 0x40, 0, 1, "0001:40:00.1");
	format_one(0xffff, 0xff, 0x1f, 7, "ffff:ff:1f.7");
	format_one(0xabcd, 0xef, 0x1e, 6, "abcd:ef:1e.6");
}

static void pci_addr_round_trip(void **state)
{
	static const unsigned domains[] = { 0, 1, 0x10, 0xabcd, 0xffff };
	static const unsigned buses[] = { 0, 1, 0x0a, 0x7f, 0x80, 0x81, 0xff };

	for (size_t d = 0; d < ARRAY_SIZE(domains); d++)
		for (size_t b = 0; b < ARRAY_SIZE(buses); b++)
			for (unsigned dev = 0; dev <= 0x1f; dev++)
				for (unsigned fn = 0; fn <= 7; fn++) {
					struct vmfex_pci_addr a = { (uint16_t)domains[d],
					                            (uint8_t)buses[b],
					                            (uint8_t)dev, (uint8_t)fn };
					struct vmfex_pci_addr back = sentinel;
					char buf[VMFEX_PCI_ADDR_LEN], want[32];

					vmfex_pci_addr_format(&a, buf);
					snprintf(want, sizeof(want), "%04x:%02x:%02x.%u",
					         domains[d], buses[b], dev, fn);
					assert_string_equal(buf, want);
					assert_int_equal(vmfex_pci_addr_parse(buf, &back), 0);
					assert_addr(&back, a.domain, a.bus, a.dev, a.fn);
				}
}

static void pci_addr_canonical(void **state)
{
	/* Upper case and short forms come out in the one canonical spelling. */
	struct vmfex_pci_addr a;
	char buf[VMFEX_PCI_ADDR_LEN];

	assert_int_equal(vmfex_pci_addr_parse("0000:0A:1F.7", &a), 0);
	vmfex_pci_addr_format(&a, buf);
	assert_string_equal(buf, "0000:0a:1f.7");
	assert_int_equal(vmfex_pci_addr_parse("0d:0A.1", &a), 0);
	vmfex_pci_addr_format(&a, buf);
	assert_string_equal(buf, "0000:0d:0a.1");
}

/* ---- vmfex_pci_addr_cmp ---- */

static int cmp_str(const char *x, const char *y)
{
	struct vmfex_pci_addr a, b;

	assert_int_equal(vmfex_pci_addr_parse(x, &a), 0);
	assert_int_equal(vmfex_pci_addr_parse(y, &b), 0);
	return vmfex_pci_addr_cmp(&a, &b);
}

static void assert_before(const char *x, const char *y)
{
	assert_int_equal(cmp_str(x, y), -1);
	assert_int_equal(cmp_str(y, x), 1);
}

static void pci_addr_cmp(void **state)
{
	assert_int_equal(cmp_str("0000:0a:00.0", "0000:0a:00.0"), 0);
	assert_int_equal(cmp_str("0a:00.0", "0000:0A:00.0"), 0);
	assert_int_equal(cmp_str("ffff:ff:1f.7", "ffff:ff:1f.7"), 0);
	/* Each field outranks all those after it. */
	assert_before("0000:00:00.0", "0000:00:00.1");
	assert_before("0000:00:00.7", "0000:00:01.0");
	assert_before("0000:00:1f.7", "0000:01:00.0");
	assert_before("0000:ff:1f.7", "0001:00:00.0");
	assert_before("0000:81:1f.7", "0000:82:00.0");
	assert_before("0000:03:00.1", "0000:03:10.0");
	assert_before("0000:0d:00.0", "0000:20:00.0");
	assert_before("0000:20:00.0", "0001:00:00.0");
	assert_before("7fff:ff:1f.7", "8000:00:00.0");
	assert_before("fffe:ff:1f.7", "ffff:00:00.0");
	assert_before("0000:7f:00.0", "0000:80:00.0");
	assert_before("0000:00:0f.7", "0000:00:10.0");
}

static void pci_addr_cmp_total_order(void **state)
{
	/* Sorting by cmp gives the order of the canonical strings. */
	static const char *const sorted[] = {
		"0000:00:00.0", "0000:00:00.7", "0000:00:01.0", "0000:00:1f.7", "0000:01:00.0",
		"0000:0a:00.1", "0000:81:00.0", "0000:81:1f.7", "0000:82:00.0", "0000:ff:1f.7",
		"0001:00:00.0", "8000:00:00.0", "ffff:ff:1f.7",
	};

	for (size_t i = 0; i < ARRAY_SIZE(sorted); i++)
		for (size_t j = 0; j < ARRAY_SIZE(sorted); j++)
			assert_int_equal(cmp_str(sorted[i], sorted[j]), i < j ? -1 : i > j);
}

/* ---- vmfex_ifname_validate: the kernel's dev_valid_name() ---- */

static void ifname_valid(void **state)
{
	static const char *const good[] = {
		"eth0", "a", "1", "enp13s0f0", "enp13s0f0v15", "enp129s0v255", "ens1f0",
		"abcdefghijklmno" /* 15 */, "eth-0", "eth_0", "eth.0", "...", ".a", "a.", "a..",
		"..a", "eth0@x", "br#0", "v!", "e\\", "~", "\"", "'", "*", "%d",
	};

	for (size_t i = 0; i < ARRAY_SIZE(good); i++)
		if (vmfex_ifname_validate(good[i]) != 0)
			fail_msg("'%s' refused", good[i]);
}

static void ifname_invalid(void **state)
{
	static const char *const bad[] = {
		"", ".", "..", "/", "a/b", "../x", "./x", "x/..", "eth0/",
		":", "eth:0", "eth0:1", "eth 0", " eth0", "eth0 ", " ",
		"eth\t0", "eth\n0", "eth0\n", "eth\v0", "eth\f0", "eth\r0",
		"abcdefghijklmnop" /* 16 */, "abcdefghijklmnopq",
		("eth\xa0" "0"), /* the kernel's isspace() counts 0xa0 (Latin-1 NBSP) */
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		if (vmfex_ifname_validate(bad[i]) != -EINVAL)
			fail_msg("'%s' accepted", bad[i]);
	assert_int_equal(vmfex_ifname_validate(NULL), -EINVAL);
}

static void ifname_length(void **state)
{
	char buf[300];

	for (size_t n = 1; n < sizeof(buf); n++) {
		memset(buf, 'e', n);
		buf[n] = '\0';
		assert_int_equal(vmfex_ifname_validate(buf), n <= 15 ? 0 : -EINVAL);
	}
}

/* dev_valid_name() refuses only '/', ':' and white space: names in UTF-8
 * are valid netdev names ("ip link set eth0 name ethé" works), and a PF or
 * VF with one must not be refused. */
static void ifname_kernel_accepts_non_ascii(void **state)
{
	assert_int_equal(vmfex_ifname_validate("eth\xc3\xa9"), 0);         /* ethé */
	assert_int_equal(vmfex_ifname_validate("\xe7\xbd\x91\xe5\x8d\xa1"), 0); /* 网卡 */
}

/* ---- vmfex_driver_name_validate ---- */

static void driver_name_valid(void **state)
{
	static const char *const good[] = {
		"enic", "vfio-pci", "ixgbevf", "ixgbe", "mlx5_core", "pci-stub", "8139too",
		"virtio-pci", "a", "a.b", "...", "_", "-",
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_." /* 64 */,
	};

	for (size_t i = 0; i < ARRAY_SIZE(good); i++)
		if (vmfex_driver_name_validate(good[i]) != 0)
			fail_msg("'%s' refused", good[i]);
}

static void driver_name_invalid(void **state)
{
	static const char *const bad[] = {
		"", ".", "..", "/", "vfio/pci", "../x", "../../../../bin/sh", "vfio pci",
		" vfio-pci", "vfio-pci ", "vfio-pci\n", "\n", "enic:", "enic\t", "enic*",
		("en\xc3\xa9" "c"), "enic;reboot", "$(id)", "(null)",
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-" /* 65 */,
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		if (vmfex_driver_name_validate(bad[i]) != -EINVAL)
			fail_msg("'%s' accepted", bad[i]);
	assert_int_equal(vmfex_driver_name_validate(NULL), -EINVAL);
}

static void driver_name_length(void **state)
{
	char buf[300];

	for (size_t n = 1; n < sizeof(buf); n++) {
		memset(buf, 'd', n);
		buf[n] = '\0';
		assert_int_equal(vmfex_driver_name_validate(buf), n <= 64 ? 0 : -EINVAL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pci_addr_long_form),
		cmocka_unit_test(pci_addr_short_form),
		cmocka_unit_test(pci_addr_case),
		cmocka_unit_test(pci_addr_device_function_range),
		cmocka_unit_test(pci_addr_trailing_junk),
		cmocka_unit_test(pci_addr_leading_junk),
		cmocka_unit_test(pci_addr_malformed),
		cmocka_unit_test(pci_addr_over_long),
		cmocka_unit_test(pci_addr_embedded_nul),
		cmocka_unit_test(pci_addr_format),
		cmocka_unit_test(pci_addr_round_trip),
		cmocka_unit_test(pci_addr_canonical),
		cmocka_unit_test(pci_addr_cmp),
		cmocka_unit_test(pci_addr_cmp_total_order),
		cmocka_unit_test(ifname_valid),
		cmocka_unit_test(ifname_invalid),
		cmocka_unit_test(ifname_length),
		cmocka_unit_test(driver_name_valid),
		cmocka_unit_test(driver_name_invalid),
		cmocka_unit_test(driver_name_length),
		cmocka_unit_test(ifname_kernel_accepts_non_ascii),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
