/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A progress line for long work, on stderr, redrawn in place with '\r'.
 *
 * Shown only when stderr is a terminal and -j was not given; otherwise
 * every function here does nothing, so callers need no tests of their own.
 * The line appears only once the work has taken PROGRESS_DELAY_MS, so that
 * quick calls print nothing, and is erased when the work ends: the
 * command's own result line follows as usual.
 *
 * Work the library does in one call (enabling hundreds of VFs) has no
 * progress of its own to report: the line then shows the elapsed time and
 * a spinner, redrawn by a thread while the call runs. Work done in steps
 * (a batch) reports them with progress_step(), and the line shows
 * "done/total" as well. */
#ifndef VMFEXCTL_PROGRESS_H
#define VMFEXCTL_PROGRESS_H

#include "vmfexctl.h"

#define PROGRESS_DELAY_MS 300

struct progress;

/* Start a progress line saying what is being done (printf-like). total is
 * the number of steps, 0 when unknown. Returns NULL when no line is to be
 * shown; every other function accepts NULL. */
struct progress *progress_start(const struct vmfexctl *g, unsigned long total, const char *fmt,
                                ...) __attribute__((format(printf, 3, 4)));

/* done steps of total are finished. */
void progress_step(struct progress *p, unsigned long done);

/* Erase the line and free p. */
void progress_finish(struct progress *p);

#endif
