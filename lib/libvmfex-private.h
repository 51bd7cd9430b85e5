/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internal declarations shared by the library's layers. */
#ifndef LIBVMFEX_PRIVATE_H
#define LIBVMFEX_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>
#include <syslog.h>

#include <libvmfex/libvmfex.h>

#define _public_ __attribute__((visibility("default")))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _cleanup_(f) __attribute__((cleanup(f)))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* 36 characters and NUL. */
#define VMFEX_UUID_STRLEN 37
/* Linux IFNAMSIZ counts the NUL. */
#define VMFEX_IFNAMSIZ 16
/* "dddd:bb:dd.f" plus NUL. */
#define VMFEX_PCI_ADDR_LEN 13
/* Longest driver name accepted for driver_override. */
#define VMFEX_DRIVER_NAME_MAX 64

/* ---- core/log.c ---- */
void vmfex_log(struct vmfex_ctx *ctx, int priority, const char *file, int line,
               const char *fn, const char *format, ...) _printf_(6, 7);
int vmfex_log_priority_from_string(const char *s);

#define vmfex_log_cond(ctx, prio, ...)                                          \
	do {                                                                    \
		if (vmfex_get_log_priority(ctx) >= (prio))                      \
			vmfex_log((ctx), (prio), __FILE__, __LINE__, __func__,  \
			          __VA_ARGS__);                                 \
	} while (0)

#define DBG(ctx, ...) vmfex_log_cond(ctx, LOG_DEBUG, __VA_ARGS__)
#define INFO(ctx, ...) vmfex_log_cond(ctx, LOG_INFO, __VA_ARGS__)
#define NOTICE(ctx, ...) vmfex_log_cond(ctx, LOG_NOTICE, __VA_ARGS__)
#define WARN(ctx, ...) vmfex_log_cond(ctx, LOG_WARNING, __VA_ARGS__)
#define ERR(ctx, ...) vmfex_log_cond(ctx, LOG_ERR, __VA_ARGS__)

/* ---- core/opts.c ---- */
int vmfex_opts_copy(void *out, size_t out_sz, const void *in);

/* ---- core/backend.c: how the library reaches the host ---- */
struct vmfex_ctx;
struct nl_msg;

/* The few operations by which the layers above change or ask the host;
 * everything else is read from sysfs_root as plain files. One table per
 * kind of host, chosen when the context is made (vmfex_backend_open()). */
struct vmfex_backend_ops {
	const char *name;
	bool simulated;
	/* data: this backend's state in the context; root: the sysfs root
	 * it serves, NULL for the caller's choice. */
	int (*open)(struct vmfex_ctx *ctx, const char *arg, void **data, const char **root);
	void (*close)(void *data);
	/* Writes one attribute, with the kernel's effects. Not logged. */
	int (*sysfs_write)(struct vmfex_ctx *ctx, const char *path, const char *value);
	/* Sends one buffer of whole rtnetlink requests (one sendmsg(), the
	 * requests served in order); their answers are then received one
	 * datagram at a time (*buf allocated, the length returned; 0 when
	 * nothing more comes). */
	int (*rtnl_send)(struct vmfex_ctx *ctx, void *buf, size_t len);
	int (*rtnl_recv)(struct vmfex_ctx *ctx, unsigned char **buf);
	/* Where state shared by the host's processes lives (leases). */
	const char *(*state_dir)(const struct vmfex_ctx *ctx);
};

extern const struct vmfex_backend_ops vmfex_kernel_backend;
#if VMFEX_WITH_SIM
extern const struct vmfex_backend_ops vmfex_sim_backend;
#endif

int vmfex_backend_open(struct vmfex_ctx *ctx, const char *sim_dir, const char **root);
void vmfex_backend_close(struct vmfex_ctx *ctx);
/* The backend's state when ctx runs on ops, else NULL. */
void *vmfex_backend_data(const struct vmfex_ctx *ctx, const struct vmfex_backend_ops *ops);
const char *vmfex_backend_state_dir(const struct vmfex_ctx *ctx);

/* Test seam: vmfex_attach() on this context fails with -EIO right after
 * the step of this number (enum vmfex_attach_step) succeeded, so that
 * tests see each step undone. 0: never. */
