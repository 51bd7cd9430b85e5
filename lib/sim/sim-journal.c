/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The adapter's journal: one text line per port request it applied, in
 * state/journal, so that a test can order the requests of several
 * simulated hosts in time (the port records keep only the last request).
 *
 *   APPLIED_NS DONE_NS IFNAME VF REQUEST OUTCOME PROFILE INSTANCE MAC
 *
 * Times are CLOCK_REALTIME nanoseconds, the same in every process and
 * every simulated host of the machine; VF -1 is the netdev's own port;
 * REQUEST and OUTCOME are named as <linux/if_link.h> names them, without
 * the prefix (a number for others); PROFILE has its bytes outside '!'..'~' and '\' written \xHH;
 * '-' stands for a field the request did not set. Written under the
 * host's lock; over 1 MiB the journal becomes state/journal.old (the one
 * before is dropped), so it never grows without bound. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/if_link.h>

#include "core/safe-file.h"
#include "sim-private.h"

#define JOURNAL_FILE SIM_STATE_DIR "/journal"
#define JOURNAL_MAX (1 << 20)

/* names[value - base], or the number: the simulator keeps to its own
 * names rather than the library's (its layers stay apart). */
static const char *name_of(unsigned int value, unsigned int base, const char *const *names,
                           size_t n, char buf[12])
{
	if (value >= base && value - base < n)
		return names[value - base];
	snprintf(buf, 12, "%u", value);
	return buf;
}

static const char *const requests[] = {
	"PREASSOCIATE", "PREASSOCIATE_RR", "ASSOCIATE", "DISASSOCIATE",
};
static const char *const responses[] = {
	"SUCCESS", "INPROGRESS", "INVALID", "BADSTATE", "INSUFFICIENT_RESOURCES", "ERROR",
};

/* The profile's bytes up to its first NUL, escaped so the line stays
 * one line of space-separated fields whatever the request carried. */
static void profile_text(const struct sim_port_rec *pp, char *out)
{
	size_t n = 0;

	if (!(pp->pp_set & SIM_PP_SET_NAME) || !pp->profile[0]) {
		strcpy(out, "-");
		return;
	}
	for (size_t i = 0; i < SIM_PORT_PROFILE_MAX && pp->profile[i]; i++) {
		unsigned char c = (unsigned char)pp->profile[i];

		if (c > ' ' && c <= '~' && c != '\\')
			out[n++] = (char)c;
		else
			n += (size_t)sprintf(out + n, "\\x%02x", c);
	}
	out[n] = '\0';
}

static void uuid_text(const uint8_t *u, bool set, char out[VMFEX_UUID_STRLEN])
{
	if (!set) {
		strcpy(out, "-");
		return;
	}
	snprintf(out, VMFEX_UUID_STRLEN,
	         "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1],
	         u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14],
	         u[15]);
}

/* Over the cap: the current journal becomes the old one. */
static void rotate(struct vmfex_sim *sim, const char *path, int fd)
{
	char old[PATH_MAX];
	off_t size = lseek(fd, 0, SEEK_END);

	if (size < JOURNAL_MAX)
		return;
	if ((size_t)snprintf(old, sizeof(old), "%s.old", path) < sizeof(old) &&
	    rename(path, old) < 0)
		WARN(sim->ctx, "sim: %s: cannot rotate: %s", path, strerror(errno));
}

void sim_journal_append(struct vmfex_sim *sim, const char *ifname, int vf,
                        const struct sim_port_rec *pp)
{
	char path[PATH_MAX], line[512], profile[SIM_PORT_PROFILE_MAX * 4 + 1];
	char inst[VMFEX_UUID_STRLEN], rbuf[12], obuf[12];
	const uint8_t *m = pp->pp_mac;
	int fd, n;

	if ((size_t)snprintf(path, sizeof(path), "%s/" JOURNAL_FILE, vmfex_sim_dir(sim)) >=
	    sizeof(path))
		return;
	profile_text(pp, profile);
	uuid_text(pp->instance_uuid, pp->pp_set & SIM_PP_SET_INSTANCE, inst);
	n = snprintf(line, sizeof(line),
	             "%lld %lld %s %d %s %s %s %s %02x:%02x:%02x:%02x:%02x:%02x\n",
	             (long long)pp->applied_ns, (long long)pp->done_ns, ifname, vf,
	             name_of(pp->pp_request, PORT_REQUEST_PREASSOCIATE, requests,
	                     ARRAY_SIZE(requests), rbuf),
	             name_of(pp->outcome, PORT_PROFILE_RESPONSE_SUCCESS, responses,
	                     ARRAY_SIZE(responses), obuf),
	             profile,
	             inst, m[0], m[1], m[2], m[3], m[4], m[5]);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	fd = vmfex_safe_open(sim->ctx, path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0644, 0);
	if (fd < 0) {
		/* The journal is a record for tests: the request stands. */
		WARN(sim->ctx, "sim: %s: request not journaled", path);
		return;
	}
	if (write(fd, line, (size_t)n) != n)
		WARN(sim->ctx, "sim: %s: cannot append: %s", path, strerror(errno));
	rotate(sim, path, fd);
	close(fd);
}
