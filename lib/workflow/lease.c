/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The VF allocator: leases in a lock-protected file, shared by every
 * process on the host. The file is text, one lease a line, fields
 * separated by tabs:
 *
 *   PF-PCI VF-INDEX VM-UUID PID START FLAGS ORIG-MAC ORIG-DRIVER VM-NAME
 *
 * FLAGS is '-' or letters of C (confirmed), M (MAC set), A (associated),
 * P (pre-associated), B (bound to vfio-pci); ORIG-MAC and ORIG-DRIVER are
 * '-' when unknown or none. The stale-lease rule is documented in
 * workflow.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/safe-file.h"
#include "workflow-private.h"

#define LEASE_FILE_MAX (16u << 20)
/* The longest line, comments included: a lease takes at most about 450. */
#define LEASE_LINE_MAX 1023
#define STR_(x) #x
#define STR(x) STR_(x)
#define STR_FLAGS "CMAPB"

static const char flag_letters[] = STR_FLAGS;

int vmfex_vm_name_validate(const char *name)
{
	size_t n;

	if (!name)
		return 0;
	n = strlen(name);
	if (n > VMFEX_VM_NAME_MAX)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return -EINVAL;
	return 0;
}

/* Field 22 of /proc/PID/stat; -ESRCH when the process is gone or a zombie. */
int vmfex_proc_start_time(pid_t pid, unsigned long long *start)
{
	char path[64], buf[1024], *p, *end;
	ssize_t n;
	int fd, field;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ESRCH;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -ESRCH;
	buf[n] = '\0';
	/* The command name may hold spaces and ')': fields follow the last ')'. */
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ')
		return -EIO;
	p += 2;
	if (*p == 'Z' || *p == 'X')
		return -ESRCH;
	for (field = 3; field < 22; field++) {
		p = strchr(p, ' ');
		if (!p)
			return -EIO;
		p++;
	}
	errno = 0;
	*start = strtoull(p, &end, 10);
	if (errno || end == p)
		return -EIO;
	return 0;
}

static bool lease_stale(const struct vmfex_lease *l)
{
	unsigned long long start;

	if (l->flags & VMFEX_LEASE_CONFIRMED)
		return false;
	if (vmfex_proc_start_time(l->pid, &start) == -ESRCH)
		return true;
	return start != l->start;
}

static int copy_field(char *dst, size_t size, const char *src, bool dash_empty)
{
	if (dash_empty && strcmp(src, "-") == 0)
		src = "";
	if (strlen(src) >= size)
		return -EINVAL;
	strcpy(dst, src);
	return 0;
}

/* One line, without its newline, into @l; -EINVAL when malformed, with
 * *why naming the field at fault. */
