/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The simulated host: a description (sim-desc.c), a sysfs tree built and
 * changed by primitives (sim-tree.c), and the kernel's rules for writes
 * (sim-pci.c). */
#ifndef LIBVMFEX_SIM_PRIVATE_H
#define LIBVMFEX_SIM_PRIVATE_H

#include "libvmfex-private.h"

#define SIM_DESC_FILE "host.json"
#define SIM_SYSFS_DIR "sysfs"
#define SIM_STATE_DIR "state"
#define SIM_LOCK_FILE "lock"
#define SIM_DESC_MAX_BYTES (1 << 20)

struct sim_driver {
	char name[VMFEX_DRIVER_NAME_MAX + 1];
	bool sriov_configure;        /* may change the VF count (enic: no) */
	bool netdev;                 /* binding makes a netdev */
	bool needs_iommu;            /* probe fails without an IOMMU group */
};

struct sim_sriov {
	unsigned int total_vfs, num_vfs, offset, stride;
	uint16_t vf_device;
	char vf_driver[VMFEX_DRIVER_NAME_MAX + 1];
	char vf_ifname_prefix[VMFEX_IFNAMSIZ];
	bool drivers_autoprobe;
};

struct sim_device {
	struct vmfex_pci_addr addr;
	char pci[VMFEX_PCI_ADDR_LEN];
	uint16_t vendor, device, subsystem_vendor, subsystem_device;
	uint32_t class_code;
	char driver[VMFEX_DRIVER_NAME_MAX + 1];
	char ifname[VMFEX_IFNAMSIZ];
	bool has_sriov;
	struct sim_sriov sriov;
};

struct sim_desc {
	char *description;
	bool iommu;
	char dmi_product_uuid[37];
	struct sim_driver *drivers;
	size_t n_drivers;
	struct sim_device *devices;
	size_t n_devices;
};

struct vmfex_sim {
	struct vmfex_ctx *ctx;       /* not referenced: the sim lives in it */
	char *dir;
	char *root;                  /* dir/sysfs */
	struct sim_desc *desc;
	int lock_fd;
};

/* sim-desc.c */
int vmfex_sim_desc_parse(struct vmfex_ctx *ctx, const char *buf, size_t len,
                         struct sim_desc **desc);
void vmfex_sim_desc_free(struct sim_desc *desc);
const struct sim_driver *vmfex_sim_desc_driver(const struct sim_desc *desc, const char *name);
const struct sim_device *vmfex_sim_desc_device(const struct sim_desc *desc,
                                               const struct vmfex_pci_addr *addr);

/* sim.c */
int vmfex_sim_read_desc(struct vmfex_ctx *ctx, const char *path, struct sim_desc **desc);
int vmfex_sim_lock(struct vmfex_sim *sim);
void vmfex_sim_unlock(struct vmfex_sim *sim);

/* sim-tree.c */
int sim_path(struct vmfex_sim *sim, char *buf, size_t size, const char *fmt, ...) _printf_(4, 5);
int sim_write_file(struct vmfex_sim *sim, const char *rel, const char *content);
int sim_read_file(struct vmfex_sim *sim, const char *rel, char *buf, size_t size);
int sim_exists(struct vmfex_sim *sim, const char *rel);
int sim_add_device(struct vmfex_sim *sim, const struct sim_device *dev, const char *parent,
                   const struct vmfex_pci_addr *physfn);
int sim_remove_device(struct vmfex_sim *sim, const char *pci);
int sim_device_dir(struct vmfex_sim *sim, const char *pci, char *buf, size_t size);
int sim_device_driver(struct vmfex_sim *sim, const char *pci, char *buf, size_t size);
int sim_bind(struct vmfex_sim *sim, const char *pci, const char *driver);
int sim_unbind(struct vmfex_sim *sim, const char *pci);
int sim_add_driver(struct vmfex_sim *sim, const struct sim_driver *drv);

/* sim-pci.c */
int sim_enable_vfs(struct vmfex_sim *sim, const struct sim_device *pf, unsigned int num);
int sim_disable_vfs(struct vmfex_sim *sim, const struct sim_device *pf);
int sim_probe(struct vmfex_sim *sim, const char *pci);
int sim_pci_write(struct vmfex_sim *sim, const char *rel, const char *value);

#endif
