/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The VF allocator through the public API on a simulated host: what is
 * free, leases shared by concurrent processes, the stale-lease rule. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "sim-fixture.h"

#define VM(n) "00000000-0000-4000-8000-0000000000" n

static struct vmfex_pf *pf_of(struct sim_fixture *f, const char *name)
{
	struct vmfex_pf *pf;

	assert_int_equal(vmfex_pf_new_from_name(f->ctx, name, &pf), 0);
	return pf;
}

static unsigned int reserve_index(struct vmfex_pf *pf, const char *uuid, const char *name,
                                  const char *const *domains)
{
	struct vmfex_reserve_opts o = { .sz = sizeof(o), .vm_uuid = uuid, .vm_name = name,
	                                .domains = domains };
	struct vmfex_vf *vf;
	unsigned int idx;

	assert_int_equal(vmfex_vf_reserve(pf, &o, &vf), 0);
	idx = vmfex_vf_get_index(vf);
	vmfex_vf_unref(vf);
	return idx;
}

static size_t count_leases(struct sim_fixture *f, size_t *stale)
{
	struct vmfex_lease_list *list;
	struct vmfex_lease *l;
	size_t n = 0;

	*stale = 0;
	assert_int_equal(vmfex_lease_list_new(f->ctx, &list), 0);
	vmfex_lease_list_foreach(list, l) {
		n++;
		*stale += vmfex_lease_is_stale(l);
	}
	vmfex_lease_list_unref(list);
	return n;
}

static void what_is_free(void **state)
{
	struct sim_fixture f;
	struct vmfex_pf *pf;
	struct vmfex_vf *vf;
	struct vmfex_port *port;
	struct vmfex_lease_list *list;
	struct vmfex_lease *l;
	struct vmfex_port_opts po = { .sz = sizeof(po), .profile = "pp-a", .instance_uuid = VM("99"),
	                             .mac = "52:54:00:00:00:99" };
	struct vmfex_reserve_opts bad = { .sz = sizeof(bad), .vm_uuid = "not-a-uuid" };
	size_t stale;
	/* A domain using VF 3 (0000:0a:00.4) as hostdev. */
	static const char dom[] =
		"<domain type='kvm'><name>web</name><devices>"
		"<interface type='hostdev' managed='yes'><driver name='vfio'/>"
		"<source><address type='pci' domain='0x0000' bus='0x0a' slot='0x00' function='0x4'/></source>"
		"</interface></devices></domain>";
	const char *const doms[] = { dom, NULL };

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	pf = pf_of(&f, "enp10s0f0");
	assert_int_equal(vmfex_vf_reserve(pf, &bad, &vf), -EINVAL);
	assert_int_equal(reserve_index(pf, VM("01"), "vm one", NULL), 0);
	assert_int_equal(reserve_index(pf, VM("02"), NULL, NULL), 1);
	/* VF 2 associated by someone else: not free. */
	assert_int_equal(vmfex_pf_lookup_vf(pf, 2, &vf), 0);
	assert_int_equal(vmfex_port_new_from_vf(vf, &port), 0);
	assert_int_equal(vmfex_port_associate(port, &po), 0);
	vmfex_port_unref(port);
	vmfex_vf_unref(vf);
	/* VF 3 used by a domain: not free. */
	assert_int_equal(reserve_index(pf, VM("03"), "vm three", doms), 4);
	/* Without the domain, VF 3 is free. */
	assert_int_equal(reserve_index(pf, VM("04"), NULL, NULL), 3);

	assert_int_equal(vmfex_lease_list_new(f.ctx, &list), 0);
	l = vmfex_lease_list_next(list, NULL);
	assert_non_null(l);
	assert_string_equal(vmfex_lease_get_pf(l), "0000:0a:00.0");
	assert_int_equal(vmfex_lease_get_vf_index(l), 0);
	assert_string_equal(vmfex_lease_get_vm_uuid(l), VM("01"));
	assert_string_equal(vmfex_lease_get_vm_name(l), "vm one");
	assert_int_equal(vmfex_lease_get_pid(l), getpid());
	assert_false(vmfex_lease_is_confirmed(l));
	assert_false(vmfex_lease_is_stale(l));
	l = vmfex_lease_list_next(list, l);
	assert_null(vmfex_lease_get_vm_name(l));
	vmfex_lease_list_unref(list);
	assert_int_equal(count_leases(&f, &stale), 4);

	/* Release: only by the owner, or explicitly by anyone. */
	assert_int_equal(vmfex_pf_lookup_vf(pf, 0, &vf), 0);
	assert_int_equal(vmfex_vf_release(vf, VM("02")), -EPERM);
	assert_int_equal(vmfex_vf_release(vf, VM("01")), 0);
	assert_int_equal(vmfex_vf_release(vf, VM("01")), -ENOENT);
	vmfex_vf_unref(vf);
	assert_int_equal(vmfex_pf_lookup_vf(pf, 1, &vf), 0);
	assert_int_equal(vmfex_vf_release(vf, NULL), 0);
	vmfex_vf_unref(vf);
	assert_int_equal(count_leases(&f, &stale), 2);
	assert_int_equal(reserve_index(pf, VM("05"), NULL, NULL), 0);

	/* A full PF. */
	for (unsigned int i = 4; i < 16; i++)
		reserve_index(pf, VM("06"), NULL, NULL);
	assert_int_equal(count_leases(&f, &stale), 15);
	{
		struct vmfex_reserve_opts o = { .sz = sizeof(o), .vm_uuid = VM("07") };

		assert_int_equal(vmfex_vf_reserve(pf, &o, &vf), -ENOSPC);
	}
	vmfex_pf_unref(pf);
	sim_fixture_close(&f);
}

