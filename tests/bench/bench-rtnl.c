/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rtnetlink figures on a simulated VIC (printed, never asserted):
 *  - decode of one RTM_NEWLINK of a PF with 1024 VFs: bytes, µs per VF;
 *  - one association with the adapter's latency at 50 ms;
 *  - a batch of 256 associations with the same latency, against one;
 *    libvirt's way, one port at a time on a 125 ms tick, needs about
 *    256 x 125 ms = 32 s.
 * Usage: bench-rtnl [--latency-ms N] [--iterations N] */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libvmfex-private.h"
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

/* A VIC PF with 1024 VFs spread over four buses. */
static const char *big_pf =
	"{ \"description\": \"one VIC PF with 1024 VFs\", \"iommu\": true,"
	"  \"drivers\": [ { \"name\": \"enic\", \"vf_ops\": [\"mac\"], \"vf_port\": true } ],"
	"  \"devices\": [ { \"pci\": \"0000:80:00.0\", \"vendor\": \"0x1137\", \"device\": \"0x0043\","
	"    \"subsystem_vendor\": \"0x1137\", \"subsystem_device\": \"0x012c\", \"driver\": \"enic\","
	"    \"ifname\": \"enp128s0\", \"sriov\": { \"total_vfs\": 1024, \"num_vfs\": 1024,"
	"    \"vf_device\": \"0x0071\", \"vf_driver\": \"enic\" } } ] }";

static void bench_decode(int iterations)
{
	struct sim_fixture f;
	struct vmfex_nlbuf reply = { 0 };
	struct nl_msg *msg;
	double *t = calloc((size_t)iterations, sizeof(*t));
	size_t vfs = 0;

	if (sim_fixture_open(&f, big_pf) < 0) {
		fprintf(stderr, "cannot make the simulated host:\n%s", f.log);
		exit(1);
	}
	vmfex_set_log_priority(f.ctx, LOG_ERR);
	msg = vmfex_rtnl_getlink_new("enp128s0");
	if (!msg || vmfex_rtnl_transact(f.ctx, msg, &reply) < 0) {
		fprintf(stderr, "GETLINK failed:\n%s", f.log);
		exit(1);
	}
	nlmsg_free(msg);
	for (int i = 0; i < iterations; i++) {
		struct vmfex_link link = { 0 };
		double t0 = now_ms();

		if (vmfex_link_parse(f.ctx, reply.data, reply.len, &link) < 0)
			exit(1);
		t[i] = now_ms() - t0;
		vfs = link.n_vfs;
		vmfex_link_clear(&link);
	}
	qsort(t, (size_t)iterations, sizeof(*t), cmp_double);
	printf("decode: RTM_NEWLINK of %zu bytes, %zu VFs: median %.1f us (%.3f us per VF), "
	       "min %.1f us, %d runs\n", reply.len, vfs, t[iterations / 2] * 1e3,
	       t[iterations / 2] * 1e3 / (double)(vfs ? vfs : 1), t[0] * 1e3, iterations);
	vmfex_nlbuf_free(&reply);
	free(t);
	sim_fixture_close(&f);
}

static void bench_associate(unsigned int latency_ms)
{
	static const char *instance = "8a6a0f55-0d9b-4a5b-9a8e-6f1c2b3d4e5f";
	struct vmfex_port_opts o = { .sz = sizeof(o), .profile = "pp-vlan-25",
	                             .instance_uuid = instance };
	struct vmfex_port *ports[256], *single;
	const struct vmfex_port_opts *opts[256];
	struct vmfex_port_opts each[256];
	char macs[256][18];
	struct sim_fixture f;
	struct vmfex_pf *pf;
	struct vmfex_vf *vf;
	int results[256], failed;
	double t0, one, batch, down;

	if (sim_fixture_open(&f, "large-4x256.json") < 0) {
		fprintf(stderr, "cannot make the simulated host:\n%s", f.log);
		exit(1);
	}
	vmfex_set_log_priority(f.ctx, LOG_ERR);
	if (vmfex_sim_set_latency(f.ctx, latency_ms) < 0 ||
	    vmfex_pf_new_from_pci(f.ctx, "0000:10:00.0", &pf) < 0)
		exit(1);
	for (unsigned int i = 0; i < 256; i++) {
		if (vmfex_pf_lookup_vf(pf, i, &vf) < 0 || vmfex_port_new_from_vf(vf, &ports[i]) < 0)
			exit(1);
		vmfex_vf_unref(vf);
		/* enic registers the VF's MAC with the port: each its own. */
		snprintf(macs[i], sizeof(macs[i]), "52:54:00:10:%02x:%02x", i >> 8, i & 0xff);
		each[i] = o;
		each[i].mac = macs[i];
		opts[i] = &each[i];
	}
	/* One port, a VF of another PF, so the batch's PF starts untouched. */
	vmfex_pf_unref(pf);
	if (vmfex_pf_new_from_pci(f.ctx, "0000:20:00.0", &pf) < 0 || vmfex_pf_lookup_vf(pf, 0, &vf) < 0 ||
	    vmfex_port_new_from_vf(vf, &single) < 0)
		exit(1);
	vmfex_vf_unref(vf);
	o.mac = "52:54:00:20:00:00";
	t0 = now_ms();
	if (vmfex_port_associate(single, &o) < 0) {
		fprintf(stderr, "association failed:\n%s", f.log);
		exit(1);
	}
	one = now_ms() - t0;
	vmfex_port_unref(single);
	t0 = now_ms();
	failed = vmfex_port_associate_many(ports, opts, 256, results);
	batch = now_ms() - t0;
	t0 = now_ms();
	vmfex_port_disassociate_many(ports, &o, 256, results);
	down = now_ms() - t0;
	printf("associate: one port %.1f ms with %u ms adapter latency\n", one, latency_ms);
	printf("associate: batch of 256 ports %.1f ms (%.2fx one), %d failed; "
	       "one at a time on libvirt's 125 ms tick: about %.0f ms\n", batch, batch / one, failed,
	       256 * 125.0 * ((latency_ms + 124) / 125));
	printf("disassociate: batch of 256 ports %.1f ms\n", down);
	for (unsigned int i = 0; i < 256; i++)
		vmfex_port_unref(ports[i]);
	vmfex_pf_unref(pf);
	sim_fixture_close(&f);
}

int main(int argc, char **argv)
{
	unsigned int latency_ms = 50;
	int iterations = 200;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--latency-ms") == 0)
			latency_ms = (unsigned int)atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--iterations") == 0)
			iterations = atoi(argv[i + 1]);
	}
	if (iterations < 1)
		iterations = 1;
	bench_decode(iterations);
	bench_associate(latency_ms);
	return 0;
}
