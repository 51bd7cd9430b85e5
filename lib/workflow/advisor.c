/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The advisor: the host's VIC adapters, VFs and drivers against a plan
 * (VM count, topology, fabric interconnect), as findings. Reads only. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libvmfex/libvmfex.h>
#include <libvmfex/advisor.h>
#include <libvmfex/workflow.h>

#include "libvmfex-private.h"

/* A Cisco VIC adapter has at most 116 vNICs, static and dynamic
 * (the configuration guide's VM-FEX overview). */
#define VIC_MAX_VNICS 116

struct vmfex_finding {
	enum vmfex_severity severity;
	char *code, *subject, *reason, *action;
};

struct vmfex_findings {
	int refcount;
	struct vmfex_ctx *ctx;
	struct vmfex_finding *items;
	size_t n, cap;
};

/* The VIC models by PCI subsystem id (subsystem vendor 0x1137) under
 * 1137:0043, as named in pci.ids. The guide lists 1240, 1280, 1225,
 * 1225T, 1227, 1227T, 1340, 1380, 1385, 1387, 1440, 1480, 1455 and 1457
 * as not supporting SR-IOV with VM-FEX; the 1227T has no entry in pci.ids,
 * so its id is unknown and it is reported as an unknown model. */
static const struct vic_model {
	uint16_t subsystem;
	const char *name;
	bool sriov_vmfex;
} vic_models[] = {
	{ 0x0047, "P81E", true },
	{ 0x0048, "M81KR", true },
	{ 0x004f, "1280", false },
	{ 0x0084, "1240", false },
	{ 0x0085, "1225", false },
	{ 0x00cd, "1285", true },
	{ 0x00ce, "1225T", false },
	{ 0x012c, "1340", false },
	{ 0x012e, "1227", false },
	{ 0x0137, "1380", false },
	{ 0x014d, "1385", false },
	{ 0x015d, "1387", false },
	{ 0x0215, "1440", false },
	{ 0x0216, "1480", false },
	{ 0x0217, "1455", false },
	{ 0x0218, "1457", false },
	{ 0x0219, "1485", true },
	{ 0x021a, "1487", true },
};

static const struct vic_model *vic_model_find(uint16_t subsystem)
{
	for (size_t i = 0; i < ARRAY_SIZE(vic_models); i++)
		if (vic_models[i].subsystem == subsystem)
			return &vic_models[i];
	return NULL;
}

static void finding_clear(struct vmfex_finding *f)
{
	free(f->code);
	free(f->subject);
	free(f->reason);
	free(f->action);
}

static int add(struct vmfex_findings *l, enum vmfex_severity sev, const char *code,
               const char *subject, const char *action, const char *fmt, ...) _printf_(6, 7);
static int add(struct vmfex_findings *l, enum vmfex_severity sev, const char *code,
               const char *subject, const char *action, const char *fmt, ...)
{
	struct vmfex_finding *f;
	va_list ap;
	int r;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct vmfex_finding *p = reallocarray(l->items, cap, sizeof(*p));

		if (!p)
			return -ENOMEM;
		l->items = p;
		l->cap = cap;
	}
	f = &l->items[l->n];
	memset(f, 0, sizeof(*f));
	f->severity = sev;
	f->code = strdup(code);
	f->subject = subject ? strdup(subject) : NULL;
	f->action = strdup(action);
	va_start(ap, fmt);
	r = vasprintf(&f->reason, fmt, ap);
	va_end(ap);
	if (r < 0)
		f->reason = NULL;
	if (!f->code || (subject && !f->subject) || !f->action || !f->reason) {
		finding_clear(f);
		return -ENOMEM;
	}
	l->n++;
	return 0;
}

/* VFs of @pf taken: with a port profile associated (or being associated),
 * or reserved by the VF allocator under a lease that is not stale (a stale
 * one may be reclaimed by the next reservation). A lease file that cannot
 * be read leaves the leases out: the advisor reports, it does not fail. */
