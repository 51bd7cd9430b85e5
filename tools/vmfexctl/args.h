/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One parser for the options and operands of every command: options
 * (--name VALUE, --name=VALUE) and operands in any order, "--" ending the
 * options, --help and -h printing the command's synopsis, and a usage
 * error (exit 2) with a "did you mean" for an unknown option, a missing
 * value or a wrong number of operands. */
#ifndef VMFEXCTL_ARGS_H
#define VMFEXCTL_ARGS_H

#include <getopt.h>

#include "vmfexctl.h"

#define ARGS_MAX_OPERANDS 8

enum {
	ARGS_END = 0,   /* every argument read, the operands counted */
	ARGS_EXIT = -1, /* --help printed or a usage error: return a->status */
};

struct args {
	struct vmfexctl *g;
	const struct option *options; /* NULL: none */
	int min, max;                 /* operands the command takes */
	int argc;
	char **argv; /* argv[0]: the command's own name */
	int next;
	bool options_done;
	const char *arg; /* the value of the option args_next() returned */
	int n;           /* the operands, in order */
	char *op[ARGS_MAX_OPERANDS];
	int status; /* with ARGS_EXIT: EXIT_OK after --help, else EXIT_USAGE */
};

/* The command being run is g->cmd (of group g->group, NULL at the top). */
void args_init(struct args *a, struct vmfexctl *g, int argc, char **argv,
               const struct option *options, int min, int max);

/* The next option's val (> 0), ARGS_END or ARGS_EXIT. */
int args_next(struct args *a);

/* For commands without options: ARGS_END or ARGS_EXIT for the whole line. */
int args_parse(struct args *a, struct vmfexctl *g, int argc, char **argv, int min, int max);

/* The command's help on f: its synopsis and what it does. */
void args_help(struct vmfexctl *g, FILE *f);

/* The word of words[] nearest to word, NULL when none is near; words
 * are read with stride bytes between them (an array of structs whose
 * first member is the name), up to a NULL name or n of them. */
const char *nearest_word(const char *word, const void *words, size_t stride, size_t n);

#endif
