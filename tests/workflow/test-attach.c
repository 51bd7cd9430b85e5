/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Attach and detach on a simulated host: the interface XML of each
 * topology and association, the migration order, and a failure at each
 * step (injected into the adapter, or through the attach test seam)
 * leaving the host as it was: VF count, drivers, MACs, ports, leases. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "sim-fixture.h"
#include "workflow-private.h"

#define VM "6b9a1e2c-3d4f-4a5b-8c6d-7e8f90a1b2c3"
#define PF "enp10s0f0"

/* The host as the tests compare it, one line per VF. A port that never had
 * a request and one disassociated both read "free": enic keeps the last
 * request's status, and a disassociated port is free. */
static void snapshot(struct sim_fixture *f, char *buf, size_t size)
{
	struct vmfex_pf *pf;
	struct vmfex_vf *vf;
	struct vmfex_link *link;
	struct vmfex_lease_list *list;
	struct vmfex_lease *l;
	size_t n = 0;

	assert_int_equal(vmfex_pf_new_from_name(f->ctx, PF, &pf), 0);
	assert_int_equal(vmfex_link_new_from_pf(pf, &link), 0);
	n += (size_t)snprintf(buf + n, size - n, "numvfs %u\n", vmfex_pf_get_num_vfs(pf));
	vmfex_pf_foreach_vf(pf, vf) {
		struct vmfex_link_vf *lvf = vmfex_link_find_vf(link, vmfex_vf_get_index(vf));
		const struct vmfex_port_state *st = lvf ? vmfex_link_vf_get_port(lvf) : NULL;
		int req = st ? vmfex_port_state_get_request(st) : -1;
		const char *mac = lvf ? vmfex_link_vf_get_mac(lvf) : NULL;

		assert_true(n < size);
		n += (size_t)snprintf(buf + n, size - n, "vf %u driver %s netdev %s mac %s port %s %s\n",
		                      vmfex_vf_get_index(vf),
		                      vmfex_vf_get_driver(vf) ? vmfex_vf_get_driver(vf) : "-",
		                      vmfex_vf_get_ifname(vf) ? vmfex_vf_get_ifname(vf) : "-",
		                      mac ? mac : "-",
		                      req < 0 || req == VMFEX_PORT_REQUEST_DISASSOCIATE ? "free" : "used",
		                      req < 0 || req == VMFEX_PORT_REQUEST_DISASSOCIATE ||
		                                      !vmfex_port_state_get_profile(st)
		                              ? "-"
		                              : vmfex_port_state_get_profile(st));
	}
	assert_int_equal(vmfex_lease_list_new(f->ctx, &list), 0);
	vmfex_lease_list_foreach(list, l)
		n += (size_t)snprintf(buf + n, size - n, "lease %s %u %s\n", vmfex_lease_get_pf(l),
		                      vmfex_lease_get_vf_index(l), vmfex_lease_get_vm_uuid(l));
	assert_true(n < size);
	vmfex_lease_list_unref(list);
	vmfex_link_unref(link);
	vmfex_pf_unref(pf);
}

static struct vmfex_attach_opts opts_for(enum vmfex_xml_topology topology)
{
	struct vmfex_attach_opts o = {
		.sz = sizeof(o), .vm_uuid = VM, .vm_name = "web", .profile = "pp-vlan-25",
		.pf = PF, .topology = topology, .mac = "52:54:00:ac:ff:b6",
	};

	return o;
}

static void attach_and_detach(void **state)
{
	static const enum vmfex_xml_topology topologies[] = {
		VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH, VMFEX_XML_TOPOLOGY_HOSTDEV,
	};
	struct sim_fixture f;
	char before[8192], during[8192], after[8192];

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	/* A VF already holding a MAC gets it back. */
	{
		struct vmfex_pf *pf;
		struct vmfex_vf *vf;

		assert_int_equal(vmfex_pf_new_from_name(f.ctx, PF, &pf), 0);
		assert_int_equal(vmfex_pf_lookup_vf(pf, 0, &vf), 0);
		assert_int_equal(vmfex_vf_set_mac(vf, "02:00:00:00:00:07"), 0);
		vmfex_vf_unref(vf);
		vmfex_pf_unref(pf);
	}
	for (size_t t = 0; t < 2; t++) {
		struct vmfex_attach_opts o = opts_for(topologies[t]);
		char *xml = NULL;

		snapshot(&f, before, sizeof(before));
		assert_int_equal(vmfex_attach(f.ctx, &o, &xml), 0);
		assert_non_null(xml);
		assert_non_null(strstr(xml, "52:54:00:ac:ff:b6"));
		assert_null(strstr(xml, "virtualport")); /* the library associated */
		if (t == 0) {
			assert_non_null(strstr(xml, "type=\"direct\""));
			assert_non_null(strstr(xml, "enp10s0f0v0"));
			assert_non_null(strstr(xml, "passthrough"));
		} else {
			assert_non_null(strstr(xml, "type=\"hostdev\""));
			assert_non_null(strstr(xml, "managed=\"no\""));
			assert_non_null(strstr(xml, "function=\"0x1\""));
		}
		free(xml);
		snapshot(&f, during, sizeof(during));
		assert_non_null(strstr(during, "lease 0000:0a:00.0 0 " VM));
		assert_non_null(strstr(during, "vf 0 driver "));
		assert_non_null(strstr(during, t ? "vf 0 driver vfio-pci netdev - mac 52:54:00:ac:ff:b6 port used pp-vlan-25"
		                                 : "vf 0 driver enic netdev enp10s0f0v0 mac 52:54:00:ac:ff:b6 port used pp-vlan-25"));
		assert_int_equal(vmfex_detach(f.ctx, VM), 1);
		snapshot(&f, after, sizeof(after));
		assert_string_equal(after, before);
		assert_int_equal(vmfex_detach(f.ctx, VM), -ENOENT);
	}
	sim_fixture_close(&f);
}

static void left_to_libvirt(void **state)
{
	struct sim_fixture f;
	struct vmfex_attach_opts o = opts_for(VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH);
	char before[8192], during[8192], after[8192];
	char *xml = NULL;

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	o.association = VMFEX_ATTACH_BY_LIBVIRT;
	snapshot(&f, before, sizeof(before));
	assert_int_equal(vmfex_attach(f.ctx, &o, &xml), 0);
	assert_non_null(strstr(xml, "<virtualport type=\"802.1Qbh\">"));
	assert_non_null(strstr(xml, "profileid=\"pp-vlan-25\""));
	free(xml);
	snapshot(&f, during, sizeof(during));
	assert_non_null(strstr(during, "vf 0 driver enic netdev enp10s0f0v0 mac 52:54:00:ac:ff:b6 port free"));
	assert_int_equal(vmfex_detach(f.ctx, VM), 1);
	snapshot(&f, after, sizeof(after));
	assert_string_equal(after, before);
	sim_fixture_close(&f);
}

