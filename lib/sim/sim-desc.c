/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The host description (doc/sim-host.md): JSON read with json-c, checked
 * whole, every error naming the field it found at fault. */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim-private.h"

/* Nesting of a valid description is 4; anything much deeper is hostile. */
#define DESC_DEPTH_MAX 16

struct field {
	struct vmfex_ctx *ctx;
	char where[96];
};

static void field_at(struct field *f, const char *parent, const char *name, long idx)
{
	if (idx >= 0)
		snprintf(f->where, sizeof(f->where), "%s%s[%ld]", parent, name, idx);
	else
		snprintf(f->where, sizeof(f->where), "%s%s%s", parent, *parent ? "." : "", name);
}

static int get_type(struct field *f, json_object *obj, const char *key, json_type type,
                    bool required, json_object **out)
{
	json_object *v;
	char where[192];

	*out = NULL;
	if (!json_object_object_get_ex(obj, key, &v) || json_object_is_type(v, json_type_null)) {
		if (!required)
			return 0;
		ERR(f->ctx, "host description: %s%s%s is required", f->where, *f->where ? "." : "",
		    key);
		return -EINVAL;
	}
	if (!json_object_is_type(v, type)) {
		snprintf(where, sizeof(where), "%s%s%s", f->where, *f->where ? "." : "", key);
		ERR(f->ctx, "host description: %s must be a %s", where, json_type_to_name(type));
		return -EINVAL;
	}
	*out = v;
	return 1;
}

static int get_string(struct field *f, json_object *obj, const char *key, bool required,
                      char *buf, size_t size, int (*check)(const char *))
{
	json_object *v;
	const char *s;
	int r;

	r = get_type(f, obj, key, json_type_string, required, &v);
	if (r <= 0)
		return r;
	s = json_object_get_string(v);
	if (strlen(s) >= size || (check && check(s) < 0)) {
		ERR(f->ctx, "host description: %s.%s: '%.64s' is not valid", f->where, key, s);
		return -EINVAL;
	}
	strcpy(buf, s);
	return 1;
}

static int get_uint(struct field *f, json_object *obj, const char *key, bool required,
                    unsigned long min, unsigned long max, unsigned int *out)
{
	json_object *v;
	int64_t n;
	int r;

	r = get_type(f, obj, key, json_type_int, required, &v);
	if (r <= 0)
		return r;
	n = json_object_get_int64(v);
	if (n < (int64_t)min || n > (int64_t)max) {
		ERR(f->ctx, "host description: %s.%s: %lld is out of range %lu-%lu", f->where, key,
		    (long long)n, min, max);
		return -EINVAL;
	}
	*out = (unsigned int)n;
	return 1;
}

static int get_bool(struct field *f, json_object *obj, const char *key, bool *out)
{
	json_object *v;
	int r;

	r = get_type(f, obj, key, json_type_boolean, false, &v);
	if (r > 0)
		*out = json_object_get_boolean(v);
	return r;
}

/* PCI ids are written as sysfs shows them: "0x1137". */
static int get_id(struct field *f, json_object *obj, const char *key, bool required,
                  uint16_t *out)
{
	char buf[16];
	int r;

	r = get_string(f, obj, key, required, buf, sizeof(buf), NULL);
	if (r <= 0)
		return r;
	if (vmfex_parse_hex16(buf, strlen(buf), out) < 0) {
		ERR(f->ctx, "host description: %s.%s: '%s' is not an id like 0x1137", f->where, key,
		    buf);
		return -EINVAL;
	}
	return 1;
}

static int check_pci(const char *s)
{
	struct vmfex_pci_addr a;

	return vmfex_pci_addr_parse(s, &a);
}

