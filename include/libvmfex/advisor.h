/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file advisor.h
 * @brief The advisor: can this host do VM-FEX as planned? And a picture of
 *        the host's VM-FEX topology in Graphviz DOT.
 *
 * vmfex_advisor_check() looks at the host's VIC adapters, their VFs and the
 * drivers loaded, against a plan (how many VMs, which topology, which fabric
 * interconnect), and returns findings: each with a severity, a stable code,
 * a one-line reason and what to do. It changes nothing on the host.
 *
 * vmfex_topology_write_dot() draws the PFs, their VFs, the port profiles
 * associated with them, the VF allocator's leases and the VMs using them,
 * as the Cisco configuration guide draws them: VM to VF directly for
 * hostdev, VM to macvtap to VF for MacVTap passthrough.
 *
 * @par Inside a walk
 * vmfex_advisor_check() and vmfex_topology_write_dot() make walks of their
 * own over the PFs; they may be called inside a walk of PFs or VFs
 * (vmfex_pf_foreach(), vmfex_pf_foreach_vf()), which goes on unchanged (see
 * pf.h). Findings are a snapshot: every call may be made inside
 * vmfex_findings_foreach().
 */
#ifndef LIBVMFEX_ADVISOR_H
#define LIBVMFEX_ADVISOR_H

#include <stdbool.h>
#include <stddef.h>

