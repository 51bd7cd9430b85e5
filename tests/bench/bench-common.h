/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the host benchmarks (bench-inventory, bench-show) share: the clock,
 * the median, the default host description and removing the temporary
 * host they made. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef BENCH_DEFAULT_DESCRIPTION
#define BENCH_DEFAULT_DESCRIPTION "examples/hosts/large-4x256.json"
#endif

static inline double bench_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Sorts v. */
static inline double bench_median(double *v, long n)
{
	qsort(v, (size_t)n, sizeof(*v), bench_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The large host's description, under $VMFEX_SRCDIR when relative. */
static inline const char *bench_default_description(void)
{
	static char path[4096];
	const char *srcdir = getenv("VMFEX_SRCDIR");

	if (BENCH_DEFAULT_DESCRIPTION[0] != '/' && srcdir &&
	    (size_t)snprintf(path, sizeof(path), "%s/%s", srcdir, BENCH_DEFAULT_DESCRIPTION) <
	            sizeof(path))
		return path;
	return BENCH_DEFAULT_DESCRIPTION;
}

static inline int bench_rm_entry(const char *path, const struct stat *st, int flag,
                                 struct FTW *ftw)
{
	if (remove(path) < 0)
		fprintf(stderr, "cannot remove %s: %s\n", path, strerror(errno));
	return 0;
}

/* Removes dir and all it holds. */
static inline void bench_rm_tree(const char *dir)
{
	nftw(dir, bench_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

#endif
