/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* VF settings and 802.1Qbh ports through the public API, against the
 * simulated host's rtnetlink peer (enic's state machine, the adapter's
 * latency, injected failures). */
#include <errno.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <cmocka.h>

#include "sim-fixture.h"

static const char *vm = "8a6a0f55-0d9b-4a5b-9a8e-6f1c2b3d4e5f";
static const char *dmi = "4c4c4544-0042-4810-8052-b4c04f4d3132"; /* ucs-b200-vic1240.json */

static struct vmfex_port *vf_port(struct sim_fixture *f, const char *pf_name, unsigned int index)
{
	struct vmfex_pf *pf;
	struct vmfex_vf *vf;
	struct vmfex_port *port;

	assert_int_equal(vmfex_pf_new_from_name(f->ctx, pf_name, &pf), 0);
	assert_int_equal(vmfex_pf_lookup_vf(pf, index, &vf), 0);
	assert_int_equal(vmfex_port_new_from_vf(vf, &port), 0);
	assert_int_equal(vmfex_port_get_vf_index(port), (int)index);
	assert_string_equal(vmfex_port_get_ifname(port), vmfex_pf_get_ifname(pf));
	vmfex_vf_unref(vf);
	vmfex_pf_unref(pf);
	return port;
}

static const struct vmfex_port_state *vf_state(struct vmfex_link **link, struct sim_fixture *f,
                                               const char *ifname, unsigned int index)
{
	struct vmfex_link_vf *vf;

	vmfex_link_unref(*link);
	assert_int_equal(vmfex_link_new_from_ifname(f->ctx, ifname, link), 0);
	/* A driver without VF info lists only VFs with a port. */
	vf = vmfex_link_find_vf(*link, index);
	return vf ? vmfex_link_vf_get_port(vf) : NULL;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void associate_and_back(void **state)
{
	struct sim_fixture f;
	struct vmfex_port *port;
	struct vmfex_link *link = NULL;
	const struct vmfex_port_state *st;
	struct vmfex_port_opts o = { .sz = sizeof(o), .profile = "pp-vlan-25", .instance_uuid = vm,
	                             .mac = "52:54:00:ac:ff:b6" };
	int req = -1, resp = -1;

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	port = vf_port(&f, "enp10s0f0", 3);
	/* Before any request: enic answers ENODATA, the VF has no port. */
	assert_null(vf_state(&link, &f, "enp10s0f0", 3));
	assert_int_equal(vmfex_port_read_status(port, &req, &resp), -ENODATA);
	assert_int_equal(vmfex_port_get_last_response(port), -1);
	assert_int_equal(vmfex_port_associate(port, &o), 0);
	assert_int_equal(vmfex_port_get_last_response(port), VMFEX_PORT_PROFILE_RESPONSE_SUCCESS);
	st = vf_state(&link, &f, "enp10s0f0", 3);
	assert_non_null(st);
	assert_string_equal(vmfex_port_state_get_profile(st), "pp-vlan-25");
	assert_string_equal(vmfex_port_state_get_instance_uuid(st), vm);
	/* No host UUID given: the DMI product UUID of the host. */
	assert_string_equal(vmfex_port_state_get_host_uuid(st), dmi);
	assert_int_equal(vmfex_port_state_get_request(st), VMFEX_PORT_REQUEST_ASSOCIATE);
	assert_int_equal(vmfex_port_state_get_response(st), VMFEX_PORT_PROFILE_RESPONSE_SUCCESS);
	assert_string_equal(vmfex_link_vf_get_mac(vmfex_link_find_vf(link, 3)), "52:54:00:ac:ff:b6");
	/* Other VFs untouched. */
	assert_null(vmfex_link_vf_get_port(vmfex_link_find_vf(link, 2)));
	assert_int_equal(vmfex_port_read_status(port, &req, &resp), 0);
	assert_int_equal(req, VMFEX_PORT_REQUEST_ASSOCIATE);
	assert_int_equal(resp, VMFEX_PORT_PROFILE_RESPONSE_SUCCESS);
	/* Disassociate: no profile needed. */
	assert_int_equal(vmfex_port_disassociate(port, NULL), 0);
	assert_int_equal(vmfex_port_read_status(port, &req, &resp), 0);
	assert_int_equal(req, VMFEX_PORT_REQUEST_DISASSOCIATE);
	assert_int_equal(resp, VMFEX_PORT_PROFILE_RESPONSE_SUCCESS);
	assert_ptr_equal(vmfex_port_ref(port), port);
	vmfex_port_unref(port);
	vmfex_port_unref(port);
	vmfex_link_unref(link);
	sim_fixture_close(&f);
}

static void latency_and_polling(void **state)
{
	struct sim_fixture f;
	struct vmfex_port *port;
	struct vmfex_port_opts o = { .sz = sizeof(o), .profile = "pp-vlan-25", .instance_uuid = vm,
	                             .host_uuid = dmi, .mac = "52:54:00:ac:ff:01", .no_wait = true };
	unsigned int ms;
	int req, resp;
	double t0, t;

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	assert_int_equal(vmfex_sim_set_latency(f.ctx, 60), 0);
	assert_int_equal(vmfex_sim_read_latency(f.ctx, &ms), 0);
	assert_int_equal(ms, 60);
	port = vf_port(&f, "enp11s0f0", 0);
	/* Without waiting: INPROGRESS until the adapter is done. */
	assert_int_equal(vmfex_port_associate(port, &o), 0);
	assert_int_equal(vmfex_port_read_status(port, &req, &resp), 0);
	assert_int_equal(resp, VMFEX_PORT_PROFILE_RESPONSE_INPROGRESS);
	/* Waiting sees the end within the poll cap (8 ms) of it. */
	o.no_wait = false;
	t0 = now_ms();
	assert_int_equal(vmfex_port_associate(port, &o), 0);
	t = now_ms() - t0;
	assert_true(t >= 60.0);
	if (t > 60.0 + 8.0 + 20.0)
		print_message("slow machine: association seen after %.1f ms\n", t);
	sim_fixture_close(&f);
	vmfex_port_unref(port);
}

static void preassociate_then_associate(void **state)
{
	struct sim_fixture f;
	struct vmfex_port *port;
	struct vmfex_link *link = NULL;
	struct vmfex_port_opts o = { .sz = sizeof(o), .profile = "pp-vlan-25", .instance_uuid = vm,
	                             .mac = "52:54:00:ac:ff:02" };

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	const struct vmfex_port_state *st;

	port = vf_port(&f, "enp10s0f0", 5);
	/* enic reports a pre-association as it does an association
	 * (enable2_done). */
	assert_int_equal(vmfex_port_preassociate(port, &o), 0);
	st = vf_state(&link, &f, "enp10s0f0", 5);
	assert_non_null(st);
	assert_int_equal(vmfex_port_state_get_request(st), VMFEX_PORT_REQUEST_PREASSOCIATE_RR);
	assert_int_equal(vmfex_port_state_get_response(st), VMFEX_PORT_PROFILE_RESPONSE_SUCCESS);
	assert_int_equal(vmfex_port_associate(port, &o), 0);
	st = vf_state(&link, &f, "enp10s0f0", 5);
	assert_int_equal(vmfex_port_state_get_request(st), VMFEX_PORT_REQUEST_ASSOCIATE);
	vmfex_link_unref(link);
	vmfex_port_unref(port);
	sim_fixture_close(&f);
}

static void adapter_failures(void **state)
{
	struct sim_fixture f;
	struct vmfex_port *port;
	struct vmfex_port_opts o = { .sz = sizeof(o), .profile = "pp-vlan-25", .instance_uuid = vm,
	                             .mac = "52:54:00:ac:ff:03" };
	struct vmfex_sim_inject_opts inj = { .sz = sizeof(inj), .count = 1,
	                                     .response = VMFEX_PORT_PROFILE_RESPONSE_BADSTATE };

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	port = vf_port(&f, "enp10s0f0", 7);
	assert_int_equal(vmfex_sim_inject(f.ctx, &inj), 0);
	assert_int_equal(vmfex_port_associate(port, &o), -EBADE);
	assert_int_equal(vmfex_port_get_last_response(port), VMFEX_PORT_PROFILE_RESPONSE_BADSTATE);
	assert_non_null(strstr(f.log, "answered BADSTATE"));
	inj.response = VMFEX_PORT_PROFILE_RESPONSE_INSUFFICIENT_RESOURCES;
	assert_int_equal(vmfex_sim_inject(f.ctx, &inj), 0);
	assert_int_equal(vmfex_port_associate(port, &o), -ENOSPC);
	inj.response = VMFEX_PORT_PROFILE_RESPONSE_INVALID;
	assert_int_equal(vmfex_sim_inject(f.ctx, &inj), 0);
	assert_int_equal(vmfex_port_associate(port, &o), -EINVAL);
	inj.response = VMFEX_PORT_PROFILE_RESPONSE_ERROR;
	assert_int_equal(vmfex_sim_inject(f.ctx, &inj), 0);
	assert_int_equal(vmfex_port_associate(port, &o), -EIO);
	/* The injection lasts for its count only. */
	assert_int_equal(vmfex_port_associate(port, &o), 0);
	/* An errno from the adapter's command: the kernel refuses the request. */
	inj.response = 0;
	inj.error = EIO;
	inj.count = 2;
	assert_int_equal(vmfex_sim_inject(f.ctx, &inj), 0);
	assert_int_equal(vmfex_port_associate(port, &o), -EIO);
	assert_non_null(strstr(f.log, "ASSOCIATE refused"));
	assert_int_equal(vmfex_port_associate(port, &o), -EIO);
	assert_int_equal(vmfex_port_associate(port, &o), 0);
	vmfex_port_unref(port);
	sim_fixture_close(&f);
}

static void timeout_disassociates(void **state)
{
	struct sim_fixture f;
	struct vmfex_port *port;
	struct vmfex_port_opts o = { .sz = sizeof(o), .profile = "pp-vlan-25", .instance_uuid = vm,
	                             .mac = "52:54:00:ac:ff:04", .timeout_ms = 30 };
	int req, resp;

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	assert_int_equal(vmfex_sim_set_latency(f.ctx, 1000), 0);
	port = vf_port(&f, "enp10s0f0", 9);
	assert_int_equal(vmfex_port_associate(port, &o), -ETIMEDOUT);
	assert_non_null(strstr(f.log, "no answer to ASSOCIATE within 30 ms"));
	/* As libvirt does, the port was disassociated after the timeout. */
	assert_int_equal(vmfex_port_read_status(port, &req, &resp), 0);
	assert_int_equal(req, VMFEX_PORT_REQUEST_DISASSOCIATE);
	vmfex_port_unref(port);
	sim_fixture_close(&f);
}

static void self_port(void **state)
{
	struct sim_fixture f;
	struct vmfex_port *port;
	struct vmfex_link *link;
	struct vmfex_port_opts o = { .sz = sizeof(o), .profile = "pp-dyn", .instance_uuid = vm };

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	/* The dynamic vNIC (1137:0044), by its PCI address. */
	assert_int_equal(vmfex_port_new_self(f.ctx, "0000:0c:00.0", &port), 0);
	assert_string_equal(vmfex_port_get_ifname(port), "enp12s0");
	assert_int_equal(vmfex_port_get_vf_index(port), -1);
	assert_int_equal(vmfex_port_associate(port, &o), 0);
	assert_int_equal(vmfex_link_new_from_ifname(f.ctx, "enp12s0", &link), 0);
	assert_non_null(vmfex_link_get_self_port(link));
	assert_string_equal(vmfex_port_state_get_profile(vmfex_link_get_self_port(link)), "pp-dyn");
	vmfex_link_unref(link);
	vmfex_port_unref(port);
	/* enic takes PORT_SELF on a dynamic vNIC only. */
	assert_int_equal(vmfex_port_new_self(f.ctx, "enp10s0f0", &port), 0);
	assert_int_equal(vmfex_port_associate(port, &o), -EOPNOTSUPP);
	vmfex_port_unref(port);
	assert_int_equal(vmfex_port_new_self(f.ctx, "0000:0d:00.0", &port), -ENODEV);
	assert_int_equal(vmfex_port_new_self(f.ctx, "a/b", &port), -EINVAL);
	sim_fixture_close(&f);
}

static void refused_before_sending(void **state)
{
	struct sim_fixture f;
	struct vmfex_port *port;
	struct vmfex_link *link = NULL;
	struct vmfex_port_opts o = { .sz = sizeof(o), .instance_uuid = vm };
	static const char *const bad_profiles[] = {
		"", "0123456789012345678901234567890123456789", "with space", "tab\tname",
	};

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	port = vf_port(&f, "enp10s0f0", 1);
	for (size_t i = 0; i < sizeof(bad_profiles) / sizeof(bad_profiles[0]); i++) {
		o.profile = bad_profiles[i];
		assert_int_equal(vmfex_port_associate(port, &o), -EINVAL);
	}
	assert_non_null(strstr(f.log, "is not 1-39 printable characters"));
	o.profile = NULL;
	assert_int_equal(vmfex_port_associate(port, &o), -EINVAL);
	o.profile = "pp-vlan-25";
	o.instance_uuid = "not-a-uuid";
	assert_int_equal(vmfex_port_associate(port, &o), -EINVAL);
	o.instance_uuid = vm;
	o.host_uuid = "xyz";
	assert_int_equal(vmfex_port_associate(port, &o), -EINVAL);
	o.host_uuid = NULL;
	o.mac = "01:00:5e:00:00:01";
	assert_int_equal(vmfex_port_associate(port, &o), -EINVAL);
	o.mac = "52:54:00:ac:ff";
	assert_int_equal(vmfex_port_associate(port, &o), -EINVAL);
	/* Nothing reached the adapter. */
	assert_null(vf_state(&link, &f, "enp10s0f0", 1));
	vmfex_link_unref(link);
	vmfex_port_unref(port);
	sim_fixture_close(&f);
}

/* The bytes: profile NUL-padded to 40, UUIDs of 16, VF MAC before the
 * port with the VF's own index. */
static void request_encoding(void **state)
{
	struct sim_fixture f;
	struct vmfex_port *port;
	struct vmfex_port_opts o = { .sz = sizeof(o), .profile = "pp-vlan-25", .instance_uuid = vm,
	                             .host_uuid = dmi, .mac = "52:54:00:ac:ff:b6" };
	const struct nlmsghdr *h;
	const unsigned char *p;
	void *buf;
	size_t len;

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	port = vf_port(&f, "enp10s0f0", 3);
	assert_int_equal(vmfex_port_build_request(port, VMFEX_PORT_REQUEST_ASSOCIATE, &o, &buf,
	                                          &len), 0);
	h = buf;
	assert_int_equal(h->nlmsg_type, RTM_SETLINK);
	assert_int_equal(h->nlmsg_len, len);
	assert_true(h->nlmsg_flags & NLM_F_ACK);
	/* Hand-checked layout: ifinfomsg, IFLA_IFNAME "enp10s0f0",
	 * IFLA_VFINFO_LIST{IFLA_VF_INFO{IFLA_VF_MAC{vf 3}}},
	 * IFLA_VF_PORTS{IFLA_VF_PORT{VF 3, PROFILE[40], INSTANCE[16], HOST[16], REQUEST 2}}. */
	p = (const unsigned char *)buf + 16 + 16;
	assert_int_equal(p[0] | p[1] << 8, 14);                 /* IFLA_IFNAME */
	assert_int_equal(p[2] | p[3] << 8, IFLA_IFNAME);
	assert_memory_equal(p + 4, "enp10s0f0", 10);
	p += 16;
	assert_int_equal((p[2] | p[3] << 8) & 0x3fff, IFLA_VFINFO_LIST);
	assert_int_equal(p[4 + 4 + 4] | p[4 + 4 + 5] << 8, 3);   /* ifla_vf_mac.vf */
	assert_memory_equal(p + 4 + 4 + 4 + 4, "\x52\x54\x00\xac\xff\xb6", 6);
	p += (p[0] | p[1] << 8);
	assert_int_equal((p[2] | p[3] << 8) & 0x3fff, IFLA_VF_PORTS);
	p += 8;                                                   /* into IFLA_VF_PORT */
	assert_int_equal(p[0] | p[1] << 8, 8);
	assert_int_equal(p[2] | p[3] << 8, IFLA_PORT_VF);
	assert_int_equal(p[4], 3);
	p += 8;
	assert_int_equal(p[0] | p[1] << 8, 4 + 40);
	assert_int_equal(p[2] | p[3] << 8, IFLA_PORT_PROFILE);
	assert_memory_equal(p + 4, "pp-vlan-25\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 40);
	p += 44;
	assert_int_equal(p[0] | p[1] << 8, 20);
	assert_int_equal(p[2] | p[3] << 8, IFLA_PORT_INSTANCE_UUID);
	assert_memory_equal(p + 4, "\x8a\x6a\x0f\x55\x0d\x9b\x4a\x5b\x9a\x8e\x6f\x1c\x2b\x3d\x4e\x5f", 16);
	p += 20;
	assert_int_equal(p[2] | p[3] << 8, IFLA_PORT_HOST_UUID);
	p += 20;
	assert_int_equal(p[0] | p[1] << 8, 5);
	assert_int_equal(p[2] | p[3] << 8, IFLA_PORT_REQUEST);
	assert_int_equal(p[4], VMFEX_PORT_REQUEST_ASSOCIATE);
	assert_int_equal((size_t)(p + 8 - (const unsigned char *)buf), len);
	free(buf);
	/* Disassociate: the VF and the request, nothing else. */
	assert_int_equal(vmfex_port_build_request(port, VMFEX_PORT_REQUEST_DISASSOCIATE, NULL, &buf,
	                                          &len), 0);
	assert_int_equal(len, 16 + 16 + 16 + 4 + 4 + 8 + 8);
	free(buf);
	assert_int_equal(vmfex_port_build_request(port, 7, &o, &buf, &len), -EINVAL);
	vmfex_port_unref(port);
	sim_fixture_close(&f);
}

static void batch_of_256(void **state)
{
	struct sim_fixture f;
	struct vmfex_port *ports[256];
	struct vmfex_port_opts each[256];
	const struct vmfex_port_opts *opts[256];
	char macs[256][18];
	int results[256];
	struct vmfex_link *link = NULL;
	struct vmfex_link_vf *vf;
	unsigned int n = 0;

	assert_int_equal(sim_fixture_open(&f, "large-4x256.json"), 0);
	assert_int_equal(vmfex_sim_set_latency(f.ctx, 20), 0);
	for (unsigned int i = 0; i < 256; i++) {
		ports[i] = vf_port(&f, "0000:30:00.0", i);
		snprintf(macs[i], sizeof(macs[i]), "52:54:00:30:%02x:%02x", i >> 8, i & 0xff);
		each[i] = (struct vmfex_port_opts){ .sz = sizeof(each[i]), .profile = "pp-vlan-25",
		                                   .instance_uuid = vm, .mac = macs[i] };
		opts[i] = &each[i];
	}
	/* One port fails on its own; the others are not held back. */
	each[100].profile = "";
	assert_int_equal(vmfex_port_associate_many(ports, opts, 256, results), 1);
	for (unsigned int i = 0; i < 256; i++)
		assert_int_equal(results[i], i == 100 ? -EINVAL : 0);
	assert_int_equal(vmfex_link_new_from_ifname(f.ctx, "enp48s0f0", &link), 0);
	vmfex_link_foreach_vf(link, vf) {
		const struct vmfex_port_state *st = vmfex_link_vf_get_port(vf);

		if (vmfex_link_vf_get_index(vf) == 100) {
			assert_null(st);
			continue;
		}
		assert_non_null(st);
		assert_int_equal(vmfex_port_state_get_response(st), VMFEX_PORT_PROFILE_RESPONSE_SUCCESS);
		assert_string_equal(vmfex_link_vf_get_mac(vf), macs[vmfex_link_vf_get_index(vf)]);
		n++;
	}
	assert_int_equal(n, 255);
	vmfex_link_unref(link);
	assert_int_equal(vmfex_port_disassociate_many(ports, NULL, 256, results), 0);
	assert_int_equal(vmfex_port_associate_many(ports, opts, 0, results), 0);
	for (unsigned int i = 0; i < 256; i++)
		vmfex_port_unref(ports[i]);
	sim_fixture_close(&f);
}

/* One reply for 4096 VFs: the VF list is far past 64 KiB. */
static void link_of_4096_vfs(void **state)
{
	static const char *host =
		"{ \"drivers\": [ { \"name\": \"enic\", \"vf_ops\": [\"mac\"], \"vf_port\": true } ],"
		"  \"devices\": [ { \"pci\": \"0000:40:00.0\", \"vendor\": \"0x1137\","
		"  \"device\": \"0x0043\", \"driver\": \"enic\", \"ifname\": \"enp64s0\","
		"  \"sriov\": { \"total_vfs\": 4096, \"num_vfs\": 4096, \"vf_device\": \"0x0071\","
		"  \"vf_driver\": \"enic\", \"vf_ifname_prefix\": \"e64v\" } } ] }";
	struct sim_fixture f;
	struct vmfex_pf *pf;
	struct vmfex_link *link;
	struct vmfex_link_vf *vf;
	struct vmfex_port *port;
	struct vmfex_port_opts o = { .sz = sizeof(o), .profile = "pp-last", .instance_uuid = vm,
	                             .mac = "52:54:00:ff:0f:ff" };
	const char *mac, *uuid;
	unsigned int n = 0;

	assert_int_equal(sim_fixture_open(&f, host), 0);
	port = vf_port(&f, "enp64s0", 4095);
	assert_int_equal(vmfex_port_associate(port, &o), 0);
	vmfex_port_unref(port);
	assert_int_equal(vmfex_pf_new_from_ifname(f.ctx, "enp64s0", &pf), 0);
	assert_int_equal(vmfex_link_new_from_pf(pf, &link), 0);
	assert_int_equal(vmfex_link_get_num_vfs(link), 4096);
	vmfex_link_foreach_vf(link, vf)
		assert_int_equal(vmfex_link_vf_get_index(vf), n++);
	assert_int_equal(n, 4096);
	/* The port of the last VF, after the wrapped list, is found. */
	assert_string_equal(vmfex_port_state_get_profile(
		                    vmfex_link_vf_get_port(vmfex_link_find_vf(link, 4095))), "pp-last");
	/* Its MAC and UUID, made on the first call, are the same string after. */
	vf = vmfex_link_find_vf(link, 4095);
	mac = vmfex_link_vf_get_mac(vf);
	assert_string_equal(mac, "52:54:00:ff:0f:ff");
	assert_ptr_equal(vmfex_link_vf_get_mac(vf), mac);
	assert_string_equal(vmfex_link_vf_get_mac(vf), "52:54:00:ff:0f:ff");
	uuid = vmfex_port_state_get_instance_uuid(vmfex_link_vf_get_port(vf));
	assert_string_equal(uuid, vm);
	assert_string_equal(vmfex_port_state_get_instance_uuid(vmfex_link_vf_get_port(vf)), vm);
	assert_string_equal(vmfex_link_vf_get_mac(vmfex_link_find_vf(link, 4094)), "00:00:00:00:00:00");
	assert_null(vmfex_link_find_vf(link, 4096));
	vmfex_link_unref(link);
	vmfex_pf_unref(pf);
	sim_fixture_close(&f);
}

static void vf_settings(void **state)
{
	struct sim_fixture f;
	struct vmfex_pf *pf;
	struct vmfex_vf *vf;
	struct vmfex_link *link;
	struct vmfex_link_vf *lv;

	assert_int_equal(sim_fixture_open(&f, "mixed-82599-virtio.json"), 0);
	assert_int_equal(vmfex_pf_new_from_ifname(f.ctx, "enp3s0f0", &pf), 0);
	assert_int_equal(vmfex_pf_set_num_vfs(pf, 4, NULL), 0);
	assert_int_equal(vmfex_pf_lookup_vf(pf, 2, &vf), 0);
	assert_int_equal(vmfex_vf_set_mac(vf, "52:54:00:12:34:56"), 0);
	assert_int_equal(vmfex_vf_set_vlan(vf, 25, 3, 0x88a8), 0);
	assert_int_equal(vmfex_vf_set_spoofchk(vf, false), 0);
	assert_int_equal(vmfex_vf_set_trust(vf, true), 0);
	assert_int_equal(vmfex_vf_set_link_state(vf, VMFEX_VF_LINK_STATE_DISABLE), 0);
	assert_int_equal(vmfex_vf_set_rate(vf, 100, 1000), 0);
	assert_int_equal(vmfex_link_new_from_pf(pf, &link), 0);
	assert_string_equal(vmfex_link_get_ifname(link), "enp3s0f0");
	assert_non_null(vmfex_link_get_mac(link));
	assert_true(vmfex_link_get_ifindex(link) > 0);
	lv = vmfex_link_find_vf(link, 2);
	assert_string_equal(vmfex_link_vf_get_mac(lv), "52:54:00:12:34:56");
	assert_int_equal(vmfex_link_vf_get_vlan(lv), 25);
	assert_int_equal(vmfex_link_vf_get_qos(lv), 3);
	assert_int_equal(vmfex_link_vf_get_vlan_proto(lv), 0x88a8);
	assert_int_equal(vmfex_link_vf_get_spoofchk(lv), 0);
	assert_int_equal(vmfex_link_vf_get_trust(lv), 1);
	assert_int_equal(vmfex_link_vf_get_link_state(lv), VMFEX_VF_LINK_STATE_DISABLE);
	assert_int_equal(vmfex_link_vf_get_min_rate(lv), 100);
	assert_int_equal(vmfex_link_vf_get_max_rate(lv), 1000);
	assert_null(vmfex_link_vf_get_port(lv));   /* ixgbe has no ports */
	assert_ptr_equal(vmfex_link_ref(link), link);
	vmfex_link_unref(link);
	vmfex_link_unref(link);
	vmfex_vf_unref(vf);
	vmfex_pf_unref(pf);
	sim_fixture_close(&f);
	/* enic has only the MAC setter: the kernel's EOPNOTSUPP, logged. */
	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	assert_int_equal(vmfex_vf_new_from_ifname(f.ctx, "enp10s0f0v4", &vf), 0);
	assert_int_equal(vmfex_vf_set_mac(vf, "52:54:00:12:34:57"), 0);
	assert_int_equal(vmfex_vf_set_vlan(vf, 25, 0, 0), -EOPNOTSUPP);
	assert_non_null(strstr(f.log, "VF 4 of enp10s0f0 (0000:0a:00.5): setting the VLAN failed"));
	vmfex_vf_unref(vf);
	sim_fixture_close(&f);
}

/* Upstream enic has no ndo_get_vf_config: its replies carry IFLA_NUM_VF
 * and the ports of associated VFs, but no VF list. */
static void ports_without_vf_info(void **state)
{
	static const char *host =
		"{ \"drivers\": [ { \"name\": \"enic\", \"vf_ops\": [\"mac\"], \"vf_info\": false,"
		"  \"vf_port\": true } ], \"devices\": [ { \"pci\": \"0000:0a:00.0\","
		"  \"vendor\": \"0x1137\", \"device\": \"0x0043\", \"driver\": \"enic\","
		"  \"ifname\": \"enp10s0f0\", \"sriov\": { \"total_vfs\": 8, \"num_vfs\": 8,"
		"  \"vf_device\": \"0x0071\", \"vf_driver\": \"enic\" } } ] }";
	struct vmfex_port_opts o = { .sz = sizeof(o), .profile = "pp-vlan-25", .instance_uuid = vm,
	                             .mac = "52:54:00:ac:ff:06" };
	struct sim_fixture f;
	struct vmfex_port *port;
	struct vmfex_link *link = NULL;
	struct vmfex_link_vf *vf;
	int req, resp;

	assert_int_equal(sim_fixture_open(&f, host), 0);
	port = vf_port(&f, "enp10s0f0", 6);
	assert_int_equal(vmfex_link_new_from_ifname(f.ctx, "enp10s0f0", &link), 0);
	assert_int_equal(vmfex_link_get_num_vfs(link), 8);
	assert_null(vmfex_link_next_vf(link, NULL));
	vmfex_link_unref(link);
	assert_int_equal(vmfex_port_associate(port, &o), 0);
	assert_int_equal(vmfex_port_read_status(port, &req, &resp), 0);
	assert_int_equal(resp, VMFEX_PORT_PROFILE_RESPONSE_SUCCESS);
	assert_int_equal(vmfex_link_new_from_ifname(f.ctx, "enp10s0f0", &link), 0);
	vf = vmfex_link_next_vf(link, NULL);
	assert_non_null(vf);
	assert_int_equal(vmfex_link_vf_get_index(vf), 6);
	assert_null(vmfex_link_vf_get_mac(vf));
	assert_int_equal(vmfex_link_vf_get_vlan(vf), -1);
	assert_int_equal(vmfex_link_vf_get_spoofchk(vf), -1);
	assert_string_equal(vmfex_port_state_get_profile(vmfex_link_vf_get_port(vf)), "pp-vlan-25");
	assert_null(vmfex_link_next_vf(link, vf));
	vmfex_link_unref(link);
	vmfex_port_unref(port);
	sim_fixture_close(&f);
}

/* A catalog profile's max ports counts the ports associated with it on
 * this host's PFs, as the adapter reports them. */
static void catalog_max_ports(void **state)
{
	struct sim_fixture f;
	struct vmfex_catalog *cat;
	struct vmfex_profile *profile;
	struct vmfex_port *ports[3];
	struct vmfex_port_opts o = { .sz = sizeof(o), .profile = "pp-vlan-25", .instance_uuid = vm };
	struct vmfex_port_check_opts chk = { .sz = sizeof(chk) };
	enum vmfex_topology topology;
	char mac[18];

	assert_int_equal(sim_fixture_open(&f, "ucs-b200-vic1240.json"), 0);
	assert_int_equal(vmfex_catalog_new(f.ctx, &cat), 0);
	assert_int_equal(vmfex_catalog_add_profile(cat, "pp-vlan-25", &profile), 0);
	assert_int_equal(vmfex_profile_set_max_ports(profile, 2), 0);
	assert_int_equal(vmfex_profile_add_client(profile, VMFEX_CLUSTER_DEFAULT), 0);
	assert_int_equal(vmfex_profile_set_host_nw_io_perf(profile,
	                                                   VMFEX_HOST_NW_IO_PERF_HIGH_PERF_REQD), 0);
	for (unsigned int i = 0; i < 3; i++)
		ports[i] = vf_port(&f, i == 2 ? "enp11s0f0" : "enp10s0f0", i);
	/* Nothing associated yet: allowed, and the profile asks for hostdev. */
	assert_int_equal(vmfex_catalog_check_port(cat, "pp-vlan-25", &chk, &topology), 0);
	assert_int_equal(topology, VMFEX_TOPOLOGY_HOSTDEV);
	for (unsigned int i = 0; i < 2; i++) {
		snprintf(mac, sizeof(mac), "52:54:00:00:00:%02x", i);
		o.mac = mac;
		assert_int_equal(vmfex_port_associate(ports[i], &o), 0);
	}
	/* Two ports on two PFs' VFs hold both of its ports. */
	assert_int_equal(vmfex_catalog_check_port(cat, "pp-vlan-25", &chk, &topology), -EUSERS);
	/* A port that already has the profile is not counted twice. */
	chk.port = ports[1];
	assert_int_equal(vmfex_catalog_check_port(cat, "pp-vlan-25", &chk, &topology), 0);
	chk.port = NULL;
	assert_int_equal(vmfex_port_disassociate(ports[0], NULL), 0);
	assert_int_equal(vmfex_catalog_check_port(cat, "pp-vlan-25", &chk, &topology), 0);
	assert_int_equal(vmfex_catalog_check_port(cat, "pp-none", &chk, &topology), -ENOENT);
	for (unsigned int i = 0; i < 3; i++)
		vmfex_port_unref(ports[i]);
	vmfex_profile_unref(profile);
	vmfex_catalog_unref(cat);
	sim_fixture_close(&f);
}

static void names(void **state)
{
	assert_string_equal(vmfex_port_response_to_string(0x100), "SUCCESS");
	assert_string_equal(vmfex_port_response_to_string(0x104), "INSUFFICIENT_RESOURCES");
	assert_string_equal(vmfex_port_response_to_string(6), "VDP_OUT_OF_SYNC");
	assert_string_equal(vmfex_port_response_to_string(0x106), "UNKNOWN");
	assert_string_equal(vmfex_port_response_to_string(-1), "UNKNOWN");
	assert_string_equal(vmfex_port_request_to_string(1), "PREASSOCIATE_RR");
	assert_string_equal(vmfex_port_request_to_string(4), "UNKNOWN");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(associate_and_back),
		cmocka_unit_test(latency_and_polling),
		cmocka_unit_test(preassociate_then_associate),
		cmocka_unit_test(adapter_failures),
		cmocka_unit_test(timeout_disassociates),
		cmocka_unit_test(self_port),
		cmocka_unit_test(refused_before_sending),
		cmocka_unit_test(request_encoding),
		cmocka_unit_test(batch_of_256),
		cmocka_unit_test(link_of_4096_vfs),
		cmocka_unit_test(vf_settings),
		cmocka_unit_test(ports_without_vf_info),
		cmocka_unit_test(catalog_max_ports),
		cmocka_unit_test(names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
