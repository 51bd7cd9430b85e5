/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The topology graph on a simulated UCS B200 (VIC 1240): a profile
 * associated on a VF, a hostdev VM and a MacVTap passthrough VM, and a VM
 * whose name needs escaping, with a MacVTap private interface too. "golden": the DOT against
 * tests/workflow/golden/topology-b200.dot, with a VF leased by the VF
 * allocator (VMFEX_UPDATE_GOLDEN=1 rewrites
 * it); "graphviz": the DOT parsed back by dot -Tsvg, and the picture
 * written by vmfexctl topology --format svg|png (the library spawns no
 * program), skipped (77) where Graphviz is not installed. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "../sim/sim-fixture.h"

#include <libvmfex/advisor.h>
#include <libvmfex/workflow.h>

#define EXIT_SKIP 77

static const char *const domains[] = {
	"<domain type='kvm'><name>web1</name><devices>"
	"<interface type='hostdev' managed='yes'>"
	"<mac address='52:54:00:00:00:01'/>"
	"<source><address type='pci' domain='0x0000' bus='0x0a' slot='0x00' function='0x3'/></source>"
	"<virtualport type='802.1Qbh'><parameters profileid='web'/></virtualport>"
	"</interface></devices></domain>",
	"<domain type='kvm'><name>db \"1\" \\ {x}</name><devices>"
	"<interface type='direct'><mac address='52:54:00:00:00:02'/>"
	"<source dev='enp10s0f0v4' mode='passthrough'/>"
	"<virtualport type='802.1Qbh'><parameters profileid='db'/></virtualport>"
	"<model type='virtio'/></interface>"
	"<interface type='direct'><mac address='52:54:00:00:00:03'/>"
	"<source dev='enp10s0f0' mode='private'/><model type='virtio'/></interface>"
	"</devices></domain>",
};

static char *make_dot(struct sim_fixture *f, size_t *len)
{
	struct vmfex_port_opts po = { .sz = sizeof(po), .profile = "web",
	                              .instance_uuid = "8f4b5b4e-6b8b-4a4b-9d8a-3b4b5b6b7b8b",
	                              .mac = "52:54:00:00:00:01" };
	struct vmfex_reserve_opts ro = { .sz = sizeof(ro), .vm_uuid = "1b7c9f5e-3d2a-4c6b-8e9f-0a1b2c3d4e5f",
	                                 .vm_name = "spare \"vm\"", .confirm = true };
	struct vmfex_xml_domain *doms[2];
	struct vmfex_topology_dot_opts o = { .sz = sizeof(o), .domains = doms, .n_domains = 2,
	                                     .pf = "enp10s0f0" };
	struct vmfex_sim_inject_opts inject = { .sz = sizeof(inject), .count = 1,
	                                        .response = VMFEX_PORT_PROFILE_RESPONSE_INVALID };
	struct vmfex_port *port;
	struct vmfex_pf *pf;
	struct vmfex_vf *vf;
	char *dot = NULL;

	assert_int_equal(sim_fixture_open(f, "ucs-b200-vic1240.json"), 0);
	assert_int_equal(vmfex_pf_new_from_name(f->ctx, "enp10s0f0", &pf), 0);
	assert_int_equal(vmfex_pf_lookup_vf(pf, 2, &vf), 0);
	assert_int_equal(vmfex_port_new_from_vf(vf, &port), 0);
	if (vmfex_port_associate(port, &po) != 0)
		fail_msg("associate: %s", f->log);
	vmfex_port_unref(port);
	vmfex_vf_unref(vf);
	/* VF 6: the adapter refuses the profile (INVALID) */
	assert_int_equal(vmfex_sim_inject(f->ctx, &inject), 0);
	assert_int_equal(vmfex_pf_lookup_vf(pf, 6, &vf), 0);
	assert_int_equal(vmfex_port_new_from_vf(vf, &port), 0);
	po.mac = "52:54:00:00:00:06";
	assert_int_equal(vmfex_port_associate(port, &po), -EINVAL);
	vmfex_port_unref(port);
	vmfex_vf_unref(vf);
	/* VF 7: a slow adapter, not waited for: still in progress */
	assert_int_equal(vmfex_sim_set_latency(f->ctx, 600000), 0);
	assert_int_equal(vmfex_pf_lookup_vf(pf, 7, &vf), 0);
	assert_int_equal(vmfex_port_new_from_vf(vf, &port), 0);
	po.mac = "52:54:00:00:00:07";
	po.no_wait = true;
	assert_int_equal(vmfex_port_associate(port, &po), 0);
	vmfex_port_unref(port);
	vmfex_vf_unref(vf);
	/* a reservation of the VF allocator: the lowest free VF, 0 */
	if (vmfex_vf_reserve(pf, &ro, &vf) != 0)
		fail_msg("reserve: %s", f->log);
	assert_int_equal(vmfex_vf_get_index(vf), 0);
	vmfex_vf_unref(vf);
	vmfex_pf_unref(pf);
	for (size_t i = 0; i < 2; i++)
		assert_int_equal(vmfex_xml_domain_new_from_buffer(f->ctx, domains[i], strlen(domains[i]),
		                                                  &doms[i]), 0);
	assert_int_equal(vmfex_topology_write_dot(f->ctx, &o, &dot, len), 0);
	assert_non_null(dot);
	assert_int_equal(strlen(dot), *len);
	for (size_t i = 0; i < 2; i++)
		vmfex_xml_domain_unref(doms[i]);
	return dot;
}