void vmfex_set_fault_after_step(struct vmfex_ctx *ctx, int step);
/* Test seam: the fault above hits only the attach of this VM (as in a
 * batch); NULL: every attach. */
void vmfex_set_fault_vm(struct vmfex_ctx *ctx, const char *vm_uuid);

/* ---- core/context.c ---- */
struct vmfex_pcidb;

struct vmfex_ctx {
	int refcount;
	vmfex_log_fn log_fn;
	void *log_data;
	int log_priority;
	void *userdata;
	char *sysfs_root;
	const struct vmfex_backend_ops *backend;
	void *backend_data;
	int fault_after_step;        /* vmfex_set_fault_after_step() */
	char fault_vm[37];           /* vmfex_set_fault_vm() */
	struct vmfex_pcidb *pcidb;   /* PCI names, set up on the first look-up */
	struct vmfex_pf **pfs;       /* every PF read, by address (host/pf.c) */
	size_t n_pfs;
	struct vmfex_walk_cache *walk_cache; /* during a walk of the host (host/walk-cache.c) */
	uint32_t rtnl_seq;
};

/* ---- core/pci-addr.c: pure parsers and validators ---- */
struct vmfex_pci_addr {
	uint16_t domain;
	uint8_t bus;
	uint8_t dev;
	uint8_t fn;
};

int vmfex_pci_addr_parse(const char *s, struct vmfex_pci_addr *addr);
void vmfex_pci_addr_format(const struct vmfex_pci_addr *addr, char buf[VMFEX_PCI_ADDR_LEN]);
int vmfex_pci_addr_cmp(const struct vmfex_pci_addr *a, const struct vmfex_pci_addr *b);
int vmfex_pci_addr_sort_cmp(const void *a, const void *b);
int vmfex_ifname_validate(const char *name);
int vmfex_driver_name_validate(const char *name);

/* ---- core/uuid.c ---- */
int vmfex_uuid_validate(const char *uuid);

/* ---- core/sysfs-value.c: pure parsers of sysfs attribute contents ---- */
int vmfex_hexdigit(char c);
int vmfex_parse_uint(const char *buf, size_t len, unsigned long max, unsigned long *out);
int vmfex_parse_hex16(const char *buf, size_t len, uint16_t *out);

/* ---- core/sysfs.c: the only code that touches sysfs ---- */
int vmfex_sysfs_path(struct vmfex_ctx *ctx, char *buf, size_t size, const char *fmt, ...)
	_printf_(4, 5);
int vmfex_sysfs_dev_path(struct vmfex_ctx *ctx, char *buf, size_t size, const char *pci,
                         const char *attr);
struct vmfex_walk;
int vmfex_walk_begin(struct vmfex_ctx *ctx, struct vmfex_walk *walk, const char *pf);
void vmfex_walk_end(struct vmfex_walk *walk);
int vmfex_walk_at(const struct vmfex_walk *walk, const char *path, int rel, const char **name);
int vmfex_sysfs_read_link_name_at(struct vmfex_ctx *ctx, int dirfd, const char *name,
                                  const char *path, char *buf, size_t size, bool *sibling);
int vmfex_sysfs_list_at(int dirfd, const char *name,
                        int (*fn)(void *data, int fd, const char *entry), void *data);
int vmfex_sysfs_read_link_at(int dirfd, const char *name, char *buf, size_t size);
int vmfex_sysfs_read_only_entry_at(struct vmfex_ctx *ctx, int dirfd, const char *name,
                                   const char *dir, char *buf, size_t size);
int vmfex_sysfs_read(struct vmfex_ctx *ctx, const char *path, char *buf, size_t size);
int vmfex_sysfs_read_uint(struct vmfex_ctx *ctx, const char *path, unsigned long max,
                          unsigned long *out);
int vmfex_sysfs_read_hex16(struct vmfex_ctx *ctx, const char *path, uint16_t *out);
int vmfex_sysfs_read_link_name(struct vmfex_ctx *ctx, const char *path, char *buf, size_t size);
int vmfex_sysfs_read_only_entry(struct vmfex_ctx *ctx, const char *dir, char *buf, size_t size);
int vmfex_sysfs_write(struct vmfex_ctx *ctx, const char *path, const char *value);
int vmfex_sysfs_exists(const char *path);