/* Migration, as libvirt: pre-associate on the destination, associate once
 * the VM runs there. */
static void migration(void **state)
{
	struct sim_fixture f;
	struct vmfex_attach_opts o = opts_for(VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH);
	struct vmfex_pf *pf;
	struct vmfex_vf *vf;
	struct vmfex_port *port;
	char before[8192], after[8192];
	char *xml = NULL;
	int req, resp;

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	snapshot(&f, before, sizeof(before));
	assert_int_equal(vmfex_attach_migration_finish(f.ctx, VM), -ENOENT);
	o.association = VMFEX_ATTACH_PREASSOCIATE;
	assert_int_equal(vmfex_attach(f.ctx, &o, &xml), 0);
	free(xml);
	assert_int_equal(vmfex_pf_new_from_name(f.ctx, PF, &pf), 0);
	assert_int_equal(vmfex_pf_lookup_vf(pf, 0, &vf), 0);
	assert_int_equal(vmfex_port_new_from_vf(vf, &port), 0);
	assert_int_equal(vmfex_port_read_status(port, &req, &resp), 0);
	/* enic reports PREASSOCIATE_RR like ASSOCIATE; the lease says which. */
	assert_int_equal(resp, VMFEX_PORT_PROFILE_RESPONSE_SUCCESS);
	assert_int_equal(vmfex_attach_migration_finish(f.ctx, VM), 1);
	assert_int_equal(vmfex_port_read_status(port, &req, &resp), 0);
	assert_int_equal(req, VMFEX_PORT_REQUEST_ASSOCIATE);
	assert_int_equal(resp, VMFEX_PORT_PROFILE_RESPONSE_SUCCESS);
	/* Finished once: nothing pre-associated any more. */
	assert_int_equal(vmfex_attach_migration_finish(f.ctx, VM), -ENOENT);
	assert_int_equal(vmfex_detach(f.ctx, VM), 1);
	snapshot(&f, after, sizeof(after));
	assert_string_equal(after, before);
	vmfex_port_unref(port);
	vmfex_vf_unref(vf);
	vmfex_pf_unref(pf);
	sim_fixture_close(&f);
}

/* "REQUEST profile instance MAC" of VF 0's port, read from the adapter. */
static void vf0_port(struct sim_fixture *f, char *buf, size_t size)
{
	struct vmfex_pf *pf;
	struct vmfex_link *link;
	const struct vmfex_link_vf *lvf;
	const struct vmfex_port_state *st;
	int req;

	assert_int_equal(vmfex_pf_new_from_name(f->ctx, PF, &pf), 0);
	assert_int_equal(vmfex_link_new_from_pf(pf, &link), 0);
	lvf = vmfex_link_find_vf(link, 0);
	assert_non_null(lvf);
	st = vmfex_link_vf_get_port(lvf);
	assert_non_null(st);
	req = vmfex_port_state_get_request(st);
	snprintf(buf, size, "%s %s %s %s %s",
	         req == VMFEX_PORT_REQUEST_ASSOCIATE        ? "ASSOCIATE"
	         : req == VMFEX_PORT_REQUEST_PREASSOCIATE_RR ? "PREASSOCIATE_RR"
	         : req == VMFEX_PORT_REQUEST_DISASSOCIATE    ? "DISASSOCIATE"
	                                                     : "other",
	         vmfex_port_state_get_response(st) == VMFEX_PORT_PROFILE_RESPONSE_SUCCESS
	                 ? "SUCCESS" : "not-SUCCESS",
	         vmfex_port_state_get_profile(st) ? vmfex_port_state_get_profile(st) : "-",
	         vmfex_port_state_get_instance_uuid(st) ? vmfex_port_state_get_instance_uuid(st)
	                                                : "-",
	         vmfex_link_vf_get_mac(lvf) ? vmfex_link_vf_get_mac(lvf) : "-");
	vmfex_link_unref(link);
	vmfex_pf_unref(pf);
}

/* The fields after the times of the journal's last @back-th line (1: the
 * last), and its applied time. */
static void journal_line(struct sim_fixture *f, int back, char *out, size_t size,
                         long long *applied)
{
	char path[4096], line[512], lines[8][512];
	int n = 0;
	long long done;
	FILE *j;

	snprintf(path, sizeof(path), "%s/state/journal", vmfex_get_sim_dir(f->ctx));
	j = fopen(path, "r");
	assert_non_null(j);
	while (fgets(line, sizeof(line), j))
		snprintf(lines[n++ % 8], sizeof(lines[0]), "%s", line);
	fclose(j);
	assert_true(n >= back && back <= 8);
	snprintf(line, sizeof(line), "%s", lines[(n - back) % 8]);
	line[strcspn(line, "\n")] = '\0';
	assert_int_equal(sscanf(line, "%lld %lld", applied, &done), 2);
	assert_true(done >= *applied);
	snprintf(out, size, "%s", strchr(strchr(line, ' ') + 1, ' ') + 1);
}

/* Migration out, as the source's watcher does it: the associated port
 * steps back to pre-associated when the VM stops here (same profile, VM
 * and MAC), associated again when a failed migration resumes it here,
 * released by detach either way. */