static void test_golden(void **state)
{
	const char *src = getenv("VMFEX_SRCDIR");
	struct sim_fixture f;
	char path[512], *dot, *want;
	size_t len, n;
	FILE *in;

	dot = make_dot(&f, &len);
	/* the figures: hostdev VM straight onto its VF, passthrough through macvtap */
	assert_non_null(strstr(dot, "\"vm0:web1\" -> \"vf:0000:0a:00.3\" [label=\"hostdev (enic)\""));
	assert_non_null(strstr(dot, "\"vm1:db \\\"1\\\" \\\\ {x}\" -> \"macvtap1.0:db \\\"1\\\" \\\\ {x}\""));
	assert_non_null(strstr(dot, "\"macvtap1.0:db \\\"1\\\" \\\\ {x}\" -> \"vf:0000:0a:00.5\";"));
	/* each port coloured by its state, with a legend */
	assert_non_null(strstr(dot, "VF 2\\nenp10s0f0v2 [enic]\\nprofile web\\nassociated\", "
	                            "style=filled, fillcolor=palegreen"));
	assert_non_null(strstr(dot, "VF 6\\nenp10s0f0v6 [enic]\\nprofile web\\nrefused (INVALID)\", "
	                            "style=filled, fillcolor=lightpink"));
	assert_non_null(strstr(dot, "VF 7\\nenp10s0f0v7 [enic]\\nprofile web\\nin progress\", "
	                            "style=filled, fillcolor=lightskyblue"));
	assert_non_null(strstr(dot, "\"legend:refused\" [shape=box, style=filled, fillcolor=lightpink, "
	                            "label=\"refused\"];"));
	assert_non_null(strstr(dot, "VF 0\\nenp10s0f0v0 [enic]\\nleased to spare \\\"vm\\\"\", style=filled, fillcolor=khaki"));
	/* MacVTap private, deprecated, dashed onto the PF's own netdev */
	assert_non_null(strstr(dot, "\"macvtap1.1:db \\\"1\\\" \\\\ {x}\" -> \"pf:0000:0a:00.0\" [style=dashed];"));
	assert_null(strstr(dot, "0000:0b:00.0"));     /* only the PF asked for */
	assert_null(strstr(f.log, "not a VF"));
	snprintf(path, sizeof(path), "%s/tests/workflow/golden/topology-b200.dot", src ? src : ".");
	if (getenv("VMFEX_UPDATE_GOLDEN")) {
		FILE *out = fopen(path, "w");

		assert_non_null(out);
		fwrite(dot, 1, len, out);
		fclose(out);
	}
	in = fopen(path, "r");
	assert_non_null(in);
	want = calloc(1, 1 << 16);
	assert_non_null(want);
	n = fread(want, 1, (1 << 16) - 1, in);
	fclose(in);
	want[n] = '\0';
	assert_string_equal(dot, want);
	free(want);
	free(dot);
	sim_fixture_close(&f);
}

