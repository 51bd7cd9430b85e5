/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The libvirt XML writers and readers through the public API, on a
 * simulated UCS blade: what they write, what they refuse and why, names
 * that try to break out of their attribute, and hostile documents. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <cmocka.h>

#include "libvirt-test.h"

struct env {
	struct sim_fixture f;
	struct vmfex_catalog *cat;
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	assert_int_equal(sim_fixture_open(&e->f, "ucs-b200-vic1240.json"), 0);
	e->cat = test_catalog(e->f.ctx);
	assert_non_null(e->cat);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	vmfex_catalog_unref(e->cat);
	sim_fixture_close(&e->f);
	free(e);
	return 0;
}

static struct vmfex_vf *get_vf(struct env *e, unsigned int index)
{
	struct vmfex_pf *pf;
	struct vmfex_vf *vf;

	assert_int_equal(vmfex_pf_new_from_name(e->f.ctx, "enp10s0f0", &pf), 0);
	assert_int_equal(vmfex_pf_lookup_vf(pf, index, &vf), 0);
	vmfex_pf_unref(pf);
	return vf;
}

static struct vmfex_profile *get_profile(struct env *e, const char *name)
{
	struct vmfex_profile *p;

	assert_int_equal(vmfex_catalog_lookup_profile(e->cat, name, &p), 0);
	return p;
}

/* Wrap an interface in a domain and read it back with the library. */
static struct vmfex_xml_domain *as_domain(struct env *e, const char *iface)
{
	struct vmfex_xml_domain *dom;
	char *doc;

	assert_true(asprintf(&doc, "<domain type='test'><name>t</name><devices>%s</devices></domain>",
	                     iface) > 0);
	assert_int_equal(vmfex_xml_domain_new_from_buffer(e->f.ctx, doc, strlen(doc), &dom), 0);
	free(doc);
	return dom;
}

static void interface_shapes(void **state)
{
	struct env *e = *state;
	struct vmfex_vf *vf = get_vf(e, 3);
	struct vmfex_profile *p25 = get_profile(e, "pp-vlan-25"), *hp = get_profile(e, "OS-PP-100");
	struct vmfex_xml_interface_opts o = { .sz = sizeof(o), .mac = "52:54:00:AC:FF:B6" };
	struct vmfex_xml_domain *dom;
	struct vmfex_xml_iface *i;
	const char *reason;
	char *xml;

	/* The profile's topology: none gives MacVTap passthrough. */
	assert_int_equal(vmfex_xml_interface_for_vf(vf, p25, &o, &xml), 0);
	dom = as_domain(e, xml);
	i = vmfex_xml_domain_next_iface(dom, NULL);
	assert_string_equal(vmfex_xml_iface_get_type(i), "direct");
	assert_string_equal(vmfex_xml_iface_get_source_dev(i), "enp10s0f0v3");
	assert_string_equal(vmfex_xml_iface_get_source_mode(i), "passthrough");
	assert_string_equal(vmfex_xml_iface_get_mac(i), "52:54:00:ac:ff:b6");
	assert_string_equal(vmfex_xml_iface_get_model(i), "virtio");
	assert_string_equal(vmfex_xml_iface_get_virtualport_type(i), "802.1Qbh");
	assert_string_equal(vmfex_xml_iface_get_profileid(i), "pp-vlan-25");
	assert_int_equal(vmfex_xml_iface_get_topology(i), VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH);
	assert_true(vmfex_xml_domain_can_migrate(dom, &reason));
	assert_null(reason);
	assert_null(vmfex_xml_domain_next_iface(dom, i));
	{
		struct vmfex_vf *back;

		assert_int_equal(vmfex_vf_new_from_xml_iface(i, &back), 0);
		assert_string_equal(vmfex_vf_get_pci(back), "0000:0a:00.4");
		vmfex_vf_unref(back);
	}
	vmfex_xml_domain_unref(dom);
	free(xml);

	/* high-perf-reqd gives hostdev: the PCI address, driver vfio. */
	assert_int_equal(vmfex_xml_interface_for_vf(vf, hp, &o, &xml), 0);
	assert_non_null(strstr(xml, "<driver name=\"vfio\"/>"));
	assert_non_null(strstr(xml, "managed=\"yes\""));
	assert_null(strstr(xml, "<model"));
	dom = as_domain(e, xml);
	i = vmfex_xml_domain_next_iface(dom, NULL);
	assert_string_equal(vmfex_xml_iface_get_type(i), "hostdev");
	assert_string_equal(vmfex_xml_iface_get_pci(i), "0000:0a:00.4");
	assert_string_equal(vmfex_xml_iface_get_profileid(i), "OS-PP-100");
	assert_false(vmfex_xml_domain_can_migrate(dom, &reason));
	assert_non_null(strstr(reason, "0000:0a:00.4"));
	assert_non_null(strstr(reason, "hostdev"));
	vmfex_xml_domain_unref(dom);
	free(xml);

	/* An explicit topology wins over the profile's; no virtualport when
	 * the orchestrator associates; a generated MAC is unicast and
	 * locally administered, never QEMU's 52:54:00. */
	o.topology = VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH;
	o.no_virtualport = true;
	o.mac = NULL;
	for (int k = 0; k < 32; k++) {
		unsigned int b0;

		assert_int_equal(vmfex_xml_interface_for_vf(vf, hp, &o, &xml), 0);
		assert_null(strstr(xml, "virtualport"));
		dom = as_domain(e, xml);
		i = vmfex_xml_domain_next_iface(dom, NULL);
		assert_int_equal(sscanf(vmfex_xml_iface_get_mac(i), "%x:", &b0), 1);
		assert_int_equal(b0 & 3, 2);
		assert_int_equal(vmfex_xml_iface_get_topology(i), VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH);
		vmfex_xml_domain_unref(dom);
		free(xml);
	}

	/* MacVTap private: only when asked for, on the PF's netdev. */
	o.topology = VMFEX_XML_TOPOLOGY_MACVTAP_PRIVATE;
	o.no_virtualport = false;
	assert_int_equal(vmfex_xml_interface_for_vf(vf, p25, &o, &xml), -EPERM);
	assert_null(xml);
	assert_non_null(strstr(e->f.log, "not supported by UCS since 2.1"));
	o.allow_deprecated = true;
	assert_int_equal(vmfex_xml_interface_for_vf(vf, p25, &o, &xml), 0);
	assert_non_null(strstr(xml, "<source dev=\"enp10s0f0\" mode=\"private\"/>"));
	free(xml);

	vmfex_profile_unref(p25);
	vmfex_profile_unref(hp);
	vmfex_vf_unref(vf);
}

