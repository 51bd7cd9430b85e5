/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* attach / detach: a VM's VM-FEX vNIC in one call. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "progress.h"
#include "vmfexctl.h"

#define MAX_DOMAINS 64
#define MAX_DOMAIN_SIZE (16u << 20)

static char *read_file(const char *path)
{
	FILE *in = fopen(path, "re");
	char *buf;
	size_t n;

	if (!in)
		return NULL;
	buf = malloc(MAX_DOMAIN_SIZE + 1);
	if (!buf) {
		fclose(in);
		return NULL;
	}
	n = fread(buf, 1, MAX_DOMAIN_SIZE, in);
	fclose(in);
	buf[n] = '\0';
	return buf;
}

static const struct option attach_options[] = {
	{ "vm-uuid", required_argument, NULL, 'u' },
	{ "vm-name", required_argument, NULL, 'n' },
	{ "profile", required_argument, NULL, 'p' },
	{ "pf", required_argument, NULL, 'f' },
	{ "topology", required_argument, NULL, 't' },
	{ "mac", required_argument, NULL, 'm' },
	{ "by-libvirt", no_argument, NULL, 'l' },
	{ "preassociate", no_argument, NULL, 'P' },
	{ "migration-finish", no_argument, NULL, 'F' },
	{ "domain", required_argument, NULL, 'd' },
	{ "from", required_argument, NULL, 'r' },
	{}
};

/* An option of one VM (those a line of --from may hold) into @o: 1 when
 * @c is one, 0 when it is not, -1 after a usage error. */
static int vm_option(int c, const char *arg, struct vmfex_attach_opts *o)
{
	switch (c) {
	case 'u': o->vm_uuid = arg; return 1;
	case 'n': o->vm_name = arg; return 1;
	case 'p': o->profile = arg; return 1;
	case 'f': o->pf = arg; return 1;
	case 'm': o->mac = arg; return 1;
	case 'l': o->association = VMFEX_ATTACH_BY_LIBVIRT; return 1;
	case 'P': o->association = VMFEX_ATTACH_PREASSOCIATE; return 1;
	case 't':
		if (strcmp(arg, "passthrough") == 0)
			o->topology = VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH;
		else if (strcmp(arg, "hostdev") == 0)
			o->topology = VMFEX_XML_TOPOLOGY_HOSTDEV;
		else
			return usage_error("--topology takes passthrough or hostdev, not '%s'", arg), -1;
		return 1;
	}
	return 0;
}

/* The profile is checked in the catalog: the one named, or the default
 * one when the host has it (without one, UCS Manager alone knows the
 * profiles). *cat stays NULL without a catalog. */
static int open_catalog(struct vmfexctl *g, struct vmfex_ctx *ctx, struct vmfex_catalog **cat)
{
	int r;

	*cat = NULL;
	if (!g->catalog_path && access(catalog_path(g, ctx), F_OK) != 0)
		return EXIT_OK;
	r = vmfex_catalog_open(ctx, catalog_path(g, ctx), NULL, cat);
	return r < 0 ? fail(r, "catalog %s", catalog_path(g, ctx)) : EXIT_OK;
}

#define MAX_LINE_WORDS 32

/* The VMs of --from: one line each, with the options of one VM (those of
 * the command line are the defaults); blank lines and lines starting with
 * '#' are skipped. The words of a line are split at blanks. */
struct vm_list {
	struct vmfex_attach_opts *o;
	char **lines; /* each VM's line, which its options point into */
	size_t n, cap;
};

static void vm_list_free(struct vm_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->lines[i]);
	free(l->lines);
	free(l->o);
}

/* One line into l: EXIT_OK, or a usage error naming it. */
static int vm_line(struct vmfexctl *g, struct vm_list *l, char *line, const char *from,
                   unsigned int lineno, const struct vmfex_attach_opts *base)
{
	char *argv[MAX_LINE_WORDS + 2] = { "attach" }, *save = NULL, *w;
	struct vmfex_attach_opts o = *base;
	struct args a;
	int argc = 1, c, r;

	for (w = strtok_r(line, " \t\r\n", &save); w; w = strtok_r(NULL, " \t\r\n", &save)) {
		if (argc == 1 && w[0] == '#')
			break;
		if (argc > MAX_LINE_WORDS)
			return usage_error("%s line %u: more than %d words", from, lineno,
			                   MAX_LINE_WORDS);
		argv[argc++] = w;
	}
	if (argc == 1)
		return EXIT_OK;
	args_init(&a, g, argc, argv, attach_options, 0, 0);
	while ((c = args_next(&a)) > 0) {
		r = vm_option(c, a.arg, &o);
		if (r == 0)
			return usage_error("%s line %u: only the options of one VM go in a line",
			                   from, lineno);
		if (r < 0)
			return usage_error("%s line %u: bad option", from, lineno);
	}
	if (c == ARGS_EXIT)
		return usage_error("%s line %u: bad option", from, lineno);
	if (!o.vm_uuid || !o.profile)
		return usage_error("%s line %u: --vm-uuid and --profile are required", from, lineno);
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct vmfex_attach_opts *v = realloc(l->o, cap * sizeof(*v));
		char **ls;

		if (!v)
			return fail(-ENOMEM, "%s", from);
		l->o = v;
		ls = realloc(l->lines, cap * sizeof(*ls));
		if (!ls)
			return fail(-ENOMEM, "%s", from);
		l->lines = ls;
		l->cap = cap;
	}
	l->o[l->n++] = o;
	return EXIT_OK;
}