static void migration_out(void **state)
{
	struct sim_fixture f;
	struct vmfex_attach_opts o = opts_for(VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH);
	char before[8192], after[8192], port[256];
	char *xml = NULL;

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	snapshot(&f, before, sizeof(before));
	assert_int_equal(vmfex_attach_migration_begin(NULL, VM), -EINVAL);
	assert_int_equal(vmfex_attach_migration_begin(f.ctx, "not-a-uuid"), -EINVAL);
	assert_int_equal(vmfex_attach_migration_begin(f.ctx, VM), -ENOENT);
	assert_int_equal(vmfex_attach(f.ctx, &o, &xml), 0);
	free(xml);
	vf0_port(&f, port, sizeof(port));
	assert_string_equal(port, "ASSOCIATE SUCCESS pp-vlan-25 " VM " 52:54:00:ac:ff:b6");

	assert_int_equal(vmfex_attach_migration_begin(f.ctx, VM), 1);
	vf0_port(&f, port, sizeof(port));
	assert_string_equal(port, "PREASSOCIATE_RR SUCCESS pp-vlan-25 " VM " 52:54:00:ac:ff:b6");
	/* The adapter's journal: the association, then the step back. */
	{
		char j1[512], j2[512];
		long long t1, t2;

		journal_line(&f, 2, j1, sizeof(j1), &t1);
		journal_line(&f, 1, j2, sizeof(j2), &t2);
		assert_string_equal(j1, "enp10s0f0 0 ASSOCIATE SUCCESS pp-vlan-25 " VM
		                        " 52:54:00:ac:ff:b6");
		assert_string_equal(j2, "enp10s0f0 0 PREASSOCIATE_RR SUCCESS pp-vlan-25 " VM
		                        " 52:54:00:ac:ff:b6");
		assert_true(t2 >= t1);
	}
	/* Still the VM's: its lease stays, and nothing is associated twice. */
	snapshot(&f, after, sizeof(after));
	assert_non_null(strstr(after, "lease 0000:0a:00.0 0 " VM));
	assert_int_equal(vmfex_attach_migration_begin(f.ctx, VM), -ENOENT);

	/* The migration failed: the VM runs here again. */
	assert_int_equal(vmfex_attach_migration_finish(f.ctx, VM), 1);
	vf0_port(&f, port, sizeof(port));
	assert_string_equal(port, "ASSOCIATE SUCCESS pp-vlan-25 " VM " 52:54:00:ac:ff:b6");

	/* A pre-association the adapter refuses: an error, and the lease
	 * still says associated, so that detach disassociates. */
	{
		struct vmfex_sim_inject_opts in = {
			.sz = sizeof(in), .count = 1, .response = VMFEX_PORT_PROFILE_RESPONSE_INVALID,
		};

		assert_int_equal(vmfex_sim_inject(f.ctx, &in), 0);
		assert_int_equal(vmfex_attach_migration_begin(f.ctx, VM), -EINVAL);
		assert_int_equal(vmfex_attach_migration_finish(f.ctx, VM), -ENOENT);
	}
	/* The migration went: the source's release. */
	assert_int_equal(vmfex_attach_migration_begin(f.ctx, VM), 1);
	assert_int_equal(vmfex_detach(f.ctx, VM), 1);
	snapshot(&f, after, sizeof(after));
	assert_string_equal(after, before);
	vf0_port(&f, port, sizeof(port));
	assert_int_equal(strncmp(port, "DISASSOCIATE SUCCESS", 20), 0);

	/* A port libvirt associates is libvirt's to move. */
	o.association = VMFEX_ATTACH_BY_LIBVIRT;
	assert_int_equal(vmfex_attach(f.ctx, &o, &xml), 0);
	free(xml);
	assert_int_equal(vmfex_attach_migration_begin(f.ctx, VM), -ENOENT);
	assert_int_equal(vmfex_detach(f.ctx, VM), 1);
	sim_fixture_close(&f);
}

/* A failure at each step, for each topology: the host as before. */
static void failure_at_each_step(void **state)
{
	static const enum vmfex_xml_topology topologies[] = {
		VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH, VMFEX_XML_TOPOLOGY_HOSTDEV,
	};
	struct sim_fixture f;
	char before[8192], after[8192];

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	/* Some state to keep: VF 0 leased to another VM, VF 1 with a MAC. */
	{
		struct vmfex_attach_opts other = opts_for(VMFEX_XML_TOPOLOGY_HOSTDEV);
		struct vmfex_pf *pf;
		struct vmfex_vf *vf;
		char *xml;

		other.vm_uuid = "11111111-2222-4333-8444-555555555555";
		other.mac = "52:54:00:00:00:01";
		assert_int_equal(vmfex_attach(f.ctx, &other, &xml), 0);
		free(xml);
		assert_int_equal(vmfex_pf_new_from_name(f.ctx, PF, &pf), 0);
		assert_int_equal(vmfex_pf_lookup_vf(pf, 1, &vf), 0);
		assert_int_equal(vmfex_vf_set_mac(vf, "02:00:00:00:00:11"), 0);
		vmfex_vf_unref(vf);
		vmfex_pf_unref(pf);
	}
	for (size_t t = 0; t < 2; t++) {
		for (int step = VMFEX_ATTACH_STEP_CHECK; step <= VMFEX_ATTACH_STEP_CONFIRM; step++) {
			struct vmfex_attach_opts o = opts_for(topologies[t]);
			char *xml = NULL;

			snapshot(&f, before, sizeof(before));
			vmfex_set_fault_after_step(f.ctx, step);
			assert_int_equal(vmfex_attach(f.ctx, &o, &xml), -EIO);
			vmfex_set_fault_after_step(f.ctx, 0);
			assert_null(xml);
			snapshot(&f, after, sizeof(after));
			assert_string_equal(after, before);
		}
		/* The adapter refuses the request, or answers with an error. */
		for (int k = 0; k < 3; k++) {
			struct vmfex_attach_opts o = opts_for(topologies[t]);
			struct vmfex_sim_inject_opts in = { .sz = sizeof(in), .count = 1 };
			char *xml = NULL;
			int r;

			if (k == 0)
				in.error = EIO;
			else if (k == 1)
				in.response = VMFEX_PORT_PROFILE_RESPONSE_ERROR;
			else
				in.response = VMFEX_PORT_PROFILE_RESPONSE_INSUFFICIENT_RESOURCES;
			snapshot(&f, before, sizeof(before));
			assert_int_equal(vmfex_sim_inject(f.ctx, &in), 0);
			r = vmfex_attach(f.ctx, &o, &xml);
			assert_int_equal(r, k == 0 ? -EIO : k == 1 ? -EIO : -ENOSPC);
			assert_null(xml);
			snapshot(&f, after, sizeof(after));
			assert_string_equal(after, before);
		}
	}
	/* Nothing left behind: the next attach works. */
	{
		struct vmfex_attach_opts o = opts_for(VMFEX_XML_TOPOLOGY_HOSTDEV);
		char *xml = NULL;

		assert_int_equal(vmfex_attach(f.ctx, &o, &xml), 0);
		assert_non_null(strstr(xml, "function=\"0x2\""));
		free(xml);
		assert_int_equal(vmfex_detach(f.ctx, VM), 1);
	}
	sim_fixture_close(&f);
}