static void interface_refusals(void **state)
{
	struct env *e = *state;
	struct vmfex_vf *vf = get_vf(e, 5);
	struct vmfex_xml_interface_opts o = { .sz = sizeof(o),
	                                      .topology = VMFEX_XML_TOPOLOGY_HOSTDEV };
	char *xml = (char *)1;
	struct {
		struct vmfex_xml_interface_opts o;
		uint64_t future;
	} big = { .o = o, .future = 1 };

	/* profileid: 1-39 characters */
	o.profileid = "";
	assert_int_equal(vmfex_xml_interface_for_vf(vf, NULL, &o, &xml), -EINVAL);
	assert_null(xml);
	o.profileid = "0123456789012345678901234567890123456789"; /* 40 */
	assert_int_equal(vmfex_xml_interface_for_vf(vf, NULL, &o, &xml), -EINVAL);
	assert_non_null(strstr(e->f.log, "longer than 39"));
	o.profileid = "012345678901234567890123456789012345678"; /* 39 */
	assert_int_equal(vmfex_xml_interface_for_vf(vf, NULL, &o, &xml), 0);
	free(xml);
	o.profileid = NULL;
	assert_int_equal(vmfex_xml_interface_for_vf(vf, NULL, &o, &xml), -EINVAL);
	o.profileid = "pp";
	/* MACs: unicast and well-formed */
	o.mac = "01:00:5e:00:00:01";
	assert_int_equal(vmfex_xml_interface_for_vf(vf, NULL, &o, &xml), -EINVAL);
	assert_non_null(strstr(e->f.log, "multicast"));
	o.mac = "52:54:00:ac:ff";
	assert_int_equal(vmfex_xml_interface_for_vf(vf, NULL, &o, &xml), -EINVAL);
	o.mac = "00:00:00:00:00:00";
	assert_int_equal(vmfex_xml_interface_for_vf(vf, NULL, &o, &xml), -EINVAL);
	o.mac = NULL;
	/* no topology and no profile to take it from */
	o.topology = VMFEX_XML_TOPOLOGY_PROFILE;
	assert_int_equal(vmfex_xml_interface_for_vf(vf, NULL, &o, &xml), -EINVAL);
	o.topology = 42;
	assert_int_equal(vmfex_xml_interface_for_vf(vf, NULL, &o, &xml), -EINVAL);
	/* an options structure from a newer library with a field set */
	big.o.profileid = "pp";
	big.o.sz = sizeof(big);
	assert_int_equal(vmfex_xml_interface_for_vf(vf, NULL, &big.o, &xml), -EINVAL);
	big.future = 0;
	assert_int_equal(vmfex_xml_interface_for_vf(vf, NULL, &big.o, &xml), 0);
	free(xml);

	/* Binding: an unmanaged hostdev VF must be on vfio-pci; MacVTap needs
	 * the netdev, which a VF on vfio-pci no longer has. */
	o.topology = VMFEX_XML_TOPOLOGY_HOSTDEV;
	o.unmanaged = true;
	assert_int_equal(vmfex_xml_interface_for_vf(vf, NULL, &o, &xml), -EBUSY);
	assert_non_null(strstr(e->f.log, "vfio-pci"));
	assert_int_equal(vmfex_vf_bind_driver(vf, "vfio-pci"), 0);
	assert_string_equal(vmfex_vf_get_driver(vf), "vfio-pci");
	assert_int_equal(vmfex_xml_interface_for_vf(vf, NULL, &o, &xml), 0);
	assert_non_null(strstr(xml, "managed=\"no\""));
	free(xml);
	o.topology = VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH;
	assert_int_equal(vmfex_xml_interface_for_vf(vf, NULL, &o, &xml), -ENODEV);
	assert_non_null(strstr(e->f.log, "needs the VF's netdev"));
	vmfex_vf_unref(vf);
}

