/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The parser of every command's arguments: see args.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "args.h"

/* Edits (insert, delete, replace, swap two neighbours) from a to b, or
 * more than 3 when that is all we need to know. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t d[3][33];

	if (la > 32 || lb > 32)
		return strcmp(a, b) ? 4 : 0;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t *row = d[i % 3], *up = d[(i - 1) % 3], *up2 = d[(i + 1) % 3];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1], v = up[j - 1] + cost;

			if (up[j] + 1 < v)
				v = up[j] + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    up2[j - 2] + 1 < v)
				v = up2[j - 2] + 1;
			row[j] = v;
		}
	}
	return d[la % 3][lb];
}

const char *nearest_word(const char *word, const void *words, size_t stride, size_t n)
{
	size_t len = strlen(word), best_d = 3;
	const char *best = NULL;

	for (size_t i = 0; i < n; i++) {
		const char *w = *(const char *const *)((const char *)words + i * stride);
		size_t d;

		if (!w)
			break;
		/* The start of a name is as near as one typo. */
		d = len >= 2 && strncmp(w, word, len) == 0 ? 1 : distance(word, w);
		if (d < best_d && d < len) {
			best_d = d;
			best = w;
		}
	}
	return best;
}

static void command_line(struct vmfexctl *g, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s", g->group ? g->group : "", g->group ? " " : "",
	         g->cmd ? g->cmd->name : "");
}

void args_help(struct vmfexctl *g, FILE *f)
{
	char name[64];

	command_line(g, name, sizeof(name));
	fprintf(f, "Usage: vmfexctl [OPTIONS] %s%s%s\n", name,
	        g->cmd->synopsis && *g->cmd->synopsis ? " " : "",
	        g->cmd->synopsis ? g->cmd->synopsis : "");
	if (g->cmd->summary)
		fprintf(f, "\n%s.\n", g->cmd->summary);
	fputs("\nSee vmfexctl(8) for the options and the examples.\n", f);
}

void args_init(struct args *a, struct vmfexctl *g, int argc, char **argv,
               const struct option *options, int min, int max)
{
	memset(a, 0, sizeof(*a));
	a->g = g;
	a->options = options;
	a->min = min;
	a->max = max > ARGS_MAX_OPERANDS ? ARGS_MAX_OPERANDS : max;
	a->argc = argc;
	a->argv = argv;
	a->next = 1;
}

static int args_usage(struct args *a, const char *hint, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
static int args_usage(struct args *a, const char *hint, const char *fmt, ...)
{
	char name[64], msg[256];
	va_list ap;

	command_line(a->g, name, sizeof(name));
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "vmfexctl: %s: %s%s%s%s\n", name, msg, hint ? "; did you mean '--" : "",
	        hint ? hint : "", hint ? "'?" : "");
	fprintf(stderr, "Usage: vmfexctl [OPTIONS] %s %s (see vmfexctl %s --help)\n", name,
	        a->g->cmd->synopsis ? a->g->cmd->synopsis : "", name);
	a->status = EXIT_USAGE;
	return ARGS_EXIT;
}

static int operands_counted(struct args *a)
{
	if (a->n < a->min)
		return args_usage(a, NULL, "%s", a->n ? "too few arguments" : "an argument is missing");
	return ARGS_END;
}

/* The options main() reads, before the command. */
static bool is_global(const char *s)
{
	static const char *const globals[] = { "-j", "-v", "--json", "--verbose", "--sim",
	                                       "--sysfs-root", "--catalog", "--version" };
	size_t len = strcspn(s, "=");

	for (size_t i = 0; i < sizeof(globals) / sizeof(globals[0]); i++)
		if (strlen(globals[i]) == len && strncmp(globals[i], s, len) == 0)
			return true;
	return false;
}

static int unknown_option(struct args *a, const char *s, const char *word)
{
	if (is_global(s))
		return args_usage(a, NULL, "'%s' is an option of vmfexctl itself: give it before "
		                  "the command", s);
	return args_usage(a, word && a->options ? nearest_word(word, a->options, sizeof(*a->options),
	                                                       SIZE_MAX) : NULL,
	                  "unknown option '%s'", s);
}

int args_next(struct args *a)
{
	while (a->next < a->argc) {
		char *s = a->argv[a->next++];
		const struct option *o;
		const char *eq;
		size_t len;

		if (a->options_done || s[0] != '-' || s[1] == '\0') {
			if (a->n >= a->max)
				return args_usage(a, NULL, "unexpected argument '%s'", s);
			a->op[a->n++] = s;
			continue;
		}
		if (strcmp(s, "--") == 0) {
			a->options_done = true;
			continue;
		}
		if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) {
			args_help(a->g, stdout);
			a->status = EXIT_OK;
			return ARGS_EXIT;
		}
		if (s[1] != '-')
			return unknown_option(a, s, NULL);
		eq = strchr(s + 2, '=');
		len = eq ? (size_t)(eq - s - 2) : strlen(s + 2);
		for (o = a->options; o && o->name; o++)
			if (strlen(o->name) == len && strncmp(o->name, s + 2, len) == 0)
				break;
		if (!o || !o->name) {
			char word[64];

			snprintf(word, sizeof(word), "%.*s", (int)(len < 63 ? len : 63), s + 2);
			return unknown_option(a, s, word);
		}
		if (o->has_arg == no_argument) {
			if (eq)
				return args_usage(a, NULL, "--%s takes no value", o->name);
			a->arg = NULL;
		} else if (eq) {
			a->arg = eq + 1;
		} else if (a->next < a->argc) {
			a->arg = a->argv[a->next++];
		} else {
			return args_usage(a, NULL, "--%s needs a value", o->name);
		}
		return o->val;
	}
	return operands_counted(a);
}

int args_parse(struct args *a, struct vmfexctl *g, int argc, char **argv, int min, int max)
{
	int c;

	args_init(a, g, argc, argv, NULL, min, max);
	c = args_next(a);
	/* No options: args_next() returns only ARGS_END or ARGS_EXIT. */
	return c > 0 ? ARGS_EXIT : c;
}
