/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Benchmark of the catalog: load and save of a catalog of 4096 profiles
 * with 4096 VLANs (one each, UCS Manager's OpenStack naming), and import
 * of a UCS Manager configResolveClass response of the same size. Prints
 * the median and the best of N runs of each, in ms.
 *
 *   bench-catalog [--iterations N] [--profiles N] [--dir DIR] */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libvmfex/libvmfex.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *what, double *t, int n)
{
	qsort(t, (size_t)n, sizeof(*t), cmp);
	printf("%-44s median %8.2f ms  best %8.2f ms\n", what, t[n / 2], t[0]);
}

static void die(const char *what, int r)
{
	fprintf(stderr, "bench-catalog: %s failed: %d\n", what, r);
	exit(1);
}

int main(int argc, char **argv)
{
	int iterations = 10, profiles = 4096, c, r;
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	static const struct option options[] = {
		{ "iterations", required_argument, NULL, 'i' },
		{ "profiles", required_argument, NULL, 'p' },
		{ "dir", required_argument, NULL, 'd' },
		{}
	};
	struct vmfex_catalog *cat, *loaded;
	struct vmfex_ctx *ctx;
	char path[512], *ucsm;
	size_t cap, len = 0, catlen;
	double *t;
	char *buf;

	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (c == 'i')
			iterations = atoi(optarg);
		else if (c == 'p')
			profiles = atoi(optarg);
		else if (c == 'd')
			dir = optarg;
		else
			return 2;
	}
	if (iterations < 1 || profiles < 1)
		return 2;
	t = calloc((size_t)iterations, sizeof(*t));
	if (vmfex_new(&ctx) < 0 || !t)
		return 1;
	snprintf(path, sizeof(path), "%s/bench-catalog-%d.xml", dir, (int)getpid());

	/* The catalog: profiles OS-PP-<n>, each with its own VLAN. */
	if ((r = vmfex_catalog_new(ctx, &cat)) < 0)
		die("new", r);
	for (int i = 0; i < profiles; i++) {
		struct vmfex_profile *p;
		char name[32], vlan[32];

		snprintf(name, sizeof(name), "OS-PP-%d", i + 1);
		snprintf(vlan, sizeof(vlan), "OS-VLAN-%d", i + 1);
		if ((r = vmfex_catalog_add_profile(cat, name, &p)) < 0 ||
		    (r = vmfex_profile_set_vlan(p, vlan, (unsigned)(i % 4093 + 1), true)) < 0 ||
		    (r = vmfex_profile_set_descr(p, "OpenStack port profile")) < 0 ||
		    (r = vmfex_profile_set_host_nw_io_perf(p, VMFEX_HOST_NW_IO_PERF_HIGH_PERF_REQD)) < 0 ||
		    (r = vmfex_profile_add_client(p, "default")) < 0)
			die("building", r);
		vmfex_profile_unref(p);
	}
	if ((r = vmfex_catalog_write_buffer(cat, &buf, &catlen)) < 0)
		die("write_buffer", r);
	free(buf);
	printf("catalog: %d profiles, %d VLANs, %zu bytes\n", profiles, profiles, catlen);

	for (int i = 0; i < iterations; i++) {
		t[i] = now_ms();
		if ((r = vmfex_catalog_save(cat, path)) < 0)
			die("save", r);
		t[i] = now_ms() - t[i];
	}
	report("save (atomic, fsync)", t, iterations);
	for (int i = 0; i < iterations; i++) {
		t[i] = now_ms();
		if ((r = vmfex_catalog_write_buffer(cat, &buf, &catlen)) < 0)
			die("write_buffer", r);
		t[i] = now_ms() - t[i];
		free(buf);
	}
	report("serialise only (write_buffer)", t, iterations);
	for (int i = 0; i < iterations; i++) {
		t[i] = now_ms();
		if ((r = vmfex_catalog_open(ctx, path, NULL, &loaded)) < 0)
			die("open", r);
		t[i] = now_ms() - t[i];
		vmfex_catalog_unref(loaded);
	}
	report("load (parse, schema check, model rules)", t, iterations);

	/* A UCS Manager response of the same size. */
	cap = (size_t)profiles * 1024 + 1024;
	ucsm = malloc(cap);
	if (!ucsm)
		return 1;
	len += (size_t)snprintf(ucsm + len, cap - len, "<configResolveClass cookie=\"x\" response=\"yes\" classId=\"vnicProfile\"><outConfigs>");
	for (int i = 0; i < profiles; i++)
		len += (size_t)snprintf(ucsm + len, cap - len,
			"<vnicProfile childAction=\"deleteNonPresent\" configState=\"applied\" descr=\"OpenStack port profile\" dn=\"fabric/lan/profiles/vnic-OS-PP-%d\" hostNwIOPerf=\"high-perf-reqd\" maxPorts=\"64\" name=\"OS-PP-%d\" nwCtrlPolicyName=\"\" pinToGroupName=\"\" policyOwner=\"local\" portProfileUuid=\"6a7d2b1e-4f3c-4e8a-9b5d-%012d\" qosPolicyName=\"\" status=\"\" type=\"regular\">"
			"<vnicEtherIf addr=\"derived\" childAction=\"deleteNonPresent\" defaultNet=\"yes\" dn=\"fabric/lan/profiles/vnic-OS-PP-%d/if-OS-VLAN-%d\" name=\"OS-VLAN-%d\" rn=\"if-OS-VLAN-%d\" switchId=\"A\" type=\"ether\" vnet=\"%d\"/>"
			"<vmVnicProfCl childAction=\"deleteNonPresent\" dcName=\"All\" dn=\"fabric/lan/profiles/vnic-OS-PP-%d/cl-default\" name=\"default\" orgPath=\".*\" rn=\"cl-default\" swName=\"default\"/>"
			"</vnicProfile>",
			i + 1, i + 1, i, i + 1, i + 1, i + 1, i + 1, i % 4093 + 1, i + 1);
	len += (size_t)snprintf(ucsm + len, cap - len, "</outConfigs></configResolveClass>");
	printf("UCS Manager response: %d profiles, %zu bytes\n", profiles, len);
	for (int i = 0; i < iterations; i++) {
		struct vmfex_catalog *into;

		if ((r = vmfex_catalog_new(ctx, &into)) < 0)
			die("new", r);
		t[i] = now_ms();
		r = vmfex_catalog_import_ucsm(into, ucsm, len);
		t[i] = now_ms() - t[i];
		if (r != profiles)
			die("import", r);
		vmfex_catalog_unref(into);
	}
	report("import into an empty catalog", t, iterations);
	for (int i = 0; i < iterations; i++) {
		t[i] = now_ms();
		r = vmfex_catalog_import_ucsm(cat, ucsm, len);
		t[i] = now_ms() - t[i];
		if (r != profiles)
			die("import", r);
	}
	report("import replacing every profile", t, iterations);

	free(ucsm);
	unlink(path);
	{
		char lock[600];

		snprintf(lock, sizeof(lock), "%s.lock", path);
		unlink(lock);
	}
	free(t);
	vmfex_catalog_unref(cat);
	vmfex_unref(ctx);
	return 0;
}
