/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmfex-libvirt-watch [--uri URI]: started by `vmfexctl libvirt-watch`
 * (and so by vmfex-libvirt-watch.service). No libvirt hook runs when a
 * migrated VM resumes on its destination, nor when it stops on its
 * source, so this follows libvirt's domain lifecycle events:
 *
 *   SUSPENDED/MIGRATED, SUSPENDED/POSTCOPY  the VM stops here to end a
 *       migration out: its associated ports step back to pre-associated
 *       (the destination resumes it before the source's qemu is gone);
 *   RESUMED (any detail)  the VM runs here: its pre-associated ports are
 *       associated (an incoming migration; or a migration out that
 *       failed, which libvirt ends by resuming the VM on the source).
 *
 * After connecting, and after every reconnect, the running domains and
 * the ones paused for a migration are looked at once, so that an event
 * missed while this program or libvirtd was down is made up for. The
 * connection is re-made, with a backoff of 1 s doubling up to 30 s,
 * whenever it closes. SIGTERM and SIGINT end it (exit 0). */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "libvmfex-private.h"
#include "hook-setup.h"
#include "watch.h"

#define BACKOFF_MAX_S 30

struct watcher {
	struct vmfex_ctx *ctx;
	const char *uri;
	virConnectPtr conn;
	int callback;           /* the lifecycle callback's id, -1 for none */
	bool closed;            /* libvirt closed the connection */
	bool quit;
	unsigned int backoff_s; /* before the next attempt to connect */
	int timer;
};

static const char *libvirt_error(void)
{
	const char *m = virGetLastErrorMessage();

	return m ? m : "unknown error";
}

/* libvirt's own printing of errors to stderr: they are logged here. */
static void quiet_errors(void *data, virErrorPtr e)
{
}

/* The domain's name and UUID; false when libvirt has forgotten it. */
static bool domain_ids(virDomainPtr dom, const char **name, char uuid[VIR_UUID_STRING_BUFLEN])
{
	*name = virDomainGetName(dom);
	if (!*name)
		*name = "?";
	return virDomainGetUUIDString(dom, uuid) == 0;
}

static int on_lifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail,
                        void *opaque)
{
	struct watcher *w = opaque;
	char uuid[VIR_UUID_STRING_BUFLEN];
	const char *name;

	if (!domain_ids(dom, &name, uuid))
		return 0;
	DBG(w->ctx, "domain %s (%s): event %d detail %d", name, uuid, event, detail);
	if (event == VIR_DOMAIN_EVENT_SUSPENDED &&
	    (detail == VIR_DOMAIN_EVENT_SUSPENDED_MIGRATED ||
	     detail == VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY))
		watch_vm(w->ctx, name, uuid,
		         detail == VIR_DOMAIN_EVENT_SUSPENDED_MIGRATED ? "paused to end its migration"
		                                                       : "paused for post-copy migration",
		         false);
	else if (event == VIR_DOMAIN_EVENT_RESUMED)
		watch_vm(w->ctx, name, uuid,
		         detail == VIR_DOMAIN_EVENT_RESUMED_MIGRATED   ? "resumed (migration)"
		         : detail == VIR_DOMAIN_EVENT_RESUMED_POSTCOPY ? "resumed (post-copy)"
		                                                       : "resumed",
		         true);
	return 0;
}

/* What may have happened while no event could reach us. */
static void catch_up(struct watcher *w)
{
	virDomainPtr *doms = NULL;
	int n = virConnectListAllDomains(w->conn, &doms, VIR_CONNECT_LIST_DOMAINS_ACTIVE);

	if (n < 0) {
		ERR(w->ctx, "%s: cannot list the domains: %s", w->uri, libvirt_error());
		return;
	}
	for (int i = 0; i < n; i++) {
		char uuid[VIR_UUID_STRING_BUFLEN];
		const char *name;
		int state, reason;

		if (domain_ids(doms[i], &name, uuid) &&
		    virDomainGetState(doms[i], &state, &reason, 0) == 0) {
			if (state == VIR_DOMAIN_RUNNING)
				watch_vm(w->ctx, name, uuid, "found running", true);
			else if (state == VIR_DOMAIN_PAUSED && (reason == VIR_DOMAIN_PAUSED_MIGRATION ||
			                                        reason == VIR_DOMAIN_PAUSED_POSTCOPY))
				watch_vm(w->ctx, name, uuid, "found paused for a migration", false);
		}
		virDomainFree(doms[i]);
	}
	free(doms);
}

