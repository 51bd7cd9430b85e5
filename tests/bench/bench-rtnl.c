/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rtnetlink figures on a simulated VIC (printed, never asserted):
 *  - decode of one RTM_NEWLINK of PFs with 256, 1024 and 4096 VFs, every VF
 *    associated with its own MAC and instance UUID: µs per VF and how many
 *    VFs came out right, by libvmfex and by its peers on the same bytes:
 *    libnl-route-3 (linked into this program only), pyroute2 and iproute2
 *    where installed (peer-pyroute2.py, peer-iproute2.sh);
 *  - one association with the adapter's latency at 50 ms;
 *  - a batch of 256 associations with the same latency, against one:
 *    the median and the worst ratio of --rounds interleaved rounds;
 *    libvirt's way, one port at a time on a 125 ms tick, needs about
 *    256 x 125 ms = 32 s.
 * Usage: bench-rtnl [--latency-ms N] [--iterations N] [--rounds N]
 *                   [--only decode|associate] */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/link/sriov.h>
#include <netlink/version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

/* Three VIC PFs of 256, 1024 and 4096 VFs: the decode figures and the
 * peers' table (README.md, "Performance"). */
static const char *peer_host =
	"{ \"description\": \"VIC PFs of 256, 1024 and 4096 VFs\", \"iommu\": true,"
	"  \"drivers\": [ { \"name\": \"enic\", \"vf_ops\": [\"mac\"], \"vf_port\": true } ],"
	"  \"devices\": ["
	"  { \"pci\": \"0000:20:00.0\", \"vendor\": \"0x1137\", \"device\": \"0x0043\","
	"    \"driver\": \"enic\", \"ifname\": \"enp32s0\", \"sriov\": { \"total_vfs\": 256,"
	"    \"num_vfs\": 256, \"vf_device\": \"0x0071\", \"vf_driver\": \"enic\" } },"
	"  { \"pci\": \"0000:40:00.0\", \"vendor\": \"0x1137\", \"device\": \"0x0043\","
	"    \"driver\": \"enic\", \"ifname\": \"enp64s0\", \"sriov\": { \"total_vfs\": 1024,"
	"    \"num_vfs\": 1024, \"vf_device\": \"0x0071\", \"vf_driver\": \"enic\" } },"
	"  { \"pci\": \"0000:80:00.0\", \"vendor\": \"0x1137\", \"device\": \"0x0043\","
	"    \"driver\": \"enic\", \"ifname\": \"enp128s0\", \"sriov\": { \"total_vfs\": 4096,"
	"    \"num_vfs\": 4096, \"vf_device\": \"0x0071\", \"vf_driver\": \"enic\" } } ] }";

static const struct {
	const char *pci, *ifname;
	unsigned int vfs;
} peer_pfs[] = {
	{ "0000:20:00.0", "enp32s0", 256 },
	{ "0000:40:00.0", "enp64s0", 1024 },
	{ "0000:80:00.0", "enp128s0", 4096 },
};

/* What VF i of PF p was given: every peer checks its decode against this. */
static void peer_mac(unsigned int p, unsigned int i, char mac[18])
{
	snprintf(mac, 18, "52:54:%02x:%02x:%02x:%02x", p + 1, (i >> 16) & 0xff, (i >> 8) & 0xff,
	         i & 0xff);
}

static void peer_uuid(unsigned int p, unsigned int i, char uuid[37])
{
	snprintf(uuid, 37, "8a6a0f55-0d9b-4a5b-9a8e-%04x%08x", p + 1, i);
}