/* Cisco VIC PCI ids (the kernel's enic_id_table). */
#define VMFEX_PCI_VENDOR_CISCO 0x1137
#define VMFEX_PCI_DEVICE_VIC_ENIC 0x0043
#define VMFEX_PCI_DEVICE_VIC_DYNAMIC 0x0044
#define VMFEX_PCI_DEVICE_VIC_VF 0x0071

/* ---- core/buf.c: a growing byte buffer; an append leaves a NUL after it ---- */
struct vmfex_buf {
	uint8_t *data;
	size_t len, cap;
};

int vmfex_buf_append(struct vmfex_buf *b, const void *data, size_t len);
void vmfex_buf_free(struct vmfex_buf *b);

/* ---- host/pcidb.c ---- */
const char *vmfex_pcidb_lookup(struct vmfex_ctx *ctx, char *buf, size_t size, int flags,
                               uint16_t vendor, uint16_t device, uint16_t subvendor,
                               uint16_t subdevice);
void vmfex_pcidb_free(struct vmfex_ctx *ctx);
enum { VMFEX_PCIDB_VENDOR, VMFEX_PCIDB_DEVICE, VMFEX_PCIDB_SUBSYSTEM };
/* ---- host/pcidb-subset.c ----
 * The blocks of a pci.ids text (len bytes) that libpci reads to name the
 * functions of the n vendors, whole and in order, in *out (malloc'd,
 * NUL-terminated). -ENOTSUP for a gzip-compressed text; -ENOMEM. */
int vmfex_pcidb_subset(const char *ids, size_t len, const uint16_t *vendors, size_t n,
                       char **out, size_t *out_len);
/* The same, fed in pieces that each end with a whole line (the last piece
 * may end without a newline): out (malloc'd, NUL-terminated; NULL while
 * nothing is kept) grows with each vmfex_pcidb_subset_add(). */
struct vmfex_pcidb_subset {
	const uint16_t *vendors;
	size_t n;
	bool keep, started;
	struct vmfex_buf out;        /* the blocks kept, as text */
};
void vmfex_pcidb_subset_init(struct vmfex_pcidb_subset *s, const uint16_t *vendors, size_t n);
int vmfex_pcidb_subset_add(struct vmfex_pcidb_subset *s, const char *text, size_t len);

/* ---- host/pf.c, host/vf.c ----
 * A context keeps one PF object per PCI address it has read, and a PF one
 * VF object per index, for as long as the context lives: a rescan reads
 * them again in place and marks those no longer on the host absent, so a
 * pointer a caller holds (a walk's loop variable too) never dangles. */
/* What one walk of a PF's VFs keeps: the directory bus/pci/devices, so
 * that each VF's paths are looked up from there rather than from the
 * root, the PF's own directory and its parent (vmfex_walk_at()), and
 * whether their driver (mostly the same one) is registered. */
struct vmfex_walk {
	int devfd;                   /* O_PATH; -1: paths from the root */
	int pffd, sibfd;             /* O_PATH: the PF's directory, its parent */
	const char *pf;              /* the PF's address; NULL: no pffd */
	bool sibling;                /* the VF being read is in sibfd */
	char driver[VMFEX_DRIVER_NAME_MAX + 1]; /* "": none asked yet */
	bool driver_registered;
};

struct vmfex_pf {
	int refcount;
	struct vmfex_ctx *ctx;
	struct vmfex_pci_addr addr;
	char pci[VMFEX_PCI_ADDR_LEN];
	char ifname[VMFEX_IFNAMSIZ];
	char driver[VMFEX_DRIVER_NAME_MAX + 1];
	uint16_t vendor_id, device_id, subsystem_vendor_id, subsystem_device_id;
	uint16_t vf_device_id;       /* sriov_vf_device, 0 when absent */
	unsigned int total_vfs, num_vfs;
	struct vmfex_vf **vfs;       /* by VF index; NULL where never read */
	size_t n_vfs;
	char *vendor_name, *device_name, *model;
	bool names_loaded;
	char **old_names;            /* names of ids the address had before */
	size_t n_old_names;
	bool present;                /* found by the last read of its address */
	struct vmfex_walk walk;      /* during a walk of its VFs */
};