static unsigned int count_vfs_taken(struct vmfex_pf *pf, struct vmfex_lease_list *leases)
{
	unsigned int n = vmfex_pf_get_num_vfs(pf), taken = 0;
	struct vmfex_link *link = NULL;
	struct vmfex_link_vf *lvf;
	struct vmfex_lease *lease;
	bool *busy;

	busy = calloc(n ? n : 1, sizeof(*busy));
	if (!busy)
		return 0;
	if (vmfex_pf_get_ifname(pf) && vmfex_link_new_from_pf(pf, &link) == 0) {
		vmfex_link_foreach_vf(link, lvf) {
			const struct vmfex_port_state *ps = vmfex_link_vf_get_port(lvf);
			const char *profile = ps ? vmfex_port_state_get_profile(ps) : NULL;
			unsigned int i = vmfex_link_vf_get_index(lvf);

			if (profile && *profile && i < n)
				busy[i] = true;
		}
		vmfex_link_unref(link);
	}
	vmfex_lease_list_foreach(leases, lease) {
		unsigned int i = vmfex_lease_get_vf_index(lease);

		if (!vmfex_lease_is_stale(lease) && i < n &&
		    strcmp(vmfex_lease_get_pf(lease), vmfex_pf_get_pci(pf)) == 0)
			busy[i] = true;
	}
	for (unsigned int i = 0; i < n; i++)
		taken += busy[i];
	free(busy);
	return taken;
}

static bool is_vic_pf(struct vmfex_pf *pf)
{
	return vmfex_pf_get_vendor_id(pf) == VMFEX_PCI_VENDOR_CISCO &&
	       vmfex_pf_get_device_id(pf) == VMFEX_PCI_DEVICE_VIC_ENIC;
}

static int check_model(struct vmfex_findings *l, struct vmfex_pf *pf)
{
	const char *pci = vmfex_pf_get_pci(pf);
	uint16_t ssv = vmfex_pf_get_subsystem_vendor_id(pf);
	uint16_t ssd = vmfex_pf_get_subsystem_device_id(pf);
	const struct vic_model *m = ssv == VMFEX_PCI_VENDOR_CISCO ? vic_model_find(ssd) : NULL;

	if (!m)
		return add(l, VMFEX_SEVERITY_WARNING, "vic-model-unknown", pci,
		           "check the adapter's model against the guide's list of VICs without SR-IOV with VM-FEX",
		           "VIC with subsystem id %04x:%04x is not a model the advisor knows", ssv, ssd);
	if (!m->sriov_vmfex)
		return add(l, VMFEX_SEVERITY_ERROR, "vic-no-sriov-vmfex", pci,
		           "use a VIC that supports SR-IOV with VM-FEX (such as the M81KR, P81E, 1285 or 1485), or VM-FEX without SR-IOV",
		           "VIC %s (subsystem id 1137:%04x) does not support SR-IOV with VM-FEX", m->name, ssd);
	return add(l, VMFEX_SEVERITY_INFO, "vic-model", pci, "nothing",
	           "VIC %s (subsystem id 1137:%04x) supports SR-IOV with VM-FEX", m->name, ssd);
}

struct pf_counts {
	unsigned int free_vfs;
	unsigned int vfs;          /* enabled */
	unsigned int no_iommu;     /* VFs without an IOMMU group */
	unsigned int no_netdev;    /* VFs without a netdev */
};

static int count_pf(struct vmfex_ctx *ctx, struct vmfex_pf *pf, struct vmfex_lease_list *leases,
                    struct pf_counts *c)
{
	char path[PATH_MAX];
	struct vmfex_vf *vf;
	unsigned int used;
	int r;

	c->vfs = vmfex_pf_get_num_vfs(pf);
	used = count_vfs_taken(pf, leases);
	c->free_vfs = c->vfs > used ? c->vfs - used : 0;
	vmfex_pf_foreach_vf(pf, vf) {
		r = vmfex_sysfs_path(ctx, path, sizeof(path), "bus/pci/devices/%s/iommu_group",
		                     vmfex_vf_get_pci(vf));
		if (r < 0)
			return r;
		if (vmfex_sysfs_exists(path) != 1)
			c->no_iommu++;
		if (!vmfex_vf_get_ifname(vf))
			c->no_netdev++;
	}
	return 0;
}

