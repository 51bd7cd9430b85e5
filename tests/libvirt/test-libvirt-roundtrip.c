/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Every XML shape the library writes, checked by libvirt itself: the
 * document must pass virt-xml-validate, and the test:///default driver
 * must define it and give back the same interface or network (read with
 * the library's parser on both sides). Exits 77, saying so, when libvirt's
 * client tools are not installed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "libvirt-test.h"

struct env {
	struct sim_fixture f;
	struct vmfex_catalog *cat;
	char tmp[300];
	unsigned int n;
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	assert_int_equal(sim_fixture_open(&e->f, "ucs-b200-vic1240.json"), 0);
	e->cat = test_catalog(e->f.ctx);
	assert_non_null(e->cat);
	snprintf(e->tmp, sizeof(e->tmp), "%s-xml", e->f.dir);
	assert_int_equal(mkdir(e->tmp, 0700), 0);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	char cmd[400];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", e->tmp);
	assert_int_equal(system(cmd), 0);
	vmfex_catalog_unref(e->cat);
	sim_fixture_close(&e->f);
	free(e);
	return 0;
}

static void validate(struct env *e, const char *path)
{
	char cmd[400], *out;
	int status = -1;

	snprintf(cmd, sizeof(cmd), "virt-xml-validate '%s' 2>&1", path);
	out = run_capture(cmd, &status);
	if (status != 0)
		fail_msg("virt-xml-validate refuses %s: %s", path, out ? out : "");
	free(out);
}

static char *virsh(const char *commands)
{
	char cmd[1200], *out;
	int status = -1;

	snprintf(cmd, sizeof(cmd), "virsh -q -c test:///default \"%s\" 2>&1", commands);
	out = run_capture(cmd, &status);
	if (status != 0)
		fail_msg("virsh %s: %s", commands, out ? out : "");
	return out;
}

static void same_string(const char *what, const char *a, const char *b)
{
	if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0))
		fail_msg("%s: wrote '%s', libvirt gave back '%s'", what, a ? a : "(none)",
		         b ? b : "(none)");
}

/* Define a domain holding the interface, dump it, compare. */
static void roundtrip_interface(struct env *e, const char *iface)
{
	struct vmfex_xml_domain *mine, *theirs;
	struct vmfex_xml_iface *a, *b;
	char path[400], name[32], cmd[600], *dump;

	snprintf(name, sizeof(name), "vmfex-t%u", e->n++);
	snprintf(path, sizeof(path), "%s/%s.xml", e->tmp, name);
	{
		char head[200];

		snprintf(head, sizeof(head), "<domain type='test'>\n  <name>%s</name>\n"
		         "  <memory>1048576</memory>\n  <os><type>hvm</type></os>\n  <devices>\n", name);
		assert_int_equal(write_file(path, head, iface, "  </devices>\n</domain>\n"), 0);
	}
	validate(e, path);
	snprintf(cmd, sizeof(cmd), "define %s; dumpxml %s", path, name);
	dump = virsh(cmd);
	assert_non_null(strstr(dump, "<domain"));
	{
		char *doc = NULL, *start = strstr(dump, "<domain");
		FILE *f = fopen(path, "r");
		size_t n;

		assert_non_null(f);
		doc = calloc(1, 65536);
		n = fread(doc, 1, 65535, f);
		fclose(f);
		assert_int_equal(vmfex_xml_domain_new_from_buffer(e->f.ctx, doc, n, &mine), 0);
		assert_int_equal(vmfex_xml_domain_new_from_buffer(e->f.ctx, start, strlen(start),
		                                                  &theirs), 0);
		free(doc);
	}
	a = vmfex_xml_domain_next_iface(mine, NULL);
	b = vmfex_xml_domain_next_iface(theirs, NULL);
	assert_non_null(a);
	assert_non_null(b);
	assert_null(vmfex_xml_domain_next_iface(theirs, b));
	same_string("type", vmfex_xml_iface_get_type(a), vmfex_xml_iface_get_type(b));
	same_string("source dev", vmfex_xml_iface_get_source_dev(a), vmfex_xml_iface_get_source_dev(b));
	same_string("source mode", vmfex_xml_iface_get_source_mode(a),
	            vmfex_xml_iface_get_source_mode(b));
	same_string("network", vmfex_xml_iface_get_network(a), vmfex_xml_iface_get_network(b));
	same_string("portgroup", vmfex_xml_iface_get_portgroup(a), vmfex_xml_iface_get_portgroup(b));
	same_string("PCI address", vmfex_xml_iface_get_pci(a), vmfex_xml_iface_get_pci(b));
	same_string("MAC", vmfex_xml_iface_get_mac(a), vmfex_xml_iface_get_mac(b));
	same_string("model", vmfex_xml_iface_get_model(a), vmfex_xml_iface_get_model(b));
	same_string("virtualport", vmfex_xml_iface_get_virtualport_type(a),
	            vmfex_xml_iface_get_virtualport_type(b));
	same_string("profileid", vmfex_xml_iface_get_profileid(a), vmfex_xml_iface_get_profileid(b));
	assert_int_equal(vmfex_xml_iface_get_topology(a), vmfex_xml_iface_get_topology(b));
	vmfex_xml_domain_unref(mine);
	vmfex_xml_domain_unref(theirs);
	free(dump);
}