/* drivers[].vf_ops: names of the driver's ndo_set_vf_* ops. */
static int parse_vf_ops(struct field *f, json_object *obj, unsigned int *out)
{
	static const struct {
		const char *name;
		unsigned int bit;
	} ops[] = {
		{ "mac", SIM_VF_OP_MAC },
		{ "vlan", SIM_VF_OP_VLAN },
		{ "rate", SIM_VF_OP_RATE },
		{ "spoofchk", SIM_VF_OP_SPOOFCHK },
		{ "link_state", SIM_VF_OP_LINK_STATE },
		{ "trust", SIM_VF_OP_TRUST },
		{ "rss_query_en", SIM_VF_OP_RSS_QUERY_EN },
	};
	json_object *arr;
	size_t n;
	int r;

	*out = 0;
	r = get_type(f, obj, "vf_ops", json_type_array, false, &arr);
	if (r <= 0)
		return r;
	n = json_object_array_length(arr);
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(arr, i);
		const char *s = json_object_is_type(v, json_type_string) ? json_object_get_string(v)
		                                                          : NULL;
		size_t k;

		for (k = 0; s && k < ARRAY_SIZE(ops); k++)
			if (strcmp(s, ops[k].name) == 0)
				break;
		if (!s || k == ARRAY_SIZE(ops)) {
			ERR(f->ctx, "host description: %s.vf_ops[%zu] is not one of mac, vlan, rate, "
			    "spoofchk, link_state, trust, rss_query_en", f->where, i);
			return -EINVAL;
		}
		*out |= ops[k].bit;
	}
	return 1;
}

static int parse_driver(struct field *f, json_object *obj, struct sim_driver *drv)
{
	int r;

	if (!json_object_is_type(obj, json_type_object)) {
		ERR(f->ctx, "host description: %s must be an object", f->where);
		return -EINVAL;
	}
	drv->netdev = true;
	if ((r = get_string(f, obj, "name", true, drv->name, sizeof(drv->name),
	                    vmfex_driver_name_validate)) < 0 ||
	    (r = get_bool(f, obj, "sriov_configure", &drv->sriov_configure)) < 0 ||
	    (r = get_bool(f, obj, "netdev", &drv->netdev)) < 0 ||
	    (r = get_bool(f, obj, "needs_iommu", &drv->needs_iommu)) < 0 ||
	    (r = parse_vf_ops(f, obj, &drv->vf_ops)) < 0 ||
	    (r = get_bool(f, obj, "vf_port", &drv->vf_port)) < 0)
		return r;
	/* A driver that sets VF config can report it, unless told otherwise
	 * (upstream enic has ndo_set_vf_mac but no ndo_get_vf_config). */
	drv->vf_info = drv->vf_ops != 0;
	return get_bool(f, obj, "vf_info", &drv->vf_info) < 0 ? -EINVAL : 0;
}

/* The adapter's answers to port-profile requests (sim-rtnl-enic.c). */
static int parse_adapter(struct field *f, json_object *root, struct sim_desc *d)
{
	struct field sub = { .ctx = f->ctx };
	json_object *obj;
	int r;

	d->latency_ms = 0;
	r = get_type(f, root, "adapter", json_type_object, false, &obj);
	if (r <= 0)
		return r;
	field_at(&sub, "", "adapter", -1);
	r = get_uint(&sub, obj, "latency_ms", false, 0, SIM_LATENCY_MS_MAX, &d->latency_ms);
	return r < 0 ? r : 0;
}

static int parse_sriov(struct field *f, json_object *obj, struct sim_device *dev)
{
	struct sim_sriov *s = &dev->sriov;
	int r;

	s->offset = 1;
	s->stride = 1;
	s->drivers_autoprobe = true;
	if ((r = get_uint(f, obj, "total_vfs", true, 1, 65535, &s->total_vfs)) < 0 ||
	    (r = get_uint(f, obj, "num_vfs", false, 0, 65535, &s->num_vfs)) < 0 ||
	    (r = get_uint(f, obj, "offset", false, 1, 65535, &s->offset)) < 0 ||
	    (r = get_uint(f, obj, "stride", false, 1, 65535, &s->stride)) < 0 ||
	    (r = get_id(f, obj, "vf_device", true, &s->vf_device)) < 0 ||
	    (r = get_string(f, obj, "vf_driver", false, s->vf_driver, sizeof(s->vf_driver),
	                    vmfex_driver_name_validate)) < 0 ||
	    (r = get_string(f, obj, "vf_ifname_prefix", false, s->vf_ifname_prefix,
	                    sizeof(s->vf_ifname_prefix), NULL)) < 0 ||
	    (r = get_bool(f, obj, "drivers_autoprobe", &s->drivers_autoprobe)) < 0)
		return r;
	if (s->num_vfs > s->total_vfs) {
		ERR(f->ctx, "host description: %s.num_vfs %u exceeds total_vfs %u", f->where,
		    s->num_vfs, s->total_vfs);
		return -EINVAL;
	}
	if (!s->vf_ifname_prefix[0] && dev->ifname[0])
		snprintf(s->vf_ifname_prefix, sizeof(s->vf_ifname_prefix), "%.14sv", dev->ifname);
	if (s->vf_ifname_prefix[0]) {
		char longest[32];

		snprintf(longest, sizeof(longest), "%s%u", s->vf_ifname_prefix, s->total_vfs - 1);
		if (vmfex_ifname_validate(longest) < 0) {
			ERR(f->ctx, "host description: %s: VF netdev name '%s' is not valid", f->where,
			    longest);
			return -EINVAL;
		}
	}
	return 0;
}