static void network_pool(void **state)
{
	struct env *e = *state;
	struct vmfex_pf *pf;
	struct vmfex_xml_network_opts o = { .sz = sizeof(o),
	                                    .topology = VMFEX_XML_TOPOLOGY_HOSTDEV,
	                                    .default_profile = "pp-vlan-25" };
	struct vmfex_xml_network *net;
	unsigned int el, at;
	char *xml;

	assert_int_equal(vmfex_pf_new_from_name(e->f.ctx, "enp10s0f0", &pf), 0);
	assert_int_equal(vmfex_xml_network_for_pf(pf, "vmfex-hostdev", e->cat, &o, &xml), 0);
	assert_non_null(strstr(xml, "<forward mode=\"hostdev\" managed=\"yes\">"));
	assert_non_null(strstr(xml, "<pf dev=\"enp10s0f0\"/>"));
	assert_non_null(strstr(xml, "<virtualport type=\"802.1Qbh\"/>"));
	assert_int_equal(vmfex_xml_network_new_from_buffer(e->f.ctx, xml, strlen(xml), &net), 0);
	assert_string_equal(vmfex_xml_network_get_name(net), "vmfex-hostdev");
	assert_string_equal(vmfex_xml_network_get_forward_mode(net), "hostdev");
	assert_string_equal(vmfex_xml_network_get_profileid(net, NULL), "pp-vlan-25");
	assert_string_equal(vmfex_xml_network_get_profileid(net, "OS-PP-100"), "OS-PP-100");
	assert_null(vmfex_xml_network_get_profileid(net, "nope"));
	vmfex_xml_network_unref(net);
	free(xml);

	/* The device list: PCI addresses for hostdev, netdevs for passthrough. */
	o.list_devices = true;
	assert_int_equal(vmfex_xml_network_for_pf(pf, "p", e->cat, &o, &xml), 0);
	assert_int_equal(count_document(xml, &el, &at), 0);
	assert_null(strstr(xml, "<pf"));
	assert_non_null(strstr(xml, "function=\"0x1\""));
	free(xml);
	o.topology = VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH;
	assert_int_equal(vmfex_xml_network_for_pf(pf, "p", e->cat, &o, &xml), 0);
	assert_non_null(strstr(xml, "<interface dev=\"enp10s0f0v15\"/>"));
	assert_null(strstr(xml, "<address"));
	free(xml);

	/* For the libvirt hook: portgroups named after the profiles and no
	 * virtualport anywhere, so that libvirt leaves the ports alone. */
	o.no_virtualport = true;
	assert_int_equal(vmfex_xml_network_for_pf(pf, "p", e->cat, &o, &xml), 0);
	assert_null(strstr(xml, "virtualport"));
	assert_null(strstr(xml, "profileid"));
	assert_non_null(strstr(xml, "<portgroup name=\"pp-vlan-25\" default=\"yes\"/>"));
	assert_non_null(strstr(xml, "<interface dev=\"enp10s0f0v15\"/>"));
	free(xml);
	o.no_virtualport = false;

	/* Refusals: a topology a pool cannot have, unknown profiles. */
	o.topology = VMFEX_XML_TOPOLOGY_MACVTAP_PRIVATE;
	assert_int_equal(vmfex_xml_network_for_pf(pf, "p", e->cat, &o, &xml), -EINVAL);
	o.topology = VMFEX_XML_TOPOLOGY_HOSTDEV;
	o.profiles = (const char *const[]){ "pp-vlan-26", "missing", NULL };
	assert_int_equal(vmfex_xml_network_for_pf(pf, "p", e->cat, &o, &xml), -ENOENT);
	o.profiles = (const char *const[]){ "pp-vlan-26", NULL };
	assert_int_equal(vmfex_xml_network_for_pf(pf, "p", e->cat, &o, &xml), -EINVAL);
	assert_non_null(strstr(e->f.log, "default profile 'pp-vlan-25' has no portgroup"));
	o.default_profile = NULL;
	assert_int_equal(vmfex_xml_network_for_pf(pf, "p", e->cat, &o, &xml), 0);
	assert_null(strstr(xml, "default="));
	assert_null(strstr(xml, "pp-vlan-25"));
	free(xml);
	assert_int_equal(vmfex_xml_network_for_pf(pf, "", e->cat, &o, &xml), -EINVAL);
	vmfex_pf_unref(pf);
}

/* A pool with neither <pf> nor a device: a PF without VFs. */
static void network_pool_without_devices(void **state)
{
	struct sim_fixture f;
	struct vmfex_pf *pf;
	struct vmfex_xml_network_opts o = { .sz = sizeof(o), .list_devices = true,
	                                    .topology = VMFEX_XML_TOPOLOGY_HOSTDEV };
	char *xml;

	assert_int_equal(sim_fixture_open(&f, "mixed-82599-virtio.json"), 0);
	assert_int_equal(vmfex_pf_new_from_name(f.ctx, "enp3s0f0", &pf), 0);
	assert_int_equal(vmfex_xml_network_for_pf(pf, "empty", NULL, &o, &xml), -ENODEV);
	assert_non_null(strstr(f.log, "neither <pf> nor a device"));
	vmfex_pf_unref(pf);
	sim_fixture_close(&f);
}