static void interfaces(void **state)
{
	static const enum vmfex_xml_topology topos[] = {
		VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH, VMFEX_XML_TOPOLOGY_HOSTDEV,
		VMFEX_XML_TOPOLOGY_MACVTAP_PRIVATE,
	};
	struct env *e = *state;
	struct vmfex_pf *pf;
	struct vmfex_vf *vf;
	struct vmfex_profile *p;
	char *xml;

	assert_int_equal(vmfex_pf_new_from_name(e->f.ctx, "enp11s0f0", &pf), 0);
	assert_int_equal(vmfex_pf_lookup_vf(pf, 7, &vf), 0);
	assert_int_equal(vmfex_catalog_lookup_profile(e->cat, "pp-vlan-25", &p), 0);
	for (size_t k = 0; k < 3; k++)
		for (int novp = 0; novp < 2; novp++) {
			struct vmfex_xml_interface_opts o = { .sz = sizeof(o), .topology = topos[k],
			                                      .allow_deprecated = true,
			                                      .no_virtualport = novp };

			assert_int_equal(vmfex_xml_interface_for_vf(vf, p, &o, &xml), 0);
			roundtrip_interface(e, xml);
			free(xml);
		}
	/* The longest profileid libvirt takes; a given MAC and model. */
	{
		struct vmfex_xml_interface_opts o = { .sz = sizeof(o), .mac = "52:54:00:ac:ff:b6",
		                                      .model = "e1000",
		                                      .topology = VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH,
		                                      .profileid = "012345678901234567890123456789012345678" };

		assert_int_equal(vmfex_xml_interface_for_vf(vf, NULL, &o, &xml), 0);
		roundtrip_interface(e, xml);
		free(xml);
	}
	/* On a pool, with and without a portgroup. */
	assert_int_equal(vmfex_xml_interface_for_network(e->f.ctx, "vmfex-direct", "pp-vlan-25",
	                                                 NULL, &xml), 0);
	roundtrip_interface(e, xml);
	free(xml);
	assert_int_equal(vmfex_xml_interface_for_network(e->f.ctx, "vmfex-direct", NULL, NULL, &xml),
	                 0);
	roundtrip_interface(e, xml);
	free(xml);
	vmfex_profile_unref(p);
	vmfex_vf_unref(vf);
	vmfex_pf_unref(pf);
}

static void roundtrip_network(struct env *e, const char *xml, const char *name)
{
	struct vmfex_xml_network *mine, *theirs;
	char path[400], cmd[600], *dump, *start;
	unsigned int el_a, at_a, el_b, at_b;
	const char *pgs[] = { NULL, "pp-vlan-25", "pp-vlan-26", "OS-PP-100" };

	snprintf(path, sizeof(path), "%s/net-%u.xml", e->tmp, e->n++);
	assert_int_equal(write_file(path, xml, NULL, NULL), 0);
	validate(e, path);
	snprintf(cmd, sizeof(cmd), "net-define %s; net-dumpxml %s", path, name);
	dump = virsh(cmd);
	start = strstr(dump, "<network");
	assert_non_null(start);
	assert_int_equal(vmfex_xml_network_new_from_buffer(e->f.ctx, xml, strlen(xml), &mine), 0);
	assert_int_equal(vmfex_xml_network_new_from_buffer(e->f.ctx, start, strlen(start), &theirs), 0);
	same_string("name", vmfex_xml_network_get_name(mine), vmfex_xml_network_get_name(theirs));
	same_string("forward mode", vmfex_xml_network_get_forward_mode(mine),
	            vmfex_xml_network_get_forward_mode(theirs));
	for (size_t k = 0; k < 4; k++)
		same_string(pgs[k] ? pgs[k] : "default portgroup",
		            vmfex_xml_network_get_profileid(mine, pgs[k]),
		            vmfex_xml_network_get_profileid(theirs, pgs[k]));
	/* libvirt adds a <uuid>, and to a listed passthrough pool the first
	 * device as <forward dev>; nothing else. */
	assert_int_equal(count_document(xml, &el_a, &at_a), 0);
	assert_int_equal(count_document(start, &el_b, &at_b), 0);
	assert_int_equal(el_a + 1, el_b);
	assert_int_equal(at_a + (strstr(start, "<forward dev=") ? 1 : 0), at_b);
	vmfex_xml_network_unref(mine);
	vmfex_xml_network_unref(theirs);
	free(dump);
}

static void networks(void **state)
{
	struct env *e = *state;
	struct vmfex_pf *pf;
	char *xml;

	assert_int_equal(vmfex_pf_new_from_name(e->f.ctx, "enp10s0f0", &pf), 0);
	for (int hostdev = 0; hostdev < 2; hostdev++)
		for (int list = 0; list < 2; list++) {
			struct vmfex_xml_network_opts o = {
				.sz = sizeof(o), .list_devices = list,
				.topology = hostdev ? VMFEX_XML_TOPOLOGY_HOSTDEV
				                    : VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH,
				.default_profile = list ? "pp-vlan-26" : NULL,
			};

			assert_int_equal(vmfex_xml_network_for_pf(pf, "vmfex-pool", e->cat, &o, &xml), 0);
			roundtrip_network(e, xml, "vmfex-pool");
			free(xml);
		}
	vmfex_pf_unref(pf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(interfaces, setup, teardown),
		cmocka_unit_test_setup_teardown(networks, setup, teardown),
	};

	if (!have_program("virsh") || !have_program("virt-xml-validate")) {
		fprintf(stderr, "SKIP: libvirt's virsh and virt-xml-validate are not installed "
		                "(apt-get install libvirt-clients): the XML written is NOT checked "
		                "by libvirt\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