/* 16 processes reserve at once, two VFs each, on a PF of 16: every VF is
 * handed out once, 16 reservations fail, no lease is lost. */
static void sixteen_processes(void **state)
{
	enum { N = 16 };
	struct sim_fixture f;
	int results[2], go[2], done[2];
	pid_t pids[N];
	int owner[16];
	size_t got = 0, stale;
	struct vmfex_lease_list *list;
	struct vmfex_lease *l;

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	assert_int_equal(pipe(results), 0);
	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(done), 0);
	for (int i = 0; i < N; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0) {
			struct vmfex_new_opts no = { .sz = sizeof(no), .sim_dir = f.dir,
			                             .ignore_env = 1 };
			struct vmfex_ctx *ctx;
			struct vmfex_pf *pf;
			char uuid[37], c;
			int out[2];

			close(go[1]);
			close(done[1]);
			snprintf(uuid, sizeof(uuid), "00000000-0000-4000-8000-0000000001%02d", i);
			if (vmfex_new_with_opts(&no, &ctx) < 0 ||
			    vmfex_pf_new_from_name(ctx, "enp10s0f0", &pf) < 0)
				_exit(1);
			vmfex_set_log_priority(ctx, LOG_CRIT);
			if (read(go[0], &c, 1) < 0)
				_exit(1);
			for (int k = 0; k < 2; k++) {
				struct vmfex_reserve_opts o = { .sz = sizeof(o), .vm_uuid = uuid };
				struct vmfex_vf *vf;
				int r = vmfex_vf_reserve(pf, &o, &vf);

				out[0] = i;
				out[1] = r < 0 ? r : (int)vmfex_vf_get_index(vf);
				if (r == 0)
					vmfex_vf_unref(vf);
				if (write(results[1], out, sizeof(out)) != sizeof(out))
					_exit(1);
			}
			/* Alive, so that the leases are not stale, until told. */
			if (read(done[0], &c, 1) < 0)
				_exit(1);
			vmfex_pf_unref(pf);
			vmfex_unref(ctx);
			_exit(0);
		}
	}
	close(go[0]);
	close(done[0]);
	close(results[1]);
	close(go[1]); /* all start at once */
	for (int i = 0; i < 16; i++)
		owner[i] = -1;
	for (int k = 0; k < 2 * N; k++) {
		int in[2];

		assert_int_equal(read(results[0], in, sizeof(in)), sizeof(in));
		if (in[1] == -ENOSPC)
			continue;
		assert_true(in[1] >= 0 && in[1] < 16);
		assert_int_equal(owner[in[1]], -1); /* never twice */
		owner[in[1]] = in[0];
		got++;
	}
	assert_int_equal(got, 16);
	/* The lease file has all 16, each with the owner it was handed to. */
	assert_int_equal(vmfex_lease_list_new(f.ctx, &list), 0);
	got = 0;
	vmfex_lease_list_foreach(list, l) {
		char uuid[37];
		unsigned int idx = vmfex_lease_get_vf_index(l);

		snprintf(uuid, sizeof(uuid), "00000000-0000-4000-8000-0000000001%02d", owner[idx]);
		assert_string_equal(vmfex_lease_get_vm_uuid(l), uuid);
		assert_false(vmfex_lease_is_stale(l));
		got++;
	}
	vmfex_lease_list_unref(list);
	assert_int_equal(got, 16);
	close(done[1]);
	for (int i = 0; i < N; i++) {
		int st;

		assert_int_equal(waitpid(pids[i], &st, 0), pids[i]);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	close(results[0]);
	/* The processes are gone, their leases unconfirmed: all stale. */
	assert_int_equal(count_leases(&f, &stale), 16);
	assert_int_equal(stale, 16);
	assert_int_equal(vmfex_lease_reclaim_stale(f.ctx), 16);
	assert_int_equal(count_leases(&f, &stale), 0);
	sim_fixture_close(&f);
}