/* Names with quotes, '<', '&' and "]]>" stay inside their attribute or
 * text: the document has as many elements and attributes as with a plain
 * name, and the value reads back unchanged. */
static void injection(void **state)
{
	static const char *const hostile[] = {
		"a\"b", "a'b", "a<b", "a&b", "a]]>b", "\"/><x y=\"", "'/><x y='",
		"</source><virtualport type='802.1Qbh'/>", "&amp;&lt;", "<!--", "<![CDATA[x]]>",
	};
	struct env *e = *state;
	struct vmfex_vf *vf = get_vf(e, 2);
	struct vmfex_pf *pf;
	unsigned int el0, at0, el, at;
	char *xml;

	assert_int_equal(vmfex_pf_new_from_name(e->f.ctx, "enp10s0f0", &pf), 0);
	for (size_t k = 0; k < sizeof(hostile) / sizeof(hostile[0]); k++) {
		struct vmfex_xml_interface_opts o = { .sz = sizeof(o), .mac = "02:00:00:00:00:01",
		                                      .topology = VMFEX_XML_TOPOLOGY_HOSTDEV };
		struct vmfex_xml_network_opts no = { .sz = sizeof(no),
		                                     .topology = VMFEX_XML_TOPOLOGY_HOSTDEV };
		struct vmfex_xml_network *net;
		struct vmfex_xml_domain *dom;
		struct vmfex_xml_iface *i;

		/* profileid */
		o.profileid = "plain";
		assert_int_equal(vmfex_xml_interface_for_vf(vf, NULL, &o, &xml), 0);
		assert_int_equal(count_document(xml, &el0, &at0), 0);
		free(xml);
		o.profileid = hostile[k];
		assert_int_equal(vmfex_xml_interface_for_vf(vf, NULL, &o, &xml), 0);
		assert_int_equal(count_document(xml, &el, &at), 0);
		assert_int_equal(el, el0);
		assert_int_equal(at, at0);
		dom = as_domain(e, xml);
		assert_string_equal(vmfex_xml_iface_get_profileid(vmfex_xml_domain_next_iface(dom, NULL)),
		                    hostile[k]);
		vmfex_xml_domain_unref(dom);
		free(xml);

		/* network and portgroup */
		assert_int_equal(vmfex_xml_interface_for_network(e->f.ctx, "plain", "plain", &o, &xml), 0);
		assert_int_equal(count_document(xml, &el0, &at0), 0);
		free(xml);
		assert_int_equal(vmfex_xml_interface_for_network(e->f.ctx, hostile[k], hostile[k], &o,
		                                                 &xml), 0);
		assert_int_equal(count_document(xml, &el, &at), 0);
		assert_int_equal(el, el0);
		assert_int_equal(at, at0);
		dom = as_domain(e, xml);
		i = vmfex_xml_domain_next_iface(dom, NULL);
		assert_string_equal(vmfex_xml_iface_get_network(i), hostile[k]);
		assert_string_equal(vmfex_xml_iface_get_portgroup(i), hostile[k]);
		vmfex_xml_domain_unref(dom);
		free(xml);

		/* network name (element text) */
		assert_int_equal(vmfex_xml_network_for_pf(pf, "plain", e->cat, &no, &xml), 0);
		assert_int_equal(count_document(xml, &el0, &at0), 0);
		free(xml);
		assert_int_equal(vmfex_xml_network_for_pf(pf, hostile[k], e->cat, &no, &xml), 0);
		assert_int_equal(count_document(xml, &el, &at), 0);
		assert_int_equal(el, el0);
		assert_int_equal(at, at0);
		assert_int_equal(vmfex_xml_network_new_from_buffer(e->f.ctx, xml, strlen(xml), &net), 0);
		assert_string_equal(vmfex_xml_network_get_name(net), hostile[k]);
		vmfex_xml_network_unref(net);
		free(xml);
	}
	/* What XML cannot carry is refused, not mangled. */
	{
		struct vmfex_xml_interface_opts o = { .sz = sizeof(o), .profileid = "a\x01" "b",
		                                      .topology = VMFEX_XML_TOPOLOGY_HOSTDEV };

		assert_int_equal(vmfex_xml_interface_for_vf(vf, NULL, &o, &xml), -EINVAL);
		o.profileid = "a\xff";
		assert_int_equal(vmfex_xml_interface_for_vf(vf, NULL, &o, &xml), -EINVAL);
		assert_int_equal(vmfex_xml_interface_for_network(e->f.ctx, "n\xc3", NULL, &o, &xml),
		                 -EINVAL);
	}
	vmfex_pf_unref(pf);
	vmfex_vf_unref(vf);
}

static int parse_net(struct env *e, const char *xml)
{
	struct vmfex_xml_network *net = NULL;
	int r = vmfex_xml_network_new_from_buffer(e->f.ctx, xml, strlen(xml), &net);

	vmfex_xml_network_unref(net);
	return r;
}

