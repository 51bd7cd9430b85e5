/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Benchmark: a full SR-IOV inventory of a large simulated host.
 *
 * One inventory walks every PF with vmfex_pf_foreach() and every VF with
 * vmfex_pf_foreach_vf(), reading every property the API offers (PCI
 * names from pci.ids included), the way an orchestration agent's periodic
 * report does. The program prints the wall time of each inventory as
 * min/median/max, and the number of PFs and VFs seen; it checks that all
 * inventories saw the same host, and the number of VFs (1024 for the
 * default host, examples/hosts/large-4x256.json).
 *
 * Usage: bench-inventory [OPTIONS] [SIMDIR]
 *   --iterations N      timed inventories (default 20; 0: setup only)
 *   --warmup N          untimed inventories first (default 0)
 *   --sim DIR           use this existing simulated host (as SIMDIR)
 *   --create DIR        create the simulated host in DIR and keep it
 *   --description FILE  host description for creation
 *                       (default examples/hosts/large-4x256.json)
 *   --expect-vfs N      VFs an inventory must see (default 1024 with the
 *                       default description; -1: do not check)
 *   --verbose           print the inventory once
 * Without --sim or --create, the host is created in a temporary directory
 * (under $TMPDIR) that is removed at exit; its creation is timed apart.
 *
 * Exit status: 0; 1 when an inventory differs from the others or from
 * --expect-vfs; 2 for a usage or setup error. Wall-clock figures are for
 * comparison between runs, never asserted on. */
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libvmfex/libvmfex.h>

#include "bench-common.h"

#define DEFAULT_VFS 1024

struct tally {
	unsigned int pfs, vfs;
	unsigned int vfs_with_ifname, vfs_with_driver, pfs_with_names;
	uint64_t hash;   /* of every value read, to tell one inventory from another */
};

/* FNV-1a over strings (NULL counts as its own value) and numbers. */
static void hash_bytes(struct tally *t, const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		t->hash = (t->hash ^ c[i]) * UINT64_C(1099511628211);
}

static void hash_str(struct tally *t, const char *s)
{
	if (s)
		hash_bytes(t, s, strlen(s) + 1);
	else
		hash_bytes(t, "\xff", 1);
}

static void hash_uint(struct tally *t, unsigned int v)
{
	hash_bytes(t, &v, sizeof(v));
}

static void inventory(struct vmfex_ctx *ctx, struct tally *t, bool print)
{
	struct vmfex_pf *pf;
	struct vmfex_vf *vf;

	memset(t, 0, sizeof(*t));
	t->hash = UINT64_C(14695981039346656037);
	vmfex_pf_foreach(ctx, pf) {
		const char *vendor = vmfex_pf_read_vendor_name(pf);
		const char *device = vmfex_pf_read_device_name(pf);
		const char *model = vmfex_pf_read_model(pf);

		t->pfs++;
		t->pfs_with_names += vendor && device && model;
		hash_str(t, vmfex_pf_get_pci(pf));
		hash_str(t, vmfex_pf_get_ifname(pf));
		hash_str(t, vmfex_pf_get_driver(pf));
		hash_uint(t, vmfex_pf_get_vendor_id(pf));
		hash_uint(t, vmfex_pf_get_device_id(pf));
		hash_uint(t, vmfex_pf_get_subsystem_vendor_id(pf));
		hash_uint(t, vmfex_pf_get_subsystem_device_id(pf));
		hash_str(t, vendor);
		hash_str(t, device);
		hash_str(t, model);
		hash_uint(t, vmfex_pf_is_vic(pf));
		hash_uint(t, vmfex_pf_get_total_vfs(pf));
		hash_uint(t, vmfex_pf_get_num_vfs(pf));
		if (print)
			printf("PF %s %s %s %04x:%04x %04x:%04x '%s' '%s' '%s' VFs %u/%u\n",
			       vmfex_pf_get_pci(pf), vmfex_pf_get_ifname(pf) ?: "-",
			       vmfex_pf_get_driver(pf) ?: "-", vmfex_pf_get_vendor_id(pf),
			       vmfex_pf_get_device_id(pf), vmfex_pf_get_subsystem_vendor_id(pf),
			       vmfex_pf_get_subsystem_device_id(pf), vendor ?: "?", device ?: "?",
			       model ?: "?", vmfex_pf_get_num_vfs(pf), vmfex_pf_get_total_vfs(pf));
		vmfex_pf_foreach_vf(pf, vf) {
			const char *ifname = vmfex_vf_get_ifname(vf);
			const char *driver = vmfex_vf_get_driver(vf);

			t->vfs++;
			t->vfs_with_ifname += ifname != NULL;
			t->vfs_with_driver += driver != NULL;
			hash_uint(t, vmfex_vf_get_index(vf));
			hash_str(t, vmfex_vf_get_pci(vf));
			hash_str(t, ifname);
			hash_str(t, driver);
			hash_uint(t, vmfex_vf_get_device_id(vf));
			if (print)
				printf("  VF %u %s %s %s %04x\n", vmfex_vf_get_index(vf),
				       vmfex_vf_get_pci(vf), ifname ?: "-", driver ?: "-",
				       vmfex_vf_get_device_id(vf));
		}
	}
}

