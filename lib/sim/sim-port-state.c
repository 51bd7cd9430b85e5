/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the simulated adapter and PF drivers remember about ports, kept in
 * the host's directory so that several processes share it:
 *
 *   state/ports-DDDD:BB:DD.F  one file per PCI function that gets port or
 *                             VF requests: a header, then fixed records,
 *                             PORT_SELF first and one per possible VF.
 *   state/adapter             latency and injected failures, as text.
 *
 * Fixed records let a GETLINK of thousands of VFs read everything with
 * one pread() and a SETLINK write back only the records it changed, under
 * the host's lock. Times are CLOCK_REALTIME so that they mean the same in
 * every process. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libvmfex/sim.h>

#include "core/safe-file.h"
#include "sim-private.h"

#define PORTS_MAGIC "VMFXPRT1"
#define ADAPTER_FILE SIM_STATE_DIR "/adapter"

struct ports_header {
	char magic[8];
	uint32_t rec_size;
	uint32_t n_rec;
	uint32_t num_vfs;           /* VFs enabled when last written */
	uint32_t pad[3];
};

_Static_assert(sizeof(struct sim_port_rec) == 128, "port records are 128 bytes on disk");
_Static_assert(sizeof(struct ports_header) == 32, "the header is 32 bytes");

int64_t sim_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* What a port holds before anyone set it: ixgbe's and rtnetlink's
 * defaults (spoof checking on, 802.1Q), no port profile. */
void sim_port_rec_init(struct sim_port_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->spoofchk = 1;
	r->vlan_proto = htons(ETH_P_8021Q);
}

static int ports_path(struct vmfex_sim *sim, const char *pci, char *buf, size_t size)
{
	if ((size_t)snprintf(buf, size, "%s/" SIM_STATE_DIR "/ports-%s", vmfex_sim_dir(sim), pci) >=
	    size)
		return -ENAMETOOLONG;
	return 0;
}

static int read_full(int fd, void *buf, size_t len, off_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, off + (off_t)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		done += (size_t)n;
	}
	return 0;
}

static int write_full(int fd, const void *buf, size_t len, off_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pwrite(fd, (const char *)buf + done, len - done, off + (off_t)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		done += (size_t)n;
	}
	return 0;
}

/* All ports of pci, from its file or, before the first write, defaults.
 * VFs enabled anew (another count than when written) start afresh, as a
 * driver's VF state goes with its VFs. Call under the host's lock. */
int sim_ports_load(struct vmfex_sim *sim, const char *pci, unsigned int total_vfs,
                   unsigned int num_vfs, struct sim_ports *p)
{
	struct ports_header h;
	size_t n = (size_t)total_vfs + 1;
	int r;

	memset(p, 0, sizeof(*p));
	p->sim = sim;
	p->fd = -1;
	p->total_vfs = total_vfs;
	p->num_vfs = num_vfs;
	r = ports_path(sim, pci, p->path, sizeof(p->path));
	if (r < 0)
		return r;
	p->rec = malloc(n * sizeof(*p->rec));
	if (!p->rec)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		sim_port_rec_init(&p->rec[i]);
	p->fd = vmfex_safe_open(sim->ctx, p->path, O_RDWR | O_NOFOLLOW, 0, 0);
	if (p->fd == -ENOENT) {
		p->fd = -1;
		return 0;
	}
	r = p->fd;
	if (r >= 0) {
		r = read_full(p->fd, &h, sizeof(h), 0);
		if (r == 0 && (memcmp(h.magic, PORTS_MAGIC, 8) != 0 ||
		               h.rec_size != sizeof(*p->rec) || h.n_rec != n))
			r = -EIO;
		if (r == 0)
			r = read_full(p->fd, p->rec, n * sizeof(*p->rec), sizeof(h));
	}
	if (r == -EIO || r == -ELOOP || r == -EINVAL) {
		/* Not a file this simulator wrote whole: the PF stays usable,
		 * as an adapter after a reset, and the next change rewrites it. */
		ERR(sim->ctx, "sim: %s is damaged or not for this host: the port settings of %s "
		    "and its VFs are back to their defaults; the next port or VF change rewrites "
		    "the file (re-apply the ports' profiles to restore them)", p->path, pci);
		if (p->fd >= 0)
			close(p->fd);
		p->fd = -1;
		for (size_t i = 0; i < n; i++)
			sim_port_rec_init(&p->rec[i]);
		return 0;
	}
	if (r < 0) {
		ERR(sim->ctx, "sim: cannot read %s: %s", p->path, strerror(-r));
		return r;
	}
	if (h.num_vfs != num_vfs) {
		for (size_t i = 1; i < n; i++)
			sim_port_rec_init(&p->rec[i]);
		p->dirty_lo = 0;
		p->dirty_hi = n;
	}
	return 0;
}