static void network_refusals(void **state)
{
	struct env *e = *state;

	/* DOMAIN.md section 6's sample is fine. */
	assert_int_equal(parse_net(e,
		"<network><name>vmfex-direct</name>"
		"<forward mode='passthrough'><pf dev='enp13s0f0'/></forward>"
		"<virtualport type='802.1Qbh'/>"
		"<portgroup name='vlan25' default='yes'>"
		"<virtualport><parameters profileid='pp-vlan-25'/></virtualport></portgroup>"
		"</network>"), 0);
	/* libvirt accepts these, wrongly */
	assert_int_equal(parse_net(e,
		"<network><name>n</name><forward mode='passthrough'><pf dev='e'/></forward>"
		"<portgroup name='a' default='yes'/><portgroup name='b' default='yes'/></network>"),
		-EINVAL);
	assert_non_null(strstr(e->f.log, "second default portgroup"));
	assert_int_equal(parse_net(e, "<network><name>n</name><forward mode='passthrough'/></network>"),
	                 -EINVAL);
	assert_non_null(strstr(e->f.log, "neither <pf> nor a device list"));
	assert_int_equal(parse_net(e, "<network><name>n</name><forward mode='hostdev'/></network>"),
	                 -EINVAL);
	assert_int_equal(parse_net(e,
		"<network><name>n</name><forward mode='passthrough'><pf dev='e'/></forward>"
		"<virtualport type='802.1Qbh'/><portgroup name='a'><virtualport type='802.1Qbg'/>"
		"</portgroup></network>"), -EINVAL);
	assert_non_null(strstr(e->f.log, "conflicts with the network's"));
	/* libvirt rejects these */
	assert_int_equal(parse_net(e,
		"<network><name>n</name><forward mode='hostdev' managed='yes'>"
		"<interface dev='enp10s0f0v1'/></forward></network>"), -EINVAL);
	assert_non_null(strstr(e->f.log, "hostdev pool lists VFs by PCI"));
	assert_int_equal(parse_net(e,
		"<network><name>n</name><forward mode='passthrough'><pf dev='a'/><pf dev='b'/>"
		"</forward></network>"), -EINVAL);
	assert_int_equal(parse_net(e,
		"<network><name>n</name><forward mode='passthrough'><pf dev='a'/></forward>"
		"<virtualport type='802.1qbh'/></network>"), -EINVAL);
	assert_non_null(strstr(e->f.log, "libvirt spells it 802.1Qbh"));
	assert_int_equal(parse_net(e,
		"<network><name>n</name><forward mode='passthrough'><pf dev='a'/></forward>"
		"<virtualport type='802.1Qbh'><parameters profileid='0123456789012345678901234567890123456789'/>"
		"</virtualport></network>"), -EINVAL);
	assert_int_equal(parse_net(e,
		"<network><name>n</name><forward mode='passthrough'><pf dev='a'/></forward>"
		"<virtualport type='802.1Qbh'><parameters profileid='p' instanceid="
		"'09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/></virtualport></network>"), -EINVAL);
	assert_int_equal(parse_net(e,
		"<network><name>n</name><forward mode='hostdev'><pf dev='a'/></forward>"
		"<mac address='02:00:00:00:00:01'/></network>"), -EINVAL);
	assert_int_equal(parse_net(e, "<network><forward mode='bridge'/></network>"), -EINVAL);
	assert_int_equal(parse_net(e, "<domain><name>x</name></domain>"), -EINVAL);
}

static int parse_dom(struct env *e, const char *devices, struct vmfex_xml_domain **dom)
{
	char *doc;
	int r;

	assert_true(asprintf(&doc, "<domain type='kvm'><name>vm1</name><devices>%s</devices></domain>",
	                     devices) > 0);
	*dom = NULL;
	r = vmfex_xml_domain_new_from_buffer(e->f.ctx, doc, strlen(doc), dom);
	free(doc);
	return r;
}