static void test_args(void **state)
{
	struct sim_fixture f;
	struct vmfex_topology_dot_opts o = { .sz = sizeof(o), .n_domains = 1 };
	char *dot = NULL;

	assert_int_equal(sim_fixture_open(&f, "mixed-82599-virtio.json"), 0);
	assert_int_equal(vmfex_topology_write_dot(f.ctx, NULL, NULL, NULL), -EINVAL);
	assert_int_equal(vmfex_topology_write_dot(f.ctx, &o, &dot, NULL), -EINVAL);
	o.n_domains = 0;
	o.pf = "nosuch0";
	assert_true(vmfex_topology_write_dot(f.ctx, &o, &dot, NULL) < 0);
	assert_null(dot);
	assert_non_null(strstr(f.log, "nosuch0"));
	/* a host without a VIC is drawn all the same */
	assert_int_equal(vmfex_topology_write_dot(f.ctx, NULL, &dot, NULL), 0);
	assert_non_null(strstr(dot, "\"pf:0000:03:00.0\""));
	free(dot);
	sim_fixture_close(&f);
}

static int graphviz_installed(void)
{
	return system("command -v dot >/dev/null 2>&1") == 0;
}

/* vmfexctl topology on the fixture's host, writing path; its exit code,
 * its stderr in err. */
static int vmfexctl_topology(struct sim_fixture *f, const char *env, const char *format,
                             const char *path, char *err, size_t size)
{
	const char *build = getenv("VMFEX_BUILDDIR");
	char cmd[1400], errpath[300];
	FILE *in;
	size_t n;
	int st;

	snprintf(errpath, sizeof(errpath), "%s.err", f->dir);
	snprintf(cmd, sizeof(cmd),
	         "%s '%s/tools/vmfexctl/vmfexctl' --sim '%s' topology --format %s --output '%s' "
	         "2>'%s'", env, build ? build : ".", f->dir, format, path, errpath);
	st = system(cmd);
	in = fopen(errpath, "r");
	assert_non_null(in);
	n = fread(err, 1, size - 1, in);
	err[n] = '\0';
	fclose(in);
	unlink(errpath);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static void test_graphviz(void **state)
{
	struct sim_fixture f;
	char path[300], cmd[700], err[1024];
	struct stat st;
	size_t len;
	char *dot = make_dot(&f, &len);
	FILE *out;

	snprintf(path, sizeof(path), "%s.dot", f.dir);
	out = fopen(path, "w");
	assert_non_null(out);
	fwrite(dot, 1, len, out);
	fclose(out);
	snprintf(cmd, sizeof(cmd), "dot -Tsvg '%s' -o /dev/null", path);
	assert_int_equal(system(cmd), 0);
	unlink(path);
	for (int i = 0; i < 2; i++) {
		const char *fmt = i ? "png" : "svg";

		snprintf(path, sizeof(path), "%s.%s", f.dir, fmt);
		assert_int_equal(vmfexctl_topology(&f, "", fmt, path, err, sizeof(err)), 0);
		assert_int_equal(stat(path, &st), 0);
		assert_true(st.st_size > 100);
		unlink(path);
	}
	/* another format is a usage error */
	assert_int_equal(vmfexctl_topology(&f, "", "pdf", path, err, sizeof(err)), 2);
	free(dot);
	sim_fixture_close(&f);
}

static void test_no_graphviz(void **state)
{
	struct sim_fixture f;
	char path[300], err[1024];

	assert_int_equal(sim_fixture_open(&f, "mixed-82599-virtio.json"), 0);
	snprintf(path, sizeof(path), "%s.svg", f.dir);
	assert_int_equal(vmfexctl_topology(&f, "PATH=/nonexistent", "svg", path, err, sizeof(err)),
	                 1);
	assert_non_null(strstr(err, "install graphviz"));
	sim_fixture_close(&f);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest golden[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_args),
		cmocka_unit_test(test_no_graphviz),
	};
	const struct CMUnitTest graphviz[] = {
		cmocka_unit_test(test_graphviz),
	};

	if (argc > 1 && strcmp(argv[1], "graphviz") == 0) {
		if (!graphviz_installed()) {
			fprintf(stderr, "SKIP: Graphviz's dot is not installed\n");
			return EXIT_SKIP;
		}
		return cmocka_run_group_tests(graphviz, NULL, NULL);
	}
	return cmocka_run_group_tests(golden, NULL, NULL);
}