struct vmfex_vf {
	int refcount;
	struct vmfex_pf *pf;         /* holds a reference */
	unsigned int index;
	struct vmfex_pci_addr addr;
	char pci[VMFEX_PCI_ADDR_LEN];
	char ifname[VMFEX_IFNAMSIZ];
	char driver[VMFEX_DRIVER_NAME_MAX + 1];
	uint16_t device_id;
	bool present;                /* found by the last scan of its PF */
};

int vmfex_pf_new_at(struct vmfex_ctx *ctx, const struct vmfex_pci_addr *addr,
                    struct vmfex_pf **pf);
void vmfex_pf_cache_free(struct vmfex_ctx *ctx);
int vmfex_vf_read_at(struct vmfex_pf *pf, unsigned int index, const struct vmfex_pci_addr *addr,
                     struct vmfex_vf **slot);
int vmfex_pci_check_exists(struct vmfex_ctx *ctx, const char *pci);
int vmfex_pci_list_sriov(struct vmfex_ctx *ctx, struct vmfex_pci_addr **addrs, size_t *n);
/* ---- host/walk-cache.c ---- */
struct vmfex_netdev {
	struct vmfex_pci_addr addr;
	char name[VMFEX_IFNAMSIZ];
};
struct vmfex_walk_cache {
	size_t functions;            /* PCI functions of the host */
	/* The functions bound to bound_driver, listed once driver_hits VFs
	 * in a row were read alone with hits_driver. */
	char hits_driver[VMFEX_DRIVER_NAME_MAX + 1];
	unsigned int driver_hits;
	char bound_driver[VMFEX_DRIVER_NAME_MAX + 1];
	struct vmfex_pci_addr *bound; /* sorted */
	size_t n_bound;
	/* Every netdev's function, listed once netdev_hits VFs were read
	 * alone with a netdev. */
	unsigned int netdev_hits;
	bool netdevs_loaded, netdevs_refused;
	struct vmfex_netdev *netdevs; /* by function, then name */
	size_t n_netdevs;
};
int vmfex_walk_cache_begin(struct vmfex_ctx *ctx, size_t functions);
void vmfex_walk_cache_end(struct vmfex_ctx *ctx);
bool vmfex_walk_bound(struct vmfex_ctx *ctx, const char *pci, char *buf, size_t size);
void vmfex_walk_saw_driver(struct vmfex_ctx *ctx, const char *driver);
bool vmfex_walk_netdev(struct vmfex_ctx *ctx, const char *pci, char *buf, size_t size);
void vmfex_walk_saw_netdev(struct vmfex_ctx *ctx);

int vmfex_pci_read_driver(struct vmfex_ctx *ctx, const char *pci, char *buf, size_t size,
                          struct vmfex_walk *walk);
int vmfex_pci_read_ifname(struct vmfex_ctx *ctx, const char *pci, char *buf, size_t size);
int vmfex_pci_read_ifname_in(struct vmfex_ctx *ctx, const char *pci, char *buf, size_t size,
                             struct vmfex_walk *walk);
int vmfex_pci_list_dir(const char *dir, struct vmfex_pci_addr **out, size_t *n);
int vmfex_pci_addr_from_ifname(struct vmfex_ctx *ctx, const char *ifname,
                               struct vmfex_pci_addr *addr);

struct nlmsghdr;
/* rtnl/socket.c: one request, its answers. Replies other than errors and
 * acks (RTM_NEWLINK) are appended to reply; a kernel refusal is returned
 * as its negative errno, not logged. */
int vmfex_rtnl_transact(struct vmfex_ctx *ctx, struct nl_msg *msg, struct vmfex_buf *reply);
/* Requests that only take an ACK (RTM_SETLINK), sent several to a
 * sendmsg() as they are added, each one's answer (0 or the kernel's
 * refusal) then in its *result; the messages are the batch's. At most
 * VMFEX_RTNL_BATCH_MAX go together: their acks must all fit the socket's
 * receive buffer (libnl's 32 KiB, doubled by the kernel), some 800 bytes
 * of it each, and so few messages are held at once. */
#define VMFEX_RTNL_BATCH_MAX 32
struct vmfex_rtnl_batch {
	struct vmfex_ctx *ctx;
	struct nl_msg *msgs[VMFEX_RTNL_BATCH_MAX];
	int *results[VMFEX_RTNL_BATCH_MAX];
	size_t n;
};

