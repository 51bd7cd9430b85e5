/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internal declarations of the host workflows (lib/workflow). */
#ifndef LIBVMFEX_WORKFLOW_PRIVATE_H
#define LIBVMFEX_WORKFLOW_PRIVATE_H

#include <stdbool.h>
#include <sys/types.h>

#include "libvmfex-private.h"
#include <libvmfex/workflow.h>

/* ---- lease.c: the lease file ---- */

#define VMFEX_VM_NAME_MAX 255

/* What an attach did to a leased VF, so that detach can undo it. */
enum {
	VMFEX_LEASE_CONFIRMED = 1 << 0,     /* 'C': never stale */
	VMFEX_LEASE_MAC_SET = 1 << 1,       /* 'M': orig_mac to restore */
	VMFEX_LEASE_ASSOCIATED = 1 << 2,    /* 'A': the library associated the port */
	VMFEX_LEASE_PREASSOCIATED = 1 << 3, /* 'P': pre-associated, awaiting migration finish */
	VMFEX_LEASE_BOUND = 1 << 4,         /* 'B': bound to vfio-pci, orig_driver to restore */
};

struct vmfex_lease {
	char pf[VMFEX_PCI_ADDR_LEN];
	unsigned int vf;
	char vm_uuid[VMFEX_UUID_STRLEN];
	char vm_name[VMFEX_VM_NAME_MAX + 1]; /* "" for none */
	pid_t pid;
	unsigned long long start;            /* /proc/PID/stat starttime */
	unsigned int flags;
	char orig_mac[VMFEX_MAC_STRLEN];    /* "" when unknown */
	char orig_driver[VMFEX_DRIVER_NAME_MAX + 1]; /* "" for none */
	bool stale;                          /* computed when read */
};

/* The lease file, read under its lock. */
struct vmfex_lease_db {
	struct vmfex_ctx *ctx;
	int lock_fd;
	char path[4096];
	struct vmfex_lease *v;
	size_t n, cap;
};

int vmfex_lease_db_open(struct vmfex_ctx *ctx, struct vmfex_lease_db *db);
int vmfex_lease_db_commit(struct vmfex_lease_db *db);
void vmfex_lease_db_close(struct vmfex_lease_db *db);
struct vmfex_lease *vmfex_lease_db_find(struct vmfex_lease_db *db, const char *pf,
                                        unsigned int vf);
void vmfex_lease_db_remove(struct vmfex_lease_db *db, struct vmfex_lease *l);
int vmfex_lease_parse_line(const char *line, struct vmfex_lease *l, const char **why);
int vmfex_proc_start_time(pid_t pid, unsigned long long *start);
int vmfex_vm_name_validate(const char *name);

/* Reserve with the VF's state before the reservation recorded in the
 * lease (its MAC and driver), for vmfex_attach(). */
int vmfex_vf_reserve_lease(struct vmfex_pf *pf, const struct vmfex_reserve_opts *opts,
                           struct vmfex_vf **vf, struct vmfex_lease *lease);

/* Reservations of a batch: the lease file read and locked once, each
 * PF's ports read once, all the leases written in one commit. The lease
 * file stays locked from the first reservation to the commit. */
struct vmfex_lease_batch_link {
	char pf[VMFEX_PCI_ADDR_LEN];
	struct vmfex_link *link;
};

struct vmfex_lease_batch {
	struct vmfex_lease_db db;
	bool open, dirty;
	struct vmfex_lease_batch_link *links;
	size_t n_links;
};

/* As vmfex_vf_reserve_lease(), the lease kept in @b until the commit. */
int vmfex_vf_reserve_lease_in(struct vmfex_lease_batch *b, struct vmfex_pf *pf,
                              const struct vmfex_reserve_opts *opts, struct vmfex_vf **vf,
                              struct vmfex_lease *lease);
/* Writes the batch's leases (when any changed), unlocks and frees; @b is
 * empty after. */
int vmfex_lease_batch_commit(struct vmfex_ctx *ctx, struct vmfex_lease_batch *b);

/* ---- attach.c ---- */

/* Steps of vmfex_attach(), in order: what vmfex_set_fault_after_step()
 * names. */
enum vmfex_attach_step {
	VMFEX_ATTACH_STEP_CHECK = 1,
	VMFEX_ATTACH_STEP_RESERVE,
	VMFEX_ATTACH_STEP_MAC,
	VMFEX_ATTACH_STEP_PORT,
	VMFEX_ATTACH_STEP_BIND,
	VMFEX_ATTACH_STEP_XML,
	VMFEX_ATTACH_STEP_CONFIRM,
};

/* ---- port-admission.c: one attach at a time between the max-ports
 * count of a catalog profile and the port request that adds to it ---- */
int vmfex_admission_lock(struct vmfex_ctx *ctx, int *fd);
void vmfex_admission_unlock(int *fd);

/* Undo one lease's attach (driver, port, MAC) and drop the lease. */
int vmfex_detach_lease(struct vmfex_ctx *ctx, const struct vmfex_lease *l);

#endif