static int check_topology(struct vmfex_ctx *ctx, struct vmfex_findings *l,
                          const struct vmfex_advisor_opts *o, struct vmfex_pf **pfs, size_t n,
                          const struct pf_counts *counts)
{
	char path[PATH_MAX];
	int r;

	switch (o->topology) {
	case VMFEX_XML_TOPOLOGY_PROFILE:
		return add(l, VMFEX_SEVERITY_INFO, "topology-none", NULL,
		           "choose hostdev or MacVTap passthrough to check it",
		           "no topology planned: its checks are skipped");
	case VMFEX_XML_TOPOLOGY_MACVTAP_PRIVATE:
		return add(l, VMFEX_SEVERITY_ERROR, "macvtap-private-unsupported", NULL,
		           "use SR-IOV with MacVTap passthrough, which keeps live migration",
		           "MacVTap direct private mode is not supported by UCS Manager since release 2.1");
	case VMFEX_XML_TOPOLOGY_MACVTAP_PASSTHROUGH:
		r = add(l, VMFEX_SEVERITY_INFO, "live-migration", NULL, "nothing",
		        "MacVTap passthrough (virtio in the VM) supports live migration");
		if (r < 0)
			return r;
		for (size_t i = 0; i < n; i++) {
			if (!counts[i].vfs || !counts[i].no_netdev)
				continue;
			r = add(l, counts[i].no_netdev == counts[i].vfs ? VMFEX_SEVERITY_ERROR
			                                                : VMFEX_SEVERITY_WARNING,
			        "vf-no-netdev", vmfex_pf_get_pci(pfs[i]),
			        "bind these VFs to enic (vmfexctl vf bind) so that macvtap has a netdev to sit on",
			        "%u of %u VFs have no netdev for MacVTap passthrough",
			        counts[i].no_netdev, counts[i].vfs);
			if (r < 0)
				return r;
		}
		return 0;
	case VMFEX_XML_TOPOLOGY_HOSTDEV:
		r = add(l, VMFEX_SEVERITY_WARNING, "no-live-migration", NULL,
		        "use MacVTap passthrough for VMs that must migrate live",
		        "hostdev (VF passthrough, enic in the VM) does not support live migration");
		if (r < 0)
			return r;
		for (size_t i = 0; i < n; i++) {
			if (!counts[i].no_iommu)
				continue;
			r = add(l, VMFEX_SEVERITY_ERROR, "vf-no-iommu-group", vmfex_pf_get_pci(pfs[i]),
			        "enable the IOMMU (intel_iommu=on or amd_iommu=on, and VT-d in the firmware)",
			        "%u of %u VFs have no IOMMU group: vfio-pci cannot take them",
			        counts[i].no_iommu, counts[i].vfs);
			if (r < 0)
				return r;
		}
		r = vmfex_sysfs_path(ctx, path, sizeof(path), "bus/pci/drivers/vfio-pci");
		if (r < 0)
			return r;
		if (vmfex_sysfs_exists(path) != 1)
			return add(l, VMFEX_SEVERITY_ERROR, "no-vfio-pci", NULL,
			           "load it: modprobe vfio-pci",
			           "the vfio-pci driver is not loaded: hostdev VFs cannot be given to VMs");
		return 0;
	}
	ERR(ctx, "advisor: unknown topology %d", (int)o->topology);
	return -EINVAL;
}

static int check_fi(struct vmfex_findings *l, const char *fi)
{
	if (!fi)
		return add(l, VMFEX_SEVERITY_INFO, "fi-unknown", NULL,
		           "give the fabric interconnect's model to check it (the UCS 6454 has no VM-FEX)",
		           "the host cannot see the fabric interconnect's model");
	if (strstr(fi, "6454"))
		return add(l, VMFEX_SEVERITY_ERROR, "fi-no-vmfex", NULL,
		           "connect the host to fabric interconnects that support VM-FEX (such as the 6200 or 6300 series)",
		           "the UCS 6454 fabric interconnect does not support VM-FEX, port profiles or DVS");
	return add(l, VMFEX_SEVERITY_INFO, "fi-model", NULL, "nothing",
	           "fabric interconnect %s is not one known to lack VM-FEX", fi);
}

