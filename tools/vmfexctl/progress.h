/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A progress line for long work, on stderr, redrawn in place with '\r'.
 *
 * Shown only when stderr is a terminal and -j was not given; otherwise
 * every function here does nothing, so callers need no tests of their own.
 * The line appears only once the work has taken PROGRESS_DELAY_MS, so that
 * quick calls print nothing, and is erased when the work ends: the
 * command's own result line follows as usual.
 *
 * The work is one library call (enabling hundreds of VFs, waiting for the
 * adapter, a batch of attaches) with no progress of its own to report: the
 * line shows the elapsed time and a spinner, redrawn by a thread while the
 * call runs. */
#ifndef VMFEXCTL_PROGRESS_H
#define VMFEXCTL_PROGRESS_H

#include "vmfexctl.h"

#define PROGRESS_DELAY_MS 300

struct progress;

/* Start a progress line saying what is being done (printf-like). Returns
 * NULL when no line is to be shown; progress_finish() accepts NULL. */
struct progress *progress_start(const struct vmfexctl *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Erase the line and free p. */
void progress_finish(struct progress *p);

#endif