int vmfex_lease_parse_line(const char *line, struct vmfex_lease *l, const char **why)
{
	char buf[LEASE_LINE_MAX + 1], *f[9], *tok;
	struct vmfex_pci_addr addr;
	unsigned long v;
	int n = 0;

	*why = "longer than " STR(LEASE_LINE_MAX) " bytes";
	if (strlen(line) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, line);
	memset(l, 0, sizeof(*l));
	/* The name, last, may be empty: split the first eight fields only. */
	*why = "fewer than 9 tab-separated fields";
	tok = buf;
	for (n = 0; n < 8; n++) {
		f[n] = tok;
		tok = strchr(tok, '\t');
		if (!tok)
			return -EINVAL;
		*tok++ = '\0';
	}
	f[8] = tok;
	*why = "the PF is not a PCI address";
	if (vmfex_pci_addr_parse(f[0], &addr) < 0)
		return -EINVAL;
	vmfex_pci_addr_format(&addr, l->pf);
	*why = "the VF index is not a number from 0 to 65535";
	if (vmfex_parse_uint(f[1], strlen(f[1]), 65535, &v) < 0)
		return -EINVAL;
	l->vf = (unsigned int)v;
	*why = "the VM UUID is not a UUID";
	if (vmfex_uuid_validate(f[2]) < 0)
		return -EINVAL;
	strcpy(l->vm_uuid, f[2]);
	*why = "the PID is not a number from 1 to 2147483647";
	if (vmfex_parse_uint(f[3], strlen(f[3]), 0x7fffffff, &v) < 0 || v == 0)
		return -EINVAL;
	l->pid = (pid_t)v;
	/* Digits only: strtoull() would take "-5" as a huge start time. */
	*why = "the start time is not a non-negative 64-bit number";
	if (vmfex_parse_uint(f[4], strlen(f[4]), ULONG_MAX, &v) < 0)
		return -EINVAL;
	l->start = v;
	*why = "unknown flag letters (known: " STR_FLAGS ")";
	if (strcmp(f[5], "-") != 0) {
		for (const char *c = f[5]; *c; c++) {
			const char *p = strchr(flag_letters, *c);

			if (!p)
				return -EINVAL;
			l->flags |= 1u << (p - flag_letters);
		}
	}
	*why = "the original MAC, driver or VM name is too long or holds control characters";
	if (copy_field(l->orig_mac, sizeof(l->orig_mac), f[6], true) < 0 ||
	    copy_field(l->orig_driver, sizeof(l->orig_driver), f[7], true) < 0 ||
	    vmfex_vm_name_validate(f[8]) < 0)
		return -EINVAL;
	strcpy(l->vm_name, f[8]);
	*why = NULL;
	return 0;
}

static int lease_path(struct vmfex_ctx *ctx, char *buf, size_t size, const char *suffix)
{
	const char *dir = vmfex_backend_state_dir(ctx);
	int n;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		int r = -errno;

		ERR(ctx, "cannot create %s: %s", dir, strerror(-r));
		return r;
	}
	n = snprintf(buf, size, "%s/leases%s", dir, suffix);
	if (n < 0 || (size_t)n >= size) {
		ERR(ctx, "lease file path too long");
		return -ENAMETOOLONG;
	}
	return 0;
}

static int db_read(struct vmfex_lease_db *db)
{
	FILE *in;
	char line[LEASE_LINE_MAX + 2];
	unsigned int lineno = 0;
	int fd, r = 0;

	fd = vmfex_safe_open(db->ctx, db->path, O_RDONLY | O_NOFOLLOW, 0, LEASE_FILE_MAX);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0) {
		ERR(db->ctx, "%s: the lease file cannot be read; move it away to start with no "
		    "leases", db->path);
		return fd;
	}
	in = fdopen(fd, "r");
	if (!in) {
		close(fd);
		return -ENOMEM;
	}
	while (fgets(line, sizeof(line), in)) {
		size_t len = strlen(line);
		struct vmfex_lease l;
		const char *why;

		lineno++;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		else if (!feof(in))
			len = sizeof(line); /* no newline within the limit */
		if (len > LEASE_LINE_MAX) {
			ERR(db->ctx, "%s:%u: line longer than %u bytes", db->path, lineno,
			    LEASE_LINE_MAX);
			r = -EBADMSG;
			break;
		}
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (vmfex_lease_parse_line(line, &l, &why) < 0) {
			ERR(db->ctx, "%s:%u: malformed lease: %s", db->path, lineno, why);
			r = -EBADMSG;
			break;
		}
		if (db->n == db->cap) {
			size_t cap = db->cap ? db->cap * 2 : 64;
			struct vmfex_lease *v = realloc(db->v, cap * sizeof(*v));

			if (!v) {
				r = -ENOMEM;
				break;
			}
			db->v = v;
			db->cap = cap;
		}
		l.stale = lease_stale(&l);
		db->v[db->n++] = l;
	}
	if (r == 0 && ferror(in)) {
		r = -EIO;
		ERR(db->ctx, "%s: cannot read", db->path);
	}
	fclose(in);
	return r;
}

/* Temporary files "leases.XXXXXX" of earlier versions, left by writers
 * that were killed before their rename: removed under the lock. */
