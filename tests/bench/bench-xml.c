/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libvirt XML figures (printed, never asserted; the target is 20 ms each):
 *  - writing a hostdev pool of a VIC PF with 1024 VFs listed by PCI
 *    address and 64 portgroups, one per catalog profile;
 *  - inspecting a 1 MB domain with 256 VM-FEX interfaces: parse, resolve
 *    on its pool network, the migration answer, every interface read.
 * Usage: bench-xml [--iterations N] */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../sim/sim-fixture.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *what, double *t, int n, const char *extra)
{
	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	printf("%-44s median %8.3f ms  min %8.3f ms  max %8.3f ms  (%d runs)%s%s\n", what,
	       t[n / 2], t[0], t[n - 1], n, extra ? "  " : "", extra ? extra : "");
}

static const char *big_pf =
	"{ \"description\": \"one VIC PF with 1024 VFs\", \"iommu\": true,"
	"  \"drivers\": [ { \"name\": \"enic\", \"vf_ops\": [\"mac\"], \"vf_port\": true } ],"
	"  \"devices\": [ { \"pci\": \"0000:80:00.0\", \"vendor\": \"0x1137\", \"device\": \"0x0043\","
	"    \"subsystem_vendor\": \"0x1137\", \"subsystem_device\": \"0x012c\", \"driver\": \"enic\","
	"    \"ifname\": \"enp128s0\", \"sriov\": { \"total_vfs\": 1024, \"num_vfs\": 1024,"
	"    \"vf_device\": \"0x0071\", \"vf_driver\": \"enic\" } } ] }";

static int bench_pool(int iterations)
{
	struct vmfex_xml_network_opts o = { .sz = sizeof(o), .topology = VMFEX_XML_TOPOLOGY_HOSTDEV,
	                                    .list_devices = true, .default_profile = "OS-PP-1000" };
	struct vmfex_catalog *cat;
	struct sim_fixture f;
	struct vmfex_pf *pf;
	double *t = calloc((size_t)iterations, sizeof(*t));
	size_t bytes = 0;
	char extra[64];

	if (!t || sim_fixture_open(&f, big_pf) < 0) {
		fprintf(stderr, "bench-xml: cannot make the simulated host\n");
		return 1;
	}
	vmfex_set_log_priority(f.ctx, LOG_ERR);
	if (vmfex_pf_new_from_name(f.ctx, "enp128s0", &pf) < 0 || vmfex_pf_get_num_vfs(pf) != 1024 ||
	    vmfex_catalog_new(f.ctx, &cat) < 0)
		return 1;
	for (int k = 0; k < 64; k++) {
		char name[32];

		snprintf(name, sizeof(name), "OS-PP-%d", 1000 + k);
		if (vmfex_catalog_add_profile(cat, name, NULL) < 0)
			return 1;
	}
	for (int i = 0; i < iterations; i++) {
		char *xml;
		double t0 = now_ms();

		if (vmfex_xml_network_for_pf(pf, "vmfex-hostdev", cat, &o, &xml) < 0) {
			fprintf(stderr, "bench-xml: writing the pool failed:\n%s", f.log);
			return 1;
		}
		t[i] = now_ms() - t0;
		bytes = strlen(xml);
		free(xml);
	}
	snprintf(extra, sizeof(extra), "%zu bytes", bytes);
	report("hostdev pool, 1024 VFs, 64 portgroups", t, iterations, extra);
	vmfex_catalog_unref(cat);
	vmfex_pf_unref(pf);
	sim_fixture_close(&f);
	free(t);
	return 0;
}