/* vf: SIM_PORT_SELF_VF, or a VF index below total_vfs. */
struct sim_port_rec *sim_ports_get(struct sim_ports *p, int vf)
{
	return &p->rec[vf + 1];
}

void sim_ports_dirty(struct sim_ports *p, int vf)
{
	size_t i = (size_t)(vf + 1);

	if (p->dirty_lo == p->dirty_hi) {
		p->dirty_lo = i;
		p->dirty_hi = i + 1;
	} else {
		if (i < p->dirty_lo)
			p->dirty_lo = i;
		if (i + 1 > p->dirty_hi)
			p->dirty_hi = i + 1;
	}
}

/* The first write makes the whole file in a temporary file renamed into
 * place: a kill leaves either no file or a whole one, never a short one. */
static int store_whole(struct sim_ports *p, const struct ports_header *h)
{
	char tmp[sizeof(p->path) + 4];
	size_t n = (size_t)p->total_vfs + 1;
	int fd, r;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.new", p->path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	fd = vmfex_safe_create_temp(p->sim->ctx, tmp, p->path);
	if (fd < 0)
		return fd;
	r = write_full(fd, h, sizeof(*h), 0);
	if (r == 0)
		r = write_full(fd, p->rec, n * sizeof(*p->rec), sizeof(*h));
	if (r < 0) {
		ERR(p->sim->ctx, "sim: cannot write %s: %s", tmp, strerror(-r));
		close(fd);
		unlink(tmp);
		return r;
	}
	r = vmfex_safe_replace(p->sim->ctx, tmp, p->path);
	if (r < 0 && access(p->path, F_OK) < 0) {
		close(fd);
		return r;
	}
	/* In place (a directory that cannot be flushed is not lost data). */
	p->fd = fd;
	p->dirty_lo = p->dirty_hi = 0;
	return 0;
}

/* Writes back what changed; the first write makes the whole file. */
int sim_ports_store(struct sim_ports *p)
{
	struct ports_header h = {
		.magic = PORTS_MAGIC,
		.rec_size = sizeof(*p->rec),
		.n_rec = p->total_vfs + 1,
		.num_vfs = p->num_vfs,
	};
	size_t lo = p->dirty_lo, hi = p->dirty_hi;
	int r;

	if (lo == hi)
		return 0;
	if (p->fd < 0)
		return store_whole(p, &h);
	r = write_full(p->fd, &h, sizeof(h), 0);
	if (r == 0)
		r = write_full(p->fd, p->rec + lo, (hi - lo) * sizeof(*p->rec),
		               (off_t)(sizeof(h) + lo * sizeof(*p->rec)));
	if (r < 0)
		ERR(p->sim->ctx, "sim: cannot write %s: %s", p->path, strerror(-r));
	else
		p->dirty_lo = p->dirty_hi = 0;
	return r;
}

void sim_ports_free(struct sim_ports *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	free(p->rec);
	p->rec = NULL;
}

/* state/adapter: "key value" lines; a missing file or key keeps the
 * description's latency and no injection. */
int sim_adapter_load(struct vmfex_sim *sim, struct sim_adapter *a)
{
	char path[PATH_MAX], line[128];
	FILE *f;
	int fd;

	memset(a, 0, sizeof(*a));
	a->latency_ms = sim->desc->latency_ms;
	snprintf(path, sizeof(path), "%s/" ADAPTER_FILE, vmfex_sim_dir(sim));
	fd = vmfex_safe_open(sim->ctx, path, O_RDONLY | O_NOFOLLOW, 0, 4096);
	if (fd < 0)
		return fd == -ENOENT ? 0 : fd;
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return -ENOMEM;
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned long v, n;

		if (sscanf(line, "latency_ms %lu", &v) == 1 && v <= SIM_LATENCY_MS_MAX)
			a->latency_ms = (unsigned int)v;
		else if (sscanf(line, "inject_response %lx %lu", &v, &n) == 2 && v <= 0xffff &&
		         n <= UINT_MAX) {
			a->inject_response = (uint16_t)v;
			a->inject_response_count = (unsigned int)n;
		} else if (sscanf(line, "inject_errno %lu %lu", &v, &n) == 2 && v <= 4095 &&
		           n <= UINT_MAX) {
			a->inject_errno = (int)v;
			a->inject_errno_count = (unsigned int)n;
		}
	}
	fclose(f);
	return 0;
}