/* Each VF of each PF associated with its own MAC and instance UUID. */
static void peer_setup(struct sim_fixture *f)
{
	for (unsigned int p = 0; p < ARRAY_SIZE(peer_pfs); p++) {
		unsigned int n = peer_pfs[p].vfs;
		struct vmfex_port **ports = calloc(n, sizeof(*ports));
		const struct vmfex_port_opts **opts = calloc(n, sizeof(*opts));
		struct vmfex_port_opts *each = calloc(n, sizeof(*each));
		char (*macs)[18] = calloc(n, sizeof(*macs)), (*uuids)[37] = calloc(n, sizeof(*uuids));
		int *results = calloc(n, sizeof(*results));
		struct vmfex_pf *pf;
		struct vmfex_vf *vf;

		if (!ports || !opts || !each || !macs || !uuids || !results ||
		    vmfex_pf_new_from_pci(f->ctx, peer_pfs[p].pci, &pf) < 0)
			exit(1);
		for (unsigned int i = 0; i < n; i++) {
			if (vmfex_pf_lookup_vf(pf, i, &vf) < 0 || vmfex_port_new_from_vf(vf, &ports[i]) < 0)
				exit(1);
			vmfex_vf_unref(vf);
			peer_mac(p, i, macs[i]);
			peer_uuid(p, i, uuids[i]);
			each[i] = (struct vmfex_port_opts){ .sz = sizeof(each[i]), .profile = "pp-vlan-25",
			                                    .instance_uuid = uuids[i], .mac = macs[i] };
			opts[i] = &each[i];
		}
		if (vmfex_port_associate_many(ports, opts, n, results) != 0) {
			fprintf(stderr, "associating %u ports failed:\n%s", n, f->log);
			exit(1);
		}
		for (unsigned int i = 0; i < n; i++)
			vmfex_port_unref(ports[i]);
		vmfex_pf_unref(pf);
		free(ports), free(opts), free(each), free(macs), free(uuids), free(results);
	}
}

/* VFs libvmfex decoded as given: index, MAC, profile, instance UUID. */
static unsigned int vmfex_correct(unsigned int p, struct vmfex_link *link)
{
	unsigned int ok = 0;

	for (unsigned int i = 0; i < peer_pfs[p].vfs; i++) {
		struct vmfex_link_vf *vf = vmfex_link_find_vf(link, i);
		const struct vmfex_port_state *ps = vf ? vmfex_link_vf_get_port(vf) : NULL;
		const char *mac = vf ? vmfex_link_vf_get_mac(vf) : NULL, *u, *prof;
		char want_mac[18], want_uuid[37];

		peer_mac(p, i, want_mac);
		peer_uuid(p, i, want_uuid);
		u = ps ? vmfex_port_state_get_instance_uuid(ps) : NULL;
		prof = ps ? vmfex_port_state_get_profile(ps) : NULL;
		ok += mac && strcmp(mac, want_mac) == 0 && u && strcmp(u, want_uuid) == 0 && prof &&
		      strcmp(prof, "pp-vlan-25") == 0;
	}
	return ok;
}

struct libnl_run {
	unsigned int p, ok;
	bool check;     /* the first run only: the others time the parse alone */
};

/* Each run reads every VF's address, as a user would; the first also
 * checks them. libnl has no port attributes: index and MAC are what it
 * can get right. */
static void libnl_parsed(struct nl_object *obj, void *arg)
{
	struct libnl_run *run = arg;
	struct rtnl_link *link = (struct rtnl_link *)obj;
	uint32_t num = 0;

	if (rtnl_link_get_num_vf(link, &num) < 0)
		return;
	for (uint32_t i = 0; i < peer_pfs[run->p].vfs; i++) {
		struct rtnl_link_vf *vf = rtnl_link_vf_get(link, i);
		struct nl_addr *addr;
		char got[32], want[18];

		if (!vf)
			continue;
		if (rtnl_link_vf_get_addr(vf, &addr) == 0 && run->check) {
			peer_mac(run->p, i, want);
			run->ok += strcmp(nl_addr2str(addr, got, sizeof(got)), want) == 0;
		}
		rtnl_link_vf_put(vf);
	}
	run->check = false;
}

