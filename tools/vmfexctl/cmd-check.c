/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmfexctl check: the advisor's findings on the host against a plan. */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "vmfexctl.h"

static int parse_topology(const char *s, enum vmfex_xml_topology *t)
{
	if (strcmp(s, "passthrough") == 0)
		*t = VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH;
	else if (strcmp(s, "hostdev") == 0)
		*t = VMFEX_XML_TOPOLOGY_HOSTDEV;
	else if (strcmp(s, "private") == 0)
		*t = VMFEX_XML_TOPOLOGY_MACVTAP_PRIVATE;
	else
		return -1;
	return 0;
}

static json_object *finding_json(struct vmfex_finding *f)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "severity",
	                       json_object_new_string(vmfex_severity_to_string(vmfex_finding_get_severity(f))));
	json_object_object_add(o, "code", json_object_new_string(vmfex_finding_get_code(f)));
	json_object_object_add(o, "subject", json_string_or_null(vmfex_finding_get_subject(f)));
	json_object_object_add(o, "reason", json_object_new_string(vmfex_finding_get_reason(f)));
	json_object_object_add(o, "action", json_object_new_string(vmfex_finding_get_action(f)));
	return o;
}

/* Exit status: 0 when no finding is an error, 1 otherwise. */
int cmd_check(struct vmfexctl *g, int argc, char **argv)
{
	enum { OPT_VMS = 0x100, OPT_TOPOLOGY, OPT_FI, OPT_PF };
	static const struct option options[] = {
		{ "vms", required_argument, NULL, OPT_VMS },
		{ "topology", required_argument, NULL, OPT_TOPOLOGY },
		{ "fi-model", required_argument, NULL, OPT_FI },
		{ "pf", required_argument, NULL, OPT_PF },
		{}
	};
	struct vmfex_advisor_opts opts = { .sz = sizeof(opts) };
	struct vmfex_findings *findings;
	struct vmfex_finding *f;
	struct vmfex_ctx *ctx;
	unsigned long vms;
	struct args a;
	int c, r;

	args_init(&a, g, argc, argv, options, 0, 0);
	while ((c = args_next(&a)) > 0) {
		switch (c) {
		case OPT_VMS:
			if (parse_uint_arg(a.arg, 65535, &vms) < 0)
				return usage_error("check: --vms takes a number, not '%s'", a.arg);
			opts.vms = (unsigned int)vms;
			break;
		case OPT_TOPOLOGY:
			if (parse_topology(a.arg, &opts.topology) < 0)
				return usage_error("check: --topology is passthrough, hostdev or private, not '%s'",
				                   a.arg);
			break;
		case OPT_FI:
			opts.fi_model = a.arg;
			break;
		case OPT_PF:
			opts.pf = a.arg;
			break;
		}
	}
	if (c == ARGS_EXIT)
		return a.status;
	r = open_ctx(g, &ctx);
	if (r)
		return r;
	r = vmfex_advisor_check(ctx, &opts, &findings);
	if (r < 0) {
		vmfex_unref(ctx);
		return fail(r, "check");
	}
	if (g->json) {
		json_object *o = json_object_new_object(), *arr = json_object_new_array();

		vmfex_findings_foreach(findings, f)
			json_object_array_add(arr, finding_json(f));
		json_object_object_add(o, "findings", arr);
		json_object_object_add(o, "verdict",
		                       json_object_new_string(vmfex_severity_to_string(
		                               vmfex_findings_get_max_severity(findings))));
		print_json(o);
		json_object_put(o);
	} else {
		vmfex_findings_foreach(findings, f) {
			const char *subject = vmfex_finding_get_subject(f);

			printf("%-7s %s%s%s: %s\n", vmfex_severity_to_string(vmfex_finding_get_severity(f)),
			       vmfex_finding_get_code(f), subject ? " " : "", subject ? subject : "",
			       vmfex_finding_get_reason(f));
			if (strcmp(vmfex_finding_get_action(f), "nothing") != 0)
				printf("        -> %s\n", vmfex_finding_get_action(f));
		}
	}
	r = vmfex_findings_get_max_severity(findings) == VMFEX_SEVERITY_ERROR ? EXIT_FAIL : EXIT_OK;
	vmfex_findings_unref(findings);
	vmfex_unref(ctx);
	return r;
}