static int parse_device(struct field *f, json_object *obj, struct sim_device *dev)
{
	json_object *sriov;
	unsigned int class_code = 0x020000;
	struct field sub = { .ctx = f->ctx };
	int r;

	if (!json_object_is_type(obj, json_type_object)) {
		ERR(f->ctx, "host description: %s must be an object", f->where);
		return -EINVAL;
	}
	if ((r = get_string(f, obj, "pci", true, dev->pci, sizeof(dev->pci), check_pci)) < 0)
		return r;
	vmfex_pci_addr_parse(dev->pci, &dev->addr);
	vmfex_pci_addr_format(&dev->addr, dev->pci);
	dev->subsystem_vendor = 0;
	if ((r = get_id(f, obj, "vendor", true, &dev->vendor)) < 0 ||
	    (r = get_id(f, obj, "device", true, &dev->device)) < 0 ||
	    (r = get_id(f, obj, "subsystem_vendor", false, &dev->subsystem_vendor)) < 0 ||
	    (r = get_id(f, obj, "subsystem_device", false, &dev->subsystem_device)) < 0 ||
	    (r = get_uint(f, obj, "class", false, 0, 0xffffff, &class_code)) < 0 ||
	    (r = get_string(f, obj, "driver", false, dev->driver, sizeof(dev->driver),
	                    vmfex_driver_name_validate)) < 0 ||
	    (r = get_string(f, obj, "ifname", false, dev->ifname, sizeof(dev->ifname),
	                    vmfex_ifname_validate)) < 0)
		return r;
	dev->class_code = class_code;
	r = get_type(f, obj, "sriov", json_type_object, false, &sriov);
	if (r < 0)
		return r;
	if (sriov) {
		dev->has_sriov = true;
		field_at(&sub, f->where, "sriov", -1);
		r = parse_sriov(&sub, sriov, dev);
		if (r < 0)
			return r;
	}
	return 0;
}

void vmfex_sim_desc_free(struct sim_desc *desc)
{
	if (!desc)
		return;
	free(desc->description);
	free(desc->drivers);
	free(desc->devices);
	free(desc);
}

const struct sim_driver *vmfex_sim_desc_driver(const struct sim_desc *desc, const char *name)
{
	for (size_t i = 0; i < desc->n_drivers; i++)
		if (strcmp(desc->drivers[i].name, name) == 0)
			return &desc->drivers[i];
	return NULL;
}

const struct sim_device *vmfex_sim_desc_device(const struct sim_desc *desc,
                                               const struct vmfex_pci_addr *addr)
{
	for (size_t i = 0; i < desc->n_devices; i++)
		if (vmfex_pci_addr_cmp(&desc->devices[i].addr, addr) == 0)
			return &desc->devices[i];
	return NULL;
}

/* The routing id of VF i, as drivers/pci/iov.c computes it. */
static uint32_t vf_rid(const struct sim_device *pf, unsigned int i)
{
	uint32_t rid = (uint32_t)pf->addr.bus << 8 | pf->addr.dev << 3 | pf->addr.fn;

	return rid + pf->sriov.offset + pf->sriov.stride * i;
}