static void remove_stale_temps(struct vmfex_lease_db *db)
{
	char dir[sizeof(db->path)];
	const char *slash = strrchr(db->path, '/');
	struct dirent *de;
	DIR *d;

	if (!slash)
		return;
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - db->path), db->path);
	d = opendir(dir[0] ? dir : "/");
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "leases.", 7) != 0 || strlen(de->d_name) != 13 ||
		    strspn(de->d_name + 7, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		                           "0123456789") != 6)
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) == 0)
			INFO(db->ctx, "%s/%s: removed, left by a lease writer that did not finish",
			     dir, de->d_name);
	}
	closedir(d);
}

int vmfex_lease_db_open(struct vmfex_ctx *ctx, struct vmfex_lease_db *db)
{
	char lock[4096];
	int r;

	memset(db, 0, sizeof(*db));
	db->ctx = ctx;
	db->lock_fd = -1;
	r = lease_path(ctx, db->path, sizeof(db->path), "");
	if (r < 0)
		return r;
	r = lease_path(ctx, lock, sizeof(lock), ".lock");
	if (r < 0)
		return r;
	db->lock_fd = vmfex_safe_open(ctx, lock, O_RDWR | O_CREAT | O_NOFOLLOW, 0644, 0);
	if (db->lock_fd < 0) {
		r = db->lock_fd;
		if (r == -ENOENT)
			ERR(ctx, "%s: cannot create: %s", lock, strerror(-r));
		return r;
	}
	while (flock(db->lock_fd, LOCK_EX) < 0) {
		if (errno == EINTR)
			continue;
		r = -errno;
		ERR(ctx, "cannot lock %s: %s", lock, strerror(-r));
		vmfex_lease_db_close(db);
		return r;
	}
	r = db_read(db);
	if (r < 0)
		vmfex_lease_db_close(db);
	return r;
}

void vmfex_lease_db_close(struct vmfex_lease_db *db)
{
	if (db->lock_fd >= 0)
		close(db->lock_fd); /* drops the lock */
	db->lock_fd = -1;
	free(db->v);
	db->v = NULL;
	db->n = db->cap = 0;
}

static int lease_cmp(const void *a, const void *b)
{
	const struct vmfex_lease *x = a, *y = b;
	int c = strcmp(x->pf, y->pf);

	if (c)
		return c;
	return (x->vf > y->vf) - (x->vf < y->vf);
}

int vmfex_lease_db_commit(struct vmfex_lease_db *db)
{
	char tmp[4200], flags[8];
	FILE *out;
	int fd, r;

	if (db->n)
		qsort(db->v, db->n, sizeof(*db->v), lease_cmp);
	/* One fixed name, safe under the lock: what a killed writer left
	 * there is removed by the next one. */
	snprintf(tmp, sizeof(tmp), "%s.new", db->path);
	remove_stale_temps(db);
	fd = vmfex_safe_create_temp(db->ctx, tmp, db->path);
	if (fd < 0)
		return fd;
	out = fdopen(fd, "w");
	if (!out) {
		r = -errno;
		close(fd);
		unlink(tmp);
		return r;
	}
	fputs("# libvmfex VF leases: pf vf vm-uuid pid start flags orig-mac orig-driver vm-name\n",
	      out);
	for (size_t i = 0; i < db->n; i++) {
		const struct vmfex_lease *l = &db->v[i];
		size_t k = 0;

		for (size_t b = 0; b < sizeof(flag_letters) - 1; b++)
			if (l->flags & (1u << b))
				flags[k++] = flag_letters[b];
		if (!k)
			flags[k++] = '-';
		flags[k] = '\0';
		fprintf(out, "%s\t%u\t%s\t%d\t%llu\t%s\t%s\t%s\t%s\n", l->pf, l->vf, l->vm_uuid,
		        (int)l->pid, l->start, flags, l->orig_mac[0] ? l->orig_mac : "-",
		        l->orig_driver[0] ? l->orig_driver : "-", l->vm_name);
	}
	if (fflush(out) != 0 || fsync(fd) < 0 || ferror(out)) {
		r = -errno ? -errno : -EIO;
		ERR(db->ctx, "cannot write %s: %s", tmp, strerror(-r));
		fclose(out);
		unlink(tmp);
		return r;
	}
	if (fclose(out) != 0) {
		r = -errno;
		unlink(tmp);
		ERR(db->ctx, "cannot write %s: %s", tmp, strerror(-r));
		return r;
	}
	return vmfex_safe_replace(db->ctx, tmp, db->path);
}

