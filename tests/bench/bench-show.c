/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Benchmark: `vmfexctl -j show` of a large simulated host as a process,
 * the way a monitoring agent or a shell script calls it, start-up and
 * exit included; `vmfexctl --version` beside it gives the floor that a
 * process start costs (dynamic loading, constructors).
 *
 * Each round runs every command once, in an order that rotates from
 * round to round, so that a change of the machine's load touches all of
 * them alike; the wall time of each run is measured around its spawn and
 * wait. Before the timed rounds, one untimed run of each `show` is read
 * whole: it must list the expected number of VFs, and with --compare both
 * programs must print the same bytes.
 *
 * Usage: bench-show [OPTIONS]
 *   --iterations N      timed rounds (default 20)
 *   --vmfexctl PATH     the vmfexctl to time (default: this build's)
 *   --compare PATH      another vmfexctl (e.g. a build of an older
 *                       commit) timed in the same rounds
 *   --sim DIR           use this existing simulated host
 *   --description FILE  host description to create one from (default
 *                       examples/hosts/large-4x256.json)
 *   --expect-vfs N      VFs the output must list (default 1024 with the
 *                       default description; -1: do not check)
 * Without --sim, the host is created (`vmfexctl sim create`) in a
 * temporary directory (under $TMPDIR) that is removed at exit.
 *
 * Prints min/median/max wall time per command, the median CPU time
 * (user and system: less sensitive to other load than the wall time),
 * and the load average before and after. Exit status: 0; 1 when an output is not as expected; 2 for a
 * usage or setup error. Figures are for comparison, never asserted on. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench-common.h"

#ifndef BENCH_VMFEXCTL
#define BENCH_VMFEXCTL "vmfexctl"
#endif
#define DEFAULT_VFS 1024
#define MAX_OUTPUT (64u << 20)

extern char **environ;

struct command {
	const char *label;
	char *argv[8];
	double *times, *cpu;
};

/* Runs argv with stdout to out_fd (or /dev/null for -1), stderr kept;
 * its exit status, or -1 when it could not be started or died. *cpu_ms,
 * when asked, is the CPU time it used (user and system). */
static int run(char *const argv[], int out_fd, double *cpu_ms)
{
	posix_spawn_file_actions_t fa;
	struct rusage ru;
	int status, r;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	if (out_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, out_fd, STDOUT_FILENO);
	else
		posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	r = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (r != 0) {
		fprintf(stderr, "bench-show: cannot start %s: %s\n", argv[0], strerror(r));
		return -1;
	}
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR)
			return -1;
	if (cpu_ms)
		*cpu_ms = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
		          (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The whole standard output of argv, NUL-terminated, or NULL. */
static char *capture(char *const argv[], size_t *len)
{
	const char *base = getenv("TMPDIR");
	char path[4096];
	char *buf = NULL;
	int fd, r;
	off_t n;

	snprintf(path, sizeof(path), "%s/vmfex-bench-show-XXXXXX", base && *base ? base : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	unlink(path);
	r = run(argv, fd, NULL);
	n = lseek(fd, 0, SEEK_END);
	if (r == 0 && n >= 0 && (size_t)n < MAX_OUTPUT && (buf = malloc((size_t)n + 1)) &&
	    pread(fd, buf, (size_t)n, 0) == n) {
		buf[n] = '\0';
		*len = (size_t)n;
	} else {
		if (r != 0)
			fprintf(stderr, "bench-show: %s exited with %d\n", argv[0], r);
		free(buf);
		buf = NULL;
	}
	close(fd);
	return buf;
}

static unsigned int count(const char *s, const char *what)
{
	unsigned int n = 0;

	while ((s = strstr(s, what))) {
		n++;
		s += strlen(what);
	}
	return n;
}

static void print_loadavg(const char *when)
{
	char buf[128] = "";
	FILE *f = fopen("/proc/loadavg", "re");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
	printf("load average %s: %s (%ld CPUs)\n", when, buf[0] ? buf : "unknown",
	       sysconf(_SC_NPROCESSORS_ONLN));
}

static long parse_count(const char *opt, const char *s, bool allow_minus_one)
{
	char *end;
	long v;

	if (allow_minus_one && strcmp(s, "-1") == 0)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0) {
		fprintf(stderr, "bench-show: %s: '%s' is not a count\n", opt, s);
		exit(2);
	}
	return v;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: bench-show [--iterations N] [--vmfexctl PATH] [--compare PATH]\n"
	           "                  [--sim DIR | --description FILE] [--expect-vfs N]\n");
}

/* The two commands of one vmfexctl: show, then the --version floor. */
static void commands_for(struct command *c, const char *prog, const char *show_label,
                         const char *version_label, char *sim)
{
	c[0] = (struct command){ show_label, { (char *)prog, "--sim", sim, "-j", "show", NULL } };
	c[1] = (struct command){ version_label, { (char *)prog, "--version", NULL } };
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "iterations", required_argument, NULL, 'n' },
		{ "vmfexctl", required_argument, NULL, 'x' },
		{ "compare", required_argument, NULL, 'c' },
		{ "sim", required_argument, NULL, 's' },
		{ "description", required_argument, NULL, 'd' },
		{ "expect-vfs", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long iterations = 20, expect_vfs = -2;
	const char *prog = BENCH_VMFEXCTL, *compare = NULL, *description = NULL;
	char *sim_dir = NULL, tmpdir[4096] = "", host[4200];
	struct command cmds[4] = { 0 };
	char *outputs[2] = { NULL, NULL };
	size_t lens[2] = { 0, 0 };
	int opt, status = 0, n_cmds;

	while ((opt = getopt_long(argc, argv, "n:x:c:s:d:e:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			iterations = parse_count("--iterations", optarg, false);
			break;
		case 'x':
			prog = optarg;
			break;
		case 'c':
			compare = optarg;
			break;
		case 's':
			sim_dir = optarg;
			break;
		case 'd':
			description = optarg;
			break;
		case 'e':
			expect_vfs = parse_count("--expect-vfs", optarg, true);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc || (sim_dir && description) || iterations < 1) {
		usage(stderr);
		return 2;
	}
	if (expect_vfs == -2)
		expect_vfs = sim_dir || description ? -1 : DEFAULT_VFS;
	if (!description)
		description = bench_default_description();

	if (!sim_dir) {
		const char *base = getenv("TMPDIR");
		char *create[] = { (char *)prog, "sim", "create", host, (char *)description, NULL };

		snprintf(tmpdir, sizeof(tmpdir), "%s/vmfex-bench-show-XXXXXX",
		         base && *base ? base : "/tmp");
		if (!mkdtemp(tmpdir)) {
			fprintf(stderr, "bench-show: mkdtemp: %s\n", strerror(errno));
			return 2;
		}
		snprintf(host, sizeof(host), "%s/host", tmpdir);
		if (run(create, -1, NULL) != 0) {
			fprintf(stderr, "bench-show: cannot create a simulated host from %s\n",
			        description);
			status = 2;
			goto out;
		}
		sim_dir = host;
	}

	n_cmds = compare ? 4 : 2;
	commands_for(cmds, prog, "vmfexctl -j show", "vmfexctl --version", sim_dir);
	if (compare)
		commands_for(cmds + 2, compare, "compared -j show", "compared --version", sim_dir);
	printf("host: %s\n", sim_dir);
	printf("vmfexctl: %s\n", prog);
	if (compare)
		printf("compared: %s\n", compare);

	for (int p = 0; p < n_cmds / 2; p++) {
		unsigned int vfs;

		outputs[p] = capture(cmds[2 * p].argv, &lens[p]);
		if (!outputs[p]) {
			fprintf(stderr, "bench-show: no output from %s\n", cmds[2 * p].label);
			status = 1;
			goto out;
		}
		vfs = count(outputs[p], "\"index\"");
		printf("%s: %u PFs, %u VFs listed, %zu bytes\n", cmds[2 * p].label,
		       count(outputs[p], "\"total_vfs\""), vfs, lens[p]);
		if (expect_vfs >= 0 && vfs != (unsigned long)expect_vfs) {
			fprintf(stderr, "bench-show: %s listed %u VFs, %ld expected\n",
			        cmds[2 * p].label, vfs, expect_vfs);
			status = 1;
		}
	}
	if (compare && (lens[0] != lens[1] || memcmp(outputs[0], outputs[1], lens[0]) != 0)) {
		fprintf(stderr, "bench-show: the two programs' outputs differ\n");
		status = 1;
	}

	for (int c = 0; c < n_cmds; c++) {
		cmds[c].times = calloc((size_t)iterations, sizeof(double));
		cmds[c].cpu = calloc((size_t)iterations, sizeof(double));
		if (!cmds[c].times || !cmds[c].cpu) {
			status = 2;
			goto out;
		}
	}
	print_loadavg("before");
	for (long i = 0; i < iterations; i++) {
		for (int k = 0; k < n_cmds; k++) {
			struct command *c = &cmds[(k + i) % n_cmds];
			double t0 = bench_now_ms();

			if (run(c->argv, -1, &c->cpu[i]) != 0) {
				fprintf(stderr, "bench-show: %s failed\n", c->label);
				status = 1;
				goto out;
			}
			c->times[i] = bench_now_ms() - t0;
		}
	}
	print_loadavg("after");
	for (int c = 0; c < n_cmds; c++) {
		double *t = cmds[c].times, median = bench_median(t, iterations);

		printf("%s: %ld runs: min %.1f ms, median %.1f ms, max %.1f ms (CPU: median %.1f ms)\n",
		       cmds[c].label, iterations, t[0], median, t[iterations - 1],
		       bench_median(cmds[c].cpu, iterations));
	}
out:
	for (int c = 0; c < 4; c++) {
		free(cmds[c].times);
		free(cmds[c].cpu);
	}
	free(outputs[0]);
	free(outputs[1]);
	if (tmpdir[0])
		bench_rm_tree(tmpdir);
	return status;
}