static double median(double *t, int n)
{
	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

/* A peer run as a process on the bytes saved in path: it prints
 * "<us per message> <VFs right>". */
static int peer_command(const char *cmd, double *us, unsigned int *ok)
{
	FILE *out = popen(cmd, "r");
	int r;

	if (!out)
		return -errno;
	r = fscanf(out, "%lf %u", us, ok) == 2 ? 0 : -ENODATA;
	if (pclose(out) != 0)
		r = -ENODATA;
	return r;
}

static void bench_decode(int iterations)
{
	const char *src = getenv("VMFEX_SRCDIR");
	double *t = calloc((size_t)(iterations < 5 ? 5 : iterations), sizeof(*t));
	double sims[ARRAY_SIZE(peer_pfs)];
	struct sim_fixture f;

	if (!t || sim_fixture_open(&f, peer_host) < 0) {
		fprintf(stderr, "cannot make the simulated host:\n%s", f.log);
		exit(1);
	}
	vmfex_set_log_priority(f.ctx, LOG_ERR);
	peer_setup(&f);
	printf("decode of one RTM_NEWLINK and every VF's MAC read, median of %d runs "
	       "(pyroute2: at most 50; iproute2: one process):\nus per VF (VFs decoded right)\n",
	       iterations);
	printf("| VFs | bytes | libvmfex | libnl-route-3 %s | pyroute2 | iproute2 `ip -d monitor file` |\n",
	       LIBNL_VERSION);
	printf("|---|---|---|---|---|---|\n");
	for (unsigned int p = 0; p < ARRAY_SIZE(peer_pfs); p++) {
		struct vmfex_buf reply = { 0 };
		struct libnl_run run = { .p = p, .check = true };
		struct nl_msg *msg = vmfex_rtnl_getlink_new(peer_pfs[p].ifname), *copy;
		unsigned int n = peer_pfs[p].vfs, ok = 0, py_ok = 0, ip_ok = 0, macs_seen = 0;
		double vmfex_us, libnl_us, py_us = -1, ip_us = -1, getlink_ms;
		char path[] = "/tmp/bench-rtnl-XXXXXX", cmd[1024], py[64] = "not installed",
		     ip[64] = "not installed";
		int fd;

		for (int i = 0; i < 5; i++) {
			double t0 = now_ms();

			vmfex_buf_free(&reply);
			if (!msg || vmfex_rtnl_transact(f.ctx, msg, &reply) < 0) {
				fprintf(stderr, "GETLINK failed:\n%s", f.log);
				exit(1);
			}
			t[i] = now_ms() - t0;
		}
		getlink_ms = median(t, 5);
		nlmsg_free(msg);
		for (int i = 0; i < iterations; i++) {
			struct vmfex_link link = { 0 };
			double t0 = now_ms();

			if (vmfex_link_parse(f.ctx, reply.data, reply.len, &link) < 0)
				exit(1);
			for (struct vmfex_link_vf *vf = vmfex_link_next_vf(&link, NULL); vf;
			     vf = vmfex_link_next_vf(&link, vf))
				macs_seen += vmfex_link_vf_get_mac(vf) != NULL;
			t[i] = now_ms() - t0;
			if (i == 0)
				ok = vmfex_correct(p, &link);
			vmfex_link_clear(&link);
		}
		vmfex_us = median(t, iterations) * 1e3;
		if (macs_seen != n * (unsigned int)iterations)
			ok = 0;
		copy = nlmsg_convert((struct nlmsghdr *)reply.data);
		if (!copy)
			exit(1);
		nlmsg_set_proto(copy, NETLINK_ROUTE);
		for (int i = 0; i < iterations; i++) {
			double t0 = now_ms();

			nl_msg_parse(copy, libnl_parsed, &run);
			t[i] = now_ms() - t0;
		}
		libnl_us = median(t, iterations) * 1e3;
		nlmsg_free(copy);
		fd = mkstemp(path);
		if (fd < 0 || write(fd, reply.data, reply.len) != (ssize_t)reply.len)
			exit(1);
		close(fd);
		snprintf(cmd, sizeof(cmd), "python3 %s/tests/bench/peer-pyroute2.py %s %u %u %d "
		         "2>/dev/null", src ? src : ".", path, p + 1, n, iterations);
		if (peer_command(cmd, &py_us, &py_ok) == 0)
			snprintf(py, sizeof(py), "%.3f (%u)", py_us / n, py_ok);
		snprintf(cmd, sizeof(cmd), "%s/tests/bench/peer-iproute2.sh %s %u %u 2>/dev/null",
		         src ? src : ".", path, p + 1, n);
		if (peer_command(cmd, &ip_us, &ip_ok) == 0 && ip_us < 0)
			snprintf(ip, sizeof(ip), "refused (0)");
		else if (ip_us >= 0)
			snprintf(ip, sizeof(ip), "%.3f (%u)", ip_us / n, ip_ok);
		unlink(path);
		printf("| %u | %zu | %.3f (%u) | %.3f (%u) | %s | %s |\n", n, reply.len, vmfex_us / n,
		       ok, libnl_us / n, run.ok, py, ip);
		vmfex_buf_free(&reply);
		sims[p] = getlink_ms;
	}
	for (unsigned int p = 0; p < ARRAY_SIZE(peer_pfs); p++)
		printf("simulated host: RTM_GETLINK of a PF with %u VFs answered in %.2f ms "
		       "(median of 5)\n", peer_pfs[p].vfs, sims[p]);
	free(t);
	sim_fixture_close(&f);
}

/* The ports of the association figures: 256 VFs of one PF for the batch,
 * and a VF of another PF for the single association, so that neither
 * touches the other's PF. */
struct assoc_bench {
	struct sim_fixture f;
	struct vmfex_port *ports[256], *single;
	const struct vmfex_port_opts *opts[256];
	struct vmfex_port_opts each[256], one, down;
	char macs[256][18];
	int results[256];
};

static void assoc_setup(struct assoc_bench *b, unsigned int latency_ms)
{
	static const char *instance = "8a6a0f55-0d9b-4a5b-9a8e-6f1c2b3d4e5f";
	struct vmfex_pf *pf;
	struct vmfex_vf *vf;

	if (sim_fixture_open(&b->f, "large-4x256.json") < 0) {
		fprintf(stderr, "cannot make the simulated host:\n%s", b->f.log);
		exit(1);
	}
	vmfex_set_log_priority(b->f.ctx, LOG_ERR);
	if (vmfex_sim_set_latency(b->f.ctx, latency_ms) < 0 ||
	    vmfex_pf_new_from_pci(b->f.ctx, "0000:10:00.0", &pf) < 0)
		exit(1);
	b->one = (struct vmfex_port_opts){ .sz = sizeof(b->one), .profile = "pp-vlan-25",
	                                   .instance_uuid = instance };
	b->down = (struct vmfex_port_opts){ .sz = sizeof(b->down) };
	for (unsigned int i = 0; i < 256; i++) {
		if (vmfex_pf_lookup_vf(pf, i, &vf) < 0 || vmfex_port_new_from_vf(vf, &b->ports[i]) < 0)
			exit(1);
		vmfex_vf_unref(vf);
		/* enic registers the VF's MAC with the port: each its own. */
		snprintf(b->macs[i], sizeof(b->macs[i]), "52:54:00:10:%02x:%02x", i >> 8, i & 0xff);
		b->each[i] = b->one;
		b->each[i].mac = b->macs[i];
		b->opts[i] = &b->each[i];
	}
	vmfex_pf_unref(pf);
	if (vmfex_pf_new_from_pci(b->f.ctx, "0000:20:00.0", &pf) < 0 ||
	    vmfex_pf_lookup_vf(pf, 0, &vf) < 0 || vmfex_port_new_from_vf(vf, &b->single) < 0)
		exit(1);
	vmfex_vf_unref(vf);
	vmfex_pf_unref(pf);
	b->one.mac = "52:54:00:20:00:00";
}

/* One association, then the port taken down again (not timed). */
static double assoc_one(struct assoc_bench *b)
{
	double t0 = now_ms(), ms;

	if (vmfex_port_associate(b->single, &b->one) < 0) {
		fprintf(stderr, "association failed:\n%s", b->f.log);
		exit(1);
	}
	ms = now_ms() - t0;
	if (vmfex_port_disassociate(b->single, &b->down) < 0)
		exit(1);
	return ms;
}

/* The batch of 256 associations, then of 256 disassociations: both
 * times, the ports left as the round found them. */
static void assoc_batch(struct assoc_bench *b, double *up, double *down)
{
	double t0 = now_ms();
	int failed;

	failed = vmfex_port_associate_many(b->ports, b->opts, 256, b->results);
	*up = now_ms() - t0;
	if (failed != 0) {
		fprintf(stderr, "%d associations of the batch failed:\n%s", failed, b->f.log);
		exit(1);
	}
	t0 = now_ms();
	failed = vmfex_port_disassociate_many(b->ports, &b->down, 256, b->results);
	*down = now_ms() - t0;
	if (failed != 0) {
		fprintf(stderr, "%d disassociations of the batch failed:\n%s", failed, b->f.log);
		exit(1);
	}
}

/* Rounds of one association and a batch of 256, interleaved (which goes
 * first alternates), each from ports that are disassociated and answered:
 * the median and the worst of the rounds' batch/one ratios. */
static void bench_associate(unsigned int latency_ms, int rounds)
{
	double *one = calloc((size_t)rounds, sizeof(*one)), *batch = calloc((size_t)rounds, sizeof(*batch));
	double *down = calloc((size_t)rounds, sizeof(*down)), *ratio = calloc((size_t)rounds, sizeof(*ratio));
	struct assoc_bench *b = calloc(1, sizeof(*b));
	double worst = 0;

	if (!one || !batch || !down || !ratio || !b)
		exit(1);
	assoc_setup(b, latency_ms);
	/* Each PF's port records exist before the first timed request. */
	assoc_one(b);
	assoc_batch(b, &batch[0], &down[0]);
	for (int k = 0; k < rounds; k++) {
		if (k % 2 == 0)
			one[k] = assoc_one(b);
		assoc_batch(b, &batch[k], &down[k]);
		if (k % 2 == 1)
			one[k] = assoc_one(b);
		ratio[k] = batch[k] / one[k];
		if (ratio[k] > worst)
			worst = ratio[k];
	}
	printf("associate, %d rounds of one port and a batch of 256 (interleaved), %u ms adapter "
	       "latency:\n", rounds, latency_ms);
	printf("associate: batch/one %.2fx median, %.2fx worst\n", median(ratio, rounds), worst);
	printf("associate: one port %.1f ms, batch of 256 ports %.1f ms (medians); one at a time "
	       "on libvirt's 125 ms tick: about %.0f ms\n", median(one, rounds), median(batch, rounds),
	       256 * 125.0 * ((latency_ms + 124) / 125));
	printf("disassociate: batch of 256 ports %.1f ms (median)\n", median(down, rounds));
	for (unsigned int i = 0; i < 256; i++)
		vmfex_port_unref(b->ports[i]);
	vmfex_port_unref(b->single);
	sim_fixture_close(&b->f);
	free(b), free(one), free(batch), free(down), free(ratio);
}

int main(int argc, char **argv)
{
	unsigned int latency_ms = 50;
	int iterations = 200, rounds = 10;
	const char *only = NULL;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--latency-ms") == 0)
			latency_ms = (unsigned int)atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--iterations") == 0)
			iterations = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--rounds") == 0)
			rounds = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--only") == 0)
			only = argv[i + 1];
	}
	if (iterations < 1)
		iterations = 1;
	if (rounds < 1)
		rounds = 1;
	if (!only || strcmp(only, "decode") == 0)
		bench_decode(iterations);
	if (!only || strcmp(only, "associate") == 0)
		bench_associate(latency_ms, rounds);
	return 0;
}