static void domain_analysis(void **state)
{
	struct env *e = *state;
	struct vmfex_xml_domain *dom;
	struct vmfex_xml_network *pass, *hostdev;
	struct vmfex_xml_iface *i;
	const char *reason;
	static const char pass_xml[] =
		"<network><name>pool-direct</name><forward mode='passthrough'><pf dev='enp10s0f0'/>"
		"</forward><virtualport type='802.1Qbh'/>"
		"<portgroup name='vlan25' default='yes'><virtualport><parameters profileid='pp-vlan-25'/>"
		"</virtualport></portgroup><portgroup name='vlan26'><virtualport><parameters "
		"profileid='pp-vlan-26'/></virtualport></portgroup></network>";
	static const char hostdev_xml[] =
		"<network><name>pool-hostdev</name><forward mode='hostdev' managed='yes'>"
		"<address type='pci' domain='0x0000' bus='0x0a' slot='0x00' function='0x1'/></forward>"
		"<virtualport type='802.1Qbh'><parameters profileid='OS-PP-100'/></virtualport></network>";

	assert_int_equal(vmfex_xml_network_new_from_buffer(e->f.ctx, pass_xml, strlen(pass_xml), &pass), 0);
	assert_int_equal(vmfex_xml_network_new_from_buffer(e->f.ctx, hostdev_xml, strlen(hostdev_xml),
	                                                   &hostdev), 0);

	assert_int_equal(parse_dom(e,
		"<interface type='network'><source network='pool-direct' portgroup='vlan26'/>"
		"<model type='virtio'/></interface>"
		"<interface type='network'><source network='pool-direct'/></interface>"
		"<interface type='bridge'><source bridge='br0'/></interface>", &dom), 0);
	/* Before the network is known, nothing can be promised. */
	assert_false(vmfex_xml_domain_can_migrate(dom, &reason));
	assert_non_null(strstr(reason, "pool-direct"));
	assert_int_equal(vmfex_xml_domain_add_network(dom, hostdev), 0);
	assert_int_equal(vmfex_xml_domain_add_network(dom, pass), 2);
	assert_true(vmfex_xml_domain_can_migrate(dom, &reason));
	i = vmfex_xml_domain_next_iface(dom, NULL);
	assert_string_equal(vmfex_xml_iface_get_profileid(i), "pp-vlan-26");
	assert_string_equal(vmfex_xml_iface_get_virtualport_type(i), "802.1Qbh");
	assert_int_equal(vmfex_xml_iface_get_topology(i), VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH);
	i = vmfex_xml_domain_next_iface(dom, i);
	assert_string_equal(vmfex_xml_iface_get_profileid(i), "pp-vlan-25"); /* default */
	i = vmfex_xml_domain_next_iface(dom, i);
	assert_string_equal(vmfex_xml_iface_get_type(i), "bridge");
	assert_null(vmfex_xml_iface_get_profileid(i));
	assert_int_equal(vmfex_xml_iface_get_topology(i), VMFEX_XML_TOPOLOGY_PROFILE);
	vmfex_xml_domain_unref(dom);

	/* A hostdev pool blocks migration, with the reason. */
	assert_int_equal(parse_dom(e,
		"<interface type='network'><source network='pool-hostdev'/></interface>", &dom), 0);
	assert_int_equal(vmfex_xml_domain_add_network(dom, hostdev), 1);
	assert_false(vmfex_xml_domain_can_migrate(dom, &reason));
	assert_non_null(strstr(reason, "hostdev pool pool-hostdev"));
	i = vmfex_xml_domain_next_iface(dom, NULL);
	assert_string_equal(vmfex_xml_iface_get_profileid(i), "OS-PP-100");
	vmfex_xml_domain_unref(dom);

	/* A portgroup the network lacks; a profileid in conflict. */
	assert_int_equal(parse_dom(e,
		"<interface type='network'><source network='pool-direct' portgroup='x'/></interface>",
		&dom), 0);
	assert_int_equal(vmfex_xml_domain_add_network(dom, pass), -ENOENT);
	vmfex_xml_domain_unref(dom);
	assert_int_equal(parse_dom(e,
		"<interface type='network'><source network='pool-direct' portgroup='vlan25'/>"
		"<virtualport type='802.1Qbh'><parameters profileid='other'/></virtualport></interface>",
		&dom), 0);
	assert_int_equal(vmfex_xml_domain_add_network(dom, pass), -EINVAL);
	assert_non_null(strstr(e->f.log, "conflicts"));
	vmfex_xml_domain_unref(dom);

	/* A <hostdev> device blocks migration too. */
	assert_int_equal(parse_dom(e,
		"<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' "
		"bus='0x0a' slot='0x00' function='0x2' type='pci'/></source></hostdev>", &dom), 0);
	assert_false(vmfex_xml_domain_can_migrate(dom, &reason));
	assert_non_null(strstr(reason, "0000:0a:00.2"));
	vmfex_xml_domain_unref(dom);

	/* Refused as libvirt refuses them, or should. */
	assert_int_equal(parse_dom(e, "<interface type='hostdev' managed='yes'><source/></interface>",
	                           &dom), -EINVAL);
	assert_non_null(strstr(e->f.log, "without a PCI"));
	assert_int_equal(parse_dom(e, "<interface type='hostdev'><source><address type='usb' "
	                              "bus='1' port='2'/></source></interface>", &dom), -EINVAL);
	assert_int_equal(parse_dom(e, "<interface type='direct'><mac address='03:00:00:00:00:01'/>"
	                              "<source dev='e' mode='passthrough'/></interface>", &dom),
	                 -EINVAL);
	assert_int_equal(parse_dom(e, "<interface type='direct'><source dev='e' mode='passthrough'/>"
	                              "<virtualport type='802.1Qbh'><parameters profileid=''/>"
	                              "</virtualport></interface>", &dom), -EINVAL);
	assert_int_equal(parse_dom(e, "<interface type='hostdev'><source><address type='pci' "
	                              "bus='0x100' slot='0' function='0'/></source></interface>",
	                           &dom), -EINVAL);

	vmfex_xml_network_unref(pass);
	vmfex_xml_network_unref(hostdev);
}

/* A bound against blow-up (entities, nesting), not a speed target: an
 * exponential parse takes minutes, a refused one milliseconds, and the
 * suite also runs under valgrind on a loaded machine. */
#define HANG_BOUND_S 20.0

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A domain with depth <a> elements nested between open and close:
 * refused at the depth limit, quickly. */
