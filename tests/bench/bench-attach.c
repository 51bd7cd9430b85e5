/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Attach then detach of many VMs on the large simulated host (4 PFs of
 * 256 VFs) with an adapter latency, by one process and by several at
 * once, and in one call (vmfex_attach_many()) against one attach, the
 * median and the worst of --rounds interleaved rounds: total times, and
 * time per attach (printed, never asserted).
 * Usage: bench-attach [--vms N] [--procs P] [--latency-ms MS] [--batch-only]
 *                     [--rounds N] [--topology passthrough|hostdev] [--pf PF]
 *                     [DESCRIPTION] */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../sim/sim-fixture.h"

#ifndef BENCH_DEFAULT_DESCRIPTION
#define BENCH_DEFAULT_DESCRIPTION "large-4x256.json" /* in $VMFEX_SRCDIR/examples/hosts */
#endif

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void vm_uuid(int i, char buf[37])
{
	snprintf(buf, 37, "5a1e0000-0000-4000-8000-%012d", i);
}

/* Attach VMs first..last-1; their summed attach time in *sum_ms. */
static const char *bench_pf; /* --pf, or NULL: the first PF with a free VF */

/* The options of VM i; uuid and name are its buffers. */
static struct vmfex_attach_opts vm_opts(int i, enum vmfex_xml_topology topology, char uuid[37],
                                        char name[32])
{
	struct vmfex_attach_opts o = { .sz = sizeof(o), .profile = "pp-bench",
	                               .topology = topology, .pf = bench_pf };

	vm_uuid(i, uuid);
	snprintf(name, 32, "vm%d", i);
	o.vm_uuid = uuid;
	o.vm_name = name;
	return o;
}

static int attach_range(struct vmfex_ctx *ctx, int first, int last,
                        enum vmfex_xml_topology topology, double *sum_ms)
{
	*sum_ms = 0;
	for (int i = first; i < last; i++) {
		char uuid[37], name[32];
		struct vmfex_attach_opts o = vm_opts(i, topology, uuid, name);
		char *xml = NULL;
		double t0 = now_ms();
		int r;

		r = vmfex_attach(ctx, &o, &xml);
		*sum_ms += now_ms() - t0;
		if (r < 0) {
			fprintf(stderr, "bench-attach: attach of VM %d: %s\n", i, strerror(-r));
			return r;
		}
		free(xml);
	}
	return 0;
}

static int detach_range(struct vmfex_ctx *ctx, int first, int last)
{
	for (int i = first; i < last; i++) {
		char uuid[37];
		int r;

		vm_uuid(i, uuid);
		r = vmfex_detach(ctx, uuid);
		if (r != 1) {
			fprintf(stderr, "bench-attach: detach of VM %d: %d\n", i, r);
			return r < 0 ? r : -EIO;
		}
	}
	return 0;
}

static void print_row(const char *what, int vms, double attach_ms, double sum_ms,
                      double detach_ms)
{
	printf("%-14s %4d VMs  attach %9.1f ms (%7.2f ms/attach wall, %7.2f ms/attach each)"
	       "  detach %9.1f ms (%7.2f ms/detach)  total %9.1f ms\n",
	       what, vms, attach_ms, attach_ms / vms, sum_ms / vms, detach_ms, detach_ms / vms,
	       attach_ms + detach_ms);
}

static int one_process(struct sim_fixture *f, int vms, enum vmfex_xml_topology topology)
{
	double t0, t1, t2, sum;

	t0 = now_ms();
	if (attach_range(f->ctx, 0, vms, topology, &sum) < 0)
		return 1;
	t1 = now_ms();
	if (detach_range(f->ctx, 0, vms) < 0)
		return 1;
	t2 = now_ms();
	print_row("1 process", vms, t1 - t0, sum, t2 - t1);
	return 0;
}

static int many_processes(struct sim_fixture *f, int vms, int procs,
                          enum vmfex_xml_topology topology)
{
	int go[2], attached[2], detach[2];
	pid_t *pids = calloc((size_t)procs, sizeof(*pids));
	double t0, t1, t2, sum = 0;
	int bad = 0;