/* A process killed with SIGKILL after reserving: its unconfirmed lease is
 * stale and the next reservation takes the VF back; a confirmed lease
 * outlives its process. */
static void killed_process(void **state)
{
	struct sim_fixture f;
	struct vmfex_pf *pf;
	int ready[2], st;
	pid_t pid;
	size_t stale;
	char c;

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	for (int confirm = 0; confirm < 2; confirm++) {
		assert_int_equal(pipe(ready), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			struct vmfex_new_opts no = { .sz = sizeof(no), .sim_dir = f.dir,
			                             .ignore_env = 1 };
			struct vmfex_reserve_opts o = { .sz = sizeof(o), .vm_uuid = VM("42"),
			                                .confirm = confirm };
			struct vmfex_ctx *ctx;
			struct vmfex_pf *cpf;
			struct vmfex_vf *vf;

			if (vmfex_new_with_opts(&no, &ctx) < 0 ||
			    vmfex_pf_new_from_name(ctx, "enp11s0f0", &cpf) < 0 ||
			    vmfex_vf_reserve(cpf, &o, &vf) < 0)
				_exit(1);
			if (write(ready[1], "r", 1) != 1)
				_exit(1);
			for (;;)
				pause();
		}
		close(ready[1]);
		assert_int_equal(read(ready[0], &c, 1), 1);
		close(ready[0]);
		assert_int_equal(count_leases(&f, &stale), 1);
		assert_int_equal(stale, 0);
		kill(pid, SIGKILL);
		assert_int_equal(waitpid(pid, &st, 0), pid);
		assert_true(WIFSIGNALED(st));
		assert_int_equal(count_leases(&f, &stale), 1);
		assert_int_equal(stale, confirm ? 0 : 1);
		pf = pf_of(&f, "enp11s0f0");
		if (!confirm) {
			/* Reclaimed by the next reservation: VF 0 again. */
			assert_int_equal(reserve_index(pf, VM("43"), NULL, NULL), 0);
			assert_int_equal(count_leases(&f, &stale), 1);
			assert_int_equal(vmfex_lease_reclaim_stale(f.ctx), 0);
			struct vmfex_vf *vf;

			assert_int_equal(vmfex_pf_lookup_vf(pf, 0, &vf), 0);
			assert_int_equal(vmfex_vf_release(vf, VM("43")), 0);
			vmfex_vf_unref(vf);
		} else {
			assert_int_equal(reserve_index(pf, VM("43"), NULL, NULL), 1);
			assert_int_equal(vmfex_lease_reclaim_stale(f.ctx), 0);
			assert_int_equal(count_leases(&f, &stale), 2);
		}
		vmfex_pf_unref(pf);
	}
	sim_fixture_close(&f);
}

/* A lease file that does not parse is an error, never an empty list that
 * would hand leased VFs out again; a name that cannot be stored is refused. */
static void bad_lease_file(void **state)
{
	struct sim_fixture f;
	struct vmfex_pf *pf;
	struct vmfex_vf *vf;
	struct vmfex_lease_list *list;
	struct vmfex_reserve_opts o = { .sz = sizeof(o), .vm_uuid = VM("01"), .vm_name = "a\tb" };
	char path[300];
	FILE *out;

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	pf = pf_of(&f, "enp10s0f0");
	assert_int_equal(vmfex_vf_reserve(pf, &o, &vf), -EINVAL);
	o.vm_name = NULL;
	snprintf(path, sizeof(path), "%s/leases", f.dir);
	out = fopen(path, "w");
	assert_non_null(out);
	fputs("0000:0a:00.0\t0\tnot-a-uuid\t1\t0\t-\t-\t-\t\n", out);
	fclose(out);
	assert_int_equal(vmfex_lease_list_new(f.ctx, &list), -EBADMSG);
	assert_int_equal(vmfex_vf_reserve(pf, &o, &vf), -EBADMSG);
	assert_non_null(strstr(f.log, "malformed lease"));
	vmfex_pf_unref(pf);
	sim_fixture_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(what_is_free),
		cmocka_unit_test(sixteen_processes),
		cmocka_unit_test(killed_process),
		cmocka_unit_test(bad_lease_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