static int read_vms(struct vmfexctl *g, const char *from, const struct vmfex_attach_opts *base,
                    struct vm_list *l)
{
	FILE *in = strcmp(from, "-") == 0 ? stdin : fopen(from, "re");
	char *line = NULL;
	size_t cap = 0;
	unsigned int lineno = 0;
	int r = EXIT_OK;

	if (!in)
		return fail(-errno, "reading %s", from);
	while (r == EXIT_OK && getline(&line, &cap, in) >= 0) {
		size_t before = l->n;

		lineno++;
		r = vm_line(g, l, line, from, lineno, base);
		if (r == EXIT_OK && l->n > before) {
			/* The options point into the line: it is the VM's now. */
			l->lines[before] = line;
			line = NULL;
			cap = 0;
		}
	}
	if (r == EXIT_OK && ferror(in))
		r = fail(-EIO, "reading %s", from);
	if (r == EXIT_OK && !l->n)
		r = usage_error("%s: no VM", from);
	free(line);
	if (in != stdin)
		fclose(in);
	return r;
}

/* attach --from FILE|-: every VM in one call, each VM's result reported. */
static int attach_many(struct vmfexctl *g, const char *from, const struct vmfex_attach_opts *base)
{
	struct vm_list l = { 0 };
	struct vmfex_ctx *ctx = NULL;
	struct vmfex_catalog *cat = NULL;
	const struct vmfex_attach_opts **ov = NULL;
	char **xmls = NULL;
	int *results = NULL;
	struct progress *prog;
	json_object *vms = NULL;
	int r, failed;

	r = read_vms(g, from, base, &l);
	if (r)
		goto out;
	r = open_ctx(g, &ctx);
	if (r)
		goto out;
	r = open_catalog(g, ctx, &cat);
	if (r)
		goto out;
	ov = calloc(l.n, sizeof(*ov));
	xmls = calloc(l.n, sizeof(*xmls));
	results = calloc(l.n, sizeof(*results));
	if (!ov || !xmls || !results) {
		r = fail(-ENOMEM, "attaching %zu VMs", l.n);
		goto out;
	}
	for (size_t i = 0; i < l.n; i++) {
		l.o[i].catalog = cat;
		ov[i] = &l.o[i];
	}
	prog = progress_start(g, "attaching %zu VMs", l.n);
	failed = vmfex_attach_many(ctx, ov, l.n, xmls, results);
	progress_finish(prog);
	if (failed < 0) {
		r = fail(failed, "attaching %zu VMs", l.n);
		goto out;
	}
	if (g->json)
		vms = json_object_new_array();
	for (size_t i = 0; i < l.n; i++) {
		const char *uuid = l.o[i].vm_uuid;

		if (vms) {
			json_object *vm = json_object_new_object();

			json_object_object_add(vm, "vm_uuid", json_object_new_string(uuid));
			json_object_object_add(vm, "attached", json_object_new_boolean(results[i] == 0));
			if (results[i] == 0)
				json_object_object_add(vm, "interface", json_object_new_string(xmls[i]));
			else
				json_object_object_add(vm, "error",
				                       json_object_new_string(strerror(-results[i])));
			json_object_array_add(vms, vm);
		} else if (results[i] == 0) {
			printf("<!-- VM %s -->\n", uuid);
			fputs(xmls[i], stdout);
			if (xmls[i][0] && xmls[i][strlen(xmls[i]) - 1] != '\n')
				putchar('\n');
		}
		if (results[i] < 0)
			fail(results[i], "attaching VM %s", uuid);
	}
	if (vms) {
		json_object *top = json_object_new_object();

		json_object_object_add(top, "vms", vms);
		json_object_object_add(top, "failed", json_object_new_int(failed));
		print_json(top);
		json_object_put(top);
	}
	r = failed ? EXIT_FAIL : EXIT_OK;
out:
	if (xmls)
		for (size_t i = 0; i < l.n; i++)
			free(xmls[i]);
	free(xmls);
	free(results);
	free(ov);
	vm_list_free(&l);
	vmfex_catalog_unref(cat);
	vmfex_unref(ctx);
	return r;
}

/* attach --vm-uuid UUID --vm-name NAME --profile NAME [--pf PF]
 *        [--topology passthrough|hostdev] [--mac MAC] [--by-libvirt | --preassociate]
 *        [--domain FILE]...  (or --migration-finish --vm-uuid UUID, or
 *        --from FILE|- with one VM's options a line) */