/* 256 interfaces (MacVTap, hostdev, pool) and disks up to 1 MB. */
static char *big_domain(size_t *len)
{
	size_t cap = (size_t)1 << 21, n = 0;
	char *b = malloc(cap);

	if (!b)
		return NULL;
	n += (size_t)snprintf(b + n, cap - n, "<domain type='kvm'>\n  <name>big</name>\n"
	                      "  <memory unit='KiB'>4194304</memory>\n  <devices>\n");
	for (int i = 0; i < 256; i++) {
		if (i % 3 == 0)
			n += (size_t)snprintf(b + n, cap - n,
				"    <interface type='direct'>\n      <mac address='02:00:00:00:%02x:%02x'/>\n"
				"      <source dev='enp128s0v%d' mode='passthrough'/>\n"
				"      <virtualport type='802.1Qbh'>\n        <parameters profileid='OS-PP-%d'/>\n"
				"      </virtualport>\n      <model type='virtio'/>\n    </interface>\n",
				i >> 8, i & 0xff, i, 1000 + i % 64);
		else if (i % 3 == 1)
			n += (size_t)snprintf(b + n, cap - n,
				"    <interface type='hostdev' managed='yes'>\n"
				"      <mac address='02:00:00:00:%02x:%02x'/>\n      <driver name='vfio'/>\n"
				"      <source>\n        <address type='pci' domain='0x0000' bus='0x%02x' "
				"slot='0x%02x' function='0x%x'/>\n      </source>\n"
				"      <virtualport type='802.1Qbh'>\n        <parameters profileid='OS-PP-%d'/>\n"
				"      </virtualport>\n    </interface>\n",
				i >> 8, i & 0xff, 0x81 + i / 256, (i / 8) % 32, i % 8, 1000 + i % 64);
		else
			n += (size_t)snprintf(b + n, cap - n,
				"    <interface type='network'>\n      <mac address='02:00:00:00:%02x:%02x'/>\n"
				"      <source network='vmfex-direct' portgroup='OS-PP-%d'/>\n"
				"      <model type='virtio'/>\n    </interface>\n",
				i >> 8, i & 0xff, 1000 + i % 64);
	}
	for (int d = 0; n < ((size_t)1 << 20) - 200; d++)
		n += (size_t)snprintf(b + n, cap - n,
			"    <disk type='file' device='disk'>\n      <driver name='qemu' type='qcow2'/>\n"
			"      <source file='/var/lib/libvirt/images/big-%d.qcow2'/>\n"
			"      <target dev='vd%d' bus='virtio'/>\n    </disk>\n", d, d);
	n += (size_t)snprintf(b + n, cap - n, "  </devices>\n</domain>\n");
	*len = n;
	return b;
}

static int bench_inspect(int iterations)
{
	struct vmfex_new_opts nopts = { .sz = sizeof(nopts), .ignore_env = 1 };
	struct vmfex_xml_network *net;
	struct vmfex_ctx *ctx;
	double *t = calloc((size_t)iterations, sizeof(*t));
	char net_xml[16384], extra[64];
	size_t len, n = 0;
	char *doc = big_domain(&len);

	if (!t || !doc || vmfex_new_with_opts(&nopts, &ctx) < 0)
		return 1;
	n += (size_t)snprintf(net_xml + n, sizeof(net_xml) - n,
		"<network><name>vmfex-direct</name><forward mode='passthrough'><pf dev='enp128s0'/>"
		"</forward><virtualport type='802.1Qbh'/>");
	for (int k = 0; k < 64; k++)
		n += (size_t)snprintf(net_xml + n, sizeof(net_xml) - n,
			"<portgroup name='OS-PP-%d'><virtualport><parameters profileid='OS-PP-%d'/>"
			"</virtualport></portgroup>", 1000 + k, 1000 + k);
	snprintf(net_xml + n, sizeof(net_xml) - n, "</network>");
	if (vmfex_xml_network_new_from_buffer(ctx, net_xml, strlen(net_xml), &net) < 0)
		return 1;
	for (int i = 0; i < iterations; i++) {
		struct vmfex_xml_domain *dom;
		struct vmfex_xml_iface *it;
		unsigned int count = 0, profiles = 0;
		const char *reason;
		double t0 = now_ms();

		if (vmfex_xml_domain_new_from_buffer(ctx, doc, len, &dom) < 0 ||
		    vmfex_xml_domain_add_network(dom, net) != 85)
			return 1;
		vmfex_xml_domain_foreach_iface(dom, it) {
			count++;
			profiles += vmfex_xml_iface_get_profileid(it) != NULL;
		}
		if (count != 256 || profiles != 256 || vmfex_xml_domain_can_migrate(dom, &reason))
			return 1;
		vmfex_xml_domain_unref(dom);
		t[i] = now_ms() - t0;
	}
	snprintf(extra, sizeof(extra), "%zu bytes", len);
	report("inspect domain, 256 interfaces", t, iterations, extra);
	vmfex_xml_network_unref(net);
	vmfex_unref(ctx);
	free(doc);
	free(t);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "iterations", required_argument, NULL, 'n' },
		{}
	};
	int iterations = 20, c;

	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (c != 'n' || (iterations = atoi(optarg)) <= 0) {
			fprintf(stderr, "Usage: bench-xml [--iterations N]\n");
			return 2;
		}
	}
	if (bench_pool(iterations) || bench_inspect(iterations)) {
		fprintf(stderr, "bench-xml: failed\n");
		return 1;
	}
	return 0;
}