struct vmfex_lease *vmfex_lease_db_find(struct vmfex_lease_db *db, const char *pf,
                                        unsigned int vf)
{
	for (size_t i = 0; i < db->n; i++)
		if (db->v[i].vf == vf && strcmp(db->v[i].pf, pf) == 0)
			return &db->v[i];
	return NULL;
}

void vmfex_lease_db_remove(struct vmfex_lease_db *db, struct vmfex_lease *l)
{
	size_t i = (size_t)(l - db->v);

	memmove(&db->v[i], &db->v[i + 1], (db->n - i - 1) * sizeof(*l));
	db->n--;
}

/* The PCI addresses of the VFs @domains use, as a NULL-ended array. */
static int domains_in_use(struct vmfex_ctx *ctx, const char *const *domains, char ***out)
{
	char **v = NULL;
	size_t n = 0;
	int r = 0;

	*out = NULL;
	for (size_t d = 0; domains && domains[d]; d++) {
		struct vmfex_xml_domain *dom;
		struct vmfex_xml_iface *iface;

		r = vmfex_xml_domain_new_from_buffer(ctx, domains[d], strlen(domains[d]), &dom);
		if (r < 0) {
			ERR(ctx, "domain XML %zu of the VFs in use: %s", d, strerror(-r));
			r = -EINVAL;
			goto fail;
		}
		vmfex_xml_domain_foreach_iface(dom, iface) {
			struct vmfex_vf *vf;
			char **nv;

			if (vmfex_vf_new_from_xml_iface(iface, &vf) < 0)
				continue;
			nv = realloc(v, (n + 2) * sizeof(*v));
			if (!nv || !(nv[n] = strdup(vmfex_vf_get_pci(vf)))) {
				if (nv)
					v = nv;
				vmfex_vf_unref(vf);
				vmfex_xml_domain_unref(dom);
				r = -ENOMEM;
				goto fail;
			}
			v = nv;
			v[++n] = NULL;
			vmfex_vf_unref(vf);
		}
		vmfex_xml_domain_unref(dom);
	}
	*out = v;
	return 0;
fail:
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return r;
}