int cmd_attach(struct vmfexctl *g, int argc, char **argv)
{
	struct vmfex_attach_opts o = { .sz = sizeof(o) };
	char *domains[MAX_DOMAINS + 1] = { NULL };
	size_t n_domains = 0;
	bool finish = false;
	const char *from = NULL;
	struct vmfex_ctx *ctx = NULL;
	struct vmfex_catalog *cat = NULL;
	char *xml = NULL;
	struct progress *prog;
	struct args a;
	int c, r;

	args_init(&a, g, argc, argv, attach_options, 0, 0);
	while ((c = args_next(&a)) > 0) {
		r = vm_option(c, a.arg, &o);
		if (r < 0) {
			r = EXIT_USAGE;
			goto out;
		}
		if (r == 1)
			continue;
		switch (c) {
		case 'F': finish = true; break;
		case 'r': from = a.arg; break;
		case 'd':
			if (n_domains == MAX_DOMAINS)
				return usage_error("at most %d --domain", MAX_DOMAINS);
			domains[n_domains] = read_file(a.arg);
			if (!domains[n_domains]) {
				r = fail(-errno, "reading %s", a.arg);
				goto out;
			}
			n_domains++;
			break;
		}
	}
	if (c == ARGS_EXIT) {
		r = a.status;
		goto out;
	}
	o.domains = (const char *const *)domains;
	if (from && finish) {
		r = usage_error("attach: --from and --migration-finish do not go together");
		goto out;
	}
	if (from) {
		r = attach_many(g, from, &o);
		goto out;
	}
	if (!o.vm_uuid || (!finish && !o.profile)) {
		r = usage_error("attach: --vm-uuid and --profile are required");
		goto out;
	}
	o.domains = (const char *const *)domains;
	r = open_ctx(g, &ctx);
	if (r)
		goto out;
	if (finish) {
		prog = progress_start(g, "VM %s: associating its ports", o.vm_uuid);
		r = vmfex_attach_migration_finish(ctx, o.vm_uuid);
		progress_finish(prog);
		if (r < 0) {
			r = fail(r, "associating the ports of VM %s", o.vm_uuid);
			goto out;
		}
		if (g->json) {
			json_object *top = json_object_new_object();

			json_object_object_add(top, "vm_uuid", json_object_new_string(o.vm_uuid));
			json_object_object_add(top, "associated", json_object_new_int(r));
			print_json(top);
			json_object_put(top);
		} else {
			printf("%d port(s) of VM %s associated\n", r, o.vm_uuid);
		}
		r = EXIT_OK;
		goto out;
	}
	r = open_catalog(g, ctx, &cat);
	if (r)
		goto out;
	o.catalog = cat;
	prog = progress_start(g, "VM %s: attaching", o.vm_uuid);
	r = vmfex_attach(ctx, &o, &xml);
	progress_finish(prog);
	if (r < 0) {
		r = fail(r, "attaching VM %s", o.vm_uuid);
		goto out;
	}
	if (g->json) {
		json_object *top = json_object_new_object();

		json_object_object_add(top, "vm_uuid", json_object_new_string(o.vm_uuid));
		json_object_object_add(top, "interface", json_object_new_string(xml));
		print_json(top);
		json_object_put(top);
	} else {
		fputs(xml, stdout);
		if (xml[0] && xml[strlen(xml) - 1] != '\n')
			putchar('\n');
	}
	r = EXIT_OK;
out:
	free(xml);
	for (size_t i = 0; i < n_domains; i++)
		free(domains[i]);
	vmfex_catalog_unref(cat);
	vmfex_unref(ctx);
	return r;
}

/* detach --vm-uuid UUID */
int cmd_detach(struct vmfexctl *g, int argc, char **argv)
{
	static const struct option options[] = {
		{ "vm-uuid", required_argument, NULL, 'u' },
		{}
	};
	const char *uuid = NULL;
	struct progress *prog;
	struct vmfex_ctx *ctx;
	struct args a;
	int c, r;

	args_init(&a, g, argc, argv, options, 0, 0);
	while ((c = args_next(&a)) > 0)
		uuid = a.arg;
	if (c == ARGS_EXIT)
		return a.status;
	if (!uuid)
		return usage_error("detach: --vm-uuid is required");
	r = open_ctx(g, &ctx);
	if (r)
		return r;
	prog = progress_start(g, "VM %s: detaching", uuid);
	r = vmfex_detach(ctx, uuid);
	progress_finish(prog);
	if (r < 0) {
		r = fail(r, "detaching VM %s", uuid);
	} else {
		if (g->json) {
			json_object *top = json_object_new_object();

			json_object_object_add(top, "vm_uuid", json_object_new_string(uuid));
			json_object_object_add(top, "released", json_object_new_int(r));
			print_json(top);
			json_object_put(top);
		} else {
			printf("VM %s detached: %d VF(s) released\n", uuid, r);
		}
		r = EXIT_OK;
	}
	vmfex_unref(ctx);
	return r;
}