static void catalog_check(void **state)
{
	struct sim_fixture f;
	struct vmfex_catalog *cat;
	struct vmfex_profile *p;
	struct vmfex_attach_opts o = opts_for(VMFEX_XML_TOPOLOGY_PROFILE);
	char before[8192], after[8192];
	char *xml = NULL;

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	assert_int_equal(vmfex_catalog_new(f.ctx, &cat), 0);
	assert_int_equal(vmfex_catalog_add_profile(cat, "pp-vlan-25", &p), 0);
	assert_int_equal(vmfex_profile_set_host_nw_io_perf(p, VMFEX_HOST_NW_IO_PERF_HIGH_PERF_REQD), 0);
	o.catalog = cat;
	snapshot(&f, before, sizeof(before));
	/* Not a client of the default cluster yet: refused, nothing done. */
	assert_int_equal(vmfex_attach(f.ctx, &o, &xml), -EACCES);
	o.profile = "pp-none";
	assert_int_equal(vmfex_attach(f.ctx, &o, &xml), -ENOENT);
	snapshot(&f, after, sizeof(after));
	assert_string_equal(after, before);
	assert_int_equal(vmfex_profile_add_client(p, VMFEX_CLUSTER_DEFAULT), 0);
	o.profile = "pp-vlan-25";
	/* The profile's topology: hostdev. */
	assert_int_equal(vmfex_attach(f.ctx, &o, &xml), 0);
	assert_non_null(strstr(xml, "type=\"hostdev\""));
	free(xml);
	assert_int_equal(vmfex_detach(f.ctx, VM), 1);
	vmfex_profile_unref(p);
	vmfex_catalog_unref(cat);
	sim_fixture_close(&f);
}

/* What each of the children started together does, in its own context on
 * the simulated host: prepare (may be NULL; a failure exits 1) before the
 * start, then run, whose result is the child's exit status. A child's
 * data is its own copy after the fork. */
struct together {
	int (*prepare)(struct vmfex_ctx *ctx, unsigned int i, void *data);
	int (*run)(struct vmfex_ctx *ctx, unsigned int i, void *data);
	void *data;
};

/* Forks n children on f's simulated host, released at once when all are
 * ready, so that their calls race. */
static void start_together(struct sim_fixture *f, pid_t *pids, unsigned int n,
                           const struct together *t)
{
	int go[2];

	assert_int_equal(pipe(go), 0);
	for (unsigned int i = 0; i < n; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0) {
			struct vmfex_new_opts no = { .sz = sizeof(no), .sim_dir = f->dir,
			                             .ignore_env = 1 };
			struct vmfex_ctx *ctx;
			char c;
			int r;

			close(go[1]);
			if (vmfex_new_with_opts(&no, &ctx) < 0 ||
			    (t->prepare && t->prepare(ctx, i, t->data) < 0) ||
			    read(go[0], &c, 1) < 0)
				_exit(1);
			r = t->run(ctx, i, t->data);
			vmfex_unref(ctx);
			_exit(r);
		}
	}
	close(go[0]);
	close(go[1]);
}

/* Waits for n children that each attached per VMs (6b9a1e2c-...-0000000000IK
 * for child I, VM K), all to have succeeded; checks every VM got its own
 * confirmed lease, and detaches them. */
static void children_done(struct sim_fixture *f, const pid_t *pids, int n, int per)
{
	struct vmfex_lease_list *list;
	struct vmfex_lease *l;
	unsigned int seen = 0;
	int leases = 0;

	for (int i = 0; i < n; i++) {
		int st;

		assert_int_equal(waitpid(pids[i], &st, 0), pids[i]);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 0);
	}
	assert_int_equal(vmfex_lease_list_new(f->ctx, &list), 0);
	vmfex_lease_list_foreach(list, l) {
		assert_true(vmfex_lease_is_confirmed(l));
		assert_false(vmfex_lease_is_stale(l));
		assert_false(seen & (1u << vmfex_lease_get_vf_index(l)));
		seen |= 1u << vmfex_lease_get_vf_index(l);
		leases++;
	}
	vmfex_lease_list_unref(list);
	assert_int_equal(leases, n * per);
	for (int i = 0; i < n; i++)
		for (int k = 0; k < per; k++) {
			char uuid[37];

			snprintf(uuid, sizeof(uuid), "6b9a1e2c-3d4f-4a5b-8c6d-0000000000%d%d", i, k);
			assert_int_equal(vmfex_detach(f->ctx, uuid), 1);
		}
}

/* The options of child i's VM k: 6b9a1e2c-...-0000000000IK, its MAC
 * chosen by the library. */
static struct vmfex_attach_opts child_vm(char uuid[37], unsigned int i, unsigned int k,
                                         enum vmfex_xml_topology topology)
{
	struct vmfex_attach_opts o = opts_for(topology);

	snprintf(uuid, 37, "6b9a1e2c-3d4f-4a5b-8c6d-0000000000%u%u", i, k);
	o.vm_uuid = uuid;
	o.mac = NULL;
	return o;
}

/* n children on a PF of 16 VFs started together, each attaching per VMs
 * with run: every VM gets its own VF; detached by the parent, the host
 * is as before. */
static void attach_together(unsigned int n, int per,
                            int (*run)(struct vmfex_ctx *ctx, unsigned int i, void *data))
{
	const struct together t = { .run = run };
	struct sim_fixture f;
	char before[8192], after[8192];
	pid_t pids[8];

	assert_true(n <= ARRAY_SIZE(pids));
	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	assert_int_equal(vmfex_sim_set_latency(f.ctx, 5), 0);
	snapshot(&f, before, sizeof(before));
	start_together(&f, pids, n, &t);
	children_done(&f, pids, (int)n, per);
	snapshot(&f, after, sizeof(after));
	assert_string_equal(after, before);
	sim_fixture_close(&f);
}

/* Child i attaches VMs I0 (MacVTap) and I1 (hostdev). */
static int attach_two(struct vmfex_ctx *ctx, unsigned int i, void *data)
{
	for (unsigned int k = 0; k < 2; k++) {
		char uuid[37];
		struct vmfex_attach_opts o = child_vm(uuid, i, k, k ? VMFEX_XML_TOPOLOGY_HOSTDEV
		                                      : VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH);
		char *xml;

		if (vmfex_attach(ctx, &o, &xml) < 0)
			return 2;
		free(xml);
	}
	return 0;
}

/* 8 processes attach two VMs each at once on a PF of 16 VFs. */
static void concurrent_attaches(void **state)
{
	attach_together(8, 2, attach_two);
}