/* Addresses and names once each, drivers listed, VFs within the domain. */
static int check_desc(struct vmfex_ctx *ctx, struct sim_desc *d)
{
	for (size_t i = 0; i < d->n_devices; i++) {
		struct sim_device *dev = &d->devices[i];

		for (size_t j = 0; j < i; j++) {
			if (vmfex_pci_addr_cmp(&d->devices[j].addr, &dev->addr) == 0) {
				ERR(ctx, "host description: devices[%zu]: %s listed twice", i, dev->pci);
				return -EINVAL;
			}
			if (dev->ifname[0] && strcmp(dev->ifname, d->devices[j].ifname) == 0) {
				ERR(ctx, "host description: devices[%zu]: ifname %s used twice", i,
				    dev->ifname);
				return -EINVAL;
			}
		}
		if (dev->driver[0] && !vmfex_sim_desc_driver(d, dev->driver)) {
			ERR(ctx, "host description: devices[%zu].driver %s is not in drivers", i,
			    dev->driver);
			return -EINVAL;
		}
		if (!dev->has_sriov)
			continue;
		if (dev->sriov.vf_driver[0] && !vmfex_sim_desc_driver(d, dev->sriov.vf_driver)) {
			ERR(ctx, "host description: devices[%zu].sriov.vf_driver %s is not in drivers",
			    i, dev->sriov.vf_driver);
			return -EINVAL;
		}
		if (vf_rid(dev, dev->sriov.total_vfs - 1) > 0xffff) {
			ERR(ctx, "host description: devices[%zu]: VFs of %s run past bus ff", i,
			    dev->pci);
			return -EINVAL;
		}
	}
	return 0;
}

/* Every routing id (devices and all possible VFs) of one domain at most
 * once. Stops at the first clash, so the work per domain is bounded by the
 * 65536 ids a domain has. */
static int check_addresses(struct vmfex_ctx *ctx, const struct sim_desc *d)
{
	uint8_t *used = malloc(65536 / 8);
	int r = 0;

	if (!used)
		return -ENOMEM;
	for (size_t i = 0; i < d->n_devices && r == 0; i++) {
		uint16_t domain = d->devices[i].addr.domain;
		bool seen = false;

		for (size_t j = 0; j < i; j++)
			seen |= d->devices[j].addr.domain == domain;
		if (seen)
			continue;
		memset(used, 0, 65536 / 8);
		for (size_t j = 0; j < d->n_devices && r == 0; j++) {
			const struct sim_device *dev = &d->devices[j];
			unsigned int n = dev->has_sriov ? dev->sriov.total_vfs : 0;

			if (dev->addr.domain != domain)
				continue;
			/* k == 0 is the device itself, k > 0 its VF k - 1. */
			for (unsigned int k = 0; k <= n; k++) {
				uint32_t rid = k ? vf_rid(dev, k - 1)
				                 : (uint32_t)dev->addr.bus << 8 | dev->addr.dev << 3 |
				                           dev->addr.fn;

				if (used[rid / 8] & (1u << (rid % 8))) {
					ERR(ctx, "host description: devices[%zu] (%s): %s %04x:%02x:%02x.%x "
					    "is taken by another device or VF", j, dev->pci,
					    k ? "a VF address" : "its address", domain, rid >> 8,
					    rid >> 3 & 0x1f, rid & 7);
					r = -EINVAL;
					break;
				}
				used[rid / 8] |= (uint8_t)(1u << (rid % 8));
			}
		}
	}
	free(used);
	return r;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* All netdev names, the devices' and every VF's, differ. The sum of VFs is
 * bounded by check_addresses() to 65536 a domain. */
static int check_names(struct vmfex_ctx *ctx, const struct sim_desc *d)
{
	size_t n = 0, cap = 0;
	char **names, *pool;
	int r = 0;

	for (size_t i = 0; i < d->n_devices; i++)
		cap += 1 + (d->devices[i].sriov.vf_ifname_prefix[0] ? d->devices[i].sriov.total_vfs : 0);
	names = calloc(cap + 1, sizeof(*names));
	pool = calloc(cap + 1, VMFEX_IFNAMSIZ);
	if (!names || !pool) {
		free(names);
		free(pool);
		return -ENOMEM;
	}
	for (size_t i = 0; i < d->n_devices; i++) {
		const struct sim_device *dev = &d->devices[i];

		if (dev->ifname[0]) {
			names[n] = strcpy(pool + n * VMFEX_IFNAMSIZ, dev->ifname);
			n++;
		}
		if (!dev->sriov.vf_ifname_prefix[0])
			continue;
		for (unsigned int k = 0; k < dev->sriov.total_vfs; k++) {
			names[n] = pool + n * VMFEX_IFNAMSIZ;
			/* parse_sriov() checked that the longest name fits. */
			if (snprintf(names[n], VMFEX_IFNAMSIZ, "%s%u", dev->sriov.vf_ifname_prefix, k) >=
			    VMFEX_IFNAMSIZ)
				continue;
			n++;
		}
	}
	qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(names[i - 1], names[i]) == 0) {
			ERR(ctx, "host description: netdev name %s would be given twice (device "
			    "ifnames and VF prefixes must not meet)", names[i]);
			r = -EINVAL;
			break;
		}
	}
	free(names);
	free(pool);
	return r;
}

