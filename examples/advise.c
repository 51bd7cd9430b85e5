/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Ask the advisor whether the host can give 8 VMs a VF each, and list the
 * VFs already leased to VMs.
 *
 *   cc advise.c $(pkg-config --cflags --libs libvmfex)
 *   VMFEX_SIM=/tmp/ucs ./a.out
 */
#include <stdio.h>
#include <string.h>

#include <libvmfex/libvmfex.h>

int main(void)
{
	struct vmfex_advisor_opts opts = { .sz = sizeof(opts), .vms = 8 };
	struct vmfex_findings *findings;
	struct vmfex_lease_list *leases;
	struct vmfex_finding *f;
	struct vmfex_lease *l;
	struct vmfex_ctx *ctx;
	int r;

	r = vmfex_new(&ctx);
	if (r < 0)
		return 1;
	r = vmfex_advisor_check(ctx, &opts, &findings);
	if (r == 0) {
		vmfex_findings_foreach(findings, f)
			printf("%s %s: %s\n", vmfex_severity_to_string(vmfex_finding_get_severity(f)),
			       vmfex_finding_get_code(f), vmfex_finding_get_reason(f));
		vmfex_findings_unref(findings);
		r = vmfex_lease_list_new(ctx, &leases);
	}
	if (r == 0) {
		vmfex_lease_list_foreach(leases, l)
			printf("lease %s VF %u: %s\n", vmfex_lease_get_pf(l),
			       vmfex_lease_get_vf_index(l), vmfex_lease_get_vm_uuid(l));
		vmfex_lease_list_unref(leases);
	}
	if (r < 0)
		fprintf(stderr, "advisor: %s\n", strerror(-r));
	vmfex_unref(ctx);
	return r < 0 ? 1 : 0;
}