static void refuse_nested(struct env *e, const char *open, const char *close, size_t depth)
{
	struct vmfex_xml_domain *dom = NULL;
	size_t n = 0;
	char *buf = malloc(depth * 7 + strlen(open) + strlen(close) + 1);
	double t0 = now_s();

	assert_non_null(buf);
	n += (size_t)sprintf(buf, "%s", open);
	for (size_t d = 0; d < depth; d++)
		n += (size_t)sprintf(buf + n, "<a>");
	for (size_t d = 0; d < depth; d++)
		n += (size_t)sprintf(buf + n, "</a>");
	n += (size_t)sprintf(buf + n, "%s", close);
	assert_int_equal(vmfex_xml_domain_new_from_buffer(e->f.ctx, buf, n, &dom), -EINVAL);
	assert_null(dom);
	assert_non_null(strstr(e->f.log, "nested too deeply"));
	assert_true(now_s() - t0 < HANG_BOUND_S);
	free(buf);
}

static void hostile_documents(void **state)
{
	struct env *e = *state;
	struct vmfex_xml_domain *dom = NULL;
	struct vmfex_xml_network *net = NULL;
	static const char *const docs[] = {
		/* billion laughs */
		"<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'>"
		"<!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>"
		"<!ENTITY lol3 '&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;'>"
		"<!ENTITY lol4 '&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;'>"
		"<!ENTITY lol5 '&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;'>"
		"<!ENTITY lol6 '&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;'>"
		"<!ENTITY lol7 '&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;'>"
		"<!ENTITY lol8 '&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;'>"
		"<!ENTITY lol9 '&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;'>]>"
		"<domain><name>&lol9;</name></domain>",
		/* an external entity: no file is read */
		"<?xml version='1.0'?><!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
		"<domain><name>&x;</name></domain>",
		/* an external DTD over the network */
		"<?xml version='1.0'?><!DOCTYPE domain SYSTEM 'http://127.0.0.1:9/d.dtd'>"
		"<domain><name>x</name></domain>",
		/* a parameter entity */
		"<?xml version='1.0'?><!DOCTYPE d [<!ENTITY % p SYSTEM 'file:///etc/passwd'>%p;]>"
		"<domain/>",
		/* invalid UTF-8 */
		"<domain><name>\xc3\x28</name></domain>",
		"<domain><devices><interface type='direct'><source dev='\xff\xfe'/></interface>"
		"</devices></domain>",
		/* not XML */
		"<domain><devices><interface type='direct'>",
		"",
	};

	for (size_t k = 0; k < sizeof(docs) / sizeof(docs[0]); k++) {
		double t0 = now_s();

		e->f.log[0] = '\0';
		assert_int_equal(vmfex_xml_domain_new_from_buffer(e->f.ctx, docs[k], strlen(docs[k]),
		                                                  &dom), -EINVAL);
		assert_null(dom);
		assert_true(e->f.log[0] != '\0');   /* a message says why */
		assert_null(strstr(e->f.log, "root:"));
		assert_true(now_s() - t0 < HANG_BOUND_S);
		assert_int_equal(vmfex_xml_network_new_from_buffer(e->f.ctx, docs[k], strlen(docs[k]),
		                                                   &net), -EINVAL);
	}
	/* 10,000-deep nesting: refused at the depth limit. */
	refuse_nested(e, "<domain>", "</domain>", 10000);
	/* 50 MB: refused before parsing. */
	{
		size_t n = (size_t)50 << 20;
		char *buf = malloc(n);
		double t0 = now_s();

		assert_non_null(buf);
		memset(buf, ' ', n);
		memcpy(buf, "<domain>", 8);
		memcpy(buf + n - 9, "</domain>", 9);
		assert_int_equal(vmfex_xml_domain_new_from_buffer(e->f.ctx, buf, n, &dom), -EFBIG);
		assert_int_equal(vmfex_xml_network_new_from_buffer(e->f.ctx, buf, n, &net), -EFBIG);
		assert_true(now_s() - t0 < HANG_BOUND_S);
		free(buf);
	}
}

/* What the domain reader leaves out of its tree (disks, metadata, the
 * rest) is still parsed and held to every check, and nothing in it is
 * taken for an interface or a hostdev. */