static unsigned long parse_count(const char *opt, const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-') {
		fprintf(stderr, "bench-inventory: %s: '%s' is not a count\n", opt, s);
		exit(2);
	}
	return v;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: bench-inventory [--iterations N] [--warmup N] [--sim DIR | --create DIR]\n"
	           "                       [--description FILE] [--expect-vfs N] [--verbose] [SIMDIR]\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "iterations", required_argument, NULL, 'n' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "sim", required_argument, NULL, 's' },
		{ "create", required_argument, NULL, 'c' },
		{ "description", required_argument, NULL, 'd' },
		{ "expect-vfs", required_argument, NULL, 'e' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long iterations = 20, warmup = 0;
	const char *sim_dir = NULL, *create_dir = NULL, *description = NULL;
	long expect_vfs = -2; /* -2: the default */
	bool verbose = false;
	char tmpdir[4096] = "";
	struct vmfex_ctx *ctx = NULL;
	struct tally first = { 0 }, t;
	double *times = NULL, t0, setup_create = -1, setup_ctx;
	int opt, status = 0;

	while ((opt = getopt_long(argc, argv, "n:w:s:c:d:e:vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			iterations = parse_count("--iterations", optarg);
			break;
		case 'w':
			warmup = parse_count("--warmup", optarg);
			break;
		case 's':
			sim_dir = optarg;
			break;
		case 'c':
			create_dir = optarg;
			break;
		case 'd':
			description = optarg;
			break;
		case 'e':
			expect_vfs = strcmp(optarg, "-1") == 0 ? -1
			                                       : (long)parse_count("--expect-vfs", optarg);
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc && !sim_dir)
		sim_dir = argv[optind++];
	if (optind < argc || (sim_dir && create_dir) || (sim_dir && description)) {
		usage(stderr);
		return 2;
	}
	if (expect_vfs == -2)
		expect_vfs = sim_dir || description ? -1 : DEFAULT_VFS;
	if (!description)
		description = bench_default_description();

	if (!sim_dir) {
		struct vmfex_new_opts opts = { .sz = sizeof(opts), .ignore_env = 1 };
		struct vmfex_ctx *log_ctx;
		int r;

		if (!create_dir) {
			const char *base = getenv("TMPDIR");

			snprintf(tmpdir, sizeof(tmpdir), "%s/vmfex-bench-XXXXXX",
			         base && *base ? base : "/tmp");
			if (!mkdtemp(tmpdir)) {
				fprintf(stderr, "bench-inventory: mkdtemp: %s\n", strerror(errno));
				return 2;
			}
			static char host[4096 + 8];
			snprintf(host, sizeof(host), "%s/host", tmpdir);
			create_dir = host;
		}
		r = vmfex_new_with_opts(&opts, &log_ctx);
		if (r < 0) {
			fprintf(stderr, "bench-inventory: vmfex_new: %s\n", strerror(-r));
			status = 2;
			goto out;
		}
		t0 = bench_now_ms();
		r = vmfex_sim_create(log_ctx, create_dir, description);
		setup_create = bench_now_ms() - t0;
		vmfex_unref(log_ctx);
		if (r < 0) {
			fprintf(stderr, "bench-inventory: creating a simulated host from %s in %s: %s\n",
			        description, create_dir, strerror(-r));
			status = 2;
			goto out;
		}
		sim_dir = create_dir;
	}

	{
		struct vmfex_new_opts opts = { .sz = sizeof(opts), .sim_dir = sim_dir };
		int r;

		t0 = bench_now_ms();
		r = vmfex_new_with_opts(&opts, &ctx);
		setup_ctx = bench_now_ms() - t0;
		if (r < 0) {
			fprintf(stderr, "bench-inventory: opening the simulated host %s: %s\n", sim_dir,
			        strerror(-r));
			status = 2;
			goto out;
		}
	}

	printf("host: %s\n", sim_dir);
	if (setup_create >= 0)
		printf("setup: sim create %.1f ms (%s)\n", setup_create, description);
	printf("setup: context %.2f ms\n", setup_ctx);

	for (unsigned long i = 0; i < warmup; i++) {
		inventory(ctx, &t, verbose && i == 0);
		if (i == 0)
			first = t;
	}
	times = calloc(iterations ? iterations : 1, sizeof(*times));
	if (!times) {
		status = 2;
		goto out;
	}
	for (unsigned long i = 0; i < iterations; i++) {
		t0 = bench_now_ms();
		inventory(ctx, &t, verbose && warmup == 0 && i == 0);
		times[i] = bench_now_ms() - t0;
		if (warmup == 0 && i == 0)
			first = t;
		if (t.pfs != first.pfs || t.vfs != first.vfs || t.hash != first.hash) {
			fprintf(stderr, "bench-inventory: inventory %lu saw %u PFs, %u VFs (hash %016" PRIx64
			        "), the first %u PFs, %u VFs (hash %016" PRIx64 ")\n", i + 1, t.pfs,
			        t.vfs, t.hash, first.pfs, first.vfs, first.hash);
			status = 1;
		}
	}
	if (iterations + warmup == 0) {
		printf("inventories: none (setup only)\n");
		goto out;
	}
	if (iterations > 0) {
		double first_ms = times[0], sum = 0, median;

		for (unsigned long i = 0; i < iterations; i++)
			sum += times[i];
		median = bench_median(times, (long)iterations);
		printf("inventory: %lu iterations (after %lu warm-up): min %.2f ms, median %.2f ms, "
		       "max %.2f ms, mean %.2f ms, first %.2f ms\n", iterations, warmup, times[0],
		       median, times[iterations - 1], sum / (double)iterations, first_ms);
	}
	printf("pfs: %u (%u with pci.ids names)\n", first.pfs, first.pfs_with_names);
	printf("vfs: %u (%u with a netdev, %u with a driver)\n", first.vfs, first.vfs_with_ifname,
	       first.vfs_with_driver);
	if (expect_vfs >= 0 && first.vfs != (unsigned long)expect_vfs) {
		fprintf(stderr, "bench-inventory: %u VFs seen, %ld expected\n", first.vfs, expect_vfs);
		status = 1;
	}
out:
	free(times);
	vmfex_unref(ctx);
	if (tmpdir[0])
		bench_rm_tree(tmpdir);
	return status;
}
