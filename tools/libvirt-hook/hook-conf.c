/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A small "key = value" format, so that the file can be edited by hand and
 * read without a dependency: the hook runs on every port libvirt makes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "hook-conf.h"

#define LINE_MAX_LEN 8192

static const char *trim(char *s, char **end)
{
	while (*s == ' ' || *s == '\t')
		s++;
	*end = s + strlen(s);
	while (*end > s && ((*end)[-1] == ' ' || (*end)[-1] == '\t' || (*end)[-1] == '\r'))
		*--*end = '\0';
	return s;
}

static int parse_level(const char *v)
{
	static const struct { const char *name; int prio; } levels[] = {
		{ "err", LOG_ERR }, { "error", LOG_ERR }, { "warning", LOG_WARNING },
		{ "notice", LOG_NOTICE }, { "info", LOG_INFO }, { "debug", LOG_DEBUG },
	};

	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (strcmp(v, levels[i].name) == 0)
			return levels[i].prio;
	return -1;
}

static int set_path(char dst[HOOK_CONF_VALUE_MAX], const char *v, const char **fault)
{
	if (v[0] != '/') {
		*fault = "a path must be absolute";
		return -EINVAL;
	}
	if (strlen(v) >= HOOK_CONF_VALUE_MAX) {
		*fault = "path too long";
		return -EINVAL;
	}
	strcpy(dst, v);
	return 0;
}

static int set_value(struct hook_conf *c, const char *key, const char *v, const char **fault)
{
	if (strcmp(key, "catalog") == 0)
		return set_path(c->catalog, v, fault);
	if (strcmp(key, "sim") == 0)
		return set_path(c->sim, v, fault);
	if (strcmp(key, "state_dir") == 0)
		return set_path(c->state_dir, v, fault);
	if (strcmp(key, "timeout_ms") == 0) {
		char *end;
		unsigned long n;

		if (v[0] < '0' || v[0] > '9') {
			*fault = "timeout_ms takes a number of milliseconds";
			return -EINVAL;
		}
		errno = 0;
		n = strtoul(v, &end, 10);
		if (errno || *end || n > 600000) {
			*fault = "timeout_ms takes 0 to 600000";
			return -EINVAL;
		}
		c->timeout_ms = (unsigned int)n;
		return 0;
	}
	if (strcmp(key, "log_level") == 0) {
		int p = parse_level(v);

		if (p < 0) {
			*fault = "log_level takes err, warning, notice, info or debug";
			return -EINVAL;
		}
		c->log_priority = p;
		return 0;
	}
	*fault = "unknown key (catalog, sim, state_dir, timeout_ms, log_level)";
	return -EINVAL;
}

int hook_conf_parse(const char *buf, size_t len, struct hook_conf *c, char *why,
                    size_t why_size)
{
	char *line = malloc(LINE_MAX_LEN + 1);
	size_t pos = 0, lineno = 0;
	int r = 0;

	memset(c, 0, sizeof(*c));
	c->log_priority = LOG_NOTICE;
	strcpy(c->state_dir, "/run/vmfex/libvirt-hook");
	if (!line) {
		snprintf(why, why_size, "out of memory");
		return -ENOMEM;
	}
	while (pos < len && r == 0) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		const char *fault = NULL, *key, *val;
		char *eq, *end;

		lineno++;
		if (n > LINE_MAX_LEN) {
			fault = "line longer than 8192 bytes";
		} else if (memchr(buf + pos, '\0', n)) {
			fault = "a NUL byte";
		} else {
			memcpy(line, buf + pos, n);
			line[n] = '\0';
			key = trim(line, &end);
			if (*key && *key != '#') {
				eq = strchr(key, '=');
				if (!eq) {
					fault = "no '=' (lines are: key = value)";
				} else {
					*eq = '\0';
					key = trim((char *)key, &end);
					val = trim(eq + 1, &end);
					if (!*key)
						fault = "no key before '='";
					else if (!*val)
						fault = "no value after '='";
					else
						set_value(c, key, val, &fault);
				}
			}
		}
		if (fault) {
			snprintf(why, why_size, "line %zu: %s", lineno, fault);
			r = -EINVAL;
		}
		pos += n + (nl ? 1 : 0);
	}
	free(line);
	return r;
}