int vmfex_sim_desc_parse(struct vmfex_ctx *ctx, const char *buf, size_t len,
                         struct sim_desc **out)
{
	struct json_tokener *tok;
	json_object *root, *arr;
	struct field f = { .ctx = ctx };
	struct sim_desc *d;
	char text[512] = "";
	int r;

	if (len > SIM_DESC_MAX_BYTES) {
		ERR(ctx, "host description: %zu bytes, more than %d", len, SIM_DESC_MAX_BYTES);
		return -EFBIG;
	}
	tok = json_tokener_new_ex(DESC_DEPTH_MAX);
	if (!tok)
		return -ENOMEM;
	root = json_tokener_parse_ex(tok, buf, (int)len);
	if (!root || json_tokener_get_parse_end(tok) != len) {
		enum json_tokener_error e = json_tokener_get_error(tok);

		ERR(ctx, "host description: not JSON at byte %zu: %s", json_tokener_get_parse_end(tok),
		    e == json_tokener_success ? "trailing data" : json_tokener_error_desc(e));
		json_object_put(root);
		json_tokener_free(tok);
		return -EINVAL;
	}
	json_tokener_free(tok);
	if (!json_object_is_type(root, json_type_object)) {
		ERR(ctx, "host description: the top level must be an object");
		json_object_put(root);
		return -EINVAL;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		json_object_put(root);
		return -ENOMEM;
	}
	r = get_string(&f, root, "description", false, text, sizeof(text), NULL);
	if (r < 0)
		goto out;
	d->description = strdup(text);
	if (!d->description) {
		r = -ENOMEM;
		goto out;
	}
	if ((r = get_bool(&f, root, "iommu", &d->iommu)) < 0 ||
	    (r = get_string(&f, root, "dmi_product_uuid", false, d->dmi_product_uuid,
	                    sizeof(d->dmi_product_uuid), NULL)) < 0 ||
	    (r = parse_adapter(&f, root, d)) < 0)
		goto out;

	r = get_type(&f, root, "drivers", json_type_array, false, &arr);
	if (r < 0)
		goto out;
	d->n_drivers = arr ? json_object_array_length(arr) : 0;
	d->drivers = calloc(d->n_drivers + 1, sizeof(*d->drivers));
	if (!d->drivers) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < d->n_drivers; i++) {
		struct field sub = { .ctx = ctx };

		field_at(&sub, "", "drivers", (long)i);
		r = parse_driver(&sub, json_object_array_get_idx(arr, i), &d->drivers[i]);
		if (r < 0)
			goto out;
		for (size_t j = 0; j < i; j++)
			if (strcmp(d->drivers[j].name, d->drivers[i].name) == 0) {
				ERR(ctx, "host description: %s: driver %s listed twice", sub.where,
				    d->drivers[i].name);
				r = -EINVAL;
				goto out;
			}
	}

	r = get_type(&f, root, "devices", json_type_array, true, &arr);
	if (r < 0)
		goto out;
	d->n_devices = json_object_array_length(arr);
	d->devices = calloc(d->n_devices + 1, sizeof(*d->devices));
	if (!d->devices) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < d->n_devices; i++) {
		struct field sub = { .ctx = ctx };

		field_at(&sub, "", "devices", (long)i);
		r = parse_device(&sub, json_object_array_get_idx(arr, i), &d->devices[i]);
		if (r < 0)
			goto out;
	}
	r = check_desc(ctx, d);
	if (r == 0)
		r = check_addresses(ctx, d);
	if (r == 0)
		r = check_names(ctx, d);
out:
	json_object_put(root);
	if (r < 0) {
		vmfex_sim_desc_free(d);
		return r;
	}
	*out = d;
	return 0;
}