static int check_pfs(struct vmfex_ctx *ctx, struct vmfex_findings *l,
                     const struct vmfex_advisor_opts *o, struct vmfex_pf **pfs, size_t n)
{
	struct pf_counts *counts = calloc(n ? n : 1, sizeof(*counts));
	struct vmfex_lease_list *leases = NULL;
	unsigned int free_vfs = 0, vnics = 0;
	int r = 0;

	if (!counts)
		return -ENOMEM;
	if (vmfex_lease_list_new(ctx, &leases) < 0)
		leases = NULL;
	for (size_t i = 0; i < n && r >= 0; i++) {
		r = check_model(l, pfs[i]);
		if (r >= 0)
			r = count_pf(ctx, pfs[i], leases, &counts[i]);
		if (r >= 0 && !counts[i].vfs)
			r = add(l, VMFEX_SEVERITY_ERROR, "no-vfs", vmfex_pf_get_pci(pfs[i]),
			        "enable SR-IOV VFs (dynamic vNICs) on the adapter's service profile in UCS Manager",
			        "PF %s has no VFs enabled", vmfex_pf_get_ifname(pfs[i]) ?
			        vmfex_pf_get_ifname(pfs[i]) : vmfex_pf_get_pci(pfs[i]));
		free_vfs += counts[i].free_vfs;
		vnics += 1 + counts[i].vfs;
	}
	if (r < 0)
		goto out;
	if (o->vms && o->vms > free_vfs)
		r = add(l, VMFEX_SEVERITY_ERROR, "vfs-short", NULL,
		        "enable more VFs in UCS Manager, release VFs no longer used (vmfexctl vf leases), or plan fewer VMs on this host",
		        "%u VMs planned but only %u VFs are free", o->vms, free_vfs);
	else if (o->vms)
		r = add(l, VMFEX_SEVERITY_INFO, "vfs-enough", NULL, "nothing",
		        "%u VMs planned and %u VFs are free", o->vms, free_vfs);
	if (r < 0)
		goto out;
	if (vnics > VIC_MAX_VNICS)
		r = add(l, VMFEX_SEVERITY_WARNING, "vnic-limit", NULL,
		        "make sure these vNICs are spread over several adapters",
		        "%u vNICs (PFs and VFs) are enabled, more than the %u one VIC adapter can hold",
		        vnics, VIC_MAX_VNICS);
	else if (o->vms && vnics - free_vfs + o->vms > VIC_MAX_VNICS)
		r = add(l, VMFEX_SEVERITY_WARNING, "vnic-limit", NULL,
		        "spread the VMs over several adapters or hosts",
		        "%u VMs on top of the %u vNICs in use exceed the %u vNICs of one VIC adapter",
		        o->vms, vnics - free_vfs, VIC_MAX_VNICS);
	if (r >= 0)
		r = check_topology(ctx, l, o, pfs, n, counts);
out:
	vmfex_lease_list_unref(leases);
	free(counts);
	return r;
}

_public_ int vmfex_advisor_check(struct vmfex_ctx *ctx, const struct vmfex_advisor_opts *opts,
                                 struct vmfex_findings **findings)
{
	struct vmfex_advisor_opts o;
	struct vmfex_findings *l;
	struct vmfex_pf **pfs = NULL, *pf;
	size_t n = 0;
	int r;