static void strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static bool strv_contains(char **v, const char *s)
{
	for (size_t i = 0; v && v[i]; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

static bool port_in_use(const struct vmfex_port_state *port)
{
	int req;

	if (!port)
		return false;
	req = vmfex_port_state_get_request(port);
	return req >= 0 && req != VMFEX_PORT_REQUEST_DISASSOCIATE;
}

/* The ports of @pf: read once per batch, else per reservation. */
static int reserve_link(struct vmfex_lease_batch *b, struct vmfex_pf *pf, struct vmfex_link **link)
{
	const char *pci = vmfex_pf_get_pci(pf);
	struct vmfex_lease_batch_link *v;
	int r;

	for (size_t i = 0; b && i < b->n_links; i++)
		if (strcmp(b->links[i].pf, pci) == 0) {
			*link = b->links[i].link;
			return 0;
		}
	r = vmfex_link_new_from_pf(pf, link);
	if (r < 0 || !b)
		return r;
	v = realloc(b->links, (b->n_links + 1) * sizeof(*v));
	if (!v) {
		*link = vmfex_link_unref(*link);
		return -ENOMEM;
	}
	b->links = v;
	snprintf(v[b->n_links].pf, sizeof(v[b->n_links].pf), "%s", pci);
	v[b->n_links++].link = *link;
	return 0;
}

/* One reservation on @pf. With a batch @b, the lease file read under its
 * lock once for the batch and the lease kept there until
 * vmfex_lease_batch_commit(); else read, written and unlocked here. */
static int reserve_one(struct vmfex_lease_batch *b, struct vmfex_pf *pf,
                       const struct vmfex_reserve_opts *opts_in, struct vmfex_vf **vf_out,
                       struct vmfex_lease *out)
{
	struct vmfex_ctx *ctx = vmfex_pf_get_ctx(pf);
	struct vmfex_reserve_opts opts;
	struct vmfex_lease_db own, *db = b ? &b->db : &own;
	struct vmfex_link *link = NULL;
	struct vmfex_vf *vf;
	struct vmfex_lease l;
	char **in_use = NULL;
	bool dropped = false;
	int r;

	r = vmfex_opts_copy(&opts, sizeof(opts), opts_in);
	if (r < 0 || !opts_in) {
		ERR(ctx, "reserve on %s: invalid options", vmfex_pf_get_pci(pf));
		return -EINVAL;
	}
	if (vmfex_uuid_validate(opts.vm_uuid) < 0) {
		ERR(ctx, "reserve on %s: malformed VM UUID", vmfex_pf_get_pci(pf));
		return -EINVAL;
	}
	if (vmfex_vm_name_validate(opts.vm_name) < 0) {
		ERR(ctx, "reserve on %s: VM name of control characters or over %d bytes",
		    vmfex_pf_get_pci(pf), VMFEX_VM_NAME_MAX);
		return -EINVAL;
	}
	if (!vmfex_pf_get_ifname(pf)) {
		ERR(ctx, "reserve on %s: the PF has no netdev to read its ports from",
		    vmfex_pf_get_pci(pf));
		return -ENODEV;
	}
	r = domains_in_use(ctx, opts.domains, &in_use);
	if (r < 0)
		return r;
	/* The ports, read before the lock is taken so that concurrent
	 * reservations do not wait for each other's RTM_GETLINK: a VF that
	 * another process of this library associates is leased before its
	 * port changes and released only after its port is disassociated,
	 * so the lease file, read under the lock, covers the gap. A batch
	 * reads them once per PF, the lease file then covering its own
	 * reservations. */
	r = reserve_link(b, pf, &link);
	if (r < 0) {
		ERR(ctx, "reserve on %s: cannot read its VFs' ports: %s", vmfex_pf_get_pci(pf),
		    strerror(-r));
		goto out_strv;
	}
	if (!b || !b->open) {
		r = vmfex_lease_db_open(ctx, db);
		if (r < 0)
			goto out_strv;
		if (b)
			b->open = true;
	}
	r = -ENOSPC;
	vmfex_pf_foreach_vf(pf, vf) {
		unsigned int idx = vmfex_vf_get_index(vf);
		struct vmfex_lease *old = vmfex_lease_db_find(db, vmfex_pf_get_pci(pf), idx);
		struct vmfex_link_vf *lvf = vmfex_link_find_vf(link, idx);
		const char *mac;

		if (opts.vf && strcmp(opts.vf, vmfex_vf_get_pci(vf)) != 0)
			continue;
		if (old && !old->stale)
			continue;
		if (lvf && port_in_use(vmfex_link_vf_get_port(lvf)))
			continue;
		if (strv_contains(in_use, vmfex_vf_get_pci(vf)))
			continue;
		if (old) {
			NOTICE(ctx, "VF %u of %s: reclaiming the stale lease of VM %s (pid %d gone)",
			       idx, vmfex_pf_get_pci(pf), old->vm_uuid, (int)old->pid);
			vmfex_lease_db_remove(db, old);
			dropped = true;
		}
		memset(&l, 0, sizeof(l));
		strcpy(l.pf, vmfex_pf_get_pci(pf));
		l.vf = idx;
		strcpy(l.vm_uuid, opts.vm_uuid);
		if (opts.vm_name)
			strcpy(l.vm_name, opts.vm_name);
		l.pid = getpid();
		if (vmfex_proc_start_time(l.pid, &l.start) < 0)
			l.start = 0;
		if (opts.confirm)
			l.flags |= VMFEX_LEASE_CONFIRMED;
		mac = lvf ? vmfex_link_vf_get_mac(lvf) : NULL;
		if (mac)
			snprintf(l.orig_mac, sizeof(l.orig_mac), "%s", mac);
		if (vmfex_vf_get_driver(vf))
			snprintf(l.orig_driver, sizeof(l.orig_driver), "%s",
			         vmfex_vf_get_driver(vf));
		r = 0;
		break;
	}
	if (b && dropped)
		b->dirty = true;
	if (r == -ENOSPC && opts.vf) {
		ERR(ctx, "reserve on %s: VF %s is not free (leased, associated or used by a "
		    "domain)", vmfex_pf_get_pci(pf), opts.vf);
		r = -EBUSY;
	} else if (r == -ENOSPC) {
		ERR(ctx, "reserve on %s: no free VF (leased, associated or used by a domain)",
		    vmfex_pf_get_pci(pf));
	}
	if (r == -ENOSPC || r == -EBUSY) {
		if (dropped && !b)
			vmfex_lease_db_commit(db);
		goto out_db;
	}
	if (db->n == db->cap) {
		struct vmfex_lease *v = realloc(db->v, (db->cap + 16) * sizeof(*v));

		if (!v) {
			r = -ENOMEM;
			goto out_db;
		}
		db->v = v;
		db->cap += 16;
	}
	db->v[db->n++] = l;
	if (b)
		b->dirty = true;
	else
		r = vmfex_lease_db_commit(db);
	if (r < 0)
		goto out_db;
	*vf_out = vmfex_vf_ref(vf);
	if (out)
		*out = l;
	INFO(ctx, "VF %u of %s reserved for VM %s", l.vf, l.pf, l.vm_uuid);
out_db:
	if (!b)
		vmfex_lease_db_close(db);
out_strv:
	if (!b)
		vmfex_link_unref(link);
	strv_free(in_use);
	return r;
}

int vmfex_vf_reserve_lease(struct vmfex_pf *pf, const struct vmfex_reserve_opts *opts,
                           struct vmfex_vf **vf, struct vmfex_lease *lease)
{
	return reserve_one(NULL, pf, opts, vf, lease);
}

int vmfex_vf_reserve_lease_in(struct vmfex_lease_batch *b, struct vmfex_pf *pf,
                              const struct vmfex_reserve_opts *opts, struct vmfex_vf **vf,
                              struct vmfex_lease *lease)
{
	return reserve_one(b, pf, opts, vf, lease);
}

int vmfex_lease_batch_commit(struct vmfex_ctx *ctx, struct vmfex_lease_batch *b)
{
	int r = 0;

	if (b->open && b->dirty) {
		r = vmfex_lease_db_commit(&b->db);
		if (r < 0)
			ERR(ctx, "%s: cannot write the leases of a batch: %s", b->db.path,
			    strerror(-r));
		else
			INFO(ctx, "%s: the leases of a batch written at once", b->db.path);
	}
	if (b->open)
		vmfex_lease_db_close(&b->db);
	b->open = b->dirty = false;
	for (size_t i = 0; i < b->n_links; i++)
		vmfex_link_unref(b->links[i].link);
	free(b->links);
	b->links = NULL;
	b->n_links = 0;
	return r;
}

_public_ int vmfex_vf_reserve(struct vmfex_pf *pf, const struct vmfex_reserve_opts *opts,
                              struct vmfex_vf **vf)
{
	if (!pf || !vf)
		return -EINVAL;
	return vmfex_vf_reserve_lease(pf, opts, vf, NULL);
}

_public_ int vmfex_vf_release(struct vmfex_vf *vf, const char *vm_uuid)
{
	struct vmfex_pf *pf;
	struct vmfex_ctx *ctx;
	struct vmfex_lease_db db;
	struct vmfex_lease *l;
	int r;

	if (!vf)
		return -EINVAL;
	pf = vmfex_vf_get_pf(vf);
	ctx = vmfex_pf_get_ctx(pf);
	if (vm_uuid && vmfex_uuid_validate(vm_uuid) < 0) {
		ERR(ctx, "release of %s: malformed VM UUID", vmfex_vf_get_pci(vf));
		return -EINVAL;
	}
	r = vmfex_lease_db_open(ctx, &db);
	if (r < 0)
		return r;
	l = vmfex_lease_db_find(&db, vmfex_pf_get_pci(pf), vmfex_vf_get_index(vf));
	if (!l) {
		ERR(ctx, "release of VF %u of %s: no lease", vmfex_vf_get_index(vf),
		    vmfex_pf_get_pci(pf));
		r = -ENOENT;
	} else if (vm_uuid && strcasecmp(l->vm_uuid, vm_uuid) != 0) {
		ERR(ctx, "release of VF %u of %s: leased to VM %s, not %s", vmfex_vf_get_index(vf),
		    vmfex_pf_get_pci(pf), l->vm_uuid, vm_uuid);
		r = -EPERM;
	} else {
		vmfex_lease_db_remove(&db, l);
		r = vmfex_lease_db_commit(&db);
	}
	vmfex_lease_db_close(&db);
	return r;
}

/* What an attach killed half-way may have left on a VF whose lease is
 * stale: a port associated for the lease's VM, the VM's driver binding, a
 * MAC other than the one recorded. Each is undone as vmfex_detach() would;
 * failures are logged and the lease dropped all the same. */
static void undo_crashed_attach(struct vmfex_ctx *ctx, const struct vmfex_lease *l)
{
	struct vmfex_pf *pf = NULL;
	struct vmfex_vf *vf = NULL;
	struct vmfex_link *link = NULL;
	struct vmfex_link_vf *lvf;
	const struct vmfex_port_state *st;
	char mac[VMFEX_MAC_STRLEN] = "";

	if (vmfex_pf_new_from_pci(ctx, l->pf, &pf) < 0 || vmfex_pf_lookup_vf(pf, l->vf, &vf) < 0 ||
	    vmfex_link_new_from_pf(pf, &link) < 0)
		goto out;
	lvf = vmfex_link_find_vf(link, l->vf);
	st = lvf ? vmfex_link_vf_get_port(lvf) : NULL;
	if (lvf && vmfex_link_vf_get_mac(lvf))
		snprintf(mac, sizeof(mac), "%s", vmfex_link_vf_get_mac(lvf));
	if (vmfex_vf_get_driver(vf) && strcmp(vmfex_vf_get_driver(vf), "vfio-pci") == 0 &&
	    strcmp(l->orig_driver, "vfio-pci") != 0) {
		NOTICE(ctx, "VF %u of %s: giving it back its driver after a stale lease", l->vf, l->pf);
		vmfex_vf_bind_driver(vf, NULL);
	}
	if (st && vmfex_port_state_get_request(st) != VMFEX_PORT_REQUEST_DISASSOCIATE &&
	    vmfex_port_state_get_instance_uuid(st) &&
	    strcasecmp(vmfex_port_state_get_instance_uuid(st), l->vm_uuid) == 0) {
		struct vmfex_port *port;

		NOTICE(ctx, "VF %u of %s: disassociating the port of stale VM %s", l->vf, l->pf,
		       l->vm_uuid);
		if (vmfex_port_new_from_vf(vf, &port) == 0) {
			vmfex_port_disassociate(port, NULL);
			vmfex_port_unref(port);
		}
	}
	if (mac[0] && strcmp(mac, l->orig_mac[0] ? l->orig_mac : "00:00:00:00:00:00") != 0) {
		NOTICE(ctx, "VF %u of %s: restoring its MAC after a stale lease", l->vf, l->pf);
		vmfex_vf_set_mac(vf, l->orig_mac[0] ? l->orig_mac : "00:00:00:00:00:00");
	}
out:
	vmfex_link_unref(link);
	vmfex_vf_unref(vf);
	vmfex_pf_unref(pf);
}

_public_ int vmfex_lease_reclaim_stale(struct vmfex_ctx *ctx)
{
	struct vmfex_lease_db db;
	int r, n = 0;

	if (!ctx)
		return -EINVAL;
	r = vmfex_lease_db_open(ctx, &db);
	if (r < 0)
		return r;
	for (size_t i = 0; i < db.n;) {
		if (db.v[i].stale) {
			NOTICE(ctx, "VF %u of %s: dropping the stale lease of VM %s", db.v[i].vf,
			       db.v[i].pf, db.v[i].vm_uuid);
			undo_crashed_attach(ctx, &db.v[i]);
			vmfex_lease_db_remove(&db, &db.v[i]);
			n++;
		} else {
			i++;
		}
	}
	if (n)
		r = vmfex_lease_db_commit(&db);
	vmfex_lease_db_close(&db);
	return r < 0 ? r : n;
}

struct vmfex_lease_list {
	int refcount;
	struct vmfex_ctx *ctx;
	struct vmfex_lease *v;
	size_t n;
};

_public_ int vmfex_lease_list_new(struct vmfex_ctx *ctx, struct vmfex_lease_list **list)
{
	struct vmfex_lease_db db;
	struct vmfex_lease_list *ll;
	int r;

	if (!ctx || !list)
		return -EINVAL;
	ll = calloc(1, sizeof(*ll));
	if (!ll)
		return -ENOMEM;
	r = vmfex_lease_db_open(ctx, &db);
	if (r < 0) {
		free(ll);
		return r;
	}
	if (db.n)
		qsort(db.v, db.n, sizeof(*db.v), lease_cmp);
	ll->refcount = 1;
	ll->ctx = vmfex_ref(ctx);
	ll->v = db.v;
	ll->n = db.n;
	db.v = NULL;
	vmfex_lease_db_close(&db);
	*list = ll;
	return 0;
}

_public_ struct vmfex_lease_list *vmfex_lease_list_ref(struct vmfex_lease_list *list)
{
	if (list)
		list->refcount++;
	return list;
}

_public_ struct vmfex_lease_list *vmfex_lease_list_unref(struct vmfex_lease_list *list)
{
	if (!list || --list->refcount > 0)
		return NULL;
	vmfex_unref(list->ctx);
	free(list->v);
	free(list);
	return NULL;
}

_public_ struct vmfex_ctx *vmfex_lease_list_get_ctx(const struct vmfex_lease_list *list)
{
	return list->ctx;
}

_public_ struct vmfex_lease *vmfex_lease_list_next(struct vmfex_lease_list *list,
                                                   struct vmfex_lease *prev)
{
	size_t i;

	if (!list || !list->n)
		return NULL;
	if (!prev)
		return &list->v[0];
	i = (size_t)(prev - list->v) + 1;
	return i < list->n ? &list->v[i] : NULL;
}

_public_ const char *vmfex_lease_get_pf(const struct vmfex_lease *lease)
{
	return lease->pf;
}

_public_ unsigned int vmfex_lease_get_vf_index(const struct vmfex_lease *lease)
{
	return lease->vf;
}

_public_ const char *vmfex_lease_get_vm_uuid(const struct vmfex_lease *lease)
{
	return lease->vm_uuid;
}

_public_ const char *vmfex_lease_get_vm_name(const struct vmfex_lease *lease)
{
	return lease->vm_name[0] ? lease->vm_name : NULL;
}

_public_ pid_t vmfex_lease_get_pid(const struct vmfex_lease *lease)
{
	return lease->pid;
}

_public_ bool vmfex_lease_is_confirmed(const struct vmfex_lease *lease)
{
	return lease->flags & VMFEX_LEASE_CONFIRMED;
}

_public_ bool vmfex_lease_is_stale(const struct vmfex_lease *lease)
{
	return lease->stale;
}