/* Replaced whole, by rename, so a reader never sees half a file. */
int sim_adapter_store(struct vmfex_sim *sim, const struct sim_adapter *a)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	FILE *f;
	int fd, r = 0;

	snprintf(path, sizeof(path), "%s/" ADAPTER_FILE, vmfex_sim_dir(sim));
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	fd = vmfex_safe_create_temp(sim->ctx, tmp, path);
	if (fd < 0)
		return fd;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return -ENOMEM;
	}
	fprintf(f, "latency_ms %u\n", a->latency_ms);
	if (a->inject_response_count)
		fprintf(f, "inject_response 0x%x %u\n", a->inject_response, a->inject_response_count);
	if (a->inject_errno_count)
		fprintf(f, "inject_errno %d %u\n", a->inject_errno, a->inject_errno_count);
	if (ferror(f))
		r = -EIO;
	if (fclose(f) != 0 && r == 0)
		r = -errno;
	if (r < 0) {
		unlink(tmp);
		ERR(sim->ctx, "sim: cannot write %s: %s", tmp, strerror(-r));
		return r;
	}
	return vmfex_safe_replace(sim->ctx, tmp, path);
}

static struct vmfex_sim *sim_of(struct vmfex_ctx *ctx, const char *fn)
{
	struct vmfex_sim *sim = vmfex_sim_of(ctx);

	if (!sim)
		ERR(ctx, "%s: the context is not on a simulated host", fn);
	return sim;
}

static int adapter_update(struct vmfex_sim *sim, void (*change)(struct sim_adapter *, const void *),
                          const void *arg)
{
	struct sim_adapter a;
	int r;

	r = vmfex_sim_lock(sim);
	if (r < 0)
		return r;
	r = sim_adapter_load(sim, &a);
	if (r == 0) {
		change(&a, arg);
		r = sim_adapter_store(sim, &a);
	}
	vmfex_sim_unlock(sim);
	return r;
}

static void set_latency(struct sim_adapter *a, const void *arg)
{
	a->latency_ms = *(const unsigned int *)arg;
}

_public_ int vmfex_sim_set_latency(struct vmfex_ctx *ctx, unsigned int ms)
{
	struct vmfex_sim *sim = sim_of(ctx, __func__);

	if (!sim)
		return -ENOTSUP;
	if (ms > SIM_LATENCY_MS_MAX) {
		ERR(ctx, "vmfex_sim_set_latency: %u ms is more than %u", ms, SIM_LATENCY_MS_MAX);
		return -EINVAL;
	}
	INFO(ctx, "sim: adapter latency %u ms", ms);
	return adapter_update(sim, set_latency, &ms);
}

_public_ int vmfex_sim_read_latency(struct vmfex_ctx *ctx, unsigned int *ms)
{
	struct vmfex_sim *sim = sim_of(ctx, __func__);
	struct sim_adapter a;
	int r;

	if (!sim)
		return -ENOTSUP;
	r = vmfex_sim_lock(sim);
	if (r < 0)
		return r;
	r = sim_adapter_load(sim, &a);
	vmfex_sim_unlock(sim);
	if (r == 0)
		*ms = a.latency_ms;
	return r;
}

static void set_inject(struct sim_adapter *a, const void *arg)
{
	const struct vmfex_sim_inject_opts *o = arg;

	if (o->response) {
		a->inject_response = (uint16_t)o->response;
		a->inject_response_count = o->count;
	} else {
		a->inject_errno = o->error;
		a->inject_errno_count = o->count;
	}
}

_public_ int vmfex_sim_inject(struct vmfex_ctx *ctx, const struct vmfex_sim_inject_opts *opts_in)
{
	struct vmfex_sim *sim = sim_of(ctx, __func__);
	struct vmfex_sim_inject_opts o = { 0 };

	if (!sim)
		return -ENOTSUP;
	/* Options from an older or newer header: the fields both know, and
	 * none this library lacks set. */
	if (!opts_in || opts_in->sz < sizeof(size_t))
		return -EINVAL;
	for (size_t i = sizeof(o); i < opts_in->sz; i++)
		if (((const unsigned char *)opts_in)[i])
			return -EINVAL;
	memcpy(&o, opts_in, opts_in->sz < sizeof(o) ? opts_in->sz : sizeof(o));
	if (!o.response == !o.error) {
		ERR(ctx, "vmfex_sim_inject: give either a response or an errno");
		return -EINVAL;
	}
	if (o.response && (o.response < PORT_PROFILE_RESPONSE_SUCCESS ||
	                   o.response > PORT_PROFILE_RESPONSE_ERROR)) {
		ERR(ctx, "vmfex_sim_inject: response 0x%x is not a port-profile response "
		    "(0x100-0x105)", o.response);
		return -EINVAL;
	}
	if (o.error < 0 || o.error > 4095) {
		ERR(ctx, "vmfex_sim_inject: errno %d is out of range 1-4095", o.error);
		return -EINVAL;
	}
	if (o.response)
		INFO(ctx, "sim: the next %u port requests get response %#x", o.count, o.response);
	else
		INFO(ctx, "sim: the next %u port requests fail with %s", o.count, strerror(o.error));
	return adapter_update(sim, set_inject, &o);
}