/* Without a PF: the first by address with a free VF. */
static void any_pf(void **state)
{
	struct sim_fixture f;
	struct vmfex_attach_opts o = opts_for(VMFEX_XML_TOPOLOGY_HOSTDEV);
	struct vmfex_reserve_opts ro = { .sz = sizeof(ro), .vm_uuid = "11111111-2222-4333-8444-555555555555" };
	struct vmfex_pf *pf;
	struct vmfex_vf *vf;
	char *xml = NULL;

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	o.pf = NULL;
	assert_int_equal(vmfex_attach(f.ctx, &o, &xml), 0);
	assert_non_null(strstr(xml, "bus=\"0x0a\" slot=\"0x00\" function=\"0x1\""));
	free(xml);
	assert_int_equal(vmfex_detach(f.ctx, VM), 1);
	assert_int_equal(vmfex_pf_new_from_name(f.ctx, PF, &pf), 0);
	for (int i = 0; i < 16; i++) {
		assert_int_equal(vmfex_vf_reserve(pf, &ro, &vf), 0);
		vmfex_vf_unref(vf);
	}
	vmfex_pf_unref(pf);
	assert_int_equal(vmfex_attach(f.ctx, &o, &xml), 0);
	assert_non_null(strstr(xml, "bus=\"0x0b\" slot=\"0x00\" function=\"0x1\""));
	free(xml);
	assert_int_equal(vmfex_detach(f.ctx, VM), 1);
	sim_fixture_close(&f);
}

/* An attach killed half-way (VF leased, MAC set, port associated, bound to
 * vfio-pci, lease never confirmed): once the process is gone, the explicit
 * reclaim undoes it all and the host is as before. */
