/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A progress line on a terminal: see progress.h. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

#define REDRAW_MS 100

struct progress {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop;
	bool drawn;
	struct timespec start;
	char what[160];
};

static double elapsed_s(const struct progress *p)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - p->start.tv_sec) + (double)(now.tv_nsec - p->start.tv_nsec) / 1e9;
}

/* Called with p->lock held. One write(2), so that the line is never torn. */
static void draw(struct progress *p, unsigned int tick)
{
	static const char spin[] = "|/-\\";
	char line[256];
	int n;

	n = snprintf(line, sizeof(line), "\r%s %c  %.1f s \033[K", p->what, spin[tick % 4],
	             elapsed_s(p));
	if (n > 0 && write(STDERR_FILENO, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1) > 0)
		p->drawn = true;
}

static void *redraw(void *arg)
{
	struct progress *p = arg;
	unsigned int tick = 0;
	struct timespec until = p->start;

	pthread_mutex_lock(&p->lock);
	until.tv_nsec += PROGRESS_DELAY_MS * 1000000L;
	for (;;) {
		while (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		while (!p->stop && pthread_cond_timedwait(&p->cond, &p->lock, &until) == 0)
			;
		if (p->stop)
			break;
		draw(p, tick++);
		until.tv_nsec += REDRAW_MS * 1000000L;
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

struct progress *progress_start(const struct vmfexctl *g, const char *fmt, ...)
{
	pthread_condattr_t ca;
	struct progress *p;
	va_list ap;

	if (g->json || !isatty(STDERR_FILENO))
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p->what, sizeof(p->what), fmt, ap);
	va_end(ap);
	pthread_mutex_init(&p->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->cond, &ca);
	pthread_condattr_destroy(&ca);
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	if (pthread_create(&p->thread, NULL, redraw, p) != 0) {
		/* No line then; the work itself goes on. */
		pthread_cond_destroy(&p->cond);
		pthread_mutex_destroy(&p->lock);
		free(p);
		return NULL;
	}
	return p;
}

void progress_finish(struct progress *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	if (p->drawn && write(STDERR_FILENO, "\r\033[K", 4) < 0) {
		/* The terminal went away: nothing to erase. */
	}
	pthread_cond_destroy(&p->cond);
	pthread_mutex_destroy(&p->lock);
	free(p);
}