	if (!ctx || !findings)
		return -EINVAL;
	r = vmfex_opts_copy(&o, sizeof(o), opts);
	if (r < 0) {
		ERR(ctx, "advisor: options of an unknown size or with unknown fields set");
		return r;
	}
	if (o.topology < VMFEX_XML_TOPOLOGY_PROFILE || o.topology > VMFEX_XML_TOPOLOGY_MACVTAP_PRIVATE) {
		ERR(ctx, "advisor: unknown topology %d", (int)o.topology);
		return -EINVAL;
	}
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->refcount = 1;
	l->ctx = vmfex_ref(ctx);
	if (o.pf) {
		r = vmfex_pf_new_from_name(ctx, o.pf, &pf);
		if (r < 0) {
			ERR(ctx, "advisor: PF %s: %s", o.pf, strerror(-r));
			goto fail;
		}
		pfs = calloc(1, sizeof(*pfs));
		if (!pfs) {
			vmfex_pf_unref(pf);
			r = -ENOMEM;
			goto fail;
		}
		pfs[n++] = pf;
		if (!is_vic_pf(pf)) {
			r = add(l, VMFEX_SEVERITY_ERROR, "not-a-vic", vmfex_pf_get_pci(pf),
			        "choose a Cisco VIC PF (1137:0043)",
			        "PF %04x:%04x is not a Cisco VIC: it has no VM-FEX",
			        vmfex_pf_get_vendor_id(pf), vmfex_pf_get_device_id(pf));
			goto done;
		}
	} else {
		vmfex_pf_foreach(ctx, pf) {
			struct vmfex_pf **p;

			if (!is_vic_pf(pf))
				continue;
			p = reallocarray(pfs, n + 1, sizeof(*pfs));
			if (!p) {
				r = -ENOMEM;
				goto fail;
			}
			pfs = p;
			pfs[n++] = vmfex_pf_ref(pf);
		}
		if (!n) {
			r = add(l, VMFEX_SEVERITY_ERROR, "no-vic", NULL,
			        "VM-FEX needs a Cisco VIC with SR-IOV VFs",
			        "the host has no Cisco VIC PF (1137:0043) with SR-IOV");
			goto done;
		}
	}
	r = check_pfs(ctx, l, &o, pfs, n);
	if (r < 0)
		goto fail;
done:
	if (r >= 0)
		r = check_fi(l, o.fi_model);
	if (r < 0)
		goto fail;
	for (size_t i = 0; i < n; i++)
		vmfex_pf_unref(pfs[i]);
	free(pfs);
	*findings = l;
	return 0;
fail:
	if (r == -ENOMEM)
		ERR(ctx, "advisor: out of memory");
	for (size_t i = 0; i < n; i++)
		vmfex_pf_unref(pfs[i]);
	free(pfs);
	vmfex_findings_unref(l);
	return r;
}

_public_ struct vmfex_findings *vmfex_findings_ref(struct vmfex_findings *findings)
{
	if (findings)
		findings->refcount++;
	return findings;
}

_public_ struct vmfex_findings *vmfex_findings_unref(struct vmfex_findings *findings)
{
	if (!findings || --findings->refcount > 0)
		return NULL;
	for (size_t i = 0; i < findings->n; i++)
		finding_clear(&findings->items[i]);
	free(findings->items);
	vmfex_unref(findings->ctx);
	free(findings);
	return NULL;
}

_public_ struct vmfex_ctx *vmfex_findings_get_ctx(const struct vmfex_findings *findings)
{
	return findings->ctx;
}

_public_ size_t vmfex_findings_get_count(const struct vmfex_findings *findings)
{
	return findings ? findings->n : 0;
}

_public_ enum vmfex_severity vmfex_findings_get_max_severity(const struct vmfex_findings *findings)
{
	enum vmfex_severity max = VMFEX_SEVERITY_INFO;

	for (size_t i = 0; findings && i < findings->n; i++)
		if (findings->items[i].severity > max)
			max = findings->items[i].severity;
	return max;
}

_public_ struct vmfex_finding *vmfex_findings_next(struct vmfex_findings *findings,
                                                   struct vmfex_finding *prev)
{
	size_t i;

	if (!findings || !findings->n)
		return NULL;
	if (!prev)
		return &findings->items[0];
	i = (size_t)(prev - findings->items) + 1;
	return i < findings->n ? &findings->items[i] : NULL;
}

_public_ enum vmfex_severity vmfex_finding_get_severity(const struct vmfex_finding *finding)
{
	return finding->severity;
}

_public_ const char *vmfex_finding_get_code(const struct vmfex_finding *finding)
{
	return finding->code;
}

_public_ const char *vmfex_finding_get_subject(const struct vmfex_finding *finding)
{
	return finding->subject;
}

_public_ const char *vmfex_finding_get_reason(const struct vmfex_finding *finding)
{
	return finding->reason;
}

_public_ const char *vmfex_finding_get_action(const struct vmfex_finding *finding)
{
	return finding->action;
}

_public_ const char *vmfex_severity_to_string(enum vmfex_severity severity)
{
	switch (severity) {
	case VMFEX_SEVERITY_INFO:
		return "info";
	case VMFEX_SEVERITY_WARNING:
		return "warning";
	case VMFEX_SEVERITY_ERROR:
		return "error";
	}
	return NULL;
}