static void domain_skipped_parts(void **state)
{
	struct env *e = *state;
	struct vmfex_xml_domain *dom = NULL;
	struct vmfex_xml_iface *i;
	const char *reason;
	unsigned int n = 0;
	static const char *const bad[] = {
		"<domain><devices><disk><source file='\xc3\x28'/></disk></devices></domain>",
		"<domain><metadata><x>\xff\xfe</x></metadata><devices/></domain>",
		"<domain><devices><disk><driver>&undeclared;</driver></disk></devices></domain>",
		"<domain><devices><disk><source></disk></devices></domain>",
		"<domain><devices><disk></devices></domain>",
	};

	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		e->f.log[0] = '\0';
		assert_int_equal(vmfex_xml_domain_new_from_buffer(e->f.ctx, bad[k], strlen(bad[k]),
		                                                  &dom), -EINVAL);
		assert_null(dom);
		assert_non_null(strstr(e->f.log, "domain XML:1:"));
	}
	/* Nesting inside a left-out <disk> counts against the depth limit. */
	refuse_nested(e, "<domain><devices><disk>", "</disk></devices></domain>", 100);
	/* Interfaces between disks, and look-alikes elsewhere. */
	static const char doc[] =
		"<domain type='kvm'><name>vm<!-- c -->-<b>1</b></name>"
		"<metadata><interface type='direct'><source dev='meta0'/></interface>"
		"<hostdev><source><address type='pci' bus='0x0b' slot='0' function='1'/></source>"
		"</hostdev></metadata>"
		"<devices><disk type='file'><source file='/a'/>"
		"<interface type='direct'><source dev='disk0'/></interface></disk>"
		"<interface type='direct'><mac address='52:54:00:00:00:0A'/>"
		"<source dev='enp10s0f0' mode='passthrough'/><model type='virtio'/></interface>"
		"<controller type='pci'><hostdev><source><address type='pci' bus='0x0c' slot='0' "
		"function='1'/></source></hostdev></controller>"
		"<interface type='hostdev'><source><address type='pci' domain='0' bus='0x0a' "
		"slot='0' function='3'/></source></interface>"
		"<hostdev mode='subsystem' type='pci'><source><address type='pci' bus='0x0a' "
		"slot='0' function='4'/></source></hostdev>"
		"</devices></domain>";

	assert_int_equal(vmfex_xml_domain_new_from_buffer(e->f.ctx, doc, strlen(doc), &dom), 0);
	assert_string_equal(vmfex_xml_domain_get_name(dom), "vm-1");
	vmfex_xml_domain_foreach_iface(dom, i) {
		if (n == 0) {
			assert_string_equal(vmfex_xml_iface_get_source_dev(i), "enp10s0f0");
			assert_string_equal(vmfex_xml_iface_get_mac(i), "52:54:00:00:00:0a");
			assert_string_equal(vmfex_xml_iface_get_model(i), "virtio");
		} else {
			assert_string_equal(vmfex_xml_iface_get_pci(i), "0000:0a:00.3");
		}
		n++;
	}
	assert_int_equal(n, 2);
	assert_false(vmfex_xml_domain_can_migrate(dom, &reason));
	vmfex_xml_domain_unref(dom);
	/* The only <hostdev> that counts is the one under <devices>. */
	assert_int_equal(parse_dom(e, "<disk><hostdev><source><address type='pci' bus='0x0c' "
	                              "slot='0' function='1'/></source></hostdev></disk>", &dom), 0);
	assert_true(vmfex_xml_domain_can_migrate(dom, &reason));
	vmfex_xml_domain_unref(dom);
}

/* libvmfex's element in a domain's <metadata>, read back with libxml2
 * (namespace and attributes) and refused when it would name a port
 * wrongly. */
static void domain_metadata(void **state)
{
	struct env *e = *state;
	const struct vmfex_xml_metadata_port ports[] = {
		{ "52:54:00:AB:cd:01", "pp-vlan-25" }, { "02:00:00:00:00:08", "a\"b<c" },
	};
	struct vmfex_xml_metadata_port bad[2];
	xmlDoc *doc;
	xmlNode *root, *p;
	xmlChar *v;
	char *xml;

	assert_int_equal(vmfex_xml_metadata_for_ports(e->f.ctx, ports, 2, &xml), 0);
	doc = xmlReadMemory(xml, (int)strlen(xml), NULL, NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	root = xmlDocGetRootElement(doc);
	assert_string_equal((const char *)root->name, "ports");
	assert_non_null(root->ns);
	assert_string_equal((const char *)root->ns->href, VMFEX_XML_METADATA_NS);
	p = xmlFirstElementChild(root);
	assert_string_equal((const char *)p->ns->href, VMFEX_XML_METADATA_NS);
	v = xmlGetProp(p, (const xmlChar *)"mac");
	assert_string_equal((const char *)v, "52:54:00:ab:cd:01");
	xmlFree(v);
	p = xmlNextElementSibling(p);
	v = xmlGetProp(p, (const xmlChar *)"profile");
	assert_string_equal((const char *)v, "a\"b<c");
	xmlFree(v);
	assert_null(xmlNextElementSibling(p));
	xmlFreeDoc(doc);
	free(xml);

	assert_int_equal(vmfex_xml_metadata_for_ports(e->f.ctx, ports, 0, &xml), -EINVAL);
	bad[0] = ports[0];
	bad[1] = ports[0];
	bad[1].mac = "52:54:00:ab:CD:01";
	assert_int_equal(vmfex_xml_metadata_for_ports(e->f.ctx, bad, 2, &xml), -EINVAL);
	assert_non_null(strstr(e->f.log, "MAC 52:54:00:ab:cd:01 is given twice"));
	bad[1].mac = "01:00:00:00:00:01";
	assert_int_equal(vmfex_xml_metadata_for_ports(e->f.ctx, bad, 2, &xml), -EINVAL);
	bad[1].mac = "02:00:00:00:00:01";
	bad[1].profile = "0123456789012345678901234567890123456789";
	assert_int_equal(vmfex_xml_metadata_for_ports(e->f.ctx, bad, 2, &xml), -EINVAL);
	assert_null(xml);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(interface_shapes, setup, teardown),
		cmocka_unit_test_setup_teardown(interface_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(network_pool, setup, teardown),
		cmocka_unit_test_setup_teardown(domain_metadata, setup, teardown),
		cmocka_unit_test(network_pool_without_devices),
		cmocka_unit_test_setup_teardown(injection, setup, teardown),
		cmocka_unit_test_setup_teardown(network_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(domain_analysis, setup, teardown),
		cmocka_unit_test_setup_teardown(hostile_documents, setup, teardown),
		cmocka_unit_test_setup_teardown(domain_skipped_parts, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
