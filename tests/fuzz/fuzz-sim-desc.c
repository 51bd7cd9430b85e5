/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target for the simulated host's description parser
 * (lib/sim/sim-desc.c): arbitrary bytes, which need not be NUL-terminated
 * or valid UTF-8, up to and past the size limit.
 *
 * The context logs at LOG_DEBUG into a function that formats every
 * message and prints nothing, so each error path's format string runs on
 * the hostile values it quotes. An accepted description must hold what
 * vmfex_sim_create() relies on: canonical unique addresses, valid and
 * unique names, known drivers, VF counts in range. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sim/sim-private.h"
#include "fuzz-check.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct vmfex_ctx *ctx;

static void log_discard(void *data, int priority, const char *file, int line, const char *fn,
                        const char *format, va_list args) _printf_(6, 0);
static void log_discard(void *data, int priority, const char *file, int line, const char *fn,
                        const char *format, va_list args)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), format, args);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct vmfex_new_opts opts = { .sz = sizeof(opts), .ignore_env = 1 };

	if (vmfex_new_with_opts(&opts, &ctx) < 0)
		abort();
	vmfex_set_log_fn(ctx, log_discard, NULL);
	vmfex_set_log_priority(ctx, LOG_DEBUG);
	return 0;
}

static void check_desc(const struct sim_desc *d)
{
	CHECK(d->description);
	CHECK(d->n_devices == 0 || d->devices);
	CHECK(d->n_drivers == 0 || d->drivers);
	CHECK(strnlen(d->dmi_product_uuid, sizeof(d->dmi_product_uuid)) <
	      sizeof(d->dmi_product_uuid));

	for (size_t i = 0; i < d->n_drivers; i++) {
		const struct sim_driver *drv = &d->drivers[i];

		CHECK(vmfex_driver_name_validate(drv->name) == 0);
		CHECK(vmfex_sim_desc_driver(d, drv->name) == drv);
	}
	for (size_t i = 0; i < d->n_devices; i++) {
		const struct sim_device *dev = &d->devices[i];
		struct vmfex_pci_addr a;
		char canon[VMFEX_PCI_ADDR_LEN];

		CHECK(vmfex_pci_addr_parse(dev->pci, &a) == 0);
		CHECK(vmfex_pci_addr_cmp(&a, &dev->addr) == 0);
		vmfex_pci_addr_format(&dev->addr, canon);
		CHECK(strcmp(canon, dev->pci) == 0);
		CHECK(vmfex_sim_desc_device(d, &dev->addr) == dev);
		CHECK(dev->class_code <= 0xffffff);
		if (dev->driver[0])
			CHECK(vmfex_sim_desc_driver(d, dev->driver));
		if (dev->ifname[0])
			CHECK(vmfex_ifname_validate(dev->ifname) == 0);
		for (size_t j = 0; j < i; j++)
			CHECK(!dev->ifname[0] || strcmp(dev->ifname, d->devices[j].ifname) != 0);
		if (!dev->has_sriov)
			continue;
		CHECK(dev->sriov.total_vfs >= 1 && dev->sriov.total_vfs <= 65535);
		CHECK(dev->sriov.num_vfs <= dev->sriov.total_vfs);
		CHECK(dev->sriov.offset >= 1 && dev->sriov.stride >= 1);
		if (dev->sriov.vf_driver[0])
			CHECK(vmfex_sim_desc_driver(d, dev->sriov.vf_driver));
		if (dev->sriov.vf_ifname_prefix[0]) {
			char longest[32];

			snprintf(longest, sizeof(longest), "%s%u", dev->sriov.vf_ifname_prefix,
			         dev->sriov.total_vfs - 1);
			CHECK(vmfex_ifname_validate(longest) == 0);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sim_desc *desc = NULL;
	int r;

	if (!ctx)
		LLVMFuzzerInitialize(NULL, NULL);
	r = vmfex_sim_desc_parse(ctx, (const char *)data, size, &desc);
	CHECK(r == 0 || r == -EINVAL || r == -EFBIG || r == -ENOMEM);
	CHECK((r == 0) == (desc != NULL));
	if (desc)
		check_desc(desc);
	vmfex_sim_desc_free(desc);
	return 0;
}
