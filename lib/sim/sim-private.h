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
/* adapter.latency_ms and vmfex_sim_set_latency(): at most an hour. */
#define SIM_LATENCY_MS_MAX 3600000

/* The VF configuration ops a driver has (ndo_set_vf_*), as bits. */
enum {
	SIM_VF_OP_MAC = 1 << 0,
	SIM_VF_OP_VLAN = 1 << 1,
	SIM_VF_OP_RATE = 1 << 2,
	SIM_VF_OP_SPOOFCHK = 1 << 3,
	SIM_VF_OP_LINK_STATE = 1 << 4,
	SIM_VF_OP_TRUST = 1 << 5,
	SIM_VF_OP_RSS_QUERY_EN = 1 << 6,
};

struct sim_driver {
	char name[VMFEX_DRIVER_NAME_MAX + 1];
	bool sriov_configure;        /* may change the VF count (enic: no) */
	bool netdev;                 /* binding makes a netdev */
	bool needs_iommu;            /* probe fails without an IOMMU group */
	unsigned int vf_ops;         /* SIM_VF_OP_* */
	bool vf_info;                /* ndo_get_vf_config: GETLINK lists VFs */
	bool vf_port;                /* enic's ndo_set_vf_port/ndo_get_vf_port */
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
	unsigned int latency_ms;     /* adapter.latency_ms: port request to answer */
};

struct vmfex_sim {
	struct vmfex_ctx *ctx;       /* not referenced: the sim lives in it */
	char *dir;
	char *root;                  /* dir/sysfs */
	struct sim_desc *desc;
	int lock_fd;
	/* ifindex -> netdev name, checked against sysfs on every use
	 * (sim-rtnl.c): finding a netdev by index would otherwise read the
	 * ifindex of every netdev, thousands on a host of many VFs. */
	struct {
		int ifindex;
		char ifname[VMFEX_IFNAMSIZ];
	} rtnl_names[64];
	struct vmfex_buf answer;   /* to the last request, until received */
};

/* sim-desc.c */
int vmfex_sim_desc_parse(struct vmfex_ctx *ctx, const char *buf, size_t len,
                         struct sim_desc **desc);
void vmfex_sim_desc_free(struct sim_desc *desc);
const struct sim_driver *vmfex_sim_desc_driver(const struct sim_desc *desc, const char *name);
const struct sim_device *vmfex_sim_desc_device(const struct sim_desc *desc,
                                               const struct vmfex_pci_addr *addr);

/* sim.c: opening one, and the backend (vmfex_sim_backend) of a context on it */
int vmfex_sim_open(struct vmfex_ctx *ctx, const char *dir, struct vmfex_sim **sim);
void vmfex_sim_close(struct vmfex_sim *sim);
const char *vmfex_sim_dir(const struct vmfex_sim *sim);
/* The simulated host a context runs on, or NULL. */
static inline struct vmfex_sim *vmfex_sim_of(const struct vmfex_ctx *ctx)
{
	return vmfex_backend_data(ctx, &vmfex_sim_backend);
}
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

/* ---- The rtnetlink peer: vmfex_sim_rtnl() ---- */
/* Takes one request message as the kernel would receive it and appends to
 * reply the messages the kernel would send back to it. 0, or -ENOMEM and
 * such for failures of the simulator itself; the kernel's refusals are
 * NLMSG_ERROR messages. */
int vmfex_sim_rtnl(struct vmfex_sim *sim, const struct nlmsghdr *req, struct vmfex_buf *reply);
/* The requests of one buffer (a sendmsg()), served in order as one. */
int vmfex_sim_rtnl_many(struct vmfex_sim *sim, const void *buf, size_t len,
                        struct vmfex_buf *reply);
struct nlattr;
struct nl_msg;

/* sim-rtnl-policy.c: the kernel's attribute policies (net/core/rtnetlink.c)
 * and its way of checking them (lib/nlattr.c, deprecated parsing). */
enum sim_nla_type {
	SIM_NLA_UNSPEC,     /* len: minimum length */
	SIM_NLA_U8,
	SIM_NLA_U16,
	SIM_NLA_U32,
	SIM_NLA_S32,
	SIM_NLA_S32_MIN1,   /* NLA_POLICY_MIN(NLA_S32, 1) */
	SIM_NLA_STRING,     /* len: maximum, a trailing NUL not counted */
	SIM_NLA_NUL_STRING,
	SIM_NLA_BINARY,     /* len: maximum */
	SIM_NLA_NESTED,
	SIM_NLA_REJECT,
};

struct sim_nla_policy {
	uint8_t type;
	uint16_t len;
};

extern const struct sim_nla_policy sim_ifla_policy[];
extern const struct sim_nla_policy sim_ifla_vf_policy[];
extern const struct sim_nla_policy sim_ifla_port_policy[];
int sim_nla_parse(struct nlattr **tb, int maxtype, const void *head, int len,
                  const struct sim_nla_policy *policy);
int sim_nla_parse_nested(struct nlattr **tb, int maxtype, const struct nlattr *nla,
                         const struct sim_nla_policy *policy);