#include <libvmfex/context.h>
#include <libvmfex/libvirt.h>
#include <libvmfex/workflow.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup advisor The advisor
 * @brief Check what the host can give the VMs planned, as findings with a severity, a code, a reason and an action.
 *
 * Declared in advisor.h. Example (examples/advise.c, built and run by the
 * tests):
 * @include advise.c
 * @{
 */

struct vmfex_findings;
struct vmfex_finding;

/** How serious a finding is. */
enum vmfex_severity {
	VMFEX_SEVERITY_INFO = 0,    /**< a fact worth knowing; nothing to fix */
	VMFEX_SEVERITY_WARNING = 1, /**< the plan works with a limit or a risk */
	VMFEX_SEVERITY_ERROR = 2,   /**< the plan cannot work as it is */
};

/** The plan the host is checked against; every field may be left zero. */
struct vmfex_advisor_opts {
	/** Size of this structure, for compatibility. */
	size_t sz;
	/** Check only this PF (netdev or PCI address); NULL: every Cisco VIC PF. */
	const char *pf;
	/** How many VMs are to get a VM-FEX port (0: no count is checked). */
	unsigned int vms;
	/** The topology planned; #VMFEX_XML_TOPOLOGY_PROFILE (0): none chosen,
	 *  and the checks of a topology are skipped. */
	enum vmfex_xml_topology topology;
	/** The fabric interconnect's model, such as "UCS-FI-6454" or "6248"
	 *  (the host cannot see it); NULL: unknown. */
	const char *fi_model;
};

/**
 * @brief Check the host against a plan.
 *
 * Findings (codes are stable; see the README for the list): the VIC model
 * from the PF's PCI subsystem id against the guide's VICs without SR-IOV
 * with VM-FEX; VFs available (enabled, no port profile associated, no
 * lease of the VF allocator that is not stale) against
 * the VMs planned; the adapter's 116-vNIC limit; live migration with the
 * topology; for hostdev an IOMMU group for the VFs and the vfio-pci driver;
 * for MacVTap passthrough a netdev on the VFs; MacVTap private, unsupported
 * since UCS 2.1; the UCS 6454 fabric interconnect, without VM-FEX.
 *
 * @param ctx  the context
 * @param opts  the plan, or NULL (nothing planned: the host's facts only)
 * @param[out] findings  the findings, with a new reference
 * @return 0 (the plan's verdict is in the findings, not in the return
 *         value); -EINVAL for bad arguments or options; -ENODEV when
 *         @c opts->pf is not a PF; -ENOMEM; other negative errno values
 *         when sysfs cannot be read
 * @since 0.1
 */
int vmfex_advisor_check(struct vmfex_ctx *ctx, const struct vmfex_advisor_opts *opts,
                        struct vmfex_findings **findings);

/**
 * @brief Take a reference on a findings list.
 * @param findings  the list, or NULL
 * @return @p findings
 * @since 0.1
 */
struct vmfex_findings *vmfex_findings_ref(struct vmfex_findings *findings);

/**
 * @brief Drop a reference on a findings list, freeing it with the last one.
 * @param findings  the list, or NULL
 * @return NULL
 * @since 0.1
 */
struct vmfex_findings *vmfex_findings_unref(struct vmfex_findings *findings);

/**
 * @brief The context of a findings list.
 * @param findings  the findings
 * @return the context (borrowed)
 * @since 1.0
 */
struct vmfex_ctx *vmfex_findings_get_ctx(const struct vmfex_findings *findings);

/**
 * @brief How many findings the list holds.
 * @param findings  the list
 * @return the count (0 for NULL)
 * @since 0.1
 */
size_t vmfex_findings_get_count(const struct vmfex_findings *findings);

/**
 * @brief The most serious severity among the findings.
 * @param findings  the list
 * @return a #vmfex_severity; #VMFEX_SEVERITY_INFO for an empty list or NULL
 * @since 0.1
 */
enum vmfex_severity vmfex_findings_get_max_severity(const struct vmfex_findings *findings);

/**
 * @brief The finding after @p prev, in the order they were found.
 * @param findings  the list
 * @param prev  the previous finding, or NULL for the first
 * @return the next finding (owned by the list), or NULL after the last
 * @since 0.1
 */
struct vmfex_finding *vmfex_findings_next(struct vmfex_findings *findings,
                                          struct vmfex_finding *prev);

/** Iterate over the findings of a list. */
#define vmfex_findings_foreach(findings, f) \
	for ((f) = vmfex_findings_next((findings), NULL); (f); (f) = vmfex_findings_next((findings), (f)))

/**
 * @brief A finding's severity.
 * @param finding  the finding
 * @return a #vmfex_severity
 * @since 0.1
 */
enum vmfex_severity vmfex_finding_get_severity(const struct vmfex_finding *finding);

/**
 * @brief A finding's code: a stable name, such as "vic-no-sriov-vmfex",
 *        for programs to match.
 * @param finding  the finding
 * @return the code
 * @since 0.1
 */
const char *vmfex_finding_get_code(const struct vmfex_finding *finding);

/**
 * @brief What the finding is about: a PF's PCI address, or NULL for the
 *        host or the plan as a whole.
 * @param finding  the finding
 * @return the subject, or NULL
 * @since 0.1
 */
const char *vmfex_finding_get_subject(const struct vmfex_finding *finding);

/**
 * @brief A finding's reason, one line.
 * @param finding  the finding
 * @return the reason
 * @since 0.1
 */
const char *vmfex_finding_get_reason(const struct vmfex_finding *finding);

/**
 * @brief What to do about a finding, one line.
 * @param finding  the finding
 * @return the advice ("nothing" for a fact that needs nothing)
 * @since 0.1
 */
const char *vmfex_finding_get_action(const struct vmfex_finding *finding);

/**
 * @brief The name of a severity: "info", "warning" or "error".
 * @param severity  the severity
 * @return its name, or NULL for an unknown value
 * @since 0.1
 */
const char *vmfex_severity_to_string(enum vmfex_severity severity);

/** What vmfex_topology_write_dot() draws. */
struct vmfex_topology_dot_opts {
	/** Size of this structure, for compatibility. */
	size_t sz;
	/** The domains (VMs) whose interfaces are drawn to the VFs they use;
	 *  may be NULL when @c n_domains is 0. */
	struct vmfex_xml_domain *const *domains;
	/** How many domains @c domains holds. */
	size_t n_domains;
	/** Draw only this PF (netdev or PCI address); NULL: every SR-IOV PF. */
	const char *pf;
	/** Leave out the port profiles (no rtnetlink request is made). */
	bool no_profiles;
};

/**
 * @brief The host's VM-FEX topology as a Graphviz DOT graph.
 *
 * One cluster per PF holding its VFs, each VF labelled with its index,
 * netdev, the port profile associated with it (read with
 * vmfex_link_new_from_pf()) and its lease (vmfex_lease_list_new()), and filled
 * by its port's state (associated, in progress, refused with the
 * adapter's response) or its lease, which a legend cluster names; VMs as
 * boxes, joined to their VF directly for hostdev and through a macvtap
 * node for MacVTap passthrough. Every name
 * is escaped for a DOT quoted string.
 *
 * @param ctx  the context
 * @param opts  options, or NULL
 * @param[out] dot  the graph, NUL-terminated, to be freed with free()
 * @param[out] len  its length without the NUL, or NULL
 * @return 0; -EINVAL for bad arguments or options; -ENODEV when
 *         @c opts->pf is not a PF; -ENOMEM; other negative errno values
 *         when sysfs cannot be read
 * @since 0.1
 */
int vmfex_topology_write_dot(struct vmfex_ctx *ctx, const struct vmfex_topology_dot_opts *opts,
                             char **dot, size_t *len);

/** @} */

#ifdef __cplusplus
}
#endif

#endif