static void on_close(virConnectPtr conn, int reason, void *opaque)
{
	struct watcher *w = opaque;

	w->closed = true;
}

static void disconnect(struct watcher *w)
{
	if (!w->conn)
		return;
	if (w->callback >= 0)
		virConnectDomainEventDeregisterAny(w->conn, w->callback);
	virConnectUnregisterCloseCallback(w->conn, on_close);
	virConnectClose(w->conn);
	w->conn = NULL;
	w->callback = -1;
	w->closed = false;
}

static int connect_libvirt(struct watcher *w)
{
	w->conn = virConnectOpen(w->uri);
	if (!w->conn) {
		WARN(w->ctx, "%s: cannot connect: %s", w->uri, libvirt_error());
		return -ECONNREFUSED;
	}
	/* A daemon that hangs is found out too, not only one that exits. */
	if (virConnectSetKeepAlive(w->conn, 5, 3) < 0)
		DBG(w->ctx, "%s: no keepalive: %s", w->uri, libvirt_error());
	if (virConnectRegisterCloseCallback(w->conn, on_close, w, NULL) < 0 ||
	    (w->callback = virConnectDomainEventRegisterAny(
	             w->conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
	             VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle), w, NULL)) < 0) {
		ERR(w->ctx, "%s: cannot follow domain events: %s", w->uri, libvirt_error());
		disconnect(w);
		return -EIO;
	}
	NOTICE(w->ctx, "following the domain events of %s", w->uri);
	catch_up(w);
	return 0;
}

static void on_signal(int watch, int fd, int events, void *opaque)
{
	struct watcher *w = opaque;
	struct signalfd_siginfo si;

	if (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		NOTICE(w->ctx, "signal %u: stopping", si.ssi_signo);
		w->quit = true;
	}
}

/* Only wakes the loop, to try connecting again. */
static void on_timer(int timer, void *opaque)
{
}

static int signals_fd(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

static void usage(FILE *f)
{
	fputs("Usage: vmfex-libvirt-watch [--uri URI]\n"
	      "Follow libvirt's domain events and move the VM-FEX ports of migrating VMs\n"
	      "between associated and pre-associated (default URI qemu:///system).\n"
	      "Settings: " HOOK_CONF_PATH " (or $" HOOK_CONF_ENV "); see vmfexctl(8).\n",
	      f);
}

static int run(struct watcher *w)
{
	while (!w->quit) {
		if (!w->conn) {
			if (connect_libvirt(w) == 0) {
				w->backoff_s = 1;
				virEventUpdateTimeout(w->timer, -1);
			} else {
				NOTICE(w->ctx, "%s: trying again in %u s", w->uri, w->backoff_s);
				virEventUpdateTimeout(w->timer, (int)w->backoff_s * 1000);
				w->backoff_s = w->backoff_s * 2 > BACKOFF_MAX_S ? BACKOFF_MAX_S
				                                                 : w->backoff_s * 2;
			}
		}
		if (virEventRunDefaultImpl() < 0) {
			ERR(w->ctx, "event loop: %s", libvirt_error());
			return -EIO;
		}
		if (w->closed) {
			NOTICE(w->ctx, "%s: connection closed; connecting again", w->uri);
			disconnect(w);
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "uri", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct watcher w = { .uri = "qemu:///system", .callback = -1, .backoff_s = 1 };
	struct hook_conf conf;
	const char *conf_path;
	int c, sfd, r;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'u':
			w.uri = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vmfex-libvirt-watch: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (hook_setup("vmfex-libvirt-watch", &conf, &conf_path, &w.ctx) < 0)
		return 1;
	virSetErrorFunc(NULL, quiet_errors);
	sfd = signals_fd();
	if (sfd < 0 || virInitialize() < 0 || virEventRegisterDefaultImpl() < 0 ||
	    virEventAddHandle(sfd, VIR_EVENT_HANDLE_READABLE, on_signal, &w, NULL) < 0 ||
	    (w.timer = virEventAddTimeout(-1, on_timer, NULL, NULL)) < 0) {
		hook_fail("set-up", sfd < 0 ? strerror(-sfd) : libvirt_error());
		vmfex_unref(w.ctx);
		return 1;
	}
	INFO(w.ctx, "settings from %s%s%s", conf_path, conf.sim[0] ? ", simulated host " : "",
	     conf.sim);
	r = run(&w);
	disconnect(&w);
	vmfex_unref(w.ctx);
	close(sfd);
	return r < 0 ? 1 : 0;
}