static void killed_mid_attach(void **state)
{
	struct sim_fixture f;
	char before[8192], after[8192];
	int ready[2], st;
	pid_t pid;
	char c;

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	snapshot(&f, before, sizeof(before));
	assert_int_equal(pipe(ready), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct vmfex_new_opts no = { .sz = sizeof(no), .sim_dir = f.dir, .ignore_env = 1 };
		struct vmfex_reserve_opts ro = { .sz = sizeof(ro), .vm_uuid = VM };
		struct vmfex_port_opts po = { .sz = sizeof(po), .profile = "pp-vlan-25",
		                              .instance_uuid = VM };
		struct vmfex_ctx *ctx;
		struct vmfex_pf *pf;
		struct vmfex_vf *vf;
		struct vmfex_port *port;

		if (vmfex_new_with_opts(&no, &ctx) < 0 || vmfex_pf_new_from_name(ctx, PF, &pf) < 0 ||
		    vmfex_vf_reserve(pf, &ro, &vf) < 0 ||
		    vmfex_vf_set_mac(vf, "52:54:00:12:34:56") < 0 ||
		    vmfex_port_new_from_vf(vf, &port) < 0 || vmfex_port_associate(port, &po) < 0 ||
		    vmfex_vf_bind_driver(vf, "vfio-pci") < 0)
			_exit(1);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(ready[1]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	snapshot(&f, after, sizeof(after));
	assert_non_null(strstr(after, "vf 0 driver vfio-pci netdev - mac 52:54:00:12:34:56 port used pp-vlan-25"));
	assert_int_equal(vmfex_lease_reclaim_stale(f.ctx), 1);
	snapshot(&f, after, sizeof(after));
	assert_string_equal(after, before);
	sim_fixture_close(&f);
}

static void bad_options(void **state)
{
	struct sim_fixture f;
	struct vmfex_attach_opts o = opts_for(VMFEX_XML_TOPOLOGY_MACVTAP_PRIVATE);
	char *xml = NULL;

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	assert_int_equal(vmfex_attach(f.ctx, &o, &xml), -ENOTSUP);
	o = opts_for(VMFEX_XML_TOPOLOGY_HOSTDEV);
	o.vm_uuid = "nope";
	assert_int_equal(vmfex_attach(f.ctx, &o, &xml), -EINVAL);
	o = opts_for(VMFEX_XML_TOPOLOGY_HOSTDEV);
	o.profile = "";
	assert_int_equal(vmfex_attach(f.ctx, &o, &xml), -EINVAL);
	o = opts_for(VMFEX_XML_TOPOLOGY_HOSTDEV);
	o.pf = "enp99s0";
	assert_true(vmfex_attach(f.ctx, &o, &xml) < 0);
	assert_int_equal(vmfex_detach(f.ctx, "nope"), -EINVAL);
	assert_int_equal(vmfex_detach(f.ctx, VM), -ENOENT);
	sim_fixture_close(&f);
}

/* A VF chosen by someone else (libvirt's pool): that VF or an error,
 * never another one. */
static void named_vf(void **state)
{
	struct sim_fixture f;
	struct vmfex_attach_opts o = opts_for(VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH);
	char snap[8192], *xml = NULL;

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	o.pf = NULL;
	o.vf = "enp10s0f0v5";
	assert_int_equal(vmfex_attach(f.ctx, &o, &xml), 0);
	assert_non_null(strstr(xml, "enp10s0f0v5"));
	free(xml);
	snapshot(&f, snap, sizeof(snap));
	assert_non_null(strstr(snap, "vf 5 driver enic netdev enp10s0f0v5 mac 52:54:00:ac:ff:b6 "
	                             "port used pp-vlan-25\n"));
	assert_non_null(strstr(snap, "lease 0000:0a:00.0 5 " VM "\n"));
	/* Taken: -EBUSY, whoever asks, and nothing changes. */
	o.vm_uuid = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
	xml = NULL;
	assert_int_equal(vmfex_attach(f.ctx, &o, &xml), -EBUSY);
	assert_null(xml);
	assert_non_null(strstr(f.log, "VF 0000:0a:00.6 is not free"));
	/* By PCI address, on the other PF. */
	o.vf = "0000:0b:00.2";
	assert_int_equal(vmfex_attach(f.ctx, &o, &xml), 0);
	free(xml);
	o.vf = "eth9";
	assert_int_equal(vmfex_attach(f.ctx, &o, &xml), -ENODEV);
	assert_int_equal(vmfex_detach(f.ctx, VM), 1);
	assert_int_equal(vmfex_detach(f.ctx, o.vm_uuid), 1);
	sim_fixture_close(&f);
}

/* An Intel X710 with VFs at a lower PCI address than the VIC: only the
 * VIC's VFs can carry a port profile, so attach without a PF takes one of
 * them, whichever the association; a PF named that is no VIC is refused
 * before anything changes. */
#define X710_AND_VIC                                                                            \
	"{ \"description\": \"X710 with VFs below a VIC 1240\", \"iommu\": true,"              \
	"  \"drivers\": ["                                                                     \
	"    { \"name\": \"i40e\", \"sriov_configure\": true, \"vf_ops\": [\"mac\", \"vlan\"] }," \
	"    { \"name\": \"iavf\" },"                                                           \
	"    { \"name\": \"enic\", \"sriov_configure\": false, \"vf_ops\": [\"mac\"],"          \
	"      \"vf_port\": true },"                                                            \
	"    { \"name\": \"vfio-pci\", \"netdev\": false, \"needs_iommu\": true } ],"          \
	"  \"devices\": ["                                                                     \
	"    { \"pci\": \"0000:03:00.0\", \"vendor\": \"0x8086\", \"device\": \"0x1572\","     \
	"      \"subsystem_vendor\": \"0x8086\", \"subsystem_device\": \"0x0001\","            \
	"      \"driver\": \"i40e\", \"ifname\": \"enp3s0f0\","                                \
	"      \"sriov\": { \"total_vfs\": 8, \"num_vfs\": 4, \"offset\": 16, \"stride\": 1,"  \
	"                   \"vf_device\": \"0x154c\", \"vf_driver\": \"iavf\" } },"            \
	"    { \"pci\": \"0000:0a:00.0\", \"vendor\": \"0x1137\", \"device\": \"0x0043\","     \
	"      \"subsystem_vendor\": \"0x1137\", \"subsystem_device\": \"0x0084\","            \
	"      \"driver\": \"enic\", \"ifname\": \"enp10s0f0\","                               \
	"      \"sriov\": { \"total_vfs\": 16, \"num_vfs\": 16, \"vf_device\": \"0x0071\","    \
	"                   \"vf_driver\": \"enic\" } } ] }"

static void first_pf_not_vic(void **state)
{
	static const enum vmfex_attach_association assoc[] = {
		VMFEX_ATTACH_ASSOCIATE, VMFEX_ATTACH_BY_LIBVIRT,
	};
	struct sim_fixture f;
	char before[8192], after[8192];

	assert_int_equal(sim_fixture_open(&f, X710_AND_VIC), 0);
	snapshot(&f, before, sizeof(before));
	for (size_t a = 0; a < ARRAY_SIZE(assoc); a++) {
		struct vmfex_attach_opts o = opts_for(VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH);
		char *xml = NULL;

		o.association = assoc[a];
		o.pf = NULL;
		assert_int_equal(vmfex_attach(f.ctx, &o, &xml), 0);
		assert_non_null(strstr(xml, "enp10s0f0v0"));
		assert_null(strstr(xml, "enp3s0f0"));
		free(xml);
		assert_int_equal(vmfex_detach(f.ctx, VM), 1);

		o.pf = "enp3s0f0";
		assert_int_equal(vmfex_attach(f.ctx, &o, &xml), -EOPNOTSUPP);
		assert_null(xml);
		assert_non_null(strstr(f.log, "enp3s0f0"));
	}
	snapshot(&f, after, sizeof(after));
	assert_string_equal(after, before);
	sim_fixture_close(&f);
}

/* A child's catalog: pp-vlan-25 with max ports 4, made before the start. */
struct max_ports_child {
	struct vmfex_catalog *cat;
};

static int max_ports_prepare(struct vmfex_ctx *ctx, unsigned int i, void *data)
{
	struct max_ports_child *c = data;
	struct vmfex_profile *p;
	int r;

	r = vmfex_catalog_new(ctx, &c->cat);
	if (r < 0)
		return r;
	r = vmfex_catalog_add_profile(c->cat, "pp-vlan-25", &p);
	if (r < 0)
		return r;
	r = vmfex_profile_set_max_ports(p, 4);
	if (r == 0)
		r = vmfex_profile_add_client(p, VMFEX_CLUSTER_DEFAULT);
	vmfex_profile_unref(p);
	return r;
}

/* Exits 0 attached, 3 refused for max ports, 2 otherwise. */
static int max_ports_attach(struct vmfex_ctx *ctx, unsigned int i, void *data)
{
	struct max_ports_child *c = data;
	struct vmfex_attach_opts o = opts_for(VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH);
	char uuid[37];
	char *xml;
	int r;

	snprintf(uuid, sizeof(uuid), "6b9a1e2c-3d4f-4a5b-8c6d-%012u", i);
	o.vm_uuid = uuid;
	o.mac = NULL;
	o.pf = NULL;
	o.catalog = c->cat;
	r = vmfex_attach(ctx, &o, &xml);
	if (r == 0)
		free(xml);
	vmfex_catalog_unref(c->cat);
	return r == 0 ? 0 : r == -EUSERS ? 3 : 2;
}

/* n processes attach at once to a profile of max ports 4: exactly 4 get a
 * port, the others are refused with EUSERS, and 4 ports are associated. */
static void max_ports_held(unsigned int n)
{
	struct max_ports_child child = { NULL };
	const struct together t = { .prepare = max_ports_prepare, .run = max_ports_attach,
	                            .data = &child };
	struct sim_fixture f;
	pid_t pids[64];
	int ok = 0, users = 0;
	unsigned int associated = 0;
	struct vmfex_pf *pf;

	assert_true(n <= ARRAY_SIZE(pids));
	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	assert_int_equal(vmfex_sim_set_latency(f.ctx, 5), 0);
	start_together(&f, pids, n, &t);
	for (unsigned int i = 0; i < n; i++) {
		int st;

		assert_int_equal(waitpid(pids[i], &st, 0), pids[i]);
		assert_true(WIFEXITED(st));
		ok += WEXITSTATUS(st) == 0;
		users += WEXITSTATUS(st) == 3;
	}
	vmfex_pf_foreach(f.ctx, pf) {
		struct vmfex_link *link;
		struct vmfex_link_vf *lvf;

		if (!vmfex_pf_get_num_vfs(pf))
			continue;
		assert_int_equal(vmfex_link_new_from_pf(pf, &link), 0);
		vmfex_link_foreach_vf(link, lvf) {
			const struct vmfex_port_state *st = vmfex_link_vf_get_port(lvf);

			associated += st && vmfex_port_state_get_request(st) ==
			                            VMFEX_PORT_REQUEST_ASSOCIATE;
		}
		vmfex_link_unref(link);
	}
	assert_int_equal(associated, 4);
	assert_int_equal(ok, 4);
	assert_int_equal(users, (int)n - 4);
	sim_fixture_close(&f);
}

static void max_ports_10_at_once(void **state)
{
	max_ports_held(10);
}

static void max_ports_50_at_once(void **state)
{
	max_ports_held(50);
}

/* ---- many VMs in one call ---- */

#define BATCH 3

static const char *const batch_vm[BATCH] = {
	"6b9a1e2c-3d4f-4a5b-8c6d-00000000b000",
	"6b9a1e2c-3d4f-4a5b-8c6d-00000000b001",
	"6b9a1e2c-3d4f-4a5b-8c6d-00000000b002",
};
static const char *const batch_mac[BATCH] = {
	"52:54:00:00:b0:00", "52:54:00:00:b0:01", "52:54:00:00:b0:02",
};

/* Attaches the batch; @want the result each VM must have. The VMs that
 * succeeded are checked attached (their lease and port) and detached. */
static void attach_batch(struct sim_fixture *f, struct vmfex_attach_opts *o, const int *want)
{
	const struct vmfex_attach_opts *ov[BATCH];
	char *xmls[BATCH];
	int results[BATCH], failed = 0;
	char during[8192];

	for (size_t i = 0; i < BATCH; i++) {
		o[i].vm_uuid = batch_vm[i];
		o[i].mac = batch_mac[i];
		ov[i] = &o[i];
		failed += want[i] < 0;
	}
	assert_int_equal(vmfex_attach_many(f->ctx, ov, BATCH, xmls, results), failed);
	snapshot(f, during, sizeof(during));
	for (size_t i = 0; i < BATCH; i++) {
		char line[128];

		assert_int_equal(results[i], want[i]);
		snprintf(line, sizeof(line), "mac %s port used pp-vlan-25", batch_mac[i]);
		if (want[i] < 0) {
			assert_null(xmls[i]);
			assert_null(strstr(during, batch_vm[i]));
			assert_null(strstr(during, line));
			continue;
		}
		assert_non_null(xmls[i]);
		assert_non_null(strstr(xmls[i], batch_mac[i]));
		free(xmls[i]);
		assert_non_null(strstr(during, batch_vm[i]));
		assert_non_null(strstr(during, line));
		assert_int_equal(vmfex_detach(f->ctx, batch_vm[i]), 1);
	}
}

/* A failure at each step for the middle VM of a batch, and the adapter
 * refusing the first VM's request: the others are attached, and once they
 * are detached the host is as before, so the failed VM left nothing. */
static void batch_failure_at_each_step(void **state)
{
	static const enum vmfex_xml_topology topologies[] = {
		VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH, VMFEX_XML_TOPOLOGY_HOSTDEV,
	};
	struct sim_fixture f;
	char before[8192], after[8192];

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	assert_int_equal(vmfex_sim_set_latency(f.ctx, 5), 0);
	{
		/* A VF with a MAC of its own, to be given back. */
		struct vmfex_pf *pf;
		struct vmfex_vf *vf;

		assert_int_equal(vmfex_pf_new_from_name(f.ctx, PF, &pf), 0);
		assert_int_equal(vmfex_pf_lookup_vf(pf, 1, &vf), 0);
		assert_int_equal(vmfex_vf_set_mac(vf, "02:00:00:00:00:11"), 0);
		vmfex_vf_unref(vf);
		vmfex_pf_unref(pf);
	}
	snapshot(&f, before, sizeof(before));
	for (size_t t = 0; t < 2; t++) {
		for (int step = VMFEX_ATTACH_STEP_CHECK; step <= VMFEX_ATTACH_STEP_CONFIRM; step++) {
			struct vmfex_attach_opts o[BATCH];
			const int want[BATCH] = { 0, -EIO, 0 };

			for (size_t i = 0; i < BATCH; i++)
				o[i] = opts_for(topologies[t]);
			vmfex_set_fault_after_step(f.ctx, step);
			vmfex_set_fault_vm(f.ctx, batch_vm[1]);
			attach_batch(&f, o, want);
			vmfex_set_fault_after_step(f.ctx, 0);
			vmfex_set_fault_vm(f.ctx, NULL);
			snapshot(&f, after, sizeof(after));
			assert_string_equal(after, before);
		}
		for (int k = 0; k < 3; k++) {
			struct vmfex_attach_opts o[BATCH];
			struct vmfex_sim_inject_opts in = { .sz = sizeof(in), .count = 1 };
			int want[BATCH] = { -EIO, 0, 0 };

			for (size_t i = 0; i < BATCH; i++)
				o[i] = opts_for(topologies[t]);
			if (k == 0) {
				in.error = EIO;
			} else if (k == 1) {
				in.response = VMFEX_PORT_PROFILE_RESPONSE_ERROR;
			} else {
				in.response = VMFEX_PORT_PROFILE_RESPONSE_INSUFFICIENT_RESOURCES;
				want[0] = -ENOSPC;
			}
			assert_int_equal(vmfex_sim_inject(f.ctx, &in), 0);
			attach_batch(&f, o, want);
			snapshot(&f, after, sizeof(after));
			assert_string_equal(after, before);
		}
	}
	sim_fixture_close(&f);
}

/* The reservations of a batch: nothing on disk until the commit, then all
 * in one write, each on its own VF, the PF's ports read once. */
static void batch_reserves_in_one_write(void **state)
{
	struct sim_fixture f;
	struct vmfex_lease_batch b = { 0 };
	struct vmfex_lease_list *list;
	struct vmfex_lease *l;
	struct vmfex_vf *vf[BATCH];
	struct vmfex_pf *pf;
	char line[1024];
	size_t n = 0;
	FILE *in;

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	assert_int_equal(vmfex_pf_new_from_name(f.ctx, PF, &pf), 0);
	for (size_t i = 0; i < BATCH; i++) {
		struct vmfex_reserve_opts o = { .sz = sizeof(o), .vm_uuid = batch_vm[i] };
		struct vmfex_lease lease;

		assert_int_equal(vmfex_vf_reserve_lease_in(&b, pf, &o, &vf[i], &lease), 0);
		assert_int_equal(vmfex_vf_get_index(vf[i]), i);
		assert_int_equal(lease.vf, i);
	}
	assert_int_equal(b.n_links, 1);
	/* Read without the lock, which the batch holds. */
	in = fopen(b.db.path, "r");
	while (in && fgets(line, sizeof(line), in))
		n += line[0] != '#';
	if (in)
		fclose(in);
	assert_int_equal(n, 0);
	assert_int_equal(vmfex_lease_batch_commit(f.ctx, &b), 0);
	assert_false(b.open);
	n = 0;
	assert_int_equal(vmfex_lease_list_new(f.ctx, &list), 0);
	vmfex_lease_list_foreach(list, l) {
		assert_int_equal(vmfex_lease_get_vf_index(l), n);
		assert_string_equal(vmfex_lease_get_vm_uuid(l), batch_vm[n]);
		n++;
	}
	vmfex_lease_list_unref(list);
	assert_int_equal(n, BATCH);
	for (size_t i = 0; i < BATCH; i++) {
		assert_int_equal(vmfex_vf_release(vf[i], batch_vm[i]), 0);
		vmfex_vf_unref(vf[i]);
	}
	vmfex_pf_unref(pf);
	sim_fixture_close(&f);
}

/* A batch of one VM of each association: each sent its own request (or
 * none) with the others, and ends as its attach alone would. */
static void batch_of_each_association(void **state)
{
	static const enum vmfex_attach_association kinds[BATCH] = {
		VMFEX_ATTACH_ASSOCIATE, VMFEX_ATTACH_PREASSOCIATE, VMFEX_ATTACH_BY_LIBVIRT,
	};
	const struct vmfex_attach_opts *ov[BATCH];
	struct vmfex_attach_opts o[BATCH];
	char before[8192], during[8192], after[8192], line[128], *xmls[BATCH];
	int results[BATCH];
	struct sim_fixture f;

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	assert_int_equal(vmfex_sim_set_latency(f.ctx, 5), 0);
	snapshot(&f, before, sizeof(before));
	for (size_t i = 0; i < BATCH; i++) {
		o[i] = opts_for(VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH);
		o[i].vm_uuid = batch_vm[i];
		o[i].mac = batch_mac[i];
		o[i].association = kinds[i];
		ov[i] = &o[i];
	}
	assert_int_equal(vmfex_attach_many(f.ctx, ov, BATCH, xmls, results), 0);
	snapshot(&f, during, sizeof(during));
	for (size_t i = 0; i < BATCH; i++) {
		assert_int_equal(results[i], 0);
		assert_non_null(xmls[i]);
		free(xmls[i]);
		snprintf(line, sizeof(line), "vf %zu driver enic netdev enp10s0f0v%zu mac %s port %s", i, i,
		         batch_mac[i], i < 2 ? "used pp-vlan-25" : "free");
		assert_non_null(strstr(during, line));
	}
	/* The lease says which was pre-associated. */
	assert_int_equal(vmfex_attach_migration_finish(f.ctx, batch_vm[0]), -ENOENT);
	assert_int_equal(vmfex_attach_migration_finish(f.ctx, batch_vm[1]), 1);
	for (size_t i = 0; i < BATCH; i++)
		assert_int_equal(vmfex_detach(f.ctx, batch_vm[i]), 1);
	snapshot(&f, after, sizeof(after));
	assert_string_equal(after, before);
	sim_fixture_close(&f);
}

/* Max ports 1 and a batch of 3 VMs: the two beyond are refused alone (a
 * refused VM lets the next one count). */
static void batch_max_ports(void **state)
{
	struct sim_fixture f;
	struct vmfex_catalog *cat;
	struct vmfex_profile *p;
	struct vmfex_attach_opts o[BATCH];
	const int want[BATCH] = { 0, -EUSERS, -EUSERS };
	char before[8192], after[8192];

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	assert_int_equal(vmfex_catalog_new(f.ctx, &cat), 0);
	assert_int_equal(vmfex_catalog_add_profile(cat, "pp-vlan-25", &p), 0);
	assert_int_equal(vmfex_profile_set_max_ports(p, 1), 0);
	assert_int_equal(vmfex_profile_add_client(p, VMFEX_CLUSTER_DEFAULT), 0);
	snapshot(&f, before, sizeof(before));
	for (size_t i = 0; i < BATCH; i++) {
		o[i] = opts_for(VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH);
		o[i].catalog = cat;
	}
	attach_batch(&f, o, want);
	snapshot(&f, after, sizeof(after));
	assert_string_equal(after, before);
	vmfex_profile_unref(p);
	vmfex_catalog_unref(cat);
	sim_fixture_close(&f);
}

static void batch_bad_arguments(void **state)
{
	struct sim_fixture f;
	struct vmfex_attach_opts o = opts_for(VMFEX_XML_TOPOLOGY_HOSTDEV);
	const struct vmfex_attach_opts *ov[2] = { &o, NULL };
	char *xmls[2];
	int results[2];

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	assert_int_equal(vmfex_attach_many(f.ctx, NULL, 1, xmls, results), -EINVAL);
	assert_int_equal(vmfex_attach_many(f.ctx, ov, 1, NULL, results), -EINVAL);
	assert_int_equal(vmfex_attach_many(f.ctx, ov, 0, NULL, NULL), 0);
	/* A VM without options fails alone. */
	assert_int_equal(vmfex_attach_many(f.ctx, ov, 2, xmls, results), 1);
	assert_int_equal(results[0], 0);
	assert_int_equal(results[1], -EINVAL);
	assert_null(xmls[1]);
	free(xmls[0]);
	assert_int_equal(vmfex_detach(f.ctx, VM), 1);
	sim_fixture_close(&f);
}

enum { BATCH_PER = 3 };

/* Child i attaches VMs I0 to I2: one by one when i is odd, in one batch
 * when even. */
static int attach_three(struct vmfex_ctx *ctx, unsigned int i, void *data)
{
	struct vmfex_attach_opts o[BATCH_PER];
	const struct vmfex_attach_opts *ov[BATCH_PER];
	char uuid[BATCH_PER][37], *xmls[BATCH_PER];
	int results[BATCH_PER];

	for (unsigned int k = 0; k < BATCH_PER; k++) {
		o[k] = child_vm(uuid[k], i, k, VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH);
		ov[k] = &o[k];
	}
	if (i % 2) {
		for (unsigned int k = 0; k < BATCH_PER; k++) {
			if (vmfex_attach(ctx, ov[k], &xmls[k]) < 0)
				return 2;
			free(xmls[k]);
		}
		return 0;
	}
	if (vmfex_attach_many(ctx, ov, BATCH_PER, xmls, results) != 0)
		return 3;
	for (unsigned int k = 0; k < BATCH_PER; k++)
		free(xmls[k]);
	return 0;
}

/* Batches and single attaches from 4 processes at once on a PF of 16
 * VFs: every VM gets its own VF. */
static void batch_concurrent_with_single(void **state)
{
	attach_together(4, BATCH_PER, attach_three);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(attach_and_detach),
		cmocka_unit_test(left_to_libvirt),
		cmocka_unit_test(migration),
		cmocka_unit_test(migration_out),
		cmocka_unit_test(failure_at_each_step),
		cmocka_unit_test(catalog_check),
		cmocka_unit_test(concurrent_attaches),
		cmocka_unit_test(any_pf),
		cmocka_unit_test(killed_mid_attach),
		cmocka_unit_test(bad_options),
		cmocka_unit_test(named_vf),
		cmocka_unit_test(first_pf_not_vic),
		cmocka_unit_test(max_ports_10_at_once),
		cmocka_unit_test(max_ports_50_at_once),
		cmocka_unit_test(batch_failure_at_each_step),
		cmocka_unit_test(batch_reserves_in_one_write),
		cmocka_unit_test(batch_of_each_association),
		cmocka_unit_test(batch_max_ports),
		cmocka_unit_test(batch_bad_arguments),
		cmocka_unit_test(batch_concurrent_with_single),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