void vmfex_rtnl_batch_add(struct vmfex_rtnl_batch *b, struct vmfex_ctx *ctx, struct nl_msg *msg,
                          int *result);
/* Sends what was added and not yet sent. */
void vmfex_rtnl_batch_flush(struct vmfex_rtnl_batch *b);
/* core/backend-kernel.c: libnl error codes as negative errno */
int vmfex_nl_errno(int nlerr);

/* core/mac.c: pure */
#define VMFEX_MAC_STRLEN 18
int vmfex_mac_parse(const char *s, uint8_t mac[6]);
void vmfex_mac_format(const uint8_t mac[6], char buf[VMFEX_MAC_STRLEN]);

/* rtnl/request.c */
struct nl_msg *vmfex_rtnl_getlink_new(const char *ifname);
struct nl_msg *vmfex_rtnl_setlink_new(const char *ifname);
int vmfex_rtnl_put_vfinfo(struct nl_msg *msg, int attr, const void *data, size_t len);

/* rtnl/link-parse.c: pure, from the bytes of one RTM_NEWLINK */
/* MACs and UUIDs are kept as the reply's bytes and formatted by their
 * getters on first use (link.c): most callers read a few VFs of many. */
struct vmfex_port_state {
	int request, response;       /* -1: not reported */
	bool has_profile, has_instance, has_host;
	bool instance_text, host_text;   /* the strings below are made */
	char profile[40];            /* NUL-terminated, at most 39 characters */
	uint8_t instance_raw[16], host_raw[16];
	char instance_uuid[VMFEX_UUID_STRLEN], host_uuid[VMFEX_UUID_STRLEN];
};

struct vmfex_link_vf {
	unsigned int index;
	bool has_mac, has_port, mac_text;
	uint8_t mac_raw[6];
	char mac[VMFEX_MAC_STRLEN];
	int vlan, qos, spoofchk, trust, link_state;
	uint16_t vlan_proto;
	uint32_t min_rate, max_rate;
	struct vmfex_port_state port;
};

struct vmfex_link {
	int refcount;
	struct vmfex_ctx *ctx;
	int ifindex;
	char ifname[VMFEX_IFNAMSIZ];
	bool has_mac, has_self_port;
	char mac[VMFEX_MAC_STRLEN];
	unsigned int num_vfs;
	struct vmfex_link_vf *vfs;      /* by index as the reply lists them */
	size_t n_vfs, cap_vfs;
	struct vmfex_port_state self_port;
};

int vmfex_link_parse(struct vmfex_ctx *ctx, const void *buf, size_t len, struct vmfex_link *link);
void vmfex_link_clear(struct vmfex_link *link);
int vmfex_link_read(struct vmfex_ctx *ctx, const char *ifname, struct vmfex_link **link);

/* rtnl/port.c: the wait of a request sent with vmfex_port_opts::no_wait,
 * as vmfex_port_associate() would have waited. */
struct vmfex_port;
int vmfex_port_wait(struct vmfex_port *port, int request, unsigned int timeout_ms);
/* One wait for many ports that were sent @request (no_wait): results as
 * vmfex_port_associate_many()'s. */
void vmfex_port_wait_many(struct vmfex_port *const *ports, size_t n, int request,
                          unsigned int timeout_ms, int *results);
/* The wait a timeout_ms option means (0: the default). */
unsigned int vmfex_port_timeout_ms(unsigned int timeout_ms);
/* vmfex_port_associate_many() for any request (PREASSOCIATE_RR too). */
int vmfex_port_request_many(struct vmfex_port *const *ports,
                            const struct vmfex_port_opts *const *opts, size_t n, int request,
                            int *results);
/* rtnl/vf-config.c: vmfex_vf_set_mac() of VFs of ctx, their requests
 * sent together; each one's result in results. */
struct vmfex_vf;
void vmfex_vf_set_mac_many(struct vmfex_ctx *ctx, struct vmfex_vf *const *vfs,
                           const char *const *macs, size_t n, int *results);

/* rtnl/host-uuid.c */
int vmfex_host_uuid(struct vmfex_ctx *ctx, uint8_t uuid[16]);

static inline void freep(void *p)
{
	extern void free(void *);
	free(*(void **)p);
}

#endif