/* sim-port-state.c: what the adapter and the PF driver hold per port, kept
 * in DIR/state/ports-PCI so that every process sees it. */
#define SIM_PORT_PROFILE_MAX 40
#define SIM_PORT_UUID_MAX 16
#define SIM_PORT_SELF_VF (-1)

/* enic_port_profile.set, and whether the request reached the adapter. */
enum {
	SIM_PP_SET_REQUEST = 1 << 0,
	SIM_PP_SET_NAME = 1 << 1,
	SIM_PP_SET_INSTANCE = 1 << 2,
	SIM_PP_SET_HOST = 1 << 3,
	SIM_PP_APPLIED = 1 << 4,
};

/* One port: the VF's settings and its port profile; 128 bytes on disk. */
struct sim_port_rec {
	uint8_t mac[6];             /* VF MAC (for enic: the one the adapter holds) */
	uint8_t spoofchk, trust;
	uint16_t vlan;
	uint16_t vlan_proto;        /* network byte order, as reported */
	uint8_t qos, link_state, rss_query_en;
	uint8_t pp_set;             /* SIM_PP_* */
	uint32_t min_rate, max_rate;
	uint8_t pp_request;
	uint8_t pp_mac[6];          /* the MAC the port was provisioned with */
	uint8_t pad0;
	uint16_t outcome;           /* the response once the adapter is done */
	uint16_t pad1;
	uint32_t deinit_count;      /* times the adapter deinitialised the port */
	int64_t applied_ns;         /* CLOCK_REALTIME when the request was applied */
	int64_t done_ns;            /* when the adapter is done with it */
	char profile[SIM_PORT_PROFILE_MAX];
	uint8_t instance_uuid[SIM_PORT_UUID_MAX];
	uint8_t host_uuid[SIM_PORT_UUID_MAX];
};

/* The ports of one PCI function: PORT_SELF, then one per possible VF. */
struct sim_ports {
	struct vmfex_sim *sim;
	char path[4096];
	int fd;                     /* -1 until written */
	unsigned int total_vfs;
	unsigned int num_vfs;       /* VFs enabled now */
	struct sim_port_rec *rec;   /* total_vfs + 1 */
	size_t dirty_lo, dirty_hi;  /* records to write back, [lo, hi) */
};

/* Adapter settings and injected failures, DIR/state/adapter. */
struct sim_adapter {
	unsigned int latency_ms;
	uint16_t inject_response;   /* PORT_PROFILE_RESPONSE_* for ... */
	unsigned int inject_response_count; /* ... the next this many requests */
	int inject_errno;           /* positive errno for ... */
	unsigned int inject_errno_count;    /* ... the next this many requests */
};

void sim_port_rec_init(struct sim_port_rec *r);
int sim_ports_load(struct vmfex_sim *sim, const char *pci, unsigned int total_vfs,
                   unsigned int num_vfs, struct sim_ports *p);
struct sim_port_rec *sim_ports_get(struct sim_ports *p, int vf);
void sim_ports_dirty(struct sim_ports *p, int vf);
int sim_ports_store(struct sim_ports *p);
void sim_ports_free(struct sim_ports *p);
int sim_adapter_load(struct vmfex_sim *sim, struct sim_adapter *a);
int sim_adapter_store(struct vmfex_sim *sim, const struct sim_adapter *a);
int64_t sim_now_ns(void);

/* sim-rtnl.c: a netdev of the simulated host, as rtnetlink sees it. */
struct sim_netdev {
	char ifname[VMFEX_IFNAMSIZ];
	int ifindex;
	uint8_t addr[6];
	char pci[VMFEX_PCI_ADDR_LEN];
	uint16_t device;            /* PCI device id of its function */
	const struct sim_driver *drv;
	bool sriov;                 /* a PF with VFs enabled */
	unsigned int total_vfs, num_vfs;
};

/* One request being served: the device it addresses and its ports. */
struct sim_rtnl_dev {
	struct vmfex_sim *sim;
	struct sim_netdev nd;
	struct sim_ports ports;
	int64_t now;
	bool addr_changed;          /* nd.addr to be written back to sysfs */
	struct sim_adapter adapter; /* loaded by the first port request */
	bool adapter_loaded, adapter_dirty;
};

int sim_netdev_set_addr(struct sim_rtnl_dev *d, const uint8_t addr[6]);

/* sim-rtnl-enic.c: enic's ndo_set_vf_mac, ndo_set_vf_port, ndo_get_vf_port
 * and the port-profile requests of enic_pp.c. */
int sim_enic_check_vf(const struct sim_rtnl_dev *d, int vf);
int sim_enic_set_vf_mac(struct sim_rtnl_dev *d, int vf, const uint8_t mac[6]);
int sim_enic_set_vf_port(struct sim_rtnl_dev *d, int vf, struct nlattr **port);
int sim_enic_get_vf_port(struct sim_rtnl_dev *d, int vf, struct nl_msg *msg);

/* sim-journal.c: a line in state/journal per port request applied. */
void sim_journal_append(struct vmfex_sim *sim, const char *ifname, int vf,
                        const struct sim_port_rec *pp);

#endif