	if (!pids || pipe(go) < 0 || pipe(attached) < 0 || pipe(detach) < 0)
		return 1;
	for (int p = 0; p < procs; p++) {
		pids[p] = fork();
		if (pids[p] < 0)
			return 1;
		if (pids[p] == 0) {
			struct vmfex_new_opts no = { .sz = sizeof(no), .sim_dir = f->dir,
			                             .ignore_env = 1 };
			struct vmfex_ctx *ctx;
			int first = vms * p / procs, last = vms * (p + 1) / procs;
			double s;
			char c;

			close(go[1]);
			close(detach[1]);
			close(attached[0]);
			if (vmfex_new_with_opts(&no, &ctx) < 0 || read(go[0], &c, 1) < 0)
				_exit(1);
			if (attach_range(ctx, first, last, topology, &s) < 0)
				_exit(1);
			if (write(attached[1], &s, sizeof(s)) != sizeof(s) || read(detach[0], &c, 1) < 0)
				_exit(1);
			if (detach_range(ctx, first, last) < 0)
				_exit(1);
			vmfex_unref(ctx);
			_exit(0);
		}
	}
	close(go[0]);
	close(detach[0]);
	close(attached[1]);
	t0 = now_ms();
	close(go[1]);
	for (int p = 0; p < procs; p++) {
		double s;

		if (read(attached[0], &s, sizeof(s)) != sizeof(s)) {
			bad = 1;
			break;
		}
		sum += s;
	}
	t1 = now_ms();
	close(detach[1]);
	for (int p = 0; p < procs; p++) {
		int st;

		if (waitpid(pids[p], &st, 0) != pids[p] || !WIFEXITED(st) || WEXITSTATUS(st))
			bad = 1;
	}
	t2 = now_ms();
	close(attached[0]);
	free(pids);
	if (bad) {
		fprintf(stderr, "bench-attach: a process failed\n");
		return 1;
	}
	{
		char what[32];

		snprintf(what, sizeof(what), "%d processes", procs);
		print_row(what, vms, t1 - t0, sum, t2 - t1);
	}
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* One attach, detached again (not timed). */
static int one_attach_ms(struct sim_fixture *f, enum vmfex_xml_topology topology, double *ms)
{
	if (attach_range(f->ctx, 0, 1, topology, ms) < 0 || detach_range(f->ctx, 0, 1) < 0)
		return -1;
	return 0;
}

/* VMs first..last-1 detached by procs processes at once: rounds of a
 * batch would otherwise spend most of their time detaching one by one. */
static int detach_procs(struct sim_fixture *f, int first, int last, int procs)
{
	int bad = 0;

	for (int p = 0; p < procs; p++) {
		pid_t pid = fork();

		if (pid < 0)
			return -1;
		if (pid == 0) {
			struct vmfex_new_opts no = { .sz = sizeof(no), .sim_dir = f->dir,
			                             .ignore_env = 1 };
			struct vmfex_ctx *ctx;
			int lo = first + (last - first) * p / procs;
			int hi = first + (last - first) * (p + 1) / procs;

			if (vmfex_new_with_opts(&no, &ctx) < 0 || detach_range(ctx, lo, hi) < 0)
				_exit(1);
			vmfex_unref(ctx);
			_exit(0);
		}
	}
	for (int p = 0; p < procs; p++) {
		int st;

		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
			bad = 1;
	}
	return bad ? -1 : 0;
}

static double median(double *t, int n)
{
	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

/* All the VMs in one vmfex_attach_many(), against one attach: rounds of
 * both, interleaved (which goes first alternates), each on a host with no
 * VM attached; the median and the worst of the rounds' ratios. */
static int one_batch(struct sim_fixture *f, int vms, int procs, int rounds,
                     enum vmfex_xml_topology topology)
{
	struct vmfex_attach_opts *o = calloc((size_t)vms, sizeof(*o));
	const struct vmfex_attach_opts **ov = calloc((size_t)vms, sizeof(*ov));
	char (*uuid)[37] = calloc((size_t)vms, sizeof(*uuid));
	char (*name)[32] = calloc((size_t)vms, sizeof(*name));
	char **xmls = calloc((size_t)vms, sizeof(*xmls));
	int *results = calloc((size_t)vms, sizeof(*results));
	double *one = calloc((size_t)rounds, sizeof(*one)), *batch = calloc((size_t)rounds, sizeof(*batch));
	double *ratio = calloc((size_t)rounds, sizeof(*ratio)), worst = 0, t0, t1;
	int r = 1;

	if (!o || !ov || !uuid || !name || !xmls || !results || !one || !batch || !ratio)
		goto out;
	for (int i = 0; i < vms; i++) {
		o[i] = vm_opts(i, topology, uuid[i], name[i]);
		ov[i] = &o[i];
	}
	for (int k = 0; k < rounds; k++) {
		if (k % 2 == 0 && one_attach_ms(f, topology, &one[k]) < 0)
			goto out;
		t0 = now_ms();
		r = vmfex_attach_many(f->ctx, ov, (size_t)vms, xmls, results);
		t1 = now_ms();
		for (int i = 0; i < vms; i++)
			free(xmls[i]);
		if (r != 0) {
			fprintf(stderr, "bench-attach: %d attaches of the batch failed\n", r);
			r = 1;
			goto out;
		}
		r = 1;
		if (detach_procs(f, 0, vms, procs) < 0) {
			fprintf(stderr, "bench-attach: the batch's VMs could not be detached\n");
			goto out;
		}
		batch[k] = t1 - t0;
		if (k % 2 == 1 && one_attach_ms(f, topology, &one[k]) < 0)
			goto out;
		ratio[k] = batch[k] / one[k];
		if (ratio[k] > worst)
			worst = ratio[k];
	}
	printf("1 call         %4d VMs  attach %9.1f ms (%7.2f ms/attach wall), median of %d rounds\n",
	       vms, median(batch, rounds), median(batch, rounds) / vms, rounds);
	printf("one attach %.1f ms; %d VMs in one call %.1f ms (medians of %d interleaved rounds): "
	       "%.2fx one attach median, %.2fx worst\n", median(one, rounds), vms,
	       median(batch, rounds), rounds, median(ratio, rounds), worst);
	r = 0;
out:
	free(o);
	free(ov);
	free(uuid);
	free(name);
	free(xmls);
	free(results);
	free(one);
	free(batch);
	free(ratio);
	return r;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "vms", required_argument, NULL, 'n' },
		{ "procs", required_argument, NULL, 'p' },
		{ "latency-ms", required_argument, NULL, 'l' },
		{ "topology", required_argument, NULL, 't' },
		{ "pf", required_argument, NULL, 'f' },
		{ "batch-only", no_argument, NULL, 'b' },
		{ "rounds", required_argument, NULL, 'r' },
		{}
	};
	enum vmfex_xml_topology topology = VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH;
	int vms = 256, procs = 8, latency = 50, rounds = 5, c, r = 0;
	bool batch_only = false;
	const char *desc = BENCH_DEFAULT_DESCRIPTION;
	struct sim_fixture f;

	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'n': vms = atoi(optarg); break;
		case 'p': procs = atoi(optarg); break;
		case 'l': latency = atoi(optarg); break;
		case 'f': bench_pf = optarg; break;
		case 'b': batch_only = true; break;
		case 'r': rounds = atoi(optarg); break;
		case 't':
			topology = strcmp(optarg, "hostdev") == 0 ? VMFEX_XML_TOPOLOGY_HOSTDEV
			                                          : VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH;
			break;
		default:
			return 2;
		}
	}
	if (optind < argc)
		desc = argv[optind];
	if (vms < 1 || procs < 1 || latency < 0 || rounds < 1)
		return 2;
	if (sim_fixture_open(&f, desc) < 0) {
		fprintf(stderr, "bench-attach: cannot make the simulated host from %s\n", desc);
		return 1;
	}
	vmfex_set_log_priority(f.ctx, LOG_ERR);
	if (vmfex_sim_set_latency(f.ctx, (unsigned int)latency) < 0) {
		sim_fixture_close(&f);
		return 1;
	}
	printf("attach then detach of %d VMs (%s), adapter latency %d ms, %s, PF %s\n", vms,
	       topology == VMFEX_XML_TOPOLOGY_HOSTDEV ? "hostdev" : "MacVTap passthrough", latency,
	       desc, bench_pf ? bench_pf : "any");
	if (!batch_only)
		r = one_process(&f, vms, topology);
	if (!r && !batch_only && procs > 1)
		r = many_processes(&f, vms, procs, topology);
	if (!r)
		r = one_batch(&f, vms, procs, rounds, topology);
	if (f.log[0])
		fprintf(stderr, "%s", f.log);
	sim_fixture_close(&f);
	return r;
}
